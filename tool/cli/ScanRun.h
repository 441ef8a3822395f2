#pragma once
/// \file
/// The part of `scan` that turns its options into a ScanResult (ScanCommand.cpp), shared
/// with the subcommands that must scan exactly as `scan` does (`baseline`: same
/// discovery, rules, front ends and root). The scan options that make sense for them
/// are registered under their subcommands too (cl::sub(…) more than once).

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/TextEdit.h"
#include "gate/Config.h"
#include "rules/Rule.h"
#include "scan/Scanner.h"
#include "llvm/Support/CommandLine.h"

namespace atm::syntax {
class ParsedFiles;
} // namespace atm::syntax

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
  /// The syntax front end's trees and models, kept for the fix plan that marks the
  /// findings fixable (released after it).
  std::shared_ptr<syntax::ParsedFiles> Parsed;
  /// Input: the process exits right after this scan's reports (a single `scan`): its
  /// front ends, trees and findings are left to the exit to free, as clang's
  /// -disable-free does (their destructors cost a tenth of a warm scan and free nothing
  /// anyone uses). Never for a scan of many (`--repos-from`).
  bool FreeAtExit = false;
  /// Input: false for subcommands that scan files only (`-`, standard input, is refused).
  bool AllowStdin = true;
  /// Input: the scan root (instead of --root or the default), e.g. one repository of
  /// `scan --repos-from`.
  std::string RootOverride;
  /// Input: rules loaded once for many scans (`scan --repos-from`), used instead of
  /// loading and compiling the rule files again (Rules stays empty). A configuration
  /// file's severity overrides change them: the caller restores them between scans.
  RuleSet *SharedRules = nullptr;
  /// The rules in force: SharedRules, else Rules.
  RuleSet &rules() { return SharedRules ? *SharedRules : *Rules; }
};

/// Reads the scan options (of whichever subcommand was selected), runs the scan and
/// fills \p Run. Returns 0, or the exit code (2) after printing the error.
int scanFromOptions(ScanRun &Run);

/// `authtoken-migrate baseline` (BaselineCommand.cpp), created on first use so that the
/// scan options of ScanCommand.cpp can register under it whatever the static
/// initialisation order of the two files.
llvm::cl::SubCommand &baselineSubCommand();

/// `authtoken-migrate report` (ReportCommand.cpp), created on first use like
/// baselineSubCommand(); it takes the same scan options as `baseline`.
llvm::cl::SubCommand &reportSubCommand();

/// Marks the findings `fix` would rewrite (Finding::Fixable, FixNote: what the edit does,
/// or why there is none), as `scan` does unless --no-fix-plan; a no-op in a build
/// without tool/fix.
void markFixablePlan(ScanRun &Run);

/// The PATH arguments and the --as-of value given to the selected subcommand (for
/// `report --from`, which does not scan).
std::vector<std::string> scanPathsOption();
std::string asOfOption();

} // namespace atm::cli
