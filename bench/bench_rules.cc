// bench/bench_rules.cc: rule engine throughput, memory and growth (JSON lines on stdout).
//
//   bench_rules [CORPUS_FILE] [MIN_MB]
//
// 1. Throughput: 1,000 generated rules (word, lemma, set, regex, gap, lookaround and annotation
//    patterns drawn from the corpus vocabulary) over the seed corpus replicated to >= MIN_MB
//    (default 10), tokenized once beforehand; only the rule stage is timed (the best of five
//    runs). The baseline is the same run with the first 10 of those rules, so `ratio` shows
//    what 990 more rules cost.
// 2. Growth: adversarial patterns (chains of []* gaps and optional elements) over one long
//    sentence of N and 2N tokens; `ratio` is time(2N) / time(N), about 2 when matching is linear
//    (a backtracking matcher is polynomial of high degree on these).
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "bench_common.h"
#include "quarry/document.h"
#include "rules/compiler.h"
#include "rules/program.h"
#include "tokenize/tokenizer.h"

using namespace quarry;
using namespace quarry::internal;

namespace {

double Now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// `absent_share`: the fraction of literals drawn from words that do not occur in the corpus
// (most rules of a large rule set do not fire on a given document).
std::string GenerateRules(const std::vector<std::string>& vocab, int n, unsigned seed,
                          double absent_share = 0) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> u(0, 1);
  auto w = [&] {
    if (absent_share > 0 && u(rng) < absent_share) return "\"zq" + vocab[rng() % vocab.size()] + "\"";
    return "\"" + vocab[rng() % vocab.size()] + "\"";
  };
  std::ostringstream out;
  out << "type HIT: other (n);\n"
         "phase p { input entity, other; output HIT; policy all; }\n"
         "words common = {the, of, and, in, to};\n";
  for (int i = 0; i < n; ++i) {
    out << "rule r" << i << " { phase p; match ";
    switch (i % 8) {
      case 0: out << "[lower == " << w() << "] [lower == " << w() << "]?"; break;
      case 1: out << "[lemma == " << w() << "] []{0,4}? [lower in {" << w() << ", " << w() << "}]"; break;
      case 2: out << "[lower == " << w() << "] ([kind == word] | [kind == punct])+? [lower == " << w() << "]"; break;
      case 3: out << "(?<! [lower == the]) [lower == " << w() << "] [shape == Xxxxx]"; break;
      case 4: out << "[lower == " << w() << "] [text =~ /[A-Z][a-z]+/]"; break;
      case 5: out << "[lower in {" << w() << ", " << w() << ", " << w() << "}] [lower in common] []"; break;
      case 6: out << "a:@ENT [lower == " << w() << "]"; break;
      default: out << "[lower == " << w() << "] []* [lower == " << w() << "] $"; break;
    }
    out << "; emit HIT { n = " << i << " }; }\n";
  }
  return out.str();
}

struct Prepared {
  Document doc;
  AnnotationSet set;
};

Prepared Prepare(const Tokenizer& tok, std::string text) {
  auto doc = Document::FromBytes(std::move(text), "bench");
  if (!doc) {
    std::cerr << doc.error().ToString() << "\n";
    std::exit(1);
  }
  AnnotationSet set;
  Status st = tok.Tokenize(doc->text(), set);
  if (!st.ok()) std::exit(1);
  return {std::move(*doc), std::move(set)};
}

// Seconds to apply `rs` to a copy of `p` (the copy is made outside the timing): the best wall
// time of `reps` runs, and in `cpu` the best thread CPU time.
double TimeApply(const rules::RuleSet& rs, const Prepared& p, size_t* outputs, int reps = 1,
                 double* cpu = nullptr) {
  double best = 1e30, best_cpu = 1e30;
  for (int r = 0; r < reps; ++r) {
    AnnotationSet set = p.set;
    size_t before = set.annotations().size();
    double t0 = Now(), c0 = bench::CpuNow();
    AnnotateOptions opts;
    opts.max_matches_per_rule = 0;  // the growth inputs have more matches than the default cap
    Status st = rs.Apply(p.doc, set, opts);
    double t = Now() - t0, c = bench::CpuNow() - c0;
    if (!st.ok()) {
      std::cerr << st.ToString() << "\n";
      std::exit(1);
    }
    if (outputs) *outputs = set.annotations().size() - before;
    best = std::min(best, t);
    best_cpu = std::min(best_cpu, c);
  }
  if (cpu) *cpu = best_cpu;
  return best;
}

std::shared_ptr<const rules::RuleSet> Compile(const std::string& src) {
  auto rs = rules::CompileRules({{"bench.qr", src}});
  if (!rs) {
    std::cerr << rs.error().ToString() << "\n";
    std::exit(1);
  }
  return *rs;
}

}  // namespace

int main(int argc, char** argv) {
  std::string corpus = argc > 1 ? argv[1] : QUARRY_SOURCE_DIR "/corpus/nabil-iran-alqaeda-taliban.txt";
  double min_mb = argc > 2 ? std::atof(argv[2]) : 10.0;
  std::ifstream in(corpus, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string seed = ss.str();
  if (seed.empty()) {
    std::cerr << "bench_rules: cannot read " << corpus << "\n";
    return 1;
  }
  auto tok = Tokenizer::Create(TokenizerOptions{});
  if (!tok) return 1;

  // Vocabulary of the corpus (lower-cased words), for realistic literals.
  Prepared small = Prepare(**tok, seed);
  std::set<std::string> vocab_set;
  for (const Token& t : small.set.tokens())
    if (t.kind == TokenKind::kWord) vocab_set.insert(std::string(small.set.Lower(t)));
  std::vector<std::string> vocab(vocab_set.begin(), vocab_set.end());

  // The corpus replicated to >= min_mb, with ENT annotations on capitalised words (a stand-in
  // for gazetteer entities, so annotation patterns have a lattice to run over).
  std::string big;
  while (big.size() < min_mb * 1e6) big += seed + "\n";
  double t0 = Now();
  Prepared p = Prepare(**tok, big);
  double tok_s = Now() - t0;
  for (const Token& t : p.set.tokens()) {
    if (t.kind == TokenKind::kWord && p.set.Shape(t).starts_with("Xx")) {
      Annotation a;
      a.layer = Layer::kOther;
      a.type = "ENT";
      a.span = t.span;
      p.set.Add(a);
    }
  }
  const std::string ent_decl = "type ENT: other;\n";
  auto rs1000 = Compile(ent_decl + GenerateRules(vocab, 1000, 42));
  std::string src10 = GenerateRules(vocab, 10, 42);
  auto rs10 = Compile(ent_decl + src10);
  size_t out1000 = 0, out10 = 0;
  if (getenv("QKIND")) {
    AnnotationSet set = p.set;
    rules::RuleStats st;
    AnnotateOptions o; o.max_matches_per_rule = 0;
    (void)rs1000->Apply(p.doc, set, o, &st);
    double sec[8] = {0}; uint64_t cand[8] = {0}, mat[8] = {0};
    for (int i = 0; i < 1000; ++i) { sec[i % 8] += st.seconds[i]; cand[i % 8] += st.candidates[i]; mat[i % 8] += st.matches[i]; }
    for (int k = 0; k < 8; ++k) printf("kind %d: %.3f s, %lu runs, %lu outputs, %.0f ns/run\n", k, sec[k], cand[k], mat[k], 1e9 * sec[k] / cand[k]);
    return 0;
  }
  double c10 = 0, c1000 = 0;
  double s10 = TimeApply(*rs10, p, &out10, 5, &c10);
  double s1000 = TimeApply(*rs1000, p, &out1000, 5, &c1000);
  double mb = big.size() / 1e6;
  std::printf(
      "{\"bench\":\"rules_1000\",\"mb\":%.2f,\"tokens\":%zu,\"sentences\":%zu,\"rules\":1000,"
      "\"outputs\":%zu,\"seconds\":%.3f,\"mb_per_s\":%.2f,\"baseline\":\"same corpus, 10 rules\","
      "\"baseline_mb_per_s\":%.2f,\"ratio\":%.3f,\"cpu_mb_per_s\":%.2f,\"baseline_cpu_mb_per_s\":%.2f,"
      "\"tokenize_mb_per_s\":%.2f,\"peak_rss_mb\":%.1f}\n",
      mb, p.set.tokens().size(), p.set.sentences().size(), out1000, s1000, mb / s1000, mb / s10,
      (mb / s1000) / (mb / s10), mb / c1000, mb / c10, mb / tok_s, bench::PeakRssMiB());
  std::fflush(stdout);

  // The same shapes where 90% of the literals are words absent from the corpus.
  auto sparse = Compile(ent_decl + GenerateRules(vocab, 1000, 42, 0.9));
  size_t out_sparse = 0;
  double c_sparse = 0;
  double s_sparse = TimeApply(*sparse, p, &out_sparse, 5, &c_sparse);
  std::printf(
      "{\"bench\":\"rules_1000_sparse\",\"mb\":%.2f,\"rules\":1000,\"outputs\":%zu,\"seconds\":%.3f,"
      "\"mb_per_s\":%.2f,\"baseline\":\"same corpus, 10 rules\",\"baseline_mb_per_s\":%.2f,"
      "\"ratio\":%.3f,\"cpu_mb_per_s\":%.2f,\"peak_rss_mb\":%.1f}\n",
      mb, out_sparse, s_sparse, mb / s_sparse, mb / s10, (mb / s_sparse) / (mb / s10),
      mb / c_sparse, bench::PeakRssMiB());
  std::fflush(stdout);

  // Growth on adversarial patterns over one long sentence.
  const char* adversarial[] = {
      "[lower == the] []* [lower == of] []* [lower == and] []* [lower == zzz]",
      "[lower == the] []? []? []? []? []? []? []? []? [lower == zzz]",
      "([]* [lower == the])+ [lower == zzz]",
      "[lower == the] ([]*? [lower == a])+? [lower == zzz]",
      "(?! [lower == zzz]) ([lower == the] | [])+ [lower == zzz]",
      // Many matches, each with a greedy optional tail that looks to the sentence end and falls
      // back: the restart after each match would rescan (quadratic without dead-thread pruning).
      "[lower == the] ([]* [lower == zzz])?",
  };
  std::vector<std::string> words = {"the", "a", "of", "and", "state", "the", "power"};
  // The sentence opens with "zzz" so that the rule index (which skips sentences lacking a
  // required word) lets every pattern run; no pattern can match "zzz" where it stands.
  auto sentence = [&](size_t n) {
    std::string s = "zzz ";
    for (size_t i = 0; i < n; ++i) s += (i ? " " : "") + words[i % words.size()];
    return s + "\n";
  };
  size_t n = std::getenv("QUARRY_BENCH_GROWTH_N") ? std::atol(std::getenv("QUARRY_BENCH_GROWTH_N")) : 200000;
  Prepared g1 = Prepare(**tok, sentence(n));
  Prepared g2 = Prepare(**tok, sentence(2 * n));
  for (const char* pat : adversarial) {
    auto rs = Compile(std::string("type O: other;\nrule r { match ") + pat + "; emit O; }\n");
    size_t o1 = 0, o2 = 0;
    double a = TimeApply(*rs, g1, &o1, 5);
    double b = TimeApply(*rs, g2, &o2, 5);
    std::string esc;
    for (const char* c = pat; *c; ++c) {
      if (*c == '"' || *c == '\\') esc += '\\';
      esc += *c;
    }
    std::printf(
        "{\"bench\":\"rules_growth\",\"pattern\":\"%s\",\"tokens\":%zu,\"seconds\":%.4f,"
        "\"mb_per_s\":%.2f,\"baseline\":\"same pattern, half the tokens\",\"baseline_seconds\":%.4f,"
        "\"baseline_mb_per_s\":%.2f,\"ratio\":%.3f,\"matches\":%zu}\n",
        esc.c_str(), 2 * n, b, g2.doc.text().size() / 1e6 / b, a, g1.doc.text().size() / 1e6 / a,
        b / a, o2);
    std::fflush(stdout);
  }
  return 0;
}
