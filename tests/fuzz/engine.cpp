/// \file
/// Fuzz target: the rule engine with the built-in rules (RE2 patterns, literal
/// prefilter, lexer, context checks, suppressions, product/DC inference, redaction,
/// fingerprints). Input: a file path on the first line (it picks the language through
/// detectLanguage(), as a scan does), then the file's content. Checks that findings lie
/// inside the file and that the prefilter (RuleEngine::mayMatch, which the scanner uses
/// to skip files) never rejects a file that has findings.
/// Seeds: every file under fixtures/, prefixed with its path.

#include <cstdint>

#include "fuzz/FuzzRules.h"

using namespace atm;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  static fuzz::BuiltinRules S;
  llvm::StringRef Input(reinterpret_cast<const char *>(Data), Size);
  auto [Path, Text] = Input.split('\n');
  Language L = detectLanguage(Path, Text.take_front(4096));
  if (L == Language::Unknown)
    L = Language::Text;
  FileResult R = S.Engine->scan(Path, L, Text);
  bool May = S.Engine->mayMatch(Text, L);
  ATM_FUZZ_CHECK(May || R.Findings.empty(), "%zu findings in a file the prefilter rejects",
                 R.Findings.size());
  for (const Finding &F : R.Findings)
    fuzz::checkFinding(F, Text);
  return 0;
}
