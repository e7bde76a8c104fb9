// dpkg's `status` database and per-package file lists. The status file is a sequence of
// RFC822-like stanzas; dpkg itself is lenient about it, so we are too: a malformed line costs a
// warning, never the rest of the file.
#include <string>
#include <string_view>
#include <vector>

#include "scanner/detail/os_packages.h"

namespace cguard::scanner::detail {
namespace {

constexpr size_t kMaxWarnings = 100;

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
        s.remove_prefix(1);
    }
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
        s.remove_suffix(1);
    }
    return s;
}

// Calls on_line for each line (without its '\n'); a final line without '\n' counts too.
template <typename OnLine>
void for_each_line(std::string_view text, OnLine on_line) {
    while (!text.empty()) {
        size_t end = text.find('\n');
        std::string_view line = text.substr(0, end);
        on_line(line);
        text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    }
}

void add_warning(OsPackageList& out, std::string message) {
    if (out.warnings.size() < kMaxWarnings) {
        out.warnings.push_back(std::move(message));
    }
}

// The single-line fields we need from one stanza; continuation lines are ignored because none
// of these fields may span lines.
struct Stanza {
    std::string_view package;
    std::string_view version;
    std::string_view architecture;
    std::string_view source;
    std::string_view status;
    bool has_status = false;
    size_t first_line = 0;
};

void set_field(Stanza& stanza, std::string_view name, std::string_view value) {
    if (name == "Package") {
        stanza.package = value;
    } else if (name == "Version") {
        stanza.version = value;
    } else if (name == "Architecture") {
        stanza.architecture = value;
    } else if (name == "Source") {
        stanza.source = value;
    } else if (name == "Status") {
        stanza.status = value;
        stanza.has_status = true;
    }
}

// Status is "want eflag status". Only fully installed packages count, whatever the selection
// ("install", "hold", or "deinstall" not yet carried out): "config-files" and half-installed
// states leave no package whose code a scan should report, and a reinstall-required flag means
// the files may be damaged, which we still report as installed.
bool is_installed(const Stanza& stanza) {
    if (!stanza.has_status) {
        return true;
    }
    std::string_view status = stanza.status;
    auto last_space = status.rfind(' ');
    return last_space != std::string_view::npos && status.substr(last_space + 1) == "installed";
}

// "Source: name" or "Source: name (version)"; the source version defaults to the binary's.
void fill_source(const Stanza& stanza, Package& package) {
    std::string_view source = stanza.source;
    std::string_view version = stanza.version;
    size_t paren = source.find('(');
    if (paren != std::string_view::npos) {
        size_t close = source.find(')', paren);
        version =
            trim(source.substr(paren + 1, close == std::string_view::npos ? std::string_view::npos
                                                                          : close - paren - 1));
        source = trim(source.substr(0, paren));
    }
    package.source_name = std::string(source.empty() ? stanza.package : source);
    package.source_version = std::string(version.empty() ? stanza.version : version);
}

void finish_stanza(const Stanza& stanza, OsPackageList& out) {
    if (stanza.package.empty() && stanza.version.empty()) {
        return;
    }
    if (!is_installed(stanza)) {
        return;
    }
    if (stanza.package.empty() || stanza.version.empty()) {
        add_warning(out, "dpkg status: stanza at line " + std::to_string(stanza.first_line) + " (" +
                             std::string(stanza.package) + ") has no Package or Version; skipped");
        return;
    }
    OsPackage entry;
    entry.package.name = std::string(stanza.package);
    entry.package.version = std::string(stanza.version);
    entry.package.arch = std::string(stanza.architecture);
    entry.package.type = "deb";
    fill_source(stanza, entry.package);
    out.packages.push_back(std::move(entry));
}

}  // namespace

OsPackageList parse_dpkg_status(std::string_view text) {
    OsPackageList out;
    Stanza stanza;
    bool in_stanza = false;
    size_t line_number = 0;
    for_each_line(text, [&](std::string_view line) {
        ++line_number;
        if (trim(line).empty()) {
            if (in_stanza) {
                finish_stanza(stanza, out);
            }
            stanza = Stanza{};
            in_stanza = false;
            return;
        }
        if (!in_stanza) {
            stanza.first_line = line_number;
            in_stanza = true;
        }
        if (line.front() == ' ' || line.front() == '\t') {
            return;  // continuation of a multi-line field
        }
        size_t colon = line.find(':');
        if (colon == std::string_view::npos) {
            add_warning(out, "dpkg status: line " + std::to_string(line_number) +
                                 " is not a field; ignored");
            return;
        }
        set_field(stanza, trim(line.substr(0, colon)), trim(line.substr(colon + 1)));
    });
    if (in_stanza) {
        finish_stanza(stanza, out);
    }
    return out;
}

std::vector<std::string> parse_dpkg_file_list(std::string_view text, bool md5sums_format) {
    std::vector<std::string> files;
    for_each_line(text, [&](std::string_view line) {
        if (!line.empty() && line.back() == '\r') {
            line.remove_suffix(1);
        }
        if (md5sums_format) {
            // "<md5>  <path>": the path starts after the first run of spaces and may hold spaces.
            size_t space = line.find(' ');
            if (space == std::string_view::npos) {
                return;
            }
            line = line.substr(space);
            while (!line.empty() && line.front() == ' ') {
                line.remove_prefix(1);
            }
        }
        while (!line.empty() && line.front() == '/') {
            line.remove_prefix(1);
        }
        while (!line.empty() && line.back() == '/') {
            line.remove_suffix(1);
        }
        // dpkg lists the root itself as "/."; it owns nothing.
        if (line.empty() || line == ".") {
            return;
        }
        files.emplace_back(line);
    });
    return files;
}

}  // namespace cguard::scanner::detail
