//===- Discover.cpp - walk roots into candidate files ---------------------===//
//
// File discovery: a recursive directory walk honouring gitignore-style rule
// files,
// --include/--exclude globs, a size limit and (optionally) symlinks with loop
// detection.
//
//===----------------------------------------------------------------------===//

#include "discover/Discover.h"
#include "discover/Root.h"

#include <algorithm>
#include <cctype>
#include <memory>
#include <set>
#include <system_error>

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/GlobPattern.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

namespace atm {

using detail::GlobSegment;
namespace fs = llvm::sys::fs;

//===----------------------------------------------------------------------===//
// Glob matching
//===----------------------------------------------------------------------===//

namespace {

/// Matches a POSIX class name such as "alpha" (from "[:alpha:]") against \p C.
/// Returns false for unknown names, like git does for a malformed class.
bool matchPosixClass(llvm::StringRef Name, unsigned char C) {
  if (Name == "alnum")
    return std::isalnum(C);
  if (Name == "alpha")
    return std::isalpha(C);
  if (Name == "blank")
    return C == ' ' || C == '\t';
  if (Name == "cntrl")
    return std::iscntrl(C);
  if (Name == "digit")
    return std::isdigit(C);
  if (Name == "graph")
    return std::isgraph(C);
  if (Name == "lower")
    return std::islower(C);
  if (Name == "print")
    return std::isprint(C);
  if (Name == "punct")
    return std::ispunct(C);
  if (Name == "space")
    return std::isspace(C);
  if (Name == "upper")
    return std::isupper(C);
  if (Name == "xdigit")
    return std::isxdigit(C);
  return false;
}

/// Tries the bracket expression starting at Pat[I] == '[' against \p C. On
/// success sets \p Next to the index after the closing ']' and \p Matched to
/// the outcome. Returns false when there is no closing ']' (the '[' is then a
/// literal).
bool matchClass(llvm::StringRef Pat, size_t I, unsigned char C, size_t &Next,
                bool &Matched) {
  size_t J = I + 1;
  bool Negated = false;
  if (J < Pat.size() && (Pat[J] == '!' || Pat[J] == '^')) {
    Negated = true;
    ++J;
  }
  bool Found = false;
  bool First = true;
  while (J < Pat.size()) {
    char P = Pat[J];
    // ']' right after '[' or '[!' is a literal member, as in fnmatch.
    if (P == ']' && !First) {
      Next = J + 1;
      Matched = Found != Negated;
      return true;
    }
    First = false;
    if (P == '[' && J + 1 < Pat.size() && Pat[J + 1] == ':') {
      size_t End = Pat.find(":]", J + 2);
      if (End != llvm::StringRef::npos) {
        if (matchPosixClass(Pat.slice(J + 2, End), C))
          Found = true;
        J = End + 2;
        continue;
      }
    }
    unsigned char Lo = P;
    if (P == '\\' && J + 1 < Pat.size())
      Lo = Pat[++J];
    ++J;
    unsigned char Hi = Lo;
    if (J + 1 < Pat.size() && Pat[J] == '-' && Pat[J + 1] != ']') {
      Hi = Pat[J + 1];
      J += 2;
      if (Hi == '\\' && J < Pat.size())
        Hi = Pat[J++];
    }
    if (Lo <= C && C <= Hi)
      Found = true;
  }
  return false;
}

/// fnmatch-style match of one path component: '*' any run, '?' one byte,
/// classes,
/// '\x' literal x. Neither side contains '/'. Iterative with single-star
/// backtracking, so it is linear-ish even for patterns like "*a*a*a*b".
bool matchSegment(llvm::StringRef Pat, llvm::StringRef Str) {
  size_t P = 0, S = 0;
  size_t StarP = llvm::StringRef::npos, StarS = 0;
  while (S < Str.size()) {
    if (P < Pat.size()) {
      char C = Pat[P];
      if (C == '*') {
        while (P < Pat.size() && Pat[P] == '*')
          ++P;
        if (P == Pat.size())
          return true; // trailing star swallows the rest of the component
        StarP = P;
        StarS = S;
        continue;
      }
      if (C == '?') {
        ++P;
        ++S;
        continue;
      }
      if (C == '[') {
        size_t Next;
        bool Matched;
        if (matchClass(Pat, P, Str[S], Next, Matched)) {
          if (Matched) {
            P = Next;
            ++S;
            continue;
          }
        } else if (Str[S] == '[') {
          ++P;
          ++S;
          continue;
        }
      } else {
        if (C == '\\' && P + 1 < Pat.size())
          C = Pat[++P];
        if (C == Str[S]) {
          ++P;
          ++S;
          continue;
        }
      }
    }
    // Mismatch: let the last star swallow one more byte, or fail.
    if (StarP == llvm::StringRef::npos)
      return false;
    P = StarP;
    S = ++StarS;
  }
  while (P < Pat.size() && Pat[P] == '*')
    ++P;
  return P == Pat.size();
}

/// Compiles one '/'-free piece of a pattern. Backslash escapes of plain
/// characters are resolved here so the common escaped case ("\#foo") still
/// takes the literal path.
GlobSegment compileSegment(llvm::StringRef Text) {
  GlobSegment Seg;
  if (Text == "**") {
    Seg.Kind = GlobSegment::DoubleStar;
    Seg.Text = "**";
    return Seg;
  }
  if (Text.find_first_of("*?[") != llvm::StringRef::npos) {
    Seg.Kind = GlobSegment::Wildcard;
    Seg.Text = Text.str();
    return Seg;
  }
  Seg.Kind = GlobSegment::Literal;
  Seg.Text.reserve(Text.size());
  for (size_t I = 0; I < Text.size(); ++I) {
    if (Text[I] == '\\' && I + 1 < Text.size())
      ++I;
    Seg.Text.push_back(Text[I]);
  }
  return Seg;
}

std::vector<GlobSegment> compilePattern(llvm::StringRef Pattern) {
  std::vector<GlobSegment> Segs;
  llvm::SmallVector<llvm::StringRef, 8> Parts;
  Pattern.split(Parts, '/', /*MaxSplit=*/-1, /*KeepEmpty=*/false);
  Segs.reserve(Parts.size());
  for (llvm::StringRef Part : Parts) {
    // "a/**/**/b" is the same as "a/**/b"; collapsing keeps backtracking
    // bounded.
    if (Part == "**" && !Segs.empty() &&
        Segs.back().Kind == GlobSegment::DoubleStar)
      continue;
    Segs.push_back(compileSegment(Part));
  }
  return Segs;
}

bool segmentMatches(const GlobSegment &Seg, llvm::StringRef Comp) {
  switch (Seg.Kind) {
  case GlobSegment::Literal:
    return Seg.Text == Comp;
  case GlobSegment::Wildcard:
    return matchSegment(Seg.Text, Comp);
  case GlobSegment::DoubleStar:
    return true;
  }
  return false;
}

/// Matches compiled segments against path components, '**' spanning any number
/// of whole components; a trailing '**' needs at least one ("dir/**" is the
/// contents).
bool matchSegments(llvm::ArrayRef<GlobSegment> Segs,
                   llvm::ArrayRef<llvm::StringRef> Comps) {
  while (!Segs.empty()) {
    const GlobSegment &Seg = Segs.front();
    if (Seg.Kind == GlobSegment::DoubleStar) {
      if (Segs.size() == 1)
        return !Comps.empty();
      for (size_t K = 0; K <= Comps.size(); ++K)
        if (matchSegments(Segs.drop_front(), Comps.drop_front(K)))
          return true;
      return false;
    }
    if (Comps.empty() || !segmentMatches(Seg, Comps.front()))
      return false;
    Segs = Segs.drop_front();
    Comps = Comps.drop_front();
  }
  return Comps.empty();
}

void splitPath(llvm::StringRef Path,
               llvm::SmallVectorImpl<llvm::StringRef> &Comps) {
  Path.split(Comps, '/', /*MaxSplit=*/-1, /*KeepEmpty=*/false);
}

} // namespace

bool gitGlobMatch(llvm::StringRef Pattern, llvm::StringRef Path) {
  std::vector<GlobSegment> Segs = compilePattern(Pattern);
  llvm::SmallVector<llvm::StringRef, 16> Comps;
  splitPath(Path, Comps);
  if (Segs.empty())
    return Comps.empty();
  return matchSegments(Segs, Comps);
}

//===----------------------------------------------------------------------===//
// IgnoreList
//===----------------------------------------------------------------------===//

void IgnoreList::addFile(llvm::StringRef Content, llvm::StringRef BaseDir) {
  BaseDir = BaseDir.trim('/');
  if (BaseDir == ".")
    BaseDir = "";
  std::vector<std::string> BaseComponents;
  {
    llvm::SmallVector<llvm::StringRef, 8> Parts;
    splitPath(BaseDir, Parts);
    for (llvm::StringRef P : Parts)
      if (P != ".")
        BaseComponents.push_back(P.str());
  }

  // A UTF-8 BOM at the start would otherwise become part of the first pattern.
  if (Content.startswith("\xEF\xBB\xBF"))
    Content = Content.drop_front(3);

  while (!Content.empty()) {
    llvm::StringRef Line;
    std::tie(Line, Content) = Content.split('\n');
    if (Line.endswith("\r"))
      Line = Line.drop_back();
    if (Line.empty() || Line.front() == '#')
      continue;

    // Trailing spaces are dropped unless escaped with a backslash ("foo\ ").
    size_t End = Line.size();
    while (End > 0 && Line[End - 1] == ' ') {
      if (End >= 2 && Line[End - 2] == '\\')
        break;
      --End;
    }
    Line = Line.take_front(End);

    Rule R;
    if (Line.startswith("!")) {
      R.Negate = true;
      Line = Line.drop_front();
    } else if (Line.startswith("\\!") || Line.startswith("\\#")) {
      Line = Line.drop_front(); // the escaped char is a plain literal now
    }
    if (Line.endswith("/") && !Line.endswith("\\/")) {
      R.DirOnly = true;
      Line = Line.rtrim('/');
    }
    if (Line.empty())
      continue;
    // Any remaining '/' (leading or middle) anchors the rule to BaseDir.
    R.Anchored = Line.contains('/');
    Line = Line.ltrim('/');
    if (Line.empty())
      continue;

    R.BaseDir = BaseDir.str();
    R.Pattern = Line.str();
    R.BaseComponents = BaseComponents;
    R.Segments = compilePattern(Line);
    if (R.Segments.empty())
      continue;
    unsigned Index = Rules.size();
    if (!R.Anchored && R.Segments.front().Kind == GlobSegment::Literal)
      LiteralByName[R.Segments.front().Text].push_back(Index);
    else
      ScannedRules.push_back(Index);
    Rules.push_back(std::move(R));
  }
}

bool IgnoreList::ruleMatches(const Rule &R,
                             llvm::ArrayRef<llvm::StringRef> Comps,
                             bool IsDir) const {
  if (R.DirOnly && !IsDir)
    return false;
  size_t NBase = R.BaseComponents.size();
  // A rule never matches its own directory, only things below it.
  if (Comps.size() <= NBase)
    return false;
  for (size_t I = 0; I < NBase; ++I)
    if (R.BaseComponents[I] != Comps[I])
      return false;
  llvm::ArrayRef<llvm::StringRef> Rel = Comps.drop_front(NBase);
  return R.Anchored ? matchSegments(R.Segments, Rel)
                    : segmentMatches(R.Segments.front(), Rel.back());
}

int IgnoreList::matchComponents(llvm::ArrayRef<llvm::StringRef> Comps,
                                bool IsDir) const {
  if (Comps.empty() || Rules.empty())
    return -1;
  // "Last matching rule wins": find the highest matching index. Literal
  // basename rules come from the hash index, the rest are scanned backwards
  // until they can no longer beat what was found.
  int Best = -1;
  auto It = LiteralByName.find(Comps.back());
  if (It != LiteralByName.end())
    for (unsigned Index : llvm::reverse(It->second))
      if (ruleMatches(Rules[Index], Comps, IsDir)) {
        Best = Index;
        break;
      }
  for (unsigned Index : llvm::reverse(ScannedRules)) {
    if (static_cast<int>(Index) < Best)
      break;
    if (ruleMatches(Rules[Index], Comps, IsDir)) {
      Best = Index;
      break;
    }
  }
  if (Best < 0)
    return -1;
  return Rules[Best].Negate ? 0 : 1;
}

int IgnoreList::match(llvm::StringRef RelPath, bool IsDir) const {
  llvm::SmallVector<llvm::StringRef, 16> Comps;
  splitPath(RelPath, Comps);
  llvm::ArrayRef<llvm::StringRef> All(Comps);
  for (size_t K = 1; K < All.size(); ++K)
    if (matchComponents(All.take_front(K), /*IsDir=*/true) == 1)
      return 1;
  return matchComponents(All, IsDir);
}

//===----------------------------------------------------------------------===//
// The walk
//===----------------------------------------------------------------------===//

namespace {

/// Rule files of one directory (info/exclude, .gitignore, .ignore merged in
/// ascending precedence), applying to paths whose components start at
/// BaseDepth.
struct IgnoreFrame {
  IgnoreList List;
  size_t BaseDepth = 0;
};

struct DirEntryInfo {
  std::string Name;
  fs::file_type Type;
};

/// Reads a rule file into \p List if it exists. Missing files are normal;
/// unreadable ones are reported but never stop the walk.
bool loadRuleFile(const llvm::Twine &Path, IgnoreList &List,
                  DiscoverStats &Stats) {
  llvm::SmallString<256> P;
  Path.toVector(P);
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> Buf =
      llvm::MemoryBuffer::getFile(P, /*IsText=*/true);
  if (!Buf) {
    if (Buf.getError() != std::errc::no_such_file_or_directory &&
        Buf.getError() != std::errc::not_a_directory) {
      Stats.Problems.push_back((P + ": " + Buf.getError().message()).str());
      ++Stats.Unreadable;
    }
    return false;
  }
  List.addFile((*Buf)->getBuffer(), "");
  return true;
}

bool isVcsDir(llvm::StringRef Name) {
  return Name == ".git" || Name == ".hg" || Name == ".svn";
}

class Walker {
public:
  Walker(const DiscoverOptions &Opts, DiscoverStats &Stats,
         std::vector<DiscoveredFile> &Out,
         const std::function<void(const DiscoveredFile &)> *OnFile = nullptr)
      : Opts(Opts), Stats(Stats), Out(Out), OnFile(OnFile) {
    compileGlobs(Opts.Include, Include);
    compileGlobs(Opts.Exclude, Exclude);
    if (Opts.RestrictToPaths)
      for (const std::string &P : Opts.OnlyPaths)
        for (size_t Slash = P.find('/'); Slash != std::string::npos;
             Slash = P.find('/', Slash + 1))
          OnlyDirs.insert(P.substr(0, Slash));
    // The tool's own ignore file at the scan root, whatever --no-ignore says (that flag
    // is about the VCS ignore files).
    if (!Opts.Root.empty())
      loadRuleFile(Opts.Root + "/" + ToolIgnoreFile, RootToolIgnore, Stats);
  }

  void walkRoot(llvm::StringRef RootArg, bool SeveralRoots);

private:
  void compileGlobs(const std::vector<std::string> &Src,
                    std::vector<llvm::GlobPattern> &Dst);
  void problem(const llvm::Twine &Path, const llvm::Twine &What) {
    Stats.Problems.push_back((Path + ": " + What).str());
    ++Stats.Unreadable;
  }
  void loadParentRules(llvm::StringRef Root);
  void walkDir(const std::string &DirPath, const std::string &DisplayRel,
               const std::string &RootRel);
  bool ignoredByRules(bool IsDir) const;
  bool anyGlob(const std::vector<llvm::GlobPattern> &Globs,
               llvm::StringRef DisplayRel, llvm::StringRef RootRel,
               llvm::StringRef Name) const;
  /// True when the tool's ignore file (.authtoken-migrate-ignore) skips the entry with
  /// display path \p Display and walk-root-relative path \p Rel.
  bool toolIgnored(llvm::StringRef Display, llvm::StringRef Rel, bool IsDir) const {
    if (!ToolIgnore)
      return false;
    return ToolIgnore->match(ToolIgnoreByDisplay ? Display : Rel, IsDir) == 1;
  }
  bool onAncestorChain(const fs::UniqueID &ID) const {
    return llvm::is_contained(Ancestors, ID);
  }

  const DiscoverOptions &Opts;
  DiscoverStats &Stats;
  std::vector<DiscoveredFile> &Out;
  /// When set, files go here instead of into Out.
  const std::function<void(const DiscoveredFile &)> *OnFile;
  void emit(DiscoveredFile F) {
    if (OnFile)
      (*OnFile)(F);
    else
      Out.push_back(std::move(F));
  }
  std::vector<llvm::GlobPattern> Include, Exclude;
  /// With Opts.RestrictToPaths: the directories (root-relative) holding OnlyPaths.
  std::set<std::string> OnlyDirs;
  /// .authtoken-migrate-ignore: the scan root's (matched against display paths, which
  /// are root-relative), or without a scan root each directory root's own (matched
  /// against walk-relative paths); ToolIgnore is the one in force, null when empty.
  IgnoreList RootToolIgnore, WalkToolIgnore;
  const IgnoreList *ToolIgnore = nullptr;
  bool ToolIgnoreByDisplay = false;

  /// Components of the repository-relative path of the entry being decided:
  /// names of the directories between the enclosing repository top and the root
  /// (owned by PrefixStorage), then the walk's names (owned by walkDir's
  /// locals, which outlive their use here because the walk is recursive).
  std::vector<llvm::StringRef> Comps;
  std::vector<std::string> PrefixStorage;
  std::vector<std::unique_ptr<IgnoreFrame>> Frames;
  /// Directories currently being walked, for symlink loop detection.
  std::vector<fs::UniqueID> Ancestors;
  /// With --follow: every directory walked under the current root, by device and inode.
  /// Symlinks can make a DAG in which a directory is reached by exponentially many
  /// paths; each is walked once, through the first path the walk reaches (entries are
  /// visited in byte order of their names, depth first).
  std::set<fs::UniqueID> Walked;
};

void Walker::compileGlobs(const std::vector<std::string> &Src,
                          std::vector<llvm::GlobPattern> &Dst) {
  for (const std::string &G : Src) {
    llvm::Expected<llvm::GlobPattern> P = llvm::GlobPattern::create(G);
    if (!P) {
      Stats.Problems.push_back("glob '" + G +
                               "': " + llvm::toString(P.takeError()));
      continue;
    }
    Dst.push_back(std::move(*P));
  }
}

bool Walker::anyGlob(const std::vector<llvm::GlobPattern> &Globs,
                     llvm::StringRef DisplayRel, llvm::StringRef RootRel,
                     llvm::StringRef Name) const {
  for (const llvm::GlobPattern &G : Globs)
    if (G.match(DisplayRel) || G.match(Name) ||
        (RootRel != DisplayRel && G.match(RootRel)))
      return true;
  return false;
}

bool Walker::ignoredByRules(bool IsDir) const {
  // Deeper rule files take precedence; within one, the last matching rule wins.
  for (const std::unique_ptr<IgnoreFrame> &F : llvm::reverse(Frames)) {
    int R = F->List.matchComponents(
        llvm::makeArrayRef(Comps).drop_front(F->BaseDepth), IsDir);
    if (R != -1)
      return R == 1;
  }
  return false;
}

/// When a directory root lies inside a git work tree, the rule files between
/// the work-tree top and the root apply to it too (as `git status` would see
/// them).
void Walker::loadParentRules(llvm::StringRef Root) {
  llvm::SmallString<256> Abs(Root);
  if (fs::make_absolute(Abs))
    return;
  llvm::sys::path::remove_dots(Abs, /*remove_dot_dot=*/true);

  // Collect ancestors (nearest first) until one holds a .git entry.
  std::vector<std::string> Names;
  llvm::SmallString<256> Dir(Abs);
  std::string Top;
  while (true) {
    llvm::SmallString<256> Git(Dir);
    llvm::sys::path::append(Git, ".git");
    if (fs::exists(Git)) {
      Top = std::string(Dir);
      break;
    }
    llvm::StringRef Parent = llvm::sys::path::parent_path(Dir);
    if (Parent.empty() || Parent == Dir)
      return;
    Names.push_back(llvm::sys::path::filename(Dir).str());
    Dir = Parent;
  }
  if (Names.empty())
    return; // the root is the work-tree top; walkDir loads its rules itself
  std::reverse(Names.begin(), Names.end());
  PrefixStorage = std::move(Names);

  llvm::SmallString<256> Cur(Top);
  for (size_t Depth = 0; Depth < PrefixStorage.size(); ++Depth) {
    auto Frame = std::make_unique<IgnoreFrame>();
    Frame->BaseDepth = Depth;
    if (Depth == 0)
      loadRuleFile(Cur + "/.git/info/exclude", Frame->List, Stats);
    loadRuleFile(Cur + "/.gitignore", Frame->List, Stats);
    loadRuleFile(Cur + "/.ignore", Frame->List, Stats);
    if (!Frame->List.empty())
      Frames.push_back(std::move(Frame));
    llvm::sys::path::append(Cur, PrefixStorage[Depth]);
  }
  for (const std::string &N : PrefixStorage)
    Comps.push_back(N);
}

void Walker::walkRoot(llvm::StringRef RootArg, bool SeveralRoots) {
  // Normalise "./src/" to "src" so RelPaths and duplicates line up.
  std::string Root = RootArg.str();
  while (Root.size() > 2 && Root.compare(0, 2, "./") == 0)
    Root.erase(0, 2);
  while (Root.size() > 1 && Root.back() == '/')
    Root.pop_back();
  if (Root.empty())
    Root = ".";

  fs::file_status St;
  if (std::error_code EC = fs::status(Root, St, /*follow=*/true)) {
    problem(Root, EC.message());
    return;
  }
  // With a scan root, displayed paths are relative to it whatever the path given.
  std::string RootRel;
  bool UnderRoot = false;
  if (!Opts.Root.empty()) {
    llvm::SmallString<256> Cwd;
    fs::current_path(Cwd);
    UnderRoot = relativeUnder(realAbsolutePath(Root, Cwd), Opts.Root, RootRel);
  }
  ToolIgnore = nullptr;
  if (UnderRoot && !RootToolIgnore.empty()) {
    ToolIgnore = &RootToolIgnore;
    ToolIgnoreByDisplay = true;
  }
  if (fs::is_regular_file(St)) {
    // Files named explicitly are scanned whatever the ignore rules and globs
    // say (unless a diff-aware scan leaves them out).
    if (Opts.RestrictToPaths && !(UnderRoot && Opts.OnlyPaths.count(RootRel)))
      return;
    // Files named explicitly are scanned whatever the VCS ignore rules and globs
    // say; not the tool's ignore file (pre-commit passes every staged file by name).
    if (ToolIgnore && toolIgnored(RootRel, RootRel, false)) {
      ++Stats.Ignored;
      return;
    }
    if (Opts.MaxFileSize && St.getSize() > Opts.MaxFileSize) {
      ++Stats.TooLarge;
      return;
    }
    emit({Root, UnderRoot ? RootRel : Root, St.getSize()});
    return;
  }
  if (!fs::is_directory(St)) {
    problem(Root, "not a regular file or directory");
    return;
  }

  Comps.clear();
  PrefixStorage.clear();
  Frames.clear();
  Ancestors.clear();
  Walked.clear();
  if (!Opts.NoIgnore)
    loadParentRules(Root);
  if (Opts.Root.empty()) {
    WalkToolIgnore = IgnoreList();
    loadRuleFile((Root == "." ? std::string() : Root + "/") + ToolIgnoreFile, WalkToolIgnore,
                 Stats);
    if (!WalkToolIgnore.empty()) {
      ToolIgnore = &WalkToolIgnore;
      ToolIgnoreByDisplay = false;
    }
  }
  if (Opts.FollowSymlinks) {
    Ancestors.push_back(St.getUniqueID());
    Walked.insert(St.getUniqueID());
  }

  std::string DirPath =
      Root == "." ? "" : (Root.back() == '/' ? Root : Root + "/");
  std::string Display = UnderRoot ? (RootRel.empty() ? "" : RootRel + "/")
                        : (SeveralRoots && Root != ".") ? DirPath
                                                        : "";
  walkDir(DirPath, Display, "");
}

/// Walks one directory. The three path strings are prefixes ending in '/' (or
/// empty): the path to open, the displayed RelPath and the root-relative path.
void Walker::walkDir(const std::string &DirPath, const std::string &DisplayRel,
                     const std::string &RootRel) {
  llvm::StringRef OpenDir = DirPath.empty() ? llvm::StringRef(".")
                            : DirPath.size() == 1
                                ? llvm::StringRef(DirPath)
                                : llvm::StringRef(DirPath).drop_back();
  std::vector<DirEntryInfo> Entries;
  {
    std::error_code EC;
    fs::directory_iterator It(OpenDir, EC, /*follow_symlinks=*/false), End;
    for (; !EC && It != End; It.increment(EC))
      Entries.push_back(
          {llvm::sys::path::filename(It->path()).str(), It->type()});
    if (EC) {
      problem(OpenDir, EC.message());
      if (Entries.empty())
        return;
    }
  }
  // readdir order is arbitrary; which of several paths to a directory is walked must
  // not be.
  if (Opts.FollowSymlinks)
    std::sort(Entries.begin(), Entries.end(),
              [](const DirEntryInfo &A, const DirEntryInfo &B) { return A.Name < B.Name; });

  // Rule files of this directory, before any of its entries is decided.
  bool PushedFrame = false;
  if (!Opts.NoIgnore) {
    bool HasGitignore = false, HasIgnore = false, HasGit = false;
    for (const DirEntryInfo &E : Entries) {
      HasGitignore |= E.Name == ".gitignore";
      HasIgnore |= E.Name == ".ignore";
      HasGit |= E.Name == ".git";
    }
    if (HasGitignore || HasIgnore || HasGit) {
      auto Frame = std::make_unique<IgnoreFrame>();
      Frame->BaseDepth = Comps.size();
      // Ascending precedence: info/exclude < .gitignore < .ignore (ripgrep's
      // order).
      if (HasGit)
        loadRuleFile(DirPath + ".git/info/exclude", Frame->List, Stats);
      if (HasGitignore)
        loadRuleFile(DirPath + ".gitignore", Frame->List, Stats);
      if (HasIgnore)
        loadRuleFile(DirPath + ".ignore", Frame->List, Stats);
      if (!Frame->List.empty()) {
        Frames.push_back(std::move(Frame));
        PushedFrame = true;
      }
    }
  }

  std::string Path, Display, Rel;
  for (DirEntryInfo &E : Entries) {
    if (isVcsDir(E.Name))
      continue;
    Path = DirPath + E.Name;
    Display = DisplayRel + E.Name;
    Rel = RootRel + E.Name;
    // A diff-aware scan walks only towards its files (Display is root-relative then).
    if (Opts.RestrictToPaths && !Opts.OnlyPaths.count(Display) && !OnlyDirs.count(Display))
      continue;

    fs::file_type Type = E.Type;
    fs::file_status St;
    bool HaveStatus = false;
    if (Type == fs::file_type::type_unknown ||
        Type == fs::file_type::symlink_file) {
      if (std::error_code EC = fs::status(Path, St, /*follow=*/false)) {
        problem(Path, EC.message());
        continue;
      }
      Type = St.type();
      HaveStatus = true;
    }
    bool IsLink = Type == fs::file_type::symlink_file;
    if (IsLink) {
      if (!Opts.FollowSymlinks) {
        ++Stats.Symlinks;
        continue;
      }
      if (std::error_code EC = fs::status(Path, St, /*follow=*/true)) {
        problem(Path, "broken symlink: " + EC.message());
        continue;
      }
      Type = St.type();
    }
    bool IsDir = Type == fs::file_type::directory_file;
    if (!IsDir && Type != fs::file_type::regular_file)
      continue; // sockets, fifos, devices: never source code

    Comps.push_back(E.Name);
    bool Ignored = !Opts.NoIgnore && ignoredByRules(IsDir);
    Comps.pop_back();
    Ignored = Ignored || toolIgnored(Display, Rel, IsDir);
    if (Ignored || anyGlob(Exclude, Display, Rel, E.Name)) {
      ++Stats.Ignored;
      continue;
    }

    if (IsDir) {
      if (Opts.FollowSymlinks) {
        if (!IsLink && !HaveStatus) {
          if (std::error_code EC = fs::status(Path, St, /*follow=*/false)) {
            problem(Path, EC.message());
            continue;
          }
        }
        fs::UniqueID ID = St.getUniqueID();
        if (onAncestorChain(ID)) {
          ++Stats.Symlinks; // a loop: the link points back at an enclosing
                            // directory
          continue;
        }
        if (!Walked.insert(ID).second) {
          ++Stats.Symlinks; // already walked through another path
          continue;
        }
        Ancestors.push_back(ID);
      }
      Comps.push_back(E.Name);
      walkDir(Path + "/", Display + "/", Rel + "/");
      Comps.pop_back();
      if (Opts.FollowSymlinks)
        Ancestors.pop_back();
      continue;
    }

    if (!Include.empty() && !anyGlob(Include, Display, Rel, E.Name)) {
      ++Stats.Ignored;
      continue;
    }
    if (OnFile && !IsLink && !HaveStatus) {
      // Streamed: the reader learns the size from the open file (one stat less).
      DiscoveredFile F{Path, Display, 0};
      F.SizeKnown = false;
      emit(std::move(F));
      continue;
    }
    if (!IsLink && !HaveStatus) {
      if (std::error_code EC = fs::status(Path, St, /*follow=*/false)) {
        problem(Path, EC.message());
        continue;
      }
    }
    uint64_t Size = St.getSize();
    if (Opts.MaxFileSize && Size > Opts.MaxFileSize) {
      ++Stats.TooLarge;
      continue;
    }
    emit({Path, Display, Size});
  }

  if (PushedFrame)
    Frames.pop_back();
}

} // namespace

std::vector<DiscoveredFile> discoverFiles(llvm::ArrayRef<std::string> Roots,
                                          const DiscoverOptions &Opts,
                                          DiscoverStats &Stats) {
  std::vector<DiscoveredFile> Out;
  Walker W(Opts, Stats, Out);
  for (const std::string &Root : Roots)
    W.walkRoot(Root, Roots.size() > 1);
  std::sort(Out.begin(), Out.end(),
            [](const DiscoveredFile &A, const DiscoveredFile &B) {
              return A.RelPath < B.RelPath;
            });
  Out.erase(std::unique(Out.begin(), Out.end(),
                        [](const DiscoveredFile &A, const DiscoveredFile &B) {
                          return A.RelPath == B.RelPath;
                        }),
            Out.end());
  return Out;
}

void discoverFiles(llvm::ArrayRef<std::string> Roots, const DiscoverOptions &Opts,
                   DiscoverStats &Stats,
                   const std::function<void(const DiscoveredFile &)> &OnFile) {
  std::vector<DiscoveredFile> Unused;
  Walker W(Opts, Stats, Unused, &OnFile);
  for (const std::string &Root : Roots)
    W.walkRoot(Root, Roots.size() > 1);
}

} // namespace atm
