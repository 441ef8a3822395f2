//===- BaselineCommand.cpp - `authtoken-migrate baseline` ------------------===//
//
// Scans exactly as `scan` does (cli/ScanRun.h: the scan options are registered under
// this subcommand too) and writes every finding to a baseline file (gate/Baseline.h),
// keeping the reason and expiry of entries an existing file already has. --update also
// lists the entries that no longer match (dropped) and keeps the entries of paths and
// rules the scan did not cover. README "Baselines".

#include <string>

#include "cli/Cli.h"
#include "cli/Commands.h"
#include "cli/ScanRun.h"
#include "core/Redact.h"
#include "discover/Root.h"
#include "gate/Baseline.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

namespace cl = llvm::cl;
using namespace atm;
using namespace atm::cli;

namespace atm::cli {
cl::SubCommand &baselineSubCommand() {
  static cl::SubCommand Cmd("baseline",
                            "Write the current findings to a baseline file; 'scan --baseline FILE' "
                            "then fails only on findings that are not in it");
  return Cmd;
}
} // namespace atm::cli

namespace {

cl::OptionCategory BaselineCat("Baseline options");
cl::opt<std::string> Output("output",
                            cl::desc("The baseline file to write (required); an existing one "
                                     "keeps the reason and expires of entries that still match"),
                            cl::value_desc("FILE"), cl::sub(baselineSubCommand()),
                            cl::cat(BaselineCat));
cl::opt<bool> Update("update",
                     cl::desc("Update the existing FILE: list and drop entries that no longer "
                              "match, add new findings, keep entries of paths and rules not "
                              "scanned"),
                     cl::sub(baselineSubCommand()), cl::cat(BaselineCat));
cl::opt<bool> NoAdd("no-add",
                    cl::desc("With --update: only drop stale entries, do not add new findings"),
                    cl::sub(baselineSubCommand()), cl::cat(BaselineCat));

std::string plural(size_t N, llvm::StringRef One, llvm::StringRef Many) {
  return std::to_string(N) + " " + (N == 1 ? One : Many).str();
}

/// One entry for a person: "path: rule: snippet" (masked, at most 160 bytes of snippet).
std::string describe(const BaselineEntry &E) {
  std::string Snip = redactSecrets(E.Snippet);
  if (Snip.size() > 160) {
    size_t K = 160;
    while (K > 0 && (static_cast<unsigned char>(Snip[K]) & 0xC0) == 0x80)
      --K; // never inside a UTF-8 sequence
    Snip = Snip.substr(0, K) + "\xE2\x80\xA6";
  }
  return E.Path + ": " + E.Rule + (Snip.empty() ? "" : ": " + Snip);
}

} // namespace

namespace atm::cli {

bool baselineSelected() { return static_cast<bool>(baselineSubCommand()); }

int runBaseline() {
  if (Output.empty())
    return fail("baseline: --output FILE is required (the baseline file to write)");
  if (NoAdd && !Update)
    return fail("--no-add goes with --update");
  std::string OutPath = Output;
  bool Exists = llvm::sys::fs::exists(OutPath);
  if (Exists && llvm::sys::fs::is_directory(OutPath))
    return fail("--output: '" + OutPath + "' is a directory; name the baseline file");
  if (Update && !Exists)
    return fail("--update: " + OutPath + " does not exist; write it first with "
                "'authtoken-migrate baseline --output " + OutPath + "'");
  std::optional<Baseline> Previous;
  std::string OldText;
  if (Exists) {
    auto Buf = llvm::MemoryBuffer::getFile(OutPath, /*IsText=*/true,
                                           /*RequiresNullTerminator=*/false);
    if (!Buf)
      return fail(OutPath + ": cannot read the baseline: " + Buf.getError().message());
    OldText = (*Buf)->getBuffer().str();
    auto B = parseBaseline(OldText, OutPath);
    if (!B)
      return fail(llvm::toString(B.takeError()) +
                  " (baseline keeps the reasons and expiry dates of the existing file, so it "
                  "must be valid: fix it, or delete it to write a new one)");
    Previous = std::move(*B);
  }

  ScanRun Run;
  Run.AllowStdin = false;
  if (int Rc = scanFromOptions(Run))
    return Rc;

  // --update keeps what this scan could not have seen: entries of other paths than the
  // PATHs given, of rules that --rule left out, and of files that could not be read.
  BaselineUpdateOptions UO;
  UO.Update = Update;
  UO.AddNew = !NoAdd;
  std::vector<std::string> Scopes; // root-relative; "" = the whole root
  for (const std::string &P : Run.Opts.Paths) {
    std::string Rel;
    std::string Abs = realAbsolutePath(P, Run.Cwd);
    if (!Abs.empty() && relativeUnder(Abs, Run.Opts.Discover.Root, Rel))
      Scopes.push_back(Rel);
  }
  llvm::StringSet<> Unread;
  for (const std::string &Pr : Run.Result.Stats.Problems)
    Unread.insert(llvm::StringRef(Pr).split(": ").first);
  const std::vector<std::string> &OnlyRules = Run.Opts.Engine.OnlyRules;
  UO.InScope = [&](const BaselineEntry &E) {
    if (!OnlyRules.empty() && !llvm::is_contained(OnlyRules, E.Rule))
      return false;
    if (Unread.count(E.Path))
      return false;
    llvm::StringRef P = E.Path;
    return llvm::any_of(Scopes, [&](const std::string &S) {
      return S.empty() || P == S || (P.startswith(S) && P.substr(S.size()).startswith("/"));
    });
  };
  BaselineUpdate U = updateBaseline(Run.Result.Findings, Previous ? &*Previous : nullptr, UO);

  llvm::raw_ostream &Err = llvm::errs();
  for (const std::string &Pr : Run.Result.Stats.Problems)
    Err << "problem: " << redactSecrets(Pr) << "\n";
  if (Update && !U.Stale.empty()) {
    Err << "removed " << plural(U.Stale.size(), "stale entry", "stale entries")
        << " (no finding matches):\n";
    for (const BaselineEntry &E : U.Stale)
      Err << "  " << describe(E) << "\n";
  }
  std::string Text = formatBaseline(U.Result);
  bool Same = Exists && Text == OldText;
  if (!Same)
    if (auto E = writeBaseline(OutPath, U.Result))
      return failErr(std::move(E));
  Err << (Same ? "unchanged " : "wrote ") << OutPath << ": "
      << plural(U.Result.Entries.size(), "entry", "entries");
  if (Previous) {
    Err << " (" << U.Added.size() << " new, " << U.Stale.size() << " removed, " << U.Kept
        << " kept";
    if (U.OutOfScope)
      Err << ", " << U.OutOfScope << " not scanned";
    Err << ")";
  }
  Err << "\n";
  return 0;
}

} // namespace atm::cli
