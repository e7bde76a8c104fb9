// JSON documents of image layouts (docker-save manifest.json, OCI index/manifest, image config)
// reduced to what the sources need. Parsing is RapidJSON, kept to image_manifest.cpp.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace cguard::scanner::detail {

constexpr size_t kMaxJsonBytes = 8u << 20;
// Docker and overlayfs stop near 128 layers. Each listed layer is analysed or copied in full, so
// a manifest naming one blob 100,000 times (a few MiB of JSON) would otherwise cost gigabytes.
constexpr size_t kMaxImageLayers = 1000;

// Loads a blob by digest ("sha256:<hex>") and verifies its content hashes to it.
using BlobLoader = std::function<Result<std::string>(const std::string& digest)>;

struct DockerManifest {
    std::string config;               // member path of the config
    std::vector<std::string> layers;  // member paths, bottom first
    size_t images = 0;                // entries in manifest.json (the first is used)
};

struct OciManifest {
    std::string digest;
    std::string config_digest;
    std::vector<std::string> layer_digests;
};

// Errors: InvalidArgument for anything but "sha256:" followed by 64 lower-case hex digits.
Result<void> check_digest(std::string_view digest);
// "blobs/sha256/<hex>" or "<hex>.json" or "<hex>/layer.tar" -> "sha256:<hex>", else "".
std::string digest_from_member(std::string_view member);
// Verifies `data` hashes to `digest`. Errors: DigestMismatch naming `what`.
Result<void> verify_digest(std::string_view data, const std::string& digest,
                           const std::string& what);

Result<DockerManifest> parse_docker_manifest(std::string_view text);
// rootfs.diff_ids of an image config.
Result<std::vector<std::string>> parse_diff_ids(std::string_view config);
// index.json -> the chosen image manifest (an image index is followed one level).
// Errors: NotFound when `ref` matches nothing, Corrupt, Unsupported.
Result<OciManifest> select_manifest(std::string_view index, const std::string& ref,
                                    const BlobLoader& load);

}  // namespace cguard::scanner::detail
