#pragma once
/// \file
/// Diff-aware scans: `scan --changed-since REV` and `scan --staged`.
///
/// The changed lines come from git (run with llvm::sys::ExecuteAndWait, no shell):
/// `git diff -U0` of the working tree against REV (plus untracked, non-ignored files,
/// wholly new), or of the index against HEAD (the empty tree before the first commit).
/// The scan then walks only the files with added or changed lines (discover's
/// OnlyPaths, so ignore rules and globs apply exactly as in a full scan), and
/// filterToChangedLines() keeps only the findings whose lines intersect the changed
/// ones: a diff-aware scan reports the subset of a full scan's findings that touch the
/// change. With --staged the scanned text is the staged content, checked out of the
/// index into a temporary snapshot of the scan root, not the working-tree copy.

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "scan/Scanner.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

namespace atm::gate {

/// The added or changed lines of one file in its new version.
struct FileChanges {
  bool WholeFile = false; ///< untracked: every line is new
  /// Inclusive [first, last] 1-based line ranges, sorted, not overlapping.
  std::vector<std::pair<unsigned, unsigned>> Ranges;

  bool empty() const { return !WholeFile && Ranges.empty(); }
  /// True when some line of [First, Last] was added or changed.
  bool intersects(unsigned First, unsigned Last) const;
  void add(unsigned First, unsigned Last); ///< keeps Ranges sorted and merged
};

/// Path (as git prints it, relative to the work-tree top) -> its changed lines.
using ChangedLines = std::map<std::string, FileChanges>;

/// Parses `git diff -U0 --src-prefix=a/ --dst-prefix=b/` output (core.quotePath
/// false or true). Only files with a new version and at least one added line appear:
/// deleted files, pure renames, mode-only changes, binary files, symbolic links and
/// submodules contribute nothing. The new path is taken from the `+++ b/PATH` line
/// (C-quoted when git quotes it; a trailing TAB that git adds to names with spaces
/// is dropped). Hunk bodies are skipped by their line counts, so a removed line that
/// reads "-- x" (shown as "--- x") is never taken for a header.
ChangedLines parseUnifiedDiff(llvm::StringRef Diff);

/// Undoes git's C-style quoting of a path ("\"a\\tb\\303\\251\"" -> "a\tb\xc3\xa9");
/// a path without surrounding quotes is returned unchanged.
std::string unquoteGitPath(llvm::StringRef S);

/// Which diff a scan is limited to.
struct DiffRequest {
  enum Kind { ChangedSince, Staged } K = ChangedSince;
  std::string Rev; ///< ChangedSince: the revision as given
};

/// The changed lines of one scan, and for --staged the snapshot the scan reads.
class DiffScope {
public:
  /// Runs git in \p Root (the scan root, a real absolute path). Errors (exit 2): git
  /// not found, \p Root not in a git work tree, unknown revision, git failing.
  static llvm::Expected<std::unique_ptr<DiffScope>> create(llvm::StringRef Root,
                                                           const DiffRequest &Req);
  ~DiffScope(); ///< removes the --staged snapshot

  /// Root-relative path -> changed lines (files with at least one changed line).
  const ChangedLines &changes() const { return Changes; }
  /// --staged: the directory that holds the staged content of the scan root ("" for
  /// --changed-since, which reads the working tree).
  const std::string &snapshotRoot() const { return SnapshotRoot; }

  /// \p Opts limited to the changed files: Discover.OnlyPaths, and for --staged the
  /// paths and the root moved into the snapshot (paths that have nothing staged are
  /// dropped). \p Cwd resolves relative paths in Opts.Paths.
  ScanOptions scanOptions(const ScanOptions &Opts, llvm::StringRef Cwd) const;

private:
  DiffScope() = default;
  ChangedLines Changes;
  std::string SnapshotRoot; ///< the scan root inside SnapshotTop
  std::string SnapshotTop;  ///< the temporary work-tree top (removed on destruction)
  std::string Root;
};

/// Drops the findings whose lines (StatementBegin..StatementEnd when known, else
/// Begin..End) do not intersect \p Changes (keyed by root-relative path), counting
/// them in Stats.OutsideDiff.
void filterToChangedLines(ScanResult &R, const ChangedLines &Changes);

} // namespace atm::gate
