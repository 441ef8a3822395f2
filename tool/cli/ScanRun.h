#pragma once
/// \file
/// The part of `scan` that turns its options into a ScanResult (ScanCommand.cpp), shared
/// with the subcommands that must scan exactly as `scan` does (`baseline`: same
/// discovery, rules, front ends and root). The scan options that make sense for them
/// are registered under their subcommands too (cl::sub(…) more than once).

#include <optional>
#include <string>

#include "core/TextEdit.h"
#include "gate/Config.h"
#include "rules/Rule.h"
#include "scan/Scanner.h"
#include "llvm/Support/CommandLine.h"

namespace atm::cli {

/// One scan: its options, rules and result.
struct ScanRun {
  ScanOptions Opts;
  std::optional<RuleSet> Rules;
  ScanResult Result;
  std::string Cwd; ///< the real current directory
  gate::Config Cfg; ///< the configuration file in force (none: defaults)
  /// The Clang front end's fixes (C, C++, Objective-C), when it ran: `scan` marks the
  /// findings `fix` would rewrite from them (fix's CppFixer uses the same edits).
  std::optional<std::vector<FindingFix>> ClangFixes;
  /// Input: false for subcommands that scan files only (`-`, standard input, is refused).
  bool AllowStdin = true;
};

/// Reads the scan options (of whichever subcommand was selected), runs the scan and
/// fills \p Run. Returns 0, or the exit code (2) after printing the error.
int scanFromOptions(ScanRun &Run);

/// `authtoken-migrate baseline` (BaselineCommand.cpp), created on first use so that the
/// scan options of ScanCommand.cpp can register under it whatever the static
/// initialisation order of the two files.
llvm::cl::SubCommand &baselineSubCommand();

} // namespace atm::cli
