// quarry/document.h: a text to annotate, its identity and its offset maps.
//
//   quarry::Result<quarry::Document> doc = quarry::Document::FromBytes(bytes, "nabil");
//   if (!doc) return doc.error();              // names the byte offset of invalid UTF-8
//   doc->text();                               // the bytes, never modified
//   doc->sha256();                             // hex digest of text()
//   doc->ToCodepoint(42);                      // UTF-8 byte offset -> code point offset
//
// Conventions (docs/offsets.md):
// - Every span inside quarry is a half-open range of UTF-8 byte offsets into text().
// - A leading UTF-8 byte order mark (EF BB BF) is not part of the text: it is removed, and
//   has_bom() says it was there. Offsets therefore match what an editor or Python's "utf-8-sig"
//   shows. Nothing else is ever changed: CRLF and lone CR stay in the text, and the tokenizer
//   treats "\r\n", "\n" and "\r" each as one line break.
// - Input must be valid UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF) and contain
//   no NUL byte; otherwise FromBytes fails with kInvalidInput naming the byte offset (counted in
//   the input as given, BOM included) and the line and column of the first bad byte.
//
// A Document is immutable after construction and safe to share between threads.
#ifndef QUARRY_DOCUMENT_H_
#define QUARRY_DOCUMENT_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "quarry/status.h"

namespace quarry {

// A half-open range [begin, end) of UTF-8 byte offsets into a Document's text.
struct Span {
  uint32_t begin = 0;
  uint32_t end = 0;

  uint32_t size() const { return end - begin; }
  bool empty() const { return begin == end; }
  bool Contains(Span o) const { return begin <= o.begin && o.end <= end; }
  bool Overlaps(Span o) const { return begin < o.end && o.begin < end; }
  friend bool operator==(Span a, Span b) = default;
  friend auto operator<=>(Span a, Span b) = default;
};

// The unit of offsets in output.
enum class OffsetUnit : uint8_t { kCodepoint, kUtf8, kUtf16 };
// "codepoint", "utf8", "utf16".
const char* OffsetUnitName(OffsetUnit unit);

// The hard ceiling on a document's size, whatever DocumentOptions says: 1 GiB keeps every
// offset, and the token arena (case-folded forms can be up to three times longer), in 32 bits.
inline constexpr uint64_t kMaxDocumentBytes = uint64_t{1} << 30;

struct DocumentOptions {
  // Largest accepted text, in bytes (capped at kMaxDocumentBytes). Bigger inputs fail with
  // kResourceExhausted naming the size and the limit; FromFile checks the file size before
  // reading it. The default, 64 MiB, is far above any article or report, and bounds memory:
  // annotating takes roughly 10 times the text's size, and JSON output with tokens about 15 times
  // (docs/reliability.md).
  uint64_t max_bytes = uint64_t{64} << 20;
};

class Document {
 public:
  // Validates `bytes` and builds the offset maps. `id` names the document in output and errors.
  static Result<Document> FromBytes(std::string bytes, std::string id,
                                    const DocumentOptions& options = {});
  // Reads a file; the id is the path unless given.
  static Result<Document> FromFile(const std::string& path, std::string id = "",
                                   const DocumentOptions& options = {});

  const std::string& id() const { return id_; }
  const std::string& text() const { return text_; }
  std::string_view Slice(Span s) const { return std::string_view(text_).substr(s.begin, s.size()); }
  bool has_bom() const { return has_bom_; }
  // Lower-case hex SHA-256 of text().
  const std::string& sha256() const { return sha256_; }

  // The document creation time (ISO 8601 date or date-time), empty when unknown. Relative
  // temporal expressions resolve against it.
  const std::string& dct() const { return dct_; }
  void set_dct(std::string dct) { dct_ = std::move(dct); }
  // Metadata carried into the output as "document": {"meta": ...}: a JSON object's text (compact,
  // keys sorted, as the CLI writes the extra fields of a JSONL line: title, url, ...), or empty
  // for none. Written as given: the caller makes it valid JSON.
  const std::string& meta() const { return meta_; }
  void set_meta(std::string json_object) { meta_ = std::move(json_object); }

  uint32_t size_utf8() const { return static_cast<uint32_t>(text_.size()); }
  uint32_t size_codepoints() const { return n_cp_; }
  uint32_t size_utf16() const { return n_u16_; }
  bool is_ascii() const { return marks_.empty(); }

  // Offset conversions. `byte` must be a character boundary in [0, size_utf8()]; `cp` in
  // [0, size_codepoints()]; `u16` must not split a surrogate pair. O(log n), O(1) for ASCII.
  uint32_t ToCodepoint(uint32_t byte) const;
  uint32_t ToUtf16(uint32_t byte) const;
  uint32_t ToUnit(uint32_t byte, OffsetUnit unit) const;
  uint32_t FromCodepoint(uint32_t cp) const;
  uint32_t FromUtf16(uint32_t u16) const;
  uint32_t FromUnit(uint32_t offset, OffsetUnit unit) const;
  // True when `byte` is a character boundary of the text.
  bool IsBoundary(uint32_t byte) const;
  // 1-based line and column (in code points) of a byte offset; "\r\n" is one line break.
  std::pair<uint32_t, uint32_t> LineColumn(uint32_t byte) const;

 private:
  // One entry per multi-byte character: the byte offset just past it and the number of code
  // points and UTF-16 units before that offset. Offsets between two marks are ASCII.
  struct Mark {
    uint32_t byte_end;
    uint32_t cp_end;
    uint32_t u16_end;
  };

  Document() = default;

  std::string id_;
  std::string text_;
  std::string sha256_;
  std::string dct_;
  std::string meta_;
  bool has_bom_ = false;
  uint32_t n_cp_ = 0;
  uint32_t n_u16_ = 0;
  std::vector<Mark> marks_;
};

}  // namespace quarry

#endif  // QUARRY_DOCUMENT_H_
