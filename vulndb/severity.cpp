#include <cstdlib>
#include <string>

#include "vulndb/vulndb.h"

namespace cguard::vulndb {

const char* severity_name(Severity s) {
    switch (s) {
        case Severity::Critical: return "CRITICAL";
        case Severity::High: return "HIGH";
        case Severity::Medium: return "MEDIUM";
        case Severity::Low: return "LOW";
        case Severity::Unknown: return "UNKNOWN";
    }
    return "UNKNOWN";
}

bool parse_severity(std::string_view name, Severity& out) {
    std::string upper;
    for (char c : name) {
        upper += static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c);
    }
    // OSV/GHSA write "MODERATE" for what CVSS calls MEDIUM.
    if (upper == "MODERATE") {
        upper = "MEDIUM";
    }
    for (Severity s :
         {Severity::Unknown, Severity::Low, Severity::Medium, Severity::High, Severity::Critical}) {
        if (upper == severity_name(s)) {
            out = s;
            return true;
        }
    }
    return false;
}

std::string default_db_path() {
    if (const char* explicit_path = std::getenv("CGUARD_DB"); explicit_path && *explicit_path) {
        return explicit_path;
    }
    if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg) {
        return std::string(xdg) + "/cguard/vuln.db";
    }
    const char* home = std::getenv("HOME");
    return std::string(home && *home ? home : "/tmp") + "/.cache/cguard/vuln.db";
}

}  // namespace cguard::vulndb
