#include <rapidjson/document.h>
#include <zlib.h>

#include <cctype>
#include <cstring>

#include "scanner/lang_binary.h"
#include "scanner/lang_util.h"

namespace cguard::scanner::detail {
namespace {

constexpr size_t kMaxDepJsonBytes = 16 * 1024 * 1024;  // decompressed .dep-v0 cap

uint64_t read_uint(std::string_view data, size_t pos, size_t width, bool big_endian) {
    uint64_t value = 0;
    for (size_t i = 0; i < width; ++i) {
        auto byte = static_cast<uint8_t>(data[pos + (big_endian ? i : width - 1 - i)]);
        value = (value << 8) | byte;
    }
    return value;
}

struct Section {
    uint32_t name = 0;
    uint64_t offset = 0;
    uint64_t size = 0;
};

bool read_section(const ElfLayout& elf, std::string_view table, size_t index, Section& out) {
    size_t base = index * elf.shentsize;
    size_t need = elf.is64 ? 0x28 : 0x18;
    if (base + need > table.size()) {
        return false;
    }
    out.name = static_cast<uint32_t>(read_uint(table, base, 4, elf.big_endian));
    if (elf.is64) {
        out.offset = read_uint(table, base + 0x18, 8, elf.big_endian);
        out.size = read_uint(table, base + 0x20, 8, elf.big_endian);
    } else {
        out.offset = read_uint(table, base + 0x10, 4, elf.big_endian);
        out.size = read_uint(table, base + 0x14, 4, elf.big_endian);
    }
    return true;
}

// The bytes of [offset, offset+size) when the region holds them all.
bool slice(std::string_view region, uint64_t region_start, uint64_t offset, uint64_t size,
           std::string_view& out) {
    if (offset < region_start || offset - region_start > region.size() ||
        size > region.size() - (offset - region_start)) {
        return false;
    }
    out = region.substr(offset - region_start, size);
    return true;
}

bool inflate_capped(std::string_view compressed, std::string& out) {
    z_stream zs{};
    if (inflateInit(&zs) != Z_OK) {
        return false;
    }
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
    zs.avail_in = static_cast<uInt>(compressed.size());
    char buf[64 * 1024];
    int rc = Z_OK;
    while (rc == Z_OK && out.size() <= kMaxDepJsonBytes) {
        zs.next_out = reinterpret_cast<Bytef*>(buf);
        zs.avail_out = sizeof buf;
        rc = inflate(&zs, Z_NO_FLUSH);
        out.append(buf, sizeof buf - zs.avail_out);
        if (rc == Z_BUF_ERROR && zs.avail_in == 0) {
            break;
        }
    }
    inflateEnd(&zs);
    return rc == Z_STREAM_END && out.size() <= kMaxDepJsonBytes;
}

void parse_dep_json(std::string_view json, const std::string& path, LangPackages& out) {
    rapidjson::Document parsed;
    // Iterative: a deeply nested document must not exhaust the stack.
    parsed.Parse<rapidjson::kParseDefaultFlags | rapidjson::kParseIterativeFlag>(json.data(),
                                                                                 json.size());
    // Const access only: RapidJSON's mutable iterators make C++20 comparisons ambiguous.
    const rapidjson::Document& doc = parsed;
    auto packages = doc.IsObject() ? doc.FindMember("packages") : doc.MemberEnd();
    if (doc.HasParseError() || !doc.IsObject() || packages == doc.MemberEnd() ||
        !packages->value.IsArray()) {
        out.warnings.push_back(path + ": cargo-auditable data has no package list");
        return;
    }
    for (const auto& entry : packages->value.GetArray()) {
        auto name = entry.IsObject() ? entry.FindMember("name") : entry.MemberEnd();
        auto version = entry.IsObject() ? entry.FindMember("version") : entry.MemberEnd();
        if (!entry.IsObject() || name == entry.MemberEnd() || version == entry.MemberEnd() ||
            !name->value.IsString() || !version->value.IsString()) {
            out.warnings.push_back(path + ": cargo-auditable package without name or version");
            continue;
        }
        std::string n(name->value.GetString(), name->value.GetStringLength());
        std::string v(version->value.GetString(), version->value.GetStringLength());
        out.packages.push_back(make_lang_package("cargo", "", n, n, v, path));
    }
}

}  // namespace

bool read_elf_layout(std::string_view header, ElfLayout& layout) {
    if (header.size() < 0x34 || header.substr(0, 4) !=
                                    "\x7f"
                                    "ELF") {
        return false;
    }
    layout.is64 = header[4] == 2;
    layout.big_endian = header[5] == 2;
    if ((header[4] != 1 && header[4] != 2) || (layout.is64 && header.size() < 0x40)) {
        return false;
    }
    bool be = layout.big_endian;
    if (layout.is64) {
        layout.shoff = read_uint(header, 0x28, 8, be);
        layout.shentsize = static_cast<uint16_t>(read_uint(header, 0x3a, 2, be));
        layout.shnum = static_cast<uint16_t>(read_uint(header, 0x3c, 2, be));
        layout.shstrndx = static_cast<uint16_t>(read_uint(header, 0x3e, 2, be));
    } else {
        layout.shoff = read_uint(header, 0x20, 4, be);
        layout.shentsize = static_cast<uint16_t>(read_uint(header, 0x2e, 2, be));
        layout.shnum = static_cast<uint16_t>(read_uint(header, 0x30, 2, be));
        layout.shstrndx = static_cast<uint16_t>(read_uint(header, 0x32, 2, be));
    }
    return layout.shentsize >= (layout.is64 ? 0x40 : 0x28);
}

void parse_cargo_auditable(const ElfLayout& elf, std::string_view region, uint64_t region_start,
                           const std::string& path, LangPackages& out) {
    std::string_view table;
    Section names;
    std::string_view strtab;
    if (elf.shnum == 0 || elf.shstrndx >= elf.shnum ||
        !slice(region, region_start, elf.shoff, uint64_t{elf.shnum} * elf.shentsize, table) ||
        !read_section(elf, table, elf.shstrndx, names) ||
        !slice(region, region_start, names.offset, names.size, strtab)) {
        return;  // no usable section names: stripped of them, truncated, or not ours to judge
    }
    for (size_t i = 0; i < elf.shnum; ++i) {
        Section section;
        if (!read_section(elf, table, i, section) || section.name >= strtab.size()) {
            continue;
        }
        std::string_view name = strtab.substr(section.name);
        if (name.substr(0, name.find('\0')) != ".dep-v0") {
            continue;
        }
        std::string_view data;
        if (!slice(region, region_start, section.offset, section.size, data)) {
            out.warnings.push_back(path +
                                   ": cargo-auditable data lies too far before the ELF "
                                   "section headers; not analysed");
            return;
        }
        std::string json;
        if (!inflate_capped(data, json)) {
            out.warnings.push_back(path + ": cargo-auditable data is not valid zlib or too large");
            return;
        }
        parse_dep_json(json, path, out);
        return;
    }
}

}  // namespace cguard::scanner::detail
