#include "scanner/inventory.h"

#include <algorithm>
#include <tuple>
#include <unordered_set>

#include "common/log.h"
#include "scanner/detail/lang_packages.h"
#include "scanner/detail/os_packages.h"
#include "scanner/detail/purl.h"

namespace cguard::scanner {
namespace {

using detail::OsPackage;
using detail::OsPackageList;

constexpr const char* kDpkgStatus = "var/lib/dpkg/status";
constexpr const char* kDpkgStatusDir = "var/lib/dpkg/status.d";
constexpr const char* kApkInstalled = "lib/apk/db/installed";

struct Collector {
    const FileTree& tree;
    std::vector<OsPackage> os_packages;
    std::vector<std::string> warnings;

    std::string layer_of(std::string_view path) const {
        const FileTree::Node* node = tree.find(path);
        return node == nullptr ? std::string() : tree.layer(node->layer).digest;
    }

    void take(OsPackageList list, std::string_view location) {
        std::string real = tree.resolve(location).value_or(std::string(location));
        std::string layer = layer_of(real);
        for (auto& p : list.packages) {
            p.package.location = real;
            p.package.layer_digest = layer;
            os_packages.push_back(std::move(p));
        }
        for (auto& w : list.warnings) {
            warnings.push_back(real + ": " + w);
        }
    }

    void add_files(OsPackage& p, const std::string& list_path, bool md5sums) {
        if (const std::string* text = tree.captured(list_path)) {
            auto files = detail::parse_dpkg_file_list(*text, md5sums);
            p.files.insert(p.files.end(), files.begin(), files.end());
        }
    }

    void dpkg() {
        const std::string* status = tree.captured(kDpkgStatus);
        if (status == nullptr) {
            return;
        }
        OsPackageList list = detail::parse_dpkg_status(*status);
        for (auto& p : list.packages) {
            const std::string base = "var/lib/dpkg/info/" + p.package.name;
            if (tree.captured(base + ".list") != nullptr) {
                add_files(p, base + ".list", false);
            } else {
                add_files(p, base + ":" + p.package.arch + ".list", false);
            }
        }
        take(std::move(list), kDpkgStatus);
    }

    // Distroless images: one status file per package, file lists in NAME.md5sums.
    void dpkg_status_dir() {
        std::vector<std::string> files;
        tree.for_each_under(kDpkgStatusDir, [&](std::string_view path, const FileTree::Node& n) {
            if (n.record->content >= 0 && !path.ends_with(".md5sums")) {
                files.emplace_back(path);
            }
        });
        for (const auto& path : files) {
            OsPackageList list = detail::parse_dpkg_status(*tree.captured(path));
            for (auto& p : list.packages) {
                std::string sums = std::string(kDpkgStatusDir) + "/" + p.package.name + ".md5sums";
                add_files(p, tree.captured(sums) != nullptr ? sums : path + ".md5sums", true);
            }
            take(std::move(list), path);
        }
    }

    void apk() {
        if (const std::string* text = tree.captured(kApkInstalled)) {
            take(detail::parse_apk_installed(*text), kApkInstalled);
        }
    }

    // One rpm database: SQLite, then NDB, then Berkeley DB, in either location.
    void rpm() {
        using Parser = OsPackageList (*)(std::string_view);
        const std::pair<const char*, Parser> formats[] = {
            {"rpmdb.sqlite", detail::parse_rpm_sqlite},
            {"Packages.db", detail::parse_rpm_ndb},
            {"Packages", detail::parse_rpm_bdb}};
        for (const auto& [file, parse] : formats) {
            for (const char* dir : {"usr/lib/sysimage/rpm/", "var/lib/rpm/"}) {
                std::string path = std::string(dir) + file;
                if (const std::string* data = tree.captured(path)) {
                    take(parse(*data), path);
                    return;
                }
            }
        }
    }
};

std::vector<Package> lang_text_packages(const FileTree& tree, std::vector<std::string>& warnings) {
    std::vector<Package> out;
    tree.for_each([&](std::string_view path, const FileTree::Node& node) {
        if (node.record->content < 0) {
            return;
        }
        const std::string& text =
            tree.layer(node.layer).captured[static_cast<size_t>(node.record->content)].data;
        std::string location(path);
        detail::LangPackages found;
        switch (detail::classify_lang_file(path)) {
            case detail::LangFile::None: return;
            case detail::LangFile::PythonMetadata:
                found = detail::parse_python_metadata(text, location);
                break;
            case detail::LangFile::NpmPackageJson:
                found = detail::parse_npm_package_json(text, location);
                break;
            case detail::LangFile::Gemspec: found = detail::parse_gemspec(text, location); break;
            case detail::LangFile::ComposerInstalled:
                found = detail::parse_composer_installed(text, location);
                break;
            case detail::LangFile::DotnetDeps:
                found = detail::parse_dotnet_deps(text, location);
                break;
        }
        for (auto& p : found.packages) {
            p.location = location;
            p.layer_digest = tree.layer(node.layer).digest;
            out.push_back(std::move(p));
        }
        for (auto& w : found.warnings) {
            warnings.push_back(location + ": " + w);
        }
    });
    return out;
}

// Packages found inside binaries and archives, kept only while their file is the one in the
// merged tree (a later layer that replaced it reported its own).
std::vector<Package> binary_packages(const FileTree& tree) {
    std::vector<Package> out;
    for (size_t i = 0; i < tree.layer_count(); ++i) {
        for (const auto& p : tree.layer(i).packages) {
            const FileTree::Node* node = tree.find_exact(p.location);
            if (node != nullptr && node->layer == i) {
                out.push_back(p);
                out.back().layer_digest = tree.layer(i).digest;
            }
        }
    }
    return out;
}

// Executables (any x bit: scripts count) and libraries (ELF files named like shared objects;
// the name alone would take in data files such as etc/ld.so.cache).
bool is_unowned_candidate(const FileRecord& record, std::string_view path) {
    return record.type == detail::EntryType::Regular &&
           ((record.mode & 0111) != 0 || (record.elf && is_library_name(path)));
}

// The paths OS packages own. A path in the tree is kept as its record (8 bytes, not a copy of
// the path: an image may own hundreds of thousands of files); the few owned paths that are
// not in the tree (deleted by a later layer) are kept as text, so a lookup answers exactly as
// a set of path strings would.
class OwnedPaths {
public:
    explicit OwnedPaths(const FileTree& tree) : tree_(tree) {}

    void insert(const std::string& path) {
        if (const FileTree::Node* node = tree_.find_exact(path)) {
            records_.insert(node->record);
        } else {
            missing_.insert(path);
        }
    }
    // For paths that matter only when present: nothing will ever look up the absent ones, so
    // keeping them as text would only cost memory (ten per dpkg package).
    void insert_if_present(const std::string& path) {
        if (const FileTree::Node* node = tree_.find_exact(path)) {
            records_.insert(node->record);
        }
    }
    bool contains(const std::string& path) const {
        const FileTree::Node* node = tree_.find_exact(path);
        return node != nullptr ? contains(*node) : missing_.count(path) != 0;
    }
    bool contains(const FileTree::Node& node) const { return records_.count(node.record) != 0; }

private:
    const FileTree& tree_;
    std::unordered_set<const FileRecord*> records_;
    std::unordered_set<std::string> missing_;
};

// dpkg keeps each installed package's maintainer scripts in var/lib/dpkg/info/PKG[:ARCH].SUFFIX.
// They belong to that package as much as its listed files do, though no .list names them.
void add_maintainer_scripts(const Package& p, OwnedPaths& owned) {
    static const char* const kSuffixes[] = {"preinst", "postinst", "prerm", "postrm", "config"};
    for (const char* suffix : kSuffixes) {
        owned.insert_if_present("var/lib/dpkg/info/" + p.name + "." + suffix);
        if (!p.arch.empty()) {
            owned.insert_if_present("var/lib/dpkg/info/" + p.name + ":" + p.arch + "." + suffix);
        }
    }
}

}  // namespace

std::string os_package_purl(const Package& p, const OsInfo& os) {
    std::string distro = os.family.empty() ? "" : os.family + "-" + os.version;
    if (p.type == "deb") {
        std::string upstream = p.source_name != p.name ? p.source_name : "";
        return detail::make_purl("deb", os.family.empty() ? "debian" : os.family, p.name, p.version,
                                 {{"arch", p.arch}, {"distro", distro}, {"upstream", upstream}});
    }
    if (p.type == "apk") {
        return detail::make_purl("apk", os.family.empty() ? "alpine" : os.family, p.name, p.version,
                                 {{"arch", p.arch}, {"distro", distro}});
    }
    std::string version = p.version;
    std::string epoch;
    if (size_t colon = version.find(':'); colon != std::string::npos) {
        epoch = version.substr(0, colon);
        version = version.substr(colon + 1);
    }
    return detail::make_purl(p.type, os.family, p.name, version,
                             {{"arch", p.arch}, {"epoch", epoch}, {"distro", distro}});
}

Inventory build_inventory(const FileTree& tree, const OsInfo& os, bool list_unowned) {
    Inventory inv;
    Collector collector{tree, {}, {}};
    collector.dpkg();
    collector.dpkg_status_dir();
    collector.apk();
    collector.rpm();
    inv.warnings = std::move(collector.warnings);

    OwnedPaths owned(tree);
    OwnedPathResolver resolver(tree);
    for (auto& os_package : collector.os_packages) {
        for (const auto& file : os_package.files) {
            owned.insert(resolver.canonical(file));
        }
        std::vector<std::string>().swap(os_package.files);  // no longer needed: free it now
        if (os_package.package.type == "deb") {
            add_maintainer_scripts(os_package.package, owned);
        }
        os_package.package.purl = os_package_purl(os_package.package, os);
        inv.packages.push_back(std::move(os_package.package));
    }

    std::vector<Package> lang = lang_text_packages(tree, inv.warnings);
    std::vector<Package> binaries = binary_packages(tree);
    lang.insert(lang.end(), binaries.begin(), binaries.end());
    for (auto& p : lang) {
        bool embeds_modules = p.type == "golang" || p.type == "cargo";
        if (!embeds_modules && owned.contains(resolver.canonical(p.location))) {
            continue;  // reported once, as the OS package that installed it
        }
        inv.packages.push_back(std::move(p));
    }
    if (uint64_t bounded = tree.bounded_lookups(); bounded > 0) {
        inv.warnings.push_back(std::to_string(bounded) +
                               " symlink lookups stopped at a work bound; their paths were kept "
                               "unresolved, so file ownership may be incomplete");
    }
    std::sort(inv.packages.begin(), inv.packages.end(), [](const Package& a, const Package& b) {
        return std::tie(a.type, a.name, a.version, a.location) <
               std::tie(b.type, b.name, b.version, b.location);
    });

    if (!list_unowned) {
        return inv;
    }
    tree.for_each([&](std::string_view path, const FileTree::Node& n) {
        if (is_unowned_candidate(*n.record, path) && !owned.contains(n)) {
            const LayerResult& layer = tree.layer(n.layer);
            inv.unowned_files.push_back(UnownedFile{std::string(path), n.record->size,
                                                    layer.sha256(*n.record), layer.digest});
        }
    });
    return inv;
}

}  // namespace cguard::scanner
