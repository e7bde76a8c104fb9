#include "scanner/scanner.h"

#include <sys/stat.h>

#include <chrono>

#include "common/log.h"
#include "scanner/detail/entry.h"
#include "scanner/file_tree.h"
#include "scanner/image_source.h"
#include "scanner/inventory.h"
#include "scanner/os_release.h"

namespace cguard::scanner {
namespace {

constexpr size_t kMaxReportWarnings = 200;
// Warnings quote paths and archive locations; each quote is capped where it is made, and a
// whole warning is capped here as a last resort.
constexpr size_t kMaxWarningBytes = 2048;

enum class TargetKind { DockerArchive, OciLayout, OciArchive, Rootfs };

struct Target {
    TargetKind kind = TargetKind::DockerArchive;
    std::string path;
    std::string ref;
};

bool exists(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0;
}

// "PATH[:REF]": the whole string when it names an existing file; else split at the first ':'
// whose left part exists, since a REF may itself hold ':' and '/' (docker.io/library/alpine:3.19,
// as skopeo writes it); else at the last ':', so the error names the path the user meant.
void split_ref(const std::string& rest, Target& target) {
    if (exists(rest)) {
        target.path = rest;
        return;
    }
    for (size_t colon = rest.find(':'); colon != std::string::npos;
         colon = rest.find(':', colon + 1)) {
        if (colon > 0 && exists(rest.substr(0, colon))) {
            target.path = rest.substr(0, colon);
            target.ref = rest.substr(colon + 1);
            return;
        }
    }
    size_t colon = rest.rfind(':');
    if (colon == std::string::npos || rest.find('/', colon) != std::string::npos) {
        target.path = rest;
        return;
    }
    target.path = rest.substr(0, colon);
    target.ref = rest.substr(colon + 1);
}

Result<Target> parse_target(const std::string& text) {
    struct Scheme {
        std::string_view prefix;
        TargetKind kind;
        bool has_ref;
    };
    constexpr Scheme kSchemes[] = {{"docker-archive:", TargetKind::DockerArchive, false},
                                   {"oci-archive:", TargetKind::OciArchive, true},
                                   {"oci:", TargetKind::OciLayout, true},
                                   {"rootfs:", TargetKind::Rootfs, false}};
    Target target;
    for (const auto& scheme : kSchemes) {
        if (!text.starts_with(scheme.prefix)) {
            continue;
        }
        target.kind = scheme.kind;
        std::string rest = text.substr(scheme.prefix.size());
        if (scheme.has_ref) {
            split_ref(rest, target);
        } else {
            target.path = rest;
        }
        if (target.path.empty()) {
            return make_error(ErrorCode::InvalidArgument, "target '" + text + "' names no path");
        }
        return target;
    }
    size_t colon = text.find(':');
    if (colon != std::string::npos && text.find('/') > colon && !exists(text)) {
        return make_error(ErrorCode::InvalidArgument,
                          "unknown target scheme '" + text.substr(0, colon + 1) + "'");
    }
    if (text.empty()) {
        return make_error(ErrorCode::InvalidArgument, "empty target");
    }
    target.path = text;
    return target;
}

Result<ImageLayers> read_target(const Target& target, SourceContext& context) {
    switch (target.kind) {
        case TargetKind::DockerArchive: return read_image_archive(target.path, "", false, context);
        case TargetKind::OciArchive:
            return read_image_archive(target.path, target.ref, true, context);
        case TargetKind::OciLayout: return read_oci_layout(target.path, target.ref, context);
        case TargetKind::Rootfs: return read_rootfs(target.path, context);
    }
    return make_error(ErrorCode::Internal, "unhandled target kind");
}

void add_warnings(std::vector<std::string>& out, const std::vector<std::string>& more,
                  const std::string& prefix, size_t& dropped) {
    for (const auto& w : more) {
        if (out.size() < kMaxReportWarnings) {
            out.push_back(prefix + detail::quoted_path(w, kMaxWarningBytes));
        } else {
            ++dropped;
        }
    }
}

}  // namespace

Result<ScanReport> scan(const std::string& target_text, const ScanOptions& options) {
    auto start = std::chrono::steady_clock::now();
    auto target = parse_target(target_text);
    if (!target) {
        return forward_error(target.error());
    }
    ProgressMeter progress(options.on_progress);
    SourceContext context;
    context.analysis.hash_binaries = options.unowned_files;
    context.analysis.image_capture_cap = options.max_captured_bytes;
    context.layer_limits.max_unpacked_bytes = options.max_layer_bytes;
    context.layer_limits.max_expansion = options.max_layer_expansion;
    context.progress = &progress;
    auto image = read_target(*target, context);
    if (!image) {
        log::event(log::Level::Debug, "scan.failed",
                   {{"image", target_text}, {"error_code", error_code_name(image.error().code)}});
        return forward_error(image.error());
    }

    FileTree tree;
    for (const auto& layer : image->layers) {
        tree.apply(layer);
    }
    ScanReport report;
    report.artifact = std::move(image->artifact);
    report.artifact.name = target_text;
    report.os = detect_os(tree);
    Inventory inventory = build_inventory(tree, report.os, options.unowned_files);
    report.packages = std::move(inventory.packages);
    report.unowned_files = std::move(inventory.unowned_files);

    size_t dropped = 0;
    add_warnings(report.warnings, image->warnings, "", dropped);
    for (const auto& layer : image->layers) {
        add_warnings(report.warnings, layer.warnings,
                     layer.digest.empty() ? "" : "layer " + layer.digest + ": ", dropped);
    }
    add_warnings(report.warnings, inventory.warnings, "", dropped);
    if (dropped > 0) {
        report.warnings.push_back(std::to_string(dropped) + " more warnings not listed");
    }

    uint64_t bytes = 0;
    for (const auto& layer : image->layers) {
        bytes += layer.raw_bytes;
    }
    progress.update(bytes, image->layers.size(), true);
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                  std::chrono::steady_clock::now() - start)
                  .count();
    log::event(log::Level::Debug, "scan.finished",
               {{"image", target_text},
                {"packages", report.packages.size()},
                {"files", tree.size()},
                {"warnings", report.warnings.size()},
                {"duration_ms", static_cast<long long>(ms)}});
    return report;
}

}  // namespace cguard::scanner
