#include <cstdio>

#include "cli/cli.h"

namespace cguard::cli {

int fail(int code, const std::string& message) {
    std::string line = "cguard: " + message;
    for (char& c : line) {
        if (c == '\n' || c == '\r') {
            c = ' ';
        }
    }
    std::fprintf(stderr, "%s\n", line.c_str());
    return code;
}

std::vector<std::string> split_list(const std::string& s) {
    std::vector<std::string> out;
    size_t start = 0;
    while (start < s.size()) {
        size_t comma = s.find(',', start);
        if (comma == std::string::npos) {
            comma = s.size();
        }
        if (comma > start) {
            out.push_back(s.substr(start, comma - start));
        }
        start = comma + 1;
    }
    return out;
}

bool Args::next(std::string& token) {
    if (pos_ >= args_.size()) {
        return false;
    }
    current_ = args_[pos_++];
    has_inline_ = false;
    if (current_.rfind("--", 0) == 0) {
        if (auto eq = current_.find('='); eq != std::string::npos) {
            inline_value_ = current_.substr(eq + 1);
            current_ = current_.substr(0, eq);
            has_inline_ = true;
        }
    }
    token = current_;
    return true;
}

bool Args::value(std::string& out) {
    if (has_inline_) {
        out = inline_value_;
        has_inline_ = false;
        return true;
    }
    if (pos_ >= args_.size()) {
        error_ = "option " + current_ + " needs a value";
        return false;
    }
    out = args_[pos_++];
    return true;
}

}  // namespace cguard::cli
