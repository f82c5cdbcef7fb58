// temporal/grammar.h: the temporal grammar (.qt files, docs/temporal.md) parsed into lexicons
// and token-pattern rules, with all errors of all files reported at once.
//
// Interface: ParseGrammar(sources, tokenizer) -> Result<Grammar>. The Grammar is plain immutable
// data; temporal/tagger.h matches it over tokens and normalizes with temporal/normalize.h.
#ifndef QUARRY_TEMPORAL_GRAMMAR_H_
#define QUARRY_TEMPORAL_GRAMMAR_H_

#include <re2/re2.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/source.h"
#include "quarry/status.h"

namespace quarry::internal {

class Tokenizer;

// Built-in token classes (`@NUM`, `@YEAR`, ...): predicates on one token computed in C++, each
// with a value (the number, the year, ...). See docs/temporal.md for the list.
enum class TokenClass : uint8_t {
  kNum,       // digits only: the number
  kYear,      // 1000..2199 written with four digits
  kDay,       // 1..31, optionally with an ordinal suffix ("3rd")
  kMonthNum,  // 1..12 written with one or two digits
  kDecade,    // "1990s", "480s", "90s": the digits without the final 0 ("199", "48", "9")
  kYear2,     // two digits 00..99: the digits
  kMinute,    // two digits 00..59
  kHour,      // 0..24
  kClock,     // "5pm", "10am": the hour on the 24-hour clock
  kNumDate,   // "12/25/1990" (month/day/year): YYYY-MM-DD
  kOrdinal,   // "1st", "21st", "3rd": the number
  kDayTh,     // 1..31 with an ordinal suffix ("13th"): the number
};

struct Elem {
  enum class Kind : uint8_t { kLiteral, kLexicon, kClass, kRegex, kGroup };
  Kind kind = Kind::kLiteral;
  std::string text;                     // kLiteral: case-folded token text
  int index = -1;                       // kLexicon: lexicon index; kClass: TokenClass
  std::shared_ptr<RE2> re;              // kRegex: full match on the case-folded token
  std::vector<std::vector<Elem>> alts;  // kGroup: alternatives
  uint8_t min = 1, max = 1;             // quantifier
  int capture = -1;                     // capture index or -1
  bool negated = false;                 // zero-width: the next token must not match (`!elem`)
  bool lookahead = false;               // zero-width: the next tokens must match (`&elem`)
  bool behind = false;  // with negated: the token before must not match (`<!elem`, one token)
  bool capitalized = false;  // `^elem`: the (first) token must start with an upper-case letter
};

// One argument of a value function: a capture of the rule or a literal.
struct Arg {
  int capture = -1;
  std::string literal;
};

struct ValueSpec {
  int part = -1;         // capture whose span becomes its own timex; -1: the whole match
  std::string function;  // "" when `literal` is the value
  int function_id = -1;  // into the normalize.h function table
  std::vector<Arg> args;
  std::string literal;
};

struct Example {
  bool reject = false;  // `reject`: the rule must not match anywhere in `text`
  std::string text;     // without the [ ] marks
  std::vector<std::pair<uint32_t, uint32_t>> marks;  // byte spans of the expected timexes
  std::vector<std::string> values;                   // expected values, "" = not checked
  std::string dct;
  uint32_t line = 0;
};

struct Rule {
  std::string name;
  std::string file;
  uint32_t line = 0;
  std::vector<Elem> pattern;
  std::vector<std::string> captures;
  std::string type = "DATE";      // DATE, TIME, DURATION, SET
  std::vector<ValueSpec> values;  // one per timex the rule produces
  Arg mod;                        // empty literal and no capture: no mod
  std::vector<Example> examples;
};

// Hash for string-keyed maps looked up with string_view (no allocation per token).
struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
};
template <typename V>
using StringMap = std::unordered_map<std::string, V, StringHash, std::equal_to<>>;

struct LexEntry {
  std::vector<std::string> tokens;  // case-folded
  std::string value;
};

struct Lexicon {
  std::string name;
  // Entries by first token, longest first.
  StringMap<std::vector<LexEntry>> by_first;
};

struct Grammar {
  std::vector<Lexicon> lexicons;
  std::vector<Rule> rules;
};

// Parses every file; lexicons of the same name in several files are merged (that is how a user
// extends the shipped ones). Rules may use lexicons defined in any file. All errors are returned
// together as Diagnostics of a kParseError status.
Result<Grammar> ParseGrammar(const std::vector<SourceFile>& sources, const Tokenizer& tokenizer);

// The grammar shipped in rules/temporal/, embedded in the library at build time.
const std::vector<SourceFile>& BuiltinTemporalGrammar();

}  // namespace quarry::internal

#endif  // QUARRY_TEMPORAL_GRAMMAR_H_
