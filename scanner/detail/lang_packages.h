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

// Text files, `path` is the normalised path of the captured file (becomes Package::location).
LangPackages parse_python_metadata(std::string_view text, const std::string& path);  // METADATA, PKG-INFO
LangPackages parse_npm_package_json(std::string_view text, const std::string& path);
LangPackages parse_gemspec(std::string_view text, const std::string& path);
LangPackages parse_composer_installed(std::string_view text, const std::string& path);
LangPackages parse_dotnet_deps(std::string_view text, const std::string& path);

// Streaming probe for ELF executables and shared objects: Go build info (module list and Go
// toolchain version, reported as module "stdlib") and cargo-auditable `.dep-v0` data.
class BinaryProbe {
public:
    explicit BinaryProbe(std::string path);
    ~BinaryProbe();
    void feed(const uint8_t* data, size_t size);  // in order, the whole file in pieces
    LangPackages finish();                         // packages found, if it was a Go/Rust binary
    bool is_elf() const;                           // known once 4 bytes were fed

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// Java archives (jar, war, ear, and nested archives inside them up to a depth limit): reads
// pom.properties and MANIFEST.MF as the archive streams from `reader`.
LangPackages scan_java_archive(ContentReader& reader, const std::string& path);

// Which captured text file a path is, for the text parsers above.
enum class LangFile { None, PythonMetadata, NpmPackageJson, Gemspec, ComposerInstalled, DotnetDeps };
LangFile classify_lang_file(std::string_view path);
bool is_java_archive_path(std::string_view path);

}  // namespace cguard::scanner::detail
