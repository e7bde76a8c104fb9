#include <cmath>
#include <string>
#include <string_view>

#include "vulndb/detail/osv.h"

namespace cguard::vulndb::detail {
namespace {

// CVSS v3.1 Roundup: the smallest one-decimal number >= x, computed on integers so that
// floating-point noise (e.g. 4.000000001) does not bump the score.
double roundup(double x) {
    auto scaled = static_cast<long long>(std::llround(x * 100000.0));
    if (scaled % 10000 == 0) {
        return static_cast<double>(scaled) / 100000.0;
    }
    return static_cast<double>(scaled / 10000 + 1) / 10.0;
}

struct Metrics {
    double av = -1, ac = -1, pr = -1, ui = -1, c = -1, i = -1, a = -1;
    char pr_letter = 0;
    char scope = 0;
};

double cia_weight(char v) {
    switch (v) {
        case 'H': return 0.56;
        case 'L': return 0.22;
        case 'N': return 0.0;
        default: return -1;
    }
}

bool set_metric(Metrics& m, std::string_view key, char v) {
    if (key == "AV") {
        m.av = v == 'N' ? 0.85 : v == 'A' ? 0.62 : v == 'L' ? 0.55 : v == 'P' ? 0.2 : -1;
    } else if (key == "AC") {
        m.ac = v == 'L' ? 0.77 : v == 'H' ? 0.44 : -1;
    } else if (key == "PR") {
        m.pr_letter = v;
    } else if (key == "UI") {
        m.ui = v == 'N' ? 0.85 : v == 'R' ? 0.62 : -1;
    } else if (key == "S") {
        m.scope = (v == 'U' || v == 'C') ? v : 0;
    } else if (key == "C") {
        m.c = cia_weight(v);
    } else if (key == "I") {
        m.i = cia_weight(v);
    } else if (key == "A") {
        m.a = cia_weight(v);
    }
    return true;
}

double privileges_weight(char pr, bool changed) {
    switch (pr) {
        case 'N': return 0.85;
        case 'L': return changed ? 0.68 : 0.62;
        case 'H': return changed ? 0.5 : 0.27;
        default: return -1;
    }
}

}  // namespace

double cvss3_base_score(std::string_view vector) {
    if (vector.substr(0, 7) != "CVSS:3.") {
        return -1;
    }
    Metrics m;
    size_t pos = vector.find('/');
    while (pos != std::string_view::npos) {
        size_t next = vector.find('/', pos + 1);
        std::string_view part = vector.substr(
            pos + 1, next == std::string_view::npos ? std::string_view::npos : next - pos - 1);
        size_t colon = part.find(':');
        if (colon != std::string_view::npos && colon + 2 == part.size()) {
            set_metric(m, part.substr(0, colon), part[colon + 1]);
        }
        pos = next;
    }

    bool changed = m.scope == 'C';
    m.pr = privileges_weight(m.pr_letter, changed);
    if (m.av < 0 || m.ac < 0 || m.pr < 0 || m.ui < 0 || m.c < 0 || m.i < 0 || m.a < 0 ||
        m.scope == 0) {
        return -1;
    }
    double iss = 1.0 - (1.0 - m.c) * (1.0 - m.i) * (1.0 - m.a);
    double impact = changed ? 7.52 * (iss - 0.029) - 3.25 * std::pow(iss - 0.02, 15) : 6.42 * iss;
    double exploitability = 8.22 * m.av * m.ac * m.pr * m.ui;
    if (impact <= 0) {
        return 0;
    }
    double sum = changed ? 1.08 * (impact + exploitability) : impact + exploitability;
    return roundup(sum < 10 ? sum : 10);
}

}  // namespace cguard::vulndb::detail
