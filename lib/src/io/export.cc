// io/export.cc: brat, CoNLL, event table and HTML exporters.
#include "quarry/export.h"

#include <algorithm>
#include <map>
#include <set>
#include <vector>

#include "io/json_string.h"
#include "quarry/json.h"

namespace quarry {
namespace {

std::string OneLine(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c == '\t' || c == '\n' || c == '\r') c = ' ';
  }
  return out;
}

std::string HtmlEscape(std::string_view s) {
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

// brat type names: letters, digits, '-' and '_' only.
std::string BratType(std::string_view t) {
  std::string out;
  for (char c : t) out.push_back(std::isalnum(static_cast<unsigned char>(c)) || c == '-' ? c : '_');
  if (out.empty() || std::isdigit(static_cast<unsigned char>(out[0]))) out = "T_" + out;
  return out;
}

std::string RoleName(std::string_view r) {
  std::string out = BratType(r);
  if (!out.empty()) out[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(out[0])));
  return out;
}

const Sentence* SentenceOf(const AnnotationSet& set, uint32_t byte) {
  const auto& s = set.sentences();
  auto it = std::upper_bound(s.begin(), s.end(), byte,
                             [](uint32_t b, const Sentence& x) { return b < x.span.begin; });
  if (it == s.begin()) return nullptr;
  --it;
  return byte < it->span.end ? &*it : nullptr;
}

}  // namespace

std::string ToBrat(const Document& doc, const AnnotationSet& set) {
  const auto& anns = set.annotations();
  std::string out;
  std::map<uint32_t, std::string> tid;  // annotation index -> T id
  int t = 0, e = 0, r = 0, note = 0;
  auto fragments = [&](Span s) {
    // brat spans may not cross line breaks: split at them.
    std::string frag;
    uint32_t b = s.begin;
    std::string_view text = doc.text();
    for (uint32_t i = s.begin; i <= s.end; ++i) {
      if (i == s.end || text[i] == '\n' || text[i] == '\r') {
        if (i > b) {
          if (!frag.empty()) frag += ";";
          frag += std::to_string(doc.ToCodepoint(b)) + " " + std::to_string(doc.ToCodepoint(i));
        }
        b = i + 1;
      }
    }
    return frag;
  };
  auto text_bound = [&](uint32_t i, const std::string& type) {
    const Annotation& a = anns[i];
    std::string id = "T" + std::to_string(++t);
    tid[i] = id;
    out += id + "\t" + BratType(type) + " " + fragments(a.span) + "\t" +
           OneLine(doc.Slice(a.span)) + "\n";
    std::string notes;
    for (const char* f : {"entity", "name", "value", "cameo", "label", "date"}) {
      std::string v = a.FeatureString(f);
      if (!v.empty()) notes += std::string(notes.empty() ? "" : " ") + f + "=" + v;
    }
    if (!notes.empty()) out += "#" + std::to_string(++note) + "\tAnnotatorNotes " + id + "\t" +
                               OneLine(notes) + "\n";
    return id;
  };
  for (uint32_t i = 0; i < anns.size(); ++i) {
    if (anns[i].layer == Layer::kEntity || anns[i].layer == Layer::kTimex ||
        anns[i].layer == Layer::kOther)
      text_bound(i, anns[i].type);
  }
  for (uint32_t i = 0; i < anns.size(); ++i) {
    const Annotation& a = anns[i];
    if (a.layer == Layer::kEvent) {
      std::string trig = text_bound(i, a.type);
      std::string line = "E" + std::to_string(++e) + "\t" + BratType(a.type) + ":" + trig;
      std::map<std::string, int> seen;
      for (const Argument& g : a.args) {
        auto it = tid.find(g.target);
        if (it == tid.end()) continue;
        std::string role = RoleName(g.role);
        int n = ++seen[role];
        line += " " + role + (n > 1 ? std::to_string(n) : "") + ":" + it->second;
      }
      out += line + "\n";
    } else if (a.layer == Layer::kRelation) {
      std::string subj, obj;
      for (const Argument& g : a.args) {
        auto it = tid.find(g.target);
        if (it == tid.end()) continue;
        if (g.role == "subject" && subj.empty()) subj = it->second;
        if (g.role == "object" && obj.empty()) obj = it->second;
      }
      if (subj.empty() || obj.empty()) continue;
      out += "R" + std::to_string(++r) + "\t" + BratType(a.type) + " Arg1:" + subj +
             " Arg2:" + obj + "\n";
    }
  }
  return out;
}

std::string BratConfig(const AnnotationSet& set) {
  std::set<std::string> ents, events, rels;
  std::map<std::string, std::set<std::string>> roles;
  for (const auto& a : set.annotations()) {
    if (a.layer == Layer::kEvent) {
      events.insert(BratType(a.type));
      for (const auto& g : a.args) roles[BratType(a.type)].insert(RoleName(g.role));
    } else if (a.layer == Layer::kRelation) {
      rels.insert(BratType(a.type));
    } else {
      ents.insert(BratType(a.type));
    }
  }
  std::string out = "[entities]\n";
  for (const auto& x : ents) out += x + "\n";
  out += "\n[relations]\n";
  for (const auto& x : rels) out += x + "\tArg1:<ENTITY>, Arg2:<ENTITY>\n";
  out += "<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>\n";
  out += "\n[events]\n";
  for (const auto& x : events) {
    out += x;
    bool first = true;
    for (const auto& role : roles[x]) {
      out += (first ? "\t" : ", ") + role + "*:<ANY>";
      first = false;
    }
    out += "\n";
  }
  out += "\n[attributes]\n";
  return out;
}

std::string ToConll(const Document& doc, const AnnotationSet& set) {
  const auto& toks = set.tokens();
  std::vector<std::string> ent_tag(toks.size(), "O"), ent_id(toks.size(), "_"),
      tmx_tag(toks.size(), "O");
  // Longest annotation first, so nested ones do not overwrite the outer tag.
  std::vector<uint32_t> order(set.annotations().size());
  for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  const auto& anns = set.annotations();
  std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    return anns[a].span.size() > anns[b].span.size();
  });
  for (uint32_t i : order) {
    const Annotation& a = anns[i];
    std::vector<std::string>* tags = a.layer == Layer::kEntity  ? &ent_tag
                                     : a.layer == Layer::kTimex ? &tmx_tag
                                                                : nullptr;
    if (!tags) continue;
    bool free = true;
    for (uint32_t k = a.first_token; k < a.end_token && k < toks.size(); ++k)
      free &= (*tags)[k] == "O";
    if (!free) continue;
    for (uint32_t k = a.first_token; k < a.end_token && k < toks.size(); ++k) {
      (*tags)[k] = (k == a.first_token ? "B-" : "I-") + a.type;
      if (a.layer == Layer::kEntity) {
        std::string id = a.FeatureString("entity");
        ent_id[k] = id.empty() ? "_" : id;
      }
    }
  }
  std::string out = "# quarry CoNLL export: " + doc.id() +
                    "\n# columns: ID FORM START END ENTITY ENTITY_ID TIMEX (offsets in code points)\n";
  for (const Sentence& s : set.sentences()) {
    for (uint32_t k = s.first_token; k < s.end_token; ++k) {
      const Token& tk = toks[k];
      out += std::to_string(k - s.first_token + 1) + "\t" + OneLine(doc.Slice(tk.span)) + "\t" +
             std::to_string(doc.ToCodepoint(tk.span.begin)) + "\t" +
             std::to_string(doc.ToCodepoint(tk.span.end)) + "\t" + ent_tag[k] + "\t" + ent_id[k] +
             "\t" + tmx_tag[k] + "\n";
    }
    out += "\n";
  }
  return out;
}

namespace {

// The columns of the event table, in order (docs/exports.md).
const std::vector<std::string>& EventColumns() {
  static const std::vector<std::string> kColumns = {
      "document", "id", "layer", "type", "cameo", "cameo_root", "label", "plover", "source",
      "source_id", "source_code", "target", "target_id", "target_code", "date", "date_source",
      "modality", "polarity", "fatalities", "trigger", "start", "end", "arguments", "sentence",
      "rule", "place", "place_id"};
  return kColumns;
}

// One row per event and relation, in annotation order; each row has EventColumns().size()
// fields. Linear in the number of annotations.
std::vector<std::vector<std::string>> EventRows(const Document& doc, const AnnotationSet& set) {
  const auto& anns = set.annotations();
  const std::vector<std::string> ids = AnnotationIds(set);
  std::vector<std::vector<std::string>> rows;
  // The actor code of an argument: an ACTOR's `code`, an entity's `cameo`, else "".
  auto code_of = [&](const Annotation& t) {
    std::string c = t.FeatureString("code");
    return c.empty() ? t.FeatureString("cameo") : c;
  };
  for (uint32_t i = 0; i < anns.size(); ++i) {
    const Annotation& a = anns[i];
    if (a.layer != Layer::kEvent && a.layer != Layer::kRelation) continue;
    const bool event = a.layer == Layer::kEvent;
    std::string args;
    const Annotation* source = nullptr;
    const Annotation* target = nullptr;
    const Annotation* place = nullptr;
    uint32_t source_i = 0, target_i = 0, place_i = 0;
    for (const Argument& g : a.args) {
      if (g.target >= anns.size()) continue;
      const Annotation& t = anns[g.target];
      if (!source && g.role == (event ? "source" : "subject")) source = &t, source_i = g.target;
      if (!target && g.role == (event ? "target" : "object")) target = &t, target_i = g.target;
      if (!place && g.role == "place") place = &t, place_i = g.target;
      if (!args.empty()) args += "; ";
      args += g.role + "=" + std::string(doc.Slice(t.span));
      std::string id = t.FeatureString(t.layer == Layer::kTimex ? "value" : "entity");
      if (!id.empty()) args += "[" + id + "]";
    }
    // Events carry the codes the coder chose for their actors; relations take the entities'.
    std::string source_code = a.FeatureString("source_code");
    if (source_code.empty() && source) source_code = code_of(*source);
    std::string target_code = a.FeatureString("target_code");
    if (target_code.empty() && target) target_code = code_of(*target);
    const Sentence* s = SentenceOf(set, a.span.begin);
    std::string rule = a.prov.rule;
    if (!a.prov.file.empty()) rule += " (" + a.prov.file + ":" + std::to_string(a.prov.line) + ")";
    rows.push_back({
        doc.id(),
        ids[i],
        event ? "event" : "relation",
        a.type,
        a.FeatureString("cameo"),
        a.FeatureString("cameo_root"),
        a.FeatureString("label"),
        a.FeatureString("plover"),
        source ? std::string(doc.Slice(source->span)) : "",
        source ? ids[source_i] : "",
        source_code,
        target ? std::string(doc.Slice(target->span)) : "",
        target ? ids[target_i] : "",
        target_code,
        a.FeatureString("date"),
        a.FeatureString("date_source"),
        a.FeatureString("modality"),
        a.FeatureString("polarity"),
        a.FeatureString("fatalities"),
        std::string(doc.Slice(a.span)),
        std::to_string(doc.ToCodepoint(a.span.begin)),
        std::to_string(doc.ToCodepoint(a.span.end)),
        args,
        s ? std::string(doc.Slice(s->span)) : "",
        rule,
        place ? std::string(doc.Slice(place->span)) : "",
        place ? ids[place_i] : ""});
  }
  return rows;
}

// A CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break.
void CsvField(std::string& out, std::string_view f) {
  if (f.find_first_of(",\"\r\n") == std::string_view::npos) {
    out += f;
    return;
  }
  out.push_back('"');
  for (char c : f) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}

// A JSON string literal.
void JsonString(std::string& out, std::string_view s) { internal::AppendJsonString(out, s); }

}  // namespace

std::string ToEventTable(const Document& doc, const AnnotationSet& set) {
  const auto& cols = EventColumns();
  std::string out;
  for (size_t k = 0; k < cols.size(); ++k) out += (k ? "\t" : "") + cols[k];
  out += "\n";
  for (const auto& row : EventRows(doc, set)) {
    for (size_t k = 0; k < row.size(); ++k) {
      if (k) out.push_back('\t');
      out += OneLine(row[k]);
    }
    out += "\n";
  }
  return out;
}

std::string ToEventCsv(const Document& doc, const AnnotationSet& set, bool header) {
  const auto& cols = EventColumns();
  std::string out;
  if (header) {
    for (size_t k = 0; k < cols.size(); ++k) {
      if (k) out.push_back(',');
      CsvField(out, cols[k]);
    }
    out += "\r\n";
  }
  for (const auto& row : EventRows(doc, set)) {
    for (size_t k = 0; k < row.size(); ++k) {
      if (k) out.push_back(',');
      CsvField(out, row[k]);
    }
    out += "\r\n";
  }
  return out;
}

std::string ToEventJsonl(const Document& doc, const AnnotationSet& set) {
  const auto& cols = EventColumns();
  std::string out;
  for (const auto& row : EventRows(doc, set)) {
    out.push_back('{');
    for (size_t k = 0; k < row.size(); ++k) {
      if (k) out.push_back(',');
      JsonString(out, cols[k]);
      out.push_back(':');
      // Offsets are numbers; the rest strings, empty fields null.
      if ((cols[k] == "start" || cols[k] == "end") && !row[k].empty()) {
        out += row[k];
      } else if (row[k].empty()) {
        out += "null";
      } else {
        JsonString(out, row[k]);
      }
    }
    out += "}\n";
  }
  return out;
}

std::string ToW3C(const Document& doc, const AnnotationSet& set) {
  // W3C Web Annotation Data Model (JSON-LD): one AnnotationCollection for the document, its
  // annotations in one AnnotationPage. Targets name the document by the SHA-256 of its text and
  // select the text twice: TextQuoteSelector (exact, prefix and suffix of up to 32 code points)
  // and TextPositionSelector (code points, as the model counts characters).
  const auto& anns = set.annotations();
  const std::vector<std::string> ids = AnnotationIds(set);
  const std::string source = "urn:sha256:" + doc.sha256();
  const std::string& text = doc.text();
  const uint32_t n_cp = doc.ToCodepoint(doc.size_utf8());
  auto context = [&](uint32_t from_cp, uint32_t to_cp) {  // the text between two code points
    uint32_t b = doc.FromCodepoint(from_cp), e = doc.FromCodepoint(to_cp);
    return std::string_view(text).substr(b, e - b);
  };
  std::string out = "{\"@context\":\"http://www.w3.org/ns/anno.jsonld\",\"id\":";
  JsonString(out, source + "#annotations");
  out += ",\"type\":\"AnnotationCollection\",\"label\":";
  JsonString(out, doc.id());
  out += ",\"total\":" + std::to_string(anns.size());
  out += ",\"generator\":{\"type\":\"Software\",\"name\":\"quarry\"";
  if (!set.pipeline().empty()) {
    out += ",\"id\":";
    JsonString(out, "urn:quarry:pipeline:" + set.pipeline());
  }
  out += "},\"first\":{\"type\":\"AnnotationPage\",\"items\":[";
  for (uint32_t i = 0; i < anns.size(); ++i) {
    const Annotation& a = anns[i];
    if (i) out.push_back(',');
    out += "\n{\"id\":";
    JsonString(out, source + "#" + ids[i]);
    out += ",\"type\":\"Annotation\",\"motivation\":";
    out += a.layer == Layer::kEntity || a.layer == Layer::kTimex ? "\"identifying\"" : "\"classifying\"";
    out += ",\"body\":[{\"type\":\"TextualBody\",\"purpose\":\"classifying\",\"value\":";
    JsonString(out, std::string(LayerName(a.layer)) + ":" + a.type);
    out.push_back('}');
    std::string entity = a.FeatureString("entity");
    if (!entity.empty()) {
      out += ",{\"type\":\"SpecificResource\",\"purpose\":\"identifying\",\"source\":";
      JsonString(out, "urn:quarry:entity:" + entity);
      out.push_back('}');
    }
    for (const auto& f : a.features) {
      if (f.name == "entity") continue;
      out += ",{\"type\":\"TextualBody\",\"purpose\":\"describing\",\"value\":";
      JsonString(out, f.name + "=" + a.FeatureString(f.name));
      out.push_back('}');
    }
    for (const Argument& g : a.args) {
      if (g.target >= anns.size()) continue;
      out += ",{\"type\":\"SpecificResource\",\"purpose\":\"linking\",\"source\":";
      JsonString(out, source + "#" + ids[g.target]);
      out += ",\"scope\":";
      JsonString(out, g.role);
      out.push_back('}');
    }
    out += "],\"target\":{\"source\":";
    JsonString(out, source);
    out += ",\"selector\":[{\"type\":\"TextQuoteSelector\",\"exact\":";
    JsonString(out, doc.Slice(a.span));
    const uint32_t b = doc.ToCodepoint(a.span.begin), e = doc.ToCodepoint(a.span.end);
    out += ",\"prefix\":";
    JsonString(out, context(b > 32 ? b - 32 : 0, b));
    out += ",\"suffix\":";
    JsonString(out, context(e, std::min(n_cp, e + 32)));
    out += "},{\"type\":\"TextPositionSelector\",\"start\":" + std::to_string(b) +
           ",\"end\":" + std::to_string(e) + "}]}}";
  }
  out += "]}}\n";
  return out;
}

std::string ToHtml(const Document& doc, const AnnotationSet& set) {
  const auto& anns = set.annotations();
  // Boundaries of highlighted spans split the text into segments; each segment is wrapped in
  // the annotations that cover it (outermost first).
  std::set<uint32_t> cuts = {0, doc.size_utf8()};
  for (const auto& a : anns) {
    cuts.insert(a.span.begin);
    cuts.insert(a.span.end);
  }
  std::vector<uint32_t> b(cuts.begin(), cuts.end());
  const std::vector<std::string> ids = AnnotationIds(set);
  std::string body;
  std::vector<uint32_t> order(anns.size());
  for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](uint32_t x, uint32_t y) {
    if (anns[x].span.begin != anns[y].span.begin) return anns[x].span.begin < anns[y].span.begin;
    return anns[x].span.end > anns[y].span.end;
  });
  // A sweep over the segments: `active` holds the annotations that started at or before the
  // segment, outermost first; those that ended are dropped. Linear in segments plus annotations
  // (times the nesting depth).
  std::vector<uint32_t> active;
  size_t next = 0;
  for (size_t k = 0; k + 1 < b.size(); ++k) {
    Span seg{b[k], b[k + 1]};
    std::erase_if(active, [&](uint32_t i) { return anns[i].span.end <= seg.begin; });
    while (next < order.size() && anns[order[next]].span.begin <= seg.begin) {
      if (anns[order[next]].span.end > seg.begin) active.push_back(order[next]);
      ++next;
    }
    std::string open, close;
    for (uint32_t i : active) {
      const Annotation& a = anns[i];
      if (!a.span.Contains(seg)) continue;
      std::string cls = a.layer == Layer::kEntity  ? "ent"
                        : a.layer == Layer::kTimex ? "tmx"
                        : a.layer == Layer::kEvent ? "evt"
                                                   : "oth";
      std::string title = ids[i] + " " + a.type;
      for (const auto& f : a.features) title += "\n" + f.name + "=" + a.FeatureString(f.name);
      if (!a.prov.rule.empty()) title += "\nrule " + a.prov.rule;
      open += "<span class=\"" + cls + " t-" + BratType(a.type) + "\" title=\"" +
              HtmlEscape(title) + "\">";
      close += "</span>";
    }
    body += open + HtmlEscape(doc.Slice(seg)) + close;
  }
  std::string rows;
  for (uint32_t i = 0; i < anns.size(); ++i) {
    const Annotation& a = anns[i];
    if (a.layer != Layer::kEvent && a.layer != Layer::kRelation) continue;
    std::string args;
    for (const Argument& g : a.args) {
      if (g.target >= anns.size()) continue;
      args += "<b>" + HtmlEscape(g.role) + "</b> " + HtmlEscape(doc.Slice(anns[g.target].span)) +
              "<br>";
    }
    rows += "<tr><td>" + ids[i] + "</td><td>" + HtmlEscape(a.type) + "</td><td>" +
            HtmlEscape(a.FeatureString("cameo")) + "</td><td>" +
            HtmlEscape(a.FeatureString("date")) + "</td><td>" + HtmlEscape(doc.Slice(a.span)) +
            "</td><td>" + args + "</td></tr>\n";
  }
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" +
      HtmlEscape(doc.id()) +
      " - quarry</title>\n<style>\n"
      "body{font:16px/1.6 Georgia,serif;max-width:52em;margin:2em auto;padding:0 1em;color:#222}\n"
      ".text{white-space:pre-wrap}\n"
      ".ent{background:#dbeafe;border-bottom:2px solid #3b82f6}\n"
      ".t-PERSON{background:#fde68a;border-color:#d97706}.t-ORG{background:#fecaca;border-color:#dc2626}\n"
      ".t-GPE,.t-LOC,.t-FAC{background:#bbf7d0;border-color:#16a34a}\n"
      ".tmx{background:#e9d5ff;border-bottom:2px solid #9333ea}\n"
      ".evt{text-decoration:underline wavy #b91c1c;font-weight:bold}\n"
      "span[title]{cursor:help}table{border-collapse:collapse;font:14px sans-serif;margin-top:2em}\n"
      "td,th{border:1px solid #ccc;padding:.3em .5em;vertical-align:top}\n"
      ".legend span{padding:0 .4em;margin-right:.5em}\n</style></head><body>\n<h1>" +
      HtmlEscape(doc.id()) +
      "</h1>\n<p class=\"dct\">Document date: " +
      (doc.dct().empty() ? std::string("unknown") : HtmlEscape(doc.dct())) +
      "</p>\n<p class=\"legend\"><span class=\"ent t-PERSON\">person</span><span class=\"ent "
      "t-ORG\">organisation</span><span class=\"ent t-GPE\">place</span><span "
      "class=\"ent\">other entity</span><span class=\"tmx\">time</span><span "
      "class=\"evt\">event trigger</span> (hover for details)</p>\n<div class=\"text\">" +
      body + "</div>\n<h2>Events and relations</h2>\n<table><tr><th>id</th><th>type</th>"
             "<th>CAMEO</th><th>date</th><th>trigger</th><th>arguments</th></tr>\n" +
      (rows.empty() ? std::string("<tr><td colspan=\"6\" class=\"none\">no events or relations "
                                  "found</td></tr>\n")
                    : rows) +
      "</table>\n</body></html>\n";
  return out;
}

}  // namespace quarry
