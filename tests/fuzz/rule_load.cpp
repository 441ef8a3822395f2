/// \file
/// Fuzz target: the rule-file loader (parseRule: YAML, schema checks, RE2 compilation of
/// patterns and context checks) and, for a rule that loads, buildRuleSet() with the
/// built-in catalogue plus a scan of a fixed text with that rule.
/// Seeds: rules/**/*.yaml (minus the catalogue).

#include <cstdint>

#include "fuzz/FuzzCommon.h"
#include "rules/RuleEngine.h"

using namespace atm;

namespace {
const RuleSource &builtinCatalog() {
  static RuleSource Cat = [] {
    for (RuleSource &S : builtinRuleSources())
      if (llvm::StringRef(S.Path).endswith("catalog/products.yaml"))
        return S;
    ATM_FUZZ_CHECK(false, "no built-in catalogue");
    return RuleSource();
  }();
  return Cat;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  RuleSource Src{"rules/fuzz/fuzz-rule.yaml", std::string(reinterpret_cast<const char *>(Data), Size)};
  auto R = parseRule(Src);
  if (!R) {
    std::string Msg = llvm::toString(R.takeError());
    ATM_FUZZ_CHECK(!Msg.empty(), "empty error message");
    return 0;
  }
  auto Set = buildRuleSet({builtinCatalog(), Src});
  if (!Set) {
    llvm::consumeError(Set.takeError());
    return 0;
  }
  EngineOptions O;
  O.AsOf = *Date::parse("2026-01-01");
  RuleEngine E(*Set, O);
  static const char Sample[] =
      "url = 'https://crm.zoho.com/crm/private/json/Leads/getRecords?authtoken=3f2c8e7a9b1d4c6e8f0a2b4c6d8e0f1a&scope=crmapi'\n"
      "# authtoken-migrate: ignore[fuzz-rule]\nAUTHTOKEN=0123456789abcdef0123456789abcdef\n";
  for (Language L : {Language::Python, Language::Env, Language::Deluge, Language::Markdown})
    (void)E.scan("sample", L, Sample);
  return 0;
}
