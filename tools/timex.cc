// tools/timex.cc: `quarry timex test` (run a temporal grammar's inline examples) and
// `quarry timex tag` (print the timexes found in text files, one line each).
#include <boost/program_options.hpp>
#include <iostream>

#include "command.h"
#include "common/source.h"
#include "quarry/quarry.h"
#include "temporal/tagger.h"

namespace quarry::cli {
namespace {

namespace po = boost::program_options;

// Loads the grammar named on the command line, or the built-in one when none is.
Result<std::unique_ptr<internal::TemporalTagger>> LoadTagger(const std::vector<std::string>& paths,
                                                             TemporalMode mode) {
  std::vector<internal::SourceFile> files;
  if (!paths.empty()) {
    auto src = internal::LoadSources(paths, {".qt"});
    if (!src) return src.error();
    files = std::move(*src);
  }
  return internal::TemporalTagger::Create(files, mode);
}

int Test(int argc, char** argv) {
  po::options_description desc(
      "usage: quarry timex test [PATH...]\n\n"
      "Compiles a temporal grammar (PATH: .qt files or folders; none: the grammar built into the\n"
      "library) and runs the inline `example` and `reject` lines of every rule. Errors in the\n"
      "grammar and failing examples are reported as FILE:LINE:COLUMN: message.\n\n"
      "Exit status: 0 all examples pass; 1 some fail; 2 the grammar does not compile.\n\noptions");
  std::vector<std::string> paths;
  bool verbose = false;
  desc.add_options()("help,h", "show this help")("verbose,v", po::bool_switch(&verbose),
                                                 "list the rules and example counts")(
      "path", po::value(&paths), "grammar files or folders");
  po::positional_options_description pos;
  pos.add("path", -1);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(argc, argv).options(desc).positional(pos).run(), vm);
    po::notify(vm);
  } catch (const std::exception& e) {
    std::cerr << "quarry timex test: " << e.what() << "\n";
    return kExitUsage;
  }
  if (vm.count("help")) {
    std::cout << desc << "\n";
    return kExitOk;
  }
  auto tagger = LoadTagger(paths, TemporalMode::kAuto);
  if (!tagger) {
    std::cerr << tagger.error().ToString() << "\n";
    return kExitUsage;
  }
  internal::ExampleReport rep = (*tagger)->CheckExamples();
  for (const Diagnostic& d : rep.failures) std::cerr << d.ToString() << "\n";
  if (verbose) {
    for (const auto& r : (*tagger)->grammar().rules)
      std::cout << r.file << ":" << r.line << ": " << r.name << " (" << r.examples.size()
                << " examples)\n";
  }
  std::cout << (*tagger)->grammar().rules.size() << " rules, " << rep.examples << " examples, "
            << rep.failed << " failed\n";
  return rep.failed ? kExitFailed : kExitOk;
}

int Tag(int argc, char** argv) {
  po::options_description desc(
      "usage: quarry timex tag [OPTIONS] FILE...\n\n"
      "Prints the temporal expressions of text files, one per line:\n"
      "FILE:BEGIN-END<TAB>TYPE<TAB>VALUE<TAB>features<TAB>text<TAB>rule (UTF-8 byte offsets).\n\n"
      "Exit status: 0 ok; 1 a file failed; 2 bad usage or grammar.\n\noptions");
  std::vector<std::string> files, grammar;
  std::string dct, mode = "auto";
  desc.add_options()("help,h", "show this help")("grammar,g", po::value(&grammar),
                                                 "grammar file or folder (repeatable)")(
      "dct", po::value(&dct), "document creation time (ISO 8601)")(
      "mode", po::value(&mode), "auto, news or narrative")("file", po::value(&files), "input");
  po::positional_options_description pos;
  pos.add("file", -1);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(argc, argv).options(desc).positional(pos).run(), vm);
    po::notify(vm);
  } catch (const std::exception& e) {
    std::cerr << "quarry timex tag: " << e.what() << "\n";
    return kExitUsage;
  }
  if (vm.count("help")) {
    std::cout << desc << "\n";
    return kExitOk;
  }
  std::optional<TemporalMode> m = ParseTemporalMode(mode);
  if (!m) {
    std::cerr << "quarry timex tag: --mode must be auto, news or narrative\n";
    return kExitUsage;
  }
  auto tagger = LoadTagger(grammar, *m);
  if (!tagger) {
    std::cerr << tagger.error().ToString() << "\n";
    return kExitUsage;
  }
  int rc = kExitOk;
  for (const std::string& f : files) {
    auto doc = Document::FromFile(f);
    if (!doc) {
      std::cerr << doc.error().ToString() << "\n";
      rc = kExitFailed;
      continue;
    }
    auto set = (*tagger)->TagText(doc->text(), dct);
    if (!set) {
      std::cerr << f << ": " << set.error().ToString() << "\n";
      rc = kExitFailed;
      continue;
    }
    for (const Annotation& a : set->annotations()) {
      if (a.layer != Layer::kTimex) continue;
      std::string feats;
      for (const Feature& ft : a.features) {
        if (ft.name == "value") continue;
        feats += (feats.empty() ? "" : " ") + ft.name + "=" + a.FeatureString(ft.name);
      }
      std::cout << f << ":" << a.span.begin << "-" << a.span.end << "\t" << a.type << "\t"
                << a.FeatureString("value") << "\t" << feats << "\t" << doc->Slice(a.span) << "\t"
                << a.prov.rule << "\n";
    }
  }
  return rc;
}

}  // namespace

QUARRY_COMMAND("timex test", "run the inline examples of a temporal grammar", Test);
QUARRY_COMMAND("timex tag", "print the temporal expressions of text files", Tag);

}  // namespace quarry::cli
