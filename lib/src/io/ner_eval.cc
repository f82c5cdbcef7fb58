// io/ner_eval.cc: IOB2 gold, the half split, exact-span NER scores.
#include "io/ner_eval.h"

#include <algorithm>
#include <cstdio>
#include <set>

#include <nlohmann/json.hpp>

#include "common/sha256.h"

namespace quarry::internal {
namespace {

// Code points in s[0, byte).
uint32_t Codepoints(std::string_view s, size_t byte) {
  uint32_t n = 0;
  for (size_t i = 0; i < byte && i < s.size(); ++i)
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) ++n;
  return n;
}

std::vector<std::string_view> SplitTabs(std::string_view line) {
  std::vector<std::string_view> out;
  size_t b = 0;
  for (size_t i = 0; i <= line.size(); ++i) {
    if (i == line.size() || line[i] == '\t') {
      out.push_back(line.substr(b, i - b));
      b = i + 1;
    }
  }
  return out;
}

}  // namespace

Result<NerGold> ReadIob2(const std::string& text, const std::string& name) {
  NerGold g;
  std::string doc_id = "(no document)";
  NerSentence cur;
  bool in_sentence = false;
  size_t pos = 0;           // byte position in cur.text for token alignment
  int open = -1;            // index of the open entity in cur.gold
  size_t open_end = 0;      // its end byte
  size_t open_begin = 0;
  std::string open_type;
  uint32_t lineno = 0;
  auto close = [&] {
    if (!open_type.empty()) {
      cur.gold.push_back(NerSpan{Codepoints(cur.text, open_begin), Codepoints(cur.text, open_end),
                                 open_type});
    }
    open_type.clear();
    open = -1;
  };
  auto finish = [&] {
    if (!in_sentence) return;
    close();
    g.sentences.push_back(std::move(cur));
    cur = NerSentence();
    in_sentence = false;
    pos = 0;
  };
  size_t i = 0;
  while (i <= text.size()) {
    size_t nl = text.find('\n', i);
    if (nl == std::string::npos) nl = text.size();
    std::string_view line(text.data() + i, nl - i);
    i = nl + 1;
    ++lineno;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) {
      finish();
      if (nl >= text.size()) break;
      continue;
    }
    if (line[0] == '#') {
      auto value = [&](std::string_view key) -> std::string_view {
        std::string_view rest = line.substr(1);
        while (!rest.empty() && rest[0] == ' ') rest.remove_prefix(1);
        if (!rest.starts_with(key)) return {};
        rest.remove_prefix(key.size());
        while (!rest.empty() && rest[0] == ' ') rest.remove_prefix(1);
        if (rest.empty() || rest[0] != '=') return {};
        rest.remove_prefix(1);
        while (!rest.empty() && rest[0] == ' ') rest.remove_prefix(1);
        return rest;
      };
      if (auto v = value("newdoc id"); !v.empty()) {
        finish();
        doc_id = std::string(v);
        g.doc_ids.push_back(doc_id);
      } else if (auto v = value("sent_id"); !v.empty()) {
        cur.id = std::string(v);
        in_sentence = true;
      } else if (auto v = value("text"); !v.empty()) {
        cur.text = std::string(v);
        in_sentence = true;
      }
      continue;
    }
    in_sentence = true;
    cur.doc_id = doc_id;
    std::vector<std::string_view> col = SplitTabs(line);
    if (col.size() < 3) {
      return Status(StatusCode::kParseError,
                    name + ":" + std::to_string(lineno) + ": expected at least 3 tab-separated columns");
    }
    std::string_view form = col[1], tag = col[2];
    if (col[0].find('-') != std::string_view::npos || col[0].find('.') != std::string_view::npos)
      continue;  // multiword token ranges and empty nodes carry no text of their own
    while (pos < cur.text.size() && (cur.text[pos] == ' ' || cur.text[pos] == '\t')) ++pos;
    size_t at = cur.text.find(form, pos);
    if (at == std::string::npos) {
      return Status(StatusCode::kParseError, name + ":" + std::to_string(lineno) + ": token '" +
                                                 std::string(form) + "' not found in the sentence text");
    }
    size_t tb = at, te = at + form.size();
    pos = te;
    if (tag.size() > 2 && (tag[0] == 'B' || tag[0] == 'I') && tag[1] == '-') {
      std::string type(tag.substr(2));
      if (tag[0] == 'B' || open_type != type) {
        close();
        open_type = type;
        open_begin = tb;
      }
      open_end = te;
      open = 0;
    } else {
      close();
    }
  }
  finish();
  for (auto& s : g.sentences) {
    std::sort(s.gold.begin(), s.gold.end());
    s.gold.erase(std::unique(s.gold.begin(), s.gold.end()), s.gold.end());
  }
  return g;
}

std::string NerHalf(const std::string& doc_id) {
  // Parity of the digest as a big number: its last byte's lowest bit.
  std::array<uint8_t, 32> d = Sha256(doc_id);
  return (d[31] & 1) == 0 ? "A" : "B";
}

std::string NerType(std::string_view t) {
  if (t == "PERSON") return "PER";
  if (t == "ORG") return "ORG";
  if (t == "GPE" || t == "LOC" || t == "FAC") return "LOC";
  return "";
}

void NerScore::Add(const NerSentence& s, std::vector<NerSpan> system) {
  ++sentences;
  std::sort(system.begin(), system.end());
  system.erase(std::unique(system.begin(), system.end()), system.end());
  std::set<NerSpan> gold(s.gold.begin(), s.gold.end());
  auto text_of = [&](const NerSpan& x) {
    // Code points -> bytes for the excerpt.
    size_t b = 0, cp = 0;
    while (b < s.text.size() && cp < x.begin) {
      ++b;
      while (b < s.text.size() && (static_cast<unsigned char>(s.text[b]) & 0xC0) == 0x80) ++b;
      ++cp;
    }
    size_t e = b;
    while (e < s.text.size() && cp < x.end) {
      ++e;
      while (e < s.text.size() && (static_cast<unsigned char>(s.text[e]) & 0xC0) == 0x80) ++e;
      ++cp;
    }
    return s.text.substr(b, e - b);
  };
  for (const NerSpan& x : system) {
    bool ok = gold.count(x) > 0;
    for (const std::string& k : {x.type, std::string()}) ++(ok ? by_type[k].tp : by_type[k].fp);
    if (!ok && diff.size() < max_diff)
      diff.push_back(s.id + ": FALSE " + x.type + " '" + text_of(x) + "'");
  }
  std::set<NerSpan> sys(system.begin(), system.end());
  for (const NerSpan& x : s.gold) {
    if (sys.count(x)) continue;
    for (const std::string& k : {x.type, std::string()}) ++by_type[k].fn;
    if (diff.size() < max_diff) diff.push_back(s.id + ": MISS  " + x.type + " '" + text_of(x) + "'");
  }
}

std::string NerScore::Format(bool with_diff) const {
  std::string out;
  char buf[200];
  std::snprintf(buf, sizeof buf, "%zu sentences\n%-6s %6s %6s %6s %6s %6s %6s\n", sentences, "type",
                "P", "R", "F1", "tp", "fp", "fn");
  out += buf;
  for (const char* t : {"PER", "ORG", "LOC", ""}) {
    auto it = by_type.find(t);
    NerCounts c = it == by_type.end() ? NerCounts{} : it->second;
    std::snprintf(buf, sizeof buf, "%-6s %6.3f %6.3f %6.3f %6llu %6llu %6llu\n", *t ? t : "(all)",
                  c.P(), c.R(), c.F(), static_cast<unsigned long long>(c.tp),
                  static_cast<unsigned long long>(c.fp), static_cast<unsigned long long>(c.fn));
    out += buf;
  }
  if (with_diff) {
    out += "-- diff (MISS: gold only, FALSE: system only)\n";
    for (const std::string& d : diff) out += d + "\n";
  }
  return out;
}

std::string NerScore::Json() const {
  nlohmann::json j;
  j["sentences"] = sentences;
  for (const char* t : {"PER", "ORG", "LOC", ""}) {
    auto it = by_type.find(t);
    NerCounts c = it == by_type.end() ? NerCounts{} : it->second;
    j[*t ? t : "all"] = {{"precision", c.P()}, {"recall", c.R()}, {"f1", c.F()},
                         {"tp", c.tp}, {"fp", c.fp}, {"fn", c.fn}};
  }
  return j.dump() + "\n";
}

}  // namespace quarry::internal
