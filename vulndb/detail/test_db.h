// Test-only: the database built once per test executable from all of ../shared/vulndb (a full
// import takes tens of seconds, so every test case of vulndb_tests shares one). Defined in
// db_build_test.cpp.
#pragma once

#include <string>

#include "vulndb/vulndb.h"

namespace cguard::vulndb::test {

// Path of the shared database, or "" when ../shared is absent. The first call imports.
const std::string& full_db_path();

// The summary of that import (valid once full_db_path() returned a path).
const BuildSummary& full_db_summary();

}  // namespace cguard::vulndb::test
