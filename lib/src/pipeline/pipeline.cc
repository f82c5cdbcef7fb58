// pipeline/pipeline.cc: compiling the stages and running them over a document.
#include "quarry/pipeline.h"

#include <algorithm>
#include <chrono>
#include <future>
#include <system_error>

#include "coding/coding.h"
#include "common/binary.h"
#include "common/sha256.h"
#include "pipeline/pipeline_impl.h"
#include "gazetteer/stage.h"
#include "rules/compiler.h"
#include "rules/rule_stage.h"
#include "temporal/normalize.h"
#include "temporal/tagger.h"
#include "tokenize/tokenizer.h"
#include "quarry/version.h"

namespace quarry {

using internal::PipelineImpl;
using internal::kPipelineFormat;
using internal::SourceFile;

namespace {

static_assert(static_cast<int>(internal::MatchSemantics::kLeftmostLongest) ==
                  static_cast<int>(EntityOptions::Match::kLeftmostLongest) &&
              static_cast<int>(internal::MatchSemantics::kLeftmostShortest) ==
                  static_cast<int>(EntityOptions::Match::kLeftmostShortest) &&
              static_cast<int>(internal::MatchSemantics::kAll) ==
                  static_cast<int>(EntityOptions::Match::kAll),
              "EntityOptions::Match and MatchSemantics must list the same values in order");

// ISO 3166-1 alpha-2 -> CAMEO country code, from the gazetteer's country entries: their `cameo`
// (curated) or else their ISO alpha-3 code (CAMEO country codes are ISO alpha-3).
std::unordered_map<std::string, std::string> CountryCodes(const internal::CompiledGazetteer* g) {
  std::unordered_map<std::string, std::string> out;
  if (!g) return out;
  for (uint32_t e = 0; e < g->entry_count(); ++e) {
    if (g->entry_subtype(e) != "country") continue;
    std::string iso(g->entry_attr(e, "iso"));
    // A curated entry without the imported ISO attributes is known by its id ("country:PK").
    if (iso.empty() && g->entry_id(e).starts_with("country:")) iso = g->entry_id(e).substr(8);
    if (iso.size() != 2) continue;
    std::string code(g->entry_attr(e, "cameo"));
    if (code.size() != 3) code = std::string(g->entry_attr(e, "x-alpha3"));
    if (code.size() != 3) continue;
    auto [it, inserted] = out.emplace(iso, code);
    // A curated cameo code beats an imported alpha-3 one, whichever entry came first.
    if (!inserted && !g->entry_attr(e, "cameo").empty()) it->second = code;
  }
  return out;
}

// What defines a pipeline's output: its options and its data files (names and contents), in
// the order Save writes them (the compiled gazetteer, derived from the files, is left out).
void WriteDefinition(const PipelineImpl& impl, internal::BinaryWriter& w) {
  const PipelineOptions& o = impl.options;
  w.U8(static_cast<uint8_t>(o.tokenizer.newline));
  w.U8(o.tokenizer.split_clitics ? 1 : 0);
  w.U8(o.temporal ? 1 : 0);
  w.U8(static_cast<uint8_t>(o.entities.match));
  w.U8(o.entities.lookups ? 1 : 0);
  w.U8(o.entities.link ? 1 : 0);
  internal::WriteSources(w, impl.gazetteer_sources);
  internal::WriteSources(w, impl.rule_sources);  // with their imports (BuildStages)
  internal::WriteSources(w, impl.temporal_sources);
  // Format 3: the coder's dictionaries.
  internal::WriteSources(w, impl.coding_sources);
}

// The pipeline's fingerprint: SHA-256 of the library version and the definition. Names of data
// files are relative to their data folder, so two checkouts of one version agree.
std::string Fingerprint(const PipelineImpl& impl) {
  internal::BinaryWriter w;
  w.Str(kVersion);
  w.U32(kPipelineFormat);
  WriteDefinition(impl, w);
  return internal::Sha256Hex(w.data());
}

// Builds the stages from options and in-memory sources (shared by Compile and Load).
Status BuildStages(PipelineImpl& impl) {
  auto tok = internal::Tokenizer::Create(impl.options.tokenizer);
  if (!tok) return tok.error();
  impl.stages.push_back(std::move(*tok));
  // The event coder's dictionaries compile independently of the rules; they need only the
  // gazetteer's country codes. When the gazetteer is already there (a loaded pipeline), they
  // compile on a second thread while this one compiles the rules and the temporal grammar,
  // which takes about a third off a load.
  using CodingResult = Result<std::shared_ptr<const internal::coding::CodingData>>;
  auto compile_coding = [&impl]() -> CodingResult {
    std::vector<SourceFile> verbs, agents;
    for (const SourceFile& f : impl.coding_sources)
      (f.name.ends_with(".qa") ? agents : verbs).push_back(f);
    return internal::coding::CompileCoding(verbs, agents, CountryCodes(impl.gazetteer.get()));
  };
  std::future<CodingResult> coding_future;
  if (!impl.coding_sources.empty() && (impl.gazetteer || impl.gazetteer_sources.empty())) {
    try {
      coding_future = std::async(std::launch::async, compile_coding);
    } catch (const std::system_error&) {
      // No thread to be had: compiled below, on this one.
    }
  }
  // The rule set is compiled first: its entity phases run right after the gazetteer, the rest
  // last.
  std::shared_ptr<const internal::rules::RuleSet> ruleset;
  if (!impl.rule_sources.empty()) {
    auto rs = internal::rules::CompileRules(impl.rule_sources);
    if (!rs) return rs.error();
    ruleset = std::move(*rs);
    impl.info.rules = ruleset->rules().size();
    // From now on the rule files are those the rule set holds: the given ones and every file
    // they import, so a saved pipeline does not depend on files beside the originals.
    impl.rule_sources.clear();
    for (const SourceFile& f : ruleset->sources())
      if (f.name != "<builtin>") impl.rule_sources.push_back(f);
  }
  if (!impl.gazetteer_sources.empty() && !impl.gazetteer) {
    auto compiled = internal::CompileGazetteer(impl.gazetteer_sources);
    if (!compiled) return compiled.error();
    impl.gazetteer = std::move(*compiled);
  }
  internal::GazetteerOptions gopts;
  gopts.semantics = static_cast<internal::MatchSemantics>(impl.options.entities.match);
  gopts.lookups = impl.options.entities.lookups;
  gopts.link = impl.options.entities.link;
  if (impl.gazetteer) {
    impl.info.gazetteer_entries = impl.gazetteer->entry_count();
    impl.stages.push_back(internal::CreateGazetteerStage(impl.gazetteer, gopts));
  }
  // Names by evidence: the rule phases that only make entities (titles, given names,
  // organisation heads; rules/names.qr), so that linking, actors and events see them.
  if (ruleset && ruleset->has_early_phases()) {
    impl.stages.push_back(std::make_unique<internal::rules::RuleStage>(
        ruleset, internal::rules::PhaseSet::kEarly));
  }
  if (impl.gazetteer && gopts.link)
    impl.stages.push_back(internal::CreateLinkingStage(impl.gazetteer, gopts));
  if (impl.options.temporal) {
    auto temporal = internal::CompileTemporalStage(impl.temporal_sources, impl.options.tokenizer);
    if (!temporal) return temporal.error();
    impl.stages.push_back(std::move(*temporal));
  }
  // The event coder: generic actors, then dictionary events.
  std::shared_ptr<const internal::coding::CodingData> coding;
  if (!impl.coding_sources.empty()) {
    auto data = coding_future.valid() ? coding_future.get() : compile_coding();
    if (!data) return data.error();
    coding = std::move(*data);
    if (!coding->agents.entries.empty())
      impl.stages.push_back(internal::coding::CreateActorStage(coding));
    if (!coding->verbs.blocks.empty())
      impl.stages.push_back(internal::coding::CreateCoderStage(coding));
  }
  // The other rule phases run last, over tokens and whatever the earlier stages produced.
  bool events = coding != nullptr;
  if (ruleset) {
    events = true;
    impl.stages.push_back(std::make_unique<internal::rules::RuleStage>(
        ruleset, ruleset->has_early_phases() ? internal::rules::PhaseSet::kLate
                                             : internal::rules::PhaseSet::kAll));
  }
  // Every event, whoever made it, gets its CAMEO/PLOVER features, actor codes and date.
  if (events) impl.stages.push_back(internal::coding::CreateEventFinishStage(coding));
  impl.info.stages.clear();
  for (const auto& s : impl.stages) impl.info.stages.emplace_back(s->name());
  return Status();
}

}  // namespace

Result<Pipeline> Pipeline::Compile(const PipelineOptions& options) {
  auto impl = std::make_shared<PipelineImpl>();
  impl->options = options;
  if (!options.gazetteers.empty()) {
    auto src = internal::LoadSources(options.gazetteers, {".gaz"});
    if (!src) return src.error();
    impl->gazetteer_sources = std::move(*src);
  }
  if (!options.rules.empty()) {
    auto src = internal::LoadSources(options.rules, {".qr", ".qv", ".qa"});
    if (!src) return src.error();
    for (SourceFile& f : *src) {
      if (f.name.ends_with(".qv") || f.name.ends_with(".qa")) {
        impl->coding_sources.push_back(std::move(f));
      } else {
        impl->rule_sources.push_back(std::move(f));
      }
    }
  }
  if (!options.temporal_grammars.empty()) {
    auto src = internal::LoadSources(options.temporal_grammars, {".qt"});
    if (!src) return src.error();
    impl->temporal_sources = std::move(*src);
  }
  QUARRY_RETURN_IF_ERROR(BuildStages(*impl));
  impl->info.fingerprint = Fingerprint(*impl);
  return Pipeline(std::move(impl));
}

Result<AnnotationSet> Pipeline::Annotate(const Document& doc, const AnnotateOptions& options) const {
  internal::RunContext ctx{doc, options, options.dct.empty() ? doc.dct() : options.dct};
  if (options.time_budget_seconds > 0) {
    ctx.deadline = std::chrono::steady_clock::now() +
                   std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                       std::chrono::duration<double>(options.time_budget_seconds));
  }
  AnnotationSet set;
  set.set_pipeline(impl_->info.fingerprint);
  const std::string id = doc.id().empty() ? std::string("<input>") : doc.id();
  if (!ctx.dct.empty() && !internal::ParseDateValue(ctx.dct).valid()) {
    return Status(StatusCode::kInvalidInput,
                  id + ": document date '" + std::string(ctx.dct) +
                      "' is not an ISO 8601 date (YYYY, YYYY-MM or YYYY-MM-DD, optionally "
                      "followed by a time: 2025-03-14T09:30)");
  }
  Profile* prof = options.profile;
  if (prof) prof->bytes += doc.text().size();
  for (size_t si = 0; si < impl_->stages.size(); ++si) {
    const auto& stage = impl_->stages[si];
    auto t0 = prof ? std::chrono::steady_clock::now() : std::chrono::steady_clock::time_point();
    size_t before = set.annotations().size() + set.tokens().size();
    Status st = stage->Run(ctx, set);
    if (prof) {
      if (prof->stages.size() <= si) prof->stages.resize(si + 1);
      StageProfile& p = prof->stages[si];
      p.stage = std::string(stage->name());
      p.seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      size_t after = set.annotations().size() + set.tokens().size();
      p.annotations += after > before ? after - before : 0;
      p.documents += 1;
    }
    if (!st.ok()) {
      // Every failure names the document, whichever stage reported it (a rule's match limit
      // did not), so a batch's error lines can be traced to their input.
      if (!st.message().starts_with(id + ": ")) st.Prepend(id);
      return st;
    }
    // The budget holds for --tokens-only too (it used to stop before this check).
    QUARRY_RETURN_IF_ERROR(ctx.CheckDeadline(stage->name()));
    if (options.tokens_only) break;
  }
  return set;
}

std::optional<TemporalMode> ParseTemporalMode(std::string_view name) {
  if (name == "auto") return TemporalMode::kAuto;
  if (name == "news") return TemporalMode::kNews;
  if (name == "narrative") return TemporalMode::kNarrative;
  return std::nullopt;
}

void Profile::Merge(const Profile& other) {
  bytes += other.bytes;
  for (const StageProfile& o : other.stages) {
    auto it = std::find_if(stages.begin(), stages.end(),
                           [&](const StageProfile& s) { return s.stage == o.stage; });
    if (it == stages.end()) {
      stages.push_back(o);
    } else {
      it->seconds += o.seconds;
      it->annotations += o.annotations;
      it->documents += o.documents;
    }
  }
}

Pipeline::Info Pipeline::info() const { return impl_->info; }
const PipelineOptions& Pipeline::options() const { return impl_->options; }

// The saved form bundles the options and the data files the pipeline was compiled from, the
// fingerprint, and the compiled gazetteer; Load adopts the gazetteer and recompiles the rest.
// The frame (magic, version, checksum) is common/binary.h's.
//   definition | Str(library version) | Str(fingerprint) | U8 n + n zero bytes | Str(gazetteer)
// The n padding bytes put the gazetteer's first byte at an offset of the file that is a
// multiple of 8 (the frame's header is 32 bytes), as CompiledGazetteer::Adopt needs.
Status Pipeline::Save(const std::string& path) const {
  internal::BinaryWriter w;
  WriteDefinition(*impl_, w);
  w.Str(kVersion);
  w.Str(impl_->info.fingerprint);
  size_t at = internal::kFrameHeaderSize + w.data().size() + 1 + 8;  // after the U8, Str's length
  uint8_t pad = static_cast<uint8_t>((8 - at % 8) % 8);
  w.U8(pad);
  for (uint8_t i = 0; i < pad; ++i) w.U8(0);
  w.Str(impl_->gazetteer ? impl_->gazetteer->Save() : std::string());
  return internal::WriteFileAtomic(path, internal::WrapFile("PIPE", kPipelineFormat, w.data()));
}

Result<Pipeline> Pipeline::Load(const std::string& path) {
  // Mapped, not read: the compiled gazetteer is adopted where it lies in the file.
  auto file = internal::FileBytes::Open(path);
  if (!file) return file.error();
  Result<std::string_view> payload =
      internal::UnwrapFile((*file)->view(), "PIPE", kPipelineFormat, path);
  if (!payload) return payload.error();
  internal::BinaryReader r(*payload);
  auto impl = std::make_shared<PipelineImpl>();
  uint8_t nl = r.U8();
  if (nl > static_cast<uint8_t>(TokenizerOptions::Newline::kNever)) {
    return Status(StatusCode::kDataLoss, path + ": bad tokenizer option");
  }
  impl->options.tokenizer.newline = static_cast<TokenizerOptions::Newline>(nl);
  impl->options.tokenizer.split_clitics = r.U8() != 0;
  impl->options.temporal = r.U8() != 0;
  uint8_t match = r.U8();
  if (match > static_cast<uint8_t>(EntityOptions::Match::kAll)) {
    return Status(StatusCode::kDataLoss, path + ": bad entity match option");
  }
  impl->options.entities.match = static_cast<EntityOptions::Match>(match);
  impl->options.entities.lookups = r.U8() != 0;
  impl->options.entities.link = r.U8() != 0;
  auto get = [&](std::vector<SourceFile>& files, std::vector<std::string>& names) {
    files = internal::ReadSources(r);
    for (const SourceFile& f : files) names.push_back(f.name);
  };
  get(impl->gazetteer_sources, impl->options.gazetteers);
  get(impl->rule_sources, impl->options.rules);
  get(impl->temporal_sources, impl->options.temporal_grammars);
  impl->coding_sources = internal::ReadSources(r);
  for (const SourceFile& f : impl->coding_sources) impl->options.rules.push_back(f.name);
  std::string_view version = r.Str();
  std::string_view fingerprint = r.Str();
  uint8_t pad = r.U8();
  if (pad > 7) return Status(StatusCode::kDataLoss, path + ": bad padding before the gazetteer");
  for (uint8_t i = 0; i < pad; ++i) (void)r.U8();
  std::string_view gazetteer = r.Str();
  QUARRY_RETURN_IF_ERROR(r.status(path));
  if (!r.at_end()) return Status(StatusCode::kDataLoss, path + ": trailing bytes in payload");
  for (const auto* files : {&impl->gazetteer_sources, &impl->rule_sources, &impl->temporal_sources,
                            &impl->coding_sources})
    QUARRY_RETURN_IF_ERROR(internal::CheckBundledUtf8(*files, path, "data file"));
  if (!gazetteer.empty()) {
    // The pipeline frame's checksum, verified above, covers the gazetteer's bytes.
    auto g = internal::CompiledGazetteer::Adopt(*file, gazetteer, path + " (gazetteer)",
                                                /*checksum_verified=*/true);
    if (!g) return g.error();
    impl->gazetteer = std::move(*g);
  }
  QUARRY_RETURN_IF_ERROR(BuildStages(*impl));
  // The fingerprint saved with the file, when this library version computed it: hashing the
  // bundled data files again took most of a load. Another version computes its own, since the
  // fingerprint covers the version.
  if (version == kVersion && fingerprint.size() == 64 &&
      fingerprint.find_first_not_of("0123456789abcdef") == std::string_view::npos) {
    impl->info.fingerprint = std::string(fingerprint);
  } else {
    impl->info.fingerprint = Fingerprint(*impl);
  }
  return Pipeline(std::move(impl));
}

}  // namespace quarry
