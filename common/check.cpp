#include "common/check.h"

#include <atomic>

namespace cguard::detail {
namespace {
std::atomic<unsigned long> g_bugs{0};
}
void count_bug() {
    g_bugs.fetch_add(1, std::memory_order_relaxed);
}
}  // namespace cguard::detail
