// quarry/pipeline.h: compile once, annotate many.
//
//   quarry::PipelineOptions opts;
//   opts.gazetteers = {"gazetteers"};
//   opts.rules = {"rules"};
//   quarry::Result<quarry::Pipeline> pipeline = quarry::Pipeline::Compile(opts);
//   if (!pipeline) {                                   // every error of every file, located
//     std::cerr << pipeline.error().ToString();
//     return 1;
//   }
//   quarry::Result<quarry::Document> doc = quarry::Document::FromFile("corpus/nabil.txt");
//   quarry::Result<quarry::AnnotationSet> set = pipeline->Annotate(*doc);
//   std::cout << quarry::ToJson(*doc, *set);           // quarry/json.h
//
// A Pipeline is immutable once compiled: Annotate is const and safe to call from many threads at
// once on the same Pipeline (each call keeps its working state on its own stack and heap).
// Copying a Pipeline is cheap: copies share the compiled data.
#ifndef QUARRY_PIPELINE_H_
#define QUARRY_PIPELINE_H_

#include <memory>
#include <string>
#include <vector>

#include "quarry/annotation.h"
#include "quarry/document.h"
#include "quarry/options.h"
#include "quarry/status.h"

namespace quarry {

namespace internal {
class PipelineImpl;
}

class Pipeline {
 public:
  // Loads and compiles the gazetteers, temporal grammar and rules named in `options`. Fails with
  // kParseError listing every error of every file, or kNotFound for a missing path.
  static Result<Pipeline> Compile(const PipelineOptions& options);

  // Annotates one document. Fails only on a limit in `options` (time budget, matches per rule)
  // or an internal error; the Document is already valid UTF-8.
  Result<AnnotationSet> Annotate(const Document& doc, const AnnotateOptions& options = {}) const;

  // Saves the compiled pipeline to a versioned binary file (magic, format version, checksum).
  Status Save(const std::string& path) const;
  // Loads a file written by Save. Fails with kDataLoss on a truncated or corrupt file, and with
  // kInvalidInput on a file of another format version.
  static Result<Pipeline> Load(const std::string& path);

  // What was compiled: counts of gazetteer entries, rules, and the stage names in order.
  struct Info {
    uint64_t gazetteer_entries = 0;
    uint64_t rules = 0;
    std::vector<std::string> stages;
    // SHA-256 (hex) of the library version, the options and every data file's name and content:
    // two pipelines with the same fingerprint give the same output. Written into the JSON's
    // "generator" and used by `quarry annotate --resume` to tell outputs that are up to date.
    std::string fingerprint;
  };
  Info info() const;

  const PipelineOptions& options() const;

 private:
  explicit Pipeline(std::shared_ptr<const internal::PipelineImpl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<const internal::PipelineImpl> impl_;
};

}  // namespace quarry

#endif  // QUARRY_PIPELINE_H_
