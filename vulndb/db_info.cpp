#include <sys/stat.h>

#include <ctime>
#include <string>

#include "vulndb/detail/database_impl.h"
#include "vulndb/detail/importer.h"

namespace cguard::vulndb {
namespace detail {
namespace {

// Seconds since `rfc3339` ("2024-05-01T10:00:00Z"); 0 when it does not parse.
int64_t age_of(const std::string& rfc3339) {
    std::tm tm{};
    if (strptime(rfc3339.c_str(), "%Y-%m-%dT%H:%M:%SZ", &tm) == nullptr) {
        return 0;
    }
    return static_cast<int64_t>(std::time(nullptr) - timegm(&tm));
}

uint64_t to_count(std::string_view text) {
    uint64_t n = 0;
    for (char c : text) {
        if (c < '0' || c > '9') {
            return 0;
        }
        n = n * 10 + static_cast<uint64_t>(c - '0');
    }
    return n;
}

}  // namespace

Result<DbInfo> read_info(const Connection& db) {
    auto stmt = const_cast<Connection&>(db).prepare("SELECT key, value FROM meta");
    if (!stmt) {
        return make_error(ErrorCode::Database, "not a cguard database: " + stmt.error().message);
    }
    DbInfo info;
    for (;;) {
        auto row = stmt->step();
        if (!row) {
            return forward_error(row.error());
        }
        if (!*row) {
            break;
        }
        std::string key(stmt->text(0));
        std::string_view value = stmt->text(1);
        if (key == "schema_version") {
            info.schema_version = value;
        } else if (key == "built_at") {
            info.built_at = value;
        } else if (key == "source") {
            info.source = value;
        } else if (key == "cve_records") {
            info.cve_records = to_count(value);
        } else if (key == "kev_entries") {
            info.kev_entries = to_count(value);
        } else if (key.rfind("count:", 0) == 0) {
            info.records_per_ecosystem[key.substr(6)] = to_count(value);
        }
    }
    if (info.schema_version != kSchemaVersion) {
        return make_error(ErrorCode::Database,
                          "unsupported database schema version \"" + info.schema_version + "\"");
    }
    info.age_seconds = age_of(info.built_at);
    return info;
}

}  // namespace detail

Database::Database(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Database::~Database() = default;
Database::Database(Database&&) noexcept = default;
Database& Database::operator=(Database&&) noexcept = default;

Result<Database> Database::open(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
        return make_error(ErrorCode::NotFound,
                          "no vulnerability database at " + path + " (run `cguard db update`)");
    }
    auto impl = std::make_unique<Impl>();
    impl->path = path;
    auto db = detail::Connection::open(path, SQLITE_OPEN_READONLY);
    if (!db) {
        return forward_error(db.error());
    }
    impl->db = std::move(*db);
    if (auto info = detail::read_info(impl->db); !info) {
        return forward_error(info.error(), path);
    }
    auto lookup = impl->db.prepare(
        "SELECT a.osv_id, a.summary, a.severity, a.cvss_score, a.cvss_vector, a.aliases, a.refs,"
        " a.kev, f.ranges, f.versions FROM affected f JOIN advisory a ON a.id = f.advisory"
        " WHERE f.ecosystem = ? AND f.package = ?");
    if (!lookup) {
        return forward_error(lookup.error(), path);
    }
    impl->lookup = std::move(*lookup);
    return Database(std::move(impl));
}

Result<DbInfo> Database::info() const {
    return detail::read_info(impl_->db);
}

Result<DbInfo> info(const std::string& db_path) {
    auto db = Database::open(db_path);
    if (!db) {
        return forward_error(db.error());
    }
    return db->info();
}

}  // namespace cguard::vulndb
