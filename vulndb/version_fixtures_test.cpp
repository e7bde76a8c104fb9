// Every row of ../shared/fixtures/versions/*.txt, read at test time, checked in both
// directions: the rows come from each ecosystem's reference implementation (dpkg, apk-tools,
// rpm, npm's semver, Python's packaging).
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "tests/test_support.h"
#include "vulndb/detail/versions.h"
#include "vulndb/vulndb.h"

namespace {

using cguard::vulndb::compare_versions;
using cguard::vulndb::VersionScheme;
namespace detail = cguard::vulndb::detail;

struct Row {
    int line = 0;
    std::vector<std::string> fields;  // {version} or {a, op, b}
};

// Splits a fixture into rows; '#' starts a comment (apk puts them after rows, rpm on its own
// lines), blank lines are skipped.
std::vector<Row> read_rows(const std::string& path) {
    std::istringstream in(cguard::test::read_file(path));
    std::vector<Row> rows;
    std::string text;
    for (int line = 1; std::getline(in, text); ++line) {
        text = text.substr(0, text.find('#'));
        std::istringstream fields(text);
        Row row{line, {}};
        for (std::string f; fields >> f;) {
            row.fields.push_back(f);
        }
        if (!row.fields.empty()) {
            rows.push_back(std::move(row));
        }
    }
    return rows;
}

int expected_sign(const std::string& op) {
    if (op == "<") {
        return -1;
    }
    if (op == ">") {
        return 1;
    }
    if (op == "=" || op == "==") {
        return 0;
    }
    FAIL("unknown operator " << op);
    return 0;
}

std::string describe(const Row& row) {
    std::string out = "line " + std::to_string(row.line) + ":";
    for (const auto& f : row.fields) {
        out += " " + f;
    }
    return out;
}

// Checks a < b (or =, >) and the reverse; returns "" or what went wrong.
std::string check_ordered(VersionScheme scheme, const Row& row) {
    const std::string& a = row.fields[0];
    const std::string& b = row.fields[2];
    int want = expected_sign(row.fields[1]);
    auto forward = compare_versions(scheme, a, b);
    auto backward = compare_versions(scheme, b, a);
    if (!forward || !backward) {
        return describe(row) +
               " -> error: " + (!forward ? forward.error() : backward.error()).message;
    }
    if (detail::sign(*forward) != want) {
        return describe(row) + " -> got " + std::to_string(*forward);
    }
    if (detail::sign(*backward) != -want) {
        return describe(row) + " reversed -> got " + std::to_string(*backward);
    }
    return "";
}

std::string join(const std::vector<std::string>& lines) {
    std::string out;
    for (const auto& l : lines) {
        out += l + "\n";
    }
    return out;
}

// Runs every three-field row of `file` through `scheme`; returns the number of rows checked.
size_t check_file(const std::string& shared, const std::string& file, VersionScheme scheme) {
    auto rows = read_rows(shared + "/fixtures/versions/" + file);
    std::vector<std::string> failures;
    for (const auto& row : rows) {
        if (row.fields.size() != 3) {
            failures.push_back(describe(row) + " -> not `A OP B`");
            continue;
        }
        if (auto failure = check_ordered(scheme, row); !failure.empty()) {
            failures.push_back(failure);
        }
    }
    INFO(join(failures));
    CHECK(failures.empty());
    return rows.size();
}

}  // namespace

TEST_CASE("dpkg versions order as dpkg orders them", "[vulndb][versions]") {
    CGUARD_REQUIRE_SHARED(shared);
    CHECK(check_file(shared, "dpkg.txt", VersionScheme::Dpkg) > 300);
}

TEST_CASE("rpm versions order as rpmvercmp orders them", "[vulndb][versions]") {
    CGUARD_REQUIRE_SHARED(shared);
    CHECK(check_file(shared, "rpm.txt", VersionScheme::Rpm) > 100);
}

TEST_CASE("semver versions order as npm's semver orders them", "[vulndb][versions]") {
    CGUARD_REQUIRE_SHARED(shared);
    CHECK(check_file(shared, "semver.txt", VersionScheme::Semver) > 30);
}

TEST_CASE("PyPI versions order as Python's packaging orders them", "[vulndb][versions]") {
    CGUARD_REQUIRE_SHARED(shared);
    CHECK(check_file(shared, "pep440.txt", VersionScheme::Pep440) > 250);
}

namespace {

// apk-tools' test data also holds validity rows (`version`, `!version`), fuzzy operators
// (`~`, `<~`, `>~`, `!~`) and comparisons involving invalid versions, which apk-tools still
// orders but compare_versions() refuses.
std::string check_apk_row(const Row& row) {
    if (row.fields.size() == 1) {
        std::string v = row.fields[0];
        bool want_valid = v.empty() || v[0] != '!';
        if (!want_valid) {
            v.erase(0, 1);
        }
        bool valid = detail::apk_version_valid(v);
        auto refused = compare_versions(VersionScheme::Apk, v, "1.0");
        if (valid != want_valid || refused.has_value() != want_valid) {
            return describe(row) + " -> validity wrong";
        }
        return "";
    }
    if (row.fields.size() != 3) {
        return describe(row) + " -> not `A OP B`";
    }
    const std::string& a = row.fields[0];
    const std::string& op = row.fields[1];
    const std::string& b = row.fields[2];
    if (op.find('~') != std::string::npos) {
        int r = detail::apk_compare_unchecked(a, b, true);
        bool match = op == "~" ? r == 0 : op == "<~" ? r <= 0 : op == ">~" ? r >= 0 : r != 0;
        return match ? "" : describe(row) + " -> fuzzy got " + std::to_string(r);
    }
    if (detail::apk_version_valid(a) && detail::apk_version_valid(b)) {
        return check_ordered(VersionScheme::Apk, row);
    }
    auto refused = compare_versions(VersionScheme::Apk, a, b);
    if (refused || refused.error().code != cguard::ErrorCode::InvalidArgument) {
        return describe(row) + " -> an invalid version was compared";
    }
    int want = expected_sign(op);
    if (detail::sign(detail::apk_compare_unchecked(a, b, false)) != want ||
        detail::sign(detail::apk_compare_unchecked(b, a, false)) != -want) {
        return describe(row) + " -> apk-tools order differs";
    }
    return "";
}

}  // namespace

TEST_CASE("apk versions order, validate and fuzzy-match as apk-tools does", "[vulndb][versions]") {
    CGUARD_REQUIRE_SHARED(shared);
    auto rows = read_rows(shared + "/fixtures/versions/apk.txt");
    std::vector<std::string> failures;
    size_t validity_rows = 0;
    for (const auto& row : rows) {
        validity_rows += row.fields.size() == 1;
        if (auto failure = check_apk_row(row); !failure.empty()) {
            failures.push_back(failure);
        }
    }
    INFO(join(failures));
    CHECK(failures.empty());
    CHECK(rows.size() > 700);
    CHECK(validity_rows > 20);
}
