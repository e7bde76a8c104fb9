#include <sstream>

#include "common/json_text.h"
#include "report/detail/text_table.h"
#include "report/report_test_samples.h"

namespace cguard::report::test {
namespace {

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        lines.push_back(line);
    }
    return lines;
}

// Index of the line that starts with `prefix`, or -1.
int find_line(const std::vector<std::string>& lines, const std::string& prefix) {
    for (size_t i = 0; i < lines.size(); ++i) {
        if (lines[i].starts_with(prefix)) {
            return static_cast<int>(i);
        }
    }
    return -1;
}

}  // namespace

TEST_CASE("the table report lists the OS, packages and unowned files in aligned columns",
          "[report]") {
    auto scan = alpine_scan();
    auto lines = lines_of(render(Format::Table, scan, nullptr));

    CHECK(lines[0] == "Image: docker-archive:alpine-3.10.docker-save.tar.gz");
    CHECK(find_line(lines, "OS: Alpine Linux 3.10.4 (alpine)") >= 0);
    int header = find_line(lines, "TYPE");
    REQUIRE(header > 0);
    CHECK(lines[header - 1] == "Packages (6)");

    // Every column starts at the same offset in the header and in each row.
    const std::string& head = lines[header];
    size_t version_col = head.find("VERSION");
    size_t layer_col = head.find("LAYER");
    const std::string& ssl = lines[header + 3];
    CHECK(ssl.starts_with("apk"));
    CHECK(ssl.substr(version_col, 9) == "1.1.1d-r2");
    CHECK(ssl.substr(layer_col) == "1b3ee35aacca");
    CHECK(ssl.find("openssl") != std::string::npos);

    int unowned = find_line(lines, "Unowned files (1)");
    REQUIRE(unowned > 0);
    CHECK(
        lines[unowned + 2].starts_with("usr/local/bin/helper  18432  9f86d081884c  1b3ee35aacca"));
    CHECK(find_line(lines, "- layer 2: skipped entry with an absolute path") > 0);
    CHECK(find_line(lines, "Vulnerabilities") == -1);
}

TEST_CASE("the table report sorts vulnerabilities by severity then package and sums them up",
          "[report]") {
    auto scan = alpine_scan();
    auto findings = alpine_findings(scan);
    findings[0].title = std::string(200, 'x');
    auto lines = lines_of(render(Format::Table, scan, &findings));

    int header = find_line(lines, "ID ");
    REQUIRE(header > 0);
    CHECK(lines[header - 1] == "Vulnerabilities (6)");
    std::vector<std::string> order;
    for (int i = header + 1; i < header + 7; ++i) {
        order.push_back(lines[i].substr(0, lines[i].find(' ')));
    }
    CHECK(order == std::vector<std::string>{"CVE-2019-14697", "CVE-2020-1967", "CVE-2020-1967",
                                            "GHSA-p6mc-m468-83gw", "CVE-2021-42374",
                                            "CVE-2022-28391"});
    // HIGH rows: libcrypto1.1 < libssl1.1 < lodash.
    CHECK(lines[header + 2].find("libcrypto1.1") != std::string::npos);
    CHECK(lines[header + 3].find("libssl1.1") != std::string::npos);
    CHECK(lines[header + 2].find(" yes ") != std::string::npos);  // KEV

    // The 200-character title is cut to the 60-column title width.
    const std::string& critical = lines[header + 1];
    CHECK(critical.ends_with(std::string(57, 'x') + "..."));

    CHECK(lines.back() == "Total: 6 (CRITICAL: 1, HIGH: 3, MEDIUM: 1, LOW: 0, UNKNOWN: 1)");
}

TEST_CASE("the table report has no raw control characters from a hostile image", "[report]") {
    auto scan = hostile_scan();
    auto findings = hostile_findings(scan);
    std::string text = render(Format::Table, scan, &findings);

    for (char ch : text) {
        auto c = static_cast<unsigned char>(ch);
        INFO("byte " << static_cast<int>(c));
        CHECK((c >= 0x20 || c == '\n'));
        CHECK(c != 0x7F);
    }
    CHECK(text.find("\xc2\x9b") == std::string::npos);      // 8-bit CSI
    CHECK(text.find("\xe2\x80\xae") == std::string::npos);  // right-to-left override
    CHECK(json::sanitize_utf8(text) == text);               // valid UTF-8
    CHECK(text.find("evil\xef\xbf\xbd\xef\xbf\xbd\"name\\ ?]0;pwned??[2J?31m?txt.exe") !=
          std::string::npos);
}

TEST_CASE("terminal_safe keeps printable text and neutralises control characters", "[report]") {
    using detail::terminal_safe;
    CHECK(terminal_safe("libc6 2.36-9+deb12u4") == "libc6 2.36-9+deb12u4");
    CHECK(terminal_safe("caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac") ==
          "caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac");
    CHECK(terminal_safe("a\tb\nc\rd") == "a b c d");
    CHECK(terminal_safe("\x1b[31mred\x1b[0m") == "?[31mred?[0m");
    CHECK(terminal_safe("\xc2\x9b"
                        "2J") == "?2J");
    CHECK(terminal_safe("\xe2\x81\xa6x\xe2\x81\xa9") == "?x?");
    CHECK(terminal_safe("\xff") == "\xef\xbf\xbd");
}

TEST_CASE("text tables align on code points and truncate without splitting characters",
          "[report]") {
    using detail::TextTable;
    CHECK(detail::display_width("\xc3\xa9t\xc3\xa9") == 3);
    CHECK(detail::truncate_to_width("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", 5) ==
          "\xc3\xa9\xc3\xa9...");
    CHECK(detail::truncate_to_width("short", 5) == "short");

    TextTable table({{"NAME", 0}, {"NOTE", 6}});
    table.add_row({"\xc3\xa9t\xc3\xa9", "a long note"});
    table.add_row({"x"});
    CHECK(table.render() ==
          "NAME  NOTE\n"
          "\xc3\xa9t\xc3\xa9   a l...\n"
          "x\n");
}

}  // namespace cguard::report::test
