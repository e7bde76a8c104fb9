#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <sstream>

#include "tests/test_support.h"
#include "vulndb/detail/sqlite.h"
#include "vulndb/detail/test_db.h"
#include "vulndb/vulndb.h"

using namespace cguard;
using namespace cguard::vulndb;

namespace {

#define CGUARD_REQUIRE_FULL_DB(var)                        \
    const std::string& var = vulndb::test::full_db_path(); \
    if (var.empty()) {                                     \
        WARN("skipped: ../shared is not present");         \
        return;                                            \
    }

scanner::Package package(std::string name, std::string version, std::string type,
                         std::string source = {}) {
    scanner::Package p;
    p.name = std::move(name);
    p.version = std::move(version);
    p.type = std::move(type);
    p.source_name = std::move(source);
    p.layer_digest = "sha256:layer";
    return p;
}

// Packages of the real alpine:3.10 image, read from lib/apk/db/installed inside its layer.
std::vector<scanner::Package> alpine_310_packages(const std::string& shared) {
    cguard::test::TempDir dir;
    auto r = cguard::test::run("cd '" + dir.path() + "' && tar xzf '" + shared +
                               "/fixtures/images/alpine-3.10.docker-save.tar.gz' && "
                               "for l in */layer.tar; do tar xf $l lib/apk/db/installed; done");
    REQUIRE(r.exit_code == 0);
    std::istringstream in(cguard::test::read_file(dir.path() + "/lib/apk/db/installed"));
    std::vector<scanner::Package> out;
    std::string line;
    scanner::Package p;
    while (std::getline(in, line)) {
        if (line.empty() && !p.name.empty()) {
            out.push_back(package(p.name, p.version, "apk", p.source_name));
            p = {};
        } else if (line.size() > 2 && line[1] == ':') {
            std::string value = line.substr(2);
            line[0] == 'P'   ? p.name = value
            : line[0] == 'V' ? p.version = value
            : line[0] == 'o' ? p.source_name = value
                             : value;
        }
    }
    return out;
}

bool has_id(const MatchResult& result, const std::string& package, const std::string& id) {
    return std::any_of(result.findings.begin(), result.findings.end(), [&](const Finding& f) {
        return f.package == package &&
               (f.id == id || std::count(f.aliases.begin(), f.aliases.end(), id) > 0);
    });
}

}  // namespace

TEST_CASE("Alpine 3.10 data gives the real alpine:3.10 image no finding; v3.11 data never leaks",
          "[vulndb]") {
    CGUARD_REQUIRE_SHARED(shared);
    CGUARD_REQUIRE_FULL_DB(path);
    auto db = Database::open(path);
    REQUIRE(db);
    scanner::ScanReport report;
    report.os = {"alpine", "Alpine Linux", "3.10.4"};
    report.packages = alpine_310_packages(shared);
    REQUIRE(report.packages.size() == 14);

    auto on_310 = db->match(report);
    REQUIRE(on_310);
    for (const auto& f : on_310->findings) {
        UNSCOPED_INFO(f.package << " " << f.installed_version << " " << f.id);
    }
    CHECK(on_310->findings.empty());
    CHECK(on_310->warnings.empty());

    report.os.version = "3.11.3";  // the same packages judged against the next release's data
    auto on_311 = db->match(report);
    REQUIRE(on_311);
    CHECK(has_id(*on_311, "libssl1.1", "CVE-2019-1551"));
    CHECK(has_id(*on_311, "libcrypto1.1", "CVE-2019-1551"));
    for (const auto& f : on_311->findings) {
        if (f.id == "CVE-2019-1551") {
            CHECK(f.fixed_version == "1.1.1d-r3");
            CHECK(f.status == "fixed");
            CHECK(f.layer_digest == "sha256:layer");
            CHECK(std::count(f.aliases.begin(), f.aliases.end(), "ALPINE-CVE-2019-1551") == 1);
        }
    }
}

TEST_CASE("a Debian package below its security fixes yields its advisories, once per flaw",
          "[vulndb]") {
    CGUARD_REQUIRE_FULL_DB(path);
    auto db = Database::open(path);
    REQUIRE(db);
    scanner::ScanReport report;
    report.os = {"debian", "Debian GNU/Linux", "11"};
    report.packages = {package("libssl1.1", "1.1.1n-0+deb11u1", "deb", "openssl"),
                       package("openssl", "1.1.1n-0+deb11u5", "deb", "openssl")};
    auto result = db->match(report);
    REQUIRE(result);
    for (const char* id : {"CVE-2022-1292", "CVE-2022-2068", "DSA-5343-1"}) {
        CHECK(has_id(*result, "libssl1.1", id));
    }
    for (const auto& f : result->findings) {
        CHECK(f.package == "libssl1.1");  // the package at the current fix has no finding
        CHECK(f.status == "fixed");
    }
    auto dsa_5169 = std::find_if(result->findings.begin(), result->findings.end(),
                                 [](const Finding& f) { return f.id == "CVE-2022-2068"; });
    REQUIRE(dsa_5169 != result->findings.end());
    CHECK(dsa_5169->aliases == std::vector<std::string>{"DSA-5169-1"});
    CHECK(dsa_5169->fixed_version == "1.1.1n-0+deb11u3");
    // DSA-5343-1 names five CVEs, so it keeps its own id; its severity comes from the CVE
    // records of its aliases (the DSA itself carries none).
    auto dsa_5343 = std::find_if(result->findings.begin(), result->findings.end(),
                                 [](const Finding& f) { return f.id == "DSA-5343-1"; });
    REQUIRE(dsa_5343 != result->findings.end());
    CHECK(dsa_5343->aliases.size() == 5);
    CHECK(dsa_5343->severity == Severity::Medium);  // OpenSSL rates CVE-2022-2097 "Moderate"
    CHECK(dsa_5343->fixed_version == "1.1.1n-0+deb11u4");

    report.os.version = "12";  // the shared Debian snapshot predates bookworm's advisories
    auto bookworm = db->match(report);
    REQUIRE(bookworm);
    CHECK(bookworm->findings.empty());
    REQUIRE(bookworm->warnings.size() == 1);
    CHECK(bookworm->warnings[0].find("Debian:12") != std::string::npos);
}

TEST_CASE("Go standard library 1.19.8 and old npm packages yield real findings", "[vulndb]") {
    CGUARD_REQUIRE_FULL_DB(path);
    auto db = Database::open(path);
    REQUIRE(db);
    scanner::ScanReport report;
    report.packages = {
        package("stdlib", "go1.19.8", "golang"), package("golang.org/x/net", "v0.7.0", "golang"),
        package("lodash", "4.17.4", "npm"),      package("moment", "2.11.1", "npm"),
        package("marked", "0.3.0", "npm"),       package("lodash", "4.17.21", "npm")};
    auto result = db->match(report);
    REQUIRE(result);
    size_t stdlib = std::count_if(result->findings.begin(), result->findings.end(),
                                  [](const Finding& f) { return f.package == "stdlib"; });
    CHECK(stdlib >= 10);
    CHECK(has_id(*result, "lodash", "CVE-2018-3721"));
    CHECK(has_id(*result, "lodash", "CVE-2018-16487"));
    CHECK(has_id(*result, "moment", "CVE-2016-4055"));
    CHECK(has_id(*result, "marked", "CVE-2015-8854"));
    for (const auto& f : result->findings) {
        CHECK(f.installed_version != "4.17.21");
        if (f.package == "stdlib") {
            CHECK((f.id.rfind("CVE-", 0) == 0 || f.id.rfind("GO-", 0) == 0));
        }
        if (f.package == "golang.org/x/net" && !f.fixed_version.empty()) {
            // Written like the installed module version, with its "v".
            CHECK(f.fixed_version.rfind("v", 0) == 0);
        }
    }
}

TEST_CASE("an unparsable installed version is reported, not silently skipped", "[vulndb]") {
    CGUARD_REQUIRE_FULL_DB(path);
    auto db = Database::open(path);
    REQUIRE(db);
    scanner::ScanReport report;
    report.packages = {package("lodash", "not a version", "npm")};
    auto result = db->match(report);
    REQUIRE(result);
    CHECK(result->findings.empty());
    REQUIRE_FALSE(result->warnings.empty());
    CHECK(result->warnings[0].find("lodash") != std::string::npos);
}

TEST_CASE("matches a thousand real Debian source packages against the full database", "[vulndb]") {
    CGUARD_REQUIRE_FULL_DB(path);
    auto db = Database::open(path);
    REQUIRE(db);
    // 1,000 real Debian source package names (most images hold many packages without any
    // advisory for their release), Debian 11 ones first, at a plausible version.
    auto conn = vulndb::detail::Connection::open(path, SQLITE_OPEN_READONLY);
    REQUIRE(conn);
    auto names = conn->prepare(
        "SELECT package FROM affected WHERE ecosystem LIKE 'Debian:%' GROUP BY package"
        " ORDER BY max(ecosystem = 'Debian:11') DESC, package LIMIT 1000");
    REQUIRE(names);
    scanner::ScanReport report;
    report.os = {"debian", "Debian GNU/Linux", "11.7"};
    while (*names->step()) {
        report.packages.push_back(package(std::string(names->text(0)), "1.0-1+deb11u1", "deb"));
    }
    REQUIRE(report.packages.size() == 1000);

    auto start = std::chrono::steady_clock::now();
    auto result = db->match(report);
    double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    REQUIRE(result);
    // Version 1.0-1 predates nearly every Debian fix: many of these packages must be affected.
    CHECK(result->findings.size() > 100);
    // Reported, not asserted: bench/match.sh measures speed; a timed check is noise here.
    WARN("matched " << report.packages.size() << " packages in " << ms << " ms, "
                    << result->findings.size() << " findings");
}
