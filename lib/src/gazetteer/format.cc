// gazetteer/format.cc: the gazetteer file parser and writer.
#include "gazetteer/format.h"

#include <algorithm>
#include <unordered_map>

#include "common/strings.h"
#include "common/utf8.h"
#include "gazetteer/normalize.h"

namespace quarry::internal {
namespace {

// LOOKUP entries are word lists, not entities: their matches become "Lookup" annotations of
// layer "other" with feature `list` (the subtype), for rules ("given_name", "title", ...).
constexpr std::string_view kTypes[] = {"PERSON", "ORG",   "GPE",     "LOC",  "FAC",
                                       "NORP",   "EVENT", "PRODUCT", "MISC", "LOOKUP"};

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r'; }

bool IsIdChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-' || c == '.' || c == ':' || c == '/';
}

bool IsSubtypeChar(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; }

// A date in a role: YYYY, YYYY-MM or YYYY-MM-DD, with plausible month and day.
bool ValidDate(std::string_view d) {
  auto digits = [&](size_t at, size_t n) {
    if (at + n > d.size()) return false;
    for (size_t i = at; i < at + n; ++i) {
      if (d[i] < '0' || d[i] > '9') return false;
    }
    return true;
  };
  if (d.size() != 4 && d.size() != 7 && d.size() != 10) return false;
  if (!digits(0, 4)) return false;
  if (d.size() >= 7) {
    if (d[4] != '-' || !digits(5, 2)) return false;
    int m = (d[5] - '0') * 10 + (d[6] - '0');
    if (m < 1 || m > 12) return false;
  }
  if (d.size() == 10) {
    if (d[7] != '-' || !digits(8, 2)) return false;
    int day = (d[8] - '0') * 10 + (d[9] - '0');
    if (day < 1 || day > 31) return false;
  }
  return true;
}

struct LineParser {
  const SourceFile& src;
  std::vector<Diagnostic>& diags;
  uint32_t line_no = 0;
  std::string_view line;
  size_t line_start = 0;  // byte offset of the line in the file

  void Error(size_t col_byte, std::string msg) {
    Diagnostic d;
    d.file = src.name;
    d.line = line_no;
    // Columns count code points, as editors do.
    uint32_t col = 1;
    for (size_t i = 0; i < col_byte && i < line.size();) {
      size_t n = ValidSequenceLength(line, i);
      i += n ? n : 1;
      ++col;
    }
    d.column = col;
    d.byte_offset = line_start + col_byte;
    d.message = std::move(msg);
    d.snippet = std::string(line);
    diags.push_back(std::move(d));
  }
  size_t Col(std::string_view part) const { return static_cast<size_t>(part.data() - line.data()); }
};

void AddAliases(LineParser& p, std::string_view value, bool exact, GazEntry& e, uint32_t file,
                int32_t priority) {
  size_t pos = 0;
  while (pos <= value.size()) {
    size_t bar = value.find('|', pos);
    if (bar == std::string_view::npos) bar = value.size();
    std::string_view raw = value.substr(pos, bar - pos);
    std::string_view a = Trim(raw);
    if (a.empty()) {
      p.Error(p.Col(raw), "empty alias (aliases are separated by '|')");
    } else {
      bool has_word = false;
      for (std::string_view t : SplitName(a)) {
        std::string key;
        AppendMatchKeyOfText(t, key);
        if (!key.empty()) has_word = true;
      }
      if (!has_word) {
        p.Error(p.Col(a), "alias '" + std::string(a) + "' has no word to match");
      } else {
        // The entry's own name listed under `exact:` makes the name itself case-sensitive.
        if (exact) {
          bool head = false;
          for (GazAlias& x : e.aliases)
            if (x.text == a) {
              x.exact = true;
              head = true;
            }
          if (head) {
            pos = bar + 1;
            continue;
          }
        }
        GazAlias al;
        al.text = std::string(a);
        al.exact = exact || LooksLikeAcronym(a);
        al.file = file;
        al.line = p.line_no;
        al.priority = priority;
        e.aliases.push_back(std::move(al));
      }
    }
    pos = bar + 1;
  }
}

}  // namespace

bool IsValidCameoCode(std::string_view code) {
  if (code.size() < 3 || code.size() > 15) return false;
  for (char c : code) {
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) return false;
  }
  return true;
}

bool IsMatchableName(std::string_view name) {
  if (name.find('|') != std::string_view::npos || Trim(name).empty()) return false;
  for (std::string_view t : SplitName(name)) {
    std::string key;
    AppendMatchKeyOfText(t, key);
    if (!key.empty()) return true;
  }
  return false;
}

bool IsKnownEntityType(std::string_view type) {
  return std::find(std::begin(kTypes), std::end(kTypes), type) != std::end(kTypes);
}

void ParseGazetteerSource(const SourceFile& src, int32_t default_priority, GazetteerData& data,
                          std::vector<Diagnostic>& diags) {
  const uint32_t file = static_cast<uint32_t>(data.files.size());
  data.files.push_back(src.name);
  LineParser p{src, diags, 0, {}, 0};
  int32_t priority = default_priority;
  std::string default_source;
  GazEntry* cur = nullptr;
  GazEntry sink_entry;                                   // id stays empty
  std::unordered_map<std::string, uint32_t> first_line;  // id -> head line in this file
  std::string_view text = src.content;
  size_t pos = 0;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") pos = 3;
  auto finish = [&] {
    if (cur && !default_source.empty() && cur->Attr("source").empty())
      cur->attrs.emplace_back("source", default_source);
    cur = nullptr;
  };
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    p.line = text.substr(pos, nl - pos);
    if (!p.line.empty() && p.line.back() == '\r') p.line.remove_suffix(1);
    p.line_start = pos;
    ++p.line_no;
    pos = nl + 1;
    std::string_view body = Trim(p.line);
    if (body.empty() || body[0] == '#') continue;
    if (body[0] == '@') {
      finish();
      size_t sp = body.find_first_of(" \t");
      std::string_view name = body.substr(0, sp);
      std::string_view value = sp == std::string_view::npos ? "" : Trim(body.substr(sp));
      if (name == "@priority") {
        int32_t v = 0;
        bool ok = !value.empty() && value.size() < 7;
        for (size_t k = 0; ok && k < value.size(); ++k) {
          char c = value[k];
          if (c < '0' || c > '9') ok = false;
          else v = v * 10 + (c - '0');  // at most six digits: no overflow
        }
        if (!ok) {
          p.Error(value.empty() ? p.Col(name) + name.size() : p.Col(value),
                  "@priority needs a whole number from 0 to 999999");
        } else {
          priority = v;
        }
      } else if (name == "@source") {
        if (value.empty()) p.Error(p.Col(name) + name.size(), "@source needs a text");
        default_source = std::string(value);
      } else {
        p.Error(p.Col(name),
                "unknown directive '" + std::string(name) + "' (known: @priority, @source)");
      }
      continue;
    }
    bool indented = IsSpace(p.line[0]);
    if (!indented) {
      finish();
      // Head line: ID TYPE[:SUBTYPE] Name.
      size_t i = 0;
      while (i < body.size() && !IsSpace(body[i])) ++i;
      std::string_view id = body.substr(0, i);
      bool bad_id = false;
      for (char c : id) {
        if (!IsIdChar(c)) bad_id = true;
      }
      if (bad_id) {
        p.Error(p.Col(id), "entity id '" + std::string(id) +
                               "' may only contain letters, digits and _ - . : /");
      }
      while (i < body.size() && IsSpace(body[i])) ++i;
      size_t t0 = i;
      while (i < body.size() && !IsSpace(body[i])) ++i;
      std::string_view type_field = body.substr(t0, i - t0);
      std::string_view name = Trim(body.substr(i));
      if (type_field.empty()) {
        p.Error(p.Col(id) + id.size(),
                "expected a type (PERSON, ORG, GPE, LOC, FAC, NORP, ...) after the id");
        continue;
      }
      std::string_view type = type_field, subtype;
      if (size_t c = type_field.find(':'); c != std::string_view::npos) {
        type = type_field.substr(0, c);
        subtype = type_field.substr(c + 1);
      }
      bool ok = !bad_id;
      if (!IsKnownEntityType(type)) {
        p.Error(p.Col(type),
                "unknown entity type '" + std::string(type) +
                    "' (known: PERSON, ORG, GPE, LOC, FAC, NORP, EVENT, PRODUCT, MISC, LOOKUP)");
        ok = false;
      }
      if (type_field.find(':') != std::string_view::npos) {
        bool sub_ok = !subtype.empty();
        for (char c : subtype) {
          if (!IsSubtypeChar(c)) sub_ok = false;
        }
        if (!sub_ok) {
          p.Error(p.Col(type_field) + type.size() + 1,
                  "subtype must be lower-case letters, digits and '_' (e.g. militant_group)");
          ok = false;
        }
      }
      if (name.empty()) {
        p.Error(p.Col(type_field) + type_field.size(),
                "expected the canonical name after the type");
        ok = false;
      }
      std::string sid(id);
      if (auto it = first_line.find(sid); it != first_line.end()) {
        p.Error(p.Col(id), "duplicate id '" + sid + "' (first defined at line " +
                               std::to_string(it->second) + ")");
        ok = false;
      }
      if (!ok) {
        // Continuation lines of a broken head go to a sink: one error per entry is enough.
        first_line.emplace(sid, p.line_no);
        sink_entry = GazEntry();
        cur = &sink_entry;
        continue;
      }
      first_line.emplace(sid, p.line_no);
      GazEntry e;
      e.id = sid;
      e.type = std::string(type);
      e.subtype = std::string(subtype);
      e.name = std::string(name);
      e.file = file;
      e.line = p.line_no;
      e.priority = priority;
      data.entries.push_back(std::move(e));
      cur = &data.entries.back();
      AddAliases(p, name, false, *cur, file, priority);
      continue;
    }
    // Continuation line: key: value.
    if (cur == nullptr) {
      p.Error(p.Col(body),
              "indented line outside an entry (an entry starts with an unindented 'ID TYPE Name' "
              "line)");
      continue;
    }
    bool sink = cur->id.empty();
    size_t colon = body.find(':');
    if (colon == std::string_view::npos) {
      if (!sink)
        p.Error(p.Col(body),
                "expected 'key: value' (keys: alias, exact, cameo, iso, country, role, source, "
                "wikidata, note, example, counter, x-*)");
      continue;
    }
    std::string_view key = Trim(body.substr(0, colon));
    std::string_view value = Trim(body.substr(colon + 1));
    if (sink) continue;
    if (value.empty()) {
      p.Error(p.Col(body) + colon + 1, "empty value for '" + std::string(key) + "'");
      continue;
    }
    if (key == "alias" || key == "exact") {
      AddAliases(p, value, key == "exact", *cur, file, priority);
    } else if (key == "example" || key == "counter") {
      MarkedExample m = StripMarks(value);
      if (!m.error.empty()) {
        p.Error(p.Col(value), m.error);
        continue;
      }
      if (key == "example" && m.marks.empty()) {
        p.Error(p.Col(value), "an example marks the names to find: 'example: ... [[Name]] ...'");
        continue;
      }
      if (key == "counter" && !m.marks.empty()) {
        p.Error(p.Col(value), "a counter-example has no [[marks]]: its text must not mention the entry");
        continue;
      }
      cur->examples.push_back({file, p.line_no, std::string(value), key == "example"});
    } else if (key == "role") {
      GazRole r;
      size_t semi = value.rfind(';');
      std::string_view title = Trim(value.substr(0, semi));
      r.title = std::string(title);
      if (semi != std::string_view::npos) {
        std::string_view range = Trim(value.substr(semi + 1));
        size_t dots = range.find("..");
        if (dots == std::string_view::npos) {
          p.Error(p.Col(range), "a role's dates are FROM..TO (ISO dates, either end may be empty)");
          continue;
        }
        std::string_view from = Trim(range.substr(0, dots)), to = Trim(range.substr(dots + 2));
        if (!from.empty() && !ValidDate(from)) {
          p.Error(p.Col(from),
                  "bad date '" + std::string(from) + "' (use YYYY, YYYY-MM or YYYY-MM-DD)");
          continue;
        }
        if (!to.empty() && !ValidDate(to)) {
          p.Error(p.Col(to),
                  "bad date '" + std::string(to) + "' (use YYYY, YYYY-MM or YYYY-MM-DD)");
          continue;
        }
        if (!from.empty() && !to.empty() && to < from.substr(0, to.size())) {
          p.Error(p.Col(to), "role ends before it starts");
          continue;
        }
        r.from = std::string(from);
        r.to = std::string(to);
      }
      if (r.title.empty()) {
        p.Error(p.Col(value), "a role needs a title before ';'");
        continue;
      }
      cur->roles.push_back(std::move(r));
    } else if (key == "cameo" || key == "iso" || key == "country" || key == "source" ||
               key == "wikidata" || key == "note" || key.substr(0, 2) == "x-") {
      if (key == "cameo" && !IsValidCameoCode(value)) {
        p.Error(p.Col(value),
                "a CAMEO actor code is 3 to 15 upper-case letters or digits (e.g. AFGREB)");
        continue;
      }
      if (!cur->Attr(key).empty()) {
        p.Error(p.Col(key), "'" + std::string(key) + "' given twice for '" + cur->id + "'");
        continue;
      }
      cur->attrs.emplace_back(std::string(key), std::string(value));
    } else {
      p.Error(p.Col(key),
              "unknown key '" + std::string(key) +
                  "' (keys: alias, exact, cameo, iso, country, role, source, wikidata, note, "
                  "example, counter, x-*)");
    }
  }
  finish();
}

Status ParseGazetteers(const std::vector<SourceFile>& sources, GazetteerData& data) {
  std::vector<Diagnostic> diags;
  GazetteerData raw;
  for (const SourceFile& s : sources) {
    // Files read from disk were checked already (LoadSources); text handed in by a caller may
    // not have been, and names become output.
    if (size_t bad = FindInvalidUtf8(s.content); bad != std::string::npos) {
      Status err = InvalidUtf8Error(s.name, s.content, bad);
      diags.insert(diags.end(), err.diagnostics().begin(), err.diagnostics().end());
      continue;
    }
    // Curated files default to priority 100; importers write "@priority 10" so that curated
    // entries win every clash.
    ParseGazetteerSource(s, 100, raw, diags);
  }
  data.files = raw.files;
  std::unordered_map<std::string, size_t> by_id;
  for (GazEntry& e : raw.entries) {
    auto [it, fresh] = by_id.emplace(e.id, data.entries.size());
    if (fresh) {
      data.entries.push_back(std::move(e));
      continue;
    }
    GazEntry& into = data.entries[it->second];
    if (into.type != e.type) {
      Diagnostic d;
      d.file = raw.files[e.file];
      d.line = e.line;
      d.column = 1;
      d.message = "entity '" + e.id + "' has type " + e.type + " here but " + into.type + " in " +
                  raw.files[into.file] + ":" + std::to_string(into.line);
      diags.push_back(std::move(d));
      continue;
    }
    if (into.subtype.empty()) into.subtype = e.subtype;
    for (GazAlias& a : e.aliases) into.aliases.push_back(std::move(a));
    for (GazExample& x : e.examples) into.examples.push_back(std::move(x));
    for (auto& kv : e.attrs) {
      if (into.Attr(kv.first).empty()) into.attrs.push_back(std::move(kv));
    }
    for (GazRole& r : e.roles) into.roles.push_back(std::move(r));
    // The higher-priority file names the entity.
    if (e.priority > into.priority) {
      into.name = e.name;
      into.priority = e.priority;
      into.file = e.file;
      into.line = e.line;
    }
  }
  if (!diags.empty()) {
    size_t n = diags.size();
    return Status(StatusCode::kParseError,
                  std::to_string(n) + (n == 1 ? " error" : " errors") + " in gazetteer files")
        .WithDiagnostics(std::move(diags));
  }
  return Status();
}

MarkedExample StripMarks(std::string_view text) {
  MarkedExample m;
  std::vector<MarkupPiece> pieces;
  if (m.error = SplitMarkup(text, pieces); !m.error.empty()) return m;
  for (const MarkupPiece& p : pieces) {
    if (!p.mark) {
      if (size_t stray = p.text.find("]]"); stray != std::string_view::npos) {
        m.error = "']]' at character " + std::to_string(p.at + stray) + " closes no '[['";
        return m;
      }
      m.text.append(p.text);
      continue;
    }
    if (p.text.find("[[") != std::string_view::npos) {
      m.error = "marks cannot be nested ('[[' inside '[[...]]')";
      return m;
    }
    if (Trim(p.text).empty() || Trim(p.text).size() != p.text.size()) {
      m.error = "a mark holds a name, without spaces around it: [[Name]]";
      return m;
    }
    auto b = static_cast<uint32_t>(m.text.size());
    m.text.append(p.text);
    m.marks.emplace_back(b, static_cast<uint32_t>(m.text.size()));
  }
  return m;
}

void FormatEntry(const GazEntry& e, std::string& out) {
  out += e.id;
  out += ' ';
  out += e.type;
  if (!e.subtype.empty()) out += ":" + e.subtype;
  out += ' ';
  out += e.name;
  out += '\n';
  std::string ci, ex;
  for (size_t i = 0; i < e.aliases.size(); ++i) {
    const GazAlias& a = e.aliases[i];
    bool auto_exact = LooksLikeAcronym(a.text);
    if (a.text == e.name && !(a.exact && !auto_exact)) continue;
    std::string& into = a.exact && !auto_exact ? ex : ci;
    if (!into.empty()) into += " | ";
    into += a.text;
  }
  if (!ci.empty()) out += "  alias: " + ci + "\n";
  if (!ex.empty()) out += "  exact: " + ex + "\n";
  for (const auto& [k, v] : e.attrs) out += "  " + k + ": " + v + "\n";
  for (const GazRole& r : e.roles) {
    out += "  role: " + r.title;
    if (!r.from.empty() || !r.to.empty()) out += "; " + r.from + ".." + r.to;
    out += '\n';
  }
  out += '\n';
}

}  // namespace quarry::internal
