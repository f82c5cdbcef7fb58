// tools/eval.cc: `quarry eval --gold GOLD --system SYSTEM`: scores stand-off annotation sets
// (files, or folders matched by document id / file name) layer by layer.
#include "io/eval.h"

#include <boost/program_options.hpp>
#include <filesystem>
#include <iostream>
#include <map>

#include "command.h"
#include "common/binary.h"

namespace quarry::cli {
namespace {

namespace fs = std::filesystem;
namespace po = boost::program_options;

// "corpus/gold/a.entities.json" -> "a".
std::string Stem(const fs::path& p) {
  std::string s = p.filename().string();
  return s.substr(0, s.find('.'));
}

int Run(int argc, char** argv) {
  po::options_description desc(
      "usage: quarry eval --gold GOLD --system SYSTEM [OPTIONS]\n\n"
      "Compares two stand-off annotation sets of the same documents (quarry JSON files, or\n"
      "folders of them matched by document id, else by file name up to the first '.'). Every\n"
      "layer present in the gold is scored per type: precision, recall, F1 with exact and\n"
      "overlap span matching, the accuracy of compared features (entity ids, timex values) on\n"
      "exact matches, and strict scores that require those features to agree. System\n"
      "annotations that name their rule (\"prov\") are also scored per rule (precision, worst\n"
      "first), and the diff names the rule behind each false hit. Arguments of events and\n"
      "relations compare as features arg.ROLE (their text): --features cameo,arg.target.\n\n"
      "Exit status: 0 ok; 1 a score is under --fail-under or a document could not be scored;\n"
      "2 bad usage.\n\noptions");
  std::string gold, system, features = "entity,value";
  double fail_under = -1;
  desc.add_options()("help,h", "show this help")("gold", po::value(&gold), "gold file or folder")(
      "system", po::value(&system), "system file or folder")(
      "features", po::value(&features)->default_value("entity,value"),
      "features compared on exact matches (comma-separated)")(
      "fail-under", po::value(&fail_under),
      "exit 1 when an exact or strict F1 (all types) of a layer is below this")(
      "json", "print the report as JSON")("no-diff", "leave out the list of misses and false hits")(
      "types", po::value<std::string>(),
      "score only these types (comma-separated), in gold and system alike")(
      "where", po::value<std::vector<std::string>>()->composing(),
      "count only system annotations with FEATURE=VALUE (repeatable), e.g. modality=realised");
  po::variables_map vm;
  if (int code = ParseOptions(argc, argv, desc, nullptr, vm); code >= 0) return code;
  if (gold.empty() || system.empty()) {
    std::cerr << "quarry eval: need --gold and --system (see quarry eval --help)\n";
    return kExitUsage;
  }
  internal::EvalOptions opts;
  opts.features.clear();
  for (size_t p = 0; p <= features.size();) {
    size_t c = features.find(',', p);
    if (c == std::string::npos) c = features.size();
    if (c > p) opts.features.push_back(features.substr(p, c - p));
    p = c + 1;
  }
  if (vm.count("types")) {
    std::string t = vm["types"].as<std::string>();
    for (size_t p = 0; p <= t.size();) {
      size_t c = t.find(',', p);
      if (c == std::string::npos) c = t.size();
      if (c > p) opts.types.push_back(t.substr(p, c - p));
      p = c + 1;
    }
  }
  if (vm.count("where")) {
    for (const std::string& w : vm["where"].as<std::vector<std::string>>()) {
      size_t eq = w.find('=');
      if (eq == std::string::npos || eq == 0) {
        std::cerr << "quarry eval: --where takes FEATURE=VALUE, not '" << w << "'\n";
        return kExitUsage;
      }
      opts.where.emplace_back(w.substr(0, eq), w.substr(eq + 1));
    }
  }
  auto read = [&](const fs::path& p) -> Result<internal::StandoffDoc> {
    Result<std::string> text = internal::ReadFile(p.string());
    if (!text) return text.error();
    return internal::ReadStandoff(*text, p.string());
  };
  std::vector<std::pair<fs::path, fs::path>> pairs;
  int rc = kExitOk;
  std::error_code ec;
  if (fs::is_directory(gold, ec) != fs::is_directory(system, ec)) {
    std::cerr << "quarry eval: --gold and --system must both be files or both folders\n";
    return kExitUsage;
  }
  if (!fs::exists(gold) || !fs::exists(system)) {
    std::cerr << "quarry eval: " << (fs::exists(gold) ? system : gold)
              << ": no such file or folder\n";
    return kExitUsage;
  }
  internal::EvalReport report;
  if (!fs::is_directory(gold)) {
    pairs.emplace_back(gold, system);
  } else {
    std::map<std::string, fs::path> sys_by_key;
    for (const auto& e : fs::recursive_directory_iterator(system)) {
      if (e.path().extension() != ".json") continue;
      auto d = read(e.path());
      if (d && !d->id.empty()) sys_by_key[fs::path(d->id).stem().string()] = e.path();
      sys_by_key.emplace(Stem(e.path()), e.path());
    }
    for (const auto& e : fs::recursive_directory_iterator(gold)) {
      if (e.path().extension() != ".json") continue;
      auto d = read(e.path());
      std::string key = d && !d->id.empty() ? fs::path(d->id).stem().string() : Stem(e.path());
      auto it = sys_by_key.find(key);
      if (it == sys_by_key.end()) it = sys_by_key.find(Stem(e.path()));
      if (it == sys_by_key.end()) {
        std::cerr << "quarry eval: no system file for gold " << e.path().string() << "\n";
        rc = kExitFailed;
        continue;
      }
      pairs.emplace_back(e.path(), it->second);
    }
  }
  for (const auto& [g, s] : pairs) {
    auto gd = read(g);
    auto sd = read(s);
    if (!gd || !sd) {
      std::cerr << "quarry eval: " << (!gd ? gd.error() : sd.error()).message() << "\n";
      rc = kExitFailed;
      continue;
    }
    if (gd->id.empty()) gd->id = Stem(g);
    Status st = internal::Score(*gd, *sd, opts, report);
    if (!st.ok()) {
      std::cerr << "quarry eval: " << g.string() << " vs " << s.string() << ": " << st.message()
                << "\n";
      rc = kExitFailed;
    }
  }
  std::cout << (vm.count("json") ? internal::ReportJson(report)
                                 : internal::FormatReport(report, vm.count("no-diff") == 0));
  if (fail_under >= 0) {
    for (const auto& [layer, ls] : report.layers) {
      for (const auto& [what, m] : {std::pair<const char*, const std::map<std::string, internal::Counts>*>{"exact", &ls.exact},
                                    {"strict", &ls.strict}}) {
        auto it = m->find("");
        if (it != m->end() && it->second.F() < fail_under) {
          std::cerr << "quarry eval: " << layer << " " << what << " F1 (all types) "
                    << it->second.F() << " is under " << fail_under << "\n";
          rc = kExitFailed;
        }
      }
    }
  }
  return rc;
}

}  // namespace

QUARRY_COMMAND("eval", "score system annotations against gold, per layer and type", Run);

}  // namespace quarry::cli
