#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <string>

#include "common/clock.h"
#include "common/log.h"
#include "vulndb/detail/ecosystem.h"
#include "vulndb/detail/feed.h"
#include "vulndb/detail/importer.h"
#include "vulndb/vulndb.h"

namespace cguard::vulndb {
namespace {

namespace fs = std::filesystem;
using detail::Connection;

Result<void> fsync_path(const std::string& path, int flags) {
    int fd = ::open(path.c_str(), flags | O_CLOEXEC);
    if (fd < 0) {
        return make_error(ErrorCode::Io, "open " + path + " for fsync failed");
    }
    int rc = ::fsync(fd);
    ::close(fd);
    if (rc != 0) {
        return make_error(ErrorCode::Io, "fsync " + path + " failed");
    }
    return {};
}

// Removes the temporary file unless released: every early return of a build leaves the old
// database untouched and no half-built file behind.
class TempFileGuard {
public:
    explicit TempFileGuard(std::string path) : path_(std::move(path)) {}
    ~TempFileGuard() {
        if (!path_.empty()) {
            std::error_code ec;
            fs::remove(path_, ec);
        }
    }
    void release() { path_.clear(); }

private:
    std::string path_;
};

Result<Connection> open_new_db(const std::string& path) {
    auto db = Connection::open(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    if (!db) {
        return db;
    }
    // The file is private until renamed, so durability is handled by one fsync at the end.
    auto pragmas = db->exec(
        "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA page_size=8192;"
        "PRAGMA cache_size=-65536; PRAGMA locking_mode=EXCLUSIVE;");
    if (!pragmas) {
        return forward_error(pragmas.error());
    }
    if (auto tables = detail::create_tables(*db); !tables) {
        return forward_error(tables.error());
    }
    return db;
}

void note_missing(const std::string& what, const Error& e, BuildSummary& summary,
                  log::Level level = log::Level::Warn) {
    summary.warnings.push_back(what + " not imported: " + e.message);
    log::event(level, "vulndb.feed_missing",
               {{"feed", what}, {"error_code", error_code_name(e.code)}, {"error", e.message}});
}

// `db import FILE`: the named zips only; a file that cannot be read ends the build, since the
// user asked for exactly it.
Result<void> import_files(detail::Importer& importer, const std::vector<std::string>& files,
                          BuildSummary& summary) {
    for (const auto& file : files) {
        std::string feed = fs::path(file).parent_path().filename().string();
        if (auto r = importer.import_osv(feed.empty() ? "OSV" : feed, file, summary); !r) {
            return r;
        }
    }
    return {};
}

// Imports every feed; NotFound for one feed is a warning, other errors end the build.
Result<void> import_all(detail::Importer& importer, const BuildOptions& options,
                        BuildSummary& summary) {
    std::string parent = detail::parent_source(options.source);
    auto beside = [&](const std::string& explicit_source, const char* name) {
        if (!explicit_source.empty() || parent.empty()) {
            return explicit_source;
        }
        return detail::join_source(parent, name);
    };
    std::string kev = beside(options.kev_source, "kev/known_exploited_vulnerabilities.json");
    std::string cve = beside(options.cve_source, "cve/cvelist.zip");
    Error no_source{ErrorCode::NotFound, "no location given and none beside " + options.source};
    if (kev.empty()) {
        note_missing("KEV catalog", no_source, summary);
    } else if (auto r = importer.import_kev(kev, summary); !r) {
        note_missing("KEV catalog", r.error(), summary);
    }
    if (cve.empty()) {
        note_missing("CVE records", no_source, summary);
    } else if (auto r = importer.import_cve(cve, summary); !r) {
        if (r.error().code != ErrorCode::NotFound && r.error().code != ErrorCode::Corrupt) {
            return r;
        }
        note_missing("CVE records", r.error(), summary);
    }

    if (!options.osv_files.empty()) {
        return import_files(importer, options.osv_files, summary);
    }
    const auto& feeds = options.ecosystems.empty() ? detail::known_feeds() : options.ecosystems;
    size_t imported = 0;
    std::string absent;  // a mirror rarely carries every ecosystem: one line for all of them
    for (const auto& feed : feeds) {
        std::string url = detail::join_source(detail::join_source(options.source, feed), "all.zip");
        if (auto r = importer.import_osv(feed, url, summary); !r) {
            ErrorCode code = r.error().code;
            if (code == ErrorCode::Network || code == ErrorCode::Database ||
                code == ErrorCode::Io) {
                return r;
            }
            if (code == ErrorCode::NotFound) {
                absent += (absent.empty() ? "" : ", ") + feed;
                continue;
            }
            // A damaged archive keeps the records read before the damage.
            note_missing("OSV feed " + feed, r.error(), summary);
            ++imported;
            continue;
        }
        ++imported;
        if (options.on_progress) {
            options.on_progress(feed, summary.records_per_ecosystem[feed], 0);
        }
    }
    if (imported == 0) {
        return make_error(ErrorCode::NotFound, "no OSV feed could be read from " + options.source);
    }
    if (!absent.empty()) {
        // Expected of a partial mirror, and listed in the summary: not worth a warning.
        note_missing("OSV feeds", Error{ErrorCode::NotFound, "not in the source: " + absent},
                     summary, log::Level::Info);
    }
    return {};
}

Result<void> finish_db(Connection& db, const BuildOptions& options, BuildSummary& summary) {
    if (auto r = detail::create_indexes(db); !r) {
        return r;
    }
    if (auto r = detail::write_meta(db, summary, options.source, utc_now_rfc3339()); !r) {
        return r;
    }
    if (auto r = db.exec("COMMIT"); !r) {
        return r;
    }
    return db.exec("ANALYZE");
}

}  // namespace

Result<BuildSummary> update(const std::string& db_path, const BuildOptions& options) {
    auto started = std::chrono::steady_clock::now();
    if (options.source.empty() || db_path.empty()) {
        return make_error(ErrorCode::InvalidArgument, "update needs a source and a database path");
    }
    // The new file is renamed over db_path: as root, `--db /dev/null` would replace the device.
    if (struct stat st{}; ::stat(db_path.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) {
        return make_error(ErrorCode::InvalidArgument,
                          db_path + " exists and is not a regular file; refusing to replace it");
    }
    fs::path target(db_path);
    std::error_code ec;
    if (target.has_parent_path()) {
        fs::create_directories(target.parent_path(), ec);
        if (ec) {
            return make_error(ErrorCode::Io, "cannot create " + target.parent_path().string() +
                                                 ": " + ec.message());
        }
    }
    std::string temp = db_path + ".tmp-" + std::to_string(::getpid());
    fs::remove(temp, ec);
    TempFileGuard guard(temp);

    BuildSummary summary;
    {
        auto db = open_new_db(temp);
        if (!db) {
            return forward_error(db.error());
        }
        auto importer = detail::Importer::create(*db, options);
        if (!importer) {
            return forward_error(importer.error());
        }
        if (auto r = db->exec("BEGIN"); !r) {
            return forward_error(r.error());
        }
        if (auto r = import_all(*importer, options, summary); !r) {
            return forward_error(r.error());
        }
        if (auto r = finish_db(*db, options, summary); !r) {
            return forward_error(r.error());
        }
    }
    if (auto r = fsync_path(temp, O_RDONLY); !r) {
        return forward_error(r.error());
    }
    if (std::rename(temp.c_str(), db_path.c_str()) != 0) {
        return make_error(ErrorCode::Io, "rename " + temp + " -> " + db_path + " failed");
    }
    guard.release();
    std::string dir = target.has_parent_path() ? target.parent_path().string() : ".";
    (void)fsync_path(dir, O_RDONLY | O_DIRECTORY);  // best effort: some filesystems refuse it

    summary.db_bytes = fs::file_size(db_path, ec);
    summary.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    log::event(log::Level::Info, "vulndb.updated",
               {{"db", db_path},
                {"source", options.source},
                {"cve_records", summary.cve_records},
                {"duration_ms", static_cast<long long>(summary.seconds * 1000)}});
    return summary;
}

}  // namespace cguard::vulndb
