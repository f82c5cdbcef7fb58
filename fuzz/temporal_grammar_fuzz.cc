// fuzz/temporal_grammar_fuzz.cc: the temporal grammar (.qt) parser and compiler on any text, and
// the tagger built from what compiles, over a sample document full of dates.
//
// Any input must compile or fail with kParseError whose every diagnostic is located.
#include <cstdint>
#include <string>

#include "common/source.h"
#include "common/utf8.h"
#include "fuzz_pipeline.h"
#include "fuzz_util.h"
#include "temporal/tagger.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace quarry::internal;
  std::string src(reinterpret_cast<const char*>(data), size);
  if (src.empty() || FindInvalidUtf8(src) != std::string::npos) return 0;
  auto stage = CompileTemporalStage({{"fuzz.qt", src}});
  if (!stage) {
    const quarry::Status& st = stage.error();
    FUZZ_CHECK(st.code() == quarry::StatusCode::kParseError);
    FUZZ_CHECK(!st.diagnostics().empty());
    size_t lines = 1;
    for (char c : src) lines += c == '\n';
    for (const quarry::Diagnostic& d : st.diagnostics()) {
      FUZZ_CHECK(d.file == "fuzz.qt");
      FUZZ_CHECK(d.line >= 1 && d.line <= lines && d.column >= 1);
    }
    return 0;
  }
  quarry::fuzz::RunStagesOnSample({stage->get()});
  return 0;
}
