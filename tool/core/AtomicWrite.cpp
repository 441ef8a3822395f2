#include "core/AtomicWrite.h"

#include <cerrno>
#include <unistd.h>

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Signals.h"
#include "llvm/Support/raw_ostream.h"

namespace atm {

namespace {

/// A temporary file that exists from create() until commit() or its destruction, and is
/// on LLVM's remove-on-signal list for exactly that time.
class PendingFile {
public:
  PendingFile() = default;
  PendingFile(PendingFile &&O) noexcept : Tmp(std::move(O.Tmp)), Live(O.Live) { O.Live = false; }
  PendingFile(const PendingFile &) = delete;
  ~PendingFile() { discard(); }

  llvm::Error create(const AtomicFile &F, const AtomicWriteOptions &Opts) {
    llvm::SmallString<256> Dir(F.Path);
    llvm::sys::path::remove_filename(Dir);
    std::string Model = Opts.TempModel;
    size_t P = Model.find("{name}");
    if (P != std::string::npos)
      Model.replace(P, 6, llvm::sys::path::filename(F.Path).str());
    llvm::SmallString<256> ModelPath(Dir);
    llvm::sys::path::append(ModelPath, Model);
    // The name goes on the remove-on-signal list before the file exists: a signal can
    // come at any moment (and on a busy machine the process may be descheduled between
    // two calls), and LLVM's handler ignores a listed path that does not exist.
    int FD = -1;
    std::error_code EC;
    for (int Try = 0; Try < 128; ++Try) {
      llvm::sys::fs::createUniquePath(ModelPath, Tmp, /*MakeAbsolute=*/false);
      llvm::sys::RemoveFileOnSignal(Tmp);
      EC = llvm::sys::fs::openFileForWrite(Tmp, FD, llvm::sys::fs::CD_CreateNew,
                                           llvm::sys::fs::OF_None, static_cast<unsigned>(F.Mode));
      if (!EC)
        break;
      llvm::sys::DontRemoveFileOnSignal(Tmp);
      if (EC != std::errc::file_exists)
        break;
    }
    if (EC)
      return llvm::createStringError(EC, "%s: cannot create a temporary file next to it: %s",
                                     F.Path.c_str(), EC.message().c_str());
    Live = true;
    llvm::raw_fd_ostream OS(FD, /*shouldClose=*/false);
    OS << F.Content;
    OS.flush();
    EC = OS.error();
    OS.clear_error(); // or raw_fd_ostream's destructor reports a fatal error
    // Data on disk before the rename makes it visible (a crash then shows old or new).
    if (!EC && ::fsync(FD) != 0 && errno != EINVAL && errno != EROFS)
      EC = std::error_code(errno, std::generic_category());
    if (::close(FD) != 0 && !EC)
      EC = std::error_code(errno, std::generic_category());
    if (EC) {
      discard();
      return llvm::createStringError(EC, "%s: write failed: %s; the file was left unchanged",
                                     F.Path.c_str(), EC.message().c_str());
    }
    return llvm::Error::success();
  }

  llvm::Error commit(llvm::StringRef Path) {
    if (auto EC = llvm::sys::fs::rename(Tmp, Path)) {
      discard();
      return llvm::createStringError(EC, "%s: cannot write: %s", Path.str().c_str(),
                                     EC.message().c_str());
    }
    llvm::sys::DontRemoveFileOnSignal(Tmp);
    Live = false;
    return llvm::Error::success();
  }

  void discard() {
    if (!Live)
      return;
    llvm::sys::fs::remove(Tmp);
    llvm::sys::DontRemoveFileOnSignal(Tmp);
    Live = false;
  }

private:
  llvm::SmallString<256> Tmp;
  bool Live = false;
};

} // namespace

llvm::Error writeFilesAtomically(std::vector<AtomicFile> Files, const AtomicWriteOptions &Opts) {
  std::vector<PendingFile> Pending(Files.size());
  for (size_t I = 0; I < Files.size(); ++I)
    if (auto E = Pending[I].create(Files[I], Opts))
      return E; // the destructors remove the temporary files written so far
  for (size_t I = 0; I < Files.size(); ++I)
    if (auto E = Pending[I].commit(Files[I].Path))
      return E;
  return llvm::Error::success();
}

llvm::Error writeFileAtomically(llvm::StringRef Path, llvm::StringRef Content,
                                const AtomicWriteOptions &Opts) {
  return writeFilesAtomically({AtomicFile{Path.str(), Content}}, Opts);
}

} // namespace atm
