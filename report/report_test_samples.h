// Inputs shared by the report tests: a realistic Alpine 3.10 inventory with findings shaped like
// the ones the matcher produces, a hostile one whose strings come from a malicious image, and
// helpers to render and parse.
#pragma once

#include <rapidjson/document.h>

#include <catch2/catch.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "report/report.h"

namespace cguard::report::test {

inline scanner::Package apk(std::string name, std::string version, std::string origin,
                            std::string layer) {
    scanner::Package p;
    p.name = std::move(name);
    p.version = std::move(version);
    p.type = "apk";
    p.arch = "x86_64";
    p.source_name = std::move(origin);
    p.purl = "pkg:apk/alpine/" + p.name + "@" + p.version + "?arch=x86_64&distro=alpine-3.10.4";
    p.layer_digest = std::move(layer);
    p.location = "lib/apk/db/installed";
    return p;
}

inline scanner::ScanReport alpine_scan() {
    const std::string layer =
        "sha256:1b3ee35aacca9866b01dd96e870136266bde18006ac2f0d6eb706c798d1fa3c3";
    scanner::ScanReport scan;
    scan.artifact.name = "docker-archive:alpine-3.10.docker-save.tar.gz";
    scan.artifact.digest =
        "sha256:451eee8bedcb2f029756dc3e9d73bab0e7943c1ac55cff3a4861c52a0fdd3e98";
    scan.artifact.config_digest =
        "sha256:be4e4bea2c2e15b403bb321562e78ea84b501fb41497472e91ecb41504e8a27c";
    scan.artifact.layers = {layer};
    scan.os = {"alpine", "Alpine Linux", "3.10.4"};
    scan.packages = {apk("musl", "1.1.22-r2", "musl", layer),
                     apk("libcrypto1.1", "1.1.1d-r2", "openssl", layer),
                     apk("libssl1.1", "1.1.1d-r2", "openssl", layer),
                     apk("busybox", "1.30.1-r3", "busybox", layer)};

    // The same npm package vendored twice: same purl, two locations.
    for (const char* where :
         {"app/node_modules/lodash/package.json", "app/vendor/node_modules/lodash/package.json"}) {
        scanner::Package npm;
        npm.name = "lodash";
        npm.version = "4.17.15";
        npm.type = "npm";
        npm.purl = "pkg:npm/lodash@4.17.15";
        npm.layer_digest = layer;
        npm.location = where;
        scan.packages.push_back(npm);
    }
    scan.unowned_files = {{"usr/local/bin/helper", 18432,
                           "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
                           layer}};
    scan.warnings = {"layer 2: skipped entry with an absolute path"};
    return scan;
}

inline vulndb::Finding finding(std::string id, const scanner::Package& p, vulndb::Severity severity,
                               double score, std::string fixed) {
    vulndb::Finding f;
    f.id = std::move(id);
    f.package = p.name;
    f.package_type = p.type;
    f.installed_version = p.version;
    f.fixed_version = std::move(fixed);
    f.status = f.fixed_version.empty() ? "unfixed" : "fixed";
    f.severity = severity;
    f.cvss_score = score;
    f.layer_digest = p.layer_digest;
    f.purl = p.purl;
    f.location = p.location;
    return f;
}

inline std::vector<vulndb::Finding> alpine_findings(const scanner::ScanReport& scan) {
    using vulndb::Severity;
    std::vector<vulndb::Finding> findings;
    auto musl = finding("CVE-2019-14697", scan.packages[0], Severity::Critical, 9.8, "1.1.22-r3");
    musl.cvss_vector = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H";
    musl.title = "musl libc through 1.1.23 has an x87 floating-point stack adjustment imbalance";
    musl.references = {"https://www.openwall.com/lists/musl/2019/08/06/1"};
    findings.push_back(musl);

    // One advisory, two binary packages of one source: CycloneDX groups them.
    for (size_t i : {1, 2}) {
        auto ssl = finding("CVE-2020-1967", scan.packages[i], Severity::High, 7.5, "1.1.1g-r0");
        ssl.aliases = {"DSA-4661-1"};
        ssl.cvss_vector = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H";
        ssl.title = "Segmentation fault in SSL_check_chain";
        ssl.kev = true;
        findings.push_back(ssl);
    }
    auto lodash = finding("GHSA-p6mc-m468-83gw", scan.packages[4], Severity::High, -1, "4.17.19");
    lodash.aliases = {"CVE-2020-8203"};
    lodash.title = "Prototype Pollution in lodash";
    findings.push_back(lodash);
    findings.push_back(finding("CVE-2022-28391", scan.packages[3], Severity::Unknown, -1, ""));
    auto low = finding("CVE-2021-42374", scan.packages[3], Severity::Medium, 5.3, "1.30.1-r5");
    low.cvss_vector = "AV:L/AC:L/Au:N/C:N/I:N/A:P";
    findings.push_back(low);
    return findings;
}

// Strings a malicious image can plant: invalid UTF-8, terminal escapes (OSC retitle, clear
// screen, 8-bit CSI), quotes, backslashes, newlines and a bidi override.
inline const std::string kHostile =
    "evil\xff\xfe\"name\\\n\x1b]0;pwned\x07\x1b[2J\xc2\x9b"
    "31m\xe2\x80\xaetxt.exe\t\r\x7f\xc0\xaf";

inline scanner::ScanReport hostile_scan() {
    scanner::ScanReport scan = alpine_scan();
    scan.artifact.name = kHostile;
    scan.artifact.layers.push_back(kHostile);
    scan.os = {kHostile, kHostile, kHostile};
    for (auto& p : scan.packages) {
        p.name = kHostile + p.name;
        p.version = kHostile;
        p.source_name = kHostile;
        p.location = kHostile;
        p.purl = kHostile;
    }
    scan.unowned_files[0].path = kHostile;
    scan.warnings.push_back(kHostile);
    return scan;
}

inline std::vector<vulndb::Finding> hostile_findings(const scanner::ScanReport& scan) {
    std::vector<vulndb::Finding> findings = alpine_findings(scan);
    for (auto& f : findings) {
        f.id = kHostile;
        f.aliases.push_back(kHostile);
        f.title = kHostile;
        f.fixed_version = kHostile;
        f.cvss_vector = kHostile;
        f.references.push_back(kHostile);
        f.location = kHostile;
    }
    return findings;
}

inline constexpr const char* kCreated = "2024-05-01T12:00:00Z";

inline std::string render(Format format, const scanner::ScanReport& scan,
                          const std::vector<vulndb::Finding>* findings,
                          const std::string& created = kCreated) {
    ReportInput input;
    input.scan = &scan;
    input.findings = findings;
    input.tool_version = "0.1.0";
    input.created = created;
    std::ostringstream out;
    auto written = write(format, input, out);
    REQUIRE(written.has_value());
    return out.str();
}

// Parses strictly: any invalid UTF-8 in the document is a parse error.
inline rapidjson::Document parse_json(const std::string& text) {
    rapidjson::Document doc;
    doc.Parse<rapidjson::kParseValidateEncodingFlag>(text.data(), text.size());
    INFO("parse error code " << doc.GetParseError() << " at offset " << doc.GetErrorOffset());
    REQUIRE_FALSE(doc.HasParseError());
    return doc;
}

inline std::string str(const rapidjson::Value& v) {
    REQUIRE(v.IsString());
    return std::string(v.GetString(), v.GetStringLength());
}

}  // namespace cguard::report::test
