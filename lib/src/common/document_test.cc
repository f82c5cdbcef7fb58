// common/document_test.cc: Document validation, identity and offset maps.
#include <doctest/doctest.h>

#include <random>

#include "common/binary.h"
#include "common/sha256.h"
#include "common/string_set.h"
#include "common/utf8.h"
#include "quarry/document.h"

using quarry::Document;
using quarry::StatusCode;

TEST_CASE("sha256 matches FIPS 180-4 test vectors") {
  using quarry::internal::Sha256Hex;
  CHECK(Sha256Hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(Sha256Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(Sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  // 55 and 56 bytes straddle the one-block / two-block padding boundary.
  CHECK(Sha256Hex(std::string(55, 'a')) ==
        "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318");
  CHECK(Sha256Hex(std::string(56, 'a')) ==
        "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a");
  CHECK(Sha256Hex(std::string(1000000, 'a')) ==
        "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("offset maps agree with a naive count") {
  // ASCII, 2-, 3- and 4-byte characters: "aé€😀b".
  std::string text = "a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80" "b";
  auto doc = Document::FromBytes(text, "t");
  REQUIRE(doc);
  CHECK(doc->size_utf8() == 11);
  CHECK(doc->size_codepoints() == 5);
  CHECK(doc->size_utf16() == 6);
  uint32_t bytes[] = {0, 1, 3, 6, 10, 11};
  uint32_t cps[] = {0, 1, 2, 3, 4, 5};
  uint32_t u16s[] = {0, 1, 2, 3, 5, 6};
  for (int i = 0; i < 6; ++i) {
    CHECK(doc->ToCodepoint(bytes[i]) == cps[i]);
    CHECK(doc->ToUtf16(bytes[i]) == u16s[i]);
    CHECK(doc->FromCodepoint(cps[i]) == bytes[i]);
    CHECK(doc->FromUtf16(u16s[i]) == bytes[i]);
  }
  CHECK_FALSE(doc->is_ascii());
}

TEST_CASE("offset maps: randomized differential test against a reference walk") {
  std::mt19937 rng(7);
  const char32_t pool[] = {'a', ' ', '\n', 0xE9, 0x2019, 0x20AC, 0x1F600, 0x10348, 'Z'};
  for (int round = 0; round < 200; ++round) {
    std::string s;
    int n = rng() % 40;
    for (int i = 0; i < n; ++i) quarry::internal::AppendUtf8(s, pool[rng() % 9]);
    auto doc = Document::FromBytes(s, "r");
    REQUIRE(doc);
    uint32_t cp = 0, u16 = 0;
    for (size_t b = 0; b <= s.size();) {
      CHECK(doc->ToCodepoint(static_cast<uint32_t>(b)) == cp);
      CHECK(doc->ToUtf16(static_cast<uint32_t>(b)) == u16);
      CHECK(doc->FromCodepoint(cp) == b);
      CHECK(doc->FromUtf16(u16) == b);
      if (b == s.size()) break;
      size_t len = quarry::internal::ValidSequenceLength(s, b);
      b += len;
      ++cp;
      u16 += len == 4 ? 2 : 1;
    }
    CHECK(doc->size_codepoints() == cp);
    CHECK(doc->size_utf16() == u16);
  }
}

TEST_CASE("invalid UTF-8 is rejected with the byte offset, line and column") {
  struct Case {
    std::string bytes;
    uint64_t offset;
  };
  Case cases[] = {
      {"\xFF" "abc", 0},                  // at the start
      {"ab\ncd\xC3(ef", 5},               // truncated 2-byte sequence in the middle
      {"abc\xE2\x82", 3},                 // truncated at the end
      {"x\xC0\xAF", 1},                   // overlong
      {"x\xED\xA0\x80", 1},               // surrogate
      {"x\xF4\x90\x80\x80", 1},           // above U+10FFFF
      {"ok \x80", 3},                     // stray continuation byte
  };
  for (const Case& c : cases) {
    auto doc = Document::FromBytes(c.bytes, "bad.txt");
    REQUIRE_FALSE(doc);
    CHECK(doc.error().code() == StatusCode::kInvalidInput);
    CHECK(doc.error().message().find("bad.txt: invalid UTF-8 at byte " +
                                     std::to_string(c.offset)) != std::string::npos);
    REQUIRE(doc.error().diagnostics().size() == 1);
    CHECK(doc.error().diagnostics()[0].byte_offset == c.offset);
  }
  auto doc = Document::FromBytes("ab\ncd\xC3(ef", "f");
  CHECK(doc.error().diagnostics()[0].line == 2);
  CHECK(doc.error().diagnostics()[0].column == 3);
}

TEST_CASE("NUL bytes are rejected") {
  auto doc = Document::FromBytes(std::string("ab\0cd", 5), "nul.txt");
  REQUIRE_FALSE(doc);
  CHECK(doc.error().code() == StatusCode::kInvalidInput);
  CHECK(doc.error().message().find("NUL byte at byte 2") != std::string::npos);
}

TEST_CASE("a leading BOM is removed and recorded; offsets count after it") {
  auto doc = Document::FromBytes("\xEF\xBB\xBFIran", "bom");
  REQUIRE(doc);
  CHECK(doc->has_bom());
  CHECK(doc->text() == "Iran");
  CHECK(doc->size_codepoints() == 4);
  // An error after a BOM names the offset in the input as given.
  auto bad = Document::FromBytes("\xEF\xBB\xBF" "a\xFF", "bom");
  REQUIRE_FALSE(bad);
  CHECK(bad.error().diagnostics()[0].byte_offset == 4);
}

TEST_CASE("CRLF stays in the text; line/column treat it as one break") {
  auto doc = Document::FromBytes("a\r\nb\rc\nd", "crlf");
  REQUIRE(doc);
  CHECK(doc->size_utf8() == 8);
  CHECK(doc->LineColumn(3) == std::pair<uint32_t, uint32_t>{2, 1});
  CHECK(doc->LineColumn(5) == std::pair<uint32_t, uint32_t>{3, 1});
  CHECK(doc->LineColumn(7) == std::pair<uint32_t, uint32_t>{4, 1});
}

TEST_CASE("empty document and size limit") {
  auto empty = Document::FromBytes("", "empty");
  REQUIRE(empty);
  CHECK(empty->size_codepoints() == 0);
  CHECK(empty->sha256() == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  quarry::DocumentOptions small;
  small.max_bytes = 3;
  auto big = Document::FromBytes("abcd", "big", small);
  REQUIRE_FALSE(big);
  CHECK(big.error().code() == StatusCode::kResourceExhausted);
}

TEST_CASE("missing file is kNotFound naming the path") {
  auto doc = Document::FromFile("/nonexistent/quarry/x.txt");
  REQUIRE_FALSE(doc);
  CHECK(doc.error().code() == StatusCode::kNotFound);
  CHECK(doc.error().message().find("/nonexistent/quarry/x.txt") != std::string::npos);
}

TEST_CASE("binary framing: round trip, truncation, corruption, wrong version and kind") {
  using namespace quarry::internal;
  std::string file = WrapFile("TEST", 3, "payload bytes");
  auto ok = UnwrapFile(file, "TEST", 3, "f");
  REQUIRE(ok);
  CHECK(*ok == "payload bytes");
  for (size_t cut = 0; cut < file.size(); ++cut) {
    auto r = UnwrapFile(std::string_view(file).substr(0, cut), "TEST", 3, "f");
    REQUIRE_FALSE(r);
    CHECK((r.error().code() == StatusCode::kDataLoss ||
           r.error().code() == StatusCode::kInvalidInput));
  }
  std::string flipped = file;
  flipped.back() ^= 1;
  CHECK(UnwrapFile(flipped, "TEST", 3, "f").error().code() == StatusCode::kDataLoss);
  CHECK(UnwrapFile(file, "TEST", 4, "f").error().code() == StatusCode::kInvalidInput);
  CHECK(UnwrapFile(file, "GAZT", 3, "f").error().code() == StatusCode::kInvalidInput);
  CHECK(UnwrapFile("garbage that is long enough to hold a header", "TEST", 3, "f")
            .error()
            .code() == StatusCode::kInvalidInput);
  BinaryReader r(std::string_view("\x05\x00\x00\x00\x00\x00\x00\x00" "ab", 10));
  r.Str();
  CHECK_FALSE(r.ok());
}

TEST_CASE("StringSet: membership, duplicates, growth, insertion order, the empty string") {
  quarry::internal::StringSet s;
  CHECK(!s.contains("a"));
  CHECK(s.empty());
  CHECK(s.insert("beta"));
  CHECK(s.insert("alpha"));
  CHECK(!s.insert("beta"));
  CHECK(s.insert(""));
  CHECK(s.size() == 3);
  CHECK(s.contains(""));
  CHECK(s.contains("alpha"));
  CHECK(!s.contains("alph"));
  CHECK(!s.contains("alphab"));
  std::vector<std::string> order(s.begin(), s.end());
  CHECK(order == std::vector<std::string>{"beta", "alpha", ""});
  // Many entries: the index grows and every word is still found, none twice.
  quarry::internal::StringSet big;
  big.reserve(10);
  for (int i = 0; i < 20000; ++i) CHECK(big.insert("w" + std::to_string(i)));
  for (int i = 0; i < 20000; i += 997) CHECK(!big.insert("w" + std::to_string(i)));
  CHECK(big.size() == 20000);
  for (int i = 0; i < 20000; ++i) REQUIRE(big.contains("w" + std::to_string(i)));
  CHECK(!big.contains("w20000"));
  CHECK(big.count("w5") == 1);
  CHECK(big.at(19999) == "w19999");
}
