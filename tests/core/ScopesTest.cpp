/// \file
/// The OAuth scope table (rules/catalog/scopes.yaml) and the inference over it
/// (core/Scopes.h): rows per product, method and v1-verb distinctions, unknown
/// endpoints, loader errors, and the --rules override.

#include "core/Scopes.h"

#include <fstream>

#include "core/Catalog.h"
#include "rules/Rule.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "gtest/gtest.h"

using namespace atm;

namespace {

std::string readRepo(llvm::StringRef Rel) {
  std::string Path = std::string(ATM_SOURCE_DIR) + "/" + Rel.str();
  auto Buf = llvm::MemoryBuffer::getFile(Path);
  EXPECT_TRUE(bool(Buf)) << Path;
  return Buf ? (*Buf)->getBuffer().str() : std::string();
}

std::vector<std::string> productIds() {
  auto C = Catalog::parse(readRepo("rules/catalog/products.yaml"), "products.yaml");
  EXPECT_TRUE(bool(C));
  std::vector<std::string> Ids;
  if (C)
    for (const Product &P : C->products())
      Ids.push_back(P.Id);
  return Ids;
}

const ScopeCatalog &repoScopes() {
  static const ScopeCatalog S = [] {
    auto C = ScopeCatalog::parse(readRepo("rules/catalog/scopes.yaml"),
                                 "rules/catalog/scopes.yaml", productIds());
    EXPECT_TRUE(bool(C)) << llvm::toString(C.takeError());
    return C ? std::move(*C) : ScopeCatalog();
  }();
  return S;
}

std::string joined(const std::vector<std::string> &V) {
  std::string Out;
  for (const std::string &S : V)
    Out += (Out.empty() ? "" : ",") + S;
  return Out;
}

std::string scopesOf(llvm::StringRef Product, llvm::StringRef Method, llvm::StringRef Path) {
  return joined(repoScopes().match(Product, Path, Method).Scopes);
}

std::string parseError(llvm::StringRef Yaml) {
  auto C = ScopeCatalog::parse(Yaml, "scopes.yaml", {"crm", "books"});
  if (C)
    return "";
  return llvm::toString(C.takeError());
}

} // namespace

TEST(Scopes, RepositoryTableLoadsAndEveryRowHasASource) {
  const ScopeCatalog &S = repoScopes();
  ASSERT_FALSE(S.empty());
  std::set<std::string> Products;
  for (const ScopeRow &R : S.rows()) {
    EXPECT_FALSE(R.Source.empty()) << "row at line " << R.Line;
    EXPECT_FALSE(R.Scopes.empty()) << "row at line " << R.Line;
    Products.insert(R.Product);
  }
  for (const char *P :
       {"crm", "books", "invoice", "inventory", "subscriptions", "desk", "cliq", "creator",
        "projects", "mail", "people", "recruit", "analytics", "campaigns"})
    EXPECT_TRUE(Products.count(P)) << P;
}

TEST(Scopes, CrmRecordsByMethod) {
  EXPECT_EQ(scopesOf("crm", "GET", "/crm/v2/Leads"), "ZohoCRM.modules.leads.READ");
  EXPECT_EQ(scopesOf("crm", "POST", "/crm/v2/Leads"), "ZohoCRM.modules.leads.CREATE");
  EXPECT_EQ(scopesOf("crm", "PUT", "/crm/v2/Leads/4150868000001"),
            "ZohoCRM.modules.leads.UPDATE");
  EXPECT_EQ(scopesOf("crm", "DELETE", "/crm/v8/Leads/4150868000001"),
            "ZohoCRM.modules.leads.DELETE");
  EXPECT_EQ(scopesOf("crm", "GET", "/crm/v2/Leads/search"), "ZohoCRM.modules.leads.READ");
  // API names mapped to scope names.
  EXPECT_EQ(scopesOf("crm", "GET", "/crm/v2/Price_Books"), "ZohoCRM.modules.pricebooks.READ");
  EXPECT_EQ(scopesOf("crm", "POST", "/crm/v2/Deals/upsert"),
            "ZohoCRM.modules.deals.CREATE,ZohoCRM.modules.deals.UPDATE");
}

TEST(Scopes, CrmSettingsUsersCoqlAndFallback) {
  EXPECT_EQ(scopesOf("crm", "GET", "/crm/v2/settings/fields"), "ZohoCRM.settings.fields.READ");
  EXPECT_EQ(scopesOf("crm", "GET", "/crm/v2/settings/layouts/123"),
            "ZohoCRM.settings.layouts.READ");
  EXPECT_EQ(scopesOf("crm", "GET", "/crm/v2/users"), "ZohoCRM.users.READ");
  EXPECT_EQ(scopesOf("crm", "POST", "/crm/v3/coql"), "ZohoCRM.coql.READ,ZohoCRM.modules.ALL");
  // A custom module: no narrower scope in the table, so the catch-all, marked
  // as such.
  ScopeMatch M = repoScopes().match("crm", "/crm/v2/Invoice_Approvals", "GET");
  EXPECT_EQ(joined(M.Scopes), "ZohoCRM.modules.ALL");
  EXPECT_EQ(joined(M.Fallback), "ZohoCRM.modules.ALL");
  ScopeMatch Leads = repoScopes().match("crm", "/crm/v2/Leads", "GET");
  EXPECT_TRUE(Leads.Fallback.empty());
  EXPECT_TRUE(Leads.Unconfirmed.empty());
}

TEST(Scopes, CrmLegacyV1Verbs) {
  EXPECT_EQ(scopesOf("crm", "", "/crm/private/json/Leads/getRecords"),
            "ZohoCRM.modules.leads.READ");
  EXPECT_EQ(scopesOf("crm", "POST", "/crm/private/xml/Leads/insertRecords"),
            "ZohoCRM.modules.leads.CREATE");
  EXPECT_EQ(scopesOf("crm", "", "/crm/private/json/Leads/updateRecords"),
            "ZohoCRM.modules.leads.UPDATE");
  EXPECT_EQ(scopesOf("crm", "GET", "/crm/private/json/Leads/deleteRecords"),
            "ZohoCRM.modules.leads.DELETE");
  // v1's Potentials are v2's Deals; the verb decides, not the method.
  EXPECT_EQ(scopesOf("crm", "POST", "/crm/private/json/Potentials/getRecordById"),
            "ZohoCRM.modules.deals.READ");
  EXPECT_EQ(scopesOf("crm", "", "/crm/private/json/Leads/getFields"),
            "ZohoCRM.settings.fields.READ");
  // An unknown verb: the catch-all.
  ScopeMatch M = repoScopes().match("crm", "/crm/private/json/Leads/convertLead", "");
  EXPECT_EQ(joined(M.Fallback), "ZohoCRM.modules.ALL");
}

TEST(Scopes, BooksAndInvoiceByMethod) {
  EXPECT_EQ(scopesOf("books", "GET", "/api/v3/invoices"), "ZohoBooks.invoices.READ");
  EXPECT_EQ(scopesOf("books", "POST", "/api/v3/invoices"), "ZohoBooks.invoices.CREATE");
  EXPECT_EQ(scopesOf("books", "PUT", "/api/v3/invoices/982000000567114"),
            "ZohoBooks.invoices.UPDATE");
  EXPECT_EQ(scopesOf("books", "DELETE", "/books/v3/contacts/1"), "ZohoBooks.contacts.DELETE");
  EXPECT_EQ(scopesOf("books", "GET", "/api/v3/invoices/1/payments"), "ZohoBooks.invoices.READ");
  // A POST action below a record: no row says which operation it is.
  ScopeMatch Email = repoScopes().match("books", "/api/v3/invoices/1/email", "POST");
  EXPECT_EQ(joined(Email.Scopes), "ZohoBooks.fullaccess.all");
  EXPECT_EQ(joined(Email.Fallback), "ZohoBooks.fullaccess.all");
  // Filed under another scope, and marked unconfirmed.
  ScopeMatch Items = repoScopes().match("books", "/api/v3/items", "GET");
  EXPECT_EQ(joined(Items.Scopes), "ZohoBooks.settings.READ");
  EXPECT_EQ(joined(Items.Unconfirmed), "ZohoBooks.settings.READ");
  // Zoho Invoice has the same paths with its own service name.
  EXPECT_EQ(scopesOf("invoice", "GET", "/api/v3/organizations"), "ZohoInvoice.settings.READ");
  EXPECT_TRUE(
      repoScopes().match("invoice", "/api/v3/organizations", "GET").Unconfirmed.empty());
  EXPECT_EQ(scopesOf("invoice", "POST", "/api/v3/invoices"), "ZohoInvoice.invoices.CREATE");
}

TEST(Scopes, DeskCliqAndTheOtherProducts) {
  EXPECT_EQ(scopesOf("desk", "GET", "/api/v1/tickets"), "Desk.tickets.READ");
  EXPECT_EQ(scopesOf("desk", "POST", "/api/v1/tickets"), "Desk.tickets.CREATE");
  EXPECT_EQ(scopesOf("desk", "PATCH", "/api/v1/tickets/1892000000042034"),
            "Desk.tickets.UPDATE");
  EXPECT_EQ(scopesOf("desk", "GET", "/api/v1/accounts"), "Desk.contacts.READ");
  EXPECT_EQ(scopesOf("desk", "GET", "/api/v1/tickets/search"), "Desk.search.READ");
  EXPECT_EQ(scopesOf("desk", "GET", "/api/v1/organizations"), "Desk.basic.READ");
  EXPECT_EQ(joined(repoScopes().match("desk", "/api/v1/tickets", "GET").Unconfirmed),
            "Desk.tickets.READ");
  EXPECT_EQ(scopesOf("cliq", "POST", "/api/v2/channelsbyname/alerts/message"),
            "ZohoCliq.Webhooks.CREATE");
  EXPECT_EQ(scopesOf("cliq", "GET", "/api/v2/channels"), "ZohoCliq.Channels.READ");
  EXPECT_EQ(scopesOf("creator", "GET", "/api/v2/jason18/zylker-store/report/All_Orders"),
            "ZohoCreator.report.READ");
  EXPECT_EQ(scopesOf("creator", "POST", "/api/v2/jason18/zylker-store/form/Orders"),
            "ZohoCreator.form.CREATE");
  EXPECT_EQ(scopesOf("creator", "", "/api/owner/json/app/form/Order/record/add"),
            "ZohoCreator.form.CREATE");
  EXPECT_EQ(scopesOf("creator", "", "/api/json/app/view/All_Orders"),
            "ZohoCreator.report.READ");
  EXPECT_EQ(scopesOf("projects", "GET", "/restapi/portal/123/projects/456/tasks"),
            "ZohoProjects.tasks.READ");
  EXPECT_EQ(scopesOf("projects", "GET", "/restapi/portals"), "ZohoProjects.portals.READ");
  EXPECT_EQ(scopesOf("mail", "POST", "/api/accounts/1234/messages"),
            "ZohoMail.messages.CREATE");
  EXPECT_EQ(scopesOf("mail", "GET", "/api/accounts"), "ZohoMail.accounts.READ");
  EXPECT_EQ(scopesOf("people", "", "/people/api/forms/employee/getRecords"),
            "ZOHOPEOPLE.forms.READ");
  EXPECT_EQ(scopesOf("people", "", "/people/api/forms/json/employee/insertRecord"),
            "ZOHOPEOPLE.forms.CREATE");
  EXPECT_EQ(scopesOf("recruit", "", "/recruit/private/json/Candidates/getRecords"),
            "ZohoRecruit.modules.ALL");
  EXPECT_EQ(scopesOf("subscriptions", "GET", "/api/v1/customers"),
            "ZohoSubscriptions.customers.READ");
  EXPECT_EQ(scopesOf("subscriptions", "POST", "/api/v1/customers/1/cards"),
            "ZohoSubscriptions.fullaccess.all");
  EXPECT_EQ(scopesOf("inventory", "GET", "/api/v1/salesorders"),
            "ZohoInventory.salesorders.READ");
  EXPECT_EQ(scopesOf("analytics", "", "/api/owner@example.com/Sales/Orders"),
            "ZohoReports.fullaccess.all");
  EXPECT_EQ(scopesOf("campaigns", "", "/api/json/listsubscribe"),
            "ZohoCampaigns.contact.UPDATE");
  EXPECT_EQ(scopesOf("campaigns", "", "/api/recentcampaigns"), "ZohoCampaigns.campaign.READ");
}

TEST(Scopes, MethodDistinctionsNeedAVisibleMethod) {
  // Same path, other method, other scope; no visible method, no
  // operation-specific scope.
  EXPECT_NE(scopesOf("books", "GET", "/api/v3/bills"),
            scopesOf("books", "POST", "/api/v3/bills"));
  ScopeMatch M = repoScopes().match("books", "/api/v3/bills", "");
  EXPECT_EQ(joined(M.Scopes), "ZohoBooks.fullaccess.all");
  EXPECT_EQ(joined(M.Fallback), "ZohoBooks.fullaccess.all");
  EXPECT_EQ(scopesOf("desk", "", "/api/v1/tickets"), "");
  // A row restricted to POST does not match a GET.
  EXPECT_EQ(scopesOf("cliq", "GET", "/api/v2/channelsbyname/alerts/message"), "");
}

TEST(Scopes, UnknownEndpointsGetNoScope) {
  EXPECT_EQ(scopesOf("crm", "GET", "/oauth/v2/token"), "");
  EXPECT_EQ(scopesOf("books", "GET", "/api/v2/invoices"), "");
  EXPECT_EQ(scopesOf("desk", "GET", "/api/v2/tickets"), "");
  EXPECT_EQ(scopesOf("crm", "GET", "/"), "");
  // No product: a path that several products' rows know is not decided.
  EXPECT_EQ(scopesOf("", "GET", "/api/v1/tickets"), "");
  // ... one that only one product's rows know is.
  EXPECT_EQ(scopesOf("", "GET", "/crm/v2/Contacts"), "ZohoCRM.modules.contacts.READ");
  // A product the table has no rows for.
  EXPECT_EQ(scopesOf("expense", "GET", "/api/v1/expenses"), "");
  EXPECT_TRUE(repoScopes().infer("crm", "x = compute(authtoken)").Scopes.empty());
}

TEST(Scopes, MethodFromTheRequestText) {
  EXPECT_EQ(requestMethod("r = requests.post(URL, data={'authtoken': t})"), "POST");
  EXPECT_EQ(requestMethod("requests.get(\"https://x/crm/v2/Leads\")"), "GET");
  EXPECT_EQ(requestMethod("curl -X PUT https://desk.zoho.com/api/v1/tickets/1"), "PUT");
  EXPECT_EQ(requestMethod("curl --request DELETE \"$U\""), "DELETE");
  EXPECT_EQ(requestMethod("curl -d 'a=1' https://x"), "POST");
  EXPECT_EQ(requestMethod("curl https://x/api/v1/tickets"), "GET");
  EXPECT_EQ(requestMethod("wget -qO- \"https://x/api/v1/tickets\""), "GET");
  EXPECT_EQ(requestMethod("wget --post-data 'a=1' https://x"), "POST");
  EXPECT_EQ(requestMethod("curl_setopt($ch, CURLOPT_POST, 1);"), "POST");
  EXPECT_EQ(requestMethod("curl_setopt($ch, CURLOPT_CUSTOMREQUEST, \"DELETE\"); "
                          "curl_setopt($ch, CURLOPT_POSTFIELDS, $d);"),
            "DELETE");
  EXPECT_EQ(requestMethod("fetch(url, { method: 'PUT', headers })"), "PUT");
  EXPECT_EQ(requestMethod("fetch(url)"), "GET");
  EXPECT_EQ(requestMethod("HttpPost post = new HttpPost(url);"), "POST");
  EXPECT_EQ(requestMethod("conn.setRequestMethod(\"PATCH\");"), "PATCH");
  EXPECT_EQ(requestMethod("await client.DeleteAsync(url);"), "DELETE");
  EXPECT_EQ(requestMethod("req, _ := http.NewRequest(\"PUT\", url, body)"), "PUT");
  EXPECT_EQ(requestMethod("invokeurl [ url: u type: PATCH parameters: m ]"), "PATCH");
  EXPECT_EQ(requestMethod("resp = postUrl(u, m);"), "POST");
  EXPECT_EQ(requestMethod("$client->request('POST', $url, ['query' => $q]);"), "POST");
  EXPECT_EQ(requestMethod("Net::HTTP::Put.new(uri)"), "PUT");
  // Override header beats the transport method.
  EXPECT_EQ(requestMethod("postUrl(u, m, {\"X-HTTP-Method-Override\": \"PUT\"})"), "PUT");
  // Conflicts and nothing at all are "not visible".
  EXPECT_EQ(requestMethod("requests.post(a); requests.put(b)"), "");
  EXPECT_EQ(requestMethod("url = \"https://crm.zoho.com/crm/v2/Leads\""), "");
}

TEST(Scopes, PathsFromTheRequestText) {
  auto P = requestPaths("u = 'https://www.zohoapis.eu/crm/v2/Leads?fields=Last_Name#x'; "
                        "b = f\"https://books.zoho.com/api/v3/invoices/{inv}\"; "
                        "c = BASE + \"/crm/v2/Contacts\"; d = \"/\"");
  ASSERT_EQ(P.size(), 3u);
  EXPECT_EQ(P[0], "/crm/v2/Leads");
  EXPECT_EQ(P[1], "/api/v3/invoices/");
  EXPECT_EQ(P[2], "/crm/v2/Contacts");
}

TEST(Scopes, InferFromARequestAndFillAFinding) {
  const ScopeCatalog &S = repoScopes();
  EXPECT_EQ(joined(S.infer("crm", "r = requests.get('https://www.zohoapis.com/crm/v2/Leads', "
                                  "params={'authtoken': TOKEN})")
                       .Scopes),
            "ZohoCRM.modules.leads.READ");
  // The statement region (three lines) decides, not only the finding's line.
  std::string Text = "import requests\n"
                     "r = requests.post(\n"
                     "    'https://crm.zoho.com/crm/private/json/Leads/insertRecords',\n"
                     "    data={'authtoken': TOKEN, 'scope': 'crmapi'})\n"
                     "print(r)\n";
  Finding F;
  F.Product = "crm";
  F.Begin = {4, 12};
  F.End = {4, 23};
  S.fill(F, Text);
  EXPECT_TRUE(F.ScopesNeeded.empty()) << joined(F.ScopesNeeded);
  F.StatementBegin = {2, 1};
  F.StatementEnd = {4, 50};
  S.fill(F, Text);
  EXPECT_EQ(joined(F.ScopesNeeded), "ZohoCRM.modules.leads.CREATE");
  EXPECT_TRUE(F.ScopesUnconfirmed.empty());
  // An unconfirmed row's scopes are marked.
  Finding D;
  D.Product = "desk";
  D.Begin = D.End = {1, 1};
  S.fill(D, "requests.get('https://desk.zoho.com/api/v1/tickets', headers=h)\n");
  EXPECT_EQ(joined(D.ScopesNeeded), "Desk.tickets.READ");
  EXPECT_EQ(joined(D.ScopesUnconfirmed), "Desk.tickets.READ");
}

TEST(Scopes, BrokenTablesAreErrorsNamingFileLineColumn) {
  const std::string Head =
      "version: 1\nproducts:\n  - product: crm\n    source: s\n    rows:\n";
  EXPECT_NE(parseError(Head + "      - path: '/crm/v2/x'\n        scope: [A]\n")
                .find("scopes.yaml:7:9: unknown key 'scope'"),
            std::string::npos)
      << parseError(Head + "      - path: '/crm/v2/x'\n        scope: [A]\n");
  EXPECT_NE(parseError(Head + "      - path: '/crm/v2/x'\n        method: FETCH\n"
                              "        scopes: [A]\n")
                .find("scopes.yaml:7:17: unknown HTTP method 'FETCH'"),
            std::string::npos);
  EXPECT_NE(parseError(Head + "      - path: 'crm/v2'\n        scopes: [A]\n")
                .find("scopes.yaml:6:15: path 'crm/v2': a path pattern starts "
                      "with '/'"),
            std::string::npos);
  EXPECT_NE(parseError(Head + "      - path: '/crm/**/x'\n        scopes: [A]\n")
                .find("scopes.yaml:6:15: path '/crm/**/x': '**' may only be the last "
                      "segment"),
            std::string::npos);
  EXPECT_NE(parseError(Head + "      - path: '/crm/v2'\n        scopes: ['A.{module}.READ']\n")
                .find("scopes.yaml:6:9: scope 'A.{module}.READ' uses '{module}'"),
            std::string::npos);
  EXPECT_NE(parseError(Head + "      - path: '/crm/v2/{m}'\n        where: {m: nosuchset}\n"
                              "        scopes: ['A.{m}']\n")
                .find("scopes.yaml:7:20: unknown set 'nosuchset'"),
            std::string::npos);
  EXPECT_NE(parseError(Head + "      - path: '/crm/v2/{m}'\n        verbs: {get: FETCH}\n"
                              "        scopes: ['A.{m}']\n")
                .find("scopes.yaml:7:22: unknown operation 'FETCH'"),
            std::string::npos);
  EXPECT_NE(parseError("version: 1\nproducts:\n  - product: nosuch\n    rows: []\n")
                .find("scopes.yaml:3:14: unknown product 'nosuch'"),
            std::string::npos);
  EXPECT_NE(parseError("version: 1\nproducts:\n  - product: crm\n    rows:\n"
                       "      - path: '/crm/v2'\n        scopes: [A]\n")
                .find("scopes.yaml:5:9: a row needs a 'source'"),
            std::string::npos);
  EXPECT_NE(
      parseError("version: 2\nproducts: []\n").find("scopes.yaml:1:10: unsupported version"),
      std::string::npos);
  EXPECT_NE(parseError("version: 1\nproducts: [\n").find("scopes.yaml:"), std::string::npos);
  EXPECT_NE(parseError(Head + "      - path: '/crm/v2/{m}'\n        scopes: ['A.{m}.READ']\n")
                .find("scopes.yaml:6:9: scope 'A.{m}.READ' uses '{m}': list its values under "
                      "'where'"),
            std::string::npos);
  EXPECT_EQ(parseError(Head + "      - path: '/crm/v2/{m}'\n        where: {m: [a, b]}\n"
                              "        scopes: ['A.{m}.{op}']\n"),
            "");
}

TEST(Scopes, RulesDirectoryOverridesTheBuiltInTable) {
  llvm::SmallString<128> Dir;
  ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("atm-scopes", Dir));
  std::string Cat = std::string(Dir) + "/catalog";
  ASSERT_FALSE(llvm::sys::fs::create_directories(Cat));
  {
    std::ofstream O(Cat + "/scopes.yaml");
    O << "version: 1\nproducts:\n  - product: crm\n    source: our own notes\n "
         "   rows:\n"
         "      - path: '/crm/v2/Leads'\n        scopes: [Our.own.scope]\n";
  }
  auto Sources = builtinRuleSources();
  auto Extra = readRuleDirs({std::string(Dir)});
  ASSERT_TRUE(bool(Extra)) << llvm::toString(Extra.takeError());
  Sources.insert(Sources.end(), Extra->begin(), Extra->end());
  auto RS = buildRuleSet(Sources);
  ASSERT_TRUE(bool(RS)) << llvm::toString(RS.takeError());
  ASSERT_EQ(RS->Scopes.rows().size(), 1u);
  EXPECT_EQ(joined(RS->Scopes.match("crm", "/crm/v2/Leads", "GET").Scopes), "Our.own.scope");
  // The built-in table is what a plain build loads.
  auto Builtin = buildRuleSet(builtinRuleSources());
  ASSERT_TRUE(bool(Builtin));
  EXPECT_GT(Builtin->Scopes.rows().size(), 20u);
  EXPECT_EQ(joined(Builtin->Scopes.match("crm", "/crm/v2/Leads", "GET").Scopes),
            "ZohoCRM.modules.leads.READ");
  // A broken override is an error naming the user's file and line.
  {
    std::ofstream O(Cat + "/scopes.yaml");
    O << "version: 1\nproducts:\n  - product: crm\n    rows:\n      - paths: "
         "'/x'\n";
  }
  Sources = builtinRuleSources();
  Extra = readRuleDirs({std::string(Dir)});
  ASSERT_TRUE(bool(Extra));
  Sources.insert(Sources.end(), Extra->begin(), Extra->end());
  auto Bad = buildRuleSet(Sources);
  ASSERT_FALSE(bool(Bad));
  std::string Err = llvm::toString(Bad.takeError());
  EXPECT_NE(Err.find("catalog/scopes.yaml:5:9: unknown key 'paths'"), std::string::npos) << Err;
  llvm::sys::fs::remove_directories(Dir);
}

TEST(Scopes, ConstantsJoinedToTheUrlAreExpanded) {
  std::string File = "BASE = \"https://crm.zoho.eu/crm/private/json/\"\n"
                     "url = BASE + \"Leads/getRecords?authtoken=\" + AUTHTOKEN\n";
  EXPECT_EQ(expandConstants("url = BASE + \"Leads/getRecords?authtoken=\" + AUTHTOKEN", File),
            "url = \"https://crm.zoho.eu/crm/private/json/Leads/getRecords?authtoken=\" + "
            "AUTHTOKEN");
  Finding F;
  F.Product = "crm";
  F.Begin = {2, 40};
  F.End = {2, 49};
  repoScopes().fill(F, File);
  EXPECT_EQ(joined(F.ScopesNeeded), "ZohoCRM.modules.leads.READ");
  // PHP define() and `.`, an f-string interpolation; an undefined name stays.
  std::string Php = "<?php define('ZBASE', 'https://books.zoho.com/api/v3');\n"
                    "$r = wp_remote_post(ZBASE . '/invoices?authtoken=' . $t);\n";
  EXPECT_NE(expandConstants("$r = wp_remote_post(ZBASE . '/invoices?authtoken=' . $t);", Php)
                .find("'https://books.zoho.com/api/v3/invoices?authtoken='"),
            std::string::npos);
  EXPECT_EQ(
      joined(repoScopes()
                 .infer("books", expandConstants(
                                     "$r = wp_remote_post(ZBASE . '/invoices?a=' . $t);", Php))
                 .Scopes),
      "ZohoBooks.invoices.CREATE");
  EXPECT_EQ(expandConstants("f\"{HOST}/crm/v2/Leads\"", "HOST = 'https://www.zohoapis.com'\n"),
            "f\"https://www.zohoapis.com/crm/v2/Leads\"");
  EXPECT_EQ(expandConstants("u = NOPE + \"/x\"", "x = 1\n"), "u = NOPE + \"/x\"");
  // The definition is the first whole-word `NAME <op> "literal"`: not a longer name, not a
  // comparison; Go's `:=`, a quoted hash key's `=>`, a `NAME: "…"` entry.
  EXPECT_EQ(expandConstants("u = HOST + \"/x\"",
                            "MYHOST = 'a'\nif HOST == \"b\" {}\nHOST := \"https://h\"\n"),
            "u = \"https://h/x\"");
  EXPECT_EQ(expandConstants("u = HOST + \"/x\"", "$c = ['HOST' => 'https://k'];\n"),
            "u = \"https://k/x\"");
  EXPECT_EQ(expandConstants("u = HOST + \"/x\"", "cfg = { HOST: `https://y` }\n"),
            "u = \"https://y/x\"");
  EXPECT_EQ(expandConstants("u = HOST + \"/x\"", "HOST = \"unterminated\nHOST2 = 'z'\n"),
            "u = HOST + \"/x\"");
}

TEST(Scopes, TheMethodCanComeFromWhereTheUrlIsSent) {
  std::string File = "url = \"https://www.zohoapis.com/crm/v2/Leads?authtoken=\" + TOKEN\n"
                     "log(\"sending\")\n"
                     "r = requests.post(url, json=lead)\n";
  Finding F;
  F.Product = "crm";
  F.Begin = {1, 50};
  F.End = {1, 59};
  repoScopes().fill(F, File);
  EXPECT_EQ(joined(F.ScopesNeeded), "ZohoCRM.modules.leads.CREATE");
  // Not when the variable is never used nearby: then no method, so the catch-all.
  std::string Far = "url = \"https://www.zohoapis.com/crm/v2/Leads?authtoken=\" + TOKEN\n"
                    "a()\nb()\nc()\nd()\ne()\nf()\n"
                    "r = requests.post(url)\n";
  repoScopes().fill(F, Far);
  EXPECT_EQ(joined(F.ScopesNeeded), "ZohoCRM.modules.ALL");
  EXPECT_EQ(joined(F.ScopesFallback), "ZohoCRM.modules.ALL");
  // A method in the statement itself wins over the sending line's.
  std::string Own =
      "r = requests.get(\"https://www.zohoapis.com/crm/v2/Leads?authtoken=\" + T)\n"
      "requests.post(r)\n";
  F.Begin = {1, 60};
  F.End = {1, 69};
  repoScopes().fill(F, Own);
  EXPECT_EQ(joined(F.ScopesNeeded), "ZohoCRM.modules.leads.READ");
}
