// coding/cameo.cc: parsing the embedded CAMEO table once, lookups by code.
#include "coding/cameo.h"

#include <algorithm>
#include <vector>

namespace quarry::internal::coding {
namespace {

const std::vector<CameoCode>& Table() {
  static const std::vector<CameoCode>* table = [] {
    auto* rows = new std::vector<CameoCode>();
    std::string_view text = EmbeddedCameoTable();
    while (!text.empty()) {
      size_t nl = text.find('\n');
      std::string_view line = text.substr(0, nl);
      text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
      if (line.empty() || line[0] == '#') continue;
      std::string_view f[8];
      int n = 0;
      while (n < 8) {
        size_t tab = line.find('\t');
        f[n++] = line.substr(0, tab);
        if (tab == std::string_view::npos) break;
        line.remove_prefix(tab + 1);
      }
      if (n < 8) continue;  // the table is generated; a short row is skipped, never guessed
      CameoCode c;
      c.code = f[0];
      c.type = f[1];
      c.root = f[2];
      c.quad = f[3].empty() ? 0 : f[3][0] - '0';
      c.plover = f[4];
      c.mode = f[5];
      c.context = f[6];
      c.label = f[7];
      rows->push_back(c);
    }
    std::sort(rows->begin(), rows->end(),
              [](const CameoCode& a, const CameoCode& b) { return a.code < b.code; });
    return rows;
  }();
  return *table;
}

}  // namespace

const CameoCode* FindCameo(std::string_view code) {
  const auto& t = Table();
  auto it = std::lower_bound(t.begin(), t.end(), code,
                             [](const CameoCode& c, std::string_view k) { return c.code < k; });
  return it != t.end() && it->code == code ? &*it : nullptr;
}

const CameoCode* FindCameoOrParent(std::string_view code) {
  while (code.size() >= 3) {
    if (const CameoCode* c = FindCameo(code)) return c;
    code.remove_suffix(1);
  }
  return nullptr;
}

bool IsViolentCode(std::string_view code) {
  return code.starts_with("18") || code.starts_with("19") || code.starts_with("20") ||
         code.starts_with("175");
}

bool IsCameoCode(std::string_view code) {
  if (code.size() < 3 || code.size() > 4) return false;
  return std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; });
}

const char* QuadClassName(int quad) {
  switch (quad) {
    case 1: return "verbal cooperation";
    case 2: return "material cooperation";
    case 3: return "verbal conflict";
    case 4: return "material conflict";
    default: return "";
  }
}

}  // namespace quarry::internal::coding
