// `cguard db update|import|info`: build and inspect the local vulnerability database.
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "cli/cli.h"
#include "common/log.h"
#include "vulndb/vulndb.h"

namespace cguard::cli {
namespace {

constexpr const char* kDbHelp = R"(Usage: cguard db COMMAND [OPTIONS]

Builds and inspects the local vulnerability database (one SQLite file).

Commands:
  update [--source URL]  fetch the feeds and rebuild the database. URL is the base of an OSV
                         layout <URL>/<Ecosystem>/all.zip: https://, file:// or a directory.
                         Default: $CGUARD_DB_SOURCE, else the public OSV bucket. CVE records
                         are read from <URL>/../cve/cvelist.zip and the CISA KEV catalog from
                         <URL>/../kev/known_exploited_vulnerabilities.json when present.
  import DIR|FILE        the same from a local mirror: DIR holds osv/, cve/ and kev/ (as
                         ../shared/vulndb does), or is itself an OSV layout; FILE is one
                         OSV zip (e.g. osv/Alpine/all.zip), counted under its folder's name
  info                   print what the database holds, when and from what it was built

Options:
  --db FILE              database path (default: $CGUARD_DB, else
                         $XDG_CACHE_HOME/cguard/vuln.db, else ~/.cache/cguard/vuln.db)
  --ecosystems LIST      only these OSV ecosystems, e.g. Debian,Go,npm (update/import)
  --cve URL, --kev URL   explicit CVE zip and KEV catalog locations (update/import)

An update writes a new file beside the old one and renames it into place: scans never see a
half-built database, and an interrupted update leaves the old one.
)";

struct DbCommand {
    std::string action;
    std::string db_path;
    std::string source;
    std::string cve;
    std::string kev;
    std::vector<std::string> ecosystems;
};

std::string parse_options(const std::vector<std::string>& argv, DbCommand& cmd, bool& help) {
    Args args(argv);
    std::string token;
    std::string v;
    while (args.next(token)) {
        if (token == "--help" || token == "-h") {
            help = true;
            return "";
        }
        bool takes_value = token == "--db" || token == "--source" || token == "--cve" ||
                           token == "--kev" || token == "--ecosystems";
        if (takes_value && !args.value(v)) {
            return args.pending_error();
        }
        if (token == "--db") {
            if (v.empty()) {
                return "--db needs a file path";
            }
            cmd.db_path = v;
        } else if (token == "--source") {
            cmd.source = v;
        } else if (token == "--cve") {
            cmd.cve = v;
        } else if (token == "--kev") {
            cmd.kev = v;
        } else if (token == "--ecosystems") {
            cmd.ecosystems = split_list(v);
        } else if (token.rfind("-", 0) == 0) {
            return "unknown option " + token + " (see `cguard db --help`)";
        } else if (cmd.action.empty()) {
            cmd.action = token;
        } else if (cmd.action == "import" && cmd.source.empty()) {
            cmd.source = token;
        } else {
            return "unexpected argument '" + token + "'";
        }
    }
    if (cmd.action.empty()) {
        return "db needs a command: update, import or info (see `cguard db --help`)";
    }
    if (cmd.action != "update" && cmd.action != "import" && cmd.action != "info") {
        return "unknown db command '" + cmd.action + "' (expected update, import or info)";
    }
    if (cmd.action == "import" && cmd.source.empty()) {
        return "db import needs a DIR or FILE (for example ../shared/vulndb)";
    }
    return "";
}

bool is_directory(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

// A mirror laid out like ../shared/vulndb (osv/, cve/, kev/) or a bare OSV layout.
Result<vulndb::BuildOptions> import_options(const DbCommand& cmd) {
    vulndb::BuildOptions options;
    struct stat st {};
    if (::stat(cmd.source.c_str(), &st) == 0 && S_ISREG(st.st_mode)) {
        options.source = std::filesystem::absolute(cmd.source).lexically_normal().string();
        options.osv_files = {options.source};
        return options;
    }
    if (!is_directory(cmd.source)) {
        return make_error(ErrorCode::NotFound, "no such directory or file: " + cmd.source);
    }
    // Absolute, so `db info` names the source meaningfully from any directory.
    std::string dir = std::filesystem::absolute(cmd.source).lexically_normal().string();
    while (dir.size() > 1 && dir.back() == '/') {
        dir.pop_back();
    }
    bool mirror = is_directory(dir + "/osv");
    options.source = mirror ? dir + "/osv" : dir;
    if (mirror) {
        options.cve_source = dir + "/cve/cvelist.zip";
        options.kev_source = dir + "/kev/known_exploited_vulnerabilities.json";
    }
    return options;
}

void print_progress(std::string_view stage, uint64_t done, uint64_t total) {
    if (total > 0) {
        std::fprintf(stderr, "\r\033[K%.*s: %llu/%llu", static_cast<int>(stage.size()),
                     stage.data(), static_cast<unsigned long long>(done),
                     static_cast<unsigned long long>(total));
    } else {
        std::fprintf(stderr, "\r\033[K%.*s: %llu", static_cast<int>(stage.size()), stage.data(),
                     static_cast<unsigned long long>(done));
    }
    std::fflush(stderr);
}

void print_summary(const std::string& path, const vulndb::BuildSummary& s) {
    std::printf("database %s built in %.1f s (%.1f MiB)\n", path.c_str(), s.seconds,
                static_cast<double>(s.db_bytes) / (1024.0 * 1024.0));
    for (const auto& [eco, n] : s.records_per_ecosystem) {
        std::printf("  %-24s %8llu advisories\n", eco.c_str(), static_cast<unsigned long long>(n));
    }
    std::printf("  %-24s %8llu\n", "CVE records", static_cast<unsigned long long>(s.cve_records));
    std::printf("  %-24s %8llu\n", "KEV entries", static_cast<unsigned long long>(s.kev_entries));
    for (const auto& [reason, n] : s.skipped) {
        std::printf("  skipped (%s): %llu\n", reason.c_str(), static_cast<unsigned long long>(n));
    }
    for (const auto& w : s.warnings) {
        std::printf("  warning: %s\n", w.c_str());
    }
}

int print_info(const std::string& path) {
    auto info = vulndb::info(path);
    if (!info) {
        return fail(kExitUsage, info.error().message);
    }
    std::printf("database:  %s\nschema:    %s\nbuilt at:  %s (%lld days ago)\nsource:    %s\n",
                path.c_str(), info->schema_version.c_str(), info->built_at.c_str(),
                static_cast<long long>(info->age_seconds / 86400), info->source.c_str());
    for (const auto& [eco, n] : info->records_per_ecosystem) {
        std::printf("  %-24s %8llu advisories\n", eco.c_str(), static_cast<unsigned long long>(n));
    }
    std::printf("  %-24s %8llu\n", "CVE records",
                static_cast<unsigned long long>(info->cve_records));
    std::printf("  %-24s %8llu\n", "KEV entries",
                static_cast<unsigned long long>(info->kev_entries));
    return kExitOk;
}

}  // namespace

// The public OSV bucket: <base>/<Ecosystem>/all.zip. It has no CVE zip; CVE enrichment then
// comes only from the advisories themselves, which `db info` makes visible.
constexpr const char* kDefaultSource = "https://osv-vulnerabilities.storage.googleapis.com";
constexpr const char* kDefaultKevSource =
    "https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json";

vulndb::BuildOptions update_options(const std::string& source) {
    vulndb::BuildOptions options;
    const char* env = std::getenv("CGUARD_DB_SOURCE");
    options.source = !source.empty() ? source : (env && *env ? env : kDefaultSource);
    if (options.source == kDefaultSource) {
        options.kev_source = kDefaultKevSource;
    }
    return options;
}

int run_db(const std::vector<std::string>& argv) {
    DbCommand cmd;
    bool help = false;
    if (std::string usage = parse_options(argv, cmd, help); !usage.empty()) {
        return fail(kExitUsage, usage);
    }
    if (help) {
        std::fputs(kDbHelp, stdout);
        return kExitOk;
    }
    std::string path = cmd.db_path.empty() ? vulndb::default_db_path() : cmd.db_path;
    if (cmd.action == "info") {
        return print_info(path);
    }

    vulndb::BuildOptions options;
    if (cmd.action == "import") {
        auto made = import_options(cmd);
        if (!made) {
            return fail(kExitUsage, made.error().message);
        }
        options = std::move(*made);
    } else {
        options = update_options(cmd.source);
    }
    if (!cmd.cve.empty()) {
        options.cve_source = cmd.cve;
    }
    if (!cmd.kev.empty()) {
        options.kev_source = cmd.kev;
    }
    options.ecosystems = cmd.ecosystems;
    bool show_progress = ::isatty(STDERR_FILENO);
    if (show_progress) {
        options.on_progress = print_progress;
    }
    auto summary = vulndb::update(path, options);
    if (show_progress) {
        std::fputs("\r\033[K", stderr);
    }
    if (!summary) {
        return fail(summary.error().code == ErrorCode::Internal ? kExitFailure : kExitUsage,
                    summary.error().message);
    }
    print_summary(path, *summary);
    return kExitOk;
}

}  // namespace cguard::cli
