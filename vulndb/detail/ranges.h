// OSV range semantics, separated from storage so the edge cases can be tested directly.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "vulndb/detail/osv.h"
#include "vulndb/vulndb.h"

namespace cguard::vulndb::detail {

struct RangeVerdict {
    bool affected = false;
    std::string fixed;  // the lowest fix above `version` in the ranges that matched; "" if none
    std::string error;  // non-empty: a version could not be compared; `affected` is then false
};

// A version is affected when it is listed in `versions`, or inside any range: after sorting the
// events, `introduced` ("0" = from the start) opens, `fixed` (v >= fixed) and `last_affected`
// (v > last_affected) close; `limit` events cap the range (v must be below a limit).
RangeVerdict evaluate(VersionScheme scheme, std::string_view version,
                      const std::vector<VersionRange>& ranges,
                      const std::vector<std::string>& versions);

// Compact storage form of ranges: one JSON array [{"s":0|1,"e":[["i","0"],["f","1.2"]]}].
std::string encode_ranges(const std::vector<VersionRange>& ranges);
std::string encode_strings(const std::vector<std::string>& values);
bool decode_ranges(std::string_view text, std::vector<VersionRange>& out);
bool decode_strings(std::string_view text, std::vector<std::string>& out);

}  // namespace cguard::vulndb::detail
