// fuzz/fuzz_util.h: shared helpers of the libFuzzer targets: a checked invariant that aborts with
// a message (so libFuzzer records the input as a crash), and a per-process scratch file path.
#ifndef QUARRY_FUZZ_FUZZ_UTIL_H_
#define QUARRY_FUZZ_FUZZ_UTIL_H_

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#define FUZZ_CHECK(cond)                                                                  \
  do {                                                                                    \
    if (!(cond)) {                                                                        \
      std::fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #cond);   \
      std::abort();                                                                       \
    }                                                                                     \
  } while (0)

namespace quarry::fuzz {

// A file path private to this process (the loaders under test read from paths).
inline std::string ScratchPath(const char* tag) {
  const char* dir = std::getenv("TMPDIR");
  return std::string(dir && *dir ? dir : "/tmp") + "/quarry-fuzz-" + tag + "-" +
         std::to_string(::getpid());
}

inline bool WriteAll(const std::string& path, const void* data, size_t size) {
  FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return false;
  bool ok = std::fwrite(data, 1, size, f) == size;
  return std::fclose(f) == 0 && ok;
}

}  // namespace quarry::fuzz

#endif  // QUARRY_FUZZ_FUZZ_UTIL_H_
