// coding/dictionary.cc: quarry's .qv/.qa dictionary formats, and the PETRARCH importers.
#include "coding/dictionary.h"

#include <algorithm>
#include <map>
#include <set>

#include "common/strings.h"
#include "tokenize/tokenizer.h"

namespace quarry::internal::coding {
namespace {

std::string LowerAscii(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

bool IsVowel(char c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'; }

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

Diagnostic Diag(Diagnostic::Severity sev, const std::string& file, uint32_t line, uint32_t column,
                std::string message, std::string_view snippet) {
  Diagnostic d;
  d.severity = sev;
  d.file = file;
  d.line = line;
  d.column = column;
  d.message = std::move(message);
  d.snippet = std::string(snippet);
  return d;
}

// One CAMEO code: "---", three or four digits; a reciprocal pair "042:043" when `pair`.
bool ValidCode(std::string_view code, bool pair = true) {
  if (code == "---") return true;
  size_t colon = code.find(':');
  if (colon != std::string_view::npos) {
    if (!pair) return false;
    // ":173" codes only the reverse direction (target -> source).
    return (colon == 0 || ValidCode(code.substr(0, colon), false)) &&
           ValidCode(code.substr(colon + 1), false);
  }
  if (code.size() < 3 || code.size() > 4) return false;
  return std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Lines of a file with their 1-based numbers; "\r" at the end is dropped.
template <typename Fn>
void ForEachLine(std::string_view text, Fn fn) {
  uint32_t n = 0;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    fn(++n, line);
  }
}

std::vector<std::string_view> SplitWs(std::string_view s) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
    size_t b = i;
    while (i < s.size() && s[i] != ' ' && s[i] != '\t') ++i;
    if (i > b) out.push_back(s.substr(b, i - b));
  }
  return out;
}

// "text @ origin" -> text, origin.
std::pair<std::string_view, std::string_view> SplitOrigin(std::string_view s) {
  size_t at = s.rfind(" @ ");
  if (at == std::string_view::npos) return {Trim(s), {}};
  return {Trim(s.substr(0, at)), Trim(s.substr(at + 3))};
}

// Pattern items, PETRARCH and quarry syntax alike: words, &SYNSET, $ + % ^, '*' for the verb,
// {...} and (...) groups of consecutive items, words joined by '_'.
bool ParseItems(std::string_view text, const VerbDictionary& d, VerbPattern& p, std::string& err) {
  std::string padded;
  for (char c : text) {
    if (c == '{' || c == '}' || c == '(' || c == ')') {
      padded += ' ';
      padded += c;
      padded += ' ';
    } else {
      padded += c;
    }
  }
  int depth = 0;
  bool group_first = false;  // the next item opens a group: not joined to what precedes it
  bool seen_verb = false;
  bool next_joined_to_verb = false;
  auto add = [&](PatternItem item) {
    if (!seen_verb) {
      p.before.push_back(std::move(item));
    } else {
      if (p.after.empty()) {
        p.verb_joined_after = item.joined || next_joined_to_verb;
        item.joined = false;
      }
      p.after.push_back(std::move(item));
    }
  };
  for (std::string_view tok : SplitWs(padded)) {
    if (tok == "{" || tok == "(") {
      if (depth == 0) group_first = true;
      ++depth;
      continue;
    }
    if (tok == "}" || tok == ")") {
      if (depth == 0) {
        err = "'" + std::string(tok) + "' closes no group";
        return false;
      }
      --depth;
      continue;
    }
    // Parts joined by '_'.
    std::vector<std::string_view> parts;
    size_t b = 0;
    for (size_t i = 0; i <= tok.size(); ++i) {
      if (i == tok.size() || tok[i] == '_') {
        parts.push_back(tok.substr(b, i - b));
        b = i + 1;
      }
    }
    bool first_part = true;
    for (size_t pi = 0; pi < parts.size(); ++pi) {
      std::string_view part = parts[pi];
      if (part.empty()) continue;  // "CASH_": the trailing '_' only stops plurals
      bool joined = !first_part || (depth > 0 && !group_first);
      first_part = false;
      group_first = false;
      if (part == "*" || part == "**") {
        if (seen_verb) {
          err = "two verb markers '*'";
          return false;
        }
        seen_verb = true;
        if (joined && !p.before.empty()) p.verb_joined_before = true;
        next_joined_to_verb = false;
        // "*_WORD": the next part touches the verb.
        if (pi + 1 < parts.size() && !parts[pi + 1].empty()) next_joined_to_verb = true;
        continue;
      }
      PatternItem item;
      item.joined = joined;
      if (part == "$") {
        item.kind = PatternItem::Kind::kSource;
      } else if (part == "+") {
        item.kind = PatternItem::Kind::kTarget;
      } else if (part == "%") {
        item.kind = PatternItem::Kind::kCompound;
      } else if (part == "^") {
        continue;  // PETRARCH's "skip": any words may come here anyway
      } else if (part[0] == '&') {
        int s = d.FindSynset(part.substr(1));
        if (s < 0) {
          err = "unknown synset '" + std::string(part) + "' (synsets must be defined before use)";
          return false;
        }
        item.kind = PatternItem::Kind::kSynset;
        item.synset = static_cast<uint32_t>(s);
      } else {
        item.kind = PatternItem::Kind::kWord;
        item.word = LowerAscii(part);
      }
      add(std::move(item));
      next_joined_to_verb = false;
    }
  }
  if (depth != 0) {
    err = "a '{' or '(' group is not closed";
    return false;
  }
  if (!seen_verb) {
    err = "the pattern has no verb marker '*'";
    return false;
  }
  return true;
}

std::string FormatItems(const VerbDictionary& d, const VerbPattern& p) {
  std::string out;
  auto item_text = [&](const PatternItem& it) -> std::string {
    switch (it.kind) {
      case PatternItem::Kind::kWord: return it.word;
      case PatternItem::Kind::kSynset: return "&" + d.synsets[it.synset].name;
      case PatternItem::Kind::kSource: return "$";
      case PatternItem::Kind::kTarget: return "+";
      case PatternItem::Kind::kCompound: return "%";
    }
    return "";
  };
  auto emit_run = [&](const std::vector<PatternItem>& items) {
    for (size_t i = 0; i < items.size();) {
      size_t j = i + 1;
      while (j < items.size() && items[j].joined) ++j;
      if (!out.empty() && out.back() != '_') out += ' ';
      if (j - i > 1) out += '{';
      for (size_t k = i; k < j; ++k) {
        if (k > i) out += ' ';
        out += item_text(items[k]);
      }
      if (j - i > 1) out += '}';
      i = j;
    }
  };
  emit_run(p.before);
  if (p.verb_joined_before && !out.empty()) {
    out += "_*";
  } else {
    out += out.empty() ? "*" : " *";
  }
  if (!p.after.empty()) {
    if (p.verb_joined_after) out += '_';
    emit_run(p.after);
  }
  return out;
}

std::string FormatForms(const std::vector<Phrase>& forms) {
  std::string s;
  for (size_t i = 0; i < forms.size(); ++i) {
    if (i) s += " | ";
    s += JoinPhrase(forms[i]);
  }
  return s;
}

void AddUnique(std::vector<Phrase>& forms, Phrase p) {
  if (p.empty()) return;
  if (std::find(forms.begin(), forms.end(), p) == forms.end()) forms.push_back(std::move(p));
}

std::vector<Phrase> ParseForms(std::string_view s) {
  std::vector<Phrase> out;
  size_t b = 0;
  for (size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == '|') {
      AddUnique(out, ToPhrase(Trim(s.substr(b, i - b))));
      b = i + 1;
    }
  }
  return out;
}

bool IsCodeWord(std::string_view w) { return ValidCode(w); }

}  // namespace

int VerbDictionary::FindSynset(std::string_view name) const {
  for (size_t i = 0; i < synsets.size(); ++i)
    if (synsets[i].name == name) return static_cast<int>(i);
  return -1;
}

Phrase ToPhrase(std::string_view text) {
  Phrase out;
  std::string cur;
  auto flush = [&] {
    if (!cur.empty()) out.push_back(std::move(cur));
    cur.clear();
  };
  for (char c : text) {
    if (c == ' ' || c == '_' || c == '\t') {
      flush();
    } else if (c == ',' || c == ';' || c == ':' || c == '(' || c == ')' || c == '"' || c == '-' ||
               c == '/') {
      flush();
      out.emplace_back(1, c);
    } else {
      cur += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    }
  }
  flush();
  return out;
}

Phrase JoinBoundHyphens(const Phrase& p) {
  Phrase out;
  for (size_t i = 0; i < p.size(); ++i) {
    if (i + 2 < p.size() && p[i + 1] == "-" && IsBoundHyphenPrefix(p[i]) && !p[i + 2].empty() &&
        p[i + 2][0] >= 'a' && p[i + 2][0] <= 'z') {
      out.push_back(p[i] + "-" + p[i + 2]);
      i += 2;
    } else {
      out.push_back(p[i]);
    }
  }
  return out;
}

std::string JoinPhrase(const Phrase& p) {
  std::string s;
  for (size_t i = 0; i < p.size(); ++i) {
    if (i) s += ' ';
    s += p[i];
  }
  return s;
}

std::vector<Phrase> RegularVerbForms(const Phrase& lemma) {
  std::vector<Phrase> out;
  if (lemma.empty()) return out;
  AddUnique(out, lemma);
  const std::string& w = lemma[0];
  auto with = [&](std::string first) {
    Phrase p = lemma;
    p[0] = std::move(first);
    AddUnique(out, std::move(p));
  };
  size_t n = w.size();
  bool cons_y = n >= 2 && w[n - 1] == 'y' && !IsVowel(w[n - 2]);
  // Third person singular.
  if (EndsWith(w, "s") || EndsWith(w, "x") || EndsWith(w, "z") || EndsWith(w, "ch") ||
      EndsWith(w, "sh") || EndsWith(w, "o")) {
    with(w + "es");
  } else if (cons_y) {
    with(w.substr(0, n - 1) + "ies");
  } else {
    with(w + "s");
  }
  // Past and participle.
  if (EndsWith(w, "e")) {
    with(w + "d");
  } else if (cons_y) {
    with(w.substr(0, n - 1) + "ied");
  } else {
    with(w + "ed");
  }
  // Gerund.
  if (EndsWith(w, "ie")) {
    with(w.substr(0, n - 2) + "ying");
  } else if (EndsWith(w, "e") && !EndsWith(w, "ee") && !EndsWith(w, "ye") && !EndsWith(w, "oe") &&
             n > 2) {
    with(w.substr(0, n - 1) + "ing");
  } else {
    with(w + "ing");
  }
  // A doubled final consonant after a single vowel ("plan" -> "planned", "travel" ->
  // "travelled"): added beside the plain form, which English also uses ("targeted").
  if (n >= 3 && !IsVowel(w[n - 1]) && w[n - 1] != 'w' && w[n - 1] != 'x' && w[n - 1] != 'y' &&
      IsVowel(w[n - 2]) && !IsVowel(w[n - 3])) {
    with(w + w[n - 1] + "ed");
    with(w + w[n - 1] + "ing");
  }
  return out;
}

Phrase RegularPlural(const Phrase& noun) {
  Phrase p = noun;
  if (p.empty()) return p;
  std::string& w = p.back();
  size_t n = w.size();
  if (n == 0) return p;
  // Already plural or uncountable ("troops", "armed forces", "news"): no further -s.
  if (EndsWith(w, "s") && !EndsWith(w, "ss") && !EndsWith(w, "us") && !EndsWith(w, "is")) return p;
  if (EndsWith(w, "s") || EndsWith(w, "x") || EndsWith(w, "z") || EndsWith(w, "ch") ||
      EndsWith(w, "sh")) {
    w += "es";
  } else if (n >= 2 && w[n - 1] == 'y' && !IsVowel(w[n - 2])) {
    w = w.substr(0, n - 1) + "ies";
  } else {
    w += "s";
  }
  return p;
}

// ---------------------------------------------------------------------------------------------
// quarry's .qv format

Status ParseVerbFile(const SourceFile& src, VerbDictionary& out, std::vector<Diagnostic>& diags) {
  out.files.push_back(src.name);
  size_t errors_before = diags.size();
  size_t blocks_before = out.blocks.size(), synsets_before = out.synsets.size();
  VerbBlock* block = nullptr;
  bool any_statement = false;
  auto error = [&](uint32_t line, uint32_t col, std::string msg, std::string_view snippet) {
    diags.push_back(Diag(Diagnostic::Severity::kError, src.name, line, col, std::move(msg), snippet));
  };
  ForEachLine(src.content, [&](uint32_t ln, std::string_view raw) {
    std::string_view line = raw;
    if (size_t hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
    bool indented = !line.empty() && (line[0] == ' ' || line[0] == '\t');
    line = Trim(line);
    if (line.empty()) return;
    any_statement = true;
    if (line[0] == '@') return;  // @source and other directives: provenance for readers
    auto [body, origin] = SplitOrigin(line);
    size_t eq = body.find('=');
    std::vector<std::string_view> head = SplitWs(eq == std::string_view::npos ? body : body.substr(0, eq));
    if (head.empty()) {
      error(ln, 1, "expected 'synset', 'block', 'verb', 'noun' or 'pattern'", raw);
      return;
    }
    std::string_view kw = head[0];
    std::string_view rhs = eq == std::string_view::npos ? std::string_view() : Trim(body.substr(eq + 1));
    if (kw == "synset" && !indented) {
      block = nullptr;
      if (head.size() != 2 || eq == std::string_view::npos) {
        error(ln, 1, "a synset reads 'synset NAME = phrase | phrase ...'", raw);
        return;
      }
      Synset s;
      s.name = std::string(head[1]);
      s.phrases = ParseForms(rhs);
      if (s.phrases.empty()) {
        error(ln, 1, "synset '" + s.name + "' has no phrases", raw);
        return;
      }
      if (out.FindSynset(s.name) >= 0) {
        error(ln, 8, "synset '" + s.name + "' is defined twice", raw);
        return;
      }
      out.synsets.push_back(std::move(s));
      return;
    }
    if (kw == "discard" && !indented) {
      block = nullptr;
      if (head.size() != 2 || (head[1] != "sentence" && head[1] != "story") ||
          eq == std::string_view::npos) {
        error(ln, 1, "a discard list reads 'discard sentence = phrase | ...' or 'discard story = ...'", raw);
        return;
      }
      for (Phrase& p : ParseForms(rhs))
        out.discards.push_back(Discard{head[1] == "story", std::move(p), src.name, ln});
      return;
    }
    if (kw == "block" && !indented) {
      bool failure = head.size() == 4 && head[3] == "failure";
      if (failure) head.pop_back();
      if (head.size() != 3 || !ValidCode(head[2])) {
        error(ln, 1, "a block reads 'block NAME CODE' (CODE: 3-4 digits, '---', or 'CODE:CODE')", raw);
        block = nullptr;
        return;
      }
      VerbBlock b;
      b.name = std::string(head[1]);
      b.code = std::string(head[2]);
      b.failure = failure;
      b.file = src.name;
      b.line = ln;
      b.origin = std::string(origin);
      out.blocks.push_back(std::move(b));
      block = &out.blocks.back();
      return;
    }
    if ((kw == "verb" || kw == "noun" || kw == "pattern") && indented) {
      if (!block) {
        error(ln, 1, "'" + std::string(kw) + "' outside a block (a 'block NAME CODE' line must come first)", raw);
        return;
      }
      if (eq == std::string_view::npos) {
        error(ln, 1, "expected '=' after '" + std::string(kw) + "'", raw);
        return;
      }
      if (kw == "pattern") {
        if (head.size() != 2 || !ValidCode(head[1])) {
          error(ln, 1, "a pattern reads 'pattern CODE = items' (CODE: 3-4 digits, '---', 'CODE:CODE')", raw);
          return;
        }
        VerbPattern p;
        p.code = std::string(head[1]);
        p.line = ln;
        p.origin = std::string(origin);
        p.text = std::string(rhs);
        std::string err;
        if (!ParseItems(rhs, out, p, err)) {
          error(ln, static_cast<uint32_t>(raw.find('=') + 3), err, raw);
          return;
        }
        block->patterns.push_back(std::move(p));
        return;
      }
      VerbEntry e;
      e.noun = kw == "noun";
      e.line = ln;
      e.origin = std::string(origin);
      size_t end = head.size();
      if (end > 2 && IsCodeWord(head[end - 1])) {
        e.code = std::string(head[end - 1]);
        --end;
      }
      if (end < 2) {
        error(ln, 1, "'" + std::string(kw) + "' needs a lemma", raw);
        return;
      }
      std::string lemma;
      for (size_t i = 1; i < end; ++i) lemma += (i > 1 ? " " : "") + std::string(head[i]);
      e.lemma = JoinPhrase(ToPhrase(lemma));
      e.forms = ParseForms(rhs);
      AddUnique(e.forms, ToPhrase(lemma));
      block->entries.push_back(std::move(e));
      return;
    }
    error(ln, 1,
          "expected 'synset NAME = ...' or 'block NAME CODE' at the start of a line, or an indented "
          "'verb', 'noun' or 'pattern' line inside a block",
          raw);
  });
  if (diags.size() > errors_before) {
    return Status(StatusCode::kParseError, src.name + ": errors in verb dictionary");
  }
  if (out.blocks.size() == blocks_before && out.synsets.size() == synsets_before &&
      out.discards.empty() && any_statement) {
    return Status(StatusCode::kParseError, src.name + ": no block or synset found: not a quarry verb dictionary (.qv)");
  }
  return Status();
}

std::string FormatVerbDictionary(const VerbDictionary& d, std::string_view header) {
  std::string out(header);
  if (!out.empty() && out.back() != '\n') out += '\n';
  for (bool story : {false, true}) {
    std::vector<Phrase> phrases;
    for (const Discard& x : d.discards)
      if (x.story == story) phrases.push_back(x.phrase);
    if (!phrases.empty())
      out += std::string("discard ") + (story ? "story" : "sentence") + " = " + FormatForms(phrases) + "\n";
  }
  for (const Synset& s : d.synsets) out += "synset " + s.name + " = " + FormatForms(s.phrases) + "\n";
  for (const VerbBlock& b : d.blocks) {
    out += "\nblock " + b.name + " " + b.code + (b.failure ? " failure" : "");
    if (!b.origin.empty()) out += " @ " + b.origin;
    out += '\n';
    for (const VerbEntry& e : b.entries) {
      out += std::string(e.noun ? "  noun " : "  verb ") + e.lemma;
      if (!e.code.empty()) out += " " + e.code;
      out += " = " + FormatForms(e.forms);
      if (!e.origin.empty()) out += " @ " + e.origin;
      out += '\n';
    }
    for (const VerbPattern& p : b.patterns) {
      out += "  pattern " + p.code + " = " + FormatItems(d, p);
      if (!p.origin.empty()) out += " @ " + p.origin;
      out += '\n';
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// quarry's .qa format

Status ParseAgentFile(const SourceFile& src, AgentDictionary& out, std::vector<Diagnostic>& diags) {
  out.files.push_back(src.name);
  size_t errors_before = diags.size(), entries_before = out.entries.size();
  bool any_statement = false;
  ForEachLine(src.content, [&](uint32_t ln, std::string_view raw) {
    std::string_view line = raw;
    if (size_t hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
    line = Trim(line);
    if (line.empty()) return;
    any_statement = true;
    if (line[0] == '@') return;
    auto [body, origin] = SplitOrigin(line);
    size_t eq = body.find('=');
    std::vector<std::string_view> head = SplitWs(eq == std::string_view::npos ? body : body.substr(0, eq));
    if (head.size() != 2 || head[0] != "agent" || eq == std::string_view::npos) {
      diags.push_back(Diag(Diagnostic::Severity::kError, src.name, ln, 1,
                           "an agent reads 'agent ~CODE = phrase | phrase ...' (or 'agent CODE~ = ...')",
                           raw));
      return;
    }
    std::string_view code = head[1];
    AgentEntry e;
    if (code.size() > 1 && code.front() == '~') {
      code.remove_prefix(1);
    } else if (code.size() > 1 && code.back() == '~') {
      code.remove_suffix(1);
      e.prefix = true;
    } else {
      diags.push_back(Diag(Diagnostic::Severity::kError, src.name, ln, 7,
                           "an agent code starts with '~' (after the country: '~COP') or ends "
                           "with it (before the country: 'NGO~')",
                           raw));
      return;
    }
    if (!std::all_of(code.begin(), code.end(),
                     [](char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); })) {
      diags.push_back(Diag(Diagnostic::Severity::kError, src.name, ln, 7,
                           "an agent code is upper-case letters and digits", raw));
      return;
    }
    e.code = std::string(code);
    e.forms = ParseForms(Trim(body.substr(eq + 1)));
    e.file = src.name;
    e.line = ln;
    e.origin = std::string(origin);
    if (e.forms.empty()) {
      diags.push_back(Diag(Diagnostic::Severity::kError, src.name, ln, 1, "agent has no phrases", raw));
      return;
    }
    out.entries.push_back(std::move(e));
  });
  if (diags.size() > errors_before) {
    return Status(StatusCode::kParseError, src.name + ": errors in agent dictionary");
  }
  if (out.entries.size() == entries_before && any_statement) {
    return Status(StatusCode::kParseError, src.name + ": no agent found: not a quarry agent dictionary (.qa)");
  }
  return Status();
}

std::string FormatAgentDictionary(const AgentDictionary& d, std::string_view header) {
  std::string out(header);
  if (!out.empty() && out.back() != '\n') out += '\n';
  for (const AgentEntry& e : d.entries) {
    out += "agent " + (e.prefix ? e.code + "~" : "~" + e.code) + " = " + FormatForms(e.forms);
    if (!e.origin.empty()) out += " @ " + e.origin;
    out += '\n';
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// PETRARCH importers

namespace {

// Removes "<!-- ... -->" comments (which may span lines) from a whole file, keeping line breaks
// so that line numbers stay right.
std::string StripXmlComments(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    size_t open = text.find("<!--", i);
    if (open == std::string_view::npos) {
      out.append(text.substr(i));
      break;
    }
    out.append(text.substr(i, open - i));
    size_t close = text.find("-->", open + 4);
    size_t end = close == std::string_view::npos ? text.size() : close + 3;
    for (size_t k = open; k < end; ++k)
      if (text[k] == '\n') out += '\n';
    i = end;
  }
  return out;
}

// A PETRARCH line without its comment ('#' or the legacy ';').
std::string_view PetrarchCode(std::string_view line) {
  size_t cut = line.find_first_of("#;");
  if (cut != std::string_view::npos) line = line.substr(0, cut);
  return Trim(line);
}

// "[CODE]" at the end of `s`: returns the code and shortens `s`; "" when none. Accepts a
// mistyped closing '}' ("[~LEG}") and reports it through `sloppy`.
std::string TakeBracketCode(std::string_view& s, bool* sloppy = nullptr) {
  s = Trim(s);
  size_t open = s.rfind('[');
  if (open == std::string_view::npos) return "";
  std::string_view inside = s.substr(open + 1);
  if (!inside.empty() && (inside.back() == ']' || inside.back() == '}')) {
    if (inside.back() == '}' && sloppy) *sloppy = true;
    inside.remove_suffix(1);
  } else {
    return "";
  }
  s = Trim(s.substr(0, open));
  return std::string(Trim(inside));
}

}  // namespace

Status ImportPetrarchVerbs(const SourceFile& src, std::string_view origin_name, VerbDictionary& out,
                           std::vector<Diagnostic>& diags) {
  out.files.push_back(src.name);
  const std::string text = StripXmlComments(src.content);
  enum class Ctx { kNone, kSynset, kBlock } ctx = Ctx::kNone;
  Synset* synset = nullptr;
  bool synset_no_plural = false;
  VerbBlock* block = nullptr;
  size_t patterns = 0, blocks_before = out.blocks.size();
  auto warn = [&](uint32_t ln, std::string msg, std::string_view raw) {
    diags.push_back(Diag(Diagnostic::Severity::kWarning, src.name, ln, 1, std::move(msg), raw));
  };
  auto origin = [&](uint32_t ln) { return std::string(origin_name) + ":" + std::to_string(ln); };
  ForEachLine(text, [&](uint32_t ln, std::string_view raw) {
    std::string_view line = PetrarchCode(raw);
    if (line.empty()) {
      // A blank line ends a synset's member list (a comment line does not).
      if (ctx == Ctx::kSynset && Trim(raw).empty()) ctx = Ctx::kNone;
      return;
    }
    if (line[0] == '~') {
      warn(ln, "PETRARCH transformation rule not supported; skipped", raw);
      return;
    }
    if (line.starts_with("---")) {
      // "--- NAME [CODE] ---"
      // The closing dashes may be split by spaces and glued to the code: "DELAY   [120]---  ---".
      std::string_view inner = Trim(line.substr(3));
      while (!inner.empty() && (inner.back() == '-' || inner.back() == ' ' || inner.back() == '\t'))
        inner.remove_suffix(1);
      inner = Trim(inner);
      std::string code = TakeBracketCode(inner);
      if (code.empty()) code = "---";
      if (!ValidCode(code)) {
        warn(ln, "block code '" + code + "' is not a CAMEO code; the block's verbs code nothing alone", raw);
        code = "---";
      }
      VerbBlock b;
      b.name = std::string(inner.empty() ? std::string_view("BLOCK") : inner);
      for (char& c : b.name)
        if (c == ' ') c = '_';
      b.code = code;
      b.file = src.name;
      b.line = ln;
      b.origin = origin(ln);
      out.blocks.push_back(std::move(b));
      block = &out.blocks.back();
      ctx = Ctx::kBlock;
      return;
    }
    if (line[0] == '&') {
      std::string name(Trim(line.substr(1)));
      synset_no_plural = !name.empty() && name.back() == '_';
      while (!name.empty() && name.back() == '_') name.pop_back();
      if (name.empty()) {
        warn(ln, "synset without a name skipped", raw);
        ctx = Ctx::kNone;
        return;
      }
      int existing = out.FindSynset(name);
      if (existing >= 0) {
        // PETRARCH files define some synsets twice (PREPOSIT1_): the later list extends it.
        synset = &out.synsets[existing];
      } else {
        out.synsets.push_back(Synset{name, {}});
        synset = &out.synsets.back();
      }
      block = nullptr;
      ctx = Ctx::kSynset;
      return;
    }
    if (ctx == Ctx::kSynset && line[0] == '+') {
      std::string_view member = Trim(line.substr(1));
      if (!member.empty() && member[0] == '&') {
        int other = out.FindSynset(std::string(Trim(member.substr(1))));
        if (other < 0) {
          warn(ln, "synset member '" + std::string(member) + "' names an undefined synset; skipped", raw);
          return;
        }
        for (const Phrase& p : std::vector<Phrase>(out.synsets[other].phrases)) AddUnique(synset->phrases, p);
        return;
      }
      if (!member.empty() && member.front() == '(' && member.back() == ')') {
        member = Trim(member.substr(1, member.size() - 2));
      }
      bool no_plural = synset_no_plural || (!member.empty() && member.back() == '_');
      Phrase p = ToPhrase(member);
      if (p.empty()) return;
      if (!no_plural) AddUnique(synset->phrases, RegularPlural(p));
      AddUnique(synset->phrases, std::move(p));
      return;
    }
    if (ctx != Ctx::kBlock || !block) {
      warn(ln, "line outside any verb block or synset; skipped", raw);
      return;
    }
    if (line[0] == '-' || line[0] == '*') {
      std::string_view body = line[0] == '-' ? Trim(line.substr(1)) : line;
      std::string code = TakeBracketCode(body);
      if (code.empty()) {
        warn(ln, "pattern without a [CODE]; skipped", raw);
        return;
      }
      if (!ValidCode(code)) {
        warn(ln, "pattern code '" + code + "' is not a CAMEO code; skipped", raw);
        return;
      }
      VerbPattern p;
      p.code = code;
      p.line = ln;
      p.origin = origin(ln);
      p.text = std::string(body);
      std::string err;
      if (!ParseItems(body, out, p, err)) {
        warn(ln, "pattern skipped: " + err, raw);
        return;
      }
      block->patterns.push_back(std::move(p));
      ++patterns;
      return;
    }
    // A verb: "WORD {FORMS} [CODE]" or "+MULTI_WORD {+FORM ...} [CODE]".
    std::string_view body = line;
    std::string code = TakeBracketCode(body);
    if (!code.empty() && !ValidCode(code)) {
      warn(ln, "verb code '" + code + "' is not a CAMEO code; the block's code is used", raw);
      code.clear();
    }
    std::string_view forms_text;
    bool has_forms = false;
    if (size_t open = body.find('{'); open != std::string_view::npos) {
      size_t close = body.find('}', open);
      if (close == std::string_view::npos) {
        warn(ln, "'{' without '}'; the listed forms are ignored", raw);
      } else {
        forms_text = body.substr(open + 1, close - open - 1);
        has_forms = true;
      }
      body = Trim(body.substr(0, open));
    }
    if (!body.empty() && body[0] == '+') body.remove_prefix(1);
    std::vector<std::string_view> words = SplitWs(body);
    if (words.size() != 1) {
      warn(ln, "a verb line holds one verb (words joined by '_'); skipped", raw);
      return;
    }
    VerbEntry e;
    Phrase lemma = ToPhrase(words[0]);
    if (lemma.empty()) return;
    e.lemma = JoinPhrase(lemma);
    e.code = code;
    e.line = ln;
    e.origin = origin(ln);
    AddUnique(e.forms, lemma);
    if (has_forms) {
      std::string forms(forms_text);
      std::replace(forms.begin(), forms.end(), ',', ' ');  // some lines separate forms by commas
      for (std::string_view f : SplitWs(forms)) {
        if (!f.empty() && f[0] == '+') f.remove_prefix(1);
        AddUnique(e.forms, ToPhrase(f));
      }
    } else {
      for (Phrase& f : RegularVerbForms(lemma)) AddUnique(e.forms, std::move(f));
    }
    block->entries.push_back(std::move(e));
  });
  (void)patterns;
  if (out.blocks.size() == blocks_before) {
    return Status(StatusCode::kParseError,
                  src.name + ": no verb block (\"--- NAME [CODE] ---\") found: not a PETRARCH verb dictionary");
  }
  return Status();
}

Status ImportPetrarchDiscards(const SourceFile& src, VerbDictionary& out,
                              std::vector<Diagnostic>& diags) {
  out.files.push_back(src.name);
  size_t before = out.discards.size();
  const std::string text = StripXmlComments(src.content);
  ForEachLine(text, [&](uint32_t ln, std::string_view raw) {
    std::string_view line = PetrarchCode(raw);
    if (line.empty()) return;
    bool story = line[0] == '+';
    if (story) line = Trim(line.substr(1));
    Phrase p = ToPhrase(line);
    if (p.empty()) return;
    out.discards.push_back(Discard{story, std::move(p), src.name, ln});
  });
  if (out.discards.size() == before) {
    return Status(StatusCode::kParseError, src.name + ": no discard phrase found");
  }
  (void)diags;
  return Status();
}

Status ImportPetrarchAgents(const SourceFile& src, std::string_view origin_name,
                            AgentDictionary& out, std::vector<Diagnostic>& diags) {
  out.files.push_back(src.name);
  const std::string text = StripXmlComments(src.content);
  std::map<std::string, std::vector<std::string>, std::less<>> subst;
  size_t before = out.entries.size();
  auto warn = [&](uint32_t ln, std::string msg, std::string_view raw) {
    diags.push_back(Diag(Diagnostic::Severity::kWarning, src.name, ln, 1, std::move(msg), raw));
  };
  ForEachLine(text, [&](uint32_t ln, std::string_view raw) {
    std::string_view line = PetrarchCode(raw);
    if (line.empty()) return;
    if (line[0] == '!' && line.find('=') != std::string_view::npos) {
      // "!PERSON! = MAN, MEN, WOMAN"
      size_t eq = line.find('=');
      std::string name(Trim(line.substr(0, eq)));
      std::vector<std::string> items;
      std::string_view rest = line.substr(eq + 1);
      size_t b = 0;
      for (size_t i = 0; i <= rest.size(); ++i) {
        if (i == rest.size() || rest[i] == ',') {
          std::string_view it = Trim(rest.substr(b, i - b));
          if (!it.empty()) items.emplace_back(it);
          b = i + 1;
        }
      }
      subst[name] = std::move(items);
      return;
    }
    std::string_view body = line;
    bool sloppy = false;
    std::string code = TakeBracketCode(body, &sloppy);
    if (code.empty()) {
      warn(ln, "agent without a [~CODE]; skipped", raw);
      return;
    }
    if (sloppy) warn(ln, "agent code closed with '}' instead of ']' (accepted)", raw);
    AgentEntry e;
    if (code.front() == '~') {
      code.erase(0, 1);
    } else if (code.back() == '~') {
      code.pop_back();
      e.prefix = true;
    } else {
      warn(ln, "agent code '" + code + "' has no '~'; skipped", raw);
      return;
    }
    if (code.empty() || !std::all_of(code.begin(), code.end(), [](char c) {
          return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        })) {
      warn(ln, "agent code '" + code + "' is not upper-case letters and digits; skipped", raw);
      return;
    }
    e.code = code;
    // Plurals in {...}: "{}" none, "{A B}" these.
    std::vector<std::string> plurals;
    bool has_plurals = false;
    if (size_t open = body.find('{'); open != std::string_view::npos) {
      size_t close = body.find('}', open);
      if (close != std::string_view::npos) {
        for (std::string_view p : SplitWs(body.substr(open + 1, close - open - 1)))
          plurals.emplace_back(p);
        has_plurals = true;
      }
      body = Trim(body.substr(0, open));
    }
    std::string phrase(body);
    // Substitution sets: every member replaces the marker, without plurals of its own.
    size_t bang = phrase.find('!');
    if (bang != std::string::npos) {
      size_t bang2 = phrase.find('!', bang + 1);
      if (bang2 == std::string::npos) {
        warn(ln, "unclosed '!' substitution marker; skipped", raw);
        return;
      }
      std::string marker = phrase.substr(bang, bang2 - bang + 1);
      auto it = subst.find(marker);
      if (it == subst.end()) {
        warn(ln, "unknown substitution set " + marker + "; skipped", raw);
        return;
      }
      for (const std::string& member : it->second) {
        std::string p = phrase.substr(0, bang) + member + phrase.substr(bang2 + 1);
        AddUnique(e.forms, ToPhrase(p));
      }
    } else {
      Phrase p = ToPhrase(phrase);
      if (p.empty()) return;
      bool whole = !phrase.empty() && phrase.back() == '_';
      (void)whole;  // PETRARCH's "stop" marker: quarry matches whole words anyway
      AddUnique(e.forms, p);
      if (has_plurals) {
        for (const std::string& pl : plurals) AddUnique(e.forms, ToPhrase(pl));
      } else {
        AddUnique(e.forms, RegularPlural(p));
      }
    }
    if (e.forms.empty()) return;
    e.file = src.name;
    e.line = ln;
    e.origin = std::string(origin_name) + ":" + std::to_string(ln);
    out.entries.push_back(std::move(e));
  });
  if (out.entries.size() == before) {
    return Status(StatusCode::kParseError,
                  src.name + ": no agent (\"PHRASE [~CODE]\") found: not a PETRARCH agent dictionary");
  }
  return Status();
}

}  // namespace quarry::internal::coding
