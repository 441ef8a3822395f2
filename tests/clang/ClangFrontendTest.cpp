/// \file
/// The Clang front end (C, C++, Objective-C): the annotated fixtures under
/// fixtures/clang/cases/ (mock third-party headers in fixtures/clang/_mock/), the fixes
/// against their expected outputs (*.fixed) re-parsed for idempotence, headers shared by
/// translation units, compile_commands.json, the prefilter gate, --export-fixes read by
/// clang-apply-replacements, and the lexer fallback.

#include <map>
#include <set>

#include "clang/ClangFrontend.h"
#include "fixtures/Annotations.h"
#include "gtest/gtest.h"
#include "helpers/Helpers.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"
#include "rules/RuleEngine.h"
#include "scan/Scanner.h"

#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendAction.h"
#include "clang/Lex/Lexer.h"
#include "clang/Tooling/Tooling.h"

using namespace atm;
using fixtures::repoRules;

namespace {

const std::string ClangDir = std::string(ATM_SOURCE_DIR) + "/fixtures/clang";
const std::string CasesDir = ClangDir + "/cases";
const std::string MockDir = ClangDir + "/_mock";

std::string readFile(const std::string &Path) {
  auto Buf = llvm::MemoryBuffer::getFile(Path, false, false);
  return Buf ? (*Buf)->getBuffer().str() : std::string();
}

void writeFile(const std::string &Path, llvm::StringRef Text) {
  llvm::sys::fs::create_directories(llvm::sys::path::parent_path(Path));
  std::error_code EC;
  llvm::raw_fd_ostream OS(Path, EC);
  ASSERT_FALSE(EC) << Path << ": " << EC.message();
  OS << Text;
}

std::string tempDir(const char *Prefix) {
  llvm::SmallString<128> D;
  EXPECT_FALSE(llvm::sys::fs::createUniqueDirectory(Prefix, D));
  return std::string(D.str());
}

/// The notes that report a problem (not the "N translation units parsed" summary).
std::vector<std::string> problemNotes(const ScanResult &R) {
  std::vector<std::string> Out;
  for (const std::string &N : R.Stats.Notes)
    if (!llvm::StringRef(N).startswith("C/C++/Objective-C: "))
      Out.push_back(N);
  return Out;
}

/// One scan with the Clang front end.
struct ClangScan {
  ScanResult Result;
  std::vector<FindingFix> Fixes;
  ClangFrontendStats Stats;
  std::unique_ptr<ClangFrontend> FE;
};

ClangScan scanWithClang(const std::vector<std::string> &Paths,
                        std::vector<std::string> ExtraArgs = {"-I" + MockDir},
                        std::string CompileDb = "", std::vector<std::string> OnlyRules = {}) {
  ClangScan S;
  ScanOptions Opts;
  Opts.Paths = Paths;
  Opts.Engine.AsOf = *Date::parse("2026-01-01");
  Opts.Engine.OnlyRules = std::move(OnlyRules);
  ClangFrontendOptions FO;
  FO.ExtraArgs = std::move(ExtraArgs);
  FO.CompileDbDir = std::move(CompileDb);
  S.FE = std::make_unique<ClangFrontend>(repoRules(), Opts.Engine, FO);
  Opts.Frontends.push_back(S.FE.get());
  S.Result = runScan(repoRules(), Opts);
  S.Fixes = S.FE->fixes();
  S.Stats = S.FE->stats();
  return S;
}

const ClangScan &casesScan() {
  static ClangScan *S = new ClangScan(scanWithClang({CasesDir}));
  return *S;
}

std::vector<std::string> listCases() {
  std::vector<std::string> Out;
  std::error_code EC;
  for (llvm::sys::fs::recursive_directory_iterator It(CasesDir, EC), End; It != End && !EC;
       It.increment(EC)) {
    if (It->type() == llvm::sys::fs::file_type::directory_file)
      continue;
    llvm::StringRef P = It->path();
    if (P.endswith(".fixed"))
      continue;
    Out.push_back(P.substr(CasesDir.size() + 1).str());
  }
  std::sort(Out.begin(), Out.end());
  return Out;
}

class ClangFixture : public ::testing::TestWithParam<std::string> {};

TEST_P(ClangFixture, FindingsMatchAnnotations) {
  const std::string &Rel = GetParam();
  std::string Text, Err;
  std::vector<fixtures::Annotation> Anns;
  ASSERT_TRUE(fixtures::readFixture(CasesDir, Rel, Text, Anns, Err)) << Err;
  for (const auto &A : Anns)
    ASSERT_NE(repoRules().find(A.Rule), nullptr)
        << Rel << ":" << A.AnnotationLine << ": unknown rule '" << A.Rule << "'";
  std::vector<Finding> Mine;
  for (const Finding &F : casesScan().Result.Findings)
    if (F.Path == Rel)
      Mine.push_back(F);
  std::string Problems = fixtures::checkFindings(Rel, Anns, Mine);
  EXPECT_TRUE(Problems.empty()) << Problems;
  // Only the file made to fail may fall back to the lexer.
  for (const std::string &N : casesScan().Result.Stats.Notes)
    if (llvm::StringRef(N).startswith(Rel + ":"))
      EXPECT_EQ(Rel, "parse_error.cpp") << N;
}

std::string testName(const ::testing::TestParamInfo<std::string> &Info) {
  std::string N;
  for (char C : Info.param)
    N.push_back(llvm::isAlnum(C) ? C : '_');
  return N;
}

INSTANTIATE_TEST_SUITE_P(Cases, ClangFixture, ::testing::ValuesIn(listCases()), testName);

TEST(ClangFrontend, ParseFailureIsANoteAndTheLexerResultStays) {
  const auto &S = casesScan();
  unsigned Failures = 0;
  for (const std::string &N : S.Result.Stats.Notes)
    if (llvm::StringRef(N).contains("could not be parsed")) {
      ++Failures;
      EXPECT_NE(N.find("parse_error.cpp: could not be parsed"), std::string::npos) << N;
      EXPECT_NE(N.find("missing_config.h"), std::string::npos) << N;
    }
  EXPECT_EQ(Failures, 1u);
  EXPECT_EQ(S.Stats.ParseFailures, 1u);
}

TEST(ClangFrontend, HeaderOfTwoTranslationUnitsGivesOneFindingAndOneFix) {
  const auto &S = casesScan();
  unsigned Findings = 0, Fixes = 0;
  for (const Finding &F : S.Result.Findings)
    Findings += F.Path == "shared/zoho_api.h";
  for (const FindingFix &Fx : S.Fixes)
    Fixes += Fx.DisplayPath == "shared/zoho_api.h";
  EXPECT_EQ(Findings, 1u);
  EXPECT_EQ(Fixes, 1u);
  EXPECT_GE(S.Stats.HeadersViaTUs, 1u);
}

/// The generated C++ helper header, for re-parsing fixed files that include it.
std::string helperIncludeDir() {
  static std::string Dir = [] {
    std::string D = tempDir("atm-clang-helper");
    HelperOptions HO;
    HO.Lang = "cpp";
    auto Files = renderHelper(HO);
    if (!Files) {
      ADD_FAILURE() << llvm::toString(Files.takeError());
      return D;
    }
    for (auto &[Rel, Content] : *Files)
      writeFile(D + "/" + Rel, Content);
    return D;
  }();
  return Dir;
}


/// In each function of a (fixed) file, every libcurl request — a handle given
/// CURLOPT_URL — also gets CURLOPT_HTTPHEADER with a list that a curl_slist_append gives
/// the helper's OAuth header line (directly, or through the variable it appends).
/// Returns "line: problem" for each request that does not.
class RequestChecker : public clang::RecursiveASTVisitor<RequestChecker> {
public:
  explicit RequestChecker(clang::ASTContext &Ctx) : Ctx(Ctx), SM(Ctx.getSourceManager()) {}
  std::vector<std::string> Problems;

  bool TraverseFunctionDecl(clang::FunctionDecl *FD) {
    if (!FD->hasBody() || !SM.isInMainFile(FD->getLocation()))
      return true;
    Urls.clear();
    Headers.clear();
    OAuthLists.clear();
    OAuthVars.clear();
    Pending.clear();
    bool R = clang::RecursiveASTVisitor<RequestChecker>::TraverseFunctionDecl(FD);
    for (auto &[L, Var] : Pending)
      if (OAuthVars.count(Var))
        OAuthLists.insert(L);
    for (auto &[Handle, Line] : Urls) {
      auto It = Headers.find(Handle);
      if (It == Headers.end())
        Problems.push_back(std::to_string(Line) + ": request without CURLOPT_HTTPHEADER");
      else if (!OAuthLists.count(It->second))
        Problems.push_back(std::to_string(Line) + ": header list without the OAuth line");
    }
    return R;
  }

  bool VisitCallExpr(clang::CallExpr *CE) {
    const clang::FunctionDecl *FD = CE->getDirectCallee();
    if (!FD || !FD->getIdentifier())
      return true;
    llvm::StringRef N = FD->getName();
    if (N == "curl_easy_setopt" && CE->getNumArgs() == 3) {
      std::string Opt = text(CE->getArg(1));
      const clang::Decl *H = decl(CE->getArg(0));
      if (Opt == "CURLOPT_URL")
        Urls.push_back({H, SM.getSpellingLineNumber(CE->getBeginLoc())});
      else if (Opt == "CURLOPT_HTTPHEADER")
        Headers[H] = decl(CE->getArg(2));
    } else if (N == "curl_slist_append" && CE->getNumArgs() == 2) {
      const clang::Decl *L = decl(CE->getArg(0));
      if (!L) // l = curl_slist_append(NULL, …) / T *l = curl_slist_append(NULL, …)
        L = Assigned;
      if (helperCall(CE->getArg(1)))
        OAuthLists.insert(L);
      else
        Pending.push_back({L, decl(stripCStr(CE->getArg(1)))});
    } else if (N == "snprintf" && CE->getNumArgs() >= 3) {
      for (unsigned I = 2; I < CE->getNumArgs(); ++I)
        if (helperCall(CE->getArg(I)))
          OAuthVars.insert(decl(CE->getArg(0)));
    }
    return true;
  }

  bool TraverseVarDecl(clang::VarDecl *VD) {
    const clang::Decl *Saved = Assigned;
    Assigned = VD;
    if (VD->getInit() && helperCall(VD->getInit()))
      OAuthVars.insert(VD);
    bool R = clang::RecursiveASTVisitor<RequestChecker>::TraverseVarDecl(VD);
    Assigned = Saved;
    return R;
  }

  bool TraverseBinaryOperator(clang::BinaryOperator *BO) {
    const clang::Decl *Saved = Assigned;
    if (BO->isAssignmentOp())
      Assigned = decl(BO->getLHS());
    bool R = clang::RecursiveASTVisitor<RequestChecker>::TraverseBinaryOperator(BO);
    Assigned = Saved;
    return R;
  }

private:
  clang::ASTContext &Ctx;
  clang::SourceManager &SM;
  std::vector<std::pair<const clang::Decl *, unsigned>> Urls;
  std::map<const clang::Decl *, const clang::Decl *> Headers;
  std::set<const clang::Decl *> OAuthLists, OAuthVars;
  std::vector<std::pair<const clang::Decl *, const clang::Decl *>> Pending;
  const clang::Decl *Assigned = nullptr;

  std::string text(const clang::Expr *E) {
    return clang::Lexer::getSourceText(clang::CharSourceRange::getTokenRange(E->getSourceRange()),
                                       SM, Ctx.getLangOpts())
        .str();
  }
  static const clang::Decl *decl(const clang::Expr *E) {
    if (const auto *DR = llvm::dyn_cast<clang::DeclRefExpr>(E->IgnoreParenImpCasts()))
      return llvm::isa<clang::VarDecl>(DR->getDecl()) ? DR->getDecl()->getCanonicalDecl() : nullptr;
    return nullptr;
  }
  static const clang::Expr *stripCStr(const clang::Expr *E) {
    E = E->IgnoreParenImpCasts();
    if (const auto *MC = llvm::dyn_cast<clang::CXXMemberCallExpr>(E))
      return MC->getImplicitObjectArgument();
    return E;
  }
  bool helperCall(const clang::Stmt *S) {
    if (const auto *CE = llvm::dyn_cast<clang::CallExpr>(S))
      if (const clang::FunctionDecl *FD = CE->getDirectCallee())
        if (FD->getIdentifier() && FD->getName().endswith("authorization_header_line"))
          return true;
    for (const clang::Stmt *C : S->children())
      if (C && helperCall(C))
        return true;
    return false;
  }
};

class RequestCheckAction : public clang::ASTFrontendAction {
public:
  explicit RequestCheckAction(std::vector<std::string> &Out) : Out(Out) {}
  std::unique_ptr<clang::ASTConsumer> CreateASTConsumer(clang::CompilerInstance &,
                                                        llvm::StringRef) override {
    struct C : clang::ASTConsumer {
      std::vector<std::string> &Out;
      explicit C(std::vector<std::string> &O) : Out(O) {}
      void HandleTranslationUnit(clang::ASTContext &Ctx) override {
        RequestChecker RC(Ctx);
        RC.TraverseDecl(Ctx.getTranslationUnitDecl());
        Out = RC.Problems;
      }
    };
    return std::make_unique<C>(Out);
  }

private:
  std::vector<std::string> &Out;
};

/// Requests of \p Code (file name \p Name decides C or C++) that lack the OAuth header;
/// a parse error is a problem too.
std::vector<std::string> requestsWithoutOAuth(const std::string &Code, const std::string &Name) {
  std::vector<std::string> Problems;
  bool C = llvm::StringRef(Name).endswith(".c");
  std::vector<std::string> Args = {C ? "-std=gnu11" : "-std=c++17", "-I" + MockDir,
                                   "-I" + helperIncludeDir(),
                                   "-resource-dir=" CLANG_RESOURCE_DIR_FOR_TESTS};
  bool Ok = clang::tooling::runToolOnCodeWithArgs(std::make_unique<RequestCheckAction>(Problems),
                                                  Code, Args, Name);
  if (!Ok)
    Problems.push_back("does not parse");
  return Problems;
}

/// `FIXNOTE: "text"` in a fixture: a finding on the nearest code line above it has a
/// FixNote containing the text.
struct FixNoteExpectation {
  unsigned Line, AnnotationLine;
  std::string Text;
};
std::vector<FixNoteExpectation> fixNoteExpectations(const std::string &Text) {
  std::vector<FixNoteExpectation> Out;
  llvm::SmallVector<llvm::StringRef, 64> Lines;
  llvm::StringRef(Text).split(Lines, '\n');
  unsigned Target = 0;
  for (unsigned I = 0; I < Lines.size(); ++I) {
    llvm::StringRef L = Lines[I].trim();
    size_t At = L.find("FIXNOTE:");
    bool Annotation = At != llvm::StringRef::npos || L.contains("EXPECT:") || L.contains("OK:");
    if (!Annotation) {
      Target = I + 1;
      continue;
    }
    if (At == llvm::StringRef::npos)
      continue;
    llvm::StringRef Rest = L.substr(At + 8);
    size_t Q1 = Rest.find('"'), Q2 = Rest.rfind('"');
    if (Q1 != llvm::StringRef::npos && Q2 > Q1)
      Out.push_back({Target, I + 1, Rest.slice(Q1 + 1, Q2).str()});
  }
  return Out;
}

TEST(ClangFrontend, FindingsSayWhatTheFixDoesOrWhyThereIsNone) {
  const auto &S = casesScan();
  unsigned Checked = 0;
  for (const std::string &Rel : listCases()) {
    for (const FixNoteExpectation &E : fixNoteExpectations(readFile(CasesDir + "/" + Rel))) {
      ++Checked;
      std::string Seen;
      bool Found = false;
      for (const Finding &F : S.Result.Findings)
        if (F.Path == Rel && F.Begin.Line == E.Line) {
          Found |= F.FixNote.find(E.Text) != std::string::npos;
          Seen += "\n  " + F.RuleId + (F.Fixable ? " (fixable): " : ": ") + F.FixNote;
        }
      EXPECT_TRUE(Found) << Rel << ":" << E.AnnotationLine << ": no finding on line " << E.Line
                         << " has a fix note with \"" << E.Text << "\"; seen:" << Seen;
    }
  }
  EXPECT_GE(Checked, 10u);
  // Every finding of the Clang rules says something, and the note matches the flag.
  for (const Finding &F : S.Result.Findings) {
    if (!llvm::StringRef(F.RuleId).startswith("cpp-"))
      continue;
    EXPECT_FALSE(F.FixNote.empty()) << F.Path << ":" << F.Begin.Line << " " << F.RuleId;
    EXPECT_EQ(!F.Fixable, llvm::StringRef(F.FixNote).startswith("no automatic fix"))
        << F.Path << ":" << F.Begin.Line << " " << F.RuleId << ": " << F.FixNote;
  }
}

TEST(ClangFrontend, UnfixableUrlsHaveNoEdits) {
  const auto &S = casesScan();
  unsigned Url = 0;
  for (const Finding &F : S.Result.Findings)
    if (F.Path == "unfixable_url.cpp" && F.RuleId == "cpp-authtoken-url") {
      ++Url;
      EXPECT_FALSE(F.Fixable) << F.Begin.Line;
    }
  EXPECT_EQ(Url, 6u);
  for (const FindingFix &Fx : S.Fixes)
    EXPECT_NE(Fx.DisplayPath, "unfixable_url.cpp") << Fx.Offset;
}

TEST(ClangFrontend, RequestCheckerSeesARequestWithoutTheOAuthHeader) {
  // The check below must be able to fail: the unfixed fixtures fail it.
  EXPECT_FALSE(requestsWithoutOAuth(readFile(CasesDir + "/fix_url.cpp"), "fix_url.cpp").empty());
  EXPECT_FALSE(
      requestsWithoutOAuth(readFile(CasesDir + "/fix_url_slist.cpp"), "fix_url_slist.cpp").empty());
  EXPECT_FALSE(requestsWithoutOAuth(readFile(CasesDir + "/fix_header_var.cpp"),
                                    "fix_header_var.cpp")
                   .empty());
}

TEST(ClangFrontend, FixesMatchExpectedOutputAndReparseClean) {
  const auto &S = casesScan();
  unsigned Checked = 0;
  for (const std::string &Rel : listCases()) {
    std::string Expected = readFile(CasesDir + "/" + Rel + ".fixed");
    if (Expected.empty())
      continue;
    ++Checked;
    std::string Text = readFile(CasesDir + "/" + Rel);
    std::vector<TextEdit> Edits;
    for (const FindingFix &Fx : S.Fixes)
      for (const TextEdit &E : Fx.Edits)
        if (E.DisplayPath == Rel)
          Edits.push_back(E);
    ASSERT_FALSE(Edits.empty()) << Rel << ": no fixes";
    ASSERT_TRUE(applyEdits(Text, Edits)) << Rel << ": overlapping edits";
    EXPECT_EQ(Text, Expected) << Rel;
    // Every request of the fixed file sends the OAuth header: no fix removed the legacy
    // credential without supplying the new one.
    for (const std::string &P : requestsWithoutOAuth(Text, llvm::sys::path::filename(Rel).str()))
      ADD_FAILURE() << Rel << ".fixed:" << P;

    // Re-parse the fixed file (with the generated helper on the include path): it must
    // compile, and the fixed findings must be gone, so a second run fixes nothing.
    std::string Dir = tempDir("atm-clang-fixed");
    std::string Fixed = Dir + "/" + llvm::sys::path::filename(Rel).str();
    writeFile(Fixed, Text);
    ClangScan Again = scanWithClang({Dir}, {"-I" + MockDir, "-I" + helperIncludeDir()});
    for (const std::string &N : problemNotes(Again.Result))
      ADD_FAILURE() << Rel << " after fixing: " << N;
    EXPECT_EQ(Again.Stats.ParseFailures, 0u) << Rel;
    EXPECT_TRUE(Again.Fixes.empty()) << Rel << ": fixes again after fixing";
    std::set<std::string> FixedRules;
    for (const FindingFix &Fx : S.Fixes)
      if (Fx.DisplayPath == Rel)
        FixedRules.insert(Fx.RuleId);
    for (const Finding &F : Again.Result.Findings)
      if (F.Fixable)
        ADD_FAILURE() << Rel << ":" << F.Begin.Line << ": still fixable after fixing: "
                      << F.RuleId;
    // Line-by-line: the count of findings of a fixed rule dropped by the fixes made.
    for (const std::string &R : FixedRules) {
      unsigned Before = 0, After = 0, Made = 0;
      for (const Finding &F : S.Result.Findings)
        Before += F.Path == Rel && F.RuleId == R;
      for (const Finding &F : Again.Result.Findings)
        After += F.RuleId == R;
      for (const FindingFix &Fx : S.Fixes)
        Made += Fx.DisplayPath == Rel && Fx.RuleId == R;
      EXPECT_EQ(After, Before - Made) << Rel << ": " << R;
    }
    llvm::sys::fs::remove_directories(Dir);
  }
  EXPECT_GE(Checked, 3u);
}

/// A project whose header path and host macro only the compilation database knows.
struct DbProject {
  std::string Root, Build;
  DbProject() {
    Root = tempDir("atm-clang-db");
    Build = Root + "/build";
    writeFile(Root + "/third_party/zoho/endpoints.h",
              "#pragma once\n#define ZOHO_BOOKS_HOST \"https://books.zoho.\" ZOHO_TLD\n");
    writeFile(Root + "/src/invoices.cpp",
              "#include <string>\n"
              "#include \"zoho/endpoints.h\"\n"
              "std::string invoices(const std::string &t) {\n"
              "  return std::string(ZOHO_BOOKS_HOST) + \"/api/v3/invoices?authtoken=\" + t;\n"
              "}\n");
    writeFile(Build + "/compile_commands.json",
              "[{\"directory\": \"" + Build + "\", \"file\": \"../src/invoices.cpp\", "
              "\"arguments\": [\"/usr/bin/c++\", \"-std=c++17\", \"-I../third_party\", "
              "\"-DZOHO_TLD=\\\"eu\\\"\", \"-o\", \"CMakeFiles/x.dir/invoices.cpp.o\", "
              "\"-c\", \"../src/invoices.cpp\"]}]\n");
  }
  ~DbProject() { llvm::sys::fs::remove_directories(Root); }
};

TEST(ClangFrontend, CompileCommandsJsonGivesIncludePathsAndDefines) {
  DbProject P;
  // -p names the build directory.
  ClangScan S = scanWithClang({P.Root + "/src"}, {}, P.Build);
  EXPECT_EQ(S.Stats.WithCompileDb, 1u);
  EXPECT_EQ(S.Stats.ParseFailures, 0u);
  ASSERT_EQ(S.Result.Findings.size(), 1u);
  const Finding &F = S.Result.Findings[0];
  EXPECT_EQ(F.RuleId, "cpp-authtoken-url");
  EXPECT_EQ(F.Product, "books");
  EXPECT_EQ(F.Begin.Line, 4u);
  for (const std::string &N : problemNotes(S.Result))
    ADD_FAILURE() << N;
}

TEST(ClangFrontend, CompileCommandsJsonIsFoundAboveTheFile) {
  DbProject P;
  // Auto-discovery looks upwards from the file: move the database to the project root.
  std::string Db = readFile(P.Build + "/compile_commands.json");
  writeFile(P.Root + "/compile_commands.json", Db);
  llvm::sys::fs::remove(P.Build + "/compile_commands.json");
  ClangScan S = scanWithClang({P.Root}, {});
  EXPECT_EQ(S.Stats.WithCompileDb, 1u);
  EXPECT_EQ(S.Stats.ParseFailures, 0u);
  ASSERT_EQ(S.Result.Findings.size(), 1u);
  EXPECT_EQ(S.Result.Findings[0].RuleId, "cpp-authtoken-url");
}

TEST(ClangFrontend, WithoutTheDatabaseTheFileFallsBackToTheLexer) {
  DbProject P;
  ClangScan S = scanWithClang({P.Root + "/src"}, {});
  EXPECT_EQ(S.Stats.WithCompileDb, 0u);
  EXPECT_EQ(S.Stats.ParseFailures, 1u);
  ASSERT_EQ(problemNotes(S.Result).size(), 1u);
  EXPECT_NE(problemNotes(S.Result)[0].find("zoho/endpoints.h"), std::string::npos);
  // --extra-arg repairs the fallback command line.
  ClangScan T = scanWithClang({P.Root + "/src"},
                              {"-I" + P.Root + "/third_party", "-DZOHO_TLD=\"eu\""});
  EXPECT_EQ(T.Stats.ParseFailures, 0u);
  ASSERT_EQ(T.Result.Findings.size(), 1u);
  EXPECT_EQ(T.Result.Findings[0].RuleId, "cpp-authtoken-url");
}

TEST(ClangFrontend, TranslationUnitsWithoutCandidatesAreNeverParsed) {
  std::string D = tempDir("atm-clang-gate");
  for (int I = 0; I < 5; ++I)
    writeFile(D + "/plain" + std::to_string(I) + ".cpp",
              "#include <string>\nstd::string f() { return \"https://example.com\"; }\n");
  writeFile(D + "/zoho.cpp", "#include <string>\nstd::string u(std::string t) {\n"
                             "  return \"https://crm.zoho.com/crm/v2/Leads?authtoken=\" + t;\n}\n");
  ClangScan S = scanWithClang({D}, {});
  EXPECT_EQ(S.Stats.TranslationUnits, 1u);
  EXPECT_EQ(S.Result.Findings.size(), 1u);
  bool Summary = false;
  for (const std::string &N : S.Result.Stats.Notes)
    Summary |= llvm::StringRef(N).startswith("C/C++/Objective-C: 1 translation unit(s)");
  EXPECT_TRUE(Summary);
  llvm::sys::fs::remove_directories(D);
}

TEST(ClangFrontend, CandidateHeadersNoParsedUnitIncludesAreParsedOnTheirOwn) {
  std::string D = tempDir("atm-clang-hdr");
  // Header-only client code; the including file has no candidate, so it is not parsed.
  writeFile(D + "/books_api.hpp",
            "#pragma once\n#include <string>\n"
            "inline std::string items(const std::string &t) {\n"
            "  return \"https://books.zoho.eu/api/v3/items?authtoken=\" + t;\n}\n");
  writeFile(D + "/main.cpp", "#include \"books_api.hpp\"\nint main() { return 0; }\n");
  // A header that only parses after its includer's declarations: lexer fallback.
  writeFile(D + "/needs_includer.h",
            "static url_t crm_url = \"https://crm.zoho.com/crm/v2/Leads?authtoken=\" TOKEN;\n");
  ClangScan S = scanWithClang({D}, {});
  EXPECT_EQ(S.Stats.TranslationUnits, 0u);
  EXPECT_EQ(S.Stats.HeadersAlone, 1u);
  EXPECT_EQ(S.Stats.HeadersFallback, 1u);
  std::map<std::string, std::string> RuleOf;
  for (const Finding &F : S.Result.Findings)
    RuleOf[F.Path] += F.RuleId;
  EXPECT_EQ(RuleOf["books_api.hpp"], "cpp-authtoken-url");
  EXPECT_EQ(RuleOf["needs_includer.h"], "zoho-authtoken-url-param");
  ASSERT_EQ(S.Result.Findings.size(), 2u);
  llvm::sys::fs::remove_directories(D);
}

TEST(ClangFrontend, ObjectiveCHeaderAloneIsParsedAsObjectiveC) {
  std::string D = tempDir("atm-clang-objch");
  writeFile(D + "/ZCRMClient.h",
            "#import <Foundation/Foundation.h>\n"
            "static NSString *const kLeads = @\"https://crm.zoho.com/crm/private/json/Leads/"
            "getRecords?authtoken=%@&scope=crmapi\";\n"
            "@interface ZCRMClient : NSObject\n@end\n");
  ClangScan S = scanWithClang({D}, {"-I" + MockDir});
  EXPECT_EQ(S.Stats.HeadersAlone, 1u);
  ASSERT_EQ(S.Result.Findings.size(), 1u);
  EXPECT_EQ(S.Result.Findings[0].RuleId, "cpp-authtoken-url");
  EXPECT_EQ(S.Result.Findings[0].Product, "crm");
  llvm::sys::fs::remove_directories(D);
}

TEST(ClangFrontend, RuleSelectionByLexerRuleIdRunsItsDetector) {
  ClangScan S = scanWithClang({CasesDir + "/curl_desk.cpp"}, {"-I" + MockDir}, "",
                              {"zoho-authtoken-header"});
  ASSERT_EQ(S.Result.Findings.size(), 1u);
  EXPECT_EQ(S.Result.Findings[0].RuleId, "cpp-authtoken-header");
}

TEST(ClangFrontend, ExportFixesIsReadByClangApplyReplacements) {
  auto Tool = llvm::sys::findProgramByName("clang-apply-replacements-14");
  if (!Tool)
    Tool = llvm::sys::findProgramByName("clang-apply-replacements");
  ASSERT_TRUE(bool(Tool)) << "clang-apply-replacements is not installed (Debian: clang-tools-14)";
  std::string D = tempDir("atm-clang-export");
  std::string Src = D + "/src";
  writeFile(Src + "/fix_url.cpp", readFile(CasesDir + "/fix_url.cpp"));
  ClangScan S = scanWithClang({Src}, {"-I" + MockDir});
  ASSERT_FALSE(S.Fixes.empty());
  std::string Yaml = D + "/fixes/fixes.yaml";
  llvm::sys::fs::create_directories(D + "/fixes");
  ASSERT_FALSE(bool(S.FE->writeExportFixes(Yaml)));
  std::string Y = readFile(Yaml);
  EXPECT_NE(Y.find("MainSourceFile:"), std::string::npos);
  EXPECT_NE(Y.find("DiagnosticName:  cpp-authtoken-url"), std::string::npos);
  std::string FixesDir = D + "/fixes";
  llvm::StringRef Args[] = {*Tool, FixesDir};
  std::string Err;
  std::string Log = D + "/car.log";
  llvm::Optional<llvm::StringRef> Redirects[] = {llvm::None, llvm::StringRef(Log),
                                                 llvm::StringRef(Log)};
  int Rc = llvm::sys::ExecuteAndWait(*Tool, Args, llvm::None, Redirects, 60, 0, &Err);
  ASSERT_EQ(Rc, 0) << Err << readFile(Log) << "\n" << Y;
  // clang-apply-replacements sorts the #include block it inserts into (clang-format's
  // include cleanup): the same file apart from the order of the #include lines.
  auto Split = [](const std::string &T) {
    std::vector<std::string> Includes;
    std::string Rest;
    llvm::SmallVector<llvm::StringRef, 64> Lines;
    llvm::StringRef(T).split(Lines, '\n');
    for (llvm::StringRef L : Lines)
      if (L.startswith("#include"))
        Includes.push_back(L.str());
      else
        Rest += L.str() + "\n";
    std::sort(Includes.begin(), Includes.end());
    return std::make_pair(Includes, Rest);
  };
  std::string Applied = readFile(Src + "/fix_url.cpp");
  EXPECT_NE(Applied.find("#include \"zoho_oauth.h\""), std::string::npos) << Applied;
  EXPECT_EQ(Split(Applied), Split(readFile(CasesDir + "/fix_url.cpp.fixed"))) << Applied;
  llvm::sys::fs::remove_directories(D);
}

TEST(ClangFrontend, ExportFixesCreatesDirectoriesAndWritesAtomically) {
  std::string D = tempDir("atm-clang-export-dirs");
  writeFile(D + "/src/fix_url.cpp", readFile(CasesDir + "/fix_url.cpp"));
  ClangScan S = scanWithClang({D + "/src"}, {"-I" + MockDir});
  ASSERT_FALSE(S.Fixes.empty());
  // The README's recipe: a directory that does not exist yet.
  std::string Yaml = D + "/newdir/sub/zoho.yaml";
  llvm::Error E = S.FE->writeExportFixes(Yaml);
  ASSERT_FALSE(bool(E)) << llvm::toString(std::move(E));
  EXPECT_NE(readFile(Yaml).find("DiagnosticName:  cpp-authtoken-url"), std::string::npos);
  // Over an existing file: replaced whole.
  writeFile(Yaml, std::string(100000, 'x'));
  E = S.FE->writeExportFixes(Yaml);
  ASSERT_FALSE(bool(E)) << llvm::toString(std::move(E));
  EXPECT_EQ(readFile(Yaml).find('x' + std::string(10, 'x')), std::string::npos);
  // A parent that is a file: an error naming the path, and nothing left behind.
  writeFile(D + "/plain", "not a directory");
  E = S.FE->writeExportFixes(D + "/plain/zoho.yaml");
  ASSERT_TRUE(bool(E));
  EXPECT_NE(llvm::toString(std::move(E)).find(D + "/plain/zoho.yaml"), std::string::npos);
  // A directory where the file should be: the rename fails, the temporary file goes.
  llvm::sys::fs::create_directories(D + "/out/zoho.yaml/inner");
  E = S.FE->writeExportFixes(D + "/out/zoho.yaml");
  ASSERT_TRUE(bool(E));
  llvm::consumeError(std::move(E));
  std::error_code EC;
  unsigned Left = 0;
  for (llvm::sys::fs::directory_iterator It(D + "/out", EC), End; It != End && !EC; It.increment(EC))
    ++Left;
  EXPECT_EQ(Left, 1u) << "a temporary file was left in " << D << "/out";
  llvm::sys::fs::remove_directories(D);
}

TEST(ClangFrontend, NoZohoNoFinding) {
  // OAuth code and other vendors' "authtoken": silent even when parsed.
  std::string D = tempDir("atm-clang-neg");
  writeFile(D + "/oauth.cpp",
            "#include <string>\n"
            "const char *kHost = \"https://www.zohoapis.com/crm/v2/Leads\";\n"
            "std::string h(const std::string &t) { return \"Authorization: Zoho-oauthtoken \" + t; }\n"
            "std::string twilio(const std::string &t) {\n"
            "  return \"https://api.twilio.com/2010-04-01/Accounts?authtoken=\" + t; }\n");
  ClangScan S = scanWithClang({D}, {});
  EXPECT_EQ(S.Stats.TranslationUnits, 1u);
  for (const Finding &F : S.Result.Findings)
    ADD_FAILURE() << F.Path << ":" << F.Begin.Line << ": " << F.RuleId;
  llvm::sys::fs::remove_directories(D);
}

} // namespace
