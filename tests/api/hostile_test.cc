// tests/api/hostile_test.cc: hostile input through the public API: exact codes, messages and
// locations for bad text, oversized and unreadable files, damaged saved pipelines, time budgets.
#include <doctest/doctest.h>

#include <quarry/quarry.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

namespace {

namespace fs = std::filesystem;
using quarry::StatusCode;

fs::path TempDir() {
  static const fs::path d = [] {
    fs::path p = fs::temp_directory_path() / ("quarry_hostile_" + std::to_string(::getpid()));
    fs::create_directories(p);
    return p;
  }();
  // Removed when the test program exits.
  static const struct Cleanup {
    ~Cleanup() {
      std::error_code ec;
      fs::remove_all(d, ec);
    }
  } cleanup;
  return d;
}

std::string Slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void Spit(const fs::path& p, const std::string& bytes) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

quarry::Pipeline TokensOnly() {
  quarry::PipelineOptions o;
  o.temporal = false;
  auto p = quarry::Pipeline::Compile(o);
  REQUIRE(p);
  return *p;
}

// Code, byte offset, line and column of a refused text.
struct Refusal {
  StatusCode code;
  uint64_t byte;
  uint32_t line, column;
};

Refusal Refuse(const std::string& bytes) {
  auto doc = quarry::Document::FromBytes(bytes, "doc");
  REQUIRE_FALSE(doc);
  const quarry::Status& st = doc.error();
  REQUIRE(st.diagnostics().size() == 1);
  const quarry::Diagnostic& d = st.diagnostics()[0];
  CHECK(d.file == "doc");
  return {st.code(), d.byte_offset, d.line, d.column};
}

}  // namespace

TEST_CASE("invalid UTF-8 and NUL bytes are refused with their exact location") {
  auto r = Refuse("\xFFstart");
  CHECK(r.code == StatusCode::kInvalidInput);
  CHECK(r.byte == 0);
  CHECK((r.line == 1 && r.column == 1));
  r = Refuse("one\r\ntwo\rthr\xC3(ee");  // CRLF and lone CR each end a line
  CHECK(r.byte == 12);
  CHECK((r.line == 3 && r.column == 4));
  r = Refuse("ends in a cut sequence \xF0\x9F\x98");
  CHECK(r.byte == 23);
  r = Refuse("\xEF\xBB\xBF\xC0\xAF");  // BOM, then an overlong '/': offsets count the BOM
  CHECK(r.byte == 3);
  CHECK((r.line == 1 && r.column == 1));
  r = Refuse(std::string("a\0b", 3));
  CHECK(r.byte == 1);
  auto doc = quarry::Document::FromBytes(std::string("a\0b", 3), "doc");
  CHECK(doc.error().message() == "doc: NUL byte at byte 1 (line 1, column 2)");
  CHECK(doc.error().diagnostics()[0].snippet.find("\\x00") != std::string::npos);
}

TEST_CASE("a BOM alone is an empty document; BOM, CRLF and CR keep their offsets") {
  auto only = quarry::Document::FromBytes("\xEF\xBB\xBF", "bom");
  REQUIRE(only);
  CHECK(only->has_bom());
  CHECK(only->size_utf8() == 0);
  auto doc = quarry::Document::FromBytes("\xEF\xBB\xBFOne.\r\nTwo.\rThree.", "d");
  REQUIRE(doc);
  CHECK(doc->text() == "One.\r\nTwo.\rThree.");
  CHECK(doc->LineColumn(6) == std::pair<uint32_t, uint32_t>{2, 1});
  CHECK(doc->LineColumn(11) == std::pair<uint32_t, uint32_t>{3, 1});
  auto set = TokensOnly().Annotate(*doc);
  REQUIRE(set);
  REQUIRE(set->tokens().size() == 6);
  CHECK(set->tokens()[2].span == quarry::Span{6, 9});  // "Two"
  CHECK(set->sentences().size() == 3);
}

TEST_CASE("size limits: exact boundary, and a 200 MB file refused before it is read") {
  quarry::DocumentOptions o;
  o.max_bytes = 5;
  CHECK(quarry::Document::FromBytes("12345", "d", o));
  auto over = quarry::Document::FromBytes("123456", "d", o);
  REQUIRE_FALSE(over);
  CHECK(over.error().code() == StatusCode::kResourceExhausted);
  CHECK(over.error().message() == "d: document is 6 bytes, over the limit of 5 bytes");

  // A sparse 200 MB file costs no disk; were it read, it would also fail as NUL bytes.
  fs::path big = TempDir() / "big.txt";
  { std::ofstream(big).put('x'); }
  fs::resize_file(big, 200u << 20);
  auto t0 = std::chrono::steady_clock::now();
  auto doc = quarry::Document::FromFile(big.string());
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  REQUIRE_FALSE(doc);
  CHECK(doc.error().code() == StatusCode::kResourceExhausted);
  CHECK(doc.error().message() ==
        big.string() + ": file is 209715200 bytes, over the limit of 67108864 bytes");
  CHECK(s < 1.0);
  fs::remove(big);
  // The hard ceiling holds whatever the option says.
  o.max_bytes = ~uint64_t{0};
  { std::ofstream(TempDir() / "huge.txt").put('x'); }
  fs::resize_file(TempDir() / "huge.txt", (uint64_t{1} << 30) + 1);
  auto huge = quarry::Document::FromFile((TempDir() / "huge.txt").string(), "", o);
  REQUIRE_FALSE(huge);
  CHECK(huge.error().message().find("over the limit of 1073741824 bytes") != std::string::npos);
  fs::remove(TempDir() / "huge.txt");
}

TEST_CASE("missing, folder and unreadable paths") {
  auto missing = quarry::Document::FromFile("/no/such/dir/x.txt");
  REQUIRE_FALSE(missing);
  CHECK(missing.error().code() == StatusCode::kNotFound);
  CHECK(missing.error().message() ==
        "/no/such/dir/x.txt: cannot open for reading (No such file or directory)");
  auto folder = quarry::Document::FromFile(TempDir().string());
  REQUIRE_FALSE(folder);
  CHECK(folder.error().code() == StatusCode::kInvalidArgument);
  CHECK(folder.error().message() == TempDir().string() + ": is a folder, not a file");
  if (fs::exists("/proc/self/mem")) {  // opens, but reading fails with EIO (even for root)
    auto mem = quarry::Document::FromFile("/proc/self/mem");
    REQUIRE_FALSE(mem);
    CHECK(mem.error().code() == StatusCode::kIoError);
    CHECK(mem.error().message() == "/proc/self/mem: read failed (Input/output error)");
  }
  auto load = quarry::Pipeline::Load(TempDir().string());
  REQUIRE_FALSE(load);
  CHECK(load.error().code() == StatusCode::kInvalidArgument);
  quarry::Pipeline p = TokensOnly();
  quarry::Status st = p.Save(TempDir().string());  // a folder is in the way
  CHECK(st.code() == StatusCode::kIoError);
  st = p.Save("/no/such/dir/p.qpl");
  CHECK(st.code() == StatusCode::kIoError);
  CHECK(st.message().find("/no/such/dir/p.qpl: cannot create") == 0);
}

TEST_CASE("every truncation and every flipped byte of a saved pipeline is refused") {
  quarry::Pipeline p = TokensOnly();
  fs::path path = TempDir() / "p.qpl";
  REQUIRE(p.Save(path.string()).ok());
  const std::string good = Slurp(path);
  REQUIRE(good.size() > 32);
  for (size_t n = 0; n < good.size(); ++n) {
    Spit(path, good.substr(0, n));
    auto r = quarry::Pipeline::Load(path.string());
    REQUIRE_FALSE(r);
    CHECK_MESSAGE(r.error().code() == StatusCode::kDataLoss, "truncated to ", n, " bytes: ",
                  r.error().message());
  }
  for (size_t i = 0; i < good.size(); ++i) {
    std::string bad = good;
    bad[i] = static_cast<char>(bad[i] ^ 0x5A);
    Spit(path, bad);
    auto r = quarry::Pipeline::Load(path.string());
    REQUIRE_FALSE(r);
    CHECK((r.error().code() == StatusCode::kDataLoss ||
           r.error().code() == StatusCode::kInvalidInput));
  }
  // Another format version: named, with the way out.
  std::string v99 = good;
  v99[12] = 99;
  Spit(path, v99);
  auto r = quarry::Pipeline::Load(path.string());
  REQUIRE_FALSE(r);
  CHECK(r.error().code() == StatusCode::kInvalidInput);
  const std::string& m = r.error().message();
  CHECK(m.find(path.string() + ": format version 99, this build reads version ") == 0);
  CHECK(m.ends_with(" (recompile the source files)"));
  std::string kind = good;
  kind.replace(8, 4, "GAZT");
  Spit(path, kind);
  r = quarry::Pipeline::Load(path.string());
  REQUIRE_FALSE(r);
  CHECK(r.error().message() == path.string() + ": holds a 'GAZT' object where 'PIPE' was expected");
  Spit(path, good + "x");
  r = quarry::Pipeline::Load(path.string());
  REQUIRE_FALSE(r);
  CHECK(r.error().code() == StatusCode::kDataLoss);
  fs::remove(path);
}

TEST_CASE("a time budget stops a long document, with and without tokens_only") {
  quarry::Pipeline p = TokensOnly();
  std::string text;
  for (int i = 0; i < 100000; ++i) text += "Iran and the Taliban met in Doha in 2015. ";
  auto doc = quarry::Document::FromBytes(text, "long");
  REQUIRE(doc);
  for (bool tokens_only : {false, true}) {
    quarry::AnnotateOptions ao;
    ao.time_budget_seconds = 1e-6;
    ao.tokens_only = tokens_only;
    auto set = p.Annotate(*doc, ao);
    REQUIRE_FALSE(set);
    CHECK(set.error().code() == StatusCode::kDeadlineExceeded);
    CHECK(set.error().message().find("long: time budget of 0.000001 s exceeded during ") == 0);
  }
  quarry::AnnotateOptions generous;
  generous.time_budget_seconds = 600;
  CHECK(p.Annotate(*doc, generous));
}

TEST_CASE("a bare year is normalized (regression: month 0 indexed the month table at -1)") {
  quarry::PipelineOptions o;  // the built-in temporal grammar
  auto p = quarry::Pipeline::Compile(o);
  REQUIRE(p);
  auto doc = quarry::Document::FromBytes("The U.S. left in 2021. It came back in 1999.", "y");
  REQUIRE(doc);
  auto set = p->Annotate(*doc);
  REQUIRE(set);
  std::vector<std::string> values;
  for (const auto& a : set->annotations()) {
    if (a.layer == quarry::Layer::kTimex) values.push_back(a.FeatureString("value"));
  }
  CHECK(values == std::vector<std::string>{"2021", "1999"});
}

TEST_CASE("a token over 64 KiB keeps valid UTF-8 forms (they are cut at a character boundary)") {
  std::string word;
  for (int i = 0; i < 40000; ++i) word += "\xC3\xA9";  // "é" x 40000: one 80000-byte word
  auto doc = quarry::Document::FromBytes("Start " + word + " end.", "long-token");
  REQUIRE(doc);
  auto set = TokensOnly().Annotate(*doc);
  REQUIRE(set);
  REQUIRE(set->tokens().size() == 4);
  const quarry::Token& t = set->tokens()[1];
  CHECK(t.span.size() == 80000);
  std::string_view lower = set->Lower(t);
  CHECK(lower.size() == 65534);  // 0xFFFF would split the last two-byte character
  CHECK(lower.substr(0, 2) == "\xC3\xA9");
  // Valid UTF-8 throughout: every lead byte is followed by its continuation byte.
  bool valid = true;
  for (size_t i = 0; i + 1 < lower.size() && valid; i += 2) {
    valid = static_cast<uint8_t>(lower[i]) == 0xC3 && static_cast<uint8_t>(lower[i + 1]) == 0xA9;
  }
  CHECK(valid);
}
