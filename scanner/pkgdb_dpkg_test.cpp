#include <catch2/catch.hpp>

#include <algorithm>
#include <set>
#include <sstream>
#include <string>

#include "scanner/detail/os_packages.h"
#include "scanner/pkgdb_test_util.h"
#include "tests/test_support.h"

using cguard::scanner::detail::OsPackage;
using cguard::scanner::detail::parse_dpkg_file_list;
using cguard::scanner::detail::parse_dpkg_status;
using cguard::scanner::test_util::for_each_damaged;
using cguard::scanner::test_util::tsv_rows;

namespace {

const OsPackage* find_package(const std::vector<OsPackage>& packages, const std::string& name) {
    auto it = std::find_if(packages.begin(), packages.end(),
                           [&](const OsPackage& p) { return p.package.name == name; });
    return it == packages.end() ? nullptr : &*it;
}

}  // namespace

TEST_CASE("dpkg status parse matches dpkg-query on the Ubuntu 18.04 fixture", "[scanner][pkgdb]") {
    CGUARD_REQUIRE_SHARED(shared);
    const std::string dir = shared + "/fixtures/pkgdb/dpkg/";
    auto list = parse_dpkg_status(cguard::test::read_file(dir + "ubuntu-18.04.status"));

    std::vector<std::string> rows;
    for (const OsPackage& p : list.packages) {
        CHECK(p.package.type == "deb");
        rows.push_back(p.package.name + "\t" + p.package.version + "\t" + p.package.arch + "\t" +
                       p.package.source_name + "\t" + p.package.source_version);
    }
    std::sort(rows.begin(), rows.end());
    CHECK(rows == tsv_rows(cguard::test::read_file(dir + "ubuntu-18.04.expected.tsv")));
    CHECK(list.warnings.empty());
}

TEST_CASE("dpkg status keeps the readable stanzas of a corrupt file and warns",
          "[scanner][pkgdb]") {
    CGUARD_REQUIRE_SHARED(shared);
    auto list =
        parse_dpkg_status(cguard::test::read_file(shared + "/fixtures/pkgdb/dpkg/corrupt.status"));

    REQUIRE(find_package(list.packages, "libpam-runtime") != nullptr);
    REQUIRE(find_package(list.packages, "makedev") != nullptr);
    const OsPackage* gcc = find_package(list.packages, "libgcc1");
    REQUIRE(gcc != nullptr);
    CHECK(gcc->package.version == "1:5.1.1-12ubuntu1");
    CHECK(gcc->package.source_name == "gcc-5");
    CHECK(gcc->package.source_version == "5.1.1-12ubuntu1");
    CHECK(find_package(list.packages, "brokenPackageWithNoVersionThatShouldGetThrownOut") ==
          nullptr);
    CHECK(!list.warnings.empty());
}

TEST_CASE("dpkg status without Status fields (distroless status.d) keeps every stanza",
          "[scanner][pkgdb]") {
    auto list = parse_dpkg_status(
        "Package: tzdata\r\nVersion: 2024a-0+deb12u1\r\nArchitecture: all\r\n\r\n"
        "Package: libc6\nSource: glibc\nVersion: 2.36-9+deb12u7\nArchitecture: amd64\n"
        "Description: GNU C Library\n shared libraries\n");
    REQUIRE(list.packages.size() == 2);
    CHECK(list.packages[0].package.version == "2024a-0+deb12u1");
    CHECK(list.packages[1].package.source_name == "glibc");
    CHECK(list.packages[1].package.source_version == "2.36-9+deb12u7");
}

TEST_CASE("dpkg status parse counts the same packages as dpkg-query on this machine",
          "[scanner][pkgdb]") {
    const std::string status = "/var/lib/dpkg/status";
    auto query = cguard::test::run("dpkg-query -W -f='${db:Status-Abbrev}\\n' 2>/dev/null");
    if (query.exit_code != 0) {
        WARN("skipped: dpkg-query is not available");
        return;
    }
    // Our parser keeps "install ok installed" only, dpkg-query also lists e.g. config-files.
    size_t installed = 0;
    std::istringstream lines(query.out);
    for (std::string line; std::getline(lines, line);) {
        installed += line.rfind("ii", 0) == 0 ? 1 : 0;
    }
    auto list = parse_dpkg_status(cguard::test::read_file(status));
    CHECK(list.packages.size() == installed);
    CHECK(installed > 100);
    CHECK(list.warnings.empty());
}

TEST_CASE("dpkg file lists match dpkg-query -L for a real package", "[scanner][pkgdb]") {
    auto query = cguard::test::run("dpkg-query -L dpkg 2>/dev/null");
    if (query.exit_code != 0) {
        WARN("skipped: dpkg-query is not available");
        return;
    }
    auto files =
        parse_dpkg_file_list(cguard::test::read_file("/var/lib/dpkg/info/dpkg.list"), false);
    std::set<std::string> expected;
    std::istringstream lines(query.out);
    for (std::string line; std::getline(lines, line);) {
        if (line.size() > 1 && line[0] == '/' && line != "/.") {
            expected.insert(line.substr(1));
        }
    }
    CHECK(std::set<std::string>(files.begin(), files.end()) == expected);
    CHECK(std::find(files.begin(), files.end(), "usr/bin/dpkg") != files.end());
    CHECK(std::none_of(files.begin(), files.end(), [](const std::string& f) {
        return f.empty() || f.front() == '/' || f == ".";
    }));

    // Every path in the md5sums file is one of the package's listed files.
    auto sums =
        parse_dpkg_file_list(cguard::test::read_file("/var/lib/dpkg/info/dpkg.md5sums"), true);
    REQUIRE(!sums.empty());
    for (const std::string& path : sums) {
        CHECK(expected.count(path) == 1);
    }
}

TEST_CASE("dpkg parsers survive truncated and bit-flipped input", "[scanner][pkgdb]") {
    CGUARD_REQUIRE_SHARED(shared);
    const std::string text =
        cguard::test::read_file(shared + "/fixtures/pkgdb/dpkg/ubuntu-18.04.status");
    size_t runs = 0;
    for_each_damaged(text, 200, 7, [&](const std::string& damaged) {
        auto list = parse_dpkg_status(damaged);
        CHECK(list.packages.size() <= 91);
        parse_dpkg_file_list(damaged, true);
        ++runs;
    });
    CHECK(runs == 400);
    // Half a file still yields the packages in the first half.
    CHECK(parse_dpkg_status(text.substr(0, text.size() / 2)).packages.size() > 30);
}
