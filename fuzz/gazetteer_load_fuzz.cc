// fuzz/gazetteer_load_fuzz.cc: CompiledGazetteer::Load, which adopts a saved gazetteer's flat
// arrays after checking their bounds, and the tagger and linker over a sample document with
// whatever loaded.
//
// Input: a mode byte, then bytes. Mode odd: the bytes are a payload framed here with a valid
// "GAZT" header and checksum, so the section checks behind the frame are reached (a corrupt file
// with a right checksum is what a bug in a writer, or a malicious file, looks like). Mode even:
// the bytes are the whole file.
#include <cstdint>
#include <string>

#include "common/binary.h"
#include "fuzz_pipeline.h"
#include "fuzz_util.h"
#include "gazetteer/stage.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace quarry::internal;
  if (size < 1) return 0;
  std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  std::string file = (data[0] & 1) != 0 ? WrapFile("GAZT", 1, rest) : std::string(rest);
  auto g = CompiledGazetteer::Load(std::move(file), "fuzz.gzc");
  if (!g) {
    FUZZ_CHECK(g.error().code() == quarry::StatusCode::kDataLoss ||
               g.error().code() == quarry::StatusCode::kInvalidInput);
    FUZZ_CHECK(g.error().message().starts_with("fuzz.gzc: "));
    return 0;
  }
  const CompiledGazetteer& c = **g;
  for (uint32_t e = 0; e < c.entry_count() && e < 64; ++e) {
    (void)c.entry_id(e);
    (void)c.entry_file(e);
    (void)c.entry_attr(e, "cameo");
    (void)c.FindEntry(c.entry_id(e));  // may miss in a corrupt file (unsorted ids), never crash
  }
  GazetteerOptions opts;
  auto tagger = CreateGazetteerStage(*g, opts);
  auto linker = CreateLinkingStage(*g, opts);
  quarry::fuzz::RunStagesOnSample({tagger.get(), linker.get()}, /*text_data=*/false);
  return 0;
}
