#include "scanner/layer_reader.h"

#include <catch2/catch.hpp>

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

}  // namespace cguard::scanner
