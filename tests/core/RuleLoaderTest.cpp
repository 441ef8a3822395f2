#include "rules/Rule.h"

#include "re2/re2.h"

#include "gtest/gtest.h"

using namespace atm;

namespace {
const char *Good = R"(id: my-rule
title: T
message: "m {product}"
severity: warning
languages: [code, '!deluge']
applies-in: [string]
prefilter: [authtoken]
patterns:
  - '(?i)(?P<at>authtoken)='
context:
  require-any:
    - pattern: zoho
      window: 3
  reject:
    - ngrok
)";

std::string err(const std::string &Content, const std::string &Path = "rules/x/my-rule.yaml") {
  auto R = parseRule({Path, Content});
  if (R)
    return "";
  return llvm::toString(R.takeError());
}

std::string replace(std::string S, const std::string &From, const std::string &To) {
  size_t P = S.find(From);
  EXPECT_NE(P, std::string::npos) << From;
  return S.replace(P, From.size(), To);
}
} // namespace

TEST(RuleLoader, ParsesAGoodRule) {
  auto R = parseRule({"rules/x/my-rule.yaml", Good});
  ASSERT_TRUE(bool(R)) << llvm::toString(R.takeError());
  EXPECT_EQ(R->Id, "my-rule");
  EXPECT_EQ(R->Sev, Severity::Warning);
  EXPECT_TRUE(R->appliesTo(Language::Python));
  EXPECT_FALSE(R->appliesTo(Language::Deluge));
  EXPECT_FALSE(R->appliesTo(Language::Yaml));
  ASSERT_EQ(R->RequireAny.size(), 1u);
  EXPECT_EQ(R->RequireAny[0].Window, 3);
  ASSERT_EQ(R->Reject.size(), 1u);
  EXPECT_EQ(R->Reject[0].Window, -1);
}

TEST(RuleLoader, AnchorRejectIsCompiled) {
  auto R = parseRule({"rules/x/my-rule.yaml", replace(Good, "context:", "anchor-reject: '_prefix$'\ncontext:")});
  ASSERT_TRUE(bool(R)) << llvm::toString(R.takeError());
  ASSERT_TRUE(R->AnchorReject);
  EXPECT_EQ(R->AnchorReject->pattern(), "_prefix$");
}

TEST(RuleLoader, EveryErrorNamesFileLineColumn) {
  struct Case {
    std::string Content, Expect;
  } Cases[] = {
      {replace(Good, "severity: warning", "severity: fatal"),
       "my-rule.yaml:4:11: unknown severity 'fatal'"},
      {replace(Good, "title: T", "titel: T"),
       "my-rule.yaml:2:1: unknown key 'titel'; did you mean 'title'?"},
      {replace(Good, "'(?i)(?P<at>authtoken)='", "'(?i)(authtoken'"),
       "my-rule.yaml:9:5: invalid RE2 pattern: missing ): (?i)(authtoken"},
      {replace(Good, "languages: [code, '!deluge']", "languages: [pyhton]"),
       "my-rule.yaml:5:13: unknown language 'pyhton'; did you mean 'python'?"},
      {replace(Good, "applies-in: [string]", "applies-in: [strings]"),
       "unknown span kind 'strings'; did you mean 'string'?"},
      {replace(Good, "      window: 3", "      window: lots"),
       "my-rule.yaml:13:15: window must be a number of lines, 'section', 'file' or 'path'"},
      {replace(Good, "prefilter: [authtoken]\n", ""), "missing required key 'prefilter'"},
      {replace(Good, "id: my-rule", "id: My_Rule"), "must be kebab-case"},
      {replace(Good, "patterns:\n  - '(?i)(?P<at>authtoken)='", "patterns: 'x'"),
       "my-rule.yaml:8:11: 'patterns' must be a list"},
      {replace(Good, "context:", "anchor-reject: '(x'\ncontext:"),
       "my-rule.yaml:10:16: invalid RE2 pattern: missing ): (x"},
      {"id: [unclosed\n", "my-rule.yaml:"},
      {"- a\n- b\n", "expected a YAML mapping at the top level"},
  };
  for (const Case &C : Cases) {
    std::string E = err(C.Content);
    EXPECT_NE(E.find(C.Expect), std::string::npos) << "got: " << E << "\nwant: " << C.Expect;
  }
  EXPECT_NE(err(Good, "rules/x/other-name.yaml").find("must equal the file name stem 'other-name'"),
            std::string::npos);
}

TEST(RuleLoader, RuleSetNeedsACatalogueAndKnownProducts) {
  auto RS = buildRuleSet({{"rules/x/my-rule.yaml", Good}});
  ASSERT_FALSE(bool(RS));
  EXPECT_NE(llvm::toString(RS.takeError()).find("no catalog/products.yaml"), std::string::npos);
}

TEST(RuleLoader, BuiltinRulesLoadAndUserRulesOverride) {
  std::vector<RuleSource> Src = builtinRuleSources();
  ASSERT_FALSE(Src.empty());
  auto RS = buildRuleSet(Src);
  ASSERT_TRUE(bool(RS)) << llvm::toString(RS.takeError());
  size_t N = RS->Rules.size();
  const Rule *Orig = RS->find("zoho-authtoken-header");
  ASSERT_TRUE(Orig);
  EXPECT_EQ(Orig->Sev, Severity::Error);
  std::string Override = replace(replace(Good, "id: my-rule", "id: zoho-authtoken-header"),
                                 "severity: warning", "severity: note");
  Src.push_back({"user/zoho-authtoken-header.yaml", Override});
  auto RS2 = buildRuleSet(Src);
  ASSERT_TRUE(bool(RS2)) << llvm::toString(RS2.takeError());
  EXPECT_EQ(RS2->Rules.size(), N);
  EXPECT_EQ(RS2->find("zoho-authtoken-header")->Sev, Severity::Note);
}

TEST(RuleLoader, OversizedPatternIsAnErrorNamingFileAndLine) {
  // 66 s on 512 KB before RE2 programs were capped.
  std::string Big = replace(Good, "'(?i)(?P<at>authtoken)='", "'(?P<at>authtoken)(\\w+\\s*){1000}'");
  std::string E = err(Big);
  EXPECT_NE(E.find("rules/x/my-rule.yaml:9:"), std::string::npos) << E;
  EXPECT_NE(E.find("pattern too large/complex"), std::string::npos) << E;
  // Context patterns are capped too.
  E = err(replace(Good, "pattern: zoho", "pattern: 'zoho(\\w+\\s*){500}'"));
  EXPECT_NE(E.find("rules/x/my-rule.yaml:12:"), std::string::npos) << E;
  EXPECT_NE(E.find("pattern too large/complex"), std::string::npos) << E;
  // Small counted repetitions stay fine.
  EXPECT_EQ(err(replace(Good, "'(?i)(?P<at>authtoken)='", "'(?P<at>authtoken)=[0-9a-f]{32}'")), "");
}

TEST(RuleLoader, DuplicateUserRuleIdsAreAnErrorNamingBothFiles) {
  std::vector<RuleSource> Src = builtinRuleSources();
  Src.push_back({"user1/my-rule.yaml", Good});
  Src.push_back({"user2/sub/my-rule.yaml", Good});
  auto RS = buildRuleSet(Src);
  ASSERT_FALSE(bool(RS));
  std::string E = llvm::toString(RS.takeError());
  EXPECT_NE(E.find("user2/sub/my-rule.yaml"), std::string::npos) << E;
  EXPECT_NE(E.find("user1/my-rule.yaml"), std::string::npos) << E;
  EXPECT_NE(E.find("'my-rule'"), std::string::npos) << E;
  // One user file overriding a built-in is still allowed; a second one is not.
  std::string Header = replace(Good, "id: my-rule", "id: zoho-authtoken-header");
  Src = builtinRuleSources();
  Src.push_back({"user1/zoho-authtoken-header.yaml", Header});
  EXPECT_TRUE(bool(buildRuleSet(Src)));
  Src.push_back({"user2/zoho-authtoken-header.yaml", Header});
  RS = buildRuleSet(Src);
  ASSERT_FALSE(bool(RS));
  E = llvm::toString(RS.takeError());
  EXPECT_NE(E.find("user1/zoho-authtoken-header.yaml"), std::string::npos) << E;
}

TEST(RuleLoader, AnInvalidEscapeInAQuotedValueIsAnErrorWithItsLine) {
  // The escape is decoded (and reported by the YAML parser) only when the value is read,
  // after parsing returned: the message must still name the file and line (the fuzz smoke
  // run found the parser writing it to a variable that was gone).
  std::string E = err(replace(Good, "    - pattern: zoho", "    - pattern: \"zo\\qho\""));
  EXPECT_NE(E.find("rules/x/my-rule.yaml:"), std::string::npos) << E;
  EXPECT_NE(E.find("scape"), std::string::npos) << E;
}
