// fuzz/gazetteer_parser_fuzz.cc: the .gaz parser and compiler on any text, then the tagger and
// linker over a sample document with what compiled.
//
// Any input must compile or fail with kParseError whose every diagnostic is located (line and
// column within the file); a gazetteer that compiles must also survive a save/load round trip.
#include <cstdint>
#include <string>

#include "common/source.h"
#include "common/utf8.h"
#include "fuzz_pipeline.h"
#include "fuzz_util.h"
#include "gazetteer/stage.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace quarry::internal;
  std::string src(reinterpret_cast<const char*>(data), size);
  // LoadSources refuses invalid UTF-8 before the parser sees it.
  if (FindInvalidUtf8(src) != std::string::npos) return 0;
  std::vector<SourceFile> sources = {{"fuzz.gaz", src}};
  auto g = CompileGazetteer(sources);
  if (!g) {
    const quarry::Status& st = g.error();
    FUZZ_CHECK(st.code() == quarry::StatusCode::kParseError ||
               st.code() == quarry::StatusCode::kResourceExhausted);
    if (st.code() == quarry::StatusCode::kParseError) {
      FUZZ_CHECK(!st.diagnostics().empty());
      size_t lines = 1;
      for (char c : src) lines += c == '\n';
      for (const quarry::Diagnostic& d : st.diagnostics()) {
        FUZZ_CHECK(d.file == "fuzz.gaz");
        FUZZ_CHECK(d.line >= 1 && d.line <= lines && d.column >= 1);
      }
    }
    return 0;
  }
  // The saved form loads back to a gazetteer with the same entries.
  auto again = CompiledGazetteer::Load((*g)->Save(), "fuzz.gzc");
  FUZZ_CHECK(again.has_value());
  FUZZ_CHECK((*again)->entry_count() == (*g)->entry_count());
  GazetteerOptions opts;
  auto tagger = CreateGazetteerStage(*g, opts);
  auto linker = CreateLinkingStage(*g, opts);
  quarry::fuzz::RunStagesOnSample({tagger.get(), linker.get()});
  return 0;
}
