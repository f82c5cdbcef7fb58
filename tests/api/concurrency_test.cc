// tests/api/concurrency_test.cc: one compiled pipeline shared by many threads gives exactly the
// single-threaded result, for the full pipeline (shipped gazetteers and rules when the source tree
// has them, the temporal tagger); compiling, loading and failing documents in parallel disturb
// nothing. These run under ThreadSanitizer in CI (scripts/sanitize.sh tsan, `ctest -R concurrency`).
#include <doctest/doctest.h>

#include <quarry/quarry.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

namespace {

namespace fs = std::filesystem;

// The full pipeline as the CLI builds it by default: shipped gazetteers and rules when present.
quarry::PipelineOptions FullOptions() {
  quarry::PipelineOptions o;
  fs::path src(QUARRY_SOURCE_DIR);
  if (fs::is_directory(src / "gazetteers")) o.gazetteers = {(src / "gazetteers").string()};
  if (fs::is_directory(src / "rules")) o.rules = {(src / "rules").string()};
  return o;
}

struct Doc {
  std::string id, text, dct;
};

// The corpus, plus variants that exercise other paths: non-ASCII, CRLF, headings, long text.
std::vector<Doc> Documents() {
  std::vector<Doc> docs;
  fs::path corpus = fs::path(QUARRY_SOURCE_DIR) / "corpus";
  for (const auto& e : fs::directory_iterator(corpus)) {
    if (e.path().extension() != ".txt") continue;
    std::ifstream in(e.path(), std::ios::binary);
    docs.push_back({e.path().filename().string(), std::string(std::istreambuf_iterator<char>(in), {}),
                    "2023-03-01"});
  }
  REQUIRE_FALSE(docs.empty());
  std::string seed = docs[0].text;
  docs.push_back({"crlf", [&] {
                    std::string t;
                    for (char c : seed) c == '\n' ? t += "\r\n" : t += c;
                    return t;
                  }(), ""});
  docs.push_back({"head", seed.substr(0, seed.size() / 3), "2010-06-15"});
  docs.push_back({"unicode",
                  "Der Iran und die Taliban — „Verhandlungen“ in Doha, 2020. Ελλάδα 😀 "
                  "Iran’s envoy met Mullah Omar on 3 March 2001 in Kandahar.\n",
                  ""});
  std::string many;
  for (int i = 0; i < 200; ++i) many += "On 12 May 2011 Iran's Quds Force met the Taliban in Herat. ";
  docs.push_back({"repeat", many, "2012-01-01"});
  return docs;
}

std::string AnnotateJson(const quarry::Pipeline& p, const Doc& d) {
  auto doc = quarry::Document::FromBytes(d.text, d.id);
  REQUIRE(doc);
  doc->set_dct(d.dct);
  auto set = p.Annotate(*doc);
  REQUIRE(set);
  return quarry::ToJson(*doc, *set);
}

}  // namespace

TEST_SUITE("concurrency") {

TEST_CASE("many threads annotating with one full pipeline match the single-threaded run") {
  auto p = quarry::Pipeline::Compile(FullOptions());
  REQUIRE_MESSAGE(p, p.error().ToString());
  MESSAGE("stages: ", p->info().stages.size(), ", gazetteer entries: ", p->info().gazetteer_entries,
          ", rules: ", p->info().rules);
  std::vector<Doc> docs = Documents();
  std::vector<std::string> expected;
  for (const Doc& d : docs) expected.push_back(AnnotateJson(*p, d));

  constexpr int kThreads = 8, kRounds = 3;
  std::vector<std::vector<std::string>> got(kThreads, std::vector<std::string>(docs.size()));
  std::atomic<int> mismatches{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < kRounds; ++round) {
        // Each thread walks all documents in its own order (rotated, odd threads backwards), so
        // different documents overlap in time.
        for (size_t k = 0; k < docs.size(); ++k) {
          size_t r = (k + static_cast<size_t>(t) + static_cast<size_t>(round)) % docs.size();
          size_t i = t % 2 ? docs.size() - 1 - r : r;
          std::string json = AnnotateJson(*p, docs[i]);
          if (json != expected[i]) ++mismatches;
          got[t][i] = std::move(json);
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  CHECK(mismatches.load() == 0);
  for (int t = 0; t < kThreads; ++t) CHECK(got[t] == expected);
}

TEST_CASE("compiling, saving and loading in parallel give the same pipeline") {
  quarry::PipelineOptions opts = FullOptions();
  auto ref = quarry::Pipeline::Compile(opts);
  REQUIRE(ref);
  std::vector<Doc> docs = Documents();
  const Doc& d = docs.back();
  std::string expected = AnnotateJson(*ref, d);
  fs::path dir = fs::temp_directory_path() / ("quarry_conc_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::vector<std::string> got(4);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      auto p = quarry::Pipeline::Compile(opts);
      if (!p) return;
      std::string path = (dir / ("p" + std::to_string(t) + ".qpl")).string();
      if (!p->Save(path).ok()) return;
      auto q = quarry::Pipeline::Load(path);
      if (!q) return;
      got[t] = AnnotateJson(*q, d);
    });
  }
  for (auto& th : threads) th.join();
  for (const std::string& g : got) CHECK(g == expected);
  fs::remove_all(dir);
}

TEST_CASE("documents failing on their time budget do not disturb the others") {
  auto p = quarry::Pipeline::Compile(FullOptions());
  REQUIRE(p);
  std::vector<Doc> docs = Documents();
  std::string expected = AnnotateJson(*p, docs[0]);
  std::string long_text;
  for (int i = 0; i < 20000; ++i) long_text += "Iran and the Taliban met in Doha in 2015. ";
  auto long_doc = quarry::Document::FromBytes(long_text, "long");
  REQUIRE(long_doc);
  std::atomic<int> deadline_failures{0}, good{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 4; ++i) {
        if (t % 2 == 0) {
          quarry::AnnotateOptions ao;
          ao.time_budget_seconds = 1e-6;
          auto set = p->Annotate(*long_doc, ao);
          if (!set && set.error().code() == quarry::StatusCode::kDeadlineExceeded) ++deadline_failures;
        } else if (AnnotateJson(*p, docs[0]) == expected) {
          ++good;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  CHECK(deadline_failures.load() == 8);
  CHECK(good.load() == 8);
}

}  // TEST_SUITE
