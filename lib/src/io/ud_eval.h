// io/ud_eval.h: scoring tokens and sentences against a CoNLL-U treebank by character alignment.
//
// ReadConllu parses gold sentences and rebuilds the raw text the way the treebank's .txt files
// are made (sentences of a paragraph joined by a space, an empty line between paragraphs). Gold
// spans come from locating each form in that text. ScoreSpans counts exact span matches, which
// is the CoNLL 2018 shared task's character-aligned measure for tokens, words and sentences.
#ifndef QUARRY_IO_UD_EVAL_H_
#define QUARRY_IO_UD_EVAL_H_

#include <string>
#include <vector>

#include "quarry/document.h"
#include "quarry/status.h"

namespace quarry::internal {

struct UdGold {
  std::string text;               // rebuilt raw text
  std::vector<Span> tokens;       // surface tokens (a multiword token is one)
  std::vector<Span> words;        // syntactic words ("don't" -> "do" "n't")
  std::vector<Span> sentences;
  size_t unaligned = 0;           // forms that could not be located (should be 0)
};

Result<UdGold> ReadConllu(const std::string& conllu, const std::string& name);

struct Prf {
  size_t gold = 0, system = 0, correct = 0;
  double precision() const { return system ? double(correct) / system : 0; }
  double recall() const { return gold ? double(correct) / gold : 0; }
  double f1() const {
    double p = precision(), r = recall();
    return p + r > 0 ? 2 * p * r / (p + r) : 0;
  }
};

// Both lists sorted by begin; counts exact matches.
Prf ScoreSpans(const std::vector<Span>& gold, const std::vector<Span>& system);

}  // namespace quarry::internal

#endif  // QUARRY_IO_UD_EVAL_H_
