// tools/diff.cc: `quarry diff BEFORE AFTER`: what changed between two runs of `quarry annotate`
// (before and after a change to the rules, gazetteers or code), per layer and type and grouped
// by the rule or stage that produced each annotation, with the sentence. Exit 1 when they differ,
// so that a rule set is regression-tested by diffing against a kept run.
// Uses only the public API and nlohmann/json.
#include <algorithm>
#include <cstdio>
#include <boost/program_options.hpp>
#include <filesystem>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "command.h"
#include "quarry/quarry.h"
#include "standoff.h"

namespace quarry::cli {
namespace {

namespace po = boost::program_options;
namespace fs = std::filesystem;
using nlohmann::json;

constexpr const char* kLayers[] = {"entities", "timexes", "events", "relations", "other"};

// One annotation, reduced to what a comparison needs.
struct Item {
  std::string layer, type, text;
  json span;          // [begin, end) in UTF-8 bytes ("utf8"), else the unit span
  std::string key;    // layer, type and span: the identity of an annotation across runs
  json body;          // the rest: features, prov, args (by the key of their target)
  std::string canon;  // body, serialized (nlohmann's objects are sorted by key): for comparing
  std::string rule;   // the rule, else the producing stage: what the change is grouped by
  json j;
};

// A document's annotations, by identity key (a key may hold several: two events on one
// trigger).
struct Side {
  const StandoffDoc* doc = nullptr;
  std::map<std::string, std::vector<Item>> items;
};

std::string SpanString(const json& span) {
  if (!span.is_array() || span.size() != 2) return "?";
  return "[" + span[0].dump() + "," + span[1].dump() + ")";
}

Side Collect(const StandoffDoc& d, const std::set<std::string>& layers,
             const std::set<std::string>& types, const std::set<std::string>& ignore) {
  Side side;
  side.doc = &d;
  // Keys of every annotation by id, for the arguments (ids are numbered per run, keys are not).
  std::map<std::string, std::string> key_of;
  auto key = [](const std::string& layer, const json& a) {
    const json& span = a.contains("utf8") ? a["utf8"] : a.value("span", json());
    return layer + " " + a.value("type", "") + " " + SpanString(span);
  };
  for (const char* layer : kLayers) {
    if (!d.j.contains(layer) || !d.j[layer].is_array()) continue;
    for (const json& a : d.j[layer])
      if (a.is_object()) key_of[a.value("id", "")] = key(layer, a);
  }
  for (const char* layer : kLayers) {
    if (!layers.empty() && !layers.count(layer)) continue;
    if (!d.j.contains(layer) || !d.j[layer].is_array()) continue;
    for (const json& a : d.j[layer]) {
      if (!a.is_object()) continue;
      Item it;
      it.layer = layer;
      it.type = a.value("type", "");
      if (!types.empty() && !types.count(it.type)) continue;
      it.text = a.value("text", "");
      it.span = a.contains("utf8") ? a["utf8"] : a.value("span", json());
      it.key = key(layer, a);
      json body = a;
      for (const char* k : {"id", "type", "span", "utf8", "text"}) body.erase(k);
      if (body.contains("args") && body["args"].is_array()) {
        for (json& g : body["args"]) {
          if (!g.is_object()) continue;
          if (g.contains("ref") && g["ref"].is_string()) {
            auto f = key_of.find(g["ref"].get<std::string>());
            g["ref"] = f != key_of.end() ? f->second : "?";
          }
        }
      }
      if (body.contains("prov") && body["prov"].is_object()) {
        const json& p = body["prov"];
        it.rule = p.value("rule", "");
        if (it.rule.empty()) it.rule = p.value("source", "");
        // A rule's line moves whenever the file is edited above it: not a change.
        body["prov"].erase("line");
      }
      if (it.rule.empty()) it.rule = "(unknown)";
      for (const std::string& k : ignore) body.erase(k);
      it.canon = body.dump();
      it.body = std::move(body);
      it.j = a;
      side.items[it.key].push_back(std::move(it));
    }
  }
  return side;
}

// The sentence around a span (from the document's sentence layer and text), else a window of
// the text; "" without the text.
std::string Context(const StandoffDoc& d, const json& span) {
  if (!d.has_text || !span.is_array() || span.size() != 2 || !span[0].is_number_unsigned())
    return "";
  uint64_t b = span[0].get<uint64_t>();
  std::string s = SentenceAt(d, b);
  if (s.empty()) {
    uint64_t lo = b > 80 ? b - 80 : 0;
    uint64_t hi = std::min<uint64_t>(d.text.size(), b + 80);
    // Whole characters only.
    while (lo > 0 && (static_cast<unsigned char>(d.text[lo]) & 0xC0) == 0x80) --lo;
    while (hi < d.text.size() && (static_cast<unsigned char>(d.text[hi]) & 0xC0) == 0x80) ++hi;
    s = (lo > 0 ? "..." : "") + d.text.substr(lo, hi - lo) + (hi < d.text.size() ? "..." : "");
  }
  for (char& c : s)
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  return s;
}

struct Change {
  char kind;  // '+' added, '-' removed, '~' changed
  const Item* before = nullptr;
  const Item* after = nullptr;
  const Item& item() const { return after ? *after : *before; }
};

// What differs between two bodies, as "name: old -> new" for each top-level field.
std::string Delta(const Item& a, const Item& b) {
  const json &x = a.body, &y = b.body;
  std::string out;
  std::set<std::string> names;
  for (auto& [k, v] : x.items()) names.insert(k);
  for (auto& [k, v] : y.items()) names.insert(k);
  for (const std::string& k : names) {
    std::string u = x.contains(k) ? x[k].dump() : "(none)";
    std::string w = y.contains(k) ? y[k].dump() : "(none)";
    if (u == w) continue;
    if (!out.empty()) out += "; ";
    out += k + ": " + u + " -> " + w;
  }
  return out;
}

struct Counts {
  size_t added = 0, removed = 0, changed = 0;
};

int Run(int argc, char** argv) {
  po::options_description desc(
      "usage: quarry diff [OPTIONS] BEFORE AFTER\n\n"
      "Compares two runs of `quarry annotate` (before and after a change to rules, gazetteers\n"
      "or code). BEFORE and AFTER are each a folder (searched for *.json and *.jsonl), a .json\n"
      "file or a .jsonl file. Documents are paired by document id. An annotation is the same\n"
      "in both runs when its layer, type and span agree; it is changed when its features,\n"
      "arguments (compared by what they point at, not by id) or provenance differ (a rule's\n"
      "line number is not compared). Prints, per document, the added (+), removed (-) and\n"
      "changed (~) annotations grouped by the rule or stage that produced them, each with its\n"
      "sentence when the document's text is found (from its id or a .txt beside its JSON),\n"
      "then totals per layer and type and per rule.\n\n"
      "Exit status: 0 the runs agree; 1 they differ (or a document is in one run only);\n"
      "2 bad usage or unreadable input.\n\noptions");
  std::string layers_opt, types_opt, ignore_opt;
  size_t max_lines = 0;
  bool json_out = false, quiet = false, no_context = false;
  std::vector<std::string> inputs;
  desc.add_options()("help,h", "show this help")(
      "layers", po::value(&layers_opt),
      "compare only these layers (comma-separated: entities, timexes, events, relations, "
      "other)")("types", po::value(&types_opt), "compare only these types (comma-separated)")(
      "ignore", po::value(&ignore_opt),
      "fields left out of the comparison (comma-separated, e.g. date,prov)")(
      "max", po::value(&max_lines), "list at most this many changes per document (0: all)")(
      "no-context", po::bool_switch(&no_context), "do not print the sentences")(
      "quiet,q", po::bool_switch(&quiet), "print only the totals")(
      "json", po::bool_switch(&json_out), "print the comparison as JSON");
  po::variables_map vm;
  if (int code = ParseOptions(argc, argv, desc, &inputs, vm); code >= 0) return code;
  if (inputs.size() != 2) {
    std::cerr << "quarry diff: give BEFORE and AFTER (see --help)\n";
    return kExitUsage;
  }
  std::set<std::string> layers, types, ignore;
  for (const std::string& l : SplitList(layers_opt)) {
    if (std::find(std::begin(kLayers), std::end(kLayers), l) == std::end(kLayers)) {
      std::cerr << "quarry diff: --layers: unknown layer '" << l
                << "' (entities, timexes, events, relations, other)\n";
      return kExitUsage;
    }
    layers.insert(l);
  }
  for (const std::string& t : SplitList(types_opt)) types.insert(t);
  for (const std::string& f : SplitList(ignore_opt)) ignore.insert(f);

  // Both runs, each document by id.
  std::vector<StandoffDoc> runs[2];
  std::map<std::string, size_t> by_id[2];
  for (int r = 0; r < 2; ++r) {
    std::vector<std::string> problems;
    std::vector<std::string> files = StandoffFiles({inputs[r]}, /*jsonl=*/true, problems);
    for (const std::string& f : files) ReadStandoffFile(f, runs[r], problems);
    if (!problems.empty()) {
      for (const std::string& p : problems) std::cerr << "quarry diff: " << p << "\n";
      return kExitUsage;
    }
    for (size_t i = 0; i < runs[r].size(); ++i) {
      if (!by_id[r].emplace(runs[r][i].id, i).second) {
        std::cerr << "quarry diff: " << runs[r][i].file << ": document id '" << runs[r][i].id
                  << "' is also in " << runs[r][by_id[r][runs[r][i].id]].file
                  << " (ids must be unique within a run)\n";
        return kExitUsage;
      }
    }
  }

  std::set<std::string> ids;
  for (int r = 0; r < 2; ++r)
    for (const auto& [id, i] : by_id[r]) ids.insert(id);
  std::map<std::string, Counts> per_type, per_rule;
  Counts total;
  size_t only_before = 0, only_after = 0, docs_changed = 0;
  json out_docs = json::array();
  std::ostringstream text;
  for (const std::string& id : ids) {
    auto b = by_id[0].find(id), a = by_id[1].find(id);
    if (b == by_id[0].end() || a == by_id[1].end()) {
      bool before = a == by_id[1].end();
      (before ? only_before : only_after)++;
      text << "== " << id << ": only in " << (before ? "BEFORE" : "AFTER") << "\n";
      out_docs.push_back({{"id", id}, {"only_in", before ? "before" : "after"}});
      continue;
    }
    // A field of an unexpected JSON type (a hand-edited file) is bad input, said with its file.
    Side sb, sa;
    for (int r = 0; r < 2; ++r) {
      const StandoffDoc& d = runs[r][(r == 0 ? b : a)->second];
      try {
        (r == 0 ? sb : sa) = Collect(d, layers, types, ignore);
      } catch (const json::exception& e) {
        std::cerr << "quarry diff: " << d.file << ": malformed annotation (" << e.what() << ")\n";
        return kExitUsage;
      }
    }
    std::vector<Change> changes;
    std::set<std::string> keys;
    for (const auto& [k, v] : sb.items) keys.insert(k);
    for (const auto& [k, v] : sa.items) keys.insert(k);
    for (const std::string& k : keys) {
      static const std::vector<Item> none;
      auto fb = sb.items.find(k), fa = sa.items.find(k);
      const std::vector<Item>& vb = fb != sb.items.end() ? fb->second : none;
      const std::vector<Item>& va = fa != sa.items.end() ? fa->second : none;
      // Identical bodies pair first; what is left pairs in order as changed; the rest is
      // added or removed.
      std::vector<bool> used_a(va.size(), false);
      std::vector<const Item*> left_b;
      for (const Item& x : vb) {
        bool found = false;
        for (size_t j = 0; j < va.size() && !found; ++j)
          if (!used_a[j] && va[j].canon == x.canon) used_a[j] = found = true;
        if (!found) left_b.push_back(&x);
      }
      std::vector<const Item*> left_a;
      for (size_t j = 0; j < va.size(); ++j)
        if (!used_a[j]) left_a.push_back(&va[j]);
      size_t n = std::min(left_b.size(), left_a.size());
      for (size_t i = 0; i < n; ++i) changes.push_back({'~', left_b[i], left_a[i]});
      for (size_t i = n; i < left_b.size(); ++i) changes.push_back({'-', left_b[i], nullptr});
      for (size_t i = n; i < left_a.size(); ++i) changes.push_back({'+', nullptr, left_a[i]});
    }
    if (changes.empty()) continue;
    ++docs_changed;
    // The texts (read and checked by SHA-256) only of the documents that changed.
    if (!no_context) {
      for (StandoffDoc* d : {&runs[0][b->second], &runs[1][a->second]}) {
        bool json_file = d->file.ends_with(".json");
        FindText(*d, json_file ? fs::path(d->file).replace_extension(".txt").string() : "");
      }
    }
    // Grouped by rule, in text order within a group.
    std::stable_sort(changes.begin(), changes.end(), [](const Change& x, const Change& y) {
      return x.item().rule < y.item().rule;
    });
    text << "== " << id << "\n";
    json jd = {{"id", id}, {"changes", json::array()}};
    std::string group;
    size_t listed = 0;
    for (const Change& c : changes) {
      const Item& it = c.item();
      Counts& ct = per_type[it.layer + " " + it.type];
      Counts& cr = per_rule[it.rule];
      for (Counts* k : {&ct, &cr, &total})
        (c.kind == '+' ? k->added : c.kind == '-' ? k->removed : k->changed)++;
      const StandoffDoc& d = c.after ? *sa.doc : *sb.doc;
      std::string ctx = no_context ? "" : Context(d, it.span);
      json jc = {{"kind", c.kind == '+' ? "added" : c.kind == '-' ? "removed" : "changed"},
                 {"layer", it.layer}, {"type", it.type}, {"span", it.span},
                 {"text", it.text}, {"rule", it.rule}};
      std::string delta = c.kind == '~' ? Delta(*c.before, *c.after) : "";
      if (c.kind == '~') jc["delta"] = delta;
      if (c.before) jc["before"] = c.before->j;
      if (c.after) jc["after"] = c.after->j;
      if (!ctx.empty()) jc["sentence"] = ctx;
      jd["changes"].push_back(std::move(jc));
      if (max_lines && listed >= max_lines) continue;
      ++listed;
      if (it.rule != group) {
        group = it.rule;
        text << "  " << group << "\n";
      }
      text << "    " << c.kind << " " << it.layer << " " << it.type << " '" << it.text << "' "
           << SpanString(it.span) << "\n";
      if (c.kind == '~') text << "        " << delta << "\n";
      if (!ctx.empty()) text << "        | " << ctx << "\n";
    }
    if (max_lines && changes.size() > max_lines)
      text << "    ... " << changes.size() - max_lines << " more\n";
    out_docs.push_back(std::move(jd));
  }

  bool differ = total.added + total.removed + total.changed + only_before + only_after > 0;
  if (json_out) {
    json j = {{"documents", {{"before", runs[0].size()}, {"after", runs[1].size()},
                             {"changed", docs_changed}, {"only_before", only_before},
                             {"only_after", only_after}}},
              {"added", total.added}, {"removed", total.removed}, {"changed", total.changed},
              {"by_type", json::object()}, {"by_rule", json::object()}, {"docs", out_docs}};
    for (const auto& [k, c] : per_type)
      j["by_type"][k] = {{"added", c.added}, {"removed", c.removed}, {"changed", c.changed}};
    for (const auto& [k, c] : per_rule)
      j["by_rule"][k] = {{"added", c.added}, {"removed", c.removed}, {"changed", c.changed}};
    std::cout << j.dump(1) << "\n";
    return differ ? kExitFailed : kExitOk;
  }
  if (!quiet) std::cout << text.str();
  auto table = [&](const char* title, const std::map<std::string, Counts>& m) {
    if (m.empty()) return;
    std::printf("%-40s %8s %8s %8s\n", title, "added", "removed", "changed");
    for (const auto& [k, c] : m)
      std::printf("%-40s %8zu %8zu %8zu\n", k.c_str(), c.added, c.removed, c.changed);
  };
  table("layer type", per_type);
  table("rule or stage", per_rule);
  std::printf(
      "%zu documents before, %zu after: %zu changed, %zu only before, %zu only after; "
      "%zu added, %zu removed, %zu changed annotations\n",
      runs[0].size(), runs[1].size(), docs_changed, only_before, only_after, total.added,
      total.removed, total.changed);
  return differ ? kExitFailed : kExitOk;
}

QUARRY_COMMAND("diff", "compare two runs of annotate: added, removed, changed annotations", Run);

}  // namespace
}  // namespace quarry::cli
