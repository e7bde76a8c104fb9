#include "report/detail/text_table.h"

#include <algorithm>
#include <cstdint>

#include "common/json_text.h"

namespace cguard::report::detail {
namespace {

// Decodes the code point at s[i] of valid UTF-8 and advances i.
uint32_t next_code_point(std::string_view s, size_t& i) {
    auto c = static_cast<uint8_t>(s[i]);
    size_t len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : 4;
    uint32_t cp = len == 1 ? c : c & (0x7F >> len);
    for (size_t k = 1; k < len && i + k < s.size(); ++k) {
        cp = (cp << 6) | (static_cast<uint8_t>(s[i + k]) & 0x3F);
    }
    i += len;
    return cp;
}

bool is_unsafe(uint32_t cp) {
    bool control = cp < 0x20 || (cp >= 0x7F && cp <= 0x9F);
    bool bidi = cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) ||
                (cp >= 0x2066 && cp <= 0x2069);
    return control || bidi;
}

std::string pad_to(std::string cell, size_t width) {
    size_t current = display_width(cell);
    if (current < width) {
        cell.append(width - current, ' ');
    }
    return cell;
}

}  // namespace

std::string terminal_safe(std::string_view text) {
    std::string valid = json::sanitize_utf8(text);
    std::string out;
    out.reserve(valid.size());
    size_t i = 0;
    while (i < valid.size()) {
        size_t start = i;
        uint32_t cp = next_code_point(valid, i);
        if (!is_unsafe(cp)) {
            out.append(valid, start, i - start);
        } else {
            out += (cp == '\t' || cp == '\n' || cp == '\r') ? ' ' : '?';
        }
    }
    return out;
}

size_t display_width(std::string_view utf8) {
    size_t width = 0;
    for (char c : utf8) {
        // Count every byte that does not continue a sequence.
        width += (static_cast<uint8_t>(c) & 0xC0) != 0x80 ? 1 : 0;
    }
    return width;
}

std::string truncate_to_width(std::string_view utf8, size_t width) {
    if (display_width(utf8) <= width) {
        return std::string(utf8);
    }
    size_t keep = width > 3 ? width - 3 : 0;
    size_t i = 0;
    for (size_t n = 0; n < keep && i < utf8.size(); ++n) {
        next_code_point(utf8, i);
    }
    return std::string(utf8.substr(0, std::min(i, utf8.size()))) + std::string("...", width - keep);
}

TextTable::TextTable(std::vector<Column> columns) : columns_(std::move(columns)) {}

void TextTable::add_row(const std::vector<std::string>& cells) {
    std::vector<std::string> row;
    for (size_t c = 0; c < columns_.size(); ++c) {
        std::string cell = c < cells.size() ? terminal_safe(cells[c]) : std::string();
        if (columns_[c].max_width > 0) {
            cell = truncate_to_width(cell, columns_[c].max_width);
        }
        row.push_back(std::move(cell));
    }
    rows_.push_back(std::move(row));
}

std::string TextTable::render() const {
    std::vector<size_t> widths;
    for (const auto& column : columns_) {
        widths.push_back(display_width(column.header));
    }
    for (const auto& row : rows_) {
        for (size_t c = 0; c < row.size(); ++c) {
            widths[c] = std::max(widths[c], display_width(row[c]));
        }
    }

    auto render_line = [&](auto cell_at) {
        std::string line;
        for (size_t c = 0; c < columns_.size(); ++c) {
            line += c + 1 < columns_.size() ? pad_to(cell_at(c), widths[c] + 2) : cell_at(c);
        }
        line.erase(line.find_last_not_of(' ') + 1);
        return line + "\n";
    };
    std::string out = render_line([&](size_t c) { return columns_[c].header; });
    for (const auto& row : rows_) {
        out += render_line([&](size_t c) { return row[c]; });
    }
    return out;
}

}  // namespace cguard::report::detail
