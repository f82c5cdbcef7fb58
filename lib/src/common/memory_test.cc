// common/memory_test.cc: ReserveHuge is a reserve (capacity, contents) whatever the size.
#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "common/memory.h"

namespace quarry::internal {
namespace {

TEST_CASE("ReserveHuge: empty vectors of any size get the capacity; contents are written normally") {
  for (size_t n : {size_t{0}, size_t{1}, size_t{1000}, size_t{3} << 20, (size_t{5} << 20) + 12345}) {
    std::vector<uint32_t> v;
    ReserveHuge(v, n);
    CHECK(v.capacity() >= n);
    v.resize(n);
    for (size_t i = 0; i < n; i += 4099) v[i] = static_cast<uint32_t>(i * 7);
    bool same = true;
    for (size_t i = 0; i < n; i += 4099) same &= v[i] == static_cast<uint32_t>(i * 7);
    CHECK(same);
  }
}

TEST_CASE("ReserveHuge: a non-empty vector keeps its elements") {
  std::vector<std::string> v{"a", "bb", std::string(100, 'c')};
  ReserveHuge(v, size_t{1} << 20);
  CHECK(v.capacity() >= (size_t{1} << 20));
  REQUIRE(v.size() == 3);
  CHECK(v[0] == "a");
  CHECK(v[1] == "bb");
  CHECK(v[2] == std::string(100, 'c'));
}

TEST_CASE("AdviseHugePages accepts unaligned and small ranges") {
  std::vector<char> buf((size_t{9} << 20) + 1);
  AdviseHugePages(buf.data() + 1, buf.size() - 1);
  AdviseHugePages(buf.data(), 100);
  buf[buf.size() - 1] = 'x';
  buf[1] = 'y';
  CHECK(buf[buf.size() - 1] == 'x');
  CHECK(buf[1] == 'y');
}

}  // namespace
}  // namespace quarry::internal
