// tests/api/api_test.cc: the public API, through public headers only.
#include <doctest/doctest.h>

#include <quarry/quarry.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>

namespace {

quarry::Pipeline TokensOnly() {
  quarry::PipelineOptions o;
  o.temporal = false;
  auto p = quarry::Pipeline::Compile(o);
  REQUIRE(p);
  return *p;
}

}  // namespace

TEST_CASE("compile once, annotate a document, write JSON") {
  quarry::Pipeline p = TokensOnly();
  auto doc = quarry::Document::FromBytes("Iran’s envoy met the Taliban in Kabul.", "d1");
  REQUIRE(doc);
  auto set = p.Annotate(*doc);
  REQUIRE(set);
  CHECK(set->tokens().size() == 9);
  CHECK(set->sentences().size() == 1);
  std::string json = quarry::ToJson(*doc, *set);
  CHECK(json.find("\"schema\":\"quarry.standoff/1\"") != std::string::npos);
  CHECK(json.find("\"id\":\"d1\"") != std::string::npos);
  // Code point offsets by default: "’" is one code point, three bytes.
  CHECK(json.find("\"span\":[[0,4],[4,6]") != std::string::npos);
  CHECK(json.find("\"utf8\":[[0,4],[4,8]") != std::string::npos);
}

TEST_CASE("errors come back as Status, never as exceptions") {
  auto missing = quarry::Document::FromFile("/no/such/file.txt");
  REQUIRE_FALSE(missing);
  CHECK(missing.error().code() == quarry::StatusCode::kNotFound);
  quarry::PipelineOptions o;
  o.rules = {"/no/such/rules"};
  auto p = quarry::Pipeline::Compile(o);
  REQUIRE_FALSE(p);
  CHECK(p.error().code() == quarry::StatusCode::kNotFound);
  CHECK(p.error().message().find("/no/such/rules") != std::string::npos);
}

TEST_CASE("one pipeline shared by many threads gives the single-threaded result") {
  quarry::Pipeline p = TokensOnly();
  std::vector<std::string> texts;
  for (int i = 0; i < 16; ++i) {
    std::string t;
    for (int k = 0; k <= i; ++k) t += "Mullah Omar led the Taliban from 1996 to 2001. ";
    texts.push_back(t);
  }
  std::vector<std::string> expected;
  for (size_t i = 0; i < texts.size(); ++i) {
    auto d = quarry::Document::FromBytes(texts[i], "t" + std::to_string(i));
    expected.push_back(quarry::ToJson(*d, *p.Annotate(*d)));
  }
  std::vector<std::string> got(texts.size());
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 10; ++round) {
        for (size_t i = t; i < texts.size(); i += 4) {
          auto d = quarry::Document::FromBytes(texts[i], "t" + std::to_string(i));
          got[i] = quarry::ToJson(*d, *p.Annotate(*d));
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  CHECK(got == expected);
}

TEST_CASE("save and load a compiled pipeline; damaged files are refused") {
  quarry::Pipeline p = TokensOnly();
  std::string path = std::filesystem::temp_directory_path() / "quarry_api_test.qpl";
  REQUIRE(p.Save(path).ok());
  auto loaded = quarry::Pipeline::Load(path);
  REQUIRE(loaded);
  auto doc = quarry::Document::FromBytes("A test. Another one.", "x");
  CHECK(quarry::ToJson(*doc, *loaded->Annotate(*doc)) == quarry::ToJson(*doc, *p.Annotate(*doc)));
  // Truncate it.
  std::string bytes;
  {
    std::ifstream in(path, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size() - 3));
  }
  auto bad = quarry::Pipeline::Load(path);
  REQUIRE_FALSE(bad);
  CHECK(bad.error().code() == quarry::StatusCode::kDataLoss);
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << "definitely not a pipeline";
  }
  bad = quarry::Pipeline::Load(path);
  REQUIRE_FALSE(bad);
  CHECK(bad.error().code() == quarry::StatusCode::kInvalidInput);
  std::remove(path.c_str());
}

TEST_CASE("offset units in JSON output") {
  quarry::Pipeline p = TokensOnly();
  auto doc = quarry::Document::FromBytes("😀 Iran", "emoji");
  auto set = p.Annotate(*doc);
  quarry::JsonOptions jo;
  jo.unit = quarry::OffsetUnit::kUtf16;
  std::string json = quarry::ToJson(*doc, *set, jo);
  CHECK(json.find("\"unit\":\"utf16\"") != std::string::npos);
  CHECK(json.find("[3,7]") != std::string::npos);  // "Iran" after a surrogate pair and a space
  CHECK(doc->ToCodepoint(5) == 2);
}
