#include "cli/Cli.h"

#include "core/Redact.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

namespace atm::cli {

int fail(const llvm::Twine &Msg) {
  // Messages may quote file content (a config line, a value): never print a secret.
  llvm::errs() << "authtoken-migrate: error: " << redactSecrets(Msg.str()) << "\n";
  return 2;
}

int failErr(llvm::Error E) {
  std::string Msg = llvm::toString(std::move(E));
  return fail(Msg);
}

llvm::Expected<RuleSet> loadRules(llvm::ArrayRef<std::string> RuleDirs) {
  std::vector<RuleSource> Sources = builtinRuleSources();
  auto Extra = readRuleDirs(RuleDirs);
  if (!Extra)
    return Extra.takeError();
  for (RuleSource &S : *Extra)
    Sources.push_back(std::move(S));
  return buildRuleSet(std::move(Sources));
}

llvm::Error writeAtomically(llvm::StringRef Path, llvm::StringRef Content) {
  llvm::SmallString<256> Dir(Path);
  llvm::sys::path::remove_filename(Dir);
  if (Dir.empty())
    Dir = ".";
  llvm::SmallString<256> Tmp;
  int FD;
  if (auto EC = llvm::sys::fs::createUniqueFile(Dir + "/.authtoken-migrate-%%%%%%.tmp", FD, Tmp))
    return llvm::createStringError(EC, "%s: cannot create a temporary file next to it: %s",
                                   Path.str().c_str(), EC.message().c_str());
  {
    llvm::raw_fd_ostream OS(FD, /*shouldClose=*/true);
    OS << Content;
    OS.close();
    if (OS.has_error()) {
      std::error_code EC = OS.error();
      OS.clear_error();
      llvm::sys::fs::remove(Tmp);
      return llvm::createStringError(EC, "%s: write failed: %s", Path.str().c_str(),
                                     EC.message().c_str());
    }
  }
  if (auto EC = llvm::sys::fs::rename(Tmp, Path)) {
    llvm::sys::fs::remove(Tmp);
    return llvm::createStringError(EC, "%s: cannot write: %s", Path.str().c_str(),
                                   EC.message().c_str());
  }
  return llvm::Error::success();
}

} // namespace atm::cli
