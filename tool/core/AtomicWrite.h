#pragma once
/// \file
/// Writing files so that nothing is half-written and nothing is left behind: content goes
/// to a temporary file next to the target, which is renamed over the target only when
/// every byte was written. Temporary files are registered with
/// llvm::sys::RemoveFileOnSignal while they exist, so SIGINT, SIGTERM, SIGHUP (and the
/// crash signals) remove them before the process dies with the signal's status. SIGKILL
/// cannot be caught: a temporary file may then remain, but the target is still either
/// its old or its complete new content.

#include <string>
#include <vector>

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/FileSystem.h"

namespace atm {

/// One file to write (\p Content must outlive the write).
struct AtomicFile {
  std::string Path;
  llvm::StringRef Content;
  /// Permissions of the new file (before the umask is applied).
  llvm::sys::fs::perms Mode = llvm::sys::fs::all_read | llvm::sys::fs::all_write;
};

/// Temporary file names, in the target's directory. "%%%%%%" is replaced by random
/// characters; "{name}" by the target's file name.
struct AtomicWriteOptions {
  std::string TempModel = "{name}.tmp-%%%%%%";
};

/// Writes \p Files: all temporary files first, then one rename each. If creating or
/// writing any temporary file fails (disk full, quota, I/O error), every temporary file
/// is removed, no target is touched, and the error names the target and the reason.
/// A rename that fails after others succeeded is reported the same way (the renamed
/// targets then hold their complete new content).
llvm::Error writeFilesAtomically(std::vector<AtomicFile> Files,
                                 const AtomicWriteOptions &Opts = {});

/// writeFilesAtomically() for one file.
llvm::Error writeFileAtomically(llvm::StringRef Path, llvm::StringRef Content,
                                const AtomicWriteOptions &Opts = {});

} // namespace atm
