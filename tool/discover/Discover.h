#pragma once
/// \file
/// Walks the paths given on the command line into a sorted list of candidate
/// files, honouring .gitignore files (nested, negation, directory-only rules,
/// anchored rules,
/// `**`), .git/info/exclude and --include/--exclude globs, skipping .git/ and
/// files over the size limit. It never reads file contents (binary detection is
/// the reader's job).

#include <cstdint>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"

namespace atm {

/// The tool's ignore file (gitignore syntax) at the scan root: honoured even with
/// --no-ignore, and for files named on the command line.
inline constexpr llvm::StringLiteral ToolIgnoreFile = ".authtoken-migrate-ignore";

struct DiscoverOptions {
  bool NoIgnore = false; ///< --no-ignore: ignore .gitignore/.git/info/exclude
  bool FollowSymlinks =
      false; ///< follow symlinked files/dirs (with loop detection)
  std::vector<std::string>
      Include; ///< --include globs: when non-empty, only matching files
  std::vector<std::string>
      Exclude; ///< --exclude globs: matching files/dirs are skipped
  uint64_t MaxFileSize = 8u
                         << 20; ///< larger files are counted in Stats.TooLarge
  /// The real absolute root (discover/Root.h) that RelPaths are relative to; when
  /// empty, RelPaths are relative to each walked path as described at discoverFiles.
  std::string Root;
  /// Diff-aware scans (gate/GitDiff.h): when RestrictToPaths is set, only the files
  /// whose root-relative path is in OnlyPaths are returned, and the walk enters only
  /// the directories on the way to them. Ignore rules and globs apply as usual; a file
  /// named on the command line that is not in the set is dropped too. Needs Root.
  bool RestrictToPaths = false;
  std::set<std::string> OnlyPaths;
};

/// A file to scan.
struct DiscoveredFile {
  std::string Path; ///< path to open (as given root joined with the walk)
  std::string
      RelPath; ///< display path relative to the scan root, '/' separators
  uint64_t Size = 0;
  /// False when the streamed walk left the size to the reader (a regular file's size is
  /// one fstat of the open file away, so the walk does not stat it too): the reader
  /// applies MaxFileSize then.
  bool SizeKnown = true;
};

/// Why files were not scanned, for the summary.
struct DiscoverStats {
  unsigned Ignored = 0;  ///< files excluded by ignore files or globs
  unsigned TooLarge = 0; ///< files over MaxFileSize
  unsigned Symlinks = 0; ///< symlinks not followed (or loops broken)
  unsigned Unreadable =
      0; ///< directories/files that could not be stat'ed or listed
  /// One line per problem: "path: what happened".
  std::vector<std::string> Problems;
};

/// Walks \p Roots (files or directories). A root that does not exist is a
/// Problem and counted Unreadable, never a crash. Result sorted by RelPath,
/// without duplicates. RelPath: for a directory root, relative to it (prefixed
/// with the root as given when several roots are passed and the root is not
/// "."); for a file root, the path as given.
std::vector<DiscoveredFile> discoverFiles(llvm::ArrayRef<std::string> Roots,
                                          const DiscoverOptions &Opts,
                                          DiscoverStats &Stats);

/// The same walk, streamed: \p OnFile gets each file as the walk finds it, in walk
/// order (not sorted; a path reached twice through several roots comes twice), so that
/// a caller can start reading files while the walk goes on. The caller sorts and
/// dedupes by RelPath if it needs discoverFiles' order.
void discoverFiles(llvm::ArrayRef<std::string> Roots, const DiscoverOptions &Opts,
                   DiscoverStats &Stats,
                   const std::function<void(const DiscoveredFile &)> &OnFile);

namespace detail {
/// One '/'-separated piece of a compiled gitignore glob.
struct GlobSegment {
  enum KindTy : uint8_t {
    Literal,  ///< no wildcard: compared byte for byte (escapes already removed)
    Wildcard, ///< contains '*', '?', '[' or '\\'
    DoubleStar, ///< exactly "**": zero or more whole path components
  };
  std::string Text;
  KindTy Kind = Literal;
};
} // namespace detail

/// One parsed .gitignore-style rule list, exposed for unit tests.
class IgnoreList {
public:
  /// Parses gitignore syntax. \p BaseDir is the directory (relative to the walk
  /// root,
  /// '/'-separated, "" for the root) the file lives in.
  void addFile(llvm::StringRef Content, llvm::StringRef BaseDir);
  /// Decides for \p RelPath (relative to the walk root). Returns 1 ignored, 0
  /// re-included by a negation, -1 no rule matched. The last matching rule
  /// wins, as in git. A path inside an ignored directory is ignored too (git
  /// cannot re-include it), so the ancestors of \p RelPath are checked first.
  int match(llvm::StringRef RelPath, bool IsDir) const;

  /// Like match() for a path already split into components, but without the
  /// ancestor check: the walker never descends into ignored directories, so it
  /// needs only this.
  int matchComponents(llvm::ArrayRef<llvm::StringRef> Components,
                      bool IsDir) const;

  /// True when no rule was parsed (the walker drops such lists).
  bool empty() const { return Rules.empty(); }

private:
  struct Rule {
    std::string BaseDir;
    std::string Pattern;
    bool Negate = false;
    bool DirOnly = false;
    bool Anchored = false;
    /// BaseDir split on '/', compared against the leading path components.
    std::vector<std::string> BaseComponents;
    /// Pattern split on '/', compiled once when the file is parsed.
    std::vector<detail::GlobSegment> Segments;
  };
  bool ruleMatches(const Rule &R, llvm::ArrayRef<llvm::StringRef> Components,
                   bool IsDir) const;

  std::vector<Rule> Rules;
  /// Unanchored wildcard-free rules ("node_modules", "Thumbs.db") by basename,
  /// each with its rule indices ascending: one hash lookup instead of a scan
  /// per path.
  llvm::StringMap<llvm::SmallVector<unsigned, 1>> LiteralByName;
  /// Indices (ascending) of all the other rules, scanned from the back.
  std::vector<unsigned> ScannedRules;
};

/// gitignore-style glob match of one path (no leading '/'), '*' and '?' not
/// crossing '/',
/// '**' crossing directories, character classes [a-z] [!a-z]. Exposed for
/// tests.
bool gitGlobMatch(llvm::StringRef Pattern, llvm::StringRef Path);

} // namespace atm
