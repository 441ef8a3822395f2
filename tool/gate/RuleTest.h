#pragma once
/// \file
/// `authtoken-migrate rules test DIR`: runs annotated fixtures against a user's own rules,
/// as `semgrep --test` and `sg test` do. The fixture annotations are those of the test
/// suite (rules/Annotations.h: `EXPECT:`, `OK:`, `TODO-EXPECT:` after the line).
///
/// Layout of DIR (walked recursively; names starting with '.' are skipped):
///  - `*.yaml` / `*.yml` are rule files (as `--rules DIR` reads them), except
///    `*.test.yaml` / `*.test.yml` (a YAML fixture, as in Semgrep) and everything below a
///    top-level `fixtures/` folder;
///  - every other file is a fixture, except `*.expect` sidecars (read with their file),
///    `*.fixed.*` (fix outputs), and README / LICENSE files.
/// So both the side-by-side layout (`my-rule.yaml` + `my-rule.py`) and `rules/` +
/// `fixtures/` work. Each fixture is scanned with DIR's rules and those of \p RuleDirs
/// (--rules), plus any built-in rule its annotations name; other built-in rules never run,
/// so they cannot break a user's fixture. Same-id user rules replace built-in ones.

#include <string>
#include <vector>

#include "rules/Annotations.h"
#include "rules/RuleEngine.h"
#include "llvm/Support/Error.h"

namespace atm {

struct RuleTestOptions {
  std::string Dir;
  std::vector<std::string> RuleDirs; ///< more rule directories (--rules)
  EngineOptions Engine;              ///< AsOf; OnlyRules is set per fixture
  bool Syntax = true;                ///< run the syntax-tree front end where it applies
};

struct FixtureOutcome {
  std::string Path;   ///< as given: DIR/relative
  std::string Rel;    ///< relative to DIR
  unsigned Expected = 0; ///< EXPECT annotations
  unsigned Findings = 0;
  std::vector<fixtures::FixtureProblem> Problems; ///< empty: pass
  bool passed() const { return Problems.empty(); }
};

struct RuleTestResult {
  std::vector<std::string> RuleFiles; ///< the user's rule files
  std::vector<std::string> RuleIds;   ///< the rules they define, sorted
  std::vector<FixtureOutcome> Fixtures; ///< sorted by path
  unsigned failures() const;
};

/// Loads the rules and fixtures and runs every fixture. Bad input is an error naming
/// the file (and line): DIR missing, a rule file that does not load (file:line:col), a
/// malformed annotation, an annotation naming an unknown rule, a fixture of no language,
/// no fixture at all.
llvm::Expected<RuleTestResult> runRuleTests(const RuleTestOptions &Opts);

} // namespace atm

namespace llvm {
class raw_ostream;
}

namespace atm {

/// Prints one `PASS|FAIL PATH` line per fixture, the problems of each failing one
/// (`PATH:LINE[:COL]: what`, an unexpected finding's redacted line below it) and a
/// summary line.
void writeRuleTestReport(llvm::raw_ostream &OS, const RuleTestResult &R);

} // namespace atm
