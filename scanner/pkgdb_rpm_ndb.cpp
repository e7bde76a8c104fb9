// rpm's NDB backend (Packages.db, SUSE). Layout, all little-endian:
//   header (32 bytes): "RpmP", version 0, generation, slot page count, next package index;
//   slot pages (4096 bytes each, the first starting after the header): 16-byte slots
//     {"Slot", package index, block offset, block count}, blocks being 16 bytes;
//   blobs at block offset: head {"BlbS", package index, timestamp, length}, the header blob,
//     zero padding, tail {adler32 of head + blob + padding, length, "BlbE"}.
#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "scanner/detail/os_packages.h"
#include "scanner/detail/pkgdb_rpm.h"

namespace cguard::scanner::detail {
namespace {

constexpr uint32_t kDbMagic = 0x506d7052;        // "RpmP"
constexpr uint32_t kSlotMagic = 0x746f6c53;      // "Slot"
constexpr uint32_t kBlobHeadMagic = 0x53626c42;  // "BlbS"
constexpr uint32_t kBlobTailMagic = 0x45626c42;  // "BlbE"
constexpr size_t kHeaderSize = 32;
constexpr size_t kSlotSize = 16;
constexpr size_t kBlockSize = 16;
constexpr size_t kPageSize = 4096;
constexpr size_t kBlobHeadSize = 16;
constexpr size_t kBlobTailSize = 12;
constexpr uint32_t kMaxSlotPages = 4096;

struct Slot {
    uint32_t package_index;
    uint32_t block_offset;
    uint32_t block_count;
};

uint32_t adler32(std::string_view data) {
    uint32_t a = 1;
    uint32_t b = 0;
    for (unsigned char c : data) {
        a = (a + c) % 65521;
        b = (b + a) % 65521;
    }
    return (b << 16) | a;
}

// Reads every used slot; an unreadable slot page ends the list (later pages are unreachable
// without it) with a warning.
std::vector<Slot> read_slots(std::string_view data, uint32_t slot_pages, OsPackageList& out) {
    std::vector<Slot> slots;
    size_t end = std::min(data.size(), size_t{slot_pages} * kPageSize);
    if (end < size_t{slot_pages} * kPageSize) {
        add_pkgdb_warning(out, "rpm ndb: slot pages are truncated");
    }
    for (size_t pos = kHeaderSize; pos + kSlotSize <= end; pos += kSlotSize) {
        const unsigned char* p = bytes_of(data) + pos;
        if (load_le32(p) != kSlotMagic) {
            add_pkgdb_warning(out, "rpm ndb: bad slot at offset " + std::to_string(pos));
            break;
        }
        Slot slot{load_le32(p + 4), load_le32(p + 8), load_le32(p + 12)};
        if (slot.block_offset != 0) {
            slots.push_back(slot);
        }
    }
    // rpm lists packages in package index order (the order they were installed).
    std::sort(slots.begin(), slots.end(),
              [](const Slot& a, const Slot& b) { return a.package_index < b.package_index; });
    return slots;
}

// Returns the header blob a slot points at, or an empty view (after a warning) when the blob's
// frame, length or checksum does not hold.
std::string_view read_blob(std::string_view data, const Slot& slot, OsPackageList& out) {
    const std::string where = "rpm ndb: package index " + std::to_string(slot.package_index);
    const size_t start = size_t{slot.block_offset} * kBlockSize;
    const size_t span = size_t{slot.block_count} * kBlockSize;
    if (span < kBlobHeadSize + kBlobTailSize || start > data.size() || span > data.size() - start) {
        add_pkgdb_warning(out, where + ": blob lies outside the file");
        return {};
    }
    std::string_view frame = data.substr(start, span);
    const unsigned char* head = bytes_of(frame);
    const uint32_t length = load_le32(head + 12);
    if (load_le32(head) != kBlobHeadMagic || load_le32(head + 4) != slot.package_index ||
        length > span - kBlobHeadSize - kBlobTailSize) {
        add_pkgdb_warning(out, where + ": bad blob header");
        return {};
    }
    const unsigned char* tail = head + span - kBlobTailSize;
    if (load_le32(tail + 8) != kBlobTailMagic || load_le32(tail + 4) != length) {
        add_pkgdb_warning(out, where + ": bad blob trailer");
        return {};
    }
    if (load_le32(tail) != adler32(frame.substr(0, span - kBlobTailSize))) {
        add_pkgdb_warning(out, where + ": blob checksum mismatch");
        return {};
    }
    return frame.substr(kBlobHeadSize, length);
}

}  // namespace

OsPackageList parse_rpm_ndb(std::string_view data) {
    OsPackageList out;
    if (data.size() < kHeaderSize || load_le32(bytes_of(data)) != kDbMagic) {
        add_pkgdb_warning(out, "rpm ndb: not an NDB package database (no RpmP magic)");
        return out;
    }
    const uint32_t version = load_le32(bytes_of(data) + 4);
    const uint32_t slot_pages = load_le32(bytes_of(data) + 12);
    if (version != 0) {
        add_pkgdb_warning(out, "rpm ndb: unsupported version " + std::to_string(version));
        return out;
    }
    if (slot_pages == 0 || slot_pages > kMaxSlotPages) {
        add_pkgdb_warning(out,
                          "rpm ndb: implausible slot page count " + std::to_string(slot_pages));
        return out;
    }
    // Valid blobs never overlap, so together they span at most the file once; hostile slots
    // that all point at one huge blob must not cost a checksum each.
    size_t bytes_budget = data.size();
    for (const Slot& slot : read_slots(data, slot_pages, out)) {
        const size_t span = size_t{slot.block_count} * kBlockSize;
        if (span <= data.size()) {
            if (span > bytes_budget) {
                add_pkgdb_warning(out, "rpm ndb: slots cover more than the file; stopped reading");
                break;
            }
            bytes_budget -= span;
        }
        std::string_view blob = read_blob(data, slot, out);
        if (!blob.empty()) {
            append_rpm_header(blob, out, "package index " + std::to_string(slot.package_index));
        }
    }
    return out;
}

}  // namespace cguard::scanner::detail
