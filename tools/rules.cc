// tools/rules.cc: `quarry rules test|stats|compile` and `quarry explain`: the rule engine's
// tools. Earlier stages (tokenizer, gazetteers, temporal tagger) come from a Pipeline compiled
// without rules; the rule set is then applied with the internal API so that its examples,
// statistics and explanations can be reported.
#include <boost/program_options.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

#include "command.h"
#include "common/binary.h"
#include "common/source.h"
#include "quarry/quarry.h"
#include "rules/compiler.h"
#include "rules/rule_stage.h"

namespace quarry::cli {
namespace {

namespace fs = std::filesystem;
namespace po = boost::program_options;
using internal::rules::RuleSet;

struct Common {
  std::vector<std::string> inputs, gazetteers;
  bool no_gazetteers = false, no_temporal = false;
  bool strict = false;  // warnings of the rule compiler are errors
};

// Parses options; returns -1 to continue, else an exit code.
int ParseArgs(int argc, char** argv, const char* usage, po::options_description& extra, Common& c,
              po::variables_map& vm) {
  po::options_description desc(usage);
  desc.add_options()("help,h", "show this help")(
      "gazetteers,g", po::value(&c.gazetteers)->composing(),
      "gazetteer file or folder for the earlier stages (default: the shipped gazetteers/)")(
      "no-gazetteers", "do not run the gazetteer stage")("no-temporal", "do not run the temporal tagger")(
      "strict", "treat the rule compiler's warnings (a capture that can be unbound) as errors");
  desc.add(extra);
  if (int code = ParseOptions(argc, argv, desc, &c.inputs, vm); code >= 0) return code;
  c.no_gazetteers = vm.count("no-gazetteers") > 0;
  c.no_temporal = vm.count("no-temporal") > 0;
  c.strict = vm.count("strict") > 0;
  return -1;
}

// The pipeline of earlier stages (no rules), with the gazetteers `annotate` would load.
Result<Pipeline> EarlierStages(const Common& c) {
  PipelineOptions o;
  if (!c.no_gazetteers) {
    o.gazetteers = c.gazetteers;
    if (std::string e = DefaultDataPath(o.gazetteers, "gazetteers"); !e.empty())
      return Status(StatusCode::kInvalidArgument, e);
  }
  o.temporal = !c.no_temporal;
  return Pipeline::Compile(o);
}

// The rule set of `paths` (the shipped rules/ when empty; one .qrb file is a saved rule set), or
// null after printing why. The compiler's warnings are printed; with `strict` they fail it.
std::shared_ptr<const RuleSet> LoadRules(std::vector<std::string>& paths, bool strict) {
  if (std::string e = DefaultDataPath(paths, "rules"); !e.empty()) {
    std::cerr << e << "\n";
    return nullptr;
  }
  if (paths.empty()) {
    std::cerr << "no rule files given and no shipped rules/ folder found\n";
    return nullptr;
  }
  auto load = [&]() -> Result<std::shared_ptr<const RuleSet>> {
    if (paths.size() == 1 && paths[0].size() > 4 && paths[0].ends_with(".qrb"))
      return internal::rules::LoadRuleSet(paths[0]);
    auto src = internal::LoadSources(paths, {".qr"});
    if (!src) return src.error();
    return internal::rules::CompileRules(std::move(*src));
  };
  auto rs = load();
  if (!rs) {
    std::cerr << rs.error().ToString() << "\n";
    return nullptr;
  }
  for (const Diagnostic& d : (*rs)->warnings()) std::cerr << d.ToString() << "\n";
  if (strict && !(*rs)->warnings().empty()) {
    size_t n = (*rs)->warnings().size();
    std::cerr << n << (n == 1 ? " warning" : " warnings") << " in the rule files, errors under --strict\n";
    return nullptr;
  }
  return *rs;
}

int RulesTest(int argc, char** argv) {
  po::options_description extra;
  std::string only;
  extra.add_options()("rule", po::value(&only), "run only the examples of this rule")(
      "quiet,q", "print failures only, no summary");
  Common c;
  po::variables_map vm;
  int rc = ParseArgs(argc, argv,
                     "usage: quarry rules test [OPTIONS] PATH...\n\n"
                     "Runs the inline examples of rule files (PATH a .qr file or a folder of them;\n"
                     "default: the shipped rules/). Each `example` must produce its expected outputs\n"
                     "and each `counter` must produce nothing from its rule. Failures are reported\n"
                     "with the example's file:line and what the rule produced instead.\n\n"
                     "Exit status: 0 all examples pass; 1 some failed or the rules do not compile;\n"
                     "2 bad usage.\n\noptions",
                     extra, c, vm);
  if (rc >= 0) return rc;
  auto rs = LoadRules(c.inputs, c.strict);
  if (!rs) return kExitFailed;
  auto pipeline = EarlierStages(c);
  if (!pipeline) {
    std::cerr << "quarry rules test: cannot compile the earlier stages:\n" << pipeline.error().ToString() << "\n";
    return kExitUsage;
  }
  internal::rules::PrepareFn prepare = [&](const Document& doc) { return pipeline->Annotate(doc); };
  auto report = internal::rules::RunExamples(*rs, prepare, only);
  for (auto& f : report.failures)
    std::cout << f.where << ": rule '" << f.rule << "': " << f.message << "\n";
  if (!only.empty() && rs->FindRule(only) < 0) {
    std::cerr << "quarry rules test: no rule named '" << only << "'\n";
    return kExitUsage;
  }
  if (!vm.count("quiet"))
    std::cout << report.examples << " examples in " << rs->rules().size() << " rules: "
              << report.passed << " passed, " << report.failures.size() << " failed\n";
  return report.failures.empty() ? kExitOk : kExitFailed;
}

// The text files of INPUT files and folders (kTextExtensions), in order; an input that cannot be
// listed is reported and counted in `failed`, and the others are still returned.
std::vector<std::string> TextFiles(const std::vector<std::string>& inputs, int& failed) {
  std::vector<std::string> out;
  for (const std::string& in : inputs) {
    auto files = internal::ExpandPaths({in}, kTextExtensions);
    if (!files) {
      std::cerr << files.error().message() << "\n";
      ++failed;
      continue;
    }
    out.insert(out.end(), files->begin(), files->end());
  }
  return out;
}

int RulesStats(int argc, char** argv) {
  po::options_description extra;
  std::vector<std::string> rules;
  extra.add_options()("rules,r", po::value(&rules)->composing(), "rule file or folder (default: shipped rules/)")(
      "json", "one JSON object per rule instead of a table");
  Common c;
  po::variables_map vm;
  int rc = ParseArgs(argc, argv,
                     "usage: quarry rules stats [OPTIONS] INPUT...\n\n"
                     "Runs the rules over a corpus (INPUT text files or folders) and reports per rule:\n"
                     "annotations emitted, sentences in which it ran (index candidates), time spent\n"
                     "matching, and the rules that never fired.\n\noptions",
                     extra, c, vm);
  if (rc >= 0) return rc;
  auto rs = LoadRules(rules, c.strict);
  if (!rs) return kExitFailed;
  auto pipeline = EarlierStages(c);
  if (!pipeline) {
    std::cerr << pipeline.error().ToString() << "\n";
    return kExitUsage;
  }
  if (c.inputs.empty()) {
    std::cerr << "quarry rules stats: no INPUT given\n";
    return kExitUsage;
  }
  internal::rules::RuleStats stats;
  int failed = 0;
  uint64_t bytes = 0;
  auto t0 = std::chrono::steady_clock::now();
  for (auto& path : TextFiles(c.inputs, failed)) {
    auto doc = Document::FromFile(path, path);
    if (!doc) {
      std::cerr << doc.error().message() << "\n";
      ++failed;
      continue;
    }
    bytes += doc->text().size();
    auto set = pipeline->Annotate(*doc);
    if (!set) {
      std::cerr << path << ": " << set.error().message() << "\n";
      ++failed;
      continue;
    }
    Status st = rs->Apply(*doc, *set, AnnotateOptions{}, &stats);
    if (!st.ok()) {
      std::cerr << path << ": " << st.message() << "\n";
      ++failed;
    }
  }
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const auto& rl = rs->rules();
  stats.matches.resize(rl.size());
  stats.candidates.resize(rl.size());
  stats.seconds.resize(rl.size());
  std::vector<std::string> never;
  if (vm.count("json")) {
    for (size_t i = 0; i < rl.size(); ++i) {
      nlohmann::json j{{"rule", rl[i].name},          {"where", rl[i].where},
                       {"phase", rs->phases()[rl[i].phase].name},
                       {"matches", stats.matches[i]}, {"sentences_run", stats.candidates[i]},
                       {"seconds", stats.seconds[i]}};
      std::cout << j.dump() << "\n";
    }
  } else {
    std::printf("%-32s %-10s %9s %9s %10s  %s\n", "rule", "phase", "matches", "ran", "ms", "where");
    for (size_t i = 0; i < rl.size(); ++i) {
      std::printf("%-32s %-10s %9llu %9llu %10.3f  %s\n", rl[i].name.c_str(),
                  rs->phases()[rl[i].phase].name.c_str(),
                  static_cast<unsigned long long>(stats.matches[i]),
                  static_cast<unsigned long long>(stats.candidates[i]), stats.seconds[i] * 1e3,
                  rl[i].where.c_str());
    }
  }
  for (size_t i = 0; i < rl.size(); ++i)
    if (stats.matches[i] == 0) never.push_back(rl[i].name + " (" + rl[i].where + ")");
  std::cerr << "never fired: " << never.size() << " of " << rl.size() << " rules\n";
  for (auto& n : never) std::cerr << "  " << n << "\n";
  std::cerr << bytes << " bytes in " << secs << " s\n";
  return failed ? kExitFailed : kExitOk;
}

int RulesCompile(int argc, char** argv) {
  po::options_description extra;
  std::string out;
  extra.add_options()("output,o", po::value(&out), "where to save the compiled rule set (.qrb)");
  Common c;
  po::variables_map vm;
  int rc = ParseArgs(argc, argv,
                     "usage: quarry rules compile -o OUT.qrb PATH...\n\n"
                     "Checks rule files and reports every error (file:line:column). With -o, saves\n"
                     "the rule set to a versioned, checksummed file that the rules commands accept\n"
                     "in place of the sources.\n\noptions",
                     extra, c, vm);
  if (rc >= 0) return rc;
  auto rs = LoadRules(c.inputs, c.strict);
  if (!rs) return kExitFailed;
  size_t examples = 0;
  for (auto& r : rs->rules()) examples += r.examples.size();
  std::cerr << rs->rules().size() << " rules in " << rs->phases().size() << " phases, "
            << examples << " examples: ok\n";
  if (!out.empty()) {
    Status st = internal::rules::SaveRuleSet(*rs, out);
    if (!st.ok()) {
      std::cerr << st.message() << "\n";
      return kExitFailed;
    }
  }
  return kExitOk;
}

int Explain(int argc, char** argv) {
  po::options_description extra;
  std::vector<std::string> rules;
  std::string text, rule;
  extra.add_options()("rules,r", po::value(&rules)->composing(), "rule file or folder (default: shipped rules/)")(
      "text,t", po::value(&text), "the text to explain (instead of INPUT files)")(
      "rule", po::value(&rule), "explain how far this rule got in each sentence");
  Common c;
  po::variables_map vm;
  int rc = ParseArgs(argc, argv,
                     "usage: quarry explain [OPTIONS] (--text TEXT | INPUT...)\n\n"
                     "Shows, sentence by sentence, which rules fired (with phase and file:line) and\n"
                     "what they produced. With --rule NAME, also how far that rule's pattern got\n"
                     "and which element failed on which token.\n\noptions",
                     extra, c, vm);
  if (rc >= 0) return rc;
  auto rs = LoadRules(rules, c.strict);
  if (!rs) return kExitFailed;
  int32_t rule_index = -1;
  if (!rule.empty() && (rule_index = rs->FindRule(rule)) < 0) {
    std::cerr << "quarry explain: no rule named '" << rule << "'\n";
    return kExitUsage;
  }
  auto pipeline = EarlierStages(c);
  if (!pipeline) {
    std::cerr << pipeline.error().ToString() << "\n";
    return kExitUsage;
  }
  std::vector<std::pair<std::string, std::string>> docs;  // id, text
  if (!text.empty()) docs.emplace_back("text", text);
  int unreadable = 0;
  for (auto& p : TextFiles(c.inputs, unreadable)) {
    auto content = internal::ReadFile(p);
    if (!content) {
      std::cerr << content.error().message() << "\n";
      return kExitFailed;
    }
    docs.emplace_back(p, *content);
  }
  if (unreadable) return kExitFailed;
  if (docs.empty()) {
    std::cerr << "quarry explain: give --text or INPUT files\n";
    return kExitUsage;
  }
  const RuleSet& r = *rs;
  for (auto& [id, body] : docs) {
    auto doc = Document::FromBytes(body, id);
    if (!doc) {
      std::cerr << doc.error().message() << "\n";
      return kExitFailed;
    }
    auto set = pipeline->Annotate(*doc);
    if (!set) {
      std::cerr << set.error().message() << "\n";
      return kExitFailed;
    }
    size_t before = set->annotations().size();
    Status st = r.Apply(*doc, *set, AnnotateOptions{});
    if (!st.ok()) {
      std::cerr << st.message() << "\n";
      return kExitFailed;
    }
    const auto& anns = set->annotations();
    if (anns.size() == before && rule_index < 0) {
      // Say so rather than print nothing: no rule produced anything here.
      std::cout << id << ": no rule fired in " << set->sentences().size()
                << " sentence(s); give --rule NAME to see how far a rule got\n";
      continue;
    }
    for (uint32_t s = 0; s < set->sentences().size(); ++s) {
      const Sentence& sent = set->sentences()[s];
      std::vector<size_t> fired;
      for (size_t i = before; i < anns.size(); ++i)
        if (anns[i].first_token >= sent.first_token && anns[i].first_token < sent.end_token) fired.push_back(i);
      if (fired.empty() && rule_index < 0) continue;
      std::cout << "sentence " << s + 1 << ": " << doc->Slice(sent.span) << "\n";
      for (size_t i : fired) {
        const Annotation& a = anns[i];
        std::cout << "  " << a.prov.rule << " [phase " << a.prov.phase << ", " << a.prov.file << ":"
                  << a.prov.line << "] -> " << internal::rules::DescribeOutput(*doc, *set, a) << "\n";
      }
      if (rule_index >= 0) {
        auto e = r.Explain(*doc, *set, rule_index, s);
        auto slice = [&](uint32_t b, uint32_t en) {
          return std::string(doc->Slice({set->tokens()[b].span.begin, set->tokens()[en - 1].span.end}));
        };
        std::cout << "  rule '" << rule << "': ";
        if (e.matched) {
          std::cout << "matches \"" << slice(e.start, e.reached) << "\"";
          bool kept = false;
          for (size_t i : fired) kept |= anns[i].prov.rule == rule;
          if (!kept) std::cout << " but lost in conflict resolution";
          std::cout << "\n";
        } else {
          std::cout << "got as far as "
                    << (e.reached > e.start ? "\"" + slice(e.start, e.reached) + "\"" : std::string("nothing"));
          std::string at = e.reached < sent.end_token
                               ? "token \"" + std::string(doc->Slice(set->tokens()[e.reached].span)) + "\""
                               : std::string("the end of the sentence");
          std::cout << "; then ";
          for (size_t k = 0; k < e.failed_elements.size(); ++k) {
            const auto& el = r.elements()[e.failed_elements[k]];
            std::cout << (k ? " or " : "") << el.text << " (" << r.sources()[el.loc.file].name << ":"
                      << el.loc.line << ":" << el.loc.col << ")";
          }
          if (e.failed_elements.empty()) std::cout << "an anchor or lookaround";
          std::cout << " failed on " << at << "\n";
        }
      }
    }
  }
  return kExitOk;
}

}  // namespace

QUARRY_COMMAND("rules test", "run the inline examples of rule files", RulesTest);
QUARRY_COMMAND("rules stats", "per-rule match counts and timing over a corpus", RulesStats);
QUARRY_COMMAND("rules compile", "check rule files; save a compiled rule set", RulesCompile);
QUARRY_COMMAND("explain", "which rules fired on a text, and why a rule did not", Explain);

}  // namespace quarry::cli
