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
  /// Worker threads; each keep-alive connection holds one while it is open.
  unsigned Threads = 64;
  /// Larger request bodies get 413.
  size_t MaxBodyBytes = 1 << 20;
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

private:
  class Impl;
  std::unique_ptr<Impl> I;
};

/// Whether \p Host names a loopback interface ("127.x.x.x", "::1", "localhost").
bool isLoopbackHost(llvm::StringRef Host);

} // namespace atm::mock
