#include <rapidjson/document.h>

#include "scanner/detail/lang_packages.h"
#include "scanner/lang_util.h"

namespace cguard::scanner::detail {
namespace {

std::string string_member(const rapidjson::Value& object, const char* key) {
    auto it = object.FindMember(key);
    if (it == object.MemberEnd() || !it->value.IsString()) {
        return {};
    }
    return std::string(it->value.GetString(), it->value.GetStringLength());
}

}  // namespace

LangPackages parse_npm_package_json(std::string_view text, const std::string& path) {
    LangPackages out;
    if (refuse_oversized(text, path, out)) {
        return out;
    }
    rapidjson::Document doc;
    // Iterative: a deeply nested document must not exhaust the stack.
    doc.Parse<rapidjson::kParseDefaultFlags | rapidjson::kParseIterativeFlag>(text.data(),
                                                                              text.size());
    if (doc.HasParseError() || !doc.IsObject()) {
        out.warnings.push_back(path + ": package.json is not a JSON object");
        return out;
    }
    std::string name = string_member(doc, "name");
    std::string version = string_member(doc, "version");
    if (name.empty() || version.empty()) {
        out.warnings.push_back(path + ": package.json without name or version");
        return out;
    }

    // "@scope/name" keeps the scope as the purl namespace, which make_purl encodes to %40scope.
    std::string ns;
    std::string bare = name;
    if (name.front() == '@') {
        size_t slash = name.find('/');
        if (slash == std::string::npos || slash + 1 == name.size()) {
            out.warnings.push_back(path + ": malformed scoped package name '" + name + "'");
            return out;
        }
        ns = name.substr(0, slash);
        bare = name.substr(slash + 1);
    }
    out.packages.push_back(make_lang_package("npm", ns, bare, name, version, path));
    return out;
}

}  // namespace cguard::scanner::detail
