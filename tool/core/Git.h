#pragma once
/// \file
/// Running git without a shell: argv only, stdout and stderr captured through temporary
/// files. Used by the diff-aware scans (gate/GitDiff.h) and the fleet scans' clones
/// (report/Fleet.h).

#include <string>
#include <vector>

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

namespace atm {

struct GitRun {
  int Code = 0;
  std::string Out, Err;
  /// git's first stderr line, for messages ("fatal: not a git repository …").
  std::string firstErr() const;
};

struct GitRunOptions {
  std::string StdinFile;   ///< "" = /dev/null
  bool NoPrompt = false;   ///< GIT_TERMINAL_PROMPT=0: never ask for credentials
};

/// Runs \p Git (a path) with \p Args (after the program name). Errors: git could not be
/// started or its output not captured; a non-zero exit is GitRun::Code, not an error.
llvm::Expected<GitRun> runGit(llvm::StringRef Git, llvm::ArrayRef<std::string> Args,
                              const GitRunOptions &O = {});

} // namespace atm
