// Turns the advisories that affect one package into findings, one per flaw: advisories whose
// ids or aliases overlap (a DSA and its CVE, a GHSA and a PYSEC) become one finding.
#pragma once

#include <string>
#include <vector>

#include "scanner/scanner.h"
#include "vulndb/vulndb.h"

namespace cguard::vulndb::detail {

struct Candidate {
    std::string id;
    std::vector<std::string> aliases;
    std::string title;
    Severity severity = Severity::Unknown;
    double cvss_score = -1;
    std::string cvss_vector;
    bool kev = false;
    std::vector<std::string> references;
    std::string fixed;  // fix for this package's range, "" when unfixed
};

// The finding's id is a CVE when one names the flaw unambiguously, the others become aliases;
// fixed_version is the lowest fix among the group; severity and score the highest known.
std::vector<Finding> group_findings(const std::vector<Candidate>& candidates,
                                    const scanner::Package& package, VersionScheme scheme);

}  // namespace cguard::vulndb::detail
