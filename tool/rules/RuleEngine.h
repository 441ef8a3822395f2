#pragma once
/// \file
/// Runs a RuleSet over one file's text: prefilter (RE2::Set over literals), pattern
/// matches, span-kind and context checks, inline suppressions, product/DC/cutoff
/// inference, redaction and fingerprints.

#include <memory>
#include <string>
#include <vector>

#include "core/Finding.h"
#include "core/Text.h"
#include "lang/Language.h"
#include "rules/Rule.h"

#include "re2/set.h"

namespace re2 {
class RE2;
} // namespace re2

namespace atm {

struct EngineOptions {
  Date AsOf = Date::today();
  bool ShowSecrets = false;
  /// When non-empty, only these rule ids run.
  std::vector<std::string> OnlyRules;
};

/// Per-file outcome.
struct FileResult {
  std::vector<Finding> Findings; ///< sorted by offset, then rule id
  unsigned Suppressed = 0;       ///< findings silenced by inline comments
  bool PrefilterRejected = false;
};

class RuleEngine {
public:
  RuleEngine(const RuleSet &Rules, EngineOptions Opts);
  ~RuleEngine();

  /// True when the file holds at least one prefilter literal of a rule for \p L.
  bool mayMatch(llvm::StringRef Text, Language L) const;

  /// Scans one file. \p DisplayPath goes into findings as is.
  FileResult scan(llvm::StringRef DisplayPath, Language L, llvm::StringRef Text) const;

  const RuleSet &rules() const { return Rules; }

private:
  const RuleSet &Rules;
  EngineOptions Opts;
  std::vector<std::string> Literals;             ///< unique prefilter literals
  std::vector<std::vector<unsigned>> RuleLits;   ///< per rule: indices into Literals
  /// Per language: the prefilter literals of the rules for that language as one
  /// case-insensitive RE2::Set (built once; matching is thread-safe), and the map from
  /// set index to index in Literals.
  struct LangSet {
    std::unique_ptr<re2::RE2::Set> Set;
    std::vector<unsigned> LiteralIndex;
  };
  std::vector<LangSet> LangSets;
  std::unique_ptr<re2::RE2> SuppressRe;
};

} // namespace atm
