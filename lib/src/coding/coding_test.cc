// coding/coding_test.cc: the event coder's dictionaries (quarry's .qv/.qa formats, the PETRARCH
// importers) and the coder on short sentences through the shipped default pipeline.
#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "coding/cameo.h"
#include "coding/dictionary.h"
#include "coding/words.h"
#include "quarry/document.h"
#include "quarry/pipeline.h"

namespace quarry::internal::coding {
namespace {

bool HasDiag(const std::vector<Diagnostic>& diags, uint32_t line, std::string_view words) {
  for (const Diagnostic& d : diags)
    if (d.line == line && d.message.find(words) != std::string::npos) return true;
  return false;
}

const char* kQv = R"(# a test dictionary
@source test
synset WEAPON = gun | guns | rifle
block ATTACK 190
  verb attack = attack | attacks | attacked | attacking
  verb shell 194 = shell | shelled
  noun raid = raid | raids
  pattern 195 = * from the air
  pattern 183 = * with &WEAPON @ original.txt:12
  pattern 999x = * nonsense
block FAILS 170 failure
  noun inaction = inaction | mute spectators
discard sentence = football match
)";

TEST_CASE(".qv: synsets, blocks, verbs, nouns, patterns; a bad line is reported, the rest read") {
  VerbDictionary d;
  std::vector<Diagnostic> diags;
  Status st = ParseVerbFile({"t.qv", kQv}, d, diags);
  // A hand-written file with an error fails, after reading every other line.
  CHECK(st.code() == StatusCode::kParseError);
  REQUIRE(diags.size() == 1);
  CHECK(diags[0].file == "t.qv");
  CHECK(diags[0].line == 10);
  CHECK(diags[0].column > 0);
  REQUIRE(d.synsets.size() == 1);
  CHECK(d.synsets[0].name == "WEAPON");
  CHECK(d.synsets[0].phrases.size() == 3);
  REQUIRE(d.blocks.size() == 2);
  const VerbBlock& b = d.blocks[0];
  CHECK(b.name == "ATTACK");
  CHECK(b.code == "190");
  REQUIRE(b.entries.size() == 3);
  CHECK(b.entries[0].lemma == "attack");
  CHECK(b.entries[0].forms.size() == 4);
  CHECK(b.entries[1].code == "194");
  CHECK(b.entries[2].noun);
  // Two patterns kept, the one with a code that is not CAMEO's skipped with a located warning.
  REQUIRE(b.patterns.size() == 2);
  CHECK(b.patterns[0].code == "195");
  CHECK(b.patterns[1].origin == "original.txt:12");
  REQUIRE(b.patterns[1].after.size() == 2);
  CHECK(b.patterns[1].after[1].kind == PatternItem::Kind::kSynset);
  CHECK(d.blocks[1].failure);
  REQUIRE(d.discards.size() == 1);
  CHECK(JoinPhrase(d.discards[0].phrase) == "football match");
}

TEST_CASE(".qv: formatting and parsing again gives the same dictionary") {
  VerbDictionary d;
  std::vector<Diagnostic> diags;
  std::string good = kQv;
  good.erase(good.find("  pattern 999x"), std::string("  pattern 999x = * nonsense\n").size());
  REQUIRE(ParseVerbFile({"t.qv", good}, d, diags).ok());
  std::string once = FormatVerbDictionary(d, "# header\n");
  VerbDictionary d2;
  std::vector<Diagnostic> diags2;
  REQUIRE(ParseVerbFile({"t2.qv", once}, d2, diags2).ok());
  CHECK(diags2.empty());
  CHECK(FormatVerbDictionary(d2, "# header\n") == once);
  CHECK(d2.blocks.size() == d.blocks.size());
  CHECK(d2.blocks[0].patterns.size() == d.blocks[0].patterns.size());
}

TEST_CASE(".qa: agents with suffix and prefix codes; a line without a code is reported") {
  AgentDictionary a;
  std::vector<Diagnostic> diags;
  const char* qa =
      "@source test\n"
      "agent ~COP = police | riot police | policemen\n"
      "agent NGO~ = aid group | charity\n"
      "agent = no code here\n";
  Status st = ParseAgentFile({"t.qa", qa}, a, diags);
  CHECK(st.code() == StatusCode::kParseError);
  REQUIRE(a.entries.size() == 2);
  CHECK(a.entries[0].code == "COP");
  CHECK_FALSE(a.entries[0].prefix);
  CHECK(a.entries[0].forms.size() == 3);
  CHECK(a.entries[1].prefix);
  CHECK(a.entries[0].line == 2);
  CHECK_FALSE(diags.empty());
  CHECK(diags[0].line == 4);
  CHECK(diags[0].message.find("agent ~CODE = phrase") != std::string::npos);
  std::string once = FormatAgentDictionary(a, "");
  AgentDictionary a2;
  std::vector<Diagnostic> diags2;
  REQUIRE(ParseAgentFile({"t2.qa", once}, a2, diags2).ok());
  CHECK(FormatAgentDictionary(a2, "") == once);
}

TEST_CASE("PETRARCH verbs: synsets with plurals, blocks, irregular forms, patterns; bad lines skipped") {
  const char* petrarch =
      "# comment\n"
      "&TRUCE\n"
      "+CEASEFIRE\n"
      "+TRUCE\n"
      "\n"
      "--- ACCUSE [112] ---\n"
      "ACCUSE\n"
      "+LEVEL_CHARGES {+LEVELS_CHARGES +LEVELLED_CHARGES}  [1121]\n"
      "- * + OF CORRUPTION [1121]  # ACCUSE\n"
      "- $ * &TRUCE VIOLATION [1122]\n"
      "- * NOTHING\n"
      "- * + [99z]\n"
      "~ a transformation\n"
      "--- FIGHT [190] ---\n"
      "FIGHT {FIGHTS FOUGHT FIGHTING}\n";
  VerbDictionary d;
  std::vector<Diagnostic> diags;
  REQUIRE(ImportPetrarchVerbs({"cameo.txt", petrarch}, "cameo.txt", d, diags).ok());
  REQUIRE(d.synsets.size() == 1);
  // Regular plurals are generated as PETRARCH does.
  CHECK(d.synsets[0].phrases.size() == 4);
  REQUIRE(d.blocks.size() == 2);
  const VerbBlock& b = d.blocks[0];
  CHECK(b.code == "112");
  REQUIRE(b.entries.size() == 2);
  CHECK(b.entries[0].lemma == "accuse");
  // Regular inflections of "accuse": accuses, accused, accusing.
  CHECK(b.entries[0].forms.size() >= 4);
  CHECK(b.entries[1].lemma == "level charges");
  CHECK(b.entries[1].code == "1121");
  CHECK(b.entries[1].forms.size() == 3);
  REQUIRE(b.patterns.size() == 2);
  CHECK(b.patterns[0].origin == "cameo.txt:9");
  CHECK(b.patterns[1].before.size() == 1);
  CHECK(b.patterns[1].before[0].kind == PatternItem::Kind::kSource);
  CHECK(HasDiag(diags, 11, "without a [CODE]"));
  CHECK(HasDiag(diags, 12, "not a CAMEO code"));
  CHECK(HasDiag(diags, 13, "transformation"));
  CHECK(d.blocks[1].entries[0].forms.size() == 4);
}

TEST_CASE("importers refuse files that are not of their format") {
  VerbDictionary d;
  std::vector<Diagnostic> diags;
  Status st = ImportPetrarchVerbs({"agents.txt", "POLICE [~COP]\nARMY [~MIL]\n"}, "agents.txt", d,
                                  diags);
  CHECK(st.code() == StatusCode::kParseError);
  CHECK(st.message().find("not a PETRARCH verb dictionary") != std::string::npos);
  AgentDictionary a;
  Status st2 = ImportPetrarchAgents({"verbs.txt", "--- ACCUSE [112] ---\nACCUSE\n"}, "verbs.txt",
                                    a, diags);
  CHECK_FALSE(st2.ok());
}

TEST_CASE("PETRARCH agents: codes before and after, plural forms, substitution sets") {
  const char* agents =
      "!PERSON! = MAN, MEN\n"
      "POLICE {POLICEMEN} [~COP]\n"
      "RIOT_POLICE [~COP]\n"
      "AID_!PERSON! [NGO~]\n"
      "NO CODE\n";
  AgentDictionary a;
  std::vector<Diagnostic> diags;
  REQUIRE(ImportPetrarchAgents({"agents.txt", agents}, "agents.txt", a, diags).ok());
  REQUIRE(a.entries.size() >= 3);
  CHECK(a.entries[0].code == "COP");
  bool aid_man = false;
  for (const AgentEntry& e : a.entries)
    for (const Phrase& f : e.forms) aid_man |= JoinPhrase(f) == "aid man" && e.prefix;
  CHECK(aid_man);
  CHECK(HasDiag(diags, 5, "without a [~CODE]"));
}

TEST_CASE("CAMEO table: codes, parents, names") {
  REQUIRE(FindCameo("173") != nullptr);
  CHECK(IsCameoCode("1823"));
  CHECK_FALSE(IsCameoCode("---"));
  CHECK_FALSE(IsCameoCode("19x"));
  CHECK(FindCameo("999") == nullptr);
  const CameoCode* c = FindCameoOrParent("1831");
  REQUIRE(c != nullptr);
  CHECK(std::string(c->code).starts_with("183"));
}

TEST_CASE("counts and modality words") {
  CHECK(ParseCount("three") == 3);
  CHECK(ParseCount("12") == 12);
  CHECK(ParseCount("dozens") == std::nullopt);
  CHECK(IsNegation("n't"));
  CHECK(IsReportingVerb("said"));
}

// --- The coder through the shipped default pipeline (data read from the source tree).

struct Coded {
  std::string code, source, target, modality, polarity, fatalities, source_code, target_code;
};

std::vector<Coded> Code(const std::string& text) {
  static const Pipeline* p = [] {
    PipelineOptions o;
    o.gazetteers = {"gazetteers"};
    o.rules = {"rules"};
    auto r = Pipeline::Compile(o);
    REQUIRE(r.has_value());
    return new Pipeline(std::move(*r));
  }();
  auto doc = Document::FromBytes(text, "t");
  REQUIRE(doc.has_value());
  auto set = p->Annotate(*doc);
  REQUIRE(set.has_value());
  std::vector<Coded> out;
  const auto& anns = set->annotations();
  for (const Annotation& a : anns) {
    if (a.layer != Layer::kEvent) continue;
    Coded c;
    c.code = a.FeatureString("cameo");
    for (const Argument& g : a.args) {
      std::string t(doc->Slice(anns[g.target].span));
      if (g.role == "source") c.source = t;
      if (g.role == "target") c.target = t;
    }
    c.modality = a.FeatureString("modality");
    c.polarity = a.FeatureString("polarity");
    c.fatalities = a.FeatureString("fatalities");
    c.source_code = a.FeatureString("source_code");
    c.target_code = a.FeatureString("target_code");
    out.push_back(c);
  }
  return out;
}

const Coded* Find(const std::vector<Coded>& v, std::string_view code) {
  for (const Coded& c : v)
    if (c.code == code) return &c;
  return nullptr;
}

// True when some event satisfies `pred`.
template <typename Pred>
bool Any(const std::vector<Coded>& v, Pred pred) {
  return std::any_of(v.begin(), v.end(), pred);
}

// True when an event whose code starts with `code` has the source `source`.
bool HasEvent(const std::vector<Coded>& v, std::string_view code, std::string_view source) {
  return Any(v, [&](const Coded& c) { return c.code.starts_with(code) && c.source == source; });
}

TEST_CASE("coder: active voice with a generic actor composed from a nationality and an agent") {
  auto v = Code("Pakistani police arrested three militants in Quetta on Monday.");
  const Coded* c = Find(v, "173");
  REQUIRE(c != nullptr);
  CHECK(c->source == "Pakistani police");
  CHECK(c->source_code == "PAKCOP");
  CHECK(c->target.starts_with("militants"));
  CHECK(c->modality == "realised");
  CHECK(c->polarity == "positive");
}

TEST_CASE("coder: passive voice with a by-agent") {
  auto v = Code("The envoy was kidnapped by gunmen in Kabul.");
  const Coded* c = Find(v, "181");
  REQUIRE(c != nullptr);
  CHECK(c->target == "envoy");
  CHECK(c->source.starts_with("gunmen"));
}

TEST_CASE("coder: a nominalisation with 'X's ... on Y'") {
  auto v = Code("Russia's attack on Ukraine continued.");
  CHECK(Any(v, [](const Coded& c) {
    return c.code.starts_with("19") && c.source == "Russia" && c.target == "Ukraine";
  }));
}

TEST_CASE("coder: negation and unrealised events") {
  auto neg = Code("Iran did not attack Israel.");
  CHECK(Any(neg, [](const Coded& c) {
    return c.code.starts_with("19") && c.polarity == "negative";
  }));
  auto threat = Code("Iran threatened to attack Israel.");
  bool unrealised = false;
  for (const Coded& c : threat)
    unrealised |= (c.code.starts_with("13") || c.modality != "realised");
  CHECK(unrealised);
  for (const Coded& c : threat)
    CHECK_FALSE((c.code.starts_with("19") && c.modality == "realised" && c.polarity == "positive"));
}

TEST_CASE("coder: coordinated actors give one event each") {
  auto v = Code("Pakistan and China signed an agreement on Tuesday.");
  int n = 0;
  for (const Coded& c : v) n += c.code.starts_with("05") || c.code.starts_with("06") ? 1 : 0;
  CHECK(n >= 2);
}

TEST_CASE("coder: fatalities from a count of the dead") {
  auto v = Code("Gunmen killed 12 villagers in northern Nigeria on Sunday.");
  CHECK(Any(v, [](const Coded& c) { return c.fatalities == "12"; }));
}

TEST_CASE("coder: a subject pronoun stands for its antecedent, in the sentence or before it") {
  auto v = Code("The police commissioner banned two channels. He also ordered the arrest of ten rioters.");
  int from_pronoun = 0;
  for (const Coded& c : v) from_pronoun += c.code.starts_with("17") && c.source == "police commissioner";
  CHECK(from_pronoun >= 2);  // "banned" (the noun phrase) and what "He" did
  // No antecedent of the pronoun's number: no source invented.
  auto none = Code("Turkey closed the border. They attacked the convoy.");
  for (const Coded& c : none)
    if (c.code.starts_with("19")) CHECK(c.source != "Turkey");
}

TEST_CASE("coder: dictionary phrases with a bound prefix match the tokenizer's joined word") {
  CHECK(JoinBoundHyphens(ToPhrase("police sub-inspector")) == Phrase{"police", "sub-inspector"});
  CHECK(JoinBoundHyphens(ToPhrase("lathi-charged")) == Phrase{"lathi", "-", "charged"});
  // "sub - inspector" (agents-extra.qa) is an agent: the subject of "told".
  auto v = Code("A sub-inspector of the bomb squad told reporters that the caller spoke Hindi.");
  const Coded* c = Find(v, "010");
  REQUIRE(c != nullptr);
  CHECK(c->source == "sub-inspector");
  CHECK(c->source_code == "COP");
}

TEST_CASE("coder: security forces deployed show force, each on its own") {
  auto v = Code("Police and paramilitary troops were deployed in the city on Friday.");
  int shows = 0;
  for (const Coded& c : v) {
    if (!c.code.starts_with("15")) continue;
    ++shows;
    CHECK(c.target.empty());
  }
  CHECK(shows == 2);
}

TEST_CASE("coder: failures to act are negative events of who failed") {
  for (const char* text : {"The police remained mute spectators as the mob burnt shops.",
                           "There was a total lack of police action.",
                           "Reports spoke of the inaction of the police.",
                           "The police refused to intervene."}) {
    CAPTURE(text);
    auto v = Code(text);
    CHECK(Any(v, [](const Coded& c) {
      return c.polarity == "negative" && c.source_code == "COP";
    }));
  }
}

TEST_CASE("coder: a killing takes the agent of the 'when' clause that caused it") {
  auto v = Code("One person was killed when the police fired 15 rounds in the town.");
  CHECK(Any(v, [](const Coded& c) { return c.target == "person" && c.source == "police"; }));
}

TEST_CASE("coder: a title of a body is coded as the body; a group noun stands for its members") {
  auto v = Code("The director general of Indian police said the city was calm.");
  const Coded* c = Find(v, "010");
  REQUIRE(c != nullptr);
  CHECK(c->source == "director general of Indian police");
  CHECK(c->source_code == "INDCOP");
  auto g = Code("Two companies of the police marched through the town.");
  CHECK(HasEvent(g, "14", "police"));
  for (const Coded& e : g) CHECK(e.source_code.find("BUS") == std::string::npos);
}

TEST_CASE("coder: the subject across a parenthetical, a prepositional phrase and an apposition") {
  auto paren = Code("The Rapid Support Forces (RSF) attacked the convoy.");
  CHECK(HasEvent(paren, "19", "Rapid Support Forces"));
  auto pp = Code("Security forces across the country were put on high alert.");
  CHECK(HasEvent(pp, "15", "Security forces"));
  auto with = Code("Shops were looted with the police twiddling their thumbs.");
  CHECK(Any(with, [](const Coded& c) { return c.polarity == "negative" && c.source == "police"; }));
}

TEST_CASE("coder: passives read their subject as the active's object and find their agent") {
  auto trained = Code("Afghan security forces were trained by NATO.");
  const Coded* c = Find(trained, "072");  // like "NATO trained Afghan security forces"
  REQUIRE(c != nullptr);
  CHECK(c->source == "NATO");
  auto seized = Code("Two rifles were seized by the police.");
  CHECK(Find(seized, "1711") != nullptr);
  auto later = Code("The four men arrested in Hapur by the police were produced in court.");
  c = Find(later, "173");
  REQUIRE(c != nullptr);
  CHECK(c->source == "police");
  auto coordinated = Code("The men were chased away by the police and arrested.");
  c = Find(coordinated, "173");
  REQUIRE(c != nullptr);
  CHECK(c->source == "police");
  // A verb group after "and" has no subject of its own to read patterns in.
  auto city = Code("Ten men tried to enter the city and were arrested.");
  CHECK(Find(city, "192") == nullptr);
  CHECK(Find(city, "173") != nullptr);
}

TEST_CASE("coder: a claim of responsibility names the perpetrator") {
  auto v = Code("The rebels claimed responsibility for the kidnapping.");
  const Coded* c = Find(v, "181");
  REQUIRE(c != nullptr);
  CHECK(c->source == "rebels");
  // Support verbs leave the event to the noun they act on, with their subject.
  auto curfew = Code("The army imposed a curfew in the town.");
  c = Find(curfew, "1723");
  REQUIRE(c != nullptr);
  CHECK(c->source == "army");
  // ... across the noun's modifiers.
  auto massive = Code("Militants launched a massive attack on the base.");
  CHECK(HasEvent(massive, "19", "Militants"));
  // "It" after a reporting verb is the organisation that reports.
  auto it = Code("The army said it killed 20 militants.");
  CHECK(HasEvent(it, "19", "army"));
  // A show of force with no agent named is the force's own.
  auto present = Code("Police were present in the town.");
  CHECK(HasEvent(present, "15", "Police"));
}

}  // namespace
}  // namespace quarry::internal::coding
