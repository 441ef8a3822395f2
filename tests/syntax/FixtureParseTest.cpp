//===- FixtureParseTest.cpp - every fixture of a parsed language ----------===//
//
// Parses every file under fixtures/cases/ whose language has a grammar: nothing may
// crash, the model must extract, and files that are valid code must have no syntax
// error. The few fixtures that are deliberately not valid code are listed with why.

#include <map>

#include "gtest/gtest.h"
#include "lang/Language.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "syntax/Model.h"

using namespace atm;
using namespace atm::syntax;

namespace {

/// Fixtures that are not valid code in their grammar (root-relative path -> why); none
/// today: every fixture of these languages is valid code.
const std::map<std::string, std::string> &notValidCode() {
  static const std::map<std::string, std::string> M = {
  };
  return M;
}

TEST(FixtureParse, EveryFixtureOfAParsedLanguage) {
  std::string Root = std::string(ATM_SOURCE_DIR) + "/fixtures/cases";
  std::error_code EC;
  unsigned Parsed = 0;
  std::map<Grammar, unsigned> PerGrammar;
  for (llvm::sys::fs::recursive_directory_iterator It(Root, EC), End; It != End && !EC; It.increment(EC)) {
    if (It->type() != llvm::sys::fs::file_type::regular_file)
      continue;
    std::string Path = It->path();
    auto Buf = llvm::MemoryBuffer::getFile(Path);
    ASSERT_TRUE(static_cast<bool>(Buf)) << Path;
    llvm::StringRef Text = (*Buf)->getBuffer();
    Language L = detectLanguage(Path, Text.take_front(4096));
    std::optional<Grammar> G = grammarFor(L, Path);
    if (!G)
      continue;
    std::string Rel = llvm::StringRef(Path).drop_front(Root.size() + 1).str();
    SCOPED_TRACE(Rel);
    llvm::Expected<SyntaxTree> T = parse(*G, Text);
    ASSERT_TRUE(static_cast<bool>(T)) << llvm::toString(T.takeError());
    llvm::Expected<FileModel> M = extractModel(*T);
    ASSERT_TRUE(static_cast<bool>(M)) << llvm::toString(M.takeError());
    ++Parsed;
    ++PerGrammar[*G];
    std::string First;
    if (T->hasErrors()) {
      const SyntaxError &E = T->errors().front();
      First = " first at line " + std::to_string(E.Start.Row + 1) + ":" + std::to_string(E.Start.Column + 1) +
              (E.Missing ? " (missing " + E.MissingKind + ")" : "");
    }
    std::printf("[fixture] %-50s %-10s errors=%zu calls=%zu strings=%zu%s\n", Rel.c_str(),
                grammarName(*G).str().c_str(), T->errorCount(), M->Calls.size(), M->Strings.size(), First.c_str());
    auto Known = notValidCode().find(Rel);
    if (Known == notValidCode().end())
      EXPECT_EQ(T->errorCount(), 0u) << grammarName(*G).str() << First;
    else
      EXPECT_GT(T->errorCount(), 0u) << "listed as not valid code (" << Known->second << ") but parses cleanly";
  }
  ASSERT_FALSE(EC) << EC.message();
  EXPECT_GE(Parsed, 10u);
  // Python, JavaScript, TypeScript, PHP, Java, C#, Ruby, Go, shell and Kotlin have fixtures.
  EXPECT_GE(PerGrammar.size(), 10u);
}

} // namespace
