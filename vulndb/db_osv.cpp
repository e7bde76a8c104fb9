#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include <string>
#include <string_view>

#include "vulndb/detail/osv.h"

namespace cguard::vulndb::detail {
namespace {

using JsonValue = rapidjson::Value;

std::string string_member(const JsonValue& obj, const char* name) {
    auto it = obj.FindMember(name);
    if (it == obj.MemberEnd() || !it->value.IsString()) {
        return {};
    }
    return {it->value.GetString(), it->value.GetStringLength()};
}

const JsonValue* member(const JsonValue& obj, const char* name, bool want_array) {
    auto it = obj.FindMember(name);
    if (it == obj.MemberEnd()) {
        return nullptr;
    }
    if (want_array ? !it->value.IsArray() : !it->value.IsObject()) {
        return nullptr;
    }
    return &it->value;
}

void append_strings(const JsonValue& obj, const char* name, std::vector<std::string>& out) {
    const JsonValue* array = member(obj, name, true);
    if (array == nullptr) {
        return;
    }
    for (const auto& item : array->GetArray()) {
        if (item.IsString()) {
            out.emplace_back(item.GetString(), item.GetStringLength());
        }
    }
}

bool parse_event(const JsonValue& event, RangeEvent& out) {
    if (!event.IsObject()) {
        return false;
    }
    static constexpr std::pair<const char*, EventKind> kKinds[] = {
        {"introduced", EventKind::Introduced},
        {"fixed", EventKind::Fixed},
        {"last_affected", EventKind::LastAffected},
        {"limit", EventKind::Limit},
    };
    for (const auto& [name, kind] : kKinds) {
        std::string value = string_member(event, name);
        if (!value.empty()) {
            out = RangeEvent{kind, std::move(value)};
            return true;
        }
    }
    return false;
}

void parse_ranges(const JsonValue& affected, OsvAffected& out) {
    const JsonValue* ranges = member(affected, "ranges", true);
    if (ranges == nullptr) {
        return;
    }
    for (const auto& range : ranges->GetArray()) {
        if (!range.IsObject()) {
            continue;
        }
        std::string type = string_member(range, "type");
        const JsonValue* events = member(range, "events", true);
        if ((type != "ECOSYSTEM" && type != "SEMVER") || events == nullptr) {
            continue;  // GIT ranges name commits, which an installed package does not have
        }
        VersionRange parsed{type == "SEMVER", {}};
        for (const auto& event : events->GetArray()) {
            RangeEvent e;
            if (parse_event(event, e)) {
                parsed.events.push_back(std::move(e));
            }
        }
        if (!parsed.events.empty()) {
            out.ranges.push_back(std::move(parsed));
        }
    }
}

void parse_affected(const JsonValue& doc, OsvRecord& record) {
    const JsonValue* list = member(doc, "affected", true);
    if (list == nullptr) {
        return;
    }
    for (const auto& item : list->GetArray()) {
        const JsonValue* package = item.IsObject() ? member(item, "package", false) : nullptr;
        if (package == nullptr) {
            continue;
        }
        OsvAffected affected{
            string_member(*package, "ecosystem"), string_member(*package, "name"), {}, {}};
        parse_ranges(item, affected);
        append_strings(item, "versions", affected.versions);
        if (record.cvss_vector.empty()) {
            // Bitnami and GHSA put CVSS per affected package rather than at the top.
            if (const JsonValue* sev = member(item, "severity", true); sev != nullptr) {
                for (const auto& s : sev->GetArray()) {
                    if (s.IsObject() && string_member(s, "type") == "CVSS_V3") {
                        record.cvss_vector = string_member(s, "score");
                    }
                }
            }
        }
        record.affected.push_back(std::move(affected));
    }
}

void parse_severity(const JsonValue& doc, OsvRecord& record) {
    if (const JsonValue* sev = member(doc, "severity", true); sev != nullptr) {
        for (const auto& s : sev->GetArray()) {
            if (!s.IsObject()) {
                continue;
            }
            std::string type = string_member(s, "type");
            if (type == "CVSS_V3") {
                record.cvss_vector = string_member(s, "score");
            } else if (type == "Ubuntu" && record.severity.empty()) {
                record.severity = string_member(s, "score");
            }
        }
    }
    if (const JsonValue* specific = member(doc, "database_specific", false); specific) {
        if (std::string s = string_member(*specific, "severity"); !s.empty()) {
            record.severity = s;
        }
    }
}

void parse_references(const JsonValue& doc, OsvRecord& record) {
    const JsonValue* refs = member(doc, "references", true);
    if (refs == nullptr) {
        return;
    }
    for (const auto& ref : refs->GetArray()) {
        if (ref.IsObject()) {
            if (std::string url = string_member(ref, "url"); !url.empty()) {
                record.references.push_back(std::move(url));
            }
        }
    }
}

}  // namespace

Result<OsvRecord> parse_osv_record(std::string_view json) {
    rapidjson::Document doc;
    // Iterative parsing: nesting depth in a hostile record cannot exhaust the stack.
    doc.Parse<rapidjson::kParseIterativeFlag>(json.data(), json.size());
    if (doc.HasParseError()) {
        return make_error(ErrorCode::Corrupt, std::string("OSV record is not JSON: ") +
                                                  rapidjson::GetParseError_En(doc.GetParseError()));
    }
    if (!doc.IsObject()) {
        return make_error(ErrorCode::Corrupt, "OSV record is not a JSON object");
    }
    OsvRecord record;
    record.id = string_member(doc, "id");
    if (record.id.empty()) {
        return make_error(ErrorCode::Corrupt, "OSV record has no id");
    }
    record.summary = string_member(doc, "summary");
    record.details = string_member(doc, "details");
    record.published = string_member(doc, "published");
    record.modified = string_member(doc, "modified");
    record.withdrawn = !string_member(doc, "withdrawn").empty();
    append_strings(doc, "aliases", record.aliases);
    append_strings(doc, "upstream", record.aliases);
    append_strings(doc, "related", record.related);
    parse_references(doc, record);
    parse_severity(doc, record);
    parse_affected(doc, record);
    if (!record.cvss_vector.empty()) {
        record.cvss_score = cvss3_base_score(record.cvss_vector);
    }
    return record;
}

}  // namespace cguard::vulndb::detail
