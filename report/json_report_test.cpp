#include <fstream>
#include <limits>
#include <set>
#include <sstream>

#include "report/report_test_samples.h"
#include "tests/test_support.h"

namespace cguard::report::test {
namespace {

std::vector<std::string> keys_of(const rapidjson::Value& object) {
    std::vector<std::string> keys;
    for (auto it = object.MemberBegin(); it != object.MemberEnd(); ++it) {
        keys.push_back(it->name.GetString());
    }
    return keys;
}

void collect_keys(const rapidjson::Value& v, std::set<std::string>& keys) {
    if (v.IsObject()) {
        for (auto it = v.MemberBegin(); it != v.MemberEnd(); ++it) {
            keys.insert(it->name.GetString());
            collect_keys(it->value, keys);
        }
    } else if (v.IsArray()) {
        for (const auto& item : v.GetArray()) {
            collect_keys(item, keys);
        }
    }
}

}  // namespace

TEST_CASE("every key the JSON report writes is documented in docs/report-json.md", "[report]") {
    auto scan = alpine_scan();
    auto findings = alpine_findings(scan);
    std::set<std::string> keys;
    collect_keys(parse_json(render(Format::Json, scan, &findings)), keys);
    std::string doc = cguard::test::read_file(cguard::test::source_dir() + "/docs/report-json.md");
    REQUIRE_FALSE(doc.empty());
    for (const auto& key : keys) {
        INFO("key " << key);
        CHECK(doc.find("`" + key + "`") != std::string::npos);
    }
}

TEST_CASE("the JSON report carries the inventory in the documented key order", "[report]") {
    auto scan = alpine_scan();
    auto doc = parse_json(render(Format::Json, scan, nullptr));

    CHECK(keys_of(doc) == std::vector<std::string>{"schema_version", "tool", "created", "artifact",
                                                   "os", "packages", "unowned_files", "warnings"});
    CHECK(str(doc["schema_version"]) == "1");
    CHECK(str(doc["tool"]["name"]) == "cguard");
    CHECK(str(doc["tool"]["version"]) == "0.1.0");
    CHECK(str(doc["created"]) == kCreated);
    CHECK(str(doc["artifact"]["digest"]) == scan.artifact.digest);
    CHECK(str(doc["artifact"]["config_digest"]) == scan.artifact.config_digest);
    CHECK(str(doc["artifact"]["layers"][0]) == scan.artifact.layers[0]);
    CHECK(str(doc["os"]["family"]) == "alpine");
    CHECK(str(doc["os"]["version"]) == "3.10.4");

    const auto& packages = doc["packages"];
    REQUIRE(packages.Size() == scan.packages.size());
    CHECK(keys_of(packages[1]) == std::vector<std::string>{"name", "version", "type", "arch",
                                                           "source_name", "source_version", "purl",
                                                           "layer_digest", "location"});
    CHECK(str(packages[1]["name"]) == "libcrypto1.1");
    CHECK(str(packages[1]["source_name"]) == "openssl");
    CHECK(str(packages[1]["purl"]) == scan.packages[1].purl);

    const auto& unowned = doc["unowned_files"][0];
    CHECK(str(unowned["path"]) == "usr/local/bin/helper");
    CHECK(unowned["size"].GetUint64() == 18432);
    CHECK(str(doc["warnings"][0]) == scan.warnings[0]);
}

TEST_CASE("the JSON report adds vulnerabilities and a summary only when findings are given",
          "[report]") {
    auto scan = alpine_scan();
    auto findings = alpine_findings(scan);
    auto doc = parse_json(render(Format::Json, scan, &findings));

    const auto& vulns = doc["vulnerabilities"];
    REQUIRE(vulns.Size() == findings.size());
    CHECK(str(vulns[0]["id"]) == "CVE-2019-14697");
    CHECK(str(vulns[0]["severity"]) == "CRITICAL");
    CHECK(vulns[0]["cvss_score"].GetDouble() == Approx(9.8));
    CHECK(str(vulns[1]["aliases"][0]) == "DSA-4661-1");
    CHECK(vulns[1]["kev"].GetBool());
    CHECK(vulns[3]["cvss_score"].IsNull());
    CHECK(str(vulns[4]["status"]) == "unfixed");
    CHECK(str(vulns[4]["fixed_version"]).empty());

    const auto& summary = doc["summary"];
    CHECK(summary["total"].GetUint() == 6);
    CHECK(summary["CRITICAL"].GetUint() == 1);
    CHECK(summary["HIGH"].GetUint() == 3);
    CHECK(summary["MEDIUM"].GetUint() == 1);
    CHECK(summary["LOW"].GetUint() == 0);
    CHECK(summary["UNKNOWN"].GetUint() == 1);
    CHECK(summary["kev"].GetUint() == 2);
    CHECK(summary["fixable"].GetUint() == 5);

    std::vector<vulndb::Finding> none;
    auto empty = parse_json(render(Format::Json, scan, &none));
    CHECK(empty["vulnerabilities"].Size() == 0);
    CHECK(empty["summary"]["total"].GetUint() == 0);
    CHECK_FALSE(parse_json(render(Format::Json, scan, nullptr)).HasMember("summary"));
}

TEST_CASE("hostile image strings give valid UTF-8 JSON in every JSON format", "[report]") {
    auto scan = hostile_scan();
    auto findings = hostile_findings(scan);
    for (Format format : {Format::Json, Format::CycloneDx, Format::Spdx, Format::Sarif}) {
        std::string text = render(format, scan, &findings);
        INFO("format " << static_cast<int>(format));
        auto doc = parse_json(text);
        CHECK(doc.IsObject());
        // Raw control bytes never reach the document: they are escaped.
        CHECK(text.find('\x1b') == std::string::npos);
        CHECK(text.find('\x07') == std::string::npos);
    }

    auto doc = parse_json(render(Format::Json, scan, &findings));
    std::string name = str(doc["artifact"]["name"]);
    CHECK(name.find("\xef\xbf\xbd") != std::string::npos);            // bad bytes became U+FFFD
    CHECK(name.find("\"name\\\n\x1b]0;pwned") != std::string::npos);  // the rest round-trips
}

TEST_CASE("odd finding values (NaN score, out-of-range severity) still give valid documents",
          "[report]") {
    auto scan = alpine_scan();
    auto findings = alpine_findings(scan);
    findings[0].cvss_score = std::numeric_limits<double>::quiet_NaN();
    findings[1].cvss_score = std::numeric_limits<double>::infinity();
    findings[2].severity = static_cast<vulndb::Severity>(42);

    auto json_doc = parse_json(render(Format::Json, scan, &findings));
    CHECK(json_doc["vulnerabilities"][0]["cvss_score"].IsNull());
    CHECK(json_doc["vulnerabilities"][1]["cvss_score"].IsNull());
    CHECK(str(json_doc["vulnerabilities"][2]["severity"]) == "UNKNOWN");
    CHECK(json_doc["summary"]["UNKNOWN"].GetUint() == 2);

    auto sarif = parse_json(render(Format::Sarif, scan, &findings));
    const auto& rules = sarif["runs"][0]["tool"]["driver"]["rules"];
    CHECK(str(rules[0]["properties"]["security-severity"]) == "9.5");  // CRITICAL band
    CHECK(str(sarif["runs"][0]["results"][2]["level"]) == "note");

    auto bom = parse_json(render(Format::CycloneDx, scan, &findings));
    CHECK_FALSE(bom["vulnerabilities"][0]["ratings"][0].HasMember("score"));
    for (const auto& rating : bom["vulnerabilities"][1]["ratings"].GetArray()) {
        CHECK((!rating.HasMember("score") || rating["score"].IsNumber()));
    }
    CHECK(render(Format::Table, scan, &findings).find("UNKNOWN: 2)") != std::string::npos);
}

TEST_CASE("the same input gives byte-identical output in every format", "[report]") {
    auto scan = alpine_scan();
    auto findings = alpine_findings(scan);
    for (Format format :
         {Format::Table, Format::Json, Format::CycloneDx, Format::Spdx, Format::Sarif}) {
        INFO("format " << static_cast<int>(format));
        CHECK(render(format, scan, &findings) == render(format, scan, &findings));
    }
}

TEST_CASE("a missing creation time is filled with the current UTC time", "[report]") {
    auto scan = alpine_scan();
    auto doc = parse_json(render(Format::Json, scan, nullptr, ""));
    std::string created = str(doc["created"]);
    REQUIRE(created.size() == 20);
    CHECK(created[4] == '-');
    CHECK(created[10] == 'T');
    CHECK(created.back() == 'Z');
    CHECK(created >= "2024-01-01T00:00:00Z");
}

TEST_CASE("write reports a failing stream as an Io error", "[report]") {
    auto scan = alpine_scan();
    ReportInput input;
    input.scan = &scan;
    input.created = kCreated;

    SECTION("a stream already in a failed state") {
        std::ostringstream out;
        out.setstate(std::ios::badbit);
        auto written = write(Format::Json, input, out);
        REQUIRE_FALSE(written.has_value());
        CHECK(written.error().code == ErrorCode::Io);
    }
    SECTION("a device that is full") {
        std::ofstream full("/dev/full");
        if (!full.is_open()) {
            WARN("skipped: /dev/full is not available here");
            return;
        }
        auto written = write(Format::Json, input, full);
        REQUIRE_FALSE(written.has_value());
        CHECK(written.error().code == ErrorCode::Io);
    }
}

TEST_CASE("write refuses an input without a scan", "[report]") {
    ReportInput input;
    std::ostringstream out;
    auto written = write(Format::Table, input, out);
    REQUIRE_FALSE(written.has_value());
    CHECK(written.error().code == ErrorCode::InvalidArgument);
    CHECK(out.str().empty());
}

TEST_CASE("parse_format knows every format name and rejects others", "[report]") {
    CHECK(*parse_format("table") == Format::Table);
    CHECK(*parse_format("json") == Format::Json);
    CHECK(*parse_format("cyclonedx") == Format::CycloneDx);
    CHECK(*parse_format("spdx") == Format::Spdx);
    CHECK(*parse_format("sarif") == Format::Sarif);
    auto unknown = parse_format("xml");
    REQUIRE_FALSE(unknown.has_value());
    CHECK(unknown.error().code == ErrorCode::InvalidArgument);
}

}  // namespace cguard::report::test
