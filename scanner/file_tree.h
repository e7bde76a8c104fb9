// The merged file tree of an image: LayerResults applied in order with OCI whiteout semantics.
// It indexes records owned by the layers (which must outlive the tree); nothing is copied: the
// tree is one sorted array of 16-byte nodes, rebuilt by a merge as each layer is applied.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
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

    // Applies one layer on top of the current tree: its opaque directories and whiteouts first
    // (they only hide lower layers), then its entries. `layer` must outlive the tree.
    void apply(const LayerResult& layer);

    // The node stored at exactly `path` (no symlink resolution).
    const Node* find_exact(std::string_view path) const;

    // Resolves symlinks in every component of `path` (the last one too when follow_last):
    // absolute targets start at the image root, ".." stops at the root, at most kMaxSymlinkHops
    // links are followed. Returns nullopt on a loop.
    std::optional<std::string> resolve(std::string_view path, bool follow_last = true) const;

    // Resolves only the directory part of `path` (ownership lists name files, not links).
    std::string canonical_owned_path(std::string_view path) const;

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
    std::vector<Node>::const_iterator lower_bound(std::string_view path) const;

    std::vector<Node> nodes_;  // sorted by path (byte order), one node per path

    std::vector<const LayerResult*> layers_;
};

}  // namespace cguard::scanner
