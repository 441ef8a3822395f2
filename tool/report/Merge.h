#pragma once
/// \file
/// `authtoken-migrate merge REPORT.json...`: several `scan --format json`
/// reports (one per repository, `scan --repos-from`) combined into one
/// ScanResult. Each report's finding paths get its repository name and "/" in
/// front, so the merged report reads as one scan of a directory holding every
/// repository; the findings are sorted as a scan sorts them (path, line,
/// column, rule), the counters summed, and each repository's totals kept (the
/// JSON's "repositories" array, the HTML report's table).

#include <string>
#include <vector>

#include "report/ReadJson.h"
#include "report/Report.h"
#include "scan/Scanner.h"
#include "llvm/Support/Error.h"

namespace atm {

/// One input: the file it was read from (for names and messages) and its
/// contents.
struct MergeInput {
  std::string Source;
  ScanJson Report;
};

struct MergeResult {
  ScanResult Result;
  std::vector<RepoTotals> Repos; ///< in input order
  std::string ToolVersion;       ///< the inputs' (the newest when they differ)
  std::string AsOf; ///< the inputs' (the latest when they differ), YYYY-MM-DD
  /// Remarks for the user (different as_of dates or tool versions); also in
  /// Result.Stats.Notes.
  std::vector<std::string> Notes;
};

/// The repository name of one input: its "repository" name, else the last
/// component of its root, else the file name of \p Source without ".json".
std::string mergeName(const MergeInput &In);

/// Merges \p Inputs. Errors: an input that is itself a merged report (it has a
/// "repositories" array), two inputs naming the same repository (both files
/// named).
llvm::Expected<MergeResult> mergeReports(std::vector<MergeInput> Inputs);

} // namespace atm
