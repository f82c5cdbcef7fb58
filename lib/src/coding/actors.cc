// coding/actors.cc: generic actors. Agent phrases of the agents dictionary ("police", "riot
// police", "protesters", "foreign minister") become ACTOR annotations, with the country or
// organisation that owns them when the text says so: before the agent ("Pakistani police",
// "Gondor's government", "the Danish media and government") or after it in a prepositional
// phrase ("soldiers from Gondor", "police in Quetta", "the ambassadors of Arnor, Osgiliath and
// Gondor": one ACTOR per owner, all with the same span). A person named right after a title
// ("Prime Minister Falastur") joins the ACTOR. Codes compose as PETRARCH's do: agent codes
// written "~COP" follow the owner's code, "NGO~" ones precede it.
#include <algorithm>
#include <cctype>

#include "coding/coding.h"
#include "coding/words.h"

namespace quarry::internal::coding {
namespace {

bool IsOwnerType(std::string_view t) {
  return t == "GPE" || t == "NORP" || t == "ORG";
}

struct AgentMatch {
  uint32_t begin, end;  // tokens
  std::vector<uint32_t> entries;  // agent entries, in text order (adjacent agents merge)
};

class ActorStage final : public Stage {
 public:
  explicit ActorStage(std::shared_ptr<const CodingData> d) : data_(std::move(d)) {}
  std::string_view name() const override { return "actors"; }
  Status Run(const RunContext& ctx, AnnotationSet& set) const override;

 private:
  std::shared_ptr<const CodingData> data_;
};

Status ActorStage::Run(const RunContext& ctx, AnnotationSet& set) const {
  const CodingData& data = *data_;
  if (data.agents.entries.empty()) return Status();
  const auto& toks = set.tokens();
  const uint32_t n_tok = static_cast<uint32_t>(toks.size());
  auto lower = [&](uint32_t i) { return set.Lower(toks[i]); };
  // Entities by first and last token (the longest one at each place).
  std::vector<int32_t> ent_start(n_tok, -1), ent_end(n_tok + 1, -1);
  const size_t n_ann = set.annotations().size();
  for (size_t i = 0; i < n_ann; ++i) {
    const Annotation& a = set.annotations()[i];
    if (a.layer != Layer::kEntity || a.first_token >= a.end_token) continue;
    auto longer = [&](int32_t cur) {
      if (cur < 0) return true;
      const Annotation& c = set.annotations()[cur];
      return a.end_token - a.first_token > c.end_token - c.first_token;
    };
    if (longer(ent_start[a.first_token])) ent_start[a.first_token] = static_cast<int32_t>(i);
    if (longer(ent_end[a.end_token])) ent_end[a.end_token] = static_cast<int32_t>(i);
  }
  // Tokens inside a named entity are not agent words ("Border Police" of a name stays a name).
  std::vector<uint8_t> in_entity(n_tok, 0);
  for (size_t i = 0; i < n_ann; ++i) {
    const Annotation& a = set.annotations()[i];
    if (a.layer != Layer::kEntity || a.type == "NORP") continue;
    for (uint32_t t = a.first_token; t < a.end_token && t < n_tok; ++t) in_entity[t] = 1;
  }
  std::string date = ctx.dct;
  std::vector<Annotation> out;
  auto sentences = set.sentences();
  if (sentences.empty()) sentences.push_back(Sentence{Span{0, 0}, 0, n_tok});
  for (const Sentence& s : sentences) {
    // 1. Agent phrases, leftmost-longest; adjacent ones merge ("Islamist media").
    std::vector<AgentMatch> matches;
    for (uint32_t t = s.first_token; t < s.end_token;) {
      const CodingData::VocabEntry* v = data.Lookup(lower(t));
      uint32_t best_len = 0, best_entry = 0;
      if (v && v->agents && !in_entity[t]) {
        for (const auto& item : *v->agents) {
          const Phrase& p = item.phrase;
          // Words of the phrase in order; a hyphen the phrase does not have may join two of
          // them ("director-general of police" for "director general of police").
          uint32_t j = t;
          bool ok = true;
          for (size_t k = 0; k < p.size() && ok; ++k, ++j) {
            if (k > 0 && j < s.end_token && lower(j) == "-" && p[k] != "-") ++j;
            ok = j < s.end_token && lower(j) == p[k];
          }
          if (ok) {
            best_len = j - t;
            best_entry = item.a;
            break;  // longest first
          }
        }
      }
      // A group or unit noun before "of" stands for what follows ("fourteen companies of the
      // CRPF marched": not businesses); the coder finds the actor after "of".
      if (best_len == 1 && t + 1 < s.end_token && lower(t + 1) == "of" &&
          IsGroupNounWord(lower(t)))
        best_len = 0;
      if (best_len == 0) {
        ++t;
        continue;
      }
      if (!matches.empty() && matches.back().end == t) {
        matches.back().end = t + best_len;
        matches.back().entries.push_back(best_entry);
      } else {
        matches.push_back(AgentMatch{t, t + best_len, {best_entry}});
      }
      t += best_len;
    }
    // 2. Each match: its owners and its extent.
    for (size_t m = 0; m < matches.size(); ++m) {
      AgentMatch& am = matches[m];
      uint32_t begin = am.begin, end = am.end;
      std::vector<int32_t> owners;
      // An owner between two agents, or right after a prefix agent: "an MSF Arnor diplomat",
      // "MSF Arnor" (NGO + ARN + GOV).
      if (am.end < s.end_token && ent_start[am.end] >= 0 &&
          IsOwnerType(set.annotations()[ent_start[am.end]].type)) {
        int32_t o = ent_start[am.end];
        uint32_t oe = set.annotations()[o].end_token;
        bool prefix_only = true;
        for (uint32_t e : am.entries) prefix_only = prefix_only && data.agents.entries[e].prefix;
        if (m + 1 < matches.size() && matches[m + 1].begin == oe) {
          am.entries.insert(am.entries.end(), matches[m + 1].entries.begin(), matches[m + 1].entries.end());
          am.end = matches[m + 1].end;
          matches.erase(matches.begin() + static_cast<long>(m) + 1);
          owners.push_back(o);
          end = am.end;
        } else if (prefix_only) {
          owners.push_back(o);
          end = oe;
        }
      }
      // Coordinated agents sharing an owner: "the Danish media and government".
      std::vector<const AgentMatch*> group{&am};
      while (m + 1 < matches.size()) {
        const AgentMatch& nx = matches[m + 1];
        uint32_t gap_b = group.back()->end;
        bool coord = nx.begin > gap_b && nx.begin - gap_b <= 2;
        for (uint32_t k = gap_b; coord && k < nx.begin; ++k)
          coord = lower(k) == "and" || lower(k) == "," || lower(k) == "or";
        if (!coord) break;
        group.push_back(&nx);
        ++m;
      }
      end = group.back()->end;
      // Owner before: "Pakistani police", "Gondor's government", "the Calenardhon Congresses",
      // with up to two modifier words between ("Pakistani security forces").
      if (owners.empty()) {
        uint32_t j = begin;
        for (int skipped = 0; skipped < 3 && j > s.first_token; ++skipped) {
          std::string_view w = lower(j - 1);
          if (ent_end[j] >= 0) break;
          if (w == "'s" || w == "’s") {
            --j;
            continue;
          }
          // A modifier: a lower-case word that is not a function word or a verb-like form.
          bool modifier = toks[j - 1].kind == TokenKind::kWord && !IsDeterminer(w) &&
                          !IsPreposition(w) && !IsAuxiliary(w) && !IsCoordinator(w) &&
                          !IsSubordinator(w) && skipped < 2 &&
                          !(w.size() > 2 && w.substr(w.size() - 2) == "ed");
          if (!modifier) break;
          --j;
        }
        if (ent_end[j] >= 0) {
          const Annotation& e = set.annotations()[ent_end[j]];
          if (IsOwnerType(e.type)) {
            owners.push_back(ent_end[j]);
            begin = e.first_token;
            // Coordinated owners before: "Arnor and Gondor lawmakers".
            uint32_t k = e.first_token;
            while (k > s.first_token + 1 && (lower(k - 1) == "and" || lower(k - 1) == ",") &&
                   ent_end[k - 1] >= 0) {
              const Annotation& o = set.annotations()[ent_end[k - 1]];
              if (!IsOwnerType(o.type)) break;
              owners.insert(owners.begin(), ent_end[k - 1]);
              begin = o.first_token;
              k = o.first_token;
            }
          }
        }
      }
      // Owner after: "soldiers from Gondor", "lawmakers in Arnor and Gondor".
      if (owners.empty() && end < s.end_token) {
        std::string_view p = lower(end);
        if (p == "of" || p == "from" || p == "in" || p == "for" || p == "at") {
          uint32_t j = end + 1;
          if (j < s.end_token && (lower(j) == "the")) ++j;
          while (j < s.end_token && ent_start[j] >= 0) {
            const Annotation& o = set.annotations()[ent_start[j]];
            if (!IsOwnerType(o.type) || ActorCode(o, &data, date).empty()) break;
            owners.push_back(ent_start[j]);
            end = o.end_token;
            j = o.end_token;
            // ", Y", " and Y", ", and the Y"
            uint32_t k = j;
            while (k < s.end_token && k < j + 3 &&
                   (lower(k) == "," || lower(k) == "and" || lower(k) == "the" || lower(k) == "or"))
              ++k;
            if (k == j || k >= s.end_token || ent_start[k] < 0) break;
            j = k;
          }
          // The owner names the body an agent after it heads: "director general of West Bengal
          // police", "a spokesman for the Indian army". The title holder belongs to that body,
          // so the actor is coded as the body (INDCOP, INDMIL), over the whole phrase.
          if (owners.size() == 1 && group.size() == 1 && m + 1 < matches.size() &&
              matches[m + 1].begin == end) {
            am.entries = matches[m + 1].entries;
            am.end = matches[m + 1].end;
            end = am.end;
            matches.erase(matches.begin() + static_cast<long>(m) + 1);
          }
        }
      }
      // An agent phrase that ends in a preposition ("embassy in", from PETRARCH's agents) and
      // found no owner after it does not take the preposition: "the American embassy in La Paz"
      // is "American embassy" (USAGOV), La Paz is where.
      while (end > begin + 1 && IsPreposition(lower(end - 1))) --end;
      // A person named right after a title: "Prime Minister Falastur".
      // A capitalised title takes the name after it even when the name is not a PERSON entry
      // ("Deputy Prime Minister Telemar" where "Telemar" is listed under its country).
      int32_t person = -1;
      // Initials may come first: "city police commissioner M. V. Krishna Rao", lower-cased
      // "m v krishna rao".
      uint32_t name_at = end;
      // An apposition: "the police chief, Rajeev Sabarwal, said".
      bool comma = end + 1 < s.end_token && lower(end) == ",";
      if (comma) ++name_at;
      auto initial = [&](uint32_t t) {
        std::string_view w = ctx.doc.Slice(toks[t].span);
        return toks[t].kind == TokenKind::kWord && w.size() <= 2 &&
               std::isalpha(static_cast<unsigned char>(w[0]));
      };
      while (name_at < s.end_token && name_at < end + 4 && ent_start[name_at] < 0 && initial(name_at))
        ++name_at;
      if (name_at > end && name_at < s.end_token && ent_start[name_at] >= 0 &&
          set.annotations()[ent_start[name_at]].type == "PERSON") {
        uint32_t after = set.annotations()[ent_start[name_at]].end_token;
        if (!comma || (after < s.end_token && lower(after) == ",")) end = name_at;
      }
      if (end < s.end_token && ent_start[end] >= 0) {
        const Annotation& next = set.annotations()[ent_start[end]];
        std::string_view last = ctx.doc.Slice(toks[end - 1].span);
        bool title_case = !last.empty() && last[0] >= 'A' && last[0] <= 'Z';
        if (next.type == "PERSON" || (title_case && next.type != "NORP" && next.type != "ACTOR")) {
          person = ent_start[end];
          end = next.end_token;
        }
      }
      // Codes: prefix agents, owner, suffix agents. Coordinated heads share the first match's
      // modifiers: "the Danish Islamist media and government" -> DNK+MUS+MED, DNK+MUS+GOV.
      std::vector<std::vector<uint32_t>> heads;
      for (size_t g = 0; g < group.size(); ++g) {
        std::vector<uint32_t> entries;
        if (g > 0) entries.assign(group[0]->entries.begin(), group[0]->entries.end() - 1);
        entries.insert(entries.end(), group[g]->entries.begin(), group[g]->entries.end());
        heads.push_back(std::move(entries));
      }
      std::string agent_text = std::string(ctx.doc.Slice(Span{
          toks[group.front()->begin].span.begin, toks[group.back()->end - 1].span.end}));
      const AgentEntry& first_entry = data.agents.entries[group.front()->entries.back()];
      auto emit = [&](int32_t owner, const std::vector<uint32_t>& entries) {
        std::string prefix, suffix;
        for (uint32_t e : entries) {
          const AgentEntry& ae = data.agents.entries[e];
          std::string& to = ae.prefix ? prefix : suffix;
          // "police sub-inspector": two police nouns make one COP, not COPCOP.
          if (!(to.size() >= ae.code.size() &&
                to.compare(to.size() - ae.code.size(), ae.code.size(), ae.code) == 0))
            to += ae.code;
        }
        Annotation a;
        a.layer = Layer::kEntity;
        a.type = "ACTOR";
        a.span = Span{toks[begin].span.begin, toks[end - 1].span.end};
        a.first_token = begin;
        a.end_token = end;
        std::string owner_code;
        if (owner >= 0) owner_code = ActorCode(set.annotations()[owner], &data, date);
        std::string code = prefix + owner_code;
        if (!(owner_code.size() >= suffix.size() &&
              owner_code.compare(owner_code.size() - suffix.size(), suffix.size(), suffix) == 0))
          code += suffix;
        if (person >= 0) {
          // The person's own code, unless the title says more ("DAG" named with a title
          // that makes it "DAGGOV").
          std::string pc = ActorCode(set.annotations()[person], &data, date);
          if (!pc.empty() && !(code.size() > pc.size() && code.compare(0, pc.size(), pc) == 0))
            code = pc;
        }
        a.SetFeature("code", code);
        a.SetFeature("agent", prefix + suffix);
        if (owner_code.size() >= 3 && owner_code.compare(0, 3, "IGO") != 0 &&
            owner_code.compare(0, 3, "NGO") != 0)
          a.SetFeature("country", owner_code.substr(0, 3));
        a.SetFeature("head", agent_text);
        if (owner >= 0) a.args.push_back(Argument{"owner", static_cast<uint32_t>(owner)});
        if (person >= 0) a.args.push_back(Argument{"person", static_cast<uint32_t>(person)});
        a.prov.source = "actors";
        a.prov.file = first_entry.file;
        a.prov.line = first_entry.line;
        a.prov.rule = "agent";
        a.SetFeature("evidence", "agents dictionary: '" + agent_text + "'" +
                                     (first_entry.origin.empty() ? "" : " (" + first_entry.origin + ")"));
        out.push_back(std::move(a));
      };
      for (const auto& entries : heads) {
        if (owners.empty()) {
          emit(-1, entries);
        } else {
          for (int32_t o : owners) emit(o, entries);
        }
      }
    }
  }
  for (Annotation& a : out) set.Add(std::move(a));
  return Status();
}

}  // namespace

std::unique_ptr<Stage> CreateActorStage(std::shared_ptr<const CodingData> data) {
  return std::make_unique<ActorStage>(std::move(data));
}

}  // namespace quarry::internal::coding
