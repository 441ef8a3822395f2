#include "gate/GitDiff.h"

#include "core/Git.h"

#include <algorithm>

#include "discover/Root.h"
#include "llvm/ADT/Optional.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

namespace atm::gate {

namespace fs = llvm::sys::fs;
namespace path = llvm::sys::path;

// ---------------------------------------------------------------------------------
// Changed lines

bool FileChanges::intersects(unsigned First, unsigned Last) const {
  if (WholeFile)
    return true;
  if (Last < First)
    std::swap(First, Last);
  // The first range that ends at or after First; it intersects when it starts by Last.
  auto It = std::lower_bound(Ranges.begin(), Ranges.end(), First,
                             [](const std::pair<unsigned, unsigned> &R, unsigned L) {
                               return R.second < L;
                             });
  return It != Ranges.end() && It->first <= Last;
}

void FileChanges::add(unsigned First, unsigned Last) {
  if (Last < First)
    return;
  // git prints hunks in ascending order: append or extend the last range.
  if (Ranges.empty() || First > Ranges.back().second + 1) {
    Ranges.emplace_back(First, Last);
    return;
  }
  if (First >= Ranges.back().first) {
    Ranges.back().second = std::max(Ranges.back().second, Last);
    return;
  }
  Ranges.emplace_back(First, Last); // out of order: sort and merge
  std::sort(Ranges.begin(), Ranges.end());
  std::vector<std::pair<unsigned, unsigned>> Merged;
  for (const auto &R : Ranges) {
    if (!Merged.empty() && R.first <= Merged.back().second + 1)
      Merged.back().second = std::max(Merged.back().second, R.second);
    else
      Merged.push_back(R);
  }
  Ranges = std::move(Merged);
}

// ---------------------------------------------------------------------------------
// The -U0 parser

std::string unquoteGitPath(llvm::StringRef S) {
  if (S.size() < 2 || S.front() != '"' || S.back() != '"')
    return S.str();
  S = S.drop_front().drop_back();
  std::string Out;
  for (size_t I = 0; I < S.size(); ++I) {
    char C = S[I];
    if (C != '\\' || I + 1 == S.size()) {
      Out += C;
      continue;
    }
    char E = S[++I];
    switch (E) {
    case 'a': Out += '\a'; break;
    case 'b': Out += '\b'; break;
    case 't': Out += '\t'; break;
    case 'n': Out += '\n'; break;
    case 'v': Out += '\v'; break;
    case 'f': Out += '\f'; break;
    case 'r': Out += '\r'; break;
    default:
      if (E >= '0' && E <= '7') { // \ooo: one byte, three octal digits
        unsigned V = 0, N = 0;
        while (N < 3 && I < S.size() && S[I] >= '0' && S[I] <= '7') {
          V = V * 8 + (S[I] - '0');
          ++I, ++N;
        }
        --I;
        Out += static_cast<char>(V & 0xff);
      } else {
        Out += E; // \" \\ and anything else: the character itself
      }
    }
  }
  return Out;
}

namespace {
/// "+++ b/path", "+++ \"b/pa\\tth\"", "+++ /dev/null" -> the new path ("" for none).
std::string newPathOf(llvm::StringRef Label) {
  // git appends a TAB to a ---/+++ label that contains a space (GNU diff's format).
  if (Label.endswith("\t"))
    Label = Label.drop_back();
  if (Label == "/dev/null")
    return "";
  std::string P = unquoteGitPath(Label);
  if (llvm::StringRef(P).startswith("b/"))
    return P.substr(2);
  return P; // no prefix: diff.noprefix in some configuration; take it as it is
}

/// "@@ -a[,b] +c[,d] @@ …": sets the old and new counts and the new start.
bool parseHunkHeader(llvm::StringRef L, unsigned &OldCount, unsigned &NewStart,
                     unsigned &NewCount) {
  if (!L.consume_front("@@ -"))
    return false;
  auto Range = [](llvm::StringRef &S, unsigned &Start, unsigned &Count) {
    size_t End = S.find_first_not_of("0123456789,");
    llvm::StringRef R = S.take_front(End);
    S = S.drop_front(R.size());
    auto [A, B] = R.split(',');
    if (A.getAsInteger(10, Start))
      return false;
    Count = 1;
    return B.empty() ? !R.contains(',') : !B.getAsInteger(10, Count);
  };
  unsigned OldStart;
  if (!Range(L, OldStart, OldCount) || !L.consume_front(" +"))
    return false;
  if (!Range(L, NewStart, NewCount))
    return false;
  return L.startswith(" @@");
}
} // namespace

ChangedLines parseUnifiedDiff(llvm::StringRef Diff) {
  ChangedLines Out;
  std::string Path;    // the current file's new path ("" = nothing to record)
  bool Skip = false;   // a symbolic link or a submodule
  unsigned OldLeft = 0, NewLeft = 0; // lines of the current hunk body still to come
  auto Mode = [&](llvm::StringRef M) {
    M = M.trim();
    if (M == "120000" || M == "160000")
      Skip = true;
  };
  while (!Diff.empty()) {
    auto [Line, Rest] = Diff.split('\n');
    Diff = Rest;
    if (OldLeft || NewLeft) { // inside a hunk body: only its own lines
      if (Line.startswith("-") && OldLeft) {
        --OldLeft;
        continue;
      }
      if (Line.startswith("+") && NewLeft) {
        --NewLeft;
        continue;
      }
      if (Line.startswith(" ") && OldLeft && NewLeft) {
        --OldLeft, --NewLeft;
        continue;
      }
      if (Line.startswith("\\")) // "\ No newline at end of file"
        continue;
      OldLeft = NewLeft = 0; // a truncated hunk: read the line as a header
    }
    if (Line.startswith("diff --git ") || Line.startswith("diff --cc ") ||
        Line.startswith("diff --combined ")) {
      Path.clear();
      Skip = false;
      continue;
    }
    if (Line.consume_front("new file mode ") || Line.consume_front("new mode ") ||
        Line.consume_front("deleted file mode ")) {
      Mode(Line);
      continue;
    }
    if (Line.consume_front("index ")) {
      auto [Ids, M] = Line.split(' ');
      if (!M.empty())
        Mode(M);
      continue;
    }
    if (Line.consume_front("+++ ")) {
      Path = newPathOf(Line);
      continue;
    }
    unsigned OldCount, NewStart, NewCount;
    if (Line.startswith("@@ ") && parseHunkHeader(Line, OldCount, NewStart, NewCount)) {
      OldLeft = OldCount;
      NewLeft = NewCount;
      if (!Path.empty() && !Skip && NewCount)
        Out[Path].add(NewStart, NewStart + NewCount - 1);
      continue;
    }
    // Everything else between files: "--- a/x", "similarity index", "rename from/to",
    // "old mode", "Binary files … differ", "* Unmerged path …": nothing to record.
  }
  return Out;
}

// ---------------------------------------------------------------------------------
// Running git

namespace {
llvm::Error err(const llvm::Twine &Msg) {
  return llvm::createStringError(std::errc::invalid_argument, "%s", Msg.str().c_str());
}

/// Runs `git -C DIR -c core.quotePath=false ARGS…` (core/Git.h), stdin from
/// \p StdinFile (or /dev/null).
llvm::Expected<GitRun> gitIn(llvm::StringRef Git, llvm::StringRef Dir,
                             llvm::ArrayRef<std::string> Args, llvm::StringRef StdinFile = "") {
  std::vector<std::string> Argv = {"-C", Dir.str(), "-c", "core.quotePath=false"};
  Argv.insert(Argv.end(), Args.begin(), Args.end());
  GitRunOptions O;
  O.StdinFile = StdinFile.str();
  return runGit(Git, Argv, O);
}

std::string joinArgs(llvm::ArrayRef<std::string> Args) {
  std::string S = "git";
  for (const std::string &A : Args)
    S += " " + A;
  return S;
}

/// Runs git and wants exit code 0.
llvm::Expected<std::string> gitOk(llvm::StringRef Git, llvm::StringRef Dir,
                                  llvm::ArrayRef<std::string> Args,
                                  llvm::StringRef StdinFile = "") {
  auto R = gitIn(Git, Dir, Args, StdinFile);
  if (!R)
    return R.takeError();
  if (R->Code != 0)
    return err("'" + joinArgs(Args) + "' failed in " + Dir + " (exit " +
               llvm::Twine(R->Code) + "): " + R->firstErr());
  return std::move(R->Out);
}

/// Drops \p Prefix (the scan root below the work-tree top, "" or "dir/") from the
/// keys of \p In; paths outside it are left out.
ChangedLines underPrefix(ChangedLines In, llvm::StringRef Prefix) {
  if (Prefix.empty())
    return In;
  ChangedLines Out;
  for (auto &[P, C] : In)
    if (llvm::StringRef(P).startswith(Prefix) && P.size() > Prefix.size())
      Out.emplace(P.substr(Prefix.size()), std::move(C));
  return Out;
}

const char *const DiffArgs[] = {"diff", "--no-color", "--no-ext-diff", "--no-textconv",
                                "-U0", "--find-renames", "--diff-filter=AMRT",
                                "--no-relative", "--ignore-submodules=all",
                                "--src-prefix=a/", "--dst-prefix=b/"};
} // namespace

// ---------------------------------------------------------------------------------
// DiffScope

DiffScope::~DiffScope() {
  if (!SnapshotTop.empty())
    fs::remove_directories(SnapshotTop, /*IgnoreErrors=*/true);
}

llvm::Expected<std::unique_ptr<DiffScope>> DiffScope::create(llvm::StringRef Root,
                                                             const DiffRequest &Req) {
  const char *Opt = Req.K == DiffRequest::Staged ? "--staged" : "--changed-since";
  auto GitOr = llvm::sys::findProgramByName("git");
  if (!GitOr)
    return err(llvm::Twine(Opt) + " runs git, and git is not on PATH: install git");
  std::string Git = *GitOr;
  std::unique_ptr<DiffScope> S(new DiffScope());
  S->Root = Root.str();

  // Inside a work tree? Its top, and the root's place below it.
  auto Where = gitIn(Git, Root, {"rev-parse", "--is-inside-work-tree", "--show-toplevel",
                                  "--show-prefix"});
  if (!Where)
    return Where.takeError();
  llvm::SmallVector<llvm::StringRef, 3> Lines;
  llvm::StringRef(Where->Out).split(Lines, '\n');
  if (Where->Code != 0 || Lines.size() < 3 || Lines[0] != "true") {
    std::string Why = Where->Code != 0 ? " (git: " + Where->firstErr() + ")" : "";
    return err(llvm::Twine(Opt) + " needs a git work tree; " + Root + " is not in one" +
               Why);
  }
  std::string Top = Lines[1].str();
  std::string Prefix = Lines[2].str(); // "" or "dir/sub/"

  std::vector<std::string> Args(std::begin(DiffArgs), std::end(DiffArgs));
  if (Req.K == DiffRequest::ChangedSince) {
    if (Req.Rev.empty() || llvm::StringRef(Req.Rev).startswith("-"))
      return err("--changed-since: '" + Req.Rev +
                 "' is not a revision (give a commit, branch or tag, e.g. the PR's base SHA)");
    auto Rev = gitIn(Git, Root, {"rev-parse", "--verify", "--quiet", Req.Rev + "^{commit}"});
    if (!Rev)
      return Rev.takeError();
    std::string Sha = llvm::StringRef(Rev->Out).trim().str();
    if (Rev->Code != 0 || Sha.empty())
      return err("--changed-since: unknown revision '" + Req.Rev + "' in " + Top +
                 " (a shallow clone may lack it: fetch it, e.g. actions/checkout with "
                 "fetch-depth: 0)");
    Args.push_back(Sha);
    Args.push_back("--");
    auto Diff = gitOk(Git, Root, Args);
    if (!Diff)
      return Diff.takeError();
    ChangedLines All = parseUnifiedDiff(*Diff);
    // Untracked, not ignored: wholly new (only those under the root: git runs there).
    auto Others = gitOk(Git, Root, {"ls-files", "-z", "--others", "--exclude-standard",
                                    "--full-name"});
    if (!Others)
      return Others.takeError();
    llvm::SmallVector<llvm::StringRef, 16> Names;
    llvm::StringRef(*Others).split(Names, '\0', -1, /*KeepEmpty=*/false);
    for (llvm::StringRef N : Names)
      if (!N.endswith("/")) // a nested repository
        All[N.str()].WholeFile = true;
    S->Changes = underPrefix(std::move(All), Prefix);
    return S;
  }

  // --staged: the index against HEAD, or against the empty tree before the first commit.
  auto Head = gitIn(Git, Root, {"rev-parse", "--verify", "--quiet", "HEAD^{commit}"});
  if (!Head)
    return Head.takeError();
  std::string Base = llvm::StringRef(Head->Out).trim().str();
  if (Head->Code != 0 || Base.empty()) {
    auto Empty = gitOk(Git, Root, {"hash-object", "-t", "tree", "/dev/null"});
    if (!Empty)
      return Empty.takeError();
    Base = llvm::StringRef(*Empty).trim().str();
  }
  Args.insert(Args.begin() + 1, "--cached");
  Args.push_back(Base);
  Args.push_back("--");
  auto Diff = gitOk(Git, Root, Args);
  if (!Diff)
    return Diff.takeError();
  ChangedLines All = parseUnifiedDiff(*Diff);
  S->Changes = underPrefix(All, Prefix);

  // The staged text: the changed files and the ignore files, checked out of the index
  // into a temporary work tree (with a .git so that the walk treats it as the top).
  llvm::SmallString<256> Snap;
  if (auto EC = fs::createUniqueDirectory("authtoken-migrate-staged", Snap))
    return err("--staged: cannot create a temporary directory: " + EC.message());
  llvm::SmallString<256> SnapReal;
  if (!fs::real_path(Snap, SnapReal))
    Snap = SnapReal;
  S->SnapshotTop = std::string(Snap);
  if (auto EC = fs::create_directories(S->SnapshotTop + "/.git/info"))
    return err("--staged: cannot create " + S->SnapshotTop + "/.git: " + EC.message());
  auto Exclude = gitOk(Git, Root, {"rev-parse", "--git-path", "info/exclude"});
  if (Exclude) {
    llvm::SmallString<256> Ex(llvm::StringRef(*Exclude).trim());
    if (!path::is_absolute(Ex)) {
      llvm::SmallString<256> Abs(Root);
      path::append(Abs, Ex);
      Ex = Abs;
    }
    if (fs::exists(Ex))
      fs::copy_file(Ex, S->SnapshotTop + "/.git/info/exclude");
  } else {
    llvm::consumeError(Exclude.takeError());
  }
  auto IgnoreFiles = gitOk(Git, Top, {"ls-files", "-z", "--cached", "--full-name", "--",
                                      ":(glob)**/.gitignore", ":(glob)**/.ignore",
                                      ":(glob)**/.authtoken-migrate-ignore"});
  if (!IgnoreFiles)
    return IgnoreFiles.takeError();
  std::string List = *IgnoreFiles;
  for (const auto &KV : S->Changes)
    List += Prefix + KV.first + '\0';
  llvm::SmallString<128> ListPath;
  if (auto EC = fs::createTemporaryFile("authtoken-migrate-staged", "list", ListPath))
    return err("--staged: cannot create a temporary file: " + EC.message());
  llvm::FileRemover RemoveList(ListPath);
  {
    std::error_code EC;
    llvm::raw_fd_ostream OS(ListPath, EC);
    if (EC)
      return err("--staged: cannot write " + ListPath + ": " + EC.message());
    OS << List;
  }
  if (!List.empty()) {
    auto Checkout = gitOk(Git, Top, {"checkout-index", "-z", "--stdin", "-f",
                                     "--prefix=" + S->SnapshotTop + "/"},
                          ListPath);
    if (!Checkout)
      return Checkout.takeError();
  }
  std::string SnapRoot = S->SnapshotTop;
  if (!Prefix.empty())
    SnapRoot += "/" + llvm::StringRef(Prefix).rtrim('/').str();
  if (auto EC = fs::create_directories(SnapRoot))
    return err("--staged: cannot create " + SnapRoot + ": " + EC.message());
  S->SnapshotRoot = SnapRoot;
  return S;
}

ScanOptions DiffScope::scanOptions(const ScanOptions &Opts, llvm::StringRef Cwd) const {
  ScanOptions R = Opts;
  R.Discover.RestrictToPaths = true;
  R.Discover.OnlyPaths.clear();
  for (const auto &KV : Changes)
    if (!KV.second.empty())
      R.Discover.OnlyPaths.insert(KV.first);
  if (SnapshotRoot.empty())
    return R;
  // --staged: the same paths, inside the snapshot; those with nothing staged are gone.
  R.Discover.Root = SnapshotRoot;
  R.Paths.clear();
  for (const std::string &P : Opts.Paths) {
    std::string Rel;
    if (!relativeUnder(realAbsolutePath(P, Cwd), Root, Rel))
      continue;
    std::string In = Rel.empty() ? SnapshotRoot : SnapshotRoot + "/" + Rel;
    if (fs::exists(In))
      R.Paths.push_back(In);
  }
  return R;
}

void filterToChangedLines(ScanResult &R, const ChangedLines &Changes) {
  auto Outside = [&](const Finding &F) {
    auto It = Changes.find(F.Path);
    if (It == Changes.end())
      return true;
    Position B = F.Begin, E = F.End;
    if (F.StatementBegin.Line != 0 && F.StatementEnd.Line != 0)
      B = F.StatementBegin, E = F.StatementEnd;
    unsigned Last = E.Line;
    // End is exclusive: an end at column 1 of a later line stops on the line before.
    if (E.Column <= 1 && E.Line > B.Line)
      --Last;
    return !It->second.intersects(B.Line, std::max(Last, B.Line));
  };
  size_t Before = R.Findings.size();
  R.Findings.erase(std::remove_if(R.Findings.begin(), R.Findings.end(), Outside),
                   R.Findings.end());
  R.Stats.OutsideDiff += Before - R.Findings.size();
}

} // namespace atm::gate
