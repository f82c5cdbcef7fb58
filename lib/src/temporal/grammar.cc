// temporal/grammar.cc: the .qt parser (format in docs/temporal.md).
//
// The format is line-based: `lexicon NAME` ... `end` blocks of `entry | entry = value` lines and
// `rule NAME` ... `end` blocks of `keyword arguments` lines. The parser never stops at the first
// error: every problem of every file becomes a Diagnostic with file, line and column.
#include "temporal/grammar.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <tuple>

#include "common/strings.h"
#include "temporal/normalize.h"
#include "tokenize/tokenizer.h"

namespace quarry::internal {
namespace {

struct ClassName {
  const char* name;
  TokenClass cls;
};
constexpr ClassName kClasses[] = {
    {"NUM", TokenClass::kNum},         {"YEAR", TokenClass::kYear},
    {"DAY", TokenClass::kDay},         {"MONTHNUM", TokenClass::kMonthNum},
    {"DECADE", TokenClass::kDecade},   {"YEAR2", TokenClass::kYear2},
    {"MINUTE", TokenClass::kMinute},   {"HOUR", TokenClass::kHour},
    {"CLOCK", TokenClass::kClock},     {"NUMDATE", TokenClass::kNumDate},
    {"ORDINAL", TokenClass::kOrdinal}, {"DAYTH", TokenClass::kDayTh},
};

bool IsIdentStart(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool IsIdent(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// A logical line: physical lines joined at a trailing backslash.
struct Line {
  std::string text;
  uint32_t number = 0;  // first physical line
};

class Parser {
 public:
  Parser(const Tokenizer& tokenizer, std::vector<Diagnostic>& diags, Grammar& g)
      : tok_(tokenizer), diags_(diags), g_(g) {}

  void ParseFile(const SourceFile& f);
  void Finish();

 private:
  void Error(uint32_t line, uint32_t col, std::string msg, std::string_view snippet = {}) {
    Diagnostic d;
    d.file = file_;
    d.line = line;
    d.column = col;
    d.message = std::move(msg);
    d.snippet = std::string(snippet);
    diags_.push_back(std::move(d));
  }

  void LexiconLine(const Line& l, Lexicon& lex);
  void RuleLine(const Line& l, size_t col0, Rule& r);
  void ParsePattern(const Line& l, size_t pos, Rule& r);
  bool ParseSeq(std::string_view s, size_t& i, const Line& l, Rule& r, std::vector<Elem>& out,
                int depth);
  void ParseValue(const Line& l, size_t pos, Rule& r);
  void ParseExample(const Line& l, size_t pos, bool reject, Rule& r);
  int CaptureIndex(Rule& r, const std::string& name) {
    for (size_t i = 0; i < r.captures.size(); ++i)
      if (r.captures[i] == name) return static_cast<int>(i);
    r.captures.push_back(name);
    return static_cast<int>(r.captures.size() - 1);
  }
  static int FindCapture(const Rule& r, std::string_view name) {
    for (size_t i = 0; i < r.captures.size(); ++i)
      if (r.captures[i] == name) return static_cast<int>(i);
    return -1;
  }
  Lexicon& LexiconNamed(const std::string& name) {
    for (auto& l : g_.lexicons)
      if (l.name == name) return l;
    g_.lexicons.push_back(Lexicon{name, {}});
    return g_.lexicons.back();
  }
  std::vector<std::string> Fold(std::string_view text) {
    AnnotationSet set;
    std::vector<std::string> out;
    if (!tok_.Tokenize(text, set).ok()) return out;
    for (const Token& t : set.tokens()) out.emplace_back(set.Lower(t));
    return out;
  }

  const Tokenizer& tok_;
  std::vector<Diagnostic>& diags_;
  Grammar& g_;
  std::string file_;
  // Pending lexicon references, resolved once every file is read. Stored as paths into the
  // rule's pattern tree because vectors may move while parsing.
  struct PendingRef {
    size_t rule;
    std::vector<size_t> path;  // alternating element index / alternative index
    std::string name, file;
    uint32_t line, col;
  };
  std::vector<PendingRef> pending_;
  std::vector<size_t> path_;  // current position while parsing a pattern
};

void Parser::ParseFile(const SourceFile& f) {
  file_ = f.name;
  std::vector<Line> lines;
  {
    std::string_view s = f.content;
    uint32_t n = 0;
    Line cur;
    bool cont = false;
    while (!s.empty() || cont) {
      size_t nl = s.find('\n');
      std::string_view raw = s.substr(0, nl);
      s = nl == std::string_view::npos ? std::string_view() : s.substr(nl + 1);
      ++n;
      if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
      if (!cont) {
        cur = Line{std::string(), n};
      }
      bool more = !raw.empty() && raw.back() == '\\';
      if (more) raw.remove_suffix(1);
      cur.text += std::string(raw);
      if (more && !s.empty()) {
        cur.text += ' ';
        cont = true;
        continue;
      }
      cont = false;
      lines.push_back(cur);
      if (s.empty()) break;
    }
  }
  enum class State { kTop, kLexicon, kRule } state = State::kTop;
  Lexicon* lex = nullptr;
  std::string lex_name;
  Rule rule;
  uint32_t block_line = 0;
  for (const Line& l : lines) {
    std::string_view t = Trim(l.text);
    if (t.empty() || t[0] == '#') continue;
    size_t col0 = l.text.find_first_not_of(" \t");
    size_t sp = t.find_first_of(" \t");
    std::string_view kw = t.substr(0, sp);
    std::string_view rest = sp == std::string_view::npos ? "" : Trim(t.substr(sp));
    if (kw == "end") {
      if (state == State::kTop) {
        Error(l.number, static_cast<uint32_t>(col0 + 1), "`end` without an open block", l.text);
      } else if (state == State::kRule) {
        if (rule.pattern.empty()) Error(block_line, 1, "rule '" + rule.name + "' has no pattern");
        if (rule.values.empty()) Error(block_line, 1, "rule '" + rule.name + "' has no value line");
        for (const Example& ex : rule.examples) {
          if (!ex.reject && !ex.values.empty() && ex.values.size() != ex.marks.size()) {
            Error(ex.line, 1,
                  "example has " + std::to_string(ex.marks.size()) + " marked spans but " +
                      std::to_string(ex.values.size()) + " values");
          }
        }
        g_.rules.push_back(std::move(rule));
      }
      state = State::kTop;
      continue;
    }
    if (state == State::kTop) {
      if (kw == "lexicon" || kw == "rule") {
        bool ok = !rest.empty() && IsIdentStart(rest[0]) &&
                  std::all_of(rest.begin(), rest.end(), IsIdent);
        if (!ok) {
          Error(l.number, static_cast<uint32_t>(col0 + sp + 2),
                std::string(kw) + " needs a name of letters, digits and _", l.text);
        }
        block_line = l.number;
        if (kw == "lexicon") {
          state = State::kLexicon;
          lex = &LexiconNamed(std::string(rest));
        } else {
          state = State::kRule;
          rule = Rule();
          rule.name = std::string(rest);
          rule.file = file_;
          rule.line = l.number;
          for (const Rule& r : g_.rules) {
            if (r.name == rule.name) {
              Error(l.number, static_cast<uint32_t>(col0 + sp + 2),
                    "rule '" + rule.name + "' already defined at " + r.file + ":" +
                        std::to_string(r.line),
                    l.text);
            }
          }
        }
      } else {
        Error(l.number, static_cast<uint32_t>(col0 + 1),
              "expected `lexicon NAME` or `rule NAME`, found '" + std::string(kw) + "'", l.text);
      }
      continue;
    }
    if (state == State::kLexicon) {
      LexiconLine(l, *lex);
    } else {
      RuleLine(l, col0, rule);
    }
  }
  if (state != State::kTop) {
    Error(block_line, 1, "block is not closed with `end` before the end of the file");
  }
}

void Parser::LexiconLine(const Line& l, Lexicon& lex) {
  size_t eq = l.text.rfind('=');
  if (eq == std::string::npos) {
    Error(l.number, static_cast<uint32_t>(l.text.find_first_not_of(" \t") + 1),
          "lexicon entry needs '= value'", l.text);
    return;
  }
  std::string value(Trim(std::string_view(l.text).substr(eq + 1)));
  if (value.empty()) {
    Error(l.number, static_cast<uint32_t>(eq + 2), "empty value after '='", l.text);
    return;
  }
  std::string_view entries = std::string_view(l.text).substr(0, eq);
  size_t start = 0;
  while (start <= entries.size()) {
    size_t bar = entries.find('|', start);
    if (bar == std::string_view::npos) bar = entries.size();
    std::string_view e = Trim(entries.substr(start, bar - start));
    if (e.empty()) {
      Error(l.number, static_cast<uint32_t>(start + 1), "empty entry", l.text);
    } else {
      LexEntry entry{Fold(e), value};
      if (!entry.tokens.empty()) {
        auto& bucket = lex.by_first[entry.tokens[0]];
        bucket.push_back(std::move(entry));
        std::stable_sort(bucket.begin(), bucket.end(), [](const LexEntry& a, const LexEntry& b) {
          return a.tokens.size() > b.tokens.size();
        });
      }
    }
    start = bar + 1;
  }
}

void Parser::RuleLine(const Line& l, size_t col0, Rule& r) {
  std::string_view t(l.text);
  size_t kw_end = t.find_first_of(" \t", col0);
  if (kw_end == std::string_view::npos) kw_end = t.size();
  std::string_view kw = t.substr(col0, kw_end - col0);
  size_t pos = t.find_first_not_of(" \t", kw_end);
  if (pos == std::string_view::npos) pos = t.size();
  if (kw == "pattern") {
    if (!r.pattern.empty())
      Error(l.number, static_cast<uint32_t>(col0 + 1), "second pattern line", l.text);
    ParsePattern(l, pos, r);
  } else if (kw == "type") {
    std::string_view v = Trim(t.substr(pos));
    if (v != "DATE" && v != "TIME" && v != "DURATION" && v != "SET") {
      Error(l.number, static_cast<uint32_t>(pos + 1), "type must be DATE, TIME, DURATION or SET",
            l.text);
    }
    r.type = std::string(v);
  } else if (kw == "value") {
    ParseValue(l, pos, r);
  } else if (kw == "mod") {
    std::string_view v = Trim(t.substr(pos));
    if (!v.empty() && v[0] == '$') {
      r.mod.capture = FindCapture(r, v.substr(1));
      if (r.mod.capture < 0) {
        Error(l.number, static_cast<uint32_t>(pos + 1),
              "no capture '" + std::string(v.substr(1)) + "' in the pattern", l.text);
      }
    } else {
      r.mod.literal = std::string(v);
    }
  } else if (kw == "example" || kw == "reject") {
    ParseExample(l, pos, kw == "reject", r);
  } else {
    Error(l.number, static_cast<uint32_t>(col0 + 1),
          "unknown keyword '" + std::string(kw) +
              "' (expected pattern, type, value, mod, example, reject or end)",
          l.text);
  }
}

void Parser::ParsePattern(const Line& l, size_t pos, Rule& r) {
  std::string_view s(l.text);
  size_t i = pos;
  path_.clear();
  std::vector<Elem> seq;
  if (ParseSeq(s, i, l, r, seq, 0)) {
    if (i < s.size()) {
      Error(l.number, static_cast<uint32_t>(i + 1), "unexpected '" + std::string(1, s[i]) + "'",
            l.text);
    } else if (seq.empty()) {
      Error(l.number, static_cast<uint32_t>(pos + 1), "empty pattern", l.text);
    }
  }
  r.pattern = std::move(seq);
}

// Groups nest at most this deep: parsing, matching and the prefilter recurse once per level.
constexpr int kMaxGroupDepth = 32;

// Parses elements until ')' or '|' (not consumed) or the end.
bool Parser::ParseSeq(std::string_view s, size_t& i, const Line& l, Rule& r, std::vector<Elem>& out,
                      int depth) {
  auto col = [&](size_t p) { return static_cast<uint32_t>(p + 1); };
  while (true) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
    if (i >= s.size() || s[i] == ')' || s[i] == '|') return true;
    Elem e;
    size_t start = i;
    if (s[i] == '<' && i + 1 < s.size() && s[i + 1] == '!') {
      e.negated = true;
      e.behind = true;
      i += 2;
    } else if (s[i] == '!') {
      e.negated = true;
      ++i;
    } else if (s[i] == '&') {
      e.lookahead = true;
      ++i;
    }
    if (i < s.size() && s[i] == '^') {
      e.capitalized = true;
      ++i;
    }
    // name:element
    size_t j = i;
    while (j < s.size() && IsIdent(s[j])) ++j;
    if (j > i && j < s.size() && s[j] == ':' && IsIdentStart(s[i]) && j + 1 < s.size() &&
        s[j + 1] != ' ') {
      e.capture = CaptureIndex(r, std::string(s.substr(i, j - i)));
      i = j + 1;
      if (i < s.size() && s[i] == '^') {
        e.capitalized = true;
        ++i;
      }
    }
    if (i >= s.size()) {
      Error(l.number, col(start), "element expected", l.text);
      return false;
    }
    path_.push_back(out.size());
    char c = s[i];
    if (c == '(') {
      if (depth >= kMaxGroupDepth) {
        Error(l.number, col(i),
              "groups nest deeper than " + std::to_string(kMaxGroupDepth) +
                  " levels: simplify the pattern",
              l.text);
        return false;
      }
      e.kind = Elem::Kind::kGroup;
      ++i;
      while (true) {
        std::vector<Elem> alt;
        path_.push_back(e.alts.size());
        bool ok = ParseSeq(s, i, l, r, alt, depth + 1);
        path_.pop_back();
        if (!ok) return false;
        if (alt.empty()) Error(l.number, col(i), "empty alternative", l.text);
        e.alts.push_back(std::move(alt));
        if (i < s.size() && s[i] == '|') {
          ++i;
          continue;
        }
        if (i < s.size() && s[i] == ')') {
          ++i;
          break;
        }
        Error(l.number, col(start), "unclosed '('", l.text);
        return false;
      }
    } else if (c == '@') {
      size_t k = i + 1;
      while (k < s.size() && IsIdent(s[k])) ++k;
      std::string name(s.substr(i + 1, k - i - 1));
      if (name.empty()) {
        Error(l.number, col(i), "'@' needs a lexicon or class name", l.text);
      }
      bool is_class = false;
      for (const ClassName& cn : kClasses) {
        if (name == cn.name) {
          e.kind = Elem::Kind::kClass;
          e.index = static_cast<int>(cn.cls);
          is_class = true;
        }
      }
      if (!is_class && !name.empty()) {
        e.kind = Elem::Kind::kLexicon;
        pending_.push_back(PendingRef{g_.rules.size(), path_, name, file_, l.number, col(i)});
      }
      i = k;
    } else if (c == '/') {
      size_t k = i + 1;
      std::string re;
      while (k < s.size() && s[k] != '/') {
        if (s[k] == '\\' && k + 1 < s.size() && s[k + 1] == '/') ++k;
        re += s[k++];
      }
      if (k >= s.size()) {
        Error(l.number, col(i), "unclosed regular expression", l.text);
        return false;
      }
      e.kind = Elem::Kind::kRegex;
      e.re = std::make_shared<RE2>(re, RE2::Quiet);
      if (!e.re->ok()) {
        Error(l.number, col(i), "bad regular expression: " + e.re->error(), l.text);
      }
      i = k + 1;
    } else if (c == '"') {
      size_t k = i + 1;
      std::string lit;
      while (k < s.size() && s[k] != '"') {
        if (s[k] == '\\' && k + 1 < s.size()) ++k;
        lit += s[k++];
      }
      if (k >= s.size()) {
        Error(l.number, col(i), "unclosed quote", l.text);
        return false;
      }
      e.kind = Elem::Kind::kLiteral;
      FoldCase(lit, e.text);
      i = k + 1;
    } else if (c == '?' || c == '*' || c == '+' || c == ')') {
      Error(l.number, col(i), "'" + std::string(1, c) + "' needs an element before it", l.text);
      ++i;
      path_.pop_back();
      continue;
    } else {
      size_t k = i;
      while (k < s.size() && s[k] != ' ' && s[k] != '\t' && s[k] != '(' && s[k] != ')' &&
             s[k] != '|')
        ++k;
      size_t end = k;
      // A trailing ?, * or + is the quantifier of the literal (",?").
      if (end - i > 1 && (s[end - 1] == '?' || s[end - 1] == '*' || s[end - 1] == '+')) --end;
      e.kind = Elem::Kind::kLiteral;
      FoldCase(s.substr(i, end - i), e.text);
      i = end;
    }
    if (i < s.size() && (s[i] == '?' || s[i] == '*' || s[i] == '+')) {
      e.min = s[i] == '+' ? 1 : 0;
      e.max = s[i] == '?' ? 1 : 8;
      ++i;
    }
    if ((e.negated || e.lookahead) && (e.min != 1 || e.max != 1)) {
      Error(l.number, col(start), "a lookaround (!, & or <!) cannot have a quantifier", l.text);
    }
    path_.pop_back();
    out.push_back(std::move(e));
  }
}

void Parser::ParseValue(const Line& l, size_t pos, Rule& r) {
  std::string_view s(l.text);
  ValueSpec v;
  // Optional part capture: `value a date(y)`.
  size_t j = pos;
  while (j < s.size() && IsIdent(s[j])) ++j;
  if (j > pos && j < s.size() && (s[j] == ' ' || s[j] == '\t')) {
    std::string_view name = s.substr(pos, j - pos);
    v.part = FindCapture(r, name);
    if (v.part < 0) {
      Error(l.number, static_cast<uint32_t>(pos + 1),
            "no capture '" + std::string(name) + "' in the pattern for this part", l.text);
    }
    pos = s.find_first_not_of(" \t", j);
    if (pos == std::string_view::npos) pos = s.size();
  }
  std::string_view expr = Trim(s.substr(pos));
  size_t paren = expr.find('(');
  if (paren == std::string_view::npos) {
    if (expr.empty()) Error(l.number, static_cast<uint32_t>(pos + 1), "value expected", l.text);
    v.literal = std::string(expr);
    r.values.push_back(std::move(v));
    return;
  }
  if (expr.back() != ')') {
    Error(l.number, static_cast<uint32_t>(pos + expr.size()), "expected ')' at the end", l.text);
    return;
  }
  v.function = std::string(Trim(expr.substr(0, paren)));
  v.function_id = FindNormFunction(v.function);
  if (v.function_id < 0) {
    std::string names;
    for (const auto& f : NormFunctions()) names += std::string(names.empty() ? "" : ", ") + f.name;
    Error(l.number, static_cast<uint32_t>(pos + 1),
          "unknown function '" + v.function + "' (known: " + names + ")", l.text);
  }
  std::string_view inner = expr.substr(paren + 1, expr.size() - paren - 2);
  size_t inner_col = pos + paren + 1;
  if (!Trim(inner).empty()) {
    size_t start = 0;
    while (start <= inner.size()) {
      size_t comma = inner.find(',', start);
      if (comma == std::string_view::npos) comma = inner.size();
      std::string_view a = Trim(inner.substr(start, comma - start));
      Arg arg;
      if (a.size() >= 2 && a.front() == '"' && a.back() == '"') {
        arg.literal = std::string(a.substr(1, a.size() - 2));
      } else if ((arg.capture = FindCapture(r, a)) < 0) {
        if (!a.empty() && std::islower(static_cast<unsigned char>(a[0]))) {
          Error(l.number, static_cast<uint32_t>(inner_col + start + 1),
                "'" + std::string(a) +
                    "' is not a capture of the pattern (literals are upper case, numbers or "
                    "quoted)",
                l.text);
        }
        arg.literal = std::string(a);
      }
      v.args.push_back(std::move(arg));
      start = comma + 1;
    }
  }
  if (v.function_id >= 0) {
    const NormFunction& f = NormFunctionAt(v.function_id);
    int n = static_cast<int>(v.args.size());
    if (n < f.min_args || n > f.max_args) {
      Error(l.number, static_cast<uint32_t>(pos + 1),
            v.function + " takes " + std::to_string(f.min_args) +
                (f.max_args != f.min_args ? " to " + std::to_string(f.max_args) : "") +
                " arguments, " + std::to_string(n) + " given",
            l.text);
    }
  }
  r.values.push_back(std::move(v));
}

void Parser::ParseExample(const Line& l, size_t pos, bool reject, Rule& r) {
  std::string_view s(l.text);
  Example ex;
  ex.reject = reject;
  ex.line = l.number;
  if (s.substr(pos, 4) == "dct=") {
    size_t e = s.find_first_of(" \t", pos);
    ex.dct = std::string(s.substr(pos + 4, e - pos - 4));
    if (!ParseDateValue(ex.dct).valid()) {
      Error(l.number, static_cast<uint32_t>(pos + 5), "dct must be an ISO date", l.text);
    }
    pos = s.find_first_not_of(" \t", e);
    if (pos == std::string_view::npos) pos = s.size();
  }
  if (pos >= s.size() || s[pos] != '"') {
    Error(l.number, static_cast<uint32_t>(pos + 1), "example text must be in double quotes",
          l.text);
    return;
  }
  size_t k = pos + 1;
  bool open = false;
  uint32_t mark_start = 0;
  for (; k < s.size() && s[k] != '"'; ++k) {
    char c = s[k];
    if (c == '\\' && k + 1 < s.size()) {
      ex.text += s[++k];
    } else if (c == '[' && !reject) {
      if (open) Error(l.number, static_cast<uint32_t>(k + 1), "nested '['", l.text);
      open = true;
      mark_start = static_cast<uint32_t>(ex.text.size());
    } else if (c == ']' && !reject) {
      if (!open) Error(l.number, static_cast<uint32_t>(k + 1), "']' without '['", l.text);
      open = false;
      ex.marks.emplace_back(mark_start, static_cast<uint32_t>(ex.text.size()));
    } else {
      ex.text += c;
    }
  }
  if (k >= s.size()) {
    Error(l.number, static_cast<uint32_t>(pos + 1), "unclosed quote", l.text);
    return;
  }
  if (open) Error(l.number, static_cast<uint32_t>(pos + 1), "unclosed '['", l.text);
  if (!reject && ex.marks.empty()) {
    Error(l.number, static_cast<uint32_t>(pos + 1),
          "example marks no timex: put the expected text in [ ]", l.text);
  }
  std::string_view rest = Trim(s.substr(k + 1));
  if (!rest.empty()) {
    if (reject || rest.substr(0, 2) != "=>") {
      Error(l.number, static_cast<uint32_t>(k + 2),
            reject ? "reject takes only a quoted text" : "expected '=> VALUE...' after the text",
            l.text);
    } else {
      rest = Trim(rest.substr(2));
      while (!rest.empty()) {
        size_t e = rest.find_first_of(" \t");
        std::string_view v = rest.substr(0, e);
        ex.values.emplace_back(v == "_" ? "" : std::string(v));
        rest = e == std::string_view::npos ? "" : Trim(rest.substr(e));
      }
    }
  }
  r.examples.push_back(std::move(ex));
}

void Parser::Finish() {
  for (const PendingRef& p : pending_) {
    int idx = -1;
    for (size_t i = 0; i < g_.lexicons.size(); ++i)
      if (g_.lexicons[i].name == p.name) idx = static_cast<int>(i);
    if (idx < 0) {
      Diagnostic d;
      d.file = p.file;
      d.line = p.line;
      d.column = p.col;
      d.message = "unknown lexicon or class '@" + p.name + "'";
      diags_.push_back(std::move(d));
      continue;
    }
    if (p.rule >= g_.rules.size()) continue;  // rule dropped (unclosed block)
    std::vector<Elem>* seq = &g_.rules[p.rule].pattern;
    Elem* e = nullptr;
    for (size_t k = 0; k < p.path.size(); ++k) {
      if (k % 2 == 0) {
        if (p.path[k] >= seq->size()) break;
        e = &(*seq)[p.path[k]];
      } else {
        if (!e || p.path[k] >= e->alts.size()) break;
        seq = &e->alts[p.path[k]];
      }
    }
    if (e) e->index = idx;
  }
}

}  // namespace

Result<Grammar> ParseGrammar(const std::vector<SourceFile>& sources, const Tokenizer& tokenizer) {
  Grammar g;
  std::vector<Diagnostic> diags;
  Parser p(tokenizer, diags, g);
  for (const SourceFile& f : sources) p.ParseFile(f);
  p.Finish();
  if (!diags.empty()) {
    // In file order, then by position (lexicon references are checked last).
    std::map<std::string, size_t> order;
    for (size_t i = 0; i < sources.size(); ++i) order.emplace(sources[i].name, i);
    std::stable_sort(diags.begin(), diags.end(), [&](const Diagnostic& a, const Diagnostic& b) {
      return std::tie(order[a.file], a.line, a.column) < std::tie(order[b.file], b.line, b.column);
    });
    std::string msg = std::to_string(diags.size()) + " error" + (diags.size() > 1 ? "s" : "") +
                      " in temporal grammar";
    return Status(StatusCode::kParseError, msg).WithDiagnostics(std::move(diags));
  }
  return g;
}

}  // namespace quarry::internal
