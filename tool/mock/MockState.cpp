//===- MockState.cpp - OAuth state machine of the mock server -------------===//

#include "mock/MockState.h"

#include "llvm/Support/JSON.h"

#include "llvm/ADT/Optional.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Base64.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SHA256.h"
#include "llvm/Support/raw_ostream.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <limits>
#include <unistd.h>

using namespace atm::mock;
using llvm::StringRef;
namespace json = llvm::json;
using std::chrono::duration_cast;
using std::chrono::milliseconds;
using std::chrono::seconds;

namespace {

llvm::Error adminError(const std::string &Msg) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), Msg);
}

int64_t toMs(TimePoint T) {
  return duration_cast<milliseconds>(T.time_since_epoch()).count();
}
/// Times in a state file: epoch milliseconds up to about the year 2160, far inside
/// TimePoint's range even after adding the largest clock offset and lifetime.
constexpr int64_t MaxStoredMs = 6'000'000'000'000;
TimePoint fromMs(int64_t Ms) {
  return TimePoint(milliseconds(std::max<int64_t>(0, std::min(Ms, MaxStoredMs))));
}

/// An admin request's optional whole-seconds duration \p Key in [0, MaxDurationSec].
llvm::Expected<llvm::Optional<int64_t>> durationParam(const json::Object &O, StringRef Key) {
  const json::Value *V = O.get(Key);
  if (!V)
    return llvm::None;
  llvm::Optional<int64_t> I = V->getAsInteger();
  if (!I) {
    auto D = V->getAsNumber();
    return llvm::createStringError(
        llvm::inconvertibleErrorCode(),
        D ? "%s must be a whole number of seconds between 0 and %lld (10 years)"
          : "%s must be a number of seconds",
        Key.str().c_str(), static_cast<long long>(MaxDurationSec));
  }
  if (*I < 0 || *I > MaxDurationSec)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "%s must be between 0 and %lld seconds (10 years)",
                                   Key.str().c_str(),
                                   static_cast<long long>(MaxDurationSec));
  return I;
}

std::string joinScopes(const std::vector<std::string> &S, StringRef Sep) {
  std::string Out;
  for (const std::string &X : S) {
    if (!Out.empty())
      Out += Sep;
    Out += X;
  }
  return Out;
}

// JSON string escaping for the hand-formatted hot-path bodies.
void appendJsonString(std::string &Out, StringRef S) {
  // Values can come from the request (a scope, a client id): never invalid JSON.
  std::string Fixed;
  if (!llvm::json::isUTF8(S)) {
    Fixed = llvm::json::fixUTF8(S);
    S = Fixed;
  }
  Out.push_back('"');
  for (char C : S) {
    switch (C) {
    case '"':
      Out += "\\\"";
      break;
    case '\\':
      Out += "\\\\";
      break;
    case '\n':
      Out += "\\n";
      break;
    case '\r':
      Out += "\\r";
      break;
    case '\t':
      Out += "\\t";
      break;
    default:
      if (static_cast<unsigned char>(C) < 0x20)
        Out += fmt::format("\\u{:04x}", static_cast<unsigned char>(C));
      else
        Out.push_back(C);
    }
  }
  Out.push_back('"');
}

std::string errorBody(StringRef Error) {
  std::string B = "{\"error\":";
  appendJsonString(B, Error);
  B += "}";
  return B;
}

Answer tokenError(StringRef Error, StringRef Grant, int Status = 200) {
  Answer A;
  A.Status = Status;
  A.Body = errorBody(Error);
  A.Outcome = (Grant + ":" + Error).str();
  return A;
}

Answer invalidRequest(StringRef What, StringRef Grant) {
  Answer A;
  A.Status = 400;
  std::string B = "{\"error\":\"invalid_request\",\"error_description\":";
  appendJsonString(B, What);
  B += "}";
  A.Body = std::move(B);
  A.Outcome = (Grant + ":invalid_request").str();
  return A;
}

std::string urlEncode(StringRef S) {
  std::string Out;
  for (unsigned char C : S) {
    if (llvm::isAlnum(C) || C == '-' || C == '_' || C == '.' || C == '~')
      Out.push_back(static_cast<char>(C));
    else
      Out += fmt::format("%{:02X}", C);
  }
  return Out;
}

std::string base64Url(llvm::ArrayRef<uint8_t> Bytes) {
  std::string B = llvm::encodeBase64(Bytes);
  for (char &C : B) {
    if (C == '+')
      C = '-';
    else if (C == '/')
      C = '_';
  }
  while (!B.empty() && B.back() == '=')
    B.pop_back();
  return B;
}

bool opCovers(StringRef Have, StringRef Need) {
  if (Have.equals_insensitive("all") || Have.equals_insensitive(Need))
    return true;
  if (Have.equals_insensitive("write"))
    return Need.equals_insensitive("create") || Need.equals_insensitive("update") ||
           Need.equals_insensitive("delete");
  return false;
}

json::Array scopesJson(const std::vector<std::string> &S) {
  json::Array A;
  for (const std::string &X : S)
    A.push_back(X);
  return A;
}

/// Reads "scope" from an admin request: a string ("A,B" / "A B") or an array.
/// Repeated items are dropped.
std::vector<std::string> scopesFrom(const json::Object &O) {
  const json::Value *V = O.get("scope");
  if (!V)
    V = O.get("scopes");
  if (!V)
    return {};
  if (auto S = V->getAsString())
    return splitScopes(*S);
  std::vector<std::string> Out;
  if (const json::Array *A = V->getAsArray())
    for (const json::Value &E : *A)
      if (auto S = E.getAsString())
        Out.push_back(S->str());
  dedupScopes(Out);
  return Out;
}

std::string strOr(const json::Object &O, StringRef Key, StringRef Default = "") {
  if (auto S = O.getString(Key))
    return S->str();
  return Default.str();
}

} // namespace

TimePoint atm::mock::addSeconds(TimePoint T, int64_t Secs) {
  using Rep = TimePoint::rep;
  constexpr Rep PerSec = std::chrono::duration_cast<TimePoint::duration>(seconds(1)).count();
  Rep Base = T.time_since_epoch().count();
  Rep Step;
  if (__builtin_mul_overflow(static_cast<Rep>(Secs), PerSec, &Step))
    Step = Secs < 0 ? std::numeric_limits<Rep>::min() : std::numeric_limits<Rep>::max();
  Rep Sum;
  if (__builtin_add_overflow(Base, Step, &Sum))
    Sum = Step < 0 ? std::numeric_limits<Rep>::min() : std::numeric_limits<Rep>::max();
  return TimePoint(TimePoint::duration(Sum));
}

StringRef atm::mock::accessOutcomeName(AccessOutcome O) {
  switch (O) {
  case AccessOutcome::Ok:
    return "ok";
  case AccessOutcome::NoCredentials:
    return "no_credentials";
  case AccessOutcome::LegacyAuthtoken:
    return "legacy_authtoken";
  case AccessOutcome::InvalidToken:
    return "invalid_token";
  case AccessOutcome::ExpiredToken:
    return "expired_token";
  case AccessOutcome::WrongDc:
    return "wrong_dc";
  case AccessOutcome::ScopeMismatch:
    return "scope_mismatch";
  }
  return "unknown";
}

bool atm::mock::scopeGrants(const std::vector<std::string> &Have,
                            const ScopeNeed &Need) {
  for (StringRef S : Have) {
    size_t First = S.find('.');
    size_t Last = S.rfind('.');
    if (First == StringRef::npos || First == Last)
      continue;
    StringRef Service = S.take_front(First);
    StringRef Resource = S.slice(First + 1, Last);
    StringRef Op = S.drop_front(Last + 1);
    if (!Service.equals_insensitive(Need.Service))
      continue;
    StringRef NeedRes = Need.Resource;
    bool ResOk = Resource.equals_insensitive("fullaccess") ||
                 Resource.equals_insensitive(NeedRes) ||
                 (NeedRes.size() > Resource.size() &&
                  NeedRes.take_front(Resource.size()).equals_insensitive(Resource) &&
                  NeedRes[Resource.size()] == '.');
    if (ResOk && opCovers(Op, Need.Op))
      return true;
  }
  return false;
}

//===----------------------------------------------------------------------===//

MockState::MockState(MockConfig Config)
    : Initial(std::move(Config)), Rng(std::random_device{}()) {
  Cfg = Initial;
  initFromConfig();
}

void MockState::initFromConfig() {
  Codes.clear();
  Refresh.clear();
  Access.clear();
  RefreshByUser.clear();
  Consented.clear();
  CodeOrder.clear();
  AccessOrder.clear();
  RefreshOrder.clear();
  TimePoint Now = SysClock::now() + Offset;
  for (const MockSeedToken &T : Cfg.RefreshTokens) {
    const MockUser *U = findUser(T.User);
    Grant G{T.ClientId, U ? U->Id : T.User,
            T.Dc.empty() ? (U ? U->Dc : Cfg.DefaultDc) : T.Dc, T.Scopes};
    issueRefreshToken(G, Now, T.Token);
    Consented.insert({G.UserId, G.ClientId});
  }
}

TimePoint MockState::now() const {
  std::lock_guard<std::mutex> L(Mu);
  return SysClock::now() + Offset;
}

llvm::Error MockState::tryAdvanceClock(milliseconds By) {
  std::lock_guard<std::mutex> L(Mu);
  constexpr int64_t MaxStepMs = MaxDurationSec * 1000, MaxOffsetMs = MaxClockOffsetSec * 1000;
  if (By.count() <= 0 || By.count() > MaxStepMs)
    return adminError(fmt::format("the clock moves forward by more than 0 and at most {} "
                                  "seconds (10 years) at a time",
                                  MaxDurationSec));
  if (By.count() > MaxOffsetMs - Offset.count())
    return adminError(fmt::format("the clock offset may not exceed {} seconds (100 years)",
                                  MaxClockOffsetSec));
  Offset += By;
  Dirty = true;
  return llvm::Error::success();
}

void MockState::advanceClock(milliseconds By) {
  int64_t Room;
  {
    std::lock_guard<std::mutex> L(Mu);
    Room = MaxClockOffsetSec * 1000 - Offset.count();
  }
  int64_t Ms = std::min({By.count(), MaxDurationSec * 1000, Room});
  if (Ms > 0)
    llvm::consumeError(tryAdvanceClock(milliseconds(Ms)));
}

int64_t MockState::clockOffsetMs() const {
  std::lock_guard<std::mutex> L(Mu);
  return Offset.count();
}

void MockState::setLocalBase(std::string Base) {
  std::lock_guard<std::mutex> L(Mu);
  LocalBase = std::move(Base);
}

const MockClient *MockState::findClient(StringRef Id) const {
  for (const MockClient &C : Cfg.Clients)
    if (C.Id == Id)
      return &C;
  return nullptr;
}

const MockUser *MockState::findUser(StringRef IdOrEmail) const {
  for (const MockUser &U : Cfg.Users)
    if (U.Id == IdOrEmail || (!U.Email.empty() && StringRef(U.Email).equals_insensitive(IdOrEmail)))
      return &U;
  return nullptr;
}

std::string MockState::newToken() {
  // 1000.<32hex>.<32hex>, the shape of Zoho's grant, access and refresh tokens.
  static const char Hex[] = "0123456789abcdef";
  std::string T = "1000.";
  T.reserve(70);
  for (int Part = 0; Part < 2; ++Part) {
    for (int W = 0; W < 2; ++W) {
      uint64_t R = Rng();
      for (int I = 0; I < 16; ++I) {
        T.push_back(Hex[R & 15]);
        R >>= 4;
      }
    }
    if (Part == 0)
      T.push_back('.');
  }
  return T;
}

std::string MockState::accountsServer(StringRef Dc) const {
  const DataCentre *D = findDataCentre(Dc);
  if (Cfg.Urls == PublicUrls::Local && !LocalBase.empty())
    return LocalBase + "/accounts/" + (D ? D->Code : "us");
  return std::string("https://") + (D ? D->Accounts : "accounts.zoho.com");
}

std::string MockState::apiDomain(StringRef Dc) const {
  const DataCentre *D = findDataCentre(Dc);
  if (Cfg.Urls == PublicUrls::Local && !LocalBase.empty())
    return LocalBase + "/zohoapis/" + (D ? D->Code : "us");
  return std::string("https://") + (D ? D->ApiDomain : "www.zohoapis.com");
}

bool MockState::scopesAllowed(const MockClient &C,
                              const std::vector<std::string> &S) const {
  if (S.empty() || !scopeListProblem(S).empty())
    return false;
  if (C.Scopes.empty())
    return true;
  for (const std::string &X : S) {
    bool Found = false;
    for (const std::string &A : C.Scopes)
      Found |= StringRef(A).equals_insensitive(X);
    if (!Found)
      return false;
  }
  return true;
}

std::string MockState::issueRefreshToken(const Grant &G, TimePoint Now,
                                         const std::string &Fixed) {
  std::string Tok = Fixed.empty() ? newToken() : Fixed;
  makeRoom(Refresh, RefreshOrder, Cfg.Limits.MaxRefreshTokens, Now,
           [&](const std::string &K) { dropRefreshToken(K); });
  RefreshRec R;
  static_cast<Grant &>(R) = G;
  R.Created = Now;
  R.Seq = NextSeq++;
  RefreshOrder.Q.emplace_back(Tok, R.Seq);
  Refresh[Tok] = std::move(R);
  auto &List = RefreshByUser[{G.UserId, G.ClientId}];
  List.push_back(Tok);
  int64_t Cap = Cfg.Limits.MaxRefreshTokensPerUser;
  // The 21st refresh token for a user + client invalidates the first (§4.6).
  while (Cap > 0 && static_cast<int64_t>(List.size()) > Cap) {
    std::string Oldest = List.front();
    List.pop_front();
    auto It = Refresh.find(Oldest);
    if (It != Refresh.end()) {
      for (const std::string &A : It->second.AccessTokens)
        Access.erase(A);
      Refresh.erase(It);
    }
  }
  Dirty = true;
  return Tok;
}

std::string MockState::issueAccessToken(const Grant &G, const std::string &RefreshTok,
                                        TimePoint Now) {
  if (++IssueCount % 1024 == 0)
    sweep(Now);
  std::string Tok = newToken();
  AccessRec A;
  static_cast<Grant &>(A) = G;
  A.Expires = addSeconds(Now, Cfg.Limits.AccessTokenLifetimeSec);
  A.RefreshToken = RefreshTok;
  if (!RefreshTok.empty()) {
    auto It = Refresh.find(RefreshTok);
    if (It != Refresh.end()) {
      auto &List = It->second.AccessTokens;
      // Expired or already-gone tokens no longer count as active.
      while (!List.empty()) {
        auto AIt = Access.find(List.front());
        if (AIt != Access.end() && AIt->second.Expires > Now)
          break;
        if (AIt != Access.end())
          Access.erase(AIt);
        List.pop_front();
      }
      List.push_back(Tok);
      int64_t Cap = Cfg.Limits.MaxAccessTokensPerRefreshToken;
      while (Cap > 0 && static_cast<int64_t>(List.size()) > Cap) {
        Access.erase(List.front());
        List.pop_front();
      }
    }
  }
  storeAccess(Tok, std::move(A), Now);
  return Tok;
}

namespace {
int64_t nsOf(TimePoint T) { return T.time_since_epoch().count(); }
} // namespace

template <class Rec, class EraseFn>
void MockState::makeRoom(std::unordered_map<std::string, Rec> &Map, Fifo &Order,
                         int64_t Cap, TimePoint Now, EraseFn Erase) {
  constexpr bool Timed = !std::is_same_v<Rec, RefreshRec>;
  auto Current = [&](const std::string &Key, uint64_t Seq) {
    auto It = Map.find(Key);
    return It != Map.end() && It->second.Seq == Seq;
  };
  while (!Order.Q.empty() && !Current(Order.Q.front().first, Order.Q.front().second))
    Order.Q.pop_front();
  // Entries of records consumed or revoked meanwhile: compact once they dominate.
  if (Order.Q.size() > 2 * Map.size() + 64) {
    std::deque<Fifo::Entry> Kept;
    for (auto &E : Order.Q)
      if (Current(E.first, E.second))
        Kept.push_back(std::move(E));
    Order.Q = std::move(Kept);
  }
  if constexpr (Timed) {
    if (Order.ByExpiry.size() > 2 * Map.size() + 64) {
      decltype(Order.ByExpiry) Fresh;
      for (const auto &KV : Map)
        Fresh.emplace(nsOf(KV.second.Expires), KV.second.Seq, KV.first);
      Order.ByExpiry = std::move(Fresh);
    }
  }
  size_t Max = static_cast<size_t>(std::max<int64_t>(Cap, 1));
  // Full: expired records go first (earliest expiry first), then the oldest live ones.
  if constexpr (Timed) {
    while (Map.size() >= Max && !Order.ByExpiry.empty() &&
           std::get<0>(Order.ByExpiry.top()) <= nsOf(Now)) {
      auto [T, Seq, Key] = Order.ByExpiry.top();
      Order.ByExpiry.pop();
      auto It = Map.find(Key);
      if (It != Map.end() && It->second.Seq == Seq && nsOf(It->second.Expires) == T)
        Erase(Key);
    }
  }
  while (Map.size() >= Max && !Order.Q.empty()) {
    auto E = std::move(Order.Q.front());
    Order.Q.pop_front();
    if (Current(E.first, E.second))
      Erase(E.first);
  }
}

void MockState::storeCode(const std::string &Code, CodeRec R, TimePoint Now) {
  makeRoom(Codes, CodeOrder, Cfg.Limits.MaxCodes, Now,
           [&](const std::string &K) { Codes.erase(K); });
  R.Seq = NextSeq++;
  CodeOrder.Q.emplace_back(Code, R.Seq);
  CodeOrder.ByExpiry.emplace(nsOf(R.Expires), R.Seq, Code);
  Codes[Code] = std::move(R);
  Dirty = true;
}

void MockState::storeAccess(const std::string &Token, AccessRec R, TimePoint Now) {
  makeRoom(Access, AccessOrder, Cfg.Limits.MaxAccessTokens, Now,
           [&](const std::string &K) { dropAccessToken(K); });
  R.Seq = NextSeq++;
  AccessOrder.Q.emplace_back(Token, R.Seq);
  AccessOrder.ByExpiry.emplace(nsOf(R.Expires), R.Seq, Token);
  Access[Token] = std::move(R);
  Dirty = true;
}

void MockState::dropAccessToken(const std::string &Token) {
  auto It = Access.find(Token);
  if (It == Access.end())
    return;
  if (!It->second.RefreshToken.empty()) {
    auto R = Refresh.find(It->second.RefreshToken);
    if (R != Refresh.end()) {
      auto &List = R->second.AccessTokens;
      // Oldest-first eviction: usually the front of its refresh token's list.
      if (!List.empty() && List.front() == Token)
        List.pop_front();
      else
        List.erase(std::remove(List.begin(), List.end(), Token), List.end());
    }
  }
  Access.erase(It);
  Dirty = true;
}

void MockState::dropRefreshToken(const std::string &Token) {
  auto It = Refresh.find(Token);
  if (It == Refresh.end())
    return;
  for (const std::string &A : It->second.AccessTokens)
    Access.erase(A);
  auto &List = RefreshByUser[{It->second.UserId, It->second.ClientId}];
  for (auto L = List.begin(); L != List.end(); ++L)
    if (*L == Token) {
      List.erase(L);
      break;
    }
  Refresh.erase(It);
  Dirty = true;
}

void MockState::sweep(TimePoint Now) {
  // Forget tokens and codes that expired more than ten minutes ago; recently expired
  // ones stay (room permitting) so the log can say "expired_token".
  TimePoint Cutoff = addSeconds(Now, -600);
  std::vector<std::string> Gone;
  for (const auto &KV : Access)
    if (KV.second.Expires < Cutoff)
      Gone.push_back(KV.first);
  for (const std::string &K : Gone)
    dropAccessToken(K);
  for (auto It = Codes.begin(); It != Codes.end();)
    It = It->second.Expires < Cutoff ? Codes.erase(It) : std::next(It);
}

std::string MockState::successBody(const std::string &AccessTok,
                                   const std::string *RefreshTok,
                                   const std::vector<std::string> &Scopes,
                                   StringRef Dc, bool OmitExpiresIn) const {
  int64_t Sec = Cfg.Limits.AccessTokenLifetimeSec;
  bool Ms = Cfg.ExpiresIn == ExpiresInStyle::Milliseconds;
  std::string B;
  B.reserve(320);
  B += "{\"access_token\":\"";
  B += AccessTok;
  B += "\"";
  if (RefreshTok) {
    B += ",\"refresh_token\":\"";
    B += *RefreshTok;
    B += "\"";
  }
  if (Ms && !OmitExpiresIn)
    B += fmt::format(",\"expires_in_sec\":{}", Sec);
  B += ",\"scope\":";
  appendJsonString(B, joinScopes(Scopes, " "));
  B += ",\"api_domain\":";
  appendJsonString(B, apiDomain(Dc));
  B += ",\"token_type\":\"Bearer\"";
  if (!OmitExpiresIn)
    B += fmt::format(",\"expires_in\":{}", Ms ? Sec * 1000 : Sec);
  B += "}";
  return B;
}

//===----------------------------------------------------------------------===//
// Accounts endpoints
//===----------------------------------------------------------------------===//

Answer MockState::authorize(const AuthParams &P, StringRef Dc) {
  std::lock_guard<std::mutex> L(Mu);
  ++St.AuthRequests;
  auto Fail = [](int Status, StringRef Error, StringRef Why) {
    Answer A;
    A.Status = Status;
    std::string B = "{\"error\":";
    appendJsonString(B, Error);
    B += ",\"error_description\":";
    appendJsonString(B, Why);
    B += "}";
    A.Body = std::move(B);
    A.Outcome = ("auth:" + Error).str();
    return A;
  };
  if (!P.HasClientId || P.ClientId.empty())
    return Fail(400, "invalid_request", "client_id is required");
  const MockClient *C = findClient(P.ClientId);
  if (!C)
    return Fail(400, "invalid_client", "unknown client_id");
  if (P.ResponseType != "code")
    return Fail(400, "unsupported_response_type", "response_type must be code");
  if (!C->SelfClient) {
    bool Match = false;
    for (const std::string &U : C->RedirectUris)
      Match |= U == P.RedirectUri;
    // An unregistered redirect URI must not receive the code: answer, don't redirect.
    if (!P.HasRedirectUri || !Match)
      return Fail(400, "invalid_redirect_uri",
                  "redirect_uri does not match a registered URI");
  }
  std::vector<std::string> Scopes = splitScopes(P.Scope);
  if (!C->Dcs.empty() &&
      std::find(C->Dcs.begin(), C->Dcs.end(), Dc.str()) == C->Dcs.end())
    return Fail(400, "invalid_client", "client is not enabled for this data centre");
  std::string Method = P.CodeChallengeMethod.empty() ? "plain" : P.CodeChallengeMethod;
  if (!P.CodeChallenge.empty() && Method != "S256" && Method != "plain")
    return Fail(400, "invalid_request", "code_challenge_method must be S256 or plain");
  if (!P.AccessType.empty() && P.AccessType != "online" && P.AccessType != "offline")
    return Fail(400, "invalid_request", "access_type must be online or offline");

  const MockUser *U = Cfg.AuthUser.empty() ? &Cfg.Users.front() : findUser(Cfg.AuthUser);
  if (!U)
    U = &Cfg.Users.front();
  // Multi-DC: the code belongs to the user's DC, whichever accounts server was asked.
  std::string UserDc = U->Dc;
  std::string Sep = P.RedirectUri.find('?') == std::string::npos ? "?" : "&";
  std::string Loc = P.RedirectUri + Sep;
  if (!scopesAllowed(*C, Scopes)) {
    Answer A;
    A.Status = 302;
    A.Location = Loc + "error=invalid_scope";
    if (!P.State.empty())
      A.Location += "&state=" + urlEncode(P.State);
    A.Outcome = "auth:invalid_scope";
    return A;
  }
  CodeRec R;
  R.ClientId = C->Id;
  R.UserId = U->Id;
  R.Dc = UserDc;
  R.Scopes = Scopes;
  TimePoint Now = SysClock::now() + Offset;
  R.Expires = addSeconds(Now, Cfg.Limits.CodeLifetimeSec);
  R.RedirectUri = P.RedirectUri;
  R.Offline = P.AccessType == "offline";
  R.ForceRefresh = P.Prompt == "consent";
  R.Challenge = P.CodeChallenge;
  R.ChallengeMethod = Method;
  std::string Code = newToken();
  storeCode(Code, std::move(R), Now);

  Answer A;
  A.Status = 302;
  A.Location = Loc + "code=" + urlEncode(Code) + "&location=" + UserDc +
               "&accounts-server=" + urlEncode(accountsServer(UserDc));
  if (!P.State.empty())
    A.Location += "&state=" + urlEncode(P.State);
  A.Outcome = "auth:code_issued";
  return A;
}

Answer MockState::token(const TokenParams &P, StringRef Dc, bool OmitExpiresIn) {
  std::lock_guard<std::mutex> L(Mu);
  ++St.TokenRequests;
  TimePoint Now = SysClock::now() + Offset;
  StringRef GrantType = P.GrantType ? StringRef(*P.GrantType) : StringRef();
  StringRef G = GrantType.empty() ? "token" : GrantType;
  if (GrantType == "authorization_code")
    ++St.AuthorizationCodeGrants;
  else if (GrantType == "refresh_token")
    ++St.RefreshGrants;
  else if (GrantType == "client_credentials")
    ++St.ClientCredentialsGrants;
  else
    ++St.OtherGrants;

  auto Err = [&](Answer A) {
    ++St.TokenErrors;
    return A;
  };
  if (!P.GrantType || P.GrantType->empty())
    return Err(invalidRequest("missing parameter grant_type", G));
  if (GrantType != "authorization_code" && GrantType != "refresh_token" &&
      GrantType != "client_credentials")
    return Err(tokenError("unsupported_grant_type", "token"));
  if (!P.ClientId || P.ClientId->empty())
    return Err(invalidRequest("missing parameter client_id", G));
  const MockClient *C = findClient(*P.ClientId);
  if (!C)
    return Err(tokenError("invalid_client", G));
  if (!C->Dcs.empty() &&
      std::find(C->Dcs.begin(), C->Dcs.end(), Dc.str()) == C->Dcs.end())
    return Err(tokenError("invalid_client", G));
  if (!P.ClientSecret || P.ClientSecret->empty())
    return Err(invalidRequest("missing parameter client_secret", G));
  if (*P.ClientSecret != C->Secret)
    return Err(tokenError("invalid_client_secret", G));

  if (GrantType == "authorization_code") {
    if (!P.Code || P.Code->empty())
      return Err(invalidRequest("missing parameter code", G));
    auto It = Codes.find(*P.Code);
    if (It == Codes.end() || It->second.ClientId != C->Id)
      return Err(tokenError("invalid_code", G));
    // Single use: a code is consumed by any exchange attempt that names it.
    CodeRec R = std::move(It->second);
    Codes.erase(It);
    Dirty = true;
    if (R.Expires <= Now || R.Dc != Dc)
      return Err(tokenError("invalid_code", G));
    if (!C->SelfClient && (!P.RedirectUri || *P.RedirectUri != R.RedirectUri))
      return Err(tokenError("invalid_redirect_uri", G));
    if (!R.Challenge.empty()) {
      if (!P.CodeVerifier || P.CodeVerifier->empty())
        return Err(tokenError("invalid_code", G));
      std::string Computed = *P.CodeVerifier;
      if (R.ChallengeMethod == "S256") {
        auto Hash = llvm::SHA256::hash(llvm::arrayRefFromStringRef(*P.CodeVerifier));
        Computed = base64Url(Hash);
      }
      if (Computed != R.Challenge)
        return Err(tokenError("invalid_code", G));
    }
    std::string RefreshTok;
    std::pair<std::string, std::string> Key{R.UserId, R.ClientId};
    // A refresh token only with offline access, and only on first consent unless
    // prompt=consent (§4.2).
    if (R.Offline && (R.ForceRefresh || !Consented.count(Key))) {
      RefreshTok = issueRefreshToken(R, Now);
      Consented.insert(Key);
    }
    std::string AccessTok = issueAccessToken(R, RefreshTok, Now);
    if (!RefreshTok.empty()) {
      // The first access token counts against the refresh token's request budget.
      Refresh[RefreshTok].Requests.push_back(Now);
    }
    ++St.TokenSuccesses;
    Answer A;
    A.Body = successBody(AccessTok, RefreshTok.empty() ? nullptr : &RefreshTok,
                         R.Scopes, R.Dc, OmitExpiresIn);
    A.Outcome = RefreshTok.empty() ? "authorization_code:ok" : "authorization_code:ok+refresh";
    return A;
  }

  if (GrantType == "refresh_token") {
    if (!P.RefreshToken || P.RefreshToken->empty())
      return Err(invalidRequest("missing parameter refresh_token", G));
    auto It = Refresh.find(*P.RefreshToken);
    // Zoho answers invalid_code for revoked or unknown refresh tokens (§4.5).
    if (It == Refresh.end() || It->second.ClientId != C->Id || It->second.Dc != Dc)
      return Err(tokenError("invalid_code", G));
    RefreshRec &R = It->second;
    int64_t Limit = Cfg.Limits.TokenRequestsPerWindow;
    if (Limit > 0) {
      TimePoint WindowStart = addSeconds(Now, -Cfg.Limits.ThrottleWindowSec);
      while (!R.Requests.empty() && R.Requests.front() <= WindowStart)
        R.Requests.pop_front();
      if (static_cast<int64_t>(R.Requests.size()) >= Limit) {
        ++St.Throttled;
        ++St.TokenErrors;
        Answer A;
        A.Status = 400;
        if (Dc == "cn")
          A.Body = "{\"error_description\":\"您已连续提出过多请求，请稍后再试。\","
                   "\"error\":\"拒绝访问\",\"status\":\"failure\"}";
        else
          A.Body = "{\"error_description\":\"You have made too many requests "
                   "continuously. Please try again after some time.\","
                   "\"error\":\"Access Denied\",\"status\":\"failure\"}";
        A.Outcome = "refresh_token:throttled";
        return A;
      }
      R.Requests.push_back(Now);
    }
    Grant Gr = R; // copy: issueAccessToken may touch the map
    std::string RefreshKey = It->first;
    std::string AccessTok = issueAccessToken(Gr, RefreshKey, Now);
    ++St.TokenSuccesses;
    Answer A;
    A.Body = successBody(AccessTok, nullptr, Gr.Scopes, Gr.Dc, OmitExpiresIn);
    A.Outcome = "refresh_token:ok";
    return A;
  }

  // client_credentials: self-clients only, no refresh token.
  if (!C->SelfClient)
    return Err(tokenError("unauthorized_client", G));
  if (!P.Scope || P.Scope->empty())
    return Err(invalidRequest("missing parameter scope", G));
  std::vector<std::string> Scopes = splitScopes(*P.Scope);
  if (!scopesAllowed(*C, Scopes))
    return Err(tokenError("invalid_scope", G));
  const MockUser *U = C->User.empty() ? &Cfg.Users.front() : findUser(C->User);
  Grant Gr{C->Id, U ? U->Id : "", Dc.str(), Scopes};
  std::string AccessTok = issueAccessToken(Gr, "", Now);
  ++St.TokenSuccesses;
  Answer A;
  A.Body = successBody(AccessTok, nullptr, Scopes, Dc, OmitExpiresIn);
  A.Outcome = "client_credentials:ok";
  return A;
}

std::string MockState::kindOfLocked(StringRef Token) const {
  std::string T = Token.str();
  if (Refresh.count(T))
    return "refresh_token";
  if (Access.count(T))
    return "access_token";
  if (Codes.count(T))
    return "code";
  return "";
}

Answer MockState::revoke(const std::string *Token) {
  std::lock_guard<std::mutex> L(Mu);
  ++St.RevokeRequests;
  Answer A;
  if (!Token || Token->empty()) {
    A.Status = 400;
    A.Body = "{\"error\":\"invalid_request\",\"error_description\":\"missing parameter token\"}";
    A.Outcome = "revoke:invalid_request";
    return A;
  }
  std::string Kind = kindOfLocked(*Token);
  if (Kind == "refresh_token") {
    dropRefreshToken(*Token);
  } else if (Kind == "access_token") {
    dropAccessToken(*Token);
  } else {
    A.Status = 400;
    A.Body = "{\"error\":\"invalid_token\",\"status\":\"failure\"}";
    A.Outcome = "revoke:invalid_token";
    return A;
  }
  A.Body = "{\"status\":\"success\"}";
  A.Outcome = "revoke:" + Kind;
  return A;
}

AccessInfo MockState::checkAccess(StringRef AccessToken, StringRef Dc,
                                  const ScopeNeed &Need) {
  std::lock_guard<std::mutex> L(Mu);
  ++St.ResourceRequests;
  AccessInfo Info;
  auto It = Access.find(AccessToken.str());
  if (It == Access.end()) {
    Info.Outcome = AccessOutcome::InvalidToken;
  } else if (It->second.Expires <= SysClock::now() + Offset) {
    Info.Outcome = AccessOutcome::ExpiredToken;
  } else if (It->second.Dc != Dc) {
    // Tokens are DC-bound (§4.7); the real error is unknown, so it is "invalid".
    Info.Outcome = AccessOutcome::WrongDc;
  } else if (!Need.Service.empty() && !scopeGrants(It->second.Scopes, Need)) {
    Info.Outcome = AccessOutcome::ScopeMismatch;
  } else {
    Info.Outcome = AccessOutcome::Ok;
  }
  if (It != Access.end()) {
    Info.ClientId = It->second.ClientId;
    if (const MockUser *U = findUser(It->second.UserId)) {
      Info.UserId = U->Id;
      Info.Email = U->Email;
      Info.FirstName = U->FirstName;
      Info.LastName = U->LastName;
    }
  }
  if (Info.Outcome == AccessOutcome::Ok)
    ++St.ResourceOk;
  else
    ++St.ResourceDenied;
  return Info;
}

void MockState::countResource(AccessOutcome O) {
  std::lock_guard<std::mutex> L(Mu);
  ++St.ResourceRequests;
  ++St.ResourceDenied;
  if (O == AccessOutcome::LegacyAuthtoken)
    ++St.LegacyAuthtokenRequests;
}

Answer MockState::userInfo(StringRef AccessToken, bool LegacyHeader, StringRef Dc) {
  Answer A;
  {
    std::lock_guard<std::mutex> L(Mu);
    ++St.UserInfoRequests;
  }
  AccessInfo I;
  if (!AccessToken.empty() && !LegacyHeader)
    I = checkAccess(AccessToken, Dc, ScopeNeed{});
  else
    countResource(LegacyHeader ? AccessOutcome::LegacyAuthtoken
                               : AccessOutcome::NoCredentials);
  if (AccessToken.empty() && !LegacyHeader)
    I.Outcome = AccessOutcome::NoCredentials;
  else if (LegacyHeader)
    I.Outcome = AccessOutcome::LegacyAuthtoken;
  A.Outcome = ("userinfo:" + accessOutcomeName(I.Outcome)).str();
  if (I.Outcome != AccessOutcome::Ok) {
    A.Status = 401;
    A.Body = "{\"error\":\"invalid_oauthtoken\",\"status\":\"failure\"}";
    return A;
  }
  std::string B = "{\"First_Name\":";
  appendJsonString(B, I.FirstName);
  B += ",\"Email\":";
  appendJsonString(B, I.Email);
  B += ",\"Last_Name\":";
  appendJsonString(B, I.LastName);
  B += ",\"Display_Name\":";
  appendJsonString(B, I.FirstName + (I.LastName.empty() ? "" : " " + I.LastName));
  B += ",\"ZUID\":" + (llvm::all_of(I.UserId, llvm::isDigit) && !I.UserId.empty()
                           ? I.UserId
                           : "\"" + I.UserId + "\"");
  B += "}";
  A.Body = std::move(B);
  return A;
}

FaultDecision MockState::decideFaults(bool IsTokenRequest, bool IsResource) {
  std::lock_guard<std::mutex> L(Mu);
  FaultDecision D;
  MockFaults &F = Cfg.Faults;
  bool InScope = F.Scope == FaultScope::All ||
                 (F.Scope == FaultScope::Token && IsTokenRequest) ||
                 (F.Scope == FaultScope::Resource && IsResource);
  if (InScope)
    D.LatencyMs = F.LatencyMs;
  std::uniform_real_distribution<double> U(0.0, 1.0);
  if (IsTokenRequest) {
    if (F.DropNextTokenRequests > 0) {
      --F.DropNextTokenRequests;
      D.Drop = true;
    } else if (F.FailNextTokenRequests > 0) {
      --F.FailNextTokenRequests;
      D.ErrorStatus = F.ErrorStatus;
    } else if (F.MissingExpiresInNext > 0) {
      --F.MissingExpiresInNext;
      D.OmitExpiresIn = true;
    }
    if (!D.OmitExpiresIn && F.MissingExpiresInRate > 0 && U(Rng) < F.MissingExpiresInRate)
      D.OmitExpiresIn = true;
  }
  if (InScope && !D.Drop && !D.ErrorStatus) {
    if (F.DropRate > 0 && U(Rng) < F.DropRate)
      D.Drop = true;
    else if (F.ErrorRate > 0 && U(Rng) < F.ErrorRate)
      D.ErrorStatus = F.ErrorStatus;
  }
  if (D.Drop || D.ErrorStatus || D.OmitExpiresIn)
    ++St.FaultsInjected;
  if (D.Drop)
    ++St.DroppedConnections;
  return D;
}

bool MockState::orgAccepted(StringRef OrgId) const {
  if (OrgId.empty())
    return false;
  std::lock_guard<std::mutex> L(Mu);
  if (Cfg.OrgIds.empty())
    return true;
  for (const std::string &O : Cfg.OrgIds)
    if (O == OrgId)
      return true;
  return false;
}

//===----------------------------------------------------------------------===//
// Admin API
//===----------------------------------------------------------------------===//

llvm::Expected<json::Object> MockState::adminMintCode(const json::Object &Req) {
  std::lock_guard<std::mutex> L(Mu);
  const MockClient *C = findClient(strOr(Req, "client_id"));
  if (!C)
    return adminError("unknown client_id");
  std::string UserKey = strOr(Req, "user", C->User.empty() ? Cfg.Users.front().Id : C->User);
  const MockUser *U = findUser(UserKey);
  if (!U)
    return adminError("unknown user '" + UserKey + "'");
  std::vector<std::string> Scopes = scopesFrom(Req);
  if (std::string Why = scopeListProblem(Scopes); !Why.empty())
    return adminError(Why);
  if (!scopesAllowed(*C, Scopes))
    return adminError("scope missing or not allowed for this client");
  auto LifeParam = durationParam(Req, "expires_in");
  if (!LifeParam)
    return LifeParam.takeError();
  CodeRec R;
  R.ClientId = C->Id;
  R.UserId = U->Id;
  R.Dc = strOr(Req, "dc", U->Dc);
  if (!findDataCentre(R.Dc))
    return adminError("unknown dc '" + R.Dc + "'");
  R.Scopes = Scopes;
  R.RedirectUri = strOr(Req, "redirect_uri",
                        C->RedirectUris.empty() ? "" : C->RedirectUris.front());
  std::string AccessType = strOr(Req, "access_type", "offline");
  R.Offline = AccessType == "offline";
  // Like a console-generated self-client code: always yields a refresh token, unless
  // the caller asks for browser-flow semantics with "prompt":"none".
  R.ForceRefresh = strOr(Req, "prompt", "consent") == "consent";
  R.Challenge = strOr(Req, "code_challenge");
  R.ChallengeMethod = strOr(Req, "code_challenge_method", "plain");
  int64_t Life = LifeParam->getValueOr(Cfg.Limits.CodeLifetimeSec);
  TimePoint Now = SysClock::now() + Offset;
  R.Expires = addSeconds(Now, Life);
  std::string Code = newToken();
  storeCode(Code, std::move(R), Now);
  return json::Object{{"code", Code},
                      {"expires_in", Life},
                      {"location", U->Dc},
                      {"accounts-server", accountsServer(U->Dc)}};
}

llvm::Expected<json::Object> MockState::adminMintRefreshToken(const json::Object &Req) {
  std::lock_guard<std::mutex> L(Mu);
  const MockClient *C = findClient(strOr(Req, "client_id"));
  if (!C)
    return adminError("unknown client_id");
  std::string UserKey = strOr(Req, "user", C->User.empty() ? Cfg.Users.front().Id : C->User);
  const MockUser *U = findUser(UserKey);
  if (!U)
    return adminError("unknown user '" + UserKey + "'");
  std::vector<std::string> Scopes = scopesFrom(Req);
  if (std::string Why = scopeListProblem(Scopes); !Why.empty())
    return adminError(Why);
  if (!scopesAllowed(*C, Scopes))
    return adminError("scope missing or not allowed for this client");
  Grant G{C->Id, U->Id, strOr(Req, "dc", U->Dc), Scopes};
  if (!findDataCentre(G.Dc))
    return adminError("unknown dc '" + G.Dc + "'");
  std::string Fixed = strOr(Req, "token");
  if (!Fixed.empty() && kindOfLocked(Fixed) != "")
    return adminError("token already exists");
  std::string Tok = issueRefreshToken(G, SysClock::now() + Offset, Fixed);
  Consented.insert({U->Id, C->Id});
  return json::Object{{"refresh_token", Tok},
                      {"client_id", C->Id},
                      {"user", U->Id},
                      {"dc", G.Dc},
                      {"scope", joinScopes(Scopes, " ")},
                      {"api_domain", apiDomain(G.Dc)},
                      {"accounts-server", accountsServer(G.Dc)}};
}

llvm::Expected<json::Object> MockState::adminMintAccessToken(const json::Object &Req) {
  std::lock_guard<std::mutex> L(Mu);
  auto LifeParam = durationParam(Req, "expires_in");
  if (!LifeParam)
    return LifeParam.takeError();
  std::string RefreshTok = strOr(Req, "refresh_token");
  Grant G;
  if (!RefreshTok.empty()) {
    auto It = Refresh.find(RefreshTok);
    if (It == Refresh.end())
      return adminError("unknown refresh_token");
    G = It->second;
  } else {
    const MockClient *C = findClient(strOr(Req, "client_id"));
    if (!C)
      return adminError("unknown client_id");
    std::string UserKey =
        strOr(Req, "user", C->User.empty() ? Cfg.Users.front().Id : C->User);
    const MockUser *U = findUser(UserKey);
    if (!U)
      return adminError("unknown user '" + UserKey + "'");
    G = Grant{C->Id, U->Id, strOr(Req, "dc", U->Dc), scopesFrom(Req)};
    if (G.Scopes.empty())
      return adminError("scope is required");
    if (std::string Why = scopeListProblem(G.Scopes); !Why.empty())
      return adminError(Why);
    if (!findDataCentre(G.Dc))
      return adminError("unknown dc '" + G.Dc + "'");
  }
  TimePoint Now = SysClock::now() + Offset;
  std::string Tok = issueAccessToken(G, RefreshTok, Now);
  AccessRec &A = Access[Tok];
  if (*LifeParam) {
    A.Expires = addSeconds(Now, **LifeParam);
    AccessOrder.ByExpiry.emplace(nsOf(A.Expires), A.Seq, Tok);
  }
  return json::Object{{"access_token", Tok},
                      {"expires_in", duration_cast<seconds>(A.Expires - Now).count()},
                      {"scope", joinScopes(G.Scopes, " ")},
                      {"dc", G.Dc},
                      {"api_domain", apiDomain(G.Dc)}};
}

std::string MockState::adminRevoke(StringRef Token) {
  std::lock_guard<std::mutex> L(Mu);
  std::string Kind = kindOfLocked(Token);
  if (Kind == "refresh_token")
    dropRefreshToken(Token.str());
  else if (Kind == "access_token")
    dropAccessToken(Token.str());
  else if (Kind == "code")
    Codes.erase(Token.str());
  Dirty = true;
  return Kind;
}

json::Object MockState::adminTokens() const {
  std::lock_guard<std::mutex> L(Mu);
  TimePoint Now = SysClock::now() + Offset;
  json::Array RT, AT, CD;
  for (const auto &KV : Refresh) {
    size_t Live = 0;
    for (const std::string &A : KV.second.AccessTokens) {
      auto It = Access.find(A);
      Live += It != Access.end() && It->second.Expires > Now;
    }
    RT.push_back(json::Object{{"token", KV.first},
                              {"client_id", KV.second.ClientId},
                              {"user", KV.second.UserId},
                              {"dc", KV.second.Dc},
                              {"scope", joinScopes(KV.second.Scopes, " ")},
                              {"created_at", toMs(KV.second.Created) / 1000},
                              {"active_access_tokens", static_cast<int64_t>(Live)},
                              {"requests_in_window",
                               static_cast<int64_t>(KV.second.Requests.size())}});
  }
  for (const auto &KV : Access) {
    if (KV.second.Expires <= Now)
      continue;
    AT.push_back(json::Object{
        {"token", KV.first},
        {"client_id", KV.second.ClientId},
        {"user", KV.second.UserId},
        {"dc", KV.second.Dc},
        {"scope", joinScopes(KV.second.Scopes, " ")},
        {"expires_at", toMs(KV.second.Expires) / 1000},
        {"expires_in", duration_cast<seconds>(KV.second.Expires - Now).count()},
        {"refresh_token", KV.second.RefreshToken.empty()
                              ? json::Value(nullptr)
                              : json::Value(KV.second.RefreshToken)}});
  }
  for (const auto &KV : Codes) {
    if (KV.second.Expires <= Now)
      continue;
    CD.push_back(json::Object{
        {"code", KV.first},
        {"client_id", KV.second.ClientId},
        {"user", KV.second.UserId},
        {"dc", KV.second.Dc},
        {"scope", joinScopes(KV.second.Scopes, " ")},
        {"expires_in", duration_cast<seconds>(KV.second.Expires - Now).count()}});
  }
  return json::Object{{"refresh_tokens", std::move(RT)},
                      {"access_tokens", std::move(AT)},
                      {"codes", std::move(CD)}};
}

json::Object MockState::adminStats() const {
  std::lock_guard<std::mutex> L(Mu);
  auto I = [](uint64_t V) { return static_cast<int64_t>(V); };
  return json::Object{
      {"token_requests", I(St.TokenRequests)},
      {"authorization_code_grants", I(St.AuthorizationCodeGrants)},
      {"refresh_grants", I(St.RefreshGrants)},
      {"client_credentials_grants", I(St.ClientCredentialsGrants)},
      {"other_grants", I(St.OtherGrants)},
      {"token_successes", I(St.TokenSuccesses)},
      {"token_errors", I(St.TokenErrors)},
      {"throttled", I(St.Throttled)},
      {"revoke_requests", I(St.RevokeRequests)},
      {"auth_requests", I(St.AuthRequests)},
      {"userinfo_requests", I(St.UserInfoRequests)},
      {"resource_requests", I(St.ResourceRequests)},
      {"resource_ok", I(St.ResourceOk)},
      {"resource_denied", I(St.ResourceDenied)},
      {"legacy_authtoken_requests", I(St.LegacyAuthtokenRequests)},
      {"faults_injected", I(St.FaultsInjected)},
      {"dropped_connections", I(St.DroppedConnections)},
      {"live_refresh_tokens", static_cast<int64_t>(Refresh.size())},
      {"live_access_tokens", static_cast<int64_t>(Access.size())},
      {"live_codes", static_cast<int64_t>(Codes.size())}};
}

void MockState::resetStats() {
  std::lock_guard<std::mutex> L(Mu);
  St = Stats();
}

json::Object MockState::adminClock() const {
  std::lock_guard<std::mutex> L(Mu);
  TimePoint Now = SysClock::now() + Offset;
  return json::Object{{"now", toMs(Now) / 1000},
                      {"now_ms", toMs(Now)},
                      {"offset_seconds", Offset.count() / 1000.0}};
}

json::Object MockState::adminSettings() const {
  std::lock_guard<std::mutex> L(Mu);
  json::Array Orgs;
  for (const std::string &O : Cfg.OrgIds)
    Orgs.push_back(O);
  return json::Object{{"limits", toJson(Cfg.Limits)},
                      {"faults", toJson(Cfg.Faults)},
                      {"expires_in_style", expiresInStyleName(Cfg.ExpiresIn)},
                      {"public_urls", publicUrlsName(Cfg.Urls)},
                      {"default_dc", Cfg.DefaultDc},
                      {"org_ids", std::move(Orgs)}};
}

llvm::Error MockState::adminApplyLimits(const json::Object &Req) {
  std::lock_guard<std::mutex> L(Mu);
  return applyJson(Cfg.Limits, Req);
}

llvm::Error MockState::adminApplyFaults(const json::Object &Req) {
  std::lock_guard<std::mutex> L(Mu);
  return applyJson(Cfg.Faults, Req);
}

llvm::Error MockState::adminApplySettings(const json::Object &Req) {
  std::lock_guard<std::mutex> L(Mu);
  MockConfig N = Cfg;
  for (const auto &KV : Req) {
    StringRef K = KV.first;
    if (K == "limits" || K == "faults") {
      const json::Object *O = KV.second.getAsObject();
      if (!O)
        return adminError((K + ": expected an object").str());
      if (llvm::Error E = K == "limits" ? applyJson(N.Limits, *O) : applyJson(N.Faults, *O))
        return E;
    } else if (K == "expires_in_style") {
      auto S = KV.second.getAsString();
      if (llvm::Error E = parseExpiresInStyle(S ? *S : "", N.ExpiresIn))
        return E;
    } else if (K == "public_urls") {
      auto S = KV.second.getAsString();
      if (llvm::Error E = parsePublicUrls(S ? *S : "", N.Urls))
        return E;
    } else {
      return adminError((K + ": unknown setting").str());
    }
  }
  Cfg = std::move(N);
  return llvm::Error::success();
}

void MockState::reset() {
  std::lock_guard<std::mutex> L(Mu);
  Cfg = Initial;
  Offset = milliseconds(0);
  St = Stats();
  initFromConfig();
  Dirty = true;
}

//===----------------------------------------------------------------------===//
// Persistence
//===----------------------------------------------------------------------===//

json::Value MockState::saveJson() const {
  std::lock_guard<std::mutex> L(Mu);
  auto GrantJson = [](const Grant &G) {
    return json::Object{{"client_id", G.ClientId},
                        {"user", G.UserId},
                        {"dc", G.Dc},
                        {"scopes", scopesJson(G.Scopes)}};
  };
  json::Array CD, RT, AT, CS;
  for (const auto &KV : Codes) {
    json::Object O = GrantJson(KV.second);
    O["code"] = KV.first;
    O["expires_ms"] = toMs(KV.second.Expires);
    O["redirect_uri"] = KV.second.RedirectUri;
    O["offline"] = KV.second.Offline;
    O["force_refresh"] = KV.second.ForceRefresh;
    O["challenge"] = KV.second.Challenge;
    O["challenge_method"] = KV.second.ChallengeMethod;
    CD.push_back(std::move(O));
  }
  for (const auto &[User, Client] : Consented)
    CS.push_back(json::Array{User, Client});
  // Refresh tokens in per-user order, so the 20-per-user eviction order survives.
  for (const auto &KV : RefreshByUser)
    for (const std::string &Tok : KV.second) {
      auto It = Refresh.find(Tok);
      if (It == Refresh.end())
        continue;
      json::Object O = GrantJson(It->second);
      O["token"] = Tok;
      O["created_ms"] = toMs(It->second.Created);
      json::Array Req, Acc;
      for (TimePoint T : It->second.Requests)
        Req.push_back(toMs(T));
      for (const std::string &A : It->second.AccessTokens)
        Acc.push_back(A);
      O["requests_ms"] = std::move(Req);
      O["access_tokens"] = std::move(Acc);
      RT.push_back(std::move(O));
    }
  for (const auto &KV : Access) {
    json::Object O = GrantJson(KV.second);
    O["token"] = KV.first;
    O["expires_ms"] = toMs(KV.second.Expires);
    O["refresh_token"] = KV.second.RefreshToken;
    AT.push_back(std::move(O));
  }
  return json::Object{{"version", 1},
                      {"clock_offset_ms", static_cast<int64_t>(Offset.count())},
                      {"codes", std::move(CD)},
                      {"refresh_tokens", std::move(RT)},
                      {"access_tokens", std::move(AT)},
                      {"consents", std::move(CS)},
                      {"limits", toJson(Cfg.Limits)},
                      {"expires_in_style", expiresInStyleName(Cfg.ExpiresIn)}};
}

llvm::Error MockState::loadJson(const json::Value &V) {
  const json::Object *Root = V.getAsObject();
  if (!Root || Root->getInteger("version").getValueOr(0) != 1)
    return adminError("state file: not a version-1 mock state");
  auto ReadGrant = [](const json::Object &O, Grant &G) {
    G.ClientId = strOr(O, "client_id");
    G.UserId = strOr(O, "user");
    G.Dc = strOr(O, "dc", "us");
    G.Scopes = scopesFrom(O);
  };
  int64_t OffsetMs = Root->getInteger("clock_offset_ms").getValueOr(0);
  if (OffsetMs < 0 || OffsetMs > MaxClockOffsetSec * 1000)
    return adminError("state file: clock_offset_ms out of range");
  std::lock_guard<std::mutex> L(Mu);
  Codes.clear();
  Refresh.clear();
  Access.clear();
  RefreshByUser.clear();
  Consented.clear();
  CodeOrder.clear();
  AccessOrder.clear();
  RefreshOrder.clear();
  Offset = milliseconds(OffsetMs);
  if (const json::Object *Lim = Root->getObject("limits"))
    if (llvm::Error E = applyJson(Cfg.Limits, *Lim))
      return E;
  if (auto S = Root->getString("expires_in_style"))
    if (llvm::Error E = parseExpiresInStyle(*S, Cfg.ExpiresIn))
      return E;
  if (const json::Array *A = Root->getArray("codes"))
    for (const json::Value &E : *A)
      if (const json::Object *O = E.getAsObject()) {
        CodeRec R;
        ReadGrant(*O, R);
        R.Expires = fromMs(O->getInteger("expires_ms").getValueOr(0));
        R.RedirectUri = strOr(*O, "redirect_uri");
        R.Offline = O->getBoolean("offline").getValueOr(true);
        R.ForceRefresh = O->getBoolean("force_refresh").getValueOr(false);
        R.Challenge = strOr(*O, "challenge");
        R.ChallengeMethod = strOr(*O, "challenge_method", "plain");
        R.Seq = NextSeq++;
        CodeOrder.Q.emplace_back(strOr(*O, "code"), R.Seq);
        CodeOrder.ByExpiry.emplace(nsOf(R.Expires), R.Seq, CodeOrder.Q.back().first);
        Codes[CodeOrder.Q.back().first] = std::move(R);
      }
  if (const json::Array *A = Root->getArray("refresh_tokens"))
    for (const json::Value &E : *A)
      if (const json::Object *O = E.getAsObject()) {
        RefreshRec R;
        ReadGrant(*O, R);
        R.Created = fromMs(O->getInteger("created_ms").getValueOr(0));
        if (const json::Array *Rq = O->getArray("requests_ms"))
          for (const json::Value &T : *Rq)
            R.Requests.push_back(fromMs(T.getAsInteger().getValueOr(0)));
        if (const json::Array *Ac = O->getArray("access_tokens"))
          for (const json::Value &T : *Ac)
            if (auto S = T.getAsString())
              R.AccessTokens.push_back(S->str());
        std::string Tok = strOr(*O, "token");
        RefreshByUser[{R.UserId, R.ClientId}].push_back(Tok);
        R.Seq = NextSeq++;
        RefreshOrder.Q.emplace_back(Tok, R.Seq);
        Refresh[Tok] = std::move(R);
      }
  if (const json::Array *A = Root->getArray("access_tokens"))
    for (const json::Value &E : *A)
      if (const json::Object *O = E.getAsObject()) {
        AccessRec R;
        ReadGrant(*O, R);
        R.Expires = fromMs(O->getInteger("expires_ms").getValueOr(0));
        R.RefreshToken = strOr(*O, "refresh_token");
        R.Seq = NextSeq++;
        AccessOrder.Q.emplace_back(strOr(*O, "token"), R.Seq);
        AccessOrder.ByExpiry.emplace(nsOf(R.Expires), R.Seq, AccessOrder.Q.back().first);
        Access[AccessOrder.Q.back().first] = std::move(R);
      }
  if (const json::Array *A = Root->getArray("consents"))
    for (const json::Value &E : *A)
      if (const json::Array *P = E.getAsArray())
        if (P->size() == 2 && (*P)[0].getAsString() && (*P)[1].getAsString())
          Consented.insert({(*P)[0].getAsString()->str(), (*P)[1].getAsString()->str()});
  return llvm::Error::success();
}

llvm::Error MockState::saveTo(StringRef Path) const {
  // One save at a time, snapshot included: the file ends up with the latest state,
  // never an older snapshot renamed over a newer one.
  std::lock_guard<std::mutex> Save(SaveMu);
  std::string Text;
  {
    llvm::raw_string_ostream OS(Text);
    OS << saveJson();
  }
  Dirty = false;
  // A fresh sibling temp file (created exclusively, mode 0600: it holds tokens),
  // renamed over the target: readers never see a half-written file.
  int FD = -1;
  llvm::SmallString<256> Tmp;
  if (std::error_code EC = llvm::sys::fs::createUniqueFile(
          Path + ".tmp-%%%%%%%%", FD, Tmp, llvm::sys::fs::OF_None, 0600)) {
    Dirty = true;
    return adminError("cannot write state file " + Path.str() + ": " + EC.message());
  }
  bool Ok;
  {
    llvm::raw_fd_ostream OS(FD, /*shouldClose=*/true);
    OS << Text;
    OS.flush();
    Ok = !OS.has_error() && ::fsync(FD) == 0;
    OS.close();
    Ok &= !OS.has_error();
    OS.clear_error();
  }
  if (!Ok || std::rename(Tmp.c_str(), Path.str().c_str()) != 0) {
    std::remove(Tmp.c_str());
    Dirty = true;
    return adminError("cannot write state file " + Path.str());
  }
  return llvm::Error::success();
}

llvm::Error MockState::loadFrom(StringRef Path) {
  if (!llvm::sys::fs::exists(Path))
    return llvm::Error::success();
  auto Buf = llvm::MemoryBuffer::getFile(Path);
  if (!Buf)
    return adminError(Path.str() + ": cannot read: " + Buf.getError().message());
  auto V = json::parse((*Buf)->getBuffer());
  if (!V)
    return adminError(Path.str() + ": " + llvm::toString(V.takeError()));
  if (llvm::Error E = loadJson(*V))
    return adminError(Path.str() + ": " + llvm::toString(std::move(E)));
  Dirty = false;
  return llvm::Error::success();
}
