#include <rapidjson/document.h>

#include <algorithm>
#include <string>
#include <string_view>

#include "common/json_text.h"
#include "vulndb/detail/ranges.h"

namespace cguard::vulndb::detail {
namespace {

bool is_origin(const RangeEvent& e) {
    return e.kind == EventKind::Introduced && e.version == "0";
}

// Checks every version of the range parses, so the sort below never meets a comparison error
// (an inconsistent comparator would make the order meaningless).
std::string first_unparsable(VersionScheme scheme, const VersionRange& range) {
    for (const auto& e : range.events) {
        if (is_origin(e) || (e.kind == EventKind::Limit && e.version == "*")) {
            continue;
        }
        if (!compare_versions(scheme, e.version, e.version)) {
            return e.version;
        }
    }
    return {};
}

std::vector<RangeEvent> sorted_events(VersionScheme scheme, const VersionRange& range) {
    std::vector<RangeEvent> events = range.events;
    std::stable_sort(events.begin(), events.end(), [&](const RangeEvent& a, const RangeEvent& b) {
        if (is_origin(a) || is_origin(b)) {
            return is_origin(a) && !is_origin(b);
        }
        if (a.kind == EventKind::Limit || b.kind == EventKind::Limit) {
            return false;  // limits are applied apart from the walk
        }
        auto cmp = compare_versions(scheme, a.version, b.version);
        if (!cmp || *cmp == 0) {
            // At equal versions an introduction comes first, so `introduced X, fixed X` is empty.
            return a.kind == EventKind::Introduced && b.kind != EventKind::Introduced;
        }
        return *cmp < 0;
    });
    return events;
}

int cmp_or_zero(VersionScheme scheme, std::string_view a, std::string_view b) {
    auto cmp = compare_versions(scheme, a, b);
    return cmp ? *cmp : 0;
}

bool below_limits(VersionScheme scheme, std::string_view version, const VersionRange& range) {
    bool has_limit = false;
    for (const auto& e : range.events) {
        if (e.kind != EventKind::Limit || e.version == "*") {
            continue;
        }
        has_limit = true;
        if (cmp_or_zero(scheme, version, e.version) < 0) {
            return true;
        }
    }
    return !has_limit;
}

// Walks one range; returns whether `version` is inside and sets `fixed` to the first fix above.
bool in_range(VersionScheme scheme, std::string_view version, const VersionRange& range,
              std::string& fixed) {
    bool affected = false;
    for (const auto& e : sorted_events(scheme, range)) {
        int cmp = is_origin(e) ? 1 : cmp_or_zero(scheme, version, e.version);
        switch (e.kind) {
            case EventKind::Introduced: affected = affected || cmp >= 0; break;
            case EventKind::Fixed:
                if (cmp >= 0) {
                    affected = false;
                } else if (affected && fixed.empty()) {
                    fixed = e.version;
                }
                break;
            case EventKind::LastAffected: affected = affected && cmp <= 0; break;
            case EventKind::Limit: break;
        }
    }
    return affected && below_limits(scheme, version, range);
}

char kind_letter(EventKind kind) {
    switch (kind) {
        case EventKind::Introduced: return 'i';
        case EventKind::Fixed: return 'f';
        case EventKind::LastAffected: return 'l';
        case EventKind::Limit: return 'x';
    }
    return 'i';
}

}  // namespace

RangeVerdict evaluate(VersionScheme scheme, std::string_view version,
                      const std::vector<VersionRange>& ranges,
                      const std::vector<std::string>& versions) {
    RangeVerdict verdict;
    if (std::find(versions.begin(), versions.end(), version) != versions.end()) {
        verdict.affected = true;
    }
    for (const auto& range : ranges) {
        VersionScheme range_scheme = range.semver ? VersionScheme::Semver : scheme;
        if (!compare_versions(range_scheme, version, version)) {
            verdict.error = "installed version \"" + std::string(version) + "\" does not parse";
            verdict.affected = false;
            return verdict;
        }
        if (std::string bad = first_unparsable(range_scheme, range); !bad.empty()) {
            verdict.error = "advisory version \"" + bad + "\" does not parse";
            continue;
        }
        std::string fixed;
        if (!in_range(range_scheme, version, range, fixed)) {
            continue;
        }
        verdict.affected = true;
        if (!fixed.empty() &&
            (verdict.fixed.empty() || cmp_or_zero(range_scheme, fixed, verdict.fixed) < 0)) {
            verdict.fixed = fixed;
        }
    }
    if (verdict.affected) {
        verdict.error.clear();
    }
    return verdict;
}

std::string encode_ranges(const std::vector<VersionRange>& ranges) {
    std::string out = "[";
    for (const auto& range : ranges) {
        if (out.size() > 1) {
            out += ',';
        }
        out += range.semver ? "{\"s\":1,\"e\":[" : "{\"s\":0,\"e\":[";
        for (size_t i = 0; i < range.events.size(); ++i) {
            out += i == 0 ? "[\"" : ",[\"";
            out += kind_letter(range.events[i].kind);
            out += "\",";
            json::append_quoted(out, range.events[i].version);
            out += ']';
        }
        out += "]}";
    }
    return out + "]";
}

std::string encode_strings(const std::vector<std::string>& values) {
    std::string out = "[";
    for (const auto& v : values) {
        if (out.size() > 1) {
            out += ',';
        }
        json::append_quoted(out, v);
    }
    return out + "]";
}

bool decode_strings(std::string_view text, std::vector<std::string>& out) {
    rapidjson::Document doc;
    doc.Parse(text.data(), text.size());
    if (doc.HasParseError() || !doc.IsArray()) {
        return false;
    }
    for (const auto& item : doc.GetArray()) {
        if (item.IsString()) {
            out.emplace_back(item.GetString(), item.GetStringLength());
        }
    }
    return true;
}

bool decode_ranges(std::string_view text, std::vector<VersionRange>& out) {
    rapidjson::Document doc;
    doc.Parse(text.data(), text.size());
    if (doc.HasParseError() || !doc.IsArray()) {
        return false;
    }
    for (const auto& item : doc.GetArray()) {
        if (!item.IsObject() || !item.HasMember("e") || !item["e"].IsArray()) {
            return false;
        }
        VersionRange range{item.HasMember("s") && item["s"].IsInt() && item["s"].GetInt() == 1, {}};
        for (const auto& ev : item["e"].GetArray()) {
            if (!ev.IsArray() || ev.Size() != 2 || !ev[0].IsString() || !ev[1].IsString()) {
                return false;
            }
            char k = ev[0].GetString()[0];
            EventKind kind = k == 'f'   ? EventKind::Fixed
                             : k == 'l' ? EventKind::LastAffected
                             : k == 'x' ? EventKind::Limit
                                        : EventKind::Introduced;
            range.events.push_back({kind, std::string(ev[1].GetString(), ev[1].GetStringLength())});
        }
        out.push_back(std::move(range));
    }
    return true;
}

}  // namespace cguard::vulndb::detail
