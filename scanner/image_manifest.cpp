#include "scanner/detail/image_manifest.h"

#include <rapidjson/document.h>

#include "common/sha256.h"

namespace cguard::scanner::detail {
namespace {

constexpr std::string_view kSha256Prefix = "sha256:";
constexpr const char* kRefAnnotation = "org.opencontainers.image.ref.name";

bool is_hex64(std::string_view s) {
    if (s.size() != 64) {
        return false;
    }
    for (char c : s) {
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            return false;
        }
    }
    return true;
}

Result<rapidjson::Document> parse_json(std::string_view text, const char* what) {
    rapidjson::Document doc;
    // Iterative: a deeply nested document (a hostile index.json) must not exhaust the stack.
    doc.Parse<rapidjson::kParseIterativeFlag>(text.data(), text.size());
    if (doc.HasParseError()) {
        return make_error(ErrorCode::Corrupt, std::string(what) + " is not valid JSON");
    }
    return doc;
}

std::string string_member(const rapidjson::Value& object, const char* name) {
    if (!object.IsObject()) {
        return {};
    }
    auto it = object.FindMember(name);
    if (it == object.MemberEnd() || !it->value.IsString()) {
        return {};
    }
    return std::string(it->value.GetString(), it->value.GetStringLength());
}

std::string annotation(const rapidjson::Value& descriptor, const char* key) {
    auto it = descriptor.FindMember("annotations");
    return it == descriptor.MemberEnd() ? std::string() : string_member(it->value, key);
}

bool is_linux_amd64(const rapidjson::Value& descriptor) {
    auto it = descriptor.FindMember("platform");
    if (it == descriptor.MemberEnd()) {
        return false;
    }
    return string_member(it->value, "os") == "linux" &&
           string_member(it->value, "architecture") == "amd64";
}

bool is_index(const rapidjson::Value& descriptor) {
    std::string type = string_member(descriptor, "mediaType");
    return type.find("image.index") != std::string::npos ||
           type.find("manifest.list") != std::string::npos;
}

// Chooses a descriptor from an index's "manifests". Returns nullptr when none fits.
const rapidjson::Value* choose(const rapidjson::Value& manifests, const std::string& ref) {
    if (!ref.empty()) {
        for (const auto& d : manifests.GetArray()) {
            if (d.IsObject() && annotation(d, kRefAnnotation) == ref) {
                return &d;
            }
        }
        return nullptr;
    }
    if (manifests.Size() == 0) {
        return nullptr;
    }
    for (const auto& d : manifests.GetArray()) {
        if (d.IsObject() && is_linux_amd64(d)) {
            return &d;
        }
    }
    return manifests[0].IsObject() ? &manifests[0] : nullptr;
}

auto too_many_layers(const std::string& what, size_t count) {
    return make_error(ErrorCode::Unsupported,
                      what + " lists " + std::to_string(count) + " layers; at most " +
                          std::to_string(kMaxImageLayers) + " are supported");
}

Result<OciManifest> parse_image_manifest(std::string_view text, const std::string& digest) {
    auto doc = parse_json(text, "image manifest");
    if (!doc) {
        return forward_error(doc.error());
    }
    OciManifest out;
    out.digest = digest;
    // FindMember on a non-object is undefined behaviour in RapidJSON (a crash on `12345`).
    if (!doc->IsObject()) {
        return make_error(ErrorCode::Corrupt, "image manifest " + digest + " is not an object");
    }
    auto config = doc->FindMember("config");
    auto layers = doc->FindMember("layers");
    if (config == doc->MemberEnd() || layers == doc->MemberEnd() || !layers->value.IsArray()) {
        return make_error(ErrorCode::Corrupt, "image manifest " + digest + " lacks config/layers");
    }
    out.config_digest = string_member(config->value, "digest");
    if (layers->value.Size() > kMaxImageLayers) {
        return too_many_layers("image manifest " + digest, layers->value.Size());
    }
    for (const auto& layer : layers->value.GetArray()) {
        out.layer_digests.push_back(string_member(layer, "digest"));
    }
    return out;
}

}  // namespace

Result<void> check_digest(std::string_view digest) {
    if (!digest.starts_with(kSha256Prefix) || !is_hex64(digest.substr(kSha256Prefix.size()))) {
        return make_error(ErrorCode::InvalidArgument,
                          "unsupported or malformed digest '" + std::string(digest) + "'");
    }
    return {};
}

std::string digest_from_member(std::string_view member) {
    std::string_view hex;
    if (member.starts_with("blobs/sha256/")) {
        hex = member.substr(13);
    } else if (member.ends_with(".json")) {
        hex = member.substr(0, member.size() - 5);
    } else if (member.ends_with("/layer.tar")) {
        hex = member.substr(0, member.size() - 10);
    }
    return is_hex64(hex) ? std::string(kSha256Prefix) + std::string(hex) : std::string();
}

Result<void> verify_digest(std::string_view data, const std::string& digest,
                           const std::string& what) {
    std::string actual = std::string(kSha256Prefix) + Sha256::hex_of(data);
    if (actual != digest) {
        return make_error(ErrorCode::DigestMismatch,
                          what + " " + digest + ": content hashes to " + actual);
    }
    return {};
}

Result<DockerManifest> parse_docker_manifest(std::string_view text) {
    auto doc = parse_json(text, "manifest.json");
    if (!doc) {
        return forward_error(doc.error());
    }
    if (!doc->IsArray() || doc->Empty() || !(*doc)[0].IsObject()) {
        return make_error(ErrorCode::Corrupt, "manifest.json lists no image");
    }
    const rapidjson::Value& image = (*doc)[0];
    DockerManifest out;
    out.images = doc->Size();
    out.config = string_member(image, "Config");
    auto layers = image.FindMember("Layers");
    if (out.config.empty() || layers == image.MemberEnd() || !layers->value.IsArray()) {
        return make_error(ErrorCode::Corrupt, "manifest.json lacks Config or Layers");
    }
    if (layers->value.Size() > kMaxImageLayers) {
        return too_many_layers("manifest.json", layers->value.Size());
    }
    for (const auto& layer : layers->value.GetArray()) {
        if (!layer.IsString()) {
            return make_error(ErrorCode::Corrupt, "manifest.json has a non-string layer");
        }
        out.layers.emplace_back(layer.GetString(), layer.GetStringLength());
    }
    return out;
}

Result<std::vector<std::string>> parse_diff_ids(std::string_view config) {
    auto doc = parse_json(config, "image config");
    if (!doc) {
        return forward_error(doc.error());
    }
    auto rootfs = doc->IsObject() ? doc->FindMember("rootfs") : doc->MemberEnd();
    if (!doc->IsObject() || rootfs == doc->MemberEnd() || !rootfs->value.IsObject()) {
        return make_error(ErrorCode::Corrupt, "image config has no rootfs");
    }
    auto ids = rootfs->value.FindMember("diff_ids");
    if (ids == rootfs->value.MemberEnd() || !ids->value.IsArray()) {
        return make_error(ErrorCode::Corrupt, "image config has no rootfs.diff_ids");
    }
    std::vector<std::string> out;
    for (const auto& id : ids->value.GetArray()) {
        out.push_back(id.IsString() ? id.GetString() : "");
    }
    return out;
}

Result<OciManifest> select_manifest(std::string_view index_text, const std::string& ref,
                                    const BlobLoader& load) {
    auto index = parse_json(index_text, "index.json");
    if (!index) {
        return forward_error(index.error());
    }
    auto manifests = index->IsObject() ? index->FindMember("manifests") : index->MemberEnd();
    if (!index->IsObject() || manifests == index->MemberEnd() || !manifests->value.IsArray()) {
        return make_error(ErrorCode::Corrupt, "index.json has no manifests");
    }
    const rapidjson::Value* chosen = choose(manifests->value, ref);
    if (chosen == nullptr) {
        return make_error(ErrorCode::NotFound,
                          ref.empty() ? "index.json lists no manifest"
                                      : "no manifest named '" + ref + "' in index.json");
    }
    std::string digest = string_member(*chosen, "digest");
    if (auto ok = check_digest(digest); !ok) {
        return forward_error(ok.error(), "index.json");
    }
    auto text = load(digest);
    if (!text) {
        return forward_error(text.error());
    }
    if (!is_index(*chosen)) {
        return parse_image_manifest(*text, digest);
    }

    // One level of image index (multi-platform image): choose its platform manifest.
    auto nested = parse_json(*text, "image index");
    if (!nested) {
        return forward_error(nested.error());
    }
    auto inner = nested->IsObject() ? nested->FindMember("manifests") : nested->MemberEnd();
    if (!nested->IsObject() || inner == nested->MemberEnd() || !inner->value.IsArray()) {
        return make_error(ErrorCode::Corrupt, "image index " + digest + " has no manifests");
    }
    const rapidjson::Value* platform = choose(inner->value, "");
    if (platform == nullptr || is_index(*platform)) {
        return make_error(ErrorCode::Unsupported, "image index " + digest + " nests too deeply");
    }
    std::string manifest_digest = string_member(*platform, "digest");
    if (auto ok = check_digest(manifest_digest); !ok) {
        return forward_error(ok.error(), "image index");
    }
    auto manifest = load(manifest_digest);
    if (!manifest) {
        return forward_error(manifest.error());
    }
    return parse_image_manifest(*manifest, manifest_digest);
}

}  // namespace cguard::scanner::detail
