// coding/cameo.h: the CAMEO event code table: code -> type, root, quad class, PLOVER category,
// mode and context, label. The table is rules/cameo/cameo.tsv (facts from the CAMEO codebook and
// the CAMEO-to-PLOVER table, written by scripts/import-cameo.py), embedded in the library.
//
//   const CameoCode* c = FindCameo("1823");      // {type "KILL", root "18", quad 4, ...}
//   const CameoCode* p = FindCameoOrParent("0234");  // "0234" itself, else "023"
#ifndef QUARRY_CODING_CAMEO_H_
#define QUARRY_CODING_CAMEO_H_

#include <string>
#include <string_view>

namespace quarry::internal {

// The embedded text of rules/cameo/cameo.tsv (generated source).
std::string_view EmbeddedCameoTable();

namespace coding {

struct CameoCode {
  std::string_view code;     // "1823"
  std::string_view type;     // quarry's short name: "KILL"
  std::string_view root;     // "18"
  int quad = 0;              // 1 verbal cooperation, 2 material cooperation, 3 verbal conflict,
                             // 4 material conflict
  std::string_view plover;   // PLOVER category: "ASSAULT" ("" for statements, 01x)
  std::string_view mode;     // PLOVER mode: "assassinate", "" when none
  std::string_view context;  // PLOVER context: "military", "legal; military", ...
  std::string_view label;    // the CAMEO name: "Kill by physical assault"
};

// The row of exactly `code`, or nullptr.
const CameoCode* FindCameo(std::string_view code);
// The row of `code`, else of its nearest listed prefix of at least three digits, else nullptr.
const CameoCode* FindCameoOrParent(std::string_view code);
// True for a well-formed CAMEO event code: three or four digits ("190", "0841"), the null code
// "---" excluded.
bool IsCameoCode(std::string_view code);
// True for the codes of violence: roots 18 (unconventional violence), 19 (conventional
// military force), 20 (mass violence) and 175 (violent repression).
bool IsViolentCode(std::string_view code);
// "GOVERNMENT" style quad class names: "verbal cooperation", ..., "" for 0.
const char* QuadClassName(int quad);

}  // namespace coding
}  // namespace quarry::internal

#endif  // QUARRY_CODING_CAMEO_H_
