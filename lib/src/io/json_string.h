// io/json_string.h: a JSON string literal, as the stand-off writer and the JSON exports write it.
#ifndef QUARRY_IO_JSON_STRING_H_
#define QUARRY_IO_JSON_STRING_H_

#include <string>
#include <string_view>

namespace quarry::internal {

// Appends `s` (valid UTF-8) to `out` as a quoted JSON string: quote, backslash and control
// characters escaped (\n, \r, \t, else \u00XX), everything else as is.
void AppendJsonString(std::string& out, std::string_view s);

}  // namespace quarry::internal

#endif  // QUARRY_IO_JSON_STRING_H_
