// Writes feeds into an open, empty database inside the caller's transaction. Bad records are
// counted in BuildSummary::skipped by reason and never stop the import.
#pragma once

#include <string>
#include <unordered_map>
#include <unordered_set>

#include "common/result.h"
#include "vulndb/detail/cve.h"
#include "vulndb/detail/osv.h"
#include "vulndb/detail/sqlite.h"
#include "vulndb/vulndb.h"

namespace cguard::vulndb::detail {

inline constexpr const char* kSchemaVersion = "1";

// Tables without secondary indexes (created after the bulk insert by create_indexes).
Result<void> create_tables(Connection& db);
Result<void> create_indexes(Connection& db);
Result<void> write_meta(Connection& db, const BuildSummary& summary, const std::string& source,
                        const std::string& built_at);

class Importer {
public:
    static Result<Importer> create(Connection& db, const BuildOptions& options);

    // Each returns NotFound when the feed does not exist (the caller turns that into a warning).
    Result<void> import_kev(const std::string& source, BuildSummary& summary);
    Result<void> import_cve(const std::string& source, BuildSummary& summary);
    Result<void> import_osv(const std::string& feed, const std::string& source,
                            BuildSummary& summary);

    // Stores one parsed record; public so tests and the fuzzer-found cases can drive it.
    void add_record(const std::string& feed, OsvRecord record, BuildSummary& summary);

private:
    struct Enrichment {
        double cvss_score = -1;
        std::string cvss_vector;
        Severity severity = Severity::Unknown;
    };

    Importer(Connection& db, const BuildOptions& options) : db_(&db), options_(&options) {}
    bool usable_affected(OsvAffected& affected, std::string& key, BuildSummary& summary) const;
    void resolve_severity(const OsvRecord& record, Enrichment& out) const;

    Connection* db_;
    const BuildOptions* options_;
    Statement insert_advisory_;
    Statement insert_affected_;
    Statement insert_cve_;
    Statement insert_kev_;
    std::unordered_set<std::string> kev_;
    std::unordered_map<std::string, Enrichment> cves_;
    std::unordered_set<std::string> seen_ids_;
};

}  // namespace cguard::vulndb::detail
