// gazetteer/stage.h: the gazetteer tagger and the within-document linker as pipeline stages.
//
//   auto tagger = CompileGazetteerStage(sources, GazetteerOptions{});   // parse + compile
//   auto linker = CreateLinkingStage(tagger_gazetteer, options);
//
// The tagger turns gazetteer matches over the tokens into entity annotations (layer kEntity,
// type = the entry's main type, features entity/name/subtype/cameo/country, prov = the alias's
// file:line). Candidates that lost to an overlapping longer match are kept as kOther "Lookup"
// annotations, so rules can still see them. The linker then adds document-local knowledge:
// parenthesised definitions, "a.k.a"-style aliases, short forms of people named earlier, and
// people found by titles or appositions who are in no gazetteer. Both stages are immutable and
// thread-safe.
#ifndef QUARRY_GAZETTEER_STAGE_H_
#define QUARRY_GAZETTEER_STAGE_H_

#include <memory>
#include <vector>

#include "common/source.h"
#include "common/stage.h"
#include "gazetteer/compiled.h"

namespace quarry::internal {

struct GazetteerOptions {
  MatchSemantics semantics = MatchSemantics::kLeftmostLongest;
  // Emit candidates that overlap a chosen mention as kOther "Lookup" annotations.
  bool lookups = true;
  // Run the linker (aliases, short forms, titles). Off: gazetteer matches only.
  bool link = true;
};

// The tagger stage over an already compiled gazetteer.
std::unique_ptr<Stage> CreateGazetteerStage(std::shared_ptr<const CompiledGazetteer> gazetteer,
                                            const GazetteerOptions& options);
// The linker stage (runs after the tagger).
std::unique_ptr<Stage> CreateLinkingStage(std::shared_ptr<const CompiledGazetteer> gazetteer,
                                          const GazetteerOptions& options);

// Parses and compiles `sources`, and returns the tagger stage. Parse errors come back as
// kParseError with file:line:column diagnostics for every error in every file.
Result<std::unique_ptr<Stage>> CompileGazetteerStage(const std::vector<SourceFile>& sources,
                                                     const GazetteerOptions& options);

// Parses and compiles `sources` into a gazetteer.
Result<std::shared_ptr<const CompiledGazetteer>> CompileGazetteer(
    const std::vector<SourceFile>& sources, CompiledGazetteer::Stats* stats = nullptr);

// Computes the matcher's token ids for the tokens of `set` (kJoiner for hyphens, kNoToken for
// tokens outside the vocabulary).
void TokenIds(const CompiledGazetteer& g, const Document& doc, const AnnotationSet& set,
              std::vector<uint32_t>& ids);

// Fills the features and provenance of an entity annotation for entry `e`.
void SetEntityFeatures(const CompiledGazetteer& g, uint32_t e, Annotation& a);

}  // namespace quarry::internal

#endif  // QUARRY_GAZETTEER_STAGE_H_
