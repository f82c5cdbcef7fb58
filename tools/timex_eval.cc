// tools/timex_eval.cc: `quarry timex eval`: scores the temporal tagger with the TempEval-3
// measures (strict and relaxed extent P/R/F1, value and type accuracy, value F1) on
//   --wikiwars DIR  WikiWars (raw text with a DATETIME in in/*.sgm, inline gold TIMEX2 in
//                   keyinline/*.key.xml; the gold type is derived from the TIMEX2 value), or
//   --timeml DIR    TimeML files (*.tml below DIR, TempEval-3 style: TimeBank, AQUAINT), each
//                   with its <DCT> and gold TIMEX3 in <TEXT>; --half A|B takes one half of the
//                   documents (by the parity of the SHA-256 of the file name), for tuning on one
//                   and reporting the other.
//
// The gold tags are stripped and gold offsets are offsets into exactly the text the pipeline
// sees. Every gold timex, nested ones included, is a gold mention; matching is one-to-one.
#include <algorithm>
#include <boost/program_options.hpp>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>

#include "command.h"
#include "common/binary.h"
#include "common/sha256.h"
#include "quarry/timeml.h"
#include "quarry/quarry.h"

namespace quarry::cli {
namespace {

namespace fs = std::filesystem;
namespace po = boost::program_options;

struct Mention {
  uint32_t begin = 0, end = 0;  // UTF-8 bytes into the TEXT part
  std::string value, type, mod;
  std::string text;
};

std::string Attr(std::string_view tag, std::string_view name) {
  std::string key = " " + std::string(name) + "=\"";
  size_t p = tag.find(key);
  if (p == std::string_view::npos) return "";
  p += key.size();
  size_t e = tag.find('"', p);
  return std::string(tag.substr(p, e - p));
}

// TimeML type from a TIMEX2 value (TIMEX2 has no type attribute).
std::string TypeOf(const std::string& val, bool set) {
  if (set) return "SET";
  if (!val.empty() && val[0] == 'P')
    return val.find("_REF") == std::string::npos ? "DURATION" : "DATE";
  if (val.find('T') != std::string::npos && val.find("_REF") == std::string::npos) return "TIME";
  return "DATE";
}

// Value equality modulo equivalent spellings of durations (P2DE = P20Y, P1CE = P100Y).
std::string CanonicalValue(const std::string& v) {
  if (v.size() > 3 && v[0] == 'P' && (v.ends_with("DE") || v.ends_with("CE"))) {
    std::string n = v.substr(1, v.size() - 3);
    char* end = nullptr;
    double x = std::strtod(n.c_str(), &end);
    if (end && *end == 0 && !n.empty()) {
      double years = x * (v.ends_with("DE") ? 10 : 100);
      char buf[32];
      std::snprintf(buf, sizeof buf, "P%gY", years);
      return buf;
    }
  }
  return v;
}

std::string Between(const std::string& s, const std::string& open, const std::string& close,
                    size_t* at = nullptr) {
  size_t b = s.find(open);
  if (b == std::string::npos) return "";
  b += open.size();
  size_t e = s.find(close, b);
  if (e == std::string::npos) return "";
  if (at) *at = b;
  return s.substr(b, e - b);
}

// Strips the tags of the key TEXT, collecting the TIMEX2 spans (nesting allowed).
Result<std::vector<Mention>> ParseKey(const std::string& key_text, const std::string& raw,
                                      const std::string& path) {
  std::vector<Mention> out;
  std::string plain;
  std::vector<std::pair<size_t, std::string>> open;  // mention index, tag
  for (size_t i = 0; i < key_text.size();) {
    if (key_text[i] != '<') {
      plain += key_text[i++];
      continue;
    }
    size_t e = key_text.find('>', i);
    if (e == std::string::npos) return Status(StatusCode::kInvalidInput, path + ": unclosed tag");
    std::string tag = key_text.substr(i, e - i + 1);
    if (tag.starts_with("<TIMEX2")) {
      Mention m;
      m.begin = static_cast<uint32_t>(plain.size());
      m.value = Attr(tag, "val");
      m.mod = Attr(tag, "mod");
      m.type = TypeOf(m.value, Attr(tag, "set") == "YES");
      out.push_back(m);
      open.emplace_back(out.size() - 1, tag);
    } else if (tag == "</TIMEX2>") {
      if (open.empty()) {
        return Status(StatusCode::kInvalidInput,
                      path + ": </TIMEX2> without an open tag at byte " + std::to_string(i));
      }
      Mention& m = out[open.back().first];
      m.end = static_cast<uint32_t>(plain.size());
      m.text = plain.substr(m.begin, m.end - m.begin);
      open.pop_back();
    }
    i = e + 1;
  }
  if (plain != raw) {
    size_t k = 0;
    while (k < plain.size() && k < raw.size() && plain[k] == raw[k]) ++k;
    return Status(
        StatusCode::kInvalidInput,
        path + ": text without tags differs from the .sgm TEXT at byte " + std::to_string(k));
  }
  return out;
}

struct Counts {
  size_t gold = 0, sys = 0, strict = 0, relaxed = 0;
  size_t value_pairs = 0, value_ok = 0, type_ok = 0, gold_with_value = 0, sys_value_ok = 0;
  void Add(const Counts& o) {
    gold += o.gold;
    sys += o.sys;
    strict += o.strict;
    relaxed += o.relaxed;
    value_pairs += o.value_pairs;
    value_ok += o.value_ok;
    type_ok += o.type_ok;
    gold_with_value += o.gold_with_value;
  }
  static double F(double p, double r) { return p + r > 0 ? 2 * p * r / (p + r) : 0; }
  static double D(size_t a, size_t b) { return b ? static_cast<double>(a) / b : 0; }
  nlohmann::json Json() const {
    double sp = D(strict, sys), sr = D(strict, gold), rp = D(relaxed, sys), rr = D(relaxed, gold);
    double vp = D(value_ok, sys), vr = D(value_ok, gold_with_value);
    return {{"gold", gold},
            {"system", sys},
            {"strict", {{"p", sp}, {"r", sr}, {"f1", F(sp, sr)}}},
            {"relaxed", {{"p", rp}, {"r", rr}, {"f1", F(rp, rr)}}},
            {"value_accuracy", D(value_ok, value_pairs)},
            {"value_f1", F(vp, vr)},
            {"type_accuracy", D(type_ok, relaxed)}};
  }
};

// Half "A" or "B" of a TimeML document, by the parity of the first byte of the SHA-256 of its
// name (the file name without .tml).
std::string TimeMLHalf(const std::string& name) {
  return internal::Sha256(name)[0] % 2 == 0 ? "A" : "B";
}

struct Error {
  std::string doc, kind, gold_text, gold_value, sys_text, sys_value;
};

// One document to score: its text, document date and gold mentions.
struct EvalDoc {
  std::string name, text, dct;
  std::vector<Mention> gold;
};

// WikiWars: DIR/in/NAME.sgm and DIR/keyinline/NAME.key.xml.
bool CollectWikiWars(const std::string& dir, std::vector<EvalDoc>& out, int& rc) {
  std::error_code ec;
  if (!fs::is_directory(fs::path(dir) / "in", ec)) {
    std::cerr << "quarry timex eval: " << dir << "/in: no such folder\n";
    return false;
  }
  std::vector<fs::path> docs;
  for (const auto& e : fs::directory_iterator(fs::path(dir) / "in", ec))
    if (e.path().extension() == ".sgm") docs.push_back(e.path());
  std::sort(docs.begin(), docs.end());
  if (docs.empty()) {
    std::cerr << "quarry timex eval: no .sgm files in " << dir << "/in\n";
    return false;
  }
  for (const fs::path& p : docs) {
    std::string name = p.stem().string();
    fs::path key_path = fs::path(dir) / "keyinline" / (name + ".key.xml");
    auto raw = internal::ReadFile(p.string());
    auto key = internal::ReadFile(key_path.string());
    if (!raw || !key) {
      std::cerr << (raw ? key.error() : raw.error()).ToString() << "\n";
      rc = kExitFailed;
      continue;
    }
    EvalDoc d;
    d.name = name;
    d.text = Between(*raw, "<TEXT>", "</TEXT>");
    d.dct = Between(*raw, "<DATETIME>", "</DATETIME>");
    while (!d.dct.empty() && d.dct.front() == ' ') d.dct.erase(0, 1);
    while (!d.dct.empty() && d.dct.back() == ' ') d.dct.pop_back();
    auto gold = ParseKey(Between(*key, "<TEXT>", "</TEXT>"), d.text, key_path.string());
    if (!gold) {
      std::cerr << gold.error().ToString() << "\n";
      rc = kExitFailed;
      continue;
    }
    d.gold = std::move(*gold);
    out.push_back(std::move(d));
  }
  return true;
}

// TimeML: every *.tml file below DIR, in one half or all.
bool CollectTimeML(const std::string& dir, const std::string& half, std::vector<EvalDoc>& out,
                   int& rc) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    std::cerr << "quarry timex eval: " << dir << ": no such folder\n";
    return false;
  }
  std::vector<fs::path> files;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    if (it->is_regular_file(ec) && it->path().extension() == ".tml") files.push_back(it->path());
  std::sort(files.begin(), files.end());
  if (files.empty()) {
    std::cerr << "quarry timex eval: no .tml files below " << dir << "\n";
    return false;
  }
  for (const fs::path& p : files) {
    std::string name = p.stem().string();
    if (half != "all" && TimeMLHalf(name) != half) continue;
    auto raw = internal::ReadFile(p.string());
    if (!raw) {
      std::cerr << raw.error().ToString() << "\n";
      rc = kExitFailed;
      continue;
    }
    auto tml = ReadTimeML(*raw, p.string());
    if (!tml) {
      std::cerr << tml.error().message() << " (skipped)\n";
      rc = kExitFailed;
      continue;
    }
    EvalDoc d;
    d.name = name;
    d.text = std::move(tml->text);
    d.dct = tml->dct;
    for (const TimeMLTimex& t : tml->timexes) {
      Mention m;
      m.begin = t.begin;
      m.end = t.end;
      m.value = t.value;
      m.type = t.type;
      m.mod = t.mod;
      m.text = d.text.substr(t.begin, t.end - t.begin);
      d.gold.push_back(std::move(m));
    }
    out.push_back(std::move(d));
  }
  return true;
}

int Run(int argc, char** argv) {
  po::options_description desc(
      "usage: quarry timex eval [OPTIONS] (--wikiwars DIR | --timeml DIR [--half A|B])\n\n"
      "Scores the temporal tagger with TempEval-3 measures: strict and relaxed extent P/R/F1,\n"
      "value accuracy (of relaxed matches with a gold value), value F1 (relaxed match with the\n"
      "right value, over system and gold mentions) and type accuracy. --wikiwars DIR reads\n"
      "WikiWars (DIR/in/*.sgm raw text with a DATETIME, DIR/keyinline/*.key.xml inline gold\n"
      "TIMEX2; gold type derived from the value); --timeml DIR reads every *.tml file below DIR\n"
      "(TempEval-3 style TimeML: <DCT>, gold TIMEX3 in <TEXT>), --half A or B one half of them\n"
      "(by the SHA-256 of the file name). Prints a per-document table, the totals and the errors;\n"
      "--json writes the figures as JSON.\n\n"
      "Exit status: 0 ok and every --min-* threshold met; 1 a threshold missed or a document\n"
      "failed; 2 bad usage, unusable grammar or data.\n\noptions");
  std::string dir, timeml_dir, json_out, half = "all", mode = "auto";
  std::vector<std::string> grammars;
  double min_strict = 0, min_relaxed = 0, min_value = 0, min_value_f1 = 0;
  size_t errors = 30;
  bool no_dct = false, quiet = false;
  desc.add_options()("help,h", "show this help")("wikiwars", po::value(&dir), "WikiWars folder")(
      "timeml", po::value(&timeml_dir), "folder of TimeML files")(
      "half", po::value(&half), "A, B or all (TimeML)")(
      "mode", po::value(&mode), "temporal mode: auto, news or narrative")(
      "grammar,g", po::value(&grammars), "temporal grammar file or folder (default: built-in)")(
      "no-dct", po::bool_switch(&no_dct), "ignore the documents' dates")(
      "errors", po::value(&errors), "how many errors of each kind to list (default 30)")(
      "quiet,q", po::bool_switch(&quiet), "no per-document lines")(
      "json", po::value(&json_out), "write the figures to this file")(
      "min-strict", po::value(&min_strict), "fail below this strict extent F1")(
      "min-relaxed", po::value(&min_relaxed), "fail below this relaxed extent F1")(
      "min-value", po::value(&min_value), "fail below this value accuracy")(
      "min-value-f1", po::value(&min_value_f1), "fail below this value F1");
  po::variables_map vm;
  if (int code = ParseOptions(argc, argv, desc, nullptr, vm); code >= 0) return code;
  if (dir.empty() == timeml_dir.empty()) {
    std::cerr << "quarry timex eval: give one of --wikiwars DIR or --timeml DIR\n";
    return kExitUsage;
  }
  if (half != "A" && half != "B" && half != "all") {
    std::cerr << "quarry timex eval: --half must be A, B or all\n";
    return kExitUsage;
  }
  std::optional<TemporalMode> tmode = ParseTemporalMode(mode);
  if (!tmode) {
    std::cerr << "quarry timex eval: --mode must be auto, news or narrative\n";
    return kExitUsage;
  }
  PipelineOptions popt;
  popt.temporal_grammars = grammars;
  auto pipe = Pipeline::Compile(popt);
  if (!pipe) {
    std::cerr << pipe.error().ToString() << "\n";
    return kExitUsage;
  }
  int rc = kExitOk;
  std::vector<EvalDoc> inputs;
  bool ok = dir.empty() ? CollectTimeML(timeml_dir, half, inputs, rc)
                        : CollectWikiWars(dir, inputs, rc);
  if (!ok) return kExitUsage;
  Counts total;
  nlohmann::json per_doc = nlohmann::json::array();
  std::vector<Error> errs;
  if (!quiet)
    std::printf("%-24s %5s %5s %7s %7s %7s %7s\n", "document", "gold", "sys", "strict",
                "relaxed", "value", "type");
  for (EvalDoc& input : inputs) {
    const std::string& name = input.name;
    const std::vector<Mention>* gold = &input.gold;
    auto doc = Document::FromBytes(input.text, name);
    if (!doc) {
      std::cerr << doc.error().ToString() << "\n";
      rc = kExitFailed;
      continue;
    }
    AnnotateOptions aopt;
    aopt.temporal_mode = *tmode;
    if (!no_dct) aopt.dct = input.dct;
    auto set = pipe->Annotate(*doc, aopt);
    if (!set) {
      std::cerr << name << ": " << set.error().ToString() << "\n";
      rc = kExitFailed;
      continue;
    }
    std::vector<Mention> sys;
    for (const Annotation& a : set->annotations()) {
      if (a.layer != Layer::kTimex) continue;
      Mention m;
      m.begin = a.span.begin;
      m.end = a.span.end;
      m.value = a.FeatureString("value");
      m.type = a.type;
      m.mod = a.FeatureString("mod");
      m.text = std::string(doc->Slice(a.span));
      sys.push_back(std::move(m));
    }
    Counts c;
    c.gold = gold->size();
    c.sys = sys.size();
    for (const Mention& g : *gold) c.gold_with_value += !g.value.empty();
    // Strict: exact spans. Relaxed: overlapping, exact ones first, then by largest overlap.
    std::vector<int> g_match(gold->size(), -1), s_match(sys.size(), -1);
    for (size_t i = 0; i < gold->size(); ++i)
      for (size_t j = 0; j < sys.size(); ++j)
        if (s_match[j] < 0 && g_match[i] < 0 && (*gold)[i].begin == sys[j].begin &&
            (*gold)[i].end == sys[j].end) {
          g_match[i] = static_cast<int>(j);
          s_match[j] = static_cast<int>(i);
          ++c.strict;
        }
    struct Cand {
      uint32_t overlap;
      size_t g, s;
    };
    std::vector<Cand> cands;
    for (size_t i = 0; i < gold->size(); ++i) {
      if (g_match[i] >= 0) continue;
      for (size_t j = 0; j < sys.size(); ++j) {
        if (s_match[j] >= 0) continue;
        uint32_t b = std::max((*gold)[i].begin, sys[j].begin);
        uint32_t e = std::min((*gold)[i].end, sys[j].end);
        if (b < e) cands.push_back({e - b, i, j});
      }
    }
    std::sort(cands.begin(), cands.end(),
              [](const Cand& a, const Cand& b) { return a.overlap > b.overlap; });
    for (const Cand& k : cands) {
      if (g_match[k.g] >= 0 || s_match[k.s] >= 0) continue;
      g_match[k.g] = static_cast<int>(k.s);
      s_match[k.s] = static_cast<int>(k.g);
    }
    for (size_t i = 0; i < gold->size(); ++i) {
      const Mention& g = (*gold)[i];
      if (g_match[i] < 0) {
        errs.push_back({name, "missed", g.text, g.value, "", ""});
        continue;
      }
      ++c.relaxed;
      const Mention& s = sys[static_cast<size_t>(g_match[i])];
      c.type_ok += g.type == s.type;
      if (!g.value.empty()) {
        ++c.value_pairs;
        if (CanonicalValue(g.value) == CanonicalValue(s.value)) {
          ++c.value_ok;
        } else {
          errs.push_back({name, "value", g.text, g.value, s.text, s.value});
        }
      }
      if (g.begin != s.begin || g.end != s.end) {
        errs.push_back({name, "extent", g.text, g.value, s.text, s.value});
      }
    }
    for (size_t j = 0; j < sys.size(); ++j)
      if (s_match[j] < 0) errs.push_back({name, "spurious", "", "", sys[j].text, sys[j].value});
    nlohmann::json j = c.Json();
    j["document"] = name;
    per_doc.push_back(j);
    if (!quiet)
      std::printf("%-24s %5zu %5zu %7.3f %7.3f %7.3f %7.3f\n", name.c_str(), c.gold, c.sys,
                  j["strict"]["f1"].get<double>(), j["relaxed"]["f1"].get<double>(),
                  j["value_accuracy"].get<double>(), j["type_accuracy"].get<double>());
    total.Add(c);
  }
  nlohmann::json t = total.Json();
  std::printf("%-24s %5zu %5zu %7.3f %7.3f %7.3f %7.3f\n", "TOTAL", total.gold, total.sys,
              t["strict"]["f1"].get<double>(), t["relaxed"]["f1"].get<double>(),
              t["value_accuracy"].get<double>(), t["type_accuracy"].get<double>());
  std::printf("strict P/R/F1 %.3f/%.3f/%.3f  relaxed P/R/F1 %.3f/%.3f/%.3f  value F1 %.3f  "
              "type accuracy %.3f  (%zu documents%s)\n",
              t["strict"]["p"].get<double>(), t["strict"]["r"].get<double>(),
              t["strict"]["f1"].get<double>(), t["relaxed"]["p"].get<double>(),
              t["relaxed"]["r"].get<double>(), t["relaxed"]["f1"].get<double>(),
              t["value_f1"].get<double>(), t["type_accuracy"].get<double>(), per_doc.size(),
              timeml_dir.empty() ? "" : (", half " + half).c_str());
  if (errors > 0) {
    for (const char* kind : {"missed", "spurious", "value", "extent"}) {
      // The most frequent error texts first: they are the ones worth a rule.
      std::map<std::string, std::pair<size_t, const Error*>> by_text;
      for (const Error& e : errs) {
        if (e.kind != kind) continue;
        std::string k = e.gold_text + "\x1f" + e.sys_text;
        auto& slot = by_text[k];
        if (!slot.second) slot.second = &e;
        ++slot.first;
      }
      std::vector<std::pair<size_t, const Error*>> list;
      for (auto& [k, v] : by_text) list.push_back(v);
      std::stable_sort(list.begin(), list.end(),
                       [](const auto& a, const auto& b) { return a.first > b.first; });
      size_t n = 0;
      for (auto& [k, v] : by_text) n += v.first;
      std::printf("\n%s (%zu):\n", kind, n);
      for (size_t i = 0; i < list.size() && i < errors; ++i) {
        const Error& e = *list[i].second;
        std::printf("  %3zux %-18s gold [%s] %s | sys [%s] %s\n", list[i].first, e.doc.c_str(),
                    e.gold_text.c_str(), e.gold_value.c_str(), e.sys_text.c_str(),
                    e.sys_value.c_str());
      }
    }
  }
  if (!json_out.empty()) {
    nlohmann::json out = {{"total", t}, {"documents", per_doc}};
    auto st = internal::WriteFileAtomic(json_out, out.dump(2) + "\n");
    if (!st.ok()) {
      std::cerr << st.ToString() << "\n";
      rc = kExitFailed;
    }
  }
  bool below = false;
  auto check = [&](const char* what, double got, double min) {
    if (got < min) {
      std::fprintf(stderr, "quarry timex eval: %s %.3f is below the threshold %.3f\n", what, got,
                   min);
      below = true;
    }
  };
  check("strict F1", t["strict"]["f1"].get<double>(), min_strict);
  check("relaxed F1", t["relaxed"]["f1"].get<double>(), min_relaxed);
  check("value accuracy", t["value_accuracy"].get<double>(), min_value);
  check("value F1", t["value_f1"].get<double>(), min_value_f1);
  return below ? kExitFailed : rc;
}

}  // namespace

QUARRY_COMMAND("timex eval", "score the temporal tagger on WikiWars or TimeML (TempEval-3)", Run);

}  // namespace quarry::cli
