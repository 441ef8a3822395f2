#pragma once
/// \file
/// Running the built authtoken-migrate binary in end-to-end tests: in a directory, with
/// standard input from a file and extra environment variables, as a user would.

#include <fstream>
#include <string>
#include <vector>

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"

namespace atm::e2e {

struct RunResult {
  int Code = -1;
  std::string Out, Err;
};

inline std::string readFile(llvm::StringRef P) {
  auto B = llvm::MemoryBuffer::getFile(P);
  return B ? (*B)->getBuffer().str() : std::string();
}

inline std::string shellQuote(llvm::StringRef S) {
  std::string Q = "'";
  for (char C : S)
    Q += C == '\'' ? std::string("'\\''") : std::string(1, C);
  return Q + "'";
}

struct RunOptions {
  std::string Cwd;                ///< "" = the test's own directory
  std::string StdinFile;          ///< "" = empty standard input
  std::vector<std::string> Env;   ///< "NAME=value" added to the environment
  std::string Program = ATM_CLI;  ///< what to run
};

/// Runs \p Program with \p Args through /bin/sh (for `cd`, `<` and `env`).
inline RunResult runWith(const std::vector<std::string> &Args, const RunOptions &O = {}) {
  llvm::SmallString<128> OutF, ErrF;
  llvm::sys::fs::createTemporaryFile("atm-out", "txt", OutF);
  llvm::sys::fs::createTemporaryFile("atm-err", "txt", ErrF);
  std::string Cmd;
  if (!O.Cwd.empty())
    Cmd += "cd " + shellQuote(O.Cwd) + " && ";
  Cmd += "exec env";
  for (const std::string &E : O.Env)
    Cmd += " " + shellQuote(E);
  Cmd += " " + shellQuote(O.Program);
  for (const std::string &A : Args)
    Cmd += " " + shellQuote(A);
  std::vector<llvm::StringRef> Argv{"/bin/sh", "-c", Cmd};
  std::string In = O.StdinFile.empty() ? std::string("/dev/null") : O.StdinFile;
  llvm::Optional<llvm::StringRef> Redirects[] = {llvm::StringRef(In), llvm::StringRef(OutF),
                                                 llvm::StringRef(ErrF)};
  RunResult R;
  R.Code = llvm::sys::ExecuteAndWait(Argv[0], Argv, llvm::None, Redirects, 300);
  R.Out = readFile(OutF);
  R.Err = readFile(ErrF);
  llvm::sys::fs::remove(OutF);
  llvm::sys::fs::remove(ErrF);
  return R;
}

/// A temporary directory, removed with everything in it.
class TempTree {
public:
  TempTree() {
    llvm::SmallString<128> P;
    llvm::sys::fs::createUniqueDirectory("atm-e2e", P);
    // Real path: /tmp may be a symlink, and the tool reports real paths.
    llvm::SmallString<128> R;
    Path = llvm::sys::fs::real_path(P, R) ? std::string(P) : std::string(R);
  }
  ~TempTree() { llvm::sys::fs::remove_directories(Path); }
  std::string file(llvm::StringRef Rel, llvm::StringRef Content) const {
    llvm::SmallString<256> P(Path);
    llvm::sys::path::append(P, Rel);
    llvm::sys::fs::create_directories(llvm::sys::path::parent_path(P));
    std::ofstream(std::string(P), std::ios::binary) << Content.str();
    return std::string(P);
  }
  std::string dir(llvm::StringRef Rel) const {
    llvm::SmallString<256> P(Path);
    llvm::sys::path::append(P, Rel);
    llvm::sys::fs::create_directories(P);
    return std::string(P);
  }
  const std::string &str() const { return Path; }

private:
  std::string Path;
};

} // namespace atm::e2e
