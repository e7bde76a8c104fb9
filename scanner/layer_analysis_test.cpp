#include "scanner/layer_analysis.h"

#include <catch2/catch.hpp>

#include "scanner/image_source.h"
#include "scanner/tar_test_util.h"

namespace cguard::scanner {
namespace {

using test::make_tar;
using test::TarEntry;

LayerResult analyse(const std::string& tar, AnalysisOptions options = {}) {
    MemorySource source(tar);
    LayerAnalysis analysis(options);
    std::vector<std::string> warnings;
    auto stats = read_layer(source, "test-layer", analysis, warnings);
    REQUIRE(stats);
    return analysis.take();
}

uint64_t captured_bytes(const LayerResult& layer) {
    uint64_t total = 0;
    for (const auto& file : layer.captured) {
        total += file.data.size();
    }
    return total;
}

// The content captured for the latest record of `path`, or nullptr.
const std::string* latest_capture(const LayerResult& layer, std::string_view path) {
    const std::string* found = nullptr;
    for (const auto& record : layer.files) {
        if (layer.path(record) == path) {
            found = record.content >= 0 ? &layer.captured[record.content].data : nullptr;
        }
    }
    return found;
}

std::string stanza_text(char fill, size_t size) {
    return "Package: p\nVersion: 1\n" + std::string(size, fill) + "\n";
}

}  // namespace

TEST_CASE("a layer repeating a captured path keeps only the last copy", "[scanner]") {
    std::vector<TarEntry> entries;
    for (int i = 0; i < 40; ++i) {
        entries.push_back({"var/lib/dpkg/status", 'f', stanza_text('a' + i % 26, 1 << 20)});
    }
    LayerResult layer = analyse(make_tar(entries));
    CHECK(layer.files.size() == 40);
    CHECK(layer.captured.size() == 1);
    CHECK(captured_bytes(layer) == entries.back().data.size());
    const std::string* last = latest_capture(layer, "var/lib/dpkg/status");
    REQUIRE(last != nullptr);
    CHECK(*last == entries.back().data);
    CHECK(layer.warnings.empty());
}

TEST_CASE("a hardlink keeps the copy it names when the path is written again", "[scanner]") {
    LayerResult layer = analyse(make_tar({{"var/lib/dpkg/status", 'f', stanza_text('a', 10)},
                                          {"keep", 'h', "var/lib/dpkg/status"},
                                          {"var/lib/dpkg/status", 'f', stanza_text('b', 10)}}));
    REQUIRE(latest_capture(layer, "keep") != nullptr);
    CHECK(*latest_capture(layer, "keep") == stanza_text('a', 10));
    CHECK(*latest_capture(layer, "var/lib/dpkg/status") == stanza_text('b', 10));
}

TEST_CASE("captures past the layer's cap stop with one warning", "[scanner]") {
    std::vector<TarEntry> entries;
    for (int i = 0; i < 5; ++i) {
        entries.push_back(
            {"var/lib/dpkg/status.d/p" + std::to_string(i), 'f', stanza_text('x', 1 << 20)});
    }
    entries.push_back({"etc/os-release", 'f', "ID=debian\n"});
    AnalysisOptions options;
    options.layer_capture_cap = 3 << 20;
    LayerResult layer = analyse(make_tar(entries), options);
    CHECK(layer.captured.size() == 2);
    CHECK(captured_bytes(layer) <= options.layer_capture_cap);
    CHECK(latest_capture(layer, "etc/os-release") == nullptr);  // nothing after the cap
    REQUIRE(layer.warnings.size() == 1);
    CHECK(layer.warnings[0] ==
          "captured files of the layer exceed 3145728 bytes; 'var/lib/dpkg/status.d/p2' and "
          "later package databases and manifests not analysed");
}

TEST_CASE("captures are capped per image across layers", "[scanner]") {
    AnalysisOptions defaults;
    CHECK(defaults.layer_capture_cap == 256ULL << 20);
    CHECK(defaults.image_capture_cap == 512ULL << 20);

    SourceContext context;
    context.analysis.image_capture_cap = 5 << 20;
    std::vector<std::string> warnings;
    for (int i = 0; i < 3; ++i) {
        LayerResult layer =
            analyse(make_tar({{"var/lib/dpkg/status.d/a", 'f', stanza_text('a', 1 << 20)},
                              {"var/lib/dpkg/status.d/b", 'f', stanza_text('b', 1 << 20)}}),
                    context.layer_options());
        context.count(layer);
        warnings.insert(warnings.end(), layer.warnings.begin(), layer.warnings.end());
    }
    CHECK(context.captured_bytes <= 5u << 20);
    CHECK(context.captured_bytes >= 4u << 20);
    REQUIRE(warnings.size() == 1);
    CHECK(warnings[0].starts_with("captured files of the image exceed 5242880 bytes"));
}

TEST_CASE("a layer of many java decompression bombs is read in bounded time", "[scanner]") {
    // The hostile-input review's case, scaled down: jars of 32 MiB of deflated zeros each.
    std::string jar = test::make_zip({{"zeros.bin", std::string(32 << 20, '\0')}});
    std::vector<TarEntry> entries;
    for (int i = 0; i < 40; ++i) {
        entries.push_back({"app/b" + std::to_string(i) + ".jar", 'f', jar});
    }
    // Each jar stops after about 6 MiB inflated instead of 32 MiB.
    LayerResult layer = analyse(make_tar(entries));
    size_t bombs = 0;
    for (const auto& w : layer.warnings) {
        bombs += w.find("expands more than 100x") != std::string::npos ? 1 : 0;
    }
    CHECK(bombs == 40);
}

}  // namespace cguard::scanner
