#include "scanner/file_tree.h"

#include <catch2/catch.hpp>

#include "scanner/os_release.h"
#include "scanner/tar_test_util.h"

namespace cguard::scanner {
namespace {

using test::make_tar;
using test::TarEntry;

LayerResult analyse(const std::vector<TarEntry>& entries, const std::string& digest) {
    std::string bytes = make_tar(entries);
    MemorySource source(bytes);
    LayerAnalysis analysis;
    std::vector<std::string> warnings;
    auto stats = read_layer(source, digest, analysis, warnings);
    REQUIRE(stats);
    LayerResult result = analysis.take();
    result.digest = digest;
    return result;
}

}  // namespace

TEST_CASE("whiteouts and opaque directories hide lower layers only", "[scanner]") {
    std::vector<LayerResult> layers;
    layers.push_back(analyse(
        {{"a/keep", 'f', "1"}, {"a/gone", 'f', "2"}, {"o/old", 'f', "3"}, {"d/x/y", 'f', "4"}},
        "sha256:l1"));
    layers.push_back(analyse({{"a/.wh.gone", 'f'},
                              {"o/.wh..wh..opq", 'f'},
                              {"o/new", 'f', "5"},
                              {".wh.d", 'f'},
                              {"a/.wh..wh.plnk", 'f'}},
                             "sha256:l2"));
    FileTree tree;
    for (const auto& layer : layers) {
        tree.apply(layer);
    }
    CHECK(tree.find("a/keep") != nullptr);
    CHECK(tree.find("a/gone") == nullptr);
    CHECK(tree.find("o/old") == nullptr);
    REQUIRE(tree.find("o/new") != nullptr);
    CHECK(tree.layer(tree.find("o/new")->layer).digest == "sha256:l2");
    CHECK(tree.find("d/x/y") == nullptr);
    CHECK(tree.find("a/.wh..wh.plnk") == nullptr);
}

TEST_CASE("a later layer replacing a directory with a file hides its contents", "[scanner]") {
    std::vector<LayerResult> layers;
    layers.push_back(analyse({{"x/inner", 'f', "1"}}, "sha256:l1"));
    layers.push_back(analyse({{"x", 'f', "now a file"}}, "sha256:l2"));
    FileTree tree;
    tree.apply(layers[0]);
    tree.apply(layers[1]);
    CHECK(tree.find("x/inner") == nullptr);
    CHECK(tree.find("x") != nullptr);
}

TEST_CASE("lookups resolve relative, absolute and directory symlinks inside the root",
          "[scanner]") {
    LayerResult layer = analyse({{"usr/lib/os-release", 'f', "ID=debian\nVERSION_ID=\"12\"\n"},
                                 {"etc/os-release", 'l', "../usr/lib/os-release"},
                                 {"bin", 'l', "usr/bin"},
                                 {"usr/bin/bash", 'f', "elf", 0755},
                                 {"lib", 'l', "/usr/lib"},
                                 {"up", 'l', "../../../../usr/lib/os-release"},
                                 {"loop1", 'l', "loop2"},
                                 {"loop2", 'l', "loop1"}},
                                "sha256:l1");
    FileTree tree;
    tree.apply(layer);
    REQUIRE(tree.captured("etc/os-release") != nullptr);
    CHECK(*tree.captured("up") == *tree.captured("usr/lib/os-release"));
    CHECK(tree.resolve("bin/bash") == "usr/bin/bash");
    CHECK(tree.resolve("lib/os-release") == "usr/lib/os-release");
    CHECK_FALSE(tree.resolve("loop1").has_value());
    CHECK(tree.canonical_owned_path("bin/bash") == "usr/bin/bash");
    CHECK(tree.canonical_owned_path("etc/os-release") == "etc/os-release");
    OsInfo os = detect_os(tree);
    CHECK(os.family == "debian");
    CHECK(os.version == "12");
}

TEST_CASE("hardlinks copy the record and captured content of their layer's file", "[scanner]") {
    LayerResult layer = analyse({{"usr/lib/os-release", 'f', "ID=alpine\n"},
                                 {"etc/os-release", 'h', "usr/lib/os-release"},
                                 {"bin/tool", 'f',
                                  "\x7f"
                                  "ELFxyz",
                                  0755},
                                 {"bin/tool2", 'h', "bin/tool"},
                                 {"bin/dangling", 'h', "not/there"}},
                                "sha256:l1");
    FileTree tree;
    tree.apply(layer);
    REQUIRE(tree.captured("etc/os-release") != nullptr);
    CHECK(*tree.captured("etc/os-release") == "ID=alpine\n");
    const FileTree::Node* copy = tree.find("bin/tool2");
    REQUIRE(copy != nullptr);
    CHECK(copy->record->type == detail::EntryType::Regular);
    CHECK(copy->record->sha256 == test::hex_of("\x7f"
                                               "ELFxyz"));
    CHECK(tree.find("bin/dangling")->record->type == detail::EntryType::Other);
    CHECK(layer.warnings.size() == 1);
}

TEST_CASE("the OS is detected from os-release and the older release files", "[scanner]") {
    SECTION("alpine uses the full release from alpine-release") {
        LayerResult layer = analyse({{"etc/os-release", 'f', "ID=alpine\nVERSION_ID=3.10.4\n"},
                                     {"etc/alpine-release", 'f', "3.10.4\n"}},
                                    "sha256:l");
        FileTree tree;
        tree.apply(layer);
        OsInfo os = detect_os(tree);
        CHECK(os.family == "alpine");
        CHECK(os.version == "3.10.4");
    }
    SECTION("debian without os-release falls back to debian_version") {
        LayerResult layer = analyse({{"etc/debian_version", 'f', "12.5\n"}}, "sha256:l");
        FileTree tree;
        tree.apply(layer);
        OsInfo os = detect_os(tree);
        CHECK(os.family == "debian");
        CHECK(os.version == "12.5");
    }
    SECTION("redhat-release alone") {
        LayerResult layer =
            analyse({{"etc/redhat-release", 'f', "AlmaLinux release 9.3 (Shamrock Pampas Cat)\n"}},
                    "sha256:l");
        FileTree tree;
        tree.apply(layer);
        OsInfo os = detect_os(tree);
        CHECK(os.family == "almalinux");
        CHECK(os.version == "9.3");
    }
}

TEST_CASE("a file over its capture cap is not captured and gives a warning", "[scanner]") {
    std::string bytes = make_tar({{"lib/apk/db/installed", 'f', std::string(5000, 'x')}});
    MemorySource source(bytes);
    AnalysisOptions options;
    options.database_cap = 1000;
    LayerAnalysis analysis(options);
    std::vector<std::string> warnings;
    REQUIRE(read_layer(source, "l", analysis, warnings));
    LayerResult result = analysis.take();
    CHECK(result.captured.empty());
    CHECK(result.warnings.size() == 1);
    REQUIRE(result.files.size() == 1);
    CHECK(result.files[0].content == -1);
}

}  // namespace cguard::scanner
