// fuzz/fuzz_pipeline.h: running one compiled stage over a fixed, tokenized document, for the
// fuzzers of data formats (a stage compiled from fuzzed data must annotate without harm).
#ifndef QUARRY_FUZZ_FUZZ_PIPELINE_H_
#define QUARRY_FUZZ_FUZZ_PIPELINE_H_

#include <memory>
#include <string>

#include "common/stage.h"
#include "common/utf8.h"
#include "fuzz_util.h"
#include "quarry/annotation.h"
#include "quarry/document.h"
#include "quarry/json.h"
#include "tokenize/tokenizer.h"

namespace quarry::fuzz {

// Text with the names, dates and phrasing the shipped data is about, so that fuzzed data derived
// from the seeds still matches something.
inline const Document& SampleDocument() {
  static const Document* doc = [] {
    auto d = Document::FromBytes(
        "On 3 March 2015 Iran's envoy met Mullah Omar and the Taliban in Kabul, Afghanistan. "
        "Al-Qaeda leader Osama bin Laden was killed in Abbottabad in May 2011; two years later "
        "the Islamic Revolutionary Guard Corps (IRGC) said last week that the U.S. and Pakistan "
        "had talks in the 1990s, at 10:30 p.m. on Tuesday, for three months.\n",
        "sample");
    FUZZ_CHECK(d.has_value());
    return new Document(std::move(*d));
  }();
  return *doc;
}

// Tokenizes the sample document, runs `stages` in order, and checks what they added: spans
// inside the text on character boundaries, token ranges consistent, arguments pointing at
// existing annotations, and JSON output that is well formed. With `text_data` (stages compiled
// from source text, which is checked UTF-8), types, features and the JSON are valid UTF-8 too; a
// saved binary form is adopted without per-string checks, so a corrupt one with a valid checksum
// may carry bad bytes into features, and only memory safety is required of it.
inline void RunStagesOnSample(const std::vector<const internal::Stage*>& stages,
                              bool text_data = true) {
  static const internal::Tokenizer* tok = internal::Tokenizer::Create({})->release();
  const Document& doc = SampleDocument();
  AnnotateOptions options;
  options.time_budget_seconds = 5;
  internal::RunContext ctx{doc, options, "2016-01-01"};
  AnnotationSet set;
  FUZZ_CHECK(tok->Run(ctx, set).ok());
  for (const internal::Stage* s : stages) {
    Status st = s->Run(ctx, set);
    if (!st.ok()) {
      FUZZ_CHECK(st.code() == StatusCode::kResourceExhausted ||
                 st.code() == StatusCode::kDeadlineExceeded);
      return;
    }
  }
  const auto& anns = set.annotations();
  for (const Annotation& a : anns) {
    FUZZ_CHECK(a.span.begin <= a.span.end && a.span.end <= doc.size_utf8());
    FUZZ_CHECK(doc.IsBoundary(a.span.begin) && doc.IsBoundary(a.span.end));
    FUZZ_CHECK(a.first_token <= a.end_token && a.end_token <= set.tokens().size());
    for (const Argument& arg : a.args) FUZZ_CHECK(arg.target < anns.size());
    if (!text_data) continue;
    FUZZ_CHECK(internal::FindInvalidUtf8(a.type) == std::string::npos);
    for (const Feature& f : a.features) {
      if (const auto* sv = std::get_if<std::string>(&f.value)) {
        FUZZ_CHECK(internal::FindInvalidUtf8(*sv) == std::string::npos);
      }
    }
  }
  std::string json = ToJson(doc, set);
  FUZZ_CHECK(!json.empty() && json.front() == '{');
  if (text_data) FUZZ_CHECK(internal::FindInvalidUtf8(json) == std::string::npos);
}

}  // namespace quarry::fuzz

#endif  // QUARRY_FUZZ_FUZZ_PIPELINE_H_
