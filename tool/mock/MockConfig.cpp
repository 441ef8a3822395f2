//===- MockConfig.cpp - mock server configuration -------------------------===//

#include "mock/MockConfig.h"

#include "llvm/ADT/Optional.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/YAMLTraits.h"

#include <fmt/core.h>

#include <set>

using namespace atm::mock;
using llvm::StringRef;

LLVM_YAML_IS_SEQUENCE_VECTOR(atm::mock::MockClient)
LLVM_YAML_IS_SEQUENCE_VECTOR(atm::mock::MockUser)
LLVM_YAML_IS_SEQUENCE_VECTOR(atm::mock::MockSeedToken)

namespace {
/// Why \p L is out of range, or "" (shared by the config file and the admin API).
std::string limitsProblem(const MockLimits &L) {
  struct {
    const char *Name;
    int64_t V, Lo, Hi;
  } Checks[] = {
      {"code_lifetime_sec", L.CodeLifetimeSec, 0, MaxDurationSec},
      {"access_token_lifetime_sec", L.AccessTokenLifetimeSec, 0, MaxDurationSec},
      {"throttle_window_sec", L.ThrottleWindowSec, 0, MaxDurationSec},
      {"max_access_tokens_per_refresh_token", L.MaxAccessTokensPerRefreshToken, 0,
       INT64_MAX},
      {"token_requests_per_window", L.TokenRequestsPerWindow, 0, INT64_MAX},
      {"max_refresh_tokens_per_user", L.MaxRefreshTokensPerUser, 0, INT64_MAX},
      {"max_codes", L.MaxCodes, 1, MaxStoreCap},
      {"max_access_tokens", L.MaxAccessTokens, 1, MaxStoreCap},
      {"max_refresh_tokens", L.MaxRefreshTokens, 1, MaxStoreCap},
  };
  for (const auto &C : Checks) {
    if (C.V >= C.Lo && C.V <= C.Hi)
      continue;
    if (C.Hi == INT64_MAX)
      return fmt::format("{} must not be negative", C.Name);
    return fmt::format("{} must be between {} and {}{}", C.Name, C.Lo, C.Hi,
                       C.Hi == MaxDurationSec ? " (10 years)" : "");
  }
  return "";
}
} // namespace

namespace llvm::yaml {

template <> struct ScalarEnumerationTraits<ExpiresInStyle> {
  static void enumeration(IO &Io, ExpiresInStyle &V) {
    Io.enumCase(V, "seconds", ExpiresInStyle::Seconds);
    Io.enumCase(V, "milliseconds", ExpiresInStyle::Milliseconds);
    Io.enumCase(V, "ms", ExpiresInStyle::Milliseconds);
  }
};
template <> struct ScalarEnumerationTraits<PublicUrls> {
  static void enumeration(IO &Io, PublicUrls &V) {
    Io.enumCase(V, "zoho", PublicUrls::Zoho);
    Io.enumCase(V, "local", PublicUrls::Local);
  }
};
template <> struct ScalarEnumerationTraits<FaultScope> {
  static void enumeration(IO &Io, FaultScope &V) {
    Io.enumCase(V, "all", FaultScope::All);
    Io.enumCase(V, "token", FaultScope::Token);
    Io.enumCase(V, "resource", FaultScope::Resource);
  }
};

template <> struct MappingTraits<MockClient> {
  static void mapping(IO &Io, MockClient &C) {
    Io.mapRequired("id", C.Id);
    Io.mapRequired("secret", C.Secret);
    Io.mapOptional("redirect_uris", C.RedirectUris);
    Io.mapOptional("scopes", C.Scopes);
    Io.mapOptional("self_client", C.SelfClient);
    Io.mapOptional("user", C.User);
    Io.mapOptional("dcs", C.Dcs);
  }
  static std::string validate(IO &, MockClient &C) {
    if (C.Id.empty() || C.Secret.empty())
      return "client id and secret must not be empty";
    for (const std::string &Dc : C.Dcs)
      if (!findDataCentre(Dc))
        return "unknown data centre '" + Dc + "'";
    return "";
  }
};

template <> struct MappingTraits<MockUser> {
  static void mapping(IO &Io, MockUser &U) {
    Io.mapRequired("id", U.Id);
    Io.mapOptional("email", U.Email);
    Io.mapOptional("first_name", U.FirstName);
    Io.mapOptional("last_name", U.LastName);
    Io.mapOptional("dc", U.Dc);
  }
  static std::string validate(IO &, MockUser &U) {
    if (U.Id.empty())
      return "user id must not be empty";
    if (!findDataCentre(U.Dc))
      return "unknown data centre '" + U.Dc + "'";
    return "";
  }
};

template <> struct MappingTraits<MockSeedToken> {
  static void mapping(IO &Io, MockSeedToken &T) {
    Io.mapRequired("token", T.Token);
    Io.mapRequired("client_id", T.ClientId);
    Io.mapRequired("user", T.User);
    Io.mapOptional("scopes", T.Scopes);
    Io.mapOptional("dc", T.Dc);
  }
  static std::string validate(IO &, MockSeedToken &T) {
    if (T.Token.empty())
      return "token must not be empty";
    if (!T.Dc.empty() && !findDataCentre(T.Dc))
      return "unknown data centre '" + T.Dc + "'";
    dedupScopes(T.Scopes);
    return scopeListProblem(T.Scopes);
  }
};

template <> struct MappingTraits<MockLimits> {
  static void mapping(IO &Io, MockLimits &L) {
    Io.mapOptional("code_lifetime_sec", L.CodeLifetimeSec);
    Io.mapOptional("access_token_lifetime_sec", L.AccessTokenLifetimeSec);
    Io.mapOptional("max_access_tokens_per_refresh_token",
                   L.MaxAccessTokensPerRefreshToken);
    Io.mapOptional("token_requests_per_window", L.TokenRequestsPerWindow);
    Io.mapOptional("throttle_window_sec", L.ThrottleWindowSec);
    Io.mapOptional("max_refresh_tokens_per_user", L.MaxRefreshTokensPerUser);
    Io.mapOptional("max_codes", L.MaxCodes);
    Io.mapOptional("max_access_tokens", L.MaxAccessTokens);
    Io.mapOptional("max_refresh_tokens", L.MaxRefreshTokens);
  }
  static std::string validate(IO &, MockLimits &L) { return limitsProblem(L); }
};

template <> struct MappingTraits<MockFaults> {
  static void mapping(IO &Io, MockFaults &F) {
    Io.mapOptional("latency_ms", F.LatencyMs);
    Io.mapOptional("error_rate", F.ErrorRate);
    Io.mapOptional("error_status", F.ErrorStatus);
    Io.mapOptional("drop_rate", F.DropRate);
    Io.mapOptional("missing_expires_in_rate", F.MissingExpiresInRate);
    Io.mapOptional("fail_next_token_requests", F.FailNextTokenRequests);
    Io.mapOptional("drop_next_token_requests", F.DropNextTokenRequests);
    Io.mapOptional("missing_expires_in_next", F.MissingExpiresInNext);
    Io.mapOptional("scope", F.Scope);
  }
  static std::string validate(IO &, MockFaults &F) {
    auto BadRate = [](double R) { return R < 0 || R > 1; };
    if (BadRate(F.ErrorRate) || BadRate(F.DropRate) ||
        BadRate(F.MissingExpiresInRate))
      return "rates must be between 0 and 1";
    if (F.ErrorStatus < 500 || F.ErrorStatus > 599)
      return "error_status must be a 5xx status";
    if (F.LatencyMs < 0 || F.LatencyMs > 60000)
      return "latency_ms must be between 0 and 60000";
    return "";
  }
};

/// The file's shape: lists are Optional so that listing one replaces the default.
struct ConfigDoc {
  MockConfig *C;
  llvm::Optional<std::vector<MockClient>> Clients;
  llvm::Optional<std::vector<MockUser>> Users;
  llvm::Optional<std::vector<MockSeedToken>> Tokens;
};

template <> struct MappingTraits<ConfigDoc> {
  static void mapping(IO &Io, ConfigDoc &D) {
    Io.mapOptional("clients", D.Clients);
    Io.mapOptional("users", D.Users);
    Io.mapOptional("refresh_tokens", D.Tokens);
    Io.mapOptional("limits", D.C->Limits);
    Io.mapOptional("expires_in_style", D.C->ExpiresIn);
    Io.mapOptional("faults", D.C->Faults);
    Io.mapOptional("public_urls", D.C->Urls);
    Io.mapOptional("default_dc", D.C->DefaultDc);
    Io.mapOptional("auth_user", D.C->AuthUser);
    Io.mapOptional("org_ids", D.C->OrgIds);
  }
  static std::string validate(IO &, ConfigDoc &D) {
    if (!findDataCentre(D.C->DefaultDc))
      return "unknown data centre '" + D.C->DefaultDc + "'";
    return "";
  }
};

} // namespace llvm::yaml

const std::vector<DataCentre> &atm::mock::dataCentres() {
  static const std::vector<DataCentre> Table = {
      {"us", "zoho.com", "accounts.zoho.com", "www.zohoapis.com"},
      {"eu", "zoho.eu", "accounts.zoho.eu", "www.zohoapis.eu"},
      {"in", "zoho.in", "accounts.zoho.in", "www.zohoapis.in"},
      {"au", "zoho.com.au", "accounts.zoho.com.au", "www.zohoapis.com.au"},
      {"cn", "zoho.com.cn", "accounts.zoho.com.cn", "www.zohoapis.com.cn"},
      {"jp", "zoho.jp", "accounts.zoho.jp", "www.zohoapis.jp"},
      // CA: accounts and products live under zohocloud.ca, the API domain does not.
      {"ca", "zohocloud.ca", "accounts.zohocloud.ca", "www.zohoapis.ca"},
      {"sa", "zoho.sa", "accounts.zoho.sa", "www.zohoapis.sa"},
      {"uk", "zoho.uk", "accounts.zoho.uk", "www.zohoapis.uk"},
      {"ae", "zoho.ae", "accounts.zoho.ae", "www.zohoapis.ae"},
  };
  return Table;
}

const DataCentre *atm::mock::findDataCentre(StringRef Code) {
  for (const DataCentre &D : dataCentres())
    if (Code.equals_insensitive(D.Code))
      return &D;
  return nullptr;
}

StringRef atm::mock::expiresInStyleName(ExpiresInStyle S) {
  return S == ExpiresInStyle::Seconds ? "seconds" : "milliseconds";
}
StringRef atm::mock::publicUrlsName(PublicUrls U) {
  return U == PublicUrls::Zoho ? "zoho" : "local";
}
StringRef atm::mock::faultScopeName(FaultScope S) {
  switch (S) {
  case FaultScope::All:
    return "all";
  case FaultScope::Token:
    return "token";
  case FaultScope::Resource:
    return "resource";
  }
  return "all";
}

std::vector<std::string> atm::mock::splitScopes(StringRef Text) {
  std::vector<std::string> Out;
  std::string Cur;
  for (char Ch : Text) {
    if (Ch == ',' || Ch == ' ' || Ch == '\t' || Ch == '+') {
      if (!Cur.empty())
        Out.push_back(std::move(Cur));
      Cur.clear();
    } else {
      Cur.push_back(Ch);
    }
  }
  if (!Cur.empty())
    Out.push_back(std::move(Cur));
  dedupScopes(Out);
  return Out;
}

void atm::mock::dedupScopes(std::vector<std::string> &Scopes) {
  std::set<std::string> Seen;
  std::vector<std::string> Out;
  for (std::string &S : Scopes)
    if (Seen.insert(StringRef(S).lower()).second)
      Out.push_back(std::move(S));
  Scopes = std::move(Out);
}

std::string atm::mock::scopeListProblem(const std::vector<std::string> &Scopes) {
  if (Scopes.size() > MaxScopeItems)
    return fmt::format("scope has {} items; at most {} are accepted", Scopes.size(),
                       MaxScopeItems);
  for (const std::string &S : Scopes)
    if (S.size() > MaxScopeLength)
      return fmt::format("a scope item is {} bytes long; at most {} are accepted",
                         S.size(), MaxScopeLength);
  return "";
}

std::pair<unsigned, unsigned> atm::mock::tooDeepAt(StringRef Text, unsigned MaxDepth) {
  unsigned Depth = 0, Line = 1, Col = 0;
  char Quote = 0;
  for (size_t I = 0; I < Text.size(); ++I) {
    char C = Text[I];
    ++Col;
    if (C == '\n') {
      ++Line;
      Col = 0;
      if (Quote == '\'') // YAML single-quoted scalars may span lines; JSON's may not
        continue;
    }
    if (Quote) {
      if (C == '\\' && Quote == '"')
        ++I, ++Col;
      else if (C == Quote)
        Quote = 0;
      continue;
    }
    if (C == '"' || C == '\'')
      Quote = C;
    else if (C == '[' || C == '{') {
      if (++Depth > MaxDepth)
        return {Line, Col};
    } else if ((C == ']' || C == '}') && Depth > 0)
      --Depth;
  }
  return {0, 0};
}

MockConfig atm::mock::defaultMockConfig() {
  MockConfig C;
  MockUser U;
  U.Id = "700000001";
  U.Email = "user@example.com";
  U.FirstName = "Mock";
  U.LastName = "User";
  U.Dc = "us";
  C.Users.push_back(U);

  std::vector<std::string> AllScopes = {
      "ZohoCRM.modules.ALL",        "ZohoCRM.settings.ALL",
      "ZohoCRM.users.READ",         "ZohoCRM.org.READ",
      "ZohoBooks.fullaccess.all",   "ZohoInvoice.fullaccess.all",
      "ZohoInventory.fullaccess.all", "ZohoSubscriptions.fullaccess.all",
      "Desk.tickets.ALL",           "Desk.basic.READ",
      "ZohoCreator.report.ALL",     "ZohoCreator.form.CREATE",
      "ZohoProjects.portals.READ",  "ZohoProjects.projects.ALL",
      "ZohoProjects.tasks.ALL",     "ZohoPeople.forms.ALL",
      "ZohoRecruit.modules.ALL",    "ZohoCliq.Webhooks.CREATE",
      "ZohoMail.accounts.READ",     "ZohoMail.messages.ALL",
      "AaaServer.profile.READ"};

  MockClient Self;
  Self.Id = "1000.SELFCLIENT00000000000000000000";
  Self.Secret = "5e1fc11e00000000000000000000000000000000";
  Self.SelfClient = true;
  Self.User = U.Id;
  C.Clients.push_back(Self);

  MockClient Web;
  Web.Id = "1000.WEBCLIENT000000000000000000000";
  Web.Secret = "3ebc11e000000000000000000000000000000000";
  Web.RedirectUris = {"http://localhost:8080/callback",
                      "http://127.0.0.1:8080/callback",
                      "https://example.com/oauth/callback"};
  C.Clients.push_back(Web);

  MockSeedToken T;
  T.Token = "1000.00000000000000000000000000000001.5eed5eed5eed5eed5eed5eed5eed5eed";
  T.ClientId = Self.Id;
  T.User = U.Id;
  T.Scopes = AllScopes;
  C.RefreshTokens.push_back(T);

  MockSeedToken T2 = T;
  T2.Token = "1000.00000000000000000000000000000002.5eed5eed5eed5eed5eed5eed5eed5eed";
  T2.ClientId = Web.Id;
  C.RefreshTokens.push_back(T2);
  return C;
}

namespace {
struct DiagState {
  std::string Message;
};
void collectDiag(const llvm::SMDiagnostic &D, void *Ctx) {
  auto *S = static_cast<DiagState *>(Ctx);
  if (!S->Message.empty())
    return; // keep the first error: later ones are usually consequences
  S->Message = fmt::format("{}:{}:{}: {}", D.getFilename().str(), D.getLineNo(),
                           D.getColumnNo() + 1, D.getMessage().str());
}
} // namespace

llvm::Expected<MockConfig> atm::mock::parseMockConfig(StringRef Text,
                                                      StringRef FileName) {
  MockConfig C = defaultMockConfig();
  // The YAML reader recurses per nesting level: refuse absurd nesting up front.
  auto [DeepLine, DeepCol] = tooDeepAt(Text, MaxNestingDepth);
  if (DeepLine)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "%s:%u:%u: nested deeper than %u levels",
                                   FileName.str().c_str(), DeepLine, DeepCol,
                                   MaxNestingDepth);
  llvm::yaml::ConfigDoc Doc{&C, llvm::None, llvm::None, llvm::None};
  DiagState Diag;
  {
    llvm::yaml::Input In(llvm::MemoryBufferRef(Text, FileName), nullptr,
                         collectDiag, &Diag);
    if (!Text.trim().empty())
      In >> Doc;
    if (In.error()) {
      if (Diag.Message.empty())
        Diag.Message = (FileName + ":1:1: invalid configuration").str();
      return llvm::createStringError(llvm::inconvertibleErrorCode(), Diag.Message);
    }
  }
  if (Doc.Clients)
    C.Clients = std::move(*Doc.Clients);
  if (Doc.Users)
    C.Users = std::move(*Doc.Users);
  if (Doc.Tokens)
    C.RefreshTokens = std::move(*Doc.Tokens);
  if (llvm::Error E = validateMockConfig(C, FileName))
    return E;
  return C;
}

llvm::Expected<MockConfig> atm::mock::loadMockConfig(StringRef Path) {
  auto Buf = llvm::MemoryBuffer::getFile(Path, /*IsText=*/true);
  if (!Buf)
    return llvm::createStringError(Buf.getError(), "%s: cannot read: %s",
                                   Path.str().c_str(),
                                   Buf.getError().message().c_str());
  return parseMockConfig((*Buf)->getBuffer(), Path);
}

llvm::Error atm::mock::validateMockConfig(const MockConfig &C, StringRef FileName) {
  auto Fail = [&](const std::string &Msg) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(), "%s: %s",
                                   FileName.str().c_str(), Msg.c_str());
  };
  if (C.Users.empty())
    return Fail("at least one user is required");
  std::set<std::string> UserKeys, ClientIds, TokenIds;
  for (const MockUser &U : C.Users) {
    if (!UserKeys.insert(U.Id).second)
      return Fail("duplicate user id '" + U.Id + "'");
    if (!U.Email.empty())
      UserKeys.insert(U.Email);
  }
  for (const MockClient &Cl : C.Clients) {
    if (!ClientIds.insert(Cl.Id).second)
      return Fail("duplicate client id '" + Cl.Id + "'");
    if (!Cl.User.empty() && !UserKeys.count(Cl.User))
      return Fail("client '" + Cl.Id + "' names unknown user '" + Cl.User + "'");
  }
  for (const MockSeedToken &T : C.RefreshTokens) {
    if (!TokenIds.insert(T.Token).second)
      return Fail("duplicate refresh token");
    if (!ClientIds.count(T.ClientId))
      return Fail("refresh token names unknown client '" + T.ClientId + "'");
    if (!UserKeys.count(T.User))
      return Fail("refresh token names unknown user '" + T.User + "'");
  }
  if (!C.AuthUser.empty() && !UserKeys.count(C.AuthUser))
    return Fail("auth_user names unknown user '" + C.AuthUser + "'");
  return llvm::Error::success();
}

//===----------------------------------------------------------------------===//
// JSON forms for the admin API
//===----------------------------------------------------------------------===//

llvm::json::Object atm::mock::toJson(const MockLimits &L) {
  return llvm::json::Object{
      {"code_lifetime_sec", L.CodeLifetimeSec},
      {"access_token_lifetime_sec", L.AccessTokenLifetimeSec},
      {"max_access_tokens_per_refresh_token", L.MaxAccessTokensPerRefreshToken},
      {"token_requests_per_window", L.TokenRequestsPerWindow},
      {"throttle_window_sec", L.ThrottleWindowSec},
      {"max_refresh_tokens_per_user", L.MaxRefreshTokensPerUser},
      {"max_codes", L.MaxCodes},
      {"max_access_tokens", L.MaxAccessTokens},
      {"max_refresh_tokens", L.MaxRefreshTokens}};
}

llvm::json::Object atm::mock::toJson(const MockFaults &F) {
  return llvm::json::Object{
      {"latency_ms", F.LatencyMs},
      {"error_rate", F.ErrorRate},
      {"error_status", F.ErrorStatus},
      {"drop_rate", F.DropRate},
      {"missing_expires_in_rate", F.MissingExpiresInRate},
      {"fail_next_token_requests", F.FailNextTokenRequests},
      {"drop_next_token_requests", F.DropNextTokenRequests},
      {"missing_expires_in_next", F.MissingExpiresInNext},
      {"scope", faultScopeName(F.Scope)}};
}

namespace {
llvm::Error badKey(StringRef Key, StringRef Why) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), "%s: %s",
                                 Key.str().c_str(), Why.str().c_str());
}
llvm::Error getInt(const llvm::json::Value &V, StringRef Key, int64_t &Out) {
  if (auto I = V.getAsInteger()) {
    if (*I < 0)
      return badKey(Key, "must not be negative");
    Out = *I;
    return llvm::Error::success();
  }
  return badKey(Key, "expected an integer");
}
llvm::Error getRate(const llvm::json::Value &V, StringRef Key, double &Out) {
  if (auto D = V.getAsNumber()) {
    if (*D < 0 || *D > 1)
      return badKey(Key, "must be between 0 and 1");
    Out = *D;
    return llvm::Error::success();
  }
  return badKey(Key, "expected a number");
}
} // namespace

llvm::Error atm::mock::applyJson(MockLimits &L, const llvm::json::Object &O) {
  MockLimits N = L;
  for (const auto &KV : O) {
    StringRef K = KV.first;
    int64_t *Field = llvm::StringSwitch<int64_t *>(K)
                         .Case("code_lifetime_sec", &N.CodeLifetimeSec)
                         .Case("access_token_lifetime_sec", &N.AccessTokenLifetimeSec)
                         .Case("max_access_tokens_per_refresh_token",
                               &N.MaxAccessTokensPerRefreshToken)
                         .Case("token_requests_per_window", &N.TokenRequestsPerWindow)
                         .Case("throttle_window_sec", &N.ThrottleWindowSec)
                         .Case("max_refresh_tokens_per_user", &N.MaxRefreshTokensPerUser)
                         .Case("max_codes", &N.MaxCodes)
                         .Case("max_access_tokens", &N.MaxAccessTokens)
                         .Case("max_refresh_tokens", &N.MaxRefreshTokens)
                         .Default(nullptr);
    if (!Field)
      return badKey(K, "unknown limit");
    if (llvm::Error E = getInt(KV.second, K, *Field))
      return E;
  }
  std::string Problem = limitsProblem(N);
  if (!Problem.empty())
    return llvm::createStringError(llvm::inconvertibleErrorCode(), Problem);
  L = N;
  return llvm::Error::success();
}

llvm::Error atm::mock::applyJson(MockFaults &F, const llvm::json::Object &O) {
  MockFaults N = F;
  for (const auto &KV : O) {
    StringRef K = KV.first;
    const llvm::json::Value &V = KV.second;
    llvm::Error E = llvm::Error::success();
    if (K == "latency_ms") {
      E = getInt(V, K, N.LatencyMs);
      if (!E && N.LatencyMs > 60000)
        E = badKey(K, "must be at most 60000");
    } else if (K == "error_rate") {
      E = getRate(V, K, N.ErrorRate);
    } else if (K == "drop_rate") {
      E = getRate(V, K, N.DropRate);
    } else if (K == "missing_expires_in_rate") {
      E = getRate(V, K, N.MissingExpiresInRate);
    } else if (K == "error_status" || K == "status") {
      int64_t S = 0;
      E = getInt(V, K, S);
      if (!E && (S < 500 || S > 599))
        E = badKey(K, "must be a 5xx status");
      N.ErrorStatus = static_cast<int>(S);
    } else if (K == "fail_next_token_requests") {
      E = getInt(V, K, N.FailNextTokenRequests);
    } else if (K == "drop_next_token_requests") {
      E = getInt(V, K, N.DropNextTokenRequests);
    } else if (K == "missing_expires_in_next") {
      E = getInt(V, K, N.MissingExpiresInNext);
    } else if (K == "scope") {
      auto S = V.getAsString();
      if (S && *S == "all")
        N.Scope = FaultScope::All;
      else if (S && *S == "token")
        N.Scope = FaultScope::Token;
      else if (S && *S == "resource")
        N.Scope = FaultScope::Resource;
      else
        E = badKey(K, "expected \"all\", \"token\" or \"resource\"");
    } else {
      E = badKey(K, "unknown fault setting");
    }
    if (E)
      return E;
  }
  F = N;
  return llvm::Error::success();
}

llvm::Error atm::mock::parseExpiresInStyle(StringRef Name, ExpiresInStyle &Out) {
  if (Name == "seconds" || Name == "s") {
    Out = ExpiresInStyle::Seconds;
  } else if (Name == "milliseconds" || Name == "ms") {
    Out = ExpiresInStyle::Milliseconds;
  } else {
    return badKey("expires_in_style", "expected \"seconds\" or \"milliseconds\"");
  }
  return llvm::Error::success();
}

llvm::Error atm::mock::parsePublicUrls(StringRef Name, PublicUrls &Out) {
  if (Name == "zoho") {
    Out = PublicUrls::Zoho;
  } else if (Name == "local") {
    Out = PublicUrls::Local;
  } else {
    return badKey("public_urls", "expected \"zoho\" or \"local\"");
  }
  return llvm::Error::success();
}
