// Hostile image layouts found by the adversarial review: each input used to crash, hang or
// escape as an internal error, and must now be a clear error.
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>

#include "scanner/detail/image_manifest.h"
#include "scanner/layer_reader.h"
#include "scanner/scanner.h"
#include "scanner/tar_test_util.h"
#include "tests/test_support.h"

namespace cguard::scanner {
namespace {

using test::make_tar;
using test::TarEntry;

// An OCI layout whose index names `manifest` (the manifest blob is stored under its digest).
struct Layout {
    std::string index;
    std::vector<std::pair<std::string, std::string>> blobs;  // hex -> content
};

Layout layout_with_manifest(const std::string& manifest) {
    std::string hex = test::hex_of(manifest);
    Layout out;
    out.index = R"({"schemaVersion":2,"manifests":[{"mediaType":)"
                R"("application/vnd.oci.image.manifest.v1+json","digest":"sha256:)" +
                hex + R"(","size":1}]})";
    out.blobs.push_back({hex, manifest});
    return out;
}

void write_layout(const std::string& dir, const Layout& layout) {
    REQUIRE(::cguard::test::run("mkdir -p " + dir + "/blobs/sha256").exit_code == 0);
    ::cguard::test::write_file(dir + "/index.json", layout.index);
    ::cguard::test::write_file(dir + "/oci-layout", R"({"imageLayoutVersion":"1.0.0"})");
    for (const auto& [hex, content] : layout.blobs) {
        ::cguard::test::write_file(dir + "/blobs/sha256/" + hex, content);
    }
}

std::string manifest_for(const std::string& config_digest, const std::string& layer_digest) {
    return R"({"schemaVersion":2,"config":{"digest":")" + config_digest +
           R"("},"layers":[{"digest":")" + layer_digest + R"("}]})";
}

}  // namespace

TEST_CASE("an image manifest that is not a JSON object is Corrupt, not a crash", "[scanner]") {
    auto manifest = GENERATE(std::string("12345"), std::string("\"" + std::string(200, 'A') + "\""),
                             std::string("[{\"a\":1},2,3]"), std::string("true"));
    Layout layout = layout_with_manifest(manifest);
    detail::BlobLoader load = [&](const std::string&) -> Result<std::string> { return manifest; };
    auto chosen = detail::select_manifest(layout.index, "", load);
    REQUIRE_FALSE(chosen);
    CHECK(chosen.error().code == ErrorCode::Corrupt);
}

TEST_CASE("a deeply nested index.json is Corrupt, not a stack overflow", "[scanner]") {
    detail::BlobLoader load = [](const std::string&) -> Result<std::string> {
        return make_error(ErrorCode::NotFound, "unused");
    };
    auto chosen = detail::select_manifest(std::string(1'000'000, '['), "", load);
    REQUIRE_FALSE(chosen);
    CHECK(chosen.error().code == ErrorCode::Corrupt);
    CHECK_FALSE(detail::parse_docker_manifest(std::string(1'000'000, '[')));
}

TEST_CASE("an OCI layer blob that is /dev/zero or a FIFO is refused at once", "[scanner]") {
    ::cguard::test::TempDir dir;
    std::string config = R"({"rootfs":{"type":"layers","diff_ids":[]}})";
    std::string layer_hex(64, 'c');
    std::string manifest = manifest_for("sha256:" + test::hex_of(config), "sha256:" + layer_hex);
    Layout layout = layout_with_manifest(manifest);
    layout.blobs.push_back({test::hex_of(config), config});
    write_layout(dir.path(), layout);
    std::string blob = dir.path() + "/blobs/sha256/" + layer_hex;

    auto kind = GENERATE(std::string("zero"), std::string("fifo"));
    ::unlink(blob.c_str());
    if (kind == "zero") {
        REQUIRE(::symlink("/dev/zero", blob.c_str()) == 0);
    } else {
        REQUIRE(::mkfifo(blob.c_str(), 0600) == 0);
    }
    auto start = std::chrono::steady_clock::now();
    auto report = scan("oci:" + dir.path());
    REQUIRE_FALSE(report);
    CHECK(report.error().message.find("not a regular file") != std::string::npos);
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(10));
}

TEST_CASE("an oci-archive whose config digest is empty is a clear error", "[scanner]") {
    std::string layer = make_tar({{"etc/hostname", 'f', "box\n"}});
    std::string layer_hex = test::hex_of(layer);
    std::string manifest = manifest_for("", "sha256:" + layer_hex);
    Layout layout = layout_with_manifest(manifest);
    std::vector<TarEntry> members{{"oci-layout", 'f', R"({"imageLayoutVersion":"1.0.0"})"},
                                  {"index.json", 'f', layout.index},
                                  {"blobs/sha256/" + layer_hex, 'f', layer}};
    for (const auto& [hex, content] : layout.blobs) {
        members.push_back({"blobs/sha256/" + hex, 'f', content});
    }
    ::cguard::test::TempDir dir;
    ::cguard::test::write_file(dir.path() + "/img.tar", make_tar(members));
    auto report = scan("oci-archive:" + dir.path() + "/img.tar");
    REQUIRE_FALSE(report);
    CHECK(report.error().code == ErrorCode::InvalidArgument);
    CHECK(report.error().message.find("image config") != std::string::npos);
}

TEST_CASE("a symlink whose target is longer than a path may be is dropped", "[scanner]") {
    class Count : public EntryVisitor {
    public:
        Result<void> on_entry(const detail::EntryHeader&, detail::ContentReader&) override {
            ++entries;
            return {};
        }
        size_t entries = 0;
    };
    std::string target;
    for (int i = 0; i < 100'000; ++i) {
        target += "a/";  // resolving this used to take quadratic time
    }
    std::string bytes = make_tar({{"etc/os-release", 'l', target}, {"ok", 'f', "z"}});
    MemorySource source(bytes);
    Count visitor;
    std::vector<std::string> warnings;
    auto stats = read_layer(source, "test-layer", visitor, warnings);
    REQUIRE(stats);
    CHECK(visitor.entries == 1);
    REQUIRE(warnings.size() == 1);
    CHECK(warnings[0].find("symlink target too long") != std::string::npos);
}

}  // namespace cguard::scanner
