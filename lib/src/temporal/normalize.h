// temporal/normalize.h: the normalization functions a grammar's `value` lines call by name
// (date, dur, shift, ...), producing TimeML values against a reference date.
//
// Interface: FindNormFunction(name) at grammar load; NormFunctionAt(id).fn(args, ctx, out) when a
// rule matched. ctx carries the document creation time and the narrative anchor (the last date
// mentioned); out receives the value and whether it becomes the new anchor.
#ifndef QUARRY_TEMPORAL_NORMALIZE_H_
#define QUARRY_TEMPORAL_NORMALIZE_H_

#include <string>
#include <string_view>
#include <vector>

namespace quarry::internal {

// A calendar date of year, month or day granularity (month/day 0 = not given). Years BC are
// negative (1 BC = 0 is not used: 480 BC is -480).
struct Ymd {
  static constexpr int kNoYear = -1000000;
  int y = kNoYear;
  int m = 0;
  int d = 0;
  bool valid() const { return y != kNoYear; }
};

// Parses "1940", "1940-04", "1940-04-09", "BC0480", optionally followed by "T..." (ignored).
// Returns an invalid Ymd for anything else (durations, reference values, "XXXX-04").
Ymd ParseDateValue(std::string_view value);
// ParseDateValue, and also the year of "1915-SP", "2008-H2" (the anchor a value leaves).
Ymd AnchorFromValue(std::string_view value);
// "1940", "1940-04", "1940-04-09", "BC0480" (granularity from the fields that are set).
std::string FormatYmd(const Ymd& d);

struct NormContext {
  Ymd dct;                 // document creation time (invalid when unknown)
  Ymd anchor;              // the last date mentioned (invalid when none yet)
  bool narrative = false;  // deictic expressions resolve against the anchor, not the DCT
  bool news = false;       // news mode chosen explicitly (no DCT: nothing deictic resolves)
  // The tense of the verb nearest to the expression in its sentence: -1 past ("said on
  // Friday"), 1 future ("will meet on Friday"), 0 unknown. Dates without a year and weekdays
  // resolve against the DCT in that direction.
  int tense = 0;
  // The anchor was set by an explicit date earlier in the same sentence ("In 1998, in June"):
  // year-less dates take its year rather than the DCT's.
  bool anchor_here = false;
  // A quarter ("1989-Q3") named in this sentence or the one before: "a year earlier" and "a
  // year ago" in a report on that quarter mean the same quarter a year before (1988-Q3).
  std::string quarter_near;
};

// ISO 8601 weekday (1 Monday .. 7 Sunday) of a day count from DaysFromCivil.
int IsoWeekday(long days);
// ISO 8601 week of a date: "2025-W10".
std::string IsoWeek(const Ymd& d);

struct NormResult {
  std::string value;
  std::string anchor;        // the reference the value was computed from, when relative
  bool unresolved = false;   // the value lacks a part that could not be resolved (XXXX, *_REF)
  bool sets_anchor = false;  // an explicit date: later anaphora resolve against it
  bool explicit_year = false;  // its year was written in the text (not taken from a reference)
  std::string type;            // overrides the rule's type when set ("DURATION")
  std::string signal;          // an event-anchored duration: "after" or "before" the event
};

using NormFn = void (*)(const std::vector<std::string_view>& args, const NormContext& ctx,
                        NormResult& out);

struct NormFunction {
  const char* name;
  int min_args;
  int max_args;
  NormFn fn;
  const char* help;  // one line for docs/temporal.md and `quarry timex functions`
};

// Index of a function by name, -1 when unknown.
int FindNormFunction(std::string_view name);
const NormFunction& NormFunctionAt(int id);
const std::vector<NormFunction>& NormFunctions();

// Days since 1970-01-01 of a proleptic Gregorian date, and back (for day arithmetic).
long DaysFromCivil(int y, int m, int d);
Ymd CivilFromDays(long z);

}  // namespace quarry::internal

#endif  // QUARRY_TEMPORAL_NORMALIZE_H_
