// Helpers that more than one report format needs: severity counts, the document UUID, advisory
// links and the clock.
#include <cstdio>
#include <ctime>

#include "common/clock.h"
#include "common/sha256.h"
#include "report/detail/writers.h"

namespace cguard::report::detail {
namespace {

int hex_value(char c) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    return c - 'a' + 10;
}

}  // namespace

SeverityCounts count_findings(const std::vector<vulndb::Finding>& findings) {
    SeverityCounts counts;
    for (const auto& finding : findings) {
        auto index = static_cast<size_t>(finding.severity);
        if (index >= counts.by_severity.size()) {
            index = 0;
        }
        ++counts.by_severity[index];
        ++counts.total;
        counts.kev += finding.kev ? 1 : 0;
        counts.fixable += finding.fixed_version.empty() ? 0 : 1;
    }
    return counts;
}

std::string artifact_identity(const scanner::Artifact& artifact) {
    if (!artifact.digest.empty()) {
        return artifact.digest;
    }
    if (!artifact.config_digest.empty()) {
        return artifact.config_digest;
    }
    return artifact.name;
}

std::string document_uuid(const ReportInput& input) {
    // The prefix keeps these ids apart from any other SHA-256 of the same bytes.
    std::string name =
        "cguard-report\n" + artifact_identity(input.scan->artifact) + "\n" + input.created;
    std::string hex = Sha256::hex_of(name).substr(0, 32);

    // Version nibble 5 and the RFC 4122 variant bits (10xx).
    hex[12] = '5';
    static const char kVariant[] = "89ab";
    hex[16] = kVariant[hex_value(hex[16]) & 0x3];
    return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
           hex.substr(16, 4) + "-" + hex.substr(20, 12);
}

std::string advisory_url(std::string_view id) {
    std::string text(id);
    if (id.starts_with("CVE-")) {
        return "https://nvd.nist.gov/vuln/detail/" + text;
    }
    if (id.starts_with("GHSA-")) {
        return "https://github.com/advisories/" + text;
    }
    return "https://osv.dev/vulnerability/" + text;
}

}  // namespace cguard::report::detail
