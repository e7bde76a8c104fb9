// The human report: what the image is, what is inside it, and (when matched) what is wrong with
// it, most severe first. Every string from the image goes through TextTable/terminal_safe.
#include <algorithm>

#include "report/detail/text_table.h"
#include "report/detail/writers.h"

namespace cguard::report::detail {
namespace {

using vulndb::Finding;

constexpr size_t kTitleWidth = 60;
constexpr size_t kCellWidth = 64;
constexpr size_t kPathWidth = 96;

// "sha256:0123456789abcdef..." -> "0123456789ab", the length `docker images` shows.
std::string short_digest(std::string_view digest) {
    if (size_t colon = digest.find(':'); colon != std::string_view::npos) {
        digest.remove_prefix(colon + 1);
    }
    return std::string(digest.substr(0, 12));
}

std::string header_lines(const scanner::ScanReport& scan) {
    std::string out = "Image: " + terminal_safe(scan.artifact.name) + "\n";
    if (!scan.artifact.digest.empty()) {
        out += "Digest: " + terminal_safe(scan.artifact.digest) + "\n";
    }
    if (scan.os.family.empty()) {
        return out + "OS: unknown\n";
    }
    std::string name = scan.os.name.empty() ? scan.os.family : scan.os.name;
    return out +
           "OS: " + terminal_safe(name + " " + scan.os.version + " (" + scan.os.family + ")") +
           "\n";
}

std::string package_section(const std::vector<scanner::Package>& packages) {
    TextTable table({{"TYPE", kCellWidth},
                     {"NAME", kCellWidth},
                     {"VERSION", kCellWidth},
                     {"SOURCE", kCellWidth},
                     {"LAYER", 12}});
    for (const auto& p : packages) {
        std::string source = p.source_name;
        if (!p.source_version.empty()) {
            source += " " + p.source_version;
        }
        table.add_row({p.type, p.name, p.version, source, short_digest(p.layer_digest)});
    }
    return "\nPackages (" + std::to_string(packages.size()) + ")\n" + table.render();
}

std::string unowned_section(const std::vector<scanner::UnownedFile>& files) {
    if (files.empty()) {
        return {};
    }
    TextTable table({{"PATH", kPathWidth}, {"SIZE", 0}, {"SHA256", 12}, {"LAYER", 12}});
    for (const auto& f : files) {
        table.add_row(
            {f.path, std::to_string(f.size), short_digest(f.sha256), short_digest(f.layer_digest)});
    }
    return "\nUnowned files (" + std::to_string(files.size()) + ")\n" + table.render();
}

std::string warning_section(const std::vector<std::string>& warnings) {
    if (warnings.empty()) {
        return {};
    }
    std::string out = "\nWarnings (" + std::to_string(warnings.size()) + ")\n";
    for (const auto& warning : warnings) {
        out += "- " + terminal_safe(warning) + "\n";
    }
    return out;
}

std::vector<const Finding*> by_severity_then_package(const std::vector<Finding>& findings) {
    std::vector<const Finding*> sorted;
    for (const auto& f : findings) {
        sorted.push_back(&f);
    }
    std::stable_sort(sorted.begin(), sorted.end(), [](const Finding* a, const Finding* b) {
        if (a->severity != b->severity) {
            return a->severity > b->severity;
        }
        if (a->package != b->package) {
            return a->package < b->package;
        }
        return a->id < b->id;
    });
    return sorted;
}

std::string summary_line(const std::vector<Finding>& findings) {
    SeverityCounts counts = count_findings(findings);
    std::string out = "Total: " + std::to_string(counts.total) + " (";
    for (vulndb::Severity s : kSeveritiesDescending) {
        out += std::string(s == kSeveritiesDescending.front() ? "" : ", ") +
               vulndb::severity_name(s) + ": " +
               std::to_string(counts.by_severity[static_cast<size_t>(s)]);
    }
    return out + ")\n";
}

// Where a language package was found (a binary, a manifest); OS packages all live in their
// package database, so naming it would only repeat one path.
std::string found_in(const Finding& f) {
    bool os_package = f.package_type == "deb" || f.package_type == "apk" || f.package_type == "rpm";
    return os_package ? "" : f.location;
}

std::string vulnerability_section(const std::vector<Finding>& findings) {
    TextTable table({{"ID", kCellWidth},
                     {"SEVERITY", 0},
                     {"PACKAGE", kCellWidth},
                     {"INSTALLED", kCellWidth},
                     {"FIXED", kCellWidth},
                     {"KEV", 0},
                     {"FOUND IN", kCellWidth},
                     {"TITLE", kTitleWidth}});
    for (const Finding* f : by_severity_then_package(findings)) {
        table.add_row({f->id, vulndb::severity_name(f->severity), f->package, f->installed_version,
                       f->fixed_version, f->kev ? "yes" : "", found_in(*f), f->title});
    }
    return "\nVulnerabilities (" + std::to_string(findings.size()) + ")\n" + table.render() +
           summary_line(findings);
}

}  // namespace

std::string render_table(const ReportInput& input) {
    const scanner::ScanReport& scan = *input.scan;
    std::string out = header_lines(scan);
    out += package_section(scan.packages);
    out += unowned_section(scan.unowned_files);
    out += warning_section(scan.warnings);
    if (input.findings != nullptr) {
        out += vulnerability_section(*input.findings);
    }
    return out;
}

}  // namespace cguard::report::detail
