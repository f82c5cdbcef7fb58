// tests/api/temporal_api_test.cc: the temporal tagger through the public API only.
#include <doctest/doctest.h>
#include <quarry/quarry.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace {

std::vector<const quarry::Annotation*> Timexes(const quarry::AnnotationSet& set) {
  std::vector<const quarry::Annotation*> out;
  for (const auto& a : set.annotations())
    if (a.layer == quarry::Layer::kTimex) out.push_back(&a);
  return out;
}

}  // namespace

TEST_CASE("the default pipeline tags and normalizes temporal expressions") {
  auto p = quarry::Pipeline::Compile(quarry::PipelineOptions());
  REQUIRE(p);
  auto doc = quarry::Document::FromBytes(
      "Nabil headed the NDS (2010-2015). Elections were held last year, and today the Taliban "
      "rule, two decades after 9/11, since August 2021.",
      "d");
  REQUIRE(doc);
  quarry::AnnotateOptions run;
  run.dct = "2023-03-01";
  auto set = p->Annotate(*doc, run);
  REQUIRE(set);
  auto t = Timexes(*set);
  REQUIRE(t.size() == 7);
  CHECK(t[0]->FeatureString("value") == "2010");
  CHECK(t[0]->FeatureString("begin") == "2010");
  CHECK(t[0]->FeatureString("end") == "2015");
  // Deictic expressions resolve against the DCT whenever there is one (news or narrative).
  CHECK(t[2]->FeatureString("value") == "2022");
  CHECK(t[3]->FeatureString("value") == "2023-03-01");
  CHECK(t[4]->type == "DURATION");
  CHECK(t[4]->FeatureString("value") == "P20Y");
  CHECK(t[5]->FeatureString("value") == "2001-09-11");
  std::string tml = quarry::ToTimeML(*doc, *set);
  CHECK(tml.find("<TIMEX3 tid=\"t6\" type=\"DATE\" value=\"2001-09-11\">9/11</TIMEX3>") !=
        std::string::npos);
}

TEST_CASE("user temporal grammars: loaded from files, errors located") {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("quarry_qt_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  {
    std::ofstream(dir / "ok.qt") << "rule ramadan\n  pattern  ramadan y:@YEAR\n"
                                    "  value    date(y)\n"
                                    "  example  \"in [Ramadan 2005] the\" => 2005\nend\n";
  }
  quarry::PipelineOptions o;
  o.temporal_grammars = {dir.string()};
  auto p = quarry::Pipeline::Compile(o);
  REQUIRE(p);
  auto doc = quarry::Document::FromBytes("During Ramadan 2005 and in 2006.", "d");
  REQUIRE(doc);
  auto set = p->Annotate(*doc);
  REQUIRE(set);
  auto t = Timexes(*set);
  REQUIRE(t.size() == 1);  // only the user's grammar: 2006 is not tagged
  CHECK(t[0]->FeatureString("value") == "2005");

  { std::ofstream(dir / "ok.qt") << "rule r\n  pattern  @nope\n  value lit(2000)\nend\n"; }
  auto bad = quarry::Pipeline::Compile(o);
  REQUIRE_FALSE(bad);
  CHECK(bad.error().code() == quarry::StatusCode::kParseError);
  REQUIRE(bad.error().diagnostics().size() == 1);
  CHECK(bad.error().diagnostics()[0].line == 2);
  CHECK(bad.error().diagnostics()[0].column == 12);
  fs::remove_all(dir);
}
