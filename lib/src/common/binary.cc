// common/binary.cc: file framing, checksum and atomic file writes.
#include "common/binary.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>

namespace quarry::internal {
namespace {
constexpr char kMagic[8] = {'Q', 'U', 'A', 'R', 'R', 'Y', '\0', '\1'};
constexpr size_t kHeader = kFrameHeaderSize;

inline uint64_t Mix(uint64_t h) {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33;
  return h;
}
}  // namespace

uint64_t Checksum64(std::string_view data) {
  uint64_t h1 = 0x9E3779B97F4A7C15ULL ^ data.size(), h2 = 0xC2B2AE3D27D4EB4FULL;
  size_t i = 0;
  for (; i + 16 <= data.size(); i += 16) {
    uint64_t a, b;
    std::memcpy(&a, data.data() + i, 8);
    std::memcpy(&b, data.data() + i + 8, 8);
    h1 = (h1 ^ Mix(a)) * 0x87c37b91114253d5ULL;
    h2 = (h2 ^ Mix(b)) * 0x4cf5ad432745937fULL;
  }
  // Up to 15 bytes remain: one more 8-byte word, then a tail of at most 7 bytes (copying all
  // 15 into one uint64_t would overrun it).
  if (data.size() - i >= 8) {
    uint64_t a;
    std::memcpy(&a, data.data() + i, 8);
    h2 = (h2 ^ Mix(a)) * 0x4cf5ad432745937fULL;
    i += 8;
  }
  uint64_t tail = 0;
  std::memcpy(&tail, data.data() + i, data.size() - i);
  h1 ^= Mix(tail ^ (data.size() - i));
  return Mix(h1 ^ (h2 * 31));
}

std::string WrapFile(std::string_view kind, uint32_t version, std::string_view payload) {
  BinaryWriter w;
  w.Raw(kMagic, 8);
  char k[4] = {' ', ' ', ' ', ' '};
  std::memcpy(k, kind.data(), std::min<size_t>(4, kind.size()));
  w.Raw(k, 4);
  w.U32(version);
  w.U64(payload.size());
  w.U64(Checksum64(payload));
  w.data().append(payload);
  return std::move(w.data());
}

Result<std::string_view> UnwrapFile(std::string_view file, std::string_view kind,
                                    uint32_t version, const std::string& name,
                                    bool verify_checksum) {
  if (file.size() < 8 || std::memcmp(file.data(), kMagic, 8) != 0) {
    if (file.size() < 8 && std::string_view(kMagic, 8).starts_with(file)) {
      return Status(StatusCode::kDataLoss, name + ": truncated quarry file (" +
                                               std::to_string(file.size()) + " bytes)");
    }
    return Status(StatusCode::kInvalidInput, name + ": not a quarry binary file (bad magic)");
  }
  if (file.size() < kHeader) {
    return Status(StatusCode::kDataLoss,
                  name + ": truncated header (" + std::to_string(file.size()) + " bytes)");
  }
  BinaryReader r(file.substr(8));
  char k[4];
  r.Raw(k, 4);
  std::string_view got_kind(k, 4);
  std::string want(kind.substr(0, 4));
  want.resize(4, ' ');
  if (got_kind != want) {
    return Status(StatusCode::kInvalidInput, name + ": holds a '" + std::string(got_kind) +
                                                 "' object where '" + want + "' was expected");
  }
  uint32_t v = r.U32();
  if (v != version) {
    return Status(StatusCode::kInvalidInput,
                  name + ": format version " + std::to_string(v) + ", this build reads version " +
                      std::to_string(version) + " (recompile the source files)");
  }
  uint64_t size = r.U64();
  uint64_t sum = r.U64();
  if (file.size() - kHeader != size) {
    return Status(StatusCode::kDataLoss, name + ": payload is " +
                                             std::to_string(file.size() - kHeader) +
                                             " bytes, header says " + std::to_string(size) +
                                             " (truncated or padded file)");
  }
  std::string_view payload = file.substr(kHeader);
  if (verify_checksum && Checksum64(payload) != sum) {
    return Status(StatusCode::kDataLoss, name + ": checksum mismatch (corrupt file)");
  }
  return payload;
}

Result<std::string> ReadFile(const std::string& path, uint64_t max_bytes) {
  // POSIX calls rather than stdio or streams: a stream silently reads a folder as an empty file
  // and loses errno; the size check before reading keeps an oversized file out of memory; and
  // reading straight into space reserved for the file's size avoids copies (a stringstream copy
  // of a 170 MB compiled gazetteer took ten times longer than the read itself).
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    int e = errno;
    return Status(e == ENOENT || e == ENOTDIR ? StatusCode::kNotFound : StatusCode::kIoError,
                  path + ": cannot open for reading (" + std::strerror(e) + ")");
  }
  struct FdCloser {
    int fd;
    ~FdCloser() { ::close(fd); }
  } closer{fd};
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    return Status(StatusCode::kIoError, path + ": cannot stat (" + std::strerror(errno) + ")");
  }
  if (S_ISDIR(st.st_mode)) {
    return Status(StatusCode::kInvalidArgument, path + ": is a folder, not a file");
  }
  std::string out;
  if (S_ISREG(st.st_mode)) {
    if (static_cast<uint64_t>(st.st_size) > max_bytes) {
      return Status(StatusCode::kResourceExhausted,
                    path + ": file is " + std::to_string(st.st_size) +
                        " bytes, over the limit of " + std::to_string(max_bytes) + " bytes");
    }
    out.reserve(static_cast<size_t>(st.st_size) + 1);  // +1: the read that sees the end
  }
  for (;;) {
    if (out.capacity() - out.size() < 4096) out.reserve(std::max<size_t>(out.capacity() * 2, 1 << 16));
    size_t at = out.size();
    out.resize(out.capacity());
    ssize_t n = ::read(fd, out.data() + at, out.size() - at);
    out.resize(at + (n > 0 ? static_cast<size_t>(n) : 0));
    if (n < 0) {
      if (errno == EINTR) continue;
      return Status(StatusCode::kIoError, path + ": read failed (" + std::strerror(errno) + ")");
    }
    if (n == 0) break;
    if (out.size() > max_bytes) {
      // A pipe, a device, or a file that grew while being read.
      return Status(StatusCode::kResourceExhausted, path + ": input is over the limit of " +
                                                        std::to_string(max_bytes) + " bytes");
    }
  }
  return out;
}

Result<std::shared_ptr<const FileBytes>> FileBytes::Open(const std::string& path,
                                                         uint64_t max_bytes) {
  std::shared_ptr<FileBytes> f(new FileBytes());
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd >= 0) {
    struct stat st {};
    if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
        static_cast<uint64_t>(st.st_size) <= max_bytes) {
      size_t size = static_cast<size_t>(st.st_size);
      void* m = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
      if (m != MAP_FAILED) {
        f->map_ = m;
        f->map_size_ = size;
        f->view_ = std::string_view(static_cast<const char*>(m), size);
      }
    }
    ::close(fd);
  }
  if (!f->map_) {
    // Not mappable (a pipe, a folder, an empty or oversized file, ...): ReadFile reads it or
    // says what is wrong.
    Result<std::string> bytes = ReadFile(path, max_bytes);
    if (!bytes) return bytes.error();
    f->owned_ = std::move(*bytes);
    f->view_ = f->owned_;
  }
  return std::shared_ptr<const FileBytes>(std::move(f));
}

FileBytes::~FileBytes() {
  if (map_) ::munmap(map_, map_size_);
}

Status WriteFileAtomic(const std::string& path, std::string_view data) {
  std::string tmp = path + ".tmp." + std::to_string(::getpid());
  FILE* f = std::fopen(tmp.c_str(), "wb");
  if (!f) {
    return Status(StatusCode::kIoError,
                  path + ": cannot create (" + std::string(std::strerror(errno)) + ")");
  }
  size_t n = std::fwrite(data.data(), 1, data.size(), f);
  int err = n == data.size() ? 0 : errno;
  if (std::fflush(f) != 0 && !err) err = errno;
  if (std::fclose(f) != 0 && !err) err = errno;
  if (err || n != data.size()) {
    std::remove(tmp.c_str());
    return Status(StatusCode::kIoError, path + ": write failed (" +
                                            std::string(std::strerror(err ? err : EIO)) + ")");
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    int e = errno;
    std::remove(tmp.c_str());
    return Status(StatusCode::kIoError,
                  path + ": cannot rename into place (" + std::string(std::strerror(e)) + ")");
  }
  return Status();
}

}  // namespace quarry::internal
