#include <map>
#include <regex>
#include <set>

#include "report/report_test_samples.h"

namespace cguard::report::test {
namespace {

using rapidjson::Value;

// SPDX 2.3 rules for what we emit: document fields, id syntax and uniqueness, mandatory package
// fields, and relationships that only name elements of this document.
std::vector<std::string> spdx_problems(const Value& doc) {
    std::vector<std::string> problems;
    auto expect = [&](bool ok, const std::string& problem) {
        if (!ok) {
            problems.push_back(problem);
        }
    };
    static const std::regex kId("^SPDXRef-[A-Za-z0-9.\\-]+$");
    static const std::regex kCreated("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ$");

    expect(str(doc["spdxVersion"]) == "SPDX-2.3", "spdxVersion");
    expect(str(doc["dataLicense"]) == "CC0-1.0", "dataLicense");
    expect(str(doc["SPDXID"]) == "SPDXRef-DOCUMENT", "document SPDXID");
    expect(!str(doc["name"]).empty(), "document name");
    std::string ns = str(doc["documentNamespace"]);
    expect(ns.starts_with("https://") && ns.find('#') == std::string::npos, "documentNamespace");
    expect(std::regex_match(str(doc["creationInfo"]["created"]), kCreated), "created format");
    expect(str(doc["creationInfo"]["creators"][0]).starts_with("Tool: "), "creators");

    std::set<std::string> ids = {"SPDXRef-DOCUMENT"};
    for (const auto& p : doc["packages"].GetArray()) {
        std::string id = str(p["SPDXID"]);
        expect(std::regex_match(id, kId), "bad SPDXID " + id);
        expect(ids.insert(id).second, "duplicate SPDXID " + id);
        expect(p.HasMember("name") && p["name"].IsString(), id + " has no name");
        expect(str(p["downloadLocation"]) == "NOASSERTION", id + " downloadLocation");
        if (!p.HasMember("externalRefs")) {
            continue;
        }
        for (const auto& ref : p["externalRefs"].GetArray()) {
            expect(str(ref["referenceCategory"]) == "PACKAGE-MANAGER", id + " ref category");
            expect(str(ref["referenceType"]) == "purl", id + " ref type");
        }
    }
    for (const auto& r : doc["relationships"].GetArray()) {
        expect(ids.count(str(r["spdxElementId"])) == 1, "relationship from unknown element");
        expect(ids.count(str(r["relatedSpdxElement"])) == 1, "relationship to unknown element");
    }
    return problems;
}

}  // namespace

TEST_CASE("the SPDX document passes the 2.3 structural checks", "[report]") {
    auto scan = alpine_scan();
    auto doc = parse_json(render(Format::Spdx, scan, nullptr));
    CHECK(spdx_problems(doc) == std::vector<std::string>{});

    // The checker itself can fail.
    doc["packages"][2]["SPDXID"].SetString("SPDXRef-Package with space");
    CHECK(spdx_problems(doc).size() == 2);  // bad id, and a relationship to an unknown element
}

TEST_CASE("the SPDX document describes the image, which contains the OS and packages", "[report]") {
    auto scan = alpine_scan();
    auto doc = parse_json(render(Format::Spdx, scan, nullptr));
    CHECK(str(doc["name"]) == scan.artifact.name);
    CHECK(str(doc["creationInfo"]["created"]) == kCreated);
    CHECK(str(doc["creationInfo"]["creators"][0]) == "Tool: cguard-0.1.0");

    const auto& packages = doc["packages"];
    REQUIRE(packages.Size() == scan.packages.size() + 2);
    const auto& image = packages[0];
    CHECK(str(image["primaryPackagePurpose"]) == "CONTAINER");
    CHECK(str(image["checksums"][0]["checksumValue"]) == scan.artifact.digest.substr(7));
    CHECK(str(packages[1]["primaryPackagePurpose"]) == "OPERATING-SYSTEM");

    const auto& musl = packages[2];
    CHECK(str(musl["SPDXID"]) == "SPDXRef-Package-apk-musl-1.1.22-r2");
    CHECK(str(musl["name"]) == "musl");
    CHECK(str(musl["versionInfo"]) == "1.1.22-r2");
    CHECK_FALSE(musl["filesAnalyzed"].GetBool());
    CHECK(str(musl["licenseConcluded"]) == "NOASSERTION");
    CHECK(str(musl["externalRefs"][0]["referenceLocator"]) == scan.packages[0].purl);

    // The two vendored lodash copies sanitise to the same id; the second gets a suffix.
    CHECK(str(packages[6]["SPDXID"]) == "SPDXRef-Package-npm-lodash-4.17.15");
    CHECK(str(packages[7]["SPDXID"]) == "SPDXRef-Package-npm-lodash-4.17.15-2");

    const auto& relationships = doc["relationships"];
    REQUIRE(relationships.Size() == scan.packages.size() + 2);
    CHECK(str(relationships[0]["spdxElementId"]) == "SPDXRef-DOCUMENT");
    CHECK(str(relationships[0]["relationshipType"]) == "DESCRIBES");
    CHECK(str(relationships[0]["relatedSpdxElement"]) == str(image["SPDXID"]));
    for (size_t i = 1; i < relationships.Size(); ++i) {
        CHECK(str(relationships[i]["spdxElementId"]) == str(image["SPDXID"]));
        CHECK(str(relationships[i]["relationshipType"]) == "CONTAINS");
        CHECK(str(relationships[i]["relatedSpdxElement"]) == str(packages[i]["SPDXID"]));
    }
}

TEST_CASE("SPDX ids stay legal and unique when package names are hostile", "[report]") {
    auto scan = hostile_scan();
    auto doc = parse_json(render(Format::Spdx, scan, nullptr));
    CHECK(spdx_problems(doc) == std::vector<std::string>{});
}

TEST_CASE("the SPDX namespace is unique per artifact and creation time", "[report]") {
    auto scan = alpine_scan();
    auto other = alpine_scan();
    other.artifact.digest =
        "sha256:0000000000000000000000000000000000000000000000000000000000000001";
    std::string a = str(parse_json(render(Format::Spdx, scan, nullptr))["documentNamespace"]);
    std::string b = str(parse_json(render(Format::Spdx, other, nullptr))["documentNamespace"]);
    std::string c = str(parse_json(
        render(Format::Spdx, scan, nullptr, "2025-01-01T00:00:00Z"))["documentNamespace"]);
    CHECK(a != b);
    CHECK(a != c);
    CHECK(a == str(parse_json(render(Format::Spdx, scan, nullptr))["documentNamespace"]));
}

}  // namespace cguard::report::test
