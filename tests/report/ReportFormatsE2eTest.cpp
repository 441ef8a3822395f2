/// \file
/// End to end: `scan --format NAME=FILE,...` writes every report of one run, each checked
/// by tests/report/check_reports.py (XML well-formed with minidom and xmllint, CSV round
/// trip with Python's csv, Code Quality against tests/report/gitlab-codequality.schema.json,
/// Markdown table shapes and links, all cross-checked with the JSON report); the usage
/// errors exit 2 and leave no file behind.

#include <string>
#include <vector>

#include "e2e/E2eUtil.h"
#include "gtest/gtest.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Program.h"

namespace {

using atm::e2e::readFile;
using atm::e2e::RunResult;
using atm::e2e::TempTree;

const std::string Demo = std::string(ATM_SOURCE_DIR) + "/fixtures/demo-repo";
const std::string AllFormats =
    "sarif=a.sarif,markdown=b.md,junit=c.xml,csv=d.csv,codequality=e.json,json=f.json";
const char *DemoSecret = "4c8e2a6f0b3d7e1a5c9f3b7d1e5a9c3f"; // src/crm_sync.py
const char *Secret = "9d3b7f1e5a9c3f7e1a5c9f3b7d1e5a2c";

RunResult run(const std::vector<std::string> &Args, const std::string &Cwd,
              std::vector<std::string> Env = {}) {
  // No GITHUB_* from the environment the tests run in, unless a test sets them.
  Env.insert(Env.begin(), {"-u", "GITHUB_SERVER_URL", "-u", "GITHUB_REPOSITORY", "-u",
                           "GITHUB_SHA", "CI=true"});
  atm::e2e::RunOptions O;
  O.Cwd = Cwd;
  O.Env = std::move(Env);
  return atm::e2e::runWith(Args, O);
}

std::string python() {
  std::string Py = llvm::sys::fs::exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
  auto P = llvm::sys::findProgramByName(Py);
  return P ? *P : "";
}

/// Runs check_reports.py on \p Dir; returns its exit code, its output in \p Log.
int check(const std::string &Dir, std::vector<std::string> Extra, std::string &Log) {
  std::string Py = python();
  if (Py.empty()) {
    Log = "python3 is required (with python3-jsonschema; scripts/bootstrap installs both)";
    return -1;
  }
  std::vector<std::string> Args = {Py, std::string(ATM_SOURCE_DIR) + "/tests/report/check_reports.py", Dir,
                                   std::string(ATM_SOURCE_DIR) + "/tests/report/gitlab-codequality.schema.json"};
  Args.insert(Args.end(), Extra.begin(), Extra.end());
  std::vector<llvm::StringRef> Argv(Args.begin(), Args.end());
  llvm::SmallString<128> LogFile;
  llvm::sys::fs::createTemporaryFile("check-reports", "txt", LogFile);
  llvm::Optional<llvm::StringRef> Redirects[] = {llvm::StringRef(""), llvm::StringRef(LogFile),
                                                 llvm::StringRef(LogFile)};
  int Code = llvm::sys::ExecuteAndWait(Py, Argv, llvm::None, Redirects, 120);
  Log = readFile(LogFile);
  llvm::sys::fs::remove(LogFile);
  return Code;
}

unsigned entries(const std::string &Dir) {
  std::error_code EC;
  unsigned N = 0;
  for (llvm::sys::fs::directory_iterator It(Dir, EC), End; It != End && !EC; It.increment(EC))
    ++N;
  return N;
}

} // namespace

TEST(ReportFormatsE2e, OneRunWritesEveryReportOfTheDemoRepository) {
  TempTree Out;
  RunResult R = run({"scan", "--as-of", "2026-11-24", "--format", AllFormats, Demo}, Out.str());
  EXPECT_EQ(R.Code, 1) << R.Err;
  EXPECT_EQ(R.Out, "") << "every report went to its file";
  for (const char *F : {"a.sarif", "b.md", "c.xml", "d.csv", "e.json", "f.json"})
    EXPECT_TRUE(llvm::sys::fs::exists(Out.str() + "/" + F)) << F;
  EXPECT_EQ(entries(Out.str()), 6u) << "no temporary file left";
  std::string Log;
  EXPECT_EQ(check(Out.str(), {"--secret", DemoSecret}, Log), 0) << Log;
  EXPECT_NE(readFile(Out.str() + "/b.md").find("### By product"), std::string::npos);

  // The checker can fail: a broken XML file and an off-spec Code Quality severity.
  TempTree Bad;
  for (const char *F : {"a.sarif", "b.md", "d.csv", "f.json"})
    Bad.file(F, readFile(Out.str() + "/" + F));
  Bad.file("c.xml", readFile(Out.str() + "/c.xml") + "<testsuites>");
  std::string CQ = readFile(Out.str() + "/e.json");
  size_t P = CQ.find("\"major\"");
  ASSERT_NE(P, std::string::npos);
  Bad.file("e.json", CQ.replace(P, 7, "\"error\""));
  EXPECT_NE(check(Bad.str(), {}, Log), 0) << Log;
  EXPECT_NE(Log.find("c.xml: not well-formed"), std::string::npos) << Log;
  EXPECT_NE(Log.find("e.json: schema"), std::string::npos) << Log;
}

TEST(ReportFormatsE2e, HostileNamesAndBytesStayWellFormedWithGitHubLinks) {
  TempTree T;
  T.dir(".git"); // the scan root
  T.file("src/=we|ird,\"q\" `x`.py",
         std::string("u = 'https://crm.zoho.com/crm/private/json/Leads/getRecords?authtoken=") +
             Secret + "&scope=crmapi'  # \xFF\xFE \x01\x1b[31m | `tick` <b>&amp;</b>\n");
  T.file("-lead.js", "fetch('https://desk.zoho.com/api/v1/tickets?authtoken=' + tok);\n");
  T.file("@at.php", "<?php $u = \"https://books.zoho.com/api/v3/invoices?authtoken=\" . $t;\n");
  TempTree Out;
  RunResult R = run({"scan", "--as-of", "2026-11-24", "--format", AllFormats, T.str()}, Out.str(),
                    {"GITHUB_SERVER_URL=https://github.com", "GITHUB_REPOSITORY=acme/zoho-sync",
                     "GITHUB_SHA=0123456789abcdef"});
  EXPECT_EQ(R.Code, 1) << R.Err;
  std::string Log;
  EXPECT_EQ(check(Out.str(), {"--secret", Secret, "--links"}, Log), 0) << Log;
  std::string Md = readFile(Out.str() + "/b.md");
  EXPECT_NE(Md.find("https://github.com/acme/zoho-sync/blob/0123456789abcdef/src/%3Dwe%7Cird%2C%22q%22%20%60x%60.py#L1"),
            std::string::npos) << Md;
  std::string Csv = readFile(Out.str() + "/d.csv");
  EXPECT_NE(Csv.find("\r\n'-lead.js,1,"), std::string::npos) << Csv;
  EXPECT_NE(Csv.find("\r\n'@at.php,1,"), std::string::npos) << Csv;
  EXPECT_NE(Csv.find("\r\n\"src/=we|ird,\"\"q\"\" `x`.py\",1,"), std::string::npos) << Csv;
}

TEST(ReportFormatsE2e, CleanScanStillShowsARun) {
  TempTree T;
  T.dir(".git");
  T.file("ok.py", "print('nothing legacy here')\n");
  TempTree Out;
  RunResult R = run({"scan", "--format", AllFormats, T.str()}, Out.str());
  EXPECT_EQ(R.Code, 0) << R.Err;
  std::string Log;
  EXPECT_EQ(check(Out.str(), {"--clean"}, Log), 0) << Log;
  EXPECT_NE(readFile(Out.str() + "/c.xml").find("name=\"no legacy Zoho authtoken usage\""),
            std::string::npos);
  EXPECT_EQ(readFile(Out.str() + "/e.json"), "[]\n");
}

TEST(ReportFormatsE2e, OneNameStillGoesToStdoutOrOutput) {
  TempTree Out;
  RunResult R = run({"scan", "--format", "junit", Demo}, Out.str());
  EXPECT_EQ(R.Code, 1) << R.Err;
  EXPECT_EQ(R.Out.rfind("<?xml version=\"1.0\"", 0), 0u) << R.Out;
  R = run({"scan", "--format", "csv", "--output", "r.csv", Demo}, Out.str());
  EXPECT_EQ(R.Code, 1) << R.Err;
  EXPECT_EQ(readFile(Out.str() + "/r.csv").rfind("path,line,column,", 0), 0u);
  // One list entry may be stdout.
  R = run({"scan", "--format", "markdown=-,codequality=gl.json", Demo}, Out.str());
  EXPECT_EQ(R.Code, 1) << R.Err;
  EXPECT_EQ(R.Out.rfind("## authtoken-migrate: ", 0), 0u) << R.Out;
  EXPECT_EQ(readFile(Out.str() + "/gl.json").rfind("[\n", 0), 0u);
}

TEST(ReportFormatsE2e, UsageErrorsExitTwoAndWriteNothing) {
  struct Case {
    std::vector<std::string> Args;
    const char *Says;
  } Cases[] = {
      {{"--format", "sarif=a.sarif,jnuit=c.xml"}, "unknown format 'jnuit'; did you mean 'junit'?"},
      {{"--format", "sarif=a.sarif,csv=d.csv,sarif=b.sarif"}, "'sarif' is given twice"},
      {{"--format", "sarif=-,markdown=b.md,csv=-"}, "standard output ('-') is given twice"},
      {{"--format", "sarif=a.sarif,json=a.sarif"}, "'a.sarif' is given twice"},
      {{"--format", "sarif=a.sarif,markdown=b.md", "--output", "x.txt"}, "--output goes with a single"},
      {{"--format", "xml"}, "unknown format 'xml'"},
      // Rendered but not writable: nothing is written, not even the good files.
      {{"--format", "sarif=a.sarif,csv=no/such/dir/d.csv,markdown=b.md"}, "no/such/dir/d.csv"},
  };
  for (const Case &C : Cases) {
    TempTree Out;
    std::vector<std::string> Args = {"scan"};
    Args.insert(Args.end(), C.Args.begin(), C.Args.end());
    Args.push_back(Demo);
    RunResult R = run(Args, Out.str());
    EXPECT_EQ(R.Code, 2) << C.Says << "\n" << R.Err;
    EXPECT_NE(R.Err.find(C.Says), std::string::npos) << R.Err;
    EXPECT_EQ(R.Err.rfind("authtoken-migrate: error: ", 0), 0u) << R.Err;
    EXPECT_EQ(R.Out, "") << C.Says;
    EXPECT_EQ(entries(Out.str()), 0u) << C.Says << ": a file was left behind";
  }
}
