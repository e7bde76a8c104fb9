#include <catch2/catch.hpp>

#include "vulndb/detail/osv.h"

using namespace cguard;
using namespace cguard::vulndb::detail;

TEST_CASE("parses the fields of an OSV record the database keeps", "[vulndb]") {
    auto record = parse_osv_record(R"({
      "id": "GHSA-xxxx", "summary": "bad", "details": "long text",
      "aliases": ["CVE-2020-1"], "upstream": ["CVE-2020-2"], "related": ["CVE-2020-3"],
      "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
      "database_specific": {"severity": "MODERATE"},
      "references": [{"type": "WEB", "url": "https://example.org/a"}, {"type": "WEB"}],
      "affected": [{"package": {"ecosystem": "PyPI", "name": "Foo_Bar"},
                    "ranges": [{"type": "GIT", "events": [{"introduced": "abc"}]},
                               {"type": "ECOSYSTEM", "events": [{"introduced": "0"},
                                                                 {"fixed": "1.2"}]},
                               {"type": "SEMVER", "events": [{"introduced": "2.0.0"},
                                                              {"last_affected": "2.1.0"},
                                                              {"limit": "3.0.0"}]}],
                    "versions": ["1.0", "1.1"]}]})");
    REQUIRE(record);
    CHECK(record->id == "GHSA-xxxx");
    CHECK(record->aliases == std::vector<std::string>{"CVE-2020-1", "CVE-2020-2"});
    CHECK(record->related == std::vector<std::string>{"CVE-2020-3"});
    CHECK(record->references == std::vector<std::string>{"https://example.org/a"});
    CHECK(record->cvss_score == Approx(9.8));
    CHECK(record->severity == "MODERATE");
    REQUIRE(record->affected.size() == 1);
    const auto& affected = record->affected[0];
    CHECK(affected.name == "Foo_Bar");
    REQUIRE(affected.ranges.size() == 2);  // the GIT range is dropped
    CHECK_FALSE(affected.ranges[0].semver);
    CHECK(affected.ranges[1].semver);
    CHECK(affected.ranges[1].events[2].kind == EventKind::Limit);
    CHECK(affected.versions.size() == 2);
}

TEST_CASE("rejects OSV input that is not a record with an id", "[vulndb]") {
    for (const char* bad :
         {"", "{", "[]", "42", "{\"summary\": \"x\"}", "{\"id\": 7}", "{\"id\": \"A\"} trailing"}) {
        auto record = parse_osv_record(bad);
        REQUIRE_FALSE(record);
        CHECK(record.error().code == ErrorCode::Corrupt);
    }
}

TEST_CASE("tolerates wrong types inside an OSV record", "[vulndb]") {
    auto record = parse_osv_record(R"({"id": "X", "aliases": "CVE-1", "affected": [7, {"package":
        {"ecosystem": 1, "name": null}, "ranges": [{"type": "ECOSYSTEM", "events": [3, {}]}],
        "versions": [1, "2"]}], "severity": {"type": "CVSS_V3"}, "withdrawn": "2020-01-01"})");
    REQUIRE(record);
    CHECK(record->withdrawn);
    CHECK(record->aliases.empty());
    REQUIRE(record->affected.size() == 1);
    CHECK(record->affected[0].ranges.empty());
    CHECK(record->affected[0].versions == std::vector<std::string>{"2"});
}

TEST_CASE("survives deeply nested JSON without exhausting the stack", "[vulndb]") {
    std::string nested = std::string(200000, '[') + std::string(200000, ']');
    auto record = parse_osv_record("{\"id\": \"X\", \"details\": " + nested + "}");
    REQUIRE(record);
    CHECK(record->details.empty());
    CHECK_FALSE(parse_osv_record("{\"id\": \"X\", \"a\": " + std::string(200000, '[') + "}"));
}
