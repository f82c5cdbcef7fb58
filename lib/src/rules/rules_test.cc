// rules/rules_test.cc: the rule language end to end: operators, errors, policies, phases,
// emission, lemmatizer, save/load, and a differential test against a backtracking matcher.
#include <doctest/doctest.h>

#include <functional>
#include <map>
#include <random>
#include <thread>
#include <unistd.h>

#include "common/binary.h"
#include "rules/compiler.h"
#include "rules/lemmatizer.h"
#include "rules/parser.h"
#include "rules/rule_stage.h"
#include "tokenize/tokenizer.h"

namespace quarry::internal::rules {
namespace {

// Tokenizes `marked` (which may hold [[text|TYPE k=v]] markup) for rule set `rs`.
struct Fixture {
  std::shared_ptr<const RuleSet> rs;
  Document doc;
  AnnotationSet set;
};

std::shared_ptr<const RuleSet> MustCompile(const std::string& src) {
  auto rs = CompileRules({{"t.qr", src}});
  if (!rs) FAIL_CHECK(rs.error().ToString());
  REQUIRE(rs.has_value());
  return *rs;
}

Fixture Prepare(std::shared_ptr<const RuleSet> rs, const std::string& marked) {
  MarkedText mt = ParseMarkup(marked, *rs);
  REQUIRE(mt.error.empty());
  auto doc = Document::FromBytes(mt.text, "t");
  REQUIRE(doc.has_value());
  auto tok = Tokenizer::Create(TokenizerOptions{});
  REQUIRE(tok.has_value());
  AnnotationSet set;
  REQUIRE((*tok)->Tokenize(doc->text(), set).ok());
  for (auto& a : mt.annotations) set.Add(a);
  return Fixture{rs, std::move(*doc), std::move(set)};
}

// Non-overlapping matches of rule 0 over all sentences, as the matched texts.
std::vector<std::string> Matches(const std::string& pattern, const std::string& marked,
                                 const std::string& decls = "") {
  auto rs = MustCompile("type X, Y, Z: other (f, n);\n" + decls + "\nrule r { match " + pattern +
                        "; emit X; }\n");
  Fixture f = Prepare(rs, marked);
  std::vector<std::string> out;
  for (uint32_t s = 0; s < f.set.sentences().size(); ++s) {
    for (const Match& m : rs->FindMatches(f.doc, f.set, 0, s)) {
      Span sp{f.set.tokens()[m.start].span.begin, f.set.tokens()[m.end - 1].span.end};
      out.emplace_back(f.doc.Slice(sp));
    }
  }
  return out;
}

using V = std::vector<std::string>;

TEST_CASE("operators: table-driven") {
  struct Row {
    const char* pattern;
    const char* text;
    V expected;
  };
  const Row rows[] = {
      // element constraints
      {"\"Iran\"", "Iran and iran", {"Iran"}},
      {"[lower == iran]", "Iran and IRAN", {"Iran", "IRAN"}},
      {"[lemma == kill]", "They killed two and kills one", {"killed", "kills"}},
      {"[lemma == assassinate]", "He was assassinated.", {"assassinated"}},
      {"[shape == Xxxxx]", "the Taliban met", {"Taliban"}},
      {"[case == upper]", "the IRGC and US", {"IRGC", "US"}},
      {"[kind == number]", "in 1998 and 2001", {"1998", "2001"}},
      {"[text =~ /Iran.*/]", "Iran Iraqi Iranian", {"Iran", "Iranian"}},
      {"[text =~ /ra/p]", "Iran Iraqi Tehran", {"Iran", "Iraqi", "Tehran"}},
      {"[text =~ /ra/]", "Iran Iraqi", {}},
      {"[text =~ /iran/i]", "IRAN", {"IRAN"}},
      {"[lower in {iran, iraq}]", "Iran and Iraq", {"Iran", "Iraq"}},
      {"[lower in countries]", "Iran and Iraq", {"Iran", "Iraq"}},
      {"[lower not in {and}]", "a and b", {"a", "b"}},
      {"[lower == a | lower == b]", "a c b", {"a", "b"}},
      {"[kind == word & !(lower == a)]", "a c b", {"c", "b"}},
      {"[kind == word and not lower == a]", "a c b", {"c", "b"}},
      // sequences, groups, alternation
      {"\"a\" \"b\"", "a b a c a b", {"a b", "a b"}},
      {"\"a\" (\"b\" | \"c\")", "a b a c a d", {"a b", "a c"}},
      {"(\"a\" | \"a\" \"b\")", "a b", {"a"}},
      {"(\"a\" \"b\" | \"a\")", "a b", {"a b"}},
      // quantifiers
      {"\"a\" \"b\"?", "a b a c", {"a b", "a"}},
      {"\"a\" \"b\"??", "a b", {"a"}},
      {"\"a\" \"b\"*", "a b b b c", {"a b b b"}},
      {"\"a\" \"b\"+", "a a b b", {"a b b"}},
      {"\"a\" []*? \"c\"", "a b c b c", {"a b c"}},
      {"\"a\" []* \"c\"", "a b c b c", {"a b c b c"}},
      {"\"a\" []+? \"c\"", "a c a b c", {"a c a b c"}},
      {"\"b\"{2}", "b b b b b", {"b b", "b b"}},
      {"\"b\"{2,3}", "b b b b b", {"b b b", "b b"}},
      {"\"b\"{2,3}?", "b b b b b", {"b b", "b b"}},
      {"\"b\"{1,}", "b b c b", {"b b", "b"}},
      {"\"a\" []{0,2} \"d\"", "a b c d a b c e d", {"a b c d"}},
      // anchors
      {"^ [kind == word]", "One two. Three four.", {"One", "Three"}},
      {"[kind == word] $", "One two", {"two"}},
      {"[kind == word] [] $", "One two. Three four.", {"two.", "four."}},
      // lookaround
      {"\"a\" (?= \"b\")", "a c a b", {"a"}},
      {"\"a\" (?! \"b\")", "a b a c", {"a"}},
      {"(?<= \"x\") \"a\"", "y a x a", {"a"}},
      {"(?<! \"x\") \"a\" \"q\"", "x a q y a q", {"a q"}},
      {"(?! \"no\") [kind == word]+", "no yes", {"yes"}},
      // annotations in the lattice
      {"@X", "[[Al-Masri|X]] was here", {"Al-Masri"}},
      {"@X [lower == was]", "[[Al-Masri|X]] was here", {"Al-Masri was"}},
      {"@other [lower == was]", "[[Al-Masri|X]] was here", {"Al-Masri was"}},
      {"@X[f == yes]", "[[a b|X f=yes]] and [[c d|X f=no]]", {"a b"}},
      {"@X[f != yes]", "[[a b|X f=yes]] and [[c d|X f=no]]", {"c d"}},
      {"@X[n >= 10]", "[[a|X n=9]] [[b|X n=10]] [[c|X n=100]]", {"b", "c"}},
      {"@X[text == \"c d\"]", "[[a b|X]] and [[c d|X]]", {"c d"}},
      {"@X[type in {X, Y}] \"and\"", "[[a b|X]] and [[c d|Y]]", {"a b and"}},
      {"(@X | @Y)+", "[[a|X]] [[b c|Y]] d", {"a b c"}},
      {"@X \"c\"", "[[a b|X]] c", {"a b c"}},
      {"[] [] \"c\"", "[[a b|X]] c", {"a b c"}},
      {"@Y", "[[a b|X]] c", {}},
      // macros
      {"ab \"c\"", "a b c", {"a b c"}},
  };
  const char* decls = "words countries = {iran, iraq};\ndefine ab = \"a\" \"b\";";
  for (const Row& r : rows) {
    auto join = [](const V& v) {
      std::string s;
      for (auto& x : v) s += "<" + x + ">";
      return s;
    };
    std::string pattern = r.pattern, text = r.text;
    CAPTURE(pattern);
    CAPTURE(text);
    CHECK(join(Matches(r.pattern, r.text, decls)) == join(r.expected));
  }
}

TEST_CASE("captures become arguments and features; provenance is recorded") {
  auto rs = MustCompile(R"(
type ATTACK: event (cameo, label, trigger_lemma, victim_id);
phase events { input entity, timex; output event; policy longest; }
rule attack {
  phase events;
  match victim:@PERSON [lower in {was, were}] trigger:[lemma in {assassinate, kill}]
        ([lower == in] place:@GPE)? ([lower == in] when:@DATE)?;
  emit ATTACK(target: victim, place: place, time: when) at trigger
    { cameo = "186", label = "assassinate", trigger_lemma = lemma(trigger), victim_id = victim.entity };
}
)");
  Fixture f = Prepare(rs, "[[Al-Masri|PERSON entity=Q1]] was assassinated in [[Tehran|GPE]] in [[2020|DATE value=2020]].");
  REQUIRE(rs->Apply(f.doc, f.set, AnnotateOptions{}).ok());
  const Annotation& a = f.set.annotations().back();
  CHECK(a.type == "ATTACK");
  CHECK(a.layer == Layer::kEvent);
  CHECK(f.doc.Slice(a.span) == "assassinated");
  REQUIRE(a.args.size() == 3);
  CHECK(a.args[0].role == "target");
  CHECK(f.doc.Slice(f.set.annotations()[a.args[0].target].span) == "Al-Masri");
  CHECK(a.args[1].role == "place");
  CHECK(a.args[2].role == "time");
  CHECK(a.FeatureString("cameo") == "186");
  CHECK(a.FeatureString("trigger_lemma") == "assassinate");
  CHECK(a.FeatureString("victim_id") == "Q1");
  CHECK(a.FeatureString("date") == "2020");
  CHECK(a.FeatureString("date_source") == "argument");
  CHECK(a.prov.source == "rule");
  CHECK(a.prov.rule == "attack");
  CHECK(a.prov.phase == "events");
  CHECK(a.prov.file == "t.qr");
  CHECK(a.prov.line == 4);

  // Without a time argument the nearest preceding DATE in the sentence dates the event.
  Fixture g = Prepare(rs, "In [[1998|DATE value=1998]] [[Omar|PERSON]] was killed.");
  REQUIRE(rs->Apply(g.doc, g.set, AnnotateOptions{}).ok());
  CHECK(g.set.annotations().back().FeatureString("date") == "1998");
  CHECK(g.set.annotations().back().FeatureString("date_source") == "sentence");
  // No timex: no date.
  Fixture h = Prepare(rs, "[[Omar|PERSON]] was killed.");
  REQUIRE(rs->Apply(h.doc, h.set, AnnotateOptions{}).ok());
  CHECK(h.set.annotations().back().FindFeature("date") == nullptr);
}

TEST_CASE("a capture that can be unbound is a warning, unless its argument is marked optional") {
  auto warnings_of = [](const std::string& match, const std::string& emit) {
    auto rs = MustCompile("type EV: event;\nphase p { input entity; output event; }\n"
                          "rule r {\n  phase p;\n  match " + match + ";\n  emit " + emit +
                          ";\n}\n");
    std::vector<std::string> out;
    for (const Diagnostic& d : rs->warnings()) out.push_back(d.message);
    return out;
  };
  // `at` a capture inside an optional part: the event would span the whole match.
  auto w = warnings_of("a:@PERSON [lower == met] (t:[lower == twice])?", "EV(source: a) at t");
  REQUIRE(w.size() == 1);
  CHECK(w[0].find("capture 't' (emit ... at) can be unbound") != std::string::npos);
  CHECK(w[0].find("spans the whole match") != std::string::npos);
  // An argument in one alternative only; the same marked `?` is no warning.
  w = warnings_of("(a:@PERSON | [lower == someone]) t:[lower == met]", "EV(source: a) at t");
  REQUIRE(w.size() == 1);
  CHECK(w[0].find("argument 'source'") != std::string::npos);
  CHECK(w[0].find("write 'a?'") != std::string::npos);
  CHECK(warnings_of("(a:@PERSON | [lower == someone]) t:[lower == met]", "EV(source: a?) at t")
            .empty());
  // Bound in every alternative, or repeated at least once: no warning.
  CHECK(warnings_of("(a:@PERSON [lower == x] | [lower == y] a:@PERSON) t:[lower == met]",
                    "EV(source: a) at t")
            .empty());
  CHECK(warnings_of("(a:@PERSON [lower == and]?)+ t:[lower == met]", "EV(source: a) at t").empty());
  // Repeated possibly zero times: a warning.
  CHECK(warnings_of("t:[lower == met] (a:@PERSON){0,2}", "EV(source: a) at t").size() == 1);
  // A capture of what may match nothing, with its place.
  auto rs = MustCompile("type EV: event;\nphase p { input entity; output event; }\n"
                        "rule r { phase p; match [lower == met] t:[lower == x]?; emit EV at t; }\n");
  REQUIRE(rs->warnings().size() == 1);
  CHECK(rs->warnings()[0].file == "t.qr");
  CHECK(rs->warnings()[0].line == 3);
  CHECK(rs->warnings()[0].severity == Diagnostic::Severity::kWarning);
}

TEST_CASE("conflict policies and the deterministic tie-break") {
  auto run = [](const std::string& policy, const std::string& text) {
    auto rs = MustCompile("type A, B, C: other;\nphase p { input other; output other; policy " + policy +
                          "; }\n"
                          "rule short { phase p; priority 5; match \"a\"; emit A; }\n"
                          "rule long { phase p; priority 1; match \"a\" \"b\"; emit B; }\n"
                          "rule late { phase p; priority 9; match \"b\" \"c\"; emit C; }\n");
    Fixture f = Prepare(rs, text);
    REQUIRE(rs->Apply(f.doc, f.set, AnnotateOptions{}).ok());
    std::string out;
    for (auto& a : f.set.annotations()) out += a.type;
    return out;
  };
  CHECK(run("all", "a b c") == "ABC");
  // longest: "a b" and "b c" tie on length, late's priority 9 beats long's 1; "a" still fits.
  CHECK(run("longest", "a b c") == "AC");
  CHECK(run("longest", "a b") == "B");
  CHECK(run("priority", "a b c") == "AC");  // late (9), then short (5)
  CHECK(run("first", "a b c") == "AC");     // start 0: short (priority 5 > 1), then late
  CHECK(run("first", "a b") == "A");
  // Same length, same priority: rule order decides.
  auto rs = MustCompile("type A, B: other;\nrule one { match \"x\"; emit A; }\nrule two { match \"x\"; emit B; }\n");
  Fixture f = Prepare(rs, "x");
  REQUIRE(rs->Apply(f.doc, f.set, AnnotateOptions{}).ok());
  REQUIRE(f.set.annotations().size() == 1);
  CHECK(f.set.annotations()[0].type == "A");
}

// Conflict resolution over sentences of thousands of tokens (the kept-match bitset has words
// and summary words: overlaps across both boundaries) == a brute-force greedy selection.
TEST_CASE("conflict policies on long sentences == brute-force greedy selection") {
  const std::string rules =
      "type A, B, C, D: other;\n"
      "phase p { input other; output other; policy POLICY; }\n"
      "rule ra { phase p; priority 2; match \"a\" []{0,3} \"b\"; emit A; }\n"
      "rule rb { phase p; priority 1; match \"b\" \"c\"+; emit B; }\n"
      "rule rc { phase p; priority 3; match \"c\"; emit C; }\n"
      "rule rd { phase p; match \"d\" []*? \"a\" \"b\"; emit D; }\n";
  std::mt19937 rng(7);
  for (const char* policy : {"longest", "priority", "first"}) {
    for (int round = 0; round < 4; ++round) {
      std::string text;
      int n = 3000 + static_cast<int>(rng() % 6000);
      for (int i = 0; i < n; ++i) {
        int w = static_cast<int>(rng() % 20);
        // "d" is rare: rd's matches are few and long (up to the next "a b").
        text += i ? " " : "";
        text += w < 6 ? "a" : w < 12 ? "b" : w < 18 ? "c" : w < 19 ? "e" : (rng() % 8 ? "e" : "d");
      }
      std::string src = rules;
      src.replace(src.find("POLICY"), 6, policy);
      auto rs = MustCompile(src);
      Fixture f = Prepare(rs, text);
      REQUIRE(f.set.sentences().size() == 1);
      // Every rule's matches, then the documented order and a quadratic overlap check.
      struct M {
        int32_t rule;
        uint32_t start, end;
      };
      std::vector<M> all;
      for (int32_t r = 0; r < static_cast<int32_t>(rs->rules().size()); ++r)
        for (const Match& m : rs->FindMatches(f.doc, f.set, r, 0)) all.push_back({r, m.start, m.end});
      auto prio = [&](const M& m) { return rs->rules()[m.rule].priority; };
      auto len = [](const M& m) { return m.end - m.start; };
      std::string pol = policy;
      std::stable_sort(all.begin(), all.end(), [&](const M& a, const M& b) {
        if (pol == "longest") {
          if (len(a) != len(b)) return len(a) > len(b);
          if (prio(a) != prio(b)) return prio(a) > prio(b);
        } else if (pol == "first") {
          if (a.start != b.start) return a.start < b.start;
          if (prio(a) != prio(b)) return prio(a) > prio(b);
          if (len(a) != len(b)) return len(a) > len(b);
        } else {
          if (prio(a) != prio(b)) return prio(a) > prio(b);
          if (len(a) != len(b)) return len(a) > len(b);
        }
        if (a.rule != b.rule) return a.rule < b.rule;
        return a.start < b.start;
      });
      std::vector<M> kept;
      for (const M& m : all) {
        bool overlaps = false;
        for (const M& k : kept) overlaps |= m.start < k.end && k.start < m.end;
        if (!overlaps) kept.push_back(m);
      }
      std::sort(kept.begin(), kept.end(), [](const M& a, const M& b) {
        return std::tie(a.start, a.end, a.rule) < std::tie(b.start, b.end, b.rule);
      });
      size_t before = f.set.annotations().size();
      REQUIRE(rs->Apply(f.doc, f.set, AnnotateOptions{}).ok());
      std::vector<std::tuple<uint32_t, uint32_t, std::string>> got, want;
      for (size_t i = before; i < f.set.annotations().size(); ++i) {
        const Annotation& a = f.set.annotations()[i];
        got.emplace_back(a.first_token, a.end_token, a.prov.rule);
      }
      for (const M& k : kept) want.emplace_back(k.start, k.end, rs->rules()[k.rule].name);
      INFO("policy " << std::string(policy) << ", round " << round << ", " << n << " tokens");
      CHECK(want.size() > 100);
      CHECK(got == want);
    }
  }
}

TEST_CASE("phases are ordered from their declarations and see earlier outputs") {
  auto rs = MustCompile(R"(
type PAIR: relation;
type KW: other;
# declared first, but reads KW which `words` writes: must run second
phase pairs { input KW; output PAIR; policy all; }
phase words { input other; output KW; policy all; }
rule kw { phase words; match [lower in {iran, taliban}]; emit KW; }
rule pair { phase pairs; match a:@KW [lower == and] b:@KW; emit PAIR(subject: a, object: b); }
)");
  REQUIRE(rs->phases().size() == 2);
  CHECK(rs->phases()[0].name == "words");
  Fixture f = Prepare(rs, "Iran and Taliban");
  REQUIRE(rs->Apply(f.doc, f.set, AnnotateOptions{}).ok());
  REQUIRE(f.set.annotations().size() == 3);
  CHECK(f.set.annotations()[2].type == "PAIR");
  CHECK(f.set.annotations()[2].args.size() == 2);
  CHECK(f.set.annotations()[2].prov.phase == "pairs");
}

TEST_CASE("bad rule files report every error with file:line:column") {
  const char* src = R"(type E: event;
rule a { match [lemma == kill] @NOPE; emit E; }
rule b { match [color == red]; emit E; }
rule c { match x:[lower == a]; emit E(agent: y); }
rule d { match [lower == a]?; emit E; }
rule e { match [lower == a]; emit UNKNOWN; }
rule f { match x:[lower == a]; emit E(agent: x); }
rule g { match [text =~ /(/]; emit E; }
rule h { match "a" (?= []*) ; emit E; }
rule i { match [lower == ; emit E; }
rule j { match @PERSON[colour == red]; emit E; }
)";
  auto rs = CompileRules({{"bad.qr", src}});
  REQUIRE(!rs.has_value());
  const auto& d = rs.error().diagnostics();
  std::map<uint32_t, std::string> by_line;
  for (auto& x : d) {
    CHECK(x.file == "bad.qr");
    CHECK(x.column > 0);
    CHECK(!x.snippet.empty());
    by_line[x.line] += x.message + "|";
  }
  CHECK(by_line[2].find("unknown annotation type '@NOPE'") != std::string::npos);
  CHECK(by_line[3].find("unknown token attribute 'color'") != std::string::npos);
  CHECK(by_line[4].find("unbound capture name 'y'") != std::string::npos);
  CHECK(by_line[5].find("empty sequence") != std::string::npos);
  CHECK(by_line[6].find("unknown output type 'UNKNOWN'") != std::string::npos);
  CHECK(by_line[7].find("captures tokens") != std::string::npos);
  CHECK(by_line[8].find("invalid regular expression") != std::string::npos);
  CHECK(by_line[9].find("bounded length") != std::string::npos);
  CHECK(by_line[10].find("expected a value") != std::string::npos);
  CHECK(by_line[11].find("unknown feature 'colour'") != std::string::npos);
  CHECK(d.size() >= 10);
  // The column points at the offending text.
  for (auto& x : d)
    if (x.line == 3) CHECK(x.column == 17);
}

TEST_CASE("deep nesting is a located error, not a crash") {
  auto first_error = [](const std::string& src) -> std::string {
    auto rs = CompileRules({{"deep.qr", src}});
    if (rs.has_value()) return "compiled";
    const auto& d = rs.error().diagnostics();
    if (d.empty()) return "no diagnostics";
    return std::to_string(d[0].line) + ": " + d[0].message;
  };
  const std::string head = "type E: event (trigger);\n";
  auto rule = [](const std::string& pattern) {
    return "rule r { match t:" + pattern + "; emit E() at t; }\n";
  };
  // 20,000 nested groups, negations, repetitions: the parser's recursion is bounded.
  std::string groups = std::string(20000, '(') + "[lower == a]" + std::string(20000, ')');
  CHECK(first_error(head + rule(groups)).find("2: groups nest deeper than 64") == 0);
  CHECK(first_error(head + rule("[" + std::string(20000, '!') + "lower == a]"))
            .find("negations nest deeper") != std::string::npos);
  CHECK(first_error(head + rule("[lower == a]" + std::string(20000, '?')))
            .find("repetitions nest deeper") != std::string::npos);
  std::string conds = "[" + std::string(20000, '(') + "lower == a" + std::string(20000, ')') + "]";
  CHECK(first_error(head + rule(conds)).find("parenthesised constraints nest deeper") !=
        std::string::npos);
  // Sub-patterns: a chain of 20,000 references, and references that double at each level.
  std::string chain = head + "define d0 = [lower == a];\n";
  for (int i = 1; i < 20000; ++i)
    chain += "define d" + std::to_string(i) + " = d" + std::to_string(i - 1) + ";\n";
  CHECK(first_error(chain + rule("d19999")).find("nests deeper than 256 levels") !=
        std::string::npos);
  std::string doubling = head + "define d0 = [lower == a];\n";
  for (int i = 1; i < 40; ++i)
    doubling += "define d" + std::to_string(i) + " = d" + std::to_string(i - 1) + " d" +
                std::to_string(i - 1) + ";\n";
  CHECK(first_error(doubling + rule("d39")).find("more than 200000 elements") !=
        std::string::npos);
  // Within the limits, deep patterns compile.
  std::string ok = std::string(60, '(') + "[lower == a]" + std::string(60, ')');
  CHECK(first_error(head + rule(ok)) == "compiled");
}

TEST_CASE("lemmatizer") {
  const std::pair<const char*, const char*> cases[] = {
      {"assassinated", "assassinate"}, {"killed", "kill"},     {"was", "be"},
      {"leaders", "leader"},           {"allies", "ally"},     {"planned", "plan"},
      {"supported", "support"},        {"hosting", "host"},    {"fought", "fight"},
      {"attacks", "attack"},           {"involved", "involve"}, {"decided", "decide"},
      {"funding", "fund"},             {"arming", "arm"},      {"visited", "visit"},
      {"sanctions", "sanction"},       {"churches", "church"}, {"agreed", "agree"},
      {"making", "make"},              {"used", "use"},        {"targeted", "target"},
      {"appointed", "appoint"},        {"killing", "kill"},    {"hosted", "host"},
      {"met", "meet"},                 {"led", "lead"},        {"men", "man"},
      {"travelled", "travel"},         {"succeed", "succeed"}, {"spelled", "spell"},
      {"succeeded", "succeed"},        {"freed", "free"},      {"became", "become"},
  };
  for (auto& [form, lemma] : cases) {
    std::string f = form;
    CAPTURE(f);
    CHECK(Lemma(form) == std::string(lemma));
  }
}

TEST_CASE("rule index: rules whose required word is absent do not run") {
  auto rs = MustCompile("type A: other;\nrule r { match [lower == kabul] [] ; emit A; }\n"
                        "rule s { match [kind == word]; emit A; }\n");
  CHECK(rs->rules()[0].index_keys == std::vector<std::string>{"l:kabul"});
  CHECK(rs->rules()[1].index_keys.empty());
  Fixture f = Prepare(rs, "Tehran is far.");
  RuleStats stats;
  REQUIRE(rs->Apply(f.doc, f.set, AnnotateOptions{}, &stats).ok());
  CHECK(stats.candidates[0] == 0);
  CHECK(stats.candidates[1] == 1);
}

TEST_CASE("inline examples run as tests and report failures with file:line") {
  auto rs = MustCompile(R"(type HIT: event (cameo);
rule hit {
  match who:@PERSON [lemma == hit];
  emit HIT(agent: who) { cameo = "190" };
  example "[[Bob|PERSON]] hits." => HIT "Bob hits" (agent = "Bob") { cameo = "190" };
  example "[[Bob|PERSON]] hit." => HIT "Bob" ;
  counter "Bob hits.";
  counter "[[Bob|PERSON]] hit.";
}
)");
  PrepareFn prep = [](const Document& doc) -> Result<AnnotationSet> {
    auto tok = Tokenizer::Create(TokenizerOptions{});
    AnnotationSet set;
    QUARRY_RETURN_IF_ERROR((*tok)->Tokenize(doc.text(), set));
    return set;
  };
  TestReport r = RunExamples(*rs, prep);
  CHECK(r.examples == 4);
  CHECK(r.passed == 2);
  REQUIRE(r.failures.size() == 2);
  CHECK(r.failures[0].where == "t.qr:6");
  CHECK(r.failures[0].message.find("produced instead") != std::string::npos);
  CHECK(r.failures[0].message.find("HIT \"Bob hit\"") != std::string::npos);
  CHECK(r.failures[1].where == "t.qr:8");
  CHECK(r.failures[1].message.find("must not match") != std::string::npos);
}

TEST_CASE("explain: how far a rule got and which element failed") {
  auto rs = MustCompile("type A: other;\nrule r { match [lower == the] [lower == big] [lower == cat]; emit A; }\n");
  Fixture f = Prepare(rs, "I saw the big dog.");
  ExplainResult e = rs->Explain(f.doc, f.set, 0, 0);
  CHECK(!e.matched);
  CHECK(f.doc.Slice(f.set.tokens()[e.start].span) == "the");
  CHECK(e.reached == e.start + 2);
  REQUIRE(e.failed_elements.size() == 1);
  CHECK(rs->elements()[e.failed_elements[0]].text == "[lower == cat]");
}

TEST_CASE("save and load a compiled rule set") {
  auto rs = MustCompile("type A: other;\nrule r { match \"a\"; emit A; }\n");
  std::string path = "/tmp/quarry_rules_test_" + std::to_string(::getpid()) + ".qrb";
  REQUIRE(SaveRuleSet(*rs, path).ok());
  auto back = LoadRuleSet(path);
  if (!back) FAIL_CHECK(back.error().ToString());
  REQUIRE(back.has_value());
  CHECK((*back)->rules().size() == 1);
  // A corrupted file is rejected.
  auto bytes = ReadFile(path);
  REQUIRE(bytes.has_value());
  std::string bad = *bytes;
  bad[bad.size() - 3] ^= 0x5a;
  REQUIRE(WriteFileAtomic(path, bad).ok());
  auto broken = LoadRuleSet(path);
  CHECK(!broken.has_value());
  std::remove(path.c_str());
}

TEST_CASE("a compiled rule set is shared by threads: same outputs from each") {
  auto src = LoadSources({QUARRY_SOURCE_DIR "/rules"}, {".qr"});
  REQUIRE(src.has_value());
  auto rs = CompileRules(std::move(*src));
  REQUIRE(rs.has_value());
  Fixture f = Prepare(*rs, "[[Al-Masri|PERSON]] was assassinated in [[Tehran|GPE]] in [[2020|DATE value=2020]]. "
                           "[[Mullah Omar|PERSON]], the leader of [[the Taliban|ORG]], spoke.");
  auto run = [&] {
    AnnotationSet set = f.set;
    // No doctest assertion here: this runs on several threads.
    if (!(*f.rs).Apply(f.doc, set, AnnotateOptions{}).ok()) return std::string("apply failed");
    std::string out;
    for (auto& a : set.annotations()) out += DescribeOutput(f.doc, set, a) + "\n";
    return out;
  };
  std::string want = run();
  CHECK(want.find("ASSASSINATE") != std::string::npos);
  CHECK(want.find("leader_of") != std::string::npos);
  std::vector<std::string> got(4);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) got[t] = run();
    });
  for (auto& t : threads) t.join();
  for (auto& g : got) CHECK(g == want);
}

// ---------------------------------------------------------------------------------------------
// Differential test: the Pike VM against a backtracking reference over random patterns.

struct RefInput {
  std::vector<char> toks;  // 'a', 'b', 'c'
  struct Ann {
    char type;  // 'X' or 'Y'
    int from, to;
    uint32_t index;
  };
  std::vector<Ann> anns;
};

struct RefMatcher {
  const RefInput& in;
  std::map<std::string, int> capidx;
  using Caps = std::vector<int>;  // per capture: start, end, ann
  using K = std::function<bool(int, Caps&)>;

  bool TokOk(const Cond& c, char t) {
    if (c.kind == Cond::Kind::kTrue) return true;
    if (c.op == Cond::Op::kMatch) return t != 'a';  // the generator's only regex: /[bc]/
    if (c.op == Cond::Op::kNe) return c.values[0][0] != t;
    return c.values[0][0] == t;
  }

  static bool AnnOnly(const Pat& p) {
    switch (p.kind) {
      case Pat::Kind::kAnn: return true;
      case Pat::Kind::kAlt:
        for (auto& k : p.kids)
          if (!AnnOnly(k)) return false;
        return true;
      case Pat::Kind::kRepeat: return p.max == 1 && AnnOnly(p.kids[0]);
      case Pat::Kind::kCapture: return AnnOnly(p.kids[0]);
      case Pat::Kind::kSeq: {  // lookarounds and anchors around one annotation element
        int n = 0;
        for (auto& k : p.kids) {
          if (k.kind == Pat::Kind::kLook || k.kind == Pat::Kind::kSentStart ||
              k.kind == Pat::Kind::kSentEnd)
            continue;
          if (!AnnOnly(k)) return false;
          ++n;
        }
        return n == 1;
      }
      default: return false;
    }
  }

  bool M(const Pat& p, int pos, Caps& caps, const K& k, std::vector<int> ann_cap) {
    int n = static_cast<int>(in.toks.size());
    switch (p.kind) {
      case Pat::Kind::kToken:
        return pos < n && TokOk(p.cond, in.toks[pos]) && k(pos + 1, caps);
      case Pat::Kind::kAnn: {
        std::vector<RefInput::Ann> at;
        for (auto& a : in.anns)
          if (a.from == pos && a.type == p.name[0]) at.push_back(a);
        std::sort(at.begin(), at.end(), [](auto& x, auto& y) {
          return std::tie(y.to, x.index) < std::tie(x.to, y.index);
        });
        for (auto& a : at) {
          Caps c2 = caps;
          for (int c : ann_cap) c2[3 * c + 2] = static_cast<int>(a.index);
          if (k(a.to, c2)) {
            caps = c2;
            return true;
          }
        }
        return false;
      }
      case Pat::Kind::kSeq: return Seq(p, 0, pos, caps, k, ann_cap);
      case Pat::Kind::kAlt:
        for (auto& kid : p.kids)
          if (M(kid, pos, caps, k, ann_cap)) return true;
        return false;
      case Pat::Kind::kRepeat: return Rep(p, 0, pos, caps, k, ann_cap);
      case Pat::Kind::kLook: {
        // Lookahead: the body matches from pos. Lookbehind: it matches some [s, pos).
        bool found = false;
        Caps scratch = caps;
        if (!p.behind) {
          found = M(p.kids[0], pos, scratch, [](int, Caps&) { return true; }, {});
        } else {
          for (int s = pos; s >= 0 && !found; --s)
            found = M(p.kids[0], s, scratch, [&](int e, Caps&) { return e == pos; }, {});
        }
        return found != p.negated && k(pos, caps);
      }
      case Pat::Kind::kCapture: {
        int c = capidx.at(p.name);
        std::vector<int> inner = ann_cap;
        if (AnnOnly(p.kids[0])) inner.push_back(c);
        Caps saved = caps;
        caps[3 * c] = pos;
        bool ok = M(p.kids[0], pos, caps, [&](int e, Caps& cs) {
          int old = cs[3 * c + 1];
          cs[3 * c + 1] = e;
          if (k(e, cs)) return true;
          cs[3 * c + 1] = old;
          return false;
        }, inner);
        if (!ok) caps = saved;
        return ok;
      }
      default: return false;
    }
  }
  bool Seq(const Pat& p, size_t i, int pos, Caps& caps, const K& k, const std::vector<int>& ann_cap) {
    if (i == p.kids.size()) return k(pos, caps);
    return M(p.kids[i], pos, caps, [&](int e, Caps& cs) { return Seq(p, i + 1, e, cs, k, ann_cap); },
             ann_cap);
  }
  bool Rep(const Pat& p, int count, int pos, Caps& caps, const K& k, const std::vector<int>& ann_cap) {
    bool can_more = p.max < 0 || count < p.max;
    bool can_stop = count >= p.min;
    auto more = [&] {
      return can_more && M(p.kids[0], pos, caps, [&](int e, Caps& cs) {
               if (e == pos) return false;  // bodies are never empty here
               return Rep(p, count + 1, e, cs, k, ann_cap);
             }, ann_cap);
    };
    if (p.lazy) {
      if (can_stop && k(pos, caps)) return true;
      return more();
    }
    if (more()) return true;
    return can_stop && k(pos, caps);
  }

  // Leftmost-first, non-overlapping matches as (start, end, caps...).
  std::vector<std::vector<int>> All(const Pat& p) {
    std::vector<std::vector<int>> out;
    int n = static_cast<int>(in.toks.size());
    int from = 0;
    while (from < n) {
      bool found = false;
      for (int s = from; s <= n && !found; ++s) {
        Caps caps(3 * capidx.size(), -1);
        int end = -1;
        Caps got;
        if (M(p, s, caps, [&](int e, Caps& cs) {
              end = e;
              got = cs;
              return true;
            }, {})) {
          std::vector<int> row{s, end};
          row.insert(row.end(), got.begin(), got.end());
          out.push_back(row);
          from = std::max(end, from + 1);
          found = true;
        }
      }
      if (!found) break;
    }
    return out;
  }
};

std::string RandomPattern(std::mt19937& rng, int depth, std::vector<std::string>& caps) {
  auto pick = [&](int n) { return static_cast<int>(rng() % n); };
  std::string atom;
  int kind = depth > 2 ? pick(4) : pick(10);
  if (kind >= 8) {  // a lookaround (bounded body, no captures) before or after an element
    static const char* looks[] = {"(?=", "(?!", "(?<=", "(?<!"};
    static const char* bodies[] = {"[lower == a]", "[lower == b]", "@X", "[lower == a] [lower == b]?",
                                   "([lower == b] | @Y)", "[]{1,2}", "[lower == c] @X?"};
    std::string look = std::string(looks[pick(4)]) + " " + bodies[pick(7)] + ")";
    std::string other = RandomPattern(rng, depth + 1, caps);
    return kind == 8 ? "(" + look + " " + other + ")" : "(" + other + " " + look + ")";
  }
  switch (kind) {
    case 0: atom = "[lower == a]"; break;
    case 1: atom = "[lower == b]"; break;
    case 2: {  // any token, or tests that are not index keys (seed filters evaluate them)
      static const char* any[] = {"[]", "[]", "[lower != a]", "[text =~ /[bc]/]"};
      atom = any[pick(4)];
      break;
    }
    case 3: atom = pick(2) ? "@X" : "@Y"; break;
    case 4: {
      std::string name = "c" + std::to_string(caps.size());
      caps.push_back(name);
      atom = name + ":" + (pick(2) ? std::string("@X") : "(" + RandomPattern(rng, depth + 1, caps) + ")");
      break;
    }
    case 5: atom = "(" + RandomPattern(rng, depth + 1, caps) + " | " + RandomPattern(rng, depth + 1, caps) + ")"; break;
    default: atom = "(" + RandomPattern(rng, depth + 1, caps) + " " + RandomPattern(rng, depth + 1, caps) + ")"; break;
  }
  static const char* quants[] = {"", "", "", "?", "*", "+", "??", "*?", "+?", "{1,2}", "{0,2}?", "{2}"};
  std::string q = quants[pick(12)];
  return atom + q;
}

// Whether the pattern's sub-patterns under * or + could be empty (the reference would loop).
bool HasNullableLoop(const Pat& p) {
  std::function<bool(const Pat&)> nullable = [&](const Pat& x) -> bool {
    switch (x.kind) {
      case Pat::Kind::kToken:
      case Pat::Kind::kAnn: return false;
      case Pat::Kind::kSeq:
        for (auto& k : x.kids)
          if (!nullable(k)) return false;
        return true;
      case Pat::Kind::kAlt:
        for (auto& k : x.kids)
          if (nullable(k)) return true;
        return false;
      case Pat::Kind::kRepeat: return x.min == 0 || nullable(x.kids[0]);
      case Pat::Kind::kCapture: return nullable(x.kids[0]);
      default: return true;
    }
  };
  if (p.kind == Pat::Kind::kRepeat && nullable(p.kids[0])) return true;
  for (auto& k : p.kids)
    if (HasNullableLoop(k)) return true;
  return false;
}

TEST_CASE("differential: memoised backtracker and Pike VM over the lattice == reference") {
  std::mt19937 rng(12345);
  int compared = 0, matched_cases = 0;
  for (int iter = 0; iter < 6000; ++iter) {
    std::vector<std::string> caps;
    std::string pattern = RandomPattern(rng, 0, caps);
    // A fixed prefix makes the pattern's own start an anchor after the first element: the
    // Apply path then seeds by walking back from the anchor when its keys are rarer.
    if (iter % 3 == 1) pattern = "[] (" + pattern + ")";
    if (iter % 3 == 2) pattern = (iter % 2 ? "@X " : "[] @Y ") + std::string("(") + pattern + ")";
    std::vector<SourceFile> src{{"d.qr", "type X, Y, O: other;\nrule r { match " + pattern + "; emit O; }\n"}};
    auto rs = CompileRules(src);
    if (!rs) continue;  // e.g. a nullable pattern: rejected by design
    // The same pattern's syntax tree, for the reference.
    Diags diags(&src);
    FileAst ast = Parse(0, diags);
    REQUIRE(ast.rules.size() == 1);
    const Pat& pat = ast.rules[0].pattern;
    if (HasNullableLoop(pat)) continue;
    // Random input: tokens a/b/c, with X/Y annotations over 1-3 tokens.
    int n = 1 + static_cast<int>(rng() % 8);
    RefInput in;
    std::string text;
    for (int i = 0; i < n; ++i) {
      char c = "abc"[rng() % 3];
      in.toks.push_back(c);
      text += (i ? " " : "") + std::string(1, c);
    }
    auto doc = Document::FromBytes(text, "d");
    REQUIRE(doc.has_value());
    auto tok = Tokenizer::Create(TokenizerOptions{});
    AnnotationSet set;
    REQUIRE((*tok)->Tokenize(doc->text(), set).ok());
    REQUIRE(set.tokens().size() == static_cast<size_t>(n));
    int nann = static_cast<int>(rng() % 4);
    for (int k = 0; k < nann; ++k) {
      int from = static_cast<int>(rng() % n);
      int to = std::min(n, from + 1 + static_cast<int>(rng() % 3));
      Annotation a;
      a.layer = Layer::kOther;
      a.type = rng() % 2 ? "X" : "Y";
      a.span = Span{set.tokens()[from].span.begin, set.tokens()[to - 1].span.end};
      uint32_t idx = set.Add(a);
      in.anns.push_back({a.type[0], from, to, idx});
    }
    RefMatcher ref{in};
    const CompiledRule& rule = (*rs)->rules()[0];
    for (size_t c = 0; c < rule.captures.size(); ++c) ref.capidx[rule.captures[c]] = static_cast<int>(c);
    std::vector<std::vector<int>> want = ref.All(pat);
    std::vector<std::vector<int>> got;
    for (const Match& m : (*rs)->FindMatches(*doc, set, 0, 0)) {
      std::vector<int> row{static_cast<int>(m.start), static_cast<int>(m.end)};
      for (size_t c = 0; c < rule.captures.size(); ++c) {
        row.push_back(m.caps[1 + 3 * c]);
        row.push_back(m.caps[2 + 3 * c]);
        row.push_back(m.caps[3 + 3 * c]);
      }
      got.push_back(row);
    }
    CAPTURE(pattern);
    CAPTURE(text);
    std::string anns;
    for (auto& a : in.anns) anns += std::string(1, a.type) + "[" + std::to_string(a.from) + "," + std::to_string(a.to) + ") ";
    CAPTURE(anns);
    CHECK(got == want);
    // The full Apply path (rule index, seeded searches, emission) gives the same spans.
    AnnotationSet applied = set;
    size_t before = applied.annotations().size();
    REQUIRE((*rs)->Apply(*doc, applied, AnnotateOptions{}).ok());
    std::vector<std::pair<int, int>> got_spans, want_spans;
    for (size_t i = before; i < applied.annotations().size(); ++i)
      got_spans.emplace_back(applied.annotations()[i].first_token, applied.annotations()[i].end_token);
    for (auto& w : want) want_spans.emplace_back(w[0], w[1]);
    CHECK(got_spans == want_spans);
    // Again on the Pike VM (the engine explain and lookarounds use), without and with
    // dead-thread pruning switched on from the start.
    auto rows = [&] {
      std::vector<std::vector<int>> out;
      for (const Match& m : (*rs)->FindMatches(*doc, set, 0, 0)) {
        std::vector<int> row{static_cast<int>(m.start), static_cast<int>(m.end)};
        for (size_t c = 0; c < rule.captures.size(); ++c) {
          row.push_back(m.caps[1 + 3 * c]);
          row.push_back(m.caps[2 + 3 * c]);
          row.push_back(m.caps[3 + 3 * c]);
        }
        out.push_back(row);
      }
      return out;
    };
    SetUsePikeForTesting(true);
    std::vector<std::vector<int>> pike = rows();
    SetAlwaysPruneForTesting(true);
    std::vector<std::vector<int>> pruned = rows();
    SetAlwaysPruneForTesting(false);
    SetUsePikeForTesting(false);
    CHECK(pike == want);
    CHECK(pruned == want);
    ++compared;
    if (!want.empty()) ++matched_cases;
  }
  MESSAGE("differential cases compared: " << compared << " (with matches: " << matched_cases << ")");
  CHECK(compared > 1000);
  CHECK(matched_cases > 100);
}

}  // namespace
}  // namespace quarry::internal::rules
