#pragma once
/// \file
/// Reads a `scan --format json` report (schema "authtoken-migrate/scan", Report.h
/// JsonSchemaVersion) back into a ScanResult: the input of `report --from FILE` and
/// `merge REPORT.json...`. Fields the JSON does not carry (LineText, LineHash, UTF-16
/// columns) stay empty.

#include <optional>
#include <string>
#include <vector>

#include "llvm/ADT/StringRef.h"
#include "report/Report.h"
#include "llvm/Support/Error.h"
#include "scan/Scanner.h"

namespace atm {

/// What a report states beside its findings.
struct ScanJsonHeader {
  std::string ToolVersion;
  std::string AsOf; ///< YYYY-MM-DD
  std::string Root; ///< "" when the report has none
  /// The "repository" key (`scan --repos-from`), when the report has one.
  std::optional<RepoInfo> Repository;
  /// The "repositories" array of a merged report (`merge`), else empty.
  std::vector<RepoTotals> Repos;
};

struct ScanJson {
  ScanJsonHeader Header;
  ScanResult Result;
};

/// Parses \p Text (the contents of \p Name, used in messages). Errors name the file and,
/// for a JSON syntax error, the line and column; a wrong schema or a newer
/// schema_version is an error, unknown keys are ignored (forward compatible).
llvm::Expected<ScanJson> parseScanJson(llvm::StringRef Text, llvm::StringRef Name);

/// Reads and parses the file \p Path ("-" = standard input).
llvm::Expected<ScanJson> readScanJson(llvm::StringRef Path);

} // namespace atm
