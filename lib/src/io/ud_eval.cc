// io/ud_eval.cc: CoNLL-U reading and span scoring.
#include "io/ud_eval.h"

#include <sstream>

namespace quarry::internal {
namespace {

struct Row {
  bool range = false;
  int first = 0, last = 0;
  std::string form;
};

struct Sent {
  bool new_par = false;
  std::string text;
  std::vector<Row> rows;
};

std::vector<std::string> SplitTabs(const std::string& line) {
  std::vector<std::string> f;
  size_t s = 0;
  for (size_t i = 0; i <= line.size(); ++i) {
    if (i == line.size() || line[i] == '\t') {
      f.push_back(line.substr(s, i - s));
      s = i + 1;
    }
  }
  return f;
}

}  // namespace

Result<UdGold> ReadConllu(const std::string& conllu, const std::string& name) {
  std::vector<Sent> sents;
  Sent cur;
  bool pending_par = true;
  std::istringstream in(conllu);
  std::string line;
  size_t lineno = 0;
  auto flush = [&] {
    if (!cur.rows.empty()) {
      cur.new_par = pending_par;
      pending_par = false;
      sents.push_back(std::move(cur));
    }
    cur = Sent();
  };
  while (std::getline(in, line)) {
    ++lineno;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) {
      flush();
      continue;
    }
    if (line[0] == '#') {
      if (line.starts_with("# newpar") || line.starts_with("# newdoc")) pending_par = true;
      if (line.starts_with("# text = ")) cur.text = line.substr(9);
      continue;
    }
    auto f = SplitTabs(line);
    if (f.size() != 10) {
      return Status(StatusCode::kParseError, name + ":" + std::to_string(lineno) +
                                                 ": expected 10 tab-separated fields, found " +
                                                 std::to_string(f.size()));
    }
    if (f[0].find('.') != std::string::npos) continue;  // empty nodes
    Row r;
    r.form = f[1];
    size_t dash = f[0].find('-');
    try {
      if (dash != std::string::npos) {
        r.range = true;
        r.first = std::stoi(f[0].substr(0, dash));
        r.last = std::stoi(f[0].substr(dash + 1));
      } else {
        r.first = r.last = std::stoi(f[0]);
      }
    } catch (const std::exception&) {
      return Status(StatusCode::kParseError,
                    name + ":" + std::to_string(lineno) + ": bad ID field '" + f[0] + "'");
    }
    cur.rows.push_back(std::move(r));
  }
  flush();

  UdGold g;
  for (Sent& s : sents) {
    if (!g.text.empty()) g.text += s.new_par ? "\n\n" : " ";
    uint32_t base = static_cast<uint32_t>(g.text.size());
    g.text += s.text;
    size_t pos = 0;
    const std::string& t = s.text;
    // Locates `form` at or after pos, skipping white space; returns npos when not found nearby.
    auto locate = [&](const std::string& form) -> size_t {
      size_t p = pos;
      while (p < t.size() && (t[p] == ' ' || t[p] == '\t')) ++p;
      if (t.compare(p, form.size(), form) == 0) return p;
      size_t q = t.find(form, pos);
      if (q != std::string::npos && q - pos < 40) return q;
      return std::string::npos;
    };
    uint32_t sent_begin = UINT32_MAX, sent_end = 0;
    for (size_t i = 0; i < s.rows.size(); ++i) {
      const Row& r = s.rows[i];
      if (!r.range) {
        size_t p = locate(r.form);
        if (p == std::string::npos) {
          ++g.unaligned;
          continue;
        }
        Span sp{base + static_cast<uint32_t>(p), base + static_cast<uint32_t>(p + r.form.size())};
        g.tokens.push_back(sp);
        g.words.push_back(sp);
        sent_begin = std::min(sent_begin, sp.begin);
        sent_end = std::max(sent_end, sp.end);
        pos = p + r.form.size();
        continue;
      }
      // A multiword token: the surface form, then its words.
      size_t p = locate(r.form);
      size_t j = i + 1;
      std::vector<const Row*> words;
      while (j < s.rows.size() && !s.rows[j].range && s.rows[j].first <= r.last) {
        words.push_back(&s.rows[j]);
        ++j;
      }
      i = j - 1;
      if (p == std::string::npos) {
        ++g.unaligned;
        continue;
      }
      Span sp{base + static_cast<uint32_t>(p), base + static_cast<uint32_t>(p + r.form.size())};
      g.tokens.push_back(sp);
      sent_begin = std::min(sent_begin, sp.begin);
      sent_end = std::max(sent_end, sp.end);
      std::string concat;
      for (const Row* w : words) concat += w->form;
      if (concat == r.form) {
        uint32_t at = sp.begin;
        for (const Row* w : words) {
          g.words.push_back({at, at + static_cast<uint32_t>(w->form.size())});
          at += static_cast<uint32_t>(w->form.size());
        }
      } else {
        g.words.push_back(sp);  // words that do not spell the surface form: one unit
      }
      pos = p + r.form.size();
    }
    if (sent_begin < sent_end) g.sentences.push_back({sent_begin, sent_end});
  }
  return g;
}

Prf ScoreSpans(const std::vector<Span>& gold, const std::vector<Span>& system) {
  Prf r;
  r.gold = gold.size();
  r.system = system.size();
  size_t i = 0, j = 0;
  while (i < gold.size() && j < system.size()) {
    if (gold[i] == system[j]) {
      ++r.correct;
      ++i;
      ++j;
    } else if (gold[i].begin < system[j].begin ||
               (gold[i].begin == system[j].begin && gold[i].end < system[j].end)) {
      ++i;
    } else {
      ++j;
    }
  }
  return r;
}

}  // namespace quarry::internal
