#include "rules/RuleEngine.h"
#include "scan/Scanner.h"

#include <algorithm>
#include <fstream>
#include <set>

#include "gtest/gtest.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

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

FileResult scanPy(const std::string &Text, EngineOptions O = {}) {
  O.AsOf = *Date::parse("2026-11-24");
  RuleEngine E(rules(), O);
  return E.scan("app/client.py", Language::Python, Text);
}
} // namespace

TEST(Engine, FindingCarriesProductCutoffStatusAndRedactedSnippet) {
  auto R = scanPy("import requests\n"
                  "requests.get('https://crm.zoho.eu/crm/private/json/Leads/getRecords"
                  "?authtoken=3f2c8e7a9b1d4c6e8f0a2b4c6d8e0f1a&scope=crmapi')\n");
  ASSERT_EQ(R.Findings.size(), 2u); // url-param + hardcoded
  const Finding &F = R.Findings[0];
  EXPECT_EQ(F.RuleId, "zoho-authtoken-url-param");
  EXPECT_EQ(F.Begin.Line, 2u);
  EXPECT_EQ(F.Product, "crm");
  EXPECT_EQ(F.ProductName, "Zoho CRM");
  EXPECT_EQ(F.DataCentre, "eu");
  EXPECT_EQ(F.Cutoff, "2018-12-31");
  EXPECT_EQ(F.Status, "past cutoff since 2018-12-31 (2885 days)");
  EXPECT_EQ(F.Snippet.find("3f2c8e7a9b1d4c6e8f0a2b4c6d8e0f1a"), std::string::npos);
  EXPECT_NE(F.Snippet.find("authtoken=3f2c"), std::string::npos);
  EXPECT_EQ(F.Fingerprint.size(), 16u);
}

TEST(Engine, ShowSecretsKeepsValues) {
  EngineOptions O;
  O.ShowSecrets = true;
  auto R = scanPy("u = 'https://books.zoho.com/api/v3/x?authtoken=3f2c8e7a9b1d4c6e8f0a2b4c6d8e0f1a'\n", O);
  ASSERT_FALSE(R.Findings.empty());
  EXPECT_NE(R.Findings[0].Snippet.find("3f2c8e7a9b1d4c6e8f0a2b4c6d8e0f1a"), std::string::npos);
}

TEST(Engine, InlineSuppressionOnTheLineOrTheLineBefore) {
  std::string Code = "# zoho\n"
                     "a = {'authtoken': t}  # authtoken-migrate: ignore[zoho-authtoken-param-key]\n"
                     "# authtoken-migrate: ignore[zoho-authtoken-param-key]\n"
                     "b = {'authtoken': t}\n"
                     "c = {'authtoken': t}  # authtoken-migrate: ignore[some-other-rule]\n"
                     "d = {'authtoken': t}  # authtoken-migrate: ignore\n"
                     "e = '# authtoken-migrate: ignore'; f = {'authtoken': t}\n";
  auto R = scanPy(Code);
  ASSERT_EQ(R.Findings.size(), 2u);
  EXPECT_EQ(R.Findings[0].Begin.Line, 5u);
  EXPECT_EQ(R.Findings[1].Begin.Line, 7u); // a marker inside a string does not suppress
  EXPECT_EQ(R.Suppressed, 3u);
}

TEST(Engine, FingerprintsSurviveMovedLinesAndDistinguishRepeats) {
  std::string Body = "x = {'authtoken': t}\ny = {'authtoken': t}\nx = {'authtoken': t}\n";
  auto A = scanPy("# zoho\n" + Body);
  auto B = scanPy("# zoho\n\n\n\n" + Body);
  ASSERT_EQ(A.Findings.size(), 3u);
  ASSERT_EQ(B.Findings.size(), 3u);
  for (size_t I = 0; I < 3; ++I) {
    EXPECT_EQ(A.Findings[I].Fingerprint, B.Findings[I].Fingerprint);
    EXPECT_NE(A.Findings[I].Begin.Line, B.Findings[I].Begin.Line);
  }
  EXPECT_NE(A.Findings[0].Fingerprint, A.Findings[2].Fingerprint); // same text, 2nd occurrence
  EXPECT_NE(A.Findings[0].Fingerprint, A.Findings[1].Fingerprint);
}

TEST(Engine, PrefilterRejectsFilesWithoutCandidates) {
  RuleEngine E(rules(), {});
  EXPECT_FALSE(E.mayMatch("print('hello world')\n", Language::Python));
  EXPECT_TRUE(E.mayMatch("x = 'ZOHO'", Language::Python));
  // Deluge rules key on the authtoken itself; Python rules need a Zoho context word.
  EXPECT_TRUE(E.mayMatch("x = 'AUTHTOKEN'", Language::Deluge));
  EXPECT_FALSE(E.mayMatch("x = 'AUTHTOKEN'", Language::Python));
  EXPECT_TRUE(E.mayMatch("u = 'accounts.zoho.com/apiauthtoken/nb/create'", Language::Python));
  auto R = E.scan("a.py", Language::Python, "print('hello')\n");
  EXPECT_TRUE(R.PrefilterRejected);
}

// A rule gated on its path (require-all `window: path`) keys on a common word ("api" of
// api_key): its literal must not send every file holding that word to the rules, only
// those whose path passes the gate; without a path every rule's literals count.
TEST(Engine, PathGatedRulesLiteralsCountOnlyWhereThePathPasses) {
  RuleEngine E(rules(), {});
  const Language J = Language::Json;
  const std::string Text = "{\"UserApiKey\": \"0123456789abcdef0123456789abcdef\"}\n";
  const std::string ZohoPath = "ZohoBooks4Net.Tests/configuration.json";
  EXPECT_TRUE(E.mayMatch(Text, J));
  EXPECT_TRUE(E.mayMatch(Text, J, ZohoPath));
  EXPECT_FALSE(E.mayMatch(Text, J, "aws-sdk/apis/logs.min.json"));
  EXPECT_FALSE(E.mayMatchChunk(Text, J, "aws-sdk/apis/logs.min.json"));
  EXPECT_TRUE(E.mayMatchChunk(Text, J, ZohoPath));
  // The other rules' literals still count on any path.
  EXPECT_TRUE(E.mayMatch("{\"url\": \"https://crm.zoho.com/x?authtoken=t\"}", J, "a/b.json"));
  // What the gate lets through is what the rule finds; what it stops, the rule would not.
  FileResult Hit = E.scan(ZohoPath, J, Text);
  ASSERT_FALSE(Hit.Findings.empty());
  EXPECT_EQ(Hit.Findings[0].RuleId, "zoho-config-credential-zoho-path");
  EXPECT_TRUE(E.scan("aws-sdk/apis/logs.min.json", J, Text).Findings.empty());
}

TEST(Engine, GenericFilesNeedAZohoHostOrScopeAndAnAuthtokenMarker) {
  RuleEngine E(rules(), {});
  const Language G = Language::Generic;
  EXPECT_TRUE(E.genericGate("GET https://crm.zoho.com/x?authtoken=t\n"));
  EXPECT_TRUE(E.genericGate("u = 'x?AUTH_TOKEN=t&scope=CrmApi'"));
  EXPECT_TRUE(E.genericGate("auth-token from zohoapis.eu"));
  EXPECT_TRUE(E.genericGate("h = 'Authorization: Zoho-authtoken ' .. t"));
  EXPECT_FALSE(E.genericGate("local zoho = 'https://crm.zoho.com/' -- OAuth only\n"));
  EXPECT_FALSE(E.genericGate("ngrok authtoken 2abc"));
  EXPECT_FALSE(E.genericGate("authtoken for my zoho account")); // no host, no scope
  EXPECT_FALSE(E.mayMatch("local z = 'zoho' .. authtoken", G));
  EXPECT_TRUE(E.mayMatch("local u = 'https://crm.zoho.com/x?authtoken=' .. t", G));
  FileResult Rej = E.scan("x.lua", G, "-- ngrok\nlocal c = {authtoken = t}\n");
  EXPECT_TRUE(Rej.PrefilterRejected);
  FileResult R = E.scan("x.lua", G, "local u = 'https://crm.zoho.com/crm/private/json/"
                                    "Leads/getRecords?authtoken=' .. t\n");
  ASSERT_EQ(R.Findings.size(), 1u);
  EXPECT_EQ(R.Findings[0].RuleId, "zoho-authtoken-url-param");
}

TEST(Engine, RuleGroupsLeaveGenericOut) {
  // doc-mention says `all`, env-var `code`: neither runs on files of no known language.
  for (const char *Id : {"zoho-authtoken-doc-mention", "zoho-authtoken-env-var",
                         "zoho-authtoken-config-key"}) {
    const Rule *R = rules().find(Id);
    ASSERT_TRUE(R) << Id;
    EXPECT_FALSE(R->appliesTo(Language::Generic)) << Id;
  }
  for (const char *Id : {"zoho-authtoken-url-param", "zoho-authtoken-hardcoded",
                         "zoho-authtoken-param-key", "zoho-authtoken-header",
                         "zoho-authtoken-generation", "zoho-legacy-scope-url"}) {
    const Rule *R = rules().find(Id);
    ASSERT_TRUE(R) << Id;
    EXPECT_TRUE(R->appliesTo(Language::Generic)) << Id;
  }
  EXPECT_TRUE(rules().find("zoho-authtoken-doc-mention")->appliesTo(Language::Python));
}

TEST(Engine, OnlyRulesRestrictsTheRun) {
  EngineOptions O;
  O.OnlyRules = {"zoho-authtoken-hardcoded"};
  auto R = scanPy("u = 'https://books.zoho.com/api/v3/x?authtoken=3f2c8e7a9b1d4c6e8f0a2b4c6d8e0f1a'\n", O);
  ASSERT_EQ(R.Findings.size(), 1u);
  EXPECT_EQ(R.Findings[0].RuleId, "zoho-authtoken-hardcoded");
}

TEST(Engine, AnchorRejectDropsAMatchByItsText) {
  // zoho-authtoken-env-var: a setting holding the token is reported, the name of the
  // header's scheme prefix is not (`anchor-reject`), on the same line too.
  std::string Line = "h = {AUTH: ZOHO_AUTH_TOKEN_HEADER_PREFIX + os.environ['ZOHO_BOOKS_AUTHTOKEN']}\n";
  auto R = scanPy(Line);
  std::vector<unsigned> Columns;
  for (const Finding &F : R.Findings)
    if (F.RuleId == "zoho-authtoken-env-var")
      Columns.push_back(F.Begin.Column);
  ASSERT_EQ(Columns.size(), 1u);
  EXPECT_EQ(Columns[0], Line.find("ZOHO_BOOKS_AUTHTOKEN") + 1);
}

TEST(Engine, CommentsAndOAuthStaySilent) {
  auto R = scanPy("# requests.get('https://crm.zoho.com/x?authtoken=abc')\n"
                  "h = {'Authorization': 'Zoho-oauthtoken ' + tok}\n"
                  "class OAuthToken: pass\n"
                  "oauthToken = get()\n");
  for (const Finding &F : R.Findings)
    EXPECT_EQ(F.Sev, Severity::Note) << F.RuleId << " line " << F.Begin.Line;
}

TEST(Engine, ScanBufferDetectsLanguageAndHandlesOddInput) {
  RuleEngine E(rules(), {});
  // CRLF, BOM and invalid UTF-8 must not break positions or crash.
  std::string T = "\xEF\xBB\xBF<?php\r\n$u = \"https://crm.zoho.com/x?authtoken=\" . $t; // \xFF\xFE\r\n";
  FileResult R = scanBuffer(E, "legacy", T);
  ASSERT_EQ(R.Findings.size(), 1u);
  EXPECT_EQ(R.Findings[0].Begin.Line, 2u);
  EXPECT_EQ(R.Findings[0].LineText.back(), '\xFE'); // no trailing CR
}

namespace {
/// One minified line of \p N Zoho URLs with authtoken= (and a hex token each).
std::string minifiedUrls(int N, const std::string &Head = "") {
  std::string S = Head + "var z=1;";
  for (int I = 0; I < N; ++I)
    S += "fetch(\"https://crm.zoho.com/crm/private/json/Leads/getRecords?authtoken=" +
         std::string(24, 'a') + std::to_string(10000000 + I) + "&scope=crmapi\");";
  return S + "\n";
}
FileResult scanJs(const std::string &Text, EngineOptions O = {}) {
  O.AsOf = *Date::parse("2026-11-24");
  RuleEngine E(rules(), O);
  return E.scan("dist/app.min.js", Language::JavaScript, Text);
}
} // namespace

// Each finding used to copy, redact and normalise the whole line (348 s for 4,000 URLs on
// a 400 KB line): now its snippet, line text and fingerprint text are windows.
TEST(Engine, ManyFindingsOnOneLongLineAreBoundedWindows) {
  std::string Text = minifiedUrls(1000);
  auto R = scanJs(Text);
  size_t Url = 0;
  std::set<std::string> Prints;
  for (const Finding &F : R.Findings) {
    Prints.insert(F.Fingerprint);
    EXPECT_LE(F.Snippet.size(), 403u);
    EXPECT_LE(F.LineText.size(), 800u);
    EXPECT_EQ(F.LineText.find("aaaaaaaaaaaaaaaaaaaaaaaa1"), std::string::npos); // redacted
    if (F.RuleId != "zoho-authtoken-url-param")
      continue;
    ++Url;
    // The caret column points at the match inside the window, SARIF columns at the line.
    if (F.Offset > 300) {
      EXPECT_EQ(llvm::StringRef(F.LineText).substr(0, 3), "\xE2\x80\xA6");
      ASSERT_GT(F.LineTextColumn, 0u);
      EXPECT_EQ(F.LineText.substr(F.LineTextColumn - 1, 10), "authtoken=");
      EXPECT_EQ(F.Utf16Begin, F.Begin.Column); // ASCII
      EXPECT_EQ(F.Utf16End, F.End.Column);
    }
  }
  EXPECT_EQ(Url, 1000u);
  EXPECT_EQ(Prints.size(), R.Findings.size());
}

TEST(Engine, LongLineFingerprintsDependOnTheTextAroundTheMatchOnly) {
  auto A = scanJs(minifiedUrls(20));
  auto B = scanJs(minifiedUrls(20, "var pad=\"" + std::string(5000, 'p') + "\";"));
  ASSERT_EQ(A.Findings.size(), B.Findings.size());
  ASSERT_GT(A.Findings.size(), 20u);
  // Findings away from the edited start keep their fingerprints.
  for (size_t I = 4; I < A.Findings.size(); ++I)
    EXPECT_EQ(A.Findings[I].Fingerprint, B.Findings[I].Fingerprint) << I;
  // Short lines still use the whole line (unchanged fingerprints for ordinary code).
  auto S = scanPy("# zoho\nx = {'authtoken': t}\n");
  ASSERT_EQ(S.Findings.size(), 1u);
  EXPECT_EQ(S.Findings[0].LineTextColumn, 0u);
  EXPECT_EQ(S.Findings[0].Fingerprint,
            stableHash({"zoho-authtoken-param-key", "app/client.py", "x = {'authtoken': t}", "0"}));
}

TEST(Engine, LongLineWindowNeverCutsASecretFromItsKey) {
  // Wherever the window's left edge falls near "password": "…", the value stays masked.
  for (size_t Pad = 60; Pad < 260; ++Pad) {
    std::string Text = "var z=1;var cfg={\"password\": \"s3cr3tvalue\"," + std::string(Pad, ' ') +
                       "u:\"https://crm.zoho.com/crm/private/json/Leads/getRecords?authtoken=x\"};" +
                       std::string(600, ' ') + "\n";
    auto R = scanJs(Text);
    ASSERT_FALSE(R.Findings.empty()) << Pad;
    for (const Finding &F : R.Findings) {
      EXPECT_EQ(F.LineText.find("3tvalue"), std::string::npos) << Pad << ": " << F.LineText;
      EXPECT_EQ(F.Snippet.find("3tvalue"), std::string::npos) << Pad;
    }
  }
}

namespace {
/// Bytes this process has read through read(2) so far (Linux), or -1.
long long bytesRead() {
  std::ifstream IO("/proc/self/io");
  std::string Key;
  long long V;
  while (IO >> Key >> V)
    if (Key == "rchar:")
      return V;
  return -1;
}
} // namespace

// Regression: with --max-file-size 0 a huge file was read whole before the binary check.
TEST(Scanner, FilesOfNoKnownLanguageAreScannedAsGenericAndCountedByExtension) {
  llvm::SmallString<128> Dir;
  ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("atm-generic", Dir));
  auto Write = [&](const char *Name, const std::string &Text) {
    std::ofstream((Dir + "/" + Name).str(), std::ios::binary) << Text;
  };
  const std::string Lua = "local u = 'https://crm.zoho.com/crm/private/json/Leads/"
                          "getRecords?authtoken=' .. t\n";
  Write("a.lua", Lua);
  Write("b.lua", "print('hello')\n");
  Write("c.http", "GET https://crm.zoho.eu/crm/private/json/Leads/getRecords?authtoken={{t}}\n");
  Write("sync_job", "nothing here\n");
  Write("d.png", "not really a png, but the extension says binary\n");
  Write("e.dat", std::string("a\0b", 3));
  ScanOptions O;
  O.Paths = {std::string(Dir)};
  O.Jobs = 1;
  ScanResult R = runScan(rules(), O);
  EXPECT_EQ(R.Stats.FilesByLanguage["generic"], 4u);
  EXPECT_EQ(R.Stats.GenericByExtension[".lua"], 2u);
  EXPECT_EQ(R.Stats.GenericByExtension[".http"], 1u);
  EXPECT_EQ(R.Stats.GenericByExtension["(none)"], 1u);
  EXPECT_EQ(R.Stats.UnknownLanguage, 1u); // d.png
  EXPECT_EQ(R.Stats.Binary, 1u);          // e.dat
  EXPECT_EQ(R.Stats.FilesScanned, 2u);    // b.lua and sync_job fail the generic gate
  EXPECT_EQ(R.Stats.PrefilterRejected, 2u);
  ASSERT_EQ(R.Findings.size(), 2u);
  for (const Finding &F : R.Findings)
    EXPECT_EQ(F.RuleId, "zoho-authtoken-url-param") << F.Path;
  llvm::sys::fs::remove_directories(Dir);
}

TEST(Scanner, BinaryFilesAreSniffedBeforeBeingReadWhole) {
  if (bytesRead() < 0)
    GTEST_SKIP() << "no /proc/self/io";
  llvm::SmallString<128> Dir;
  ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("atm-sniff", Dir));
  std::string Big = (Dir + "/big.js").str();
  {
    int FD;
    ASSERT_FALSE(llvm::sys::fs::openFileForWrite(Big, FD));
    // 256 MiB of NULs (sparse: no disk used).
    ASSERT_FALSE(llvm::sys::fs::resize_file(FD, 256u << 20));
    llvm::sys::fs::closeFile(FD);
  }
  ScanOptions O;
  O.Paths = {std::string(Dir)};
  O.Discover.MaxFileSize = 0;
  O.Jobs = 1;
  long long Before = bytesRead();
  ScanResult R = runScan(rules(), O);
  long long Read = bytesRead() - Before;
  EXPECT_EQ(R.Stats.Binary, 1u);
  EXPECT_LT(Read, 1 << 20) << "read " << Read << " bytes";
  llvm::sys::fs::remove_directories(Dir);
}

// A file larger than the first chunk is read chunk by chunk while the prefilter finds
// nothing: a literal across a chunk boundary (the chunks overlap), in a later chunk or
// nowhere must give what one whole read gives, for a known language and for Generic.
TEST(Scanner, LargeFilesReadInChunksFindWhatWholeReadsFind) {
  llvm::SmallString<128> Dir;
  ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("atm-chunks", Dir));
  const std::string Line =
      "requests.get('https://crm.zoho.eu/crm/v2/Leads?authtoken=' + t)\n";
  const size_t Lit = Line.find("authtoken");
  // Filler of comment lines up to exactly N bytes.
  auto Filler = [](size_t N) {
    std::string F;
    while (F.size() + 64 <= N)
      F += "#" + std::string(62, 'x') + "\n";
    if (F.size() < N)
      F += "#" + std::string(N - F.size() - 1, 'y');
    if (!F.empty())
      F.back() = '\n';
    return F;
  };
  struct Case {
    const char *Name;
    size_t LiteralAt; ///< file offset of "authtoken"; SIZE_MAX: none
    bool Alone = false; ///< the word alone: the one literal of the file
  };
  const size_t K = 256u << 10;
  const Case Cases[] = {{"first.py", 1000},      {"across1.py", K - 4},
                        {"across2.py", 2 * K - 2}, {"late.py", 3 * K + 77},
                        {"at_end.lua", 4 * K - 3000}, {"none.py", SIZE_MAX},
                        {"none.lua", SIZE_MAX}};
  size_t TotalBytes = 0;
  for (const Case &C : Cases) {
    std::string Text;
    if (C.LiteralAt == SIZE_MAX) {
      Text = Filler(5 * K / 2);
    } else {
      Text = C.Alone ? Filler(C.LiteralAt) + "authtoken\n" + Filler(K)
                     : Filler(C.LiteralAt - Lit) + Line + Filler(K);
      ASSERT_EQ(Text.find("authtoken"), C.LiteralAt) << C.Name;
    }
    TotalBytes += Text.size();
    std::ofstream((Dir + "/" + C.Name).str(), std::ios::binary) << Text;
  }
  ScanOptions O;
  O.Paths = {std::string(Dir)};
  O.Discover.MaxFileSize = 0;
  O.Jobs = 1;
  ScanResult R = runScan(rules(), O);
  std::set<std::string> WithUrlParam;
  for (const Finding &F : R.Findings)
    if (F.RuleId == "zoho-authtoken-url-param")
      WithUrlParam.insert(llvm::sys::path::filename(F.Path).str());
  EXPECT_EQ(WithUrlParam, (std::set<std::string>{"first.py", "across1.py", "across2.py",
                                                  "late.py", "at_end.lua"}));
  EXPECT_EQ(R.Stats.PrefilterRejected, 2u); // none.py, none.lua
  EXPECT_EQ(R.Stats.FilesScanned, 5u);
  for (const Finding &F : R.Findings)
    if (F.RuleId == "zoho-authtoken-url-param" && llvm::StringRef(F.Path).endswith("late.py"))
      EXPECT_EQ(F.Begin.Line, (3 * K + 77 - Lit) / 64 + 2);
  EXPECT_EQ(R.Stats.Bytes, TotalBytes);     // every byte read once (counted once)
  llvm::sys::fs::remove_directories(Dir);

  // Classic Mac OS line ends in a large file read whole after the chunk pass: the
  // finding's line counts the lone '\r' line ends, as in a small file.
  {
    ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("atm-chunks", Dir));
    std::string Text = Filler(2 * K + 100) + Line + Filler(K);
    std::replace(Text.begin(), Text.end(), '\n', '\r');
    std::ofstream((Dir + "/mac.py").str(), std::ios::binary) << Text;
    O.Paths = {std::string(Dir)};
    ScanResult M = runScan(rules(), O);
    unsigned Line1 = 1 + std::count(Text.begin(), Text.begin() + Text.find("requests."), '\r');
    bool Seen = false;
    for (const Finding &F : M.Findings)
      if (F.RuleId == "zoho-authtoken-url-param") {
        Seen = true;
        EXPECT_EQ(F.Begin.Line, Line1);
      }
    EXPECT_TRUE(Seen);
    llvm::sys::fs::remove_directories(Dir);
  }

  // A file whose one literal lies across a chunk boundary (nothing else in it would
  // pass the prefilter) is read whole after the chunk pass finds it; a file without
  // one is read once, chunk by chunk. (The whole read is what tells here: such a file
  // has no finding either way.)
  if (bytesRead() < 0)
    GTEST_SKIP() << "no /proc/self/io";
  for (const Case &C : {Case{"alone1.py", K - 2, true}, Case{"alone2.lua", 2 * K - 5, true},
                        Case{"alone3.py", SIZE_MAX, true}}) {
    ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("atm-chunks", Dir));
    // Python's literals include "zoho"; a Generic file's first gate is "authtoken".
    std::string Word = llvm::StringRef(C.Name).endswith(".py") ? "zoho\n" : "authtoken\n";
    std::string Text =
        C.LiteralAt == SIZE_MAX ? Filler(3 * K) : Filler(C.LiteralAt) + Word + Filler(K);
    std::ofstream((Dir + "/" + C.Name).str(), std::ios::binary) << Text;
    O.Paths = {std::string(Dir)};
    long long Before = bytesRead();
    runScan(rules(), O);
    long long Read = bytesRead() - Before;
    if (C.LiteralAt == SIZE_MAX)
      EXPECT_LT(Read, static_cast<long long>(Text.size() + K)) << C.Name;
    else
      EXPECT_GE(Read, static_cast<long long>(2 * Text.size())) << C.Name;
    llvm::sys::fs::remove_directories(Dir);
  }
}

// Every rule's prefilter literals join one literal scan per language, which picks at most
// LiteralPrefilter::MaxPairs anchor byte pairs; a rule whose literal needs a pair of its
// own can leave a language without it (then large files are read whole, never in
// chunks). The built-in rules must keep it for the languages large files come in.
TEST(Engine, EveryCommonLanguageKeepsItsChunkPrefilter) {
  RuleEngine E(rules(), {});
  for (Language L : {Language::Python, Language::Java, Language::JavaScript, Language::CSharp,
                     Language::PHP, Language::Go, Language::Ruby, Language::Json,
                     Language::Yaml, Language::Xml, Language::Properties, Language::Ini})
    EXPECT_TRUE(E.chunkOverlap(L).has_value()) << languageName(L).str();
}

// A large file asks the language's pattern set which patterns match anywhere before
// running them: its findings must be those of the same code in a small file, with the
// patterns that match nowhere skipped (here most of them).
TEST(Engine, LargeFilesFindWhatSmallFilesFind) {
  std::string Code =
      "import requests\n"
      "TOKEN = '3f2c8e7a9b1d4c6e8f0a2b4c6d8e0f1a'\n"
      "requests.get('https://crm.zoho.eu/crm/v2/Leads?authtoken=' + TOKEN)\n"
      "params = {'authtoken': TOKEN, 'scope': 'ZohoBooks.fullaccess.all'}\n"
      "requests.post('https://books.zoho.com/api/v3/invoices', data=params)\n";
  std::string Filler;
  while (Filler.size() < 200 * 1024)
    Filler += "# nothing to see in this line of filler text, token-free\n";
  unsigned FillerLines = 0;
  for (char C : Filler)
    FillerLines += C == '\n';
  auto Small = scanPy(Code);
  auto Large = scanPy(Filler + Code + Filler);
  ASSERT_FALSE(Small.Findings.empty());
  ASSERT_EQ(Small.Findings.size(), Large.Findings.size());
  for (size_t I = 0; I < Small.Findings.size(); ++I) {
    EXPECT_EQ(Small.Findings[I].RuleId, Large.Findings[I].RuleId);
    EXPECT_EQ(Small.Findings[I].Begin.Line + FillerLines, Large.Findings[I].Begin.Line);
    EXPECT_EQ(Small.Findings[I].Begin.Column, Large.Findings[I].Begin.Column);
  }
}
