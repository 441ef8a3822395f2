#pragma once
/// \file
/// Baselines (README "Baselines"): a reviewable JSON file of known findings, keyed by
/// fingerprint (core: rule + root-relative path + the redacted, whitespace-collapsed line
/// + the occurrence number of that text in the file; no line number, no token value), so
/// that `scan --baseline FILE` fails only on findings that are not in it. Entries may
/// carry a `reason` and an `expires` date after which their findings count again.
///
/// File format (version 1), sorted by path, then rule, then fingerprint; 2-space indent;
/// trailing newline; keys in this order:
///   {"version": 1, "tool": "authtoken-migrate", "entries": [
///     {"fingerprint": "…", "rule": "…", "path": "…", "snippet": "…",
///      "reason": "…", "expires": "YYYY-MM-DD"} ]}
/// `reason` and `expires` are optional; unknown keys are an error (a mistyped "expire"
/// must not make an entry permanent).

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/Finding.h"
#include "core/Text.h"
#include "scan/Scanner.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

namespace atm {

/// Baseline file format version.
constexpr int BaselineVersion = 1;

struct BaselineEntry {
  std::string Fingerprint;
  std::string Rule;
  std::string Path;    ///< root-relative, '/' separators
  std::string Snippet; ///< the redacted source line, for reviewers (not used to match)
  std::string Reason;  ///< "" = none
  std::optional<Date> Expires;
  unsigned Line = 0;   ///< line of the entry in the file it was read from (0: not read)

  /// Expired as of \p AsOf: \p AsOf is after Expires (the entry holds on its date).
  bool expired(const Date &AsOf) const { return Expires && Expires->toDays() < AsOf.toDays(); }
};

struct Baseline {
  std::vector<BaselineEntry> Entries;
  /// The entry with fingerprint \p Fp, or null.
  const BaselineEntry *find(llvm::StringRef Fp) const;
};

/// Parses baseline text. \p Name (the file) starts every error message: "NAME:LINE:
/// what, what to do" (LINE:COLUMN for JSON syntax errors; the entry's or key's line for
/// a bad value; duplicate fingerprints name both lines).
llvm::Expected<Baseline> parseBaseline(llvm::StringRef Text, llvm::StringRef Name);

/// Reads and parses \p Path.
llvm::Expected<Baseline> readBaseline(llvm::StringRef Path);

/// Sorts \p B's entries by path, rule, fingerprint.
void sortBaseline(Baseline &B);

/// The file text of \p B (sorted on output; \p B need not be sorted). Stable: the same
/// entries always give the same bytes.
std::string formatBaseline(const Baseline &B);

/// Writes formatBaseline(\p B) to \p Path atomically (core/AtomicWrite.h).
llvm::Error writeBaseline(llvm::StringRef Path, const Baseline &B);

/// The entry that baselines \p F (snippet: its redacted line, trimmed).
BaselineEntry baselineEntry(const Finding &F);

/// What applyBaseline() did.
struct BaselineMatch {
  unsigned Baselined = 0;     ///< findings removed
  unsigned Expired = 0;       ///< findings kept because their entry has expired
  std::vector<bool> Matched;  ///< per entry of the baseline: some finding has its fingerprint
};

/// Removes from \p R the findings whose fingerprint has an entry in \p B that has not
/// expired as of \p AsOf, and adds their number to R.Stats.Baselined. A finding whose
/// entry has expired stays; its message ends with "(baseline entry expired on DATE)"
/// (and the entry's reason).
BaselineMatch applyBaseline(ScanResult &R, const Baseline &B, const Date &AsOf);

/// The outcome of building a baseline from a scan (`authtoken-migrate baseline`).
struct BaselineUpdate {
  Baseline Result;                  ///< the new file's entries (sorted)
  std::vector<BaselineEntry> Added; ///< findings without an entry in the previous file
  std::vector<BaselineEntry> Stale; ///< previous entries that match no finding: dropped
  unsigned Kept = 0;                ///< previous entries that still match
  unsigned OutOfScope = 0;          ///< previous entries the scan did not cover: kept as is
};

struct BaselineUpdateOptions {
  /// `--update`: previous entries that no finding matches are reported stale and dropped
  /// (unless out of scope); without it the result holds exactly the findings.
  bool Update = false;
  /// With Update: add findings that have no entry yet (default). False: only drop.
  bool AddNew = true;
  /// With Update: true when the scan covered \p E's file and rule (it scanned a subset of
  /// the paths or rules, or could not read a file: other entries are kept untouched).
  /// Null: every entry is in scope.
  std::function<bool(const BaselineEntry &E)> InScope;
};

/// Builds the baseline for \p Findings. Entries of \p Previous with a finding's
/// fingerprint keep their reason and expiry (also without Update).
BaselineUpdate updateBaseline(llvm::ArrayRef<Finding> Findings, const Baseline *Previous,
                              const BaselineUpdateOptions &Opts);

} // namespace atm
