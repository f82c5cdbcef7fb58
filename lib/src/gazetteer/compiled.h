// gazetteer/compiled.h: the compiled gazetteer, an immutable token-sequence automaton whose
// in-memory form is its saved form.
//
//   GazetteerData data;  ParseGazetteers(sources, data);
//   Result<std::shared_ptr<const CompiledGazetteer>> g = CompiledGazetteer::Build(data);
//   std::string bytes = (*g)->Save();                 // framed with common/binary.h ("GAZT")
//   auto again = CompiledGazetteer::Load(std::move(bytes), "x.gzc");   // no per-entry work
//
// Layout (docs/gazetteers.md): a vocabulary of token keys (open-addressed hash of string
// offsets), a transition table keyed by (node, token id) (open addressing, linear probing), a
// CSR list of outputs per node, and entry records whose strings live in one blob. All sections
// are flat little-endian arrays aligned to 8 bytes, so Load only checks the frame and the section
// bounds and points into the buffer. Matching is a walk over token ids: O(tokens x longest name)
// with one hash probe per step. Thread-safe: every method is const and keeps no state.
#ifndef QUARRY_GAZETTEER_COMPILED_H_
#define QUARRY_GAZETTEER_COMPILED_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "gazetteer/format.h"
#include "quarry/status.h"

namespace quarry::internal {

// How overlapping candidates are resolved into mentions (same order as the public
// EntityOptions::Match, which the pipeline casts).
enum class MatchSemantics : uint8_t {
  kLeftmostLongest,   // scan left to right; at each start take the longest name (default)
  kLeftmostShortest,  // as above, the shortest name
  kAll,               // every candidate, overlapping
};

// The hash of matching keys in the compiled vocabulary (FNV-1a, then mixed); also good for
// tables of word forms kept beside it.
uint64_t HashStr(std::string_view s);

class CompiledGazetteer {
 public:
  static constexpr uint32_t kNoToken = 0xFFFFFFFFu;  // a token absent from the vocabulary
  static constexpr uint32_t kJoiner = 0xFFFFFFFEu;   // a hyphen: optional inside a name

  struct Output {
    uint32_t entry;
    uint32_t line;       // line of the alias in its file
    uint32_t exact_off;  // exact surface (tokens joined by ' ') in the blob, when exact_len > 0
    uint32_t exact_len;
  };
  struct Candidate {
    uint32_t begin;  // token indexes [begin, end) into the caller's token array
    uint32_t end;
    uint32_t output;  // index of the output (use output(i))
  };
  struct Stats {
    uint64_t entries = 0, aliases = 0, keys = 0, vocabulary = 0, nodes = 0, bytes = 0;
    uint64_t shadowed = 0;  // aliases dropped because a higher-priority entry has the same key
  };

  // Compiles parsed entries. Aliases with the same key from entries of different priority keep
  // only the highest priority (curated over imported).
  static Result<std::shared_ptr<const CompiledGazetteer>> Build(const GazetteerData& data,
                                                                Stats* stats = nullptr);
  // Adopts a saved file (the whole framed file). Fails with kInvalidInput / kDataLoss naming
  // `name` for a foreign, truncated or corrupt file.
  static Result<std::shared_ptr<const CompiledGazetteer>> Load(std::string file,
                                                               const std::string& name);
  // Maps a saved file read-only (mmap) and adopts it: no copy, no per-entry work; the frame's
  // checksum is still verified. Errors name `path`.
  static Result<std::shared_ptr<const CompiledGazetteer>> LoadFile(const std::string& path);
  // Adopts a saved file (the whole framed file) that lives inside memory `owner` keeps valid
  // (e.g. a saved pipeline's mapping): no copy. The file must start 8-byte aligned; otherwise
  // it is copied, as Load does. `checksum_verified`: the caller has verified a checksum that
  // covers these bytes (a saved pipeline's frame), so the gazetteer's own is not computed again.
  static Result<std::shared_ptr<const CompiledGazetteer>> Adopt(
      std::shared_ptr<const void> owner, std::string_view file, const std::string& name,
      bool checksum_verified = false);
  // The framed saved form.
  std::string Save() const { return std::string(file_); }
  uint64_t size_bytes() const { return file_.size(); }
  ~CompiledGazetteer();
  CompiledGazetteer(const CompiledGazetteer&) = delete;
  CompiledGazetteer& operator=(const CompiledGazetteer&) = delete;

  // Token id of a matching key (see normalize.h), or kNoToken.
  uint32_t TokenId(std::string_view key) const;

  // Candidates over a token-id sequence (kJoiner tokens are skipped inside names). `text_of(i)`
  // returns the original text of token i, used for case-sensitive names. Appends every
  // candidate (all starts, all lengths) sorted by begin then end.
  // With `caseless` (a document written in lower case), names that are matched as written
  // (acronyms, case-sensitive names) match in any case too, except the short common words
  // an acronym can spell ("US" -> "us", "WHO" -> "who"; LowercaseCollision).
  template <typename TextOf>
  void FindAll(const uint32_t* ids, uint32_t n, TextOf text_of, std::vector<Candidate>& out,
               bool caseless = false) const;

  // Resolves candidates (sorted as FindAll leaves them) into chosen mentions; the others are
  // appended to `rest` when it is not null.
  static void Select(const std::vector<Candidate>& all, MatchSemantics sem,
                     std::vector<Candidate>& chosen, std::vector<Candidate>* rest);

  uint32_t entry_count() const { return n_entries_; }
  // A number no other gazetteer of this process has: the key of per-thread caches.
  uint64_t serial() const { return serial_; }
  const Output& output(uint32_t i) const { return outputs_[i]; }
  std::string_view entry_id(uint32_t e) const { return Str(entries_[e].id); }
  std::string_view entry_name(uint32_t e) const { return Str(entries_[e].name); }
  std::string_view entry_type(uint32_t e) const { return Str(entries_[e].type); }
  std::string_view entry_subtype(uint32_t e) const { return Str(entries_[e].subtype); }
  std::string_view entry_file(uint32_t e) const;
  uint32_t entry_line(uint32_t e) const { return entries_[e].line; }
  // An attribute ("cameo", "iso", "country", "source", "roles"), "" when absent.
  std::string_view entry_attr(uint32_t e, std::string_view key) const;
  std::string_view output_exact(const Output& o) const {
    return Str(StrRef{o.exact_off, o.exact_len});
  }
  // Entry index by canonical id (binary search), or kNoToken.
  uint32_t FindEntry(std::string_view id) const;

 private:
  struct StrRef {
    uint32_t off, len;
  };
  struct EntryRec {
    StrRef id, name, type, subtype;
    uint32_t attr_begin, attr_end;  // into attrs_
    uint32_t file, line;
  };
  struct AttrRec {
    StrRef key, value;
  };

  CompiledGazetteer();
  Status Bind(const std::string& name);  // points the arrays into buf_ after checking bounds
  // Offsets read from a file are checked where they are used (cheap compares), so that Load
  // needs no pass over the arrays and a crafted file still cannot make a read go out of bounds.
  // The blob is valid UTF-8 (checked by Bind), so a slice is too unless it starts or ends
  // inside a character: such a slice (only a crafted file has one) reads as empty.
  std::string_view Str(StrRef r) const {
    if (uint64_t{r.off} + r.len > blob_size_) return {};
    auto inside = [&](uint64_t at) {
      return at < blob_size_ && (static_cast<unsigned char>(blob_[at]) & 0xC0) == 0x80;
    };
    if (r.len > 0 && (inside(r.off) || inside(uint64_t{r.off} + r.len))) return {};
    return std::string_view(blob_ + r.off, r.len);
  }
  uint32_t Next(uint32_t node, uint32_t tok) const {
    // Most walks end at the root: its transitions are a dense array that stays in cache.
    if (node == 0) {
      if (tok >= n_vocab_) return kNoToken;
      uint32_t c = root_next_[tok];
      return c < n_nodes_ ? c : kNoToken;
    }
    uint64_t key = (static_cast<uint64_t>(node) << 32) | tok;
    uint64_t mask = trans_slots_ - 1;
    uint64_t s = Mix(key) & mask;
    for (uint64_t probes = 0; probes < trans_slots_; ++probes, s = (s + 1) & mask) {
      uint64_t k = trans_keys_[s];
      if (k == key) return trans_vals_[s] < n_nodes_ ? trans_vals_[s] : kNoToken;
      if (k == kEmptyKey) return kNoToken;
    }
    return kNoToken;
  }
  static uint64_t Mix(uint64_t x) {
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    return x;
  }
  static constexpr uint64_t kEmptyKey = ~uint64_t{0};
  friend class GazetteerBuilder;

  uint64_t serial_ = 0;
  std::string owned_;                // the framed file when built or read into memory
  std::shared_ptr<const void> keep_;  // or what keeps it valid (a mapping, a pipeline file)
  std::string_view file_;  // the framed file, wherever it lives; everything below points into it
  std::string_view payload_;
  uint32_t n_vocab_ = 0, n_nodes_ = 0, n_outputs_ = 0, n_entries_ = 0, n_attrs_ = 0, n_files_ = 0;
  uint64_t vocab_slots_ = 0, trans_slots_ = 0;
  const uint32_t* vocab_off_ = nullptr;  // n_vocab_ + 1 offsets into vocab_chars_
  const char* vocab_chars_ = nullptr;
  const uint32_t* vocab_table_ = nullptr;  // vocab_slots_: token id + 1, 0 empty
  const uint32_t* root_next_ = nullptr;    // n_vocab_: child of the root per token, or kNoToken
  const uint64_t* trans_keys_ = nullptr;   // trans_slots_
  const uint32_t* trans_vals_ = nullptr;
  const uint32_t* node_out_ = nullptr;  // n_nodes_ + 1 (CSR into outputs_)
  const Output* outputs_ = nullptr;
  const EntryRec* entries_ = nullptr;
  const uint32_t* entry_order_ = nullptr;  // entries sorted by id
  const AttrRec* attrs_ = nullptr;
  const StrRef* files_ = nullptr;
  const char* blob_ = nullptr;
  uint64_t blob_size_ = 0;
};

// True for a case-sensitive name that, written in lower case, is a common English word.
bool LowercaseCollision(std::string_view exact_name);

template <typename TextOf>
void CompiledGazetteer::FindAll(const uint32_t* ids, uint32_t n, TextOf text_of,
                                std::vector<Candidate>& out, bool caseless) const {
  std::string surface;
  for (uint32_t i = 0; i < n; ++i) {
    if (ids[i] >= kJoiner) continue;
    uint32_t node = 0;
    for (uint32_t j = i; j < n; ++j) {
      uint32_t t = ids[j];
      if (t == kJoiner) continue;
      if (t == kNoToken) break;
      node = Next(node, t);
      if (node == kNoToken) break;
      uint32_t ob = node_out_[node], oe = node_out_[node + 1];
      if (oe > n_outputs_) oe = n_outputs_;
      for (uint32_t o = ob; o < oe; ++o) {
        const Output& out_rec = outputs_[o];
        if (out_rec.entry >= n_entries_) continue;
        if (out_rec.exact_len) {
          surface.clear();
          for (uint32_t k = i; k <= j; ++k) {
            if (ids[k] == kJoiner) continue;
            if (!surface.empty()) surface.push_back(' ');
            surface.append(text_of(k));
          }
          if (surface != output_exact(out_rec)) {
            // Lower-case documents: the name in any case, unless it spells a common word.
            if (!caseless || LowercaseCollision(output_exact(out_rec))) continue;
            bool same = surface.size() == output_exact(out_rec).size();
            for (size_t c = 0; same && c < surface.size(); ++c) {
              char a = surface[c], b = output_exact(out_rec)[c];
              if (a >= 'A' && a <= 'Z') a = static_cast<char>(a - 'A' + 'a');
              if (b >= 'A' && b <= 'Z') b = static_cast<char>(b - 'A' + 'a');
              same = a == b;
            }
            if (!same) continue;
          }
        }
        out.push_back(Candidate{i, j + 1, o});
      }
    }
  }
}

}  // namespace quarry::internal

#endif  // QUARRY_GAZETTEER_COMPILED_H_
