// Language package analyzers. Text parsers are pure functions of the captured file; binary and
// archive probes consume content as it streams past, so no file is ever held whole in memory.
// None of them throws or fails on bad content: bad input yields no package and a warning.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "scanner/detail/entry.h"
#include "scanner/scanner.h"

namespace cguard::scanner::detail {

struct LangPackages {
    std::vector<Package> packages;  // name, version, type, purl, location filled
    std::vector<std::string> warnings;
};

// Text parsers. `text` is the captured file, `path` its normalised path (becomes
// Package::location). Inputs over 64 MiB are refused with a warning.
//   parse_python_metadata: `*.dist-info/METADATA`, `*.egg-info/PKG-INFO` or a plain-file
//     `*.egg-info`; Name/Version headers before the first blank line. Type "pypi", purl name
//     normalised per PEP 503 (lower case, runs of -_. become -); Package::name as written.
//   parse_npm_package_json: name, version; "@scope/name" gives purl pkg:npm/%40scope/name@v.
//   parse_gemspec: `<recv>.name = "x"` / `<recv>.version = "1.2"` (also '...', %q{...},
//     Gem::Version.new(...), .freeze). Type "gem".
//   parse_composer_installed: Composer 1 array or Composer 2 {"packages": [...]}; name
//     "vendor/pkg" (purl namespace vendor), version without a leading "v". Type "composer".
//   parse_dotnet_deps: "libraries" entries whose "type" is "package", keyed "Name/1.2.3".
//     Type "nuget".
LangPackages parse_python_metadata(std::string_view text, const std::string& path);
LangPackages parse_npm_package_json(std::string_view text, const std::string& path);
LangPackages parse_gemspec(std::string_view text, const std::string& path);
LangPackages parse_composer_installed(std::string_view text, const std::string& path);
LangPackages parse_dotnet_deps(std::string_view text, const std::string& path);

// Streaming probe for ELF executables and shared objects; anything else is ignored after its
// first 4 bytes. Not thread-safe; one probe per file.
//  - Go (>= 1.18 build info): each module with a release version (`mod`, and `dep` after any
//    `=>` replacement: the replacement's path and version; main module "(devel)" and local
//    directory replacements are left out), plus "stdlib" at the toolchain version
//    ("go1.19.8" -> "v1.19.8"). Type "golang", purl pkg:golang/<module path>@v. Keeps at most
//    1 MiB (the build info blob). Older binaries: warning "Go binary built before 1.18 not
//    analysed".
//  - Rust (cargo-auditable `.dep-v0`): every package of the embedded JSON, type "cargo".
//    Memory: the section headers' position is in the ELF header, so only the 16 MiB before
//    them and the table itself are kept; a `.dep-v0` further away gives a warning.
class BinaryProbe {
public:
    explicit BinaryProbe(std::string path);
    ~BinaryProbe();
    void feed(const uint8_t* data, size_t size);  // in order, the whole file in pieces
    LangPackages finish();                        // call once, after the last feed()
    bool is_elf() const;                          // known once 4 bytes were fed

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// Caps per top-level Java archive, all nesting levels together. "Unpacked" bytes are the
// entries' uncompressed bytes, read or skipped alike (a skipped deflated entry is inflated to
// find its end). The ratio is unpacked bytes over the bytes taken from the caller's reader;
// deflate reaches about 1032x, real jars stay under 20x.
struct JavaArchiveLimits {
    uint64_t max_unpacked_bytes = 1ULL << 30;
    size_t max_entries = 500'000;
    uint64_t max_expansion = 100;
    uint64_t expansion_checked_after = 1ULL << 20;  // unpacked bytes before the ratio applies
};

// Java archives (jar, war, ear, jpi, hpi) read as a zip stream from `reader` (never buffered or
// seeked). Each archive level yields: one maven package per META-INF/maven/<g>/<a>/
// pom.properties (name "g:a", purl pkg:maven/g/a@v); failing those, MANIFEST.MF
// Implementation-Title/-Version or Bundle-SymbolicName/-Version; failing those, the file name
// "name-1.2.3.jar" (version from the first "-<digit>"). Nested archives are read as nested
// streams down to 4 levels; their location is "<outer location>!/<entry path>", e.g.
// "srv/app.war!/WEB-INF/lib/x.jar". At most 4 GiB are taken from `reader`; past any of
// `limits` a warning is given and the archive is not read further (packages of the archive
// levels already read are kept). A read error from `reader` ends the scan with a warning and
// what was found so far; the caller still sees the error on its own next read of the
// underlying stream.
LangPackages scan_java_archive(ContentReader& reader, const std::string& path,
                               const JavaArchiveLimits& limits = {});

// Which captured text file a path is, for the text parsers above. npm: only
// node_modules/<name>/package.json and node_modules/@scope/<name>/package.json (nested
// node_modules included), never fixtures deeper inside a package or the application's own.
// Gemspec: *.gemspec whose parent directory is `specifications`. Composer:
// vendor/composer/installed.json. .NET: *.deps.json.
enum class LangFile {
    None,
    PythonMetadata,
    NpmPackageJson,
    Gemspec,
    ComposerInstalled,
    DotnetDeps
};
LangFile classify_lang_file(std::string_view path);
bool is_java_archive_path(std::string_view path);

}  // namespace cguard::scanner::detail
