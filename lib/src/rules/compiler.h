// rules/compiler.h: checking .qr sources and compiling them into an immutable RuleSet.
//
//   auto rs = CompileRules({{"rules/events.qr", text}});
//   if (!rs) std::cerr << rs.error().ToString();   // every error, each file:line:column
//
// Compile errors include syntax errors, unknown types, layers, features, word lists and
// sub-patterns, captures used but never bound, arguments bound to tokens instead of
// annotations, patterns that can match the empty sequence, unbounded lookarounds, phases that
// depend on each other in a cycle, and invalid RE2 regular expressions.
#ifndef QUARRY_RULES_COMPILER_H_
#define QUARRY_RULES_COMPILER_H_

#include <memory>
#include <vector>

#include "common/source.h"
#include "quarry/status.h"
#include "rules/program.h"

namespace quarry::internal::rules {

// `import "x.qr"` names a file relative to the importing file; imports not among `sources` are
// read from disk.
Result<std::shared_ptr<const RuleSet>> CompileRules(std::vector<SourceFile> sources);

// The built-in declarations every rule set starts with (entity and timex types and features).
const char* BuiltinDeclarations();

}  // namespace quarry::internal::rules

#endif  // QUARRY_RULES_COMPILER_H_
