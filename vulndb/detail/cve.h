// CVE JSON 5 records and the CISA KEV catalog, reduced to what enrichment needs.
#pragma once

#include <string>
#include <string_view>
#include <unordered_set>

#include "common/result.h"
#include "vulndb/vulndb.h"

namespace cguard::vulndb::detail {

struct CveInfo {
    std::string id;
    double cvss_score = -1;
    std::string cvss_vector;
    Severity severity = Severity::Unknown;
    std::string cwe;
    std::string description;  // English, truncated
    bool rejected = false;
};

// Metrics from containers.cna and containers.adp[*] (CISA vulnrichment), preferring CVSS v3.1,
// then v3.0, then v4.0. Errors: Corrupt (not JSON, no cveMetadata.cveId).
Result<CveInfo> parse_cve_record(std::string_view json);

// cveID of every entry in `vulnerabilities`. Errors: Corrupt.
Result<std::unordered_set<std::string>> parse_kev_catalog(std::string_view json);

// Severity band of a CVSS score (0.1-3.9 LOW ... 9.0+ CRITICAL); Unknown when < 0.1.
Severity severity_for_score(double score);

// Truncates to at most `max` bytes without splitting a UTF-8 sequence.
std::string truncate_utf8(std::string_view text, size_t max);

}  // namespace cguard::vulndb::detail
