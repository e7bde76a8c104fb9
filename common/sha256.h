// Incremental SHA-256 over OpenSSL's EVP interface (uses SHA-NI where the CPU has it).
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace cguard {

class Sha256 {
public:
    Sha256();
    ~Sha256();
    Sha256(Sha256&&) noexcept;
    Sha256& operator=(Sha256&&) noexcept;
    Sha256(const Sha256&) = delete;
    Sha256& operator=(const Sha256&) = delete;

    void update(const void* data, size_t size);
    // Lower-case hex digest; the object is reset and may be reused.
    std::string hex_digest();

    static std::string hex_of(std::string_view data);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace cguard
