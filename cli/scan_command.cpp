// `cguard scan`: inventory an image, match it against the vulnerability database, filter, and
// write the report. Reads like a list of steps; each step is a small function.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>

#include "cli/cli.h"
#include "common/clock.h"
#include "common/log.h"
#include "report/report.h"
#include "scanner/scanner.h"
#include "vulndb/vulndb.h"

namespace cguard::cli {
namespace {

constexpr const char* kScanHelp = R"(Usage: cguard scan [OPTIONS] TARGET

Inventories a container image and reports the known vulnerabilities of what it contains.

TARGET:
  PATH | docker-archive:PATH   a `docker save` archive (tar, tar.gz or tar.zst)
  oci:DIR[:REF]                an OCI image layout directory (REF: org.opencontainers.image.ref.name)
  oci-archive:PATH[:REF]       a tar of an OCI image layout
  rootfs:DIR                   a root filesystem directory, e.g. rootfs:/ for this machine

Output:
  --format FORMAT      table (default on a terminal), json (default when piped), cyclonedx,
                       spdx (SPDX 2.3 JSON), sarif (SARIF 2.1.0, findings only)
  --output FILE        write the report to FILE instead of stdout
  --no-progress        no progress line on stderr (it is only shown on a terminal anyway)
  --no-unowned         do not hash and list executables that no package owns

Vulnerabilities:
  --db FILE            vulnerability database (default: $CGUARD_DB, else
                       $XDG_CACHE_HOME/cguard/vuln.db); build it with `cguard db update`
                       or `cguard db import DIR`
  --skip-vulns         inventory only: do not open the database
  --db-max-age DAYS    warn when the database is older than this (default 7)
  --update-db          build or refresh the database first when it is missing or older
                       than --db-max-age (feeds: $CGUARD_DB_SOURCE, else the public OSV feeds)
  --severity LIST      report only these severities, e.g. CRITICAL,HIGH
  --ignore-unfixed     report only vulnerabilities that have a fixed version
  --ignore-file FILE   ids to ignore, one per line: `ID [expires=YYYY-MM-DD] [# reason]`
  --exit-code N        exit with N when vulnerabilities remain after filtering (default 0)

Exit status: 0 done; 2 bad usage or unreadable input (one-line reason on stderr);
             N from --exit-code when vulnerabilities remain; 1 internal failure.
)";

struct ScanCommand {
    std::string target;
    std::optional<report::Format> format;
    std::string output;
    bool progress = true;
    bool unowned = true;
    bool skip_vulns = false;
    bool update_db = false;
    std::string db_path;
    int db_max_age_days = 7;
    vulndb::FilterOptions filters;
    std::string ignore_file;
    int exit_code = 0;
};

bool parse_int(const std::string& s, int& out) {
    if (s.empty() || s.size() > 6 || s.find_first_not_of("0123456789") != std::string::npos) {
        return false;
    }
    out = std::stoi(s);
    return true;
}

Result<void> parse_severities(const std::string& list, std::vector<vulndb::Severity>& out) {
    for (const std::string& item : split_list(list)) {
        vulndb::Severity s;
        if (!vulndb::parse_severity(item, s)) {
            return make_error(
                ErrorCode::InvalidArgument,
                "unknown severity '" + item + "' (expected CRITICAL, HIGH, MEDIUM, LOW, UNKNOWN)");
        }
        out.push_back(s);
    }
    return {};
}

// Returns the usage error, or "" when the command line is good. Sets `help` for --help.
std::string parse_options(const std::vector<std::string>& argv, ScanCommand& cmd, bool& help) {
    Args args(argv);
    std::string token;
    std::string v;
    while (args.next(token)) {
        if (token == "--help" || token == "-h") {
            help = true;
            return "";
        }
        bool takes_value = token == "--format" || token == "--output" || token == "--db" ||
                           token == "--db-max-age" || token == "--severity" ||
                           token == "--ignore-file" || token == "--exit-code";
        if (takes_value && !args.value(v)) {
            return args.pending_error();
        }
        if (token == "--format") {
            auto f = report::parse_format(v);
            if (!f) {
                return f.error().message;
            }
            cmd.format = *f;
        } else if (token == "--output") {
            cmd.output = v;
        } else if (token == "--db") {
            if (v.empty()) {
                return "--db needs a file path";
            }
            cmd.db_path = v;
        } else if (token == "--db-max-age") {
            if (!parse_int(v, cmd.db_max_age_days)) {
                return "--db-max-age takes a number of days";
            }
        } else if (token == "--severity") {
            if (auto r = parse_severities(v, cmd.filters.severities); !r) {
                return r.error().message;
            }
        } else if (token == "--ignore-file") {
            cmd.ignore_file = v;
        } else if (token == "--exit-code") {
            if (!parse_int(v, cmd.exit_code) || cmd.exit_code > 255) {
                return "--exit-code takes a number from 0 to 255";
            }
        } else if (token == "--ignore-unfixed") {
            cmd.filters.ignore_unfixed = true;
        } else if (token == "--update-db") {
            cmd.update_db = true;
        } else if (token == "--skip-vulns") {
            cmd.skip_vulns = true;
        } else if (token == "--no-progress") {
            cmd.progress = false;
        } else if (token == "--no-unowned") {
            cmd.unowned = false;
        } else if (token.rfind("-", 0) == 0 && token.size() > 1) {
            return "unknown option " + token + " (see `cguard scan --help`)";
        } else if (cmd.target.empty()) {
            cmd.target = token;
        } else {
            return "more than one TARGET given ('" + cmd.target + "' and '" + token + "')";
        }
    }
    if (cmd.target.empty()) {
        return "scan needs a TARGET (see `cguard scan --help`)";
    }
    return "";
}

// Progress on a terminal: one line rewritten in place, at most a few times a second.
void print_progress(const scanner::Progress& p) {
    double mib = static_cast<double>(p.bytes_read) / (1024.0 * 1024.0);
    if (p.layers_total > 0) {
        // The layer being read, counting from 1; done layers once all are done.
        size_t current = std::min(p.layers_done + 1, p.layers_total);
        std::fprintf(stderr, "\r\033[Kscanning: layer %zu/%zu, %.1f MiB read", current,
                     p.layers_total, mib);
    } else {
        std::fprintf(stderr, "\r\033[Kscanning: %zu layers, %.1f MiB read", p.layers_done, mib);
    }
    std::fflush(stderr);
}

// With --update-db, a missing or stale database is rebuilt before the scan opens it.
Result<void> refresh_database(const ScanCommand& cmd, const std::string& path) {
    auto info = vulndb::info(path);
    if (info && info->age_seconds <= int64_t{cmd.db_max_age_days} * 86400) {
        return {};
    }
    log::event(log::Level::Info, "scan.db_refresh", {{"path", path}});
    auto built = vulndb::update(path, update_options(""));
    if (!built) {
        return forward_error(built.error(), "updating the vulnerability database failed");
    }
    return {};
}

Result<vulndb::Database> open_database(const ScanCommand& cmd) {
    std::string path = cmd.db_path.empty() ? vulndb::default_db_path() : cmd.db_path;
    if (cmd.update_db) {
        if (auto refreshed = refresh_database(cmd, path); !refreshed) {
            return forward_error(refreshed.error());
        }
    }
    auto db = vulndb::Database::open(path);
    if (!db) {
        if (db.error().code == ErrorCode::NotFound) {
            return make_error(ErrorCode::NotFound,
                              "no vulnerability database at " + path +
                                  "; build one with `cguard db update` (public OSV feeds) or "
                                  "`cguard db import DIR` (an offline mirror), pass "
                                  "--update-db to build it now, or pass --skip-vulns for an "
                                  "inventory only");
        }
        return forward_error(db.error(), "cannot open vulnerability database " + path);
    }
    auto info = db->info();
    if (info && info->age_seconds > int64_t{cmd.db_max_age_days} * 86400) {
        log::event(log::Level::Warn, "scan.db_stale",
                   {{"path", path},
                    {"age_days", static_cast<long long>(info->age_seconds / 86400)},
                    {"max_age_days", cmd.db_max_age_days},
                    {"hint", "run `cguard db update`"}});
    }
    return db;
}

// Matching warnings (a release with no data, an unparsable version) join the report's
// warnings: a reader of the table or JSON must see what was not judged.
Result<std::vector<vulndb::Finding>> find_vulnerabilities(const ScanCommand& cmd,
                                                          const vulndb::Database& db,
                                                          scanner::ScanReport& scan) {
    auto matched = db.match(scan);
    if (!matched) {
        return forward_error(matched.error(), "matching failed");
    }
    for (const auto& w : matched->warnings) {
        log::warn_limited("scan.match_warning", {{"message", w}});
        scan.warnings.push_back(w);
    }
    vulndb::FilterOptions filters = cmd.filters;
    filters.today = utc_today();
    if (!cmd.ignore_file.empty()) {
        auto ignores = vulndb::load_ignore_file(cmd.ignore_file);
        if (!ignores) {
            return forward_error(ignores.error(), "ignore file " + cmd.ignore_file);
        }
        filters.ignores = std::move(*ignores);
    }
    auto filtered = vulndb::apply_filters(std::move(matched->findings), filters);
    for (const auto& note : filtered.notes) {
        log::event(log::Level::Warn, "scan.ignore_note", {{"message", note}});
    }
    return std::move(filtered.kept);
}

Result<void> write_report(const ScanCommand& cmd, const report::ReportInput& input) {
    bool to_terminal = cmd.output.empty() && ::isatty(STDOUT_FILENO);
    report::Format format =
        cmd.format.value_or(to_terminal ? report::Format::Table : report::Format::Json);
    if (cmd.output.empty()) {
        auto r = report::write(format, input, std::cout);
        std::cout.flush();
        return r;
    }
    std::ofstream file(cmd.output, std::ios::binary | std::ios::trunc);
    if (!file) {
        return make_error(ErrorCode::Io, "cannot write " + cmd.output);
    }
    auto r = report::write(format, input, file);
    file.close();
    if (r && !file) {
        return make_error(ErrorCode::Io, "writing " + cmd.output + " failed");
    }
    return r;
}

int exit_status_for(const Error& e) {
    return e.code == ErrorCode::Internal ? kExitFailure : kExitUsage;
}

}  // namespace

int run_scan(const std::vector<std::string>& argv) {
    ScanCommand cmd;
    bool help = false;
    if (std::string usage = parse_options(argv, cmd, help); !usage.empty()) {
        return fail(kExitUsage, usage);
    }
    if (help) {
        std::fputs(kScanHelp, stdout);
        return kExitOk;
    }

    // Open the database first: a missing one should not cost a whole image read.
    std::optional<vulndb::Database> db;
    if (!cmd.skip_vulns) {
        auto opened = open_database(cmd);
        if (!opened) {
            return fail(exit_status_for(opened.error()), opened.error().message);
        }
        db.emplace(std::move(*opened));
    }

    scanner::ScanOptions options;
    options.unowned_files = cmd.unowned;
    bool show_progress = cmd.progress && ::isatty(STDERR_FILENO);
    if (show_progress) {
        options.on_progress = print_progress;
    }
    auto started = std::chrono::steady_clock::now();
    auto scan = scanner::scan(cmd.target, options);
    if (show_progress) {
        std::fputs("\r\033[K", stderr);
    }
    if (!scan) {
        return fail(exit_status_for(scan.error()), scan.error().message);
    }

    std::optional<std::vector<vulndb::Finding>> findings;
    if (db) {
        auto found = find_vulnerabilities(cmd, *db, *scan);
        if (!found) {
            return fail(exit_status_for(found.error()), found.error().message);
        }
        findings.emplace(std::move(*found));
    }
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                  std::chrono::steady_clock::now() - started)
                  .count();
    log::event(log::Level::Info, "scan.reported",
               {{"image", scan->artifact.name},
                {"digest", scan->artifact.digest},
                {"packages", scan->packages.size()},
                {"vulnerabilities", findings ? findings->size() : size_t{0}},
                {"warnings", scan->warnings.size()},
                {"duration_ms", static_cast<long long>(ms)}});

    report::ReportInput input;
    input.scan = &*scan;
    input.findings = findings ? &*findings : nullptr;
    input.tool_version = CGUARD_VERSION;
    input.created = utc_now_rfc3339();
    if (auto written = write_report(cmd, input); !written) {
        return fail(kExitUsage, written.error().message);
    }
    if (findings && !findings->empty() && cmd.exit_code != 0) {
        return cmd.exit_code;
    }
    return kExitOk;
}

}  // namespace cguard::cli
