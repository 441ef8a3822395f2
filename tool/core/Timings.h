#pragma once
/// \file
/// Phase timings for benchmarking: with ATM_TIMINGS set in the environment, each
/// phase() call prints "timing: <ms since start> ms <name>" to standard error. Off
/// (one cached getenv) otherwise. scripts/bench reads nothing from it; it is for people
/// looking for where a scan's wall time goes. ATM_TIMINGS=files adds the costliest files
/// of the lexer pass.

#include <string>

namespace atm {
void timingPhase(const char *Name);
/// True when ATM_TIMINGS=files: the scan also records each file's cost.
bool timingFiles();
/// Records that \p What of \p Path took \p Ms milliseconds (thread-safe; kept only when
/// timingFiles()).
void timingFile(const std::string &Path, const char *What, double Ms);
/// Prints the \p N costliest recorded files to standard error and forgets them.
void timingFilesReport(unsigned N);
} // namespace atm
