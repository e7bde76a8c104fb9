// The parts of an OSV record the database keeps, and the parser that extracts them. The parser is
// a pure function of the bytes (fuzzed by fuzz/fuzz_osv.cpp): any input yields a record or an
// Error, never a crash.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace cguard::vulndb::detail {

enum class EventKind { Introduced, Fixed, LastAffected, Limit };

struct RangeEvent {
    EventKind kind = EventKind::Introduced;
    std::string version;
};

struct VersionRange {
    bool semver = false;  // SEMVER; otherwise ECOSYSTEM (GIT ranges are dropped by the parser)
    std::vector<RangeEvent> events;
};

struct OsvAffected {
    std::string ecosystem;  // as the record writes it, e.g. "Debian:12", "Ubuntu:22.04:LTS"
    std::string name;       // as the record writes it
    std::vector<VersionRange> ranges;
    std::vector<std::string> versions;
};

struct OsvRecord {
    std::string id;
    std::string summary;
    std::string details;
    std::vector<std::string> aliases;  // aliases + upstream: other ids of the same flaw
    std::vector<std::string> related;
    std::vector<std::string> references;
    std::string published;
    std::string modified;
    bool withdrawn = false;
    std::string cvss_vector;  // best CVSS v3 vector in `severity`, if any
    double cvss_score = -1;   // computed from cvss_vector
    std::string severity;     // database_specific.severity or ecosystem_specific.severity, raw
    std::vector<OsvAffected> affected;
};

// Errors: Corrupt (not JSON, not an object, no id).
Result<OsvRecord> parse_osv_record(std::string_view json);

// CVSS v3.x base score from a vector ("CVSS:3.1/AV:N/AC:L/..."); < 0 when it is not a complete
// v3 vector. Rounding follows the specification's Roundup.
double cvss3_base_score(std::string_view vector);

}  // namespace cguard::vulndb::detail
