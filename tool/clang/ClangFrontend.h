#pragma once
/// \file
/// The C, C++ and Objective-C front end: parses the candidate translation units with
/// Clang (compile_commands.json, or a fallback command line), runs the AST detectors of
/// the `detector:` rules in rules/cpp/, reports findings at their spelling locations
/// (headers once, however many translation units include them) and collects fixes as
/// Clang-free edits. This header is Clang-free: the CLI includes it without Clang flags.

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/TextEdit.h"
#include "rules/RuleEngine.h"
#include "scan/Frontend.h"
#include "llvm/Support/Error.h"

namespace atm {

struct ClangFrontendOptions {
  /// -p: directory holding compile_commands.json; empty = look upwards from each file.
  std::string CompileDbDir;
  /// --extra-arg: appended to every compile command (repeatable).
  std::vector<std::string> ExtraArgs;
  /// Parser threads; 0 = one per core.
  unsigned Jobs = 0;
  /// Clang's resource directory (builtin headers such as stddef.h); empty = the one of
  /// the Clang this tool was built with.
  std::string ResourceDir;
  /// Endpoints that died with the authtoken (CRM API v1, Creator v1, …): given the text
  /// of a finding's line and of the lines its fix edits, the advice to port the call, or
  /// "" (the fix stage's deadEndpoint). A finding it names keeps no fix (neither `fix`
  /// nor `--export-fixes` patches a dead call); its note gives the advice. Unset: no check.
  std::function<std::string(const std::string &)> RetiredEndpoint;
};

/// Counters for the summary and the benchmark.
struct ClangFrontendStats {
  unsigned TranslationUnits = 0; ///< parsed (attempted)
  unsigned ParseFailures = 0;    ///< fell back to the lexer result
  unsigned HeadersViaTUs = 0;    ///< candidate headers covered by a parsed TU
  unsigned HeadersAlone = 0;     ///< candidate headers no TU included, parsed on their own
  unsigned HeadersFallback = 0;  ///< …of which did not parse alone (lexer result used)
  unsigned WithCompileDb = 0;    ///< TUs whose command came from compile_commands.json
  double ParseSeconds = 0;
};

class ClangFrontend : public BatchFrontend {
public:
  ClangFrontend(const RuleSet &Rules, EngineOptions Opts, ClangFrontendOptions FO);
  ~ClangFrontend() override;

  bool handles(Language L) const override;
  void run(std::vector<Input> &Files, std::vector<Finding> &Out,
           std::vector<std::string> &Notes) override;

  /// Fixes of the findings reported by the last run(), in finding order.
  const std::vector<FindingFix> &fixes() const;
  const ClangFrontendStats &stats() const;

  /// Writes the fixes as clang-tidy's `--export-fixes` YAML (TranslationUnitDiagnostics,
  /// absolute paths, byte offsets) that clang-apply-replacements reads, and reads it
  /// back to validate it (clang-apply-replacements skips malformed files silently).
  llvm::Error writeExportFixes(const std::string &Path) const;

private:
  struct Impl;
  std::unique_ptr<Impl> P;
};

} // namespace atm
