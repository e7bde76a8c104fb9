// apk's `lib/apk/db/installed`: one stanza per package, one "X:value" line per field, stanzas
// separated by blank lines. File ownership is written as an F: (directory) line followed by
// the R: (file) lines inside it.
#include <string>
#include <string_view>
#include <vector>

#include "scanner/detail/os_packages.h"

namespace cguard::scanner::detail {
namespace {

constexpr size_t kMaxWarnings = 100;

struct ApkStanza {
    OsPackage entry;
    std::string directory;  // from the last F: line
    size_t first_line = 0;
    bool has_version = false;
};

void add_warning(OsPackageList& out, std::string message) {
    if (out.warnings.size() < kMaxWarnings) {
        out.warnings.push_back(std::move(message));
    }
}

std::string normalise(std::string_view path) {
    while (!path.empty() && path.front() == '/') {
        path.remove_prefix(1);
    }
    while (!path.empty() && path.back() == '/') {
        path.remove_suffix(1);
    }
    return std::string(path);
}

void apply_field(ApkStanza& stanza, char key, std::string_view value) {
    Package& package = stanza.entry.package;
    switch (key) {
        case 'P': package.name = std::string(value); break;
        case 'V':
            package.version = std::string(value);
            stanza.has_version = !value.empty();
            break;
        case 'A': package.arch = std::string(value); break;
        case 'o': package.source_name = std::string(value); break;
        case 'F': stanza.directory = normalise(value); break;
        case 'R': {
            std::string file = normalise(value);
            if (file.empty()) {
                break;
            }
            stanza.entry.files.push_back(stanza.directory.empty() ? file
                                                                  : stanza.directory + "/" + file);
            break;
        }
        default: break;
    }
}

void finish_stanza(ApkStanza& stanza, OsPackageList& out) {
    Package& package = stanza.entry.package;
    if (package.name.empty() && !stanza.has_version) {
        return;
    }
    if (package.name.empty() || !stanza.has_version) {
        add_warning(out, "apk installed: stanza at line " + std::to_string(stanza.first_line) +
                             " (" + package.name + ") has no name or version; skipped");
        return;
    }
    package.type = "apk";
    if (package.source_name.empty()) {
        package.source_name = package.name;
    }
    package.source_version = package.version;
    out.packages.push_back(std::move(stanza.entry));
}

}  // namespace

OsPackageList parse_apk_installed(std::string_view text) {
    OsPackageList out;
    ApkStanza stanza;
    bool in_stanza = false;
    size_t line_number = 0;
    while (!text.empty()) {
        size_t end = text.find('\n');
        std::string_view line = text.substr(0, end);
        text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
        ++line_number;
        if (!line.empty() && line.back() == '\r') {
            line.remove_suffix(1);
        }

        if (line.empty()) {
            if (in_stanza) {
                finish_stanza(stanza, out);
            }
            stanza = ApkStanza{};
            in_stanza = false;
            continue;
        }
        if (!in_stanza) {
            stanza.first_line = line_number;
            in_stanza = true;
        }
        if (line.size() < 2 || line[1] != ':') {
            add_warning(out, "apk installed: line " + std::to_string(line_number) +
                                 " is not a field; ignored");
            continue;
        }
        apply_field(stanza, line[0], line.substr(2));
    }
    if (in_stanza) {
        finish_stanza(stanza, out);
    }
    return out;
}

}  // namespace cguard::scanner::detail
