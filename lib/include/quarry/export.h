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
// layer, type, cameo, cameo_root, label, plover, source (text, id, code), target (text, id,
// code), date, date_source, modality, polarity, fatalities, trigger text, start, end, arguments
// ("role=text[entity]" joined by "; "), the sentence, the rule that produced it, and the place
// (text, id). Columns are described in docs/exports.md.
std::string ToEventTable(const Document& doc, const AnnotationSet& set);

// The same table as CSV (RFC 4180: quoted fields, CRLF line ends); the header row only when
// `header` (to concatenate the tables of many documents).
std::string ToEventCsv(const Document& doc, const AnnotationSet& set, bool header = true);

// The same table as JSON lines: one object per event and relation, keyed by the column names;
// start and end are numbers, empty fields null.
std::string ToEventJsonl(const Document& doc, const AnnotationSet& set);

// The W3C Web Annotation Data Model (JSON-LD): an AnnotationCollection for the document with
// one Annotation per annotation; bodies classify (layer:type), identify (the canonical entity)
// and describe (features), arguments link to other annotations (scope = role); targets select
// the text by TextQuoteSelector and TextPositionSelector (code points). The document is named
// urn:sha256:<sha256 of its text>.
std::string ToW3C(const Document& doc, const AnnotationSet& set);

// A self-contained HTML page: the text with entities and timexes highlighted by type (hover for
// id, canonical entity, value), event triggers underlined, and tables of events and relations.
std::string ToHtml(const Document& doc, const AnnotationSet& set);

}  // namespace quarry

#endif  // QUARRY_EXPORT_H_
