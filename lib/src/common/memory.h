// common/memory.h: large buffers backed by transparent huge pages where the system offers them.
//
//   std::vector<uint32_t> v;
//   ReserveHuge(v, n);   // v must be empty: nothing has been written to the buffer yet
//   v.resize(n);         // faults in 2 MiB pages instead of 4 KiB ones
//
// With transparent huge pages in "madvise" mode (a common default), a buffer of tens of
// megabytes written once per document otherwise costs a page fault per 4 KiB; that was a fifth
// of the rule stage's time on a 10 MB document. Elsewhere (no THP, other systems) this is a
// plain reserve.
#ifndef QUARRY_COMMON_MEMORY_H_
#define QUARRY_COMMON_MEMORY_H_

#include <cstddef>
#include <cstdint>
#include <vector>

namespace quarry::internal {

// Asks the kernel to back [p, p + bytes) with huge pages where whole ones fit. No effect for
// ranges under 4 MiB or where unsupported.
void AdviseHugePages(void* p, size_t bytes);

template <typename T>
void ReserveHuge(std::vector<T>& v, size_t n) {
  if (!v.empty() || n <= v.capacity()) {
    v.reserve(n);
    return;
  }
  v.reserve(n);
  AdviseHugePages(v.data(), n * sizeof(T));
}

}  // namespace quarry::internal

#endif  // QUARRY_COMMON_MEMORY_H_
