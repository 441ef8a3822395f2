#pragma once
/// \file
/// `scan --repos-from FILE` (README "Fleet scans"): the repository list, the
/// names its reports are written under, the shard a process takes, and the
/// shallow clones of the repositories given as git URLs. git runs through
/// llvm::sys::ExecuteAndWait with an argv (never a shell) and
/// GIT_TERMINAL_PROMPT=0, so a private repository fails instead of waiting for
/// a password.

#include <string>
#include <vector>

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

namespace atm {

/// One line of the list: "ENTRY [NAME]".
struct RepoEntry {
  std::string Source; ///< a local directory or a git URL, as written
  bool IsUrl = false;
  std::string Name; ///< unique and filesystem-safe (assigned by parseRepoList)
  unsigned Line = 0;
  size_t Index = 0; ///< position among the entries (0-based), for --shard
};

/// True for the git URLs the list accepts: https://, http://, ssh://, git://,
/// file:// and scp-like "user@host:path".
bool isGitUrl(llvm::StringRef S);

/// "name" from ".../name.git", "host:org/name", "/srv/name/": the last path
/// component, without ".git", made filesystem-safe ([A-Za-z0-9._-], other bytes
/// '_', no leading '.').
std::string repoBaseName(llvm::StringRef Source);
std::string safeName(llvm::StringRef Name);

/// Parses a list: one entry a line, optional second column
/// (whitespace-separated) naming it; blank lines and lines starting with '#'
/// are skipped. Names are made unique in list order ("api", "api-2", ...).
/// Errors name \p File and the line: more than two columns, a given name used
/// twice, a name that is not filesystem-safe ('/', "..").
llvm::Expected<std::vector<RepoEntry>> parseRepoList(llvm::StringRef Text,
                                                     llvm::StringRef File);

/// \p Url without a user:password@ part (what reports and messages show).
std::string urlWithoutCredentials(llvm::StringRef Url);

/// Reads and parses \p Path.
llvm::Expected<std::vector<RepoEntry>> readRepoList(llvm::StringRef Path);

/// "I/N" (0 <= I < N): the shard index and count.
llvm::Expected<std::pair<unsigned, unsigned>> parseShard(llvm::StringRef S);

/// The entries of shard \p I of \p N: every N-th entry starting at the I-th.
std::vector<RepoEntry> selectShard(const std::vector<RepoEntry> &All,
                                   unsigned I, unsigned N);

/// The default clone cache: $XDG_CACHE_HOME/authtoken-migrate/repos, else
/// $HOME/.cache/authtoken-migrate/repos.
std::string defaultRepoCache();

/// A repository ready to scan.
struct PreparedRepo {
  std::string
      Dir; ///< the directory to scan (the clone, or the local directory)
  std::string Commit; ///< HEAD's sha when Dir is a git work tree, else ""
};

/// A local directory as it is; a URL cloned shallow (git clone --depth 1) into
/// CACHE/NAME-HASH (HASH: of the URL), or, when that clone exists, fetched
/// (--depth 1) and reset to the fetched commit. A new clone is made in a
/// temporary directory and renamed into place, so an interrupted clone never
/// looks like a clone. Errors say what failed (with git's own message, secrets
/// redacted).
llvm::Expected<PreparedRepo> prepareRepo(const RepoEntry &E,
                                         llvm::StringRef CacheDir);

} // namespace atm
