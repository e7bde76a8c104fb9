// Entry point: global options, then dispatch to a subcommand. Kept thin on purpose: every
// subcommand lives in its own file and returns an exit status.
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "cli/cli.h"
#include "common/log.h"

namespace {

constexpr const char* kUsage = R"(cguard - container security scanner

Usage: cguard [--log-level LEVEL] [--log-format text|json] COMMAND [ARGS...]

Commands:
  scan TARGET     inventory an image (OS and language packages, unowned files) and report
                  its known vulnerabilities from the local database
  db              build, refresh and inspect the local vulnerability database
  version         print the version

Run `cguard COMMAND --help` for a command's options.

Global options:
  --log-level LEVEL    trace, debug, info, warn (default), error, off. Logs go to stderr.
  --log-format FORMAT  text (default) or json: one event per line.
)";

bool configure_logging(std::vector<std::string>& args, std::string& error) {
    cguard::log::Level level = cguard::log::Level::Warn;
    cguard::log::Format format = cguard::log::Format::Text;
    std::vector<std::string> rest;
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        bool is_level = a == "--log-level" || a.rfind("--log-level=", 0) == 0;
        bool is_format = a == "--log-format" || a.rfind("--log-format=", 0) == 0;
        if (!is_level && !is_format) {
            rest.push_back(a);
            continue;
        }
        std::string value;
        if (auto eq = a.find('='); eq != std::string::npos) {
            value = a.substr(eq + 1);
        } else if (i + 1 < args.size()) {
            value = args[++i];
        }
        if (is_level && !cguard::log::parse_level(value, level)) {
            error = "unknown log level '" + value + "'";
            return false;
        }
        if (is_format && value != "text" && value != "json") {
            error = "unknown log format '" + value + "' (expected text or json)";
            return false;
        }
        if (is_format) {
            format = value == "json" ? cguard::log::Format::Json : cguard::log::Format::Text;
        }
    }
    cguard::log::configure(level, format);
    args = std::move(rest);
    return true;
}

int dispatch(std::vector<std::string> args) {
    std::string error;
    if (!configure_logging(args, error)) {
        return cguard::cli::fail(cguard::cli::kExitUsage, error);
    }
    if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
        std::fputs(kUsage, args.empty() ? stderr : stdout);
        return args.empty() ? cguard::cli::kExitUsage : cguard::cli::kExitOk;
    }
    std::string command = args[0];
    args.erase(args.begin());
    if (command == "scan") {
        return cguard::cli::run_scan(args);
    }
    if (command == "db") {
        return cguard::cli::run_db(args);
    }
    if (command == "version" || command == "--version") {
        std::printf("cguard %s\n", CGUARD_VERSION);
        return cguard::cli::kExitOk;
    }
    return cguard::cli::fail(cguard::cli::kExitUsage,
                             "unknown command '" + command + "' (see `cguard --help`)");
}

}  // namespace

int main(int argc, char** argv) {
    try {
        return dispatch(std::vector<std::string>(argv + 1, argv + argc));
    } catch (const std::exception& e) {
        return cguard::cli::fail(cguard::cli::kExitFailure,
                                 std::string("internal error: ") + e.what());
    } catch (...) {
        return cguard::cli::fail(cguard::cli::kExitFailure, "internal error");
    }
}
