#include <signal.h>
#include <unistd.h>
#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <thread>

#include "tests/test_support.h"
#include "vulndb/detail/test_db.h"
#include "vulndb/vulndb.h"

using namespace cguard;
using namespace cguard::vulndb;

namespace cguard::vulndb::test {
namespace {
BuildSummary g_summary;
}

const std::string& full_db_path() {
    static const std::string path = [] {
        std::string shared = cguard::test::shared_dir();
        if (shared.empty()) {
            return std::string();
        }
        static cguard::test::TempDir dir;
        std::string db = dir.path() + "/cache/vuln.db";
        BuildOptions options;
        options.source = shared + "/vulndb/osv";
        auto summary = update(db, options);
        if (!summary) {
            FAIL("full import failed: " << summary.error().message);
        }
        g_summary = *summary;
        std::string skipped;
        for (const auto& [reason, count] : summary->skipped) {
            skipped += " " + reason + "=" + std::to_string(count);
        }
        WARN("full import: " << summary->seconds << " s, " << summary->db_bytes / 1024 / 1024
                             << " MiB, " << summary->cve_records
                             << " CVE records, skipped:" << skipped);
        return db;
    }();
    return path;
}

const BuildSummary& full_db_summary() {
    return g_summary;
}

}  // namespace cguard::vulndb::test

namespace {

// Writes `<dir>/osv/<feed>/all.zip` holding `members` (name -> content) with python3's zipfile.
void write_zip(const std::string& dir, const std::string& feed,
               const std::vector<std::pair<std::string, std::string>>& members) {
    std::string folder = dir + "/osv/" + feed;
    std::filesystem::create_directories(folder);
    std::string script = "import zipfile,sys\nz=zipfile.ZipFile(sys.argv[1],'w')\n";
    for (size_t i = 0; i < members.size(); ++i) {
        std::string file = dir + "/member" + std::to_string(i);
        cguard::test::write_file(file, members[i].second);
        script += "z.write('" + file + "', '" + members[i].first + "')\n";
    }
    script += "z.close()\n";
    cguard::test::write_file(dir + "/mkzip.py", script);
    auto r = cguard::test::run("python3 " + dir + "/mkzip.py '" + folder + "/all.zip'");
    REQUIRE(r.exit_code == 0);
}

std::string npm_record(const std::string& id, const std::string& name, const std::string& fixed) {
    return R"({"id": ")" + id + R"(", "summary": "s", "affected": [{"package": {"ecosystem":
        "npm", "name": ")" +
           name + R"("}, "ranges": [{"type": "SEMVER", "events": [
        {"introduced": "0"}, {"fixed": ")" +
           fixed + R"("}]}]}]})";
}

}  // namespace

TEST_CASE("imports every shared feed and records counts, time and source", "[vulndb]") {
    const std::string& db = vulndb::test::full_db_path();
    if (db.empty()) {
        WARN("skipped: ../shared is not present");
        return;
    }
    const BuildSummary& summary = vulndb::test::full_db_summary();
    CHECK(summary.cve_records > 40000);
    CHECK(summary.kev_entries > 1000);
    CHECK(summary.seconds < 60);

    auto info = vulndb::info(db);
    REQUIRE(info);
    CHECK(info->schema_version == "1");
    CHECK(info->source.find("vulndb/osv") != std::string::npos);
    CHECK(info->built_at.size() == 20);
    CHECK(info->age_seconds >= 0);
    CHECK(info->age_seconds < 3600);
    CHECK(info->cve_records == summary.cve_records);
    for (const auto& [feed, minimum] : std::map<std::string, uint64_t>{{"Debian", 8000},
                                                                       {"Alpine", 2400},
                                                                       {"AlmaLinux", 5000},
                                                                       {"Go", 4000},
                                                                       {"PyPI", 2500},
                                                                       {"crates.io", 1100},
                                                                       {"Bitnami", 7000},
                                                                       {"npm", 400}}) {
        INFO(feed);
        CHECK(info->records_per_ecosystem[feed] >= minimum);
        CHECK(info->records_per_ecosystem[feed] == summary.records_per_ecosystem.at(feed));
    }
    CHECK_FALSE(summary.warnings.empty());  // feeds we inventory but the mirror lacks (Ubuntu, ...)
}

TEST_CASE("counts and skips bad records without failing the import", "[vulndb]") {
    cguard::test::TempDir dir;
    write_zip(dir.path(), "npm",
              {{"good.json", npm_record("GOOD-1", "lodash", "4.17.5")},
               {"bad.json", "{ not json"},
               {"noid.json", R"({"summary": "x"})"},
               {"dup.json", npm_record("GOOD-1", "lodash", "4.17.6")},
               {"withdrawn.json", R"({"id": "W-1", "withdrawn": "2020-01-01T00:00:00Z",
                    "affected": [{"package": {"ecosystem": "npm", "name": "x"}}]})"},
               {"eco.json", R"({"id": "E-1", "affected": [{"package": {"ecosystem": "Hackage",
                    "name": "x"}, "versions": ["1"]}]})"},
               {"ver.json", npm_record("V-1", "qs", "not..a..version")},
               {"README.md", "not a record"}});
    BuildOptions options;
    options.source = dir.path() + "/osv";
    options.ecosystems = {"npm"};
    auto summary = update(dir.path() + "/vuln.db", options);
    REQUIRE(summary);
    CHECK(summary->records_per_ecosystem["npm"] == 1);
    CHECK(summary->skipped["unparsable"] == 2);
    CHECK(summary->skipped["duplicate"] == 1);
    CHECK(summary->skipped["withdrawn"] == 1);
    CHECK(summary->skipped["unknown_ecosystem"] == 1);
    CHECK(summary->skipped["bad_version"] == 1);
    CHECK(summary->warnings.size() == 2);  // no CVE list, no KEV catalog beside this mirror
}

TEST_CASE("fails with NotFound when no feed at all can be read", "[vulndb]") {
    cguard::test::TempDir dir;
    BuildOptions options;
    options.source = dir.path() + "/nothing-here";
    auto summary = update(dir.path() + "/vuln.db", options);
    REQUIRE_FALSE(summary);
    CHECK(summary.error().code == ErrorCode::NotFound);
    CHECK_FALSE(std::filesystem::exists(dir.path() + "/vuln.db"));
    CHECK(std::filesystem::is_empty(dir.path()));  // no temporary file left behind
}

TEST_CASE("replaces the database atomically: readers see the old one until the swap", "[vulndb]") {
    cguard::test::TempDir dir;
    std::string db = dir.path() + "/vuln.db";
    write_zip(dir.path() + "/v1", "npm", {{"a.json", npm_record("A-1", "lodash", "4.17.5")}});
    write_zip(dir.path() + "/v2", "npm",
              {{"a.json", npm_record("A-1", "lodash", "4.17.5")},
               {"b.json", npm_record("B-1", "qs", "6.0.4")}});
    BuildOptions options;
    options.ecosystems = {"npm"};
    options.source = dir.path() + "/v1/osv";
    REQUIRE(update(db, options));
    auto old_db = Database::open(db);
    REQUIRE(old_db);

    size_t checks = 0;
    options.source = dir.path() + "/v2/osv";
    options.on_progress = [&](std::string_view, uint64_t, uint64_t) {
        auto during = vulndb::info(db);
        REQUIRE(during);
        CHECK(during->records_per_ecosystem["npm"] == 1);
        ++checks;
    };
    auto summary = update(db, options);
    REQUIRE(summary);
    CHECK(checks > 0);
    CHECK(vulndb::info(db)->records_per_ecosystem["npm"] == 2);
    CHECK(old_db->info()->records_per_ecosystem["npm"] == 1);  // an open reader keeps its view

    options.on_progress = nullptr;
    options.source = dir.path() + "/gone/osv";
    REQUIRE_FALSE(update(db, options));
    CHECK(vulndb::info(db)->records_per_ecosystem["npm"] == 2);  // a failed build changes nothing
}

TEST_CASE("opening something that is not a cguard database fails clearly", "[vulndb]") {
    cguard::test::TempDir dir;
    auto missing = Database::open(dir.path() + "/none.db");
    REQUIRE_FALSE(missing);
    CHECK(missing.error().code == ErrorCode::NotFound);
    cguard::test::write_file(dir.path() + "/junk.db", std::string(4096, 'x'));
    auto junk = Database::open(dir.path() + "/junk.db");
    REQUIRE_FALSE(junk);
    CHECK(junk.error().code == ErrorCode::Database);
}

TEST_CASE("fetches feeds over HTTP from a loopback mirror", "[vulndb]") {
    CGUARD_REQUIRE_SHARED(shared);
    cguard::test::TempDir dir;
    std::string log = dir.path() + "/http.log";
    auto started = cguard::test::run("python3 -u -m http.server 0 --bind 127.0.0.1 --directory '" +
                                     shared + "/vulndb' >'" + log + "' 2>&1 & echo $!");
    REQUIRE(started.exit_code == 0);
    pid_t pid = std::stoi(started.out);
    std::string port;
    for (int i = 0; i < 100 && port.empty(); ++i) {
        std::string text = cguard::test::read_file(log);
        size_t at = text.find(" port ");
        if (at != std::string::npos) {
            port = text.substr(at + 6, text.find(' ', at + 6) - at - 6);
        } else {
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
    }
    REQUIRE_FALSE(port.empty());

    BuildOptions options;
    options.source = "http://127.0.0.1:" + port + "/osv/";
    options.cve_source = "http://127.0.0.1:" + port + "/cve/missing.zip";
    options.ecosystems = {"npm", "Alpine", "Red Hat"};
    auto summary = update(dir.path() + "/vuln.db", options);
    ::kill(pid, SIGTERM);
    REQUIRE(summary);
    CHECK(summary->records_per_ecosystem["npm"] >= 400);
    CHECK(summary->records_per_ecosystem["Alpine"] >= 2400);
    CHECK(summary->kev_entries > 1000);    // default: <base>/../kev/...
    CHECK(summary->warnings.size() == 2);  // missing CVE list (404), missing Red Hat feed
    CHECK(vulndb::info(dir.path() + "/vuln.db")->source == options.source);
}
