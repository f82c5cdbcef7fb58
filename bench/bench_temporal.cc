// bench/bench_temporal.cc: temporal tagging throughput (one core) on the corpus replicated to at
// least 10 MB, against bare tokenization in the same run. Prints JSON lines.
//
// Documents keep their own size (the seed commentary is ~19 KB): the corpus is tokenized once
// per copy, then (1) the tokenizer alone and (2) the temporal stage alone over the tokenized
// copies are timed, best of three; (3) tokenize + tag is timed too.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "common/binary.h"
#include "temporal/tagger.h"
#include "tokenize/tokenizer.h"

namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

}  // namespace

int main(int argc, char** argv) {
  namespace fs = std::filesystem;
  using namespace quarry;
  using namespace quarry::internal;
  std::string dir = argc > 1 ? argv[1] : std::string(QUARRY_SOURCE_DIR) + "/corpus";
  std::vector<std::string> texts;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    if (e.path().extension() != ".txt") continue;
    auto t = ReadFile(e.path().string());
    if (t) texts.push_back(std::move(*t));
  }
  if (texts.empty()) {
    std::fprintf(stderr, "bench_temporal: no .txt files in %s\n", dir.c_str());
    return 1;
  }
  size_t unit = 0;
  for (const auto& t : texts) unit += t.size();
  const size_t target = 10u << 20;
  size_t copies = (target + unit - 1) / unit;
  std::vector<const std::string*> docs;
  for (size_t c = 0; c < copies; ++c)
    for (const auto& t : texts) docs.push_back(&t);
  double mb = static_cast<double>(unit * copies) / (1 << 20);

  TokenizerOptions topt;
  auto tok = Tokenizer::Create(topt);
  auto tagger = TemporalTagger::Create({});
  if (!tok || !tagger) {
    std::fprintf(stderr, "bench_temporal: %s\n",
                 (tok ? tagger.error() : tok.error()).ToString().c_str());
    return 1;
  }
  std::vector<AnnotationSet> sets(docs.size());
  double best_tok = 1e9, best_tag = 1e9, best_both = 1e9;
  size_t timexes = 0;
  for (int round = 0; round < 3; ++round) {
    auto t0 = Clock::now();
    for (size_t i = 0; i < docs.size(); ++i) {
      sets[i] = AnnotationSet();
      (void)(*tok)->Tokenize(*docs[i], sets[i]);
    }
    auto t1 = Clock::now();
    timexes = 0;
    for (size_t i = 0; i < docs.size(); ++i) {
      (void)(*tagger)->Tag(*docs[i], "", sets[i]);
      timexes += sets[i].annotations().size();
    }
    auto t2 = Clock::now();
    for (size_t i = 0; i < docs.size(); ++i) {
      AnnotationSet s;
      (void)(*tok)->Tokenize(*docs[i], s);
      (void)(*tagger)->Tag(*docs[i], "", s);
    }
    auto t3 = Clock::now();
    best_tok = std::min(best_tok, Seconds(t0, t1));
    best_tag = std::min(best_tag, Seconds(t1, t2));
    best_both = std::min(best_both, Seconds(t2, t3));
  }
  double tok_mbs = mb / best_tok, tag_mbs = mb / best_tag, both_mbs = mb / best_both;
  std::printf(
      "{\"bench\":\"temporal_tag\",\"mb\":%.2f,\"docs\":%zu,\"timexes\":%zu,\"rules\":%zu,"
      "\"seconds\":%.4f,\"mb_per_s\":%.1f,\"baseline\":\"tokenize\",\"baseline_mb_per_s\":%.1f,"
      "\"ratio\":%.3f}\n",
      mb, docs.size(), timexes, (*tagger)->grammar().rules.size(), best_tag, tag_mbs, tok_mbs,
      tag_mbs / tok_mbs);
  std::printf(
      "{\"bench\":\"tokenize_plus_temporal\",\"mb\":%.2f,\"seconds\":%.4f,\"mb_per_s\":%.1f,"
      "\"baseline\":\"tokenize\",\"baseline_mb_per_s\":%.1f,\"ratio\":%.3f}\n",
      mb, best_both, both_mbs, tok_mbs, both_mbs / tok_mbs);
  return 0;
}
