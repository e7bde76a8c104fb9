#include <catch2/catch.hpp>

#include "scanner/detail/lang_packages.h"

using namespace cguard::scanner::detail;

TEST_CASE("reads composer 2 installed.json and strips the v of tags", "[scanner][lang]") {
    const char* text = R"({"packages": [
        {"name": "monolog/monolog", "version": "2.9.1", "version_normalized": "2.9.1.0"},
        {"name": "symfony/console", "version": "v6.3.0", "type": "library"}
      ], "dev": true, "dev-package-names": []})";
    auto out = parse_composer_installed(text, "var/www/vendor/composer/installed.json");
    REQUIRE(out.packages.size() == 2);
    CHECK(out.packages[0].name == "monolog/monolog");
    CHECK(out.packages[0].purl == "pkg:composer/monolog/monolog@2.9.1");
    CHECK(out.packages[1].version == "6.3.0");
    CHECK(out.packages[1].type == "composer");
    CHECK(out.packages[1].purl == "pkg:composer/symfony/console@6.3.0");
    CHECK(out.warnings.empty());
}

TEST_CASE("reads composer 1 installed.json arrays", "[scanner][lang]") {
    auto out = parse_composer_installed(R"([{"name":"psr/log","version":"1.1.4"}])", "p");
    REQUIRE(out.packages.size() == 1);
    CHECK(out.packages[0].purl == "pkg:composer/psr/log@1.1.4");
}

TEST_CASE("keeps good composer entries and warns on bad ones", "[scanner][lang]") {
    auto out = parse_composer_installed(
        R"({"packages":[1,{"name":"noslash","version":"1"},{"name":"a/b"},{"name":"a/b","version":"dev-main"}]})",
        "p");
    REQUIRE(out.packages.size() == 1);
    CHECK(out.packages[0].version == "dev-main");
    CHECK(out.warnings.size() == 3);
    CHECK(parse_composer_installed("{\"packages\": {}}", "p").warnings.size() == 1);
    CHECK(parse_composer_installed("nope", "p").warnings.size() == 1);
    CHECK(classify_lang_file("var/www/vendor/composer/installed.json") ==
          LangFile::ComposerInstalled);
    CHECK(classify_lang_file("vendor/composer/installed.json") == LangFile::ComposerInstalled);
    CHECK(classify_lang_file("var/www/composer/installed.json") == LangFile::None);
}

TEST_CASE("survives deeply nested JSON without exhausting the stack", "[scanner][lang]") {
    std::string deep(1024 * 1024, '[');
    CHECK(parse_composer_installed(deep, "p").warnings.size() == 1);
    deep += std::string(deep.size(), ']');
    CHECK(parse_composer_installed(deep, "p").warnings.size() == 1);
    CHECK(parse_dotnet_deps("{\"libraries\":" + deep + "}", "p").warnings.size() == 1);
}
