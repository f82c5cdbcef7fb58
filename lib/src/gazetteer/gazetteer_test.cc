// gazetteer/gazetteer_test.cc: the format parser, normalization, the compiled matcher (table-
// driven and against a naive reference), the saved form, the tagger and the linker.
#include <doctest/doctest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <map>
#include <random>
#include <set>

#include "common/binary.h"
#include "gazetteer/compiled.h"
#include "gazetteer/format.h"
#include "gazetteer/normalize.h"
#include "gazetteer/petrarch.h"
#include "gazetteer/stage.h"
#include "tokenize/tokenizer.h"

namespace quarry::internal {
namespace {

struct Mention {
  std::string text, type, entity, rule;
};

// Runs tokenizer, tagger and linker over `text` with the gazetteer `gaz`.
std::vector<Mention> Run(const std::string& gaz, const std::string& text,
                         GazetteerOptions opts = {}, std::vector<Mention>* lookups = nullptr) {
  auto g = CompileGazetteer({{"test.gaz", gaz}});
  REQUIRE_MESSAGE(g.has_value(), (g ? "" : g.error().ToString()));
  auto tok = Tokenizer::Create(TokenizerOptions{});
  REQUIRE(tok.has_value());
  auto doc = Document::FromBytes(text, "t");
  REQUIRE(doc.has_value());
  AnnotateOptions ao;
  RunContext ctx{*doc, ao, ""};
  AnnotationSet set;
  REQUIRE((*tok)->Run(ctx, set).ok());
  REQUIRE(CreateGazetteerStage(*g, opts)->Run(ctx, set).ok());
  if (opts.link) REQUIRE(CreateLinkingStage(*g, opts)->Run(ctx, set).ok());
  std::vector<Mention> out;
  for (const Annotation& a : set.annotations()) {
    Mention m{std::string(doc->Slice(a.span)), a.type, a.FeatureString("entity"), a.prov.rule};
    if (a.layer == Layer::kEntity) out.push_back(m);
    if (a.layer == Layer::kOther && lookups) lookups->push_back(m);
  }
  return out;
}

std::string Texts(const std::vector<Mention>& ms) {
  std::string s;
  for (const auto& m : ms) s += (s.empty() ? "" : "|") + m.text + "=" + m.entity;
  return s;
}

const char* kGaz = R"(# test gazetteer
@source unit test
al_qaeda ORG:militant_group al-Qaeda
  alias: Al Qaida | al-Qa'ida
  cameo: IMGMUSALQ
us GPE:country United States
  alias: US | U.S.
isi ORG:intelligence_service Inter-Services Intelligence
  alias: ISI
iran GPE:country Iran
  alias: Islamic Republic of Iran
irgc ORG Islamic Revolutionary Guard Corps
khost GPE:province Khōst
taliban ORG Taliban
zawahiri PERSON Ayman al-Zawahiri
  alias: Ayman Al-Zawahiri
mansour PERSON Mullah Akhtar Muhammad Mansour
masri PERSON Abu Muhammad al-Masri
wpk ORG Workers' Party of Korea
isis_k ORG Islamic State Khorasan Province
  alias: ISIS-K
)";

TEST_CASE("parser: all errors at once, with file:line:column") {
  GazetteerData data;
  std::string src =
      "good ORG Good Name\n"
      "bad!id ORG Name\n"  // 2: bad id
      "x BOGUS Name\n"     // 3: unknown type
      "y ORG:Bad Name\n"   // 4: bad subtype
      "z ORG Zed\n"
      "  colour: blue\n"                 // 6: unknown key
      "  role: leader; 2016-13..2017\n"  // 7: bad date
      "  cameo: afg\n"                   // 8: bad cameo
      "  alias: A ||B\n"                 // 9: empty alias
      "good ORG Again\n"                 // 10: duplicate id
      "   stray: line\n"                 // continuation of a broken head: skipped
      "@priority high\n"                 // 12
      "w PERSON\n";                      // 13: no name
  Status st = ParseGazetteers({{"f.gaz", src}}, data);
  REQUIRE(st.code() == StatusCode::kParseError);
  std::map<uint32_t, uint32_t> col_by_line;
  for (const Diagnostic& d : st.diagnostics()) {
    CHECK(d.file == "f.gaz");
    col_by_line[d.line] = d.column;
  }
  CHECK(col_by_line.size() == 10);
  CHECK(col_by_line[2] == 1);
  CHECK(col_by_line[3] == 3);
  CHECK(col_by_line[6] == 3);
  CHECK(col_by_line[7] == 17);
  CHECK(col_by_line[9] == 13);
  CHECK(col_by_line[10] == 1);
  CHECK(col_by_line.count(12) == 1);
  CHECK(col_by_line.count(13) == 1);
  CHECK(st.ToString().find("f.gaz:7:17") != std::string::npos);
  CHECK(st.ToString().find("error: bad date '2016-13'") != std::string::npos);
}

TEST_CASE("parser: attributes, roles, merging by id and priorities") {
  GazetteerData data;
  std::string a =
      "@priority 10\n@source imported list\n"
      "country:IR GPE:country Iran, Islamic Republic of\n  iso: IR\n";
  std::string b =
      "country:IR GPE:country Iran\n  alias: Islamic Republic of Iran\n  cameo: IRN\n"
      "p PERSON Someone\n  role: leader of the Taliban; 2015-07..2016-05-21\n";
  REQUIRE(ParseGazetteers({{"a.gaz", a}, {"b.gaz", b}}, data).ok());
  REQUIRE(data.entries.size() == 2);
  const GazEntry& ir = data.entries[0];
  CHECK(ir.name == "Iran");  // the higher-priority file names it
  CHECK(ir.Attr("iso") == "IR");
  CHECK(ir.Attr("cameo") == "IRN");
  CHECK(ir.Attr("source") == "imported list");
  CHECK(ir.aliases.size() == 3);
  REQUIRE(data.entries[1].roles.size() == 1);
  CHECK(data.entries[1].roles[0].from == "2015-07");
  CHECK(data.entries[1].roles[0].to == "2016-05-21");
  // A type clash between files is an error naming both places.
  std::string c = "country:IR ORG Iran\n";
  GazetteerData d2;
  Status st = ParseGazetteers({{"b.gaz", b}, {"c.gaz", c}}, d2);
  REQUIRE(!st.ok());
  CHECK(st.diagnostics()[0].ToString().find("b.gaz:1") != std::string::npos);
}

TEST_CASE("normalize: keys fold case, diacritics and apostrophes; names split like documents") {
  auto key = [](std::string_view t) {
    std::string k;
    AppendMatchKeyOfText(t, k);
    return k;
  };
  CHECK(key("Qa'ida") == "qaida");
  CHECK(key("Qa’ida") == "qaida");
  CHECK(key("Khōst") == "khost");
  CHECK(key("Shīnḏanḏ") == "shindand");
  CHECK(key("İstanbul").substr(0, 1) == "i");
  auto parts = SplitName("Mazar-i-Sharif & U.S. (x)");
  std::vector<std::string> got(parts.begin(), parts.end());
  CHECK(got == std::vector<std::string>{"Mazar", "i", "Sharif", "&", "U.S.", "(", "x", ")"});
  CHECK(LooksLikeAcronym("ISIS-K"));
  CHECK(LooksLikeAcronym("U.S."));
  CHECK(!LooksLikeAcronym("Iran"));
  CHECK(IsJoiner("-"));
  CHECK(!IsJoiner("—"));
}

TEST_CASE("matcher: spelling variants, case-sensitive acronyms, possessives, offsets") {
  struct Case {
    const char* text;
    const char* want;
  };
  const Case cases[] = {
      {"Al-Qaeda and al Qaeda met al-Qa'ida, al-Qa’ida and Al Qaida.",
       "Al-Qaeda=al_qaeda|al Qaeda=al_qaeda|al-Qa'ida=al_qaeda|al-Qa’ida=al_qaeda|Al "
       "Qaida=al_qaeda"},
      {"The US told us that the ISI and isi differ.", "US=us|ISI=isi"},
      {"Iran’s role and the U.S. view.", "Iran=iran|U.S.=us"},
      {"Khost and Khōst and KHOST.", "Khost=khost|Khōst=khost|KHOST=khost"},
      {"the Islamic Republic of Iran said", "Islamic Republic of Iran=iran"},
      {"ISIS-K and ISIS - K and Islamic State Khorasan Province.",
       "ISIS-K=isis_k|Islamic State Khorasan Province=isis_k"},
      // A plural possessive's apostrophe is its own token in the text.
      {"The Workers' Party of Korea and the Workers’ Party of Korea met.",
       "Workers' Party of Korea=wpk|Workers’ Party of Korea=wpk"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.text);
    GazetteerOptions o;
    o.link = false;
    CHECK(Texts(Run(kGaz, c.text, o)) == c.want);
  }
}

TEST_CASE("matcher: semantics and lookups") {
  const char* gaz = "a ORG New York\nb GPE York\nc ORG New York Times\n";
  GazetteerOptions o;
  o.link = false;
  std::vector<Mention> lookups;
  CHECK(Texts(Run(gaz, "the New York Times", o, &lookups)) == "New York Times=c");
  CHECK(Texts(lookups) == "New York=a|York=b");
  o.semantics = MatchSemantics::kLeftmostShortest;
  CHECK(Texts(Run(gaz, "the New York Times", o)) == "New York=a");
  o.semantics = MatchSemantics::kAll;
  CHECK(Texts(Run(gaz, "the New York Times", o)).size() ==
        std::string("New York=a|New York Times=c|York=b").size());
}

TEST_CASE("examples: marks are stripped and located; bad marks are errors; merged entries keep them") {
  MarkedExample m = StripMarks("Talks with [[Acme]] and [[Acme Corp]].");
  CHECK(m.error.empty());
  CHECK(m.text == "Talks with Acme and Acme Corp.");
  REQUIRE(m.marks.size() == 2);
  CHECK(m.text.substr(m.marks[0].first, m.marks[0].second - m.marks[0].first) == "Acme");
  CHECK(m.text.substr(m.marks[1].first, m.marks[1].second - m.marks[1].first) == "Acme Corp");
  CHECK(!StripMarks("a [[b").error.empty());
  CHECK(!StripMarks("a b]] c").error.empty());
  CHECK(!StripMarks("[[a [[b]] c]]").error.empty());
  CHECK(!StripMarks("[[ a ]]").error.empty());
  GazetteerData data;
  Status st = ParseGazetteers({{"a.gaz", "x ORG Acme\n  example: [[Acme]] rose.\n"},
                               {"b.gaz", "x ORG Acme\n  counter: Nothing here.\n"}},
                              data);
  REQUIRE(st.ok());
  REQUIRE(data.entries.size() == 1);
  REQUIRE(data.entries[0].examples.size() == 2);
  CHECK(data.entries[0].examples[0].positive);
  CHECK(data.entries[0].examples[0].line == 2);
  CHECK(!data.entries[0].examples[1].positive);
  CHECK(data.files[data.entries[0].examples[1].file] == "b.gaz");
  GazetteerData bad;
  Status e = ParseGazetteers({{"c.gaz", "x ORG Acme\n  example: no marks here\n  counter: a [[mark]]\n"}}, bad);
  REQUIRE(e.code() == StatusCode::kParseError);
  CHECK(e.diagnostics().size() == 2);
}

TEST_CASE("text that is not UTF-8: gazetteer sources and PETRARCH dictionaries are refused, located") {
  GazetteerData data;
  Status st = ParseGazetteers({{"ok.gaz", "a ORG Alpha\n"}, {"bad.gaz", "a ORG Alpha\nb ORG Caf\xE9 X\n"}}, data);
  REQUIRE(st.code() == StatusCode::kParseError);
  REQUIRE(st.diagnostics().size() == 1);
  const Diagnostic& d = st.diagnostics()[0];
  CHECK(d.file == "bad.gaz");
  CHECK(d.line == 2);
  CHECK(d.column == 10);
  CHECK(d.byte_offset == 21);
  CHECK(d.message.find("invalid UTF-8 at byte 21") != std::string::npos);
  GazetteerData imp;
  std::vector<Diagnostic> warnings;
  Status pst = ImportPetrarch({"x.actors.txt", "IRAN_ [IRN]\nCAF\xC9_ [CAF]\n"}, imp, warnings);
  CHECK(pst.code() == StatusCode::kInvalidInput);
  CHECK(pst.message() == "x.actors.txt: invalid UTF-8 at byte 15 (line 2, column 4)");
  CHECK(imp.entries.empty());
}

TEST_CASE("@priority: long or non-numeric values are located errors, never overflow") {
  // Found by the gazetteer_parser fuzzer: a long value overflowed the int accumulator (UBSan).
  for (const char* v : {"34646735700000000000", "1234567", "12a", "-5", "99999x"}) {
    GazetteerData data;
    Status st = ParseGazetteers({{"p.gaz", std::string("@priority ") + v + "\nx ORG X\n"}}, data);
    CAPTURE(v);
    REQUIRE(st.code() == StatusCode::kParseError);
    CHECK(st.ToString().find("p.gaz:1:11") != std::string::npos);
    CHECK(st.ToString().find("error: @priority needs a whole number") != std::string::npos);
  }
  GazetteerData ok;
  CHECK(ParseGazetteers({{"p.gaz", "@priority 999999\nx ORG X\n"}}, ok).ok());
}

TEST_CASE("matcher: curated priority shadows imported names") {
  std::string imported = "@priority 10\npetrarch:X ORG Khorasan\n";
  std::string curated = "khorasan LOC Khorasan\n";
  auto g = CompileGazetteer({{"imp.gaz", imported}, {"cur.gaz", curated}});
  REQUIRE(g.has_value());
  GazetteerOptions o;
  o.link = false;
  // Through the public path: both files compiled together.
  auto tok = Tokenizer::Create(TokenizerOptions{});
  auto doc = Document::FromBytes("in Khorasan", "t");
  AnnotateOptions ao;
  RunContext ctx{*doc, ao, ""};
  AnnotationSet set;
  REQUIRE((*tok)->Run(ctx, set).ok());
  REQUIRE(CreateGazetteerStage(*g, o)->Run(ctx, set).ok());
  REQUIRE(set.annotations().size() == 1);
  CHECK(set.annotations()[0].FeatureString("entity") == "khorasan");
  CHECK(set.annotations()[0].prov.file == "cur.gaz");
  CHECK(set.annotations()[0].prov.line == 1);
}

// Differential test: the automaton against hash lookups of every n-gram of token keys.
TEST_CASE("matcher: agrees with a naive n-gram reference on random input") {
  std::mt19937 rng(7);
  const char* words[] = {"al",  "qaeda", "iran", "tehran", "kabul", "herat",
                         "dam", "salma", "the",  "of",     "air",   "base"};
  GazetteerData data;
  data.files = {"r.gaz"};
  std::set<std::vector<std::string>> names;
  for (int i = 0; i < 300; ++i) {
    std::vector<std::string> n;
    int len = 1 + static_cast<int>(rng() % 3);
    for (int k = 0; k < len; ++k) n.push_back(words[rng() % 12]);
    if (!names.insert(n).second) continue;
    GazEntry e;
    e.id = "e" + std::to_string(i);
    e.type = "ORG";
    std::string s;
    for (auto& w : n) s += (s.empty() ? "" : " ") + w;
    e.name = s;
    e.aliases.push_back(GazAlias{s, false, 0, 1, 100});
    data.entries.push_back(e);
  }
  auto g = CompiledGazetteer::Build(data);
  REQUIRE(g.has_value());
  for (int round = 0; round < 20; ++round) {
    std::vector<std::string> doc;
    for (int k = 0; k < 200; ++k) doc.push_back(words[rng() % 12]);
    std::vector<uint32_t> ids;
    for (auto& w : doc) ids.push_back((*g)->TokenId(w));
    std::vector<CompiledGazetteer::Candidate> got;
    (*g)->FindAll(
        ids.data(), static_cast<uint32_t>(ids.size()),
        [&](uint32_t i) { return std::string_view(doc[i]); }, got);
    std::set<std::pair<uint32_t, uint32_t>> want, have;
    for (uint32_t i = 0; i < doc.size(); ++i) {
      for (uint32_t len = 1; len <= 3 && i + len <= doc.size(); ++len) {
        std::vector<std::string> ng(doc.begin() + i, doc.begin() + i + len);
        if (names.count(ng)) want.insert({i, i + len});
      }
    }
    for (auto& c : got) have.insert({c.begin, c.end});
    CHECK(have == want);
  }
}

TEST_CASE("saved form: round trip, and garbage is rejected") {
  GazetteerData data;
  REQUIRE(ParseGazetteers({{"t.gaz", kGaz}}, data).ok());
  auto g = CompiledGazetteer::Build(data);
  REQUIRE(g.has_value());
  std::string bytes = (*g)->Save();
  auto again = CompiledGazetteer::Load(bytes, "t.gzc");
  REQUIRE(again.has_value());
  CHECK((*again)->entry_count() == (*g)->entry_count());
  uint32_t e = (*again)->FindEntry("al_qaeda");
  REQUIRE(e != CompiledGazetteer::kNoToken);
  CHECK((*again)->entry_attr(e, "cameo") == "IMGMUSALQ");
  CHECK((*again)->TokenId("qaida") != CompiledGazetteer::kNoToken);
  // Truncated, flipped, foreign.
  CHECK(CompiledGazetteer::Load(bytes.substr(0, bytes.size() / 2), "t.gzc").error().code() ==
        StatusCode::kDataLoss);
  std::string flipped = bytes;
  flipped[flipped.size() - 3] ^= 0x40;
  CHECK(!CompiledGazetteer::Load(flipped, "t.gzc").has_value());
  CHECK(CompiledGazetteer::Load("hello world, not a gazetteer", "t.gzc").error().code() ==
        StatusCode::kInvalidInput);
  // The mapped path reads the same file.
  std::string path = "/tmp/quarry_gazetteer_test_" + std::to_string(::getpid()) + ".gzc";
  REQUIRE(WriteFileAtomic(path, bytes).ok());
  auto mapped = CompiledGazetteer::LoadFile(path);
  REQUIRE(mapped.has_value());
  CHECK((*mapped)->FindEntry("iran") != CompiledGazetteer::kNoToken);
  REQUIRE(WriteFileAtomic(path, bytes.substr(0, 100)).ok());
  CHECK(CompiledGazetteer::LoadFile(path).error().code() == StatusCode::kDataLoss);
  std::remove(path.c_str());
  CHECK(CompiledGazetteer::LoadFile(path).error().code() == StatusCode::kNotFound);
  // A payload that passes the checksum but lies about its sizes.
  std::string payload(80, '\0');
  uint64_t huge = 1ull << 40;
  std::memcpy(&payload[0], &huge, 8);
  CHECK(!CompiledGazetteer::Load(WrapFile("GAZT", 1, payload), "x").has_value());
  // A valid frame and checksum around strings that are not UTF-8: refused, with the reason.
  Result<std::string_view> inner = UnwrapFile(bytes, "GAZT", 1, "t.gzc");
  REQUIRE(inner.has_value());
  std::string bad(*inner);
  size_t at = bad.rfind("IMGMUSALQ");
  REQUIRE(at != std::string::npos);
  bad[at + 3] = '\xFF';
  auto refused = CompiledGazetteer::Load(WrapFile("GAZT", 1, bad), "bad.gzc");
  REQUIRE(!refused.has_value());
  CHECK(refused.error().code() == StatusCode::kDataLoss);
  CHECK(refused.error().message().find("bad.gzc: corrupt compiled gazetteer (string section is not "
                                       "valid UTF-8") != std::string::npos);
}

TEST_CASE("linker: parenthesised definitions create or join aliases") {
  auto ms = Run(kGaz,
                "The Islamic Revolutionary Guard Corps (IRGC) met. Later the IRGC left. "
                "The Pashtun Tahafuz Movement (PTM) marched; the PTM grew.");
  CHECK(Texts(ms) ==
        "Islamic Revolutionary Guard Corps=irgc|IRGC=irgc|IRGC=irgc|"
        "Pashtun Tahafuz Movement=doc:pashtun-tahafuz-movement|PTM=doc:pashtun-tahafuz-movement|"
        "PTM=doc:pashtun-tahafuz-movement");
  CHECK(ms[1].rule == "parenthesis");
  CHECK(ms[2].rule == "parenthesis");
}

TEST_CASE("linker: alias phrases") {
  auto ms = Run(kGaz,
                "Karim Zarif, better known as Abu Muhammad al-Masri, was killed. "
                "The Taliban (a.k.a the Student Movement) spoke. "
                "Ayman Al-Zawahiri travelled under the alias of Omar Bakri Zadeh.");
  CHECK(Texts(ms) ==
        "Karim Zarif=masri|Abu Muhammad al-Masri=masri|Taliban=taliban|"
        "Student Movement=taliban|Ayman Al-Zawahiri=zawahiri|Omar Bakri Zadeh=zawahiri");
}

TEST_CASE("linker: short forms of people named in full earlier") {
  auto ms = Run(kGaz,
                "Mullah Akhtar Muhammad Mansour went to Tehran. Akhtar Mansour was killed; "
                "Mansour was buried. Abu Muhammad al-Masri hid. Al-Masri died. "
                "Ayman al-Zawahiri spoke and Zawahiri left.");
  CHECK(Texts(ms) ==
        "Mullah Akhtar Muhammad Mansour=mansour|Akhtar Mansour=mansour|Mansour=mansour|"
        "Abu Muhammad al-Masri=masri|Al-Masri=masri|Ayman al-Zawahiri=zawahiri|Zawahiri=zawahiri");
  // A short form before the full name is not linked.
  auto early = Run(kGaz, "Al-Masri hid. Abu Muhammad al-Masri died.");
  CHECK(Texts(early) == "Abu Muhammad al-Masri=masri");
}

TEST_CASE("linker: titles and appositions find people in no gazetteer") {
  auto ms = Run(kGaz,
                "Mullah Zarif Gul met President Hamid Zadran in Khost. "
                "Later Zarif Gul left. Farid Noorzai, an Iranian diplomat, was freed.");
  REQUIRE_MESSAGE(ms.size() == 5, Texts(ms));
  CHECK(ms[0].text == "Mullah Zarif Gul");
  CHECK(ms[0].type == "PERSON");
  CHECK(ms[0].rule == "title");
  CHECK(ms[1].text == "Hamid Zadran");  // "President" stays outside
  CHECK(ms[3].text == "Zarif Gul");
  CHECK(ms[3].entity == ms[0].entity);
  CHECK(ms[4].text == "Farid Noorzai");
  CHECK(ms[4].rule == "apposition");
  // No title, no apposition: nothing invented.
  CHECK(Run(kGaz, "Tensions rose in Kabul Valley.").empty());
}

TEST_CASE("linker: a city name is the province in a province context") {
  const char* gaz =
      "city:kunduz GPE:city Kunduz\nprov:kunduz GPE:province Kunduz\n"
      "prov:takhar GPE:province Takhar\n";
  auto ms = Run(gaz, "Fighting in Kunduz city. Kunduz province is large. Kunduz and Takhar fell.");
  CHECK(Texts(ms) == "Kunduz=city:kunduz|Kunduz=prov:kunduz|Kunduz=prov:kunduz|Takhar=prov:takhar");
  CHECK(ms[1].rule == "province-context");
}

TEST_CASE("petrarch: names, dated codes, types, damaged lines") {
  std::string src =
      "# comment\n"
      "AFGHANISTAN_  [AFG]\n+AFGHAN_\n+ISLAMIC_REPUBLIC_OF_AFGHANISTAN\n"
      "HAMID_KARZAI_  # CountryInfo.txt\n+KARZAI_\n\t[AFGELI 750101-000101]\n\t[AFGGOV >011222]\n"
      "COTE_D\xEF\xBF\xBDIVOIRE_ [CIV]\n+IVORY_COAST\n"
      "UN_ [IGOUNO]\n"
      "BORIS_YELTSIN_\nYELTSIN\n\t[RUSGOV 910906-991231]\n"
      "BAD\x1A_NAME [XXX]\n";
  GazetteerData out;
  std::vector<Diagnostic> warnings;
  REQUIRE(ImportPetrarch({"Phoenix.Countries.actors.txt", src}, out, warnings).ok());
  std::map<std::string, const GazEntry*> by;
  for (const auto& e : out.entries) by[e.id] = &e;
  REQUIRE(by.count("petrarch:AFGHANISTAN"));
  CHECK(by["petrarch:AFGHANISTAN"]->type == "GPE");
  CHECK(by["petrarch:AFGHANISTAN"]->aliases.size() == 3);
  REQUIRE(by.count("petrarch:HAMID_KARZAI"));
  const GazEntry& k = *by["petrarch:HAMID_KARZAI"];
  CHECK(k.type == "PERSON");
  CHECK(k.name == "Hamid Karzai");
  CHECK(k.Attr("cameo") == "AFGELI");
  REQUIRE(k.roles.size() == 2);
  CHECK(k.roles[0].from == "1975-01-01");
  CHECK(k.roles[0].to == "2000-01-01");
  CHECK(k.roles[1].from == "2001-12-22");
  CHECK(by.count("petrarch:COTE_D\xEF\xBF\xBDIVOIRE") == 0);  // damaged: skipped with its synonyms
  for (const auto& e : out.entries) {
    for (const auto& a : e.aliases) CHECK(a.text.find("\xEF\xBF\xBD") == std::string::npos);
  }
  CHECK(by["petrarch:UN"]->subtype == "igo");
  REQUIRE(by.count("petrarch:BORIS_YELTSIN"));
  // The block of names shares the code; a person's one-word alias ("YELTSIN") is not kept.
  for (const auto& a : by["petrarch:BORIS_YELTSIN"]->aliases) CHECK(a.text.find(' ') != std::string::npos);
  CHECK(by.count("petrarch:YELTSIN") == 0);
  CHECK(by["petrarch:UN"]->aliases[0].exact);
  CHECK(by.count("petrarch:BAD_NAME") == 1);  // the 0x1A byte is dropped, with a warning
  bool warned_fffd = false, warned_ctrl = false;
  for (const auto& w : warnings) {
    if (w.message.find("U+FFFD") != std::string::npos) warned_fffd = w.line == 9;
    if (w.message.find("control byte") != std::string::npos) warned_ctrl = w.line == 15;
  }
  CHECK(warned_fffd);
  CHECK(warned_ctrl);
  // Round trip through the format.
  std::string text;
  for (const auto& e : out.entries) FormatEntry(e, text);
  GazetteerData back;
  Status st = ParseGazetteers({{"imp.gaz", "@priority 10\n" + text}}, back);
  CHECK_MESSAGE(st.ok(), st.ToString());
  CHECK(back.entries.size() == out.entries.size());
}

// The known traps of the real PETRARCH dictionaries, with the shipped curated gazetteers.
TEST_CASE("petrarch: real dictionaries do not produce the known wrong links") {
  namespace fs = std::filesystem;
  std::string dir = std::string(QUARRY_SHARED_DATA_DIR) + "/petrarch2-dicts";
  if (!fs::is_directory(dir)) {
    MESSAGE("skipped: " << dir << " is absent");
    return;
  }
  std::string imported = "@priority 10\n";
  GazetteerData out;
  for (const char* f : {"Phoenix.Countries.actors.txt", "Phoenix.International.actors.txt",
                        "Phoenix.MilNonState.actors.txt"}) {
    auto text = ReadFile(dir + "/" + f);
    REQUIRE(text.has_value());
    std::vector<Diagnostic> warnings;
    REQUIRE(ImportPetrarch({f, *text}, out, warnings).ok());
  }
  for (const auto& e : out.entries) FormatEntry(e, imported);
  auto curated = LoadSources({std::string(QUARRY_SOURCE_DIR) + "/gazetteers/curated"}, {".gaz"});
  REQUIRE(curated.has_value());
  std::vector<SourceFile> all = *curated;
  all.push_back({"imported/petrarch.gaz", imported});
  auto g = CompileGazetteer(all);
  REQUIRE_MESSAGE(g.has_value(), (g ? "" : g.error().ToString()));
  auto tok = Tokenizer::Create(TokenizerOptions{});
  auto link = [&](const std::string& text) {
    auto doc = Document::FromBytes(text, "t");
    AnnotateOptions ao;
    RunContext ctx{*doc, ao, ""};
    AnnotationSet set;
    REQUIRE((*tok)->Run(ctx, set).ok());
    REQUIRE(CreateGazetteerStage(*g, {})->Run(ctx, set).ok());
    REQUIRE(CreateLinkingStage(*g, {})->Run(ctx, set).ok());
    std::map<std::string, std::string> m;
    for (const auto& a : set.annotations()) {
      if (a.layer == Layer::kEntity) m[std::string(doc->Slice(a.span))] = a.FeatureString("entity");
    }
    return m;
  };
  auto m = link(
      "ISIS-K and the Islamic State Khorasan Province attacked. The Khorasan Group is in Syria. "
      "The Haqqani Network and Yahya Haqqani met Husain Haqqani. The Quds Force and the "
      "al-Quds Brigades differ. Hamid Karzai met the Taliban.");
  CHECK(m["ISIS-K"] == "isis_k");
  CHECK(m["Islamic State Khorasan Province"] == "isis_k");
  CHECK(m["Khorasan Group"] == "khorasan_group");
  CHECK(m["Haqqani Network"] == "haqqani_network");
  CHECK(m["Yahya Haqqani"] == "yahya_haqqani");
  CHECK(m["Husain Haqqani"] == "husain_haqqani");
  CHECK(m["Quds Force"] == "quds_force");
  // Palestinian Islamic Jihad's wing (curated, or PETRARCH's entry), never the IRGC's unit.
  CHECK(!m["al-Quds Brigades"].empty());
  CHECK(m["al-Quds Brigades"] != "quds_force");
  CHECK(m["Hamid Karzai"] == "hamid_karzai");
  CHECK(m["Taliban"] == "taliban");
}

// Mutated inputs never crash the parser, the importer or the compiler, and every error is located.
TEST_CASE("robustness: mutated gazetteer and dictionary text") {
  std::mt19937 rng(11);
  std::string base = kGaz;
  std::string dict = "AFGHANISTAN_ [AFG]\n+AFGHAN_\nHAMID_KARZAI_\n\t[AFGGOV >011222]\n+KARZAI_\n";
  const char bytes[] = {'\n', ' ', ':',    '|',    '@',  '[', ']', '+', '#',
                        '_',  '-', '\xC3', '\xBF', '\0', 'A', 'z', ';', '.'};
  for (int round = 0; round < 500; ++round) {
    std::string g = base, d = dict;
    int edits = 1 + static_cast<int>(rng() % 8);
    for (int k = 0; k < edits; ++k) {
      size_t at = rng() % g.size();
      char c = bytes[rng() % sizeof bytes];
      if (rng() % 2)
        g[at] = c;
      else
        g.insert(g.begin() + at, c);
      size_t at2 = rng() % d.size();
      d[at2] = bytes[rng() % sizeof bytes];
    }
    GazetteerData data;
    Status st = ParseGazetteers({{"m.gaz", g}}, data);
    if (!st.ok()) {
      for (const Diagnostic& diag : st.diagnostics()) {
        CHECK(diag.line >= 1);
        CHECK(diag.column >= 1);
      }
    } else {
      auto compiled = CompiledGazetteer::Build(data);
      CHECK(compiled.has_value());
    }
    GazetteerData imp;
    std::vector<Diagnostic> warnings;
    (void)ImportPetrarch({"d.actors.txt", d}, imp, warnings);
    std::string text;
    for (const auto& e : imp.entries) FormatEntry(e, text);
    GazetteerData back;
    Status rt = ParseGazetteers({{"imp.gaz", "@priority 10\n" + text}}, back);
    CHECK_MESSAGE(rt.ok(), (rt.ToString() + "\n" + d));
  }
}

}  // namespace
}  // namespace quarry::internal
