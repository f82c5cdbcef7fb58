// rules/lemmatizer.cc: irregular forms, then suffix stripping with spelling repairs.
#include "rules/lemmatizer.h"

#include <string>
#include <unordered_map>

namespace quarry::internal::rules {
namespace {

// Irregular verb and noun forms (form -> lemma). Regular forms are left to the suffix rules.
const char* const kIrregular[][2] = {
    {"am", "be"}, {"is", "be"}, {"are", "be"}, {"was", "be"}, {"were", "be"}, {"been", "be"},
    {"being", "be"}, {"'s", "'s"}, {"has", "have"}, {"had", "have"}, {"having", "have"},
    {"does", "do"}, {"did", "do"}, {"done", "do"}, {"doing", "do"}, {"went", "go"},
    {"gone", "go"}, {"goes", "go"}, {"said", "say"}, {"says", "say"}, {"made", "make"},
    {"took", "take"}, {"taken", "take"}, {"gave", "give"}, {"given", "give"}, {"came", "come"},
    {"saw", "see"}, {"seen", "see"}, {"knew", "know"}, {"known", "know"}, {"got", "get"},
    {"gotten", "get"}, {"thought", "think"}, {"told", "tell"}, {"became", "become"},
    {"left", "leave"}, {"felt", "feel"}, {"brought", "bring"}, {"began", "begin"},
    {"begun", "begin"}, {"kept", "keep"}, {"held", "hold"}, {"wrote", "write"},
    {"written", "write"}, {"stood", "stand"}, {"heard", "hear"}, {"meant", "mean"},
    {"met", "meet"}, {"ran", "run"}, {"paid", "pay"}, {"sat", "sit"}, {"spoke", "speak"},
    {"spoken", "speak"}, {"led", "lead"}, {"grew", "grow"}, {"grown", "grow"}, {"lost", "lose"},
    {"fell", "fall"}, {"fallen", "fall"}, {"sent", "send"}, {"built", "build"},
    {"understood", "understand"}, {"drew", "draw"}, {"drawn", "draw"}, {"broke", "break"},
    {"broken", "break"}, {"spent", "spend"}, {"rose", "rise"}, {"risen", "rise"},
    {"drove", "drive"}, {"driven", "drive"}, {"bought", "buy"}, {"wore", "wear"},
    {"worn", "wear"}, {"chose", "choose"}, {"chosen", "choose"}, {"sought", "seek"},
    {"threw", "throw"}, {"thrown", "throw"}, {"caught", "catch"}, {"dealt", "deal"},
    {"won", "win"}, {"fought", "fight"}, {"fled", "flee"}, {"shot", "shoot"}, {"struck", "strike"},
    {"stricken", "strike"}, {"slew", "slay"}, {"slain", "slay"}, {"hid", "hide"},
    {"hidden", "hide"}, {"forbade", "forbid"}, {"forbidden", "forbid"}, {"sold", "sell"},
    {"found", "find"}, {"bound", "bind"}, {"fed", "feed"}, {"bled", "bleed"}, {"swore", "swear"},
    {"sworn", "swear"}, {"withdrew", "withdraw"}, {"withdrawn", "withdraw"},
    {"undertook", "undertake"}, {"undertaken", "undertake"}, {"overthrew", "overthrow"},
    {"overthrown", "overthrow"}, {"forgave", "forgive"}, {"forgiven", "forgive"},
    {"laid", "lay"}, {"lain", "lie"}, {"lay", "lie"}, {"ate", "eat"}, {"eaten", "eat"},
    {"blew", "blow"}, {"blown", "blow"}, {"flew", "fly"}, {"flown", "fly"}, {"froze", "freeze"},
    {"frozen", "freeze"}, {"stole", "steal"}, {"stolen", "steal"}, {"woke", "wake"},
    {"woken", "wake"}, {"arose", "arise"}, {"arisen", "arise"}, {"forgot", "forget"},
    {"forgotten", "forget"}, {"taught", "teach"}, {"upheld", "uphold"}, {"overtook", "overtake"},
    {"overtaken", "overtake"}, {"men", "man"}, {"women", "woman"}, {"children", "child"},
    {"people", "people"}, {"feet", "foot"}, {"teeth", "tooth"}, {"mice", "mouse"},
    {"lives", "life"}, {"wives", "wife"}, {"knives", "knife"}, {"leaves", "leaf"},
    {"thieves", "thief"}, {"halves", "half"}, {"selves", "self"}, {"crises", "crisis"},
    {"analyses", "analysis"}, {"bases", "basis"}, {"theses", "thesis"}, {"criteria", "criterion"},
    {"phenomena", "phenomenon"}, {"media", "media"}, {"data", "data"}, {"better", "good"},
    {"best", "good"}, {"worse", "bad"}, {"worst", "bad"}, {"us", "us"}, {"its", "its"},
    {"this", "this"}, {"his", "his"}, {"news", "news"}, {"series", "series"},
    {"species", "species"}, {"police", "police"}, {"taliban", "taliban"}, {"isis", "isis"},
    {"always", "always"}, {"perhaps", "perhaps"}, {"thus", "thus"}, {"during", "during"},
    {"nothing", "nothing"}, {"something", "something"}, {"anything", "anything"},
    {"everything", "everything"}, {"morning", "morning"}, {"evening", "evening"},
    {"king", "king"}, {"thing", "thing"}, {"ring", "ring"}, {"string", "string"},
    {"bring", "bring"}, {"spring", "spring"}, {"sing", "sing"}, {"wing", "wing"},
    {"ceiling", "ceiling"}, {"red", "red"}, {"bed", "bed"}, {"need", "need"}, {"seed", "seed"},
    {"speed", "speed"}, {"feed", "feed"}, {"indeed", "indeed"}, {"united", "unite"},
    {"invited", "invite"}, {"completed", "complete"}, {"competed", "compete"},
    {"deleted", "delete"}, {"voted", "vote"}, {"noted", "note"}, {"quoted", "quote"},
    {"promoted", "promote"}, {"devoted", "devote"}, {"ignited", "ignite"}, {"cited", "cite"},
    {"excited", "excite"}, {"recited", "recite"}, {"incited", "incite"}, {"united", "unite"},
    {"focused", "focus"}, {"used", "use"}, {"using", "use"}, {"biased", "bias"}, {"gases", "gas"}, {"buses", "bus"},
    {"bases", "base"}, {"cases", "case"}, {"uses", "use"}, {"causes", "cause"},
    {"releases", "release"}, {"purposes", "purpose"}, {"responses", "response"},
    {"houses", "house"}, {"horses", "horse"}, {"nurses", "nurse"}, {"courses", "course"},
    {"losses", "loss"}, {"forces", "force"}, {"sources", "source"}, {"services", "service"},
    {"offices", "office"}, {"alliances", "alliance"}, {"differences", "difference"},
    {"sanctions", "sanction"}, {"ties", "tie"}, {"lies", "lie"}, {"dies", "die"},
    {"allies", "ally"}, {"died", "die"}, {"lied", "lie"}, {"tied", "tie"}, {"dying", "die"},
    {"lying", "lie"}, {"tying", "tie"}, {"combated", "combat"}, {"combating", "combat"},
    {"threatened", "threaten"}, {"happened", "happen"}, {"opened", "open"},
    {"visited", "visit"}, {"benefited", "benefit"}, {"targeted", "target"},
    {"budgeted", "budget"}, {"edited", "edit"}, {"limited", "limit"}, {"exhibited", "exhibit"},
    {"inhabited", "inhabit"}, {"prohibited", "prohibit"}, {"credited", "credit"},
    {"exited", "exit"}, {"inherited", "inherit"}, {"merited", "merit"}, {"posited", "posit"},
    {"deposited", "deposit"},
};

const std::unordered_map<std::string_view, std::string_view>& Irregular() {
  static const auto* m = [] {
    auto* map = new std::unordered_map<std::string_view, std::string_view>();
    for (const auto& p : kIrregular) map->emplace(p[0], p[1]);
    return map;
  }();
  return *m;
}

bool IsVowel(char c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'; }

// Repairs a stem left by removing -ed or -ing: undoubles a final double consonant
// ("planned" -> "plan") and restores a silent e where English spelling needs one
// ("assassinat" -> "assassinate", "involv" -> "involve", "decid" -> "decide").
std::string RepairStem(std::string s) {
  size_t n = s.size();
  if (n < 2) return s;
  char a = s[n - 2], b = s[n - 1];
  if (a == b && !IsVowel(b) && b != 'l' && b != 's' && b != 'z' && b != 'f') {
    s.pop_back();
    return s;
  }
  // British -elled: "travelled" -> "travel", "compelled" -> "compel" (but "spelled" -> "spell").
  if (n >= 6 && a == 'l' && b == 'l' && s[n - 3] == 'e' && !IsVowel(s[n - 4])) {
    s.pop_back();
    return s;
  }
  auto ends = [&](const char* suf) {
    size_t k = std::char_traits<char>::length(suf);
    return n >= k && s.compare(n - k, k, suf) == 0;
  };
  // Stems that need a final e.
  if (b == 'v' || b == 'u' || ends("iz") || ends("yz") || ends("at") || ends("ut") || ends("dg") ||
      ends("rg") || (ends("ng") && n > 4 && (s[n - 3] == 'a' || s[n - 3] == 'e')) ||
      (b == 'c' && !ends("ic")) || ends("bl") || ends("pl") || ends("dl") || ends("tl") ||
      ends("gl") || ends("kl") || ends("cl") || ends("fl") || ends("zl") || ends("rs") ||
      ends("ns") || ends("ps") || ends("ls") || ends("uas") || ends("eas") || ends("ais") ||
      ends("ois") || ends("ous") || ends("rc")) {
    if (ends("ng") && (ends("sing") || ends("ring"))) return s;
    return s + "e";
  }
  // consonant + single vowel + (d|k|m|n|p|r|s|t|z) with one syllable before: "decid", "invok",
  // "nam", "us", "fir" -> +e, but not after two vowels ("claim", "need") or for -en/-er/-on.
  if (n >= 3 && !IsVowel(b) && b != 'w' && b != 'x' && b != 'y' && IsVowel(a) && !IsVowel(s[n - 3])) {
    if ((b == 'n' && (a == 'e' || a == 'o')) || (b == 'r' && (a == 'e' || a == 'o')) ||
        (b == 't' && (a == 'e' || a == 'i' || a == 'o')) || (b == 'l' && a == 'e') ||
        b == 'h' || (b == 'p' && a == 'e') || (b == 'd' && a == 'e') || (b == 'm' && a == 'o'))
      return s;
    if (b == 'd' || b == 'k' || b == 'm' || b == 'n' || b == 'p' || b == 'r' || b == 's' ||
        b == 't' || b == 'z' || b == 'b' || b == 'l' || b == 'g')
      return s + "e";
  }
  return s;
}

}  // namespace

std::string Lemma(std::string_view w) {
  for (char c : w) {
    if (!(c >= 'a' && c <= 'z') && c != '-' && c != '\'') return std::string(w);
  }
  auto it = Irregular().find(w);
  if (it != Irregular().end()) return std::string(it->second);
  size_t n = w.size();
  auto ends = [&](const char* suf) {
    size_t k = std::char_traits<char>::length(suf);
    return n > k + 1 && w.substr(n - k) == suf;
  };
  if (ends("ies")) return std::string(w.substr(0, n - 3)) + "y";
  if (ends("ied")) return std::string(w.substr(0, n - 3)) + "y";
  if (ends("sses") || ends("shes") || ends("ches") || ends("xes") || ends("zzes"))
    return std::string(w.substr(0, n - 2));
  if (ends("ss") || ends("us") || ends("is") || ends("ous")) return std::string(w);
  if (ends("s")) return std::string(w.substr(0, n - 1));
  if (n >= 5 && ends("ing")) {
    std::string stem(w.substr(0, n - 3));
    bool has_vowel = false;
    for (char c : stem) has_vowel |= IsVowel(c) || c == 'y';
    if (!has_vowel) return std::string(w);
    return RepairStem(stem);
  }
  if (ends("ceed")) return std::string(w);  // succeed, proceed, exceed
  if (n >= 4 && ends("eed")) return std::string(w.substr(0, n - 1));  // agreed, freed
  if (n >= 4 && ends("ed")) {
    std::string stem(w.substr(0, n - 2));
    bool has_vowel = false;
    for (char c : stem) has_vowel |= IsVowel(c) || c == 'y';
    if (!has_vowel) return std::string(w);
    if (stem.back() == 'e') return stem;  // "agreed" -> "agree"
    return RepairStem(stem);
  }
  return std::string(w);
}

}  // namespace quarry::internal::rules
