// The merged file tree of an image: LayerResults applied in order with OCI whiteout semantics.
// It indexes records owned by the layers (which must outlive the tree); nothing is copied: the
// tree is one sorted array of 16-byte nodes, rebuilt by a merge as each layer is applied.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "scanner/layer_analysis.h"

namespace cguard::scanner {

class FileTree {
public:
    struct Node {
        size_t layer = 0;  // index into the layers passed to apply()
        const FileRecord* record = nullptr;
    };

    static constexpr int kMaxSymlinkHops = 40;
    // Bounds on resolution work, so that hostile link chains cannot stall a scan: steps taken
    // by one lookup and by all lookups on this tree (one scan), and the length of the path being
    // built (PATH_MAX, where realpath(3) gives up too). A step is one path component, and one
    // more per kResolveStepBytes of a long one. A lookup past any bound answers as a loop does.
    static constexpr size_t kResolveStepBytes = 64;
    static constexpr size_t kMaxResolveSteps = 4096;
    static constexpr uint64_t kMaxTreeResolveSteps = uint64_t{1} << 24;
    static constexpr size_t kMaxResolvedBytes = 4096;

    // Applies one layer on top of the current tree: its opaque directories and whiteouts first
    // (they only hide lower layers), then its entries. `layer` must outlive the tree.
    void apply(const LayerResult& layer);

    // The node stored at exactly `path` (no symlink resolution).
    const Node* find_exact(std::string_view path) const;

    // Resolves symlinks in every component of `path` (the last one too when follow_last):
    // absolute targets start at the image root, ".." stops at the root, at most kMaxSymlinkHops
    // links are followed. Returns nullopt on a loop or past a work bound above.
    std::optional<std::string> resolve(std::string_view path, bool follow_last = true) const;

    // Resolves only the directory part of `path` (ownership lists name files, not links).
    // OwnedPathResolver does the same for many paths, resolving each directory once.
    std::string canonical_owned_path(std::string_view path) const;

    // Steps all lookups on this tree have taken: the work bounded above.
    uint64_t resolve_steps() const { return resolve_steps_.load(std::memory_order_relaxed); }
    bool resolve_budget_exhausted() const { return resolve_steps() >= kMaxTreeResolveSteps; }
    // Lookups stopped by a work bound (not by a loop): their callers kept paths unresolved.
    uint64_t bounded_lookups() const { return bounded_lookups_.load(std::memory_order_relaxed); }

    // The node at `path` after resolving symlinks, or nullptr.
    const Node* find(std::string_view path) const;

    // Captured content of the file at `path` (symlinks resolved), or nullptr.
    const std::string* captured(std::string_view path) const;

    // The path of a node of this tree.
    std::string_view path(const Node& node) const {
        return layers_[node.layer]->path(*node.record);
    }

    // Calls fn for every node under `dir` (exact children and below), in path order.
    void for_each_under(std::string_view dir,
                        const std::function<void(std::string_view, const Node&)>& fn) const;
    void for_each(const std::function<void(std::string_view, const Node&)>& fn) const;

    const LayerResult& layer(size_t index) const { return *layers_[index]; }
    size_t layer_count() const { return layers_.size(); }
    size_t size() const { return nodes_.size(); }

private:
    struct Walk;
    enum class WalkEnd { Resolved, Loop, Bounded };

    std::vector<Node>::const_iterator lower_bound(std::string_view path) const;
    size_t bound(size_t lo, size_t hi, size_t skip, std::string_view key) const;
    const Node* enter(Walk& walk, std::string_view name) const;
    WalkEnd run(Walk& walk, bool follow_last) const;

    std::vector<Node> nodes_;  // sorted by path (byte order), one node per path

    std::vector<const LayerResult*> layers_;
    // Lookups are const and may run concurrently: the counters are atomic.
    mutable std::atomic<uint64_t> resolve_steps_{0};
    mutable std::atomic<uint64_t> bounded_lookups_{0};
};

// Canonicalises the paths ownership lists name (FileTree::canonical_owned_path) for one
// inventory pass. Owned paths share few directories (the dpkg lists of a Debian 12 host name
// 170k paths in 15k directories, and usr-merge sends every /bin/X through one link), so each
// distinct directory is resolved once: a hostile list cannot repeat a costly lookup per line.
class OwnedPathResolver {
public:
    explicit OwnedPathResolver(const FileTree& tree) : tree_(tree) {}

    std::string canonical(std::string_view path);

private:
    const FileTree& tree_;
    std::unordered_map<std::string, std::optional<std::string>> dirs_;
};

}  // namespace cguard::scanner
