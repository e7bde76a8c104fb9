// A manifest naming one small layer tens of thousands of times made the scanner analyse or copy
// it each time: a 7 MB docker archive took 31 s and 7.6 GB. Layer lists are now bounded.
#include <catch2/catch.hpp>
#include <string>

#include "scanner/detail/image_manifest.h"
#include "scanner/tar_test_util.h"
#include "tests/test_support.h"

namespace cguard::scanner {
namespace {

std::string repeated(const std::string& item, size_t count) {
    std::string out;
    for (size_t i = 0; i < count; ++i) {
        out += (i == 0 ? "" : ",") + item;
    }
    return out;
}

std::string docker_manifest(size_t layers) {
    return R"([{"Config":"c.json","Layers":[)" + repeated(R"("l/layer.tar")", layers) + "]}]";
}

std::string oci_manifest(size_t layers) {
    std::string digest = R"({"digest":"sha256:)" + std::string(64, 'a') + R"("})";
    return R"({"schemaVersion":2,"config":{"digest":"sha256:)" + std::string(64, 'b') +
           R"("},"layers":[)" + repeated(digest, layers) + "]}";
}

Result<detail::OciManifest> select(const std::string& manifest) {
    std::string index = R"({"schemaVersion":2,"manifests":[{"digest":"sha256:)" +
                        test::hex_of(manifest) + R"(","size":1}]})";
    detail::BlobLoader load = [&](const std::string&) -> Result<std::string> { return manifest; };
    return detail::select_manifest(index, "", load);
}

TEST_CASE("a docker manifest.json listing too many layers is refused", "[scanner]") {
    auto ok = detail::parse_docker_manifest(docker_manifest(detail::kMaxImageLayers));
    REQUIRE(ok);
    CHECK(ok->layers.size() == detail::kMaxImageLayers);

    auto many = detail::parse_docker_manifest(docker_manifest(20000));
    REQUIRE_FALSE(many);
    CHECK(many.error().code == ErrorCode::Unsupported);
    CHECK(many.error().message.find("20000 layers") != std::string::npos);
}

TEST_CASE("an OCI manifest listing one digest too many times is refused", "[scanner]") {
    auto ok = select(oci_manifest(detail::kMaxImageLayers));
    REQUIRE(ok);
    CHECK(ok->layer_digests.size() == detail::kMaxImageLayers);

    auto many = select(oci_manifest(detail::kMaxImageLayers + 1));
    REQUIRE_FALSE(many);
    CHECK(many.error().code == ErrorCode::Unsupported);
}

}  // namespace
}  // namespace cguard::scanner
