// Package URLs (https://github.com/package-url/purl-spec): percent-encoding of each component.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cguard::scanner::detail {

// pkg:TYPE/NAMESPACE/NAME@VERSION?k=v&... ; namespace may contain '/' (Go module paths), which
// separates segments and is kept; each segment, the name, version and values are encoded.
// Qualifiers are emitted sorted by key, empty values dropped.
std::string make_purl(std::string_view type, std::string_view ns, std::string_view name,
                      std::string_view version,
                      std::vector<std::pair<std::string, std::string>> qualifiers = {});

}  // namespace cguard::scanner::detail
