/// \file
/// Fuzz target: the mock server's request handling without sockets, through
/// MockServer::serve() — the same code path a request over a connection takes after it
/// was read (body and header budgets, routing, accounts and resource handlers, state,
/// the admin API, the log line). The input is one or more HTTP/1.1 requests as text
/// ("METHOD TARGET HTTP/1.1", header lines, a blank line, the body), separated by lines
/// "~~~". Tokens issued by one request can be used by the next: "@CODE@", "@REFRESH@"
/// and "@ACCESS@" in a later request are replaced by the last code (from a redirect
/// Location or a JSON answer), refresh token and access token seen in an answer.
/// Every answer must have a valid HTTP status, a JSON body when it says JSON, and a log
/// line without a line break.
/// Seeds: tests/fuzz/seeds/mock_request/.

#include <cstdint>
#include <cstdio>
#include <string>

#include "fuzz/FuzzCommon.h"
#include "llvm/Support/JSON.h"
#include "mock/MockConfig.h"
#include "mock/MockServer.h"

using namespace atm::mock;
using llvm::StringRef;

namespace {

MockHttpRequest parseRequest(StringRef Text) {
  MockHttpRequest R;
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
    R.Headers.emplace_back(K.trim().str(), V.trim().str());
  }
  return R;
}

std::string headerOf(const MockHttpResponse &A, StringRef Name) {
  for (const auto &[K, V] : A.Headers)
    if (StringRef(K).equals_insensitive(Name))
      return V;
  return "";
}

struct Session {
  std::string Code, Refresh, Access;

  std::string substitute(std::string S) const {
    for (auto [Name, Value] : {std::pair<StringRef, const std::string *>{"@CODE@", &Code},
                               {"@REFRESH@", &Refresh},
                               {"@ACCESS@", &Access}})
      for (size_t P; (P = S.find(Name.data())) != std::string::npos;)
        S.replace(P, Name.size(), *Value);
    return S;
  }

  void learn(const MockHttpResponse &A) {
    std::string Location = headerOf(A, "Location");
    size_t P = Location.find("code=");
    if (P != std::string::npos)
      Code = StringRef(Location).substr(P + 5).split('&').first.str();
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
};

void checkAnswer(const MockHttpResponse &A) {
  ATM_FUZZ_CHECK(A.Status >= 100 && A.Status <= 599, "HTTP status %d", A.Status);
  if (StringRef(headerOf(A, "Content-Type")).startswith("application/json") && !A.Body.empty()) {
    auto V = llvm::json::parse(A.Body);
    ATM_FUZZ_CHECK(bool(V), "invalid JSON answer: %s", A.Body.c_str());
    llvm::consumeError(V.takeError());
  }
  ATM_FUZZ_CHECK(A.LogLine.find('\n') == std::string::npos &&
                     A.LogLine.find('\r') == std::string::npos,
                 "a log line with a line break: %s", A.LogLine.c_str());
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  StringRef Input(reinterpret_cast<const char *>(Data), Size);
  static std::FILE *DevNull = std::fopen("/dev/null", "w");
  MockServerOptions Opts;
  Opts.Admin = true; // the admin API is part of what is fuzzed
  Opts.Log = DevNull;
  MockServer Server(defaultMockConfig(), Opts);
  Session S;
  llvm::SmallVector<StringRef, 4> Requests;
  Input.split(Requests, "\n~~~\n");
  for (StringRef Text : Requests) {
    MockHttpResponse A = Server.serve(parseRequest(S.substitute(Text.str())));
    checkAnswer(A);
    S.learn(A);
  }
  return 0;
}
