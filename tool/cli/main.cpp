/// \file
/// authtoken-migrate: the only place that touches argv, llvm::cl globals, the
/// terminal and the process exit code. Everything else is library code.

#include <atomic>
#include <chrono>
#include <memory>
#include <cstdlib>
#include <string>

#include "cli/Commands.h"
#include "core/Text.h"
#include "helpers/Helpers.h"
#include "report/Report.h"
#include "rules/Rule.h"
#include "scan/Scanner.h"
#ifdef ATM_HAVE_CLANG
#include "clang/ClangFrontend.h"
#endif
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/raw_ostream.h"

#ifndef ATM_VERSION
#define ATM_VERSION "0.0.0"
#endif

namespace cl = llvm::cl;
using namespace atm;

namespace {

cl::OptionCategory ScanCat("Scan options");
cl::SubCommand ScanCmd("scan", "Scan files and directories for legacy Zoho authtoken usage");
cl::SubCommand RulesCmd("rules", "List the rules ('rules list') or show one ('rules show ID')");

cl::list<std::string> ScanPaths(cl::Positional, cl::desc("[PATH...]"), cl::sub(ScanCmd));
enum class Format { Text, Json, Sarif };
cl::opt<Format> OutFormat("format", cl::desc("Output format"), cl::init(Format::Text),
                          cl::values(clEnumValN(Format::Text, "text", "clang-style diagnostics and a summary"),
                                     clEnumValN(Format::Json, "json", "versioned JSON (README: JSON output)"),
                                     clEnumValN(Format::Sarif, "sarif", "SARIF 2.1.0")),
                          cl::sub(ScanCmd), cl::cat(ScanCat));
cl::opt<std::string> OutFile("output", cl::desc("Write the report to FILE (atomically) instead of stdout"),
                             cl::value_desc("FILE"), cl::sub(ScanCmd), cl::cat(ScanCat));
cl::opt<std::string> AsOf("as-of", cl::desc("Compute deadline status as of this date (default: today, UTC)"),
                          cl::value_desc("YYYY-MM-DD"), cl::sub(ScanCmd), cl::cat(ScanCat));
cl::opt<std::string> FailOn("fail-on",
                            cl::desc("Exit 1 when a finding is at or above: none|note|warning|error|critical (default warning)"),
                            cl::init("warning"), cl::value_desc("LEVEL"), cl::sub(ScanCmd), cl::cat(ScanCat));
cl::list<std::string> RuleDirs("rules", cl::desc("Extra rule directory (repeatable); its catalog/products.yaml and same-id rules override the built-in ones"),
                               cl::value_desc("DIR"), cl::sub(ScanCmd), cl::sub(RulesCmd), cl::cat(ScanCat));
cl::list<std::string> OnlyRule("rule", cl::desc("Run only this rule id (repeatable)"), cl::value_desc("ID"),
                               cl::sub(ScanCmd), cl::cat(ScanCat));
cl::list<std::string> Includes("include", cl::desc("Only scan files matching GLOB (repeatable)"),
                               cl::value_desc("GLOB"), cl::sub(ScanCmd), cl::cat(ScanCat));
cl::list<std::string> Excludes("exclude", cl::desc("Skip files and directories matching GLOB (repeatable)"),
                               cl::value_desc("GLOB"), cl::sub(ScanCmd), cl::cat(ScanCat));
cl::opt<bool> NoIgnore("no-ignore", cl::desc("Do not honour .gitignore, .ignore and .git/info/exclude"),
                       cl::sub(ScanCmd), cl::cat(ScanCat));
cl::opt<bool> Follow("follow", cl::desc("Follow symbolic links (loops are detected)"), cl::sub(ScanCmd),
                     cl::cat(ScanCat));
cl::opt<unsigned> Jobs("jobs", cl::desc("Worker threads (default: one per core)"), cl::init(0),
                       cl::value_desc("N"), cl::sub(ScanCmd), cl::cat(ScanCat));
cl::opt<std::string> MaxFileSize("max-file-size", cl::desc("Skip files larger than this (suffixes K, M, G; 0 = no limit; default 8M)"),
                                 cl::init("8M"), cl::value_desc("BYTES"), cl::sub(ScanCmd), cl::cat(ScanCat));
cl::opt<bool> ShowSecrets("show-secrets", cl::desc("Print token values unmasked in snippets (off by default)"),
                          cl::sub(ScanCmd), cl::cat(ScanCat));
cl::opt<bool> Quiet("quiet", cl::desc("Text output: findings only, no summary and no progress line"),
                    cl::sub(ScanCmd), cl::cat(ScanCat));
enum class ColorMode { Auto, Always, Never };
cl::opt<ColorMode> Color("color", cl::desc("Colour the text output"), cl::init(ColorMode::Auto),
                         cl::values(clEnumValN(ColorMode::Auto, "auto", "when stdout is a terminal"),
                                    clEnumValN(ColorMode::Always, "always", "always"),
                                    clEnumValN(ColorMode::Never, "never", "never")),
                         cl::sub(ScanCmd), cl::cat(ScanCat));

cl::OptionCategory ClangCat("C, C++ and Objective-C options (Clang front end)");
cl::opt<std::string> CompileDb("p", cl::desc("Directory holding compile_commands.json (default: the nearest one above each file)"),
                               cl::value_desc("DIR"), cl::sub(ScanCmd), cl::cat(ClangCat));
cl::list<std::string> ExtraArgs("extra-arg", cl::desc("Append this argument to every compiler command line (repeatable)"),
                                cl::value_desc("ARG"), cl::sub(ScanCmd), cl::cat(ClangCat));
cl::opt<std::string> ExportFixes("export-fixes", cl::desc("Write the C/C++/Objective-C fixes as YAML for clang-apply-replacements"),
                                 cl::value_desc("FILE"), cl::sub(ScanCmd), cl::cat(ClangCat));
cl::opt<bool> NoClang("no-clang", cl::desc("Scan C, C++ and Objective-C with the lexer rules only (no parsing)"),
                      cl::sub(ScanCmd), cl::cat(ClangCat));

cl::list<std::string> RulesArgs(cl::Positional, cl::desc("list | show ID"), cl::sub(RulesCmd));

cl::SubCommand HelperCmd("helper", "Write a generated OAuth token-refresh helper for a language");
cl::opt<std::string> HelperLang("lang", cl::desc("Language of the helper (see --list)"), cl::value_desc("LANG"),
                                cl::sub(HelperCmd));
cl::opt<std::string> HelperOut("out", cl::desc("Directory to write into (default: .)"), cl::init("."),
                               cl::value_desc("DIR"), cl::sub(HelperCmd));
cl::opt<std::string> HelperNamespace("namespace", cl::desc("Namespace / package / module name for the helper"),
                                     cl::value_desc("NAME"), cl::sub(HelperCmd));
cl::alias HelperPackage("package", cl::desc("Alias for --namespace"), cl::aliasopt(HelperNamespace));
cl::opt<bool> HelperForce("force", cl::desc("Overwrite files that were changed since they were generated"),
                          cl::sub(HelperCmd));
cl::opt<bool> HelperList("list", cl::desc("List the languages that have a helper"), cl::sub(HelperCmd));

cl::SubCommand LexCmd("lex", "Show how a file is split into code/string/comment/config spans (for rule authors)");
cl::opt<std::string> LexFile(cl::Positional, cl::desc("FILE"), cl::Required, cl::sub(LexCmd));

int fail(const llvm::Twine &Msg) {
  llvm::errs() << "authtoken-migrate: error: " << Msg << "\n";
  return 2;
}

int failErr(llvm::Error E) {
  std::string Msg = llvm::toString(std::move(E));
  return fail(Msg);
}

llvm::Expected<RuleSet> loadRules() {
  std::vector<RuleSource> Sources = builtinRuleSources();
  auto Extra = readRuleDirs(RuleDirs);
  if (!Extra)
    return Extra.takeError();
  for (RuleSource &S : *Extra)
    Sources.push_back(std::move(S));
  return buildRuleSet(std::move(Sources));
}

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

/// Writes \p Content to \p Path through a temporary file and a rename, so a reader
/// never sees a half-written report.
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

int runScanCommand() {
  ScanOptions Opts;
  if (!ScanPaths.empty())
    Opts.Paths.assign(ScanPaths.begin(), ScanPaths.end());
  if (!AsOf.empty()) {
    auto D = Date::parse(AsOf);
    if (!D)
      return fail("--as-of: expected a date YYYY-MM-DD, got '" + AsOf + "'");
    Opts.Engine.AsOf = *D;
  }
  std::optional<Severity> Threshold;
  if (FailOn != "none") {
    Threshold = parseSeverity(FailOn);
    if (!Threshold)
      return fail("--fail-on: expected none, note, warning, error or critical, got '" +
                  FailOn + "'");
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
  for (const std::string &P : Opts.Paths)
    if (!llvm::sys::fs::exists(P))
      return fail(P + ": no such file or directory");

  auto RulesOr = loadRules();
  if (!RulesOr)
    return failErr(RulesOr.takeError());
  for (const std::string &Id : OnlyRule)
    if (!RulesOr->find(Id))
      return fail("--rule: unknown rule id '" + Id + "' (see 'authtoken-migrate rules list')");
  Opts.Engine.OnlyRules.assign(OnlyRule.begin(), OnlyRule.end());

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
    Clang = std::make_unique<ClangFrontend>(*RulesOr, Opts.Engine, FO);
    Opts.Frontends.push_back(Clang.get());
  }
#else
  if (!ExportFixes.empty() || !CompileDb.empty() || !ExtraArgs.empty())
    return fail("this build has no Clang front end (-p, --extra-arg, --export-fixes need it)");
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
  ScanResult Result = runScan(*RulesOr, Opts);
  if (Drew)
    llvm::errs() << "\r\x1b[K";

#ifdef ATM_HAVE_CLANG
  if (!ExportFixes.empty()) {
    if (auto E = Clang->writeExportFixes(ExportFixes))
      return failErr(std::move(E));
  }
#endif

  ReportContext Ctx;
  Ctx.ToolVersion = ATM_VERSION;
  Ctx.AsOf = Opts.Engine.AsOf;
  Ctx.Rules = &*RulesOr;
  Ctx.Quiet = Quiet;
  bool ToStdout = OutFile.empty() || OutFile == "-";
  Ctx.Color = OutFormat == Format::Text &&
              (Color == ColorMode::Always ||
               (Color == ColorMode::Auto && ToStdout &&
                llvm::sys::Process::StandardOutIsDisplayed()));
  std::string Buffer;
  {
    llvm::raw_string_ostream OS(Buffer);
    if (Ctx.Color)
      OS.enable_colors(true);
    switch (OutFormat) {
    case Format::Text: writeText(OS, Result, Ctx); break;
    case Format::Json: writeJson(OS, Result, Ctx); break;
    case Format::Sarif: writeSarif(OS, Result, Ctx); break;
    }
  }
  if (ToStdout) {
    llvm::outs() << Buffer;
    llvm::outs().flush();
  } else if (auto E = writeAtomically(OutFile, Buffer)) {
    return failErr(std::move(E));
  }
  if (Threshold)
    for (const Finding &F : Result.Findings)
      if (F.Sev >= *Threshold)
        return 1;
  return 0;
}

int runRulesCommand() {
  auto RulesOr = loadRules();
  if (!RulesOr)
    return failErr(RulesOr.takeError());
  if (RulesArgs.empty() || RulesArgs[0] == "list") {
    for (const Rule &R : RulesOr->Rules)
      llvm::outs() << llvm::formatv("{0,-40} {1,-8} {2}\n", R.Id, severityName(R.Sev), R.Title);
    return 0;
  }
  if (RulesArgs[0] == "show") {
    if (RulesArgs.size() != 2)
      return fail("usage: authtoken-migrate rules show RULE-ID");
    const Rule *R = RulesOr->find(RulesArgs[1]);
    if (!R)
      return fail("unknown rule id '" + RulesArgs[1] + "' (see 'authtoken-migrate rules list')");
    llvm::raw_ostream &OS = llvm::outs();
    OS << "id:        " << R->Id << "\n";
    OS << "title:     " << R->Title << "\n";
    OS << "severity:  " << severityName(R->Sev) << "\n";
    OS << "message:   " << R->Message << "\n";
    OS << "languages:";
    for (Language L : R->Languages)
      OS << " " << languageName(L);
    OS << "\napplies in:";
    for (SpanKind K : R->AppliesIn)
      OS << " " << spanKindName(K);
    OS << "\nprefilter:";
    for (const std::string &P : R->Prefilter)
      OS << " " << P;
    OS << "\npatterns:\n";
    for (const std::string &P : R->PatternSources)
      OS << "  " << P << "\n";
    for (const ContextCheck &C : R->RequireAny)
      OS << "requires (window " << (C.Window < 0 ? std::string("file") : std::to_string(C.Window))
         << "): " << C.Source << "\n";
    for (const ContextCheck &C : R->RequireAll)
      OS << "requires all (window " << (C.Window < 0 ? std::string("file") : std::to_string(C.Window))
         << "): " << C.Source << "\n";
    for (const ContextCheck &C : R->Reject)
      OS << "rejects (window " << (C.Window < 0 ? std::string("file") : std::to_string(C.Window))
         << "): " << C.Source << "\n";
    if (!R->Product.empty())
      OS << "product:   " << R->Product << "\n";
    if (!R->Detector.empty())
      OS << "detector:  " << R->Detector << "\n";
    OS << "fix:       " << R->FixKind << "\n";
    if (!R->HelpUri.empty())
      OS << "help-uri:  " << R->HelpUri << "\n";
    OS << "file:      " << R->File << "\n";
    if (!R->Help.empty())
      OS << "\n" << R->Help << "\n";
    return 0;
  }
  return fail("rules: unknown action '" + RulesArgs[0] + "'; use 'list' or 'show ID'");
}

int runHelperCommand() {
  if (HelperList) {
    for (const std::string &L : helperLanguages())
      llvm::outs() << L << "\n";
    return 0;
  }
  if (HelperLang.empty())
    return fail("helper: --lang is required (see 'authtoken-migrate helper --list')");
  HelperOptions O;
  O.Lang = HelperLang;
  O.OutDir = HelperOut;
  O.Namespace = HelperNamespace;
  O.Force = HelperForce;
  O.ToolVersion = ATM_VERSION;
  if (auto E = writeHelper(O, llvm::outs()))
    return failErr(std::move(E));
  return 0;
}

int runLexCommand() {
  auto Buf = llvm::MemoryBuffer::getFile(LexFile, false, false);
  if (!Buf)
    return fail(LexFile + ": cannot read: " + Buf.getError().message());
  llvm::StringRef Text = (*Buf)->getBuffer();
  Language L = detectLanguage(LexFile, Text.take_front(4096));
  llvm::outs() << LexFile << ": language " << languageName(L) << "\n";
  if (L == Language::Unknown)
    return 0;
  LineIndex Lines(Text);
  SpanMap Spans = lex(L, Text);
  for (const Span &S : Spans.spans()) {
    if (S.Kind == SpanKind::Code && Text.slice(S.Begin, S.End).trim().empty())
      continue;
    Position P = Lines.position(S.Begin);
    std::string Shown = Text.slice(S.Begin, S.End).take_front(70).str();
    for (char &C : Shown)
      if (C == '\n' || C == '\r' || C == '\t')
        C = ' ';
    llvm::outs() << llvm::formatv("{0,5}:{1,-4} {2,-12} {3}\n", P.Line, P.Column,
                                  spanKindName(S.Kind), Shown);
  }
  return 0;
}

} // namespace

int main(int argc, char **argv) {
  cl::SetVersionPrinter([](llvm::raw_ostream &OS) { OS << "authtoken-migrate " << ATM_VERSION << "\n"; });
  std::string Errors;
  llvm::raw_string_ostream ErrOS(Errors);
  bool Ok = cl::ParseCommandLineOptions(
      argc, argv,
      "authtoken-migrate: find and migrate Zoho legacy authtoken usage to OAuth 2.0\n\n"
      "  authtoken-migrate scan [options] [PATH...]\n"
      "  authtoken-migrate rules list | rules show ID\n"
      "  authtoken-migrate helper --lang LANG [--out DIR] [--namespace NAME]\n"
      "  authtoken-migrate mock-server [options]\n\n"
      "Run 'authtoken-migrate SUBCOMMAND --help' for a subcommand's options.\n",
      &ErrOS);
  ErrOS.flush();
  if (!Ok) {
    llvm::StringRef E = llvm::StringRef(Errors).trim();
    llvm::errs() << E << "\n";
    llvm::errs() << "authtoken-migrate: usage error; run 'authtoken-migrate --help'\n";
    return 2;
  }
  if (ScanCmd)
    return runScanCommand();
  if (RulesCmd)
    return runRulesCommand();
  if (LexCmd)
    return runLexCommand();
  if (HelperCmd)
    return runHelperCommand();
  if (atm::cli::mockServerSelected())
    return atm::cli::runMockServer();
  llvm::errs() << "authtoken-migrate: no subcommand given; run 'authtoken-migrate --help'\n";
  return 2;
}
