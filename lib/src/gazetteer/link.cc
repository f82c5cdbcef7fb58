// gazetteer/link.cc: the within-document linker (definitions, alias phrases, short forms,
// titles and appositions). See stage.h for the contract and docs/gazetteers.md for the rules.
#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

#include "gazetteer/normalize.h"
#include "gazetteer/stage.h"

namespace quarry::internal {
namespace {

// Honorifics written as part of a name ("Mullah Omar", "Syed Tayyib Agha"): inside the mention.
const std::set<std::string_view> kNameTitles = {
    "Mullah", "Mawlawi", "Maulvi", "Mawlana", "Maulana", "Syed",  "Sayed",     "Sayyid",
    "Sheikh", "Shaikh",  "Haji",   "Hajji",   "Qari",    "Mufti", "Ayatollah", "Hojatoleslam",
    "Imam",   "Emir",    "Amir",   "Pir",     "Khalifa", "Sardar"};
// Titles that precede a name but are not part of it ("President Karzai").
const std::set<std::string_view> kOuterTitles = {
    "President", "Minister",   "General", "Gen.",    "Commander",  "Colonel",   "Col.",
    "Mr.",       "Mrs.",       "Ms.",     "Dr.",     "Mr",         "Mrs",       "Dr",
    "Senator",   "Sen.",       "King",    "Prince",  "Ambassador", "Governor",  "Chairman",
    "Marshal",   "Lieutenant", "Major",   "Captain", "Admiral",    "Brigadier", "Secretary"};
// Lower-case particles allowed inside a name between capitalised parts.
const std::set<std::string_view> kParticles = {"bin", "ibn", "al", "ul", "ud", "e",   "i",
                                               "ad",  "as",  "ar", "el", "de", "van", "von"};
// Nouns that make an apposition a person ("X, an Iranian diplomat").
const std::set<std::string_view> kPersonNouns = {
    "diplomat",  "leader",       "leaders", "commander", "journalist", "official",   "minister",
    "spokesman", "spokesperson", "general", "cleric",    "politician", "ambassador", "president",
    "founder",   "chief",        "head",    "envoy",     "negotiator", "deputy",     "emir",
    "governor",  "son",          "brother", "cousin",    "nephew",     "father",     "militant",
    "analyst",   "officer",      "colonel", "adviser",   "advisor",    "mullah",     "scholar"};
// Capitalised words that do not start a name.
const std::set<std::string_view> kNotNames = {
    "The", "A", "An", "In", "On", "At", "Of", "And", "But", "Or", "If", "As", "By", "For", "With",
    "From", "To", "This", "That", "These", "Those", "It", "He", "She", "They", "We", "I", "His",
    "Her", "Their", "Its", "Our", "After", "Before", "During", "Since", "While", "When", "Where",
    "Not", "No", "Some", "Most", "Many", "Only", "Three", "Two", "One", "Another", "Also",
    "According", "Between", "Despite", "Following", "Furthermore", "However", "Included",
    "Intelligence", "Sources", "Subsequently", "Recently", "History", "Conclusion", "Considering",
    "Challenges", "Notwithstanding", "Tensions", "Due", "Under", "Over", "Then", "There", "Here",
    // Institution words that follow a title word without being a name ("General Staff").
    "Headquarters", "Staff", "Assembly", "Council", "Command", "Committee", "Court", "Government",
    "Army", "Navy", "Office", "Elections", "Election", "Secretariat", "Department", "Ministry",
    "Directorate", "Bureau", "Agency", "Service", "Services", "Security", "Intelligence", "Guard",
    "Guards", "Forces", "Force", "Corps", "Mosque", "Prayer", "Prayers"};
// Name words too common to stand alone as a short form.
const std::set<std::string_view> kCommonNameWords = {
    "al",      "abu",   "bin",    "ibn",      "muhammad", "mohammad", "mohammed",
    "ahmad",   "ahmed", "abdul",  "abdullah", "khan",     "ali",      "hassan",
    "hussain", "syed",  "mullah", "agha",     "haji",     "mir",      "el"};

struct Local {
  std::string id, name, type;
  int32_t template_ann = -1;  // an annotation whose features are copied
};

class Linker {
 public:
  Linker(const CompiledGazetteer& g, const Document& doc, AnnotationSet& set)
      : g_(g), doc_(doc), set_(set), toks_(set.tokens()) {}

  void Run() {
    ProvinceContext();
    Cover();
    Titles();
    Appositions();
    Parentheses();
    AliasPhrases();
    ShortForms();
    RelinkTitled();
    ScanDocAliases();
    SortAnnotations();
  }

 private:
  std::string_view Text(uint32_t i) const { return doc_.Slice(toks_[i].span); }
  bool IsWord(uint32_t i) const { return i < toks_.size() && toks_[i].kind == TokenKind::kWord; }
  bool IsJoin(uint32_t i) const {
    return i < toks_.size() && toks_[i].kind == TokenKind::kPunctuation && IsJoiner(Text(i)) &&
           !toks_[i].Has(kSpaceBefore) && i + 1 < toks_.size() && !toks_[i + 1].Has(kSpaceBefore);
  }
  bool Cap(uint32_t i) const { return IsWord(i) && StartsUpper(Text(i)); }
  bool Free(uint32_t i) const { return i < covered_.size() && covered_[i] < 0; }
  uint32_t SentenceEnd(uint32_t i) const {
    return i < sent_end_.size() ? sent_end_[i] : static_cast<uint32_t>(toks_.size());
  }
  uint32_t SentenceBegin(uint32_t i) const { return i < sent_begin_.size() ? sent_begin_[i] : 0; }

  // A name shared by a city and a province ("Kabul", "Kunduz") is the province when the text says
  // so: "Kunduz province", or a list with a province ("Kabul and Maidan Wardak").
  void ProvinceContext() {
    auto& anns = set_.mutable_annotations();
    std::vector<uint32_t> ents;
    for (uint32_t a = 0; a < anns.size(); ++a) {
      if (anns[a].layer == Layer::kEntity) ents.push_back(a);
    }
    std::sort(ents.begin(), ents.end(),
              [&](uint32_t x, uint32_t y) { return anns[x].span.begin < anns[y].span.begin; });
    auto province_alt = [&](const Annotation& a) -> uint32_t {
      std::string amb = a.FeatureString("ambiguous");
      if (a.type != "GPE" || amb.empty() || a.FeatureString("subtype") == "province") {
        return CompiledGazetteer::kNoToken;
      }
      size_t pos = 0;
      while (pos <= amb.size()) {
        size_t sp = amb.find(' ', pos);
        if (sp == std::string::npos) sp = amb.size();
        uint32_t e = g_.FindEntry(std::string_view(amb).substr(pos, sp - pos));
        if (e != CompiledGazetteer::kNoToken && g_.entry_subtype(e) == "province") return e;
        pos = sp + 1;
      }
      return CompiledGazetteer::kNoToken;
    };
    auto is_province = [&](uint32_t a) { return anns[a].FeatureString("subtype") == "province"; };
    // Only ",", "and", "or" between two mentions make a list.
    auto listed = [&](uint32_t a, uint32_t b) {
      for (uint32_t t = anns[a].end_token; t < anns[b].first_token; ++t) {
        std::string_view w = set_.Lower(toks_[t]);
        if (w != "," && w != "and" && w != "or") return false;
      }
      return anns[a].end_token < anns[b].first_token;
    };
    for (int pass = 0; pass < 2; ++pass) {
      for (size_t k = 0; k < ents.size(); ++k) {
        Annotation& a = anns[ents[k]];
        uint32_t alt = province_alt(a);
        if (alt == CompiledGazetteer::kNoToken) continue;
        std::string why;
        if (a.end_token < toks_.size()) {
          std::string_view next = set_.Lower(toks_[a.end_token]);
          if (next == "province" || next == "provinces")
            why = "followed by '" + std::string(next) + "'";
        }
        if (why.empty() && k > 0 && is_province(ents[k - 1]) && listed(ents[k - 1], ents[k]))
          why =
              "listed with the province '" + std::string(doc_.Slice(anns[ents[k - 1]].span)) + "'";
        if (why.empty() && k + 1 < ents.size() && is_province(ents[k + 1]) &&
            listed(ents[k], ents[k + 1]))
          why =
              "listed with the province '" + std::string(doc_.Slice(anns[ents[k + 1]].span)) + "'";
        if (why.empty()) continue;
        std::string was = a.FeatureString("entity");
        Annotation b;
        SetEntityFeatures(g_, alt, b);
        b.SetFeature("ambiguous", was);
        b.SetFeature("evidence", "province context: " + why);
        a.features = std::move(b.features);
        a.type = b.type;
        a.prov = b.prov;
        a.prov.rule = "province-context";
      }
    }
  }

  void Cover() {
    covered_.assign(toks_.size(), -1);
    sent_begin_.assign(toks_.size(), 0);
    sent_end_.assign(toks_.size(), static_cast<uint32_t>(toks_.size()));
    for (const Sentence& s : set_.sentences()) {
      for (uint32_t t = s.first_token; t < s.end_token && t < toks_.size(); ++t) {
        sent_begin_[t] = s.first_token;
        sent_end_[t] = s.end_token;
      }
    }
    const auto& anns = set_.annotations();
    for (uint32_t a = 0; a < anns.size(); ++a) {
      if (anns[a].layer != Layer::kEntity) continue;
      for (uint32_t t = anns[a].first_token; t < anns[a].end_token; ++t) covered_[t] = a;
      Remember(anns[a], a);
    }
  }

  void Remember(const Annotation& a, uint32_t index) {
    std::string id = a.FeatureString("entity");
    auto [it, fresh] = locals_.emplace(id, Local{});
    if (fresh) {
      it->second = Local{id, a.FeatureString("name"), a.type, static_cast<int32_t>(index)};
    }
  }

  // A free capitalised name starting at i: capitalised words, with particles and hyphens
  // inside. Returns the end (exclusive), or i when there is none.
  uint32_t NameAt(uint32_t i, uint32_t limit, size_t max_words = 6) const {
    if (!Cap(i) || !Free(i) || kNotNames.count(Text(i))) return i;
    uint32_t end = i + 1, j = i + 1;
    size_t words = 1;
    while (j < limit && words < max_words && Free(j)) {
      if (IsJoin(j)) {
        ++j;
        continue;
      }
      if (Cap(j) && !kNotNames.count(Text(j))) {
        end = ++j;
        ++words;
        continue;
      }
      if (IsWord(j) && kParticles.count(Text(j)) && (Cap(j + 1) || (IsJoin(j + 1) && Cap(j + 2)))) {
        ++j;
        continue;
      }
      break;
    }
    return end;
  }

  std::string Slug(std::string_view name) const {
    std::string key, out = "doc:";
    for (std::string_view t : SplitName(name)) {
      key.clear();
      AppendMatchKeyOfText(t, key);
      if (key.empty()) continue;
      if (out.size() > 4) out.push_back('-');
      out += key;
    }
    return out;
  }

  // Adds a mention over tokens [b, e) of entity `id` (known in locals_, or new with name/type).
  uint32_t AddMention(uint32_t b, uint32_t e, const std::string& id, const std::string& name,
                      const std::string& type, const char* rule, std::string evidence) {
    Annotation a;
    a.layer = Layer::kEntity;
    a.span = Span{toks_[b].span.begin, toks_[e - 1].span.end};
    auto it = locals_.find(id);
    if (it != locals_.end() && it->second.template_ann >= 0) {
      const Annotation& t = set_.annotations()[it->second.template_ann];
      a.type = t.type;
      a.features = t.features;
      a.features.erase(std::remove_if(a.features.begin(), a.features.end(),
                                      [](const Feature& f) {
                                        return f.name == "ambiguous" || f.name == "evidence";
                                      }),
                       a.features.end());
    } else {
      a.type = type;
      a.SetFeature("entity", id);
      a.SetFeature("name", name);
    }
    a.SetFeature("evidence", std::move(evidence));
    a.prov.source = "linker";
    a.prov.rule = rule;
    uint32_t idx = set_.Add(std::move(a));
    for (uint32_t t = b; t < e; ++t) covered_[t] = idx;
    Remember(set_.annotations()[idx], idx);
    return idx;
  }

  std::string Surface(uint32_t b, uint32_t e) const {
    return std::string(doc_.Slice(Span{toks_[b].span.begin, toks_[e - 1].span.end}));
  }

  // Registers a document alias: later free occurrences of tokens [b, e) link to `id`.
  void DocAlias(uint32_t b, uint32_t e, const std::string& id, const char* rule) {
    std::vector<std::string> key;
    bool acronym = true;
    for (uint32_t t = b; t < e; ++t) {
      if (IsJoin(t)) continue;
      key.emplace_back(Text(t));
      if (!LooksLikeAcronym(Text(t))) acronym = false;
    }
    if (!acronym) {
      for (auto& k : key) {
        std::string f;
        AppendMatchKeyOfText(k, f);
        k = f;
      }
    }
    AddAliasKey(std::move(key), acronym, id, rule, b);
  }

  struct AliasInfo {
    std::set<std::string> ids;
    bool exact = false;
    const char* rule = "";
    uint32_t defined_at = 0;
  };
  void AddAliasKey(std::vector<std::string> key, bool exact, const std::string& id,
                   const char* rule, uint32_t at) {
    if (key.empty()) return;
    auto [it, fresh] = aliases_.emplace(std::move(key), AliasInfo{});
    it->second.ids.insert(id);
    if (fresh) {
      it->second.exact = exact;
      it->second.rule = rule;
      it->second.defined_at = at;
    }
  }

  void Titles() {
    for (uint32_t i = 0; i + 1 < toks_.size(); ++i) {
      std::string_view t = Text(i);
      bool inner = kNameTitles.count(t) > 0;
      bool outer = kOuterTitles.count(t) > 0;
      if (!inner && !outer) continue;
      if (!Free(i) && inner) continue;
      uint32_t limit = SentenceEnd(i);
      uint32_t b = i + 1;
      // "Prime Minister X": skip the second title word.
      if (outer && b < limit && kOuterTitles.count(Text(b))) ++b;
      uint32_t e = NameAt(b, limit, 4);
      if (e == b) continue;
      uint32_t mb = inner ? i : b;
      std::string surface = Surface(mb, e);
      std::string id = Slug(surface);
      AddMention(mb, e, id, surface, "PERSON", "title",
                 "title '" + std::string(t) + "' before a capitalised name");
      i = e - 1;
    }
  }

  void Appositions() {
    for (uint32_t i = 0; i < toks_.size(); ++i) {
      uint32_t limit = SentenceEnd(i);
      uint32_t e = NameAt(i, limit);
      if (e == i) continue;
      size_t words = 0;
      for (uint32_t t = i; t < e; ++t) words += IsWord(t) ? 1 : 0;
      // Not the first word of a sentence alone, and a name of at least two words.
      if (words < 2 || e >= limit || Text(e) != ",") {
        i = e - 1;
        continue;
      }
      uint32_t j = e + 1;
      if (j < limit &&
          (Text(j) == "a" || Text(j) == "an" || Text(j) == "the" || Text(j) == "one")) {
        bool found = false;
        for (uint32_t k = j + 1; k < std::min(limit, j + 7); ++k) {
          std::string_view w = set_.Lower(toks_[k]);
          if (kPersonNouns.count(w)) {
            found = true;
            break;
          }
          if (Text(k) == "," || Text(k) == ".") break;
        }
        if (found) {
          std::string surface = Surface(i, e);
          AddMention(i, e, Slug(surface), surface, "PERSON", "apposition",
                     "apposition '" + Surface(e, std::min(limit, e + 5)) + "'");
        }
      }
      i = e - 1;
    }
  }

  // The annotation covering exactly tokens [b, e), or -1.
  int32_t CoveringExactly(uint32_t b, uint32_t e) const {
    if (b >= e || covered_[b] < 0) return -1;
    int32_t a = covered_[b];
    const Annotation& ann = set_.annotations()[a];
    return ann.first_token == b && ann.end_token == e ? a : -1;
  }

  // Skips "a.k.a", "aka", "also known as", "or", "the" at i.
  uint32_t SkipAlsoKnown(uint32_t i, uint32_t limit) const {
    while (i < limit) {
      std::string_view w = set_.Lower(toks_[i]);
      if (w == "a.k.a" || w == "a.k.a." || w == "aka" || w == "or" || w == "the" || w == "also" ||
          w == "known" || w == "as" || w == "i.e." || w == ".") {
        ++i;
      } else {
        break;
      }
    }
    return i;
  }

  static bool InitialsMatch(const std::vector<std::string_view>& words, std::string_view acro) {
    std::string initials;
    for (auto w : words) {
      if (!w.empty() && StartsUpper(w)) initials.push_back(w[0]);
    }
    std::string letters;
    for (char c : acro) {
      if (c >= 'A' && c <= 'Z') letters.push_back(c);
    }
    if (letters.size() < 2) return false;
    // Every letter of the acronym in order among the initials, first letters equal.
    if (initials.empty() || initials[0] != letters[0]) return false;
    size_t k = 0;
    for (char c : initials) {
      if (k < letters.size() && c == letters[k]) ++k;
    }
    return k == letters.size();
  }

  void Parentheses() {
    for (uint32_t p = 1; p + 2 < toks_.size(); ++p) {
      if (Text(p) != "(") continue;
      uint32_t q = p + 1;
      while (q < toks_.size() && q < p + 12 && Text(q) != ")" && Text(q) != "(") ++q;
      if (q >= toks_.size() || Text(q) != ")") continue;
      uint32_t ib = SkipAlsoKnown(p + 1, q), ie = q;
      if (ib >= ie) continue;
      // The left side: a mention ending right before "(", or a free name.
      int32_t left = covered_[p - 1];
      uint32_t lb = 0, le = p;
      if (left >= 0) {
        lb = set_.annotations()[left].first_token;
      } else {
        uint32_t sb = SentenceBegin(p - 1);
        uint32_t b = p - 1;
        while (b > sb &&
               (Cap(b - 1) || IsJoin(b - 1) ||
                (IsWord(b - 1) && kParticles.count(Text(b - 1)) && b - 1 > sb)) &&
               Free(b - 1))
          --b;
        while (b < p && (!Cap(b) || kNotNames.count(Text(b)))) ++b;
        if (b >= p || NameAt(b, p) != p) continue;
        lb = b;
      }
      int32_t inside = CoveringExactly(ib, ie);
      bool inside_free = true;
      for (uint32_t t = ib; t < ie; ++t) {
        if (!Free(t)) inside_free = false;
      }
      bool inside_acro = ie == ib + 1 && LooksLikeAcronym(Text(ib)) && Text(ib).size() >= 2;
      bool inside_name = inside_free && NameAt(ib, ie) == ie;
      if (left >= 0 && inside < 0 && inside_free && (inside_acro || inside_name)) {
        const Annotation& l = set_.annotations()[left];
        std::string id = l.FeatureString("entity");
        AddMention(ib, ie, id, l.FeatureString("name"), l.type, "parenthesis",
                   "defined in parentheses after '" + Surface(lb, le) + "'");
        DocAlias(ib, ie, id, "parenthesis");
      } else if (left < 0 && inside >= 0) {
        // "Sipah-e-Sahaba (SSP)" where only the acronym is known, or the reverse.
        const Annotation& r = set_.annotations()[inside];
        std::string id = r.FeatureString("entity");
        AddMention(lb, le, id, r.FeatureString("name"), r.type, "parenthesis",
                   "defined by '" + Surface(ib, ie) + "' in parentheses");
        DocAlias(lb, le, id, "parenthesis");
      } else if (left < 0 && inside_free && (inside_acro || inside_name)) {
        std::vector<std::string_view> lw, iw;
        for (uint32_t t = lb; t < le; ++t) lw.push_back(Text(t));
        for (uint32_t t = ib; t < ie; ++t) iw.push_back(Text(t));
        bool acro_right = inside_acro && InitialsMatch(lw, Text(ib));
        bool acro_left = le == lb + 1 && LooksLikeAcronym(Text(lb)) && inside_name &&
                         InitialsMatch(iw, Text(lb));
        if (!acro_right && !acro_left) continue;
        std::string full = acro_right ? Surface(lb, le) : Surface(ib, ie);
        std::string id = Slug(full);
        AddMention(lb, le, id, full, "ORG", "parenthesis", "name with acronym in parentheses");
        AddMention(ib, ie, id, full, "ORG", "parenthesis", "acronym of '" + full + "'");
        DocAlias(lb, le, id, "parenthesis");
        DocAlias(ib, ie, id, "parenthesis");
      }
    }
  }

  void AliasPhrases() {
    for (uint32_t i = 0; i < toks_.size(); ++i) {
      std::string_view w = set_.Lower(toks_[i]);
      uint32_t after = 0;
      const char* what = nullptr;
      auto is = [&](uint32_t k, std::string_view s) {
        return k < toks_.size() && set_.Lower(toks_[k]) == s;
      };
      if (w == "a.k.a" || w == "a.k.a." || w == "aka") {
        after = i + 1, what = "a.k.a";
      } else if ((w == "better" || w == "also") && is(i + 1, "known") && is(i + 2, "as")) {
        after = i + 3, what = "known as";
      } else if (w == "under" && is(i + 1, "the") && is(i + 2, "alias") && is(i + 3, "of")) {
        after = i + 4, what = "under the alias of";
      } else if (w == "alias" && i > 0 && Text(i - 1) == ",") {
        after = i + 1, what = "alias";
      } else {
        continue;
      }
      uint32_t limit = SentenceEnd(i);
      if (after < limit && set_.Lower(toks_[after]) == "the") ++after;
      if (after >= limit) continue;
      // The right side B.
      int32_t right =
          covered_[after] >= 0 && set_.annotations()[covered_[after]].first_token == after
              ? covered_[after]
              : -1;
      uint32_t rb = after,
               re = right >= 0 ? set_.annotations()[right].end_token : NameAt(after, limit);
      if (re == rb) continue;
      // The left side A: the nearest mention before the phrase in the sentence, else a free
      // name right before it (", " optional).
      uint32_t sb = SentenceBegin(i);
      int32_t left = -1;
      for (uint32_t k = i; k > sb; --k) {
        int32_t c = covered_[k - 1];
        if (c >= 0 &&
            (set_.annotations()[c].type == "PERSON" || set_.annotations()[c].type == "ORG")) {
          left = c;
          break;
        }
        if (Text(k - 1) == "(") continue;
      }
      uint32_t k = i;
      if (k > sb && (Text(k - 1) == "," || Text(k - 1) == "(")) --k;
      uint32_t lb = k, le = k;
      while (lb > sb && (Cap(lb - 1) || IsJoin(lb - 1)) && Free(lb - 1)) --lb;
      while (lb < le && (!Cap(lb) || kNotNames.count(Text(lb)))) ++lb;
      bool left_free_name = lb < le && NameAt(lb, le) == le;
      if (right < 0 && left >= 0) {
        const Annotation& l = set_.annotations()[left];
        std::string id = l.FeatureString("entity");
        AddMention(rb, re, id, l.FeatureString("name"), l.type, "alias-phrase",
                   std::string("'") + what + "' after '" + std::string(doc_.Slice(l.span)) + "'");
        DocAlias(rb, re, id, "alias-phrase");
      } else if (right >= 0 && left_free_name) {
        const Annotation& r = set_.annotations()[right];
        std::string id = r.FeatureString("entity");
        AddMention(
            lb, le, id, r.FeatureString("name"), r.type, "alias-phrase",
            std::string("named '") + std::string(doc_.Slice(r.span)) + "' by '" + what + "'");
        DocAlias(lb, le, id, "alias-phrase");
      }
    }
  }

  // Short forms of people named in full: suffixes ("Al-Masri" of "Abu Muhammad Al-Masri") and
  // first-last pairs ("Akhtar Mansour" of "Mullah Akhtar Muhammad Mansour").
  void ShortForms() {
    const auto& anns = set_.annotations();
    for (uint32_t a = 0; a < anns.size(); ++a) {
      if (anns[a].layer != Layer::kEntity || anns[a].type != "PERSON") continue;
      std::string id = anns[a].FeatureString("entity");
      std::vector<std::string> words;
      std::vector<bool> titled;
      for (uint32_t t = anns[a].first_token; t < anns[a].end_token; ++t) {
        if (IsJoin(t) || !IsWord(t)) continue;
        std::string k;
        AppendMatchKey(set_.Lower(toks_[t]), k);
        words.push_back(k);
        titled.push_back(kNameTitles.count(Text(t)) > 0);
      }
      size_t n = words.size();
      if (n < 2) continue;
      size_t first = titled[0] ? 1 : 0;
      for (size_t s = first + 1; s < n; ++s) {  // proper suffixes
        std::vector<std::string> key(words.begin() + s, words.end());
        if (key.size() == 1 && (kCommonNameWords.count(key[0]) || key[0].size() < 3)) continue;
        if (key.size() == 2 && key[0] == "al" && key[1].size() < 3) continue;
        AddAliasKey(key, false, id, "short-form", anns[a].first_token);
      }
      for (size_t s = first; s + 1 < n - 1; ++s) {  // pairs with the last word
        if (kCommonNameWords.count(words[s])) continue;
        AddAliasKey({words[s], words[n - 1]}, false, id, "short-form", anns[a].first_token);
      }
      if (first == 1 && n >= 3) {  // the name without its title: "Zarif Gul"
        AddAliasKey(std::vector<std::string>(words.begin() + 1, words.end()), false, id,
                    "short-form", anns[a].first_token);
      }
      if (first == 1 && n >= 3) {  // "Mullah Omar" for "Mullah Mohammad Omar"
        AddAliasKey({words[0], words[n - 1]}, false, id, "short-form", anns[a].first_token);
      }
    }
  }

  // "President Wilson" found by its title is the "Woodrow Wilson" named elsewhere in the
  // document when the short form is unambiguous.
  void RelinkTitled() {
    auto& anns = set_.mutable_annotations();
    for (auto& a : anns) {
      if (a.layer != Layer::kEntity || a.prov.rule != "title") continue;
      std::vector<std::string> key;
      for (uint32_t t = a.first_token; t < a.end_token; ++t) {
        if (IsJoin(t) || !IsWord(t) || kNameTitles.count(Text(t))) continue;
        std::string k;
        AppendMatchKey(set_.Lower(toks_[t]), k);
        key.push_back(k);
      }
      if (key.size() != 1) continue;
      auto it = aliases_.find(key);
      if (it == aliases_.end() || it->second.ids.size() != 1) continue;
      const std::string& id = *it->second.ids.begin();
      if (id == a.FeatureString("entity") || !locals_.count(id)) continue;
      std::string old = a.FeatureString("entity");
      a.SetFeature("entity", id);
      a.SetFeature("name", locals_[id].name);
      a.SetFeature("evidence",
                   a.FeatureString("evidence") + "; short form of '" + locals_[id].name + "'");
      // The provisional entity may have given itself an alias: drop it.
      for (auto& [k, info] : aliases_) info.ids.erase(old);
    }
  }

  void ScanDocAliases() {
    if (aliases_.empty()) return;
    size_t max_len = 1;
    for (const auto& [k, v] : aliases_) max_len = std::max(max_len, k.size());
    for (uint32_t i = 0; i < toks_.size(); ++i) {
      if (!Free(i) || !Cap(i)) continue;
      // Positions of the next words (skipping joiners), while free.
      std::vector<uint32_t> pos;
      for (uint32_t j = i; j < toks_.size() && pos.size() < max_len && Free(j); ++j) {
        if (IsJoin(j)) continue;
        if (!IsWord(j)) break;
        pos.push_back(j);
      }
      bool done = false;
      for (size_t len = pos.size(); len >= 1 && !done; --len) {
        uint32_t e = pos[len - 1] + 1;
        // The name must end here: no capitalised free word right after.
        if (Cap(e) && Free(e)) continue;
        if (IsJoin(e) && Cap(e + 1)) continue;
        if (!Cap(pos[len - 1]) && len > 1) continue;
        std::vector<std::string> exact, folded;
        for (size_t k = 0; k < len; ++k) {
          exact.emplace_back(Text(pos[k]));
          std::string f;
          AppendMatchKey(set_.Lower(toks_[pos[k]]), f);
          folded.push_back(std::move(f));
        }
        const AliasInfo* info = nullptr;
        if (auto it = aliases_.find(exact); it != aliases_.end() && it->second.exact) {
          info = &it->second;
        } else if (auto it2 = aliases_.find(folded); it2 != aliases_.end() && !it2->second.exact) {
          info = &it2->second;
        }
        if (!info || info->ids.size() != 1 || info->defined_at >= i) continue;
        const std::string& id = *info->ids.begin();
        AddMention(i, e, id, locals_[id].name, locals_[id].type, info->rule,
                   std::string(info->rule) + " of '" + locals_[id].name + "' named earlier");
        i = e - 1;
        done = true;
      }
    }
  }

  void SortAnnotations() {
    auto& anns = set_.mutable_annotations();
    for (const auto& a : anns) {
      if (!a.args.empty()) return;  // indexes are referenced: keep the order
    }
    std::stable_sort(anns.begin(), anns.end(), [](const Annotation& a, const Annotation& b) {
      if (a.span.begin != b.span.begin) return a.span.begin < b.span.begin;
      return a.span.end > b.span.end;
    });
  }

  const CompiledGazetteer& g_;
  const Document& doc_;
  AnnotationSet& set_;
  const std::vector<Token>& toks_;
  std::vector<int32_t> covered_;
  std::vector<uint32_t> sent_begin_, sent_end_;  // per token: its sentence
  std::unordered_map<std::string, Local> locals_;
  std::map<std::vector<std::string>, AliasInfo> aliases_;
};

class LinkingStage final : public Stage {
 public:
  LinkingStage(std::shared_ptr<const CompiledGazetteer> g, const GazetteerOptions& o)
      : g_(std::move(g)), options_(o) {}
  std::string_view name() const override { return "link"; }
  Status Run(const RunContext& ctx, AnnotationSet& set) const override {
    Linker(*g_, ctx.doc, set).Run();
    return Status();
  }

 private:
  std::shared_ptr<const CompiledGazetteer> g_;
  GazetteerOptions options_;
};

}  // namespace

std::unique_ptr<Stage> CreateLinkingStage(std::shared_ptr<const CompiledGazetteer> gazetteer,
                                          const GazetteerOptions& options) {
  return std::make_unique<LinkingStage>(std::move(gazetteer), options);
}

}  // namespace quarry::internal
