// bench/bench_common.h: helpers shared by the benchmark programs (corpus replication, timing,
// peak memory). Benchmarks print one JSON object per line.
#ifndef QUARRY_BENCH_BENCH_COMMON_H_
#define QUARRY_BENCH_BENCH_COMMON_H_

#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <time.h>

namespace quarry::bench {

// The seed commentary repeated (separated by blank lines) until it is at least `min_bytes`.
inline std::string ReplicatedCorpus(size_t min_bytes) {
  std::ifstream in(QUARRY_SOURCE_DIR "/corpus/nabil-iran-alqaeda-taliban.txt", std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string one = ss.str();
  if (one.empty()) {
    std::fprintf(stderr, "bench: cannot read the seed commentary\n");
    std::exit(1);
  }
  std::string out;
  out.reserve(min_bytes + one.size() + 2);
  while (out.size() < min_bytes) {
    out += one;
    out += "\n\n";
  }
  return out;
}

// CPU time of the calling thread in seconds (user and system, page faults included; time the
// host takes away from a shared machine's virtual CPU is not). Shared machines here are
// noisy: a benchmark reports it beside wall time.
inline double CpuNow() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

// Peak resident set size of this process in MiB (VmHWM).
inline double PeakRssMiB() {
  std::ifstream f("/proc/self/status");
  std::string line;
  while (std::getline(f, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;
  }
  return 0;
}

// Best wall time in seconds of `reps` runs of fn().
template <typename Fn>
double BestSeconds(int reps, Fn&& fn) {
  double best = 1e300;
  for (int r = 0; r < reps; ++r) {
    auto t0 = std::chrono::steady_clock::now();
    fn();
    double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (s < best) best = s;
  }
  return best;
}

}  // namespace quarry::bench

#endif  // QUARRY_BENCH_BENCH_COMMON_H_
