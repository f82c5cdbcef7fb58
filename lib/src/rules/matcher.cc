// rules/matcher.cc: lattice backtracker and Pike VM, seeding, conflicts, emission, event dating.
#include <re2/re2.h>

#include <algorithm>
#include <atomic>
#include <bit>
#include <chrono>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <unordered_map>

#include "common/memory.h"
#include "rules/lemmatizer.h"
#include "rules/program.h"
#include "tokenize/tokenizer.h"

namespace quarry::internal::rules {

const char* CaseClass(std::string_view text) {
  int upper = 0, lower = 0;
  bool first_upper = false, first_seen = false;
  for (size_t i = 0; i < text.size(); ++i) {
    unsigned char c = text[i];
    if (c >= 0x80) {  // non-ASCII letters: count as lower unless we can tell (kept simple)
      continue;
    }
    if (std::isupper(c)) {
      ++upper;
      if (!first_seen) first_upper = true;
      first_seen = true;
    } else if (std::islower(c)) {
      ++lower;
      first_seen = true;
    }
  }
  if (upper == 0 && lower == 0) return "none";
  if (lower == 0) return "upper";
  if (upper == 0) return "lower";
  if (first_upper && upper == 1) return "title";
  return "mixed";
}

namespace {

const char* LayerWord(Layer l) {
  switch (l) {
    case Layer::kEntity: return "entity";
    case Layer::kTimex: return "timex";
    case Layer::kEvent: return "event";
    case Layer::kRelation: return "relation";
    case Layer::kOther: return "other";
  }
  return "other";
}

constexpr int32_t kActive = INT_MIN;

struct Thread {
  int32_t pc;
  int32_t wake;  // kActive, or the position at which a sleeping thread resumes
  uint32_t cap;  // offset into ThreadList::caps
};

struct ThreadList {
  std::vector<Thread> t;
  std::vector<int32_t> caps;
  std::vector<uint32_t> mark;
  uint32_t gen = 0;
  std::vector<std::pair<int32_t, int32_t>> sleepers;

  void Reset(size_t prog_size) {
    t.clear();
    caps.clear();
    sleepers.clear();
    if (mark.size() < prog_size) mark.resize(prog_size, 0);
    if (++gen == 0) {
      std::fill(mark.begin(), mark.end(), 0);
      gen = 1;
    }
  }
};

struct Edge {
  uint32_t ann;
  int32_t from, to;  // sentence-relative token positions
};

bool ParseNumber(std::string_view s, double& out) {
  if (s.empty() || s.size() > 64) return false;
  char buf[65];
  std::memcpy(buf, s.data(), s.size());
  buf[s.size()] = 0;
  char* end = nullptr;
  out = std::strtod(buf, &end);
  return end == buf + s.size();
}

}  // namespace

bool AlwaysPrune();
bool UsePike();

namespace {
// A match as the matcher records it: its capture slots live in a shared pool (one allocation
// for all the matches of a phase instead of one per match).
struct Hit {
  int32_t rule;
  uint32_t start, end;  // absolute token indices
  uint32_t caps;        // offset of the rule's slots in the pool (absolute indices, -1 unset)
  Span span;            // of tokens [start, end); set once the match is kept
};
}  // namespace

// Per-document matching state. Not thread-safe; one per Apply call.
class Matcher {
 public:
  Matcher(const RuleSet& rs, const Document& doc, const AnnotationSet& set)
      : rs_(rs), doc_(doc), set_(set) {
    const auto& toks = set.tokens();
    // Lemma and index keys once per distinct lower-case form.
    ReserveHuge(lemma_of_, toks.size());
    lemma_of_.resize(toks.size());
    // Distinct forms in an open-addressing table (a document has a few thousand distinct forms
    // and millions of tokens: the table stays in cache). The forms are copied together, so
    // comparing against one does not touch the token arena (a cache miss per token).
    std::vector<uint32_t> table(1024, UINT32_MAX), table_hash(1024);  // form index, hash
    std::string forms;
    std::vector<uint32_t> form_off{0};
    std::string key;
    auto id = [&](const char* prefix, std::string_view v) {
      if (rs.key_ids_.empty()) return -1;
      key.assign(prefix);
      key.append(v);
      auto it = rs.key_ids_.find(key);
      return it == rs.key_ids_.end() ? -1 : it->second;
    };
    for (size_t i = 0; i < toks.size(); ++i) {
      std::string_view lower = set.Lower(toks[i]);
      uint32_t h = 2166136261u;  // FNV-1a
      for (unsigned char c : lower) h = (h ^ c) * 16777619u;
      size_t mask = table.size() - 1, at = h & mask;
      uint32_t f = UINT32_MAX;
      for (; table[at] != UINT32_MAX; at = (at + 1) & mask) {
        uint32_t g = table[at];
        if (table_hash[at] == h &&
            std::string_view(forms.data() + form_off[g], form_off[g + 1] - form_off[g]) == lower) {
          f = g;
          break;
        }
      }
      if (f == UINT32_MAX) {  // a new form: its lemma (from its first token) and keys
        f = static_cast<uint32_t>(lemmas_.size());
        table[at] = f;
        table_hash[at] = h;
        forms.append(lower);
        form_off.push_back(static_cast<uint32_t>(forms.size()));
        lemmas_.push_back(toks[i].kind == TokenKind::kWord ? Lemma(lower) : std::string(lower));
        form_keys_.push_back(id("l:", lower));
        form_keys_.push_back(id("m:", lemmas_.back()));
        if (2 * lemmas_.size() > table.size()) {  // keep the load under one half
          std::vector<uint32_t> t2(2 * table.size(), UINT32_MAX), h2(2 * table.size());
          size_t m2 = t2.size() - 1;
          for (size_t k = 0; k < table.size(); ++k) {
            if (table[k] == UINT32_MAX) continue;
            size_t a2 = table_hash[k] & m2;
            while (t2[a2] != UINT32_MAX) a2 = (a2 + 1) & m2;
            t2[a2] = table[k];
            h2[a2] = table_hash[k];
          }
          table.swap(t2);
          table_hash.swap(h2);
        }
      }
      lemma_of_[i] = f;
    }
    ReserveHuge(tok_sentence_, toks.size());
    tok_sentence_.assign(toks.size(), UINT32_MAX);
    const auto& sents = set.sentences();
    for (uint32_t s = 0; s < sents.size(); ++s)
      for (uint32_t i = sents[s].first_token; i < sents[s].end_token && i < toks.size(); ++i)
        tok_sentence_[i] = s;
  }

  // Annotations (index < limit) visible to `phase`, bucketed per sentence (flat, in index
  // order), with their token range and index keys, so that the per-sentence work touches
  // neither the annotations nor a hash table.
  void Bucket(const CompiledPhase& ph, size_t limit) {
    size_t ns = set_.sentences().size();
    bucket_off_.assign(ns + 1, 0);
    bucket_.clear();
    const auto& anns = set_.annotations();
    // Few distinct (type, layer) pairs: a small table instead of hashing every annotation.
    struct TypeInfo {
      const std::string* type;
      Layer layer;
      bool visible;
      int32_t tkey, ykey;
    };
    std::vector<TypeInfo> types;
    size_t last = 0;
    std::string key;
    auto find_key = [&](const std::string& k) {
      auto it = rs_.key_ids_.find(k);
      return it == rs_.key_ids_.end() ? -1 : it->second;
    };
    std::vector<uint32_t> sent_of;  // per bucketed annotation
    for (size_t i = 0; i < limit && i < anns.size(); ++i) {
      const Annotation& a = anns[i];
      if (last >= types.size() || types[last].layer != a.layer || *types[last].type != a.type) {
        last = 0;
        while (last < types.size() && (types[last].layer != a.layer || *types[last].type != a.type))
          ++last;
        if (last == types.size()) {
          key.assign("t:");
          key.append(a.type);
          int32_t tk = find_key(key);
          key.assign("y:");
          key.append(LayerWord(a.layer));
          types.push_back({&a.type, a.layer,
                           ph.input_layers[static_cast<int>(a.layer)] || ph.input_types.count(a.type) > 0,
                           tk, find_key(key)});
        }
      }
      const TypeInfo& ti = types[last];
      if (!ti.visible) continue;
      if (a.end_token <= a.first_token || a.first_token >= tok_sentence_.size()) continue;
      uint32_t s = tok_sentence_[a.first_token];
      if (s == UINT32_MAX || a.end_token > set_.sentences()[s].end_token) continue;
      bucket_.push_back({static_cast<uint32_t>(i), a.first_token, a.end_token, ti.tkey, ti.ykey});
      sent_of.push_back(s);
      ++bucket_off_[s + 1];
    }
    for (size_t s = 0; s < ns; ++s) bucket_off_[s + 1] += bucket_off_[s];
    // Counting sort by sentence (stable: index order within a sentence).
    std::vector<BucketAnn> sorted(bucket_.size());
    std::vector<uint32_t> fill(bucket_off_.begin(), bucket_off_.end() - 1);
    for (size_t k = 0; k < bucket_.size(); ++k) sorted[fill[sent_of[k]]++] = bucket_[k];
    bucket_.swap(sorted);
  }

  void SetSentence(uint32_t s) {
    const Sentence& sent = set_.sentences()[s];
    base_ = sent.first_token;
    n_ = static_cast<int32_t>(sent.end_token - sent.first_token);
    fwd_.clear();
    bwd_.clear();
    for (uint32_t b = bucket_off_[s]; b < bucket_off_[s + 1]; ++b) {
      const BucketAnn& ba = bucket_[b];
      Edge e{ba.ann, static_cast<int32_t>(ba.first - base_), static_cast<int32_t>(ba.end - base_)};
      fwd_.push_back(e);
      bwd_.push_back(e);
    }
    // Deterministic order of alternatives at a position: longer annotations first, then index.
    std::sort(fwd_.begin(), fwd_.end(), [](const Edge& a, const Edge& b) {
      return std::tie(a.from, b.to, a.ann) < std::tie(b.from, a.to, b.ann);
    });
    std::sort(bwd_.begin(), bwd_.end(), [](const Edge& a, const Edge& b) {
      return std::tie(a.to, a.from, a.ann) < std::tie(b.to, b.from, b.ann);
    });
    fwd_off_.assign(n_ + 2, 0);
    bwd_off_.assign(n_ + 2, 0);
    for (auto& e : fwd_) ++fwd_off_[e.from + 1];
    for (auto& e : bwd_) ++bwd_off_[e.to + 1];
    for (int32_t i = 0; i <= n_; ++i) {
      fwd_off_[i + 1] += fwd_off_[i];
      bwd_off_[i + 1] += bwd_off_[i];
    }
    ++sentence_gen_;
    slot_count_ = 0;
    look_slot_count_ = 0;
  }

  // Calls fn(key id, sentence-relative position) for every index key in sentence `s`: the keys
  // of its tokens and of the visible annotations that start in it.
  template <typename Fn>
  void ForEachKey(uint32_t s, Fn&& fn) {
    const Sentence& sent = set_.sentences()[s];
    for (uint32_t i = sent.first_token; i < sent.end_token; ++i) {
      int32_t rel = static_cast<int32_t>(i - sent.first_token);
      const int32_t* k = form_keys_.data() + 2 * lemma_of_[i];
      if (k[0] >= 0) fn(k[0], rel);
      if (k[1] >= 0) fn(k[1], rel);
    }
    for (uint32_t b = bucket_off_[s]; b < bucket_off_[s + 1]; ++b) {
      const BucketAnn& ba = bucket_[b];
      int32_t rel = static_cast<int32_t>(ba.first - sent.first_token);
      if (ba.tkey >= 0) fn(ba.tkey, rel);
      if (ba.ykey >= 0) fn(ba.ykey, rel);
    }
  }

  // Replaces anchor positions `pos` by the match starts the anchor's walk back reaches from
  // them (a superset of the real starts: only types are checked on the way).
  void WalkBack(const CompiledRule::Anchor& a, std::vector<int32_t>& pos) {
    std::vector<int32_t>& next = walk_;
    for (const CompiledRule::Anchor::Step& st : a.back) {
      next.clear();
      for (int32_t x : pos) {
        if (!st.ann) {
          if (x >= 1) next.push_back(x - 1);
          continue;
        }
        for (uint32_t e = bwd_off_[x]; e < bwd_off_[x + 1]; ++e) {
          const Annotation& ann = set_.annotations()[bwd_[e].ann];
          if (st.is_layer ? ann.layer == st.layer : ann.type == st.type) next.push_back(bwd_[e].from);
        }
      }
      if (st.ann && next.size() > 1) {
        std::sort(next.begin(), next.end());
        next.erase(std::unique(next.begin(), next.end()), next.end());
      }
      pos.swap(next);
    }
  }

  int32_t n() const { return n_; }
  uint32_t base() const { return base_; }
  // Whether token `rel` of the current sentence satisfies token predicate `pred`.
  bool TokenOk(int32_t pred, uint32_t rel) { return TokPredFast(pred, rel); }
  // The index key of token `rel` of the current sentence: 0 lower form, 1 lemma (-1: none).
  int32_t Key(uint32_t rel, int which) const { return TokKey(rel, which); }

  // The preferred match of `prog` starting at or after `from` (unanchored), or anchored at it.
  struct Track {
    int32_t best = -1;
    int32_t start = 0;
    std::vector<int32_t> failed;
    bool matched = false;
    // The furthest progress is the longest partial match (earliest start on ties).
    void Reached(int32_t p, int32_t s) {
      if (best < 0 || p - s > best - start) {
        best = p;
        start = s;
        failed.clear();
      }
    }
    void Fail(int32_t p, int32_t s, int32_t elem) {
      Reached(p, s);
      if (p == best && s == start && std::find(failed.begin(), failed.end(), elem) == failed.end())
        failed.push_back(elem);
    }
  };

  // `seeds` (sorted, forward unanchored searches only): the only positions where a match can
  // start; the search skips from one to the next while no thread is alive.
  bool Search(const Prog& prog, int32_t from, bool anchored, int32_t dir, std::vector<int32_t>* caps_out,
              int32_t* end_out, Track* track = nullptr, int depth = 0,
              const std::vector<int32_t>* seeds = nullptr) {
    while (static_cast<int>(scratch_.size()) <= depth) scratch_.push_back(std::make_unique<Scratch>());
    Scratch& sc = *scratch_[depth];
    ThreadList* clist = &sc.a;
    ThreadList* nlist = &sc.b;
    size_t ps = prog.insts.size();
    clist->Reset(ps);
    sc.caps.assign(prog.slots, -1);
    sc.tmp.assign(prog.slots, -1);
    bool matched = false;
    size_t si = 0;
    if (seeds) si = std::lower_bound(seeds->begin(), seeds->end(), from) - seeds->begin();
    for (int32_t p = from;; p += dir) {
      if (depth == 0) last_pos_ = p;
      bool seed = !matched && (anchored ? p == from : true);
      if (seed && seeds) {
        seed = si < seeds->size() && (*seeds)[si] == p;
        if (seed) ++si;
      }
      if (seed) {
        std::fill(sc.caps.begin(), sc.caps.end(), -1);
        sc.caps[0] = p;
        Add(prog, *clist, 0, p, sc.caps.data(), depth);
      }
      bool at_end = dir > 0 ? p >= n_ : p <= 0;
      if (clist->t.empty()) {
        if (matched || anchored || at_end) break;
        clist->Reset(ps);  // the next seed must not see this position's marks
        if (seeds) {
          if (si >= seeds->size()) break;
          p = (*seeds)[si] - dir;  // jump to the next possible start
        }
        continue;
      }
      nlist->Reset(ps);
      for (size_t k = 0; k < clist->t.size(); ++k) {
        Thread th = clist->t[k];
        int32_t* caps = clist->caps.data() + th.cap;
        if (th.wake != kActive) {
          if (th.wake == p + dir) Add(prog, *nlist, th.pc, p + dir, caps, depth);
          else Sleep(*nlist, th.pc, th.wake, caps, prog.slots);
          continue;
        }
        const Inst& in = prog.insts[th.pc];
        if (track) track->Reached(p, caps[0]);
        if (in.op == Inst::kMatch) {
          matched = true;
          if (caps_out) caps_out->assign(caps, caps + prog.slots);
          if (end_out) *end_out = p;
          if (track) track->matched = true;
          if (!caps_out) return true;  // existence is enough
          break;  // lower-priority threads are cut
        }
        if (at_end) {
          if (track && (in.op == Inst::kTok || in.op == Inst::kAnn)) track->Fail(p, caps[0], in.elem);
          continue;
        }
        if (in.op == Inst::kTok) {
          uint32_t tok = static_cast<uint32_t>(dir > 0 ? p : p - 1);
          if (TokPred(in.x, tok)) Add(prog, *nlist, th.pc + 1, p + dir, caps, depth);
          else if (track) track->Fail(p, caps[0], in.elem);
        } else if (in.op == Inst::kAnn) {
          bool any = false;
          const std::vector<Edge>& edges = dir > 0 ? fwd_ : bwd_;
          const std::vector<uint32_t>& off = dir > 0 ? fwd_off_ : bwd_off_;
          for (uint32_t e = off[p]; e < off[p + 1]; ++e) {
            const Edge& edge = edges[e];
            if (!AnnPredOk(in.x, edge.ann)) continue;
            any = true;
            std::copy(caps, caps + prog.slots, sc.tmp.begin());
            if (in.y >= 0)
              for (int32_t c : prog.cap_lists[in.y]) sc.tmp[3 + 3 * c] = static_cast<int32_t>(edge.ann);
            int32_t target = dir > 0 ? edge.to : edge.from;
            if (target == p + dir) {
              Add(prog, *nlist, th.pc + 1, target, sc.tmp.data(), depth);
            } else if (depth > 0 || prune_prog_ != &prog || Can(th.pc + 1, target)) {
              Sleep(*nlist, th.pc + 1, target, sc.tmp.data(), prog.slots);
            }
          }
          if (!any && track) track->Fail(p, caps[0], in.elem);
        }
      }
      std::swap(clist, nlist);
      if (at_end) break;
    }
    return matched;
  }

  // All non-overlapping matches of a rule in the current sentence, left to right.
  Status RuleMatches(int32_t r, std::vector<Hit>& out, std::vector<int32_t>& pool, uint32_t limit, uint64_t& count,
                     const std::vector<int32_t>* seeds = nullptr) {
    const CompiledRule& rule = rs_.rules_[r];
    const bool pike = UsePike();
    if (!pike) BacktrackBegin(rule.prog);
    int32_t from = 0;
    std::vector<int32_t>& caps = match_caps_;
    // Pike VM only: searches restart after each match; a greedy tail that looks far ahead and
    // falls back would rescan the same tokens again and again. Once rescanning exceeds twice the
    // sentence, the threads that cannot reach a match are pruned (one backward pass), which
    // bounds the rest. (The backtracker keeps its visited states across the searches of a
    // sentence, so it never rescans.)
    int64_t rescanned = 0;
    prune_prog_ = nullptr;
    if (pike && AlwaysPrune()) BuildCan(rule.prog);
    while (from < n_) {
      int32_t end = -1;
      if (pike) {
        if (!Search(rule.prog, from, false, 1, &caps, &end, nullptr, 0, seeds)) break;
        rescanned += last_pos_ - end;
        if (!prune_prog_ && rescanned > 2 * static_cast<int64_t>(n_) + 64) BuildCan(rule.prog);
      } else if (!Backtrack(rule.prog, from, seeds, caps, &end)) {
        break;
      }
      Hit h{r, base_ + caps[0], base_ + static_cast<uint32_t>(end),
            static_cast<uint32_t>(pool.size()), Span{}};
      size_t at = pool.size();
      pool.insert(pool.end(), caps.begin(), caps.end());
      int32_t* pc = pool.data() + at;
      for (size_t c = 0; c + 1 < caps.size(); c += 3) {
        // token slots to absolute indices (annotation slots already are)
        if (pc[c + 1] >= 0) pc[c + 1] += base_;
        if (pc[c + 2] >= 0) pc[c + 2] += base_;
      }
      pc[0] = static_cast<int32_t>(h.start);
      out.push_back(h);
      if (limit && ++count > limit) {
        return Status(StatusCode::kResourceExhausted,
                      "rule '" + rule.name + "' (" + rule.where + ") produced more than " +
                          std::to_string(limit) + " matches in one document");
      }
      from = std::max(end, from + 1);
    }
    prune_prog_ = nullptr;
    return Status();
  }

  // --- memoised backtracking
  //
  // The top-level search of a rule is a depth-first walk that tries alternatives in priority
  // order (preferred branch of a split first, longer annotations first), so the first kMatch it
  // reaches is by definition the documented preferred match. Whether a state (instruction,
  // position) can reach a match does not depend on how it was reached (captures never steer
  // control; anchors and lookarounds depend on the position only), so a state is entered at
  // most once per rule and sentence: a second arrival would fail as the first did (a state is
  // never re-entered while still being explored, because repeated elements cannot be empty).
  // This bounds all the searches of a rule in a sentence together by O(program x sentence),
  // like the Pike VM, without its thread lists: a search that fails at the seed's second token
  // costs a few steps. Visited bits are kept per position row and cleared lazily by stamp.

  void BacktrackBegin(const Prog& prog) {
    bt_m_ = static_cast<int32_t>(prog.insts.size());
    bt_words_ = (bt_m_ + 63) / 64;
    if (bt_row_stamp_.size() < static_cast<size_t>(n_ + 1)) bt_row_stamp_.resize(n_ + 1, 0);
    size_t need = static_cast<size_t>(n_ + 1) * bt_words_;
    if (bt_bits_.size() < need) bt_bits_.resize(need);
    if (++bt_gen_ == 0) {
      std::fill(bt_row_stamp_.begin(), bt_row_stamp_.end(), 0);
      bt_gen_ = 1;
    }
  }

  // Marks (pc, p) visited; false if it already was.
  bool Visit(int32_t pc, int32_t p) {
    uint64_t* row = bt_bits_.data() + static_cast<size_t>(p) * bt_words_;
    uint64_t bit = uint64_t{1} << (pc & 63);
    if (bt_row_stamp_[p] != bt_gen_) {  // the row's first visit in this run: nothing to test
      bt_row_stamp_[p] = bt_gen_;
      for (int32_t k = 0; k < bt_words_; ++k) row[k] = 0;
      row[pc >> 6] = bit;
      return true;
    }
    uint64_t& w = row[pc >> 6];
    if (w & bit) return false;
    w |= bit;
    return true;
  }

  struct Job {
    enum Kind : uint8_t { kVisit, kRestore, kEdge };
    Kind kind;
    int32_t a, b;  // kVisit: pc, position; kRestore: slot, value; kEdge: kAnn pc, edge index
  };

  // The preferred match starting at or after `from` (at a seed when `seeds` is given).
  bool Backtrack(const Prog& prog, int32_t from, const std::vector<int32_t>* seeds,
                 std::vector<int32_t>& caps_out, int32_t* end_out) {
    std::vector<int32_t>& caps = bt_caps_;
    caps.assign(prog.slots, -1);
    size_t si = 0;
    if (seeds) si = std::lower_bound(seeds->begin(), seeds->end(), from) - seeds->begin();
    for (int32_t start = from; start < n_; ++start) {
      if (seeds) {
        if (si >= seeds->size()) return false;
        start = (*seeds)[si++];
        if (start >= n_) return false;
      }
      std::fill(caps.begin(), caps.end(), -1);
      caps[0] = start;
      if (BacktrackFrom(prog, start, caps)) {
        caps_out.assign(caps.begin(), caps.end());
        *end_out = bt_end_;
        return true;
      }
    }
    return false;
  }

  bool BacktrackFrom(const Prog& prog, int32_t start, std::vector<int32_t>& caps) {
    std::vector<Job>& stack = bt_stack_;
    stack.clear();
    int32_t pc = 0, p = start;
    for (;;) {
      // Run state (pc, p) until it fails; alternatives go on the stack.
      for (;;) {
        if (!Visit(pc, p)) break;
        const Inst& in = prog.insts[pc];
        bool ok = true;
        switch (in.op) {
          case Inst::kMatch: bt_end_ = p; return true;
          case Inst::kJmp: pc = in.x; continue;
          case Inst::kSplit:
            stack.push_back({Job::kVisit, in.y, p});
            pc = in.x;
            continue;
          case Inst::kSave:
            stack.push_back({Job::kRestore, in.x, caps[in.x]});
            caps[in.x] = p;
            ++pc;
            continue;
          case Inst::kBol: ok = p == 0; break;
          case Inst::kEol: ok = p == n_; break;
          case Inst::kLook: ok = LookAt(in.x, p, 0); break;
          case Inst::kTok:
            ok = p < n_ && TokPredFast(in.x, static_cast<uint32_t>(p));
            if (ok) ++p;
            break;
          case Inst::kAnn:
            if (fwd_off_[p] < fwd_off_[p + 1])
              stack.push_back({Job::kEdge, pc, static_cast<int32_t>(fwd_off_[p])});
            ok = false;
            break;
        }
        if (!ok) break;
        ++pc;
      }
      // Resume the most recent alternative.
      for (;;) {
        if (stack.empty()) return false;
        Job j = stack.back();
        stack.pop_back();
        if (j.kind == Job::kRestore) {
          caps[j.a] = j.b;
          continue;
        }
        if (j.kind == Job::kVisit) {
          pc = j.a;
          p = j.b;
          break;
        }
        // kEdge: the next annotation edge at this position (fwd_ order = priority order).
        const Edge& e = fwd_[j.b];
        if (static_cast<uint32_t>(j.b + 1) < fwd_off_[e.from + 1])
          stack.push_back({Job::kEdge, j.a, j.b + 1});
        const Inst& in = prog.insts[j.a];
        if (!AnnPredOk(in.x, e.ann)) continue;
        if (in.y >= 0)
          for (int32_t c : prog.cap_lists[in.y]) {
            stack.push_back({Job::kRestore, 3 + 3 * c, caps[3 + 3 * c]});
            caps[3 + 3 * c] = static_cast<int32_t>(e.ann);
          }
        pc = j.a + 1;
        p = e.to;
        break;
      }
    }
  }

  // can_[p * m + pc]: whether a thread at instruction pc and position p can still reach kMatch.
  // Computed backwards from the sentence end; epsilon moves never loop (repeated elements
  // cannot be empty), so each position is a DAG walk.
  void BuildCan(const Prog& prog) {
    can_m_ = static_cast<int32_t>(prog.insts.size());
    can_.assign(static_cast<size_t>(n_ + 1) * can_m_, 0);
    prune_prog_ = nullptr;  // Can() must not be consulted while the table is being built
    for (int32_t p = n_; p >= 0; --p)
      for (int32_t pc = 0; pc < can_m_; ++pc) CanAt(prog, pc, p);
    prune_prog_ = &prog;
  }
  bool Can(int32_t pc, int32_t p) const { return can_[static_cast<size_t>(p) * can_m_ + pc] == 1; }
  bool CanAt(const Prog& prog, int32_t pc, int32_t p) {
    uint8_t& v = can_[static_cast<size_t>(p) * can_m_ + pc];
    if (v) return v == 1;
    v = 2;
    const Inst& in = prog.insts[pc];
    bool r = false;
    switch (in.op) {
      case Inst::kMatch: r = true; break;
      case Inst::kJmp: r = CanAt(prog, in.x, p); break;
      case Inst::kSplit: r = CanAt(prog, in.x, p) || CanAt(prog, in.y, p); break;
      case Inst::kSave: r = CanAt(prog, pc + 1, p); break;
      case Inst::kBol: r = p == 0 && CanAt(prog, pc + 1, p); break;
      case Inst::kEol: r = p == n_ && CanAt(prog, pc + 1, p); break;
      case Inst::kLook: r = LookAt(in.x, p, 0) && CanAt(prog, pc + 1, p); break;
      case Inst::kTok: r = p < n_ && Can(pc + 1, p + 1) && TokPred(in.x, p); break;
      case Inst::kAnn:
        for (uint32_t e = fwd_off_[p]; e < fwd_off_[p + 1] && !r; ++e)
          r = Can(pc + 1, fwd_[e].to) && AnnPredOk(in.x, fwd_[e].ann);
        break;
    }
    can_[static_cast<size_t>(p) * can_m_ + pc] = r ? 1 : 2;
    return r;
  }

  const std::string& lemma(uint32_t tok) const { return lemmas_[lemma_of_[tok]]; }
  uint32_t sentence_of(uint32_t tok) const {
    return tok < tok_sentence_.size() ? tok_sentence_[tok] : UINT32_MAX;
  }

 private:
  struct Scratch {
    ThreadList a, b;
    std::vector<int32_t> caps, tmp;
  };

  void Sleep(ThreadList& l, int32_t pc, int32_t wake, const int32_t* caps, int32_t slots) {
    for (auto& s : l.sleepers)
      if (s.first == pc && s.second == wake) return;
    l.sleepers.emplace_back(pc, wake);
    l.t.push_back({pc, wake, static_cast<uint32_t>(l.caps.size())});
    l.caps.insert(l.caps.end(), caps, caps + slots);
  }

  void Add(const Prog& prog, ThreadList& l, int32_t pc, int32_t pos, int32_t* caps, int depth) {
    if (l.mark[pc] == l.gen) return;
    l.mark[pc] = l.gen;
    const Inst& in = prog.insts[pc];
    switch (in.op) {
      case Inst::kJmp: Add(prog, l, in.x, pos, caps, depth); return;
      case Inst::kSplit:
        Add(prog, l, in.x, pos, caps, depth);
        Add(prog, l, in.y, pos, caps, depth);
        return;
      case Inst::kSave: {
        int32_t old = caps[in.x];
        caps[in.x] = pos;
        Add(prog, l, pc + 1, pos, caps, depth);
        caps[in.x] = old;
        return;
      }
      case Inst::kBol:
        if (pos == 0) Add(prog, l, pc + 1, pos, caps, depth);
        return;
      case Inst::kEol:
        if (pos == n_) Add(prog, l, pc + 1, pos, caps, depth);
        return;
      case Inst::kLook:
        if (LookAt(in.x, pos, depth)) Add(prog, l, pc + 1, pos, caps, depth);
        return;
      default:
        // A thread that cannot reach a match from here is dropped (see BuildCan).
        if (depth == 0 && prune_prog_ == &prog && !Can(pc, pos)) return;
        l.t.push_back({pc, kActive, static_cast<uint32_t>(l.caps.size())});
        l.caps.insert(l.caps.end(), caps, caps + prog.slots);
    }
  }

  // Lookaround results, memoised per sentence in a flat table (a slot of n+1 cells per
  // lookaround used in the sentence, like the atom cache).
  bool LookAt(int32_t id, int32_t pos, int depth) {
    if (look_stamp_.size() < rs_.looks_.size()) {
      look_stamp_.resize(rs_.looks_.size(), 0);
      look_slot_.resize(rs_.looks_.size(), 0);
    }
    if (look_stamp_[id] != sentence_gen_) {
      look_stamp_[id] = sentence_gen_;
      look_slot_[id] = look_slot_count_++;
      size_t need = static_cast<size_t>(look_slot_count_) * (n_ + 1);
      if (look_cache_.size() < need) look_cache_.resize(need);
      std::fill(look_cache_.begin() + static_cast<size_t>(look_slot_[id]) * (n_ + 1),
                look_cache_.begin() + need, int8_t{-1});
    }
    size_t cell = static_cast<size_t>(look_slot_[id]) * (n_ + 1) + pos;
    if (look_cache_[cell] >= 0) return look_cache_[cell] == 1;
    const Look& look = rs_.looks_[id];
    bool found = Search(look.prog, pos, true, look.behind ? -1 : 1, nullptr, nullptr, nullptr, depth + 1);
    bool r = found != look.negated;
    // (the nested search may have added slots, so index again)
    look_cache_[static_cast<size_t>(look_slot_[id]) * (n_ + 1) + pos] = r ? 1 : 0;
    return r;
  }

  // --- predicates

  int8_t& CacheCell(int32_t atom, uint32_t rel) {
    if (atom_stamp_.size() < rs_.atoms_.size()) {
      atom_stamp_.resize(rs_.atoms_.size(), 0);
      atom_slot_.resize(rs_.atoms_.size(), 0);
    }
    if (atom_stamp_[atom] != sentence_gen_) {
      atom_stamp_[atom] = sentence_gen_;
      atom_slot_[atom] = slot_count_++;
      size_t need = static_cast<size_t>(slot_count_) * (n_ + 1);
      if (cache_.size() < need) cache_.resize(need);
      std::fill(cache_.begin() + static_cast<size_t>(atom_slot_[atom]) * (n_ + 1),
                cache_.begin() + need, int8_t{-1});
    }
    return cache_[static_cast<size_t>(atom_slot_[atom]) * (n_ + 1) + rel];
  }

  // The index key of token `rel` of the sentence: 0 lower form, 1 lemma (-1: none).
  int32_t TokKey(uint32_t rel, int which) const {
    return form_keys_[2 * lemma_of_[base_ + rel] + which];
  }

  // TokPred with its commonest cases inlined.
  bool TokPredFast(int32_t pred, uint32_t rel) {
    const FastPred& f = rs_.fast_preds_[pred];
    switch (f.kind) {
      case 1: return (((f.mask >> static_cast<int>(set_.tokens()[base_ + rel].kind)) & 1u) != 0) != f.negate;
      case 2: return (TokKey(rel, 0) == f.key) != f.negate;
      case 3: return (TokKey(rel, 1) == f.key) != f.negate;
      case 4: {
        int32_t k = TokKey(rel, f.lemma ? 1 : 0);
        bool in = false;
        if (k >= 0) {
          const int32_t* keys = rs_.fast_keys_.data() + f.key;  // sorted
          if (f.len <= 16) {
            for (int32_t i = 0; i < f.len && !in; ++i) in = keys[i] == k;
          } else {
            in = std::binary_search(keys, keys + f.len, k);
          }
        }
        return in != f.negate;
      }
      case 5: return true;
      default: return TokPred(pred, rel);
    }
  }

  bool TokPred(int32_t pred, uint32_t rel) {
    const PredNode& n = rs_.preds_[pred];
    switch (n.fast) {
      case 1: return (((n.mask >> static_cast<int>(set_.tokens()[base_ + rel].kind)) & 1u) != 0) != n.negate;
      case 2: return (TokKey(rel, 0) == n.key) != n.negate;
      case 3: return (TokKey(rel, 1) == n.key) != n.negate;
      default: break;
    }
    switch (n.kind) {
      case PredNode::Kind::kTrue: return true;
      case PredNode::Kind::kAnd:
        for (int32_t k : n.kids)
          if (!TokPred(k, rel)) return false;
        return true;
      case PredNode::Kind::kOr:
        for (int32_t k : n.kids)
          if (TokPred(k, rel)) return true;
        return false;
      case PredNode::Kind::kNot: return !TokPred(n.kids[0], rel);
      case PredNode::Kind::kAtom: {
        const Atom& a = rs_.atoms_[n.atom];
        if (a.kind_test) {
          bool in = (a.kind_mask >> static_cast<int>(set_.tokens()[base_ + rel].kind)) & 1u;
          return (a.op == Cond::Op::kEq || a.op == Cond::Op::kIn) ? in : !in;
        }
        if (a.keyed && a.attr != Attr::kText) {  // a key-id lookup: cheaper than the cache
          int32_t k = TokKey(rel, a.attr == Attr::kLemma ? 1 : 0);
          bool in = k >= 0 && std::binary_search(a.key_ids.begin(), a.key_ids.end(), k);
          return (a.op == Cond::Op::kEq || a.op == Cond::Op::kIn) ? in : !in;
        }
        if (a.keyed && (a.op == Cond::Op::kEq || a.op == Cond::Op::kIn)) {
          int32_t k = TokKey(rel, 0);
          if (k < 0 || !std::binary_search(a.key_ids.begin(), a.key_ids.end(), k)) return false;
        }
        int8_t& cell = CacheCell(n.atom, rel);
        if (cell < 0) cell = TokAtom(rs_.atoms_[n.atom], base_ + rel) ? 1 : 0;
        return cell == 1;
      }
    }
    return false;
  }

  bool TokAtom(const Atom& a, uint32_t tok) {
    const Token& t = set_.tokens()[tok];
    std::string_view v;
    switch (a.attr) {
      case Attr::kText: v = doc_.Slice(t.span); break;
      case Attr::kLower: v = set_.Lower(t); break;
      case Attr::kLemma: v = lemmas_[lemma_of_[tok]]; break;
      case Attr::kShape: v = set_.Shape(t); break;
      case Attr::kCase: v = CaseClass(doc_.Slice(t.span)); break;
      case Attr::kKind: v = TokenKindName(t.kind); break;
      default: return false;
    }
    return Compare(a, v, nullptr);
  }

  bool Compare(const Atom& a, std::string_view v, const FeatureValue* fv) {
    switch (a.op) {
      case Cond::Op::kEq:
      case Cond::Op::kIn:
      case Cond::Op::kNe:
      case Cond::Op::kNotIn: {
        bool in = a.set.contains(v);
        if (!in && a.numeric && fv) {  // 3 == 3.0
          double d;
          if (ParseNumber(v, d))
            for (std::string_view s : a.set)
              if (std::atof(std::string(s).c_str()) == d) in = true;
        }
        return (a.op == Cond::Op::kEq || a.op == Cond::Op::kIn) ? in : !in;
      }
      case Cond::Op::kMatch:
        return a.partial ? RE2::PartialMatch(v, *a.re) : RE2::FullMatch(v, *a.re);
      default: {
        int cmp;
        double d;
        if (a.numeric && ParseNumber(v, d)) {
          cmp = d < a.number ? -1 : d > a.number ? 1 : 0;
        } else {
          int c = v.compare(a.value);
          cmp = c < 0 ? -1 : c > 0 ? 1 : 0;
        }
        switch (a.op) {
          case Cond::Op::kLt: return cmp < 0;
          case Cond::Op::kLe: return cmp <= 0;
          case Cond::Op::kGt: return cmp > 0;
          case Cond::Op::kGe: return cmp >= 0;
          default: return false;
        }
      }
    }
  }

  bool AnnPredOk(int32_t ap_index, uint32_t ann) {
    const AnnPred& ap = rs_.ann_preds_[ap_index];
    const Annotation& a = set_.annotations()[ann];
    if (ap.is_layer ? a.layer != ap.layer : a.type != ap.type) return false;
    return ap.pred < 0 || AnnCond(ap.pred, a);
  }

  bool AnnCond(int32_t pred, const Annotation& ann) {
    const PredNode& n = rs_.preds_[pred];
    switch (n.kind) {
      case PredNode::Kind::kTrue: return true;
      case PredNode::Kind::kAnd:
        for (int32_t k : n.kids)
          if (!AnnCond(k, ann)) return false;
        return true;
      case PredNode::Kind::kOr:
        for (int32_t k : n.kids)
          if (AnnCond(k, ann)) return true;
        return false;
      case PredNode::Kind::kNot: return !AnnCond(n.kids[0], ann);
      case PredNode::Kind::kAtom: break;
    }
    const Atom& a = rs_.atoms_[n.atom];
    switch (a.attr) {
      case Attr::kText: return Compare(a, doc_.Slice(ann.span), nullptr);
      case Attr::kLower: {
        std::string low;
        FoldCase(doc_.Slice(ann.span), low);
        return Compare(a, low, nullptr);
      }
      case Attr::kType: return Compare(a, ann.type, nullptr);
      case Attr::kLayer: return Compare(a, LayerWord(ann.layer), nullptr);
      case Attr::kFeature: {
        const FeatureValue* fv = ann.FindFeature(a.feature);
        if (!fv) return a.op == Cond::Op::kNe || a.op == Cond::Op::kNotIn;
        std::string s = ann.FeatureString(a.feature);
        return Compare(a, s, fv);
      }
      default: return false;
    }
  }

  const RuleSet& rs_;
  const Document& doc_;
  const AnnotationSet& set_;
  std::vector<std::string> lemmas_;  // distinct lemmas
  std::vector<uint32_t> lemma_of_;   // per token: index into lemmas_
  std::vector<uint32_t> tok_sentence_;
  // Per distinct form (lemma_of_ is the token's form index): lower-form key id, lemma key id
  // (-1: none). Per form rather than per token: small enough to stay in cache.
  std::vector<int32_t> form_keys_;
  struct BucketAnn {
    uint32_t ann, first, end;  // annotation index, token range
    int32_t tkey, ykey;        // index keys of its type and layer (-1: none)
  };
  std::vector<BucketAnn> bucket_;      // visible annotations, by sentence
  std::vector<uint32_t> bucket_off_;  // sentence s: bucket_[bucket_off_[s], bucket_off_[s + 1])
  uint32_t base_ = 0;
  int32_t n_ = 0;
  std::vector<Edge> fwd_, bwd_;
  std::vector<uint32_t> fwd_off_, bwd_off_;
  std::vector<std::unique_ptr<Scratch>> scratch_;  // one per lookaround depth
  std::vector<uint32_t> atom_stamp_;
  std::vector<int32_t> atom_slot_;
  std::vector<int8_t> cache_;
  uint32_t sentence_gen_ = 0;
  int32_t slot_count_ = 0;
  std::vector<uint32_t> look_stamp_;  // per lookaround: the sentence its slot belongs to
  std::vector<int32_t> look_slot_;
  std::vector<int8_t> look_cache_;    // -1 unknown, 0 false, 1 true
  int32_t look_slot_count_ = 0;
  int32_t last_pos_ = 0;                // the last position the latest top-level search reached
  const Prog* prune_prog_ = nullptr;    // the program can_ was built for (pruning on)
  std::vector<uint8_t> can_;
  int32_t can_m_ = 0;
  std::vector<int32_t> match_caps_;
  std::vector<int32_t> walk_;
  // Backtracker state (see Backtrack).
  int32_t bt_m_ = 0, bt_words_ = 0, bt_end_ = 0;
  uint32_t bt_gen_ = 0;
  std::vector<uint32_t> bt_row_stamp_;
  std::vector<uint64_t> bt_bits_;
  std::vector<Job> bt_stack_;
  std::vector<int32_t> bt_caps_;
};

namespace {
std::atomic<bool> g_always_prune{false};
std::atomic<bool> g_use_pike{false};
}  // namespace

void SetAlwaysPruneForTesting(bool on) { g_always_prune = on; }
void SetUsePikeForTesting(bool on) { g_use_pike = on; }
bool UsePike() { return g_use_pike.load(std::memory_order_relaxed); }
bool AlwaysPrune() { return g_always_prune.load(std::memory_order_relaxed); }

namespace {

// The token positions covered by the matches kept so far in a sentence: a bitset with a summary
// word per 64 words, so "the first covered position at or after p" skips empty stretches
// (a balanced tree here made conflict resolution superlinear on long sentences: a cache miss
// per level).
class Coverage {
 public:
  void Reset(uint32_t base, uint32_t n) {
    base_ = base;
    bits_.assign((n + 63) / 64, 0);
    summary_.assign((bits_.size() + 63) / 64, 0);
  }
  // Whether a position in [begin, end) is covered.
  bool Any(uint32_t begin, uint32_t end) const {
    uint32_t p = begin - base_, e = end - base_;
    size_t w = p >> 6;
    if (p >= e || w >= bits_.size()) return false;
    if (uint64_t x = bits_[w] & (~uint64_t{0} << (p & 63))) return w * 64 + std::countr_zero(x) < e;
    size_t next = w + 1;  // the next non-empty word, through the summary
    size_t si = next >> 6;
    if (si >= summary_.size()) return false;
    uint64_t y = summary_[si] & (~uint64_t{0} << (next & 63));
    while (!y) {
      if (++si >= summary_.size() || si * 64 * 64 >= e) return false;
      y = summary_[si];
    }
    size_t nw = si * 64 + std::countr_zero(y);
    return nw * 64 + std::countr_zero(bits_[nw]) < e;
  }
  void Mark(uint32_t begin, uint32_t end) {
    for (uint32_t p = begin - base_, e = end - base_; p < e;) {
      size_t w = p >> 6;
      uint32_t lo = p & 63, len = std::min<uint32_t>(64 - lo, e - p);
      bits_[w] |= (len == 64 ? ~uint64_t{0} : ((uint64_t{1} << len) - 1)) << lo;
      summary_[w >> 6] |= uint64_t{1} << (w & 63);
      p += len;
    }
  }

 private:
  uint32_t base_ = 0;
  std::vector<uint64_t> bits_, summary_;
};

// Greedy selection by the phase's policy, keeping matches that overlap no kept match; appends
// the kept ones to `kept` (in start order; every match, in rule order, for policy all).
void Resolve(std::vector<Hit>& ms, Policy policy, const RuleSet& rs, std::vector<Hit>& kept,
             Coverage& cov) {
  if (policy == Policy::kAll || ms.size() <= 1) {
    kept.insert(kept.end(), ms.begin(), ms.end());
    return;
  }
  auto prio = [&](const Hit& m) { return rs.rules()[m.rule].priority; };
  auto order = [&](const Hit& m) { return rs.rules()[m.rule].order; };
  auto len = [](const Hit& m) { return m.end - m.start; };
  std::stable_sort(ms.begin(), ms.end(), [&](const Hit& a, const Hit& b) {
    switch (policy) {
      case Policy::kLongest:
        if (len(a) != len(b)) return len(a) > len(b);
        if (prio(a) != prio(b)) return prio(a) > prio(b);
        break;
      case Policy::kFirst:
        if (a.start != b.start) return a.start < b.start;
        if (prio(a) != prio(b)) return prio(a) > prio(b);
        if (len(a) != len(b)) return len(a) > len(b);
        break;
      default:  // kPriority: the documented tie-break itself
        if (prio(a) != prio(b)) return prio(a) > prio(b);
        if (len(a) != len(b)) return len(a) > len(b);
        break;
    }
    if (order(a) != order(b)) return order(a) < order(b);
    return a.start < b.start;
  });
  size_t first = kept.size();
  uint32_t lo = UINT32_MAX, hi = 0;
  for (const Hit& m : ms) {
    lo = std::min(lo, m.start);
    hi = std::max(hi, m.end);
  }
  cov.Reset(lo, hi - lo);
  for (const Hit& m : ms) {
    if (cov.Any(m.start, m.end)) continue;
    cov.Mark(m.start, m.end);
    kept.push_back(m);
  }
  std::sort(kept.begin() + first, kept.end(), [&](const Hit& a, const Hit& b) {
    return std::tie(a.start, a.end) < std::tie(b.start, b.end) ||
           (a.start == b.start && a.end == b.end && order(a) < order(b));
  });
}

// The DATE timexes (with a value) among the annotations a phase reads, by sentence, for event
// dating: one pass per phase instead of a scan of every annotation per event.
struct DateIndex {
  std::vector<std::pair<uint32_t, uint32_t>> by_sentence;  // (sentence, annotation), sorted

  void Build(const AnnotationSet& set, size_t visible, const Matcher& mat);
  // The DATE in `sent` ending at or before token `first` that ends last (earliest on ties).
  const Annotation* Before(const AnnotationSet& set, uint32_t sent, uint32_t first) const {
    auto it = std::lower_bound(by_sentence.begin(), by_sentence.end(), std::make_pair(sent, 0u));
    const Annotation* best = nullptr;
    for (; it != by_sentence.end() && it->first == sent; ++it) {
      const Annotation& t = set.annotations()[it->second];
      if (t.end_token > first) continue;
      if (!best || t.end_token > best->end_token) best = &t;
    }
    return best;
  }
};

Span TokenSpan(const AnnotationSet& set, uint32_t first, uint32_t end) {
  const auto& t = set.tokens();
  if (first >= end || end > t.size()) return Span{};
  return Span{t[first].span.begin, t[end - 1].span.end};
}

// Makes room for `total` annotations, moving the existing ones at most once, into a buffer
// backed by huge pages where available (common/memory.h).
void GrowAnnotations(std::vector<Annotation>& anns, size_t total) {
  if (total <= anns.capacity()) return;
  std::vector<Annotation> fresh;
  ReserveHuge(fresh, total);
  for (Annotation& x : anns) fresh.push_back(std::move(x));
  anns.swap(fresh);
}

// Appends the annotations of one accepted match to `set` (after the `visible` ones the phase
// reads, so the phase never sees its own outputs), built in place: the caller has reserved
// room for them, so references to earlier annotations stay valid. The token range is known
// from the match, so it is set directly rather than searched for from the span.
void EmitMatch(const RuleSet& rs, const Hit& m, const int32_t* caps, const Document& doc,
               AnnotationSet& set, const std::string& phase, const Matcher& mat,
               const DateIndex& dates) {
  const CompiledRule& rule = rs.rules()[m.rule];
  std::vector<Annotation>& anns = set.mutable_annotations();
  for (const CompiledEmit& e : rule.emits) {
    if (anns.size() == anns.capacity()) anns.reserve(2 * anns.size() + 16);
    Annotation& a = anns.emplace_back();
    a.layer = e.layer;
    a.type = e.type;
    a.span = m.span;
    a.first_token = m.start;
    a.end_token = m.end;
    if (e.span_cap >= 0) {
      int32_t s = caps[1 + 3 * e.span_cap], en = caps[2 + 3 * e.span_cap];
      if (s >= 0 && en > s) {
        a.span = TokenSpan(set, s, en);
        a.first_token = s;
        a.end_token = en;
      }
    }
    a.features.reserve(e.features.size() + (e.layer == Layer::kEvent ? 2 : 0));
    for (auto& [role, c] : e.args) {
      int32_t ann = caps[3 + 3 * c];
      if (ann >= 0) a.args.push_back({role, static_cast<uint32_t>(ann)});
    }
    for (auto& [name, x] : e.features) {
      if (x.cap < 0) {
        a.SetFeature(name, x.value);
        continue;
      }
      int32_t s = caps[1 + 3 * x.cap], en = caps[2 + 3 * x.cap];
      if (s < 0 || en <= s) continue;  // the capture did not take part in the match
      std::string_view text = doc.Slice(TokenSpan(set, s, en));
      switch (x.kind) {
        case Expr::Kind::kText: a.SetFeature(name, std::string(text)); break;
        case Expr::Kind::kLower: {
          std::string low;
          FoldCase(text, low);
          a.SetFeature(name, low);
          break;
        }
        case Expr::Kind::kLemma: {
          std::string lem;
          for (int32_t i = s; i < en; ++i) lem += (lem.empty() ? "" : " ") + mat.lemma(i);
          a.SetFeature(name, lem);
          break;
        }
        case Expr::Kind::kFeature: {
          int32_t ai = caps[3 + 3 * x.cap];
          if (ai < 0) break;
          const Annotation& src = anns[ai];
          if (x.feature == "type") a.SetFeature(name, src.type);
          else if (x.feature == "text") a.SetFeature(name, std::string(doc.Slice(src.span)));
          else if (const FeatureValue* v = src.FindFeature(x.feature)) a.SetFeature(name, *v);
          break;
        }
        default: break;
      }
    }
    // Event dating: the event's own time argument, else the nearest DATE timex before the
    // event in the same sentence. Never invented: no timex, no date.
    if (a.layer == Layer::kEvent && !a.FindFeature("date")) {
      const Annotation* when = nullptr;
      for (const char* pref : {"time", "date", "when", ""}) {
        for (auto& arg : a.args) {
          const Annotation& t = anns[arg.target];
          if (t.layer != Layer::kTimex || !t.FindFeature("value")) continue;
          if (*pref && arg.role != pref) continue;
          when = &t;
          break;
        }
        if (when) break;
      }
      if (when) {
        a.SetFeature("date", when->FeatureString("value"));
        a.SetFeature("date_source", std::string("argument"));
      } else {
        const Annotation* best = dates.Before(set, mat.sentence_of(m.start), a.first_token);
        if (best) {
          a.SetFeature("date", best->FeatureString("value"));
          a.SetFeature("date_source", std::string("sentence"));
        }
      }
    }
    a.prov.source = "rule";
    a.prov.file = rs.sources()[rule.loc.file].name;
    a.prov.line = rule.loc.line;
    a.prov.rule = rule.name;
    a.prov.phase = phase;
  }
}

void DateIndex::Build(const AnnotationSet& set, size_t visible, const Matcher& mat) {
  by_sentence.clear();
  const auto& anns = set.annotations();
  for (size_t i = 0; i < visible && i < anns.size(); ++i) {
    const Annotation& t = anns[i];
    if (t.layer != Layer::kTimex || t.type != "DATE" || !t.FindFeature("value")) continue;
    if (t.end_token == 0) continue;
    uint32_t sent = mat.sentence_of(t.first_token);
    if (sent != UINT32_MAX) by_sentence.emplace_back(sent, static_cast<uint32_t>(i));
  }
  std::sort(by_sentence.begin(), by_sentence.end());
}

}  // namespace

bool RuleSet::has_early_phases() const {
  for (const CompiledPhase& ph : phases_)
    if (ph.early) return true;
  return false;
}

Status RuleSet::Apply(const Document& doc, AnnotationSet& set, const AnnotateOptions& options,
                      RuleStats* stats, const RunContext* ctx, PhaseSet which) const {
  if (stats) {
    stats->matches.resize(rules_.size(), 0);
    stats->candidates.resize(rules_.size(), 0);
    stats->seconds.resize(rules_.size(), 0);
  }
  Matcher m(*this, doc, set);
  // Per sentence: which keys occur (key_stamp) and where (key_pos, in increasing position for
  // token keys). Seeds are gathered only for the rules that run, from their first keys'
  // positions: a key that many rules start with (an annotation type) costs once per occurrence,
  // not once per occurrence and rule.
  std::vector<uint32_t> key_stamp(key_ids_.size(), 0);
  std::vector<std::vector<int32_t>> key_pos(key_ids_.size());
  std::vector<uint64_t> cand_bits((rules_.size() + 63) / 64, 0);
  std::vector<int32_t> seeds, filtered, refiltered;
  uint32_t gen = 0;
  std::vector<uint64_t> counts(rules_.size(), 0);
  for (const CompiledPhase& ph : phases_) {
    if ((which == PhaseSet::kEarly && !ph.early) || (which == PhaseSet::kLate && ph.early)) continue;
    size_t visible = set.annotations().size();
    m.Bucket(ph, visible);
    std::vector<int32_t> cands;
    std::vector<Hit> matches, kept;
    Coverage coverage;
    std::vector<int32_t> pool;
    for (uint32_t s = 0; s < set.sentences().size(); ++s) {
      if (set.sentences()[s].end_token <= set.sentences()[s].first_token) continue;
      if (ctx && (s & 63) == 0) QUARRY_RETURN_IF_ERROR(ctx->CheckDeadline("rules phase " + ph.name));
      ++gen;
      // Candidate rules as bits: iterating them gives rule order without sorting.
      size_t ncands = 0;
      for (int32_t r : ph.unindexed) {
        cand_bits[r >> 6] |= uint64_t{1} << (r & 63);
        ++ncands;
      }
      m.ForEachKey(s, [&](int32_t key, int32_t pos) {
        if (key_stamp[key] != gen) {
          key_stamp[key] = gen;
          key_pos[key].clear();
          for (int32_t r : ph.index[key]) {
            cand_bits[r >> 6] |= uint64_t{1} << (r & 63);
            ++ncands;
          }
        }
        key_pos[key].push_back(pos);
      });
      if (ncands == 0) continue;
      cands.clear();
      for (size_t w = 0; w < cand_bits.size(); ++w) {
        for (uint64_t b = cand_bits[w]; b; b &= b - 1)
          cands.push_back(static_cast<int32_t>(w * 64 + std::countr_zero(b)));
        cand_bits[w] = 0;
      }
      m.SetSentence(s);
      matches.clear();
      for (int32_t r : cands) {
        const int32_t* q = req_.data() + req_off_[r];
        // Every required key group must be present.
        bool all = true;
        for (int32_t g = *q++; g > 0 && all; --g) {
          int32_t size = *q++;
          bool any = false;
          for (int32_t i = 0; i < size && !any; ++i) any = key_stamp[q[i]] == gen;
          q += size;
          all = any;
        }
        if (!all) continue;
        // Seed from whichever keyed element occurs least in this sentence: the first one
        // (its positions are the starts) or an anchor (walk back from its positions). A keyed
        // required element with no occurrence means no match.
        auto occurrences = [&](const int32_t* ids, int32_t size) {
          size_t c = 0;
          for (int32_t i = 0; i < size; ++i)
            if (key_stamp[ids[i]] == gen) c += key_pos[ids[i]].size();
          return c;
        };
        int32_t nfirst = *q++;
        const int32_t* first = q;
        q += nfirst;
        int32_t nanchors = *q++;
        const std::vector<int32_t>* sd = nullptr;
        if (nfirst > 0 || nanchors > 0) {
          size_t best = SIZE_MAX;
          int which = -1;  // -1: the first keys
          const int32_t* ids = first;
          int32_t nids = nfirst;
          bool impossible = false;
          if (nfirst > 0) {
            best = occurrences(first, nfirst);
            impossible = best == 0;
          }
          for (int32_t i = 0; i < nanchors && !impossible; ++i) {
            int32_t size = *q++;
            size_t c = occurrences(q, size);
            impossible = c == 0;
            if (c < best) {
              best = c;
              which = i;
              ids = q;
              nids = size;
            }
            q += size;
          }
          if (impossible) continue;
          int present = 0;
          for (int32_t i = 0; i < nids; ++i)
            if (key_stamp[ids[i]] == gen) {
              ++present;
              sd = &key_pos[ids[i]];
            }
          if (present > 1 || which >= 0 ||
              std::adjacent_find(sd->begin(), sd->end(), std::greater_equal<int32_t>()) != sd->end()) {
            seeds.clear();
            for (int32_t i = 0; i < nids; ++i)
              if (key_stamp[ids[i]] == gen)
                seeds.insert(seeds.end(), key_pos[ids[i]].begin(), key_pos[ids[i]].end());
            if (which >= 0) m.WalkBack(rules_[r].anchors[which], seeds);
            std::sort(seeds.begin(), seeds.end());
            seeds.erase(std::unique(seeds.begin(), seeds.end()), seeds.end());
            if (seeds.empty()) continue;
            sd = &seeds;
          }
        }
        // Offset checks: keep the seeds whose token at each fixed offset has one of the keys
        // of the element there (q is past the anchors: every anchor was counted above).
        int32_t nchecks = *q++;
        const int32_t* checks = q;
        for (int32_t i = 0; i < nchecks; ++i) q += 2 + q[1];
        if (nchecks > 0 && sd) {
          filtered.clear();
          for (int32_t p : *sd) {
            const int32_t* c = checks;
            bool ok = true;
            for (int32_t i = 0; i < nchecks && ok; ++i) {
              int32_t off = c[0], size = c[1];
              const int32_t* ks = c + 2;
              c += 2 + size;
              int32_t at = p + off;
              if (at >= m.n()) {
                ok = false;
                break;
              }
              int32_t k0 = m.Key(static_cast<uint32_t>(at), 0), k1 = m.Key(static_cast<uint32_t>(at), 1);
              bool any = false;
              for (int32_t j = 0; j < size && !any; ++j) any = ks[j] == k0 || ks[j] == k1;
              ok = any;
            }
            if (ok) filtered.push_back(p);
          }
          if (filtered.empty()) continue;
          sd = &filtered;
        }
        // Predicate checks at fixed offsets (see CompiledRule::offset_preds).
        if (int32_t npreds = *q++; npreds > 0 && sd) {
          std::vector<int32_t>& out = sd == &filtered ? refiltered : filtered;
          out.clear();
          for (int32_t p : *sd) {
            bool ok = true;
            for (int32_t i = 0; i < npreds; ++i) {
              int32_t at = p + q[2 * i];
              if (at >= m.n() || !m.TokenOk(q[2 * i + 1], static_cast<uint32_t>(at))) {
                ok = false;
                break;
              }
            }
            if (ok) out.push_back(p);
          }
          if (out.empty()) continue;
          sd = &out;
        }
        auto t0 = stats ? std::chrono::steady_clock::now() : std::chrono::steady_clock::time_point();
        QUARRY_RETURN_IF_ERROR(m.RuleMatches(r, matches, pool, options.max_matches_per_rule, counts[r], sd));
        if (stats) {
          stats->candidates[r]++;
          stats->seconds[r] +=
              std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        }
      }
      size_t kept_before = kept.size();
      Resolve(matches, ph.policy, *this, kept, coverage);
      // Spans now, while the sentence's tokens are in cache (emission comes after the phase's
      // last sentence, when they are not).
      for (size_t k = kept_before; k < kept.size(); ++k)
        kept[k].span = TokenSpan(set, kept[k].start, kept[k].end);
      matches.clear();
    }
    // Emission after the phase's last sentence: the outputs are counted first so that the
    // annotation vector grows once.
    size_t outputs = 0;
    bool events = false;
    for (const Hit& k : kept) {
      outputs += rules_[k.rule].emits.size();
      for (const CompiledEmit& e : rules_[k.rule].emits) events |= e.layer == Layer::kEvent;
    }
    DateIndex dates;
    if (events) dates.Build(set, visible, m);
    // One reallocation at most: growing by doubling would move every earlier annotation
    // (~240 bytes each, into freshly faulted pages) once per doubling.
    GrowAnnotations(set.mutable_annotations(), set.annotations().size() + outputs);
    for (const Hit& k : kept) {
      size_t before = set.annotations().size();
      EmitMatch(*this, k, pool.data() + k.caps, doc, set, ph.name, m, dates);
      if (stats) stats->matches[k.rule] += set.annotations().size() - before;
    }
  }
  return Status();
}

std::vector<Match> RuleSet::FindMatches(const Document& doc, const AnnotationSet& set,
                                        int32_t rule, uint32_t sentence) const {
  Matcher m(*this, doc, set);
  m.Bucket(phases_[rules_[rule].phase], set.annotations().size());
  m.SetSentence(sentence);
  std::vector<Hit> hits;
  std::vector<int32_t> pool;
  uint64_t count = 0;
  (void)m.RuleMatches(rule, hits, pool, 0, count);
  std::vector<Match> out;
  for (const Hit& h : hits) {
    Match& mt = out.emplace_back();
    mt.rule = h.rule;
    mt.start = h.start;
    mt.end = h.end;
    mt.caps.assign(pool.begin() + h.caps, pool.begin() + h.caps + rules_[rule].prog.slots);
  }
  return out;
}

ExplainResult RuleSet::Explain(const Document& doc, const AnnotationSet& set, int32_t rule,
                               uint32_t sentence) const {
  Matcher m(*this, doc, set);
  m.Bucket(phases_[rules_[rule].phase], set.annotations().size());
  m.SetSentence(sentence);
  Matcher::Track track;
  ExplainResult r;
  std::vector<int32_t> caps;
  int32_t end = 0;
  r.matched = m.Search(rules_[rule].prog, 0, false, 1, &caps, &end, &track);
  if (r.matched) {
    r.start = m.base() + caps[0];
    r.reached = m.base() + end;
  } else {
    r.start = m.base() + std::max(0, track.start);
    r.reached = m.base() + std::max(0, track.best);
    r.failed_elements = track.failed;
  }
  return r;
}

int32_t RuleSet::FindRule(std::string_view name) const {
  for (size_t i = 0; i < rules_.size(); ++i)
    if (rules_[i].name == name) return static_cast<int32_t>(i);
  return -1;
}

}  // namespace quarry::internal::rules
