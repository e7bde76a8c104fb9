// CycloneDX 1.5 JSON (https://cyclonedx.org/docs/1.5/json/): the image as metadata.component,
// its OS and packages as components, and, when matched, one vulnerability per advisory id with
// every affected component listed under `affects`.
#include <cmath>
#include <map>
#include <set>
#include <tuple>

#include "report/detail/json_out.h"
#include "report/detail/writers.h"

namespace cguard::report::detail {
namespace {

using vulndb::Finding;

// bom-refs must be unique within a BOM. The purl is the natural ref, but the same purl can be
// found twice (one npm package vendored in two places), so repeats get "|2", "|3", ...
struct ComponentRefs {
    std::string image;
    std::string os;
    std::vector<std::string> packages;  // parallel to ScanReport::packages
    std::map<std::string, std::string> by_purl_location;
    std::map<std::string, std::string> by_purl;  // first component with that purl
};

std::string claim(std::set<std::string>& used, const std::string& base) {
    std::string ref = base;
    for (int n = 2; !used.insert(ref).second; ++n) {
        ref = base + "|" + std::to_string(n);
    }
    return ref;
}

ComponentRefs assign_refs(const scanner::ScanReport& scan) {
    ComponentRefs refs;
    std::set<std::string> used;
    refs.image = claim(used, "image:" + artifact_identity(scan.artifact));
    refs.os = claim(used, "os:" + scan.os.family + "@" + scan.os.version);
    for (const auto& p : scan.packages) {
        std::string base =
            p.purl.empty() ? "package:" + p.type + "/" + p.name + "@" + p.version : p.purl;
        std::string ref = claim(used, base);
        refs.by_purl_location.emplace(p.purl + "\n" + p.location, ref);
        refs.by_purl.emplace(p.purl, ref);
        refs.packages.push_back(std::move(ref));
    }
    return refs;
}

// A finding names its package by purl and location; fall back to the purl alone, then to the
// finding's own purl when the inventory given to us does not hold the package.
std::string ref_for(const ComponentRefs& refs, const Finding& f) {
    if (auto it = refs.by_purl_location.find(f.purl + "\n" + f.location);
        it != refs.by_purl_location.end()) {
        return it->second;
    }
    if (auto it = refs.by_purl.find(f.purl); it != refs.by_purl.end()) {
        return it->second;
    }
    return f.purl.empty() ? "package:" + f.package_type + "/" + f.package : f.purl;
}

void write_property(JsonOut& j, std::string_view name, std::string_view value) {
    j.begin_object();
    j.field("name", name);
    j.field("value", value);
    j.end_object();
}

void write_image_component(JsonOut& j, const scanner::Artifact& artifact, const std::string& ref) {
    j.key("component");
    j.begin_object();
    j.field("type", "container");
    j.field("bom-ref", ref);
    j.field("name", artifact.name);
    if (!artifact.digest.empty()) {
        j.field("version", artifact.digest);
    }
    if (artifact.digest.starts_with("sha256:")) {
        j.key("hashes");
        j.begin_array();
        j.begin_object();
        j.field("alg", "SHA-256");
        j.field("content", std::string_view(artifact.digest).substr(7));
        j.end_object();
        j.end_array();
    }
    j.key("properties");
    j.begin_array();
    if (!artifact.config_digest.empty()) {
        write_property(j, "cguard:config_digest", artifact.config_digest);
    }
    for (const auto& layer : artifact.layers) {
        write_property(j, "cguard:layer_digest", layer);
    }
    j.end_array();
    j.end_object();
}

void write_metadata(JsonOut& j, const ReportInput& input, const ComponentRefs& refs) {
    j.key("metadata");
    j.begin_object();
    j.field("timestamp", input.created);
    j.key("tools");
    j.begin_object();
    j.key("components");
    j.begin_array();
    j.begin_object();
    j.field("type", "application");
    j.field("name", "cguard");
    j.field("version", input.tool_version);
    j.end_object();
    j.end_array();
    j.end_object();
    write_image_component(j, input.scan->artifact, refs.image);
    j.end_object();
}

void write_os_component(JsonOut& j, const scanner::OsInfo& os, const std::string& ref) {
    j.begin_object();
    j.field("type", "operating-system");
    j.field("bom-ref", ref);
    j.field("name", os.family);
    j.field("version", os.version);
    if (!os.name.empty()) {
        j.field("description", os.name);
    }
    j.end_object();
}

void write_package_component(JsonOut& j, const scanner::Package& p, const std::string& ref) {
    j.begin_object();
    j.field("type", "library");
    j.field("bom-ref", ref);
    j.field("name", p.name);
    j.field("version", p.version);
    if (!p.purl.empty()) {
        j.field("purl", p.purl);
    }
    j.key("properties");
    j.begin_array();
    write_property(j, "cguard:package_type", p.type);
    if (!p.layer_digest.empty()) {
        write_property(j, "cguard:layer_digest", p.layer_digest);
    }
    if (!p.location.empty()) {
        write_property(j, "cguard:location", p.location);
    }
    if (!p.source_name.empty()) {
        write_property(j, "cguard:source_name", p.source_name);
    }
    if (!p.source_version.empty()) {
        write_property(j, "cguard:source_version", p.source_version);
    }
    j.end_array();
    j.end_object();
}

void write_components(JsonOut& j, const scanner::ScanReport& scan, const ComponentRefs& refs) {
    j.key("components");
    j.begin_array();
    if (!scan.os.family.empty()) {
        write_os_component(j, scan.os, refs.os);
    }
    for (size_t i = 0; i < scan.packages.size(); ++i) {
        write_package_component(j, scan.packages[i], refs.packages[i]);
    }
    j.end_array();
}

// CycloneDX has one entry per vulnerability, listing every component it affects; findings
// come one per (advisory, package), so they are grouped by id in first-seen order.
std::vector<std::vector<const Finding*>> group_by_id(const std::vector<Finding>& findings) {
    std::vector<std::vector<const Finding*>> groups;
    std::map<std::string, size_t> index_of;
    for (const auto& f : findings) {
        auto [it, inserted] = index_of.emplace(f.id, groups.size());
        if (inserted) {
            groups.emplace_back();
        }
        groups[it->second].push_back(&f);
    }
    return groups;
}

// CycloneDX 1.5 scoreMethod, from the vector's prefix; CVSS v2 vectors carry no prefix.
const char* rating_method(std::string_view vector) {
    if (vector.starts_with("CVSS:3.1/")) {
        return "CVSSv31";
    }
    if (vector.starts_with("CVSS:3.0/")) {
        return "CVSSv3";
    }
    if (vector.starts_with("CVSS:4.0/")) {
        return "CVSSv4";
    }
    if (vector.starts_with("AV:")) {
        return "CVSSv2";
    }
    return "other";
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) {
        c = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
    }
    return out;
}

void write_ratings(JsonOut& j, const std::vector<const Finding*>& group) {
    std::set<std::tuple<double, vulndb::Severity, std::string>> seen;
    j.key("ratings");
    j.begin_array();
    for (const Finding* f : group) {
        // Normalised first: NaN would break the set's ordering and is no score anyway.
        double score = std::isfinite(f->cvss_score) && f->cvss_score >= 0 ? f->cvss_score : -1;
        if (!seen.emplace(score, f->severity, f->cvss_vector).second) {
            continue;
        }
        j.begin_object();
        if (score >= 0) {
            j.field_number("score", score);
        }
        j.field("severity", lower(vulndb::severity_name(f->severity)));
        if (!f->cvss_vector.empty()) {
            j.field("method", rating_method(f->cvss_vector));
            j.field("vector", f->cvss_vector);
        }
        j.end_object();
    }
    j.end_array();
}

void write_source(JsonOut& j, std::string_view id) {
    j.key("source");
    j.begin_object();
    j.field("name", id.starts_with("CVE-") ? "NVD" : id.starts_with("GHSA-") ? "GitHub" : "OSV");
    j.field("url", advisory_url(id));
    j.end_object();
}

void write_aliases_and_advisories(JsonOut& j, const Finding& f) {
    j.key("references");
    j.begin_array();
    for (const auto& alias : f.aliases) {
        j.begin_object();
        j.field("id", alias);
        write_source(j, alias);
        j.end_object();
    }
    j.end_array();

    j.key("advisories");
    j.begin_array();
    for (const auto& url : f.references) {
        j.begin_object();
        j.field("url", url);
        j.end_object();
    }
    j.end_array();
}

void write_affects(JsonOut& j, const std::vector<const Finding*>& group,
                   const ComponentRefs& refs) {
    std::set<std::string> seen;
    j.key("affects");
    j.begin_array();
    for (const Finding* f : group) {
        std::string ref = ref_for(refs, *f);
        if (!seen.insert(ref).second) {
            continue;
        }
        j.begin_object();
        j.field("ref", ref);
        j.key("versions");
        j.begin_array();
        j.begin_object();
        j.field("version", f->installed_version);
        j.field("status", "affected");
        j.end_object();
        j.end_array();
        j.end_object();
    }
    j.end_array();
}

std::string recommendation(const std::vector<const Finding*>& group) {
    std::string text;
    std::set<std::string> seen;
    for (const Finding* f : group) {
        std::string step = "upgrade " + f->package + " to " + f->fixed_version;
        if (f->fixed_version.empty() || !seen.insert(step).second) {
            continue;
        }
        text += (text.empty() ? "" : "; ") + step;
    }
    return text;
}

void write_vulnerability(JsonOut& j, const std::vector<const Finding*>& group,
                         const ComponentRefs& refs) {
    const Finding& first = *group.front();
    j.begin_object();
    j.field("id", first.id);
    write_source(j, first.id);
    write_aliases_and_advisories(j, first);
    write_ratings(j, group);
    if (!first.title.empty()) {
        j.field("description", first.title);
    }
    if (std::string advice = recommendation(group); !advice.empty()) {
        j.field("recommendation", advice);
    }
    write_affects(j, group, refs);

    bool kev = false;
    for (const Finding* f : group) {
        kev = kev || f->kev;
    }
    j.key("properties");
    j.begin_array();
    write_property(j, "cguard:kev", kev ? "true" : "false");
    j.end_array();
    j.end_object();
}

}  // namespace

std::string render_cyclonedx(const ReportInput& input) {
    const scanner::ScanReport& scan = *input.scan;
    ComponentRefs refs = assign_refs(scan);

    JsonOut j;
    j.begin_object();
    j.field("bomFormat", "CycloneDX");
    j.field("specVersion", "1.5");
    j.field("serialNumber", "urn:uuid:" + document_uuid(input));
    j.field_uint("version", 1);
    write_metadata(j, input, refs);
    write_components(j, scan, refs);
    if (input.findings != nullptr) {
        j.key("vulnerabilities");
        j.begin_array();
        for (const auto& group : group_by_id(*input.findings)) {
            write_vulnerability(j, group, refs);
        }
        j.end_array();
    }
    j.end_object();
    return j.take();
}

}  // namespace cguard::report::detail
