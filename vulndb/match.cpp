#include <algorithm>
#include <map>
#include <set>
#include <string>

#include "vulndb/detail/database_impl.h"
#include "vulndb/detail/ecosystem.h"
#include "vulndb/detail/match_group.h"
#include "vulndb/detail/ranges.h"

namespace cguard::vulndb {
namespace {

using detail::Candidate;
using detail::PackageQuery;

struct LookupKey {
    std::string ecosystem, name, version;
    auto operator<=>(const LookupKey&) const = default;
};

struct Lookup {
    std::vector<Candidate> candidates;
    std::vector<std::string> warnings;
};

Candidate candidate_from_row(const detail::Statement& row, std::string fixed) {
    Candidate c;
    c.id = row.text(0);
    c.title = row.text(1);
    int64_t severity = row.integer(2);
    c.severity =
        severity >= 0 && severity <= 4 ? static_cast<Severity>(severity) : Severity::Unknown;
    c.cvss_score = row.is_null(3) ? -1 : row.real(3);
    c.cvss_vector = row.text(4);
    detail::decode_strings(row.text(5), c.aliases);
    detail::decode_strings(row.text(6), c.references);
    c.kev = row.integer(7) != 0;
    c.fixed = std::move(fixed);
    return c;
}

Result<Lookup> lookup(detail::Statement& stmt, const PackageQuery& q) {
    Lookup out;
    stmt.reset();
    stmt.bind(1, q.ecosystem);
    stmt.bind(2, q.name);
    for (;;) {
        auto row = stmt.step();
        if (!row) {
            return forward_error(row.error());
        }
        if (!*row) {
            break;
        }
        std::vector<detail::VersionRange> ranges;
        std::vector<std::string> versions;
        if (!detail::decode_ranges(stmt.text(8), ranges) ||
            !detail::decode_strings(stmt.text(9), versions)) {
            out.warnings.push_back("advisory " + std::string(stmt.text(0)) +
                                   " has damaged ranges in the database; skipped");
            continue;
        }
        auto verdict = detail::evaluate(q.scheme, q.version, ranges, versions);
        if (!verdict.error.empty()) {
            out.warnings.push_back(q.ecosystem + " package " + q.name + " " + q.version +
                                   ": advisory " + std::string(stmt.text(0)) + ": " +
                                   verdict.error + "; not evaluated");
        }
        if (verdict.affected) {
            out.candidates.push_back(candidate_from_row(stmt, std::move(verdict.fixed)));
        }
    }
    return out;
}

Result<bool> has_ecosystem(const detail::Connection& db, const std::string& key) {
    auto stmt = const_cast<detail::Connection&>(db).prepare(
        "SELECT 1 FROM affected WHERE ecosystem = ? LIMIT 1");
    if (!stmt) {
        return forward_error(stmt.error());
    }
    stmt->bind(1, key);
    return stmt->step();
}

bool has_os_packages(const scanner::ScanReport& report) {
    return std::any_of(report.packages.begin(), report.packages.end(), [](const auto& p) {
        return p.type == "deb" || p.type == "apk" || p.type == "rpm";
    });
}

Result<void> check_os_data(const detail::Connection& db, const scanner::ScanReport& report,
                           const std::string& os_key, MatchResult& result) {
    if (!has_os_packages(report)) {
        return {};
    }
    std::string os = report.os.family + " " + report.os.version;
    if (os_key.empty()) {
        result.warnings.push_back("OS " + os + " is not one we have vulnerability data for; " +
                                  "its packages were not matched");
        return {};
    }
    auto present = has_ecosystem(db, os_key);
    if (!present) {
        return forward_error(present.error());
    }
    if (!*present) {
        result.warnings.push_back("the database holds no advisories for " + os_key + " (OS " + os +
                                  "); its packages were not matched");
    }
    return {};
}

}  // namespace

Result<MatchResult> Database::match(const scanner::ScanReport& report) const {
    MatchResult result;
    std::string os_key = detail::os_ecosystem_key(report.os);
    if (auto r = check_os_data(impl_->db, report, os_key, result); !r) {
        return forward_error(r.error());
    }

    std::lock_guard<std::mutex> lock(impl_->lookup_mutex);
    std::map<LookupKey, Lookup> cache;
    std::set<std::string> warned;
    for (const auto& package : report.packages) {
        auto q = detail::query_for(package, os_key);
        if (!q) {
            continue;
        }
        LookupKey key{q->ecosystem, q->name, q->version};
        auto it = cache.find(key);
        if (it == cache.end()) {
            auto found = lookup(impl_->lookup, *q);
            if (!found) {
                return forward_error(found.error(), "matching " + package.name);
            }
            it = cache.emplace(std::move(key), std::move(*found)).first;
            for (const auto& w : it->second.warnings) {
                if (warned.insert(w).second) {
                    result.warnings.push_back(w);
                }
            }
        }
        for (auto& finding : detail::group_findings(it->second.candidates, package, q->scheme)) {
            result.findings.push_back(std::move(finding));
        }
    }
    return result;
}

}  // namespace cguard::vulndb
