#include <catch2/catch.hpp>

#include "vulndb/detail/ecosystem.h"

using namespace cguard;
using namespace cguard::vulndb::detail;

namespace {

scanner::Package make(std::string name, std::string version, std::string type,
                      std::string source = {}, std::string source_version = {}) {
    scanner::Package p;
    p.name = std::move(name);
    p.version = std::move(version);
    p.type = std::move(type);
    p.source_name = std::move(source);
    p.source_version = std::move(source_version);
    return p;
}

}  // namespace

TEST_CASE("reduces OSV ecosystems to release keys", "[vulndb]") {
    CHECK(ecosystem_key("Debian:3.0") == "Debian:3");
    CHECK(ecosystem_key("Debian:12") == "Debian:12");
    CHECK(ecosystem_key("Ubuntu:22.04:LTS") == "Ubuntu:22.04");
    CHECK(ecosystem_key("Ubuntu:23.10") == "Ubuntu:23.10");
    CHECK(ecosystem_key("Alpine:v3.10") == "Alpine:v3.10");
    CHECK(ecosystem_key("AlmaLinux:9") == "AlmaLinux:9");
    CHECK(ecosystem_key("Rocky Linux:8") == "Rocky Linux:8");
    CHECK(ecosystem_key("Red Hat:enterprise_linux:9::appstream") == "Red Hat:9");
    CHECK(ecosystem_key("SUSE:Linux Enterprise Server 15 SP5") == "SUSE:15.5");
    CHECK(ecosystem_key("SUSE:Linux Enterprise Server 12") == "SUSE:12");
    CHECK(ecosystem_key("openSUSE:Leap 15.5") == "openSUSE:15.5");
    CHECK(ecosystem_key("PyPI") == "PyPI");
    CHECK_FALSE(ecosystem_key("Hackage"));
    CHECK_FALSE(ecosystem_key(""));
}

TEST_CASE("derives the release key from the image's OS", "[vulndb]") {
    CHECK(os_ecosystem_key({"debian", "Debian", "12"}) == "Debian:12");
    CHECK(os_ecosystem_key({"debian", "Debian", "11.7"}) == "Debian:11");
    CHECK(os_ecosystem_key({"alpine", "Alpine", "3.10.4"}) == "Alpine:v3.10");
    CHECK(os_ecosystem_key({"ubuntu", "Ubuntu", "22.04"}) == "Ubuntu:22.04");
    CHECK(os_ecosystem_key({"almalinux", "AlmaLinux", "9.4"}) == "AlmaLinux:9");
    CHECK(os_ecosystem_key({"rocky", "Rocky", "8.9"}) == "Rocky Linux:8");
    CHECK(os_ecosystem_key({"rhel", "RHEL", "9.2"}) == "Red Hat:9");
    CHECK(os_ecosystem_key({"sles", "SLES", "15.5"}) == "SUSE:15.5");
    CHECK(os_ecosystem_key({"opensuse-leap", "openSUSE", "15.5"}) == "openSUSE:15.5");
    CHECK(os_ecosystem_key({"gentoo", "Gentoo", "2.14"}).empty());
    CHECK(os_ecosystem_key({"debian", "Debian", ""}).empty());
}

TEST_CASE("normalises names as each ecosystem compares them", "[vulndb]") {
    CHECK(normalize_name("PyPI", "Foo.Bar__baz") == "foo-bar-baz");
    CHECK(normalize_name("npm", "JSONStream") == "jsonstream");
    CHECK(normalize_name("Go", "github.com/Foo/bar") == "github.com/Foo/bar");
    CHECK(normalize_name("Debian:12", "Foo") == "Foo");
}

TEST_CASE("builds lookups for OS and language packages", "[vulndb]") {
    auto deb = make("libssl3", "3.0.9-1", "deb", "openssl", "3.0.9-1+b1");
    auto q = query_for(deb, "Debian:12");
    REQUIRE(q);
    CHECK(q->name == "openssl");
    CHECK(q->version == "3.0.9-1+b1");
    CHECK(q->scheme == vulndb::VersionScheme::Dpkg);
    CHECK_FALSE(query_for(deb, ""));

    auto rpm = make("bash", "1:4.4-19.el8", "rpm", "bash", "4.4-19.el8");
    CHECK(query_for(rpm, "AlmaLinux:8")->version == "1:4.4-19.el8");

    auto stdlib = make("stdlib", "go1.19.8", "golang");
    CHECK(query_for(stdlib, "")->version == "1.19.8");
    CHECK(query_for(stdlib, "")->ecosystem == "Go");
    auto module = make("golang.org/x/net", "v0.7.0", "golang");
    CHECK(query_for(module, "")->version == "0.7.0");

    auto jar = make("jackson-databind", "2.9.8", "maven");
    jar.purl = "pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.9.8";
    CHECK(query_for(jar, "")->name == "com.fasterxml.jackson.core:jackson-databind");

    auto py = make("PyYAML", "5.1", "pypi");
    CHECK(query_for(py, "Debian:12")->name == "pyyaml");
    CHECK(query_for(py, "Debian:12")->ecosystem == "PyPI");
    CHECK_FALSE(query_for(make("x", "1", "unknown"), ""));
}
