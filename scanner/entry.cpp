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

}  // namespace cguard::scanner::detail
