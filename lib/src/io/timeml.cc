// io/timeml.cc: ToTimeML / WriteTimeML (quarry/timeml.h).
#include "quarry/timeml.h"

#include <cstdlib>
#include <cstring>
#include <string_view>
#include <utility>

#include "common/binary.h"
#include "common/utf8.h"

namespace quarry {
namespace {

Status TimeMLError(const std::string& path, std::string_view content, size_t at,
                   const std::string& what) {
  auto [line, col] = internal::LineColumn(content, at);
  Diagnostic d;
  d.file = path;
  d.line = static_cast<uint32_t>(line);
  d.column = static_cast<uint32_t>(col);
  d.byte_offset = at;
  d.message = what;
  return Status(StatusCode::kParseError, path + ":" + std::to_string(line) + ":" +
                                             std::to_string(col) + " (byte " + std::to_string(at) +
                                             "): " + what)
      .WithDiagnostics({d});
}

// The value of attribute `name` in a start tag ("" when absent), entities decoded.
std::string TagAttr(std::string_view tag, std::string_view name) {
  for (size_t p = 0; (p = tag.find(name, p)) != std::string_view::npos; p += name.size()) {
    if (p == 0 || (tag[p - 1] != ' ' && tag[p - 1] != '\t' && tag[p - 1] != '\n')) continue;
    size_t q = p + name.size();
    while (q < tag.size() && tag[q] == ' ') ++q;
    if (q >= tag.size() || tag[q] != '=') continue;
    ++q;
    while (q < tag.size() && tag[q] == ' ') ++q;
    if (q >= tag.size() || (tag[q] != '"' && tag[q] != '\'')) continue;
    char quote = tag[q];
    size_t e = tag.find(quote, q + 1);
    if (e == std::string_view::npos) return "";
    std::string v(tag.substr(q + 1, e - q - 1));
    for (auto [ent, ch] : {std::pair<const char*, const char*>{"&quot;", "\""},
                           {"&apos;", "'"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&amp;", "&"}}) {
      for (size_t k; (k = v.find(ent)) != std::string::npos;) v.replace(k, std::strlen(ent), ch);
    }
    return v;
  }
  return "";
}

// The element name of a tag's text ("TIMEX3" of "<TIMEX3 tid=...>", "TIMEX3" of "</TIMEX3>").
std::string_view TagName(std::string_view tag) {
  size_t b = tag[1] == '/' ? 2 : 1;
  size_t e = b;
  while (e < tag.size() && tag[e] != ' ' && tag[e] != '>' && tag[e] != '/' && tag[e] != '\t' &&
         tag[e] != '\n' && tag[e] != '\r')
    ++e;
  return tag.substr(b, e - b);
}

void Escape(std::string& out, std::string_view s) {
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out.push_back(c);
    }
  }
}

void Attr(std::string& out, std::string_view name, std::string_view value) {
  out.push_back(' ');
  out += name;
  out += "=\"";
  Escape(out, value);
  out.push_back('"');
}

}  // namespace

Result<TimeMLDocument> ReadTimeML(std::string_view content, const std::string& path) {
  TimeMLDocument out;
  auto element = [&](std::string_view open, std::string_view close, size_t* at) -> std::string_view {
    size_t b = content.find(open);
    if (b == std::string_view::npos) return {};
    size_t gt = content.find('>', b);
    if (gt == std::string_view::npos) return {};
    size_t e = content.find(close, gt + 1);
    if (e == std::string_view::npos) return {};
    if (at) *at = gt + 1;
    return content.substr(gt + 1, e - gt - 1);
  };
  if (std::string_view id = element("<DOCID", "</DOCID>", nullptr); !id.empty()) {
    size_t b = id.find_first_not_of(" \t\r\n"), e = id.find_last_not_of(" \t\r\n");
    if (b != std::string_view::npos) out.id = std::string(id.substr(b, e - b + 1));
  }
  if (std::string_view dct = element("<DCT", "</DCT>", nullptr); !dct.empty()) {
    size_t t = dct.find("<TIMEX3");
    if (t != std::string_view::npos) {
      size_t gt = dct.find('>', t);
      if (gt != std::string_view::npos) out.dct = TagAttr(dct.substr(t, gt - t + 1), "value");
    }
  }
  size_t text_at = 0;
  size_t open_text = content.find("<TEXT");
  if (open_text == std::string_view::npos)
    return TimeMLError(path, content, 0, "no <TEXT> element: not a TimeML document");
  std::string_view body = element("<TEXT", "</TEXT>", &text_at);
  if (text_at == 0) return TimeMLError(path, content, open_text, "<TEXT> is not closed by </TEXT>");
  // Tags removed, entities decoded; TIMEX3 spans recorded (elements must nest properly).
  std::vector<std::pair<std::string, size_t>> stack;  // open element, its timex index or npos
  for (size_t i = 0; i < body.size();) {
    char c = body[i];
    if (c == '<') {
      size_t abs = text_at + i;
      if (body.compare(i, 4, "<!--") == 0) {
        size_t e = body.find("-->", i + 4);
        if (e == std::string_view::npos) return TimeMLError(path, content, abs, "unclosed comment");
        i = e + 3;
        continue;
      }
      size_t e = body.find('>', i);
      size_t lt = body.find('<', i + 1);
      if (e == std::string_view::npos || (lt != std::string_view::npos && lt < e))
        return TimeMLError(path, content, abs, "unclosed tag");
      std::string_view tag = body.substr(i, e - i + 1);
      std::string_view name = TagName(tag);
      if (name.empty()) return TimeMLError(path, content, abs, "a tag without an element name");
      if (tag[1] == '/') {
        if (stack.empty() || stack.back().first != name)
          return TimeMLError(path, content, abs,
                             "</" + std::string(name) + "> closes " +
                                 (stack.empty() ? std::string("no element")
                                                : "<" + stack.back().first + ">"));
        if (stack.back().second != std::string::npos)
          out.timexes[stack.back().second].end = static_cast<uint32_t>(out.text.size());
        stack.pop_back();
      } else if (tag[tag.size() - 2] != '/') {
        size_t index = std::string::npos;
        if (name == "TIMEX3") {
          TimeMLTimex t;
          t.begin = static_cast<uint32_t>(out.text.size());
          t.tid = TagAttr(tag, "tid");
          t.type = TagAttr(tag, "type");
          t.value = TagAttr(tag, "value");
          t.mod = TagAttr(tag, "mod");
          index = out.timexes.size();
          out.timexes.push_back(std::move(t));
        }
        stack.emplace_back(std::string(name), index);
      }
      i = e + 1;
      continue;
    }
    if (c == '&') {
      size_t e = body.find(';', i);
      std::string_view ent = e == std::string_view::npos || e - i > 10 ? std::string_view()
                                                                        : body.substr(i, e - i + 1);
      uint32_t cp = 0;
      if (ent == "&amp;") cp = '&';
      else if (ent == "&lt;") cp = '<';
      else if (ent == "&gt;") cp = '>';
      else if (ent == "&quot;") cp = '"';
      else if (ent == "&apos;") cp = '\'';
      else if (ent.size() > 3 && ent[1] == '#') {
        bool hex = ent[2] == 'x' || ent[2] == 'X';
        std::string digits(ent.substr(hex ? 3 : 2, ent.size() - (hex ? 4 : 3)));
        char* end = nullptr;
        unsigned long v = std::strtoul(digits.c_str(), &end, hex ? 16 : 10);
        if (!digits.empty() && end && *end == 0 && v > 0 && v <= 0x10FFFF &&
            !(v >= 0xD800 && v <= 0xDFFF))
          cp = static_cast<uint32_t>(v);
      }
      if (cp == 0)
        return TimeMLError(path, content, text_at + i,
                           "unknown or malformed entity '" +
                               std::string(body.substr(i, std::min<size_t>(12, body.size() - i))) +
                               "'");
      internal::AppendUtf8(out.text, cp);
      i += ent.size();
      continue;
    }
    out.text.push_back(c);
    ++i;
  }
  if (!stack.empty())
    return TimeMLError(path, content, text_at + body.size(),
                       "<" + stack.back().first + "> is not closed before </TEXT>");
  return out;
}

std::string ToTimeML(const Document& doc, const AnnotationSet& set) {
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<TimeML>\n<DOCID>";
  Escape(out, doc.id());
  out += "</DOCID>\n";
  if (!doc.dct().empty()) {
    out += "<DCT><TIMEX3 tid=\"t0\" type=\"DATE\"";
    std::string_view dct = doc.dct();
    Attr(out, "value", dct.substr(0, dct.find('T') == 10 ? std::string_view::npos : 10));
    out += " temporalFunction=\"false\" functionInDocument=\"CREATION_TIME\">";
    Escape(out, dct);
    out += "</TIMEX3></DCT>\n";
  }
  out += "<TEXT>";
  const std::string& text = doc.text();
  uint32_t pos = 0, n = 0;
  for (const Annotation& a : set.annotations()) {
    if (a.layer != Layer::kTimex) continue;
    ++n;  // ids count every timex, as the JSON ids do
    if (a.span.begin < pos || a.span.end > text.size()) continue;
    Escape(out, std::string_view(text).substr(pos, a.span.begin - pos));
    out += "<TIMEX3";
    Attr(out, "tid", "t" + std::to_string(n));
    Attr(out, "type", a.type);
    Attr(out, "value", a.FeatureString("value"));
    if (a.FindFeature("mod")) Attr(out, "mod", a.FeatureString("mod"));
    out.push_back('>');
    Escape(out, doc.Slice(a.span));
    out += "</TIMEX3>";
    pos = a.span.end;
  }
  Escape(out, std::string_view(text).substr(pos));
  out += "</TEXT>\n</TimeML>\n";
  return out;
}

Status WriteTimeML(const Document& doc, const AnnotationSet& set, const std::string& path) {
  return internal::WriteFileAtomic(path, ToTimeML(doc, set));
}

}  // namespace quarry
