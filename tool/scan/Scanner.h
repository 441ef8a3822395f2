#pragma once
/// \file
/// The scan pipeline driver: discover -> read -> detect language -> rule engine, in
/// parallel across files, with deterministic output and per-file problems collected
/// (never fatal).

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/Finding.h"
#include "discover/Discover.h"
#include "scan/Frontend.h"
#include "rules/RuleEngine.h"

namespace atm {

struct ScanOptions {
  std::vector<std::string> Paths = {"."};
  DiscoverOptions Discover;
  EngineOptions Engine;
  unsigned Jobs = 0; ///< 0 = one per core
  /// Called from worker threads (serialised) as files complete: (done, total).
  std::function<void(size_t, size_t)> Progress;
  /// Batch front ends (not owned), e.g. the Clang front end for C/C++/ObjC.
  std::vector<BatchFrontend *> Frontends;
  /// `scan -`: scan this text (standard input) as the file \p StdinPath instead of
  /// walking \p Paths. Batch front ends do not run on it (they need files on disk).
  std::optional<std::string> StdinText;
  std::string StdinPath = "<stdin>";
  /// --report-unused-suppressions: every suppression marker in a comment of a file read
  /// (whether or not it passed the prefilter) that silenced no finding of the engine or
  /// a front end becomes an `unused-suppression` finding (severity warning).
  bool ReportUnusedSuppressions = false;
};

struct ScanStats {
  unsigned FilesSeen = 0;        ///< discovered and opened
  unsigned FilesScanned = 0;     ///< lexed and matched (passed the prefilter)
  unsigned PrefilterRejected = 0;
  unsigned Binary = 0;
  unsigned TooLarge = 0;
  unsigned Ignored = 0;
  unsigned Symlinks = 0;
  unsigned Unreadable = 0;
  unsigned UnknownLanguage = 0;
  unsigned InvalidUtf8 = 0;      ///< scanned as bytes
  unsigned Suppressed = 0;
  unsigned OutsideDiff = 0;      ///< --changed-since/--staged: not on changed lines
  unsigned DisabledByConfig = 0; ///< findings of rules disabled in .authtoken-migrate.yaml
  unsigned Baselined = 0;        ///< removed by `scan --baseline FILE` (gate/Baseline.h)
  uint64_t Bytes = 0;
  double Seconds = 0;
  std::vector<std::string> Problems; ///< "path: what happened"
  std::vector<std::string> Notes;    ///< front-end notes (parse fallbacks, …)
  std::map<std::string, unsigned> FilesByLanguage;
  /// The "generic" files of FilesByLanguage by extension (".lua", "(none)").
  std::map<std::string, unsigned> GenericByExtension;
};

struct ScanResult {
  std::vector<Finding> Findings; ///< sorted by path, line, column, rule
  ScanStats Stats;
};

ScanResult runScan(const RuleSet &Rules, const ScanOptions &Opts);

/// True when \p Text is a baseline file (gate/Baseline.h: a JSON object whose first
/// 4 KiB hold "tool": "authtoken-migrate" and "version"). The walk never scans one (its
/// snippets are the findings it lists); it is counted as ignored.
bool isBaselineFile(llvm::StringRef Text);

/// Scans one in-memory file (fixture tests, editors).
FileResult scanBuffer(const RuleEngine &Engine, llvm::StringRef DisplayPath,
                      llvm::StringRef Text, Language L = Language::Unknown);

} // namespace atm
