#include <fstream>
#include <sstream>
#include <string>

#include "vulndb/vulndb.h"

namespace cguard::vulndb {
namespace {

std::string trim(std::string_view s) {
    size_t begin = s.find_first_not_of(" \t\r");
    if (begin == std::string_view::npos) {
        return {};
    }
    size_t end = s.find_last_not_of(" \t\r");
    return std::string(s.substr(begin, end - begin + 1));
}

bool valid_date(std::string_view d) {
    if (d.size() != 10 || d[4] != '-' || d[7] != '-') {
        return false;
    }
    for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
        if (d[i] < '0' || d[i] > '9') {
            return false;
        }
    }
    int month = (d[5] - '0') * 10 + (d[6] - '0');
    int day = (d[8] - '0') * 10 + (d[9] - '0');
    return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

// Parses one non-comment line; returns an error message, or "" on success.
std::string parse_line(const std::string& line, IgnoreEntry& entry) {
    size_t hash = line.find('#');
    std::string body = trim(line.substr(0, hash));
    if (hash != std::string::npos) {
        entry.reason = trim(std::string_view(line).substr(hash + 1));
    }
    std::istringstream tokens(body);
    std::string token;
    tokens >> entry.id;
    while (tokens >> token) {
        constexpr std::string_view kExpires = "expires=";
        if (token.rfind(kExpires, 0) != 0 || !entry.expires.empty()) {
            return "unexpected \"" + token + "\" (expected `ID [expires=YYYY-MM-DD] [# reason]`)";
        }
        entry.expires = token.substr(kExpires.size());
        if (!valid_date(entry.expires)) {
            return "expiry \"" + entry.expires + "\" is not a YYYY-MM-DD date";
        }
    }
    return {};
}

}  // namespace

Result<std::vector<IgnoreEntry>> load_ignore_file(const std::string& path) {
    std::ifstream in(path);
    if (!in) {
        return make_error(ErrorCode::NotFound, "cannot open ignore file " + path);
    }
    std::vector<IgnoreEntry> entries;
    std::string line;
    for (int number = 1; std::getline(in, line); ++number) {
        std::string content = trim(line);
        if (content.empty() || content[0] == '#') {
            continue;
        }
        IgnoreEntry entry;
        if (std::string problem = parse_line(content, entry); !problem.empty()) {
            return make_error(ErrorCode::InvalidArgument,
                              path + ":" + std::to_string(number) + ": " + problem);
        }
        entries.push_back(std::move(entry));
    }
    return entries;
}

}  // namespace cguard::vulndb
