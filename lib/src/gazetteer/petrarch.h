// gazetteer/petrarch.h: converting PETRARCH/TABARI actor dictionaries into gazetteer entries.
//
//   GazetteerData out;  std::vector<Diagnostic> warnings;
//   Status st = ImportPetrarch(source, out, warnings);   // then FormatEntry each entry
//
// The actor format (PETRARCH docs, "dictionaries.rst"): an entry opens with its primary name
// (words joined by '_', a trailing '_' meaning "whole words"), optionally followed by a code in
// brackets; '+' lines add synonyms; bracketed lines give CAMEO actor codes, optionally dated:
// "[PAKGOV >080801]" (from), "[IRNELI <790205]" (until), "[AFGGOV 960927-010416]" (range),
// dates as YYMMDD or YYYYMMDD. '#' starts a comment. Ids become "petrarch:PRIMARY_NAME"; the
// first code is the entry's `cameo`; every dated code becomes a role. Types are inferred (see
// docs/gazetteers.md): dated codes -> PERSON, MilNonState -> ORG:militant_group, a bare
// three-letter country code on a country name -> GPE:country, IGO codes -> ORG:igo, else ORG.
// Control bytes (0x1A) are dropped and names containing U+FFFD are skipped, each with a warning
// naming file:line, so that no damaged name can produce a link.
#ifndef QUARRY_GAZETTEER_PETRARCH_H_
#define QUARRY_GAZETTEER_PETRARCH_H_

#include <vector>

#include "common/source.h"
#include "gazetteer/format.h"

namespace quarry::internal {

// Appends the entries of one actor dictionary to `out`. Fails only when nothing usable is found;
// skipped lines are reported in `warnings` (severity warning).
Status ImportPetrarch(const SourceFile& src, GazetteerData& out, std::vector<Diagnostic>& warnings);

// "HAMID_KARZAI_" -> "Hamid Karzai"; short single words stay upper-case ("UN", "NATO").
std::string PetrarchName(std::string_view raw);

}  // namespace quarry::internal

#endif  // QUARRY_GAZETTEER_PETRARCH_H_
