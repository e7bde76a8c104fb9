// Plain-text tables for the human report. Every cell is made terminal-safe on the way in: a
// file name in an image may hold ESC sequences that would otherwise drive the reader's
// terminal (retitle it, hide lines, fake output).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace cguard::report::detail {

// Valid UTF-8 with no C0/C1 control characters, DEL or bidirectional overrides: tab, CR and
// LF become a space, every other such character '?'.
std::string terminal_safe(std::string_view text);

// Width in terminal columns, counted as code points (wide CJK glyphs are not special-cased).
size_t display_width(std::string_view utf8);

// `utf8` cut to at most `width` columns, ending in "..." when something was cut.
std::string truncate_to_width(std::string_view utf8, size_t width);

class TextTable {
public:
    struct Column {
        std::string header;
        size_t max_width = 0;  // 0: as wide as the widest cell
    };

    explicit TextTable(std::vector<Column> columns);

    // Missing cells are blank, extra cells ignored.
    void add_row(const std::vector<std::string>& cells);

    // Header and rows, columns separated by two spaces, no trailing blanks, '\n' after each line.
    std::string render() const;

private:
    std::vector<Column> columns_;
    std::vector<std::vector<std::string>> rows_;  // terminal-safe, truncated
};

}  // namespace cguard::report::detail
