// Database::Impl, shared by db_info.cpp (open, info) and match.cpp.
#pragma once

#include <mutex>
#include <string>

#include "vulndb/detail/sqlite.h"
#include "vulndb/vulndb.h"

namespace cguard::vulndb {

struct Database::Impl {
    std::string path;
    detail::Connection db;
    // One prepared lookup reused for every package; the mutex serialises its use, as a
    // statement cannot be stepped by two threads at once.
    mutable std::mutex lookup_mutex;
    mutable detail::Statement lookup;
};

namespace detail {
Result<DbInfo> read_info(const Connection& db);
}

}  // namespace cguard::vulndb
