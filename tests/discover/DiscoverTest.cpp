//===- DiscoverTest.cpp - tests for file discovery ------------------------===//

#include "discover/Discover.h"

#include <string>
#include <vector>

#include <sys/stat.h>

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/raw_ostream.h"
#include "gtest/gtest.h"

namespace fs = llvm::sys::fs;
using namespace atm;

namespace {

//===----------------------------------------------------------------------===//
// gitGlobMatch
//===----------------------------------------------------------------------===//

struct GlobCase {
  const char *Pattern;
  const char *Path;
  bool Expected;
};

TEST(GitGlobMatch, Table) {
  const GlobCase Cases[] = {
      {"foo", "foo", true},
      {"foo", "foobar", false},
      {"*.cpp", "a.cpp", true},
      {"*.cpp", "dir/a.cpp", false}, // '*' does not cross '/'
      {"*", "x", true},
      {"*", "x/y", false},
      {"a?c", "abc", true},
      {"a?c", "a/c", false},
      {"a?c", "ac", false},
      {"a*b*c", "axxbyyc", true},
      {"a*b*c", "axxbyy", false},
      {"*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaac", false},
      {"[abc].txt", "b.txt", true},
      {"[abc].txt", "d.txt", false},
      {"[a-z]1", "q1", true},
      {"[a-z]1", "Q1", false},
      {"[!a-z]1", "Q1", true},
      {"[!a-z]1", "q1", false},
      {"[^0-9]x", "ax", true},
      {"[]]", "]", true},
      {"[!]]", "a", true},
      {"[[:digit:]]x", "7x", true},
      {"[[:digit:]]x", "ax", false},
      {"[unterminated", "[unterminated", true},
      {"\\*", "*", true},
      {"\\*", "a", false},
      {"\\#x", "#x", true},
      {"**/foo", "foo", true},
      {"**/foo", "a/b/foo", true},
      {"**/foo", "a/b/foox", false},
      {"**/foo/bar", "x/foo/bar", true},
      {"a/**", "a/b", true},
      {"a/**", "a/b/c", true},
      {"a/**", "a", false},
      {"a/**/b", "a/b", true},
      {"a/**/b", "a/x/b", true},
      {"a/**/b", "a/x/y/b", true},
      {"a/**/b", "a/x/y/c", false},
      {"a/**/**/b", "a/b", true},
      {"a**b", "axxb", true}, // '**' not a whole segment acts like '*'
      {"a**b", "ax/xb", false},
      {"src/*.h", "src/a.h", true},
      {"src/*.h", "src/x/a.h", false},
      {"doc/*/x", "doc/a/x", true},
  };
  for (const GlobCase &C : Cases)
    EXPECT_EQ(gitGlobMatch(C.Pattern, C.Path), C.Expected)
        << "pattern '" << C.Pattern << "' path '" << C.Path << "'";
}

//===----------------------------------------------------------------------===//
// IgnoreList::match
//===----------------------------------------------------------------------===//

struct IgnoreCase {
  const char *Path;
  bool IsDir;
  int Expected;
};

void checkIgnore(const IgnoreList &L, llvm::ArrayRef<IgnoreCase> Cases) {
  for (const IgnoreCase &C : Cases)
    EXPECT_EQ(L.match(C.Path, C.IsDir), C.Expected)
        << "path '" << C.Path << "' dir=" << C.IsDir;
}

TEST(IgnoreList, BasicsAndComments) {
  IgnoreList L;
  L.addFile("# comment\n"
            "\n"
            "*.o\n"
            "   \n"
            "trailing   \n"
            "keep\\ \n"
            "\\#hash\n"
            "\\!bang\n"
            "crlf\r\n",
            "");
  checkIgnore(L, {
                     {"a.o", false, 1},
                     {"x/y/a.o", false, 1},
                     {"a.c", false, -1},
                     {"# comment", false, -1},
                     {"trailing", false, 1},
                     {"keep ", false, 1},
                     {"keep", false, -1},
                     {"#hash", false, 1},
                     {"!bang", false, 1},
                     {"bang", false, -1},
                     {"crlf", false, 1},
                 });
}

TEST(IgnoreList, NegationLastRuleWins) {
  IgnoreList L;
  L.addFile("*.log\n!important.log\n", "");
  checkIgnore(L, {
                     {"a.log", false, 1},
                     {"important.log", false, 0},
                     {"sub/important.log", false, 0},
                 });
  IgnoreList L2;
  L2.addFile("!important.log\n*.log\n", "");
  EXPECT_EQ(L2.match("important.log", false), 1);
}

TEST(IgnoreList, LiteralAndWildcardRulesInterleave) {
  // Literal basename rules are looked up through an index; order must still
  // count.
  IgnoreList L;
  L.addFile("foo\n!f*\nbar\n", "");
  checkIgnore(L, {{"foo", false, 0}, {"bar", false, 1}, {"fx", false, 0}});
  IgnoreList L2;
  L2.addFile("!f*\nfoo\nfoo/\n", "");
  checkIgnore(L2, {{"foo", false, 1}, {"foo", true, 1}, {"fy", false, 0}});
}

TEST(IgnoreList, DirectoryOnly) {
  IgnoreList L;
  L.addFile("build/\n", "");
  checkIgnore(L, {
                     {"build", true, 1},
                     {"build", false, -1},
                     {"src/build", true, 1},
                     {"build/x.o", false, 1}, // inside an ignored directory
                 });
}

TEST(IgnoreList, AnchoredVsUnanchored) {
  IgnoreList L;
  L.addFile("/root.txt\nany.txt\ndoc/*.md\n", "");
  checkIgnore(L, {
                     {"root.txt", false, 1},
                     {"sub/root.txt", false, -1},
                     {"any.txt", false, 1},
                     {"a/b/any.txt", false, 1},
                     {"doc/x.md", false, 1},
                     {"a/doc/x.md", false, -1},
                     {"doc/sub/x.md", false, -1},
                 });
}

TEST(IgnoreList, DoubleStar) {
  IgnoreList L;
  L.addFile("**/logs\n/out/**\na/**/z\n", "");
  checkIgnore(L, {
                     {"logs", true, 1},
                     {"x/y/logs", true, 1},
                     {"out/a/b.c", false, 1},
                     {"out", true, -1},
                     {"a/z", false, 1},
                     {"a/b/c/z", false, 1},
                     {"b/a/z", false, -1},
                 });
}

TEST(IgnoreList, BaseDir) {
  IgnoreList L;
  L.addFile("*.tmp\n/top\n", "sub");
  checkIgnore(L, {
                     {"x.tmp", false, -1},
                     {"sub/x.tmp", false, 1},
                     {"sub/d/x.tmp", false, 1},
                     {"sub/top", false, 1},
                     {"top", false, -1},
                     {"sub/d/top", false, -1},
                     {"subx/x.tmp", false, -1},
                 });
}

TEST(IgnoreList, DeeperFileOverrides) {
  IgnoreList L;
  L.addFile("*.gen\n", "");
  L.addFile("!keep.gen\n", "a");
  checkIgnore(L, {
                     {"keep.gen", false, 1},
                     {"a/keep.gen", false, 0},
                     {"a/other.gen", false, 1},
                 });
}

TEST(IgnoreList, ExcludedParentCannotBeReincluded) {
  IgnoreList L;
  L.addFile("vendor/\n!vendor/keep.c\n", "");
  EXPECT_EQ(L.match("vendor/keep.c", false), 1);
  IgnoreList L2;
  L2.addFile("vendor/*\n!vendor/keep.c\n", "");
  EXPECT_EQ(L2.match("vendor/keep.c", false), 0);
  EXPECT_EQ(L2.match("vendor/other.c", false), 1);
}

//===----------------------------------------------------------------------===//
// discoverFiles on real trees
//===----------------------------------------------------------------------===//

class TempTree : public ::testing::Test {
protected:
  void SetUp() override {
    llvm::SmallString<256> Model;
    llvm::sys::path::system_temp_directory(/*ErasedOnReboot=*/true, Model);
    llvm::sys::path::append(Model, "atm-discover-%%%%%%");
    ASSERT_FALSE(fs::createUniqueDirectory(Model, Root));
    // Resolve /tmp symlinks so the tree is not mistaken for part of a
    // repository.
    llvm::SmallString<256> Real;
    if (!fs::real_path(Root, Real))
      Root = Real;
  }
  void TearDown() override {
    // remove_directories does not follow symlinks, so loops are safe to delete.
    fs::remove_directories(Root, /*IgnoreErrors=*/true);
  }

  std::string path(llvm::StringRef Rel) const {
    return (llvm::Twine(Root) + "/" + Rel).str();
  }

  void write(llvm::StringRef Rel, llvm::StringRef Content = "x") {
    std::string P = path(Rel);
    fs::create_directories(llvm::sys::path::parent_path(P));
    std::error_code EC;
    llvm::raw_fd_ostream OS(P, EC);
    ASSERT_FALSE(EC) << P;
    OS << Content;
  }

  void mkdir(llvm::StringRef Rel) { fs::create_directories(path(Rel)); }

  std::vector<std::string> run(const DiscoverOptions &Opts = DiscoverOptions(),
                               std::vector<std::string> Roots = {}) {
    if (Roots.empty())
      Roots.push_back(std::string(Root));
    Stats = DiscoverStats();
    std::vector<DiscoveredFile> Files = discoverFiles(Roots, Opts, Stats);
    std::vector<std::string> Rel;
    for (const DiscoveredFile &F : Files)
      Rel.push_back(F.RelPath);
    Last = Files;
    return Rel;
  }

  using Paths = std::vector<std::string>;
  llvm::SmallString<256> Root;
  DiscoverStats Stats;
  std::vector<DiscoveredFile> Last;
};

TEST_F(TempTree, PlainWalkSortedWithPathsAndSizes) {
  write("b.cpp", "12345");
  write("a/z.h");
  write("a/b/c.cpp");
  write("A.txt");
  EXPECT_EQ(run(), (Paths{"A.txt", "a/b/c.cpp", "a/z.h", "b.cpp"}));
  ASSERT_EQ(Last.size(), 4u);
  EXPECT_EQ(Last[3].Path, path("b.cpp"));
  EXPECT_EQ(Last[3].Size, 5u);
  EXPECT_TRUE(Stats.Problems.empty());
}

TEST_F(TempTree, VcsDirectoriesSkipped) {
  write(".git/config");
  write(".git/objects/ab/cd");
  write(".hg/store");
  write(".svn/entries");
  write("sub/.git"); // a worktree/submodule pointer file
  write("src/a.c");
  EXPECT_EQ(run(), (Paths{"src/a.c"}));
}

TEST_F(TempTree, NestedGitignore) {
  write(".gitignore", "*.o\n");
  write("a.o");
  write("a.c");
  write("sub/.gitignore", "*.tmp\n");
  write("sub/x.tmp");
  write("sub/x.o");
  write("sub/x.c");
  write("other/x.tmp"); // sub's rules do not apply to siblings
  EXPECT_EQ(run(), (Paths{".gitignore", "a.c", "other/x.tmp", "sub/.gitignore",
                          "sub/x.c"}));
  EXPECT_EQ(Stats.Ignored, 3u);
}

TEST_F(TempTree, NegationAndDeeperOverride) {
  write(".gitignore", "*.gen\n!keep.gen\n");
  write("a.gen");
  write("keep.gen");
  write("d/.gitignore", "!b.gen\nkeep.gen\n");
  write("d/b.gen");
  write("d/c.gen");
  write("d/keep.gen");
  EXPECT_EQ(run(),
            (Paths{".gitignore", "d/.gitignore", "d/b.gen", "keep.gen"}));
}

TEST_F(TempTree, DirectoryOnlyRules) {
  write(".gitignore", "build/\n");
  write("build/out.o");
  write("src/build"); // a file named build stays
  write("src/build2/x.c");
  write("x/build/y.c"); // unanchored directory rule matches at any depth
  EXPECT_EQ(run(), (Paths{".gitignore", "src/build", "src/build2/x.c"}));
}

TEST_F(TempTree, AnchoredVsUnanchored) {
  write(".gitignore", "/top.c\nany.c\ndocs/*.md\n");
  write("top.c");
  write("sub/top.c");
  write("any.c");
  write("sub/any.c");
  write("docs/a.md");
  write("sub/docs/a.md");
  EXPECT_EQ(run(), (Paths{".gitignore", "sub/docs/a.md", "sub/top.c"}));
}

TEST_F(TempTree, DoubleStarForms) {
  write(".gitignore", "**/gen\nlib/**\na/**/z.c\n");
  write("gen/x.c");
  write("p/q/gen/x.c");
  write("lib/x.c");
  write("a/z.c");
  write("a/m/n/z.c");
  write("a/m/n/y.c");
  EXPECT_EQ(run(), (Paths{".gitignore", "a/m/n/y.c"}));
}

TEST_F(TempTree, CharacterClassesAndEscapes) {
  write(".gitignore", "file[0-9].c\n[!k]eep.c\n\\#lit\n\\!bang\n");
  write("file1.c");
  write("fileA.c");
  write("keep.c");
  write("peep.c");
  write("#lit");
  write("!bang");
  EXPECT_EQ(run(), (Paths{".gitignore", "fileA.c", "keep.c"}));
}

TEST_F(TempTree, ExcludedDirectoryNotDescendedEvenWithNegatedChild) {
  write(".gitignore", "vendor/\n!vendor/keep.c\n");
  write("vendor/keep.c");
  write("vendor/.gitignore", "!keep.c\n");
  write("main.c");
  EXPECT_EQ(run(), (Paths{".gitignore", "main.c"}));
  EXPECT_EQ(Stats.Ignored, 1u); // the directory, once
}

TEST_F(TempTree, GitInfoExclude) {
  write(".git/info/exclude", "secret.c\n");
  write("secret.c");
  write("sub/secret.c");
  write("ok.c");
  EXPECT_EQ(run(), (Paths{"ok.c"}));
  // .gitignore overrides info/exclude.
  write(".gitignore", "!sub/secret.c\n");
  EXPECT_EQ(run(), (Paths{".gitignore", "ok.c", "sub/secret.c"}));
}

TEST_F(TempTree, DotIgnoreFile) {
  write(".ignore", "*.snap\n");
  write("a.snap");
  write("a.c");
  EXPECT_EQ(run(), (Paths{".ignore", "a.c"}));
}

TEST_F(TempTree, ParentRulesApplyToSubdirectoryRoot) {
  mkdir(".git");
  write(".gitignore", "*.o\n/sub/local.c\n");
  write("sub/a.o");
  write("sub/local.c");
  write("sub/a.c");
  EXPECT_EQ(run(DiscoverOptions(), {path("sub")}), (Paths{"a.c"}));
}

TEST_F(TempTree, NoIgnore) {
  write(".gitignore", "*.o\nbuild/\n");
  write(".git/info/exclude", "*.c\n");
  write("a.o");
  write("b.c");
  write("build/c.h");
  DiscoverOptions Opts;
  Opts.NoIgnore = true;
  EXPECT_EQ(run(Opts), (Paths{".gitignore", "a.o", "b.c", "build/c.h"}));
}

TEST_F(TempTree, IncludeExcludeGlobs) {
  write("src/a.cpp");
  write("src/a.h");
  write("test/t.cpp");
  write("third_party/x/y.cpp");
  write("README.md");
  DiscoverOptions Opts;
  Opts.Include = {"*.cpp", "*.h"};
  Opts.Exclude = {"third_party", "test/*"};
  EXPECT_EQ(run(Opts), (Paths{"src/a.cpp", "src/a.h"}));
  EXPECT_EQ(Stats.Ignored, 3u); // third_party dir, test/t.cpp, README.md

  DiscoverOptions Opts2;
  Opts2.Exclude = {"*.h"};
  EXPECT_EQ(run(Opts2), (Paths{"README.md", "src/a.cpp", "test/t.cpp",
                               "third_party/x/y.cpp"}));
}

TEST_F(TempTree, SizeLimit) {
  write("small.c", "1234");
  write("big.c", std::string(100, 'x'));
  DiscoverOptions Opts;
  Opts.MaxFileSize = 10;
  EXPECT_EQ(run(Opts), (Paths{"small.c"}));
  EXPECT_EQ(Stats.TooLarge, 1u);
  Opts.MaxFileSize = 0; // no limit
  EXPECT_EQ(run(Opts), (Paths{"big.c", "small.c"}));
}

TEST_F(TempTree, SymlinksNotFollowedByDefault) {
  write("real/a.c");
  write("f.c");
  ASSERT_FALSE(fs::create_link(path("real"), path("linkdir")));
  ASSERT_FALSE(fs::create_link(path("f.c"), path("linkfile.c")));
  EXPECT_EQ(run(), (Paths{"f.c", "real/a.c"}));
  EXPECT_EQ(Stats.Symlinks, 2u);
}

TEST_F(TempTree, SymlinksFollowedWithLoop) {
  write("d/a.c");
  write("f.c");
  ASSERT_FALSE(fs::create_link(path("d"), path("d/up"))); // d/up -> d: a loop
  ASSERT_FALSE(fs::create_link(Root, path("d/root")));    // back to the root
  ASSERT_FALSE(fs::create_link(path("f.c"), path("linkfile.c")));
  ASSERT_FALSE(fs::create_link(path("missing"), path("dangling")));
  DiscoverOptions Opts;
  Opts.FollowSymlinks = true;
  EXPECT_EQ(run(Opts), (Paths{"d/a.c", "f.c", "linkfile.c"}));
  EXPECT_EQ(Stats.Symlinks, 2u);        // both loops broken
  EXPECT_EQ(Stats.Problems.size(), 1u); // the dangling link
}

TEST_F(TempTree, NonexistentRootIsAProblem) {
  write("a.c");
  EXPECT_EQ(run(DiscoverOptions(), {path("nope"), path("a.c")}),
            (Paths{path("a.c")}));
  EXPECT_EQ(Stats.Unreadable, 1u);
  ASSERT_EQ(Stats.Problems.size(), 1u);
  EXPECT_EQ(Stats.Problems[0].rfind(path("nope") + ": ", 0), 0u)
      << Stats.Problems[0];
}

TEST_F(TempTree, UnreadableDirectory) {
  write("locked/a.c");
  write("ok.c");
  fs::setPermissions(path("locked"), fs::perms::owner_exe);
  std::vector<std::string> Got = run();
  fs::setPermissions(path("locked"), fs::perms::all_all);
  // Root can list anything; only check the no-crash contract and the accounting
  // then.
  if (Stats.Unreadable) {
    EXPECT_EQ(Got, (Paths{"ok.c"}));
    EXPECT_EQ(Stats.Problems.size(), 1u);
  } else {
    EXPECT_EQ(Got, (Paths{"locked/a.c", "ok.c"}));
  }
}

TEST_F(TempTree, FileRootAndExplicitFilesBypassIgnores) {
  write(".gitignore", "*.o\n");
  write("x.o");
  EXPECT_EQ(run(DiscoverOptions(), {path("x.o")}), (Paths{path("x.o")}));
}

TEST_F(TempTree, SeveralRootsPrefixedAndDeduplicated) {
  write("a/x.c");
  write("b/y.c");
  write("b/z.c");
  std::vector<std::string> Roots = {path("b"), path("a"), path("b/y.c"),
                                    path("a") + "/"};
  EXPECT_EQ(run(DiscoverOptions(), Roots),
            (Paths{path("a/x.c"), path("b/y.c"), path("b/z.c")}));
}

TEST_F(TempTree, DotRootHasNoPrefix) {
  write("sub/a.c");
  write("b.c");
  llvm::SmallString<256> Old;
  ASSERT_FALSE(fs::current_path(Old));
  ASSERT_FALSE(llvm::sys::fs::set_current_path(Root));
  std::vector<std::string> Got = run(DiscoverOptions(), {"."});
  std::vector<std::string> Got2 = run(DiscoverOptions(), {"./sub/", "./b.c"});
  ASSERT_FALSE(llvm::sys::fs::set_current_path(Old));
  EXPECT_EQ(Got, (Paths{"b.c", "sub/a.c"}));
  EXPECT_EQ(Got2, (Paths{"b.c", "sub/a.c"}));
}

} // namespace

// Regression: with --follow, a symlink DAG (each level linking twice to the next) was
// walked once per path: 2^levels copies of the deepest files.
TEST_F(TempTree, FollowWalksEachDirectoryOnceInADag) {
  const int Levels = 16;
  for (int I = 0; I <= Levels; ++I)
    write("d" + std::to_string(I) + "/f.c");
  for (int I = 0; I < Levels; ++I) {
    std::string Next = path("d" + std::to_string(I + 1));
    ASSERT_FALSE(fs::create_link(Next, path("d" + std::to_string(I) + "/a")));
    ASSERT_FALSE(fs::create_link(Next, path("d" + std::to_string(I) + "/b")));
  }
  DiscoverOptions Opts;
  Opts.FollowSymlinks = true;
  Paths Got = run(Opts, {path("d0")});
  // d1 is first reached as d0/a, d2 as d0/a/a, …: the first path in name order.
  ASSERT_EQ(Got.size(), static_cast<size_t>(Levels + 1));
  EXPECT_EQ(Got[0], "a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/f.c");
  EXPECT_EQ(Got.back(), "f.c");
  EXPECT_EQ(Stats.Symlinks, static_cast<unsigned>(Levels)); // each b/ was already walked
  // A real directory reached again through a link is walked once as well.
  write("r/x.c");
  ASSERT_FALSE(fs::create_link(path("r"), path("a-link")));
  EXPECT_EQ(run(Opts).size(), static_cast<size_t>(Levels + 2));
}

TEST_F(TempTree, FifosAndDevicesAreNeverListed) {
  write("a.py", "x = 1\n");
  ASSERT_EQ(::mkfifo(path("pipe.py").c_str(), 0600), 0);
  ASSERT_FALSE(fs::create_link("/dev/zero", path("zero.py")));
  EXPECT_EQ(run(), (Paths{"a.py"}));
  DiscoverOptions Opts;
  Opts.FollowSymlinks = true;
  EXPECT_EQ(run(Opts), (Paths{"a.py"}));
  EXPECT_TRUE(Stats.Problems.empty());
}
