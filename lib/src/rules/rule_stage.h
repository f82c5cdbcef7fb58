// rules/rule_stage.h: the rule cascade as a pipeline Stage, the inline-example test runner, and
// saving/loading a compiled rule set.
//
//   auto stage = CompileRuleStage(sources);          // Result<std::unique_ptr<Stage>>
//   TestReport r = RunExamples(*ruleset, prepare);   // `quarry rules test`
#ifndef QUARRY_RULES_RULE_STAGE_H_
#define QUARRY_RULES_RULE_STAGE_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/source.h"
#include "common/stage.h"
#include "rules/program.h"

namespace quarry::internal {

// Compiles rule sources into a stage that runs after the tokenizer, gazetteer and temporal
// stages, over tokens and whatever annotations they produced.
Result<std::unique_ptr<Stage>> CompileRuleStage(const std::vector<SourceFile>& sources);

namespace rules {

class RuleStage final : public Stage {
 public:
  explicit RuleStage(std::shared_ptr<const RuleSet> rs, PhaseSet which = PhaseSet::kAll)
      : rs_(std::move(rs)), which_(which) {}
  std::string_view name() const override {
    return which_ == PhaseSet::kEarly ? "names" : "rules";
  }
  Status Run(const RunContext& ctx, AnnotationSet& set) const override;
  const RuleSet& ruleset() const { return *rs_; }
  std::shared_ptr<const RuleSet> shared() const { return rs_; }

 private:
  std::shared_ptr<const RuleSet> rs_;
  PhaseSet which_;
};

// After the entity phases: entities found by rules ("names by evidence") and by the gazetteer
// that overlap are reconciled (the longer wins: "Jordan Peterson" over the country, "Bank of
// England" over the country inside it; a gazetteer name longer than a rule's find keeps its
// place), and rule-found entities get a document-local id (`doc:...`) for the linker.
void ReconcileEntities(const Document& doc, AnnotationSet& set);

// An example text with its [[surface|TYPE feature=value ...]] markup removed, and the
// annotations that markup stands for (spans into `text`).
struct MarkedText {
  std::string text;
  std::vector<Annotation> annotations;
  std::string error;  // non-empty when the markup is malformed or names an unknown type
};
MarkedText ParseMarkup(std::string_view source, const RuleSet& rs);

// Produces the annotation set an example runs over (tokens, sentences and whatever earlier
// stages add) for a document.
using PrepareFn = std::function<Result<AnnotationSet>(const Document&)>;

struct ExampleFailure {
  std::string where;  // file:line of the example
  std::string rule;
  std::string message;
};
struct TestReport {
  size_t examples = 0;
  size_t passed = 0;
  std::vector<ExampleFailure> failures;
};
// Runs every example and counter-example of every rule (or of `only_rule` when non-empty).
TestReport RunExamples(const RuleSet& rs, const PrepareFn& prepare, const std::string& only_rule = "");

// A one-line description of an output: TYPE "span" (role="text", ...) {feature=value, ...}.
std::string DescribeOutput(const Document& doc, const AnnotationSet& set, const Annotation& a);

// Saved rule sets: the sources, framed by common/binary.h (kind "RULE"); loading recompiles.
Status SaveRuleSet(const RuleSet& rs, const std::string& path);
Result<std::shared_ptr<const RuleSet>> LoadRuleSet(const std::string& path);

}  // namespace rules
}  // namespace quarry::internal

#endif  // QUARRY_RULES_RULE_STAGE_H_
