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

// Hashing that lets string-keyed maps be probed with a string_view (no allocation per token).
struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
};
template <typename V>
using StringMap = std::unordered_map<std::string, V, StringHash, std::equal_to<>>;

// A phrase occurrence index: first word -> phrases starting with it (longest first).
struct PhraseIndex {
  struct Item {
    Phrase phrase;
    uint32_t a = 0, b = 0;  // payload (e.g. block and entry)
  };
  StringMap<std::vector<Item>> by_first;
  const std::vector<Item>* Find(std::string_view first) const {
    auto it = by_first.find(first);
    return it == by_first.end() ? nullptr : &it->second;
  }
  bool Has(std::string_view first) const { return by_first.find(first) != by_first.end(); }
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
  int weapon_extra_synset = -1;     // &WEAPON_EXTRA (rules/cameo/nouns.qv)
  int physical_target_synset = -1;  // &PHYSICAL_TARGET: what violent events strike
  // Pattern prefilter: every literal word of a pattern (and the first word of each phrase of
  // its synsets) has an id; a pattern is tried only when the sentence holds all its words (for
  // a synset: any of its first words). required[block][pattern] lists word ids and synset ids
  // (synset ids offset by kSynsetBase).
  StringMap<uint32_t> word_ids;
  // Everything the stages want to know about a token's lower-case form, in one lookup.
  struct VocabEntry {
    static constexpr uint32_t kNone = UINT32_MAX;
    uint32_t self = kNone;      // its id in word_ids, when a pattern or synset word
    uint32_t singular = kNone;  // the id of the pattern word it is a regular plural of
    uint32_t singular2 = kNone;  // a second one ("ties": "tie" and, were it a word, "ty")
    uint32_t mask = 0;          // closed word classes (coding/words.h)
    const std::vector<PhraseIndex::Item>* verbs = nullptr;   // verb and noun forms starting with it
    const std::vector<PhraseIndex::Item>* agents = nullptr;  // agent phrases starting with it
  };
  StringMap<uint32_t> vocab;
  std::vector<VocabEntry> vocab_entries;
  // The entry of a word, or nullptr (then its only class can be an -ly adverb).
  const VocabEntry* Lookup(std::string_view w) const {
    auto it = vocab.find(w);
    return it == vocab.end() ? nullptr : &vocab_entries[it->second];
  }
  std::vector<std::vector<uint32_t>> synset_first_words;  // per synset: ids of first words
  std::vector<std::vector<std::vector<uint32_t>>> required;
  static constexpr uint32_t kSynsetBase = 0x80000000u;
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
