#pragma once
/// \file
/// Phase timings for benchmarking: with ATM_TIMINGS set in the environment, each
/// phase() call prints "timing: <ms since start> ms <name>" to standard error. Off
/// (one cached getenv) otherwise. scripts/bench reads nothing from it; it is for people
/// looking for where a scan's wall time goes.

namespace atm {
void timingPhase(const char *Name);
} // namespace atm
