// fuzz/rules_parser_fuzz.cc: libFuzzer entry point for the .qr parser and compiler.
//
// Any byte string must either compile or fail with located diagnostics; never crash, hang or
// leak. A rule set that compiles is also run over a small fixed document, so the matcher sees
// whatever programs the fuzzer finds. Build with -fsanitize=fuzzer (libFuzzer), or define
// QUARRY_FUZZ_STANDALONE for a main() that runs the files named on the command line.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "quarry/document.h"
#include "rules/compiler.h"
#include "rules/program.h"
#include "tokenize/tokenizer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace quarry;
  using namespace quarry::internal;
  std::string src(reinterpret_cast<const char*>(data), size);
  // Imports read files from disk (think "/dev/zero"): not the parser's business here.
  if (src.find("import") != std::string::npos) return 0;
  auto rs = rules::CompileRules({{"fuzz.qr", src}});
  if (!rs) {
    for (const Diagnostic& d : rs.error().diagnostics()) {
      if (d.line == 0 || d.column == 0) __builtin_trap();  // every error must be located
    }
    return 0;
  }
  static const auto* tok = Tokenizer::Create(TokenizerOptions{})->release();
  auto doc = Document::FromBytes(
      "Al-Masri was ultimately assassinated in Tehran in 2020. The Taliban met the IRGC.", "fuzz");
  if (!doc) return 0;
  AnnotationSet set;
  if (!tok->Tokenize(doc->text(), set).ok()) return 0;
  Annotation a;
  a.layer = Layer::kEntity;
  a.type = "PERSON";
  a.span = Span{0, 8};
  set.Add(a);
  (void)(*rs)->Apply(*doc, set, AnnotateOptions{});
  return 0;
}

#ifdef QUARRY_FUZZ_STANDALONE
#include <fstream>
#include <iostream>
#include <sstream>
int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    std::ifstream in(argv[i], std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    std::string s = ss.str();
    LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(s.data()), s.size());
  }
  std::cout << "ran " << argc - 1 << " inputs\n";
  return 0;
}
#endif
