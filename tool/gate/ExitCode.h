#pragma once
/// \file
/// The exit codes of `scan` and `fix` (README "Exit codes"): 0 clean, 1 findings at or
/// above --fail-on, 2 errors (cli/Cli.h fail), 3 an incomplete scan with
/// --fail-on-incomplete (1 wins over 3).

#include <optional>
#include <string>

#include "core/Finding.h"
#include "scan/Scanner.h"

namespace atm {

enum ExitCode : int {
  ExitClean = 0,
  ExitFindings = 1,
  ExitError = 2,
  ExitIncomplete = 3,
};

/// True when the scan did not cover everything it was asked to: a file or directory
/// that could not be read or listed, a broken path (ScanStats::Unreadable). Files a
/// front end could not parse are not counted: the lexer's findings cover them (they
/// are listed as notes).
bool scanIncomplete(const ScanStats &S);

/// "N path(s) could not be read" for the stderr line of an exit 3.
std::string incompleteSummary(const ScanStats &S);

/// 1 when a finding reaches \p FailOn (none: never), else 3 when \p FailOnIncomplete
/// and the scan is incomplete, else 0.
int scanExitCode(const ScanResult &R, std::optional<Severity> FailOn, bool FailOnIncomplete);

} // namespace atm
