// Test-only helpers for the package database tests: building rpm header blobs by hand, turning
// parse results into the fixtures' TSV rows, and damaging real databases deterministically.
#pragma once

#include <algorithm>
#include <cstdint>
#include <random>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "scanner/detail/os_packages.h"

namespace cguard::scanner::test_util {

inline void put_be32(std::string& out, uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8) {
        out.push_back(static_cast<char>((v >> shift) & 0xff));
    }
}

// Builds an rpm header blob (il, dl, index, store) from tags, the way rpm lays one out.
class HeaderBuilder {
public:
    HeaderBuilder& string(uint32_t tag, const std::string& value) {
        return strings(tag, {value}, 6);
    }
    HeaderBuilder& strings(uint32_t tag, const std::vector<std::string>& values,
                           uint32_t type = 8) {
        add_entry(tag, type, static_cast<uint32_t>(store_.size()),
                  static_cast<uint32_t>(values.size()));
        for (const std::string& v : values) {
            store_.append(v);
            store_.push_back('\0');
        }
        return *this;
    }
    HeaderBuilder& int32s(uint32_t tag, const std::vector<uint32_t>& values) {
        while (store_.size() % 4 != 0) {
            store_.push_back('\0');
        }
        add_entry(tag, 4, static_cast<uint32_t>(store_.size()),
                  static_cast<uint32_t>(values.size()));
        for (uint32_t v : values) {
            put_be32(store_, v);
        }
        return *this;
    }
    // An entry whose offset/count the caller controls, to describe broken headers.
    HeaderBuilder& raw_entry(uint32_t tag, uint32_t type, uint32_t offset, uint32_t count) {
        add_entry(tag, type, offset, count);
        return *this;
    }
    std::string build() const {
        std::string blob;
        put_be32(blob, static_cast<uint32_t>(index_.size() / 16));
        put_be32(blob, static_cast<uint32_t>(store_.size()));
        return blob + index_ + store_;
    }

private:
    void add_entry(uint32_t tag, uint32_t type, uint32_t offset, uint32_t count) {
        put_be32(index_, tag);
        put_be32(index_, type);
        put_be32(index_, offset);
        put_be32(index_, count);
    }
    std::string index_;
    std::string store_;
};

// A typical package header: NAME VERSION RELEASE [EPOCH] ARCH SOURCERPM + split file names.
inline std::string make_package_header(const std::string& name, const std::string& version,
                                       const std::string& release, int epoch,
                                       const std::vector<std::string>& files) {
    HeaderBuilder b;
    b.string(1000, name).string(1001, version).string(1002, release);
    if (epoch >= 0) {
        b.int32s(1003, {static_cast<uint32_t>(epoch)});
    }
    b.string(1022, "x86_64").string(1044, name + "-" + version + "-" + release + ".src.rpm");
    std::vector<std::string> dirs, bases;
    std::vector<uint32_t> indexes;
    for (const std::string& f : files) {
        size_t slash = f.rfind('/');
        std::string dir = f.substr(0, slash + 1);
        auto it = std::find(dirs.begin(), dirs.end(), dir);
        indexes.push_back(static_cast<uint32_t>(it - dirs.begin()));
        if (it == dirs.end()) {
            dirs.push_back(dir);
        }
        bases.push_back(f.substr(slash + 1));
    }
    if (!files.empty()) {
        b.strings(1117, bases).strings(1118, dirs).int32s(1116, indexes);
    }
    return b.build();
}

// Reads a fixture TSV into sorted lines.
inline std::vector<std::string> tsv_rows(const std::string& text) {
    std::vector<std::string> rows;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        if (!line.empty()) {
            rows.push_back(line);
        }
    }
    std::sort(rows.begin(), rows.end());
    return rows;
}

inline std::string strip_epoch(const std::string& version) {
    size_t colon = version.find(':');
    return colon == std::string::npos ? version : version.substr(colon + 1);
}

// The rpm fixtures' columns: name, epoch, version, release, arch, source rpm file name.
inline std::vector<std::string> rpm_rows(const detail::OsPackageList& list) {
    std::vector<std::string> rows;
    for (const detail::OsPackage& p : list.packages) {
        const std::string& evr = p.package.version;
        size_t colon = evr.find(':');
        std::string epoch = colon == std::string::npos ? "" : evr.substr(0, colon);
        std::string vr = strip_epoch(evr);
        size_t dash = vr.rfind('-');
        std::string srpm =
            p.package.source_name + "-" + strip_epoch(p.package.source_version) + ".src.rpm";
        rows.push_back(p.package.name + "\t" + epoch + "\t" + vr.substr(0, dash) + "\t" +
                       vr.substr(dash + 1) + "\t" + p.package.arch + "\t" + srpm);
    }
    std::sort(rows.begin(), rows.end());
    return rows;
}

// Deterministic damage: calls `check` with `count` copies of `data`, each with a few random
// bits flipped, then with prefixes of `data` cut at `count` spread-out lengths.
template <typename Check>
void for_each_damaged(const std::string& data, int count, uint32_t seed, Check check) {
    std::mt19937 rng(seed);
    for (int i = 0; i < count && !data.empty(); ++i) {
        std::string copy = data;
        for (int flips = 0; flips < 1 + i % 8; ++flips) {
            copy[rng() % copy.size()] ^= static_cast<char>(1u << (rng() % 8));
        }
        check(copy);
    }
    for (int i = 0; i < count; ++i) {
        check(data.substr(0, data.size() * i / count + rng() % 64));
    }
}

}  // namespace cguard::scanner::test_util
