#pragma once
/// \file
/// The one root every output is relative to: the git work tree's top when the scanned
/// paths lie inside one, else the current directory (or the nearest directory holding
/// every scanned path), or `--root DIR`. Display paths, SARIF URIs and fingerprints are
/// all computed from paths relative to it, so a finding is the same finding whether the
/// scan was started from the top, from a subdirectory, or with absolute paths.

#include <string>

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

namespace atm {

/// The top of the git work tree holding \p AbsPath (the nearest ancestor directory that
/// has a `.git` entry, a directory or a worktree's/submodule's `.git` file), or "".
std::string gitWorkTreeTop(llvm::StringRef AbsPath);

/// Decides the root for \p Paths (as given; "-" for standard input is skipped).
/// \p Override is `--root DIR` ("" when not given); \p Cwd the current directory.
/// Returns a real absolute path without a trailing '/'. Errors: --root is not a
/// directory, or a scanned path lies outside it.
llvm::Expected<std::string> findScanRoot(llvm::ArrayRef<std::string> Paths,
                                         llvm::StringRef Override, llvm::StringRef Cwd);

/// \p Path made absolute against \p Cwd, symlinks resolved when it exists; "" on error.
std::string realAbsolutePath(llvm::StringRef Path, llvm::StringRef Cwd);

/// Sets \p Rel to \p AbsPath relative to directory \p AbsDir ('/' separators, "" when
/// equal); false when \p AbsPath is not under \p AbsDir.
bool relativeUnder(llvm::StringRef AbsPath, llvm::StringRef AbsDir, std::string &Rel);

/// A path to show a person: \p AbsPath relative to \p Cwd when that is shorter to read
/// ("src/a.py", "../other/a.py" — at most two levels up), else \p AbsPath.
std::string pathFromCwd(llvm::StringRef AbsPath, llvm::StringRef Cwd);

} // namespace atm
