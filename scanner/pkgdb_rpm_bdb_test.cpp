#include <catch2/catch.hpp>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <sstream>
#include <string>
#include <vector>

#include "scanner/detail/os_packages.h"
#include "scanner/pkgdb_test_util.h"
#include "tests/test_support.h"

using cguard::scanner::detail::OsPackage;
using cguard::scanner::detail::OsPackageList;
using cguard::scanner::detail::parse_rpm_bdb;
using cguard::scanner::detail::parse_rpm_sqlite;
using cguard::scanner::test_util::for_each_damaged;
using cguard::scanner::test_util::make_package_header;
using cguard::scanner::test_util::rpm_rows;

namespace {

constexpr size_t kPageSize = 512;

// Writes Berkeley DB hash pages by hand, following the documented on-disk layout: a metadata
// page, then 26-byte page headers {lsn, pgno, prev, next, entries, hf_offset, level, type}.
class HashDbBuilder {
public:
    explicit HashDbBuilder(bool big_endian) : big_endian_(big_endian) {}

    // Adds a key/value pair to the single hash page; large values go to overflow pages.
    void add(uint32_t key, const std::string& value) {
        std::string key_bytes(4, '\0');
        put32(key_bytes, 0, key);
        items_.push_back(std::string(1, '\1') + key_bytes);
        if (value.size() + 1 <= 200) {
            items_.push_back(std::string(1, '\1') + value);
            return;
        }
        std::string offpage(12, '\0');
        offpage[0] = 3;
        put32(offpage, 4, static_cast<uint32_t>(2 + overflow_pages_.size()));
        put32(offpage, 8, static_cast<uint32_t>(value.size()));
        items_.push_back(offpage);
        add_overflow_chain(value);
    }

    std::string build() const {
        const uint32_t last_pgno = static_cast<uint32_t>(1 + overflow_pages_.size());
        std::string meta(kPageSize, '\0');
        put32(meta, 12, 0x061561);
        put32(meta, 16, 9);
        put32(meta, 20, kPageSize);
        meta[25] = 8;
        put32(meta, 32, last_pgno);

        std::string hash = page(1, 0, 13);
        put16(hash, 20, static_cast<uint16_t>(items_.size()));
        size_t end = kPageSize;
        for (size_t i = 0; i < items_.size(); ++i) {
            end -= items_[i].size();
            hash.replace(end, items_[i].size(), items_[i]);
            put16(hash, 26 + i * 2, static_cast<uint16_t>(end));
        }
        std::string out = meta + hash;
        for (const std::string& p : overflow_pages_) {
            out += p;
        }
        return out;
    }

private:
    void add_overflow_chain(const std::string& value) {
        const size_t room = kPageSize - 26;
        for (size_t pos = 0; pos < value.size(); pos += room) {
            const uint32_t pgno = static_cast<uint32_t>(2 + overflow_pages_.size());
            const bool last = pos + room >= value.size();
            std::string p = page(pgno, last ? 0 : pgno + 1, 7);
            std::string chunk = value.substr(pos, room);
            put16(p, 22, static_cast<uint16_t>(chunk.size()));
            p.replace(26, chunk.size(), chunk);
            overflow_pages_.push_back(p);
        }
    }
    std::string page(uint32_t pgno, uint32_t next, char type) const {
        std::string p(kPageSize, '\0');
        put32(p, 8, pgno);
        put32(p, 16, next);
        p[25] = type;
        return p;
    }
    void put32(std::string& s, size_t at, uint32_t v) const {
        for (int i = 0; i < 4; ++i) {
            s[at + (big_endian_ ? 3 - i : i)] = static_cast<char>((v >> (8 * i)) & 0xff);
        }
    }
    void put16(std::string& s, size_t at, uint16_t v) const {
        s[at + (big_endian_ ? 1 : 0)] = static_cast<char>(v & 0xff);
        s[at + (big_endian_ ? 0 : 1)] = static_cast<char>(v >> 8);
    }

    bool big_endian_;
    std::vector<std::string> items_;
    std::vector<std::string> overflow_pages_;
};

std::vector<std::string> many_files(int count) {
    std::vector<std::string> files;
    for (int i = 0; i < count; ++i) {
        files.push_back("/usr/lib/python3/site-packages/module_" + std::to_string(i) + ".py");
    }
    return files;
}

std::string hex(const std::string& bytes) {
    static const char* digits = "0123456789abcdef";
    std::string out;
    for (unsigned char c : bytes) {
        out += digits[c >> 4];
        out += digits[c & 15];
    }
    return out;
}

}  // namespace

TEST_CASE("rpm bdb reads inline and overflow values of a hand-built hash database",
          "[scanner][pkgdb]") {
    const bool big_endian = GENERATE(false, true);
    const std::string small = make_package_header("tiny", "1", "1", -1, {});
    const std::string large =
        make_package_header("python3-libs", "3.6.8", "18.el7", 0, many_files(150));
    REQUIRE(small.size() + 1 <= 200);
    REQUIRE(large.size() > 3 * kPageSize);

    HashDbBuilder builder(big_endian);
    builder.add(0, std::string("\x03\0\0\0", 4));  // rpm's next-instance counter
    builder.add(1, small);
    builder.add(2, large);
    auto list = parse_rpm_bdb(builder.build());

    CHECK(list.warnings.empty());
    REQUIRE(list.packages.size() == 2);
    CHECK(list.packages[0].package.name == "tiny");
    CHECK(list.packages[1].package.version == "0:3.6.8-18.el7");
    CHECK(list.packages[1].files.size() == 150);
    CHECK(list.packages[1].files.back() == "usr/lib/python3/site-packages/module_149.py");

    // A chain cut short, or made to loop, ends in a warning instead of a hang.
    std::string db = builder.build();
    for_each_damaged(db, 300, big_endian ? 13 : 17, [](const std::string& damaged) {
        CHECK(parse_rpm_bdb(damaged).packages.size() <= 2);
    });
    std::string looped = db;
    looped[2 * kPageSize + (big_endian ? 19 : 16)] = 2;  // first overflow page links to itself
    auto broken = parse_rpm_bdb(looped);
    CHECK(broken.packages.size() == 1);
    CHECK(broken.warnings.size() == 1);
}

TEST_CASE("rpm bdb parse of a db_load-built database equals the SQLite original",
          "[scanner][pkgdb]") {
    CGUARD_REQUIRE_SHARED(shared);
    const std::string fixture = shared + "/fixtures/pkgdb/rpm/cbl-mariner-2.0.rpmdb.sqlite";
    auto tools = cguard::test::run("command -v db5.3_load || command -v db_load");
    auto dump = cguard::test::run("sqlite3 -readonly 'file:" + fixture +
                                  "?immutable=1' 'SELECT hnum, hex(blob) FROM Packages'");
    if (tools.exit_code != 0 || dump.exit_code != 0) {
        WARN("skipped: needs db_load (apt-get install db5.3-util) and the sqlite3 shell");
        return;
    }
    const std::string db_load = tools.out.substr(0, tools.out.find('\n'));
    const OsPackageList expected = parse_rpm_sqlite(cguard::test::read_file(fixture));
    REQUIRE(expected.packages.size() == 129);

    const std::string page_size = GENERATE("512", "4096", "16384");
    const bool checksums = GENERATE(false, true);  // page checksums move the item offsets
    cguard::test::TempDir dir;
    std::string text = "VERSION=3\nformat=bytevalue\ntype=hash\ndb_pagesize=" + page_size + "\n" +
                       (checksums ? "chksum=1\n" : "") + "HEADER=END\n 00000000\n 82000000\n";
    std::istringstream rows(dump.out);
    for (std::string row; std::getline(rows, row);) {
        const uint32_t hnum = static_cast<uint32_t>(std::stoul(row.substr(0, row.find('|'))));
        std::string key(4, '\0');
        for (int i = 0; i < 4; ++i) {
            key[i] = static_cast<char>((hnum >> (8 * i)) & 0xff);
        }
        std::string value = row.substr(row.find('|') + 1);
        std::transform(value.begin(), value.end(), value.begin(),
                       [](char c) { return static_cast<char>(std::tolower(c)); });
        text += " " + hex(key) + "\n " + value + "\n";
    }
    text += "DATA=END\n";
    cguard::test::write_file(dir.path() + "/dump.txt", text);
    auto load =
        cguard::test::run(db_load + " -f " + dir.path() + "/dump.txt " + dir.path() + "/Packages");
    REQUIRE(load.exit_code == 0);

    const std::string db = cguard::test::read_file(dir.path() + "/Packages");
    auto list = parse_rpm_bdb(db);
    CHECK(list.warnings.empty());
    CHECK(rpm_rows(list) == rpm_rows(expected));
    size_t files = 0, expected_files = 0;
    for (const OsPackage& p : list.packages) {
        files += p.files.size();
    }
    for (const OsPackage& p : expected.packages) {
        expected_files += p.files.size();
    }
    CHECK(files == expected_files);

    for_each_damaged(db, 40, 19, [](const std::string& damaged) {
        CHECK(parse_rpm_bdb(damaged).packages.size() <= 129);
    });
}
