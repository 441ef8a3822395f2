//===- QueryTest.cpp - query compile errors, captures, predicates ---------===//

#include <thread>

#include "gtest/gtest.h"
#include "syntax/Query.h"

using namespace atm;
using namespace atm::syntax;

namespace {

SyntaxTree parseOk(Grammar G, llvm::StringRef Src) {
  llvm::Expected<SyntaxTree> T = parse(G, Src);
  EXPECT_TRUE(static_cast<bool>(T));
  return std::move(*T);
}

Query compileOk(Grammar G, llvm::StringRef Src) {
  llvm::Expected<Query> Q = Query::compile(G, Src);
  if (!Q) {
    ADD_FAILURE() << llvm::toString(Q.takeError());
    std::abort();
  }
  return std::move(*Q);
}

/// Compiles and returns the QueryError's (line, column, message).
std::tuple<unsigned, unsigned, size_t, std::string> compileError(Grammar G, llvm::StringRef Src) {
  llvm::Expected<Query> Q = Query::compile(G, Src);
  EXPECT_FALSE(static_cast<bool>(Q));
  std::tuple<unsigned, unsigned, size_t, std::string> Out;
  if (Q)
    return Out;
  llvm::handleAllErrors(Q.takeError(), [&](const QueryError &E) {
    Out = {E.line(), E.column(), E.offset(), E.reason()};
  });
  return Out;
}

TEST(Query, CapturesWithByteRanges) {
  const char *Src = "import requests\nr = requests.get(url, params={'authtoken': t})\nprint(r)\n";
  SyntaxTree T = parseOk(Grammar::Python, Src);
  Query Q = compileOk(Grammar::Python,
                      "(call function: (attribute object: (identifier) @recv attribute: (identifier) @fn)\n"
                      "      arguments: (argument_list) @args)\n");
  EXPECT_EQ(Q.patternCount(), 1u);
  EXPECT_EQ(Q.captureCount(), 3u);
  std::vector<Match> Ms = Q.matches(T);
  ASSERT_EQ(Ms.size(), 1u);
  EXPECT_EQ(Ms[0].get("recv").text(), "requests");
  EXPECT_EQ(Ms[0].get("fn").text(), "get");
  llvm::StringRef S(Src);
  EXPECT_EQ(Ms[0].get("args").begin(), S.find("(url"));
  EXPECT_EQ(Ms[0].get("args").end(), S.find("\nprint"));
  EXPECT_TRUE(Ms[0].get("nonexistent").isNull());

  std::vector<Capture> Cs = Q.captures(T.root());
  ASSERT_EQ(Cs.size(), 3u);
  EXPECT_EQ(Cs[0].Name, "recv");
  EXPECT_EQ(Cs[0].range().Begin, S.find("requests.get"));
  EXPECT_EQ(Cs[1].Name, "fn");
  EXPECT_EQ(Cs[2].Name, "args");
}

TEST(Query, PredicatesFilterMatches) {
  const char *Src = "a.get(x)\nb.post(y)\nc.get(z)\nd.put(w)\n";
  SyntaxTree T = parseOk(Grammar::Python, Src);
  auto Names = [&](llvm::StringRef QSrc) {
    Query Q = compileOk(Grammar::Python, QSrc);
    std::string Out;
    for (const Match &M : Q.matches(T))
      Out += M.get("r").text().str();
    return Out;
  };
  const char *Base = "(call function: (attribute object: (_) @r attribute: (_) @f))";
  EXPECT_EQ(Names(std::string("(") + Base + " (#eq? @f \"get\"))"), "ac");
  EXPECT_EQ(Names(std::string("(") + Base + " (#not-eq? @f \"get\"))"), "bd");
  EXPECT_EQ(Names(std::string("(") + Base + " (#match? @f \"^p\"))"), "bd");
  EXPECT_EQ(Names(std::string("(") + Base + " (#not-match? @f \"^(get|put)$\"))"), "b");
  EXPECT_EQ(Names(std::string("(") + Base + " (#any-of? @f \"post\" \"put\"))"), "bd");
  EXPECT_EQ(Names(std::string("(") + Base + " (#not-any-of? @f \"post\" \"put\"))"), "ac");
  // A capture compared with a capture; "_" captures are not returned.
  SyntaxTree T2 = parseOk(Grammar::Python, "f(a, a)\nf(a, b)\n");
  Query Q2 = compileOk(Grammar::Python,
                       "((call arguments: (argument_list . (identifier) @x . (identifier) @_y)) @c (#eq? @x @_y))");
  std::vector<Match> Ms = Q2.matches(T2);
  ASSERT_EQ(Ms.size(), 1u);
  EXPECT_EQ(Ms[0].get("c").text(), "f(a, a)");
  EXPECT_TRUE(Ms[0].get("_y").isNull());
}

TEST(Query, CompileErrorsGiveOffsetLineColumnAndMessage) {
  {
    auto [Line, Col, Off, Msg] = compileError(Grammar::Python, "(call)\n  (cal function: (_))\n");
    EXPECT_EQ(Line, 2u);
    EXPECT_EQ(Col, 4u);
    EXPECT_EQ(Off, 10u);
    EXPECT_EQ(Msg, "invalid node type 'cal' for grammar python");
  }
  {
    auto [Line, Col, Off, Msg] = compileError(Grammar::JavaScript, "(call_expression functoin: (_))");
    EXPECT_EQ(Line, 1u);
    EXPECT_EQ(Msg, "invalid field name 'functoin' for grammar javascript");
    EXPECT_EQ(Off, 17u);
  }
  {
    auto [Line, Col, Off, Msg] = compileError(Grammar::Python, "(call) @c\n((identifier) @i (#eq? @j \"x\"))");
    EXPECT_EQ(Line, 2u);
    EXPECT_EQ(Msg, "undefined capture '@j' in a predicate");
  }
  {
    auto [Line, Col, Off, Msg] = compileError(Grammar::Python, "(call (argument_list)");
    EXPECT_NE(Msg.find("syntax error"), std::string::npos) << Msg;
  }
  {
    auto [Line, Col, Off, Msg] = compileError(Grammar::Python, "(call) @c\n\n((identifier) @i (#frobnicate? @i \"x\"))");
    EXPECT_EQ(Line, 3u);
    EXPECT_EQ(Col, 1u);
    EXPECT_NE(Msg.find("unknown predicate '#frobnicate?'"), std::string::npos) << Msg;
  }
  {
    auto [Line, Col, Off, Msg] = compileError(Grammar::Python, "((identifier) @i (#match? @i \"(\"))");
    EXPECT_NE(Msg.find("invalid regex"), std::string::npos) << Msg;
  }
  // The whole message, as a rule loader would print it after the file name.
  llvm::Expected<Query> Q = Query::compile(Grammar::Go, "(call_expression)\n(nosuchnode)");
  ASSERT_FALSE(static_cast<bool>(Q));
  EXPECT_EQ(llvm::toString(Q.takeError()), "line 2, column 2: invalid node type 'nosuchnode' for grammar go");
}

TEST(Query, TheFullCheckRejectsImpossiblePatternsTheFastOneNeverMatchesThem) {
  // `identifier` is a leaf in tree-sitter-python: no child of it can ever match.
  const char *Src = "(call function: (identifier (string) @s))";
  llvm::Expected<Query> Full = Query::compile(Grammar::Python, Src, QueryCheck::Full);
  ASSERT_FALSE(static_cast<bool>(Full));
  EXPECT_NE(llvm::toString(Full.takeError()).find("impossible pattern"), std::string::npos);
  llvm::Expected<Query> Fast = Query::compile(Grammar::Python, Src, QueryCheck::Fast);
  ASSERT_TRUE(static_cast<bool>(Fast)) << llvm::toString(Fast.takeError());
  EXPECT_TRUE(Fast->matches(parseOk(Grammar::Python, "f('a')\nf(g('b'))\n")).empty());
  // Without the parse-table walk, node types, fields and captures are still checked.
  for (QueryCheck C : {QueryCheck::Fast, QueryCheck::Full}) {
    llvm::Expected<Query> Q = Query::compile(Grammar::Go, "(call_expression)\n(nosuchnode)", C);
    ASSERT_FALSE(static_cast<bool>(Q));
    EXPECT_EQ(llvm::toString(Q.takeError()), "line 2, column 2: invalid node type 'nosuchnode' for grammar go");
    llvm::Expected<Query> F = Query::compile(Grammar::Go, "(call_expression nosuchfield: (_))", C);
    ASSERT_FALSE(static_cast<bool>(F));
    EXPECT_NE(llvm::toString(F.takeError()).find("invalid field name 'nosuchfield'"), std::string::npos);
  }
}

TEST(Query, SharedAcrossThreads) {
  Query Q = compileOk(Grammar::JavaScript, "((call_expression function: (identifier) @f) (#eq? @f \"fetch\"))");
  std::vector<std::thread> Ts;
  std::vector<size_t> Counts(4);
  for (int I = 0; I < 4; ++I)
    Ts.emplace_back([&, I] {
      for (int K = 0; K < 100; ++K) {
        llvm::Expected<SyntaxTree> T = parse(Grammar::JavaScript, "fetch(a); fetch(b); other(c);\n");
        if (T)
          Counts[I] += Q.matches(*T).size();
      }
    });
  for (auto &T : Ts)
    T.join();
  for (size_t C : Counts)
    EXPECT_EQ(C, 200u);
}

TEST(Query, RunsWithinASubtreeAndOnTreesWithErrors) {
  SyntaxTree T = parseOk(Grammar::JavaScript, "function a() { f(1); }\nfunction b() { f(2) ) }\n");
  EXPECT_GT(T.errorCount(), 0u);
  Query Q = compileOk(Grammar::JavaScript, "(call_expression arguments: (arguments (number) @n))");
  std::vector<Capture> All = Q.captures(T.root());
  ASSERT_GE(All.size(), 1u);
  EXPECT_EQ(All[0].N.text(), "1");
  Node FirstFn = T.root().namedChild(0);
  std::vector<Capture> InA = Q.captures(FirstFn);
  ASSERT_EQ(InA.size(), 1u);
  EXPECT_EQ(InA[0].N.text(), "1");
}

} // namespace
