#include "syntax/ParsedFiles.h"

#include "gtest/gtest.h"

using namespace atm;
using namespace atm::syntax;

namespace {
void keep(ParsedFiles &P, Grammar G, llvm::StringRef Text) {
  auto T = parse(G, Text);
  ASSERT_TRUE(bool(T)) << llvm::toString(T.takeError());
  auto M = extractModel(*T);
  ASSERT_TRUE(bool(M)) << llvm::toString(M.takeError());
  P.put(std::move(*T), *M);
}
} // namespace

// The fix plan gets the scan's parse only for the very same text and grammar; the kept
// model is the one extractModel gives for that text.
TEST(ParsedFiles, SameTextAndGrammarOnly) {
  ParsedFiles P;
  const std::string Py = "import requests\nrequests.get('https://books.zoho.com', "
                         "params={'authtoken': t})\n";
  keep(P, Grammar::Python, Py);
  auto Hit = P.get(Grammar::Python, std::string(Py)); // another buffer, same bytes
  ASSERT_TRUE(Hit);
  EXPECT_EQ(Hit->Tree.text(), Py);
  ASSERT_EQ(Hit->Model.Calls.size(), 1u);
  EXPECT_EQ(Hit->Model.Calls[0].Name, "get");
  EXPECT_FALSE(P.get(Grammar::Python, Py + " "));         // the text changed
  EXPECT_FALSE(P.get(Grammar::JavaScript, Py));           // another grammar
  EXPECT_FALSE(P.get(Grammar::Python, "import requests\n")); // never kept
}

TEST(ParsedFiles, KeepsNoMoreTextThanItsBudget) {
  ParsedFiles P(/*MaxTextBytes=*/100);
  const std::string A = "a = 1\n" + std::string(60, '#') + "\n";
  const std::string B = "b = 2\n" + std::string(60, '#') + "\n";
  keep(P, Grammar::Python, A);
  keep(P, Grammar::Python, B); // 2 x 67 bytes > 100: not kept
  EXPECT_TRUE(P.get(Grammar::Python, A));
  EXPECT_FALSE(P.get(Grammar::Python, B));
  EXPECT_EQ(P.size(), 1u);
}
