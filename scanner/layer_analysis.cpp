#include "scanner/layer_analysis.h"

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

LayerAnalysis::LayerAnalysis(AnalysisOptions options) : options_(options) {}

LayerResult LayerAnalysis::take() {
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
    record.path = header.path;
    record.type = header.type;
    record.mode = header.mode;
    record.size = header.size;
    if (header.type == detail::EntryType::Symlink) {
        record.link_target = header.link_target;
    } else if (header.type == detail::EntryType::Hardlink) {
        record.link_target = header.link_target;
        on_hardlink(record);
    } else if (header.type == detail::EntryType::Regular) {
        if (auto done = on_regular(record, content); !done) {
            return done;
        }
    }
    index_.emplace(std::hash<std::string>{}(record.path), result_.files.size());
    result_.files.push_back(std::move(record));
    return {};
}

void LayerAnalysis::on_hardlink(FileRecord& record) {
    size_t key = std::hash<std::string>{}(record.link_target);
    auto [begin, end] = index_.equal_range(key);
    const FileRecord* found = nullptr;
    for (auto it = begin; it != end; ++it) {
        const FileRecord& candidate = result_.files[it->second];
        if (candidate.path == record.link_target && (found == nullptr || &candidate > found)) {
            found = &candidate;  // the latest record of that path in this layer
        }
    }
    if (found == nullptr) {
        // A link to a file of another layer or to nothing: keep it as an unreadable entry.
        record.type = detail::EntryType::Other;
        result_.warnings.push_back("hardlink '" + record.path + "' names '" + record.link_target +
                                   "', not an earlier file of its layer");
        return;
    }
    std::string path = std::move(record.path);
    record = *found;
    record.path = std::move(path);
}

Result<void> LayerAnalysis::on_regular(FileRecord& record, detail::ContentReader& content) {
    CaptureKind kind = capture_kind(record.path);
    if (kind != CaptureKind::None) {
        return capture(record, content,
                       kind == CaptureKind::Database ? options_.database_cap : options_.text_cap);
    }
    if (detail::is_java_archive_path(record.path)) {
        Sha256 hash;
        HashingReader reader(content, options_.hash_binaries ? &hash : nullptr);
        detail::LangPackages found = detail::scan_java_archive(reader, record.path);
        if (reader.error()) {
            return forward_error(*reader.error());
        }
        if (options_.hash_binaries) {
            if (auto rest = drain_into(reader, hash); !rest) {
                return rest;
            }
        }
        for (auto& p : found.packages) {
            p.location = record.path;
            result_.packages.push_back(std::move(p));
        }
        for (auto& w : found.warnings) {
            result_.warnings.push_back(std::move(w));
        }
        return {};
    }
    if ((record.mode & 0111) != 0 || is_library_name(record.path)) {
        return probe_binary(record, content);
    }
    return {};
}

Result<void> LayerAnalysis::probe_binary(FileRecord& record, detail::ContentReader& content) {
    detail::BinaryProbe probe(record.path);
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
        record.sha256 = hash.hex_digest();
    }
    record.elf = probe.is_elf();
    detail::LangPackages found = probe.finish();
    for (auto& p : found.packages) {
        p.location = record.path;
        result_.packages.push_back(std::move(p));
    }
    for (auto& w : found.warnings) {
        result_.warnings.push_back(std::move(w));
    }
    return {};
}

Result<void> LayerAnalysis::capture(FileRecord& record, detail::ContentReader& content,
                                    size_t cap) {
    bool truncated = false;
    auto data = detail::read_capped(content, cap, &truncated);
    if (!data) {
        return forward_error(data.error());
    }
    if (truncated) {
        log::warn_limited("scan.file_over_cap", {{"path", record.path}, {"cap", cap}});
        result_.warnings.push_back("'" + record.path + "' is larger than " + std::to_string(cap) +
                                   " bytes; not analysed");
        return {};
    }
    record.content = static_cast<int32_t>(result_.captured.size());
    result_.captured.push_back(CapturedFile{record.path, std::move(*data)});
    return {};
}

}  // namespace cguard::scanner
