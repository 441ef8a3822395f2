#pragma once
/// \file
/// The finding model shared by every stage: severities, locations and one Finding.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "llvm/ADT/StringRef.h"

namespace atm {

/// Ordered: a --fail-on threshold compares with <=.
enum class Severity : uint8_t { Note, Warning, Error, Critical };

llvm::StringRef severityName(Severity S);
std::optional<Severity> parseSeverity(llvm::StringRef Name);
/// SARIF `level` (critical maps to "error"; its weight goes to security-severity).
llvm::StringRef sarifLevel(Severity S);

/// 1-based line and column; columns count bytes (as clang does). SARIF columns are
/// converted to UTF-16 code units by the SARIF writer from the source line.
struct Position {
  unsigned Line = 1;
  unsigned Column = 1;
};

/// One reported occurrence of a rule.
struct Finding {
  std::string RuleId;
  Severity Sev = Severity::Warning;
  std::string Path;        ///< display path, relative to the scan root, '/' separators
  size_t Offset = 0;       ///< byte offset of Begin in the file
  size_t Length = 0;       ///< bytes
  Position Begin, End;     ///< End is exclusive (column after the last byte)
  std::string Message;
  std::string Product;     ///< catalogue id ("crm", "books", …) or "" when unknown
  std::string ProductName; ///< display name ("Zoho CRM") or "Zoho (product unknown)"
  std::vector<std::string> ProductCandidates;  ///< product ids when the evidence conflicts
  std::string DataCentre;  ///< "us", "eu", … or "" when not visible
  std::string Cutoff;      ///< YYYY-MM-DD or ""
  bool CutoffConfirmed = true;
  std::string CutoffSource;
  std::string Status;      ///< "past cutoff since 2021-05-31 (2003 days)" / "due in N days"
  std::string Snippet;     ///< the source line(s), redacted unless --show-secrets
  std::string LineText;    ///< the first source line, redacted, for carets
  /// When the line is too long to show whole, LineText is a window of it with "…" marks:
  /// then LineTextColumn is Begin's 1-based byte column in LineText, and Utf16Begin /
  /// Utf16End are Begin / End in UTF-16 units of the whole line (SARIF). 0 otherwise.
  unsigned LineTextColumn = 0;
  unsigned Utf16Begin = 0, Utf16End = 0;
  /// The whole statement the finding belongs to (the request call with all its lines; a
  /// token-generation flow with the lines that set the e-mail and password), when a
  /// syntax-tree front end knows it; Line 0 = not known. End is exclusive like End.
  Position StatementBegin{0, 0}, StatementEnd{0, 0};
  std::string Fingerprint; ///< stable: does not change when lines move
  std::string LineHash;    ///< GitHub's primaryLocationLineHash of the start line ("hex:n")
  bool Fixable = false;
  std::string FixNote;     ///< what the automatic fix does, or why there is none
  std::string FixHint;     ///< how to fix (rule help, one line)
  /// OAuth scopes the request needs once migrated, inferred from the endpoint it calls
  /// (rules/catalog/scopes.yaml); empty when the endpoint is not known.
  std::vector<std::string> ScopesNeeded;
  /// Those of ScopesNeeded whose table row is marked `confirmed: false` (no source
  /// states them for this endpoint), and those from a product's catch-all row.
  std::vector<std::string> ScopesUnconfirmed;
  std::vector<std::string> ScopesFallback;
};

} // namespace atm
