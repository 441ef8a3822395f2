/// Baselines (gate/Baseline.h): the file format (sorted, stable, round trip), errors with
/// file:line, expiry, matching, --update's merge, and the fingerprint the entries are keyed
/// by (independent of line numbers, indentation and token values; dependent on the path).

#include "gate/Baseline.h"

#include "rules/RuleEngine.h"
#include "scan/Scanner.h"

#include "gtest/gtest.h"

using namespace atm;

namespace {

BaselineEntry entry(std::string Fp, std::string Rule, std::string Path,
                    std::string Snippet = "x", std::string Reason = "",
                    std::optional<Date> Expires = std::nullopt) {
  BaselineEntry E;
  E.Fingerprint = std::move(Fp);
  E.Rule = std::move(Rule);
  E.Path = std::move(Path);
  E.Snippet = std::move(Snippet);
  E.Reason = std::move(Reason);
  E.Expires = Expires;
  return E;
}

Finding finding(std::string Fp, std::string Rule, std::string Path, unsigned Line = 1) {
  Finding F;
  F.Fingerprint = std::move(Fp);
  F.RuleId = std::move(Rule);
  F.Path = std::move(Path);
  F.Begin.Line = Line;
  F.Message = "legacy authtoken";
  F.LineText = "    url = BASE + '?authtoken=' + t   ";
  return F;
}

std::string errorOf(llvm::StringRef Text) {
  auto B = parseBaseline(Text, "b.json");
  if (B)
    return "(parsed)";
  return llvm::toString(B.takeError());
}

Date day(const char *S) { return *Date::parse(S); }

const RuleSet &rules() {
  static RuleSet *RS = [] {
    auto R = buildRuleSet(builtinRuleSources());
    EXPECT_TRUE(bool(R));
    return new RuleSet(std::move(*R));
  }();
  return *RS;
}

std::vector<Finding> scanAs(const std::string &Path, const std::string &Text,
                            bool ShowSecrets = false) {
  EngineOptions O;
  O.AsOf = day("2026-11-24");
  O.ShowSecrets = ShowSecrets;
  RuleEngine E(rules(), O);
  return E.scan(Path, Language::Python, Text).Findings;
}

} // namespace

TEST(Baseline, WritesSortedStableJsonThatReadsBack) {
  Baseline B;
  B.Entries.push_back(entry("ffff", "zoho-authtoken-url-param", "src/b.py", "u = '?authtoken=' + t"));
  B.Entries.push_back(entry("0002", "zoho-authtoken-url-param", "src/a.py", "s", "vendor code",
                            day("2027-01-31")));
  B.Entries.push_back(entry("0001", "zoho-authtoken-header", "src/a.py", "h = {\"A\": \"Zoho-authtoken \" + t}"));
  std::string Text = formatBaseline(B);
  EXPECT_EQ(Text, R"({
  "version": 1,
  "tool": "authtoken-migrate",
  "entries": [
    {
      "fingerprint": "0001",
      "rule": "zoho-authtoken-header",
      "path": "src/a.py",
      "snippet": "h = {\"A\": \"Zoho-authtoken \" + t}"
    },
    {
      "fingerprint": "0002",
      "rule": "zoho-authtoken-url-param",
      "path": "src/a.py",
      "snippet": "s",
      "reason": "vendor code",
      "expires": "2027-01-31"
    },
    {
      "fingerprint": "ffff",
      "rule": "zoho-authtoken-url-param",
      "path": "src/b.py",
      "snippet": "u = '?authtoken=' + t"
    }
  ]
}
)");
  auto Back = parseBaseline(Text, "b.json");
  ASSERT_TRUE(bool(Back)) << llvm::toString(Back.takeError());
  ASSERT_EQ(Back->Entries.size(), 3u);
  EXPECT_EQ(Back->Entries[1].Reason, "vendor code");
  EXPECT_EQ(Back->Entries[1].Expires->str(), "2027-01-31");
  EXPECT_EQ(Back->Entries[1].Line, 11u); // the entry's '{'
  EXPECT_FALSE(Back->Entries[0].Expires);
  EXPECT_EQ(formatBaseline(*Back), Text); // byte-identical when written again
  // The same entries in any order give the same bytes.
  std::reverse(B.Entries.begin(), B.Entries.end());
  EXPECT_EQ(formatBaseline(B), Text);
  // An empty baseline.
  EXPECT_EQ(formatBaseline(Baseline{}),
            "{\n  \"version\": 1,\n  \"tool\": \"authtoken-migrate\",\n  \"entries\": []\n}\n");
  EXPECT_TRUE(bool(parseBaseline(formatBaseline(Baseline{}), "e.json")));
}

TEST(Baseline, BaselineFilesAreRecognisedAndNeverScanned) {
  Baseline B;
  B.Entries.push_back(entry("0001", "zoho-authtoken-url-param", "src/a.py",
                            "requests.get('https://www.zohoapis.com/crm/v2/Leads?authtoken=' + t)"));
  EXPECT_TRUE(isBaselineFile(formatBaseline(B)));
  EXPECT_TRUE(isBaselineFile("\xEF\xBB\xBF {\"tool\" :\"authtoken-migrate\", \"version\": 1, \"entries\": []}"));
  // The tool's JSON report and other JSON are scanned as usual.
  EXPECT_FALSE(isBaselineFile("{\"schema\": \"authtoken-migrate/scan\", \"schema_version\": 1, "
                              "\"tool\": {\"name\": \"authtoken-migrate\"}}"));
  EXPECT_FALSE(isBaselineFile("{\"authtoken\": \"x\", \"version\": 1}"));
  EXPECT_FALSE(isBaselineFile("[{\"tool\": \"authtoken-migrate\", \"version\": 1}]"));
}

TEST(Baseline, ErrorsNameTheFileAndLine) {
  // JSON syntax: line and column of the parser.
  std::string E = errorOf("{\n  \"version\": 1,\n  \"entries\": [\n    {\"fingerprint\": \"a\",}\n  ]\n}\n");
  EXPECT_EQ(E.rfind("b.json:4:", 0), 0u) << E;
  EXPECT_NE(E.find("invalid JSON"), std::string::npos) << E;
  // A merge conflict marker.
  E = errorOf("{\n  \"version\": 1,\n<<<<<<< HEAD\n  \"entries\": []\n}\n");
  EXPECT_EQ(E.rfind("b.json:3:", 0), 0u) << E;

  const char *Head = "{\n  \"version\": 1,\n  \"tool\": \"authtoken-migrate\",\n  \"entries\": [\n";
  auto Doc = [&](const std::string &Entries) { return Head + Entries + "  ]\n}\n"; };
  std::string Ok = "    {\"fingerprint\": \"a\", \"rule\": \"r\", \"path\": \"p\"},\n";
  // A mistyped key: its line, and a suggestion.
  E = errorOf(Doc(Ok + "    {\n      \"fingerprint\": \"b\", \"rule\": \"r\", \"path\": \"p\",\n"
                       "      \"expire\": \"2027-01-01\"\n    }\n"));
  EXPECT_EQ(E, "b.json:8: unknown key 'expire' in an entry (did you mean 'expires'?); expected "
               "fingerprint, rule, path, snippet, reason, expires");
  // A bad date: the line of "expires".
  E = errorOf(Doc(Ok + "    {\"fingerprint\": \"b\", \"rule\": \"r\", \"path\": \"p\",\n"
                       "     \"expires\": \"2027-02-30\"}\n"));
  EXPECT_EQ(E, "b.json:7: \"expires\": expected a date YYYY-MM-DD, got '2027-02-30'");
  // A missing field: the entry's line.
  E = errorOf(Doc(Ok + "    {\"fingerprint\": \"b\", \"path\": \"p\"}\n"));
  EXPECT_EQ(E, "b.json:6: entry without \"rule\"");
  // Wrong types.
  E = errorOf(Doc(Ok + "    {\"fingerprint\": 7, \"rule\": \"r\", \"path\": \"p\"}\n"));
  EXPECT_EQ(E, "b.json:6: \"fingerprint\" must be a non-empty string");
  E = errorOf(Doc(Ok + "    \"just a string\"\n"));
  EXPECT_EQ(E, "b.json:6: entry 2 is not an object");
  // Duplicate fingerprints: both lines.
  E = errorOf(Doc(Ok + "    {\"fingerprint\": \"a\", \"rule\": \"r2\", \"path\": \"q\"}\n"));
  EXPECT_EQ(E, "b.json:6: duplicate fingerprint a (also on line 5); keep one of the two entries");
  // Not a baseline.
  EXPECT_NE(errorOf("[]").find("b.json:1: expected a JSON object"), std::string::npos);
  EXPECT_NE(errorOf("{\"entries\": []}").find("b.json:1: no \"version\""), std::string::npos);
  EXPECT_NE(errorOf("{\"version\": 2, \"entries\": []}").find("unsupported baseline version"),
            std::string::npos);
  EXPECT_NE(errorOf("{\"version\": 1, \"tool\": \"gitleaks\", \"entries\": []}").find("not a baseline of this tool"),
            std::string::npos);
  EXPECT_EQ(errorOf("{\"version\": 1,\n \"entrys\": []}"),
            "b.json:2: unknown key 'entrys' (did you mean 'entries'?); expected version, tool, entries");
  EXPECT_EQ(errorOf("{\"version\": 1}"),
            "b.json:1: no \"entries\" array (an empty baseline is \"entries\": [])");
  // A missing file.
  auto R = readBaseline("/nonexistent/dir/b.json");
  ASSERT_FALSE(bool(R));
  std::string M = llvm::toString(R.takeError());
  EXPECT_EQ(M.rfind("/nonexistent/dir/b.json: cannot read the baseline: ", 0), 0u) << M;
}

TEST(Baseline, RemovesMatchedFindingsAndKeepsExpiredOnes) {
  ScanResult R;
  R.Findings = {finding("a", "r1", "x.py", 3), finding("b", "r1", "x.py", 9),
                finding("c", "r2", "y.py", 1), finding("d", "r2", "y.py", 2)};
  Baseline B;
  B.Entries = {entry("a", "r1", "x.py"),
               entry("b", "r1", "x.py", "x", "vendor code", day("2026-11-23")),
               entry("d", "r2", "y.py", "x", "", day("2026-11-24")), // holds on its date
               entry("z", "r9", "gone.py")};
  BaselineMatch M = applyBaseline(R, B, day("2026-11-24"));
  EXPECT_EQ(M.Baselined, 2u);
  EXPECT_EQ(M.Expired, 1u);
  EXPECT_EQ(R.Stats.Baselined, 2u);
  EXPECT_EQ(M.Matched, (std::vector<bool>{true, true, true, false}));
  ASSERT_EQ(R.Findings.size(), 2u);
  EXPECT_EQ(R.Findings[0].Fingerprint, "b");
  EXPECT_EQ(R.Findings[0].Message,
            "legacy authtoken (baseline entry expired on 2026-11-23; its reason: vendor code)");
  EXPECT_EQ(R.Findings[1].Fingerprint, "c");
  EXPECT_EQ(R.Findings[1].Message, "legacy authtoken");
  // A day later the entry of "d" has expired too.
  ScanResult R2;
  R2.Findings = {finding("d", "r2", "y.py", 2)};
  applyBaseline(R2, B, day("2026-11-25"));
  ASSERT_EQ(R2.Findings.size(), 1u);
  EXPECT_EQ(R2.Findings[0].Message, "legacy authtoken (baseline entry expired on 2026-11-24)");
  EXPECT_EQ(R2.Stats.Baselined, 0u);
}

TEST(Baseline, UpdateKeepsReasonsDropsStaleAddsNew) {
  std::vector<Finding> Fs = {finding("a", "r1", "src/x.py"), finding("n", "r1", "src/x.py"),
                             finding("a", "r1", "src/x.py")}; // a duplicate: one entry
  Baseline Prev;
  Prev.Entries = {entry("a", "r1", "src/x.py", "old snippet", "vendor", day("2027-01-01")),
                  entry("s", "r1", "src/x.py", "deleted line"),
                  entry("o", "r1", "lib/other.py", "not scanned")};
  // Without --update: exactly the findings, reasons kept, the rest dropped.
  BaselineUpdate U = updateBaseline(Fs, &Prev, {});
  ASSERT_EQ(U.Result.Entries.size(), 2u);
  EXPECT_EQ(U.Result.Entries[0].Fingerprint, "a");
  EXPECT_EQ(U.Result.Entries[0].Reason, "vendor");
  EXPECT_EQ(U.Result.Entries[0].Expires->str(), "2027-01-01");
  EXPECT_EQ(U.Result.Entries[0].Snippet, "url = BASE + '?authtoken=' + t"); // the line now, trimmed
  EXPECT_EQ(U.Result.Entries[1].Fingerprint, "n");
  EXPECT_EQ(U.Kept, 1u);
  ASSERT_EQ(U.Added.size(), 1u);
  EXPECT_EQ(U.Stale.size(), 2u);

  // --update with a scope (the scan covered src/ only).
  BaselineUpdateOptions O;
  O.Update = true;
  O.InScope = [](const BaselineEntry &E) { return llvm::StringRef(E.Path).startswith("src/"); };
  U = updateBaseline(Fs, &Prev, O);
  ASSERT_EQ(U.Result.Entries.size(), 3u);
  EXPECT_EQ(U.Result.Entries[0].Path, "lib/other.py"); // kept, untouched
  EXPECT_EQ(U.Result.Entries[0].Snippet, "not scanned");
  EXPECT_EQ(U.OutOfScope, 1u);
  ASSERT_EQ(U.Stale.size(), 1u);
  EXPECT_EQ(U.Stale[0].Fingerprint, "s");
  ASSERT_EQ(U.Added.size(), 1u);
  EXPECT_EQ(U.Added[0].Fingerprint, "n");

  // --update --no-add: only drops.
  O.AddNew = false;
  U = updateBaseline(Fs, &Prev, O);
  ASSERT_EQ(U.Result.Entries.size(), 2u);
  EXPECT_EQ(U.Result.Entries[1].Fingerprint, "a");
  EXPECT_TRUE(U.Added.empty());

  // No previous file.
  U = updateBaseline(Fs, nullptr, {});
  EXPECT_EQ(U.Result.Entries.size(), 2u);
  EXPECT_EQ(U.Added.size(), 2u);
}

TEST(Baseline, FingerprintIgnoresLinesIndentationAndTokenValues) {
  const std::string Url = "requests.get('https://www.zohoapis.com/crm/v2/Leads?authtoken=";
  auto One = [&](const std::string &Before, const std::string &Token, const std::string &Indent) {
    return Before + "def f():\n" + Indent + "return " + Url + Token + "')\n";
  };
  auto A = scanAs("src/crm.py", One("import requests\n", "3f2c8e7a9b1d4c6e8f0a2b4c6d8e0f1a", "    "));
  // Lines inserted above, other code reformatted, the line re-indented, another token.
  auto B = scanAs("src/crm.py",
                  One("import requests\n\n\nX  =  1\n\n", "9a8b7c6d5e4f30211a2b3c4d5e6f7081", "\t\t"));
  ASSERT_FALSE(A.empty());
  ASSERT_EQ(A.size(), B.size());
  for (size_t I = 0; I < A.size(); ++I) {
    EXPECT_EQ(A[I].RuleId, B[I].RuleId);
    EXPECT_NE(A[I].Begin.Line, B[I].Begin.Line);
    EXPECT_EQ(A[I].Fingerprint, B[I].Fingerprint) << A[I].RuleId;
  }
  // The shown line keeps the token's first characters; the fingerprint does not see them.
  EXPECT_NE(A[0].LineText.find("3f2c"), std::string::npos);
  EXPECT_NE(B[0].LineText.find("9a8b"), std::string::npos);
  // --show-secrets changes what is shown, not the fingerprint.
  auto S = scanAs("src/crm.py", One("import requests\n", "3f2c8e7a9b1d4c6e8f0a2b4c6d8e0f1a", "    "), true);
  ASSERT_EQ(S.size(), A.size());
  for (size_t I = 0; I < A.size(); ++I)
    EXPECT_EQ(A[I].Fingerprint, S[I].Fingerprint);
  // Another path (the root-relative one) is another finding.
  auto P = scanAs("lib/crm.py", One("import requests\n", "3f2c8e7a9b1d4c6e8f0a2b4c6d8e0f1a", "    "));
  ASSERT_EQ(P.size(), A.size());
  EXPECT_NE(P[0].Fingerprint, A[0].Fingerprint);
  // A change to the finding's own statement is a new finding.
  auto C = scanAs("src/crm.py", "import requests\ndef f():\n    return " + Url + "x')  # changed\n");
  ASSERT_FALSE(C.empty());
  EXPECT_NE(C[0].Fingerprint, A[0].Fingerprint);
}

TEST(Baseline, LongLineFingerprintsIgnoreTokenValues) {
  auto Line = [](const std::string &Token) {
    std::string Pad(600, 'a');
    return "import requests\nx = '" + Pad + "'; requests.get('https://www.zohoapis.com/crm/v2/"
           "Leads?authtoken=" + Token + "'); y = '" + Pad + "'\n";
  };
  auto A = scanAs("m.py", Line("3f2c8e7a9b1d4c6e8f0a2b4c6d8e0f1a"));
  auto B = scanAs("m.py", "\n\n" + Line("9a8b7c6d5e4f30211a2b3c4d5e6f7081"));
  ASSERT_FALSE(A.empty());
  ASSERT_EQ(A.size(), B.size());
  EXPECT_NE(A[0].LineTextColumn, 0u); // shown through a window
  for (size_t I = 0; I < A.size(); ++I)
    EXPECT_EQ(A[I].Fingerprint, B[I].Fingerprint) << A[I].RuleId;
}
