// The `cguard` command line: one executable, one function per subcommand. Each returns the
// process exit status: 0 done, 2 bad usage or unreadable input, 1 internal failure, or the
// user's --exit-code when findings remain.
#pragma once

#include <string>
#include <vector>

#include "vulndb/vulndb.h"

namespace cguard::cli {

constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

int run_scan(const std::vector<std::string>& args);
int run_db(const std::vector<std::string>& args);

// Feed locations for `db update` and `scan --update-db`: SOURCE if given, else
// $CGUARD_DB_SOURCE, else the public OSV bucket (with the CISA KEV catalog).
vulndb::BuildOptions update_options(const std::string& source);

// Prints "cguard: MESSAGE" on stderr (one line) and returns `code`.
int fail(int code, const std::string& message);

// "a,b,,c" -> {"a", "b", "c"}: comma-separated option values, empty items dropped.
std::vector<std::string> split_list(const std::string& s);

// Minimal option reader: `--name value`, `--name=value` and boolean `--flag`.
class Args {
public:
    explicit Args(std::vector<std::string> args) : args_(std::move(args)) {}

    // Takes the next token. Returns false at the end.
    bool next(std::string& token);
    // Value for the option just read (from "=value" or the following token).
    bool value(std::string& out);
    const std::string& pending_error() const { return error_; }

private:
    std::vector<std::string> args_;
    size_t pos_ = 0;
    std::string inline_value_;
    bool has_inline_ = false;
    std::string current_;
    std::string error_;
};

}  // namespace cguard::cli
