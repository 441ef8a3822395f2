#include "gate/RuleTest.h"

#include <algorithm>
#include <set>

#include "lang/Language.h"
#include "rules/Rule.h"
#include "scan/Scanner.h"
#ifdef ATM_HAVE_SYNTAX_FRONTEND
#include "detect/SyntaxFrontend.h"
#endif
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

namespace atm {

unsigned RuleTestResult::failures() const {
  unsigned N = 0;
  for (const FixtureOutcome &F : Fixtures)
    N += !F.passed();
  return N;
}

namespace {

llvm::Error error(const std::string &Msg) {
  return llvm::createStringError(std::errc::invalid_argument, "%s", Msg.c_str());
}

bool isYaml(llvm::StringRef P) { return P.endswith(".yaml") || P.endswith(".yml"); }

/// What a file of DIR is (see RuleTest.h).
enum class Role { Rule, Fixture, Skip };

Role roleOf(llvm::StringRef Rel) {
  llvm::StringRef Name = llvm::sys::path::filename(Rel);
  std::string Lower = Name.lower();
  llvm::StringRef L(Lower);
  if (L.endswith(".expect") || L.contains(".fixed.") || L.startswith("readme") ||
      L.startswith("license"))
    return Role::Skip;
  if (Rel.startswith("fixtures/"))
    return Role::Fixture;
  if (isYaml(L) && !L.endswith(".test.yaml") && !L.endswith(".test.yml"))
    return Role::Rule;
  return Role::Fixture;
}

/// The files of \p Dir relative to it, sorted, without hidden files and folders.
llvm::Expected<std::vector<std::string>> listDir(const std::string &Dir) {
  std::vector<std::string> Out;
  std::error_code EC;
  for (llvm::sys::fs::recursive_directory_iterator It(Dir, EC), End; It != End && !EC;
       It.increment(EC)) {
    llvm::StringRef P = It->path();
    llvm::StringRef Name = llvm::sys::path::filename(P);
    if (Name.startswith(".")) {
      It.no_push();
      continue;
    }
    llvm::sys::fs::file_status St;
    if (llvm::sys::fs::status(P, St) || !llvm::sys::fs::is_regular_file(St))
      continue;
    llvm::StringRef Rel = P.substr(Dir.size());
    Rel = Rel.ltrim('/');
    Out.push_back(Rel.str());
  }
  if (EC)
    return error(Dir + ": cannot list: " + EC.message());
  std::sort(Out.begin(), Out.end());
  return Out;
}

} // namespace

llvm::Expected<RuleTestResult> runRuleTests(const RuleTestOptions &Opts) {
  std::string Dir = llvm::StringRef(Opts.Dir).rtrim('/').str();
  if (Dir.empty())
    Dir = Opts.Dir.empty() ? "." : "/";
  if (!llvm::sys::fs::is_directory(Dir))
    return error(Opts.Dir + ": not a directory; 'rules test DIR' takes the directory that "
                            "holds your rule files and annotated fixtures");
  auto Files = listDir(Dir);
  if (!Files)
    return Files.takeError();

  // Paths as the user gave them, without a leading "./".
  auto Shown = [&](const std::string &Rel) { return Dir == "." ? Rel : Dir + "/" + Rel; };
  RuleTestResult Res;
  std::vector<RuleSource> Sources = builtinRuleSources();
  std::set<std::string> UserFiles;
  std::vector<std::string> FixtureRels;
  for (const std::string &Rel : *Files) {
    std::string Path = Shown(Rel);
    switch (roleOf(Rel)) {
    case Role::Skip:
      break;
    case Role::Fixture:
      FixtureRels.push_back(Rel);
      break;
    case Role::Rule: {
      auto Buf = llvm::MemoryBuffer::getFile(Path, /*IsText=*/true);
      if (!Buf)
        return error(Path + ": cannot read: " + Buf.getError().message());
      Res.RuleFiles.push_back(Path);
      UserFiles.insert(Path);
      Sources.push_back({Path, (*Buf)->getBuffer().str()});
      break;
    }
    }
  }
  auto Extra = readRuleDirs(Opts.RuleDirs);
  if (!Extra)
    return Extra.takeError();
  for (RuleSource &S : *Extra) {
    Res.RuleFiles.push_back(S.Path);
    UserFiles.insert(S.Path);
    Sources.push_back(std::move(S));
  }
  auto RulesOr = buildRuleSet(std::move(Sources));
  if (!RulesOr)
    return RulesOr.takeError();
  const RuleSet &Rules = *RulesOr;
  for (const Rule &R : Rules.Rules)
    if (UserFiles.count(R.File))
      Res.RuleIds.push_back(R.Id);
  std::sort(Res.RuleIds.begin(), Res.RuleIds.end());
  if (FixtureRels.empty())
    return error(Opts.Dir + ": no fixture files (files beside the rules, or under fixtures/, "
                            "with EXPECT:/OK: annotations)");

  // Read every fixture first: a malformed annotation or an unknown rule is bad input,
  // reported before anything runs.
  struct Loaded {
    std::string Rel, Text;
    Language Lang;
    std::vector<fixtures::Annotation> Anns;
  };
  std::vector<Loaded> Fixtures;
  std::set<std::string> RunIds(Res.RuleIds.begin(), Res.RuleIds.end());
  for (const std::string &Rel : FixtureRels) {
    Loaded F;
    F.Rel = Rel;
    std::string Err;
    if (!fixtures::readFixture(Dir, Rel, F.Text, F.Anns, Err))
      return error(Dir == "." ? Err : Dir + "/" + Err);
    for (const fixtures::Annotation &A : F.Anns) {
      if (!Rules.find(A.Rule))
        return error(Shown(Rel) + (A.Sidecar ? ".expect:" : ":") +
                     std::to_string(A.AnnotationLine) + ": unknown rule '" + A.Rule +
                     "' (not in DIR, --rules or the built-in rules)");
      RunIds.insert(A.Rule);
    }
    F.Lang = detectLanguage(Rel, llvm::StringRef(F.Text).take_front(4096));
    if (F.Lang == Language::Unknown)
      return error(Shown(Rel) + ": not a fixture: no language for this file (a binary "
                                     "format's extension?); move it out of DIR");
    Fixtures.push_back(std::move(F));
  }

  EngineOptions EO = Opts.Engine;
  EO.OnlyRules.assign(RunIds.begin(), RunIds.end());
  if (EO.OnlyRules.empty())
    return error(Opts.Dir + ": no rules to test: no rule files in DIR or --rules, and no "
                            "annotation names a rule");
  RuleEngine Engine(Rules, EO);
#ifdef ATM_HAVE_SYNTAX_FRONTEND
  std::unique_ptr<SyntaxFrontend> Syntax;
  if (Opts.Syntax) {
    Syntax = std::make_unique<SyntaxFrontend>(Rules, EO, SyntaxFrontendOptions{1});
    if (auto E = Syntax->queryErrors())
      return E;
    // A user rule's queries are compiled now, for every grammar it names.
    bool UserQueries = llvm::any_of(Rules.Rules, [&](const Rule &R) {
      return UserFiles.count(R.File) && !R.SyntaxQueries.empty();
    });
    if (UserQueries)
      if (auto E = Syntax->checkRules())
        return E;
  }
#endif

  for (Loaded &F : Fixtures) {
    FileResult FR = Engine.scan(F.Rel, F.Lang, F.Text);
#ifdef ATM_HAVE_SYNTAX_FRONTEND
    if (Syntax && Syntax->handles(F.Lang)) {
      std::vector<BatchFrontend::Input> In{{Dir + "/" + F.Rel, F.Rel, F.Lang,
                                            std::move(FR.Findings), !FR.PrefilterRejected,
                                            F.Text}};
      std::vector<Finding> Out;
      std::vector<std::string> Notes;
      Syntax->run(In, Out, Notes);
      FR.Findings.clear();
      for (Finding &Fd : Out)
        if (Fd.Path == F.Rel)
          FR.Findings.push_back(std::move(Fd));
    }
#endif
    // Only the user's rules and the rules this fixture names count here.
    std::set<std::string> Mine(Res.RuleIds.begin(), Res.RuleIds.end());
    for (const fixtures::Annotation &A : F.Anns)
      Mine.insert(A.Rule);
    llvm::erase_if(FR.Findings, [&](const Finding &Fd) { return !Mine.count(Fd.RuleId); });
    FixtureOutcome O;
    O.Path = Shown(F.Rel);
    O.Rel = F.Rel;
    O.Expected = llvm::count_if(
        F.Anns, [](const fixtures::Annotation &A) { return A.K == fixtures::Annotation::Expect; });
    O.Findings = FR.Findings.size();
    O.Problems = fixtures::compareFindings(F.Anns, FR.Findings);
    Res.Fixtures.push_back(std::move(O));
  }
#ifdef ATM_HAVE_SYNTAX_FRONTEND
  if (Syntax)
    if (auto E = Syntax->queryErrors())
      return E;
#endif
  return Res;
}

} // namespace atm

#include "llvm/Support/raw_ostream.h"

namespace atm {

void writeRuleTestReport(llvm::raw_ostream &OS, const RuleTestResult &R) {
  for (const FixtureOutcome &F : R.Fixtures) {
    OS << (F.passed() ? "PASS " : "FAIL ") << F.Path << " (" << F.Expected << " expected, "
       << F.Findings << " found)\n";
    for (const fixtures::FixtureProblem &P : F.Problems) {
      OS << "  " << F.Path << (P.Sidecar ? ".expect" : "") << ":" << P.Line;
      if (P.K == fixtures::FixtureProblem::Unexpected)
        OS << ":" << P.Column;
      OS << ": " << P.What << "\n";
      if (P.K == fixtures::FixtureProblem::Unexpected)
        OS << "      " << llvm::StringRef(P.Source).trim() << "\n";
    }
  }
  unsigned Failed = R.failures();
  OS << R.Fixtures.size() << (R.Fixtures.size() == 1 ? " fixture: " : " fixtures: ")
     << R.Fixtures.size() - Failed << " passed, " << Failed << " failed (rules:";
  if (R.RuleIds.empty())
    OS << " built-in only";
  for (const std::string &Id : R.RuleIds)
    OS << " " << Id;
  OS << ")\n";
}

} // namespace atm
