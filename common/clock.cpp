#include "common/clock.h"

#include <ctime>

namespace cguard {
namespace {

std::string utc_now_formatted(const char* format) {
    std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    char buf[32];
    std::strftime(buf, sizeof buf, format, &utc);
    return buf;
}

}  // namespace

std::string utc_now_rfc3339() {
    return utc_now_formatted("%Y-%m-%dT%H:%M:%SZ");
}

std::string utc_today() {
    return utc_now_formatted("%Y-%m-%d");
}

}  // namespace cguard
