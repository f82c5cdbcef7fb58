// quarry/annotation.h: the stand-off annotation model.
//
// An AnnotationSet holds everything quarry found in one Document: tokens, sentences, and typed
// annotations (entities, timexes, events, relations, and user layers). All spans are UTF-8 byte
// ranges into Document::text(); writers convert them to code points or UTF-16 on output.
//
//   const quarry::AnnotationSet& set = *result;
//   for (const quarry::Annotation& a : set.annotations()) {
//     if (a.layer != quarry::Layer::kEntity) continue;
//     std::cout << doc.Slice(a.span) << " -> " << a.FeatureString("entity") << "\n";
//   }
//   for (const quarry::Token& t : set.tokens()) std::cout << set.Lower(t) << "\n";
//
// Events and relations are annotations with named arguments that refer to other annotations by
// index. A relation triple is a relation with arguments "subject" and "object"; its type is the
// predicate.
#ifndef QUARRY_ANNOTATION_H_
#define QUARRY_ANNOTATION_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "quarry/document.h"

namespace quarry {

enum class TokenKind : uint8_t {
  kWord,         // letters, possibly with inner apostrophes or periods ("don't", "U.S.")
  kNumber,       // digits, possibly with separators ("1,000", "4.6", "9/11", "2nd")
  kPunctuation,  // . , ; : ! ? quotes brackets dashes hyphens
  kSymbol,       // % $ & + = and other symbols
  kEmoji,
  kOther,        // anything else (e.g. URLs, e-mail addresses are kOther)
};
// "word", "number", "punct", "symbol", "emoji", "other".
const char* TokenKindName(TokenKind kind);

// Bit flags on a token.
enum TokenFlag : uint8_t {
  kSpaceBefore = 1 << 0,     // white space precedes the token
  kNewlineBefore = 1 << 1,   // a line break precedes the token
  kBlankLineBefore = 1 << 2, // an empty line (paragraph break) precedes the token
  kSentenceStart = 1 << 3,   // the token opens a sentence
  kClitic = 1 << 4,          // split off the previous word ("'s", "n't", "’ll")
  kAbbreviation = 1 << 5,    // a known abbreviation or initial ending in a period ("U.S.", "W.")
};

struct Token {
  Span span;
  TokenKind kind = TokenKind::kOther;
  uint8_t flags = 0;
  // Into AnnotationSet::strings(): the case-folded form and the shape (see Shape()).
  uint32_t lower_offset = 0;
  uint16_t lower_size = 0;
  uint16_t shape_size = 0;  // the shape follows the lower form in the arena
  bool Has(TokenFlag f) const { return (flags & f) != 0; }
};

struct Sentence {
  Span span;
  uint32_t first_token = 0;  // [first_token, end_token) index into tokens()
  uint32_t end_token = 0;
};

enum class Layer : uint8_t { kEntity, kTimex, kEvent, kRelation, kOther };
// "entities", "timexes", "events", "relations", "other": the JSON array each layer goes to.
const char* LayerName(Layer layer);

using FeatureValue = std::variant<std::string, int64_t, double, bool>;

struct Feature {
  std::string name;
  FeatureValue value;
};

// A named argument: role -> the index of another annotation in the same set.
struct Argument {
  std::string role;
  uint32_t target = 0;
};

// Where an annotation came from: a gazetteer line, a rule, or a built-in stage.
struct Provenance {
  std::string source;  // "gazetteer", "rule", "tokenizer", "alias", ... (the producing stage)
  std::string file;    // data file, relative as given to the pipeline; empty for built-ins
  uint32_t line = 0;   // 1-based line in `file`, 0 when none
  std::string rule;    // rule or entry name, when there is one
  std::string phase;   // rule phase, when there is one
};

struct Annotation {
  Layer layer = Layer::kOther;
  std::string type;  // "PERSON", "DATE", "ASSASSINATE", a user type, ...
  Span span;         // for events and relations: the trigger span
  uint32_t first_token = 0;  // tokens covered: [first_token, end_token)
  uint32_t end_token = 0;
  std::vector<Feature> features;  // in insertion order; names unique
  std::vector<Argument> args;
  Provenance prov;

  // The string form of a feature ("" when absent; numbers and booleans are formatted).
  std::string FeatureString(std::string_view name) const;
  const FeatureValue* FindFeature(std::string_view name) const;
  // Sets (replacing) a feature.
  void SetFeature(std::string name, FeatureValue value);
};

// Everything found in one document. Produced by Pipeline::Annotate; plain data afterwards.
class AnnotationSet {
 public:
  const std::vector<Token>& tokens() const { return tokens_; }
  const std::vector<Sentence>& sentences() const { return sentences_; }
  const std::vector<Annotation>& annotations() const { return annotations_; }
  std::vector<Token>& mutable_tokens() { return tokens_; }
  std::vector<Sentence>& mutable_sentences() { return sentences_; }
  std::vector<Annotation>& mutable_annotations() { return annotations_; }

  // The case-folded form of a token (Unicode full case folding).
  std::string_view Lower(const Token& t) const {
    return std::string_view(strings_).substr(t.lower_offset, t.lower_size);
  }
  // The token's shape: letters map to X/x, digits to d, other characters stay; runs longer
  // than four of the same class are cut to four ("Taliban" -> "Xxxxx", "2010" -> "dddd",
  // "U.S." -> "X.X.", "9/11" -> "d/dd").
  std::string_view Shape(const Token& t) const {
    return std::string_view(strings_).substr(t.lower_offset + t.lower_size, t.shape_size);
  }
  // Appends the forms of a token to the arena and sets its offsets. For stages that make tokens.
  void SetForms(Token& t, std::string_view lower, std::string_view shape);
  std::string& mutable_strings() { return strings_; }

  // Index of the token containing byte offset `byte`, or of the first token after it.
  uint32_t TokenAt(uint32_t byte) const;
  // The token range [first, end) covering `span` (tokens overlapping it).
  std::pair<uint32_t, uint32_t> TokenRange(Span span) const;

  // Adds an annotation, fills its token range from its span, and returns its index.
  uint32_t Add(Annotation a);

  // The fingerprint of the pipeline that made this set (Pipeline::Info::fingerprint), empty for
  // a set built by hand. ToJson writes it as "generator": {"pipeline": ...}.
  const std::string& pipeline() const { return pipeline_; }
  void set_pipeline(std::string fingerprint) { pipeline_ = std::move(fingerprint); }

 private:
  std::vector<Token> tokens_;
  std::vector<Sentence> sentences_;
  std::vector<Annotation> annotations_;
  std::string strings_;
  std::string pipeline_;
};

}  // namespace quarry

#endif  // QUARRY_ANNOTATION_H_
