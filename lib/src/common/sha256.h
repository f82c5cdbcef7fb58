// common/sha256.h: SHA-256 (FIPS 180-4) of a byte string, as lower-case hex.
#ifndef QUARRY_COMMON_SHA256_H_
#define QUARRY_COMMON_SHA256_H_

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace quarry::internal {

std::array<uint8_t, 32> Sha256(std::string_view data);
std::string Sha256Hex(std::string_view data);

}  // namespace quarry::internal

#endif  // QUARRY_COMMON_SHA256_H_
