// coding/coding.h: CAMEO event coding without a parser: generic actors from an agents
// dictionary, dictionary-driven event coding, and the finishing step every event goes through.
//
//   auto data = CompileCoding(verb_files, agent_files, countries);   // immutable, shared
//   stages: CreateActorStage(data)       "Pakistani police" -> ACTOR {code PAKCOP, agent COP}
//           CreateCoderStage(data)       verbs and nouns of the verb dictionary -> events
//           (the hand-written rule cascade runs here)
//           CreateEventFinishStage()     CAMEO/PLOVER features, actor codes, dates, modality;
//                                        hand-written rules win over dictionary events
//
// The coder works from tokens, lemmas, actor annotations and clause bounds (docs/events.md): the
// subject is the nearest actor before the verb that is not inside a prepositional phrase, the
// object the first actor after it in its clause; passives ("was killed by X") and nominalisations
// ("the arrest of X by Y", "X's attack on Y") swap or take their arguments from prepositions;
// coordinated actors give one event per pair; negation and modal or intention verbs set
// `polarity` and `modality`. Patterns of the dictionary refine the block's default code.
#ifndef QUARRY_CODING_CODING_H_
#define QUARRY_CODING_CODING_H_

#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "coding/dictionary.h"
#include "common/source.h"
#include "common/stage.h"

namespace quarry::internal::coding {

// A phrase occurrence index: first word -> phrases starting with it (longest first).
struct PhraseIndex {
  struct Item {
    Phrase phrase;
    uint32_t a = 0, b = 0;  // payload (e.g. block and entry)
  };
  std::unordered_map<std::string, std::vector<Item>> by_first;
  void Add(const Phrase& p, uint32_t a, uint32_t b);
  void Finish();  // sorts each list longest first
};

struct CodingData {
  VerbDictionary verbs;
  AgentDictionary agents;
  PhraseIndex verb_index;   // forms -> (block, entry)
  PhraseIndex agent_index;  // forms -> (entry, 0)
  // ISO 3166-1 alpha-2 -> CAMEO country code ("PK" -> "PAK"), from the gazetteer's countries.
  std::unordered_map<std::string, std::string> country_codes;
  int weapon_synset = -1;  // &WEAPON, when the dictionary defines it: instruments
  bool empty() const { return verbs.blocks.empty() && agents.entries.empty(); }
};

// Parses the .qv and .qa sources (all errors at once, located) and builds the indexes.
Result<std::shared_ptr<const CodingData>> CompileCoding(
    const std::vector<SourceFile>& verb_files, const std::vector<SourceFile>& agent_files,
    std::unordered_map<std::string, std::string> country_codes);

std::unique_ptr<Stage> CreateActorStage(std::shared_ptr<const CodingData> data);
std::unique_ptr<Stage> CreateCoderStage(std::shared_ptr<const CodingData> data);
// Runs after every stage that makes events. `data` may be null (no dictionaries): country codes
// of entities then fall back to ISO alpha-3 from the gazetteer's features.
std::unique_ptr<Stage> CreateEventFinishStage(std::shared_ptr<const CodingData> data);

// The CAMEO actor code of an entity or ACTOR annotation ("" when it has none): ACTOR `code`,
// else the entity's `cameo` (the dated role's code when `date` falls in one), else the CAMEO code
// of its `country`.
std::string ActorCode(const Annotation& a, const CodingData* data, std::string_view date);

}  // namespace quarry::internal::coding

#endif  // QUARRY_CODING_CODING_H_
