// What the layer walker hands to analyzers: one normalised entry header and a pull reader for
// its content. Shared by every layer source (tar streams, directory walks).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"

namespace cguard::scanner::detail {

enum class EntryType : uint8_t { Regular, Directory, Symlink, Hardlink, Other };

struct EntryHeader {
    // Normalised: relative, no leading "/" or "./", no "." or ".." components, no empty
    // components. Entries whose path escapes the root are dropped by the walker with a warning.
    std::string path;
    EntryType type = EntryType::Regular;
    uint32_t mode = 0;        // permission bits (07777)
    uint64_t size = 0;        // declared size; the reader may deliver fewer bytes (truncation)
    std::string link_target;  // Symlink: as written (may be absolute); Hardlink: normalised path
};

// Pulls an entry's content. read() returns the number of bytes stored in buf, 0 at the end.
// Never delivers more than EntryHeader::size bytes. Errors: Corrupt/Io from the underlying
// stream (e.g. truncated gzip); after an error the whole layer is abandoned.
class ContentReader {
public:
    virtual ~ContentReader() = default;
    virtual Result<size_t> read(void* buf, size_t size) = 0;
};

// Reads at most `limit` bytes into a string. Sets *truncated when more remained.
Result<std::string> read_capped(ContentReader& reader, size_t limit, bool* truncated = nullptr);

// A path (or archive location) as quoted in a warning or a log field: hostile images carry
// paths of 64 KiB, so past `max_bytes` it is cut at a UTF-8 boundary and ends in "…".
constexpr size_t kQuotedPathBytes = 256;
std::string quoted_path(std::string_view path, size_t max_bytes = kQuotedPathBytes);

}  // namespace cguard::scanner::detail
