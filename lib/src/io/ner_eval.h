// io/ner_eval.h: scoring named entities against an IOB2 file (Universal NER's CoNLL-like
// format) by exact character spans, per type PER, ORG and LOC.
//
//   Result<NerGold> g = ReadIob2(text, "en_ewt-ud-dev.iob2");
//   NerDocText d = BuildDocument(*g, doc_index);    // the document's sentences as one text
//   NerScore s;  s.Add(sentence, gold spans, system spans);   // then s.Format()
//
// Conventions (the same as tests/eval/uner_score.py, the reference for external predictions):
// a sentence belongs to the last "# newdoc id"; a document's half is "A" when its SHA-256
// (hex of the id's UTF-8) is even, else "B"; gold spans are BIO spans aligned to the "# text"
// line (tokens found left to right), in code points; a prediction is correct when its type and
// exact span equal a gold entity's; repeated predictions count once. quarry's types map PERSON
// -> PER, ORG -> ORG, GPE/LOC/FAC -> LOC; NORP, ACTOR and the rest are not scored.
#ifndef QUARRY_IO_NER_EVAL_H_
#define QUARRY_IO_NER_EVAL_H_

#include <map>
#include <string>
#include <vector>

#include "quarry/status.h"

namespace quarry::internal {

struct NerSpan {
  uint32_t begin = 0, end = 0;  // code points into the sentence text
  std::string type;             // PER, ORG, LOC
  bool operator<(const NerSpan& o) const {
    return std::tie(begin, end, type) < std::tie(o.begin, o.end, o.type);
  }
  bool operator==(const NerSpan& o) const {
    return begin == o.begin && end == o.end && type == o.type;
  }
};

struct NerSentence {
  std::string id;       // "# sent_id"
  std::string doc_id;   // the last "# newdoc id"
  std::string text;     // "# text"
  std::vector<NerSpan> gold;
};

struct NerGold {
  std::vector<NerSentence> sentences;
  std::vector<std::string> doc_ids;  // in order of first appearance
};

// Parses an IOB2 file; fails (kParseError, file:line) on malformed lines or tokens that cannot be
// aligned with the sentence text.
Result<NerGold> ReadIob2(const std::string& text, const std::string& name);

// "A" or "B" for a document id.
std::string NerHalf(const std::string& doc_id);

// quarry's entity type -> PER, ORG, LOC, or "" when not scored.
std::string NerType(std::string_view quarry_type);

struct NerCounts {
  uint64_t tp = 0, fp = 0, fn = 0;
  double P() const { return tp + fp ? double(tp) / double(tp + fp) : 0; }
  double R() const { return tp + fn ? double(tp) / double(tp + fn) : 0; }
  double F() const { return P() + R() > 0 ? 2 * P() * R() / (P() + R()) : 0; }
};

struct NerScore {
  std::map<std::string, NerCounts> by_type;  // "" = all types
  std::vector<std::string> diff;             // MISS / FALSE lines
  size_t sentences = 0, max_diff = 2000;
  // Adds one sentence: `system` need not be sorted or unique.
  void Add(const NerSentence& s, std::vector<NerSpan> system);
  std::string Format(bool with_diff) const;
  std::string Json() const;
};

}  // namespace quarry::internal

#endif  // QUARRY_IO_NER_EVAL_H_
