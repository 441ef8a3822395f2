//===- FixCommand.cpp - `authtoken-migrate fix` ----------------------------===//
//
// scan (same discovery, rules and front ends as `scan`) -> fix::planFixes -> a unified
// diff on stdout / --output, or --write (atomic, only files unchanged since the scan),
// or --check (exit 1 with the diff when something is fixable). A summary goes to stderr.

#include <chrono>
#include <map>
#include <string>

#include "cli/Cli.h"
#include "cli/Commands.h"
#include "cli/ConfigSupport.h"
#include "core/AtomicWrite.h"
#include "discover/Root.h"
#include "fix/EditUtil.h"
#include "fix/Fix.h"
#include "gate/Config.h"
#include "gate/ExitCode.h"
#include "scan/Scanner.h"

#ifdef ATM_HAVE_SYNTAX_FRONTEND
#include "detect/SyntaxFrontend.h"
#include "syntax/ParsedFiles.h"
#endif
#ifdef ATM_HAVE_CLANG
#include "clang/ClangFrontend.h"
#endif

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include "fmt/format.h"

#ifndef ATM_VERSION
#define ATM_VERSION "0.0.0"
#endif

namespace cl = llvm::cl;
using namespace atm;
using namespace atm::cli;

namespace {

cl::SubCommand FixCmd("fix", "Print (or apply) a patch that moves legacy authtoken calls to OAuth");
cl::list<std::string> FixPaths(cl::Positional, cl::desc("[PATH...]"), cl::sub(FixCmd));
cl::opt<std::string> FixOutput("output", cl::desc("Write the patch to FILE (atomically) instead of stdout"),
                               cl::value_desc("FILE"), cl::sub(FixCmd));
cl::opt<bool> FixWrite("write", cl::desc("Apply the patch in place (each file atomically, only if unchanged since the scan)"),
                       cl::sub(FixCmd));
cl::opt<bool> FixCheck("check", cl::desc("CI mode: exit 0 when nothing is fixable, 1 with the patch otherwise"),
                       cl::sub(FixCmd));
cl::list<std::string> FixRules("rules", cl::desc("Extra rule directory (repeatable)"), cl::value_desc("DIR"),
                               cl::sub(FixCmd));
cl::list<std::string> FixOnlyRule("rule", cl::desc("Fix only findings of this rule id (repeatable)"),
                                  cl::value_desc("ID"), cl::sub(FixCmd));
cl::list<std::string> FixIncludes("include", cl::desc("Only fix files matching GLOB (repeatable)"),
                                  cl::value_desc("GLOB"), cl::sub(FixCmd));
cl::list<std::string> FixExcludes("exclude", cl::desc("Skip files and directories matching GLOB (repeatable)"),
                                  cl::value_desc("GLOB"), cl::sub(FixCmd));
cl::opt<bool> FixNoIgnore("no-ignore", cl::desc("Do not honour .gitignore, .ignore and .git/info/exclude"),
                          cl::sub(FixCmd));
cl::opt<std::string> FixRoot("root", cl::desc("Repository root: patch paths are relative to it (default: the git work tree, else the common directory of the paths)"),
                             cl::value_desc("DIR"), cl::sub(FixCmd));
cl::opt<unsigned> FixJobs("jobs", cl::desc("Worker threads (default: one per core)"), cl::init(0), cl::sub(FixCmd));
cl::opt<std::string> FixConnection("connection", cl::desc("Deluge: the OAuth connection invokeurl uses (default: as 'helper --lang deluge')"),
                                   cl::value_desc("NAME"), cl::sub(FixCmd));
cl::list<std::string> FixNamespace("namespace", cl::desc("Helper namespace for a language, LANG=NAME (repeatable; e.g. python=zoho_oauth)"),
                                   cl::value_desc("LANG=NAME"), cl::sub(FixCmd));
cl::opt<std::string> FixConfigPath("config", cl::desc("Configuration file (default: .authtoken-migrate.yaml in the root or a parent)"),
                                   cl::value_desc("FILE"), cl::sub(FixCmd));
cl::opt<bool> FixNoConfig("no-config", cl::desc("Read no configuration file"), cl::sub(FixCmd));
cl::opt<bool> FixFailOnIncomplete("fail-on-incomplete",
                                  cl::desc("Exit 3 when a file or directory could not be read (and the exit would be 0)"),
                                  cl::sub(FixCmd));
cl::opt<bool> FixQuiet("quiet", cl::desc("No summary on stderr"), cl::sub(FixCmd));
cl::opt<std::string> FixCompileDb("p", cl::desc("C/C++/Objective-C: directory holding compile_commands.json (default: the nearest one above each file)"),
                                  cl::value_desc("DIR"), cl::sub(FixCmd));
cl::list<std::string> FixExtraArgs("extra-arg", cl::desc("C/C++/Objective-C: append this argument to every compiler command line (repeatable)"),
                                   cl::value_desc("ARG"), cl::sub(FixCmd));

} // namespace

namespace {
/// 3 with --fail-on-incomplete when the scan could not read everything, else 0.
int incompleteCode(const atm::ScanResult &Scan) {
  if (!FixFailOnIncomplete || !atm::scanIncomplete(Scan.Stats))
    return 0;
  llvm::errs() << "authtoken-migrate: " << atm::incompleteSummary(Scan.Stats) << "\n";
  return atm::ExitIncomplete;
}
} // namespace

namespace atm::cli {

bool fixSelected() { return static_cast<bool>(FixCmd); }

int runFix() {
  if (FixWrite && FixCheck)
    return fail("fix: --write and --check do not go together");
  if (FixWrite && !FixOutput.empty())
    return fail("fix: --write applies the patch; --output writes it to a file; choose one");
  ScanOptions Opts;
  if (!FixPaths.empty())
    Opts.Paths.assign(FixPaths.begin(), FixPaths.end());
  for (const std::string &P : Opts.Paths)
    if (P == "-")
      return fail("fix: standard input cannot be patched; give the files");
    else if (!llvm::sys::fs::exists(P))
      return fail(P + ": no such file or directory");
  Opts.Discover.NoIgnore = FixNoIgnore;
  Opts.Discover.Include.assign(FixIncludes.begin(), FixIncludes.end());
  Opts.Discover.Exclude.assign(FixExcludes.begin(), FixExcludes.end());
  Opts.Jobs = FixJobs;
  llvm::SmallString<256> CwdBuf;
  if (auto EC = llvm::sys::fs::current_path(CwdBuf))
    return fail("cannot determine the current directory: " + EC.message());
  std::string Cwd = realAbsolutePath(".", CwdBuf);
  auto RootOr = findScanRoot(Opts.Paths, FixRoot, Cwd);
  if (!RootOr)
    return failErr(RootOr.takeError());
  std::string Root = *RootOr;
  Opts.Discover.Root = Root;

  fix::FixOptions FO;
  FO.Connection = FixConnection;
  FO.ToolVersion = ATM_VERSION;
  for (const std::string &NS : FixNamespace) {
    auto [Lang, Name] = llvm::StringRef(NS).split('=');
    if (Lang.empty() || Name.empty())
      return fail("--namespace: expected LANG=NAME (e.g. python=zoho_oauth), got '" + NS + "'");
    FO.Namespaces[Lang.str()] = Name.str();
  }
  auto FixersOr = fix::fixers();
  if (!FixersOr)
    return failErr(FixersOr.takeError());

  auto RulesOr = loadRules(FixRules);
  if (!RulesOr)
    return failErr(RulesOr.takeError());
  for (const std::string &Id : FixOnlyRule)
    if (!RulesOr->find(Id))
      return fail("--rule: unknown rule id '" + Id + "' (see 'authtoken-migrate rules list')");
  Opts.Engine.OnlyRules.assign(FixOnlyRule.begin(), FixOnlyRule.end());
  // Config file (tool/gate/Config.h): rules, include/exclude, helper namespaces (per
  // language: --namespace LANG=… wins for LANG) and the Deluge connection; flags win.
  gate::Config Cfg;
  if (int Rc = loadCommandConfig(FixConfigPath, FixNoConfig, Root, Cwd, *RulesOr, Cfg))
    return Rc;
  gate::applyToOptions(Cfg, *RulesOr,
                       {false, FixIncludes.getNumOccurrences() > 0,
                        FixExcludes.getNumOccurrences() > 0, FixOnlyRule.getNumOccurrences() > 0},
                       Opts);
  for (const auto &[Lang, Name] : Cfg.Namespaces)
    FO.Namespaces.emplace(Lang, Name); // keeps a --namespace of the same language
  if (FixConnection.getNumOccurrences() == 0 && Cfg.DelugeConnection)
    FO.Connection = *Cfg.DelugeConnection;
  // The patch must hold the real bytes: findings carry offsets, never printed values.
  Opts.Engine.ShowSecrets = false;

  if (!FixCompileDb.empty() && !llvm::sys::fs::is_directory(FixCompileDb))
    return fail("-p: '" + FixCompileDb + "' is not a directory (it should hold compile_commands.json)");
#ifdef ATM_HAVE_CLANG
  // C, C++ and Objective-C: the Clang front end (as in `scan`) reports the findings and
  // works out their fix-its; CppFixer (tool/fix) turns those into the patch's edits.
  ClangFrontendOptions CO;
  CO.CompileDbDir = FixCompileDb;
  CO.ExtraArgs.assign(FixExtraArgs.begin(), FixExtraArgs.end());
  CO.Jobs = FixJobs;
  CO.RetiredEndpoint = [](const std::string &T) { return fix::deadEndpoint(T); };
  ClangFrontend Clang(*RulesOr, Opts.Engine, CO);
  Opts.Frontends.push_back(&Clang);
#else
  if (!FixCompileDb.empty() || !FixExtraArgs.empty())
    return fail("this build has no Clang front end (-p and --extra-arg need it)");
#endif
#ifdef ATM_HAVE_SYNTAX_FRONTEND
  // The trees and models of the scan, for the plan (which would parse the same texts).
  syntax::ParsedFiles Parsed;
  SyntaxFrontendOptions SO;
  SO.Jobs = FixJobs;
  SO.Keep = &Parsed;
  SyntaxFrontend Syntax(*RulesOr, Opts.Engine, SO);
  if (auto E = Syntax.queryErrors())
    return failErr(std::move(E));
  Opts.Frontends.push_back(&Syntax);
#endif
  ScanResult Scan = runScan(*RulesOr, Opts);
  gate::applyConfig(Scan, Cfg, Opts.Engine.AsOf);
#ifdef ATM_HAVE_SYNTAX_FRONTEND
  if (auto E = Syntax.queryErrors())
    return failErr(std::move(E));
#endif

  auto Abs = [&](llvm::StringRef Display) { return fix::underRoot(Root, Display); };
  fix::FileReader Read = fix::diskReader(Root);
  fix::FileExists Exists = fix::diskExists(Root);
#ifdef ATM_HAVE_CLANG
  FO.ClangFixes = &Clang.fixes();
#endif
  FO.ListDir = fix::diskLister(Root);
#ifdef ATM_HAVE_SYNTAX_FRONTEND
  FO.Parsed = &Parsed;
#endif
  auto Plan = fix::planFixes(Scan.Findings, Read, Exists, FO);
  if (!Plan)
    return failErr(Plan.takeError());
  std::vector<fix::FileChange> Changes = Plan->changes();
  // An edited file keeps its mode on the patch's index line (an executable script: 100755;
  // git apply warns when the line and the file disagree).
  for (fix::FileChange &C : Changes) {
    llvm::sys::fs::file_status St;
    if (C.Old && !llvm::sys::fs::status(Abs(C.Path), St) &&
        (St.permissions() & llvm::sys::fs::owner_exe))
      C.Mode = 0100755;
  }
  std::string Patch = fix::unifiedDiff(Changes);

  // Summary (stderr): per file, edits and what is left for a person.
  if (!FixQuiet) {
    auto &E = llvm::errs();
    for (const fix::FileFix &F : Plan->Files) {
      unsigned Fixed = 0, Manual = 0;
      for (const fix::FindingOutcome &O : F.Findings)
        (O.O == fix::Outcome::Fixed ? Fixed : Manual)++;
      E << fmt::format("{}: {} fixed, {} left for a person{}\n", F.Path, Fixed, Manual,
                       F.New != F.Old ? fmt::format(" ({} edits)", F.EditCount) : "");
      for (const fix::FindingOutcome &O : F.Findings)
        E << fmt::format("  {}:{}: {}: {}: {}\n", F.Path, O.F->Begin.Line, O.F->RuleId,
                         O.O == fix::Outcome::Fixed ? "fixed" : "left for a person", O.Reason);
    }
    for (const fix::FileChange &H : Plan->Helpers)
      E << fmt::format("helper added: {}\n", H.Path);
    bool AnyRevoke = false;
    for (const fix::FileFix &F : Plan->Files)
      for (unsigned L : F.RevokeLines) {
        if (!AnyRevoke)
          E << "tokens to revoke (hard-coded legacy authtokens; revoke them at accounts.zoho.com > "
               "Sessions/Active Authtokens, whatever the patch does):\n";
        AnyRevoke = true;
        E << fmt::format("  {}:{}\n", F.Path, L);
      }
    for (const std::string &N : Plan->Notes)
      E << "note: " << N << "\n";
    fix::DiffStat St = fix::diffStat(Patch);
    E << fmt::format("fix: {} finding(s) fixed, {} left for a person; {} file(s) changed, "
                     "{} helper file(s) added, +{} -{} lines\n",
                     Plan->fixedCount(), Plan->manualCount(), St.Files - Plan->Helpers.size(),
                     Plan->Helpers.size(), St.Added, St.Removed);
  }

  if (FixWrite) {
    // Only files whose content is still what was scanned; the others are skipped.
    std::vector<AtomicFile> Files;
    std::vector<std::string> Keep; // contents referenced by Files
    Keep.reserve(Changes.size());
    unsigned Skipped = 0;
    for (const fix::FileChange &C : Changes) {
      std::string Path = Abs(C.Path);
      AtomicFile AF;
      AF.Path = Path;
      if (C.Old) {
        auto Now = Read(C.Path);
        if (!Now || *Now != *C.Old) {
          if (!Now)
            llvm::consumeError(Now.takeError());
          llvm::errs() << "fix: " << C.Path << ": changed since it was scanned; skipped\n";
          ++Skipped;
          continue;
        }
        llvm::sys::fs::file_status St;
        if (!llvm::sys::fs::status(Path, St))
          AF.Mode = St.permissions();
      } else {
        if (llvm::sys::fs::exists(Path)) {
          llvm::errs() << "fix: " << C.Path << ": exists already; not overwritten\n";
          ++Skipped;
          continue;
        }
        llvm::SmallString<256> Dir(Path);
        llvm::sys::path::remove_filename(Dir);
        if (auto EC = llvm::sys::fs::create_directories(Dir))
          return fail(C.Path + ": cannot create its directory: " + EC.message());
        AF.Mode = static_cast<llvm::sys::fs::perms>(C.Mode & 0777);
      }
      Keep.push_back(C.New);
      AF.Content = Keep.back();
      Files.push_back(std::move(AF));
    }
    if (auto E = writeFilesAtomically(std::move(Files)))
      return failErr(std::move(E));
    return Skipped ? 1 : incompleteCode(Scan);
  }
  if (!FixOutput.empty() && FixOutput != "-") {
    if (auto E = writeAtomically(FixOutput, Patch))
      return failErr(std::move(E));
  } else {
    llvm::outs() << Patch;
    llvm::outs().flush();
  }
  if (FixCheck && !Changes.empty())
    return 1;
  return incompleteCode(Scan);
}

} // namespace atm::cli
