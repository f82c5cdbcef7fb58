// rules/rule_stage.cc: the rule Stage, example tests, saved rule sets.
#include "rules/rule_stage.h"

#include <algorithm>

#include "common/binary.h"
#include "common/strings.h"
#include "rules/compiler.h"
#include "rules/parser.h"

namespace quarry::internal {

Result<std::unique_ptr<Stage>> CompileRuleStage(const std::vector<SourceFile>& sources) {
  auto rs = rules::CompileRules(sources);
  if (!rs) return rs.error();
  return std::unique_ptr<Stage>(new rules::RuleStage(std::move(*rs)));
}

namespace rules {

Status RuleStage::Run(const RunContext& ctx, AnnotationSet& set) const {
  return rs_->Apply(ctx.doc, set, ctx.options, nullptr, &ctx);
}

MarkedText ParseMarkup(std::string_view src, const RuleSet& rs) {
  MarkedText out;
  std::vector<MarkupPiece> pieces;
  if (std::string e = SplitMarkup(src, pieces); !e.empty()) {
    out.error = "markup " + e;
    return out;
  }
  for (const MarkupPiece& piece : pieces) {
    if (!piece.mark) {
      out.text.append(piece.text);
      continue;
    }
    std::string_view inner = piece.text;
    size_t bar = inner.rfind('|');
    if (bar == std::string_view::npos) {
      out.error = "markup [[" + std::string(inner) + "]] needs a type: [[text|TYPE]]";
      return out;
    }
    std::string_view surface = inner.substr(0, bar);
    std::string_view spec = inner.substr(bar + 1);
    Annotation a;
    a.span.begin = static_cast<uint32_t>(out.text.size());
    out.text.append(surface);
    a.span.end = static_cast<uint32_t>(out.text.size());
    // TYPE then name=value pairs; values may be "quoted".
    size_t k = 0;
    auto skip_ws = [&] {
      while (k < spec.size() && spec[k] == ' ') ++k;
    };
    skip_ws();
    size_t b = k;
    while (k < spec.size() && spec[k] != ' ') ++k;
    a.type = std::string(spec.substr(b, k - b));
    auto it = rs.types().find(a.type);
    if (it == rs.types().end()) {
      out.error = "markup [[" + std::string(inner) + "]] names unknown type '" + a.type + "'";
      return out;
    }
    a.layer = it->second.layer;
    while (true) {
      skip_ws();
      if (k >= spec.size()) break;
      size_t nb = k;
      while (k < spec.size() && spec[k] != '=' && spec[k] != ' ') ++k;
      std::string name(spec.substr(nb, k - nb));
      if (k >= spec.size() || spec[k] != '=') {
        out.error = "markup [[" + std::string(inner) + "]]: expected name=value after the type";
        return out;
      }
      ++k;
      std::string value;
      if (k < spec.size() && spec[k] == '"') {
        size_t e = spec.find('"', k + 1);
        if (e == std::string_view::npos) e = spec.size();
        value = std::string(spec.substr(k + 1, e - k - 1));
        k = e + 1;
      } else {
        size_t vb = k;
        while (k < spec.size() && spec[k] != ' ') ++k;
        value = std::string(spec.substr(vb, k - vb));
      }
      a.SetFeature(name, value);
    }
    a.prov.source = "example";
    out.annotations.push_back(std::move(a));
  }
  return out;
}

std::string DescribeOutput(const Document& doc, const AnnotationSet& set, const Annotation& a) {
  std::string s = a.type + " \"" + std::string(doc.Slice(a.span)) + "\"";
  if (!a.args.empty()) {
    s += " (";
    for (size_t i = 0; i < a.args.size(); ++i) {
      const Annotation& t = set.annotations()[a.args[i].target];
      s += (i ? ", " : "") + a.args[i].role + "=\"" + std::string(doc.Slice(t.span)) + "\"";
    }
    s += ")";
  }
  if (!a.features.empty()) {
    s += " {";
    for (size_t i = 0; i < a.features.size(); ++i)
      s += (i ? ", " : "") + a.features[i].name + "=" + a.FeatureString(a.features[i].name);
    s += "}";
  }
  return s;
}

namespace {

bool Satisfies(const Document& doc, const AnnotationSet& set, const Annotation& a, const Expect& x,
               std::string& why) {
  if (a.type != x.type) {
    why = "type";
    return false;
  }
  if (x.has_span && doc.Slice(a.span) != x.span) {
    why = "span";
    return false;
  }
  for (auto& [role, text] : x.args) {
    bool found = false;
    for (auto& arg : a.args)
      if (arg.role == role && doc.Slice(set.annotations()[arg.target].span) == text) found = true;
    if (!found) {
      why = "argument " + role;
      return false;
    }
  }
  for (auto& [name, value] : x.features) {
    if (!a.FindFeature(name) || a.FeatureString(name) != value) {
      why = "feature " + name;
      return false;
    }
  }
  return true;
}

std::string DescribeExpect(const Expect& x) {
  std::string s = x.type;
  if (x.has_span) s += " \"" + x.span + "\"";
  if (!x.args.empty()) {
    s += " (";
    for (size_t i = 0; i < x.args.size(); ++i)
      s += (i ? ", " : "") + x.args[i].first + "=\"" + x.args[i].second + "\"";
    s += ")";
  }
  if (!x.features.empty()) {
    s += " {";
    for (size_t i = 0; i < x.features.size(); ++i)
      s += (i ? ", " : "") + x.features[i].first + "=" + x.features[i].second;
    s += "}";
  }
  return s;
}

}  // namespace

TestReport RunExamples(const RuleSet& rs, const PrepareFn& prepare, const std::string& only_rule) {
  TestReport report;
  Diags where(&rs.sources());
  for (size_t ri = 0; ri < rs.rules().size(); ++ri) {
    const CompiledRule& rule = rs.rules()[ri];
    if (!only_rule.empty() && rule.name != only_rule) continue;
    for (const Example& ex : rule.examples) {
      ++report.examples;
      auto fail = [&](std::string msg) {
        report.failures.push_back({where.Where(ex.loc), rule.name, std::move(msg)});
      };
      MarkedText mt = ParseMarkup(ex.text, rs);
      if (!mt.error.empty()) {
        fail(mt.error);
        continue;
      }
      Result<Document> doc = Document::FromBytes(mt.text, "example");
      if (!doc) {
        fail(doc.error().message());
        continue;
      }
      Result<AnnotationSet> prepared = prepare(*doc);
      if (!prepared) {
        fail("preparing the example failed: " + prepared.error().message());
        continue;
      }
      AnnotationSet set = std::move(*prepared);
      if (!mt.annotations.empty()) {
        // Marked-up annotations replace what earlier stages found at the same place.
        auto& anns = set.mutable_annotations();
        anns.erase(std::remove_if(anns.begin(), anns.end(),
                                  [&](const Annotation& a) {
                                    for (auto& m : mt.annotations)
                                      if (m.layer == a.layer && m.span.Overlaps(a.span)) return true;
                                    return false;
                                  }),
                   anns.end());
        for (auto& m : mt.annotations) set.Add(m);
      }
      size_t before = set.annotations().size();
      Status st = rs.Apply(*doc, set, AnnotateOptions{});
      if (!st.ok()) {
        fail("running the rules failed: " + st.message());
        continue;
      }
      std::vector<const Annotation*> mine;
      for (size_t i = before; i < set.annotations().size(); ++i)
        if (set.annotations()[i].prov.rule == rule.name) mine.push_back(&set.annotations()[i]);
      auto produced = [&] {
        std::string s;
        for (auto* a : mine) s += "\n      " + DescribeOutput(*doc, set, *a);
        return s;
      };
      auto explain = [&] {
        std::string s;
        for (uint32_t si = 0; si < set.sentences().size(); ++si) {
          ExplainResult e = rs.Explain(*doc, set, static_cast<int32_t>(ri), si);
          if (e.matched) {
            s += "\n      the pattern matches \"" +
                 std::string(doc->Slice({set.tokens()[e.start].span.begin,
                                         set.tokens()[e.reached - 1].span.end})) +
                 "\" but the match lost to another rule in conflict resolution";
            continue;
          }
          std::string got = e.reached > e.start
                                ? "\"" + std::string(doc->Slice({set.tokens()[e.start].span.begin,
                                                                 set.tokens()[e.reached - 1].span.end})) + "\""
                                : "nothing";
          std::string at = e.reached < set.sentences()[si].end_token
                               ? "token \"" + std::string(doc->Slice(set.tokens()[e.reached].span)) + "\""
                               : "the end of the sentence";
          std::string elems;
          for (int32_t el : e.failed_elements)
            elems += (elems.empty() ? "" : " or ") + rs.elements()[el].text + " (" +
                     where.Where(rs.elements()[el].loc) + ")";
          s += "\n      matched " + got + ", then " + (elems.empty() ? "no element" : elems) +
               " failed on " + at;
        }
        return s;
      };
      if (!ex.positive) {
        if (mine.empty()) ++report.passed;
        else fail("counter-example \"" + ex.text + "\" must not match, but the rule produced:" + produced());
        continue;
      }
      if (mine.empty()) {
        fail("example \"" + ex.text + "\" must match, but the rule produced nothing:" + explain());
        continue;
      }
      bool ok = true;
      for (const Expect& x : ex.expects) {
        bool found = false;
        std::string why;
        for (auto* a : mine) found |= Satisfies(*doc, set, *a, x, why);
        if (!found) {
          fail("example \"" + ex.text + "\": expected " + DescribeExpect(x) + ", produced instead:" +
               produced());
          ok = false;
          break;
        }
      }
      if (ok) ++report.passed;
    }
  }
  return report;
}

constexpr uint32_t kRuleSetFormat = 1;

Status SaveRuleSet(const RuleSet& rs, const std::string& path) {
  std::vector<SourceFile> files;
  for (const SourceFile& f : rs.sources())
    if (f.name != "<builtin>") files.push_back(f);
  BinaryWriter w;
  WriteSources(w, files);
  return WriteFileAtomic(path, WrapFile("RULE", kRuleSetFormat, w.data()));
}

Result<std::shared_ptr<const RuleSet>> LoadRuleSet(const std::string& path) {
  Result<std::string> file = ReadFile(path);
  if (!file) return file.error();
  Result<std::string_view> payload = UnwrapFile(*file, "RULE", kRuleSetFormat, path);
  if (!payload) return payload.error();
  BinaryReader r(*payload);
  std::vector<SourceFile> sources = ReadSources(r);
  QUARRY_RETURN_IF_ERROR(r.status(path));
  if (!r.at_end()) return Status(StatusCode::kDataLoss, path + ": trailing bytes in payload");
  QUARRY_RETURN_IF_ERROR(CheckBundledUtf8(sources, path, "rule file"));
  return CompileRules(std::move(sources));
}

}  // namespace rules
}  // namespace quarry::internal
