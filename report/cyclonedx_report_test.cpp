#include <regex>
#include <set>

#include "report/report_test_samples.h"

namespace cguard::report::test {
namespace {

using rapidjson::Value;

// The checks CycloneDX 1.5's JSON schema makes on what we emit (required fields, enums,
// patterns), plus the BOM-wide rule that bom-refs are unique and every `affects.ref` names one.
class CycloneDxChecker {
public:
    std::vector<std::string> check(const Value& bom) {
        require_string(bom, "bomFormat", "CycloneDX", "bom");
        require_string(bom, "specVersion", "1.5", "bom");
        static const std::regex kSerial(
            "^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
        expect(bom.HasMember("serialNumber") && bom["serialNumber"].IsString() &&
                   std::regex_match(bom["serialNumber"].GetString(), kSerial),
               "serialNumber does not match the urn:uuid pattern");
        expect(bom.HasMember("version") && bom["version"].IsInt() && bom["version"].GetInt() >= 1,
               "version must be an integer >= 1");
        check_metadata(bom);
        if (bom.HasMember("components")) {
            for (const auto& c : bom["components"].GetArray()) {
                check_component(c, "components[]");
            }
        }
        if (bom.HasMember("vulnerabilities")) {
            for (const auto& v : bom["vulnerabilities"].GetArray()) {
                check_vulnerability(v);
            }
        }
        return problems_;
    }

private:
    void expect(bool ok, const std::string& problem) {
        if (!ok) {
            problems_.push_back(problem);
        }
    }

    void require_string(const Value& v, const char* key, const char* exact, const std::string& at) {
        bool ok = v.IsObject() && v.HasMember(key) && v[key].IsString() &&
                  (exact == nullptr || std::string(v[key].GetString()) == exact);
        expect(ok, at + "." + key + " missing or wrong");
    }

    void check_metadata(const Value& bom) {
        if (!bom.HasMember("metadata")) {
            return;
        }
        const Value& m = bom["metadata"];
        static const std::regex kDateTime("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z$");
        expect(m["timestamp"].IsString() && std::regex_match(m["timestamp"].GetString(), kDateTime),
               "metadata.timestamp is not a date-time");
        for (const auto& tool : m["tools"]["components"].GetArray()) {
            check_component(tool, "metadata.tools.components[]");
        }
        check_component(m["component"], "metadata.component");
    }

    void check_component(const Value& c, const std::string& at) {
        static const std::set<std::string> kTypes = {"application",
                                                     "framework",
                                                     "library",
                                                     "container",
                                                     "platform",
                                                     "operating-system",
                                                     "device",
                                                     "device-driver",
                                                     "firmware",
                                                     "file",
                                                     "machine-learning-model",
                                                     "data"};
        require_string(c, "type", nullptr, at);
        require_string(c, "name", nullptr, at);
        expect(c.HasMember("type") && kTypes.count(c["type"].GetString()) == 1,
               at + ".type not in the 1.5 enum");
        if (c.HasMember("bom-ref")) {
            expect(refs_.insert(c["bom-ref"].GetString()).second,
                   std::string("duplicate bom-ref ") + c["bom-ref"].GetString());
        }
        if (c.HasMember("purl")) {
            expect(std::string(c["purl"].GetString()).starts_with("pkg:"), at + ".purl not a purl");
        }
        if (c.HasMember("properties")) {
            for (const auto& p : c["properties"].GetArray()) {
                require_string(p, "name", nullptr, at + ".properties[]");
                require_string(p, "value", nullptr, at + ".properties[]");
            }
        }
    }

    void check_vulnerability(const Value& v) {
        static const std::set<std::string> kSeverities = {"critical", "high", "medium", "low",
                                                          "info",     "none", "unknown"};
        static const std::set<std::string> kMethods = {"CVSSv2", "CVSSv3", "CVSSv31", "CVSSv4",
                                                       "OWASP",  "SSVC",   "other"};
        require_string(v, "id", nullptr, "vulnerability");
        for (const auto& r : v["ratings"].GetArray()) {
            expect(!r.HasMember("score") || r["score"].IsNumber(), "rating score not a number");
            expect(kSeverities.count(r["severity"].GetString()) == 1,
                   "rating severity not in enum");
            expect(!r.HasMember("method") || kMethods.count(r["method"].GetString()) == 1,
                   "rating method not in enum");
        }
        for (const auto& ref : v["references"].GetArray()) {
            require_string(ref, "id", nullptr, "vulnerability.references[]");
            require_string(ref["source"], "name", nullptr, "vulnerability.references[].source");
        }
        for (const auto& a : v["advisories"].GetArray()) {
            require_string(a, "url", nullptr, "vulnerability.advisories[]");
        }
        expect(v["affects"].Size() > 0, "vulnerability without affects");
        for (const auto& a : v["affects"].GetArray()) {
            require_string(a, "ref", nullptr, "vulnerability.affects[]");
            expect(refs_.count(a["ref"].GetString()) == 1,
                   std::string("affects.ref names no component: ") + a["ref"].GetString());
            for (const auto& version : a["versions"].GetArray()) {
                require_string(version, "status", "affected", "affects[].versions[]");
            }
        }
    }

    std::set<std::string> refs_;
    std::vector<std::string> problems_;
};

const Value& component_named(const Value& bom, const std::string& name, size_t nth = 0) {
    for (const auto& c : bom["components"].GetArray()) {
        if (str(c["name"]) == name && nth-- == 0) {
            return c;
        }
    }
    FAIL("no component " << name);
    return bom;
}

std::string property(const Value& c, const std::string& name) {
    for (const auto& p : c["properties"].GetArray()) {
        if (str(p["name"]) == name) {
            return str(p["value"]);
        }
    }
    return "<absent>";
}

}  // namespace

TEST_CASE("the CycloneDX BOM passes the 1.5 structural checks", "[report]") {
    auto scan = alpine_scan();
    auto findings = alpine_findings(scan);
    auto bom = parse_json(render(Format::CycloneDx, scan, &findings));
    CHECK(CycloneDxChecker().check(bom) == std::vector<std::string>{});

    auto inventory = parse_json(render(Format::CycloneDx, scan, nullptr));
    CHECK(CycloneDxChecker().check(inventory) == std::vector<std::string>{});
    CHECK_FALSE(inventory.HasMember("vulnerabilities"));
}

TEST_CASE("the CycloneDX checker catches a broken BOM", "[report]") {
    auto scan = alpine_scan();
    auto findings = alpine_findings(scan);
    auto bom = parse_json(render(Format::CycloneDx, scan, &findings));
    bom["components"][1].RemoveMember("name");
    bom["vulnerabilities"][0]["affects"][0]["ref"].SetString("pkg:apk/alpine/nothing");
    bom["serialNumber"].SetString("urn:uuid:not-a-uuid");
    CHECK(CycloneDxChecker().check(bom).size() == 3);
}

TEST_CASE("the CycloneDX BOM describes the image, its OS and its packages", "[report]") {
    auto scan = alpine_scan();
    auto bom = parse_json(render(Format::CycloneDx, scan, nullptr));

    const auto& image = bom["metadata"]["component"];
    CHECK(str(image["type"]) == "container");
    CHECK(str(image["name"]) == scan.artifact.name);
    CHECK(str(image["hashes"][0]["content"]) == scan.artifact.digest.substr(7));
    CHECK(str(bom["metadata"]["timestamp"]) == kCreated);
    CHECK(str(bom["metadata"]["tools"]["components"][0]["name"]) == "cguard");

    CHECK(str(bom["components"][0]["type"]) == "operating-system");
    CHECK(str(bom["components"][0]["name"]) == "alpine");
    CHECK(str(bom["components"][0]["version"]) == "3.10.4");
    REQUIRE(bom["components"].Size() == scan.packages.size() + 1);

    const auto& ssl = component_named(bom, "libssl1.1");
    CHECK(str(ssl["type"]) == "library");
    CHECK(str(ssl["bom-ref"]) == scan.packages[2].purl);
    CHECK(str(ssl["purl"]) == scan.packages[2].purl);
    CHECK(property(ssl, "cguard:source_name") == "openssl");
    CHECK(property(ssl, "cguard:location") == "lib/apk/db/installed");
    CHECK(property(ssl, "cguard:layer_digest") == scan.packages[2].layer_digest);

    // The vendored duplicate keeps its purl but gets its own bom-ref.
    CHECK(str(component_named(bom, "lodash", 0)["bom-ref"]) == "pkg:npm/lodash@4.17.15");
    CHECK(str(component_named(bom, "lodash", 1)["bom-ref"]) == "pkg:npm/lodash@4.17.15|2");
}

TEST_CASE("CycloneDX vulnerabilities group findings by id and point at their components",
          "[report]") {
    auto scan = alpine_scan();
    auto findings = alpine_findings(scan);
    auto bom = parse_json(render(Format::CycloneDx, scan, &findings));
    const auto& vulns = bom["vulnerabilities"];
    REQUIRE(vulns.Size() == 5);  // six findings, CVE-2020-1967 twice

    const auto& musl = vulns[0];
    CHECK(str(musl["id"]) == "CVE-2019-14697");
    CHECK(str(musl["source"]["name"]) == "NVD");
    CHECK(musl["ratings"][0]["score"].GetDouble() == Approx(9.8));
    CHECK(str(musl["ratings"][0]["severity"]) == "critical");
    CHECK(str(musl["ratings"][0]["method"]) == "CVSSv31");
    CHECK(str(musl["affects"][0]["ref"]) == scan.packages[0].purl);
    CHECK(str(musl["affects"][0]["versions"][0]["version"]) == "1.1.22-r2");
    CHECK(str(musl["recommendation"]) == "upgrade musl to 1.1.22-r3");

    const auto& ssl = vulns[1];
    CHECK(str(ssl["id"]) == "CVE-2020-1967");
    REQUIRE(ssl["affects"].Size() == 2);
    CHECK(str(ssl["affects"][0]["ref"]) == scan.packages[1].purl);
    CHECK(str(ssl["affects"][1]["ref"]) == scan.packages[2].purl);
    CHECK(ssl["ratings"].Size() == 1);
    CHECK(str(ssl["references"][0]["id"]) == "DSA-4661-1");
    CHECK(str(ssl["properties"][0]["name"]) == "cguard:kev");
    CHECK(str(ssl["properties"][0]["value"]) == "true");

    const auto& lodash = vulns[2];
    CHECK(str(lodash["source"]["name"]) == "GitHub");
    CHECK_FALSE(lodash["ratings"][0].HasMember("score"));
    CHECK(str(lodash["ratings"][0]["severity"]) == "high");
    CHECK(str(lodash["properties"][0]["value"]) == "false");

    CHECK_FALSE(vulns[3].HasMember("recommendation"));  // unfixed
    CHECK(str(vulns[4]["ratings"][0]["method"]) == "CVSSv2");
}

TEST_CASE("the CycloneDX serial number is reproducible and changes with the creation time",
          "[report]") {
    auto scan = alpine_scan();
    auto first = parse_json(render(Format::CycloneDx, scan, nullptr));
    auto again = parse_json(render(Format::CycloneDx, scan, nullptr));
    auto later = parse_json(render(Format::CycloneDx, scan, nullptr, "2024-05-01T12:00:01Z"));
    CHECK(str(first["serialNumber"]) == str(again["serialNumber"]));
    CHECK(str(first["serialNumber"]) != str(later["serialNumber"]));
}

TEST_CASE("a hostile image still gives a structurally valid CycloneDX BOM", "[report]") {
    auto scan = hostile_scan();
    auto findings = hostile_findings(scan);
    auto bom = parse_json(render(Format::CycloneDx, scan, &findings));
    // The only complaint left is ours to make: the image planted purls that are not purls.
    auto problems = CycloneDxChecker().check(bom);
    CHECK(problems.size() == scan.packages.size());
    for (const auto& problem : problems) {
        CHECK(problem == "components[].purl not a purl");
    }
    for (const auto& c : bom["components"].GetArray()) {
        CHECK(str(c["name"]).find("\xef\xbf\xbd") != std::string::npos);
    }
}

}  // namespace cguard::report::test
