#include <rapidjson/document.h>

#include <string>
#include <string_view>

#include "vulndb/detail/cve.h"
#include "vulndb/detail/osv.h"

namespace cguard::vulndb::detail {
namespace {

using JsonValue = rapidjson::Value;

constexpr size_t kMaxDescriptionBytes = 1024;

std::string str(const JsonValue& obj, const char* name) {
    if (!obj.IsObject()) {
        return {};
    }
    auto it = obj.FindMember(name);
    if (it == obj.MemberEnd() || !it->value.IsString()) {
        return {};
    }
    return {it->value.GetString(), it->value.GetStringLength()};
}

const JsonValue* child(const JsonValue& obj, const char* name) {
    if (!obj.IsObject()) {
        return nullptr;
    }
    auto it = obj.FindMember(name);
    return it == obj.MemberEnd() ? nullptr : &it->value;
}

// Rank of a metric key: v3.1 is preferred over v3.0 over v4.0; 0 = not a CVSS metric we read.
int metric_rank(std::string_view key) {
    if (key == "cvssV3_1") {
        return 3;
    }
    if (key == "cvssV3_0") {
        return 2;
    }
    return key == "cvssV4_0" ? 1 : 0;
}

// Some CNAs (OpenSSL, ...) rate with words only: {"other": {"content": {"value": "Moderate"}}}.
void read_text_rating(const JsonValue& metric, CveInfo& info) {
    const JsonValue* other = child(metric, "other");
    const JsonValue* content = other != nullptr ? child(*other, "content") : nullptr;
    Severity s = Severity::Unknown;
    if (info.severity == Severity::Unknown && content != nullptr &&
        parse_severity(str(*content, "value"), s)) {
        info.severity = s;
    }
}

void read_metrics(const JsonValue& container, CveInfo& info, int& best_rank) {
    const JsonValue* metrics = child(container, "metrics");
    if (metrics == nullptr || !metrics->IsArray()) {
        return;
    }
    for (const auto& metric : metrics->GetArray()) {
        if (!metric.IsObject()) {
            continue;
        }
        read_text_rating(metric, info);
        for (const auto& m : metric.GetObject()) {
            int rank = metric_rank({m.name.GetString(), m.name.GetStringLength()});
            const JsonValue* score = child(m.value, "baseScore");
            if (rank <= best_rank || score == nullptr || !score->IsNumber()) {
                continue;
            }
            best_rank = rank;
            info.cvss_score = score->GetDouble();
            info.cvss_vector = str(m.value, "vectorString");
            Severity s = severity_for_score(info.cvss_score);
            parse_severity(str(m.value, "baseSeverity"), s);
            info.severity = s;
        }
    }
}

void read_cwe(const JsonValue& cna, CveInfo& info) {
    const JsonValue* types = child(cna, "problemTypes");
    if (types == nullptr || !types->IsArray()) {
        return;
    }
    for (const auto& type : types->GetArray()) {
        const JsonValue* descriptions = child(type, "descriptions");
        if (descriptions == nullptr || !descriptions->IsArray()) {
            continue;
        }
        for (const auto& d : descriptions->GetArray()) {
            if (std::string cwe = str(d, "cweId"); !cwe.empty()) {
                info.cwe = cwe;
                return;
            }
        }
    }
}

void read_description(const JsonValue& cna, CveInfo& info) {
    const JsonValue* descriptions = child(cna, "descriptions");
    if (descriptions == nullptr || !descriptions->IsArray()) {
        return;
    }
    for (const auto& d : descriptions->GetArray()) {
        if (str(d, "lang").substr(0, 2) == "en") {
            info.description = truncate_utf8(str(d, "value"), kMaxDescriptionBytes);
            return;
        }
    }
}

}  // namespace

Severity severity_for_score(double score) {
    if (score >= 9.0) {
        return Severity::Critical;
    }
    if (score >= 7.0) {
        return Severity::High;
    }
    if (score >= 4.0) {
        return Severity::Medium;
    }
    return score >= 0.1 ? Severity::Low : Severity::Unknown;
}

std::string truncate_utf8(std::string_view text, size_t max) {
    if (text.size() <= max) {
        return std::string(text);
    }
    size_t end = max;
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) {
        --end;
    }
    return std::string(text.substr(0, end));
}

Result<CveInfo> parse_cve_record(std::string_view json) {
    rapidjson::Document doc;
    doc.Parse<rapidjson::kParseIterativeFlag>(json.data(), json.size());
    if (doc.HasParseError() || !doc.IsObject()) {
        return make_error(ErrorCode::Corrupt, "CVE record is not a JSON object");
    }
    const JsonValue* meta = child(doc, "cveMetadata");
    CveInfo info;
    info.id = meta != nullptr ? str(*meta, "cveId") : std::string();
    if (info.id.empty()) {
        return make_error(ErrorCode::Corrupt, "CVE record has no cveMetadata.cveId");
    }
    info.rejected = str(*meta, "state") == "REJECTED";
    const JsonValue* containers = child(doc, "containers");
    if (containers == nullptr) {
        return info;
    }
    int best_rank = 0;
    if (const JsonValue* cna = child(*containers, "cna"); cna != nullptr) {
        read_metrics(*cna, info, best_rank);
        read_cwe(*cna, info);
        read_description(*cna, info);
    }
    if (const JsonValue* adp = child(*containers, "adp"); adp != nullptr && adp->IsArray()) {
        for (const auto& container : adp->GetArray()) {
            read_metrics(container, info, best_rank);
        }
    }
    return info;
}

Result<std::unordered_set<std::string>> parse_kev_catalog(std::string_view json) {
    rapidjson::Document doc;
    doc.Parse<rapidjson::kParseIterativeFlag>(json.data(), json.size());
    const JsonValue* list = doc.HasParseError() ? nullptr : child(doc, "vulnerabilities");
    if (list == nullptr || !list->IsArray()) {
        return make_error(ErrorCode::Corrupt, "KEV catalog has no vulnerabilities array");
    }
    std::unordered_set<std::string> ids;
    for (const auto& entry : list->GetArray()) {
        if (std::string id = str(entry, "cveID"); !id.empty()) {
            ids.insert(std::move(id));
        }
    }
    return ids;
}

}  // namespace cguard::vulndb::detail
