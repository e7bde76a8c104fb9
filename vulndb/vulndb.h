// The vulnerability database: built from public feeds (OSV per ecosystem, CVE JSON 5 records,
// the CISA KEV catalog) into one SQLite file, and matched against a scanner inventory.
//
// Thread-safety: a Database may be shared by threads for matching (SQLite serialized mode);
// update()/import_feeds() write a new file and rename it over the old one, so readers that
// opened the old file keep a consistent view.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "scanner/scanner.h"

namespace cguard::vulndb {

// ---- Version comparison --------------------------------------------------------------------
enum class VersionScheme { Dpkg, Apk, Rpm, Semver, Pep440, Maven, RubyGems, Generic };

// <0, 0, >0 as a is older than, equal to, newer than b under the scheme's own rules.
// Error InvalidArgument when either side cannot be parsed: an unparsable version never matches.
Result<int> compare_versions(VersionScheme scheme, std::string_view a, std::string_view b);

// Scheme for an OSV ecosystem ("Debian:12" -> Dpkg, "PyPI" -> Pep440, "Go" -> Semver, ...).
VersionScheme scheme_for_ecosystem(std::string_view ecosystem);

// ---- Building ------------------------------------------------------------------------------
struct BuildOptions {
    // Base of the OSV layout `<base>/<Ecosystem>/all.zip`: https://, http://, file:// or a
    // directory. CVE records are read from `<base>/../cve/cvelist.zip` and KEV from
    // `<base>/../kev/known_exploited_vulnerabilities.json` unless given explicitly.
    std::string source;
    std::string cve_source;
    std::string kev_source;
    std::vector<std::string> ecosystems;  // empty: every ecosystem we inventory
    // Explicit OSV zips read instead of the layout under `source` (`db import FILE`); each
    // counts under its parent folder's name ("…/Alpine/all.zip" -> "Alpine").
    std::vector<std::string> osv_files;
    std::function<void(std::string_view stage, uint64_t done, uint64_t total)> on_progress;
};

struct BuildSummary {
    std::map<std::string, uint64_t> records_per_ecosystem;  // ecosystem -> advisories stored
    std::map<std::string, uint64_t> skipped;  // reason (unparsable, withdrawn, duplicate, ...) -> n
    uint64_t cve_records = 0;
    uint64_t kev_entries = 0;
    std::vector<std::string> warnings;  // e.g. a feed that could not be fetched
    double seconds = 0;
    uint64_t db_bytes = 0;
};

// Fetches the feeds (libcurl; file:// and directories read locally), builds a new database
// beside `db_path` and renames it over the old one. An interrupted build leaves the old file.
// Errors: Network/NotFound when no feed at all could be read, Database, Io.
Result<BuildSummary> update(const std::string& db_path, const BuildOptions& options);

struct DbInfo {
    std::string schema_version;
    std::string built_at;  // RFC 3339 UTC
    std::string source;
    std::map<std::string, uint64_t> records_per_ecosystem;
    uint64_t cve_records = 0;
    uint64_t kev_entries = 0;
    int64_t age_seconds = 0;
};

// Errors: NotFound (no database at path), Database (not a cguard database, or damaged).
Result<DbInfo> info(const std::string& db_path);

// $CGUARD_DB, else $XDG_CACHE_HOME/cguard/vuln.db, else $HOME/.cache/cguard/vuln.db.
std::string default_db_path();

// ---- Matching ------------------------------------------------------------------------------
enum class Severity { Unknown = 0, Low, Medium, High, Critical };
const char* severity_name(Severity s);  // "CRITICAL", ...
bool parse_severity(std::string_view name, Severity& out);

struct Finding {
    std::string id;                    // preferred id (CVE when the advisory aliases one)
    std::vector<std::string> aliases;  // the other ids of the same flaw (DSA, GHSA, PYSEC, ...)
    std::string package;
    std::string package_type;
    std::string installed_version;
    std::string fixed_version;  // empty when unfixed
    std::string status;         // "fixed" or "unfixed"
    Severity severity = Severity::Unknown;
    double cvss_score = -1;  // < 0 when unknown
    std::string cvss_vector;
    bool kev = false;
    std::string title;
    std::vector<std::string> references;
    std::string layer_digest;
    std::string purl;
    std::string location;
};

struct MatchResult {
    std::vector<Finding> findings;
    std::vector<std::string> warnings;  // unparsable versions, OS release with no data, ...
};

class Database {
public:
    // Errors: NotFound, Database.
    static Result<Database> open(const std::string& path);
    ~Database();
    Database(Database&&) noexcept;
    Database& operator=(Database&&) noexcept;

    Result<MatchResult> match(const scanner::ScanReport& report) const;
    Result<DbInfo> info() const;

    struct Impl;

private:
    explicit Database(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

// ---- Filters and gates ---------------------------------------------------------------------
struct IgnoreEntry {
    std::string id;
    std::string reason;
    std::string expires;  // YYYY-MM-DD, empty: never
};

// One entry per line: `ID [expires=YYYY-MM-DD] [# reason]`; blank lines and `#` lines skipped.
// Errors: NotFound, InvalidArgument (a malformed line, named by number).
Result<std::vector<IgnoreEntry>> load_ignore_file(const std::string& path);

struct FilterOptions {
    std::vector<Severity> severities;  // empty: all
    bool ignore_unfixed = false;
    std::vector<IgnoreEntry> ignores;
    std::string today;  // YYYY-MM-DD; injected so tests control the clock
};

struct FilterResult {
    std::vector<Finding> kept;
    size_t ignored = 0;
    std::vector<std::string> notes;  // e.g. "ignore entry CVE-x expired on 2026-01-01"
};

FilterResult apply_filters(std::vector<Finding> findings, const FilterOptions& options);

}  // namespace cguard::vulndb
