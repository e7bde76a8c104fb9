#include <archive.h>
#include <archive_entry.h>
#include <curl/curl.h>
#include <sys/stat.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "vulndb/detail/feed.h"

namespace cguard::vulndb::detail {
namespace {

constexpr std::string_view kFilePrefix = "file://";

std::string percent_decode(std::string_view s) {
    std::string out;
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%' && i + 2 < s.size()) {
            int value = 0;
            if (std::sscanf(std::string(s.substr(i + 1, 2)).c_str(), "%2x", &value) == 1) {
                out += static_cast<char>(value);
                i += 2;
                continue;
            }
        }
        out += s[i];
    }
    return out;
}

std::string local_path(std::string_view source) {
    if (source.substr(0, kFilePrefix.size()) == kFilePrefix) {
        return percent_decode(source.substr(kFilePrefix.size()));
    }
    return std::string(source);
}

size_t write_body(char* data, size_t size, size_t count, void* user) {
    auto* body = static_cast<std::string*>(user);
    size_t n = size * count;
    if (body->size() + n > kMaxFeedBytes) {
        return 0;  // makes curl fail with CURLE_WRITE_ERROR; the size check below names it
    }
    body->append(data, n);
    return n;
}

Result<FeedFile> download(const std::string& url) {
    std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
    if (!curl) {
        return make_error(ErrorCode::Internal, "curl_easy_init failed");
    }
    FeedFile file{url, {}, {}};
    CURL* h = curl.get();
    curl_easy_setopt(h, CURLOPT_URL, url.c_str());
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(h, CURLOPT_MAXREDIRS, 5L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 30L);
    // A stalled transfer (under 1 KiB/s for a minute) fails instead of hanging the update.
    curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1024L);
    curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, 60L);
    curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(kMaxFeedBytes));
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_USERAGENT, "cguard/0.1");
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, write_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &file.bytes);

    CURLcode rc = curl_easy_perform(h);
    long status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    if (rc == CURLE_FILESIZE_EXCEEDED || file.bytes.size() >= kMaxFeedBytes) {
        return make_error(ErrorCode::LimitExceeded, url + ": larger than the feed size cap");
    }
    if (rc != CURLE_OK) {
        return make_error(ErrorCode::Network, url + ": " + curl_easy_strerror(rc));
    }
    if (status == 404 || status == 410) {
        return make_error(ErrorCode::NotFound, url + ": HTTP " + std::to_string(status));
    }
    if (status >= 400) {
        return make_error(ErrorCode::Network, url + ": HTTP " + std::to_string(status));
    }
    return file;
}

std::string archive_message(archive* a) {
    const char* text = archive_error_string(a);
    return text != nullptr ? text : "unknown libarchive error";
}

// Reads one member into `content`, stopping at the cap. Returns false on a read error.
bool read_member(archive* a, std::string& content, bool& too_large) {
    content.clear();
    too_large = false;
    char buffer[64 * 1024];
    for (;;) {
        la_ssize_t n = archive_read_data(a, buffer, sizeof buffer);
        if (n < 0) {
            return false;
        }
        if (n == 0) {
            return true;
        }
        if (content.size() + static_cast<size_t>(n) > kMaxMemberBytes) {
            too_large = true;
            content.clear();
            return archive_read_data_skip(a) == ARCHIVE_OK;
        }
        content.append(buffer, static_cast<size_t>(n));
    }
}

}  // namespace

bool is_remote(std::string_view source) {
    return source.substr(0, 7) == "http://" || source.substr(0, 8) == "https://";
}

std::string join_source(std::string_view base, std::string_view name) {
    std::string out(base);
    while (out.size() > 1 && out.back() == '/') {
        out.pop_back();
    }
    out += '/';
    bool encode = is_remote(base) || base.substr(0, kFilePrefix.size()) == kFilePrefix;
    for (char c : name) {
        out += (c == ' ' && encode) ? std::string("%20") : std::string(1, c);
    }
    return out;
}

std::string parent_source(std::string_view source) {
    std::string out(source);
    while (out.size() > 1 && out.back() == '/') {
        out.pop_back();
    }
    // "https://host" has no parent: the scheme's "//" is not a path separator.
    if (size_t scheme = out.find("://");
        scheme != std::string::npos && out.find('/', scheme + 3) == std::string::npos) {
        return "";
    }
    size_t slash = out.rfind('/');
    if (slash == std::string::npos) {
        return ".";
    }
    return slash == 0 ? "/" : out.substr(0, slash);
}

Result<FeedFile> open_feed(const std::string& source) {
    if (is_remote(source)) {
        return download(source);
    }
    std::string path = local_path(source);
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
        return make_error(ErrorCode::NotFound, path + ": no such feed file");
    }
    return FeedFile{path, path, {}};
}

Result<void> for_each_zip_member(const FeedFile& file, const MemberFn& on_member) {
    std::unique_ptr<archive, decltype(&archive_read_free)> a(archive_read_new(), archive_read_free);
    archive_read_support_format_zip(a.get());
    int rc = file.path.empty()
                 ? archive_read_open_memory(a.get(), file.bytes.data(), file.bytes.size())
                 : archive_read_open_filename(a.get(), file.path.c_str(), 1 << 20);
    if (rc != ARCHIVE_OK) {
        return make_error(ErrorCode::Corrupt, file.location + ": " + archive_message(a.get()));
    }
    std::string content;
    archive_entry* entry = nullptr;
    while ((rc = archive_read_next_header(a.get(), &entry)) == ARCHIVE_OK || rc == ARCHIVE_WARN) {
        if (archive_entry_filetype(entry) != AE_IFREG) {
            continue;
        }
        const char* name = archive_entry_pathname(entry);
        bool too_large = false;
        if (!read_member(a.get(), content, too_large)) {
            return make_error(ErrorCode::Corrupt, file.location + ": " + archive_message(a.get()));
        }
        if (!on_member(name != nullptr ? name : "", content, too_large)) {
            return {};
        }
    }
    if (rc != ARCHIVE_EOF) {
        return make_error(ErrorCode::Corrupt, file.location + ": " + archive_message(a.get()));
    }
    return {};
}

Result<std::string> read_whole(const FeedFile& file) {
    if (file.path.empty()) {
        return file.bytes;
    }
    // Size first: a hostile mirror's sparse multi-gigabyte file must not be read into memory.
    std::error_code ec;
    uintmax_t size = std::filesystem::file_size(file.path, ec);
    if (ec) {
        return make_error(ErrorCode::Io, file.path + ": cannot stat: " + ec.message());
    }
    if (size > kMaxFeedBytes) {
        return make_error(ErrorCode::LimitExceeded, file.path + ": larger than the feed size cap");
    }
    std::ifstream in(file.path, std::ios::binary);
    if (!in) {
        return make_error(ErrorCode::Io, file.path + ": cannot open");
    }
    std::string data(size, '\0');
    in.read(data.data(), static_cast<std::streamsize>(size));
    data.resize(static_cast<size_t>(in.gcount()));
    return data;
}

}  // namespace cguard::vulndb::detail
