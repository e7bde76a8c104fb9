// The `cguard` command line as a user meets it: help, usage errors, and the database options
// that tie `scan` to `db`.
#include <catch2/catch.hpp>
#include <string>

#include "tests/e2e_support.h"

namespace {

using cguard::test::CommandResult;
using cguard::test::first_line;
using cguard::test::run;
using cguard::test::run_cguard;
using cguard::test::shell_quote;
using cguard::test::TempDir;

std::string alpine_fixture(const std::string& shared) {
    return shared + "/fixtures/images/alpine-3.10.docker-save.tar.gz";
}

}  // namespace

TEST_CASE("every command explains itself with --help and exits 0", "[integration][cli]") {
    for (const char* args : {"--help", "scan --help", "db --help"}) {
        CommandResult r = run_cguard(args);
        INFO(args);
        CHECK(r.exit_code == 0);
        CHECK(r.out.find("Usage: cguard") != std::string::npos);
    }
    CHECK(run_cguard("version").out.rfind("cguard ", 0) == 0);
}

TEST_CASE("usage errors exit 2 with one line naming the problem", "[integration][cli]") {
    struct Case {
        const char* args;
        const char* says;
    };
    const Case cases[] = {
        {"", "Usage"},
        {"frobnicate", "unknown command 'frobnicate'"},
        {"scan", "scan needs a TARGET"},
        {"scan --bogus x", "unknown option --bogus"},
        {"scan --format xml x", "unknown format 'xml'"},
        {"scan --severity urgent x", "unknown severity 'urgent'"},
        {"scan --exit-code 999 x", "--exit-code takes a number"},
        {"scan a b", "more than one TARGET"},
        {"scan --output", "needs a value"},
        {"db", "db needs a command"},
        {"scan --db '' x", "--db needs a file path"},
        {"db info --db=", "--db needs a file path"},
        {"db import", "db import needs a DIR or FILE"},
        {"db import /nonexistent-dir", "no such directory or file"},
        {"--log-level loud scan x", "unknown log level"},
    };
    for (const auto& c : cases) {
        CommandResult r = run_cguard(c.args);
        INFO("cguard " << c.args << " -> " << r.err);
        CHECK(r.exit_code == 2);
        CHECK(r.err.find(c.says) != std::string::npos);
    }
}

TEST_CASE("a scan without a database says how to get one instead of reporting nothing",
          "[integration][cli]") {
    CGUARD_REQUIRE_SHARED(shared);
    TempDir dir;
    std::string db = dir.path() + "/none.db";
    CommandResult r = run_cguard("scan --db " + db + " " + shell_quote(alpine_fixture(shared)));
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
    CHECK(r.err.find("cguard db update") != std::string::npos);
    CHECK(r.err.find("--skip-vulns") != std::string::npos);
}

TEST_CASE("scan --update-db builds a missing database from CGUARD_DB_SOURCE first",
          "[integration][cli]") {
    CGUARD_REQUIRE_SHARED(shared);
    TempDir dir;
    std::string db = dir.path() + "/cache/vuln.db";
    CommandResult r = run("CGUARD_DB_SOURCE=" + shell_quote(shared + "/vulndb/osv") + " " +
                          shell_quote(cguard::test::cguard_binary()) + " scan --db " + db +
                          " --update-db --format json " + shell_quote(alpine_fixture(shared)));
    INFO(first_line(r.err));
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.find("\"vulnerabilities\"") != std::string::npos);

    CommandResult info = run_cguard("db info --db " + db);
    CHECK(info.exit_code == 0);
    CHECK(info.out.find("Alpine") != std::string::npos);
    CHECK(info.out.find("KEV entries") != std::string::npos);
}

TEST_CASE("a stale database is named in a warning but still used", "[integration][cli]") {
    CGUARD_REQUIRE_SHARED(shared);
    TempDir dir;
    std::string db = dir.path() + "/vuln.db";
    REQUIRE(run_cguard("db import " + shell_quote(shared + "/vulndb") + " --db " + db +
                       " --ecosystems Alpine")
                .exit_code == 0);
    // Age the database by rewriting its build time, as a week-old file would carry.
    REQUIRE(run("sqlite3 " + db +
                " \"UPDATE meta SET value='2020-01-01T00:00:00Z' WHERE key='built_at'\"")
                .exit_code == 0);
    CommandResult r =
        run_cguard("scan --db " + db + " --format json " + shell_quote(alpine_fixture(shared)));
    CHECK(r.exit_code == 0);
    CHECK(r.err.find("scan.db_stale") != std::string::npos);
    CHECK(r.out.find("\"vulnerabilities\"") != std::string::npos);
}

TEST_CASE("db import FILE imports one OSV zip under its folder's name", "[integration][cli]") {
    CGUARD_REQUIRE_SHARED(shared);
    TempDir dir;
    std::string db = dir.path() + "/vuln.db";
    CommandResult r = run_cguard("db import " + shell_quote(shared + "/vulndb/osv/Alpine/all.zip") +
                                 " --db " + db);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CommandResult info = run_cguard("db info --db " + db);
    CHECK(info.out.find("Alpine") != std::string::npos);
    CHECK(info.out.find("Debian") == std::string::npos);
}
