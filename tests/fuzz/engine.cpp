/// \file
/// Fuzz target: the rule engine with the built-in rules (RE2 patterns, literal
/// prefilter, lexer, context checks, suppressions, product/DC inference, redaction,
/// fingerprints). Input: a file path on the first line (it picks the language through
/// detectLanguage(), as a scan does), then the file's content. Checks that findings lie
/// inside the file and that the prefilter (RuleEngine::mayMatch, which the scanner uses
/// to skip files) never rejects a file that has findings.
/// Seeds: every file under fixtures/, prefixed with its path.

#include <cstdint>
#include <memory>

#include "fuzz/FuzzCommon.h"
#include "rules/RuleEngine.h"

using namespace atm;

namespace {
struct Setup {
  RuleSet Rules;
  std::unique_ptr<RuleEngine> Engine;
  Setup() {
    auto R = buildRuleSet(builtinRuleSources());
    ATM_FUZZ_CHECK(bool(R), "built-in rules do not load");
    Rules = std::move(*R);
    EngineOptions O;
    O.AsOf = *Date::parse("2026-01-01");
    Engine = std::make_unique<RuleEngine>(Rules, O);
  }
};
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  static Setup S;
  llvm::StringRef Input(reinterpret_cast<const char *>(Data), Size);
  auto [Path, Text] = Input.split('\n');
  Language L = detectLanguage(Path, Text.take_front(4096));
  if (L == Language::Unknown)
    L = Language::Text;
  FileResult R = S.Engine->scan(Path, L, Text);
  bool May = S.Engine->mayMatch(Text, L);
  ATM_FUZZ_CHECK(May || R.Findings.empty(), "%zu findings in a file the prefilter rejects",
                 R.Findings.size());
  for (const Finding &F : R.Findings) {
    ATM_FUZZ_CHECK(F.Offset + F.Length <= Text.size(), "%s at [%zu, +%zu) past %zu bytes",
                   F.RuleId.c_str(), F.Offset, F.Length, Text.size());
    ATM_FUZZ_CHECK(F.Begin.Line >= 1 && F.End.Line >= F.Begin.Line, "%s: lines %u-%u",
                   F.RuleId.c_str(), F.Begin.Line, F.End.Line);
    ATM_FUZZ_CHECK(!F.Fingerprint.empty(), "%s without a fingerprint", F.RuleId.c_str());
  }
  return 0;
}
