#include "cli/Cli.h"

#include "core/AtomicWrite.h"
#include "core/Redact.h"
#include "llvm/Support/FileSystem.h"
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

llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>> readSourceFile(llvm::StringRef Path,
                                                                   llvm::StringRef Command) {
  llvm::sys::fs::file_status St;
  if (std::error_code EC = llvm::sys::fs::status(Path, St))
    return llvm::createStringError(EC, "%s: cannot read: %s", Path.str().c_str(),
                                   EC.message().c_str());
  if (!llvm::sys::fs::is_regular_file(St))
    return llvm::createStringError(
        std::errc::invalid_argument, "%s: not a regular file (%s); %s reads one source file",
        Path.str().c_str(),
        llvm::sys::fs::is_directory(St) ? "a directory" : "a device, FIFO or socket",
        Command.str().c_str());
  auto Buf = llvm::MemoryBuffer::getFile(Path, false, false);
  if (!Buf)
    return llvm::createStringError(Buf.getError(), "%s: cannot read: %s", Path.str().c_str(),
                                   Buf.getError().message().c_str());
  return std::move(*Buf);
}

llvm::Error writeAtomically(llvm::StringRef Path, llvm::StringRef Content) {
  AtomicWriteOptions O;
  O.TempModel = ".authtoken-migrate-%%%%%%.tmp";
  return writeFileAtomically(Path, Content, O);
}

} // namespace atm::cli
