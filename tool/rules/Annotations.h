#pragma once
/// \file
/// Inline fixture annotations (README "Fixtures", "rules test"), shared by the test
/// suite's fixture runners (fixtures/cases/, fixtures/clang/) and `rules test DIR`:
///   EXPECT: <rule-id> [@±N][:COL] [severity] [product=ID] [dc=ID] [cutoff=DATE]
///           [candidates=ID,ID] ["substring"]
///   (product=unknown or product=zoho: no product; candidates=…: the conflicting product
///   ids, sorted; dc=none: no data centre)
///   OK: <rule-id>            the annotated line must NOT produce that rule
///   TODO-EXPECT: <rule-id>   a known miss: fails once it starts to fire (promote it)
/// An annotation applies to the nearest non-annotation line above it. Files without
/// comments (JSON) use a sidecar <file>.expect whose lines read "<line> EXPECT: …".
/// Semgrep's lower-case annotations are read too and apply to the next non-annotation
/// line BELOW them: `ruleid: ID[, ID…]` (= EXPECT), `ok: ID` (= OK), `todoruleid: ID`
/// (= TODO-EXPECT); `todook:` is an error.
/// Every finding must be claimed by an EXPECT; an unclaimed one is a failure.

#include <string>
#include <vector>

#include "core/Finding.h"
#include "llvm/ADT/StringRef.h"

namespace atm {
namespace fixtures {

struct Annotation {
  enum Kind { Expect, Ok, Todo } K;
  std::string Rule;
  unsigned Line = 0;   ///< target line
  unsigned Column = 0; ///< 0 = any
  std::string Severity, Product, Dc, Cutoff, Candidates, Substring;
  unsigned AnnotationLine = 0; ///< in the file, or in the .expect sidecar
  bool Sidecar = false;        ///< read from <file>.expect
};

/// Reads \p Base/\p Rel and its sidecar \p Base/\p Rel.expect (if any): the annotations,
/// and the text with annotation bodies blanked (so line numbers stay and annotations
/// cannot match rules themselves). On a malformed annotation returns false with \p Err
/// "Rel:LINE: what".
bool readFixture(const std::string &Base, const std::string &Rel, std::string &Blanked,
                 std::vector<Annotation> &Anns, std::string &Err);

/// The same on text already in memory; \p Sidecar is the .expect file's content (empty:
/// none).
bool parseFixture(llvm::StringRef Rel, llvm::StringRef Text, llvm::StringRef Sidecar,
                  std::string &Blanked, std::vector<Annotation> &Anns, std::string &Err);

/// One mismatch between a fixture's annotations and its findings.
struct FixtureProblem {
  /// Line in the fixture (of the annotation, or of an unexpected finding; a sidecar
  /// annotation's line in the sidecar).
  unsigned Line = 0;
  unsigned Column = 0; ///< unexpected findings only
  bool Sidecar = false; ///< Line is in the <file>.expect sidecar
  enum Kind { Missing, Mismatch, Unexpected, OkFired, TodoFires } K = Missing;
  std::string Rule;
  std::string What;   ///< "expected R on line 4 — not found", "unexpected R: message", …
  std::string Source; ///< unexpected findings: the (redacted) source line
};

/// Compares the findings of one fixture file with its annotations (empty = pass).
std::vector<FixtureProblem> compareFindings(const std::vector<Annotation> &Anns,
                                            const std::vector<Finding> &Findings);

/// compareFindings() as text, one "Rel:LINE[:COL]: what" line per problem (empty = pass).
std::string checkFindings(const std::string &Rel, const std::vector<Annotation> &Anns,
                          const std::vector<Finding> &Findings);

} // namespace fixtures
} // namespace atm
