// common/source.h: data files (gazetteers, rules, grammars) as named in-memory sources.
//
// Compilers take SourceFiles rather than paths so that tests, fuzzers and saved pipelines can
// compile from memory. ExpandPaths turns the files and folders a user named into a sorted list.
#ifndef QUARRY_COMMON_SOURCE_H_
#define QUARRY_COMMON_SOURCE_H_

#include <string>
#include <utility>
#include <vector>

#include "quarry/status.h"

namespace quarry::internal {

struct SourceFile {
  // The name recorded in provenance and diagnostics: a file named on its own keeps the path as
  // given; a file found below a folder is named by the folder's last component and its path
  // below it ("rules/cameo/verbs.qv" wherever the rules folder is), so output does not depend on
  // where the data is installed or checked out.
  std::string name;
  std::string content;  // the bytes
  std::string path;     // where it was read from ("" for text handed in); imports resolve from it
};

// Expands files and folders: a folder contributes every regular file below it whose name ends
// with one of `extensions` (e.g. {".gaz"}), in sorted order; a file is taken whatever its name.
// Fails with kNotFound naming the first missing path.
Result<std::vector<std::string>> ExpandPaths(const std::vector<std::string>& paths,
                                             const std::vector<std::string>& extensions);

// ExpandPaths with each file's SourceFile::name: {path, name} pairs.
Result<std::vector<std::pair<std::string, std::string>>> ExpandNamedPaths(
    const std::vector<std::string>& paths, const std::vector<std::string>& extensions);

// The error for invalid UTF-8 at byte `bad` of a data file: "FILE: invalid UTF-8 at byte N
// (line L, column C)" (kInvalidInput), with a diagnostic carrying the place and an excerpt.
Status InvalidUtf8Error(const std::string& file, std::string_view content, size_t bad);

class BinaryWriter;
class BinaryReader;

// Data files bundled in a saved file (rule sets, pipelines): a count, then name and content of
// each. ReadSources leaves errors in the reader's status.
void WriteSources(BinaryWriter& w, const std::vector<SourceFile>& files);
std::vector<SourceFile> ReadSources(BinaryReader& r);
// Bundled files are held to what LoadSources checks for files on disk: kDataLoss naming `path`
// ("PATH: bundled WHAT is not valid UTF-8") when a name or content is not UTF-8.
Status CheckBundledUtf8(const std::vector<SourceFile>& files, const std::string& path,
                        const char* what);

// ExpandPaths, then reads every file; UTF-8 is checked (kInvalidInput naming file and byte).
Result<std::vector<SourceFile>> LoadSources(const std::vector<std::string>& paths,
                                            const std::vector<std::string>& extensions);

}  // namespace quarry::internal

#endif  // QUARRY_COMMON_SOURCE_H_
