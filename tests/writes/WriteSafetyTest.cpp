/// \file
/// What the CLI leaves on disk when it is killed or the disk is full, for every command
/// that writes files (kWriteCases). After each run every target holds either its old
/// content or its complete new content, and no temporary file remains (after SIGKILL a
/// temporary file may remain: no process can clean up after SIGKILL; the target must
/// still be old or new).

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <map>
#include <chrono>
#include <csignal>
#include <fcntl.h>
#include <fstream>
#include <functional>
#include <random>
#include <set>
#include <sys/mount.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include "gtest/gtest.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

namespace {

using Clock = std::chrono::steady_clock;

/// The file's content, with the run time in JSON reports ("seconds": …) blanked: the
/// only part of a report that differs between two complete runs.
std::string readFile(const std::string &P) {
  auto B = llvm::MemoryBuffer::getFile(P);
  std::string S = B ? (*B)->getBuffer().str() : std::string("<missing>");
  for (size_t I = 0; (I = S.find("\"seconds\": ", I)) != std::string::npos;) {
    size_t E = S.find_first_of(",\n}", I);
    S.erase(I, E == std::string::npos ? std::string::npos : E - I);
    I += 1;
  }
  return S;
}

void writeFile(const std::string &P, llvm::StringRef Content) {
  llvm::sys::fs::create_directories(llvm::sys::path::parent_path(P));
  std::ofstream(P, std::ios::binary | std::ios::trunc) << Content.str();
}

/// Every regular file under \p Dir, relative to it.
std::set<std::string> listFiles(const std::string &Dir) {
  std::set<std::string> Out;
  std::error_code EC;
  for (llvm::sys::fs::recursive_directory_iterator It(Dir, EC), E; It != E && !EC;
       It.increment(EC)) {
    if (It->type() == llvm::sys::fs::file_type::directory_file)
      continue;
    Out.insert(It->path().substr(Dir.size() + 1));
  }
  return Out;
}

struct TempDir {
  std::string Path;
  explicit TempDir(llvm::StringRef Prefix = "atm-writes") {
    llvm::SmallString<128> P;
    llvm::sys::fs::createUniqueDirectory(Prefix, P);
    Path = P.str().str();
  }
  ~TempDir() { llvm::sys::fs::remove_directories(Path); }
};

/// A started authtoken-migrate process.
struct Child {
  pid_t Pid = -1;
  /// Starts the CLI with \p Args; stdout and stderr go to \p ErrFile (stdout to
  /// \p StdoutPath if given).
  static Child start(const std::vector<std::string> &Args, const std::string &ErrFile,
                     const std::string &StdoutPath = "") {
    static const char Prog[] = ATM_CLI;
    std::vector<char *> Argv{const_cast<char *>(Prog)};
    for (const std::string &A : Args)
      Argv.push_back(const_cast<char *>(A.c_str()));
    Argv.push_back(nullptr);
    Child C;
    C.Pid = ::fork();
    if (C.Pid == 0) { // only async-signal-safe calls from here on
      int Err = ::open(ErrFile.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      int Out = StdoutPath.empty() ? Err : ::open(StdoutPath.c_str(), O_WRONLY);
      ::dup2(Out, 1);
      ::dup2(Err, 2);
      int In = ::open("/dev/null", O_RDONLY);
      ::dup2(In, 0);
      ::execv(Prog, Argv.data());
      ::_exit(127);
    }
    return C;
  }
  /// Waits; returns the raw wait status.
  int wait() {
    int Status = 0;
    while (::waitpid(Pid, &Status, 0) < 0 && errno == EINTR) {
    }
    return Status;
  }
};

struct RunResult {
  int Status = 0;
  std::string Err;
  int exitCode() const { return WIFEXITED(Status) ? WEXITSTATUS(Status) : -1; }
};

RunResult run(const std::vector<std::string> &Args, const std::string &StdoutPath = "") {
  TempDir Logs("atm-writes-log");
  std::string ErrFile = Logs.Path + "/err.txt";
  Child C = Child::start(Args, ErrFile, StdoutPath);
  RunResult R;
  R.Status = C.wait();
  R.Err = readFile(ErrFile);
  return R;
}

/// A tree whose scan takes a few hundred milliseconds and writes a report of several MB.
const std::string &scanTree() {
  static TempDir *Tree = [] {
    auto *T = new TempDir("atm-writes-tree");
    for (int I = 0; I < 2000; ++I) {
      std::string Py = "import requests\nTOKEN = \"3f2c8e7a9b1d4c6e8f0a2b4c6d8e0f" +
                       std::to_string(10 + I % 90) +
                       "\"\ndef fetch():\n    return requests.get(\"https://crm.zoho.eu/crm/private/json/"
                       "Leads/getRecords?authtoken=\" + TOKEN + \"&scope=crmapi\")\n"
                       "def books():\n    return requests.post(\"https://books.zoho.com/api/v3/invoices\","
                       " params={\"authtoken\": TOKEN})\n";
      writeFile(T->Path + "/pkg" + std::to_string(I % 40) + "/client" + std::to_string(I) + ".py", Py);
    }
    // C++ with fixable findings, for --export-fixes.
    for (int I = 0; I < 3; ++I)
      writeFile(T->Path + "/native/client" + std::to_string(I) + ".cpp",
                "#include <string>\nstd::string url() {\n  return \"https://crm.zoho.com/crm/private/json/"
                "Leads/getRecords?authtoken=0123456789abcdef0123456789abcdef&scope=crmapi\";\n}\n");
    return T;
  }();
  return Tree->Path;
}

/// One command that writes files into an output directory.
struct WriteCase {
  const char *Name;
  /// Files the command writes, relative to the output directory.
  std::vector<std::string> Targets;
  /// The command line, given the output directory and the tree to scan.
  std::function<std::vector<std::string>(const std::string &Out, const std::string &Tree)> Args;
};

const std::vector<WriteCase> &writeCases() {
  static const std::vector<WriteCase> Cases = {
      {"scan --output",
       {"report.json"},
       [](const std::string &Out, const std::string &Tree) {
         return std::vector<std::string>{"scan", "--no-clang", "--format", "json", "--output",
                                         Out + "/report.json", Tree};
       }},
      {"helper --out",
       {"zoho_oauth.h", "zoho_oauth.cpp"},
       [](const std::string &Out, const std::string &) {
         return std::vector<std::string>{"helper", "--lang", "cpp", "--force", "--out", Out};
       }},
      {"report --output",
       {"migration.html"},
       [](const std::string &Out, const std::string &Tree) {
         return std::vector<std::string>{"report", "--no-clang", "--output",
                                         Out + "/migration.html", Tree};
       }},
      {"scan --export-fixes",
       {"fixes.yaml"},
       [](const std::string &Out, const std::string &Tree) {
         return std::vector<std::string>{"scan", "--export-fixes", Out + "/fixes.yaml",
                                         Tree + "/native"};
       }},
  };
  return Cases;
}

const char OldContent[] = "old content of the target\n";

void writeOldTargets(const WriteCase &C, const std::string &Out) {
  for (const std::string &T : C.Targets)
    writeFile(Out + "/" + T, OldContent);
}

/// The content a complete run writes, per target, and how long the run takes.
struct Reference {
  std::map<std::string, std::string> New;
  double Seconds = 0;
};

Reference referenceRun(const WriteCase &C) {
  TempDir Out;
  writeOldTargets(C, Out.Path);
  auto Start = Clock::now();
  RunResult R = run(C.Args(Out.Path, scanTree()));
  Reference Ref;
  Ref.Seconds = std::chrono::duration<double>(Clock::now() - Start).count();
  EXPECT_TRUE(R.exitCode() == 0 || R.exitCode() == 1) << C.Name << ": " << R.Err;
  for (const std::string &T : C.Targets) {
    Ref.New[T] = readFile(Out.Path + "/" + T);
    EXPECT_TRUE(Ref.New[T] != OldContent) << C.Name << ": " << T << " was not written";
  }
  EXPECT_EQ(listFiles(Out.Path), std::set<std::string>(C.Targets.begin(), C.Targets.end()));
  return Ref;
}

const char *signalName(int Sig) {
  return Sig == SIGKILL ? "SIGKILL" : Sig == SIGTERM ? "SIGTERM" : "SIGINT";
}

} // namespace

// Kills each command at random points (seeded): half the trials at a uniform delay over
// the whole run, half just after a temporary file appears in the output directory (the
// moment a careless writer leaves a half-written or stray file).
TEST(WriteSafety, KilledAtRandomPointsLeavesOldOrNewContentAndNoTemporaryFile) {
  constexpr unsigned Trials = 20;
  const int Signals[] = {SIGTERM, SIGINT, SIGKILL};
  for (const WriteCase &C : writeCases()) {
    Reference Ref = referenceRun(C);
    std::set<std::string> Expected(C.Targets.begin(), C.Targets.end());
    std::mt19937 Rng(20240601);
    unsigned KilledWhileTemp = 0, Killed = 0, LeftBySigkill = 0;
    for (unsigned I = 0; I < Trials; ++I) {
      int Sig = Signals[I % 3];
      bool AtTemp = I % 2 == 1;
      double Delay = std::uniform_real_distribution<double>(0, AtTemp ? 0.002 : Ref.Seconds * 1.1)(Rng);
      SCOPED_TRACE(testing::Message() << C.Name << " trial " << I << ": " << signalName(Sig)
                                      << (AtTemp ? " after a temporary file appeared + " : " after ")
                                      << Delay << " s");
      TempDir Out;
      writeOldTargets(C, Out.Path);
      TempDir Logs("atm-writes-log");
      Child P = Child::start(C.Args(Out.Path, scanTree()), Logs.Path + "/err.txt");
      bool SawTemp = false;
      if (AtTemp) {
        auto Deadline = Clock::now() + std::chrono::seconds(60);
        while (Clock::now() < Deadline) {
          std::set<std::string> Now = listFiles(Out.Path);
          if (Now != Expected) {
            SawTemp = true;
            break;
          }
          int St;
          if (::waitpid(P.Pid, &St, WNOHANG) == P.Pid) { // finished before we saw one
            P.Pid = -St - 1;
            break;
          }
          std::this_thread::sleep_for(std::chrono::microseconds(100));
        }
      }
      int Status;
      if (P.Pid < 0) {
        Status = -(P.Pid + 1);
      } else {
        ASSERT_GT(P.Pid, 0) << "fork failed";
        std::this_thread::sleep_for(std::chrono::duration<double>(Delay));
        ::kill(P.Pid, Sig);
        Status = P.wait();
      }
      std::string Err = readFile(Logs.Path + "/err.txt");
      if (WIFSIGNALED(Status)) {
        ++Killed;
        KilledWhileTemp += SawTemp;
        EXPECT_EQ(WTERMSIG(Status), Sig) << "the process must die with the signal's status";
      } else {
        ASSERT_TRUE(WIFEXITED(Status));
        EXPECT_TRUE(WEXITSTATUS(Status) == 0 || WEXITSTATUS(Status) == 1) << Err;
      }
      for (const std::string &T : C.Targets) {
        std::string Got = readFile(Out.Path + "/" + T);
        EXPECT_TRUE(Got == OldContent || Got == Ref.New[T])
            << T << " is neither its old nor its complete new content (" << Got.size() << " of "
            << Ref.New[T].size() << " bytes)";
        if (WIFEXITED(Status))
          EXPECT_TRUE(Got == Ref.New[T]) << T << " after a complete run";
      }
      std::set<std::string> Left = listFiles(Out.Path);
      if (Sig == SIGKILL) {
        LeftBySigkill += Left.size() - Expected.size();
      } else {
        EXPECT_EQ(Left, Expected) << "temporary files left behind";
      }
    }
    std::printf("[ %s ] %u trials, %u killed (%u while a temporary file existed), %u temporary "
                "files left by SIGKILL, complete run %.3f s\n",
                C.Name, Trials, Killed, KilledWhileTemp, LeftBySigkill, Ref.Seconds);
    EXPECT_GT(Killed, 0u) << C.Name << ": no trial killed the process; the test proves nothing";
  }
}

namespace {
/// A small tmpfs mounted for one test (needs CAP_SYS_ADMIN).
struct SmallTmpfs {
  TempDir Mount{"atm-writes-tmpfs"};
  bool Mounted = false;
  std::string Why;
  explicit SmallTmpfs(const char *Size) {
    std::string Opts = std::string("size=") + Size;
    if (::mount("tmpfs", Mount.Path.c_str(), "tmpfs", 0, Opts.c_str()) == 0)
      Mounted = true;
    else
      Why = std::strerror(errno);
  }
  ~SmallTmpfs() {
    if (Mounted)
      ::umount2(Mount.Path.c_str(), MNT_DETACH);
  }
  /// Fills the file system, then frees \p Free bytes.
  void fillLeaving(size_t Free) {
    std::string Filler = Mount.Path + "/filler";
    int FD = ::open(Filler.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    std::string Block(4096, 'x');
    off_t Size = 0;
    for (ssize_t N; (N = ::write(FD, Block.data(), Block.size())) > 0;)
      Size += N;
    ::ftruncate(FD, Size > static_cast<off_t>(Free) ? Size - Free : 0);
    ::close(FD);
  }
};
} // namespace

TEST(WriteSafety, FullDiskExitsTwoWithTheReasonAndLeavesOldContent) {
  for (const WriteCase &C : writeCases()) {
    SCOPED_TRACE(C.Name);
    SmallTmpfs Fs("256k");
    if (!Fs.Mounted) {
      GTEST_SKIP() << "cannot mount a tmpfs here (" << Fs.Why
                   << "); run as root or with CAP_SYS_ADMIN to test a full disk";
    }
    std::string Out = Fs.Mount.Path + "/out";
    writeOldTargets(C, Out);
    // Less than each command writes (the exported fixes of the small tree are short:
    // nothing is left for them).
    Fs.fillLeaving(C.Name == std::string("scan --export-fixes") ? 0 : 8192);
    RunResult R = run(C.Args(Out, scanTree()));
    EXPECT_EQ(R.exitCode(), 2) << R.Err;
    EXPECT_NE(R.Err.find("No space left on device"), std::string::npos) << R.Err;
    EXPECT_NE(R.Err.find(Out + "/"), std::string::npos) << "the message names the file: " << R.Err;
    EXPECT_EQ(R.Err.find("LLVM ERROR"), std::string::npos) << R.Err;
    for (const std::string &T : C.Targets)
      EXPECT_TRUE(readFile(Out + "/" + T) == OldContent) << T << " was changed";
    EXPECT_EQ(listFiles(Out), std::set<std::string>(C.Targets.begin(), C.Targets.end()))
        << "temporary files left behind";
  }
}

// Without root: a write error on standard output is exit 2 with the reason, not LLVM's
// "IO failure on output stream" abort (rc 134).
TEST(WriteSafety, WriteErrorOnStdoutExitsTwo) {
  TempDir Out;
  for (std::vector<std::string> Args :
       {std::vector<std::string>{"scan", "--no-clang", "--format", "json", scanTree() + "/pkg1"},
        std::vector<std::string>{"helper", "--lang", "python", "--out", Out.Path}}) {
    SCOPED_TRACE(Args[0]);
    RunResult R = run(Args, "/dev/full");
    EXPECT_EQ(R.exitCode(), 2) << R.Err;
    EXPECT_NE(R.Err.find("cannot write to standard output: No space left on device"),
              std::string::npos)
        << R.Err;
  }
}
