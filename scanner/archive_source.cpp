// docker-save archives and tars of OCI layouts, read in one sequential pass: every member that
// is a layer is analysed as it streams past (the nested reader pulls from the outer one), small
// JSON members are kept, and the manifest (which docker save writes last) is resolved at the end.
#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <map>
#include <memory>

#include "common/check.h"
#include "common/log.h"
#include "scanner/detail/image_manifest.h"
#include "scanner/image_source.h"
#include "scanner/layer_reader.h"

namespace cguard::scanner {
namespace {

constexpr size_t kPeekBytes = 512;

struct MemberLayer {
    LayerResult result;
    std::optional<Error> error;
};

struct ArchivePass {
    std::map<std::string, MemberLayer> layers;  // by normalised member path
    std::map<std::string, std::string> json;
    std::vector<std::string> warnings;
};

struct ArchiveDeleter {
    void operator()(struct archive* a) const { archive_read_free(a); }
};
using ArchivePtr = std::unique_ptr<struct archive, ArchiveDeleter>;

Unexpected<Error> outer_error(struct archive* a, const std::string& path) {
    const char* why = archive_error_string(a);
    return make_error(ErrorCode::Corrupt,
                      path + ": " + (why != nullptr ? why : "unreadable archive"));
}

// The current member of the outer archive: first the peeked prefix, then the rest.
class MemberSource : public ByteSource {
public:
    MemberSource(struct archive* outer, std::string prefix)
        : outer_(outer), prefix_(std::move(prefix)) {}

    Result<size_t> read(void* buf, size_t size) override {
        if (offset_ < prefix_.size()) {
            size_t n = std::min(size, prefix_.size() - offset_);
            std::memcpy(buf, prefix_.data() + offset_, n);
            offset_ += n;
            return n;
        }
        la_ssize_t got = archive_read_data(outer_, buf, size);
        if (got < 0) {
            outer_failed_ = true;
            const char* why = archive_error_string(outer_);
            return make_error(ErrorCode::Corrupt,
                              std::string("outer archive: ") + (why ? why : "read failed"));
        }
        return static_cast<size_t>(got);
    }
    bool outer_failed() const { return outer_failed_; }

private:
    struct archive* outer_;
    std::string prefix_;
    size_t offset_ = 0;
    bool outer_failed_ = false;
};

Result<std::string> peek(struct archive* a, size_t want) {
    std::string out(want, '\0');
    size_t have = 0;
    while (have < want) {
        la_ssize_t got = archive_read_data(a, out.data() + have, want - have);
        if (got < 0) {
            return make_error(ErrorCode::Corrupt, "outer archive: read failed");
        }
        if (got == 0) {
            break;
        }
        have += static_cast<size_t>(got);
    }
    out.resize(have);
    return out;
}

bool looks_like_layer(std::string_view name, std::string_view prefix) {
    if (prefix.starts_with("\x1f\x8b") || prefix.starts_with("\x28\xb5\x2f\xfd")) {
        return true;
    }
    if (prefix.size() >= 262 && prefix.substr(257, 5) == "ustar") {
        return true;
    }
    return name.ends_with("layer.tar");
}

bool looks_like_json(std::string_view prefix) {
    for (char c : prefix) {
        if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
            continue;
        }
        return c == '{' || c == '[';
    }
    return false;
}

// Handles one regular member of the outer archive.
Result<void> take_member(struct archive* a, const std::string& name, uint64_t size,
                         SourceContext& context, ArchivePass& pass) {
    auto prefix = peek(a, kPeekBytes);
    if (!prefix) {
        return forward_error(prefix.error());
    }
    if (looks_like_layer(name, *prefix)) {
        auto start = std::chrono::steady_clock::now();
        MemberSource source(a, std::move(*prefix));
        LayerAnalysis analysis(context.layer_options());
        MemberLayer& member = pass.layers[name];
        auto stats =
            read_layer(source, name, analysis, member.result.warnings, context.layer_limits);
        if (source.outer_failed()) {
            return forward_error(stats ? Error{ErrorCode::Corrupt, "outer archive"}
                                       : stats.error());
        }
        std::vector<std::string> early = std::move(member.result.warnings);
        member.result = analysis.take();
        context.count(member.result);
        member.result.warnings.insert(member.result.warnings.begin(), early.begin(), early.end());
        if (!stats) {
            member.error = stats.error();
            return {};
        }
        member.result.raw_sha256 = stats->sha256;
        member.result.raw_bytes = stats->raw_bytes;
        auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::steady_clock::now() - start)
                      .count();
        log::event(log::Level::Debug, "scan.layer_done",
                   {{"digest", "sha256:" + stats->sha256},
                    {"files", stats->entries},
                    {"bytes", stats->raw_bytes},
                    {"duration_ms", static_cast<long long>(ms)}});
        return {};
    }
    if (size > detail::kMaxJsonBytes || !looks_like_json(*prefix)) {
        return {};
    }
    std::string text = std::move(*prefix);
    auto rest = peek(a, size - text.size());
    if (!rest) {
        return forward_error(rest.error());
    }
    pass.json[name] = text + *rest;
    return {};
}

Result<ArchivePass> read_members(const std::string& path, SourceContext& context) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return make_error(errno == ENOENT ? ErrorCode::NotFound : ErrorCode::Io,
                          path + ": " + std::strerror(errno));
    }
    struct stat st {};
    uint64_t total = ::fstat(fd, &st) == 0 ? static_cast<uint64_t>(st.st_size) : 0;
    ArchivePtr a(archive_read_new());
    CS_CHECK(a != nullptr);
    archive_read_support_filter_gzip(a.get());
    archive_read_support_filter_zstd(a.get());
    archive_read_support_format_tar(a.get());
    if (archive_read_open_fd(a.get(), fd, 128 * 1024) != ARCHIVE_OK) {
        auto err = outer_error(a.get(), path);
        ::close(fd);
        return err;
    }
    if (context.progress != nullptr) {
        context.progress->set_total(total, 0);
    }
    ArchivePass pass;
    Result<void> status;
    while (true) {
        struct archive_entry* entry = nullptr;
        int rc = archive_read_next_header(a.get(), &entry);
        if (rc == ARCHIVE_EOF) {
            break;
        }
        if (rc < ARCHIVE_WARN) {
            status = outer_error(a.get(), path);
            break;
        }
        auto name =
            normalize_path(archive_entry_pathname(entry) ? archive_entry_pathname(entry) : "");
        if (!name || name->empty() || archive_entry_filetype(entry) != AE_IFREG) {
            continue;
        }
        status = take_member(a.get(), *name, static_cast<uint64_t>(archive_entry_size(entry)),
                             context, pass);
        if (!status) {
            break;
        }
        if (context.progress != nullptr) {
            context.progress->update(static_cast<uint64_t>(archive_filter_bytes(a.get(), -1)),
                                     pass.layers.size());
        }
    }
    ::close(fd);
    if (!status) {
        return forward_error(status.error());
    }
    return pass;
}

// Moves (or copies, when the manifest names it again) a member's result into the image.
Result<void> add_layer(ArchivePass& pass, const std::string& member, const std::string& digest,
                       bool last_use, ImageLayers& image) {
    auto it = pass.layers.find(member);
    if (it == pass.layers.end()) {
        return make_error(ErrorCode::NotFound, "layer " + member + " is not in the archive");
    }
    if (it->second.error) {
        return forward_error(*it->second.error);
    }
    std::string actual = "sha256:" + it->second.result.raw_sha256;
    if (actual != digest) {
        return make_error(ErrorCode::DigestMismatch,
                          "layer " + member + " (" + digest + "): content hashes to " + actual);
    }
    image.layers.push_back(last_use ? std::move(it->second.result) : it->second.result);
    image.layers.back().digest = digest;
    image.artifact.layers.push_back(digest);
    return {};
}

bool used_later(const std::vector<std::string>& members, size_t i) {
    for (size_t j = i + 1; j < members.size(); ++j) {
        if (members[j] == members[i]) {
            return true;
        }
    }
    return false;
}

Result<ImageLayers> resolve_docker(ArchivePass& pass, const std::string& manifest_text) {
    auto manifest = detail::parse_docker_manifest(manifest_text);
    if (!manifest) {
        return forward_error(manifest.error());
    }
    ImageLayers image;
    if (manifest->images > 1) {
        image.warnings.push_back("manifest.json lists " + std::to_string(manifest->images) +
                                 " images; only the first was scanned");
    }
    auto config = pass.json.find(normalize_path(manifest->config).value_or(""));
    if (config == pass.json.end()) {
        return make_error(ErrorCode::NotFound, "image config " + manifest->config + " missing");
    }
    std::string config_digest = detail::digest_from_member(config->first);
    if (!config_digest.empty()) {
        if (auto ok = detail::verify_digest(config->second, config_digest, "image config"); !ok) {
            return forward_error(ok.error());
        }
    }
    image.artifact.config_digest = config_digest;
    auto diff_ids = detail::parse_diff_ids(config->second);
    if (!diff_ids) {
        return forward_error(diff_ids.error());
    }
    if (diff_ids->size() != manifest->layers.size()) {
        return make_error(ErrorCode::Corrupt,
                          "manifest.json and the image config disagree on "
                          "the number of layers");
    }
    std::vector<std::string> members;
    for (const auto& layer : manifest->layers) {
        members.push_back(normalize_path(layer).value_or(""));
    }
    for (size_t i = 0; i < members.size(); ++i) {
        std::string digest = members[i].starts_with("blobs/")
                                 ? detail::digest_from_member(members[i])
                                 : (*diff_ids)[i];
        if (auto ok = add_layer(pass, members[i], digest, !used_later(members, i), image); !ok) {
            return forward_error(ok.error());
        }
    }
    return image;
}

Result<ImageLayers> resolve_oci(ArchivePass& pass, const std::string& ref) {
    auto index = pass.json.find("index.json");
    if (index == pass.json.end()) {
        return make_error(ErrorCode::NotFound, "no manifest.json or index.json in the archive");
    }
    detail::BlobLoader load = [&pass](const std::string& digest) -> Result<std::string> {
        auto it = pass.json.find("blobs/sha256/" + digest.substr(7));
        if (it == pass.json.end()) {
            return make_error(ErrorCode::NotFound, "blob " + digest + " is not in the archive");
        }
        if (auto ok = detail::verify_digest(it->second, digest, "blob"); !ok) {
            return forward_error(ok.error());
        }
        return it->second;
    };
    auto manifest = detail::select_manifest(index->second, ref, load);
    if (!manifest) {
        return forward_error(manifest.error());
    }
    // load() takes the hex part after "sha256:", so a malformed digest is refused first.
    if (auto ok = detail::check_digest(manifest->config_digest); !ok) {
        return forward_error(ok.error(), "image config");
    }
    if (auto config = load(manifest->config_digest); !config) {
        return forward_error(config.error(), "image config");
    }
    ImageLayers image;
    image.artifact.digest = manifest->digest;
    image.artifact.config_digest = manifest->config_digest;
    std::vector<std::string> members;
    for (const auto& digest : manifest->layer_digests) {
        if (auto ok = detail::check_digest(digest); !ok) {
            return forward_error(ok.error(), "image manifest");
        }
        members.push_back("blobs/sha256/" + digest.substr(7));
    }
    for (size_t i = 0; i < members.size(); ++i) {
        if (auto ok = add_layer(pass, members[i], manifest->layer_digests[i],
                                !used_later(members, i), image);
            !ok) {
            return forward_error(ok.error());
        }
    }
    return image;
}

}  // namespace

Result<ImageLayers> read_image_archive(const std::string& path, const std::string& oci_ref,
                                       bool oci, SourceContext& context) {
    auto pass = read_members(path, context);
    if (!pass) {
        return forward_error(pass.error());
    }
    auto manifest = pass->json.find("manifest.json");
    auto image = !oci && manifest != pass->json.end() ? resolve_docker(*pass, manifest->second)
                                                      : resolve_oci(*pass, oci_ref);
    if (!image) {
        return forward_error(image.error(), path);
    }
    for (auto& w : pass->warnings) {
        image->warnings.push_back(std::move(w));
    }
    return image;
}

}  // namespace cguard::scanner
