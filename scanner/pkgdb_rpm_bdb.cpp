// rpm's Berkeley DB backend (/var/lib/rpm/Packages, RHEL/CentOS <= 8): a BDB hash database whose
// values are header blobs. We walk every page instead of following hash buckets: each hash page
// (type 13, or 2 before BDB 4.6) holds key/value items alternately, a value either inline
// (H_KEYDATA) or on a chain of overflow pages (type 7, H_OFFPAGE). Byte order is the writer's;
// the metadata page's magic tells which.
#include <string>
#include <string_view>

#include "scanner/detail/os_packages.h"
#include "scanner/detail/pkgdb_rpm.h"

namespace cguard::scanner::detail {
namespace {

constexpr uint32_t kHashMagic = 0x061561;
constexpr uint8_t kPageHashMeta = 8;
constexpr uint8_t kPageHashUnsorted = 2;
constexpr uint8_t kPageOverflow = 7;
constexpr uint8_t kPageHash = 13;
constexpr uint8_t kItemKeyData = 1;
constexpr uint8_t kItemOffPage = 3;
constexpr size_t kPageHeaderSize = 26;
constexpr uint8_t kMetaFlagChecksum = 0x01;
// With checksums on, every page header grows by 2 unused bytes and a 4-byte checksum.
constexpr size_t kChecksumSize = 6;

class BdbFile {
public:
    BdbFile(std::string_view data, bool big_endian, uint32_t page_size, uint32_t page_count,
            size_t item_offset)
        : data_(data),
          big_endian_(big_endian),
          page_size_(page_size),
          page_count_(page_count),
          item_offset_(item_offset),
          overflow_budget_(size_t{page_count} * 2) {}

    uint32_t page_count() const { return page_count_; }
    std::string_view page(uint32_t pgno) const {
        return data_.substr(size_t{pgno} * page_size_, page_size_);
    }
    uint32_t u32(std::string_view page, size_t offset) const {
        const unsigned char* p = bytes_of(page) + offset;
        return big_endian_ ? load_be32(p) : load_le32(p);
    }
    uint16_t u16(std::string_view page, size_t offset) const {
        const unsigned char* p = bytes_of(page) + offset;
        return big_endian_ ? uint16_t(p[0] << 8 | p[1]) : uint16_t(p[1] << 8 | p[0]);
    }

    void read_hash_page(uint32_t pgno, OsPackageList& out);

private:
    bool read_overflow(uint32_t pgno, uint32_t total, std::string& value, std::string& error);
    void read_value(std::string_view page, size_t offset, size_t length, const std::string& where,
                    OsPackageList& out);

    std::string_view data_;
    bool big_endian_;
    uint32_t page_size_;
    uint32_t page_count_;
    size_t item_offset_;
    size_t overflow_budget_;  // overflow pages we may still read; cycles and sharing end here
};

bool BdbFile::read_overflow(uint32_t pgno, uint32_t total, std::string& value, std::string& error) {
    if (total > kMaxRpmBlobBytes) {
        error = "value larger than the blob cap";
        return false;
    }
    value.clear();
    while (value.size() < total) {
        if (pgno == 0 || pgno >= page_count_) {
            error = "overflow chain leaves the file";
            return false;
        }
        if (overflow_budget_ == 0) {
            error = "overflow chains exceed the file (cycle?)";
            return false;
        }
        --overflow_budget_;
        std::string_view page = this->page(pgno);
        const size_t length = u16(page, 22);
        if (page[25] != kPageOverflow || length > page_size_ - item_offset_) {
            error = "bad overflow page " + std::to_string(pgno);
            return false;
        }
        value.append(page.substr(item_offset_, length));
        pgno = u32(page, 16);
    }
    if (value.size() != total) {
        error = "overflow data longer than declared";
        return false;
    }
    return true;
}

void BdbFile::read_value(std::string_view page, size_t offset, size_t length,
                         const std::string& where, OsPackageList& out) {
    const uint8_t type = static_cast<uint8_t>(page[offset]);
    if (type == kItemKeyData) {
        std::string_view value = page.substr(offset + 1, length - 1);
        // rpm stores its next-instance counter (4 bytes) under key 0; it is not a package.
        if (value.size() > 4) {
            append_rpm_header(value, out, where);
        }
        return;
    }
    if (type != kItemOffPage || length < 12) {
        add_pkgdb_warning(
            out, "rpm bdb: " + where + " has unsupported item type " + std::to_string(type));
        return;
    }
    std::string value, error;
    if (!read_overflow(u32(page, offset + 4), u32(page, offset + 8), value, error)) {
        add_pkgdb_warning(out, "rpm bdb: " + where + ": " + error);
        return;
    }
    append_rpm_header(value, out, where);
}

// Items sit at the offsets listed after the page header, packed from the page's end
// downwards: item i ends where item i-1 starts. Even items are keys, odd items values.
void BdbFile::read_hash_page(uint32_t pgno, OsPackageList& out) {
    std::string_view page = this->page(pgno);
    const size_t entries = u16(page, 20);
    const size_t items_start = item_offset_ + entries * 2;
    if (items_start > page_size_) {
        add_pkgdb_warning(out, "rpm bdb: page " + std::to_string(pgno) + " has bad entry count");
        return;
    }
    for (size_t i = 1; i < entries; i += 2) {
        const size_t offset = u16(page, item_offset_ + i * 2);
        const size_t end = u16(page, item_offset_ + (i - 1) * 2);
        const std::string where = "page " + std::to_string(pgno) + " item " + std::to_string(i);
        if (offset < items_start || end > page_size_ || end <= offset) {
            add_pkgdb_warning(out, "rpm bdb: " + where + " has a bad offset");
            continue;
        }
        read_value(page, offset, end - offset, where, out);
    }
}

bool valid_page_size(uint32_t size) {
    return size >= 512 && size <= 65536 && (size & (size - 1)) == 0;
}

}  // namespace

OsPackageList parse_rpm_bdb(std::string_view data) {
    OsPackageList out;
    if (data.size() < 512) {
        add_pkgdb_warning(out, "rpm bdb: file too small for a Berkeley DB database");
        return out;
    }
    const unsigned char* meta = bytes_of(data);
    const bool big_endian = load_be32(meta + 12) == kHashMagic;
    if (!big_endian && load_le32(meta + 12) != kHashMagic) {
        add_pkgdb_warning(out, "rpm bdb: not a Berkeley DB hash database");
        return out;
    }
    const uint32_t page_size = big_endian ? load_be32(meta + 20) : load_le32(meta + 20);
    const uint32_t last_pgno = big_endian ? load_be32(meta + 32) : load_le32(meta + 32);
    if (meta[25] != kPageHashMeta || !valid_page_size(page_size) || meta[24] != 0) {
        add_pkgdb_warning(out,
                          "rpm bdb: unsupported metadata page (type, page size or "
                          "encryption)");
        return out;
    }
    uint64_t page_count = data.size() / page_size;
    if (uint64_t{last_pgno} + 1 < page_count) {
        page_count = uint64_t{last_pgno} + 1;
    } else if (uint64_t{last_pgno} + 1 > page_count) {
        add_pkgdb_warning(out, "rpm bdb: file is truncated; reading the pages present");
    }
    const size_t item_offset =
        kPageHeaderSize + ((meta[26] & kMetaFlagChecksum) != 0 ? kChecksumSize : 0);
    BdbFile file(data, big_endian, page_size, static_cast<uint32_t>(page_count), item_offset);
    for (uint32_t pgno = 1; pgno < file.page_count(); ++pgno) {
        const uint8_t type = static_cast<uint8_t>(file.page(pgno)[25]);
        if (type == kPageHash || type == kPageHashUnsorted) {
            file.read_hash_page(pgno, out);
        }
    }
    return out;
}

}  // namespace cguard::scanner::detail
