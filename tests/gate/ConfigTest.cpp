// The configuration file .authtoken-migrate.yaml (tool/gate/Config.h): parsing, discovery
// upwards, every error with its line:column and "did you mean", the deadline-aware
// severity's boundaries, and how the file's values reach the scan options and findings.

#include "gate/Config.h"

#include <fstream>

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include "gtest/gtest.h"

using namespace atm;
using namespace atm::gate;

namespace {

const RuleSet &rules() {
  static RuleSet *R = [] {
    auto S = buildRuleSet(builtinRuleSources());
    if (!S) {
      ADD_FAILURE() << llvm::toString(S.takeError());
      return new RuleSet();
    }
    return new RuleSet(std::move(*S));
  }();
  return *R;
}

ConfigSchema schema() {
  ConfigSchema S;
  S.Rules = &rules();
  return S;
}

const char *Full = R"(# a full example
rules:
  disable: [zoho-authtoken-doc-mention]
  enable:
    - zoho-authtoken-url-param
    - zoho-authtoken-header
severity:
  zoho-authtoken-delete: error
  zoho-authtoken-header: critical
include: ['src/**', 'app/**']
exclude: vendor/**
as-of: 2026-03-01
fail-on: error
baseline: ci/baseline.json
deadline-severity:
  enabled: true
  warning-days: 90
  error-days: 14
helpers:
  namespace:
    python: crm_tokens
    javascript: zohoAuth
deluge:
  connection: books_oauth
)";

/// The errors of \p Content (config file "cfg.yaml"), joined by newlines; "" when valid.
std::string errors(const std::string &Content) {
  auto C = parseConfig(Content, "cfg.yaml", "/repo", schema());
  if (C)
    return "";
  return llvm::toString(C.takeError());
}

} // namespace

TEST(GateConfig, ParsesEveryKeyWithItsLine) {
  auto C = parseConfig(Full, "cfg.yaml", "/repo", schema());
  ASSERT_TRUE(bool(C)) << llvm::toString(C.takeError());
  EXPECT_EQ(C->DisableRules, std::vector<std::string>{"zoho-authtoken-doc-mention"});
  EXPECT_EQ(C->EnableRules,
            (std::vector<std::string>{"zoho-authtoken-url-param", "zoho-authtoken-header"}));
  ASSERT_EQ(C->SeverityOverrides.size(), 2u);
  EXPECT_EQ(C->SeverityOverrides.at("zoho-authtoken-delete"), Severity::Error);
  EXPECT_EQ(C->SeverityOverrides.at("zoho-authtoken-header"), Severity::Critical);
  EXPECT_EQ(C->Include, (std::vector<std::string>{"src/**", "app/**"}));
  EXPECT_EQ(C->Exclude, std::vector<std::string>{"vendor/**"}); // a scalar is a list of one
  ASSERT_TRUE(C->AsOf);
  EXPECT_EQ(C->AsOf->str(), "2026-03-01");
  EXPECT_EQ(C->FailOn, std::optional<std::string>("error"));
  EXPECT_EQ(C->Baseline, std::optional<std::string>("/repo/ci/baseline.json"));
  EXPECT_TRUE(C->Deadline.Enabled);
  EXPECT_EQ(C->Deadline.WarningDays, 90u);
  EXPECT_EQ(C->Deadline.ErrorDays, 14u);
  EXPECT_EQ(C->Namespaces.at("python"), "crm_tokens");
  EXPECT_EQ(C->Namespaces.at("javascript"), "zohoAuth");
  EXPECT_EQ(C->DelugeConnection, std::optional<std::string>("books_oauth"));

  EXPECT_EQ(C->origin("rules.disable").Line, 3u);
  EXPECT_EQ(C->origin("rules.enable").Line, 4u);
  EXPECT_EQ(C->origin("severity.zoho-authtoken-header").Line, 9u);
  EXPECT_EQ(C->origin("exclude").Line, 11u);
  EXPECT_EQ(C->origin("fail-on").Line, 13u);
  EXPECT_EQ(C->origin("deadline-severity.error-days").Line, 18u);
  EXPECT_EQ(C->origin("helpers.namespace.javascript").Line, 22u);
  EXPECT_EQ(C->origin("deluge.connection").Line, 24u);
  EXPECT_EQ(C->origin("deluge.connection").File, "cfg.yaml");
  EXPECT_TRUE(C->origin("helpers.namespace.go").isDefault());
}

TEST(GateConfig, BaselineIsRelativeToTheConfigDirectory) {
  auto C = parseConfig("baseline: ../shared/./b.json\n", "cfg.yaml", "/srv/checkout/repo", schema());
  ASSERT_TRUE(bool(C)) << llvm::toString(C.takeError());
  EXPECT_EQ(*C->Baseline, "/srv/checkout/shared/b.json");
  auto A = parseConfig("baseline: /abs/b.json\n", "cfg.yaml", "/srv/checkout/repo", schema());
  ASSERT_TRUE(bool(A));
  EXPECT_EQ(*A->Baseline, "/abs/b.json");
}

TEST(GateConfig, EmptyAndCommentOnlyFilesAreValid) {
  EXPECT_EQ(errors(""), "");
  EXPECT_EQ(errors("# nothing yet\n\n---\n"), "");
  // A section with every line commented out is an empty section.
  EXPECT_EQ(errors("severity:\n#  zoho-authtoken-delete: error\nrules:\n"), "");
}

TEST(GateConfig, EveryErrorNamesLineColumnAndSuggests) {
  struct Case {
    const char *Content, *Expect;
  } Cases[] = {
      {"fail_on: error\n", "cfg.yaml:1:1: error: unknown key 'fail_on'; did you mean 'fail-on'?"},
      {"as-of: 2026-01-01\nexlude: [x]\n",
       "cfg.yaml:2:1: error: unknown key 'exlude'; did you mean 'exclude'?"},
      {"colour: red\n", "cfg.yaml:1:1: error: unknown key 'colour' (keys: rules, severity, include"},
      {"rules:\n  disabel: [zoho-authtoken-doc-mention]\n",
       "cfg.yaml:2:3: error: unknown key 'disabel' in 'rules'; did you mean 'disable'?"},
      {"rules:\n  disable: [zoho-authtoken-url-parm]\n",
       "cfg.yaml:2:13: error: unknown rule id 'zoho-authtoken-url-parm'; did you mean "
       "'zoho-authtoken-url-param'? (see 'authtoken-migrate rules list')"},
      {"rules:\n  enable:\n    - no-such-thing-at-all\n",
       "cfg.yaml:3:7: error: unknown rule id 'no-such-thing-at-all' (see"},
      {"severity:\n  zoho-authtoken-delete: eror\n",
       "cfg.yaml:2:26: error: unknown severity 'eror'; did you mean 'error'? (note, warning, "
       "error, critical)"},
      {"severity:\n  zoho-authtoken-delte: error\n",
       "cfg.yaml:2:3: error: unknown rule id 'zoho-authtoken-delte'; did you mean "
       "'zoho-authtoken-delete'?"},
      {"as-of: 2026-02-30\n", "cfg.yaml:1:8: error: 'as-of' expects a date YYYY-MM-DD, got '2026-02-30'"},
      {"as-of: [2026-02-01]\n", "cfg.yaml:1:9: error: 'as-of' expects a date YYYY-MM-DD, got a list"},
      {"fail-on: warn\n",
       "cfg.yaml:1:10: error: unknown fail-on level 'warn'; did you mean 'warning'?"},
      {"fail-on:\n", "cfg.yaml:1:1: error: 'fail-on' expects a level (none, note, warning, error, critical), got no value"},
      {"rules: [zoho-authtoken-delete]\n",
       "cfg.yaml:1:9: error: 'rules' expects a mapping (indented KEY: VALUE lines), got a list"},
      {"include:\n  src: yes\n", "cfg.yaml:2:3: error: 'include' expects a list of globs, got a mapping"},
      {"exclude: [a, [b]]\n", "cfg.yaml:1:15: error: 'exclude' expects a glob, got a list"},
      {"deadline-severity:\n  enabled: maybe\n",
       "cfg.yaml:2:12: error: 'deadline-severity.enabled' expects true or false, got 'maybe'"},
      {"deadline-severity:\n  warning-days: -3\n",
       "cfg.yaml:2:17: error: 'deadline-severity.warning-days' expects a number of days (0 to "
       "36500), got '-3'"},
      {"deadline-severity:\n  warning-days: 20\n  error-days: 40\n",
       "cfg.yaml:3:15: error: 'deadline-severity.error-days' (40) must not be larger than "
       "'warning-days' (20)"},
      {"deadline-severity:\n  enable: true\n",
       "cfg.yaml:2:3: error: unknown key 'enable' in 'deadline-severity'; did you mean 'enabled'?"},
      {"helpers:\n  namespace:\n    pyton: x\n",
       "cfg.yaml:3:5: error: unknown helper language 'pyton'; did you mean 'python'? (see "
       "'authtoken-migrate helper --list')"},
      {"helpers:\n  namespaces:\n    python: x\n",
       "cfg.yaml:2:3: error: unknown key 'namespaces' in 'helpers'; did you mean 'namespace'?"},
      {"helpers:\n  namespace:\n    python: 'my module'\n",
       "cfg.yaml:3:13: error: 'helpers.namespace.python' expects a name of letters"},
      {"deluge:\n  conection: x\n",
       "cfg.yaml:2:3: error: unknown key 'conection' in 'deluge'; did you mean 'connection'?"},
      {"deluge: books_oauth\n", "cfg.yaml:1:9: error: 'deluge' expects a mapping"},
      {"fail-on: error\nfail-on: note\n",
       "cfg.yaml:2:1: error: duplicate key 'fail-on' (first at line 1)"},
      {"rules:\n  disable: [a\n", "cfg.yaml:2:14: error: Could not find closing ]"},
      {"- just\n- a list\n", "cfg.yaml:1:1: error: expected a YAML mapping at the top level"},
  };
  for (const Case &C : Cases) {
    std::string E = errors(C.Content);
    EXPECT_NE(E.find(C.Expect), std::string::npos) << "input:\n" << C.Content << "got: " << E;
  }
}

TEST(GateConfig, AllErrorsAreReportedAtOnce) {
  std::string E = errors("fail_on: error\nas-of: soon\nseverity:\n  zoho-authtoken-delete: loud\n");
  EXPECT_NE(E.find("cfg.yaml:1:1: error: unknown key 'fail_on'"), std::string::npos) << E;
  EXPECT_NE(E.find("cfg.yaml:2:8: error: 'as-of'"), std::string::npos) << E;
  EXPECT_NE(E.find("cfg.yaml:4:26: error: unknown severity 'loud'"), std::string::npos) << E;
  EXPECT_EQ(std::count(E.begin(), E.end(), '\n'), 2) << E;
}

TEST(GateConfig, UserRuleIdsAndHelperLanguagesComeFromTheSchema) {
  ConfigSchema S; // no rule set: ids are not checked
  S.HelperLanguages = {"python", "cobol"};
  EXPECT_TRUE(bool(parseConfig("rules:\n  disable: [my-own-rule]\nhelpers:\n  namespace:\n    cobol: Z\n",
                               "c.yaml", "/", S)));
}

namespace {
struct TempDir {
  std::string Path;
  TempDir() {
    llvm::SmallString<128> P;
    EXPECT_FALSE(llvm::sys::fs::createUniqueDirectory("atm-config-test", P));
    llvm::SmallString<128> Real;
    EXPECT_FALSE(llvm::sys::fs::real_path(P, Real));
    Path = std::string(Real);
  }
  ~TempDir() { llvm::sys::fs::remove_directories(Path); }
  std::string mkdir(const std::string &Rel) const {
    std::string D = Path + "/" + Rel;
    EXPECT_FALSE(llvm::sys::fs::create_directories(D));
    return D;
  }
  std::string write(const std::string &Rel, const std::string &Content) const {
    std::string F = Path + "/" + Rel;
    std::ofstream(F) << Content;
    return F;
  }
};
} // namespace

TEST(GateConfig, DiscoveryGoesUpwardsAndTheNearestWins) {
  TempDir T;
  std::string Deep = T.mkdir("a/b/c");
  EXPECT_EQ(discoverConfig(Deep).find(T.Path), std::string::npos); // none in the temp tree
  std::string Top = T.write("a/.authtoken-migrate.yaml", "fail-on: error\n");
  EXPECT_EQ(discoverConfig(Deep), Top);
  EXPECT_EQ(discoverConfig(T.Path + "/a"), Top);
  std::string Near = T.write("a/b/.authtoken-migrate.yaml", "fail-on: note\n");
  EXPECT_EQ(discoverConfig(Deep), Near);
  // A directory of that name is not a config file.
  T.mkdir("a/b/c/.authtoken-migrate.yaml");
  EXPECT_EQ(discoverConfig(Deep), Near);

  auto C = loadConfig(Near, "b/.authtoken-migrate.yaml", schema());
  ASSERT_TRUE(bool(C)) << llvm::toString(C.takeError());
  EXPECT_EQ(C->Dir, T.Path + "/a/b");
  EXPECT_EQ(C->origin("fail-on").File, "b/.authtoken-migrate.yaml");
  auto Missing = loadConfig(T.Path + "/nope.yaml", "nope.yaml", schema());
  ASSERT_FALSE(bool(Missing));
  EXPECT_NE(llvm::toString(Missing.takeError()).find("nope.yaml: cannot read"), std::string::npos);
}

TEST(GateConfig, DeadlineSeverityBoundaries) {
  DeadlinePolicy P; // 180 / 30
  Date AsOf = *Date::parse("2026-01-01");
  auto At = [&](int Days, Severity Cur = Severity::Error) {
    return deadlineSeverity(Cur, Date::fromDays(AsOf.toDays() + Days), AsOf, P);
  };
  EXPECT_EQ(At(181), Severity::Note);
  EXPECT_EQ(At(180), Severity::Warning);
  EXPECT_EQ(At(31), Severity::Warning);
  EXPECT_EQ(At(30), Severity::Error);
  EXPECT_EQ(At(1), Severity::Error);
  EXPECT_EQ(At(0), Severity::Error);     // the cutoff is today
  EXPECT_EQ(At(-2000), Severity::Error); // long past
  // It rises from note, and lowers error/warning when the cutoff is far; never critical.
  EXPECT_EQ(At(10, Severity::Note), Severity::Error);
  EXPECT_EQ(At(400, Severity::Warning), Severity::Note);
  EXPECT_EQ(At(400, Severity::Critical), Severity::Critical);
  EXPECT_EQ(At(-5, Severity::Critical), Severity::Critical);
  P.WarningDays = 10;
  P.ErrorDays = 0;
  EXPECT_EQ(At(11), Severity::Note);
  EXPECT_EQ(At(10), Severity::Warning);
  EXPECT_EQ(At(1), Severity::Warning);
  EXPECT_EQ(At(0), Severity::Error);
}

namespace {
Finding finding(const std::string &Rule, Severity S, const std::string &Cutoff) {
  Finding F;
  F.RuleId = Rule;
  F.Sev = S;
  F.Cutoff = Cutoff;
  return F;
}
} // namespace

TEST(GateConfig, ApplyConfigDisablesOverridesAndRatesByDeadline) {
  auto C = parseConfig("rules:\n  disable: [zoho-authtoken-doc-mention]\n"
                       "severity:\n  zoho-authtoken-delete: note\n"
                       "deadline-severity:\n  enabled: true\n",
                       "c.yaml", "/", schema());
  ASSERT_TRUE(bool(C)) << llvm::toString(C.takeError());
  ScanResult R;
  R.Findings = {finding("zoho-authtoken-doc-mention", Severity::Note, "2020-01-01"),
                finding("zoho-authtoken-delete", Severity::Warning, "2020-01-01"),
                finding("zoho-authtoken-url-param", Severity::Error, "2027-01-01"),
                finding("zoho-authtoken-header", Severity::Error, "2026-06-01"),
                finding("zoho-authtoken-generation", Severity::Critical, "2027-01-01"),
                finding("zoho-authtoken-env-var", Severity::Warning, "")};
  applyConfig(R, *C, *Date::parse("2026-01-01"));
  ASSERT_EQ(R.Findings.size(), 5u);
  EXPECT_EQ(R.Stats.DisabledByConfig, 1u);
  EXPECT_EQ(R.Findings[0].Sev, Severity::Note);     // explicit override wins over the deadline
  EXPECT_EQ(R.Findings[1].Sev, Severity::Note);     // 365 days away
  EXPECT_EQ(R.Findings[2].Sev, Severity::Warning);  // 151 days away
  EXPECT_EQ(R.Findings[3].Sev, Severity::Critical); // never lowered
  EXPECT_EQ(R.Findings[4].Sev, Severity::Warning);  // no cutoff: unchanged

  // Without deadline-severity the findings keep the rule's severity.
  auto Off = parseConfig("fail-on: note\n", "c.yaml", "/", schema());
  ASSERT_TRUE(bool(Off));
  ScanResult R2;
  R2.Findings = {finding("zoho-authtoken-url-param", Severity::Error, "2027-01-01")};
  applyConfig(R2, *Off, *Date::parse("2026-01-01"));
  EXPECT_EQ(R2.Findings[0].Sev, Severity::Error);
  ASSERT_TRUE(Off->failOnThreshold());
  EXPECT_EQ(*Off->failOnThreshold(), std::optional<Severity>(Severity::Note));
}

TEST(GateConfig, ApplyToOptionsAndFlagsWin) {
  auto RulesOr = buildRuleSet(builtinRuleSources()); // applyToOptions edits severities
  ASSERT_TRUE(bool(RulesOr)) << llvm::toString(RulesOr.takeError());
  RuleSet &Rules = *RulesOr;
  auto C = parseConfig("rules:\n  disable: [zoho-authtoken-doc-mention]\n"
                       "severity:\n  zoho-authtoken-delete: critical\n"
                       "include: ['src/**']\nexclude: ['vendor/**']\nas-of: 2020-02-02\n",
                       "c.yaml", "/", schema());
  ASSERT_TRUE(bool(C)) << llvm::toString(C.takeError());
  ScanOptions O;
  applyToOptions(*C, Rules, {}, O);
  EXPECT_EQ(O.Engine.AsOf.str(), "2020-02-02");
  EXPECT_EQ(O.Discover.Include, std::vector<std::string>{"src/**"});
  EXPECT_EQ(O.Discover.Exclude, std::vector<std::string>{"vendor/**"});
  EXPECT_EQ(O.Engine.OnlyRules.size(), Rules.Rules.size() - 1);
  EXPECT_FALSE(llvm::is_contained(O.Engine.OnlyRules, "zoho-authtoken-doc-mention"));
  EXPECT_EQ(Rules.find("zoho-authtoken-delete")->Sev, Severity::Critical);

  // Flags given: the file's as-of, lists and rule selection are not used.
  ScanOptions F;
  F.Engine.AsOf = *Date::parse("2030-01-01");
  F.Discover.Include = {"lib/**"};
  F.Engine.OnlyRules = {"zoho-authtoken-doc-mention"};
  gate::Config C2 = *C;
  applyToOptions(C2, Rules, {true, true, false, true}, F);
  EXPECT_EQ(F.Engine.AsOf.str(), "2030-01-01");
  EXPECT_EQ(F.Discover.Include, std::vector<std::string>{"lib/**"});
  EXPECT_EQ(F.Discover.Exclude, std::vector<std::string>{"vendor/**"});
  EXPECT_EQ(F.Engine.OnlyRules, std::vector<std::string>{"zoho-authtoken-doc-mention"});
  EXPECT_TRUE(C2.DisableRules.empty()); // --rule replaces rules.disable too

  // enable minus disable; everything disabled runs nothing.
  auto E = parseConfig("rules:\n  enable: [zoho-authtoken-header]\n  disable: [zoho-authtoken-header]\n",
                       "c.yaml", "/", schema());
  ASSERT_TRUE(bool(E));
  ScanOptions N;
  applyToOptions(*E, Rules, {}, N);
  ASSERT_EQ(N.Engine.OnlyRules.size(), 1u);
  EXPECT_EQ(Rules.find(N.Engine.OnlyRules[0]), nullptr);
}

TEST(GateConfig, DumpSaysWhereEachValueCameFrom) {
  auto C = parseConfig(Full, "cfg.yaml", "/repo", schema());
  ASSERT_TRUE(bool(C)) << llvm::toString(C.takeError());
  std::string D = dumpConfig(*C, *Date::parse("2026-12-02"));
  for (const char *Want :
       {"# file: cfg.yaml\n", "  disable: [zoho-authtoken-doc-mention]  # from cfg.yaml:3\n",
        "  zoho-authtoken-header: critical  # from cfg.yaml:9\n",
        "include: ['src/**', 'app/**']  # from cfg.yaml:10\n", "as-of: 2026-03-01  # from cfg.yaml:12\n",
        "baseline: /repo/ci/baseline.json  # from cfg.yaml:14\n",
        "  warning-days: 90  # from cfg.yaml:17\n", "    python: crm_tokens  # from cfg.yaml:21\n",
        "    go: zohooauth  # default\n", "  connection: books_oauth  # from cfg.yaml:24\n"})
    EXPECT_NE(D.find(Want), std::string::npos) << Want << "\nin:\n" << D;

  std::string Def = dumpConfig(Config(), *Date::parse("2026-12-02"));
  for (const char *Want : {"# no configuration file", "as-of: 2026-12-02  # default: today (UTC)\n",
                           "fail-on: warning  # default\n", "baseline:  # default: none\n", "  enabled: false  # default\n",
                           "  connection: zoho_oauth  # default"})
    EXPECT_NE(Def.find(Want), std::string::npos) << Want << "\nin:\n" << Def;

  // The dump is itself a valid configuration file with the same values.
  auto Again = parseConfig(D, "dump.yaml", "/repo", schema());
  ASSERT_TRUE(bool(Again)) << llvm::toString(Again.takeError()) << "\n" << D;
  EXPECT_EQ(Again->SeverityOverrides, C->SeverityOverrides);
  EXPECT_EQ(Again->Include, C->Include);
  EXPECT_EQ(Again->Namespaces.at("python"), "crm_tokens");
}

TEST(GateConfig, PhpNamespacesMayHoldBackslashes) {
  auto C = parseConfig("helpers:\n  namespace:\n    php: 'Acme\\Zoho'\n", "c.yaml", "/", schema());
  ASSERT_TRUE(bool(C)) << llvm::toString(C.takeError());
  EXPECT_EQ(C->Namespaces.at("php"), "Acme\\Zoho");
  EXPECT_NE(dumpConfig(*C, Date()).find("    php: 'Acme\\Zoho'  # from c.yaml:3\n"), std::string::npos);
}
