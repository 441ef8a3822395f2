//===- RulesCommand.cpp - `authtoken-migrate rules list|show ID|test DIR` --===//

#include <string>

#include "cli/Cli.h"
#include "cli/Commands.h"
#include "core/Text.h"
#include "gate/RuleTest.h"
#include "llvm/ADT/StringExtras.h"
#include "rules/Rule.h"
#ifdef ATM_HAVE_SYNTAX_FRONTEND
#include "detect/SyntaxFrontend.h"
#endif
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

namespace cl = llvm::cl;
using namespace atm;
using namespace atm::cli;

namespace {

cl::SubCommand RulesCmd("rules", "List the rules ('rules list'), show one ('rules show ID') or run "
                                 "annotated fixtures of your own rules ('rules test DIR')");
cl::list<std::string> RuleDirs("rules", cl::desc("Extra rule directory (repeatable)"),
                               cl::value_desc("DIR"), cl::sub(RulesCmd));
cl::list<std::string> RulesArgs(cl::Positional, cl::desc("list | show ID | test DIR"),
                                cl::sub(RulesCmd));
cl::opt<std::string> TestAsOf("as-of",
                              cl::desc("rules test: compute deadline status as of this date (default: today, UTC)"),
                              cl::value_desc("YYYY-MM-DD"), cl::sub(RulesCmd));

/// `rules test DIR`: 0 every fixture passes, 1 one fails, 2 bad input.
int runRulesTest() {
  if (RulesArgs.size() != 2)
    return fail("usage: authtoken-migrate rules test DIR [--rules DIR...]");
  RuleTestOptions O;
  O.Dir = RulesArgs[1];
  O.RuleDirs.assign(RuleDirs.begin(), RuleDirs.end());
  if (!TestAsOf.empty()) {
    auto D = Date::parse(TestAsOf);
    if (!D)
      return fail("--as-of: expected a date YYYY-MM-DD, got '" + TestAsOf + "'");
    O.Engine.AsOf = *D;
  }
  auto R = runRuleTests(O);
  if (!R)
    return failErr(R.takeError());
  writeRuleTestReport(llvm::outs(), *R);
  return R->failures() ? 1 : 0;
}

} // namespace

namespace atm::cli {

bool rulesSelected() { return static_cast<bool>(RulesCmd); }

int runRules() {
  if (!RulesArgs.empty() && RulesArgs[0] == "test")
    return runRulesTest();
  if (!TestAsOf.empty())
    return fail("--as-of goes with 'rules test DIR'");
  auto RulesOr = loadRules(RuleDirs);
  if (!RulesOr)
    return failErr(RulesOr.takeError());
#ifdef ATM_HAVE_SYNTAX_FRONTEND
  // Every rule's tree-sitter queries, compiled for every grammar they name (a scan
  // compiles only those of the grammars it meets).
  {
    EngineOptions EO;
    SyntaxFrontend FE(*RulesOr, EO);
    if (auto E = FE.checkRules())
      return failErr(std::move(E));
  }
#endif
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
    if (!R->SyntaxQueries.empty()) {
      OS << "syntax queries (@key resolves to:";
      for (const std::string &K : R->SyntaxKeys)
        OS << " " << K;
      OS << "):\n";
      for (const SyntaxQuerySpec &Q : R->SyntaxQueries) {
        OS << "  [" << llvm::join(Q.Grammars, ", ") << "] (line " << Q.Line << ")\n";
        for (llvm::StringRef Line : llvm::split(llvm::StringRef(Q.Source).rtrim(), '\n'))
          OS << "    " << Line << "\n";
      }
    }
    for (const ContextCheck &C : R->RequireAny)
      OS << "requires (window " << C.windowName()
         << "): " << C.Source << "\n";
    for (const ContextCheck &C : R->RequireAll)
      OS << "requires all (window " << C.windowName()
         << "): " << C.Source << "\n";
    for (const ContextCheck &C : R->Reject)
      OS << "rejects (window " << C.windowName()
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
  return fail("rules: unknown action '" + RulesArgs[0] + "'; use 'list', 'show ID' or 'test DIR'");
}

} // namespace atm::cli
