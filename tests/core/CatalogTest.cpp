#include "core/Catalog.h"

#include "gtest/gtest.h"
#include "llvm/Support/MemoryBuffer.h"

using namespace atm;

namespace {
Catalog repoCatalog() {
  std::string Path = std::string(ATM_SOURCE_DIR) + "/rules/catalog/products.yaml";
  auto Buf = llvm::MemoryBuffer::getFile(Path);
  EXPECT_TRUE(bool(Buf));
  auto C = Catalog::parse((*Buf)->getBuffer(), Path);
  EXPECT_TRUE(bool(C)) << llvm::toString(C.takeError());
  return std::move(*C);
}

std::string parseError(llvm::StringRef Yaml) {
  auto C = Catalog::parse(Yaml, "cat.yaml");
  if (C)
    return "";
  return llvm::toString(C.takeError());
}
} // namespace

TEST(Catalog, RepositoryCatalogueLoads) {
  Catalog C = repoCatalog();
  ASSERT_TRUE(C.product("crm"));
  ASSERT_TRUE(C.product("books"));
  EXPECT_EQ(C.fallback().Id, "zoho");
  EXPECT_TRUE(C.dataCentre("ca"));
  // Every product has a cutoff with a source.
  for (const Product &P : C.products())
    for (const Cutoff &Cu : P.Cutoffs)
      EXPECT_FALSE(Cu.Source.empty()) << P.Id;
}

TEST(Catalog, CutoffSelectionByDataCentreAndLanguage) {
  Catalog C = repoCatalog();
  const Product &Z = C.fallback();
  EXPECT_EQ(C.cutoffFor(Z, "in", "python")->When.str(), "2020-09-30");
  EXPECT_EQ(C.cutoffFor(Z, "eu", "python")->When.str(), "2020-10-30");
  EXPECT_EQ(C.cutoffFor(Z, "", "python")->When.str(), "2020-11-30"); // unknown DC: US date
  EXPECT_EQ(C.cutoffFor(Z, "in", "deluge")->When.str(), "2021-05-31"); // CRM functions
  const Product &Crm = *C.product("crm");
  EXPECT_EQ(C.cutoffFor(Crm, "eu", "java")->When.str(), "2018-12-31");
  EXPECT_EQ(C.cutoffFor(Crm, "eu", "deluge")->When.str(), "2021-05-31");
  const Product &Inv = *C.product("inventory");
  EXPECT_FALSE(C.cutoffFor(Inv, "", "go")->Confirmed);
  EXPECT_TRUE(C.cutoffFor(*C.product("books"), "", "go")->Confirmed);
}

TEST(Catalog, EvidenceFromHostsScopesAndTasks) {
  Catalog C = repoCatalog();
  auto Ev = C.findEvidence(
      "a https://crm.zoho.eu/crm/private b www.zohoapis.com.au/books/v3 c scope=creatorapi "
      "d zoho.projects.getRecords e user@zoho.com f accounts.zohocloud.ca g books.zoho.community");
  ASSERT_EQ(Ev.size(), 5u);
  EXPECT_EQ(Ev[0].Prod->Id, "crm");
  EXPECT_EQ(Ev[0].DataCentre, "eu");
  EXPECT_EQ(Ev[1].Prod->Id, "books"); // via path hint on www.zohoapis
  EXPECT_EQ(Ev[1].DataCentre, "au");
  EXPECT_EQ(Ev[2].Prod->Id, "creator");
  EXPECT_EQ(Ev[3].Prod->Id, "projects");
  EXPECT_EQ(Ev[4].Prod, nullptr); // accounts server: DC only
  EXPECT_EQ(Ev[4].DataCentre, "ca");
}

TEST(Catalog, HostWithATemplateSlotForTheDomainNamesTheProductOnly) {
  Catalog C = repoCatalog();
  auto Ev = C.findEvidence(
      "a 'https://support.zoho.{region}/api/json'.format(region=r) b \"crm.zoho.#{tld}/crm/\" "
      "c `https://www.zohoapis.${dc}/books/v3` d 'projects.zoho.%s/restapi' "
      "e accounts.zoho.{dc}/oauth f {zoho.{dc}} g 'crm.example.{tld}'");
  ASSERT_EQ(Ev.size(), 4u);
  EXPECT_EQ(Ev[0].Prod->Id, "support");
  EXPECT_EQ(Ev[1].Prod->Id, "crm");
  EXPECT_EQ(Ev[2].Prod->Id, "books"); // path hint after the slot
  EXPECT_EQ(Ev[3].Prod->Id, "projects");
  for (const Evidence &E : Ev) {
    EXPECT_TRUE(E.FromHost);
    EXPECT_TRUE(E.DataCentre.empty()); // the slot hides the data centre
  }
}

TEST(Catalog, ErrorsNameFileLineAndColumn) {
  EXPECT_NE(parseError("version: 1\nproducts: [\n").find("cat.yaml:"), std::string::npos);
  std::string E = parseError("version: 1\ndata-centres:\n  - id: us\n    domain: [zoho.com]\n");
  EXPECT_NE(E.find("cat.yaml:4:5: unknown key 'domain'; did you mean 'domains'?"), std::string::npos) << E;
  E = parseError("data-centres:\n  - id: us\n    domains: [zoho.com]\nproducts:\n  - id: zoho\n    name: Z\n    cutoffs:\n      - date: 2021-02-30\n");
  EXPECT_NE(E.find("cat.yaml:8:15: expected a date YYYY-MM-DD"), std::string::npos) << E;
  E = parseError("data-centres:\n  - id: us\n    domains: [zoho.com]\nproducts:\n  - id: crm\n    name: CRM\n    cutoffs:\n      - date: 2021-02-03\n");
  EXPECT_NE(E.find("fallback product with id 'zoho'"), std::string::npos) << E;
  E = parseError("data-centres:\n  - id: us\n    domains: [zoho.com]\nproducts:\n  - id: zoho\n    name: Z\n");
  EXPECT_NE(E.find("needs at least one cutoff"), std::string::npos) << E;
}
