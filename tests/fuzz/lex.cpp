/// \file
/// Fuzz target: every lexer (all languages of lang/Languages.def, so every LexerKind
/// and every per-language option) on the same input. Checks the SpanMap contract:
/// non-empty spans, sorted, without gaps or overlaps, covering exactly [0, size).
/// Also feeds detectLanguage() the first line as a path and the rest as the file head.
/// Seeds: every file under fixtures/.

#include <cstdint>

#include "fuzz/FuzzCommon.h"
#include "lang/Language.h"

using namespace atm;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  llvm::StringRef Text(reinterpret_cast<const char *>(Data), Size);
  for (unsigned I = 0; I < static_cast<unsigned>(Language::Unknown); ++I) {
    Language L = static_cast<Language>(I);
    SpanMap M = lex(L, Text);
    const std::vector<Span> &S = M.spans();
    const char *Name = languageName(L).data();
    if (Size == 0)
      continue;
    ATM_FUZZ_CHECK(!S.empty(), "%s: no spans for %zu bytes", Name, Size);
    ATM_FUZZ_CHECK(S.front().Begin == 0, "%s: first span starts at %zu", Name, S.front().Begin);
    for (size_t J = 0; J < S.size(); ++J) {
      ATM_FUZZ_CHECK(S[J].Begin < S[J].End, "%s: span %zu is [%zu, %zu)", Name, J, S[J].Begin,
                     S[J].End);
      if (J > 0)
        ATM_FUZZ_CHECK(S[J].Begin == S[J - 1].End, "%s: span %zu starts at %zu, previous ends at %zu",
                       Name, J, S[J].Begin, S[J - 1].End);
    }
    ATM_FUZZ_CHECK(S.back().End == Size, "%s: last span ends at %zu of %zu", Name, S.back().End,
                   Size);
    // Lookups agree with the spans (first, middle, last byte).
    for (size_t Off : {size_t(0), Size / 2, Size - 1}) {
      const Span *At = M.spanAt(Off);
      ATM_FUZZ_CHECK(At && At->Begin <= Off && Off < At->End, "%s: spanAt(%zu)", Name, Off);
    }
  }
  auto [Path, Head] = Text.split('\n');
  (void)detectLanguage(Path, Head);
  return 0;
}
