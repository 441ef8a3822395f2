#include "gate/ExitCode.h"

#include "fmt/format.h"

namespace atm {

bool scanIncomplete(const ScanStats &S) { return S.Unreadable > 0; }

std::string incompleteSummary(const ScanStats &S) {
  return fmt::format("incomplete scan: {} path{} could not be read (see the 'problem:' "
                     "lines); exit 3 (--fail-on-incomplete)",
                     S.Unreadable, S.Unreadable == 1 ? "" : "s");
}

int scanExitCode(const ScanResult &R, std::optional<Severity> FailOn, bool FailOnIncomplete) {
  if (FailOn)
    for (const Finding &F : R.Findings)
      if (F.Sev >= *FailOn)
        return ExitFindings;
  if (FailOnIncomplete && scanIncomplete(R.Stats))
    return ExitIncomplete;
  return ExitClean;
}

} // namespace atm
