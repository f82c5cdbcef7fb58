// coding/words.h: closed-class English words the parser-free coder reasons with (determiners,
// prepositions, auxiliaries, negation, modal and intention verbs, clause boundaries) and number
// words. Function words are grammar, not domain knowledge: they are the same for every text.
#ifndef QUARRY_CODING_WORDS_H_
#define QUARRY_CODING_WORDS_H_

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace quarry::internal::coding {

bool IsDeterminer(std::string_view w);    // the, a, this, their, its, no, every, ...
bool IsPreposition(std::string_view w);   // of, in, from, with, against, ...
bool IsLocative(std::string_view w);      // in, at, near, outside, across, ...: places follow
bool IsBeForm(std::string_view w);        // is, was, were, been, being, get, got, ...
bool IsAuxiliary(std::string_view w);     // be and have forms, do forms, modals
bool IsNegation(std::string_view w);      // not, n't, never, no
bool IsCoordinator(std::string_view w);   // and, or, nor, ','
bool IsSubordinator(std::string_view w);  // after, before, when, while, because, if, ...
bool IsHardBoundary(std::string_view w);  // ; : ( ) dashes and quotes: end a clause
// Adverbs that may stand between an auxiliary and its verb ("was ultimately killed").
bool IsAdverbLike(std::string_view w);
// Words that name a time ("Thursday", "March", "today", "yesterday"): adjuncts, not nouns.
bool IsTimeWord(std::string_view w);
// Reporting verbs whose complement is the reported event ("said", "told", "added").
bool IsReportingVerb(std::string_view w);
// Past and present forms of verbs that report a statement whatever their object ("added",
// "noted", "told"): coded 010 when the dictionary gives them no code.
bool IsStatementVerb(std::string_view w);
// Nouns of a group, unit or quantity that, before "of", stand for what follows ("a posse of
// policemen", "fourteen companies of the CRPF", "hundreds of protesters").
bool IsGroupNounWord(std::string_view w);

// Bit masks of the classes above, all found with one lookup (WordMask), for code that tests a
// token against several classes.
enum WordClass : uint32_t {
  kWDeterminer = 1u << 0, kWPreposition = 1u << 1, kWLocative = 1u << 2, kWBe = 1u << 3,
  kWAuxiliary = 1u << 4, kWNegation = 1u << 5, kWCoordinator = 1u << 6, kWSubordinator = 1u << 7,
  kWHardBoundary = 1u << 8, kWAdverb = 1u << 9, kWReporting = 1u << 10, kWTime = 1u << 11,
};
uint32_t WordMask(std::string_view w);
// Every word of every class above (for building lookup tables).
std::vector<std::string_view> ClassWords();

enum class Modality : uint8_t { kRealised, kPlanned, kThreatened, kPossible, kAttempted };
const char* ModalityName(Modality m);
// The modality a word before "to" gives the verb after it ("threatened to attack", "plans to
// meet", "tried to kill"), if any. `negative` is set for verbs of refusal or failure ("refused
// to", "failed to").
std::optional<Modality> ModalityOfControlVerb(std::string_view w, bool* negative, bool* failed);
// The modality of an auxiliary or modal ("will", "could"), if any.
std::optional<Modality> ModalityOfAuxiliary(std::string_view w);
// The modality an adjective before an event noun gives ("planned attack", "alleged killing").
std::optional<Modality> ModalityOfNounModifier(std::string_view w, bool* failed);

// A cardinal number written in digits ("1,200", "33") or words ("three", "dozen", "twenty-one"
// as one token); nullopt otherwise.
std::optional<int64_t> ParseCount(std::string_view w);

}  // namespace quarry::internal::coding

#endif  // QUARRY_CODING_WORDS_H_
