#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

#include "scanner/detail/os_packages.h"
#include "scanner/pkgdb_test_util.h"
#include "tests/test_support.h"

using cguard::scanner::detail::OsPackage;
using cguard::scanner::detail::parse_apk_installed;
using cguard::scanner::test_util::for_each_damaged;
using cguard::scanner::test_util::tsv_rows;

TEST_CASE("apk installed parse matches the fixture and skips the stanza without a version",
          "[scanner][pkgdb]") {
    CGUARD_REQUIRE_SHARED(shared);
    const std::string dir = shared + "/fixtures/pkgdb/apk/";
    auto list = parse_apk_installed(cguard::test::read_file(dir + "installed"));

    std::vector<std::string> rows;
    for (const OsPackage& p : list.packages) {
        CHECK(p.package.type == "apk");
        CHECK(p.package.source_version == p.package.version);
        rows.push_back(p.package.name + "\t" + p.package.version + "\t" + p.package.arch + "\t" +
                       p.package.source_name);
    }
    std::sort(rows.begin(), rows.end());
    CHECK(rows == tsv_rows(cguard::test::read_file(dir + "installed.expected.tsv")));
    REQUIRE(list.warnings.size() == 1);
    CHECK(list.warnings[0].find("invalidPackageWithoutAVersion") != std::string::npos);
}

TEST_CASE("apk installed joins F: directories and R: files into owned paths", "[scanner][pkgdb]") {
    CGUARD_REQUIRE_SHARED(shared);
    auto list =
        parse_apk_installed(cguard::test::read_file(shared + "/fixtures/pkgdb/apk/installed"));
    auto musl = std::find_if(list.packages.begin(), list.packages.end(),
                             [](const OsPackage& p) { return p.package.name == "musl"; });
    REQUIRE(musl != list.packages.end());
    CHECK(musl->files ==
          std::vector<std::string>{"lib/libc.musl-x86_64.so.1", "lib/ld-musl-x86_64.so.1"});

    auto busybox = std::find_if(list.packages.begin(), list.packages.end(),
                                [](const OsPackage& p) { return p.package.name == "busybox"; });
    REQUIRE(busybox != list.packages.end());
    CHECK(std::count(busybox->files.begin(), busybox->files.end(), "etc/logrotate.d/acpid") == 1);
    CHECK(std::count(busybox->files.begin(), busybox->files.end(), "bin/busybox") == 1);
}

TEST_CASE("apk installed parse survives truncated and bit-flipped input", "[scanner][pkgdb]") {
    CGUARD_REQUIRE_SHARED(shared);
    const std::string text = cguard::test::read_file(shared + "/fixtures/pkgdb/apk/installed");
    size_t runs = 0;
    for_each_damaged(text, 200, 11, [&](const std::string& damaged) {
        auto list = parse_apk_installed(damaged);
        CHECK(list.packages.size() <= 16);
        ++runs;
    });
    CHECK(runs == 400);
    CHECK(parse_apk_installed("P:x\nV:1\nA\nF:\nR:/abs\n").packages.at(0).files ==
          std::vector<std::string>{"abs"});
}
