// Maven versions, ordered as Maven's ComparableVersion orders them. A version is split at '.',
// at '-' and at every digit/letter switch into numbers and qualifiers; '-' and a switch open a
// nested list. Trailing "null" items (0, the release qualifiers "", "ga", "final", "release",
// empty lists) are dropped, so 1 == 1.0 == 1-0 == 1.ga. Known qualifiers order
// alpha < beta < milestone < rc = cr < snapshot < release < sp, unknown ones after sp
// alphabetically; "a1"/"b1"/"m1" abbreviate alpha/beta/milestone. A number beats a qualifier
// and a nested list at the same position; a nested list beats a qualifier.
#include <array>

#include "vulndb/detail/versions.h"

namespace cguard::vulndb::detail {
namespace {

constexpr size_t kMaxItems = 64;
constexpr size_t kMaxLevels = 32;
constexpr int kReleaseRank = 5;
constexpr int kUnknownRank = 7;

enum class Kind { Null, Int, Str, List };

struct Item {
    Kind kind = Kind::Null;
    std::string_view text;  // digits for Int, the qualifier as written for Str
    int rank = 0;           // Str: qualifier rank; List: level index
};

struct Level {
    size_t begin = 0;
    size_t count = 0;
};

int qualifier_rank(std::string_view q, bool followed_by_digit) {
    if (followed_by_digit && q.size() == 1) {
        switch (to_lower(q[0])) {
            case 'a': return 0;
            case 'b': return 1;
            case 'm': return 2;
            default: break;
        }
    }
    static constexpr std::pair<std::string_view, int> kRanks[] = {
        {"alpha", 0}, {"beta", 1}, {"milestone", 2}, {"rc", 3},      {"cr", 3}, {"snapshot", 4},
        {"", 5},      {"ga", 5},   {"final", 5},     {"release", 5}, {"sp", 6}};
    for (const auto& [name, rank] : kRanks) {
        if (iequals(q, name)) {
            return rank;
        }
    }
    return kUnknownRank;
}

struct MavenVersion {
    std::array<Item, kMaxItems> items;
    std::array<Level, kMaxLevels> levels;
    size_t item_count = 0;
    size_t level_count = 1;
    bool overflow = false;

    void add(Kind kind, std::string_view text, bool followed_by_digit = false) {
        if (item_count == kMaxItems) {
            overflow = true;
            return;
        }
        int rank = kind == Kind::Str ? qualifier_rank(text, followed_by_digit) : 0;
        items[item_count++] = Item{kind, text, rank};
        ++levels[level_count - 1].count;
    }
    void open_level() {
        if (level_count == kMaxLevels) {
            overflow = true;
            return;
        }
        levels[level_count++] = Level{item_count, 0};
    }
    bool child_present(size_t level) const {
        return level + 1 < level_count && (levels[level + 1].count > 0 || child_present(level + 1));
    }
    size_t length(size_t level) const { return levels[level].count + child_present(level); }
    Item element(size_t level, size_t i) const {
        if (i < levels[level].count) {
            return items[levels[level].begin + i];
        }
        if (i == levels[level].count && child_present(level)) {
            return Item{Kind::List, {}, static_cast<int>(level + 1)};
        }
        return Item{};
    }
};

bool is_null_scalar(const Item& item) {
    if (item.kind == Kind::Int) {
        return span(item.text, [](char c) { return c == '0'; }) == item.text.size();
    }
    return item.kind == Kind::Str && item.rank == kReleaseRank;
}

// Drops trailing null scalars of every list, deepest first, as ListItem.normalize() does.
void normalize(MavenVersion& v) {
    for (size_t level = v.level_count; level-- > 0;) {
        Level& l = v.levels[level];
        while (l.count > 0 && is_null_scalar(v.items[l.begin + l.count - 1])) {
            --l.count;
        }
    }
}

void parse_maven(std::string_view s, MavenVersion& v) {
    size_t start = 0;
    bool digits = false;
    auto add_token = [&](size_t end, bool followed_by_digit) {
        v.add(digits ? Kind::Int : Kind::Str, s.substr(start, end - start), followed_by_digit);
    };
    for (size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        if (c == '.' || c == '-') {
            if (i == start) {
                v.add(Kind::Int, {});
            } else {
                add_token(i, false);
            }
            start = i + 1;
            if (c == '-') {
                v.open_level();
            }
        } else if (is_digit(c) != digits && i > start) {
            add_token(i, !digits);
            start = i;
            v.open_level();
        }
        if (c != '.' && c != '-') {
            digits = is_digit(c);
        }
    }
    if (s.size() > start) {
        add_token(s.size(), false);
    }
    normalize(v);
}

int compare_items(const MavenVersion& a, const Item& x, const MavenVersion& b, const Item& y);

// How an item compares with "nothing" at the same position.
int compare_with_null(const MavenVersion& v, const Item& x) {
    switch (x.kind) {
        case Kind::Int: return is_null_scalar(x) ? 0 : 1;
        case Kind::Str: return x.rank < kReleaseRank ? -1 : (x.rank > kReleaseRank ? 1 : 0);
        case Kind::List:
            for (size_t i = 0; i < v.length(x.rank); ++i) {
                if (int r = compare_with_null(v, v.element(x.rank, i)); r != 0) {
                    return r;
                }
            }
            return 0;
        case Kind::Null: return 0;
    }
    return 0;
}

int compare_lists(const MavenVersion& a, size_t la, const MavenVersion& b, size_t lb) {
    size_t n = a.length(la) > b.length(lb) ? a.length(la) : b.length(lb);
    for (size_t i = 0; i < n; ++i) {
        if (int r = compare_items(a, a.element(la, i), b, b.element(lb, i)); r != 0) {
            return r;
        }
    }
    return 0;
}

int compare_items(const MavenVersion& a, const Item& x, const MavenVersion& b, const Item& y) {
    if (x.kind == Kind::Null || y.kind == Kind::Null) {
        return x.kind == Kind::Null ? -compare_with_null(b, y) : compare_with_null(a, x);
    }
    if (x.kind != y.kind) {
        // Int > List > Str, whatever their contents.
        auto weight = [](Kind k) { return k == Kind::Int ? 2 : (k == Kind::List ? 1 : 0); };
        return weight(x.kind) < weight(y.kind) ? -1 : 1;
    }
    switch (x.kind) {
        case Kind::Int: return compare_digits(x.text, y.text);
        case Kind::Str:
            if (x.rank != y.rank) {
                return x.rank < y.rank ? -1 : 1;
            }
            return x.rank == kUnknownRank ? icompare(x.text, y.text) : 0;
        case Kind::List: return compare_lists(a, x.rank, b, y.rank);
        case Kind::Null: return 0;
    }
    return 0;
}

Result<bool> check_maven(std::string_view v, const MavenVersion& parsed) {
    if (v.empty()) {
        return invalid_version("Maven", v, "empty");
    }
    for (char c : v) {
        if (static_cast<unsigned char>(c) <= ' ' || c == 0x7f) {
            return invalid_version("Maven", v, "contains a space or control character");
        }
    }
    if (parsed.overflow) {
        return invalid_version("Maven", v, "too many components");
    }
    return true;
}

}  // namespace

Result<int> compare_maven(std::string_view a, std::string_view b) {
    MavenVersion va;
    MavenVersion vb;
    parse_maven(a, va);
    parse_maven(b, vb);
    if (auto ok = check_maven(a, va); !ok) {
        return forward_error(ok.error());
    }
    if (auto ok = check_maven(b, vb); !ok) {
        return forward_error(ok.error());
    }
    return compare_lists(va, 0, vb, 0);
}

}  // namespace cguard::vulndb::detail
