// One line per event: log::event(Level::Info, "scan.finished", {{"image", name}, {"duration_ms",
// ms}}). Event names are stable and documented in docs/log-events.md. The level is checked before
// any formatting, so a disabled event costs one branch plus building the (non-owning) field list.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string_view>

namespace cguard::log {

enum class Level { Trace = 0, Debug, Info, Warn, Error, Off };
enum class Format { Text, Json };

// A named field. Values are borrowed: they must outlive the event() call (always true for
// temporaries in the argument list).
struct Field {
    enum class Kind { String, Int, Uint, Double, Bool };
    Field(std::string_view k, std::string_view v) : key(k), kind(Kind::String), str(v) {}
    Field(std::string_view k, const char* v) : key(k), kind(Kind::String), str(v) {}
    Field(std::string_view k, int v) : key(k), kind(Kind::Int), i(v) {}
    Field(std::string_view k, long v) : key(k), kind(Kind::Int), i(v) {}
    Field(std::string_view k, long long v) : key(k), kind(Kind::Int), i(v) {}
    Field(std::string_view k, unsigned v) : key(k), kind(Kind::Uint), u(v) {}
    Field(std::string_view k, unsigned long v) : key(k), kind(Kind::Uint), u(v) {}
    Field(std::string_view k, unsigned long long v) : key(k), kind(Kind::Uint), u(v) {}
    Field(std::string_view k, double v) : key(k), kind(Kind::Double), d(v) {}
    Field(std::string_view k, bool v) : key(k), kind(Kind::Bool), b(v) {}

    std::string_view key;
    Kind kind;
    std::string_view str;
    union {
        int64_t i = 0;
        uint64_t u;
        double d;
        bool b;
    };
};

// Process-wide settings; set once at start-up before threads start. Logs go to stderr.
void configure(Level min_level, Format format);
Level min_level();
bool parse_level(std::string_view name, Level& out);

// Formats and writes one event. Call through event(), which checks the level first.
void write(Level level, std::string_view name, const Field* fields, size_t count);

inline bool enabled(Level level) {
    return level >= min_level();
}

inline void event(Level level, std::string_view name, std::initializer_list<Field> fields = {}) {
    if (!enabled(level)) {
        return;
    }
    write(level, name, fields.begin(), fields.size());
}

// Rate-limited warning: emits the 1st, 2nd, 4th, 8th... occurrence of `name`, adding a
// `suppressed` field counting the ones skipped since the last emitted line.
void warn_limited(std::string_view name, std::initializer_list<Field> fields = {});

// Count of events written at Warn or above since start (tests and exit summaries use it).
uint64_t warning_count();

}  // namespace cguard::log
