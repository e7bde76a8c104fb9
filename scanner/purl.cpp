#include "scanner/detail/purl.h"

#include <algorithm>
#include <cctype>

namespace cguard::scanner::detail {
namespace {

// purl-spec: unreserved characters pass; ':' is never encoded (the spec's canonical form keeps
// it); '/' is kept only where the caller says it is a separator-free value (qualifier values).
bool is_safe(unsigned char c, bool keep_slash) {
    if (std::isalnum(c) != 0 || c == '.' || c == '-' || c == '_' || c == '~' || c == ':') {
        return true;
    }
    return keep_slash && c == '/';
}

void append_encoded(std::string& out, std::string_view text, bool keep_slash = false) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    for (char ch : text) {
        auto c = static_cast<unsigned char>(ch);
        if (c < 0x80 && is_safe(c, keep_slash)) {
            out += ch;
            continue;
        }
        out += '%';
        out += kHex[c >> 4];
        out += kHex[c & 0x0f];
    }
}

std::string lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

// Namespace segments are encoded one by one; empty segments (leading, trailing or doubled '/')
// are dropped, as the spec's parser would drop them.
void append_namespace(std::string& out, std::string_view ns) {
    size_t start = 0;
    while (start <= ns.size()) {
        size_t slash = ns.find('/', start);
        if (slash == std::string_view::npos) {
            slash = ns.size();
        }
        std::string_view segment = ns.substr(start, slash - start);
        if (!segment.empty()) {
            append_encoded(out, segment);
            out += '/';
        }
        start = slash + 1;
    }
}

}  // namespace

std::string make_purl(std::string_view type, std::string_view ns, std::string_view name,
                      std::string_view version,
                      std::vector<std::pair<std::string, std::string>> qualifiers) {
    std::string out = "pkg:" + lower(type) + "/";
    append_namespace(out, ns);
    append_encoded(out, name);
    if (!version.empty()) {
        out += '@';
        append_encoded(out, version);
    }

    for (auto& [key, value] : qualifiers) {
        key = lower(key);
    }
    std::sort(qualifiers.begin(), qualifiers.end());
    char separator = '?';
    for (const auto& [key, value] : qualifiers) {
        if (value.empty() || key.empty()) {
            continue;
        }
        out += separator;
        out += key;
        out += '=';
        append_encoded(out, value, /*keep_slash=*/true);
        separator = '&';
    }
    return out;
}

}  // namespace cguard::scanner::detail
