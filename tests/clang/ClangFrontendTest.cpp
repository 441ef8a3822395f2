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
  EXPECT_EQ(readFile(Src + "/fix_url.cpp"), readFile(CasesDir + "/fix_url.cpp.fixed"));
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
