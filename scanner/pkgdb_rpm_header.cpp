// The rpm header blob, as every rpm database stores it (no lead, no 8-byte magic): big-endian
// il (index entry count) and dl (data length), il 16-byte index entries {tag, type, offset,
// count}, then dl bytes of data. Region tags (61-63) only describe signing ranges; we read the
// tags we need directly. Nothing here trusts an offset or count before checking it.
#include <string>
#include <string_view>
#include <vector>

#include "scanner/detail/os_packages.h"
#include "scanner/detail/pkgdb_rpm.h"

namespace cguard::scanner::detail {
namespace {

enum Tag : uint32_t {
    kTagName = 1000,
    kTagVersion = 1001,
    kTagRelease = 1002,
    kTagEpoch = 1003,
    kTagArch = 1022,
    kTagOldFilenames = 1027,
    kTagSourceRpm = 1044,
    kTagDirIndexes = 1116,
    kTagBasenames = 1117,
    kTagDirNames = 1118,
};

enum Type : uint32_t {
    kTypeInt32 = 4,
    kTypeString = 6,
    kTypeStringArray = 8,
    kTypeI18nString = 9,
};

constexpr size_t kMaxFilesPerPackage = 1'000'000;

struct Entry {
    uint32_t type = 0;
    uint32_t offset = 0;
    uint32_t count = 0;
    bool present = false;
};

// The index entries we use, looked up once. When a tag appears twice (a "dribble" entry
// outside the immutable region), the later one wins, as in rpm's own header import.
struct HeaderView {
    std::string_view store;
    Entry name, version, release, epoch, arch, source_rpm;
    Entry old_filenames, dir_indexes, basenames, dir_names;
};

Entry* slot_for(HeaderView& view, uint32_t tag) {
    switch (tag) {
        case kTagName: return &view.name;
        case kTagVersion: return &view.version;
        case kTagRelease: return &view.release;
        case kTagEpoch: return &view.epoch;
        case kTagArch: return &view.arch;
        case kTagOldFilenames: return &view.old_filenames;
        case kTagSourceRpm: return &view.source_rpm;
        case kTagDirIndexes: return &view.dir_indexes;
        case kTagBasenames: return &view.basenames;
        case kTagDirNames: return &view.dir_names;
        default: return nullptr;
    }
}

bool load_view(std::string_view blob, HeaderView& view) {
    if (blob.size() < 8 || blob.size() > kMaxRpmBlobBytes) {
        return false;
    }
    const uint32_t il = load_be32(bytes_of(blob));
    const uint32_t dl = load_be32(bytes_of(blob) + 4);
    if (il == 0 || il > kMaxRpmIndexEntries || dl > kMaxRpmBlobBytes) {
        return false;
    }
    const size_t index_bytes = size_t{il} * 16;
    if (8 + index_bytes + dl > blob.size()) {
        return false;
    }
    view.store = blob.substr(8 + index_bytes, dl);
    const unsigned char* index = bytes_of(blob) + 8;
    for (uint32_t i = 0; i < il; ++i) {
        const unsigned char* e = index + size_t{i} * 16;
        if (Entry* slot = slot_for(view, load_be32(e))) {
            *slot = Entry{load_be32(e + 4), load_be32(e + 8), load_be32(e + 12), true};
        }
    }
    return true;
}

// Reads `count` NUL-terminated strings starting at entry.offset; false when any runs past the
// data store.
bool read_strings(const HeaderView& view, const Entry& entry, std::vector<std::string_view>& out) {
    if (!entry.present || entry.count > kMaxFilesPerPackage) {
        return false;
    }
    if (entry.type != kTypeString && entry.type != kTypeStringArray &&
        entry.type != kTypeI18nString) {
        return false;
    }
    size_t pos = entry.offset;
    for (uint32_t i = 0; i < entry.count; ++i) {
        if (pos >= view.store.size()) {
            return false;
        }
        size_t end = view.store.find('\0', pos);
        if (end == std::string_view::npos) {
            return false;
        }
        out.push_back(view.store.substr(pos, end - pos));
        pos = end + 1;
    }
    return true;
}

std::string read_string(const HeaderView& view, const Entry& entry) {
    Entry first = entry;
    first.count = entry.count == 0 ? 0 : 1;
    std::vector<std::string_view> strings;
    if (!read_strings(view, first, strings) || strings.empty()) {
        return {};
    }
    return std::string(strings.front());
}

bool read_int32s(const HeaderView& view, const Entry& entry, std::vector<uint32_t>& out) {
    if (!entry.present || entry.type != kTypeInt32 || entry.count > kMaxFilesPerPackage) {
        return false;
    }
    if (size_t{entry.offset} + size_t{entry.count} * 4 > view.store.size()) {
        return false;
    }
    for (uint32_t i = 0; i < entry.count; ++i) {
        out.push_back(load_be32(bytes_of(view.store) + entry.offset + size_t{i} * 4));
    }
    return true;
}

std::string normalise_path(std::string path) {
    size_t lead = path.find_first_not_of('/');
    path.erase(0, lead == std::string::npos ? path.size() : lead);
    while (!path.empty() && path.back() == '/') {
        path.pop_back();
    }
    return path;
}

// Modern headers split paths into BASENAMES + DIRINDEXES into DIRNAMES; headers written before
// rpm 4.0 carry OLDFILENAMES instead.
void read_files(const HeaderView& view, std::vector<std::string>& files) {
    std::vector<std::string_view> basenames, dir_names;
    std::vector<uint32_t> dir_indexes;
    if (read_strings(view, view.basenames, basenames) &&
        read_strings(view, view.dir_names, dir_names) &&
        read_int32s(view, view.dir_indexes, dir_indexes) &&
        dir_indexes.size() == basenames.size()) {
        for (size_t i = 0; i < basenames.size(); ++i) {
            if (dir_indexes[i] < dir_names.size()) {
                std::string path(dir_names[dir_indexes[i]]);
                path.append(basenames[i]);
                files.push_back(normalise_path(std::move(path)));
            }
        }
        return;
    }
    std::vector<std::string_view> old_names;
    if (read_strings(view, view.old_filenames, old_names)) {
        for (std::string_view name : old_names) {
            files.push_back(normalise_path(std::string(name)));
        }
    }
}

// "name-version-release.src.rpm" (or .nosrc.rpm) -> name, "version-release".
bool split_source_rpm(std::string_view srpm, std::string& name, std::string& version) {
    for (std::string_view suffix : {".src.rpm", ".nosrc.rpm"}) {
        if (srpm.size() > suffix.size() && srpm.substr(srpm.size() - suffix.size()) == suffix) {
            srpm.remove_suffix(suffix.size());
            break;
        }
    }
    size_t release_dash = srpm.rfind('-');
    if (release_dash == std::string_view::npos || release_dash == 0) {
        return false;
    }
    size_t version_dash = srpm.rfind('-', release_dash - 1);
    if (version_dash == std::string_view::npos || version_dash == 0) {
        return false;
    }
    name = std::string(srpm.substr(0, version_dash));
    version = std::string(srpm.substr(version_dash + 1));
    return true;
}

}  // namespace

bool parse_rpm_header(std::string_view blob, OsPackage& out, std::string* epoch) {
    HeaderView view;
    if (!load_view(blob, view)) {
        return false;
    }
    Package& package = out.package;
    package.name = read_string(view, view.name);
    std::string version = read_string(view, view.version);
    if (package.name.empty() || version.empty()) {
        return false;
    }
    std::string release = read_string(view, view.release);
    std::vector<uint32_t> epochs;
    std::string epoch_text;
    if (read_int32s(view, view.epoch, epochs) && !epochs.empty()) {
        epoch_text = std::to_string(epochs.front());
    }
    if (epoch != nullptr) {
        *epoch = epoch_text;
    }

    // Like rpm's %{EVR}: the epoch is shown whenever the tag exists, even when it is 0.
    std::string prefix = epoch_text.empty() ? std::string() : epoch_text + ":";
    package.version = prefix + version + (release.empty() ? "" : "-" + release);
    package.type = "rpm";
    package.arch = read_string(view, view.arch);

    // Source packages share the binary's epoch but their file name does not carry it.
    std::string source_version;
    if (split_source_rpm(read_string(view, view.source_rpm), package.source_name, source_version)) {
        package.source_version = prefix + source_version;
    } else {
        package.source_name = package.name;
        package.source_version = package.version;
    }
    out.files.clear();
    read_files(view, out.files);
    return true;
}

void add_pkgdb_warning(OsPackageList& out, std::string message) {
    if (out.warnings.size() < kMaxPkgdbWarnings) {
        out.warnings.push_back(std::move(message));
    }
}

void append_rpm_header(std::string_view blob, OsPackageList& out, const std::string& record) {
    if (out.packages.size() >= kMaxRpmPackages) {
        add_pkgdb_warning(out, "rpm database: more than " + std::to_string(kMaxRpmPackages) +
                                   " packages; the rest is ignored");
        return;
    }
    OsPackage package;
    if (!parse_rpm_header(blob, package)) {
        add_pkgdb_warning(out, "rpm database: " + record + " is not a valid package header");
        return;
    }
    out.packages.push_back(std::move(package));
}

}  // namespace cguard::scanner::detail
