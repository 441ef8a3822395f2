//===- ModelTest.cpp - call sites, strings, assignments, pairs ------------===//

#include "gtest/gtest.h"
#include "syntax/Model.h"
#include "syntax/Snippets.h"

using namespace atm;
using namespace atm::syntax;

namespace {

struct Parsed {
  SyntaxTree T;
  FileModel M;
  llvm::StringRef text(ByteRange R) const { return T.text().slice(R.Begin, R.End); }
};

Parsed model(Grammar G, llvm::StringRef Src) {
  llvm::Expected<SyntaxTree> T = parse(G, Src);
  if (!T) {
    ADD_FAILURE() << llvm::toString(T.takeError());
    std::abort();
  }
  EXPECT_EQ(T->errorCount(), 0u) << T->root().sexp();
  llvm::Expected<FileModel> M = extractModel(*T);
  if (!M) {
    ADD_FAILURE() << llvm::toString(M.takeError());
    std::abort();
  }
  return {std::move(*T), std::move(*M)};
}

const CallSite *findCall(const FileModel &M, llvm::StringRef Callee) {
  for (const CallSite &C : M.Calls)
    if (C.Callee == Callee)
      return &C;
  return nullptr;
}

const Assignment *findAssign(const FileModel &M, llvm::StringRef Name) {
  for (const Assignment &A : M.Assignments)
    if (A.Name == Name)
      return &A;
  return nullptr;
}

TEST(Model, EveryGrammarsQueryCompiles) {
  for (Grammar G : allGrammars()) {
    llvm::Expected<const Query &> Q = modelQuery(G);
    EXPECT_TRUE(static_cast<bool>(Q)) << grammarName(G).str() << ": " << llvm::toString(Q.takeError());
  }
}

// Scans compile the model queries without tree-sitter's parse-table analysis
// (QueryCheck::Fast). Each still passes the full check, and both give the same matches,
// captures and order.
TEST(Model, EveryGrammarsQueryPassesTheFullCheckAndMatchesTheSameWithoutIt) {
  auto Key = [](const std::vector<Match> &Ms) {
    std::vector<std::tuple<unsigned, unsigned, uint32_t, uint32_t>> K;
    for (const Match &M : Ms)
      for (const Capture &C : M.Captures)
        K.emplace_back(M.Pattern, C.Index, C.N.begin(), C.N.end());
    return K;
  };
  for (auto &[G, Src] : testSnippets()) {
    SCOPED_TRACE(grammarName(G).str());
    llvm::Expected<std::string> QS = modelQuerySource(G);
    ASSERT_TRUE(static_cast<bool>(QS)) << llvm::toString(QS.takeError());
    llvm::Expected<Query> Full = Query::compile(G, *QS, QueryCheck::Full);
    ASSERT_TRUE(static_cast<bool>(Full)) << llvm::toString(Full.takeError());
    llvm::Expected<Query> Fast = Query::compile(G, *QS, QueryCheck::Fast);
    ASSERT_TRUE(static_cast<bool>(Fast)) << llvm::toString(Fast.takeError());
    llvm::Expected<SyntaxTree> T = parse(G, Src);
    ASSERT_TRUE(static_cast<bool>(T)) << llvm::toString(T.takeError());
    std::vector<Match> A = Full->matches(*T), B = Fast->matches(*T);
    EXPECT_FALSE(A.empty());
    EXPECT_EQ(Key(A), Key(B));
    std::vector<Capture> CA = Full->captures(T->root()), CB = Fast->captures(T->root());
    ASSERT_EQ(CA.size(), CB.size());
    for (size_t I = 0; I < CA.size(); ++I)
      EXPECT_EQ(std::make_tuple(CA[I].Index, CA[I].N.begin(), CA[I].N.end()),
                std::make_tuple(CB[I].Index, CB[I].N.begin(), CB[I].N.end()));
  }
}

TEST(Model, EveryGrammarFindsCallsAndTheAuthtokenString) {
  for (auto &[G, Src] : testSnippets()) {
    SCOPED_TRACE(grammarName(G).str());
    Parsed P = model(G, Src);
    EXPECT_FALSE(P.M.Calls.empty());
    bool Found = false;
    for (const auto *List : {&P.M.Strings, &P.M.Concats})
      for (const StringExpr &S : *List)
        Found |= S.flatten().find("authtoken") != std::string::npos;
    for (const KeyValue &KV : P.M.Pairs)
      Found |= KV.Key == "authtoken";
    EXPECT_TRUE(Found) << "no string or key with authtoken";
    for (const CallSite &C : P.M.Calls) {
      EXPECT_FALSE(C.Name.empty()) << C.Callee;
      EXPECT_TRUE(C.Statement.contains(C.Range) || C.Range.contains(C.Statement)) << C.Callee;
      EXPECT_TRUE(C.Scope.contains(C.Range)) << C.Callee;
    }
  }
}

TEST(Model, PythonMultiLineCallWithKeywordArguments) {
  const char *Src = "import requests\n"
                    "\n"
                    "def fetch(url, t):\n"
                    "    r = requests.get(\n"
                    "        url,\n"
                    "        params={\"authtoken\": t},  # legacy\n"
                    "        timeout=30)\n"
                    "    return r\n";
  Parsed P = model(Grammar::Python, Src);
  const CallSite *C = findCall(P.M, "requests.get");
  ASSERT_NE(C, nullptr);
  EXPECT_EQ(C->Name, "get");
  EXPECT_EQ(P.text(C->Receiver), "requests");
  EXPECT_EQ(P.text(C->ArgumentList).front(), '(');
  EXPECT_EQ(P.text(C->ArgumentList).back(), ')');
  ASSERT_EQ(C->Arguments.size(), 3u); // the comment is no argument
  EXPECT_EQ(C->Arguments[0].Keyword, "");
  EXPECT_EQ(P.text(C->Arguments[0].Value), "url");
  EXPECT_EQ(C->Arguments[1].Keyword, "params");
  EXPECT_EQ(P.text(C->Arguments[1].Range), "params={\"authtoken\": t}");
  EXPECT_EQ(P.text(C->Arguments[1].Value), "{\"authtoken\": t}");
  EXPECT_EQ(C->Arguments[1].Kind, "dictionary");
  EXPECT_EQ(C->Arguments[2].Keyword, "timeout");
  ASSERT_NE(C->keywordArgument("params"), nullptr);
  EXPECT_EQ(C->keywordArgument("verify"), nullptr);
  // The statement spans all three lines; the scope is the function.
  EXPECT_EQ(P.text(C->Statement),
            "r = requests.get(\n        url,\n        params={\"authtoken\": t},  # legacy\n        timeout=30)");
  EXPECT_EQ(C->ScopeName, "fetch");
  EXPECT_EQ(P.text(C->Scope).substr(0, 9), "def fetch");

  ASSERT_EQ(P.M.Pairs.size(), 1u);
  EXPECT_EQ(P.M.Pairs[0].Key, "authtoken");
  EXPECT_EQ(P.text(P.M.Pairs[0].Value), "t");
  EXPECT_EQ(P.text(P.M.Pairs[0].Container), "{\"authtoken\": t}");
  EXPECT_EQ(P.M.Pairs[0].Statement, C->Statement);

  const Assignment *A = findAssign(P.M, "r");
  ASSERT_NE(A, nullptr);
  EXPECT_EQ(A->Op, "=");
  EXPECT_EQ(A->Value, C->Range);
}

TEST(Model, PythonStringsConcatenationsAndAssignments) {
  const char *Src = "TOKEN_PARAM = 'authtoken'\n"
                    "u = BASE + \"?authtoken=\" + tok + '&scope=crmapi'\n"
                    "f = f\"{base}/crm?authtoken={t}&x\"\n"
                    "e = \"a\\tb\\x41\\u00e9\"\n"
                    "r = r\"a\\tb\"\n"
                    "j = (\"https://accounts.zoho.com\"\n"
                    "     \"/apiauthtoken/nb/create\")\n"
                    "url += \"&authtoken=\" + t\n"
                    "params[\"authtoken\"] = t\n"
                    "self.authtoken = options.authtoken\n"
                    "n = 1 + 2\n"
                    "if requests.get(u).ok:\n"
                    "    pass\n";
  Parsed P = model(Grammar::Python, Src);
  ASSERT_GE(P.M.Strings.size(), 8u);
  EXPECT_EQ(P.M.Strings[0].Kind, StringExpr::Literal);
  EXPECT_EQ(P.M.Strings[0].flatten(), "authtoken");
  EXPECT_EQ(P.text(P.M.Strings[0].Range), "'authtoken'");

  ASSERT_EQ(P.M.Concats.size(), 3u); // u, j, url +=; not 1 + 2
  const StringExpr &U = P.M.Concats[0];
  EXPECT_EQ(P.text(U.Range), "BASE + \"?authtoken=\" + tok + '&scope=crmapi'");
  ASSERT_EQ(U.Pieces.size(), 4u);
  EXPECT_FALSE(U.Pieces[0].IsLiteral);
  EXPECT_EQ(P.text(U.Pieces[0].Range), "BASE");
  EXPECT_TRUE(U.Pieces[1].IsLiteral);
  EXPECT_EQ(U.Pieces[1].Value, "?authtoken=");
  EXPECT_EQ(P.text(U.Pieces[1].Range), "?authtoken=");
  EXPECT_EQ(P.text(U.Pieces[2].Range), "tok");
  EXPECT_EQ(U.flatten("#"), "#?authtoken=#&scope=crmapi");
  EXPECT_FALSE(U.isConstant());

  const StringExpr *F = nullptr, *E = nullptr, *R = nullptr;
  for (const StringExpr &S : P.M.Strings) {
    llvm::StringRef T = P.text(S.Range);
    if (T.startswith("f\""))
      F = &S;
    if (T.startswith("\"a\\t"))
      E = &S;
    if (T.startswith("r\""))
      R = &S;
  }
  ASSERT_TRUE(F && E && R);
  EXPECT_EQ(F->Kind, StringExpr::Template);
  EXPECT_EQ(F->flatten("#"), "#/crm?authtoken=#&x");
  EXPECT_EQ(P.text(F->Pieces[0].Range), "{base}");
  EXPECT_EQ(E->flatten(), "a\tbA\xC3\xA9");
  EXPECT_EQ(R->flatten(), "a\\tb");

  const StringExpr &J = P.M.Concats[1];
  EXPECT_TRUE(J.isConstant());
  EXPECT_EQ(J.flatten(), "https://accounts.zoho.com/apiauthtoken/nb/create");

  const Assignment *Url = findAssign(P.M, "url");
  ASSERT_NE(Url, nullptr);
  EXPECT_EQ(Url->Op, "+=");
  EXPECT_EQ(P.text(Url->Value), "\"&authtoken=\" + t");
  EXPECT_EQ(P.M.Concats[2].Range, Url->Value);
  const Assignment *Sub = findAssign(P.M, "authtoken");
  ASSERT_NE(Sub, nullptr);
  EXPECT_EQ(Sub->Target, "params[\"authtoken\"]");
  int AttrCount = 0;
  for (const Assignment &A : P.M.Assignments)
    if (A.Target == "self.authtoken") {
      ++AttrCount;
      EXPECT_EQ(A.Name, "authtoken");
      EXPECT_EQ(P.text(A.Value), "options.authtoken");
    }
  EXPECT_EQ(AttrCount, 1);
  const Assignment *Tp = findAssign(P.M, "TOKEN_PARAM");
  ASSERT_NE(Tp, nullptr);
  EXPECT_EQ(P.text(Tp->Value), "'authtoken'");
  EXPECT_EQ(Tp->Scope, (ByteRange{0, uint32_t(llvm::StringRef(Src).size())}));

  // A call in an if header: the statement is the header, not the whole if.
  const CallSite *G = findCall(P.M, "requests.get");
  ASSERT_NE(G, nullptr);
  EXPECT_EQ(P.text(G->Statement), "if requests.get(u).ok:");
}

TEST(Model, JavaScriptCallsObjectsTemplatesAndClasses) {
  const char *Src = "const TOKEN_PARAM = \"authtoken\";\n"
                    "class Client {\n"
                    "  constructor(options) { this.authtoken = options.authtoken; }\n"
                    "  async get(path) {\n"
                    "    const res = await axios.get(`${BASE}/${path}?x=\\n`, {\n"
                    "      params: { authtoken: this.authtoken, scope: 'crmapi' },\n"
                    "    });\n"
                    "    return res;\n"
                    "  }\n"
                    "}\n"
                    "url += \"&authtoken=\" + t;\n"
                    "const u = new URL(base + '?authtoken=' + t);\n"
                    "fetch(url, {headers: {Authorization: 'Zoho-authtoken ' + tok, authtoken}});\n"
                    "obj['authtoken'] = t;\n";
  Parsed P = model(Grammar::JavaScript, Src);
  const CallSite *G = findCall(P.M, "axios.get");
  ASSERT_NE(G, nullptr);
  EXPECT_EQ(G->Name, "get");
  EXPECT_EQ(P.text(G->Receiver), "axios");
  ASSERT_EQ(G->Arguments.size(), 2u);
  EXPECT_EQ(G->Arguments[0].Kind, "template_string");
  EXPECT_EQ(G->Arguments[1].Kind, "object");
  EXPECT_TRUE(P.text(G->Statement).startswith("const res = await axios.get("));
  EXPECT_TRUE(P.text(G->Statement).endswith("});"));
  EXPECT_EQ(G->ScopeName, "get");

  const StringExpr *Tpl = nullptr;
  for (const StringExpr &S : P.M.Strings)
    if (S.Kind == StringExpr::Template)
      Tpl = &S;
  ASSERT_NE(Tpl, nullptr);
  EXPECT_EQ(Tpl->flatten("#"), "#/#?x=\n");
  EXPECT_EQ(P.text(Tpl->Pieces[0].Range), "${BASE}");

  std::vector<std::string> Keys;
  for (const KeyValue &KV : P.M.Pairs)
    Keys.push_back(KV.Key);
  EXPECT_EQ(Keys, (std::vector<std::string>{"params", "authtoken", "scope", "headers", "Authorization", "authtoken"}));
  EXPECT_EQ(P.text(P.M.Pairs[1].Value), "this.authtoken");
  EXPECT_EQ(P.text(P.M.Pairs[1].Container), "{ authtoken: this.authtoken, scope: 'crmapi' }");
  EXPECT_EQ(P.text(P.M.Pairs[5].Range), "authtoken"); // shorthand {authtoken}

  const Assignment *Tp = findAssign(P.M, "TOKEN_PARAM");
  ASSERT_NE(Tp, nullptr);
  EXPECT_EQ(Tp->Keyword, "const");
  EXPECT_EQ(P.text(Tp->Value), "\"authtoken\"");
  EXPECT_EQ(P.text(Tp->Statement), "const TOKEN_PARAM = \"authtoken\";");
  const Assignment *Url = findAssign(P.M, "url");
  ASSERT_NE(Url, nullptr);
  EXPECT_EQ(Url->Op, "+=");
  int Members = 0, Subscripts = 0;
  for (const Assignment &A : P.M.Assignments) {
    if (A.Target == "this.authtoken") {
      ++Members;
      EXPECT_EQ(A.Name, "authtoken");
    }
    if (A.Target == "obj['authtoken']") {
      ++Subscripts;
      EXPECT_EQ(A.Name, "authtoken");
    }
  }
  EXPECT_EQ(Members, 1);
  EXPECT_EQ(Subscripts, 1);

  const CallSite *New = findCall(P.M, "URL");
  ASSERT_NE(New, nullptr);
  EXPECT_TRUE(New->IsNew);
  ASSERT_EQ(New->Arguments.size(), 1u);
  ASSERT_EQ(P.M.Concats.size(), 3u);
  EXPECT_EQ(P.M.Concats[1].Range, New->Arguments[0].Value);
  EXPECT_EQ(P.M.Concats[1].flatten("#"), "#?authtoken=#");
  EXPECT_EQ(P.M.Concats[2].flatten("#"), "Zoho-authtoken #");
}

TEST(Model, TypeScriptFieldsAndTsx) {
  Parsed P = model(Grammar::TypeScript, "class C {\n  private authtoken: string = process.env.T!;\n"
                                        "  get(): Promise<R> { return this.http.get<R>(`${this.base}?authtoken=${this.authtoken}`); }\n}\n");
  const Assignment *F = findAssign(P.M, "authtoken");
  ASSERT_NE(F, nullptr);
  EXPECT_EQ(P.text(F->Value), "process.env.T!");
  const CallSite *G = findCall(P.M, "this.http.get");
  ASSERT_NE(G, nullptr);
  EXPECT_EQ(P.text(G->Receiver), "this.http");
  ASSERT_EQ(G->Arguments.size(), 1u);
  EXPECT_EQ(G->ScopeName, "get");
  Parsed X = model(Grammar::Tsx, testSnippets().at(Grammar::Tsx));
  ASSERT_EQ(X.M.Concats.size(), 1u);
  EXPECT_EQ(X.M.Concats[0].flatten("#"), "/x?authtoken=#");
}

TEST(Model, OtherLanguagesCallSitesAndStrings) {
  {
    Parsed P = model(Grammar::Ruby, "def f(t)\n  HTTParty.get URL,\n    query: { authtoken: t, :scope => \"crm#{x}api\" }\nend\n");
    const CallSite *C = findCall(P.M, "HTTParty.get");
    ASSERT_NE(C, nullptr);
    ASSERT_EQ(C->Arguments.size(), 2u);
    EXPECT_EQ(C->Arguments[1].Keyword, "query");
    EXPECT_EQ(C->ScopeName, "f");
    EXPECT_EQ(P.text(C->Statement), "HTTParty.get URL,\n    query: { authtoken: t, :scope => \"crm#{x}api\" }");
    std::vector<std::string> Keys;
    for (const KeyValue &KV : P.M.Pairs)
      Keys.push_back(KV.Key);
    EXPECT_EQ(Keys, (std::vector<std::string>{"query", "authtoken", "scope"}));
  }
  {
    Parsed P = model(Grammar::PHP, "<?php\n$url = \"https://crm.zoho.com/crm?authtoken=$tok&x={$a->b}\";\n"
                                   "$p = array('authtoken' => $t, \"scope\" => 'crmapi');\n"
                                   "$r = $client->get(BASE . '?authtoken=' . $t);\ndefine('ZOHO_TOKEN', 'abc');\n");
    const CallSite *C = findCall(P.M, "$client->get");
    ASSERT_NE(C, nullptr);
    EXPECT_EQ(C->Name, "get");
    ASSERT_EQ(C->Arguments.size(), 1u);
    EXPECT_EQ(C->Arguments[0].Kind, "binary_expression"); // the value, not PHP's argument wrapper
    ASSERT_EQ(P.M.Concats.size(), 1u);
    EXPECT_EQ(P.M.Concats[0].flatten("#"), "#?authtoken=#");
    ASSERT_GE(P.M.Pairs.size(), 2u);
    EXPECT_EQ(P.M.Pairs[0].Key, "authtoken");
    EXPECT_EQ(P.M.Pairs[1].Key, "scope");
    EXPECT_EQ(P.M.Strings[0].flatten("#"), "https://crm.zoho.com/crm?authtoken=#&x=#");
    const Assignment *U = findAssign(P.M, "url");
    ASSERT_NE(U, nullptr);
    const Assignment *D = findAssign(P.M, "ZOHO_TOKEN");
    ASSERT_NE(D, nullptr);
  }
  {
    Parsed P = model(Grammar::Go, "package main\n\nconst tokenParam = \"authtoken\"\n\nfunc f(t string) {\n"
                                  "\tv := url.Values{}\n\tv.Set(tokenParam, t)\n\tu := base + \"?authtoken=\" + t + `&raw\\n`\n"
                                  "\tm := map[string]string{\"authtoken\": t}\n\tresp, err := client.Do(req)\n}\n");
    const CallSite *C = findCall(P.M, "v.Set");
    ASSERT_NE(C, nullptr);
    EXPECT_EQ(C->ScopeName, "f");
    ASSERT_EQ(C->Arguments.size(), 2u);
    ASSERT_EQ(P.M.Concats.size(), 1u);
    EXPECT_EQ(P.M.Concats[0].flatten("#"), "#?authtoken=#&raw\\n");
    const Assignment *K = findAssign(P.M, "tokenParam");
    ASSERT_NE(K, nullptr);
    EXPECT_EQ(K->Keyword, "const");
    ASSERT_EQ(P.M.Pairs.size(), 1u);
    EXPECT_EQ(P.M.Pairs[0].Key, "authtoken");
    const Assignment *R = findAssign(P.M, "resp"); // several targets: named by the first
    ASSERT_NE(R, nullptr);
    EXPECT_EQ(R->Op, ":=");
    EXPECT_EQ(R->Target, "resp, err");
  }
  {
    Parsed P = model(Grammar::Java, testSnippets().at(Grammar::Java));
    const CallSite *C = findCall(P.M, "BasicNameValuePair");
    ASSERT_NE(C, nullptr);
    EXPECT_TRUE(C->IsNew);
    const Assignment *K = findAssign(P.M, "P");
    ASSERT_NE(K, nullptr);
    EXPECT_EQ(K->Keyword, "final");
    EXPECT_EQ(P.text(K->Value), "\"authtoken\"");
  }
  {
    Parsed P = model(Grammar::CSharp, "class A {\n  void F(string t) {\n    request.AddParameter(\"authtoken\", t, type: ParameterType.QueryString);\n"
                                      "    var s = $\"x?authtoken={t}\";\n    var d = new Dictionary<string, string> { { \"authtoken\", t } };\n  }\n}\n");
    const CallSite *C = findCall(P.M, "request.AddParameter");
    ASSERT_NE(C, nullptr);
    ASSERT_EQ(C->Arguments.size(), 3u);
    EXPECT_EQ(C->Arguments[2].Keyword, "type");
    EXPECT_EQ(P.text(C->Arguments[0].Value), "\"authtoken\"");
    EXPECT_EQ(C->ScopeName, "F");
    ASSERT_EQ(P.M.Pairs.size(), 1u);
    EXPECT_EQ(P.M.Pairs[0].Key, "authtoken");
    bool Tpl = false;
    for (const StringExpr &S : P.M.Strings)
      Tpl |= S.flatten("#") == "x?authtoken=#";
    EXPECT_TRUE(Tpl);
  }
  {
    Parsed P = model(Grammar::Bash, "sync() {\n  curl -s \"https://crm.zoho.com/x?authtoken=${TOKEN}&scope=crmapi\" \\\n    -o out.json\n}\n");
    const CallSite *C = findCall(P.M, "curl");
    ASSERT_NE(C, nullptr);
    ASSERT_EQ(C->Arguments.size(), 4u);
    EXPECT_EQ(C->ScopeName, "sync");
    EXPECT_EQ(P.text(C->Statement), P.text(C->Range));
    bool Found = false;
    for (const StringExpr &S : P.M.Strings)
      Found |= S.flatten("#") == "https://crm.zoho.com/x?authtoken=#&scope=crmapi";
    EXPECT_TRUE(Found);
  }
  {
    Parsed P = model(Grammar::Kotlin, testSnippets().at(Grammar::Kotlin));
    const CallSite *C = findCall(P.M, "client.get");
    ASSERT_NE(C, nullptr);
    EXPECT_EQ(C->Name, "get");
    ASSERT_EQ(P.M.Pairs.size(), 1u);
    EXPECT_EQ(P.M.Pairs[0].Key, "authtoken");
    const Assignment *A = findAssign(P.M, "p");
    ASSERT_NE(A, nullptr);
    EXPECT_EQ(A->Keyword, "val");
  }
  {
    Parsed P = model(Grammar::Scala, testSnippets().at(Grammar::Scala));
    ASSERT_EQ(P.M.Pairs.size(), 1u);
    EXPECT_EQ(P.M.Pairs[0].Key, "authtoken");
    EXPECT_NE(findCall(P.M, "Http(url).params"), nullptr);
  }
}

TEST(Model, DecodeEscape) {
  EXPECT_EQ(decodeEscape("\\n"), "\n");
  EXPECT_EQ(decodeEscape("\\x41"), "A");
  EXPECT_EQ(decodeEscape("\\u00e9"), "\xC3\xA9");
  EXPECT_EQ(decodeEscape("\\u{1F600}"), "\xF0\x9F\x98\x80");
  EXPECT_EQ(decodeEscape("\\101"), "A");
  EXPECT_EQ(decodeEscape("\\\""), "\"");
  EXPECT_EQ(decodeEscape("\\q"), "\\q");
  EXPECT_EQ(decodeEscape("\\\n"), "");
}

TEST(Model, InheritsResolvesSharedPatterns) {
  llvm::Expected<std::string> Ts = modelQuerySource(Grammar::Tsx);
  ASSERT_TRUE(static_cast<bool>(Ts)) << llvm::toString(Ts.takeError());
  EXPECT_NE(Ts->find("call_expression"), std::string::npos);      // from _ecmascript
  EXPECT_NE(Ts->find("public_field_definition"), std::string::npos); // from typescript
}

} // namespace
