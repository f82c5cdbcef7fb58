// rules/program.h: a compiled, immutable rule set, and running it over an AnnotationSet.
//
//   Result<std::shared_ptr<const RuleSet>> rs = CompileRules(sources);   // rules/compiler.h
//   Status st = (*rs)->Apply(doc, set, options);                         // adds annotations
//
// Each rule is a small program over the lattice of a sentence: tokens are edges i -> i+1 and
// every visible earlier annotation is an edge from its first token to its end. A rule's
// searches run a memoised backtracker (each (instruction, position) state entered at most once
// per rule and sentence), so the result is the match a backtracking matcher would find first,
// in time linear in the sentence length times the program size. Lookarounds and explain run a
// Pike VM over the same programs. Token predicates are evaluated at most once per token and
// cached; rules are indexed by the literals (word, lemma) or annotation types they require, so
// a sentence only runs the rules that can match it, and a search only starts where its rarest
// required element allows.
#ifndef QUARRY_RULES_PROGRAM_H_
#define QUARRY_RULES_PROGRAM_H_

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "common/source.h"
#include "common/stage.h"
#include "quarry/annotation.h"
#include "quarry/document.h"
#include "quarry/options.h"
#include "common/string_set.h"
#include "quarry/status.h"
#include "rules/ast.h"

namespace re2 {
class RE2;
}

namespace quarry::internal::rules {

enum class Attr : uint8_t { kText, kLower, kLemma, kShape, kCase, kKind, kType, kLayer, kFeature };

// A leaf predicate: `attr op value(s)`.
struct Atom {
  Attr attr = Attr::kText;
  std::string feature;  // kFeature
  Cond::Op op = Cond::Op::kEq;
  StringSet set;                         // kEq, kNe, kIn, kNotIn (one value for ==, !=)
  std::string value;                    // kLt.. : the value
  double number = 0;
  bool numeric = false;
  std::shared_ptr<const re2::RE2> re;  // kMatch
  bool partial = false;
  // For ==, !=, in, not in over lower/lemma (and text, as a prefilter): the index key ids of the
  // values ("l:" / "m:" + folded value), sorted, so a token is tested by its key id alone.
  bool keyed = false;
  std::vector<int32_t> key_ids;
  // For kind ==, !=, in, not in: the accepted TokenKind values as bits (then `kind_test`).
  bool kind_test = false;
  uint32_t kind_mask = 0;
};

// A boolean tree over atoms.
struct PredNode {
  enum class Kind : uint8_t { kTrue, kAnd, kOr, kNot, kAtom };
  Kind kind = Kind::kTrue;
  int32_t atom = -1;
  std::vector<int32_t> kids;
  // Fast paths for the commonest token atoms, kept here so the matcher need not touch the Atom:
  // 1 token kind in `mask`; 2 lower-form key == `key`; 3 lemma key == `key`. `negate` for != and
  // not in. 0: the general path.
  uint8_t fast = 0;
  bool negate = false;
  uint32_t mask = 0;
  int32_t key = -1;
};

// The hot part of a token PredNode, 16 bytes, in an array of its own (RuleSet::fast_preds_):
// the commonest tests need nothing else, so a rule's first token test costs one cache line
// rather than the PredNode and its Atom. kind: 0 general (see PredNode), 1 token kind in
// `mask`, 2 lower-form key == `key`, 3 lemma key == `key`, 4 lower-form key (lemma key when
// `lemma`) among RuleSet::fast_keys_[off, off + len), 5 any token.
struct FastPred {
  uint8_t kind = 0;
  bool negate = false;
  bool lemma = false;
  uint32_t mask = 0;
  int32_t key = -1;  // kind 2, 3; kind 4: the offset
  int32_t len = 0;   // kind 4
};

// Which annotations an `@X[...]` element accepts.
struct AnnPred {
  bool is_layer = false;
  Layer layer = Layer::kOther;
  std::string type;  // when !is_layer
  int32_t pred = -1;  // PredNode, -1 for none
};

struct Inst {
  enum Op : uint8_t { kTok, kAnn, kSplit, kJmp, kSave, kBol, kEol, kLook, kMatch };
  Op op = kMatch;
  int32_t x = 0;  // kTok: PredNode; kAnn: AnnPred; kSplit/kJmp: target; kSave: slot; kLook: look
  int32_t y = -1; // kSplit: the other target; kAnn: Prog::cap_lists entry (captures to set)
  int32_t elem = -1;  // kTok/kAnn: index into RuleSet::elements (for explain)
};

struct Prog {
  std::vector<Inst> insts;
  int32_t slots = 1;  // capture slots per thread: [0] match start, then 3 per capture
  // Captures whose annotation slot an @-element sets (nested captures of one annotation).
  std::vector<std::vector<int32_t>> cap_lists;
};

struct Look {
  Prog prog;
  bool behind = false;
  bool negated = false;
};

// A pattern element, for explain output.
struct Element {
  std::string text;
  Loc loc;
};

struct CompiledExpr {
  Expr::Kind kind = Expr::Kind::kString;
  FeatureValue value;
  int32_t cap = -1;
  std::string feature;
};

struct CompiledEmit {
  Layer layer = Layer::kOther;
  std::string type;
  std::vector<std::pair<std::string, int32_t>> args;  // role -> capture
  int32_t span_cap = -1;
  std::vector<std::pair<std::string, CompiledExpr>> features;
};

struct CompiledRule {
  std::string name;
  Loc loc;
  std::string where;  // "file:line"
  int32_t phase = 0;
  int32_t priority = 0;
  int32_t order = 0;  // position among all rules (file order, then source order)
  Prog prog;
  std::vector<std::string> captures;  // capture c uses slots 1+3c (start), 2+3c (end), 3+3c (ann)
  std::vector<CompiledEmit> emits;
  std::vector<Example> examples;
  std::vector<std::string> index_keys;  // any one must occur in a sentence; empty: always run
  std::vector<std::string> first_keys;  // a match starts at one of these; empty: anywhere
  std::vector<int32_t> first_key_ids;   // the same as RuleSet::key_ids_ ids
  // Anchors: required elements after the start, each with the keys one of which begins it and
  // the elements before it (a fixed walk back: one token or one annotation each). Per sentence
  // the matcher seeds the search from the anchor (or the first keys) whose keys occur least,
  // walking back from each occurrence to the possible match starts.
  struct Anchor {
    struct Step {
      bool ann = false;       // one annotation (else one token)
      bool is_layer = false;  // ann: of layer `layer`, else of type `type`
      Layer layer = Layer::kOther;
      std::string type;
    };
    std::vector<std::string> keys;
    std::vector<int32_t> key_ids;
    std::vector<Step> back;  // from the anchor back to the match start
  };
  std::vector<Anchor> anchors;
  // Token elements at a fixed offset from the match start (only single tokens and zero-width
  // elements before them) that begin with known keys: a seed p is kept only if token p + offset
  // has one of them (its lower form or lemma).
  std::vector<std::pair<int32_t, std::vector<std::string>>> offset_keys;
  // (offset, PredNode) of the token elements at fixed offsets from the match start (the
  // program's straight-line start): a seed whose token at an offset fails is dropped before the
  // search. Up to four, trivially true ones left out.
  std::vector<std::pair<int32_t, int32_t>> offset_preds;
  // Further required key groups: every match needs one key of each group in its sentence.
  std::vector<std::vector<std::string>> key_groups;
  std::vector<std::vector<int32_t>> key_group_ids;
};

struct CompiledPhase {
  std::string name;
  Loc loc;
  // An entity phase: it reads tokens, entities and other (Lookup) annotations only and writes
  // entities. The pipeline runs these right after the gazetteer ("names by evidence"), before
  // linking, actors and event coding; the other phases run last.
  bool early = false;
  Policy policy = Policy::kLongest;
  std::unordered_set<std::string> input_types;
  bool input_layers[5] = {false, false, false, false, false};
  std::vector<int32_t> rules;
  // Key id (RuleSet::key_ids) -> rules of this phase that need the key in a sentence.
  std::vector<std::vector<int32_t>> index;
  std::vector<int32_t> unindexed;
};

struct TypeInfo {
  Layer layer = Layer::kOther;
  std::vector<std::string> features;
  bool builtin = false;
};

// Counters filled by Apply when asked (quarry rules stats).
struct RuleStats {
  std::vector<uint64_t> matches;     // per rule: annotations emitted
  std::vector<uint64_t> candidates;  // per rule: sentences in which the rule ran
  std::vector<double> seconds;       // per rule: time spent matching
};

// One match of one rule, before conflict resolution (exposed for tests and explain).
struct Match {
  int32_t rule = 0;
  uint32_t start = 0, end = 0;  // token indices (absolute)
  std::vector<int32_t> caps;    // slots, absolute token indices / annotation indices, -1 unset
};

// What explain found for one rule in one sentence.
struct ExplainResult {
  bool matched = false;
  uint32_t start = 0, reached = 0;  // furthest progress: tokens [start, reached) matched
  std::vector<int32_t> failed_elements;  // elements that failed at token `reached`
};

// Which phases Apply runs: all (tests, tools), the entity phases, or the others.
enum class PhaseSet : uint8_t { kAll, kEarly, kLate };

class RuleSet {
 public:
  // Runs every phase (of `which`) in order over `set`, adding the outputs. With `ctx`, the time
  // budget is checked every 64 sentences (kDeadlineExceeded).
  Status Apply(const Document& doc, AnnotationSet& set, const AnnotateOptions& options,
               RuleStats* stats = nullptr, const RunContext* ctx = nullptr,
               PhaseSet which = PhaseSet::kAll) const;
  bool has_early_phases() const;

  // All matches (before conflict resolution) of rule `rule` in sentence `sentence`, with the
  // lattice of the rule's phase built from `set` as it is. For tests and explain.
  std::vector<Match> FindMatches(const Document& doc, const AnnotationSet& set, int32_t rule,
                                 uint32_t sentence) const;
  ExplainResult Explain(const Document& doc, const AnnotationSet& set, int32_t rule,
                        uint32_t sentence) const;

  const std::vector<CompiledRule>& rules() const { return rules_; }
  const std::vector<CompiledPhase>& phases() const { return phases_; }
  const std::vector<Element>& elements() const { return elements_; }
  const std::unordered_map<std::string, TypeInfo>& types() const { return types_; }
  const std::vector<SourceFile>& sources() const { return sources_; }
  // What compiled but deserves a look (a capture that can be unbound), sorted by place.
  const std::vector<Diagnostic>& warnings() const { return warnings_; }
  int32_t FindRule(std::string_view name) const;

 private:
  friend class Compiler;
  friend class Matcher;
  std::vector<SourceFile> sources_;
  std::vector<Diagnostic> warnings_;
  std::vector<Atom> atoms_;
  std::vector<PredNode> preds_;
  std::vector<FastPred> fast_preds_;  // parallel to preds_
  std::vector<int32_t> fast_keys_;
  std::vector<AnnPred> ann_preds_;
  std::vector<Look> looks_;
  std::vector<Element> elements_;
  std::vector<CompiledRule> rules_;
  std::vector<CompiledPhase> phases_;  // in execution order
  std::unordered_map<std::string, TypeInfo> types_;
  // Index keys ("l:word", "m:lemma", "t:TYPE", "y:layer") -> dense ids.
  std::unordered_map<std::string, int32_t> key_ids_;
  // Per rule, from req_off_[r]: what Apply checks before running it, flat so that the check
  // does not touch the rule: the number of required key groups, then each group (size, key
  // ids); the first keys (count, ids); the anchors (count, then each: count, key ids); the
  // offset checks (count, then each: offset, count, key ids); the offset predicates (count,
  // then each: offset, PredNode).
  std::vector<int32_t> req_;
  std::vector<int32_t> req_off_;
};

// Tests only: prune dead threads from the first search on (normally switched on only when a
// rule's searches start rescanning), so both modes can be checked against the reference.
void SetAlwaysPruneForTesting(bool on);
// Tests only: run top-level searches on the Pike VM instead of the memoised backtracker.
void SetUsePikeForTesting(bool on);

// The case class of a token's text: "upper", "lower", "title", "mixed" or "none" (no letters).
const char* CaseClass(std::string_view text);

}  // namespace quarry::internal::rules

#endif  // QUARRY_RULES_PROGRAM_H_
