/// \file
/// The config fixer (tool/fix/ConfigFixer.cpp) through planFixes with hand-made findings:
/// shapes the fixture pairs do not show (no final newline, JSON members removed at the
/// end of an object, a sequence item's first key, multi-line values, URLs and comments
/// holding a token, two data centres), the entry readers' containers, and every YAML and
/// JSON fixture pair of fixtures/fix/config read back with LLVM's own parsers: the
/// mapping structure of `before` survives in `after` except the authtoken settings (and
/// their scope companions), and what is new is an OAuth setting with a placeholder value.

#include "fix/ConfigEntries.h"
#include "fix/EditUtil.h"
#include "fix/Fix.h"
#include "gtest/gtest.h"

#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/YAMLParser.h"

using namespace atm;
using namespace atm::fix;

namespace {

const char Token[] = "9c1d4e7f2a5b8c0d3e6f9a2b5c8d1e4f";

/// A finding of \p Rule on the \p Nth occurrence of \p Needle in \p Text.
Finding at(const std::string &Path, const std::string &Text, llvm::StringRef Rule,
           llvm::StringRef Needle, llvm::StringRef DC = "", int Nth = 0) {
  size_t Off = Text.find(Needle.str());
  for (int I = 0; I < Nth && Off != std::string::npos; ++I)
    Off = Text.find(Needle.str(), Off + 1);
  EXPECT_NE(Off, std::string::npos) << Needle.str();
  Finding F;
  F.RuleId = Rule.str();
  F.Path = Path;
  F.Offset = Off;
  F.Length = Needle.size();
  F.Begin.Line = lineNumber(Text, Off);
  F.DataCentre = DC.str();
  return F;
}

struct Result {
  std::string New;
  std::vector<FindingOutcome> Outcomes;
  std::vector<unsigned> Revoke;
  size_t Helpers = 0;
};

Result run(const std::string &Path, const std::string &Text, std::vector<Finding> Findings) {
  FixOptions Opts;
  auto R = planFixes(
      Findings, [&](llvm::StringRef) -> llvm::Expected<std::string> { return Text; },
      [](llvm::StringRef) { return false; }, Opts);
  EXPECT_TRUE(static_cast<bool>(R));
  Result Out;
  if (!R) {
    llvm::consumeError(R.takeError());
    return Out;
  }
  EXPECT_EQ(R->Files.size(), 1u);
  Out.New = R->Files[0].New;
  Out.Outcomes = R->Files[0].Findings;
  Out.Revoke = R->Files[0].RevokeLines;
  Out.Helpers = R->Helpers.size();
  EXPECT_EQ(Out.Outcomes.size(), Findings.size()) << "one outcome per finding";
  EXPECT_EQ(Out.Helpers, 0u) << "config files get no helper";
  EXPECT_EQ(llvm::StringRef(Out.New).contains(Token) && !llvm::StringRef(Text).contains(Token), false);
  return Out;
}

bool allFixed(const Result &R) {
  return llvm::all_of(R.Outcomes, [](const FindingOutcome &O) { return O.O == Outcome::Fixed; });
}

TEST(ConfigFixer, EnvWithoutFinalNewline) {
  std::string T = "ZOHO_CRM_URL=https://www.zohoapis.eu/crm/v2\nZOHO_AUTHTOKEN=" +
                  std::string(Token);
  Result R = run(".env", T,
                 {at(".env", T, "zoho-authtoken-config-key", "ZOHO_AUTHTOKEN", "eu"),
                  at(".env", T, "zoho-authtoken-hardcoded", Token, "eu")});
  EXPECT_EQ(R.New, "ZOHO_CRM_URL=https://www.zohoapis.eu/crm/v2\nZOHO_CLIENT_ID=\n"
                   "ZOHO_CLIENT_SECRET=\nZOHO_REFRESH_TOKEN=\nZOHO_DC=eu");
  EXPECT_TRUE(allFixed(R));
  EXPECT_EQ(R.Revoke, std::vector<unsigned>{2});
  EXPECT_NE(R.Outcomes[0].Reason.find("revoke"), std::string::npos) << R.Outcomes[0].Reason;
}

TEST(ConfigFixer, EnvironmentReferences) {
  // A .env file: no self-reference; a compose map: the host's environment passes through.
  std::string E = "ZOHO_URL=https://www.zohoapis.com\nZOHO_AUTHTOKEN=${LEGACY_TOKEN}\n";
  Result R = run(".env", E, {at(".env", E, "zoho-authtoken-config-key", "ZOHO_AUTHTOKEN")});
  EXPECT_EQ(R.New, "ZOHO_URL=https://www.zohoapis.com\nZOHO_CLIENT_ID=\nZOHO_CLIENT_SECRET=\n"
                   "ZOHO_REFRESH_TOKEN=\nZOHO_DC=\n");
  std::string Y = "environment:\n  ZOHO_AUTHTOKEN: ${ZOHO_AUTHTOKEN}\n  ZOHO_URL: https://www.zohoapis.com\n";
  R = run("c.yml", Y, {at("c.yml", Y, "zoho-authtoken-config-key", "ZOHO_AUTHTOKEN"),
                       at("c.yml", Y, "zoho-authtoken-config-key", "ZOHO_AUTHTOKEN", "", 1)});
  EXPECT_EQ(R.New, "environment:\n  ZOHO_CLIENT_ID: ${ZOHO_CLIENT_ID}\n  ZOHO_CLIENT_SECRET: "
                   "${ZOHO_CLIENT_SECRET}\n  ZOHO_REFRESH_TOKEN: ${ZOHO_REFRESH_TOKEN}\n  ZOHO_DC: "
                   "${ZOHO_DC}\n  ZOHO_URL: https://www.zohoapis.com\n");
  EXPECT_TRUE(allFixed(R));
}

TEST(ConfigFixer, JsonMembersRemovedAtTheEnd) {
  std::string T = "{\n  \"zoho\": {\n    \"url\": \"https://www.zohoapis.com/crm/v2\",\n"
                  "    \"authToken\": null,\n    \"apiKey\": null,\n    \"authKey\": \"" +
                  std::string(Token) + "\"\n  }\n}\n";
  Result R = run("a.json", T,
                 {at("a.json", T, "zoho-authtoken-config-key", "authToken"),
                  at("a.json", T, "zoho-authtoken-config-template", "apiKey"),
                  at("a.json", T, "zoho-config-credential-hardcoded", Token)});
  EXPECT_TRUE(allFixed(R));
  auto V = llvm::json::parse(R.New);
  ASSERT_TRUE(static_cast<bool>(V)) << llvm::toString(V.takeError()) << "\n" << R.New;
  const llvm::json::Object *Z = V->getAsObject()->getObject("zoho");
  ASSERT_TRUE(Z);
  std::set<std::string> Keys;
  for (const auto &KV : *Z)
    Keys.insert(KV.first.str());
  EXPECT_EQ(Keys, (std::set<std::string>{"url", "clientId", "clientSecret", "refreshToken", "dc"}));
  EXPECT_EQ(R.Revoke, std::vector<unsigned>{6});
}

TEST(ConfigFixer, JsonOnlyRemovalWhenOAuthIsThere) {
  std::string T = "{\"zoho\": {\"clientId\": \"\", \"clientSecret\": \"\", \"refreshToken\": \"\", "
                  "\"host\": \"crm.zoho.com\", \"authToken\": \"\"}}";
  Result R = run("b.json", T, {at("b.json", T, "zoho-authtoken-config-key", "authToken")});
  EXPECT_EQ(R.New, "{\"zoho\": {\"clientId\": \"\", \"clientSecret\": \"\", \"refreshToken\": \"\", "
                   "\"host\": \"crm.zoho.com\"}}");
  EXPECT_TRUE(allFixed(R));
  EXPECT_NE(R.Outcomes[0].Reason.find("already"), std::string::npos);
  EXPECT_TRUE(R.Revoke.empty()) << "an empty template is not a token to revoke";
}

TEST(ConfigFixer, YamlFirstKeyOfASequenceItem) {
  std::string T = "jobs:\n  - authtoken: abc\n    url: https://crm.zoho.com/crm/v2\n";
  Result R = run("j.yaml", T, {at("j.yaml", T, "zoho-authtoken-config-key", "authtoken", "us")});
  EXPECT_EQ(R.New, "jobs:\n  - client_id: \"\"\n    client_secret: \"\"\n    refresh_token: \"\"\n"
                   "    dc: us\n    url: https://crm.zoho.com/crm/v2\n");
  EXPECT_TRUE(allFixed(R));
  EXPECT_TRUE(R.Revoke.empty()) << "`abc` is not token-shaped";
}

TEST(ConfigFixer, MultiLineValuesAreLeft) {
  std::string Y = "zoho:\n  authtoken: |\n    abc\n  url: https://crm.zoho.com\n";
  Result R = run("m.yaml", Y, {at("m.yaml", Y, "zoho-authtoken-config-key", "authtoken")});
  EXPECT_EQ(R.New, Y);
  ASSERT_EQ(R.Outcomes.size(), 1u);
  EXPECT_EQ(R.Outcomes[0].O, Outcome::Manual);
  EXPECT_NE(R.Outcomes[0].Reason.find("block scalar"), std::string::npos) << R.Outcomes[0].Reason;

  std::string P = "zoho.authtoken=abc\\\n  def\nzoho.url=https://crm.zoho.com\n";
  R = run("m.properties", P, {at("m.properties", P, "zoho-authtoken-config-key", "zoho.authtoken")});
  EXPECT_EQ(R.New, P);
  EXPECT_NE(R.Outcomes[0].Reason.find("next line"), std::string::npos) << R.Outcomes[0].Reason;
}

TEST(ConfigFixer, UrlAndCommentFindingsAreLeftWithReasons) {
  std::string T = "# old token: " + std::string(Token) +
                  "\nzoho.url=https://crm.zoho.com/crm/private/json/Leads/getRecords?authtoken=x"
                  "&scope=crmapi\n";
  Result R = run("u.properties", T,
                 {at("u.properties", T, "zoho-authtoken-hardcoded", Token),
                  at("u.properties", T, "zoho-authtoken-url-param", "authtoken=x")});
  EXPECT_EQ(R.New, T);
  ASSERT_EQ(R.Outcomes.size(), 2u);
  EXPECT_EQ(R.Outcomes[0].O, Outcome::Manual);
  EXPECT_NE(R.Outcomes[0].Reason.find("revoke"), std::string::npos);
  EXPECT_EQ(R.Revoke, std::vector<unsigned>{1});
  EXPECT_NE(R.Outcomes[1].Reason.find("CRM API v1"), std::string::npos) << R.Outcomes[1].Reason;
  EXPECT_NE(R.Outcomes[1].Reason.find("`zoho.url`"), std::string::npos) << R.Outcomes[1].Reason;
}

TEST(ConfigFixer, XmlNameAttributeIsLeft) {
  std::string T = "<beans><bean id=\"zoho\"><property name=\"authToken\" value=\"" +
                  std::string(Token) + "\"/></bean></beans>\n";
  Result R = run("beans.xml", T, {at("beans.xml", T, "zoho-authtoken-config-key", "authToken")});
  EXPECT_EQ(R.New, T);
  EXPECT_NE(R.Outcomes[0].Reason.find("`name` attribute"), std::string::npos) << R.Outcomes[0].Reason;
  EXPECT_EQ(R.Revoke, std::vector<unsigned>{1});
}

TEST(ConfigFixer, TwoDataCentresInOneSectionAreLeft) {
  std::string T = "[zoho]\ncrm_token = a\nbooks_token = b\n";
  Result R = run("z.ini", T,
                 {at("z.ini", T, "zoho-authtoken-config-template", "crm_token", "eu"),
                  at("z.ini", T, "zoho-authtoken-config-template", "books_token", "in")});
  EXPECT_EQ(R.New, T);
  for (const FindingOutcome &O : R.Outcomes) {
    EXPECT_EQ(O.O, Outcome::Manual);
    EXPECT_NE(O.Reason.find("eu, in"), std::string::npos) << O.Reason;
  }
}

TEST(ConfigFixer, CrlfAndQuotesKept) {
  std::string T = "[zoho]\r\nauth_token = '" + std::string(Token) + "'\r\nscope = crmapi\r\n"
                  "url = https://www.zohoapis.com\r\n";
  Result R = run("c.ini", T, {at("c.ini", T, "zoho-authtoken-config-key", "auth_token", "us")});
  EXPECT_EQ(R.New, "[zoho]\r\nclient_id = ''\r\nclient_secret = ''\r\nrefresh_token = ''\r\n"
                   "dc = 'us'\r\nurl = https://www.zohoapis.com\r\n");
}

TEST(ConfigEntries, Containers) {
  std::string Ini = "a = 1\n[s1]\nb = 2\nc: 3\n[s2]\nd = 4\n";
  auto E = parseConfigEntries(ConfigFormat::Ini, Ini);
  ASSERT_EQ(E.size(), 4u);
  EXPECT_NE(E[0].Container, E[1].Container);
  EXPECT_EQ(E[1].Container, E[2].Container);
  EXPECT_NE(E[2].Container, E[3].Container);

  std::string Y = "a:\n  b: 1\n  c:\n    d: 2\n  e: 3\nlist:\n  - f: 4\n    g: 5\n  - h: 6\n";
  auto YE = parseConfigEntries(ConfigFormat::Yaml, Y);
  std::map<std::string, std::string> C;
  for (const ConfigEntry &X : YE)
    C[X.key(Y).str()] = X.Container;
  EXPECT_EQ(C["b"], C["c"]);
  EXPECT_EQ(C["b"], C["e"]);
  EXPECT_NE(C["b"], C["d"]);
  EXPECT_EQ(C["f"], C["g"]);
  EXPECT_NE(C["f"], C["h"]) << "each sequence item is a mapping of its own";
  EXPECT_NE(C["a"], C["b"]);

  std::string P = "zoho.crm.a=1\nzoho.crm.b=2\nzoho.desk.a=3\n";
  auto PE = parseConfigEntries(ConfigFormat::Properties, P);
  ASSERT_EQ(PE.size(), 3u);
  EXPECT_EQ(PE[0].Container, PE[1].Container);
  EXPECT_NE(PE[1].Container, PE[2].Container);

  std::string X = "<c><a key=\"k\" value=\"v\"/><b>t</b><d><e/></d></c>";
  auto XE = parseConfigEntries(ConfigFormat::Xml, X);
  ASSERT_EQ(XE.size(), 3u);
  EXPECT_EQ(XE[0].key(X), "k");
  EXPECT_EQ(XE[0].inner(X), "v");
  EXPECT_EQ(XE[1].key(X), "b");
  EXPECT_EQ(XE[1].inner(X), "t");
  EXPECT_EQ(XE[2].key(X), "e");
  EXPECT_NE(XE[1].Container, XE[2].Container);
}

TEST(ConfigEntries, HostileNestingEnds) {
  std::string J(100000, '[');
  EXPECT_TRUE(parseConfigEntries(ConfigFormat::Json, J).empty());
  std::string X;
  for (int I = 0; I < 5000; ++I)
    X += "<a>";
  EXPECT_TRUE(parseConfigEntries(ConfigFormat::Xml, X).empty());
}

//===----------------------------------------------------------------------===//
// The YAML and JSON fixture pairs, read back
//===----------------------------------------------------------------------===//

using Flat = std::multiset<std::pair<std::string, std::string>>;

void flattenYaml(llvm::yaml::Node *N, const std::string &Path, Flat &Out) {
  if (!N)
    return;
  if (auto *M = llvm::dyn_cast<llvm::yaml::MappingNode>(N)) {
    for (auto &KV : *M) {
      llvm::SmallString<64> S;
      std::string K;
      if (auto *KS = llvm::dyn_cast_or_null<llvm::yaml::ScalarNode>(KV.getKey()))
        K = KS->getValue(S).str();
      flattenYaml(KV.getValue(), Path + "/" + K, Out);
    }
  } else if (auto *Q = llvm::dyn_cast<llvm::yaml::SequenceNode>(N)) {
    for (auto &Item : *Q)
      flattenYaml(&Item, Path + "[]", Out);
  } else if (auto *S = llvm::dyn_cast<llvm::yaml::ScalarNode>(N)) {
    llvm::SmallString<64> Buf;
    Out.insert({Path, S->getValue(Buf).str()});
  } else if (llvm::isa<llvm::yaml::NullNode>(N)) {
    Out.insert({Path, "~"});
  }
}

/// Parses \p Text with LLVM's YAML parser (errors fail the test).
Flat yamlFlat(const std::string &Text, const std::string &Name) {
  llvm::SourceMgr SM;
  std::string Diag;
  SM.setDiagHandler([](const llvm::SMDiagnostic &D, void *Ctx) {
    *static_cast<std::string *>(Ctx) += D.getMessage().str() + "\n";
  }, &Diag);
  llvm::yaml::Stream S(Text, SM);
  Flat Out;
  for (auto &Doc : S)
    flattenYaml(Doc.getRoot(), "", Out);
  EXPECT_FALSE(S.failed()) << Name << ": " << Diag;
  return Out;
}

void flattenJson(const llvm::json::Value &V, const std::string &Path, Flat &Out) {
  if (const llvm::json::Object *O = V.getAsObject()) {
    for (const auto &KV : *O)
      flattenJson(KV.second, Path + "/" + KV.first.str(), Out);
  } else if (const llvm::json::Array *A = V.getAsArray()) {
    for (const llvm::json::Value &Item : *A)
      flattenJson(Item, Path + "[]", Out);
  } else if (V.kind() == llvm::json::Value::Null) {
    Out.insert({Path, "~"});
  } else if (auto S = V.getAsString()) {
    Out.insert({Path, S->str()});
  } else {
    std::string Text;
    llvm::raw_string_ostream OS(Text);
    OS << V;
    Out.insert({Path, OS.str()});
  }
}

Flat jsonFlat(const std::string &Text, const std::string &Name) {
  Flat Out;
  auto V = llvm::json::parse(Text);
  EXPECT_TRUE(static_cast<bool>(V)) << Name;
  if (V)
    flattenJson(*V, "", Out);
  else
    llvm::consumeError(V.takeError());
  return Out;
}

std::string readFile(const std::string &P) {
  std::ifstream In(P, std::ios::binary);
  std::stringstream S;
  S << In.rdbuf();
  return S.str();
}

/// The setting name a flattened entry stands for: the last path segment, or for a
/// `NAME=value` list item the NAME.
std::string settingName(const std::pair<std::string, std::string> &E) {
  llvm::StringRef P(E.first);
  if (P.endswith("[]")) {
    llvm::StringRef V(E.second);
    return V.contains('=') ? V.split('=').first.str() : std::string();
  }
  return P.substr(P.rfind('/') + 1).str();
}

std::string normKey(llvm::StringRef K) {
  std::string N;
  for (char C : K)
    if (llvm::isAlnum(C))
      N += llvm::toLower(C);
  return N;
}

bool legacy(const std::string &Name) {
  llvm::StringRef N = Name;
  std::string L = normKey(N);
  llvm::StringRef S(L);
  return S.contains("authtoken") || S.endswith("apikey") || S.endswith("authkey") ||
         S.endswith("scope");
}

bool oauth(const std::string &Name) {
  std::string L = normKey(Name);
  llvm::StringRef S(L);
  return S.endswith("clientid") || S.endswith("clientsecret") || S.endswith("refreshtoken") ||
         S.endswith("dc");
}

TEST(ConfigFixturePairs, YamlAndJsonKeepTheirStructure) {
  std::string Root = std::string(ATM_SOURCE_DIR) + "/fixtures/fix/config";
  std::error_code EC;
  unsigned Checked = 0;
  for (llvm::sys::fs::directory_iterator It(Root, EC), End; It != End && !EC; It.increment(EC)) {
    for (llvm::StringRef Ext : {"yaml", "yml", "json"}) {
      std::string Before = It->path() + "/before." + Ext.str();
      std::string After = It->path() + "/after." + Ext.str();
      if (!llvm::sys::fs::exists(Before))
        continue;
      bool Json = Ext == "json";
      Flat B = Json ? jsonFlat(readFile(Before), Before) : yamlFlat(readFile(Before), Before);
      Flat A = Json ? jsonFlat(readFile(After), After) : yamlFlat(readFile(After), After);
      ++Checked;
      for (const auto &E : B) {
        if (!legacy(settingName(E))) {
          EXPECT_TRUE(A.count(E)) << After << ": lost " << E.first << " = " << E.second;
        }
      }
      bool Changed = A != B;
      for (const auto &E : A) {
        if (B.count(E))
          continue;
        std::string N = settingName(E);
        EXPECT_TRUE(oauth(N)) << After << ": unexpected new entry " << E.first;
        llvm::StringRef V = E.second;
        bool Placeholder = V.empty() || V == "~" || V == "null" || V.startswith("${ZOHO_") ||
                           (normKey(N).size() >= 2 && llvm::StringRef(normKey(N)).endswith("dc") &&
                            V.size() <= 3 && llvm::all_of(V, [](char C) { return C >= 'a' && C <= 'z'; }));
        if (llvm::StringRef(E.first).endswith("[]"))
          Placeholder = V.endswith("=") || V.split('=').second.size() <= 3;
        EXPECT_TRUE(Placeholder) << After << ": " << E.first << " = " << E.second
                                 << " is not a placeholder";
      }
      if (Changed) {
        for (const auto &E : A) {
          EXPECT_FALSE(legacy(settingName(E)) && !B.count(E))
              << After << ": a legacy setting was added: " << E.first;
        }
      }
    }
  }
  EXPECT_GE(Checked, 6u) << "the YAML and JSON pairs of " << Root;
}

} // namespace
