// rules/parser.cc: a hand-written lexer and recursive-descent parser for .qr files.
#include "rules/parser.h"

#include <cstdlib>
#include <cstring>
#include <deque>
#include <string>
#include <string_view>

namespace quarry::internal::rules {

void Diags::Error(const Loc& loc, std::string message) {
  list_.push_back(Make(loc, std::move(message)));
}

void Diags::Warning(const Loc& loc, std::string message) {
  Diagnostic d = Make(loc, std::move(message));
  d.severity = Diagnostic::Severity::kWarning;
  warnings_.push_back(std::move(d));
}

Diagnostic Diags::Make(const Loc& loc, std::string message) const {
  Diagnostic d;
  const SourceFile* f = loc.file < sources_->size() ? &(*sources_)[loc.file] : nullptr;
  if (f) {
    d.file = f->name;
    d.line = loc.line;
    d.column = loc.col;
    d.byte_offset = loc.offset;
    // The offending line, with a caret under the column.
    size_t b = f->content.rfind('\n', loc.offset ? loc.offset - 1 : 0);
    b = (b == std::string::npos || loc.offset == 0) ? 0 : b + 1;
    if (loc.offset > 0 && loc.offset <= f->content.size() && f->content[loc.offset - 1] == '\n')
      b = loc.offset;
    size_t e = f->content.find('\n', b);
    if (e == std::string::npos) e = f->content.size();
    std::string line = f->content.substr(b, e - b);
    if (line.size() > 160) line.resize(160);
    std::string caret(loc.offset >= b ? std::min<size_t>(loc.offset - b, 160) : 0, ' ');
    for (size_t i = 0; i < caret.size() && i < line.size(); ++i)
      if (line[i] == '\t') caret[i] = '\t';
    d.snippet = line + "\n    " + caret + "^";
  }
  d.message = std::move(message);
  return d;
}

std::string Diags::Where(const Loc& loc) const {
  if (loc.file >= sources_->size()) return "?";
  return (*sources_)[loc.file].name + ":" + std::to_string(loc.line);
}

namespace {

enum class T : uint8_t { kIdent, kString, kNumber, kRegex, kPunct, kEnd };

// A token's text is a view: into the source, or into the lexer's store of decoded strings and
// regular expressions (those that held an escape). Tokens own nothing, so the token vector of a
// word list with tens of thousands of entries is cheap to build and to drop.
struct Tok {
  T kind = T::kEnd;
  std::string_view text;   // identifier, decoded string, number text, regex body, punctuation
  std::string_view flags;  // regex flags
  Loc loc;
  bool line_start = false;  // first token on its line
  uint32_t end = 0;         // byte offset after the token
};

const char* Describe(const Tok& t) {
  switch (t.kind) {
    case T::kIdent: return "a name";
    case T::kString: return "a string";
    case T::kNumber: return "a number";
    case T::kRegex: return "a regular expression";
    case T::kPunct: return "punctuation";
    case T::kEnd: return "the end of the file";
  }
  return "?";
}

bool IsIdentStart(unsigned char c) { return std::isalpha(c) || c == '_' || c >= 0x80; }
bool IsIdentChar(unsigned char c) { return std::isalnum(c) || c == '_' || c >= 0x80; }

class Lexer {
 public:
  Lexer(uint32_t file, std::string_view src, Diags& diags, std::deque<std::string>* store)
      : file_(file), src_(src), diags_(diags), store_(store) {}

  std::vector<Tok> Run() {
    std::vector<Tok> out;
    out.reserve(src_.size() / 6 + 16);  // word lists run about six bytes a token
    bool line_start = true;
    while (true) {
      // Skip blanks and comments.
      while (pos_ < src_.size()) {
        char c = src_[pos_];
        if (c == '\n') {
          Advance();
          line_start = true;
        } else if (c == ' ' || c == '\t' || c == '\r') {
          Advance();
        } else if (c == '#') {
          while (pos_ < src_.size() && src_[pos_] != '\n') Advance();
        } else {
          break;
        }
      }
      Tok t;
      t.loc = Here();
      t.line_start = line_start;
      line_start = false;
      if (pos_ >= src_.size()) {
        t.kind = T::kEnd;
        t.end = pos_;
        out.push_back(t);
        return out;
      }
      unsigned char c = src_[pos_];
      bool after_match = !out.empty() && out.back().kind == T::kPunct && out.back().text == "=~";
      if (c == '"') {
        t.kind = T::kString;
        Advance();
        bool closed = false;
        size_t begin = pos_;
        std::string decoded;
        bool escaped = false;
        while (pos_ < src_.size() && src_[pos_] != '\n') {
          char d = src_[pos_];
          if (d == '"') {
            Advance();
            closed = true;
            break;
          }
          if (d == '\\' && pos_ + 1 < src_.size()) {
            if (!escaped) decoded.assign(src_.substr(begin, pos_ - begin));
            escaped = true;
            Advance();
            char e = src_[pos_];
            Advance();
            switch (e) {
              case 'n': decoded += '\n'; break;
              case 't': decoded += '\t'; break;
              case '"': decoded += '"'; break;
              case '\\': decoded += '\\'; break;
              default:
                decoded += '\\';
                decoded += e;
            }
            continue;
          }
          if (escaped) decoded += d;
          Advance();
        }
        t.text = escaped ? Keep(std::move(decoded))
                         : src_.substr(begin, pos_ - begin - (closed ? 1 : 0));
        if (!closed) diags_.Error(t.loc, "this string is not closed: add a \" before the end of the line");
      } else if (c == '/' && after_match) {
        t.kind = T::kRegex;
        Advance();
        bool closed = false;
        std::string body;
        while (pos_ < src_.size() && src_[pos_] != '\n') {
          char d = src_[pos_];
          if (d == '/') {
            Advance();
            closed = true;
            break;
          }
          if (d == '\\' && pos_ + 1 < src_.size() && src_[pos_ + 1] == '/') {
            body += '/';
            Advance();
            Advance();
            continue;
          }
          body += d;
          Advance();
        }
        t.text = Keep(std::move(body));
        if (!closed) {
          diags_.Error(t.loc, "this regular expression is not closed: end it with / on the same line");
        }
        size_t flags = pos_;
        while (pos_ < src_.size() && std::isalpha(static_cast<unsigned char>(src_[pos_]))) Advance();
        t.flags = src_.substr(flags, pos_ - flags);
      } else if (IsIdentStart(c)) {
        t.kind = T::kIdent;
        size_t n = 1;  // an identifier holds no newline: one column per byte
        while (pos_ + n < src_.size() && IsIdentChar(static_cast<unsigned char>(src_[pos_ + n]))) ++n;
        t.text = src_.substr(pos_, n);
        pos_ += n;
        col_ += static_cast<uint32_t>(n);
      } else if (std::isdigit(c) || (c == '-' && pos_ + 1 < src_.size() &&
                                     std::isdigit(static_cast<unsigned char>(src_[pos_ + 1])))) {
        t.kind = T::kNumber;
        size_t begin = pos_;
        Advance();
        while (pos_ < src_.size() &&
               (std::isdigit(static_cast<unsigned char>(src_[pos_])) || src_[pos_] == '.')) {
          Advance();
        }
        t.text = src_.substr(begin, pos_ - begin);
      } else {
        t.kind = T::kPunct;
        static const char* kMulti[] = {"(?<=", "(?<!", "(?=", "(?!", "==", "!=", "<=", ">=",
                                       "=~",   "=>"};
        bool found = false;
        for (const char* m : kMulti) {
          if (m[0] != static_cast<char>(c)) continue;
          size_t n = std::strlen(m);
          if (src_.substr(pos_, n) == m) {
            t.text = src_.substr(pos_, n);
            for (size_t i = 0; i < n; ++i) Advance();
            found = true;
            break;
          }
        }
        if (!found) {
          if (std::strchr("{}[]():;,=<>@?*+|&!^$.", c) && c != 0) {
            t.text = src_.substr(pos_, 1);
            Advance();
          } else {
            std::string what(1, static_cast<char>(c));
            if (c >= 0x80) {  // a whole UTF-8 sequence
              size_t n = 1;
              while (pos_ + n < src_.size() && (static_cast<unsigned char>(src_[pos_ + n]) & 0xC0) == 0x80)
                ++n;
              what = std::string(src_.substr(pos_, n));
            }
            diags_.Error(t.loc, "unexpected character '" + what + "'");
            Advance();
            continue;
          }
        }
      }
      t.end = pos_;
      out.push_back(std::move(t));
    }
  }

 private:
  // A decoded string or regular expression, kept where the tokens' views can see it (a deque's
  // elements do not move).
  std::string_view Keep(std::string s) { return store_->emplace_back(std::move(s)); }
  Loc Here() const { return Loc{file_, line_, col_, static_cast<uint32_t>(pos_)}; }
  void Advance() {
    if (src_[pos_] == '\n') {
      ++line_;
      col_ = 1;
    } else {
      ++col_;
    }
    ++pos_;
  }
  uint32_t file_;
  std::string_view src_;
  Diags& diags_;
  std::deque<std::string>* store_;
  size_t pos_ = 0;
  uint32_t line_ = 1, col_ = 1;
};

bool IsTopKeyword(const Tok& t) {
  if (t.kind != T::kIdent) return false;
  for (const char* k : {"rule", "phase", "type", "words", "define", "import"})
    if (t.text == k) return true;
  return false;
}
bool IsRuleKeyword(const Tok& t) {
  if (t.kind != T::kIdent) return false;
  for (const char* k : {"phase", "priority", "match", "emit", "example", "counter"})
    if (t.text == k) return true;
  return false;
}

struct ParseFail {};

class Parser {
 public:
  Parser(uint32_t file, std::vector<Tok> toks, std::string_view src, Diags& diags)
      : file_(file), toks_(std::move(toks)), src_(src), diags_(diags) {}

  // Groups, lookarounds, captures, repetitions and negations nest at most this deep: the parser,
  // the compiler and the AST's destructor recurse once per level.
  static constexpr int kMaxNesting = 64;

  FileAst Run() {
    FileAst ast;
    ast.file = file_;
    while (!At(T::kEnd)) {
      size_t before = i_;
      bool ok = TopItem(ast);
      if (!ok) SyncTop();
      if (i_ == before) ++i_;  // always progress
    }
    return ast;
  }

 private:
  // --- token helpers
  const Tok& Cur() const { return toks_[std::min(i_, toks_.size() - 1)]; }
  const Tok& Peek(size_t k = 1) const { return toks_[std::min(i_ + k, toks_.size() - 1)]; }
  bool At(T k) const { return Cur().kind == k; }
  bool AtP(const char* p) const { return Cur().kind == T::kPunct && Cur().text == p; }
  bool AtWord(const char* w) const { return Cur().kind == T::kIdent && Cur().text == w; }
  const Tok& Take() {
    const Tok& t = Cur();
    if (i_ < toks_.size() - 1) ++i_;
    return t;
  }
  bool Fail(const Loc& loc, std::string msg) {
    diags_.Error(loc, std::move(msg));
    return false;
  }
  std::string Found() const {
    const Tok& t = Cur();
    if (t.kind == T::kEnd) return "the end of the file";
    if (t.kind == T::kPunct) return "'" + std::string(t.text) + "'";
    if (t.kind == T::kString) return "the string \"" + std::string(t.text) + "\"";
    return std::string(Describe(t)) + " '" + std::string(t.text) + "'";
  }
  // Enters one nesting level; false (with an error at the current token) past kMaxNesting.
  // Every successful Nest() is paired with --depth_ by the caller's NestGuard.
  bool Nest(const char* what) {
    if (depth_ >= kMaxNesting)
      return Fail(Cur().loc, std::string(what) + " nest deeper than " +
                                 std::to_string(kMaxNesting) + " levels: simplify the pattern");
    ++depth_;
    return true;
  }
  struct NestGuard {
    int& depth;
    ~NestGuard() { --depth; }
  };

  bool Expect(const char* p, const char* context) {
    if (AtP(p)) {
      Take();
      return true;
    }
    return Fail(Cur().loc, std::string("expected '") + p + "' " + context + ", found " + Found());
  }
  bool Ident(std::string& out, const char* what) {
    if (!At(T::kIdent)) return Fail(Cur().loc, std::string("expected ") + what + ", found " + Found());
    out = Take().text;
    return true;
  }
  // Skips to just after the next ';' (or before a keyword starting a line, or a closing brace).
  void SyncItem() {
    while (!At(T::kEnd)) {
      if (AtP(";")) {
        Take();
        return;
      }
      if (AtP("}") && (Peek().kind == T::kEnd || IsTopKeyword(Peek()) || Peek().line_start))
        return;
      if (Cur().line_start && (IsRuleKeyword(Cur()) || IsTopKeyword(Cur())) && i_ > 0) return;
      Take();
    }
  }
  void SyncTop() {
    while (!At(T::kEnd)) {
      if (Cur().line_start && IsTopKeyword(Cur())) return;
      Take();
    }
  }

  // --- top level
  bool TopItem(FileAst& ast) {
    const Tok& t = Cur();
    if (t.kind != T::kIdent) {
      return Fail(t.loc, "expected a declaration (rule, phase, type, words, define or import), found " +
                             Found());
    }
    if (t.text == "import") {
      Take();
      if (!At(T::kString)) return Fail(Cur().loc, "expected a quoted file name after 'import'");
      ast.imports.emplace_back(Cur().text, Cur().loc);
      Take();
      return Expect(";", "after the import");
    }
    if (t.text == "type") return TypeItem(ast);
    if (t.text == "words") return WordsItem(ast);
    if (t.text == "define") {
      Define d;
      d.loc = Take().loc;
      if (!Ident(d.name, "a name for the sub-pattern")) return false;
      if (!Expect("=", "after the sub-pattern name")) return false;
      if (!Pattern(d.pattern)) return false;
      if (!Expect(";", "at the end of the define")) return false;
      ast.defines.push_back(std::move(d));
      return true;
    }
    if (t.text == "phase") return PhaseItem(ast);
    if (t.text == "rule") return RuleItem(ast);
    return Fail(t.loc, "unknown declaration '" + std::string(t.text) +
                           "': a rule file holds rule, phase, type, words, define and import");
  }

  bool TypeItem(FileAst& ast) {
    Loc loc = Take().loc;
    std::vector<std::pair<std::string, Loc>> names;
    do {
      std::string n;
      Loc l = Cur().loc;
      if (!Ident(n, "a type name")) return false;
      names.emplace_back(n, l);
    } while (AtP(",") && (Take(), true));
    if (!Expect(":", "between the type name and its layer (entity, timex, event, relation, other)"))
      return false;
    std::string layer;
    Loc ll = Cur().loc;
    if (!Ident(layer, "a layer")) return false;
    if (layer != "entity" && layer != "timex" && layer != "event" && layer != "relation" &&
        layer != "other") {
      return Fail(ll, "unknown layer '" + layer +
                          "': use entity, timex, event, relation or other");
    }
    std::vector<std::string> feats;
    if (AtP("(")) {
      Take();
      while (!AtP(")")) {
        std::string f;
        if (!Ident(f, "a feature name")) return false;
        feats.push_back(f);
        if (AtP(",")) Take();
        else if (!AtP(")")) return Fail(Cur().loc, "expected ',' or ')' in the feature list, found " + Found());
      }
      Take();
    }
    if (!Expect(";", "at the end of the type declaration")) return false;
    for (auto& [n, l] : names) {
      TypeDecl d;
      d.loc = l;
      d.name = n;
      d.layer = layer;
      d.features = feats;
      ast.types.push_back(std::move(d));
    }
    (void)loc;
    return true;
  }

  bool Value(std::string& out, bool* numeric = nullptr) {
    if (At(T::kString) || At(T::kIdent) || At(T::kNumber)) {
      if (numeric) *numeric = At(T::kNumber);
      out = Take().text;
      return true;
    }
    return Fail(Cur().loc, "expected a value (a word, a \"string\" or a number), found " + Found());
  }

  bool WordsItem(FileAst& ast) {
    WordsDecl w;
    w.loc = Take().loc;
    if (!Ident(w.name, "a name for the word list")) return false;
    if (!Expect("=", "after the word list name")) return false;
    if (!Expect("{", "to open the word list")) return false;
    while (!AtP("}")) {
      std::string v;
      if (!Value(v)) return false;
      w.words.push_back(std::move(v));
      if (AtP(",")) Take();
      else if (!AtP("}")) return Fail(Cur().loc, "expected ',' or '}' in the word list, found " + Found());
    }
    Take();
    if (!Expect(";", "after the word list")) return false;
    ast.words.push_back(std::move(w));
    return true;
  }

  bool NameList(std::vector<std::pair<std::string, Loc>>& out) {
    do {
      std::string n;
      Loc l = Cur().loc;
      if (!Ident(n, "a type or layer name")) return false;
      out.emplace_back(n, l);
    } while (AtP(",") && (Take(), true));
    return true;
  }

  bool PhaseItem(FileAst& ast) {
    PhaseDecl p;
    p.loc = Take().loc;
    if (!Ident(p.name, "a phase name")) return false;
    if (!Expect("{", "to open the phase")) return false;
    bool any_error = false;
    while (!AtP("}") && !At(T::kEnd)) {
      bool ok = true;
      std::string key;
      Loc kl = Cur().loc;
      if (!Ident(key, "input, output or policy")) {
        ok = false;
      } else if (key == "input") {
        ok = NameList(p.inputs) && Expect(";", "after the input list");
      } else if (key == "output") {
        ok = NameList(p.outputs) && Expect(";", "after the output list");
      } else if (key == "policy") {
        std::string v;
        Loc vl = Cur().loc;
        ok = Ident(v, "a policy");
        if (ok) {
          if (v == "all") p.policy = Policy::kAll;
          else if (v == "longest") p.policy = Policy::kLongest;
          else if (v == "first") p.policy = Policy::kFirst;
          else if (v == "priority") p.policy = Policy::kPriority;
          else ok = Fail(vl, "unknown policy '" + v + "': use all, longest, first or priority");
        }
        ok = ok && Expect(";", "after the policy");
      } else {
        ok = Fail(kl, "unknown phase setting '" + key + "': a phase has input, output and policy");
      }
      if (!ok) {
        any_error = true;
        SyncItem();
      }
    }
    if (!Expect("}", "to close the phase")) return false;
    if (!any_error) ast.phases.push_back(std::move(p));
    return !any_error || true;
  }

  bool RuleItem(FileAst& ast) {
    Rule r;
    r.loc = Take().loc;
    if (!Ident(r.name, "a rule name")) return false;
    if (!Expect("{", "to open the rule body")) return false;
    bool any_error = false;
    while (!AtP("}") && !At(T::kEnd)) {
      if (Cur().line_start && IsTopKeyword(Cur()) && Cur().text != "phase") {
        Fail(Cur().loc, "rule '" + r.name + "' is not closed: add '}' before this line");
        return false;
      }
      if (!RuleBodyItem(r)) {
        any_error = true;
        SyncItem();
      }
    }
    if (!Expect("}", "to close the rule")) return false;
    if (!r.has_pattern && !any_error) {
      Fail(r.loc, "rule '" + r.name + "' has no 'match' pattern");
      any_error = true;
    }
    if (!any_error) ast.rules.push_back(std::move(r));
    return true;
  }

  bool RuleBodyItem(Rule& r) {
    std::string key;
    Loc kl = Cur().loc;
    if (!Ident(key, "phase, priority, match, emit, example or counter")) return false;
    if (key == "phase") {
      r.phase_loc = Cur().loc;
      return Ident(r.phase, "a phase name") && Expect(";", "after the phase name");
    }
    if (key == "priority") {
      if (!At(T::kNumber)) return Fail(Cur().loc, "expected a whole number after 'priority', found " + Found());
      r.priority = std::atoi(std::string(Take().text).c_str());
      return Expect(";", "after the priority");
    }
    if (key == "match") {
      if (r.has_pattern) return Fail(kl, "rule '" + r.name + "' has a second 'match': write alternatives with '|'");
      r.has_pattern = true;
      return Pattern(r.pattern) && Expect(";", "at the end of the pattern");
    }
    if (key == "emit") {
      Emit e;
      e.loc = Cur().loc;
      if (!Ident(e.type, "the type to emit")) return false;
      if (AtP("(")) {
        Take();
        while (!AtP(")")) {
          std::string role, cap;
          Loc l = Cur().loc;
          if (!Ident(role, "an argument role")) return false;
          if (!Expect(":", "between the argument role and its capture")) return false;
          Loc cl = Cur().loc;
          if (!Ident(cap, "a capture name")) return false;
          // `role: cap?`: an optional argument, left out when the capture takes no part.
          bool optional = false;
          if (AtP("?")) {
            Take();
            optional = true;
          }
          e.args.emplace_back(role, cap);
          e.arg_locs.push_back(cl);
          e.arg_optional.push_back(optional);
          (void)l;
          if (AtP(",")) Take();
          else if (!AtP(")")) return Fail(Cur().loc, "expected ',' or ')' in the argument list, found " + Found());
        }
        Take();
      }
      if (AtWord("at")) {
        Take();
        e.span_loc = Cur().loc;
        if (!Ident(e.span_capture, "the capture giving the span")) return false;
      }
      if (AtP("{")) {
        Take();
        while (!AtP("}")) {
          std::string name;
          if (!Ident(name, "a feature name")) return false;
          if (!Expect("=", "after the feature name")) return false;
          Expr x;
          if (!ExprP(x)) return false;
          e.features.emplace_back(name, std::move(x));
          if (AtP(",")) Take();
          else if (!AtP("}")) return Fail(Cur().loc, "expected ',' or '}' in the feature list, found " + Found());
        }
        Take();
      }
      r.emits.push_back(std::move(e));
      return Expect(";", "at the end of the emit");
    }
    if (key == "example" || key == "counter") {
      Example ex;
      ex.loc = kl;
      ex.positive = key == "example";
      if (!At(T::kString)) return Fail(Cur().loc, "expected the example sentence as a \"string\", found " + Found());
      ex.text = Take().text;
      if (AtP("=>")) {
        if (!ex.positive) return Fail(Cur().loc, "a counter-example cannot have expected outputs");
        Take();
        do {
          rules::Expect x;
          if (!ExpectP(x)) return false;
          ex.expects.push_back(std::move(x));
        } while (AtP(",") && (Take(), true));
      }
      r.examples.push_back(std::move(ex));
      return Expect(";", "at the end of the example");
    }
    return Fail(kl, "unknown rule setting '" + key +
                        "': a rule has phase, priority, match, emit, example and counter");
  }

  bool ExpectP(rules::Expect& x) {
    x.loc = Cur().loc;
    if (!Ident(x.type, "the expected output type")) return false;
    if (At(T::kString)) {
      x.has_span = true;
      x.span = Take().text;
    }
    auto pairs = [&](const char* close, std::vector<std::pair<std::string, std::string>>& out) {
      Take();
      while (!AtP(close)) {
        std::string k, v;
        if (!Ident(k, "a name")) return false;
        if (!AtP("=") && !AtP(":")) return Fail(Cur().loc, "expected '=' after '" + k + "', found " + Found());
        Take();
        if (!Value(v)) return false;
        out.emplace_back(k, v);
        if (AtP(",")) Take();
        else if (!AtP(close)) return Fail(Cur().loc, std::string("expected ',' or '") + close + "', found " + Found());
      }
      Take();
      return true;
    };
    if (AtP("(") && !pairs(")", x.args)) return false;
    if (AtP("{") && !pairs("}", x.features)) return false;
    return true;
  }

  bool ExprP(Expr& x) {
    x.loc = Cur().loc;
    if (At(T::kString)) {
      x.kind = Expr::Kind::kString;
      x.str = Take().text;
      return true;
    }
    if (At(T::kNumber)) {
      x.kind = Expr::Kind::kNumber;
      x.is_int = Cur().text.find('.') == std::string::npos;
      x.number = std::atof(std::string(Take().text).c_str());
      return true;
    }
    if (!At(T::kIdent)) return Fail(Cur().loc, "expected a value, text(capture), lemma(capture) or capture.feature, found " + Found());
    std::string w(Take().text);
    if (w == "true" || w == "false") {
      x.kind = Expr::Kind::kBool;
      x.boolean = w == "true";
      return true;
    }
    if (AtP("(")) {
      if (w == "text") x.kind = Expr::Kind::kText;
      else if (w == "lower") x.kind = Expr::Kind::kLower;
      else if (w == "lemma") x.kind = Expr::Kind::kLemma;
      else return Fail(x.loc, "unknown function '" + w + "': use text(), lower() or lemma()");
      Take();
      if (!Ident(x.str, "a capture name")) return false;
      return Expect(")", "after the capture name");
    }
    if (AtP(".")) {
      Take();
      x.kind = Expr::Kind::kFeature;
      x.str = w;
      return Ident(x.feature, "a feature name");
    }
    return Fail(x.loc, "'" + w + "' is not a value: quote text (\"" + w +
                           "\"), or write capture.feature or text(capture)");
  }

  // --- patterns
  bool Pattern(Pat& out) { return Alt(out); }

  bool Alt(Pat& out) {
    Pat first;
    if (!Seq(first)) return false;
    if (!AtP("|")) {
      out = std::move(first);
      return true;
    }
    out = Pat();
    out.kind = Pat::Kind::kAlt;
    out.loc = first.loc;
    out.kids.push_back(std::move(first));
    while (AtP("|")) {
      Take();
      Pat next;
      if (!Seq(next)) return false;
      out.kids.push_back(std::move(next));
    }
    return true;
  }

  bool SeqEnd() const {
    return At(T::kEnd) || AtP(";") || AtP("|") || AtP(")") || AtP("}");
  }

  bool Seq(Pat& out) {
    out = Pat();
    out.kind = Pat::Kind::kSeq;
    out.loc = Cur().loc;
    if (SeqEnd()) return Fail(Cur().loc, "expected a pattern element ([...], @Type, \"word\", (...)), found " + Found());
    while (!SeqEnd()) {
      Pat p;
      if (!Postfix(p)) return false;
      out.kids.push_back(std::move(p));
    }
    if (out.kids.size() == 1) {
      Pat one = std::move(out.kids[0]);
      out = std::move(one);
    }
    return true;
  }

  bool Postfix(Pat& out) {
    uint32_t start = Cur().loc.offset;
    // name:element is a capture (a name followed by ':').
    if (At(T::kIdent) && Peek().kind == T::kPunct && Peek().text == ":") {
      Pat cap;
      cap.kind = Pat::Kind::kCapture;
      cap.loc = Cur().loc;
      cap.name = Take().text;
      Take();
      if (!Nest("captures")) return false;
      NestGuard guard{depth_};
      Pat inner;
      if (!Postfix(inner)) return false;
      cap.kids.push_back(std::move(inner));
      cap.text = std::string(src_.substr(start, toks_[i_ - 1].end - start));
      out = std::move(cap);
      return true;
    }
    Pat atom;
    if (!Atom(atom)) return false;
    int reps = 0;
    while (AtP("?") || AtP("*") || AtP("+") || (AtP("{") && Peek().kind == T::kNumber)) {
      if (depth_ + ++reps > kMaxNesting)
        return Fail(Cur().loc, "repetitions nest deeper than " + std::to_string(kMaxNesting) +
                                   " levels: simplify the pattern");
      Pat rep;
      rep.kind = Pat::Kind::kRepeat;
      rep.loc = atom.loc;  // errors about a repetition point at its element
      const Tok& q = Take();
      if (q.text == "?") {
        rep.min = 0, rep.max = 1;
      } else if (q.text == "*") {
        rep.min = 0, rep.max = -1;
      } else if (q.text == "+") {
        rep.min = 1, rep.max = -1;
      } else {
        rep.min = std::atoi(std::string(Take().text).c_str());
        rep.max = rep.min;
        if (AtP(",")) {
          Take();
          if (At(T::kNumber)) rep.max = std::atoi(std::string(Take().text).c_str());
          else rep.max = -1;
        }
        if (!Expect("}", "to close the repetition {n,m}")) return false;
        if (rep.max != -1 && rep.max < rep.min)
          return Fail(rep.loc, "in {n,m} the maximum must not be smaller than the minimum");
      }
      // A directly following '?' makes the quantifier lazy.
      if (AtP("?") && Cur().loc.offset == toks_[i_ - 1].end) {
        Take();
        rep.lazy = true;
      }
      rep.kids.push_back(std::move(atom));
      atom = std::move(rep);
    }
    atom.text = std::string(src_.substr(start, toks_[i_ - 1].end - start));
    out = std::move(atom);
    return true;
  }

  bool Atom(Pat& out) {
    out = Pat();
    out.loc = Cur().loc;
    if (AtP("[")) {
      Take();
      out.kind = Pat::Kind::kToken;
      if (AtP("]")) {
        Take();
        return true;  // any token
      }
      if (!Cond0(out.cond)) return false;
      return Expect("]", "to close the token constraint");
    }
    if (AtP("@")) {
      Take();
      out.kind = Pat::Kind::kAnn;
      if (!Ident(out.name, "an annotation type or layer after '@'")) return false;
      if (AtP("[") && Cur().loc.offset == toks_[i_ - 1].end) {
        Take();
        if (!AtP("]") && !Cond0(out.cond)) return false;
        return Expect("]", "to close the annotation constraint");
      }
      return true;
    }
    if (AtP("(")) {
      if (!Nest("groups")) return false;
      NestGuard guard{depth_};
      Take();
      if (!Alt(out)) return false;
      return Expect(")", "to close the group");
    }
    if (AtP("(?=") || AtP("(?!") || AtP("(?<=") || AtP("(?<!")) {
      if (!Nest("lookarounds")) return false;
      NestGuard guard{depth_};
      std::string k(Take().text);
      Pat body;
      if (!Alt(body)) return false;
      if (!Expect(")", "to close the lookaround")) return false;
      out.kind = Pat::Kind::kLook;
      out.behind = k[2] == '<';
      out.negated = k.back() == '!';
      out.kids.push_back(std::move(body));
      return true;
    }
    if (AtP("^")) {
      Take();
      out.kind = Pat::Kind::kSentStart;
      return true;
    }
    if (AtP("$")) {
      Take();
      out.kind = Pat::Kind::kSentEnd;
      return true;
    }
    if (At(T::kString)) {
      // "word" is [text == "word"]; "two words" is a sequence of such tokens.
      std::string s(Take().text);
      std::vector<std::string> words;
      size_t b = 0;
      while (b < s.size()) {
        size_t e = s.find(' ', b);
        if (e == std::string::npos) e = s.size();
        if (e > b) words.push_back(s.substr(b, e - b));
        b = e + 1;
      }
      if (words.empty()) return Fail(out.loc, "an empty string matches nothing: write at least one word");
      out.kind = Pat::Kind::kSeq;
      for (auto& w : words) {
        Pat t;
        t.kind = Pat::Kind::kToken;
        t.loc = out.loc;
        t.cond.kind = Cond::Kind::kCmp;
        t.cond.loc = out.loc;
        t.cond.attr = "text";
        t.cond.values.push_back(w);
        t.text = "\"" + w + "\"";
        out.kids.push_back(std::move(t));
      }
      if (out.kids.size() == 1) {
        Pat one = std::move(out.kids[0]);
        out = std::move(one);
      }
      return true;
    }
    if (At(T::kIdent)) {
      out.kind = Pat::Kind::kRef;
      out.name = Take().text;
      return true;
    }
    return Fail(Cur().loc, "expected a pattern element ([...], @Type, \"word\", (...)), found " + Found());
  }

  // --- constraints
  bool Cond0(Cond& out) { return CondOr(out); }

  bool CondOr(Cond& out) {
    Cond first;
    if (!CondAnd(first)) return false;
    if (!(AtP("|") || AtWord("or"))) {
      out = std::move(first);
      return true;
    }
    out = Cond();
    out.kind = Cond::Kind::kOr;
    out.loc = first.loc;
    out.kids.push_back(std::move(first));
    while (AtP("|") || AtWord("or")) {
      Take();
      Cond c;
      if (!CondAnd(c)) return false;
      out.kids.push_back(std::move(c));
    }
    return true;
  }

  bool CondAnd(Cond& out) {
    Cond first;
    if (!CondUnary(first)) return false;
    if (!(AtP("&") || AtWord("and"))) {
      out = std::move(first);
      return true;
    }
    out = Cond();
    out.kind = Cond::Kind::kAnd;
    out.loc = first.loc;
    out.kids.push_back(std::move(first));
    while (AtP("&") || AtWord("and")) {
      Take();
      Cond c;
      if (!CondUnary(c)) return false;
      out.kids.push_back(std::move(c));
    }
    return true;
  }

  bool CondUnary(Cond& out) {
    out = Cond();
    out.loc = Cur().loc;
    if (AtP("!") || (AtWord("not") && Peek().kind != T::kPunct)) {
      if (!Nest("negations")) return false;
      NestGuard guard{depth_};
      Take();
      out.kind = Cond::Kind::kNot;
      Cond c;
      if (!CondUnary(c)) return false;
      out.kids.push_back(std::move(c));
      return true;
    }
    if (AtP("(")) {
      if (!Nest("parenthesised constraints")) return false;
      NestGuard guard{depth_};
      Take();
      if (!CondOr(out)) return false;
      return Expect(")", "to close the parenthesised constraint");
    }
    if (At(T::kString)) {  // "Iran" alone means text == "Iran"
      out.kind = Cond::Kind::kCmp;
      out.attr = "text";
      out.values.emplace_back(Take().text);
      return true;
    }
    out.kind = Cond::Kind::kCmp;
    if (!Ident(out.attr, "an attribute (text, lower, lemma, shape, case, kind, or a feature)"))
      return false;
    if (AtWord("in") || (AtWord("not") && Peek().kind == T::kIdent && Peek().text == "in")) {
      out.op = AtWord("not") ? Cond::Op::kNotIn : Cond::Op::kIn;
      if (out.op == Cond::Op::kNotIn) Take();
      Take();
      if (AtP("{")) {
        Take();
        while (!AtP("}")) {
          std::string v;
          if (!Value(v)) return false;
          out.values.push_back(v);
          if (AtP(",")) Take();
          else if (!AtP("}")) return Fail(Cur().loc, "expected ',' or '}' in the set, found " + Found());
        }
        Take();
        if (out.values.empty()) return Fail(out.loc, "an empty set {} matches nothing");
        return true;
      }
      return Ident(out.list, "a set {a, b, ...} or the name of a word list");
    }
    if (AtP("=~")) {
      Take();
      out.op = Cond::Op::kMatch;
      if (!At(T::kRegex)) return Fail(Cur().loc, "expected a regular expression /.../ after '=~', found " + Found());
      const Tok& r = Take();
      out.regex = r.text;
      for (char f : r.flags) {
        if (f == 'p') out.re_partial = true;
        else if (f == 'i') out.re_icase = true;
        else return Fail(r.loc, std::string("unknown regex flag '") + f + "': use i (ignore case) or p (partial match)");
      }
      return true;
    }
    static const std::pair<const char*, Cond::Op> kOps[] = {
        {"==", Cond::Op::kEq}, {"=", Cond::Op::kEq}, {"!=", Cond::Op::kNe}, {"<", Cond::Op::kLt},
        {"<=", Cond::Op::kLe}, {">", Cond::Op::kGt}, {">=", Cond::Op::kGe}};
    for (auto& [p, op] : kOps) {
      if (AtP(p)) {
        Take();
        out.op = op;
        std::string v;
        if (!Value(v, &out.numeric)) return false;
        out.values.push_back(v);
        return true;
      }
    }
    return Fail(Cur().loc, "expected a comparison after '" + out.attr +
                               "' (==, !=, <, <=, >, >=, in, =~), found " + Found());
  }

  uint32_t file_;
  std::vector<Tok> toks_;
  std::string_view src_;
  Diags& diags_;
  size_t i_ = 0;
  int depth_ = 0;
};

}  // namespace

FileAst Parse(uint32_t file_index, Diags& diags) {
  const std::string& src = diags.sources()[file_index].content;
  std::deque<std::string> store;  // outlives the parser, whose tokens view it
  Lexer lexer(file_index, src, diags, &store);
  std::vector<Tok> toks = lexer.Run();
  Parser parser(file_index, std::move(toks), src, diags);
  return parser.Run();
}

}  // namespace quarry::internal::rules
