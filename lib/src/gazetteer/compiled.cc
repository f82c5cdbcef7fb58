// gazetteer/compiled.cc: building, saving, loading and selecting for the compiled gazetteer.
#include "gazetteer/compiled.h"

#include <unordered_set>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <map>
#include <unordered_map>

#include "common/binary.h"
#include "common/utf8.h"
#include "gazetteer/normalize.h"

namespace quarry::internal {

uint64_t HashStr(std::string_view s) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  h ^= h >> 29;
  h *= 0xbf58476d1ce4e5b9ULL;
  h ^= h >> 32;
  return h;
}


bool LowercaseCollision(std::string_view name) {
  // Short common English words that acronyms and case-sensitive names spell ("US", "WHO", "IT",
  // "AIM", "Turkey"-like names are longer and listed by the importers' word lists instead).
  static const std::unordered_set<std::string_view> kWords = {
      "a", "i", "am", "an", "as", "at", "be", "by", "do", "go", "he", "if", "in", "is", "it",
      "me", "my", "no", "of", "oh", "ok", "on", "or", "so", "to", "up", "us", "we", "ad", "ax",
      "hi", "id", "pa", "ma", "ex", "and", "are", "but", "can", "did", "for", "had", "has", "her",
      "him", "his", "how", "its", "let", "may", "not", "now", "off", "old", "one", "our", "out",
      "own", "say", "see", "she", "the", "too", "two", "use", "was", "way", "who", "why", "yes",
      "yet", "you", "act", "add", "age", "ago", "aid", "aim", "air", "all", "any", "arm", "art",
      "ask", "bad", "bag", "ban", "bar", "bed", "big", "bit", "box", "boy", "bus", "buy", "car",
      "cat", "cut", "day", "die", "dog", "due", "end", "era", "eye", "far", "few", "fit", "fly",
      "fun", "gas", "get", "god", "gun", "guy", "hit", "hot", "ice", "ill", "job", "key", "kid",
      "law", "lay", "led", "leg", "lie", "lot", "low", "man", "men", "mix", "net", "new", "nor",
      "odd", "oil", "per", "pay", "put", "ran", "red", "rid", "run", "sad", "sat", "saw", "set",
      "sex", "sit", "six", "son", "sun", "tax", "ten", "tie", "top", "try", "war", "win", "won",
      "yet", "also", "area", "army", "away", "back", "ball", "band", "bank", "base", "bill",
      "body", "book", "call", "came", "camp", "card", "care", "case", "cash", "city", "club",
      "come", "cost", "data", "date", "deal", "does", "done", "door", "down", "draw", "drop",
      "each", "east", "even", "ever", "face", "fact", "fair", "fall", "farm", "fast", "fear",
      "feel", "film", "find", "fire", "firm", "five", "food", "form", "four", "free", "from",
      "full", "fund", "gave", "girl", "give", "goal", "gone", "good", "half", "hand", "hard",
      "have", "head", "hear", "held", "help", "here", "high", "hold", "home", "hope", "hour",
      "idea", "into", "just", "keep", "kept", "kind", "knew", "know", "land", "last", "late",
      "lead", "left", "less", "life", "like", "line", "list", "live", "long", "look", "lose",
      "lost", "love", "made", "main", "make", "many", "mark", "mass", "meet", "mind", "miss",
      "more", "most", "move", "much", "must", "name", "near", "need", "news", "next", "nine",
      "none", "note", "once", "only", "open", "over", "part", "pass", "past", "plan", "play",
      "poll", "poor", "post", "pull", "push", "race", "rate", "read", "real", "rest", "rise",
      "risk", "road", "role", "rule", "safe", "said", "sale", "same", "save", "seat", "seen",
      "self", "sell", "send", "sent", "ship", "shot", "show", "side", "sign", "site", "size",
      "some", "soon", "stop", "such", "sure", "take", "talk", "team", "tell", "term", "test",
      "than", "that", "them", "then", "they", "this", "time", "told", "took", "town", "trip",
      "true", "turn", "unit", "upon", "very", "vote", "wait", "walk", "wall", "want", "ward",
      "warn", "week", "well", "went", "were", "west", "what", "when", "whom", "wide", "wife",
      "will", "wind", "wish", "with", "word", "work", "year", "your", "zone"};
  std::string lower;
  for (char c : name) {
    if (c == '.' || c == ' ') continue;
    lower += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  return lower.size() <= 2 || kWords.count(lower) > 0;
}
namespace {

constexpr uint32_t kFormat = 1;
constexpr size_t kHeaderWords = 10;

uint64_t SlotsFor(uint64_t n) {
  uint64_t s = 16;
  while (s < n * 2) s <<= 1;
  return s;
}

void Align8(std::string& out) {
  while (out.size() % 8) out.push_back('\0');
}

template <typename T>
void PutArray(std::string& out, const std::vector<T>& v) {
  Align8(out);
  out.append(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(T));
}

}  // namespace

// Collects strings into one blob, sharing repeated ones (types, attribute keys).
class StringBlob {
 public:
  std::pair<uint32_t, uint32_t> Add(std::string_view s, bool share = false) {
    if (share) {
      auto it = shared_.find(std::string(s));
      if (it != shared_.end()) return it->second;
    }
    std::pair<uint32_t, uint32_t> r{static_cast<uint32_t>(blob_.size()),
                                    static_cast<uint32_t>(s.size())};
    blob_.append(s);
    if (share) shared_.emplace(std::string(s), r);
    return r;
  }
  std::string& data() { return blob_; }

 private:
  std::string blob_;
  std::unordered_map<std::string, std::pair<uint32_t, uint32_t>> shared_;
};

class GazetteerBuilder {
 public:
  static Result<std::shared_ptr<const CompiledGazetteer>> Build(const GazetteerData& data,
                                                                CompiledGazetteer::Stats* stats);
};

Result<std::shared_ptr<const CompiledGazetteer>> GazetteerBuilder::Build(
    const GazetteerData& data, CompiledGazetteer::Stats* stats) {
  using Output = CompiledGazetteer::Output;
  using EntryRec = CompiledGazetteer::EntryRec;
  using AttrRec = CompiledGazetteer::AttrRec;
  using StrRef = CompiledGazetteer::StrRef;
  CompiledGazetteer::Stats st;
  StringBlob blob;
  auto ref = [&](std::string_view s, bool share = false) {
    auto [o, l] = blob.Add(s, share);
    return StrRef{o, l};
  };

  // Vocabulary and trie.
  std::unordered_map<std::string, uint32_t> vocab;
  std::vector<std::string_view> vocab_list;  // views into vocab's keys (stable)
  std::unordered_map<uint64_t, uint32_t> trans;
  uint32_t n_nodes = 1;
  struct Pending {
    uint32_t node;
    int32_t priority;
    uint32_t entry;
    uint32_t line;
    std::string exact;
    bool list = false;  // a LOOKUP word list: never shadows nor is shadowed by entity names
  };
  std::vector<Pending> pending;
  std::string key, exact;
  std::vector<uint32_t> seq;
  for (uint32_t e = 0; e < data.entries.size(); ++e) {
    const GazEntry& entry = data.entries[e];
    for (const GazAlias& a : entry.aliases) {
      ++st.aliases;
      seq.clear();
      exact.clear();
      for (std::string_view t : SplitName(a.text)) {
        key.clear();
        AppendMatchKeyOfText(t, key);
        if (key.empty()) continue;
        auto [it, fresh] = vocab.emplace(key, static_cast<uint32_t>(vocab_list.size()));
        if (fresh) vocab_list.push_back(it->first);
        seq.push_back(it->second);
        if (a.exact) {
          if (!exact.empty()) exact.push_back(' ');
          exact.append(t);
        }
      }
      if (seq.empty()) continue;
      uint32_t node = 0;
      for (uint32_t t : seq) {
        uint64_t k = (static_cast<uint64_t>(node) << 32) | t;
        auto [it, fresh] = trans.emplace(k, n_nodes);
        if (fresh) ++n_nodes;
        node = it->second;
      }
      pending.push_back(Pending{node, a.priority, e, a.line, a.exact ? exact : std::string(),
                                entry.type == "LOOKUP"});
    }
  }
  if (vocab_list.size() >= CompiledGazetteer::kJoiner || n_nodes >= CompiledGazetteer::kJoiner) {
    return Status(StatusCode::kResourceExhausted, "gazetteer too large (over 4 billion tokens)");
  }
  // Per node: keep the highest priority, drop duplicates (same entry, same exact form).
  std::stable_sort(pending.begin(), pending.end(), [](const Pending& a, const Pending& b) {
    if (a.node != b.node) return a.node < b.node;
    if (a.list != b.list) return b.list;  // names first, word lists after
    return a.priority > b.priority;
  });
  std::vector<uint32_t> node_out(n_nodes + 1, 0);
  std::vector<Output> outputs;
  for (size_t i = 0; i < pending.size();) {
    size_t j = i;
    while (j < pending.size() && pending[j].node == pending[i].node) ++j;
    int32_t best = pending[i].priority;
    size_t first_out = outputs.size();
    for (size_t k = i; k < j; ++k) {
      const Pending& p = pending[k];
      if (p.list && (k == i || !pending[k - 1].list)) best = p.priority;  // lists rank apart
      if (p.priority < best) {
        ++st.shadowed;
        continue;
      }
      bool dup = false;
      for (size_t o = first_out; o < outputs.size(); ++o) {
        if (outputs[o].entry == p.entry &&
            std::string_view(blob.data().data() + outputs[o].exact_off, outputs[o].exact_len) ==
                p.exact) {
          dup = true;
        }
      }
      if (dup) continue;
      StrRef ex = p.exact.empty() ? StrRef{0, 0} : ref(p.exact);
      outputs.push_back(Output{p.entry, p.line, ex.off, ex.len});
    }
    node_out[pending[i].node + 1] = static_cast<uint32_t>(outputs.size() - first_out);
    i = j;
  }
  for (uint32_t n = 0; n < n_nodes; ++n) node_out[n + 1] += node_out[n];
  st.keys = pending.size();
  st.vocabulary = vocab_list.size();
  st.nodes = n_nodes;

  // Vocabulary arrays.
  std::vector<uint32_t> vocab_off(vocab_list.size() + 1, 0);
  std::string vocab_chars;
  for (size_t i = 0; i < vocab_list.size(); ++i) {
    vocab_off[i] = static_cast<uint32_t>(vocab_chars.size());
    vocab_chars.append(vocab_list[i]);
  }
  vocab_off[vocab_list.size()] = static_cast<uint32_t>(vocab_chars.size());
  uint64_t vslots = SlotsFor(vocab_list.size());
  std::vector<uint32_t> vtable(vslots, 0);
  for (uint32_t i = 0; i < vocab_list.size(); ++i) {
    for (uint64_t s = HashStr(vocab_list[i]) & (vslots - 1);; s = (s + 1) & (vslots - 1)) {
      if (vtable[s] == 0) {
        vtable[s] = i + 1;
        break;
      }
    }
  }
  vocab.clear();  // vocab_list views die here; nothing uses them below
  // Transition table.
  uint64_t tslots = SlotsFor(trans.size());
  std::vector<uint64_t> tkeys(tslots, CompiledGazetteer::kEmptyKey);
  std::vector<uint32_t> tvals(tslots, 0);
  for (const auto& [k, v] : trans) {
    for (uint64_t s = CompiledGazetteer::Mix(k) & (tslots - 1);; s = (s + 1) & (tslots - 1)) {
      if (tkeys[s] == CompiledGazetteer::kEmptyKey) {
        tkeys[s] = k;
        tvals[s] = v;
        break;
      }
    }
  }
  std::vector<uint32_t> root_next(vocab_list.size(), CompiledGazetteer::kNoToken);
  for (const auto& [k, v] : trans) {
    if ((k >> 32) == 0) root_next[k & 0xFFFFFFFFu] = v;
  }
  // Entries.
  std::vector<EntryRec> entries;
  std::vector<AttrRec> attrs;
  entries.reserve(data.entries.size());
  std::string roles;
  for (const GazEntry& e : data.entries) {
    EntryRec r;
    r.id = ref(e.id);
    r.name = ref(e.name);
    r.type = ref(e.type, true);
    r.subtype = ref(e.subtype, true);
    r.attr_begin = static_cast<uint32_t>(attrs.size());
    for (const auto& [k, v] : e.attrs)
      attrs.push_back(AttrRec{ref(k, true), ref(v, k == "source")});
    if (!e.roles.empty()) {
      roles.clear();
      for (const GazRole& ro : e.roles) {
        if (!roles.empty()) roles += "; ";
        roles += ro.title;
        if (!ro.from.empty() || !ro.to.empty()) roles += " (" + ro.from + ".." + ro.to + ")";
      }
      attrs.push_back(AttrRec{ref("roles", true), ref(roles)});
    }
    r.attr_end = static_cast<uint32_t>(attrs.size());
    r.file = e.file;
    r.line = e.line;
    entries.push_back(r);
  }
  std::vector<uint32_t> order(entries.size());
  for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(),
            [&](uint32_t a, uint32_t b) { return data.entries[a].id < data.entries[b].id; });
  std::vector<StrRef> files;
  for (const std::string& f : data.files) files.push_back(ref(f));
  if (blob.data().size() >= 0xFFFFFFF0u) {
    return Status(StatusCode::kResourceExhausted, "gazetteer strings exceed 4 GB");
  }

  // Payload.
  std::string p;
  uint64_t header[kHeaderWords] = {vocab_list.size(),
                                   vslots,
                                   n_nodes,
                                   tslots,
                                   outputs.size(),
                                   entries.size(),
                                   attrs.size(),
                                   files.size(),
                                   vocab_chars.size(),
                                   blob.data().size()};
  p.append(reinterpret_cast<const char*>(header), sizeof header);
  PutArray(p, vocab_off);
  Align8(p);
  p.append(vocab_chars);
  PutArray(p, vtable);
  PutArray(p, root_next);
  PutArray(p, tkeys);
  PutArray(p, tvals);
  PutArray(p, node_out);
  PutArray(p, outputs);
  PutArray(p, entries);
  PutArray(p, order);
  PutArray(p, attrs);
  PutArray(p, files);
  Align8(p);
  p.append(blob.data());
  std::string file = WrapFile("GAZT", kFormat, p);
  auto g = CompiledGazetteer::Load(std::move(file), "<built gazetteer>");
  if (!g) return g.error();
  st.entries = data.entries.size();
  st.bytes = (*g)->size_bytes();
  if (stats) *stats = st;
  return g;
}

Result<std::shared_ptr<const CompiledGazetteer>> CompiledGazetteer::Build(const GazetteerData& data,
                                                                          Stats* stats) {
  return GazetteerBuilder::Build(data, stats);
}

CompiledGazetteer::CompiledGazetteer() {
  static std::atomic<uint64_t> next{1};
  serial_ = next.fetch_add(1, std::memory_order_relaxed);
}

CompiledGazetteer::~CompiledGazetteer() = default;

Result<std::shared_ptr<const CompiledGazetteer>> CompiledGazetteer::Load(std::string file,
                                                                         const std::string& name) {
  std::shared_ptr<CompiledGazetteer> g(new CompiledGazetteer());
  g->owned_ = std::move(file);
  g->file_ = g->owned_;
  Result<std::string_view> payload = UnwrapFile(g->file_, "GAZT", kFormat, name);
  if (!payload) return payload.error();
  g->payload_ = *payload;
  QUARRY_RETURN_IF_ERROR(g->Bind(name));
  return std::shared_ptr<const CompiledGazetteer>(std::move(g));
}

Result<std::shared_ptr<const CompiledGazetteer>> CompiledGazetteer::LoadFile(
    const std::string& path) {
  auto bytes = FileBytes::Open(path);
  if (!bytes) return bytes.error();
  std::string_view file = (*bytes)->view();
  return Adopt(std::move(*bytes), file, path);
}

Result<std::shared_ptr<const CompiledGazetteer>> CompiledGazetteer::Adopt(
    std::shared_ptr<const void> owner, std::string_view file, const std::string& name,
    bool checksum_verified) {
  if (reinterpret_cast<uintptr_t>(file.data()) % 8 != 0) return Load(std::string(file), name);
  std::shared_ptr<CompiledGazetteer> g(new CompiledGazetteer());
  g->keep_ = std::move(owner);
  g->file_ = file;
  Result<std::string_view> payload =
      UnwrapFile(g->file_, "GAZT", kFormat, name, /*verify_checksum=*/!checksum_verified);
  if (!payload) return payload.error();
  g->payload_ = *payload;
  QUARRY_RETURN_IF_ERROR(g->Bind(name));
  return std::shared_ptr<const CompiledGazetteer>(std::move(g));
}

Status CompiledGazetteer::Bind(const std::string& name) {
  auto bad = [&](const char* what) {
    return Status(StatusCode::kDataLoss, name + ": corrupt compiled gazetteer (" + what + ")");
  };
  std::string_view p = payload_;
  if (reinterpret_cast<uintptr_t>(p.data()) % 8 != 0) return bad("misaligned buffer");
  if (p.size() < kHeaderWords * 8) return bad("short header");
  uint64_t h[kHeaderWords];
  std::memcpy(h, p.data(), sizeof h);
  size_t pos = sizeof h;
  bool ok = true;
  auto take = [&](uint64_t count, size_t elem) -> const char* {
    pos = (pos + 7) & ~size_t{7};
    if (!ok || pos > p.size() || count > (p.size() - pos) / elem) {
      ok = false;
      return nullptr;
    }
    const char* at = p.data() + pos;
    pos += count * elem;
    return at;
  };
  for (size_t i = 0; i < kHeaderWords; ++i) {
    if (h[i] > 0xFFFFFFF0u) return bad("count too large");
  }
  n_vocab_ = static_cast<uint32_t>(h[0]);
  vocab_slots_ = h[1];
  n_nodes_ = static_cast<uint32_t>(h[2]);
  trans_slots_ = h[3];
  n_outputs_ = static_cast<uint32_t>(h[4]);
  n_entries_ = static_cast<uint32_t>(h[5]);
  n_attrs_ = static_cast<uint32_t>(h[6]);
  n_files_ = static_cast<uint32_t>(h[7]);
  if (vocab_slots_ == 0 || (vocab_slots_ & (vocab_slots_ - 1)) || trans_slots_ == 0 ||
      (trans_slots_ & (trans_slots_ - 1)) || n_nodes_ == 0) {
    return bad("table sizes");
  }
  vocab_off_ = reinterpret_cast<const uint32_t*>(take(h[0] + 1, 4));
  vocab_chars_ = take(h[8], 1);
  vocab_table_ = reinterpret_cast<const uint32_t*>(take(vocab_slots_, 4));
  root_next_ = reinterpret_cast<const uint32_t*>(take(h[0], 4));
  trans_keys_ = reinterpret_cast<const uint64_t*>(take(trans_slots_, 8));
  trans_vals_ = reinterpret_cast<const uint32_t*>(take(trans_slots_, 4));
  node_out_ = reinterpret_cast<const uint32_t*>(take(h[2] + 1, 4));
  outputs_ = reinterpret_cast<const Output*>(take(h[4], sizeof(Output)));
  entries_ = reinterpret_cast<const EntryRec*>(take(h[5], sizeof(EntryRec)));
  entry_order_ = reinterpret_cast<const uint32_t*>(take(h[5], 4));
  attrs_ = reinterpret_cast<const AttrRec*>(take(h[6], sizeof(AttrRec)));
  files_ = reinterpret_cast<const StrRef*>(take(h[7], sizeof(StrRef)));
  blob_ = take(h[9], 1);
  blob_size_ = h[9];
  if (!ok) return bad("sections exceed the payload");
  if (pos != p.size()) return bad("trailing bytes");
  if (vocab_off_[0] != 0 || vocab_off_[n_vocab_] != h[8]) return bad("vocabulary");
  // The strings reach features and output: the blob must be UTF-8 (one pass, no per-entry
  // work), and Str() refuses slices that cut a character.
  if (size_t at = FindInvalidUtf8(std::string_view(blob_, blob_size_)); at != std::string_view::npos)
    return Status(StatusCode::kDataLoss, name + ": corrupt compiled gazetteer (string section is not "
                                                "valid UTF-8 at byte " + std::to_string(at) + ")");
  return Status();
}

uint32_t CompiledGazetteer::TokenId(std::string_view key) const {
  uint64_t mask = vocab_slots_ - 1;
  uint64_t s = HashStr(key) & mask;
  for (uint64_t probes = 0; probes < vocab_slots_; ++probes, s = (s + 1) & mask) {
    uint32_t v = vocab_table_[s];
    if (v == 0) return kNoToken;
    uint32_t id = v - 1;
    if (id >= n_vocab_) return kNoToken;
    uint32_t b = vocab_off_[id], e = vocab_off_[id + 1];
    if (b > e || e > vocab_off_[n_vocab_]) return kNoToken;
    if (std::string_view(vocab_chars_ + b, e - b) == key) return id;
  }
  return kNoToken;
}

std::string_view CompiledGazetteer::entry_file(uint32_t e) const {
  uint32_t f = entries_[e].file;
  return f < n_files_ ? Str(files_[f]) : std::string_view();
}

std::string_view CompiledGazetteer::entry_attr(uint32_t e, std::string_view key) const {
  const EntryRec& r = entries_[e];
  for (uint32_t a = r.attr_begin; a < r.attr_end && a < n_attrs_; ++a) {
    if (Str(attrs_[a].key) == key) return Str(attrs_[a].value);
  }
  return {};
}

uint32_t CompiledGazetteer::FindEntry(std::string_view id) const {
  uint32_t lo = 0, hi = n_entries_;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (entry_order_[mid] >= n_entries_) return kNoToken;
    if (Str(entries_[entry_order_[mid]].id) < id) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  if (lo < n_entries_ && Str(entries_[entry_order_[lo]].id) == id) return entry_order_[lo];
  return kNoToken;
}

void CompiledGazetteer::Select(const std::vector<Candidate>& all, MatchSemantics sem,
                               std::vector<Candidate>& chosen, std::vector<Candidate>* rest) {
  if (sem == MatchSemantics::kAll) {
    chosen.insert(chosen.end(), all.begin(), all.end());
    return;
  }
  uint32_t covered = 0;  // first token not yet inside a chosen mention
  for (size_t i = 0; i < all.size();) {
    size_t j = i;
    while (j < all.size() && all[j].begin == all[i].begin) ++j;
    // [i, j): same begin, sorted by end ascending.
    if (all[i].begin < covered) {
      if (rest) rest->insert(rest->end(), all.begin() + i, all.begin() + j);
      i = j;
      continue;
    }
    uint32_t want = sem == MatchSemantics::kLeftmostLongest ? all[j - 1].end : all[i].end;
    // A longer name starting later but overlapping does not displace this one (leftmost first).
    bool first = true;
    for (size_t k = i; k < j; ++k) {
      if (all[k].end == want && first) {
        chosen.push_back(all[k]);
        first = false;
      } else if (rest) {
        rest->push_back(all[k]);
      }
    }
    covered = want;
    i = j;
  }
}

}  // namespace quarry::internal
