// Product / data-centre attribution: the resolution order of core/Attribution.h on
// hand-made contexts, the lexer-level contexts of rules/LexicalContext.h, and the
// catalogue's code-name evidence.
#include "core/Attribution.h"
#include "rules/LexicalContext.h"
#include "rules/RuleEngine.h"

#include "gtest/gtest.h"

using namespace atm;

namespace {
const RuleSet &rules() {
  static RuleSet *RS = [] {
    auto R = buildRuleSet(builtinRuleSources());
    EXPECT_TRUE(bool(R));
    return new RuleSet(std::move(*R));
  }();
  return *RS;
}
const Catalog &cat() { return rules().Cat; }

Evidence ev(size_t Off, const char *Prod, const char *Dc) {
  Evidence E;
  E.Offset = Off;
  E.Prod = Prod ? cat().product(Prod) : nullptr;
  E.DataCentre = Dc ? Dc : "";
  return E;
}

/// The range of the first occurrence of \p Needle in \p Text.
ByteRange at(llvm::StringRef Text, llvm::StringRef Needle) {
  size_t P = Text.find(Needle);
  EXPECT_NE(P, llvm::StringRef::npos) << Needle.str();
  return {P, P + Needle.size()};
}

Attribution attributeAt(Language L, llvm::StringRef Text, llvm::StringRef Anchor) {
  SpanMap Spans = lex(L, Text);
  LexicalContext LC(L, Text, Spans);
  ByteRange A = at(Text, Anchor);
  return attribute(cat().findEvidence(Text), LC.at(A.Begin, A.End));
}
} // namespace

TEST(Attribution, NarrowestLevelWithEvidenceWins) {
  // crm in the literal [0,10), books in the statement [0,50), eu only in the file.
  std::vector<Evidence> Ev{ev(5, "crm", nullptr), ev(20, "books", nullptr), ev(80, nullptr, "eu")};
  RequestContext Ctx;
  Ctx.add(ContextLevel::Literal, {{0, 10}}).add(ContextLevel::Statement, {{0, 50}});
  Attribution A = attribute(Ev, Ctx);
  ASSERT_NE(A.Prod, nullptr);
  EXPECT_EQ(A.Prod->Id, "crm");
  EXPECT_EQ(A.ProductLevel, ContextLevel::Literal);
  EXPECT_TRUE(A.ProductCandidates.empty());
  EXPECT_EQ(A.DataCentre, "eu"); // the file names one data centre
  EXPECT_EQ(A.DcLevel, ContextLevel::File);
}

TEST(Attribution, TwoProductsAtOneLevelAreAConflictNotAGuess) {
  std::vector<Evidence> Ev{ev(5, "crm", "us"), ev(8, "books", "eu"), ev(30, "crm", "us")};
  RequestContext Ctx;
  Ctx.add(ContextLevel::Expression, {{0, 10}}).add(ContextLevel::Statement, {{0, 50}});
  Attribution A = attribute(Ev, Ctx);
  EXPECT_EQ(A.Prod, nullptr);
  EXPECT_EQ(A.ProductCandidates, (std::vector<std::string>{"books", "crm"}));
  EXPECT_EQ(A.ProductLevel, ContextLevel::Expression); // the statement's crm does not break the tie
  EXPECT_EQ(A.DataCentre, "");
  EXPECT_EQ(A.DcCandidates, (std::vector<std::string>{"eu", "us"}));
}

TEST(Attribution, AHostBeatsAProductNamedAtTheSameLevel) {
  // desk.zoho.com in the function, "Zoho Support" in a message of the same function: the
  // request goes to Desk. Two hosts of different products stay a conflict.
  Evidence Named = ev(40, "support", nullptr);
  Named.FromHost = false;
  std::vector<Evidence> Ev{ev(10, "desk", "us"), Named};
  RequestContext Ctx;
  Ctx.add(ContextLevel::Block, {{0, 100}});
  Attribution A = attribute(Ev, Ctx);
  ASSERT_NE(A.Prod, nullptr);
  EXPECT_EQ(A.Prod->Id, "desk");
  EXPECT_TRUE(A.ProductCandidates.empty());
  // Named products alone still decide (or conflict) as before.
  std::vector<Evidence> OnlyNamed{Named};
  A = attribute(OnlyNamed, Ctx);
  ASSERT_NE(A.Prod, nullptr);
  EXPECT_EQ(A.Prod->Id, "support");
  std::vector<Evidence> TwoHosts{ev(10, "desk", "us"), ev(20, "mail", "us"), Named};
  A = attribute(TwoHosts, Ctx);
  EXPECT_EQ(A.Prod, nullptr);
  EXPECT_EQ(A.ProductCandidates, (std::vector<std::string>{"desk", "mail"}));
  // The whole file pools its hosts and names: a conflict, with both as candidates.
  A = attribute(Ev, RequestContext{});
  EXPECT_EQ(A.Prod, nullptr);
  EXPECT_EQ(A.ProductCandidates, (std::vector<std::string>{"desk", "support"}));
}

TEST(Attribution, RangesOfOneLevelArePooledAndEmptyLevelsSkipped) {
  // The literal has no evidence; the expression is the literal plus a definition far away.
  std::vector<Evidence> Ev{ev(100, "recruit", "in"), ev(200, "books", nullptr)};
  RequestContext Ctx;
  Ctx.add(ContextLevel::Literal, {{0, 10}})
      .add(ContextLevel::Group, {})
      .add(ContextLevel::Expression, {{0, 10}, {95, 120}})
      .add(ContextLevel::Statement, {{0, 300}});
  Attribution A = attribute(Ev, Ctx);
  ASSERT_NE(A.Prod, nullptr);
  EXPECT_EQ(A.Prod->Id, "recruit");
  EXPECT_EQ(A.DataCentre, "in");
  EXPECT_EQ(A.ProductLevel, ContextLevel::Expression);
}

TEST(Attribution, FileLevelOnlyWhenTheFileNamesOneProduct) {
  RequestContext Empty;
  std::vector<Evidence> One{ev(1, nullptr, "eu"), ev(10, "desk", nullptr), ev(20, "desk", "us")};
  Attribution A = attribute(One, Empty);
  ASSERT_NE(A.Prod, nullptr);
  EXPECT_EQ(A.Prod->Id, "desk");
  EXPECT_EQ(A.DataCentre, ""); // eu and us
  std::vector<Evidence> Two{ev(10, "desk", nullptr), ev(20, "mail", nullptr), ev(30, "desk", nullptr)};
  A = attribute(Two, Empty);
  EXPECT_EQ(A.Prod, nullptr);
  EXPECT_EQ(A.ProductCandidates, (std::vector<std::string>{"desk", "mail"}));
  EXPECT_EQ(A.ProductLevel, ContextLevel::File);
  // A DC-only host says nothing about the product.
  std::vector<Evidence> DcOnly{ev(1, nullptr, "eu")};
  A = attribute(DcOnly, Empty);
  EXPECT_EQ(A.Prod, nullptr);
  EXPECT_TRUE(A.ProductCandidates.empty());
  EXPECT_FALSE(A.ProductDecided);
  EXPECT_EQ(A.DataCentre, "eu");
}

TEST(Attribution, CodeNamesAreEvidenceAtWordEdges) {
  auto Ids = [](llvm::StringRef T) {
    std::vector<std::string> Out;
    for (const Evidence &E : cat().findEvidence(T))
      Out.push_back(E.Prod ? E.Prod->Id : "-");
    return Out;
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(Ids("new Zoho.CRM({})"), V{"crm"});
  EXPECT_EQ(Ids("ZohoBooksClient x"), V{"books"});
  EXPECT_EQ(Ids("ZOHO_INVOICE_TOKEN"), V{"invoice"});
  EXPECT_EQ(Ids("Zoho::Desk.new"), V{"desk"});
  EXPECT_EQ(Ids("new \\Acme\\Zoho\\Recruit\\Api\\Client($t)"), V{"recruit"}); // PHP namespace
  EXPECT_EQ(Ids("'Acme\\\\Zoho\\\\Books\\\\Api'"), V{"books"});              // in a string
  EXPECT_EQ(Ids("getZohoCreator()"), V{"creator"});
  EXPECT_EQ(Ids("the Zoho Support portal"), V{"support"});
  EXPECT_EQ(Ids("ask zoho support"), V{});       // prose must be spelt as the product
  EXPECT_EQ(Ids("zohobooksclient"), V{});         // no word edge after the name
  EXPECT_EQ(Ids("myzohocrm"), V{});               // nor before "zoho"
  EXPECT_EQ(Ids("https://www.zoho.com/x"), V{"-"}); // a host: DC only
}

TEST(LexicalContext, PythonConcatenationResolvesTheBaseConstant) {
  // The Books base follows the CRM call; the CRM call is CRM (issue 9 item 5).
  std::string T = "CRM = 'https://crm.zoho.com/crm/private/json/'\n"
                  "def leads(t):\n"
                  "    return get(CRM + 'Leads/getRecords?authtoken=' + t)\n"
                  "BOOKS = 'https://books.zoho.eu/api/v3/'\n";
  Attribution A = attributeAt(Language::Python, T, "authtoken=");
  ASSERT_NE(A.Prod, nullptr);
  EXPECT_EQ(A.Prod->Id, "crm");
  EXPECT_EQ(A.DataCentre, "us");
  EXPECT_EQ(A.ProductLevel, ContextLevel::Expression);
}

TEST(LexicalContext, LiteralWithItsOwnHostWinsOverTheStatement) {
  std::string T = "x = get('https://desk.zoho.com/api/v1/t?authtoken=' + t, ref='https://mail.zoho.eu')\n";
  Attribution A = attributeAt(Language::Python, T, "authtoken=");
  ASSERT_NE(A.Prod, nullptr);
  EXPECT_EQ(A.Prod->Id, "desk");
  EXPECT_EQ(A.ProductLevel, ContextLevel::Literal);
  EXPECT_EQ(A.DataCentre, "us");
}

TEST(LexicalContext, DefinitionsAreScopedToTheirBlock) {
  // `url` of another function is not this function's url; the file has two products.
  std::string T = "function a(t) {\n  var url = 'https://books.zoho.com/api/v3/';\n  return url;\n}\n"
                  "function b(t) {\n  return get(url + '?authtoken=' + t);\n}\n"
                  "function c() { return 'https://crm.zoho.com/crm/'; }\n";
  Attribution A = attributeAt(Language::JavaScript, T, "authtoken=");
  EXPECT_EQ(A.Prod, nullptr);
  EXPECT_EQ(A.ProductLevel, ContextLevel::File);
  EXPECT_EQ(A.ProductCandidates, (std::vector<std::string>{"books", "crm"}));
}

TEST(LexicalContext, ConsumerOfABuiltMapDecides) {
  std::string T = "m = map();\nm.put(\"Authorization\", \"Zoho-authtoken \" + t);\n"
                  "r = postUrl(\"https://books.zoho.com/api/v3/x\", body, m);\n"
                  "c = map();\nc.put(\"scope\", \"creatorapi\");\n";
  Attribution A = attributeAt(Language::Deluge, T, "Zoho-authtoken");
  ASSERT_NE(A.Prod, nullptr);
  EXPECT_EQ(A.Prod->Id, "books");
  EXPECT_EQ(A.ProductLevel, ContextLevel::Consumer);
}

TEST(LexicalContext, StatementsEndAtNewlinesOutsideBracketsOnly) {
  std::string T = "const a = f({\n  authtoken: t,\n  u: 'https://crm.zoho.com/crm/x'\n})\n"
                  "const b = 'https://books.zoho.com/api/v3/'\n";
  Attribution A = attributeAt(Language::JavaScript, T, "authtoken");
  ASSERT_NE(A.Prod, nullptr);
  EXPECT_EQ(A.Prod->Id, "crm");
  EXPECT_EQ(A.ProductLevel, ContextLevel::Group);
}

TEST(LexicalContext, MarkdownCodeBlocksAndSections) {
  std::string T = "# SDK\n\n## CRM\n\n```js\nvar c = new Zoho.CRM({ authtoken: 'x' });\n```\n\n"
                  "## Books\n\nSee https://books.zoho.com/api/v3/.\n\n```\nsdk.init({ authtoken: 'y' })\n```\n";
  Attribution A = attributeAt(Language::Markdown, T, "authtoken: 'x'");
  ASSERT_NE(A.Prod, nullptr);
  EXPECT_EQ(A.Prod->Id, "crm");
  EXPECT_EQ(A.ProductLevel, ContextLevel::Statement);
  A = attributeAt(Language::Markdown, T, "authtoken: 'y'");
  ASSERT_NE(A.Prod, nullptr);
  EXPECT_EQ(A.Prod->Id, "books");
  EXPECT_EQ(A.ProductLevel, ContextLevel::Section);
}

TEST(LexicalContext, ConfigKeysShareTheirPrefix) {
  std::string T = "zoho.crm.url=https://crm.zoho.eu/crm/\nzoho.mail.url=https://mail.zoho.com/api/\n"
                  "zoho.mail.authtoken=x\nzoho.crm.authtoken=y\n";
  Attribution A = attributeAt(Language::Properties, T, "zoho.crm.authtoken");
  ASSERT_NE(A.Prod, nullptr);
  EXPECT_EQ(A.Prod->Id, "crm");
  EXPECT_EQ(A.DataCentre, "eu");
  EXPECT_EQ(A.ProductLevel, ContextLevel::Expression);
}

TEST(LexicalContext, RubyClassSettingsComeBeforeTheWholeClass) {
  std::string T = "class Inv\n  base_uri 'https://invoice.zoho.com/api/v3'\n"
                  "  def initialize(t)\n    @o = { query: { authtoken: t } }\n  end\n"
                  "  def other\n    get('https://crm.zoho.com/crm/x')\n  end\nend\n";
  Attribution A = attributeAt(Language::Ruby, T, "authtoken");
  ASSERT_NE(A.Prod, nullptr);
  EXPECT_EQ(A.Prod->Id, "invoice");
  EXPECT_EQ(A.ProductLevel, ContextLevel::Block);
}

TEST(LexicalContext, EngineReportsCandidatesOnTheFinding) {
  EngineOptions O;
  O.AsOf = *Date::parse("2026-11-24");
  RuleEngine E(rules(), O);
  auto R = E.scan("a.py", Language::Python,
                  "A = 'https://crm.zoho.com/crm/private/json/'\n"
                  "B = 'https://books.zoho.com/api/v3/'\n"
                  "def f(base, t):\n    return get(base + 'x?authtoken=' + t)\n");
  ASSERT_EQ(R.Findings.size(), 1u);
  EXPECT_EQ(R.Findings[0].Product, "");
  EXPECT_EQ(R.Findings[0].ProductName, cat().fallback().Name);
  EXPECT_EQ(R.Findings[0].ProductCandidates, (std::vector<std::string>{"books", "crm"}));
  EXPECT_EQ(R.Findings[0].DataCentre, "us");
  EXPECT_FALSE(R.Findings[0].Cutoff.empty()); // the fallback's cutoff
}

TEST(LexicalContext, WhereTheTokenComesFromIsNotWhereTheRequestGoes) {
  std::string T = "TOKEN = setting('https://creator.zoho.com/api/json/app/settings')\n"
                  "def f():\n"
                  "    return get('https://people.zoho.com/people/api/x',\n"
                  "               headers={'Authorization': 'Zoho-authtoken ' + TOKEN})\n";
  Attribution A = attributeAt(Language::Python, T, "Zoho-authtoken");
  ASSERT_NE(A.Prod, nullptr);
  EXPECT_EQ(A.Prod->Id, "people");
  EXPECT_EQ(A.ProductLevel, ContextLevel::Group);
}

TEST(LexicalContext, SectionPathIsTheInnermostConfigBlockThenOuterHeaders) {
  auto Path = [](Language L, const std::string &T, const char *Marker) {
    SpanMap Spans = lex(L, T);
    LexicalContext C(L, T, Spans);
    std::vector<std::string> Out;
    for (const ByteRange &R : C.sectionPath(T.find(Marker)))
      Out.push_back(T.substr(R.Begin, R.End - R.Begin));
    return Out;
  };
  std::string Y = "zoho:\n  crm:\n    api_key: x\n    host: h\nstripe:\n  api_key: y\n";
  auto P = Path(Language::Yaml, Y, "api_key: x");
  ASSERT_EQ(P.size(), 2u);
  EXPECT_EQ(P[0], "  crm:\n    api_key: x\n    host: h");
  EXPECT_EQ(P[1], "zoho:");
  P = Path(Language::Yaml, Y, "api_key: y");
  ASSERT_EQ(P.size(), 1u);
  EXPECT_EQ(P[0], "stripe:\n  api_key: y\n");
  std::string I = "top = 1\n[zoho]\nkey = a\n[mail]\nkey = b\n";
  P = Path(Language::Ini, I, "key = a");
  ASSERT_EQ(P.size(), 1u);
  EXPECT_EQ(P[0], "[zoho]\nkey = a\n");
  EXPECT_EQ(Path(Language::Ini, I, "top")[0], I); // outside any table: the file
  std::string E = "ZOHO_HOST=x\nAPI_KEY=y\n";
  EXPECT_EQ(Path(Language::Env, E, "API_KEY")[0], E);
  std::string Py = "def f():\n    api_key = 'x'\n";
  EXPECT_EQ(Path(Language::Python, Py, "api_key")[0], Py);
}
