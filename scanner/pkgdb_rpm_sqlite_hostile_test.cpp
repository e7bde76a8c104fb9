// An rpmdb.sqlite is attacker-controlled: its schema, not only its rows. These databases are
// made with python3's sqlite3 module so each one is exactly the hostile schema it describes.
#include <catch2/catch.hpp>
#include <chrono>
#include <string>

#include "scanner/detail/os_packages.h"
#include "tests/test_support.h"

namespace {

std::string make_db(const std::string& dir, const std::string& schema) {
    std::string path = dir + "/rpmdb.sqlite";
    auto made = cguard::test::run("python3 -c \"import sqlite3; c = sqlite3.connect('" + path +
                                  "'); c.executescript('''" + schema + "'''); c.commit()\"");
    REQUIRE(made.exit_code == 0);
    return cguard::test::read_file(path);
}

}  // namespace

TEST_CASE("an rpm sqlite database whose Packages is not a plain table is refused",
          "[scanner][pkgdb]") {
    // Unchecked, the view (with an unbounded CTE and 10 MB rows) grew past 8 GB from a 4 KiB
    // file; here the CTE is bounded so a regression shows as a failed check, not an OOM.
    auto schema = GENERATE(
        std::string("CREATE VIEW Packages AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT "
                    "x + 1 FROM c WHERE x < 200) SELECT x AS hnum, zeroblob(100000) AS blob "
                    "FROM c;"),
        std::string("CREATE TABLE Packages (hnum INTEGER, blob BLOB DEFAULT (zeroblob(100000)));"
                    "INSERT INTO Packages (hnum) VALUES (1), (2), (3);"),
        std::string("CREATE TABLE Packages (hnum INTEGER PRIMARY KEY, blob BLOB GENERATED "
                    "ALWAYS AS (zeroblob(100000)) VIRTUAL, x);"
                    "INSERT INTO Packages (hnum) VALUES (1);"));
    cguard::test::TempDir dir;
    std::string data = make_db(dir.path(), schema);
    auto start = std::chrono::steady_clock::now();
    auto list = cguard::scanner::detail::parse_rpm_sqlite(data);
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
    CHECK(list.packages.empty());
    REQUIRE(list.warnings.size() == 1);
    CHECK(list.warnings[0].find("not rpm's (hnum, blob) table") != std::string::npos);
}
