// io/eval.cc: reading stand-off JSON and scoring layers (see eval.h).
#include "io/eval.h"

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>

namespace quarry::internal {
namespace {

const char* kLayers[] = {"entities", "timexes", "events", "relations", "other"};

std::string Scalar(const nlohmann::json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  if (v.is_number_integer()) return std::to_string(v.get<int64_t>());
  if (v.is_number()) return v.dump();
  return "";
}

std::string Describe(const StandoffItem& it) {
  std::string s = "[" + std::to_string(it.begin) + "," + std::to_string(it.end) + ") " + it.type +
                  " '" + it.text + "'";
  for (const char* f : {"entity", "value"}) {
    if (auto x = it.features.find(f); x != it.features.end())
      s += " " + std::string(f) + "=" + x->second;
  }
  if (!it.rule.empty()) s += "  [rule " + it.rule + "]";
  return s;
}

}  // namespace

Result<StandoffDoc> ReadStandoff(const std::string& text, const std::string& name) {
  StandoffDoc d;
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    return Status(StatusCode::kParseError,
                  name + ": invalid JSON at byte " + std::to_string(e.byte) + ": " + e.what());
  }
  if (!j.is_object()) return Status(StatusCode::kParseError, name + ": not a JSON object");
  if (j.contains("schema") && j["schema"] != "quarry.standoff/1") {
    return Status(StatusCode::kParseError,
                  name + ": schema is " + j["schema"].dump() + ", expected \"quarry.standoff/1\"");
  }
  if (j.contains("document") && j["document"].is_object()) {
    d.id = j["document"].value("id", "");
    d.sha256 = j["document"].value("sha256", "");
  }
  d.unit = j.contains("offsets") && j["offsets"].is_object()
               ? j["offsets"].value("unit", "codepoint")
               : "codepoint";
  bool all_utf8 = true;
  for (const char* layer : kLayers) {
    if (!j.contains(layer)) continue;
    const auto& arr = j[layer];
    if (!arr.is_array())
      return Status(StatusCode::kParseError, name + ": \"" + layer + "\" is not an array");
    auto& out = d.layers[layer];
    for (size_t i = 0; i < arr.size(); ++i) {
      const auto& a = arr[i];
      std::string where = name + ": " + layer + "[" + std::to_string(i) + "]";
      if (!a.is_object() || !a.contains("type") || !a["type"].is_string() || !a.contains("span") ||
          !a["span"].is_array() || a["span"].size() != 2) {
        return Status(StatusCode::kParseError,
                      where + ": needs a string \"type\" and a \"span\" [begin, end]");
      }
      StandoffItem it;
      it.type = a["type"].get<std::string>();
      it.text = a.value("text", "");
      try {
        it.begin = a["span"][0].get<uint64_t>();
        it.end = a["span"][1].get<uint64_t>();
        if (a.contains("utf8") && a["utf8"].is_array() && a["utf8"].size() == 2) {
          it.features["__b8"] = std::to_string(a["utf8"][0].get<uint64_t>());
          it.features["__e8"] = std::to_string(a["utf8"][1].get<uint64_t>());
        } else {
          all_utf8 = false;
        }
      } catch (const nlohmann::json::exception&) {
        return Status(StatusCode::kParseError,
                      where + ": span offsets must be non-negative integers");
      }
      if (it.end < it.begin)
        return Status(StatusCode::kParseError, where + ": span ends before it begins");
      if (a.contains("prov") && a["prov"].is_object()) {
        const auto& p = a["prov"];
        if (p.contains("rule") && p["rule"].is_string() && !p["rule"].get<std::string>().empty()) {
          it.rule = p["rule"].get<std::string>();
          if (p.contains("file") && p["file"].is_string()) {
            it.rule += " (" + p["file"].get<std::string>();
            if (p.contains("line") && p["line"].is_number_unsigned())
              it.rule += ":" + std::to_string(p["line"].get<uint64_t>());
            it.rule += ")";
          }
        }
      }
      // Arguments compare as features "arg.ROLE" (their text; several of one role joined by
      // " | " in order), so `--features arg.agent,arg.target` scores them on exact matches.
      if (a.contains("args") && a["args"].is_array()) {
        for (const auto& arg : a["args"]) {
          if (!arg.is_object() || !arg.contains("role") || !arg["role"].is_string()) continue;
          std::string& v = it.features["arg." + arg["role"].get<std::string>()];
          std::string text = arg.contains("text") && arg["text"].is_string() ? arg["text"].get<std::string>() : "";
          v += (v.empty() ? "" : " | ") + text;
        }
      }
      for (auto f = a.begin(); f != a.end(); ++f) {
        if (f.key() == "id" || f.key() == "type" || f.key() == "span" || f.key() == "utf8" ||
            f.key() == "text" || f.key() == "prov" || f.key() == "args")
          continue;
        if (f->is_primitive()) it.features[f.key()] = Scalar(*f);
      }
      out.push_back(std::move(it));
    }
  }
  if (all_utf8) {
    d.utf8 = true;
    for (auto& [l, items] : d.layers) {
      for (auto& it : items) {
        it.begin = std::stoull(it.features["__b8"]);
        it.end = std::stoull(it.features["__e8"]);
      }
    }
  }
  for (auto& [l, items] : d.layers) {
    for (auto& it : items) {
      it.features.erase("__b8");
      it.features.erase("__e8");
    }
  }
  return d;
}

namespace {

// Argument texts agree when one contains the other (case and a leading "the" aside): the gold
// may mark "Taliban" where the system's actor is "the Taliban", or "Iran" inside "Iranian
// officials". Several arguments of a role ("A | B") agree when any pair does.
bool ArgsAgree(const std::string& gold, const std::string& sys) {
  auto norm = [](std::string_view s) {
    std::string out;
    for (char c : s) out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    if (out.starts_with("the ")) out.erase(0, 4);
    return out;
  };
  auto split = [](const std::string& s) {
    std::vector<std::string> parts;
    size_t b = 0;
    while (true) {
      size_t e = s.find(" | ", b);
      parts.push_back(s.substr(b, e == std::string::npos ? std::string::npos : e - b));
      if (e == std::string::npos) break;
      b = e + 3;
    }
    return parts;
  };
  for (const std::string& g : split(gold))
    for (const std::string& x : split(sys)) {
      std::string a = norm(g), b = norm(x);
      if (!a.empty() && !b.empty() && (a.find(b) != std::string::npos || b.find(a) != std::string::npos))
        return true;
    }
  return false;
}

}  // namespace

Status Score(const StandoffDoc& gold, const StandoffDoc& sys, const EvalOptions& options,
             EvalReport& report) {
  if (!gold.sha256.empty() && !sys.sha256.empty() && gold.sha256 != sys.sha256) {
    return Status(
        StatusCode::kInvalidArgument,
        "gold and system annotate different texts (sha256 differs) for document '" + gold.id + "'");
  }
  if (gold.utf8 != sys.utf8 || (!gold.utf8 && gold.unit != sys.unit)) {
    return Status(StatusCode::kInvalidArgument,
                  "cannot compare spans of document '" + gold.id +
                      "': give both files \"utf8\" spans or the same offset unit");
  }
  ++report.documents;
  static const std::vector<StandoffItem> kNone;
  auto wanted_type = [&](const StandoffItem& it) {
    return options.types.empty() ||
           std::find(options.types.begin(), options.types.end(), it.type) != options.types.end();
  };
  auto wanted_system = [&](const StandoffItem& it) {
    if (!wanted_type(it)) return false;
    for (const auto& [k, v] : options.where) {
      auto f = it.features.find(k);
      if (f == it.features.end() || f->second != v) return false;
    }
    return true;
  };
  for (const auto& [layer, all_gitems] : gold.layers) {
    LayerScore& ls = report.layers[layer];
    auto sit = sys.layers.find(layer);
    const auto& all_sitems = sit == sys.layers.end() ? kNone : sit->second;
    std::vector<StandoffItem> gitems, sitems;
    for (const auto& it : all_gitems)
      if (wanted_type(it)) gitems.push_back(it);
    for (const auto& it : all_sitems)
      if (wanted_system(it)) sitems.push_back(it);
    std::vector<bool> g_exact(gitems.size()), s_exact(sitems.size());
    std::vector<bool> g_over(gitems.size()), s_over(sitems.size());
    std::vector<int> exact_of(gitems.size(), -1);
    // Exact: same span and type.
    for (size_t g = 0; g < gitems.size(); ++g) {
      for (size_t s = 0; s < sitems.size(); ++s) {
        if (s_exact[s] || sitems[s].begin != gitems[g].begin || sitems[s].end != gitems[g].end ||
            sitems[s].type != gitems[g].type)
          continue;
        g_exact[g] = s_exact[s] = true;
        exact_of[g] = static_cast<int>(s);
        break;
      }
    }
    // Overlap: exact pairs first, then any overlap with the same type.
    g_over = g_exact;
    s_over = s_exact;
    for (size_t g = 0; g < gitems.size(); ++g) {
      if (g_over[g]) continue;
      for (size_t s = 0; s < sitems.size(); ++s) {
        if (s_over[s] || sitems[s].type != gitems[g].type) continue;
        if (sitems[s].begin < gitems[g].end && gitems[g].begin < sitems[s].end) {
          g_over[g] = s_over[s] = true;
          break;
        }
      }
    }
    auto count = [&](std::map<std::string, Counts>& m, const std::string& type, int what) {
      for (const std::string& k : {type, std::string()}) {
        if (what == 0) ++m[k].tp;
        if (what == 1) ++m[k].fp;
        if (what == 2) ++m[k].fn;
      }
    };
    auto add_diff = [&](std::string line) {
      if (ls.diff.size() < options.max_diff) ls.diff.push_back(gold.id + ": " + std::move(line));
    };
    for (size_t g = 0; g < gitems.size(); ++g) {
      const StandoffItem& gi = gitems[g];
      count(ls.exact, gi.type, g_exact[g] ? 0 : 2);
      count(ls.overlap, gi.type, g_over[g] ? 0 : 2);
      bool strict = g_exact[g];
      if (g_exact[g]) {
        const StandoffItem& si = sitems[exact_of[g]];
        for (const std::string& f : options.features) {
          auto gf = gi.features.find(f);
          if (gf == gi.features.end()) continue;
          auto sf = si.features.find(f);
          bool agree = sf != si.features.end() && sf->second == gf->second;
          if (!agree && sf != si.features.end() && f.starts_with("arg.")) agree = ArgsAgree(gf->second, sf->second);
          auto& fa = ls.feature[f];
          ++fa.second;
          if (agree) {
            ++fa.first;
          } else {
            strict = false;
            add_diff("WRONG " + f + ": " + Describe(gi) + " system " + f + "=" +
                     (sf == si.features.end() ? "(none)" : sf->second) +
                     (si.rule.empty() ? "" : "  [rule " + si.rule + "]"));
          }
        }
      } else {
        add_diff("MISS  " + Describe(gi));
      }
      count(ls.strict, gi.type, strict ? 0 : 2);
      if (g_exact[g] && !strict) count(ls.strict, gi.type, 1);
    }
    for (size_t s = 0; s < sitems.size(); ++s) {
      if (!sitems[s].rule.empty()) {
        Counts& c = ls.by_rule[sitems[s].rule];
        ++(s_exact[s] ? c.tp : c.fp);
      }
      if (!s_exact[s]) {
        count(ls.exact, sitems[s].type, 1);
        count(ls.strict, sitems[s].type, 1);
        add_diff("FALSE " + Describe(sitems[s]));
      }
      if (!s_over[s]) count(ls.overlap, sitems[s].type, 1);
    }
  }
  return Status();
}

std::string FormatReport(const EvalReport& r, bool with_diff) {
  std::string out;
  char buf[256];
  std::snprintf(buf, sizeof buf, "%zu document(s)\n", r.documents);
  out += buf;
  for (const auto& [layer, ls] : r.layers) {
    out += "\n== " + layer + "\n";
    std::snprintf(buf, sizeof buf, "%-22s %6s %6s %6s | %6s %6s %6s | %6s %6s %6s | %5s %5s %5s\n",
                  "type", "P", "R", "F1", "oP", "oR", "oF1", "sP", "sR", "sF1", "tp", "fp", "fn");
    out += buf;
    for (const auto& [type, c] : ls.exact) {
      const Counts& o = ls.overlap.at(type);
      const Counts& s = ls.strict.count(type) ? ls.strict.at(type) : c;
      std::snprintf(
          buf, sizeof buf,
          "%-22s %6.3f %6.3f %6.3f | %6.3f %6.3f %6.3f | %6.3f %6.3f %6.3f | %5llu %5llu %5llu\n",
          type.empty() ? "(all)" : type.c_str(), c.P(), c.R(), c.F(), o.P(), o.R(), o.F(), s.P(),
          s.R(), s.F(), static_cast<unsigned long long>(c.tp),
          static_cast<unsigned long long>(c.fp), static_cast<unsigned long long>(c.fn));
      out += buf;
    }
    for (const auto& [f, a] : ls.feature) {
      std::snprintf(buf, sizeof buf, "%s accuracy on exact matches: %.3f (%llu/%llu)\n", f.c_str(),
                    a.second ? double(a.first) / double(a.second) : 0.0,
                    static_cast<unsigned long long>(a.first),
                    static_cast<unsigned long long>(a.second));
      out += buf;
    }
    out +=
        "(P R F1: exact span and type; o: overlapping span; s: strict, exact and the compared "
        "features agree)\n";
    if (!ls.by_rule.empty()) {
      // Worst precision first: the rules to look at.
      std::vector<std::pair<std::string, Counts>> rows(ls.by_rule.begin(), ls.by_rule.end());
      std::stable_sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
        return a.second.P() < b.second.P() || (a.second.P() == b.second.P() && a.second.fp > b.second.fp);
      });
      out += "-- by rule (system annotations; P: share with an exact gold match)\n";
      for (const auto& [rule, c] : rows) {
        std::snprintf(buf, sizeof buf, "%6.3f %5llu %5llu  ", c.P(),
                      static_cast<unsigned long long>(c.tp), static_cast<unsigned long long>(c.fp));
        out += buf + rule + "\n";
      }
      out += "(P, tp, fp, rule)\n";
    }
    if (with_diff && !ls.diff.empty()) {
      out += "-- diff (MISS: gold only, FALSE: system only, WRONG: feature differs)\n";
      for (const auto& l : ls.diff) out += l + "\n";
    }
  }
  return out;
}

std::string ReportJson(const EvalReport& r) {
  nlohmann::json j;
  j["documents"] = r.documents;
  for (const auto& [layer, ls] : r.layers) {
    auto& L = j["layers"][layer];
    auto put = [&](const char* name, const std::map<std::string, Counts>& m) {
      for (const auto& [type, c] : m) {
        L[name][type.empty() ? "(all)" : type] = {{"p", c.P()}, {"r", c.R()}, {"f1", c.F()},
                                                  {"tp", c.tp}, {"fp", c.fp}, {"fn", c.fn}};
      }
    };
    put("exact", ls.exact);
    put("overlap", ls.overlap);
    put("strict", ls.strict);
    for (const auto& [f, a] : ls.feature) {
      L["feature_accuracy"][f] = {
          {"agree", a.first},
          {"compared", a.second},
          {"accuracy", a.second ? double(a.first) / double(a.second) : 0.0}};
    }
    for (const auto& [rule, c] : ls.by_rule)
      L["by_rule"][rule] = {{"p", c.P()}, {"tp", c.tp}, {"fp", c.fp}};
    L["diff"] = ls.diff;
  }
  return j.dump(2) + "\n";
}

}  // namespace quarry::internal
