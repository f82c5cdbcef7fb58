// tools/annotate.cc: `quarry annotate`: files, folders or a JSONL stream -> stand-off JSON.
//
// Documents are annotated on all cores with one compiled pipeline. A document that fails (bad
// UTF-8, unreadable, over a limit) is reported on stderr with its path and reason and skipped;
// the others are still written. Output files are written under a temporary name and renamed, so
// no partial file is left behind.
#include <algorithm>
#include <unistd.h>

#include <atomic>
#include <boost/program_options.hpp>
#include <cerrno>
#include <cstring>
#include <chrono>
#include <cstdio>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>

#include "command.h"
#include "common/binary.h"
#include "quarry/export.h"
#include "quarry/timeml.h"
#include "quarry/quarry.h"

namespace quarry::cli {
namespace {

namespace fs = std::filesystem;
namespace po = boost::program_options;

// One unit of work: a document from a file or from a line of a JSONL stream.
struct Job {
  size_t index = 0;
  std::string path;       // file path, or "<stdin>:LINE"
  std::string out_path;   // where the JSON goes ("" for stdout)
  std::optional<std::string> text;  // JSONL: the text itself
  std::string id;
  std::string dct;
  std::optional<TemporalMode> mode;  // JSONL "mode"
  std::string meta;  // JSONL: the line's other fields (title, url, ...) as a JSON object, or ""
};

struct Outcome {
  bool ok = false;
  uint64_t bytes = 0;  // the document's size, for progress
  std::string json;
  std::string message;  // error, or the summary line
  std::vector<std::pair<std::string, std::string>> extra;  // export suffix -> content
  AnnotationSet types;  // event/relation/entity types seen, for the brat configuration
};

// TimeML files (TempEval-3 style): the text is their <TEXT>, the document date their <DCT>.
bool IsTimeML(const fs::path& p) {
  std::string ext = p.extension().string();
  return ext == ".tml" || ext == ".TE3input" || ext == ".timeml";
}

bool LooksLikeText(const fs::path& p) {
  std::string ext = p.extension().string();
  return IsTimeML(p) ||
         std::find(kTextExtensions.begin(), kTextExtensions.end(), ext) != kTextExtensions.end();
}

std::string Summary(const Document& doc, const AnnotationSet& set, double ms) {
  size_t counts[5] = {0, 0, 0, 0, 0};
  for (const auto& a : set.annotations()) ++counts[static_cast<size_t>(a.layer)];
  std::string s = doc.id() + ": " + std::to_string(set.tokens().size()) + " tokens, " +
                  std::to_string(set.sentences().size()) + " sentences, " +
                  std::to_string(counts[0]) + " entities, " + std::to_string(counts[1]) +
                  " timexes, " + std::to_string(counts[2]) + " events, " +
                  std::to_string(counts[3]) + " relations";
  char buf[48];
  std::snprintf(buf, sizeof buf, " (%.1f ms)", ms);
  return s + buf;
}

int Run(int argc, char** argv) {
  po::options_description desc(
      "usage: quarry annotate [OPTIONS] INPUT...\n\n"
      "Annotates text files (INPUT a file or a folder searched for *.txt, *.text, *.md) or a\n"
      "JSONL stream (INPUT '-' or --jsonl FILE: one {\"id\", \"text\", \"dct\"?} object per line,\n"
      "one stand-off JSON object per line on stdout). Writes one JSON file per document to -o DIR\n"
      "(folder structure kept), or to stdout when -o is not given. A one-line summary per document\n"
      "goes to stderr.\n\n"
      "Exit status: 0 every document annotated; 1 some failed (each reported, the rest written);\n"
      "2 bad usage, unusable gazetteers or rules, or an output folder that cannot be written.\n\n"
      "options");
  std::string out_dir, offsets = "codepoint", dct, jsonl, exports, pipeline_file, mode_name;
  std::vector<std::string> inputs, gazetteers, rules;
  unsigned jobs = 0;
  desc.add_options()
      ("help,h", "show this help")
      ("output,o", po::value(&out_dir), "output folder (created if missing)")
      ("offsets", po::value(&offsets)->default_value("codepoint"),
       "unit of \"span\" offsets: codepoint, utf16 or utf8")
      ("dct", po::value(&dct), "document creation time (ISO 8601) for relative dates")
      ("mode", po::value(&mode_name)->default_value("auto"),
       "how relative dates resolve: news (around the document date, by tense), narrative "
       "(from the last date mentioned) or auto")
      ("gazetteers,g", po::value(&gazetteers)->composing(),
       "gazetteer file or folder (repeatable; default: the shipped gazetteers/)")
      ("rules,r", po::value(&rules)->composing(),
       "rule file or folder (repeatable; default: the shipped rules/)")
      ("pipeline", po::value(&pipeline_file),
       "load a pipeline saved by `quarry compile` instead of compiling data files")
      ("no-gazetteers", "do not load any gazetteer")
      ("no-rules", "do not load any rule file")
      ("no-temporal", "do not run the temporal tagger")
      ("match", po::value<std::string>()->default_value("leftmost-longest"),
       "gazetteer match semantics: leftmost-longest, leftmost-shortest or all")
      ("no-lookups", "leave out overlapped gazetteer matches (\"Lookup\" annotations)")
      ("no-link", "no within-document linking (aliases, short forms, titles)")
      ("tokens-only", "only tokenize and split sentences")
      ("no-tokens", "leave the token and sentence layers out of the JSON")
      ("pretty", "indent the JSON (one annotation per line)")
      ("export", po::value(&exports),
       "also write these formats beside the JSON (needs -o), comma-separated: brat (.ann, .txt "
       "and annotation.conf), conll (.conll), events (.events.tsv), events-csv (.events.csv), "
       "events-jsonl (.events.jsonl), html (.html), timeml (.tml), w3c (.w3c.jsonld, W3C Web "
       "Annotation JSON-LD)")
      ("jsonl", po::value(&jsonl), "read documents from a JSONL file ('-' for stdin)")
      ("jobs,j", po::value(&jobs), "worker threads (default: all cores)")
      ("max-matches-per-rule", po::value<uint32_t>()->default_value(100000),
       "most matches one rule may make in one document (0: no limit)")
      ("time-budget", po::value<double>()->default_value(0),
       "seconds of work allowed per document (0: no limit)")
      ("max-bytes", po::value<uint64_t>()->default_value(uint64_t{64} << 20),
       "largest document accepted, in bytes (default 64 MiB, at most 1 GiB)")
      ("resume", "with -o: skip inputs whose output JSON exists and was written by this same "
       "pipeline (same version, options and data files: the fingerprint in its \"generator\")")
      ("quiet,q", "no summary lines")
      ("progress", "show progress on stderr (default when stderr is a terminal)");
  po::variables_map vm;
  if (int code = ParseOptions(argc, argv, desc, &inputs, vm); code >= 0) return code;
  JsonOptions jo;
  if (offsets == "codepoint") {
    jo.unit = OffsetUnit::kCodepoint;
  } else if (offsets == "utf16") {
    jo.unit = OffsetUnit::kUtf16;
  } else if (offsets == "utf8") {
    jo.unit = OffsetUnit::kUtf8;
  } else {
    std::cerr << "quarry annotate: --offsets must be codepoint, utf16 or utf8, not '" << offsets
              << "'\n";
    return kExitUsage;
  }
  jo.pretty = vm.count("pretty") > 0;
  jo.tokens = jo.sentences = vm.count("no-tokens") == 0;
  if (std::find(inputs.begin(), inputs.end(), "-") != inputs.end()) {
    if (inputs.size() > 1 || !jsonl.empty()) {
      std::cerr << "quarry annotate: '-' (JSONL on stdin) cannot be combined with other inputs\n";
      return kExitUsage;
    }
    jsonl = "-";
    inputs.clear();
  }
  if (inputs.empty() && jsonl.empty()) {
    std::cerr << "quarry annotate: no INPUT given (a file, a folder, or '-' for JSONL on stdin)\n"
                 "(see quarry annotate --help)\n";
    return kExitUsage;
  }
  std::optional<TemporalMode> mode = ParseTemporalMode(mode_name);
  if (!mode) {
    std::cerr << "quarry annotate: --mode must be news, narrative or auto, not '" << mode_name
              << "'\n";
    return kExitUsage;
  }
  if (!dct.empty() && (dct.size() < 4 || !std::isdigit(static_cast<unsigned char>(dct[0])))) {
    std::cerr << "quarry annotate: --dct must be an ISO 8601 date such as 2023-03-01, not '" << dct
              << "'\n";
    return kExitUsage;
  }

  std::vector<std::string> export_formats;
  for (size_t b = 0; !exports.empty() && b <= exports.size();) {
    size_t e = exports.find(',', b);
    if (e == std::string::npos) e = exports.size();
    std::string f = exports.substr(b, e - b);
    if (f != "brat" && f != "conll" && f != "events" && f != "events-csv" &&
        f != "events-jsonl" && f != "html" && f != "timeml" && f != "w3c") {
      std::cerr << "quarry annotate: unknown export format '" << f
                << "' (brat, conll, events, events-csv, events-jsonl, html, timeml, w3c)\n";
      return kExitUsage;
    }
    export_formats.push_back(f);
    b = e + 1;
  }
  const bool resume = vm.count("resume") > 0;
  if (resume && out_dir.empty()) {
    std::cerr << "quarry annotate: --resume needs an output folder (-o DIR)\n";
    return kExitUsage;
  }
  if (!export_formats.empty() && out_dir.empty()) {
    std::cerr << "quarry annotate: --export needs an output folder (-o DIR)\n";
    return kExitUsage;
  }

  // The pipeline.
  PipelineOptions popts;
  if (vm.count("no-gazetteers") == 0) {
    if (std::string e = DefaultDataPath(gazetteers, "gazetteers"); !e.empty()) {
      std::cerr << "quarry annotate: " << e << "\n";
      return kExitUsage;
    }
    popts.gazetteers = gazetteers;
  }
  if (vm.count("no-rules") == 0) {
    if (std::string e = DefaultDataPath(rules, "rules"); !e.empty()) {
      std::cerr << "quarry annotate: " << e << "\n";
      return kExitUsage;
    }
    popts.rules = rules;
  }
  popts.temporal = vm.count("no-temporal") == 0;
  {
    std::string m = vm["match"].as<std::string>();
    if (m == "leftmost-longest") {
      popts.entities.match = EntityOptions::Match::kLeftmostLongest;
    } else if (m == "leftmost-shortest") {
      popts.entities.match = EntityOptions::Match::kLeftmostShortest;
    } else if (m == "all") {
      popts.entities.match = EntityOptions::Match::kAll;
    } else {
      std::cerr << "quarry annotate: --match must be leftmost-longest, leftmost-shortest or all, not '"
                << m << "'\n";
      return kExitUsage;
    }
    popts.entities.lookups = vm.count("no-lookups") == 0;
    popts.entities.link = vm.count("no-link") == 0;
  }
  Result<Pipeline> pipeline =
      pipeline_file.empty() ? Pipeline::Compile(popts) : Pipeline::Load(pipeline_file);
  if (!pipeline) {
    std::cerr << "quarry annotate: cannot " << (pipeline_file.empty() ? "compile" : "load")
              << " the pipeline:\n" << pipeline.error().ToString() << "\n";
    return kExitUsage;
  }
  AnnotateOptions aopts;
  aopts.dct = dct;
  aopts.temporal_mode = *mode;
  aopts.time_budget_seconds = vm["time-budget"].as<double>();
  aopts.tokens_only = vm.count("tokens-only") > 0;
  aopts.max_matches_per_rule = vm["max-matches-per-rule"].as<uint32_t>();
  DocumentOptions dopts;
  dopts.max_bytes = vm["max-bytes"].as<uint64_t>();
  if (dopts.max_bytes == 0 || dopts.max_bytes > kMaxDocumentBytes) {
    std::cerr << "quarry annotate: --max-bytes must be between 1 and " << kMaxDocumentBytes
              << " (1 GiB)\n";
    return kExitUsage;
  }
  if (aopts.time_budget_seconds < 0) {
    std::cerr << "quarry annotate: --time-budget must not be negative\n";
    return kExitUsage;
  }

  // The output folder must be usable before any work starts.
  if (!out_dir.empty()) {
    std::error_code ec;
    fs::create_directories(out_dir, ec);
    if (ec || !fs::is_directory(out_dir)) {
      std::cerr << "quarry annotate: cannot create output folder " << out_dir << ": "
                << (ec ? ec.message() : "not a folder") << "\n";
      return kExitUsage;
    }
    if (::access(out_dir.c_str(), W_OK | X_OK) != 0) {
      std::cerr << "quarry annotate: output folder " << out_dir << " is not writable\n";
      return kExitUsage;
    }
  }

  // The work list.
  std::vector<Job> work;
  int failures = 0;
  std::mutex err_mu;
  auto report = [&](const std::string& msg) {
    std::lock_guard<std::mutex> lock(err_mu);
    std::cerr << msg << "\n";
  };
  auto out_for = [&](const fs::path& rel) -> std::string {
    if (out_dir.empty()) return "";
    fs::path p = fs::path(out_dir) / rel;
    p.replace_extension(".json");
    return p.string();
  };
  for (const std::string& in : inputs) {
    std::error_code ec;
    fs::file_status st = fs::status(in, ec);
    if (ec || !fs::exists(st)) {
      report("quarry annotate: " + in + ": no such file or folder");
      ++failures;
      continue;
    }
    if (fs::is_directory(st)) {
      std::vector<fs::path> found;
      for (fs::recursive_directory_iterator it(in, ec), end; !ec && it != end; it.increment(ec)) {
        if (it->is_regular_file(ec) && LooksLikeText(it->path())) found.push_back(it->path());
      }
      if (ec) {
        report("quarry annotate: " + in + ": cannot list folder: " + ec.message());
        ++failures;
        continue;
      }
      if (found.empty()) {
        report("quarry annotate: " + in + ": folder has no text files (*.txt, *.text, *.md, *.tml)");
        ++failures;
        continue;
      }
      std::sort(found.begin(), found.end());
      for (const fs::path& f : found) {
        Job j;
        j.path = f.string();
        j.out_path = out_for(fs::relative(f, in));
        work.push_back(std::move(j));
      }
    } else {
      Job j;
      j.path = in;
      j.out_path = out_for(fs::path(in).filename());
      work.push_back(std::move(j));
    }
  }

  // Two inputs must never write the same output file ("a/x.txt" and "b/x.txt" named on the
  // command line, "x.txt" beside "x.md", or a repeated JSONL id): the later one would silently
  // replace the earlier's annotations. The later one is refused instead.
  std::map<std::string, std::string> owner;  // output path -> the input writing it
  auto claim_output = [&](const Job& j) {
    if (j.out_path.empty()) return true;
    auto [it, fresh] = owner.emplace(j.out_path, j.path);
    if (!fresh) {
      report("quarry annotate: " + j.path + ": its output " + j.out_path +
             " would overwrite that of " + it->second + " (rename one, or use another -o)");
    }
    return fresh;
  };
  {
    std::vector<Job> kept;
    for (Job& j : work) {
      if (claim_output(j)) {
        kept.push_back(std::move(j));
      } else {
        ++failures;
      }
    }
    work = std::move(kept);
  }
  // --resume: an output written by this same pipeline is up to date (the JSON is written last,
  // after any export, so its presence means the input was done).
  const std::string fingerprint = pipeline->info().fingerprint;
  std::atomic<size_t> skipped{0};
  auto up_to_date = [&](const Job& j) {
    return resume && !j.out_path.empty() && WrittenByPipeline(j.out_path, fingerprint);
  };
  if (resume) {
    std::vector<Job> kept;
    for (Job& j : work) {
      if (up_to_date(j)) {
        ++skipped;
      } else {
        kept.push_back(std::move(j));
      }
    }
    work = std::move(kept);
  }

  // JSONL input is streamed: workers take the next line when they are free, so memory holds only
  // the documents in flight (and at most kMaxPending finished ones waiting to be printed in
  // order), and the first results come out while the stream is still being read. Each bad line is
  // reported with its line number and skipped.
  std::ifstream jsonl_file;
  std::istream* jsonl_in = nullptr;
  std::string jsonl_name = jsonl == "-" ? "<stdin>" : jsonl;
  size_t jsonl_lineno = 0;
  if (!jsonl.empty()) {
    jsonl_in = &std::cin;
    if (jsonl != "-") {
      std::error_code ec;
      if (fs::is_directory(jsonl, ec)) {
        std::cerr << "quarry annotate: " << jsonl << ": is a folder, not a JSONL file\n";
        return kExitFailed;
      }
      jsonl_file.open(jsonl, std::ios::binary);
      if (!jsonl_file) {
        std::cerr << "quarry annotate: " << jsonl << ": cannot open (" << std::strerror(errno)
                  << ")\n";
        return kExitFailed;
      }
      jsonl_in = &jsonl_file;
    }
  }

  // Workers take jobs in order (files first, then JSONL lines); results for stdout are printed in
  // input order.
  unsigned n_threads = jobs ? jobs : std::max(1u, std::thread::hardware_concurrency());
  if (!jsonl_in) n_threads = std::min<unsigned>(n_threads, std::max<size_t>(1, work.size()));
  bool quiet = vm.count("quiet") > 0;
  bool progress =
      vm.count("progress") > 0 || (::isatty(2) && !quiet && (work.size() > 1 || jsonl_in));
  std::mutex types_mu;
  AnnotationSet all_types;
  std::atomic<size_t> done{0}, total{work.size() + static_cast<size_t>(failures)};
  // Bytes: the files' sizes are known before the start (a JSONL stream's are not).
  uint64_t total_bytes = 0;
  for (size_t k = 0; progress && k < work.size(); ++k) {  // a stat per file: only when shown
    std::error_code ec;
    uintmax_t size = fs::file_size(work[k].path, ec);
    if (!ec) total_bytes += size;
  }
  std::atomic<uint64_t> done_bytes{0};
  const auto started = std::chrono::steady_clock::now();
  auto last_progress = started;
  std::atomic<int> failed{0};
  std::mutex out_mu;
  std::condition_variable out_cv;
  size_t next_to_print = 0;
  // stdout reorder buffer: index -> (input path, JSON or "" when the document failed)
  std::map<size_t, std::pair<std::string, std::string>> pending;
  const size_t kMaxPending = 64;

  std::mutex source_mu;  // guards the two below, jsonl_in, jsonl_lineno and owner
  size_t next_file = 0, next_index = 0;
  auto next_job = [&](Job& j) -> bool {
    std::lock_guard<std::mutex> lock(source_mu);
    if (next_file < work.size()) {
      j = std::move(work[next_file++]);
      j.index = next_index++;
      return true;
    }
    std::string line;
    while (jsonl_in && std::getline(*jsonl_in, line)) {
      ++jsonl_lineno;
      if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
      ++total;
      j = Job();
      j.path = jsonl_name + ":" + std::to_string(jsonl_lineno);
      try {
        nlohmann::json obj = nlohmann::json::parse(line);
        if (!obj.is_object() || !obj.contains("text") || !obj["text"].is_string()) {
          report("quarry annotate: " + j.path + ": expected an object with a string \"text\"");
          ++failed;
          continue;
        }
        j.text = obj["text"].get<std::string>();
        j.id = obj.contains("id") && obj["id"].is_string()
                   ? obj["id"].get<std::string>()
                   : "line-" + std::to_string(jsonl_lineno);
        if (obj.contains("dct") && obj["dct"].is_string()) j.dct = obj["dct"].get<std::string>();
        // The other fields go to the output's document.meta (keys sorted, compact).
        nlohmann::json meta = nlohmann::json::object();
        for (auto it = obj.begin(); it != obj.end(); ++it) {
          if (it.key() != "text" && it.key() != "id" && it.key() != "dct" && it.key() != "mode")
            meta[it.key()] = it.value();
        }
        if (!meta.empty()) j.meta = meta.dump();
        if (obj.contains("mode")) {
          std::optional<TemporalMode> m;
          if (obj["mode"].is_string()) m = ParseTemporalMode(obj["mode"].get<std::string>());
          if (!m) {
            report("quarry annotate: " + j.path +
                   ": \"mode\" must be \"news\", \"narrative\" or \"auto\"");
            ++failed;
            continue;
          }
          j.mode = m;
        }
      } catch (const nlohmann::json::exception& e) {
        report("quarry annotate: " + j.path + ": invalid JSON: " + e.what());
        ++failed;
        continue;
      }
      if (!out_dir.empty()) j.out_path = out_for(fs::path(j.id).filename().string() + ".json");
      if (!claim_output(j)) {
        ++failed;
        continue;
      }
      if (up_to_date(j)) {
        ++skipped;
        --total;
        continue;
      }
      j.index = next_index++;
      return true;
    }
    if (jsonl_in) {
      if (jsonl_in->bad()) {
        report("quarry annotate: " + jsonl_name + ": read failed after line " +
               std::to_string(jsonl_lineno));
        ++failed;
        ++total;
      }
      jsonl_in = nullptr;
    }
    return false;
  };

  auto process = [&](const Job& job) -> Outcome {
    Outcome o;
    auto t0 = std::chrono::steady_clock::now();
    std::optional<std::string> timeml_dct;
    Result<Document> doc = Status();
    if (!job.text && IsTimeML(job.path)) {
      // A TimeML file: its <TEXT> without tags is the document, its <DCT> the document date.
      auto raw = internal::ReadFile(job.path, dopts.max_bytes);
      if (!raw) {
        o.message = raw.error().message();
        return o;
      }
      auto tml = ReadTimeML(*raw, job.path);
      if (!tml) {
        o.message = tml.error().message();
        return o;
      }
      timeml_dct = tml->dct;
      doc = Document::FromBytes(tml->text, job.path, dopts);
    } else {
      doc = job.text ? Document::FromBytes(*job.text, job.id, dopts)
                     : Document::FromFile(job.path, job.path, dopts);
    }
    if (doc && doc->size_utf8() == 0) {
      o.message = job.path + ": empty document (0 bytes after any byte order mark)";
      return o;
    }
    if (!doc) {
      o.message = doc.error().message();
      if (doc.error().code() == StatusCode::kResourceExhausted) o.message += " (see --max-bytes)";
      if (job.text) o.message = job.path + ": " + o.message;
      if (job.text && doc.error().code() == StatusCode::kInvalidInput) {
        // Offsets in a JSONL line refer to the decoded "text" string.
        o.message += " (in the decoded \"text\" string)";
      }
      return o;
    }
    if (!job.text) {
      // Metadata beside the text ("x.meta.json" for "x.txt") may give the document date.
      fs::path meta = fs::path(job.path).replace_extension(".meta.json");
      std::error_code ec;
      if (fs::is_regular_file(meta, ec)) {
        auto data = internal::ReadFile(meta.string());
        try {
          auto m = nlohmann::json::parse(data ? *data : std::string("{}"));
          if (m.contains("dct") && m["dct"].is_string()) doc->set_dct(m["dct"].get<std::string>());
        } catch (const nlohmann::json::exception& e) {
          o.message = meta.string() + ": invalid JSON: " + e.what();
          return o;
        }
      }
    }
    if (timeml_dct && !timeml_dct->empty()) doc->set_dct(*timeml_dct);
    if (!job.dct.empty()) doc->set_dct(job.dct);
    if (!job.meta.empty()) doc->set_meta(job.meta);
    AnnotateOptions run = aopts;
    if (job.mode) run.temporal_mode = *job.mode;
    Result<AnnotationSet> set = pipeline->Annotate(*doc, run);
    if (!set) {
      o.message = set.error().message();
      return o;
    }
    o.json = ToJson(*doc, *set, jo);
    for (const std::string& f : export_formats) {
      if (f == "brat") {
        o.extra.emplace_back(".ann", ToBrat(*doc, *set));
        o.extra.emplace_back(".txt", doc->text());
        for (const Annotation& a : set->annotations()) {
          Annotation t;
          t.layer = a.layer;
          t.type = a.type;
          t.args = a.args;
          o.types.mutable_annotations().push_back(std::move(t));
        }
      } else if (f == "conll") {
        o.extra.emplace_back(".conll", ToConll(*doc, *set));
      } else if (f == "events") {
        o.extra.emplace_back(".events.tsv", ToEventTable(*doc, *set));
      } else if (f == "events-csv") {
        o.extra.emplace_back(".events.csv", ToEventCsv(*doc, *set));
      } else if (f == "events-jsonl") {
        o.extra.emplace_back(".events.jsonl", ToEventJsonl(*doc, *set));
      } else if (f == "w3c") {
        o.extra.emplace_back(".w3c.jsonld", ToW3C(*doc, *set));
      } else if (f == "html") {
        o.extra.emplace_back(".html", ToHtml(*doc, *set));
      } else if (f == "timeml") {
        o.extra.emplace_back(".tml", ToTimeML(*doc, *set));
      }
    }
    double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0)
                    .count();
    o.message = Summary(*doc, *set, ms);
    o.bytes = doc->size_utf8();
    o.ok = true;
    return o;
  };

  auto worker = [&] {
    for (Job job; next_job(job);) {
      const size_t i = job.index;
      Outcome o = process(job);
      if (o.ok && !job.out_path.empty()) {
        std::error_code ec;
        fs::create_directories(fs::path(job.out_path).parent_path(), ec);
        // The exports first, the JSON last: an existing JSON means the input is done (--resume).
        Status st;
        for (const auto& [suffix, content] : o.extra) {
          if (!st.ok()) break;
          fs::path p = fs::path(job.out_path).replace_extension(suffix);
          // The brat copy of the text must not overwrite an input that lives in the output folder.
          std::error_code eq;
          if (suffix == ".txt" && fs::equivalent(p, job.path, eq)) continue;
          st = internal::WriteFileAtomic(p.string(), content);
        }
        if (st.ok()) st = internal::WriteFileAtomic(job.out_path, o.json);
        if (st.ok() && !o.types.annotations().empty()) {
          std::lock_guard<std::mutex> lock(types_mu);
          for (auto& a : o.types.mutable_annotations())
            all_types.mutable_annotations().push_back(std::move(a));
        }
        if (!st.ok()) {
          o.ok = false;
          o.message = job.path + ": " + st.message();
        }
      }
      if (!o.ok) {
        ++failed;
        report("quarry annotate: " + (o.message.empty() ? job.path : o.message));
      } else if (!quiet) {
        report(o.message);
      }
      if (job.out_path.empty()) {
        std::unique_lock<std::mutex> lock(out_mu);
        out_cv.wait(lock, [&] { return i < next_to_print + kMaxPending; });
        pending[i] = {job.path, o.ok ? std::move(o.json) : std::string()};
        while (!pending.empty() && pending.begin()->first == next_to_print) {
          std::string& js = pending.begin()->second.second;
          if (!js.empty()) {
            if (!jo.pretty) {
              while (!js.empty() && js.back() == '\n') js.pop_back();
              js.push_back('\n');
            }
            std::cout << js;
            std::cout.flush();
            if (!std::cout) {
              // A full disk or a closed pipe behind stdout: this document is lost, so say so.
              int e = errno;
              std::cout.clear();
              ++failed;
              report("quarry annotate: " + pending.begin()->second.first +
                     ": cannot write to standard output (" + std::strerror(e ? e : EIO) + ")");
            }
          }
          pending.erase(pending.begin());
          ++next_to_print;
        }
        std::cout.flush();
        out_cv.notify_all();
      }
      size_t d = ++done;
      uint64_t bytes = done_bytes += o.bytes;
      if (progress) {
        std::lock_guard<std::mutex> lock(err_mu);
        auto now = std::chrono::steady_clock::now();
        // At most ten updates a second, and always the last one.
        if (now - last_progress >= std::chrono::milliseconds(100) || d == total.load()) {
          last_progress = now;
          double secs = std::chrono::duration<double>(now - started).count();
          double rate = secs > 0 ? static_cast<double>(bytes) / 1e6 / secs : 0;
          char line[160];
          if (!jsonl_in && total_bytes > 0) {
            double left_mb = static_cast<double>(total_bytes > bytes ? total_bytes - bytes : 0) / 1e6;
            std::snprintf(line, sizeof line, "\r[%zu/%zu] %.1f/%.1f MB, %.2f MB/s, %.0f s left   ",
                          d, total.load(), static_cast<double>(bytes) / 1e6,
                          static_cast<double>(total_bytes) / 1e6, rate,
                          rate > 0 ? left_mb / rate : 0.0);
          } else {
            std::snprintf(line, sizeof line, "\r[%zu/%zu] %.1f MB, %.2f MB/s   ", d, total.load(),
                          static_cast<double>(bytes) / 1e6, rate);
          }
          std::cerr << line << std::flush;
        }
      }
    }
  };
  std::vector<std::thread> threads;
  for (unsigned t = 1; t < n_threads; ++t) threads.emplace_back(worker);
  worker();
  for (auto& t : threads) t.join();
  if (progress) std::cerr << "\n";
  if (std::find(export_formats.begin(), export_formats.end(), "brat") != export_formats.end()) {
    Status st = internal::WriteFileAtomic((fs::path(out_dir) / "annotation.conf").string(),
                                          BratConfig(all_types));
    if (!st.ok()) report("quarry annotate: " + st.message());
  }
  if (skipped > 0 && !quiet) {
    std::cerr << "quarry annotate: " << skipped.load()
              << " inputs skipped, their output is up to date (--resume)\n";
  }
  failures += failed.load();
  if (!quiet) {
    // One closing line: documents, failures, skipped, bytes and throughput.
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    double mb = static_cast<double>(done_bytes.load()) / 1e6;
    char line[200];
    std::snprintf(line, sizeof line,
                  "quarry annotate: %zu annotated, %d failed, %zu skipped; %.2f MB in %.2f s "
                  "(%.2f MB/s)\n",
                  done.load() - static_cast<size_t>(failed.load()), failures, skipped.load(), mb,
                  secs, secs > 0 ? mb / secs : 0.0);
    std::cerr << line;
  }
  if (failures > 0) {
    std::cerr << "quarry annotate: " << failures << " of " << total.load() << " inputs failed\n";
    return kExitFailed;
  }
  return kExitOk;
}

}  // namespace

QUARRY_COMMAND("annotate", "annotate files, folders or a JSONL stream into stand-off JSON", Run);

}  // namespace quarry::cli
