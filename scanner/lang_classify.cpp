#include <array>

#include "scanner/detail/lang_packages.h"
#include "scanner/lang_util.h"

namespace cguard::scanner::detail {
namespace {

std::string_view parent_name(std::string_view path) {
    size_t slash = path.rfind('/');
    if (slash == std::string_view::npos) {
        return {};
    }
    std::string_view dir = path.substr(0, slash);
    size_t prev = dir.rfind('/');
    return prev == std::string_view::npos ? dir : dir.substr(prev + 1);
}

// Only a package's own manifest: "node_modules/<name>/package.json" or
// "node_modules/@scope/<name>/package.json" directly, so fixtures and examples deeper inside a
// package, and the application's own package.json, are not mistaken for installed packages.
bool is_npm_manifest(std::string_view path) {
    constexpr std::string_view kMarker = "node_modules/";
    constexpr std::string_view kFile = "/package.json";
    if (path.size() < kFile.size() || path.substr(path.size() - kFile.size()) != kFile) {
        return false;
    }
    size_t at = path.rfind(kMarker);
    if (at == std::string_view::npos || (at != 0 && path[at - 1] != '/')) {
        return false;
    }
    std::string_view rest = path.substr(at + kMarker.size());
    rest.remove_suffix(kFile.size());
    if (rest.empty() || rest.front() == '.') {
        return false;
    }
    size_t slash = rest.find('/');
    if (rest.front() == '@') {
        return slash != std::string_view::npos && slash + 1 < rest.size() &&
               rest.find('/', slash + 1) == std::string_view::npos;
    }
    return slash == std::string_view::npos;
}

}  // namespace

LangFile classify_lang_file(std::string_view path) {
    if (ends_with_icase(path, ".dist-info/METADATA") ||
        ends_with_icase(path, ".egg-info/PKG-INFO") || ends_with_icase(path, ".egg-info")) {
        return LangFile::PythonMetadata;
    }
    if (is_npm_manifest(path)) {
        return LangFile::NpmPackageJson;
    }
    if (ends_with_icase(path, ".gemspec") && parent_name(path) == "specifications") {
        return LangFile::Gemspec;
    }
    if (path == "vendor/composer/installed.json" ||
        ends_with_icase(path, "/vendor/composer/installed.json")) {
        return LangFile::ComposerInstalled;
    }
    if (ends_with_icase(path, ".deps.json")) {
        return LangFile::DotnetDeps;
    }
    return LangFile::None;
}

bool is_java_archive_path(std::string_view path) {
    static constexpr std::array<std::string_view, 5> kSuffixes = {".jar", ".war", ".ear", ".jpi",
                                                                  ".hpi"};
    for (std::string_view suffix : kSuffixes) {
        if (ends_with_icase(path, suffix)) {
            return true;
        }
    }
    return false;
}

}  // namespace cguard::scanner::detail
