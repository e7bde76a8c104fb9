#include "scanner/file_tree.h"

#include <catch2/catch.hpp>
#include <map>
#include <random>

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

// The merge rules applied the direct way, entry by entry on an ordered map: (layer, record
// index) by path. FileTree::apply does the same as one merge of sorted lists.
std::map<std::string, std::pair<size_t, size_t>> reference_tree(
    const std::vector<LayerResult>& layers) {
    std::map<std::string, std::pair<size_t, size_t>> nodes;
    auto erase_below = [&](const std::string& dir) {
        if (dir.empty()) {
            nodes.clear();
            return;
        }
        nodes.erase(nodes.lower_bound(dir + '/'), nodes.lower_bound(dir + '0'));
    };
    for (size_t l = 0; l < layers.size(); ++l) {
        for (const auto& dir : layers[l].opaque_dirs) {
            erase_below(dir);
        }
        for (const auto& path : layers[l].whiteouts) {
            nodes.erase(path);
            erase_below(path);
        }
        for (size_t i = 0; i < layers[l].files.size(); ++i) {
            const FileRecord& record = layers[l].files[i];
            std::string path(layers[l].path(record));
            if (record.type != detail::EntryType::Directory) {
                erase_below(path);
            }
            nodes[path] = {l, i};
        }
    }
    return nodes;
}

size_t record_index(const LayerResult& layer, const FileRecord* record) {
    for (size_t i = 0; i < layer.files.size(); ++i) {
        if (&layer.files[i] == record) {
            return i;
        }
    }
    return SIZE_MAX;
}

}  // namespace

TEST_CASE("the merged tree matches entry-by-entry application on random layers", "[scanner]") {
    // Names chosen so that siblings sort between a directory and its children ("a-b", "a.b"
    // come before "a/"), and a path can be a file in one layer and a directory in another.
    const std::vector<std::string> names = {"a", "a-b", "a.b", "b", "ab"};
    std::mt19937 rng(7);
    auto pick = [&](size_t n) { return static_cast<size_t>(rng() % n); };
    for (int round = 0; round < 300; ++round) {
        std::vector<LayerResult> layers;
        size_t layer_count = 1 + pick(4);
        for (size_t l = 0; l < layer_count; ++l) {
            std::vector<TarEntry> entries;
            size_t entry_count = pick(12);
            for (size_t e = 0; e < entry_count; ++e) {
                std::string path;
                for (size_t depth = 1 + pick(3); depth > 0; --depth) {
                    path += (path.empty() ? "" : "/") + names[pick(names.size())];
                }
                size_t dir = path.rfind('/');
                std::string parent = dir == std::string::npos ? "" : path.substr(0, dir + 1);
                switch (pick(8)) {
                    case 0: entries.push_back({parent + ".wh..wh..opq", 'f'}); break;
                    case 1:
                        entries.push_back({parent + ".wh." + path.substr(parent.size()), 'f'});
                        break;
                    case 2: entries.push_back({path, 'd', "", 0755}); break;
                    case 3: entries.push_back({path, 'l', "a/b"}); break;
                    default: entries.push_back({path, 'f', std::to_string(e)}); break;
                }
            }
            layers.push_back(analyse(entries, "sha256:l" + std::to_string(l)));
        }
        FileTree tree;
        for (const auto& layer : layers) {
            tree.apply(layer);
        }
        std::map<std::string, std::pair<size_t, size_t>> got;
        tree.for_each([&](std::string_view path, const FileTree::Node& node) {
            got[std::string(path)] = {node.layer,
                                      record_index(tree.layer(node.layer), node.record)};
        });
        INFO("round " << round);
        REQUIRE(got == reference_tree(layers));
        REQUIRE(tree.size() == got.size());
    }
}

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
    CHECK(tree.layer(copy->layer).sha256(*copy->record) == test::hex_of("\x7f"
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
