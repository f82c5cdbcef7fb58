// pipeline/pipeline_impl.h: the compiled pipeline behind quarry::Pipeline.
#ifndef QUARRY_PIPELINE_PIPELINE_IMPL_H_
#define QUARRY_PIPELINE_PIPELINE_IMPL_H_

#include <memory>
#include <vector>

#include "common/source.h"
#include "common/stage.h"
#include "gazetteer/compiled.h"
#include "quarry/pipeline.h"

namespace quarry::internal {

// The format version of a saved pipeline ("PIPE" files); the fuzzer frames payloads with it.
// 2: entity options. 3: the event coder's dictionaries (.qv, .qa). 4: the fingerprint and the
// library version that computed it, and the compiled gazetteer 8-byte aligned in the file (so
// that Load maps the file and adopts the gazetteer where it lies).
inline constexpr uint32_t kPipelineFormat = 4;

class PipelineImpl {
 public:
  PipelineOptions options;
  // The data files the pipeline was compiled from, kept so that Save can bundle them.
  std::vector<SourceFile> gazetteer_sources;
  std::vector<SourceFile> rule_sources;
  std::vector<SourceFile> temporal_sources;
  // The event coder's verb (.qv) and agent (.qa) dictionaries, found among the rule paths.
  std::vector<SourceFile> coding_sources;
  // The compiled gazetteer, saved in its compiled form so that Load needs no recompilation
  // (a gazetteer of a million entries compiles in seconds but loads in milliseconds).
  std::shared_ptr<const CompiledGazetteer> gazetteer;
  std::vector<std::unique_ptr<Stage>> stages;  // run in order
  Pipeline::Info info;
};

}  // namespace quarry::internal

#endif  // QUARRY_PIPELINE_PIPELINE_IMPL_H_
