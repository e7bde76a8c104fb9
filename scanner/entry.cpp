#include "scanner/detail/entry.h"

namespace cguard::scanner::detail {

Result<std::string> read_capped(ContentReader& reader, size_t limit, bool* truncated) {
    std::string out;
    char buf[64 * 1024];
    if (truncated != nullptr) {
        *truncated = false;
    }
    while (true) {
        auto got = reader.read(buf, sizeof buf);
        if (!got) {
            return forward_error(got.error());
        }
        if (*got == 0) {
            return out;
        }
        size_t room = limit - out.size();
        if (*got > room) {
            out.append(buf, room);
            if (truncated != nullptr) {
                *truncated = true;
            }
            return out;
        }
        out.append(buf, *got);
    }
}

std::string quoted_path(std::string_view path, size_t max_bytes) {
    if (path.size() <= max_bytes) {
        return std::string(path);
    }
    size_t cut = max_bytes;
    // Back off over UTF-8 continuation bytes (10xxxxxx) so no character is split.
    while (cut > 0 && (static_cast<unsigned char>(path[cut]) & 0xC0) == 0x80) {
        --cut;
    }
    return std::string(path.substr(0, cut)) + "\u2026";
}

}  // namespace cguard::scanner::detail
