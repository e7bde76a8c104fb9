#include "scanner/file_tree.h"

#include <deque>

namespace cguard::scanner {
namespace {

// Splits `path` on '/', dropping empty and "." components.
void split_into(std::string_view path, std::deque<std::string>& out, bool front) {
    std::vector<std::string> parts;
    while (!path.empty()) {
        size_t slash = path.find('/');
        std::string_view part = path.substr(0, slash);
        path = slash == std::string_view::npos ? std::string_view{} : path.substr(slash + 1);
        if (!part.empty() && part != ".") {
            parts.emplace_back(part);
        }
    }
    if (front) {
        out.insert(out.begin(), parts.begin(), parts.end());
    } else {
        out.insert(out.end(), parts.begin(), parts.end());
    }
}

std::string join(const std::vector<std::string>& parts) {
    std::string out;
    for (const auto& part : parts) {
        if (!out.empty()) {
            out += '/';
        }
        out += part;
    }
    return out;
}

}  // namespace

void FileTree::erase_below(const std::string& dir) {
    if (dir.empty()) {
        nodes_.clear();
        return;
    }
    // Keys below "dir" are exactly those in ["dir/", "dir0"): '0' follows '/' in ASCII.
    auto first = nodes_.lower_bound(dir + '/');
    auto last = nodes_.lower_bound(dir + '0');
    nodes_.erase(first, last);
}

void FileTree::apply(const LayerResult& layer) {
    size_t index = layers_.size();
    layers_.push_back(&layer);
    for (const auto& dir : layer.opaque_dirs) {
        erase_below(dir);
    }
    for (const auto& path : layer.whiteouts) {
        if (auto it = nodes_.find(path); it != nodes_.end()) {
            nodes_.erase(it);
        }
        erase_below(path);
    }
    for (const auto& record : layer.files) {
        if (record.type != detail::EntryType::Directory) {
            erase_below(record.path);  // a non-directory hides whatever lay below its path
        }
        nodes_.insert_or_assign(std::string_view(record.path), Node{index, &record});
    }
}

const FileTree::Node* FileTree::find_exact(std::string_view path) const {
    auto it = nodes_.find(path);
    return it == nodes_.end() ? nullptr : &it->second;
}

std::optional<std::string> FileTree::resolve(std::string_view path, bool follow_last) const {
    std::deque<std::string> pending;
    split_into(path, pending, false);
    std::vector<std::string> done;
    int hops = 0;
    while (!pending.empty()) {
        std::string part = std::move(pending.front());
        pending.pop_front();
        if (part == "..") {
            if (!done.empty()) {
                done.pop_back();
            }
            continue;
        }
        done.push_back(std::move(part));
        if (pending.empty() && !follow_last) {
            break;
        }
        const Node* node = find_exact(join(done));
        if (node == nullptr || node->record->type != detail::EntryType::Symlink) {
            continue;
        }
        if (++hops > kMaxSymlinkHops) {
            return std::nullopt;
        }
        const std::string& target = node->record->link_target;
        done.pop_back();
        if (!target.empty() && target[0] == '/') {
            done.clear();
        }
        split_into(target, pending, true);
    }
    return join(done);
}

std::string FileTree::canonical_owned_path(std::string_view path) const {
    size_t slash = path.rfind('/');
    if (slash == std::string_view::npos) {
        return std::string(path);
    }
    auto dir = resolve(path.substr(0, slash));
    std::string name(path.substr(slash + 1));
    if (!dir) {
        return std::string(path);
    }
    return dir->empty() ? name : *dir + "/" + name;
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
    for (auto it = nodes_.lower_bound(prefix); it != nodes_.end(); ++it) {
        if (!it->first.starts_with(prefix)) {
            break;
        }
        fn(it->first, it->second);
    }
}

void FileTree::for_each(const std::function<void(std::string_view, const Node&)>& fn) const {
    for (const auto& [path, node] : nodes_) {
        fn(path, node);
    }
}

}  // namespace cguard::scanner
