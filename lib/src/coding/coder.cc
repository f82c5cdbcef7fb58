// coding/coder.cc: dictionary-driven CAMEO event coding over tokens and actor annotations.
//
// Per sentence: (1) actors (entities and ACTORs; the longest at each place; same-span ACTORs are
// one actor with several codes) and their coordinations ("A, B and C"); (2) verb and noun
// triggers of the verb dictionary, leftmost-longest, never inside a name; (3) for each trigger,
// its reading (verbal or nominal), voice, modality and polarity from the words around it, its
// source and target by the clause rules of coding.h, its code from the best matching pattern of
// its block (most literal items matched; the first in the file on a tie) or the verb's or block's
// own code; (4) one event per (source, target) pair, and the reciprocal event of "X:Y" codes.
#include <algorithm>
#include <optional>

#include "coding/cameo.h"
#include "coding/coding.h"
#include "coding/words.h"
#include "rules/lemmatizer.h"

namespace quarry::internal::coding {
namespace {

struct Actor {
  uint32_t begin = 0, end = 0;   // tokens
  std::vector<uint32_t> anns;    // annotation indexes (several when same-span ACTORs)
  bool place_type = false;       // LOC, FAC: a place whatever the preposition
  int coord = -1;                // coordination group
  bool pronoun = false;          // "he", "she", "they": anns holds the antecedent
};

// The grammatical number of an actor annotation, for pronouns: 1 singular person ("the police
// commissioner", a PERSON), 2 plural or collective ("militants", "police"), 0 neither (a
// country, an organisation: "it").
int ActorNumber(const AnnotationSet& set, const Annotation& a) {
  if (a.type == "PERSON") return 1;
  if (a.type != "ACTOR" || a.end_token <= a.first_token) return 0;
  std::string_view head = set.Lower(set.tokens()[a.end_token - 1]);
  static constexpr std::string_view kCollective[] = {
      "police", "army", "military", "troops", "personnel", "people", "militia", "staff",
      "forces", "force", "administration", "government", "authorities", "crowd", "mob"};
  for (std::string_view c : kCollective)
    if (head == c) return c == "administration" || c == "government" ? 0 : 2;
  if (head.size() > 3 && head.ends_with("s") && !head.ends_with("ss")) return 2;
  return 1;
}

// Antecedents of "he"/"she" and "they" carried from earlier sentences: annotation indexes (or
// -1) and the sentence they were seen in.
struct Antecedents {
  int singular = -1, plural = -1;
  size_t singular_at = 0, plural_at = 0;
};

struct Trigger {
  uint32_t begin = 0, end = 0;
  // The dictionary entries of the form: a verb, a noun, or both ("attack"); the reading chooses.
  std::vector<std::pair<uint32_t, uint32_t>> entries;  // (block, entry)
  uint32_t block = 0, entry = 0;                        // the chosen one
};

// Which actors fill a role: usually one actor, or a coordination.
using Filler = std::vector<int>;  // actor indexes

class CoderStage final : public Stage {
 public:
  explicit CoderStage(std::shared_ptr<const CodingData> d) : data_(std::move(d)) {}
  std::string_view name() const override { return "coder"; }
  Status Run(const RunContext& ctx, AnnotationSet& set) const override;

 private:
  std::shared_ptr<const CodingData> data_;
};

// Verbs that only carry the event their object names: "staged a flag march", "held a
// protest", "carried out a raid", "launched a crackdown". The noun says what happened.
bool IsSupportVerb(std::string_view lemma) {
  return lemma == "stage" || lemma == "hold" || lemma == "conduct" || lemma == "carry" ||
         lemma == "mount" || lemma == "undertake" || lemma == "launch" || lemma == "organise" ||
         lemma == "organize" || lemma == "impose" || lemma == "clamp" || lemma == "enforce" ||
         lemma == "throw" || lemma == "lay";
}

// Prepositions that also open a clause: "after the police had failed to act".
bool OpensClause(std::string_view w) {
  return w == "after" || w == "before" || w == "since" || w == "until" || w == "till";
}

bool IsActorType(std::string_view t) {
  return t == "PERSON" || t == "ORG" || t == "GPE" || t == "NORP" || t == "ACTOR";
}

// Everything about one sentence the coder consults.
class SentenceCoder {
 public:
  // `in_sentence`: the indexes of the entity and timex annotations inside the sentence.
  // `vocab`, `masks`: per document token, its vocabulary entry (or null) and word classes;
  // `stamp`/`stamp_value`: presence marks of word ids, reused across sentences.
  SentenceCoder(const CodingData& data, const RunContext& ctx, AnnotationSet& set, const Sentence& s,
                const std::vector<uint32_t>& in_sentence,
                const std::vector<const CodingData::VocabEntry*>& vocab,
                const std::vector<uint32_t>& masks, std::vector<uint32_t>& stamp,
                uint32_t stamp_value, std::vector<Annotation>& out, const Antecedents& ante)
      : data_(data), ctx_(ctx), set_(set), toks_(set.tokens()), b_(s.first_token),
        e_(s.end_token), in_sentence_(in_sentence), vocab_(vocab), masks_(masks), stamp_(stamp),
        stamp_value_(stamp_value), out_(out), ante_(ante) {}

  void Run();
  // The antecedents this sentence offers the next ones: its first subject-like actor of each
  // number (not a place, not inside a prepositional phrase, not itself a pronoun).
  void UpdateAntecedents(Antecedents& ante, size_t sentence) const;

 private:
  std::string_view Lower(uint32_t t) const { return set_.Lower(toks_[t]); }
  bool WordIs(uint32_t t, std::string_view w) const { return t < e_ && Lower(t) == w; }

  void CollectActors();
  void CollectTriggers();
  void CodeTrigger(const Trigger& tr);
  std::string VerbLemma(const Trigger& trigger) const;
  bool Presupposes(const Trigger& trigger) const;
  void LinkAgentless(size_t first_event);

  // Actor index covering token t, or -1.
  int ActorAt(uint32_t t) const { return t >= b_ && t < e_ ? actor_of_[t - b_] : -1; }
  // The actor whose first token is t, or -1.
  int ActorBeginningAt(uint32_t t) const {
    int a = ActorAt(t);
    return a >= 0 && actors_[a].begin == t ? a : -1;
  }
  // The first token from t on that is no adverb (an auxiliary counts as none).
  uint32_t SkipAdverbs(uint32_t t) const {
    while (t < e_ && (M(t) & kWAdverb) && !(M(t) & kWAuxiliary)) ++t;
    return t;
  }
  bool InTimex(uint32_t t) const { return t >= b_ && t < e_ && in_timex_[t - b_]; }
  // The closed classes (coding/words.h) of token t, found once per sentence.
  uint32_t M(uint32_t t) const { return t >= b_ && t < e_ ? masks_[t] : 0; }
  // True when token t starts a verb or noun form of the dictionary.
  bool V(uint32_t t) const { return t < e_ && vocab_[t] && vocab_[t]->verbs; }
  // Actor starting at token t (after optional determiners), or -1.
  int ActorStartingAt(uint32_t t, uint32_t limit) const;
  // True when the actor is the object of a preposition; *prep is then the preposition's token.
  bool InPrepPhrase(int actor, uint32_t* prep = nullptr) const;
  bool IsGroupNoun(uint32_t of) const;
  // The event noun a verb acts on: the first trigger with a noun reading that starts within
  // four plain words from `from` ("launched an attack", "imposed prohibitory orders"), or null.
  const Trigger* EventNounAfter(uint32_t from) const;
  Filler Coordination(int actor) const;
  int SubjectOf(uint32_t verb_begin, uint32_t* scan_start);
  // `topic`: the verb's object is a topic ("discuss", "debate"): an actor in a "between" phrase
  // of it is discussed, not discussed with.
  int ObjectAfter(uint32_t from, uint32_t limit, bool visit, int* place, bool topic = false);
  int ActorAfterWord(uint32_t from, uint32_t limit, std::initializer_list<std::string_view> words);
  uint32_t ClauseEnd(uint32_t from) const;
  uint32_t ClauseStart(uint32_t from) const;
  bool MatchItem(const PatternItem& it, uint32_t t, uint32_t* end);
  bool MatchPattern(const VerbPattern& p, const Trigger& tr, uint32_t lo, uint32_t hi,
                    int* src, int* tgt, int* compound, int* literal);
  std::optional<int64_t> Fatalities(uint32_t region_begin, uint32_t region_end) const;
  uint32_t TimexIn(uint32_t b, uint32_t e) const;
  // The first noun phrase in [from, to) (backwards when `backwards`) whose head is a phrase of
  // synset `syn`, outside actors: [begin, end) with its modifiers, or {0, 0}.
  std::pair<uint32_t, uint32_t> PhraseOf(int syn, uint32_t from, uint32_t to, bool backwards);
  // Adds an OBJECT or WEAPON annotation over tokens [b, e) and returns its index.
  uint32_t AddThing(const char* type, std::pair<uint32_t, uint32_t> np);
  void Emit(const Trigger& tr, const std::string& code, const Filler& src, const Filler& tgt,
            int place, uint32_t time, uint32_t instrument, uint32_t object, Modality modality,
            bool negative, bool failed, bool nominal, bool passive,
            std::optional<int64_t> fatalities, const VerbPattern* pattern);

  const CodingData& data_;
  const RunContext& ctx_;
  AnnotationSet& set_;
  const std::vector<Token>& toks_;
  uint32_t b_, e_;
  const std::vector<uint32_t>& in_sentence_;
  const std::vector<const CodingData::VocabEntry*>& vocab_;
  const std::vector<uint32_t>& masks_;
  std::vector<uint32_t>& stamp_;  // per word id: stamp_value_ when the sentence holds the word
  uint32_t stamp_value_;
  std::vector<Annotation>& out_;
  const Antecedents& ante_;
  void AddPronouns();
  bool MayMatch(const std::vector<uint32_t>& required) const;
  std::vector<Actor> actors_;
  std::vector<int> actor_of_;
  std::vector<uint8_t> in_timex_;
  std::vector<std::vector<int>> coords_;
  std::vector<bool> coord_has_word_;  // per group: joined by a word (and, or, nor, as well as)
  std::vector<Trigger> triggers_;
  std::vector<uint32_t> timexes_;  // annotation indexes of DATE/TIME timexes in the sentence
  std::vector<uint32_t> places_;   // LOC/FAC annotation indexes (non-actor places)
  std::string implicit_source_;    // the agent code of an agentless event, for Emit
  bool fatal_ = false;             // the event killed someone (count in `fatalities` if known)
  bool passive_reverse_ = false;   // emitting a reciprocal event: fatal does not apply
};

bool SentenceCoder::MayMatch(const std::vector<uint32_t>& required) const {
  auto has = [&](uint32_t id) { return stamp_[id] == stamp_value_; };
  for (uint32_t r : required) {
    if (r & CodingData::kSynsetBase) {
      bool any = false;
      for (uint32_t id : data_.synset_first_words[r & ~CodingData::kSynsetBase])
        if (has(id)) {
          any = true;
          break;
        }
      if (!any) return false;
    } else if (!has(r)) {
      return false;
    }
  }
  return true;
}

void SentenceCoder::Run() {
  for (uint32_t t = b_; t < e_; ++t) {
    const CodingData::VocabEntry* v = vocab_[t];
    if (!v) continue;
    for (uint32_t id : {v->self, v->singular, v->singular2})
      if (id != CodingData::VocabEntry::kNone) stamp_[id] = stamp_value_;
  }
  CollectActors();
  CollectTriggers();
  const size_t first_event = out_.size();
  for (const Trigger& tr : triggers_) CodeTrigger(tr);
  LinkAgentless(first_event);
}

// An agentless violent passive takes its agent from the violent act that caused it, named in a
// "when"/"as" clause after it: "one person was killed when the police fired 15 rounds" (the
// killing is the police's, and the firing was fatal).
void SentenceCoder::LinkAgentless(size_t first_event) {
  auto violent = [](const Annotation& a) { return IsViolentCode(a.FeatureString("cameo")); };
  auto has_source = [](const Annotation& a) {
    for (const Argument& g : a.args)
      if (g.role == "source") return true;
    return false;
  };
  for (size_t i = first_event; i < out_.size(); ++i) {
    Annotation& a = out_[i];
    if (!violent(a) || has_source(a) || a.FeatureString("reading") != "passive" ||
        a.FindFeature("source_implicit"))
      continue;
    for (size_t j = i + 1; j < out_.size(); ++j) {
      const Annotation& b = out_[j];
      if (!violent(b) || !has_source(b) || b.first_token < a.end_token) continue;
      bool linked = false;
      for (uint32_t t = a.end_token; t < b.first_token && t < e_; ++t) {
        std::string_view w = Lower(t);
        if (w == "when" || w == "as" || w == "after") linked = true;
        if ((M(t) & kWHardBoundary) || w == ";") {
          linked = false;
          break;
        }
      }
      if (!linked) break;
      for (const Argument& g : b.args)
        if (g.role == "source") a.args.push_back(g);
      a.SetFeature("source_from", std::string("clause"));
      if (a.FindFeature("fatal") || a.FindFeature("fatalities")) {
        Annotation& cause = out_[j];
        if (!cause.FindFeature("fatal")) cause.SetFeature("fatal", true);
      }
      break;
    }
  }
}

void SentenceCoder::CollectActors() {
  actor_of_.assign(e_ - b_, -1);
  const auto& anns = set_.annotations();
  struct Cand {
    uint32_t b, e, idx;
    bool place;
  };
  std::vector<Cand> cands;
  for (uint32_t i : in_sentence_) {
    const Annotation& a = anns[i];
    if (a.first_token < b_ || a.end_token > e_ || a.first_token >= a.end_token) {
      if (a.layer == Layer::kTimex && a.first_token >= b_ && a.end_token <= e_ &&
          (a.type == "DATE" || a.type == "TIME"))
        timexes_.push_back(i);
      continue;
    }
    if (a.layer == Layer::kTimex) {
      if (a.type == "DATE" || a.type == "TIME") timexes_.push_back(i);
      continue;
    }
    if (a.layer != Layer::kEntity) continue;
    if (IsActorType(a.type)) {
      cands.push_back({a.first_token, a.end_token, i, false});
    } else if (a.type == "LOC" || a.type == "FAC") {
      cands.push_back({a.first_token, a.end_token, i, true});
    }
  }
  in_timex_.assign(e_ - b_, 0);
  for (uint32_t i : timexes_)
    for (uint32_t t = anns[i].first_token; t < anns[i].end_token; ++t)
      if (t >= b_ && t < e_) in_timex_[t - b_] = 1;
  // Longest first, then earlier; ACTORs before other types of the same span.
  std::sort(cands.begin(), cands.end(), [&](const Cand& x, const Cand& y) {
    if (x.e - x.b != y.e - y.b) return x.e - x.b > y.e - y.b;
    if (x.b != y.b) return x.b < y.b;
    bool xa = anns[x.idx].type == "ACTOR", ya = anns[y.idx].type == "ACTOR";
    if (xa != ya) return xa;
    return x.idx < y.idx;
  });
  for (const Cand& c : cands) {
    bool free = true;
    int same = -1;
    for (uint32_t t = c.b; t < c.e; ++t) {
      int o = actor_of_[t - b_];
      if (o < 0) continue;
      if (actors_[o].begin == c.b && actors_[o].end == c.e && anns[c.idx].type == "ACTOR" &&
          anns[actors_[o].anns[0]].type == "ACTOR") {
        same = o;
      } else {
        free = false;
      }
      break;
    }
    if (same >= 0) {
      actors_[same].anns.push_back(c.idx);
      continue;
    }
    if (!free) continue;
    Actor a;
    a.begin = c.b;
    a.end = c.e;
    a.anns.push_back(c.idx);
    a.place_type = c.place;
    int id = static_cast<int>(actors_.size());
    actors_.push_back(std::move(a));
    for (uint32_t t = c.b; t < c.e; ++t) actor_of_[t - b_] = id;
  }
  std::sort(actors_.begin(), actors_.end(),
            [](const Actor& x, const Actor& y) { return x.begin < y.begin; });
  for (int i = 0; i < static_cast<int>(actors_.size()); ++i)
    for (uint32_t t = actors_[i].begin; t < actors_[i].end; ++t) actor_of_[t - b_] = i;
  // Coordinations: actors separated only by ',', 'and', 'or', 'nor', 'as well as', determiners
  // and at most two modifier words ("Arnor and the evil awful Gondor").
  for (int i = 0; i + 1 < static_cast<int>(actors_.size()); ++i) {
    const Actor& x = actors_[i];
    const Actor& y = actors_[i + 1];
    if (x.place_type != y.place_type) continue;
    bool has_conj = false, ok = y.begin > x.end && y.begin - x.end <= 6;
    int modifiers = 0;
    bool word_conj = false;
    for (uint32_t t = x.end; ok && t < y.begin; ++t) {
      std::string_view w = Lower(t);
      if (w == "," || w == "and" || w == "or" || w == "nor" || w == "&") {
        has_conj = true;
        word_conj |= w != ",";
      } else if (w == "as" || w == "well" || w == "the" || w == "a" || w == "an") {
        if (w == "well") has_conj = word_conj = true;
      } else if (toks_[t].kind == TokenKind::kWord && !IsPreposition(w) && !IsAuxiliary(w) &&
                 !IsSubordinator(w) && modifiers < 2 && !V(t)) {
        ++modifiers;
      } else {
        ok = false;
      }
    }
    if (!ok || !has_conj) continue;
    int g = x.coord;
    if (g < 0) {
      g = static_cast<int>(coords_.size());
      coords_.push_back({i});
      coord_has_word_.push_back(false);
      actors_[i].coord = g;
    }
    coords_[g].push_back(i + 1);
    coord_has_word_[g] = coord_has_word_[g] || word_conj;
    actors_[i + 1].coord = g;
  }
  // A list is closed by a word ("A, B and C"); commas alone join no actors: "In Surat, police
  // said", "Iran, the largest Shia power, ...".
  for (size_t g = 0; g < coords_.size(); ++g) {
    if (coord_has_word_[g]) continue;
    for (int i : coords_[g]) actors_[i].coord = -1;
    coords_[g].clear();
  }
  AddPronouns();
}

// Subject pronouns become actors standing for their antecedent: the nearest actor of the same
// number earlier in the sentence ("the commissioner said he had ordered"), else the first
// subject-like actor of the last sentences that had one ("The police commissioner banned the
// channels. He also ..."). "It" only after a reporting verb, as the organisation that reports
// ("the army said it killed"); "we" is left alone.
void SentenceCoder::AddPronouns() {
  const auto& anns = set_.annotations();
  std::vector<Actor> added;
  for (uint32_t t = b_; t < e_; ++t) {
    if (actor_of_[t - b_] >= 0 || toks_[t].kind != TokenKind::kWord) continue;
    std::string_view w = Lower(t);
    int number = w == "he" || w == "she" ? 1 : w == "they" ? 2 : 0;
    int ann = -1;
    if (w == "it") {
      // "The army said it killed 20 militants", "Hamas said that it fired rockets": "it" after
      // a reporting verb is the organisation, country or force that reports.
      uint32_t k = t;
      if (k > b_ && Lower(k - 1) == "that") --k;
      if (k == b_ || !(M(k - 1) & kWReporting)) continue;
      int s = SubjectOf(k - 1, nullptr);
      if (s < 0 || actors_[s].pronoun || actors_[s].place_type ||
          ActorNumber(set_, anns[actors_[s].anns[0]]) == 1)
        continue;
      ann = static_cast<int>(actors_[s].anns[0]);
    }
    if (!number && ann < 0) continue;
    for (int i = static_cast<int>(actors_.size()); number && ann < 0 && i-- > 0;) {
      const Actor& a = actors_[i];
      if (a.end > t || a.place_type || InPrepPhrase(i)) continue;
      if (ActorNumber(set_, anns[a.anns[0]]) == number) {
        ann = static_cast<int>(a.anns[0]);
        break;
      }
    }
    if (ann < 0 && number) ann = number == 1 ? ante_.singular : ante_.plural;
    if (ann < 0) continue;
    Actor a;
    a.begin = t;
    a.end = t + 1;
    a.anns.push_back(static_cast<uint32_t>(ann));
    a.pronoun = true;
    added.push_back(std::move(a));
  }
  if (added.empty()) return;
  // Coordination groups hold actor indexes: renumber them with the pronouns merged in by place.
  std::vector<Actor> merged;
  std::vector<int> new_index(actors_.size());
  size_t j = 0;
  for (size_t i = 0; i < actors_.size(); ++i) {
    while (j < added.size() && added[j].begin < actors_[i].begin) merged.push_back(added[j++]);
    new_index[i] = static_cast<int>(merged.size());
    merged.push_back(actors_[i]);
  }
  while (j < added.size()) merged.push_back(added[j++]);
  for (auto& g : coords_)
    for (int& i : g) i = new_index[static_cast<size_t>(i)];
  actors_ = std::move(merged);
  for (int i = 0; i < static_cast<int>(actors_.size()); ++i)
    for (uint32_t t = actors_[i].begin; t < actors_[i].end; ++t) actor_of_[t - b_] = i;
}

void SentenceCoder::UpdateAntecedents(Antecedents& ante, size_t sentence) const {
  const auto& anns = set_.annotations();
  bool singular = false, plural = false;
  for (int i = 0; i < static_cast<int>(actors_.size()); ++i) {
    const Actor& a = actors_[i];
    if (a.pronoun || a.place_type || InPrepPhrase(i)) continue;
    int n = ActorNumber(set_, anns[a.anns[0]]);
    if (n == 1 && !singular) {
      ante.singular = static_cast<int>(a.anns[0]);
      ante.singular_at = sentence;
      singular = true;
    } else if (n == 2 && !plural) {
      ante.plural = static_cast<int>(a.anns[0]);
      ante.plural_at = sentence;
      plural = true;
    }
  }
  // An antecedent not mentioned again for three sentences is forgotten.
  if (ante.singular >= 0 && sentence - ante.singular_at >= 3) ante.singular = -1;
  if (ante.plural >= 0 && sentence - ante.plural_at >= 3) ante.plural = -1;
}

void SentenceCoder::CollectTriggers() {
  // Is the text mostly lower-case (web text, some news feeds)? Then capitals say little.
  for (uint32_t t = b_; t < e_;) {
    if (actor_of_[t - b_] >= 0 || in_timex_[t - b_]) {
      ++t;
      continue;
    }
    // A capitalised word inside a sentence is a name or a title ("the former Head of"), not a
    // verb; the first word of a sentence may be either.
    if (t > b_ && toks_[t].kind == TokenKind::kWord) {
      std::string_view raw = ctx_.doc.Slice(toks_[t].span);
      if (!raw.empty() && raw[0] >= 'A' && raw[0] <= 'Z' && !toks_[t - 1].Has(kNewlineBefore) &&
          !(M(t - 1) & kWHardBoundary) && Lower(t - 1) != "\"" && Lower(t - 1) != "“") {
        ++t;
        continue;
      }
    }
    const std::vector<PhraseIndex::Item>* forms = vocab_[t] ? vocab_[t]->verbs : nullptr;
    bool found = false;
    if (forms) {
      for (const auto& item : *forms) {
        const Phrase& p = item.phrase;
        if (t + p.size() > e_) continue;
        bool ok = true;
        for (size_t k = 0; k < p.size() && ok; ++k)
          ok = Lower(t + k) == p[k] &&
               (actor_of_[t + k - b_] < 0 || (k > 0 && data_.verbs.blocks[item.a].failure));
        if (!ok) continue;
        if (!found) {
          triggers_.push_back(Trigger{t, static_cast<uint32_t>(t + p.size()), {}, 0, 0});
          found = true;
        } else if (p.size() != triggers_.back().end - t) {
          break;  // only the entries of the longest form
        }
        triggers_.back().entries.push_back({item.a, item.b});
      }
      if (found) {
        t = triggers_.back().end;
        continue;
      }
    }
    if (!found) ++t;
  }
}

int SentenceCoder::ActorStartingAt(uint32_t t, uint32_t limit) const {
  while (t < limit && t < e_ && (Lower(t) == "the" || Lower(t) == "a" || Lower(t) == "an")) ++t;
  if (t >= limit || t >= e_) return -1;
  if (ActorAt(t) >= 0) return ActorBeginningAt(t);
  // Determiners, numbers and up to two modifiers before the actor: "by some very nervous
  // police officials", "on two armed constables".
  int modifiers = 0;
  for (uint32_t k = t; k < limit && k < e_ && k < t + 5; ++k) {
    if (ActorAt(k) >= 0) return ActorBeginningAt(k);
    if ((M(k) & kWDeterminer) || (M(k) & kWAdverb) || toks_[k].kind == TokenKind::kNumber ||
        ParseCount(Lower(k)))
      continue;
    // A group of the actor: "by a group of terrorists", "by a posse of policemen".
    if (Lower(k) == "of" && k > t && IsGroupNoun(k)) continue;
    // A participle is a modifier only right before the actor ("armed constables").
    bool participle = V(k) && ActorBeginningAt(k + 1) >= 0;
    if (toks_[k].kind != TokenKind::kWord || (V(k) && !participle) || ++modifiers > 2 ||
        (M(k) & (kWPreposition | kWAuxiliary | kWCoordinator | kWSubordinator | kWBe)))
      return -1;
  }
  return -1;
}

const Trigger* SentenceCoder::EventNounAfter(uint32_t from) const {
  for (uint32_t k = from, steps = 0; k < e_ && steps < 4; ++k, ++steps) {
    for (const Trigger& other : triggers_) {
      if (other.begin != k) continue;
      for (auto [b, e] : other.entries)
        if (data_.verbs.blocks[b].entries[e].noun) return &other;
    }
    // Plain words, numbers and hyphens of compound modifiers ("a three-tier security cordon").
    bool modifier = toks_[k].kind == TokenKind::kWord || toks_[k].kind == TokenKind::kNumber ||
                    Lower(k) == "-";
    if (ActorAt(k) >= 0 || !modifier || (M(k) & kWPreposition) || V(k)) break;
  }
  return nullptr;
}

bool SentenceCoder::IsGroupNoun(uint32_t of) const {
  // The noun before "of" (token `of`): a group, unit or quantity of the actor that follows.
  if (of == b_) return false;
  std::string_view w = Lower(of - 1);
  if (IsGroupNounWord(w)) return true;
  return toks_[of - 1].kind == TokenKind::kNumber || ParseCount(w);
}

bool SentenceCoder::InPrepPhrase(int actor, uint32_t* prep) const {
  uint32_t t = actors_[actor].begin;
  // The first member of its coordination decides.
  if (actors_[actor].coord >= 0) t = actors_[coords_[actors_[actor].coord][0]].begin;
  // Determiners and up to two modifiers ("in south Ithilen", "of the northern Gondor").
  int modifiers = 0;
  while (t > b_) {
    std::string_view w = Lower(t - 1);
    if (w == "the" || w == "a" || w == "an") {
      --t;
    } else if (modifiers < 2 && toks_[t - 1].kind == TokenKind::kWord && ActorAt(t - 1) < 0 &&
               !(M(t - 1) & kWPreposition) && !(M(t - 1) & kWAuxiliary) && !(M(t - 1) & kWCoordinator) && !(M(t - 1) & kWSubordinator) &&
               !(M(t - 1) & kWDeterminer) && !V(t) &&
               t >= 2 + b_ && ((M(t - 2) & kWPreposition) || Lower(t - 2) == "the")) {
      --t;
      ++modifiers;
    } else {
      break;
    }
  }
  bool in = t > b_ && (M(t - 1) & kWPreposition);
  // "after the police had failed to act": after, before, since and until open a clause when
  // the actor is followed by an auxiliary or a past-tense verb; the actor is its subject.
  if (in) {
    if (OpensClause(Lower(t - 1))) {
      uint32_t k = SkipAdverbs(actors_[actor].end);
      if (k < e_ && ((M(k) & (kWAuxiliary | kWBe)) ||
                     (V(k) && !(M(k) & kWPreposition) && Lower(k).ends_with("ed"))))
        in = false;
    }
  }
  if (in && prep) *prep = t - 1;
  return in;
}

Filler SentenceCoder::Coordination(int actor) const {
  if (actor < 0) return {};
  if (actors_[actor].coord < 0) return {actor};
  return coords_[actors_[actor].coord];
}

uint32_t SentenceCoder::ClauseEnd(uint32_t from) const {
  for (uint32_t t = from; t < e_; ++t) {
    std::string_view w = Lower(t);
    if ((M(t) & kWHardBoundary)) return t;
    // ", who ...", ", which ...", ", while ..."
    if (w == "," && t + 1 < e_) {
      std::string_view n = Lower(t + 1);
      if (n == "who" || n == "which" || n == "whom" || n == "whose" || n == "while" ||
          n == "but" || n == "although" || n == "though" || n == "whereas")
        return t;
    }
  }
  return e_;
}

uint32_t SentenceCoder::ClauseStart(uint32_t from) const {
  for (uint32_t t = from; t > b_; --t)
    if ((M(t - 1) & kWHardBoundary)) return t;
  return b_;
}

int SentenceCoder::SubjectOf(uint32_t verb_begin, uint32_t* scan_start) {
  // The subject is the noun phrase before the verb (auxiliaries, negation, adverbs and
  // comma-delimited asides between them skipped). When that phrase is an actor not inside a
  // prepositional phrase, it is the source; when it is another noun ("crowds trashed its
  // embassy", "a step that holds"), the verb has no actor subject. A relative pronoun defers to
  // its antecedent; a coordinator before the verb ("... and killed") to the previous verb's
  // subject.
  uint32_t t = verb_begin;
  bool crossed_coordination = false;
  int commas = 0;
  auto done = [&](int a, uint32_t at) {
    if (scan_start) *scan_start = at;
    return a;
  };
  while (t > b_) {
    --t;
    std::string_view w = Lower(t);
    // A parenthetical between the subject and its verb: "the Rapid Support Forces (RSF)
    // attacked", "the rebels (mostly young men) attacked".
    if (w == ")") {
      uint32_t open = t;
      while (open > b_ && t - open < 10 && Lower(open) != "(") --open;
      if (Lower(open) == "(" && open > b_) {
        t = open;
        continue;
      }
    }
    // The closing quote of a quoted name: "the \"Zarate Willka Armed Forces of Liberation,\" a
    // group ..., has claimed".
    if ((w == "\"" || w == "”" || w == "''") && t > b_) {
      uint32_t q = Lower(t - 1) == "," && t > b_ + 1 ? t - 1 : t;
      if (ActorAt(q - 1) >= 0) continue;
    }
    if ((M(t) & kWHardBoundary)) break;
    int a = ActorAt(t);
    if (a >= 0) {
      t = actors_[a].begin;
      uint32_t prep = t;
      const bool in_pp = !actors_[a].place_type && InPrepPhrase(a, &prep);
      // "with the police twiddling their thumbs": the actor after "with" is the subject of
      // the -ing verb right after it.
      if (in_pp && Lower(prep) == "with" && commas == 0 && !crossed_coordination &&
          SkipAdverbs(actors_[a].end) == verb_begin && Lower(verb_begin).ends_with("ing"))
        return done(a, t);
      if (in_pp && Lower(prep) == "of" && commas == 0 && !crossed_coordination &&
          IsGroupNoun(prep)) {
        // "a posse of policemen were deployed", "eight battalions of the state reserve police
        // have been deployed": the group is the actor it is made of.
        return done(a, prep > b_ ? prep - 1 : prep);
      }
      if (actors_[a].place_type || in_pp) {
        // "Soldiers from Gondor" is one ACTOR; a bare place or PP actor before the verb is part
        // of an adverbial or modifies the subject ("a sub-inspector of the bomb squad told"):
        // keep looking before its preposition.
        t = prep;
        continue;
      }
      // An actor right after another verb, with a coordinator between it and our verb, is that
      // verb's object ("Arnor attacked Mordor and killed ..."): keep looking.
      if (crossed_coordination && t > b_) {
        uint32_t p = t;
        while (p > b_ && ((M(p - 1) & kWDeterminer) || toks_[p - 1].kind == TokenKind::kNumber ||
                          ParseCount(Lower(p - 1)) || Lower(p - 1) == "close" ||
                          Lower(p - 1) == "to" || Lower(p - 1) == "about" ||
                          Lower(p - 1) == "least" || Lower(p - 1) == "at" ||
                          Lower(p - 1) == "nearly" || Lower(p - 1) == "over") &&
                         t - p < 5)
          --p;
        // ... and a modifier after a determiner: "informed the city police".
        if (p > b_ + 1 && toks_[p - 1].kind == TokenKind::kWord && !V(p - 1) && ActorAt(p - 1) < 0 &&
            !(M(p - 1) & (kWPreposition | kWAuxiliary | kWCoordinator | kWSubordinator)) &&
            (M(p - 2) & kWDeterminer)) {
          p -= 2;
        }
        // ... unless a verb group of its own follows it: "data showed the police had arrested
        // 4,000 rioters, and shot dead 98" (the police is the subject of "had arrested").
        uint32_t after = SkipAdverbs(actors_[a].end);
        bool own_verb = after < verb_begin && ((M(after) & (kWAuxiliary | kWBe)) || V(after));
        if (!own_verb && p > b_ && (V(p - 1) || Lower(p - 1).ends_with("ed"))) continue;
      }
      if (actors_[a].coord >= 0) t = actors_[coords_[actors_[a].coord][0]].begin;
      return done(a, t);
    }
    if (w == "to") {
      // "is about to restore", "plans to meet", "were ready to sign": the controlling word belongs
      // to the verb chain; the subject is that of the control verb.
      if (t > b_ && toks_[t - 1].kind == TokenKind::kWord && ActorAt(t - 1) < 0) --t;
      continue;
    }
    if ((M(t) & kWAuxiliary) || (M(t) & kWNegation) || (M(t) & kWAdverb)) continue;
    // Time adjuncts between subject and verb: "Arnor on Thursday signed", "Iraq last week said".
    auto year = [&](uint32_t k) {
      std::string_view y = Lower(k);
      return toks_[k].kind == TokenKind::kNumber && y.size() == 4 && (y[0] == '1' || y[0] == '2');
    };
    if ((M(t) & kWTime) || InTimex(t) || year(t)) {
      while (t > b_ && ((M(t - 1) & kWTime) || InTimex(t - 1) || year(t - 1))) --t;
      if (t > b_ && (Lower(t - 1) == "on" || Lower(t - 1) == "in" || Lower(t - 1) == "at" ||
                     Lower(t - 1) == "since" || Lower(t - 1) == "during"))
        --t;
      continue;
    }
    if (w == ",") {
      ++commas;
      continue;
    }
    if (w == "and" || w == "but" || w == "then" || w == "or") {
      crossed_coordination = true;
      continue;
    }
    if (w == "who" || w == "which" || w == "that") {
      // A relative clause: the antecedent decides (", who", "militants that ...").
      uint32_t k = t;
      if (k > b_ && Lower(k - 1) == ",") --k;
      if (k > b_ && ActorAt(k - 1) >= 0) {
        int ant = ActorAt(k - 1);
        uint32_t s0 = actors_[ant].coord >= 0 ? actors_[coords_[actors_[ant].coord][0]].begin
                                              : actors_[ant].begin;
        return done(ant, s0);
      }
      if (w == "that" && !(t + 1 == verb_begin)) break;  // "said that": a complement clause
      return done(-1, t);
    }
    if (crossed_coordination || commas > 0) continue;  // inside an earlier clause or an aside
    // A noun right before the verb: the subject is that noun. When an actor modifies it
    // ("Caras Galadhon's new mayor", "Calenardhon villagers"), the actor is the source.
    if (toks_[t].kind == TokenKind::kWord || toks_[t].kind == TokenKind::kNumber ||
        Lower(t) == ")") {
      // The words of a name after a title ("police commissioner Upendra Singh": lower-cased
      // text has no capitals to tell it), up to three, and a parenthetical ("superintendent of
      // police (south) B L Soni said").
      uint32_t k = Lower(t) == ")" ? t + 1 : t;
      for (int words = 0; k > b_ && words < 3; ++words) {
        if (Lower(k - 1) == ")") {
          uint32_t open = k - 1;
          while (open > b_ && k - open < 8 && Lower(open) != "(") --open;
          if (Lower(open) != "(") break;
          k = open;
          --words;  // a parenthetical is no word of the name
          continue;
        }
        std::string_view x = Lower(k - 1);
        if (x == "'s" || x == "’s") {
          --k;
          break;
        }
        if (ActorAt(k - 1) >= 0) break;
        // An initial that spells a function word ("a k mitra") is still an initial.
        bool initial = x.size() == 1 && Lower(k).size() == 1 && toks_[k].kind == TokenKind::kWord;
        if (initial) {
          --k;
          continue;
        }
        if (toks_[k - 1].kind != TokenKind::kWord || (M(k - 1) & kWDeterminer) || (M(k - 1) & kWPreposition) ||
            (M(k - 1) & kWAuxiliary) || (M(k - 1) & kWCoordinator) || (M(k - 1) & kWSubordinator) ||
            V(k - 1))
          break;
        --k;
      }
      if (k > b_ && ActorAt(k - 1) >= 0) {
        int a = ActorAt(k - 1);
        if (!actors_[a].place_type && !InPrepPhrase(a)) return done(a, actors_[a].begin);
      }
      // A prepositional phrase after the subject: "security forces across the country were
      // put on alert", "police in the district arrested". "Of" heads no such phrase ("leaders
      // of the community said": the leaders are the subject).
      {
        uint32_t q = t + 1;
        int words = 0;
        while (q > b_ && words < 4 && toks_[q - 1].kind == TokenKind::kWord && ActorAt(q - 1) < 0 &&
               !V(q - 1) && !(M(q - 1) & (kWPreposition | kWAuxiliary | kWCoordinator |
                                          kWSubordinator))) {
          --q;
          ++words;
        }
        if (words > 0 && q > b_ + 1 && (M(q - 1) & kWPreposition) && Lower(q - 1) != "of" &&
            !OpensClause(Lower(q - 1)) && ActorAt(q - 2) >= 0) {
          int a = ActorAt(q - 2);
          if (!actors_[a].place_type && !InPrepPhrase(a)) return done(a, actors_[a].begin);
        }
      }
      // The name in apposition to a title that opens the clause: "director general of police,
      // D C Vajpai, said" (lower-cased: "..., d c vajpai said").
      if (k > b_ + 1 && Lower(k - 1) == "," && ActorAt(k - 2) >= 0) {
        int a = ActorAt(k - 2);
        uint32_t p = actors_[a].begin;
        while (p > b_ && (M(p - 1) & kWDeterminer)) --p;
        bool opens = p == b_ || (M(p - 1) & kWHardBoundary) || Lower(p - 1) == ",";
        if (opens && !actors_[a].place_type && !InPrepPhrase(a)) return done(a, p);
      }
      return done(-1, t);
    }
  }
  return done(-1, t);
}

int SentenceCoder::ObjectAfter(uint32_t from, uint32_t limit, bool visit, int* place, bool topic) {
  for (uint32_t t = from; t < limit; ++t) {
    int a = ActorAt(t);
    if (a < 0) {
      // Another clause with its own subject and verb: "..., officials said", "intelligence
      // gathered at the time suggests that ...".
      if ((M(t) & kWReporting) && t > from) return -1;
      if (t > from && V(t) && !(M(t - 1) & (kWDeterminer | kWPreposition)) &&
          Lower(t - 1) != "to" && Lower(t).ends_with("s") == false && !Lower(t).ends_with("ing"))
        return -1;
      continue;
    }
    t = actors_[a].end - 1;
    bool locative = false;
    uint32_t p = actors_[a].begin;
    while (p > from && (M(p - 1) & kWDeterminer)) --p;
    // ", a senior official said": the subject of another clause, not an object.
    {
      uint32_t q = p;
      while (q > from && toks_[q - 1].kind == TokenKind::kWord && ActorAt(q - 1) < 0 &&
             !(M(q - 1) & kWPreposition) && !(M(q - 1) & kWCoordinator) && p - q < 3)
        --q;
      uint32_t n = actors_[a].end;
      while (n < e_ && (M(n) & kWAdverb)) ++n;
      if (q > from && Lower(q - 1) == "," && n < e_ && (M(n) & kWReporting)) return -1;
    }
    // Members of a relation the topic names: "discusses the relations between Iran, the
    // Taliban and Al-Qaeda" (they are not whom the author discusses with).
    if (topic && p > from + 1 && (Lower(p - 1) == "between" || Lower(p - 1) == "among") &&
        toks_[p - 2].kind == TokenKind::kWord && !V(p - 2) && ActorAt(p - 2) < 0)
      return -1;
    if (p > from && (M(p - 1) & kWLocative)) locative = true;
    if (actors_[a].place_type || (locative && !visit)) {
      if (place && *place < 0) *place = a;
      continue;
    }
    return a;
  }
  return -1;
}

int SentenceCoder::ActorAfterWord(uint32_t from, uint32_t limit,
                                  std::initializer_list<std::string_view> words) {
  for (uint32_t t = from; t + 1 < limit; ++t) {
    if (ActorAt(t) >= 0) continue;
    std::string_view w = Lower(t);
    if ((M(t) & kWHardBoundary)) return -1;
    if (std::find(words.begin(), words.end(), w) == words.end()) continue;
    int a = ActorStartingAt(t + 1, limit);
    if (a >= 0 && !actors_[a].place_type) return a;
  }
  return -1;
}

bool SentenceCoder::MatchItem(const PatternItem& it, uint32_t t, uint32_t* end) {
  if (t >= e_ || InTimex(t)) return false;  // "on March 12" is a date, not a march
  switch (it.kind) {
    case PatternItem::Kind::kWord: {
      // The word itself or its regular plural (PETRARCH matches whole words, not stems).
      std::string_view w = Lower(t);
      const std::string& p = it.word;
      bool ok = w == p;
      if (!ok && w.size() > p.size() && w.compare(0, p.size(), p) == 0) {
        std::string_view rest = w.substr(p.size());
        ok = rest == "s" || rest == "es";
      }
      if (!ok && p.size() > 1 && p.back() == 'y' && w.size() == p.size() + 2 &&
          w.compare(0, p.size() - 1, p, 0, p.size() - 1) == 0 && w.ends_with("ies"))
        ok = true;
      if (ok) {
        *end = t + 1;
        return true;
      }
      return false;
    }
    case PatternItem::Kind::kSynset: {
      const auto& firsts = data_.synset_first_words[it.synset];
      uint32_t id = vocab_[t] ? vocab_[t]->self : UINT32_MAX;
      if (id == UINT32_MAX || !std::binary_search(firsts.begin(), firsts.end(), id)) return false;
      for (const Phrase& p : data_.verbs.synsets[it.synset].phrases) {
        if (t + p.size() > e_) continue;
        bool ok = true;
        for (size_t k = 0; k < p.size() && ok; ++k) ok = Lower(t + k) == p[k];
        if (ok) {
          *end = t + static_cast<uint32_t>(p.size());
          return true;
        }
      }
      return false;
    }
    default:
      return false;
  }
}

bool SentenceCoder::MatchPattern(const VerbPattern& p, const Trigger& tr, uint32_t lo, uint32_t hi,
                                 int* src, int* tgt, int* compound, int* literal) {
  *literal = 0;
  *src = *tgt = *compound = -1;
  // After the verb, left to right; each item at the first place it matches.
  uint32_t pos = tr.end;
  for (size_t i = 0; i < p.after.size(); ++i) {
    const PatternItem& it = p.after[i];
    bool joined = i == 0 ? p.verb_joined_after : it.joined;
    bool slot = it.kind == PatternItem::Kind::kSource || it.kind == PatternItem::Kind::kTarget ||
                it.kind == PatternItem::Kind::kCompound;
    bool found = false;
    // Inside a phrase, determiners may come between the words ("over the efforts").
    uint32_t start = pos;
    if (joined)
      while (start < hi && (M(start) & kWDeterminer) && !(it.kind == PatternItem::Kind::kWord &&
                                                           Lower(start) == it.word))
        ++start;
    for (uint32_t t = start; t < hi; ++t) {
      if (slot) {
        int a = ActorStartingAt(t, hi);
        if (a >= 0) {
          (it.kind == PatternItem::Kind::kSource ? *src
           : it.kind == PatternItem::Kind::kTarget ? *tgt : *compound) = a;
          pos = actors_[a].end;
          found = true;
        }
      } else {
        uint32_t end = 0;
        // A word of the pattern is the verb's object or a word the pattern itself places; one
        // inside a prepositional phrase the pattern does not name is not it ("arrested ...
        // towards the city" is no "* &TOWN", the capture of a town).
        uint32_t d = t;
        while (d > pos && (M(d - 1) & kWDeterminer)) --d;
        bool in_pp = !joined && d > pos && (M(d - 1) & kWPreposition) && Lower(d - 1) != "of";
        // After a reporting verb, a noun followed by its own verb is the subject of the clause
        // reported, not the verb's object: "police said the attacks were carried out" is no
        // "* attack".
        // Nor is a verb of that clause ("Iran said that it would attack Israel").
        auto subject_of_clause = [&](uint32_t b, uint32_t e) {
          if (!(M(tr.begin) & kWReporting)) return false;
          if (b > pos && (M(b - 1) & kWAuxiliary)) return true;
          // Past "that" or the reported clause's own verb: "reported that ... terrorists
          // staged three bomb attacks".
          for (uint32_t j = tr.end; j < b; ++j)
            if (Lower(j) == "that" || (V(j) && ActorAt(j) < 0)) return true;
          return e < hi && ((M(e) & (kWAuxiliary | kWBe)) || (V(e) && !(M(e) & kWPreposition)));
        };
        if (!in_pp && MatchItem(it, t, &end) && !subject_of_clause(t, end)) {
          pos = end;
          found = true;
          ++*literal;
        }
      }
      if (found || joined) break;
    }
    if (!found) {
      if (slot) continue;  // an actor slot with no actor there: the default role finding stays
      return false;
    }
  }
  // Before the verb, right to left.
  uint32_t lim = tr.begin;  // items must end at or before lim
  for (size_t i = p.before.size(); i-- > 0;) {
    const PatternItem& it = p.before[i];
    bool joined = i + 1 == p.before.size() ? p.verb_joined_before : p.before[i + 1].joined;
    bool slot = it.kind != PatternItem::Kind::kWord && it.kind != PatternItem::Kind::kSynset;
    bool found = false;
    for (uint32_t t = lim; t-- > lo;) {
      if (slot) {
        int a = ActorAt(t);
        if (a >= 0 && actors_[a].end <= lim) {
          (it.kind == PatternItem::Kind::kSource ? *src
           : it.kind == PatternItem::Kind::kTarget ? *tgt : *compound) = a;
          lim = actors_[a].begin;
          found = true;
        }
      } else {
        uint32_t end = 0;
        if (MatchItem(it, t, &end) && end <= lim) {
          lim = t;
          found = true;
          ++*literal;
        }
      }
      if (found || joined) break;
      // Skipping auxiliaries between the verb and a joined-before word is fine only for slots.
    }
    if (!found) {
      if (slot) continue;
      return false;
    }
  }
  return true;
}

std::optional<int64_t> SentenceCoder::Fatalities(uint32_t rb, uint32_t re) const {
  // "killed 33 separatists", "33 people were killed", "killing at least 12", "left five dead".
  for (uint32_t t = rb; t < re && t < rb + 5; ++t) {
    std::string_view w = Lower(t);
    if (w == "at" || w == "least" || w == "some" || w == "about" || w == "nearly" || w == "more" ||
        w == "than" || w == "over" || w == "around" || w == "almost" || w == "up" || w == "to")
      continue;
    if (auto n = ParseCount(w); n && !(w == "a" || w == "an")) {
      // A year or a count of something else ("killed in 2020") is not a death toll.
      if (*n >= 1000 && t > rb && Lower(t - 1) == "in") return std::nullopt;
      return n;
    }
    if (toks_[t].kind == TokenKind::kWord && !(M(t) & kWDeterminer)) return std::nullopt;
  }
  return std::nullopt;
}

std::pair<uint32_t, uint32_t> SentenceCoder::PhraseOf(int syn, uint32_t from, uint32_t to,
                                                      bool backwards) {
  if (syn < 0 || from >= to) return {0, 0};
  PatternItem it;
  it.kind = PatternItem::Kind::kSynset;
  it.synset = static_cast<uint32_t>(syn);
  auto at = [&](uint32_t t) -> std::pair<uint32_t, uint32_t> {
    uint32_t end = 0;
    if (ActorAt(t) >= 0 || !MatchItem(it, t, &end) || end > to) return {0, 0};
    // Longest phrase at t ("power station" over "power").
    // Its modifiers: plain words, and one actor naming whose thing it is ("the Antioquia
    // liqueur plant", "an Avianca airlines plane").
    uint32_t k = t;
    bool crossed_actor = false;
    while (k > from && toks_[k - 1].kind != TokenKind::kPunctuation &&
           !(M(k - 1) & (kWDeterminer | kWPreposition | kWAuxiliary | kWCoordinator |
                         kWSubordinator | kWHardBoundary)) &&
           !V(k - 1) && t - k < 4) {
      // Relative pronouns and quantity words are no modifiers: "which six armored vehicles",
      // "at least 10 buses", "more than 20 houses".
      std::string_view w = Lower(k - 1);
      if (w == "which" || w == "who" || w == "whose" || w == "that" || w == "least" ||
          w == "than" || w == "most")
        break;
      int a = ActorAt(k - 1);
      if (a >= 0) {
        if (crossed_actor || actors_[a].begin < from) break;
        crossed_actor = true;
        k = actors_[a].begin;
        continue;
      }
      --k;
    }
    return {k, end};
  };
  if (backwards) {
    for (uint32_t t = to; t-- > from;)
      if (auto r = at(t); r.second) return r;
  } else {
    for (uint32_t t = from; t < to; ++t)
      if (auto r = at(t); r.second) return r;
  }
  return {0, 0};
}

uint32_t SentenceCoder::AddThing(const char* type, std::pair<uint32_t, uint32_t> np) {
  Annotation a;
  a.layer = Layer::kOther;
  a.type = type;
  a.span = Span{toks_[np.first].span.begin, toks_[np.second - 1].span.end};
  a.first_token = np.first;
  a.end_token = np.second;
  a.prov.source = "coder";
  a.prov.rule = std::string(type) == "WEAPON" ? "instrument" : "object";
  return set_.Add(std::move(a));
}

uint32_t SentenceCoder::TimexIn(uint32_t b, uint32_t e) const {
  for (uint32_t i : timexes_) {
    const Annotation& a = set_.annotations()[i];
    if (a.first_token >= b && a.end_token <= e) return i;
  }
  return UINT32_MAX;
}

// A verb whose event presupposes the event its object names: disapproval (CAMEO 11),
// investigation (09) and protest (14): "condemned the murder of X" reports a murder.
bool SentenceCoder::Presupposes(const Trigger& trigger) const {
  for (auto [b, e] : trigger.entries) {
    const VerbBlock& block = data_.verbs.blocks[b];
    const VerbEntry& en = block.entries[e];
    if (en.noun) continue;
    const std::string& code = block.CodeOf(en);
    return code.starts_with("11") || code.starts_with("09") || code.starts_with("14");
  }
  return false;
}

// The lemma of a trigger's verb entry ("" when it has none). PETRARCH lists some entries under
// an inflected form ("killed and"): the lemma of its first word.
std::string SentenceCoder::VerbLemma(const Trigger& trigger) const {
  for (auto [b, e] : trigger.entries) {
    const VerbEntry& en = data_.verbs.blocks[b].entries[e];
    if (!en.noun) return rules::Lemma(en.lemma.substr(0, en.lemma.find(' ')));
  }
  return std::string();
}

void SentenceCoder::CodeTrigger(const Trigger& trigger) {
  const uint32_t tb = trigger.begin, te = trigger.end;
  bool has_verb = false, has_noun = false;
  for (auto [b, e] : trigger.entries) {
    if (data_.verbs.blocks[b].entries[e].noun) has_noun = true;
    else has_verb = true;
  }
  std::string_view form = Lower(tb);
  // The verb entry's lemma tells the form's kind (base, -s, -ing, participle).
  std::string lemma_word = VerbLemma(trigger);
  bool is_base = has_verb && form == lemma_word;
  bool is_ing = form.size() > 4 && form.substr(form.size() - 3) == "ing";
  bool is_s = has_verb && !is_base && !is_ing && form.size() > lemma_word.size() &&
              form.back() == 's' && form.size() <= lemma_word.size() + 2 &&
              form.compare(0, lemma_word.size() - 1, lemma_word, 0, lemma_word.size() - 1) == 0;
  bool is_participle = has_verb && !is_base && !is_ing && !is_s;
  std::string_view prev = tb > b_ ? Lower(tb - 1) : std::string_view();
  // Reading: nominal after a determiner, possessive or number, or after a preposition (but a
  // gerund after a preposition is verbal: "after attacking the convoy"); verbal otherwise.
  bool nominal = !has_verb;
  // Part of a hyphenated compound ("curfew-bound", "tribal-dominated"): an adjective.
  if (tb > b_ && Lower(tb - 1) == "-" && !toks_[tb].Has(kSpaceBefore)) return;
  // A base or -s form is a verb only where a verb can stand: after an auxiliary, "to", a
  // negation, a subject (an actor or a personal or relative pronoun), or a coordinator that
  // continues a verb phrase; elsewhere it is a noun ("police circle", "two small bombs").
  if (has_verb && (is_base || is_s)) {
    uint32_t k = tb;
    while (k > b_ && (M(k - 1) & kWAdverb) && !(M(k - 1) & kWAuxiliary)) --k;
    std::string_view p = k > b_ ? Lower(k - 1) : std::string_view();
    bool verb_slot = k == b_ || (M(k - 1) & kWAuxiliary) || p == "to" || (M(k - 1) & kWNegation) ||
                     ActorAt(k - 1) >= 0 || p == "who" || p == "which" || p == "that" ||
                     p == "they" || p == "we" || p == "i" || p == "you" || p == "he" ||
                     p == "she" || p == "it" || p == "and" || p == "or" || p == "," ||
                     p == "n't" || p == "n’t";
    if (is_base && (p == "he" || p == "she" || p == "it")) verb_slot = false;
    if (!verb_slot) nominal = true;
  }
  if (has_verb && !nominal && (is_base || is_s || is_ing)) {
    if (!prev.empty() && ((M(tb - 1) & kWDeterminer) || ParseCount(prev) ||
                          ((M(tb - 1) & kWPreposition) && prev != "to" && !is_ing))) {
      nominal = true;
    } else if (tb > b_ && ActorAt(tb - 1) >= 0) {
      // "the Israeli attack": an actor used as a modifier, after a determiner.
      // Not after "with", which makes the actor the -ing verb's subject: "with the police
      // twiddling their thumbs".
      const Actor& a = actors_[ActorAt(tb - 1)];
      // A form with no noun reading after a plural actor is the verb ("the terrorists set fire
      // to", "the police hit"); after a place or a name it makes a compound ("the Kabul circle").
      bool with_subject = is_ing && a.begin > b_ + 1 && Lower(a.begin - 2) == "with";
      bool verb_after_plural =
          !has_noun && ActorNumber(set_, set_.annotations()[a.anns[0]]) == 2;
      if (a.begin > b_ && (M(a.begin - 1) & kWDeterminer) && !with_subject && !verb_after_plural)
        nominal = true;
    } else if (tb > b_ && toks_[tb - 1].kind == TokenKind::kWord && !(M(tb - 1) & kWAuxiliary) &&
               !(M(tb - 1) & kWNegation) && !(M(tb - 1) & kWAdverb) && prev != "to" && has_noun &&
               !(M(tb - 1) & kWCoordinator) && !(M(tb - 1) & kWReporting) && prev != "who" &&
               prev != "which" && prev != "that") {
      // A noun before it makes a compound: "a grenade attack", "police firing".
      if (!V(tb - 1)) nominal = true;
    }
  }
  if (!nominal && is_participle && !prev.empty() && (M(tb - 1) & kWDeterminer)) return;  // "the wounded"
  // A participle between a number or a preposition and an actor modifies it: "three injured
  // policemen", "of armed men". (After "and" or a comma it may as well be a verb.)
  if (!nominal && is_participle && !prev.empty() && te < e_ && ActorBeginningAt(te) >= 0 &&
      (toks_[tb - 1].kind == TokenKind::kNumber || ParseCount(prev) ||
       ((M(tb - 1) & kWPreposition) && prev != "by" && prev != "to")))
    return;
  // The entry of the reading: a verb used as a noun is no event unless it is an event noun.
  Trigger tr = trigger;
  bool chosen_entry = false;
  for (auto [b, e] : trigger.entries) {
    if (data_.verbs.blocks[b].entries[e].noun == nominal) {
      tr.block = b;
      tr.entry = e;
      chosen_entry = true;
      break;
    }
  }
  if (!chosen_entry) return;
  // A support verb whose object is an event noun leaves the event to the noun.
  if (!nominal && IsSupportVerb(lemma_word) &&
      EventNounAfter(te < e_ && Lower(te) == "out" ? te + 1 : te))
    return;
  const VerbBlock& block = data_.verbs.blocks[tr.block];
  const VerbEntry& entry = block.entries[tr.entry];
  if (nominal) lemma_word = entry.lemma;
  // An event noun that is what another event acts on ("the signing of a security agreement",
  // "signed an agreement", "launched an attack") belongs to that event.
  if (nominal && !block.failure) {
    uint32_t k = tb;
    int steps = 0;
    // "adding that several arrests...": after a reporting verb, "that" opens a clause.
    auto complementizer = [&](uint32_t i) {
      return Lower(i) == "that" && i > b_ && (M(i - 1) & kWReporting);
    };
    while (k > b_ && steps < 4 && !complementizer(k - 1) && ((M(k - 1) & kWDeterminer) ||
                                   (toks_[k - 1].kind == TokenKind::kWord && ActorAt(k - 1) < 0 &&
                                    !V(k - 1) && !(M(k - 1) & (kWPreposition | kWAuxiliary |
                                                               kWCoordinator | kWSubordinator))))) {
      --k;
      ++steps;
    }
    if (k > b_ && Lower(k - 1) == "of") --k;
    // ... unless that event is a support verb's, which yields to the noun (below).
    uint32_t v = k > b_ && Lower(k - 1) == "out" ? k - 1 : k;
    bool support = false, taken = false;
    // After a reporting verb, a noun with a verb of its own is the reported clause's subject,
    // the event reported: "said the arrests were made".
    const bool clause_subject =
        te < e_ && ((M(te) & (kWAuxiliary | kWBe)) || (V(te) && !(M(te) & kWPreposition)));
    for (const Trigger& other : triggers_) {
      if (other.begin == tb) continue;
      if (other.end == v && IsSupportVerb(VerbLemma(other))) support = true;
      // "condemned the killing of", "investigate the murder of", "protested the arrest of":
      // the judgement, the inquiry and the protest presuppose the event; both are coded.
      else if (other.end == k && Presupposes(other)) support = true;
      // "following the arrest of": a preposition, whatever the dictionary lists it as; "in a
      // state of high alert": a noun after a determiner.
      else if (other.end == k && !(M(other.begin) & kWPreposition) &&
               !(other.begin > b_ && (M(other.begin - 1) & kWDeterminer)) &&
               !((M(other.begin) & kWReporting) && clause_subject))
        taken = true;
    }
    if (taken && !support) return;
  }
  // Words between the clause start and the trigger: auxiliaries, negation, modals, control verbs.
  bool negative = false, failed = false, passive = false;
  Modality modality = Modality::kRealised;
  {
    uint32_t t = tb;
    int steps = 0;
    while (t > b_ && steps < 8) {
      --t;
      ++steps;
      std::string_view w = Lower(t);
      if (ActorAt(t) >= 0 || (M(t) & kWHardBoundary) || w == ",") break;
      if ((M(t) & kWNegation)) {
        if (!(nominal && w == "nor")) negative = true;
        continue;
      }
      if (auto m = ModalityOfAuxiliary(w)) {
        if (!nominal) modality = *m;
        continue;
      }
      if ((M(t) & kWBe)) {
        if (!nominal && is_participle) passive = true;
        continue;
      }
      if ((M(t) & kWAuxiliary) || (M(t) & kWAdverb)) continue;
      if (w == "to" && !nominal && t > b_) {
        bool neg = false, fail = false;
        if (auto m = ModalityOfControlVerb(Lower(t - 1), &neg, &fail)) {
          if (*m != Modality::kRealised) modality = *m;
          negative = negative || neg;
          failed = failed || fail;
          // "is about to", "are set to": "about"/"set" is the control word; look no further.
        }
        continue;
      }
      if (nominal) {
        bool fail = false;
        if (auto m = ModalityOfNounModifier(w, &fail)) {
          modality = *m;
          failed = failed || fail;
        }
        if ((M(t) & kWDeterminer) && w != "no") break;
        continue;
      }
      break;
    }
  }
  // A dictionary phrase that holds its own auxiliary ("were held", "was posted") is passive.
  if (!nominal && (M(tb) & kWBe) && te > tb + 1 && !Lower(te - 1).ends_with("ing")) passive = true;
  // Aspect and raising verbs before an infinitive name no event of their own: "have come to
  // play", "used to think", "seem to", "began to".
  if (!nominal && te + 1 < e_ && Lower(te) == "to" && toks_[te + 1].kind == TokenKind::kWord &&
      ActorAt(te + 1) < 0 && !(M(te + 1) & (kWDeterminer | kWPreposition))) {
    static constexpr std::string_view kAspect[] = {"come", "go", "seem", "appear", "tend", "happen",
                                                   "continue", "begin", "start", "use", "get",
                                                   "have", "need", "used", "cease", "fail"};
    for (std::string_view a : kAspect)
      if (lemma_word == a) return;
  }
  // Unaccusative verbs: the subject undergoes the event ("97 died in police firing").
  if (!nominal && (lemma_word == "die" || lemma_word == "perish" || lemma_word == "succumb"))
    passive = true;
  if (block.failure) {
    negative = true;
    failed = true;
  }
  // Reduced passive: "the train hijacked by militants".
  int by_agent = -1;
  int reduced_patient = -1;  // the actor a reduced relative's participle follows
  uint32_t clause_end = ClauseEnd(te);
  if (!nominal && is_participle) {
    uint32_t k = te;
    while (k < clause_end && k < te + 2 && (M(k) & kWAdverb)) ++k;
    // A place or a time may come between the participle and its agent: "arrested in Hapur by
    // the STF", "detained on Monday by police".
    if (k < clause_end && Lower(k) != "by" && ((M(k) & kWPreposition) || (M(k) & kWTime) || InTimex(k))) {
      uint32_t j = k + 1;
      while (j < clause_end && j < k + 6 && Lower(j) != "by" && Lower(j) != "," && !V(j) &&
             !(M(j) & (kWCoordinator | kWSubordinator | kWHardBoundary)))
        ++j;
      if (j < clause_end && Lower(j) == "by") k = j;
    }
    by_agent = k < clause_end && Lower(k) == "by" ? ActorStartingAt(k + 1, clause_end) : -1;
    // "shot during the night by a group of armed individuals": passive, whatever "by" names
    // (not a time: "completed by Monday").
    if (by_agent < 0 && k < clause_end && Lower(k) == "by" && k + 1 < clause_end &&
        !InTimex(k + 1) && !(M(k + 1) & kWTime))
      passive = true;
    // A participle coordinated with a passive shares its agent: "were chased away by the
    // security forces and arrested".
    if (by_agent < 0 && !passive && prev == "and" && tb > b_ + 2 && ActorAt(tb - 2) >= 0) {
      int a = ActorAt(tb - 2);
      uint32_t by = actors_[a].begin;
      while (by > b_ && (M(by - 1) & kWDeterminer)) --by;
      bool be = false;
      for (uint32_t j = ClauseStart(tb); by > b_ && j + 1 < by; ++j) be = be || (M(j) & kWBe);
      bool verb = false;  // the participle before "by", with up to two particles ("chased away")
      for (uint32_t j = by > b_ ? by - 1 : b_; j > b_ && j + 4 > by && !verb; --j) verb = V(j - 1);
      if (by > b_ && Lower(by - 1) == "by" && be && verb) by_agent = a;
    }
    if (by_agent >= 0) passive = true;
    // A reduced relative: a participle right after an actor and followed by a preposition is
    // passive ("five militants killed in the encounter", "people injured in police firing");
    // an active verb there would take its object first.
    // The noun phrase is then inside a larger clause: it follows a preposition or a verb ("the
    // majority of people killed in"), or the clause's own verb comes after the phrase ("five
    // militants killed in the encounter were buried").
    if (!passive && k == te && k < clause_end && (M(k) & kWPreposition) && Lower(k) != "to" &&
        Lower(k) != "by" && tb > b_ && ActorAt(tb - 1) >= 0 &&
        !actors_[ActorAt(tb - 1)].place_type) {
      uint32_t p = actors_[ActorAt(tb - 1)].begin;
      auto skip_quantifiers = [&] {
        while (p > b_ && ((M(p - 1) & kWDeterminer) || toks_[p - 1].kind == TokenKind::kNumber ||
                          ParseCount(Lower(p - 1))))
          --p;
      };
      skip_quantifiers();
      // The group the actor makes up is the noun phrase: "fourteen companies of the CRPF
      // marched", "a posse of policemen rushed to".
      if (p > b_ + 1 && Lower(p - 1) == "of" && IsGroupNoun(p - 1)) {
        p -= 2;
        skip_quantifiers();
      }
      // ... but after "after", "before", "since", "until" the participle is the verb of the
      // clause they open ("died after the police fired on the crowd").
      bool inside = p > b_ && !OpensClause(Lower(p - 1)) &&
                    ((M(p - 1) & kWPreposition) || V(p - 1));
      for (uint32_t q = k + 1; !inside && q < clause_end && q < k + 10; ++q) {
        if ((M(q) & kWCoordinator) || Lower(q) == ",") break;
        // A participle before an actor or after a number or determiner modifies a noun ("fired
        // on two armed constables"): no verb.
        bool modifier = (q + 1 < e_ && ActorAt(q + 1) >= 0) ||
                        (M(q - 1) & kWDeterminer) || toks_[q - 1].kind == TokenKind::kNumber ||
                        ParseCount(Lower(q - 1));
        inside = (M(q) & (kWBe | kWAuxiliary)) ||
                 (V(q) && ActorAt(q) < 0 && !InTimex(q) && !modifier);
      }
      if (inside) {
        passive = true;
        reduced_patient = ActorAt(tb - 1);
      }
    }
  }
  // A participle spelt like its base form ("set", "hit", "put") after a form of "be" is passive
  // when its agent follows: "three buses were set ablaze by the mob", "he was hit by a stone".
  if (!nominal && !is_participle && has_verb && tb > b_ && by_agent < 0) {
    uint32_t k = tb;
    while (k > b_ && (M(k - 1) & kWAdverb)) --k;
    uint32_t a = te;
    while (a < clause_end && a < te + 2 && (M(a) & kWAdverb)) ++a;
    // Verbs whose participle is their base form are passive after "be" with no agent too:
    // "tear-gas shells were burst", "shops were set on fire". Not "put": the imported
    // dictionary codes "put under surveillance" as an arrest (173), which a passive would then
    // give the police.
    static constexpr std::string_view kSameParticiple[] = {
        "burst", "set", "hit", "cut", "shut", "cast", "spread", "let", "shed", "hurt", "split",
        "thrust", "upset", "broadcast", "beat"};
    const bool after_be = k > b_ && (M(k - 1) & kWBe);
    if (after_be && a < clause_end && Lower(a) == "by") {
      by_agent = ActorStartingAt(a + 1, clause_end);
      passive = true;  // "hit by a stone": passive, whatever "by" names
    } else if (after_be && std::find(std::begin(kSameParticiple), std::end(kSameParticiple),
                                     form) != std::end(kSameParticiple)) {
      passive = true;
    }
  }
  const bool visit = block.code.starts_with("042") || block.code.starts_with("043") ||
                     entry.code.starts_with("042");
  // Default source and target.
  int src = -1, tgt = -1, place = -1;
  uint32_t subject_start = ClauseStart(tb);
  if (!nominal) {
    int subj = SubjectOf(tb, &subject_start);
    const std::string& own_code = block.CodeOf(entry);
    if (passive && own_code.starts_with("15") && by_agent < 0) {
      // "Troops were deployed", "police were put on alert": the force mobilised is the actor
      // of a show of force.
      src = subj;
      // The force may sit deeper in the subject than the head the subject search stops at:
      // "eight battalions of the state reserve police, home guards and district armed reserve
      // platoons have been deployed", "3,000 police personnel and officers will be deployed".
      // The nearest security force before the verb in its clause, not past a reporting verb or
      // a complementizer, is the one deployed.
      for (uint32_t k = tb; src < 0 && k > ClauseStart(tb); --k) {
        uint32_t t = k - 1;
        std::string_view w = Lower(t);
        if ((M(t) & (kWReporting | kWSubordinator)) || w == "that" || w == "which" || w == "who")
          break;
        int a = ActorAt(t);
        if (a < 0 || actors_[a].place_type) continue;
        for (uint32_t ann : actors_[a].anns) {
          std::string code = ActorCode(set_.annotations()[ann], &data_, ctx_.dct);
          if (code.find("COP") != std::string::npos || code.find("MIL") != std::string::npos) {
            src = a;
            break;
          }
        }
        k = actors_[a].begin + 1;
      }
    } else if (passive) {
      tgt = reduced_patient >= 0 ? reduced_patient : subj;
      src = by_agent >= 0 ? by_agent : -1;
      if (src < 0) {
        // "killed in police firing": the agent of an event noun right after "in".
        for (uint32_t t = te; t + 2 < std::min(clause_end, te + 5); ++t) {
          if ((Lower(t) == "in" || Lower(t) == "during") && ActorAt(t + 1) >= 0) {
            int a = ActorAt(t + 1);
            uint32_t after = actors_[a].end;
            if (after < e_ && V(after)) src = a;
            break;
          }
        }
      }
    } else {
      src = subj;
      // A reporting verb after a comma or a quotation with its subject after it: "..., said a
      // police spokesman", "\"...\" said Interior Minister X".
      if (src < 0 && (M(tb) & kWReporting) && tb > b_ &&
          (Lower(tb - 1) == "," || Lower(tb - 1) == "\"" || Lower(tb - 1) == "”" ||
           Lower(tb - 1) == "''")) {
        int a = ActorStartingAt(te, clause_end);
        // A name the dictionaries do not hold, then its title: "..., says k g erda, senior
        // police inspector".
        if (a < 0) {
          uint32_t k = te;
          while (k < clause_end && k < te + 4 && toks_[k].kind == TokenKind::kWord &&
                 ActorAt(k) < 0 && !V(k) &&
                 !(M(k) & (kWDeterminer | kWPreposition | kWAuxiliary | kWCoordinator)))
            ++k;
          if (k > te && k + 1 < clause_end && Lower(k) == ",") a = ActorStartingAt(k + 1, clause_end);
        }
        if (a >= 0 && !actors_[a].place_type) {
          src = a;
          subject_start = te;
        }
      }
      const bool topic = lemma_word == "discuss" || lemma_word == "debate" ||
                         lemma_word == "examine" || lemma_word == "analyse" ||
                         lemma_word == "analyze" || lemma_word == "describe";
      tgt = ObjectAfter(te, clause_end, visit, &place, topic);
      // No object: an actor in a prepositional phrase of the clause is the target, as PETRARCH
      // codes it ("fired shells at Seoul", "renewing his license in Michel Delving"); it stays
      // the place too when it is one.
      if (tgt < 0 && place >= 0 && !actors_[place].place_type && place != src) tgt = place;
    }
  } else {
    // Nominal: "X's attack on Y", "the Israeli airstrike", "the arrest of X by Y".
    uint32_t t = tb;
    while (t > b_ && ((M(t - 1) & kWAdverb) || toks_[t - 1].kind == TokenKind::kWord) &&
           ActorAt(t - 1) < 0 && !(M(t - 1) & kWDeterminer) && !(M(t - 1) & kWPreposition) &&
           tb - t < 2)
      --t;
    if (t > b_ && (Lower(t - 1) == "'s" || Lower(t - 1) == "’s")) --t;
    if (t > b_ && ActorAt(t - 1) >= 0 && !actors_[ActorAt(t - 1)].place_type) src = ActorAt(t - 1);
    uint32_t lim = std::min(clause_end, te + 8);
    // "by X" is the noun's agent unless a relative clause or a verb comes first ("stabbing
    // incidents which were denied by police").
    uint32_t by_lim = te;
    while (by_lim < lim && !V(by_lim) && Lower(by_lim) != "which" && Lower(by_lim) != "that" &&
           Lower(by_lim) != "who")
      ++by_lim;
    if (src < 0) {
      src = ActorAfterWord(te, lim, {"by"});
      if (src >= 0 && by_lim < actors_[src].begin) src = -1;
    }
    // A show of force is the force's own: "the deployment of troops against the protesters".
    if (src < 0 && block.CodeOf(entry).starts_with("15")) {
      src = ActorAfterWord(te, lim, {"of"});
      tgt = ActorAfterWord(te, lim, {"on", "against", "at", "targeting", "upon"});
    } else {
      tgt = ActorAfterWord(te, lim, {"on", "against", "of", "with", "at", "targeting", "upon"});
    }
    if (tgt >= 0 && src >= 0 && tgt == src) tgt = -1;
    // "the inaction of the police", "apathy of the bureaucracy": who failed, not a target;
    // "lack of police action": the actor inside the phrase.
    if (block.failure && src < 0 && tgt >= 0) std::swap(src, tgt);
    for (uint32_t t = tb; block.failure && src < 0 && t < te; ++t)
      if (ActorAt(t) >= 0 && !actors_[ActorAt(t)].place_type) src = ActorAt(t);
    // "talks between X and Y"
    if (src < 0 && tgt < 0) {
      int a = ActorAfterWord(te, lim, {"between", "among"});
      if (a >= 0 && actors_[a].coord >= 0) {
        src = a;
      }
    }
    // A claim of responsibility names the perpetrator: "the MRTA claimed responsibility for the
    // kidnapping", "took responsibility for the attack".
    if (src < 0) {
      uint32_t k = tb;
      while (k > b_ && (M(k - 1) & kWDeterminer)) --k;
      if (k > b_ + 2 && Lower(k - 1) == "for" &&
          (Lower(k - 2) == "responsibility" || Lower(k - 2) == "credit")) {
        uint32_t v = k - 2;
        while (v > b_ && ((M(v - 1) & kWDeterminer) || Lower(v - 1) == "full")) --v;
        if (v > b_) {
          std::string lem = rules::Lemma(Lower(v - 1));
          if (lem == "claim" || lem == "accept" || lem == "admit" || lem == "take" ||
              lem == "assume" || lem == "acknowledge" || lem == "bear")
            src = SubjectOf(v - 1, nullptr);
        }
      }
    }
    // The object of a support verb gets its subject: "militants launched an attack on".
    if (src < 0) {
      uint32_t k = tb;
      int steps = 0;
      bool on = false;  // "police were put on high alert", "remained on alert"
      while (k > b_ && steps < 6) {
        --k;
        ++steps;
        std::string_view w = Lower(k);
        if ((M(k) & kWDeterminer) || (M(k) & kWAdverb) || toks_[k].kind != TokenKind::kWord) continue;
        if (w == "on" && !on) {
          on = true;
          continue;
        }
        // "placed in a state of high alert": as "on high alert".
        if (w == "of" && !on && k > b_ + 1 && Lower(k - 1) == "state") {
          k -= 1;
          while (k > b_ && (M(k - 1) & kWDeterminer)) --k;
          if (k > b_ && Lower(k - 1) == "in") {
            --k;
            on = true;
            continue;
          }
          break;
        }
        std::string lem = rules::Lemma(w);
        if (on) {
          if (lem == "put" || lem == "place" || lem == "keep" || lem == "remain" || lem == "be" ||
              lem == "stay" || lem == "go")
            src = SubjectOf(k, nullptr);
          break;
        }
        // A failure noun's subject is that of the verb it completes: "police remained mute
        // spectators", "the police stood mute witness", "police were silent spectators".
        if (block.failure && (lem == "remain" || lem == "stand" || lem == "be" || lem == "sit" ||
                              lem == "watch" || lem == "look" || lem == "become" || lem == "show")) {
          src = SubjectOf(k, nullptr);
          break;
        }
        if (IsSupportVerb(lem) || lem == "make" || lem == "claim" || lem == "sign" ||
            lem == "begin" || lem == "start" || lem == "order" || lem == "resume" ||
            lem == "open" || lem == "out") {
          src = SubjectOf(k, nullptr);
          break;
        }
        // A modifier of the noun ("launched a massive attack", "a three-tier security cordon").
        if (!on && !V(k) && ActorAt(k) < 0 &&
            !(M(k) & (kWPreposition | kWAuxiliary | kWCoordinator | kWSubordinator | kWBe)))
          continue;
        break;
      }
    }
  }
  if (src >= 0 && src == tgt) tgt = -1;
  // Place: a location in a locative phrase of the clause.
  if (place < 0) {
    for (uint32_t t = te; t < clause_end; ++t) {
      int a = ActorAt(t);
      if (a < 0) continue;
      t = actors_[a].end - 1;
      if (a == tgt || a == src) continue;
      uint32_t p = actors_[a].begin;
      while (p > te && (M(p - 1) & kWDeterminer)) --p;
      if (actors_[a].place_type || (p > te && (M(p - 1) & kWLocative))) {
        place = a;
        break;
      }
    }
  }
  // Patterns.
  std::string code = block.CodeOf(entry);
  const VerbPattern* chosen = nullptr;
  int best_literal = -1;
  int p_src = -1, p_tgt = -1, p_comp = -1;
  uint32_t lo = std::min(subject_start, tb);
  // A passive's subject is what the verb acts on: its modifiers are pattern words too ("322
  // tear-gas shells were lobbed by police").
  if (passive)
    for (uint32_t k = 0; k < 4 && lo > b_ && ActorAt(lo - 1) < 0 && !(M(lo - 1) & kWHardBoundary) &&
                         (toks_[lo - 1].kind == TokenKind::kWord || Lower(lo - 1) == "-");
         ++k)
      --lo;
  // Pattern words after the verb belong to its verb phrase: up to the clause end, and no further
  // than the next comma, twelve tokens, or a coordinator before another verb ("arrested five
  // men and seized two swords": the swords are not what the arrest was about).
  uint32_t vp_end = clause_end;
  for (uint32_t t = te; t < vp_end; ++t) {
    if (t >= te + 12 || (Lower(t) == "," && ActorAt(t) < 0)) {
      vp_end = t;
      break;
    }
    if ((M(t) & kWCoordinator) && t > te && ActorAt(t) < 0) {
      uint32_t k = t + 1;
      while (k < vp_end && (M(k) & kWAdverb)) ++k;
      if (k < vp_end && V(k) && ActorAt(k) < 0) {
        vp_end = t;
        break;
      }
    }
  }
  const auto& required = data_.required[tr.block];
  for (size_t pi = 0; pi < block.patterns.size(); ++pi) {
    const VerbPattern& p = block.patterns[pi];
    if (!MayMatch(required[pi])) continue;
    int s, t, c, lit;
    if (!MatchPattern(p, tr, lo, vp_end, &s, &t, &c, &lit)) continue;
    if (lit > best_literal || (lit == best_literal && !chosen)) {
      if (lit == 0 && p.before.empty() && p.after.empty()) continue;
      best_literal = lit;
      chosen = &p;
      p_src = s;
      p_tgt = t;
      p_comp = c;
    }
  }
  // A passive's subject is the active's object: a one-word object pattern ("* &WEAPON", "*
  // heroin") is read in the subject ("crude petroleum bombs were seized": 1711; "ten kilos of
  // heroin were seized": no event), nearest the verb first.
  if (passive && !chosen && !nominal) {
    // The block's one-word object patterns whose word the sentence has, found once.
    std::vector<const VerbPattern*> objects;
    for (size_t pi = 0; pi < block.patterns.size(); ++pi) {
      const VerbPattern& p = block.patterns[pi];
      if (!p.before.empty() || p.after.size() != 1 || !MayMatch(required[pi])) continue;
      PatternItem::Kind kind = p.after[0].kind;
      if (kind == PatternItem::Kind::kWord || kind == PatternItem::Kind::kSynset) objects.push_back(&p);
    }
    const uint32_t from = std::max(ClauseStart(tb), tb > b_ + 8 ? tb - 8 : b_);
    bool in_verb_group = true;
    for (uint32_t k = tb; !objects.empty() && !chosen && k > from;) {
      --k;
      if ((M(k) & (kWAuxiliary | kWBe | kWAdverb | kWNegation))) continue;
      // "... entered the city and were arrested": a verb group after a coordinator has no
      // subject of its own here.
      if (in_verb_group && (M(k) & kWCoordinator)) break;
      in_verb_group = false;
      if ((M(k) & (kWHardBoundary | kWReporting))) break;
      for (const VerbPattern* p : objects) {
        uint32_t end = 0;
        if (MatchItem(p->after[0], k, &end) && end <= tb) {
          chosen = p;
          best_literal = 1;
          break;
        }
      }
      if (V(k)) break;  // another verb's clause ("bombs" is a noun when a pattern names it)
    }
  }
  if (chosen && best_literal == 0) {
    // A pattern of actor slots only ("+ &AUXVERB1 * $") fits when its slots found actors.
    if (p_src < 0 && p_tgt < 0 && p_comp < 0) chosen = nullptr;
  }
  if (!chosen && !nominal && code.size() == 3 && code.back() == '0') {
    // A verb coded only by its root ("imposed" 170) takes the finer code of the event noun it
    // acts on, when that noun is of the same root: "imposed prohibitory orders" (1721),
    // "enforced a curfew" (1723).
    if (const Trigger* noun = EventNounAfter(te)) {
      for (auto [b, e] : noun->entries) {
        const VerbBlock& nb = data_.verbs.blocks[b];
        if (!nb.entries[e].noun) continue;
        const std::string& c = nb.CodeOf(nb.entries[e]);
        if (c.size() > 3 && c.compare(0, 2, code, 0, 2) == 0) code = c;
      }
    }
  }
  if (chosen) {
    code = chosen->code;
    if (p_src >= 0) src = p_src;
    if (p_tgt >= 0) tgt = p_tgt;
    if (src >= 0 && src == tgt) tgt = -1;  // "according to police": one actor, the source
  } else if (!nominal && !passive && tgt >= 0 && IsReportingVerb(form)) {
    // "X said Y attacked ...": the reported clause's subject is not the target of the saying;
    // only an addressee right after the verb is ("told Y", "said to Y").
    // "Say" takes its addressee only with "to" ("said the troops were ready": no addressee).
    uint32_t k = te;
    bool to = k < e_ && Lower(k) == "to";
    if (to) ++k;
    bool say = form == "say" || form == "says" || form == "said" || form == "saying";
    if ((say && !to) || ActorStartingAt(k, std::min(e_, k + 2)) != tgt) tgt = -1;
  }
  // A reporting verb the dictionary leaves uncoded ("police added", "officials noted") still
  // reports a statement by its subject: CAMEO 010 (the need for a source is checked below).
  if ((code.empty() || code == "---") && !nominal && !passive && !chosen &&
      IsStatementVerb(form))
    code = "010";
  if (code.empty() || code == "---") return;
  // A show of force is shown by someone: with no agent named, the force the passive or the
  // predicate speaks of is its source ("adequate police force was present").
  if (code.starts_with("15") && !nominal && passive && by_agent < 0 && src < 0 && tgt >= 0) {
    src = tgt;
    tgt = -1;
  }
  // Threats coded as threats where CAMEO has a code for them.
  std::string code1 = code, code2;
  if (size_t colon = code.find(':'); colon != std::string::npos) {
    code1 = code.substr(0, colon);
    code2 = code.substr(colon + 1);
  }
  if (code1.empty()) {
    // ":173": only the reverse direction ("X appeared before the court": the court acts on X).
    std::swap(code1, code2);
    std::swap(src, tgt);
  }
  if (modality == Modality::kThreatened && !negative) {
    std::string_view root = std::string_view(code1).substr(0, 2);
    if (root == "18" || root == "19" || root == "20") code1 = root == "20" ? "1385" : root == "19" ? "1384" : "1383";
    else if (root == "16") code1 = "131";
    else if (root == "17") code1 = code1 == "173" ? "132" : "130";
    code2.clear();
  }
  // What a violent event strikes when no actor is its target, and what with.
  uint32_t instrument = UINT32_MAX, object = UINT32_MAX;
  {
    std::string_view r2 = std::string_view(code1).substr(0, 2);
    bool violent = r2 == "18" || r2 == "19" || r2 == "20" || code1.starts_with("175") ||
                   code1 == "1711" || code1 == "1712" || code1 == "145";
    if (violent) {
      uint32_t lo_c = std::min(subject_start, tb);
      auto w = PhraseOf(data_.weapon_extra_synset, lo_c, vp_end, false);
      if (!w.second) w = PhraseOf(data_.weapon_synset, lo_c, vp_end, false);
      if (w.second && !(w.first < te && w.second > tb)) instrument = AddThing("WEAPON", w);
      std::pair<uint32_t, uint32_t> o{0, 0};
      if (passive) o = PhraseOf(data_.physical_target_synset, lo_c, tb, true);
      else o = PhraseOf(data_.physical_target_synset, te, vp_end, false);
      // A target actor inside the struck thing's phrase only modifies it: "bombed the
      // Antioquia liqueur plant", "blew up an Avianca airlines plane".
      if (tgt >= 0 && o.second && o.first <= actors_[tgt].begin && actors_[tgt].end < o.second)
        tgt = -1;
      if (tgt < 0 && o.second &&
          (instrument == UINT32_MAX || set_.annotations()[instrument].first_token != o.first))
        object = AddThing("OBJECT", o);
    }
  }
  std::optional<int64_t> fatalities;
  bool fatal = false;
  {
    std::string_view lem = entry.lemma;
    // PETRARCH's "killed and", "killed or": the verb's lemma (found above).
    if (!nominal && (lem.ends_with(" and") || lem.ends_with(" or"))) lem = lemma_word;
    if (lem == "kill" || lem == "slay" || lem == "massacre" || lem == "execute" || lem == "behead" ||
        lem == "murder" || lem == "assassinate" || lem == "killing" || lem == "lynch" ||
        lem == "die" || lem == "shoot dead" || lem == "gun down" || lem == "hack to death" ||
        lem == "burn alive" || lem == "stab to death" || lem == "beat to death" ||
        lem == "perish") {
      if (!nominal && !passive) fatalities = Fatalities(te, clause_end);
      else if (!nominal && passive && tgt < 0) fatalities = Fatalities(subject_start, tb);
      else if (!nominal && passive) {
        // "99 persons have been killed": the count before the victims.
        uint32_t s0 = actors_[tgt].begin;
        uint32_t k = s0;
        while (k > b_ && s0 - k < 4 && ActorAt(k - 1) < 0 && !(M(k - 1) & kWHardBoundary) &&
               Lower(k - 1) != "," && Lower(k - 1) != "that")
          --k;
        fatalities = Fatalities(k, s0 + 1);
      }
      if (!fatalities && !passive && tgt >= 0) fatalities = Fatalities(te, actors_[tgt].end);
      // Someone died, count unknown: "a supporter was killed" is one; "people were killed" is
      // `fatal` without a number.
      fatal = true;
      if (!fatalities && tgt >= 0) {
        const Annotation& v = set_.annotations()[actors_[tgt].anns[0]];
        uint32_t vb = actors_[tgt].begin;
        std::string_view det = vb > b_ ? Lower(vb - 1) : std::string_view();
        if (v.type == "PERSON" || ((det == "a" || det == "an" || det == "one") &&
                                   actors_[tgt].end - vb == 1 && !Lower(vb).ends_with("s")))
          fatalities = 1;
      }
    }
  }
  // Any violent act may state its toll: "police firing left three dead", "..., leaving five
  // people dead".
  if (!fatalities && IsViolentCode(code1)) {
    for (uint32_t t = te; t + 2 < clause_end && t < te + 10; ++t) {
      std::string_view w = Lower(t);
      if (w != "left" && w != "leaving" && w != "leaves") continue;
      uint32_t k = t + 1;
      auto n = Fatalities(k, std::min(clause_end, k + 4));
      if (!n) break;
      // The count is of the dead: "dead" or "killed" follows within three words.
      for (uint32_t q = k; q < clause_end && q < k + 5; ++q)
        if (Lower(q) == "dead" || Lower(q) == "killed") {
          fatalities = n;
          fatal = true;
          break;
        }
      break;
    }
  }
  fatal_ = fatal;
  uint32_t time = TimexIn(std::min(subject_start, tb), clause_end);
  Filler sources, targets;
  if (p_comp >= 0 && chosen) {
    Filler g = Coordination(p_comp);
    if (g.size() >= 2) {
      for (int x : g)
        for (int y : g)
          if (x != y)
            Emit(tr, code1, {x}, {y}, place, time, instrument, object, modality, negative, failed, nominal,
                 passive, fatalities, chosen);
      return;
    }
    if (src < 0) src = p_comp;
  }
  sources = Coordination(src);
  targets = Coordination(tgt);
  // A coordinated subject without a target acts on itself: "Gondor and Osgiliath have delayed
  // their meeting" (reciprocal, as PETRARCH codes it).
  // A show of force is each force's own ("police and the RAF were deployed"): no reciprocity.
  if (targets.empty() && sources.size() >= 2 && !nominal && !code1.starts_with("15")) {
    for (int x : sources)
      for (int y : sources)
        if (x != y)
          Emit(tr, code1, {x}, {y}, place, time, instrument, object, modality, negative, failed, nominal,
               passive, fatalities, chosen);
    return;
  }
  // Agentless arrests, curfews and the like ("six activists were arrested", "the arrests were
  // made") are the work of the authorities: their source is the implicit agent of the code
  // (police for arrests and violent repression, the government for curfews and states of
  // emergency), marked `source_implicit`.
  std::string implicit;
  if (sources.empty() && (passive || nominal)) {
    // Property confiscated with no one named ("the seizure of explosives") is the police's too
    // (1711; not 171, which PETRARCH gives every "take", nor 1712, destruction).
    if (code1.starts_with("173") || code1.starts_with("175") || code1 == "1711")
      implicit = "COP";
    else if (code1 == "1723" || code1 == "1724" || code1.starts_with("174")) implicit = "GOV";
  }
  implicit_source_ = implicit;
  // Statements and other verbal events without both actors say little: skip them (PETRARCH
  // requires a dyad for every event); material events are kept with the actors known, and
  // verbs with no actor at all only when they are event nouns or have an implicit agent.
  std::string_view root = std::string_view(code1).substr(0, 2);
  // A violent event that strikes a thing is kept with no actor named ("attacked an electric
  // power substation").
  if (sources.empty() && targets.empty() && !nominal && implicit.empty() && object == UINT32_MAX)
    return;
  bool verbal = root <= "13";
  // Verbal events need their source ("police said", "officials warned"); a target alone is not
  // enough ("X was criticised" says little without who criticised).
  if (verbal && sources.empty()) return;
  // Intentions, consultations and diplomatic cooperation are between two parties: "Iran is
  // hosting" or "equipment left behind by NATO" without a counterpart is no such event.
  if ((root == "03" || root == "04" || root == "05") && targets.empty()) return;
  Emit(tr, code1, sources, targets, place, time, instrument, object, modality, negative, failed, nominal,
       passive, fatalities, chosen);
  if (!code2.empty() && code2 != "---" && !sources.empty() && !targets.empty())
    Emit(tr, code2, targets, sources, place, time, instrument, object, modality, negative, failed, nominal,
         passive, std::nullopt, chosen);
}

void SentenceCoder::Emit(const Trigger& tr, const std::string& code, const Filler& src,
                         const Filler& tgt, int place, uint32_t time, uint32_t instrument,
                         uint32_t object, Modality modality, bool negative, bool failed,
                         bool nominal, bool passive, std::optional<int64_t> fatalities,
                         const VerbPattern* pattern) {
  const VerbBlock& block = data_.verbs.blocks[tr.block];
  const VerbEntry& entry = block.entries[tr.entry];
  const CameoCode* c = FindCameoOrParent(code);
  auto make = [&](int s, int t) {
    Annotation a;
    a.layer = Layer::kEvent;
    a.type = c ? std::string(c->type) : "EVENT";
    a.span = Span{toks_[tr.begin].span.begin, toks_[tr.end - 1].span.end};
    a.first_token = tr.begin;
    a.end_token = tr.end;
    a.SetFeature("cameo", code);
    a.SetFeature("trigger", std::string(ctx_.doc.Slice(a.span)));
    a.SetFeature("modality", std::string(ModalityName(modality)));
    a.SetFeature("polarity", std::string(negative ? "negative" : "positive"));
    if (failed) a.SetFeature("failed", true);
    a.SetFeature("reading", std::string(nominal ? "nominal" : passive ? "passive" : "verbal"));
    if (s < 0 && !implicit_source_.empty()) {
      a.SetFeature("source_code", implicit_source_);
      a.SetFeature("source_implicit", true);
    }
    if (fatalities) a.SetFeature("fatalities", *fatalities);
    if (fatal_ && !passive_reverse_) a.SetFeature("fatal", true);
    a.SetFeature("dictionary", std::string(pattern && !pattern->origin.empty() ? pattern->origin
                                           : !entry.origin.empty() ? entry.origin : block.origin));
    if (pattern) a.SetFeature("pattern", pattern->text);
    auto arg = [&](const char* role, int actor) {
      if (actor < 0) return;
      for (uint32_t ann : actors_[actor].anns) a.args.push_back(Argument{role, ann});
    };
    // Several codes for one actor (same-span ACTORs): each is an argument; the finishing stage
    // reads the first for source_code/target_code, and expands none.
    if (s >= 0) a.args.push_back(Argument{"source", actors_[s].anns[0]});
    // A pronoun source ("he said") names its antecedent; the pronoun is kept for the reader.
    if (s >= 0 && actors_[s].pronoun)
      a.SetFeature("source_pronoun", std::string(ctx_.doc.Slice(toks_[actors_[s].begin].span)));
    if (t >= 0) a.args.push_back(Argument{"target", actors_[t].anns[0]});
    if (place >= 0 && place != s && place != t) arg("place", place);
    if (time != UINT32_MAX) a.args.push_back(Argument{"time", time});
    if (t < 0 && object != UINT32_MAX) a.args.push_back(Argument{"target", object});
    if (instrument != UINT32_MAX) a.args.push_back(Argument{"instrument", instrument});
    a.prov.source = "dictionary";
    a.prov.file = block.file;
    a.prov.line = pattern ? pattern->line : entry.line;
    a.prov.rule = block.name;
    a.prov.phase = "coder";
    out_.push_back(std::move(a));
  };
  // Same-span ACTORs of one actor (several owners) count as separate actors.
  auto expand = [&](const Filler& f) {
    std::vector<std::pair<int, uint32_t>> out;
    for (int x : f)
      for (uint32_t ann : actors_[x].anns) out.push_back({x, ann});
    return out;
  };
  auto srcs = expand(src), tgts = expand(tgt);
  if (srcs.empty()) srcs.push_back({-1, 0});
  if (tgts.empty()) tgts.push_back({-1, 0});
  for (auto& [s, sa] : srcs) {
    for (auto& [t, ta] : tgts) {
      make(s, t);
      Annotation& a = out_.back();
      for (Argument& g : a.args) {
        if (g.role == "source" && s >= 0) g.target = sa;
        if (g.role == "target" && t >= 0) g.target = ta;
      }
    }
  }
}

// True when tokens [b, e) hold one of the discard phrases of kind `story`.
bool HasDiscard(const CodingData& data, const AnnotationSet& set, uint32_t b, uint32_t e, bool story) {
  for (const Discard& d : data.verbs.discards) {
    if (d.story != story || d.phrase.empty()) continue;
    for (uint32_t t = b; t + d.phrase.size() <= e; ++t) {
      bool ok = true;
      for (size_t k = 0; k < d.phrase.size() && ok; ++k)
        ok = set.Lower(set.tokens()[t + k]) == d.phrase[k];
      if (ok) return true;
    }
  }
  return false;
}

Status CoderStage::Run(const RunContext& ctx, AnnotationSet& set) const {
  if (data_->verbs.blocks.empty()) return Status();
  std::vector<Annotation> out;
  auto sentences = set.sentences();
  if (sentences.empty())
    sentences.push_back(Sentence{Span{0, 0}, 0, static_cast<uint32_t>(set.tokens().size())});
  if (!data_->verbs.discards.empty() &&
      HasDiscard(*data_, set, 0, static_cast<uint32_t>(set.tokens().size()), true))
    return Status();  // a story not to code (sports, disasters)
  // Per token: its vocabulary entry and word classes, found once.
  const uint32_t n_tok = static_cast<uint32_t>(set.tokens().size());
  std::vector<const CodingData::VocabEntry*> vocab(n_tok);
  std::vector<uint32_t> masks(n_tok);
  for (uint32_t t = 0; t < n_tok; ++t) {
    std::string_view w = set.Lower(set.tokens()[t]);
    vocab[t] = data_->Lookup(w);
    masks[t] = vocab[t] ? vocab[t]->mask : (w.size() > 4 && w.ends_with("ly") ? kWAdverb : 0u);
  }
  std::vector<uint32_t> stamp(data_->word_ids.size(), 0);
  // Entity and timex annotations by sentence, found once (sentences are sorted by token).
  std::vector<std::vector<uint32_t>> by_sentence(sentences.size());
  const auto& anns = set.annotations();
  for (uint32_t i = 0; i < anns.size(); ++i) {
    const Annotation& a = anns[i];
    if (a.layer != Layer::kEntity && a.layer != Layer::kTimex) continue;
    auto it = std::upper_bound(sentences.begin(), sentences.end(), a.first_token,
                               [](uint32_t t, const Sentence& x) { return t < x.first_token; });
    if (it == sentences.begin()) continue;
    size_t si = static_cast<size_t>(it - sentences.begin()) - 1;
    if (a.end_token <= sentences[si].end_token) by_sentence[si].push_back(i);
  }
  DeadlineTicker ticker(&ctx);
  Antecedents ante;
  for (size_t si = 0; si < sentences.size(); ++si) {
    const Sentence& s = sentences[si];
    if (s.end_token <= s.first_token) continue;
    if (!data_->verbs.discards.empty() && HasDiscard(*data_, set, s.first_token, s.end_token, false))
      continue;
    SentenceCoder coder(*data_, ctx, set, s, by_sentence[si], vocab, masks, stamp,
                        static_cast<uint32_t>(si + 1), out, ante);
    coder.Run();
    coder.UpdateAntecedents(ante, si);
    QUARRY_RETURN_IF_ERROR(ticker.Tick("coder"));
  }
  for (Annotation& a : out) set.Add(std::move(a));
  return Status();
}

}  // namespace

std::unique_ptr<Stage> CreateCoderStage(std::shared_ptr<const CodingData> data) {
  return std::make_unique<CoderStage>(std::move(data));
}

}  // namespace quarry::internal::coding
