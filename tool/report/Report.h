#pragma once
/// \file
/// Report writers: clang-style text, versioned JSON, SARIF 2.1.0. Pure formatting of a
/// ScanResult onto a raw_ostream; no other I/O.

#include <optional>
#include <string>
#include <vector>

#include "core/Text.h"
#include "llvm/Support/raw_ostream.h"
#include "rules/Rule.h"
#include "scan/Scanner.h"

namespace atm {

/// The repository a report covers (`scan --repos-from`): the JSON's top-level
/// "repository" key. Url and Commit are empty when unknown (a local directory that is
/// no git work tree); Error is set when the repository could not be cloned or read.
struct RepoInfo {
  std::string Name;
  std::string Url;
  std::string Commit;
  std::string Error;
};

/// One repository's totals in a merged report (`merge`): the JSON's "repositories"
/// array, the HTML report's per-repository table ({name, findings, files_scanned}).
struct RepoTotals {
  std::string Name;
  unsigned Findings = 0;
  unsigned FilesScanned = 0;
  std::string Commit; ///< "" when unknown
  std::string Url;    ///< "" when unknown
  std::string Error;  ///< "" unless the repository could not be scanned
};

struct ReportContext {
  std::string ToolVersion;
  Date AsOf;
  const RuleSet *Rules = nullptr;
  bool Color = false;
  bool Quiet = false; ///< text: findings only, no summary
  /// The scan root (real absolute path, discover/Root.h) that finding paths are relative
  /// to, and the current directory: text paths are shown from the current directory,
  /// JSON states the root, SARIF maps %SRCROOT% to it. Empty: paths are shown as they are.
  std::string Root;
  std::string Cwd;
  /// SARIF `automationDetails.id` category (`--category`); one run per category.
  std::string Category = "authtoken-migrate";
  /// JSON: the "repository" key (one repository of a fleet scan), when set.
  std::optional<RepoInfo> Repository;
  /// JSON: the "repositories" array (a merged report), when not empty.
  std::vector<RepoTotals> Repos;
};

/// \p Path percent-encoded as an RFC 3986 URI path: every byte outside the unreserved
/// set and '/' becomes %XX.
std::string percentEncodePath(llvm::StringRef Path);

/// JSON report schema version (README "JSON output").
constexpr int JsonSchemaVersion = 1;

void writeText(llvm::raw_ostream &OS, const ScanResult &R, const ReportContext &Ctx);
void writeJson(llvm::raw_ostream &OS, const ScanResult &R, const ReportContext &Ctx);
void writeSarif(llvm::raw_ostream &OS, const ScanResult &R, const ReportContext &Ctx);

} // namespace atm
