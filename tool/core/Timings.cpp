#include "core/Timings.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>

namespace atm {
namespace {
const auto ProcessStart = std::chrono::steady_clock::now();
} // namespace

void timingPhase(const char *Name) {
  static const bool On = std::getenv("ATM_TIMINGS") != nullptr;
  if (!On)
    return;
  double Ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() -
                                                        ProcessStart)
                  .count();
  std::fprintf(stderr, "timing: %8.1f ms %s\n", Ms, Name);
}
} // namespace atm
