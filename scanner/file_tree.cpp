#include "scanner/file_tree.h"

#include <algorithm>
#include <numeric>

namespace cguard::scanner {
namespace {

// Pushes the components of `path` (split on '/', empty and "." ones dropped) onto `pending`,
// first component on top, unless that would hold more than `limit` components: a lookup
// processes each of them, so it would fail anyway. The views point into `path`, which outlives
// the lookup.
bool push_components(std::string_view path, std::vector<std::string_view>& pending, size_t limit) {
    auto for_each_part = [&](auto&& fn) {
        for (size_t end = path.size(); end > 0;) {
            size_t slash = path.rfind('/', end - 1);
            size_t begin = slash == std::string_view::npos ? 0 : slash + 1;
            std::string_view part = path.substr(begin, end - begin);
            if (!part.empty() && part != ".") {
                fn(part);
            }
            end = slash == std::string_view::npos ? 0 : slash;
        }
    };
    size_t count = pending.size();
    for_each_part([&](std::string_view) { ++count; });
    if (count > limit) {
        return false;
    }
    for_each_part([&](std::string_view part) { pending.push_back(part); });
    return true;
}

// An owned path with its directory part (before `slash`) replaced by `dir`, when it resolved.
std::string owned_path(const std::optional<std::string>& dir, std::string_view path, size_t slash) {
    if (!dir) {
        return std::string(path);
    }
    std::string_view name = path.substr(slash + 1);
    return dir->empty() ? std::string(name) : *dir + "/" + std::string(name);
}

// One distinct path of the layer being applied, in path order.
struct LayerPath {
    uint32_t record = 0;  // its last record in archive order: the one that wins
    uint32_t nondir = 0;  // 1 + archive index of its last non-directory record, or 0
};

std::vector<LayerPath> distinct_paths(const LayerResult& layer) {
    std::vector<uint32_t> order(layer.files.size());
    std::iota(order.begin(), order.end(), 0u);
    auto path = [&](uint32_t i) { return layer.path(layer.files[i]); };
    std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
        int c = path(a).compare(path(b));
        return c < 0 || (c == 0 && a < b);
    });
    std::vector<LayerPath> out;
    out.reserve(order.size());  // exact bound: growing by doubling would overshoot by up to 2x
    for (size_t i = 0; i < order.size();) {
        std::string_view current = path(order[i]);
        LayerPath entry;
        for (; i < order.size() && path(order[i]) == current; ++i) {
            entry.record = order[i];
            if (layer.files[order[i]].type != detail::EntryType::Directory) {
                entry.nondir = order[i] + 1;
            }
        }
        out.push_back(entry);
    }
    return out;
}

// The largest own(dir) over the proper ancestors of a path: the root "" and each directory
// prefix. Queries come in path order, so the chain of the last path's directories answers most
// of them without calling own() again.
template <typename Own>
class AncestorMax {
public:
    explicit AncestorMax(Own own) : own_(std::move(own)) {}

    uint32_t of(std::string_view path) {
        if (path.empty()) {
            return 0;
        }
        if (chain_.empty()) {
            chain_.emplace_back(std::string_view{}, own_(std::string_view{}));
        }
        size_t slash = path.rfind('/');
        std::string_view dir = slash == std::string_view::npos ? "" : path.substr(0, slash);
        while (chain_.size() > 1 && !contains(chain_.back().first, dir)) {
            chain_.pop_back();
        }
        if (chain_.back().first.size() == dir.size()) {
            return chain_.back().second;
        }
        size_t pos = chain_.size() == 1 ? 0 : chain_.back().first.size() + 1;
        uint32_t value = chain_.back().second;
        while (true) {
            size_t next = dir.find('/', pos);
            std::string_view prefix = dir.substr(0, next);
            value = std::max(value, own_(prefix));
            chain_.emplace_back(prefix, value);
            if (next == std::string_view::npos) {
                return value;
            }
            pos = next + 1;
        }
    }

private:
    static bool contains(std::string_view dir, std::string_view path) {
        return path.starts_with(dir) && (path.size() == dir.size() || path[dir.size()] == '/');
    }

    Own own_;
    std::vector<std::pair<std::string_view, uint32_t>> chain_;  // each a directory of the next
};

std::vector<std::string_view> sorted_views(const std::vector<std::string>& a,
                                           const std::vector<std::string>& b = {}) {
    std::vector<std::string_view> out(a.begin(), a.end());
    out.insert(out.end(), b.begin(), b.end());
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace

std::vector<FileTree::Node>::const_iterator FileTree::lower_bound(std::string_view path) const {
    return std::lower_bound(
        nodes_.begin(), nodes_.end(), path,
        [&](const Node& node, std::string_view p) { return this->path(node) < p; });
}

// Equivalent to applying, in order: each opaque directory (erase what lies below it), each
// whiteout (erase the path and what lies below), then each record in archive order (a
// non-directory first erases what lies below its path, then the record replaces its path).
// Done as one merge of two sorted lists instead, so the tree needs no node per allocation:
// a lower node survives unless a whiteout or a record names it, or an opaque directory, a
// whiteout or a non-directory record of the layer lies above it; a record of the layer
// survives unless it is not the last of its path or a later non-directory record lies above it.
void FileTree::apply(const LayerResult& layer) {
    size_t index = layers_.size();
    layers_.push_back(&layer);
    std::vector<LayerPath> fresh = distinct_paths(layer);
    auto fresh_path = [&](const LayerPath& e) { return layer.path(layer.files[e.record]); };
    auto find_fresh = [&](std::string_view dir) -> const LayerPath* {
        auto it = std::lower_bound(
            fresh.begin(), fresh.end(), dir,
            [&](const LayerPath& e, std::string_view p) { return fresh_path(e) < p; });
        return it != fresh.end() && fresh_path(*it) == dir ? &*it : nullptr;
    };
    std::vector<std::string_view> gone = sorted_views(layer.whiteouts);
    std::vector<std::string_view> below = sorted_views(layer.whiteouts, layer.opaque_dirs);
    AncestorMax lower_hidden([&](std::string_view dir) -> uint32_t {
        const LayerPath* e = find_fresh(dir);
        return std::binary_search(below.begin(), below.end(), dir) || (e && e->nondir != 0);
    });
    AncestorMax fresh_hidden([&](std::string_view dir) -> uint32_t {
        const LayerPath* e = find_fresh(dir);
        return e == nullptr ? 0 : e->nondir;
    });

    std::vector<Node> merged;
    merged.reserve(nodes_.size() + fresh.size());
    size_t i = 0;
    size_t j = 0;
    while (i < nodes_.size() || j < fresh.size()) {
        int order = i == nodes_.size()  ? 1
                    : j == fresh.size() ? -1
                                        : path(nodes_[i]).compare(fresh_path(fresh[j]));
        if (order < 0) {
            std::string_view p = path(nodes_[i]);
            if (!std::binary_search(gone.begin(), gone.end(), p) && lower_hidden.of(p) == 0) {
                merged.push_back(nodes_[i]);
            }
            ++i;
            continue;
        }
        i += order == 0 ? 1 : 0;  // the layer's record replaces the lower node
        if (fresh_hidden.of(fresh_path(fresh[j])) <= fresh[j].record + 1) {
            merged.push_back(Node{index, &layer.files[fresh[j].record]});
        }
        ++j;
    }
    if (merged.capacity() > merged.size() + merged.size() / 4) {
        merged.shrink_to_fit();
    }
    nodes_ = std::move(merged);
}

const FileTree::Node* FileTree::find_exact(std::string_view path) const {
    auto it = lower_bound(path);
    return it != nodes_.end() && this->path(*it) == path ? &*it : nullptr;
}

// One lookup in progress: the path resolved so far, built in place, and for it and each of its
// ancestors the range of nodes below it. A component then costs two binary searches within its
// parent's range, comparing only the component: no path is rebuilt or compared whole.
struct FileTree::Walk {
    struct Level {
        size_t size = 0;  // done.size() at this level
        size_t lo = 0;    // nodes_[lo, hi) lie below this level's directory
        size_t hi = 0;
    };

    void up() {
        if (levels.size() > 1) {
            levels.pop_back();
            done.resize(levels.back().size);
        }
    }
    void to_root() {
        levels.resize(1);
        done.clear();
    }

    std::string done;
    std::vector<Level> levels;
    std::vector<std::string_view> pending;  // components still to walk, next one last
    size_t steps = 0;
    std::string key;  // scratch for enter()
};

// The first node in nodes_[lo, hi) whose path, past its first `skip` bytes (shared by the whole
// range), is not less than `key`.
size_t FileTree::bound(size_t lo, size_t hi, size_t skip, std::string_view key) const {
    auto first = nodes_.begin() + static_cast<std::ptrdiff_t>(lo);
    auto last = nodes_.begin() + static_cast<std::ptrdiff_t>(hi);
    auto it = std::lower_bound(first, last, key, [&](const Node& node, std::string_view k) {
        return path(node).substr(skip) < k;
    });
    return static_cast<size_t>(it - nodes_.begin());
}

// Appends `name` to the walk's path and returns the node stored there, or nullptr.
const FileTree::Node* FileTree::enter(Walk& walk, std::string_view name) const {
    const Walk::Level top = walk.levels.back();
    size_t skip = walk.done.empty() ? 0 : walk.done.size() + 1;
    size_t at = bound(top.lo, top.hi, skip, name);
    bool found = at < top.hi && path(nodes_[at]).substr(skip) == name;
    walk.key.assign(name);
    walk.key += '/';  // the children of name/ sort together, between "name/" and "name0"
    size_t lo = bound(at, top.hi, skip, walk.key);
    walk.key.back() = '/' + 1;
    size_t hi = bound(lo, top.hi, skip, walk.key);
    if (!walk.done.empty()) {
        walk.done += '/';
    }
    walk.done += name;
    walk.levels.push_back(Walk::Level{walk.done.size(), lo, hi});
    return found ? &nodes_[at] : nullptr;
}

// Walks the pending components; walk.done is the resolved path when this returns Resolved.
FileTree::WalkEnd FileTree::run(Walk& walk, bool follow_last) const {
    int hops = 0;
    while (!walk.pending.empty()) {
        std::string_view part = walk.pending.back();
        walk.pending.pop_back();
        walk.steps += 1 + part.size() / kResolveStepBytes;
        if (walk.steps > kMaxResolveSteps) {
            return WalkEnd::Bounded;
        }
        if (part == "..") {
            walk.up();
            continue;
        }
        if (walk.done.size() + 1 + part.size() > kMaxResolvedBytes) {
            return WalkEnd::Bounded;
        }
        const Node* node = enter(walk, part);
        if (walk.pending.empty() && !follow_last) {
            break;
        }
        if (node == nullptr || node->record->type != detail::EntryType::Symlink) {
            continue;
        }
        if (++hops > kMaxSymlinkHops) {
            return WalkEnd::Loop;  // or as good as one
        }
        std::string_view target = layers_[node->layer]->link_target(*node->record);
        walk.up();
        if (!target.empty() && target[0] == '/') {
            walk.to_root();
        }
        if (!push_components(target, walk.pending, kMaxResolveSteps - walk.steps)) {
            return WalkEnd::Bounded;
        }
    }
    return WalkEnd::Resolved;
}

std::optional<std::string> FileTree::resolve(std::string_view path, bool follow_last) const {
    WalkEnd end = WalkEnd::Bounded;
    Walk walk;
    walk.levels.push_back(Walk::Level{0, 0, nodes_.size()});
    if (!resolve_budget_exhausted() && push_components(path, walk.pending, kMaxResolveSteps)) {
        end = run(walk, follow_last);
    }
    resolve_steps_.fetch_add(walk.steps, std::memory_order_relaxed);
    if (end == WalkEnd::Bounded) {
        bounded_lookups_.fetch_add(1, std::memory_order_relaxed);
    }
    return end == WalkEnd::Resolved ? std::optional<std::string>(std::move(walk.done))
                                    : std::nullopt;
}

std::string FileTree::canonical_owned_path(std::string_view path) const {
    size_t slash = path.rfind('/');
    if (slash == std::string_view::npos) {
        return std::string(path);
    }
    return owned_path(resolve(path.substr(0, slash)), path, slash);
}

std::string OwnedPathResolver::canonical(std::string_view path) {
    size_t slash = path.rfind('/');
    if (slash == std::string_view::npos) {
        return std::string(path);
    }
    std::string dir(path.substr(0, slash));
    auto it = dirs_.find(dir);
    if (it == dirs_.end()) {
        std::optional<std::string> resolved = tree_.resolve(dir);
        it = dirs_.emplace(std::move(dir), std::move(resolved)).first;
    }
    return owned_path(it->second, path, slash);
}

const FileTree::Node* FileTree::find(std::string_view path) const {
    auto resolved = resolve(path);
    return resolved ? find_exact(*resolved) : nullptr;
}

const std::string* FileTree::captured(std::string_view path) const {
    const Node* node = find(path);
    if (node == nullptr || node->record->content < 0) {
        return nullptr;
    }
    return &layers_[node->layer]->captured[static_cast<size_t>(node->record->content)].data;
}

void FileTree::for_each_under(std::string_view dir,
                              const std::function<void(std::string_view, const Node&)>& fn) const {
    std::string prefix = std::string(dir) + '/';
    for (auto it = lower_bound(prefix); it != nodes_.end(); ++it) {
        std::string_view p = path(*it);
        if (!p.starts_with(prefix)) {
            break;
        }
        fn(p, *it);
    }
}

void FileTree::for_each(const std::function<void(std::string_view, const Node&)>& fn) const {
    for (const auto& node : nodes_) {
        fn(path(node), node);
    }
}

}  // namespace cguard::scanner
