// libFuzzer entry for the OS package database parsers: every parser sees every input, since a
// layer can put any bytes at any database path.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "scanner/detail/os_packages.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    namespace detail = cguard::scanner::detail;
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);

    detail::parse_dpkg_status(bytes);
    detail::parse_dpkg_file_list(bytes, false);
    detail::parse_dpkg_file_list(bytes, true);
    detail::parse_apk_installed(bytes);
    detail::parse_rpm_sqlite(bytes);
    detail::parse_rpm_ndb(bytes);
    detail::parse_rpm_bdb(bytes);

    detail::OsPackage package;
    detail::parse_rpm_header(bytes, package);
    return 0;
}
