#pragma once
/// \file
/// One file per subcommand in tool/cli/. Each defines its llvm::cl::SubCommand and options
/// (cl::sub(ThatSubCommand)) as file-static globals and exposes the two functions below;
/// main.cpp parses argv once and dispatches.

namespace atm::cli {

/// `authtoken-migrate scan …` (ScanCommand.cpp).
bool scanSelected();
int runScan();

/// `authtoken-migrate baseline [PATH...] --output FILE [--update]` (BaselineCommand.cpp).
bool baselineSelected();
int runBaseline();

/// `authtoken-migrate report [PATH...] --output FILE [--format html|markdown] [--from
/// scan.json]` (ReportCommand.cpp; report/Html.h).
bool reportSelected();
int runReport();

/// `authtoken-migrate fix …` (FixCommand.cpp; only when tool/fix is built).
bool fixSelected();
int runFix();

/// `authtoken-migrate rules list|show ID|test DIR` (RulesCommand.cpp; test: gate/RuleTest.h).
bool rulesSelected();
int runRules();

/// `authtoken-migrate helper …` (HelperCommand.cpp).
bool helperSelected();
int runHelper();

/// `authtoken-migrate lex FILE` (LexCommand.cpp).
bool lexSelected();
int runLex();

/// `authtoken-migrate syntax FILE` (SyntaxCommand.cpp; only when tool/syntax is built).
bool syntaxSelected();
int runSyntax();

/// `authtoken-migrate config dump|check` (ConfigCommand.cpp).
bool configSelected();
int runConfig();

/// `authtoken-migrate mock-server …` (MockServerCommand.cpp).
bool mockServerSelected();
int runMockServer();

/// `authtoken-migrate merge REPORT.json...` (MergeCommand.cpp; report/Merge.h).
bool mergeSelected();
int runMerge();

} // namespace atm::cli
