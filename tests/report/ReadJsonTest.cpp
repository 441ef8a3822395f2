/// \file
/// report/ReadJson.h: a `scan --format json` report read back equals what was written
/// (the input of `report --from` and `merge`), and bad input is an error naming the file.

#include "report/ReadJson.h"
#include "report/Report.h"

#include "gtest/gtest.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

using namespace atm;

namespace {

const RuleSet &rules() {
  static RuleSet *RS = new RuleSet(std::move(*buildRuleSet(builtinRuleSources())));
  return *RS;
}

ScanResult sample() {
  EngineOptions O;
  O.AsOf = *Date::parse("2026-11-24");
  RuleEngine E(rules(), O);
  ScanResult R;
  FileResult F = E.scan("src/a.py", Language::Python,
                        "u = 'https://crm.zoho.in/crm/v2/Leads?authtoken="
                        "3f2c8e7a9b1d4c6e8f0a2b4c6d8e0f1a&scope=crmapi'\n");
  R.Findings = F.Findings;
  R.Findings.at(0).Fixable = true;
  R.Findings.at(0).FixNote = "moves the token to the header";
  R.Findings.at(0).ScopesNeeded = {"ZohoCRM.modules.leads.READ"};
  R.Findings.at(0).StatementBegin = {1, 1};
  R.Findings.at(0).StatementEnd = {1, 80};
  R.Stats.FilesScanned = 3;
  R.Stats.PrefilterRejected = 4;
  R.Stats.Suppressed = 2;
  R.Stats.FilesByLanguage["python"] = 3;
  R.Stats.Problems = {"x.bin: unreadable"};
  return R;
}

std::string json(const ScanResult &R) {
  ReportContext C;
  C.ToolVersion = "9.9.9";
  C.AsOf = *Date::parse("2026-11-24");
  C.Rules = &rules();
  C.Root = "/srv/checkout";
  std::string S;
  llvm::raw_string_ostream OS(S);
  writeJson(OS, R, C);
  return OS.str();
}

TEST(ReadJson, RoundTripsWhatWriteJsonWrites) {
  ScanResult R = sample();
  ASSERT_FALSE(R.Findings.empty());
  std::string Text = json(R);
  llvm::Expected<ScanJson> Back = parseScanJson(Text, "scan.json");
  ASSERT_TRUE(bool(Back)) << llvm::toString(Back.takeError());
  EXPECT_EQ(Back->Header.ToolVersion, "9.9.9");
  EXPECT_EQ(Back->Header.AsOf, "2026-11-24");
  EXPECT_EQ(Back->Header.Root, "/srv/checkout");
  ASSERT_EQ(Back->Result.Findings.size(), R.Findings.size());
  const Finding &A = R.Findings[0], &B = Back->Result.Findings[0];
  EXPECT_EQ(B.RuleId, A.RuleId);
  EXPECT_EQ(B.Sev, A.Sev);
  EXPECT_EQ(B.Path, A.Path);
  EXPECT_EQ(B.Begin.Line, A.Begin.Line);
  EXPECT_EQ(B.End.Column, A.End.Column);
  EXPECT_EQ(B.Offset, A.Offset);
  EXPECT_EQ(B.Product, A.Product);
  EXPECT_EQ(B.DataCentre, A.DataCentre);
  EXPECT_EQ(B.Cutoff, A.Cutoff);
  EXPECT_EQ(B.Snippet, A.Snippet);
  EXPECT_EQ(B.Fingerprint, A.Fingerprint);
  EXPECT_TRUE(B.Fixable);
  EXPECT_EQ(B.FixNote, A.FixNote);
  EXPECT_EQ(B.StatementEnd.Column, 80u);
  EXPECT_EQ(Back->Result.Stats.FilesScanned, 3u);
  EXPECT_EQ(Back->Result.Stats.PrefilterRejected, 4u);
  EXPECT_EQ(Back->Result.Stats.Suppressed, 2u);
  EXPECT_EQ(Back->Result.Stats.FilesByLanguage["python"], 3u);
  ASSERT_EQ(Back->Result.Stats.Problems.size(), 1u);
  // Written again, the report is the same bytes (merge of one report = the report).
  EXPECT_EQ(json(Back->Result), Text);
}

// writeJson streams its output; what it streams must be what building json::Values and
// printing them gives (llvm::json sorts an object's keys): parsed and printed again, the
// text comes back byte for byte, with every optional field present.
TEST(ReadJson, JsonStreamsWhatJsonValuesPrint) {
  ScanResult R = sample();
  Finding &F = R.Findings.at(0);
  F.FixHint = "see the README";
  F.ProductCandidates = {"crm", "books"};
  F.ScopesUnconfirmed = {"ZohoCRM.settings.READ"};
  F.ScopesFallback = {"ZohoCRM.modules.ALL"};
  F.Product.clear(); // a null
  Finding G = F;
  G.StatementBegin = {};
  G.FixNote.clear();
  G.Path = "src/\xc3\xa9t\xc3\xa9 \"q\"\\.py";
  R.Findings.push_back(G);
  R.Stats.GenericByExtension[".txt"] = 2;
  R.Stats.Notes = {"a note"};
  ReportContext C;
  C.ToolVersion = "9.9.9";
  C.AsOf = *Date::parse("2026-11-24");
  C.Rules = &rules();
  RepoTotals T;
  T.Name = "one";
  T.Findings = 2;
  T.Error = "clone failed";
  C.Repos = {T};
  C.Repository = RepoInfo{};
  C.Repository->Name = "one";
  C.Repository->Error = "x";
  for (bool WithRoot : {false, true}) {
    C.Root = WithRoot ? "/srv/checkout" : "";
    std::string S;
    llvm::raw_string_ostream OS(S);
    writeJson(OS, R, C);
    OS.flush();
    llvm::Expected<llvm::json::Value> V = llvm::json::parse(S);
    ASSERT_TRUE(bool(V)) << llvm::toString(V.takeError());
    EXPECT_EQ(S, llvm::formatv("{0:2}", *V).str() + "\n");
  }
}

TEST(ReadJson, ErrorsNameTheFile) {
  auto Msg = [](llvm::StringRef Text) {
    llvm::Expected<ScanJson> R = parseScanJson(Text, "shard-7.json");
    EXPECT_FALSE(bool(R));
    return R ? std::string() : llvm::toString(R.takeError());
  };
  EXPECT_NE(Msg("{\"schema\": ").find("shard-7.json: not valid JSON"), std::string::npos);
  EXPECT_NE(Msg("{\"version\": 1}").find("not an authtoken-migrate scan report"), std::string::npos);
  EXPECT_NE(Msg("{\"schema\":\"authtoken-migrate/scan\",\"schema_version\":99,\"findings\":[]}")
                .find("schema_version 99"),
            std::string::npos);
  EXPECT_NE(Msg("{\"schema\":\"authtoken-migrate/scan\",\"schema_version\":1,\"findings\":[{}]}")
                .find("findings[0]"),
            std::string::npos);
  EXPECT_NE(Msg("{\"schema\":\"authtoken-migrate/scan\",\"schema_version\":1}").find("no \"findings\""),
            std::string::npos);
}

} // namespace
