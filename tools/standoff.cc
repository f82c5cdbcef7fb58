// tools/standoff.cc: see standoff.h.
#include "standoff.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "quarry/quarry.h"

namespace quarry::cli {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

bool ReadWhole(const std::string& path, std::string& out) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) return false;
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  out = ss.str();
  return true;
}

// Parses one stand-off object; "" on success, else what is wrong.
std::string Parse(std::string_view raw, const std::string& fallback_id, StandoffDoc& d) {
  try {
    d.j = json::parse(raw);
  } catch (const json::exception& e) {
    return std::string("not JSON (") + e.what() + ")";
  }
  if (!d.j.is_object() || d.j.value("schema", "") != "quarry.standoff/1" ||
      !d.j.contains("document") || !d.j["document"].is_object()) {
    return "not the JSON of quarry annotate (no schema \"quarry.standoff/1\"), skipped";
  }
  const json& doc = d.j["document"];
  d.id = doc.contains("id") && doc["id"].is_string() ? doc["id"].get<std::string>() : fallback_id;
  if (doc.contains("dct") && doc["dct"].is_string()) d.dct = doc["dct"].get<std::string>();
  return "";
}

}  // namespace

std::vector<std::string> StandoffFiles(const std::vector<std::string>& inputs, bool jsonl,
                                       std::vector<std::string>& problems) {
  std::vector<std::string> files;
  for (const std::string& in : inputs) {
    std::error_code ec;
    if (fs::is_directory(in, ec)) {
      std::vector<std::string> found;
      for (auto it = fs::recursive_directory_iterator(in, ec); !ec && it != fs::end(it);
           it.increment(ec)) {
        if (!it->is_regular_file(ec)) continue;
        const fs::path& p = it->path();
        if ((p.extension() == ".json" && !p.string().ends_with(".meta.json")) ||
            (jsonl && p.extension() == ".jsonl"))
          found.push_back(p.string());
      }
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else if (fs::is_regular_file(in, ec)) {
      files.push_back(in);
    } else {
      problems.push_back(in + ": no such file or folder");
    }
  }
  return files;
}

void ReadStandoffFile(const std::string& path, std::vector<StandoffDoc>& out,
                      std::vector<std::string>& problems) {
  std::string raw;
  if (!ReadWhole(path, raw)) {
    problems.push_back(path + ": cannot read");
    return;
  }
  std::string stem = fs::path(path).stem().string();
  if (!path.ends_with(".jsonl")) {
    StandoffDoc d;
    d.file = path;
    if (std::string why = Parse(raw, stem, d); !why.empty()) {
      problems.push_back(path + ": " + why);
      return;
    }
    out.push_back(std::move(d));
    return;
  }
  size_t line = 0;
  for (size_t at = 0; at < raw.size();) {
    size_t nl = raw.find('\n', at);
    if (nl == std::string::npos) nl = raw.size();
    std::string_view text(raw.data() + at, nl - at);
    at = nl + 1;
    ++line;
    if (text.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    StandoffDoc d;
    d.file = path + ":" + std::to_string(line);
    if (std::string why = Parse(text, stem + ":" + std::to_string(line), d); !why.empty()) {
      problems.push_back(d.file + ": " + why);
      continue;
    }
    out.push_back(std::move(d));
  }
}

void FindText(StandoffDoc& d, const std::string& sibling_txt) {
  const json& doc = d.j["document"];
  std::string sha = doc.value("sha256", "");
  if (sha.empty()) return;
  for (const std::string& cand : {d.id, sibling_txt}) {
    std::string text;
    if (cand.empty() || !ReadWhole(cand, text)) continue;
    if (text.starts_with("\xEF\xBB\xBF")) text.erase(0, 3);
    auto check = Document::FromBytes(text, d.id);
    if (check && check->sha256() == sha) {
      d.text = check->text();
      d.has_text = true;
      return;
    }
  }
}

std::string SliceUtf8(const StandoffDoc& d, const json& span) {
  if (!d.has_text || !span.is_array() || span.size() != 2 || !span[0].is_number_unsigned() ||
      !span[1].is_number_unsigned())
    return "";
  auto b = span[0].get<uint64_t>(), e = span[1].get<uint64_t>();
  if (b > e || e > d.text.size()) return "";
  return d.text.substr(b, e - b);
}

std::string SentenceAt(const StandoffDoc& d, uint64_t begin) {
  if (!d.has_text || !d.j.contains("sentences") || !d.j["sentences"].is_object() ||
      !d.j["sentences"].contains("utf8") || !d.j["sentences"]["utf8"].is_array())
    return "";
  const json& sents = d.j["sentences"]["utf8"];
  auto start = [](const json& s) {
    return s.is_array() && s.size() == 2 && s[0].is_number_unsigned() ? s[0].get<uint64_t>() : 0;
  };
  // Sentences are in text order: the last one starting at or before `begin`.
  auto it = std::upper_bound(sents.begin(), sents.end(), begin,
                             [&](uint64_t x, const json& s) { return x < start(s); });
  if (it == sents.begin()) return "";
  const json& s = *std::prev(it);
  if (!s.is_array() || s.size() != 2 || !s[1].is_number_unsigned() || begin >= s[1].get<uint64_t>())
    return "";
  return SliceUtf8(d, s);
}

}  // namespace quarry::cli
