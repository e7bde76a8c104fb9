// Minimal JSON text helpers shared by the log facade and report writers. Attacker-controlled
// strings (file names from images) may be any bytes: invalid UTF-8 is replaced by U+FFFD so every
// document we emit is valid JSON.
#pragma once

#include <string>
#include <string_view>

namespace cguard::json {

// Appends `s` as a quoted JSON string, escaping control characters and repairing bad UTF-8.
void append_quoted(std::string& out, std::string_view s);

// Returns `s` with invalid UTF-8 sequences replaced by U+FFFD.
std::string sanitize_utf8(std::string_view s);

}  // namespace cguard::json
