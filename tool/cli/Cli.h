#pragma once
/// \file
/// What the subcommand files of tool/cli share: error exits, atomic report writes and
/// rule loading. Only tool/cli prints and exits; everything it calls returns llvm::Error.

#include <memory>
#include <string>
#include <vector>

#include "rules/Rule.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/MemoryBuffer.h"

namespace atm::cli {

/// Prints "authtoken-migrate: error: MSG" on stderr and returns exit code 2.
int fail(const llvm::Twine &Msg);
int failErr(llvm::Error E);

/// The built-in rules plus those in \p ExtraDirs (--rules DIR).
llvm::Expected<RuleSet> loadRules(llvm::ArrayRef<std::string> ExtraDirs);

/// Reads one source file for `lex`/`syntax`: only a regular file (opening a FIFO blocks
/// and /dev/zero never ends); errors name the file and say why.
llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>> readSourceFile(llvm::StringRef Path,
                                                                   llvm::StringRef Command);

/// Writes \p Content to \p Path through a temporary file (.authtoken-migrate-XXXXXX.tmp,
/// removed on SIGINT/SIGTERM and on any write error) and a rename, so a reader never
/// sees a half-written file (core/AtomicWrite.h).
llvm::Error writeAtomically(llvm::StringRef Path, llvm::StringRef Content);

} // namespace atm::cli
