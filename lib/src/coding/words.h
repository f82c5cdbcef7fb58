// coding/words.h: closed-class English words the parser-free coder reasons with (determiners,
// prepositions, auxiliaries, negation, modal and intention verbs, clause boundaries) and number
// words. Function words are grammar, not domain knowledge: they are the same for every text.
#ifndef QUARRY_CODING_WORDS_H_
#define QUARRY_CODING_WORDS_H_

#include <cstdint>
#include <optional>
#include <string_view>

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
// Reporting verbs whose complement is the reported event ("said", "told", "added").
bool IsReportingVerb(std::string_view w);

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
