#include "scanner/layer_reader.h"

#include <archive.h>
#include <archive_entry.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>

#include "common/check.h"
#include "common/log.h"
#include "common/sha256.h"

namespace cguard::scanner {
namespace {

constexpr size_t kRawBufferBytes = 128 * 1024;
// libarchive gets the raw bytes in slices this small because the read callback is the only
// place a skip of entry data comes back to us: zstd can turn 16 KiB into about 512 MiB, gzip
// into 16 MiB, which bounds the work done past a limit.
constexpr size_t kFeedBytes = 16 * 1024;
constexpr size_t kWarningsPerLayer = 20;

// State shared with libarchive's read callback: pulls raw bytes, hashes them on the way and
// stops the walk when the layer unpacks to too much.
struct RawStream {
    ByteSource* source = nullptr;
    const std::string* layer = nullptr;
    const LayerLimits* limits = nullptr;
    Sha256 hash;
    uint64_t bytes = 0;  // pulled from the source
    uint64_t fed = 0;    // handed to libarchive
    std::unique_ptr<char[]> buffer = std::make_unique<char[]>(kRawBufferBytes);
    size_t filled = 0;
    size_t offset = 0;
    std::optional<Error> error;  // our own error, reported instead of libarchive's
};

// The uncompressed position of the tar reader: libarchive skips unread entry data by reading
// through it, so skipped bytes are counted too.
uint64_t unpacked_bytes(struct archive* a) {
    la_int64_t position = archive_filter_bytes(a, 0);
    return position > 0 ? static_cast<uint64_t>(position) : 0;
}

std::optional<Error> expansion_error(const RawStream& raw, uint64_t unpacked) {
    const LayerLimits& limits = *raw.limits;
    if (unpacked > limits.max_unpacked_bytes) {
        return Error{ErrorCode::LimitExceeded, "layer " + *raw.layer + " unpacks to more than " +
                                                   std::to_string(limits.max_unpacked_bytes) +
                                                   " bytes"};
    }
    if (limits.max_expansion > 0 && unpacked > limits.expansion_checked_after &&
        unpacked / limits.max_expansion > raw.fed) {
        return Error{ErrorCode::LimitExceeded, "layer " + *raw.layer + " expands more than " +
                                                   std::to_string(limits.max_expansion) +
                                                   "x (decompression bomb?)"};
    }
    return std::nullopt;
}

la_ssize_t raw_read(struct archive* a, void* client, const void** out) {
    auto* raw = static_cast<RawStream*>(client);
    if (auto refused = expansion_error(*raw, unpacked_bytes(a))) {
        raw->error = std::move(refused);
        archive_set_error(a, EFBIG, "%s", raw->error->message.c_str());
        return -1;
    }
    if (raw->offset == raw->filled) {
        auto got = raw->source->read(raw->buffer.get(), kRawBufferBytes);
        if (!got) {
            raw->error = got.error();
            archive_set_error(a, EIO, "%s", got.error().message.c_str());
            return -1;
        }
        raw->hash.update(raw->buffer.get(), *got);
        raw->bytes += *got;
        raw->filled = *got;
        raw->offset = 0;
    }
    size_t n = std::min(kFeedBytes, raw->filled - raw->offset);
    *out = raw->buffer.get() + raw->offset;
    raw->offset += n;
    raw->fed += n;
    return static_cast<la_ssize_t>(n);
}

struct ArchiveDeleter {
    void operator()(struct archive* a) const { archive_read_free(a); }
};
using ArchivePtr = std::unique_ptr<struct archive, ArchiveDeleter>;

class ArchiveContent : public detail::ContentReader {
public:
    ArchiveContent(struct archive* a, RawStream& raw, const std::string& layer, bool readable)
        : archive_(a), raw_(raw), layer_(layer), readable_(readable) {}

    Result<size_t> read(void* buf, size_t size) override {
        if (!readable_ || size == 0) {
            return size_t{0};
        }
        la_ssize_t got = archive_read_data(archive_, buf, size);
        if (got < 0) {
            failed_ = true;
            return stream_error(archive_, raw_, layer_);
        }
        return static_cast<size_t>(got);
    }

    bool failed() const { return failed_; }

    static Unexpected<Error> stream_error(struct archive* a, const RawStream& raw,
                                          const std::string& layer) {
        if (raw.error && raw.error->code == ErrorCode::LimitExceeded) {
            return forward_error(*raw.error);  // already names the layer
        }
        if (raw.error) {
            return forward_error(*raw.error, "layer " + layer);
        }
        const char* why = archive_error_string(a);
        return make_error(ErrorCode::Corrupt,
                          "layer " + layer + ": " + (why != nullptr ? why : "unreadable archive"));
    }

private:
    struct archive* archive_;
    RawStream& raw_;
    const std::string& layer_;
    bool readable_;
    bool failed_ = false;
};

detail::EntryType entry_type(struct archive_entry* entry) {
    if (archive_entry_hardlink(entry) != nullptr) {
        return detail::EntryType::Hardlink;
    }
    switch (archive_entry_filetype(entry)) {
        case AE_IFREG: return detail::EntryType::Regular;
        case AE_IFDIR: return detail::EntryType::Directory;
        case AE_IFLNK: return detail::EntryType::Symlink;
        default: return detail::EntryType::Other;
    }
}

size_t depth_of(std::string_view path) {
    size_t depth = 1;
    for (char c : path) {
        depth += c == '/' ? 1 : 0;
    }
    return depth;
}

// Builds the normalised header, or returns the reason the entry must be dropped.
std::optional<std::string> make_header(struct archive_entry* entry, const LayerLimits& limits,
                                       detail::EntryHeader& header) {
    const char* raw_path = archive_entry_pathname(entry);
    if (raw_path == nullptr) {
        return std::string("no path");
    }
    if (std::strlen(raw_path) > limits.max_path_bytes) {
        return std::string("path too long");
    }
    auto path = normalize_path(raw_path);
    if (!path) {
        return std::string("path escapes the root");
    }
    if (depth_of(*path) > limits.max_depth) {
        return std::string("path too deep");
    }
    header.path = std::move(*path);
    header.type = entry_type(entry);
    header.mode = archive_entry_perm(entry) & 07777;
    header.size = header.type == detail::EntryType::Regular && archive_entry_size_is_set(entry)
                      ? static_cast<uint64_t>(archive_entry_size(entry))
                      : 0;
    header.link_target.clear();
    if (header.type == detail::EntryType::Symlink) {
        const char* target = archive_entry_symlink(entry);
        // Linux refuses longer targets; an image that has one only makes resolution costly.
        if (target != nullptr && std::strlen(target) > limits.max_path_bytes) {
            return std::string("symlink target too long");
        }
        header.link_target = target != nullptr ? target : "";
    } else if (header.type == detail::EntryType::Hardlink) {
        auto target = normalize_path(archive_entry_hardlink(entry));
        if (!target || target->empty()) {
            return std::string("hardlink target escapes the root");
        }
        header.link_target = std::move(*target);
    }
    return std::nullopt;
}

Result<void> drain(RawStream& raw, const std::string& layer) {
    while (true) {
        auto got = raw.source->read(raw.buffer.get(), kRawBufferBytes);
        if (!got) {
            return forward_error(got.error(), "layer " + layer);
        }
        if (*got == 0) {
            return {};
        }
        raw.hash.update(raw.buffer.get(), *got);
        raw.bytes += *got;
    }
}

// Hands each acceptable entry to the visitor; drops hostile ones with a (capped) warning.
struct EntryLoop {
    struct archive* archive;
    RawStream& raw;
    const std::string& layer;
    EntryVisitor& visitor;
    std::vector<std::string>& warnings;
    const LayerLimits& limits;
    size_t dropped = 0;

    void drop(struct archive_entry* entry, const std::string& reason) {
        const char* p = archive_entry_pathname(entry);
        std::string path = detail::quoted_path(p != nullptr ? p : "");
        log::warn_limited("scan.entry_dropped",
                          {{"digest", layer}, {"path", path}, {"reason", reason}});
        if (++dropped <= kWarningsPerLayer) {
            warnings.push_back("dropped entry '" + path + "': " + reason);
        }
    }

    void stop_at_limit(LayerStats& stats) {
        stats.stopped_at_limit = true;
        warnings.push_back("more than " + std::to_string(limits.max_entries) +
                           " entries; the rest of the layer was not indexed");
        log::warn_limited("scan.layer_limit", {{"digest", layer}});
    }

    Result<LayerStats> run() {
        LayerStats stats;
        detail::EntryHeader header;
        while (true) {
            struct archive_entry* entry = nullptr;
            int rc = archive_read_next_header(archive, &entry);
            if (rc == ARCHIVE_EOF) {
                break;
            }
            if (rc < ARCHIVE_WARN) {
                return ArchiveContent::stream_error(archive, raw, layer);
            }
            if (auto refused = expansion_error(raw, unpacked_bytes(archive))) {
                return Unexpected<Error>(std::move(*refused));
            }
            if (stats.entries >= limits.max_entries) {
                stop_at_limit(stats);
                break;
            }
            if (auto reason = make_header(entry, limits, header)) {
                drop(entry, *reason);
                continue;
            }
            if (header.path.empty()) {
                continue;  // the root directory itself
            }
            ArchiveContent content(archive, raw, layer, header.type == detail::EntryType::Regular);
            if (auto visited = visitor.on_entry(header, content); !visited) {
                return forward_error(visited.error());
            }
            stats.entries++;
        }
        if (dropped > kWarningsPerLayer) {
            warnings.push_back(std::to_string(dropped) + " entries dropped in total");
        }
        // The end of the stream may have been decompressed without another read callback.
        stats.unpacked_bytes = unpacked_bytes(archive);
        if (auto refused = expansion_error(raw, stats.unpacked_bytes)) {
            return Unexpected<Error>(std::move(*refused));
        }
        return stats;
    }
};

}  // namespace

Result<size_t> FdSource::read(void* buf, size_t size) {
    while (true) {
        ssize_t got = ::read(fd_, buf, size);
        if (got >= 0) {
            return static_cast<size_t>(got);
        }
        if (errno != EINTR) {
            return make_error(ErrorCode::Io, std::string("read: ") + std::strerror(errno));
        }
    }
}

Result<size_t> MemorySource::read(void* buf, size_t size) {
    size_t n = std::min(size, data_.size());
    std::memcpy(buf, data_.data(), n);
    data_.remove_prefix(n);
    return n;
}

std::optional<std::string> normalize_path(std::string_view path) {
    std::vector<std::string_view> parts;
    while (!path.empty()) {
        size_t slash = path.find('/');
        std::string_view part = path.substr(0, slash);
        path = slash == std::string_view::npos ? std::string_view{} : path.substr(slash + 1);
        if (part.empty() || part == ".") {
            continue;
        }
        if (part == "..") {
            if (parts.empty()) {
                return std::nullopt;
            }
            parts.pop_back();
            continue;
        }
        parts.push_back(part);
    }
    std::string out;
    for (std::string_view part : parts) {
        if (!out.empty()) {
            out += '/';
        }
        out.append(part);
    }
    return out;
}

Result<LayerStats> read_layer(ByteSource& source, const std::string& layer_name,
                              EntryVisitor& visitor, std::vector<std::string>& warnings,
                              const LayerLimits& limits) {
    RawStream raw;
    raw.source = &source;
    raw.layer = &layer_name;
    raw.limits = &limits;
    ArchivePtr archive(archive_read_new());
    CS_CHECK(archive != nullptr);
    archive_read_support_filter_gzip(archive.get());
    archive_read_support_filter_zstd(archive.get());
    archive_read_support_format_tar(archive.get());
    if (archive_read_open(archive.get(), &raw, nullptr, raw_read, nullptr) != ARCHIVE_OK) {
        return ArchiveContent::stream_error(archive.get(), raw, layer_name);
    }
    EntryLoop loop{archive.get(), raw, layer_name, visitor, warnings, limits};
    auto stats = loop.run();
    if (!stats) {
        return stats;
    }
    if (auto drained = drain(raw, layer_name); !drained) {
        return forward_error(drained.error());
    }
    stats->sha256 = raw.hash.hex_digest();
    stats->raw_bytes = raw.bytes;
    return stats;
}

}  // namespace cguard::scanner
