#include "vulndb/detail/sqlite.h"

namespace cguard::vulndb::detail {

Statement::~Statement() {
    if (stmt_ != nullptr) {
        sqlite3_finalize(stmt_);
    }
}

Statement& Statement::operator=(Statement&& other) noexcept {
    if (this != &other) {
        if (stmt_ != nullptr) {
            sqlite3_finalize(stmt_);
        }
        stmt_ = other.stmt_;
        other.stmt_ = nullptr;
    }
    return *this;
}

void Statement::reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
}

void Statement::bind(int index, std::string_view text) {
    sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
}

void Statement::bind(int index, int64_t value) {
    sqlite3_bind_int64(stmt_, index, value);
}
void Statement::bind(int index, double value) {
    sqlite3_bind_double(stmt_, index, value);
}
void Statement::bind_null(int index) {
    sqlite3_bind_null(stmt_, index);
}

Result<bool> Statement::step() {
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) {
        return true;
    }
    if (rc == SQLITE_DONE) {
        return false;
    }
    return sqlite_error(sqlite3_db_handle(stmt_), "sqlite3_step");
}

std::string_view Statement::text(int column) const {
    const auto* data = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
    if (data == nullptr) {
        return {};
    }
    return {data, static_cast<size_t>(sqlite3_column_bytes(stmt_, column))};
}

int64_t Statement::integer(int column) const {
    return sqlite3_column_int64(stmt_, column);
}
double Statement::real(int column) const {
    return sqlite3_column_double(stmt_, column);
}
bool Statement::is_null(int column) const {
    return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

Connection::~Connection() {
    if (db_ != nullptr) {
        sqlite3_close_v2(db_);
    }
}

Connection& Connection::operator=(Connection&& other) noexcept {
    if (this != &other) {
        if (db_ != nullptr) {
            sqlite3_close_v2(db_);
        }
        db_ = other.db_;
        other.db_ = nullptr;
    }
    return *this;
}

Result<Connection> Connection::open(const std::string& path, int flags) {
    Connection conn;
    int rc = sqlite3_open_v2(path.c_str(), &conn.db_, flags | SQLITE_OPEN_FULLMUTEX, nullptr);
    if (rc != SQLITE_OK) {
        return sqlite_error(conn.db_, "sqlite3_open_v2 " + path);
    }
    // A concurrent build never locks the file we read, but another process might briefly.
    sqlite3_busy_timeout(conn.db_, 5000);
    return conn;
}

Result<void> Connection::exec(const std::string& sql) {
    char* message = nullptr;
    int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message);
    if (rc != SQLITE_OK) {
        std::string text = message != nullptr ? message : sqlite3_errstr(rc);
        sqlite3_free(message);
        return make_error(ErrorCode::Database, "sqlite3_exec: " + text);
    }
    return {};
}

Result<Statement> Connection::prepare(std::string_view sql) {
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
    if (rc != SQLITE_OK) {
        return sqlite_error(db_, "sqlite3_prepare_v2");
    }
    return Statement(stmt);
}

Unexpected<Error> sqlite_error(sqlite3* db, std::string_view call) {
    std::string message = std::string(call) + ": ";
    message += db != nullptr ? sqlite3_errmsg(db) : "out of memory";
    return make_error(ErrorCode::Database, message);
}

}  // namespace cguard::vulndb::detail
