/// \file
/// Unit tests of the CI report writers (report/CiReports.h), their escaping
/// (report/ReportText.h) and the --format list (report/FormatList.h).

#include "report/CiReports.h"
#include "report/FormatList.h"
#include "report/ReportText.h"

#include <set>

#include "gtest/gtest.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

using namespace atm;

namespace {

const char *Secret = "3f2c8e7a9b1d4c6e8f0a2b4c6d8e0f1a";

const RuleSet &rules() {
  static RuleSet *RS = new RuleSet(std::move(*buildRuleSet(builtinRuleSources())));
  return *RS;
}

/// Two real findings of the rule engine (CRM, in data centre, past cutoff).
ScanResult sample() {
  EngineOptions O;
  O.AsOf = *Date::parse("2026-11-24");
  RuleEngine E(rules(), O);
  ScanResult R;
  FileResult F = E.scan("src/a.py", Language::Python,
                        std::string("u = 'https://crm.zoho.in/crm/private/json/Leads/getRecords?authtoken=") +
                            Secret + "&scope=crmapi'  # caf\xC3\xA9\n");
  R.Findings = F.Findings;
  R.Stats.FilesScanned = 1;
  return R;
}

ReportContext ctx() {
  ReportContext C;
  C.ToolVersion = "9.9.9";
  C.AsOf = *Date::parse("2026-11-24");
  C.Rules = &rules();
  return C;
}

/// A finding with hostile text everywhere a writer copies text from.
Finding hostile() {
  Finding F;
  F.RuleId = "zoho-authtoken-url-param";
  F.Sev = Severity::Critical;
  F.Path = "we|ird,\"dir\"/=cmd`x`.py";
  F.Begin = {3, 5};
  F.End = {3, 9};
  F.Message = "bad | message with `ticks`, *stars*, <b>html</b> & \"quotes\"\nline two\x01\x1b[31m";
  F.ProductName = "Zoho CRM";
  F.Cutoff = "2027-06-30";
  F.CutoffConfirmed = false;
  F.Status = "due in 218 days (2027-06-30)";
  F.Snippet = "x = \"\xFF\xFE bytes \x0b\x7f\" | `y` \\| z\n";
  F.LineText = F.Snippet;
  F.Fingerprint = "fp-hostile";
  F.FixHint = "Use OAuth & refresh tokens <now>";
  return F;
}

template <typename Fn> std::string render(Fn &&Write) {
  std::string S;
  llvm::raw_string_ostream OS(S);
  Write(OS);
  OS.flush();
  return S;
}

/// Cells of a GFM table row: split at pipes not preceded by a backslash escape.
size_t unescapedPipes(llvm::StringRef Line) {
  size_t N = 0;
  for (size_t I = 0; I < Line.size(); ++I) {
    if (Line[I] == '\\') {
      ++I;
      continue;
    }
    N += Line[I] == '|';
  }
  return N;
}

} // namespace

// ---- text hygiene ----------------------------------------------------------------------

TEST(ReportText, InvalidUtf8BecomesReplacementCharacters) {
  EXPECT_EQ(cleanText("caf\xC3\xA9"), "caf\xC3\xA9");
  EXPECT_EQ(cleanText("a\xFF" "b"), "a\xEF\xBF\xBD" "b");
  EXPECT_EQ(cleanText("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD");       // overlong '/'
  EXPECT_EQ(cleanText("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"); // surrogate
  EXPECT_EQ(cleanText("\xF4\x90\x80\x80").size(), 12u);               // past U+10FFFF
  EXPECT_EQ(cleanText("\xE2\x82"), "\xEF\xBF\xBD\xEF\xBF\xBD");       // truncated
  EXPECT_EQ(cleanText("\xF0\x9F\x94\x91"), "\xF0\x9F\x94\x91");       // U+1F511 kept
  EXPECT_TRUE(isValidUtf8(cleanText("\x80\xBF\xC2")));
}

TEST(ReportText, XmlDropsWhatXml10Forbids) {
  EXPECT_EQ(cleanText("a\x01\x1b" "b\tc\nd\re\x7f", TextClean::Xml10), "ab\tc\nd\re\x7f");
  EXPECT_EQ(cleanText("\xEF\xBF\xBE\xEF\xBF\xBF" "x", TextClean::Xml10), "x"); // U+FFFE/FFFF
  EXPECT_EQ(xmlEscape("<a href=\"x\">&'</a>", false), "&lt;a href=\"x\"&gt;&amp;'&lt;/a&gt;");
  EXPECT_EQ(xmlEscape("<\"'&>\t\n\r", true), "&lt;&quot;&apos;&amp;&gt;&#9;&#10;&#13;");
  EXPECT_EQ(xmlEscape("x\x00y\xFF", false).find('\0'), std::string::npos);
  EXPECT_EQ(xmlEscape(llvm::StringRef("x\0y", 3), false), "xy");
}

TEST(ReportText, MarkdownCellsCannotBreakTheTable) {
  EXPECT_EQ(markdownText("a|b"), "a\\|b");
  EXPECT_EQ(markdownText("`code` *b* _i_ [l](u) <x> ~s~ & $m$"),
            "\\`code\\` \\*b\\* \\_i\\_ \\[l\\](u) \\<x\\> \\~s\\~ \\& \\$m\\$");
  EXPECT_EQ(markdownText("one\r\ntwo\nthree\rfour"), "one<br>two<br>three<br>four");
  EXPECT_EQ(markdownText("back\\slash|"), "back\\\\slash\\|");
  EXPECT_EQ(markdownText("esc\x1b[0m"), "esc\\[0m"); // no terminal escapes
  EXPECT_EQ(markdownCode("  x = `a|b`\n  y  "), "<code>x = \\`a\\|b\\`   y</code>");
  EXPECT_EQ(markdownCode(" \n "), "");
  // A backslash right before a pipe stays in the cell.
  EXPECT_EQ(unescapedPipes(markdownCode("a\\|b")), 0u);
  EXPECT_EQ(unescapedPipes(markdownText("a\\\\|b|\\")), 0u);
}

TEST(ReportText, CsvFieldsQuoteAndDefuseFormulas) {
  EXPECT_EQ(csvField("plain text"), "plain text");
  EXPECT_EQ(csvField("a,b"), "\"a,b\"");
  EXPECT_EQ(csvField("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(csvField("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(csvField("cr\rhere"), "\"cr\rhere\"");
  for (const char *F : {"=1+1", "+1", "-1", "@SUM(A1)", "\tx"})
    EXPECT_EQ(csvField(F), std::string("'") + F) << F;
  EXPECT_EQ(csvField("=HYPERLINK(\"http://x\",\"y\")"), "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
  EXPECT_EQ(csvField("\rx"), "\"'\rx\"");
  EXPECT_EQ(csvField("a=b"), "a=b");
  EXPECT_EQ(csvField(""), "");
  EXPECT_EQ(csvField("x\x01y\xFF"), "xy\xEF\xBF\xBD");
}

// ---- JUnit ---------------------------------------------------------------------------

TEST(JUnit, OneSuitePerFileAndOneFailingCasePerFinding) {
  ScanResult R = sample();
  ASSERT_EQ(R.Findings.size(), 2u);
  R.Findings.push_back(hostile());
  ReportContext NoRules = ctx();
  NoRules.Rules = nullptr;
  std::string X = render([&](llvm::raw_ostream &OS) { writeJUnit(OS, R, NoRules); });
  EXPECT_TRUE(llvm::StringRef(X).startswith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")) << X;
  EXPECT_NE(X.find("<testsuites name=\"authtoken-migrate\" tests=\"3\" failures=\"3\""), std::string::npos) << X;
  EXPECT_NE(X.find("<testsuite name=\"src/a.py\" tests=\"2\" failures=\"2\""), std::string::npos) << X;
  EXPECT_NE(X.find("<testcase classname=\"src/a.py\" name=\"zoho-authtoken-url-param line 1\""), std::string::npos) << X;
  EXPECT_NE(X.find("<failure type=\"error\" message=\"Zoho CRM call passes the legacy authtoken"), std::string::npos) << X;
  EXPECT_NE(X.find("product: Zoho CRM (in data centre)"), std::string::npos) << X;
  EXPECT_NE(X.find("cutoff: 2018-12-31, past cutoff since 2018-12-31"), std::string::npos) << X;
  // The hostile finding: escaped, no control characters, valid UTF-8.
  EXPECT_NE(X.find("<testsuite name=\"we|ird,&quot;dir&quot;/=cmd`x`.py\""), std::string::npos) << X;
  EXPECT_NE(X.find("<failure type=\"critical\" message=\"bad | message with `ticks`, *stars*, &lt;b&gt;html&lt;/b&gt; &amp; &quot;quotes&quot;&#10;line two[31m\""),
            std::string::npos) << X;
  EXPECT_NE(X.find("cutoff: 2027-06-30, due in 218 days (2027-06-30), date unconfirmed"), std::string::npos);
  EXPECT_NE(X.find("how to fix: Use OAuth &amp; refresh tokens &lt;now&gt;"), std::string::npos) << "no rules: the hint";
  // With the rules: the rule's whole help, its lines joined.
  std::string Help = rules().find("zoho-authtoken-url-param")->Help;
  ASSERT_NE(Help.find('\n'), std::string::npos);
  ReportContext WithRules = ctx();
  R.Findings.pop_back();
  X = render([&](llvm::raw_ostream &OS) { writeJUnit(OS, R, WithRules); });
  std::string FirstLine = llvm::StringRef(Help).split('\n').first.str();
  EXPECT_NE(X.find("how to fix: " + xmlEscape(FirstLine, false) + " "), std::string::npos) << X;
  EXPECT_TRUE(isValidUtf8(X));
  for (char C : X)
    EXPECT_FALSE(static_cast<unsigned char>(C) < 0x20 && C != '\n' && C != '\t') << int(C);
  EXPECT_EQ(X.find(Secret), std::string::npos) << "secret leaked";
}

TEST(JUnit, SameRuleTwiceOnALineGetsTheColumn) {
  ScanResult R;
  Finding A = hostile(), B = hostile();
  A.Path = B.Path = "x.py";
  B.Begin.Column = 20;
  R.Findings = {A, B};
  std::string X = render([&](llvm::raw_ostream &OS) { writeJUnit(OS, R, ctx()); });
  EXPECT_NE(X.find("name=\"zoho-authtoken-url-param line 3 column 5\""), std::string::npos) << X;
  EXPECT_NE(X.find("name=\"zoho-authtoken-url-param line 3 column 20\""), std::string::npos) << X;
}

TEST(JUnit, CleanScanIsOnePassingTestcase) {
  ScanResult R;
  R.Stats.FilesScanned = 7;
  std::string X = render([&](llvm::raw_ostream &OS) { writeJUnit(OS, R, ctx()); });
  EXPECT_NE(X.find("tests=\"1\" failures=\"0\""), std::string::npos) << X;
  EXPECT_NE(X.find("<testcase classname=\"authtoken-migrate\" name=\"no legacy Zoho authtoken usage\">"), std::string::npos) << X;
  EXPECT_NE(X.find("7 files scanned as of 2026-11-24"), std::string::npos) << X;
  EXPECT_EQ(X.find("<failure"), std::string::npos);
}

// ---- Markdown ------------------------------------------------------------------------

TEST(Markdown, TotalsProductsTopFindingsAndFixes) {
  ScanResult R = sample();
  R.Findings.push_back(hostile());
  R.Findings.back().Fixable = true;
  R.Stats.Suppressed = 2;
  MarkdownOptions MO;
  MO.BlobBase = "https://github.com/acme/sync/blob/0123abc/";
  std::string M = render([&](llvm::raw_ostream &OS) { writeMarkdown(OS, R, ctx(), MO); });
  EXPECT_NE(M.find("## authtoken-migrate: 3 findings\n"), std::string::npos) << M;
  EXPECT_NE(M.find("**3 findings** (1 critical, 2 error) · 1 file scanned · as of 2026-11-24"), std::string::npos) << M;
  EXPECT_NE(M.find("Not counted: 2 suppressed by inline comments."), std::string::npos) << M;
  EXPECT_EQ(M.find("during the scan"), std::string::npos);
  R.Stats.Problems = {"src/x.py: cannot read: Permission denied"};
  EXPECT_NE(render([&](llvm::raw_ostream &OS) { writeMarkdown(OS, R, ctx(), MO); })
                .find("**1 problem during the scan** (files that could not be read or parsed"),
            std::string::npos);
  EXPECT_NE(M.find("| Zoho CRM | 2 | 2018-12-31 | **past** | yes |"), std::string::npos) << M;
  EXPECT_NE(M.find("| Zoho CRM | 1 | 2027-06-30 | due in 218 days | no |"), std::string::npos) << M;
  // Most severe first; links to the blob with #L.
  size_t Crit = M.find("| critical |"), Err = M.find("| error |");
  ASSERT_NE(Crit, std::string::npos);
  EXPECT_LT(Crit, Err);
  EXPECT_NE(M.find("[src/a.py:1](https://github.com/acme/sync/blob/0123abc/src/a.py#L1)"), std::string::npos) << M;
  EXPECT_NE(M.find("(https://github.com/acme/sync/blob/0123abc/we%7Cird%2C%22dir%22/%3Dcmd%60x%60.py#L3)"), std::string::npos) << M;
  EXPECT_NE(M.find("**1 of 3 findings** can be fixed automatically"), std::string::npos) << M;
  EXPECT_NE(M.find("`authtoken-migrate fix --write`"), std::string::npos) << M;
  EXPECT_EQ(M.find(Secret), std::string::npos) << "secret leaked";
  EXPECT_NE(M.find("3f2c\xE2\x80\xA6"), std::string::npos) << "the redacted snippet is shown";
  EXPECT_TRUE(isValidUtf8(M));
  // Every table row has as many cell separators as its header.
  size_t Expected = 0;
  llvm::SmallVector<llvm::StringRef, 64> Lines;
  llvm::StringRef(M).split(Lines, '\n');
  for (llvm::StringRef L : Lines) {
    if (!L.startswith("|")) {
      Expected = 0;
      continue;
    }
    if (!Expected)
      Expected = unescapedPipes(L);
    EXPECT_EQ(unescapedPipes(L), Expected) << L.str();
  }
}

TEST(Markdown, PlainLocationsWithoutGitHubAndAtMostTwentyFindings) {
  ScanResult R;
  for (unsigned I = 1; I <= 25; ++I) {
    Finding F = hostile();
    F.Path = "src/f.py";
    F.Begin.Line = I;
    F.Sev = I == 25 ? Severity::Critical : Severity::Warning;
    R.Findings.push_back(F);
  }
  std::string M = render([&](llvm::raw_ostream &OS) { writeMarkdown(OS, R, ctx()); });
  EXPECT_NE(M.find("### Top 20 findings"), std::string::npos) << M;
  EXPECT_NE(M.find("5 more findings not listed"), std::string::npos) << M;
  EXPECT_EQ(M.find("]("), std::string::npos) << "no links without GITHUB_* variables";
  // The critical one (last in path order) comes first.
  size_t First = M.find("| critical | src/f.py:25 |");
  EXPECT_NE(First, std::string::npos) << M;
  EXPECT_LT(First, M.find("| warning | src/f.py:1 |"));
  EXPECT_EQ(M.find("src/f.py:20 |"), std::string::npos) << "the 21st is not listed";
  EXPECT_NE(M.find("No finding has an automatic fix"), std::string::npos);
}

TEST(Markdown, CleanScan) {
  ScanResult R;
  R.Stats.FilesScanned = 4;
  std::string M = render([&](llvm::raw_ostream &OS) { writeMarkdown(OS, R, ctx()); });
  EXPECT_EQ(M, "## authtoken-migrate: no legacy authtoken usage\n\n"
               "No legacy Zoho authtoken usage found (4 files scanned, as of 2026-11-24).\n");
}

TEST(Markdown, GitHubBlobBaseNeedsAllThreeVariables) {
  ::setenv("GITHUB_SERVER_URL", "https://github.example/", 1);
  ::setenv("GITHUB_REPOSITORY", "acme/sync", 1);
  ::setenv("GITHUB_SHA", "abc123", 1);
  EXPECT_EQ(githubBlobBase(), "https://github.example/acme/sync/blob/abc123/");
  ::unsetenv("GITHUB_SHA");
  EXPECT_EQ(githubBlobBase(), "");
  ::unsetenv("GITHUB_SERVER_URL");
  ::unsetenv("GITHUB_REPOSITORY");
}

// ---- CSV -----------------------------------------------------------------------------

TEST(Csv, HeaderRowsCrlfAndEscaping) {
  ScanResult R = sample();
  R.Findings.push_back(hostile());
  std::string C = render([&](llvm::raw_ostream &OS) { writeCsv(OS, R, ctx()); });
  EXPECT_TRUE(llvm::StringRef(C).startswith(
      "path,line,column,end_line,end_column,rule,severity,product,data_centre,cutoff,status,"
      "fixable,fingerprint,message\r\n")) << C;
  EXPECT_NE(C.find("\r\nsrc/a.py,1,60,"), std::string::npos) << C;
  EXPECT_NE(C.find(",zoho-authtoken-url-param,error,Zoho CRM,in,2018-12-31,past cutoff since 2018-12-31"), std::string::npos) << C;
  EXPECT_NE(C.find("\r\n\"we|ird,\"\"dir\"\"/=cmd`x`.py\",3,5,3,9,"), std::string::npos) << C;
  EXPECT_NE(C.find(",\"due in 218 days (2027-06-30), date unconfirmed\",false,fp-hostile,"), std::string::npos) << C;
  EXPECT_NE(C.find("\"bad | message with `ticks`, *stars*, <b>html</b> & \"\"quotes\"\"\nline two[31m\"\r\n"), std::string::npos) << C;
  EXPECT_EQ(C.find(Secret), std::string::npos);
  R.Findings.back().Path = "=cmd|' /C calc'!A0.py";
  C = render([&](llvm::raw_ostream &OS) { writeCsv(OS, R, ctx()); });
  EXPECT_NE(C.find("\r\n'=cmd|' /C calc'!A0.py,3,"), std::string::npos) << C;
}

// ---- GitLab Code Quality ---------------------------------------------------------------

TEST(CodeQuality, IssuesHaveTheGitLabFields) {
  ScanResult R = sample();
  R.Findings.push_back(hostile());
  R.Findings.push_back(hostile()); // the same fingerprint twice
  R.Findings.back().Begin.Line = 9;
  Finding NoteF = hostile();
  NoteF.Sev = Severity::Note;
  NoteF.Fingerprint.clear();
  Finding WarnF = NoteF;
  WarnF.Sev = Severity::Warning;
  WarnF.Begin.Line = 10;
  R.Findings.push_back(NoteF);
  R.Findings.push_back(WarnF);
  std::string J = render([&](llvm::raw_ostream &OS) { writeCodeQuality(OS, R, ctx()); });
  auto V = llvm::json::parse(J);
  ASSERT_TRUE(bool(V)) << llvm::toString(V.takeError()) << J;
  auto *A = V->getAsArray();
  ASSERT_TRUE(A);
  ASSERT_EQ(A->size(), 6u);
  std::set<std::string> Fps;
  std::vector<std::string> Sevs;
  for (const llvm::json::Value &I : *A) {
    const llvm::json::Object *O = I.getAsObject();
    ASSERT_TRUE(O);
    for (const char *K : {"description", "check_name", "fingerprint", "severity"})
      ASSERT_TRUE(O->getString(K)) << K;
    Fps.insert(O->getString("fingerprint")->str());
    Sevs.push_back(O->getString("severity")->str());
    auto *Loc = O->getObject("location");
    ASSERT_TRUE(Loc && Loc->getString("path") && Loc->getObject("lines"));
    EXPECT_GE(Loc->getObject("lines")->getInteger("begin").getValueOr(0), 1);
  }
  EXPECT_EQ(Fps.size(), 6u) << "fingerprints are unique";
  EXPECT_EQ(Sevs, (std::vector<std::string>{"major", "major", "critical", "critical", "info", "minor"}));
  auto *First = (*A)[0].getAsObject();
  EXPECT_EQ(*First->getString("check_name"), "zoho-authtoken-url-param");
  EXPECT_EQ(*First->getObject("location")->getString("path"), "src/a.py");
  EXPECT_NE(First->getString("description")->find("(past cutoff since 2018-12-31)"), llvm::StringRef::npos);
  EXPECT_EQ(J.find(Secret), std::string::npos);
  EXPECT_EQ(render([&](llvm::raw_ostream &OS) { writeCodeQuality(OS, ScanResult(), ctx()); }), "[]\n");
}

// ---- --format ------------------------------------------------------------------------

namespace {
std::string err(llvm::StringRef Spec, llvm::StringRef Output = "") {
  auto O = parseFormatList(Spec, Output);
  if (O)
    return "";
  return llvm::toString(O.takeError());
}
} // namespace

TEST(FormatList, OneNameGoesToStdoutOrOutput) {
  auto O = parseFormatList("junit", "");
  ASSERT_TRUE(bool(O));
  ASSERT_EQ(O->size(), 1u);
  EXPECT_EQ((*O)[0].Format, ReportFormat::JUnit);
  EXPECT_TRUE((*O)[0].toStdout());
  O = parseFormatList("codequality", "gl.json");
  ASSERT_TRUE(bool(O));
  EXPECT_EQ((*O)[0].File, "gl.json");
  for (const ReportFormatInfo &I : reportFormats()) {
    auto P = parseFormatList(I.Name, "");
    ASSERT_TRUE(bool(P)) << I.Name.str();
    EXPECT_EQ((*P)[0].Format, I.Format);
    EXPECT_EQ(reportFormatName(I.Format), I.Name);
  }
}

TEST(FormatList, ListOfNameEqualsFile) {
  auto O = parseFormatList("sarif=out.sarif, markdown=-,csv=r/d.csv", "");
  ASSERT_TRUE(bool(O)) << llvm::toString(O.takeError());
  ASSERT_EQ(O->size(), 3u);
  EXPECT_EQ((*O)[0].Format, ReportFormat::Sarif);
  EXPECT_EQ((*O)[0].File, "out.sarif");
  EXPECT_TRUE((*O)[1].toStdout());
  EXPECT_EQ((*O)[2].File, "r/d.csv");
  O = parseFormatList("json=a.json", ""); // a list of one
  ASSERT_TRUE(bool(O));
  EXPECT_EQ((*O)[0].File, "a.json");
}

TEST(FormatList, ErrorsSayWhatToDo) {
  EXPECT_NE(err("jnuit").find("unknown format 'jnuit'; did you mean 'junit'?"), std::string::npos) << err("jnuit");
  EXPECT_NE(err("xml").find("formats: text, json, sarif, junit, markdown, csv, codequality"), std::string::npos);
  EXPECT_NE(err("sarif=a,markdwon=b").find("did you mean 'markdown'?"), std::string::npos);
  EXPECT_NE(err("SARIF").find("did you mean 'sarif'?"), std::string::npos);
  EXPECT_NE(err("sarif=a.sarif,sarif=b.sarif").find("'sarif' is given twice (sarif=a.sarif, sarif=b.sarif)"), std::string::npos)
      << err("sarif=a.sarif,sarif=b.sarif");
  EXPECT_NE(err("sarif=-,markdown=-").find("standard output ('-') is given twice"), std::string::npos);
  EXPECT_NE(err("json=a.json,codequality=./x/../a.json").find("'./x/../a.json' is given twice"), std::string::npos)
      << err("json=a.json,codequality=./x/../a.json");
  EXPECT_NE(err("sarif=a.sarif", "out").find("--output goes with a single --format NAME"), std::string::npos);
  EXPECT_NE(err("sarif,json").find("'sarif' in a list needs a file"), std::string::npos) << err("sarif,json");
  EXPECT_NE(err("sarif=").find("has no file"), std::string::npos);
  EXPECT_NE(err("=x.sarif").find("has no format name"), std::string::npos);
  EXPECT_NE(err("sarif=a,,json=b").find("empty entry"), std::string::npos);
}

TEST(FormatList, EmitWritesEveryFileOrNone) {
  llvm::SmallString<128> Dir;
  ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("atm-report", Dir));
  std::string A = (Dir + "/a.xml").str(), B = (Dir + "/b.md").str();
  ScanResult R = sample();
  std::string Out;
  llvm::raw_string_ostream OS(Out);
  std::vector<ReportOutput> Outs = {{ReportFormat::JUnit, A}, {ReportFormat::Markdown, B},
                                    {ReportFormat::Csv, "-"}};
  ASSERT_FALSE(bool(emitReports(Outs, R, ctx(), {}, OS)));
  OS.flush();
  EXPECT_TRUE(llvm::StringRef(Out).startswith("path,line,")) << Out;
  auto XA = llvm::MemoryBuffer::getFile(A);
  ASSERT_TRUE(bool(XA));
  EXPECT_TRUE((*XA)->getBuffer().startswith("<?xml"));
  EXPECT_TRUE(llvm::sys::fs::exists(B));
  // One file cannot be written: no file is written, nothing goes to stdout.
  llvm::sys::fs::remove(A);
  llvm::sys::fs::remove(B);
  Out.clear();
  std::vector<ReportOutput> Bad = {{ReportFormat::JUnit, A},
                                   {ReportFormat::Csv, (Dir + "/missing/d.csv").str()},
                                   {ReportFormat::Text, "-"}};
  llvm::Error E = emitReports(Bad, R, ctx(), {}, OS);
  ASSERT_TRUE(bool(E));
  std::string Msg = llvm::toString(std::move(E));
  EXPECT_NE(Msg.find("missing/d.csv"), std::string::npos) << Msg;
  OS.flush();
  EXPECT_EQ(Out, "");
  EXPECT_FALSE(llvm::sys::fs::exists(A));
  std::error_code EC;
  unsigned Left = 0;
  for (llvm::sys::fs::directory_iterator It(Dir, EC), End; It != End && !EC; It.increment(EC))
    ++Left;
  EXPECT_EQ(Left, 0u) << "no temporary file left";
  llvm::sys::fs::remove_directories(Dir);
}
