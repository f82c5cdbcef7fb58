// quarry/timeml.h: TimeML export of the temporal expressions (inline TIMEX3), for external
// scorers such as the TempEval-3 toolkit.
//
//   std::string tml = quarry::ToTimeML(doc, *set);
//   quarry::Status st = quarry::WriteTimeML(doc, *set, "out/doc.tml");
//
// The file is <TimeML> with <DOCID>, <DCT> (a CREATION_TIME TIMEX3 tid="t0" when the document has
// a creation time) and <TEXT> holding the document text, XML-escaped, with one
// <TIMEX3 tid type value [mod]> element around each timex. TIMEX3 ids follow the JSON ids (t1,
// t2, ...). Timexes that overlap an earlier one are left out (TimeML does not nest TIMEX3).
#ifndef QUARRY_TIMEML_H_
#define QUARRY_TIMEML_H_

#include <string>

#include "quarry/annotation.h"
#include "quarry/document.h"
#include "quarry/status.h"

namespace quarry {

std::string ToTimeML(const Document& doc, const AnnotationSet& set);

// ToTimeML written atomically (temporary file, then rename).
Status WriteTimeML(const Document& doc, const AnnotationSet& set, const std::string& path);

}  // namespace quarry

#endif  // QUARRY_TIMEML_H_
