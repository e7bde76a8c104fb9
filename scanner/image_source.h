// Image sources: each turns a target (docker-save archive, OCI layout or archive, root
// filesystem) into its layers' LayerResults in manifest order, with every digest verified.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "common/result.h"
#include "scanner/layer_analysis.h"
#include "scanner/scanner.h"

namespace cguard::scanner {

struct ImageLayers {
    Artifact artifact;
    std::vector<LayerResult> layers;  // bottom first; LayerResult::digest set
    std::vector<std::string> warnings;
};

// Rate-limits ScanOptions::on_progress to about five calls a second.
class ProgressMeter {
public:
    explicit ProgressMeter(std::function<void(const Progress&)> callback)
        : callback_(std::move(callback)) {}
    void set_total(uint64_t bytes_total, size_t layers_total);
    void update(uint64_t bytes_read, size_t layers_done, bool force = false);

private:
    std::function<void(const Progress&)> callback_;
    Progress progress_;
    std::chrono::steady_clock::time_point last_{};
};

struct SourceContext {
    AnalysisOptions analysis;
    LayerLimits layer_limits;
    ProgressMeter* progress = nullptr;
    // Captured file contents are capped per image (analysis.image_capture_cap) as well as per
    // layer: each layer's analysis is told what earlier layers kept (layer_options()), and
    // count() adds what a finished layer kept.
    uint64_t captured_bytes = 0;

    AnalysisOptions layer_options() const;
    void count(const LayerResult& layer);
};

// docker save output (plain, gzip or zstd), or a tar of an OCI layout (oci_ref selects the
// manifest, see read_oci_layout). One sequential pass; manifest.json may come last.
// Errors: NotFound, Io, Corrupt, DigestMismatch, Unsupported.
Result<ImageLayers> read_image_archive(const std::string& path, const std::string& oci_ref,
                                       bool oci, SourceContext& context);

// OCI image layout directory. `ref` matches org.opencontainers.image.ref.name; empty takes the
// only manifest, else the first linux/amd64 one. Same errors as above.
Result<ImageLayers> read_oci_layout(const std::string& dir, const std::string& ref,
                                    SourceContext& context);

// A root filesystem directory as one layer with an empty digest. Pseudo filesystems (proc,
// sysfs, cgroup, ...) are not entered; unreadable or vanishing files become warnings.
// Errors: NotFound/Io when `dir` itself cannot be opened.
Result<ImageLayers> read_rootfs(const std::string& dir, SourceContext& context);

}  // namespace cguard::scanner
