// Report writers: turn an inventory (and its findings, when matched) into the formats a
// security engineer feeds to other tools. The JSON schema is documented in docs/report-json.md
// and is stable: fields are only ever added.
#pragma once

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "scanner/scanner.h"
#include "vulndb/vulndb.h"

namespace cguard::report {

enum class Format { Table, Json, CycloneDx, Spdx, Sarif };

// "table", "json", "cyclonedx", "spdx", "sarif". Errors: InvalidArgument.
Result<Format> parse_format(std::string_view name);

struct ReportInput {
    const scanner::ScanReport* scan = nullptr;               // required
    const std::vector<vulndb::Finding>* findings = nullptr;  // null: not matched (inventory only)
    std::string tool_version;
    std::string created;  // RFC 3339 timestamp, injected for reproducible output in tests;
                          // empty: the current UTC time
};

// Writes one document. Every string from the image is sanitised to valid UTF-8 (and, in the
// table, stripped of control characters). The document is rendered in memory, then written.
// Errors: Io when the stream fails; InvalidArgument when input.scan is null.
Result<void> write(Format format, const ReportInput& input, std::ostream& out);

}  // namespace cguard::report
