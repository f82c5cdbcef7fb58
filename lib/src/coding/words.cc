// coding/words.cc: the closed word classes of coding/words.h.
#include "coding/words.h"

#include <algorithm>
#include <array>
#include <unordered_map>
#include <unordered_set>

namespace quarry::internal::coding {
namespace {

// Membership in a closed class: a hash set built once per list (these tests run several times
// per token).
template <const auto& List>
bool In(std::string_view w) {
  struct Set {
    std::unordered_set<std::string_view> set;
    size_t max_len = 0;
  };
  static const Set* set = [] {
    auto* s = new Set;
    for (std::string_view x : List) {
      s->set.insert(x);
      s->max_len = std::max(s->max_len, x.size());
    }
    return s;
  }();
  return w.size() <= set->max_len && set->set.count(w) > 0;
}

constexpr std::array<std::string_view, 27> kDeterminers = {
    "the", "a", "an", "this", "that", "these", "those", "its", "their", "his", "her", "our", "my",
    "your", "any", "no", "every", "each", "another", "such", "some", "several", "many", "both",
    "all", "'s", "’s"};
constexpr std::array<std::string_view, 46> kPrepositions = {
    "of", "in", "from", "with", "to", "for", "by", "at", "on", "against", "between", "near",
    "into", "than", "about", "over", "under", "after", "before", "during", "across", "through",
    "toward", "towards", "among", "including", "like", "via", "per", "since", "until", "amid",
    "despite", "outside", "inside", "within", "without", "behind", "beyond", "upon", "onto", "off",
    "following", "around", "throughout", "along"};
constexpr std::array<std::string_view, 16> kLocatives = {
    "in", "at", "near", "outside", "inside", "across", "throughout", "around", "within", "along",
    "into", "onto", "off", "from", "through", "towards"};
constexpr std::array<std::string_view, 14> kBe = {"am", "is", "are", "was", "were", "be", "been",
                                                  "being", "get", "gets", "got", "getting",
                                                  "'s", "’s"};
constexpr std::array<std::string_view, 20> kAux = {
    "have", "has", "had", "having", "do", "does", "did", "will", "would", "shall", "should", "can",
    "could", "may", "might", "must", "'ll", "’ll", "'d", "’d"};
constexpr std::array<std::string_view, 6> kNeg = {"not", "n't", "n’t", "never", "no", "nor"};
constexpr std::array<std::string_view, 5> kCoord = {"and", "or", "nor", ",", "&"};
constexpr std::array<std::string_view, 21> kSubord = {
    "after", "before", "when", "while", "because", "although", "though", "if", "unless", "until",
    "whereas", "since", "as", "once", "where", "whether", "but", "so", "yet", "whilst", "lest"};
constexpr std::array<std::string_view, 12> kHard = {";", ":", "(", ")", "—", "–", "--", "\"", "“",
                                                    "”", "[", "]"};
constexpr std::array<std::string_view, 40> kAdverbs = {
    "also", "reportedly", "allegedly", "later", "then", "still", "already", "all", "just",
    "recently", "ultimately", "finally", "previously", "again", "now", "jointly", "repeatedly",
    "apparently", "subsequently", "immediately", "eventually", "even", "ever", "really",
    "certainly", "most", "unexpectedly", "formally", "officially", "publicly", "quickly",
    "swiftly", "briefly", "partly", "largely", "mostly", "only", "once", "both", "successfully"};
constexpr std::array<std::string_view, 31> kReporting = {
    "said", "says", "say", "saying", "told", "tells", "added", "adds", "adding", "stated",
    "states", "stating", "announced", "announces", "claimed", "claims", "claiming", "reported",
    "reports", "noted", "notes", "noting", "confirmed", "confirms", "according", "explained",
    "explaining", "insisted", "insisting", "alleged", "alleging"};

constexpr std::array<std::string_view, 40> kTime = {
      "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
      "february", "march", "april", "may", "june", "july", "august", "september", "october",
      "november", "december", "today", "yesterday", "tomorrow", "tonight", "morning", "evening",
      "afternoon", "night", "week", "month", "year", "weekend", "earlier", "later", "recently",
      "now", "last", "next", "this", "days", "weeks"};
constexpr std::array<std::string_view, 12> kThreat = {
      "threaten", "threatens", "threatened", "threatening", "vow", "vows", "vowed", "vowing",
      "warn", "warns", "warned", "pledged"};
constexpr std::array<std::string_view, 40> kPlan = {
      "plan", "plans", "planned", "planning", "intend", "intends", "intended", "aim", "aims",
      "aimed", "seek", "seeks", "sought", "want", "wants", "wanted", "prepare", "prepares",
      "prepared", "preparing", "agree", "agrees", "agreed", "decide", "decides", "decided",
      "expected", "scheduled", "set", "due", "about", "going", "hope", "hopes", "hoped", "promise",
      "promised", "promises", "ready", "willing"};
constexpr std::array<std::string_view, 10> kTry = {
      "try", "tries", "tried", "trying", "attempt", "attempts", "attempted", "attempting", "sought",
      "struggled"};
constexpr std::array<std::string_view, 12> kRefuse = {
      "refuse", "refuses", "refused", "refusing", "decline", "declines", "declined", "fail",
      "fails", "failed", "failing", "unable"};
constexpr std::array<std::string_view, 9> kPossible = {
      "potential", "possible", "likely", "hypothetical", "alleged", "suspected", "feared",
      "rumoured", "rumored"};
constexpr std::array<std::string_view, 6> kPlanned = {"planned", "proposed", "future",
                                                              "upcoming", "impending", "imminent"};

}  // namespace

bool IsDeterminer(std::string_view w) { return In<kDeterminers>(w); }
bool IsPreposition(std::string_view w) { return In<kPrepositions>(w); }
bool IsLocative(std::string_view w) { return In<kLocatives>(w); }
bool IsBeForm(std::string_view w) { return In<kBe>(w); }
bool IsAuxiliary(std::string_view w) { return In<kAux>(w) || In<kBe>(w); }
bool IsNegation(std::string_view w) { return In<kNeg>(w); }
bool IsCoordinator(std::string_view w) { return In<kCoord>(w); }
bool IsSubordinator(std::string_view w) { return In<kSubord>(w); }
bool IsHardBoundary(std::string_view w) { return In<kHard>(w); }
bool IsAdverbLike(std::string_view w) {
  if (In<kAdverbs>(w)) return true;
  return w.size() > 4 && w.substr(w.size() - 2) == "ly";
}
bool IsReportingVerb(std::string_view w) { return In<kReporting>(w); }
bool IsStatementVerb(std::string_view w) {
  static constexpr std::array<std::string_view, 16> kStatement = {
      "said", "says", "told", "tells", "added", "adds", "stated", "announced", "claimed",
      "noted", "confirmed", "explained", "insisted", "asserted", "remarked", "maintained"};
  return std::find(kStatement.begin(), kStatement.end(), w) != kStatement.end();
}
bool IsGroupNounWord(std::string_view w) {
  static constexpr std::string_view kGroups[] = {
      "posse", "posses", "contingent", "contingents", "company", "companies", "battalion",
      "battalions", "batallions", "platoon", "platoons", "column", "columns", "squad", "squads",
      "team", "teams", "unit", "units", "group", "groups", "batch", "batches", "band", "bands",
      "dozens", "hundreds", "thousands", "scores", "number", "members", "majority", "detachment",
      "detachments", "troop", "brigade", "brigades", "regiment", "regiments", "force", "wing"};
  return std::find(std::begin(kGroups), std::end(kGroups), w) != std::end(kGroups);
}
bool IsTimeWord(std::string_view w) {
  return In<kTime>(w);
}

uint32_t WordMask(std::string_view w) {
  // One lookup for all classes: a table built once from the lists.
  static const std::unordered_map<std::string_view, uint32_t>* table = [] {
    auto* t = new std::unordered_map<std::string_view, uint32_t>();
    auto add = [&](const auto& list, uint32_t bit) {
      for (std::string_view x : list) (*t)[x] |= bit;
    };
    add(kDeterminers, kWDeterminer);
    add(kPrepositions, kWPreposition);
    add(kLocatives, kWLocative);
    add(kBe, kWBe | kWAuxiliary);
    add(kAux, kWAuxiliary);
    add(kNeg, kWNegation);
    add(kCoord, kWCoordinator);
    add(kSubord, kWSubordinator);
    add(kHard, kWHardBoundary);
    add(kAdverbs, kWAdverb);
    add(kReporting, kWReporting);
    add(kTime, kWTime);
    return t;
  }();
  uint32_t m = 0;
  if (w.size() <= 16) {
    auto it = table->find(w);
    if (it != table->end()) m = it->second;
  }
  if (w.size() > 4 && w.substr(w.size() - 2) == "ly") m |= kWAdverb;
  return m;
}

std::vector<std::string_view> ClassWords() {
  std::vector<std::string_view> out;
  auto add = [&](const auto& list) { out.insert(out.end(), list.begin(), list.end()); };
  add(kDeterminers);
  add(kPrepositions);
  add(kLocatives);
  add(kBe);
  add(kAux);
  add(kNeg);
  add(kCoord);
  add(kSubord);
  add(kHard);
  add(kAdverbs);
  add(kReporting);
  add(kTime);
  return out;
}

const char* ModalityName(Modality m) {
  switch (m) {
    case Modality::kRealised: return "realised";
    case Modality::kPlanned: return "planned";
    case Modality::kThreatened: return "threatened";
    case Modality::kPossible: return "possible";
    case Modality::kAttempted: return "attempted";
  }
  return "realised";
}

std::optional<Modality> ModalityOfControlVerb(std::string_view w, bool* negative, bool* failed) {
  if (In<kThreat>(w)) return Modality::kThreatened;
  if (In<kPlan>(w)) return Modality::kPlanned;
  if (In<kTry>(w)) return Modality::kAttempted;
  if (In<kRefuse>(w)) {
    if (negative) *negative = true;
    if (failed && (w.substr(0, 4) == "fail" || w == "unable")) *failed = true;
    return Modality::kRealised;
  }
  return std::nullopt;
}

std::optional<Modality> ModalityOfAuxiliary(std::string_view w) {
  if (w == "will" || w == "would" || w == "shall" || w == "'ll" || w == "’ll" || w == "wo")
    return Modality::kPlanned;
  if (w == "could" || w == "might" || w == "may" || w == "can" || w == "should" || w == "must" ||
      w == "ca")
    return Modality::kPossible;
  return std::nullopt;
}

std::optional<Modality> ModalityOfNounModifier(std::string_view w, bool* failed) {
  if (In<kPossible>(w)) return Modality::kPossible;
  if (In<kPlanned>(w)) return Modality::kPlanned;
  if (w == "threatened") return Modality::kThreatened;
  if (w == "attempted" || w == "failed" || w == "foiled" || w == "thwarted" || w == "botched") {
    if (failed && w != "attempted") *failed = true;
    return Modality::kAttempted;
  }
  return std::nullopt;
}

std::optional<int64_t> ParseCount(std::string_view w) {
  if (w.empty()) return std::nullopt;
  if (w[0] >= '0' && w[0] <= '9') {
    int64_t v = 0;
    for (char c : w) {
      if (c == ',') continue;
      if (c < '0' || c > '9') return std::nullopt;
      v = v * 10 + (c - '0');
      if (v > 100000000) return std::nullopt;
    }
    return v;
  }
  static constexpr std::array<std::pair<std::string_view, int64_t>, 31> kWords = {{
      {"one", 1}, {"two", 2}, {"three", 3}, {"four", 4}, {"five", 5}, {"six", 6}, {"seven", 7},
      {"eight", 8}, {"nine", 9}, {"ten", 10}, {"eleven", 11}, {"twelve", 12}, {"thirteen", 13},
      {"fourteen", 14}, {"fifteen", 15}, {"sixteen", 16}, {"seventeen", 17}, {"eighteen", 18},
      {"nineteen", 19}, {"twenty", 20}, {"thirty", 30}, {"forty", 40}, {"fifty", 50},
      {"sixty", 60}, {"seventy", 70}, {"eighty", 80}, {"ninety", 90}, {"hundred", 100},
      {"dozen", 12}, {"a", 1}, {"an", 1}}};
  for (auto& [k, v] : kWords)
    if (k == w) return v;
  return std::nullopt;
}

}  // namespace quarry::internal::coding
