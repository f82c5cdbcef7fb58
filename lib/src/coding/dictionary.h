// coding/dictionary.h: the event coder's dictionaries, their quarry formats and the importers
// from PETRARCH.
//
//   VerbDictionary verbs;  AgentDictionary agents;  std::vector<Diagnostic> diags;
//   ParseVerbFile(source_qv, verbs, diags);          // quarry's .qv format (docs/events.md)
//   ParseAgentFile(source_qa, agents, diags);        // quarry's .qa format
//   ImportPetrarchVerbs(petrarch_file, verbs, diags);   // CAMEO.2.0.txt, CAMEO.verbpatterns.*
//   std::string qv = FormatVerbDictionary(verbs, header);
//
// A verb dictionary holds synonym sets (word phrases), and blocks of verbs (every inflected form
// listed) and nouns that share a default CAMEO code and a list of patterns refining it: words,
// synsets and actor slots that must occur before and after the verb in its clause. An agent
// dictionary maps common-noun phrases ("riot police", "protesters") to CAMEO agent codes
// ("~COP": appended to a country code; "NGO~": put before it).
//
// Parsers never stop on one bad line: each is reported as a Diagnostic (file:line:column) and
// skipped, and the rest of the file is read. quarry's own formats are written by hand, so an
// error there fails the parse (kParseError, after every line was read and every error reported),
// as a rule file's errors do. The PETRARCH importers only warn: they fail only when a file yields
// nothing usable or is not of the format at all, so that an importer given the wrong file says so.
#ifndef QUARRY_CODING_DICTIONARY_H_
#define QUARRY_CODING_DICTIONARY_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/source.h"
#include "quarry/status.h"

namespace quarry::internal::coding {

// A phrase: lower-case words, matched on consecutive tokens.
using Phrase = std::vector<std::string>;

struct Synset {
  std::string name;  // without '&'
  std::vector<Phrase> phrases;
};

struct PatternItem {
  enum class Kind : uint8_t {
    kWord,      // a word: matches a token whose lower-case form or lemma is `word`
    kSynset,    // any phrase of synset `synset`
    kSource,    // '$': the source actor is here
    kTarget,    // '+': the target actor is here
    kCompound,  // '%': an actor that is both source and target (reciprocal)
  };
  Kind kind = Kind::kWord;
  std::string word;
  uint32_t synset = 0;  // index into VerbDictionary::synsets
  // True when the item must follow the previous one directly (inside {...} or (...) groups and
  // underscore-joined words); false when other tokens may come between.
  bool joined = false;
};

struct VerbPattern {
  std::vector<PatternItem> before;  // text order, ending before the verb
  std::vector<PatternItem> after;   // text order, starting after the verb
  bool verb_joined_before = false;  // "WORD_*": the last `before` item touches the verb
  bool verb_joined_after = false;   // "*_WORD": the first `after` item touches the verb
  // CAMEO code of source -> target, optionally ":" and the reciprocal code of target -> source
  // ("042:043"); "---": no event.
  std::string code;
  uint32_t line = 0;                // line in the dictionary file
  std::string origin;               // where it was imported from ("CAMEO.2.0.txt:8823"), or ""
  std::string text;                 // the pattern as written, for explanations
};

struct VerbEntry {
  bool noun = false;               // a nominalisation ("attack", "killing") rather than a verb
  std::string lemma;               // "fight back"
  std::vector<Phrase> forms;       // every surface form, the lemma included
  std::string code;                // its own code ("190", "042:043"), "" for the block's
  uint32_t line = 0;
  std::string origin;
};

struct VerbBlock {
  std::string name;  // "PHYSICAL_CONFLICT"
  // The block's default code ("190", "040:040"); "---": a verb of the block alone codes nothing.
  std::string code;
  // "block NAME CODE failure": its triggers name a failure to act ("inaction", "mute
  // spectators"): events with polarity negative and `failed`.
  bool failure = false;
  std::vector<VerbEntry> entries;
  // The code an entry of this block gives: its own, else the block's.
  const std::string& CodeOf(const VerbEntry& e) const { return e.code.empty() ? code : e.code; }
  std::vector<VerbPattern> patterns;
  std::string file;  // the dictionary file it was read from
  uint32_t line = 0;
  std::string origin;
};

struct Discard {
  bool story = false;  // the whole document is not coded (else: the sentence)
  Phrase phrase;
  std::string file;
  uint32_t line = 0;
};

struct VerbDictionary {
  std::vector<std::string> files;  // the files read, in order
  std::vector<Synset> synsets;
  std::vector<VerbBlock> blocks;
  // Phrases that mark text not to code (sports results, natural disasters): "discard sentence =
  // baseball | ..." and "discard story = world golf championships | ...".
  std::vector<Discard> discards;
  // Index of a synset by name, or -1.
  int FindSynset(std::string_view name) const;
};

struct AgentEntry {
  std::string code;          // "COP", "GOVFRM", "NGO"
  bool prefix = false;       // "NGO~": goes before the country code; "~COP": after it
  std::vector<Phrase> forms;  // "police", "police officer", "police officers", ...
  std::string file;           // the dictionary file it was read from
  uint32_t line = 0;
  std::string origin;
};

struct AgentDictionary {
  std::vector<std::string> files;
  std::vector<AgentEntry> entries;
};

// quarry's formats (docs/events.md). Entries record their line; `files` gets the source's name.
Status ParseVerbFile(const SourceFile& src, VerbDictionary& out, std::vector<Diagnostic>& diags);
Status ParseAgentFile(const SourceFile& src, AgentDictionary& out, std::vector<Diagnostic>& diags);
std::string FormatVerbDictionary(const VerbDictionary& d, std::string_view header);
std::string FormatAgentDictionary(const AgentDictionary& d, std::string_view header);

// PETRARCH2 formats (the `dictionaries.rst` of PETRARCH, and the TABARI manual): verb pattern
// dictionaries (synsets, "--- NAME [CODE] ---" blocks, verbs with irregular forms in {...},
// "- ... * ... [CODE]" patterns) and agent dictionaries ("PHRASE {PLURALS} [~CODE]", !SUBST!
// sets). Regular inflections and plurals are generated as PETRARCH does. `origin_name` is the
// name recorded in provenance (usually the file's base name).
Status ImportPetrarchVerbs(const SourceFile& src, std::string_view origin_name, VerbDictionary& out,
                           std::vector<Diagnostic>& diags);
Status ImportPetrarchAgents(const SourceFile& src, std::string_view origin_name,
                            AgentDictionary& out, std::vector<Diagnostic>& diags);
// PETRARCH discard lists: one phrase per line, '+' before story-level ones.
Status ImportPetrarchDiscards(const SourceFile& src, VerbDictionary& out,
                              std::vector<Diagnostic>& diags);

// Regular English inflections of a verb phrase's first word ("wage war" -> "wages war", "waged
// war", "waging war"), with a doubled final consonant variant where English may double it.
std::vector<Phrase> RegularVerbForms(const Phrase& lemma);
// The regular plural of a noun phrase's last word ("police officer" -> "police officers").
Phrase RegularPlural(const Phrase& noun);

// Splits text into a phrase: lower-cased (ASCII), words separated by spaces or '_'.
Phrase ToPhrase(std::string_view text);
// The phrase as the tokenizer cuts it: a bound prefix, a hyphen and a lower-case word joined
// into one word ("sub - inspector" -> "sub-inspector"; tokenize/tokenizer.h).
Phrase JoinBoundHyphens(const Phrase& p);
std::string JoinPhrase(const Phrase& p);

}  // namespace quarry::internal::coding

#endif  // QUARRY_CODING_DICTIONARY_H_
