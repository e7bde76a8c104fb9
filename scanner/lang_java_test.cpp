#include <algorithm>
#include <catch2/catch.hpp>
#include <cstring>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "scanner/detail/lang_packages.h"
#include "scanner/tar_test_util.h"
#include "tests/test_support.h"

using namespace cguard::scanner::detail;
using cguard::test::run;
using cguard::test::TempDir;

namespace {

// Delivers a file (or its first `limit` bytes) in small pieces, as the layer walker would.
class FileReader : public ContentReader {
public:
    FileReader(const std::string& path, size_t chunk, size_t limit = SIZE_MAX)
        : in_(path, std::ios::binary), chunk_(chunk), left_(limit) {}
    cguard::Result<size_t> read(void* buf, size_t size) override {
        size_t want = std::min({size, chunk_, left_});
        in_.read(static_cast<char*>(buf), static_cast<std::streamsize>(want));
        auto got = static_cast<size_t>(in_.gcount());
        left_ -= got;
        return got;
    }

private:
    std::ifstream in_;
    size_t chunk_;
    size_t left_;
};

// Serves an in-memory archive 4 KiB at a time and counts what was taken.
class StringReader : public ContentReader {
public:
    explicit StringReader(const std::string& data) : data_(data) {}
    cguard::Result<size_t> read(void* buf, size_t size) override {
        size_t n = std::min({size, data_.size() - taken_, size_t{4096}});
        std::memcpy(buf, data_.data() + taken_, n);
        taken_ += n;
        return n;
    }
    size_t taken() const { return taken_; }

private:
    const std::string& data_;
    size_t taken_ = 0;
};

// A jar whose manifest names it, then 32 MiB of zeros deflated about 1000 times.
const std::string& bomb_jar() {
    static const std::string jar = cguard::scanner::test::make_zip(
        {{"META-INF/MANIFEST.MF", "Implementation-Title: bomb\nImplementation-Version: 1.0\n"},
         {"zeros.bin", std::string(32 << 20, '\0')},
         {"META-INF/maven/x/y/pom.properties", "groupId=x\nartifactId=y\nversion=2\n"}});
    return jar;
}

LangPackages scan_file(const std::string& path, size_t chunk = 4093, size_t limit = SIZE_MAX) {
    FileReader reader(path, chunk, limit);
    return scan_java_archive(reader, path);
}

// location -> "name@version purl" for each package found.
std::multimap<std::string, std::string> summary(const LangPackages& out) {
    std::multimap<std::string, std::string> m;
    for (const auto& p : out.packages) {
        CHECK(p.type == "maven");
        m.emplace(p.location, p.name + "@" + p.version + " " + p.purl);
    }
    return m;
}

// Three jars (pom.properties, manifest only, file name only), a war holding them (stored, as
// Spring Boot and some build tools write nested jars), and an ear holding the war.
constexpr const char* kBuildArchives = R"(set -e
mkdir -p src classes/META-INF/maven/com.example/hello-lib war/WEB-INF/lib ear
printf 'public class Hello { public static void main(String[] a) { } }\n' > src/Hello.java
javac -d classes src/Hello.java
printf 'groupId=com.example\nartifactId=hello-lib\nversion=1.4.2\n' \
  > classes/META-INF/maven/com.example/hello-lib/pom.properties
jar cf hello-lib-1.4.2.jar -C classes .
printf 'Implementation-Title: titled-lib-with-a-name-long-enough-to-be-wrapped-by-the-jar\n' > manifest.txt
printf 'Bundle-SymbolicName: org.example.titled; singleton:=true\nBundle-Version: 9.9\n' >> manifest.txt
printf 'Implementation-Version: 2.0.1\n' >> manifest.txt
jar cfm titled.jar manifest.txt -C classes Hello.class
jar cf plain-utils-3.4.5.jar -C classes Hello.class
cp hello-lib-1.4.2.jar titled.jar plain-utils-3.4.5.jar war/WEB-INF/lib/
jar cf0 app.war -C war .
cp app.war ear/ && cp titled.jar ear/
jar cf app.ear -C ear .
)";

// Built once per run (the JDK tools start slowly); tests only read these files.
const std::string& archives_dir() {
    static TempDir dir;
    static const std::string path = [] {
        cguard::test::write_file(dir.path() + "/build.sh", kBuildArchives);
        auto built = run("cd '" + dir.path() + "' && sh build.sh 2>&1");
        INFO(built.out);
        REQUIRE(built.exit_code == 0);
        return dir.path();
    }();
    return path;
}

}  // namespace

TEST_CASE("reads java packages from pom.properties, the manifest and the file name",
          "[scanner][lang][java]") {
    const std::string& dir = archives_dir();

    auto pom = scan_file(dir + "/hello-lib-1.4.2.jar");
    CHECK(pom.warnings.empty());
    CHECK(summary(pom) ==
          std::multimap<std::string, std::string>{
              {dir + "/hello-lib-1.4.2.jar",
               "com.example:hello-lib@1.4.2 pkg:maven/com.example/hello-lib@1.4.2"}});

    auto titled = scan_file(dir + "/titled.jar", 1);
    REQUIRE(titled.packages.size() == 1);
    CHECK(titled.packages[0].name == "titled-lib-with-a-name-long-enough-to-be-wrapped-by-the-jar");
    CHECK(titled.packages[0].version == "2.0.1");

    auto plain = scan_file(dir + "/plain-utils-3.4.5.jar");
    REQUIRE(plain.packages.size() == 1);
    CHECK(plain.packages[0].name == "plain-utils");
    CHECK(plain.packages[0].version == "3.4.5");
    CHECK(plain.packages[0].purl == "pkg:maven/plain-utils@3.4.5");
}

TEST_CASE("reads jars nested in a war and a war nested in an ear", "[scanner][lang][java]") {
    const std::string& dir = archives_dir();
    std::string ear = dir + "/app.ear";
    std::string war = ear + "!/app.war";

    auto out = scan_file(ear, 65536);
    INFO(out.warnings.size());
    auto found = summary(out);
    CHECK(found.count(war + "!/WEB-INF/lib/hello-lib-1.4.2.jar") == 1);
    CHECK(found.count(war + "!/WEB-INF/lib/titled.jar") == 1);
    CHECK(found.count(war + "!/WEB-INF/lib/plain-utils-3.4.5.jar") == 1);
    CHECK(found.count(ear + "!/titled.jar") == 1);
    // The war and ear carry no version of their own and, holding jars, are not warned about.
    CHECK(out.packages.size() == 4);
    CHECK(out.warnings.empty());
}

TEST_CASE("stops nesting archives at depth 4", "[scanner][lang][java]") {
    const std::string& dir = archives_dir();
    auto nested = run("cd '" + dir +
                      "' && cp plain-utils-3.4.5.jar l0-1.0.jar && for i in 1 2 3 4 5; do "
                      "mkdir -p n$i && cp l$((i-1))-1.0.jar n$i/ && "
                      "(cd n$i && zip -q ../l$i-1.0.jar l$((i-1))-1.0.jar); done 2>&1");
    REQUIRE(nested.exit_code == 0);
    auto out = scan_file(dir + "/l5-1.0.jar");
    CHECK(out.packages.size() == 5);  // l5 .. l1; l0 would be a fifth level of nesting
    REQUIRE(out.warnings.size() == 1);
    CHECK(out.warnings[0].find("nested deeper") != std::string::npos);
}

TEST_CASE("warns and keeps going on corrupt or truncated java archives", "[scanner][lang][java]") {
    const std::string& dir = archives_dir();
    cguard::test::write_file(dir + "/junk.jar", std::string(5000, '\x42'));
    auto junk = scan_file(dir + "/junk.jar");
    CHECK(junk.packages.empty());
    CHECK_FALSE(junk.warnings.empty());

    auto empty = scan_file(dir + "/junk.jar", 100, 0);
    CHECK(empty.packages.empty());
    CHECK_FALSE(empty.warnings.empty());

    std::ifstream war(dir + "/app.war", std::ios::binary | std::ios::ate);
    auto size = static_cast<size_t>(war.tellg());
    for (size_t cut : {size / 3, size / 2}) {
        auto out = scan_file(dir + "/app.war", 4093, cut);
        CHECK_FALSE(out.warnings.empty());
    }
    // The streamed reader stops at the central directory: a cut inside it loses nothing.
    CHECK(scan_file(dir + "/app.war", 4093, size - 30).packages.size() == 3);
}

TEST_CASE("matches the pom.properties of the jars in /usr/share/java", "[scanner][lang][java]") {
    auto listing = run("find /usr/share/java -maxdepth 1 -type f -name '*.jar' | sort | head -40");
    std::istringstream jars(listing.out);
    std::string jar;
    size_t checked = 0;
    while (std::getline(jars, jar)) {
        auto props = run("unzip -p '" + jar + "' 'META-INF/maven/*/pom.properties' 2>/dev/null");
        std::set<std::string> expected;
        std::map<std::string, std::string> current;
        std::istringstream lines(props.out + "\ngroupId=");
        std::string line;
        while (std::getline(lines, line)) {
            if (!line.empty() && line.back() == '\r') {
                line.pop_back();
            }
            size_t eq = line.find('=');
            if (eq == std::string::npos || line[0] == '#') {
                continue;
            }
            std::string key = line.substr(0, eq);
            if (key == "groupId" && current.count("groupId") != 0) {
                expected.insert(current["groupId"] + ":" + current["artifactId"] + "@" +
                                current["version"]);
                current.clear();
            }
            current[key] = line.substr(eq + 1);
        }
        if (expected.empty()) {
            continue;
        }
        INFO(jar);
        auto out = scan_file(jar, 65536);
        std::set<std::string> found;
        for (const auto& p : out.packages) {
            found.insert(p.name + "@" + p.version);
        }
        CHECK(found == expected);
        ++checked;
    }
    if (checked == 0) {
        WARN("no jar with pom.properties in /usr/share/java; check skipped");
    }
}

TEST_CASE("recognises java archive paths", "[scanner][lang][java]") {
    CHECK(is_java_archive_path("opt/app/app.jar"));
    CHECK(is_java_archive_path("opt/app/APP.WAR"));
    CHECK(is_java_archive_path("x.ear"));
    CHECK_FALSE(is_java_archive_path("opt/app/jar"));
    CHECK_FALSE(is_java_archive_path("opt/app/x.zip"));
}

TEST_CASE("a java archive unpacking past its byte cap is not read further",
          "[scanner][lang][java]") {
    JavaArchiveLimits limits;
    limits.max_unpacked_bytes = 8 << 20;
    limits.max_expansion = 0;  // the size cap alone
    StringReader reader(bomb_jar());
    auto out = scan_java_archive(reader, "app/bomb.jar", limits);
    REQUIRE(out.warnings.size() == 1);
    CHECK(out.warnings[0] ==
          "app/bomb.jar: java archive unpacks to more than 8388608 bytes; not read further");
    // The manifest came before the cap: its package is kept; the pom after it was never read.
    REQUIRE(out.packages.size() == 1);
    CHECK(out.packages[0].name == "bomb");
    CHECK(reader.taken() < bomb_jar().size() / 2);
}

TEST_CASE("a java archive expanding more than 100x stops after 1 MiB", "[scanner][lang][java]") {
    JavaArchiveLimits defaults;
    CHECK(defaults.max_unpacked_bytes == 1ULL << 30);
    CHECK(defaults.max_expansion == 100);
    StringReader reader(bomb_jar());
    auto out = scan_java_archive(reader, "app/bomb.jar");
    REQUIRE(out.warnings.size() == 1);
    CHECK(out.warnings[0].find("expands more than 100x (decompression bomb?)") !=
          std::string::npos);
    CHECK(reader.taken() < bomb_jar().size() / 2);
}

TEST_CASE("a java archive with more entries than the cap is not read further",
          "[scanner][lang][java]") {
    std::vector<std::pair<std::string, std::string>> entries;
    for (int i = 0; i < 60; ++i) {
        entries.emplace_back("c/C" + std::to_string(i) + ".class", "cafebabe");
    }
    std::string jar = cguard::scanner::test::make_zip(entries);
    JavaArchiveLimits limits;
    limits.max_entries = 50;
    StringReader reader(jar);
    auto out = scan_java_archive(reader, "lib/many-1.0.jar", limits);
    REQUIRE(out.warnings.size() == 1);
    CHECK(out.warnings[0].find("has more than 50 entries") != std::string::npos);
    REQUIRE(out.packages.size() == 1);  // from the file name
    CHECK(out.packages[0].version == "1.0");
}

TEST_CASE("warnings about nested archives quote long locations shortened",
          "[scanner][lang][java]") {
    std::string name(3000, 'w');
    std::string jar = cguard::scanner::test::make_zip({{name + ".jar", "not a zip"}});
    StringReader reader(jar);
    auto out = scan_java_archive(reader, "lib/outer.jar");
    REQUIRE_FALSE(out.warnings.empty());
    for (const auto& w : out.warnings) {
        CHECK(w.size() < 400);
    }
}
