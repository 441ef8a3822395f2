#include "lang/Language.h"

#include <gtest/gtest.h>

using namespace atm;

namespace {

struct DetectCase {
  const char *Path;
  const char *Head;
  Language Expected;
};

std::ostream &operator<<(std::ostream &OS, const DetectCase &C) {
  return OS << C.Path << " -> " << languageName(C.Expected).str();
}

class DetectTest : public ::testing::TestWithParam<DetectCase> {};

TEST_P(DetectTest, Detects) {
  const DetectCase &C = GetParam();
  EXPECT_EQ(languageName(detectLanguage(C.Path, C.Head)),
            languageName(C.Expected))
      << C.Path;
}

const char *const RealJs = R"(const axios = require('axios');
// Calls Zoho CRM with an OAuth token.
async function getLeads(token) {
  const res = await axios.get('https://www.zohoapis.com/crm/v2/Leads', {
    headers: { Authorization: `Zoho-oauthtoken ${token}` },
  });
  info = res.data.map((l) => l.id);
  return info;
}
module.exports = { getLeads };
)";

const char *const DelugeJs = R"(resp = invokeurl
[
  url :"https://crm.zoho.com/crm/private/json/Leads/getRecords?authtoken=" + token
  type :GET
];
info resp;
m = Map();
)";

const char *const DelugeInfoMap = R"(params = map();
params.put("authtoken", "abc");
info params;
)";

const DetectCase DetectCases[] = {
    // Copies and templates of a known file keep its language (the inner extension).
    {"config/credentials.json.sample", "", Language::Json},
    {"config.php.dist", "", Language::PHP},
    {"src/Settings.py.example", "", Language::Python},
    {"app.yml.template", "", Language::Yaml},
    {"lib/zoho.rb.orig", "", Language::Ruby},
    {".env.example", "", Language::Env},
    {"notes.sample", "plain words", Language::Generic}, // no inner extension
    // Extensions, case-insensitive.
    {"src/a.c", "", Language::C},
    {"src/a.cc", "", Language::Cpp},
    {"src/a.CPP", "", Language::Cpp},
    {"include/a.h", "", Language::Cpp},
    {"include/a.hpp", "", Language::Cpp},
    {"a.m", "#import <Foundation/Foundation.h>\n@interface X\n@end\n", Language::ObjC},
    {"a.mm", "", Language::ObjC},
    {"Main.java", "", Language::Java},
    {"build.gradle", "", Language::Java},
    {"App.kt", "", Language::Kotlin},
    {"build.gradle.kts", "", Language::Kotlin},
    {"Program.cs", "", Language::CSharp},
    {"main.go", "", Language::Go},
    {"app.js", "", Language::JavaScript},
    {"app.mjs", "", Language::JavaScript},
    {"app.ts", "", Language::JavaScript},
    {"types.d.ts", "", Language::JavaScript},
    {"App.tsx", "", Language::JavaScript},
    {"App.vue", "", Language::JavaScript},
    {"Code.gs", "", Language::JavaScript},
    {"a.coffee", "", Language::CoffeeScript},
    {"a.py", "", Language::Python},
    {"a.PY", "", Language::Python},
    {"stubs.pyi", "", Language::Python},
    {"a.rb", "", Language::Ruby},
    {"x.gemspec", "", Language::Ruby},
    {"index.php", "", Language::PHP},
    {"a.pl", "", Language::Perl},
    {"a.pm", "", Language::Perl},
    {"lib/a.ex", "", Language::Elixir},
    {"test/a.exs", "", Language::Elixir},
    {"run.sh", "", Language::Shell},
    {"run.bash", "", Language::Shell},
    {"script.deluge", "", Language::Deluge},
    {"script.dg", "", Language::Deluge},
    {"app.properties", "", Language::Properties},
    {"setup.cfg", "", Language::Ini},
    {"php.ini", "", Language::Ini},
    {"Cargo.toml", "", Language::Toml},
    {"ci.yml", "", Language::Yaml},
    {"ci.YAML", "", Language::Yaml},
    {"package.json", "", Language::Json},
    {"tsconfig.jsonc", "", Language::Json},
    {"pom.xml", "", Language::Xml},
    {"Info.plist", "", Language::Xml},
    {"web.config", "", Language::Xml},
    {"App.csproj", "", Language::Xml},
    {"index.html", "", Language::Xml},
    {"README.md", "", Language::Markdown},
    {"notes.txt", "just some notes\n", Language::Text},
    // Env files: extension, exact names and globs.
    {".env", "", Language::Env},
    {"config/.env", "", Language::Env},
    {".env.local", "", Language::Env},
    {".env.production", "", Language::Env},
    {"prod.env", "", Language::Env},
    {".envrc", "", Language::Env},
    // Exact file names.
    {"Vagrantfile", "Vagrant.configure(\"2\") do |config|\nend\n", Language::Ruby},
    {"path/to/Gemfile", "", Language::Ruby},
    {"Rakefile", "", Language::Ruby},
    {"Dockerfile", "FROM alpine\n", Language::Shell},
    {"Makefile", "all:\n\techo hi\n", Language::Shell},
    {".bashrc", "", Language::Shell},
    {"README", "", Language::Text},
    {"Cakefile", "", Language::CoffeeScript},
    {"SConstruct", "", Language::Python},
    {".npmrc", "", Language::Ini},
    {".babelrc", "", Language::Json},
    {"windows\\path\\a.py", "", Language::Python},
    // Shebangs.
    {"bin/tool", "#!/usr/bin/env python3\nprint(1)\n", Language::Python},
    {"bin/tool", "#!/usr/bin/python3.11\n", Language::Python},
    {"bin/tool", "#!/bin/bash\necho hi\n", Language::Shell},
    {"bin/tool", "#!/bin/sh -e\n", Language::Shell},
    {"bin/tool", "#!/usr/bin/env -S node --no-warnings\n", Language::JavaScript},
    {"bin/tool", "#!/usr/bin/env ruby\n", Language::Ruby},
    {"bin/tool", "#!/usr/bin/perl -w\n", Language::Perl},
    {"bin/tool", "#!/usr/bin/env php\n<?php\n", Language::PHP},
    {"bin/tool", "\xEF\xBB\xBF#!/usr/bin/env bash\r\n", Language::Shell},
    {"bin/tool", "#!/usr/bin/env FOO=1 elixir\n", Language::Elixir},
    {"bin/tool", "#!/usr/bin/env unknown-thing\n", Language::Generic},
    // Extension beats shebang.
    {"tool.js", "#!/usr/bin/env python3\n", Language::JavaScript},
    // PHP without extension.
    {"cron/sync", "<?php\necho 'x';\n", Language::PHP},
    {"cron/sync.v2", "<?php\necho 'x';\n", Language::PHP},
    {"cron/sync", "\xEF\xBB\xBF<?PHP\n", Language::PHP},
    // Deluge by content.
    {"scripts/leads.txt", DelugeJs, Language::Deluge},
    {"scripts/leads", DelugeJs, Language::Deluge},
    {"scripts/leads.js", DelugeJs, Language::Deluge},
    {"scripts/leads.md", DelugeJs, Language::Deluge},
    {"scripts/leads.js", DelugeInfoMap, Language::Deluge},
    // Deluge keywords in any case (the sniffer's raw-text shortcuts must not skip them).
    {"scripts/upper.js", "params = MAP();\nINFO params;\n", Language::Deluge},
    {"scripts/upper.txt", "r = ZOHO.CRM.getRecordById(\"Leads\", id);\n", Language::Deluge},
    {"a.txt", "r = zoho.crm.getRecordById(\"Leads\", id);\n", Language::Deluge},
    {"a", "resp = zoho.books.getRecords(\"invoices\", org);\n", Language::Deluge},
    {"a.txt", "r = getUrl(u);\nfor each x in r { info x; }\n", Language::Deluge},
    {"a.txt", "r = postUrl(u, m);\nm = Map();\n", Language::Deluge},
    {"a.txt", "r = INVOKEURL\n\t[\n url: x\n];\n", Language::Deluge},
    // ...and not Deluge.
    {"app.js", RealJs, Language::JavaScript},
    {"app.js", "x = Function('a');\ninfo x;\nm = map();\n", Language::JavaScript},
    {"app.js", "// uses invokeurl [ in deluge\nconst x = 1;\n", Language::JavaScript},
    {"a.txt", "Contact support@zoho.com. More info here.\n", Language::Text},
    {"a.txt", "See www.zoho.com.au for info about map() calls.\n", Language::Text},
    {"docs/deluge.md", "# Deluge\n```\nx = invokeurl\n[\nurl: u\n];\n```\n",
     Language::Markdown},
    {"scripts/leads.ts", DelugeJs, Language::JavaScript},
    // Nothing fits: text is Generic, binary stays Unknown.
    {"LICENSE", "MIT License\n", Language::Generic},
    {"a.unknownext", "x = invokeurl [ url: u ];\n", Language::Generic},
    {"sync.lua", "local t = require('x')\n", Language::Generic},
    {"api/leads.http", "GET https://crm.zoho.com/x?authtoken=t\n", Language::Generic},
    {"zoho.R", "library(httr)\n", Language::Generic},
    {"Collection.postman_collection", "{\"info\": {}}\n", Language::Generic},
    {"", "", Language::Generic},
    {"data.bin", "\x7f" "ELF", Language::Unknown},
    {"logo.PNG", "\x89PNG\r\n", Language::Unknown},
    {"report.pdf", "%PDF-1.7\n", Language::Unknown},
};

INSTANTIATE_TEST_SUITE_P(Table, DetectTest, ::testing::ValuesIn(DetectCases));

TEST(LanguageTable, NamesRoundTrip) {
  for (int I = 0; I < static_cast<int>(Language::Unknown); ++I) {
    Language L = static_cast<Language>(I);
    std::optional<Language> Parsed = parseLanguage(languageName(L));
    ASSERT_TRUE(Parsed.has_value()) << languageName(L).str();
    EXPECT_EQ(*Parsed, L);
  }
  EXPECT_EQ(languageName(Language::Unknown), "unknown");
  EXPECT_EQ(parseLanguage("unknown"), Language::Unknown);
  EXPECT_EQ(parseLanguage("Python"), Language::Python);
  EXPECT_FALSE(parseLanguage("cobol").has_value());
}

TEST(LanguageTable, LexerKinds) {
  EXPECT_EQ(lexerKind(Language::Cpp), LexerKind::CFamily);
  EXPECT_EQ(lexerKind(Language::Go), LexerKind::CFamily);
  EXPECT_EQ(lexerKind(Language::CSharp), LexerKind::CSharp);
  EXPECT_EQ(lexerKind(Language::JavaScript), LexerKind::JavaScript);
  EXPECT_EQ(lexerKind(Language::Python), LexerKind::Python);
  EXPECT_EQ(lexerKind(Language::Deluge), LexerKind::Deluge);
  EXPECT_EQ(lexerKind(Language::Yaml), LexerKind::Yaml);
  EXPECT_EQ(lexerKind(Language::Text), LexerKind::PlainText);
  EXPECT_EQ(lexerKind(Language::Unknown), LexerKind::PlainText);
  EXPECT_EQ(lexerKind(Language::Generic), LexerKind::Generic);
}

TEST(LanguageTable, NulInHeadIsNotGeneric) {
  EXPECT_EQ(detectLanguage("blob", llvm::StringRef("ab\0cd", 5)), Language::Unknown);
  EXPECT_EQ(detectLanguage("blob", "abcd"), Language::Generic);
}

TEST(LanguageTable, GenericExtension) {
  EXPECT_EQ(genericExtension("a/b/Sync.LUA"), ".lua");
  EXPECT_EQ(genericExtension("api/leads.http"), ".http");
  EXPECT_EQ(genericExtension("x.tar.lua"), ".lua");
  EXPECT_EQ(genericExtension("Jenkinsfile"), "(none)");
  EXPECT_EQ(genericExtension("dir.v2/.foorc"), "(none)");
  EXPECT_EQ(genericExtension("notes."), "(none)");
  EXPECT_EQ(genericExtension("win\\dir\\a.vbs"), ".vbs");
}

TEST(LanguageTable, Categories) {
  for (Language L : {Language::Env, Language::Properties, Language::Ini,
                     Language::Toml, Language::Yaml, Language::Json, Language::Xml})
    EXPECT_TRUE(isConfigLanguage(L)) << languageName(L).str();
  for (Language L : {Language::Python, Language::Markdown, Language::Text,
                     Language::Unknown, Language::Deluge, Language::Generic})
    EXPECT_FALSE(isConfigLanguage(L)) << languageName(L).str();
  EXPECT_TRUE(isDocLanguage(Language::Markdown));
  EXPECT_TRUE(isDocLanguage(Language::Text));
  EXPECT_FALSE(isDocLanguage(Language::Yaml));
  EXPECT_FALSE(isDocLanguage(Language::Unknown));
  EXPECT_FALSE(isDocLanguage(Language::Generic));
}

} // namespace
