// rules/compiler.cc: declarations, checks, Thompson construction of rule programs, indexing.
#include "rules/compiler.h"

#include <re2/re2.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <iterator>
#include <map>
#include <set>
#include <unordered_map>

#include "common/binary.h"
#include "common/utf8.h"
#include "rules/lemmatizer.h"
#include "rules/parser.h"
#include "tokenize/tokenizer.h"

namespace quarry::internal::rules {

const char* BuiltinDeclarations() {
  return R"(# Built-in types: what the gazetteer and temporal stages produce.
type PERSON, ORG, GPE, LOC, FAC, NORP, MISC: entity (entity, name, cameo, country, role, kind,
  subtype, alias_of, source, wikidata, confidence, gazetteer, list);
type DATE, TIME, DURATION, SET: timex (value, mod, anchor, quant, freq, granularity, tid, begin,
  end, rule);
)";
}

namespace {

// RE2's memory budget for one regular expression (its compiled program and DFA caches). A
// pattern that does not fit is a compile error naming it; at match time a DFA that outgrows the
// budget falls back to RE2's NFA, which is still linear.
constexpr int64_t kRegexMemoryBudget = int64_t{8} << 20;
// The largest file an `import` may read (a rule file, not a device).
constexpr uint64_t kMaxImportBytes = uint64_t{16} << 20;

bool LayerFromName(std::string_view n, Layer& out) {
  if (n == "entity") out = Layer::kEntity;
  else if (n == "timex") out = Layer::kTimex;
  else if (n == "event") out = Layer::kEvent;
  else if (n == "relation") out = Layer::kRelation;
  else if (n == "other") out = Layer::kOther;
  else return false;
  return true;
}

std::string Fold(std::string_view s) {
  std::string out;
  FoldCase(s, out);
  return out;
}

}  // namespace

class Compiler {
 public:
  explicit Compiler(std::vector<SourceFile> sources) : rs_(std::make_shared<RuleSet>()) {
    rs_->sources_ = std::move(sources);
  }

  Result<std::shared_ptr<const RuleSet>> Run() {
    Diags diags(&rs_->sources_);
    diags_ = &diags;
    size_t user_files = rs_->sources_.size();
    rs_->sources_.push_back({"<builtin>", BuiltinDeclarations()});
    std::vector<FileAst> asts;
    std::set<std::string> loaded;
    for (const auto& s : rs_->sources_) loaded.insert(Normal(s.name));
    for (size_t f = 0; f < rs_->sources_.size(); ++f) {
      asts.push_back(Parse(static_cast<uint32_t>(f), diags));
      for (auto& [path, loc] : asts.back().imports) {
        // Resolved beside the importing file on disk; named beside its recorded name.
        const SourceFile& from = rs_->sources_[f];
        std::filesystem::path p =
            std::filesystem::path(from.path.empty() ? from.name : from.path).parent_path() / path;
        std::string disk = p.lexically_normal().string();
        std::string name =
            (std::filesystem::path(from.name).parent_path() / path).lexically_normal().string();
        if (loaded.count(Normal(name))) continue;
        // Bounded and checked like the files named on the command line: an import of a device
        // ("/dev/zero") or of a huge file must fail, not exhaust memory.
        Result<std::string> content = ReadFile(disk, kMaxImportBytes);
        if (!content) {
          diags.Error(loc, "cannot import \"" + path + "\": " + content.error().message());
          continue;
        }
        if (size_t bad = FindInvalidUtf8(*content); bad != std::string::npos) {
          diags.Error(loc, "cannot import \"" + path + "\": invalid UTF-8 at byte " +
                               std::to_string(bad));
          continue;
        }
        loaded.insert(Normal(name));
        rs_->sources_.push_back({name, std::move(*content), disk});
      }
    }
    (void)user_files;
    // Declarations first (builtin file's types before user extensions), then phases and rules.
    std::vector<size_t> order(asts.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
      return (rs_->sources_[a].name == "<builtin>") > (rs_->sources_[b].name == "<builtin>");
    });
    for (size_t i : order) Declare(asts[i]);
    for (size_t i = 0; i < asts.size(); ++i) {
      for (auto& p : asts[i].phases) phase_decls_.push_back(std::move(p));
      for (auto& r : asts[i].rules) rule_decls_.push_back(std::move(r));
    }
    BuildPhases();
    for (size_t i = 0; i < rule_decls_.size(); ++i) CompileRule(rule_decls_[i], static_cast<int32_t>(i));
    if (!diags.empty()) {
      SortByPlace(diags.list());
      size_t n = diags.size();
      Status st(StatusCode::kParseError,
                std::to_string(n) + (n == 1 ? " error" : " errors") + " in the rule files");
      st.WithDiagnostics(std::move(diags.list()));
      return st;
    }
    SortByPlace(diags.warnings());
    rs_->warnings_ = std::move(diags.warnings());
    auto key_id = [&](const std::string& k) {
      auto [it, inserted] = rs_->key_ids_.emplace(k, static_cast<int32_t>(rs_->key_ids_.size()));
      return it->second;
    };
    for (auto& r : rs_->rules_) {
      for (auto& k : r.index_keys) key_id(k);
      for (auto& k : r.first_keys) r.first_key_ids.push_back(key_id(k));
      for (auto& a : r.anchors)
        for (auto& k : a.keys) a.key_ids.push_back(key_id(k));
      for (auto& g : r.key_groups) {
        r.key_group_ids.emplace_back();
        for (auto& k : g) r.key_group_ids.back().push_back(key_id(k));
      }
    }
    // Token-kind tests become bit tests.
    for (auto& a : rs_->atoms_) {
      if (a.attr != Attr::kKind || a.op == Cond::Op::kMatch || a.op == Cond::Op::kLt ||
          a.op == Cond::Op::kLe || a.op == Cond::Op::kGt || a.op == Cond::Op::kGe)
        continue;
      for (TokenKind k : {TokenKind::kWord, TokenKind::kNumber, TokenKind::kPunctuation,
                          TokenKind::kSymbol, TokenKind::kEmoji, TokenKind::kOther}) {
        if (a.set.count(TokenKindName(k))) a.kind_mask |= 1u << static_cast<int>(k);
      }
      a.kind_test = true;
    }
    // Set-membership atoms over word forms become key-id lookups (see Atom::key_ids).
    for (auto& a : rs_->atoms_) {
      if (a.op != Cond::Op::kEq && a.op != Cond::Op::kIn && a.op != Cond::Op::kNe &&
          a.op != Cond::Op::kNotIn)
        continue;
      if (a.attr != Attr::kLower && a.attr != Attr::kLemma && a.attr != Attr::kText) continue;
      // A large negated list ("lower not in english_words", 64k words) is tested against its
      // hash set: as keys it would make every document's key tables that large, and a negated
      // test is never an index key.
      if ((a.op == Cond::Op::kNe || a.op == Cond::Op::kNotIn) && a.set.size() > 1024) continue;
      a.keyed = true;
      for (std::string_view v : a.set)
        a.key_ids.push_back(key_id((a.attr == Attr::kLemma ? "m:" : "l:") +
                                   (a.attr == Attr::kText ? Fold(v) : std::string(v))));
      std::sort(a.key_ids.begin(), a.key_ids.end());
    }
    for (auto& n : rs_->preds_) {
      if (n.kind != PredNode::Kind::kAtom) continue;
      const Atom& a = rs_->atoms_[n.atom];
      n.negate = a.op == Cond::Op::kNe || a.op == Cond::Op::kNotIn;
      if (a.kind_test) {
        n.fast = 1;
        n.mask = a.kind_mask;
      } else if (a.keyed && a.key_ids.size() == 1 && a.attr != Attr::kText) {
        n.fast = a.attr == Attr::kLemma ? 3 : 2;
        n.key = a.key_ids[0];
      }
    }
    rs_->fast_preds_.resize(rs_->preds_.size());
    for (size_t i = 0; i < rs_->preds_.size(); ++i) {
      const PredNode& n = rs_->preds_[i];
      FastPred& f = rs_->fast_preds_[i];
      f.negate = n.negate;
      if (n.kind == PredNode::Kind::kTrue) {
        f.kind = 5;
      } else if (n.fast) {
        f.kind = n.fast;
        f.mask = n.mask;
        f.key = n.key;
      } else if (n.kind == PredNode::Kind::kAtom) {
        const Atom& a = rs_->atoms_[n.atom];
        if (a.keyed && a.attr != Attr::kText) {
          f.kind = 4;
          f.lemma = a.attr == Attr::kLemma;
          f.key = static_cast<int32_t>(rs_->fast_keys_.size());
          f.len = static_cast<int32_t>(a.key_ids.size());
          rs_->fast_keys_.insert(rs_->fast_keys_.end(), a.key_ids.begin(), a.key_ids.end());
        }
      }
    }
    // Seed checks from the program: the straight-line start of a rule's program (captures,
    // anchors and lookarounds are zero-width; the first split, jump or annotation element ends
    // it) is run by every match, so the token at each fixed offset from a start must satisfy
    // that element's predicate.
    for (auto& r : rs_->rules_) {
      int32_t off = 0;
      for (const Inst& in : r.prog.insts) {
        if (in.op == Inst::kSave || in.op == Inst::kLook || in.op == Inst::kBol || in.op == Inst::kEol)
          continue;
        if (in.op != Inst::kTok) break;
        if (rs_->fast_preds_[in.x].kind != 5 && r.offset_preds.size() < 4)
          r.offset_preds.emplace_back(off, in.x);
        ++off;
      }
    }
    for (auto& r : rs_->rules_) {
      auto& q = rs_->req_;
      rs_->req_off_.push_back(static_cast<int32_t>(q.size()));
      q.push_back(static_cast<int32_t>(r.key_group_ids.size()));
      for (auto& g : r.key_group_ids) {
        q.push_back(static_cast<int32_t>(g.size()));
        q.insert(q.end(), g.begin(), g.end());
      }
      q.push_back(static_cast<int32_t>(r.first_key_ids.size()));
      q.insert(q.end(), r.first_key_ids.begin(), r.first_key_ids.end());
      q.push_back(static_cast<int32_t>(r.anchors.size()));
      for (auto& a : r.anchors) {
        q.push_back(static_cast<int32_t>(a.key_ids.size()));
        q.insert(q.end(), a.key_ids.begin(), a.key_ids.end());
      }
      q.push_back(static_cast<int32_t>(r.offset_keys.size()));
      for (auto& [off, keys] : r.offset_keys) {
        q.push_back(off);
        q.push_back(static_cast<int32_t>(keys.size()));
        for (auto& k : keys) q.push_back(key_id(k));
      }
      q.push_back(static_cast<int32_t>(r.offset_preds.size()));
      for (auto& [off, pred] : r.offset_preds) {
        q.push_back(off);
        q.push_back(pred);
      }
    }
    rs_->req_off_.push_back(static_cast<int32_t>(rs_->req_.size()));
    size_t nkeys = rs_->key_ids_.size();
    for (auto& ph : rs_->phases_) {
      ph.index.resize(nkeys);
      for (int32_t r : ph.rules) {
        const CompiledRule& rule = rs_->rules_[r];
        if (rule.index_keys.empty()) ph.unindexed.push_back(r);
        for (const auto& k : rule.index_keys) {
          auto& v = ph.index[key_id(k)];
          if (v.empty() || v.back() != r) v.push_back(r);
        }
      }
    }
    return std::shared_ptr<const RuleSet>(std::move(rs_));
  }

 private:
  static std::string Normal(const std::string& n) {
    return std::filesystem::path(n).lexically_normal().string();
  }

  void Declare(FileAst& ast) {
    for (auto& t : ast.types) {
      Layer layer;
      LayerFromName(t.layer, layer);
      auto it = rs_->types_.find(t.name);
      if (it != rs_->types_.end()) {
        if (it->second.layer != layer) {
          diags_->Error(t.loc, "type '" + t.name + "' was declared before with layer " +
                                   LayerName(it->second.layer) + ", not " + t.layer);
          continue;
        }
        for (auto& f : t.features)
          if (std::find(it->second.features.begin(), it->second.features.end(), f) ==
              it->second.features.end())
            it->second.features.push_back(f);
        continue;
      }
      if (t.name == "entity" || t.name == "timex" || t.name == "event" || t.name == "relation" ||
          t.name == "other") {
        diags_->Error(t.loc, "'" + t.name + "' is a layer name and cannot be used as a type name");
        continue;
      }
      TypeInfo info;
      info.layer = layer;
      info.features = t.features;
      info.builtin = rs_->sources_[ast.file].name == "<builtin>";
      rs_->types_.emplace(t.name, std::move(info));
    }
    for (auto& w : ast.words) {
      if (words_.count(w.name)) {
        diags_->Error(w.loc, "word list '" + w.name + "' is declared twice (first at " +
                                 diags_->Where(words_loc_[w.name]) + ")");
        continue;
      }
      words_[w.name] = w.words;
      words_loc_[w.name] = w.loc;
    }
    for (auto& d : ast.defines) {
      if (defines_.count(d.name)) {
        diags_->Error(d.loc, "sub-pattern '" + d.name + "' is defined twice (first at " +
                                 diags_->Where(defines_[d.name].loc) + ")");
        continue;
      }
      defines_[d.name] = std::move(d);
    }
  }

  // Whether `name` (a type or layer) exists; reports an error otherwise.
  bool KnownTypeOrLayer(const std::string& name, const Loc& loc) {
    Layer l;
    if (LayerFromName(name, l) || rs_->types_.count(name)) return true;
    diags_->Error(loc, "unknown type '" + name + "': declare it with `type " + name +
                           ": event;` (or entity, timex, relation, other), or use a layer name");
    return false;
  }

  void BuildPhases() {
    bool any_rule_without_phase = false;
    for (auto& r : rule_decls_) any_rule_without_phase |= r.phase.empty();
    if (phase_decls_.empty() && !rule_decls_.empty()) {
      PhaseDecl p;
      p.name = "main";
      for (const char* l : {"entity", "timex", "event", "relation", "other"}) {
        p.inputs.emplace_back(l, Loc{});
        p.outputs.emplace_back(l, Loc{});
      }
      phase_decls_.push_back(p);
      implicit_phase_ = true;
    } else if (any_rule_without_phase && phase_decls_.size() > 1) {
      for (auto& r : rule_decls_)
        if (r.phase.empty())
          diags_->Error(r.loc, "rule '" + r.name + "' names no phase: add `phase NAME;` (several "
                               "phases are declared)");
    }
    std::map<std::string, size_t> by_name;
    for (size_t i = 0; i < phase_decls_.size(); ++i) {
      auto& p = phase_decls_[i];
      if (by_name.count(p.name)) {
        diags_->Error(p.loc, "phase '" + p.name + "' is declared twice");
        continue;
      }
      by_name[p.name] = i;
      for (auto& [n, l] : p.inputs) KnownTypeOrLayer(n, l);
      for (auto& [n, l] : p.outputs) KnownTypeOrLayer(n, l);
    }
    // Phase B runs after phase A when B reads something A writes.
    auto layer_of = [&](const std::string& n, bool& is_layer) {
      Layer l = Layer::kOther;
      is_layer = LayerFromName(n, l);
      if (!is_layer) {
        auto it = rs_->types_.find(n);
        if (it != rs_->types_.end()) l = it->second.layer;
      }
      return l;
    };
    auto reads = [&](const PhaseDecl& b, const PhaseDecl& a) {
      for (auto& [in, il] : b.inputs) {
        bool in_layer;
        Layer inl = layer_of(in, in_layer);
        for (auto& [out, ol] : a.outputs) {
          bool out_layer;
          Layer outl = layer_of(out, out_layer);
          if (in == out) return true;
          if ((in_layer || out_layer) && inl == outl) return true;
        }
      }
      return false;
    };
    size_t n = phase_decls_.size();
    std::vector<std::vector<size_t>> after(n);  // after[b] = phases b must follow
    for (size_t a = 0; a < n; ++a)
      for (size_t b = 0; b < n; ++b)
        if (a != b && !implicit_phase_ && reads(phase_decls_[b], phase_decls_[a]))
          after[b].push_back(a);
    std::vector<int> state(n, 0);  // 0 new, 1 placed
    std::vector<size_t> sorted;
    // Kahn's algorithm, always taking the earliest declared ready phase.
    for (size_t round = 0; round < n; ++round) {
      bool placed = false;
      for (size_t i = 0; i < n && !placed; ++i) {
        if (state[i]) continue;
        bool ready = true;
        for (size_t a : after[i]) ready &= state[a] == 1;
        if (ready) {
          state[i] = 1;
          sorted.push_back(i);
          placed = true;
        }
      }
      if (!placed) {
        std::string names;
        for (size_t i = 0; i < n; ++i)
          if (!state[i]) names += (names.empty() ? "" : ", ") + phase_decls_[i].name;
        for (size_t i = 0; i < n; ++i)
          if (!state[i]) {
            diags_->Error(phase_decls_[i].loc,
                          "phases " + names +
                              " read each other's outputs in a cycle, so no order can run them: "
                              "split one phase or narrow its input list");
            break;
          }
        break;
      }
    }
    for (size_t i : sorted) {
      CompiledPhase ph;
      const PhaseDecl& d = phase_decls_[i];
      ph.name = d.name;
      ph.loc = d.loc;
      ph.policy = d.policy;
      bool early = !d.outputs.empty();
      auto layer_of = [&](const std::string& nm, Layer& layer) {
        if (LayerFromName(nm, layer)) return true;
        auto it = rs_->types_.find(nm);
        if (it == rs_->types_.end()) return false;
        layer = it->second.layer;
        return true;
      };
      for (auto& [nm, l] : d.inputs) {
        Layer layer;
        if (LayerFromName(nm, layer)) ph.input_layers[static_cast<int>(layer)] = true;
        else ph.input_types.insert(nm);
        Layer in;
        if (!layer_of(nm, in) || (in != Layer::kEntity && in != Layer::kOther)) early = false;
      }
      for (auto& [nm, l] : d.outputs) {
        Layer out;
        if (!layer_of(nm, out) || out != Layer::kEntity) early = false;
      }
      ph.early = early;
      phase_index_[d.name] = static_cast<int32_t>(rs_->phases_.size());
      phase_outputs_.push_back(d.outputs);
      rs_->phases_.push_back(std::move(ph));
    }
  }

  // --- patterns

  // Limits on an expanded pattern: how deep it nests (the compiler and the matcher's tables recurse
  // once per level) and how many elements it has (sub-patterns that use each other twice double
  // at each level).
  static constexpr size_t kMaxExpandedDepth = 256;
  static constexpr size_t kMaxExpandedNodes = 200000;

  // Expands sub-pattern references in place. `nodes` counts the elements of the expanded pattern.
  bool Expand(Pat& p, std::vector<std::string>& stack, size_t depth = 0) {
    size_t nodes = 0;
    return Expand(p, stack, depth, nodes);
  }
  bool Expand(Pat& p, std::vector<std::string>& stack, size_t depth, size_t& nodes) {
    if (depth > kMaxExpandedDepth) {
      diags_->Error(p.loc, "the pattern nests deeper than " + std::to_string(kMaxExpandedDepth) +
                               " levels once its sub-patterns are expanded" +
                               (stack.empty() ? "" : " (via '" + stack.back() + "')"));
      return false;
    }
    if (++nodes > kMaxExpandedNodes) {
      diags_->Error(p.loc, "the pattern has more than " + std::to_string(kMaxExpandedNodes) +
                               " elements once its sub-patterns are expanded" +
                               (stack.empty() ? "" : " (via '" + stack.back() + "')"));
      return false;
    }
    if (p.kind == Pat::Kind::kRef) {
      auto it = defines_.find(p.name);
      if (it == defines_.end()) {
        std::string hint;
        if (words_.count(p.name)) hint = " ('" + p.name + "' is a word list: write [lower in " + p.name + "])";
        diags_->Error(p.loc, "unknown sub-pattern '" + p.name + "'" + hint +
                                 "; a capture is written name:element, a word \"" + p.name + "\"");
        return false;
      }
      if (std::find(stack.begin(), stack.end(), p.name) != stack.end()) {
        diags_->Error(p.loc, "sub-pattern '" + p.name + "' refers to itself; sub-patterns cannot be recursive");
        return false;
      }
      Pat copy = it->second.pattern;
      stack.push_back(p.name);
      bool ok = Expand(copy, stack, depth + 1, nodes);
      stack.pop_back();
      std::string text = p.text;
      p = std::move(copy);
      if (!text.empty()) p.text = text;
      return ok;
    }
    for (auto& k : p.kids)
      if (!Expand(k, stack, depth + 1, nodes)) return false;
    return true;
  }

  // The captures bound to tokens in every match of `p`: a capture inside an optional or
  // repeated part that may match zero times, in only some alternatives, or of an element that
  // may match nothing is not.
  static std::set<std::string> AlwaysBound(const Pat& p) {
    std::set<std::string> out;
    switch (p.kind) {
      case Pat::Kind::kSeq:
        for (auto& k : p.kids) {
          auto b = AlwaysBound(k);
          out.insert(b.begin(), b.end());
        }
        break;
      case Pat::Kind::kAlt:
        for (size_t i = 0; i < p.kids.size(); ++i) {
          auto b = AlwaysBound(p.kids[i]);
          if (i == 0) {
            out = std::move(b);
          } else {
            std::set<std::string> both;
            std::set_intersection(out.begin(), out.end(), b.begin(), b.end(),
                                  std::inserter(both, both.end()));
            out = std::move(both);
          }
        }
        break;
      case Pat::Kind::kRepeat:
        if (p.min >= 1 && !p.kids.empty()) out = AlwaysBound(p.kids[0]);
        break;
      case Pat::Kind::kCapture:
        // A capture of what may match nothing ("t:[x]?") binds no tokens then.
        if (!p.kids.empty()) out = AlwaysBound(p.kids[0]);
        if (p.kids.empty() || !Nullable(p.kids[0])) out.insert(p.name);
        break;
      default: break;
    }
    return out;
  }

  static void SortByPlace(std::vector<Diagnostic>& list) {
    std::sort(list.begin(), list.end(), [](const Diagnostic& a, const Diagnostic& b) {
      return std::tie(a.file, a.line, a.column) < std::tie(b.file, b.line, b.column);
    });
  }

  static bool Nullable(const Pat& p) {
    switch (p.kind) {
      case Pat::Kind::kToken:
      case Pat::Kind::kAnn: return false;
      case Pat::Kind::kSeq:
        for (auto& k : p.kids)
          if (!Nullable(k)) return false;
        return true;
      case Pat::Kind::kAlt:
        for (auto& k : p.kids)
          if (Nullable(k)) return true;
        return false;
      case Pat::Kind::kRepeat: return p.min == 0 || Nullable(p.kids[0]);
      case Pat::Kind::kCapture: return Nullable(p.kids[0]);
      default: return true;
    }
  }

  // Longest path in edges; -1 when unbounded.
  static int MaxLen(const Pat& p) {
    switch (p.kind) {
      case Pat::Kind::kToken:
      case Pat::Kind::kAnn: return 1;
      case Pat::Kind::kSeq: {
        int s = 0;
        for (auto& k : p.kids) {
          int m = MaxLen(k);
          if (m < 0) return -1;
          s += m;
        }
        return s;
      }
      case Pat::Kind::kAlt: {
        int s = 0;
        for (auto& k : p.kids) {
          int m = MaxLen(k);
          if (m < 0) return -1;
          s = std::max(s, m);
        }
        return s;
      }
      case Pat::Kind::kRepeat: {
        int m = MaxLen(p.kids[0]);
        if (p.max < 0 && m != 0) return -1;
        return m * std::max(p.max, 0);
      }
      case Pat::Kind::kCapture: return MaxLen(p.kids[0]);
      default: return 0;
    }
  }

  struct RuleCtx {
    CompiledRule* rule;
    const CompiledPhase* phase;
    std::map<std::string, int32_t> caps;
    // capture -> the annotation types it can bind ("" for tokens / mixed)
    std::map<std::string, std::vector<std::string>> cap_types;
    std::map<std::string, bool> cap_is_ann;
    bool in_look = false;
  };

  // Identical atoms (the same test in many rules) are stored once, so that a token's result,
  // cached per atom, is computed once for all of them.
  // The signature of a test against a declared word list: the attribute, the operator and the
  // list's name identify it (no need to sort its words).
  static std::string ListSignature(Attr attr, Cond::Op op, const std::string& list) {
    return "\x1dlist:" + std::to_string(static_cast<int>(attr)) + ":" +
           std::to_string(static_cast<int>(op)) + ":" + list;
  }
  // `sig`: the atom's signature when the caller has one (ListSignature), else it is computed.
  int32_t AddAtom(Atom a, std::string sig = "") {
    if (!sig.empty()) {
      auto [it, inserted] = atom_ids_.emplace(std::move(sig), static_cast<int32_t>(rs_->atoms_.size()));
      if (inserted) rs_->atoms_.push_back(std::move(a));
      return it->second;
    }
    sig += static_cast<char>(a.attr);
    sig += static_cast<char>(a.op);
    sig += a.numeric ? '1' : '0';
    sig += a.partial ? '1' : '0';
    sig += a.feature + '\x1f' + a.value + '\x1f';
    if (a.re) sig += (a.re->options().case_sensitive() ? "s:" : "i:") + a.re->pattern();
    sig += '\x1f';
    std::vector<std::string> vals(a.set.begin(), a.set.end());
    std::sort(vals.begin(), vals.end());
    for (auto& v : vals) sig += v + '\x1e';
    auto [it, inserted] = atom_ids_.emplace(std::move(sig), static_cast<int32_t>(rs_->atoms_.size()));
    if (inserted) rs_->atoms_.push_back(std::move(a));
    return it->second;
  }
  int32_t AddPred(PredNode n) {
    rs_->preds_.push_back(std::move(n));
    return static_cast<int32_t>(rs_->preds_.size() - 1);
  }

  // Compiles a constraint into a PredNode. `token`: a token element (else an annotation element
  // whose possible types are `types`, empty meaning a whole layer `layer_name`).
  int32_t CompileCond(const Cond& c, bool token, const std::vector<std::string>& types,
                      const std::string& elem_name, bool& ok) {
    PredNode n;
    switch (c.kind) {
      case Cond::Kind::kTrue: n.kind = PredNode::Kind::kTrue; return AddPred(n);
      case Cond::Kind::kAnd:
      case Cond::Kind::kOr:
      case Cond::Kind::kNot: {
        n.kind = c.kind == Cond::Kind::kAnd ? PredNode::Kind::kAnd
                 : c.kind == Cond::Kind::kOr ? PredNode::Kind::kOr
                                             : PredNode::Kind::kNot;
        for (auto& k : c.kids) n.kids.push_back(CompileCond(k, token, types, elem_name, ok));
        return AddPred(n);
      }
      case Cond::Kind::kCmp: break;
    }
    Atom a;
    a.op = c.op;
    a.numeric = c.numeric;
    const std::string& at = c.attr;
    if (at == "text") a.attr = Attr::kText;
    else if (at == "lower") a.attr = Attr::kLower;
    else if (at == "lemma" && token) a.attr = Attr::kLemma;
    else if (at == "shape" && token) a.attr = Attr::kShape;
    else if (at == "case" && token) a.attr = Attr::kCase;
    else if (at == "kind" && token) a.attr = Attr::kKind;
    else if (at == "type" && !token) a.attr = Attr::kType;
    else if (at == "layer" && !token) a.attr = Attr::kLayer;
    else if (token) {
      diags_->Error(c.loc, "unknown token attribute '" + at +
                               "': a token [...] can test text, lower, lemma, shape, case and kind "
                               "(features belong to annotations: @Type[" + at + " == ...])");
      ok = false;
      return AddPred(n);
    } else {
      // A feature: it must be declared for at least one of the element's possible types.
      bool known = false;
      std::set<std::string> all;
      for (auto& t : types) {
        auto it = rs_->types_.find(t);
        if (it == rs_->types_.end()) continue;
        for (auto& f : it->second.features) {
          all.insert(f);
          known |= f == at;
        }
      }
      if (!known) {
        std::string list;
        for (auto& f : all) list += (list.empty() ? "" : ", ") + f;
        diags_->Error(c.loc, "unknown feature '" + at + "' for @" + elem_name + "; its features are: " +
                                 (list.empty() ? std::string("(none)") : list) +
                                 ", plus text, lower, type and layer (declare more with `type " +
                                 (types.empty() ? std::string("T") : types[0]) + ": <layer> (" + at + ");`)");
        ok = false;
        return AddPred(n);
      }
      a.attr = Attr::kFeature;
      a.feature = at;
    }
    // Values. A test against a declared word list compiles once per (attribute, operator, list)
    // however often the element is expanded (repetitions, both directions): a list may hold
    // tens of thousands of words (lexicons/english-words.qr).
    std::string list_sig;
    if (!c.list.empty() && a.attr != Attr::kFeature && c.op != Cond::Op::kMatch) {
      list_sig = ListSignature(a.attr, a.op, c.list);
      if (auto hit = atom_ids_.find(list_sig); hit != atom_ids_.end()) {
        n.kind = PredNode::Kind::kAtom;
        n.atom = hit->second;
        return AddPred(n);
      }
    }
    const std::vector<std::string>* values_ptr = &c.values;
    if (!c.list.empty()) {
      auto it = words_.find(c.list);
      if (it == words_.end()) {
        diags_->Error(c.loc, "unknown word list '" + c.list + "': declare it with `words " + c.list +
                                 " = {a, b, c};`");
        ok = false;
        return AddPred(n);
      }
      values_ptr = &it->second;
    }
    const std::vector<std::string>& values = *values_ptr;
    if (c.op == Cond::Op::kMatch) {
      RE2::Options o;
      o.set_log_errors(false);
      o.set_case_sensitive(!c.re_icase);
      o.set_max_mem(kRegexMemoryBudget);
      auto re = std::make_shared<RE2>(c.regex, o);
      if (!re->ok()) {
        if (re->error_code() == RE2::ErrorPatternTooLarge) {
          diags_->Error(c.loc, "regular expression /" + c.regex.substr(0, 60) +
                                   (c.regex.size() > 60 ? "..." : "") +
                                   "/ is too large for the RE2 memory budget of " +
                                   std::to_string(kRegexMemoryBudget >> 20) +
                                   " MiB per expression: simplify it (large counted repetitions "
                                   "such as {1000} multiply its size)");
          ok = false;
          return AddPred(n);
        }
        diags_->Error(c.loc, "invalid regular expression /" + c.regex + "/: " + re->error());
        ok = false;
        return AddPred(n);
      }
      a.re = std::move(re);
      a.partial = c.re_partial;
    } else {
      a.set.reserve(values.size());
      for (const auto& v : values) {
        std::string val = (a.attr == Attr::kLower || a.attr == Attr::kLemma) ? Fold(v) : v;
        if (a.attr == Attr::kType && !rs_->types_.count(val)) {
          diags_->Error(c.loc, "unknown type '" + val + "' in the type test of @" + elem_name);
          ok = false;
        }
        if (a.attr == Attr::kCase && val != "upper" && val != "lower" && val != "title" &&
            val != "mixed" && val != "none") {
          diags_->Error(c.loc, "unknown case '" + val + "': use upper, lower, title, mixed or none");
          ok = false;
        }
        if (a.attr == Attr::kKind && val != "word" && val != "number" && val != "punct" &&
            val != "symbol" && val != "emoji" && val != "other") {
          diags_->Error(c.loc, "unknown token kind '" + val +
                                   "': use word, number, punct, symbol, emoji or other");
          ok = false;
        }
        Layer l;
        if (a.attr == Attr::kLayer && !LayerFromName(val, l)) {
          diags_->Error(c.loc, "unknown layer '" + val + "': use entity, timex, event, relation or other");
          ok = false;
        }
        if (c.numeric) a.number = std::atof(val.c_str());
        a.value = val;
        a.set.insert(std::move(val));
      }
    }
    n.kind = PredNode::Kind::kAtom;
    n.atom = AddAtom(std::move(a), ok ? std::move(list_sig) : std::string());
    return AddPred(n);
  }

  void Emit(Prog& prog, Inst i) { prog.insts.push_back(i); }
  int32_t Pc(const Prog& prog) { return static_cast<int32_t>(prog.insts.size()); }

  // Thompson construction. `ann_cap` is the capture whose annotation slot an @-element sets.
  bool Gen(const Pat& p, Prog& prog, RuleCtx& ctx, bool reverse, const std::vector<int32_t>& ann_cap) {
    switch (p.kind) {
      case Pat::Kind::kToken: {
        bool ok = true;
        int32_t pred = CompileCond(p.cond, true, {}, "", ok);
        rs_->elements_.push_back({p.text.empty() ? "[...]" : p.text, p.loc});
        Emit(prog, {Inst::kTok, pred, -1, static_cast<int32_t>(rs_->elements_.size() - 1)});
        return ok;
      }
      case Pat::Kind::kAnn: {
        AnnPred ap;
        std::vector<std::string> types;
        Layer l;
        if (LayerFromName(p.name, l)) {
          ap.is_layer = true;
          ap.layer = l;
          for (auto& [n, info] : rs_->types_)
            if (info.layer == l) types.push_back(n);
          std::sort(types.begin(), types.end());
          bool visible = ctx.phase->input_layers[static_cast<int>(l)];
          for (auto& t : ctx.phase->input_types) {
            auto it = rs_->types_.find(t);
            if (it != rs_->types_.end() && it->second.layer == l) visible = true;
          }
          if (!visible) {
            diags_->Error(p.loc, "@" + p.name + " is not an input of phase '" + ctx.phase->name +
                                     "': add it to the phase's input list");
            return false;
          }
        } else {
          auto it = rs_->types_.find(p.name);
          if (it == rs_->types_.end()) {
            diags_->Error(p.loc, "unknown annotation type '@" + p.name +
                                     "': declare it with `type " + p.name +
                                     ": entity;` (or timex, event, relation, other) or use a "
                                     "layer (@entity, @timex, @event, @relation, @other)");
            return false;
          }
          if (!ctx.phase->input_types.count(p.name) &&
              !ctx.phase->input_layers[static_cast<int>(it->second.layer)]) {
            diags_->Error(p.loc, "@" + p.name + " is not an input of phase '" + ctx.phase->name +
                                     "': add " + p.name + " (or its layer " +
                                     LayerName(it->second.layer) + ") to the phase's input list");
            return false;
          }
          ap.type = p.name;
          types.push_back(p.name);
        }
        bool ok = true;
        if (p.cond.kind != Cond::Kind::kTrue) ap.pred = CompileCond(p.cond, false, types, p.name, ok);
        rs_->ann_preds_.push_back(ap);
        rs_->elements_.push_back({p.text.empty() ? "@" + p.name : p.text, p.loc});
        int32_t list = -1;
        if (!ann_cap.empty()) {
          prog.cap_lists.push_back(ann_cap);
          list = static_cast<int32_t>(prog.cap_lists.size() - 1);
        }
        Emit(prog, {Inst::kAnn, static_cast<int32_t>(rs_->ann_preds_.size() - 1), list,
                    static_cast<int32_t>(rs_->elements_.size() - 1)});
        return ok;
      }
      case Pat::Kind::kSeq: {
        bool ok = true;
        if (reverse) {
          for (size_t i = p.kids.size(); i-- > 0;) ok &= Gen(p.kids[i], prog, ctx, reverse, ann_cap);
        } else {
          for (auto& k : p.kids) ok &= Gen(k, prog, ctx, reverse, ann_cap);
        }
        return ok;
      }
      case Pat::Kind::kAlt: {
        bool ok = true;
        std::vector<int32_t> jumps;
        for (size_t i = 0; i < p.kids.size(); ++i) {
          int32_t split = -1;
          if (i + 1 < p.kids.size()) {
            split = Pc(prog);
            Emit(prog, {Inst::kSplit, split + 1, -1});
          }
          ok &= Gen(p.kids[i], prog, ctx, reverse, ann_cap);
          if (i + 1 < p.kids.size()) {
            jumps.push_back(Pc(prog));
            Emit(prog, {Inst::kJmp, -1});
            prog.insts[split].y = Pc(prog);
          }
        }
        for (int32_t j : jumps) prog.insts[j].x = Pc(prog);
        return ok;
      }
      case Pat::Kind::kRepeat: {
        const Pat& body = p.kids[0];
        int copies = std::max(p.min, p.max);
        if (copies > 100) {
          diags_->Error(p.loc, "repetition counts above 100 are not supported; use * or + instead");
          return false;
        }
        if (p.max < 0 && Nullable(body)) {
          diags_->Error(p.loc, "the repeated element can match an empty sequence, so '" +
                                   p.text + "' could repeat forever; make the element required");
          return false;
        }
        bool ok = true;
        for (int i = 0; i < p.min; ++i) ok &= Gen(body, prog, ctx, reverse, ann_cap);
        if (p.max < 0) {
          int32_t loop = Pc(prog);
          Emit(prog, {Inst::kSplit, loop + 1, -1});
          ok &= Gen(body, prog, ctx, reverse, ann_cap);
          Emit(prog, {Inst::kJmp, loop});
          prog.insts[loop].y = Pc(prog);
          if (p.lazy) std::swap(prog.insts[loop].x, prog.insts[loop].y);
        } else {
          std::vector<int32_t> splits;
          for (int i = p.min; i < p.max; ++i) {
            splits.push_back(Pc(prog));
            Emit(prog, {Inst::kSplit, Pc(prog) + 1, -1});
            ok &= Gen(body, prog, ctx, reverse, ann_cap);
          }
          for (int32_t s : splits) {
            prog.insts[s].y = Pc(prog);
            if (p.lazy) std::swap(prog.insts[s].x, prog.insts[s].y);
          }
        }
        return ok;
      }
      case Pat::Kind::kCapture: {
        if (ctx.in_look) {
          diags_->Error(p.loc, "captures inside a lookaround bind nothing; remove '" + p.name + ":'");
          return false;
        }
        auto [it, inserted] = ctx.caps.emplace(p.name, static_cast<int32_t>(ctx.caps.size()));
        int32_t c = it->second;
        // Does it bind exactly one annotation?
        std::vector<std::string> types;
        bool is_ann = AnnOnly(p.kids[0], types);
        if (inserted) {
          ctx.cap_is_ann[p.name] = is_ann;
          ctx.cap_types[p.name] = types;
        } else {
          ctx.cap_is_ann[p.name] = ctx.cap_is_ann[p.name] && is_ann;
          auto& v = ctx.cap_types[p.name];
          v.insert(v.end(), types.begin(), types.end());
        }
        Emit(prog, {Inst::kSave, 1 + 3 * c});
        std::vector<int32_t> inner = ann_cap;
        if (is_ann) inner.push_back(c);
        bool ok = Gen(p.kids[0], prog, ctx, reverse, inner);
        Emit(prog, {Inst::kSave, 2 + 3 * c});
        return ok;
      }
      case Pat::Kind::kLook: {
        int m = MaxLen(p.kids[0]);
        if (m < 0) {
          diags_->Error(p.loc, "a lookaround must have a bounded length so matching stays linear; "
                               "use {0,n} instead of * or + inside it");
          return false;
        }
        Look look;
        look.behind = p.behind;
        look.negated = p.negated;
        bool saved = ctx.in_look;
        ctx.in_look = true;
        bool ok = Gen(p.kids[0], look.prog, ctx, p.behind, {});
        ctx.in_look = saved;
        look.prog.insts.push_back({Inst::kMatch});
        rs_->looks_.push_back(std::move(look));
        Emit(prog, {Inst::kLook, static_cast<int32_t>(rs_->looks_.size() - 1)});
        return ok;
      }
      case Pat::Kind::kSentStart: Emit(prog, {Inst::kBol}); return true;
      case Pat::Kind::kSentEnd: Emit(prog, {Inst::kEol}); return true;
      case Pat::Kind::kRef: return false;  // expanded before
    }
    return false;
  }

  // True when `p` always consumes exactly one annotation element (possibly optional).
  bool AnnOnly(const Pat& p, std::vector<std::string>& types) {
    switch (p.kind) {
      case Pat::Kind::kAnn: types.push_back(p.name); return true;
      case Pat::Kind::kAlt:
        for (auto& k : p.kids)
          if (!AnnOnly(k, types)) return false;
        return true;
      case Pat::Kind::kRepeat: return p.max == 1 && AnnOnly(p.kids[0], types);
      case Pat::Kind::kCapture: return AnnOnly(p.kids[0], types);
      case Pat::Kind::kSeq: {
        // A sequence of lookarounds/anchors around one annotation element.
        int n = 0;
        for (auto& k : p.kids) {
          if (k.kind == Pat::Kind::kLook || k.kind == Pat::Kind::kSentStart ||
              k.kind == Pat::Kind::kSentEnd)
            continue;
          if (!AnnOnly(k, types)) return false;
          ++n;
        }
        return n == 1;
      }
      default: return false;
    }
  }

  // Index keys of a pattern: a set of keys one of which every match needs; false if none.
  bool Keys(const Pat& p, std::vector<std::string>& out) {
    switch (p.kind) {
      case Pat::Kind::kToken: return CondKeys(p.cond, out);
      case Pat::Kind::kAnn: {
        Layer l;
        out.push_back(LayerFromName(p.name, l) ? "y:" + p.name : "t:" + p.name);
        return true;
      }
      case Pat::Kind::kSeq: {
        // The best required element: prefer word keys, then the smallest set.
        bool found = false;
        std::vector<std::string> best;
        int best_score = 1 << 30;
        for (auto& k : p.kids) {
          std::vector<std::string> ks;
          if (!Keys(k, ks)) continue;
          int score = static_cast<int>(ks.size());
          for (auto& s : ks)
            if (s[0] == 'y') score += 1000;  // a whole layer is a weak filter
            else if (s[0] == 't') score += 10;
          if (!found || score < best_score) {
            best = std::move(ks);
            best_score = score;
            found = true;
          }
        }
        if (found) out.insert(out.end(), best.begin(), best.end());
        return found;
      }
      case Pat::Kind::kAlt: {
        std::vector<std::string> all;
        for (auto& k : p.kids)
          if (!Keys(k, all)) return false;
        out.insert(out.end(), all.begin(), all.end());
        return true;
      }
      case Pat::Kind::kRepeat: return p.min > 0 && Keys(p.kids[0], out);
      case Pat::Kind::kCapture: return Keys(p.kids[0], out);
      case Pat::Kind::kLook:
        return !p.negated && !p.behind && false;  // lookarounds are not required tokens here
      default: return false;
    }
  }

  // Every required element's key group (each match needs one key of each group).
  void Groups(const Pat& p, std::vector<std::vector<std::string>>& out) {
    switch (p.kind) {
      case Pat::Kind::kSeq:
        for (auto& k : p.kids) Groups(k, out);
        return;
      case Pat::Kind::kRepeat:
        if (p.min > 0) Groups(p.kids[0], out);
        return;
      case Pat::Kind::kCapture: Groups(p.kids[0], out); return;
      case Pat::Kind::kToken:
      case Pat::Kind::kAnn:
      case Pat::Kind::kAlt: {
        std::vector<std::string> ks;
        if (Keys(p, ks)) {
          std::sort(ks.begin(), ks.end());
          ks.erase(std::unique(ks.begin(), ks.end()), ks.end());
          out.push_back(std::move(ks));
        }
        return;
      }
      default: return;
    }
  }

  // The top-level elements of a pattern in order, through sequences and captures (which only
  // mark positions).
  static void Flatten(const Pat& p, std::vector<const Pat*>& out) {
    if (p.kind == Pat::Kind::kSeq) {
      for (auto& k : p.kids) Flatten(k, out);
    } else if (p.kind == Pat::Kind::kCapture) {
      Flatten(p.kids[0], out);
    } else {
      out.push_back(&p);
    }
  }

  // Anchors after the first element (see CompiledRule::anchors): a required element that
  // begins with known keys, preceded only by single tokens, single annotations and zero-width
  // elements, so that the match start is a fixed walk back from the anchor's position.
  void Anchors(const Pat& pattern, CompiledRule& cr) {
    std::vector<const Pat*> flat;
    Flatten(pattern, flat);
    std::vector<CompiledRule::Anchor::Step> steps;  // the walkable prefix, in forward order
    for (const Pat* e : flat) {
      if (e->kind == Pat::Kind::kLook || e->kind == Pat::Kind::kSentStart ||
          e->kind == Pat::Kind::kSentEnd)
        continue;  // zero-width: the walk back does not move (it only widens the seeds)
      if (!steps.empty() && cr.anchors.size() < 4) {
        std::vector<std::string> fk;
        if (!Nullable(*e) && FirstKeys(*e, fk)) {
          std::sort(fk.begin(), fk.end());
          fk.erase(std::unique(fk.begin(), fk.end()), fk.end());
          CompiledRule::Anchor a;
          a.keys = std::move(fk);
          a.back.assign(steps.rbegin(), steps.rend());
          cr.anchors.push_back(std::move(a));
        }
      }
      CompiledRule::Anchor::Step st;
      if (e->kind == Pat::Kind::kToken) {
        steps.push_back(st);
      } else if (e->kind == Pat::Kind::kAnn) {
        st.ann = true;
        st.is_layer = LayerFromName(e->name, st.layer);
        if (!st.is_layer) st.type = e->name;
        steps.push_back(st);
      } else {
        break;  // a variable-length element: no fixed walk back past it
      }
    }
  }

  // Offset checks (see CompiledRule::offset_keys): keyed token elements while every element
  // before them is one token or zero-width.
  void OffsetKeys(const Pat& pattern, CompiledRule& cr) {
    std::vector<const Pat*> flat;
    Flatten(pattern, flat);
    int32_t off = 0;
    for (const Pat* e : flat) {
      if (e->kind == Pat::Kind::kLook || e->kind == Pat::Kind::kSentStart ||
          e->kind == Pat::Kind::kSentEnd)
        continue;
      if (e->kind != Pat::Kind::kToken) break;
      std::vector<std::string> ks;
      if (off > 0 && cr.offset_keys.size() < 3 && CondKeys(e->cond, ks)) {
        std::sort(ks.begin(), ks.end());
        ks.erase(std::unique(ks.begin(), ks.end()), ks.end());
        cr.offset_keys.emplace_back(off, std::move(ks));
      }
      ++off;
    }
  }

  // Keys of the elements a match can begin with; false when some start is not keyed.
  bool FirstKeys(const Pat& p, std::vector<std::string>& out) {
    switch (p.kind) {
      case Pat::Kind::kToken: return CondKeys(p.cond, out);
      case Pat::Kind::kAnn: {
        Layer l;
        out.push_back(LayerFromName(p.name, l) ? "y:" + p.name : "t:" + p.name);
        return true;
      }
      case Pat::Kind::kSeq:
        for (auto& k : p.kids) {
          if (k.kind == Pat::Kind::kLook || k.kind == Pat::Kind::kSentStart ||
              k.kind == Pat::Kind::kSentEnd)
            continue;
          if (!FirstKeys(k, out)) return false;
          if (!Nullable(k)) return true;
        }
        return false;  // all optional: the start is not determined here
      case Pat::Kind::kAlt:
        for (auto& k : p.kids)
          if (!FirstKeys(k, out) || Nullable(k)) return false;
        return true;
      case Pat::Kind::kRepeat:
      case Pat::Kind::kCapture: return FirstKeys(p.kids[0], out);
      default: return false;
    }
  }

  bool CondKeys(const Cond& c, std::vector<std::string>& out) {
    switch (c.kind) {
      case Cond::Kind::kCmp: {
        if (c.op != Cond::Op::kEq && c.op != Cond::Op::kIn) return false;
        const char* prefix = nullptr;
        if (c.attr == "text" || c.attr == "lower") prefix = "l:";
        else if (c.attr == "lemma") prefix = "m:";
        if (!prefix) return false;
        const std::vector<std::string>* vals = &c.values;
        if (!c.list.empty()) {
          auto it = words_.find(c.list);
          if (it == words_.end()) return false;
          vals = &it->second;
        }
        for (auto& v : *vals) out.push_back(prefix + Fold(v));
        return !vals->empty();
      }
      case Cond::Kind::kAnd: {
        for (auto& k : c.kids) {
          std::vector<std::string> ks;
          if (CondKeys(k, ks)) {
            out.insert(out.end(), ks.begin(), ks.end());
            return true;
          }
        }
        return false;
      }
      case Cond::Kind::kOr: {
        std::vector<std::string> all;
        for (auto& k : c.kids)
          if (!CondKeys(k, all)) return false;
        out.insert(out.end(), all.begin(), all.end());
        return true;
      }
      default: return false;
    }
  }

  void CompileRule(Rule& r, int32_t order) {
    CompiledRule cr;
    cr.name = r.name;
    cr.loc = r.loc;
    cr.where = diags_->Where(r.loc);
    cr.priority = r.priority;
    cr.order = order;
    if (rule_names_.count(r.name)) {
      diags_->Error(r.loc, "rule '" + r.name + "' is declared twice (first at " +
                               diags_->Where(rule_names_[r.name]) + "); rule names must be unique");
    }
    rule_names_[r.name] = r.loc;
    std::string phase = r.phase;
    if (phase.empty()) phase = phase_decls_.size() == 1 ? phase_decls_[0].name : "";
    auto pit = phase_index_.find(phase);
    if (pit == phase_index_.end()) {
      if (!r.phase.empty()) {
        std::string names;
        for (auto& p : rs_->phases_) names += (names.empty() ? "" : ", ") + p.name;
        diags_->Error(r.phase_loc, "unknown phase '" + r.phase + "'; declared phases: " +
                                       (names.empty() ? "(none)" : names));
      }
      return;
    }
    cr.phase = pit->second;
    const CompiledPhase& ph = rs_->phases_[cr.phase];
    std::vector<std::string> stack;
    if (!Expand(r.pattern, stack)) return;
    const std::set<std::string> always_bound = AlwaysBound(r.pattern);
    if (Nullable(r.pattern)) {
      diags_->Error(r.pattern.loc, "the pattern of rule '" + r.name +
                                       "' can match an empty sequence of tokens; every rule must "
                                       "consume at least one token (check ?, * and {0,n})");
      return;
    }
    RuleCtx ctx{&cr, &ph};
    bool ok = Gen(r.pattern, cr.prog, ctx, false, {});
    cr.prog.insts.push_back({Inst::kMatch});
    cr.captures.resize(ctx.caps.size());
    for (auto& [n, c] : ctx.caps) cr.captures[c] = n;
    cr.prog.slots = 1 + 3 * static_cast<int32_t>(ctx.caps.size());
    if (r.emits.empty()) {
      diags_->Error(r.loc, "rule '" + r.name + "' emits nothing: add `emit TYPE(role: capture);`");
      ok = false;
    }
    for (auto& e : r.emits) {
      CompiledEmit ce;
      ce.type = e.type;
      auto tit = rs_->types_.find(e.type);
      if (tit == rs_->types_.end()) {
        diags_->Error(e.loc, "unknown output type '" + e.type + "': declare it with `type " + e.type +
                                 ": event;` (or entity, timex, relation, other)");
        ok = false;
        continue;
      }
      ce.layer = tit->second.layer;
      // The phase must declare the output.
      bool declared = false;
      for (auto& [n, l] : phase_outputs_[cr.phase]) {
        Layer lay;
        if (n == e.type || (LayerFromName(n, lay) && lay == ce.layer)) declared = true;
      }
      if (!declared) {
        diags_->Error(e.loc, "phase '" + ph.name + "' does not declare '" + e.type +
                                 "' as an output: add it (or its layer " + LayerName(ce.layer) +
                                 ") to the phase's output list");
        ok = false;
      }
      auto cap_of = [&](const std::string& name, const Loc& loc, const char* what) -> int32_t {
        auto it = ctx.caps.find(name);
        if (it == ctx.caps.end()) {
          std::string names;
          for (auto& [n, c] : ctx.caps) names += (names.empty() ? "" : ", ") + n;
          diags_->Error(loc, "unbound " + std::string(what) + " name '" + name + "': the pattern of rule '" +
                                 r.name + "' captures " + (names.empty() ? "nothing" : "only " + names) +
                                 " (capture with name:element)");
          ok = false;
          return -1;
        }
        return it->second;
      };
      // A capture that may not take part in a match: `emit ... at` it then spans the whole
      // match, and an argument of it is left out, whatever the examples show.
      auto maybe_unbound = [&](const std::string& name, const Loc& loc, const std::string& use) {
        if (!always_bound.count(name) && ctx.caps.count(name)) {
          diags_->Warning(loc, "capture '" + name + "' (" + use + ") can be unbound: in rule '" +
                                   r.name + "' it sits in an optional, repeated or alternative "
                                   "part of the pattern, or captures what may match nothing; "
                                   "when it takes no part in a match, " +
                                   (use == "emit ... at"
                                        ? "the annotation spans the whole match"
                                        : "the argument is left out (write '" + name +
                                              "?' if that is meant)"));
        }
      };
      for (size_t i = 0; i < e.args.size(); ++i) {
        auto& [role, cap] = e.args[i];
        int32_t c = cap_of(cap, e.arg_locs[i], "capture");
        if (c < 0) continue;
        if (i >= e.arg_optional.size() || !e.arg_optional[i])
          maybe_unbound(cap, e.arg_locs[i], "argument '" + role + "'");
        if (!ctx.cap_is_ann[cap]) {
          diags_->Error(e.arg_locs[i], "argument '" + role + "' needs an annotation, but '" + cap +
                                           "' captures tokens; capture an @Type element for an "
                                           "argument, or use text(" + cap + ") as a feature");
          ok = false;
          continue;
        }
        ce.args.emplace_back(role, c);
      }
      if (!e.span_capture.empty()) {
        ce.span_cap = cap_of(e.span_capture, e.span_loc, "span capture");
        if (ce.span_cap >= 0) maybe_unbound(e.span_capture, e.span_loc, "emit ... at");
      }
      for (auto& [fname, x] : e.features) {
        CompiledExpr cx;
        cx.kind = x.kind;
        switch (x.kind) {
          case Expr::Kind::kString: cx.value = x.str; break;
          case Expr::Kind::kNumber:
            if (x.is_int) cx.value = static_cast<int64_t>(x.number);
            else cx.value = x.number;
            break;
          case Expr::Kind::kBool: cx.value = x.boolean; break;
          case Expr::Kind::kFeature: {
            cx.cap = cap_of(x.str, x.loc, "capture");
            cx.feature = x.feature;
            if (cx.cap >= 0) {
              if (!ctx.cap_is_ann[x.str]) {
                diags_->Error(x.loc, "'" + x.str + "' captures tokens, which have no features; "
                                     "use text(" + x.str + ") or lemma(" + x.str + ")");
                ok = false;
                break;
              }
              bool known = x.feature == "type" || x.feature == "text";
              std::string all;
              for (auto& t : ctx.cap_types[x.str]) {
                Layer l;
                bool layer = LayerFromName(t, l);
                for (auto& [tn, info] : rs_->types_) {
                  if (!(layer ? info.layer == l : tn == t)) continue;
                  for (auto& f : info.features) {
                    known |= f == x.feature;
                  }
                }
              }
              if (!known) {
                diags_->Error(x.loc, "unknown feature '" + x.feature + "' of capture '" + x.str +
                                         "' (its types declare no such feature)");
                ok = false;
              }
            }
            break;
          }
          default: cx.cap = cap_of(x.str, x.loc, "capture"); break;
        }
        const auto& declared_feats = tit->second.features;
        if (std::find(declared_feats.begin(), declared_feats.end(), fname) == declared_feats.end()) {
          std::string list;
          for (auto& f : declared_feats) list += (list.empty() ? "" : ", ") + f;
          diags_->Error(x.loc, "type '" + e.type + "' declares no feature '" + fname +
                                   "'; declared: " + (list.empty() ? std::string("(none)") : list) +
                                   " (add it to the type's feature list)");
          ok = false;
        }
        ce.features.emplace_back(fname, std::move(cx));
      }
      cr.emits.push_back(std::move(ce));
    }
    if (!ok) return;
    std::vector<std::string> keys;
    if (Keys(r.pattern, keys)) {
      std::sort(keys.begin(), keys.end());
      keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
      cr.index_keys = std::move(keys);
    }
    std::vector<std::vector<std::string>> groups;
    Groups(r.pattern, groups);
    for (auto& g : groups)
      if (g != cr.index_keys && cr.key_groups.size() < 4 &&
          std::find(cr.key_groups.begin(), cr.key_groups.end(), g) == cr.key_groups.end())
        cr.key_groups.push_back(g);
    std::vector<std::string> first;
    if (FirstKeys(r.pattern, first)) {
      std::sort(first.begin(), first.end());
      first.erase(std::unique(first.begin(), first.end()), first.end());
      cr.first_keys = std::move(first);
    }
    Anchors(r.pattern, cr);
    OffsetKeys(r.pattern, cr);
    cr.examples = std::move(r.examples);
    int32_t idx = static_cast<int32_t>(rs_->rules_.size());
    rs_->phases_[cr.phase].rules.push_back(idx);
    rs_->rules_.push_back(std::move(cr));
  }

  std::shared_ptr<RuleSet> rs_;
  std::unordered_map<std::string, int32_t> atom_ids_;  // atom signature -> index (AddAtom)
  Diags* diags_ = nullptr;
  std::map<std::string, std::vector<std::string>> words_;
  std::map<std::string, Loc> words_loc_;
  std::map<std::string, Define> defines_;
  std::vector<PhaseDecl> phase_decls_;
  std::vector<Rule> rule_decls_;
  std::map<std::string, int32_t> phase_index_;
  std::vector<std::vector<std::pair<std::string, Loc>>> phase_outputs_;
  std::map<std::string, Loc> rule_names_;
  bool implicit_phase_ = false;
};

Result<std::shared_ptr<const RuleSet>> CompileRules(std::vector<SourceFile> sources) {
  Compiler c(std::move(sources));
  return c.Run();
}

}  // namespace quarry::internal::rules
