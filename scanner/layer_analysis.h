// Reduces one layer to a LayerResult: a compact, self-contained summary that depends only on
// the layer's bytes (so it can be cached by layer digest): the file index, whiteouts, the few
// file contents the package analyzers need, and packages found inside binaries and archives.
// Content is streamed: memory grows with the number of entries, never with file sizes.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "scanner/detail/entry.h"
#include "scanner/detail/lang_packages.h"
#include "scanner/layer_reader.h"
#include "scanner/scanner.h"
#include "scanner/text_arena.h"

namespace cguard::scanner {

// One entry of a layer's file index. Kept to 32 bytes because an image holds one per file: the
// strings live in the layer (LayerResult::path(), link_target(), sha256()), not in the record.
struct FileRecord {
    uint64_t size = 0;
    TextArena::Position path_at = 0;  // normalised path (see EntryHeader) in LayerResult::text
    uint32_t path_size = 0;
    // Symlink: index into LayerResult::links; hashed files: index into LayerResult::digests.
    uint32_t extra = kNoExtra;
    int32_t content = -1;  // index into LayerResult::captured, or -1
    uint16_t mode = 0;
    detail::EntryType type = detail::EntryType::Regular;
    bool elf = false;  // content starts with the ELF magic (only probed files)

    static constexpr uint32_t kNoExtra = UINT32_MAX;
};

struct CapturedFile {
    std::string data;
};

struct LinkTarget {
    TextArena::Position at = 0;
    size_t size = 0;
};

using Sha256Digest = std::array<uint8_t, 32>;

struct LayerResult {
    std::string digest;  // "sha256:<hex>" as the manifest names it; empty for a root filesystem
    // Archive order; a later record for a path wins. A deque: growing it never copies the
    // records already there, which a vector of millions of records would do.
    std::deque<FileRecord> files;
    TextArena text;                        // paths and link targets of `files`
    std::vector<LinkTarget> links;         // symlink targets as written
    std::vector<Sha256Digest> digests;     // of hashed files (executables, libraries)
    std::vector<std::string> whiteouts;    // paths this layer deletes from lower layers
    std::vector<std::string> opaque_dirs;  // directories whose lower-layer contents are hidden
    std::vector<CapturedFile> captured;
    std::vector<Package> packages;  // from binaries and Java archives; location = file path
    std::vector<std::string> warnings;
    uint64_t raw_bytes = 0;
    std::string raw_sha256;  // hex digest of the layer's raw bytes (set by tar sources)

    std::string_view path(const FileRecord& record) const {
        return text.view(record.path_at, record.path_size);
    }
    // Symlinks: the target as written; hardlinks are resolved into copies. Else empty.
    std::string_view link_target(const FileRecord& record) const;
    // Lower-case hex SHA-256 of a hashed file's content, else empty.
    std::string sha256(const FileRecord& record) const;
};

struct AnalysisOptions {
    bool hash_binaries = true;        // SHA-256 of executables and libraries (for unowned files)
    size_t database_cap = 64u << 20;  // one captured package database
    size_t text_cap = 4u << 20;       // one captured text file (release file, list, manifest)
    // All captured contents together, per layer and per image. Past either cap a warning is
    // given and nothing more is captured in the layer.
    uint64_t layer_capture_cap = 256ULL << 20;
    uint64_t image_capture_cap = 512ULL << 20;
    uint64_t image_captured_before = 0;  // by earlier layers; set by the image source
    detail::JavaArchiveLimits java;
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
    Result<void> on_regular(FileRecord& record, const std::string& path,
                            detail::ContentReader& content);
    Result<void> probe_binary(FileRecord& record, const std::string& path,
                              detail::ContentReader& content);
    Result<void> capture(FileRecord& record, const std::string& path,
                         detail::ContentReader& content, size_t cap);
    uint64_t capture_room() const;
    void stop_captures(const std::string& path);
    void on_hardlink(FileRecord& record, const detail::EntryHeader& header);
    bool on_whiteout(const detail::EntryHeader& header);
    void remember(uint32_t index);
    void rehash(size_t min_slots);

    AnalysisOptions options_;
    LayerResult result_;
    // Open-addressing table of the latest record per path (index + 1, 0 = empty), built only
    // once the layer's first hardlink needs it: 4-8 bytes a file, and none in most layers.
    std::vector<uint32_t> latest_;
    size_t latest_used_ = 0;

    // Captures by path: a later entry of the same path replaces the earlier copy, so a layer
    // repeating a large database holds it once.
    struct CaptureSlot {
        size_t record = 0;  // index into files
        int32_t content = -1;
    };
    std::unordered_map<std::string, CaptureSlot> captures_;
    std::vector<bool> capture_linked_;  // by captured index: a hardlink shares it, keep it
    uint64_t captured_bytes_ = 0;
    bool captures_stopped_ = false;
};

}  // namespace cguard::scanner
