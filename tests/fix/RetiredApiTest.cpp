/// \file
/// The repository-level net of the fix engine (Engine.cpp retiredApiFile with
/// FixOptions::RepoRetired): a client file whose requests name no API version, in a
/// repository whose other file sets a CRM v1 base URL (`…/crm/private/`) and none newer, is
/// not "fixed" with a header: its findings say to port the call. With a newer API named
/// anywhere, the same request is fixed.

#include "core/Text.h"
#include "fix/EditUtil.h"
#include "fix/Fix.h"
#include "gtest/gtest.h"

#include <map>

using namespace atm;
using namespace atm::fix;

namespace {

Finding at(const std::string &Path, const std::string &Text, llvm::StringRef Rule,
           llvm::StringRef Needle) {
  size_t Off = Text.find(Needle.str());
  EXPECT_NE(Off, std::string::npos) << Needle.str();
  Finding F;
  F.RuleId = Rule.str();
  F.Path = Path;
  F.Offset = Off;
  F.Length = Needle.size();
  F.Begin.Line = lineNumber(Text, Off);
  F.End.Line = F.Begin.Line;
  F.Product = "crm";
  return F;
}

const FileFix *plan(const std::map<std::string, std::string> &Files,
                    const std::vector<Finding> &Findings, FixResult &Keep) {
  FixOptions Opts;
  auto R = planFixes(
      Findings,
      [&](llvm::StringRef P) -> llvm::Expected<std::string> {
        auto It = Files.find(P.str());
        if (It == Files.end())
          return llvm::createStringError(llvm::inconvertibleErrorCode(), "no file");
        return It->second;
      },
      [&](llvm::StringRef P) { return Files.count(P.str()) > 0; }, Opts);
  EXPECT_TRUE(static_cast<bool>(R));
  if (!R) {
    llvm::consumeError(R.takeError());
    return nullptr;
  }
  Keep = std::move(*R);
  for (const FileFix &F : Keep.Files)
    if (F.Path == "zoho/client.py")
      return &F;
  return nullptr;
}

const char Client[] = "import requests\n\n\n"
                      "def get_leads(base, token):\n"
                      "    return requests.get(base + \"Leads/getRecords\", params={\"authtoken\": token})\n";

} // namespace

TEST(RetiredApi, AV1BaseUrlInAnotherFileIsThePortAdvice) {
  std::string Settings = "BASE = \"https://crm.zoho.com/crm/private/\"\n"
                         "TOKEN_NAME = \"authtoken\"\n";
  std::map<std::string, std::string> Files = {{"zoho/client.py", Client},
                                              {"zoho/settings.py", Settings}};
  std::vector<Finding> Findings = {
      at("zoho/client.py", Client, "zoho-authtoken-param-key", "\"authtoken\""),
      at("zoho/settings.py", Settings, "zoho-authtoken-param-key", "\"authtoken\"")};
  FixResult R;
  const FileFix *F = plan(Files, Findings, R);
  ASSERT_TRUE(F);
  ASSERT_EQ(F->Findings.size(), 1u);
  EXPECT_EQ(F->Findings[0].O, Outcome::Manual);
  EXPECT_NE(F->Findings[0].Reason.find("CRM API v1"), std::string::npos) << F->Findings[0].Reason;
  EXPECT_NE(F->Findings[0].Reason.find("the repository builds"), std::string::npos)
      << F->Findings[0].Reason;
  EXPECT_EQ(F->New, F->Old);
}

TEST(RetiredApi, ANewerApiAnywhereKeepsTheFix) {
  std::string Settings = "BASE = \"https://crm.zoho.com/crm/private/\"\n"
                         "V2 = \"https://www.zohoapis.com/crm/v2/\"\n"
                         "TOKEN_NAME = \"authtoken\"\n";
  std::map<std::string, std::string> Files = {{"zoho/client.py", Client},
                                              {"zoho/settings.py", Settings}};
  std::vector<Finding> Findings = {
      at("zoho/client.py", Client, "zoho-authtoken-param-key", "\"authtoken\""),
      at("zoho/settings.py", Settings, "zoho-authtoken-param-key", "\"authtoken\"")};
  FixResult R;
  const FileFix *F = plan(Files, Findings, R);
  ASSERT_TRUE(F);
  ASSERT_EQ(F->Findings.size(), 1u);
  EXPECT_EQ(F->Findings[0].O, Outcome::Fixed) << F->Findings[0].Reason;
  EXPECT_NE(F->New, F->Old);
}

TEST(RetiredApi, TheTableSpansFiles) {
  std::vector<llvm::StringRef> V1 = {"x = 1", "BASE='https://crm.zoho.eu/crm/private/'"};
  auto A = retiredApisOfFiles(V1);
  ASSERT_EQ(A.size(), 1u);
  EXPECT_EQ(A[0].Product, "crm");
  std::vector<llvm::StringRef> Both = {"u='https://crm.zoho.eu/crm/private/xml/'",
                                       "v='https://www.zohoapis.eu/crm/v3/Leads'"};
  EXPECT_TRUE(retiredApisOfFiles(Both).empty());
  EXPECT_TRUE(namesNewerApi("GET /crm/v2/Leads", "crm"));
  EXPECT_FALSE(namesNewerApi("GET /crm/v2/Leads", "creator"));
}
