// gazetteer/format.h: parsing the line-oriented gazetteer format (docs/gazetteers.md) into
// entries, with every error of every file reported at once as file:line:column diagnostics.
//
//   std::vector<GazEntry> entries;
//   Status st = ParseGazetteers(sources, entries);   // kParseError + diagnostics on bad input
//
// An entry opens with an unindented head line "ID TYPE[:SUBTYPE] Canonical Name"; indented
// "key: value" lines add aliases and attributes. Entries with the same id in several files are
// merged (aliases united; the first file's attributes win), so a curated file can extend an
// imported country.
#ifndef QUARRY_GAZETTEER_FORMAT_H_
#define QUARRY_GAZETTEER_FORMAT_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/source.h"
#include "quarry/status.h"

namespace quarry::internal {

struct GazAlias {
  std::string text;
  bool exact = false;  // match case-sensitively
  uint32_t file = 0;   // index into GazetteerData::files
  uint32_t line = 0;
  int32_t priority = 0;
};

struct GazRole {
  std::string title;  // "leader of the Taliban"
  std::string from;   // ISO date or "" (open)
  std::string to;
};

// An `example:` (positive) or `counter:` line of an entry: text whose [[marked]] names must be
// found and linked to the entry, or text that must not mention it (`quarry gazetteer test`).
struct GazExample {
  uint32_t file = 0;  // index into GazetteerData::files
  uint32_t line = 0;
  std::string text;   // as written, with its [[marks]]
  bool positive = true;
};

// Example text with its [[marks]] removed, and the byte ranges the marks covered in it.
struct MarkedExample {
  std::string text;
  std::vector<std::pair<uint32_t, uint32_t>> marks;
  std::string error;  // non-empty when a mark is not closed, nested or empty
};
MarkedExample StripMarks(std::string_view text);

struct GazEntry {
  std::string id;
  std::string type;               // PERSON, ORG, GPE, LOC, FAC, NORP, EVENT, PRODUCT, MISC
  std::string subtype;            // militant_group, intelligence_service, city, ... ("" when none)
  std::string name;               // canonical name
  std::vector<GazAlias> aliases;  // the canonical name first
  // Single-valued attributes in file order: cameo, iso, country, source, wikidata, note, x-*.
  std::vector<std::pair<std::string, std::string>> attrs;
  std::vector<GazRole> roles;
  std::vector<GazExample> examples;
  uint32_t file = 0;
  uint32_t line = 0;
  int32_t priority = 0;

  std::string_view Attr(std::string_view key) const {
    for (const auto& [k, v] : attrs) {
      if (k == key) return v;
    }
    return {};
  }
};

struct GazetteerData {
  std::vector<std::string> files;  // names of the sources, as given
  std::vector<GazEntry> entries;
};

// The main types accepted in a head line.
bool IsKnownEntityType(std::string_view type);
// A CAMEO actor code as the format accepts it: 3 to 15 upper-case letters or digits.
bool IsValidCameoCode(std::string_view code);
// A name the format accepts as an alias: no '|', and at least one token with a matching key.
bool IsMatchableName(std::string_view name);

// Parses one source into `data` (appending), collecting diagnostics. `default_priority` is the
// priority of entries before any "@priority" directive.
void ParseGazetteerSource(const SourceFile& src, int32_t default_priority, GazetteerData& data,
                          std::vector<Diagnostic>& diags);

// Parses all sources and merges entries by id. Fails with kParseError listing every diagnostic.
Status ParseGazetteers(const std::vector<SourceFile>& sources, GazetteerData& data);

// Writes one entry in the format (used by importers), ending with a blank line.
void FormatEntry(const GazEntry& e, std::string& out);

}  // namespace quarry::internal

#endif  // QUARRY_GAZETTEER_FORMAT_H_
