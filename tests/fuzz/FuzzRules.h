#pragma once
/// \file
/// Shared by the fuzz targets that scan with the built-in rules (engine, syntax_frontend):
/// the rules and an engine, built once, and the checks every finding must pass.

#include <memory>

#include "fuzz/FuzzCommon.h"
#include "rules/RuleEngine.h"

namespace atm::fuzz {

struct BuiltinRules {
  RuleSet Rules;
  EngineOptions Opts;
  std::unique_ptr<RuleEngine> Engine;
  BuiltinRules() {
    auto R = buildRuleSet(builtinRuleSources());
    ATM_FUZZ_CHECK(bool(R), "built-in rules do not load");
    Rules = std::move(*R);
    Opts.AsOf = *Date::parse("2026-01-01");
    Engine = std::make_unique<RuleEngine>(Rules, Opts);
  }
};

/// Inside the file, lines in order, a fingerprint.
inline void checkFinding(const Finding &F, llvm::StringRef Text) {
  ATM_FUZZ_CHECK(F.Offset + F.Length <= Text.size(), "%s at [%zu, +%zu) past %zu bytes",
                 F.RuleId.c_str(), F.Offset, F.Length, Text.size());
  ATM_FUZZ_CHECK(F.Begin.Line >= 1 && F.End.Line >= F.Begin.Line, "%s: lines %u-%u",
                 F.RuleId.c_str(), F.Begin.Line, F.End.Line);
  ATM_FUZZ_CHECK(!F.Fingerprint.empty(), "%s without a fingerprint", F.RuleId.c_str());
}

} // namespace atm::fuzz
