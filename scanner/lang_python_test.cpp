#include <catch2/catch.hpp>

#include "scanner/detail/lang_packages.h"
#include "tests/test_support.h"

using namespace cguard::scanner::detail;

TEST_CASE("reads Name and Version from a wheel METADATA file", "[scanner][lang]") {
    std::string text =
        "Metadata-Version: 2.1\r\nName: Flask_SQLAlchemy\r\nVersion: 3.0.5\r\n"
        "Summary: x\r\n\r\nName: not-this\nVersion: 9\n";
    auto out = parse_python_metadata(text, "usr/lib/python3/dist-packages/x.dist-info/METADATA");
    REQUIRE(out.packages.size() == 1);
    const auto& p = out.packages[0];
    CHECK(p.name == "Flask_SQLAlchemy");
    CHECK(p.version == "3.0.5");
    CHECK(p.type == "pypi");
    CHECK(p.purl == "pkg:pypi/flask-sqlalchemy@3.0.5");
    CHECK(p.location == "usr/lib/python3/dist-packages/x.dist-info/METADATA");
    CHECK(out.warnings.empty());
}

TEST_CASE("normalises python purl names per PEP 503", "[scanner][lang]") {
    auto out = parse_python_metadata("name: Zope.Interface__-x\nVERSION: 1.0\n", "a.egg-info");
    REQUIRE(out.packages.size() == 1);
    CHECK(out.packages[0].purl == "pkg:pypi/zope-interface-x@1.0");
}

TEST_CASE("warns on python metadata without a version", "[scanner][lang]") {
    CHECK(parse_python_metadata("Name: x\n\nVersion: 1\n", "p").packages.empty());
    CHECK(parse_python_metadata("", "p").warnings.size() == 1);
    CHECK(parse_python_metadata(std::string("\0\xff:\n", 4), "p").packages.empty());
}

TEST_CASE("reads the real python metadata installed on this machine", "[scanner][lang]") {
    auto listing = cguard::test::run(
        "for d in /usr/lib/python3/dist-packages/*.dist-info "
        "/usr/lib/python3/dist-packages/*.egg-info;"
        " do if [ -f \"$d\" ]; then echo \"$d\"; elif [ -f \"$d/METADATA\" ]; then"
        " echo \"$d/METADATA\"; elif [ -f \"$d/PKG-INFO\" ]; then echo \"$d/PKG-INFO\"; fi;"
        " done | head -20");
    size_t checked = 0;
    size_t pos = 0;
    while (pos < listing.out.size()) {
        size_t eol = listing.out.find('\n', pos);
        std::string file = listing.out.substr(pos, eol - pos);
        pos = eol + 1;
        CHECK(classify_lang_file(file) == LangFile::PythonMetadata);
        auto expected = cguard::test::run("sed -n 's/^Version: //p' '" + file + "' | head -1");
        if (expected.exit_code != 0 || expected.out.empty()) {
            continue;
        }
        expected.out.pop_back();
        auto out = parse_python_metadata(cguard::test::read_file(file), file);
        REQUIRE(out.packages.size() == 1);
        CHECK(out.packages[0].version == expected.out);
        ++checked;
    }
    if (checked == 0) {
        WARN("no python packages installed here; real-metadata check skipped");
    }
}
