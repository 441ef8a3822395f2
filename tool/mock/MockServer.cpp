//===- MockServer.cpp - HTTP front end of the mock Zoho servers -----------===//
//
// The only translation unit that includes httplib.h. Every request goes through one
// catch-all handler per method (cheap `.*` patterns) and is dispatched here by Host
// header / path prefix, so the route table lives in one place.
//
// Transport guards (cpp-httplib 0.11 has none of them): connections are served by
// GuardedServer, which replaces httplib's per-connection loop with one over a
// ConnStream. That stream gives every request a deadline for arriving whole, caps the
// bytes of the request line + headers and of the body (so a chunked body is refused
// as it streams in), and gives up on slow or idle connections early while other
// connections wait for a worker. The worker pool has a bounded queue: when it is full
// the accept loop waits and new connections queue in the kernel's listen backlog,
// which is sized to the thread count.
//
//===----------------------------------------------------------------------===//

#include "mock/MockServer.h"
#include "mock/MockRouting.h"

#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <fmt/format.h>
#include <httplib.h>

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <condition_variable>
#include <cstring>
#include <ctime>
#include <deque>
#include <mutex>
#include <thread>

using namespace atm::mock;
using llvm::StringRef;
namespace json = llvm::json;
using Steady = std::chrono::steady_clock;

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

//===----------------------------------------------------------------------===//
// Worker pool with a bounded queue
//===----------------------------------------------------------------------===//

class WorkerPool {
public:
  WorkerPool(size_t Threads, size_t MaxQueued) : MaxQueued(std::max<size_t>(MaxQueued, 1)) {
    for (size_t I = 0; I < std::max<size_t>(Threads, 1); ++I)
      Workers.emplace_back([this] { run(); });
  }
  ~WorkerPool() { shutdown(); }

  /// Queues a connection; while the queue is full the caller (httplib's accept loop)
  /// waits, so further connections stay in the kernel's listen backlog.
  void enqueue(std::function<void()> Fn) {
    std::unique_lock<std::mutex> L(Mu);
    Room.wait(L, [&] { return Jobs.size() < MaxQueued || Stopping; });
    Jobs.emplace_back(std::move(Fn), Steady::now());
    OldestQueued.store(Jobs.front().second.time_since_epoch().count());
    Work.notify_one();
  }
  /// enqueue() stops waiting (called before httplib's stop()).
  void beginStop() {
    std::lock_guard<std::mutex> L(Mu);
    Stopping = true;
    Room.notify_all();
  }
  /// Runs what is queued and joins the workers (idempotent).
  void shutdown() {
    {
      std::lock_guard<std::mutex> L(Mu);
      Stopping = Down = true;
    }
    Work.notify_all();
    Room.notify_all();
    for (std::thread &T : Workers)
      if (T.joinable())
        T.join();
  }
  /// Whether a queued connection has waited for a worker for more than 20 ms.
  bool congested() const {
    auto T = OldestQueued.load(std::memory_order_relaxed);
    return T != 0 &&
           Steady::now() - Steady::time_point(Steady::duration(T)) > std::chrono::milliseconds(20);
  }

private:
  void run() {
    for (;;) {
      std::function<void()> Fn;
      {
        std::unique_lock<std::mutex> L(Mu);
        Work.wait(L, [&] { return !Jobs.empty() || Down; });
        if (Jobs.empty())
          return;
        Fn = std::move(Jobs.front().first);
        Jobs.pop_front();
        OldestQueued.store(Jobs.empty() ? 0 : Jobs.front().second.time_since_epoch().count());
        Room.notify_one();
      }
      Fn();
    }
  }

  std::mutex Mu;
  std::condition_variable Work, Room;
  std::deque<std::pair<std::function<void()>, Steady::time_point>> Jobs;
  std::vector<std::thread> Workers;
  size_t MaxQueued;
  bool Stopping = false, Down = false;
  std::atomic<Steady::rep> OldestQueued{0};
};

/// The TaskQueue httplib owns (and deletes): forwards to the server's WorkerPool.
class PoolProxy : public httplib::TaskQueue {
public:
  explicit PoolProxy(WorkerPool &P) : P(P) {}
  void enqueue(std::function<void()> Fn) override { P.enqueue(std::move(Fn)); }
  void shutdown() override { P.shutdown(); }

private:
  WorkerPool &P;
};

//===----------------------------------------------------------------------===//
// Connection stream with a per-request deadline and byte budgets
//===----------------------------------------------------------------------===//

struct ConnLimits {
  Steady::duration RequestTimeout, BusyGrace, ReadIdle, WriteTimeout;
  size_t MaxHeaderBytes;
};

enum class ConnFault { None, Deadline, HeadersTooLarge, BodyTooLarge };

class ConnStream final : public httplib::Stream {
public:
  ConnStream(int Sock, const ConnLimits &L, const WorkerPool &Pool,
             const std::atomic<socket_t> &SvrSock)
      : Sock(Sock), L(L), Pool(Pool), SvrSock(SvrSock) {}

  /// Waits for the next request's first byte: false on EOF, after the keep-alive
  /// timeout, after BusyGrace while other connections wait for a worker, or at stop.
  bool waitForRequest(Steady::duration KeepAlive) {
    if (Off < Len)
      return true;
    auto Start = Steady::now();
    for (;;) {
      if (SvrSock == INVALID_SOCKET)
        return false;
      auto Now = Steady::now();
      if (Now - Start >= KeepAlive || (Pool.congested() && Now - Start >= L.BusyGrace))
        return false;
      int R = pollIn(std::min<Steady::duration>(Start + KeepAlive - Now, Slice));
      if (R > 0)
        return true;
      if (R < 0)
        return false;
    }
  }
  /// A request starts: it must arrive whole within RequestTimeout, and its request
  /// line and headers within MaxHeaderBytes.
  void beginRequest() {
    Start = Steady::now();
    Deadline = Start + L.RequestTimeout;
    Budget = L.MaxHeaderBytes;
    InBody = false;
  }
  /// The headers have been read; the body may take at most \p MaxBytes bytes on the
  /// wire (chunk framing included).
  void beginBody(uint64_t MaxBytes) {
    InBody = true;
    Budget = MaxBytes;
  }
  void closeAfterThisRequest() { CloseAfter = true; }
  ConnFault fault() const { return Fault; }
  bool mustClose() const { return CloseAfter || Fault != ConnFault::None; }

  /// Closes the socket. After an aborted request, the unread rest of it is drained
  /// briefly (discarded; until 50 ms pass without data, at most 500 ms / 4 MiB) so the
  /// client can read the answer instead of a connection reset.
  void close(bool Linger) {
    if (Linger) {
      ::shutdown(Sock, SHUT_WR);
      auto Until = Steady::now() + std::chrono::milliseconds(500);
      size_t Drained = 0;
      char Buf[16384];
      while (Drained < (4u << 20) && Steady::now() < Until) {
        pollfd P{Sock, POLLIN, 0};
        if (::poll(&P, 1, 50) <= 0)
          break;
        ssize_t N = ::recv(Sock, Buf, sizeof(Buf), 0);
        if (N <= 0)
          break;
        Drained += static_cast<size_t>(N);
      }
    }
    ::shutdown(Sock, SHUT_RDWR);
    ::close(Sock);
  }

  bool is_readable() const override { return Off < Len; }
  bool is_writable() const override {
    pollfd P{Sock, POLLOUT, 0};
    return ::poll(&P, 1, toMs(L.WriteTimeout)) > 0 && !(P.revents & (POLLERR | POLLHUP));
  }

  ssize_t read(char *Ptr, size_t Size) override {
    if (Fault != ConnFault::None)
      return -1;
    if (Budget == 0) {
      Fault = InBody ? ConnFault::BodyTooLarge : ConnFault::HeadersTooLarge;
      return -1;
    }
    Size = static_cast<size_t>(std::min<uint64_t>(Size, Budget));
    if (Off >= Len) {
      if (!waitReadable())
        return -1;
      ssize_t N;
      do
        N = ::recv(Sock, Buf, sizeof(Buf), 0);
      while (N < 0 && errno == EINTR);
      if (N <= 0)
        return N;
      Off = 0;
      Len = static_cast<size_t>(N);
    }
    size_t N = std::min(Size, Len - Off);
    std::memcpy(Ptr, Buf + Off, N);
    Off += N;
    Budget -= N;
    return static_cast<ssize_t>(N);
  }

  ssize_t write(const char *Ptr, size_t Size) override {
    if (!is_writable())
      return -1;
    ssize_t N;
    do
      N = ::send(Sock, Ptr, Size, MSG_NOSIGNAL);
    while (N < 0 && errno == EINTR);
    return N;
  }

  void get_remote_ip_and_port(std::string &Ip, int &Port) const override {
    sockaddr_storage A{};
    socklen_t Len = sizeof(A);
    if (::getpeername(Sock, reinterpret_cast<sockaddr *>(&A), &Len) == 0)
      numeric(A, Len, Ip, Port);
  }
  void get_local_ip_and_port(std::string &Ip, int &Port) const override {
    sockaddr_storage A{};
    socklen_t Len = sizeof(A);
    if (::getsockname(Sock, reinterpret_cast<sockaddr *>(&A), &Len) == 0)
      numeric(A, Len, Ip, Port);
  }
  socket_t socket() const override { return Sock; }

private:
  static constexpr std::chrono::milliseconds Slice{100};

  static int toMs(Steady::duration D) {
    auto Ms = std::chrono::duration_cast<std::chrono::milliseconds>(D).count();
    return static_cast<int>(std::clamp<int64_t>(Ms + 1, 0, 60000));
  }
  int pollIn(Steady::duration D) {
    pollfd P{Sock, POLLIN, 0};
    int R;
    do
      R = ::poll(&P, 1, toMs(D));
    while (R < 0 && errno == EINTR);
    return R;
  }
  static void numeric(const sockaddr_storage &A, socklen_t Len, std::string &Ip, int &Port) {
    char Host[NI_MAXHOST], Serv[NI_MAXSERV];
    if (::getnameinfo(reinterpret_cast<const sockaddr *>(&A), Len, Host, sizeof(Host), Serv,
                      sizeof(Serv), NI_NUMERICHOST | NI_NUMERICSERV) == 0) {
      Ip = Host;
      Port = std::atoi(Serv);
    }
  }
  /// Waits until the socket is readable, within the request deadline, ReadIdle since
  /// this wait began, and BusyGrace since the request began if workers are short.
  bool waitReadable() {
    auto Idle = Steady::now() + L.ReadIdle;
    for (;;) {
      auto Now = Steady::now();
      if (SvrSock == INVALID_SOCKET)
        return false;
      if (Now >= Deadline || Now >= Idle ||
          (Pool.congested() && Now - Start >= L.BusyGrace)) {
        Fault = ConnFault::Deadline;
        return false;
      }
      int R = pollIn(std::min({Deadline - Now, Idle - Now, Steady::duration(Slice)}));
      if (R > 0)
        return true;
      if (R < 0)
        return false;
    }
  }

  int Sock;
  const ConnLimits &L;
  const WorkerPool &Pool;
  const std::atomic<socket_t> &SvrSock;
  char Buf[4096];
  size_t Off = 0, Len = 0;
  Steady::time_point Start, Deadline;
  uint64_t Budget = 0;
  bool InBody = false, CloseAfter = false;
  ConnFault Fault = ConnFault::None;
};

/// The connection the current worker thread serves (for the routing hooks).
thread_local ConnStream *CurrentConn = nullptr;

/// httplib::Server with its per-connection loop replaced (same keep-alive rules, but
/// over a ConnStream).
class GuardedServer : public httplib::Server {
public:
  const ConnLimits *Limits = nullptr;
  const WorkerPool *Pool = nullptr;

private:
  bool process_and_close_socket(socket_t Sock) override {
    ConnStream S(Sock, *Limits, *Pool, svr_sock_);
    CurrentConn = &S;
    bool Ret = false;
    size_t Count = keep_alive_max_count_;
    while (svr_sock_ != INVALID_SOCKET && Count > 0 &&
           S.waitForRequest(std::chrono::seconds(keep_alive_timeout_sec_))) {
      S.beginRequest();
      bool Closed = false;
      Ret = process_request(S, Count == 1, Closed, nullptr);
      if (!Ret || Closed || S.mustClose())
        break;
      --Count;
    }
    CurrentConn = nullptr;
    S.close(S.mustClose());
    return Ret;
  }
};

/// The addresses \p Host resolves to (numeric strings, IPv4 first).
std::vector<std::string> resolveHost(StringRef Host, std::vector<bool> *Loopback = nullptr) {
  std::string H = Host.str();
  if (H.size() > 2 && H.front() == '[' && H.back() == ']')
    H = H.substr(1, H.size() - 2);
  // RFC 6761: "localhost" and names under it are the loopback interface, whatever the
  // resolver says (a minimal system or container may have no /etc/hosts at all).
  StringRef Name(H);
  if (Name.equals_insensitive("localhost") || Name.endswith_insensitive(".localhost")) {
    if (Loopback)
      *Loopback = {true};
    return {"127.0.0.1"};
  }
  addrinfo Hints{};
  Hints.ai_family = AF_UNSPEC;
  Hints.ai_socktype = SOCK_STREAM;
  addrinfo *Res = nullptr;
  std::vector<std::string> V4, V6;
  std::vector<bool> L4, L6;
  if (H.empty() || ::getaddrinfo(H.c_str(), nullptr, &Hints, &Res) != 0)
    return {};
  for (addrinfo *A = Res; A; A = A->ai_next) {
    char Buf[NI_MAXHOST];
    if (::getnameinfo(A->ai_addr, A->ai_addrlen, Buf, sizeof(Buf), nullptr, 0,
                      NI_NUMERICHOST) != 0)
      continue;
    if (A->ai_family == AF_INET) {
      auto *In = reinterpret_cast<const sockaddr_in *>(A->ai_addr);
      V4.push_back(Buf);
      L4.push_back((ntohl(In->sin_addr.s_addr) >> 24) == 127);
    } else if (A->ai_family == AF_INET6) {
      auto *In = reinterpret_cast<const sockaddr_in6 *>(A->ai_addr);
      const uint8_t *B = In->sin6_addr.s6_addr;
      bool Mapped127 = IN6_IS_ADDR_V4MAPPED(&In->sin6_addr) && B[12] == 127;
      V6.push_back(Buf);
      L6.push_back(IN6_IS_ADDR_LOOPBACK(&In->sin6_addr) || Mapped127);
    }
  }
  ::freeaddrinfo(Res);
  V4.insert(V4.end(), V6.begin(), V6.end());
  L4.insert(L4.end(), L6.begin(), L6.end());
  if (Loopback)
    *Loopback = L4;
  return V4;
}

} // namespace

bool atm::mock::isLoopbackHost(StringRef Host) {
  std::vector<bool> Loop;
  std::vector<std::string> Addrs = resolveHost(Host, &Loop);
  return !Addrs.empty() && llvm::all_of(Loop, [](bool B) { return B; });
}

class MockServer::Impl {
public:
  Impl(MockConfig Config, MockServerOptions Options)
      : DefaultDc(Config.DefaultDc), State(std::move(Config)), Opts(std::move(Options)) {}

  llvm::Error start();
  void stop();
  void wait();
  MockHttpResponse serve(const MockHttpRequest &In);

  std::string DefaultDc;
  MockState State;
  MockServerOptions Opts;
  GuardedServer Svr;
  std::unique_ptr<WorkerPool> Pool;
  ConnLimits Limits{};
  int ListenFd = -1;
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
  std::string logRequest(const httplib::Request &Req, const httplib::Response &Res,
                         bool Force = false);
  void send(httplib::Response &Res, const Answer &A);
  bool accounts(const httplib::Request &Req, httplib::Response &Res, const Route &R);
  void admin(const httplib::Request &Req, httplib::Response &Res);
  bool rejectBody(const httplib::Request &Req, httplib::Response &Res);
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

/// Checks a request body before httplib reads it: compressed bodies (which would be
/// inflated without bound) get 415, a Content-Length over the limit 413 (without
/// reading the body), anything else a byte budget on the connection. Returns true if
/// \p Res now holds the answer.
bool MockServer::Impl::rejectBody(const httplib::Request &Req, httplib::Response &Res) {
  auto Reject = [&](int Status, const char *Outcome) {
    Res.status = Status;
    Res.set_header("Connection", "close");
    CurrentNote.Outcome = Outcome;
    if (CurrentConn)
      CurrentConn->closeAfterThisRequest();
    return true;
  };
  std::string Enc = StringRef(Req.get_header_value("Content-Encoding")).trim().lower();
  if (!Enc.empty() && Enc != "identity")
    return Reject(415, "rejected:content_encoding");
  bool Chunked = Req.has_header("Transfer-Encoding");
  uint64_t Budget = Opts.MaxBodyBytes + (Opts.MaxBodyBytes / 8) + 4096; // + chunk framing
  if (!Chunked && Req.has_header("Content-Length")) {
    StringRef Len = StringRef(Req.get_header_value("Content-Length")).trim();
    unsigned long long N = 0;
    if (Len.empty() || Len.getAsInteger(10, N))
      return Reject(400, "rejected:bad_content_length");
    if (N > Opts.MaxBodyBytes)
      return Reject(413, "rejected:body_too_large");
    Budget = N;
  }
  if (CurrentConn)
    CurrentConn->beginBody(Budget);
  return false;
}

llvm::Error MockServer::Impl::start() {
  std::string BindHost = Opts.Host;
  if (!Opts.AllowRemote) {
    // Resolve the name and check every address (a prefix test on "127." would let
    // "127.example.com" through), then bind the checked address itself.
    std::vector<bool> Loop;
    std::vector<std::string> Addrs = resolveHost(Opts.Host, &Loop);
    if (Addrs.empty())
      return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                     "cannot resolve host '%s'", Opts.Host.c_str());
    for (size_t I = 0; I < Addrs.size(); ++I)
      if (!Loop[I])
        return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                       "refusing to bind non-loopback host '%s' (%s; use "
                                       "--allow-remote)",
                                       Opts.Host.c_str(), Addrs[I].c_str());
    BindHost = Addrs.front();
  }
  if (!Opts.StatePath.empty())
    if (llvm::Error E = State.loadFrom(Opts.StatePath))
      return E;

  unsigned Threads = Opts.Threads ? Opts.Threads : 8;
  using std::chrono::milliseconds;
  Limits.RequestTimeout = milliseconds(std::max<int64_t>(Opts.RequestTimeoutMs, 1));
  Limits.BusyGrace = milliseconds(std::max<int64_t>(Opts.BusyGraceMs, 0));
  Limits.ReadIdle = std::chrono::seconds(5);
  Limits.WriteTimeout = std::chrono::seconds(5);
  Limits.MaxHeaderBytes = Opts.MaxHeaderBytes;
  Pool = std::make_unique<WorkerPool>(Threads, Threads);
  Svr.Limits = &Limits;
  Svr.Pool = Pool.get();
  Svr.new_task_queue = [this] { return new PoolProxy(*Pool); };
  Svr.set_payload_max_length(Opts.MaxBodyBytes);
  Svr.set_keep_alive_max_count(100000);
  Svr.set_keep_alive_timeout(5);
  Svr.set_read_timeout(5, 0);
  Svr.set_tcp_nodelay(true);
  Svr.set_socket_options([this](socket_t S) {
    httplib::default_socket_options(S);
    ListenFd = S;
  });
  auto H = [this](const httplib::Request &Req, httplib::Response &Res) { handle(Req, Res); };
  Svr.Get(".*", H);
  Svr.Post(".*", H);
  Svr.Put(".*", H);
  Svr.Patch(".*", H);
  Svr.Delete(".*", H);
  Svr.Options(".*", H);
  Svr.set_pre_routing_handler([this](const httplib::Request &Req, httplib::Response &Res) {
    bool HasLen = Req.has_header("Content-Length"), HasTe = Req.has_header("Transfer-Encoding");
    bool Upload = Req.method == "POST" || Req.method == "PUT" || Req.method == "PATCH";
    // A POST with neither Content-Length nor Transfer-Encoding has an empty body (RFC
    // 9112 §6.3), but cpp-httplib 0.11 would wait for EOF and answer 400 after the
    // read timeout. `curl -X POST URL` sends exactly that, so serve such requests
    // before httplib tries to read a body.
    if (Upload && !HasLen && !HasTe) {
      handle(Req, Res);
      return httplib::Server::HandlerResponse::Handled;
    }
    if ((Upload || Req.method == "DELETE") && (HasLen || HasTe) && rejectBody(Req, Res))
      return httplib::Server::HandlerResponse::Handled;
    return httplib::Server::HandlerResponse::Unhandled;
  });
  // curl sends `Expect: 100-continue` for large bodies: refuse an oversized one before
  // the client sends it.
  Svr.set_expect_100_continue_handler([this](const httplib::Request &Req, httplib::Response &Res) {
    unsigned long long N = 0;
    if (!StringRef(Req.get_header_value("Content-Length")).trim().getAsInteger(10, N) &&
        N > Opts.MaxBodyBytes) {
      CurrentNote.Outcome = "rejected:body_too_large";
      Res.set_header("Connection", "close");
      if (CurrentConn)
        CurrentConn->closeAfterThisRequest();
      return 413;
    }
    return 100;
  });
  // httplib answers 400 when reading a request fails; say why when the guards did it.
  Svr.set_error_handler(httplib::Server::HandlerWithResponse([](const httplib::Request &,
                           httplib::Response &Res) -> httplib::Server::HandlerResponse {
    ConnFault F = CurrentConn ? CurrentConn->fault() : ConnFault::None;
    if (F == ConnFault::None)
      return httplib::Server::HandlerResponse::Unhandled;
    Res.status = F == ConnFault::Deadline          ? 408
                 : F == ConnFault::HeadersTooLarge ? 431
                                                   : 413;
    CurrentNote.Outcome = F == ConnFault::Deadline          ? "rejected:request_timeout"
                          : F == ConnFault::HeadersTooLarge ? "rejected:headers_too_large"
                                                            : "rejected:body_too_large";
    Res.set_header("Connection", "close");
    return httplib::Server::HandlerResponse::Unhandled;
  }));
  Svr.set_exception_handler(
      [](const httplib::Request &, httplib::Response &Res, std::exception_ptr) {
        Res.status = 500;
        Res.set_content(R"({"error":"internal_error"})", "application/json");
        CurrentNote.Outcome = "exception";
      });
  Svr.set_logger([this](const httplib::Request &Req, const httplib::Response &Res) {
    logRequest(Req, Res);
  });

  int P = Opts.Port == 0 ? Svr.bind_to_any_port(BindHost)
                         : (Svr.bind_to_port(BindHost, Opts.Port) ? Opts.Port : -1);
  if (P <= 0)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "cannot bind %s:%d", Opts.Host.c_str(), Opts.Port);
  // httplib listens with a backlog of 5; size it to the workers instead (Linux lets
  // listen() change the backlog of a listening socket).
  if (ListenFd >= 0)
    ::listen(ListenFd, static_cast<int>(std::clamp<unsigned>(4 * Threads, 64, 4096)));
  Port = P;
  std::string HostForUrl = BindHost.find(':') != std::string::npos && BindHost.front() != '['
                               ? "[" + BindHost + "]"
                               : BindHost;
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
    Pool->beginStop();
    Svr.stop();
    if (Thread.joinable())
      Thread.join();
    Pool->shutdown();
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

std::string MockServer::Impl::logRequest(const httplib::Request &Req,
                                         const httplib::Response &Res, bool Force) {
  LogNote Note = std::move(CurrentNote);
  CurrentNote = LogNote();
  if (!Opts.Log && !Opts.Admin && !Force)
    return "";
  auto Now = SysClock::now();
  std::time_t T = SysClock::to_time_t(Now);
  std::tm Tm{};
  gmtime_r(&T, &Tm);
  int Ms = static_cast<int>(
      std::chrono::duration_cast<std::chrono::milliseconds>(Now.time_since_epoch()).count() %
      1000);
  // Only the path (never the query string, a body or a header value) is logged, with
  // credentials redacted and every non-printable byte escaped (no forged lines).
  auto Field = [](const std::string &S) { return S.empty() ? std::string("-") : escapeLogField(S); };
  std::string Line = fmt::format(
      "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z {} {} role={} dc={} product={} "
      "status={} outcome={}\n",
      Tm.tm_year + 1900, Tm.tm_mon + 1, Tm.tm_mday, Tm.tm_hour, Tm.tm_min, Tm.tm_sec, Ms,
      Field(Req.method), Req.path.empty() ? "-" : redactPath(Req.path),
      Note.Set ? Field(Note.Role) : "-", Note.Set ? Field(Note.Dc) : "-",
      Note.Set ? Field(Note.Product) : "-", Res.status,
      Note.Outcome.empty() ? (Note.Set ? "-" : "rejected") : Field(Note.Outcome));
  if (Opts.Log)
    std::fputs(Line.c_str(), Opts.Log);
  if (Opts.Admin) {
    std::lock_guard<std::mutex> L(LogMu);
    Recent.push_back(Line);
    if (Recent.size() > 1000)
      Recent.pop_front();
  }
  return Line;
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
  // Descriptions may quote the request (a path, a key, a parser message): bytes that are
  // not UTF-8 become U+FFFD, as everywhere in the mock's JSON (found by the fuzz target).
  auto Fail = [&](int Status, StringRef Error, const std::string &Why) {
    Reply(Status, json::Object{{"error", Error}, {"error_description", json::fixUTF8(Why)}},
          Error);
  };
  // The request object: the JSON body (if any) plus query parameters.
  json::Object Body;
  if (!Req.body.empty()) {
    // llvm::json::parse recurses per nesting level: refuse absurd nesting first.
    auto [DeepLine, DeepCol] = tooDeepAt(Req.body, MaxNestingDepth);
    if (DeepLine) {
      Fail(400, "invalid_json",
           fmt::format("[{}:{}] nested deeper than {} levels", DeepLine, DeepCol,
                       MaxNestingDepth));
      return;
    }
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
  // Query parameters join the body; a name that is not UTF-8 names no setting, and a
  // value is repaired (llvm::json holds UTF-8 only; found by the mock_request fuzz target).
  for (const auto &KV : Req.params)
    if (json::isUTF8(KV.first) && !Body.get(KV.first))
      Body[KV.first] = scalarFromText(json::isUTF8(KV.second) ? KV.second : json::fixUTF8(KV.second));

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
    // Each part must be a finite, non-negative number and the sum at most 10 years,
    // checked before any conversion to an integer or a chrono duration.
    double Ms = 0;
    for (auto [Key, Scale] : {std::pair<const char *, double>{"seconds", 1000.0},
                              {"minutes", 60000.0},
                              {"hours", 3600000.0},
                              {"milliseconds", 1.0}}) {
      const json::Value *V = Body.get(Key);
      if (!V)
        continue;
      llvm::Optional<double> D = V->getAsNumber();
      if (!D || !std::isfinite(*D) || *D < 0 || *D > MaxDurationSec * 1000.0) {
        Fail(400, "invalid_request",
             fmt::format("{} must be a number between 0 and {} seconds (10 years)", Key,
                         MaxDurationSec));
        return;
      }
      Ms += *D * Scale;
    }
    if (!(Ms >= 1) || Ms > MaxDurationSec * 1000.0) {
      Fail(400, "invalid_request",
           fmt::format("give seconds= (or minutes/hours/milliseconds) adding up to at least "
                       "1 ms and at most {} seconds (10 years)",
                       MaxDurationSec));
      return;
    }
    if (llvm::Error E = State.tryAdvanceClock(std::chrono::milliseconds(static_cast<int64_t>(Ms)))) {
      Fail(400, "invalid_request", llvm::toString(std::move(E)));
      return;
    }
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
    int64_t Limit = std::clamp<int64_t>(Body.getInteger("limit").getValueOr(100), 0, 1000);
    json::Array Lines;
    {
      std::lock_guard<std::mutex> L(LogMu);
      size_t N = static_cast<size_t>(Limit);
      size_t Start = Recent.size() > N ? Recent.size() - N : 0;
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

MockHttpResponse MockServer::Impl::serve(const MockHttpRequest &In) {
  httplib::Request Req;
  httplib::Response Res;
  Req.method = In.Method;
  Req.target = In.Target;
  size_t Q = In.Target.find('?');
  Req.path = httplib::detail::decode_url(In.Target.substr(0, Q), false);
  if (Q != std::string::npos)
    httplib::detail::parse_query_text(In.Target.substr(Q + 1), Req.params);
  for (const auto &[K, V] : In.Headers)
    Req.headers.emplace(K, V);
  Req.body = In.Body;
  CurrentNote = LogNote();
  // The transport limits, minus the sockets: body size and encoding, then (like
  // httplib) form bodies up to 8 KiB become parameters.
  if (Req.body.size() > Opts.MaxBodyBytes) {
    Res.status = 413;
    CurrentNote.Outcome = "rejected:body_too_large";
  } else if (!rejectBody(Req, Res)) {
    if (StringRef(Req.get_header_value("Content-Type"))
            .startswith("application/x-www-form-urlencoded")) {
      if (Req.body.size() > 8192) {
        Res.status = 413;
        CurrentNote.Outcome = "rejected:form_too_large";
      } else {
        httplib::detail::parse_query_text(Req.body, Req.params);
      }
    }
    if (Res.status == -1)
      handle(Req, Res);
  }
  if (Res.status == -1)
    Res.status = 404;
  MockHttpResponse Out;
  Out.Status = Res.status;
  Out.Body = Res.body;
  for (const auto &[K, V] : Res.headers)
    Out.Headers.emplace_back(K, V);
  Out.LogLine = StringRef(logRequest(Req, Res, /*Force=*/true)).rtrim("\n").str();
  return Out;
}

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
MockHttpResponse MockServer::serve(const MockHttpRequest &Req) { return I->serve(Req); }
