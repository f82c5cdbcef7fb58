// io/ud_eval_test.cc: CoNLL-U reading and exact-span scoring.
#include <doctest/doctest.h>

#include "io/ud_eval.h"

using quarry::Span;
using namespace quarry::internal;

TEST_CASE("ReadConllu rebuilds the text and aligns tokens, words and sentences") {
  std::string conllu =
      "# newdoc id = d1\n# newpar id = p1\n# text = I don't know.\n"
      "1\tI\tI\tPRON\t_\t_\t0\troot\t_\t_\n"
      "2-3\tdon't\t_\t_\t_\t_\t_\t_\t_\t_\n"
      "2\tdo\tdo\tAUX\t_\t_\t0\troot\t_\t_\n"
      "3\tn't\tnot\tPART\t_\t_\t0\troot\t_\t_\n"
      "4\tknow\tknow\tVERB\t_\t_\t0\troot\t_\tSpaceAfter=No\n"
      "5\t.\t.\tPUNCT\t_\t_\t0\troot\t_\t_\n\n"
      "# text = Yes\n1\tYes\tyes\tINTJ\t_\t_\t0\troot\t_\t_\n\n"
      "# newpar id = p2\n# text = Next.\n"
      "1\tNext\tnext\tADJ\t_\t_\t0\troot\t_\tSpaceAfter=No\n"
      "2\t.\t.\tPUNCT\t_\t_\t0\troot\t_\t_\n\n";
  auto g = ReadConllu(conllu, "t.conllu");
  REQUIRE(g);
  CHECK(g->text == "I don't know. Yes\n\nNext.");
  CHECK(g->unaligned == 0);
  CHECK(g->tokens.size() == 7);
  CHECK(g->words.size() == 8);
  CHECK(g->words[1] == Span{2, 4});
  CHECK(g->words[2] == Span{4, 7});
  REQUIRE(g->sentences.size() == 3);
  CHECK(g->sentences[0] == Span{0, 13});
  CHECK(g->sentences[2] == Span{19, 24});
}

TEST_CASE("ScoreSpans counts exact matches only") {
  std::vector<Span> gold = {{0, 1}, {2, 4}, {4, 7}, {8, 12}};
  std::vector<Span> sys = {{0, 1}, {2, 7}, {8, 12}, {13, 14}};
  Prf r = ScoreSpans(gold, sys);
  CHECK(r.correct == 2);
  CHECK(r.precision() == doctest::Approx(0.5));
  CHECK(r.recall() == doctest::Approx(0.5));
  CHECK(r.f1() == doctest::Approx(0.5));
}

TEST_CASE("bad CoNLL-U lines are located") {
  auto g = ReadConllu("# text = a\n1\ta\n", "bad.conllu");
  REQUIRE_FALSE(g);
  CHECK(g.error().message().find("bad.conllu:2:") == 0);
}
