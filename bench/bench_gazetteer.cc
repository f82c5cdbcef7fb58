// bench/bench_gazetteer.cc: builds a gazetteer of >= 1,000,000 entries (GeoNames city names and
// generated variants, plus the shipped gazetteers), then reports, one JSON object per line:
// build time and peak RSS, compiled size, load time of the saved form, and matching throughput
// on the seed commentary replicated to >= 10 MB, beside a naive baseline (a hash lookup of every
// n-gram of token keys) in the same run.
//
//   ./build/bench/bench_gazetteer [MB=10] [ENTRIES=1000000]
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

#include "bench_common.h"
#include "common/binary.h"
#include "common/source.h"
#include "gazetteer/compiled.h"
#include "gazetteer/format.h"
#include "gazetteer/normalize.h"
#include "gazetteer/stage.h"
#include "tokenize/tokenizer.h"

using namespace quarry;
using namespace quarry::internal;
using quarry::bench::CpuNow;
namespace bench = quarry::bench;
using Clock = std::chrono::steady_clock;

namespace {

double Secs(Clock::time_point a) { return std::chrono::duration<double>(Clock::now() - a).count(); }

std::vector<std::string> CityNames() {
  std::vector<std::string> out;
  std::ifstream in(std::string(QUARRY_SOURCE_DIR) +
                   "/../shared/data/geonames/cities15000_libgeonames-0.3.0.tsv");
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    std::stringstream ss(line);
    std::string id, name;
    std::getline(ss, id, '\t');
    std::getline(ss, name, '\t');
    if (!name.empty()) out.push_back(name);
  }
  if (out.empty()) {  // no shared data: synthetic names
    for (int i = 0; i < 24000; ++i) out.push_back("Town" + std::to_string(i) + " Abad");
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  size_t target_mb = argc > 1 ? std::stoul(argv[1]) : 10;
  size_t target_entries = argc > 2 ? std::stoul(argv[2]) : 1000000;
  const char* kDesignators[] = {
      "District", "Province",   "Airport",        "Air Base",    "Dam",       "University",
      "Bazaar",   "Hospital",   "Police Station", "Mosque",      "Prison",    "Valley",
      "River",    "Bridge",     "Gate",           "Square",      "Stadium",   "Barracks",
      "Camp",     "Checkpoint", "Market",         "Council",     "Shura",     "Front",
      "Brigade",  "Battalion",  "Movement",       "Party",       "Division",  "Corps",
      "Command",  "Agency",     "Ministry",       "Directorate", "Office",    "Governorate",
      "Canal",    "Pass",       "Highway",        "Port",        "Refinery",  "Mine",
      "Garrison", "Crossing",   "Station",        "Academy",     "Institute", "Court",
      "Tribunal"};
  std::vector<std::string> cities = CityNames();

  // 1. Entries: the shipped gazetteers, then city x designator with a hyphenated variant.
  GazetteerData data;
  auto shipped = LoadSources({std::string(QUARRY_SOURCE_DIR) + "/gazetteers"}, {".gaz"});
  if (shipped) {
    std::vector<Diagnostic> diags;
    for (const auto& s : *shipped) ParseGazetteerSource(s, 100, data, diags);
  }
  data.files.push_back("generated");
  uint32_t gen = static_cast<uint32_t>(data.files.size() - 1);
  size_t n = 0;
  for (size_t d = 0; data.entries.size() < target_entries; ++d) {
    for (const std::string& c : cities) {
      if (data.entries.size() >= target_entries) break;
      GazEntry e;
      e.id = "g" + std::to_string(n++);
      e.type = "FAC";
      std::string designator = kDesignators[d % std::size(kDesignators)];
      std::string round =
          d >= std::size(kDesignators) ? " " + std::to_string(d / std::size(kDesignators)) : "";
      e.name = c + " " + designator + round;
      e.file = gen;
      e.aliases.push_back(GazAlias{e.name, false, gen, 1, 10});
      std::string variant = c + "-" + designator + round;  // hyphen variant, same key sequence
      e.aliases.push_back(GazAlias{"Greater " + e.name, false, gen, 1, 10});
      e.aliases.push_back(GazAlias{variant, false, gen, 1, 10});
      data.entries.push_back(std::move(e));
    }
  }
  for (const std::string& c : cities) {  // the bare names too, as cities
    GazEntry e;
    e.id = "c" + std::to_string(n++);
    e.type = "GPE";
    e.name = c;
    e.file = gen;
    e.aliases.push_back(GazAlias{c, false, gen, 1, 10});
    data.entries.push_back(std::move(e));
  }
  double rss_before = bench::PeakRssMiB();
  auto t0 = Clock::now();
  CompiledGazetteer::Stats stats;
  auto g = CompiledGazetteer::Build(data, &stats);
  double build_s = Secs(t0);
  if (!g) {
    std::fprintf(stderr, "build failed: %s\n", g.error().ToString().c_str());
    return 1;
  }
  double rss_build = bench::PeakRssMiB();
  std::printf(
      "{\"bench\":\"gazetteer_build\",\"entries\":%llu,\"aliases\":%llu,\"keys\":%llu,"
      "\"token_forms\":%llu,\"nodes\":%llu,\"build_s\":%.3f,\"peak_rss_mb\":%.1f,"
      "\"rss_before_build_mb\":%.1f,\"compiled_bytes\":%llu}\n",
      (unsigned long long)stats.entries, (unsigned long long)stats.aliases,
      (unsigned long long)stats.keys, (unsigned long long)stats.vocabulary,
      (unsigned long long)stats.nodes, build_s, rss_build, rss_before,
      (unsigned long long)stats.bytes);

  // 2. Saved form: write, then time ReadFile + Load (best of 5; the file is in the page cache).
  std::string path = "/tmp/bench_gazetteer.gzc";
  if (!WriteFileAtomic(path, (*g)->Save()).ok()) return 1;
  double best_map = 1e9, best_read = 1e9;
  for (int i = 0; i < 5; ++i) {
    auto t = Clock::now();
    auto mapped = CompiledGazetteer::LoadFile(path);
    double s = Secs(t);
    if (!mapped) {
      std::fprintf(stderr, "load failed: %s\n", mapped.error().ToString().c_str());
      return 1;
    }
    best_map = std::min(best_map, s);
    t = Clock::now();
    auto bytes = ReadFile(path);
    auto loaded = CompiledGazetteer::Load(std::move(*bytes), path);
    s = Secs(t);
    if (!loaded) return 1;
    best_read = std::min(best_read, s);
  }
  std::printf(
      "{\"bench\":\"gazetteer_load\",\"compiled_bytes\":%llu,\"load_ms\":%.1f,"
      "\"how\":\"mmap + checksum + section bounds (LoadFile)\",\"read_then_load_ms\":%.1f,"
      "\"goal_ms\":100}\n",
      (unsigned long long)(*g)->size_bytes(), best_map * 1000, best_read * 1000);

  // 3. Matching: the seed commentary replicated to >= target_mb, tokenized once (not timed).
  auto seed = ReadFile(std::string(QUARRY_SOURCE_DIR) + "/corpus/nabil-iran-alqaeda-taliban.txt");
  if (!seed) return 1;
  std::string text;
  while (text.size() < target_mb * 1000000) text += *seed + "\n\n";
  auto doc = Document::FromBytes(text, "bench");
  auto tok = Tokenizer::Create(TokenizerOptions{});
  AnnotationSet set;
  AnnotateOptions ao;
  RunContext ctx{*doc, ao, ""};
  auto tt = Clock::now();
  if (!(*tok)->Run(ctx, set).ok()) return 1;
  double tok_s = Secs(tt);
  const auto& toks = set.tokens();
  double mb = text.size() / 1e6;

  // Automaton: token ids (normalization + vocabulary probe) + candidates + leftmost-longest.
  std::vector<uint32_t> ids;
  std::vector<CompiledGazetteer::Candidate> all, chosen, rest;
  double best_auto = 1e9, best_auto_cpu = 1e9;
  size_t found = 0;
  for (int rep = 0; rep < 5; ++rep) {
    auto t = Clock::now();
    double c0 = CpuNow();
    TokenIds(**g, *doc, set, ids);
    all.clear();
    chosen.clear();
    rest.clear();
    for (const Sentence& s : set.sentences()) {
      size_t before = all.size();
      (*g)->FindAll(
          ids.data() + s.first_token, s.end_token - s.first_token,
          [&](uint32_t i) { return doc->Slice(toks[s.first_token + i].span); }, all);
      for (size_t k = before; k < all.size(); ++k) {
        all[k].begin += s.first_token;
        all[k].end += s.first_token;
      }
    }
    CompiledGazetteer::Select(all, MatchSemantics::kLeftmostLongest, chosen, &rest);
    best_auto = std::min(best_auto, Secs(t));
    best_auto_cpu = std::min(best_auto_cpu, CpuNow() - c0);
    found = chosen.size();
  }
  // Baseline: every n-gram (n <= longest name) of normalized keys looked up in a hash map.
  std::unordered_map<std::string, uint32_t> naive;
  size_t max_len = 1;
  {
    std::string key, k;
    for (uint32_t e = 0; e < data.entries.size(); ++e) {
      for (const GazAlias& a : data.entries[e].aliases) {
        key.clear();
        size_t len = 0;
        for (auto t : SplitName(a.text)) {
          k.clear();
          AppendMatchKeyOfText(t, k);
          if (k.empty()) continue;
          if (!key.empty()) key.push_back(' ');
          key += k;
          ++len;
        }
        max_len = std::max(max_len, len);
        naive.emplace(key, e);
      }
    }
  }
  double best_naive = 1e9, best_naive_cpu = 1e9;
  size_t naive_found = 0;
  for (int rep = 0; rep < 3; ++rep) {
    auto t = Clock::now();
    double c0 = CpuNow();
    std::vector<std::string> keys(toks.size());
    std::vector<bool> joiner(toks.size());
    for (size_t i = 0; i < toks.size(); ++i) {
      joiner[i] = toks[i].kind == TokenKind::kPunctuation && IsJoiner(doc->Slice(toks[i].span));
      AppendMatchKey(set.Lower(toks[i]), keys[i]);
    }
    size_t hits = 0;
    std::string gram;
    for (const Sentence& s : set.sentences()) {
      for (uint32_t i = s.first_token; i < s.end_token; ++i) {
        if (joiner[i]) continue;
        gram.clear();
        size_t len = 0;
        for (uint32_t j = i; j < s.end_token && len < max_len; ++j) {
          if (joiner[j]) continue;
          if (!gram.empty()) gram.push_back(' ');
          gram += keys[j];
          ++len;
          if (naive.count(gram)) ++hits;
        }
      }
    }
    best_naive = std::min(best_naive, Secs(t));
    best_naive_cpu = std::min(best_naive_cpu, CpuNow() - c0);
    naive_found = hits;
  }
  std::printf(
      "{\"bench\":\"gazetteer_match\",\"entries\":%llu,\"mb\":%.2f,\"tokens\":%zu,"
      "\"mb_per_s\":%.1f,\"tokens_per_s\":%.0f,\"candidates\":%zu,\"mentions\":%zu,"
      "\"baseline\":\"hash lookup of every n-gram (n<=%zu) of token keys\","
      "\"baseline_mb_per_s\":%.1f,\"baseline_hits\":%zu,\"ratio\":%.2f,"
      "\"tokenizer_mb_per_s\":%.1f,\"cpu_mb_per_s\":%.1f,\"baseline_cpu_mb_per_s\":%.1f,"
      "\"goal_mb_per_s\":50}\n",
      (unsigned long long)stats.entries, mb, toks.size(), mb / best_auto, toks.size() / best_auto,
      all.size(), found, max_len, mb / best_naive, naive_found, best_naive / best_auto, mb / tok_s,
      mb / best_auto_cpu, mb / best_naive_cpu);

  // 4. The whole tagger stage (annotations with features) for reference.
  {
    AnnotationSet s2 = set;
    auto stage = CreateGazetteerStage(*g, GazetteerOptions{});
    auto t = Clock::now();
    if (!stage->Run(ctx, s2).ok()) return 1;
    double st = Secs(t);
    std::printf(
        "{\"bench\":\"gazetteer_stage\",\"mb\":%.2f,\"mb_per_s\":%.1f,\"annotations\":%zu,"
        "\"baseline\":\"tokenizer\",\"baseline_mb_per_s\":%.1f,\"ratio\":%.2f}\n",
        mb, mb / st, s2.annotations().size(), mb / tok_s, tok_s / st);
  }
  std::remove(path.c_str());
  return 0;
}
