#include <sys/resource.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <map>
#include <sstream>

#include "scanner/detail/lang_packages.h"
#include "tests/test_support.h"

using namespace cguard::scanner::detail;
using cguard::test::run;
using cguard::test::TempDir;

namespace {

LangPackages probe_file(const std::string& path, size_t chunk) {
    BinaryProbe probe(path);
    std::ifstream in(path, std::ios::binary);
    std::vector<char> buf(chunk);
    while (in.read(buf.data(), static_cast<std::streamsize>(buf.size())) || in.gcount() > 0) {
        probe.feed(reinterpret_cast<const uint8_t*>(buf.data()), static_cast<size_t>(in.gcount()));
    }
    return probe.finish();
}

LangPackages probe_bytes(const std::string& bytes) {
    BinaryProbe probe("mem");
    probe.feed(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
    return probe.finish();
}

std::map<std::string, std::string> by_name(const LangPackages& out) {
    std::map<std::string, std::string> m;
    for (const auto& p : out.packages) {
        m[p.name] = p.version;
    }
    return m;
}

// Modules as `go version -m` prints them: mod/dep lines, a following "=>" line replacing the
// one before, the main module and local replacements (no release version) left out, plus
// stdlib from the toolchain version on the first line.
std::map<std::string, std::string> expected_from_go_version(const std::string& binary) {
    auto result = run("go version -m '" + binary + "'");
    REQUIRE(result.exit_code == 0);
    std::istringstream lines(result.out);
    std::string line;
    std::getline(lines, line);
    std::map<std::string, std::string> m;
    m["stdlib"] = "v" + line.substr(line.find(": go") + 4);
    std::pair<std::string, std::string> last;
    auto flush = [&] {
        if (!last.first.empty() && !last.second.empty() && last.second != "(devel)") {
            m[last.first] = last.second;
        }
        last = {};
    };
    while (std::getline(lines, line)) {
        std::istringstream fields(line);
        std::string kind, path, version;
        fields >> kind >> path >> version;
        if (kind == "mod" || kind == "dep") {
            flush();
            last = {path, version};
        } else if (kind == "=>") {
            last = {path, version};
        }
    }
    flush();
    return m;
}

// A Go program with a versioned dependency, one replaced by another module, and one replaced by
// a local directory, all served by a file:// module proxy made here (no network).
constexpr const char* kBuildGoProgram = R"(set -e
mkdir -p proxy src/greet src/new src/local app
printf 'module example.com/greet\n\ngo 1.19\n' > src/greet/go.mod
printf 'package greet\n\nfunc Hello() string { return "hi" }\n' > src/greet/greet.go
printf 'module example.com/new\n\ngo 1.19\n' > src/new/go.mod
printf 'package old\n\nfunc Name() string { return "new" }\n' > src/new/old.go
printf 'module example.com/local\n\ngo 1.19\n' > src/local/go.mod
printf 'package local\n\nfunc X() int { return 1 }\n' > src/local/local.go
publish() {
  d=proxy/$1/@v; mkdir -p $d
  printf '{"Version":"%s","Time":"2023-01-01T00:00:00Z"}' $2 > $d/$2.info
  cp src/$3/go.mod $d/$2.mod; echo $2 >> $d/list
  mkdir -p zip/$1@$2 && cp src/$3/* zip/$1@$2/ && (cd zip && zip -qr ../$d/$2.zip $1@$2)
}
publish example.com/greet v1.2.3 greet
publish example.com/new v0.2.0 new
printf 'module example.com/app\n\ngo 1.19\n\nrequire (\n' > app/go.mod
printf '\texample.com/greet v1.2.3\n\texample.com/local v0.0.0\n\texample.com/old v0.1.0\n)\n' >> app/go.mod
printf '\nreplace example.com/old v0.1.0 => example.com/new v0.2.0\n' >> app/go.mod
printf '\nreplace example.com/local => ../src/local\n' >> app/go.mod
printf 'package main\n\nimport (\n\t"example.com/greet"\n\t"example.com/local"\n\told "example.com/old"\n)\n\nfunc main() { println(greet.Hello(), old.Name(), local.X()) }\n' > app/main.go
cd app
env GOFLAGS=-mod=mod GOPROXY=file://$PWD/../proxy GOSUMDB=off GOPATH=$PWD/../gopath \
  GOCACHE=$PWD/../cache CGO_ENABLED=0 go build -o ../hello .
)";

std::string build_go_program(const TempDir& dir) {
    cguard::test::write_file(dir.path() + "/build.sh", kBuildGoProgram);
    auto built = run("cd '" + dir.path() + "' && sh build.sh 2>&1");
    INFO(built.out);
    REQUIRE(built.exit_code == 0);
    return dir.path() + "/hello";
}

}  // namespace

TEST_CASE("reads modules and stdlib from a Go binary built here", "[scanner][lang][go]") {
    TempDir dir;
    std::string binary = build_go_program(dir);

    auto out = probe_file(binary, 64 * 1024);
    CHECK(out.warnings.empty());
    auto found = by_name(out);
    CHECK(found == expected_from_go_version(binary));
    CHECK(found.at("example.com/greet") == "v1.2.3");
    CHECK(found.at("example.com/new") == "v0.2.0");
    CHECK(found.count("example.com/app") == 0);
    CHECK(found.count("example.com/local") == 0);
    for (const auto& p : out.packages) {
        CHECK(p.type == "golang");
        CHECK(p.location == binary);
        if (p.name == "example.com/greet") {
            CHECK(p.purl == "pkg:golang/example.com/greet@v1.2.3");
        }
        if (p.name == "stdlib") {
            CHECK(p.purl == "pkg:golang/stdlib@" + p.version);
        }
    }

    SECTION("whatever the chunk size, including the magic straddling chunks") {
        for (size_t chunk : {1, 7, 13, 4093, 1 << 20}) {
            CHECK(by_name(probe_file(binary, chunk)) == found);
        }
    }
}

TEST_CASE("matches go version -m on the Debian Go binaries of this machine",
          "[scanner][lang][go]") {
    size_t checked = 0;
    for (const char* binary : {"/usr/bin/skopeo", "/usr/bin/umoci", "/usr/bin/docker-registry"}) {
        if (!std::ifstream(binary)) {
            continue;
        }
        INFO(binary);
        auto out = probe_file(binary, 256 * 1024);
        CHECK(out.warnings.empty());
        CHECK(by_name(out) == expected_from_go_version(binary));
        ++checked;
    }
    if (checked == 0) {
        WARN("none of skopeo, umoci, docker-registry is installed; check skipped");
    }
}

TEST_CASE("streams a 100 MiB Go binary keeping only the build info window", "[scanner][lang][go]") {
    TempDir dir;
    std::string small = cguard::test::read_file(build_go_program(dir));
    auto expected = by_name(probe_bytes(small));

    // 100 MiB of zeros after the ELF header keeps the magic 16-byte aligned, further away.
    BinaryProbe probe("big");
    probe.feed(reinterpret_cast<const uint8_t*>(small.data()), 64);
    rusage before{};
    getrusage(RUSAGE_SELF, &before);
    std::vector<uint8_t> zeros(1 << 20);
    for (int i = 0; i < 100; ++i) {
        probe.feed(zeros.data(), zeros.size());
    }
    probe.feed(reinterpret_cast<const uint8_t*>(small.data()) + 64, small.size() - 64);
    auto out = probe.finish();
    rusage after{};
    getrusage(RUSAGE_SELF, &after);
    CHECK(by_name(out) == expected);
    CHECK(after.ru_maxrss - before.ru_maxrss < 24 * 1024);  // KiB: far below the 100 MiB fed
}

TEST_CASE("warns on Go binaries built before 1.18 and on truncated build info",
          "[scanner][lang][go]") {
    std::string elf = std::string(
                          "\x7f"
                          "ELF\x02\x01\x01",
                          7) +
                      std::string(4096 - 7, '\0');
    std::string magic("\xff Go buildinf:", 14);

    std::string old = elf + magic + std::string("\x08\x00", 2) + std::string(64, '\x11');
    auto out = probe_bytes(old);
    CHECK(out.packages.empty());
    REQUIRE(out.warnings.size() == 1);
    CHECK(out.warnings[0].find("before 1.18") != std::string::npos);

    std::string cut =
        elf + magic + std::string("\x08\x02", 2) + std::string(16, '\0') + "\x7f" + "ab";
    out = probe_bytes(cut);
    CHECK(out.packages.empty());
    CHECK(out.warnings.size() == 1);

    // A magic that is not 16-byte aligned is not build info.
    CHECK(probe_bytes(elf + "x" + magic + std::string(64, '\0')).warnings.empty());
}

TEST_CASE("ignores files that are not ELF", "[scanner][lang]") {
    BinaryProbe probe("script");
    std::string text = "#!/bin/sh\n\xff Go buildinf:";
    probe.feed(reinterpret_cast<const uint8_t*>(text.data()), text.size());
    CHECK_FALSE(probe.is_elf());
    auto out = probe.finish();
    CHECK(out.packages.empty());
    CHECK(out.warnings.empty());
    BinaryProbe empty("empty");
    CHECK(empty.finish().packages.empty());
}

namespace {

// cargo-auditable JSON, zlib-compressed into a `.dep-v0` section of a copy of /bin/true, with
// an optional padding section placed between it and the section headers.
std::string make_rust_elf(const TempDir& dir, const std::string& json, size_t pad_bytes) {
    cguard::test::write_file(dir.path() + "/dep.json", json);
    std::string cmd = "cd '" + dir.path() +
                      "' && python3 -c \"import zlib; open('dep.z','wb')"
                      ".write(zlib.compress(open('dep.json','rb').read()))\" && ";
    std::string pad;
    if (pad_bytes > 0) {
        cmd += "head -c " + std::to_string(pad_bytes) + " /dev/zero > pad && ";
        pad = "--add-section .zpad=pad --set-section-flags .zpad=noload,readonly ";
    }
    cmd += "objcopy " + pad +
           "--add-section .dep-v0=dep.z --set-section-flags .dep-v0=noload,readonly /bin/true "
           "rust.bin 2>&1";
    auto result = run(cmd);
    INFO(result.out);
    REQUIRE(result.exit_code == 0);
    return dir.path() + "/rust.bin";
}

constexpr const char* kCargoJson =
    R"({"packages":[{"name":"myapp","version":"0.1.0","source":"local","root":true,)"
    R"("dependencies":[1]},{"name":"serde","version":"1.0.188","source":"crates.io"},)"
    R"({"name":"bad"}]})";

}  // namespace

TEST_CASE("reads cargo-auditable packages from the .dep-v0 section", "[scanner][lang][rust]") {
    TempDir dir;
    std::string binary = make_rust_elf(dir, kCargoJson, 0);
    for (size_t chunk : {3, 4096, 1 << 20}) {
        auto out = probe_file(binary, chunk);
        REQUIRE(out.packages.size() == 2);
        CHECK(out.packages[0].name == "myapp");
        CHECK(out.packages[1].name == "serde");
        CHECK(out.packages[1].version == "1.0.188");
        CHECK(out.packages[1].type == "cargo");
        CHECK(out.packages[1].purl == "pkg:cargo/serde@1.0.188");
        CHECK(out.packages[1].location == binary);
        CHECK(out.warnings.size() == 1);  // the entry without a version
    }
}

TEST_CASE("warns when .dep-v0 is too far before the section headers or corrupt",
          "[scanner][lang][rust]") {
    TempDir far_dir;
    auto far = probe_file(make_rust_elf(far_dir, kCargoJson, 20 * 1024 * 1024), 1 << 16);
    CHECK(far.packages.empty());
    REQUIRE(far.warnings.size() == 1);
    CHECK(far.warnings[0].find("too far") != std::string::npos);

    TempDir bad_dir;
    cguard::test::write_file(bad_dir.path() + "/junk", "not zlib at all");
    REQUIRE(run("cd '" + bad_dir.path() + "' && objcopy --add-section .dep-v0=junk /bin/true x")
                .exit_code == 0);
    auto bad = probe_file(bad_dir.path() + "/x", 1 << 16);
    CHECK(bad.packages.empty());
    CHECK(bad.warnings.size() == 1);

    CHECK(probe_file("/bin/true", 1 << 16).warnings.empty());
}
