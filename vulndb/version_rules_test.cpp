// Maven and RubyGems orderings from their own documented examples, the Generic fallback,
// the ecosystem table, refusal of unparsable versions, and the cost of one comparison.
#include <ctime>
#include <random>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "vulndb/vulndb.h"

namespace {

using cguard::ErrorCode;
using cguard::vulndb::compare_versions;
using cguard::vulndb::VersionScheme;

int compare(VersionScheme scheme, const std::string& a, const std::string& b) {
    auto r = compare_versions(scheme, a, b);
    INFO(a << " vs " << b << ": " << (r ? "" : r.error().message));
    REQUIRE(r.has_value());
    return (*r > 0) - (*r < 0);
}

// Every element is older than the next, and each pair also checks reversed and equal to itself.
void require_ascending(VersionScheme scheme, const std::vector<std::string>& versions) {
    for (size_t i = 0; i < versions.size(); ++i) {
        CHECK(compare(scheme, versions[i], versions[i]) == 0);
        for (size_t j = i + 1; j < versions.size(); ++j) {
            INFO(versions[i] << " < " << versions[j]);
            CHECK(compare(scheme, versions[i], versions[j]) == -1);
            CHECK(compare(scheme, versions[j], versions[i]) == 1);
        }
    }
}

void require_equal(VersionScheme scheme,
                   const std::vector<std::pair<std::string, std::string>>& pairs) {
    for (const auto& [a, b] : pairs) {
        INFO(a << " == " << b);
        CHECK(compare(scheme, a, b) == 0);
        CHECK(compare(scheme, b, a) == 0);
    }
}

}  // namespace

// The orderings and equalities below are Maven's own ComparableVersion test vectors.
TEST_CASE("Maven qualifiers order alpha < beta < milestone < rc < snapshot < release < sp",
          "[vulndb][versions]") {
    require_ascending(VersionScheme::Maven, {"1-alpha2snapshot",
                                             "1-alpha2",
                                             "1-alpha-123",
                                             "1-beta-2",
                                             "1-beta123",
                                             "1-m2",
                                             "1-m11",
                                             "1-rc",
                                             "1-cr2",
                                             "1-rc123",
                                             "1-SNAPSHOT",
                                             "1",
                                             "1-sp",
                                             "1-sp2",
                                             "1-sp123",
                                             "1-abc",
                                             "1-def",
                                             "1-pom-1",
                                             "1-1-snapshot",
                                             "1-1",
                                             "1-2",
                                             "1-123"});
}

TEST_CASE("Maven numbers outrank qualifiers and nested lists", "[vulndb][versions]") {
    require_ascending(
        VersionScheme::Maven,
        {"2.0",   "2-1",    "2.0.a",   "2.0.0.a", "2.0.2", "2.0.123", "2.1.0",  "2.1-a", "2.1b",
         "2.1-c", "2.1-1",  "2.1.0.1", "2.2",     "2.123", "11.a2",   "11.a11", "11.b2", "11.b11",
         "11.m2", "11.m11", "11",      "11.a",    "11b",   "11c",     "11m"});
}

TEST_CASE("Maven drops trailing zeros and release qualifiers and ignores case",
          "[vulndb][versions]") {
    require_equal(VersionScheme::Maven, {{"1", "1.0"},        {"1", "1.0.0"},
                                         {"1.0", "1.0.0"},    {"1", "1-0"},
                                         {"1", "1.0-0"},      {"1.0", "1.0-0"},
                                         {"1a", "1-a"},       {"1a", "1.0-a"},
                                         {"1a", "1.0.0-a"},   {"1.0a", "1-a"},
                                         {"1.0.0a", "1-a"},   {"1x", "1-x"},
                                         {"1x", "1.0-x"},     {"1.0x", "1-x"},
                                         {"1.0.0x", "1-x"},   {"1ga", "1"},
                                         {"1release", "1"},   {"1final", "1"},
                                         {"1cr", "1rc"},      {"1a1", "1-alpha-1"},
                                         {"1b2", "1-beta-2"}, {"1m3", "1-milestone-3"},
                                         {"1X", "1x"},        {"1A", "1a"},
                                         {"1-GA", "1"},       {"2.0.0-0100", "2.0.0-100"}});
}

// Gem::Version's documented behaviour and its test suite's spaceship cases.
TEST_CASE("RubyGems prereleases sort below releases and trailing zeros are ignored",
          "[vulndb][versions]") {
    require_ascending(VersionScheme::RubyGems,
                      {"0.9", "1.0.a.2", "1.0.b1", "1.0.rc1", "1.0", "1.0.1", "1.8.2.a", "1.8.2.a9",
                       "1.8.2.a10", "1.8.2.b", "1.8.2", "5.a", "5.0.0.rc2", "5.x", "5.0.1"});
    require_equal(VersionScheme::RubyGems, {{"1.0", "1.0.0"},
                                            {"1", "1.0.0.0"},
                                            {"0.beta.1", "0.0.beta.1"},
                                            {"1.0-beta", "1.0.pre.beta"},
                                            {" 2.1 ", "2.1"}});
    CHECK(compare(VersionScheme::RubyGems, "0.0.beta", "0.0.beta.1") == -1);
    CHECK(compare(VersionScheme::RubyGems, "0.0.beta", "0.beta.1") == -1);
}

TEST_CASE("Generic versions compare numbers by value and words as pre-releases",
          "[vulndb][versions]") {
    require_ascending(VersionScheme::Generic,
                      {"0.9", "1.0.0-alpha", "1.0.0-beta1", "1.0.0-beta2", "1.0.0-RC1", "1.0",
                       "1.0.1", "1.2", "1.10", "v2", "2.0.0.1", "10"});
    require_equal(VersionScheme::Generic, {{"1.0", "1.0.0"}, {"v1.2", "1.2.0"}, {"1_2", "1.2"}});
}

TEST_CASE("semver ignores build metadata and a leading v, and orders Go pseudo-versions",
          "[vulndb][versions]") {
    require_ascending(
        VersionScheme::Semver,
        {"v0.0.0-20191109021931-daa7c04131f5", "v0.0.0-20200101000000-aaaaaaaaaaaa", "0.1.0",
         "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2",
         "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "v1.2", "v2.0.0+incompatible",
         "v2.1.0-0.20210101000000-abcdefabcdef", "v2.1.0", "2.1.0.1"});
    require_equal(VersionScheme::Semver,
                  {{"v2.0.0+incompatible", "2.0.0"}, {"v1", "1.0.0"}, {"1.0.0+a", "1.0.0+b"}});
}

TEST_CASE("PEP 440 normalizes spellings before comparing", "[vulndb][versions]") {
    require_equal(VersionScheme::Pep440, {{"1.0RC1", "1.0rc1"},
                                          {"1.0-post1", "1.0.post1"},
                                          {"1.0alpha1", "1.0a1"},
                                          {"1.0.preview2", "1.0rc2"},
                                          {"v1.0", "1.0"},
                                          {"1!2.0", "1!2.0.0"},
                                          {"1.0-1", "1.0.post1"},
                                          {"1.0.dev", "1.0.dev0"},
                                          {"1.0+Ubuntu.1", "1.0+ubuntu-1"},
                                          {"1.0a", "1.0a0"},
                                          {"  1.0 ", "1.0"}});
    require_ascending(
        VersionScheme::Pep440,
        {"1.0.dev1", "1.0a1.dev1", "1.0a1", "1.0a1.post1", "1.0b1", "1.0rc1", "1.0", "1.0+abc",
         "1.0+abc.5", "1.0+5", "1.0.post1.dev1", "1.0.post1", "1.1", "1!0.1"});
}

TEST_CASE("unparsable versions are refused, never compared", "[vulndb][versions]") {
    struct Case {
        VersionScheme scheme;
        std::string bad;
        std::string good;
    };
    const std::vector<Case> cases = {
        {VersionScheme::Dpkg, "", "1.0"},
        {VersionScheme::Dpkg, "abc", "1.0"},
        {VersionScheme::Dpkg, "1.0 beta", "1.0"},
        {VersionScheme::Dpkg, "1.0_1", "1.0"},
        {VersionScheme::Dpkg, "x:1.0", "1.0"},
        {VersionScheme::Dpkg, "1:", "1.0"},
        {VersionScheme::Dpkg, "1.0-1_2", "1.0"},
        {VersionScheme::Apk, "", "1.0"},
        {VersionScheme::Apk, "1.0-1", "1.0"},
        {VersionScheme::Apk, "1.0_foo", "1.0"},
        {VersionScheme::Rpm, "", "1.0"},
        {VersionScheme::Rpm, "1.0-", "1.0"},
        {VersionScheme::Rpm, "a:1.0", "1.0"},
        {VersionScheme::Rpm, "1.0\t", "1.0"},
        {VersionScheme::Semver, "", "1.0.0"},
        {VersionScheme::Semver, "1.x.y", "1.0.0"},
        {VersionScheme::Semver, "1.2.3-", "1.0.0"},
        {VersionScheme::Semver, "1.2.3-a..b", "1.0.0"},
        {VersionScheme::Semver, "1.2.3+", "1.0.0"},
        {VersionScheme::Semver, "1.2-beta", "1.0.0"},
        {VersionScheme::Semver, "1.2.3.4.5", "1.0.0"},
        {VersionScheme::Pep440, "", "1.0"},
        {VersionScheme::Pep440, "not a version", "1.0"},
        {VersionScheme::Pep440, "1.0+", "1.0"},
        {VersionScheme::Pep440, "1.0.foo", "1.0"},
        {VersionScheme::Pep440, "!1.0", "1.0"},
        {VersionScheme::Maven, "", "1.0"},
        {VersionScheme::Maven, "1.0 beta", "1.0"},
        {VersionScheme::RubyGems, "", "1.0"},
        {VersionScheme::RubyGems, "junk", "1.0"},
        {VersionScheme::RubyGems, "1..2", "1.0"},
        {VersionScheme::RubyGems, "1.0\n2.0", "1.0"},
        {VersionScheme::Generic, "", "1.0"},
        {VersionScheme::Generic, "...", "1.0"},
        {VersionScheme::Generic, "1 0", "1.0"},
    };
    for (const auto& c : cases) {
        INFO("scheme " << static_cast<int>(c.scheme) << " version \"" << c.bad << "\"");
        auto left = compare_versions(c.scheme, c.bad, c.good);
        auto right = compare_versions(c.scheme, c.good, c.bad);
        REQUIRE_FALSE(left.has_value());
        REQUIRE_FALSE(right.has_value());
        CHECK(left.error().code == ErrorCode::InvalidArgument);
        CHECK(right.error().code == ErrorCode::InvalidArgument);
    }
}

TEST_CASE("OSV ecosystems map to their version schemes", "[vulndb][versions]") {
    using cguard::vulndb::scheme_for_ecosystem;
    CHECK(scheme_for_ecosystem("Debian:12") == VersionScheme::Dpkg);
    CHECK(scheme_for_ecosystem("Ubuntu:22.04:LTS") == VersionScheme::Dpkg);
    CHECK(scheme_for_ecosystem("Alpine:v3.18") == VersionScheme::Apk);
    for (const char* rpm : {"AlmaLinux:9", "Rocky Linux:8", "Red Hat:enterprise_linux:9",
                            "SUSE:Linux Enterprise Server 15", "openSUSE:Leap 15.5", "Mariner:2.0",
                            "Photon OS:5.0"}) {
        INFO(rpm);
        CHECK(scheme_for_ecosystem(rpm) == VersionScheme::Rpm);
    }
    for (const char* semver : {"Go", "npm", "crates.io", "NuGet", "Bitnami"}) {
        INFO(semver);
        CHECK(scheme_for_ecosystem(semver) == VersionScheme::Semver);
    }
    CHECK(scheme_for_ecosystem("PyPI") == VersionScheme::Pep440);
    CHECK(scheme_for_ecosystem("Maven") == VersionScheme::Maven);
    CHECK(scheme_for_ecosystem("RubyGems") == VersionScheme::RubyGems);
    CHECK(scheme_for_ecosystem("Packagist") == VersionScheme::Generic);
    CHECK(scheme_for_ecosystem("Hex") == VersionScheme::Generic);
    CHECK(scheme_for_ecosystem("") == VersionScheme::Generic);
    CHECK(scheme_for_ecosystem("Debianish") == VersionScheme::Generic);
}

// Realistic versions of every scheme parse; the mean cost is printed for reference. Speed
// itself is judged by bench/match.sh, not here: a timed assertion fails on a busy machine.
TEST_CASE("realistic versions of every scheme compare without error", "[vulndb][versions]") {
    const std::vector<std::pair<VersionScheme, std::pair<const char*, const char*>>> pairs = {
        {VersionScheme::Dpkg, {"1:2.39.5-0+deb12u3", "1:2.39.5-0+deb12u2"}},
        {VersionScheme::Apk, {"1.31.1-r9", "1.31.1_rc2-r10"}},
        {VersionScheme::Rpm, {"0:1.1.1k-9.el8_7", "1:1.1.1k-12.el8_9"}},
        {VersionScheme::Semver, {"v0.0.0-20220722155237-a158d28d115b", "v0.1.0"}},
        {VersionScheme::Pep440, {"2.31.0", "2.32.0rc1.post1"}},
        {VersionScheme::Maven, {"2.14.0-rc1", "2.14.0"}},
        {VersionScheme::RubyGems, {"7.0.4.3", "7.0.5.rc1"}},
        {VersionScheme::Generic, {"1.2.3-beta4", "1.2.3"}},
    };
    constexpr int kRounds = 20000;
    long checksum = 0;
    // CPU time, not wall time: the build machines run other jobs alongside the tests.
    std::clock_t start = std::clock();
    for (int i = 0; i < kRounds; ++i) {
        for (const auto& [scheme, p] : pairs) {
            auto r = compare_versions(scheme, p.first, p.second);
            checksum += r ? *r : 100;
        }
    }
    double seconds = static_cast<double>(std::clock() - start) / CLOCKS_PER_SEC;
    double ns = seconds * 1e9 / (kRounds * pairs.size());
    WARN("mean comparison cost: " << ns << " ns");
    CHECK(checksum < 100L * kRounds);  // no pair failed to parse
}

// Arbitrary bytes, including the separators each scheme cares about, must give an order or
// InvalidArgument, never a crash or a hang; and every order must be antisymmetric.
TEST_CASE("arbitrary input gives an order or a refusal", "[vulndb][versions]") {
    static constexpr char kAlphabet[] = "0123456789.-_+~^:!abcprvAZ \x01\xce";
    std::mt19937 random(20240601);  // fixed seed: deterministic
    auto make = [&random] {
        std::string s(random() % 12, ' ');
        for (char& c : s) {
            c = kAlphabet[random() % (sizeof(kAlphabet) - 1)];
        }
        return s;
    };
    for (auto scheme : {VersionScheme::Dpkg, VersionScheme::Apk, VersionScheme::Rpm,
                        VersionScheme::Semver, VersionScheme::Pep440, VersionScheme::Maven,
                        VersionScheme::RubyGems, VersionScheme::Generic}) {
        for (int i = 0; i < 3000; ++i) {
            std::string a = make();
            std::string b = make();
            auto ab = compare_versions(scheme, a, b);
            auto ba = compare_versions(scheme, b, a);
            INFO("scheme " << static_cast<int>(scheme) << ": \"" << a << "\" vs \"" << b << "\"");
            REQUIRE(ab.has_value() == ba.has_value());
            if (ab) {
                REQUIRE((*ab > 0) - (*ab < 0) == -((*ba > 0) - (*ba < 0)));
            } else {
                REQUIRE(ab.error().code == ErrorCode::InvalidArgument);
            }
        }
    }
}
