// rules/lemmatizer.h: an English lemmatizer for case-folded word forms, without part of speech.
//
// Lemma("assassinated") == "assassinate", Lemma("was") == "be", Lemma("leaders") == "leader".
// An irregular-form table is consulted first, then suffix rules (-ies, -es, -s, -ied, -ed, -ing
// with consonant undoubling and e-restoration), then a small table of exceptions to those rules.
// Forms that are not lower-case ASCII words are returned unchanged. Thread-safe, allocation only
// for the result.
#ifndef QUARRY_RULES_LEMMATIZER_H_
#define QUARRY_RULES_LEMMATIZER_H_

#include <string>
#include <string_view>

namespace quarry::internal::rules {

std::string Lemma(std::string_view lower);

}  // namespace quarry::internal::rules

#endif  // QUARRY_RULES_LEMMATIZER_H_
