#pragma once
/// \file
/// Unified diffs of whole-file changes, written as `git diff` writes them so that
/// `git apply` and `patch -p1` accept them from the repository root (PEERS.md §3.3).
/// The line diff is Myers' O(ND) algorithm (linear space, as in GNU diff) after the
/// common prefix and suffix are trimmed and lines found on one side only are set aside,
/// so a 100k-line file with a few changes costs a few linear passes.

#include <optional>
#include <string>

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

namespace atm::fix {

/// One file's change: Old is nullopt for a new file (then New is its whole content).
struct FileChange {
  std::string Path;               ///< relative to the repository root, '/' separators
  std::optional<std::string> Old; ///< nullopt: a new file
  std::string New;
  /// The file's mode: "new file mode 100644" (or 100755) for a new file, and the mode on
  /// the `index` line of an existing one (`git apply` warns if it differs from the file's
  /// mode on disk, and keeps the file's mode).
  unsigned Mode = 0100644;
};

/// The unified diff of one change, as `git diff` writes it and `git apply`/`patch -p1`
/// accept it from the repository root; "" when Old == New.
///
/// - `diff --git a/P b/P`, `index <old>..<new> <mode>` (abbreviated blob ids, so
///   `git apply --3way` works), `--- a/P`, `+++ b/P`; for a new file `new file mode`,
///   `index 0000000..<new>` and `--- /dev/null`.
/// - Paths with control, `"`, `\` or non-ASCII bytes are C-quoted as git quotes them
///   (`"a/\303\251.txt"`); a path with a space gets a TAB after its `---`/`+++` names.
/// - Lines split on '\n' only (a CRLF file keeps its '\r'); a side without a final
///   newline gets `\ No newline at end of file` after its last line.
/// - Hunks carry \p Context lines of context and are merged when their contexts overlap
///   or touch; headers omit `,1` and write an empty side as `-l,0` like git. Hunk headers
///   carry no function-name suffix.
/// - A new empty file (git writes a header only) also gets its `---`/`+++` lines: GNU
///   patch 2.7.6 cannot parse a header-only `diff --git` line whose path has a space,
///   and git accepts both forms.
std::string unifiedDiff(const FileChange &C, unsigned Context = 3);

/// Every change's diff, in the order given (empty changes skipped).
std::string unifiedDiff(llvm::ArrayRef<FileChange> Changes, unsigned Context = 3);

/// Hunk statistics of a diff text, for summaries: files, added lines, removed lines.
struct DiffStat {
  unsigned Files = 0, Added = 0, Removed = 0;
};

/// Counts the files (`diff --git` headers, or `---`/`+++` pairs of a plain unified
/// diff) and the `+`/`-` lines of every hunk, by the hunk headers' counts (so a removed
/// line reading "-- x" is not taken for a file header).
DiffStat diffStat(llvm::StringRef Diff);

} // namespace atm::fix
