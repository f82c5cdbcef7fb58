// coding/finish.cc: the last word on every event, whoever made it (hand-written rules or the
// dictionary coder).
//
// 1. Hand-written rules win: a dictionary event whose trigger overlaps the trigger of a rule's
//    event is dropped, and so is a dictionary event that repeats another (same trigger, code and
//    arguments).
// 2. CAMEO and PLOVER features from the code: `cameo_root`, `label` (unless the rule set one),
//    `plover`, `plover_mode`, `quad_class`.
// 3. `modality` ("realised" unless said otherwise) and `polarity` ("positive").
// 4. Dates for events without one: the `time` argument's value (date_source "argument"), else
//    the nearest DATE before the trigger in its sentence ("sentence"), else, for a realised
//    verbal event in a document with a known creation date, that date ("document"): news reports
//    what happened up to the day it was written. Dates are never invented otherwise.
// 5. `source_code` and `target_code`: the CAMEO actor codes of the source and target arguments
//    (the dated role's code of a person when the event's date falls in it).
#include <algorithm>
#include <set>

#include "coding/cameo.h"
#include "coding/coding.h"

namespace quarry::internal::coding {
namespace {

class EventFinishStage final : public Stage {
 public:
  explicit EventFinishStage(std::shared_ptr<const CodingData> d) : data_(std::move(d)) {}
  std::string_view name() const override { return "events"; }
  Status Run(const RunContext& ctx, AnnotationSet& set) const override;

 private:
  std::shared_ptr<const CodingData> data_;
};

// Removes the annotations whose `drop` is set, renumbering every argument; arguments that
// pointed at a removed annotation are removed with it.
void RemoveAnnotations(AnnotationSet& set, const std::vector<uint8_t>& drop) {
  auto& anns = set.mutable_annotations();
  std::vector<uint32_t> remap(anns.size(), UINT32_MAX);
  uint32_t n = 0;
  for (uint32_t i = 0; i < anns.size(); ++i)
    if (!drop[i]) remap[i] = n++;
  std::vector<Annotation> kept;
  kept.reserve(n);
  for (uint32_t i = 0; i < anns.size(); ++i) {
    if (drop[i]) continue;
    Annotation& a = anns[i];
    std::vector<Argument> args;
    for (Argument& g : a.args)
      if (g.target < remap.size() && remap[g.target] != UINT32_MAX)
        args.push_back(Argument{std::move(g.role), remap[g.target]});
    a.args = std::move(args);
    kept.push_back(std::move(a));
  }
  anns = std::move(kept);
}

const Argument* FindArg(const Annotation& a, std::string_view role) {
  for (const Argument& g : a.args)
    if (g.role == role) return &g;
  return nullptr;
}

Status EventFinishStage::Run(const RunContext& ctx, AnnotationSet& set) const {
  auto& anns = set.mutable_annotations();
  const uint32_t n_tok = static_cast<uint32_t>(set.tokens().size());
  // 1. Conflicts. Tokens covered by a rule's event trigger point at that event.
  bool any_dictionary = false;
  std::vector<uint32_t> rule_at(n_tok, UINT32_MAX);
  for (uint32_t i = 0; i < anns.size(); ++i) {
    const Annotation& a = anns[i];
    if (a.layer != Layer::kEvent) continue;
    if (a.prov.source == "dictionary") {
      any_dictionary = true;
      continue;
    }
    for (uint32_t t = a.first_token; t < a.end_token && t < n_tok; ++t)
      if (rule_at[t] == UINT32_MAX) rule_at[t] = i;
  }
  if (any_dictionary) {
    std::vector<uint8_t> drop(anns.size(), 0);
    bool any = false;
    std::set<std::string> seen;  // dictionary events kept: trigger, code and arguments
    for (uint32_t i = 0; i < anns.size(); ++i) {
      const Annotation& a = anns[i];
      if (a.layer != Layer::kEvent || a.prov.source != "dictionary") continue;
      uint32_t rule = UINT32_MAX;
      for (uint32_t t = a.first_token; t < a.end_token && t < n_tok && rule == UINT32_MAX; ++t)
        rule = rule_at[t];
      if (rule != UINT32_MAX) {
        drop[i] = 1;
        any = true;
        // The rule's event wins, but what it leaves out the dictionary's reading may know:
        // arguments of roles it lacks, fatalities, implicit agents.
        Annotation& r = anns[rule];
        auto has_role = [&](std::string_view role) {
          for (const Argument& g : r.args)
            if (g.role == role || (role == "source" && g.role == "agent")) return true;
          return false;
        };
        for (const Argument& g : a.args)
          if (!has_role(g.role)) r.args.push_back(g);
        for (const char* f : {"fatalities", "fatal", "source_implicit", "instrument", "modality", "polarity"})
          if (!r.FindFeature(f) && a.FindFeature(f)) r.SetFeature(f, *a.FindFeature(f));
        if (!r.FindFeature("source_code") && a.FindFeature("source_implicit"))
          r.SetFeature("source_code", a.FeatureString("source_code"));
        continue;
      }
      std::string key = std::to_string(a.span.begin) + ":" + std::to_string(a.span.end) + ":" +
                        a.FeatureString("cameo");
      for (const Argument& g : a.args) key += "|" + g.role + "=" + std::to_string(g.target);
      if (!seen.insert(std::move(key)).second) {
        drop[i] = 1;
        any = true;
      }
    }
    if (any) RemoveAnnotations(set, drop);
  }
  // DATE timexes with a calendar value, by where they end, for the sentence fallback.
  std::vector<uint32_t> dates;
  for (uint32_t j = 0; j < anns.size(); ++j) {
    const Annotation& x = anns[j];
    if (x.layer != Layer::kTimex || x.type != "DATE") continue;
    std::string v = x.FeatureString("value");
    if (!v.empty() && v[0] >= '0' && v[0] <= '9') dates.push_back(j);
  }
  std::stable_sort(dates.begin(), dates.end(), [&](uint32_t x, uint32_t y) {
    return anns[x].end_token < anns[y].end_token;
  });
  // 2-5. Features.
  const CodingData* data = data_.get();
  const auto& sentences = set.sentences();
  for (uint32_t i = 0; i < anns.size(); ++i) {
    if (anns[i].layer != Layer::kEvent) continue;
    Annotation& a = anns[i];
    std::string code = a.FeatureString("cameo");
    if (IsCameoCode(code)) {
      a.SetFeature("cameo_root", code.substr(0, 2));
      if (const CameoCode* c = FindCameoOrParent(code)) {
        if (!a.FindFeature("label")) a.SetFeature("label", std::string(c->label));
        if (!c->plover.empty()) a.SetFeature("plover", std::string(c->plover));
        if (!c->mode.empty()) a.SetFeature("plover_mode", std::string(c->mode));
        a.SetFeature("quad_class", static_cast<int64_t>(c->quad));
      }
    }
    if (!a.FindFeature("modality")) a.SetFeature("modality", std::string("realised"));
    if (!a.FindFeature("polarity")) a.SetFeature("polarity", std::string("positive"));
    if (!a.FindFeature("date")) {
      std::string date, source;
      const Argument* time = FindArg(a, "time");
      if (!time) time = FindArg(a, "date");
      if (!time) time = FindArg(a, "when");
      if (time && time->target < anns.size()) {
        date = anns[time->target].FeatureString("value");
        if (!date.empty()) source = "argument";
      }
      if (date.empty() && !sentences.empty() && !dates.empty()) {
        // The nearest DATE ending before the trigger, in the trigger's sentence.
        auto it = std::upper_bound(sentences.begin(), sentences.end(), a.first_token,
                                   [](uint32_t t, const Sentence& s) { return t < s.first_token; });
        if (it != sentences.begin()) {
          const Sentence& s = *(it - 1);
          auto d = std::upper_bound(dates.begin(), dates.end(), a.first_token,
                                    [&](uint32_t t, uint32_t j) { return t < anns[j].end_token; });
          while (d != dates.begin()) {
            --d;
            const Annotation& x = anns[*d];
            if (x.end_token <= s.first_token) break;
            if (x.first_token >= s.first_token) {
              date = x.FeatureString("value");
              source = "sentence";
              break;
            }
          }
        }
      }
      if (date.empty() && !ctx.dct.empty() && a.prov.source == "dictionary" &&
          a.FeatureString("reading") != "nominal" && a.FeatureString("modality") == "realised" &&
          a.FeatureString("polarity") == "positive") {
        date = ctx.dct.substr(0, std::min<size_t>(10, ctx.dct.size()));
        source = "document";
      }
      if (!date.empty()) {
        a.SetFeature("date", date);
        a.SetFeature("date_source", source);
      }
    }
    std::string when = a.FeatureString("date");
    if (when.empty()) when = ctx.dct;
    for (const char* role : {"source", "target"}) {
      const Argument* g = FindArg(a, role);
      if (!g && std::string_view(role) == "source") g = FindArg(a, "agent");
      if (!g || g->target >= anns.size()) continue;
      std::string c = ActorCode(anns[g->target], data, when);
      if (!c.empty()) a.SetFeature(std::string(role) + "_code", c);
    }
  }
  return Status();
}

}  // namespace

std::unique_ptr<Stage> CreateEventFinishStage(std::shared_ptr<const CodingData> data) {
  return std::make_unique<EventFinishStage>(std::move(data));
}

}  // namespace quarry::internal::coding
