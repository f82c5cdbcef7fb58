// quarry/timeml.h: TimeML in and out. ReadTimeML takes a TimeML file (TempEval-3 style: a
// <DCT> with its TIMEX3, raw text in <TEXT>, possibly with gold TIMEX3/EVENT/SIGNAL tags) apart
// into the text quarry annotates, its document date and its gold TIMEX3; ToTimeML writes the
// temporal expressions back as inline TIMEX3, for external scorers such as TempEval-3's.
//
//   auto tml = quarry::ReadTimeML(content, "doc.tml");   // tml->text, tml->dct, tml->timexes
//   std::string out = quarry::ToTimeML(doc, *set);
//   quarry::Status st = quarry::WriteTimeML(doc, *set, "out/doc.tml");
//
// The file is <TimeML> with <DOCID>, <DCT> (a CREATION_TIME TIMEX3 tid="t0" when the document has
// a creation time) and <TEXT> holding the document text, XML-escaped, with one
// <TIMEX3 tid type value [mod]> element around each timex. TIMEX3 ids follow the JSON ids (t1,
// t2, ...). Timexes that overlap an earlier one are left out (TimeML does not nest TIMEX3).
#ifndef QUARRY_TIMEML_H_
#define QUARRY_TIMEML_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "quarry/annotation.h"
#include "quarry/document.h"
#include "quarry/status.h"

namespace quarry {

// A TIMEX3 of a TimeML file's TEXT, with UTF-8 byte offsets into TimeMLDocument::text.
struct TimeMLTimex {
  uint32_t begin = 0, end = 0;
  std::string tid, type, value, mod;
};

struct TimeMLDocument {
  std::string id;    // <DOCID>, else empty
  std::string dct;   // the value of the CREATION_TIME TIMEX3 in <DCT>, else empty
  std::string text;  // <TEXT> with its tags removed and XML entities decoded
  std::vector<TimeMLTimex> timexes;  // gold TIMEX3 elements inside <TEXT>, in text order
};

// Parses a TimeML file. Errors (kParseError) name `path`, the line, column and byte: no <TEXT>
// element, an unclosed tag or comment, an end tag that closes nothing or the wrong element, an
// unknown entity. A file without a <DCT> is read (dct stays empty); callers that need one say so.
Result<TimeMLDocument> ReadTimeML(std::string_view content, const std::string& path);

std::string ToTimeML(const Document& doc, const AnnotationSet& set);

// ToTimeML written atomically (temporary file, then rename).
Status WriteTimeML(const Document& doc, const AnnotationSet& set, const std::string& path);

}  // namespace quarry

#endif  // QUARRY_TIMEML_H_
