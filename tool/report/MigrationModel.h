#pragma once
/// \file
/// What the migration report (report/Html.h: HTML and Markdown) says, worked out once from
/// a ScanResult: totals, verdicts per product and data centre, the migration plan ordered
/// by urgency, the hard-coded tokens to revoke, the OAuth scopes per product and the
/// API-console steps per data centre. Both writers only format this.

#include <cstdint>
#include <map>
#include <set>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/Finding.h"
#include "core/Text.h"
#include "scan/Scanner.h"

namespace atm::report {

/// One file of a plan group: its findings in line order.
struct PlanFile {
  std::string Path;
  std::vector<const Finding *> Findings;
};

/// Findings of one product in one data centre with one cutoff.
struct ProductGroup {
  std::string Product;     ///< id ("" = unknown)
  std::string ProductName; ///< display name
  std::string DataCentre;  ///< "" = not visible
  std::string Cutoff;      ///< YYYY-MM-DD or ""
  bool Confirmed = true;
  std::optional<int64_t> DaysLeft; ///< cutoff - as-of in days (negative: past); none without cutoff
  unsigned Count = 0, Fixable = 0;
  std::map<Severity, unsigned> BySeverity;
  std::vector<PlanFile> Files; ///< most severe / most findings first
  Severity MaxSev = Severity::Note;
};

/// A hard-coded token value (a finding of a `*-hardcoded` rule: the same rules `fix`
/// puts on its "tokens to revoke" list).
struct RevokeItem {
  const Finding *F = nullptr;
};

/// The scopes of one product's client.
struct ClientScopes {
  std::string Product, ProductName;
  std::vector<std::string> Scopes;
  /// Of Scopes: those from rows no source confirms, and those of the product's catch-all
  /// row (Finding::ScopesUnconfirmed / ScopesFallback), sorted.
  std::vector<std::string> Unconfirmed, Fallback;
  unsigned Findings = 0;   ///< findings of this product
  unsigned WithScopes = 0; ///< of which with inferred scopes
};

/// One data centre's accounts / API-console hosts.
struct DcHosts {
  std::string Id;       ///< "us", "eu", …
  std::string Accounts; ///< "accounts.zoho.eu"
  std::string Console;  ///< "api-console.zoho.eu"
  /// The scopes of the findings in this data centre (its client's scope string).
  std::vector<std::string> Scopes;
};

struct Model {
  Date AsOf;
  unsigned Total = 0, Fixable = 0, FilesWithFindings = 0, FilesScanned = 0;
  unsigned Past = 0, Due = 0, NoCutoff = 0; ///< findings by cutoff status
  std::map<Severity, unsigned> BySeverity;
  std::vector<std::pair<std::string, unsigned>> ByProduct;   ///< most findings first
  std::vector<std::pair<std::string, unsigned>> ByDirectory; ///< most findings first
  std::vector<ProductGroup> Groups;                          ///< by urgency
  std::vector<RevokeItem> Revoke;                            ///< path, line order
  std::vector<ClientScopes> Scopes;                              ///< per product, by name
  std::vector<std::string> AllScopes;                        ///< union, sorted
  std::set<std::string> UnconfirmedScopes, FallbackScopes;   ///< of AllScopes
  std::vector<DcHosts> Dcs;                                  ///< data centres seen ("us" if none)
  /// Distinct (product name, cutoff date, past?) for the timeline, by date.
  struct Milestone {
    std::string Label, Date;
    bool Past = false, Confirmed = true;
  };
  std::vector<Milestone> Timeline;
};

Model buildModel(const ScanResult &R, const Date &AsOf);

/// "broken since 2021-05-31 (2011 days)", "broken since today", "due in 12 days",
/// "no cutoff known".
std::string verdict(const ProductGroup &G);

/// What `fix` does to the finding (Fixable) or why it needs a person: FixNote, else the
/// rule's hint, else a generic reason.
std::string fixText(const Finding &F);

/// What to check about a client's scopes: "unconfirmed: A, B; catch-all (no narrower scope
/// known): C", "" when every scope is confirmed and specific.
std::string scopeCaveats(const std::vector<std::string> &Unconfirmed,
                         const std::vector<std::string> &Fallback);

/// The accounts and API-console hosts of data centre \p Dc ("" = us).
DcHosts dcHosts(llvm::StringRef Dc);

/// True for the rules whose findings are hard-coded token values.
bool isHardcodedTokenRule(llvm::StringRef RuleId);

/// The environment variables the generated helpers read (tool/helpers/templates).
inline constexpr const char *HelperEnvVars[] = {"ZOHO_CLIENT_ID", "ZOHO_CLIENT_SECRET",
                                                "ZOHO_REFRESH_TOKEN", "ZOHO_DC"};

} // namespace atm::report
