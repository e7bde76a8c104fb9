#include "report/report.h"

namespace cguard::report {

Result<Format> parse_format(std::string_view name) {
    if (name == "table") {
        return Format::Table;
    }
    if (name == "json") {
        return Format::Json;
    }
    if (name == "cyclonedx") {
        return Format::CycloneDx;
    }
    if (name == "spdx") {
        return Format::Spdx;
    }
    if (name == "sarif") {
        return Format::Sarif;
    }
    return make_error(ErrorCode::InvalidArgument,
                      "unknown format '" + std::string(name) +
                          "' (expected table, json, cyclonedx, spdx or sarif)");
}

}  // namespace cguard::report
