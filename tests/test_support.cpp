#include "tests/test_support.h"

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace cguard::test {

std::string shared_dir() {
    std::string dir = CGUARD_SHARED_DIR;
    struct stat st {};
    if (::stat((dir + "/README.md").c_str(), &st) == 0) {
        return std::filesystem::canonical(dir).string();
    }
    const char* ci = std::getenv("CI");
    if (ci != nullptr && std::string(ci) == "true") {
        FAIL("CI=true but the shared fixtures are missing at " << dir);
    }
    return "";
}

std::string cguard_binary() {
    return CGUARD_BINARY;
}

std::string source_dir() {
    return CGUARD_SOURCE_DIR;
}

TempDir::TempDir() {
    const char* base = std::getenv("TMPDIR");
    std::string tmpl = std::string(base ? base : "/tmp") + "/cguard-test-XXXXXX";
    char* made = ::mkdtemp(tmpl.data());
    if (made == nullptr) {
        FAIL("mkdtemp failed for " << tmpl);
    }
    path_ = made;
}

TempDir::~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
}

CommandResult run(const std::string& command) {
    TempDir dir;
    std::string out_file = dir.path() + "/out";
    std::string err_file = dir.path() + "/err";
    std::string full = "( " + command + " ) >" + out_file + " 2>" + err_file + " </dev/null";
    int status = std::system(full.c_str());
    CommandResult result;
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    result.out = read_file(out_file);
    result.err = read_file(err_file);
    return result;
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

void write_file(const std::string& path, const std::string& data) {
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    std::ofstream out(path, std::ios::binary);
    out << data;
}

}  // namespace cguard::test
