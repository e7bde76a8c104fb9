// Reduces one layer to a LayerResult: a compact, self-contained summary that depends only on
// the layer's bytes (so it can be cached by layer digest): the file index, whiteouts, the few
// file contents the package analyzers need, and packages found inside binaries and archives.
// Content is streamed: memory grows with the number of entries, never with file sizes.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "scanner/detail/entry.h"
#include "scanner/layer_reader.h"
#include "scanner/scanner.h"

namespace cguard::scanner {

struct FileRecord {
    std::string path;  // normalised (see EntryHeader)
    detail::EntryType type = detail::EntryType::Regular;
    uint32_t mode = 0;
    uint64_t size = 0;
    std::string link_target;  // symlink target as written; hardlinks are resolved into copies
    std::string sha256;       // hex, only for hashed files (executables, libraries)
    int32_t content = -1;     // index into LayerResult::captured, or -1
    bool elf = false;         // content starts with the ELF magic (only probed files)
};

struct CapturedFile {
    std::string path;
    std::string data;
};

struct LayerResult {
    std::string digest;  // "sha256:<hex>" as the manifest names it; empty for a root filesystem
    std::vector<FileRecord> files;         // archive order; a later record for a path wins
    std::vector<std::string> whiteouts;    // paths this layer deletes from lower layers
    std::vector<std::string> opaque_dirs;  // directories whose lower-layer contents are hidden
    std::vector<CapturedFile> captured;
    std::vector<Package> packages;  // from binaries and Java archives; location = file path
    std::vector<std::string> warnings;
    uint64_t raw_bytes = 0;
    std::string raw_sha256;  // hex digest of the layer's raw bytes (set by tar sources)
};

struct AnalysisOptions {
    bool hash_binaries = true;  // SHA-256 of executables and libraries (for unowned files)
    size_t database_cap = 64u << 20;
    size_t text_cap = 4u << 20;
};

// What to keep of a file, decided from its path alone.
enum class CaptureKind { None, Database, Text };
CaptureKind capture_kind(std::string_view path);
bool is_library_name(std::string_view path);

// An EntryVisitor that fills a LayerResult. Feed it with read_layer() or a directory walk.
class LayerAnalysis : public EntryVisitor {
public:
    explicit LayerAnalysis(AnalysisOptions options = {});
    Result<void> on_entry(const detail::EntryHeader& header,
                          detail::ContentReader& content) override;
    // Moves the result out; the analysis must not be used afterwards.
    LayerResult take();

private:
    Result<void> on_regular(FileRecord& record, detail::ContentReader& content);
    Result<void> probe_binary(FileRecord& record, detail::ContentReader& content);
    Result<void> capture(FileRecord& record, detail::ContentReader& content, size_t cap);
    void on_hardlink(FileRecord& record);
    bool on_whiteout(const detail::EntryHeader& header);

    AnalysisOptions options_;
    LayerResult result_;
    std::unordered_multimap<size_t, size_t> index_;  // hash(path) -> files_ position
};

}  // namespace cguard::scanner
