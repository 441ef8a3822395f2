#pragma once
/// \file
/// The mock Zoho accounts + resource server (`authtoken-migrate mock-server`), usable
/// in-process by tests:
///
/// \code
///   atm::mock::MockServer Server(atm::mock::defaultMockConfig(), {});
///   if (llvm::Error E = Server.start()) …
///   httplib::Client Cli("127.0.0.1", Server.port());
/// \endcode
///
/// One server plays every accounts server and every resource server; the data centre
/// and product come from the Host header or a path prefix (see tool/mock/README.md).
/// cpp-httplib is used only inside MockServer.cpp.

#include "mock/MockConfig.h"
#include "mock/MockState.h"

#include "llvm/Support/Error.h"

#include <cstdio>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace atm::mock {

/// Runtime options (the CLI flags); the configuration proper is a MockConfig.
struct MockServerOptions {
  /// Interface to bind. Only loopback addresses unless AllowRemote.
  std::string Host = "127.0.0.1";
  bool AllowRemote = false;
  /// 0 = an ephemeral port; read it back with MockServer::port().
  int Port = 0;
  /// Serve /__admin/… (off by default: it can mint tokens and move the clock).
  bool Admin = false;
  /// If set: loaded at start when it exists, saved atomically when changed (at most
  /// once a second) and at stop().
  std::string StatePath;
  /// Request log sink (one line per request, never a token); nullptr = no log.
  std::FILE *Log = nullptr;
  /// Worker threads; each keep-alive connection holds one while it is open. As many
  /// accepted connections may wait for a worker; more wait in the listen backlog
  /// (4 x Threads, 64..4096).
  unsigned Threads = 64;
  /// Larger request bodies get 413 (a chunked body as soon as it exceeds the limit
  /// on the wire; compressed bodies get 415).
  size_t MaxBodyBytes = 1 << 20;
  /// The request line and headers may take at most this many bytes (else 431).
  size_t MaxHeaderBytes = 64 << 10;
  /// A request must arrive whole (headers and body) within this time of its first
  /// byte (else 408 and the connection is closed).
  int64_t RequestTimeoutMs = 10000;
  /// While a connection waits for a free worker, connections that have spent this
  /// long on one request (or idle between requests) are closed, so slow clients
  /// cannot hold every worker.
  int64_t BusyGraceMs = 250;
};

/// One request for MockServer::serve() (no socket involved).
struct MockHttpRequest {
  std::string Method = "GET";
  std::string Target = "/"; ///< path and query as on the request line, percent-encoded
  std::vector<std::pair<std::string, std::string>> Headers;
  std::string Body;
};

/// What MockServer::serve() answered.
struct MockHttpResponse {
  int Status = 0;
  std::string Body;
  std::vector<std::pair<std::string, std::string>> Headers;
  std::string LogLine; ///< the request-log line, without the newline
};

/// RAII server: start() binds and serves on a background thread; the destructor
/// stops and joins it.
class MockServer {
public:
  MockServer(MockConfig Config, MockServerOptions Options);
  ~MockServer();
  MockServer(const MockServer &) = delete;
  MockServer &operator=(const MockServer &) = delete;

  /// Binds (so clients can connect as soon as this returns) and starts serving.
  llvm::Error start();
  /// Stops serving, joins the threads and saves the state file if one is set.
  void stop();
  /// Blocks until the server stops (after stop() from another thread).
  void wait();

  /// The bound port (valid after start()).
  int port() const;
  /// "http://127.0.0.1:PORT".
  std::string url() const;
  /// The state machine, for in-process tests and tools.
  MockState &state();

  /// Serves one request in-process, without a socket (start() is not needed): the
  /// same body checks, routing, state machine and log line as over HTTP. Thread-safe.
  /// The entry point for fuzzing request handling.
  MockHttpResponse serve(const MockHttpRequest &Req);

private:
  class Impl;
  std::unique_ptr<Impl> I;
};

/// Whether \p Host resolves, and only to loopback addresses (127.0.0.0/8, ::1).
bool isLoopbackHost(llvm::StringRef Host);

} // namespace atm::mock
