// Helpers for the end-to-end tests: build (or find cached) the real test images and the
// imported vulnerability database, and run the built `cguard` binary on them.
//
// Header-only because tests/CMakeLists.txt compiles only *_test.cpp files into the integration
// executable; it needs no JSON library, so it stays cheap to include.
#pragma once

#include <rapidjson/document.h>

#include <cstdlib>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "tests/test_support.h"

namespace cguard::test {

inline std::string shell_quote(const std::string& s) {
    std::string out = "'";
    for (char c : s) {
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    }
    return out + "'";
}

inline bool running_in_ci() {
    const char* ci = std::getenv("CI");
    return ci != nullptr && std::string(ci) == "true";
}

// Result of tests/images/SCRIPT: the image directory, or why it is unavailable.
struct ImageBuild {
    std::string dir;           // empty when unavailable or failed
    bool unavailable = false;  // script exit 3: mirror/registry unreachable, or not root
    std::string reason;        // the script's stderr when dir is empty
};

inline ImageBuild build_test_image(const std::string& script) {
    std::string command = "CGUARD_SHARED_DIR=" + shell_quote(CGUARD_SHARED_DIR) + " " +
                          shell_quote(source_dir() + "/tests/images/" + script);
    CommandResult r = run(command);
    ImageBuild build;
    if (r.exit_code == 0) {
        build.dir = r.out.substr(0, r.out.find('\n'));
        return build;
    }
    build.unavailable = r.exit_code == 3;
    build.reason = r.err;
    return build;
}

// Lines of a file, without the trailing newline; empty lines dropped.
inline std::vector<std::string> read_lines(const std::string& path) {
    std::vector<std::string> lines;
    std::istringstream in(read_file(path));
    for (std::string line; std::getline(in, line);) {
        if (!line.empty()) {
            lines.push_back(line);
        }
    }
    return lines;
}

inline std::set<std::string> read_line_set(const std::string& path) {
    auto lines = read_lines(path);
    return {lines.begin(), lines.end()};
}

// `cguard ARGS` with logs kept off stdout; ARGS are already shell-quoted where needed.
inline CommandResult run_cguard(const std::string& args) {
    return run(shell_quote(cguard_binary()) + " " + args);
}

// The first line of stderr: the one-line reason a failing command must give.
// The string member `name` of a JSON object, or "" when absent or not a string.
inline std::string member(const rapidjson::Value& v, const char* name) {
    if (!v.IsObject()) {
        return "";
    }
    auto it = v.FindMember(name);
    return it != v.MemberEnd() && it->value.IsString() ? it->value.GetString() : "";
}

inline std::string first_line(const std::string& text) {
    return text.substr(0, text.find('\n'));
}

}  // namespace cguard::test

// Sets VAR to the directory tests/images/SCRIPT built (cached after the first run). When the
// script cannot reach its mirror or registry, the test is skipped with a warning, or fails under
// CI=true so that CI never passes by skipping; any other build failure fails the test.
#define CGUARD_REQUIRE_IMAGE(var, script)                                                         \
    const ::cguard::test::ImageBuild var##_build = ::cguard::test::build_test_image(script);      \
    if (var##_build.dir.empty() && var##_build.unavailable && !::cguard::test::running_in_ci()) { \
        WARN("skipped: test image " << script << " unavailable: " << var##_build.reason);         \
        return;                                                                                   \
    }                                                                                             \
    if (var##_build.dir.empty()) {                                                                \
        FAIL("building test image " << script << " failed: " << var##_build.reason);              \
    }                                                                                             \
    const std::string var = var##_build.dir;

// Sets VAR to a database imported from ../shared/vulndb by the binary under test (cached per
// build of the binary, see tests/images/vulndb.sh).
#define CGUARD_REQUIRE_VULNDB(var)                                                              \
    CGUARD_REQUIRE_SHARED(var##_shared);                                                        \
    const ::cguard::test::CommandResult var##_import = ::cguard::test::run(                     \
        ::cguard::test::shell_quote(::cguard::test::source_dir() + "/tests/images/vulndb.sh") + \
        " " + ::cguard::test::shell_quote(::cguard::test::cguard_binary()) + " " +              \
        ::cguard::test::shell_quote(var##_shared));                                             \
    if (var##_import.exit_code != 0) {                                                          \
        FAIL("importing ../shared/vulndb failed: " << var##_import.err);                        \
    }                                                                                           \
    const std::string var = var##_import.out.substr(0, var##_import.out.find('\n'));
