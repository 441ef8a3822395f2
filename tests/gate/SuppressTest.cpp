// Inline suppressions with reason/until, unused-suppression reporting, the
// .authtoken-migrate-ignore file and the exit codes (issue 14, piece "suppress").

#include "discover/Discover.h"
#include "gate/ExitCode.h"
#include "rules/RuleEngine.h"
#include "rules/Suppression.h"
#include "scan/Scanner.h"

#include <fstream>

#include "gtest/gtest.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

using namespace atm;

namespace {
const RuleSet &rules() {
  static RuleSet *RS = [] {
    auto R = buildRuleSet(builtinRuleSources());
    EXPECT_TRUE(bool(R));
    return new RuleSet(std::move(*R));
  }();
  return *RS;
}

EngineOptions opts() {
  EngineOptions O;
  O.AsOf = *Date::parse("2026-11-24");
  return O;
}

FileResult scanPy(const std::string &Text, const EngineOptions &O) {
  RuleEngine E(rules(), O);
  return E.scan("app/client.py", Language::Python, Text);
}

/// A scratch directory, removed at the end of the test.
struct TempDir {
  llvm::SmallString<128> Path;
  TempDir() {
    llvm::SmallString<128> Made;
    EXPECT_FALSE(llvm::sys::fs::createUniqueDirectory("atm-suppress", Made));
    // The scan root is a real path (discover/Root.h).
    EXPECT_FALSE(llvm::sys::fs::real_path(Made, Path));
  }
  ~TempDir() { llvm::sys::fs::remove_directories(Path); }
  std::string file(llvm::StringRef Rel, const std::string &Text) const {
    llvm::SmallString<128> P(Path);
    llvm::sys::path::append(P, Rel);
    llvm::sys::fs::create_directories(llvm::sys::path::parent_path(P));
    std::ofstream(P.str().str(), std::ios::binary) << Text;
    return P.str().str();
  }
};

const char *const Legacy = "a = {'authtoken': t}"; // zoho-authtoken-param-key (with "# zoho")
} // namespace

TEST(SuppressionMarker, ParsesIdsReasonAndUntilInAnyOrder) {
  auto M = parseSuppressionMarker(
      "authtoken-migrate: ignore[zoho-authtoken-param-key, zoho-authtoken-url-param] "
      "until=2027-01-31 reason=\"vendor code\" and then prose");
  ASSERT_TRUE(M);
  EXPECT_TRUE(M->Problem.empty()) << M->Problem;
  EXPECT_FALSE(M->All);
  EXPECT_EQ(M->Ids, (std::vector<std::string>{"zoho-authtoken-param-key", "zoho-authtoken-url-param"}));
  EXPECT_EQ(M->Reason, "vendor code");
  ASSERT_TRUE(M->Until);
  EXPECT_EQ(M->Until->str(), "2027-01-31");
  EXPECT_TRUE(M->covers("zoho-authtoken-url-param"));
  EXPECT_FALSE(M->covers("zoho-authtoken-header"));

  auto Bare = parseSuppressionMarker("authtoken-migrate: ignore reason='generated'");
  ASSERT_TRUE(Bare);
  EXPECT_TRUE(Bare->All);
  EXPECT_EQ(Bare->Reason, "generated");
  EXPECT_FALSE(Bare->Until);

  auto Star = parseSuppressionMarker("authtoken-migrate:ignore[*]");
  ASSERT_TRUE(Star);
  EXPECT_TRUE(Star->All);
}

TEST(SuppressionMarker, CommentClosersAreNotPartOfTheValues) {
  auto C = parseSuppressionMarker("authtoken-migrate: ignore[x] until=2027-01-31 */");
  ASSERT_TRUE(C);
  EXPECT_TRUE(C->Problem.empty()) << C->Problem;
  EXPECT_EQ(C->Until->str(), "2027-01-31");
  auto H = parseSuppressionMarker("authtoken-migrate: ignore[x] until=2027-01-31-->");
  ASSERT_TRUE(H);
  EXPECT_TRUE(H->Problem.empty()) << H->Problem;
  EXPECT_EQ(H->Until->str(), "2027-01-31");
}

TEST(SuppressionMarker, MalformedMarkersSayWhy) {
  auto NotDate = parseSuppressionMarker("authtoken-migrate: ignore[x] until=2027-02-30");
  ASSERT_TRUE(NotDate);
  EXPECT_EQ(NotDate->Problem, "until=2027-02-30 is not a date YYYY-MM-DD");
  auto Word = parseSuppressionMarker("authtoken-migrate: ignore[x] until=soon");
  ASSERT_TRUE(Word);
  EXPECT_EQ(Word->Problem, "until=soon is not a date YYYY-MM-DD");
  auto Typo = parseSuppressionMarker("authtoken-migrate: ignore[x] untill=2027-01-31");
  ASSERT_TRUE(Typo);
  EXPECT_NE(Typo->Problem.find("unknown attribute 'untill='"), std::string::npos);
  auto Quote = parseSuppressionMarker("authtoken-migrate: ignore[x] reason=\"no end");
  ASSERT_TRUE(Quote);
  EXPECT_NE(Quote->Problem.find("unterminated"), std::string::npos);
  // Not a marker at all.
  EXPECT_FALSE(parseSuppressionMarker("authtoken-migrate: ignored"));
  EXPECT_FALSE(parseSuppressionMarker("authtoken-migrate: scan"));
}

TEST(Suppression, UntilInTheFutureSuppressesAndExpiredReportsTheFindingAgain) {
  EngineOptions O = opts(); // as of 2026-11-24
  std::string Code = std::string("# zoho\n") + Legacy +
                     "  # authtoken-migrate: ignore[zoho-authtoken-param-key] reason=\"vendor\" "
                     "until=2026-11-24\n" +
                     "# authtoken-migrate: ignore[zoho-authtoken-param-key] until=2026-11-23 "
                     "reason=\"migrated by then\"\n" +
                     Legacy + "\n";
  auto R = scanPy(Code, O);
  EXPECT_EQ(R.Suppressed, 1u); // until = the as-of date still holds
  ASSERT_EQ(R.Findings.size(), 1u);
  EXPECT_EQ(R.Findings[0].Begin.Line, 4u);
  llvm::StringRef Msg = R.Findings[0].Message;
  EXPECT_TRUE(Msg.endswith(" (suppression expired on 2026-11-23)")) << Msg.str();
  // The same scan a day earlier: both hold.
  O.AsOf = *Date::parse("2026-11-23");
  EXPECT_EQ(scanPy(Code, O).Findings.size(), 0u);
}

TEST(Suppression, MalformedUntilDoesNotSuppressAndLeavesANote) {
  EngineOptions O = opts();
  auto R = scanPy(std::string("# zoho\n") + Legacy +
                      "  # authtoken-migrate: ignore[zoho-authtoken-param-key] until=31/01/2027\n",
                  O);
  ASSERT_EQ(R.Findings.size(), 1u);
  EXPECT_EQ(R.Suppressed, 0u);
  EXPECT_EQ(R.Findings[0].Message.find("expired"), std::string::npos);
  auto Notes = O.Suppressions->takeNotes();
  ASSERT_EQ(Notes.size(), 1u);
  EXPECT_TRUE(llvm::StringRef(Notes[0]).startswith("app/client.py:2: malformed suppression: ")) << Notes[0];
  EXPECT_NE(Notes[0].find("until=31/01/2027 is not a date"), std::string::npos) << Notes[0];
}

TEST(Suppression, PlacementRulesAreKept) {
  EngineOptions O = opts();
  // A trailing comment on the line before belongs to that line; a string never suppresses.
  auto R = scanPy(std::string("# zoho\n") + "x = 1  # authtoken-migrate: ignore reason=\"x\"\n" +
                      Legacy + "\n" + "s = 'authtoken-migrate: ignore'; " + Legacy + "\n",
                  O);
  EXPECT_EQ(R.Findings.size(), 2u);
  EXPECT_EQ(R.Suppressed, 0u);
}

TEST(Suppression, UnusedMarkersAreReportedOnlyInComments) {
  TempDir D;
  D.file("used.py", std::string("# zoho\n") + Legacy +
                        "  # authtoken-migrate: ignore[zoho-authtoken-param-key] reason=\"vendor\"\n");
  D.file("unused.py", "# zoho\n"
                      "x = 1  # authtoken-migrate: ignore[zoho-authtoken-url-param]\n"
                      "s = 'authtoken-migrate: ignore'\n");
  // No Zoho text at all: the prefilter rejects the file, its marker is still looked at.
  D.file("plain.js", "// authtoken-migrate: ignore until=2030-01-01\nlet a = 1;\n");
  // Expired, but it matched a finding: reported through the finding, not as unused.
  D.file("expired.py", std::string("# zoho\n") + Legacy +
                           "  # authtoken-migrate: ignore until=2020-01-01\n");
  ScanOptions SO;
  SO.Paths = {D.Path.str().str()};
  SO.Discover.Root = D.Path.str().str();
  SO.Engine = opts();
  SO.Jobs = 1;
  SO.ReportUnusedSuppressions = true;
  ScanResult R = runScan(rules(), SO);
  std::vector<std::string> Unused;
  for (const Finding &F : R.Findings)
    if (F.RuleId == UnusedSuppressionRule) {
      Unused.push_back(F.Path + ":" + std::to_string(F.Begin.Line));
      EXPECT_EQ(F.Sev, Severity::Warning);
      EXPECT_EQ(F.Fingerprint.size(), 16u);
      EXPECT_TRUE(F.ProductName.empty());
      EXPECT_NE(F.LineText.find("authtoken-migrate: ignore"), std::string::npos);
    }
  EXPECT_EQ(Unused, (std::vector<std::string>{"plain.js:1", "unused.py:2"}));
  EXPECT_EQ(R.Stats.Suppressed, 1u);
  ASSERT_EQ(llvm::count_if(R.Findings, [](const Finding &F) {
              return F.Message.find("suppression expired on 2020-01-01") != std::string::npos;
            }),
            1);

  // Without the flag: nothing of the sort.
  SO.ReportUnusedSuppressions = false;
  SO.Engine = opts();
  ScanResult Off = runScan(rules(), SO);
  EXPECT_EQ(llvm::count_if(Off.Findings,
                           [](const Finding &F) { return F.RuleId == UnusedSuppressionRule; }),
            0);

  // With --rule, markers for rules that did not run are not "unused".
  SO.ReportUnusedSuppressions = true;
  SO.Engine = opts();
  SO.Engine.OnlyRules = {"zoho-authtoken-param-key"};
  ScanResult Only = runScan(rules(), SO);
  EXPECT_EQ(llvm::count_if(Only.Findings,
                           [](const Finding &F) { return F.RuleId == UnusedSuppressionRule; }),
            0);
}

TEST(Suppression, MalformedMarkersReachTheScanNotes) {
  TempDir D;
  D.file("a.py", std::string("# zoho\n") + Legacy +
                     "  # authtoken-migrate: ignore[zoho-authtoken-param-key] until=tomorrow\n");
  ScanOptions SO;
  SO.Paths = {D.Path.str().str()};
  SO.Discover.Root = D.Path.str().str();
  SO.Engine = opts();
  SO.Jobs = 1;
  ScanResult R = runScan(rules(), SO);
  EXPECT_EQ(R.Findings.size(), 1u);
  ASSERT_EQ(llvm::count_if(R.Stats.Notes,
                           [](const std::string &N) {
                             return llvm::StringRef(N).startswith("a.py:2: malformed suppression");
                           }),
            1);
}

TEST(ToolIgnoreFile, SkipsPathsEvenWithNoIgnoreAndNamedFiles) {
  TempDir D;
  D.file(".authtoken-migrate-ignore", "# vendored\nvendor/\n*.gen.py\n!keep.gen.py\n");
  D.file("vendor/lib.py", "x\n");
  D.file("src/a.gen.py", "x\n");
  D.file("src/keep.gen.py", "x\n");
  D.file("src/app.py", "x\n");
  DiscoverOptions O;
  O.Root = D.Path.str().str();
  O.NoIgnore = true;
  DiscoverStats S;
  auto Files = discoverFiles({O.Root}, O, S);
  std::vector<std::string> Rel;
  for (const DiscoveredFile &F : Files)
    Rel.push_back(F.RelPath);
  EXPECT_EQ(Rel, (std::vector<std::string>{".authtoken-migrate-ignore", "src/app.py",
                                           "src/keep.gen.py"}));
  EXPECT_EQ(S.Ignored, 2u); // vendor/ (one directory) and src/a.gen.py
  // Named on the command line (as pre-commit does): still skipped.
  DiscoverStats S2;
  auto Named = discoverFiles({O.Root + "/src/a.gen.py", O.Root + "/vendor/lib.py",
                              O.Root + "/src/app.py"},
                             O, S2);
  ASSERT_EQ(Named.size(), 1u);
  EXPECT_EQ(Named[0].RelPath, "src/app.py");
  EXPECT_EQ(S2.Ignored, 2u);
}

TEST(ExitCodes, FindingsWinOverAnIncompleteScan) {
  ScanResult R;
  EXPECT_EQ(scanExitCode(R, Severity::Warning, true), 0);
  R.Stats.Unreadable = 1;
  EXPECT_EQ(scanExitCode(R, Severity::Warning, false), 0);
  EXPECT_EQ(scanExitCode(R, Severity::Warning, true), 3);
  Finding F;
  F.Sev = Severity::Note;
  R.Findings.push_back(F);
  EXPECT_EQ(scanExitCode(R, Severity::Warning, true), 3); // below --fail-on
  EXPECT_EQ(scanExitCode(R, Severity::Note, true), 1);
  EXPECT_EQ(scanExitCode(R, std::nullopt, true), 3);     // --fail-on none
  EXPECT_EQ(scanExitCode(R, std::nullopt, false), 0);
}
