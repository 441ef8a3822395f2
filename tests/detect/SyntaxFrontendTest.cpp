/// \file
/// The syntax-tree front end (tool/detect): rule queries as data (load errors name the
/// rule file and line), the merge with the lexer's findings, statement spans, and what
/// happens to a file that does not parse. Detection itself is covered by the fixtures
/// (fixtures/cases/, fixtures/projects/).

#include "detect/SyntaxFrontend.h"

#include "gtest/gtest.h"
#include "llvm/Support/MemoryBuffer.h"
#include "rules/Rule.h"

using namespace atm;

namespace {

const char *const ZohoGate = R"(context:
  require-any:
    - pattern: '(?i)zoho'
      window: file
)";

/// The rule under test plus the repository's catalogue.
std::vector<RuleSource> withCatalog(const std::string &Name, const std::string &Yaml) {
  std::string Cat = std::string(ATM_SOURCE_DIR) + "/rules/catalog/products.yaml";
  auto Buf = llvm::MemoryBuffer::getFile(Cat);
  EXPECT_TRUE(bool(Buf)) << Cat;
  return {{Cat, Buf ? (*Buf)->getBuffer().str() : ""}, {Name, Yaml}};
}

RuleSet rulesFrom(const std::string &Yaml, const std::string &Name = "rules/x/probe-rule.yaml") {
  auto RS = buildRuleSet(withCatalog(Name, Yaml));
  EXPECT_TRUE(bool(RS)) << (RS ? "" : llvm::toString(RS.takeError()));
  return RS ? std::move(*RS) : RuleSet();
}

std::string probeRule(const std::string &Syntax) {
  return "id: probe-rule\nmessage: probe\nseverity: error\nlanguages: [java, python]\n"
         "applies-in: [string, code]\nprefilter: [zoho]\nsyntax:\n" +
         Syntax + ZohoGate;
}

std::vector<Finding> runOn(const RuleSet &RS, const std::string &Path, Language L,
                           const std::string &Text, std::vector<std::string> *Notes = nullptr,
                           std::vector<Finding> Lexer = {}) {
  EngineOptions EO;
  EO.AsOf = *Date::parse("2026-01-01");
  SyntaxFrontend FE(RS, EO, {1});
  EXPECT_FALSE(bool(FE.checkRules()));
  std::vector<BatchFrontend::Input> In{{Path, Path, L, std::move(Lexer), true, Text}};
  std::vector<Finding> Out;
  std::vector<std::string> N;
  FE.run(In, Out, N);
  if (Notes)
    *Notes = N;
  return Out;
}

TEST(SyntaxFrontend, RuleQueryFindsWhatItsKeyResolvesTo) {
  RuleSet RS = rulesFrom(probeRule(R"(  - grammars: [java]
    query: |
      (method_invocation name: (identifier) @_m arguments: (argument_list . (_) @key @at)
        (#eq? @_m "withParam"))
)"));
  std::string Text = "class A { // zoho\n"
                     "  static final String K = \"authtoken\";\n"
                     "  void f(B b, String t) { b.withParam(\"authtoken\", t); b.withParam(K, t);"
                     " b.withParam(\"page\", t); b.other(\"authtoken\", t); }\n}\n";
  auto Out = runOn(RS, "A.java", Language::Java, Text);
  std::vector<std::string> Got;
  for (const Finding &F : Out)
    Got.push_back(F.RuleId + "@" + std::to_string(F.Begin.Line) + ":" + std::to_string(F.Begin.Column));
  // The literal key, the constant (resolved), and the constant's definition; not "page",
  // not another method.
  EXPECT_EQ(Got, (std::vector<std::string>{"probe-rule@2:27", "probe-rule@3:39", "probe-rule@3:68"}));
}

TEST(SyntaxFrontend, QueryErrorsNameTheRuleFileAndLine) {
  struct Case {
    std::string Syntax, Want;
  } Cases[] = {
      {"  - grammars: [java]\n    query: '(method_invocatio) @at'\n", "probe-rule.yaml:9: syntax query for java"},
      {"  - grammars: [jawa]\n    query: '(identifier) @at'\n", "probe-rule.yaml:9: unknown grammar 'jawa'"},
      {"  - grammars: [python]\n    query: '(identifier) @key'\n", "has no @at capture"},
  };
  for (const Case &C : Cases) {
    RuleSet RS = rulesFrom(probeRule(C.Syntax));
    EngineOptions EO;
    SyntaxFrontend FE(RS, EO, {1});
    llvm::Error E = FE.checkRules();
    ASSERT_TRUE(bool(E)) << C.Syntax;
    std::string Msg = llvm::toString(std::move(E));
    EXPECT_NE(Msg.find(C.Want), std::string::npos) << Msg;
    EXPECT_NE(Msg.find("rules/x/probe-rule.yaml"), std::string::npos) << Msg;
  }
}

TEST(SyntaxFrontend, RuleFileSyntaxEntriesAreChecked) {
  auto RS = buildRuleSet(withCatalog("rules/x/probe-rule.yaml", probeRule("  - query: '(identifier) @at'\n")));
  ASSERT_FALSE(bool(RS));
  std::string Msg = llvm::toString(RS.takeError());
  EXPECT_NE(Msg.find("needs 'grammars' and 'query'"), std::string::npos) << Msg;
  RS = buildRuleSet(withCatalog("rules/x/probe-rule.yaml", probeRule("  - grammars: [java]\n    querry: x\n")));
  ASSERT_FALSE(bool(RS));
  Msg = llvm::toString(RS.takeError());
  EXPECT_NE(Msg.find("did you mean 'query'"), std::string::npos) << Msg;
}

TEST(SyntaxFrontend, AFileThatDoesNotParseKeepsItsLexerFindingsWithANote) {
  RuleSet RS = rulesFrom(probeRule(R"(  - grammars: [python]
    query: '(call function: (identifier) @_f arguments: (argument_list . (string) @key @at) (#eq? @_f "put"))'
)"));
  // Broken Python: an unclosed bracket, then a call the query would match.
  std::string Text = "# zoho\nx = [1, 2\nput('authtoken', t)\ndef (:\n";
  Finding Lex;
  Lex.RuleId = "probe-rule";
  Lex.Path = "broken.py";
  Lex.Offset = 0;
  Lex.Begin = {1, 1};
  Lex.End = {1, 3};
  std::vector<std::string> Notes;
  auto Out = runOn(RS, "broken.py", Language::Python, Text, &Notes, {Lex});
  ASSERT_FALSE(Out.empty());
  EXPECT_TRUE(llvm::any_of(Out, [](const Finding &F) { return F.Begin.Line == 1; }))
      << "the lexer's finding is kept";
  ASSERT_EQ(Notes.size(), 1u);
  EXPECT_NE(Notes[0].find("broken.py"), std::string::npos) << Notes[0];
  EXPECT_NE(Notes[0].find("lexer findings are kept"), std::string::npos) << Notes[0];
}

TEST(SyntaxFrontend, FindingsCarryTheirWholeStatement) {
  RuleSet RS = rulesFrom(probeRule(R"(  - grammars: [python]
    query: '(pair key: (string) @key @at)'
)"));
  std::string Text = "# zoho\n"
                     "r = requests.get(\n"
                     "    URL,\n"
                     "    params={\"authtoken\": t},\n"
                     ")\n";
  auto Out = runOn(RS, "s.py", Language::Python, Text);
  ASSERT_EQ(Out.size(), 1u);
  EXPECT_EQ(Out[0].Begin.Line, 4u);          // the region: the key
  EXPECT_EQ(Out[0].StatementBegin.Line, 2u); // its statement: the whole call
  EXPECT_EQ(Out[0].StatementEnd.Line, 5u);
}

} // namespace

namespace {

// Hostile input: a tree far deeper than real code is left to the lexer, with a note, and
// the lexer's finding is kept (without the depth cap the model and the query cursor take
// minutes on these).
TEST(SyntaxFrontend, PathologicallyDeepTreesFallBackToTheLexer) {
  RuleSet RS = rulesFrom(probeRule(R"(  - grammars: [python]
    query: '(pair key: (string) @key @at)'
)"));
  std::string Concat = "# zoho\nu = \"https://crm.zoho.com/x?authtoken=\" + t";
  for (int I = 0; I < 100000; ++I)
    Concat += " + \"a\"";
  Concat += "\n";
  std::string Nested = "# zoho\nx = ";
  for (int I = 0; I < 20000; ++I)
    Nested += "{\"a\": ";
  Nested += "{\"authtoken\": t}";
  Nested += std::string(20000, '}');
  Nested += "\n";
  for (const std::string *Text : {&Concat, &Nested}) {
    Finding Lex;
    Lex.RuleId = "probe-rule";
    Lex.Path = "deep.py";
    Lex.Begin = {2, 1};
    Lex.End = {2, 2};
    std::vector<std::string> Notes;
    auto Out = runOn(RS, "deep.py", Language::Python, *Text, &Notes, {Lex});
    ASSERT_EQ(Out.size(), 1u);
    EXPECT_EQ(Out[0].Begin.Line, 2u);
    ASSERT_EQ(Notes.size(), 1u);
    EXPECT_NE(Notes[0].find("nested too deeply"), std::string::npos) << Notes[0];
  }
}

} // namespace

namespace {

// A file the prefilter rejected is read again only when a key constant exists, and only
// then can a use in it be found; without one nothing is re-read.
TEST(SyntaxFrontend, RejectedFilesAreReadAgainOnlyForKeyConstants) {
  RuleSet RS = rulesFrom(probeRule(R"(  - grammars: [python]
    query: '(pair key: (_) @key @at)'
)"));
  EngineOptions EO;
  EO.AsOf = *Date::parse("2026-01-01");
  auto Scan = [&](const std::string &Settings, unsigned &Resolved) {
    SyntaxFrontend FE(RS, EO, {1});
    std::vector<BatchFrontend::Input> In{
        {"settings.py", "settings.py", Language::Python, {}, true, Settings},
        {"handler.py", "handler.py", Language::Python, {}, false,
         std::string("from settings import TOKEN_PARAM\nparams = {TOKEN_PARAM: t}\n")}};
    std::vector<Finding> Out;
    std::vector<std::string> Notes;
    FE.run(In, Out, Notes);
    Resolved = FE.counts().Resolved;
    return Out;
  };
  unsigned Resolved = 0;
  auto Out = Scan("# zoho\nTOKEN_PARAM = \"authtoken\"\n", Resolved);
  EXPECT_EQ(Resolved, 1u);
  EXPECT_TRUE(llvm::any_of(Out, [](const Finding &F) { return F.Path == "handler.py"; }));
  Out = Scan("# zoho\nTOKEN_PARAM = \"page\"\n", Resolved);
  EXPECT_EQ(Resolved, 0u);
  EXPECT_TRUE(Out.empty());
}

} // namespace
