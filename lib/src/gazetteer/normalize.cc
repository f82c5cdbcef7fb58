// gazetteer/normalize.cc: matching keys (case, diacritic and apostrophe folding) and name
// splitting.
#include "gazetteer/normalize.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include "common/utf8.h"
#include "tokenize/tokenizer.h"

namespace quarry::internal {
namespace {

bool IsApostrophe(char32_t c) {
  return c == '\'' || c == 0x2019 || c == 0x2018 || c == 0x02BC || c == 0x02BB || c == 0x02BE ||
         c == 0x02BF || c == '`' || c == 0x00B4;
}

// Letters that NFD does not decompose but readers treat as their base letter.
const char* SpecialFold(char32_t c) {
  switch (c) {
    case 0x0131:
      return "i";  // dotless i
    case 0x0142:
      return "l";  // l with stroke
    case 0x00F8:
      return "o";  // o with stroke
    case 0x0111:
      return "d";  // d with stroke
    case 0x00DF:
      return "ss";  // sharp s
    case 0x00E6:
      return "ae";
    case 0x0153:
      return "oe";
    case 0x00FE:
      return "th";
    case 0x00F0:
      return "d";
    default:
      return nullptr;
  }
}

}  // namespace

void AppendMatchKey(std::string_view folded, std::string& out) {
  bool ascii = true;
  for (char c : folded) {
    if (static_cast<unsigned char>(c) >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) {
    for (char c : folded) {
      if (c != '\'' && c != '`') out.push_back(c);
    }
    return;
  }
  UErrorCode ec = U_ZERO_ERROR;
  const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(ec);
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(
      icu::StringPiece(folded.data(), static_cast<int32_t>(folded.size())));
  icu::UnicodeString d = U_SUCCESS(ec) ? nfd->normalize(u, ec) : u;
  if (U_FAILURE(ec)) d = u;
  for (int32_t i = 0; i < d.length();) {
    UChar32 c = d.char32At(i);
    i += U16_LENGTH(c);
    if (u_charType(c) == U_NON_SPACING_MARK || IsApostrophe(static_cast<char32_t>(c))) continue;
    if (const char* s = SpecialFold(static_cast<char32_t>(c))) {
      out += s;
      continue;
    }
    AppendUtf8(out, static_cast<char32_t>(c));
  }
}

void AppendMatchKeyOfText(std::string_view text, std::string& out) {
  std::string folded;
  FoldCase(text, folded);
  AppendMatchKey(folded, out);
}

bool IsJoiner(std::string_view t) { return t == "-" || t == "\u2010" || t == "\u2011"; }

std::vector<std::string_view> SplitName(std::string_view name) {
  std::vector<std::string_view> out;
  size_t i = 0, start = std::string_view::npos;
  auto flush = [&](size_t end) {
    if (start != std::string_view::npos && end > start)
      out.push_back(name.substr(start, end - start));
    start = std::string_view::npos;
  };
  while (i < name.size()) {
    size_t at = i;
    char32_t c;
    if (ValidSequenceLength(name, i) == 0) {
      c = 0xFFFD;
      ++i;
    } else {
      c = DecodeAt(name, i);
    }
    bool space = c == ' ' || c == '\t' || c == 0xA0 || c == '_';
    bool hyphen = c == '-' || c == 0x2010 || c == 0x2011;
    bool punct = c == '&' || c == '/' || c == '(' || c == ')' || c == ',' || c == ';' || c == ':' ||
                 c == '"' || c == 0x201C || c == 0x201D || c == '+' || c == '!' || c == '?';
    if (space || hyphen) {
      flush(at);
    } else if (punct) {
      flush(at);
      out.push_back(name.substr(at, i - at));
    } else if (start == std::string_view::npos) {
      start = at;
    }
  }
  flush(name.size());
  // A possessive clitic is a token of its own in documents ("People" "'s"), as the tokenizer
  // splits it: split it off names the same way, so "People's Liberation Army" matches.
  std::vector<std::string_view> split;
  for (std::string_view w : out) {
    size_t cut = std::string_view::npos;
    if (w.size() > 2 && (w.ends_with("'s") || w.ends_with("'S"))) cut = w.size() - 2;
    if (w.size() > 4 && (w.ends_with("\u2019s") || w.ends_with("\u2019S"))) cut = w.size() - 4;
    if (cut != std::string_view::npos) {
      split.push_back(w.substr(0, cut));
      split.push_back(w.substr(cut));
    } else {
      split.push_back(w);
    }
  }
  return split;
}

bool LooksLikeAcronym(std::string_view name) {
  bool upper = false;
  for (size_t i = 0; i < name.size();) {
    if (ValidSequenceLength(name, i) == 0) return false;
    char32_t c = DecodeAt(name, i);
    if (u_islower(c)) {
      upper = false;
      break;
    }
    if (u_isupper(c)) upper = true;
  }
  if (upper) return true;
  // Mixed case inside a word ("LeT", "JeM", "ISKP-K" aside): an abbreviation written with its
  // capitals, matched as written so that "LeT" does not match "let". Names with an inner capital
  // after an apostrophe or a prefix ("McDonald", "O'Brien", "al-Qaeda") are words of their own
  // and keep matching in any case.
  for (std::string_view w : SplitName(name)) {
    if (w.size() < 2 || w.size() > 4) continue;
    size_t i = 0;
    if (ValidSequenceLength(w, 0) == 0) continue;
    char32_t first = DecodeAt(w, i);
    if (!u_isupper(first)) continue;
    int inner_upper = 0, lower = 0;
    while (i < w.size()) {
      if (ValidSequenceLength(w, i) == 0) break;
      char32_t c = DecodeAt(w, i);
      if (u_isupper(c)) ++inner_upper;
      if (u_islower(c)) ++lower;
    }
    if (inner_upper > 0 && lower > 0) return true;
  }
  return false;
}

bool StartsUpper(std::string_view t) {
  if (t.empty()) return false;
  size_t i = 0;
  if (ValidSequenceLength(t, 0) == 0) return false;
  return u_isupper(DecodeAt(t, i));
}

}  // namespace quarry::internal
