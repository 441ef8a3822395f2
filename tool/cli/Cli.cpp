#include "cli/Cli.h"

#include "core/AtomicWrite.h"
#include "core/Redact.h"
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
  AtomicWriteOptions O;
  O.TempModel = ".authtoken-migrate-%%%%%%.tmp";
  return writeFileAtomically(Path, Content, O);
}

} // namespace atm::cli
