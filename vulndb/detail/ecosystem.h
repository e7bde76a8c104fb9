// Ecosystem naming shared by the importer and the matcher: both sides reduce an ecosystem and a
// package name to the same key, so a lookup is one indexed equality.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scanner/scanner.h"
#include "vulndb/vulndb.h"

namespace cguard::vulndb::detail {

// The OSV ecosystems we inventory, i.e. the directories fetched from an OSV mirror.
const std::vector<std::string>& known_feeds();

// Reduces an OSV ecosystem to its release key: "Ubuntu:22.04:LTS" -> "Ubuntu:22.04",
// "Debian:3.0" -> "Debian:3", "Red Hat:enterprise_linux:9::appstream" -> "Red Hat:9",
// "openSUSE:Leap 15.5" -> "openSUSE:15.5", "SUSE:Linux Enterprise Server 15 SP5" -> "SUSE:15.5".
// nullopt when the ecosystem is not one we inventory.
std::optional<std::string> ecosystem_key(std::string_view ecosystem);

// Normalises a package name the way its ecosystem compares names (PEP 503, lowercase npm, ...).
std::string normalize_name(std::string_view ecosystem_key, std::string_view name);

// The release key for the image's OS ("Alpine:v3.10"), or "" when the OS is one we have no
// data for.
std::string os_ecosystem_key(const scanner::OsInfo& os);

struct PackageQuery {
    std::string ecosystem;  // release key
    std::string name;       // normalised
    std::string version;    // what the feed compares against (source version, no leading v)
    VersionScheme scheme = VersionScheme::Generic;
};

// How a package is looked up; nullopt for package types we hold no data for.
std::optional<PackageQuery> query_for(const scanner::Package& package, const std::string& os_key);

}  // namespace cguard::vulndb::detail
