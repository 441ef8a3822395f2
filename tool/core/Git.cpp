#include "core/Git.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Program.h"

extern char **environ;

namespace atm {

namespace fs = llvm::sys::fs;

namespace {
llvm::Error err(const llvm::Twine &Msg) {
  return llvm::createStringError(std::errc::invalid_argument, "%s", Msg.str().c_str());
}
} // namespace

std::string GitRun::firstErr() const {
  llvm::StringRef E = llvm::StringRef(Err).trim();
  return E.split('\n').first.str();
}

llvm::Expected<GitRun> runGit(llvm::StringRef Git, llvm::ArrayRef<std::string> Args,
                              const GitRunOptions &O) {
  llvm::SmallString<128> OutPath, ErrPath;
  if (auto EC = fs::createTemporaryFile("authtoken-migrate-git", "out", OutPath))
    return err("cannot create a temporary file for git's output: " + EC.message());
  llvm::FileRemover RemoveOut(OutPath);
  if (auto EC = fs::createTemporaryFile("authtoken-migrate-git", "err", ErrPath))
    return err("cannot create a temporary file for git's output: " + EC.message());
  llvm::FileRemover RemoveErr(ErrPath);
  std::vector<llvm::StringRef> Argv = {Git};
  for (const std::string &A : Args)
    Argv.push_back(A);
  std::vector<std::string> EnvStore;
  std::vector<llvm::StringRef> Env;
  if (O.NoPrompt) {
    for (char **E = environ; E && *E; ++E)
      if (!llvm::StringRef(*E).startswith("GIT_TERMINAL_PROMPT="))
        EnvStore.push_back(*E);
    EnvStore.push_back("GIT_TERMINAL_PROMPT=0");
    Env.assign(EnvStore.begin(), EnvStore.end());
  }
  llvm::StringRef Stdin = O.StdinFile.empty() ? llvm::StringRef("/dev/null")
                                              : llvm::StringRef(O.StdinFile);
  llvm::Optional<llvm::StringRef> Redirects[3] = {Stdin, llvm::StringRef(OutPath),
                                                  llvm::StringRef(ErrPath)};
  std::string ErrMsg;
  bool Failed = false;
  GitRun R;
  R.Code = llvm::sys::ExecuteAndWait(
      Git, Argv,
      O.NoPrompt ? llvm::Optional<llvm::ArrayRef<llvm::StringRef>>(Env) : llvm::None,
      Redirects, 0, 0, &ErrMsg, &Failed);
  if (Failed || R.Code < 0)
    return err("cannot run " + Git + ": " + (ErrMsg.empty() ? "it crashed" : ErrMsg));
  for (auto [P, S] : {std::make_pair(&OutPath, &R.Out), std::make_pair(&ErrPath, &R.Err)}) {
    auto B = llvm::MemoryBuffer::getFile(*P, /*IsText=*/false,
                                         /*RequiresNullTerminator=*/false);
    if (!B)
      return err("cannot read git's output: " + B.getError().message());
    *S = (*B)->getBuffer().str();
  }
  return R;
}

} // namespace atm
