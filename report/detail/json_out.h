// A small JSON emitter over RapidJSON's PrettyWriter (two-space indent) that every report writer
// shares. It exists so that RapidJSON stays out of headers and so that no writer can forget the
// rule that every string (keys included) is repaired to valid UTF-8 before it is written: file
// names and package fields come from images and may be arbitrary bytes.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace cguard::report::detail {

class JsonOut {
public:
    JsonOut();
    ~JsonOut();
    JsonOut(const JsonOut&) = delete;
    JsonOut& operator=(const JsonOut&) = delete;

    void begin_object();
    void end_object();
    void begin_array();
    void end_array();
    void key(std::string_view name);

    void string(std::string_view value);  // repaired with json::sanitize_utf8
    void number(double value);            // NaN and infinities are written as null
    void uint(uint64_t value);
    void boolean(bool value);
    void null();

    // key + value in one call; distinct names for non-strings because a string literal would
    // otherwise convert to bool before it converts to string_view.
    void field(std::string_view name, std::string_view value);
    void field(std::string_view name, const char* value) { field(name, std::string_view(value)); }
    void field(std::string_view name, const std::string& value) {
        field(name, std::string_view(value));
    }
    void field_number(std::string_view name, double value);
    void field_uint(std::string_view name, uint64_t value);
    void field_bool(std::string_view name, bool value);

    // The finished document followed by a newline. The emitter is empty afterwards.
    std::string take();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace cguard::report::detail
