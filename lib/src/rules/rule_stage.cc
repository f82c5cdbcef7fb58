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
  size_t before = set.annotations().size();
  QUARRY_RETURN_IF_ERROR(rs_->Apply(ctx.doc, set, ctx.options, nullptr, &ctx, which_));
  if (which_ == PhaseSet::kEarly && set.annotations().size() > before) ReconcileEntities(ctx.doc, set);
  return Status();
}

void ReconcileEntities(const Document& doc, AnnotationSet& set) {
  auto& anns = set.mutable_annotations();
  std::vector<uint32_t> ents;
  for (uint32_t i = 0; i < anns.size(); ++i)
    if (anns[i].layer == Layer::kEntity) ents.push_back(i);
  std::sort(ents.begin(), ents.end(), [&](uint32_t a, uint32_t b) {
    if (anns[a].span.begin != anns[b].span.begin) return anns[a].span.begin < anns[b].span.begin;
    return anns[a].span.end > anns[b].span.end;
  });
  std::vector<uint8_t> drop(anns.size(), 0);
  auto from_rule = [&](uint32_t i) { return anns[i].prov.source == "rule"; };
  for (size_t x = 0; x < ents.size(); ++x) {
    uint32_t a = ents[x];
    if (drop[a]) continue;
    for (size_t y = x + 1; y < ents.size(); ++y) {
      uint32_t b = ents[y];
      if (anns[b].span.begin >= anns[a].span.end) break;
      if (drop[b] || from_rule(a) == from_rule(b)) continue;
      // Overlap between a rule's find and a gazetteer name: keep the longer (on a tie, the
      // gazetteer's, which knows the entity).
      uint32_t la = anns[a].span.size(), lb = anns[b].span.size();
      uint32_t loser = la > lb ? b : lb > la ? a : (from_rule(a) ? a : b);
      drop[loser] = 1;
      if (loser == a) break;
    }
  }
  // Dropped gazetteer names stay visible to rules as Lookups; dropped rule finds go.
  std::vector<Annotation> demoted;
  for (uint32_t i = 0; i < anns.size(); ++i) {
    if (!drop[i] || from_rule(i)) continue;
    Annotation l;
    l.layer = Layer::kOther;
    l.type = "Lookup";
    l.span = anns[i].span;
    l.SetFeature("entity", anns[i].FeatureString("entity"));
    l.SetFeature("name", anns[i].FeatureString("name"));
    l.SetFeature("entity_type", anns[i].type);
    l.prov = anns[i].prov;
    demoted.push_back(std::move(l));
  }
  // Rule finds without an id get a document-local one, from their text.
  for (uint32_t i = 0; i < anns.size(); ++i) {
    Annotation& a = anns[i];
    if (drop[i] || a.layer != Layer::kEntity || !from_rule(i) || a.FindFeature("entity")) continue;
    std::string id = "doc:";
    for (char c : doc.Slice(a.span)) {
      if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) id += c;
      else if (c >= 'A' && c <= 'Z') id += static_cast<char>(c - 'A' + 'a');
      else if (id.back() != '-' && id.back() != ':') id += '-';
    }
    while (id.back() == '-') id.pop_back();
    a.SetFeature("entity", id);
    a.SetFeature("name", std::string(doc.Slice(a.span)));
    if (!a.FindFeature("evidence")) a.SetFeature("evidence", "rule " + a.prov.rule);
  }
  bool any = false;
  for (uint8_t d : drop) any = any || d;
  if (!any) return;
  std::vector<Annotation> kept;
  kept.reserve(anns.size());
  // Only entities are dropped here, and nothing refers to entities yet: no argument to renumber
  // (the entity phases run before any stage that makes arguments).
  for (uint32_t i = 0; i < anns.size(); ++i)
    if (!drop[i]) kept.push_back(std::move(anns[i]));
  anns = std::move(kept);
  for (Annotation& l : demoted) set.Add(std::move(l));
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
      // As in the pipeline: the entity phases, their reconciliation with the names already
      // there, then the other phases.
      Status st;
      if (rs.has_early_phases()) {
        st = rs.Apply(*doc, set, AnnotateOptions{}, nullptr, nullptr, PhaseSet::kEarly);
        if (st.ok()) {
          ReconcileEntities(*doc, set);
          before = 0;  // reconciling renumbers: find this rule's outputs by their provenance
          st = rs.Apply(*doc, set, AnnotateOptions{}, nullptr, nullptr, PhaseSet::kLate);
        }
      } else {
        st = rs.Apply(*doc, set, AnnotateOptions{});
      }
      if (!st.ok()) {
        fail("running the rules failed: " + st.message());
        continue;
      }
      std::vector<const Annotation*> mine;
      for (size_t i = before; i < set.annotations().size(); ++i)
        if (set.annotations()[i].prov.rule == rule.name && set.annotations()[i].prov.source == "rule")
          mine.push_back(&set.annotations()[i]);
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
