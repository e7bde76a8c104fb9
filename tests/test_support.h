// Helpers shared by every test executable: where ../shared and the built binary are, temp
// directories, running a command.
#pragma once

#include <string>

namespace cguard::test {

// Path of ../shared, or "" when absent. With CI=true a missing folder fails the test instead.
std::string shared_dir();

// Path of the built `cguard` executable.
std::string cguard_binary();

// Path of the repository root.
std::string source_dir();

// A fresh directory under $TMPDIR removed when the object dies.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::string& path() const { return path_; }

private:
    std::string path_;
};

struct CommandResult {
    int exit_code = -1;
    std::string out;  // stdout
    std::string err;  // stderr
};

// Runs `command` with /bin/sh -c; captures stdout and stderr separately.
CommandResult run(const std::string& command);

std::string read_file(const std::string& path);
void write_file(const std::string& path, const std::string& data);

}  // namespace cguard::test

// Skips the current test (with a message) when ../shared is absent; fails under CI=true.
#define CGUARD_REQUIRE_SHARED(var)                                        \
    const std::string var = ::cguard::test::shared_dir();                 \
    if (var.empty()) {                                                    \
        WARN("skipped: ../shared is not present next to the repository"); \
        return;                                                           \
    }
