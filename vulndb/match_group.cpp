#include <algorithm>
#include <numeric>
#include <set>
#include <string>

#include "vulndb/detail/match_group.h"

namespace cguard::vulndb::detail {
namespace {

constexpr size_t kMaxReferences = 32;

bool is_cve(const std::string& id) {
    return id.rfind("CVE-", 0) == 0;
}

std::set<std::string> ids_of(const Candidate& c) {
    std::set<std::string> ids(c.aliases.begin(), c.aliases.end());
    ids.insert(c.id);
    return ids;
}

bool overlaps(const std::set<std::string>& a, const std::set<std::string>& b) {
    return std::any_of(a.begin(), a.end(), [&](const std::string& id) { return b.count(id); });
}

// Union-find over candidates whose id sets overlap; returns groups of indexes.
std::vector<std::vector<size_t>> group_indexes(const std::vector<Candidate>& candidates) {
    std::vector<std::set<std::string>> ids;
    for (const auto& c : candidates) {
        ids.push_back(ids_of(c));
    }
    std::vector<size_t> parent(candidates.size());
    std::iota(parent.begin(), parent.end(), 0);
    auto root = [&](size_t i) {
        while (parent[i] != i) {
            i = parent[i] = parent[parent[i]];
        }
        return i;
    };
    for (size_t i = 0; i < ids.size(); ++i) {
        for (size_t j = i + 1; j < ids.size(); ++j) {
            if (overlaps(ids[i], ids[j])) {
                parent[root(j)] = root(i);
            }
        }
    }
    std::vector<std::vector<size_t>> groups(candidates.size());
    for (size_t i = 0; i < candidates.size(); ++i) {
        groups[root(i)].push_back(i);
    }
    groups.erase(std::remove_if(groups.begin(), groups.end(), [](auto& g) { return g.empty(); }),
                 groups.end());
    return groups;
}

// A CVE advisory's own id first; else the only CVE among all aliases; else the first own id.
std::string preferred_id(const std::vector<const Candidate*>& members,
                         const std::set<std::string>& all_ids) {
    for (const auto* c : members) {
        if (is_cve(c->id)) {
            return c->id;
        }
    }
    std::vector<std::string> cves;
    std::copy_if(all_ids.begin(), all_ids.end(), std::back_inserter(cves), is_cve);
    if (cves.size() == 1) {
        return cves.front();
    }
    return members.front()->id;
}

void merge_fix(std::string& fixed, const std::string& candidate, VersionScheme scheme) {
    if (candidate.empty()) {
        return;
    }
    auto cmp = fixed.empty() ? Result<int>(-1) : compare_versions(scheme, candidate, fixed);
    if (cmp && *cmp < 0) {
        fixed = candidate;
    }
}

Finding make_finding(const std::vector<const Candidate*>& members, const scanner::Package& p,
                     VersionScheme scheme) {
    std::set<std::string> all_ids;
    for (const auto* c : members) {
        all_ids.insert(c->id);
        all_ids.insert(c->aliases.begin(), c->aliases.end());
    }
    Finding f;
    f.id = preferred_id(members, all_ids);
    for (const auto& id : all_ids) {
        if (id != f.id) {
            f.aliases.push_back(id);
        }
    }
    f.package = p.name;
    f.package_type = p.type;
    f.installed_version = p.version;
    f.layer_digest = p.layer_digest;
    f.purl = p.purl;
    f.location = p.location;

    std::set<std::string> seen_refs;
    for (const auto* c : members) {
        merge_fix(f.fixed_version, c->fixed, scheme);
        f.severity = std::max(f.severity, c->severity);
        if (c->cvss_score > f.cvss_score) {
            f.cvss_score = c->cvss_score;
            f.cvss_vector = c->cvss_vector;
        }
        f.kev = f.kev || c->kev;
        if (f.title.empty() || c->id == f.id) {
            f.title = c->title.empty() ? f.title : c->title;
        }
        for (const auto& ref : c->references) {
            if (f.references.size() < kMaxReferences && seen_refs.insert(ref).second) {
                f.references.push_back(ref);
            }
        }
    }
    // Go module versions carry a "v" the Go feed's events leave out; show the fix the way the
    // installed version is written, so the two compare at a glance.
    if (p.type == "golang" && p.version.starts_with('v') && !f.fixed_version.empty() &&
        !f.fixed_version.starts_with('v')) {
        f.fixed_version.insert(0, "v");
    }
    f.status = f.fixed_version.empty() ? "unfixed" : "fixed";
    return f;
}

}  // namespace

std::vector<Finding> group_findings(const std::vector<Candidate>& candidates,
                                    const scanner::Package& package, VersionScheme scheme) {
    std::vector<Finding> findings;
    for (const auto& group : group_indexes(candidates)) {
        std::vector<const Candidate*> members;
        for (size_t i : group) {
            members.push_back(&candidates[i]);
        }
        std::sort(members.begin(), members.end(),
                  [](const Candidate* a, const Candidate* b) { return a->id < b->id; });
        findings.push_back(make_finding(members, package, scheme));
    }
    std::sort(findings.begin(), findings.end(),
              [](const Finding& a, const Finding& b) { return a.id < b.id; });
    return findings;
}

}  // namespace cguard::vulndb::detail
