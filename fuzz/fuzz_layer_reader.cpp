// libFuzzer entry: the input bytes are one layer (tar, possibly gzip/zstd-compressed), read and
// analysed exactly as an image layer would be, then merged into a file tree and looked up.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/log.h"
#include "scanner/file_tree.h"
#include "scanner/layer_analysis.h"
#include "scanner/layer_reader.h"
#include "scanner/os_release.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static const bool quiet = [] {
        cguard::log::configure(cguard::log::Level::Off, cguard::log::Format::Text);
        return true;
    }();
    (void)quiet;
    using namespace cguard::scanner;
    MemorySource source(std::string_view(reinterpret_cast<const char*>(data), size));
    LayerLimits limits;
    limits.max_entries = 10000;
    // Small caps keep each input fast: a bomb is refused the same way, just sooner.
    limits.max_unpacked_bytes = 64u << 20;
    limits.expansion_checked_after = 1u << 20;
    AnalysisOptions options;
    options.database_cap = 1 << 20;
    options.text_cap = 1 << 20;
    LayerAnalysis analysis(options);
    std::vector<std::string> warnings;
    auto stats = read_layer(source, "fuzz", analysis, warnings, limits);
    LayerResult layer = analysis.take();
    FileTree tree;
    tree.apply(layer);
    (void)detect_os(tree);
    for (const auto& record : layer.files) {
        (void)tree.find(layer.path(record));
    }
    return 0;
}
