// rpm's SQLite backend (rpmdb.sqlite, RHEL 9 / Fedora / CBL-Mariner): table Packages(hnum, blob)
// holds one header blob per package. The file is opened from memory so a scan never writes a
// temporary copy of a layer's database to disk.
#include <sqlite3.h>

#include <cstring>
#include <memory>
#include <string>
#include <string_view>

#include "scanner/detail/os_packages.h"
#include "scanner/detail/pkgdb_rpm.h"

namespace cguard::scanner::detail {
namespace {

// SQLite's own corruption checks are thorough, but a hostile file can still ask for a lot of
// work; the progress handler stops any statement past this many virtual-machine steps.
constexpr int kProgressStepInterval = 1000;
constexpr int kMaxProgressCalls = 200'000;

struct DbCloser {
    void operator()(sqlite3* db) const { sqlite3_close(db); }
};
struct StmtFinalizer {
    void operator()(sqlite3_stmt* stmt) const { sqlite3_finalize(stmt); }
};
using DbHandle = std::unique_ptr<sqlite3, DbCloser>;
using StmtHandle = std::unique_ptr<sqlite3_stmt, StmtFinalizer>;

std::string sqlite_error(sqlite3* db, const char* call, int rc) {
    std::string message = std::string("rpm sqlite: ") + call + " failed (" + std::to_string(rc);
    message += db != nullptr ? std::string(", ") + sqlite3_errmsg(db) + ")" : ")";
    return message;
}

int stop_runaway_statement(void* calls) {
    int& count = *static_cast<int*>(calls);
    return ++count > kMaxProgressCalls ? 1 : 0;
}

// Opens a private in-memory connection over `image`, which must outlive the handle.
DbHandle open_image(std::string& image, OsPackageList& out) {
    sqlite3* raw = nullptr;
    int rc = sqlite3_open_v2(":memory:", &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_PRIVATECACHE,
                             nullptr);
    DbHandle db(raw);
    if (rc != SQLITE_OK) {
        add_pkgdb_warning(out, sqlite_error(raw, "sqlite3_open_v2", rc));
        return nullptr;
    }
    sqlite3_limit(raw, SQLITE_LIMIT_LENGTH, static_cast<int>(kMaxRpmBlobBytes));
    // Sorting or temporary b-trees stay in memory too: a scan writes nothing to disk.
    sqlite3_exec(raw, "PRAGMA temp_store=MEMORY", nullptr, nullptr, nullptr);
    rc = sqlite3_deserialize(raw, "main", reinterpret_cast<unsigned char*>(image.data()),
                             static_cast<sqlite3_int64>(image.size()),
                             static_cast<sqlite3_int64>(image.size()), SQLITE_DESERIALIZE_READONLY);
    if (rc != SQLITE_OK) {
        add_pkgdb_warning(out, sqlite_error(raw, "sqlite3_deserialize", rc));
        return nullptr;
    }
    return db;
}

// rpm's own schema: Packages(hnum INTEGER PRIMARY KEY, blob BLOB), a plain table. A view, a
// generated column or a DEFAULT (zeroblob(...)) would make SQLite build rows from nothing (a
// 4 KiB file grew to gigabytes through the ORDER BY sorter); a plain table's rows come from
// its pages, so the work stays bounded by the file.
constexpr const char* kSchemaCheck =
    "SELECT (SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'Packages'"
    "        AND sql LIKE 'CREATE TABLE%'),"
    "       (SELECT count(*) FROM pragma_table_xinfo('Packages') WHERE hidden = 0"
    "        AND dflt_value IS NULL AND ((name = 'hnum' AND pk = 1 AND upper(type) = 'INTEGER')"
    "        OR (name = 'blob' AND pk = 0))),"
    "       (SELECT count(*) FROM pragma_table_xinfo('Packages'))";

bool has_rpm_schema(sqlite3* db) {
    sqlite3_stmt* raw = nullptr;
    if (sqlite3_prepare_v2(db, kSchemaCheck, -1, &raw, nullptr) != SQLITE_OK) {
        sqlite3_finalize(raw);
        return false;
    }
    StmtHandle stmt(raw);
    return sqlite3_step(stmt.get()) == SQLITE_ROW && sqlite3_column_int(stmt.get(), 0) == 1 &&
           sqlite3_column_int(stmt.get(), 1) == 2 && sqlite3_column_int(stmt.get(), 2) == 2;
}

}  // namespace

OsPackageList parse_rpm_sqlite(std::string_view data) {
    OsPackageList out;
    if (data.size() < 100 || data.substr(0, 16) != std::string_view("SQLite format 3\0", 16)) {
        add_pkgdb_warning(out, "rpm sqlite: not an SQLite database");
        return out;
    }
    // rpm keeps its database in WAL mode, which an in-memory image cannot use; bytes 18 and 19
    // (file format write/read version) set back to 1 make SQLite read it as a rollback-journal
    // database. Any un-checkpointed WAL content lives in another file we were not given.
    std::string image(data);
    image[18] = 1;
    image[19] = 1;
    DbHandle db = open_image(image, out);
    if (!db) {
        return out;
    }
    int progress_calls = 0;
    sqlite3_progress_handler(db.get(), kProgressStepInterval, stop_runaway_statement,
                             &progress_calls);

    if (!has_rpm_schema(db.get())) {
        add_pkgdb_warning(out, "rpm sqlite: Packages is not rpm's (hnum, blob) table");
        return out;
    }
    sqlite3_stmt* raw = nullptr;
    int rc = sqlite3_prepare_v2(db.get(), "SELECT hnum, blob FROM Packages ORDER BY hnum", -1, &raw,
                                nullptr);
    StmtHandle stmt(raw);
    if (rc != SQLITE_OK) {
        add_pkgdb_warning(out, sqlite_error(db.get(), "sqlite3_prepare_v2", rc));
        return out;
    }
    while ((rc = sqlite3_step(stmt.get())) == SQLITE_ROW) {
        const void* blob = sqlite3_column_blob(stmt.get(), 1);
        int size = sqlite3_column_bytes(stmt.get(), 1);
        std::string record = "hnum " + std::to_string(sqlite3_column_int64(stmt.get(), 0));
        if (blob == nullptr || size <= 0) {
            add_pkgdb_warning(out, "rpm sqlite: " + record + " has no header blob");
            continue;
        }
        append_rpm_header(std::string_view(static_cast<const char*>(blob), size), out, record);
    }
    if (rc != SQLITE_DONE) {
        add_pkgdb_warning(out, sqlite_error(db.get(), "sqlite3_step", rc));
    }
    return out;
}

}  // namespace cguard::scanner::detail
