#include "scanner/text_arena.h"

#include <algorithm>

namespace cguard::scanner {

TextArena::Position TextArena::add(std::string_view text) {
    if (text.empty()) {
        return 0;
    }
    if (blocks_.empty() || blocks_.back().capacity() - blocks_.back().size() < text.size()) {
        // Blocks double from 4 KiB so a layer of a few files does not hold 64 KiB; a text longer
        // than a block gets a block of its own.
        size_t next = blocks_.empty() ? kFirstBlockBytes
                                      : std::min(blocks_.back().capacity() * 2, kMaxBlockBytes);
        blocks_.emplace_back();
        blocks_.back().reserve(std::max(next, text.size()));
    }
    std::string& block = blocks_.back();
    Position position = (static_cast<Position>(blocks_.size() - 1) << 32) | block.size();
    block.append(text);
    return position;
}

void TextArena::shrink() {
    if (!blocks_.empty()) {
        blocks_.back().shrink_to_fit();
    }
    blocks_.shrink_to_fit();
}

size_t TextArena::capacity_bytes() const {
    size_t total = blocks_.capacity() * sizeof(std::string);
    for (const auto& block : blocks_) {
        total += block.capacity();
    }
    return total;
}

}  // namespace cguard::scanner
