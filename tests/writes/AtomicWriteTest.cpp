/// \file
/// core/AtomicWrite: all-or-nothing writes of one or several files.

#include "core/AtomicWrite.h"

#include <fstream>
#include <sys/stat.h>

#include "gtest/gtest.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

using namespace atm;

namespace {

std::string readFile(llvm::StringRef P) {
  auto B = llvm::MemoryBuffer::getFile(P);
  return B ? (*B)->getBuffer().str() : std::string("<missing>");
}

std::vector<std::string> listDir(llvm::StringRef Dir) {
  std::vector<std::string> Names;
  std::error_code EC;
  for (llvm::sys::fs::directory_iterator It(Dir, EC), E; It != E && !EC; It.increment(EC))
    Names.push_back(llvm::sys::path::filename(It->path()).str());
  std::sort(Names.begin(), Names.end());
  return Names;
}

struct Dir {
  llvm::SmallString<128> Path;
  Dir() { llvm::sys::fs::createUniqueDirectory("atm-atomic", Path); }
  ~Dir() { llvm::sys::fs::remove_directories(Path); }
  std::string at(llvm::StringRef Name) const { return (Path + "/" + Name).str(); }
};

} // namespace

TEST(AtomicWrite, WritesEveryFileWithItsMode) {
  Dir D;
  std::ofstream(D.at("a.txt")) << "old a";
  AtomicFile Script{D.at("run.sh"), "#!/bin/sh\necho hi\n"};
  Script.Mode = llvm::sys::fs::all_read | llvm::sys::fs::all_exe | llvm::sys::fs::owner_write;
  ASSERT_FALSE(bool(writeFilesAtomically({{D.at("a.txt"), "new a"}, Script})));
  EXPECT_EQ(readFile(D.at("a.txt")), "new a");
  EXPECT_EQ(readFile(D.at("run.sh")), "#!/bin/sh\necho hi\n");
  struct stat St;
  ASSERT_EQ(::stat(D.at("run.sh").c_str(), &St), 0);
  EXPECT_TRUE(St.st_mode & S_IXUSR);
  EXPECT_EQ(listDir(D.Path), (std::vector<std::string>{"a.txt", "run.sh"}));
}

TEST(AtomicWrite, AFailingFileLeavesEveryTargetUntouchedAndNoTemporaryFile) {
  Dir D;
  std::ofstream(D.at("a.txt")) << "old a";
  // The second file cannot be created: its directory does not exist.
  llvm::Error E = writeFilesAtomically(
      {{D.at("a.txt"), "new a"}, {D.at("missing/b.txt"), "new b"}});
  ASSERT_TRUE(bool(E));
  std::string Msg = llvm::toString(std::move(E));
  EXPECT_NE(Msg.find("missing/b.txt"), std::string::npos) << Msg;
  EXPECT_EQ(readFile(D.at("a.txt")), "old a");
  EXPECT_EQ(listDir(D.Path), std::vector<std::string>{"a.txt"});
}

TEST(AtomicWrite, TemporaryNamesFollowTheModel) {
  Dir D;
  AtomicWriteOptions O;
  O.TempModel = ".authtoken-migrate-%%%%%%.tmp";
  // A directory in the way of the rename: the temporary file must go again.
  llvm::sys::fs::create_directory(D.at("report.txt"));
  std::ofstream(D.at("report.txt/keep")) << "x";
  llvm::Error E = writeFileAtomically(D.at("report.txt"), "content", O);
  ASSERT_TRUE(bool(E));
  std::string Msg = llvm::toString(std::move(E));
  EXPECT_NE(Msg.find("report.txt: cannot write"), std::string::npos) << Msg;
  EXPECT_EQ(listDir(D.Path), std::vector<std::string>{"report.txt"});
  // And a plain write leaves only the target.
  ASSERT_FALSE(bool(writeFileAtomically(D.at("other.txt"), "content", O)));
  EXPECT_EQ(listDir(D.Path), (std::vector<std::string>{"other.txt", "report.txt"}));
}
