// common/utf8.h: UTF-8 validation and decoding helpers shared by all stages.
#ifndef QUARRY_COMMON_UTF8_H_
#define QUARRY_COMMON_UTF8_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

namespace quarry::internal {

// Length in bytes of the valid UTF-8 sequence starting at s[i], or 0 when the bytes there are
// not valid UTF-8 (truncated, overlong, surrogate, above U+10FFFF, stray continuation byte).
size_t ValidSequenceLength(std::string_view s, size_t i);

// Offset of the first byte that does not start a valid sequence, or npos when all is valid.
size_t FindInvalidUtf8(std::string_view s);

// Decodes the code point at s[i] (which must be valid) and advances i past it.
char32_t DecodeAt(std::string_view s, size_t& i);

// Appends the UTF-8 encoding of `c`.
void AppendUtf8(std::string& out, char32_t c);

// Line and column (1-based; the column counts bytes) of byte `at` of s; CR, LF and CRLF end
// lines. For locating errors in input that may not be valid UTF-8.
std::pair<uint64_t, uint64_t> LineColumn(std::string_view s, size_t at);

// A printable excerpt of s around byte `at` (bad bytes shown as \xNN), for error messages.
std::string Excerpt(std::string_view s, size_t at, size_t radius = 20);

}  // namespace quarry::internal

#endif  // QUARRY_COMMON_UTF8_H_
