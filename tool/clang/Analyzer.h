#pragma once
/// \file
/// Internal to the Clang front end: parsing one translation unit and running the AST
/// detectors over it. Results are plain data (no Clang types) so that the driver can
/// merge translation units, deduplicate header findings and build atm::Findings.

#include <string>
#include <vector>

#include "core/Catalog.h"

namespace atm {
namespace clangfe {

/// Rule ids of the AST detectors (rules/cpp/*.yaml, `detector:` key = these names).
inline constexpr const char *UrlRule = "cpp-authtoken-url";
inline constexpr const char *ParamRule = "cpp-authtoken-param";
inline constexpr const char *HeaderRule = "cpp-authtoken-header";
inline constexpr const char *GenerationRule = "cpp-authtoken-generation";
inline constexpr const char *HardcodedRule = "cpp-authtoken-hardcoded";

/// Which detectors run (their rules may be filtered out with --rule).
struct DetectorSet {
  bool Url = true, Param = true, Header = true, Generation = true, Hardcoded = true;
};

struct RawEdit {
  std::string File; ///< canonical absolute path
  unsigned Offset = 0, Length = 0;
  std::string Text;
};

/// One detector hit at a spelling location.
struct RawHit {
  std::string File; ///< canonical absolute path
  unsigned Offset = 0, Length = 0;
  std::string RuleId;
  std::string Product, Dc; ///< what the detector saw on the way to the host ("" = infer)
  /// The fix (empty: none). The driver adds `#include "zoho_oauth.h"` to each edited file
  /// whose edits call the generated OAuth helper.
  std::vector<RawEdit> Edits;
  /// What the fix does, or why there is none (atm::Finding::FixNote).
  std::string Note;
};

/// One parse: the command line (argv[0] = compiler) and its working directory.
struct ParseJob {
  std::string File; ///< absolute path of the translation unit
  std::vector<std::string> Args;
  std::string Directory;
  bool FromCompileDb = false;
};

struct TUResult {
  bool Ok = false;
  std::string Error;                   ///< first error ("file:line:col: message")
  std::vector<RawHit> Hits;
  std::vector<std::string> Files;      ///< canonical paths of the non-system files read
};

/// Parses \p Job with -fsyntax-only and runs the detectors. Thread-safe (one call per
/// thread at a time per job; jobs share nothing but \p Cat, which is read-only).
TUResult analyzeTranslationUnit(const ParseJob &Job, const Catalog &Cat,
                                const DetectorSet &Detectors);

/// Absolute, symlink-free, '/'-separated form of \p Path (relative to \p WorkDir).
std::string canonicalPath(const std::string &Path, const std::string &WorkDir = "");

} // namespace clangfe
} // namespace atm
