#pragma once
/// \file
/// Configuration of the mock Zoho accounts + API server: registered clients, users,
/// seeded refresh tokens, limits, the `expires_in` style and fault injection.
/// Loaded from YAML or JSON (JSON is read by the same YAML reader); every field has a
/// Zoho-like default, and defaultMockConfig() needs no file at all.

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/JSON.h"

#include <cstdint>
#include <string>
#include <vector>

namespace atm::mock {

/// A registered OAuth client (api-console.zoho.<tld>).
struct MockClient {
  std::string Id;
  std::string Secret;
  /// Exact-match redirect URIs; ignored for self-clients.
  std::vector<std::string> RedirectUris;
  /// Scopes this client may request; empty means any.
  std::vector<std::string> Scopes;
  /// Self-clients may use `client_credentials` and need no redirect_uri.
  bool SelfClient = false;
  /// Owner of a self-client: the user `client_credentials` tokens act for.
  std::string User;
  /// Data centres the client is enabled for; empty means all.
  std::vector<std::string> Dcs;
};

/// A Zoho account.
struct MockUser {
  std::string Id;    ///< ZUID, e.g. "700000001".
  std::string Email;
  std::string FirstName;
  std::string LastName;
  std::string Dc = "us"; ///< Home data centre: codes and tokens are bound to it.
};

/// A refresh token that exists from the start.
struct MockSeedToken {
  std::string Token;
  std::string ClientId;
  std::string User; ///< user id or email
  std::vector<std::string> Scopes;
  std::string Dc; ///< empty: the user's DC
};

/// Token limits (§4.6 of the reference: Zoho's pages disagree, so all are settings).
struct MockLimits {
  int64_t CodeLifetimeSec = 120;
  int64_t AccessTokenLifetimeSec = 3600;
  /// Active access tokens per refresh token; the next one invalidates the oldest.
  /// 0 = unlimited.
  int64_t MaxAccessTokensPerRefreshToken = 10;
  /// Successful access-token requests per refresh token per window; more answer
  /// `Access Denied` (HTTP 400). 0 = unlimited.
  int64_t TokenRequestsPerWindow = 10;
  int64_t ThrottleWindowSec = 600;
  /// Refresh tokens per user + client; the next one invalidates the oldest. 0 = unlimited.
  int64_t MaxRefreshTokensPerUser = 20;
  /// Stored records in total (bounded memory whatever the clients do): storing one more
  /// evicts the expired records first, then the oldest one. 1..MaxStoreCap.
  int64_t MaxCodes = 5000;
  int64_t MaxAccessTokens = 10000;
  int64_t MaxRefreshTokens = 5000;
};

/// Longest accepted duration, lifetime or clock step: 10 years (in seconds). Larger,
/// negative or non-finite values are refused, so no time computation can overflow.
constexpr int64_t MaxDurationSec = 10LL * 366 * 24 * 3600;
/// Largest accepted max_codes / max_access_tokens / max_refresh_tokens.
constexpr int64_t MaxStoreCap = 1000000;
/// A scope list holds at most this many distinct items of at most MaxScopeLength bytes.
constexpr size_t MaxScopeItems = 64;
constexpr size_t MaxScopeLength = 128;
/// JSON/YAML documents (config, admin bodies) may nest at most this deep.
constexpr unsigned MaxNestingDepth = 64;

enum class ExpiresInStyle {
  Seconds,      ///< "expires_in":3600 (current Zoho docs)
  Milliseconds, ///< "expires_in":3600000,"expires_in_sec":3600 (older responses)
};

enum class PublicUrls {
  Zoho,  ///< api_domain / accounts-server are the real Zoho hosts (faithful).
  Local, ///< they point back at the mock (http://127.0.0.1:PORT/zohoapis/{dc}, …).
};

/// Which requests the random faults (latency, error_rate, drop_rate) apply to.
enum class FaultScope { All, Token, Resource };

/// Fault injection. Rates are shares in [0,1]; "next" counters are consumed one per
/// token request.
struct MockFaults {
  int64_t LatencyMs = 0;
  double ErrorRate = 0;
  int ErrorStatus = 503;
  double DropRate = 0;
  double MissingExpiresInRate = 0;
  int64_t FailNextTokenRequests = 0;
  int64_t DropNextTokenRequests = 0;
  int64_t MissingExpiresInNext = 0;
  FaultScope Scope = FaultScope::All;
};

/// The whole configuration.
struct MockConfig {
  std::vector<MockClient> Clients;
  std::vector<MockUser> Users;
  std::vector<MockSeedToken> RefreshTokens;
  MockLimits Limits;
  ExpiresInStyle ExpiresIn = ExpiresInStyle::Seconds;
  MockFaults Faults;
  PublicUrls Urls = PublicUrls::Zoho;
  /// Data centre when neither the Host header nor a path prefix names one.
  std::string DefaultDc = "us";
  /// User who "consents" in GET /oauth/v2/auth (id or email); empty: the first user.
  std::string AuthUser;
  /// Accepted Books/Invoice/Inventory/Subscriptions organization ids and Desk orgIds;
  /// empty = any non-empty value.
  std::vector<std::string> OrgIds;
};

/// The built-in configuration (documented in tool/mock/README.md).
MockConfig defaultMockConfig();

/// Parses YAML or JSON text. Unspecified fields keep defaultMockConfig()'s values,
/// except that listing `clients`, `users` or `refresh_tokens` replaces that list.
/// Errors read `file:line:col: message`.
llvm::Expected<MockConfig> parseMockConfig(llvm::StringRef Text,
                                           llvm::StringRef FileName);

/// Reads and parses a config file.
llvm::Expected<MockConfig> loadMockConfig(llvm::StringRef Path);

/// Checks cross references (token → client/user, DC names). Errors name the file.
llvm::Error validateMockConfig(const MockConfig &Config, llvm::StringRef FileName);

/// JSON forms of limits and faults (same keys as the config file), used by the admin
/// API. applyJson() updates only the keys present and rejects unknown keys.
llvm::json::Object toJson(const MockLimits &L);
llvm::json::Object toJson(const MockFaults &F);
llvm::Error applyJson(MockLimits &L, const llvm::json::Object &O);
llvm::Error applyJson(MockFaults &F, const llvm::json::Object &O);
llvm::Error parseExpiresInStyle(llvm::StringRef Name, ExpiresInStyle &Out);
llvm::Error parsePublicUrls(llvm::StringRef Name, PublicUrls &Out);

/// Data-centre table (§1.4 of the reference).
struct DataCentre {
  const char *Code;        ///< "us", "eu", …
  const char *Tld;         ///< product-host suffix: "zoho.com", "zohocloud.ca", …
  const char *Accounts;    ///< "accounts.zoho.com"
  const char *ApiDomain;   ///< "www.zohoapis.com"
};
const DataCentre *findDataCentre(llvm::StringRef Code);
const std::vector<DataCentre> &dataCentres();

/// Names used by the config file and the admin API.
llvm::StringRef expiresInStyleName(ExpiresInStyle S);
llvm::StringRef publicUrlsName(PublicUrls U);
llvm::StringRef faultScopeName(FaultScope S);

/// Splits a Zoho scope list ("A,B", "A B" or both) into its items, dropping repeats
/// (case-insensitive; the first spelling is kept).
std::vector<std::string> splitScopes(llvm::StringRef Text);
/// Drops repeated items (case-insensitive), keeping the first spelling and the order.
void dedupScopes(std::vector<std::string> &Scopes);
/// Why \p Scopes is not an acceptable list (too many items, an item too long), or "".
std::string scopeListProblem(const std::vector<std::string> &Scopes);

/// The position (1-based line, column) where brackets in \p Text first nest deeper
/// than \p MaxDepth outside quoted strings, or {0, 0}. A guard in front of the
/// recursive JSON and YAML parsers.
std::pair<unsigned, unsigned> tooDeepAt(llvm::StringRef Text, unsigned MaxDepth);

} // namespace atm::mock
