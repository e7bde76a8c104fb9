// Internals of BinaryProbe (lang_binary.cpp), split by format; not part of any contract.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "scanner/detail/lang_packages.h"

namespace cguard::scanner::detail {

// Go build info: the 14-byte magic that starts the blob, and how much of it we keep.
inline constexpr std::string_view kGoBuildInfoMagic{"\xff Go buildinf:", 14};
inline constexpr size_t kGoBuildInfoHeader = 32;
inline constexpr size_t kGoBuildInfoCap = 1024 * 1024;

// Bytes of the blob needed to parse it, once `blob` holds enough to tell; 0 while unknown.
// Never more than kGoBuildInfoCap.
size_t go_buildinfo_needed(std::string_view blob);

// Parses a blob that starts with the magic (lang_go.cpp).
void parse_go_buildinfo(std::string_view blob, const std::string& path, LangPackages& out);

// The parts of an ELF file the cargo-auditable reader needs (lang_rust.cpp).
struct ElfLayout {
    bool is64 = false;
    bool big_endian = false;
    uint64_t shoff = 0;
    uint16_t shentsize = 0;
    uint16_t shnum = 0;
    uint16_t shstrndx = 0;
};

// Reads the ELF header (at least 64 bytes, fewer for tiny ELF32 files). False when malformed.
bool read_elf_layout(std::string_view header, ElfLayout& layout);

// `region` holds the file bytes [region_start, region_start + region.size()) and must include
// the section header table. Finds `.dep-v0` and adds its packages, or warns when the section is
// present but its data lies outside the region.
void parse_cargo_auditable(const ElfLayout& layout, std::string_view region, uint64_t region_start,
                           const std::string& path, LangPackages& out);

}  // namespace cguard::scanner::detail
