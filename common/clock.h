// Wall-clock text in UTC, the only forms our reports, logs and databases write.
#pragma once

#include <string>

namespace cguard {

std::string utc_now_rfc3339();  // "2026-12-04T16:50:05Z"
std::string utc_today();        // "2026-12-04"

}  // namespace cguard
