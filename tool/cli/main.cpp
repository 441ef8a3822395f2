/// \file
/// authtoken-migrate: parses argv once and dispatches to the subcommand files of tool/cli
/// (ScanCommand.cpp, RulesCommand.cpp, HelperCommand.cpp, LexCommand.cpp,
/// MockServerCommand.cpp). Only tool/cli touches argv, llvm::cl, the terminal and the
/// process exit code; everything else is library code.

#include <string>

#include "cli/Commands.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/raw_ostream.h"

#ifndef ATM_VERSION
#define ATM_VERSION "0.0.0"
#endif

namespace cl = llvm::cl;

namespace {
/// LLVM's libraries register a few hundred options of their own (--amdgpu-…, --polly-…)
/// at the top level. They are no options of this tool: hide them from --help and from
/// "did you mean" (really-hidden options are never suggested).
void hideLibraryOptions() {
  for (auto &Entry : cl::getRegisteredOptions(*cl::TopLevelSubCommand)) {
    llvm::StringRef Name = Entry.getKey();
    if (Name == "help" || Name == "help-list" || Name == "version")
      continue;
    Entry.getValue()->setHiddenFlag(cl::ReallyHidden);
  }
}
} // namespace

int main(int argc, char **argv) {
  hideLibraryOptions();
  cl::SetVersionPrinter([](llvm::raw_ostream &OS) { OS << "authtoken-migrate " << ATM_VERSION << "\n"; });
  std::string Errors;
  llvm::raw_string_ostream ErrOS(Errors);
  bool Ok = cl::ParseCommandLineOptions(
      argc, argv,
      "authtoken-migrate: find and migrate Zoho legacy authtoken usage to OAuth 2.0\n\n"
      "  authtoken-migrate scan [options] [PATH...]     scan files and directories (default .)\n"
      "  authtoken-migrate scan [options] -             scan standard input (--stdin-filename)\n"
      "  authtoken-migrate scan --repos-from LIST --output-dir DIR [--shard I/N]\n"
      "                                                 scan many repositories (one JSON report each)\n"
      "  authtoken-migrate merge REPORT.json... [--format F] [--output FILE]\n"
      "                                                 merge per-repository reports into one\n"
      "  authtoken-migrate baseline [PATH...] --output FILE [--update]\n"
      "                                                 write the findings to a baseline file (scan --baseline)\n"
      "  authtoken-migrate report [PATH...] --output FILE [--format html|markdown] [--from scan.json]\n"
      "                                                 write a migration report (self-contained HTML)\n"
      "  authtoken-migrate fix [--write|--check] [PATH...]\n"
      "                                                 print (or apply) a patch moving calls to OAuth\n"
      "  authtoken-migrate rules list | rules show ID   list the rules, show one\n"
      "  authtoken-migrate rules test DIR [--rules DIR]\n"
      "                                                 run annotated fixtures of your own rules\n"
      "  authtoken-migrate helper --lang LANG [--out DIR] [--namespace NAME]\n"
      "                                                 write an OAuth token-refresh helper\n"
      "  authtoken-migrate config dump|check [PATH]     show / validate .authtoken-migrate.yaml\n"
      "  authtoken-migrate lex [--show-secrets] FILE    show how a file is split into spans\n"
      "  authtoken-migrate syntax [--tree] FILE         show a file's syntax-tree model\n"
      "  authtoken-migrate mock-server [options]        mock Zoho accounts + API server\n\n"
      "Run 'authtoken-migrate SUBCOMMAND --help' for a subcommand's options.\n",
      &ErrOS);
  ErrOS.flush();
  if (!Ok) {
    llvm::StringRef E = llvm::StringRef(Errors).trim();
    llvm::errs() << E << "\n";
    llvm::errs() << "authtoken-migrate: usage error; run 'authtoken-migrate --help'\n";
    return 2;
  }
  int Rc;
  if (atm::cli::scanSelected())
    Rc = atm::cli::runScan();
  else if (atm::cli::mergeSelected())
    Rc = atm::cli::runMerge();
  else if (atm::cli::baselineSelected())
    Rc = atm::cli::runBaseline();
  else if (atm::cli::reportSelected())
    Rc = atm::cli::runReport();
#ifdef ATM_HAVE_FIX
  else if (atm::cli::fixSelected())
    Rc = atm::cli::runFix();
#endif
  else if (atm::cli::rulesSelected())
    Rc = atm::cli::runRules();
  else if (atm::cli::lexSelected())
    Rc = atm::cli::runLex();
#ifdef ATM_HAVE_SYNTAX
  else if (atm::cli::syntaxSelected())
    Rc = atm::cli::runSyntax();
#endif
  else if (atm::cli::helperSelected())
    Rc = atm::cli::runHelper();
  else if (atm::cli::configSelected())
    Rc = atm::cli::runConfig();
  else if (atm::cli::mockServerSelected())
    Rc = atm::cli::runMockServer();
  else {
    llvm::errs() << "authtoken-migrate: no subcommand given; run 'authtoken-migrate --help'\n";
    return 2;
  }
  // A write error on stdout (a full disk, /dev/full) is an error exit, not LLVM's abort (rc 134)
  // from the stream's destructor.
  llvm::outs().flush();
  if (std::error_code EC = llvm::outs().error()) {
    llvm::outs().clear_error();
    llvm::errs() << "authtoken-migrate: error: cannot write to standard output: " << EC.message()
                 << "\n";
    return 2;
  }
  return Rc;
}
