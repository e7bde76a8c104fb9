// Streams one layer (a tar, plain or gzip/zstd-compressed) through libarchive without extracting
// it. The raw bytes are pulled from a ByteSource and hashed as they pass, so the layer digest is
// known (and can be verified by the caller) as soon as the walk ends. Entry paths are normalised
// and hostile entries (escaping paths, over-long paths, too many entries) are dropped with a
// warning before any visitor sees them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "scanner/detail/entry.h"

namespace cguard::scanner {

// A pull source of raw bytes. read() returns 0 at the end. Errors: Io, Corrupt.
class ByteSource {
public:
    virtual ~ByteSource() = default;
    virtual Result<size_t> read(void* buf, size_t size) = 0;
};

// Reads a file descriptor it does not own.
class FdSource : public ByteSource {
public:
    explicit FdSource(int fd) : fd_(fd) {}
    Result<size_t> read(void* buf, size_t size) override;

private:
    int fd_;
};

// Serves a byte range held by the caller (tests, the fuzzer, peeked prefixes).
class MemorySource : public ByteSource {
public:
    explicit MemorySource(std::string_view data) : data_(data) {}
    Result<size_t> read(void* buf, size_t size) override;

private:
    std::string_view data_;
};

// Receives the entries of a layer in archive order. An error aborts the walk and is returned
// from read_layer(); warnings go to the vector passed to read_layer().
class EntryVisitor {
public:
    virtual ~EntryVisitor() = default;
    virtual Result<void> on_entry(const detail::EntryHeader& header,
                                  detail::ContentReader& content) = 0;
};

struct LayerLimits {
    size_t max_entries = 5'000'000;
    size_t max_path_bytes = 4096;
    size_t max_depth = 512;
    // Decompression bombs. Uncompressed bytes count everything the tar reader consumes,
    // entry data it skips included. Real layers reach tens of GB; gzip cannot expand more than
    // about 1032x, zstd far more.
    uint64_t max_unpacked_bytes = 64ULL << 30;
    uint64_t max_expansion = 1000;                  // uncompressed / compressed
    uint64_t expansion_checked_after = 1ULL << 30;  // uncompressed bytes before the ratio applies
};

struct LayerStats {
    std::string sha256;           // hex digest of every raw byte pulled from the source
    uint64_t raw_bytes = 0;       // bytes pulled from the source (compressed size)
    uint64_t unpacked_bytes = 0;  // tar bytes after decompression (read or skipped)
    size_t entries = 0;           // entries handed to the visitor
    bool stopped_at_limit = false;
};

// Normalises a path from an archive or a link target: strips leading "/" and "./", resolves
// "." and ".." lexically. Returns nullopt when ".." would climb above the root.
std::optional<std::string> normalize_path(std::string_view path);

// Walks the tar stream in `source`, calling `visitor` for each acceptable entry, then drains
// the source to its end so the digest covers every byte. Each entry's content not consumed by
// the visitor is skipped. Errors: Corrupt (not a tar, truncated or corrupt compression; the
// message names `layer_name`), Io (from the source), LimitExceeded (more than
// limits.max_unpacked_bytes uncompressed, or past limits.expansion_checked_after an
// uncompressed/compressed ratio above limits.max_expansion; the message names the layer and
// the figure), or the visitor's error.
// Entries past limits.max_entries stop the walk with stats.stopped_at_limit and a warning.
// Warnings are about this layer and do not name it: the caller adds that prefix once.
Result<LayerStats> read_layer(ByteSource& source, const std::string& layer_name,
                              EntryVisitor& visitor, std::vector<std::string>& warnings,
                              const LayerLimits& limits = {});

}  // namespace cguard::scanner
