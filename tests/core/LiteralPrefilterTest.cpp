/// \file
/// The SIMD literal prefilter must agree with an RE2::Set of the same literals (ASCII
/// case-insensitive) on every input: literals at every offset around the 32-byte (AVX2)
/// and 16-byte (SSE2) blocks,
/// at the very start and end, in mixed case, and near-misses.

#include <random>

#include "gtest/gtest.h"
#include "re2/re2.h"
#include "re2/set.h"
#include "core/LiteralPrefilter.h"

using namespace atm;

namespace {

const std::vector<std::string> Lits = {"zoho",       "crmapi",     "creatorapi", "recruitapi",
                                       "campaignsapi", "reportsapi", "projectsapi", "supportapi",
                                       "authtoken",  "apiauthtoken", "zoho-authtoken"};

bool re2Any(const std::vector<std::string> &L, const std::string &Text) {
  RE2::Options O;
  O.set_case_sensitive(false);
  O.set_encoding(RE2::Options::EncodingLatin1);
  RE2::Set S(O, RE2::UNANCHORED);
  for (const std::string &X : L)
    S.Add(RE2::QuoteMeta(X), nullptr);
  S.Compile();
  return S.Match(Text, nullptr);
}

TEST(LiteralPrefilter, PicksFewRareAnchors) {
  auto P = LiteralPrefilter::build(Lits);
  ASSERT_TRUE(P.has_value());
  std::string A;
  for (const std::string &X : P->anchors())
    A += X + " ";
  EXPECT_LE(P->anchors().size(), LiteralPrefilter::MaxPairs) << A;
  EXPECT_NE(A.find("zo "), std::string::npos) << A;
  EXPECT_FALSE(LiteralPrefilter::build({"zoho", "a"}).has_value()); // too short
}

TEST(LiteralPrefilter, FindsEachLiteralAtEveryOffsetAndCase) {
  auto P = LiteralPrefilter::build(Lits);
  ASSERT_TRUE(P.has_value());
  for (const std::string &L : Lits)
    for (size_t Off = 0; Off < 80; ++Off) // across the 32- and 16-byte blocks and the tail
      for (size_t After = 0; After < 20; After += 7) {
        std::string T(Off, 'x');
        std::string U = L;
        for (size_t K = 0; K < U.size(); K += 2)
          U[K] = static_cast<char>(toupper(U[K]));
        T += U + std::string(After, 'y');
        EXPECT_TRUE(P->anyIn(T)) << L << " at " << Off;
        // A near miss: the last byte changed.
        std::string M = T;
        M[Off + L.size() - 1] = '#';
        EXPECT_EQ(P->anyIn(M), re2Any(Lits, M)) << M;
      }
}

TEST(LiteralPrefilter, AgreesWithRe2OnRandomText) {
  auto P = LiteralPrefilter::build(Lits);
  ASSERT_TRUE(P.has_value());
  std::mt19937 Rng(7);
  // An alphabet rich in the literals' letters, so that anchors and partial matches abound.
  const std::string Alpha = "zohZOHapiAPIcrmtkenTKEN-_ \n\"'/?=&sutrjoc";
  unsigned Positives = 0;
  for (int Round = 0; Round < 4000; ++Round) {
    std::string T(Rng() % 200, ' ');
    for (char &C : T)
      C = Alpha[Rng() % Alpha.size()];
    if (Rng() % 3 == 0) {
      const std::string &L = Lits[Rng() % Lits.size()];
      T.insert(Rng() % (T.size() + 1), L);
    }
    bool Want = re2Any(Lits, T);
    Positives += Want;
    ASSERT_EQ(P->anyIn(T), Want) << "'" << T << "'";
  }
  EXPECT_GT(Positives, 500u);
}

} // namespace
