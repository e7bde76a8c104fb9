// SPDX 2.3 JSON (https://spdx.github.io/spdx-spec/v2.3/): the image as the described root
// package, which CONTAINS the OS and every package found in it.
#include <set>

#include "report/detail/json_out.h"
#include "report/detail/writers.h"

namespace cguard::report::detail {
namespace {

// SPDX identifiers allow only letters, digits, '.' and '-'; everything else becomes '-'.
std::string spdx_id_part(std::string_view text) {
    std::string out;
    for (char c : text) {
        bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       c == '.' || c == '-';
        out += allowed ? c : '-';
    }
    return out;
}

// Sanitising can map two packages to one id ("a_b" and "a+b"), so repeats get "-2", "-3", ...
std::string claim(std::set<std::string>& used, const std::string& base) {
    std::string id = base;
    for (int n = 2; !used.insert(id).second; ++n) {
        id = base + "-" + std::to_string(n);
    }
    return id;
}

struct SpdxIds {
    std::string image;
    std::string os;
    std::vector<std::string> packages;  // parallel to ScanReport::packages
};

SpdxIds assign_ids(const scanner::ScanReport& scan) {
    SpdxIds ids;
    std::set<std::string> used = {"SPDXRef-DOCUMENT"};
    ids.image = claim(used, "SPDXRef-Image");
    ids.os = claim(used, "SPDXRef-OperatingSystem");
    for (const auto& p : scan.packages) {
        ids.packages.push_back(claim(
            used, "SPDXRef-Package-" + spdx_id_part(p.type + "-" + p.name + "-" + p.version)));
    }
    return ids;
}

// A namespace must be a unique URI without '#'; the document UUID makes it unique, the name
// part only helps a human, so it is reduced to id-safe characters.
std::string document_namespace(const ReportInput& input) {
    return "https://spdx.org/spdxdocs/cguard/" + spdx_id_part(input.scan->artifact.name) + "-" +
           document_uuid(input);
}

void write_no_assertions(JsonOut& j) {
    j.field("downloadLocation", "NOASSERTION");
    j.field_bool("filesAnalyzed", false);
    j.field("licenseConcluded", "NOASSERTION");
    j.field("licenseDeclared", "NOASSERTION");
    j.field("copyrightText", "NOASSERTION");
}

void write_image_package(JsonOut& j, const scanner::Artifact& artifact, const std::string& id) {
    j.begin_object();
    j.field("SPDXID", id);
    j.field("name", artifact.name);
    if (!artifact.digest.empty()) {
        j.field("versionInfo", artifact.digest);
    }
    write_no_assertions(j);
    if (artifact.digest.starts_with("sha256:")) {
        j.key("checksums");
        j.begin_array();
        j.begin_object();
        j.field("algorithm", "SHA256");
        j.field("checksumValue", std::string_view(artifact.digest).substr(7));
        j.end_object();
        j.end_array();
    }
    j.field("primaryPackagePurpose", "CONTAINER");
    j.end_object();
}

void write_os_package(JsonOut& j, const scanner::OsInfo& os, const std::string& id) {
    j.begin_object();
    j.field("SPDXID", id);
    j.field("name", os.family);
    if (!os.version.empty()) {
        j.field("versionInfo", os.version);
    }
    write_no_assertions(j);
    if (!os.name.empty()) {
        j.field("description", os.name);
    }
    j.field("primaryPackagePurpose", "OPERATING-SYSTEM");
    j.end_object();
}

void write_package(JsonOut& j, const scanner::Package& p, const std::string& id) {
    j.begin_object();
    j.field("SPDXID", id);
    j.field("name", p.name);
    if (!p.version.empty()) {
        j.field("versionInfo", p.version);
    }
    write_no_assertions(j);
    if (!p.location.empty()) {
        j.field("sourceInfo", "found in /" + p.location + " (layer " + p.layer_digest + ")");
    }
    if (!p.purl.empty()) {
        j.key("externalRefs");
        j.begin_array();
        j.begin_object();
        j.field("referenceCategory", "PACKAGE-MANAGER");
        j.field("referenceType", "purl");
        j.field("referenceLocator", p.purl);
        j.end_object();
        j.end_array();
    }
    j.field("primaryPackagePurpose", "LIBRARY");
    j.end_object();
}

void write_relationship(JsonOut& j, std::string_view from, std::string_view type,
                        std::string_view to) {
    j.begin_object();
    j.field("spdxElementId", from);
    j.field("relationshipType", type);
    j.field("relatedSpdxElement", to);
    j.end_object();
}

void write_creation_info(JsonOut& j, const ReportInput& input) {
    j.key("creationInfo");
    j.begin_object();
    j.field("created", input.created);
    j.key("creators");
    j.begin_array();
    j.string("Tool: cguard-" + input.tool_version);
    j.end_array();
    j.end_object();
}

}  // namespace

std::string render_spdx(const ReportInput& input) {
    const scanner::ScanReport& scan = *input.scan;
    const bool has_os = !scan.os.family.empty();
    SpdxIds ids = assign_ids(scan);

    JsonOut j;
    j.begin_object();
    j.field("spdxVersion", "SPDX-2.3");
    j.field("dataLicense", "CC0-1.0");
    j.field("SPDXID", "SPDXRef-DOCUMENT");
    j.field("name", scan.artifact.name);
    j.field("documentNamespace", document_namespace(input));
    write_creation_info(j, input);

    j.key("packages");
    j.begin_array();
    write_image_package(j, scan.artifact, ids.image);
    if (has_os) {
        write_os_package(j, scan.os, ids.os);
    }
    for (size_t i = 0; i < scan.packages.size(); ++i) {
        write_package(j, scan.packages[i], ids.packages[i]);
    }
    j.end_array();

    j.key("relationships");
    j.begin_array();
    write_relationship(j, "SPDXRef-DOCUMENT", "DESCRIBES", ids.image);
    if (has_os) {
        write_relationship(j, ids.image, "CONTAINS", ids.os);
    }
    for (const auto& id : ids.packages) {
        write_relationship(j, ids.image, "CONTAINS", id);
    }
    j.end_array();
    j.end_object();
    return j.take();
}

}  // namespace cguard::report::detail
