// OCI image layout directories: index.json -> manifest -> config and layers, each blob opened
// by digest under blobs/ and verified.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include "common/log.h"
#include "scanner/detail/image_manifest.h"
#include "scanner/image_source.h"
#include "scanner/layer_reader.h"

namespace cguard::scanner {
namespace {

class Fd {
public:
    explicit Fd(int fd) : fd_(fd) {}
    ~Fd() {
        if (fd_ >= 0) {
            ::close(fd_);
        }
    }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    int get() const { return fd_; }

private:
    int fd_;
};

// Only regular files: a blob that is (or links to) a FIFO would block the open, and one that
// is /dev/zero would stream forever before its digest could be checked.
Result<int> open_file(const std::string& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        return make_error(errno == ENOENT ? ErrorCode::NotFound : ErrorCode::Io,
                          path + ": " + std::strerror(errno));
    }
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        return make_error(ErrorCode::Corrupt, path + ": not a regular file");
    }
    return fd;
}

Result<std::string> read_small(const std::string& path) {
    auto fd = open_file(path);
    if (!fd) {
        return forward_error(fd.error());
    }
    Fd guard(*fd);
    FdSource source(*fd);
    std::string out;
    char buf[64 * 1024];
    while (true) {
        auto got = source.read(buf, sizeof buf);
        if (!got) {
            return forward_error(got.error(), path);
        }
        if (*got == 0) {
            return out;
        }
        if (out.size() + *got > detail::kMaxJsonBytes) {
            return make_error(ErrorCode::LimitExceeded, path + " is larger than 8 MiB");
        }
        out.append(buf, *got);
    }
}

std::string blob_path(const std::string& dir, const std::string& digest) {
    return dir + "/blobs/sha256/" + digest.substr(7);
}

// Reports bytes as a layer streams, so one large layer still moves the progress line.
class ProgressSource : public ByteSource {
public:
    ProgressSource(ByteSource& inner, ProgressMeter* meter, uint64_t bytes_before,
                   size_t layers_done)
        : inner_(inner), meter_(meter), bytes_(bytes_before), layers_done_(layers_done) {}

    Result<size_t> read(void* buf, size_t size) override {
        auto got = inner_.read(buf, size);
        if (got && meter_ != nullptr) {
            bytes_ += *got;
            meter_->update(bytes_, layers_done_);
        }
        return got;
    }

private:
    ByteSource& inner_;
    ProgressMeter* meter_;
    uint64_t bytes_;
    size_t layers_done_;
};

Result<LayerResult> read_blob_layer(const std::string& dir, const std::string& digest,
                                    SourceContext& context, size_t layers_done,
                                    uint64_t& bytes_done) {
    auto fd = open_file(blob_path(dir, digest));
    if (!fd) {
        return forward_error(fd.error(), "layer " + digest);
    }
    Fd guard(*fd);
    FdSource file(*fd);
    ProgressSource source(file, context.progress, bytes_done, layers_done);
    LayerAnalysis analysis(context.layer_options());
    std::vector<std::string> warnings;
    auto start = std::chrono::steady_clock::now();
    auto stats = read_layer(source, digest, analysis, warnings, context.layer_limits);
    if (!stats) {
        return forward_error(stats.error());
    }
    if ("sha256:" + stats->sha256 != digest) {
        return make_error(ErrorCode::DigestMismatch,
                          "layer " + digest + ": content hashes to sha256:" + stats->sha256);
    }
    LayerResult result = analysis.take();
    context.count(result);
    result.warnings.insert(result.warnings.begin(), warnings.begin(), warnings.end());
    result.digest = digest;
    result.raw_sha256 = stats->sha256;
    result.raw_bytes = stats->raw_bytes;
    bytes_done += stats->raw_bytes;
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                  std::chrono::steady_clock::now() - start)
                  .count();
    log::event(log::Level::Debug, "scan.layer_done",
               {{"digest", digest},
                {"files", stats->entries},
                {"bytes", stats->raw_bytes},
                {"duration_ms", static_cast<long long>(ms)}});
    return result;
}

}  // namespace

Result<ImageLayers> read_oci_layout(const std::string& dir, const std::string& ref,
                                    SourceContext& context) {
    auto index = read_small(dir + "/index.json");
    if (!index) {
        return forward_error(index.error());
    }
    detail::BlobLoader load = [&dir](const std::string& digest) -> Result<std::string> {
        auto text = read_small(blob_path(dir, digest));
        if (!text) {
            return forward_error(text.error());
        }
        if (auto ok = detail::verify_digest(*text, digest, "blob"); !ok) {
            return forward_error(ok.error());
        }
        return text;
    };
    auto manifest = detail::select_manifest(*index, ref, load);
    if (!manifest) {
        return forward_error(manifest.error(), dir);
    }
    if (auto ok = detail::check_digest(manifest->config_digest); !ok) {
        return forward_error(ok.error(), "image config");
    }
    if (auto config = load(manifest->config_digest); !config) {
        return forward_error(config.error(), "image config");
    }

    ImageLayers image;
    image.artifact.digest = manifest->digest;
    image.artifact.config_digest = manifest->config_digest;
    uint64_t bytes_done = 0;
    if (context.progress != nullptr) {
        context.progress->set_total(0, manifest->layer_digests.size());
    }
    for (const auto& digest : manifest->layer_digests) {
        if (auto ok = detail::check_digest(digest); !ok) {
            return forward_error(ok.error(), "image manifest");
        }
        auto layer = read_blob_layer(dir, digest, context, image.layers.size(), bytes_done);
        if (!layer) {
            return forward_error(layer.error());
        }
        image.layers.push_back(std::move(*layer));
        image.artifact.layers.push_back(digest);
        if (context.progress != nullptr) {
            context.progress->update(bytes_done, image.layers.size());
        }
    }
    return image;
}

}  // namespace cguard::scanner
