#pragma once
/// \file
/// The configuration file `.authtoken-migrate.yaml` (README "Configuration file"):
/// discovery from the scan root upwards, parsing and validation with file:line:col
/// errors, the typed result with the origin of every value (`config dump`), and step 2
/// of the scan pipeline: disabled rules, severity overrides and deadline-aware severity.
/// Command-line flags win over the file; the CLI decides which were given.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/Finding.h"
#include "core/Text.h"
#include "rules/Rule.h"
#include "scan/Scanner.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

namespace atm::gate {

inline constexpr llvm::StringLiteral ConfigFileName = ".authtoken-migrate.yaml";

/// Where a value came from: the config file and the line of its key; Line 0 = default.
struct Origin {
  std::string File;
  unsigned Line = 0;
  bool isDefault() const { return Line == 0; }
};

/// deadline-severity: {enabled, warning-days, error-days}.
struct DeadlinePolicy {
  bool Enabled = false;
  unsigned WarningDays = 180;
  unsigned ErrorDays = 30;
};

struct Config {
  std::string File;        ///< the file as displayed ("" = no config file: all defaults)
  std::string Dir;         ///< its directory, absolute (relative paths in it start here)
  std::vector<std::string> EnableRules;  ///< rules.enable: when non-empty, only these run
  std::vector<std::string> DisableRules; ///< rules.disable: never run (wins over enable)
  std::map<std::string, Severity> SeverityOverrides; ///< severity: {RULE-ID: LEVEL}
  std::vector<std::string> Include, Exclude;
  std::optional<Date> AsOf;
  std::optional<std::string> FailOn;     ///< none|note|warning|error|critical
  std::optional<std::string> Baseline;   ///< absolute (resolved against Dir)
  std::string BaselineAsWritten;
  DeadlinePolicy Deadline;
  std::map<std::string, std::string> Namespaces; ///< helpers.namespace: LANG -> NAME
  std::optional<std::string> DelugeConnection;
  /// Origin per key path: "rules.enable", "severity.ID", "as-of",
  /// "deadline-severity.warning-days", "helpers.namespace.python", … (missing = default).
  std::map<std::string, Origin> Origins;

  Origin origin(llvm::StringRef KeyPath) const;
  /// The fail-on threshold of the file: nullopt = not set; *nullopt = "none".
  std::optional<std::optional<Severity>> failOnThreshold() const;
};

/// A config file with errors: one "FILE:LINE:COL: error: …" line per problem.
class ConfigError : public llvm::ErrorInfo<ConfigError> {
public:
  static char ID;
  ConfigError(std::string F, std::vector<std::string> D) : File(std::move(F)), Diags(std::move(D)) {}
  std::string File; ///< as displayed
  std::vector<std::string> Diags;
  void log(llvm::raw_ostream &OS) const override;
  std::error_code convertToErrorCode() const override { return llvm::inconvertibleErrorCode(); }
};

/// The first ConfigFileName in \p StartDir or one of its parents (up to the filesystem
/// root), as an absolute path; "" when there is none.
std::string discoverConfig(llvm::StringRef StartDir);

/// What validation checks names against.
struct ConfigSchema {
  const RuleSet *Rules = nullptr;          ///< rule ids (null: not checked)
  std::vector<std::string> HelperLanguages; ///< helpers.namespace keys (empty: helperLanguages())
};

/// Parses and validates \p Content as the config file \p DisplayPath in directory
/// \p Dir. All problems are collected into one ConfigError. An empty (or comment-only)
/// file is valid and changes nothing.
llvm::Expected<Config> parseConfig(llvm::StringRef Content, llvm::StringRef DisplayPath,
                                   llvm::StringRef Dir, const ConfigSchema &Schema);
/// Reads \p Path (errors: "FILE: cannot read: …") and parses it.
llvm::Expected<Config> loadConfig(llvm::StringRef Path, llvm::StringRef DisplayPath,
                                  const ConfigSchema &Schema);

/// Deadline-aware severity: a finding whose cutoff is more than WarningDays after
/// \p AsOf is a note, within WarningDays a warning, within ErrorDays (or past) an error.
/// Critical stays critical.
Severity deadlineSeverity(Severity Current, const Date &Cutoff, const Date &AsOf,
                          const DeadlinePolicy &P);

/// Which command-line flags were given (they replace the file's values).
struct FlagsGiven {
  bool AsOf = false, Include = false, Exclude = false, Rule = false;
};

/// Applies the file to the scan's options before the scan: as-of, include/exclude
/// (flags replace the file's lists), the rule selection (rules.enable minus
/// rules.disable; --rule replaces both, and the file's lists are then cleared in \p C),
/// and the severity overrides on \p Rules (so SARIF's rule levels say them too).
void applyToOptions(Config &C, RuleSet &Rules, const FlagsGiven &Given, ScanOptions &Opts);

/// Step 2 of the scan pipeline, on the findings: drops findings of disabled rules
/// (counted in Stats.DisabledByConfig), sets overridden severities, then deadline-aware
/// severity (opt-in; rules with an explicit override keep it).
void applyConfig(ScanResult &R, const Config &C, const Date &AsOf);

/// `config dump`: the effective configuration as YAML, each value with
/// "# from FILE:LINE" or "# default". \p AsOf is the default as-of (today).
std::string dumpConfig(const Config &C, const Date &Today);

/// The default helper namespace of \p Lang (templates/<lang>/NAMESPACE), "" if unknown.
std::string defaultNamespace(llvm::StringRef Lang);

} // namespace atm::gate
