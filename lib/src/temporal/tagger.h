// temporal/tagger.h: the temporal tagger stage: grammar rules matched over tokens, values
// normalized in document order against the document date or the narrative anchor.
//
// Interface: CompileTemporalStage(grammars) for the pipeline; TemporalTagger::Create for tools
// and tests that also want Tag() on loose text and CheckExamples() (`quarry timex test`).
#ifndef QUARRY_TEMPORAL_TAGGER_H_
#define QUARRY_TEMPORAL_TAGGER_H_

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/source.h"
#include "common/stage.h"
#include "temporal/grammar.h"
#include "tokenize/tokenizer.h"

namespace quarry::internal {

// How relative expressions find their reference date (quarry::TemporalMode, options.h).
using TemporalMode = quarry::TemporalMode;

struct ExampleReport {
  size_t examples = 0;
  size_t failed = 0;
  std::vector<Diagnostic> failures;  // file:line of the example, what was expected and found
};

class TemporalTagger final : public Stage {
 public:
  // `grammars` empty: the grammar built into the library.
  // `tokenizer`: the options of the pipeline's tokenizer, so that the grammar's words are split
  // as the text is (with split_clitics off, "Year's" is one token in both).
  static Result<std::unique_ptr<TemporalTagger>> Create(const std::vector<SourceFile>& grammars,
                                                        TemporalMode mode = TemporalMode::kAuto,
                                                        const TokenizerOptions& tokenizer = {});

  std::string_view name() const override { return "temporal"; }
  Status Run(const RunContext& ctx, AnnotationSet& set) const override;

  // Adds timex annotations to a tokenized set of `text`. A rule matching more than
  // `max_matches_per_rule` times (0: no limit) fails the document with kResourceExhausted.
  // With `ctx`, the time budget is checked between sentences (kDeadlineExceeded).
  Status Tag(std::string_view text, std::string_view dct, AnnotationSet& set,
             uint32_t max_matches_per_rule = 0, const RunContext* ctx = nullptr) const;
  // Tokenizes and tags loose text (examples, tests).
  Result<AnnotationSet> TagText(std::string_view text, std::string_view dct = {}) const;

  // Runs every rule's inline examples.
  ExampleReport CheckExamples() const;

  const Grammar& grammar() const { return grammar_; }

 private:
  TemporalTagger() = default;
  void Index();

  Grammar grammar_;
  std::unique_ptr<Tokenizer> tokenizer_;
  TemporalMode mode_ = TemporalMode::kAuto;
  // Candidate rules by the case-folded first token; rules that may start on any number token;
  // rules that may start anywhere. Each list is in rule order.
  // Per word: the rules that may start with it and its trigger mask (one lookup per token).
  struct WordInfo {
    std::vector<uint32_t> rules;
    uint64_t mask = 0;
    // Union of the trigger bits of `rules`, and whether every rule has a trigger within the
    // quick window: then a token whose window lacks all of them is skipped at once.
    uint64_t rules_bits = 0;
    bool quick = true;
  };
  StringMap<WordInfo> words_;
  std::vector<uint32_t> on_number_;
  std::vector<uint32_t> on_any_;
  // Prefilter: every rule needs some token of its "trigger" set (its most selective required
  // element) within `window` tokens of its start. Tokens map to a 64-bit mask of the trigger
  // sets they belong to; a rule is tried only when its bit is present in the window.
  uint64_t trigger_number_ = 0;     // bits of trigger sets that number-like tokens satisfy
  std::vector<uint64_t> rule_bit_;  // 0: no trigger (always tried)
  std::vector<uint8_t> rule_window_;
};

// The pipeline's entry point.
Result<std::unique_ptr<Stage>> CompileTemporalStage(const std::vector<SourceFile>& grammars,
                                                    const TokenizerOptions& tokenizer = {});

}  // namespace quarry::internal

#endif  // QUARRY_TEMPORAL_TAGGER_H_
