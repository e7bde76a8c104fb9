#include <rapidjson/document.h>

#include <cctype>

#include "scanner/detail/lang_packages.h"
#include "scanner/lang_util.h"

namespace cguard::scanner::detail {
namespace {

std::string_view string_member(const rapidjson::Value& object, const char* key) {
    auto it = object.FindMember(key);
    if (it == object.MemberEnd() || !it->value.IsString()) {
        return {};
    }
    return {it->value.GetString(), it->value.GetStringLength()};
}

void add_package(const rapidjson::Value& entry, const std::string& path, LangPackages& out) {
    if (!entry.IsObject()) {
        out.warnings.push_back(path + ": composer package entry is not an object");
        return;
    }
    std::string_view name = string_member(entry, "name");
    std::string_view version = string_member(entry, "version");
    size_t slash = name.find('/');
    if (name.empty() || version.empty() || slash == std::string_view::npos || slash == 0 ||
        slash + 1 == name.size()) {
        out.warnings.push_back(path + ": composer package without vendor/name or version");
        return;
    }
    // Tags are often "v1.2.3"; advisories and the purl use the bare version.
    if (version.size() > 1 && (version[0] == 'v' || version[0] == 'V') &&
        std::isdigit(static_cast<unsigned char>(version[1])) != 0) {
        version.remove_prefix(1);
    }
    out.packages.push_back(make_lang_package("composer", name.substr(0, slash),
                                             name.substr(slash + 1), std::string(name),
                                             std::string(version), path));
}

}  // namespace

// Composer 1 writes a bare array of packages; Composer 2 writes {"packages": [...], ...}.
LangPackages parse_composer_installed(std::string_view text, const std::string& path) {
    LangPackages out;
    if (refuse_oversized(text, path, out)) {
        return out;
    }
    rapidjson::Document parsed;
    // Iterative: a deeply nested document must not exhaust the stack.
    parsed.Parse<rapidjson::kParseDefaultFlags | rapidjson::kParseIterativeFlag>(text.data(),
                                                                                 text.size());
    // Const access only: RapidJSON's mutable iterators make C++20 comparisons ambiguous.
    const rapidjson::Document& doc = parsed;
    if (doc.HasParseError()) {
        out.warnings.push_back(path + ": installed.json is not valid JSON");
        return out;
    }
    const rapidjson::Value* list = &doc;
    if (doc.IsObject()) {
        auto it = doc.FindMember("packages");
        list = it == doc.MemberEnd() ? nullptr : &it->value;
    }
    if (list == nullptr || !list->IsArray()) {
        out.warnings.push_back(path + ": installed.json has no package list");
        return out;
    }
    for (const auto& entry : list->GetArray()) {
        add_package(entry, path, out);
    }
    return out;
}

}  // namespace cguard::scanner::detail
