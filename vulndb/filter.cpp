#include <algorithm>
#include <ctime>
#include <set>
#include <string>

#include "common/clock.h"
#include "vulndb/vulndb.h"

namespace cguard::vulndb {
namespace {

bool names(const Finding& f, const std::string& id) {
    return f.id == id || std::find(f.aliases.begin(), f.aliases.end(), id) != f.aliases.end();
}

// The entry that silences `f`, or nullptr. Expired entries never silence; each is noted once.
const IgnoreEntry* active_ignore(const Finding& f, const FilterOptions& options,
                                 const std::string& today, std::set<std::string>& noted,
                                 std::vector<std::string>& notes) {
    for (const auto& entry : options.ignores) {
        if (!names(f, entry.id)) {
            continue;
        }
        // ISO dates compare as strings; an entry applies through its expiry day.
        if (entry.expires.empty() || today <= entry.expires) {
            return &entry;
        }
        if (noted.insert(entry.id).second) {
            notes.push_back("ignore entry " + entry.id + " expired on " + entry.expires +
                            " and no longer applies");
        }
    }
    return nullptr;
}

}  // namespace

FilterResult apply_filters(std::vector<Finding> findings, const FilterOptions& options) {
    FilterResult result;
    std::string today = options.today.empty() ? utc_today() : options.today;
    std::set<std::string> noted;
    for (auto& f : findings) {
        if (active_ignore(f, options, today, noted, result.notes) != nullptr) {
            ++result.ignored;
            continue;
        }
        if (!options.severities.empty() &&
            std::find(options.severities.begin(), options.severities.end(), f.severity) ==
                options.severities.end()) {
            continue;
        }
        if (options.ignore_unfixed && f.status != "fixed") {
            continue;
        }
        result.kept.push_back(std::move(f));
    }
    return result;
}

}  // namespace cguard::vulndb
