#include <catch2/catch.hpp>

#include "scanner/detail/purl.h"

using cguard::scanner::detail::make_purl;

// Expected strings are canonical purls from the purl-spec test suite and examples.
TEST_CASE("builds the canonical purls of the purl-spec examples", "[scanner][purl]") {
    CHECK(make_purl("npm", "@angular", "animation", "12.3.1") ==
          "pkg:npm/%40angular/animation@12.3.1");
    CHECK(make_purl("npm", "", "foobar", "12.3.1") == "pkg:npm/foobar@12.3.1");
    CHECK(make_purl("nuget", "", "EnterpriseLibrary.Common", "6.0.1304") ==
          "pkg:nuget/EnterpriseLibrary.Common@6.0.1304");
    CHECK(make_purl("pypi", "", "django", "1.11.1") == "pkg:pypi/django@1.11.1");
    CHECK(make_purl("gem", "", "ruby-advisory-db-check", "0.12.4") ==
          "pkg:gem/ruby-advisory-db-check@0.12.4");
    CHECK(
        make_purl("deb", "debian", "curl", "7.50.3-1", {{"arch", "i386"}, {"distro", "jessie"}}) ==
        "pkg:deb/debian/curl@7.50.3-1?arch=i386&distro=jessie");
    CHECK(make_purl("rpm", "fedora", "curl", "7.50.3-1.fc25",
                    {{"distro", "fedora-25"}, {"arch", "i386"}}) ==
          "pkg:rpm/fedora/curl@7.50.3-1.fc25?arch=i386&distro=fedora-25");
    CHECK(make_purl("golang", "google.golang.org", "genproto", "abcdedf") ==
          "pkg:golang/google.golang.org/genproto@abcdedf");
    CHECK(make_purl("maven", "org.apache.xmlgraphics", "batik-anim", "1.9.1",
                    {{"repository_url", "repo.spring.io/release"}, {"classifier", "sources"}}) ==
          "pkg:maven/org.apache.xmlgraphics/"
          "batik-anim@1.9.1?classifier=sources&repository_url=repo.spring.io/release");
    CHECK(make_purl("composer", "laravel", "laravel", "5.5.0") ==
          "pkg:composer/laravel/laravel@5.5.0");
    CHECK(
        make_purl("generic", "", "bitwarderl", "",
                  {{"vcs_url", "git+https://git.fsfe.org/dxtr/bitwarderl@cc55108da32"}}) ==
        "pkg:generic/bitwarderl?vcs_url=git%2Bhttps://git.fsfe.org/dxtr/bitwarderl%40cc55108da32");
}

TEST_CASE("percent-encodes reserved and non-ASCII characters in each component",
          "[scanner][purl]") {
    CHECK(make_purl("golang", "github.com/foo/bar", "baz", "v0.0.0-2021+incompatible") ==
          "pkg:golang/github.com/foo/bar/baz@v0.0.0-2021%2Bincompatible");
    CHECK(make_purl("generic", "a b", "n/m", "1?2#3") == "pkg:generic/a%20b/n%2Fm@1%3F2%233");
    CHECK(make_purl("generic", "", "caf\xc3\xa9", "1") == "pkg:generic/caf%C3%A9@1");
    CHECK(make_purl("deb", "debian", "libc6", "2.36-9+deb12u4", {{"epoch", "1"}}) ==
          "pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?epoch=1");
}

TEST_CASE("lower-cases type and qualifier keys, sorts qualifiers and drops empty values",
          "[scanner][purl]") {
    CHECK(make_purl("Maven", "g", "a", "1", {{"Type", "pom"}, {"classifier", ""}, {"a", "x"}}) ==
          "pkg:maven/g/a@1?a=x&type=pom");
    CHECK(make_purl("npm", "", "left-pad", "") == "pkg:npm/left-pad");
    CHECK(make_purl("golang", "/github.com//x/", "y", "v1") == "pkg:golang/github.com/x/y@v1");
}
