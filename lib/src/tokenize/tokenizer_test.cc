// tokenize/tokenizer_test.cc: the tokenizer and sentence splitter on English edge cases.
#include <doctest/doctest.h>

#include <unicode/brkiter.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utext.h>

#include <fstream>
#include <random>
#include <tuple>
#include <sstream>

#include "quarry/document.h"
#include "tokenize/tokenizer.h"

using quarry::AnnotationSet;
using quarry::TokenKind;
using quarry::internal::Tokenizer;

namespace {

struct Out {
  std::vector<std::string> tokens;
  std::vector<std::string> sentences;
  AnnotationSet set;
};

Out Run(const std::string& text, quarry::TokenizerOptions opts = {}) {
  auto tok = Tokenizer::Create(opts);
  REQUIRE(tok);
  Out o;
  REQUIRE((*tok)->Tokenize(text, o.set).ok());
  for (const auto& t : o.set.tokens())
    o.tokens.push_back(text.substr(t.span.begin, t.span.size()));
  for (const auto& s : o.set.sentences())
    o.sentences.push_back(text.substr(s.span.begin, s.span.size()));
  return o;
}

std::string Join(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : "|") + x;
  return s;
}

}  // namespace

TEST_CASE("token conventions on the seed commentary's hard cases") {
  struct Case {
    const char* text;
    const char* tokens;
  } cases[] = {
      {"Iran\xE2\x80\x99s cooperation", "Iran|\xE2\x80\x99s|cooperation"},
      {"don't", "do|n't"},
      {"In the wake of 9/11 and", "In|the|wake|of|9/11|and"},
      {"up to 84% in Iran", "up|to|84|%|in|Iran"},
      {"Afghanistan (2010-2015), discusses", "Afghanistan|(|2010|-|2015|)|,|discusses"},
      {"city of Mazar-i-Sharif was", "city|of|Mazar|-|i|-|Sharif|was"},
      {"Al-Qaeda\xE2\x80\x94" "a leader", "Al|-|Qaeda|\xE2\x80\x94|a|leader"},
      {"backyard, i.e. Afghanistan", "backyard|,|i.e.|Afghanistan"},
      {"Brigade (a.k.a the Fatemiyoun", "Brigade|(|a.k.a|the|Fatemiyoun"},
      {"as George W. Bush put it", "as|George|W.|Bush|put|it"},
      {"the U.S. military", "the|U.S.|military"},
      {"\xE2\x80\x9C" "brothers in Islam\xE2\x80\x9D", "\xE2\x80\x9C|brothers|in|Islam|\xE2\x80\x9D"},
      {"Wait... what?!", "Wait|...|what|?!"},
      {"mail me at a.b@example.com.", "mail|me|at|a.b@example.com|."},
      {"see https://example.org/x?y=1, then", "see|https://example.org/x?y=1|,|then"},
      {"it cannot be", "it|can|not|be"},
      {"1,000 people and 4.6 million", "1,000|people|and|4.6|million"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.text);
    CHECK(Join(Run(c.text).tokens) == c.tokens);
  }
}

TEST_CASE("token kinds, lower forms and shapes") {
  Out o = Run("The IRGC paid $5 in 2010.");
  const auto& toks = o.set.tokens();
  REQUIRE(toks.size() == 8);
  CHECK(toks[0].kind == TokenKind::kWord);
  CHECK(o.set.Lower(toks[1]) == "irgc");
  CHECK(o.set.Shape(toks[1]) == "XXXX");
  CHECK(o.set.Shape(toks[0]) == "Xxx");
  CHECK(toks[3].kind == TokenKind::kSymbol);
  CHECK(toks[4].kind == TokenKind::kNumber);
  CHECK(o.set.Shape(toks[6]) == "dddd");
  CHECK(toks[7].kind == TokenKind::kPunctuation);
  Out u = Run("Khōst ÇAĞLAR Straße");
  CHECK(u.set.Lower(u.set.tokens()[0]) == "khōst");
  CHECK(u.set.Shape(u.set.tokens()[0]) == "Xxxxx");
  CHECK(u.set.Lower(u.set.tokens()[2]) == "strasse");  // full case folding
}

TEST_CASE("sentences: abbreviations and initials do not end a sentence") {
  Out o = Run("As George W. Bush put it, i.e. the U.S. view. The next one starts here. "
              "Mr. Smith went to Washington. He came back!");
  REQUIRE(o.sentences.size() == 4);
  CHECK(o.sentences[0] == "As George W. Bush put it, i.e. the U.S. view.");
  CHECK(o.sentences[1] == "The next one starts here.");
  CHECK(o.sentences[2] == "Mr. Smith went to Washington.");
  CHECK(o.sentences[3] == "He came back!");
}

TEST_CASE("sentences: an abbreviation at the end of a sentence before a sentence opener") {
  Out o = Run("They trained in the U.S. The program ended.");
  REQUIRE(o.sentences.size() == 2);
  CHECK(o.sentences[0] == "They trained in the U.S.");
}

TEST_CASE("sentences: closing quotes stay with their sentence") {
  Out o = Run("\xE2\x80\x9CThe enemy of my enemy, is my friend.\xE2\x80\x9D So goes the saying.");
  REQUIRE(o.sentences.size() == 2);
  CHECK(o.sentences[0] == "\xE2\x80\x9CThe enemy of my enemy, is my friend.\xE2\x80\x9D");
}

TEST_CASE("sentences: headings on their own line end a sentence") {
  std::string text =
      "Conclusion\nHistory shows that the coalition of divergent ideologies does not last for "
      "long, and this line is long enough to make the document one with paragraph-length lines, "
      "which is how commentary is usually stored on disk and served to quarry by its users.";
  Out o = Run(text);
  REQUIRE(o.sentences.size() == 2);
  CHECK(o.sentences[0] == "Conclusion");
}

TEST_CASE("sentences: hard-wrapped text joins lines, blank lines separate") {
  std::string text =
      "The war began in the north and spread\nquickly to the south of the country.\n\nA new "
      "phase of the war began when the\ngovernment fell.";
  Out o = Run(text);
  REQUIRE(o.sentences.size() == 2);
  CHECK(o.sentences[0] == "The war began in the north and spread\nquickly to the south of the "
                          "country.");
  quarry::TokenizerOptions always;
  always.newline = quarry::TokenizerOptions::Newline::kAlways;
  CHECK(Run(text, always).sentences.size() == 4);
}

TEST_CASE("CRLF line ends are line breaks, not tokens") {
  Out o = Run("Heading\r\n\r\nFirst sentence here.\r\nSecond one.");
  CHECK(Join(o.tokens) == "Heading|First|sentence|here|.|Second|one|.");
  CHECK(o.sentences.size() == 3);
}

TEST_CASE("the seed commentary: every token lies inside the text and sentences tile tokens") {
  std::ifstream in(QUARRY_SOURCE_DIR "/corpus/nabil-iran-alqaeda-taliban.txt", std::ios::binary);
  REQUIRE(in);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  Out o = Run(text);
  CHECK(o.tokens.size() > 3000);
  uint32_t prev_end = 0;
  for (const auto& t : o.set.tokens()) {
    CHECK(t.span.begin >= prev_end);
    CHECK(t.span.end > t.span.begin);
    prev_end = t.span.end;
    // No token contains white space.
    std::string s = text.substr(t.span.begin, t.span.size());
    CHECK(s.find_first_of(" \n\t") == std::string::npos);
  }
  uint32_t next = 0;
  for (const auto& s : o.set.sentences()) {
    CHECK(s.first_token == next);
    CHECK(s.end_token > s.first_token);
    next = s.end_token;
  }
  CHECK(next == o.set.tokens().size());
  // Headings are sentences of their own.
  bool found = false;
  for (const auto& s : o.sentences) found |= s == "The History of Relations Over the Last 20 Years";
  CHECK(found);
  for (const auto& s : o.sentences) CHECK(s.find("W. Bush") != 0);
}

namespace {

// Reference: ICU word break over the whole text, white-space segments dropped.
std::vector<std::tuple<uint32_t, uint32_t, int32_t>> IcuSegments(const std::string& text) {
  UErrorCode err = U_ZERO_ERROR;
  std::unique_ptr<icu::BreakIterator> it(
      icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), err));
  UText* ut = utext_openUTF8(nullptr, text.data(), static_cast<int64_t>(text.size()), &err);
  it->setText(ut, err);
  std::vector<std::tuple<uint32_t, uint32_t, int32_t>> out;
  int32_t prev = it->first();
  for (int32_t cur = it->next(); cur != icu::BreakIterator::DONE; prev = cur, cur = it->next()) {
    std::string piece = text.substr(prev, cur - prev);
    icu::UnicodeString u = icu::UnicodeString::fromUTF8(piece);
    bool space = true;
    for (int32_t k = 0; k < u.length(); ++k) space &= u_isUWhiteSpace(u.char32At(k)) != 0;
    if (space) continue;
    out.emplace_back(prev, cur, it->getRuleStatus());
  }
  utext_close(ut);
  return out;
}

void CheckSameAsIcu(const std::string& text) {
  auto tok = Tokenizer::Create({});
  REQUIRE(tok);
  std::vector<Tokenizer::Segment> segs;
  REQUIRE((*tok)->CollectSegments(text, segs).ok());
  auto ref = IcuSegments(text);
  for (size_t i = 0; i < std::min(segs.size(), ref.size()); ++i) {
    if (segs[i].begin != std::get<0>(ref[i]) || segs[i].end != std::get<1>(ref[i])) {
      size_t at = std::min<size_t>(segs[i].begin, std::get<0>(ref[i]));
      FAIL_CHECK("first difference at byte " << at << ": '"
                 << text.substr(at > 20 ? at - 20 : 0, 50) << "'");
      break;
    }
  }
  REQUIRE(segs.size() == ref.size());
  for (size_t i = 0; i < segs.size(); ++i) {
    // Plain variables, not a structured binding: CAPTURE is a lambda, and clang 14 (the ASan
    // and fuzz builds) cannot capture a binding.
    const size_t b = std::get<0>(ref[i]), e = std::get<1>(ref[i]);
    const auto st = std::get<2>(ref[i]);
    CAPTURE(text.substr(b, e - b));
    CHECK(segs[i].begin == b);
    CHECK(segs[i].end == e);
    // Compare the status class (none / number / letter), which is all the tokenizer uses.
    CHECK(segs[i].status / 100 == st / 100);
  }
}

}  // namespace

TEST_CASE("differential: ASCII fast path segments exactly as ICU, on random strings") {
  std::mt19937 rng(42);
  const char alphabet[] = "aZb9_ .',;:-/\n\t()!?\"xQ1$%@@";
  for (int round = 0; round < 3000; ++round) {
    std::string s;
    int n = 1 + rng() % 24;
    for (int i = 0; i < n; ++i) s.push_back(alphabet[rng() % (sizeof(alphabet) - 1)]);
    if (round % 5 == 0) s += "\xE2\x80\x99s \xC3\xA9t\xC3\xA9 a\xC2\xA0" "b";  // mixed chunks
    CAPTURE(s);
    CheckSameAsIcu(s);
  }
}

TEST_CASE("differential: segments exactly as ICU on the seed commentary and UD EWT") {
  for (std::string path : {std::string(QUARRY_SOURCE_DIR "/corpus/nabil-iran-alqaeda-taliban.txt"),
                           std::string(QUARRY_SHARED_DATA_DIR "/ud-english-ewt/en_ewt-ud-dev.txt")}) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      MESSAGE("skipped (absent): " << path);
      continue;
    }
    std::stringstream ss;
    ss << in.rdbuf();
    CheckSameAsIcu(ss.str());
  }
}

TEST_CASE("URLs and e-mail addresses end at any white space or control character") {
  // ../shared/regressions/tokenizer-space-before-1310c38a.bin (found by the tokenizer fuzzer):
  // the e-mail chunk test scanned for ASCII white space only, so one token swallowed control
  // characters and a hair space (U+200A).
  const std::string text =
      "ample.!!\x01org!!!!!roq!!!\x01" "et@|.oc,+\x04n\x04\xE2\x80\x8A.";
  Out o = Run(text);
  for (const auto& t : o.set.tokens()) {
    std::string s = text.substr(t.span.begin, t.span.size());
    if (s == "\x01" || s == "\x04") continue;  // a control character is a token of its own
    CHECK_MESSAGE(s.find('\x01') == std::string::npos, s);
    CHECK_MESSAGE(s.find('\x04') == std::string::npos, s);
    CHECK_MESSAGE(s.find("\xE2\x80\x8A") == std::string::npos, s);
  }
  CHECK(Join(Run("write a@b.org\xE2\x80\x8Anow").tokens) == "write|a@b.org|now");
  CHECK(Join(Run("see www.example.org\xC2\xA0today").tokens) == "see|www.example.org|today");
  CHECK(Join(Run("mail a@b.org\x01x").tokens).find("a@b.org|") != std::string::npos);
}

TEST_CASE("a URL that ends at a U+FEFF inside a word loses nothing after it") {
  // fuzz/corpus/tokenizer/regression-url-feff (found by the tokenizer fuzzer): UAX #29 keeps a
  // U+FEFF inside the word "x\uFEFFnd"; the URL chunk stops at it, and the word's rest was lost.
  CHECK(Join(Run("See https://example.org/rw.x\xEF\xBB\xBFnd then").tokens) ==
        "See|https://example.org/rw.x|nd|then");
  // fuzz/corpus/tokenizer/regression-url-feff-end: the U+FEFF ends the word; the next token
  // has the space before it.
  Out o = Run("See https://example.org/mrgil\xEF\xBB\xBF-");
  REQUIRE(Join(o.tokens) == "See|https://example.org/mrgil|-");
  CHECK(o.set.tokens().back().Has(quarry::kSpaceBefore));
  // fuzz/corpus/tokenizer/regression-url-feff-dot: the URL's closing '.' is cut off inside the
  // word "rw.\uFEFFnd"; what follows the URL has no space before it.
  Out d = Run("https://example.org/rw.\xEF\xBB\xBFnd x");
  REQUIRE(d.set.tokens().size() >= 2);
  CHECK(Join(d.tokens).starts_with("https://example.org/rw|"));
  CHECK(!d.set.tokens()[1].Has(quarry::kSpaceBefore));
  // fuzz/corpus/tokenizer/regression-url-fffb: another format character (U+FFFB) ends the
  // chunk; it is not white space, so it stays in a token.
  std::string t = "https://w.xd\xEF\xBF\xBB n";
  Out f = Run(t);
  std::string joined;
  for (const auto& tok : f.set.tokens()) joined += t.substr(tok.span.begin, tok.span.size());
  CHECK(joined == "https://w.xd\xEF\xBF\xBBn");
}
