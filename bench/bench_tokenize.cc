// bench/bench_tokenize.cc: tokenizer + sentence splitter throughput against bare ICU word break
// iteration over the same UTF-8 bytes, in the same run. Prints one JSON object per line.
//
//   build/bench/bench_tokenize [MIN_MB]   (default 10)
#include <unicode/brkiter.h>
#include <unicode/utext.h>

#include <memory>

#include "bench_common.h"
#include "quarry/annotation.h"
#include "tokenize/tokenizer.h"

int main(int argc, char** argv) {
  size_t min_mb = argc > 1 ? std::stoul(argv[1]) : 10;
  std::string text = quarry::bench::ReplicatedCorpus(min_mb << 20);
  double mb = text.size() / 1e6;
  const int kReps = 5;

  // Baseline: ICU word break over UTF-8 UText, visiting every boundary and its rule status.
  size_t icu_segments = 0;
  double icu_s = quarry::bench::BestSeconds(kReps, [&] {
    UErrorCode err = U_ZERO_ERROR;
    std::unique_ptr<icu::BreakIterator> it(
        icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), err));
    UText* ut = utext_openUTF8(nullptr, text.data(), static_cast<int64_t>(text.size()), &err);
    it->setText(ut, err);
    size_t n = 0;
    int64_t status_sum = 0;
    for (int32_t b = it->first(); b != icu::BreakIterator::DONE; b = it->next()) {
      status_sum += it->getRuleStatus();
      ++n;
    }
    utext_close(ut);
    icu_segments = n + (status_sum == -1);
  });

  auto tok = quarry::internal::Tokenizer::Create({});
  if (!tok) {
    std::fprintf(stderr, "%s\n", tok.error().ToString().c_str());
    return 1;
  }
  size_t tokens = 0, sentences = 0;
  double q_s = quarry::bench::BestSeconds(kReps, [&] {
    quarry::AnnotationSet set;
    auto st = (*tok)->Tokenize(text, set);
    if (!st.ok()) std::exit(1);
    tokens = set.tokens().size();
    sentences = set.sentences().size();
  });
  double q_mbs = mb / q_s, icu_mbs = mb / icu_s;
  std::printf(
      "{\"bench\":\"tokenize+sentences\",\"input_mb\":%.2f,\"mb_per_s\":%.2f,"
      "\"tokens_per_s\":%.0f,\"tokens\":%zu,\"sentences\":%zu,\"baseline\":\"icu_word_break_utf8\","
      "\"baseline_mb_per_s\":%.2f,\"baseline_segments\":%zu,\"ratio\":%.3f,\"peak_rss_mib\":%.1f}\n",
      mb, q_mbs, tokens / q_s, tokens, sentences, icu_mbs, icu_segments, q_mbs / icu_mbs,
      quarry::bench::PeakRssMiB());
  return 0;
}
