// io/eval_test.cc: the stand-off reader and the layer scorer.
#include "io/eval.h"

#include <doctest/doctest.h>

namespace quarry::internal {
namespace {

std::string Doc(const std::string& entities, const std::string& timexes = "") {
  std::string s = R"({"schema":"quarry.standoff/1","document":{"id":"d","sha256":"ab"},
    "offsets":{"unit":"codepoint"},"entities":[)" +
                  entities + "]";
  if (!timexes.empty()) s += R"(,"timexes":[)" + timexes + "]";
  return s + "}";
}

TEST_CASE("eval: exact, overlap, strict and feature accuracy per type") {
  auto gold = ReadStandoff(
      Doc(R"({"type":"PERSON","span":[0,5],"entity":"a"},{"type":"ORG","span":[10,20],"entity":"b"},
             {"type":"GPE","span":[30,34],"entity":"c"})",
          R"({"type":"DATE","span":[40,44],"value":"2015"})"),
      "gold.json");
  auto sys = ReadStandoff(
      Doc(R"({"type":"PERSON","span":[0,5],"entity":"x"},{"type":"ORG","span":[10,18],"entity":"b"},
             {"type":"GPE","span":[50,54],"entity":"c"})",
          R"({"type":"DATE","span":[40,44],"value":"2016"})"),
      "sys.json");
  REQUIRE(gold.has_value());
  REQUIRE(sys.has_value());
  EvalReport r;
  REQUIRE(Score(*gold, *sys, EvalOptions{}, r).ok());
  const LayerScore& e = r.layers.at("entities");
  CHECK(e.exact.at("").tp == 1);
  CHECK(e.exact.at("").fp == 2);
  CHECK(e.exact.at("").fn == 2);
  CHECK(e.overlap.at("").tp == 2);  // PERSON exact, ORG overlapping
  CHECK(e.overlap.at("ORG").F() == doctest::Approx(1.0));
  CHECK(e.strict.at("").tp == 0);  // the PERSON id differs
  CHECK(e.feature.at("entity").first == 0);
  CHECK(e.feature.at("entity").second == 1);
  const LayerScore& t = r.layers.at("timexes");
  CHECK(t.exact.at("DATE").F() == doctest::Approx(1.0));
  CHECK(t.feature.at("value").first == 0);  // value accuracy 0/1
  std::string text = FormatReport(r, true);
  CHECK(text.find("MISS  [30,34) GPE") != std::string::npos);
  CHECK(text.find("FALSE [50,54) GPE") != std::string::npos);
  CHECK(text.find("WRONG entity") != std::string::npos);
}

TEST_CASE("eval: precision per producing rule, and the rule in the diff") {
  std::string gold = R"({"schema":"quarry.standoff/1","document":{"id":"d"},
    "offsets":{"unit":"codepoint"},"events":[{"type":"ATTACK","span":[0,4]},{"type":"ATTACK","span":[10,14]}]})";
  std::string sys = R"({"schema":"quarry.standoff/1","document":{"id":"d"},
    "offsets":{"unit":"codepoint"},"events":[
      {"type":"ATTACK","span":[0,4],"prov":{"source":"rule","rule":"attack_verb","file":"r.qr","line":7}},
      {"type":"ATTACK","span":[20,24],"prov":{"source":"rule","rule":"attack_verb","file":"r.qr","line":7}},
      {"type":"ATTACK","span":[30,34],"prov":{"source":"rule","rule":"attack_noun","file":"r.qr","line":12}},
      {"type":"ATTACK","span":[10,14]}]})";
  auto g = ReadStandoff(gold, "g");
  auto s = ReadStandoff(sys, "s");
  REQUIRE(g.has_value());
  REQUIRE(s.has_value());
  EvalReport r;
  REQUIRE(Score(*g, *s, EvalOptions{}, r).ok());
  const LayerScore& e = r.layers.at("events");
  REQUIRE(e.by_rule.size() == 2);  // the annotation without a rule is not attributed
  const Counts& verb = e.by_rule.at("attack_verb (r.qr:7)");
  CHECK(verb.tp == 1);
  CHECK(verb.fp == 1);
  CHECK(verb.P() == doctest::Approx(0.5));
  CHECK(e.by_rule.at("attack_noun (r.qr:12)").fp == 1);
  std::string text = FormatReport(r, true);
  CHECK(text.find("FALSE [30,34) ATTACK ''  [rule attack_noun (r.qr:12)]") != std::string::npos);
  // Worst precision first.
  CHECK(text.find("attack_noun (r.qr:12)\n") < text.find("attack_verb (r.qr:7)\n"));
  CHECK(ReportJson(r).find("\"attack_verb (r.qr:7)\"") != std::string::npos);
}

TEST_CASE("eval: arguments compare as arg.ROLE features") {
  std::string gold = R"({"schema":"quarry.standoff/1","document":{"id":"d"},"offsets":{"unit":"codepoint"},
    "relations":[{"type":"leader_of","span":[0,9],"args":[{"role":"subject","text":"Omar"},{"role":"object","text":"Taliban"}]},
                 {"type":"leader_of","span":[20,29],"args":[{"role":"subject","text":"Mansour"},{"role":"object","text":"Taliban"}]}]})";
  std::string sys = R"({"schema":"quarry.standoff/1","document":{"id":"d"},"offsets":{"unit":"codepoint"},
    "relations":[{"type":"leader_of","span":[0,9],"args":[{"role":"subject","ref":"e1","text":"Omar"},{"role":"object","ref":"e2","text":"Taliban"}]},
                 {"type":"leader_of","span":[20,29],"args":[{"role":"subject","ref":"e3","text":"Haqqani"},{"role":"object","ref":"e4","text":"Taliban"}]}]})";
  auto g = ReadStandoff(gold, "g");
  auto s = ReadStandoff(sys, "s");
  REQUIRE(g.has_value());
  REQUIRE(s.has_value());
  CHECK(g->layers.at("relations")[0].features.at("arg.subject") == "Omar");
  EvalOptions o;
  o.features = {"arg.subject", "arg.object"};
  EvalReport r;
  REQUIRE(Score(*g, *s, o, r).ok());
  const LayerScore& l = r.layers.at("relations");
  CHECK(l.exact.at("").tp == 2);
  CHECK(l.strict.at("").tp == 1);  // the second subject differs
  CHECK(l.feature.at("arg.subject").first == 1);
  CHECK(l.feature.at("arg.object").first == 2);
  CHECK(FormatReport(r, true).find("WRONG arg.subject") != std::string::npos);
}

TEST_CASE("eval: bad input is reported with the file and item") {
  auto bad = ReadStandoff(R"({"entities":[{"type":"X","span":[5]}]})", "b.json");
  REQUIRE(!bad.has_value());
  CHECK(bad.error().message().find("b.json: entities[0]") != std::string::npos);
  auto notjson = ReadStandoff("{", "c.json");
  CHECK(notjson.error().message().find("c.json: invalid JSON") != std::string::npos);
  auto g = ReadStandoff(Doc(""), "g");
  std::string other = Doc("");
  other.replace(other.find("\"ab\""), 4, "\"cd\"");
  auto s = ReadStandoff(other, "s");
  EvalReport r;
  CHECK(!Score(*g, *s, EvalOptions{}, r).ok());  // different texts
}

}  // namespace
}  // namespace quarry::internal
