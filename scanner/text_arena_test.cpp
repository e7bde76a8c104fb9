#include "scanner/text_arena.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

namespace cguard::scanner {

TEST_CASE("the text arena returns every string it stored, across blocks and copies", "[scanner]") {
    TextArena arena;
    std::vector<std::pair<TextArena::Position, std::string>> stored;
    for (int i = 0; i < 20000; ++i) {
        std::string text = "usr/share/doc/package-" + std::to_string(i) + "/copyright";
        stored.emplace_back(arena.add(text), text);
    }
    std::string big(200 * 1024, 'x');  // larger than a block: gets a block of its own
    stored.emplace_back(arena.add(big), big);
    stored.emplace_back(arena.add("after"), "after");
    CHECK(arena.view(arena.add(""), 0).empty());

    TextArena copy = arena;
    arena.shrink();
    for (const auto& [position, text] : stored) {
        REQUIRE(arena.view(position, text.size()) == text);
        REQUIRE(copy.view(position, text.size()) == text);
    }
    // Adding to a copy never moves what the copy already holds.
    TextArena::Position more = copy.add("more");
    CHECK(copy.view(more, 4) == "more");
    CHECK(copy.view(stored.front().first, stored.front().second.size()) == stored.front().second);
    // 20,000 paths of about 40 bytes: the arena holds them in little more than their size.
    CHECK(arena.capacity_bytes() < 20000 * 40 + big.size() + 80 * 1024);
}

}  // namespace cguard::scanner
