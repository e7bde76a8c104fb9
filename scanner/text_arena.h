// Append-only storage for the many short strings of a layer's file index (paths, link targets).
// Strings are packed into blocks of at most 64 KiB: no allocation and no 32-byte std::string per
// string, and no single growing buffer whose reallocation would briefly triple the memory of a
// layer with millions of files. A position stays valid for the arena's life, copies included.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cguard::scanner {

class TextArena {
public:
    // Block index in the high 32 bits, offset inside the block in the low 32 bits.
    using Position = uint64_t;

    // Stores a copy of `text` and returns where it lives. An empty text takes no space.
    Position add(std::string_view text);

    // The `size` bytes at `position`, as returned by add() for a text of that size.
    std::string_view view(Position position, size_t size) const {
        if (size == 0) {
            return {};
        }
        return std::string_view(blocks_[position >> 32]).substr(position & 0xffffffffu, size);
    }

    // Gives back the unused tail of the last block (call when no more text will be added).
    void shrink();

    // Bytes held, including unused block tails.
    size_t capacity_bytes() const;

private:
    static constexpr size_t kFirstBlockBytes = 4 * 1024;
    static constexpr size_t kMaxBlockBytes = 64 * 1024;

    // A block never grows past the capacity it was created with, so positions never move.
    std::vector<std::string> blocks_;
};

}  // namespace cguard::scanner
