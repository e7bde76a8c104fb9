// Turns a merged file tree into the inventory: OS packages (with owned files and purls),
// language packages not owned by an OS package, and unowned executables and libraries.
#pragma once

#include <string>
#include <vector>

#include "scanner/file_tree.h"
#include "scanner/scanner.h"

namespace cguard::scanner {

struct Inventory {
    std::vector<Package> packages;           // sorted by type, name, version, location
    std::vector<UnownedFile> unowned_files;  // sorted by path
    std::vector<std::string> warnings;
};

Inventory build_inventory(const FileTree& tree, const OsInfo& os, bool list_unowned);

// The purl of an OS package, from its type and the detected OS.
std::string os_package_purl(const Package& package, const OsInfo& os);

}  // namespace cguard::scanner
