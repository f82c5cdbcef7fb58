// quarry/options.h: plain option structs with documented defaults.
//
//   quarry::PipelineOptions opts;                  // defaults: shipped data folder, all stages
//   opts.gazetteers = {"gazetteers"};
//   opts.rules = {"rules"};
//   quarry::AnnotateOptions run;
//   run.dct = "2023-03-01";                        // resolve "last year" against this date
//   run.temporal_mode = quarry::TemporalMode::kNews;
#ifndef QUARRY_OPTIONS_H_
#define QUARRY_OPTIONS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace quarry {

struct TokenizerOptions {
  // How a single line break (not an empty line) affects sentences. An empty line always ends
  // a sentence.
  enum class Newline : uint8_t {
    // kAlways when the document has lines of paragraph length (any line over 200 bytes), which
    // is how commentary is usually stored; otherwise kHeading.
    kAuto,
    kAlways,   // every line break ends a sentence
    kHeading,  // a line break ends a sentence after terminal punctuation or a heading-like line
               // (a line without terminal punctuation that is shorter than 60% of the longest)
    kNever,    // line breaks are white space
  };
  Newline newline = Newline::kAuto;
  // Split English clitics off words ("Iran’s" -> "Iran" "’s", "don't" -> "do" "n't"), as the
  // Penn Treebank and Universal Dependencies do.
  bool split_clitics = true;
};

// How gazetteer matches become entity mentions (docs/gazetteers.md).
struct EntityOptions {
  enum class Match : uint8_t {
    kLeftmostLongest,   // left to right, the longest name at each start (default)
    kLeftmostShortest,  // left to right, the shortest name at each start
    kAll,               // every match, overlapping
  };
  Match match = Match::kLeftmostLongest;
  // Keep matches that lost to an overlapping mention of another entity as "other" layer
  // annotations of type "Lookup", for rules.
  bool lookups = true;
  // Link within the document: "Name (ACRONYM)", "a.k.a", short forms of people named earlier,
  // people found by titles and appositions.
  bool link = true;
};

struct PipelineOptions {
  // Gazetteer files or folders (every *.gaz file below a folder). Empty: no gazetteer stage.
  std::vector<std::string> gazetteers;
  // Rule files or folders (every *.qr file below a folder). Empty: no rule stage.
  std::vector<std::string> rules;
  // Run the temporal tagger.
  bool temporal = true;
  // Temporal grammar files or folders; empty means the grammar built into the library.
  std::vector<std::string> temporal_grammars;
  TokenizerOptions tokenizer;
  EntityOptions entities;
};

// Where the time goes: per pipeline stage, the wall time spent, the annotations it added and
// the documents it ran on. Filled by Pipeline::Annotate when AnnotateOptions::profile points at
// one; accumulates over calls (a batch sums its documents). Not synchronised: give each thread
// its own and Merge them.
struct StageProfile {
  std::string stage;         // "tokenize", "gazetteer", "link", "temporal", "actors", "coder", ...
  double seconds = 0;
  uint64_t annotations = 0;  // annotations added (tokens for the tokenizer)
  uint64_t documents = 0;
};
struct Profile {
  std::vector<StageProfile> stages;  // in pipeline order
  uint64_t bytes = 0;                // text annotated
  // Adds `other`'s figures to this one's, stage by stage (by name).
  void Merge(const Profile& other);
};

// How the temporal tagger resolves relative expressions ("last week", "on Friday", "in
// December"). docs/temporal.md.
enum class TemporalMode : uint8_t {
  // News when the document has a date and most explicit years it mentions are near that date;
  // narrative otherwise.
  kAuto,
  // News: against the document date, in the direction the verb's tense gives ("said on Friday"
  // is the Friday before it, "will meet on Friday" the one after). Without a document date,
  // relative expressions stay unresolved (reference values, X placeholders), never invented.
  kNews,
  // Narrative (history): against the last date mentioned.
  kNarrative,
};

// "auto", "news", "narrative" -> the mode; anything else -> nullopt.
std::optional<TemporalMode> ParseTemporalMode(std::string_view name);

struct AnnotateOptions {
  // Document creation time (ISO 8601), overriding the Document's own; empty: use the
  // Document's, and if that is empty too, relative dates stay unresolved.
  std::string dct;
  // Stop a document after this many seconds of work (0: no limit). Exceeding it fails the
  // document with kDeadlineExceeded.
  double time_budget_seconds = 0;
  // Most matches one rule may produce in one document (0: no limit). Exceeding it fails the
  // document with kResourceExhausted, naming the rule.
  uint32_t max_matches_per_rule = 100000;
  // Run only the tokenizer and sentence splitter.
  bool tokens_only = false;
  // How relative temporal expressions are resolved (see TemporalMode).
  TemporalMode temporal_mode = TemporalMode::kAuto;
  // When set, each stage's time and output are added to it (see Profile).
  Profile* profile = nullptr;
};

}  // namespace quarry

#endif  // QUARRY_OPTIONS_H_
