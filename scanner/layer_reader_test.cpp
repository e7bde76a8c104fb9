#include "scanner/layer_reader.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdio>
#include <cstring>

#include "scanner/tar_test_util.h"

namespace cguard::scanner {
namespace {

using test::Compression;
using test::make_tar;
using test::TarEntry;

struct Seen {
    detail::EntryHeader header;
    std::string content;
};

class Collect : public EntryVisitor {
public:
    Result<void> on_entry(const detail::EntryHeader& header,
                          detail::ContentReader& content) override {
        auto data = detail::read_capped(content, 1 << 20);
        if (!data) {
            return forward_error(data.error());
        }
        seen.push_back({header, *data});
        return {};
    }
    std::vector<Seen> seen;
};

Result<LayerStats> read_all(const std::string& bytes, Collect& visitor,
                            std::vector<std::string>& warnings, LayerLimits limits = {}) {
    MemorySource source(bytes);
    return read_layer(source, "test-layer", visitor, warnings, limits);
}

// Looks at no content, so libarchive skips every entry's data.
class SkipAll : public EntryVisitor {
public:
    Result<void> on_entry(const detail::EntryHeader&, detail::ContentReader&) override {
        return {};
    }
};

// Serves bytes a few KiB at a time and counts what was taken, as a slow pipe would.
class TrickleSource : public ByteSource {
public:
    explicit TrickleSource(std::string_view data) : data_(data) {}
    Result<size_t> read(void* buf, size_t size) override {
        size_t n = std::min({size, data_.size() - taken_, size_t{4096}});
        std::memcpy(buf, data_.data() + taken_, n);
        taken_ += n;
        return n;
    }
    size_t taken() const { return taken_; }

private:
    std::string_view data_;
    size_t taken_ = 0;
};

// A ustar header for one regular file of `size` bytes (up to 8 GiB), written by hand so the
// test can declare a size it never materialises.
std::string ustar_header(const std::string& name, uint64_t size) {
    std::string h(512, '\0');
    auto put = [&h](size_t at, const std::string& text) { h.replace(at, text.size(), text); };
    auto octal = [](uint64_t value, int width) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%0*llo", width, static_cast<unsigned long long>(value));
        return std::string(buf);
    };
    put(0, name);
    put(100, octal(0644, 7));
    put(108, octal(0, 7));
    put(116, octal(0, 7));
    put(124, octal(size, 11));
    put(136, octal(0, 11));
    put(148, std::string(8, ' '));
    h[156] = '0';
    put(257, "ustar");
    put(263, "00");
    unsigned sum = 0;
    for (unsigned char c : h) {
        sum += c;
    }
    put(148, octal(sum, 6));
    h[154] = '\0';
    return h;
}

// A zstd frame holding `header` as a raw block, then `zeros` zero bytes as RLE blocks of
// 128 KiB (4 bytes each): a layer that unpacks 32768 times its size.
std::string zstd_zero_bomb(const std::string& header, uint64_t zeros) {
    constexpr uint32_t kBlock = 128 * 1024;
    std::string out("\x28\xb5\x2f\xfd", 4);
    out += '\x00';  // frame header: no content size, no checksum, a window descriptor follows
    out += '\x38';  // window 2^(10+7) = 128 KiB
    auto block = [&out](uint32_t type, uint32_t size, bool last) {
        uint32_t word = (size << 3) | (type << 1) | (last ? 1 : 0);
        out += static_cast<char>(word & 0xff);
        out += static_cast<char>((word >> 8) & 0xff);
        out += static_cast<char>((word >> 16) & 0xff);
    };
    block(0, static_cast<uint32_t>(header.size()), zeros == 0);
    out += header;
    while (zeros > 0) {
        uint32_t n = static_cast<uint32_t>(std::min<uint64_t>(zeros, kBlock));
        zeros -= n;
        block(1, n, zeros == 0);
        out += '\0';
    }
    return out;
}

}  // namespace

TEST_CASE("normalize_path makes paths relative and refuses to climb above the root", "[scanner]") {
    CHECK(normalize_path("/etc/os-release") == "etc/os-release");
    CHECK(normalize_path("./usr//bin/./sh") == "usr/bin/sh");
    CHECK(normalize_path("a/b/../c") == "a/c");
    CHECK(normalize_path("./") == "");
    CHECK_FALSE(normalize_path("../etc/passwd").has_value());
    CHECK_FALSE(normalize_path("a/../../b").has_value());
}

TEST_CASE("a layer streams in every compression and its digest covers the raw bytes", "[scanner]") {
    auto compression = GENERATE(Compression::None, Compression::Gzip, Compression::Zstd);
    std::string bytes = make_tar(
        {{"etc", 'd'}, {"etc/hostname", 'f', "box\n"}, {"bin/sh", 'l', "busybox"}}, compression);
    Collect visitor;
    std::vector<std::string> warnings;
    auto stats = read_all(bytes, visitor, warnings);
    REQUIRE(stats);
    CHECK(stats->sha256 == test::hex_of(bytes));
    CHECK(stats->raw_bytes == bytes.size());
    REQUIRE(visitor.seen.size() == 3);
    CHECK(visitor.seen[1].header.path == "etc/hostname");
    CHECK(visitor.seen[1].content == "box\n");
    CHECK(visitor.seen[2].header.type == detail::EntryType::Symlink);
    CHECK(visitor.seen[2].header.link_target == "busybox");
    CHECK(warnings.empty());
}

TEST_CASE("hostile entries are dropped or neutralised with a warning", "[scanner]") {
    std::string bytes = make_tar({{"../escape", 'f', "x"},
                                  {"/abs/file", 'f', "y"},
                                  {"dev/null", 'c'},
                                  {"lib/evil", 'l', "/../../etc/shadow"},
                                  {"hl", 'h', "../../outside"}});
    Collect visitor;
    std::vector<std::string> warnings;
    auto stats = read_all(bytes, visitor, warnings);
    REQUIRE(stats);
    REQUIRE(visitor.seen.size() == 3);
    CHECK(visitor.seen[0].header.path == "abs/file");
    CHECK(visitor.seen[1].header.type == detail::EntryType::Other);
    CHECK(visitor.seen[1].content.empty());
    CHECK(visitor.seen[2].header.link_target == "/../../etc/shadow");  // recorded, not followed
    CHECK(warnings.size() == 2);
}

TEST_CASE("a truncated gzip layer is an error naming the layer", "[scanner]") {
    std::string big(200000, 'a');
    for (size_t i = 0; i < big.size(); ++i) {
        big[i] = static_cast<char>('a' + (i * 7919) % 26);
    }
    std::string bytes = make_tar({{"data", 'f', big}}, Compression::Gzip);
    bytes.resize(bytes.size() / 2);
    Collect visitor;
    std::vector<std::string> warnings;
    auto stats = read_all(bytes, visitor, warnings);
    REQUIRE_FALSE(stats);
    CHECK(stats.error().code == ErrorCode::Corrupt);
    CHECK(stats.error().message.find("test-layer") != std::string::npos);
}

TEST_CASE("bytes that are not a tar are a Corrupt error", "[scanner]") {
    Collect visitor;
    std::vector<std::string> warnings;
    auto stats = read_all(std::string(4096, 'z'), visitor, warnings);
    REQUIRE_FALSE(stats);
    CHECK(stats.error().code == ErrorCode::Corrupt);
}

TEST_CASE("a layer with more entries than the cap stops with a warning", "[scanner]") {
    std::vector<TarEntry> entries;
    for (int i = 0; i < 50; ++i) {
        entries.push_back({"f" + std::to_string(i), 'f', "x"});
    }
    std::string bytes = make_tar(entries);
    Collect visitor;
    std::vector<std::string> warnings;
    LayerLimits limits;
    limits.max_entries = 10;
    auto stats = read_all(bytes, visitor, warnings, limits);
    REQUIRE(stats);
    CHECK(stats->stopped_at_limit);
    CHECK(visitor.seen.size() == 10);
    CHECK(stats->sha256 == test::hex_of(bytes));  // the rest was still drained and hashed
    CHECK(warnings.size() == 1);
}

TEST_CASE("over-long and over-deep paths are dropped", "[scanner]") {
    std::string deep;
    for (int i = 0; i < 40; ++i) {
        deep += "d/";
    }
    std::string bytes =
        make_tar({{std::string(300, 'p'), 'f', "x"}, {deep + "f", 'f', "y"}, {"ok", 'f', "z"}});
    Collect visitor;
    std::vector<std::string> warnings;
    LayerLimits limits;
    limits.max_path_bytes = 200;
    limits.max_depth = 20;
    auto stats = read_all(bytes, visitor, warnings, limits);
    REQUIRE(stats);
    REQUIRE(visitor.seen.size() == 1);
    CHECK(visitor.seen[0].header.path == "ok");
    CHECK(warnings.size() == 2);
}

TEST_CASE("the decompression caps default to 64 GiB and 1000x past 1 GiB", "[scanner]") {
    LayerLimits limits;
    CHECK(limits.max_unpacked_bytes == 64ULL << 30);
    CHECK(limits.max_expansion == 1000);
    CHECK(limits.expansion_checked_after == 1ULL << 30);
}

TEST_CASE("a zstd layer that expands more than 1000x is refused while its data is skipped",
          "[scanner]") {
    // 4 GiB of zeros in one entry, 128 KiB of zstd; nothing reads the entry, so all of it
    // would be decompressed by libarchive's skip.
    constexpr uint64_t kZeros = 4ULL << 30;
    std::string bomb = zstd_zero_bomb(ustar_header("zeros", kZeros), kZeros + 1024);
    TrickleSource source(bomb);
    SkipAll visitor;
    std::vector<std::string> warnings;
    LayerLimits limits;
    limits.expansion_checked_after = 1 << 20;
    auto stats = read_layer(source, "sha256:bomb", visitor, warnings, limits);
    REQUIRE_FALSE(stats);
    CHECK(stats.error().code == ErrorCode::LimitExceeded);
    CHECK(stats.error().message ==
          "layer sha256:bomb expands more than 1000x (decompression bomb?)");
    CHECK(source.taken() < bomb.size() / 8);  // refused long before the end
}

TEST_CASE("a gzip layer of zeros expands past 1000x and is refused", "[scanner]") {
    std::string bytes = make_tar({{"zeros", 'f', std::string(32 << 20, '\0')}}, Compression::Gzip);
    INFO("ratio " << (32 << 20) / bytes.size());
    Collect visitor;
    std::vector<std::string> warnings;
    LayerLimits limits;
    limits.expansion_checked_after = 1 << 20;
    auto stats = read_all(bytes, visitor, warnings, limits);
    REQUIRE_FALSE(stats);
    CHECK(stats.error().code == ErrorCode::LimitExceeded);
    CHECK(stats.error().message.find("test-layer expands more than 1000x") != std::string::npos);
}

TEST_CASE("a layer unpacking past the size cap is refused, one under it is read", "[scanner]") {
    std::string text;
    for (size_t i = 0; text.size() < (3u << 20); ++i) {
        text += std::to_string(i * 2654435761u % 1000003) + "\n";  // compresses about 3x
    }
    auto compression = GENERATE(Compression::None, Compression::Gzip, Compression::Zstd);
    std::string bytes = make_tar({{"a", 'f', text}, {"b", 'f', text}}, compression);
    LayerLimits limits;
    limits.expansion_checked_after = 0;  // an ordinary ratio passes from the first byte
    limits.max_unpacked_bytes = 8 << 20;
    Collect visitor;
    std::vector<std::string> warnings;
    auto ok = read_all(bytes, visitor, warnings, limits);
    REQUIRE(ok);
    CHECK(ok->unpacked_bytes > 2 * text.size());

    limits.max_unpacked_bytes = 4 << 20;
    Collect refused_visitor;
    auto refused = read_all(bytes, refused_visitor, warnings, limits);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == ErrorCode::LimitExceeded);
    CHECK(refused.error().message == "layer test-layer unpacks to more than 4194304 bytes");
}

TEST_CASE("warnings do not name their layer and quote hostile paths shortened", "[scanner]") {
    std::string long_name(20000, 'n');
    std::string bytes = make_tar({{"../" + long_name, 'f', "x"}, {"ok", 'f', "y"}});
    Collect visitor;
    std::vector<std::string> warnings;
    REQUIRE(read_all(bytes, visitor, warnings));
    REQUIRE(warnings.size() == 1);
    CHECK(warnings[0].find("test-layer") == std::string::npos);  // the scanner adds it once
    CHECK(warnings[0].starts_with("dropped entry '../nnn"));
    CHECK(warnings[0].size() < 400);
    CHECK(warnings[0].find("\u2026'") != std::string::npos);
}

TEST_CASE("quoted paths are cut at a UTF-8 character boundary", "[scanner]") {
    CHECK(detail::quoted_path("short") == "short");
    std::string accented;
    for (int i = 0; i < 200; ++i) {
        accented += "\u00e9";  // two bytes each
    }
    std::string quoted = detail::quoted_path("x" + accented);
    CHECK(quoted.size() <= detail::kQuotedPathBytes + 3);
    CHECK(quoted == "x" + accented.substr(0, 254) + "\u2026");
}

}  // namespace cguard::scanner
