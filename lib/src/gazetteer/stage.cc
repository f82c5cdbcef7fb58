// gazetteer/stage.cc: the gazetteer tagger stage.
#include "gazetteer/stage.h"

#include <algorithm>

#include "gazetteer/normalize.h"

namespace quarry::internal {
namespace {

class GazetteerStage final : public Stage {
 public:
  GazetteerStage(std::shared_ptr<const CompiledGazetteer> g, const GazetteerOptions& o)
      : g_(std::move(g)), options_(o) {}
  std::string_view name() const override { return "gazetteer"; }
  Status Run(const RunContext& ctx, AnnotationSet& set) const override;

 private:
  std::shared_ptr<const CompiledGazetteer> g_;
  GazetteerOptions options_;
};

Status GazetteerStage::Run(const RunContext& ctx, AnnotationSet& set) const {
  const CompiledGazetteer& g = *g_;
  std::vector<uint32_t> ids;
  TokenIds(g, ctx.doc, set, ids);
  const auto& toks = set.tokens();
  // A document written in lower case (web text, some news archives): case says nothing.
  bool caseless = false;
  {
    size_t upper = 0, lower = 0;
    for (char c : ctx.doc.text()) {
      if (c >= 'A' && c <= 'Z') ++upper;
      else if (c >= 'a' && c <= 'z') ++lower;
    }
    caseless = lower >= 200 && upper * 200 < lower;
  }
  auto text_of = [&](uint32_t i) { return ctx.doc.Slice(toks[i].span); };
  std::vector<CompiledGazetteer::Candidate> all, chosen, rest;
  // Sentence by sentence: no name crosses a sentence boundary.
  // Word-list (LOOKUP) matches do not compete with entity names: they are kept apart, all of
  // them, and become Lookup annotations with their list.
  std::vector<CompiledGazetteer::Candidate> lists;
  auto run_range = [&](uint32_t b, uint32_t e) {
    all.clear();
    g.FindAll(
        ids.data() + b, e - b, [&](uint32_t i) { return text_of(b + i); }, all, caseless);
    size_t kept = 0;
    for (auto& c : all) {
      c.begin += b;
      c.end += b;
      if (g.entry_type(g.output(c.output).entry) == "LOOKUP") {
        lists.push_back(c);
      } else {
        all[kept++] = c;
      }
    }
    all.resize(kept);
    CompiledGazetteer::Select(all, options_.semantics, chosen, options_.lookups ? &rest : nullptr);
  };
  if (set.sentences().empty()) {
    run_range(0, static_cast<uint32_t>(toks.size()));
  } else {
    for (const Sentence& s : set.sentences()) run_range(s.first_token, s.end_token);
  }
  // For each left-over candidate, the chosen mention that covers it (chosen mentions are sorted
  // and do not overlap under the leftmost semantics), found by binary search.
  auto covering =
      [&](const CompiledGazetteer::Candidate& r) -> const CompiledGazetteer::Candidate* {
    auto it = std::upper_bound(chosen.begin(), chosen.end(), r.begin,
                               [](uint32_t b, const auto& c) { return b < c.begin; });
    if (it == chosen.begin()) return nullptr;
    --it;
    return it->begin <= r.begin && r.end <= it->end ? &*it : nullptr;
  };
  std::vector<std::string> ambiguous(chosen.size());
  std::vector<bool> keep_lookup(rest.size(), true);
  for (size_t k = 0; k < rest.size(); ++k) {
    const auto& r = rest[k];
    const auto* c = options_.semantics == MatchSemantics::kAll ? nullptr : covering(r);
    if (!c) continue;
    uint32_t re = g.output(r.output).entry, ce = g.output(c->output).entry;
    // A shorter name of the same entity inside a chosen mention adds nothing.
    if (re == ce) keep_lookup[k] = false;
    // Other entries with the very same name at the same place: the name is ambiguous.
    if (r.begin == c->begin && r.end == c->end && re != ce) {
      std::string& amb = ambiguous[c - chosen.data()];
      if (!amb.empty()) amb += ' ';
      amb += g.entry_id(re);
    }
  }
  for (size_t i = 0; i < chosen.size(); ++i) {
    const auto& c = chosen[i];
    const auto& out = g.output(c.output);
    Annotation a;
    a.layer = Layer::kEntity;
    a.span = Span{toks[c.begin].span.begin, toks[c.end - 1].span.end};
    a.first_token = c.begin;
    a.end_token = c.end;
    SetEntityFeatures(g, out.entry, a);
    a.prov.line = out.line;
    if (!ambiguous[i].empty()) a.SetFeature("ambiguous", std::move(ambiguous[i]));
    set.Add(std::move(a));
  }
  // A Lookup annotation (layer other) over tokens [b, e) for a gazetteer output.
  auto lookup = [&](uint32_t b, uint32_t e, const auto& out) {
    Annotation a;
    a.layer = Layer::kOther;
    a.type = "Lookup";
    a.span = Span{toks[b].span.begin, toks[e - 1].span.end};
    a.prov.source = "gazetteer";
    a.prov.file = std::string(g.entry_file(out.entry));
    a.prov.line = out.line;
    return a;
  };
  for (const auto& c : lists) {
    const auto& out = g.output(c.output);
    Annotation a = lookup(c.begin, c.end, out);
    uint32_t e = out.entry;
    a.SetFeature("list", std::string(g.entry_subtype(e)));
    a.SetFeature("entity", std::string(g.entry_id(e)));
    if (auto v = g.entry_attr(e, "x-code"); !v.empty()) a.SetFeature("code", std::string(v));
    set.Add(std::move(a));
  }
  if (options_.lookups) {
    for (size_t k = 0; k < rest.size(); ++k) {
      if (!keep_lookup[k]) continue;
      const auto& r = rest[k];
      const auto& out = g.output(r.output);
      Annotation a = lookup(r.begin, r.end, out);
      uint32_t e = out.entry;
      a.SetFeature("entity", std::string(g.entry_id(e)));
      a.SetFeature("name", std::string(g.entry_name(e)));
      a.SetFeature("entity_type", std::string(g.entry_type(e)));
      set.Add(std::move(a));
    }
  }
  return Status();
}

}  // namespace

void TokenIds(const CompiledGazetteer& g, const Document& doc, const AnnotationSet& set,
              std::vector<uint32_t>& ids) {
  const auto& toks = set.tokens();
  ids.resize(toks.size());
  std::string key;
  // Word forms repeat (Zipf), within a document and across the documents a thread annotates:
  // each form is keyed and looked up in the gazetteer's vocabulary once per thread, then found
  // in this small table, which stays in cache where the vocabulary does not. Open addressing on
  // the form's hash; the table belongs to one gazetteer (by serial) and is emptied when half
  // full; a form that finds no slot within a few probes is looked up directly.
  struct Memo {
    uint64_t hash = 0;
    uint32_t off = 0, len = 0;  // the form, in `chars`
    uint32_t id = 0;
    bool used = false;
  };
  struct FormCache {
    uint64_t serial = 0;
    std::vector<Memo> slots;
    std::string chars;
    size_t used = 0;
  };
  constexpr size_t kSlots = size_t{1} << 14, kMaxChars = size_t{1} << 20;
  thread_local FormCache cache;
  if (cache.serial != g.serial() || cache.used * 2 > kSlots || cache.chars.size() > kMaxChars) {
    cache.serial = g.serial();
    cache.slots.assign(kSlots, Memo{});
    cache.chars.clear();
    cache.used = 0;
  }
  const size_t mask = kSlots - 1;
  auto direct = [&](std::string_view lower) {
    key.clear();
    AppendMatchKey(lower, key);
    return key.empty() ? CompiledGazetteer::kNoToken : g.TokenId(key);
  };
  auto lookup = [&](std::string_view lower) {
    if (lower.size() > 64) return direct(lower);
    uint64_t h = HashStr(lower);
    size_t s = static_cast<size_t>(h) & mask;
    for (int probe = 0; probe < 8; ++probe, s = (s + 1) & mask) {
      Memo& m = cache.slots[s];
      if (!m.used) {
        if (cache.used * 2 >= kSlots) break;
        m = Memo{h, static_cast<uint32_t>(cache.chars.size()), static_cast<uint32_t>(lower.size()),
                 direct(lower), true};
        cache.chars.append(lower);
        ++cache.used;
        return m.id;
      }
      if (m.hash == h && std::string_view(cache.chars.data() + m.off, m.len) == lower) return m.id;
    }
    return direct(lower);
  };
  for (size_t i = 0; i < toks.size(); ++i) {
    const Token& t = toks[i];
    if (t.kind == TokenKind::kPunctuation && IsJoiner(doc.Slice(t.span))) {
      // A hyphen joins name parts only when it touches a word on both sides.
      ids[i] = CompiledGazetteer::kJoiner;
      if (t.Has(kSpaceBefore) || (i + 1 < toks.size() && toks[i + 1].Has(kSpaceBefore)))
        ids[i] = CompiledGazetteer::kNoToken;
      continue;
    }
    if (t.kind == TokenKind::kPunctuation && i > 0 && !t.Has(kSpaceBefore)) {
      // The apostrophe of a plural possessive ("Workers' Party") is a token of its own; names
      // are keyed without apostrophes, so inside a name it is skipped like a hyphen.
      std::string_view s = doc.Slice(t.span);
      if (s == "'" || s == "\u2019") {
        ids[i] = CompiledGazetteer::kJoiner;
        continue;
      }
    }
    ids[i] = lookup(set.Lower(t));
  }
}

void SetEntityFeatures(const CompiledGazetteer& g, uint32_t e, Annotation& a) {
  a.features.reserve(a.features.size() + 8);  // entity, name, subtype, 4 attributes, ambiguous
  a.type = std::string(g.entry_type(e));
  a.SetFeature("entity", std::string(g.entry_id(e)));
  a.SetFeature("name", std::string(g.entry_name(e)));
  if (auto v = g.entry_subtype(e); !v.empty()) a.SetFeature("subtype", std::string(v));
  for (const char* k : {"cameo", "country", "iso", "roles"}) {
    if (auto v = g.entry_attr(e, k); !v.empty()) a.SetFeature(k, std::string(v));
  }
  a.prov.source = "gazetteer";
  a.prov.file = std::string(g.entry_file(e));
  a.prov.line = g.entry_line(e);
}

std::unique_ptr<Stage> CreateGazetteerStage(std::shared_ptr<const CompiledGazetteer> gazetteer,
                                            const GazetteerOptions& options) {
  return std::make_unique<GazetteerStage>(std::move(gazetteer), options);
}

Result<std::shared_ptr<const CompiledGazetteer>> CompileGazetteer(
    const std::vector<SourceFile>& sources, CompiledGazetteer::Stats* stats) {
  GazetteerData data;
  QUARRY_RETURN_IF_ERROR(ParseGazetteers(sources, data));
  return CompiledGazetteer::Build(data, stats);
}

Result<std::unique_ptr<Stage>> CompileGazetteerStage(const std::vector<SourceFile>& sources,
                                                     const GazetteerOptions& options) {
  auto g = CompileGazetteer(sources);
  if (!g) return g.error();
  return CreateGazetteerStage(std::move(*g), options);
}

}  // namespace quarry::internal
