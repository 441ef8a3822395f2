/// \file
/// core/ScopeSummary.h: per-product union of Finding::ScopesNeeded.

#include "core/ScopeSummary.h"

#include "gtest/gtest.h"

using namespace atm;

TEST(ScopeSummary, UnionPerProductSortedAndDeduplicated) {
  std::vector<Finding> Fs(4);
  Fs[0].Product = "crm";
  Fs[0].ScopesNeeded = {"ZohoCRM.modules.leads.READ"};
  Fs[1].Product = "crm";
  Fs[1].ScopesNeeded = {"ZohoCRM.modules.leads.CREATE", "ZohoCRM.modules.leads.READ"};
  Fs[2].Product = "desk";
  Fs[3].Product = "books";
  Fs[3].ScopesNeeded = {"ZohoBooks.invoices.READ", ""};
  auto M = scopesByProduct(Fs);
  ASSERT_EQ(M.size(), 2u);
  EXPECT_EQ(scopeString(M["crm"]), "ZohoCRM.modules.leads.CREATE,ZohoCRM.modules.leads.READ");
  EXPECT_EQ(scopeString(M["books"]), "ZohoBooks.invoices.READ");
  EXPECT_EQ(M.count("desk"), 0u);
  EXPECT_EQ(scopeString({}), "");
}
