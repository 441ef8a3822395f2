//===- SyntaxTest.cpp - grammars load, parse, report errors ---------------===//

#include <map>
#include <thread>

#include "gtest/gtest.h"
#include "syntax/Syntax.h"
#include "syntax/Snippets.h"

using namespace atm;
using namespace atm::syntax;

namespace {

TEST(Syntax, EveryGrammarIsPinnedLoadsAndHasASnippet) {
  EXPECT_EQ(allGrammars().size(), NumGrammars);
  for (Grammar G : allGrammars()) {
    SCOPED_TRACE(grammarName(G).str());
    EXPECT_FALSE(grammarPackage(G).empty()) << "not in grammars.lock";
    EXPECT_FALSE(grammarVersion(G).empty());
    unsigned Abi = grammarAbi(G);
    EXPECT_GE(Abi, 13u);
    EXPECT_LE(Abi, 14u);
    EXPECT_EQ(parseGrammarName(grammarName(G)), G);
    EXPECT_TRUE(testSnippets().count(G)) << "add a snippet for the new grammar";
  }
  EXPECT_EQ(parseGrammarName("cobol"), std::nullopt);
}

TEST(Syntax, EveryGrammarParsesItsSnippetWithoutErrors) {
  for (auto &[G, Src] : testSnippets()) {
    SCOPED_TRACE(grammarName(G).str());
    llvm::Expected<SyntaxTree> T = parse(G, Src);
    ASSERT_TRUE(static_cast<bool>(T)) << llvm::toString(T.takeError());
    EXPECT_EQ(T->errorCount(), 0u) << T->root().sexp();
    EXPECT_FALSE(T->root().hasError());
    EXPECT_EQ(T->root().range().End, llvm::StringRef(Src).size());
    EXPECT_EQ(T->grammar(), G);
  }
}

TEST(Syntax, ErrorsAreReportedWithTheirPlaceAndTheTreeIsKept) {
  const char *Src = "def f(:\n    x = 1\nprint('ok')\n";
  llvm::Expected<SyntaxTree> T = parse(Grammar::Python, Src);
  ASSERT_TRUE(static_cast<bool>(T)) << llvm::toString(T.takeError());
  ASSERT_GT(T->errorCount(), 0u);
  EXPECT_TRUE(T->root().hasError());
  const SyntaxError &E = T->errors().front();
  EXPECT_EQ(E.Start.Row, 0u);
  EXPECT_LE(E.Range.Begin, 7u);
  // The rest of the file is still there.
  EXPECT_NE(T->root().sexp().find("call"), std::string::npos);

  llvm::Expected<SyntaxTree> J = parse(Grammar::JavaScript, "foo(a, b;\nbar();\n");
  ASSERT_TRUE(static_cast<bool>(J));
  ASSERT_GT(J->errorCount(), 0u);
  for (Grammar G : allGrammars()) {
    // PHP's grammar starts in HTML: the garbage must be inside <?php.
    std::string Bad = std::string(G == Grammar::PHP ? "<?php " : "") + "(((( ]]] \"unterminated";
    llvm::Expected<SyntaxTree> X = parse(G, Bad);
    ASSERT_TRUE(static_cast<bool>(X)) << grammarName(G).str();
    EXPECT_GT(X->errorCount(), 0u) << grammarName(G).str();
  }
}

TEST(Syntax, MissingNodesCountAsErrors) {
  llvm::Expected<SyntaxTree> T = parse(Grammar::JavaScript, "const x = {a: 1;\n");
  ASSERT_TRUE(static_cast<bool>(T));
  EXPECT_GT(T->errorCount(), 0u);
}

TEST(Syntax, NodeAccess) {
  const char *Src = "requests.get(\n    url,\n    params={\"authtoken\": t})\n";
  llvm::Expected<SyntaxTree> T = parse(Grammar::Python, Src);
  ASSERT_TRUE(static_cast<bool>(T));
  Node Root = T->root();
  EXPECT_EQ(Root.kind(), "module");
  Node Stmt = Root.namedChild(0);
  EXPECT_EQ(Stmt.kind(), "expression_statement");
  Node Call = Stmt.namedChild(0);
  ASSERT_EQ(Call.kind(), "call");
  EXPECT_EQ(Call.field("function").text(), "requests.get");
  EXPECT_EQ(Call.field("function").field("attribute").text(), "get");
  Node Args = Call.field("arguments");
  EXPECT_EQ(Args.kind(), "argument_list");
  EXPECT_EQ(Args.text().front(), '(');
  EXPECT_EQ(Args.startPoint().Row, 0u);
  EXPECT_EQ(Args.endPoint().Row, 2u);
  std::vector<Node> Named = Args.namedChildren();
  ASSERT_EQ(Named.size(), 2u);
  EXPECT_EQ(Named[0].text(), "url");
  EXPECT_EQ(Named[1].kind(), "keyword_argument");
  EXPECT_EQ(Named[1].field("name").text(), "params");
  EXPECT_EQ(Named[1].parent(), Args);
  EXPECT_EQ(Named[0].nextNamedSibling(), Named[1]);
  EXPECT_EQ(Call.fieldNameOfChild(0), "function");
  EXPECT_EQ(Call.fieldAll("arguments").size(), 1u);
  EXPECT_FALSE(Args.child(0).isNamed());
  EXPECT_EQ(Args.child(0).kind(), "(");
  EXPECT_TRUE(Call.field("nonexistent").isNull());
  EXPECT_TRUE(Node().isNull());
  EXPECT_EQ(Node().text(), "");
  Node Key = Root.namedDescendantFor({uint32_t(llvm::StringRef(Src).find("\"authtoken\"")), uint32_t(llvm::StringRef(Src).find("\"authtoken\"") + 11)});
  EXPECT_EQ(Key.kind(), "string");

  // Nodes stay valid when the tree moves.
  SyntaxTree Moved = std::move(*T);
  EXPECT_EQ(Call.text(), "requests.get(\n    url,\n    params={\"authtoken\": t})");
  EXPECT_EQ(Moved.root(), Root);
}

TEST(Syntax, GrammarForLanguages) {
  EXPECT_EQ(grammarFor(Language::Python, "a.py"), Grammar::Python);
  EXPECT_EQ(grammarFor(Language::JavaScript, "a.js"), Grammar::JavaScript);
  EXPECT_EQ(grammarFor(Language::JavaScript, "a.mjs"), Grammar::JavaScript);
  EXPECT_EQ(grammarFor(Language::JavaScript, "a.ts"), Grammar::TypeScript);
  EXPECT_EQ(grammarFor(Language::JavaScript, "A.TSX"), Grammar::Tsx);
  EXPECT_EQ(grammarFor(Language::JavaScript, "a.vue"), std::nullopt);
  EXPECT_EQ(grammarFor(Language::Java, "A.java"), Grammar::Java);
  EXPECT_EQ(grammarFor(Language::Java, "build.gradle"), std::nullopt);
  EXPECT_EQ(grammarFor(Language::Shell, "x.sh"), Grammar::Bash);
  EXPECT_EQ(grammarFor(Language::Shell, "Dockerfile"), std::nullopt);
  EXPECT_EQ(grammarFor(Language::Deluge, "a.dg"), std::nullopt);
  llvm::Expected<SyntaxTree> T = parse(Language::Deluge, "info 1;", "a.dg");
  ASSERT_FALSE(static_cast<bool>(T));
  EXPECT_EQ(llvm::toString(T.takeError()), "no syntax grammar for language 'deluge' (a.dg)");
  llvm::Expected<SyntaxTree> P = parse(Language::PHP, "<?php echo 1;", "a.php");
  ASSERT_TRUE(static_cast<bool>(P));
  EXPECT_EQ(P->grammar(), Grammar::PHP);
}

TEST(Syntax, ParsesFromManyThreads) {
  std::vector<std::thread> Ts;
  std::vector<int> Errors(4, 0);
  for (int I = 0; I < 4; ++I)
    Ts.emplace_back([I, &Errors] {
      for (int K = 0; K < 50; ++K)
        for (auto &[G, Src] : testSnippets()) {
          llvm::Expected<SyntaxTree> T = parse(G, Src);
          if (!T) {
            llvm::consumeError(T.takeError());
            ++Errors[I];
          } else if (T->errorCount() != 0) {
            ++Errors[I];
          }
        }
    });
  for (auto &T : Ts)
    T.join();
  for (int E : Errors)
    EXPECT_EQ(E, 0);
}

TEST(Syntax, InvalidUtf8AndEmptyInput) {
  llvm::Expected<SyntaxTree> E = parse(Grammar::Python, "");
  ASSERT_TRUE(static_cast<bool>(E));
  EXPECT_EQ(E->errorCount(), 0u);
  std::string Bad = "x = '\xff\xfe authtoken'\n";
  llvm::Expected<SyntaxTree> B = parse(Grammar::Python, Bad);
  ASSERT_TRUE(static_cast<bool>(B));
  EXPECT_EQ(B->root().range().End, Bad.size());
}

} // namespace
