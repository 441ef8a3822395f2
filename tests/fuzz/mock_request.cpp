/// \file
/// Fuzz target: the mock server's request handling without sockets. The input is one or
/// more HTTP/1.1 requests as text ("METHOD TARGET HTTP/1.1", header lines, a blank line,
/// the body), separated by lines "~~~". Each is dispatched the way
/// MockServer::Impl::handle() does (that function is private to MockServer.cpp and
/// takes cpp-httplib objects), through the public socket-free API it calls:
///   resolveRoute, routeRoleName, redactPath, wellFormedUrlEncoding, isResourcePath,
///   MockState::decideFaults / token / revoke / authorize / userInfo / countResource,
///   legacyAuthtokenCreateAnswer, handleResource (ResourceRequest with Param/Header
///   callbacks), and for /__admin/… the MockState admin calls with the JSON body
///   (adminMintCode, adminMintRefreshToken, adminMintAccessToken, adminRevoke,
///   adminApplySettings, adminApplyLimits, adminApplyFaults, adminTokens, adminStats,
///   adminClock, adminSettings, advanceClock, reset).
/// Tokens issued by one request can be used by the next: "@CODE@", "@REFRESH@" and
/// "@ACCESS@" in a later request are replaced by the last code (from a redirect
/// Location), refresh token and access token seen in an answer.
/// Every answer must have a valid HTTP status and a JSON body when it says JSON.
/// Seeds: tests/fuzz/seeds/mock_request/.

#include <cstdint>
#include <map>
#include <string>

#include "fuzz/FuzzCommon.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/JSON.h"
#include "mock/MockConfig.h"
#include "mock/MockRouting.h"
#include "mock/MockState.h"

using namespace atm::mock;
using llvm::StringRef;

namespace {

struct Request {
  std::string Method, Target, Path, Query, Body;
  std::map<std::string, std::string> Headers; ///< lower-case names
  std::multimap<std::string, std::string> Params;

  std::string header(StringRef Name) const {
    auto It = Headers.find(Name.lower());
    return It == Headers.end() ? std::string() : It->second;
  }
  const std::string *param(StringRef Name) const {
    auto It = Params.find(Name.str());
    return It == Params.end() ? nullptr : &It->second;
  }
};

std::string percentDecode(StringRef S) {
  std::string Out;
  for (size_t I = 0; I < S.size(); ++I) {
    if (S[I] == '+') {
      Out += ' ';
    } else if (S[I] == '%' && I + 2 < S.size() && llvm::isHexDigit(S[I + 1]) &&
               llvm::isHexDigit(S[I + 2])) {
      Out += static_cast<char>(llvm::hexFromNibbles(S[I + 1], S[I + 2]));
      I += 2;
    } else {
      Out += S[I];
    }
  }
  return Out;
}

void parseParams(StringRef S, std::multimap<std::string, std::string> &Out) {
  llvm::SmallVector<StringRef, 8> Pairs;
  S.split(Pairs, '&', -1, false);
  for (StringRef P : Pairs) {
    auto [K, V] = P.split('=');
    Out.emplace(percentDecode(K), percentDecode(V));
  }
}

Request parseRequest(StringRef Text) {
  Request R;
  auto [Head, Body] = Text.split("\n\n");
  if (Head.contains("\r\n\r\n"))
    std::tie(Head, Body) = Text.split("\r\n\r\n");
  R.Body = Body.str();
  llvm::SmallVector<StringRef, 8> Lines;
  Head.split(Lines, '\n');
  if (!Lines.empty()) {
    llvm::SmallVector<StringRef, 3> Parts;
    Lines[0].trim().split(Parts, ' ', 2, false);
    if (Parts.size() > 0)
      R.Method = Parts[0].str();
    if (Parts.size() > 1)
      R.Target = Parts[1].str();
  }
  for (size_t I = 1; I < Lines.size(); ++I) {
    auto [K, V] = Lines[I].split(':');
    R.Headers[K.trim().lower()] = V.trim().str();
  }
  auto [Path, Query] = StringRef(R.Target).split('?');
  R.Path = percentDecode(Path);
  R.Query = Query.str();
  parseParams(Query, R.Params);
  if (StringRef(R.header("Content-Type")).startswith("application/x-www-form-urlencoded"))
    parseParams(R.Body, R.Params);
  return R;
}

Answer reply(int Status, std::string Body) {
  Answer A;
  A.Status = Status;
  A.Body = std::move(Body);
  return A;
}

void checkAnswer(const Answer &A) {
  ATM_FUZZ_CHECK(A.Status >= 100 && A.Status <= 599, "HTTP status %d", A.Status);
  if (StringRef(A.ContentType).startswith("application/json") && !A.Body.empty()) {
    auto V = llvm::json::parse(A.Body);
    ATM_FUZZ_CHECK(bool(V), "invalid JSON answer: %s", A.Body.c_str());
    llvm::consumeError(V.takeError());
  }
}

struct Session {
  MockState State{defaultMockConfig()};
  std::string Code, Refresh, Access;

  std::string substitute(std::string S) const {
    for (auto [Name, Value] : {std::pair<StringRef, const std::string *>{"@CODE@", &Code},
                               {"@REFRESH@", &Refresh},
                               {"@ACCESS@", &Access}})
      for (size_t P; (P = S.find(Name.data())) != std::string::npos;)
        S.replace(P, Name.size(), *Value);
    return S;
  }

  void learn(const Answer &A) {
    size_t P = A.Location.find("code=");
    if (P != std::string::npos)
      Code = StringRef(A.Location).substr(P + 5).split('&').first.str();
    auto V = llvm::json::parse(A.Body);
    if (!V) {
      llvm::consumeError(V.takeError());
      return;
    }
    if (const llvm::json::Object *O = V->getAsObject()) {
      if (auto T = O->getString("access_token"))
        Access = T->str();
      if (auto T = O->getString("refresh_token"))
        Refresh = T->str();
      if (auto T = O->getString("code"))
        Code = T->str();
    }
  }

  Answer admin(const Request &Req, StringRef P) {
    llvm::json::Object Body;
    if (!Req.Body.empty()) {
      auto V = llvm::json::parse(Req.Body);
      if (!V) {
        llvm::consumeError(V.takeError());
        return reply(400, "{}");
      }
      if (llvm::json::Object *O = V->getAsObject())
        Body = std::move(*O);
      else
        return reply(400, "{}");
    }
    auto Obj = [](llvm::json::Object O) {
      std::string S;
      llvm::raw_string_ostream OS(S);
      OS << llvm::json::Value(std::move(O));
      return reply(200, OS.str());
    };
    auto Exp = [&](llvm::Expected<llvm::json::Object> R) {
      if (!R) {
        llvm::consumeError(R.takeError());
        return reply(400, "{}");
      }
      return Obj(std::move(*R));
    };
    auto Err = [&](llvm::Error E) {
      if (E) {
        llvm::consumeError(std::move(E));
        return reply(400, "{}");
      }
      return Obj(State.adminSettings());
    };
    if (P == "/clock/advance") {
      // As MockServer.cpp computes it, bounded: the admin API's own range check is the
      // server's business, not this harness's.
      double Secs = Body.getNumber("seconds").getValueOr(0);
      if (Secs > 0 && Secs < 1e9)
        State.advanceClock(std::chrono::milliseconds(static_cast<int64_t>(Secs * 1000)));
      return Obj(State.adminClock());
    }
    if (P == "/codes")
      return Exp(State.adminMintCode(Body));
    if (P == "/refresh-tokens")
      return Exp(State.adminMintRefreshToken(Body));
    if (P == "/access-tokens")
      return Exp(State.adminMintAccessToken(Body));
    if (P == "/revoke") {
      if (auto T = Body.getString("token"))
        (void)State.adminRevoke(*T);
      return Obj(State.adminTokens());
    }
    if (P == "/settings")
      return Err(State.adminApplySettings(Body));
    if (P == "/limits")
      return Err(State.adminApplyLimits(Body));
    if (P == "/faults")
      return Err(State.adminApplyFaults(Body));
    if (P == "/reset") {
      State.reset();
      return Obj(State.adminStats());
    }
    return Obj(State.adminStats());
  }

  Answer handle(const Request &Req) {
    Route R = resolveRoute(Req.header("Host"), Req.Path, "us");
    (void)routeRoleName(R.Role);
    (void)redactPath(Req.Target);
    if (R.Role == RouteRole::Admin)
      return admin(Req, StringRef(Req.Path).drop_front(std::min<size_t>(Req.Path.size(), 8)));
    bool Form = StringRef(Req.header("Content-Type")).startswith("application/x-www-form-urlencoded");
    if (!wellFormedUrlEncoding(Req.Query) || (Form && !wellFormedUrlEncoding(Req.Body)))
      return reply(400, "{}");
    bool IsAccounts = R.Role == RouteRole::Accounts || R.Role == RouteRole::Local;
    bool IsToken = IsAccounts && R.Path == "/oauth/v2/token" && Req.Method == "POST";
    bool IsResource = !IsAccounts || (R.Role == RouteRole::Local && isResourcePath(R));
    FaultDecision F = State.decideFaults(IsToken, IsResource);
    if (F.Drop || F.ErrorStatus)
      return reply(503, "{}");
    if (IsToken) {
      TokenParams P;
      P.GrantType = Req.param("grant_type");
      P.ClientId = Req.param("client_id");
      P.ClientSecret = Req.param("client_secret");
      P.Code = Req.param("code");
      P.RefreshToken = Req.param("refresh_token");
      P.RedirectUri = Req.param("redirect_uri");
      P.Scope = Req.param("scope");
      P.CodeVerifier = Req.param("code_verifier");
      return State.token(P, R.Dc, F.OmitExpiresIn);
    }
    if (IsAccounts) {
      const std::string &P = R.Path;
      if (P == "/oauth/v2/token/revoke" || P == "/oauth/v2/revoke/token")
        return State.revoke(Req.param("token"));
      if (P == "/oauth/v2/auth") {
        AuthParams A;
        auto Get = [&](const char *Name, std::string &Out, bool *Has = nullptr) {
          const std::string *V = Req.param(Name);
          if (V)
            Out = *V;
          if (Has)
            *Has = V != nullptr;
        };
        Get("client_id", A.ClientId, &A.HasClientId);
        Get("response_type", A.ResponseType);
        Get("redirect_uri", A.RedirectUri, &A.HasRedirectUri);
        Get("scope", A.Scope, &A.HasScope);
        Get("access_type", A.AccessType);
        Get("prompt", A.Prompt);
        Get("state", A.State);
        Get("code_challenge", A.CodeChallenge);
        Get("code_challenge_method", A.CodeChallengeMethod);
        return State.authorize(A, R.Dc);
      }
      if (P == "/oauth/user/info") {
        StringRef Auth = StringRef(Req.header("Authorization")).trim();
        std::string Token;
        bool Legacy = false;
        if (Auth.startswith_insensitive("Zoho-oauthtoken ") || Auth.startswith_insensitive("Bearer "))
          Token = Auth.drop_front(Auth.find(' ') + 1).trim().str();
        else if (Auth.startswith_insensitive("Zoho-authtoken") || Req.param("authtoken"))
          Legacy = true;
        return State.userInfo(Token, Legacy, R.Dc);
      }
      if (P == "/apiauthtoken/nb/create" || P == "/apiauthtoken/create") {
        State.countResource(AccessOutcome::LegacyAuthtoken);
        return legacyAuthtokenCreateAnswer(State.now());
      }
      if (R.Role == RouteRole::Accounts)
        return reply(404, "{}");
    }
    auto ParamFn = [&](StringRef N) { return Req.param(N); };
    auto HeaderFn = [&](StringRef N) { return Req.header(N); };
    ResourceRequest RR{Req.Method, &R, ParamFn, HeaderFn};
    ResourceAnswer RA = handleResource(State, RR);
    return RA.A;
  }
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  StringRef Input(reinterpret_cast<const char *>(Data), Size);
  Session S;
  llvm::SmallVector<StringRef, 4> Requests;
  Input.split(Requests, "\n~~~\n");
  for (StringRef Text : Requests) {
    Request Req = parseRequest(S.substitute(Text.str()));
    Answer A = S.handle(Req);
    checkAnswer(A);
    S.learn(A);
  }
  return 0;
}
