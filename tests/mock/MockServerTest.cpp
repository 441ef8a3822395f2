// Accounts server, limits, clock, admin API, robustness and persistence of the mock.

#include "mock/MockTestUtil.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <atomic>
#include <csignal>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>
#include <chrono>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

using namespace atm::mock;
using namespace atm::mock::test;

namespace {

const std::regex TokenShape("1000\\.[0-9a-f]{32}\\.[0-9a-f]{32}");

std::string str(const llvm::json::Object &O, const char *K) {
  auto S = O.getString(K);
  return S ? S->str() : std::string("<absent>");
}

class AccountsTest : public MockFixture {
protected:
  /// The request log as seen by GET /__admin/requests once it contains \p Needle.
  /// cpp-httplib logs after writing the answer, so a line can lag its response briefly.
  std::string logWith(const std::string &Needle) {
    std::string Log;
    for (int I = 0; I < 100; ++I) {
      Log = http("GET", Base + "/__admin/requests?limit=1000").Body;
      if (Log.find(Needle) != std::string::npos)
        break;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return Log;
  }
};

TEST_F(AccountsTest, RefreshGrantSuccessShape) {
  HttpResult R = refresh();
  ASSERT_EQ(R.Status, 200) << R.Body;
  EXPECT_NE(R.header("content-type").find("application/json"), std::string::npos);
  auto O = R.json();
  EXPECT_TRUE(std::regex_match(str(O, "access_token"), TokenShape)) << R.Body;
  EXPECT_EQ(O.get("refresh_token"), nullptr) << "never a refresh token on refresh";
  EXPECT_EQ(str(O, "api_domain"), "https://www.zohoapis.com");
  EXPECT_EQ(str(O, "token_type"), "Bearer");
  EXPECT_EQ(O.getInteger("expires_in").getValueOr(-1), 3600);
  EXPECT_EQ(O.get("expires_in_sec"), nullptr);
  EXPECT_NE(str(O, "scope").find("ZohoCRM.modules.ALL ZohoCRM.settings.ALL"),
            std::string::npos);
}

TEST_F(AccountsTest, ParametersInQueryOrForm) {
  std::string Q = form({{"grant_type", "refresh_token"},
                        {"client_id", SelfId},
                        {"client_secret", SelfSecret},
                        {"refresh_token", SeedRefresh}});
  HttpResult R = http("POST", Base + "/oauth/v2/token?" + Q, "");
  EXPECT_EQ(R.Status, 200) << R.Body;
  EXPECT_TRUE(R.json().getString("access_token"));
  R = refresh();
  EXPECT_EQ(R.Status, 200) << R.Body;
}

TEST_F(AccountsTest, TokenErrorsUseZohoStatuses) {
  struct Case {
    std::vector<std::pair<std::string, std::string>> Form;
    long Status;
    std::string Error;
  } Cases[] = {
      {{{"grant_type", "refresh_token"}, {"client_id", "1000.NOPE"}, {"client_secret", "x"},
        {"refresh_token", SeedRefresh}}, 200, "invalid_client"},
      {{{"grant_type", "refresh_token"}, {"client_id", SelfId}, {"client_secret", "wrong"},
        {"refresh_token", SeedRefresh}}, 200, "invalid_client_secret"},
      {{{"grant_type", "refresh_token"}, {"client_id", SelfId}, {"client_secret", SelfSecret},
        {"refresh_token", "1000.aaaa.bbbb"}}, 200, "invalid_code"},
      // A refresh token belongs to one client.
      {{{"grant_type", "refresh_token"}, {"client_id", WebId}, {"client_secret", WebSecret},
        {"refresh_token", SeedRefresh}}, 200, "invalid_code"},
      {{{"grant_type", "authorization_code"}, {"client_id", SelfId},
        {"client_secret", SelfSecret}, {"code", "1000.dead.beef"}}, 200, "invalid_code"},
      {{{"grant_type", "password"}, {"client_id", SelfId}, {"client_secret", SelfSecret}},
       200, "unsupported_grant_type"},
      {{{"client_id", SelfId}, {"client_secret", SelfSecret}}, 400, "invalid_request"},
      {{{"grant_type", "refresh_token"}, {"client_secret", SelfSecret}}, 400, "invalid_request"},
      {{{"grant_type", "refresh_token"}, {"client_id", SelfId}}, 400, "invalid_request"},
      {{{"grant_type", "refresh_token"}, {"client_id", SelfId}, {"client_secret", SelfSecret}},
       400, "invalid_request"},
      {{{"grant_type", "client_credentials"}, {"client_id", WebId},
        {"client_secret", WebSecret}, {"scope", "ZohoCRM.modules.ALL"}}, 200,
       "unauthorized_client"},
  };
  for (const Case &C : Cases) {
    HttpResult R = post("/oauth/v2/token", form(C.Form));
    EXPECT_EQ(R.Status, C.Status) << R.Body;
    EXPECT_EQ(str(R.json(), "error"), C.Error) << R.Body;
  }
  HttpResult S = http("GET", Base + "/__admin/stats");
  auto O = S.json();
  EXPECT_EQ(O.getInteger("token_errors").getValueOr(0), 11);
  EXPECT_EQ(O.getInteger("token_requests").getValueOr(0), 11);
}

/// Runs GET /oauth/v2/auth and returns the redirect Location.
std::string authorize(MockFixture &F, const std::string &Base, const std::string &Extra) {
  HttpResult R = http("GET", Base + "/oauth/v2/auth?" +
                                 form({{"client_id", WebId},
                                       {"response_type", "code"},
                                       {"redirect_uri", WebRedirect},
                                       {"scope", "ZohoCRM.modules.ALL,ZohoBooks.fullaccess.all"},
                                       {"state", "xyz 1"}}) +
                                 Extra);
  EXPECT_EQ(R.Status, 302) << R.Body;
  return R.header("location");
}

HttpResult exchangeCode(const std::string &Base, const std::string &Code,
                    const std::string &Redirect = WebRedirect,
                    const std::string &Verifier = "") {
  std::vector<std::pair<std::string, std::string>> F = {{"grant_type", "authorization_code"},
                                                        {"client_id", WebId},
                                                        {"client_secret", WebSecret},
                                                        {"redirect_uri", Redirect},
                                                        {"code", Code}};
  if (!Verifier.empty())
    F.push_back({"code_verifier", Verifier});
  return http("POST", Base + "/oauth/v2/token", form(F));
}

TEST_F(AccountsTest, AuthorizationCodeFlow) {
  // No seeded token for the web client: the first offline consent is a first consent.
  MockConfig Cfg = defaultMockConfig();
  Cfg.RefreshTokens.resize(1);
  startWith(Cfg);
  std::string Loc = authorize(*this, Base, "&access_type=offline");
  ASSERT_EQ(Loc.rfind(std::string(WebRedirect) + "?", 0), 0u) << Loc;
  EXPECT_EQ(queryParam(Loc, "location"), "us");
  EXPECT_EQ(queryParam(Loc, "accounts-server"), "https://accounts.zoho.com");
  EXPECT_NE(Loc.find("accounts-server=https%3A%2F%2Faccounts.zoho.com"), std::string::npos);
  EXPECT_EQ(queryParam(Loc, "state"), "xyz 1");
  std::string Code = queryParam(Loc, "code");
  EXPECT_TRUE(std::regex_match(Code, TokenShape)) << Code;

  HttpResult R = exchangeCode(Base, Code);
  ASSERT_EQ(R.Status, 200) << R.Body;
  auto O = R.json();
  EXPECT_TRUE(std::regex_match(str(O, "refresh_token"), TokenShape));
  EXPECT_EQ(str(O, "scope"), "ZohoCRM.modules.ALL ZohoBooks.fullaccess.all");

  // Codes are single-use.
  R = exchangeCode(Base, Code);
  EXPECT_EQ(R.Status, 200);
  EXPECT_EQ(str(R.json(), "error"), "invalid_code");

  // The new refresh token works.
  R = refresh(str(O, "refresh_token"), WebId, WebSecret);
  EXPECT_EQ(R.Status, 200) << R.Body;

  // Second offline consent without prompt=consent: no new refresh token.
  R = exchangeCode(Base, queryParam(authorize(*this, Base, "&access_type=offline"), "code"));
  ASSERT_EQ(R.Status, 200);
  EXPECT_EQ(R.json().get("refresh_token"), nullptr) << R.Body;
  // … with prompt=consent: a new one.
  R = exchangeCode(Base, queryParam(authorize(*this, Base, "&access_type=offline&prompt=consent"),
                                "code"));
  EXPECT_TRUE(R.json().getString("refresh_token")) << R.Body;
  // Online access (the default): access token only.
  R = exchangeCode(Base, queryParam(authorize(*this, Base, "&prompt=consent"), "code"));
  EXPECT_EQ(R.json().get("refresh_token"), nullptr) << R.Body;
  EXPECT_TRUE(R.json().getString("access_token"));
}

TEST_F(AccountsTest, AuthorizationErrors) {
  // Redirect URI must match exactly; no redirect to an unregistered URI.
  HttpResult R = get("/oauth/v2/auth?" + form({{"client_id", WebId},
                                               {"response_type", "code"},
                                               {"redirect_uri", "http://localhost:8080/callback/"},
                                               {"scope", "ZohoCRM.modules.ALL"}}));
  EXPECT_EQ(R.Status, 400);
  EXPECT_EQ(str(R.json(), "error"), "invalid_redirect_uri");
  R = get("/oauth/v2/auth?" + form({{"client_id", "1000.UNKNOWN"}, {"response_type", "code"}}));
  EXPECT_EQ(R.Status, 400);
  R = get("/oauth/v2/auth?" + form({{"client_id", WebId},
                                    {"response_type", "token"},
                                    {"redirect_uri", WebRedirect}}));
  EXPECT_EQ(R.Status, 400);
  // Exchange with a different redirect_uri than the one authorized.
  std::string Code = queryParam(authorize(*this, Base, "&access_type=offline"), "code");
  R = exchangeCode(Base, Code, "https://example.com/oauth/callback");
  EXPECT_EQ(str(R.json(), "error"), "invalid_redirect_uri");
}

TEST_F(AccountsTest, CodeLifetimeUsesTheClock) {
  std::string Code = queryParam(authorize(*this, Base, "&access_type=offline"), "code");
  advance(119);
  std::string Code2 = queryParam(authorize(*this, Base, "&access_type=offline"), "code");
  advance(2); // first code is now 121 s old: expired (default 120 s)
  EXPECT_EQ(str(exchangeCode(Base, Code).json(), "error"), "invalid_code");
  EXPECT_TRUE(exchangeCode(Base, Code2).json().getString("access_token"));
}

TEST_F(AccountsTest, PkceS256AndPlain) {
  // Challenge = base64url(sha256(verifier)), computed with sha256sum + base64.
  std::string Verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r7wW1gFWFOEjXk";
  std::string Challenge = "bwWFMyPfdG9qreDhH2lmftFx_dFeLDalzcT1gb_j68g";
  std::string Code = queryParam(
      authorize(*this, Base, "&code_challenge=" + Challenge + "&code_challenge_method=S256"),
      "code");
  HttpResult X = exchangeCode(Base, Code, WebRedirect, Verifier);
  EXPECT_TRUE(X.json().getString("access_token")) << X.Body;
  Code = queryParam(
      authorize(*this, Base, "&code_challenge=" + Challenge + "&code_challenge_method=S256"),
      "code");
  EXPECT_EQ(str(exchangeCode(Base, Code, WebRedirect, "wrong-verifier").json(), "error"),
            "invalid_code");
  Code = queryParam(authorize(*this, Base, "&code_challenge=plainvalue"), "code");
  EXPECT_EQ(str(exchangeCode(Base, Code).json(), "error"), "invalid_code");
  Code = queryParam(authorize(*this, Base, "&code_challenge=plainvalue"), "code");
  EXPECT_TRUE(exchangeCode(Base, Code, WebRedirect, "plainvalue").json().getString("access_token"));
}

TEST_F(AccountsTest, ClientCredentialsForSelfClients) {
  HttpResult R = post("/oauth/v2/token", form({{"grant_type", "client_credentials"},
                                               {"client_id", SelfId},
                                               {"client_secret", SelfSecret},
                                               {"scope", "ZohoCRM.modules.ALL"}}));
  ASSERT_EQ(R.Status, 200) << R.Body;
  auto O = R.json();
  EXPECT_EQ(O.get("refresh_token"), nullptr);
  EXPECT_EQ(str(O, "scope"), "ZohoCRM.modules.ALL");
  HttpResult C = get("/crm/v2/Leads", {"Authorization: Zoho-oauthtoken " + str(O, "access_token")});
  EXPECT_EQ(C.Status, 200) << C.Body;
}

TEST_F(AccountsTest, AdminMintedCodeForSelfClient) {
  HttpResult R = admin("/codes", R"({"client_id":")" + std::string(SelfId) +
                                     R"(","scope":"ZohoCRM.modules.ALL","expires_in":180})");
  ASSERT_EQ(R.Status, 200) << R.Body;
  std::string Code = str(R.json(), "code");
  // Self-client exchange needs no redirect_uri and yields a refresh token.
  R = post("/oauth/v2/token", form({{"grant_type", "authorization_code"},
                                    {"client_id", SelfId},
                                    {"client_secret", SelfSecret},
                                    {"code", Code}}));
  ASSERT_EQ(R.Status, 200) << R.Body;
  EXPECT_TRUE(R.json().getString("refresh_token")) << R.Body;
}

TEST_F(AccountsTest, AccessTokenExpiresWithTheClock) {
  std::string T = accessToken();
  std::vector<std::string> H = {"Authorization: Zoho-oauthtoken " + T};
  EXPECT_EQ(get("/crm/v2/Leads", H).Status, 200);
  advance(3599);
  EXPECT_EQ(get("/crm/v2/Leads", H).Status, 200);
  advance(2);
  HttpResult R = get("/crm/v2/Leads", H);
  EXPECT_EQ(R.Status, 401);
  EXPECT_EQ(str(R.json(), "code"), "INVALID_TOKEN");
  // Lifetime is a setting.
  setLimits(R"({"access_token_lifetime_sec":60})");
  HttpResult F = refresh();
  EXPECT_EQ(F.json().getInteger("expires_in").getValueOr(0), 60);
}

TEST_F(AccountsTest, ThrottleAfterTenRequestsPerTenMinutes) {
  for (int I = 0; I < 10; ++I)
    ASSERT_EQ(refresh().Status, 200) << I;
  HttpResult R = refresh();
  EXPECT_EQ(R.Status, 400);
  EXPECT_EQ(R.Body, "{\"error_description\":\"You have made too many requests continuously. "
                    "Please try again after some time.\",\"error\":\"Access Denied\","
                    "\"status\":\"failure\"}");
  advance(601);
  EXPECT_EQ(refresh().Status, 200);
  auto S = http("GET", Base + "/__admin/stats").json();
  EXPECT_EQ(S.getInteger("throttled").getValueOr(0), 1);
  EXPECT_EQ(S.getInteger("refresh_grants").getValueOr(0), 12);
  // The limit is a setting; 0 = unlimited.
  setLimits(R"({"token_requests_per_window":0})");
  for (int I = 0; I < 15; ++I)
    ASSERT_EQ(refresh().Status, 200) << I;
}

TEST_F(AccountsTest, OldestAccessTokenInvalidatedBeyondCap) {
  std::vector<std::string> Tokens;
  for (int I = 0; I < 10; ++I)
    Tokens.push_back(accessToken());
  advance(601); // past the throttle window, tokens still valid (1 h)
  Tokens.push_back(accessToken());
  auto Call = [&](const std::string &T) {
    return get("/crm/v2/Leads", {"Authorization: Bearer " + T}).Status;
  };
  EXPECT_EQ(Call(Tokens[0]), 401) << "the 11th token invalidates the first";
  for (size_t I = 1; I < Tokens.size(); ++I)
    EXPECT_EQ(Call(Tokens[I]), 200) << I;
  // Cap is a setting (e.g. 30 per the product pages).
  setLimits(R"({"max_access_tokens_per_refresh_token":2,"token_requests_per_window":0})");
  std::string A = accessToken(), B = accessToken(), C = accessToken();
  EXPECT_EQ(Call(A), 401);
  EXPECT_EQ(Call(B), 200);
  EXPECT_EQ(Call(C), 200);
}

TEST_F(AccountsTest, TwentyFirstRefreshTokenInvalidatesTheFirst) {
  std::string Req = R"({"client_id":")" + std::string(SelfId) +
                    R"(","user":"user@example.com","scope":["ZohoCRM.modules.ALL"]})";
  for (int I = 0; I < 19; ++I)
    ASSERT_EQ(admin("/refresh-tokens", Req).Status, 200);
  EXPECT_EQ(refresh().Status, 200) << "20 refresh tokens: the seeded one still works";
  HttpResult R = admin("/refresh-tokens", Req);
  ASSERT_EQ(R.Status, 200) << R.Body;
  R = refresh();
  EXPECT_EQ(str(R.json(), "error"), "invalid_code") << "21st invalidated the first";
  // Through the browser flow as well: the web client's seeded token is the first.
  setLimits(R"({"max_refresh_tokens_per_user":1})");
  std::string Code = queryParam(authorize(*this, Base, "&access_type=offline&prompt=consent"), "code");
  ASSERT_TRUE(exchangeCode(Base, Code).json().getString("refresh_token"));
  R = refresh("1000.00000000000000000000000000000002.5eed5eed5eed5eed5eed5eed5eed5eed", WebId,
              WebSecret);
  EXPECT_EQ(str(R.json(), "error"), "invalid_code");
}

TEST_F(AccountsTest, RevokeCascades) {
  std::string A = accessToken();
  std::vector<std::string> H = {"Authorization: Zoho-oauthtoken " + A};
  ASSERT_EQ(get("/crm/v2/Leads", H).Status, 200);
  HttpResult R = post("/oauth/v2/token/revoke?token=" + urlEncode(SeedRefresh));
  EXPECT_EQ(R.Status, 200);
  EXPECT_EQ(R.Body, "{\"status\":\"success\"}");
  EXPECT_EQ(get("/crm/v2/Leads", H).Status, 401) << "access tokens die with the refresh token";
  EXPECT_EQ(str(refresh().json(), "error"), "invalid_code");
  // Unknown token → 400; token in a form body works too.
  EXPECT_EQ(post("/oauth/v2/token/revoke", "token=" + urlEncode(SeedRefresh)).Status, 400);
  EXPECT_EQ(post("/oauth/v2/token/revoke").Status, 400);
  ASSERT_EQ(admin("/reset").Status, 200);
  A = accessToken();
  R = post("/oauth/v2/token/revoke", form({{"token", A}}));
  EXPECT_EQ(R.Status, 200);
  EXPECT_EQ(get("/crm/v2/Leads", {"Authorization: Zoho-oauthtoken " + A}).Status, 401);
  EXPECT_EQ(refresh().Status, 200) << "revoking an access token keeps the refresh token";
}

TEST_F(AccountsTest, UserInfo) {
  std::string A = accessToken();
  HttpResult R = get("/oauth/user/info", {"Authorization: Zoho-oauthtoken " + A});
  ASSERT_EQ(R.Status, 200) << R.Body;
  auto O = R.json();
  EXPECT_EQ(str(O, "Email"), "user@example.com");
  EXPECT_EQ(O.getInteger("ZUID").getValueOr(0), 700000001);
  EXPECT_EQ(get("/oauth/user/info").Status, 401);
  EXPECT_EQ(get("/oauth/user/info", {"Authorization: Zoho-authtoken abc"}).Status, 401);
  EXPECT_EQ(get("/oauth/user/info", {"Authorization: Bearer 1000.x.y"}).Status, 401);
}

TEST_F(AccountsTest, LegacyAuthtokenGenerationIsRetired) {
  for (const char *P : {"/apiauthtoken/nb/create?SCOPE=ZohoCRM/crmapi&EMAIL_ID=a@b.c&PASSWORD=x",
                        "/apiauthtoken/create?SCOPE=ZohoCRM/crmapi"}) {
    HttpResult R = get(P);
    EXPECT_EQ(R.Status, 200);
    EXPECT_NE(R.Body.find("\nRESULT=FALSE\n"), std::string::npos) << R.Body;
    EXPECT_NE(R.Body.find("\nCAUSE="), std::string::npos) << R.Body;
    EXPECT_EQ(R.Body.find("AUTHTOKEN="), std::string::npos);
    EXPECT_NE(R.Body.find("retired"), std::string::npos);
  }
  HttpResult R = post("/apiauthtoken/nb/create", "SCOPE=ZohoCRM%2Fcrmapi&EMAIL_ID=a&PASSWORD=b");
  EXPECT_NE(R.Body.find("RESULT=FALSE"), std::string::npos);
}

TEST_F(AccountsTest, ExpiresInMillisecondsStyle) {
  ASSERT_EQ(admin("/settings", R"({"expires_in_style":"milliseconds"})").Status, 200);
  auto O = refresh().json();
  EXPECT_EQ(O.getInteger("expires_in").getValueOr(0), 3600000);
  EXPECT_EQ(O.getInteger("expires_in_sec").getValueOr(0), 3600);
  ASSERT_EQ(admin("/settings", R"({"expires_in_style":"seconds"})").Status, 200);
  O = refresh().json();
  EXPECT_EQ(O.getInteger("expires_in").getValueOr(0), 3600);
  EXPECT_EQ(O.get("expires_in_sec"), nullptr);
}

//===----------------------------------------------------------------------===//
// DC routing
//===----------------------------------------------------------------------===//

TEST_F(AccountsTest, DataCentreByHostHeaderAndPathPrefix) {
  HttpResult M = admin("/refresh-tokens", R"({"client_id":")" + std::string(SelfId) +
                                              R"(","scope":"ZohoCRM.modules.ALL","dc":"eu"})");
  ASSERT_EQ(M.Status, 200) << M.Body;
  std::string EuRefresh = str(M.json(), "refresh_token");
  // Host header.
  HttpResult R = refresh(EuRefresh, SelfId, SelfSecret, {"Host: accounts.zoho.eu"});
  ASSERT_EQ(R.Status, 200) << R.Body;
  EXPECT_EQ(str(R.json(), "api_domain"), "https://www.zohoapis.eu");
  std::string EuAccess = str(R.json(), "access_token");
  // Path prefix.
  R = refresh(EuRefresh, SelfId, SelfSecret, {}, "/accounts/eu");
  EXPECT_EQ(str(R.json(), "api_domain"), "https://www.zohoapis.eu") << R.Body;
  // Tokens are DC-bound: the US accounts server does not know an EU refresh token.
  R = refresh(EuRefresh, SelfId, SelfSecret, {"Host: accounts.zoho.com"});
  EXPECT_EQ(str(R.json(), "error"), "invalid_code");
  R = refresh(SeedRefresh, SelfId, SelfSecret, {"Host: accounts.zoho.com.au"});
  EXPECT_EQ(str(R.json(), "error"), "invalid_code");
  // Resource calls.
  std::string Auth = "Authorization: Zoho-oauthtoken " + EuAccess;
  EXPECT_EQ(get("/crm/v2/Leads", {Auth, "Host: www.zohoapis.eu"}).Status, 200);
  EXPECT_EQ(get("/zohoapis/eu/crm/v2/Leads", {Auth}).Status, 200);
  EXPECT_EQ(get("/crm/v2/Leads", {Auth, "Host: www.zohoapis.com"}).Status, 401);
  EXPECT_EQ(get("/crm/v2/Leads", {Auth}).Status, 401) << "bare host = default DC (us)";
  EXPECT_EQ(get("/crm/v2/Leads", {Auth, "Host: crm.zoho.eu"}).Status, 200);
  EXPECT_EQ(get("/api/crm/eu/crm/v2/Leads", {Auth}).Status, 200);
  // CA: accounts under zohocloud.ca, API under zohoapis.ca.
  M = admin("/refresh-tokens", R"({"client_id":")" + std::string(SelfId) +
                                   R"(","scope":"ZohoCRM.modules.ALL","dc":"ca"})");
  R = refresh(str(M.json(), "refresh_token"), SelfId, SelfSecret,
              {"Host: accounts.zohocloud.ca:443"});
  EXPECT_EQ(str(R.json(), "api_domain"), "https://www.zohoapis.ca") << R.Body;
}

TEST_F(AccountsTest, MultiDcAuthorizationRedirect) {
  MockConfig C = defaultMockConfig();
  C.Users.front().Dc = "in";
  C.RefreshTokens.clear();
  startWith(C);
  std::string Loc = authorize(*this, Base, "&access_type=offline");
  EXPECT_EQ(queryParam(Loc, "location"), "in");
  EXPECT_EQ(queryParam(Loc, "accounts-server"), "https://accounts.zoho.in");
  std::string Code = queryParam(Loc, "code");
  // Exchanging at the wrong DC fails; at the accounts-server it works.
  EXPECT_EQ(str(exchangeCode(Base, Code).json(), "error"), "invalid_code");
  Code = queryParam(authorize(*this, Base, "&access_type=offline"), "code");
  HttpResult R = exchangeCode(Base + "/accounts/in", Code);
  EXPECT_EQ(str(R.json(), "api_domain"), "https://www.zohoapis.in") << R.Body;
}

TEST_F(AccountsTest, LocalPublicUrls) {
  ASSERT_EQ(admin("/settings", R"({"public_urls":"local"})").Status, 200);
  auto O = refresh().json();
  std::string Api = str(O, "api_domain");
  EXPECT_EQ(Api, Base + "/zohoapis/us");
  HttpResult R = http("GET", Api + "/crm/v2/Contacts", "",
                      {"Authorization: Zoho-oauthtoken " + str(O, "access_token")});
  EXPECT_EQ(R.Status, 200) << R.Body;
  std::string Loc = authorize(*this, Base, "&access_type=offline");
  EXPECT_EQ(queryParam(Loc, "accounts-server"), Base + "/accounts/us");
}

//===----------------------------------------------------------------------===//
// Admin API and faults
//===----------------------------------------------------------------------===//

TEST_F(AccountsTest, AdminStatsPerGrantAndReset) {
  refresh();
  refresh();
  post("/oauth/v2/token", form({{"grant_type", "client_credentials"},
                                {"client_id", SelfId},
                                {"client_secret", SelfSecret},
                                {"scope", "ZohoCRM.modules.ALL"}}));
  auto S = http("GET", Base + "/__admin/stats").json();
  EXPECT_EQ(S.getInteger("token_requests").getValueOr(-1), 3);
  EXPECT_EQ(S.getInteger("refresh_grants").getValueOr(-1), 2);
  EXPECT_EQ(S.getInteger("client_credentials_grants").getValueOr(-1), 1);
  EXPECT_EQ(S.getInteger("authorization_code_grants").getValueOr(-1), 0);
  EXPECT_EQ(S.getInteger("token_successes").getValueOr(-1), 3);
  ASSERT_EQ(admin("/stats/reset").Status, 200);
  S = http("GET", Base + "/__admin/stats").json();
  EXPECT_EQ(S.getInteger("token_requests").getValueOr(-1), 0);
}

TEST_F(AccountsTest, AdminTokensRevokeAndReset) {
  std::string A = accessToken();
  auto T = http("GET", Base + "/__admin/tokens").json();
  ASSERT_TRUE(T.getArray("access_tokens"));
  ASSERT_EQ(T.getArray("access_tokens")->size(), 1u);
  EXPECT_EQ(str(*(*T.getArray("access_tokens"))[0].getAsObject(), "token"), A);
  EXPECT_EQ(T.getArray("refresh_tokens")->size(), 2u);

  HttpResult R = admin("/revoke", R"({"token":")" + std::string(SeedRefresh) + R"("})");
  EXPECT_EQ(R.Status, 200);
  EXPECT_EQ(str(R.json(), "kind"), "refresh_token");
  EXPECT_EQ(admin("/revoke", R"({"token":"nope"})").Status, 404);
  EXPECT_EQ(str(refresh().json(), "error"), "invalid_code");
  advance(100);
  ASSERT_EQ(admin("/reset").Status, 200);
  EXPECT_EQ(refresh().Status, 200) << "reset restores the seeded tokens";
  auto C = http("GET", Base + "/__admin/clock").json();
  EXPECT_EQ(C.getNumber("offset_seconds").getValueOr(-1), 0);
}

TEST_F(AccountsTest, AdminMintAccessTokenAndValidation) {
  HttpResult R = admin("/access-tokens", R"({"client_id":")" + std::string(SelfId) +
                                             R"(","scope":"Desk.tickets.READ","expires_in":5})");
  ASSERT_EQ(R.Status, 200) << R.Body;
  std::string A = str(R.json(), "access_token");
  std::vector<std::string> H = {"Authorization: Zoho-oauthtoken " + A, "orgId: 1"};
  EXPECT_EQ(get("/api/v1/tickets", H).Status, 200);
  advance(6);
  EXPECT_EQ(get("/api/v1/tickets", H).Status, 401);
  EXPECT_EQ(admin("/refresh-tokens", R"({"client_id":"nope","scope":"A.b.c"})").Status, 400);
  EXPECT_EQ(admin("/refresh-tokens", R"({"client_id":")" + std::string(SelfId) + R"("})").Status,
            400)
      << "scope is required";
  EXPECT_EQ(admin("/limits", R"({"no_such_limit":1})").Status, 400);
  EXPECT_EQ(admin("/faults", R"({"error_rate":2})").Status, 400);
  EXPECT_EQ(admin("/clock/advance", "{not json").Status, 400);
  EXPECT_EQ(admin("/clock/advance").Status, 400);
  EXPECT_EQ(http("GET", Base + "/__admin/nope").Status, 404);
  // Fixed token values can be minted (helpers may want predictable fixtures).
  R = admin("/refresh-tokens", R"({"client_id":")" + std::string(SelfId) +
                                   R"(","scope":"ZohoCRM.modules.ALL","token":"1000.fixed.token"})");
  ASSERT_EQ(R.Status, 200) << R.Body;
  EXPECT_EQ(refresh("1000.fixed.token").Status, 200);
}

TEST_F(AccountsTest, AdminDisabledByDefault) {
  MockServer S(defaultMockConfig(), {});
  ASSERT_FALSE(bool(S.start()));
  HttpResult R = http("GET", S.url() + "/__admin/stats");
  EXPECT_EQ(R.Status, 404);
  R = http("POST", S.url() + "/__admin/clock/advance?seconds=10");
  EXPECT_EQ(R.Status, 404);
}

TEST_F(AccountsTest, FaultInjection) {
  ASSERT_EQ(admin("/faults", R"({"fail_next_token_requests":2,"status":503})").Status, 200);
  EXPECT_EQ(refresh().Status, 503);
  EXPECT_EQ(refresh().Status, 503);
  EXPECT_EQ(refresh().Status, 200);
  // Missing expires_in on the next success.
  ASSERT_EQ(admin("/faults", R"({"missing_expires_in_next":1})").Status, 200);
  auto O = refresh().json();
  EXPECT_EQ(O.get("expires_in"), nullptr);
  EXPECT_TRUE(O.getString("access_token"));
  EXPECT_TRUE(refresh().json().get("expires_in"));
  // A dropped connection.
  ASSERT_EQ(admin("/faults", R"({"drop_next_token_requests":1})").Status, 200);
  HttpResult D = refresh();
  EXPECT_NE(D.Code, CURLE_OK) << D.Status << " " << D.Body;
  EXPECT_EQ(refresh().Status, 200);
  // Latency.
  ASSERT_EQ(admin("/faults", R"({"latency_ms":150,"scope":"token"})").Status, 200);
  auto Start = std::chrono::steady_clock::now();
  EXPECT_EQ(refresh().Status, 200);
  EXPECT_GE(std::chrono::steady_clock::now() - Start, std::chrono::milliseconds(140));
  // Error rate 1 on resources only.
  ASSERT_EQ(admin("/faults", R"({"latency_ms":0,"error_rate":1,"error_status":502,"scope":"resource"})")
                .Status,
            200);
  std::string A = accessToken();
  EXPECT_EQ(get("/crm/v2/Leads", {"Authorization: Zoho-oauthtoken " + A}).Status, 502);
  auto S = http("GET", Base + "/__admin/stats").json();
  EXPECT_GE(S.getInteger("faults_injected").getValueOr(0), 5);
  EXPECT_EQ(S.getInteger("dropped_connections").getValueOr(0), 1);
}

//===----------------------------------------------------------------------===//
// Robustness
//===----------------------------------------------------------------------===//

TEST_F(AccountsTest, MalformedRequestsGet4xx) {
  EXPECT_EQ(post("/oauth/v2/token", "grant_type=refresh_token&client_id=%ZZ").Status, 400);
  EXPECT_EQ(http("POST", Base + "/oauth/v2/token?client_id=%4").Status, 400);
  EXPECT_EQ(get("/oauth/v2/token").Status, 405);
  EXPECT_EQ(http("PUT", Base + "/oauth/v2/token/revoke", "x=1").Status, 405);
  EXPECT_EQ(http("DELETE", Base + "/oauth/user/info").Status, 405);
  EXPECT_EQ(get("/no/such/path").Status, 404);
  EXPECT_EQ(get("/oauth/v2/nothing", {"Host: accounts.zoho.com"}).Status, 404);
  std::string Huge(2 << 20, 'a');
  HttpResult R = post("/oauth/v2/token", "grant_type=" + Huge);
  EXPECT_EQ(R.Status, 413);
  R = post("/oauth/v2/token", "\x01\x02&&&==&", {"Content-Type: application/x-www-form-urlencoded"});
  EXPECT_GE(R.Status, 400);
  EXPECT_LT(R.Status, 500);
  R = post("/oauth/v2/token", "{\"grant_type\":\"refresh_token\"}", {"Content-Type: application/json"});
  EXPECT_EQ(R.Status, 400) << R.Body;
  // The server is still alive, and the rejected requests were logged.
  EXPECT_EQ(refresh().Status, 200);
  for (const char *Needle : {"status=413 outcome=rejected", "status=400 outcome=malformed_encoding",
                             "status=405 outcome=method_not_allowed"}) {
    std::string Log = logWith(Needle);
    EXPECT_NE(Log.find(Needle), std::string::npos) << Log;
  }
}

TEST_F(AccountsTest, PostWithoutContentLength) {
  // `curl -X POST URL` sends no Content-Length: an empty body, answered at once.
  auto Start = std::chrono::steady_clock::now();
  std::string Q = form({{"grant_type", "refresh_token"},
                        {"client_id", SelfId},
                        {"client_secret", SelfSecret},
                        {"refresh_token", SeedRefresh}});
  CURL *C = curl_easy_init();
  std::string Body;
  curl_easy_setopt(C, CURLOPT_URL, (Base + "/oauth/v2/token?" + Q).c_str());
  curl_easy_setopt(C, CURLOPT_CUSTOMREQUEST, "POST");
  curl_easy_setopt(C, CURLOPT_WRITEFUNCTION, curlWrite);
  curl_easy_setopt(C, CURLOPT_WRITEDATA, &Body);
  ASSERT_EQ(curl_easy_perform(C), CURLE_OK);
  long Status = 0;
  curl_easy_getinfo(C, CURLINFO_RESPONSE_CODE, &Status);
  curl_easy_cleanup(C);
  EXPECT_EQ(Status, 200) << Body;
  EXPECT_NE(Body.find("access_token"), std::string::npos) << Body;
  EXPECT_LT(std::chrono::steady_clock::now() - Start, std::chrono::seconds(2));
}

TEST_F(AccountsTest, ConcurrentRefreshes) {
  setLimits(R"({"token_requests_per_window":0})");
  std::atomic<int> Ok{0}, Bad{0};
  std::vector<std::thread> Threads;
  for (int T = 0; T < 8; ++T)
    Threads.emplace_back([&] {
      for (int I = 0; I < 100; ++I) {
        HttpResult R = refresh();
        (R.Status == 200 ? Ok : Bad)++;
        // Concurrent resource calls with whatever token we got.
        if (R.Status == 200 && I % 10 == 0) {
          // The token may already be evicted by the 10-per-refresh-token cap.
          auto Obj = R.json();
    auto S = Obj.getString("access_token");
          long St = S ? get("/crm/v2/Leads", {"Authorization: Zoho-oauthtoken " + S->str()}).Status : 0;
          if (St != 200 && St != 401)
            Bad++;
        }
      }
    });
  for (auto &T : Threads)
    T.join();
  EXPECT_EQ(Ok.load(), 800);
  EXPECT_EQ(Bad.load(), 0);
  auto S = http("GET", Base + "/__admin/stats").json();
  EXPECT_EQ(S.getInteger("refresh_grants").getValueOr(0), 800);
  EXPECT_LE(S.getInteger("live_access_tokens").getValueOr(99), 10) << "cap keeps memory bounded";
}

//===----------------------------------------------------------------------===//
// Logging, persistence, config
//===----------------------------------------------------------------------===//

TEST_F(AccountsTest, RequestLogNeverShowsTokens) {
  llvm::SmallString<128> Path;
  ASSERT_FALSE(llvm::sys::fs::createTemporaryFile("mocklog", "txt", Path));
  std::FILE *Log = std::fopen(Path.c_str(), "w");
  MockServerOptions O;
  O.Log = Log;
  startWith(defaultMockConfig(), O);
  std::string A = accessToken();
  get("/crm/v2/Leads", {"Authorization: Zoho-oauthtoken " + A});
  get("/crm/private/json/Leads/getRecords?authtoken=0123456789abcdef0123456789abcdef&scope=crmapi");
  get("/crm/private/json/Leads/authtoken=0123456789abcdef0123456789abcdef");
  post("/oauth/v2/token/revoke?token=" + A);
  post("/oauth/v2/token", "grant_type=bad&client_id=x&client_secret=" + std::string(SelfSecret));
  Server->stop();
  std::fclose(Log);
  std::ifstream In(Path.c_str());
  std::stringstream SS;
  SS << In.rdbuf();
  std::string Text = SS.str();
  llvm::sys::fs::remove(Path);
  int Lines = 0;
  for (char C : Text)
    Lines += C == '\n';
  EXPECT_EQ(Lines, 6) << Text;
  EXPECT_EQ(Text.find(A.substr(5, 32)), std::string::npos) << Text;
  EXPECT_EQ(Text.find(std::string(SeedRefresh).substr(5, 32)), std::string::npos) << Text;
  EXPECT_EQ(Text.find("0123456789abcdef"), std::string::npos) << Text;
  EXPECT_EQ(Text.find(SelfSecret), std::string::npos) << Text;
  EXPECT_NE(Text.find("POST /oauth/v2/token role=local dc=us product=accounts status=200 "
                      "outcome=refresh_token:ok"),
            std::string::npos)
      << Text;
  EXPECT_NE(Text.find("product=crm status=200 outcome=ok"), std::string::npos) << Text;
  EXPECT_NE(Text.find("status=200 outcome=legacy_authtoken"), std::string::npos) << Text;
}

TEST_F(AccountsTest, AdminRequestLog) {
  refresh();
  logWith("outcome=refresh_token:ok");
  auto R = http("GET", Base + "/__admin/requests?limit=1000").json();
  const llvm::json::Array *A = R.getArray("requests");
  ASSERT_TRUE(A);
  ASSERT_GE(A->size(), 1u);
  // Lines are appended when each answer has been written, so a line may trail a later
  // request's line; look for it anywhere.
  bool Found = false;
  for (const llvm::json::Value &L : *A)
    Found |= L.getAsString()->contains("POST /oauth/v2/token role=local dc=us product=accounts "
                                       "status=200 outcome=refresh_token:ok");
  EXPECT_TRUE(Found);
  R = http("GET", Base + "/__admin/requests?limit=1").json();
  EXPECT_EQ(R.getArray("requests")->size(), 1u);
}

TEST_F(AccountsTest, StatePersistsAndReloads) {
  llvm::SmallString<128> Dir;
  ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("mockstate", Dir));
  std::string File = (Dir + "/state.json").str();
  MockServerOptions O;
  O.StatePath = File;
  startWith(defaultMockConfig(), O);
  std::string A = accessToken();
  advance(1000);
  HttpResult M = admin("/refresh-tokens", R"({"client_id":")" + std::string(SelfId) +
                                              R"(","scope":"ZohoCRM.modules.ALL"})");
  std::string Minted = str(M.json(), "refresh_token");
  ASSERT_EQ(post("/oauth/v2/token/revoke?token=1000.00000000000000000000000000000002."
                 "5eed5eed5eed5eed5eed5eed5eed5eed")
                .Status,
            200);
  EXPECT_EQ(admin("/state/save").Status, 200);
  Server.reset(); // stop + final save
  ASSERT_TRUE(llvm::sys::fs::exists(File));
  EXPECT_FALSE(llvm::sys::fs::exists(File + ".tmp"));

  startWith(defaultMockConfig(), O);
  EXPECT_EQ(get("/crm/v2/Leads", {"Authorization: Zoho-oauthtoken " + A}).Status, 200);
  EXPECT_EQ(refresh(Minted).Status, 200);
  EXPECT_EQ(str(refresh("1000.00000000000000000000000000000002.5eed5eed5eed5eed5eed5eed5eed5eed",
                        WebId, WebSecret)
                    .json(),
                "error"),
            "invalid_code")
      << "revocations survive a restart";
  auto C = http("GET", Base + "/__admin/clock").json();
  EXPECT_GE(C.getNumber("offset_seconds").getValueOr(0), 1000);
  advance(2700); // 1000 + 2700 > 3600: the persisted token expires on the mock clock
  EXPECT_EQ(get("/crm/v2/Leads", {"Authorization: Zoho-oauthtoken " + A}).Status, 401);
  Server.reset();
  llvm::sys::fs::remove_directories(Dir);
}

TEST(MockConfigTest, YamlAndJsonConfigs) {
  auto Y = parseMockConfig(R"(
clients:
  - id: 1000.MYCLIENT
    secret: s3cret
    redirect_uris: ["http://localhost:3000/cb"]
    scopes: [ZohoCRM.modules.ALL]
users:
  - id: "42"
    email: a@example.com
    dc: eu
refresh_tokens:
  - token: 1000.aa.bb
    client_id: 1000.MYCLIENT
    user: a@example.com
    scopes: [ZohoCRM.modules.ALL]
limits:
  token_requests_per_window: 100
  max_access_tokens_per_refresh_token: 30
expires_in_style: milliseconds
faults:
  error_rate: 0.1
)",
                           "cfg.yaml");
  ASSERT_TRUE(bool(Y)) << llvm::toString(Y.takeError());
  EXPECT_EQ(Y->Clients.size(), 1u);
  EXPECT_EQ(Y->Users.front().Dc, "eu");
  EXPECT_EQ(Y->Limits.TokenRequestsPerWindow, 100);
  EXPECT_EQ(Y->Limits.MaxAccessTokensPerRefreshToken, 30);
  EXPECT_EQ(Y->Limits.AccessTokenLifetimeSec, 3600) << "unspecified keep defaults";
  EXPECT_EQ(Y->ExpiresIn, ExpiresInStyle::Milliseconds);
  EXPECT_DOUBLE_EQ(Y->Faults.ErrorRate, 0.1);

  auto J = parseMockConfig(R"({"limits": {"code_lifetime_sec": 180}, "public_urls": "local"})",
                           "cfg.json");
  ASSERT_TRUE(bool(J)) << llvm::toString(J.takeError());
  EXPECT_EQ(J->Limits.CodeLifetimeSec, 180);
  EXPECT_EQ(J->Urls, PublicUrls::Local);
  EXPECT_EQ(J->Clients.size(), 2u) << "defaults kept";
}

TEST(MockConfigTest, ErrorsNameFileAndLine) {
  auto E = parseMockConfig("limits:\n  code_lifetime_sec: 10\n  bogus_key: 3\n", "my.yaml");
  ASSERT_FALSE(bool(E));
  std::string Msg = llvm::toString(E.takeError());
  EXPECT_EQ(Msg.rfind("my.yaml:3:", 0), 0u) << Msg;
  EXPECT_NE(Msg.find("bogus_key"), std::string::npos) << Msg;

  E = parseMockConfig("expires_in_style: minutes\n", "x.yaml");
  ASSERT_FALSE(bool(E));
  EXPECT_EQ(llvm::toString(E.takeError()).rfind("x.yaml:1:", 0), 0u);

  E = parseMockConfig("{\"limits\": {\"code_lifetime_sec\": }", "x.json");
  ASSERT_FALSE(bool(E));
  EXPECT_EQ(llvm::toString(E.takeError()).rfind("x.json:1:", 0), 0u);

  E = parseMockConfig("refresh_tokens:\n  - token: t\n    client_id: nope\n    user: 700000001\n",
                      "r.yaml");
  ASSERT_FALSE(bool(E));
  EXPECT_NE(llvm::toString(E.takeError()).find("unknown client"), std::string::npos);

  auto L = loadMockConfig("/nonexistent/mock.yaml");
  ASSERT_FALSE(bool(L));
  EXPECT_NE(llvm::toString(L.takeError()).find("/nonexistent/mock.yaml"), std::string::npos);
}

TEST(MockServerLifecycle, RefusesNonLoopbackAndStopsCleanly) {
  MockServerOptions O;
  O.Host = "0.0.0.0";
  MockServer S(defaultMockConfig(), O);
  llvm::Error E = S.start();
  EXPECT_TRUE(bool(E)) << "0.0.0.0 needs AllowRemote";
  llvm::consumeError(std::move(E));
  {
    MockServer T(defaultMockConfig(), {});
    ASSERT_FALSE(bool(T.start()));
    EXPECT_GT(T.port(), 0);
    EXPECT_EQ(http("GET", T.url() + "/oauth/serverinfo").Status, 200);
    T.stop();
    T.stop(); // idempotent
  }
}

TEST(MockServerCli, PrintsListeningLineAndStopsOnSigterm) {
  std::string Bin = std::string(ATM_BINARY_DIR) + "/authtoken-migrate";
  if (access(Bin.c_str(), X_OK) != 0)
    GTEST_SKIP() << Bin << " not built";
  int Pipe[2];
  ASSERT_EQ(pipe(Pipe), 0);
  posix_spawn_file_actions_t Actions;
  posix_spawn_file_actions_init(&Actions);
  posix_spawn_file_actions_adddup2(&Actions, Pipe[1], 1);
  posix_spawn_file_actions_addclose(&Actions, Pipe[0]);
  const char *Argv[] = {Bin.c_str(), "mock-server", "--port", "0", "--admin", "--quiet", nullptr};
  pid_t Pid = 0;
  ASSERT_EQ(posix_spawn(&Pid, Bin.c_str(), &Actions, nullptr, const_cast<char **>(Argv), environ), 0);
  posix_spawn_file_actions_destroy(&Actions);
  close(Pipe[1]);
  std::string Line;
  char Ch;
  while (read(Pipe[0], &Ch, 1) == 1 && Ch != '\n')
    Line.push_back(Ch);
  close(Pipe[0]);
  std::smatch M;
  ASSERT_TRUE(std::regex_match(Line, M, std::regex("listening http://127\\.0\\.0\\.1:([0-9]+)"))) << Line;
  std::string Url = "http://127.0.0.1:" + M[1].str();
  EXPECT_EQ(http("GET", Url + "/__admin/health").Status, 200);
  EXPECT_EQ(http("POST", Url + "/oauth/v2/token", "grant_type=refresh_token&client_id=" +
                                   std::string(SelfId) + "&client_secret=" + SelfSecret +
                                   "&refresh_token=" + SeedRefresh)
                .Status,
            200);
  kill(Pid, SIGTERM);
  int Status = 0;
  ASSERT_EQ(waitpid(Pid, &Status, 0), Pid);
  EXPECT_TRUE(WIFEXITED(Status));
  EXPECT_EQ(WEXITSTATUS(Status), 0);
}

} // namespace
