// common/strings.h: small string helpers shared by the data-file parsers.
#ifndef QUARRY_COMMON_STRINGS_H_
#define QUARRY_COMMON_STRINGS_H_

#include <string_view>

namespace quarry::internal {

// `s` without leading and trailing spaces, tabs and carriage returns (line-oriented formats
// keep "\r" from CRLF files at the end of a line).
inline std::string_view Trim(std::string_view s) {
  auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r'; };
  while (!s.empty() && blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && blank(s.back())) s.remove_suffix(1);
  return s;
}

}  // namespace quarry::internal

#endif  // QUARRY_COMMON_STRINGS_H_
