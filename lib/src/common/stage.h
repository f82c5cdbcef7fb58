// common/stage.h: the interface between the pipeline and its stages.
//
// A Stage is one compiled step of the pipeline (tokenizer, gazetteer tagger, temporal tagger,
// rule cascade, ...). It is immutable after construction; Run is const and thread-safe, and keeps
// per-call state on the stack or in the RunContext. Stages add to the AnnotationSet; they never
// change the Document.
#ifndef QUARRY_COMMON_STAGE_H_
#define QUARRY_COMMON_STAGE_H_

#include <chrono>
#include <string>
#include <string_view>

#include "quarry/annotation.h"
#include "quarry/document.h"
#include "quarry/options.h"
#include "quarry/status.h"

namespace quarry::internal {

struct RunContext {
  const Document& doc;
  const AnnotateOptions& options;
  std::string dct;  // effective document creation time ("" when unknown)
  std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();

  // kDeadlineExceeded once the time budget is spent. Stages call it between units of work.
  Status CheckDeadline(std::string_view where) const;
};

// Checks the deadline every 4096th call, so that a stage can call Tick() in its inner loops at
// the cost of a counter increment. A null context never expires.
class DeadlineTicker {
 public:
  explicit DeadlineTicker(const RunContext* ctx) : ctx_(ctx) {}
  Status Tick(std::string_view where) {
    if (ctx_ == nullptr || (++n_ & 4095) != 0) return Status();
    return ctx_->CheckDeadline(where);
  }

 private:
  const RunContext* ctx_;
  uint32_t n_ = 0;
};

class Stage {
 public:
  virtual ~Stage() = default;
  virtual std::string_view name() const = 0;
  virtual Status Run(const RunContext& ctx, AnnotationSet& set) const = 0;
};

}  // namespace quarry::internal

#endif  // QUARRY_COMMON_STAGE_H_
