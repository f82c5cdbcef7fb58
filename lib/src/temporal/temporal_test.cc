// temporal/temporal_test.cc: unit tests of the temporal grammar parser, matcher and normalizer.
#include <doctest/doctest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "common/binary.h"
#include "quarry/quarry.h"
#include "quarry/timeml.h"
#include "temporal/grammar.h"
#include "temporal/normalize.h"
#include "temporal/tagger.h"

namespace quarry::internal {
namespace {

struct Found {
  std::string text, type, value;
};

std::vector<Found> Timexes(const TemporalTagger& t, std::string_view text,
                           std::string_view dct = {}) {
  auto set = t.TagText(text, dct);
  REQUIRE(set.has_value());
  std::vector<Found> out;
  for (const Annotation& a : set->annotations()) {
    if (a.layer != Layer::kTimex) continue;
    out.push_back(
        {std::string(text.substr(a.span.begin, a.span.size())), a.type, a.FeatureString("value")});
  }
  return out;
}

const TemporalTagger& Builtin() {
  static std::unique_ptr<TemporalTagger> t = [] {
    auto r = TemporalTagger::Create({});
    REQUIRE(r.has_value());
    return std::move(*r);
  }();
  return *t;
}

TEST_CASE("the built-in grammar compiles and all its inline examples pass") {
  ExampleReport rep = Builtin().CheckExamples();
  for (const Diagnostic& d : rep.failures) MESSAGE(d.ToString());
  CHECK(rep.examples > 100);
  CHECK(rep.failed == 0);
  CHECK(Builtin().grammar().rules.size() > 80);
}

TEST_CASE("grammar errors are all reported with file, line and column") {
  std::vector<SourceFile> files = {{"bad.qt",
                                    "rule a\n"
                                    "  pattern  @nosuch y:@YEAR\n"
                                    "  value    datee(y)\n"
                                    "  colour   red\n"
                                    "end\n"
                                    "rule b\n"
                                    "  pattern  /[/ y:@YEAR\n"
                                    "  value    dur(y)\n"
                                    "  example  \"no marks\"\n"
                                    "end\n"
                                    "lexicon l\n"
                                    "  no value here\n"
                                    "end\n"
                                    "rule c\n"
                                    "  pattern  (a | b\n"}};
  auto g = TemporalTagger::Create(files);
  REQUIRE_FALSE(g.has_value());
  const Status& st = g.error();
  CHECK(st.code() == StatusCode::kParseError);
  auto has = [&](uint32_t line, uint32_t col, std::string_view words) {
    for (const Diagnostic& d : st.diagnostics()) {
      if (d.file == "bad.qt" && d.line == line && d.column == col &&
          d.message.find(words) != std::string::npos)
        return true;
    }
    return false;
  };
  CHECK(st.diagnostics().front().line == 2);  // sorted by position
  CHECK(has(2, 12, "unknown lexicon or class '@nosuch'"));
  CHECK(has(3, 12, "unknown function 'datee'"));
  CHECK(has(4, 3, "unknown keyword 'colour'"));
  CHECK(has(7, 12, "bad regular expression"));
  CHECK(has(8, 12, "dur takes 2 arguments, 1 given"));
  CHECK(has(9, 12, "example marks no timex"));
  CHECK(has(12, 3, "lexicon entry needs '= value'"));
  CHECK(has(15, 12, "unclosed '('"));
  CHECK(has(14, 1, "not closed with `end`"));
  CHECK(st.diagnostics().size() >= 9);
}

TEST_CASE("deeply nested groups are a located error, not a crash") {
  std::string pattern = std::string(20000, '(') + "@month" + std::string(20000, ')');
  std::vector<SourceFile> files = {
      {"deep.qt", "rule deep\n  pattern  " + pattern + "\n  value    date(, 1, 1)\nend\n"}};
  auto g = TemporalTagger::Create(files);
  REQUIRE_FALSE(g.has_value());
  bool found = false;
  for (const Diagnostic& d : g.error().diagnostics())
    found |= d.file == "deep.qt" && d.line == 2 &&
             d.message.find("groups nest deeper than 32 levels") != std::string::npos;
  CHECK(found);
  std::string ok = std::string(30, '(') + "@DAY" + std::string(30, ')') + " y:@YEAR";
  files = {{"ok.qt", "rule ok\n  pattern  " + ok + "\n  value    date(y)\nend\n"}};
  CHECK(TemporalTagger::Create(files).has_value());
}

TEST_CASE("a capture used in a value must exist") {
  std::vector<SourceFile> files = {{"c.qt", "rule a\n  pattern  y:@YEAR\n  value date(x)\nend\n"}};
  auto g = TemporalTagger::Create(files);
  REQUIRE_FALSE(g.has_value());
  REQUIRE(g.error().diagnostics().size() == 1);
  CHECK(g.error().diagnostics()[0].line == 3);
  CHECK(g.error().diagnostics()[0].message.find("'x' is not a capture") != std::string::npos);
}

TEST_CASE("the seed commentary's expressions") {
  const auto& t = Builtin();
  auto f = Timexes(t, "Director of Security of Afghanistan (2010-2015), discusses");
  REQUIRE(f.size() == 2);
  CHECK(f[0].value == "2010");
  CHECK(f[1].value == "2015");
  auto set = t.TagText("Director (2010-2015), discusses");
  REQUIRE(set.has_value());
  const Annotation& a = set->annotations()[0];
  CHECK(a.FeatureString("begin") == "2010");
  CHECK(a.FeatureString("end") == "2015");

  f = Timexes(t, "In the wake of 9/11 and the fall of the first Taliban regime");
  REQUIRE(f.size() == 1);
  CHECK(f[0].text == "9/11");
  CHECK(f[0].value == "2001-09-11");

  f = Timexes(t, "the Taliban, over the last two decades, after which");
  REQUIRE(f.size() == 1);
  CHECK(f[0].text == "the last two decades");
  CHECK(f[0].type == "DURATION");
  CHECK(f[0].value == "P20Y");

  f = Timexes(t, "In 2011 and 2012, relations grew. In that same year, the conflict ended.");
  REQUIRE(f.size() == 3);
  CHECK(f[2].text == "that same year");
  CHECK(f[2].value == "2012");

  f = Timexes(t, "the Taliban’s return to power in August 2021.");
  REQUIRE(f.size() == 1);
  CHECK(f[0].value == "2021-08");
}

TEST_CASE("deictic expressions: document date, narrative anchor, or reference values") {
  const auto& t = Builtin();
  // No document date, nothing mentioned before: reference values, never a made-up date.
  auto f = Timexes(
      t, "Recently, the US acted, as Bush put it years ago, and today Iran is currently weak.");
  REQUIRE(f.size() == 4);
  CHECK(f[0].value == "PAST_REF");
  CHECK(f[1].value == "PAST_REF");
  CHECK(f[2].value == "PRESENT_REF");
  CHECK(f[3].value == "PRESENT_REF");
  // With a document date (news): against it.
  f = Timexes(t, "Elections were held last year and today.", "2020-05-01");
  REQUIRE(f.size() == 2);
  CHECK(f[0].value == "2019");
  CHECK(f[1].value == "2020-05-01");
  // Narrative: a history written in 2009 about 1939 resolves against the last date mentioned.
  f = Timexes(t, "War broke out in 1939. In April, Germany attacked. Two months later Paris fell.",
              "2009-12-19");
  REQUIRE(f.size() == 3);
  CHECK(f[1].value == "1939-04");
  CHECK(f[2].value == "1939-06");
  // A month with no year known stays unresolved, marked with X.
  f = Timexes(t, "On June 6 the landings began.");
  REQUIRE(f.size() == 1);
  CHECK(f[0].value == "XXXX-06-06");
}

TEST_CASE("day arithmetic crosses month and year ends") {
  const auto& t = Builtin();
  auto f = Timexes(t, "On December 31, 1940, it began; the next day it ended.");
  REQUIRE(f.size() == 2);
  CHECK(f[1].value == "1941-01-01");
  f = Timexes(t, "On March 1, 1944, it began. Two days earlier it had rained.");
  REQUIRE(f.size() == 2);
  CHECK(f[1].value == "1944-02-28");
  for (long z : {-800000L, -1L, 0L, 59L, 11016L, 730000L}) {
    Ymd d = CivilFromDays(z);
    CHECK(DaysFromCivil(d.y, d.m, d.d) == z);
  }
}

TEST_CASE("values: BC years, decades, centuries, seasons, times, sets") {
  const auto& t = Builtin();
  auto value_of = [&](std::string_view text) {
    auto f = Timexes(t, text);
    return f.size() == 1 ? f[0].value : std::string("<" + std::to_string(f.size()) + ">");
  };
  CHECK(value_of("the battle in 490 BC was won") == "BC0490");
  CHECK(value_of("in the 1990s the war") == "199");
  CHECK(value_of("in the 19th century it") == "18");
  CHECK(value_of("in the summer of 1920 the") == "1920-SU");
  CHECK(value_of("attacks every day") == "P1D");
  CHECK(value_of("a 25-year lease") == "P25Y");
  CHECK(value_of("in mid-2007 the") == "2007");
}

TEST_CASE("a user grammar extends a shipped lexicon") {
  std::vector<SourceFile> files = BuiltinTemporalGrammar();
  files.push_back({"user.qt", "lexicon named_date\n  7/7 = 2005-07-07\nend\n"});
  auto t = TemporalTagger::Create(files);
  REQUIRE(t.has_value());
  auto f = Timexes(**t, "After 7/7 and 9/11 the laws changed.");
  REQUIRE(f.size() == 2);
  CHECK(f[0].value == "2005-07-07");
  CHECK(f[1].value == "2001-09-11");
}

TEST_CASE("the pipeline runs the temporal stage after the tokenizer") {
  PipelineOptions opt;
  auto p = Pipeline::Compile(opt);
  REQUIRE(p.has_value());
  auto info = p->info();
  REQUIRE(info.stages.size() >= 2);
  CHECK(info.stages[1] == "temporal");
  auto doc = Document::FromBytes("Mansour was killed in 2016, not long after.", "d");
  REQUIRE(doc.has_value());
  auto set = p->Annotate(*doc);
  REQUIRE(set.has_value());
  size_t n = 0;
  for (const Annotation& a : set->annotations()) {
    if (a.layer != Layer::kTimex) continue;
    ++n;
    CHECK(a.FeatureString("value") == "2016");
    CHECK(a.prov.source == "temporal");
    CHECK(a.prov.rule == "year");
    CHECK(a.prov.file == "rules/temporal/dates.qt");
  }
  CHECK(n == 1);
  opt.temporal = false;
  auto q = Pipeline::Compile(opt);
  REQUIRE(q.has_value());
  CHECK(q->info().stages.size() == 1);
}

TEST_CASE("the temporal stage splits words as the pipeline's tokenizer does") {
  // With split_clitics off, "Year's" is one token in the text; the grammar's "new year's day"
  // must be split the same way (the stage used to build its own default tokenizer).
  for (bool split : {true, false}) {
    PipelineOptions opt;
    opt.tokenizer.split_clitics = split;
    auto p = Pipeline::Compile(opt);
    REQUIRE(p.has_value());
    auto doc = Document::FromBytes("They met on New Year's Day 2015 in Kabul.", "d");
    REQUIRE(doc.has_value());
    auto set = p->Annotate(*doc);
    REQUIRE(set.has_value());
    std::string values;
    for (const Annotation& a : set->annotations())
      if (a.layer == Layer::kTimex) values += a.FeatureString("value") + " ";
    CAPTURE(split);
    CHECK(values == "2015-01-01 ");
  }
}

}  // namespace
}  // namespace quarry::internal

namespace quarry::internal {
namespace {

TEST_CASE("the seed commentary against its hand-made timex gold") {
  auto doc = Document::FromFile("corpus/nabil-iran-alqaeda-taliban.txt");
  REQUIRE(doc.has_value());
  auto gold_text = ReadFile("corpus/gold/nabil-iran-alqaeda-taliban.timexes.json");
  REQUIRE(gold_text.has_value());
  auto gold = nlohmann::json::parse(*gold_text);
  auto set = Builtin().TagText(doc->text());
  REQUIRE(set.has_value());
  size_t sys = 0, strict = 0, values = 0;
  for (const Annotation& a : set->annotations()) {
    if (a.layer != Layer::kTimex) continue;
    ++sys;
    for (const auto& g : gold["timexes"]) {
      if (g["utf8"][0] == a.span.begin && g["utf8"][1] == a.span.end) {
        ++strict;
        if (g["value"] == a.FeatureString("value") && g["type"] == a.type)
          ++values;
        else
          MESSAGE(a.FeatureString("value") << " vs gold " << g.dump());
      }
    }
  }
  size_t n = gold["timexes"].size();
  double p = static_cast<double>(strict) / sys, r = static_cast<double>(strict) / n;
  MESSAGE("seed: gold " << n << ", system " << sys << ", strict " << strict << ", value+type "
                        << values);
  CHECK(2 * p * r / (p + r) >= 0.95);
  CHECK(static_cast<double>(values) / strict >= 0.95);
}

TEST_CASE("TimeML export wraps each timex in an escaped TIMEX3") {
  auto doc = Document::FromBytes("Fish & chips <in> June 1940, today.", "d<1>");
  REQUIRE(doc.has_value());
  doc->set_dct("2009-12-19T17:00:00");
  auto set = Builtin().TagText(doc->text());
  REQUIRE(set.has_value());
  std::string tml = ToTimeML(*doc, *set);
  CHECK(tml.find("<DOCID>d&lt;1&gt;</DOCID>") != std::string::npos);
  CHECK(tml.find("functionInDocument=\"CREATION_TIME\">2009-12-19T17:00:00</TIMEX3>") !=
        std::string::npos);
  CHECK(tml.find("Fish &amp; chips &lt;in&gt; <TIMEX3 tid=\"t1\" type=\"DATE\" "
                 "value=\"1940-06\">June 1940</TIMEX3>, <TIMEX3 tid=\"t2\" type=\"DATE\" "
                 "value=\"PRESENT_REF\">today</TIMEX3>.</TEXT>") != std::string::npos);
}

}  // namespace
}  // namespace quarry::internal

namespace quarry::internal {
namespace {

TEST_CASE("a temporal rule over the match limit fails the document, naming the rule") {
  std::string text;
  for (int i = 0; i < 20; ++i) text += "In 1999 it rained. ";
  AnnotationSet set;
  auto tok = Tokenizer::Create({});
  REQUIRE(tok.has_value());
  REQUIRE((*tok)->Tokenize(text, set).ok());
  Status st = Builtin().Tag(text, "", set, 10);
  CHECK(st.code() == StatusCode::kResourceExhausted);
  CHECK(st.message().find("temporal rule year") != std::string::npos);
}

}  // namespace
}  // namespace quarry::internal

namespace quarry::internal {
namespace {

TEST_CASE("mutated grammars never crash the parser or the matcher") {
  // Deterministic mutations of the shipped grammar: deleted, duplicated and replaced bytes.
  const std::vector<SourceFile>& shipped = BuiltinTemporalGrammar();
  uint64_t seed = 0x9e3779b97f4a7c15ull;
  auto next = [&] {
    seed ^= seed << 13;
    seed ^= seed >> 7;
    seed ^= seed << 17;
    return seed;
  };
  const char kBytes[] = "()|?*+!&^@/\":,=\\ \n#abcXYZ019[]";
  size_t compiled = 0, rejected = 0;
  for (int round = 0; round < 60; ++round) {
    std::vector<SourceFile> files = shipped;
    for (auto& f : files) {
      for (int k = 0; k < 6 && !f.content.empty(); ++k) {
        size_t at = next() % f.content.size();
        switch (next() % 3) {
          case 0:
            f.content.erase(at, 1 + next() % 8);
            break;
          case 1:
            f.content.insert(at, f.content.substr(at, next() % 16));
            break;
          default:
            f.content[at] = kBytes[next() % (sizeof kBytes - 1)];
        }
      }
    }
    auto t = TemporalTagger::Create(files);
    if (!t) {
      ++rejected;
      for (const Diagnostic& d : t.error().diagnostics()) {
        CHECK(d.line > 0);
        CHECK(!d.file.empty());
      }
      continue;
    }
    ++compiled;
    auto set = (*t)->TagText(
        "On September 1, 1939, Germany attacked; two years later, in June, "
        "(2010-2015) and 9/11 at 10:30 p.m. the next day.");
    CHECK(set.has_value());
  }
  MESSAGE("mutated grammars: " << compiled << " compiled, " << rejected << " rejected");
  CHECK(compiled + rejected == 60);
}

}  // namespace
}  // namespace quarry::internal
