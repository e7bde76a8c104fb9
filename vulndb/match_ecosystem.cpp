#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>

#include "vulndb/detail/ecosystem.h"

namespace cguard::vulndb::detail {
namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return out;
}

// "3.0" -> "3", "9.2" -> "9"; "" when the text does not start with a digit.
std::string major_of(std::string_view version) {
    size_t end = 0;
    while (end < version.size() && std::isdigit(static_cast<unsigned char>(version[end]))) {
        ++end;
    }
    return std::string(version.substr(0, end));
}

// "3.10.4" -> "3.10".
std::string major_minor_of(std::string_view version) {
    size_t first = version.find('.');
    if (first == std::string_view::npos) {
        return std::string(version);
    }
    size_t second = version.find('.', first + 1);
    return std::string(version.substr(0, second));
}

// PEP 503: lowercase, every run of '-', '_' and '.' becomes one '-'.
std::string pep503(std::string_view name) {
    std::string out;
    bool in_run = false;
    for (char c : name) {
        if (c == '-' || c == '_' || c == '.') {
            if (!in_run) {
                out += '-';
            }
            in_run = true;
            continue;
        }
        in_run = false;
        out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return out;
}

// "enterprise_linux:9::appstream" -> "9"; other Red Hat products keep no key.
std::string red_hat_key(std::string_view rest) {
    constexpr std::string_view kPrefix = "enterprise_linux:";
    if (rest.substr(0, kPrefix.size()) != kPrefix) {
        return {};
    }
    std::string major = major_of(rest.substr(kPrefix.size()));
    return major.empty() ? std::string() : "Red Hat:" + major;
}

// "Linux Enterprise Server 15 SP5" -> "SUSE:15.5", "... 15" -> "SUSE:15".
std::string suse_key(std::string_view rest) {
    constexpr std::string_view kPrefix = "Linux Enterprise Server ";
    if (rest.substr(0, kPrefix.size()) != kPrefix) {
        return {};
    }
    std::string_view tail = rest.substr(kPrefix.size());
    std::string major = major_of(tail);
    if (major.empty()) {
        return {};
    }
    tail.remove_prefix(major.size());
    if (tail.empty()) {
        return "SUSE:" + major;
    }
    if (tail.substr(0, 3) != " SP") {
        return {};
    }
    std::string sp = major_of(tail.substr(3));
    return sp.empty() || sp.size() + 3 != tail.size() ? std::string() : "SUSE:" + major + "." + sp;
}

std::string versioned_key(std::string_view base, std::string_view rest) {
    if (base == "Debian" || base == "AlmaLinux" || base == "Rocky Linux") {
        std::string major = major_of(rest);
        return major.empty() ? std::string(base) + ":" + std::string(rest)
                             : std::string(base) + ":" + major;
    }
    if (base == "Ubuntu") {
        constexpr std::string_view kLts = ":LTS";
        if (rest.size() > kLts.size() && rest.substr(rest.size() - kLts.size()) == kLts) {
            rest.remove_suffix(kLts.size());
        }
        return "Ubuntu:" + std::string(rest);
    }
    if (base == "Red Hat" || base == "SUSE") {
        std::string key = base == "Red Hat" ? red_hat_key(rest) : suse_key(rest);
        return key.empty() ? std::string(base) + ":" + std::string(rest) : key;
    }
    if (base == "openSUSE" && rest.substr(0, 5) == "Leap ") {
        return "openSUSE:" + std::string(rest.substr(5));
    }
    return std::string(base) + ":" + std::string(rest);
}

std::string strip_go_prefix(std::string_view version) {
    if (version.substr(0, 2) == "go") {
        version.remove_prefix(2);
    } else if (!version.empty() && version[0] == 'v') {
        version.remove_prefix(1);
    }
    return std::string(version);
}

// Maven coordinates as OSV writes them: "group:artifact". The scanner may give only the
// artifact in `name`, with the group in the purl namespace ("pkg:maven/group/artifact@1").
std::string maven_name(const scanner::Package& package) {
    if (package.name.find(':') != std::string::npos) {
        return package.name;
    }
    constexpr std::string_view kPrefix = "pkg:maven/";
    std::string_view purl = package.purl;
    if (purl.substr(0, kPrefix.size()) != kPrefix) {
        return package.name;
    }
    purl.remove_prefix(kPrefix.size());
    purl = purl.substr(0, purl.find_first_of("@?#"));
    size_t slash = purl.rfind('/');
    if (slash == std::string_view::npos) {
        return package.name;
    }
    return std::string(purl.substr(0, slash)) + ":" + std::string(purl.substr(slash + 1));
}

}  // namespace

const std::vector<std::string>& known_feeds() {
    static const std::vector<std::string> kFeeds = {
        "AlmaLinux",   "Alpine",   "Bitnami", "Chainguard", "Debian",    "Go",       "Mariner",
        "Maven",       "npm",      "NuGet",   "openSUSE",   "Packagist", "PyPI",     "Red Hat",
        "Rocky Linux", "RubyGems", "SUSE",    "Ubuntu",     "Wolfi",     "crates.io"};
    return kFeeds;
}

std::optional<std::string> ecosystem_key(std::string_view ecosystem) {
    size_t colon = ecosystem.find(':');
    std::string_view base = ecosystem.substr(0, colon);
    const auto& feeds = known_feeds();
    if (std::find(feeds.begin(), feeds.end(), base) == feeds.end()) {
        return std::nullopt;
    }
    if (colon == std::string_view::npos) {
        return std::string(base);
    }
    return versioned_key(base, ecosystem.substr(colon + 1));
}

std::string normalize_name(std::string_view ecosystem_key, std::string_view name) {
    if (ecosystem_key == "PyPI") {
        return pep503(name);
    }
    if (ecosystem_key == "npm" || ecosystem_key == "NuGet" || ecosystem_key == "Packagist") {
        return lower(name);
    }
    return std::string(name);
}

std::string os_ecosystem_key(const scanner::OsInfo& os) {
    const std::string& v = os.version;
    std::string family = lower(os.family);
    if (v.empty() && family != "wolfi" && family != "chainguard") {
        return {};
    }
    if (family == "debian" && !major_of(v).empty()) {
        return "Debian:" + major_of(v);
    }
    if (family == "ubuntu") {
        return "Ubuntu:" + v;
    }
    if (family == "alpine") {
        return "Alpine:v" + major_minor_of(v);
    }
    if (family == "almalinux" || family == "rocky" || family == "rhel") {
        const char* base = family == "almalinux" ? "AlmaLinux:"
                           : family == "rocky"   ? "Rocky Linux:"
                                                 : "Red Hat:";
        return major_of(v).empty() ? std::string() : base + major_of(v);
    }
    if (family == "sles") {
        return "SUSE:" + v;
    }
    if (family == "opensuse-leap") {
        return "openSUSE:" + v;
    }
    if (family == "opensuse-tumbleweed") {
        return "openSUSE:Tumbleweed";
    }
    if (family == "mariner") {
        return "Mariner:" + v;
    }
    if (family == "wolfi" || family == "chainguard") {
        return family == "wolfi" ? "Wolfi" : "Chainguard";
    }
    return {};
}

std::optional<PackageQuery> query_for(const scanner::Package& package, const std::string& os_key) {
    const std::string& type = package.type;
    if (type == "deb" || type == "apk" || type == "rpm") {
        if (os_key.empty()) {
            return std::nullopt;
        }
        // rpm source versions carry no epoch, so the binary's "[epoch:]version-release" is
        // the comparable one; dpkg and apk fixes are written against the source version.
        bool use_source = type != "rpm" && !package.source_version.empty();
        return PackageQuery{
            os_key, package.source_name.empty() ? package.name : package.source_name,
            use_source ? package.source_version : package.version, scheme_for_ecosystem(os_key)};
    }
    static const std::pair<const char*, const char*> kLanguages[] = {
        {"pypi", "PyPI"},          {"npm", "npm"},      {"golang", "Go"},
        {"maven", "Maven"},        {"gem", "RubyGems"}, {"cargo", "crates.io"},
        {"composer", "Packagist"}, {"nuget", "NuGet"},  {"bitnami", "Bitnami"}};
    for (const auto& [package_type, ecosystem] : kLanguages) {
        if (type != package_type) {
            continue;
        }
        std::string name = type == "maven" ? maven_name(package) : package.name;
        std::string version = type == "golang" ? strip_go_prefix(package.version) : package.version;
        return PackageQuery{ecosystem, normalize_name(ecosystem, name), std::move(version),
                            scheme_for_ecosystem(ecosystem)};
    }
    return std::nullopt;
}

}  // namespace cguard::vulndb::detail
