/// \file
/// Fuzz target: the syntax-tree front end (tool/detect) on one file, after the rule
/// engine as in a scan — tree-sitter parse, the model, the symbol pass, every detector,
/// the rules' tree-sitter queries, statement spans. Input: a file path on the first line
/// (it picks the language and grammar), then the content. Checks that every finding and
/// statement span lies inside the file and that the lexer's findings are all kept.
/// Seeds: every fixture of a syntax-tree language, prefixed with its path (as `engine`).

#include <cstdint>
#include <set>

#include "detect/SyntaxFrontend.h"
#include "fuzz/FuzzRules.h"

using namespace atm;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  static fuzz::BuiltinRules S;
  llvm::StringRef Input(reinterpret_cast<const char *>(Data), Size);
  auto [Path, Text] = Input.split('\n');
  Language L = detectLanguage(Path, Text.take_front(4096));
  SyntaxFrontend FE(S.Rules, S.Opts, {1});
  if (L == Language::Unknown || !FE.handles(L))
    return 0;
  FileResult R = S.Engine->scan(Path, L, Text);
  std::set<std::pair<std::string, size_t>> Lexer;
  for (const Finding &F : R.Findings)
    Lexer.insert({F.RuleId, F.Offset});
  std::vector<BatchFrontend::Input> In{
      {Path.str(), Path.str(), L, std::move(R.Findings), !R.PrefilterRejected, Text.str()}};
  std::vector<Finding> Out;
  std::vector<std::string> Notes;
  FE.run(In, Out, Notes);
  std::set<std::pair<std::string, size_t>> Got;
  for (const Finding &F : Out) {
    Got.insert({F.RuleId, F.Offset});
    fuzz::checkFinding(F, Text);
    ATM_FUZZ_CHECK(!F.StatementBegin.Line || F.StatementEnd.Line >= F.StatementBegin.Line,
                   "%s: statement lines %u-%u", F.RuleId.c_str(), F.StatementBegin.Line,
                   F.StatementEnd.Line);
  }
  // The one documented overruling (a constructor's keyword argument the lexer took for a
  // key) is reported by the front end; anything else the lexer found must be kept.
  for (const SyntaxFrontend::Overruled &O : FE.overruled())
    Got.insert({O.RuleId, O.Offset});
  for (const auto &K : Lexer)
    ATM_FUZZ_CHECK(Got.count(K), "the lexer's %s at %zu was lost", K.first.c_str(), K.second);
  return 0;
}
