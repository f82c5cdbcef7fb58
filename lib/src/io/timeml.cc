// io/timeml.cc: ToTimeML / WriteTimeML (quarry/timeml.h).
#include "quarry/timeml.h"

#include <string_view>

#include "common/binary.h"

namespace quarry {
namespace {

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
