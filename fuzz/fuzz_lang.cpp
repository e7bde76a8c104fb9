// libFuzzer entry for the language analyzers: the same bytes go to every text parser, to
// BinaryProbe (in chunks whose sizes come from the first input byte, so block straddling is
// exercised) and to the java archive reader as a pull stream.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "scanner/detail/lang_packages.h"
#include "scanner/detail/purl.h"

namespace {

using namespace cguard::scanner::detail;

class MemoryReader : public ContentReader {
public:
    MemoryReader(const uint8_t* data, size_t size) : data_(data), size_(size) {}
    cguard::Result<size_t> read(void* buf, size_t size) override {
        size_t take = std::min({size, size_ - pos_, size_t{777}});
        std::memcpy(buf, data_ + pos_, take);
        pos_ += take;
        return take;
    }

private:
    const uint8_t* data_;
    size_t size_;
    size_t pos_ = 0;
};

void probe_binary(const uint8_t* data, size_t size) {
    size_t chunk = size == 0 ? 1 : 1 + data[0] % 64;
    // An ELF header in front lets mutations reach the Go and Rust paths.
    static const uint8_t kElf[4] = {0x7f, 'E', 'L', 'F'};
    for (bool prefix : {false, true}) {
        BinaryProbe probe("fuzz");
        if (prefix) {
            probe.feed(kElf, sizeof kElf);
        }
        for (size_t pos = 0; pos < size; pos += chunk) {
            probe.feed(data + pos, std::min(chunk, size - pos));
        }
        (void)probe.finish();
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    const std::string path = "fuzz";
    (void)parse_python_metadata(text, path);
    (void)parse_npm_package_json(text, path);
    (void)parse_gemspec(text, path);
    (void)parse_composer_installed(text, path);
    (void)parse_dotnet_deps(text, path);
    (void)classify_lang_file(text);
    (void)is_java_archive_path(text);
    (void)make_purl(text.substr(0, 8), text.substr(0, size / 2), text.substr(size / 2), text,
                    {{std::string(text.substr(0, 3)), std::string(text)}});
    probe_binary(data, size);
    MemoryReader reader(data, size);
    (void)scan_java_archive(reader, path);
    return 0;
}
