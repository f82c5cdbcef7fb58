// rules/ast.h: the syntax tree of a .qr rule file, as produced by the parser (rules/parser.h).
//
// Every node keeps its source location so that the compiler can report errors at file:line:column.
// The tree is plain data; the compiler (rules/compiler.h) checks it and lowers it to a Program.
#ifndef QUARRY_RULES_AST_H_
#define QUARRY_RULES_AST_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace quarry::internal::rules {

struct Loc {
  uint32_t file = 0;  // index into the compiled sources
  uint32_t line = 0;  // 1-based
  uint32_t col = 0;   // 1-based, in bytes
  uint32_t offset = 0;
};

// A boolean constraint inside `[...]` (a token) or `@Type[...]` (an annotation).
struct Cond {
  enum class Kind : uint8_t { kTrue, kAnd, kOr, kNot, kCmp };
  enum class Op : uint8_t { kEq, kNe, kLt, kLe, kGt, kGe, kIn, kNotIn, kMatch };
  Kind kind = Kind::kTrue;
  Loc loc;
  std::vector<Cond> kids;  // kAnd, kOr: two or more; kNot: one
  // kCmp: `attr op value`.
  std::string attr;
  Op op = Op::kEq;
  std::vector<std::string> values;  // one for comparisons, the set for `in`
  std::string list;                 // `in name`: a declared word list instead of `values`
  bool numeric = false;             // the value was written as a number
  std::string regex;                // kMatch
  bool re_partial = false, re_icase = false;
};

struct Pat {
  enum class Kind : uint8_t {
    kToken,       // [cond]
    kAnn,         // @Type or @Type[cond]
    kSeq,         // a b c
    kAlt,         // a | b
    kRepeat,      // a? a* a+ a{n,m}, greedy or lazy
    kCapture,     // name:a
    kLook,        // (?= a) (?! a) (?<= a) (?<! a)
    kSentStart,   // ^
    kSentEnd,     // $
    kRef,         // a `define`d sub-pattern by name
  };
  Kind kind = Kind::kSeq;
  Loc loc;
  std::vector<Pat> kids;
  Cond cond;              // kToken, kAnn
  std::string name;       // kAnn: the type or layer; kCapture: the name; kRef: the macro
  int min = 0, max = -1;  // kRepeat; max -1 is unbounded
  bool lazy = false;
  bool behind = false, negated = false;  // kLook
  std::string text;  // the source text of this element (for explain and messages)
};

// A feature value computed at emit time.
struct Expr {
  enum class Kind : uint8_t { kString, kNumber, kBool, kText, kLower, kLemma, kFeature };
  Kind kind = Kind::kString;
  Loc loc;
  std::string str;       // kString; the capture for kText/kLower/kLemma/kFeature
  std::string feature;   // kFeature: capture.feature
  double number = 0;
  bool is_int = false;
  bool boolean = false;
};

struct Emit {
  Loc loc;
  std::string type;
  std::vector<std::pair<std::string, std::string>> args;  // role -> capture name
  std::vector<Loc> arg_locs;
  std::vector<bool> arg_optional;  // written `role: cap?`: no warning when cap can be unbound
  std::string span_capture;  // `at name`; empty: the whole match
  Loc span_loc;
  std::vector<std::pair<std::string, Expr>> features;
};

// One expected output of an example: TYPE "span text"? (role = "text", ...)? {feat = "v", ...}?
struct Expect {
  Loc loc;
  std::string type;
  bool has_span = false;
  std::string span;
  std::vector<std::pair<std::string, std::string>> args;
  std::vector<std::pair<std::string, std::string>> features;
};

struct Example {
  Loc loc;
  bool positive = true;  // `example` (must match) or `counter` (must not match)
  std::string text;      // may contain [[text|TYPE feat=value ...]] pre-annotations
  std::vector<Expect> expects;
};

struct Rule {
  Loc loc;
  std::string name;
  std::string phase;
  Loc phase_loc;
  int priority = 0;
  bool has_pattern = false;
  Pat pattern;
  std::vector<Emit> emits;
  std::vector<Example> examples;
};

enum class Policy : uint8_t { kAll, kLongest, kFirst, kPriority };

struct PhaseDecl {
  Loc loc;
  std::string name;
  std::vector<std::pair<std::string, Loc>> inputs, outputs;
  Policy policy = Policy::kLongest;
};

struct TypeDecl {
  Loc loc;
  std::string name;
  std::string layer;  // entity, timex, event, relation, other
  std::vector<std::string> features;
};

struct WordsDecl {
  Loc loc;
  std::string name;
  std::vector<std::string> words;
};

struct Define {
  Loc loc;
  std::string name;
  Pat pattern;
};

struct FileAst {
  uint32_t file = 0;
  std::vector<std::pair<std::string, Loc>> imports;
  std::vector<TypeDecl> types;
  std::vector<WordsDecl> words;
  std::vector<Define> defines;
  std::vector<PhaseDecl> phases;
  std::vector<Rule> rules;
};

}  // namespace quarry::internal::rules

#endif  // QUARRY_RULES_AST_H_
