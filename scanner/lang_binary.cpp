// BinaryProbe sees every executable and library once, as a stream, so it keeps only what it
// can prove it needs:
//  - Go: the build info blob starts with a 14-byte magic at a 16-byte aligned offset. The
//    probe checks each aligned 16-byte block (assembling blocks that straddle feed() chunks)
//    and, once found, captures the blob up to its encoded length (at most 1 MiB).
//  - Rust (cargo-auditable): `.dep-v0` is found through the section headers, which sit at
//    e_shoff near the end of the file while the section data comes before them. e_shoff is in
//    the ELF header, so from the first 64 bytes we know where the table will be and keep only
//    the bytes from kRustWindow before it to its end. Non-alloc sections (.dep-v0, .shstrtab)
//    are laid out just before the table, so this holds them unless more than kRustWindow of
//    debug info comes in between, which is reported as a warning.
#include <algorithm>
#include <cstring>

#include "scanner/detail/lang_packages.h"
#include "scanner/lang_binary.h"

namespace cguard::scanner::detail {
namespace {

constexpr size_t kElfHeaderBytes = 64;
constexpr uint64_t kRustWindow = 16 * 1024 * 1024;
constexpr uint64_t kMaxSectionTable = 4 * 1024 * 1024;
constexpr size_t kBlock = 16;

enum class Kind { Unknown, Elf, NotElf };

}  // namespace

struct BinaryProbe::Impl {
    std::string path;
    Kind kind = Kind::Unknown;
    uint64_t offset = 0;  // bytes fed so far
    std::string header;   // first kElfHeaderBytes bytes
    LangPackages result;

    // Go
    uint8_t block[kBlock] = {};
    bool go_found = false;
    bool go_done = false;
    std::string go_blob;

    // Rust: file bytes [rust_start, rust_end) kept in `rust_region`.
    ElfLayout elf;
    bool rust_wanted = false;
    uint64_t rust_start = 0;
    uint64_t rust_end = 0;
    std::string rust_region;

    void take_header(const uint8_t* data, size_t size);
    void plan_rust();
    void feed_go(const uint8_t* data, size_t size);
    void capture_go(const uint8_t* data, size_t size);
    void feed_rust(const uint8_t* data, size_t size);
};

void BinaryProbe::Impl::take_header(const uint8_t* data, size_t size) {
    size_t take = std::min(size, kElfHeaderBytes - header.size());
    header.append(reinterpret_cast<const char*>(data), take);
    if (kind == Kind::Unknown && header.size() >= 4) {
        kind = header.compare(0, 4,
                              "\x7f"
                              "ELF") == 0
                   ? Kind::Elf
                   : Kind::NotElf;
    }
    if (kind == Kind::Elf && header.size() == kElfHeaderBytes) {
        plan_rust();
    }
}

void BinaryProbe::Impl::plan_rust() {
    if (!read_elf_layout(header, elf) || elf.shoff == 0 || elf.shnum == 0) {
        return;
    }
    uint64_t table = uint64_t{elf.shnum} * elf.shentsize;
    if (table > kMaxSectionTable) {
        result.warnings.push_back(path + ": ELF section header table too large; not analysed");
        return;
    }
    rust_wanted = true;
    rust_start = elf.shoff > kRustWindow ? elf.shoff - kRustWindow : 0;
    rust_end = elf.shoff + table;
    rust_region.reserve(rust_end - rust_start);
}

void BinaryProbe::Impl::capture_go(const uint8_t* data, size_t size) {
    go_blob.append(reinterpret_cast<const char*>(data),
                   std::min(size, kGoBuildInfoCap - go_blob.size()));
    size_t needed = go_buildinfo_needed(go_blob);
    if (needed != 0 && go_blob.size() >= needed) {
        go_blob.resize(needed);
        go_done = true;
    } else if (go_blob.size() >= kGoBuildInfoCap) {
        go_done = true;
    }
}

void BinaryProbe::Impl::feed_go(const uint8_t* data, size_t size) {
    if (go_found) {
        if (!go_done) {
            capture_go(data, size);
        }
        return;
    }
    size_t i = 0;
    while (i < size) {
        size_t in_block = (offset + i) % kBlock;
        if (in_block == 0 && size - i >= kBlock) {
            if (data[i] == 0xff && std::memcmp(data + i, kGoBuildInfoMagic.data(), 14) == 0) {
                go_found = true;
                capture_go(data + i, size - i);
                return;
            }
            i += kBlock;
            continue;
        }
        // A block split across chunks is assembled in `block` before it is checked.
        size_t take = std::min(kBlock - in_block, size - i);
        std::memcpy(block + in_block, data + i, take);
        i += take;
        if (in_block + take == kBlock && std::memcmp(block, kGoBuildInfoMagic.data(), 14) == 0) {
            go_found = true;
            capture_go(block, kBlock);
            capture_go(data + i, size - i);
            return;
        }
    }
}

void BinaryProbe::Impl::feed_rust(const uint8_t* data, size_t size) {
    uint64_t begin = std::max(offset, rust_start);
    uint64_t end = std::min(offset + size, rust_end);
    if (begin >= end) {
        return;
    }
    rust_region.append(reinterpret_cast<const char*>(data + (begin - offset)), end - begin);
}

BinaryProbe::BinaryProbe(std::string path) : impl_(std::make_unique<Impl>()) {
    impl_->path = std::move(path);
}

BinaryProbe::~BinaryProbe() = default;

bool BinaryProbe::is_elf() const {
    return impl_->kind == Kind::Elf;
}

void BinaryProbe::feed(const uint8_t* data, size_t size) {
    Impl& s = *impl_;
    if (s.kind == Kind::NotElf || size == 0) {
        return;
    }
    if (s.header.size() < kElfHeaderBytes) {
        s.take_header(data, size);
        if (s.kind == Kind::NotElf) {
            return;
        }
        // The header may have arrived over several chunks: the earlier ones are in `header`.
        if (s.rust_wanted && s.rust_region.empty() && s.rust_start < s.offset) {
            uint64_t end = std::min(s.offset, s.rust_end);
            s.rust_region = s.header.substr(s.rust_start, end - s.rust_start);
        }
    }
    s.feed_go(data, size);
    if (s.rust_wanted) {
        s.feed_rust(data, size);
    }
    s.offset += size;
}

LangPackages BinaryProbe::finish() {
    Impl& s = *impl_;
    if (s.kind != Kind::Elf) {
        return {};
    }
    if (s.go_found) {
        parse_go_buildinfo(s.go_blob, s.path, s.result);
    }
    if (s.rust_wanted && s.header.size() == kElfHeaderBytes) {
        parse_cargo_auditable(s.elf, s.rust_region, s.rust_start, s.path, s.result);
    }
    return std::move(s.result);
}

}  // namespace cguard::scanner::detail
