//===- MockServerCommand.cpp - `authtoken-migrate mock-server` ------------===//
//
// Starts the mock Zoho accounts + API server (tool/mock) in the foreground, prints
// `listening http://HOST:PORT` once bound and stops cleanly on SIGINT/SIGTERM.
//
//===----------------------------------------------------------------------===//

#include "cli/Commands.h"
#include "core/Redact.h"
#include "mock/MockServer.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/raw_ostream.h"

#include <csignal>
#include <cstdio>
#include <pthread.h>

namespace cl = llvm::cl;
using namespace atm::mock;

namespace {

cl::SubCommand MockServerCmd("mock-server",
                             "Run the mock Zoho accounts + API server (see tool/mock/README.md)");
cl::OptionCategory MockCat("Mock server options");

cl::opt<int> Port("port", cl::desc("Port to listen on (0 = an ephemeral port; default 0)"),
                  cl::init(0), cl::sub(MockServerCmd), cl::cat(MockCat));
cl::opt<std::string> Host("host", cl::desc("Interface to bind (default 127.0.0.1)"),
                          cl::init("127.0.0.1"), cl::sub(MockServerCmd), cl::cat(MockCat));
cl::opt<bool> AllowRemote("allow-remote",
                          cl::desc("Allow --host to name a non-loopback interface"),
                          cl::sub(MockServerCmd), cl::cat(MockCat));
cl::opt<std::string> ConfigFile("config", cl::desc("Configuration file (YAML or JSON)"),
                                cl::value_desc("FILE"), cl::sub(MockServerCmd),
                                cl::cat(MockCat));
cl::opt<std::string> StateFile("state",
                               cl::desc("Persist tokens and clock to FILE (atomic writes) "
                                        "and reload them at start"),
                               cl::value_desc("FILE"), cl::sub(MockServerCmd),
                               cl::cat(MockCat));
cl::opt<bool> Admin("admin", cl::desc("Enable the /__admin/ API (clock, minting, faults, …)"),
                    cl::sub(MockServerCmd), cl::cat(MockCat));
cl::opt<std::string> LogFile("log",
                             cl::desc("Request log: FILE, or - for stderr (default: stderr)"),
                             cl::value_desc("FILE|-"), cl::init("-"), cl::sub(MockServerCmd),
                             cl::cat(MockCat));
cl::opt<bool> Quiet("quiet", cl::desc("No request log"), cl::sub(MockServerCmd),
                    cl::cat(MockCat));
cl::opt<bool> LocalUrls("local-urls",
                        cl::desc("api_domain and accounts-server point back at the mock "
                                 "(same as public_urls: local)"),
                        cl::sub(MockServerCmd), cl::cat(MockCat));
cl::opt<unsigned> Threads("threads",
                          cl::desc("Worker threads (each open keep-alive connection holds "
                                   "one; default 64)"),
                          cl::init(64), cl::sub(MockServerCmd), cl::cat(MockCat));

} // namespace

bool atm::cli::mockServerSelected() { return bool(MockServerCmd); }

int atm::cli::runMockServer() {
  MockConfig Config = defaultMockConfig();
  if (!ConfigFile.empty()) {
    auto C = loadMockConfig(ConfigFile);
    if (!C) {
      // A config error may quote a line of the file: mask secrets in it.
      llvm::errs() << "authtoken-migrate mock-server: "
                   << redactSecrets(llvm::toString(C.takeError())) << "\n";
      return 2;
    }
    Config = std::move(*C);
  }
  if (LocalUrls)
    Config.Urls = PublicUrls::Local;

  MockServerOptions Opts;
  Opts.Host = Host;
  Opts.AllowRemote = AllowRemote;
  Opts.Port = Port;
  Opts.Admin = Admin;
  Opts.StatePath = StateFile;
  Opts.Threads = Threads;
  std::FILE *LogOwned = nullptr;
  if (!Quiet) {
    if (LogFile == "-" || LogFile.empty()) {
      Opts.Log = stderr;
    } else {
      LogOwned = std::fopen(LogFile.c_str(), "a");
      if (!LogOwned) {
        llvm::errs() << "authtoken-migrate mock-server: cannot open log file '" << LogFile
                     << "'\n";
        return 2;
      }
      // Line-buffered: each request line reaches the file whole and promptly.
      std::setvbuf(LogOwned, nullptr, _IOLBF, 1 << 16);
      Opts.Log = LogOwned;
    }
  }
  if (Port < 0 || Port > 65535) {
    llvm::errs() << "authtoken-migrate mock-server: --port must be 0..65535\n";
    return 2;
  }

  // Block the stop signals before any thread starts, so every server thread inherits
  // the mask and this thread alone receives them via sigwait().
  sigset_t Stop;
  sigemptyset(&Stop);
  sigaddset(&Stop, SIGINT);
  sigaddset(&Stop, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &Stop, nullptr);
  std::signal(SIGPIPE, SIG_IGN);

  int Rc = 0;
  {
    MockServer Server(std::move(Config), Opts);
    if (llvm::Error E = Server.start()) {
      llvm::errs() << "authtoken-migrate mock-server: "
                   << redactSecrets(llvm::toString(std::move(E))) << "\n";
      Rc = 2;
    } else {
      std::string H = Host.getValue().find(':') != std::string::npos ? "[" + Host + "]" : Host;
      std::fprintf(stdout, "listening http://%s:%d\n", H.c_str(), Server.port());
      std::fflush(stdout);
      int Sig = 0;
      sigwait(&Stop, &Sig);
      Server.stop();
    }
  }
  if (LogOwned)
    std::fclose(LogOwned);
  return Rc;
}
