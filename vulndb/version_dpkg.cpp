// Debian package versions: [epoch:]upstream[-revision], compared as dpkg does (verrevcmp in
// lib/dpkg/version.c): alternating non-digit and digit runs, where in the non-digit runs '~'
// sorts before everything (even the end), then the end, then letters, then other characters.
#include "vulndb/detail/versions.h"

namespace cguard::vulndb::detail {
namespace {

struct DpkgVersion {
    std::string_view epoch;  // digits, empty means 0
    std::string_view upstream;
    std::string_view revision;  // empty when absent
};

bool dpkg_upstream_char(char c) {
    return is_alnum(c) || c == '.' || c == '+' || c == '~' || c == '-' || c == ':';
}

bool dpkg_revision_char(char c) {
    return is_alnum(c) || c == '.' || c == '+' || c == '~';
}

Result<DpkgVersion> parse_dpkg(std::string_view v) {
    DpkgVersion out;
    size_t colon = v.find(':');
    std::string_view rest = v;
    if (colon != std::string_view::npos) {
        out.epoch = v.substr(0, colon);
        if (out.epoch.empty() || span(out.epoch, is_digit) != out.epoch.size()) {
            return invalid_version("dpkg", v, "epoch is not a number");
        }
        rest = v.substr(colon + 1);
    }
    size_t hyphen = rest.rfind('-');
    out.upstream = rest.substr(0, hyphen);
    if (hyphen != std::string_view::npos) {
        out.revision = rest.substr(hyphen + 1);
    }
    if (out.upstream.empty()) {
        return invalid_version("dpkg", v, "empty upstream version");
    }
    if (!is_digit(out.upstream.front())) {
        return invalid_version("dpkg", v, "upstream version does not start with a digit");
    }
    for (char c : out.upstream) {
        // A colon inside upstream is only legal when an epoch is present; rest starts after it.
        if (!dpkg_upstream_char(c) || (c == ':' && colon == std::string_view::npos)) {
            return invalid_version("dpkg", v, "invalid character in upstream version");
        }
    }
    if (span(out.revision, dpkg_revision_char) != out.revision.size()) {
        return invalid_version("dpkg", v, "invalid character in revision");
    }
    return out;
}

// Weight of one character in a non-digit run; 0 stands for "end of run".
int dpkg_order(char c) {
    if (c == '~') {
        return -1;
    }
    if (is_alpha(c)) {
        return c;
    }
    return c + 256;
}

int verrevcmp(std::string_view a, std::string_view b) {
    size_t i = 0;
    size_t j = 0;
    while (i < a.size() || j < b.size()) {
        while ((i < a.size() && !is_digit(a[i])) || (j < b.size() && !is_digit(b[j]))) {
            int ac = i < a.size() && !is_digit(a[i]) ? dpkg_order(a[i]) : 0;
            int bc = j < b.size() && !is_digit(b[j]) ? dpkg_order(b[j]) : 0;
            if (ac != bc) {
                return ac < bc ? -1 : 1;
            }
            ++i;
            ++j;
        }
        size_t na = span(a.substr(i), is_digit);
        size_t nb = span(b.substr(j), is_digit);
        int r = compare_digits(a.substr(i, na), b.substr(j, nb));
        if (r != 0) {
            return r;
        }
        i += na;
        j += nb;
    }
    return 0;
}

}  // namespace

Result<int> compare_dpkg(std::string_view a, std::string_view b) {
    auto va = parse_dpkg(a);
    if (!va) {
        return forward_error(va.error());
    }
    auto vb = parse_dpkg(b);
    if (!vb) {
        return forward_error(vb.error());
    }
    int r = compare_digits(va->epoch, vb->epoch);
    if (r == 0) {
        r = verrevcmp(va->upstream, vb->upstream);
    }
    if (r == 0) {
        r = verrevcmp(va->revision, vb->revision);
    }
    return r;
}

}  // namespace cguard::vulndb::detail
