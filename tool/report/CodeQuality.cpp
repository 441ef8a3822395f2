//===- CodeQuality.cpp - GitLab Code Quality report -----------------------===//
//
// GitLab's subset of the Code Climate issue format
// (docs.gitlab.com/ee/ci/testing/code_quality.html, "Code Quality report format"): a JSON
// array of issues with description, check_name, fingerprint (unique in the report: GitLab
// shows one issue per fingerprint), severity and location.path / location.lines.begin.

#include <set>

#include "core/Text.h"
#include "fmt/format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "report/CiReports.h"
#include "report/ReportText.h"

namespace atm {

llvm::StringRef codeQualitySeverity(Severity S) {
  switch (S) {
  case Severity::Note: return "info";
  case Severity::Warning: return "minor";
  case Severity::Error: return "major";
  case Severity::Critical: return "critical";
  }
  return "major";
}

void writeCodeQuality(llvm::raw_ostream &OS, const ScanResult &R, const ReportContext &Ctx) {
  llvm::json::Array Issues;
  Issues.reserve(R.Findings.size()); // json::Value's move is not noexcept: no regrowth copies
  std::set<std::string> Seen;
  for (const Finding &F : R.Findings) {
    std::string Description = F.Message;
    std::string Cutoff = stableCutoffStatus(F, Ctx.AsOf);
    if (!Cutoff.empty())
      Description += " (" + Cutoff + ")";
    // Finding fingerprints are unique (they count occurrences); a finding without one, or
    // a repeated one, gets a hash of its place so GitLab still lists every issue.
    std::string Fp = F.Fingerprint;
    if (Fp.empty() || Seen.count(Fp))
      Fp = stableHash({F.RuleId, F.Path, std::to_string(F.Begin.Line),
                       std::to_string(F.Begin.Column), F.Fingerprint});
    Seen.insert(Fp);
    Issues.push_back(llvm::json::Object{
        {"description", cleanText(Description)},
        {"check_name", cleanText(F.RuleId)},
        {"fingerprint", Fp},
        {"severity", codeQualitySeverity(F.Sev)},
        {"location",
         llvm::json::Object{{"path", cleanText(F.Path)},
                            {"lines", llvm::json::Object{{"begin", F.Begin.Line}}}}},
    });
  }
  OS << llvm::formatv("{0:2}", llvm::json::Value(std::move(Issues))) << "\n";
}

} // namespace atm
