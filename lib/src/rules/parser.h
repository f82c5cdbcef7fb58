// rules/parser.h: lexing and parsing of .qr rule files into a FileAst, reporting every error.
//
// Parse never stops at the first error: it resynchronises at the next `;` or `}` and keeps going,
// so that a file with several mistakes yields all of them, each located (file:line:column) with
// the offending source line and a caret under the column.
#ifndef QUARRY_RULES_PARSER_H_
#define QUARRY_RULES_PARSER_H_

#include <string>
#include <string_view>
#include <vector>

#include "common/source.h"
#include "quarry/status.h"
#include "rules/ast.h"

namespace quarry::internal::rules {

// Collects located diagnostics over a set of sources.
class Diags {
 public:
  explicit Diags(const std::vector<SourceFile>* sources) : sources_(sources) {}
  void Error(const Loc& loc, std::string message);
  // A finding that does not stop compilation (an error under `--strict` in the CLI).
  void Warning(const Loc& loc, std::string message);
  bool empty() const { return list_.empty(); }
  std::vector<Diagnostic>& warnings() { return warnings_; }
  size_t size() const { return list_.size(); }
  std::vector<Diagnostic>& list() { return list_; }
  // file:line of a location, for provenance and test reports.
  std::string Where(const Loc& loc) const;
  const std::vector<SourceFile>& sources() const { return *sources_; }

 private:
  Diagnostic Make(const Loc& loc, std::string message) const;
  const std::vector<SourceFile>* sources_;
  std::vector<Diagnostic> list_;      // errors
  std::vector<Diagnostic> warnings_;
};

// Parses source `file_index` of diags.sources(). Errors go to `diags`; the returned tree holds
// whatever parsed cleanly.
FileAst Parse(uint32_t file_index, Diags& diags);

}  // namespace quarry::internal::rules

#endif  // QUARRY_RULES_PARSER_H_
