// tokenize/tokenizer.h: ICU word breaking over UTF-8 with English exceptions, and a rule-based
// sentence splitter over the resulting tokens.
//
// Interface: Tokenizer::Create(options) -> an immutable, thread-safe Stage whose Run fills
// AnnotationSet::tokens() and sentences(). The conventions are documented in docs/tokens.md.
#ifndef QUARRY_TOKENIZE_TOKENIZER_H_
#define QUARRY_TOKENIZE_TOKENIZER_H_

#include <memory>
#include <mutex>
#include <string_view>
#include <vector>

#include "common/stage.h"
#include "quarry/options.h"

#include <unicode/brkiter.h>

namespace quarry::internal {

class Tokenizer final : public Stage {
 public:
  static Result<std::unique_ptr<Tokenizer>> Create(const TokenizerOptions& options);
  ~Tokenizer() override;

  std::string_view name() const override { return "tokenize"; }
  Status Run(const RunContext& ctx, AnnotationSet& set) const override;

  // Tokenizes and sentence-splits `text` into `set` (which should be empty). With a context, the
  // time budget is checked inside the loops (kDeadlineExceeded).
  Status Tokenize(std::string_view text, AnnotationSet& set,
                  const RunContext* ctx = nullptr) const;

 private:
  explicit Tokenizer(const TokenizerOptions& options) : options_(options) {}
  std::unique_ptr<icu::BreakIterator> NewIterator() const;
  Status SplitSentences(std::string_view text, AnnotationSet& set, const RunContext* ctx) const;
  // UAX #29 word segments of `text` that are not white space, with white space folded into
  // flags (kSpaceBefore, kNewlineBefore). Public for the differential test against ICU.
 public:
  struct Segment {
    uint32_t begin;
    uint32_t end;
    int32_t status;  // ICU rule status: <100 none, <200 number, <300 letter, else kana/ideo
    uint8_t flags;
  };
  Status CollectSegments(std::string_view text, std::vector<Segment>& segs,
                         const RunContext* ctx = nullptr) const;

 private:

  TokenizerOptions options_;
  std::unique_ptr<icu::BreakIterator> prototype_;
  // Guards cloning of prototype_ (ICU iterators are not safe to clone concurrently).
  mutable std::mutex clone_mu_;
};

// The case-folded form and the shape of one token's text (exposed for the rule engine's tests).
void FoldCase(std::string_view text, std::string& out);
void WordShape(std::string_view text, std::string& out);

// True for the bound prefixes the tokenizer keeps joined to a following lower-case word by
// their hyphen ("sub-inspector", "anti-government", "re-open"): data files whose phrases are
// split at hyphens use it to write the phrase the way the tokenizer cuts the text.
bool IsBoundHyphenPrefix(std::string_view word);

}  // namespace quarry::internal

#endif  // QUARRY_TOKENIZE_TOKENIZER_H_
