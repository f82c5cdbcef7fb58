// common/strings.h: small string helpers shared by the data-file parsers.
#ifndef QUARRY_COMMON_STRINGS_H_
#define QUARRY_COMMON_STRINGS_H_

#include <string>
#include <string_view>
#include <vector>

namespace quarry::internal {

// `s` without leading and trailing spaces, tabs and carriage returns (line-oriented formats
// keep "\r" from CRLF files at the end of a line).
inline std::string_view Trim(std::string_view s) {
  auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r'; };
  while (!s.empty() && blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && blank(s.back())) s.remove_suffix(1);
  return s;
}

// Example markup shared by rule and gazetteer examples: "Talks with [[Acme|ORG]] ended." is
// plain text and marks. A piece is a run of plain text or the inside of one [[mark]]; `at` is
// the byte offset of the piece's "[[" (marks) or first byte (plain) in the source.
struct MarkupPiece {
  std::string_view text;
  bool mark = false;
  size_t at = 0;
};
// Splits `src` into pieces; returns an error message ("" when fine) for a '[[' that is not
// closed with ']]'.
inline std::string SplitMarkup(std::string_view src, std::vector<MarkupPiece>& out) {
  out.clear();
  size_t i = 0;
  while (i < src.size()) {
    size_t open = src.find("[[", i);
    if (open == std::string_view::npos) {
      out.push_back({src.substr(i), false, i});
      break;
    }
    if (open > i) out.push_back({src.substr(i, open - i), false, i});
    size_t close = src.find("]]", open + 2);
    if (close == std::string_view::npos)
      return "'[[' at character " + std::to_string(open) + " is not closed with ']]'";
    out.push_back({src.substr(open + 2, close - open - 2), true, open});
    i = close + 2;
  }
  return "";
}

}  // namespace quarry::internal

#endif  // QUARRY_COMMON_STRINGS_H_
