/// \file
/// End-to-end tests: run the built authtoken-migrate binary as a user would and check
/// exit codes, outputs and error messages.

#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "E2eUtil.h"
#include "core/RedactCases.h"
#include <sys/stat.h>

#include "gtest/gtest.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"

namespace {

using atm::e2e::RunResult;
using atm::e2e::readFile;

RunResult run(std::vector<std::string> Args, llvm::StringRef Cwd = "") {
  return atm::e2e::runWith(Args, {Cwd.str()});
}

const std::string Demo = std::string(ATM_SOURCE_DIR) + "/fixtures/demo-repo";

/// A temporary directory (removed with its content) with a file() maker.
class TempDir : public atm::e2e::TempTree {};

} // namespace

TEST(Cli, DemoRepositoryFindsLegacyUsageAndExitsOne) {
  RunResult R = run({"scan", "--color", "never"}, Demo);
  EXPECT_EQ(R.Code, 1) << R.Err;
  EXPECT_NE(R.Out.find("src/crm_sync.py:9:36: error:"), std::string::npos) << R.Out;
  EXPECT_NE(R.Out.find("[zoho-authtoken-generation]"), std::string::npos);
  EXPECT_NE(R.Out.find("deluge/creator_to_books.dg"), std::string::npos);
  EXPECT_NE(R.Out.find("Files: "), std::string::npos);
  // vendor/ is .gitignored in the demo repository.
  EXPECT_EQ(R.Out.find("vendor/ignored.js"), std::string::npos);
  EXPECT_NE(R.Out.find("ignored"), std::string::npos);
  // Token values are masked unless asked for.
  EXPECT_EQ(R.Out.find("4c8e2a6f0b3d7e1a5c9f3b7d1e5a9c3f"), std::string::npos);
  EXPECT_NE(R.Out.find("4c8e\xE2\x80\xA6"), std::string::npos);
  RunResult S = run({"scan", "--show-secrets"}, Demo);
  EXPECT_NE(S.Out.find("4c8e2a6f0b3d7e1a5c9f3b7d1e5a9c3f"), std::string::npos);
  RunResult N = run({"scan", "--no-ignore"}, Demo);
  EXPECT_NE(N.Out.find("vendor/ignored.js"), std::string::npos);
}

TEST(Cli, CFamilyFilesGoThroughClang) {
  // The demo's C++ file parses against the system libcurl headers.
  RunResult R = run({"scan", "--color", "never", "native"}, Demo);
  EXPECT_EQ(R.Code, 1) << R.Err;
  EXPECT_NE(R.Out.find("inventory_sync.cpp:11:59: error:"), std::string::npos) << R.Out;
  EXPECT_NE(R.Out.find("[cpp-authtoken-url]"), std::string::npos) << R.Out;
  EXPECT_EQ(R.Out.find("could not be parsed"), std::string::npos) << R.Out;
  // --no-clang: the lexer rules alone.
  RunResult L = run({"scan", "--no-clang", "--color", "never", "native"}, Demo);
  EXPECT_EQ(L.Code, 1);
  EXPECT_NE(L.Out.find("[zoho-authtoken-url-param]"), std::string::npos) << L.Out;
  EXPECT_EQ(L.Out.find("[cpp-authtoken-url]"), std::string::npos) << L.Out;
  // --export-fixes writes clang-apply-replacements YAML with absolute paths.
  TempDir T;
  std::string Y = T.str() + "/fixes.yaml";
  RunResult F = run({"scan", "--export-fixes", Y, "--quiet", "native"}, Demo);
  EXPECT_EQ(F.Code, 1) << F.Err;
  std::string Yaml = readFile(Y);
  EXPECT_NE(Yaml.find("DiagnosticName:  cpp-authtoken-url"), std::string::npos) << Yaml;
  EXPECT_NE(Yaml.find("/fixtures/demo-repo/native/inventory_sync.cpp"), std::string::npos) << Yaml;
  // The README's recipe: `--export-fixes fixes/zoho.yaml` creates the missing directories
  // (relative to the working directory), and the fix gives the request the OAuth header.
  RunResult D = run({"scan", "--export-fixes", "newdir/sub/zoho.yaml", "--quiet", Demo + "/native"},
                    T.str());
  EXPECT_EQ(D.Code, 1) << D.Err;
  std::string Nested = readFile(T.str() + "/newdir/sub/zoho.yaml");
  EXPECT_NE(Nested.find("DiagnosticName:  cpp-authtoken-url"), std::string::npos) << D.Err;
  EXPECT_NE(Nested.find("CURLOPT_HTTPHEADER"), std::string::npos) << Nested;
  EXPECT_NE(Nested.find("zoho_oauth::authorization_header_line()"), std::string::npos) << Nested;
  // An impossible target: exit 2 naming it, and no file.
  T.file("plain", "x");
  RunResult Bad = run({"scan", "--export-fixes", T.str() + "/plain/zoho.yaml", "--quiet",
                       Demo + "/native"});
  EXPECT_EQ(Bad.Code, 2) << Bad.Err;
  EXPECT_NE(Bad.Err.find("plain/zoho.yaml"), std::string::npos) << Bad.Err;
  // --extra-arg reaches the compiler: a header only found through it.
  TempDir X;
  X.file("inc/zoho_hosts.h", "#pragma once\n#define ZOHO_CRM \"https://crm.zoho.com\"\n");
  X.file("src/leads.cpp", "#include <string>\n#include \"zoho_hosts.h\"\n"
                          "std::string u(const std::string &t) {\n"
                          "  return std::string(ZOHO_CRM) + \"/crm/v2/Leads?authtoken=\" + t;\n}\n");
  RunResult E0 = run({"scan", "--color", "never", X.str() + "/src"});
  EXPECT_NE(E0.Out.find("could not be parsed"), std::string::npos) << E0.Out;
  RunResult E1 = run({"scan", "--color", "never", "--extra-arg=-I" + X.str() + "/inc", X.str() + "/src"});
  EXPECT_EQ(E1.Code, 1) << E1.Err;
  EXPECT_NE(E1.Out.find("[cpp-authtoken-url]"), std::string::npos) << E1.Out;
  EXPECT_EQ(E1.Out.find("could not be parsed"), std::string::npos) << E1.Out;
  // Bad Clang options are usage errors.
  RunResult P = run({"scan", "-p", "/nonexistent-build-dir", "native"}, Demo);
  EXPECT_EQ(P.Code, 2);
  EXPECT_NE(P.Err.find("/nonexistent-build-dir"), std::string::npos) << P.Err;
  RunResult N = run({"scan", "--no-clang", "--export-fixes", Y, "native"}, Demo);
  EXPECT_EQ(N.Code, 2);
  EXPECT_NE(N.Err.find("--export-fixes"), std::string::npos) << N.Err;
}

TEST(Cli, ExportFixesLeavesRetiredEndpointsAlone) {
  // CRM API v1 (/crm/private/…) died with the authtoken: --export-fixes writes no fix
  // for it (as `fix` leaves it), while the v2 call in the same file is fixed.
  TempDir T;
  T.file("src/crm.cpp",
         "#include <string>\n#include <curl/curl.h>\n"
         "long v1(const std::string &token) {\n"
         "  CURL *curl = curl_easy_init();\n"
         "  std::string url = \"https://crm.zoho.com/crm/private/json/Leads/getRecords?authtoken=\" + token;\n"
         "  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());\n"
         "  CURLcode rc = curl_easy_perform(curl);\n"
         "  curl_easy_cleanup(curl);\n  return rc;\n}\n"
         "long v2(const std::string &token) {\n"
         "  CURL *curl = curl_easy_init();\n"
         "  std::string url = \"https://www.zohoapis.com/crm/v2/Leads?authtoken=\" + token;\n"
         "  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());\n"
         "  CURLcode rc = curl_easy_perform(curl);\n"
         "  curl_easy_cleanup(curl);\n  return rc;\n}\n");
  std::string Mock = "--extra-arg=-I" + std::string(ATM_SOURCE_DIR) + "/fixtures/clang/_mock";
  std::string Y = T.str() + "/fixes.yaml";
  RunResult R = run({"scan", "--export-fixes", Y, "--format", "json", Mock, T.str() + "/src"});
  EXPECT_EQ(R.Code, 1) << R.Err;
  std::string Yaml = readFile(Y);
  EXPECT_NE(Yaml.find("DiagnosticName:  cpp-authtoken-url"), std::string::npos) << Yaml;
  EXPECT_NE(Yaml.find("CURLOPT_HTTPHEADER"), std::string::npos) << Yaml;
  EXPECT_EQ(Yaml.find("FileOffset:      "  ), Yaml.rfind("FileOffset:      ")) << Yaml; // one fix
  EXPECT_EQ(Yaml.find("/crm/private"), std::string::npos) << Yaml;
  // The v1 finding says why it has no fix.
  EXPECT_NE(R.Out.find("CRM API v1 (/crm/private/"), std::string::npos) << R.Out;
}

TEST(Cli, GeneratedHelpersScanClean) {
  // Users commit the helpers: they must not fail their own CI, even at --fail-on note.
  RunResult L = run({"helper", "--list"});
  ASSERT_EQ(L.Code, 0) << L.Err;
  TempDir T;
  unsigned Langs = 0;
  llvm::SmallVector<llvm::StringRef, 16> Lines;
  llvm::StringRef(L.Out).split(Lines, '\n', -1, false);
  for (llvm::StringRef Line : Lines) {
    llvm::StringRef Lang = Line.trim().split(' ').first;
    if (Lang.empty())
      continue;
    ++Langs;
    RunResult H = run({"helper", "--lang", Lang.str(), "--out", T.str() + "/" + Lang.str()});
    EXPECT_EQ(H.Code, 0) << Lang.str() << ": " << H.Err;
  }
  EXPECT_GE(Langs, 10u) << L.Out;
  RunResult S = run({"scan", "--fail-on", "note", "--color", "never", T.str()});
  EXPECT_EQ(S.Code, 0) << S.Out << S.Err;
}

TEST(Cli, FailOnThresholds) {
  EXPECT_EQ(run({"scan", "--fail-on", "none"}, Demo).Code, 0);
  EXPECT_EQ(run({"scan", "--fail-on", "critical"}, Demo).Code, 1);
  EXPECT_EQ(run({"scan", "--fail-on", "note"}, Demo).Code, 1);
  RunResult R = run({"scan", "--fail-on", "fatal"}, Demo);
  EXPECT_EQ(R.Code, 2);
  EXPECT_NE(R.Err.find("--fail-on"), std::string::npos);
  TempDir T;
  T.file("clean.py", "print('no zoho here')\n");
  T.file("note.md", "# Zoho\nThe authtoken is gone.\n");
  EXPECT_EQ(run({"scan", T.str()}).Code, 0);          // a note is below the default
  EXPECT_EQ(run({"scan", "--fail-on", "note", T.str()}).Code, 1);
}

TEST(Cli, UsageErrorsExitTwoWithAHint) {
  RunResult R = run({"scan", "--fromat", "json", Demo});
  EXPECT_EQ(R.Code, 2);
  EXPECT_NE(R.Err.find("fromat"), std::string::npos) << R.Err;
  EXPECT_NE(R.Err.find("format"), std::string::npos) << R.Err; // did you mean
  R = run({"scan", "--format", "xml", Demo});
  EXPECT_EQ(R.Code, 2);
  R = run({"scan", "--as-of", "2021-02-30", Demo});
  EXPECT_EQ(R.Code, 2);
  EXPECT_NE(R.Err.find("--as-of"), std::string::npos);
  R = run({"scan", "/nonexistent/path/x"});
  EXPECT_EQ(R.Code, 2);
  EXPECT_NE(R.Err.find("/nonexistent/path/x"), std::string::npos);
  R = run({"scan", "--max-file-size", "lots", Demo});
  EXPECT_EQ(R.Code, 2);
  R = run({"frobnicate"});
  EXPECT_EQ(R.Code, 2);
  R = run({"scan", "--rule", "no-such-rule", Demo});
  EXPECT_EQ(R.Code, 2);
  EXPECT_NE(R.Err.find("no-such-rule"), std::string::npos);
}

TEST(Cli, BrokenRuleFileIsAnErrorNamingFileLineColumn) {
  TempDir T;
  T.file("rules/my-rule.yaml", "id: my-rule\nmessage: m\nseverity: loud\n");
  RunResult R = run({"scan", "--rules", T.str() + "/rules", Demo});
  EXPECT_EQ(R.Code, 2);
  EXPECT_NE(R.Err.find("my-rule.yaml:3:11: unknown severity 'loud'"), std::string::npos) << R.Err;
  TempDir T2;
  T2.file("r/x.yaml", "id: [\n");
  R = run({"scan", "--rules", T2.str() + "/r", Demo});
  EXPECT_EQ(R.Code, 2);
  EXPECT_NE(R.Err.find("x.yaml:"), std::string::npos) << R.Err;
  R = run({"scan", "--rules", "/nonexistent-rules-dir", Demo});
  EXPECT_EQ(R.Code, 2);
}

TEST(Cli, UserRuleDirectoryAddsRules) {
  TempDir T;
  T.file("rules/acme-zoho-token-var.yaml",
         "id: acme-zoho-token-var\nmessage: acme token variable\nseverity: warning\n"
         "languages: [python]\napplies-in: [code]\nprefilter: [acme_zoho]\n"
         "patterns: ['(?P<at>ACME_ZOHO_\\w+)']\n");
  T.file("src/a.py", "x = ACME_ZOHO_KEY\n");
  RunResult R = run({"scan", "--rules", T.str() + "/rules", T.str() + "/src"});
  EXPECT_EQ(R.Code, 1) << R.Err;
  EXPECT_NE(R.Out.find("[acme-zoho-token-var]"), std::string::npos) << R.Out;
}

TEST(Cli, JsonOutputIsDeterministicAcrossJobCounts) {
  RunResult A = run({"scan", "--format", "json", "--jobs", "1", "--as-of", "2026-01-01"}, Demo);
  RunResult B = run({"scan", "--format", "json", "--jobs", "4", "--as-of", "2026-01-01"}, Demo);
  auto VA = llvm::json::parse(A.Out), VB = llvm::json::parse(B.Out);
  ASSERT_TRUE(bool(VA)) << A.Out;
  ASSERT_TRUE(bool(VB));
  auto *FA = VA->getAsObject()->getArray("findings");
  auto *FB = VB->getAsObject()->getArray("findings");
  ASSERT_TRUE(FA && FB);
  EXPECT_GT(FA->size(), 5u);
  EXPECT_EQ(llvm::formatv("{0}", llvm::json::Value(llvm::json::Array(*FA))).str(),
            llvm::formatv("{0}", llvm::json::Value(llvm::json::Array(*FB))).str());
}

// `scan` marks the findings `fix` would rewrite (fix::planFixes), so reports count them as
// `fix` does; --no-fix-plan leaves only the front ends' own marks (the Clang fix-its).
TEST(Cli, ScanMarksTheFindingsFixRewrites) {
  auto Fixable = [](const RunResult &R) {
    std::map<std::string, bool> Out;
    auto V = llvm::json::parse(R.Out);
    if (!V) {
      llvm::consumeError(V.takeError());
      return Out;
    }
    for (const llvm::json::Value &F : *V->getAsObject()->getArray("findings")) {
      const llvm::json::Object *O = F.getAsObject();
      std::string Key = O->getString("path")->str() + ":" + O->getString("rule_id").getValueOr("").str();
      if (auto L = O->getObject("start"))
        Key += ":" + std::to_string(L->getInteger("line").getValueOr(0));
      Out[Key] = O->getBoolean("fixable").getValueOr(false);
    }
    return Out;
  };
  RunResult Plan = run({"scan", "--format", "json"}, Demo);
  RunResult NoPlan = run({"scan", "--format", "json", "--no-fix-plan"}, Demo);
  auto A = Fixable(Plan), B = Fixable(NoPlan);
  ASSERT_EQ(A.size(), B.size()) << Plan.Out;
  ASSERT_GT(A.size(), 5u) << Plan.Out;
  unsigned WithPlan = 0, Without = 0;
  for (auto &[K, V] : A)
    WithPlan += V;
  for (auto &[K, V] : B)
    Without += V;
  EXPECT_GT(WithPlan, Without) << Plan.Out;
  // The Python request of the demo is one `fix` rewrites; a documentation mention is not.
  bool PyFixable = false, DocFixable = false;
  for (auto &[K, V] : A) {
    if (K.find("src/crm_sync.py:") != std::string::npos && V)
      PyFixable = true;
    if (K.find("README.md:") != std::string::npos && V)
      DocFixable = true;
  }
  EXPECT_TRUE(PyFixable) << Plan.Out;
  EXPECT_FALSE(DocFixable) << Plan.Out;
  // The count the `fix` command reports agrees: its summary lists every fixed finding,
  // the Clang fix-its (marked without the plan too) included: `fix` applies them as well.
  RunResult Fix = run({"fix"}, Demo);
  size_t Fixed = 0;
  for (size_t P = Fix.Err.find(": fixed: "); P != std::string::npos; P = Fix.Err.find(": fixed: ", P + 1))
    ++Fixed;
  EXPECT_EQ(Fixed, WithPlan) << Fix.Err;
  EXPECT_GT(Without, 0u) << NoPlan.Out; // the demo's libcurl program has Clang fix-its
  EXPECT_NE(Fix.Err.find("native/inventory_sync.cpp:"), std::string::npos) << Fix.Err;
}

TEST(Cli, OutputFileIsWrittenAtomically) {
  TempDir T;
  std::string Out = T.str() + "/report.sarif";
  RunResult R = run({"scan", "--format", "sarif", "--output", Out, Demo});
  EXPECT_EQ(R.Code, 1);
  EXPECT_TRUE(R.Out.empty());
  std::string S = readFile(Out);
  EXPECT_TRUE(bool(llvm::json::parse(S)));
  std::error_code EC;
  unsigned Files = 0;
  for (llvm::sys::fs::directory_iterator It(T.str(), EC), E; It != E && !EC; It.increment(EC))
    ++Files;
  EXPECT_EQ(Files, 1u) << "no temporary file left behind";
  R = run({"scan", "--output", "/nonexistent-dir/report.txt", Demo});
  EXPECT_EQ(R.Code, 2);
  EXPECT_NE(R.Err.find("/nonexistent-dir/report.txt"), std::string::npos);
}

TEST(Cli, SarifValidatesAgainstTheSchema) {
  TempDir T;
  std::string Out = T.str() + "/demo.sarif";
  ASSERT_EQ(run({"scan", "--format", "sarif", "--output", Out, Demo}).Code, 1);
  // Debian's python3 with python3-jsonschema (scripts/bootstrap installs both).
  std::string Py = llvm::sys::fs::exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
  auto PyPath = llvm::sys::findProgramByName(Py);
  ASSERT_TRUE(bool(PyPath)) << "python3 is required for SARIF validation";
  std::string Script = std::string(ATM_SOURCE_DIR) + "/tests/e2e/validate_sarif.py";
  std::string Schema = std::string(ATM_SOURCE_DIR) + "/tests/data/sarif-schema-2.1.0.json";
  llvm::SmallString<128> Log;
  llvm::sys::fs::createTemporaryFile("sarif-validate", "txt", Log);
  llvm::Optional<llvm::StringRef> Redirects[] = {llvm::StringRef(""), llvm::StringRef(Log),
                                                 llvm::StringRef(Log)};
  int Code = llvm::sys::ExecuteAndWait(*PyPath, {*PyPath, Script, Schema, Out}, llvm::None,
                                       Redirects, 120);
  std::string Msg = readFile(Log);
  llvm::sys::fs::remove(Log);
  EXPECT_EQ(Code, 0) << Msg;
  // And an invalid document is rejected, so the check can fail.
  std::string Bad = T.file("bad.sarif", "{\"version\":\"2.1.0\",\"runs\":[{\"tool\":{\"driver\":{}},"
                                        "\"results\":[{\"level\":\"critical\",\"message\":{\"text\":\"x\"}}]}]}");
  Code = llvm::sys::ExecuteAndWait(*PyPath, {*PyPath, Script, Schema, Bad}, llvm::None, Redirects, 120);
  EXPECT_NE(Code, 0);
}

TEST(Cli, OddFilesAreReportedNotFatal) {
  TempDir T;
  T.file("bin.dat", std::string("\x7f" "ELF\0\0authtoken=abc zoho", 22));
  T.file("big.py", "# zoho\nx = {'authtoken': t}\n" + std::string(5000, '#') + "\n");
  T.file("crlf.php", "<?php\r\n// zoho\r\n$u = \"https://crm.zoho.com/x?authtoken=\" . $t;\r\n");
  T.file("bom.py", "\xEF\xBB\xBFu = 'https://books.zoho.com/api/v3/x?authtoken=' + t\n");
  T.file("bad-utf8.js", "// zoho \xFF\xFE\nconst u = 'https://crm.zoho.com/x?authtoken=' + t;\n");
  RunResult R = run({"scan", "--max-file-size", "1K", "--color", "never", T.str()});
  EXPECT_EQ(R.Code, 1) << R.Err;
  EXPECT_NE(R.Out.find("crlf.php:3:"), std::string::npos) << R.Out;
  EXPECT_NE(R.Out.find("bom.py:1:38:"), std::string::npos) << R.Out;
  EXPECT_NE(R.Out.find("bad-utf8.js:2:"), std::string::npos) << R.Out;
  EXPECT_EQ(R.Out.find("big.py"), std::string::npos);
  EXPECT_NE(R.Out.find("1 binary"), std::string::npos) << R.Out;
  EXPECT_NE(R.Out.find("1 over --max-file-size"), std::string::npos) << R.Out;
  EXPECT_NE(R.Out.find("invalid UTF-8"), std::string::npos) << R.Out;
}

TEST(Cli, RulesListShowAndVersion) {
  RunResult R = run({"rules", "list"});
  EXPECT_EQ(R.Code, 0);
  EXPECT_NE(R.Out.find("zoho-authtoken-url-param"), std::string::npos);
  R = run({"rules", "show", "zoho-authtoken-generation"});
  EXPECT_EQ(R.Code, 0);
  EXPECT_NE(R.Out.find("severity:  critical"), std::string::npos) << R.Out;
  R = run({"rules", "show", "nope"});
  EXPECT_EQ(R.Code, 2);
  R = run({"--version"});
  EXPECT_EQ(R.Code, 0);
  EXPECT_NE(R.Out.find("authtoken-migrate "), std::string::npos);
  R = run({"scan", "--help"});
  EXPECT_EQ(R.Code, 0);
  EXPECT_NE(R.Out.find("--fail-on"), std::string::npos);
}

TEST(Cli, HelperNeverOverwritesAChangedFileWithoutForce) {
  TempDir T;
  RunResult R = run({"helper", "--list"});
  EXPECT_EQ(R.Code, 0);
  EXPECT_NE(R.Out.find("python"), std::string::npos);
  R = run({"helper", "--lang", "python", "--out", T.str()});
  ASSERT_EQ(R.Code, 0) << R.Err;
  std::string Path = T.str() + "/zoho_oauth.py";
  std::string First = readFile(Path);
  EXPECT_NE(First.find("Generated by authtoken-migrate helper"), std::string::npos);
  // Regenerating an untouched file is fine.
  R = run({"helper", "--lang", "python", "--out", T.str()});
  EXPECT_EQ(R.Code, 0) << R.Err;
  EXPECT_NE(R.Out.find("unchanged"), std::string::npos);
  // A user edit is protected…
  std::ofstream(Path, std::ios::app) << "\n# my change\n";
  R = run({"helper", "--lang", "python", "--out", T.str()});
  EXPECT_EQ(R.Code, 2);
  EXPECT_NE(R.Err.find("--force"), std::string::npos) << R.Err;
  EXPECT_NE(readFile(Path).find("# my change"), std::string::npos);
  // …unless forced.
  R = run({"helper", "--lang", "python", "--out", T.str(), "--force"});
  EXPECT_EQ(R.Code, 0) << R.Err;
  EXPECT_EQ(readFile(Path), First);
  // The namespace renames the module.
  R = run({"helper", "--lang", "python", "--out", T.str(), "--namespace", "acme_zoho"});
  EXPECT_EQ(R.Code, 0);
  EXPECT_TRUE(llvm::sys::fs::exists(T.str() + "/acme_zoho.py"));
  R = run({"helper", "--lang", "cobol"});
  EXPECT_EQ(R.Code, 2);
  EXPECT_NE(R.Err.find("available:"), std::string::npos);
  R = run({"helper", "--lang", "python", "--namespace", "bad name;rm"});
  EXPECT_EQ(R.Code, 2);
}

TEST(Cli, SecretsAreMaskedInLexScanAndErrors) {
  const std::string Mask = "\xE2\x80\xA6";
  const llvm::StringRef LongSpans[] = {"PasswordRunsToClosingQuote", "PasswordWithAmpersandAsUrlParam",
                                       "PercentEncoded", "PercentEncodedSeparators",
                                       "PythonImplicitConcatenation", "JsTemplateLiteral",
                                       "PhpHeredoc", "RefreshTokenAndClientSecretInUrl",
                                       "ClientSecretInFormBody"};
  TempDir T;
  for (const auto &C : atm::testing::redactCases()) {
    std::string F = T.file(C.File, C.Content);
    RunResult L = run({"lex", F});
    ASSERT_EQ(L.Code, 0) << L.Err;
    for (const std::string &S : C.Secrets)
      EXPECT_EQ(L.Out.find(S), std::string::npos) << C.Name << ": lex leaks '" << S << "':\n" << L.Out;
    // lex shows the first 70 bytes of a span: these cases' secrets lie beyond.
    if (C.Secrets.empty() || llvm::is_contained(LongSpans, llvm::StringRef(C.Name)))
      continue;
    EXPECT_NE(L.Out.find(Mask), std::string::npos) << C.Name << ":\n" << L.Out;
    RunResult Shown = run({"lex", "--show-secrets", F});
    EXPECT_TRUE(llvm::any_of(C.Secrets, [&](const std::string &S) {
      return Shown.Out.find(S) != std::string::npos;
    })) << C.Name << ": --show-secrets shows nothing:\n" << Shown.Out;
  }
  for (const char *Format : {"text", "json", "sarif"}) {
    RunResult R = run({"scan", "--format", Format, "--color", "never", T.str()});
    EXPECT_EQ(R.Code, 1) << R.Err;
    for (const auto &C : atm::testing::redactCases())
      for (const std::string &S : C.Secrets)
        EXPECT_EQ(R.Out.find(S), std::string::npos) << Format << " leaks '" << S << "'";
  }
  RunResult J = run({"scan", "--format", "json", "--show-secrets", T.str()});
  for (const auto &C : atm::testing::redactCases())
    if (C.OnFindingLine)
      for (const std::string &S : C.Secrets)
        EXPECT_NE(J.Out.find(S), std::string::npos) << "--show-secrets hides '" << S << "'";
  // An error message quoting file content is masked too.
  TempDir Rules;
  Rules.file("bad-rule.yaml", "id: bad-rule\nseverity: \"password=Tr0ub4dor&3\"\n");
  RunResult E = run({"scan", "--rules", Rules.str(), T.str()});
  EXPECT_EQ(E.Code, 2);
  EXPECT_NE(E.Err.find("bad-rule.yaml"), std::string::npos) << E.Err;
  EXPECT_EQ(E.Err.find("Tr0ub4dor"), std::string::npos) << E.Err;
}

// Regression: `lex` on a FIFO blocked in open() and on /dev/zero read forever.
TEST(Cli, LexRefusesFilesThatAreNotRegular) {
  TempDir T;
  std::string Fifo = T.str() + "/pipe.env";
  ASSERT_EQ(::mkfifo(Fifo.c_str(), 0600), 0);
  // `syntax` (built with the tree-sitter front end) reads files the same way.
  std::vector<std::string> Cmds = {"lex"};
  if (run({"--help"}).Out.find("authtoken-migrate syntax") != std::string::npos)
    Cmds.push_back("syntax");
  for (const std::string &Cmd : Cmds)
    for (const std::string &P : {Fifo, std::string("/dev/zero"), T.str()}) {
      RunResult R = run({Cmd, P});
      EXPECT_EQ(R.Code, 2) << Cmd << " " << P;
      EXPECT_NE(R.Err.find(P + ": not a regular file"), std::string::npos) << R.Err;
    }
  RunResult R = run({"lex", T.file("a.env", "ZOHO_AUTHTOKEN=x\n")});
  EXPECT_EQ(R.Code, 0) << R.Err;
}

TEST(Cli, DuplicateRuleIdsAcrossRuleDirectoriesAreAnError) {
  TempDir T;
  std::string Rule = "id: acme-rule\nmessage: m\nseverity: warning\nlanguages: [python]\n"
                     "applies-in: [code]\nprefilter: [acme]\npatterns: ['(?P<at>acme)']\n";
  T.file("one/acme-rule.yaml", Rule);
  T.file("two/nested/acme-rule.yaml", Rule);
  RunResult R = run({"scan", "--rules", T.str() + "/one", "--rules", T.str() + "/two", Demo});
  EXPECT_EQ(R.Code, 2);
  EXPECT_NE(R.Err.find("two/nested/acme-rule.yaml: rule id 'acme-rule' is already defined in"),
            std::string::npos)
      << R.Err;
  EXPECT_NE(R.Err.find("one/acme-rule.yaml"), std::string::npos) << R.Err;
}

TEST(Cli, CaretPointsIntoTheWindowOfALongLine) {
  TempDir T;
  std::string Line = "var z=1;";
  for (int I = 0; I < 50; ++I)
    Line += "fetch(\"https://crm.zoho.com/crm/private/json/Leads/getRecords?authtoken=k" +
            std::to_string(I) + "&scope=crmapi\");";
  T.file("app.min.js", Line + "\n");
  RunResult R = run({"scan", "--color", "never", "--quiet", T.str()});
  EXPECT_EQ(R.Code, 1) << R.Err;
  std::istringstream In(R.Out);
  std::string L, Prev;
  unsigned Checked = 0;
  while (std::getline(In, L)) {
    size_t Caret = L.find('^');
    if (Caret != std::string::npos && L.find_first_not_of(' ') == Caret) {
      EXPECT_LT(Prev.size(), 1000u);
      // Count characters, not bytes, up to the caret ("…" is one).
      size_t Byte = 0;
      for (size_t Chars = 0; Byte < Prev.size(); ++Byte)
        if ((static_cast<unsigned char>(Prev[Byte]) & 0xC0) != 0x80 && Chars++ == Caret)
          break;
      EXPECT_EQ(Prev.substr(Byte, 10), "authtoken=") << Prev;
      ++Checked;
    }
    Prev = L;
  }
  EXPECT_EQ(Checked, 50u) << R.Out;
}

// The syntax-tree front end: a key constant defined in one file and used in another that
// never names Zoho is found with it and not without it (--no-syntax); a rule query that
// does not compile stops the scan (exit 2, file and line) and `rules list` checks them all.
TEST(Cli, SyntaxFrontEndAndNoSyntax) {
  TempDir T;
  T.file("app/settings.py", "DESK = \"https://desk.zoho.eu/api/v1/tickets\"\n"
                            "AUTH_PARAM = \"authtoken\"\n");
  T.file("app/tickets.py", "import requests\nfrom .settings import AUTH_PARAM, DESK\n\n"
                           "def tickets(t):\n    return requests.get(DESK, params={AUTH_PARAM: t})\n");
  RunResult R = run({"scan", "--format", "json", "--fail-on", "none", T.str() + "/app"});
  ASSERT_EQ(R.Code, 0) << R.Err;
  EXPECT_NE(R.Out.find("\"path\": \"tickets.py\""), std::string::npos) << R.Out;
  EXPECT_NE(R.Out.find("\"statement\""), std::string::npos) << R.Out;
  RunResult N = run({"scan", "--no-syntax", "--format", "json", "--fail-on", "none", T.str() + "/app"});
  ASSERT_EQ(N.Code, 0) << N.Err;
  EXPECT_EQ(N.Out.find("\"path\": \"tickets.py\""), std::string::npos) << N.Out;

  T.file("rules/bad-query.yaml",
         "id: bad-query\nmessage: m\nseverity: warning\nlanguages: [python]\n"
         "applies-in: [code]\nprefilter: [zoho]\nsyntax:\n  - grammars: [python]\n"
         "    query: '(no_such_node) @at'\n");
  R = run({"scan", "--rules", T.str() + "/rules", T.str() + "/app"});
  EXPECT_EQ(R.Code, 2) << R.Out;
  EXPECT_NE(R.Err.find("bad-query.yaml:9: syntax query for python"), std::string::npos) << R.Err;
  R = run({"rules", "list", "--rules", T.str() + "/rules"});
  EXPECT_EQ(R.Code, 2) << R.Out;
  EXPECT_NE(R.Err.find("bad-query.yaml:9"), std::string::npos) << R.Err;
}

// OAuth scope inference (rules/catalog/scopes.yaml) through the binary: JSON
// `scopes_needed`, SARIF `properties.scopesNeeded`, the text trailer, the --rules override.
TEST(Cli, ScanInfersTheOAuthScopesOfEachRequest) {
  TempDir T;
  T.file("src/leads.py",
         "import requests\n"
         "TOKEN = \"4c8e2a6f0b3d7e1a5c9f3b7d1e5a9c3f\"\n"
         "\n"
         "def leads():\n"
         "    return requests.get(\"https://www.zohoapis.com/crm/v2/Leads\",\n"
         "                        params={\"authtoken\": TOKEN})\n"
         "\n"
         "def add_lead(lead):\n"
         "    return requests.post(\"https://www.zohoapis.com/crm/v2/Leads\",\n"
         "                         params={\"authtoken\": TOKEN}, json=lead)\n");
  T.file("src/other.py",
         "import requests\n"
         "def ping():\n"
         "    return requests.get(\"https://www.zohoapis.com/crm/v2/Custom_Thing\",\n"
         "                        params={\"authtoken\": "
         "\"4c8e2a6f0b3d7e1a5c9f3b7d1e5a9c3f\"})\n");
  RunResult J = run({"scan", "--format", "json", T.str() + "/src"});
  EXPECT_EQ(J.Code, 1) << J.Err;
  auto V = llvm::json::parse(J.Out);
  ASSERT_TRUE(bool(V)) << J.Out;
  std::map<std::string, std::set<std::string>> ByLine;
  unsigned Findings = 0;
  for (const llvm::json::Value &F : *V->getAsObject()->getArray("findings")) {
    const llvm::json::Object *O = F.getAsObject();
    ++Findings;
    const llvm::json::Array *S = O->getArray("scopes_needed");
    ASSERT_TRUE(S) << "scopes_needed is always present";
    std::string Key = llvm::sys::path::filename(*O->getString("path")).str() + ":" +
                      std::to_string(O->getObject("start")->getInteger("line").getValueOr(0));
    for (const llvm::json::Value &Sc : *S)
      ByLine[Key].insert(Sc.getAsString()->str());
  }
  EXPECT_GE(Findings, 3u);
  EXPECT_EQ(ByLine["leads.py:6"], std::set<std::string>{"ZohoCRM.modules.leads.READ"}) << J.Out;
  EXPECT_EQ(ByLine["leads.py:10"], std::set<std::string>{"ZohoCRM.modules.leads.CREATE"});
  EXPECT_EQ(ByLine["other.py:4"], std::set<std::string>{"ZohoCRM.modules.ALL"});
  RunResult Tx = run({"scan", "--color", "never", T.str() + "/src"});
  EXPECT_NE(
      Tx.Out.find("\nscopes for Zoho CRM: ZohoCRM.modules.ALL,ZohoCRM.modules.leads.CREATE,"
                  "ZohoCRM.modules.leads.READ (catch-all, no narrower scope known: "
                  "ZohoCRM.modules.ALL)\n"),
      std::string::npos)
      << Tx.Out;
  RunResult Q = run({"scan", "--quiet", "--color", "never", T.str() + "/src"});
  EXPECT_EQ(Q.Out.find("scopes for"), std::string::npos) << Q.Out;
  RunResult Sa = run({"scan", "--format", "sarif", T.str() + "/src"});
  auto SV = llvm::json::parse(Sa.Out);
  ASSERT_TRUE(bool(SV));
  bool Seen = false;
  for (const llvm::json::Value &Res :
       *(*SV->getAsObject()->getArray("runs"))[0].getAsObject()->getArray("results")) {
    const llvm::json::Array *S =
        Res.getAsObject()->getObject("properties")->getArray("scopesNeeded");
    ASSERT_TRUE(S);
    for (const llvm::json::Value &Sc : *S)
      Seen |= Sc.getAsString()->str() == "ZohoCRM.modules.leads.READ";
  }
  EXPECT_TRUE(Seen) << Sa.Out;
  // A table of one's own replaces the built-in one; a broken one names file and line.
  T.file("rules/catalog/scopes.yaml",
         "version: 1\nproducts:\n  - product: crm\n    source: ours\n    rows:\n"
         "      - path: '/crm/v2/Leads'\n        scopes: [Our.Leads.scope]\n");
  RunResult O =
      run({"scan", "--color", "never", "--rules", T.str() + "/rules", T.str() + "/src"});
  EXPECT_NE(O.Out.find("\nscopes for Zoho CRM: Our.Leads.scope\n"), std::string::npos) << O.Out;
  T.file("rules/catalog/scopes.yaml",
         "version: 1\nproducts:\n  - product: crm\n    rowz: []\n");
  RunResult B = run({"scan", "--rules", T.str() + "/rules", T.str() + "/src"});
  EXPECT_EQ(B.Code, 2);
  EXPECT_NE(B.Err.find("catalog/scopes.yaml:4:5: unknown key 'rowz'"), std::string::npos)
      << B.Err;
}

TEST(Cli, ClassicMacLineEndsAreLines) {
  // A PHP file saved with lone '\r' line ends (classic Mac OS): the findings are on the
  // editor's lines, and a `//` comment ends at its '\r', so the code after it is code.
  TempDir T;
  T.file("mac/invoice.php", "<?php\r// list the customers\r$token = $opts['zoho_auth_token'];\r"
                            "$x = simplexml_load_file('https://invoice.zoho.com/api/customers'"
                            " . '?authtoken=' . $token . '&scope=invoiceapi');\r");
  RunResult R = run({"scan", "--color", "never", "--no-syntax", T.str() + "/mac"});
  EXPECT_EQ(R.Code, 1) << R.Err;
  EXPECT_NE(R.Out.find("invoice.php:4:"), std::string::npos) << R.Out;
  EXPECT_EQ(R.Out.find("invoice.php:1:"), std::string::npos) << R.Out;
  RunResult S = run({"scan", "--color", "never", T.str() + "/mac"});
  EXPECT_EQ(S.Code, 1) << S.Err;
  EXPECT_NE(S.Out.find("invoice.php:4:"), std::string::npos) << S.Out;
  EXPECT_EQ(S.Out.find("invoice.php:1:"), std::string::npos) << S.Out;
  // OK: the same file with "\r\n" line ends has the same lines (a CRLF is one break), and
  // standard input is read the same way.
  T.file("win/invoice.php", "<?php\r\n// list the customers\r\n$token = $opts['zoho_auth_token'];\r\n"
                            "$x = simplexml_load_file('https://invoice.zoho.com/api/customers'"
                            " . '?authtoken=' . $token . '&scope=invoiceapi');\r\n");
  RunResult W = run({"scan", "--color", "never", T.str() + "/win"});
  EXPECT_EQ(W.Code, 1) << W.Err;
  EXPECT_NE(W.Out.find("invoice.php:4:"), std::string::npos) << W.Out;
  EXPECT_EQ(W.Out.find("invoice.php:7:"), std::string::npos) << W.Out;
  atm::e2e::RunOptions In;
  In.StdinFile = T.str() + "/mac/invoice.php";
  RunResult I = atm::e2e::runWith({"scan", "--color", "never", "--stdin-filename", "invoice.php", "-"}, In);
  EXPECT_EQ(I.Code, 1) << I.Err;
  EXPECT_NE(I.Out.find("invoice.php:4:"), std::string::npos) << I.Out;
}
