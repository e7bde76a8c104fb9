// The database path names what `db update` renames its new file over: anything but a regular
// file (or nothing) there is refused before any work, so a typo cannot replace a device.
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "tests/test_support.h"
#include "vulndb/vulndb.h"

namespace cguard::vulndb {

TEST_CASE("update refuses a database path that is a FIFO or a directory", "[vulndb]") {
    ::cguard::test::TempDir dir;
    std::string fifo = dir.path() + "/fifo";
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    std::string folder = dir.path() + "/folder";
    std::filesystem::create_directories(folder);
    auto target = GENERATE_COPY(fifo, folder);

    BuildOptions options;
    options.source = dir.path() + "/no-such-mirror/osv";
    auto summary = update(target, options);
    REQUIRE_FALSE(summary);
    CHECK(summary.error().code == ErrorCode::InvalidArgument);
    CHECK(summary.error().message.find("not a regular file") != std::string::npos);
    struct stat st {};
    REQUIRE(::stat(target.c_str(), &st) == 0);
    CHECK((S_ISFIFO(st.st_mode) || S_ISDIR(st.st_mode)));  // left as it was
}

}  // namespace cguard::vulndb
