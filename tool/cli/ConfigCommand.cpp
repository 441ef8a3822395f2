//===- ConfigCommand.cpp - `authtoken-migrate config dump|check` ----------===//
//
// config dump [--config FILE] [PATH]   the effective configuration, each value with its origin
// config check [--config FILE] [PATH]  validate: exit 0 "config OK: FILE", exit 2 with errors
// and loadCommandConfig(), which scan and fix use (ConfigSupport.h).

#include <string>
#include <vector>

#include "cli/Cli.h"
#include "cli/Commands.h"
#include "cli/ConfigSupport.h"
#include "core/Redact.h"
#include "core/Yaml.h"
#include "discover/Root.h"
#include "gate/Config.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

namespace cl = llvm::cl;
using namespace atm;
using namespace atm::cli;

namespace {

cl::SubCommand ConfigCmd("config", "Show (dump) or validate (check) the configuration file .authtoken-migrate.yaml");
cl::list<std::string> ConfigArgs(cl::Positional, cl::desc("dump|check [PATH]"), cl::sub(ConfigCmd));
cl::opt<std::string> ConfigFile("config", cl::desc("The configuration file (default: .authtoken-migrate.yaml in the scan root or a parent)"),
                                cl::value_desc("FILE"), cl::sub(ConfigCmd));
cl::list<std::string> ConfigRuleDirs("rules", cl::desc("Extra rule directory (repeatable): its rule ids are known to the check"),
                                     cl::value_desc("DIR"), cl::sub(ConfigCmd));

int printConfigErrors(llvm::Error E) {
  size_t N = 0;
  std::string File;
  llvm::handleAllErrors(
      std::move(E),
      [&](const gate::ConfigError &CE) {
        for (const std::string &D : CE.Diags)
          llvm::errs() << redactSecrets(D) << "\n";
        N += CE.Diags.size();
        File = CE.File;
      },
      [&](const llvm::ErrorInfoBase &EI) { fail(EI.message()); });
  if (N)
    fail(File + ": " + llvm::Twine(N) + " configuration error" + (N == 1 ? "" : "s") +
         "; fix the file (or run without it: --no-config)");
  return 2;
}

} // namespace

namespace atm::cli {

int loadCommandConfig(llvm::StringRef Explicit, bool NoConfig, llvm::StringRef Root,
                      llvm::StringRef Cwd, const RuleSet &Rules, gate::Config &Out) {
  Out = gate::Config();
  if (NoConfig && !Explicit.empty())
    return fail("--config and --no-config do not go together");
  if (NoConfig)
    return 0;
  std::string Path, Display;
  if (!Explicit.empty()) {
    Path = Explicit.str();
    Display = Explicit.str();
  } else {
    Path = gate::discoverConfig(Root);
    if (Path.empty())
      return 0;
    Display = pathFromCwd(Path, Cwd);
  }
  gate::ConfigSchema Schema;
  Schema.Rules = &Rules;
  auto C = gate::loadConfig(Path, Display, Schema);
  if (!C)
    return printConfigErrors(C.takeError());
  Out = std::move(*C);
  return 0;
}

bool configSelected() { return static_cast<bool>(ConfigCmd); }

int runConfig() {
  if (ConfigArgs.empty())
    return fail("config: expected 'dump' or 'check' (config dump|check [--config FILE] [PATH])");
  llvm::StringRef Action = ConfigArgs.front();
  if (Action != "dump" && Action != "check")
    return fail("config: unknown action '" + Action + "'" + didYouMean(Action, {"dump", "check"}) +
                " (config dump|check [--config FILE] [PATH])");
  if (ConfigArgs.size() > 2)
    return fail("config " + Action + ": takes at most one PATH (the scan root's directory)");
  std::string Target = ConfigArgs.size() == 2 ? ConfigArgs[1] : ".";
  if (!llvm::sys::fs::exists(Target))
    return fail(Target + ": no such file or directory");
  llvm::SmallString<256> CwdBuf;
  if (auto EC = llvm::sys::fs::current_path(CwdBuf))
    return fail("cannot determine the current directory: " + EC.message());
  std::string Cwd = realAbsolutePath(".", CwdBuf);
  auto RootOr = findScanRoot({Target}, "", Cwd);
  if (!RootOr)
    return failErr(RootOr.takeError());
  auto RulesOr = loadRules(ConfigRuleDirs);
  if (!RulesOr)
    return failErr(RulesOr.takeError());
  gate::Config Cfg;
  if (int Rc = loadCommandConfig(ConfigFile, false, *RootOr, Cwd, *RulesOr, Cfg))
    return Rc;
  if (Action == "check") {
    if (Cfg.File.empty())
      llvm::outs() << "config OK: no " << gate::ConfigFileName << " in "
                   << pathFromCwd(*RootOr, Cwd) << " or above; the defaults apply\n";
    else
      llvm::outs() << "config OK: " << Cfg.File << "\n";
    return 0;
  }
  llvm::outs() << gate::dumpConfig(Cfg, Date::today());
  return 0;
}

} // namespace atm::cli
