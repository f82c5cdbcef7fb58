// tokenize/tokenizer.cc: ICU word segments -> English tokens -> sentences.
//
// ICU's word break rules (UAX #29) do most of the work. On top of them, as in the Penn Treebank
// and Universal Dependencies conventions: clitics split off ("Iran’s" -> "Iran" "’s"), a period
// joins known abbreviations and initials ("U.S.", "i.e.", "W."), numeric dates and fractions stay
// whole ("9/11"), runs of terminal punctuation and double hyphens stay whole ("...", "?!", "--"),
// and URLs and e-mail addresses are one token. Sentences end at empty lines, at line breaks per
// TokenizerOptions::Newline, and after terminal punctuation followed by a likely sentence start.
#include "tokenize/tokenizer.h"

#include <unicode/brkiter.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utext.h>

#include <algorithm>
#include <cctype>
#include <array>
#include <cstring>
#include <string>
#include <vector>

#include "common/utf8.h"

namespace quarry::internal {
namespace {

using Segment = Tokenizer::Segment;

bool IsAsciiAlpha(char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
char AsciiLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c | 0x20) : c; }

bool EqualsLower(std::string_view s, std::string_view lower) {
  if (s.size() != lower.size()) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    if (AsciiLower(s[i]) != lower[i]) return false;
  }
  return true;
}

bool EndsWithLower(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && EqualsLower(s.substr(s.size() - suffix.size()), suffix);
}

// Abbreviations that take a period (lower case, without the period). Titles never end a sentence;
// the others may, when a likely sentence start follows.
constexpr std::array<std::string_view, 29> kTitles = {
    "mr", "mrs", "ms", "dr", "prof", "st", "gen", "col", "lt", "capt", "maj", "sgt", "adm", "gov",
    "sen", "rep", "rev", "hon", "mt", "ft", "brig", "cmdr", "cpl", "pvt", "messrs", "mme", "sr",
    "jr", "p.s"};
constexpr std::array<std::string_view, 31> kAbbreviations = {
    "etc", "inc", "ltd", "co", "corp", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec", "approx", "dept", "est", "fig", "vs", "al", "cf", "ca", "no",
    "vol", "ext", "ps", "sts", "ave"};

// Bound prefixes that keep their hyphen when a lower-case word follows ("e-mail", "non-human",
// "re-opening"), as Universal Dependencies does; before a capital they split ("anti-Taliban"),
// so that the name stays a token of its own.
constexpr std::array<std::string_view, 26> kHyphenPrefixes = {
    "e", "non", "anti", "semi", "re", "mis", "counter", "pre", "post", "co", "ex", "pro", "multi",
    "inter", "sub", "vice", "mid", "neo", "pan", "quasi", "ultra", "bi", "tri", "self", "over",
    "cyber"};

// Emoticons kept whole.
constexpr std::array<std::string_view, 14> kEmoticons = {
    ":)", ":-)", ":(", ":-(", ":D", ":-D", ":P", ":-P", ";)", ";-)", ":?", ":/", ":'(", "<3"};

// Characters whose runs form one token ("====", "***", "<<", "$$$").
bool IsRunChar(char c) { return std::strchr("=*~_#+<>$-", c) != nullptr && c != 0; }

bool InList(std::string_view w, const auto& list) {
  for (std::string_view a : list) {
    if (EqualsLower(w, a)) return true;
  }
  return false;
}

// Openers of a sentence that follows an abbreviation such as "U.S." or "etc.".
constexpr std::array<std::string_view, 30> kSentenceStarters = {
    "the", "a", "an", "in", "it", "he", "she", "they", "we", "i", "this", "that", "these",
    "those", "but", "and", "however", "there", "his", "her", "their", "its", "our", "on", "at",
    "after", "when", "if", "as", "for"};

// White space as the tokenizer counts it: Unicode White_Space, and the zero-width space and
// zero-width no-break space, which separate tokens without being one.
bool IsSeparator(char32_t cp) {
  return u_isUWhiteSpace(static_cast<UChar32>(cp)) || cp == 0x200B || cp == 0xFEFF;
}

// True when the code point at text[at] separates tokens (IsSeparator).
bool IsSeparatorAt(std::string_view text, size_t at) { return IsSeparator(DecodeAt(text, at)); }

bool IsWhitespaceSegment(std::string_view s, uint8_t& newlines, bool& crlf_pending) {
  size_t i = 0;
  while (i < s.size()) {
    char c = s[i];
    if (c == '\n') {
      if (!crlf_pending) ++newlines;
      crlf_pending = false;
      ++i;
      continue;
    }
    crlf_pending = false;
    if (c == '\r') {
      ++newlines;
      crlf_pending = true;
      ++i;
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\f' || c == '\v') {
      ++i;
      continue;
    }
    if (static_cast<uint8_t>(c) < 0x80) return false;
    char32_t cp = DecodeAt(s, i);
    if (!IsSeparator(cp)) return false;
  }
  return true;
}

// True when the code point at text[at] ends a white-space-delimited chunk (a URL or an e-mail
// address): a separator or a control character, neither of which may ever be inside a token.
bool BreaksChunk(std::string_view text, size_t at) {
  auto c = static_cast<uint8_t>(text[at]);
  if (c < 0x80) return c <= 0x20 || c == 0x7f;
  char32_t cp = DecodeAt(text, at);
  return IsSeparator(cp) || u_iscntrl(static_cast<UChar32>(cp));
}

}  // namespace

bool IsBoundHyphenPrefix(std::string_view word) { return InList(word, kHyphenPrefixes); }

void FoldCase(std::string_view text, std::string& out) {
  bool ascii = true;
  for (char c : text) {
    if (static_cast<uint8_t>(c) >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) {
    size_t at = out.size();
    out.append(text);
    for (size_t i = at; i < out.size(); ++i) out[i] = AsciiLower(out[i]);
    return;
  }
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(
      icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  u.foldCase();
  u.toUTF8String(out);
}

void WordShape(std::string_view text, std::string& out) {
  char last = 0;
  int run = 0;
  // Appends a class character, cutting runs of one class at four.
  auto push = [&](char cls) {
    if (cls == last) {
      if (++run > 4) return;
    } else {
      last = cls;
      run = 1;
    }
    out.push_back(cls);
  };
  for (size_t i = 0; i < text.size();) {
    auto b = static_cast<uint8_t>(text[i]);
    if (b < 0x80) {
      char c = text[i++];
      push(IsDigit(c) ? 'd' : (c >= 'A' && c <= 'Z') ? 'X' : (c >= 'a' && c <= 'z') ? 'x' : c);
      continue;
    }
    size_t start = i;
    char32_t cp = DecodeAt(text, i);
    if (u_isUUppercase(cp) || u_istitle(cp)) {
      push('X');
    } else if (u_isULowercase(cp) || u_isalpha(cp)) {
      push('x');
    } else if (u_isdigit(cp)) {
      push('d');
    } else {  // other characters stay as they are
      out.append(text.substr(start, i - start));
      last = 0;
      run = 0;
    }
  }
}

Result<std::unique_ptr<Tokenizer>> Tokenizer::Create(const TokenizerOptions& options) {
  std::unique_ptr<Tokenizer> t(new Tokenizer(options));
  UErrorCode err = U_ZERO_ERROR;
  t->prototype_.reset(icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), err));
  if (U_FAILURE(err) || !t->prototype_) {
    return Status(StatusCode::kInternal,
                  std::string("ICU word break iterator unavailable: ") + u_errorName(err));
  }
  return t;
}

Tokenizer::~Tokenizer() = default;

std::unique_ptr<icu::BreakIterator> Tokenizer::NewIterator() const {
  std::lock_guard<std::mutex> lock(clone_mu_);
  return std::unique_ptr<icu::BreakIterator>(prototype_->clone());
}

namespace {

bool IsAsciiSpace(char c) {
  return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == '\v';
}
// ICU's root word rules count '@' as a letter (so e-mail addresses stay whole).
bool IsWordLetter(char c) { return IsAsciiAlpha(c) || c == '@'; }
bool IsAsciiAlnum(char c) { return IsWordLetter(c) || IsDigit(c); }

}  // namespace

// White-space-delimited chunks of pure ASCII are segmented by a direct implementation of the
// UAX #29 rules that apply to ASCII (as ICU's root rules have them: no colon as MidLetter);
// chunks with any other character go to ICU. Word boundaries never cross white space, so the
// result equals ICU's over the whole text; tokenizer_test.cc checks that differentially.
Status Tokenizer::CollectSegments(std::string_view text, std::vector<Segment>& segs,
                                  const RunContext* ctx) const {
  DeadlineTicker ticker(ctx);
  std::unique_ptr<icu::BreakIterator> it;
  UText* ut = nullptr;
  uint8_t pending = 0;
  bool crlf_pending = false;
  Status status;
  auto icu_chunk = [&](size_t b, size_t e) {
    UErrorCode err = U_ZERO_ERROR;
    if (!it) it = NewIterator();
    ut = utext_openUTF8(ut, text.data() + b, static_cast<int64_t>(e - b), &err);
    it->setText(ut, err);
    if (U_FAILURE(err)) {
      status = Status(StatusCode::kInternal, std::string("ICU word break: ") + u_errorName(err));
      return;
    }
    int32_t prev = it->first();
    for (int32_t cur = it->next(); cur != icu::BreakIterator::DONE; prev = cur, cur = it->next()) {
      if (Status d = ticker.Tick("tokenize"); !d.ok()) {
        status = std::move(d);
        return;
      }
      std::string_view piece = text.substr(b + prev, cur - prev);
      int32_t st = it->getRuleStatus();
      if (st < UBRK_WORD_NONE_LIMIT) {
        uint8_t newlines = 0;
        if (IsWhitespaceSegment(piece, newlines, crlf_pending)) {
          pending |= kSpaceBefore;
          continue;
        }
      }
      crlf_pending = false;
      segs.push_back({static_cast<uint32_t>(b + prev), static_cast<uint32_t>(b + cur), st, pending});
      pending = 0;
    }
  };
  auto ascii_chunk = [&](size_t b, size_t e) {
    size_t k = b;
    while (k < e) {
      char c = text[k];
      if (!IsAsciiAlnum(c) && c != '_') {
        segs.push_back({static_cast<uint32_t>(k), static_cast<uint32_t>(k + 1), 0, pending});
        pending = 0;
        ++k;
        continue;
      }
      size_t j = k + 1;
      while (j < e) {
        char d = text[j];
        if (IsAsciiAlnum(d) || d == '_') {
          ++j;
          continue;
        }
        if (j + 1 < e) {
          char before = text[j - 1], after = text[j + 1];
          // WB6/7: letter (MidNumLet | Single_Quote) letter.
          if ((d == '.' || d == '\'') && IsWordLetter(before) && IsWordLetter(after)) {
            j += 2;
            continue;
          }
          // WB11/12: digit (MidNum | MidNumLet | Single_Quote) digit.
          if ((d == '.' || d == '\'' || d == ',' || d == ';') && IsDigit(before) && IsDigit(after)) {
            j += 2;
            continue;
          }
        }
        break;
      }
      // ICU's rule status is that of the last letter or digit ("2nd" letter, "F16" number).
      int32_t st = UBRK_WORD_LETTER;
      if (j - k == 1 && c == '_') {
        st = UBRK_WORD_NONE;
      } else if (j - k >= 2 && text[j - 1] == '_' && text[j - 2] == '_') {
        st = UBRK_WORD_LETTER;  // ICU's rule for ExtendNumLet runs
      } else {
        for (size_t q = j; q > k; --q) {
          if (IsDigit(text[q - 1])) {
            st = UBRK_WORD_NUMBER;
            break;
          }
          if (IsWordLetter(text[q - 1])) break;
        }
      }
      segs.push_back({static_cast<uint32_t>(k), static_cast<uint32_t>(j), st, pending});
      pending = 0;
      k = j;
    }
  };
  size_t i = 0, n = text.size();
  while (i < n && status.ok()) {
    char c = text[i];
    if (IsAsciiSpace(c)) {
      pending |= kSpaceBefore;
      if (c == '\n' || c == '\r') pending |= kNewlineBefore;
      ++i;
      continue;
    }
    if (Status d = ticker.Tick("tokenize"); !d.ok()) {
      status = std::move(d);
      break;
    }
    size_t e = i;
    bool ascii = true;
    while (e < n && !IsAsciiSpace(text[e])) {
      if (static_cast<uint8_t>(text[e]) >= 0x80) ascii = false;
      ++e;
    }
    if (ascii) {
      ascii_chunk(i, e);
    } else {
      icu_chunk(i, e);
    }
    i = e;
  }
  if (ut) utext_close(ut);
  return status;
}

Status Tokenizer::Run(const RunContext& ctx, AnnotationSet& set) const {
  return Tokenize(ctx.doc.text(), set, &ctx);
}

Status Tokenizer::Tokenize(std::string_view text, AnnotationSet& set,
                           const RunContext* ctx) const {
  auto& tokens = set.mutable_tokens();
  tokens.clear();
  set.mutable_sentences().clear();
  tokens.reserve(text.size() / 5 + 16);
  set.mutable_strings().reserve(set.mutable_strings().size() + text.size() * 2);

  // 1. Word segments (UAX #29), white space folded into flags.
  std::vector<Segment> segs;
  segs.reserve(text.size() / 4 + 16);
  QUARRY_RETURN_IF_ERROR(CollectSegments(text, segs, ctx));
  DeadlineTicker ticker(ctx);
  // Blank lines: a run of white space with two or more line breaks. The loop above counts line
  // breaks per ICU segment, and ICU splits "\n\n" into two segments, so recount over the gap.
  for (size_t i = 0; i < segs.size(); ++i) {
    if (!(segs[i].flags & kNewlineBefore) || (segs[i].flags & kBlankLineBefore)) continue;
    uint32_t gap_begin = i ? segs[i - 1].end : 0;
    int lines = 0;
    for (uint32_t k = gap_begin; k < segs[i].begin; ++k) {
      if (text[k] == '\n' || (text[k] == '\r' && (k + 1 >= text.size() || text[k + 1] != '\n')))
        ++lines;
    }
    if (lines >= 2) segs[i].flags |= kBlankLineBefore;
  }

  // 2. Segments -> tokens, with the English exceptions.
  std::string lower, shape;
  auto emit = [&](uint32_t b, uint32_t e, TokenKind kind, uint8_t flags) {
    Token t;
    t.span = {b, e};
    t.kind = kind;
    t.flags = flags;
    std::string_view s = text.substr(b, e - b);
    std::string& arena = set.mutable_strings();
    bool ascii = s.size() < 64;
    for (char c : s) ascii &= static_cast<uint8_t>(c) < 0x80;
    if (ascii) {
      // Common case, written straight into the arena: lower form, then shape.
      t.lower_offset = static_cast<uint32_t>(arena.size());
      t.lower_size = static_cast<uint16_t>(s.size());
      size_t at = arena.size();
      arena.resize(at + s.size());
      for (size_t k = 0; k < s.size(); ++k) arena[at + k] = AsciiLower(s[k]);
      size_t before = arena.size();
      WordShape(s, arena);
      t.shape_size = static_cast<uint16_t>(arena.size() - before);
    } else {
      lower.clear();
      shape.clear();
      FoldCase(s, lower);
      WordShape(s, shape);
      set.SetForms(t, lower, shape);
    }
    tokens.push_back(t);
  };
  auto kind_of = [&](const Segment& s) {
    if (s.status >= UBRK_WORD_LETTER && s.status < UBRK_WORD_LETTER_LIMIT) return TokenKind::kWord;
    if (s.status >= UBRK_WORD_NUMBER && s.status < UBRK_WORD_NUMBER_LIMIT)
      return TokenKind::kNumber;
    if (s.status >= UBRK_WORD_KANA) return TokenKind::kWord;
    size_t i = s.begin;
    char32_t cp = DecodeAt(text, i);
    if (u_ispunct(cp)) return TokenKind::kPunctuation;
    if (u_hasBinaryProperty(cp, UCHAR_EMOJI_PRESENTATION)) return TokenKind::kEmoji;
    if (u_isalpha(cp)) return TokenKind::kWord;
    return TokenKind::kSymbol;
  };
  auto adjacent = [&](size_t i) {  // segs[i] and segs[i + 1] touch
    return i + 1 < segs.size() && segs[i].end == segs[i + 1].begin;
  };
  auto seg_text = [&](size_t i) { return text.substr(segs[i].begin, segs[i].end - segs[i].begin); };

  // The URL test looks ahead to the end of the white-space-delimited chunk and for an '@' and a
  // '.' after it. Segments come in text order, so each search resumes where the previous one
  // stopped instead of rescanning the chunk per segment (quadratic on "a/a/a/..." chunks).
  size_t chunk_end_known = 0;  // text[.., chunk_end_known) has no white space since last scan
  constexpr size_t kUnknown = std::string_view::npos;
  size_t at_from = kUnknown, at_pos = 0;    // first '@' at or after at_from is at at_pos
  size_t dot_from = kUnknown, dot_pos = 0;  // first '.' at or after dot_from is at dot_pos
  auto find_from = [&](char c, size_t from, size_t& cache_from, size_t& cache_pos) {
    if (cache_from != kUnknown && from >= cache_from && from <= cache_pos) return cache_pos;
    size_t p = text.find(c, from);
    cache_from = from;
    cache_pos = p == std::string_view::npos ? text.size() : p;
    return cache_pos;
  };
  for (size_t i = 0; i < segs.size(); ++i) {
    QUARRY_RETURN_IF_ERROR(ticker.Tick("tokenize"));
    const Segment& s = segs[i];
    std::string_view w = seg_text(i);
    TokenKind kind = kind_of(s);

    // URLs and e-mail addresses: the whole white-space-delimited chunk, less closing punctuation.
    if ((kind == TokenKind::kWord || kind == TokenKind::kNumber) && s.end < text.size() &&
        std::strchr(":@./", text[s.end]) != nullptr && text[s.end] != 0) {
      size_t chunk_end = std::max<size_t>(s.end, chunk_end_known);
      while (chunk_end < text.size() && !BreaksChunk(text, chunk_end)) {
        size_t next = chunk_end;
        DecodeAt(text, next);
        chunk_end = next;
      }
      chunk_end_known = chunk_end;
      std::string_view chunk = text.substr(s.begin, chunk_end - s.begin);
      bool url = chunk.starts_with("http://") || chunk.starts_with("https://") ||
                 chunk.starts_with("www.");
      // '@' inside the chunk but not first, and a '.' after it in the chunk.
      size_t at = find_from('@', s.begin + 1, at_from, at_pos);
      bool mail = text[s.begin] != '@' && at < chunk_end &&
                  find_from('.', at, dot_from, dot_pos) < chunk_end;
      if ((url || mail) && chunk.size() > w.size()) {
        while (!chunk.empty() && std::strchr(".,;:!?)]}>\"'", chunk.back())) chunk.remove_suffix(1);
        uint32_t end = s.begin + static_cast<uint32_t>(chunk.size());
        if (end >= s.end) {
          emit(s.begin, end, TokenKind::kOther, s.flags);
          while (i + 1 < segs.size() && segs[i + 1].begin < end) ++i;
          if (segs[i].end > end) {
            // The chunk ended inside a word segment: at a format character (U+FEFF, U+FFFB),
            // which UAX #29 keeps inside words. The rest of the segment, after any separator
            // (U+FEFF), is taken again as a segment of its own.
            size_t b = end;
            while (b < segs[i].end && IsSeparatorAt(text, b)) DecodeAt(text, b);
            if (b < segs[i].end) {
              // (Space before it only when a separator was skipped: the chunk's closing
              // punctuation, cut off above, follows the URL directly.)
              segs[i].flags = b > end ? kSpaceBefore : 0;
              segs[i].begin = static_cast<uint32_t>(b);
              --i;
            } else if (i + 1 < segs.size()) {
              segs[i + 1].flags |= kSpaceBefore;  // the separator is the next token's space
            }
          }
          continue;
        }
      }
    }

    // Numeric dates and fractions: 9/11, 11/17/2004, 24/7.
    if (kind == TokenKind::kNumber && adjacent(i) && seg_text(i + 1) == "/" && adjacent(i + 1) &&
        kind_of(segs[i + 2]) == TokenKind::kNumber) {
      size_t j = i + 2;
      while (adjacent(j) && seg_text(j + 1) == "/" && adjacent(j + 1) &&
             kind_of(segs[j + 2]) == TokenKind::kNumber)
        j += 2;
      emit(s.begin, segs[j].end, TokenKind::kNumber, s.flags);
      i = j;
      continue;
    }

    // Emoticons.
    if (kind != TokenKind::kWord && kind != TokenKind::kNumber &&
        (w[0] == ':' || w[0] == ';' || w[0] == '<')) {
      bool matched = false;
      for (std::string_view e : kEmoticons) {
        if (text.compare(s.begin, e.size(), e) != 0) continue;
        uint32_t end = s.begin + static_cast<uint32_t>(e.size());
        // Must end on a segment boundary and not run into a word ("a:Davis" is no emoticon).
        size_t j = i;
        while (j < segs.size() && segs[j].end < end) ++j;
        if (j >= segs.size() || segs[j].end != end) continue;
        bool glued = j + 1 < segs.size() && segs[j + 1].begin == end &&
                     kind_of(segs[j + 1]) == TokenKind::kWord;
        if (glued || (i > 0 && segs[i - 1].end == s.begin &&
                      kind_of(segs[i - 1]) == TokenKind::kWord && e[0] != ':'))
          continue;
        emit(s.begin, end, TokenKind::kSymbol, s.flags);
        i = j;
        matched = true;
        break;
      }
      if (matched) continue;
    }

    // Runs of terminal punctuation ("...", "?!") and of line-art characters ("--", "====").
    if ((kind == TokenKind::kPunctuation || kind == TokenKind::kSymbol) && w.size() == 1 &&
        (w[0] == '.' || w[0] == '!' || w[0] == '?' || IsRunChar(w[0]))) {
      bool terminal = w[0] == '.' || w[0] == '!' || w[0] == '?';
      bool line_art = std::strchr("=*~_#+-", w[0]) != nullptr;
      size_t j = i;
      while (adjacent(j)) {
        std::string_view n = seg_text(j + 1);
        bool ok = n.size() == 1 && (terminal ? (n[0] == '.' || n[0] == '!' || n[0] == '?')
                                    : line_art ? std::strchr("=*~_#+-", n[0]) != nullptr
                                               : n[0] == w[0]);
        if (!ok) break;
        ++j;
      }
      if (j > i) {
        emit(s.begin, segs[j].end, TokenKind::kPunctuation, s.flags);
        i = j;
        continue;
      }
    }

    if (kind == TokenKind::kWord) {
      // Bound prefix + hyphen + lower-case word: "e-mail", "re-opening".
      if (adjacent(i) && seg_text(i + 1) == "-" && adjacent(i + 1) && InList(w, kHyphenPrefixes) &&
          kind_of(segs[i + 2]) == TokenKind::kWord) {
        char c = text[segs[i + 2].begin];
        if (c >= 'a' && c <= 'z') {
          emit(s.begin, segs[i + 2].end, kind, s.flags);
          i += 2;
          continue;
        }
      }
      // Abbreviations and initials take the following period.
      if (adjacent(i) && seg_text(i + 1) == ".") {
        bool inner_period = w.find('.') != std::string_view::npos;
        bool initial = w.size() == 1 && w[0] >= 'A' && w[0] <= 'Z';
        if (inner_period || initial || InList(w, kTitles) || InList(w, kAbbreviations)) {
          emit(s.begin, segs[i + 1].end, kind, s.flags | kAbbreviation);
          ++i;
          continue;
        }
      }
      // Clitics need an apostrophe near the end, or are one of a few whole words.
      bool maybe_clitic = false;
      for (size_t k = w.size() > 6 ? w.size() - 6 : 0; k < w.size(); ++k) {
        if (w[k] == '\'' || w[k] == '\xE2') maybe_clitic = true;
      }
      if (!maybe_clitic && (w.size() == 5 || w.size() == 6)) {
        maybe_clitic = EqualsLower(w, "cannot") || EqualsLower(w, "gonna") ||
                       EqualsLower(w, "wanna") || EqualsLower(w, "gotta");
      }
      if (options_.split_clitics && maybe_clitic && w.size() > 2) {
        // "n't" (do|n't, ca|n't, wo|n't)
        size_t cut = 0;
        if (w.size() > 3 && (EndsWithLower(w, "n't") || EndsWithLower(w, "n\xE2\x80\x99t"))) {
          cut = w.size() - (EndsWithLower(w, "n't") ? 3 : 5);
        } else {
          // 's 'd 'm 'll 're 've, with ' or ’
          for (std::string_view apo : {std::string_view("'"), std::string_view("\xE2\x80\x99")}) {
            for (std::string_view cl : {"s", "d", "m", "ll", "re", "ve"}) {
              size_t n = apo.size() + cl.size();
              if (w.size() > n && w.substr(w.size() - n, apo.size()) == apo &&
                  EqualsLower(w.substr(w.size() - cl.size()), cl)) {
                cut = w.size() - n;
              }
            }
          }
        }
        if (cut == 0 && EqualsLower(w, "cannot")) cut = 3;
        if (cut == 0 && (EqualsLower(w, "gonna") || EqualsLower(w, "wanna") ||
                         EqualsLower(w, "gotta")))
          cut = 3;
        if (cut > 0) {
          emit(s.begin, s.begin + static_cast<uint32_t>(cut), kind, s.flags);
          emit(s.begin + static_cast<uint32_t>(cut), s.end, kind, kClitic);
          continue;
        }
      }
    }
    emit(s.begin, s.end, kind, s.flags);
  }

  return SplitSentences(text, set, ctx);
}

Status Tokenizer::SplitSentences(std::string_view text, AnnotationSet& set,
                                 const RunContext* ctx) const {
  auto& tokens = set.mutable_tokens();
  auto& sentences = set.mutable_sentences();
  if (tokens.empty()) return Status();
  DeadlineTicker ticker(ctx);

  TokenizerOptions::Newline policy = options_.newline;
  // Line lengths decide kAuto and the heading test.
  size_t longest = 0;
  {
    size_t start = 0;
    for (size_t i = 0; i <= text.size(); ++i) {
      if (i == text.size() || text[i] == '\n' || text[i] == '\r') {
        longest = std::max(longest, i - start);
        start = i + 1;
      }
    }
  }
  if (policy == TokenizerOptions::Newline::kAuto) {
    policy = longest > 200 ? TokenizerOptions::Newline::kAlways
                           : TokenizerOptions::Newline::kHeading;
  }

  auto tok_text = [&](size_t i) {
    return text.substr(tokens[i].span.begin, tokens[i].span.size());
  };
  auto is_closer = [&](size_t i) {
    if (tokens[i].kind != TokenKind::kPunctuation) return false;
    std::string_view s = tok_text(i);
    return s == "\"" || s == "'" || s == ")" || s == "]" || s == "}" || s == "\xE2\x80\x9D" ||
           s == "\xE2\x80\x99" || s == "\xC2\xBB";
  };
  auto is_terminal = [&](size_t i) {
    std::string_view s = tok_text(i);
    if (tokens[i].kind != TokenKind::kPunctuation || s.empty()) return false;
    if (s == "\xE2\x80\xA6") return true;  // …
    for (char c : s) {
      if (c != '.' && c != '!' && c != '?') return false;
    }
    return true;
  };
  // Likely start of a sentence: upper case, digit, opening quote or bracket.
  auto starts_sentence = [&](size_t i) {
    std::string_view s = tok_text(i);
    size_t k = 0;
    char32_t cp = DecodeAt(s, k);
    if (u_isupper(cp) || u_istitle(cp) || u_isdigit(cp)) return true;
    return s == "\"" || s == "\xE2\x80\x9C" || s == "(" || s == "[" || s == "'" ||
           s == "\xE2\x80\x98" || s == "*" || s == "-";
  };
  // Line break before token i ends the sentence under policy kHeading.
  auto heading_break = [&](size_t i) {
    if (i == 0) return false;
    if (is_terminal(i - 1) || (is_closer(i - 1) && i >= 2 && is_terminal(i - 2))) return true;
    std::string_view p = tok_text(i - 1);
    if (p == ":" || p == ";") return true;
    // Length of the line that ends before token i.
    uint32_t line_end = tokens[i - 1].span.end;
    uint32_t line_start = line_end;
    while (line_start > 0 && text[line_start - 1] != '\n' && text[line_start - 1] != '\r')
      --line_start;
    return (line_end - line_start) * 10 < longest * 6;
  };

  std::vector<uint32_t> starts;
  starts.push_back(0);
  // closers_from: for token q = i - 1, the first token of the run of glued closing quotes and
  // brackets that ends at q (q itself when it is none). Kept incrementally: rescanning the run
  // for every token made a long run of ")" quadratic.
  size_t closers_from = 0;
  for (size_t i = 1; i < tokens.size(); ++i) {
    QUARRY_RETURN_IF_ERROR(ticker.Tick("sentence split"));
    const Token& t = tokens[i];
    {
      size_t q = i - 1;
      if (!(q > 0 && is_closer(q) && !tokens[q].Has(kSpaceBefore))) closers_from = q;
    }
    bool brk = false;
    if (t.Has(kBlankLineBefore)) {
      brk = true;
    } else if (t.Has(kNewlineBefore)) {
      switch (policy) {
        case TokenizerOptions::Newline::kAlways: brk = true; break;
        case TokenizerOptions::Newline::kHeading: brk = heading_break(i); break;
        default: break;
      }
    }
    if (!brk && !t.Has(kClitic)) {
      // Terminal punctuation, optionally followed by closing quotes/brackets, then a start.
      size_t p = closers_from;
      if (is_terminal(p) && p + 1 <= i) {
        std::string_view term = tok_text(p);
        // A lower-case start also opens a sentence in informal text ("... in town. i am"),
        // when a single terminal mark follows a lower-case word: abbreviations are already
        // merged with their period, and "Yahoo! and" or "\"Welcome!\" to" stay whole.
        bool lower_start = false;
        if (t.Has(kSpaceBefore) && tokens[i].kind == TokenKind::kWord && p > 0 &&
            term.size() == 1 && tokens[p - 1].kind == TokenKind::kWord) {
          std::string_view prev = tok_text(p - 1);
          std::string_view next = tok_text(i);
          lower_start = prev[0] >= 'a' && prev[0] <= 'z' && next[0] >= 'a' && next[0] <= 'z';
        }
        brk = starts_sentence(i) || lower_start;
        if (brk && i == p + 1 && !t.Has(kSpaceBefore) && tokens[i].kind != TokenKind::kWord)
          brk = false;  // "3.5", ".com" style joins
      } else if (tokens[p].Has(kAbbreviation) && p == i - 1) {
        std::string_view a = tok_text(p);
        std::string_view stem = a.substr(0, a.size() - 1);
        bool initial = stem.size() == 1;
        if (!initial && !InList(stem, kTitles) && InList(tok_text(i), kSentenceStarters)) {
          char c = tok_text(i)[0];
          brk = c >= 'A' && c <= 'Z';
        }
      }
    }
    if (brk) starts.push_back(static_cast<uint32_t>(i));
  }
  starts.push_back(static_cast<uint32_t>(tokens.size()));
  sentences.reserve(starts.size());
  for (size_t k = 0; k + 1 < starts.size(); ++k) {
    Sentence s;
    s.first_token = starts[k];
    s.end_token = starts[k + 1];
    s.span = {tokens[s.first_token].span.begin, tokens[s.end_token - 1].span.end};
    tokens[s.first_token].flags |= kSentenceStart;
    sentences.push_back(s);
  }
  return Status();
}

}  // namespace quarry::internal
