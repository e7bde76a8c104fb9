#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

#include "scanner/detail/os_packages.h"
#include "scanner/pkgdb_test_util.h"
#include "tests/test_support.h"

using cguard::scanner::detail::OsPackage;
using cguard::scanner::detail::OsPackageList;
using cguard::scanner::detail::parse_rpm_header;
using cguard::scanner::detail::parse_rpm_ndb;
using cguard::scanner::detail::parse_rpm_sqlite;
using cguard::scanner::test_util::for_each_damaged;
using cguard::scanner::test_util::HeaderBuilder;
using cguard::scanner::test_util::make_package_header;
using cguard::scanner::test_util::rpm_rows;
using cguard::scanner::test_util::tsv_rows;

namespace {

const OsPackage* find_package(const OsPackageList& list, const std::string& name) {
    auto it = std::find_if(list.packages.begin(), list.packages.end(),
                           [&](const OsPackage& p) { return p.package.name == name; });
    return it == list.packages.end() ? nullptr : &*it;
}

bool owns(const OsPackage& package, const std::string& path) {
    return std::find(package.files.begin(), package.files.end(), path) != package.files.end();
}

}  // namespace

TEST_CASE("rpm sqlite parse matches rpm -qa on the CBL-Mariner database", "[scanner][pkgdb]") {
    CGUARD_REQUIRE_SHARED(shared);
    const std::string path = shared + "/fixtures/pkgdb/rpm/cbl-mariner-2.0.rpmdb.sqlite";
    auto list = parse_rpm_sqlite(cguard::test::read_file(path));

    CHECK(list.warnings.empty());
    CHECK(rpm_rows(list) == tsv_rows(cguard::test::read_file(path + ".expected.tsv")));
    const OsPackage* base = find_package(list, "ca-certificates-base");
    REQUIRE(base != nullptr);
    CHECK(base->package.version == "1:2.0.0-1.cm2");
    CHECK(base->package.source_version == "1:2.0.0-1.cm2");
    const OsPackage* bash = find_package(list, "bash");
    REQUIRE(bash != nullptr);
    CHECK(bash->package.type == "rpm");
    CHECK(owns(*bash, "bin/bash"));
    CHECK(bash->files.size() == 67);
}

TEST_CASE("rpm ndb parse matches the SLE 15 BCI database", "[scanner][pkgdb]") {
    CGUARD_REQUIRE_SHARED(shared);
    const std::string path = shared + "/fixtures/pkgdb/rpm/sle15-bci.Packages.db";
    auto list = parse_rpm_ndb(cguard::test::read_file(path));

    CHECK(list.warnings.empty());
    CHECK(rpm_rows(list) == tsv_rows(cguard::test::read_file(path + ".expected.tsv")));
    const OsPackage* bash = find_package(list, "bash");
    REQUIRE(bash != nullptr);
    CHECK(bash->package.source_name == "bash");
    CHECK(bash->package.source_version == "4.4-19.6.1");
    CHECK(owns(*bash, "usr/bin/bash"));
}

TEST_CASE("rpm databases of the wrong kind give a warning and no packages", "[scanner][pkgdb]") {
    CGUARD_REQUIRE_SHARED(shared);
    const std::string dir = shared + "/fixtures/pkgdb/rpm/";
    const std::string sqlite = cguard::test::read_file(dir + "cbl-mariner-2.0.rpmdb.sqlite");
    const std::string ndb = cguard::test::read_file(dir + "sle15-bci.Packages.db");
    for (const OsPackageList& list :
         {parse_rpm_ndb(sqlite), parse_rpm_sqlite(ndb), parse_rpm_sqlite(""), parse_rpm_ndb("")}) {
        CHECK(list.packages.empty());
        CHECK(list.warnings.size() == 1);
    }
}

TEST_CASE("rpm header parsing follows rpm's version and file name rules", "[scanner][pkgdb]") {
    OsPackage out;
    std::string epoch;

    SECTION("an epoch of 0 is printed, as rpm's %{EVR} does") {
        REQUIRE(
            parse_rpm_header(make_package_header("zlib", "1.2.11", "40.el9", 0, {}), out, &epoch));
        CHECK(epoch == "0");
        CHECK(out.package.version == "0:1.2.11-40.el9");
        CHECK(out.package.source_version == "0:1.2.11-40.el9");
    }
    SECTION("no epoch tag means no epoch") {
        REQUIRE(
            parse_rpm_header(make_package_header("zlib", "1.2.11", "40.el9", -1, {}), out, &epoch));
        CHECK(epoch.empty());
        CHECK(out.package.version == "1.2.11-40.el9");
    }
    SECTION("split file names are joined and lose their leading slash") {
        REQUIRE(parse_rpm_header(
            make_package_header("coreutils", "8.32", "1", -1,
                                {"/usr/bin/ls", "/usr/bin/cat", "/usr/share/doc/coreutils"}),
            out));
        CHECK(out.files ==
              std::vector<std::string>{"usr/bin/ls", "usr/bin/cat", "usr/share/doc/coreutils"});
    }
    SECTION("legacy OLDFILENAMES are read when there are no BASENAMES") {
        HeaderBuilder b;
        b.string(1000, "old").string(1001, "1").string(1002, "1");
        b.strings(1027, {"/bin/old", "/etc/old.conf"});
        REQUIRE(parse_rpm_header(b.build(), out));
        CHECK(out.files == std::vector<std::string>{"bin/old", "etc/old.conf"});
    }
    SECTION("gpg-pubkey pseudo-packages are listed, as rpm -qa lists them") {
        HeaderBuilder b;
        b.string(1000, "gpg-pubkey").string(1001, "fd431d51").string(1002, "4ae0493b");
        REQUIRE(parse_rpm_header(b.build(), out));
        CHECK(out.package.version == "fd431d51-4ae0493b");
        CHECK(out.package.source_name == "gpg-pubkey");
        CHECK(out.package.arch.empty());
    }
    SECTION("a later duplicate entry (dribble) overrides the region's") {
        HeaderBuilder b;
        b.string(1000, "pkg").string(1001, "1.0").string(1002, "1").string(1001, "2.0");
        REQUIRE(parse_rpm_header(b.build(), out));
        CHECK(out.package.version == "2.0-1");
    }
    SECTION("offsets and counts beyond the data store are rejected, not followed") {
        HeaderBuilder b;
        b.string(1000, "pkg").raw_entry(1001, 6, 0x7fffffff, 1);
        CHECK_FALSE(parse_rpm_header(b.build(), out));
        HeaderBuilder files;
        files.string(1000, "pkg").string(1001, "1").raw_entry(1117, 8, 0, 0xffffffff);
        REQUIRE(parse_rpm_header(files.build(), out));
        CHECK(out.files.empty());
        CHECK_FALSE(parse_rpm_header(std::string("\xff\xff\xff\xff\0\0\0\0", 8), out));
        CHECK_FALSE(parse_rpm_header("", out));
    }
}

TEST_CASE("rpm parsers survive truncated and bit-flipped real databases", "[scanner][pkgdb]") {
    CGUARD_REQUIRE_SHARED(shared);
    const std::string dir = shared + "/fixtures/pkgdb/rpm/";
    const std::string ndb = cguard::test::read_file(dir + "sle15-bci.Packages.db");
    for_each_damaged(ndb, 150, 3, [](const std::string& damaged) {
        auto list = parse_rpm_ndb(damaged);
        CHECK(list.packages.size() <= 35);
    });
    // A database cut in half keeps the packages whose blobs are still whole, and says so.
    auto half = parse_rpm_ndb(ndb.substr(0, ndb.size() / 2));
    CHECK(half.packages.size() > 5);
    CHECK(half.packages.size() < 35);
    CHECK(!half.warnings.empty());

    const std::string sqlite = cguard::test::read_file(dir + "cbl-mariner-2.0.rpmdb.sqlite");
    for_each_damaged(sqlite, 40, 5, [](const std::string& damaged) {
        auto list = parse_rpm_sqlite(damaged);
        CHECK(list.packages.size() <= 129);
    });
}
