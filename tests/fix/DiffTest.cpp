/// \file
/// fix/Diff: every patch is checked by the real tools. Each case is written into a fresh
/// `git init` directory, checked with `git apply --check`, applied with `git apply`, and
/// applied again with `patch -p1` in a second directory; both results must equal New
/// byte for byte (and no other file may appear). Where git's own output is unambiguous,
/// our text must also equal `git diff --cached` (hunk function names aside).

#include "fix/Diff.h"
#include "gtest/gtest.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <set>
#include <sstream>
#include <sys/wait.h>

using atm::fix::diffStat;
using atm::fix::DiffStat;
using atm::fix::FileChange;
using atm::fix::unifiedDiff;

namespace {

std::string shq(llvm::StringRef S) {
  std::string Q = "'";
  for (char C : S)
    Q += C == '\'' ? std::string("'\\''") : std::string(1, C);
  return Q + "'";
}

struct Cmd {
  int Code = -1;
  std::string Out; ///< stdout and stderr
};

/// Runs \p Command with /bin/sh in \p Dir.
Cmd run(const std::string &Dir, const std::string &Command) {
  std::string Full = "cd " + shq(Dir) + " && { " + Command + " ; } 2>&1 </dev/null";
  Cmd R;
  FILE *P = popen(Full.c_str(), "r");
  if (!P)
    return R;
  char Buf[4096];
  size_t N;
  while ((N = fread(Buf, 1, sizeof Buf, P)) > 0)
    R.Out.append(Buf, N);
  int Status = pclose(P);
  R.Code = WIFEXITED(Status) ? WEXITSTATUS(Status) : -1;
  return R;
}

std::string readBytes(const std::string &P) {
  std::ifstream In(P, std::ios::binary);
  std::ostringstream S;
  S << In.rdbuf();
  return S.str();
}

void writeBytes(const std::string &P, llvm::StringRef Text) {
  llvm::sys::fs::create_directories(llvm::sys::path::parent_path(P));
  std::ofstream(P, std::ios::binary | std::ios::trunc).write(Text.data(), Text.size());
}

/// Every file under \p Dir (relative, '/' separators), .git left out.
std::set<std::string> listFiles(const std::string &Dir) {
  std::set<std::string> Files;
  std::error_code EC;
  for (llvm::sys::fs::recursive_directory_iterator It(Dir, EC), End; It != End && !EC;
       It.increment(EC)) {
    llvm::StringRef Rel = llvm::StringRef(It->path()).drop_front(Dir.size() + 1);
    if (Rel == ".git") {
      It.no_push();
      continue;
    }
    if (llvm::sys::fs::is_regular_file(It->path()))
      Files.insert(Rel.str());
  }
  return Files;
}

bool isExecutable(const std::string &P) {
  llvm::sys::fs::file_status S;
  return !llvm::sys::fs::status(P, S) && (S.permissions() & llvm::sys::fs::owner_exe);
}

/// Drops git's function-name suffix of hunk headers ("@@ -1 +1 @@ def f():").
std::string dropHunkFunctionNames(llvm::StringRef Diff) {
  std::string Out;
  while (!Diff.empty()) {
    llvm::StringRef L;
    std::tie(L, Diff) = Diff.split('\n');
    if (L.startswith("@@ -")) {
      size_t End = L.find(" @@", 3);
      if (End != llvm::StringRef::npos)
        L = L.take_front(End + 3);
    }
    Out += L.str() + "\n";
  }
  return Out;
}

class DiffApply : public ::testing::Test {
protected:
  static void SetUpTestSuite() {
    // Neither the user's nor the system's git configuration (autocrlf, quotePath, …).
    setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
    setenv("GIT_CONFIG_GLOBAL", "/dev/null", 1);
    setenv("LC_ALL", "C", 1);
  }
  void SetUp() override {
    llvm::SmallString<128> P, R;
    ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("atm-diff", P));
    ASSERT_FALSE(llvm::sys::fs::real_path(P, R));
    Top = std::string(R);
  }
  void TearDown() override { llvm::sys::fs::remove_directories(Top); }

  std::string freshDir(bool Git) {
    std::string D = Top + "/w" + std::to_string(++Dirs);
    llvm::sys::fs::create_directories(D);
    if (Git) {
      Cmd R = run(D, "git init -q --template= .");
      EXPECT_EQ(R.Code, 0) << R.Out;
    }
    return D;
  }

  void writeOld(const std::string &D, llvm::ArrayRef<FileChange> Changes) {
    for (const FileChange &C : Changes)
      if (C.Old) {
        writeBytes(D + "/" + C.Path, *C.Old);
        if (C.Mode == 0100755)
          llvm::sys::fs::setPermissions(D + "/" + C.Path, llvm::sys::fs::all_read |
                                                              llvm::sys::fs::owner_write |
                                                              llvm::sys::fs::all_exe);
      }
  }

  /// Every file of \p D is New (or Old when the change has no diff), nothing else exists.
  void expectResult(const std::string &D, llvm::ArrayRef<FileChange> Changes,
                    const char *Tool) {
    std::set<std::string> Want;
    for (const FileChange &C : Changes) {
      if (!C.Old && unifiedDiff(C).empty())
        continue;
      Want.insert(C.Path);
      EXPECT_EQ(readBytes(D + "/" + C.Path), C.New) << Tool << ": " << C.Path;
      if (!C.Old) {
        EXPECT_EQ(isExecutable(D + "/" + C.Path), C.Mode == 0100755) << Tool << ": " << C.Path;
      }
    }
    EXPECT_EQ(listFiles(D), Want) << Tool;
  }

  /// The diff of \p Changes passes `git apply --check`, and `git apply` and `patch -p1`
  /// both turn the old tree into the new one. Returns the diff.
  std::string checkApplies(llvm::ArrayRef<FileChange> Changes) {
    std::string Patch = unifiedDiff(Changes);
    std::string PatchFile = Top + "/p" + std::to_string(++Dirs) + ".patch";
    writeBytes(PatchFile, Patch);

    std::string G = freshDir(true);
    writeOld(G, Changes);
    Cmd Check = run(G, "git apply --check " + shq(PatchFile));
    EXPECT_EQ(Check.Code, 0) << Check.Out << "\n" << Patch;
    Cmd Apply = run(G, "git apply " + shq(PatchFile));
    EXPECT_EQ(Apply.Code, 0) << Apply.Out << "\n" << Patch;
    expectResult(G, Changes, "git apply");

    std::string P = freshDir(false);
    writeOld(P, Changes);
    Cmd Pat = run(P, "patch -p1 -t -s --no-backup-if-mismatch -i " + shq(PatchFile));
    EXPECT_EQ(Pat.Code, 0) << Pat.Out << "\n" << Patch;
    expectResult(P, Changes, "patch -p1");
    return Patch;
  }

  /// What `git diff --cached -U<Context>` writes for \p Changes (function names dropped).
  std::string gitDiff(llvm::ArrayRef<FileChange> Changes, unsigned Context = 3) {
    std::string D = freshDir(true);
    writeOld(D, Changes);
    Cmd R = run(D, "git add -A && git -c user.name=t -c user.email=t@t.invalid commit -q "
                   "--allow-empty -m old");
    EXPECT_EQ(R.Code, 0) << R.Out;
    for (const FileChange &C : Changes) {
      writeBytes(D + "/" + C.Path, C.New);
      if (C.Mode == 0100755)
        llvm::sys::fs::setPermissions(D + "/" + C.Path, llvm::sys::fs::all_read |
                                                            llvm::sys::fs::owner_write |
                                                            llvm::sys::fs::all_exe);
    }
    R = run(D, "git add -A && git diff --cached --no-color --no-ext-diff --no-renames -U" +
                   std::to_string(Context));
    EXPECT_EQ(R.Code, 0) << R.Out;
    return dropHunkFunctionNames(R.Out);
  }

  /// checkApplies, and the text equals git's.
  std::string checkLikeGit(llvm::ArrayRef<FileChange> Changes) {
    std::string Patch = checkApplies(Changes);
    EXPECT_EQ(Patch, gitDiff(Changes));
    return Patch;
  }

  std::string Top;
  unsigned Dirs = 0;
};

std::string numbered(unsigned N, llvm::StringRef Eol = "\n") {
  std::string S;
  for (unsigned I = 1; I <= N; ++I)
    S += "line " + std::to_string(I) + Eol.str();
  return S;
}

/// \p Text with its 1-based line \p Line replaced by \p By (which brings its own end).
std::string replaceLine(llvm::StringRef Text, unsigned Line, llvm::StringRef By) {
  llvm::SmallVector<llvm::StringRef, 0> Lines;
  Text.split(Lines, '\n');
  std::string Out;
  for (unsigned I = 0; I + 1 < Lines.size() || (I < Lines.size() && !Lines[I].empty()); ++I) {
    bool HasNL = I + 1 < Lines.size();
    if (I + 1 == Line)
      Out += By.str();
    else
      Out += Lines[I].str() + (HasNL ? "\n" : "");
  }
  return Out;
}

unsigned count(llvm::StringRef Hay, llvm::StringRef Needle) { return Hay.count(Needle); }

TEST_F(DiffApply, OneLineInTheMiddleOfALongFile) {
  std::string Old = numbered(1000);
  FileChange C{"long.txt", Old, replaceLine(Old, 500, "LINE 500\n")};
  std::string P = checkLikeGit({C});
  EXPECT_NE(P.find("@@ -497,7 +497,7 @@\n line 497\n line 498\n line 499\n-line 500\n"
                   "+LINE 500\n line 501\n"),
            std::string::npos)
      << P;
}

TEST_F(DiffApply, FirstLineAndLastLine) {
  std::string Old = numbered(20);
  std::string P1 = checkLikeGit({{"first.txt", Old, replaceLine(Old, 1, "FIRST\n")}});
  EXPECT_NE(P1.find("@@ -1,4 +1,4 @@\n-line 1\n+FIRST\n"), std::string::npos) << P1;
  std::string P2 = checkLikeGit({{"last.txt", Old, replaceLine(Old, 20, "LAST\n")}});
  EXPECT_NE(P2.find("@@ -17,4 +17,4 @@\n line 17\n"), std::string::npos) << P2;
}

TEST_F(DiffApply, FarApartChangesAreTwoHunks) {
  std::string Old = numbered(100);
  std::string New = replaceLine(replaceLine(Old, 10, "TEN\n"), 90, "NINETY\n");
  std::string P = checkLikeGit({{"two.txt", Old, New}});
  EXPECT_EQ(count(P, "\n@@ "), 2u) << P;
}

TEST_F(DiffApply, HunksMergeWhenTheirContextsTouchNotBeyond) {
  std::string Old = numbered(40);
  // Six unchanged lines between the changes: the two 3-line contexts touch, one hunk.
  std::string Touch = replaceLine(replaceLine(Old, 10, "A\n"), 17, "B\n");
  std::string P1 = checkLikeGit({{"touch.txt", Old, Touch}});
  EXPECT_EQ(count(P1, "\n@@ "), 1u) << P1;
  EXPECT_NE(P1.find("@@ -7,14 +7,14 @@"), std::string::npos) << P1;
  // Seven lines between them: two hunks.
  std::string Apart = replaceLine(replaceLine(Old, 10, "A\n"), 18, "B\n");
  std::string P2 = checkLikeGit({{"apart.txt", Old, Apart}});
  EXPECT_EQ(count(P2, "\n@@ "), 2u) << P2;
  // Overlapping contexts (two lines apart).
  std::string Close = replaceLine(replaceLine(Old, 10, "A\n"), 13, "B\n");
  std::string P3 = checkLikeGit({{"close.txt", Old, Close}});
  EXPECT_EQ(count(P3, "\n@@ "), 1u) << P3;
}

TEST_F(DiffApply, PureInsertionAndPureDeletion) {
  std::string Old = numbered(30);
  std::string Ins = replaceLine(Old, 15, "line 15\nnew a\nnew b\n");
  std::string P1 = checkLikeGit({{"ins.txt", Old, Ins}});
  EXPECT_NE(P1.find("@@ -13,6 +13,8 @@"), std::string::npos) << P1;
  std::string Del = replaceLine(replaceLine(Old, 16, ""), 15, "");
  std::string P2 = checkLikeGit({{"del.txt", Old, Del}});
  EXPECT_NE(P2.find("@@ -12,8 +12,6 @@"), std::string::npos) << P2;
  // At the very start and end of a file, and into/out of an empty file.
  checkLikeGit({{"top.txt", Old, "zero\n" + Old}});
  checkLikeGit({{"tail.txt", Old, Old + "31\n32\n"}});
  std::string P3 = checkLikeGit({{"toempty.txt", std::string("a\nb\n"), ""}});
  EXPECT_NE(P3.find("@@ -1,2 +0,0 @@\n-a\n-b\n"), std::string::npos) << P3;
  std::string P4 = checkLikeGit({{"fromempty.txt", std::string(), "a\n"}});
  EXPECT_NE(P4.find("@@ -0,0 +1 @@\n+a\n"), std::string::npos) << P4;
}

TEST_F(DiffApply, AmbiguousChangesSlideDownLikeGit) {
  // Which of several equal lines is deleted or inserted is not fixed by minimality; git
  // moves the change as far down as it can, and so do we.
  std::string P1 = checkLikeGit({{"del.txt", std::string("x\nb\nb\nb\ny\n"), "x\nb\nb\ny\n"}});
  EXPECT_NE(P1.find(" x\n b\n b\n-b\n y\n"), std::string::npos) << P1;
  std::string P2 = checkLikeGit({{"ins.txt", std::string("x\nb\ny\n"), "x\nb\nb\nb\ny\n"}});
  EXPECT_NE(P2.find(" x\n b\n+b\n+b\n y\n"), std::string::npos) << P2;
  // Here the raw Myers script deletes the first "b"; sliding moves it next to "-a".
  std::string P3 = checkLikeGit(
      {{"run.txt", std::string("b\nb\nb\nb\nb\na\n}\n}\n"), "a\nb\n}\nb\nb\nb\n}\n}\n"}});
  EXPECT_NE(P3.find(" b\n-b\n-a\n }\n"), std::string::npos) << P3;
}

TEST_F(DiffApply, CrlfLinesKeepTheirCarriageReturn) {
  std::string Old = numbered(10, "\r\n");
  std::string P = checkLikeGit({{"crlf.txt", Old, replaceLine(Old, 5, "FIVE\r\n")}});
  EXPECT_NE(P.find("\n-line 5\r\n+FIVE\r\n"), std::string::npos) << P;
  // Only the line ending changes.
  checkLikeGit({{"eol.txt", Old, replaceLine(Old, 5, "line 5\n")}});
}

TEST_F(DiffApply, NoNewlineAtEndOfFile) {
  const char *Marker = "\\ No newline at end of file\n";
  std::string P1 = checkLikeGit({{"oldonly.txt", std::string("a\nb\nc"), "a\nb\nC\n"}});
  EXPECT_NE(P1.find(std::string("-c\n") + Marker + "+C\n"), std::string::npos) << P1;
  std::string P2 = checkLikeGit({{"newonly.txt", std::string("a\nb\nc\n"), "a\nb\nC"}});
  EXPECT_NE(P2.find(std::string("-c\n+C\n") + Marker), std::string::npos) << P2;
  std::string P3 = checkLikeGit({{"both.txt", std::string("a\nb\nc"), "a\nb\nC"}});
  EXPECT_EQ(count(P3, Marker), 2u) << P3;
  std::string P4 = checkLikeGit({{"addnl.txt", std::string("a\nb\nc"), "a\nb\nc\n"}});
  EXPECT_NE(P4.find(std::string("-c\n") + Marker + "+c\n"), std::string::npos) << P4;
  std::string P5 = checkLikeGit({{"dropnl.txt", std::string("a\nb\nc\n"), "a\nb\nc"}});
  EXPECT_NE(P5.find(std::string("-c\n+c\n") + Marker), std::string::npos) << P5;
  // The unterminated last line as context of an earlier change.
  std::string P6 = checkLikeGit({{"ctx.txt", std::string("a\nb\nc"), "A\nb\nc"}});
  EXPECT_NE(P6.find(std::string(" c\n") + Marker), std::string::npos) << P6;
  checkLikeGit({{"crlfnonl.txt", std::string("a\r\nb\r\nc"), "a\r\nB\r\nc\r\n"}});
}

TEST_F(DiffApply, NewFiles) {
  std::string P = checkLikeGit({{"new.py", std::nullopt, "import os\nx = 1\n"}});
  EXPECT_NE(P.find("new file mode 100644\nindex 0000000..") , std::string::npos) << P;
  EXPECT_NE(P.find("--- /dev/null\n+++ b/new.py\n@@ -0,0 +1,2 @@\n"), std::string::npos) << P;
  checkLikeGit({{"one.txt", std::nullopt, "x"}});
  FileChange Exe{"bin/run.sh", std::nullopt, "#!/bin/sh\necho hi\n", 0100755};
  std::string PE = checkLikeGit({Exe});
  EXPECT_NE(PE.find("new file mode 100755\n"), std::string::npos) << PE;
  // An existing executable keeps its mode on the index line.
  checkLikeGit({{"tool.sh", std::string("#!/bin/sh\n"), "#!/bin/sh\nexit 0\n", 0100755}});
}

TEST_F(DiffApply, NewEmptyFile) {
  // git writes a header only; we add ---/+++ (GNU patch needs them when the path has a
  // space) and both tools create the empty file.
  std::string P = checkApplies({{"empty", std::nullopt, ""}});
  EXPECT_EQ(P, "diff --git a/empty b/empty\nnew file mode 100644\nindex 0000000..e69de29\n"
               "--- /dev/null\n+++ b/empty\n");
  std::string G = gitDiff({{"empty", std::nullopt, ""}});
  EXPECT_EQ(G, "diff --git a/empty b/empty\nnew file mode 100644\nindex 0000000..e69de29\n");
  checkApplies({{"sub dir/new empty", std::nullopt, ""}});
}

TEST_F(DiffApply, PathsWithSpacesNonAsciiAndNesting) {
  std::string P1 = checkLikeGit({{"dir with space/f g.txt", std::string("q\n"), "Q\n"}});
  EXPECT_NE(P1.find("--- a/dir with space/f g.txt\t\n+++ b/dir with space/f g.txt\t\n"),
            std::string::npos)
      << P1;
  std::string P2 = checkLikeGit({{"\xc3\xa9.txt", std::string("caf\n"), "CAF\n"}});
  EXPECT_NE(P2.find("diff --git \"a/\\303\\251.txt\" \"b/\\303\\251.txt\"\n"), std::string::npos)
      << P2;
  std::string P3 = checkLikeGit({{"a/b/c.py", std::string("x = 1\n"), "x = 2\n"}});
  EXPECT_NE(P3.find("diff --git a/a/b/c.py b/a/b/c.py\n"), std::string::npos) << P3;
  // Quoted and with a space: git still adds the TAB.
  std::string P4 = checkLikeGit({{"caf\xc3\xa9 dir/na\xc3\xafve.py", std::string("a\n"), "b\n"}});
  EXPECT_NE(P4.find("--- \"a/caf\\303\\251 dir/na\\303\\257ve.py\"\t\n"), std::string::npos) << P4;
  // Quote, backslash, TAB, a control byte and DEL.
  checkLikeGit({{"odd \"q\" \\ \t\x01\x7f.txt", std::string("a\n"), "b\n"}});
  checkLikeGit({{"new dir/new \xc3\xa9 file.txt", std::nullopt, "n\n"}});
}

TEST_F(DiffApply, SeveralFilesInOneDiff) {
  std::string Old = numbered(50);
  std::vector<FileChange> Changes = {
      {"src/a.py", Old, replaceLine(Old, 3, "three\n")},
      {"src/unchanged.py", Old, Old},
      {"src/b.py", Old, replaceLine(replaceLine(Old, 10, ""), 40, "forty\nforty-one\n")},
      {"src/helper.py", std::nullopt, "def refresh():\n    pass\n"},
  };
  std::string P = checkApplies(Changes);
  EXPECT_EQ(count(P, "diff --git "), 3u) << P;
  EXPECT_LT(P.find("a/src/a.py"), P.find("a/src/b.py"));
  EXPECT_LT(P.find("a/src/b.py"), P.find("b/src/helper.py"));
  EXPECT_EQ(P.find("unchanged"), std::string::npos);
  DiffStat S = diffStat(P);
  EXPECT_EQ(S.Files, 3u);
  EXPECT_EQ(S.Added, 1u + 2u + 2u);
  EXPECT_EQ(S.Removed, 1u + 2u);
}

TEST(Diff, NoChangeIsEmpty) {
  EXPECT_EQ(unifiedDiff(FileChange{"a.txt", std::string("x\n"), "x\n"}), "");
  EXPECT_EQ(unifiedDiff(FileChange{"a.txt", std::string(), ""}), "");
  EXPECT_EQ(unifiedDiff(FileChange{"a.txt", std::string("x"), "x"}), "");
  std::vector<FileChange> None = {{"a", std::string("1\n"), "1\n"}, {"b", std::string(), ""}};
  EXPECT_EQ(unifiedDiff(None), "");
  EXPECT_EQ(unifiedDiff(llvm::ArrayRef<FileChange>()), "");
  // A new empty file is a change.
  EXPECT_NE(unifiedDiff(FileChange{"e", std::nullopt, ""}), "");
}

TEST(Diff, MatchesGitReferencePatch) {
  // shared/peers-examples/git-diff-reference.patch, written by git 2.39.5.
  std::string Want = readBytes(std::string(ATM_SOURCE_DIR) + "/tests/fix/git-diff-reference.patch");
  ASSERT_FALSE(Want.empty());
  std::vector<FileChange> Changes = {
      {"a.txt", std::string("line1\nline2\nline3\n"), "line1\nLINE2\nline3\n"},
      {"crlf.txt", std::string("x\r\ny\r\nz\r\n"), "x\r\nY\r\nz\r\n"},
      {"dir with space/f g.txt", std::string("q\n"), "Q\n"},
      {"new.txt", std::nullopt, "new\n"},
      {"nonl.txt", std::string("one\ntwo"), "one\nTWO"},
      {"\xc3\xa9.txt", std::string("caf\n"), "CAF\n"},
  };
  EXPECT_EQ(unifiedDiff(Changes), Want);
}

TEST_F(DiffApply, ContextWidthsLikeGit) {
  std::string Old = numbered(30);
  std::string New = replaceLine(replaceLine(replaceLine(Old, 5, "V\n"), 9, ""), 20, "XX\nXXI\n");
  for (unsigned Ctx : {0u, 1u, 2u, 5u}) {
    FileChange C{"ctx.txt", Old, New};
    EXPECT_EQ(unifiedDiff(C, Ctx), gitDiff({C}, Ctx)) << "context " << Ctx;
  }
  // Zero context: an insertion names the line before it ("-9,0").
  FileChange Ins{"ins0.txt", Old, replaceLine(Old, 9, "line 9\nnine and a half\n")};
  EXPECT_NE(unifiedDiff(Ins, 0).find("@@ -9,0 +10 @@\n+nine and a half\n"), std::string::npos);
  EXPECT_EQ(unifiedDiff(Ins, 0), gitDiff({Ins}, 0));
}

TEST(Diff, DiffStatCountsHunkLinesNotHeaders) {
  // Removed "-- x" and added "++ y" look like ---/+++ headers inside the hunk.
  FileChange C{"t.txt", std::string("a\n-- x\nb\n"), "a\n++ y\nb\nc\n"};
  std::string P = unifiedDiff(C);
  ASSERT_NE(P.find("\n--- x\n+++ y\n"), std::string::npos) << P;
  DiffStat S = diffStat(P);
  EXPECT_EQ(S.Files, 1u);
  EXPECT_EQ(S.Added, 2u);
  EXPECT_EQ(S.Removed, 1u);
  // A plain unified diff without `diff --git` lines, and no-newline markers.
  std::string Plain = "--- a/x\n+++ b/x\n@@ -1,2 +1 @@\n-1\n-2\n\\ No newline at end of file\n"
                      "+3\n--- a/y\n+++ b/y\n@@ -0,0 +1,3 @@\n+a\n+b\n+c\n";
  DiffStat T = diffStat(Plain);
  EXPECT_EQ(T.Files, 2u);
  EXPECT_EQ(T.Added, 4u);
  EXPECT_EQ(T.Removed, 2u);
  DiffStat E = diffStat("");
  EXPECT_EQ(E.Files + E.Added + E.Removed, 0u);
}

/// Length of the longest common subsequence of two line lists (O(NM) table).
size_t lcsLength(llvm::ArrayRef<std::string> A, llvm::ArrayRef<std::string> B) {
  std::vector<size_t> Prev(B.size() + 1, 0), Cur(B.size() + 1, 0);
  for (size_t I = 1; I <= A.size(); ++I) {
    for (size_t J = 1; J <= B.size(); ++J)
      Cur[J] = A[I - 1] == B[J - 1] ? Prev[J - 1] + 1 : std::max(Prev[J], Cur[J - 1]);
    std::swap(Prev, Cur);
  }
  return Prev[B.size()];
}

std::vector<std::string> linesOf(llvm::StringRef Text) {
  std::vector<std::string> L;
  while (!Text.empty()) {
    size_t NL = Text.find('\n');
    size_t End = NL == llvm::StringRef::npos ? Text.size() : NL + 1;
    L.push_back(Text.take_front(End).str());
    Text = Text.drop_front(End);
  }
  return L;
}

/// Portable draws from a fixed-seed engine (the distributions of <random> are not).
struct Rng {
  std::mt19937 E;
  explicit Rng(unsigned Seed) : E(Seed) {}
  unsigned below(unsigned N) { return N ? unsigned(E() % N) : 0; }
  bool chance(unsigned Percent) { return below(100) < Percent; }
};

std::string randomLine(Rng &R, unsigned Vocab) {
  static const char *Words[] = {"token", "authtoken", "x = 1", "}", "", "  return",
                                "zoho", "{", "#", "oauth", "a", "b"};
  std::string L = Words[R.below(std::min<unsigned>(Vocab, 12))];
  if (R.chance(30))
    L += " " + std::to_string(R.below(5));
  return L + (R.chance(25) ? "\r\n" : "\n");
}

std::string randomText(Rng &R, unsigned MaxLines, unsigned Vocab) {
  std::string S;
  unsigned N = R.below(MaxLines + 1);
  for (unsigned I = 0; I < N; ++I)
    S += randomLine(R, Vocab);
  if (!S.empty() && R.chance(30)) // no final newline
    S.erase(S.size() - (llvm::StringRef(S).endswith("\r\n") ? 2 : 1));
  return S;
}

/// A few random edits of \p Old: replace, insert, delete, change a line ending, toggle
/// the final newline.
std::string randomEdit(Rng &R, const std::string &Old, unsigned Vocab) {
  std::vector<std::string> L = linesOf(Old);
  unsigned Edits = 1 + R.below(4);
  for (unsigned K = 0; K < Edits; ++K) {
    unsigned Kind = R.below(6);
    size_t At = R.below(unsigned(L.size()) + 1);
    if (Kind == 0 || L.empty()) {
      for (unsigned I = 0, N = 1 + R.below(3); I < N; ++I)
        L.insert(L.begin() + At, randomLine(R, Vocab));
    } else if (Kind == 1) {
      L.erase(L.begin() + std::min(At, L.size() - 1),
              L.begin() + std::min(L.size(), At + 1 + R.below(3)));
    } else if (Kind == 2) {
      L[std::min(At, L.size() - 1)] = randomLine(R, Vocab);
    } else if (Kind == 3) {
      std::string &S = L[std::min(At, L.size() - 1)];
      llvm::StringRef Body = llvm::StringRef(S).rtrim("\r\n");
      S = Body.str() + (llvm::StringRef(S).endswith("\r\n") ? "\n" : "\r\n");
    } else if (Kind == 4) {
      std::string &S = L.back();
      if (llvm::StringRef(S).endswith("\n"))
        S = llvm::StringRef(S).rtrim("\r\n").str();
      else
        S += "\n";
    } else {
      // A block moved: exercises several equally long scripts.
      size_t From = R.below(unsigned(L.size()));
      std::string Moved = L[From];
      L.erase(L.begin() + From);
      L.insert(L.begin() + R.below(unsigned(L.size()) + 1), Moved);
    }
  }
  // Only the last line may lack its newline.
  for (size_t I = 0; I + 1 < L.size(); ++I)
    if (!llvm::StringRef(L[I]).endswith("\n"))
      L[I] += "\n";
  std::string S;
  for (const std::string &Line : L)
    S += Line;
  return S;
}

TEST(Diff, MinimalOnRandomSmallTexts) {
  Rng R(20240611);
  for (unsigned Case = 0; Case < 3000; ++Case) {
    std::string Old = randomText(R, 25, 2 + Case % 6);
    std::string New = Case % 3 ? randomEdit(R, Old, 2 + Case % 6) : randomText(R, 25, 4);
    FileChange C{"m.txt", Old, New};
    DiffStat S = diffStat(unifiedDiff(C));
    std::vector<std::string> A = linesOf(Old), B = linesOf(New);
    size_t L = lcsLength(A, B);
    ASSERT_EQ(S.Removed, A.size() - L) << "case " << Case << "\n" << unifiedDiff(C);
    ASSERT_EQ(S.Added, B.size() - L) << "case " << Case << "\n" << unifiedDiff(C);
    ASSERT_EQ(S.Files, Old == New ? 0u : 1u);
  }
}

TEST_F(DiffApply, RandomEditsApplyExactly) {
  Rng R(7);
  std::vector<FileChange> Changes;
  for (unsigned Case = 0; Case < 200; ++Case) {
    unsigned Vocab = 3 + Case % 10;
    std::string Old = randomText(R, 5 + Case % 60, Vocab);
    FileChange C;
    C.Path = "r/case-" + std::to_string(Case) + (Case % 7 == 0 ? " sp.txt" : ".txt");
    if (Case % 25 == 3) {
      C.New = Old; // a new file
    } else {
      C.Old = Old;
      C.New = randomEdit(R, Old, Vocab);
    }
    Changes.push_back(C);
  }
  std::string P = checkApplies(Changes);
  // diffStat agrees with git's own count of the patch.
  std::string PatchFile = Top + "/random.patch";
  writeBytes(PatchFile, P);
  Cmd Num = run(Top, "git apply --numstat " + shq(PatchFile));
  ASSERT_EQ(Num.Code, 0) << Num.Out;
  unsigned Files = 0, Added = 0, Removed = 0;
  llvm::SmallVector<llvm::StringRef, 0> Rows;
  llvm::StringRef(Num.Out).split(Rows, '\n', -1, false);
  for (llvm::StringRef Row : Rows) {
    llvm::SmallVector<llvm::StringRef, 3> Cols;
    Row.split(Cols, '\t', 2);
    ASSERT_EQ(Cols.size(), 3u) << Row.str();
    unsigned A = 0, D = 0;
    ASSERT_FALSE(Cols[0].getAsInteger(10, A));
    ASSERT_FALSE(Cols[1].getAsInteger(10, D));
    ++Files, Added += A, Removed += D;
  }
  DiffStat S = diffStat(P);
  EXPECT_EQ(S.Files, Files);
  EXPECT_EQ(S.Added, Added);
  EXPECT_EQ(S.Removed, Removed);
  EXPECT_GT(Files, 150u);
}

TEST_F(DiffApply, LargeFilesAreDiffedCorrectly) {
  // 100k lines with a few scattered changes, a completely rewritten 100k-line file, and
  // 20k lines over a 4-line alphabet (thousands of edits: the costly Myers case). Speed
  // belongs to the benchmark (scripts/bench --fix); the time is only recorded here.
  std::string Old = numbered(100000);
  std::string New = replaceLine(replaceLine(Old, 7, "seven\n"), 50000, "");
  New = replaceLine(New, 99990, "line 99991\nextra\n") + "tail";
  std::string Fresh;
  for (unsigned I = 0; I < 100000; ++I)
    Fresh += "other " + std::to_string(I) + "\n";
  Rng R(3);
  std::string RepA, RepB;
  for (unsigned I = 0; I < 20000; ++I) {
    RepA += "abcd"[R.below(4)] + std::string("\n");
    RepB += "abcd"[R.below(4)] + std::string("\n");
  }
  std::vector<FileChange> Changes = {{"few.txt", Old, New},
                                     {"rewrite.txt", Old, Fresh},
                                     {"alphabet.txt", RepA, RepB}};
  auto T0 = std::chrono::steady_clock::now();
  std::string P = unifiedDiff(Changes);
  auto Ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                std::chrono::steady_clock::now() - T0)
                .count();
  RecordProperty("diff_ms", int(Ms));
  std::string Few = unifiedDiff(Changes[0]);
  EXPECT_EQ(count(Few, "\n@@ "), 4u) << Few;
  DiffStat S = diffStat(Few);
  EXPECT_EQ(S.Added, 3u);
  EXPECT_EQ(S.Removed, 2u);
  DiffStat W = diffStat(unifiedDiff(Changes[1]));
  EXPECT_EQ(W.Added, 100000u);
  EXPECT_EQ(W.Removed, 100000u);
  checkApplies(Changes);
}

} // namespace
