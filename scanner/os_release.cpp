#include "scanner/os_release.h"

#include <cctype>

namespace cguard::scanner {
namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) {
        s.remove_prefix(1);
    }
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) {
        s.remove_suffix(1);
    }
    return s;
}

std::string first_line(const std::string* text) {
    if (text == nullptr) {
        return {};
    }
    std::string_view view(*text);
    return std::string(trim(view.substr(0, view.find('\n'))));
}

// "Red Hat Enterprise Linux release 8.9 (Ootpa)" -> family from the name, version "8.9".
OsInfo from_redhat_release(const std::string& line) {
    OsInfo os;
    os.name = line;
    size_t at = line.find(" release ");
    if (at != std::string::npos) {
        std::string_view rest = std::string_view(line).substr(at + 9);
        os.version = std::string(rest.substr(0, rest.find(' ')));
    }
    if (line.starts_with("CentOS")) {
        os.family = "centos";
    } else if (line.starts_with("Red Hat")) {
        os.family = "rhel";
    } else if (line.starts_with("AlmaLinux")) {
        os.family = "almalinux";
    } else if (line.starts_with("Rocky")) {
        os.family = "rocky";
    } else if (line.starts_with("Fedora")) {
        os.family = "fedora";
    } else if (line.starts_with("Amazon")) {
        os.family = "amzn";
    } else {
        os.family = "redhat";
    }
    return os;
}

}  // namespace

std::string os_release_value(std::string_view text, std::string_view key) {
    while (!text.empty()) {
        size_t eol = text.find('\n');
        std::string_view line = trim(text.substr(0, eol));
        text = eol == std::string_view::npos ? std::string_view{} : text.substr(eol + 1);
        if (line.size() <= key.size() || !line.starts_with(key) || line[key.size()] != '=') {
            continue;
        }
        std::string_view value = trim(line.substr(key.size() + 1));
        if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') &&
            value.back() == value.front()) {
            value = value.substr(1, value.size() - 2);
        }
        return std::string(value);
    }
    return {};
}

OsInfo detect_os(const FileTree& tree) {
    OsInfo os;
    const std::string* release = tree.captured("etc/os-release");
    if (release == nullptr) {
        release = tree.captured("usr/lib/os-release");
    }
    if (release != nullptr) {
        os.family = os_release_value(*release, "ID");
        os.name = os_release_value(*release, "NAME");
        if (os.name.empty()) {
            os.name = os_release_value(*release, "PRETTY_NAME");
        }
        os.version = os_release_value(*release, "VERSION_ID");
    }
    std::string alpine = first_line(tree.captured("etc/alpine-release"));
    if (!alpine.empty() && (os.family.empty() || os.family == "alpine")) {
        os.family = "alpine";
        os.version = alpine;
        if (os.name.empty()) {
            os.name = "Alpine Linux";
        }
        return os;
    }
    std::string debian = first_line(tree.captured("etc/debian_version"));
    if (!debian.empty() && (os.family.empty() || (os.family == "debian" && os.version.empty()))) {
        os.family = "debian";
        os.version = debian;
        if (os.name.empty()) {
            os.name = "Debian GNU/Linux";
        }
        return os;
    }
    if (!os.family.empty()) {
        return os;
    }
    for (const char* path : {"etc/redhat-release", "etc/centos-release", "etc/system-release"}) {
        std::string line = first_line(tree.captured(path));
        if (!line.empty()) {
            return from_redhat_release(line);
        }
    }
    return os;
}

}  // namespace cguard::scanner
