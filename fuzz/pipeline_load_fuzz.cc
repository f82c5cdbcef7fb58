// fuzz/pipeline_load_fuzz.cc: Pipeline::Load on damaged saved pipelines.
//
// Input: a mode byte, then bytes. Mode even: the bytes are the whole file (frame included), so
// the frame checks (magic, kind, version, size, checksum) are fuzzed. Mode odd: the bytes are a
// payload framed with a valid header and checksum, so the decoder behind the frame is reached,
// and with it the compilers of every bundled source (gazetteers, rules, temporal grammars).
// A file that loads must annotate, save, and load again to a pipeline that annotates the same.
#include <cstdint>
#include <cstdio>
#include <string>

#include "common/binary.h"
#include "fuzz_util.h"
#include "pipeline/pipeline_impl.h"
#include "quarry/json.h"
#include "quarry/pipeline.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  static const std::string path = quarry::fuzz::ScratchPath("load");
  static const std::string path2 = path + ".resaved";
  std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  std::string file = (data[0] & 1) != 0
                         ? quarry::internal::WrapFile("PIPE", quarry::internal::kPipelineFormat, rest)
                         : std::string(rest);
  FUZZ_CHECK(quarry::fuzz::WriteAll(path, file.data(), file.size()));
  quarry::Result<quarry::Pipeline> p = quarry::Pipeline::Load(path);
  if (!p) {
    FUZZ_CHECK(!p.error().message().empty());
    FUZZ_CHECK(p.error().code() != quarry::StatusCode::kInternal);
    return 0;
  }
  auto doc = quarry::Document::FromBytes(
      "On 3 March 2015 Iran's envoy met Mullah Omar in Kabul. The U.S. left in 2021.", "d");
  FUZZ_CHECK(doc.has_value());
  quarry::AnnotateOptions ao;
  ao.time_budget_seconds = 5;
  auto set = p->Annotate(*doc, ao);
  FUZZ_CHECK(set.has_value() || set.error().code() == quarry::StatusCode::kResourceExhausted);
  FUZZ_CHECK(p->Save(path2).ok());
  auto q = quarry::Pipeline::Load(path2);
  FUZZ_CHECK(q.has_value());
  if (set) {
    auto set2 = q->Annotate(*doc, ao);
    FUZZ_CHECK(set2.has_value());
    FUZZ_CHECK(quarry::ToJson(*doc, *set) == quarry::ToJson(*doc, *set2));
  }
  std::remove(path2.c_str());
  return 0;
}
