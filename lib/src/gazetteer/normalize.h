// gazetteer/normalize.h: the matching key of a token and the splitting of gazetteer names into
// tokens the way the tokenizer splits documents.
//
// A key is the case-folded token with diacritics removed and apostrophes dropped, so that
// "Qa'ida", "Qa’ida" and "Qaida", or "Khōst" and "Khost", share one key. Hyphens are not part of
// any key: SplitName drops them and the matcher skips hyphen tokens inside a name, which makes
// "Al-Qaeda", "al Qaeda" and "Al Qaeda" the same sequence of keys.
#ifndef QUARRY_GAZETTEER_NORMALIZE_H_
#define QUARRY_GAZETTEER_NORMALIZE_H_

#include <string>
#include <string_view>
#include <vector>

namespace quarry::internal {

// Appends the matching key of `folded` (a token already case-folded, e.g. AnnotationSet::Lower).
void AppendMatchKey(std::string_view folded, std::string& out);
// Case-folds `text` then appends its key.
void AppendMatchKeyOfText(std::string_view text, std::string& out);

// True for a token that joins name parts and is optional in matching: "-", "‐", "‑".
bool IsJoiner(std::string_view token_text);

// Splits a gazetteer name into token texts (original case): white space separates, hyphens
// and the punctuation the tokenizer splits off ("&", "/", parentheses, commas, quotes) become
// tokens of their own; hyphens are then dropped. Periods and apostrophes inside a word stay
// ("U.S.", "Qa'ida").
std::vector<std::string_view> SplitName(std::string_view name);

// True when a name is written as an acronym or short code (no lower-case letter, at least one
// upper-case letter: "US", "ISI", "IRGC", "ISIS-K", "U.S."). Such names match case-sensitively,
// so that "US" is not "us" and "ISI" is not "isi".
bool LooksLikeAcronym(std::string_view name);

// True when the token starts with an upper-case letter.
bool StartsUpper(std::string_view token_text);

}  // namespace quarry::internal

#endif  // QUARRY_GAZETTEER_NORMALIZE_H_
