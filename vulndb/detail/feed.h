// Reading feeds: URLs (libcurl) or local files, and zip archives streamed member by member
// (libarchive), never unpacked to disk.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace cguard::vulndb::detail {

constexpr uint64_t kMaxFeedBytes = 1ull << 30;     // one downloaded feed file
constexpr uint64_t kMaxMemberBytes = 16ull << 20;  // one record inside a zip

// A feed file: either a local path (streamed from disk) or downloaded bytes.
struct FeedFile {
    std::string location;  // for messages
    std::string path;      // non-empty for local files
    std::string bytes;     // downloaded content otherwise
};

bool is_remote(std::string_view source);

// `base` + "/" + `name`, percent-encoding spaces for URLs ("Red Hat" -> "Red%20Hat").
std::string join_source(std::string_view base, std::string_view name);

// The parent of a source ("https://h/x/osv/" -> "https://h/x", "/m/osv" -> "/m"); "" when a
// URL has no path to go up from ("https://h").
std::string parent_source(std::string_view source);

// http(s):// via libcurl (TLS verified, redirects limited to 5 and to http(s), timeouts, size
// capped at kMaxFeedBytes, HTTP >= 400 fails); file:// and plain paths are opened locally.
// Errors: NotFound (404, missing file), Network, LimitExceeded, Io.
Result<FeedFile> open_feed(const std::string& source);

// Calls `on_member(name, content)` for every regular member; a member larger than
// kMaxMemberBytes is passed with `too_large` set and empty content. Stops early when the
// callback returns false. Errors: Corrupt (not a zip, or damaged mid-way).
using MemberFn =
    std::function<bool(std::string_view name, std::string_view content, bool too_large)>;
Result<void> for_each_zip_member(const FeedFile& file, const MemberFn& on_member);

// The whole content of a (non-zip) feed file.
Result<std::string> read_whole(const FeedFile& file);

}  // namespace cguard::vulndb::detail
