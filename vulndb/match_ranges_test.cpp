#include <catch2/catch.hpp>

#include "vulndb/detail/ranges.h"

using namespace cguard::vulndb;
using namespace cguard::vulndb::detail;

namespace {

VersionRange range(std::vector<RangeEvent> events, bool semver = true) {
    return VersionRange{semver, std::move(events)};
}

RangeVerdict eval(std::string_view v, const std::vector<VersionRange>& ranges,
                  const std::vector<std::string>& versions = {}) {
    return evaluate(VersionScheme::Semver, v, ranges, versions);
}

}  // namespace

TEST_CASE("introduced 0 with a fix affects every version before the fix", "[vulndb]") {
    std::vector<VersionRange> r = {
        range({{EventKind::Introduced, "0"}, {EventKind::Fixed, "1.2.0"}})};
    CHECK(eval("0.0.1", r).affected);
    CHECK(eval("1.1.9", r).affected);
    CHECK(eval("1.1.9", r).fixed == "1.2.0");
    CHECK_FALSE(eval("1.2.0", r).affected);
    CHECK_FALSE(eval("2.0.0", r).affected);
}

TEST_CASE("several introduced/fixed pairs leave gaps and name the right fix", "[vulndb]") {
    // Events deliberately out of order: evaluation sorts them.
    std::vector<VersionRange> r = {range({{EventKind::Fixed, "2.5.0"},
                                          {EventKind::Introduced, "2.0.0"},
                                          {EventKind::Introduced, "1.0.0"},
                                          {EventKind::Fixed, "1.5.0"}})};
    CHECK_FALSE(eval("0.9.0", r).affected);
    CHECK(eval("1.2.0", r).fixed == "1.5.0");
    CHECK_FALSE(eval("1.7.0", r).affected);
    CHECK(eval("2.2.0", r).affected);
    CHECK(eval("2.2.0", r).fixed == "2.5.0");
    CHECK_FALSE(eval("2.5.0", r).affected);
}

TEST_CASE("last_affected includes its own version and nothing after it", "[vulndb]") {
    std::vector<VersionRange> r = {
        range({{EventKind::Introduced, "1.0.0"}, {EventKind::LastAffected, "1.4.0"}})};
    CHECK(eval("1.4.0", r).affected);
    CHECK(eval("1.4.0", r).fixed.empty());
    CHECK_FALSE(eval("1.4.1", r).affected);
    CHECK_FALSE(eval("0.9.0", r).affected);
}

TEST_CASE("single-version ranges as Bitnami writes them affect exactly that version", "[vulndb]") {
    std::vector<VersionRange> r = {range({{EventKind::Introduced, "5.16.0"},
                                          {EventKind::LastAffected, "5.16.0"},
                                          {EventKind::Introduced, "5.16.1"},
                                          {EventKind::LastAffected, "5.16.1"}})};
    CHECK(eval("5.16.0", r).affected);
    CHECK(eval("5.16.1", r).affected);
    CHECK_FALSE(eval("5.16.2", r).affected);
    CHECK_FALSE(eval("5.15.9", r).affected);
}

TEST_CASE("a limit caps a range that has no fix", "[vulndb]") {
    std::vector<VersionRange> r = {
        range({{EventKind::Introduced, "1.0.0"}, {EventKind::Limit, "2.0.0"}})};
    CHECK(eval("1.5.0", r).affected);
    CHECK_FALSE(eval("2.0.0", r).affected);
    std::vector<VersionRange> star = {
        range({{EventKind::Introduced, "1.0.0"}, {EventKind::Limit, "*"}})};
    CHECK(eval("9.0.0", star).affected);
}

TEST_CASE("explicit versions lists match exactly, with or without ranges", "[vulndb]") {
    CHECK(eval("1.0.3", {}, {"1.0.1", "1.0.3"}).affected);
    CHECK_FALSE(eval("1.0.2", {}, {"1.0.1", "1.0.3"}).affected);
    std::vector<VersionRange> r = {
        range({{EventKind::Introduced, "2.0.0"}, {EventKind::Fixed, "2.1.0"}})};
    CHECK(eval("1.0.1", r, {"1.0.1"}).affected);
}

TEST_CASE("the lowest fix above the installed version wins across ranges", "[vulndb]") {
    std::vector<VersionRange> r = {
        range({{EventKind::Introduced, "0"}, {EventKind::Fixed, "1.9.0"}}),
        range({{EventKind::Introduced, "0"}, {EventKind::Fixed, "1.5.0"}})};
    CHECK(eval("1.0.0", r).fixed == "1.5.0");
    CHECK(eval("1.6.0", r).fixed == "1.9.0");
}

TEST_CASE("an unparsable installed or advisory version is reported, never matched", "[vulndb]") {
    std::vector<VersionRange> r = {
        range({{EventKind::Introduced, "0"}, {EventKind::Fixed, "1.2.0"}})};
    auto bad_installed = eval("not a version!", r);
    CHECK_FALSE(bad_installed.affected);
    CHECK_FALSE(bad_installed.error.empty());
    std::vector<VersionRange> bad_feed = {
        range({{EventKind::Introduced, "0"}, {EventKind::Fixed, "##"}})};
    auto verdict = eval("1.0.0", bad_feed);
    CHECK_FALSE(verdict.affected);
    CHECK_FALSE(verdict.error.empty());
}

TEST_CASE("ecosystem ranges use the ecosystem's own ordering", "[vulndb]") {
    std::vector<VersionRange> r = {
        range({{EventKind::Introduced, "0"}, {EventKind::Fixed, "1:102.9.0-1~deb11u1"}}, false)};
    CHECK(evaluate(VersionScheme::Dpkg, "1:102.8.0-1~deb11u1", r, {}).affected);
    CHECK_FALSE(evaluate(VersionScheme::Dpkg, "1:102.9.0-1", r, {}).affected);
    CHECK_FALSE(evaluate(VersionScheme::Dpkg, "2:1.0", r, {}).affected);
}

TEST_CASE("stored ranges round-trip through their compact encoding", "[vulndb]") {
    std::vector<VersionRange> r = {
        range({{EventKind::Introduced, "0"}, {EventKind::Fixed, "1.\"2"}}),
        range({{EventKind::LastAffected, "3"}, {EventKind::Limit, "4"}}, false)};
    std::vector<VersionRange> back;
    REQUIRE(decode_ranges(encode_ranges(r), back));
    REQUIRE(back.size() == 2);
    CHECK(back[0].semver);
    CHECK(back[0].events[1].version == "1.\"2");
    CHECK(back[1].events[1].kind == EventKind::Limit);
    CHECK_FALSE(back[1].semver);
    std::vector<VersionRange> junk;
    CHECK_FALSE(decode_ranges("[{\"e\": 3}]", junk));
}
