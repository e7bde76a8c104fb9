// libFuzzer entry: feeds arbitrary bytes to the OSV record parser and scores any CVSS vector it
// found. Any crash, hang or sanitizer report is a bug: feed content is untrusted input.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "vulndb/detail/osv.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view bytes(reinterpret_cast<const char*>(data), size);
    auto record = cguard::vulndb::detail::parse_osv_record(bytes);
    if (record) {
        (void)cguard::vulndb::detail::cvss3_base_score(record->cvss_vector);
    }
    (void)cguard::vulndb::detail::cvss3_base_score(bytes);
    return 0;
}
