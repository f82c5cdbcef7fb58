// fuzz/tokenizer_fuzz.cc: the tokenizer and sentence splitter (all newline policies, with and
// without clitic splitting) and the JSON writer, on any text a Document accepts.
//
// Input: one option byte, then the document bytes. Checked: tokens are non-empty, ordered,
// disjoint, on character boundaries, and only white space lies between them (nothing is lost);
// (docs/tokens.md); their case-folded forms and shapes are valid UTF-8; sentences partition the tokens; the output
// is valid JSON; tokenizing twice gives the same result.
#include <unicode/uchar.h>

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "common/utf8.h"
#include "fuzz_util.h"
#include "quarry/json.h"
#include "tokenize/tokenizer.h"

namespace {

using quarry::internal::Tokenizer;

// White space as the tokenizer defines it: Unicode White_Space, plus the zero-width space and
// the zero-width no-break space (a BOM inside the text), which separate but are not tokens.
bool IsSpace(char32_t c) { return u_isUWhiteSpace(c) || c == 0x200B || c == 0xFEFF; }

const Tokenizer& Get(uint8_t option) {
  static std::unique_ptr<Tokenizer> tokenizers[8];
  option &= 7;
  if (!tokenizers[option]) {
    quarry::TokenizerOptions o;
    o.newline = static_cast<quarry::TokenizerOptions::Newline>(option & 3);
    o.split_clitics = (option & 4) == 0;
    auto t = Tokenizer::Create(o);
    FUZZ_CHECK(t.has_value());
    tokenizers[option] = std::move(*t);
  }
  return *tokenizers[option];
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const Tokenizer& tok = Get(data[0]);
  auto doc = quarry::Document::FromBytes(std::string(reinterpret_cast<const char*>(data) + 1,
                                                     size - 1), "fuzz");
  if (!doc) return 0;
  const std::string& text = doc->text();
  quarry::AnnotationSet set;
  FUZZ_CHECK(tok.Tokenize(text, set).ok());

  const auto& tokens = set.tokens();
  const std::string& arena = set.mutable_strings();
  uint32_t prev_end = 0;
  for (const quarry::Token& t : tokens) {
    FUZZ_CHECK(t.span.begin < t.span.end && t.span.end <= text.size());
    FUZZ_CHECK(t.span.begin >= prev_end);
    FUZZ_CHECK(doc->IsBoundary(t.span.begin) && doc->IsBoundary(t.span.end));
    // The gap holds white space only.
    std::string_view gap(text.data() + prev_end, t.span.begin - prev_end);
    for (size_t i = 0; i < gap.size();) {
      char32_t c = quarry::internal::DecodeAt(gap, i);
      FUZZ_CHECK(IsSpace(c));
    }
    FUZZ_CHECK(t.Has(quarry::kSpaceBefore) == !gap.empty() || &t == &tokens.front());
    FUZZ_CHECK(uint64_t{t.lower_offset} + t.lower_size + t.shape_size <= arena.size());
    FUZZ_CHECK(quarry::internal::FindInvalidUtf8(set.Lower(t)) == std::string::npos);
    FUZZ_CHECK(quarry::internal::FindInvalidUtf8(set.Shape(t)) == std::string::npos);
    FUZZ_CHECK(!set.Lower(t).empty() && !set.Shape(t).empty());
    prev_end = t.span.end;
  }
  {
    std::string_view tail(text.data() + prev_end, text.size() - prev_end);
    for (size_t i = 0; i < tail.size();) {
      char32_t c = quarry::internal::DecodeAt(tail, i);
      FUZZ_CHECK(IsSpace(c));
    }
  }
  const auto& sentences = set.sentences();
  FUZZ_CHECK(tokens.empty() == sentences.empty());
  uint32_t next = 0;
  for (const quarry::Sentence& s : sentences) {
    FUZZ_CHECK(s.first_token == next && s.end_token > s.first_token);
    FUZZ_CHECK(s.end_token <= tokens.size());
    FUZZ_CHECK(s.span.begin == tokens[s.first_token].span.begin);
    FUZZ_CHECK(s.span.end == tokens[s.end_token - 1].span.end);
    FUZZ_CHECK(tokens[s.first_token].Has(quarry::kSentenceStart));
    next = s.end_token;
  }
  FUZZ_CHECK(next == tokens.size());

  // Deterministic, and the JSON output parses.
  quarry::AnnotationSet again;
  FUZZ_CHECK(tok.Tokenize(text, again).ok());
  FUZZ_CHECK(again.tokens().size() == tokens.size());
  for (size_t i = 0; i < tokens.size(); ++i) {
    FUZZ_CHECK(again.tokens()[i].span == tokens[i].span);
    FUZZ_CHECK(again.tokens()[i].flags == tokens[i].flags);
    FUZZ_CHECK(again.Lower(again.tokens()[i]) == set.Lower(tokens[i]));
  }
  quarry::JsonOptions jo;
  jo.unit = static_cast<quarry::OffsetUnit>((data[0] >> 3) % 3);
  std::string json = quarry::ToJson(*doc, set, jo);
  auto parsed = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  FUZZ_CHECK(!parsed.is_discarded());
  const auto& utf8 = parsed["tokens"]["utf8"];
  FUZZ_CHECK(utf8.size() == tokens.size());
  for (size_t i = 0; i < tokens.size(); ++i) {
    FUZZ_CHECK(utf8[i][0].get<uint32_t>() == tokens[i].span.begin);
    FUZZ_CHECK(utf8[i][1].get<uint32_t>() == tokens[i].span.end);
  }
  return 0;
}
