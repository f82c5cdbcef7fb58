// fuzz/rules_load_fuzz.cc: LoadRuleSet on damaged saved rule sets (".qrb": the sources, framed).
//
// Input: a mode byte, then bytes. Mode odd: a payload framed here with a valid "RULE" header and
// checksum, so the decoder and the compiler behind the frame are reached; mode even: the whole
// file. A rule set that loads runs as a stage over the sample document (after the gazetteer-free
// tokenizer), and must save and load again.
#include <cstdint>
#include <cstdio>
#include <string>

#include "common/binary.h"
#include "fuzz_pipeline.h"
#include "fuzz_util.h"
#include "rules/rule_stage.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace quarry::internal;
  using namespace quarry::internal::rules;
  if (size < 1) return 0;
  std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  // Imports read files from disk relative to the bundled names: not what this target is about.
  if (rest.find("import") != std::string_view::npos) return 0;
  static const std::string path = quarry::fuzz::ScratchPath("rules");
  std::string file = (data[0] & 1) != 0 ? WrapFile("RULE", 1, rest) : std::string(rest);
  FUZZ_CHECK(quarry::fuzz::WriteAll(path, file.data(), file.size()));
  auto rs = LoadRuleSet(path);
  if (!rs) {
    FUZZ_CHECK(!rs.error().message().empty());
    FUZZ_CHECK(rs.error().code() != quarry::StatusCode::kInternal);
    return 0;
  }
  RuleStage stage(*rs);
  quarry::fuzz::RunStagesOnSample({&stage});
  FUZZ_CHECK(SaveRuleSet(**rs, path + ".resaved").ok());
  FUZZ_CHECK(LoadRuleSet(path + ".resaved").has_value());
  std::remove((path + ".resaved").c_str());
  return 0;
}
