#include "scanner/image_source.h"

#include <algorithm>

namespace cguard::scanner {

void ProgressMeter::set_total(uint64_t bytes_total, size_t layers_total) {
    progress_.bytes_total = bytes_total;
    progress_.layers_total = layers_total;
}

// Sources count bytes differently (archive bytes read vs the layers' own sizes): never let the
// figure a user watches go backwards.
void ProgressMeter::update(uint64_t bytes_read, size_t layers_done, bool force) {
    progress_.bytes_read = std::max(progress_.bytes_read, bytes_read);
    progress_.layers_done = std::max(progress_.layers_done, layers_done);
    if (!callback_) {
        return;
    }
    auto now = std::chrono::steady_clock::now();
    if (!force && now - last_ < std::chrono::milliseconds(200)) {
        return;
    }
    last_ = now;
    callback_(progress_);
}

AnalysisOptions SourceContext::layer_options() const {
    AnalysisOptions options = analysis;
    options.image_captured_before = captured_bytes;
    return options;
}

void SourceContext::count(const LayerResult& layer) {
    for (const auto& file : layer.captured) {
        captured_bytes += file.data.size();
    }
}

}  // namespace cguard::scanner
