#include "scanner/layer_analysis.h"

#include <algorithm>
#include <array>
#include <functional>

#include "common/log.h"
#include "common/sha256.h"
#include "scanner/detail/lang_packages.h"

namespace cguard::scanner {
namespace {

constexpr std::string_view kWhiteoutPrefix = ".wh.";
constexpr std::string_view kOpaqueMarker = ".wh..wh..opq";
constexpr size_t kChunkBytes = 64 * 1024;

constexpr std::array<std::string_view, 7> kReleaseFiles = {
    "etc/os-release",     "usr/lib/os-release", "etc/alpine-release", "etc/debian_version",
    "etc/redhat-release", "etc/centos-release", "etc/system-release"};
constexpr std::array<std::string_view, 2> kRpmDirs = {"var/lib/rpm/", "usr/lib/sysimage/rpm/"};
constexpr std::array<std::string_view, 3> kRpmFiles = {"rpmdb.sqlite", "Packages.db", "Packages"};

bool starts_with(std::string_view s, std::string_view prefix) {
    return s.starts_with(prefix);
}

std::string_view base_name(std::string_view path) {
    size_t slash = path.rfind('/');
    return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

std::string_view dir_name(std::string_view path) {
    size_t slash = path.rfind('/');
    return slash == std::string_view::npos ? std::string_view{} : path.substr(0, slash);
}

std::string join(std::string_view dir, std::string_view name) {
    return dir.empty() ? std::string(name) : std::string(dir) + "/" + std::string(name);
}

bool is_database(std::string_view path) {
    if (path == "var/lib/dpkg/status" || path == "lib/apk/db/installed") {
        return true;
    }
    if (starts_with(path, "var/lib/dpkg/status.d/") && base_name(path) != "") {
        return dir_name(path) == "var/lib/dpkg/status.d";
    }
    for (std::string_view dir : kRpmDirs) {
        for (std::string_view file : kRpmFiles) {
            if (path.size() == dir.size() + file.size() && starts_with(path, dir) &&
                path.ends_with(file)) {
                return true;
            }
        }
    }
    return false;
}

// Pass-through reader that hashes what the consumer pulls (Java archives).
class HashingReader : public detail::ContentReader {
public:
    HashingReader(detail::ContentReader& inner, Sha256* hash) : inner_(inner), hash_(hash) {}
    Result<size_t> read(void* buf, size_t size) override {
        auto got = inner_.read(buf, size);
        if (got && hash_ != nullptr) {
            hash_->update(buf, *got);
        }
        if (!got) {
            error_ = got.error();
        }
        return got;
    }
    const std::optional<Error>& error() const { return error_; }

private:
    detail::ContentReader& inner_;
    Sha256* hash_;
    std::optional<Error> error_;
};

Result<void> drain_into(detail::ContentReader& content, Sha256& hash) {
    std::array<char, kChunkBytes> buf;
    while (true) {
        auto got = content.read(buf.data(), buf.size());
        if (!got) {
            return forward_error(got.error());
        }
        if (*got == 0) {
            return {};
        }
        hash.update(buf.data(), *got);
    }
}

// The binary form of Sha256's hex digest: 32 bytes kept per hashed file instead of a 65-byte
// string; the hex is rebuilt only for the files a report lists.
Sha256Digest digest_of(Sha256& hash) {
    std::string hex = hash.hex_digest();
    auto nibble = [](char c) { return static_cast<uint8_t>(c <= '9' ? c - '0' : c - 'a' + 10); };
    Sha256Digest out{};
    for (size_t i = 0; i < out.size() && 2 * i + 1 < hex.size(); ++i) {
        out[i] = static_cast<uint8_t>(nibble(hex[2 * i]) << 4 | nibble(hex[2 * i + 1]));
    }
    return out;
}

}  // namespace

CaptureKind capture_kind(std::string_view path) {
    if (is_database(path)) {
        return CaptureKind::Database;
    }
    for (std::string_view name : kReleaseFiles) {
        if (path == name) {
            return CaptureKind::Text;
        }
    }
    if (starts_with(path, "var/lib/dpkg/info/") && path.ends_with(".list") &&
        dir_name(path) == "var/lib/dpkg/info") {
        return CaptureKind::Text;
    }
    if (detail::classify_lang_file(path) != detail::LangFile::None) {
        return CaptureKind::Text;
    }
    return CaptureKind::None;
}

bool is_library_name(std::string_view path) {
    std::string_view name = base_name(path);
    return name.ends_with(".so") || name.find(".so.") != std::string_view::npos;
}

std::string_view LayerResult::link_target(const FileRecord& record) const {
    if (record.type != detail::EntryType::Symlink || record.extra == FileRecord::kNoExtra) {
        return {};
    }
    const LinkTarget& link = links[record.extra];
    return text.view(link.at, link.size);
}

std::string LayerResult::sha256(const FileRecord& record) const {
    if (record.type == detail::EntryType::Symlink || record.extra == FileRecord::kNoExtra) {
        return {};
    }
    static constexpr char kHex[] = "0123456789abcdef";
    std::string hex;
    hex.reserve(64);
    for (uint8_t byte : digests[record.extra]) {
        hex += kHex[byte >> 4];
        hex += kHex[byte & 0xf];
    }
    return hex;
}

LayerAnalysis::LayerAnalysis(AnalysisOptions options) : options_(options) {}

LayerResult LayerAnalysis::take() {
    result_.text.shrink();
    result_.links.shrink_to_fit();
    result_.digests.shrink_to_fit();
    return std::move(result_);
}

bool LayerAnalysis::on_whiteout(const detail::EntryHeader& header) {
    std::string_view name = base_name(header.path);
    if (!starts_with(name, kWhiteoutPrefix)) {
        return false;
    }
    std::string_view dir = dir_name(header.path);
    if (name == kOpaqueMarker) {
        result_.opaque_dirs.emplace_back(dir);
    } else if (!starts_with(name, ".wh..wh.")) {
        result_.whiteouts.push_back(join(dir, name.substr(kWhiteoutPrefix.size())));
    }
    return true;
}

Result<void> LayerAnalysis::on_entry(const detail::EntryHeader& header,
                                     detail::ContentReader& content) {
    if (on_whiteout(header)) {
        return {};
    }
    FileRecord record;
    record.type = header.type;
    record.mode = static_cast<uint16_t>(header.mode);
    record.size = header.size;
    if (header.type == detail::EntryType::Symlink) {
        record.extra = static_cast<uint32_t>(result_.links.size());
        result_.links.push_back(
            LinkTarget{result_.text.add(header.link_target), header.link_target.size()});
    } else if (header.type == detail::EntryType::Hardlink) {
        on_hardlink(record, header);
    } else if (header.type == detail::EntryType::Regular) {
        if (auto done = on_regular(record, header.path, content); !done) {
            return done;
        }
    }
    record.path_at = result_.text.add(header.path);
    record.path_size = static_cast<uint32_t>(header.path.size());
    result_.files.push_back(record);
    if (!latest_.empty()) {
        remember(static_cast<uint32_t>(result_.files.size() - 1));
    }
    return {};
}

void LayerAnalysis::rehash(size_t min_slots) {
    size_t slots = 64;
    while (slots < min_slots || slots < (result_.files.size() + 1) * 2) {
        slots *= 2;
    }
    latest_.assign(slots, 0);
    latest_used_ = 0;
    for (size_t i = 0; i < result_.files.size(); ++i) {
        remember(static_cast<uint32_t>(i));
    }
}

// Makes files[index] the latest record of its path. The table stays at most half full.
void LayerAnalysis::remember(uint32_t index) {
    if ((latest_used_ + 1) * 2 > latest_.size()) {
        rehash(latest_.size() * 2);  // re-inserts every record, `index` included
        return;
    }
    std::string_view path = result_.path(result_.files[index]);
    size_t mask = latest_.size() - 1;
    for (size_t slot = std::hash<std::string_view>{}(path)&mask;; slot = (slot + 1) & mask) {
        if (latest_[slot] == 0) {
            latest_[slot] = index + 1;
            ++latest_used_;
            return;
        }
        if (result_.path(result_.files[latest_[slot] - 1]) == path) {
            latest_[slot] = index + 1;
            return;
        }
    }
}

void LayerAnalysis::on_hardlink(FileRecord& record, const detail::EntryHeader& header) {
    if (latest_.empty()) {
        rehash(0);  // first hardlink of the layer: index the records seen so far
    }
    const std::string& target = header.link_target;
    size_t mask = latest_.size() - 1;
    const FileRecord* found = nullptr;
    for (size_t slot = std::hash<std::string_view>{}(target)&mask; latest_[slot] != 0;
         slot = (slot + 1) & mask) {
        const FileRecord& candidate = result_.files[latest_[slot] - 1];
        if (result_.path(candidate) == target) {
            found = &candidate;  // the latest record of that path in this layer
            break;
        }
    }
    if (found == nullptr) {
        // A link to a file of another layer or to nothing: keep it as an unreadable entry.
        record.type = detail::EntryType::Other;
        result_.warnings.push_back("hardlink '" + detail::quoted_path(header.path) + "' names '" +
                                   detail::quoted_path(target) +
                                   "', not an earlier file of its layer");
        return;
    }
    record = *found;  // the caller sets the path
    if (record.content >= 0) {
        capture_linked_[static_cast<size_t>(record.content)] = true;
    }
}

Result<void> LayerAnalysis::on_regular(FileRecord& record, const std::string& path,
                                       detail::ContentReader& content) {
    CaptureKind kind = capture_kind(path);
    if (kind != CaptureKind::None) {
        return capture(record, path, content,
                       kind == CaptureKind::Database ? options_.database_cap : options_.text_cap);
    }
    if (detail::is_java_archive_path(path)) {
        Sha256 hash;
        HashingReader reader(content, options_.hash_binaries ? &hash : nullptr);
        detail::LangPackages found = detail::scan_java_archive(reader, path, options_.java);
        if (reader.error()) {
            return forward_error(*reader.error());
        }
        if (options_.hash_binaries) {
            if (auto rest = drain_into(reader, hash); !rest) {
                return rest;
            }
        }
        for (auto& p : found.packages) {
            p.location = path;
            result_.packages.push_back(std::move(p));
        }
        for (auto& w : found.warnings) {
            result_.warnings.push_back(std::move(w));
        }
        return {};
    }
    if ((record.mode & 0111) != 0 || is_library_name(path)) {
        return probe_binary(record, path, content);
    }
    return {};
}

Result<void> LayerAnalysis::probe_binary(FileRecord& record, const std::string& path,
                                         detail::ContentReader& content) {
    detail::BinaryProbe probe(path);
    Sha256 hash;
    std::array<uint8_t, kChunkBytes> buf;
    uint64_t seen = 0;
    while (true) {
        auto got = content.read(buf.data(), buf.size());
        if (!got) {
            return forward_error(got.error());
        }
        if (*got == 0) {
            break;
        }
        seen += *got;
        probe.feed(buf.data(), *got);
        if (options_.hash_binaries) {
            hash.update(buf.data(), *got);
        } else if (seen >= 4 && !probe.is_elf()) {
            break;  // not ELF and nothing to hash: the rest is skipped by the walker
        }
    }
    if (options_.hash_binaries) {
        record.extra = static_cast<uint32_t>(result_.digests.size());
        result_.digests.push_back(digest_of(hash));
    }
    record.elf = probe.is_elf();
    detail::LangPackages found = probe.finish();
    for (auto& p : found.packages) {
        p.location = path;
        result_.packages.push_back(std::move(p));
    }
    for (auto& w : found.warnings) {
        result_.warnings.push_back(std::move(w));
    }
    return {};
}

// Room left under the layer's and the image's capture caps.
uint64_t LayerAnalysis::capture_room() const {
    uint64_t layer_left = options_.layer_capture_cap > captured_bytes_
                              ? options_.layer_capture_cap - captured_bytes_
                              : 0;
    uint64_t image_used = options_.image_captured_before + captured_bytes_;
    uint64_t image_left =
        options_.image_capture_cap > image_used ? options_.image_capture_cap - image_used : 0;
    return std::min(layer_left, image_left);
}

void LayerAnalysis::stop_captures(const std::string& path) {
    captures_stopped_ = true;
    uint64_t image_used = options_.image_captured_before + captured_bytes_;
    bool image_cap =
        options_.image_capture_cap - std::min(options_.image_capture_cap, image_used) <
        options_.layer_capture_cap - std::min(options_.layer_capture_cap, captured_bytes_);
    uint64_t cap = image_cap ? options_.image_capture_cap : options_.layer_capture_cap;
    std::string quoted = detail::quoted_path(path);
    log::warn_limited("scan.capture_cap", {{"path", quoted}, {"cap", cap}});
    result_.warnings.push_back(std::string("captured files of the ") +
                               (image_cap ? "image" : "layer") + " exceed " + std::to_string(cap) +
                               " bytes; '" + quoted +
                               "' and later package databases and manifests not analysed");
}

Result<void> LayerAnalysis::capture(FileRecord& record, const std::string& path,
                                    detail::ContentReader& content, size_t cap) {
    if (captures_stopped_) {
        return {};
    }
    // A later copy of a path replaces the earlier one's capture, unless a hardlink shares it.
    auto earlier = captures_.find(path);
    int32_t reuse =
        earlier != captures_.end() && !capture_linked_[static_cast<size_t>(earlier->second.content)]
            ? earlier->second.content
            : -1;
    uint64_t freed = reuse >= 0 ? result_.captured[static_cast<size_t>(reuse)].data.size() : 0;
    uint64_t room = capture_room() + freed;
    bool truncated = false;
    auto data = detail::read_capped(content, static_cast<size_t>(std::min<uint64_t>(cap, room)),
                                    &truncated);
    if (!data) {
        return forward_error(data.error());
    }
    if (truncated && room < cap) {
        stop_captures(path);
        return {};
    }
    if (truncated) {
        std::string quoted = detail::quoted_path(path);
        log::warn_limited("scan.file_over_cap", {{"path", quoted}, {"cap", cap}});
        result_.warnings.push_back("'" + quoted + "' is larger than " + std::to_string(cap) +
                                   " bytes; not analysed");
        return {};
    }
    // The string grew by doubling; an image holds thousands of these (dpkg file lists).
    if (data->capacity() > data->size() + data->size() / 8) {
        data->shrink_to_fit();
    }
    captured_bytes_ += data->size();
    if (reuse >= 0) {
        captured_bytes_ -= freed;
        result_.files[earlier->second.record].content = -1;
        result_.captured[static_cast<size_t>(reuse)].data = std::move(*data);
        record.content = reuse;
    } else {
        record.content = static_cast<int32_t>(result_.captured.size());
        result_.captured.push_back(CapturedFile{std::move(*data)});
        capture_linked_.push_back(false);
    }
    // on_entry() appends the record next, at this index.
    captures_[path] = CaptureSlot{result_.files.size(), record.content};
    return {};
}

}  // namespace cguard::scanner
