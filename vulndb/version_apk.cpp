// Alpine package versions, ordered as apk-tools orders them (src/version.c):
// digits{.digits}[letter]{_suffix[N]}[~hash][-rN]. Tokens are compared pairwise; when one
// version runs out, the longer one is newer unless what follows is a pre-release suffix
// (_alpha, _beta, _pre, _rc). Post-release suffixes (_cvs, _svn, _git, _hg, _p) sort above
// the bare version.
#include "vulndb/detail/versions.h"

namespace cguard::vulndb::detail {
namespace {

// Token kinds in the order apk allows them to follow each other; End and Invalid last.
enum class Token {
    InitialDigit,
    Digit,
    Letter,
    Suffix,
    SuffixNo,
    CommitHash,
    RevisionNo,
    End,
    Invalid
};

// Suffix ranks: pre-release suffixes below None (a version without suffix), the rest above.
enum Suffix { kAlpha = 1, kBeta, kPre, kRc, kNone, kCvs, kSvn, kGit, kHg, kP };

int suffix_rank(std::string_view s) {
    static constexpr std::pair<std::string_view, int> kSuffixes[] = {
        {"alpha", kAlpha}, {"beta", kBeta}, {"pre", kPre}, {"rc", kRc}, {"cvs", kCvs},
        {"svn", kSvn},     {"git", kGit},   {"hg", kHg},   {"p", kP}};
    for (const auto& [name, rank] : kSuffixes) {
        if (s == name) {
            return rank;
        }
    }
    return 0;
}

bool is_hex(char c) {
    return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

struct ApkCursor {
    explicit ApkCursor(std::string_view v) : rest(v) {}

    std::string_view rest;
    Token token = Token::InitialDigit;
    std::string_view value;  // the token's text (digits, letter, suffix name, hash)
    int suffix = 0;

    void take(size_t n) {
        value = rest.substr(0, n);
        rest.remove_prefix(n);
    }

    void digits(Token kind) {
        token = kind;
        take(span(rest, is_digit));
        if (value.empty()) {
            token = Token::Invalid;
        }
    }

    void first() { digits(Token::InitialDigit); }

    // Reads the next token; a token that may not follow the previous one makes it Invalid.
    void next() {
        if (rest.empty()) {
            token = Token::End;
            return;
        }
        char c = rest.front();
        if (is_lower(c) && token <= Token::Digit) {
            token = Token::Letter;
            return take(1);
        }
        if (c == '.' || is_digit(c)) {
            return after_digit_or_dot(c);
        }
        if (c == '_') {
            return suffix_token();
        }
        if (c == '~') {
            return hash_token();
        }
        if (c == '-' && token < Token::RevisionNo && rest.size() > 1 && rest[1] == 'r') {
            rest.remove_prefix(2);
            return digits(Token::RevisionNo);
        }
        invalid();
    }

    void after_digit_or_dot(char c) {
        if (c == '.') {
            if (token > Token::Digit) {
                return invalid();
            }
            rest.remove_prefix(1);
        }
        if (token == Token::InitialDigit || token == Token::Digit) {
            return digits(Token::Digit);
        }
        if (token == Token::Suffix && c != '.') {
            return digits(Token::SuffixNo);
        }
        invalid();
    }

    void suffix_token() {
        if (token > Token::SuffixNo) {
            return invalid();
        }
        rest.remove_prefix(1);
        take(span(rest, is_lower));
        suffix = suffix_rank(value);
        token = suffix == 0 ? Token::Invalid : Token::Suffix;
    }

    void hash_token() {
        if (token >= Token::CommitHash) {
            return invalid();
        }
        rest.remove_prefix(1);
        take(span(rest, is_hex));
        token = value.empty() ? Token::Invalid : Token::CommitHash;
    }

    void invalid() { token = Token::Invalid; }
};

// Both cursors hold tokens of the same kind.
int compare_tokens(const ApkCursor& a, const ApkCursor& b) {
    switch (a.token) {
        case Token::Digit:
            // Like Gentoo, a component with a leading zero compares as a string (1.02 < 1.1).
            if (a.value.front() == '0' || b.value.front() == '0') {
                return sign(a.value.compare(b.value));
            }
            return compare_digits(a.value, b.value);
        case Token::InitialDigit:
        case Token::SuffixNo:
        case Token::RevisionNo: return compare_digits(a.value, b.value);
        case Token::Letter: return sign(a.value.compare(b.value));
        case Token::Suffix: return a.suffix < b.suffix ? -1 : (a.suffix > b.suffix ? 1 : 0);
        default: return sign(a.value.compare(b.value));
    }
}

}  // namespace

bool apk_version_valid(std::string_view v) {
    ApkCursor c(v);
    for (c.first(); c.token < Token::End; c.next()) {
    }
    return c.token == Token::End;
}

int apk_compare_unchecked(std::string_view a, std::string_view b, bool fuzzy) {
    ApkCursor ca(a);
    ApkCursor cb(b);
    for (ca.first(), cb.first(); ca.token == cb.token && ca.token < Token::End;
         ca.next(), cb.next()) {
        int r = compare_tokens(ca, cb);
        if (r != 0) {
            return r;
        }
    }
    if (ca.token == cb.token || (fuzzy && cb.token == Token::End)) {
        return 0;
    }
    if (ca.token == Token::Suffix && ca.suffix < kNone) {
        return -1;
    }
    if (cb.token == Token::Suffix && cb.suffix < kNone) {
        return 1;
    }
    return ca.token > cb.token ? -1 : 1;
}

Result<int> compare_apk(std::string_view a, std::string_view b) {
    for (std::string_view v : {a, b}) {
        if (!apk_version_valid(v)) {
            return invalid_version("apk", v, "not digits{.digits}[letter]{_suffix}[~hash][-rN]");
        }
    }
    return apk_compare_unchecked(a, b, false);
}

}  // namespace cguard::vulndb::detail
