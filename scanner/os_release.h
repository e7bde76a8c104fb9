// Detects the operating system of a merged tree from os-release and the older release files.
#pragma once

#include <string>
#include <string_view>

#include "scanner/file_tree.h"
#include "scanner/scanner.h"

namespace cguard::scanner {

// Parses os-release text (KEY=value lines, values optionally quoted) into `key`'s value.
std::string os_release_value(std::string_view text, std::string_view key);

// os-release first (etc/, then usr/lib/), then alpine-release, debian_version, redhat-release,
// centos-release, system-release. Alpine's version is the full release ("3.10.4") and Debian's
// falls back to debian_version when os-release has no VERSION_ID. An empty family means unknown.
OsInfo detect_os(const FileTree& tree);

}  // namespace cguard::scanner
