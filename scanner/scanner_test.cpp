#include "scanner/scanner.h"

#include <algorithm>
#include <catch2/catch.hpp>

#include "scanner/tar_test_util.h"
#include "tests/test_support.h"

namespace cguard::scanner {
namespace {

using test::Compression;
using test::make_tar;
using test::TarEntry;

const char* const kApkInstalled =
    "P:musl\nV:1.1.22-r3\nA:x86_64\no:musl\nF:lib\nR:ld-musl-x86_64.so.1\nR:libc.musl.so.1\n\n"
    "P:busybox\nV:1.30.1-r5\nA:x86_64\no:busybox\nF:bin\nR:busybox\n\n";

std::vector<TarEntry> base_layer() {
    return {{"etc/os-release", 'f', "NAME=\"Alpine Linux\"\nID=alpine\nVERSION_ID=3.10.4\n"},
            {"etc/alpine-release", 'f', "3.10.4\n"},
            {"etc/motd", 'f', "welcome\n"},
            {"lib/apk/db/installed", 'f', kApkInstalled},
            {"lib/ld-musl-x86_64.so.1", 'f',
             "\x7f"
             "ELF musl",
             0755},
            {"bin/busybox", 'f',
             "\x7f"
             "ELF busybox",
             0755},
            {"opt/tool", 'f',
             "\x7f"
             "ELF tool v1",
             0755}};
}

std::vector<TarEntry> top_layer() {
    return {{"etc/.wh.motd", 'f'},
            {"opt/tool", 'f',
             "\x7f"
             "ELF tool v2",
             0755},
            {"usr/local/lib/libextra.so.1", 'f',
             "\x7f"
             "ELF lib",
             0644},
            {"etc/ld.so.cache", 'f', "ld.so-1.7.0", 0644}};
}

// A docker-save archive in the classic layout, manifest.json written last.
std::string docker_save(const std::vector<std::string>& layers, const std::string& config_override,
                        Compression outer = Compression::None) {
    std::string config =
        R"({"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[)";
    for (size_t i = 0; i < layers.size(); ++i) {
        config += (i ? "," : "") + ("\"" + test::sha256_digest(layers[i]) + "\"");
    }
    config += "]}}";
    if (!config_override.empty()) {
        config = config_override;
    }
    std::vector<TarEntry> members;
    std::string manifest =
        "[{\"Config\":\"" + test::hex_of(config) + ".json\",\"RepoTags\":[],\"Layers\":[";
    for (size_t i = 0; i < layers.size(); ++i) {
        std::string dir = std::to_string(i) + std::string(63, 'a');
        members.push_back({dir + "/VERSION", 'f', "1.0"});
        members.push_back({dir + "/layer.tar", 'f', layers[i]});
        manifest += (i ? ",\"" : "\"") + dir + "/layer.tar\"";
    }
    manifest += "]}]";
    members.push_back({test::hex_of(config) + ".json", 'f', config});
    members.push_back({"manifest.json", 'f', manifest});
    return make_tar(members, outer);
}

const Package* find_package(const ScanReport& report, const std::string& name) {
    for (const auto& p : report.packages) {
        if (p.name == name) {
            return &p;
        }
    }
    return nullptr;
}

}  // namespace

TEST_CASE("a docker-save archive with manifest.json last is scanned with whiteouts applied",
          "[scanner]") {
    auto outer = GENERATE(Compression::None, Compression::Gzip);
    ::cguard::test::TempDir dir;
    std::vector<std::string> layers = {make_tar(base_layer(), Compression::None),
                                       make_tar(top_layer(), Compression::None)};
    std::string path = dir.path() + "/image.tar";
    ::cguard::test::write_file(path, docker_save(layers, "", outer));

    int progress_calls = 0;
    ScanOptions options;
    options.on_progress = [&](const Progress&) { ++progress_calls; };
    auto report = scan(path, options);
    REQUIRE(report);
    CHECK(progress_calls >= 1);
    CHECK(report->os.family == "alpine");
    CHECK(report->os.version == "3.10.4");
    REQUIRE(report->artifact.layers.size() == 2);
    CHECK(report->artifact.layers[0] == test::sha256_digest(layers[0]));
    CHECK(report->artifact.config_digest.starts_with("sha256:"));

    REQUIRE(report->packages.size() == 2);
    const Package* musl = find_package(*report, "musl");
    REQUIRE(musl != nullptr);
    CHECK(musl->type == "apk");
    CHECK(musl->layer_digest == report->artifact.layers[0]);
    CHECK(musl->purl.starts_with("pkg:apk/alpine/musl@1.1.22-r3"));

    // opt/tool comes from layer 2; the library has no x bit but is an ELF file named like a
    // shared object; etc/ld.so.cache has such a name but is data, not a library.
    REQUIRE(report->unowned_files.size() == 2);
    CHECK(report->unowned_files[0].path == "opt/tool");
    CHECK(report->unowned_files[0].layer_digest == report->artifact.layers[1]);
    CHECK(report->unowned_files[0].sha256 == test::hex_of("\x7f"
                                                          "ELF tool v2"));
    CHECK(report->unowned_files[1].path == "usr/local/lib/libextra.so.1");
}

TEST_CASE("a layer whose bytes do not match its diff_id is a DigestMismatch naming it",
          "[scanner]") {
    ::cguard::test::TempDir dir;
    std::string good = make_tar(base_layer());
    std::string other = make_tar(top_layer());
    std::string config =
        R"({"rootfs":{"type":"layers","diff_ids":[")" + test::sha256_digest(other) + R"("]}})";
    std::string path = dir.path() + "/image.tar";
    ::cguard::test::write_file(path, docker_save({good}, config));
    auto report = scan("docker-archive:" + path);
    REQUIRE_FALSE(report);
    CHECK(report.error().code == ErrorCode::DigestMismatch);
    CHECK(report.error().message.find("layer.tar") != std::string::npos);
}

TEST_CASE("a truncated gzip layer fails the scan naming the layer", "[scanner]") {
    ::cguard::test::TempDir dir;
    std::string big;
    for (size_t i = 0; i < 300000; ++i) {
        big += static_cast<char>('a' + (i * 7919) % 26);
    }
    std::string layer = make_tar({{"big", 'f', big}}, Compression::Gzip);
    std::string cut = layer.substr(0, layer.size() / 2);
    std::string path = dir.path() + "/image.tar";
    ::cguard::test::write_file(path, docker_save({cut}, ""));
    auto report = scan(path);
    REQUIRE_FALSE(report);
    CHECK(report.error().code == ErrorCode::Corrupt);
    CHECK(report.error().message.find("layer.tar") != std::string::npos);
}

TEST_CASE("a layer's warning names the layer once", "[scanner]") {
    ::cguard::test::TempDir dir;
    std::string layer = make_tar({{"../escape", 'f', "x"}, {"etc/motd", 'f', "hi\n"}});
    std::string path = dir.path() + "/image.tar";
    ::cguard::test::write_file(path, docker_save({layer}, ""));
    auto report = scan(path);
    REQUIRE(report);
    REQUIRE(report->warnings.size() == 1);
    CHECK(report->warnings[0] == "layer " + test::sha256_digest(layer) +
                                     ": dropped entry '../escape': path escapes the root");
}

TEST_CASE("scan options cap a layer's unpacked size and the captured bytes", "[scanner]") {
    ScanOptions defaults;
    CHECK(defaults.max_layer_bytes == 64ULL << 30);
    CHECK(defaults.max_layer_expansion == 1000);
    CHECK(defaults.max_captured_bytes == 512ULL << 20);

    ::cguard::test::TempDir dir;
    std::string stanza = "Package: p\nVersion: 1\nDescription: " + std::string(1 << 20, 'x') + "\n";
    std::vector<std::string> layers = {make_tar({{"var/lib/dpkg/status.d/a", 'f', stanza}}),
                                       make_tar({{"var/lib/dpkg/status.d/b", 'f', stanza}})};
    std::string path = dir.path() + "/image.tar";
    ::cguard::test::write_file(path, docker_save(layers, ""));

    ScanOptions options;
    options.max_captured_bytes = 3 << 19;
    auto capped = scan(path, options);
    REQUIRE(capped);
    REQUIRE(capped->warnings.size() == 1);
    CHECK(capped->warnings[0].starts_with("layer " + test::sha256_digest(layers[1]) +
                                          ": captured files of the image exceed 1572864 bytes"));

    options.max_layer_bytes = 1 << 20;
    auto refused = scan(path, options);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == ErrorCode::LimitExceeded);
    CHECK(refused.error().message.find("layer.tar unpacks to more than 1048576 bytes") !=
          std::string::npos);
}

TEST_CASE("bad targets are usage errors or NotFound", "[scanner]") {
    CHECK(scan("registry:alpine").error().code == ErrorCode::InvalidArgument);
    CHECK(scan("docker-archive:").error().code == ErrorCode::InvalidArgument);
    CHECK(scan("/nonexistent/image.tar").error().code == ErrorCode::NotFound);
    CHECK(scan("oci:/nonexistent/layout").error().code == ErrorCode::NotFound);
}

TEST_CASE("an OCI layout made by umoci scans as a directory and as an archive", "[scanner]") {
    ::cguard::test::TempDir dir;
    const std::string& d = dir.path();
    std::string setup =
        "cd " + d + " && umoci init --layout img && umoci new --image img:v1 && " +
        "umoci unpack --image img:v1 bundle >/dev/null && " +
        "mkdir -p bundle/rootfs/etc bundle/rootfs/lib/apk/db bundle/rootfs/bin && " +
        "printf 'ID=alpine\\nVERSION_ID=3.10.4\\n' > bundle/rootfs/etc/os-release && " +
        "printf '" + std::string(kApkInstalled).substr(0, 0) + "' >/dev/null";
    auto made = ::cguard::test::run(setup);
    if (made.exit_code != 0) {
        FAIL("umoci could not build a layout: " << made.err);
    }
    ::cguard::test::write_file(d + "/bundle/rootfs/lib/apk/db/installed", kApkInstalled);
    ::cguard::test::write_file(d + "/bundle/rootfs/bin/busybox",
                               "\x7f"
                               "ELF busybox");
    auto repacked =
        ::cguard::test::run("cd " + d + " && chmod 755 bundle/rootfs/bin/busybox && " +
                            "umoci repack --image img:v1 bundle && " + "tar -C img -cf img.tar .");
    REQUIRE(repacked.exit_code == 0);

    auto target = GENERATE(std::string("oci:"), std::string("oci-archive:"));
    std::string path = target == "oci:" ? d + "/img:v1" : d + "/img.tar:v1";
    auto report = scan(target + path);
    REQUIRE(report);
    CHECK(report->os.family == "alpine");
    CHECK(report->artifact.digest.starts_with("sha256:"));
    CHECK(report->artifact.layers.size() == 1);
    CHECK(report->packages.size() == 2);
    CHECK(report->unowned_files.empty());

    auto missing = scan(target + (target == "oci:" ? d + "/img:nope" : d + "/img.tar:nope"));
    REQUIRE_FALSE(missing);
    CHECK(missing.error().code == ErrorCode::NotFound);
}

TEST_CASE("an OCI ref holding ':' and '/' selects its manifest, as skopeo writes it", "[scanner]") {
    ::cguard::test::TempDir dir;
    const std::string& d = dir.path();
    auto made = ::cguard::test::run(
        "cd " + d + " && umoci init --layout img && umoci new --image img:v1 && " +
        "sed -i 's#\"v1\"#\"docker.io/library/app:1.0\"#' img/index.json && " +
        "grep -q docker.io/library/app:1.0 img/index.json");
    REQUIRE(made.exit_code == 0);

    auto report = scan("oci:" + d + "/img:docker.io/library/app:1.0");
    REQUIRE(report);
    CHECK(report->artifact.digest.starts_with("sha256:"));
    auto missing = scan("oci:" + d + "/img:docker.io/library/app:2.0");
    REQUIRE_FALSE(missing);
    CHECK(missing.error().code == ErrorCode::NotFound);
    CHECK(scan("oci:" + d + "/nope:app:1.0").error().code == ErrorCode::NotFound);
}

TEST_CASE("a root filesystem directory is walked without following symlinks", "[scanner]") {
    ::cguard::test::TempDir dir;
    const std::string& root = dir.path();
    auto made = ::cguard::test::run("mkdir -p " + root + "/etc " + root + "/lib/apk/db " + root +
                                    "/bin && " + "printf 'ID=alpine\\nVERSION_ID=3.10.4\\n' > " +
                                    root + "/etc/os-release && " + "ln -s /etc " + root +
                                    "/escape && ln -s /proc/self " + root + "/self && " +
                                    "mkfifo " + root + "/fifo");
    REQUIRE(made.exit_code == 0);
    ::cguard::test::write_file(root + "/lib/apk/db/installed", kApkInstalled);
    ::cguard::test::write_file(root + "/bin/busybox",
                               "\x7f"
                               "ELF");
    ::cguard::test::run("chmod 755 " + root + "/bin/busybox");
    auto report = scan("rootfs:" + root);
    REQUIRE(report);
    CHECK(report->os.family == "alpine");
    CHECK(report->packages.size() == 2);
    CHECK(report->unowned_files.empty());
    CHECK(report->artifact.layers.empty());
}

TEST_CASE("the real alpine 3.10 docker-save archive has 14 apk packages", "[scanner]") {
    CGUARD_REQUIRE_SHARED(shared);
    auto report = scan(shared + "/fixtures/images/alpine-3.10.docker-save.tar.gz");
    REQUIRE(report);
    CHECK(report->os.family == "alpine");
    CHECK(report->os.version == "3.10.4");
    CHECK(report->packages.size() == 14);
    CHECK(std::all_of(report->packages.begin(), report->packages.end(), [&](const Package& p) {
        return p.type == "apk" && !p.layer_digest.empty() && p.purl.starts_with("pkg:apk/alpine/");
    }));
    CHECK(report->artifact.layers.size() == 1);
    for (const auto& f : report->unowned_files) {
        WARN("unowned: " << f.path);
    }
}

TEST_CASE("scanning / of this machine lists exactly the packages dpkg-query reports",
          "[scanner][.slow]") {
    auto expected =
        ::cguard::test::run("dpkg-query -W -f '${db:Status-Abbrev}\\n' | grep -c '^ii'");
    if (expected.exit_code != 0) {
        WARN("skipped: dpkg-query is not available");
        return;
    }
    ScanOptions options;
    options.unowned_files = false;
    auto report = scan("rootfs:/", options);
    REQUIRE(report);
    size_t debs = std::count_if(report->packages.begin(), report->packages.end(),
                                [](const Package& p) { return p.type == "deb"; });
    CHECK(debs == std::stoul(expected.out));
    CHECK(report->os.family == "debian");
}

}  // namespace cguard::scanner
