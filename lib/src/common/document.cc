// common/document.cc: validation, identity and offset maps of a Document.
#include "quarry/document.h"

#include <algorithm>
#include <cstring>

#include "common/binary.h"
#include "common/sha256.h"
#include "common/utf8.h"

namespace quarry {

const char* OffsetUnitName(OffsetUnit unit) {
  switch (unit) {
    case OffsetUnit::kCodepoint: return "codepoint";
    case OffsetUnit::kUtf8: return "utf8";
    case OffsetUnit::kUtf16: return "utf16";
  }
  return "codepoint";
}

Result<Document> Document::FromBytes(std::string bytes, std::string id,
                                     const DocumentOptions& options) {
  const std::string& name = id.empty() ? std::string("<input>") : id;
  uint64_t limit = std::min<uint64_t>(options.max_bytes, kMaxDocumentBytes);
  if (bytes.size() > limit) {
    return Status(StatusCode::kResourceExhausted,
                  name + ": document is " + std::to_string(bytes.size()) +
                      " bytes, over the limit of " + std::to_string(limit) + " bytes");
  }
  Document doc;
  doc.id_ = std::move(id);
  size_t skip = 0;
  if (bytes.size() >= 3 && std::memcmp(bytes.data(), "\xEF\xBB\xBF", 3) == 0) {
    doc.has_bom_ = true;
    skip = 3;
  }
  std::string_view body(bytes);
  body.remove_prefix(skip);
  size_t bad = internal::FindInvalidUtf8(body);
  size_t nul = body.find('\0');
  if (bad != std::string_view::npos || nul != std::string_view::npos) {
    bool is_nul = nul != std::string_view::npos && (bad == std::string_view::npos || nul < bad);
    size_t at = is_nul ? nul : bad;
    auto [line, col] = internal::LineColumn(body, at);
    std::string what = is_nul ? "NUL byte" : "invalid UTF-8";
    Diagnostic d;
    d.file = name;
    d.line = static_cast<uint32_t>(line);
    d.column = static_cast<uint32_t>(col);
    d.byte_offset = at + skip;
    d.message = what + " (byte value 0x" +
                [&] {
                  static const char kHex[] = "0123456789ABCDEF";
                  auto c = static_cast<uint8_t>(body[at]);
                  return std::string{kHex[c >> 4], kHex[c & 15]};
                }() +
                ")";
    d.snippet = internal::Excerpt(body, at);
    return Status(StatusCode::kInvalidInput,
                  name + ": " + what + " at byte " + std::to_string(at + skip) + " (line " +
                      std::to_string(line) + ", column " + std::to_string(col) + ")")
        .WithDiagnostics({d});
  }
  if (skip) bytes.erase(0, skip);
  doc.text_ = std::move(bytes);
  doc.sha256_ = internal::Sha256Hex(doc.text_);

  // Offset marks: one per multi-byte character.
  const auto* p = reinterpret_cast<const uint8_t*>(doc.text_.data());
  uint32_t n = static_cast<uint32_t>(doc.text_.size());
  uint32_t cp = 0, u16 = 0, last = 0;
  for (uint32_t i = 0; i < n;) {
    uint8_t b = p[i];
    if (b < 0x80) {
      ++i;
      continue;
    }
    uint32_t len = b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
    cp += (i - last) + 1;
    u16 += (i - last) + (len == 4 ? 2 : 1);
    i += len;
    last = i;
    doc.marks_.push_back({i, cp, u16});
  }
  doc.n_cp_ = cp + (n - last);
  doc.n_u16_ = u16 + (n - last);
  return doc;
}

Result<Document> Document::FromFile(const std::string& path, std::string id,
                                    const DocumentOptions& options) {
  // The size is checked before reading, so an oversized file never enters memory.
  Result<std::string> bytes =
      internal::ReadFile(path, std::min<uint64_t>(options.max_bytes, kMaxDocumentBytes));
  if (!bytes) return bytes.error();
  return FromBytes(std::move(*bytes), id.empty() ? path : std::move(id), options);
}

uint32_t Document::ToCodepoint(uint32_t byte) const {
  auto it = std::upper_bound(marks_.begin(), marks_.end(), byte,
                             [](uint32_t b, const Mark& m) { return b < m.byte_end; });
  if (it == marks_.begin()) return byte;
  --it;
  return it->cp_end + (byte - it->byte_end);
}

uint32_t Document::ToUtf16(uint32_t byte) const {
  auto it = std::upper_bound(marks_.begin(), marks_.end(), byte,
                             [](uint32_t b, const Mark& m) { return b < m.byte_end; });
  if (it == marks_.begin()) return byte;
  --it;
  return it->u16_end + (byte - it->byte_end);
}

uint32_t Document::ToUnit(uint32_t byte, OffsetUnit unit) const {
  switch (unit) {
    case OffsetUnit::kUtf8: return byte;
    case OffsetUnit::kUtf16: return ToUtf16(byte);
    case OffsetUnit::kCodepoint: break;
  }
  return ToCodepoint(byte);
}

uint32_t Document::FromCodepoint(uint32_t cp) const {
  auto it = std::upper_bound(marks_.begin(), marks_.end(), cp,
                             [](uint32_t c, const Mark& m) { return c < m.cp_end; });
  if (it == marks_.begin()) return cp;
  --it;
  return it->byte_end + (cp - it->cp_end);
}

uint32_t Document::FromUtf16(uint32_t u16) const {
  auto it = std::upper_bound(marks_.begin(), marks_.end(), u16,
                             [](uint32_t c, const Mark& m) { return c < m.u16_end; });
  if (it == marks_.begin()) return u16;
  --it;
  return it->byte_end + (u16 - it->u16_end);
}

uint32_t Document::FromUnit(uint32_t offset, OffsetUnit unit) const {
  switch (unit) {
    case OffsetUnit::kUtf8: return offset;
    case OffsetUnit::kUtf16: return FromUtf16(offset);
    case OffsetUnit::kCodepoint: break;
  }
  return FromCodepoint(offset);
}

bool Document::IsBoundary(uint32_t byte) const {
  if (byte > text_.size()) return false;
  if (byte == text_.size()) return true;
  return (static_cast<uint8_t>(text_[byte]) & 0xC0) != 0x80;
}

std::pair<uint32_t, uint32_t> Document::LineColumn(uint32_t byte) const {
  uint32_t line = 1, start = 0;
  for (uint32_t i = 0; i < byte && i < text_.size(); ++i) {
    char c = text_[i];
    if (c == '\n' || (c == '\r' && (i + 1 >= text_.size() || text_[i + 1] != '\n'))) {
      ++line;
      start = i + 1;
    }
  }
  return {line, ToCodepoint(byte) - ToCodepoint(start) + 1};
}

}  // namespace quarry
