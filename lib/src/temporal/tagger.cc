// temporal/tagger.cc: matching grammar rules over tokens and normalizing the matches.
//
// Matching is leftmost-longest within a sentence: at each token the rules whose first element
// can match it (found through an index on the first token) are tried by backtracking, the longest
// match wins (the earlier rule on ties), and matching resumes after it. Normalization is a second
// pass in document order so that anaphoric expressions see the last date mentioned before them.
#include "temporal/tagger.h"

#include <algorithm>
#include <charconv>
#include <functional>
#include <map>
#include <unordered_set>

#include "temporal/normalize.h"

namespace quarry::internal {
namespace {

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

int Int(std::string_view s) {
  int v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

bool OrdinalSuffix(std::string_view s) { return s == "st" || s == "nd" || s == "rd" || s == "th"; }

// The value of a token under a built-in class, or false.
bool ClassValue(TokenClass cls, std::string_view t, std::string& out) {
  switch (cls) {
    case TokenClass::kNum:
      if (!AllDigits(t) || t.size() > 9) return false;
      out = std::to_string(Int(t));
      return true;
    case TokenClass::kYear:
      if (t.size() != 4 || !AllDigits(t) || Int(t) < 1000 || Int(t) > 2199) return false;
      out = std::string(t);
      return true;
    case TokenClass::kDay:
    case TokenClass::kDayTh:
    case TokenClass::kOrdinal: {
      size_t n = 0;
      while (n < t.size() && n < 3 && t[n] >= '0' && t[n] <= '9') ++n;
      if (n == 0 || n > 2) return false;
      std::string_view suffix = t.substr(n);
      if (cls == TokenClass::kDay ? !(suffix.empty() || OrdinalSuffix(suffix))
                                  : !OrdinalSuffix(suffix))
        return false;
      int v = Int(t.substr(0, n));
      if (cls != TokenClass::kOrdinal && (v < 1 || v > 31)) return false;
      out = std::to_string(v);
      return true;
    }
    case TokenClass::kMonthNum:
      if (t.size() > 2 || !AllDigits(t) || Int(t) < 1 || Int(t) > 12) return false;
      out = std::to_string(Int(t));
      return true;
    case TokenClass::kDecade: {
      if (t.size() < 3 || t.back() != 's') return false;
      std::string_view d = t.substr(0, t.size() - 1);
      if (!AllDigits(d) || d.back() != '0' || d.size() > 4) return false;
      out = std::string(d.substr(0, d.size() - 1));
      return true;
    }
    case TokenClass::kYear2:
      if (t.size() != 2 || !AllDigits(t)) return false;
      out = std::string(t);
      return true;
    case TokenClass::kMinute:
      if (t.size() != 2 || !AllDigits(t) || Int(t) > 59) return false;
      out = std::string(t);
      return true;
    case TokenClass::kHour:
      if (t.size() > 2 || !AllDigits(t) || Int(t) > 24) return false;
      out = std::to_string(Int(t));
      return true;
    case TokenClass::kClock: {
      size_t n = 0;
      while (n < t.size() && t[n] >= '0' && t[n] <= '9') ++n;
      if (n == 0 || n > 2) return false;
      std::string_view s = t.substr(n);
      int h = Int(t.substr(0, n));
      if (h < 1 || h > 12) return false;
      if (s == "am" || s == "a.m.") {
        out = std::to_string(h == 12 ? 0 : h);
      } else if (s == "pm" || s == "p.m.") {
        out = std::to_string(h == 12 ? 12 : h + 12);
      } else {
        return false;
      }
      return true;
    }
    case TokenClass::kNumDate: {
      size_t a = t.find('/');
      size_t b = a == std::string_view::npos ? a : t.find('/', a + 1);
      if (b == std::string_view::npos) return false;
      std::string_view m = t.substr(0, a), d = t.substr(a + 1, b - a - 1), y = t.substr(b + 1);
      if (!AllDigits(m) || !AllDigits(d) || !AllDigits(y) || m.size() > 2 || d.size() > 2 ||
          (y.size() != 2 && y.size() != 4))
        return false;
      int mi = Int(m), di = Int(d), yi = Int(y);
      if (mi < 1 || mi > 12 || di < 1 || di > 31) return false;
      if (y.size() == 2) yi += yi > 30 ? 1900 : 2000;
      char buf[16];
      std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", yi, mi, di);
      out = buf;
      return true;
    }
  }
  return false;
}

struct Cap {
  uint32_t begin = 0, end = 0;
  bool set = false;
  std::string value;
};

// Per-call matching state (on the stack of Tag()).
struct Matcher {
  const Grammar& g;
  const AnnotationSet& set;
  const std::vector<Token>& toks;
  std::string_view text;
  uint32_t first = 0;  // start of the sentence
  uint32_t limit = 0;  // end of the sentence
  std::vector<Cap> caps;
  std::string last_value;  // value of the last lexicon or class element matched
  uint64_t value_serial = 0;
  uint32_t best_end = 0;
  std::vector<Cap> best_caps;

  using Cont = std::function<void(uint32_t)>;

  std::string_view Lower(uint32_t i) const { return set.Lower(toks[i]); }
  bool IsUpperStart(uint32_t i) const {
    char c = text[toks[i].span.begin];
    return c >= 'A' && c <= 'Z';
  }

  // One occurrence of e (ignoring its quantifier and capture) at pos.
  void Atom(const Elem& e, uint32_t pos, const Cont& k) {
    if (e.capitalized && (pos >= limit || !IsUpperStart(pos))) return;
    switch (e.kind) {
      case Elem::Kind::kLiteral:
        if (pos < limit && Lower(pos) == e.text) k(pos + 1);
        return;
      case Elem::Kind::kRegex:
        if (pos < limit && RE2::FullMatch(Lower(pos), *e.re)) k(pos + 1);
        return;
      case Elem::Kind::kClass: {
        std::string v;
        if (pos < limit && ClassValue(static_cast<TokenClass>(e.index), Lower(pos), v)) {
          std::string saved = std::move(last_value);
          last_value = std::move(v);
          ++value_serial;
          k(pos + 1);
          last_value = std::move(saved);
        }
        return;
      }
      case Elem::Kind::kLexicon: {
        if (pos >= limit || e.index < 0) return;
        const Lexicon& lex = g.lexicons[static_cast<size_t>(e.index)];
        auto it = lex.by_first.find(Lower(pos));
        if (it == lex.by_first.end()) return;
        for (const LexEntry& entry : it->second) {
          size_t n = entry.tokens.size();
          if (pos + n > limit) continue;
          bool ok = true;
          for (size_t j = 1; j < n && ok; ++j)
            ok = Lower(pos + static_cast<uint32_t>(j)) == entry.tokens[j];
          if (!ok) continue;
          std::string saved = std::move(last_value);
          last_value = entry.value;
          ++value_serial;
          k(pos + static_cast<uint32_t>(n));
          last_value = std::move(saved);
        }
        return;
      }
      case Elem::Kind::kGroup:
        for (const auto& alt : e.alts) Seq(alt, 0, pos, k);
        return;
    }
  }

  // One occurrence with capture bookkeeping.
  void One(const Elem& e, uint32_t pos, const Cont& k) {
    if (e.capture < 0) {
      Atom(e, pos, k);
      return;
    }
    uint64_t serial = value_serial;
    Atom(e, pos, [&](uint32_t next) {
      Cap& c = caps[static_cast<size_t>(e.capture)];
      Cap saved = c;
      c.begin = pos;
      c.end = next;
      c.set = true;
      if (value_serial != serial) {
        c.value = last_value;
      } else {
        c.value.clear();
        for (uint32_t i = pos; i < next; ++i) {
          if (i > pos) c.value += ' ';
          c.value += Lower(i);
        }
      }
      k(next);
      c = std::move(saved);
    });
  }

  // e repeated from `count` times on, greedy (longer first).
  void Rep(const Elem& e, int count, uint32_t pos, const Cont& k) {
    if (count < e.max) {
      One(e, pos, [&](uint32_t next) {
        if (next > pos) Rep(e, count + 1, next, k);
      });
    }
    if (count >= e.min) k(pos);
  }

  void Seq(const std::vector<Elem>& seq, size_t i, uint32_t pos, const Cont& k) {
    if (i == seq.size()) {
      k(pos);
      return;
    }
    const Elem& e = seq[i];
    if (e.behind) {
      // `<!elem`: the token before pos (inside the sentence) must not be matched by elem.
      bool matched = false;
      if (pos > first) Atom(e, pos - 1, [&](uint32_t next) { matched |= next == pos; });
      if (!matched) Seq(seq, i + 1, pos, k);
      return;
    }
    if (e.negated || e.lookahead) {
      bool matched = false;
      Atom(e, pos, [&](uint32_t) { matched = true; });
      if (matched == e.lookahead) Seq(seq, i + 1, pos, k);
      return;
    }
    Rep(e, 0, pos, [&](uint32_t next) { Seq(seq, i + 1, next, k); });
  }

  // Longest match of `rule` at `start`; best_end is 0 when none.
  bool Match(const Rule& rule, uint32_t start) {
    caps.assign(rule.captures.size(), Cap());
    best_end = 0;
    Seq(rule.pattern, 0, start, [&](uint32_t end) {
      if (end > start && end > best_end) {
        best_end = end;
        best_caps = caps;
      }
    });
    return best_end > 0;
  }
};

// The first tokens a sequence can start with: literal strings, `number` when a class may start
// it, `any` when anything may (a regex, or a pattern that may be empty at the front).
struct FirstSet {
  std::vector<std::string> words;
  bool number = false;
  bool any = false;
};

void First(const Grammar& g, const std::vector<Elem>& seq, size_t i, FirstSet& f) {
  for (; i < seq.size(); ++i) {
    const Elem& e = seq[i];
    if (e.negated || e.lookahead) continue;
    switch (e.kind) {
      case Elem::Kind::kLiteral:
        f.words.push_back(e.text);
        break;
      case Elem::Kind::kRegex:
        f.any = true;
        break;
      case Elem::Kind::kClass:
        f.number = true;
        break;
      case Elem::Kind::kLexicon:
        if (e.index >= 0) {
          for (const auto& [w, entries] : g.lexicons[static_cast<size_t>(e.index)].by_first)
            f.words.push_back(w);
        }
        break;
      case Elem::Kind::kGroup:
        for (const auto& alt : e.alts) {
          FirstSet sub;
          First(g, alt, 0, sub);
          f.words.insert(f.words.end(), sub.words.begin(), sub.words.end());
          f.number |= sub.number;
          f.any |= sub.any;
        }
        break;
    }
    if (e.min > 0) {
      // A group whose alternatives may all be empty is rare; treat it as opaque.
      return;
    }
  }
  f.any = true;  // the whole sequence may be empty from i on
}

// How costly a word is as a trigger: frequent words make a poor prefilter.
double WordCost(std::string_view w) {
  static const char* const kVeryCommon[] = {
      "the", "a",    "an",   "in",   "of",   "to", "and", ",", "on", "at", "for",
      "by",  "that", "this", "from", "with", "as", "or",  "-", ".",  "is", "was"};
  static const char* const kCommon[] = {
      "after", "before", "some",    "over",    "into",  "during", "one", "first", "last", "next",
      "early", "late",   "about",   "around",  "these", "those",  "his", "her",   "its",  "their",
      "until", "since",  "through", "between", "many",  "few",    "two", "new",   "more", "than"};
  for (const char* c : kVeryCommon)
    if (w == c) return 1000;
  for (const char* c : kCommon)
    if (w == c) return 100;
  return 1;
}

struct TokSet {
  std::vector<std::string> words;
  bool number = false;
  bool any = true;
  double Cost() const {
    if (any) return 1e18;
    double c = number ? 50 : 0;
    for (const auto& w : words) c += WordCost(w);
    return c;
  }
};

TokSet BestRequired(const Grammar& g, const std::vector<Elem>& seq);

// The tokens one occurrence of `e` must contain (a superset).
TokSet ElemSet(const Grammar& g, const Elem& e) {
  TokSet s;
  s.any = false;
  switch (e.kind) {
    case Elem::Kind::kLiteral:
      s.words.push_back(e.text);
      break;
    case Elem::Kind::kLexicon:
      if (e.index < 0) {
        s.any = true;
        break;
      }
      for (const auto& [w, entries] : g.lexicons[static_cast<size_t>(e.index)].by_first)
        s.words.push_back(w);
      break;
    case Elem::Kind::kClass:
      s.number = true;
      break;
    case Elem::Kind::kRegex:
      s.any = true;
      break;
    case Elem::Kind::kGroup:
      for (const auto& alt : e.alts) {
        TokSet a = BestRequired(g, alt);
        if (a.any) {
          s.any = true;
          break;
        }
        s.words.insert(s.words.end(), a.words.begin(), a.words.end());
        s.number |= a.number;
      }
      break;
  }
  return s;
}

// The most selective token set that every match of `seq` must contain.
TokSet BestRequired(const Grammar& g, const std::vector<Elem>& seq) {
  TokSet best;
  for (const Elem& e : seq) {
    if (e.negated || e.lookahead || e.min == 0) continue;
    TokSet s = ElemSet(g, e);
    if (s.Cost() < best.Cost()) best = std::move(s);
  }
  return best;
}

// Most tokens a sequence can span (capped).
uint32_t MaxLen(const Grammar& g, const std::vector<Elem>& seq) {
  uint32_t n = 0;
  for (const Elem& e : seq) {
    if (e.negated || e.lookahead) continue;
    uint32_t one = 1;
    if (e.kind == Elem::Kind::kLexicon && e.index >= 0) {
      for (const auto& [w, entries] : g.lexicons[static_cast<size_t>(e.index)].by_first)
        for (const LexEntry& le : entries) one = std::max<uint32_t>(one, le.tokens.size());
    } else if (e.kind == Elem::Kind::kGroup) {
      for (const auto& alt : e.alts) one = std::max(one, MaxLen(g, alt));
    }
    n += one * e.max;
  }
  return std::min<uint32_t>(n, 255);
}

constexpr uint32_t kQuickWindow = 16;

// Words that mark the tense of a clause for resolving weekdays and year-less dates.
bool IsWill(std::string_view w) { return w == "will" || w == "'ll" || w == "’ll" || w == "shall"; }
bool IsFutureCue(std::string_view w) {
  return IsWill(w) || w == "would" || w == "scheduled" ||
         w == "upcoming" || w == "expected" || w == "plans" || w == "planned" || w == "plan" ||
         w == "intends" || w == "slated" || w == "due";
}
bool IsPastWord(std::string_view w) {
  static const std::unordered_set<std::string_view> kPast = {
      "was", "were", "had", "did", "said", "told", "went", "came", "took", "made", "met", "gave",
      "left", "got", "held", "began", "saw", "fought", "ran", "sent", "brought", "thought",
      "found", "became", "fell", "won", "lost", "led", "struck", "shot", "fled", "rose", "spoke",
      "wrote", "paid", "kept", "built", "sold", "bought", "caught", "hit", "knew", "stood",
      "heard", "meant", "felt", "drove", "flew", "broke", "chose", "woke", "ate", "drew", "grew",
      "threw", "blew", "swore", "tore", "wore", "froze", "stole", "sought", "taught", "fed",
      "bled", "slid", "spent", "lent", "bent", "dealt", "hung", "sank", "sang", "rang", "swam",
      "forgot", "forbade", "hid", "bit", "lay", "laid", "rode", "arose", "withdrew",
      "overthrew", "undertook", "beat", "split", "quit", "cut", "ago", "yesterday"};
  return kPast.count(w) > 0;
}

// The tense nearest to tokens [b, e) within [sb, se): -1 past, 1 future, 0 unknown. A past
// participle after "will", "to" or "be" ("will be held", "is to be signed") is future; other
// "-ed" words and irregular past forms are past.
int TenseAround(const AnnotationSet& set, const std::vector<Token>& toks, uint32_t sb,
                uint32_t se, uint32_t b, uint32_t e) {
  auto lower = [&](uint32_t i) { return set.Lower(toks[i]); };
  // A cue word's tense: -1, 1, kPresent (a present passive: it decides, with no direction), or
  // 0 (no cue).
  constexpr int kPresent = 2;
  auto cue = [&](uint32_t i) -> int {
    if (toks[i].kind != TokenKind::kWord) return 0;
    std::string_view w = lower(i);
    if (IsFutureCue(w)) return 1;
    if (w == "going" && i + 1 < se && lower(i + 1) == "to") return 1;
    if (w == "wo" && i + 1 < se && lower(i + 1) == "n't") return 1;
    bool ed = w.size() >= 5 && w.ends_with("ed");
    if (ed || IsPastWord(w)) {
      for (uint32_t k = i; k > sb && i - k < 3;) {
        --k;
        std::string_view p = lower(k);
        if (IsWill(p) || p == "to") return 1;
        if (p == "be" && k > sb && (lower(k - 1) == "will" || lower(k - 1) == "to")) return 1;
        // A present passive ("the case is heard in May"): present, no direction.
        if (p == "is" || p == "are" || p == "am") return kPresent;
      }
      return -1;
    }
    return 0;
  };
  auto tense = [&](int t) { return t == kPresent ? 0 : t; };
  // The verb of the expression's own clause comes first: left of it up to a clause boundary
  // ("Qantas will double its flights by August in the search for new markets untouched by the
  // crisis": "will", not "untouched"); then the nearest cue on either side, skipping the left
  // words already read.
  uint32_t checked = b;  // left words from here on were read
  for (uint32_t k = b; k > sb;) {
    --k;
    std::string_view w = lower(k);
    if (w == "," || w == ";" || w == ":" || w == "(" || w == ")" || w == "\"" || w == "“" ||
        w == "”" || w == "that" || w == "which" || w == "who")
      break;
    checked = k;
    // "searching since the Oct. 23 slaying", "since March": what follows "since" is past.
    if (w == "since") return -1;
    if (int t = cue(k)) return tense(t);
  }
  for (uint32_t d = 1; (b >= sb + d) || (e - 1 + d < se); ++d) {
    if (b >= sb + d && b - d < checked) {
      if (int t = cue(b - d)) return tense(t);
    }
    if (e - 1 + d < se) {
      if (int t = cue(e - 1 + d)) return tense(t);
    }
  }
  return 0;
}

struct PendingTimex {
  uint32_t rule;
  uint32_t first, end;  // token range of the whole match
  std::vector<Cap> caps;
};

}  // namespace

Result<std::unique_ptr<TemporalTagger>> TemporalTagger::Create(
    const std::vector<SourceFile>& grammars, TemporalMode mode, const TokenizerOptions& tokenizer) {
  std::unique_ptr<TemporalTagger> t(new TemporalTagger());
  TokenizerOptions topt = tokenizer;
  topt.newline = TokenizerOptions::Newline::kNever;  // grammar lines and examples are one line
  auto tok = Tokenizer::Create(topt);
  if (!tok) return tok.error();
  t->tokenizer_ = std::move(*tok);
  t->mode_ = mode;
  auto g = ParseGrammar(grammars.empty() ? BuiltinTemporalGrammar() : grammars, *t->tokenizer_);
  if (!g) return g.error();
  t->grammar_ = std::move(*g);
  t->Index();
  return t;
}

void TemporalTagger::Index() {
  for (uint32_t r = 0; r < grammar_.rules.size(); ++r) {
    FirstSet f;
    First(grammar_, grammar_.rules[r].pattern, 0, f);
    if (f.any) {
      on_any_.push_back(r);
      continue;
    }
    if (f.number) on_number_.push_back(r);
    std::sort(f.words.begin(), f.words.end());
    f.words.erase(std::unique(f.words.begin(), f.words.end()), f.words.end());
    for (const std::string& w : f.words) words_[w].rules.push_back(r);
  }
  // Trigger sets for the prefilter.
  std::map<std::string, int> set_bits;
  rule_bit_.assign(grammar_.rules.size(), 0);
  rule_window_.assign(grammar_.rules.size(), 0);
  for (uint32_t r = 0; r < grammar_.rules.size(); ++r) {
    const Rule& rule = grammar_.rules[r];
    TokSet s = BestRequired(grammar_, rule.pattern);
    if (s.any) continue;
    std::sort(s.words.begin(), s.words.end());
    s.words.erase(std::unique(s.words.begin(), s.words.end()), s.words.end());
    std::string key = s.number ? "#" : "";
    for (const auto& w : s.words) key += w + '\x1f';
    int bit = set_bits.emplace(key, static_cast<int>(set_bits.size() % 64)).first->second;
    uint64_t mask = uint64_t{1} << bit;
    rule_bit_[r] = mask;
    rule_window_[r] = static_cast<uint8_t>(MaxLen(grammar_, rule.pattern));
    for (const auto& w : s.words) words_[w].mask |= mask;
    if (s.number) trigger_number_ |= mask;
  }
  for (auto& [w, info] : words_) {
    for (uint32_t r : info.rules) {
      info.rules_bits |= rule_bit_[r];
      if (!rule_bit_[r] || rule_window_[r] > kQuickWindow) info.quick = false;
    }
  }
}

Status TemporalTagger::Run(const RunContext& ctx, AnnotationSet& set) const {
  return Tag(ctx.doc.text(), ctx.dct, set, ctx.options.max_matches_per_rule, &ctx);
}

Result<AnnotationSet> TemporalTagger::TagText(std::string_view text, std::string_view dct) const {
  AnnotationSet set;
  QUARRY_RETURN_IF_ERROR(tokenizer_->Tokenize(text, set));
  QUARRY_RETURN_IF_ERROR(Tag(text, dct, set));
  return set;
}

Status TemporalTagger::Tag(std::string_view text, std::string_view dct, AnnotationSet& set,
                           uint32_t max_matches_per_rule, const RunContext* run) const {
  const auto& toks = set.tokens();
  Matcher m{grammar_, set, toks, text};
  std::vector<PendingTimex> found;
  std::vector<uint32_t> cands;
  // Trigger masks of every token (see Index()).
  std::vector<uint64_t> masks(toks.size());
  std::vector<const WordInfo*> infos(toks.size());
  std::vector<uint8_t> numeric(toks.size());
  for (size_t i = 0; i < toks.size(); ++i) {
    std::string_view w = set.Lower(toks[i]);
    uint64_t mk = 0;
    if (auto it = words_.find(w); it != words_.end()) {
      infos[i] = &it->second;
      mk = it->second.mask;
    }
    if (toks[i].kind == TokenKind::kNumber || (!w.empty() && w[0] >= '0' && w[0] <= '9')) {
      mk |= trigger_number_;
      numeric[i] = 1;
    }
    masks[i] = mk;
  }
  // The trigger masks of the next kQuickWindow tokens, for a quick rejection of most candidates
  // (sentence ends are ignored here: the exact check below stops at them).
  std::vector<uint64_t> ahead(masks);
  for (size_t span = 1; span < kQuickWindow; span *= 2) {  // doubling: ORs of 2, 4, 8, 16
    for (size_t i = 0; i + span < ahead.size(); ++i) ahead[i] |= ahead[i + span];
  }
  auto run_range = [&](uint32_t first, uint32_t end) {
    m.first = first;
    m.limit = end;
    for (uint32_t i = first; i < end;) {
      cands.clear();
      if (!infos[i] && !numeric[i] && on_any_.empty()) {
        ++i;
        continue;
      }
      if (const WordInfo* info = infos[i];
          info && !(info->quick && !(ahead[i] & info->rules_bits))) {
        for (uint32_t r : info->rules) {
          uint64_t bit = rule_bit_[r];
          if (bit && rule_window_[r] <= kQuickWindow && !(ahead[i] & bit)) continue;
          if (bit) {
            uint64_t seen = 0;
            uint32_t stop = std::min<uint32_t>(end, i + rule_window_[r]);
            for (uint32_t j = i; j < stop && !(seen & bit); ++j) seen |= masks[j];
            if (!(seen & bit)) continue;
          }
          cands.push_back(r);
        }
      }
      bool merged = false;
      if (numeric[i] && !on_number_.empty()) {
        merged = !cands.empty();
        for (uint32_t r : on_number_) {
          uint64_t bit = rule_bit_[r];
          if (bit && rule_window_[r] <= kQuickWindow && !(ahead[i] & bit)) continue;
          cands.push_back(r);
        }
      }
      if (!on_any_.empty()) {
        merged |= !cands.empty();
        cands.insert(cands.end(), on_any_.begin(), on_any_.end());
      }
      if (cands.empty()) {
        ++i;
        continue;
      }
      if (merged) std::sort(cands.begin(), cands.end());
      uint32_t best_end = 0, best_rule = 0;
      std::vector<Cap> best_caps;
      for (uint32_t r : cands) {
        if (m.Match(grammar_.rules[r], i) && m.best_end > best_end) {
          best_end = m.best_end;
          best_rule = r;
          best_caps = m.best_caps;
        }
      }
      if (best_end == 0) {
        ++i;
        continue;
      }
      found.push_back(PendingTimex{best_rule, i, best_end, std::move(best_caps)});
      i = best_end;
    }
  };
  if (set.sentences().empty()) {
    run_range(0, static_cast<uint32_t>(toks.size()));
  } else {
    uint32_t n = 0;
    for (const Sentence& s : set.sentences()) {
      if (run && (++n & 63) == 0) QUARRY_RETURN_IF_ERROR(run->CheckDeadline("temporal"));
      run_range(s.first_token, s.end_token);
    }
  }
  if (run) QUARRY_RETURN_IF_ERROR(run->CheckDeadline("temporal"));

  if (max_matches_per_rule > 0) {
    std::vector<uint32_t> per_rule(grammar_.rules.size());
    for (const PendingTimex& p : found) {
      if (++per_rule[p.rule] > max_matches_per_rule) {
        const Rule& r = grammar_.rules[p.rule];
        return Status(StatusCode::kResourceExhausted,
                      "temporal rule " + r.name + " (" + r.file + ":" + std::to_string(r.line) +
                          ") matched more than " + std::to_string(max_matches_per_rule) + " times");
      }
    }
  }
  // Normalization in document order.
  NormContext ctx;
  ctx.dct = ParseDateValue(dct);
  TemporalMode mode = mode_;
  if (run && run->options.temporal_mode != TemporalMode::kAuto) mode = run->options.temporal_mode;
  ctx.news = mode == TemporalMode::kNews;
  if (mode == TemporalMode::kNarrative) {
    ctx.narrative = true;
  } else if (mode == TemporalMode::kNews) {
    // News without a document date: deictic expressions stay unresolved, never invented.
    ctx.narrative = false;
  } else if (!ctx.dct.valid()) {
    ctx.narrative = true;
  } else {
    // News when at least half of what dates the text is near the DCT: explicit years within a
    // year of it, and weekdays and yesterday/tomorrow (which only news uses). A 2009 article on
    // the Iraq war (2003-2008) or on 1939 is narrative; a 1998 wire story that recalls 1993 is
    // news.
    std::vector<int> years;
    size_t deictic_days = 0;
    for (const PendingTimex& p : found) {
      for (const ValueSpec& v : grammar_.rules[p.rule].values) {
        if (v.function == "date" && !v.args.empty() && v.args[0].capture >= 0) {
          const Cap& c = p.caps[static_cast<size_t>(v.args[0].capture)];
          if (c.set && c.value.size() == 4) years.push_back(Int(c.value));
        } else if (v.function == "bc") {
          years.push_back(-1000);
        } else if (v.function == "weekday" || v.function == "wtime" || v.function == "dpart" ||
                   (v.function == "deictic" && v.args.size() > 1 && v.args[1].literal == "D")) {
          ++deictic_days;
        }
      }
    }
    if (!years.empty()) {
      size_t near = deictic_days;
      for (int y : years) near += std::abs(y - ctx.dct.y) <= 1;
      ctx.narrative = near * 2 < years.size() + deictic_days;
    }
  }
  std::vector<std::string_view> args;
  const auto& sentences = set.sentences();
  size_t si = 0;                      // the sentence of the current timex
  size_t anchor_sentence = SIZE_MAX;  // where an explicit year last set the anchor
  std::string quarter;                // the last quarter named ("1989-Q3") and its sentence
  size_t quarter_sentence = SIZE_MAX;
  for (const PendingTimex& p : found) {
    const Rule& rule = grammar_.rules[p.rule];
    while (si + 1 < sentences.size() && sentences[si].end_token <= p.first) ++si;
    uint32_t sb = sentences.empty() ? 0 : sentences[si].first_token;
    uint32_t se = sentences.empty() ? static_cast<uint32_t>(toks.size()) : sentences[si].end_token;
    ctx.tense = TenseAround(set, toks, sb, se, p.first, p.end);
    ctx.anchor_here = anchor_sentence == si;
    ctx.quarter_near = quarter_sentence != SIZE_MAX && si - quarter_sentence <= 1 ? quarter : "";
    uint32_t first_ann = static_cast<uint32_t>(set.annotations().size());
    for (const ValueSpec& v : rule.values) {
      uint32_t b = p.first, e = p.end;
      if (v.part >= 0) {
        const Cap& c = p.caps[static_cast<size_t>(v.part)];
        if (!c.set) continue;
        b = c.begin;
        e = c.end;
      }
      NormResult out;
      if (v.function_id < 0) {
        out.value = v.literal;
      } else {
        args.clear();
        for (const Arg& a : v.args) {
          if (a.capture >= 0) {
            const Cap& c = p.caps[static_cast<size_t>(a.capture)];
            args.emplace_back(c.set ? std::string_view(c.value) : std::string_view());
          } else {
            args.emplace_back(a.literal);
          }
        }
        NormFunctionAt(v.function_id).fn(args, ctx, out);
      }
      // An event-anchored duration ("three days later", "90 days after the merger") is the
      // measure alone, as TimeML marks it; its signal word is kept as a feature.
      if (!out.signal.empty() && v.part < 0) {
        for (size_t k = 0; k < rule.captures.size(); ++k) {
          if (rule.captures[k] != "core" || !p.caps[k].set) continue;
          b = p.caps[k].begin;
          e = p.caps[k].end;
        }
      }
      Annotation ann;
      ann.layer = Layer::kTimex;
      ann.type = rule.type;
      if (ann.type == "DATE" && out.value.find('T') != std::string::npos &&
          out.value.find("REF") == std::string::npos)
        ann.type = "TIME";
      if (!out.type.empty()) ann.type = out.type;
      ann.span = Span{toks[b].span.begin, toks[e - 1].span.end};
      ann.SetFeature("value", out.value);
      if (!out.signal.empty()) ann.SetFeature("signal", out.signal);
      std::string mod = rule.mod.literal;
      if (rule.mod.capture >= 0 && p.caps[static_cast<size_t>(rule.mod.capture)].set) {
        mod = p.caps[static_cast<size_t>(rule.mod.capture)].value;
      }
      if (!mod.empty()) ann.SetFeature("mod", mod);
      if (!out.anchor.empty()) ann.SetFeature("anchor", out.anchor);
      if (out.unresolved) {
        ann.SetFeature("unresolved", true);
        // Why: what the value would have needed.
        ann.SetFeature("reason", !ctx.dct.valid() && mode == TemporalMode::kNews
                                     ? std::string("news mode and no document date")
                                 : !ctx.dct.valid() && !ctx.anchor.valid()
                                     ? std::string("no document date and no date mentioned before")
                                     : std::string("the reference date lacks the needed detail"));
      }
      ann.prov.source = "temporal";
      ann.prov.file = rule.file;
      ann.prov.line = rule.line;
      ann.prov.rule = rule.name;
      set.Add(std::move(ann));
      if (out.value.size() == 7 && out.value[4] == '-' && out.value[5] == 'Q' &&
          out.value.find('X') == std::string::npos) {
        quarter = out.value;
        quarter_sentence = si;
      }
      if (out.sets_anchor) {
        Ymd a = AnchorFromValue(out.value);
        if (a.valid()) {
          ctx.anchor = a;
          if (out.explicit_year) {
            anchor_sentence = si;
            ctx.anchor_here = true;
          }
        }
      }
    }
    // A rule that produces two parts describes a range: both carry its begin and end.
    auto& anns = set.mutable_annotations();
    if (anns.size() - first_ann == 2) {
      std::string b = anns[first_ann].FeatureString("value");
      std::string e = anns[first_ann + 1].FeatureString("value");
      for (size_t k = first_ann; k < anns.size(); ++k) {
        anns[k].SetFeature("begin", b);
        anns[k].SetFeature("end", e);
      }
    }
  }
  // Ranges written with two separately matched dates: "from 2011 to 2012", "between 1998 and
  // 2001", "2010-2015", "(2010–2015)".
  auto& anns = set.mutable_annotations();
  uint32_t prev = UINT32_MAX;
  for (uint32_t k = 0; k < anns.size(); ++k) {
    if (anns[k].layer != Layer::kTimex) continue;
    if (prev != UINT32_MAX && anns[prev].type == "DATE" && anns[k].type == "DATE" &&
        !anns[prev].FindFeature("begin")) {
      const Annotation& a = anns[prev];
      const Annotation& b = anns[k];
      bool range = false;
      if (b.first_token == a.end_token + 1) {
        std::string_view gap = set.Lower(toks[a.end_token]);
        std::string_view before = a.first_token > 0 ? set.Lower(toks[a.first_token - 1]) : "";
        if (gap == "-" || gap == "–" || gap == "—" || gap == "until" || gap == "till" ||
            gap == "through") {
          range = true;
        } else if (gap == "to") {
          range = before == "from";
        } else if (gap == "and") {
          range = before == "between";
        }
      }
      if (range) {
        std::string bv = a.FeatureString("value"), ev = b.FeatureString("value");
        for (uint32_t x : {prev, k}) {
          anns[x].SetFeature("begin", bv);
          anns[x].SetFeature("end", ev);
        }
      }
    }
    prev = k;
  }
  return Status();
}

ExampleReport TemporalTagger::CheckExamples() const {
  ExampleReport rep;
  for (const Rule& rule : grammar_.rules) {
    for (const Example& ex : rule.examples) {
      ++rep.examples;
      auto fail = [&](std::string msg) {
        Diagnostic d;
        d.file = rule.file;
        d.line = ex.line;
        d.column = 1;
        d.message = "rule " + rule.name + ": " + msg;
        d.snippet = ex.text;
        rep.failures.push_back(std::move(d));
      };
      size_t before = rep.failures.size();
      auto set = TagText(ex.text, ex.dct);
      if (!set) {
        fail(set.error().ToString());
        ++rep.failed;
        continue;
      }
      std::vector<const Annotation*> got;
      for (const Annotation& a : set->annotations())
        if (a.layer == Layer::kTimex) got.push_back(&a);
      auto describe = [&](const Annotation& a) {
        return "[" + std::string(ex.text.substr(a.span.begin, a.span.size())) +
               "] = " + a.FeatureString("value") + " (rule " + a.prov.rule + ")";
      };
      if (ex.reject) {
        for (const Annotation* a : got)
          if (a->prov.rule == rule.name) fail("must not match, but found " + describe(*a));
      } else {
        bool by_rule = false;
        for (size_t i = 0; i < ex.marks.size(); ++i) {
          auto [mb, me] = ex.marks[i];
          std::string want = "[" + ex.text.substr(mb, me - mb) + "]";
          const Annotation* hit = nullptr;
          for (const Annotation* a : got)
            if (a->span.begin == mb && a->span.end == me) hit = a;
          if (!hit) {
            std::string found;
            for (const Annotation* a : got) found += " " + describe(*a);
            fail("expected " + want + ", found" + (found.empty() ? " nothing" : found));
            continue;
          }
          if (hit->prov.rule == rule.name) by_rule = true;
          if (i < ex.values.size() && !ex.values[i].empty() &&
              hit->FeatureString("value") != ex.values[i]) {
            fail("expected " + want + " = " + ex.values[i] + ", got " + describe(*hit));
          }
        }
        for (const Annotation* a : got) {
          bool marked = false;
          for (auto [mb, me] : ex.marks) marked |= a->span.begin == mb && a->span.end == me;
          if (!marked) fail("unexpected " + describe(*a));
        }
        if (!by_rule && rep.failures.size() == before) {
          fail("the example is matched, but by other rules only");
        }
      }
      if (rep.failures.size() > before) ++rep.failed;
    }
  }
  return rep;
}

Result<std::unique_ptr<Stage>> CompileTemporalStage(const std::vector<SourceFile>& grammars,
                                                    const TokenizerOptions& tokenizer) {
  auto t = TemporalTagger::Create(grammars, TemporalMode::kAuto, tokenizer);
  if (!t) return t.error();
  return std::unique_ptr<Stage>(std::move(*t));
}

}  // namespace quarry::internal
