#include <vector>

#include "scanner/lang_binary.h"
#include "scanner/lang_util.h"

namespace cguard::scanner::detail {
namespace {

constexpr uint8_t kFlagInlineStrings = 2;  // Go >= 1.18: strings follow the header inline
constexpr size_t kModInfoSentinel = 16;    // modinfo is wrapped in 16-byte markers

// Unsigned LEB128 as written by encoding/binary.PutUvarint. False when truncated or too long.
bool read_uvarint(std::string_view data, size_t& pos, uint64_t& value) {
    value = 0;
    for (unsigned shift = 0; shift < 64 && pos < data.size(); shift += 7) {
        auto byte = static_cast<uint8_t>(data[pos++]);
        value |= static_cast<uint64_t>(byte & 0x7f) << shift;
        if ((byte & 0x80) == 0) {
            return true;
        }
    }
    return false;
}

bool read_string(std::string_view data, size_t& pos, std::string_view& out) {
    uint64_t length = 0;
    if (!read_uvarint(data, pos, length) || length > data.size() - pos) {
        return false;
    }
    out = data.substr(pos, length);
    pos += length;
    return true;
}

std::vector<std::string_view> split_tabs(std::string_view line) {
    std::vector<std::string_view> fields;
    size_t start = 0;
    while (true) {
        size_t tab = line.find('\t', start);
        fields.push_back(line.substr(start, tab == std::string_view::npos ? tab : tab - start));
        if (tab == std::string_view::npos) {
            return fields;
        }
        start = tab + 1;
    }
}

struct GoModule {
    std::string_view path;
    std::string_view version;
};

void add_module(const GoModule& module, const std::string& location, LangPackages& out) {
    // "(devel)" and empty versions (main module built from a checkout, local replacements) name
    // no release that advisories could refer to.
    if (module.path.empty() || module.version.empty() || module.version == "(devel)") {
        return;
    }
    size_t slash = module.path.rfind('/');
    std::string_view ns = slash == std::string_view::npos ? "" : module.path.substr(0, slash);
    std::string_view name =
        slash == std::string_view::npos ? module.path : module.path.substr(slash + 1);
    Package p = make_lang_package("golang", ns, name, std::string(module.path),
                                  std::string(module.version), location);
    out.packages.push_back(std::move(p));
}

// modinfo lines: "path P", "mod P V SUM", "dep P V SUM", "=> P V SUM" (replaces the line
// before), "build K=V"; fields are tab-separated.
void parse_modinfo(std::string_view modinfo, const std::string& location, LangPackages& out) {
    std::vector<GoModule> modules;
    size_t pos = 0;
    while (pos < modinfo.size()) {
        size_t eol = modinfo.find('\n', pos);
        if (eol == std::string_view::npos) {
            eol = modinfo.size();
        }
        auto fields = split_tabs(modinfo.substr(pos, eol - pos));
        pos = eol + 1;
        if (fields.size() < 2) {
            continue;
        }
        GoModule module{fields[1], fields.size() > 2 ? fields[2] : std::string_view{}};
        if (fields[0] == "mod" || fields[0] == "dep") {
            modules.push_back(module);
        } else if (fields[0] == "=>" && !modules.empty()) {
            // A local directory replacement has no version: the dep then has none either.
            modules.back() = module.version.empty() ? GoModule{modules.back().path, {}} : module;
        }
    }
    for (const auto& module : modules) {
        add_module(module, location, out);
    }
}

// "go1.19.8" -> "v1.19.8"; experiments ("go1.20 X:boringcrypto") keep only the first word.
std::string stdlib_version(std::string_view go_version) {
    go_version = go_version.substr(0, go_version.find(' '));
    if (go_version.size() < 3 || go_version.substr(0, 2) != "go") {
        return {};
    }
    return "v" + std::string(go_version.substr(2));
}

}  // namespace

size_t go_buildinfo_needed(std::string_view blob) {
    if (blob.size() < kGoBuildInfoHeader) {
        return 0;
    }
    if ((static_cast<uint8_t>(blob[15]) & kFlagInlineStrings) == 0) {
        return kGoBuildInfoHeader;
    }
    size_t pos = kGoBuildInfoHeader;
    uint64_t length = 0;
    for (int i = 0; i < 2; ++i) {
        if (!read_uvarint(blob, pos, length)) {
            return blob.size() >= kGoBuildInfoCap ? kGoBuildInfoCap : 0;
        }
        if (length >= kGoBuildInfoCap || pos + length >= kGoBuildInfoCap) {
            return kGoBuildInfoCap;
        }
        pos += length;
    }
    return pos;
}

void parse_go_buildinfo(std::string_view blob, const std::string& path, LangPackages& out) {
    if (blob.size() < kGoBuildInfoHeader ||
        blob.substr(0, kGoBuildInfoMagic.size()) != kGoBuildInfoMagic) {
        out.warnings.push_back(path + ": Go build info truncated");
        return;
    }
    if ((static_cast<uint8_t>(blob[15]) & kFlagInlineStrings) == 0) {
        out.warnings.push_back(path + ": Go binary built before 1.18 not analysed");
        return;
    }
    size_t pos = kGoBuildInfoHeader;
    std::string_view version;
    std::string_view modinfo;
    if (!read_string(blob, pos, version) || !read_string(blob, pos, modinfo)) {
        out.warnings.push_back(path + ": Go build info truncated or larger than 1 MiB");
        return;
    }
    if (modinfo.size() >= 2 * kModInfoSentinel + 1 &&
        modinfo[modinfo.size() - kModInfoSentinel - 1] == '\n') {
        parse_modinfo(modinfo.substr(kModInfoSentinel, modinfo.size() - 2 * kModInfoSentinel), path,
                      out);
    }
    std::string stdlib = stdlib_version(version);
    if (!stdlib.empty()) {
        out.packages.push_back(make_lang_package("golang", "", "stdlib", "stdlib", stdlib, path));
    }
}

}  // namespace cguard::scanner::detail
