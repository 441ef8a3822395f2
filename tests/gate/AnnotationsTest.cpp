/// \file
/// rules/Annotations.h, the parser shared by the fixture runners and `rules test DIR`:
/// both annotation styles, blanking, sidecars and the errors (file:line).

#include "gtest/gtest.h"
#include "rules/Annotations.h"

using namespace atm;
using namespace atm::fixtures;

namespace {

struct Parsed {
  bool Ok;
  std::string Blanked, Err;
  std::vector<Annotation> Anns;
};

Parsed parse(llvm::StringRef Text, llvm::StringRef Sidecar = "") {
  Parsed P;
  P.Ok = parseFixture("f.py", Text, Sidecar, P.Blanked, P.Anns, P.Err);
  return P;
}

Finding finding(const std::string &Rule, unsigned Line, unsigned Col = 5) {
  Finding F;
  F.RuleId = Rule;
  F.Begin = {Line, Col};
  F.Sev = Severity::Error;
  F.Message = "m";
  F.LineText = "line";
  return F;
}

TEST(Annotations, AfterTheLineAndBlankedInPlace) {
  Parsed P = parse("x = 1\n# EXPECT: r-a @+1 :3 error \"has space\"\ny = 2\n# OK: r-b\r\n");
  ASSERT_TRUE(P.Ok) << P.Err;
  ASSERT_EQ(P.Anns.size(), 2u);
  EXPECT_EQ(P.Anns[0].K, Annotation::Expect);
  EXPECT_EQ(P.Anns[0].Rule, "r-a");
  EXPECT_EQ(P.Anns[0].Line, 2u); // line 1, @+1
  EXPECT_EQ(P.Anns[0].Column, 3u);
  EXPECT_EQ(P.Anns[0].Severity, "error");
  EXPECT_EQ(P.Anns[0].Substring, "has space");
  EXPECT_EQ(P.Anns[0].AnnotationLine, 2u);
  EXPECT_EQ(P.Anns[1].K, Annotation::Ok);
  EXPECT_EQ(P.Anns[1].Line, 3u);
  // Same length and lines; the annotation bodies are gone, the comment openers stay.
  EXPECT_EQ(P.Blanked.size(), std::string("x = 1\n# EXPECT: r-a @+1 :3 error \"has space\"\ny = 2\n# OK: r-b\r\n").size());
  EXPECT_EQ(P.Blanked.find("EXPECT"), std::string::npos);
  EXPECT_EQ(P.Blanked.find("r-b"), std::string::npos);
  EXPECT_NE(P.Blanked.find("\r\n"), std::string::npos);
}

TEST(Annotations, SemgrepStyleAppliesToTheLineBelow) {
  Parsed P = parse("# ruleid: r-a, r-b\n# ok: r-c\nx = 1\n// todoruleid: r-d\ny = 2\n");
  ASSERT_TRUE(P.Ok) << P.Err;
  ASSERT_EQ(P.Anns.size(), 4u);
  for (int I = 0; I < 3; ++I)
    EXPECT_EQ(P.Anns[I].Line, 3u) << I;
  EXPECT_EQ(P.Anns[0].K, Annotation::Expect);
  EXPECT_EQ(P.Anns[1].Rule, "r-b");
  EXPECT_EQ(P.Anns[2].K, Annotation::Ok);
  EXPECT_EQ(P.Anns[3].K, Annotation::Todo);
  EXPECT_EQ(P.Anns[3].Line, 5u);
  EXPECT_EQ(P.Blanked.find("ruleid"), std::string::npos);
}

TEST(Annotations, ErrorsNameFileAndLine) {
  Parsed P = parse("# EXPECT: r-a\n");
  EXPECT_FALSE(P.Ok);
  EXPECT_EQ(P.Err, "f.py:1: annotation before any code line");
  P = parse("x\n# EXPECT: r-a bogus\n");
  EXPECT_EQ(P.Err, "f.py:2: unknown annotation token 'bogus'");
  P = parse("x\n# ruleid: r-a\n");
  EXPECT_FALSE(P.Ok);
  EXPECT_NE(P.Err.find("f.py:2: annotation after the last line"), std::string::npos) << P.Err;
  P = parse("# todook: r-a\nx\n");
  EXPECT_NE(P.Err.find("f.py:1: todook: is not supported"), std::string::npos) << P.Err;
  P = parse("{}", "1 EXPECT: r-a\nnot an annotation\n");
  EXPECT_EQ(P.Err, "f.py.expect:2: expected '<line> EXPECT: …'");
}

TEST(Annotations, SidecarLinesAreAbsolute) {
  Parsed P = parse("{\n  \"a\": 1\n}\n", "# comment\n2 EXPECT: r-a\n");
  ASSERT_TRUE(P.Ok) << P.Err;
  ASSERT_EQ(P.Anns.size(), 1u);
  EXPECT_EQ(P.Anns[0].Line, 2u);
  EXPECT_TRUE(P.Anns[0].Sidecar);
  EXPECT_EQ(P.Anns[0].AnnotationLine, 2u);
}

TEST(Annotations, CompareClaimsEachFindingOnce) {
  Parsed P = parse("x\n# EXPECT: r-a\n# OK: r-b\ny\n# TODO-EXPECT: r-c\n");
  ASSERT_TRUE(P.Ok) << P.Err;
  EXPECT_TRUE(compareFindings(P.Anns, {finding("r-a", 1)}).empty());
  // Missing, an OK that fires, a TODO that fires; then the three unclaimed findings.
  auto Problems = compareFindings(
      P.Anns, {finding("r-a", 4, 7), finding("r-b", 1), finding("r-c", 4)});
  ASSERT_EQ(Problems.size(), 6u);
  EXPECT_EQ(Problems[0].K, FixtureProblem::Missing);
  EXPECT_EQ(Problems[0].Line, 2u);
  EXPECT_EQ(Problems[0].What, "expected r-a on line 1 — not found");
  EXPECT_EQ(Problems[1].K, FixtureProblem::OkFired);
  EXPECT_EQ(Problems[2].K, FixtureProblem::TodoFires);
  EXPECT_EQ(Problems[3].K, FixtureProblem::Unexpected);
  EXPECT_EQ(Problems[3].Line, 4u);
  EXPECT_EQ(Problems[3].Column, 7u);
  EXPECT_EQ(Problems[4].Rule, "r-b");
  EXPECT_EQ(Problems[5].Rule, "r-c");
  EXPECT_EQ(checkFindings("f.py", P.Anns, {}), "f.py:2: expected r-a on line 1 — not found\n");
  // A severity mismatch is reported on the annotation's line.
  P = parse("x\n# EXPECT: r-a warning\n");
  Problems = compareFindings(P.Anns, {finding("r-a", 1)});
  ASSERT_EQ(Problems.size(), 1u);
  EXPECT_EQ(Problems[0].K, FixtureProblem::Mismatch);
  EXPECT_EQ(Problems[0].What, "severity error, expected warning");
}

} // namespace
