// Java archives are read once, front to back, with libarchive's streamable zip reader (local
// headers, no central directory), so a jar never has to be buffered or seekable. Nested
// archives (WEB-INF/lib/*.jar in a war, BOOT-INF/lib/*.jar in a Spring Boot jar, jars in an
// ear) are opened as nested streams over the outer entry's data.
//
// Locations: the outer archive keeps `path`; a nested one is "<outer location>!/<entry path>",
// e.g. "app/x.war!/WEB-INF/lib/y.jar" (the jar: URL convention).
#include <archive.h>
#include <archive_entry.h>

#include <cctype>
#include <cerrno>
#include <set>
#include <tuple>
#include <vector>

#include "scanner/detail/lang_packages.h"
#include "scanner/lang_util.h"

namespace cguard::scanner::detail {
namespace {

constexpr int kMaxDepth = 4;                                    // outer archive is depth 0
constexpr uint64_t kMaxTotalBytes = 4ULL * 1024 * 1024 * 1024;  // all levels together
constexpr size_t kMaxTextBytes = 1024 * 1024;                   // pom.properties, MANIFEST.MF
constexpr size_t kReadChunk = 64 * 1024;

// What one top-level archive may cost, all nesting levels together. Once `stop` is set no
// level reads further; scan_java_archive() reports it once.
struct Budget {
    explicit Budget(const JavaArchiveLimits& archive_limits) : limits(archive_limits) {}

    const JavaArchiveLimits& limits;
    uint64_t bytes = 0;      // taken by every level's read callback
    uint64_t top_bytes = 0;  // taken from the caller's reader
    uint64_t unpacked = 0;   // entry data delivered by libarchive, read or drained
    size_t entries = 0;
    std::string stop;  // why the archive is not read further

    void add_unpacked(size_t n) {
        unpacked += n;
        if (!stop.empty()) {
            return;
        }
        if (unpacked > limits.max_unpacked_bytes) {
            stop = "unpacks to more than " + std::to_string(limits.max_unpacked_bytes) + " bytes";
        } else if (limits.max_expansion > 0 && unpacked > limits.expansion_checked_after &&
                   unpacked / limits.max_expansion > top_bytes) {
            stop = "expands more than " + std::to_string(limits.max_expansion) +
                   "x (decompression bomb?)";
        }
    }

    void add_entry() {
        if (++entries > limits.max_entries && stop.empty()) {
            stop = "has more than " + std::to_string(limits.max_entries) + " entries";
        }
    }
};

// Pulls an entry's data out of an open libarchive reader, counting it against the budget.
class EntryReader : public ContentReader {
public:
    EntryReader(archive* a, Budget& budget) : a_(a), budget_(budget) {}
    Result<size_t> read(void* buf, size_t size) override {
        if (!budget_.stop.empty()) {
            return make_error(ErrorCode::LimitExceeded, budget_.stop);
        }
        la_ssize_t got = archive_read_data(a_, buf, size);
        if (got < 0) {
            return make_error(ErrorCode::Corrupt, archive_error_string(a_) != nullptr
                                                      ? archive_error_string(a_)
                                                      : "archive_read_data failed");
        }
        budget_.add_unpacked(static_cast<size_t>(got));
        return static_cast<size_t>(got);
    }

private:
    archive* a_;
    Budget& budget_;
};

// Reads the rest of the current entry ourselves: libarchive would skip it the same way
// (inflating to find its end when the sizes come after the data) without letting us count.
void drain_entry(archive* a, Budget& budget) {
    std::vector<char> buf(kReadChunk);
    EntryReader reader(a, budget);
    while (true) {
        auto got = reader.read(buf.data(), buf.size());
        if (!got || *got == 0) {
            return;  // a damaged entry is reported by the next header read
        }
    }
}

struct Source {
    ContentReader* reader = nullptr;
    Budget* budget = nullptr;
    bool top = false;
    std::vector<char> buf = std::vector<char>(kReadChunk);
};

la_ssize_t read_callback(archive* a, void* client, const void** out) {
    auto* source = static_cast<Source*>(client);
    auto got = source->reader->read(source->buf.data(), source->buf.size());
    if (!got) {
        archive_set_error(a, EIO, "%s", got.error().message.c_str());
        return -1;
    }
    source->budget->bytes += *got;
    source->budget->top_bytes += source->top ? *got : 0;
    if (source->budget->bytes > kMaxTotalBytes) {
        archive_set_error(a, EFBIG, "java archive exceeds the %llu byte cap",
                          static_cast<unsigned long long>(kMaxTotalBytes));
        return -1;
    }
    *out = source->buf.data();
    return static_cast<la_ssize_t>(*got);
}

struct Coordinates {
    std::string group;
    std::string artifact;
    std::string version;
    bool operator<(const Coordinates& o) const {
        return std::tie(group, artifact, version) < std::tie(o.group, o.artifact, o.version);
    }
};

// What one archive level yields before the package decision in add_archive_packages().
struct ArchiveFacts {
    std::set<Coordinates> poms;
    std::string title;
    std::string manifest_version;
    size_t nested_archives = 0;
};

std::string_view value_after(std::string_view line, std::string_view key) {
    if (line.size() <= key.size() || line.substr(0, key.size()) != key) {
        return {};
    }
    line.remove_prefix(key.size());
    line = trim(line);
    if (line.empty() || (line.front() != '=' && line.front() != ':')) {
        return {};
    }
    return trim(line.substr(1));
}

template <typename Fn>
void for_each_line(std::string_view text, Fn fn) {
    size_t pos = 0;
    while (pos < text.size()) {
        size_t eol = text.find('\n', pos);
        if (eol == std::string_view::npos) {
            eol = text.size();
        }
        if (!fn(trim(text.substr(pos, eol - pos)))) {
            return;
        }
        pos = eol + 1;
    }
}

void parse_pom_properties(std::string_view text, ArchiveFacts& facts) {
    Coordinates c;
    for_each_line(text, [&](std::string_view line) {
        if (auto v = value_after(line, "groupId"); !v.empty()) {
            c.group = v;
        } else if (auto v2 = value_after(line, "artifactId"); !v2.empty()) {
            c.artifact = v2;
        } else if (auto v3 = value_after(line, "version"); !v3.empty()) {
            c.version = v3;
        }
        return true;
    });
    if (!c.group.empty() && !c.artifact.empty() && !c.version.empty()) {
        facts.poms.insert(std::move(c));
    }
}

// Main section attributes (up to the first blank line). Manifest lines are wrapped at 72
// bytes, a continuation line starting with one space, so they are joined first.
std::vector<std::string> main_attributes(std::string_view text) {
    std::vector<std::string> attributes;
    size_t pos = 0;
    while (pos < text.size()) {
        size_t eol = text.find('\n', pos);
        if (eol == std::string_view::npos) {
            eol = text.size();
        }
        std::string_view line = text.substr(pos, eol - pos);
        pos = eol + 1;
        if (!line.empty() && line.back() == '\r') {
            line.remove_suffix(1);
        }
        if (line.empty()) {
            break;
        }
        if (line.front() == ' ' && !attributes.empty()) {
            attributes.back().append(line.substr(1));
        } else {
            attributes.emplace_back(line);
        }
    }
    return attributes;
}

// Bundle-SymbolicName may carry directives ("; singleton:=true").
void parse_manifest(std::string_view text, ArchiveFacts& facts) {
    std::string bundle_name;
    std::string bundle_version;
    for (const auto& line : main_attributes(text)) {
        if (auto v = value_after(line, "Implementation-Title"); !v.empty()) {
            facts.title = v;
        } else if (auto v2 = value_after(line, "Implementation-Version"); !v2.empty()) {
            facts.manifest_version = v2;
        } else if (auto v3 = value_after(line, "Bundle-SymbolicName"); !v3.empty()) {
            bundle_name = trim(v3.substr(0, v3.find(';')));
        } else if (auto v4 = value_after(line, "Bundle-Version"); !v4.empty()) {
            bundle_version = v4;
        }
    }
    if (facts.title.empty()) {
        facts.title = bundle_name;
    }
    if (facts.manifest_version.empty()) {
        facts.manifest_version = bundle_version;
    }
}

// "lib/commons-io-2.11.0.jar" -> {"commons-io", "2.11.0"}: the version starts at the first
// "-<digit>", so "guava-31.1-jre.jar" gives "31.1-jre".
std::pair<std::string, std::string> name_from_file(std::string_view location) {
    std::string_view base = location.substr(location.find_last_of("/!") + 1);
    base = base.substr(0, base.rfind('.'));
    for (size_t i = 0; i + 1 < base.size(); ++i) {
        if (base[i] == '-' && std::isdigit(static_cast<unsigned char>(base[i + 1])) != 0) {
            return {std::string(base.substr(0, i)), std::string(base.substr(i + 1))};
        }
    }
    return {std::string(base), {}};
}

void add_archive_packages(const ArchiveFacts& facts, const std::string& location,
                          LangPackages& out) {
    for (const auto& c : facts.poms) {
        out.packages.push_back(make_lang_package("maven", c.group, c.artifact,
                                                 c.group + ":" + c.artifact, c.version, location));
    }
    if (!facts.poms.empty()) {
        return;
    }
    auto [file_name, file_version] = name_from_file(location);
    std::string name = facts.title.empty() ? file_name : facts.title;
    std::string version = facts.manifest_version.empty() ? file_version : facts.manifest_version;
    // A war or ear is often only a container for versioned jars: no warning for those.
    if (name.empty() || version.empty()) {
        if (facts.nested_archives == 0) {
            out.warnings.push_back(quoted_path(location) +
                                   ": java archive without a name and version");
        }
        return;
    }
    out.packages.push_back(make_lang_package("maven", "", name, name, version, location));
}

bool is_pom_properties(std::string_view name) {
    return name.substr(0, 15) == "META-INF/maven/" && ends_with_icase(name, "/pom.properties");
}

void scan_archive(ContentReader& reader, const std::string& location, int depth, Budget& budget,
                  LangPackages& out);

// Handles one entry; false when the archive can no longer be read.
bool scan_entry(archive* a, archive_entry* entry, const std::string& location, int depth,
                Budget& budget, ArchiveFacts& facts, LangPackages& out) {
    const char* raw = archive_entry_pathname(entry);
    std::string_view name = raw == nullptr ? std::string_view{} : raw;
    bool pom = is_pom_properties(name);
    bool manifest = name == "META-INF/MANIFEST.MF";
    if (pom || manifest) {
        EntryReader entry_reader(a, budget);
        auto text = read_capped(entry_reader, kMaxTextBytes);
        if (!text) {
            if (budget.stop.empty()) {
                out.warnings.push_back(quoted_path(location) + ": " + text.error().message);
            }
            return false;
        }
        pom ? parse_pom_properties(*text, facts) : parse_manifest(*text, facts);
        return true;
    }
    if (!is_java_archive_path(name) || archive_entry_filetype(entry) != AE_IFREG) {
        return true;
    }
    if (depth + 1 > kMaxDepth) {
        out.warnings.push_back(quoted_path(location + "!/" + std::string(name)) +
                               ": nested deeper than 4 archives; not analysed");
        return true;
    }
    ++facts.nested_archives;
    EntryReader nested(a, budget);
    scan_archive(nested, location + "!/" + std::string(name), depth + 1, budget, out);
    return true;
}

void scan_archive(ContentReader& reader, const std::string& location, int depth, Budget& budget,
                  LangPackages& out) {
    Source source{&reader, &budget, depth == 0};
    archive* a = archive_read_new();
    archive_read_support_format_zip_streamable(a);
    if (archive_read_open(a, &source, nullptr, read_callback, nullptr) != ARCHIVE_OK) {
        if (budget.stop.empty()) {
            out.warnings.push_back(quoted_path(location) + ": not a readable zip archive: " +
                                   (archive_error_string(a) ? archive_error_string(a) : "unknown"));
        }
        archive_read_free(a);
        return;
    }
    ArchiveFacts facts;
    archive_entry* entry = nullptr;
    while (budget.stop.empty()) {
        int rc = archive_read_next_header(a, &entry);
        if (rc == ARCHIVE_EOF) {
            break;
        }
        if (rc < ARCHIVE_WARN) {
            if (budget.stop.empty()) {
                out.warnings.push_back(
                    quoted_path(location) + ": " +
                    (archive_error_string(a) ? archive_error_string(a) : "read error"));
            }
            break;
        }
        budget.add_entry();
        if (!budget.stop.empty() || !scan_entry(a, entry, location, depth, budget, facts, out)) {
            break;
        }
        drain_entry(a, budget);
    }
    archive_read_free(a);
    add_archive_packages(facts, location, out);
}

}  // namespace

LangPackages scan_java_archive(ContentReader& reader, const std::string& path,
                               const JavaArchiveLimits& limits) {
    LangPackages out;
    Budget budget(limits);
    scan_archive(reader, path, 0, budget, out);
    if (!budget.stop.empty()) {
        out.warnings.push_back(quoted_path(path) + ": java archive " + budget.stop +
                               "; not read further");
    }
    return out;
}

}  // namespace cguard::scanner::detail
