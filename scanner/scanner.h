// The scanner: opens a container image (docker-save archive, OCI layout or archive, root
// filesystem), streams its layers once, and returns an inventory of what is inside: the OS,
// OS and language packages, and executables/libraries that no package owns.
//
// Layers are streamed and never extracted: each layer is reduced to a compact per-layer result
// (file index, captured package databases, packages found inside binaries) that depends only on
// the layer's bytes, so it can be cached by layer digest; the results are then merged in order,
// applying OCI whiteouts. Memory grows with the number of files, not with their size.
//
// Thread-safety: scan() keeps no global state; concurrent scans of different targets are safe.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "common/result.h"

namespace cguard::scanner {

// Package types, as used in the `type` field of reports and as purl types.
// deb apk rpm pypi npm golang maven gem cargo composer nuget
struct Package {
    std::string name;
    std::string version;  // rpm: [epoch:]version-release; others: as the ecosystem writes it
    std::string type;
    std::string arch;
    std::string source_name;     // OS packages: the source package the vulnerability data keys on
    std::string source_version;  // the source package's version (equals `version` by default)
    std::string purl;
    std::string layer_digest;  // layer that last wrote the file the package was found in
    std::string location;      // path (no leading '/') of that file: database, manifest, binary
};

struct UnownedFile {
    std::string path;  // no leading '/'
    uint64_t size = 0;
    std::string sha256;
    std::string layer_digest;
};

struct OsInfo {
    std::string family;   // os-release ID: debian, ubuntu, alpine, almalinux, rhel, sles, ...
    std::string name;     // os-release NAME / PRETTY_NAME fallback
    std::string version;  // VERSION_ID, or the full release from alpine-release/debian_version
};

struct Artifact {
    std::string name;           // what the user gave, normalised
    std::string digest;         // manifest digest ("sha256:..."); empty for rootfs and legacy saves
    std::string config_digest;  // image config digest; empty for rootfs
    std::vector<std::string> layers;  // layer digests in order, as the manifest names them
};

struct ScanReport {
    Artifact artifact;
    OsInfo os;
    std::vector<Package> packages;
    std::vector<UnownedFile> unowned_files;
    std::vector<std::string> warnings;  // partial results: what was skipped and why
};

struct Progress {
    size_t layers_done = 0;
    size_t layers_total = 0;   // 0 while unknown (docker-save lists layers at the end)
    uint64_t bytes_read = 0;   // bytes taken from the input (compressed)
    uint64_t bytes_total = 0;  // input size when known, else 0
};

struct ScanOptions {
    // Called from the scanning thread at most a few times a second.
    std::function<void(const Progress&)> on_progress;
    bool unowned_files = true;  // hash and list files no package owns
    // Limits on hostile images; the defaults fit real ones (docs/architecture.md). A layer past
    // either layer limit fails the scan with LimitExceeded naming it; past the capture cap the
    // rest of the package databases and manifests are not read and a warning says so.
    uint64_t max_layer_bytes = 64ULL << 30;      // uncompressed bytes of one layer
    uint64_t max_layer_expansion = 1000;         // uncompressed/compressed, once past 1 GiB
    uint64_t max_captured_bytes = 512ULL << 20;  // file contents kept for analysis, per image
};

// Scans TARGET:
//   docker-archive:PATH | PATH          docker save output, plain or gzip/zstd-compressed
//   oci:DIR[:REF]                       OCI image layout directory
//   oci-archive:PATH[:REF]              tar of an OCI image layout
//   rootfs:DIR                          a root filesystem directory (e.g. "/")
// Errors: InvalidArgument (unknown scheme, missing path), NotFound (no such file, no manifest,
// REF not in the index), Io, Corrupt (unreadable archive or JSON), DigestMismatch (a layer or
// config whose bytes do not hash to its digest; the message names it), LimitExceeded.
// Damage inside a layer (bad paths, corrupt package databases, truncated files after the
// digest matched) is not an error: it becomes a warning and a partial result.
Result<ScanReport> scan(const std::string& target, const ScanOptions& options = {});

}  // namespace cguard::scanner
