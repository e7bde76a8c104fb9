// Three tiers for states that "cannot happen" (STYLE.md §4). None of them is for input: anything
// an image, registry or API server sends us is handled with Result<T>.
#pragma once

#include <cstdlib>

#include "common/log.h"

namespace cguard::detail {
[[noreturn]] inline void check_failed(const char* expr, const char* file, int line) {
    log::event(log::Level::Error, "internal.check_failed",
               {{"expr", expr}, {"file", file}, {"line", line}});
    std::abort();
}
void count_bug();
}  // namespace cguard::detail

// Debug-only invariant.
#ifdef NDEBUG
#define CS_ASSERT(expr) ((void)0)
#else
#define CS_ASSERT(expr) \
    ((expr) ? (void)0 : ::cguard::detail::check_failed(#expr, __FILE__, __LINE__))
#endif

// Always on; aborts. Only for states we cannot survive (allocation, lock or library init failure).
#define CS_CHECK(expr) \
    ((expr) ? (void)0 : ::cguard::detail::check_failed(#expr, __FILE__, __LINE__))

// Logs at error, counts, carries on.
#define CS_BUG(what)                                                                    \
    do {                                                                                \
        ::cguard::detail::count_bug();                                                  \
        ::cguard::log::event(::cguard::log::Level::Error, "internal.bug",               \
                             {{"what", what}, {"file", __FILE__}, {"line", __LINE__}}); \
    } while (0)
