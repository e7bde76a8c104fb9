#include <string>

#include "vulndb/detail/importer.h"

namespace cguard::vulndb::detail {

Result<void> create_tables(Connection& db) {
    return db.exec(R"sql(
        CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE advisory(
            id INTEGER PRIMARY KEY,
            osv_id TEXT NOT NULL,
            feed TEXT NOT NULL,
            summary TEXT, details TEXT,
            severity INTEGER NOT NULL, cvss_score REAL, cvss_vector TEXT,
            aliases TEXT NOT NULL, refs TEXT NOT NULL,
            published TEXT, modified TEXT,
            kev INTEGER NOT NULL);
        CREATE TABLE affected(
            advisory INTEGER NOT NULL,
            ecosystem TEXT NOT NULL,
            raw_ecosystem TEXT NOT NULL,
            package TEXT NOT NULL,
            ranges TEXT NOT NULL,
            versions TEXT NOT NULL);
        CREATE TABLE cve(id TEXT PRIMARY KEY, cvss_score REAL, cvss_vector TEXT,
                         severity INTEGER NOT NULL, cwe TEXT, description TEXT);
        CREATE TABLE kev(cve TEXT PRIMARY KEY);
    )sql");
}

Result<void> create_indexes(Connection& db) {
    return db.exec(R"sql(
        CREATE UNIQUE INDEX advisory_osv_id ON advisory(osv_id);
        CREATE INDEX affected_lookup ON affected(ecosystem, package);
    )sql");
}

Result<void> write_meta(Connection& db, const BuildSummary& summary, const std::string& source,
                        const std::string& built_at) {
    auto stmt = db.prepare("INSERT OR REPLACE INTO meta(key, value) VALUES(?, ?)");
    if (!stmt) {
        return forward_error(stmt.error());
    }
    auto put = [&](const std::string& key, const std::string& value) -> Result<void> {
        stmt->reset();
        stmt->bind(1, key);
        stmt->bind(2, value);
        auto done = stmt->step();
        return done ? Result<void>() : forward_error(done.error(), "meta " + key);
    };
    std::vector<std::pair<std::string, std::string>> rows = {
        {"schema_version", kSchemaVersion},
        {"built_at", built_at},
        {"source", source},
        {"cve_records", std::to_string(summary.cve_records)},
        {"kev_entries", std::to_string(summary.kev_entries)},
    };
    for (const auto& [feed, count] : summary.records_per_ecosystem) {
        rows.emplace_back("count:" + feed, std::to_string(count));
    }
    for (const auto& [key, value] : rows) {
        if (auto r = put(key, value); !r) {
            return r;
        }
    }
    return {};
}

}  // namespace cguard::vulndb::detail
