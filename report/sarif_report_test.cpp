#include <cstdlib>
#include <map>
#include <set>

#include "report/report_test_samples.h"

namespace cguard::report::test {
namespace {

using rapidjson::Value;

const Value& run_of(const Value& log) {
    REQUIRE(log["runs"].Size() == 1);
    return log["runs"][0];
}

}  // namespace

TEST_CASE("the SARIF log has one rule per advisory and one result per finding", "[report]") {
    auto scan = alpine_scan();
    auto findings = alpine_findings(scan);
    auto log = parse_json(render(Format::Sarif, scan, &findings));
    CHECK(str(log["version"]) == "2.1.0");
    CHECK(str(log["$schema"]).find("sarif-schema-2.1.0.json") != std::string::npos);

    const Value& run = run_of(log);
    const Value& driver = run["tool"]["driver"];
    CHECK(str(driver["name"]) == "cguard");
    CHECK(str(driver["version"]) == "0.1.0");
    CHECK(str(driver["informationUri"]).starts_with("https://"));

    const Value& rules = driver["rules"];
    const Value& results = run["results"];
    REQUIRE(rules.Size() == 5);
    REQUIRE(results.Size() == findings.size());
    std::set<std::string> rule_ids;
    for (const auto& rule : rules.GetArray()) {
        CHECK(rule_ids.insert(str(rule["id"])).second);
        CHECK(!str(rule["shortDescription"]["text"]).empty());
        CHECK(str(rule["helpUri"]).starts_with("https://"));
        char* end = nullptr;
        std::string score = str(rule["properties"]["security-severity"]);
        double value = std::strtod(score.c_str(), &end);
        CHECK(*end == '\0');
        CHECK((value >= 0 && value <= 10));
    }
    for (const auto& result : results.GetArray()) {
        const Value& rule = rules[result["ruleIndex"].GetUint()];
        CHECK(str(rule["id"]) == str(result["ruleId"]));
    }
}

TEST_CASE("SARIF results carry level, message and location from the finding", "[report]") {
    auto scan = alpine_scan();
    auto findings = alpine_findings(scan);
    auto log = parse_json(render(Format::Sarif, scan, &findings));
    const Value& run = run_of(log);
    const Value& results = run["results"];
    const Value& rules = run["tool"]["driver"]["rules"];

    CHECK(str(results[0]["level"]) == "error");    // CRITICAL
    CHECK(str(results[1]["level"]) == "error");    // HIGH
    CHECK(str(results[4]["level"]) == "note");     // UNKNOWN
    CHECK(str(results[5]["level"]) == "warning");  // MEDIUM
    CHECK(str(results[0]["message"]["text"]) ==
          "musl 1.1.22-r2 is affected by CVE-2019-14697, fixed in 1.1.22-r3");
    CHECK(str(results[4]["message"]["text"]) ==
          "busybox 1.30.1-r3 is affected by CVE-2022-28391, no fixed version is available");
    CHECK(str(results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]) ==
          "lib/apk/db/installed");
    CHECK(str(results[1]["properties"]["purl"]) == scan.packages[1].purl);
    CHECK(results[1]["properties"]["kev"].GetBool());

    CHECK(str(rules[0]["properties"]["security-severity"]) == "9.8");
    CHECK(str(rules[2]["properties"]["security-severity"]) == "8.0");  // HIGH without CVSS
    CHECK(str(rules[0]["helpUri"]) == "https://nvd.nist.gov/vuln/detail/CVE-2019-14697");
    CHECK(str(rules[0]["properties"]["tags"][2]) == "CRITICAL");
}

TEST_CASE("SARIF uris are percent-encoded and fall back to the artifact name", "[report]") {
    auto scan = alpine_scan();
    auto findings = alpine_findings(scan);
    findings[0].location.clear();
    findings[1].location = "opt/my app/bin\x1b[2J";
    auto log = parse_json(render(Format::Sarif, scan, &findings));
    const Value& results = run_of(log)["results"];
    auto uri = [&](size_t i) {
        return str(results[i]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]);
    };
    CHECK(uri(0) == "docker-archive%3Aalpine-3.10.docker-save.tar.gz");
    CHECK(uri(1) == "opt/my%20app/bin%1B%5B2J");
}

TEST_CASE("an inventory-only SARIF log is valid and has no results", "[report]") {
    auto scan = alpine_scan();
    auto log = parse_json(render(Format::Sarif, scan, nullptr));
    CHECK(run_of(log)["results"].Size() == 0);
    CHECK(run_of(log)["tool"]["driver"]["rules"].Size() == 0);
}

}  // namespace cguard::report::test
