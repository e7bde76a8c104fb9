#include "common/log.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/json_text.h"

namespace cguard::log {
namespace {

std::atomic<Level> g_level{Level::Warn};
std::atomic<Format> g_format{Format::Text};
std::atomic<uint64_t> g_warnings{0};
std::mutex g_mutex;

const char* level_name(Level level) {
    switch (level) {
        case Level::Trace: return "trace";
        case Level::Debug: return "debug";
        case Level::Info: return "info";
        case Level::Warn: return "warn";
        case Level::Error: return "error";
        case Level::Off: return "off";
    }
    return "info";
}

std::string timestamp() {
    auto now = std::chrono::system_clock::now();
    auto secs = std::chrono::system_clock::to_time_t(now);
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()) % 1000;
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                  static_cast<int>(ms.count()));
    return buf;
}

// Text values are quoted only when they need it, with newlines escaped so an event stays one line.
void append_text_value(std::string& out, std::string_view v) {
    bool plain = !v.empty();
    for (char c : v) {
        if (c == ' ' || c == '"' || c == '=' || static_cast<unsigned char>(c) < 0x20) {
            plain = false;
            break;
        }
    }
    if (plain) {
        out.append(v);
        return;
    }
    json::append_quoted(out, v);
}

void append_value(std::string& out, const Field& f, bool json_mode) {
    char buf[64];
    switch (f.kind) {
        case Field::Kind::String:
            json_mode ? json::append_quoted(out, f.str) : append_text_value(out, f.str);
            return;
        case Field::Kind::Int:
            std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(f.i));
            break;
        case Field::Kind::Uint:
            std::snprintf(buf, sizeof buf, "%llu", static_cast<unsigned long long>(f.u));
            break;
        case Field::Kind::Double: std::snprintf(buf, sizeof buf, "%.3f", f.d); break;
        case Field::Kind::Bool: std::snprintf(buf, sizeof buf, "%s", f.b ? "true" : "false"); break;
    }
    out.append(buf);
}

std::string_view component_of(std::string_view name) {
    auto dot = name.find('.');
    return dot == std::string_view::npos ? name : name.substr(0, dot);
}

}  // namespace

void configure(Level min_level, Format format) {
    g_level.store(min_level);
    g_format.store(format);
}

Level min_level() {
    return g_level.load(std::memory_order_relaxed);
}

bool parse_level(std::string_view name, Level& out) {
    static const std::pair<std::string_view, Level> kNames[] = {
        {"trace", Level::Trace}, {"debug", Level::Debug}, {"info", Level::Info},
        {"warn", Level::Warn},   {"error", Level::Error}, {"off", Level::Off}};
    for (const auto& [n, l] : kNames) {
        if (n == name) {
            out = l;
            return true;
        }
    }
    return false;
}

void write(Level level, std::string_view name, const Field* fields, size_t count) {
    if (level >= Level::Warn) {
        g_warnings.fetch_add(1, std::memory_order_relaxed);
    }
    std::string line;
    line.reserve(128);
    if (g_format.load() == Format::Json) {
        line += "{\"ts\":\"" + timestamp() + "\",\"level\":\"" + level_name(level) +
                "\",\"component\":";
        json::append_quoted(line, component_of(name));
        line += ",\"event\":";
        json::append_quoted(line, name);
        for (size_t i = 0; i < count; ++i) {
            const Field& f = fields[i];
            line += ',';
            json::append_quoted(line, f.key);
            line += ':';
            append_value(line, f, true);
        }
        line += "}\n";
    } else {
        line += timestamp();
        line += ' ';
        line += level_name(level);
        line += ' ';
        line.append(component_of(name));
        line += ' ';
        line.append(name);
        for (size_t i = 0; i < count; ++i) {
            const Field& f = fields[i];
            line += ' ';
            line.append(f.key);
            line += '=';
            append_value(line, f, false);
        }
        line += '\n';
    }
    // On a terminal a progress line may be half-drawn on stderr: clear it so the event starts
    // at column 0 (the progress line is redrawn on its next update).
    static const bool kTerminal = ::isatty(STDERR_FILENO) == 1;
    if (kTerminal && g_format.load() == Format::Text) {
        line.insert(0, "\r\033[K");
    }
    std::lock_guard<std::mutex> lock(g_mutex);
    std::fwrite(line.data(), 1, line.size(), stderr);
}

void warn_limited(std::string_view name, std::initializer_list<Field> fields) {
    if (!enabled(Level::Warn)) {
        return;
    }
    static std::mutex mutex;
    static std::unordered_map<std::string, std::pair<uint64_t, uint64_t>>
        counts;  // seen, emitted at
    uint64_t seen = 0;
    uint64_t suppressed = 0;
    {
        std::lock_guard<std::mutex> lock(mutex);
        auto& [count, last] = counts[std::string(name)];
        seen = ++count;
        if ((seen & (seen - 1)) != 0) {
            return;
        }
        suppressed = seen - last - 1;
        last = seen;
    }
    std::vector<Field> all(fields.begin(), fields.end());
    if (suppressed > 0) {
        all.emplace_back("suppressed", static_cast<unsigned long long>(suppressed));
    }
    write(Level::Warn, name, all.data(), all.size());
}

uint64_t warning_count() {
    return g_warnings.load();
}

}  // namespace cguard::log
