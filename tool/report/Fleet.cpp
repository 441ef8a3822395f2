#include "report/Fleet.h"

#include "core/Git.h"

#include <cstdlib>
#include <map>
#include <set>

#include "core/Redact.h"
#include "core/Text.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/Program.h"

namespace fs = llvm::sys::fs;

namespace atm {

namespace {

llvm::Error err(const llvm::Twine &Msg) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), Msg.str());
}

} // namespace

bool isGitUrl(llvm::StringRef S) {
  for (llvm::StringRef Scheme :
       {"https://", "http://", "ssh://", "git://", "file://"})
    if (S.startswith(Scheme))
      return S.size() > Scheme.size();
  // scp-like: user@host:path (a ':' before any '/', and an '@' before the ':').
  size_t Colon = S.find(':'), Slash = S.find('/'), At = S.find('@');
  return Colon != llvm::StringRef::npos && Colon + 1 < S.size() &&
         (Slash == llvm::StringRef::npos || Colon < Slash) &&
         At != llvm::StringRef::npos && At > 0 && At + 1 < Colon;
}

std::string safeName(llvm::StringRef Name) {
  std::string Out;
  for (char C : Name)
    Out.push_back(llvm::isAlnum(C) || C == '.' || C == '_' || C == '-' ? C
                                                                       : '_');
  if (!Out.empty() && Out[0] == '.')
    Out[0] = '_';
  return Out.empty() ? std::string("repo") : Out;
}

std::string repoBaseName(llvm::StringRef Source) {
  llvm::StringRef S = Source.rtrim('/');
  if (isGitUrl(S)) {
    size_t Cut = S.find_last_of("/:");
    if (Cut != llvm::StringRef::npos)
      S = S.drop_front(Cut + 1);
  } else {
    S = llvm::sys::path::filename(S);
  }
  S.consume_back(".git");
  return safeName(S);
}

llvm::Expected<std::vector<RepoEntry>> parseRepoList(llvm::StringRef Text,
                                                     llvm::StringRef File) {
  std::vector<RepoEntry> Out;
  std::map<std::string, unsigned>
      GivenAt; // a name of the second column -> its line
  llvm::SmallVector<llvm::StringRef, 0> Lines;
  Text.split(Lines, '\n');
  unsigned LineNo = 0;
  for (llvm::StringRef L : Lines) {
    ++LineNo;
    L = L.trim();
    if (L.empty() || L.startswith("#"))
      continue;
    llvm::SmallVector<llvm::StringRef, 3> Cols;
    L.split(Cols, ' ', -1, false);
    // Tabs separate columns too.
    llvm::SmallVector<llvm::StringRef, 3> Fields;
    for (llvm::StringRef C : Cols) {
      llvm::SmallVector<llvm::StringRef, 3> Sub;
      C.split(Sub, '\t', -1, false);
      Fields.append(Sub.begin(), Sub.end());
    }
    auto Where = [&] {
      return (File + ":" + llvm::Twine(LineNo) + ": ").str();
    };
    if (Fields.size() > 2)
      return err(Where() + "expected 'REPOSITORY [NAME]', got " +
                 llvm::Twine(Fields.size()) +
                 " columns (a path with spaces is not supported)");
    RepoEntry E;
    E.Source = Fields[0].str();
    E.IsUrl = isGitUrl(E.Source);
    E.Line = LineNo;
    E.Index = Out.size();
    if (Fields.size() == 2) {
      llvm::StringRef N = Fields[1];
      if (N == "." || N == ".." || safeName(N) != N)
        return err(Where() + "the name '" + N +
                   "' is not a file name (letters, digits, '.', '_' and '-'; "
                   "not starting "
                   "with '.')");
      auto [It, New] = GivenAt.emplace(N.str(), LineNo);
      if (!New)
        return err(Where() + "the name '" + N + "' is also given on line " +
                   llvm::Twine(It->second));
      E.Name = N.str();
    }
    Out.push_back(std::move(E));
  }
  // Derived names: the basename, made unique against every given name and
  // earlier entry.
  std::set<std::string> Used;
  for (const auto &KV : GivenAt)
    Used.insert(KV.first);
  for (RepoEntry &E : Out) {
    if (!E.Name.empty())
      continue;
    std::string Base = repoBaseName(E.Source), Name = Base;
    for (unsigned K = 2; Used.count(Name); ++K)
      Name = Base + "-" + std::to_string(K);
    Used.insert(Name);
    E.Name = Name;
  }
  return Out;
}

llvm::Expected<std::vector<RepoEntry>> readRepoList(llvm::StringRef Path) {
  if (fs::is_directory(Path))
    return err(
        Path +
        ": is a directory (expected a list of repositories, one a line)");
  auto Buf = Path == "-" ? llvm::MemoryBuffer::getSTDIN()
                         : llvm::MemoryBuffer::getFile(Path);
  if (!Buf)
    return err(Path + ": cannot read: " + Buf.getError().message());
  return parseRepoList((*Buf)->getBuffer(), Path == "-" ? "<stdin>" : Path);
}

llvm::Expected<std::pair<unsigned, unsigned>> parseShard(llvm::StringRef S) {
  auto [A, B] = S.split('/');
  unsigned I, N;
  if (A.empty() || B.empty() || A.getAsInteger(10, I) ||
      B.getAsInteger(10, N) || N == 0 || I >= N)
    return err("--shard: expected I/N with 0 <= I < N (e.g. 0/4), got '" + S +
               "'");
  return std::make_pair(I, N);
}

std::vector<RepoEntry> selectShard(const std::vector<RepoEntry> &All,
                                   unsigned I, unsigned N) {
  std::vector<RepoEntry> Out;
  for (size_t K = I; K < All.size(); K += N)
    Out.push_back(All[K]);
  return Out;
}

std::string defaultRepoCache() {
  llvm::SmallString<256> P;
  const char *Xdg = std::getenv("XDG_CACHE_HOME");
  if (Xdg && *Xdg) {
    P = Xdg;
  } else {
    const char *Home = std::getenv("HOME");
    P = Home && *Home ? Home : ".";
    llvm::sys::path::append(P, ".cache");
  }
  llvm::sys::path::append(P, "authtoken-migrate", "repos");
  return std::string(P);
}

namespace {

/// Runs git with \p Args (after "git"), no shell, stdin /dev/null,
/// GIT_TERMINAL_PROMPT=0 (core/Git.h).
llvm::Expected<GitRun> git(llvm::ArrayRef<std::string> Args) {
  static std::string GitPath = [] {
    auto P = llvm::sys::findProgramByName("git");
    return P ? *P : std::string();
  }();
  if (GitPath.empty())
    return err(
        "git is not on PATH (needed to clone repositories): install git");
  GitRunOptions O;
  O.NoPrompt = true;
  return runGit(GitPath, Args, O);
}

/// "git clone: <git's last stderr line>" (URLs may carry credentials:
/// redacted).
std::string gitFailure(llvm::StringRef What, const GitRun &R) {
  llvm::StringRef E = llvm::StringRef(R.Err).trim();
  size_t NL = E.rfind('\n');
  if (NL != llvm::StringRef::npos)
    E = E.drop_front(NL + 1);
  return redactSecrets((What + " failed (git exit " + llvm::Twine(R.Code) +
                        ")" + (E.empty() ? "" : ": " + E))
                           .str());
}

} // namespace

std::string urlWithoutCredentials(llvm::StringRef Url) {
  size_t Scheme = Url.find("://");
  if (Scheme == llvm::StringRef::npos)
    return Url.str();
  size_t HostStart = Scheme + 3;
  size_t At = Url.find('@', HostStart), Slash = Url.find('/', HostStart);
  if (At == llvm::StringRef::npos ||
      (Slash != llvm::StringRef::npos && At > Slash))
    return Url.str();
  return (Url.substr(0, HostStart) + Url.substr(At + 1)).str();
}

namespace {

/// HEAD's sha when \p Dir is the top of a git work tree (not a directory inside
/// one), else "". One git run.
std::string workTreeCommit(llvm::StringRef Dir) {
  auto R = git({"-C", Dir.str(), "rev-parse", "--show-toplevel", "HEAD"});
  if (!R || R->Code != 0)
    return "";
  auto [Top, Rest] = llvm::StringRef(R->Out).split('\n');
  llvm::SmallString<256> A, B;
  if (fs::real_path(Top.trim(), A) || fs::real_path(Dir, B) || A != B)
    return "";
  llvm::StringRef Sha = Rest.trim();
  return Sha.size() == 40 && Sha.find_first_not_of("0123456789abcdef") ==
                                 llvm::StringRef::npos
             ? Sha.str()
             : "";
}

} // namespace

namespace {
/// \p Msg with every copy of \p Url replaced by \p Shown (its credentials
/// removed), in case git's message quotes the URL as given.
std::string scrubUrl(std::string Msg, const std::string &Url,
                     const std::string &Shown) {
  if (Url == Shown)
    return Msg;
  for (size_t P; (P = Msg.find(Url)) != std::string::npos;)
    Msg.replace(P, Url.size(), Shown);
  return Msg;
}
} // namespace

llvm::Expected<PreparedRepo> prepareRepo(const RepoEntry &E,
                                         llvm::StringRef CacheDir) {
  PreparedRepo P;
  if (!E.IsUrl) {
    if (!fs::is_directory(E.Source))
      return err(E.Source + ": no such directory");
    std::error_code EC;
    fs::directory_iterator It(E.Source, EC); // readable?
    if (EC)
      return err(E.Source + ": cannot read: " + EC.message());
    P.Dir = E.Source;
    P.Commit = workTreeCommit(E.Source);
    return P;
  }
  std::string Shown = urlWithoutCredentials(E.Source);
  if (auto EC = fs::create_directories(CacheDir))
    return err("--repos-cache " + CacheDir +
               ": cannot create: " + EC.message());
  llvm::SmallString<256> Dir(CacheDir);
  llvm::sys::path::append(Dir,
                          E.Name + "-" + stableHash({E.Source}).substr(0, 12));
  P.Dir = std::string(Dir);
  if (fs::is_directory(P.Dir + "/.git")) {
    auto F = git({"-C", P.Dir, "fetch", "--depth", "1", "--quiet", "origin"});
    if (!F)
      return F.takeError();
    if (F->Code != 0)
      return err(Shown + ": " +
                 scrubUrl(gitFailure("git fetch", *F), E.Source, Shown));
    auto R = git({"-C", P.Dir, "reset", "--hard", "--quiet", "FETCH_HEAD"});
    if (!R)
      return R.takeError();
    if (R->Code != 0)
      return err(Shown + ": " + gitFailure("git reset", *R));
    // Files the old commit had and the new one does not are gone; untracked
    // files left by an earlier tool run are removed too, so the scan sees
    // exactly the fetched commit.
    auto C = git({"-C", P.Dir, "clean", "-ffdxq"});
    if (!C)
      return C.takeError();
  } else {
    if (fs::exists(P.Dir))
      fs::remove_directories(
          P.Dir); // not a clone (left by something else): start again
    llvm::SmallString<256> Tmp(P.Dir);
    Tmp += ".tmp-" + std::to_string(llvm::sys::Process::getProcessId());
    fs::remove_directories(Tmp);
    auto R = git(
        {"clone", "--depth", "1", "--quiet", "--", E.Source, std::string(Tmp)});
    if (!R)
      return R.takeError();
    if (R->Code != 0) {
      fs::remove_directories(Tmp);
      return err(Shown + ": " +
                 scrubUrl(gitFailure("git clone", *R), E.Source, Shown));
    }
    if (auto EC = fs::rename(Tmp, P.Dir)) {
      fs::remove_directories(Tmp);
      return err(Shown + ": cannot move the clone into " + P.Dir + ": " +
                 EC.message());
    }
  }
  P.Commit = workTreeCommit(P.Dir);
  return P;
}

} // namespace atm
