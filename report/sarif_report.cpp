// SARIF 2.1.0 (https://docs.oasis-open.org/sarif/sarif/v2.1.0/): one rule per advisory id, one
// result per finding, so code-scanning dashboards (GitHub, GitLab) can show image findings.
#include <cstdio>
#include <map>

#include "common/json_text.h"
#include "report/detail/json_out.h"
#include "report/detail/writers.h"

namespace cguard::report::detail {
namespace {

using vulndb::Finding;
using vulndb::Severity;

constexpr const char* kSarifSchema =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
// Placeholder until the project has a public home; only dashboards show it.
constexpr const char* kInformationUri = "https://github.com/cguard/cguard";

const char* level_for(Severity severity) {
    switch (severity) {
        case Severity::Critical:
        case Severity::High: return "error";
        case Severity::Medium: return "warning";
        case Severity::Low:
        case Severity::Unknown: return "note";
    }
    return "note";
}

// GitHub ranks alerts by `security-severity` (a CVSS-like number as a string). Without a CVSS
// score we give the middle of the severity's CVSS band so the ranking still follows severity.
std::string security_severity(const Finding& f) {
    double score = f.cvss_score;
    if (!(score >= 0 && score <= 10)) {  // also catches NaN
        static const double kBandMiddle[] = {0.0, 2.0, 5.5, 8.0, 9.5};
        score = kBandMiddle[static_cast<size_t>(f.severity) % 5];
    }
    char buf[16];
    std::snprintf(buf, sizeof buf, "%.1f", score);
    return buf;
}

// artifactLocation.uri is a URI reference: keep unreserved characters and '/', percent-encode
// every other byte (':' too, or "alpine:3.10" would read as a URI with scheme "alpine").
std::string uri_reference(std::string_view path) {
    static const char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (char ch : path) {
        auto c = static_cast<unsigned char>(ch);
        bool unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                          (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~' ||
                          c == '/';
        if (unreserved) {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += kHex[c >> 4];
            out += kHex[c & 0xF];
        }
    }
    return out;
}

std::string result_message(const Finding& f) {
    std::string text = f.package + " " + f.installed_version + " is affected by " + f.id;
    if (f.fixed_version.empty()) {
        return text + ", no fixed version is available";
    }
    return text + ", fixed in " + f.fixed_version;
}

void write_rule(JsonOut& j, const Finding& f) {
    j.begin_object();
    j.field("id", f.id);
    j.key("shortDescription");
    j.begin_object();
    j.field("text", f.title.empty() ? f.id : f.title);
    j.end_object();
    j.field("helpUri", advisory_url(f.id));
    j.key("properties");
    j.begin_object();
    j.field("security-severity", security_severity(f));
    j.key("tags");
    j.begin_array();
    j.string("vulnerability");
    j.string("security");
    j.string(vulndb::severity_name(f.severity));
    j.end_array();
    j.end_object();
    j.end_object();
}

void write_result(JsonOut& j, const Finding& f, size_t rule_index, std::string_view fallback) {
    j.begin_object();
    j.field("ruleId", f.id);
    j.field_uint("ruleIndex", rule_index);
    j.field("level", level_for(f.severity));
    j.key("message");
    j.begin_object();
    j.field("text", result_message(f));
    j.end_object();
    j.key("locations");
    j.begin_array();
    j.begin_object();
    j.key("physicalLocation");
    j.begin_object();
    j.key("artifactLocation");
    j.begin_object();
    j.field("uri", uri_reference(json::sanitize_utf8(f.location.empty() ? fallback : f.location)));
    j.end_object();
    j.end_object();
    j.end_object();
    j.end_array();
    j.key("properties");
    j.begin_object();
    j.field("purl", f.purl);
    j.field("layer_digest", f.layer_digest);
    j.field_bool("kev", f.kev);
    j.end_object();
    j.end_object();
}

void write_driver(JsonOut& j, const ReportInput& input, const std::vector<const Finding*>& rules) {
    j.key("tool");
    j.begin_object();
    j.key("driver");
    j.begin_object();
    j.field("name", "cguard");
    j.field("informationUri", kInformationUri);
    j.field("version", input.tool_version);
    j.key("rules");
    j.begin_array();
    for (const Finding* rule : rules) {
        write_rule(j, *rule);
    }
    j.end_array();
    j.end_object();
    j.end_object();
}

}  // namespace

std::string render_sarif(const ReportInput& input) {
    static const std::vector<Finding> kNone;
    const std::vector<Finding>& findings = input.findings ? *input.findings : kNone;

    // Rules are the distinct advisory ids in first-seen order; results point at them by index.
    std::vector<const Finding*> rules;
    std::map<std::string, size_t> rule_index;
    for (const auto& f : findings) {
        if (rule_index.emplace(f.id, rules.size()).second) {
            rules.push_back(&f);
        }
    }

    JsonOut j;
    j.begin_object();
    j.field("$schema", kSarifSchema);
    j.field("version", "2.1.0");
    j.key("runs");
    j.begin_array();
    j.begin_object();
    write_driver(j, input, rules);
    j.key("results");
    j.begin_array();
    for (const auto& f : findings) {
        write_result(j, f, rule_index[f.id], input.scan->artifact.name);
    }
    j.end_array();
    j.end_object();
    j.end_array();
    j.end_object();
    return j.take();
}

}  // namespace cguard::report::detail
