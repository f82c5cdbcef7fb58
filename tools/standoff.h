// tools/standoff.h: reading the stand-off JSON that `quarry annotate` writes, for the commands
// that work on annotated output (report, diff): finding the files, parsing and checking them,
// and finding each document's text again (from its id, the path it was annotated from, or a
// .txt beside its JSON, checked against the document's SHA-256).
#ifndef QUARRY_TOOLS_STANDOFF_H_
#define QUARRY_TOOLS_STANDOFF_H_

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace quarry::cli {

struct StandoffDoc {
  std::string file;   // the JSON file, or "FILE:LINE" for a line of a JSONL file
  std::string id;     // document.id, else the file's stem
  std::string dct;    // document.dct, "" when none
  std::string text;   // the document's text, when found
  bool has_text = false;
  nlohmann::json j;   // the whole stand-off object
};

// The files named by `inputs`: a folder is searched recursively (in sorted order) for *.json
// (not *.meta.json) and, with `jsonl`, *.jsonl files; a file is taken as it is. An input that
// does not exist goes to `problems` as "INPUT: no such file or folder".
std::vector<std::string> StandoffFiles(const std::vector<std::string>& inputs, bool jsonl,
                                       std::vector<std::string>& problems);

// Appends the documents of one file to `out`: a *.jsonl file holds one per line, any other file
// one. What cannot be read, is not JSON, or is not quarry's stand-off JSON goes to `problems`
// ("FILE[:LINE]: what"), and the rest is read.
void ReadStandoffFile(const std::string& path, std::vector<StandoffDoc>& out,
                      std::vector<std::string>& problems);

// Looks for the document's text: the file named by its id, then `sibling_txt` (e.g. the JSON's
// path with .txt), each used only when its SHA-256 is the document's.
void FindText(StandoffDoc& d, const std::string& sibling_txt);

// The text of a [begin, end) UTF-8 byte span given as a JSON pair; "" without the text or for a
// span outside it.
std::string SliceUtf8(const StandoffDoc& d, const nlohmann::json& span);

// The text of the sentence (from the document's sentence layer, in UTF-8 bytes) that holds
// byte `begin`; "" without the text or the sentence layer.
std::string SentenceAt(const StandoffDoc& d, uint64_t begin);

}  // namespace quarry::cli

#endif  // QUARRY_TOOLS_STANDOFF_H_
