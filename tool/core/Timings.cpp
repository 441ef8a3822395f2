#include "core/Timings.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <algorithm>
#include <tuple>
#include <vector>

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

namespace {
std::mutex FilesMu;
std::vector<std::tuple<double, std::string, const char *>> &fileCosts() {
  static std::vector<std::tuple<double, std::string, const char *>> V;
  return V;
}
} // namespace

bool timingFiles() {
  static const bool On = [] {
    const char *E = std::getenv("ATM_TIMINGS");
    return E && std::strcmp(E, "files") == 0;
  }();
  return On;
}

void timingFile(const std::string &Path, const char *What, double Ms) {
  if (!timingFiles())
    return;
  std::lock_guard<std::mutex> Lock(FilesMu);
  fileCosts().emplace_back(Ms, Path, What);
}

void timingFilesReport(unsigned N) {
  if (!timingFiles())
    return;
  std::lock_guard<std::mutex> Lock(FilesMu);
  auto &V = fileCosts();
  std::sort(V.begin(), V.end(),
            [](const auto &A, const auto &B) { return std::get<0>(A) > std::get<0>(B); });
  double Total = 0;
  for (auto &T : V)
    Total += std::get<0>(T);
  std::fprintf(stderr, "timing: %zu file costs recorded, %.1f ms in all\n", V.size(), Total);
  for (size_t I = 0; I < V.size() && I < N; ++I)
    std::fprintf(stderr, "timing: %8.2f ms %-8s %s\n", std::get<0>(V[I]), std::get<2>(V[I]),
                 std::get<1>(V[I]).c_str());
  V.clear();
}
} // namespace atm
