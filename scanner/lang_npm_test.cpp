#include <catch2/catch.hpp>

#include "scanner/detail/lang_packages.h"

using namespace cguard::scanner::detail;

TEST_CASE("reads name and version of plain and scoped npm packages", "[scanner][lang]") {
    auto plain = parse_npm_package_json(R"({"name":"left-pad","version":"1.3.0","private":false})",
                                        "app/node_modules/left-pad/package.json");
    REQUIRE(plain.packages.size() == 1);
    CHECK(plain.packages[0].name == "left-pad");
    CHECK(plain.packages[0].version == "1.3.0");
    CHECK(plain.packages[0].type == "npm");
    CHECK(plain.packages[0].purl == "pkg:npm/left-pad@1.3.0");
    CHECK(plain.packages[0].location == "app/node_modules/left-pad/package.json");

    auto scoped =
        parse_npm_package_json(R"({"version":"12.3.1","name":"@angular/animation"})", "p");
    REQUIRE(scoped.packages.size() == 1);
    CHECK(scoped.packages[0].name == "@angular/animation");
    CHECK(scoped.packages[0].purl == "pkg:npm/%40angular/animation@12.3.1");
}

TEST_CASE("warns on broken or incomplete package.json", "[scanner][lang]") {
    for (const char* text : {"", "{", "[1,2]", R"({"name":"x"})", R"({"name":1,"version":"1"})",
                             R"({"name":"@scope","version":"1"})", "\xff\xfe{}"}) {
        auto out = parse_npm_package_json(text, "p");
        CHECK(out.packages.empty());
        CHECK(out.warnings.size() == 1);
    }
}

TEST_CASE("classifies only package manifests directly under node_modules", "[scanner][lang]") {
    CHECK(classify_lang_file("node_modules/a/package.json") == LangFile::NpmPackageJson);
    CHECK(classify_lang_file("usr/lib/node_modules/npm/package.json") == LangFile::NpmPackageJson);
    CHECK(classify_lang_file("app/node_modules/@types/node/package.json") ==
          LangFile::NpmPackageJson);
    CHECK(classify_lang_file("app/node_modules/a/node_modules/b/package.json") ==
          LangFile::NpmPackageJson);
    CHECK(classify_lang_file("app/package.json") == LangFile::None);
    CHECK(classify_lang_file("app/node_modules/a/test/fixtures/package.json") == LangFile::None);
    CHECK(classify_lang_file("app/node_modules/@scope/package.json") == LangFile::None);
    CHECK(classify_lang_file("app/node_modules/.bin/package.json") == LangFile::None);
    CHECK(classify_lang_file("app/my_node_modules/a/package.json") == LangFile::None);
}

TEST_CASE("refuses text files over 64 MiB with a warning", "[scanner][lang]") {
    std::string big(64 * 1024 * 1024 + 1, ' ');
    auto out = parse_npm_package_json(big, "p");
    CHECK(out.packages.empty());
    REQUIRE(out.warnings.size() == 1);
    CHECK(out.warnings[0].find("64 MiB") != std::string::npos);
}
