#pragma once
/// \file
/// Helpers for the mock-server tests: an in-process server on an ephemeral port and
/// a small libcurl client (real HTTP over loopback).

#include "mock/MockServer.h"

#include "llvm/Support/JSON.h"

#include <curl/curl.h>
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace atm::mock::test {

struct HttpResult {
  CURLcode Code = CURLE_OK;
  long Status = 0;
  std::string Body;
  std::map<std::string, std::string> Headers; ///< lower-case names

  std::string header(const std::string &Name) const {
    auto It = Headers.find(Name);
    return It == Headers.end() ? "" : It->second;
  }
  llvm::json::Object json() const {
    auto V = llvm::json::parse(Body);
    if (!V) {
      llvm::consumeError(V.takeError());
      ADD_FAILURE() << "not JSON: " << Body;
      return {};
    }
    if (auto *O = V->getAsObject())
      return std::move(*O);
    ADD_FAILURE() << "not a JSON object: " << Body;
    return {};
  }
};

inline size_t curlWrite(char *Ptr, size_t Size, size_t N, void *User) {
  static_cast<std::string *>(User)->append(Ptr, Size * N);
  return Size * N;
}
inline size_t curlHeader(char *Ptr, size_t Size, size_t N, void *User) {
  std::string Line(Ptr, Size * N);
  auto Colon = Line.find(':');
  if (Colon != std::string::npos) {
    std::string Name = Line.substr(0, Colon);
    for (char &C : Name)
      C = static_cast<char>(tolower(C));
    std::string Value = Line.substr(Colon + 1);
    while (!Value.empty() && (Value.front() == ' '))
      Value.erase(0, 1);
    while (!Value.empty() && (Value.back() == '\r' || Value.back() == '\n'))
      Value.pop_back();
    (*static_cast<std::map<std::string, std::string> *>(User))[Name] = Value;
  }
  return Size * N;
}

/// One request. \p Body non-empty with no Content-Type header → form-encoded.
inline HttpResult http(const std::string &Method, const std::string &Url,
                       const std::string &Body = "",
                       const std::vector<std::string> &Headers = {}) {
  HttpResult R;
  CURL *C = curl_easy_init();
  curl_easy_setopt(C, CURLOPT_URL, Url.c_str());
  curl_easy_setopt(C, CURLOPT_CUSTOMREQUEST, Method.c_str());
  curl_easy_setopt(C, CURLOPT_WRITEFUNCTION, curlWrite);
  curl_easy_setopt(C, CURLOPT_WRITEDATA, &R.Body);
  curl_easy_setopt(C, CURLOPT_HEADERFUNCTION, curlHeader);
  curl_easy_setopt(C, CURLOPT_HEADERDATA, &R.Headers);
  curl_easy_setopt(C, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(C, CURLOPT_TIMEOUT, 20L);
  curl_slist *H = nullptr;
  bool HasType = false;
  for (const std::string &X : Headers) {
    H = curl_slist_append(H, X.c_str());
    HasType |= X.rfind("Content-Type", 0) == 0;
  }
  H = curl_slist_append(H, "Expect:");
  if (!Body.empty() || Method == "POST") {
    if (!HasType)
      H = curl_slist_append(H, "Content-Type: application/x-www-form-urlencoded");
    curl_easy_setopt(C, CURLOPT_POSTFIELDS, Body.c_str());
    curl_easy_setopt(C, CURLOPT_POSTFIELDSIZE, static_cast<long>(Body.size()));
  }
  if (Method == "HEAD")
    curl_easy_setopt(C, CURLOPT_NOBODY, 1L);
  curl_easy_setopt(C, CURLOPT_HTTPHEADER, H);
  R.Code = curl_easy_perform(C);
  curl_easy_getinfo(C, CURLINFO_RESPONSE_CODE, &R.Status);
  curl_slist_free_all(H);
  curl_easy_cleanup(C);
  return R;
}

inline std::string urlEncode(const std::string &S) {
  std::string Out;
  for (unsigned char C : S) {
    if (isalnum(C) || C == '-' || C == '_' || C == '.' || C == '~') {
      Out.push_back(static_cast<char>(C));
    } else {
      char Buf[4];
      snprintf(Buf, sizeof(Buf), "%%%02X", C);
      Out += Buf;
    }
  }
  return Out;
}

inline std::string form(const std::vector<std::pair<std::string, std::string>> &Fields) {
  std::string Out;
  for (const auto &[K, V] : Fields) {
    if (!Out.empty())
      Out += "&";
    Out += urlEncode(K) + "=" + urlEncode(V);
  }
  return Out;
}

/// Query parameter \p Name of URL \p Url (decoded), "" if absent.
inline std::string queryParam(const std::string &Url, const std::string &Name) {
  auto Q = Url.find('?');
  if (Q == std::string::npos)
    return "";
  std::string Rest = Url.substr(Q + 1);
  size_t Pos = 0;
  while (Pos <= Rest.size()) {
    size_t Amp = Rest.find('&', Pos);
    std::string Pair = Rest.substr(Pos, Amp == std::string::npos ? std::string::npos : Amp - Pos);
    auto Eq = Pair.find('=');
    if (Pair.substr(0, Eq) == Name) {
      std::string V = Eq == std::string::npos ? "" : Pair.substr(Eq + 1), Out;
      for (size_t I = 0; I < V.size(); ++I) {
        if (V[I] == '%' && I + 2 < V.size()) {
          Out.push_back(static_cast<char>(std::stoi(V.substr(I + 1, 2), nullptr, 16)));
          I += 2;
        } else {
          Out.push_back(V[I] == '+' ? ' ' : V[I]);
        }
      }
      return Out;
    }
    if (Amp == std::string::npos)
      break;
    Pos = Amp + 1;
  }
  return "";
}

inline const char *SelfId = "1000.SELFCLIENT00000000000000000000";
inline const char *SelfSecret = "5e1fc11e00000000000000000000000000000000";
inline const char *WebId = "1000.WEBCLIENT000000000000000000000";
inline const char *WebSecret = "3ebc11e000000000000000000000000000000000";
inline const char *SeedRefresh =
    "1000.00000000000000000000000000000001.5eed5eed5eed5eed5eed5eed5eed5eed";
inline const char *WebRedirect = "http://localhost:8080/callback";

/// A fresh server (default config unless given) with the admin API on.
class MockFixture : public ::testing::Test {
protected:
  void SetUp() override { startWith(defaultMockConfig()); }

  void startWith(MockConfig C, MockServerOptions O = {}) {
    Server.reset();
    O.Admin = true;
    O.Threads = O.Threads == 64 ? 16 : O.Threads;
    Server = std::make_unique<MockServer>(std::move(C), O);
    if (llvm::Error E = Server->start())
      FAIL() << llvm::toString(std::move(E));
    Base = Server->url();
  }

  HttpResult get(const std::string &Path, const std::vector<std::string> &H = {}) {
    return http("GET", Base + Path, "", H);
  }
  HttpResult post(const std::string &Path, const std::string &Body = "",
                  const std::vector<std::string> &H = {}) {
    return http("POST", Base + Path, Body, H);
  }
  HttpResult admin(const std::string &Path, const std::string &Json = "") {
    return http("POST", Base + "/__admin" + Path, Json,
                {"Content-Type: application/json"});
  }
  HttpResult refresh(const std::string &Token = SeedRefresh,
                     const std::string &Id = SelfId, const std::string &Secret = SelfSecret,
                     const std::vector<std::string> &H = {}, const std::string &Prefix = "") {
    return post(Prefix + "/oauth/v2/token",
                form({{"grant_type", "refresh_token"},
                      {"client_id", Id},
                      {"client_secret", Secret},
                      {"refresh_token", Token}}),
                H);
  }
  std::string accessToken() {
    HttpResult R = refresh();
    EXPECT_EQ(R.Status, 200) << R.Body;
    auto Obj = R.json();
    auto S = Obj.getString("access_token");
    return S ? S->str() : "";
  }
  void setLimits(const std::string &Json) {
    HttpResult R = admin("/limits", Json);
    ASSERT_EQ(R.Status, 200) << R.Body;
  }
  void advance(int Seconds) {
    HttpResult R = admin("/clock/advance?seconds=" + std::to_string(Seconds));
    ASSERT_EQ(R.Status, 200) << R.Body;
  }

  std::unique_ptr<MockServer> Server;
  std::string Base;
};

} // namespace atm::mock::test
