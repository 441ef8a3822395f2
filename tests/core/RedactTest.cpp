/// \file
/// Secret redaction: unit tests of core/Redact.h, and a table of awkward credential
/// shapes (RedactCases.h) pushed through the real scanner and all three report writers.

#include "core/Redact.h"

#include <fstream>

#include "core/RedactCases.h"
#include "core/Text.h"
#include "gtest/gtest.h"
#include "lang/Language.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "report/Report.h"
#include "scan/Scanner.h"

using namespace atm;
using atm::testing::RedactCase;
using atm::testing::redactCases;

namespace {

const std::string Mask = "\xE2\x80\xA6";

const RuleSet &rules() {
  static RuleSet *RS = new RuleSet(std::move(*buildRuleSet(builtinRuleSources())));
  return *RS;
}

/// Every output of a scan of one file: text, JSON and SARIF reports.
struct Outputs {
  size_t Findings = 0;
  std::string Text, Json, Sarif;
};

Outputs scanFile(const RedactCase &C, bool ShowSecrets) {
  llvm::SmallString<128> Dir;
  EXPECT_FALSE(llvm::sys::fs::createUniqueDirectory("atm-redact", Dir));
  llvm::SmallString<128> P(Dir);
  llvm::sys::path::append(P, C.File);
  std::ofstream(std::string(P), std::ios::binary) << C.Content;
  ScanOptions O;
  O.Paths = {std::string(Dir)};
  O.Jobs = 1;
  O.Engine.AsOf = *Date::parse("2026-11-24");
  O.Engine.ShowSecrets = ShowSecrets;
  ScanResult R = runScan(rules(), O);
  // Problems and notes are reported too: one that quotes a secret must be masked.
  R.Stats.Notes.push_back("gen.py: could not be parsed (unexpected 'PASSWORD=Tr0ub4dor&3')");
  ReportContext Ctx;
  Ctx.ToolVersion = "9.9.9";
  Ctx.AsOf = O.Engine.AsOf;
  Ctx.Rules = &rules();
  Outputs Out;
  Out.Findings = R.Findings.size();
  llvm::raw_string_ostream T(Out.Text), J(Out.Json), S(Out.Sarif);
  writeText(T, R, Ctx);
  writeJson(J, R, Ctx);
  writeSarif(S, R, Ctx);
  T.flush();
  J.flush();
  S.flush();
  llvm::sys::fs::remove_directories(Dir);
  return Out;
}

/// Each line of the file as a report shows it: redacted with the file as context.
std::string redactEveryLine(const RedactCase &C) {
  Language L = detectLanguage(C.File, C.Content);
  SpanMap Spans = lex(L, C.Content);
  LineIndex Lines(C.Content);
  std::string Out;
  for (unsigned I = 1; I <= Lines.lineCount(); ++I)
    Out += redactSecrets(Lines.line(I), C.Content, &Spans) + "\n";
  return Out;
}

class RedactCaseTest : public ::testing::TestWithParam<RedactCase> {};

} // namespace

namespace atm::testing {
void PrintTo(const RedactCase &C, std::ostream *OS) { *OS << C.Name; }
} // namespace atm::testing

TEST_P(RedactCaseTest, NoOutputShowsTheSecret) {
  const RedactCase &C = GetParam();
  for (const std::string &S : C.Secrets)
    ASSERT_NE(C.Content.find(S), std::string::npos) << "bad case: " << S;
  Outputs O = scanFile(C, false);
  ASSERT_GT(O.Findings, 0u) << "the case must produce a finding:\n" << O.Text;
  std::string Lines = redactEveryLine(C);
  for (const std::string &S : C.Secrets) {
    EXPECT_EQ(O.Text.find(S), std::string::npos) << "text leaks '" << S << "':\n" << O.Text;
    EXPECT_EQ(O.Json.find(S), std::string::npos) << "JSON leaks '" << S << "':\n" << O.Json;
    EXPECT_EQ(O.Sarif.find(S), std::string::npos) << "SARIF leaks '" << S << "'";
    EXPECT_EQ(Lines.find(S), std::string::npos) << "line leaks '" << S << "':\n" << Lines;
  }
  for (const std::string &K : C.Keep)
    EXPECT_NE(Lines.find(K), std::string::npos) << "lost '" << K << "':\n" << Lines;
  // The finding's own line is in the text report with the first kept text.
  if (!C.Keep.empty() && C.OnFindingLine)
    EXPECT_NE(O.Text.find(C.Keep[0]), std::string::npos) << O.Text;
  EXPECT_EQ(O.Text.find("Tr0ub4dor&3'"), std::string::npos) << "note leaks";
  EXPECT_EQ(O.Json.find("Tr0ub4dor&3'"), std::string::npos) << "note leaks";
}

TEST_P(RedactCaseTest, ShowSecretsShowsThem) {
  const RedactCase &C = GetParam();
  if (!C.OnFindingLine || C.Secrets.empty())
    GTEST_SKIP() << "secrets are not on a finding's line";
  Outputs O = scanFile(C, true);
  ASSERT_GT(O.Findings, 0u);
  for (const std::string &S : C.Secrets)
    EXPECT_NE(O.Text.find(S), std::string::npos) << "'" << S << "' not shown:\n" << O.Text;
}

INSTANTIATE_TEST_SUITE_P(Shapes, RedactCaseTest, ::testing::ValuesIn(redactCases()),
                         [](const auto &I) { return std::string(I.param.Name); });

TEST(Redact, PasswordsAreMaskedWholeTokensKeepAPrefix) {
  EXPECT_EQ(redactSecrets("&PASSWORD=Tr0ub4dor&3'"), "&PASSWORD=" + Mask + "'");
  EXPECT_EQ(redactSecrets("a?PASSWORD=Tr0ub4dor&3&SCOPE=x"), "a?PASSWORD=" + Mask + "&SCOPE=x");
  EXPECT_EQ(redactSecrets("{'password': 'abc'}"), "{'password': '" + Mask + "'}");
  EXPECT_EQ(redactSecrets("authtoken=3f2c8e7a9b1d4c6e8f0a2b4c6d8e0f1a&x=1"),
            "authtoken=3f2c" + Mask + "&x=1");
  // Short token values keep nothing: the mask has a fixed size.
  EXPECT_EQ(redactSecrets("ticket=ab12cd"), "ticket=" + Mask);
  EXPECT_EQ(redactSecrets("Authorization: Zoho-oauthtoken 1000.0123456789abcdef.0123456789abcdef"),
            "Authorization: Zoho-oauthtoken 1000" + Mask);
  EXPECT_EQ(redactSecrets("Bearer abcdef0123456789abcdef\\r\\n"), "Bearer abcd" + Mask + "\\r\\n");
  // Redacting twice changes nothing.
  std::string Once = redactSecrets("\"password\": \"seriously, cool\", \"authtoken\": \"3f2c8e7a9b1d4c6e8f0a2b4c6d8e0f1a\"");
  EXPECT_EQ(redactSecrets(Once), Once);
}

TEST(Redact, ReferencesAndPlaceholdersStayReadable) {
  for (const char *S : {"password = getpass.getpass()", "f(password=pw, x=1)",
                        "authtoken=${ZOHO_AUTHTOKEN}", "\"password\": \"%s\"",
                        "authtoken: <YOUR_AUTHTOKEN>", "'authtoken': 'YOUR_AUTHTOKEN'",
                        "PASSWORD: $ZOHO_PASSWORD", "password: {password}",
                        "cfg.password = self.password", "password: ''",
                        "WHERE password = :password", "password == other.password",
                        "Bearer token", "std::string password::value"})
    EXPECT_EQ(redactSecrets(S), S) << S;
  // A quoted literal of a password key is masked even when it is all letters.
  EXPECT_EQ(redactSecrets("password = \"hunter\""), "password = \"" + Mask + "\"");
  // Shell and .env assignments are literals; keyword arguments are code.
  EXPECT_EQ(redactSecrets("export ZOHO_PASSWORD=abc # old"), "export ZOHO_PASSWORD=" + Mask + " # old");
  EXPECT_EQ(redactSecrets("    password=password,"), "    password=password,");
  // A literal fallback of a reference is a hard-coded secret.
  EXPECT_EQ(redactSecrets("const pwd = process.env.PWD || \"pa$$w0rd\";"),
            "const pwd = process.env.PWD || \"" + Mask + "\";");
  EXPECT_EQ(redactSecrets("pw = os.environ.get(\"ZOHO_PASSWORD\", \"Tr0ub4dor&3\")"),
            "pw = os.environ.get(\"ZOHO_PASSWORD\", \"" + Mask + "\")");
  // An e-mail is not a secret.
  EXPECT_EQ(redactSecrets("EMAIL_ID=me@example.com&PASSWORD=x1"),
            "EMAIL_ID=me@example.com&PASSWORD=" + Mask);
}

TEST(Redact, ValuesSplitOverLinesAreMaskedLineByLine) {
  std::string In = "x = {'password': 'Tr0ub4'\n"
                   "                  'dor&3', 'n': 1}\n";
  EXPECT_EQ(redactSecrets(In), "x = {'password': '" + Mask + "'\n                  '" + Mask +
                                   "', 'n': 1}\n");
  // The second line alone, with the file as context (a snippet of line 2).
  llvm::StringRef File(In);
  llvm::StringRef Line2 = File.split('\n').second.split('\n').first;
  EXPECT_EQ(redactSecrets(Line2, File, nullptr), "                  '" + Mask + "', 'n': 1}");
  SpanMap Spans = lex(Language::Python, File);
  EXPECT_EQ(redactSecrets(Line2, File, &Spans), "                  '" + Mask + "', 'n': 1}");
  // Without context the same line shows the fragment: that is why callers pass the file.
  EXPECT_NE(redactSecrets(Line2).find("dor&3"), std::string::npos);
}

TEST(Redact, NeverCutsInsideUtf8) {
  std::string In = "password=\xC3\xA4\xC3\xB6\xE2\x82\xAC rest\nauthtoken=\xC3\xA4" "bc12345678901234567890";
  std::string Out = redactSecrets(In);
  EXPECT_TRUE(isValidUtf8(Out)) << Out;
  EXPECT_EQ(Out.find("\xC3\xA4"), std::string::npos) << Out;
}

TEST(Redact, FindSecretsReportsKinds) {
  std::string In = "client_secret=abc&refresh_token=1000.0123456789ab.0123456789ab";
  auto R = findSecrets(In, 0, In.size());
  ASSERT_EQ(R.size(), 2u);
  EXPECT_EQ(In.substr(R[0].Begin, R[0].End - R[0].Begin), "abc");
  EXPECT_EQ(R[0].Kind, SecretKind::Password);
  EXPECT_EQ(In.substr(R[1].Begin, R[1].End - R[1].Begin), "1000.0123456789ab.0123456789ab");
  EXPECT_EQ(R[1].Kind, SecretKind::Token);
}
