// io/export_test.cc: exporters on a hand-built annotation set.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>

#include "quarry/export.h"
#include "tokenize/tokenizer.h"

namespace {

struct Fixture {
  quarry::Document doc = *quarry::Document::FromBytes(
      "Al-Masri was killed in Tehran in 2020.\nIran’s <envoy> left.", "fx");
  quarry::AnnotationSet set;
  Fixture() {
    auto tok = quarry::internal::Tokenizer::Create({});
    REQUIRE((*tok)->Tokenize(doc.text(), set).ok());
    auto add = [&](quarry::Layer l, const char* type, uint32_t b, uint32_t e) {
      quarry::Annotation a;
      a.layer = l;
      a.type = type;
      a.span = {b, e};
      a.prov.source = "test";
      return set.Add(std::move(a));
    };
    uint32_t masri = add(quarry::Layer::kEntity, "PERSON", 0, 8);
    set.mutable_annotations()[masri].SetFeature("entity", std::string("abu_muhammad_al_masri"));
    uint32_t tehran = add(quarry::Layer::kEntity, "GPE", 23, 29);
    uint32_t year = add(quarry::Layer::kTimex, "DATE", 33, 37);
    set.mutable_annotations()[year].SetFeature("value", std::string("2020"));
    uint32_t ev = add(quarry::Layer::kEvent, "ASSASSINATE", 13, 19);
    auto& e = set.mutable_annotations()[ev];
    e.SetFeature("cameo", std::string("186"));
    e.SetFeature("date", std::string("2020"));
    e.args = {{"target", masri}, {"place", tehran}, {"time", year}};
    e.prov.rule = "killed_passive";
    uint32_t iran = add(quarry::Layer::kEntity, "GPE", 39, 43);
    set.mutable_annotations()[tehran].SetFeature("cameo", std::string("IRN"));
    uint32_t rel = add(quarry::Layer::kRelation, "located_in", 23, 29);
    set.mutable_annotations()[rel].args = {{"subject", tehran}, {"object", iran}};
  }
};

}  // namespace

TEST_CASE("brat: text-bound, event, relation and note lines in code points") {
  Fixture f;
  std::string ann = quarry::ToBrat(f.doc, f.set);
  CHECK(ann.find("T1\tPERSON 0 8\tAl-Masri\n") != std::string::npos);
  CHECK(ann.find("AnnotatorNotes T1\tentity=abu_muhammad_al_masri") != std::string::npos);
  CHECK(ann.find("T3\tDATE 33 37\t2020\n") != std::string::npos);
  CHECK(ann.find("T4\tGPE 39 43\tIran\n") != std::string::npos);
  CHECK(ann.find("T5\tASSASSINATE 13 19\tkilled\n") != std::string::npos);
  CHECK(ann.find("E1\tASSASSINATE:T5 Target:T1 Place:T2 Time:T3\n") != std::string::npos);
  CHECK(ann.find("R1\tlocated_in Arg1:T2 Arg2:T4\n") != std::string::npos);
  std::string conf = quarry::BratConfig(f.set);
  CHECK(conf.find("[entities]\nDATE\nGPE\nPERSON\n") != std::string::npos);
  CHECK(conf.find("ASSASSINATE\tPlace*:<ANY>, Target*:<ANY>, Time*:<ANY>") != std::string::npos);
}

TEST_CASE("brat: spans across a line break become fragments") {
  Fixture f;
  quarry::Annotation a;
  a.layer = quarry::Layer::kEntity;
  a.type = "X";
  a.span = {33, 43};  // "2020.\nIran"
  f.set.Add(a);
  CHECK(quarry::ToBrat(f.doc, f.set).find("X 33 38;39 43\t") != std::string::npos);
}

TEST_CASE("CoNLL: BIO tags for entities and timexes, ids, code point offsets") {
  Fixture f;
  std::string c = quarry::ToConll(f.doc, f.set);
  CHECK(c.find("1\tAl\t0\t2\tB-PERSON\tabu_muhammad_al_masri\tO\n") != std::string::npos);
  CHECK(c.find("3\tMasri\t3\t8\tI-PERSON\tabu_muhammad_al_masri\tO\n") != std::string::npos);
  CHECK(c.find("\t2020\t33\t37\tO\t_\tB-DATE\n") != std::string::npos);
  CHECK(c.find("\t\xE2\x80\x99s\t43\t45\t") != std::string::npos);  // after a 3-byte character
}

TEST_CASE("event table: one row per event and relation with arguments") {
  Fixture f;
  std::string t = quarry::ToEventTable(f.doc, f.set);
  CHECK(t.find("document\tid\tlayer\ttype\tcameo\tcameo_root\tlabel\tplover\tsource\t"
               "source_id\tsource_code\ttarget\ttarget_id\ttarget_code\tdate\t") == 0);
  // No source: empty source columns; the target with its id; the date; the remaining columns.
  CHECK(t.find("fx\tv1\tevent\tASSASSINATE\t186\t\t\t\t\t\t\tAl-Masri\te1\t\t2020\t\t\t\t\t"
               "killed\t13\t19\t"
               "target=Al-Masri[abu_muhammad_al_masri]; place=Tehran; time=2020[2020]\t"
               "Al-Masri was killed in Tehran in 2020.\tkilled_passive\tTehran\te2\n") != std::string::npos);
  // Relations: subject and object in the source and target columns.
  CHECK(t.find("fx\tr1\trelation\tlocated_in\t\t\t\t\tTehran\te2\tIRN\tIran\te3\t\t") !=
        std::string::npos);
  // Every row has as many fields as the header.
  size_t header_tabs = std::count(t.begin(), t.begin() + t.find('\n'), '\t');
  for (size_t b = 0; b < t.size();) {
    size_t e = t.find('\n', b);
    CHECK(static_cast<size_t>(std::count(t.begin() + b, t.begin() + e, '\t')) == header_tabs);
    b = e + 1;
  }
}

TEST_CASE("HTML: escaped text, highlighted spans, event rows") {
  Fixture f;
  std::string h = quarry::ToHtml(f.doc, f.set);
  CHECK(h.find("&lt;envoy&gt;") != std::string::npos);
  CHECK(h.find("<envoy>") == std::string::npos);
  CHECK(h.find("class=\"ent t-PERSON\" title=\"e1 PERSON\nentity=abu_muhammad_al_masri\">Al-Masri</span>") !=
        std::string::npos);
  CHECK(h.find("<td>v1</td><td>ASSASSINATE</td><td>186</td>") != std::string::npos);
}

TEST_CASE("event table as CSV and JSON lines: the same rows, quoted, with the place") {
  Fixture f;
  std::string csv = quarry::ToEventCsv(f.doc, f.set);
  CHECK(csv.starts_with("document,id,layer,type,cameo,"));
  CHECK(csv.find(",place,place_id\r\n") != std::string::npos);
  // The sentence has no comma or quote here; the arguments field has none either: count rows.
  CHECK(std::count(csv.begin(), csv.end(), '\n') == 3);
  CHECK(csv.find("fx,v1,event,ASSASSINATE,186,") != std::string::npos);
  CHECK(csv.find(",Tehran,e2\r\n") != std::string::npos);
  CHECK(quarry::ToEventCsv(f.doc, f.set, false).find("document,") == std::string::npos);
  std::string jl = quarry::ToEventJsonl(f.doc, f.set);
  CHECK(std::count(jl.begin(), jl.end(), '\n') == 2);
  CHECK(jl.find("{\"document\":\"fx\",\"id\":\"v1\",\"layer\":\"event\"") == 0);
  CHECK(jl.find("\"start\":13,\"end\":19") != std::string::npos);
  CHECK(jl.find("\"place\":\"Tehran\",\"place_id\":\"e2\"}") != std::string::npos);
  CHECK(jl.find("\"source\":null") != std::string::npos);
  // A field with a comma and a quote is quoted, the quote doubled.
  auto q = *quarry::Document::FromBytes("He said \"no, never\".", "q");
  quarry::AnnotationSet s;
  quarry::Annotation a;
  a.layer = quarry::Layer::kEvent;
  a.type = "SAY";
  a.span = {3, 7};
  s.Add(a);
  CHECK(quarry::ToEventCsv(q, s).find(",said,3,7,,,") != std::string::npos);
  s.mutable_sentences().push_back({{0, 20}, 0, 0});
  CHECK(quarry::ToEventCsv(q, s).find(",\"He said \"\"no, never\"\".\",") != std::string::npos);
}

TEST_CASE("W3C Web Annotation: a collection of annotations with quote and position selectors") {
  Fixture f;
  std::string w = quarry::ToW3C(f.doc, f.set);
  CHECK(w.starts_with("{\"@context\":\"http://www.w3.org/ns/anno.jsonld\""));
  CHECK(w.find("\"type\":\"AnnotationCollection\"") != std::string::npos);
  CHECK(w.find("\"total\":6") != std::string::npos);
  CHECK(w.find("\"value\":\"entities:PERSON\"") != std::string::npos);
  CHECK(w.find("\"source\":\"urn:quarry:entity:abu_muhammad_al_masri\"") != std::string::npos);
  CHECK(w.find("{\"type\":\"TextQuoteSelector\",\"exact\":\"Tehran\",\"prefix\":\"Al-Masri was "
               "killed in \",\"suffix\":\" in 2020.\\nIran’s <envoy> left.\"},{\"type\":"
               "\"TextPositionSelector\",\"start\":23,\"end\":29}") != std::string::npos);
  // Iran starts after the curly apostrophe's line: positions count code points, not bytes.
  CHECK(w.find("\"exact\":\"Iran\"") != std::string::npos);
  CHECK(w.find("\"scope\":\"target\"") != std::string::npos);
  CHECK(w.find("urn:sha256:" + f.doc.sha256() + "#v1") != std::string::npos);
}

TEST_CASE("HTML: the document date, and a clear line when there are no events") {
  Fixture f;
  CHECK(quarry::ToHtml(f.doc, f.set).find("Document date: unknown") != std::string::npos);
  auto d = *quarry::Document::FromBytes("Nothing happened.", "empty");
  d.set_dct("2021-05-03");
  std::string h = quarry::ToHtml(d, quarry::AnnotationSet());
  CHECK(h.find("Document date: 2021-05-03") != std::string::npos);
  CHECK(h.find("no events or relations found") != std::string::npos);
}

namespace {

// A document of `n` sentences "Iran met Kabul in 2020." with an entity pair, a timex, an event
// and a relation per sentence, nested as the pipeline nests them.
std::pair<quarry::Document, quarry::AnnotationSet> Synthetic(int n) {
  std::string text;
  for (int i = 0; i < n; ++i) text += "Iran met Kabul in 2020. ";
  auto doc = *quarry::Document::FromBytes(text, "big");
  quarry::AnnotationSet set;
  auto tok = quarry::internal::Tokenizer::Create({});
  REQUIRE((*tok)->Tokenize(doc.text(), set).ok());
  for (int i = 0; i < n; ++i) {
    uint32_t b = static_cast<uint32_t>(i) * 24;
    auto add = [&](quarry::Layer l, const char* type, uint32_t x, uint32_t y) {
      quarry::Annotation a;
      a.layer = l;
      a.type = type;
      a.span = {b + x, b + y};
      return set.Add(std::move(a));
    };
    uint32_t iran = add(quarry::Layer::kEntity, "GPE", 0, 4);
    uint32_t kabul = add(quarry::Layer::kEntity, "GPE", 9, 14);
    uint32_t year = add(quarry::Layer::kTimex, "DATE", 18, 22);
    uint32_t ev = add(quarry::Layer::kEvent, "MEET", 5, 8);
    set.mutable_annotations()[ev].args = {{"source", iran}, {"target", kabul}, {"time", year}};
    uint32_t clause = add(quarry::Layer::kOther, "Clause", 0, 22);
    (void)clause;
    uint32_t rel = add(quarry::Layer::kRelation, "located_in", 9, 14);
    set.mutable_annotations()[rel].args = {{"subject", kabul}, {"object", iran}};
  }
  return {std::move(doc), std::move(set)};
}

}  // namespace

TEST_CASE("every export is linear: ten times the annotations take well under forty times the time") {
  // Quadratic work (an id counted from the start of the list per annotation, a scan of all
  // annotations per text segment) made 10x the input take about 100x the time. Each figure is the
  // best of three runs, in this one run, so machine load affects both sizes alike. The bound is
  // 40x, not 20x: under AddressSanitizer the large output's allocations alone made one export
  // take 23x on a loaded machine, while quadratic work still shows as 100x.
  auto small = Synthetic(1000);
  auto large = Synthetic(10000);
  using Fn = std::string (*)(const quarry::Document&, const quarry::AnnotationSet&);
  const std::pair<const char*, Fn> exports[] = {
      {"brat", [](const quarry::Document& d, const quarry::AnnotationSet& s) { return quarry::ToBrat(d, s); }},
      {"conll", [](const quarry::Document& d, const quarry::AnnotationSet& s) { return quarry::ToConll(d, s); }},
      {"events", [](const quarry::Document& d, const quarry::AnnotationSet& s) { return quarry::ToEventTable(d, s); }},
      {"events-csv", [](const quarry::Document& d, const quarry::AnnotationSet& s) { return quarry::ToEventCsv(d, s); }},
      {"events-jsonl", [](const quarry::Document& d, const quarry::AnnotationSet& s) { return quarry::ToEventJsonl(d, s); }},
      {"html", [](const quarry::Document& d, const quarry::AnnotationSet& s) { return quarry::ToHtml(d, s); }},
      {"w3c", [](const quarry::Document& d, const quarry::AnnotationSet& s) { return quarry::ToW3C(d, s); }},
  };
  auto best = [](Fn f, const quarry::Document& d, const quarry::AnnotationSet& s) {
    double t = 1e9;
    for (int k = 0; k < 3; ++k) {
      auto t0 = std::chrono::steady_clock::now();
      std::string out = f(d, s);
      t = std::min(t, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
      REQUIRE(!out.empty());
    }
    return t;
  };
  for (const auto& entry : exports) {
    const auto& name = entry.first;  // not a structured binding: INFO captures it in a lambda
    const auto& f = entry.second;
    double a = best(f, small.first, small.second);
    double b = best(f, large.first, large.second);
    INFO(std::string(name) << ": " << a * 1e3 << " ms for 1,000 sentences, " << b * 1e3 << " ms for 10,000");
    MESSAGE(std::string(name) << ": " << a * 1e3 << " ms, " << b * 1e3 << " ms");
    CHECK(b < 40 * std::max(a, 1e-4));
  }
}
