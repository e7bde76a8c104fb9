// Result<T>: a value or an Error, for every function that can fail for reasons outside our code.
// Names mirror std::expected so the switch to it (C++23) is mechanical.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace cguard {

enum class ErrorCode {
    InvalidArgument,  // the caller (user) asked for something malformed
    NotFound,         // a named file, layer, manifest or record does not exist
    Io,               // reading or writing failed at the OS level
    Corrupt,          // input exists but is malformed (bad archive, bad JSON, bad database)
    DigestMismatch,   // content does not hash to the digest that names it
    LimitExceeded,    // input exceeds a safety cap (size, depth, count)
    Unsupported,      // well-formed input in a format or version we do not handle
    Network,          // a transfer failed
    Database,         // SQLite reported an error
    Internal,         // a bug in cguard; logged and surfaced, never asserted on input
};

// Stable lower-case name, used in logs and JSON (`error_code` field).
const char* error_code_name(ErrorCode code);

struct Error {
    ErrorCode code = ErrorCode::Internal;
    std::string message;
};

template <typename E>
class Unexpected {
public:
    explicit Unexpected(E e) : error_(std::move(e)) {}
    E& error() & { return error_; }
    E&& error() && { return std::move(error_); }

private:
    E error_;
};

inline Unexpected<Error> make_error(ErrorCode code, std::string message) {
    return Unexpected<Error>(Error{code, std::move(message)});
}

template <typename T>
class [[nodiscard]] Result {
public:
    Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit
    Result(Unexpected<Error> e) : state_(std::in_place_index<1>, std::move(e).error()) {}  // NOLINT

    bool has_value() const { return state_.index() == 0; }
    explicit operator bool() const { return has_value(); }

    T& value() & { return std::get<0>(state_); }
    const T& value() const& { return std::get<0>(state_); }
    T&& value() && { return std::get<0>(std::move(state_)); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }

    const Error& error() const { return std::get<1>(state_); }
    Error& error() { return std::get<1>(state_); }

private:
    std::variant<T, Error> state_;
};

template <>
class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Unexpected<Error> e) : error_(std::move(e).error()), ok_(false) {}  // NOLINT

    bool has_value() const { return ok_; }
    explicit operator bool() const { return ok_; }
    const Error& error() const { return error_; }
    Error& error() { return error_; }

private:
    Error error_;
    bool ok_ = true;
};

// Re-wraps an error from another Result type, optionally prefixing context.
inline Unexpected<Error> forward_error(const Error& e, const std::string& context = {}) {
    return Unexpected<Error>(
        Error{e.code, context.empty() ? e.message : context + ": " + e.message});
}

}  // namespace cguard
