//===- ReportCommand.cpp - `authtoken-migrate report` ---------------------===//
//
// The migration report (report/Html.h): scans exactly as `scan` does (the scan options
// are registered under this subcommand too, cli/ScanRun.h; `fix`'s plan marks what is
// auto-fixable) or reads a saved `scan --format json` report (--from), and writes one
// self-contained HTML file or its Markdown version, atomically. A report is not a gate:
// exit 0 whatever it finds, 2 on usage errors. README "Migration report".

#include <string>
#include <vector>

#include "cli/Cli.h"
#include "cli/Commands.h"
#include "cli/ScanRun.h"
#include "discover/Root.h"
#include "report/Html.h"
#include "report/ReadJson.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#ifndef ATM_VERSION
#define ATM_VERSION "0.0.0"
#endif

namespace cl = llvm::cl;
using namespace atm;
using namespace atm::cli;

namespace atm::cli {
cl::SubCommand &reportSubCommand() {
  static cl::SubCommand Cmd("report", "Write a migration report (self-contained HTML, or "
                                      "Markdown) of a scan or of a saved scan JSON");
  return Cmd;
}
} // namespace atm::cli

namespace {

cl::OptionCategory ReportCat("Report options");
cl::opt<std::string> Output("output",
                            cl::desc("The report file to write (required; '-' = standard output)"),
                            cl::value_desc("FILE"), cl::sub(reportSubCommand()),
                            cl::cat(ReportCat));
cl::opt<std::string> Format("format", cl::desc("html (default) or markdown"), cl::init("html"),
                            cl::value_desc("html|markdown"), cl::sub(reportSubCommand()),
                            cl::cat(ReportCat));
cl::opt<std::string> From("from",
                          cl::desc("Report on a saved `scan --format json` report instead of "
                                   "scanning ('-' = standard input)"),
                          cl::value_desc("SCAN.json"), cl::sub(reportSubCommand()),
                          cl::cat(ReportCat));
cl::opt<std::string> RepoUrl("repo-url",
                             cl::desc("Link files to this web base (http or https), e.g. "
                                      "https://github.com/org/repo/blob/<sha>/; default: local "
                                      "relative paths"),
                             cl::value_desc("URL"), cl::sub(reportSubCommand()),
                             cl::cat(ReportCat));
cl::opt<std::string> Title("title", cl::desc("The report's title"),
                           cl::init("Zoho authtoken migration report"), cl::value_desc("TEXT"),
                           cl::sub(reportSubCommand()), cl::cat(ReportCat));

/// The path components of an absolute path, '.' and '..' resolved lexically.
std::vector<std::string> components(llvm::StringRef Abs) {
  std::vector<std::string> Out;
  for (auto It = llvm::sys::path::begin(Abs, llvm::sys::path::Style::posix),
            E = llvm::sys::path::end(Abs);
       It != E; ++It) {
    llvm::StringRef C = *It;
    if (C == "/" || C == "." || C.empty())
      continue;
    if (C == "..") {
      if (!Out.empty())
        Out.pop_back();
      continue;
    }
    Out.push_back(C.str());
  }
  return Out;
}

/// \p Root as seen from directory \p Dir (both absolute): "" when equal, else a relative
/// path ending in '/'.
std::string relativeBase(llvm::StringRef Dir, llvm::StringRef Root) {
  std::vector<std::string> D = components(Dir), R = components(Root);
  size_t Common = 0;
  while (Common < D.size() && Common < R.size() && D[Common] == R[Common])
    ++Common;
  std::string Out;
  for (size_t I = Common; I < D.size(); ++I)
    Out += "../";
  for (size_t I = Common; I < R.size(); ++I)
    Out += R[I] + "/";
  return Out;
}

} // namespace

namespace atm::cli {

bool reportSelected() { return static_cast<bool>(reportSubCommand()); }

int runReport() {
  if (Output.empty())
    return fail("report: --output FILE is required (the report file to write; '-' = standard "
                "output)");
  if (Format != "html" && Format != "markdown")
    return fail("--format: expected html or markdown, got '" + Format + "'");
  llvm::StringRef Url = RepoUrl;
  if (!Url.empty() && !Url.startswith_insensitive("https://") &&
      !Url.startswith_insensitive("http://"))
    return fail("--repo-url: expected an http:// or https:// URL, got '" + RepoUrl + "'");
  std::string AsOfArg = asOfOption();
  std::optional<Date> AsOfGiven;
  if (!AsOfArg.empty()) {
    AsOfGiven = Date::parse(AsOfArg);
    if (!AsOfGiven)
      return fail("--as-of: expected a date YYYY-MM-DD, got '" + AsOfArg + "'");
  }

  HtmlReportOptions O;
  O.ToolVersion = ATM_VERSION;
  O.RepoUrl = RepoUrl;
  O.Title = Title;
  ScanResult Result;
  llvm::SmallString<256> CwdBuf;
  if (auto EC = llvm::sys::fs::current_path(CwdBuf))
    return fail("cannot determine the current directory: " + EC.message());
  std::string Cwd = realAbsolutePath(".", CwdBuf);
  if (!From.empty()) {
    if (!scanPathsOption().empty())
      return fail("report --from reads a saved scan: give no PATH to scan as well");
    auto J = readScanJson(From);
    if (!J)
      return failErr(J.takeError());
    O.Root = J->Header.Root;
    if (AsOfGiven)
      O.AsOf = *AsOfGiven;
    else if (auto D = Date::parse(J->Header.AsOf))
      O.AsOf = *D;
    else
      O.AsOf = Date::today();
    Result = std::move(J->Result);
  } else {
    ScanRun Run;
    Run.AllowStdin = false;
    if (int Rc = scanFromOptions(Run))
      return Rc;
    markFixablePlan(Run);
    O.Root = Run.Opts.Discover.Root;
    O.AsOf = Run.Opts.Engine.AsOf;
    Result = std::move(Run.Result);
  }
  // Local links: the scan root as seen from the report's directory (the current one for
  // standard output). A report without a root links paths as they are.
  if (!O.Root.empty()) {
    std::string Dir = Cwd;
    if (Output != "-") {
      llvm::StringRef Parent = llvm::sys::path::parent_path(Output);
      Dir = realAbsolutePath(Parent.empty() ? "." : Parent, Cwd);
    }
    O.LocalBase = relativeBase(Dir, O.Root);
  }

  std::string Text;
  llvm::raw_string_ostream OS(Text);
  if (Format == "markdown")
    writeMarkdownReport(OS, Result, O);
  else
    writeHtmlReport(OS, Result, O);
  OS.flush();
  if (Output == "-") {
    llvm::outs() << Text;
    return 0;
  }
  if (auto E = writeAtomically(Output, Text))
    return failErr(std::move(E));
  return 0;
}

} // namespace atm::cli
