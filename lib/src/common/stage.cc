// common/stage.cc: the shared deadline check of pipeline stages.
#include "common/stage.h"

namespace quarry::internal {

Status RunContext::CheckDeadline(std::string_view where) const {
  if (deadline != std::chrono::steady_clock::time_point::max() &&
      std::chrono::steady_clock::now() > deadline) {
    return Status(StatusCode::kDeadlineExceeded,
                  doc.id() + ": time budget of " + std::to_string(options.time_budget_seconds) +
                      " s exceeded during " + std::string(where));
  }
  return Status();
}

}  // namespace quarry::internal
