// quarry/status.h: errors without exceptions.
//
// Every fallible function of the public API returns a quarry::Status or a quarry::Result<T>; no
// exception crosses the API. The names follow std::expected (has_value, value, error, value_or) so
// code can move to it later.
//
//   quarry::Result<quarry::Document> doc = quarry::Document::FromFile("corpus/a.txt");
//   if (!doc) {
//     std::cerr << doc.error().ToString() << "\n";   // "corpus/a.txt: invalid UTF-8 at byte 17 ..."
//     return 1;
//   }
//   use(*doc);
//
// A Status may carry a list of Diagnostics: located messages (file, line, column, byte offset),
// used by every parser so that all errors of a file are reported at once.
#ifndef QUARRY_STATUS_H_
#define QUARRY_STATUS_H_

#include <cstdint>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace quarry {

enum class StatusCode : int {
  kOk = 0,
  kInvalidArgument,    // bad option or argument value
  kNotFound,           // missing file or name
  kInvalidInput,       // input data is malformed (invalid UTF-8, a NUL byte, ...)
  kParseError,         // a gazetteer, rule or model file has errors; see diagnostics()
  kIoError,            // reading or writing failed (permissions, disk full, ...)
  kResourceExhausted,  // a configured limit was exceeded (document size, matches, memory)
  kDeadlineExceeded,   // a configured time budget was exceeded
  kDataLoss,           // a saved model is truncated or corrupt
  kUnimplemented,
  kInternal,
};

// A short lower-case name for a code: "ok", "invalid input", "parse error", ...
const char* StatusCodeName(StatusCode code);

// One located message. Fields that do not apply are empty or zero: line and column are 1-based,
// byte_offset is kNoOffset when unknown.
struct Diagnostic {
  static constexpr uint64_t kNoOffset = ~uint64_t{0};
  enum class Severity : uint8_t { kError, kWarning, kNote };

  Severity severity = Severity::kError;
  std::string file;
  uint32_t line = 0;
  uint32_t column = 0;
  uint64_t byte_offset = kNoOffset;
  std::string message;
  std::string snippet;  // the offending text, when there is one

  // "file:line:column: error: message" (parts that are unknown are left out), followed by the
  // snippet on its own line when there is one.
  std::string ToString() const;
};

class [[nodiscard]] Status {
 public:
  // A default-constructed Status is OK.
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  const std::vector<Diagnostic>& diagnostics() const { return diagnostics_; }

  // Attaches located diagnostics (a parser's full error list).
  Status& WithDiagnostics(std::vector<Diagnostic> d) {
    diagnostics_ = std::move(d);
    return *this;
  }
  // Prefixes the message with context, e.g. the file being processed: "ctx: message".
  Status& Prepend(const std::string& context) {
    message_ = context + ": " + message_;
    return *this;
  }

  // The message, then each diagnostic on its own line.
  std::string ToString() const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
  std::vector<Diagnostic> diagnostics_;
};

// Either a value or a non-OK Status. Constructing a Result from an OK Status is a programming
// error and yields kInternal.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design, like std::expected
  Result(Status status) : v_(std::move(status)) {  // NOLINT
    if (std::get<Status>(v_).ok()) v_ = Status(StatusCode::kInternal, "Result built from OK status");
  }

  bool has_value() const { return v_.index() == 0; }
  explicit operator bool() const { return has_value(); }

  // Precondition for value(), *, ->: has_value().
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  template <typename U>
  T value_or(U&& fallback) const& {
    return has_value() ? value() : static_cast<T>(std::forward<U>(fallback));
  }

  // Precondition: !has_value().
  const Status& error() const& { return std::get<1>(v_); }
  Status&& error() && { return std::get<1>(std::move(v_)); }

  // OK when there is a value, the error otherwise.
  Status status() const { return has_value() ? Status() : error(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace quarry

// Returns early from the enclosing function when `expr` (a Status) is not OK.
#define QUARRY_RETURN_IF_ERROR(expr)         \
  do {                                       \
    ::quarry::Status _quarry_st = (expr);    \
    if (!_quarry_st.ok()) return _quarry_st; \
  } while (0)

#endif  // QUARRY_STATUS_H_
