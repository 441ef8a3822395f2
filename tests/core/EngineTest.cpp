#include "rules/RuleEngine.h"
#include "scan/Scanner.h"

#include "gtest/gtest.h"

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

FileResult scanPy(const std::string &Text, EngineOptions O = {}) {
  O.AsOf = *Date::parse("2026-11-24");
  RuleEngine E(rules(), O);
  return E.scan("app/client.py", Language::Python, Text);
}
} // namespace

TEST(Engine, FindingCarriesProductCutoffStatusAndRedactedSnippet) {
  auto R = scanPy("import requests\n"
                  "requests.get('https://crm.zoho.eu/crm/private/json/Leads/getRecords"
                  "?authtoken=3f2c8e7a9b1d4c6e8f0a2b4c6d8e0f1a&scope=crmapi')\n");
  ASSERT_EQ(R.Findings.size(), 2u); // url-param + hardcoded
  const Finding &F = R.Findings[0];
  EXPECT_EQ(F.RuleId, "zoho-authtoken-url-param");
  EXPECT_EQ(F.Begin.Line, 2u);
  EXPECT_EQ(F.Product, "crm");
  EXPECT_EQ(F.ProductName, "Zoho CRM");
  EXPECT_EQ(F.DataCentre, "eu");
  EXPECT_EQ(F.Cutoff, "2018-12-31");
  EXPECT_EQ(F.Status, "past cutoff since 2018-12-31 (2885 days)");
  EXPECT_EQ(F.Snippet.find("3f2c8e7a9b1d4c6e8f0a2b4c6d8e0f1a"), std::string::npos);
  EXPECT_NE(F.Snippet.find("authtoken=3f2c"), std::string::npos);
  EXPECT_EQ(F.Fingerprint.size(), 16u);
}

TEST(Engine, ShowSecretsKeepsValues) {
  EngineOptions O;
  O.ShowSecrets = true;
  auto R = scanPy("u = 'https://books.zoho.com/api/v3/x?authtoken=3f2c8e7a9b1d4c6e8f0a2b4c6d8e0f1a'\n", O);
  ASSERT_FALSE(R.Findings.empty());
  EXPECT_NE(R.Findings[0].Snippet.find("3f2c8e7a9b1d4c6e8f0a2b4c6d8e0f1a"), std::string::npos);
}

TEST(Engine, InlineSuppressionOnTheLineOrTheLineBefore) {
  std::string Code = "# zoho\n"
                     "a = {'authtoken': t}  # authtoken-migrate: ignore[zoho-authtoken-param-key]\n"
                     "# authtoken-migrate: ignore[zoho-authtoken-param-key]\n"
                     "b = {'authtoken': t}\n"
                     "c = {'authtoken': t}  # authtoken-migrate: ignore[some-other-rule]\n"
                     "d = {'authtoken': t}  # authtoken-migrate: ignore\n"
                     "e = '# authtoken-migrate: ignore'; f = {'authtoken': t}\n";
  auto R = scanPy(Code);
  ASSERT_EQ(R.Findings.size(), 2u);
  EXPECT_EQ(R.Findings[0].Begin.Line, 5u);
  EXPECT_EQ(R.Findings[1].Begin.Line, 7u); // a marker inside a string does not suppress
  EXPECT_EQ(R.Suppressed, 3u);
}

TEST(Engine, FingerprintsSurviveMovedLinesAndDistinguishRepeats) {
  std::string Body = "x = {'authtoken': t}\ny = {'authtoken': t}\nx = {'authtoken': t}\n";
  auto A = scanPy("# zoho\n" + Body);
  auto B = scanPy("# zoho\n\n\n\n" + Body);
  ASSERT_EQ(A.Findings.size(), 3u);
  ASSERT_EQ(B.Findings.size(), 3u);
  for (size_t I = 0; I < 3; ++I) {
    EXPECT_EQ(A.Findings[I].Fingerprint, B.Findings[I].Fingerprint);
    EXPECT_NE(A.Findings[I].Begin.Line, B.Findings[I].Begin.Line);
  }
  EXPECT_NE(A.Findings[0].Fingerprint, A.Findings[2].Fingerprint); // same text, 2nd occurrence
  EXPECT_NE(A.Findings[0].Fingerprint, A.Findings[1].Fingerprint);
}

TEST(Engine, PrefilterRejectsFilesWithoutCandidates) {
  RuleEngine E(rules(), {});
  EXPECT_FALSE(E.mayMatch("print('hello world')\n", Language::Python));
  EXPECT_TRUE(E.mayMatch("x = 'ZOHO'", Language::Python));
  // Deluge rules key on the authtoken itself; Python rules need a Zoho context word.
  EXPECT_TRUE(E.mayMatch("x = 'AUTHTOKEN'", Language::Deluge));
  EXPECT_FALSE(E.mayMatch("x = 'AUTHTOKEN'", Language::Python));
  EXPECT_TRUE(E.mayMatch("u = 'accounts.zoho.com/apiauthtoken/nb/create'", Language::Python));
  auto R = E.scan("a.py", Language::Python, "print('hello')\n");
  EXPECT_TRUE(R.PrefilterRejected);
}

TEST(Engine, OnlyRulesRestrictsTheRun) {
  EngineOptions O;
  O.OnlyRules = {"zoho-authtoken-hardcoded"};
  auto R = scanPy("u = 'https://books.zoho.com/api/v3/x?authtoken=3f2c8e7a9b1d4c6e8f0a2b4c6d8e0f1a'\n", O);
  ASSERT_EQ(R.Findings.size(), 1u);
  EXPECT_EQ(R.Findings[0].RuleId, "zoho-authtoken-hardcoded");
}

TEST(Engine, CommentsAndOAuthStaySilent) {
  auto R = scanPy("# requests.get('https://crm.zoho.com/x?authtoken=abc')\n"
                  "h = {'Authorization': 'Zoho-oauthtoken ' + tok}\n"
                  "class OAuthToken: pass\n"
                  "oauthToken = get()\n");
  for (const Finding &F : R.Findings)
    EXPECT_EQ(F.Sev, Severity::Note) << F.RuleId << " line " << F.Begin.Line;
}

TEST(Engine, ScanBufferDetectsLanguageAndHandlesOddInput) {
  RuleEngine E(rules(), {});
  // CRLF, BOM and invalid UTF-8 must not break positions or crash.
  std::string T = "\xEF\xBB\xBF<?php\r\n$u = \"https://crm.zoho.com/x?authtoken=\" . $t; // \xFF\xFE\r\n";
  FileResult R = scanBuffer(E, "legacy", T);
  ASSERT_EQ(R.Findings.size(), 1u);
  EXPECT_EQ(R.Findings[0].Begin.Line, 2u);
  EXPECT_EQ(R.Findings[0].LineText.back(), '\xFE'); // no trailing CR
}
