// Python package versions (PEP 440, as the `packaging` library reads and orders them):
// [N!]N(.N)*[{a|b|rc}N][.postN][.devN][+local], with the spellings PEP 440 normalizes
// (case, "alpha"/"c"/"pre"/"preview", "-", "_", "." separators, "1.0-1" as a post release,
// implicit numbers). Order: epoch, release (trailing zeros ignored), pre-release, post,
// dev, local; a dev release of a final version sorts before its pre-releases.
#include "vulndb/detail/versions.h"

namespace cguard::vulndb::detail {
namespace {

constexpr int kNoPre = 3;  // above a (0), b (1), rc (2)

struct Pep440 {
    std::string_view epoch;    // digits, empty means 0
    std::string_view release;  // "N(.N)*"
    int pre_kind = kNoPre;
    std::string_view pre_number;
    bool has_post = false;
    std::string_view post_number;
    bool has_dev = false;
    std::string_view dev_number;
    std::string_view local;  // without '+', empty when absent
};

bool pep_separator(char c) {
    return c == '.' || c == '-' || c == '_';
}

struct PepCursor {
    std::string_view rest;

    bool eat_word(std::string_view word) {
        if (rest.size() < word.size() || !iequals(rest.substr(0, word.size()), word)) {
            return false;
        }
        rest.remove_prefix(word.size());
        return true;
    }
    void skip_separator() {
        if (!rest.empty() && pep_separator(rest.front())) {
            rest.remove_prefix(1);
        }
    }
    std::string_view number() {
        size_t n = span(rest, is_digit);
        std::string_view digits = rest.substr(0, n);
        rest.remove_prefix(n);
        return digits;
    }
    // A keyword preceded by an optional separator, followed by an optional separator and
    // number. Leaves the cursor unchanged when the keyword is absent.
    bool keyword(std::string_view word, std::string_view& number_out) {
        PepCursor saved = *this;
        skip_separator();
        if (!eat_word(word)) {
            *this = saved;
            return false;
        }
        PepCursor before_number = *this;
        skip_separator();
        number_out = number();
        if (number_out.empty()) {
            *this = before_number;
        }
        return true;
    }
};

bool parse_pre(PepCursor& c, Pep440& out) {
    // Longer spellings first: "preview" before "pre", "alpha" before "a".
    static constexpr std::pair<std::string_view, int> kPre[] = {
        {"alpha", 0}, {"a", 0}, {"beta", 1},    {"b", 1},
        {"rc", 2},    {"c", 2}, {"preview", 2}, {"pre", 2}};
    for (const auto& [word, kind] : kPre) {
        if (c.keyword(word, out.pre_number)) {
            out.pre_kind = kind;
            return true;
        }
    }
    return false;
}

void parse_post(PepCursor& c, Pep440& out) {
    // "1.0-1" is 1.0.post1: a bare hyphen and number, and only that spelling.
    if (c.rest.size() > 1 && c.rest.front() == '-' && is_digit(c.rest[1])) {
        c.rest.remove_prefix(1);
        out.has_post = true;
        out.post_number = c.number();
        return;
    }
    for (std::string_view word : {"post", "rev", "r"}) {
        if (c.keyword(word, out.post_number)) {
            out.has_post = true;
            return;
        }
    }
}

bool valid_local(std::string_view s) {
    for (;;) {
        size_t n = span(s, is_alnum);
        if (n == 0) {
            return false;
        }
        s.remove_prefix(n);
        if (s.empty()) {
            return true;
        }
        if (!pep_separator(s.front())) {
            return false;
        }
        s.remove_prefix(1);
    }
}

Result<Pep440> parse_pep440(std::string_view v) {
    std::string_view s = v;
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
        s.remove_prefix(1);
    }
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n')) {
        s.remove_suffix(1);
    }
    PepCursor c{s};
    c.eat_word("v");
    Pep440 out;

    std::string_view first = c.number();
    if (!first.empty() && !c.rest.empty() && c.rest.front() == '!') {
        out.epoch = first;
        c.rest.remove_prefix(1);
        first = c.number();
    }
    if (first.empty()) {
        return invalid_version("PEP 440", v, "does not start with a release number");
    }
    const char* release_begin = first.data();
    while (c.rest.size() > 1 && c.rest.front() == '.' && is_digit(c.rest[1])) {
        c.rest.remove_prefix(1);
        c.number();
    }
    out.release = std::string_view(release_begin, c.rest.data() - release_begin);

    parse_pre(c, out);
    parse_post(c, out);
    out.has_dev = c.keyword("dev", out.dev_number);
    if (!c.rest.empty() && c.rest.front() == '+') {
        out.local = c.rest.substr(1);
        if (!valid_local(out.local)) {
            return invalid_version("PEP 440", v, "malformed local version");
        }
        c.rest = {};
    }
    if (!c.rest.empty()) {
        return invalid_version("PEP 440", v, "unexpected text after the version");
    }
    return out;
}

// Release numbers compared as if the shorter were padded with zeros.
int compare_release(std::string_view a, std::string_view b) {
    while (!a.empty() || !b.empty()) {
        size_t na = span(a, is_digit);
        size_t nb = span(b, is_digit);
        int r = compare_digits(a.substr(0, na), b.substr(0, nb));
        if (r != 0) {
            return r;
        }
        a.remove_prefix(na < a.size() ? na + 1 : a.size());
        b.remove_prefix(nb < b.size() ? nb + 1 : b.size());
    }
    return 0;
}

// The (kind, number) key `packaging` builds for the pre-release slot: a dev release with no
// pre or post release sorts below every pre-release; no pre-release at all sorts above.
int pre_key(const Pep440& v) {
    if (v.pre_kind == kNoPre && !v.has_post && v.has_dev) {
        return -1;
    }
    return v.pre_kind;
}

// Local segments: numbers above words, numbers by value, words case-insensitively; a version
// with more segments wins a tie; no local version at all is lowest.
int compare_local(std::string_view a, std::string_view b) {
    while (!a.empty() && !b.empty()) {
        size_t na = span(a, is_alnum);
        size_t nb = span(b, is_alnum);
        std::string_view sa = a.substr(0, na);
        std::string_view sb = b.substr(0, nb);
        bool da = span(sa, is_digit) == na;
        bool db = span(sb, is_digit) == nb;
        int r = da && db ? compare_digits(sa, sb) : (da != db ? (da ? 1 : -1) : icompare(sa, sb));
        if (r != 0) {
            return r;
        }
        a.remove_prefix(na < a.size() ? na + 1 : a.size());
        b.remove_prefix(nb < b.size() ? nb + 1 : b.size());
    }
    return a.empty() == b.empty() ? 0 : (a.empty() ? -1 : 1);
}

int compare_parsed(const Pep440& a, const Pep440& b) {
    if (int r = compare_digits(a.epoch, b.epoch); r != 0) {
        return r;
    }
    if (int r = compare_release(a.release, b.release); r != 0) {
        return r;
    }
    int pa = pre_key(a);
    int pb = pre_key(b);
    if (pa != pb) {
        return pa < pb ? -1 : 1;
    }
    if (int r = compare_digits(a.pre_number, b.pre_number); r != 0) {
        return r;
    }
    if (a.has_post != b.has_post) {
        return a.has_post ? 1 : -1;
    }
    if (int r = compare_digits(a.post_number, b.post_number); r != 0) {
        return r;
    }
    if (a.has_dev != b.has_dev) {
        return a.has_dev ? -1 : 1;
    }
    if (int r = compare_digits(a.dev_number, b.dev_number); r != 0) {
        return r;
    }
    return compare_local(a.local, b.local);
}

}  // namespace

Result<int> compare_pep440(std::string_view a, std::string_view b) {
    auto va = parse_pep440(a);
    if (!va) {
        return forward_error(va.error());
    }
    auto vb = parse_pep440(b);
    if (!vb) {
        return forward_error(vb.error());
    }
    return compare_parsed(*va, *vb);
}

}  // namespace cguard::vulndb::detail
