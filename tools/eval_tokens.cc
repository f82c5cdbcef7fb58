// tools/eval_tokens.cc: `quarry eval-tokens`: token, word and sentence F1 against CoNLL-U gold.
#include <boost/program_options.hpp>
#include <cstdio>
#include <iostream>

#include "command.h"
#include "common/binary.h"
#include "io/ud_eval.h"
#include "quarry/quarry.h"

namespace quarry::cli {
namespace {

namespace po = boost::program_options;

Result<std::vector<Span>> Tokens(const Pipeline& p, const Document& doc, bool sentences) {
  AnnotateOptions ao;
  ao.tokens_only = true;
  auto set = p.Annotate(doc, ao);
  if (!set) return set.error();
  std::vector<Span> out;
  if (sentences) {
    for (const auto& s : set->sentences()) out.push_back(s.span);
  } else {
    for (const auto& t : set->tokens()) out.push_back(t.span);
  }
  return out;
}

int Run(int argc, char** argv) {
  po::options_description desc(
      "usage: quarry eval-tokens [OPTIONS] GOLD.conllu\n\n"
      "Scores quarry's tokenizer and sentence splitter against a CoNLL-U treebank (e.g. UD\n"
      "English EWT) by character alignment: the raw text is rebuilt from the '# text' lines\n"
      "(sentences of a paragraph joined by a space, an empty line between paragraphs), tokenized,\n"
      "and spans are compared exactly. Reports tokens (surface, multiword tokens whole; clitics\n"
      "not split), words (syntactic words; quarry's default clitic splitting) and sentences.\n"
      "Prints one JSON object per measure.\n\noptions");
  std::string gold;
  double min_tokens = 0, min_sentences = 0, min_words = 0;
  size_t show_errors = 0;
  std::string errors_of = "words";
  desc.add_options()("help,h", "show this help")
      ("min-token-f1", po::value(&min_tokens), "exit 1 when token F1 (percent) is lower")
      ("min-word-f1", po::value(&min_words), "exit 1 when word F1 (percent) is lower")
      ("min-sentence-f1", po::value(&min_sentences), "exit 1 when sentence F1 is lower")
      ("errors", po::value(&show_errors), "print up to N disagreements (to stderr)")
      ("errors-of", po::value(&errors_of), "which measure --errors shows: tokens, words, sentences");
  po::variables_map vm;
  std::vector<std::string> golds;
  if (int code = ParseOptions(argc, argv, desc, &golds, vm); code >= 0) return code;
  if (golds.size() > 1) {
    std::cerr << "quarry eval-tokens: one GOLD.conllu only\n";
    return kExitUsage;
  }
  if (!golds.empty()) gold = golds[0];
  if (gold.empty()) {
    std::cerr << "quarry eval-tokens: no GOLD.conllu given\n";
    return kExitUsage;
  }
  auto data = internal::ReadFile(gold);
  if (!data) {
    std::cerr << "quarry eval-tokens: " << data.error().message() << "\n";
    return kExitFailed;
  }
  auto g = internal::ReadConllu(*data, gold);
  if (!g) {
    std::cerr << "quarry eval-tokens: " << g.error().message() << "\n";
    return kExitFailed;
  }
  auto doc = Document::FromBytes(g->text, gold);
  if (!doc) {
    std::cerr << "quarry eval-tokens: " << doc.error().message() << "\n";
    return kExitFailed;
  }
  PipelineOptions split, whole;
  split.temporal = whole.temporal = false;
  whole.tokenizer.split_clitics = false;
  auto p_split = Pipeline::Compile(split);
  auto p_whole = Pipeline::Compile(whole);
  if (!p_split || !p_whole) {
    std::cerr << "quarry eval-tokens: cannot build the tokenizer\n";
    return kExitFailed;
  }
  auto words = Tokens(*p_split, *doc, false);
  auto tokens = Tokens(*p_whole, *doc, false);
  auto sents = Tokens(*p_split, *doc, true);
  if (!words || !tokens || !sents) {
    std::cerr << "quarry eval-tokens: tokenization failed\n";
    return kExitFailed;
  }
  auto print = [&](const char* what, const internal::Prf& r) {
    std::printf(
        "{\"measure\":\"%s\",\"gold\":%zu,\"system\":%zu,\"correct\":%zu,\"precision\":%.2f,"
        "\"recall\":%.2f,\"f1\":%.2f}\n",
        what, r.gold, r.system, r.correct, 100 * r.precision(), 100 * r.recall(), 100 * r.f1());
  };
  internal::Prf rt = internal::ScoreSpans(g->tokens, *tokens);
  internal::Prf rw = internal::ScoreSpans(g->words, *words);
  internal::Prf rs = internal::ScoreSpans(g->sentences, *sents);
  print("tokens", rt);
  print("words", rw);
  print("sentences", rs);
  if (show_errors) {
    const std::vector<Span>& gs = errors_of == "tokens" ? g->tokens
                                  : errors_of == "sentences" ? g->sentences : g->words;
    const std::vector<Span>& ss = errors_of == "tokens" ? *tokens
                                  : errors_of == "sentences" ? *sents : *words;
    // Report each disagreement region: the gold and system spans between two shared boundaries.
    size_t i = 0, j = 0, shown = 0;
    const std::string& t = g->text;
    auto show = [&](const std::vector<Span>& v, size_t a, size_t b) {
      std::string out;
      for (size_t k = a; k < b; ++k) out += "[" + t.substr(v[k].begin, v[k].size()) + "]";
      return out;
    };
    while (i < gs.size() && j < ss.size() && shown < show_errors) {
      if (gs[i] == ss[j]) {
        ++i, ++j;
        continue;
      }
      size_t i0 = i, j0 = j;
      uint32_t end = std::max(gs[i].end, ss[j].end);
      while (true) {
        while (i < gs.size() && gs[i].begin < end) end = std::max(end, gs[i++].end);
        while (j < ss.size() && ss[j].begin < end) end = std::max(end, ss[j++].end);
        if ((i >= gs.size() || gs[i].begin >= end) && (j >= ss.size() || ss[j].begin >= end)) break;
      }
      std::cerr << "gold " << show(gs, i0, i) << "  system " << show(ss, j0, j) << "\n";
      ++shown;
    }
  }
  if (g->unaligned) std::fprintf(stderr, "warning: %zu gold forms not aligned\n", g->unaligned);
  bool fail = 100 * rt.f1() < min_tokens || 100 * rw.f1() < min_words ||
              100 * rs.f1() < min_sentences;
  if (fail) std::cerr << "quarry eval-tokens: below the required F1\n";
  return fail ? kExitFailed : kExitOk;
}

}  // namespace

QUARRY_COMMAND("eval-tokens", "score tokens and sentences against CoNLL-U gold (UD EWT)", Run);

}  // namespace quarry::cli
