// quarry/export.h: exporters for tools analysts already use.
//
//   std::string ann = quarry::ToBrat(doc, set);         // brat standoff .ann (with a .txt copy)
//   std::string conll = quarry::ToConll(doc, set);      // token per line, BIO entity/timex tags
//   std::string tsv = quarry::ToEventTable(doc, set);   // one row per event and relation
//   std::string html = quarry::ToHtml(doc, set);        // a self-contained page to read
//
// The formats are described in docs/exports.md. Offsets in brat and CoNLL output are code points.
#ifndef QUARRY_EXPORT_H_
#define QUARRY_EXPORT_H_

#include <string>

#include "quarry/annotation.h"
#include "quarry/document.h"

namespace quarry {

// brat standoff annotations (the .ann file; the matching .txt is Document::text()). Entities and
// timexes become text-bound annotations (T), events E lines with their arguments, relations R
// lines (subject -> Arg1, object -> Arg2), and canonical ids, values and CAMEO codes go to
// AnnotatorNotes (#). Spans that cross a line break are split into fragments, as brat requires.
std::string ToBrat(const Document& doc, const AnnotationSet& set);

// A brat annotation.conf declaring every entity, event and relation type found in `set`.
std::string BratConfig(const AnnotationSet& set);

// Tab-separated tokens, one per line, an empty line between sentences. Columns:
// index, form, start, end (code points), entity BIO tag (B-GPE), entity id, timex BIO tag.
std::string ToConll(const Document& doc, const AnnotationSet& set);

// Tab-separated table with a header row; one row per event and per relation: document, id,
// layer, type, cameo, label, date, trigger text, start, end, arguments ("role=text[entity]"
// joined by "; "), the sentence, and the rule that produced it.
std::string ToEventTable(const Document& doc, const AnnotationSet& set);

// A self-contained HTML page: the text with entities and timexes highlighted by type (hover for
// id, canonical entity, value), event triggers underlined, and tables of events and relations.
std::string ToHtml(const Document& doc, const AnnotationSet& set);

}  // namespace quarry

#endif  // QUARRY_EXPORT_H_
