// End-to-end inventory tests: the built `cguard scan` on real images (a debootstrap bookworm
// image in three forms, the alpine fixture, this machine's root filesystem) checked against
// independent oracles (dpkg-query, apk's database, `go version -m`), and on hostile input.
#include <rapidjson/document.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <map>
#include <random>
#include <set>
#include <string>

#include "tests/e2e_support.h"

namespace {

using cguard::test::CommandResult;
using cguard::test::member;
using cguard::test::run;
using cguard::test::run_cguard;
using cguard::test::shell_quote;

// Runs `cguard scan --skip-vulns --format FORMAT TARGET` and parses its output.
void scan_json(const std::string& target, rapidjson::Document& doc,
               const std::string& format = "json") {
    CommandResult r = run_cguard("scan --skip-vulns --no-progress --format " + format + " " +
                                 shell_quote(target));
    INFO("cguard scan " << target << " stderr: " << r.err);
    REQUIRE(r.exit_code == 0);
    doc.Parse(r.out.c_str(), r.out.size());
    REQUIRE_FALSE(doc.HasParseError());
    REQUIRE(doc.IsObject());
}

// "name\tversion\tarch" of every package of TYPE in a cguard JSON report.
std::set<std::string> package_rows(const rapidjson::Document& doc, const std::string& type) {
    std::set<std::string> rows;
    for (const auto& p : doc["packages"].GetArray()) {
        if (member(p, "type") == type) {
            rows.insert(member(p, "name") + "\t" + member(p, "version") + "\t" + member(p, "arch"));
        }
    }
    return rows;
}

std::set<std::string> names_of_type(const rapidjson::Document& doc, const std::string& type) {
    std::set<std::string> names;
    for (const auto& p : doc["packages"].GetArray()) {
        if (member(p, "type") == type) {
            names.insert(member(p, "name"));
        }
    }
    return names;
}

void require_debian_inventory(const rapidjson::Document& doc, const std::string& image_dir) {
    REQUIRE(member(doc["os"], "family") == "debian");
    REQUIRE(member(doc["os"], "version") == "12");
    auto expected = cguard::test::read_line_set(image_dir + "/expected.tsv");
    REQUIRE(expected.size() > 100);
    REQUIRE(package_rows(doc, "deb") == expected);

    std::set<std::string> layers;
    for (const auto& l : doc["artifact"]["layers"].GetArray()) {
        layers.insert(l.GetString());
    }
    for (const auto& p : doc["packages"].GetArray()) {
        INFO("package " << member(p, "name") << " purl " << member(p, "purl"));
        CHECK(member(p, "purl").rfind("pkg:" + member(p, "type") + "/", 0) == 0);
        if (!layers.empty()) {
            CHECK(layers.count(member(p, "layer_digest")) == 1);
        }
    }
}

// Every path dpkg's info/*.list files name, as written there ("/bin/bash").
std::set<std::string> dpkg_owned_paths(const std::string& root) {
    std::set<std::string> owned;
    for (const auto& e : std::filesystem::directory_iterator(root + "/var/lib/dpkg/info")) {
        if (e.path().extension() == ".list") {
            for (auto& line : cguard::test::read_lines(e.path().string())) {
                owned.insert(line);
            }
        }
    }
    return owned;
}

// On a merged-/usr system dpkg still records /bin/bash while the file lives at /usr/bin/bash.
bool owned_through_usr_merge(const std::set<std::string>& owned, const std::string& path) {
    if (owned.count("/" + path) != 0) {
        return true;
    }
    for (const char* dir : {"bin/", "sbin/", "lib/", "lib64/", "lib32/", "libx32/"}) {
        if (path.rfind(std::string("usr/") + dir, 0) == 0 && owned.count("/" + path.substr(4))) {
            return true;
        }
    }
    return false;
}

// "name\tversion\tarch" of the apk packages in the alpine fixture, read with tar from its layer.
std::set<std::string> alpine_fixture_packages(const std::string& fixture) {
    CommandResult r = run("d=$(mktemp -d) && tar -xzf " + shell_quote(fixture) +
                          " -C \"$d\" && tar -xOf \"$d\"/*/layer.tar lib/apk/db/installed; "
                          "rc=$?; rm -rf \"$d\"; exit $rc");
    REQUIRE(r.exit_code == 0);
    std::set<std::string> rows;
    std::map<char, std::string> stanza;
    std::istringstream in(r.out + "\n");
    for (std::string line; std::getline(in, line);) {
        if (line.size() > 2 && line[1] == ':') {
            stanza[line[0]] = line.substr(2);
        } else if (line.empty() && !stanza.empty()) {
            rows.insert(stanza['P'] + "\t" + stanza['V'] + "\t" + stanza['A']);
            stanza.clear();
        }
    }
    return rows;
}

void require_usage_failure(const std::string& args) {
    CommandResult r = run_cguard(args);
    INFO("cguard " << args << "\nstdout: " << r.out << "\nstderr: " << r.err);
    CHECK(r.exit_code == 2);
    std::string reason = cguard::test::first_line(r.err);
    CHECK_FALSE(reason.empty());
    CHECK(r.err.find('\n') == r.err.size() - 1);  // exactly one line
}

}  // namespace

TEST_CASE("scan lists exactly the packages dpkg-query reports for the debian image, in every form",
          "[integration]") {
    CGUARD_REQUIRE_IMAGE(image, "debian.sh");
    std::map<std::string, std::set<std::string>> all_by_form;
    for (const std::string& target :
         {"oci:" + image + "/oci:bookworm", "docker-archive:" + image + "/docker-archive.tar",
          "rootfs:" + image + "/rootfs"}) {
        INFO("target " << target);
        rapidjson::Document doc;
        scan_json(target, doc);
        require_debian_inventory(doc, image);
        for (const char* type : {"deb", "golang", "pypi"}) {
            auto rows = package_rows(doc, type);
            all_by_form[target].insert(rows.begin(), rows.end());
        }
    }
    // The three forms hold the same files, so their inventories must agree row for row.
    REQUIRE(all_by_form.size() == 3);
    CHECK(all_by_form.begin()->second == std::next(all_by_form.begin())->second);
    CHECK(all_by_form.begin()->second == all_by_form.rbegin()->second);
}

TEST_CASE("scan reports the Go toolchain of the debian image's Go programs as golang stdlib",
          "[integration]") {
    CGUARD_REQUIRE_IMAGE(image, "debian.sh");
    rapidjson::Document doc;
    scan_json("oci:" + image + "/oci:bookworm", doc);

    // `go version -m` is the reference reader of Go build info; Debian 12 builds with Go 1.19.
    CommandResult go =
        run("go version -m " + shell_quote(image + "/rootfs/usr/bin/docker-registry"));
    std::string go_version = "1.19";
    if (go.exit_code == 0) {
        auto colon = go.out.find(": go");
        go_version = go.out.substr(colon + 4, go.out.find('\n') - colon - 4);
    }
    bool stdlib_found = false;
    for (const auto& p : doc["packages"].GetArray()) {
        if (member(p, "type") == "golang" && member(p, "name") == "stdlib" &&
            member(p, "location") == "usr/bin/docker-registry") {
            stdlib_found = true;
            std::string v = member(p, "version");
            CHECK((v == go_version || v == "v" + go_version || v == "go" + go_version));
            CHECK(member(p, "purl").rfind("pkg:golang/stdlib@", 0) == 0);
        }
    }
    CHECK(stdlib_found);

    // Every module dependency the build info lists must be reported (Debian builds in GOPATH
    // mode, so docker-registry carries none; this holds for any Go binary added later).
    std::istringstream lines(go.out);
    for (std::string line; std::getline(lines, line);) {
        if (line.rfind("\tdep\t", 0) == 0) {
            std::string rest = line.substr(5);
            std::string path = rest.substr(0, rest.find('\t'));
            CHECK(names_of_type(doc, "golang").count(path) == 1);
        }
    }
}

TEST_CASE("python packages installed by dpkg are reported once, as deb", "[integration]") {
    CGUARD_REQUIRE_IMAGE(image, "debian.sh");
    rapidjson::Document doc;
    scan_json("oci:" + image + "/oci:bookworm", doc);
    auto debs = names_of_type(doc, "deb");
    REQUIRE(debs.count("python3-requests") == 1);
    REQUIRE(debs.count("python3-urllib3") == 1);
    // Their *.egg-info / *.dist-info directories are owned by those debs.
    for (const auto& name : names_of_type(doc, "pypi")) {
        INFO("pypi package reported: " << name);
        CHECK_FALSE((name == "requests" || name == "urllib3" || name == "certifi" ||
                     name == "idna" || name == "six" || name == "chardet" ||
                     name == "charset-normalizer" || name == "charset_normalizer"));
    }
}

TEST_CASE("unowned files of a pristine debootstrap are few and none is owned by dpkg",
          "[integration]") {
    CGUARD_REQUIRE_IMAGE(image, "debian.sh");
    rapidjson::Document doc;
    scan_json("rootfs:" + image + "/rootfs", doc);
    auto owned = dpkg_owned_paths(image + "/rootfs");

    size_t count = 0;
    for (const auto& f : doc["unowned_files"].GetArray()) {
        std::string path = member(f, "path");
        INFO("unowned file reported: " << path);
        ++count;
        // Merged /usr: dpkg names /bin/bash, the scanner sees usr/bin/bash. Both are owned.
        CHECK_FALSE(owned_through_usr_merge(owned, path));
        CHECK(path.rfind("usr/", 0) != 0);
        if (count <= 5) {
            CommandResult sum = run("sha256sum " + shell_quote(image + "/rootfs/" + path));
            CHECK(sum.out.substr(0, 64) == member(f, "sha256"));
        }
    }
    // What is left on a pristine system: files debootstrap copies in with the x bit set
    // (etc/hostname, etc/resolv.conf). dpkg's maintainer scripts belong to their packages and
    // data files such as etc/ld.so.cache are not libraries, so neither may appear.
    for (const auto& f : doc["unowned_files"].GetArray()) {
        std::string path = member(f, "path");
        CHECK(path.rfind("var/lib/dpkg/info/", 0) != 0);
        CHECK(path != "etc/ld.so.cache");
    }
    CHECK(count < 10);
}

TEST_CASE("CycloneDX and SPDX reports of the debian image hold the same packages as JSON",
          "[integration]") {
    CGUARD_REQUIRE_IMAGE(image, "debian.sh");
    const std::string target = "oci:" + image + "/oci:bookworm";
    rapidjson::Document json;
    scan_json(target, json);
    size_t package_count = json["packages"].GetArray().Size();

    rapidjson::Document cdx;
    scan_json(target, cdx, "cyclonedx");
    CHECK(member(cdx, "bomFormat") == "CycloneDX");
    CHECK(member(cdx, "specVersion") == "1.5");
    size_t with_purl = 0;
    for (const auto& c : cdx["components"].GetArray()) {
        with_purl += member(c, "purl").empty() ? 0 : 1;
    }
    CHECK(with_purl == package_count);

    rapidjson::Document spdx;
    scan_json(target, spdx, "spdx");
    CHECK(member(spdx, "spdxVersion") == "SPDX-2.3");
    size_t spdx_purls = 0;
    for (const auto& p : spdx["packages"].GetArray()) {
        if (!p.HasMember("externalRefs")) {
            continue;
        }
        for (const auto& ref : p["externalRefs"].GetArray()) {
            spdx_purls += member(ref, "referenceType") == "purl" ? 1 : 0;
        }
    }
    CHECK(spdx_purls == package_count);
}

TEST_CASE("scan of the alpine fixture finds Alpine 3.10.4 and its 14 apk packages",
          "[integration]") {
    CGUARD_REQUIRE_SHARED(shared);
    const std::string fixture = shared + "/fixtures/images/alpine-3.10.docker-save.tar.gz";
    for (const std::string& target : {fixture, "docker-archive:" + fixture}) {
        rapidjson::Document doc;
        scan_json(target, doc);
        CHECK(member(doc["os"], "family") == "alpine");
        CHECK(member(doc["os"], "version") == "3.10.4");
        auto expected = alpine_fixture_packages(fixture);
        REQUIRE(expected.size() == 14);
        CHECK(package_rows(doc, "apk") == expected);
        CHECK(doc["artifact"]["layers"].GetArray().Size() == 1);
    }
}

TEST_CASE("scan of rootfs:/ lists this machine's installed dpkg packages", "[integration]") {
    CommandResult dpkg =
        run("dpkg-query -W -f '${db:Status-Abbrev}\\t${Package}\\t${Version}\\t${Architecture}\\n' "
            "| awk -F'\\t' '$1 == \"ii \" {print $2 \"\\t\" $3 \"\\t\" $4}'");
    if (dpkg.exit_code != 0 || dpkg.out.empty()) {
        WARN("skipped: this machine has no dpkg database");
        return;
    }
    std::set<std::string> expected;
    std::istringstream in(dpkg.out);
    for (std::string line; std::getline(in, line);) {
        expected.insert(line);
    }
    rapidjson::Document doc;
    scan_json("rootfs:/", doc);
    CHECK(member(doc["os"], "family") == "debian");
    CHECK(package_rows(doc, "deb") == expected);
}

TEST_CASE("scan rejects unreadable input with exit 2 and a one-line reason", "[integration]") {
    cguard::test::TempDir dir;
    SECTION("missing file") {
        require_usage_failure("scan --skip-vulns /nonexistent/image.tar");
    }
    SECTION("directory that is not an image") {
        require_usage_failure("scan --skip-vulns oci:" + shell_quote(dir.path()));
        require_usage_failure("scan --skip-vulns " + shell_quote(dir.path()));
    }
    SECTION("random bytes") {
        std::mt19937 rng(20240601);
        std::string bytes(64 * 1024, '\0');
        for (auto& b : bytes) {
            b = static_cast<char>(rng() & 0xff);
        }
        cguard::test::write_file(dir.path() + "/random.tar", bytes);
        require_usage_failure("scan --skip-vulns " + shell_quote(dir.path() + "/random.tar"));
        require_usage_failure("scan --skip-vulns oci-archive:" +
                              shell_quote(dir.path() + "/random.tar"));
    }
    SECTION("truncated gzip of the alpine fixture") {
        CGUARD_REQUIRE_SHARED(shared);
        std::string fixture = shared + "/fixtures/images/alpine-3.10.docker-save.tar.gz";
        std::string cut = dir.path() + "/cut.tar.gz";
        REQUIRE(
            run("head -c 1000000 " + shell_quote(fixture) + " > " + shell_quote(cut)).exit_code ==
            0);
        require_usage_failure("scan --skip-vulns " + shell_quote(cut));
    }
    SECTION("unknown target scheme and missing tag") {
        require_usage_failure("scan --skip-vulns nosuch:/x");
    }
    SECTION("no database without --skip-vulns") {
        CGUARD_REQUIRE_SHARED(shared);
        require_usage_failure(
            "scan --db " + shell_quote(dir.path() + "/none.db") + " " +
            shell_quote(shared + "/fixtures/images/alpine-3.10.docker-save.tar.gz"));
    }
}

TEST_CASE("scan refuses an OCI layout whose layer does not match its digest, naming the layer",
          "[integration]") {
    CGUARD_REQUIRE_IMAGE(image, "debian.sh");
    cguard::test::TempDir dir;
    REQUIRE(run("cp -r " + shell_quote(image + "/oci") + " " + shell_quote(dir.path() + "/oci"))
                .exit_code == 0);
    // The largest blob is a layer; overwrite one byte in its middle.
    CommandResult largest =
        run("cd " + shell_quote(dir.path() + "/oci/blobs/sha256") + " && ls -S | head -n 1");
    std::string digest = largest.out.substr(0, largest.out.find('\n'));
    REQUIRE(digest.size() == 64);
    std::string blob = dir.path() + "/oci/blobs/sha256/" + digest;
    REQUIRE(run("chmod u+w " + shell_quote(blob) + " && size=$(stat -c %s " + shell_quote(blob) +
                ") && printf 'X' | dd of=" + shell_quote(blob) +
                " bs=1 seek=$((size / 2)) conv=notrunc status=none")
                .exit_code == 0);

    CommandResult r = run_cguard(
        "scan --skip-vulns --no-progress oci:" + shell_quote(dir.path() + "/oci") + ":bookworm");
    INFO("stderr: " << r.err);
    CHECK(r.exit_code == 2);
    CHECK(r.err.find(digest.substr(0, 12)) != std::string::npos);
}
