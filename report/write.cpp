#include <ostream>

#include "common/clock.h"
#include "report/detail/writers.h"
#include "report/report.h"

namespace cguard::report {
namespace {

std::string render(Format format, const ReportInput& input) {
    switch (format) {
        case Format::Table: return detail::render_table(input);
        case Format::Json: return detail::render_json(input);
        case Format::CycloneDx: return detail::render_cyclonedx(input);
        case Format::Spdx: return detail::render_spdx(input);
        case Format::Sarif: return detail::render_sarif(input);
    }
    return detail::render_json(input);
}

}  // namespace

Result<void> write(Format format, const ReportInput& input, std::ostream& out) {
    if (input.scan == nullptr) {
        return make_error(ErrorCode::InvalidArgument, "report input has no scan result");
    }
    ReportInput filled = input;
    if (filled.created.empty()) {
        filled.created = utc_now_rfc3339();
    }

    // Rendered whole first: the stream is touched once, and its state is the only error left.
    std::string document = render(format, filled);
    out.write(document.data(), static_cast<std::streamsize>(document.size()));
    out.flush();
    if (!out) {
        return make_error(ErrorCode::Io, "writing the report to its stream failed");
    }
    return {};
}

}  // namespace cguard::report
