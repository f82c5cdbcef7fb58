// io/json_writer.cc: writes the stand-off JSON by hand (fast, stable key order).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>

#include "io/json_string.h"
#include "quarry/json.h"
#include "quarry/version.h"

namespace quarry {

void internal::AppendJsonString(std::string& out, std::string_view s) {
  out.push_back('"');
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out.push_back(ch);
        }
    }
  }
  out.push_back('"');
}

namespace {

void Escape(std::string& out, std::string_view s) { internal::AppendJsonString(out, s); }

char LayerPrefix(Layer l) {
  switch (l) {
    case Layer::kEntity: return 'e';
    case Layer::kTimex: return 't';
    case Layer::kEvent: return 'v';
    case Layer::kRelation: return 'r';
    case Layer::kOther: return 'x';
  }
  return 'x';
}

struct Writer {
  const Document& doc;
  const AnnotationSet& set;
  const JsonOptions& opt;
  std::string out;
  std::vector<std::string> ids;

  void Num(uint64_t v) { out += std::to_string(v); }
  void Pair(uint32_t a, uint32_t b) {
    out.push_back('[');
    Num(a);
    out.push_back(',');
    Num(b);
    out.push_back(']');
  }
  void UnitSpan(Span s) { Pair(doc.ToUnit(s.begin, opt.unit), doc.ToUnit(s.end, opt.unit)); }
  void Key(const char* k) {
    Escape(out, k);
    out.push_back(':');
  }
  void Nl(int indent) {
    if (!opt.pretty) return;
    out.push_back('\n');
    out.append(indent * 2, ' ');
  }
  void Value(const FeatureValue& v) {
    if (const auto* s = std::get_if<std::string>(&v)) {
      Escape(out, *s);
    } else if (const auto* i = std::get_if<int64_t>(&v)) {
      out += std::to_string(*i);
    } else if (const auto* b = std::get_if<bool>(&v)) {
      out += *b ? "true" : "false";
    } else {
      double d = std::get<double>(v);
      if (!std::isfinite(d)) {
        out += "null";
      } else {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.17g", d);
        out += buf;
      }
    }
  }

  void Spans(const char* name, size_t n, auto span_of) {
    Key(name);
    out += "{\"span\":[";
    for (size_t i = 0; i < n; ++i) {
      if (i) out.push_back(',');
      UnitSpan(span_of(i));
    }
    out += "],\"utf8\":[";
    for (size_t i = 0; i < n; ++i) {
      if (i) out.push_back(',');
      Span s = span_of(i);
      Pair(s.begin, s.end);
    }
    out += "]";
  }

  void Item(uint32_t idx) {
    const Annotation& a = set.annotations()[idx];
    out.push_back('{');
    Key("id");
    Escape(out, ids[idx]);
    out.push_back(',');
    Key("type");
    Escape(out, a.type);
    out.push_back(',');
    Key("span");
    UnitSpan(a.span);
    out.push_back(',');
    Key("utf8");
    Pair(a.span.begin, a.span.end);
    out.push_back(',');
    Key("text");
    Escape(out, doc.Slice(a.span));
    for (const Feature& f : a.features) {
      out.push_back(',');
      Escape(out, f.name);
      out.push_back(':');
      Value(f.value);
    }
    if (!a.args.empty()) {
      out.push_back(',');
      Key("args");
      out.push_back('[');
      for (size_t i = 0; i < a.args.size(); ++i) {
        const Argument& g = a.args[i];
        if (i) out.push_back(',');
        out.push_back('{');
        Key("role");
        Escape(out, g.role);
        out.push_back(',');
        Key("ref");
        Escape(out, g.target < ids.size() ? ids[g.target] : std::string());
        if (g.target < set.annotations().size()) {
          out.push_back(',');
          Key("text");
          Escape(out, doc.Slice(set.annotations()[g.target].span));
        }
        out.push_back('}');
      }
      out.push_back(']');
    }
    out.push_back(',');
    Key("prov");
    out.push_back('{');
    Key("source");
    Escape(out, a.prov.source);
    if (!a.prov.file.empty()) {
      out.push_back(',');
      Key("file");
      Escape(out, a.prov.file);
    }
    if (a.prov.line) {
      out.push_back(',');
      Key("line");
      Num(a.prov.line);
    }
    if (!a.prov.rule.empty()) {
      out.push_back(',');
      Key("rule");
      Escape(out, a.prov.rule);
    }
    if (!a.prov.phase.empty()) {
      out.push_back(',');
      Key("phase");
      Escape(out, a.prov.phase);
    }
    out += "}}";
  }

  std::string Run() {
    const auto& anns = set.annotations();
    ids = AnnotationIds(set);
    out.reserve(doc.size_utf8() * 4 + 1024);
    out.push_back('{');
    Nl(1);
    out += "\"schema\":\"quarry.standoff/1\",";
    Nl(1);
    out += "\"generator\":{\"name\":\"quarry\",\"version\":";
    Escape(out, kVersion);
    if (!set.pipeline().empty()) {
      out += ",\"pipeline\":";
      Escape(out, set.pipeline());
    }
    out += "},";
    Nl(1);
    Key("document");
    out.push_back('{');
    Key("id");
    Escape(out, doc.id());
    out.push_back(',');
    Key("sha256");
    Escape(out, doc.sha256());
    out += ",\"length\":{\"codepoint\":";
    Num(doc.size_codepoints());
    out += ",\"utf8\":";
    Num(doc.size_utf8());
    out += ",\"utf16\":";
    Num(doc.size_utf16());
    out += "},\"dct\":";
    if (doc.dct().empty()) {
      out += "null";
    } else {
      Escape(out, doc.dct());
    }
    out += ",\"bom\":";
    out += doc.has_bom() ? "true" : "false";
    if (!doc.meta().empty()) {
      out += ",\"meta\":";
      out += doc.meta();
    }
    out += "},";
    Nl(1);
    out += "\"offsets\":{\"unit\":";
    Escape(out, OffsetUnitName(opt.unit));
    out += ",\"end\":\"exclusive\"}";
    const auto& toks = set.tokens();
    if (opt.tokens) {
      out.push_back(',');
      Nl(1);
      Spans("tokens", toks.size(), [&](size_t i) { return toks[i].span; });
      out += ",\"kind\":[";
      for (size_t i = 0; i < toks.size(); ++i) {
        if (i) out.push_back(',');
        Escape(out, TokenKindName(toks[i].kind));
      }
      out += "]}";
    }
    const auto& sents = set.sentences();
    if (opt.sentences) {
      out.push_back(',');
      Nl(1);
      Spans("sentences", sents.size(), [&](size_t i) { return sents[i].span; });
      out += ",\"tokens\":[";
      for (size_t i = 0; i < sents.size(); ++i) {
        if (i) out.push_back(',');
        Pair(sents[i].first_token, sents[i].end_token);
      }
      out += "]}";
    }
    for (Layer layer : {Layer::kEntity, Layer::kTimex, Layer::kEvent, Layer::kRelation,
                        Layer::kOther}) {
      if (layer == Layer::kOther &&
          std::none_of(anns.begin(), anns.end(),
                       [](const Annotation& a) { return a.layer == Layer::kOther; }))
        continue;
      out.push_back(',');
      Nl(1);
      Key(LayerName(layer));
      out.push_back('[');
      bool first = true;
      for (uint32_t i = 0; i < anns.size(); ++i) {
        if (anns[i].layer != layer) continue;
        if (!first) out.push_back(',');
        first = false;
        Nl(2);
        Item(i);
      }
      out.push_back(']');
    }
    Nl(0);
    out += "}\n";
    return std::move(out);
  }
};

}  // namespace

std::string AnnotationId(const AnnotationSet& set, uint32_t index) {
  const auto& anns = set.annotations();
  if (index >= anns.size()) return "";
  uint32_t n = 0;
  for (uint32_t i = 0; i <= index; ++i) {
    if (anns[i].layer == anns[index].layer) ++n;
  }
  return std::string(1, LayerPrefix(anns[index].layer)) + std::to_string(n);
}

std::vector<std::string> AnnotationIds(const AnnotationSet& set) {
  const auto& anns = set.annotations();
  std::vector<std::string> ids(anns.size());
  uint32_t counts[5] = {0, 0, 0, 0, 0};
  for (size_t i = 0; i < anns.size(); ++i) {
    auto l = static_cast<size_t>(anns[i].layer);
    ids[i] = std::string(1, LayerPrefix(anns[i].layer)) + std::to_string(++counts[l]);
  }
  return ids;
}

bool WrittenByPipeline(const std::string& path, const std::string& fingerprint) {
  if (fingerprint.empty()) return false;
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  // "generator" is the second key, within the first hundred bytes.
  std::string head(4096, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<size_t>(in.gcount()));
  size_t g = head.find("\"generator\":");
  if (g == std::string::npos) return false;
  size_t end = head.find('}', g);
  return end != std::string::npos &&
         head.substr(g, end - g).find("\"pipeline\":\"" + fingerprint + "\"") != std::string::npos;
}

std::string ToJson(const Document& doc, const AnnotationSet& set, const JsonOptions& options) {
  Writer w{doc, set, options, {}, {}};
  return w.Run();
}

}  // namespace quarry
