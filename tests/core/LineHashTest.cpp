/// \file
/// primaryLocationLineHash against an independent JavaScript implementation of the
/// upload-sarif action's algorithm (tests/core/line_hash_reference.js, run with node).

#include <fstream>
#include <sstream>

#include "core/LineHash.h"
#include "gtest/gtest.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Program.h"

namespace {

std::map<unsigned, std::string> reference(const std::string &Text) {
  llvm::SmallString<128> In, Out;
  llvm::sys::fs::createTemporaryFile("linehash", "txt", In);
  llvm::sys::fs::createTemporaryFile("linehash-out", "txt", Out);
  std::ofstream(std::string(In), std::ios::binary) << Text;
  auto Node = llvm::sys::findProgramByName("node");
  EXPECT_TRUE(bool(Node)) << "node is required (scripts/bootstrap installs nodejs)";
  std::map<unsigned, std::string> M;
  if (!Node)
    return M;
  std::string Script = std::string(ATM_SOURCE_DIR) + "/tests/core/line_hash_reference.js";
  llvm::Optional<llvm::StringRef> Redirects[] = {llvm::StringRef(""), llvm::StringRef(Out),
                                                 llvm::StringRef("")};
  int Code = llvm::sys::ExecuteAndWait(*Node, {*Node, Script, In}, llvm::None, Redirects, 60);
  EXPECT_EQ(Code, 0);
  auto B = llvm::MemoryBuffer::getFile(Out);
  std::istringstream S(B ? (*B)->getBuffer().str() : "");
  unsigned Line;
  std::string Hash;
  while (S >> Line >> Hash)
    M[Line] = Hash;
  llvm::sys::fs::remove(In);
  llvm::sys::fs::remove(Out);
  return M;
}

void expectSameAsReference(const std::string &Text) {
  auto Ref = reference(Text);
  ASSERT_FALSE(Ref.empty());
  std::vector<unsigned> Lines;
  for (auto &[L, H] : Ref)
    Lines.push_back(L);
  auto Ours = atm::primaryLocationLineHashes(Text, Lines);
  EXPECT_EQ(Ours, Ref);
}

TEST(LineHash, MatchesTheReferenceOnAwkwardText) {
  expectSameAsReference("a\nb\n");
  expectSameAsReference("url = 'https://crm.zoho.com/crm/private/json/Leads?authtoken=' + t\n"
                        "\tindented\twith tabs  and  spaces\n\n\n"
                        "same line\nsame line\nsame line\n");
  expectSameAsReference("crlf\r\nline\r\nmixed\rcr only\n\r\n");
  expectSameAsReference("\xEF\xBB\xBF" "bom first line\nnon-ASCII: p\xC3\xA4sswort \xE2\x82\xAC\n"
                        "astral: \xF0\x9F\x94\x91 key\ninvalid: \xFF\xFE bytes\n");
  expectSameAsReference(std::string(350, 'x') + "\n" + std::string(40, ' ') + "y\nno newline at end");
  expectSameAsReference("");
}

TEST(LineHash, OnlyTheAskedLinesAndRepeatsAreCounted) {
  // The hash covers the first 100 non-blank characters from the line's start, so two
  // lines repeat when those agree: here, two long identical lines.
  std::string Long(120, 'x');
  std::string T = Long + "\nother\n" + Long + "\n";
  auto H = atm::primaryLocationLineHashes(T, {3});
  ASSERT_EQ(H.size(), 1u);
  EXPECT_TRUE(llvm::StringRef(H[3]).endswith(":2")) << H[3];
  auto All = atm::primaryLocationLineHashes(T, {1, 2, 3, 99});
  EXPECT_EQ(All.size(), 3u);
  EXPECT_EQ(All[1].substr(0, All[1].find(':')), All[3].substr(0, All[3].find(':')));
}

} // namespace
