// Helpers shared by the language analyzers (lang_*.cpp); not part of any contract.
#pragma once

#include <string>
#include <string_view>

#include "scanner/detail/lang_packages.h"
#include "scanner/detail/purl.h"

namespace cguard::scanner::detail {

// Largest text file the parsers look at: package manifests are kilobytes, a deps.json or
// installed.json of a big application a few megabytes.
inline constexpr size_t kMaxLangTextBytes = 64 * 1024 * 1024;

inline bool refuse_oversized(std::string_view text, const std::string& path, LangPackages& out) {
    if (text.size() <= kMaxLangTextBytes) {
        return false;
    }
    out.warnings.push_back(path + ": larger than 64 MiB; not parsed");
    return true;
}

inline Package make_lang_package(std::string_view type, std::string_view ns,
                                 std::string_view purl_name, std::string name, std::string version,
                                 const std::string& location) {
    Package p;
    p.purl = make_purl(type, ns, purl_name, version);
    p.name = std::move(name);
    p.version = std::move(version);
    p.type = std::string(type);
    p.location = location;
    return p;
}

inline std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) {
        s.remove_prefix(1);
    }
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
        s.remove_suffix(1);
    }
    return s;
}

inline bool ends_with_icase(std::string_view s, std::string_view suffix) {
    if (s.size() < suffix.size()) {
        return false;
    }
    for (size_t i = 0; i < suffix.size(); ++i) {
        char a = s[s.size() - suffix.size() + i];
        char b = suffix[i];
        if ((a >= 'A' && a <= 'Z' ? a + 32 : a) != (b >= 'A' && b <= 'Z' ? b + 32 : b)) {
            return false;
        }
    }
    return true;
}

}  // namespace cguard::scanner::detail
