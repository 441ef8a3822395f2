#include "report/Report.h"

#include "gtest/gtest.h"
#include "llvm/Support/JSON.h"

using namespace atm;

namespace {
ScanResult sample(const RuleSet &RS) {
  EngineOptions O;
  O.AsOf = *Date::parse("2026-11-24");
  RuleEngine E(RS, O);
  ScanResult R;
  FileResult F = E.scan("src/a.py", Language::Python,
                        "u = 'https://crm.zoho.in/crm/private/json/Leads/getRecords?authtoken="
                        "3f2c8e7a9b1d4c6e8f0a2b4c6d8e0f1a&scope=crmapi'  # caf\xC3\xA9\n");
  R.Findings = F.Findings;
  R.Stats.FilesScanned = 1;
  return R;
}
const RuleSet &rules() {
  static RuleSet *RS = new RuleSet(std::move(*buildRuleSet(builtinRuleSources())));
  return *RS;
}
ReportContext ctx() {
  ReportContext C;
  C.ToolVersion = "9.9.9";
  C.AsOf = *Date::parse("2026-11-24");
  C.Rules = &rules();
  return C;
}
} // namespace

TEST(Report, TextIsClangStyleWithCaretAndSummary) {
  std::string S;
  llvm::raw_string_ostream OS(S);
  writeText(OS, sample(rules()), ctx());
  OS.flush();
  EXPECT_NE(S.find("src/a.py:1:60: error: Zoho CRM call passes the legacy authtoken"), std::string::npos) << S;
  EXPECT_NE(S.find("[zoho-authtoken-url-param]"), std::string::npos);
  EXPECT_NE(S.find("^~~~~~~~~"), std::string::npos);
  EXPECT_NE(S.find("Zoho CRM (in data centre): past cutoff since 2018-12-31"), std::string::npos) << S;
  EXPECT_NE(S.find("2 findings (2 error)"), std::string::npos) << S;
  EXPECT_EQ(S.find("3f2c8e7a9b1d4c6e8f0a2b4c6d8e0f1a"), std::string::npos) << "secret leaked";
}

TEST(Report, JsonIsVersionedAndComplete) {
  std::string S;
  llvm::raw_string_ostream OS(S);
  writeJson(OS, sample(rules()), ctx());
  OS.flush();
  auto V = llvm::json::parse(S);
  ASSERT_TRUE(bool(V)) << llvm::toString(V.takeError());
  auto *O = V->getAsObject();
  EXPECT_EQ(*O->getString("schema"), "authtoken-migrate/scan");
  EXPECT_EQ(*O->getInteger("schema_version"), JsonSchemaVersion);
  auto *F = (*O->getArray("findings"))[0].getAsObject();
  for (const char *K : {"rule_id", "severity", "path", "start", "end", "message", "product",
                        "datacentre", "cutoff", "status", "snippet", "fingerprint", "fixable"})
    EXPECT_TRUE(F->get(K)) << K;
  EXPECT_EQ(*F->getString("datacentre"), "in");
  EXPECT_EQ(S.find("3f2c8e7a9b1d4c6e8f0a2b4c6d8e0f1a"), std::string::npos) << "secret leaked";
}

TEST(Report, SarifHasRulesResultsAndProperties) {
  std::string S;
  llvm::raw_string_ostream OS(S);
  writeSarif(OS, sample(rules()), ctx());
  OS.flush();
  auto V = llvm::json::parse(S);
  ASSERT_TRUE(bool(V)) << llvm::toString(V.takeError());
  auto *Run = (*V->getAsObject()->getArray("runs"))[0].getAsObject();
  auto *Driver = Run->getObject("tool")->getObject("driver");
  EXPECT_EQ(Driver->getArray("rules")->size(), rules().Rules.size());
  auto *Res = (*Run->getArray("results"))[0].getAsObject();
  EXPECT_EQ(*Res->getString("level"), "error");
  auto *Props = Res->getObject("properties");
  for (const char *K : {"product", "datacenter", "cutoff", "status"})
    EXPECT_TRUE(Props->get(K)) << K;
  auto *Region = (*Res->getArray("locations"))[0].getAsObject()->getObject("physicalLocation")->getObject("region");
  EXPECT_EQ(*Region->getInteger("startLine"), 1);
  EXPECT_EQ(*Region->getInteger("startColumn"), 60);
  EXPECT_TRUE(Res->getObject("partialFingerprints")->get("authtokenMigrate/v1"));
  EXPECT_EQ(S.find("3f2c8e7a9b1d4c6e8f0a2b4c6d8e0f1a"), std::string::npos) << "secret leaked";
}

TEST(Report, ProductCandidatesOnlyWhenTheEvidenceConflicts) {
  ScanResult R = sample(rules());
  ASSERT_GE(R.Findings.size(), 2u);
  R.Findings[0].Product.clear();
  R.Findings[0].ProductCandidates = {"books", "crm"};
  std::string J, Sa, T;
  llvm::raw_string_ostream OJ(J), OS(Sa), OT(T);
  writeJson(OJ, R, ctx());
  writeSarif(OS, R, ctx());
  writeText(OT, R, ctx());
  OJ.flush();
  OS.flush();
  OT.flush();
  auto V = llvm::json::parse(J);
  ASSERT_TRUE(bool(V));
  auto *Fs = V->getAsObject()->getArray("findings");
  auto *C = (*Fs)[0].getAsObject()->getArray("product_candidates");
  ASSERT_TRUE(C);
  ASSERT_EQ(C->size(), 2u);
  EXPECT_EQ(*(*C)[1].getAsString(), "crm");
  EXPECT_FALSE((*Fs)[1].getAsObject()->get("product_candidates"));
  auto S = llvm::json::parse(Sa);
  ASSERT_TRUE(bool(S));
  auto &Res = *(*S->getAsObject()->getArray("runs"))[0].getAsObject()->getArray("results");
  EXPECT_TRUE(Res[0].getAsObject()->getObject("properties")->get("productCandidates"));
  EXPECT_FALSE(Res[1].getAsObject()->getObject("properties")->get("productCandidates"));
  EXPECT_NE(T.find("(one of: books, crm)"), std::string::npos) << T;
}

TEST(Report, GenericFilesAreCountedByExtension) {
  ScanResult R = sample(rules());
  R.Stats.FilesByLanguage = {{"python", 1}, {"generic", 3}};
  R.Stats.GenericByExtension = {{".http", 1}, {".lua", 2}};
  std::string T, J;
  llvm::raw_string_ostream OT(T), OJ(J);
  writeText(OT, R, ctx());
  writeJson(OJ, R, ctx());
  OT.flush();
  OJ.flush();
  EXPECT_NE(T.find("generic: 3 files (.lua 2, .http 1)\n"), std::string::npos) << T;
  auto V = llvm::json::parse(J);
  ASSERT_TRUE(bool(V)) << llvm::toString(V.takeError());
  auto *Ext = V->getAsObject()->getObject("summary")->getObject("generic_by_extension");
  ASSERT_TRUE(Ext);
  EXPECT_EQ(Ext->getInteger(".lua").getValueOr(0), 2);
  EXPECT_EQ(Ext->getInteger(".http").getValueOr(0), 1);
  // No generic files: no line.
  ScanResult P = sample(rules());
  std::string T2;
  llvm::raw_string_ostream OT2(T2);
  writeText(OT2, P, ctx());
  OT2.flush();
  EXPECT_EQ(T2.find("generic:"), std::string::npos) << T2;
}

TEST(Report, ScopesInJsonSarifAndTheTextTrailer) {
  ScanResult R = sample(rules());
  ASSERT_GE(R.Findings.size(), 1u);
  // The scan fills the scopes (scan/Scanner.cpp); here they are filled the same way.
  std::string Text = "u = 'https://crm.zoho.in/crm/private/json/Leads/getRecords?authtoken="
                     "3f2c8e7a9b1d4c6e8f0a2b4c6d8e0f1a&scope=crmapi'  # caf\xC3\xA9\n";
  for (Finding &F : R.Findings)
    rules().Scopes.fill(F, Text);
  EXPECT_EQ(R.Findings[0].ScopesNeeded, std::vector<std::string>{"ZohoCRM.modules.leads.READ"});
  const size_t N = R.Findings.size(); // then a Desk finding at N, one without scopes at N + 1
  Finding Desk = R.Findings[0];
  Desk.Product = "desk";
  Desk.ProductName = "Zoho Desk";
  Desk.ScopesNeeded = {"Desk.tickets.READ"};
  Desk.ScopesUnconfirmed = {"Desk.tickets.READ"};
  R.Findings.push_back(Desk);
  Finding None = R.Findings[0];
  None.Product = "books";
  None.ProductName = "Zoho Books";
  None.ScopesNeeded.clear();
  R.Findings.push_back(None);
  std::string J, Sa, T, Q;
  llvm::raw_string_ostream OJ(J), OS(Sa), OT(T), OQ(Q);
  writeJson(OJ, R, ctx());
  writeSarif(OS, R, ctx());
  writeText(OT, R, ctx());
  ReportContext Quiet = ctx();
  Quiet.Quiet = true;
  writeText(OQ, R, Quiet);
  OJ.flush();
  OS.flush();
  OT.flush();
  OQ.flush();
  auto V = llvm::json::parse(J);
  ASSERT_TRUE(bool(V));
  auto *Fs = V->getAsObject()->getArray("findings");
  ASSERT_EQ(Fs->size(), R.Findings.size());
  auto *S0 = (*Fs)[0].getAsObject()->getArray("scopes_needed");
  ASSERT_TRUE(S0);
  ASSERT_EQ(S0->size(), 1u);
  EXPECT_EQ(*(*S0)[0].getAsString(), "ZohoCRM.modules.leads.READ");
  // Always present, possibly empty.
  auto *S2 = (*Fs)[N + 1].getAsObject()->getArray("scopes_needed");
  ASSERT_TRUE(S2);
  EXPECT_TRUE(S2->empty());
  EXPECT_EQ((*Fs)[N].getAsObject()->getArray("scopes_unconfirmed")->size(), 1u);
  auto S = llvm::json::parse(Sa);
  ASSERT_TRUE(bool(S));
  auto &Res = *(*S->getAsObject()->getArray("runs"))[0].getAsObject()->getArray("results");
  auto *P0 = Res[0].getAsObject()->getObject("properties");
  ASSERT_TRUE(P0->getArray("scopesNeeded"));
  EXPECT_EQ(*(*P0->getArray("scopesNeeded"))[0].getAsString(), "ZohoCRM.modules.leads.READ");
  EXPECT_FALSE(P0->get("scopesUnconfirmed"));
  EXPECT_TRUE(Res[N].getAsObject()->getObject("properties")->getArray("scopesUnconfirmed"));
  // One trailer line per product with scopes, at the end of the summary.
  EXPECT_NE(T.find("\nscopes for Zoho CRM: ZohoCRM.modules.leads.READ\n"), std::string::npos)
      << T;
  EXPECT_NE(
      T.find("\nscopes for Zoho Desk: Desk.tickets.READ (unconfirmed: Desk.tickets.READ)\n"),
      std::string::npos)
      << T;
  EXPECT_EQ(T.find("scopes for Zoho Books"), std::string::npos) << T;
  EXPECT_GT(T.find("scopes for Zoho CRM"), T.find("Time: "));
  EXPECT_EQ(Q.find("scopes for"), std::string::npos) << Q;
}
