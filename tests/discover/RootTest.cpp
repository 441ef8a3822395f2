/// \file
/// The scan root: git work tree top, else the current directory, else the common
/// ancestor; --root; paths shown from the current directory.

#include "discover/Discover.h"
#include "discover/Root.h"
#include "gtest/gtest.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <fstream>

namespace {

class RootTree : public ::testing::Test {
protected:
  void SetUp() override {
    llvm::SmallString<128> P, R;
    llvm::sys::fs::createUniqueDirectory("atm-root", P);
    ASSERT_FALSE(llvm::sys::fs::real_path(P, R));
    Top = std::string(R);
    mk("repo/.git");
    mk("repo/src/sub");
    mk("plain/a");
    mk("plain/b");
    file("repo/src/sub/x.py", "x = 1\n");
    file("plain/a/y.py", "y = 1\n");
  }
  void TearDown() override { llvm::sys::fs::remove_directories(Top); }
  std::string mk(llvm::StringRef Rel) {
    std::string P = Top + "/" + Rel.str();
    llvm::sys::fs::create_directories(P);
    return P;
  }
  std::string file(llvm::StringRef Rel, llvm::StringRef Text) {
    std::string P = Top + "/" + Rel.str();
    std::ofstream(P) << Text.str();
    return P;
  }
  std::string Top;
};

TEST_F(RootTree, GitTopWinsWhereverTheScanStarts) {
  std::string Repo = Top + "/repo";
  auto R1 = atm::findScanRoot({"."}, "", Repo + "/src/sub");
  ASSERT_TRUE(bool(R1));
  EXPECT_EQ(*R1, Repo);
  auto R2 = atm::findScanRoot({Repo + "/src"}, "", Top);
  ASSERT_TRUE(bool(R2));
  EXPECT_EQ(*R2, Repo);
  auto R3 = atm::findScanRoot({"src/sub/x.py"}, "", Repo);
  ASSERT_TRUE(bool(R3));
  EXPECT_EQ(*R3, Repo);
  // A worktree or submodule has a .git file, not a directory.
  mk("wt");
  file("wt/.git", "gitdir: ../repo/.git/worktrees/wt\n");
  auto R4 = atm::findScanRoot({"wt"}, "", Top);
  ASSERT_TRUE(bool(R4));
  EXPECT_EQ(*R4, Top + "/wt");
}

TEST_F(RootTree, OutsideGitTheCurrentDirectoryOrTheCommonAncestor) {
  auto R1 = atm::findScanRoot({"a", "b"}, "", Top + "/plain");
  ASSERT_TRUE(bool(R1));
  EXPECT_EQ(*R1, Top + "/plain");
  auto R2 = atm::findScanRoot({Top + "/plain/a", Top + "/plain/b"}, "", "/");
  ASSERT_TRUE(bool(R2));
  EXPECT_EQ(*R2, "/");
  auto R3 = atm::findScanRoot({Top + "/plain/a", Top + "/plain/b"}, "", Top + "/repo");
  ASSERT_TRUE(bool(R3));
  EXPECT_EQ(*R3, Top + "/plain");
  // Paths in two different work trees: no single git top.
  mk("other/.git");
  auto R4 = atm::findScanRoot({Top + "/repo", Top + "/other"}, "", Top + "/plain");
  ASSERT_TRUE(bool(R4));
  EXPECT_EQ(*R4, Top);
}

TEST_F(RootTree, RootOverrideMustHoldEveryPath) {
  auto R1 = atm::findScanRoot({"sub"}, "..", Top + "/repo/src");
  ASSERT_TRUE(bool(R1));
  EXPECT_EQ(*R1, Top + "/repo");
  auto R2 = atm::findScanRoot({Top + "/plain"}, Top + "/repo", "/");
  ASSERT_FALSE(bool(R2));
  EXPECT_NE(llvm::toString(R2.takeError()).find("outside the --root"), std::string::npos);
  auto R3 = atm::findScanRoot({"."}, Top + "/repo/src/sub/x.py", "/");
  ASSERT_FALSE(bool(R3));
  EXPECT_NE(llvm::toString(R3.takeError()).find("not a directory"), std::string::npos);
}

TEST_F(RootTree, DiscoveredPathsAreRootRelative) {
  atm::DiscoverOptions O;
  O.Root = Top + "/repo";
  atm::DiscoverStats S;
  auto A = atm::discoverFiles({Top + "/repo/src"}, O, S);
  ASSERT_EQ(A.size(), 1u);
  EXPECT_EQ(A[0].RelPath, "src/sub/x.py");
  auto B = atm::discoverFiles({Top + "/repo/src/sub/x.py"}, O, S);
  ASSERT_EQ(B.size(), 1u);
  EXPECT_EQ(B[0].RelPath, "src/sub/x.py");
  // Overlapping paths give each file once.
  auto C = atm::discoverFiles({Top + "/repo", Top + "/repo/src"}, O, S);
  EXPECT_EQ(C.size(), 1u);
}

TEST(Root, PathsShownFromTheCurrentDirectory) {
  EXPECT_EQ(atm::pathFromCwd("/r/src/a.py", "/r"), "src/a.py");
  EXPECT_EQ(atm::pathFromCwd("/r/src/a.py", "/r/src"), "a.py");
  EXPECT_EQ(atm::pathFromCwd("/r/lib/a.py", "/r/src"), "../lib/a.py");
  EXPECT_EQ(atm::pathFromCwd("/r/lib/a.py", "/r/src/deep"), "../../lib/a.py");
  EXPECT_EQ(atm::pathFromCwd("/other/a.py", "/r/src/deep"), "/other/a.py");
  std::string Rel;
  EXPECT_FALSE(atm::relativeUnder("/r/srcx/a", "/r/src", Rel));
  EXPECT_TRUE(atm::relativeUnder("/r/src/a", "/r/src/", Rel));
  EXPECT_EQ(Rel, "a");
}

} // namespace
