// io/export_test.cc: exporters on a hand-built annotation set.
#include <doctest/doctest.h>

#include <algorithm>

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
               "Al-Masri was killed in Tehran in 2020.\tkilled_passive\n") != std::string::npos);
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
