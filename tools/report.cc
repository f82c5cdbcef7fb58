// tools/report.cc: `quarry report`: one self-contained HTML page over a set of annotated
// documents (the JSON of `quarry annotate`): a timeline of dated events, an actor graph, and a
// sortable, filterable events table; plus a page per document with its highlights.
//
// Uses only the public API and nlohmann/json; the page needs no network (inline CSS, JS, SVG).
#include <algorithm>
#include <array>
#include <boost/program_options.hpp>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "command.h"
#include "standoff.h"
#include "quarry/quarry.h"

namespace quarry::cli {
namespace {

namespace po = boost::program_options;
namespace fs = std::filesystem;
using nlohmann::json;

std::string Esc(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

// JSON for inside a <script> element: "</" cannot end the element.
std::string ScriptJson(const json& j) {
  std::string s = j.dump(-1, ' ', false, json::error_handler_t::replace);
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '<' && i + 1 < s.size() && s[i + 1] == '/') {
      out += "<\\/";
      ++i;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

bool WriteText(const fs::path& path, const std::string& data, std::string& error) {
  std::error_code ec;
  if (path.has_parent_path()) fs::create_directories(path.parent_path(), ec);
  fs::path tmp = path;
  tmp += ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << data;
    out.flush();
    if (!out) {
      error = path.string() + ": cannot write";
      return false;
    }
  }
  fs::rename(tmp, path, ec);
  if (ec) {
    error = path.string() + ": " + ec.message();
    return false;
  }
  return true;
}

// Days since 1970-01-01 of a proleptic Gregorian date (the usual era-based formula).
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

// The day range [first, last] a TIMEX3 value covers, at its granularity: "2015" a year,
// "2015-03" a month, "2015-03-14" (or with a time) a day, "2015-W10" a week, "2015-Q1" a quarter,
// "2015-SU" a season. False for values without a known year (XXXX, PRESENT_REF, durations).
bool DayRange(const std::string& v, int64_t& first, int64_t& last) {
  auto digits = [&](size_t at, size_t n) {
    if (v.size() < at + n) return false;
    for (size_t i = at; i < at + n; ++i)
      if (!std::isdigit(static_cast<unsigned char>(v[i]))) return false;
    return true;
  };
  if (!digits(0, 4)) return false;
  int y = std::stoi(v.substr(0, 4));
  auto month_end = [](int yy, unsigned m) {
    static const unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (yy % 4 == 0 && yy % 100 != 0) || yy % 400 == 0;
    return kDays[m - 1] + (m == 2 && leap ? 1u : 0u);
  };
  first = DaysFromCivil(y, 1, 1);
  last = DaysFromCivil(y, 12, 31);
  if (v.size() == 4 || v[4] != '-') return true;
  if (digits(5, 2)) {
    unsigned m = static_cast<unsigned>(std::stoi(v.substr(5, 2)));
    if (m < 1 || m > 12) return true;
    if (digits(8, 2) && v[7] == '-') {
      unsigned d = static_cast<unsigned>(std::stoi(v.substr(8, 2)));
      if (d >= 1 && d <= month_end(y, m)) first = last = DaysFromCivil(y, m, d);
      return true;
    }
    first = DaysFromCivil(y, m, 1);
    last = DaysFromCivil(y, m, month_end(y, m));
    return true;
  }
  if (v.size() >= 7 && v[5] == 'W' && digits(6, 2)) {
    int w = std::stoi(v.substr(6, 2));
    // ISO week 1 holds January 4th; weeks start on Monday.
    int64_t jan4 = DaysFromCivil(y, 1, 4);
    int64_t monday = jan4 - ((jan4 + 3) % 7 + 7) % 7;  // 1970-01-01 was a Thursday
    first = monday + 7 * (w - 1);
    last = first + 6;
    return true;
  }
  if (v.size() >= 7 && v[5] == 'Q' && v[6] >= '1' && v[6] <= '4') {
    unsigned q = static_cast<unsigned>(v[6] - '0');
    first = DaysFromCivil(y, 3 * q - 2, 1);
    last = DaysFromCivil(y, 3 * q, month_end(y, 3 * q));
    return true;
  }
  if (v.size() >= 7 && v[5] == 'H' && (v[6] == '1' || v[6] == '2')) {
    first = DaysFromCivil(y, v[6] == '1' ? 1 : 7, 1);
    last = v[6] == '1' ? DaysFromCivil(y, 6, 30) : DaysFromCivil(y, 12, 31);
    return true;
  }
  static const std::map<std::string, std::pair<unsigned, unsigned>> kSeasons = {
      {"SP", {3, 5}}, {"SU", {6, 8}}, {"FA", {9, 11}}, {"WI", {12, 12}}};
  if (auto it = kSeasons.find(v.substr(5, 2)); v.size() >= 7 && it != kSeasons.end()) {
    first = DaysFromCivil(y, it->second.first, 1);
    last = DaysFromCivil(y, it->second.second, month_end(y, it->second.second));
  }
  return true;
}

std::string CivilFromDays(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u", static_cast<long long>(y + (m <= 2)), m, d);
  return buf;
}

// One annotated document, as read from its JSON.
struct Doc : StandoffDoc {
  std::string page;  // the per-document page, relative to the report
};

struct Event {
  size_t doc = 0;
  std::string id, layer, type, cameo, label, date, date_source, source, source_code, target,
      target_code, place, trigger, sentence;
  int quad = 0;  // CAMEO quad class 1..4, 0 for relations and uncoded events
  int64_t first = 0, last = 0;
  bool dated = false;
};

const char* kQuadColour[] = {"#6b7280", "#2563eb", "#16a34a", "#d97706", "#dc2626"};
const char* kQuadName[] = {"relation / uncoded", "verbal cooperation", "material cooperation",
                           "verbal conflict", "material conflict"};

// The text of a UTF-8 byte span of the document, when its text is known.

// The per-document page: the text with entities, timexes and event triggers highlighted (each
// with an anchor named by its id, which the report's links use), and the annotation list.
std::string DocPage(const Doc& d, const std::string& report_name) {
  struct Mark {
    uint64_t b, e;
    std::string id, cls, title;
  };
  std::vector<Mark> marks;
  for (const char* layer : {"entities", "timexes", "events"}) {
    if (!d.j.contains(layer)) continue;
    for (const json& a : d.j[layer]) {
      if (!a.contains("utf8")) continue;
      std::string cls = std::string(layer) == "entities" ? "ent t-" + a.value("type", "")
                        : std::string(layer) == "timexes" ? "tmx"
                                                          : "evt";
      std::string title = a.value("id", "") + " " + a.value("type", "");
      for (const char* f : {"entity", "value", "cameo", "label", "date"})
        if (a.contains(f) && a[f].is_string()) title += "\n" + std::string(f) + "=" + a[f].get<std::string>();
      marks.push_back({a["utf8"][0].get<uint64_t>(), a["utf8"][1].get<uint64_t>(),
                       a.value("id", ""), cls, title});
    }
  }
  std::string body;
  if (d.has_text) {
    // Nested spans: sweep over the boundaries, outermost first (as the HTML export does).
    std::sort(marks.begin(), marks.end(), [](const Mark& x, const Mark& y) {
      return x.b != y.b ? x.b < y.b : x.e > y.e;
    });
    std::set<uint64_t> cuts = {0, d.text.size()};
    for (const Mark& m : marks) {
      if (m.e <= d.text.size() && m.b < m.e) {
        cuts.insert(m.b);
        cuts.insert(m.e);
      }
    }
    std::vector<uint64_t> c(cuts.begin(), cuts.end());
    std::vector<size_t> active;
    std::set<std::string> anchored;
    size_t next = 0;
    for (size_t k = 0; k + 1 < c.size(); ++k) {
      std::erase_if(active, [&](size_t i) { return marks[i].e <= c[k]; });
      while (next < marks.size() && marks[next].b <= c[k]) {
        if (marks[next].e > c[k]) active.push_back(next);
        ++next;
      }
      std::string open, close;
      for (size_t i : active) {
        const Mark& m = marks[i];
        open += "<span class=\"" + Esc(m.cls) + "\" title=\"" + Esc(m.title) + "\"";
        if (anchored.insert(m.id).second) open += " id=\"" + Esc(m.id) + "\"";
        open += ">";
        close += "</span>";
      }
      body += open + Esc(std::string_view(d.text).substr(c[k], c[k + 1] - c[k])) + close;
    }
  } else {
    body = "<p class=\"none\">The text of this document was not found (looked for its id as a "
           "path, and for a .txt beside its JSON with the same SHA-256); the annotations are "
           "listed below.</p>";
  }
  std::string rows;
  for (const char* layer : {"events", "relations"}) {
    if (!d.j.contains(layer)) continue;
    for (const json& a : d.j[layer]) {
      std::string args;
      if (a.contains("args"))
        for (const json& g : a["args"])
          args += "<b>" + Esc(g.value("role", "")) + "</b> " + Esc(g.value("text", "")) + "<br>";
      rows += "<tr id=\"row-" + Esc(a.value("id", "")) + "\"><td>" + Esc(a.value("id", "")) +
              "</td><td>" + Esc(a.value("type", "")) + "</td><td>" + Esc(a.value("cameo", "")) +
              "</td><td>" + Esc(a.value("date", "")) + "</td><td>" + Esc(a.value("text", "")) +
              "</td><td>" + args + "</td></tr>\n";
    }
  }
  if (rows.empty()) rows = "<tr><td colspan=\"6\" class=\"none\">no events or relations found</td></tr>\n";
  return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + Esc(d.id) +
         " - quarry</title>\n<style>\n"
         "body{font:16px/1.6 Georgia,serif;max-width:52em;margin:2em auto;padding:0 1em;color:#222}\n"
         ".text{white-space:pre-wrap}.ent{background:#dbeafe;border-bottom:2px solid #3b82f6}\n"
         ".t-PERSON{background:#fde68a;border-color:#d97706}.t-ORG{background:#fecaca;border-color:#dc2626}\n"
         ".t-GPE,.t-LOC,.t-FAC{background:#bbf7d0;border-color:#16a34a}\n"
         ".tmx{background:#e9d5ff;border-bottom:2px solid #9333ea}\n"
         ".evt{text-decoration:underline wavy #b91c1c;font-weight:bold}:target{outline:3px solid #f59e0b}\n"
         "table{border-collapse:collapse;font:14px sans-serif;margin-top:2em}\n"
         "td,th{border:1px solid #ccc;padding:.3em .5em;vertical-align:top}.none{color:#666}\n"
         "</style></head><body>\n<p><a href=\"../" + Esc(report_name) + "\">&larr; report</a></p>\n"
         "<h1>" + Esc(d.id) + "</h1>\n<p class=\"dct\">Document date: " +
         (d.dct.empty() ? std::string("unknown") : Esc(d.dct)) + "</p>\n<div class=\"text\">" +
         body + "</div>\n<h2>Events and relations</h2>\n<table><tr><th>id</th><th>type</th>"
         "<th>CAMEO</th><th>date</th><th>trigger</th><th>arguments</th></tr>\n" + rows +
         "</table>\n</body></html>\n";
}

// The timeline: one lane per quad class; a day is a point, a longer span a bar. Past
// kMaxMarks dated events it shows counts per bin (day, month or year by the range) instead.
std::string Timeline(const std::vector<Event>& events, const std::vector<Doc>& docs,
                     size_t& marks_out) {
  constexpr size_t kMaxMarks = 1500;
  std::vector<const Event*> dated;
  for (const Event& e : events)
    if (e.dated) dated.push_back(&e);
  marks_out = 0;
  if (dated.empty()) return "<p class=\"none\" id=\"timeline-empty\">no dated events</p>";
  int64_t lo = dated.front()->first, hi = dated.front()->last;
  for (const Event* e : dated) lo = std::min(lo, e->first), hi = std::max(hi, e->last);
  // A few dates far from the rest (a history's 1121 among this year's news) would squeeze the
  // others into a corner: the axis covers the 5th to 95th percentile when that is under a fifth
  // of the whole range, and the events outside it sit at its edges, faded, with a note.
  std::string note;
  if (dated.size() >= 20) {
    std::vector<int64_t> starts;
    for (const Event* e : dated) starts.push_back(e->first);
    std::sort(starts.begin(), starts.end());
    int64_t p5 = starts[starts.size() * 5 / 100], p95 = starts[starts.size() * 95 / 100];
    if ((p95 - p5) * 5 < hi - lo) {
      int64_t pad = std::max<int64_t>(15, (p95 - p5) / 20);
      size_t outside = 0;
      for (const Event* e : dated) outside += e->last < p5 - pad || e->first > p95 + pad;
      lo = p5 - pad;
      hi = p95 + pad;
      note = "<p class=\"none\" id=\"timeline-note\">" + std::to_string(outside) +
             " dated events lie outside the range shown (from " + CivilFromDays(starts.front()) +
             " to " + CivilFromDays(starts.back()) + "); they sit faded at its edges.</p>";
    }
  }
  if (hi - lo < 30) lo -= 15, hi += 15;
  const double W = 1000, left = 150, lane = 36, top = 20;
  const double H = top + 5 * lane + 30;
  auto x = [&](double day) {
    day = std::clamp(day, static_cast<double>(lo), static_cast<double>(hi + 1));
    return left + (day - static_cast<double>(lo)) / static_cast<double>(hi - lo + 1) * (W - left - 10);
  };
  std::string svg = "<svg id=\"timeline\" viewBox=\"0 0 " + std::to_string(static_cast<int>(W)) +
                    " " + std::to_string(static_cast<int>(H)) +
                    "\" width=\"100%\" role=\"img\" aria-label=\"timeline of dated events\">\n";
  for (int q = 0; q <= 4; ++q) {
    double y = top + q * lane;
    svg += "<text x=\"4\" y=\"" + std::to_string(y + lane / 2 + 4) + "\" class=\"lane\">" +
           kQuadName[q] + "</text><line x1=\"" + std::to_string(left) + "\" x2=\"" +
           std::to_string(W - 10) + "\" y1=\"" + std::to_string(y + lane / 2) + "\" y2=\"" +
           std::to_string(y + lane / 2) + "\" stroke=\"#eee\"/>\n";
  }
  // Axis: about six ticks.
  for (int t = 0; t <= 5; ++t) {
    int64_t day = lo + (hi - lo) * t / 5;
    svg += "<text x=\"" + std::to_string(x(static_cast<double>(day))) + "\" y=\"" +
           std::to_string(H - 8) + "\" class=\"tick\" text-anchor=\"middle\">" +
           CivilFromDays(day) + "</text>\n";
  }
  if (dated.size() <= kMaxMarks) {
    for (const Event* e : dated) {
      double y = top + e->quad * lane + lane / 2;
      std::string href = docs[e->doc].page + "#" + e->id;
      std::string tip = e->date + " " + e->type + " " + e->source + " → " + e->target + " (" +
                        docs[e->doc].id + ")";
      bool outside = e->last < lo || e->first > hi;
      svg += "<a href=\"" + Esc(href) + "\"><g class=\"mark" + (outside ? " outside" : "") +
             "\" data-quad=\"" + std::to_string(e->quad) + "\"" +
             (outside ? " opacity=\"0.3\"" : "") + "><title>" + Esc(tip) + "</title>";
      if (e->first == e->last) {
        svg += "<circle cx=\"" + std::to_string(x(static_cast<double>(e->first) + 0.5)) +
               "\" cy=\"" + std::to_string(y) + "\" r=\"5\" fill=\"" + kQuadColour[e->quad] +
               "\" fill-opacity=\"0.8\"/>";
      } else {
        double x0 = x(static_cast<double>(e->first)), x1 = x(static_cast<double>(e->last) + 1);
        svg += "<rect x=\"" + std::to_string(x0) + "\" y=\"" + std::to_string(y - 4) +
               "\" width=\"" + std::to_string(std::max(2.0, x1 - x0)) +
               "\" height=\"8\" rx=\"3\" fill=\"" + kQuadColour[e->quad] +
               "\" fill-opacity=\"0.35\"/>";
      }
      svg += "</g></a>\n";
      ++marks_out;
    }
  } else {
    // Bins: by year over more than 20 years, by month over more than 200 days, else by day.
    int64_t span = hi - lo;
    auto bin_of = [&](int64_t day) -> std::string {
      std::string c = CivilFromDays(day);
      return span > 7300 ? c.substr(0, 4) : span > 200 ? c.substr(0, 7) : c;
    };
    std::map<std::pair<int, std::string>, std::pair<size_t, int64_t>> bins;  // count, first day
    for (const Event* e : dated) {
      auto& b = bins[{e->quad, bin_of(e->first)}];
      if (b.first++ == 0) b.second = e->first;
    }
    size_t most = 1;
    for (const auto& [k, v] : bins) most = std::max(most, v.first);
    for (const auto& [k, v] : bins) {
      double y = top + k.first * lane + lane / 2;
      double r = 2 + 10 * std::sqrt(static_cast<double>(v.first) / static_cast<double>(most));
      svg += "<g class=\"mark bin\" data-quad=\"" + std::to_string(k.first) + "\" data-count=\"" +
             std::to_string(v.first) + "\"><title>" + Esc(k.second) + ": " +
             std::to_string(v.first) + " " + kQuadName[k.first] + " events</title><circle cx=\"" +
             std::to_string(x(static_cast<double>(v.second))) + "\" cy=\"" + std::to_string(y) +
             "\" r=\"" + std::to_string(r) + "\" fill=\"" + kQuadColour[k.first] +
             "\" fill-opacity=\"0.6\"/></g>\n";
      ++marks_out;
    }
  }
  svg += "</svg>" + note;
  return svg;
}

// The actor graph: the most active actors on a circle (largest first, clockwise from the top),
// sized by how often they take part; edges source -> target weighted by count and coloured by
// the commonest quad class between them.
std::string Graph(const std::vector<Event>& events, size_t& nodes_out, size_t& edges_out) {
  constexpr size_t kMaxNodes = 30;
  auto key = [](const std::string& code, const std::string& text) {
    return code.empty() ? text : code;
  };
  std::map<std::string, size_t> count;
  std::map<std::string, std::map<std::string, size_t>> labels;
  for (const Event& e : events) {
    if (e.source.empty() || e.target.empty()) continue;
    std::string s = key(e.source_code, e.source), t = key(e.target_code, e.target);
    if (s == t) continue;
    ++count[s], ++count[t];
    ++labels[s][e.source], ++labels[t][e.target];
  }
  std::vector<std::pair<std::string, size_t>> nodes(count.begin(), count.end());
  std::stable_sort(nodes.begin(), nodes.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  if (nodes.size() > kMaxNodes) nodes.resize(kMaxNodes);
  nodes_out = nodes.size();
  edges_out = 0;
  if (nodes.empty()) return "<p class=\"none\" id=\"graph-empty\">no events or relations between two actors</p>";
  std::map<std::string, size_t> index;
  for (size_t i = 0; i < nodes.size(); ++i) index[nodes[i].first] = i;
  const double W = 720, H = 720, cx = W / 2, cy = H / 2, R = 270;
  std::vector<std::pair<double, double>> pos(nodes.size());
  for (size_t i = 0; i < nodes.size(); ++i) {
    double a = -M_PI / 2 + 2 * M_PI * static_cast<double>(i) / static_cast<double>(nodes.size());
    pos[i] = {cx + R * std::cos(a), cy + R * std::sin(a)};
  }
  std::map<std::pair<size_t, size_t>, std::array<size_t, 5>> edges;
  for (const Event& e : events) {
    if (e.source.empty() || e.target.empty()) continue;
    auto s = index.find(key(e.source_code, e.source)), t = index.find(key(e.target_code, e.target));
    if (s == index.end() || t == index.end() || s->second == t->second) continue;
    edges[{s->second, t->second}][e.quad] += 1;
  }
  size_t heaviest = 1;
  for (const auto& [k, v] : edges) {
    size_t n = 0;
    for (size_t c : v) n += c;
    heaviest = std::max(heaviest, n);
  }
  std::string svg = "<svg id=\"graph\" viewBox=\"0 0 720 720\" width=\"720\" role=\"img\" "
                    "aria-label=\"actor graph\">\n<defs>";
  for (int q = 0; q <= 4; ++q)
    svg += "<marker id=\"arrow" + std::to_string(q) + "\" viewBox=\"0 0 10 10\" refX=\"10\" "
           "refY=\"5\" markerUnits=\"userSpaceOnUse\" markerWidth=\"9\" markerHeight=\"9\" orient=\"auto\"><path d=\"M0,0L10,5L0,10z\" "
           "fill=\"" + kQuadColour[q] + "\"/></marker>";
  svg += "</defs>\n";
  size_t most = nodes.front().second;
  auto radius = [&](size_t n) { return 6 + 18 * std::sqrt(static_cast<double>(n) / static_cast<double>(most)); };
  for (const auto& [k, v] : edges) {
    size_t n = 0;
    int q = 0;
    for (int c = 0; c <= 4; ++c) {
      n += v[c];
      if (v[c] > v[q]) q = c;
    }
    auto [x0, y0] = pos[k.first];
    auto [x1, y1] = pos[k.second];
    // Curved so that a -> b and b -> a do not overlap; the end stops at the target's circle.
    double dx = x1 - x0, dy = y1 - y0, len = std::max(1.0, std::hypot(dx, dy));
    double rt = radius(nodes[k.second].second) + 2;
    double ex = x1 - dx / len * rt, ey = y1 - dy / len * rt;
    double mx = (x0 + ex) / 2 - dy / len * 30, my = (y0 + ey) / 2 + dx / len * 30;
    char d[200];
    std::snprintf(d, sizeof d, "M%.1f,%.1f Q%.1f,%.1f %.1f,%.1f", x0, y0, mx, my, ex, ey);
    svg += "<path class=\"edge\" data-count=\"" + std::to_string(n) + "\" d=\"" + d +
           "\" fill=\"none\" stroke=\"" + kQuadColour[q] + "\" stroke-opacity=\"0.6\" stroke-width=\"" +
           std::to_string(1 + 5 * static_cast<double>(n) / static_cast<double>(heaviest)) +
           "\" marker-end=\"url(#arrow" + std::to_string(q) + ")\"><title>" +
           Esc(nodes[k.first].first) + " → " + Esc(nodes[k.second].first) + ": " +
           std::to_string(n) + "</title></path>\n";
    ++edges_out;
  }
  for (size_t i = 0; i < nodes.size(); ++i) {
    const auto& lab = labels[nodes[i].first];
    std::string label = nodes[i].first;
    size_t best = 0;
    for (const auto& [t, n] : lab)
      if (n > best) best = n, label = t;
    if (label != nodes[i].first) label += " (" + nodes[i].first + ")";
    auto [px, py] = pos[i];
    svg += "<g class=\"node\" data-count=\"" + std::to_string(nodes[i].second) + "\"><title>" +
           Esc(label) + ": " + std::to_string(nodes[i].second) + "</title><circle cx=\"" +
           std::to_string(px) + "\" cy=\"" + std::to_string(py) + "\" r=\"" +
           std::to_string(radius(nodes[i].second)) +
           "\" fill=\"#e5e7eb\" stroke=\"#374151\"/><text x=\"" + std::to_string(px) + "\" y=\"" +
           std::to_string(py + radius(nodes[i].second) + 12) +
           "\" text-anchor=\"middle\" class=\"nlabel\">" + Esc(label.substr(0, 40)) + "</text></g>\n";
  }
  svg += "</svg>";
  return svg;
}

// The table's script: rows from the embedded EVENTS array, 100 a page, sorted by a clicked
// header, filtered by a text box (every column) and a quad class. `#selftest` in the address
// runs a check of sorting and filtering and writes the result into #selftest (for the tests).
const char* kScript = R"JS(
(function () {
  var errors = [];
  window.addEventListener('error', function (e) {
    errors.push(String(e.message));
    document.getElementById('errors').textContent = errors.join('\n');
  });
  var COLS = ['date', 'source', 'type', 'target', 'place', 'doc', 'sentence'];
  var state = {sort: 'date', dir: 1, filter: '', quad: '', page: 0, size: 100};
  var body = document.getElementById('rows');
  function val(e, c) { return c === 'sentence' ? SENTS[e.s] : e[c]; }
  function visible() {
    var f = state.filter.toLowerCase();
    var out = EVENTS.filter(function (e) {
      if (state.quad !== '' && String(e.quad) !== state.quad) return false;
      if (!f) return true;
      for (var k in e) if (String(e[k]).toLowerCase().indexOf(f) >= 0) return true;
      return String(SENTS[e.s]).toLowerCase().indexOf(f) >= 0;
    });
    var c = state.sort, d = state.dir;
    out.sort(function (a, b) {
      var x = String(val(a, c) || ''), y = String(val(b, c) || '');
      if (x === y) return a.n - b.n;
      if (x === '') return 1;
      if (y === '') return -1;
      return x < y ? -d : d;
    });
    return out;
  }
  function cell(text, href) {
    var td = document.createElement('td');
    if (href) {
      var a = document.createElement('a');
      a.href = href;
      a.textContent = text;
      td.appendChild(a);
    } else {
      td.textContent = text;
    }
    return td;
  }
  function render() {
    var rows = visible();
    var pages = Math.max(1, Math.ceil(rows.length / state.size));
    state.page = Math.min(state.page, pages - 1);
    body.textContent = '';
    if (!rows.length) {
      var tr = document.createElement('tr');
      var td = cell(EVENTS.length ? 'no events match the filter' : 'no events found');
      td.colSpan = COLS.length;
      td.className = 'none';
      tr.appendChild(td);
      body.appendChild(tr);
    }
    rows.slice(state.page * state.size, (state.page + 1) * state.size).forEach(function (e) {
      var tr = document.createElement('tr');
      tr.className = 'q' + e.quad;
      tr.appendChild(cell(e.date));
      tr.appendChild(cell(e.source + (e.source_code ? ' [' + e.source_code + ']' : '')));
      tr.appendChild(cell(e.type + (e.cameo ? ' (' + e.cameo + ')' : '')));
      tr.appendChild(cell(e.target + (e.target_code ? ' [' + e.target_code + ']' : '')));
      tr.appendChild(cell(e.place));
      tr.appendChild(cell(e.doc, e.href));
      tr.appendChild(cell(SENTS[e.s] || e.trigger));
      body.appendChild(tr);
    });
    document.getElementById('count').textContent =
        rows.length + ' of ' + EVENTS.length + ' events and relations; page ' + (state.page + 1) +
        ' of ' + pages;
    document.querySelectorAll('th[data-col]').forEach(function (th) {
      th.className = th.dataset.col === state.sort ? (state.dir > 0 ? 'asc' : 'desc') : '';
    });
    return rows;
  }
  document.querySelectorAll('th[data-col]').forEach(function (th) {
    th.addEventListener('click', function () {
      state.dir = state.sort === th.dataset.col ? -state.dir : 1;
      state.sort = th.dataset.col;
      render();
    });
  });
  document.getElementById('filter').addEventListener('input', function (ev) {
    state.filter = ev.target.value;
    state.page = 0;
    render();
  });
  document.getElementById('quad').addEventListener('change', function (ev) {
    state.quad = ev.target.value;
    state.page = 0;
    render();
  });
  document.getElementById('prev').addEventListener('click', function () {
    if (state.page > 0) { state.page--; render(); }
  });
  document.getElementById('next').addEventListener('click', function () {
    state.page++;
    render();
  });
  var t0 = performance.now();
  render();
  document.getElementById('rendered').textContent = (performance.now() - t0).toFixed(1);
  document.getElementById('loaded').textContent = performance.now().toFixed(0);
  if (location.hash === '#selftest') {
    var r = {};
    document.querySelector('th[data-col="date"]').click();
    var dates = Array.prototype.map.call(body.querySelectorAll('tr'), function (tr) {
      return tr.cells[0] ? tr.cells[0].textContent : '';
    });
    r.first_page_rows = body.querySelectorAll('tr').length;
    var nonEmpty = dates.filter(function (d) { return d !== ''; });
    r.sorted_desc = nonEmpty.every(function (d, i) { return i === 0 || nonEmpty[i - 1] >= d; });
    document.querySelector('th[data-col="date"]').click();
    dates = Array.prototype.map.call(body.querySelectorAll('tr'), function (tr) {
      return tr.cells[0] ? tr.cells[0].textContent : '';
    }).filter(function (d) { return d !== ''; });
    r.sorted_asc = dates.every(function (d, i) { return i === 0 || dates[i - 1] <= d; });
    var box = document.getElementById('filter');
    box.value = SELFTEST_TERM;
    box.dispatchEvent(new Event('input'));
    r.filter_term = SELFTEST_TERM;
    r.filtered = visible().length;
    box.value = 'zzzz-no-such-thing';
    box.dispatchEvent(new Event('input'));
    r.no_match_text = body.textContent;
    box.value = '';
    box.dispatchEvent(new Event('input'));
    r.timeline_marks = document.querySelectorAll('#timeline .mark').length;
    r.graph_nodes = document.querySelectorAll('#graph .node').length;
    r.graph_edges = document.querySelectorAll('#graph .edge').length;
    r.errors = errors;
    document.getElementById('selftest').textContent = JSON.stringify(r);
  }
})();
)JS";

int Run(int argc, char** argv) {
  po::options_description desc(
      "usage: quarry report -o REPORT.html INPUT...\n\n"
      "One self-contained HTML page (no network: inline CSS, JS and SVG) over documents annotated\n"
      "by `quarry annotate` (INPUT: their .json files, or folders searched for them): a timeline\n"
      "of dated events coloured by CAMEO quad class, an actor graph, and an events table that\n"
      "sorts and filters in the page; plus a page per document with its highlights, written into\n"
      "REPORT_files/ beside it. A document's text is found from its id (the path it was\n"
      "annotated from) or a .txt beside its JSON, checked against its SHA-256.\n\n"
      "Exit status: 0 written; 1 written, but some inputs were not quarry JSON (each reported);\n"
      "2 bad usage or nothing to report.\n\noptions");
  std::string out;
  std::string title = "quarry report";
  std::vector<std::string> inputs;
  desc.add_options()("help,h", "show this help")("output,o", po::value(&out), "the page to write")(
      "title", po::value(&title), "the page's title");
  po::variables_map vm;
  if (int code = ParseOptions(argc, argv, desc, &inputs, vm); code >= 0) return code;
  if (out.empty() || inputs.empty()) {
    std::cerr << "quarry report: give -o REPORT.html and at least one INPUT (see --help)\n";
    return kExitUsage;
  }
  // The inputs, in a stable order.
  int failures = 0;
  std::vector<std::string> problems;
  std::vector<std::string> files = StandoffFiles(inputs, /*jsonl=*/false, problems);
  fs::path out_path(out);
  std::string report_name = out_path.filename().string();
  fs::path pages_dir = out_path.parent_path() / (out_path.stem().string() + "_files");
  std::vector<Doc> docs;
  for (const std::string& f : files) {
    std::vector<StandoffDoc> read;
    ReadStandoffFile(f, read, problems);
    for (StandoffDoc& s : read) {
      Doc d;
      static_cast<StandoffDoc&>(d) = std::move(s);
      FindText(d, fs::path(f).replace_extension(".txt").string());
      d.page = pages_dir.filename().string() + "/doc" + std::to_string(docs.size() + 1) + ".html";
      docs.push_back(std::move(d));
    }
  }
  for (const std::string& p : problems) std::cerr << "quarry report: " << p << "\n";
  failures += static_cast<int>(problems.size());
  if (docs.empty()) {
    std::cerr << "quarry report: no annotated documents among the inputs\n";
    return kExitUsage;
  }

  // Events and relations, with their actors, place, date and sentence.
  std::vector<Event> events;
  for (size_t di = 0; di < docs.size(); ++di) {
    const Doc& d = docs[di];
    std::map<std::string, const json*> by_id;
    for (const char* layer : {"entities", "timexes", "events", "relations", "other"})
      if (d.j.contains(layer))
        for (const json& a : d.j[layer]) by_id[a.value("id", "")] = &a;
    for (const char* layer : {"events", "relations"}) {
      if (!d.j.contains(layer)) continue;
      const bool is_event = std::string(layer) == "events";
      for (const json& a : d.j[layer]) {
        Event e;
        e.doc = di;
        e.id = a.value("id", "");
        e.layer = is_event ? "event" : "relation";
        e.type = a.value("type", "");
        e.cameo = a.value("cameo", "");
        e.label = a.value("label", "");
        e.date = a.value("date", "");
        e.date_source = a.value("date_source", "");
        e.trigger = a.value("text", "");
        e.quad = is_event && a.contains("quad_class") && a["quad_class"].is_number_integer()
                     ? std::clamp(a["quad_class"].get<int>(), 0, 4)
                     : 0;
        if (a.contains("args")) {
          for (const json& g : a["args"]) {
            std::string role = g.value("role", "");
            std::string text = g.value("text", "");
            const json* ref = nullptr;
            if (auto it = by_id.find(g.value("ref", "")); it != by_id.end()) ref = it->second;
            auto code = [&] {
              if (!ref) return std::string();
              std::string c = ref->value("code", "");
              return c.empty() ? ref->value("cameo", "") : c;
            };
            if (e.source.empty() && role == (is_event ? "source" : "subject")) {
              e.source = text;
              e.source_code = is_event ? a.value("source_code", code()) : code();
            } else if (e.target.empty() && role == (is_event ? "target" : "object")) {
              e.target = text;
              e.target_code = is_event ? a.value("target_code", code()) : code();
            } else if (e.place.empty() && role == "place") {
              e.place = text;
            }
          }
        }
        if (a.contains("utf8") && a["utf8"].is_array() && !a["utf8"].empty() &&
            a["utf8"][0].is_number_unsigned())
          e.sentence = SentenceAt(d, a["utf8"][0].get<uint64_t>());
        e.dated = is_event && !e.date.empty() && DayRange(e.date, e.first, e.last);
        events.push_back(std::move(e));
      }
    }
  }

  size_t marks = 0, nodes = 0, edges = 0;
  std::string timeline = Timeline(events, docs, marks);
  std::string graph = Graph(events, nodes, edges);
  // The table's rows; sentences, shared by the events of one sentence, are stored once.
  json rows = json::array();
  json sents = json::array();
  std::map<std::string, size_t> sentence_index;
  std::map<std::string, size_t> terms;  // a common actor text, for the self-test's filter
  for (size_t i = 0; i < events.size(); ++i) {
    const Event& e = events[i];
    auto [it, fresh] = sentence_index.emplace(e.sentence, sents.size());
    if (fresh) sents.push_back(e.sentence);
    rows.push_back({{"n", i}, {"date", e.date}, {"source", e.source}, {"source_code", e.source_code},
                    {"type", e.type}, {"cameo", e.cameo}, {"target", e.target},
                    {"target_code", e.target_code}, {"place", e.place}, {"doc", docs[e.doc].id},
                    {"href", docs[e.doc].page + "#" + e.id}, {"s", it->second},
                    {"trigger", e.trigger}, {"quad", e.quad}, {"layer", e.layer}});
    if (!e.source.empty()) ++terms[e.source];
  }
  // The self-test's filter term: the most frequent source (the first by name among equals) that
  // the page's filter (every field of a row and its sentence, case-insensitively) finds in some
  // rows but not all ("US" is in every "corpus/..." path). Candidates are tried from the most
  // frequent down, so the rows are searched for one or two terms, not for every source.
  auto lower_ascii = [](std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
  };
  std::vector<std::string> hay;
  hay.reserve(rows.size());
  for (const json& r : rows) {
    std::string h = sents[r["s"].get<size_t>()].get<std::string>();
    for (const auto& [k, v] : r.items()) h += "\x1f" + (v.is_string() ? v.get<std::string>() : v.dump());
    hay.push_back(lower_ascii(std::move(h)));
  }
  std::vector<std::pair<size_t, std::string>> by_count;
  for (const auto& [t, n] : terms) by_count.emplace_back(n, t);
  std::stable_sort(by_count.begin(), by_count.end(),
                   [](const auto& x, const auto& y) { return x.first > y.first; });
  std::string term;
  for (const auto& [n, t] : by_count) {
    std::string low = lower_ascii(t);
    size_t hits = 0;
    for (const std::string& h : hay) hits += h.find(low) != std::string::npos;
    if (hits > 0 && hits < hay.size()) {
      term = t;
      break;
    }
  }

  size_t dated = 0, relations = 0;
  for (const Event& e : events) dated += e.dated, relations += e.layer == "relation";
  std::string legend;
  for (int q = 1; q <= 4; ++q)
    legend += "<span><i style=\"background:" + std::string(kQuadColour[q]) + "\"></i>" +
              kQuadName[q] + "</span>";
  std::string page =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + Esc(title) +
      "</title>\n<style>\n"
      "body{font:15px/1.5 system-ui,sans-serif;margin:1.5em auto;max-width:70em;padding:0 1em;color:#222}\n"
      "h1{margin-bottom:.2em}.summary{color:#444}.none{color:#666;font-style:italic}\n"
      "svg text{font:11px sans-serif;fill:#333}.legend span{margin-right:1em}\n"
      ".legend i{display:inline-block;width:.8em;height:.8em;margin-right:.3em;border-radius:50%}\n"
      "table{border-collapse:collapse;width:100%;font-size:13px}td,th{border:1px solid #ddd;padding:.25em .4em;vertical-align:top;text-align:left}\n"
      "th{cursor:pointer;background:#f3f4f6;user-select:none}th.asc::after{content:' \\25B2'}th.desc::after{content:' \\25BC'}\n"
      "tr.q1 td:first-child{border-left:4px solid #2563eb}tr.q2 td:first-child{border-left:4px solid #16a34a}\n"
      "tr.q3 td:first-child{border-left:4px solid #d97706}tr.q4 td:first-child{border-left:4px solid #dc2626}\n"
      ".controls{margin:.5em 0}.controls input{width:20em}#errors{color:#b91c1c}\n"
      "</style></head><body>\n<h1>" + Esc(title) + "</h1>\n<p class=\"summary\">" +
      std::to_string(docs.size()) + " documents, " + std::to_string(events.size() - relations) +
      " events (" + std::to_string(dated) + " dated), " + std::to_string(relations) +
      " relations.</p>\n<p class=\"legend\">" + legend + "</p>\n<h2>Timeline</h2>\n" + timeline +
      "\n<h2>Actors</h2>\n" + graph +
      "\n<h2>Events and relations</h2>\n<div class=\"controls\"><input id=\"filter\" "
      "type=\"search\" placeholder=\"filter (any column)\"> <select id=\"quad\"><option value=\"\">"
      "all quad classes</option><option value=\"1\">verbal cooperation</option><option value=\"2\">"
      "material cooperation</option><option value=\"3\">verbal conflict</option><option value=\"4\">"
      "material conflict</option><option value=\"0\">relations / uncoded</option></select> "
      "<button id=\"prev\">&larr;</button> <button id=\"next\">&rarr;</button> <span id=\"count\">"
      "</span></div>\n<table><thead><tr><th data-col=\"date\">date</th><th data-col=\"source\">"
      "source</th><th data-col=\"type\">event</th><th data-col=\"target\">target</th><th "
      "data-col=\"place\">place</th><th data-col=\"doc\">document</th><th data-col=\"sentence\">"
      "sentence</th></tr></thead><tbody id=\"rows\"></tbody></table>\n<h2>Documents</h2>\n<ul>\n";
  for (const Doc& d : docs)
    page += "<li><a href=\"" + Esc(d.page) + "\">" + Esc(d.id) + "</a>" +
            (d.dct.empty() ? "" : " (" + Esc(d.dct) + ")") + "</li>\n";
  page += "</ul>\n<p class=\"summary\">Table rendered in <span id=\"rendered\"></span> ms; page ready "
          "<span id=\"loaded\"></span> ms after it was opened.</p>\n"
          "<pre id=\"errors\"></pre><pre id=\"selftest\"></pre>\n<script>\nvar EVENTS = " +
          ScriptJson(rows) + ";\nvar SENTS = " + ScriptJson(sents) + ";\nvar SELFTEST_TERM = " + ScriptJson(json(term)) + ";\n" + kScript +
          "</script>\n</body></html>\n";

  std::string error;
  for (const Doc& d : docs) {
    if (!WriteText(out_path.parent_path() / d.page, DocPage(d, report_name), error)) {
      std::cerr << "quarry report: " << error << "\n";
      return kExitFailed;
    }
  }
  if (!WriteText(out_path, page, error)) {
    std::cerr << "quarry report: " << error << "\n";
    return kExitFailed;
  }
  std::cerr << "quarry report: " << out << ": " << docs.size() << " documents, "
            << events.size() << " events and relations, " << marks << " timeline marks, "
            << nodes << " actors, " << edges << " edges; " << page.size() / 1024 << " KiB\n";
  return failures ? kExitFailed : kExitOk;
}

}  // namespace

QUARRY_COMMAND("report", "one HTML page over annotated documents: timeline, actor graph, events",
               Run);

}  // namespace quarry::cli
