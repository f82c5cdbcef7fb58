// coding/coding.cc: compiling the coder's dictionaries; actor codes of annotations.
#include "coding/coding.h"

#include <algorithm>

#include "coding/words.h"

namespace quarry::internal::coding {

void PhraseIndex::Add(const Phrase& p, uint32_t a, uint32_t b) {
  if (p.empty()) return;
  by_first[p[0]].push_back(Item{p, a, b});
  // Dictionary phrases are split at every hyphen; the tokenizer keeps a bound prefix joined to
  // its word ("sub-inspector", "anti-government"). Index that form too, so that the phrase
  // matches whichever way the text was cut ("anti-Taliban" splits before the capital).
  Phrase joined = JoinBoundHyphens(p);
  if (joined != p) by_first[joined[0]].push_back(Item{std::move(joined), a, b});
}

void PhraseIndex::Finish() {
  for (auto& [k, items] : by_first) {
    std::stable_sort(items.begin(), items.end(), [](const Item& x, const Item& y) {
      return x.phrase.size() > y.phrase.size();
    });
  }
}

Result<std::shared_ptr<const CodingData>> CompileCoding(
    const std::vector<SourceFile>& verb_files, const std::vector<SourceFile>& agent_files,
    std::unordered_map<std::string, std::string> country_codes) {
  auto data = std::make_shared<CodingData>();
  std::vector<Diagnostic> diags;
  Status first;
  for (const SourceFile& f : verb_files) {
    Status st = ParseVerbFile(f, data->verbs, diags);
    if (!st.ok() && first.ok()) first = st;
  }
  for (const SourceFile& f : agent_files) {
    Status st = ParseAgentFile(f, data->agents, diags);
    if (!st.ok() && first.ok()) first = st;
  }
  std::vector<Diagnostic> errors;
  for (Diagnostic& d : diags)
    if (d.severity == Diagnostic::Severity::kError) errors.push_back(std::move(d));
  if (!first.ok() || !errors.empty()) {
    Status st(StatusCode::kParseError,
              first.ok() ? "errors in the event coder's dictionaries" : first.message());
    st.WithDiagnostics(std::move(errors));
    return st;
  }
  for (uint32_t b = 0; b < data->verbs.blocks.size(); ++b) {
    const VerbBlock& block = data->verbs.blocks[b];
    for (uint32_t e = 0; e < block.entries.size(); ++e)
      for (const Phrase& f : block.entries[e].forms) data->verb_index.Add(f, b, e);
  }
  data->verb_index.Finish();
  for (uint32_t e = 0; e < data->agents.entries.size(); ++e)
    for (const Phrase& f : data->agents.entries[e].forms) data->agent_index.Add(f, e, 0);
  data->agent_index.Finish();
  data->country_codes = std::move(country_codes);
  data->weapon_synset = data->verbs.FindSynset("WEAPON");
  data->weapon_extra_synset = data->verbs.FindSynset("WEAPON_EXTRA");
  data->physical_target_synset = data->verbs.FindSynset("PHYSICAL_TARGET");
  auto word_id = [&](const std::string& w) {
    auto [it, inserted] = data->word_ids.emplace(w, static_cast<uint32_t>(data->word_ids.size()));
    return it->second;
  };
  // Synset phrases, like the indexed forms (PhraseIndex::Add), also in the tokenizer's form.
  for (Synset& syn : data->verbs.synsets) {
    const size_t n = syn.phrases.size();
    for (size_t i = 0; i < n; ++i) {
      Phrase joined = JoinBoundHyphens(syn.phrases[i]);
      if (joined != syn.phrases[i]) syn.phrases.push_back(std::move(joined));
    }
  }
  for (const Synset& syn : data->verbs.synsets) {
    std::vector<uint32_t> firsts;
    for (const Phrase& p : syn.phrases)
      if (!p.empty()) firsts.push_back(word_id(p[0]));
    std::sort(firsts.begin(), firsts.end());
    firsts.erase(std::unique(firsts.begin(), firsts.end()), firsts.end());
    data->synset_first_words.push_back(std::move(firsts));
  }
  for (const VerbBlock& b : data->verbs.blocks) {
    std::vector<std::vector<uint32_t>> per_block;
    for (const VerbPattern& p : b.patterns) {
      std::vector<uint32_t> req;
      for (const auto* items : {&p.before, &p.after})
        for (const PatternItem& it : *items) {
          if (it.kind == PatternItem::Kind::kWord) req.push_back(word_id(it.word));
          if (it.kind == PatternItem::Kind::kSynset) req.push_back(CodingData::kSynsetBase | it.synset);
        }
      per_block.push_back(std::move(req));
    }
    data->required.push_back(std::move(per_block));
  }
  // The vocabulary: one entry per word any stage looks up.
  auto entry = [&](std::string_view w) -> CodingData::VocabEntry& {
    auto [it, inserted] = data->vocab.emplace(std::string(w), static_cast<uint32_t>(data->vocab_entries.size()));
    if (inserted) {
      data->vocab_entries.emplace_back();
      data->vocab_entries.back().mask = WordMask(w);
    }
    return data->vocab_entries[it->second];
  };
  for (std::string_view w : ClassWords()) entry(w);
  for (auto& [w, items] : data->verb_index.by_first) entry(w).verbs = &items;
  for (auto& [w, items] : data->agent_index.by_first) entry(w).agents = &items;
  std::vector<std::pair<std::string, uint32_t>> words(data->word_ids.begin(), data->word_ids.end());
  std::sort(words.begin(), words.end());
  auto plural_of = [&](const std::string& pl, uint32_t id) {
    CodingData::VocabEntry& e = entry(pl);
    if (e.singular == CodingData::VocabEntry::kNone) e.singular = id;
    else if (e.singular != id) e.singular2 = id;
  };
  for (const auto& [w, id] : words) {
    entry(w).self = id;
    // Pattern words match their regular plurals (MatchItem).
    plural_of(w + "s", id);
    plural_of(w + "es", id);
    if (w.size() > 1 && w.back() == 'y') plural_of(w.substr(0, w.size() - 1) + "ies", id);
  }
  return std::shared_ptr<const CodingData>(std::move(data));
}

namespace {

// "CAMEO AFGGOV; 1979-12-27..1986-11-24" style role strings, as the gazetteer writes them into
// `roles` ("TITLE (FROM..TO)" joined by "; "), carry the dated codes of PETRARCH imports.
std::string DatedCode(std::string_view roles, std::string_view date) {
  if (date.size() < 4) return "";
  std::string d(date.substr(0, std::min<size_t>(10, date.size())));
  size_t pos = 0;
  while (pos < roles.size()) {
    size_t end = roles.find("; ", pos);
    std::string_view role = roles.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos);
    pos = end == std::string_view::npos ? roles.size() : end + 2;
    if (!role.starts_with("CAMEO ")) continue;
    size_t open = role.find(" (");
    if (open == std::string_view::npos) continue;
    std::string_view code = role.substr(6, open - 6);
    std::string_view range = role.substr(open + 2);
    if (!range.empty() && range.back() == ')') range.remove_suffix(1);
    size_t dots = range.find("..");
    if (dots == std::string_view::npos) continue;
    std::string from(range.substr(0, dots)), to(range.substr(dots + 2));
    if ((from.empty() || from <= d) && (to.empty() || d <= to + "~")) return std::string(code);
  }
  return "";
}

}  // namespace

std::string ActorCode(const Annotation& a, const CodingData* data, std::string_view date) {
  if (a.type == "ACTOR") return a.FeatureString("code");
  if (std::string roles = a.FeatureString("roles"); !roles.empty() && !date.empty()) {
    if (std::string c = DatedCode(roles, date); !c.empty()) return c;
  }
  if (std::string c = a.FeatureString("cameo"); !c.empty()) return c;
  std::string iso = a.FeatureString("country");
  if (iso.empty() && a.FeatureString("subtype") == "country") iso = a.FeatureString("iso");
  if (iso.size() == 2) {
    if (data) {
      auto it = data->country_codes.find(iso);
      if (it != data->country_codes.end()) return it->second;
    }
  }
  return "";
}

}  // namespace quarry::internal::coding
