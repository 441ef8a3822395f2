#pragma once
/// \file
/// Runs a RuleSet over one file's text: prefilter (RE2::Set over literals), pattern
/// matches, span-kind and context checks, inline suppressions, product/DC/cutoff
/// inference, redaction and fingerprints.

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/Attribution.h"
#include "core/Finding.h"
#include "core/Text.h"
#include "lang/Language.h"
#include "rules/LexicalContext.h"
#include "core/LiteralPrefilter.h"
#include "rules/Rule.h"
#include "rules/Suppression.h"

#include "re2/set.h"

namespace re2 {
class RE2;
} // namespace re2

namespace atm {

struct EngineOptions {
  Date AsOf = Date::today();
  bool ShowSecrets = false;
  /// When non-empty, only these rule ids run.
  std::vector<std::string> OnlyRules;
  /// Which inline suppressions matched a finding, and notes about malformed ones:
  /// shared by every copy of these options (the engine and the front ends).
  std::shared_ptr<SuppressionLog> Suppressions = std::make_shared<SuppressionLog>();
};

/// Per-file outcome.
struct FileResult {
  std::vector<Finding> Findings; ///< sorted by offset, then rule id
  unsigned Suppressed = 0;       ///< findings silenced by inline comments
  bool PrefilterRejected = false;
};

/// Builds findings for one file the way RuleEngine::scan() does: product, data centre
/// and cutoff inference, message, redacted snippet, inline suppressions and fingerprints.
/// Native detectors (the Clang front end) use it so their findings carry the same fields.
/// Lexing, the line index and the catalogue evidence are computed on first use.
class FindingBuilder {
public:
  FindingBuilder(const RuleSet &Rules, const EngineOptions &Opts, llvm::StringRef DisplayPath,
                 Language L, llvm::StringRef Text);
  ~FindingBuilder();

  /// A finding of \p R at the bytes [Begin, End). \p ProductHint / \p DcHint, when set,
  /// win over the inference from the text around the finding (a detector that followed
  /// the URL to its host knows better). Otherwise product and data centre come from the
  /// request the finding belongs to (core/Attribution.h): \p Context when given (a front
  /// end that knows the syntax), else the lexer-level approximation of context().
  Finding make(const Rule &R, size_t Begin, size_t End, const Product *ProductHint = nullptr,
               llvm::StringRef DcHint = "", const RequestContext *Context = nullptr) const;
  /// True when an `authtoken-migrate: ignore[…]` comment silences \p R on \p Line
  /// (rules/Suppression.h: on the line, or a whole-line comment on the line before). A
  /// marker that names the rule but has expired (`until=` before EngineOptions::AsOf)
  /// or is malformed does not; make() then says so in the message (expired) or a note
  /// names the marker (malformed). Records the marker as used in
  /// EngineOptions::Suppressions.
  bool suppressed(const Rule &R, unsigned Line) const;
  /// The `until=` date of an expired marker that would otherwise silence \p R on
  /// \p Line.
  std::optional<Date> expiredSuppression(const Rule &R, unsigned Line) const;
  /// One `unused-suppression` finding (severity warning) per suppression marker in the
  /// file's comments, fingerprinted; the scan driver keeps those whose marker silenced
  /// nothing (--report-unused-suppressions). With EngineOptions::OnlyRules, only markers
  /// that name one of those rules.
  std::vector<Finding> suppressionMarkerFindings() const;
  /// True when \p R's context checks (require-any, require-all, reject, with their
  /// windows) allow a finding at the bytes [Begin, End). \p RequireAnyMet: the caller has
  /// seen the require-any evidence elsewhere (a constant's definition in another file).
  bool passesContext(const Rule &R, size_t Begin, size_t End, bool RequireAnyMet = false) const;
  /// Sorts \p Findings (all of this file's findings) by offset and rule id and sets their
  /// fingerprints (rule + path + normalised line + occurrence number).
  void finish(std::vector<Finding> &Findings) const;

  const SpanMap &spans() const;
  const LineIndex &lines() const;
  const std::vector<Evidence> &evidence() const;
  /// Statements, blocks and definitions from the lexer's spans (built on first use).
  const LexicalContext &context() const;
  llvm::StringRef text() const { return Text; }

private:
  const RuleSet &Rules;
  const EngineOptions &Opts;
  std::string Path;
  Language Lang;
  llvm::StringRef Text;
  mutable std::optional<SpanMap> SpansStore;
  mutable std::optional<LineIndex> LinesStore;
  mutable std::optional<std::vector<Evidence>> EvidenceStore;
  mutable std::unique_ptr<LexicalContext> ContextStore;

  struct LineInfo {
    bool Long = false;        ///< longer than the whole-line limit: shown as windows
    std::string Redacted;     ///< short lines: the redacted line
    std::string Norm;         ///< short lines: the fingerprint text
    std::vector<unsigned> Utf16Blocks; ///< long lines: UTF-16 units before each block
  };
  /// The line's suppression marker (computed once per line).
  const std::optional<SuppressionMarker> &marker(unsigned Line) const;
  /// A blank or comment-only line (context windows skip them).
  bool blankLine(unsigned Line) const;
  bool checkMatches(const ContextCheck &C, size_t Begin, size_t End) const;
  mutable std::map<const void *, bool> FileChecks;
  const LineInfo &lineInfo(unsigned Line) const;
  /// 1-based UTF-16 column of byte column \p ByteCol on \p Line.
  unsigned utf16Col(unsigned Line, unsigned ByteCol) const;
  /// The bounded window of long line \p Line around the match [\p B, \p E) (file
  /// offsets), with "…" where it was cut; \p Column receives the match's 1-based byte
  /// column in the returned text.
  /// \p FullMasks: masks keep no prefix (the fingerprint text).
  std::string windowText(unsigned Line, size_t B, size_t E, bool Redact,
                         unsigned *Column = nullptr, bool FullMasks = false) const;
  mutable std::unordered_map<unsigned, std::optional<SuppressionMarker>> Markers;
  mutable std::unordered_map<unsigned, LineInfo> LineInfos;
  /// Redacted windows made for findings on long lines, by match range.
  mutable std::map<std::pair<size_t, size_t>, std::string> Windows;
};

class RuleEngine {
public:
  RuleEngine(const RuleSet &Rules, EngineOptions Opts);
  ~RuleEngine();

  /// True when the file holds at least one prefilter literal of a rule for \p L. A
  /// Language::Generic file must also pass genericGate(). With \p DisplayPath (the
  /// path findings would carry), the literals of a rule whose context requires something
  /// of the path (`window: path` under require-all) count only when the path has it: a
  /// rule keyed on a common word ("api") for files under a zoho/ directory must not send
  /// every other file with that word to the rules. Empty: every rule's literals count.
  bool mayMatch(llvm::StringRef Text, Language L, llvm::StringRef DisplayPath = {}) const;

  /// Chunked reading of a large file: when a text with no chunk passing
  /// mayMatchChunk() is one mayMatch() rejects, the overlap two consecutive chunks need
  /// (the longest literal less one byte), else std::nullopt (the whole text is needed:
  /// the RE2 fallback). A chunk passing is not a match: the file is then read whole.
  std::optional<size_t> chunkOverlap(Language L, llvm::StringRef DisplayPath = {}) const;
  /// A necessary condition of mayMatch() that holds for some chunk of the text when it
  /// holds for the text: the language's literals (Language::Generic: its authtoken marker).
  bool mayMatchChunk(llvm::StringRef Chunk, Language L, llvm::StringRef DisplayPath = {}) const;

  /// The language-level gate of Language::Generic files (no known language, lexed by a
  /// guess): true when \p Text holds an authtoken marker (`authtoken`, `auth_token`,
  /// `auth-token`) and a Zoho host (`zoho.com`, `zohoapis.eu`, `zohocloud.ca`, …) or a
  /// legacy scope (`crmapi`, `creatorapi`, …) or a Zoho-only marker (`Zoho-authtoken`,
  /// `apiauthtoken/`), ASCII case-insensitively. The marker is
  /// searched first with the SIMD literal scan, so the files of a large repository that
  /// fall back to Generic cost about one memory pass.
  bool genericGate(llvm::StringRef Text) const;

  /// Scans one file. \p DisplayPath goes into findings as is.
  FileResult scan(llvm::StringRef DisplayPath, Language L, llvm::StringRef Text) const;

  const RuleSet &rules() const { return Rules; }

private:
  /// The literal scan chunkOverlap() and mayMatchChunk() use for \p L, or null.
  const LiteralPrefilter *chunkPrefilter(Language L, llvm::StringRef DisplayPath) const;

  const RuleSet &Rules;
  EngineOptions Opts;
  std::vector<std::string> Literals;             ///< unique prefilter literals
  std::vector<std::vector<unsigned>> RuleLits;   ///< per rule: indices into Literals
  /// Per language: the prefilter literals of the rules for that language as one
  /// case-insensitive RE2::Set (built once; matching is thread-safe), and the map from
  /// set index to index in Literals.
  struct LangSet {
    std::optional<LiteralPrefilter> Fast; ///< mayMatch(): SIMD anchor scan
    std::unique_ptr<re2::RE2::Set> Set;   ///< which literals occur (and mayMatch fallback)
    std::vector<unsigned> LiteralIndex;
  };
  std::vector<LangSet> LangSets;
  /// Per language: the same without the literals of path-gated rules (rules whose
  /// require-all has a `window: path` check), and those rules' indices; a file whose
  /// path passes no gated rule's path checks is prefiltered with the smaller set.
  std::vector<LangSet> UngatedSets;
  std::vector<std::vector<size_t>> GatedRules;
  /// The set mayMatch() uses for a file of \p L at \p DisplayPath (empty: LangSets).
  const LangSet &langSetFor(Language L, llvm::StringRef DisplayPath) const;
  /// True when \p DisplayPath passes every require-all path check of rule \p I.
  bool passesPathGate(size_t I, llvm::StringRef DisplayPath) const;
  /// Per language, built on the first large file of that language: every pattern of its
  /// rules in one RE2::Set, so that one pass over a large file tells which patterns
  /// match anywhere in it; the others are not run over it at all (one DFA pass instead
  /// of one per pattern).
  struct PatternSet {
    std::once_flag Once;
    std::unique_ptr<re2::RE2::Set> Set;
    std::vector<const re2::RE2 *> Members; ///< by set index
  };
  mutable std::vector<std::unique_ptr<PatternSet>> PatternSets;
  /// The patterns of \p L's rules that match somewhere in \p Text, or nullopt when the
  /// set cannot say (not built, or out of DFA memory on this text).
  std::optional<std::vector<const re2::RE2 *>> matchingPatterns(Language L,
                                                                 llvm::StringRef Text) const;
  std::optional<LiteralPrefilter> GenericMarker;
  std::unique_ptr<re2::RE2> GenericMarkerRe, GenericZohoRe;
};

} // namespace atm
