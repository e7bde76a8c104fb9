#include <catch2/catch.hpp>

#include "scanner/detail/lang_packages.h"

using namespace cguard::scanner::detail;

// Trimmed from the deps.json `dotnet publish` writes.
constexpr const char* kDepsJson = R"({
  "runtimeTarget": {"name": ".NETCoreApp,Version=v6.0", "signature": ""},
  "targets": {".NETCoreApp,Version=v6.0": {"App/1.0.0": {"dependencies": {"Newtonsoft.Json": "13.0.1"}}}},
  "libraries": {
    "App/1.0.0": {"type": "project", "serviceable": false, "sha512": ""},
    "Newtonsoft.Json/13.0.1": {"type": "package", "serviceable": true, "sha512": "sha512-x",
                               "path": "newtonsoft.json/13.0.1"},
    "System.Text.Encodings.Web/4.7.2": {"type": "package"},
    "Broken": {"type": "package"},
    "Odd/1.0": 7
  }
})";

TEST_CASE("reads nuget packages from deps.json libraries", "[scanner][lang]") {
    auto out = parse_dotnet_deps(kDepsJson, "app/App.deps.json");
    REQUIRE(out.packages.size() == 2);
    CHECK(out.packages[0].name == "Newtonsoft.Json");
    CHECK(out.packages[0].version == "13.0.1");
    CHECK(out.packages[0].type == "nuget");
    CHECK(out.packages[0].purl == "pkg:nuget/Newtonsoft.Json@13.0.1");
    CHECK(out.packages[1].name == "System.Text.Encodings.Web");
    CHECK(out.warnings.size() == 1);
    CHECK(classify_lang_file("app/App.deps.json") == LangFile::DotnetDeps);
}

TEST_CASE("warns on deps.json without libraries", "[scanner][lang]") {
    CHECK(parse_dotnet_deps("{}", "p").warnings.size() == 1);
    CHECK(parse_dotnet_deps("{\"libraries\": []}", "p").warnings.size() == 1);
    CHECK(parse_dotnet_deps("[", "p").warnings.size() == 1);
}
