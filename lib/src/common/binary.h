// common/binary.h: the framing of quarry's saved binary files, and bounds-checked readers.
//
// Every saved file (a compiled pipeline, gazetteer or rule set) is
//   magic "QUARRY\0\1" (8 bytes) | kind (4 bytes, e.g. "PIPE", "GAZT", "RULE")
//   | format version (u32 LE) | payload size (u64 LE) | payload checksum (u64 LE) | payload
// WrapFile/UnwrapFile build and check that frame: a wrong magic or kind is kInvalidInput, another
// version is kInvalidInput naming both versions, a short file or a checksum mismatch is kDataLoss.
// BinaryWriter/BinaryReader write and read the payload; a read past the end sets an error once
// and returns zeros, so a decoder can check status() at the end instead of after every field.
#ifndef QUARRY_COMMON_BINARY_H_
#define QUARRY_COMMON_BINARY_H_

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>

#include "quarry/status.h"

namespace quarry::internal {

// A fast 64-bit checksum (not cryptographic) over `data`.
uint64_t Checksum64(std::string_view data);

// The size of the frame's header (magic, kind, version, payload size, checksum): the payload
// starts at this offset of the file.
inline constexpr size_t kFrameHeaderSize = 8 + 4 + 4 + 8 + 8;

std::string WrapFile(std::string_view kind, uint32_t version, std::string_view payload);
// On success returns the payload (a view into `file`). `verify_checksum` false skips the
// checksum, for a frame nested in another whose checksum already covered these bytes.
Result<std::string_view> UnwrapFile(std::string_view file, std::string_view kind,
                                    uint32_t version, const std::string& name,
                                    bool verify_checksum = true);

// Reads a whole file. Fails with kNotFound for a missing path, kInvalidArgument for a folder,
// kResourceExhausted (before reading, for a regular file) when it is over `max_bytes`, and
// kIoError naming the system error otherwise. Pipes and devices are read to their end.
// WriteFileAtomic writes "path.tmp.<pid>" then renames it over path,
// so no partial file is ever left under `path`.
Result<std::string> ReadFile(const std::string& path, uint64_t max_bytes = ~uint64_t{0});
Status WriteFileAtomic(const std::string& path, std::string_view data);

// A whole file's bytes, mapped read-only (mmap) where the system allows, else read into memory
// (pipes, file systems without mmap). The bytes stay valid while the object lives; a mapping
// starts on a page boundary, so offsets aligned in the file are aligned in memory. Errors as
// ReadFile's.
class FileBytes {
 public:
  static Result<std::shared_ptr<const FileBytes>> Open(const std::string& path,
                                                       uint64_t max_bytes = ~uint64_t{0});
  std::string_view view() const { return view_; }
  bool mapped() const { return map_ != nullptr; }
  ~FileBytes();
  FileBytes(const FileBytes&) = delete;
  FileBytes& operator=(const FileBytes&) = delete;

 private:
  FileBytes() = default;
  std::string owned_;
  void* map_ = nullptr;
  size_t map_size_ = 0;
  std::string_view view_;
};

class BinaryWriter {
 public:
  void U8(uint8_t v) { out_.push_back(static_cast<char>(v)); }
  void U32(uint32_t v) { Raw(&v, 4); }
  void U64(uint64_t v) { Raw(&v, 8); }
  void F64(double v) { Raw(&v, 8); }
  void Str(std::string_view s) {
    U64(s.size());
    out_.append(s);
  }
  void Raw(const void* p, size_t n) { out_.append(static_cast<const char*>(p), n); }
  std::string& data() { return out_; }

 private:
  std::string out_;
};

class BinaryReader {
 public:
  explicit BinaryReader(std::string_view data) : data_(data) {}
  uint8_t U8() {
    uint8_t v = 0;
    Raw(&v, 1);
    return v;
  }
  uint32_t U32() {
    uint32_t v = 0;
    Raw(&v, 4);
    return v;
  }
  uint64_t U64() {
    uint64_t v = 0;
    Raw(&v, 8);
    return v;
  }
  double F64() {
    double v = 0;
    Raw(&v, 8);
    return v;
  }
  std::string_view Str() {
    uint64_t n = U64();
    if (!ok_ || n > data_.size() - pos_) return Fail(), std::string_view();
    std::string_view s = data_.substr(pos_, n);
    pos_ += n;
    return s;
  }
  void Raw(void* p, size_t n) {
    if (!ok_ || n > data_.size() - pos_) return Fail();
    std::memcpy(p, data_.data() + pos_, n);
    pos_ += n;
  }
  // A count that must be plausible: each element takes at least `min_bytes` of what remains.
  uint64_t Count(size_t min_bytes = 1) {
    uint64_t n = U64();
    if (ok_ && min_bytes && n > (data_.size() - pos_) / min_bytes) Fail();
    return ok_ ? n : 0;
  }
  bool ok() const { return ok_; }
  bool at_end() const { return pos_ == data_.size(); }
  size_t pos() const { return pos_; }
  Status status(const std::string& name) const {
    if (ok_) return Status();
    return Status(StatusCode::kDataLoss,
                  name + ": truncated or corrupt data at payload byte " + std::to_string(pos_));
  }

 private:
  void Fail() { ok_ = false; }
  std::string_view data_;
  size_t pos_ = 0;
  bool ok_ = true;
};

}  // namespace quarry::internal

#endif  // QUARRY_COMMON_BINARY_H_
