// common/status.cc: formatting of Status and Diagnostic.
#include "quarry/status.h"

namespace quarry {

const char* StatusCodeName(StatusCode code) {
  switch (code) {
    case StatusCode::kOk: return "ok";
    case StatusCode::kInvalidArgument: return "invalid argument";
    case StatusCode::kNotFound: return "not found";
    case StatusCode::kInvalidInput: return "invalid input";
    case StatusCode::kParseError: return "parse error";
    case StatusCode::kIoError: return "i/o error";
    case StatusCode::kResourceExhausted: return "limit exceeded";
    case StatusCode::kDeadlineExceeded: return "time budget exceeded";
    case StatusCode::kDataLoss: return "corrupt data";
    case StatusCode::kUnimplemented: return "unimplemented";
    case StatusCode::kInternal: return "internal error";
  }
  return "unknown";
}

std::string Diagnostic::ToString() const {
  std::string out;
  if (!file.empty()) out += file;
  if (line > 0) {
    out += (out.empty() ? "" : ":") + std::to_string(line);
    if (column > 0) out += ":" + std::to_string(column);
  }
  if (byte_offset != kNoOffset) {
    out += (out.empty() ? "byte " : " (byte ") + std::to_string(byte_offset) +
           (out.empty() ? "" : ")");
  }
  if (!out.empty()) out += ": ";
  switch (severity) {
    case Severity::kError: out += "error: "; break;
    case Severity::kWarning: out += "warning: "; break;
    case Severity::kNote: out += "note: "; break;
  }
  out += message;
  if (!snippet.empty()) out += "\n    " + snippet;
  return out;
}

std::string Status::ToString() const {
  if (ok()) return "ok";
  std::string out = message_.empty() ? StatusCodeName(code_) : message_;
  for (const Diagnostic& d : diagnostics_) out += "\n" + d.ToString();
  return out;
}

}  // namespace quarry
