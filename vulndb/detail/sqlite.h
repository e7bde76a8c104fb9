// Thin RAII wrappers over the SQLite C API, owned by vulndb (the only component using SQLite for
// writing). Every failing call becomes an Error{Database} naming the call and SQLite's message.
#pragma once

#include <sqlite3.h>

#include <string>
#include <string_view>

#include "common/result.h"

namespace cguard::vulndb::detail {

class Statement {
public:
    Statement() = default;
    explicit Statement(sqlite3_stmt* stmt) : stmt_(stmt) {}
    ~Statement();
    Statement(Statement&& other) noexcept : stmt_(other.stmt_) { other.stmt_ = nullptr; }
    Statement& operator=(Statement&& other) noexcept;
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    void reset();
    void bind(int index, std::string_view text);
    void bind(int index, int64_t value);
    void bind(int index, double value);
    void bind_null(int index);
    // SQLITE_ROW -> true, SQLITE_DONE -> false, anything else -> Error.
    Result<bool> step();

    std::string_view text(int column) const;
    int64_t integer(int column) const;
    double real(int column) const;
    bool is_null(int column) const;
    sqlite3_stmt* get() const { return stmt_; }

private:
    sqlite3_stmt* stmt_ = nullptr;
};

class Connection {
public:
    Connection() = default;
    ~Connection();
    Connection(Connection&& other) noexcept : db_(other.db_) { other.db_ = nullptr; }
    Connection& operator=(Connection&& other) noexcept;
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    // flags: SQLITE_OPEN_READONLY or SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE.
    static Result<Connection> open(const std::string& path, int flags);
    Result<void> exec(const std::string& sql);
    Result<Statement> prepare(std::string_view sql);
    sqlite3* get() const { return db_; }

private:
    sqlite3* db_ = nullptr;
};

// Error{Database} for `call` with the connection's current message.
Unexpected<Error> sqlite_error(sqlite3* db, std::string_view call);

}  // namespace cguard::vulndb::detail
