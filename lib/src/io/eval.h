// io/eval.h: scoring one stand-off annotation set against another, layer by layer.
//
//   Result<StandoffDoc> gold = ReadStandoff(text, "gold.json");
//   EvalReport r;  Score(*gold, *system, options, r);   // accumulate over documents
//   std::cout << FormatReport(r, options);
//
// Any layer present in the gold (entities, timexes, events, relations, other) is scored per
// type, and the system's annotations that name their rule in "prov" per rule (precision): precision, recall and F1 with exact span matching (same span, same type) and overlap
// matching (overlapping spans, same type, one-to-one). Among exact matches, each compared
// feature (default: entity, value) present in the gold is checked: its accuracy is reported and
// "strict" P/R/F1 counts a match only when these features agree too. Arguments are features
// "arg.ROLE" holding the argument's text ("arg.subject", "arg.target"); an argument agrees when
// one text contains the other, case and a leading "the" aside ("the Taliban" and "Taliban").
#ifndef QUARRY_IO_EVAL_H_
#define QUARRY_IO_EVAL_H_

#include <map>
#include <string>
#include <vector>

#include "quarry/status.h"

namespace quarry::internal {

struct StandoffItem {
  std::string type;
  uint64_t begin = 0, end = 0;
  std::string text;
  std::map<std::string, std::string> features;  // scalar features as strings
  std::string rule;  // the producing rule, "name (file:line)", when "prov" names one
};

struct StandoffDoc {
  std::string id;
  std::string sha256;
  bool utf8 = false;  // spans are UTF-8 bytes (else the file's "span" unit)
  std::string unit;
  std::map<std::string, std::vector<StandoffItem>> layers;
};

// Parses quarry stand-off JSON (schema quarry.standoff/1). Errors name the file and the item.
Result<StandoffDoc> ReadStandoff(const std::string& json, const std::string& name);

struct Counts {
  uint64_t tp = 0, fp = 0, fn = 0;
  double P() const { return tp + fp ? double(tp) / double(tp + fp) : 0; }
  double R() const { return tp + fn ? double(tp) / double(tp + fn) : 0; }
  double F() const { return P() + R() > 0 ? 2 * P() * R() / (P() + R()) : 0; }
};

struct LayerScore {
  std::map<std::string, Counts> exact, overlap, strict;          // by type; "" = all types
  std::map<std::string, std::pair<uint64_t, uint64_t>> feature;  // name -> (agree, compared)
  std::vector<std::string> diff;                                 // readable lines
  // System annotations by producing rule (RuleName (file:line)): tp = exact matches (span and
  // type), fp = the others; fn is not attributable to a rule and stays 0.
  std::map<std::string, Counts> by_rule;
};

struct EvalOptions {
  std::vector<std::string> features = {"entity", "value"};
  size_t max_diff = 1000;
  // When not empty, only annotations of these types are scored (gold and system alike): a gold
  // file that annotates some types of a layer is scored on those.
  std::vector<std::string> types;
  // System annotations count only when they have these feature values ("modality" ->
  // "realised"): a gold file of realised events is scored against realised events.
  std::vector<std::pair<std::string, std::string>> where;
};

struct EvalReport {
  std::map<std::string, LayerScore> layers;
  size_t documents = 0;
};

// Adds the comparison of one document pair to `report`. Fails when the documents differ
// (sha256) or their span units cannot be compared.
Status Score(const StandoffDoc& gold, const StandoffDoc& system, const EvalOptions& options,
             EvalReport& report);

// A readable table plus the diff.
std::string FormatReport(const EvalReport& report, bool with_diff);
// The same as JSON.
std::string ReportJson(const EvalReport& report);

}  // namespace quarry::internal

#endif  // QUARRY_IO_EVAL_H_
