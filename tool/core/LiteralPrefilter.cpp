#include "core/LiteralPrefilter.h"

#include <algorithm>
#include <map>

#include "llvm/ADT/StringExtras.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define ATM_HAVE_AVX2_PATH 1
#endif

namespace atm {

namespace {

/// Rough letter frequencies (per mille) in source code and English; anything else counts
/// as rare. Only the ranking matters: pairs of rare letters make few anchor hits.
double byteFreq(unsigned char C) {
  static const double Letters[26] = {
      //  a    b    c    d    e     f    g    h    i    j    k    l    m
      80, 15, 35, 40, 110, 25, 18, 40, 75, 2, 8, 45, 28,
      //  n    o    p    q    r    s    t    u    v    w    x    y    z
      70, 70, 25, 1, 65, 65, 85, 30, 10, 14, 6, 15, 1};
  C = static_cast<unsigned char>(llvm::toLower(static_cast<char>(C)));
  if (C >= 'a' && C <= 'z')
    return Letters[C - 'a'];
  if (C >= '0' && C <= '9')
    return 20;
  if (C == ' ' || C == '.' || C == '_' || C == '(' || C == ')' || C == '"' || C == '\'')
    return 60;
  return 10;
}

unsigned char fold(unsigned char C) { return C | 0x20; }

} // namespace

std::optional<LiteralPrefilter>
LiteralPrefilter::build(const std::vector<std::string> &Literals) {
  LiteralPrefilter P;
  std::vector<std::string> Lits;
  for (const std::string &L : Literals) {
    if (L.size() < 2)
      return std::nullopt;
    Lits.push_back(llvm::StringRef(L).lower());
  }
  std::sort(Lits.begin(), Lits.end());
  Lits.erase(std::unique(Lits.begin(), Lits.end()), Lits.end());
  if (Lits.empty())
    return std::nullopt;
  for (const std::string &L : Lits)
    P.MaxLiteral = std::max(P.MaxLiteral, L.size());
  // Greedy weighted set cover: repeatedly take the pair with the lowest expected hit
  // rate per literal it covers.
  std::vector<bool> Covered(Lits.size(), false);
  size_t Left = Lits.size();
  while (Left) {
    std::map<std::pair<unsigned char, unsigned char>, unsigned> Coverage;
    for (size_t I = 0; I < Lits.size(); ++I) {
      if (Covered[I])
        continue;
      std::vector<std::pair<unsigned char, unsigned char>> Seen;
      for (size_t K = 0; K + 1 < Lits[I].size(); ++K) {
        std::pair<unsigned char, unsigned char> Pr{fold(Lits[I][K]), fold(Lits[I][K + 1])};
        if (std::find(Seen.begin(), Seen.end(), Pr) == Seen.end()) {
          Seen.push_back(Pr);
          ++Coverage[Pr];
        }
      }
    }
    std::pair<unsigned char, unsigned char> Best{};
    double BestScore = 1e18;
    for (auto &[Pr, N] : Coverage) {
      double Score = byteFreq(Pr.first) * byteFreq(Pr.second) / N;
      if (Score < BestScore) {
        BestScore = Score;
        Best = Pr;
      }
    }
    unsigned PairIdx = P.Pairs.size();
    P.Pairs.push_back(Best);
    if (P.Pairs.size() > MaxPairs)
      return std::nullopt;
    for (size_t I = 0; I < Lits.size(); ++I) {
      if (Covered[I])
        continue;
      for (size_t K = 0; K + 1 < Lits[I].size(); ++K)
        if (fold(Lits[I][K]) == Best.first && fold(Lits[I][K + 1]) == Best.second) {
          P.Entries.push_back({PairIdx, static_cast<unsigned>(K), Lits[I]});
          Covered[I] = true;
          --Left;
          break;
        }
    }
  }
  return P;
}

std::vector<std::string> LiteralPrefilter::anchors() const {
  std::vector<std::string> Out;
  for (auto &[A, B] : Pairs)
    Out.push_back(std::string{static_cast<char>(A), static_cast<char>(B)});
  return Out;
}

bool LiteralPrefilter::verifyAt(llvm::StringRef Text, size_t Pos) const {
  unsigned char A = fold(Text[Pos]), B = fold(Text[Pos + 1]);
  for (const Entry &E : Entries) {
    if (Pairs[E.Pair].first != A || Pairs[E.Pair].second != B || Pos < E.Offset)
      continue;
    size_t Start = Pos - E.Offset;
    if (Start + E.Literal.size() <= Text.size() &&
        Text.substr(Start, E.Literal.size()).equals_insensitive(E.Literal))
      return true;
  }
  return false;
}

#if defined(ATM_HAVE_AVX2_PATH)
/// The same scan 32 bytes at a time, on CPUs with AVX2 (chosen at run time). Returns
/// true at the first verified hit; \p I is left where the caller's tail loop goes on.
__attribute__((target("avx2"))) bool
LiteralPrefilter::anyInAvx2(llvm::StringRef Text, size_t &I) const {
  const unsigned char *D = reinterpret_cast<const unsigned char *>(Text.data());
  size_t N = Text.size();
  const __m256i Fold = _mm256_set1_epi8(0x20);
  __m256i First[MaxPairs], Second[MaxPairs];
  unsigned NP = Pairs.size();
  for (unsigned K = 0; K < NP; ++K) {
    First[K] = _mm256_set1_epi8(static_cast<char>(Pairs[K].first));
    Second[K] = _mm256_set1_epi8(static_cast<char>(Pairs[K].second));
  }
  for (; I + 33 <= N; I += 32) {
    __m256i V0 =
        _mm256_or_si256(_mm256_loadu_si256(reinterpret_cast<const __m256i *>(D + I)), Fold);
    __m256i V1 = _mm256_or_si256(
        _mm256_loadu_si256(reinterpret_cast<const __m256i *>(D + I + 1)), Fold);
    __m256i M =
        _mm256_and_si256(_mm256_cmpeq_epi8(V0, First[0]), _mm256_cmpeq_epi8(V1, Second[0]));
    for (unsigned K = 1; K < NP; ++K)
      M = _mm256_or_si256(M, _mm256_and_si256(_mm256_cmpeq_epi8(V0, First[K]),
                                              _mm256_cmpeq_epi8(V1, Second[K])));
    unsigned Mask = static_cast<unsigned>(_mm256_movemask_epi8(M));
    while (Mask) {
      unsigned J = __builtin_ctz(Mask);
      if (verifyAt(Text, I + J))
        return true;
      Mask &= Mask - 1;
    }
  }
  return false;
}
#endif

bool LiteralPrefilter::anyIn(llvm::StringRef Text) const {
  const unsigned char *D = reinterpret_cast<const unsigned char *>(Text.data());
  size_t N = Text.size();
  size_t I = 0;
#if defined(ATM_HAVE_AVX2_PATH)
  static const bool Avx2 = __builtin_cpu_supports("avx2");
  if (Avx2 && N >= 33 && anyInAvx2(Text, I))
    return true;
#endif
#if defined(__SSE2__)
  if (N >= 17) {
    const __m128i Fold = _mm_set1_epi8(0x20);
    __m128i First[MaxPairs], Second[MaxPairs];
    unsigned NP = Pairs.size();
    for (unsigned K = 0; K < NP; ++K) {
      First[K] = _mm_set1_epi8(static_cast<char>(Pairs[K].first));
      Second[K] = _mm_set1_epi8(static_cast<char>(Pairs[K].second));
    }
    for (; I + 17 <= N; I += 16) {
      __m128i V0 = _mm_or_si128(_mm_loadu_si128(reinterpret_cast<const __m128i *>(D + I)), Fold);
      __m128i V1 =
          _mm_or_si128(_mm_loadu_si128(reinterpret_cast<const __m128i *>(D + I + 1)), Fold);
      __m128i M = _mm_and_si128(_mm_cmpeq_epi8(V0, First[0]), _mm_cmpeq_epi8(V1, Second[0]));
      for (unsigned K = 1; K < NP; ++K)
        M = _mm_or_si128(M, _mm_and_si128(_mm_cmpeq_epi8(V0, First[K]),
                                          _mm_cmpeq_epi8(V1, Second[K])));
      unsigned Mask = static_cast<unsigned>(_mm_movemask_epi8(M));
      while (Mask) {
        unsigned J = __builtin_ctz(Mask);
        if (verifyAt(Text, I + J))
          return true;
        Mask &= Mask - 1;
      }
    }
  }
#endif
  for (; I + 1 < N; ++I)
    for (auto &[A, B] : Pairs)
      if (fold(D[I]) == A && fold(D[I + 1]) == B && verifyAt(Text, I))
        return true;
  return false;
}

} // namespace atm
