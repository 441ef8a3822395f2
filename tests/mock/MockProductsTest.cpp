// Resource (API) servers of the mock: each product's success answer and its error
// shapes for missing, legacy, unknown, expired, revoked and under-scoped credentials.

#include "mock/MockTestUtil.h"

using namespace atm::mock;
using namespace atm::mock::test;

namespace {

struct ProductCase {
  const char *Name;
  const char *Method;
  const char *Path;
  std::vector<std::string> Headers; ///< Host, org headers
  const char *Scope;                ///< enough for this call
  long OkStatus;
  const char *OkSubstr;
  long DenyStatus;
  const char *Invalid;  ///< unknown / expired / revoked token
  const char *NoCreds;  ///< no Authorization header
  const char *Legacy;   ///< ?authtoken= or Zoho-authtoken
  const char *Scoped;   ///< token without the needed scope
};

void PrintTo(const ProductCase &C, std::ostream *OS) { *OS << C.Name; }

const ProductCase Cases[] = {
    {"CrmV2Get", "GET", "/crm/v2/Leads", {"Host: www.zohoapis.com"},
     "ZohoCRM.modules.leads.READ", 200, "\"data\":[", 401, R"("code":"INVALID_TOKEN")",
     R"("code":"AUTHENTICATION_FAILURE")", R"("code":"AUTHENTICATION_FAILURE")",
     R"({"code":"OAUTH_SCOPE_MISMATCH","details":{},"message":"Unauthorized","status":"error"})"},
    {"CrmV8PostBareHost", "POST", "/crm/v8/Contacts", {"Content-Type: application/json"},
     "ZohoCRM.modules.ALL", 201, R"("code":"SUCCESS")", 401,
     R"({"code":"INVALID_TOKEN","details":{},"message":"invalid oauth token","status":"error"})",
     R"({"code":"AUTHENTICATION_FAILURE","details":{},"message":"Authentication failed","status":"error"})",
     "AUTHENTICATION_FAILURE", "OAUTH_SCOPE_MISMATCH"},
    {"CrmV1Json", "GET", "/crm/private/json/Leads/getRecords?scope=crmapi",
     {"Host: crm.zoho.com"}, "ZohoCRM.modules.ALL", 200, R"("result":{"Leads")", 200,
     R"({"response":{"error":{"message":"Invalid Ticket Id","code":"4834"},"uri":"/crm/private/json/Leads/getRecords"}})",
     R"("code":"4834")", R"("code":"4834")", R"("code":"4001")"},
    {"CrmV1Xml", "POST", "/crm/private/xml/Leads/insertRecords?scope=crmapi",
     {"Host: crm.zoho.com"}, "ZohoCRM.modules.leads.CREATE", 200, "<result><Leads>", 200,
     "<code>4834</code><message>Invalid Ticket Id</message>", "<code>4834</code>",
     "<code>4834</code>", "<code>4001</code>"},
    {"BooksProductHost", "GET", "/api/v3/contacts?organization_id=10234695",
     {"Host: books.zoho.com"}, "ZohoBooks.fullaccess.all", 200, R"("code":0)", 401,
     R"({"code":14,"message":"Invalid value passed for authtoken"})", R"("code":57)",
     R"("code":14)", R"({"code":57,"message":"You are not authorized to perform this operation"})"},
    {"BooksZohoApis", "POST", "/books/v3/invoices?organization_id=10234695",
     {"Host: www.zohoapis.com"}, "ZohoBooks.invoices.CREATE", 201, R"("invoice")", 401,
     R"("code":14)", R"("code":57)", R"("code":14)", R"("code":57)"},
    {"BooksBareHost", "GET", "/api/v3/items?organization_id=1", {}, "ZohoBooks.items.READ",
     200, R"("items":[)", 401, R"("code":14)", R"("code":57)", R"("code":14)", R"("code":57)"},
    {"Invoice", "GET", "/api/v3/invoices",
     {"Host: invoice.zoho.com", "X-com-zoho-invoice-organizationid: 10234695"},
     "ZohoInvoice.fullaccess.all", 200, R"("invoices":[)", 401, R"("code":14)", R"("code":57)",
     R"("code":14)", R"("code":57)"},
    {"Inventory", "GET", "/inventory/v1/items?organization_id=1", {"Host: www.zohoapis.com"},
     "ZohoInventory.fullaccess.all", 200, R"("items":[)", 401, R"("code":14)", R"("code":57)",
     R"("code":14)", R"("code":57)"},
    {"Subscriptions", "GET", "/api/v1/subscriptions",
     {"Host: subscriptions.zoho.com", "X-com-zoho-subscriptions-organizationid: 1"},
     "ZohoSubscriptions.fullaccess.all", 200, R"("subscriptions":[)", 401, R"("code":14)",
     R"("code":57)", R"("code":14)", R"("code":57)"},
    {"Desk", "GET", "/api/v1/tickets", {"Host: desk.zoho.com", "orgId: 600000001"},
     "Desk.tickets.READ", 200, R"("subject":"Mock ticket")", 401,
     R"({"errorCode":"INVALID_OAUTH","message":"The OAuth Token you provided is invalid."})",
     "INVALID_OAUTH", "INVALID_OAUTH", R"("errorCode":"SCOPE_MISMATCH")"},
    {"DeskBareHostWrite", "POST", "/api/v1/tickets", {"orgId: 600000001"},
     "Desk.tickets.WRITE", 200, R"("id":)", 401, "INVALID_OAUTH", "INVALID_OAUTH",
     "INVALID_OAUTH", "SCOPE_MISMATCH"},
    {"CreatorV2", "GET", "/api/v2/jdoe/inventory-app/report/All_Orders",
     {"Host: creator.zoho.com"}, "ZohoCreator.report.READ", 200, R"("code":3000)", 401,
     R"({"code":1030,"message":"Authorization Failure. The access token is either invalid or has expired. Please check your Zoho Account for more information."})",
     R"("code":1030)", R"("code":1030)", R"("code":2945)"},
    {"CreatorV21Form", "POST", "/creator/v2.1/data/jdoe/inventory-app/form/Orders",
     {"Host: www.zohoapis.com"}, "ZohoCreator.form.CREATE", 200, "Data Added Successfully",
     401, R"("code":1030)", R"("code":1030)", R"("code":1030)", R"("code":2945)"},
    {"Projects", "GET", "/restapi/portals/", {"Host: projectsapi.zoho.com"},
     "ZohoProjects.portals.READ", 200, R"("portals":[)", 401, R"("code":6401)",
     R"("code":6401)", R"("code":6401)", R"("code":6403)"},
    {"ProjectsTasks", "GET", "/restapi/portal/mockportal/projects/123/tasks/", {},
     "ZohoProjects.tasks.READ", 200, R"("tasks":[)", 401, R"("code":6401)", R"("code":6401)",
     R"("code":6401)", R"("code":6403)"},
    {"People", "GET", "/people/api/forms/employee/getRecords", {"Host: people.zoho.com"},
     "ZohoPeople.forms.READ", 200, "Data fetched successfully", 401, R"("code":7202)",
     R"("code":7202)", R"("code":7202)", R"("code":7224)"},
    {"RecruitV2", "GET", "/recruit/v2/Candidates", {"Host: recruit.zoho.com"},
     "ZohoRecruit.modules.ALL", 200, R"("data":[)", 401, "INVALID_TOKEN",
     "AUTHENTICATION_FAILURE", "AUTHENTICATION_FAILURE", "OAUTH_SCOPE_MISMATCH"},
    {"RecruitV1", "GET", "/recruit/private/json/Candidates/getRecords?scope=recruitapi",
     {"Host: recruit.zoho.com"}, "ZohoRecruit.modules.candidates.READ", 200,
     R"("Candidates")", 200, R"("code":"4834")", R"("code":"4834")", R"("code":"4834")",
     R"("code":"4001")"},
    {"Cliq", "POST", "/api/v2/channelsbyname/general/message",
     {"Host: cliq.zoho.com", "Content-Type: application/json"}, "ZohoCliq.Webhooks.CREATE",
     204, "", 401, "oauthtoken_invalid", "oauthtoken_invalid", "oauthtoken_invalid",
     "oauthtoken_scope_mismatch"},
    {"Mail", "GET", "/api/accounts", {"Host: mail.zoho.com"}, "ZohoMail.accounts.READ", 200,
     R"("accountId")", 401, "INVALID_OAUTHTOKEN", "INVALID_OAUTHTOKEN", "INVALID_OAUTHTOKEN",
     "INVALID_OAUTHSCOPE"},
    {"MailSend", "POST", "/api/accounts/900000000000001/messages",
     {"Content-Type: application/json"}, "ZohoMail.messages.CREATE", 200, R"("messageId")",
     401, "INVALID_OAUTHTOKEN", "INVALID_OAUTHTOKEN", "INVALID_OAUTHTOKEN",
     "INVALID_OAUTHSCOPE"},
};

class ProductTest : public MockFixture,
                    public ::testing::WithParamInterface<ProductCase> {
protected:
  std::string mint(const std::string &Scope, int ExpiresIn = 0) {
    std::string Body = R"({"client_id":")" + std::string(SelfId) + R"(","scope":")" + Scope +
                       "\"" + (ExpiresIn ? ",\"expires_in\":" + std::to_string(ExpiresIn) : "") +
                       "}";
    HttpResult R = admin("/access-tokens", Body);
    EXPECT_EQ(R.Status, 200) << R.Body;
    auto Obj = R.json();
    auto S = Obj.getString("access_token");
    return S ? S->str() : "";
  }
  HttpResult call(const std::vector<std::string> &Extra, const std::string &Query = "") {
    const ProductCase &C = GetParam();
    std::vector<std::string> H = C.Headers;
    H.insert(H.end(), Extra.begin(), Extra.end());
    std::string Path = C.Path;
    if (!Query.empty())
      Path += (Path.find('?') == std::string::npos ? "?" : "&") + Query;
    std::string Body = std::string(C.Method) == "POST" ? "{\"data\":[{}]}" : "";
    return http(C.Method, Base + Path, Body, H);
  }
  void expectDenied(const HttpResult &R, const char *Substr, const char *What) {
    const ProductCase &C = GetParam();
    EXPECT_EQ(R.Status, C.DenyStatus) << What << ": " << R.Body;
    EXPECT_NE(R.Body.find(Substr), std::string::npos)
        << What << ": expected " << Substr << " in " << R.Body;
  }
};

TEST_P(ProductTest, SuccessWithOAuthHeader) {
  const ProductCase &C = GetParam();
  std::string T = mint(C.Scope);
  for (const char *Scheme : {"Zoho-oauthtoken ", "Bearer "}) {
    HttpResult R = call({std::string("Authorization: ") + Scheme + T});
    EXPECT_EQ(R.Status, C.OkStatus) << Scheme << R.Body;
    EXPECT_NE(R.Body.find(C.OkSubstr), std::string::npos) << R.Body;
  }
}

TEST_P(ProductTest, ErrorShapes) {
  const ProductCase &C = GetParam();
  expectDenied(call({}), C.NoCreds, "no credentials");
  expectDenied(call({}, "authtoken=0123456789abcdef0123456789abcdef"), C.Legacy,
               "?authtoken=");
  expectDenied(call({"Authorization: Zoho-authtoken 0123456789abcdef0123456789abcdef"}),
               C.Legacy, "Zoho-authtoken header");
  expectDenied(call({"Authorization: Zoho-oauthtoken 1000.0123.4567"}), C.Invalid,
               "unknown token");
  std::string Expiring = mint(C.Scope, 10);
  advance(11);
  expectDenied(call({"Authorization: Zoho-oauthtoken " + Expiring}), C.Invalid, "expired");
  std::string Revoked = mint(C.Scope);
  ASSERT_EQ(post("/oauth/v2/token/revoke?token=" + Revoked).Status, 200);
  expectDenied(call({"Authorization: Zoho-oauthtoken " + Revoked}), C.Invalid, "revoked");
  expectDenied(call({"Authorization: Zoho-oauthtoken " + mint("ZohoFoo.nothing.ALL")}),
               C.Scoped, "scope mismatch");
  auto S = http("GET", Base + "/__admin/stats").json();
  EXPECT_EQ(S.getInteger("resource_requests").getValueOr(0), 7);
  EXPECT_EQ(S.getInteger("legacy_authtoken_requests").getValueOr(0), 2);
}

INSTANTIATE_TEST_SUITE_P(Products, ProductTest, ::testing::ValuesIn(Cases),
                         [](const auto &Info) { return std::string(Info.param.Name); });

class ResourceTest : public MockFixture {
protected:
  std::string token(const std::string &Scope) {
    HttpResult R = admin("/access-tokens", R"({"client_id":")" + std::string(SelfId) +
                                               R"(","scope":")" + Scope + "\"}");
    auto Obj = R.json();
    auto S = Obj.getString("access_token");
    return S ? S->str() : "";
  }
};

TEST_F(ResourceTest, OrganizationContextIsRequired) {
  std::string A = "Authorization: Zoho-oauthtoken " + token("ZohoBooks.fullaccess.all");
  HttpResult R = get("/api/v3/contacts", {A, "Host: books.zoho.com"});
  EXPECT_EQ(R.Status, 401);
  EXPECT_NE(R.Body.find(R"("code":57)"), std::string::npos) << R.Body;
  EXPECT_EQ(get("/api/v3/organizations", {A, "Host: books.zoho.com"}).Status, 200);
  std::string D = "Authorization: Zoho-oauthtoken " + token("Desk.tickets.READ");
  R = get("/api/v1/tickets", {D, "Host: desk.zoho.com"});
  EXPECT_EQ(R.Status, 422) << R.Body;
  // Accepted org ids are a setting.
  MockConfig C = defaultMockConfig();
  C.OrgIds = {"10234695"};
  startWith(C);
  A = "Authorization: Zoho-oauthtoken " + token("ZohoBooks.fullaccess.all");
  EXPECT_EQ(get("/books/v3/contacts?organization_id=10234695", {A}).Status, 200);
  EXPECT_EQ(get("/books/v3/contacts?organization_id=999", {A}).Status, 401);
  D = "Authorization: Zoho-oauthtoken " + token("Desk.basic.READ,Desk.tickets.READ");
  EXPECT_EQ(get("/api/v1/tickets", {D, "orgId: 999"}).Status, 403);
  EXPECT_EQ(get("/api/v1/organizations", {D}).Status, 200);
}

TEST_F(ResourceTest, CliqWebhookTokenStillWorks) {
  HttpResult R = http("POST",
                      Base + "/api/v2/channelsbyname/general/message?zapikey=1001.abc.def",
                      "{\"text\":\"hi\"}", {"Host: cliq.zoho.eu", "Content-Type: application/json"});
  EXPECT_EQ(R.Status, 204) << R.Body;
}

TEST_F(ResourceTest, ScopeMatchingRules) {
  ScopeNeed Leads{"ZohoCRM", "modules.leads", "READ"};
  EXPECT_TRUE(scopeGrants({"ZohoCRM.modules.ALL"}, Leads));
  EXPECT_TRUE(scopeGrants({"zohocrm.modules.leads.read"}, Leads));
  EXPECT_TRUE(scopeGrants({"ZohoCRM.modules.leads.ALL"}, Leads));
  EXPECT_FALSE(scopeGrants({"ZohoCRM.modules.contacts.ALL"}, Leads));
  EXPECT_FALSE(scopeGrants({"ZohoCRM.modules.leads.CREATE"}, Leads));
  EXPECT_FALSE(scopeGrants({"ZohoCRM.settings.ALL"}, Leads));
  EXPECT_FALSE(scopeGrants({"ZohoBooks.fullaccess.all"}, Leads));
  EXPECT_TRUE(scopeGrants({"ZohoBooks.fullaccess.all"}, {"ZohoBooks", "contacts", "DELETE"}));
  EXPECT_TRUE(scopeGrants({"Desk.tickets.WRITE"}, {"Desk", "tickets", "CREATE"}));
  EXPECT_FALSE(scopeGrants({"Desk.tickets.WRITE"}, {"Desk", "tickets", "READ"}));
  EXPECT_FALSE(scopeGrants({"ZohoCRM.modulesx.ALL"}, Leads));
}

TEST_F(ResourceTest, UnknownProductPathsAndMethods) {
  std::string A = "Authorization: Zoho-oauthtoken " + token("ZohoCRM.modules.ALL");
  EXPECT_EQ(get("/crm/v2", {A}).Status, 200) << "bare version root = modules";
  EXPECT_EQ(get("/nothing/here", {A, "Host: www.zohoapis.com"}).Status, 404);
  EXPECT_EQ(get("/api/v9/x", {A, "Host: books.zoho.com"}).Status, 404);
  EXPECT_EQ(http("OPTIONS", Base + "/crm/v2/Leads", "", {A}).Status, 405);
  EXPECT_EQ(http("DELETE", Base + "/crm/v2/Leads?ids=1", "", {A}).Status, 200);
  EXPECT_EQ(http("PUT", Base + "/crm/v2/Leads", "{}", {A, "Content-Type: application/json"}).Status,
            200);
}

} // namespace

namespace {
// Regression (found by the mock_request fuzz target): a path byte that is not UTF-8 was
// copied into the JSON answer as is, so the answer did not parse.
TEST_F(ResourceTest, AnswersStayValidJsonForNonUtf8Paths) {
  for (const char *Path : {"/crm/private/json/Leads/getRecords/x%FF", "/crm/private/json/Leads/%C3%28",
                           "/crm/private/json/Leads/%ED%A0%80ok", "/crm/private/json/Leads/%C3%A9"}) {
    HttpResult R = get(Path, {"Host: crm.zoho.com"});
    EXPECT_NE(R.Status, 0) << Path;
    if (R.Body.empty() || R.Body[0] != '{')
      continue; // not a JSON answer
    auto J = llvm::json::parse(R.Body);
    EXPECT_TRUE(bool(J)) << Path << ": " << R.Body;
    if (!J)
      llvm::consumeError(J.takeError());
  }
}
} // namespace

namespace {
// Found by the fuzz target mock_request through MockServer::serve: an admin error that
// quoted a path with bytes that are not UTF-8 built an invalid llvm::json value, which
// aborts a build with assertions (the fuzz and sanitizer builds; a release build repairs
// it silently). The fuzz replay of tests/fuzz/regressions/mock_request/ is the
// regression that fails; this pins the answer.
TEST(MockServe, AdminErrorsQuotingTheRequestStayValidJson) {
  atm::mock::MockServerOptions O;
  O.Admin = true;
  atm::mock::MockServer S(atm::mock::defaultMockConfig(), O);
  atm::mock::MockHttpRequest Req;
  Req.Method = "GET";
  Req.Target = "/__admin/nothing-%FF%FE";
  atm::mock::MockHttpResponse R = S.serve(Req);
  EXPECT_EQ(R.Status, 404);
  auto J = llvm::json::parse(R.Body);
  ASSERT_TRUE(bool(J)) << R.Body;
  EXPECT_NE(J->getAsObject()->getString("error_description")->find("\xEF\xBF\xBD"),
            llvm::StringRef::npos)
      << R.Body;
}
} // namespace

namespace {
// Found by the mock_request fuzz target: a granted scope with a byte that is not UTF-8
// was copied into the token answer, which then did not parse as JSON.
TEST(MockServe, TokenAnswerWithANonUtf8ScopeIsValidJson) {
  atm::mock::MockServer S(atm::mock::defaultMockConfig(), {});
  atm::mock::MockHttpRequest Req;
  Req.Method = "POST";
  Req.Target = "/oauth/v2/token";
  Req.Headers = {{"Host", "accounts.zoho.in"},
                 {"Content-Type", "application/x-www-form-urlencoded"}};
  Req.Body = "grant_type=client_credentials&client_id=1000.SELFCLIENT00000000000000000000"
             "&client_secret=5e1fc11e00000000000000000000000000000000"
             "&scope=Zo%EDhoBooks.fullaccess.all";
  atm::mock::MockHttpResponse R = S.serve(Req);
  ASSERT_EQ(R.Status, 200) << R.Body;
  auto J = llvm::json::parse(R.Body);
  EXPECT_TRUE(bool(J)) << R.Body;
  if (!J)
    llvm::consumeError(J.takeError());
}
} // namespace
