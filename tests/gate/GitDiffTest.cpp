// The -U0 hunk parser and the changed-lines filter of diff-aware scans (gate/GitDiff.h).
// The diffs below are real `git -c core.quotePath=false diff -U0 --find-renames
// --src-prefix=a/ --dst-prefix=b/` output (git 2.39), trimmed to the cases.

#include "gate/GitDiff.h"

#include <gtest/gtest.h>

#include "discover/Discover.h"
#include "discover/Root.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"

using namespace atm;
using namespace atm::gate;

namespace {
using Ranges = std::vector<std::pair<unsigned, unsigned>>;

Ranges rangesOf(const ChangedLines &C, const std::string &Path) {
  auto It = C.find(Path);
  return It == C.end() ? Ranges{{0, 0}} : It->second.Ranges;
}
} // namespace

TEST(GitDiffParse, ModifiedFileHunks) {
  const char *D = "diff --git a/src/crm.py b/src/crm.py\n"
                  "index 422c2b7..36ef1ba 100644\n"
                  "--- a/src/crm.py\n"
                  "+++ b/src/crm.py\n"
                  "@@ -2 +2,2 @@ def sync():\n"
                  "-    old()\n"
                  "+    new()\n"
                  "+    more()\n"
                  "@@ -10,0 +12 @@ def other():\n"
                  "+    added()\n"
                  "@@ -20,3 +22,0 @@\n"
                  "-a\n"
                  "-b\n"
                  "-c\n";
  ChangedLines C = parseUnifiedDiff(D);
  ASSERT_EQ(C.size(), 1u);
  // The deletion-only hunk (+22,0) adds no line.
  EXPECT_EQ(rangesOf(C, "src/crm.py"), (Ranges{{2, 3}, {12, 12}}));
}

TEST(GitDiffParse, AdjacentHunksMerge) {
  const char *D = "diff --git a/a.js b/a.js\n"
                  "--- a/a.js\n"
                  "+++ b/a.js\n"
                  "@@ -1 +1 @@\n"
                  "-x\n"
                  "+y\n"
                  "@@ -3 +2,2 @@\n"
                  "-z\n"
                  "+w\n"
                  "+v\n";
  EXPECT_EQ(rangesOf(parseUnifiedDiff(D), "a.js"), (Ranges{{1, 3}}));
}

TEST(GitDiffParse, NewFileAndNoNewlineAtEnd) {
  const char *D = "diff --git a/new.php b/new.php\n"
                  "new file mode 100644\n"
                  "index 0000000..45b983b\n"
                  "--- /dev/null\n"
                  "+++ b/new.php\n"
                  "@@ -0,0 +1,3 @@\n"
                  "+<?php\n"
                  "+$u = 'x';\n"
                  "+echo $u;\n"
                  "\\ No newline at end of file\n"
                  "diff --git a/b.py b/b.py\n"
                  "index 1..2 100644\n"
                  "--- a/b.py\n"
                  "+++ b/b.py\n"
                  "@@ -1 +1 @@\n"
                  "-old\n"
                  "\\ No newline at end of file\n"
                  "+new\n"
                  "\\ No newline at end of file\n";
  ChangedLines C = parseUnifiedDiff(D);
  EXPECT_EQ(rangesOf(C, "new.php"), (Ranges{{1, 3}}));
  EXPECT_EQ(rangesOf(C, "b.py"), (Ranges{{1, 1}}));
}

TEST(GitDiffParse, RenamesTakeTheNewPath) {
  // A pure rename has no hunks; a rename with an edit counts its new lines only.
  const char *D = "diff --git a/old.py b/moved.py\n"
                  "similarity index 100%\n"
                  "rename from old.py\n"
                  "rename to moved.py\n"
                  "diff --git a/lib/a.py b/lib/b.py\n"
                  "similarity index 80%\n"
                  "rename from lib/a.py\n"
                  "rename to lib/b.py\n"
                  "index afd631e..2fa992c 100644\n"
                  "--- a/lib/a.py\n"
                  "+++ b/lib/b.py\n"
                  "@@ -4,0 +5 @@ import requests\n"
                  "+requests.get(URL + \"?authtoken=\" + tok)\n";
  ChangedLines C = parseUnifiedDiff(D);
  ASSERT_EQ(C.size(), 1u);
  EXPECT_EQ(rangesOf(C, "lib/b.py"), (Ranges{{5, 5}}));
  EXPECT_FALSE(C.count("moved.py"));
  EXPECT_FALSE(C.count("lib/a.py"));
}

TEST(GitDiffParse, DeletedFilesBinarySymlinksSubmodules) {
  const char *D = "diff --git a/gone.py b/gone.py\n"
                  "deleted file mode 100644\n"
                  "index 5421672..0000000\n"
                  "--- a/gone.py\n"
                  "+++ /dev/null\n"
                  "@@ -1,2 +0,0 @@\n"
                  "-a\n"
                  "-b\n"
                  "diff --git a/logo.png b/logo.png\n"
                  "index 1..2 100644\n"
                  "Binary files a/logo.png and b/logo.png differ\n"
                  "diff --git a/link b/link\n"
                  "new file mode 120000\n"
                  "index 0000000..45b983b\n"
                  "--- /dev/null\n"
                  "+++ b/link\n"
                  "@@ -0,0 +1 @@\n"
                  "+target.py\n"
                  "\\ No newline at end of file\n"
                  "diff --git a/vendor/sdk b/vendor/sdk\n"
                  "index 1111111..2222222 160000\n"
                  "--- a/vendor/sdk\n"
                  "+++ b/vendor/sdk\n"
                  "@@ -1 +1 @@\n"
                  "-Subproject commit 1111111\n"
                  "+Subproject commit 2222222\n"
                  "diff --git a/mode.sh b/mode.sh\n"
                  "old mode 100644\n"
                  "new mode 100755\n"
                  "diff --git a/kept.rb b/kept.rb\n"
                  "--- a/kept.rb\n"
                  "+++ b/kept.rb\n"
                  "@@ -7 +7 @@\n"
                  "-x\n"
                  "+y\n";
  ChangedLines C = parseUnifiedDiff(D);
  ASSERT_EQ(C.size(), 1u) << C.begin()->first;
  EXPECT_EQ(rangesOf(C, "kept.rb"), (Ranges{{7, 7}}));
}

TEST(GitDiffParse, QuotedAndSpacedPaths) {
  // A name with a space gets a trailing TAB on its ---/+++ lines; a TAB, a quote or a
  // backslash makes git C-quote it; with core.quotePath=false UTF-8 stays raw, with the
  // default it is octal-escaped.
  const char *D = "diff --git a/my file.py b/my file.py\n"
                  "index 422c2b7..36ef1ba 100644\n"
                  "--- a/my file.py\t\n"
                  "+++ b/my file.py\t\n"
                  "@@ -2 +2 @@\n"
                  "-b\n"
                  "+B\n"
                  "diff --git \"a/tab\\tq\\\"\xc3\xa9.py\" \"b/tab\\tq\\\"\xc3\xa9.py\"\n"
                  "--- \"a/tab\\tq\\\"\xc3\xa9.py\"\n"
                  "+++ \"b/tab\\tq\\\"\xc3\xa9.py\"\n"
                  "@@ -1 +1 @@\n"
                  "-x\n"
                  "+y\n"
                  "diff --git \"a/caf\\303\\251.js\" \"b/caf\\303\\251.js\"\n"
                  "--- \"a/caf\\303\\251.js\"\n"
                  "+++ \"b/caf\\303\\251.js\"\n"
                  "@@ -3 +3 @@\n"
                  "-x\n"
                  "+y\n"
                  "diff --git a/\xe6\x97\xa5\xe6\x9c\xac.php b/\xe6\x97\xa5\xe6\x9c\xac.php\n"
                  "--- a/\xe6\x97\xa5\xe6\x9c\xac.php\n"
                  "+++ b/\xe6\x97\xa5\xe6\x9c\xac.php\n"
                  "@@ -0,0 +1,2 @@\n"
                  "+a\n"
                  "+b\n";
  ChangedLines C = parseUnifiedDiff(D);
  EXPECT_EQ(C.size(), 4u);
  EXPECT_EQ(rangesOf(C, "my file.py"), (Ranges{{2, 2}}));
  EXPECT_EQ(rangesOf(C, "tab\tq\"\xc3\xa9.py"), (Ranges{{1, 1}}));
  EXPECT_EQ(rangesOf(C, "caf\xc3\xa9.js"), (Ranges{{3, 3}}));
  EXPECT_EQ(rangesOf(C, "\xe6\x97\xa5\xe6\x9c\xac.php"), (Ranges{{1, 2}}));
}

TEST(GitDiffParse, HunkBodyLinesThatLookLikeHeaders) {
  // A removed SQL comment "-- x" shows as "--- x", an added "++ y" as "+++ y", and an
  // added line may read "diff --git …" or "@@ -1 +1 @@": inside a hunk body they are
  // content, counted off by the hunk header.
  const char *D = "diff --git a/q.sql b/q.sql\n"
                  "--- a/q.sql\n"
                  "+++ b/q.sql\n"
                  "@@ -1,2 +1,3 @@\n"
                  "--- x\n"
                  "--- y\n"
                  "+++ b/not-a-file\n"
                  "+diff --git a/fake b/fake\n"
                  "+@@ -1 +100,5 @@\n"
                  "@@ -9 +10 @@\n"
                  "-z\n"
                  "+w\n";
  ChangedLines C = parseUnifiedDiff(D);
  ASSERT_EQ(C.size(), 1u) << C.rbegin()->first;
  EXPECT_EQ(rangesOf(C, "q.sql"), (Ranges{{1, 3}, {10, 10}}));
}

TEST(GitDiffParse, EmptyInputAndUnmergedNotice) {
  EXPECT_TRUE(parseUnifiedDiff("").empty());
  EXPECT_TRUE(parseUnifiedDiff("* Unmerged path conflicted.py\n").empty());
}

TEST(GitDiffParse, Unquote) {
  EXPECT_EQ(unquoteGitPath("plain name.py"), "plain name.py");
  EXPECT_EQ(unquoteGitPath("\"a\\\\b\\\"c\\td\\ne\""), "a\\b\"c\td\ne");
  EXPECT_EQ(unquoteGitPath("\"\\303\\251\\001x\""), "\xc3\xa9\x01x");
  EXPECT_EQ(unquoteGitPath("\"unterminated"), "\"unterminated");
}

TEST(GitDiffLines, OutOfOrderRangesMerge) {
  FileChanges F;
  F.add(20, 21);
  F.add(5, 6);
  F.add(7, 19);
  EXPECT_EQ(F.Ranges, (Ranges{{5, 21}}));
  F.add(30, 29); // empty
  EXPECT_EQ(F.Ranges, (Ranges{{5, 21}}));
}

// The walk of a diff-aware scan (DiscoverOptions::RestrictToPaths): only the listed
// files, with ignore rules and globs applied as in a full walk.
TEST(GitDiffDiscover, RestrictToPaths) {
  namespace fs = llvm::sys::fs;
  llvm::SmallString<128> Tmp;
  ASSERT_FALSE(fs::createUniqueDirectory("atm-gate-diff-walk", Tmp));
  std::string Root = realAbsolutePath(Tmp, "/");
  auto Write = [&](const std::string &Rel, const std::string &Text) {
    std::string P = Root + "/" + Rel;
    fs::create_directories(llvm::StringRef(P).rsplit('/').first);
    std::error_code EC;
    llvm::raw_fd_ostream OS(P, EC);
    ASSERT_FALSE(EC);
    OS << Text;
  };
  fs::create_directories(Root + "/.git");
  Write(".gitignore", "ignored/\n");
  Write("a.py", "x\n");
  Write("b.py", "x\n");
  Write("src/deep/c.js", "x\n");
  Write("src/other.js", "x\n");
  Write("ignored/d.py", "x\n");
  Write("vendor/e.py", "x\n");
  DiscoverOptions O;
  O.Root = Root;
  O.RestrictToPaths = true;
  O.OnlyPaths = {"a.py", "src/deep/c.js", "ignored/d.py", "vendor/e.py", "gone.py"};
  O.Exclude = {"vendor/**"};
  DiscoverStats S;
  auto Files = discoverFiles({Root}, O, S);
  std::vector<std::string> Rel;
  for (const DiscoveredFile &F : Files)
    Rel.push_back(F.RelPath);
  EXPECT_EQ(Rel, (std::vector<std::string>{"a.py", "src/deep/c.js"}));
  EXPECT_TRUE(S.Problems.empty());
  // A file named on the command line: kept only when listed.
  DiscoverStats S2;
  auto Named = discoverFiles({Root + "/b.py", Root + "/a.py"}, O, S2);
  ASSERT_EQ(Named.size(), 1u);
  EXPECT_EQ(Named[0].RelPath, "a.py");
  fs::remove_directories(Root);
}

TEST(GitDiffLines, Intersects) {
  FileChanges F;
  F.add(10, 12);
  F.add(3, 3);
  F.add(13, 14); // merges with 10..12
  EXPECT_EQ(F.Ranges, (Ranges{{3, 3}, {10, 14}}));
  EXPECT_FALSE(F.intersects(1, 2));
  EXPECT_TRUE(F.intersects(2, 3));
  EXPECT_FALSE(F.intersects(4, 9));
  EXPECT_TRUE(F.intersects(9, 10));
  EXPECT_TRUE(F.intersects(14, 20));
  EXPECT_FALSE(F.intersects(15, 15));
  FileChanges W;
  W.WholeFile = true;
  EXPECT_TRUE(W.intersects(1000, 1000));
  EXPECT_FALSE(W.empty());
  EXPECT_TRUE(FileChanges().empty());
}

TEST(GitDiffLines, FilterUsesStatementRangeAndCounts) {
  ChangedLines C;
  C["a.py"].add(5, 5);
  C["new.js"].WholeFile = true;
  auto Make = [](std::string Path, unsigned B, unsigned E, unsigned EndCol = 10) {
    Finding F;
    F.Path = std::move(Path);
    F.Begin = {B, 1};
    F.End = {E, EndCol};
    return F;
  };
  ScanResult R;
  R.Findings.push_back(Make("a.py", 5, 5));         // on the changed line
  R.Findings.push_back(Make("a.py", 2, 2));         // an old line
  R.Findings.push_back(Make("a.py", 4, 5, 1));      // ends at 5:1 (exclusive): line 4 only
  Finding Stmt = Make("a.py", 7, 7);                // its statement spans 3..7
  Stmt.StatementBegin = {3, 1};
  Stmt.StatementEnd = {7, 20};
  R.Findings.push_back(Stmt);
  R.Findings.push_back(Make("new.js", 40, 41));     // untracked: every line is new
  R.Findings.push_back(Make("unchanged.php", 5, 5)); // not in the diff at all
  filterToChangedLines(R, C);
  ASSERT_EQ(R.Findings.size(), 3u);
  EXPECT_EQ(R.Findings[0].Begin.Line, 5u);
  EXPECT_EQ(R.Findings[1].Begin.Line, 7u);
  EXPECT_EQ(R.Findings[2].Path, "new.js");
  EXPECT_EQ(R.Stats.OutsideDiff, 3u);
}
