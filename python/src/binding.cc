// python/src/binding.cc: the `quarry._quarry` extension module, over the public C++ API only.
//
// The Python package (python/quarry/__init__.py) wraps it; this file keeps to what must be C++:
// compiling and loading pipelines, and annotating with the GIL released (one document, or a batch
// on worker threads). Results are handed back as the canonical JSON plus the C++ document and
// annotation set (for the exports); Python builds its objects from the JSON lazily.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "quarry/quarry.h"

namespace py = pybind11;

namespace {

// A Status as the Python exception quarry._errors builds for its code (quarry.Error subclasses).
[[noreturn]] void Raise(const quarry::Status& st) {
  py::list diags;
  for (const quarry::Diagnostic& d : st.diagnostics()) {
    py::dict x;
    x["file"] = d.file;
    x["line"] = d.line;
    x["column"] = d.column;
    x["byte_offset"] = d.byte_offset == quarry::Diagnostic::kNoOffset
                           ? py::object(py::none())
                           : py::object(py::int_(d.byte_offset));
    x["message"] = d.message;
    x["severity"] = d.severity == quarry::Diagnostic::Severity::kError     ? "error"
                    : d.severity == quarry::Diagnostic::Severity::kWarning ? "warning"
                                                                            : "note";
    diags.append(x);
  }
  py::object make = py::module_::import("quarry._errors").attr("make_error");
  py::object exc = make(quarry::StatusCodeName(st.code()), st.ToString(), st.message(), diags);
  PyErr_SetObject(reinterpret_cast<PyObject*>(Py_TYPE(exc.ptr())), exc.ptr());
  throw py::error_already_set();
}

quarry::OffsetUnit ParseUnit(const std::string& s) {
  if (s == "codepoint") return quarry::OffsetUnit::kCodepoint;
  if (s == "utf8") return quarry::OffsetUnit::kUtf8;
  if (s == "utf16") return quarry::OffsetUnit::kUtf16;
  throw py::value_error("offsets must be 'codepoint', 'utf8' or 'utf16', not '" + s + "'");
}

quarry::TemporalMode ParseMode(const std::string& s) {
  auto m = quarry::ParseTemporalMode(s.empty() ? "auto" : s);
  if (!m) throw py::value_error("mode must be 'auto', 'news' or 'narrative', not '" + s + "'");
  return *m;
}

// How to annotate and write: the options every call shares.
struct RunOptions {
  quarry::AnnotateOptions annotate;
  quarry::DocumentOptions document;
  quarry::JsonOptions json;
};

RunOptions MakeRunOptions(const std::string& offsets, bool tokens, bool pretty, double time_budget,
                          uint64_t max_bytes, uint32_t max_matches_per_rule, bool tokens_only) {
  RunOptions o;
  o.json.unit = ParseUnit(offsets);
  o.json.tokens = o.json.sentences = tokens;
  o.json.pretty = pretty;
  o.annotate.time_budget_seconds = time_budget;
  o.annotate.max_matches_per_rule = max_matches_per_rule;
  o.annotate.tokens_only = tokens_only;
  o.document.max_bytes = max_bytes;
  return o;
}

// One annotated document: the JSON, and the document and set for the exports.
struct Annotated {
  std::shared_ptr<const quarry::Document> doc;
  std::shared_ptr<const quarry::AnnotationSet> set;
  std::string json;
};

// One document to annotate (the text already UTF-8 bytes, checked by Document::FromBytes).
struct Input {
  std::string text;
  std::string id;
  std::string dct;
  quarry::TemporalMode mode = quarry::TemporalMode::kAuto;
  std::string meta;  // a JSON object's text for document.meta, or ""
};

// Annotates without touching Python objects (called with the GIL released).
quarry::Result<Annotated> AnnotateOne(const quarry::Pipeline& p, Input in, const RunOptions& o) {
  auto doc = quarry::Document::FromBytes(std::move(in.text), in.id, o.document);
  if (!doc) return doc.error();
  if (!in.dct.empty()) doc->set_dct(in.dct);
  if (!in.meta.empty()) doc->set_meta(std::move(in.meta));
  quarry::AnnotateOptions run = o.annotate;
  run.temporal_mode = in.mode;
  auto set = p.Annotate(*doc, run);
  if (!set) return set.error();
  Annotated a;
  a.json = quarry::ToJson(*doc, *set, o.json);
  a.doc = std::make_shared<const quarry::Document>(std::move(*doc));
  a.set = std::make_shared<const quarry::AnnotationSet>(std::move(*set));
  return a;
}

Input ToInput(const py::handle& item) {
  // (text: bytes, id: str, dct: str, mode: str, meta: str), as quarry/__init__.py prepares them.
  auto t = item.cast<py::tuple>();
  if (t.size() != 5) throw py::value_error("internal: expected (text, id, dct, mode, meta)");
  Input in;
  in.text = t[0].cast<std::string>();
  in.id = t[1].cast<std::string>();
  in.dct = t[2].cast<std::string>();
  in.mode = ParseMode(t[3].cast<std::string>());  // a bad mode is the caller's error, raised now
  in.meta = t[4].cast<std::string>();
  return in;
}

class PyPipeline {
 public:
  explicit PyPipeline(quarry::Pipeline p) : p_(std::move(p)) {}

  static PyPipeline Compile(std::vector<std::string> gazetteers, std::vector<std::string> rules,
                            bool temporal, std::vector<std::string> temporal_grammars,
                            const std::string& newline, bool split_clitics,
                            const std::string& match, bool lookups, bool link) {
    quarry::PipelineOptions o;
    o.gazetteers = std::move(gazetteers);
    o.rules = std::move(rules);
    o.temporal = temporal;
    o.temporal_grammars = std::move(temporal_grammars);
    using NL = quarry::TokenizerOptions::Newline;
    if (newline == "auto") o.tokenizer.newline = NL::kAuto;
    else if (newline == "always") o.tokenizer.newline = NL::kAlways;
    else if (newline == "heading") o.tokenizer.newline = NL::kHeading;
    else if (newline == "never") o.tokenizer.newline = NL::kNever;
    else throw py::value_error("newline must be 'auto', 'always', 'heading' or 'never', not '" + newline + "'");
    o.tokenizer.split_clitics = split_clitics;
    using M = quarry::EntityOptions::Match;
    if (match == "leftmost-longest") o.entities.match = M::kLeftmostLongest;
    else if (match == "leftmost-shortest") o.entities.match = M::kLeftmostShortest;
    else if (match == "all") o.entities.match = M::kAll;
    else throw py::value_error("match must be 'leftmost-longest', 'leftmost-shortest' or 'all', not '" + match + "'");
    o.entities.lookups = lookups;
    o.entities.link = link;
    std::optional<quarry::Result<quarry::Pipeline>> r;
    {
      py::gil_scoped_release release;
      r.emplace(quarry::Pipeline::Compile(o));
    }
    if (!*r) Raise(r->error());
    return PyPipeline(std::move(**r));
  }

  static PyPipeline Load(const std::string& path) {
    std::optional<quarry::Result<quarry::Pipeline>> r;
    {
      py::gil_scoped_release release;
      r.emplace(quarry::Pipeline::Load(path));
    }
    if (!*r) Raise(r->error());
    return PyPipeline(std::move(**r));
  }

  void Save(const std::string& path) const {
    quarry::Status st;
    {
      py::gil_scoped_release release;
      st = p_.Save(path);
    }
    if (!st.ok()) Raise(st);
  }

  py::dict Info() const {
    quarry::Pipeline::Info i = p_.info();
    py::dict d;
    d["gazetteer_entries"] = i.gazetteer_entries;
    d["rules"] = i.rules;
    d["stages"] = i.stages;
    d["fingerprint"] = i.fingerprint;
    return d;
  }

  Annotated Annotate(const py::tuple& item, const RunOptions& o) const {
    Input in = ToInput(item);
    std::optional<quarry::Result<Annotated>> r;
    {
      py::gil_scoped_release release;
      r.emplace(AnnotateOne(p_, std::move(in), o));
    }
    if (!*r) Raise(r->error());
    return std::move(**r);
  }

  // Annotates `items` on `threads` workers with the GIL released; results in input order, each an
  // Annotated or an error (code name, full message, message, diagnostics).
  py::list AnnotateBatch(const py::list& items, unsigned threads, const RunOptions& o) const {
    std::vector<Input> inputs;
    inputs.reserve(items.size());
    for (const py::handle& h : items) inputs.push_back(ToInput(h));
    std::vector<std::optional<quarry::Result<Annotated>>> out(inputs.size());
    {
      py::gil_scoped_release release;
      std::atomic<size_t> next{0};
      auto work = [&] {
        for (size_t i; (i = next++) < inputs.size();)
          out[i].emplace(AnnotateOne(p_, std::move(inputs[i]), o));
      };
      unsigned n = std::max(1u, std::min<unsigned>(threads, static_cast<unsigned>(inputs.size())));
      std::vector<std::thread> pool;
      for (unsigned t = 1; t < n; ++t) pool.emplace_back(work);
      work();
      for (auto& t : pool) t.join();
    }
    py::list result;
    for (auto& r : out) {
      if (*r) {
        result.append(py::cast(std::move(**r)));
      } else {
        try {
          Raise(r->error());
        } catch (py::error_already_set& e) {
          result.append(e.value());
        }
      }
    }
    return result;
  }

 private:
  quarry::Pipeline p_;
};

}  // namespace

PYBIND11_MODULE(_quarry, m) {
  m.doc() = "quarry's C++ core; use the `quarry` package, which wraps it.";
  m.attr("__version__") = quarry::kVersion;
  m.def("written_by", &quarry::WrittenByPipeline, py::arg("path"), py::arg("fingerprint"),
        "Whether the JSON at path was written by the pipeline with this fingerprint.");

  py::class_<RunOptions>(m, "_RunOptions")
      .def(py::init(&MakeRunOptions), py::arg("offsets") = "codepoint", py::arg("tokens") = true,
           py::arg("pretty") = false, py::arg("time_budget") = 0.0,
           py::arg("max_bytes") = uint64_t{64} << 20, py::arg("max_matches_per_rule") = 100000u,
           py::arg("tokens_only") = false);

  py::class_<Annotated>(m, "_Annotated")
      .def_property_readonly("json", [](const Annotated& a) { return py::str(a.json); })
      .def_property_readonly("text",
                             [](const Annotated& a) {
                               const std::string& t = a.doc->text();
                               return py::reinterpret_steal<py::str>(PyUnicode_DecodeUTF8(
                                   t.data(), static_cast<Py_ssize_t>(t.size()), "strict"));
                             })
      .def("export", [](const Annotated& a, const std::string& format) {
        std::string s;
        {
          py::gil_scoped_release release;
          if (format == "brat") s = quarry::ToBrat(*a.doc, *a.set);
          else if (format == "conll") s = quarry::ToConll(*a.doc, *a.set);
          else if (format == "events") s = quarry::ToEventTable(*a.doc, *a.set);
          else if (format == "html") s = quarry::ToHtml(*a.doc, *a.set);
          else if (format == "timeml") s = quarry::ToTimeML(*a.doc, *a.set);
          else if (format == "events-csv") s = quarry::ToEventCsv(*a.doc, *a.set);
          else if (format == "events-jsonl") s = quarry::ToEventJsonl(*a.doc, *a.set);
          else if (format == "w3c") s = quarry::ToW3C(*a.doc, *a.set);
        }
        static const char* kFormats[] = {"brat", "conll", "events", "events-csv", "events-jsonl",
                                         "html", "timeml", "w3c"};
        if (std::find(std::begin(kFormats), std::end(kFormats), format) == std::end(kFormats))
          throw py::value_error("export format must be brat, conll, events, events-csv, "
                                "events-jsonl, html, timeml or w3c, not '" + format + "'");
        return s;
      });

  py::class_<PyPipeline>(m, "_Pipeline")
      .def_static("compile", &PyPipeline::Compile, py::arg("gazetteers"), py::arg("rules"),
                  py::arg("temporal"), py::arg("temporal_grammars"), py::arg("newline"),
                  py::arg("split_clitics"), py::arg("match"), py::arg("lookups"), py::arg("link"))
      .def_static("load", &PyPipeline::Load, py::arg("path"))
      .def("save", &PyPipeline::Save, py::arg("path"))
      .def("info", &PyPipeline::Info)
      .def("annotate", &PyPipeline::Annotate, py::arg("item"), py::arg("options"))
      .def("annotate_batch", &PyPipeline::AnnotateBatch, py::arg("items"), py::arg("threads"),
           py::arg("options"));
}
