// The per-format renderers behind report::write(), and helpers two or more of them share.
// Each renderer returns the whole document; write() owns the stream and its errors.
// Every renderer requires input.scan != nullptr and a non-empty input.created (write() checks
// the first and fills the second).
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "report/report.h"

namespace cguard::report::detail {

std::string render_json(const ReportInput& input);
std::string render_cyclonedx(const ReportInput& input);
std::string render_spdx(const ReportInput& input);
std::string render_sarif(const ReportInput& input);
std::string render_table(const ReportInput& input);

// Findings per severity, indexed by vulndb::Severity (Unknown = 0 ... Critical = 4).
struct SeverityCounts {
    std::array<size_t, 5> by_severity{};
    size_t total = 0;
    size_t kev = 0;
    size_t fixable = 0;
};
SeverityCounts count_findings(const std::vector<vulndb::Finding>& findings);

// Most severe first: Critical, High, Medium, Low, Unknown.
constexpr std::array<vulndb::Severity, 5> kSeveritiesDescending = {
    vulndb::Severity::Critical, vulndb::Severity::High, vulndb::Severity::Medium,
    vulndb::Severity::Low, vulndb::Severity::Unknown};

// A name-based UUID (8-4-4-4-12, lower-case hex) for this document: derived from the artifact's
// identity and `created`, so the same scan rendered at the same time gets the same id. The
// layout is RFC 4122 version 5, but the hash is SHA-256 rather than SHA-1 (RFC 9562 would call
// that version 8; CycloneDX 1.5's serialNumber pattern only admits versions 1-5).
std::string document_uuid(const ReportInput& input);

// The identity the formats use for the image: manifest digest, else config digest, else name.
std::string artifact_identity(const scanner::Artifact& artifact);

// Where a human reads about an advisory: NVD for CVE ids, GitHub for GHSA, OSV otherwise.
std::string advisory_url(std::string_view id);

}  // namespace cguard::report::detail
