#include "scanner/file_tree.h"

#include <catch2/catch.hpp>
#include <deque>
#include <map>
#include <random>

#include "scanner/inventory.h"
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

// Symlink resolution the direct way: the path rebuilt and looked up whole at every component.
// FileTree::resolve walks node ranges instead; on small trees both must answer alike.
std::optional<std::string> reference_resolve(const FileTree& tree, std::string_view path,
                                             bool follow_last) {
    auto split = [](std::string_view text) {
        std::deque<std::string> parts;
        std::string part;
        for (char c : std::string(text) + "/") {
            if (c != '/') {
                part += c;
                continue;
            }
            if (!part.empty() && part != ".") {
                parts.push_back(part);
            }
            part.clear();
        }
        return parts;
    };
    auto join = [](const std::vector<std::string>& parts) {
        std::string out;
        for (const auto& part : parts) {
            out += (out.empty() ? "" : "/") + part;
        }
        return out;
    };
    std::deque<std::string> pending = split(path);
    std::vector<std::string> done;
    int hops = 0;
    while (!pending.empty()) {
        std::string part = pending.front();
        pending.pop_front();
        if (part == "..") {
            if (!done.empty()) {
                done.pop_back();
            }
            continue;
        }
        done.push_back(part);
        if (pending.empty() && !follow_last) {
            break;
        }
        const FileTree::Node* node = tree.find_exact(join(done));
        if (node == nullptr || node->record->type != detail::EntryType::Symlink) {
            continue;
        }
        if (++hops > FileTree::kMaxSymlinkHops) {
            return std::nullopt;
        }
        std::string target(tree.layer(node->layer).link_target(*node->record));
        done.pop_back();
        if (!target.empty() && target[0] == '/') {
            done.clear();
        }
        std::deque<std::string> more = split(target);
        pending.insert(pending.begin(), more.begin(), more.end());
    }
    return join(done);
}

std::string repeat(const std::string& text, size_t count) {
    std::string out;
    for (size_t i = 0; i < count; ++i) {
        out += text;
    }
    return out;
}

// A dpkg status naming one installed package and its file list, as the entries of a layer.
void add_dpkg_package(std::vector<TarEntry>& entries, const std::string& name,
                      const std::string& list) {
    entries.push_back(
        {"var/lib/dpkg/status", 'f',
         "Package: " + name +
             "\nStatus: install ok installed\nVersion: 1.0\nArchitecture: amd64\n\n"});
    entries.push_back({"var/lib/dpkg/info/" + name + ".list", 'f', list});
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

TEST_CASE("symlink lookups answer as the whole-path reference does on random trees", "[scanner]") {
    const std::vector<std::string> names = {"a", "a-b", "a.b", "b", "..", "."};
    std::mt19937 rng(11);
    auto pick = [&](size_t n) { return static_cast<size_t>(rng() % n); };
    auto random_path = [&](size_t first) {
        std::string path = pick(4) == 0 ? "/" : "";
        for (size_t depth = 1 + pick(4); depth > 0; --depth) {
            path += names[first + pick(names.size() - first)] + (depth > 1 ? "/" : "");
        }
        return pick(6) == 0 ? path + "/" : path;
    };
    for (int round = 0; round < 300; ++round) {
        std::vector<TarEntry> entries;
        for (size_t e = pick(16); e > 0; --e) {
            std::string path = random_path(0);
            if (pick(3) == 0) {
                entries.push_back({path, 'l', random_path(0)});
            } else {
                entries.push_back({path, pick(2) == 0 ? 'd' : 'f', "", 0755});
            }
        }
        LayerResult layer = analyse(entries, "sha256:l");
        FileTree tree;
        tree.apply(layer);
        OwnedPathResolver resolver(tree);
        for (int query = 0; query < 40; ++query) {
            std::string path = random_path(0);
            INFO("round " << round << " path " << path);
            CHECK(tree.resolve(path) == reference_resolve(tree, path, true));
            CHECK(tree.resolve(path, false) == reference_resolve(tree, path, false));
            CHECK(resolver.canonical(path) == tree.canonical_owned_path(path));
            std::string dir =
                path.substr(0, path.rfind('/') == std::string::npos ? 0 : path.rfind('/'));
            if (path.find('/') != std::string::npos) {
                auto ref = reference_resolve(tree, dir, true);
                std::string name = path.substr(path.rfind('/') + 1);
                std::string want = !ref ? path : ref->empty() ? name : *ref + "/" + name;
                CHECK(tree.canonical_owned_path(path) == want);
            }
        }
        CHECK(tree.bounded_lookups() == 0);
    }
}

// The hostile layer of a review: one link into a chain of 40 whose targets are 500 components
// long, and a file list naming 20,000 files through it. Resolving each listed path anew, and
// rebuilding the path at each component, took minutes; now the directory is resolved once and
// that lookup stops at kMaxResolveSteps.
TEST_CASE("a file list naming paths through a long link chain is resolved in bounded work",
          "[scanner]") {
    const std::string deep = repeat("a/", 500);
    std::vector<TarEntry> entries = {{"c", 'l', "/" + deep + "L1"}};
    for (int i = 1; i < 40; ++i) {
        entries.push_back(
            {deep + "L" + std::to_string(i), 'l', "/" + deep + "L" + std::to_string(i + 1)});
    }
    std::string list;
    for (int i = 0; i < 20000; ++i) {
        list += "/c/f" + std::to_string(i) + "\n";
    }
    add_dpkg_package(entries, "hostile", list);
    LayerResult layer = analyse(entries, "sha256:hostile");
    FileTree tree;
    tree.apply(layer);

    // Work is bounded by resolve steps (deterministic), not by a wall clock on a noisy machine.
    Inventory inventory = build_inventory(tree, detect_os(tree), true);
    CHECK(tree.resolve_steps() <= 4 * FileTree::kMaxResolveSteps);
    CHECK(tree.bounded_lookups() >= 1);
    REQUIRE(inventory.packages.size() == 1);
    CHECK(inventory.packages[0].name == "hostile");
    bool warned = false;
    for (const auto& warning : inventory.warnings) {
        warned = warned || warning.find("work bound") != std::string::npos;
    }
    CHECK(warned);
}

TEST_CASE("lookups that share no directory stop at the per-tree budget", "[scanner]") {
    const std::string deep = repeat("a/", 500);
    std::vector<TarEntry> entries = {{"c", 'l', "/" + deep + "L1"}};
    for (int i = 1; i < 40; ++i) {
        entries.push_back(
            {deep + "L" + std::to_string(i), 'l', "/" + deep + "L" + std::to_string(i + 1)});
    }
    LayerResult layer = analyse(entries, "sha256:hostile");
    FileTree tree;
    tree.apply(layer);
    size_t lookups = FileTree::kMaxTreeResolveSteps / FileTree::kMaxResolveSteps + 100;
    for (size_t i = 0; i < lookups; ++i) {
        CHECK_FALSE(tree.resolve("c/f" + std::to_string(i)).has_value());
    }
    CHECK(tree.resolve_budget_exhausted());
    CHECK(tree.resolve_steps() <= FileTree::kMaxTreeResolveSteps + FileTree::kMaxResolveSteps);
    CHECK(tree.bounded_lookups() == lookups);
}

TEST_CASE("a long link chain within the bounds resolves once for all the paths through it",
          "[scanner]") {
    const std::string deep = repeat("a/", 100);
    std::vector<TarEntry> entries = {{"c", 'l', "/" + deep + "L1"}};
    for (int i = 1; i < 10; ++i) {
        entries.push_back({deep + "L" + std::to_string(i), 'l',
                           repeat("x/../", 50) + "L" + std::to_string(i + 1)});
    }
    entries.push_back({deep + "L10", 'l', "/real"});
    std::string list;
    for (int i = 0; i < 20000; ++i) {
        list += "/c/f" + std::to_string(i) + "\n";
        if (i < 100) {
            entries.push_back({"real/f" + std::to_string(i), 'f', "", 0755});
        }
    }
    entries.push_back({"real/stray", 'f', "", 0755});
    add_dpkg_package(entries, "chained", list);
    LayerResult layer = analyse(entries, "sha256:chain");
    FileTree tree;
    tree.apply(layer);
    REQUIRE(tree.resolve("c/f7") == "real/f7");

    uint64_t before = tree.resolve_steps();
    Inventory inventory = build_inventory(tree, detect_os(tree), true);
    CHECK(tree.resolve_steps() - before < 3 * (before + 100));
    CHECK(tree.bounded_lookups() == 0);
    CHECK(inventory.warnings.empty());
    REQUIRE(inventory.unowned_files.size() == 1);
    CHECK(inventory.unowned_files[0].path == "real/stray");
}

TEST_CASE("100,000 owned paths under a usr-merged directory resolve to their files", "[scanner]") {
    std::vector<TarEntry> entries = {{"lib", 'l', "usr/lib"}};
    std::string list;
    for (int dir = 0; dir < 100; ++dir) {
        for (int file = 0; file < 1000; ++file) {
            std::string name = "d" + std::to_string(dir) + "/f" + std::to_string(file);
            entries.push_back({"usr/lib/" + name, 'f', "", 0755});
            list += "/lib/" + name + "\n";
        }
    }
    entries.push_back({"usr/lib/d7/stray", 'f', "", 0755});
    add_dpkg_package(entries, "big", list);
    LayerResult layer = analyse(entries, "sha256:big");
    FileTree tree;
    tree.apply(layer);

    Inventory inventory = build_inventory(tree, detect_os(tree), true);
    CHECK(tree.resolve_steps() < 10000);  // ~4 per distinct directory, not per path
    REQUIRE(inventory.unowned_files.size() == 1);
    CHECK(inventory.unowned_files[0].path == "usr/lib/d7/stray");
}

}  // namespace cguard::scanner
