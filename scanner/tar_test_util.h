// Test helper: builds small layer tarballs and image archives in memory with libarchive's
// writer, so tests generate exactly the hostile or regular input they describe.
#pragma once

#include <archive.h>
#include <archive_entry.h>

#include <string>
#include <utility>
#include <vector>

#include "common/sha256.h"

namespace cguard::scanner::test {

enum class Compression { None, Gzip, Zstd };

struct TarEntry {
    TarEntry(std::string p, char t = 'f', std::string d = {}, unsigned m = 0644)
        : path(std::move(p)), type(t), data(std::move(d)), mode(m) {}
    std::string path;
    char type = 'f';   // f regular, d directory, l symlink, h hardlink, c char device
    std::string data;  // content, or link target for l/h
    unsigned mode = 0644;
};

inline la_ssize_t append_cb(struct archive*, void* client, const void* buf, size_t n) {
    static_cast<std::string*>(client)->append(static_cast<const char*>(buf), n);
    return static_cast<la_ssize_t>(n);
}

inline std::string make_tar(const std::vector<TarEntry>& entries,
                            Compression compression = Compression::None) {
    std::string out;
    struct archive* a = archive_write_new();
    archive_write_set_format_pax_restricted(a);
    if (compression == Compression::Gzip) {
        archive_write_add_filter_gzip(a);
    } else if (compression == Compression::Zstd) {
        archive_write_add_filter_zstd(a);
    }
    archive_write_set_bytes_in_last_block(a, 1);
    archive_write_open(a, &out, nullptr, append_cb, nullptr);
    for (const auto& e : entries) {
        struct archive_entry* entry = archive_entry_new();
        archive_entry_set_pathname(entry, e.path.c_str());
        archive_entry_set_perm(entry, e.mode);
        switch (e.type) {
            case 'd': archive_entry_set_filetype(entry, AE_IFDIR); break;
            case 'l':
                archive_entry_set_filetype(entry, AE_IFLNK);
                archive_entry_set_symlink(entry, e.data.c_str());
                break;
            case 'h':
                archive_entry_set_filetype(entry, AE_IFREG);
                archive_entry_set_hardlink(entry, e.data.c_str());
                break;
            case 'c':
                archive_entry_set_filetype(entry, AE_IFCHR);
                archive_entry_set_rdev(entry, 0x0103);
                break;
            default:
                archive_entry_set_filetype(entry, AE_IFREG);
                archive_entry_set_size(entry, static_cast<la_int64_t>(e.data.size()));
        }
        archive_write_header(a, entry);
        if (e.type == 'f' && !e.data.empty()) {
            archive_write_data(a, e.data.data(), e.data.size());
        }
        archive_entry_free(entry);
    }
    archive_write_close(a);
    archive_write_free(a);
    return out;
}

// A zip written as a stream, as `jar` writes deflated entries: sizes and CRC come in a data
// descriptor after each entry's data, so a reader skipping an entry must inflate it.
inline std::string make_zip(const std::vector<std::pair<std::string, std::string>>& entries) {
    std::string out;
    struct archive* a = archive_write_new();
    archive_write_set_format_zip(a);
    archive_write_zip_set_compression_deflate(a);
    archive_write_open(a, &out, nullptr, append_cb, nullptr);
    for (const auto& [name, data] : entries) {
        struct archive_entry* entry = archive_entry_new();
        archive_entry_set_pathname(entry, name.c_str());
        archive_entry_set_filetype(entry, AE_IFREG);
        archive_entry_set_perm(entry, 0644);
        archive_write_header(a, entry);
        archive_write_data(a, data.data(), data.size());
        archive_entry_free(entry);
    }
    archive_write_close(a);
    archive_write_free(a);
    return out;
}

inline std::string sha256_digest(const std::string& data) {
    return "sha256:" + Sha256::hex_of(data);
}

inline std::string hex_of(const std::string& data) {
    return Sha256::hex_of(data);
}

}  // namespace cguard::scanner::test
