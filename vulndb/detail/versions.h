// Per-scheme version comparators behind vulndb::compare_versions(), plus the small character
// helpers they share. Every comparator works on the caller's bytes in place: comparison sits on
// the matching hot path (every installed package against every affected range), so none of
// them allocates on success and none uses <regex>.
#pragma once

#include <cstddef>
#include <string_view>

#include "common/result.h"

namespace cguard::vulndb::detail {

Result<int> compare_dpkg(std::string_view a, std::string_view b);
Result<int> compare_apk(std::string_view a, std::string_view b);
Result<int> compare_rpm(std::string_view a, std::string_view b);
Result<int> compare_semver(std::string_view a, std::string_view b);
Result<int> compare_pep440(std::string_view a, std::string_view b);
Result<int> compare_maven(std::string_view a, std::string_view b);
Result<int> compare_rubygems(std::string_view a, std::string_view b);
Result<int> compare_generic(std::string_view a, std::string_view b);

// apk-tools' own validity rule (apk_version_validate): digits{.digits}[letter]{_suffix[N]}
// [~hash][-rN].
bool apk_version_valid(std::string_view v);

// apk-tools' token comparison without validation, as apk itself runs it: an invalid tail stops
// the walk and the comparison falls back on token order. With `fuzzy`, `a` matches when `b` is
// a prefix of it at a token boundary (apk's `~` dependency operator). Returns <0, 0, >0.
// compare_apk() refuses invalid versions instead; this exists for apk's fuzzy operators and to
// check our token walk against apk-tools' own test data.
int apk_compare_unchecked(std::string_view a, std::string_view b, bool fuzzy);

// rpm's rpmvercmp() on one field (version or release), tilde and caret included.
int rpmvercmp(std::string_view a, std::string_view b);

inline bool is_digit(char c) {
    return c >= '0' && c <= '9';
}
inline bool is_lower(char c) {
    return c >= 'a' && c <= 'z';
}
inline bool is_upper(char c) {
    return c >= 'A' && c <= 'Z';
}
inline bool is_alpha(char c) {
    return is_lower(c) || is_upper(c);
}
inline bool is_alnum(char c) {
    return is_digit(c) || is_alpha(c);
}
inline char to_lower(char c) {
    return is_upper(c) ? static_cast<char>(c + ('a' - 'A')) : c;
}

inline int sign(int v) {
    return (v > 0) - (v < 0);
}

// Compares two runs of ASCII digits by value, of any length (no overflow): leading zeros are
// ignored, then the longer run is larger, then the first differing digit decides.
inline int compare_digits(std::string_view a, std::string_view b) {
    while (!a.empty() && a.front() == '0') {
        a.remove_prefix(1);
    }
    while (!b.empty() && b.front() == '0') {
        b.remove_prefix(1);
    }
    if (a.size() != b.size()) {
        return a.size() < b.size() ? -1 : 1;
    }
    return sign(a.compare(b));
}

// Length of the run of characters at the start of `s` for which `pred` holds.
template <typename Pred>
size_t span(std::string_view s, Pred pred) {
    size_t n = 0;
    while (n < s.size() && pred(s[n])) {
        ++n;
    }
    return n;
}

// Case-insensitive ASCII equality, for keywords ("rc", "post", "SNAPSHOT").
inline bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) {
        return false;
    }
    for (size_t i = 0; i < a.size(); ++i) {
        if (to_lower(a[i]) != to_lower(b[i])) {
            return false;
        }
    }
    return true;
}

// Case-insensitive ASCII three-way compare.
inline int icompare(std::string_view a, std::string_view b) {
    size_t n = a.size() < b.size() ? a.size() : b.size();
    for (size_t i = 0; i < n; ++i) {
        char x = to_lower(a[i]);
        char y = to_lower(b[i]);
        if (x != y) {
            return static_cast<unsigned char>(x) < static_cast<unsigned char>(y) ? -1 : 1;
        }
    }
    return a.size() == b.size() ? 0 : (a.size() < b.size() ? -1 : 1);
}

// The error every comparator returns for input it cannot read.
Unexpected<Error> invalid_version(std::string_view scheme, std::string_view version,
                                  std::string_view why);

}  // namespace cguard::vulndb::detail
