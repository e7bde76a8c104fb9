// Semantic Versioning 2.0 (semver.org) as Go modules, npm and crates.io use it:
// [v]MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD]. Build metadata (Go's "+incompatible" included)
// never affects order. Pre-release identifiers compare numerically when all digits, otherwise
// in ASCII order, numeric below alphanumeric; a version with a pre-release is older than the
// same version without. Go pseudo-versions (v0.0.0-20191109021931-daa7c04131f5) are ordinary
// pre-releases and sort by their timestamp.
//
// Leniency, on purpose: Go's shorthand "v1" / "v1.2" (only without pre-release or build),
// NuGet's optional fourth numeric part, and leading zeros (compared by value).
#include "vulndb/detail/versions.h"

namespace cguard::vulndb::detail {
namespace {

constexpr size_t kMaxCore = 4;

struct Semver {
    std::string_view core[kMaxCore];  // numeric parts; missing ones are empty (== 0)
    std::string_view prerelease;      // without the '-', empty when absent
};

bool identifier_char(char c) {
    return is_alnum(c) || c == '-';
}

// Dot-separated non-empty identifiers of [0-9A-Za-z-].
bool valid_identifiers(std::string_view s) {
    for (;;) {
        size_t n = span(s, identifier_char);
        if (n == 0) {
            return false;
        }
        s.remove_prefix(n);
        if (s.empty()) {
            return true;
        }
        if (s.front() != '.') {
            return false;
        }
        s.remove_prefix(1);
    }
}

Result<Semver> parse_semver(std::string_view v) {
    std::string_view rest = v;
    if (!rest.empty() && rest.front() == 'v') {
        rest.remove_prefix(1);
    }
    Semver out;
    size_t parts = 0;
    for (;;) {
        size_t n = span(rest, is_digit);
        if (n == 0 || parts == kMaxCore) {
            return invalid_version("semver", v, "expected MAJOR.MINOR.PATCH numbers");
        }
        out.core[parts++] = rest.substr(0, n);
        rest.remove_prefix(n);
        if (rest.empty() || rest.front() != '.') {
            break;
        }
        rest.remove_prefix(1);
    }
    if (parts < 3 && !rest.empty()) {
        return invalid_version("semver", v, "pre-release or build on a shortened version");
    }
    size_t plus = rest.find('+');
    std::string_view build = plus == std::string_view::npos ? "" : rest.substr(plus + 1);
    rest = rest.substr(0, plus);
    if (plus != std::string_view::npos && !valid_identifiers(build)) {
        return invalid_version("semver", v, "malformed build metadata");
    }
    if (!rest.empty()) {
        if (rest.front() != '-' || !valid_identifiers(rest.substr(1))) {
            return invalid_version("semver", v, "malformed pre-release");
        }
        out.prerelease = rest.substr(1);
    }
    return out;
}

bool all_digits(std::string_view s) {
    return !s.empty() && span(s, is_digit) == s.size();
}

int compare_prerelease(std::string_view a, std::string_view b) {
    if (a.empty() || b.empty()) {
        return a.empty() == b.empty() ? 0 : (a.empty() ? 1 : -1);
    }
    for (;;) {
        std::string_view ia = a.substr(0, a.find('.'));
        std::string_view ib = b.substr(0, b.find('.'));
        bool na = all_digits(ia);
        bool nb = all_digits(ib);
        int r =
            na && nb ? compare_digits(ia, ib) : (na != nb ? (na ? -1 : 1) : sign(ia.compare(ib)));
        if (r != 0) {
            return r;
        }
        a.remove_prefix(ia.size() < a.size() ? ia.size() + 1 : a.size());
        b.remove_prefix(ib.size() < b.size() ? ib.size() + 1 : b.size());
        if (a.empty() || b.empty()) {
            return a.empty() == b.empty() ? 0 : (a.empty() ? -1 : 1);
        }
    }
}

}  // namespace

Result<int> compare_semver(std::string_view a, std::string_view b) {
    auto va = parse_semver(a);
    if (!va) {
        return forward_error(va.error());
    }
    auto vb = parse_semver(b);
    if (!vb) {
        return forward_error(vb.error());
    }
    for (size_t i = 0; i < kMaxCore; ++i) {
        int r = compare_digits(va->core[i], vb->core[i]);
        if (r != 0) {
            return r;
        }
    }
    return compare_prerelease(va->prerelease, vb->prerelease);
}

}  // namespace cguard::vulndb::detail
