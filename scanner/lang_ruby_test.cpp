#include <catch2/catch.hpp>

#include "scanner/detail/lang_packages.h"
#include "tests/test_support.h"

using namespace cguard::scanner::detail;

// Shape of a gemspec as `gem install` writes it into specifications/.
constexpr const char* kInstalledGemspec = R"(# -*- encoding: utf-8 -*-
# stub: rake 13.0.6 ruby lib

Gem::Specification.new do |s|
  s.name = "rake".freeze
  s.version = "13.0.6"

  s.required_rubygems_version = Gem::Requirement.new(">= 1.3.2".freeze) if s.respond_to? :required_rubygems_version=
  s.authors = ["Hiroshi SHIBATA".freeze]
end
)";

TEST_CASE("reads name and version from an installed gemspec", "[scanner][lang]") {
    auto out = parse_gemspec(kInstalledGemspec,
                             "usr/lib/ruby/gems/3.1.0/specifications/rake-13.0.6.gemspec");
    REQUIRE(out.packages.size() == 1);
    CHECK(out.packages[0].name == "rake");
    CHECK(out.packages[0].version == "13.0.6");
    CHECK(out.packages[0].type == "gem");
    CHECK(out.packages[0].purl == "pkg:gem/rake@13.0.6");
}

TEST_CASE("accepts Gem::Version.new, single quotes and %q literals", "[scanner][lang]") {
    auto out = parse_gemspec(
        "spec.name = %q{json}\nspec.version = Gem::Version.new('2.6.1').freeze\n", "p");
    REQUIRE(out.packages.size() == 1);
    CHECK(out.packages[0].name == "json");
    CHECK(out.packages[0].version == "2.6.1");
}

TEST_CASE("warns on gemspecs without literal name or version", "[scanner][lang]") {
    for (const char* text :
         {"", "s.name = \"x\"\n", "s.name == \"x\"\ns.version = \"1\"\n",
          "s.name = NAME\ns.version = \"1\"\n", "s.name = \"unterminated\ns.version = \"1"}) {
        auto out = parse_gemspec(text, "p");
        CHECK(out.packages.empty());
        CHECK(out.warnings.size() == 1);
    }
}

TEST_CASE("classifies gemspecs only inside a specifications directory", "[scanner][lang]") {
    CHECK(classify_lang_file("var/lib/gems/3.1.0/specifications/rake-13.0.6.gemspec") ==
          LangFile::Gemspec);
    CHECK(classify_lang_file("app/rake.gemspec") == LangFile::None);
    CHECK(classify_lang_file("var/lib/gems/3.1.0/gems/rake-13.0.6/rake.gemspec") == LangFile::None);
}
