// examples/annotate_file: the smallest useful program on the installed quarry package.
//
// It compiles a pipeline from the gazetteers and rules given on the command line, annotates
// one text file, and prints what was found: one line per entity, timex, event and relation,
// then the full stand-off JSON on request.
//
//   annotate_file TEXT [--data DIR] [--json]
#include <quarry/quarry.h>

#include <cstring>
#include <filesystem>
#include <iostream>

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: annotate_file TEXT [--data DIR] [--json]\n";
    return 2;
  }
  std::string data;
  bool json = false;
  for (int i = 2; i < argc; ++i) {
    if (std::strcmp(argv[i], "--data") == 0 && i + 1 < argc) data = argv[++i];
    if (std::strcmp(argv[i], "--json") == 0) json = true;
  }

  // 1. Compile once. Data folders are optional: without them only tokens, sentences and dates.
  quarry::PipelineOptions options;
  if (!data.empty()) {
    if (std::filesystem::is_directory(data + "/gazetteers")) options.gazetteers = {data + "/gazetteers"};
    if (std::filesystem::is_directory(data + "/rules")) options.rules = {data + "/rules"};
  }
  quarry::Result<quarry::Pipeline> pipeline = quarry::Pipeline::Compile(options);
  if (!pipeline) {
    std::cerr << pipeline.error().ToString() << "\n";
    return 1;
  }

  // 2. Read and validate the document (UTF-8 is checked; errors name the byte offset).
  quarry::Result<quarry::Document> doc = quarry::Document::FromFile(argv[1]);
  if (!doc) {
    std::cerr << doc.error().ToString() << "\n";
    return 1;
  }

  // 3. Annotate. A Pipeline is immutable: this call could run on many threads at once.
  quarry::Result<quarry::AnnotationSet> set = pipeline->Annotate(*doc);
  if (!set) {
    std::cerr << set.error().ToString() << "\n";
    return 1;
  }

  std::cout << doc->id() << ": " << set->tokens().size() << " tokens, "
            << set->sentences().size() << " sentences\n";
  for (const quarry::Annotation& a : set->annotations()) {
    std::cout << quarry::LayerName(a.layer) << "\t" << a.type << "\t" << doc->Slice(a.span);
    if (!a.FeatureString("entity").empty()) std::cout << "\t-> " << a.FeatureString("entity");
    if (!a.FeatureString("value").empty()) std::cout << "\t= " << a.FeatureString("value");
    std::cout << "\n";
  }
  if (json) std::cout << quarry::ToJson(*doc, *set);
  return 0;
}
