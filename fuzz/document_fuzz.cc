// fuzz/document_fuzz.cc: Document::FromBytes on arbitrary bytes (UTF-8 validation, BOM, NUL,
// line ends) and the offset maps of every document it accepts.
#include <cstdint>
#include <string>

#include "common/utf8.h"
#include "fuzz_util.h"
#include "quarry/document.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using quarry::Document;
  std::string bytes(reinterpret_cast<const char*>(data), size);
  quarry::DocumentOptions opts;
  opts.max_bytes = 1 << 20;
  quarry::Result<Document> doc = Document::FromBytes(bytes, "fuzz", opts);
  if (!doc) {
    // Refusals are located and name the document.
    const quarry::Status& st = doc.error();
    FUZZ_CHECK(st.code() == quarry::StatusCode::kInvalidInput ||
               st.code() == quarry::StatusCode::kResourceExhausted);
    FUZZ_CHECK(st.message().starts_with("fuzz: "));
    if (st.code() == quarry::StatusCode::kInvalidInput) {
      FUZZ_CHECK(st.diagnostics().size() == 1);
      const quarry::Diagnostic& d = st.diagnostics()[0];
      FUZZ_CHECK(d.byte_offset < size);
      FUZZ_CHECK(d.line >= 1 && d.column >= 1);
      // The snippet is printed to terminals and logs: it must itself be valid UTF-8.
      FUZZ_CHECK(quarry::internal::FindInvalidUtf8(d.snippet) == std::string::npos);
      FUZZ_CHECK(d.snippet.find('\0') == std::string::npos);
      uint8_t c = data[d.byte_offset];
      // The named byte is the first bad one: NUL or not the start of a valid sequence.
      FUZZ_CHECK(c == 0 || quarry::internal::ValidSequenceLength(bytes, d.byte_offset) == 0);
      size_t body = size >= 3 && bytes.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0;
      std::string_view before = std::string_view(bytes).substr(body, d.byte_offset - body);
      FUZZ_CHECK(quarry::internal::FindInvalidUtf8(before) == std::string::npos);
      FUZZ_CHECK(before.find('\0') == std::string_view::npos);
    }
    return 0;
  }
  const std::string& text = doc->text();
  size_t skip = doc->has_bom() ? 3 : 0;
  FUZZ_CHECK(text == std::string_view(bytes).substr(skip));  // never modified beyond the BOM
  FUZZ_CHECK(doc->sha256().size() == 64);
  FUZZ_CHECK(quarry::internal::FindInvalidUtf8(text) == std::string::npos);

  // Every boundary maps to a code point and a UTF-16 offset and back.
  uint32_t n = doc->size_utf8(), cp = 0, u16 = 0;
  for (uint32_t b = 0; b <= n; ++b) {
    bool boundary = b == n || (static_cast<uint8_t>(text[b]) & 0xC0) != 0x80;
    FUZZ_CHECK(doc->IsBoundary(b) == boundary);
    if (!boundary) continue;
    FUZZ_CHECK(doc->ToCodepoint(b) == cp);
    FUZZ_CHECK(doc->ToUtf16(b) == u16);
    FUZZ_CHECK(doc->FromCodepoint(cp) == b);
    FUZZ_CHECK(doc->FromUtf16(u16) == b);
    FUZZ_CHECK(doc->ToUnit(b, quarry::OffsetUnit::kUtf8) == b);
    if (b < n) {
      uint8_t lead = static_cast<uint8_t>(text[b]);
      cp += 1;
      u16 += lead >= 0xF0 ? 2 : 1;
    }
  }
  FUZZ_CHECK(doc->size_codepoints() == cp);
  FUZZ_CHECK(doc->size_utf16() == u16);
  FUZZ_CHECK(doc->is_ascii() == (cp == n));

  // Line and column: lines count "\r\n", "\n" and lone "\r" once each.
  uint32_t line = 1;
  for (uint32_t b = 0; b < n && b < 512; ++b) {
    if (doc->IsBoundary(b)) {
      auto [l, c] = doc->LineColumn(b);
      FUZZ_CHECK(l == line && c >= 1);
    }
    if (text[b] == '\n' || (text[b] == '\r' && (b + 1 >= n || text[b + 1] != '\n'))) ++line;
  }
  return 0;
}
