// io/timeml_test.cc: reading TimeML (TempEval-3 style) and writing it back.
#include <doctest/doctest.h>

#include <string>

#include "quarry/timeml.h"

TEST_CASE("ReadTimeML: DCT, text without tags, entities decoded, gold TIMEX3 offsets") {
  const std::string tml =
      "<?xml version=\"1.0\" ?>\n<TimeML>\n<DOCID>APW1</DOCID>\n"
      "<DCT><TIMEX3 tid=\"t0\" type=\"DATE\" value=\"1998-08-07\" "
      "functionInDocument=\"CREATION_TIME\">1998-08-07</TIMEX3></DCT>\n"
      "<TEXT>\nBombs <EVENT eid=\"e1\" class=\"OCCURRENCE\">exploded</EVENT> "
      "<TIMEX3 tid=\"t1\" type=\"DATE\" value=\"1998-08-07\">Friday</TIMEX3> &amp; "
      "<TIMEX3 tid=\"t2\" type=\"DURATION\" value=\"P2D\" mod=\"APPROX\">about two days</TIMEX3>"
      " later &#233;t&#xE9;.\n</TEXT>\n<MAKEINSTANCE eventID=\"e1\"/>\n</TimeML>\n";
  auto doc = quarry::ReadTimeML(tml, "a.tml");
  REQUIRE(doc.has_value());
  CHECK(doc->id == "APW1");
  CHECK(doc->dct == "1998-08-07");
  CHECK(doc->text == "\nBombs exploded Friday & about two days later \xC3\xA9t\xC3\xA9.\n");
  REQUIRE(doc->timexes.size() == 2);
  const auto& t1 = doc->timexes[0];
  CHECK(doc->text.substr(t1.begin, t1.end - t1.begin) == "Friday");
  CHECK(t1.tid == "t1");
  CHECK(t1.type == "DATE");
  CHECK(t1.value == "1998-08-07");
  const auto& t2 = doc->timexes[1];
  CHECK(doc->text.substr(t2.begin, t2.end - t2.begin) == "about two days");
  CHECK(t2.mod == "APPROX");
}

TEST_CASE("ReadTimeML: malformed files are located errors") {
  auto no_text = quarry::ReadTimeML("<TimeML><DCT></DCT></TimeML>", "n.tml");
  REQUIRE_FALSE(no_text.has_value());
  CHECK(no_text.error().message().find("n.tml:1:1") == 0);
  CHECK(no_text.error().message().find("no <TEXT> element") != std::string::npos);

  auto wrong_close = quarry::ReadTimeML("<TimeML>\n<TEXT>a\n<TIMEX3 tid=\"t1\">b</EVENT></TEXT>", "w.tml");
  REQUIRE_FALSE(wrong_close.has_value());
  CHECK(wrong_close.error().message().find("w.tml:3:19") == 0);
  CHECK(wrong_close.error().message().find("</EVENT> closes <TIMEX3>") != std::string::npos);
  REQUIRE(wrong_close.error().diagnostics().size() == 1);
  CHECK(wrong_close.error().diagnostics()[0].line == 3);

  auto unclosed = quarry::ReadTimeML("<TEXT>a <TIMEX3 tid=\"t1\" b</TEXT>", "u.tml");
  REQUIRE_FALSE(unclosed.has_value());
  CHECK(unclosed.error().message().find("unclosed tag") != std::string::npos);

  auto entity = quarry::ReadTimeML("<TEXT>a &nbsp; b</TEXT>", "e.tml");
  REQUIRE_FALSE(entity.has_value());
  CHECK(entity.error().message().find("unknown or malformed entity '&nbsp;") != std::string::npos);

  auto open_at_end = quarry::ReadTimeML("<TEXT>a <TIMEX3>b</TEXT>", "o.tml");
  REQUIRE_FALSE(open_at_end.has_value());
  CHECK(open_at_end.error().message().find("<TIMEX3> is not closed") != std::string::npos);

  // No DCT is not an error here: the caller decides.
  auto no_dct = quarry::ReadTimeML("<TEXT>a</TEXT>", "d.tml");
  REQUIRE(no_dct.has_value());
  CHECK(no_dct->dct.empty());
  CHECK(no_dct->text == "a");
}
