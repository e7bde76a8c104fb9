// Parsers for OS package databases. Pure functions over bytes (fuzzed in fuzz/): they never
// throw and never fail on bad content; they return what they could read plus warnings.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "scanner/scanner.h"

namespace cguard::scanner::detail {

struct OsPackage {
    Package package;                 // name, version, type, arch, source_name, source_version
    std::vector<std::string> files;  // owned paths, normalised: no leading '/', no trailing '/'
};

struct OsPackageList {
    std::vector<OsPackage> packages;
    std::vector<std::string> warnings;
};

// dpkg `status` (or one file of the distroless `status.d/` directory). Only stanzas whose
// Status is "install ok installed" (or that carry no Status, as in status.d) are packages.
// `Source: name (version)` fills source_name/source_version; without it source = name/version.
OsPackageList parse_dpkg_status(std::string_view text);

// dpkg `info/NAME.list` or status.d `NAME.md5sums` content: one path per line, returned
// without leading/trailing '/'; the "/." root entry is dropped, directories are kept.
std::vector<std::string> parse_dpkg_file_list(std::string_view text, bool md5sums_format);

// apk `lib/apk/db/installed`: P/V/A/o stanzas, with F:(dir) and R:(file) lines for files.
// A stanza without a name or version is skipped with a warning.
OsPackageList parse_apk_installed(std::string_view text);

// rpm databases, read by our own code. `data` is the whole database file.
// version in the result is "[epoch:]version-release", the epoch shown whenever the tag exists
// (even 0), as rpm's %{EVR} does; source_name/source_version come from the SOURCERPM tag
// ("bash-4.4-19.6.1.src.rpm" -> "bash", "4.4-19.6.1"), prefixed with the binary's epoch when
// it has one (a source package shares its binaries' epoch; its file name omits it). Without
// SOURCERPM (gpg-pubkey, which is listed like `rpm -qa` does) the source is the package itself.
// parse_rpm_sqlite copies `data` (rpm leaves rpmdb.sqlite in WAL mode, which SQLite can only
// read from memory after a two-byte header change) and writes nothing to disk.
OsPackageList parse_rpm_sqlite(std::string_view data);  // rpmdb.sqlite
OsPackageList parse_rpm_ndb(std::string_view data);     // Packages.db
OsPackageList parse_rpm_bdb(std::string_view data);     // Packages (Berkeley DB hash)

// Parses one rpm header blob (the value stored in any of the three databases).
// Returns false and leaves `out` unspecified when the blob is malformed.
bool parse_rpm_header(std::string_view blob, OsPackage& out, std::string* epoch = nullptr);

}  // namespace cguard::scanner::detail
