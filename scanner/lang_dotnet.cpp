#include <rapidjson/document.h>

#include "scanner/detail/lang_packages.h"
#include "scanner/lang_util.h"

namespace cguard::scanner::detail {

// "libraries" maps "Name/Version" to {"type": "package" | "project" | "reference", ...}; only
// packages come from NuGet, projects are the application itself.
LangPackages parse_dotnet_deps(std::string_view text, const std::string& path) {
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
    if (doc.HasParseError() || !doc.IsObject()) {
        out.warnings.push_back(path + ": deps.json is not a JSON object");
        return out;
    }
    auto libraries = doc.FindMember("libraries");
    if (libraries == doc.MemberEnd() || !libraries->value.IsObject()) {
        out.warnings.push_back(path + ": deps.json has no libraries object");
        return out;
    }
    for (const auto& library : libraries->value.GetObject()) {
        if (!library.value.IsObject()) {
            continue;
        }
        auto type = library.value.FindMember("type");
        if (type == library.value.MemberEnd() || !type->value.IsString() ||
            std::string_view(type->value.GetString()) != "package") {
            continue;
        }
        std::string_view key(library.name.GetString(), library.name.GetStringLength());
        size_t slash = key.rfind('/');
        if (slash == std::string_view::npos || slash == 0 || slash + 1 == key.size()) {
            out.warnings.push_back(path + ": deps.json library key without Name/Version");
            continue;
        }
        std::string_view name = key.substr(0, slash);
        out.packages.push_back(make_lang_package("nuget", "", name, std::string(name),
                                                 std::string(key.substr(slash + 1)), path));
    }
    return out;
}

}  // namespace cguard::scanner::detail
