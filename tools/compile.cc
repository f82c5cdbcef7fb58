// tools/compile.cc: `quarry compile`: compile gazetteers, rules and the temporal grammar once and
// save the pipeline, for `quarry annotate --pipeline FILE`.
#include <boost/program_options.hpp>
#include <filesystem>
#include <iostream>

#include "command.h"
#include "quarry/quarry.h"

namespace quarry::cli {
namespace {

namespace fs = std::filesystem;
namespace po = boost::program_options;

int Run(int argc, char** argv) {
  po::options_description desc(
      "usage: quarry compile [OPTIONS] -o FILE\n\n"
      "Compiles the gazetteers, rules and temporal grammar (default: the shipped data) into a\n"
      "pipeline file with a checked header (magic, format version, checksum), which\n"
      "`quarry annotate --pipeline FILE` loads instead of compiling again.\n\noptions");
  std::string out;
  std::vector<std::string> gazetteers, rules;
  desc.add_options()("help,h", "show this help")
      ("output,o", po::value(&out), "the pipeline file to write")
      ("gazetteers,g", po::value(&gazetteers)->composing(), "gazetteer file or folder (repeatable)")
      ("rules,r", po::value(&rules)->composing(), "rule file or folder (repeatable)")
      ("no-gazetteers", "no gazetteer")
      ("no-rules", "no rules")
      ("no-temporal", "no temporal tagger");
  po::variables_map vm;
  if (int code = ParseOptions(argc, argv, desc, nullptr, vm); code >= 0) return code;
  if (out.empty()) {
    std::cerr << "quarry compile: no output file (-o FILE)\n";
    return kExitUsage;
  }
  PipelineOptions popts;
  if (!vm.count("no-gazetteers")) {
    if (std::string e = DefaultDataPath(gazetteers, "gazetteers"); !e.empty()) {
      std::cerr << "quarry compile: " << e << "\n";
      return kExitUsage;
    }
    popts.gazetteers = gazetteers;
  }
  if (!vm.count("no-rules")) {
    if (std::string e = DefaultDataPath(rules, "rules"); !e.empty()) {
      std::cerr << "quarry compile: " << e << "\n";
      return kExitUsage;
    }
    popts.rules = rules;
  }
  popts.temporal = vm.count("no-temporal") == 0;
  auto p = Pipeline::Compile(popts);
  if (!p) {
    std::cerr << "quarry compile: " << p.error().ToString() << "\n";
    return kExitUsage;
  }
  Status st = p->Save(out);
  if (!st.ok()) {
    std::cerr << "quarry compile: " << st.message() << "\n";
    return kExitFailed;
  }
  auto info = p->info();
  std::cerr << out << ": " << info.gazetteer_entries << " gazetteer entries, " << info.rules
            << " rules, stages:";
  for (const auto& s : info.stages) std::cerr << " " << s;
  std::cerr << "\n";
  return kExitOk;
}

}  // namespace

QUARRY_COMMAND("compile", "compile gazetteers, rules and grammar into a pipeline file", Run);

}  // namespace quarry::cli
