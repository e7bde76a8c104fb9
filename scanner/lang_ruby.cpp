#include <cctype>

#include "scanner/detail/lang_packages.h"
#include "scanner/lang_util.h"

namespace cguard::scanner::detail {
namespace {

bool consume(std::string_view& s, std::string_view prefix) {
    if (s.substr(0, prefix.size()) != prefix) {
        return false;
    }
    s.remove_prefix(prefix.size());
    return true;
}

// A Ruby string literal at the start of `expr`: "x", 'x' or %q{x}. Empty when it is not one.
std::string_view string_literal(std::string_view expr) {
    char close = 0;
    if (consume(expr, "%q{")) {
        close = '}';
    } else if (consume(expr, "\"")) {
        close = '"';
    } else if (consume(expr, "'")) {
        close = '\'';
    } else {
        return {};
    }
    size_t end = expr.find(close);
    return end == std::string_view::npos ? std::string_view{} : expr.substr(0, end);
}

// Right-hand side of `<ident>.<field> = ...`, or empty when the line assigns something else.
// Installed gemspecs write `s.version = "1.2"` or `s.version = Gem::Version.new("1.2")`, with
// or without `.freeze`, and rubygems' own generator names the receiver `s`; others use `spec`.
std::string_view assigned_value(std::string_view line, std::string_view field) {
    line = trim(line);
    size_t i = 0;
    while (i < line.size() &&
           (std::isalnum(static_cast<unsigned char>(line[i])) != 0 || line[i] == '_')) {
        ++i;
    }
    if (i == 0) {
        return {};
    }
    line.remove_prefix(i);
    if (!consume(line, ".") || !consume(line, field)) {
        return {};
    }
    line = trim(line);
    if (!consume(line, "=") || consume(line, "=")) {
        return {};
    }
    line = trim(line);
    if (consume(line, "Gem::Version.new")) {
        line = trim(line);
        consume(line, "(");
        line = trim(line);
    }
    return string_literal(line);
}

}  // namespace

LangPackages parse_gemspec(std::string_view text, const std::string& path) {
    LangPackages out;
    if (refuse_oversized(text, path, out)) {
        return out;
    }
    std::string_view name;
    std::string_view version;
    size_t pos = 0;
    while (pos < text.size() && (name.empty() || version.empty())) {
        size_t eol = text.find('\n', pos);
        if (eol == std::string_view::npos) {
            eol = text.size();
        }
        std::string_view line = text.substr(pos, eol - pos);
        pos = eol + 1;
        if (name.empty()) {
            name = assigned_value(line, "name");
        }
        if (version.empty()) {
            version = assigned_value(line, "version");
        }
    }
    if (name.empty() || version.empty()) {
        out.warnings.push_back(path + ": gemspec without a literal name or version");
        return out;
    }
    out.packages.push_back(
        make_lang_package("gem", "", name, std::string(name), std::string(version), path));
    return out;
}

}  // namespace cguard::scanner::detail
