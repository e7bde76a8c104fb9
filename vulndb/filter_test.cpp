#include <catch2/catch.hpp>

#include "tests/test_support.h"
#include "vulndb/vulndb.h"

using namespace cguard;
using namespace cguard::vulndb;

namespace {

Finding finding(std::string id, Severity severity, std::string fixed,
                std::vector<std::string> aliases = {}) {
    Finding f;
    f.id = std::move(id);
    f.severity = severity;
    f.fixed_version = std::move(fixed);
    f.status = f.fixed_version.empty() ? "unfixed" : "fixed";
    f.aliases = std::move(aliases);
    return f;
}

std::vector<Finding> sample() {
    return {finding("CVE-1", Severity::Critical, "1.1"), finding("CVE-2", Severity::Low, ""),
            finding("CVE-3", Severity::High, "2.0", {"GHSA-3"}),
            finding("CVE-4", Severity::Unknown, "")};
}

}  // namespace

TEST_CASE("keeps only the requested severities", "[vulndb]") {
    FilterOptions options;
    options.severities = {Severity::Critical, Severity::High};
    auto result = apply_filters(sample(), options);
    REQUIRE(result.kept.size() == 2);
    CHECK(result.kept[0].id == "CVE-1");
    CHECK(result.kept[1].id == "CVE-3");
}

TEST_CASE("drops unfixed findings when asked", "[vulndb]") {
    FilterOptions options;
    options.ignore_unfixed = true;
    auto result = apply_filters(sample(), options);
    CHECK(result.kept.size() == 2);
    CHECK(apply_filters(sample(), {}).kept.size() == 4);
}

TEST_CASE("ignore entries silence by id or alias until they expire", "[vulndb]") {
    FilterOptions options;
    options.today = "2026-03-01";
    options.ignores = {{"GHSA-3", "vendor says unreachable", "2026-03-01"},
                       {"CVE-1", "old waiver", "2026-02-28"},
                       {"CVE-2", "", ""}};
    auto result = apply_filters(sample(), options);
    CHECK(result.ignored == 2);
    REQUIRE(result.kept.size() == 2);
    CHECK(result.kept[0].id == "CVE-1");
    REQUIRE(result.notes.size() == 1);
    CHECK(result.notes[0].find("CVE-1") != std::string::npos);
    CHECK(result.notes[0].find("2026-02-28") != std::string::npos);
}

TEST_CASE("loads an ignore file with expiries and reasons", "[vulndb]") {
    test::TempDir dir;
    std::string path = dir.path() + "/ignore.txt";
    test::write_file(path,
                     "# waivers\n\nCVE-2023-1 expires=2026-01-31 # not reachable\n"
                     "  GHSA-abcd-efgh-ijkl\nCVE-2023-2 #reason only\n");
    auto entries = load_ignore_file(path);
    REQUIRE(entries);
    REQUIRE(entries->size() == 3);
    CHECK((*entries)[0].id == "CVE-2023-1");
    CHECK((*entries)[0].expires == "2026-01-31");
    CHECK((*entries)[0].reason == "not reachable");
    CHECK((*entries)[1].expires.empty());
    CHECK((*entries)[2].reason == "reason only");
}

TEST_CASE("rejects malformed ignore files, naming the line", "[vulndb]") {
    test::TempDir dir;
    std::string path = dir.path() + "/ignore.txt";
    for (const char* bad : {"CVE-1 expires=2026-13-01\n", "CVE-1 expires=tomorrow\n",
                            "ok\nCVE-1 until=2026-01-01\n"}) {
        test::write_file(path, bad);
        auto entries = load_ignore_file(path);
        REQUIRE_FALSE(entries);
        CHECK(entries.error().code == ErrorCode::InvalidArgument);
        CHECK(entries.error().message.find(":") != std::string::npos);
    }
    auto missing = load_ignore_file(dir.path() + "/none");
    REQUIRE_FALSE(missing);
    CHECK(missing.error().code == ErrorCode::NotFound);
}
