#pragma once
/// \file
/// OAuth scope inference: which scopes the migrated request of a finding needs,
/// from the endpoint it calls. The table is data (rules/catalog/scopes.yaml,
/// README "OAuth scopes"): per product, rows of path patterns (optionally an
/// HTTP method or legacy API v1 verbs) with the scopes they need and the source
/// that says so. An endpoint no row matches gets no scope: the table is never
/// extrapolated.

#include <map>
#include <string>
#include <vector>

#include "core/Finding.h"
#include "core/Text.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

namespace atm {

/// One row of the scope table.
struct ScopeRow {
  std::string Product; ///< catalogue product id
  /// Path patterns, '/'-separated segments: a literal (case-insensitive, may
  /// hold `*` and `?` globs), `*` (one segment), `{name}` (one segment,
  /// captured), `**` (last only: zero or more segments).
  std::vector<std::string> Paths;
  std::vector<std::string> Methods; ///< GET, POST, PUT, PATCH, DELETE; empty = any
  /// Legacy API v1 verbs (the last path segment, case-insensitive) -> operation
  /// (READ, CREATE, UPDATE, DELETE) for `{op}`; empty = no verb condition.
  std::map<std::string, std::string> Verbs;
  /// Allowed values of a capture, each mapped to its scope spelling (lower-case
  /// keys).
  std::map<std::string, std::map<std::string, std::string>> Where;
  /// Scope templates: `{name}` is a capture (lower-cased, or as mapped by
  /// `where`),
  /// `{op}` the operation of the verb or the method (GET READ, POST CREATE, PUT
  /// and PATCH UPDATE, DELETE DELETE).
  std::vector<std::string> Scopes;
  std::string Source;
  bool Confirmed = true;
  /// The product's catch-all: used only when no other row of the product
  /// matches.
  bool Fallback = false;
  unsigned Line = 0; ///< in the YAML file, for messages and tests
};

/// What inference found for one request.
struct ScopeMatch {
  std::vector<std::string> Scopes;      ///< sorted, deduplicated
  std::vector<std::string> Unconfirmed; ///< those of Scopes from rows marked unconfirmed
  std::vector<std::string> Fallback;    ///< those of Scopes from fallback rows
  std::vector<const ScopeRow *> Rows;   ///< the rows that matched
};

/// The HTTP method visible in a request's text ("" = none, or several
/// conflicting).
std::string requestMethod(llvm::StringRef Text);

/// The URL paths (of absolute URLs, and of quoted literals starting with '/')
/// in \p Text, without query or fragment, in text order.
std::vector<std::string> requestPaths(llvm::StringRef Text);

/// \p Region with the constants it joins to string literals (`BASE + "Leads/…"`,
/// `$base . "…"`, `f"{BASE}…"`, `${BASE}`) replaced by their literal values, each from
/// its first `NAME = "literal"` definition in \p FileText (const, static final,
/// define('NAME', …), NAME: "…"). Unresolved names stay as they are.
std::string expandConstants(llvm::StringRef Region, llvm::StringRef FileText);

class ScopeCatalog {
public:
  /// Parses scopes.yaml (errors name file:line:col). \p KnownProducts, when not
  /// empty, are the product ids a row may name.
  static llvm::Expected<ScopeCatalog> parse(llvm::StringRef Content, llvm::StringRef Name,
                                            const std::vector<std::string> &KnownProducts = {});

  const std::vector<ScopeRow> &rows() const { return Rows; }
  bool empty() const { return Rows.empty(); }

  /// The scopes of a request of product \p Product ("" = unknown: a path that
  /// the rows of exactly one product match decides) to \p Path with method \p
  /// Method ("" = not visible). Per product, the first non-fallback row that
  /// matches wins, else the first fallback row.
  ScopeMatch match(llvm::StringRef Product, llvm::StringRef Path, llvm::StringRef Method) const;

  /// The scopes of the request in \p RequestText (every path in it, with the method
  /// visible in it, else the one visible in \p SendText: the statement that sends what
  /// RequestText builds).
  ScopeMatch infer(llvm::StringRef Product, llvm::StringRef RequestText,
                   llvm::StringRef SendText = "") const;

  /// Fills F.ScopesNeeded (and the unconfirmed / fallback marks) from the request text
  /// of \p F in \p FileText: its statement (StatementBegin..End) when known, else its
  /// own lines, with the constants it joins expanded (expandConstants). When no method
  /// is visible there and the statement assigns a variable, the method comes from the
  /// first of the next five lines that uses the variable (where it is sent).
  void fill(Finding &F, llvm::StringRef FileText) const;
  /// The same with the file's line index (one per file, for all its findings).
  void fill(Finding &F, llvm::StringRef FileText, const LineIndex &Lines) const;

private:
  std::vector<ScopeRow> Rows;
};

} // namespace atm
