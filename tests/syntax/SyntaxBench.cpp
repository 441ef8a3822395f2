//===- SyntaxBench.cpp - parse/model throughput (scripts/bench-syntax) ----===//
//
// atm_syntax_bench [--model] DIR...: parses every file under DIR with a grammar (as
// detectLanguage + grammarFor choose), single-threaded, and prints per grammar the
// files, MB, errors and CPU MB/s of parse (and of model extraction with --model); then the
// same for the files that pass a case-insensitive "authtoken" prefilter, which is what
// the scan will parse. Not a test: timings go to stdout for scripts/bench-syntax.

#include <chrono>
#include <ctime>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "lang/Language.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "syntax/Model.h"

using namespace atm;
using namespace atm::syntax;

namespace {
/// CPU seconds of this thread: the machine is shared, so wall time overstates.
double cpuNow() {
  timespec TS;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &TS);
  return TS.tv_sec + TS.tv_nsec / 1e9;
}

struct Stats {
  unsigned Files = 0, WithErrors = 0;
  double Bytes = 0, ParseSec = 0, ModelSec = 0;
};

void print(const char *What, const std::map<Grammar, Stats> &S, bool Model) {
  for (auto &[G, X] : S) {
    double MB = X.Bytes / 1e6;
    std::printf("%-10s %-12s files=%-6u MB=%-8.2f with-errors=%-5u parse=%.3fs (%.1f MB/s, %.1f ms/MB)", What,
                grammarName(G).str().c_str(), X.Files, MB, X.WithErrors, X.ParseSec, MB / X.ParseSec,
                1000 * X.ParseSec / MB);
    if (Model)
      std::printf(" model=%.3fs (%.1f ms/MB)", X.ModelSec, 1000 * X.ModelSec / MB);
    std::printf("\n");
  }
}
} // namespace

int main(int argc, char **argv) {
  bool Model = false;
  std::vector<std::string> Dirs;
  for (int I = 1; I < argc; ++I) {
    if (std::string(argv[I]) == "--model")
      Model = true;
    else
      Dirs.push_back(argv[I]);
  }
  if (Dirs.empty()) {
    std::fprintf(stderr, "usage: atm_syntax_bench [--model] DIR...\n");
    return 2;
  }
  std::map<Grammar, Stats> All, Candidates;
  if (Model) // compile the model queries up front: a once-per-process cost
    for (Grammar G : allGrammars())
      if (!modelQuery(G)) {
        std::fprintf(stderr, "model query of %s does not compile\n", grammarName(G).str().c_str());
        return 1;
      }
  for (const std::string &Dir : Dirs) {
    std::error_code EC;
    for (llvm::sys::fs::recursive_directory_iterator It(Dir, EC), End; It != End && !EC; It.increment(EC)) {
      if (It->type() != llvm::sys::fs::file_type::regular_file)
        continue;
      auto Buf = llvm::MemoryBuffer::getFile(It->path());
      if (!Buf)
        continue;
      llvm::StringRef Text = (*Buf)->getBuffer();
      std::optional<Grammar> G = grammarFor(detectLanguage(It->path(), Text.take_front(4096)), It->path());
      if (!G)
        continue;
      double T0 = cpuNow();
      llvm::Expected<SyntaxTree> T = parse(*G, Text);
      double T1 = cpuNow();
      if (!T) {
        std::fprintf(stderr, "%s: %s\n", It->path().c_str(), llvm::toString(T.takeError()).c_str());
        return 1;
      }
      double ModelSec = 0;
      if (Model) {
        llvm::Expected<FileModel> M = extractModel(*T);
        if (!M) {
          std::fprintf(stderr, "%s\n", llvm::toString(M.takeError()).c_str());
          return 1;
        }
        ModelSec = cpuNow() - T1;
      }
      double ParseSec = T1 - T0;
      bool Candidate = llvm::StringRef(Text).contains_insensitive("authtoken");
      for (auto *S : {&All, Candidate ? &Candidates : nullptr}) {
        if (!S)
          continue;
        Stats &X = (*S)[*G];
        ++X.Files;
        X.Bytes += Text.size();
        X.ParseSec += ParseSec;
        X.ModelSec += ModelSec;
        X.WithErrors += T->hasErrors();
      }
    }
  }
  print("all", All, Model);
  print("candidate", Candidates, Model);
  return 0;
}
