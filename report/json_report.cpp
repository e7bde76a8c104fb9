// The native JSON report (`--format json`). Its schema is documented field by field in
// docs/report-json.md and only ever grows: renaming or removing a key breaks users' pipelines.
#include "report/detail/json_out.h"
#include "report/detail/writers.h"

namespace cguard::report::detail {
namespace {

constexpr const char* kSchemaVersion = "1";

void write_string_array(JsonOut& j, std::string_view name, const std::vector<std::string>& items) {
    j.key(name);
    j.begin_array();
    for (const auto& item : items) {
        j.string(item);
    }
    j.end_array();
}

void write_artifact(JsonOut& j, const scanner::Artifact& artifact) {
    j.key("artifact");
    j.begin_object();
    j.field("name", artifact.name);
    j.field("digest", artifact.digest);
    j.field("config_digest", artifact.config_digest);
    write_string_array(j, "layers", artifact.layers);
    j.end_object();
}

void write_os(JsonOut& j, const scanner::OsInfo& os) {
    j.key("os");
    j.begin_object();
    j.field("family", os.family);
    j.field("name", os.name);
    j.field("version", os.version);
    j.end_object();
}

void write_packages(JsonOut& j, const std::vector<scanner::Package>& packages) {
    j.key("packages");
    j.begin_array();
    for (const auto& p : packages) {
        j.begin_object();
        j.field("name", p.name);
        j.field("version", p.version);
        j.field("type", p.type);
        j.field("arch", p.arch);
        j.field("source_name", p.source_name);
        j.field("source_version", p.source_version);
        j.field("purl", p.purl);
        j.field("layer_digest", p.layer_digest);
        j.field("location", p.location);
        j.end_object();
    }
    j.end_array();
}

void write_unowned_files(JsonOut& j, const std::vector<scanner::UnownedFile>& files) {
    j.key("unowned_files");
    j.begin_array();
    for (const auto& f : files) {
        j.begin_object();
        j.field("path", f.path);
        j.field_uint("size", f.size);
        j.field("sha256", f.sha256);
        j.field("layer_digest", f.layer_digest);
        j.end_object();
    }
    j.end_array();
}

void write_finding(JsonOut& j, const vulndb::Finding& f) {
    j.begin_object();
    j.field("id", f.id);
    write_string_array(j, "aliases", f.aliases);
    j.field("package", f.package);
    j.field("package_type", f.package_type);
    j.field("installed_version", f.installed_version);
    j.field("fixed_version", f.fixed_version);
    j.field("status", f.status);
    j.field("severity", vulndb::severity_name(f.severity));
    j.key("cvss_score");
    if (f.cvss_score < 0) {
        j.null();
    } else {
        j.number(f.cvss_score);
    }
    j.field("cvss_vector", f.cvss_vector);
    j.field_bool("kev", f.kev);
    j.field("title", f.title);
    write_string_array(j, "references", f.references);
    j.field("layer_digest", f.layer_digest);
    j.field("purl", f.purl);
    j.field("location", f.location);
    j.end_object();
}

void write_summary(JsonOut& j, const std::vector<vulndb::Finding>& findings) {
    SeverityCounts counts = count_findings(findings);
    j.key("summary");
    j.begin_object();
    j.field_uint("total", counts.total);
    for (vulndb::Severity s : kSeveritiesDescending) {
        j.field_uint(vulndb::severity_name(s), counts.by_severity[static_cast<size_t>(s)]);
    }
    j.field_uint("kev", counts.kev);
    j.field_uint("fixable", counts.fixable);
    j.end_object();
}

}  // namespace

std::string render_json(const ReportInput& input) {
    const scanner::ScanReport& scan = *input.scan;
    JsonOut j;
    j.begin_object();
    j.field("schema_version", kSchemaVersion);
    j.key("tool");
    j.begin_object();
    j.field("name", "cguard");
    j.field("version", input.tool_version);
    j.end_object();
    j.field("created", input.created);

    write_artifact(j, scan.artifact);
    write_os(j, scan.os);
    write_packages(j, scan.packages);
    write_unowned_files(j, scan.unowned_files);
    write_string_array(j, "warnings", scan.warnings);

    if (input.findings != nullptr) {
        j.key("vulnerabilities");
        j.begin_array();
        for (const auto& finding : *input.findings) {
            write_finding(j, finding);
        }
        j.end_array();
        write_summary(j, *input.findings);
    }
    j.end_object();
    return j.take();
}

}  // namespace cguard::report::detail
