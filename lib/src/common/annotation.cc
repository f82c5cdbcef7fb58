// common/annotation.cc: helpers of the annotation model.
#include "quarry/annotation.h"

#include <algorithm>
#include <cstdio>

namespace quarry {

const char* TokenKindName(TokenKind kind) {
  switch (kind) {
    case TokenKind::kWord: return "word";
    case TokenKind::kNumber: return "number";
    case TokenKind::kPunctuation: return "punct";
    case TokenKind::kSymbol: return "symbol";
    case TokenKind::kEmoji: return "emoji";
    case TokenKind::kOther: return "other";
  }
  return "other";
}

const char* LayerName(Layer layer) {
  switch (layer) {
    case Layer::kEntity: return "entities";
    case Layer::kTimex: return "timexes";
    case Layer::kEvent: return "events";
    case Layer::kRelation: return "relations";
    case Layer::kOther: return "other";
  }
  return "other";
}

const FeatureValue* Annotation::FindFeature(std::string_view name) const {
  for (const auto& f : features) {
    if (f.name == name) return &f.value;
  }
  return nullptr;
}

std::string Annotation::FeatureString(std::string_view name) const {
  const FeatureValue* v = FindFeature(name);
  if (!v) return "";
  if (const auto* s = std::get_if<std::string>(v)) return *s;
  if (const auto* i = std::get_if<int64_t>(v)) return std::to_string(*i);
  if (const auto* b = std::get_if<bool>(v)) return *b ? "true" : "false";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", std::get<double>(*v));
  return buf;
}

void Annotation::SetFeature(std::string name, FeatureValue value) {
  for (auto& f : features) {
    if (f.name == name) {
      f.value = std::move(value);
      return;
    }
  }
  features.push_back({std::move(name), std::move(value)});
}

void AnnotationSet::SetForms(Token& t, std::string_view lower, std::string_view shape) {
  t.lower_offset = static_cast<uint32_t>(strings_.size());
  // The sizes are 16-bit: a longer form (a token of over 64 KiB) is cut, at a character
  // boundary so that the form stays valid UTF-8.
  auto cut = [](std::string_view s) {
    size_t n = std::min<size_t>(s.size(), 0xFFFF);
    while (n > 0 && n < s.size() && (static_cast<uint8_t>(s[n]) & 0xC0) == 0x80) --n;
    return static_cast<uint16_t>(n);
  };
  t.lower_size = cut(lower);
  t.shape_size = cut(shape);
  strings_.append(lower.substr(0, t.lower_size));
  strings_.append(shape.substr(0, t.shape_size));
}

uint32_t AnnotationSet::TokenAt(uint32_t byte) const {
  auto it = std::lower_bound(tokens_.begin(), tokens_.end(), byte,
                             [](const Token& t, uint32_t b) { return t.span.end <= b; });
  return static_cast<uint32_t>(it - tokens_.begin());
}

std::pair<uint32_t, uint32_t> AnnotationSet::TokenRange(Span span) const {
  uint32_t first = TokenAt(span.begin);
  uint32_t end = first;
  while (end < tokens_.size() && tokens_[end].span.begin < span.end) ++end;
  return {first, end};
}

uint32_t AnnotationSet::Add(Annotation a) {
  auto [first, end] = TokenRange(a.span);
  a.first_token = first;
  a.end_token = end;
  annotations_.push_back(std::move(a));
  return static_cast<uint32_t>(annotations_.size() - 1);
}

}  // namespace quarry
