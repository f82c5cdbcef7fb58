// gazetteer/petrarch.cc: the PETRARCH/TABARI actor dictionary importer.
#include "gazetteer/petrarch.h"

#include <algorithm>
#include <cctype>
#include <unordered_map>

#include "common/source.h"
#include "common/strings.h"
#include "common/utf8.h"
#include "gazetteer/normalize.h"

namespace quarry::internal {
namespace {

bool AllDigits(std::string_view s) {
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return !s.empty();
}

// YYMMDD or YYYYMMDD -> YYYY-MM-DD; "" when malformed. Two-digit years above 30 are 19xx.
std::string PetrarchDate(std::string_view d) {
  if (!AllDigits(d)) return "";
  std::string y;
  if (d.size() == 6) {
    int yy = (d[0] - '0') * 10 + (d[1] - '0');
    y = (yy > 30 ? "19" : "20") + std::string(d.substr(0, 2));
    d.remove_prefix(2);
  } else if (d.size() == 8) {
    y = std::string(d.substr(0, 4));
    d.remove_prefix(4);
  } else {
    return "";
  }
  int m = (d[0] - '0') * 10 + (d[1] - '0'), day = (d[2] - '0') * 10 + (d[3] - '0');
  if (m < 1 || m > 12 || day < 1 || day > 31) return "";
  return y + "-" + std::string(d.substr(0, 2)) + "-" + std::string(d.substr(2, 2));
}

struct Code {
  std::string code, from, to;
  bool dated = false;
};

// Three-letter CAMEO codes that name a sector, not a country ("BBC [MED]").
bool IsSectorCode(std::string_view c) {
  static constexpr std::string_view kSectors[] = {
      "MED", "GOV", "MIL", "REB", "OPP", "COP", "BUS", "CVL", "EDU", "JUD", "LEG", "NGO", "IGO",
      "UAF", "SPY", "CRM", "LAB", "AGR", "REL", "HLH", "ENV", "ELI", "PTY", "REF", "SET", "MOD",
      "RAD", "INS", "NGM", "SEP", "HRI", "DEV", "MNC", "UNO", "PPL", "ATH", "IMG", "CHR", "MUS",
      "JEW", "BUD", "HIN", "SIK", "JAN", "TAO", "CON", "SHN", "DOX", "ITH", "KHM"};
  return std::find(std::begin(kSectors), std::end(kSectors), c) != std::end(kSectors);
}

// Titles PETRARCH writes before some names ("PRESIDENT_VLADIMIR_PUTIN"): in running text the
// title is not part of the name, and a name that keeps it would swallow the title.
std::string_view StripTitle(std::string_view raw) {
  static constexpr std::string_view kTitles[] = {
      "PRESIDENT_", "PRIME_MINISTER_", "KING_", "QUEEN_", "GENERAL_", "GEN._", "SHEIKH_",
      "SHEIK_", "PRINCE_", "EMIR_", "SULTAN_", "CHANCELLOR_", "MINISTER_", "SENATOR_", "GOVERNOR_",
      "COLONEL_", "COL._", "MAJOR_", "CAPTAIN_", "ADMIRAL_", "AYATOLLAH_", "DR._", "MR._",
      "MRS._", "POPE_", "CARDINAL_", "ARCHBISHOP_", "BISHOP_", "PRESIDENT ", "PRIME MINISTER ",
      "KING ", "GENERAL ", "SHEIKH ", "PRINCE "};
  for (std::string_view t : kTitles) {
    if (raw.size() > t.size() + 2 && raw.substr(0, t.size()) == t) return raw.substr(t.size());
  }
  return raw;
}

}  // namespace

std::string PetrarchName(std::string_view raw) {
  while (!raw.empty() && (raw.back() == '_' || raw.back() == ' ')) raw.remove_suffix(1);
  // A leading article is not part of the name in running text ("the United Nations"), and
  // leftmost matching would let it swallow the start of a longer curated name.
  if (raw.size() > 4 && (raw.substr(0, 4) == "THE_" || raw.substr(0, 4) == "The_" ||
                         raw.substr(0, 4) == "THE " || raw.substr(0, 4) == "The "))
    raw.remove_prefix(4);
  std::string words;
  for (char c : raw) {
    if (c == '_') c = ' ';
    if (c == ' ' && (words.empty() || words.back() == ' ')) continue;
    words.push_back(c);
  }
  size_t letters = 0;
  bool one_word = words.find(' ') == std::string::npos && words.find('-') == std::string::npos;
  for (char c : words) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) ++letters;
  }
  // Up to three letters: an acronym ("UN", "EU"), kept and matched exactly. Four-letter words
  // may be either ("NATO", "IRAN", "BREE"): written as a name, and the importer adds the
  // upper-case form, both matched exactly.
  if (one_word && letters <= 3) return words;
  std::string out;
  bool start = true;
  for (size_t i = 0; i < words.size(); ++i) {
    char c = words[i];
    if (c >= 'A' && c <= 'Z') {
      out.push_back(start ? c : static_cast<char>(c - 'A' + 'a'));
      start = false;
    } else if (c >= 'a' && c <= 'z') {
      out.push_back(start ? static_cast<char>(c - 'a' + 'A') : c);
      start = false;
    } else {
      out.push_back(c);
      // Apostrophes and periods continue a word ("O'Brien", "U.N."); other marks start one.
      start = !(c == '\'' || c == '.' || static_cast<unsigned char>(c) >= 0x80);
    }
  }
  return out;
}

Status ImportPetrarch(const SourceFile& src, GazetteerData& out,
                      std::vector<Diagnostic>& warnings) {
  // Names become entries and output: a file that is not UTF-8 (a Latin-1 dictionary, say) is
  // refused whole, with the place of the first bad byte.
  if (size_t bad = FindInvalidUtf8(src.content); bad != std::string::npos)
    return InvalidUtf8Error(src.name, src.content, bad);
  const uint32_t file = static_cast<uint32_t>(out.files.size());
  out.files.push_back(src.name);
  bool milnonstate = src.name.find("MilNonState") != std::string::npos;
  auto warn = [&](uint32_t line, std::string msg, std::string_view snippet) {
    Diagnostic d;
    d.severity = Diagnostic::Severity::kWarning;
    d.file = src.name;
    d.line = line;
    d.column = 1;
    d.message = std::move(msg);
    d.snippet = std::string(snippet);
    warnings.push_back(std::move(d));
  };
  struct Building {
    GazEntry e;
    std::vector<Code> codes;
    bool skip = false;
    bool bad_code = false;
  };
  std::vector<Building> entries;
  std::unordered_map<std::string, size_t> ids;
  for (const GazEntry& e : out.entries) ids.emplace(e.id, 0);
  Building* cur = nullptr;
  // Imported names rank below curated ones (priority 10 against 100).
  auto add_alias = [&](const std::string& text, uint32_t line) {
    GazAlias a;
    a.text = text;
    a.exact = LooksLikeAcronym(text);
    a.file = file;
    a.line = line;
    a.priority = 10;
    // A single four-letter word: "Bree" and "BREE", both case-sensitive, so that neither the
    // name nor the acronym ("NATO", "CARE") matches a lower-case common word.
    size_t letters = 0;
    bool one_word = text.find(' ') == std::string::npos && text.find('-') == std::string::npos;
    for (char c : text) letters += (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    if (one_word && letters == 4 && text.size() == 4) {
      a.exact = true;
      GazAlias upper = a;
      for (char& c : upper.text)
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
      cur->e.aliases.push_back(std::move(a));
      if (upper.text != cur->e.aliases.back().text) cur->e.aliases.push_back(std::move(upper));
      return;
    }
    cur->e.aliases.push_back(std::move(a));
  };
  auto parse_code = [&](std::string_view inside, uint32_t line, std::string_view snippet) {
    Code c;
    std::string_view body = Trim(inside);
    size_t sp = body.find_first_of(" \t");
    c.code = std::string(body.substr(0, sp));
    std::string_view restr = sp == std::string_view::npos ? "" : Trim(body.substr(sp));
    if (c.code.empty()) return;
    if (!IsValidCameoCode(c.code)) {
      warn(line, "not a CAMEO actor code: '" + c.code + "' (skipped)", snippet);
      // The entry had a code, even an unusable one: the names after it start new entries.
      if (cur) cur->bad_code = true;
      return;
    }
    if (!restr.empty()) {
      c.dated = true;
      bool ok = true;
      if (restr[0] == '>') {
        c.from = PetrarchDate(Trim(restr.substr(1)));
        ok = !c.from.empty();
      } else if (restr[0] == '<') {
        c.to = PetrarchDate(Trim(restr.substr(1)));
        ok = !c.to.empty();
      } else if (size_t dash = restr.find('-'); dash != std::string_view::npos) {
        c.from = PetrarchDate(Trim(restr.substr(0, dash)));
        c.to = PetrarchDate(Trim(restr.substr(dash + 1)));
        ok = !c.from.empty() && !c.to.empty();
      } else {
        ok = false;
      }
      if (ok && !c.from.empty() && !c.to.empty() && c.to < c.from) {
        warn(line,
             "date range ends before it starts '" + std::string(restr) +
                 "' (code kept without dates)",
             snippet);
        ok = false;
      }
      if (!ok && !c.from.empty() && !c.to.empty() && c.to < c.from) {
        c.from.clear();
        c.to.clear();
      } else if (!ok) {
        warn(line, "bad date restriction '" + std::string(restr) + "' (code kept without dates)",
             snippet);
        c.from.clear();
        c.to.clear();
      }
    }
    if (cur && !cur->skip) cur->codes.push_back(std::move(c));
  };
  std::string_view text = src.content;
  size_t pos = 0;
  uint32_t line_no = 0;
  std::string clean;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view raw = text.substr(pos, nl - pos);
    pos = nl + 1;
    ++line_no;
    // Drop control bytes (the stray 0x1A SUB characters in Phoenix.Countries).
    clean.clear();
    bool had_control = false;
    for (char c : raw) {
      auto u = static_cast<unsigned char>(c);
      if (u < 0x20 && c != '\t') {
        if (c != '\r') had_control = true;
        continue;
      }
      clean.push_back(c);
    }
    std::string_view line = clean;
    if (had_control) warn(line_no, "control byte dropped", line);
    if (size_t h = line.find('#'); h != std::string_view::npos) line = line.substr(0, h);
    if (line.substr(0, 4) == "<!--") continue;
    std::string_view body = Trim(line);
    if (body.empty()) continue;
    bool damaged = line.find("\xEF\xBF\xBD") != std::string_view::npos;
    if (body[0] == '[') {
      size_t close = body.find(']');
      if (close == std::string_view::npos) {
        warn(line_no, "unclosed '[' in a code line", line);
        continue;
      }
      parse_code(body.substr(1, close - 1), line_no, line);
      continue;
    }
    bool synonym = body[0] == '+';
    if (synonym) body.remove_prefix(1);
    // The name runs to the code: words joined by '_' or separated by blanks ("HAMAS WING").
    std::string_view name = Trim(body.substr(0, body.find('[')));
    std::string_view restl = body.substr(std::min(body.size(), body.find('[') == std::string_view::npos
                                                                   ? body.size()
                                                                   : body.find('[')));
    if (damaged) {
      warn(line_no, "name contains U+FFFD (a damaged character); skipped", line);
      if (!synonym) {
        entries.emplace_back();
        cur = &entries.back();
        cur->skip = true;
      }
      continue;
    }
    std::string pretty = PetrarchName(StripTitle(name));
    if (!IsMatchableName(pretty)) {
      warn(line_no, "name '" + pretty + "' cannot be matched ('|' or no word); skipped", line);
      if (!synonym) {
        entries.emplace_back();
        cur = &entries.back();
        cur->skip = true;
      }
      continue;
    }
    // A name line right after an entry that has no code yet continues that entry's block of
    // names (the dictionaries list "BORIS_YELTSIN_", "BORIS_N._YELTSIN", "YELTSIN" and then the
    // codes of all three).
    if (!synonym && cur && !cur->skip && cur->codes.empty() && !cur->bad_code) synonym = true;
    if (synonym) {
      if (!cur) {
        warn(line_no, "synonym before any entry", line);
        continue;
      }
      if (cur->skip) continue;
      add_alias(pretty, line_no);
    } else {
      std::string id;
      for (char c : name) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '_' || c == '-' || c == '.';
        id.push_back(ok ? c : '_');
      }
      while (!id.empty() && id.back() == '_') id.pop_back();
      id = "petrarch:" + id;
      entries.emplace_back();
      cur = &entries.back();
      if (!ids.emplace(id, entries.size() - 1).second) {
        // A repeated primary name (they occur, also across files): make the id unique.
        std::string base = id;
        for (int k = 2;
             !ids.emplace(id = base + "." + std::to_string(k), entries.size() - 1).second;)
          ++k;
      }
      cur->e.id = id;
      cur->e.name = pretty;
      cur->e.file = file;
      cur->e.line = line_no;
      cur->e.priority = 10;
      add_alias(pretty, line_no);
    }
    if (size_t open = restl.find('['); open != std::string_view::npos) {
      size_t close = restl.find(']', open);
      if (close != std::string_view::npos)
        parse_code(restl.substr(open + 1, close - open - 1), line_no, line);
    }
  }
  size_t kept = 0;
  for (Building& b : entries) {
    if (b.skip || b.e.id.empty()) continue;
    if (b.codes.empty()) {
      warn(b.e.line, "entry '" + b.e.name + "' has no code; skipped", b.e.name);
      continue;
    }
    bool any_dated = false, igo = false, all_country = false;
    for (const Code& c : b.codes) {
      if (c.dated) any_dated = true;
      if (c.code.rfind("IGO", 0) == 0) igo = true;
      // Its current code (undated, or dated with no end) is a three-letter country code
      // ("[USRARM <900823] [ARMUNR 900823-911221] [ARM >911221]"): a country whose code
      // changed, not a person (whose current code is an office: ARMGOV, ARMELI).
      if (c.to.empty() && c.code.size() == 3 && !IsSectorCode(c.code)) all_country = true;
    }
    GazEntry& e = b.e;
    e.attrs.emplace_back("cameo", b.codes[0].code);
    for (const Code& c : b.codes) {
      if (!c.dated) continue;
      GazRole r;
      r.title = "CAMEO " + c.code;
      r.from = c.from;
      r.to = c.to;
      e.roles.push_back(std::move(r));
    }
    // Dated codes mostly mean a person's offices, but organisations have them too ("Islamic
    // State of Iraq and the Levant"): a name with an organisation word is an organisation.
    static constexpr std::string_view kOrgWords[] = {
        "STATE", "ARMY", "FRONT", "PARTY", "MOVEMENT", "COUNCIL", "GOVERNMENT", "MINISTRY",
        "FORCES", "FORCE", "BRIGADE", "BRIGADES", "GROUP", "ORGANIZATION", "ORGANISATION",
        "COMMITTEE", "UNION", "LEAGUE", "ALLIANCE", "JIHAD", "NETWORK", "AUTHORITY", "REPUBLIC",
        "COMMISSION", "AGENCY", "ASSEMBLY", "PARLIAMENT", "CONGRESS", "COURT", "BANK", "POLICE",
        "GUARD", "CORPS", "MILITIA", "TALIBAN", "QAEDA", "QAIDA", "SHABAAB", "HEZBOLLAH", "HAMAS",
        "ISLAMIC", "NATIONAL", "UNITED", "OFFICE", "DEPARTMENT", "INSTITUTE", "UNIVERSITY",
        "COMPANY", "CORPORATION", "BUREAU", "SERVICE", "ADMINISTRATION", "COALITION", "REGIME"};
    bool org_name = false;
    {
      std::string upper;
      for (char c : b.e.id) upper += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
      for (std::string_view w : kOrgWords) {
        size_t at = upper.find(w);
        while (at != std::string::npos) {
          bool start = at == 0 || upper[at - 1] == '_' || upper[at - 1] == ':' || upper[at - 1] == '-';
          size_t end = at + w.size();
          bool stop = end == upper.size() || upper[end] == '_' || upper[end] == '-' || upper[end] == '.';
          if (start && stop) org_name = true;
          at = upper.find(w, at + 1);
        }
      }
    }
    if (all_country && !milnonstate && !igo) {
      e.type = "GPE";
      e.subtype = "country";
    } else if (any_dated && org_name) {
      e.type = "ORG";
    } else if (any_dated) {
      e.type = "PERSON";
      // A one-word alias that is a word of the person's full name ("MANSOUR" under ADLY_MANSOUR)
      // would claim every bearer of that name: dropped. A one-word alias that is another name
      // ("HEMEDTI", "SMEAGOL" under GOLLUM) is kept.
      std::vector<std::string> words;
      for (size_t b = 0; b <= e.name.size();) {
        size_t sp = e.name.find(' ', b);
        if (sp == std::string::npos) sp = e.name.size();
        if (sp > b) words.push_back(e.name.substr(b, sp - b));
        b = sp + 1;
      }
      auto lower = [](std::string x) {
        for (char& c : x) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        return x;
      };
      std::erase_if(e.aliases, [&](const GazAlias& a) {
        if (a.text == e.name || a.text.find(' ') != std::string::npos) return false;
        for (const std::string& w : words)
          if (lower(w) == lower(a.text)) return true;
        return false;
      });
    } else if (milnonstate) {
      e.type = "ORG";
      e.subtype = "militant_group";
    } else if (igo) {
      e.type = "ORG";
      e.subtype = "igo";
    } else if (b.codes.size() == 1 && b.codes[0].code.size() == 3 &&
               !IsSectorCode(b.codes[0].code)) {
      e.type = "GPE";
      e.subtype = "country";
    } else {
      e.type = "ORG";
    }
    e.attrs.emplace_back("source", "PETRARCH2 dictionary " + src.name + ":" +
                                       std::to_string(e.line) + " (MIT, Open Event Data Alliance)");
    out.entries.push_back(std::move(e));
    ++kept;
  }
  if (kept == 0) {
    return Status(StatusCode::kInvalidInput,
                  src.name + ": no PETRARCH actor entries found (is this an .actors file?)");
  }
  return Status();
}

}  // namespace quarry::internal
