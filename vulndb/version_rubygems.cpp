// RubyGems versions, ordered as Gem::Version#<=> orders them. A version is digits followed by
// ".segment"s of letters and digits, optionally "-pre.release" (a '-' reads as ".pre.").
// Segments are runs of digits (numbers) or of letters (strings). Any letter makes a
// pre-release: strings sort below numbers, so 1.0.a < 1.0 < 1.0.1. Trailing zeros are ignored
// both in the leading numeric part and at the end (1.0 == 1, 1.0.a.0 == 1.a).
#include <array>

#include "vulndb/detail/versions.h"

namespace cguard::vulndb::detail {
namespace {

constexpr size_t kMaxSegments = 64;

struct Segment {
    std::string_view text;
    bool numeric = false;
};

struct GemVersion {
    std::array<Segment, kMaxSegments> segments;
    size_t count = 0;
};

bool is_zero(const Segment& s) {
    return s.numeric && span(s.text, [](char c) { return c == '0'; }) == s.text.size();
}

bool gem_dot_part(char c) {
    return is_alnum(c);
}
bool gem_dash_part(char c) {
    return is_alnum(c) || c == '-';
}

// Gem::Version::ANCHORED_VERSION_PATTERN, minus the empty version that Ruby reads as "0".
bool valid_gem(std::string_view s) {
    size_t n = span(s, is_digit);
    if (n == 0) {
        return false;
    }
    s.remove_prefix(n);
    while (s.size() > 1 && s.front() == '.' && is_alnum(s[1])) {
        s.remove_prefix(1 + span(s.substr(1), gem_dot_part));
    }
    if (s.empty()) {
        return true;
    }
    if (s.front() != '-') {
        return false;
    }
    for (;;) {
        s.remove_prefix(1);
        size_t part = span(s, gem_dash_part);
        if (part == 0) {
            return false;
        }
        s.remove_prefix(part);
        if (s.empty()) {
            return true;
        }
        if (s.front() != '.') {
            return false;
        }
    }
}

// Splits into segments, then drops trailing zeros of the numeric prefix and of the whole, as
// Gem::Version#canonical_segments does.
bool canonical_segments(std::string_view s, GemVersion& out) {
    static constexpr std::string_view kPre = "pre";
    while (!s.empty()) {
        char c = s.front();
        size_t n = is_digit(c) ? span(s, is_digit) : (is_alpha(c) ? span(s, is_alpha) : 1);
        if (out.count + 1 >= kMaxSegments) {
            return false;
        }
        if (c == '-') {
            out.segments[out.count++] = Segment{kPre, false};
        } else if (is_alnum(c)) {
            out.segments[out.count++] = Segment{s.substr(0, n), is_digit(c)};
        }
        s.remove_prefix(n);
    }
    size_t first_string = 0;
    while (first_string < out.count && out.segments[first_string].numeric) {
        ++first_string;
    }
    size_t numeric_end = first_string;
    while (numeric_end > 0 && is_zero(out.segments[numeric_end - 1])) {
        --numeric_end;
    }
    for (size_t i = first_string; i < out.count; ++i) {
        out.segments[numeric_end + i - first_string] = out.segments[i];
    }
    out.count -= first_string - numeric_end;
    while (out.count > numeric_end && is_zero(out.segments[out.count - 1])) {
        --out.count;
    }
    return true;
}

std::string_view trim(std::string_view s) {
    auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
    while (!s.empty() && space(s.front())) {
        s.remove_prefix(1);
    }
    while (!s.empty() && space(s.back())) {
        s.remove_suffix(1);
    }
    return s;
}

Result<bool> parse_gem(std::string_view v, GemVersion& out) {
    std::string_view s = trim(v);
    if (!valid_gem(s)) {
        return invalid_version("RubyGems", v, "not a Gem::Version");
    }
    if (!canonical_segments(s, out)) {
        return invalid_version("RubyGems", v, "too many segments");
    }
    return true;
}

int compare_segments(const Segment& a, const Segment& b) {
    if (a.numeric != b.numeric) {
        return a.numeric ? 1 : -1;
    }
    return a.numeric ? compare_digits(a.text, b.text) : sign(a.text.compare(b.text));
}

}  // namespace

Result<int> compare_rubygems(std::string_view a, std::string_view b) {
    GemVersion va;
    GemVersion vb;
    if (auto ok = parse_gem(a, va); !ok) {
        return forward_error(ok.error());
    }
    if (auto ok = parse_gem(b, vb); !ok) {
        return forward_error(ok.error());
    }
    static constexpr Segment kZero{"0", true};
    size_t n = va.count > vb.count ? va.count : vb.count;
    for (size_t i = 0; i < n; ++i) {
        const Segment& x = i < va.count ? va.segments[i] : kZero;
        const Segment& y = i < vb.count ? vb.segments[i] : kZero;
        if (int r = compare_segments(x, y); r != 0) {
            return r;
        }
    }
    return 0;
}

}  // namespace cguard::vulndb::detail
