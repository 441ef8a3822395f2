#pragma once
/// \file
/// Report writers: clang-style text, versioned JSON, SARIF 2.1.0. Pure formatting of a
/// ScanResult onto a raw_ostream; no other I/O.

#include <string>

#include "core/Text.h"
#include "llvm/Support/raw_ostream.h"
#include "rules/Rule.h"
#include "scan/Scanner.h"

namespace atm {

struct ReportContext {
  std::string ToolVersion;
  Date AsOf;
  const RuleSet *Rules = nullptr;
  bool Color = false;
  bool Quiet = false; ///< text: findings only, no summary
};

/// JSON report schema version (README "JSON output").
constexpr int JsonSchemaVersion = 1;

void writeText(llvm::raw_ostream &OS, const ScanResult &R, const ReportContext &Ctx);
void writeJson(llvm::raw_ostream &OS, const ScanResult &R, const ReportContext &Ctx);
void writeSarif(llvm::raw_ostream &OS, const ScanResult &R, const ReportContext &Ctx);

} // namespace atm
