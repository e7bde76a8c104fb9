// RPM versions: [epoch:]version[-release], each field compared with rpmvercmp (rpm's
// rpmio/rpmvercmp.c): runs of digits or letters compared pairwise, digits by value and newer
// than letters, other characters only separate. '~' sorts before anything, even the end
// (1.0~rc1 < 1.0); '^' sorts after the end but before anything else (1.0 < 1.0^git1 < 1.0.1).
#include "vulndb/detail/versions.h"

namespace cguard::vulndb::detail {
namespace {

bool rpm_separator(char c) {
    return !is_alnum(c) && c != '~' && c != '^';
}

struct RpmVersion {
    std::string_view epoch;  // digits, empty means 0
    std::string_view version;
    std::string_view release;  // empty when absent
    bool has_release = false;
};

Result<RpmVersion> parse_rpm(std::string_view v) {
    if (v.empty()) {
        return invalid_version("rpm", v, "empty");
    }
    for (char c : v) {
        if (static_cast<unsigned char>(c) <= ' ' || c == 0x7f) {
            return invalid_version("rpm", v, "contains a space or control character");
        }
    }
    RpmVersion out;
    std::string_view rest = v;
    size_t colon = v.find(':');
    if (colon != std::string_view::npos) {
        out.epoch = v.substr(0, colon);
        if (out.epoch.empty() || span(out.epoch, is_digit) != out.epoch.size()) {
            return invalid_version("rpm", v, "epoch is not a number");
        }
        rest = v.substr(colon + 1);
    }
    size_t hyphen = rest.rfind('-');
    out.version = rest.substr(0, hyphen);
    if (hyphen != std::string_view::npos) {
        out.release = rest.substr(hyphen + 1);
        out.has_release = true;
    }
    if (out.version.empty() || (out.has_release && out.release.empty())) {
        return invalid_version("rpm", v, "empty version or release");
    }
    return out;
}

}  // namespace

int rpmvercmp(std::string_view a, std::string_view b) {
    if (a == b) {
        return 0;
    }
    for (;;) {
        a.remove_prefix(span(a, rpm_separator));
        b.remove_prefix(span(b, rpm_separator));

        bool ta = !a.empty() && a.front() == '~';
        bool tb = !b.empty() && b.front() == '~';
        if (ta || tb) {
            if (!(ta && tb)) {
                return ta ? -1 : 1;
            }
            a.remove_prefix(1);
            b.remove_prefix(1);
            continue;
        }

        bool ca = !a.empty() && a.front() == '^';
        bool cb = !b.empty() && b.front() == '^';
        if (ca || cb) {
            if (a.empty() || b.empty()) {
                return a.empty() ? -1 : 1;
            }
            if (!(ca && cb)) {
                return ca ? -1 : 1;
            }
            a.remove_prefix(1);
            b.remove_prefix(1);
            continue;
        }
        if (a.empty() || b.empty()) {
            break;
        }

        // The run type is set by `a`; a run of the other type on `b` is empty here.
        bool numeric = is_digit(a.front());
        size_t na = numeric ? span(a, is_digit) : span(a, is_alpha);
        size_t nb = numeric ? span(b, is_digit) : span(b, is_alpha);
        if (nb == 0) {
            return numeric ? 1 : -1;
        }
        int r = numeric ? compare_digits(a.substr(0, na), b.substr(0, nb))
                        : sign(a.substr(0, na).compare(b.substr(0, nb)));
        if (r != 0) {
            return r;
        }
        a.remove_prefix(na);
        b.remove_prefix(nb);
    }
    if (a.empty() && b.empty()) {
        return 0;
    }
    return a.empty() ? -1 : 1;
}

Result<int> compare_rpm(std::string_view a, std::string_view b) {
    auto va = parse_rpm(a);
    if (!va) {
        return forward_error(va.error());
    }
    auto vb = parse_rpm(b);
    if (!vb) {
        return forward_error(vb.error());
    }
    int r = compare_digits(va->epoch, vb->epoch);
    if (r == 0) {
        r = rpmvercmp(va->version, vb->version);
    }
    // As rpm does, a release missing on either side matches any release.
    if (r == 0 && va->has_release && vb->has_release) {
        r = rpmvercmp(va->release, vb->release);
    }
    return r;
}

}  // namespace cguard::vulndb::detail
