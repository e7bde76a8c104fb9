// Pieces shared by the three rpm database readers (SQLite, NDB, Berkeley DB): every database
// stores the same header blob per package, so they differ only in how they find the blobs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "scanner/detail/os_packages.h"

namespace cguard::scanner::detail {

// Caps on what one file may make us do; real databases stay far below them.
constexpr size_t kMaxRpmBlobBytes = size_t{64} << 20;
constexpr uint32_t kMaxRpmIndexEntries = 1'000'000;
constexpr size_t kMaxRpmPackages = 200'000;
constexpr size_t kMaxPkgdbWarnings = 100;

inline uint32_t load_le32(const unsigned char* p) {
    return uint32_t{p[0]} | uint32_t{p[1]} << 8 | uint32_t{p[2]} << 16 | uint32_t{p[3]} << 24;
}

inline uint32_t load_be32(const unsigned char* p) {
    return uint32_t{p[3]} | uint32_t{p[2]} << 8 | uint32_t{p[1]} << 16 | uint32_t{p[0]} << 24;
}

inline const unsigned char* bytes_of(std::string_view data) {
    return reinterpret_cast<const unsigned char*>(data.data());
}

// Appends a warning unless the list already holds kMaxPkgdbWarnings (a corrupt file must not
// turn into a million warnings).
void add_pkgdb_warning(OsPackageList& out, std::string message);

// Parses one header blob into `out.packages`; a malformed blob becomes a warning naming
// `record` (e.g. "hnum 12"). Stops adding packages past kMaxRpmPackages.
void append_rpm_header(std::string_view blob, OsPackageList& out, const std::string& record);

}  // namespace cguard::scanner::detail
