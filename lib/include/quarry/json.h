// quarry/json.h: the canonical stand-off JSON output (schema "quarry.standoff/1").
//
//   quarry::JsonOptions jo;
//   jo.unit = quarry::OffsetUnit::kUtf16;     // spans for JavaScript or Java consumers
//   std::string json = quarry::ToJson(doc, set, jo);
//
// The format is specified by docs/schema/standoff.schema.json and described in docs/output.md.
// Every span is given twice: "span" in the chosen unit (code points by default, as Python
// slicing, brat and spaCy count) and "utf8" in bytes; "text" is the covered text. Annotation ids
// are per layer: e1.. entities, t1.. timexes, v1.. events, r1.. relations, x1.. other layers.
#ifndef QUARRY_JSON_H_
#define QUARRY_JSON_H_

#include <string>
#include <vector>

#include "quarry/annotation.h"
#include "quarry/document.h"
#include "quarry/status.h"

namespace quarry {

struct JsonOptions {
  OffsetUnit unit = OffsetUnit::kCodepoint;
  bool tokens = true;     // include the token layer
  bool sentences = true;  // include the sentence layer
  bool pretty = false;    // indent (one item per line); otherwise a single line
};

std::string ToJson(const Document& doc, const AnnotationSet& set, const JsonOptions& options = {});

// The JSON id of annotation `index` of `set` ("e3", "t1", ...). Linear in `index`: to name many
// annotations, take AnnotationIds once.
std::string AnnotationId(const AnnotationSet& set, uint32_t index);
// The JSON ids of all annotations of `set`, by index (one pass).
std::vector<std::string> AnnotationIds(const AnnotationSet& set);

// Whether the JSON file at `path` exists and was written by the pipeline with this fingerprint
// (Pipeline::Info::fingerprint, which ToJson writes into "generator"): the rule by which
// `quarry annotate --resume` and quarry.dask skip an input whose output is up to date. Reads only
// the head of the file. False for an empty fingerprint.
bool WrittenByPipeline(const std::string& path, const std::string& fingerprint);

}  // namespace quarry

#endif  // QUARRY_JSON_H_
