//===- MockServer.cpp - HTTP front end of the mock Zoho servers -----------===//
//
// The only translation unit that includes httplib.h. Every request goes through one
// catch-all handler per method (cheap `.*` patterns) and is dispatched here by Host
// header / path prefix, so the route table lives in one place.
//
//===----------------------------------------------------------------------===//

#include "mock/MockServer.h"
#include "mock/MockRouting.h"

#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <fmt/format.h>
#include <httplib.h>

#include <condition_variable>
#include <ctime>
#include <deque>
#include <mutex>
#include <thread>

using namespace atm::mock;
using llvm::StringRef;
namespace json = llvm::json;

namespace {

/// What the handler learned about a request, read back by the access logger (which
/// cpp-httplib calls on the same worker thread right after the handler).
struct LogNote {
  bool Set = false;
  std::string Role, Dc, Product, Outcome;
};
thread_local LogNote CurrentNote;

const std::string *findParam(const httplib::Request &Req, StringRef Name) {
  auto It = Req.params.find(Name.str());
  return It == Req.params.end() ? nullptr : &It->second;
}

std::string jsonText(const json::Value &V) {
  std::string S;
  llvm::raw_string_ostream OS(S);
  OS << V;
  return OS.str();
}

/// A scalar from a query string: integer, number, boolean or string.
json::Value scalarFromText(const std::string &S) {
  StringRef R(S);
  long long I;
  if (!R.getAsInteger(10, I))
    return static_cast<int64_t>(I);
  double D;
  if (!R.getAsDouble(D))
    return D;
  if (R == "true" || R == "false")
    return R == "true";
  return S;
}

} // namespace

bool atm::mock::isLoopbackHost(StringRef Host) {
  return Host == "localhost" || Host == "::1" || Host == "[::1]" ||
         Host.startswith("127.");
}

class MockServer::Impl {
public:
  Impl(MockConfig Config, MockServerOptions Options)
      : DefaultDc(Config.DefaultDc), State(std::move(Config)), Opts(std::move(Options)) {}

  llvm::Error start();
  void stop();
  void wait();

  std::string DefaultDc;
  MockState State;
  MockServerOptions Opts;
  httplib::Server Svr;
  std::thread Thread;
  std::thread Saver;
  int Port = 0;
  bool Started = false;

  std::mutex StopMu;
  std::condition_variable StopCv;
  bool Stopping = false;
  bool Stopped = false;

  std::mutex LogMu;
  std::deque<std::string> Recent; ///< last log lines, for GET /__admin/requests

private:
  void handle(const httplib::Request &Req, httplib::Response &Res);
  void logRequest(const httplib::Request &Req, const httplib::Response &Res);
  void send(httplib::Response &Res, const Answer &A);
  bool accounts(const httplib::Request &Req, httplib::Response &Res, const Route &R);
  void admin(const httplib::Request &Req, httplib::Response &Res);
  void saverLoop();
};

void MockServer::Impl::send(httplib::Response &Res, const Answer &A) {
  Res.status = A.Status;
  if (!A.Location.empty())
    Res.set_header("Location", A.Location);
  if (!A.ContentType.empty())
    Res.set_content(A.Body, A.ContentType.c_str());
  CurrentNote.Outcome = A.Outcome;
}

llvm::Error MockServer::Impl::start() {
  if (!Opts.AllowRemote && !isLoopbackHost(Opts.Host))
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "refusing to bind non-loopback host '%s' "
                                   "(use --allow-remote)",
                                   Opts.Host.c_str());
  if (!Opts.StatePath.empty())
    if (llvm::Error E = State.loadFrom(Opts.StatePath))
      return E;

  unsigned Threads = Opts.Threads ? Opts.Threads : 8;
  Svr.new_task_queue = [Threads] { return new httplib::ThreadPool(Threads); };
  Svr.set_payload_max_length(Opts.MaxBodyBytes);
  Svr.set_keep_alive_max_count(100000);
  Svr.set_keep_alive_timeout(5);
  Svr.set_read_timeout(5, 0);
  Svr.set_tcp_nodelay(true);
  auto H = [this](const httplib::Request &Req, httplib::Response &Res) { handle(Req, Res); };
  Svr.Get(".*", H);
  Svr.Post(".*", H);
  Svr.Put(".*", H);
  Svr.Patch(".*", H);
  Svr.Delete(".*", H);
  Svr.Options(".*", H);
  // A POST with neither Content-Length nor Transfer-Encoding has an empty body (RFC
  // 9112 §6.3), but cpp-httplib 0.11 would wait for EOF and answer 400 after the read
  // timeout. `curl -X POST URL` sends exactly that, so serve such requests before
  // httplib tries to read a body.
  Svr.set_pre_routing_handler([this](const httplib::Request &Req, httplib::Response &Res) {
    if ((Req.method == "POST" || Req.method == "PUT" || Req.method == "PATCH") &&
        !Req.has_header("Content-Length") && !Req.has_header("Transfer-Encoding")) {
      handle(Req, Res);
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });
  Svr.set_exception_handler(
      [](const httplib::Request &, httplib::Response &Res, std::exception_ptr) {
        Res.status = 500;
        Res.set_content(R"({"error":"internal_error"})", "application/json");
        CurrentNote.Outcome = "exception";
      });
  Svr.set_logger([this](const httplib::Request &Req, const httplib::Response &Res) {
    logRequest(Req, Res);
  });

  int P = Opts.Port == 0 ? Svr.bind_to_any_port(Opts.Host)
                         : (Svr.bind_to_port(Opts.Host, Opts.Port) ? Opts.Port : -1);
  if (P <= 0)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "cannot bind %s:%d", Opts.Host.c_str(), Opts.Port);
  Port = P;
  std::string HostForUrl = Opts.Host.find(':') != std::string::npos &&
                                   Opts.Host.front() != '['
                               ? "[" + Opts.Host + "]"
                               : Opts.Host;
  State.setLocalBase(fmt::format("http://{}:{}", HostForUrl, Port));
  // The socket is listening once bind returns, so clients may connect immediately;
  // listen_after_bind() only starts accepting on the worker thread.
  Thread = std::thread([this] {
    try {
      Svr.listen_after_bind();
    } catch (...) {
    }
  });
  // Svr.stop() is a no-op until the listen loop is running, so a stop() right after
  // start() would otherwise leave the loop (and the join) hanging.
  for (int I = 0; I < 5000 && !Svr.is_running(); ++I)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  if (!Opts.StatePath.empty())
    Saver = std::thread([this] { saverLoop(); });
  Started = true;
  return llvm::Error::success();
}

void MockServer::Impl::saverLoop() {
  std::unique_lock<std::mutex> L(StopMu);
  while (!Stopping) {
    StopCv.wait_for(L, std::chrono::seconds(1));
    if (State.dirty()) {
      L.unlock();
      if (llvm::Error E = State.saveTo(Opts.StatePath))
        fmt::print(stderr, "mock-server: {}\n", llvm::toString(std::move(E)));
      L.lock();
    }
  }
}

void MockServer::Impl::stop() {
  {
    std::lock_guard<std::mutex> L(StopMu);
    if (Stopped)
      return;
    Stopping = true;
  }
  StopCv.notify_all();
  if (Started) {
    Svr.stop();
    if (Thread.joinable())
      Thread.join();
    if (Saver.joinable())
      Saver.join();
    if (!Opts.StatePath.empty())
      if (llvm::Error E = State.saveTo(Opts.StatePath))
        fmt::print(stderr, "mock-server: {}\n", llvm::toString(std::move(E)));
  }
  {
    std::lock_guard<std::mutex> L(StopMu);
    Stopped = true;
  }
  StopCv.notify_all();
}

void MockServer::Impl::wait() {
  std::unique_lock<std::mutex> L(StopMu);
  StopCv.wait(L, [this] { return Stopped; });
}

void MockServer::Impl::logRequest(const httplib::Request &Req,
                                  const httplib::Response &Res) {
  LogNote Note = std::move(CurrentNote);
  CurrentNote = LogNote();
  if (!Opts.Log && !Opts.Admin)
    return;
  auto Now = SysClock::now();
  std::time_t T = SysClock::to_time_t(Now);
  std::tm Tm{};
  gmtime_r(&T, &Tm);
  int Ms = static_cast<int>(
      std::chrono::duration_cast<std::chrono::milliseconds>(Now.time_since_epoch()).count() %
      1000);
  // Only the path (never the query string, a body or a header value) is logged, and
  // token-like path segments are redacted.
  std::string Line = fmt::format(
      "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z {} {} role={} dc={} product={} "
      "status={} outcome={}\n",
      Tm.tm_year + 1900, Tm.tm_mon + 1, Tm.tm_mday, Tm.tm_hour, Tm.tm_min, Tm.tm_sec, Ms,
      Req.method, redactPath(Req.path), Note.Set ? Note.Role : "-",
      Note.Set && !Note.Dc.empty() ? Note.Dc : "-",
      Note.Set && !Note.Product.empty() ? Note.Product : "-", Res.status,
      Note.Outcome.empty() ? (Note.Set ? "-" : "rejected") : Note.Outcome);
  if (Opts.Log)
    std::fputs(Line.c_str(), Opts.Log);
  if (Opts.Admin) {
    std::lock_guard<std::mutex> L(LogMu);
    Recent.push_back(std::move(Line));
    if (Recent.size() > 1000)
      Recent.pop_front();
  }
}

void MockServer::Impl::handle(const httplib::Request &Req, httplib::Response &Res) {
  CurrentNote = LogNote();
  CurrentNote.Set = true;
  try {
    Route R = resolveRoute(Req.get_header_value("Host"), Req.path, DefaultDc);
    CurrentNote.Role = routeRoleName(R.Role).str();
    CurrentNote.Dc = R.Role == RouteRole::Admin ? "" : R.Dc;
    if (R.Role == RouteRole::Admin) {
      CurrentNote.Product = "admin";
      if (!Opts.Admin) {
        send(Res, Answer{404, R"({"error":"admin_disabled","error_description":"start the mock with --admin"})",
                         "application/json", "", "admin_disabled"});
        return;
      }
      admin(Req, Res);
      return;
    }

    // Malformed percent-encoding in the query or a form body is a client error.
    size_t QPos = Req.target.find('?');
    bool FormBody = Req.get_header_value("Content-Type").find(
                        "application/x-www-form-urlencoded") == 0;
    if ((QPos != std::string::npos &&
         !wellFormedUrlEncoding(StringRef(Req.target).drop_front(QPos + 1))) ||
        (FormBody && !wellFormedUrlEncoding(Req.body))) {
      send(Res, Answer{400, R"({"error":"invalid_request","error_description":"malformed percent-encoding"})",
                       "application/json", "", "malformed_encoding"});
      return;
    }

    bool IsAccounts = R.Role == RouteRole::Accounts || R.Role == RouteRole::Local;
    bool IsToken = IsAccounts && R.Path == "/oauth/v2/token" && Req.method == "POST";
    bool IsResource = !IsAccounts || (R.Role == RouteRole::Local && isResourcePath(R));
    FaultDecision F = State.decideFaults(IsToken, IsResource);
    if (F.LatencyMs > 0)
      std::this_thread::sleep_for(std::chrono::milliseconds(F.LatencyMs));
    if (F.Drop) {
      // Headers announce a body that never comes: the client sees the connection
      // close mid-response, like a dropped connection.
      CurrentNote.Outcome = "fault:dropped";
      Res.set_content_provider(
          64, "application/json",
          [](size_t, size_t, httplib::DataSink &) { return false; });
      return;
    }
    if (F.ErrorStatus) {
      send(Res, Answer{F.ErrorStatus, R"({"status":"failure","error":"mock_injected_fault"})",
                       "application/json", "", fmt::format("fault:{}", F.ErrorStatus)});
      return;
    }
    if (IsToken) {
      TokenParams P;
      P.GrantType = findParam(Req, "grant_type");
      P.ClientId = findParam(Req, "client_id");
      P.ClientSecret = findParam(Req, "client_secret");
      P.Code = findParam(Req, "code");
      P.RefreshToken = findParam(Req, "refresh_token");
      P.RedirectUri = findParam(Req, "redirect_uri");
      P.Scope = findParam(Req, "scope");
      P.CodeVerifier = findParam(Req, "code_verifier");
      CurrentNote.Product = "accounts";
      send(Res, State.token(P, R.Dc, F.OmitExpiresIn));
      return;
    }
    if (IsAccounts && accounts(Req, Res, R))
      return;
    if (R.Role == RouteRole::Accounts) {
      CurrentNote.Product = "accounts";
      send(Res, Answer{404, R"({"error":"not_found"})", "application/json", "", "not_found"});
      return;
    }
    // Named lambdas: ResourceRequest holds function_refs, which must not outlive them.
    auto ParamFn = [&](StringRef N) { return findParam(Req, N); };
    auto HeaderFn = [&](StringRef N) { return Req.get_header_value(N.str().c_str()); };
    ResourceRequest RR{Req.method, &R, ParamFn, HeaderFn};
    ResourceAnswer RA = handleResource(State, RR);
    CurrentNote.Product = RA.Product;
    send(Res, RA.A);
  } catch (const std::exception &E) {
    Res.status = 500;
    Res.set_content(R"({"error":"internal_error"})", "application/json");
    CurrentNote.Outcome = "exception";
  }
}

/// Accounts endpoints other than the token grant. Returns false if \p R.Path is none.
bool MockServer::Impl::accounts(const httplib::Request &Req, httplib::Response &Res,
                                const Route &R) {
  const std::string &P = R.Path;
  auto MethodNotAllowed = [&](StringRef Allow) {
    Res.set_header("Allow", Allow.str());
    send(Res, Answer{405, R"({"error":"method_not_allowed"})", "application/json", "",
                     "method_not_allowed"});
    return true;
  };
  if (P == "/oauth/v2/token" || P == "/oauth/v2/token/revoke" || P == "/oauth/v2/revoke/token" ||
      P == "/oauth/v2/auth" || P == "/oauth/user/info" || P == "/oauth/serverinfo" ||
      P == "/apiauthtoken/nb/create" || P == "/apiauthtoken/create" ||
      StringRef(P).startswith("/oauth/v2/token/self/") ||
      StringRef(P).startswith("/oauth/v2/token/external/"))
    CurrentNote.Product = "accounts";
  else
    return false;

  if (P == "/oauth/v2/token")
    return MethodNotAllowed("POST"); // POST was handled by the caller
  if (P == "/oauth/v2/token/revoke" || P == "/oauth/v2/revoke/token") {
    if (Req.method != "POST")
      return MethodNotAllowed("POST");
    send(Res, State.revoke(findParam(Req, "token")));
    return true;
  }
  if (P == "/oauth/v2/auth") {
    if (Req.method != "GET" && Req.method != "POST")
      return MethodNotAllowed("GET");
    AuthParams A;
    auto Get = [&](const char *Name, std::string &Out, bool *Has = nullptr) {
      const std::string *V = findParam(Req, Name);
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
    send(Res, State.authorize(A, R.Dc));
    return true;
  }
  if (P == "/oauth/user/info") {
    if (Req.method != "GET")
      return MethodNotAllowed("GET");
    std::string Auth = StringRef(Req.get_header_value("Authorization")).trim().str();
    StringRef A(Auth);
    std::string Token;
    bool Legacy = false;
    if (A.startswith_insensitive("Zoho-oauthtoken ") || A.startswith_insensitive("Bearer "))
      Token = A.drop_front(A.find(' ') + 1).trim().str();
    else if (A.startswith_insensitive("Zoho-authtoken") || findParam(Req, "authtoken"))
      Legacy = true;
    send(Res, State.userInfo(Token, Legacy, R.Dc));
    return true;
  }
  if (P == "/oauth/serverinfo") {
    json::Object Locations;
    for (const DataCentre &D : dataCentres())
      Locations[D.Code] = std::string("https://") + D.Accounts;
    send(Res, Answer{200, jsonText(json::Object{{"result", "success"},
                                                 {"locations", std::move(Locations)}}),
                     "application/json;charset=UTF-8", "", "serverinfo"});
    return true;
  }
  if (P == "/apiauthtoken/nb/create" || P == "/apiauthtoken/create") {
    State.countResource(AccessOutcome::LegacyAuthtoken);
    send(Res, legacyAuthtokenCreateAnswer(State.now()));
    return true;
  }
  // authtooauth migration grants: authtokens are retired, so nothing can be migrated.
  send(Res, Answer{200, R"({"error":"access_denied"})", "application/json;charset=UTF-8",
                   "", "authtooauth:access_denied"});
  return true;
}

void MockServer::Impl::admin(const httplib::Request &Req, httplib::Response &Res) {
  StringRef P = StringRef(Req.path).drop_front(strlen("/__admin"));
  bool Post = Req.method == "POST";
  bool Get = Req.method == "GET";
  auto Reply = [&](int Status, json::Value V, StringRef Outcome) {
    send(Res, Answer{Status, jsonText(V), "application/json", "", ("admin:" + Outcome).str()});
  };
  auto Fail = [&](int Status, StringRef Error, const std::string &Why) {
    Reply(Status, json::Object{{"error", Error}, {"error_description", Why}}, Error);
  };
  // The request object: the JSON body (if any) plus query parameters.
  json::Object Body;
  if (!Req.body.empty()) {
    auto V = json::parse(Req.body);
    if (!V) {
      Fail(400, "invalid_json", llvm::toString(V.takeError()));
      return;
    }
    if (json::Object *O = V->getAsObject()) {
      Body = std::move(*O);
    } else {
      Fail(400, "invalid_json", "expected a JSON object");
      return;
    }
  }
  for (const auto &KV : Req.params)
    if (!Body.get(KV.first))
      Body[KV.first] = scalarFromText(KV.second);

  auto Expect = [&](llvm::Expected<json::Object> R, StringRef Outcome) {
    if (!R)
      Fail(400, "invalid_request", llvm::toString(R.takeError()));
    else
      Reply(200, std::move(*R), Outcome);
  };
  auto Apply = [&](llvm::Error E, StringRef Outcome) {
    if (E)
      Fail(400, "invalid_request", llvm::toString(std::move(E)));
    else
      Reply(200, State.adminSettings(), Outcome);
  };

  if (P == "/health" && Get) {
    Reply(200, json::Object{{"status", "ok"}, {"port", Port}}, "health");
  } else if (P == "/clock" && Get) {
    Reply(200, State.adminClock(), "clock");
  } else if (P == "/clock/advance" && Post) {
    double Secs = Body.getNumber("seconds").getValueOr(0) +
                  Body.getNumber("minutes").getValueOr(0) * 60 +
                  Body.getNumber("hours").getValueOr(0) * 3600 +
                  Body.getNumber("milliseconds").getValueOr(0) / 1000.0;
    if (Secs <= 0) {
      Fail(400, "invalid_request", "give a positive seconds= (or minutes/hours/milliseconds)");
      return;
    }
    State.advanceClock(std::chrono::milliseconds(static_cast<int64_t>(Secs * 1000)));
    Reply(200, State.adminClock(), "clock_advance");
  } else if (P == "/stats" && Get) {
    Reply(200, State.adminStats(), "stats");
  } else if (P == "/stats/reset" && Post) {
    State.resetStats();
    Reply(200, State.adminStats(), "stats_reset");
  } else if (P == "/tokens" && Get) {
    Reply(200, State.adminTokens(), "tokens");
  } else if (P == "/codes" && Post) {
    Expect(State.adminMintCode(Body), "mint_code");
  } else if (P == "/refresh-tokens" && Post) {
    Expect(State.adminMintRefreshToken(Body), "mint_refresh_token");
  } else if (P == "/access-tokens" && Post) {
    Expect(State.adminMintAccessToken(Body), "mint_access_token");
  } else if (P == "/revoke" && Post) {
    auto Tok = Body.getString("token");
    if (!Tok) {
      Fail(400, "invalid_request", "token is required");
      return;
    }
    std::string Kind = State.adminRevoke(*Tok);
    if (Kind.empty())
      Fail(404, "unknown_token", "no such token or code");
    else
      Reply(200, json::Object{{"status", "success"}, {"kind", Kind}}, "revoke");
  } else if (P == "/settings" && (Get || Post)) {
    if (Get)
      Reply(200, State.adminSettings(), "settings");
    else
      Apply(State.adminApplySettings(Body), "settings_update");
  } else if (P == "/limits" && (Get || Post)) {
    if (Get)
      Reply(200, State.adminSettings(), "limits");
    else
      Apply(State.adminApplyLimits(Body), "limits_update");
  } else if (P == "/faults" && (Get || Post)) {
    if (Get)
      Reply(200, State.adminSettings(), "faults");
    else
      Apply(State.adminApplyFaults(Body), "faults_update");
  } else if (P == "/reset" && Post) {
    State.reset();
    {
      std::lock_guard<std::mutex> L(LogMu);
      Recent.clear();
    }
    Reply(200, json::Object{{"status", "success"}}, "reset");
  } else if (P == "/requests" && Get) {
    int64_t Limit = Body.getInteger("limit").getValueOr(100);
    json::Array Lines;
    {
      std::lock_guard<std::mutex> L(LogMu);
      size_t Start = Recent.size() > static_cast<size_t>(std::max<int64_t>(Limit, 0))
                         ? Recent.size() - static_cast<size_t>(Limit)
                         : 0;
      for (size_t I = Start; I < Recent.size(); ++I)
        Lines.push_back(StringRef(Recent[I]).rtrim().str());
    }
    Reply(200, json::Object{{"requests", std::move(Lines)}}, "requests");
  } else if (P == "/state/save" && Post) {
    if (Opts.StatePath.empty()) {
      Fail(400, "no_state_file", "start the mock with --state FILE");
      return;
    }
    if (llvm::Error E = State.saveTo(Opts.StatePath))
      Fail(500, "save_failed", llvm::toString(std::move(E)));
    else
      Reply(200, json::Object{{"status", "success"}, {"path", Opts.StatePath}}, "state_save");
  } else {
    Fail(404, "not_found", "no admin endpoint " + Req.method + " " + Req.path);
  }
}

//===----------------------------------------------------------------------===//

MockServer::MockServer(MockConfig Config, MockServerOptions Options)
    : I(std::make_unique<Impl>(std::move(Config), std::move(Options))) {}

MockServer::~MockServer() { stop(); }

llvm::Error MockServer::start() { return I->start(); }
void MockServer::stop() { I->stop(); }
void MockServer::wait() { I->wait(); }
int MockServer::port() const { return I->Port; }
std::string MockServer::url() const {
  return fmt::format("http://127.0.0.1:{}", I->Port);
}
MockState &MockServer::state() { return I->State; }
