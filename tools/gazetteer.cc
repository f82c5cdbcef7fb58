// tools/gazetteer.cc: `quarry gazetteer import` (PETRARCH dictionaries, iso-codes, GeoNames ->
// .gaz) and `quarry gazetteer check` (parse + compile + statistics, with located errors).
#include <boost/program_options.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "command.h"
#include "common/binary.h"
#include "common/source.h"
#include "gazetteer/compiled.h"
#include "gazetteer/format.h"
#include "gazetteer/normalize.h"
#include "gazetteer/petrarch.h"
#include "gazetteer/stage.h"
#include "quarry/pipeline.h"

namespace quarry::cli {
namespace {

namespace po = boost::program_options;
using internal::GazAlias;
using internal::GazEntry;
using internal::GazetteerData;

// Lower-case words of a word list (one per line, e.g. /usr/share/dict/words): names equal to one
// of them are common words ("Turkey", "Chad", "Nice", "Central") and are matched only as written
// (capitalised), or not kept at all where a capitalised common word is still too ambiguous.
std::set<std::string> LoadCommonWords(const std::string& path, bool& ok) {
  std::set<std::string> out;
  ok = true;
  if (path.empty()) return out;
  std::ifstream in(path);
  if (!in) {
    ok = false;
    return out;
  }
  std::string w;
  while (std::getline(in, w)) {
    if (!w.empty() && w.back() == '\r') w.pop_back();
    if (w.empty() || !(w[0] >= 'a' && w[0] <= 'z')) continue;  // proper nouns are capitalised there
    if (w.find('\'') != std::string::npos) continue;
    out.insert(w);
  }
  return out;
}

// The name folded as the matcher folds it ("Çan" -> "can", "Comé" -> "come") when it is one
// word, else "".
std::string OneWordLower(const std::string& name) {
  std::vector<std::string_view> words = internal::SplitName(name);
  if (words.size() != 1) return "";
  std::string key;
  internal::AppendMatchKeyOfText(words[0], key);
  return key;
}

// True when every word of a name of several words is a common lower-case word ("intelligence
// community", "US military"): a description more than a name.
bool AllCommonWords(const std::string& name, const std::set<std::string>& common) {
  std::vector<std::string_view> words = internal::SplitName(name);
  if (words.size() < 2 || common.empty()) return false;
  for (std::string_view w : words) {
    std::string key;
    internal::AppendMatchKeyOfText(w, key);
    if (key.empty()) continue;  // punctuation
    if (!common.count(key)) return false;
  }
  return true;
}

void AddAlias(GazEntry& e, const std::string& text) {
  if (text.empty()) return;
  for (const GazAlias& a : e.aliases) {
    if (a.text == text) return;
  }
  GazAlias a;
  a.text = text;
  e.aliases.push_back(a);
}

// iso-codes: iso_3166-1.json (countries) and iso_3166-2.json (subdivisions) in `dir`.
int ImportIso(const std::string& dir, const std::set<std::string>& countries,
              const std::set<std::string>& common, GazetteerData& out, std::string& header) {
  auto load = [&](const std::string& name, nlohmann::json& j) {
    Result<std::string> text = internal::ReadFile(dir + "/" + name);
    if (!text) {
      std::cerr << "quarry gazetteer import: " << text.error().message() << "\n";
      return false;
    }
    try {
      j = nlohmann::json::parse(*text);
    } catch (const nlohmann::json::exception& e) {
      std::cerr << "quarry gazetteer import: " << dir << "/" << name << ": " << e.what() << "\n";
      return false;
    }
    return true;
  };
  nlohmann::json c1, c2;
  if (!load("iso_3166-1.json", c1) || !load("iso_3166-2.json", c2)) return kExitFailed;
  std::map<std::string, std::string> country_name;
  for (const auto& c : c1.value("3166-1", nlohmann::json::array())) {
    GazEntry e;
    std::string a2 = c.value("alpha_2", ""), a3 = c.value("alpha_3", "");
    if (a2.empty()) continue;
    e.id = "country:" + a2;
    e.type = "GPE";
    e.subtype = "country";
    e.name = c.value("common_name", c.value("name", ""));
    country_name[a2] = e.name;
    AddAlias(e, e.name);
    std::string n = c.value("name", "");
    // "Iran, Islamic Republic of" is a catalogue form, not a running-text name.
    if (n.find(',') == std::string::npos) AddAlias(e, n);
    if (c.contains("official_name")) AddAlias(e, c["official_name"].get<std::string>());
    e.attrs.emplace_back("iso", a2);
    e.attrs.emplace_back("x-alpha3", a3);
    e.priority = 40;  // countries beat subdivisions (25) and cities (10-20) of the same name
    // "Turkey", "Chad", "China", "Jordan": matched only as written.
    for (GazAlias& a : e.aliases)
      if (common.count(OneWordLower(a.text))) a.exact = true;
    out.entries.push_back(std::move(e));
  }
  for (const auto& s : c2.value("3166-2", nlohmann::json::array())) {
    std::string code = s.value("code", "");
    std::string cc = code.substr(0, 2);
    if (!countries.empty() && !countries.count(cc)) continue;
    // The world: first-level subdivisions only (no "parent"); the listed countries: all levels.
    if (countries.empty() && s.contains("parent")) continue;
    // A subdivision named by one common word ("Central", "Eastern", "Centre") would tag the word
    // wherever it is capitalised: left out.
    if (common.count(OneWordLower(s.value("name", "")))) continue;
    GazEntry e;
    e.id = "iso:" + code;
    e.type = "GPE";
    std::string type = s.value("type", "");
    // "Islands, groups of islands" -> "islands_groups_of_islands": lower-case letters, digits
    // and single '_' (the subtype syntax).
    std::string sub;
    for (char ch : type) {
      char c = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
      if (ok) sub.push_back(c);
      else if (!sub.empty() && sub.back() != '_') sub.push_back('_');
    }
    while (!sub.empty() && sub.back() == '_') sub.pop_back();
    e.subtype = sub.empty() ? "subdivision" : sub;
    e.name = s.value("name", "");
    AddAlias(e, e.name);
    e.attrs.emplace_back("iso", code);
    e.attrs.emplace_back("country", cc);
    e.priority = 25;
    out.entries.push_back(std::move(e));
  }
  header = "@source Debian iso-codes (ISO 3166-1, ISO 3166-2), LGPL-2.1-or-later\n";
  return kExitOk;
}

// GeoNames cities (cities15000 TSV) plus optional localized names (geonameid, country, lang, name).
int ImportGeonames(const std::vector<std::string>& files, const std::set<std::string>& countries,
                   uint64_t min_pop, const std::set<std::string>& common,
                   const std::set<std::string>& person_names, GazetteerData& out,
                   std::string& header) {
  std::map<std::string, size_t> by_id;
  for (const std::string& f : files) {
    std::ifstream in(f);
    if (!in) {
      std::cerr << "quarry gazetteer import: " << f << ": cannot open\n";
      return kExitFailed;
    }
    std::string line;
    std::getline(in, line);
    bool names = line.rfind("geonameid\tcountry_code\tlang\tname", 0) == 0;
    size_t lineno = 1;
    while (std::getline(in, line)) {
      ++lineno;
      std::vector<std::string> col;
      std::stringstream ss(line);
      std::string c;
      while (std::getline(ss, c, '\t')) col.push_back(c);
      if (names) {
        if (col.size() < 4 || col[2] != "en") continue;
        auto it = by_id.find(col[0]);
        if (it != by_id.end()) AddAlias(out.entries[it->second], col[3]);
        continue;
      }
      if (col.size() < 10) {
        std::cerr << f << ":" << lineno << ": expected 10 columns, found " << col.size() << "\n";
        continue;
      }
      if (!countries.empty() && !countries.count(col[4])) continue;
      uint64_t pop = std::strtoull(col[7].c_str(), nullptr, 10);
      if (pop < min_pop) continue;
      GazEntry e;
      e.id = "geonames:" + col[0];
      e.type = "GPE";
      e.subtype = "city";
      e.name = col[1];
      if (e.name.size() < 3) continue;  // "Of", "Ui": too short to be safe
      AddAlias(e, e.name);
      // Bigger cities win names they share with smaller ones ("Hyderabad" in India over the one
      // in Pakistan): priority 20 from a million people, 15 from 100,000, else 10.
      e.priority = pop >= 1000000 ? 20 : pop >= 100000 ? 15 : 10;
      // A common word as a city name: big cities are matched only as written ("Nice",
      // "Phoenix", "Cologne"); smaller ones ("Man", "Delta", "Reading", "Split") would mostly tag
      // the word, capitalised at the start of a sentence or in a title, and are left out.
      if (common.count(OneWordLower(e.name))) {
        if (pop < 500000) continue;
        e.aliases[0].exact = true;
      }
      // A given name as a city name ("Harvey", "Vernon", "Allen", "Florence"): in text it is
      // mostly a person; only big cities are kept ("Victoria"? no: "Charlotte" yes).
      if (person_names.count(OneWordLower(e.name)) && pop < 500000) continue;
      e.attrs.emplace_back("country", col[4]);
      e.attrs.emplace_back("x-admin1", col[3]);
      e.attrs.emplace_back("x-population", col[7]);
      e.attrs.emplace_back("x-coordinates", col[8] + "," + col[9]);
      by_id[col[0]] = out.entries.size();
      out.entries.push_back(std::move(e));
    }
  }
  header = "@source GeoNames (geonames.org) cities15000 via Debian libgeonames 0.3.0, CC BY 4.0\n";
  return kExitOk;
}

int Import(int argc, char** argv) {
  po::options_description desc(
      "usage: quarry gazetteer import --from FORMAT [OPTIONS] FILE...\n\n"
      "Converts external name lists into the gazetteer format (docs/gazetteers.md) with\n"
      "\"@priority 10\", so that curated gazetteers (priority 100) win every clash.\n"
      "FORMAT: petrarch (PETRARCH/TABARI .actors files), iso-codes (a folder holding\n"
      "iso_3166-1.json and iso_3166-2.json, e.g. /usr/share/iso-codes/json), geonames\n"
      "(cities15000 TSV, then optional localized-name TSVs).\n\noptions");
  std::string from, output, countries;
  uint64_t min_pop = 0;
  std::vector<std::string> inputs;
  desc.add_options()("help,h", "show this help")(
      "from", po::value(&from), "petrarch, iso-codes or geonames")("output,o", po::value(&output),
                                                                   "write here (default: stdout)")(
      "countries", po::value(&countries),
      "ISO 3166-1 alpha-2 codes to keep, comma-separated (subdivisions, cities)")(
      "min-population", po::value(&min_pop), "geonames: smallest population kept")(
      "common-words", po::value<std::string>(),
      "a word list (e.g. /usr/share/dict/words): names that are common lower-case words are "
      "matched case-sensitively (countries, cities) or left out (one-word subdivisions)")(
      "priority", po::value<int>(), "petrarch: the priority of the imported entries (default 10)")(
      "given-names", po::value<std::string>(),
      "geonames: a given-name list (rules/lexicons/given-names.qr); cities named like a person "
      "are kept only from 500,000 people");
  po::variables_map vm;
  if (int code = ParseOptions(argc, argv, desc, &inputs, vm); code >= 0) return code;
  if (inputs.empty() || (from != "petrarch" && from != "iso-codes" && from != "geonames")) {
    std::cerr << "quarry gazetteer import: need --from petrarch|iso-codes|geonames and FILE...\n"
                 "(see quarry gazetteer import --help)\n";
    return kExitUsage;
  }
  GazetteerData data;
  std::string header;
  int rc = kExitOk;
  std::vector<std::string> listed = SplitList(countries);
  std::set<std::string> cc(listed.begin(), listed.end());
  std::set<std::string> common;
  if (vm.count("common-words")) {
    bool ok = true;
    common = LoadCommonWords(vm["common-words"].as<std::string>(), ok);
    if (!ok) {
      std::cerr << "quarry gazetteer import: cannot read " << vm["common-words"].as<std::string>() << "\n";
      return kExitFailed;
    }
  }
  if (from == "petrarch") {
    for (const std::string& in : inputs) {
      Result<std::string> text = internal::ReadFile(in);
      if (!text) {
        std::cerr << "quarry gazetteer import: " << text.error().message() << "\n";
        return kExitFailed;
      }
      std::vector<Diagnostic> warnings;
      Status st = internal::ImportPetrarch({in, *text, in}, data, warnings);
      for (const Diagnostic& d : warnings) std::cerr << d.ToString() << "\n";
      if (!st.ok()) {
        std::cerr << "quarry gazetteer import: " << st.message() << "\n";
        rc = kExitFailed;
      }
    }
    header = "@source PETRARCH2 actor dictionaries (Open Event Data Alliance), MIT\n";
    int prio = vm.count("priority") ? vm["priority"].as<int>() : 10;
    for (GazEntry& e : data.entries) {
      e.priority = prio;
      for (GazAlias& a : e.aliases)
        if (common.count(OneWordLower(a.text)) || AllCommonWords(a.text, common)) a.exact = true;
    }
  } else if (from == "iso-codes") {
    rc = ImportIso(inputs[0], cc, common, data, header);
  } else {
    std::set<std::string> person_names;
    if (vm.count("given-names")) {
      // A rule-file word list ("words given_names = {Aaron, ...};") or one name per line.
      auto text = internal::ReadFile(vm["given-names"].as<std::string>());
      if (!text) {
        std::cerr << "quarry gazetteer import: " << text.error().message() << "\n";
        return kExitFailed;
      }
      std::string word;
      bool in_list = text->find('{') == std::string::npos;
      bool comment = false;
      for (char c : *text + "\n") {
        if (c == '#') comment = true;
        if (c == '\n') comment = false;
        if (comment) continue;
        if (c == '{') in_list = true;
        bool sep = c == ',' || c == '\n' || c == '}' || c == ' ' || c == '"' || c == ';' || c == '{';
        if (!sep) {
          word += c;
          continue;
        }
        if (in_list && !word.empty()) {
          std::string k = OneWordLower(word);
          if (!k.empty()) person_names.insert(k);
        }
        word.clear();
        if (c == '}') in_list = false;
      }
    }
    rc = ImportGeonames(inputs, cc, min_pop, common, person_names, data, header);
  }
  if (rc != kExitOk && data.entries.empty()) return rc;
  std::string out = "# Generated by `quarry gazetteer import --from " + from +
                    "`; do not edit,\n"
                    "# re-run the import (see docs/gazetteers.md).\n" + header + "\n";
  // Entries grouped by priority, highest first, each group under its @priority line.
  std::vector<const GazEntry*> order;
  for (const GazEntry& e : data.entries) order.push_back(&e);
  auto prio = [](const GazEntry* e) { return e->priority > 0 ? e->priority : 10; };
  std::stable_sort(order.begin(), order.end(),
                   [&](const GazEntry* a, const GazEntry* b) { return prio(a) > prio(b); });
  int current = -1;
  for (const GazEntry* e : order) {
    if (prio(e) != current) {
      current = prio(e);
      out += "@priority " + std::to_string(current) + "\n";
    }
    internal::FormatEntry(*e, out);
  }
  if (output.empty()) {
    std::cout << out;
  } else {
    Status st = internal::WriteFileAtomic(output, out);
    if (!st.ok()) {
      std::cerr << "quarry gazetteer import: " << st.message() << "\n";
      return kExitFailed;
    }
    std::cerr << output << ": " << data.entries.size() << " entries\n";
  }
  return rc;
}

// Parses a command's options and reads the gazetteer files or folders it was given. Returns -1
// to go on (`src` filled), else the exit code to return.
int ParseAndLoad(const char* command, int argc, char** argv, const po::options_description& desc,
                 std::vector<std::string>& inputs, po::variables_map& vm,
                 std::vector<internal::SourceFile>& src) {
  if (int code = ParseOptions(argc, argv, desc, &inputs, vm); code >= 0) return code;
  if (inputs.empty()) {
    std::cerr << "quarry " << command << ": no PATH given\n";
    return kExitUsage;
  }
  auto loaded = internal::LoadSources(inputs, {".gaz"});
  if (!loaded) {
    std::cerr << "quarry " << command << ": " << loaded.error().ToString() << "\n";
    return kExitFailed;
  }
  src = std::move(*loaded);
  return -1;
}

int Check(int argc, char** argv) {
  po::options_description desc(
      "usage: quarry gazetteer check [OPTIONS] PATH...\n\n"
      "Parses and compiles gazetteer files or folders (*.gaz), reporting every error as\n"
      "file:line:column, then prints statistics. With -o, saves the compiled form.\n\noptions");
  std::string output;
  std::vector<std::string> inputs;
  desc.add_options()("help,h", "show this help")("output,o", po::value(&output),
                                                 "save the compiled gazetteer here")(
      "ambiguous", "list names shared by several entities at the same (highest) priority");
  po::variables_map vm;
  std::vector<internal::SourceFile> sources;
  if (int code = ParseAndLoad("gazetteer check", argc, argv, desc, inputs, vm, sources); code >= 0)
    return code;
  const auto* src = &sources;
  auto t0 = std::chrono::steady_clock::now();
  internal::CompiledGazetteer::Stats stats;
  auto g = internal::CompileGazetteer(*src, &stats);
  if (!g) {
    std::cerr << g.error().ToString() << "\n";
    return kExitFailed;
  }
  double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  std::cout << src->size() << " files, " << stats.entries << " entries, " << stats.aliases
            << " aliases, " << stats.keys << " keys, " << stats.shadowed
            << " shadowed by higher priority, " << stats.vocabulary << " token forms, "
            << stats.nodes << " nodes, " << stats.bytes << " bytes compiled, " << ms << " ms\n";
  {
    // A name that two entries of different types share at the same priority (a PERSON and an
    // ORG both called "Hamas") is a curation error the matcher cannot resolve well: reported
    // with both places (a warning; LOOKUP word lists are exempt).
    GazetteerData data;
    (void)internal::ParseGazetteers(*src, data);
    struct Place {
      const GazEntry* e;
      uint32_t line;
    };
    std::map<std::pair<std::string, int32_t>, std::vector<Place>> uses;
    for (const GazEntry& e : data.entries) {
      if (e.type == "LOOKUP") continue;
      for (const GazAlias& a : e.aliases) {
        std::string key;
        for (std::string_view t : internal::SplitName(a.text)) {
          std::string k;
          internal::AppendMatchKeyOfText(t, k);
          if (k.empty()) continue;
          if (!key.empty()) key.push_back(' ');
          key += (a.exact ? std::string(t) : k);
        }
        uses[{key, a.priority}].push_back(Place{&e, a.line});
      }
    }
    size_t clashes = 0;
    for (const auto& [k, places] : uses) {
      for (size_t i = 1; i < places.size(); ++i) {
        if (places[i].e->type == places[0].e->type) continue;
        const GazEntry& a = *places[0].e;
        const GazEntry& b = *places[i].e;
        auto where = [&](const GazEntry& e, uint32_t line) {
          return (e.file < data.files.size() ? data.files[e.file] : std::string("?")) + ":" +
                 std::to_string(line);
        };
        std::cerr << where(b, places[i].line) << ": warning: the name '" << k.first << "' is "
                  << b.type << " '" << b.id << "' here and " << a.type << " '" << a.id << "' at "
                  << where(a, places[0].line) << " (same priority " << k.second << ")\n";
        ++clashes;
        break;
      }
    }
    if (clashes) std::cerr << clashes << " names shared by entries of different types\n";
  }
  if (vm.count("ambiguous")) {
    // Same data as the compiler sees: parse again and group aliases by their key sequence.
    GazetteerData data;
    (void)internal::ParseGazetteers(*src, data);
    struct Use {
      int32_t priority = -1;
      std::set<std::string> ids;
      std::string example;
    };
    std::map<std::string, Use> by_key;
    for (const GazEntry& e : data.entries) {
      for (const GazAlias& a : e.aliases) {
        std::string key;
        for (std::string_view t : internal::SplitName(a.text)) {
          std::string k;
          internal::AppendMatchKeyOfText(t, k);
          if (k.empty()) continue;
          if (!key.empty()) key.push_back(' ');
          key += k;
        }
        Use& u = by_key[key];
        if (a.priority > u.priority) {
          u = Use{a.priority, {}, a.text};
        }
        if (a.priority == u.priority) u.ids.insert(e.id);
      }
    }
    size_t n = 0;
    for (const auto& [key, u] : by_key) {
      if (u.ids.size() < 2) continue;
      ++n;
      std::cout << "ambiguous '" << u.example << "' (priority " << u.priority << "):";
      for (const auto& id : u.ids) std::cout << " " << id;
      std::cout << "\n";
    }
    std::cout << n << " ambiguous names\n";
  }
  if (!output.empty()) {
    Status st = internal::WriteFileAtomic(output, (*g)->Save());
    if (!st.ok()) {
      std::cerr << "quarry gazetteer check: " << st.message() << "\n";
      return kExitFailed;
    }
  }
  return kExitOk;
}

// `quarry gazetteer test`: runs the example and counter lines of the entries in PATH through
// the tokenizer, the gazetteer tagger and the linker.
int Test(int argc, char** argv) {
  po::options_description desc(
      "usage: quarry gazetteer test [OPTIONS] PATH...\n\n"
      "Runs the `example:` and `counter:` lines of the entries in PATH (gazetteer files or\n"
      "folders). Each [[marked]] name of an example must come out as a mention of the entry\n"
      "(same span, type and id); a counter-example must not mention the entry at all. Examples\n"
      "run through the tokenizer, the gazetteer tagger and the linker, with the gazetteers of -g\n"
      "(default: the shipped ones) loaded beside PATH. Failures name the example's file:line and\n"
      "what was found instead. Exit status: 0 all pass; 1 a failure or a bad file; 2 bad usage.\n\n"
      "options");
  std::vector<std::string> inputs, context;
  desc.add_options()("help,h", "show this help")(
      "gazetteers,g", po::value(&context), "gazetteer file or folder loaded beside PATH (repeatable)")(
      "no-context", "load PATH alone");
  po::variables_map vm;
  std::vector<internal::SourceFile> sources;
  if (int code = ParseAndLoad("gazetteer test", argc, argv, desc, inputs, vm, sources); code >= 0)
    return code;
  const auto* src = &sources;
  GazetteerData data;
  if (Status st = internal::ParseGazetteers(*src, data); !st.ok()) {
    std::cerr << st.ToString() << "\n";
    return kExitFailed;
  }
  // The pipeline's gazetteers: PATH and the context, each file once.
  if (vm.count("no-context") == 0) {
    if (std::string e = DefaultDataPath(context, "gazetteers"); !e.empty()) {
      std::cerr << "quarry gazetteer test: " << e << "\n";
      return kExitUsage;
    }
  } else {
    context.clear();
  }
  std::vector<std::string> all = inputs;
  all.insert(all.end(), context.begin(), context.end());
  auto files = internal::ExpandPaths(all, {".gaz"});
  if (!files) {
    std::cerr << "quarry gazetteer test: " << files.error().message() << "\n";
    return kExitFailed;
  }
  std::vector<std::string> unique;
  std::set<std::string> seen;
  for (const std::string& f : *files) {
    std::error_code ec;
    std::string key = std::filesystem::weakly_canonical(f, ec).string();
    if (seen.insert(ec ? f : key).second) unique.push_back(f);
  }
  PipelineOptions popts;
  popts.gazetteers = unique;
  popts.temporal = false;
  auto pipeline = Pipeline::Compile(popts);
  if (!pipeline) {
    std::cerr << pipeline.error().ToString() << "\n";
    return kExitFailed;
  }
  size_t examples = 0, passed = 0, entries = 0;
  for (const GazEntry& e : data.entries) {
    if (e.examples.empty()) continue;
    ++entries;
    for (const internal::GazExample& x : e.examples) {
      ++examples;
      std::string where = data.files[x.file] + ":" + std::to_string(x.line);
      internal::MarkedExample m = internal::StripMarks(x.text);
      auto doc = Document::FromBytes(m.text, where);
      Result<AnnotationSet> set = doc ? pipeline->Annotate(*doc) : Result<AnnotationSet>(doc.error());
      if (!set) {
        std::cout << where << ": entry '" << e.id << "': " << set.error().message() << "\n";
        continue;
      }
      auto describe = [&](const Annotation& a) {
        return "\"" + std::string(doc->Slice(a.span)) + "\" " + a.type + " " + a.FeatureString("entity");
      };
      std::string problems;
      if (x.positive) {
        for (auto [b, en] : m.marks) {
          bool found = false;
          std::string near;
          for (const Annotation& a : set->annotations()) {
            if (a.layer != Layer::kEntity) continue;
            if (a.span.begin == b && a.span.end == en && a.type == e.type &&
                a.FeatureString("entity") == e.id)
              found = true;
            else if (a.span.begin < en && b < a.span.end)
              near += (near.empty() ? "" : ", ") + describe(a);
          }
          if (!found) {
            problems += "\n      expected \"" + m.text.substr(b, en - b) + "\" as " + e.id + " (" +
                        e.type + "), found " + (near.empty() ? std::string("nothing there") : near);
          }
        }
      } else {
        for (const Annotation& a : set->annotations()) {
          if (a.layer == Layer::kEntity && a.FeatureString("entity") == e.id)
            problems += "\n      must not mention " + e.id + ", found " + describe(a);
        }
      }
      if (problems.empty()) {
        ++passed;
      } else {
        std::cout << where << ": entry '" << e.id << "': " << (x.positive ? "example" : "counter")
                  << " \"" << x.text << "\"" << problems << "\n";
      }
    }
  }
  std::cout << examples << " examples in " << entries << " entries: " << passed << " passed, "
            << examples - passed << " failed\n";
  return passed == examples ? kExitOk : kExitFailed;
}

}  // namespace

QUARRY_COMMAND("gazetteer import", "convert PETRARCH, iso-codes or GeoNames data to .gaz", Import);
QUARRY_COMMAND("gazetteer check", "parse and compile gazetteers, reporting located errors", Check);
QUARRY_COMMAND("gazetteer test", "run the example lines of gazetteer entries", Test);

}  // namespace quarry::cli
