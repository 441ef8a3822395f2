//===- ScanCommand.cpp - `authtoken-migrate scan` -------------------------===//

#include <chrono>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "cli/Cli.h"
#include "cli/Commands.h"
#include "cli/ConfigSupport.h"
#include "cli/ScanRun.h"
#include "core/Redact.h"
#include "core/Text.h"
#include "core/Timings.h"
#include "discover/Root.h"
#ifdef ATM_HAVE_FIX
#include "fix/EditUtil.h"
#include "fix/Fix.h"
#endif
#include "gate/Baseline.h"
#include "gate/Config.h"
#include "gate/ExitCode.h"
#include "gate/GitDiff.h"
#include "core/AtomicWrite.h"
#include "report/Fleet.h"
#include "report/FormatList.h"
#include "report/Report.h"
#include "rules/Rule.h"
#include "scan/Scanner.h"
#ifdef ATM_HAVE_CLANG
#include "clang/ClangFrontend.h"
#endif
#ifdef ATM_HAVE_SYNTAX_FRONTEND
#include "detect/SyntaxFrontend.h"
#include "syntax/ParsedFiles.h"
#endif
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/raw_ostream.h"

namespace cl = llvm::cl;
using namespace atm;
using namespace atm::cli;

namespace {

/// What a single scan built, left for the process exit to free (ScanRun::FreeAtExit).
/// Held from a never-destroyed list, so it stays reachable: LeakSanitizer does not report
/// it and no static destructor runs it at exit either.
void keepUntilExit(std::shared_ptr<void> P) {
  static auto *Kept = new std::vector<std::shared_ptr<void>>();
  if (P)
    Kept->push_back(std::move(P));
}


cl::OptionCategory ScanCat("Scan options");
cl::SubCommand ScanCmd("scan", "Scan files and directories for legacy Zoho authtoken usage");

// The options below with cl::sub(BaselineCmd) are `baseline`'s and `report`'s too
// (cli/ScanRun.h).
cl::SubCommand &BaselineCmd = baselineSubCommand();
cl::SubCommand &ReportCmd = reportSubCommand();
cl::list<std::string> ScanPaths(cl::Positional, cl::desc("[PATH...]"), cl::sub(ScanCmd), cl::sub(BaselineCmd), cl::sub(ReportCmd));
cl::opt<std::string> OutFormat("format",
                             cl::desc("Report format: text|json|sarif|junit|markdown|csv|codequality "
                                      "(to stdout or --output FILE), or a list NAME=FILE[,NAME=FILE...] "
                                      "writing each report to its file ('-' = stdout)"),
                             cl::init("text"), cl::value_desc("NAME|NAME=FILE,..."), cl::sub(ScanCmd),
                             cl::cat(ScanCat));
cl::opt<std::string> OutFile("output", cl::desc("Write the report to FILE (atomically) instead of stdout"),
                             cl::value_desc("FILE"), cl::sub(ScanCmd), cl::cat(ScanCat));
cl::opt<std::string> AsOf("as-of", cl::desc("Compute deadline status as of this date (default: today, UTC)"),
                          cl::value_desc("YYYY-MM-DD"), cl::sub(ScanCmd), cl::sub(BaselineCmd), cl::sub(ReportCmd), cl::cat(ScanCat));
cl::opt<std::string> FailOn("fail-on",
                            cl::desc("Exit 1 when a finding is at or above: none|note|warning|error|critical (default warning)"),
                            cl::init("warning"), cl::value_desc("LEVEL"), cl::sub(ScanCmd), cl::cat(ScanCat));
cl::list<std::string> RuleDirs("rules", cl::desc("Extra rule directory (repeatable); its catalog/products.yaml, catalog/scopes.yaml and same-id rules override the built-in ones"),
                               cl::value_desc("DIR"), cl::sub(ScanCmd), cl::sub(BaselineCmd), cl::sub(ReportCmd), cl::cat(ScanCat));
cl::list<std::string> OnlyRule("rule", cl::desc("Run only this rule id (repeatable)"), cl::value_desc("ID"),
                               cl::sub(ScanCmd), cl::sub(BaselineCmd), cl::sub(ReportCmd), cl::cat(ScanCat));
cl::list<std::string> Includes("include", cl::desc("Only scan files matching GLOB (repeatable)"),
                               cl::value_desc("GLOB"), cl::sub(ScanCmd), cl::sub(BaselineCmd), cl::sub(ReportCmd), cl::cat(ScanCat));
cl::list<std::string> Excludes("exclude", cl::desc("Skip files and directories matching GLOB (repeatable)"),
                               cl::value_desc("GLOB"), cl::sub(ScanCmd), cl::sub(BaselineCmd), cl::sub(ReportCmd), cl::cat(ScanCat));
cl::opt<bool> NoIgnore("no-ignore", cl::desc("Do not honour .gitignore, .ignore and .git/info/exclude"),
                       cl::sub(ScanCmd), cl::sub(BaselineCmd), cl::sub(ReportCmd), cl::cat(ScanCat));
cl::opt<bool> Follow("follow", cl::desc("Follow symbolic links (loops are detected)"), cl::sub(ScanCmd), cl::sub(BaselineCmd), cl::sub(ReportCmd),
                     cl::cat(ScanCat));
cl::opt<unsigned> Jobs("jobs", cl::desc("Worker threads (default: one per core)"), cl::init(0),
                       cl::value_desc("N"), cl::sub(ScanCmd), cl::sub(BaselineCmd), cl::sub(ReportCmd), cl::cat(ScanCat));
cl::opt<std::string> MaxFileSize("max-file-size", cl::desc("Skip files larger than this (suffixes K, M, G; 0 = no limit; default 8M)"),
                                 cl::init("8M"), cl::value_desc("BYTES"), cl::sub(ScanCmd), cl::sub(BaselineCmd), cl::sub(ReportCmd), cl::cat(ScanCat));
// Not `report`'s: a migration report never holds a token value.
cl::opt<bool> ShowSecrets("show-secrets", cl::desc("Print token values unmasked in snippets (off by default)"),
                          cl::sub(ScanCmd), cl::sub(BaselineCmd), cl::cat(ScanCat));
cl::opt<bool> Quiet("quiet", cl::desc("Text output: findings only, no summary and no progress line"),
                    cl::sub(ScanCmd), cl::cat(ScanCat));
enum class ColorMode { Auto, Always, Never };
cl::opt<ColorMode> Color("color", cl::desc("Colour the text output"), cl::init(ColorMode::Auto),
                         cl::values(clEnumValN(ColorMode::Auto, "auto", "when stdout is a terminal"),
                                    clEnumValN(ColorMode::Always, "always", "always"),
                                    clEnumValN(ColorMode::Never, "never", "never")),
                         cl::sub(ScanCmd), cl::cat(ScanCat));

cl::opt<std::string> RootDir("root",
                             cl::desc("Directory that paths, SARIF URIs and fingerprints are relative to "
                                      "(default: the git work tree's top, else the current directory)"),
                             cl::value_desc("DIR"), cl::sub(ScanCmd), cl::sub(BaselineCmd), cl::sub(ReportCmd), cl::cat(ScanCat));
cl::opt<std::string> StdinFilename("stdin-filename",
                                   cl::desc("With 'scan -': the path (and so the language) of the text read from standard input"),
                                   cl::value_desc("PATH"), cl::sub(ScanCmd), cl::cat(ScanCat));
cl::opt<std::string> Category("category",
                              cl::desc("SARIF automationDetails.id category (default authtoken-migrate); one per upload"),
                              cl::init("authtoken-migrate"), cl::value_desc("NAME"), cl::sub(ScanCmd),
                              cl::cat(ScanCat));
cl::opt<bool> NoFixPlan("no-fix-plan",
                        cl::desc("Do not work out which findings 'fix' can rewrite (reports then count "
                                 "only the C/C++ fix-its as fixable)"),
                        cl::sub(ScanCmd), cl::cat(ScanCat));
cl::opt<std::string> BaselineFile("baseline",
                                  cl::desc("Fail only on findings that are not in this baseline file "
                                           "(written by 'authtoken-migrate baseline')"),
                                  cl::value_desc("FILE"), cl::sub(ScanCmd), cl::cat(ScanCat));
cl::opt<std::string> ChangedSince("changed-since",
                                  cl::desc("Report only findings on lines added or changed since the git revision REV "
                                           "(working tree and untracked files against REV; CI: the PR's base SHA)"),
                                  cl::value_desc("REV"), cl::sub(ScanCmd), cl::cat(ScanCat));
cl::opt<bool> Staged("staged", cl::desc("Report only findings on lines added or changed in the git index "
                                        "(the staged content against HEAD; for pre-commit hooks)"),
                     cl::sub(ScanCmd), cl::cat(ScanCat));

cl::opt<std::string> ConfigPath("config",
                                cl::desc("Configuration file (default: .authtoken-migrate.yaml in the scan root or a parent)"),
                                cl::value_desc("FILE"), cl::sub(ScanCmd), cl::sub(BaselineCmd), cl::sub(ReportCmd), cl::cat(ScanCat));
cl::opt<bool> NoConfig("no-config", cl::desc("Read no configuration file"), cl::sub(ScanCmd), cl::sub(BaselineCmd), cl::sub(ReportCmd), cl::cat(ScanCat));
cl::opt<bool> ReportUnusedSuppressions(
    "report-unused-suppressions",
    cl::desc("Report every 'authtoken-migrate: ignore' marker that silenced nothing, as an "
             "unused-suppression finding (severity warning)"),
    cl::sub(ScanCmd), cl::cat(ScanCat));
cl::opt<bool> FailOnIncomplete(
    "fail-on-incomplete",
    cl::desc("Exit 3 when a file or directory could not be read and no finding reaches --fail-on"),
    cl::sub(ScanCmd), cl::cat(ScanCat));

cl::OptionCategory FleetCat("Fleet options (README \"Fleet scans\")");
cl::opt<std::string> ReposFrom("repos-from",
                               cl::desc("Scan each repository listed in FILE (one a line: a local directory "
                                        "or a git URL, optional second column = name; '#' comments) "
                                        "and write one JSON report per repository to --output-dir"),
                               cl::value_desc("FILE"), cl::sub(ScanCmd), cl::cat(FleetCat));
cl::opt<std::string> ReposCache("repos-cache",
                                cl::desc("Directory of the shallow clones of listed git URLs (default: "
                                         "$XDG_CACHE_HOME/authtoken-migrate/repos, else ~/.cache/...)"),
                                cl::value_desc("DIR"), cl::sub(ScanCmd), cl::cat(FleetCat));
cl::opt<std::string> OutputDir("output-dir",
                               cl::desc("With --repos-from: write NAME.json for each repository here"),
                               cl::value_desc("DIR"), cl::sub(ScanCmd), cl::cat(FleetCat));
cl::opt<std::string> Shard("shard",
                           cl::desc("With --repos-from: scan only the I-th of every N entries (0-based), "
                                    "so N processes share one list"),
                           cl::value_desc("I/N"), cl::sub(ScanCmd), cl::cat(FleetCat));

cl::OptionCategory ClangCat("C, C++ and Objective-C options (Clang front end)");
cl::opt<std::string> CompileDb("p", cl::desc("Directory holding compile_commands.json (default: the nearest one above each file)"),
                               cl::value_desc("DIR"), cl::sub(ScanCmd), cl::sub(BaselineCmd), cl::sub(ReportCmd), cl::cat(ClangCat));
cl::list<std::string> ExtraArgs("extra-arg", cl::desc("Append this argument to every compiler command line (repeatable)"),
                                cl::value_desc("ARG"), cl::sub(ScanCmd), cl::sub(BaselineCmd), cl::sub(ReportCmd), cl::cat(ClangCat));
cl::opt<std::string> ExportFixes("export-fixes", cl::desc("Write the C/C++/Objective-C fixes as YAML for clang-apply-replacements"),
                                 cl::value_desc("FILE"), cl::sub(ScanCmd), cl::cat(ClangCat));
cl::opt<bool> NoSyntax("no-syntax",
                       cl::desc("Scan Python, JavaScript/TypeScript, PHP, Java, C#, Ruby, Go, shell, "
                                "Kotlin and Scala with the lexer rules only (no syntax trees)"),
                       cl::sub(ScanCmd), cl::sub(BaselineCmd), cl::sub(ReportCmd));
cl::opt<bool> NoClang("no-clang", cl::desc("Scan C, C++ and Objective-C with the lexer rules only (no parsing)"),
                      cl::sub(ScanCmd), cl::sub(BaselineCmd), cl::sub(ReportCmd), cl::cat(ClangCat));

} // namespace

namespace {
bool parseSize(llvm::StringRef S, uint64_t &Out) {
  S = S.trim();
  uint64_t Mul = 1;
  if (!S.empty()) {
    char Last = llvm::toUpper(S.back());
    if (Last == 'K' || Last == 'M' || Last == 'G') {
      Mul = Last == 'K' ? 1024 : Last == 'M' ? 1024 * 1024 : 1024ull * 1024 * 1024;
      S = S.drop_back();
    }
  }
  uint64_t N;
  if (S.empty() || S.getAsInteger(10, N))
    return false;
  Out = N * Mul;
  return true;
}

} // namespace

#ifdef ATM_HAVE_FIX
namespace {
/// Marks the findings `fix` would rewrite (Fixable, FixNote: what the edit does) and gives
/// the others its reason, so every report counts the auto-fixable findings as `fix`
/// does. With \p ClangFixes (the Clang front end ran) the C-family findings are marked as
/// fix's CppFixer plans them; without, findings the front end marked keep their marks.
void markFixable(ScanResult &R, const std::string &Root,
                 const std::vector<FindingFix> *ClangFixes,
                 const syntax::ParsedFiles *Parsed) {
  fix::FixOptions FO;
  FO.Parsed = Parsed;
  FO.ToolVersion = ATM_VERSION;
  FO.ClangFixes = ClangFixes;
  FO.ListDir = fix::diskLister(Root);
  FO.OutcomesOnly = true;
  auto Plan = fix::planFixes(R.Findings, fix::diskReader(Root), fix::diskExists(Root), FO);
  if (!Plan) { // a broken recipe file: the scan's report stands without fix marks
    R.Stats.Notes.push_back("fix planning failed: " + llvm::toString(Plan.takeError()));
    return;
  }
  std::map<const Finding *, const fix::FindingOutcome *> Of;
  for (const fix::FileFix &F : Plan->Files)
    for (const fix::FindingOutcome &O : F.Findings)
      Of[O.F] = &O;
  for (Finding &F : R.Findings) {
    if (F.Fixable && !ClangFixes)
      continue;
    auto It = Of.find(&F);
    if (It == Of.end())
      continue;
    bool Was = F.Fixable; // a Clang fix-its fix may still be left (a dead endpoint)
    F.Fixable = It->second->O == fix::Outcome::Fixed;
    if (F.FixNote.empty() || F.Fixable || Was)
      F.FixNote = It->second->Reason;
  }
}
} // namespace
#endif

namespace atm::cli {

bool scanSelected() { return static_cast<bool>(ScanCmd); }

void markFixablePlan(ScanRun &Run) {
#ifdef ATM_HAVE_FIX
  markFixable(Run.Result, Run.Opts.Discover.Root, Run.ClangFixes ? &*Run.ClangFixes : nullptr,
              Run.Parsed.get());
  if (Run.FreeAtExit)
    keepUntilExit(std::move(Run.Parsed));
  Run.Parsed.reset();
#else
  (void)Run;
#endif
}

std::vector<std::string> scanPathsOption() { return {ScanPaths.begin(), ScanPaths.end()}; }

std::string asOfOption() { return AsOf; }

int scanFromOptions(ScanRun &Run) {
  ScanOptions &Opts = Run.Opts;
  if (!ScanPaths.empty())
    Opts.Paths.assign(ScanPaths.begin(), ScanPaths.end());
  if (!AsOf.empty()) {
    auto D = Date::parse(AsOf);
    if (!D)
      return fail("--as-of: expected a date YYYY-MM-DD, got '" + AsOf + "'");
    Opts.Engine.AsOf = *D;
  }
  if (!parseSize(MaxFileSize, Opts.Discover.MaxFileSize))
    return fail("--max-file-size: expected a number of bytes (suffixes K, M, G), got '" +
                MaxFileSize + "'");
  Opts.Discover.NoIgnore = NoIgnore;
  Opts.Discover.FollowSymlinks = Follow;
  Opts.Discover.Include.assign(Includes.begin(), Includes.end());
  Opts.Discover.Exclude.assign(Excludes.begin(), Excludes.end());
  Opts.Engine.ShowSecrets = ShowSecrets;
  Opts.Jobs = Jobs;
  Opts.ReportUnusedSuppressions = ReportUnusedSuppressions;
  bool FromStdin = llvm::is_contained(Opts.Paths, "-");
  if (FromStdin && !Run.AllowStdin)
    return fail("'-' (standard input) is for 'scan -'; give files and directories");
  if (FromStdin && Opts.Paths.size() != 1)
    return fail("'scan -' reads standard input and takes no other path");
  if (!FromStdin && !StdinFilename.empty())
    return fail("--stdin-filename goes with 'scan -'");
  for (const std::string &P : Opts.Paths)
    if (P != "-" && !llvm::sys::fs::exists(P))
      return fail(P + ": no such file or directory");
  llvm::SmallString<256> CwdBuf;
  if (auto EC = llvm::sys::fs::current_path(CwdBuf))
    return fail("cannot determine the current directory: " + EC.message());
  std::string &Cwd = Run.Cwd;
  Cwd = realAbsolutePath(".", CwdBuf);
  // --stdin-filename need not exist: its directory is resolved, its name appended.
  std::string StdinDir, StdinAbs;
  if (FromStdin && !StdinFilename.empty()) {
    llvm::StringRef Parent = llvm::sys::path::parent_path(StdinFilename);
    StdinDir = realAbsolutePath(Parent.empty() ? "." : Parent, Cwd);
    StdinAbs = StdinDir + "/" + llvm::sys::path::filename(StdinFilename).str();
  }
  std::vector<std::string> RootPaths = Opts.Paths;
  if (!StdinDir.empty())
    RootPaths = {StdinDir};
  auto RootOr = findScanRoot(RootPaths, Run.RootOverride.empty() ? RootDir : Run.RootOverride, Cwd);
  if (!RootOr)
    return failErr(RootOr.takeError());
  Opts.Discover.Root = *RootOr;
  if (FromStdin) {
    auto In = llvm::MemoryBuffer::getSTDIN();
    if (!In)
      return fail("cannot read standard input: " + In.getError().message());
    Opts.StdinText = (*In)->getBuffer().str();
    normalizeLoneCarriageReturns(*Opts.StdinText); // as for files read from disk (Text.h)
    if (!StdinAbs.empty()) {
      std::string Rel;
      Opts.StdinPath = relativeUnder(StdinAbs, Opts.Discover.Root, Rel) ? Rel : StdinFilename;
    }
    if (isNotebookPath(StdinFilename)) // its code cells, as for a notebook read from disk
      decodeNotebookCells(Opts.StdinText->data(), Opts.StdinText->size());
  }

  if (!Run.SharedRules) {
    auto Loaded = loadRules(RuleDirs);
    if (!Loaded)
      return failErr(Loaded.takeError());
    Run.Rules.emplace(std::move(*Loaded));
  }
  RuleSet *RulesOr = &Run.rules();
  for (const std::string &Id : OnlyRule)
    if (!RulesOr->find(Id))
      return fail("--rule: unknown rule id '" + Id + "' (see 'authtoken-migrate rules list')");
  Opts.Engine.OnlyRules.assign(OnlyRule.begin(), OnlyRule.end());

  // Config file (tool/gate/Config.h): flags given on the command line win over it.
  gate::Config &Cfg = Run.Cfg;
  if (int Rc = loadCommandConfig(ConfigPath, NoConfig, Opts.Discover.Root, Cwd, *RulesOr, Cfg))
    return Rc;
  gate::applyToOptions(Cfg, *RulesOr,
                       {AsOf.getNumOccurrences() > 0, Includes.getNumOccurrences() > 0,
                        Excludes.getNumOccurrences() > 0, OnlyRule.getNumOccurrences() > 0},
                       Opts);

  if (NoClang && !ExportFixes.empty())
    return fail("--export-fixes needs the Clang front end; drop --no-clang");
  if (!CompileDb.empty() && !llvm::sys::fs::is_directory(CompileDb))
    return fail("-p: '" + CompileDb + "' is not a directory (it should hold compile_commands.json)");
#ifdef ATM_HAVE_CLANG
  std::unique_ptr<ClangFrontend> Clang;
  if (!NoClang) {
    ClangFrontendOptions FO;
    FO.CompileDbDir = CompileDb;
    FO.ExtraArgs.assign(ExtraArgs.begin(), ExtraArgs.end());
    FO.Jobs = Jobs;
#ifdef ATM_HAVE_FIX
    FO.RetiredEndpoint = [](const std::string &T) { return fix::deadEndpoint(T); };
#endif
    Clang = std::make_unique<ClangFrontend>(*RulesOr, Opts.Engine, FO);
    Opts.Frontends.push_back(Clang.get());
  }
#else
  if (!ExportFixes.empty() || !CompileDb.empty() || !ExtraArgs.empty())
    return fail("this build has no Clang front end (-p, --extra-arg, --export-fixes need it)");
#endif

#ifdef ATM_HAVE_SYNTAX_FRONTEND
  std::unique_ptr<SyntaxFrontend> Syntax;
  if (!NoSyntax) {
    SyntaxFrontendOptions SO;
    SO.Jobs = Jobs;
#ifdef ATM_HAVE_FIX
    if (!NoFixPlan && !Opts.StdinText) { // the fix plan after the scan parses them again
      Run.Parsed = std::make_shared<syntax::ParsedFiles>();
      SO.Keep = Run.Parsed.get();
    }
#endif
    Syntax = std::make_unique<SyntaxFrontend>(*RulesOr, Opts.Engine, SO);
    if (auto E = Syntax->queryErrors()) // an unknown grammar; queries compile on first use
      return failErr(std::move(E));
    Opts.Frontends.push_back(Syntax.get());
  }
#endif

  // A progress line only for people watching a terminal: never in CI logs or --quiet.
  bool ShowProgress = !Quiet && llvm::sys::Process::StandardErrIsDisplayed() &&
                      !std::getenv("CI");
  auto Start = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point LastDraw;
  bool Drew = false;
  if (ShowProgress)
    Opts.Progress = [&](size_t Done, size_t Total) {
      auto Now = std::chrono::steady_clock::now();
      if (Now - Start < std::chrono::seconds(1) ||
          (Now - LastDraw < std::chrono::milliseconds(100) && Done != Total))
        return;
      LastDraw = Now;
      Drew = true;
      llvm::errs() << "\rscanning: " << Done << "/" << Total << " files";
    };
  // Diff-aware scans (gate/GitDiff.h): only the changed files, then only their changed lines.
  std::unique_ptr<gate::DiffScope> Diff;
  if (ChangedSince.getNumOccurrences() || Staged) {
    if (ChangedSince.getNumOccurrences() && Staged)
      return fail("--changed-since and --staged exclude each other: pick one");
    const char *Opt = Staged ? "--staged" : "--changed-since";
    if (FromStdin)
      return fail(llvm::Twine(Opt) + " reads git, not standard input: drop 'scan -'");
    if (Staged && !ExportFixes.empty())
      return fail("--export-fixes with --staged would name the staged snapshot's files: run it without --staged");
    gate::DiffRequest Req;
    Req.K = Staged ? gate::DiffRequest::Staged : gate::DiffRequest::ChangedSince;
    Req.Rev = ChangedSince;
    auto D = gate::DiffScope::create(Opts.Discover.Root, Req);
    if (!D)
      return failErr(D.takeError());
    Diff = std::move(*D);
  }
  timingPhase("set-up");
#ifdef ATM_HAVE_FIX
  // The fix plan's recipes (fix::fixers(), built once) are read while the scan runs.
  std::thread WarmFixers;
  if (!NoFixPlan && !Opts.StdinText)
    WarmFixers = std::thread([] {
      if (auto F = fix::fixers(); !F)
        llvm::consumeError(F.takeError()); // the fix plan reports it
    });
#endif
  Run.Result = runScan(*RulesOr, Diff ? Diff->scanOptions(Opts, Cwd) : Opts);
#ifdef ATM_HAVE_FIX
  if (WarmFixers.joinable())
    WarmFixers.join();
#endif
  timingPhase("scan");
  if (Diff)
    gate::filterToChangedLines(Run.Result, Diff->changes());
  if (Drew)
    llvm::errs() << "\r\x1b[K";
  gate::applyConfig(Run.Result, Cfg, Opts.Engine.AsOf); // disabled rules, severities

#ifdef ATM_HAVE_SYNTAX_FRONTEND
  // A rule query that does not compile for a grammar the scan used: no partial report.
  if (Syntax)
    if (auto E = Syntax->queryErrors())
      return failErr(std::move(E));
#endif
#ifdef ATM_HAVE_CLANG
  if (Clang)
    Run.ClangFixes = Clang->fixes();
  if (!ExportFixes.empty()) {
    if (auto E = Clang->writeExportFixes(ExportFixes))
      return failErr(std::move(E));
  }
  if (Run.FreeAtExit)
    keepUntilExit(std::move(Clang));
#endif
#ifdef ATM_HAVE_SYNTAX_FRONTEND
  if (Run.FreeAtExit)
    keepUntilExit(std::move(Syntax));
#endif
  return 0;
}

int runScanRepos(std::optional<Severity> Threshold);

int runScan() {
  std::optional<Severity> Threshold;
  if (FailOn != "none") {
    Threshold = parseSeverity(FailOn);
    if (!Threshold)
      return fail("--fail-on: expected none, note, warning, error or critical, got '" +
                  FailOn + "'");
  }
  // --format NAME or NAME=FILE,...: checked before the scan, written after it.
  auto Outputs = parseFormatList(OutFormat, OutFile);
  if (!Outputs)
    return failErr(Outputs.takeError());
  std::string Cat = llvm::StringRef(Category).rtrim('/').str();
  if (Cat.empty())
    return fail("--category: expected a name such as 'authtoken-migrate' or 'zoho/backend'");
  if (!ReposFrom.empty())
    return runScanRepos(Threshold);
  // One scan, then the process exits: what it built is freed by the exit (FreeAtExit).
  auto RunOwner = std::make_unique<ScanRun>();
  ScanRun &Run = *RunOwner;
  Run.FreeAtExit = true;
  if (int Rc = scanFromOptions(Run))
    return Rc;
  ScanOptions &Opts = Run.Opts;
  ScanResult &Result = Run.Result;
  const std::string &Cwd = Run.Cwd;
  const gate::Config &Cfg = Run.Cfg;
  if (FailOn.getNumOccurrences() == 0)
    if (auto T = Cfg.failOnThreshold())
      Threshold = *T;

  // --baseline FILE (or the config file's `baseline:`): drop the findings it lists
  // (expired entries count again).
  std::string BaselinePath = BaselineFile;
  if (BaselineFile.getNumOccurrences() == 0 && Cfg.Baseline)
    BaselinePath = *Cfg.Baseline;
  if (!BaselinePath.empty()) {
    auto B = readBaseline(BaselinePath);
    if (!B)
      return failErr(B.takeError());
    applyBaseline(Result, *B, Opts.Engine.AsOf);
  }
  if (!NoFixPlan && !Opts.StdinText)
    markFixablePlan(Run);
  timingPhase("fix plan");

  ReportContext Ctx;
  Ctx.ToolVersion = ATM_VERSION;
  Ctx.AsOf = Opts.Engine.AsOf;
  Ctx.Rules = &*Run.Rules;
  Ctx.Quiet = Quiet;
  Ctx.Root = Opts.Discover.Root;
  Ctx.Cwd = Cwd;
  Ctx.Category = Cat;
  // NO_COLOR (no-color.org): present and not empty turns off the automatic colour.
  const char *NoColor = std::getenv("NO_COLOR");
  bool NoColorSet = NoColor && *NoColor;
  EmitOptions EO;
  EO.ColorFileText = Color == ColorMode::Always;
  EO.ColorStdoutText = Color == ColorMode::Always ||
                       (Color == ColorMode::Auto && !NoColorSet &&
                        llvm::sys::Process::StandardOutIsDisplayed());
  EO.Markdown.BlobBase = githubBlobBase();
  if (auto E = emitReports(*Outputs, Result, Ctx, EO, llvm::outs()))
    return failErr(std::move(E));
  timingPhase("reports");
  int Code = scanExitCode(Result, Threshold, FailOnIncomplete);
  if (Code == ExitIncomplete)
    llvm::errs() << "authtoken-migrate: " << incompleteSummary(Result.Stats) << "\n";
  keepUntilExit(std::move(RunOwner));
  return Code;
}

} // namespace atm::cli

namespace atm::cli {

/// `scan --repos-from FILE --output-dir DIR [--shard I/N] [--repos-cache DIR]` (README
/// "Fleet scans"): each listed repository scanned as `scan` scans one directory, rooted
/// at it, and its JSON report written to DIR/NAME.json. A repository that cannot be
/// cloned or read is reported on stderr and gets a NAME.json all the same: no findings,
/// its "repository" error, a problem and one unreadable path (so `merge` shows it, and
/// --fail-on-incomplete exits 3); the others are scanned.
int runScanRepos(std::optional<Severity> Threshold) {
  if (!ScanPaths.empty())
    return fail("--repos-from takes its repositories from the list: give no PATH");
  if (OutputDir.empty())
    return fail("--repos-from needs --output-dir DIR (one NAME.json per repository)");
  if (OutFile.getNumOccurrences() || (OutFormat.getNumOccurrences() && OutFormat != "json"))
    return fail("--repos-from writes JSON reports to --output-dir: drop --output and --format "
                "(make other formats from them with 'authtoken-migrate merge')");
  if (RootDir.getNumOccurrences())
    return fail("--repos-from scans each repository rooted at its own directory: drop --root");
  if (ChangedSince.getNumOccurrences() || Staged || !BaselineFile.empty() ||
      !ExportFixes.empty() || StdinFilename.getNumOccurrences())
    return fail("--repos-from does not combine with --changed-since, --staged, --baseline, "
                "--export-fixes or --stdin-filename (a repository's own .authtoken-migrate.yaml "
                "baseline still applies)");
  unsigned ShardI = 0, ShardN = 1;
  if (!Shard.empty()) {
    auto S = parseShard(Shard);
    if (!S)
      return failErr(S.takeError());
    std::tie(ShardI, ShardN) = *S;
  }
  auto List = readRepoList(ReposFrom);
  if (!List)
    return failErr(List.takeError());
  auto Rules = loadRules(RuleDirs); // once: every repository's scan uses them
  if (!Rules)
    return failErr(Rules.takeError());
  if (auto EC = llvm::sys::fs::create_directories(OutputDir))
    return fail("--output-dir " + OutputDir + ": cannot create: " + EC.message());
  std::string Cache = ReposCache.empty() ? defaultRepoCache() : ReposCache.getValue();
  llvm::SmallString<256> CwdBuf;
  if (auto EC = llvm::sys::fs::current_path(CwdBuf))
    return fail("cannot determine the current directory: " + EC.message());
  // Relative entries are relative to the list file's directory.
  llvm::SmallString<256> ListDir(ReposFrom == "-" ? llvm::StringRef(".")
                                                  : llvm::sys::path::parent_path(ReposFrom));
  if (ListDir.empty())
    ListDir = ".";
  llvm::sys::fs::make_absolute(CwdBuf, ListDir);

  // A repository's configuration file may override severities on the shared rules:
  // they are put back after each repository.
  std::vector<Severity> Severities;
  for (const Rule &R : Rules->Rules)
    Severities.push_back(R.Sev);
  bool AnyFindings = false, AnyFailed = false;
  unsigned Scanned = 0, Failed = 0;
  for (const RepoEntry &E : selectShard(*List, ShardI, ShardN)) {
    RepoEntry Entry = E;
    if (!Entry.IsUrl && !llvm::sys::path::is_absolute(Entry.Source)) {
      llvm::SmallString<256> Abs(ListDir);
      llvm::sys::path::append(Abs, Entry.Source);
      Entry.Source = std::string(Abs);
    }
    RepoInfo Info;
    Info.Name = Entry.Name;
    if (Entry.IsUrl)
      Info.Url = urlWithoutCredentials(Entry.Source);
    ReportContext Ctx;
    Ctx.ToolVersion = ATM_VERSION;
    Ctx.Category = Category;
    ScanRun Run;
    std::string Error;
    auto Prepared = prepareRepo(Entry, Cache);
    if (!Prepared) {
      Error = llvm::toString(Prepared.takeError());
    } else {
      Info.Commit = Prepared->Commit;
      Run.Opts.Paths = {Prepared->Dir};
      Run.RootOverride = Prepared->Dir;
      Run.SharedRules = &*Rules;
      if (scanFromOptions(Run) != 0) {
        Error = "the scan stopped with the error printed above";
      } else if (Run.Cfg.Baseline) { // the repository's own config file names its baseline
        auto B = readBaseline(*Run.Cfg.Baseline);
        if (B)
          applyBaseline(Run.Result, *B, Run.Opts.Engine.AsOf);
        else
          Error = llvm::toString(B.takeError());
      }
    }
    std::string Path = OutputDir + "/" + Entry.Name + ".json";
    if (!Error.empty()) {
      ++Failed;
      AnyFailed = true;
      llvm::errs() << "authtoken-migrate: error: " << ReposFrom << ":" << E.Line << ": "
                   << Entry.Name << ": " << redactSecrets(Error) << " (reported in " << Path
                   << ")\n";
      Info.Error = Error;
      Run.Result = ScanResult();
      Run.Result.Stats.Unreadable = 1;
      Run.Result.Stats.Problems.push_back(Error);
      Ctx.AsOf = Run.Opts.Engine.AsOf;
      if (!AsOf.empty())
        if (auto D = Date::parse(AsOf))
          Ctx.AsOf = *D;
    } else {
      ++Scanned;
      std::optional<Severity> RepoThreshold = Threshold;
      if (FailOn.getNumOccurrences() == 0)
        if (auto T = Run.Cfg.failOnThreshold())
          RepoThreshold = *T;
#ifdef ATM_HAVE_FIX
      if (!NoFixPlan)
        markFixable(Run.Result, Run.Opts.Discover.Root,
                    Run.ClangFixes ? &*Run.ClangFixes : nullptr, Run.Parsed.get());
      Run.Parsed.reset();
#endif
      Ctx.AsOf = Run.Opts.Engine.AsOf;
      Ctx.Rules = &Run.rules();
      Ctx.Root = Run.Opts.Discover.Root;
      Ctx.Cwd = Run.Cwd;
      int Code = scanExitCode(Run.Result, RepoThreshold, FailOnIncomplete);
      AnyFindings |= Code == ExitFindings;
      AnyFailed |= Code == ExitIncomplete;
      if (!Quiet)
        llvm::errs() << "authtoken-migrate: " << Entry.Name << ": " << Run.Result.Findings.size()
                     << " finding(s) in " << Run.Result.Stats.FilesScanned
                     << " scanned file(s) -> " << Path << "\n";
    }
    Ctx.Repository = Info;
    std::string Json;
    llvm::raw_string_ostream OS(Json);
    writeJson(OS, Run.Result, Ctx);
    OS.flush();
    if (auto Err = writeFileAtomically(Path, Json))
      return failErr(std::move(Err));
    for (size_t I = 0; I < Severities.size(); ++I)
      Rules->Rules[I].Sev = Severities[I];
  }
  if (!Quiet)
    llvm::errs() << "authtoken-migrate: " << Scanned << " repositor" << (Scanned == 1 ? "y" : "ies")
                 << " scanned, " << Failed << " failed (shard " << ShardI << "/" << ShardN
                 << " of " << List->size() << " listed)\n";
  if (AnyFindings)
    return ExitFindings;
  return AnyFailed && FailOnIncomplete ? ExitIncomplete : ExitClean;
}

} // namespace atm::cli
