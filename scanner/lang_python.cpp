#include <cctype>

#include "scanner/detail/lang_packages.h"
#include "scanner/lang_util.h"

namespace cguard::scanner::detail {
namespace {

// PEP 503: lower case, every run of '-', '_' and '.' becomes one '-'.
std::string pep503_normalize(std::string_view name) {
    std::string out;
    bool in_run = false;
    for (char c : name) {
        if (c == '-' || c == '_' || c == '.') {
            in_run = true;
            continue;
        }
        if (in_run && !out.empty()) {
            out += '-';
        }
        in_run = false;
        out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return out;
}

bool header_is(std::string_view line, std::string_view key, std::string_view* value) {
    if (line.size() <= key.size() || line[key.size()] != ':') {
        return false;
    }
    for (size_t i = 0; i < key.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(line[i])) !=
            std::tolower(static_cast<unsigned char>(key[i]))) {
            return false;
        }
    }
    *value = trim(line.substr(key.size() + 1));
    return true;
}

}  // namespace

// METADATA and PKG-INFO are RFC 822 style: headers up to the first blank line, then the long
// description, which may itself contain "Name:" lines and so is never read.
LangPackages parse_python_metadata(std::string_view text, const std::string& path) {
    LangPackages out;
    if (refuse_oversized(text, path, out)) {
        return out;
    }
    std::string_view name;
    std::string_view version;
    size_t pos = 0;
    while (pos < text.size()) {
        size_t eol = text.find('\n', pos);
        if (eol == std::string_view::npos) {
            eol = text.size();
        }
        std::string_view line = text.substr(pos, eol - pos);
        pos = eol + 1;
        if (trim(line).empty()) {
            break;
        }
        std::string_view value;
        if (name.empty() && header_is(line, "Name", &value)) {
            name = value;
        } else if (version.empty() && header_is(line, "Version", &value)) {
            version = value;
        }
    }
    if (name.empty() || version.empty()) {
        out.warnings.push_back(path + ": python metadata without Name or Version header");
        return out;
    }
    out.packages.push_back(make_lang_package("pypi", "", pep503_normalize(name), std::string(name),
                                             std::string(version), path));
    return out;
}

}  // namespace cguard::scanner::detail
