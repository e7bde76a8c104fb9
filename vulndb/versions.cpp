// compare_versions() dispatch, the ecosystem -> scheme table, and the Generic fallback scheme.
#include <string>

#include "vulndb/detail/versions.h"
#include "vulndb/vulndb.h"

namespace cguard::vulndb {
namespace detail {

Unexpected<Error> invalid_version(std::string_view scheme, std::string_view version,
                                  std::string_view why) {
    std::string message;
    message.reserve(64 + version.size());
    message.append("invalid ").append(scheme).append(" version \"").append(version);
    message.append("\": ").append(why);
    return make_error(ErrorCode::InvalidArgument, std::move(message));
}

}  // namespace detail

namespace {

using detail::is_alnum;
using detail::is_alpha;
using detail::is_digit;

// Generic tokens are maximal runs of digits or of letters; everything else only separates.
struct GenericCursor {
    std::string_view rest;

    // Next token, or empty at the end.
    std::string_view next() {
        while (!rest.empty() && !is_alnum(rest.front())) {
            rest.remove_prefix(1);
        }
        bool digits = !rest.empty() && is_digit(rest.front());
        size_t n = digits ? detail::span(rest, is_digit) : detail::span(rest, is_alpha);
        std::string_view token = rest.substr(0, n);
        rest.remove_prefix(n);
        return token;
    }
};

Result<std::string_view> generic_body(std::string_view v) {
    if (v.empty()) {
        return detail::invalid_version("generic", v, "empty");
    }
    bool any_alnum = false;
    for (char c : v) {
        if (static_cast<unsigned char>(c) <= ' ' || c == 0x7f) {
            return detail::invalid_version("generic", v, "contains a space or control character");
        }
        any_alnum = any_alnum || is_alnum(c);
    }
    if (!any_alnum) {
        return detail::invalid_version("generic", v, "has no letter or digit");
    }
    if (v.size() > 1 && (v[0] == 'v' || v[0] == 'V') && is_digit(v[1])) {
        v.remove_prefix(1);
    }
    return v;
}

// What is left on the longer side decides: zeros add nothing (1.0 == 1.0.0), a further number
// makes it newer (1.0.1 > 1.0), a word makes it a pre-release of the shorter one (1.0rc1 < 1.0).
int generic_tail(GenericCursor rest) {
    std::string_view token = rest.next();
    while (!token.empty() && detail::span(token, [](char c) { return c == '0'; }) == token.size()) {
        token = rest.next();
    }
    if (token.empty()) {
        return 0;
    }
    return is_digit(token.front()) ? 1 : -1;
}

}  // namespace

namespace detail {

Result<int> compare_generic(std::string_view a, std::string_view b) {
    auto body_a = generic_body(a);
    if (!body_a) {
        return forward_error(body_a.error());
    }
    auto body_b = generic_body(b);
    if (!body_b) {
        return forward_error(body_b.error());
    }
    GenericCursor ca{*body_a};
    GenericCursor cb{*body_b};
    for (;;) {
        GenericCursor before_a = ca;
        GenericCursor before_b = cb;
        std::string_view ta = ca.next();
        std::string_view tb = cb.next();
        if (ta.empty() || tb.empty()) {
            return ta.empty() ? (tb.empty() ? 0 : -generic_tail(before_b)) : generic_tail(before_a);
        }
        bool na = is_digit(ta.front());
        bool nb = is_digit(tb.front());
        if (na != nb) {
            return na ? 1 : -1;
        }
        int r = na ? compare_digits(ta, tb) : icompare(ta, tb);
        if (r != 0) {
            return r;
        }
    }
}

}  // namespace detail

Result<int> compare_versions(VersionScheme scheme, std::string_view a, std::string_view b) {
    switch (scheme) {
        case VersionScheme::Dpkg: return detail::compare_dpkg(a, b);
        case VersionScheme::Apk: return detail::compare_apk(a, b);
        case VersionScheme::Rpm: return detail::compare_rpm(a, b);
        case VersionScheme::Semver: return detail::compare_semver(a, b);
        case VersionScheme::Pep440: return detail::compare_pep440(a, b);
        case VersionScheme::Maven: return detail::compare_maven(a, b);
        case VersionScheme::RubyGems: return detail::compare_rubygems(a, b);
        case VersionScheme::Generic: return detail::compare_generic(a, b);
    }
    return make_error(ErrorCode::Internal, "unknown version scheme");
}

// OSV names distribution ecosystems "<Distro>:<release>"; language ecosystems have no suffix.
// Bitnami publishes semver. NuGet versions are semver 2.0 plus an optional fourth numeric
// part, which the Semver comparator accepts. Packagist (Composer) versions mix "v" prefixes,
// four-part numbers and stability words; Generic orders those the way Composer does for the
// forms found in advisories (1.0.0-beta1 < 1.0.0 < 1.0.1, v1.2 == 1.2.0).
VersionScheme scheme_for_ecosystem(std::string_view ecosystem) {
    std::string_view distro = ecosystem.substr(0, ecosystem.find(':'));
    if (distro == "Debian" || distro == "Ubuntu") {
        return VersionScheme::Dpkg;
    }
    if (distro == "Alpine") {
        return VersionScheme::Apk;
    }
    for (std::string_view rpm :
         {"AlmaLinux", "Rocky Linux", "Red Hat", "SUSE", "openSUSE", "Mariner", "Photon OS"}) {
        if (distro == rpm) {
            return VersionScheme::Rpm;
        }
    }
    if (ecosystem == "Go" || ecosystem == "npm" || ecosystem == "crates.io" ||
        ecosystem == "NuGet" || ecosystem == "Bitnami") {
        return VersionScheme::Semver;
    }
    if (ecosystem == "PyPI") {
        return VersionScheme::Pep440;
    }
    if (ecosystem == "Maven") {
        return VersionScheme::Maven;
    }
    if (ecosystem == "RubyGems") {
        return VersionScheme::RubyGems;
    }
    return VersionScheme::Generic;
}

}  // namespace cguard::vulndb
