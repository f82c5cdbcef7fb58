// tokenize/tokenizer_test.cc: the tokenizer and sentence splitter on English edge cases.
#include <doctest/doctest.h>

#include <fstream>
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
