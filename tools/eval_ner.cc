// tools/eval_ner.cc: `quarry eval-ner`: named-entity P/R/F1 against an IOB2 file (Universal NER).
#include <boost/program_options.hpp>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>

#include "command.h"
#include "common/binary.h"
#include "io/ner_eval.h"
#include "quarry/quarry.h"

namespace quarry::cli {
namespace {

namespace po = boost::program_options;

int Run(int argc, char** argv) {
  po::options_description desc(
      "usage: quarry eval-ner [OPTIONS] GOLD.iob2\n\n"
      "Scores named entities against an IOB2 file (Universal NER, e.g. UNER English-EWT) by exact\n"
      "character spans, per type PER, ORG, LOC and over all three. quarry's PERSON is PER, ORG\n"
      "is ORG, and GPE, LOC and FAC are LOC; other types (NORP, ACTOR, ...) are not scored.\n"
      "Each document (\"# newdoc id\") is annotated as one text, its sentences separated by empty\n"
      "lines, with the shipped gazetteers and rules (or -g/-r). Documents split into halves by\n"
      "the parity of the SHA-256 of their id (A even, B odd): tune on one, report the other.\n"
      "With --predictions, scores external predictions instead (JSONL: {\"sent_id\", \"entities\":\n"
      "[{\"start\", \"end\", \"type\"}]} in code points of the sentence text).\n\n"
      "Exit status: 0 ok; 1 overall F1 under --min-f1; 2 bad usage or unreadable files.\n\noptions");
  std::string half = "all", predictions;
  std::vector<std::string> gazetteers, rules, inputs;
  double min_f1 = -1;
  desc.add_options()("help,h", "show this help")("half", po::value(&half),
                                                 "A, B or all (default all)")(
      "gazetteers,g", po::value(&gazetteers)->composing(),
      "gazetteer file or folder (default: the shipped gazetteers/)")(
      "rules,r", po::value(&rules)->composing(), "rule folder or file (default: the shipped rules/)")(
      "no-rules", "run no rules")("predictions", po::value(&predictions),
                                  "score these predictions (JSONL) instead of running quarry")(
      "json", "print the scores as JSON")("no-diff", "leave out the list of misses and false hits")(
      "min-f1", po::value(&min_f1), "exit 1 when the overall F1 is below this");
  po::variables_map vm;
  if (int code = ParseOptions(argc, argv, desc, &inputs, vm); code >= 0) return code;
  if (inputs.size() != 1) {
    std::cerr << "quarry eval-ner: give one GOLD.iob2 (see --help)\n";
    return kExitUsage;
  }
  if (half != "A" && half != "B" && half != "all") {
    std::cerr << "quarry eval-ner: --half must be A, B or all\n";
    return kExitUsage;
  }
  auto text = internal::ReadFile(inputs[0]);
  if (!text) {
    std::cerr << "quarry eval-ner: " << text.error().message() << "\n";
    return kExitUsage;
  }
  auto gold = internal::ReadIob2(*text, inputs[0]);
  if (!gold) {
    std::cerr << "quarry eval-ner: " << gold.error().message() << "\n";
    return kExitUsage;
  }
  auto in_half = [&](const std::string& doc) { return half == "all" || internal::NerHalf(doc) == half; };
  internal::NerScore score;
  if (!predictions.empty()) {
    std::ifstream in(predictions);
    if (!in) {
      std::cerr << "quarry eval-ner: cannot open " << predictions << "\n";
      return kExitUsage;
    }
    std::map<std::string, std::vector<internal::NerSpan>> pred;
    std::string line;
    size_t n = 0;
    while (std::getline(in, line)) {
      ++n;
      if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
      try {
        auto j = nlohmann::json::parse(line);
        auto& v = pred[j.at("sent_id").get<std::string>()];
        for (const auto& e : j.at("entities"))
          v.push_back({e.at("start").get<uint32_t>(), e.at("end").get<uint32_t>(),
                       e.at("type").get<std::string>()});
      } catch (const std::exception& e) {
        std::cerr << "quarry eval-ner: " << predictions << ":" << n << ": " << e.what() << "\n";
        return kExitUsage;
      }
    }
    for (const auto& s : gold->sentences)
      if (in_half(s.doc_id)) score.Add(s, pred[s.id]);
  } else {
    PipelineOptions popts;
    if (std::string e = DefaultDataPath(gazetteers, "gazetteers"); !e.empty()) {
      std::cerr << "quarry eval-ner: " << e << "\n";
      return kExitUsage;
    }
    popts.gazetteers = gazetteers;
    if (!vm.count("no-rules")) {
      if (std::string e = DefaultDataPath(rules, "rules"); !e.empty()) {
        std::cerr << "quarry eval-ner: " << e << "\n";
        return kExitUsage;
      }
      popts.rules = rules;
    }
    auto pipeline = Pipeline::Compile(popts);
    if (!pipeline) {
      std::cerr << "quarry eval-ner: cannot compile the pipeline:\n" << pipeline.error().ToString() << "\n";
      return kExitUsage;
    }
    // Sentences by document, in file order.
    std::map<std::string, std::vector<const internal::NerSentence*>> by_doc;
    std::vector<std::string> order;
    for (const auto& s : gold->sentences) {
      if (!in_half(s.doc_id)) continue;
      if (!by_doc.count(s.doc_id)) order.push_back(s.doc_id);
      by_doc[s.doc_id].push_back(&s);
    }
    for (const std::string& id : order) {
      std::string doc_text;
      std::vector<uint32_t> starts;  // byte offsets of the sentences
      for (const auto* s : by_doc[id]) {
        if (!doc_text.empty()) doc_text += "\n\n";
        starts.push_back(static_cast<uint32_t>(doc_text.size()));
        doc_text += s->text;
      }
      auto doc = Document::FromBytes(doc_text, id);
      if (!doc) {
        std::cerr << "quarry eval-ner: " << doc.error().message() << "\n";
        return kExitUsage;
      }
      auto set = pipeline->Annotate(*doc);
      if (!set) {
        std::cerr << "quarry eval-ner: " << set.error().message() << "\n";
        return kExitFailed;
      }
      std::vector<std::vector<internal::NerSpan>> sys(starts.size());
      for (const Annotation& a : set->annotations()) {
        if (a.layer != Layer::kEntity) continue;
        std::string type = internal::NerType(a.type);
        if (type.empty()) continue;
        // The sentence holding the entity's start.
        size_t k = std::upper_bound(starts.begin(), starts.end(), a.span.begin) - starts.begin();
        if (k == 0) continue;
        --k;
        uint32_t sb = starts[k];
        uint32_t se = sb + static_cast<uint32_t>(by_doc[id][k]->text.size());
        if (a.span.end > se) continue;  // crosses a sentence: never gold
        uint32_t cp0 = doc->ToCodepoint(sb);
        sys[k].push_back({doc->ToCodepoint(a.span.begin) - cp0, doc->ToCodepoint(a.span.end) - cp0, type});
      }
      for (size_t k = 0; k < starts.size(); ++k) score.Add(*by_doc[id][k], std::move(sys[k]));
    }
  }
  std::cout << (vm.count("json") ? score.Json() : score.Format(vm.count("no-diff") == 0));
  auto all = score.by_type[""];
  if (min_f1 >= 0 && all.F() < min_f1) {
    std::cerr << "quarry eval-ner: overall F1 " << all.F() << " is under " << min_f1 << " (half "
              << half << ")\n";
    return kExitFailed;
  }
  return kExitOk;
}

}  // namespace

QUARRY_COMMAND("eval-ner", "score named entities against an IOB2 file (Universal NER)", Run);

}  // namespace quarry::cli
