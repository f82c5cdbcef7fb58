// bench/bench_pipeline.cc: the whole pipeline (tokenizer, gazetteer tagger and linker, temporal
// tagger, rules) on the seed commentary replicated into many documents, on one thread and on all
// cores, beside the tokenizer alone in the same run. Prints one JSON object per line.
//
//   build/bench/bench_pipeline [MIN_MB]   (default 10; run from anywhere)
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <thread>
#include <vector>

#include "bench_common.h"
#include "quarry/quarry.h"

int main(int argc, char** argv) {
  size_t min_mb = argc > 1 ? std::stoul(argv[1]) : 10;
  std::string one = quarry::bench::ReplicatedCorpus(1);  // one copy of the commentary
  std::vector<quarry::Document> docs;
  size_t bytes = 0;
  for (int i = 0; bytes < (min_mb << 20); ++i) {
    docs.push_back(*quarry::Document::FromBytes(one, "doc" + std::to_string(i)));
    bytes += one.size();
  }
  double mb = bytes / 1e6;

  quarry::PipelineOptions full;
  full.gazetteers = {QUARRY_SOURCE_DIR "/gazetteers"};
  full.rules = {QUARRY_SOURCE_DIR "/rules"};
  auto compile_t0 = std::chrono::steady_clock::now();
  auto pipeline = quarry::Pipeline::Compile(full);
  double compile_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - compile_t0).count();
  if (!pipeline) {
    std::fprintf(stderr, "%s\n", pipeline.error().ToString().c_str());
    return 1;
  }
  quarry::PipelineOptions tok_only;
  tok_only.temporal = false;
  auto tokenizer = quarry::Pipeline::Compile(tok_only);

  auto run = [&](const quarry::Pipeline& p, unsigned threads, size_t* annotations) {
    std::atomic<size_t> next{0}, count{0};
    auto work = [&] {
      for (size_t i = next++; i < docs.size(); i = next++) {
        auto set = p.Annotate(docs[i]);
        if (!set) std::exit(1);
        count += set->annotations().size();
      }
    };
    std::vector<std::thread> pool;
    for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work);
    work();
    for (auto& t : pool) t.join();
    if (annotations) *annotations = count;
  };
  size_t anns = 0;
  double tok_s = quarry::bench::BestSeconds(3, [&] { run(*tokenizer, 1, nullptr); });
  double one_s = quarry::bench::BestSeconds(3, [&] { run(*pipeline, 1, &anns); });
  unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  double all_s = quarry::bench::BestSeconds(3, [&] { run(*pipeline, cores, nullptr); });
  std::printf(
      "{\"bench\":\"pipeline_1_thread\",\"mb\":%.2f,\"docs\":%zu,\"annotations\":%zu,"
      "\"mb_per_s\":%.2f,\"baseline\":\"tokenizer only, 1 thread\",\"baseline_mb_per_s\":%.2f,"
      "\"ratio\":%.3f,\"compile_s\":%.3f}\n",
      mb, docs.size(), anns, mb / one_s, mb / tok_s, tok_s / one_s, compile_s);
  // Per-stage breakdown of one single-threaded pass.
  {
    quarry::Profile prof;
    quarry::AnnotateOptions o;
    o.profile = &prof;
    for (const auto& d : docs) (void)pipeline->Annotate(d, o);
    for (const auto& s : prof.stages)
      std::printf("{\"bench\":\"pipeline_stage\",\"stage\":\"%s\",\"seconds\":%.3f,"
                  "\"mb_per_s\":%.2f,\"annotations\":%llu}\n",
                  s.stage.c_str(), s.seconds, s.seconds > 0 ? mb / s.seconds : 0.0,
                  static_cast<unsigned long long>(s.annotations));
  }
  std::printf(
      "{\"bench\":\"pipeline_%u_threads\",\"mb\":%.2f,\"mb_per_s\":%.2f,\"baseline\":\"pipeline, "
      "1 thread\",\"baseline_mb_per_s\":%.2f,\"ratio\":%.3f,\"peak_rss_mib\":%.1f}\n",
      cores, mb, mb / all_s, mb / one_s, one_s / all_s, quarry::bench::PeakRssMiB());
  // Loading the saved form, beside compiling from the data files (the baseline) in the same run;
  // measured last, so that the mapped files do not count in the peak RSS above.
  double load_s = 0;
  {
    std::string saved = "bench_pipeline." + std::to_string(::getpid()) + ".qpl";
    if (!pipeline->Save(saved).ok()) return 1;
    load_s = quarry::bench::BestSeconds(5, [&] {
      auto loaded = quarry::Pipeline::Load(saved);
      if (!loaded) std::exit(1);
    });
    std::remove(saved.c_str());
  }
  std::printf(
      "{\"bench\":\"pipeline_load\",\"load_ms\":%.1f,\"baseline\":\"compile from the data "
      "files\",\"baseline_ms\":%.1f,\"ratio\":%.2f,\"goal_ms\":100}\n",
      load_s * 1e3, compile_s * 1e3, compile_s / load_s);
  return 0;
}
