// common/string_set.h: a set of strings held in one buffer, with an open-addressing index.
//
// Built for word lists that run to tens of thousands of entries (rules/lexicons/english-words.qr):
// std::unordered_set<std::string> costs one allocation per word and a pointer chase per probe,
// which made building such a list most of the time of loading a saved pipeline. Here the words
// sit end to end in one string, the index is a flat array of entry numbers, and each entry's
// hash is kept so a probe compares bytes only on a hash match. Iteration is in insertion order.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace quarry::internal {

class StringSet {
 public:
  class const_iterator {
   public:
    using value_type = std::string_view;
    using difference_type = std::ptrdiff_t;
    using reference = std::string_view;
    using pointer = void;
    using iterator_category = std::forward_iterator_tag;
    const_iterator() = default;
    const_iterator(const StringSet* s, size_t i) : s_(s), i_(i) {}
    std::string_view operator*() const { return s_->at(i_); }
    const_iterator& operator++() {
      ++i_;
      return *this;
    }
    const_iterator operator++(int) {
      const_iterator t = *this;
      ++i_;
      return t;
    }
    bool operator==(const const_iterator& o) const { return i_ == o.i_; }

   private:
    const StringSet* s_ = nullptr;
    size_t i_ = 0;
  };

  size_t size() const { return hashes_.size(); }
  bool empty() const { return hashes_.empty(); }
  const_iterator begin() const { return {this, 0}; }
  const_iterator end() const { return {this, size()}; }
  // The i-th string inserted.
  std::string_view at(size_t i) const {
    size_t b = i == 0 ? 0 : ends_[i - 1];
    return std::string_view(bytes_).substr(b, ends_[i] - b);
  }

  void reserve(size_t n) {
    hashes_.reserve(n);
    ends_.reserve(n);
    if (n * 2 > slots_.size()) Rehash(n * 2);
  }

  // Adds `s` unless it is there; true when added.
  bool insert(std::string_view s) {
    if ((size() + 1) * 2 > slots_.size()) Rehash(std::max<size_t>(16, slots_.size() * 2));
    size_t h = Hash(s);
    size_t mask = slots_.size() - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
      uint32_t e = slots_[i];
      if (e == 0) {
        bytes_.append(s);
        ends_.push_back(static_cast<uint32_t>(bytes_.size()));
        hashes_.push_back(static_cast<uint32_t>(h));
        slots_[i] = static_cast<uint32_t>(size());
        return true;
      }
      if (hashes_[e - 1] == static_cast<uint32_t>(h) && at(e - 1) == s) return false;
    }
  }

  bool contains(std::string_view s) const {
    if (slots_.empty()) return false;
    size_t h = Hash(s);
    size_t mask = slots_.size() - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
      uint32_t e = slots_[i];
      if (e == 0) return false;
      if (hashes_[e - 1] == static_cast<uint32_t>(h) && at(e - 1) == s) return true;
    }
  }
  size_t count(std::string_view s) const { return contains(s) ? 1 : 0; }

 private:
  static size_t Hash(std::string_view s) { return std::hash<std::string_view>{}(s); }

  // Grows the index to at least `want` slots (a power of two) and reinserts every entry.
  void Rehash(size_t want) {
    size_t n = 16;
    while (n < want) n *= 2;
    slots_.assign(n, 0);
    size_t mask = n - 1;
    for (size_t e = 0; e < hashes_.size(); ++e) {
      size_t i = hashes_[e] & mask;
      while (slots_[i] != 0) i = (i + 1) & mask;
      slots_[i] = static_cast<uint32_t>(e + 1);
    }
  }

  std::string bytes_;              // every string, end to end
  std::vector<uint32_t> ends_;     // entry i ends at ends_[i] (and begins where i-1 ends)
  std::vector<uint32_t> hashes_;   // low 32 bits of entry i's hash
  std::vector<uint32_t> slots_;    // entry number + 1, or 0 for an empty slot
};

}  // namespace quarry::internal
