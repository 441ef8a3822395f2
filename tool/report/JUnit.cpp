//===- JUnit.cpp - JUnit XML report ---------------------------------------===//
//
// The de-facto JUnit schema (Ant's, as read by GitLab, Jenkins, Azure DevOps and the
// GitHub test-report actions): <testsuites> / <testsuite> / <testcase> / <failure>.

#include <map>
#include <vector>

#include "fmt/format.h"
#include "llvm/ADT/SmallVector.h"
#include "report/CiReports.h"
#include "report/ReportText.h"

namespace atm {

namespace {
/// The rule's whole help, its wrapped lines joined (a blank line stays a line break);
/// the finding's one-line hint when the rules are not at hand.
std::string helpText(const Finding &F, const ReportContext &Ctx) {
  const Rule *Ru = Ctx.Rules ? Ctx.Rules->find(F.RuleId) : nullptr;
  if (!Ru || Ru->Help.empty())
    return F.FixHint;
  std::string Out;
  llvm::SmallVector<llvm::StringRef, 8> Lines;
  llvm::StringRef(Ru->Help).trim().split(Lines, '\n');
  for (llvm::StringRef L : Lines) {
    L = L.trim();
    if (L.empty())
      Out += "\n";
    else
      Out += (Out.empty() || Out.back() == '\n' ? "" : " ") + L.str();
  }
  return Out;
}
} // namespace

void writeJUnit(llvm::raw_ostream &OS, const ScanResult &R, const ReportContext &Ctx) {
  auto Attr = [](llvm::StringRef S) { return xmlEscape(S, true); };
  OS << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  size_t N = R.Findings.size();
  if (N == 0) {
    // A passing run still shows up in a CI test tab.
    OS << "<testsuites name=\"authtoken-migrate\" tests=\"1\" failures=\"0\" errors=\"0\">\n"
       << "  <testsuite name=\"authtoken-migrate\" tests=\"1\" failures=\"0\" errors=\"0\" "
          "skipped=\"0\">\n"
       << "    <testcase classname=\"authtoken-migrate\" "
          "name=\"no legacy Zoho authtoken usage\">\n"
       << "      <system-out>"
       << xmlEscape(fmt::format("{} file{} scanned as of {}", R.Stats.FilesScanned,
                                R.Stats.FilesScanned == 1 ? "" : "s", Ctx.AsOf.str()),
                    false)
       << "</system-out>\n"
       << "    </testcase>\n  </testsuite>\n</testsuites>\n";
    return;
  }
  // Suites in path order (findings are sorted by path, then position).
  std::map<std::string, std::vector<const Finding *>> ByFile;
  for (const Finding &F : R.Findings)
    ByFile[F.Path].push_back(&F);
  OS << fmt::format("<testsuites name=\"authtoken-migrate\" tests=\"{0}\" failures=\"{0}\" "
                    "errors=\"0\">\n",
                    N);
  for (const auto &[Path, Fs] : ByFile) {
    OS << "  <testsuite name=\"" << Attr(Path) << "\""
       << fmt::format(" tests=\"{0}\" failures=\"{0}\" errors=\"0\" skipped=\"0\">\n",
                      Fs.size());
    // "RULE line N" names a testcase; the column is added only where one rule matches
    // twice on a line, so names stay unique within the suite.
    std::map<std::pair<std::string, unsigned>, unsigned> Same;
    for (const Finding *F : Fs)
      ++Same[{F->RuleId, F->Begin.Line}];
    for (const Finding *F : Fs) {
      std::string Name = fmt::format("{} line {}", F->RuleId, F->Begin.Line);
      if (Same[{F->RuleId, F->Begin.Line}] > 1)
        Name += fmt::format(" column {}", F->Begin.Column);
      std::string Body = fmt::format("{}:{}:{}: {}: {} [{}]\n", F->Path, F->Begin.Line,
                                     F->Begin.Column, severityName(F->Sev).str(), F->Message,
                                     F->RuleId);
      if (!F->Snippet.empty())
        Body += F->Snippet + (llvm::StringRef(F->Snippet).endswith("\n") ? "" : "\n");
      Body += "product: " + F->ProductName;
      if (!F->ProductCandidates.empty())
        Body += fmt::format(" (one of: {})", fmt::join(F->ProductCandidates, ", "));
      if (!F->DataCentre.empty())
        Body += " (" + F->DataCentre + " data centre)";
      Body += "\n";
      if (!F->Cutoff.empty())
        Body += "cutoff: " + F->Cutoff + ", " + F->Status +
                (F->CutoffConfirmed ? "" : ", date unconfirmed") + "\n";
      std::string Help = helpText(*F, Ctx);
      if (!Help.empty())
        Body += "how to fix: " + Help + "\n";
      if (!F->FixNote.empty())
        Body += (F->Fixable ? "automatic fix: " : "no automatic fix: ") + F->FixNote + "\n";
      Body += "fingerprint: " + F->Fingerprint + "\n";
      OS << "    <testcase classname=\"" << Attr(Path) << "\" name=\"" << Attr(Name)
         << "\" file=\"" << Attr(Path) << "\" line=\"" << F->Begin.Line << "\">\n"
         << "      <failure type=\"" << severityName(F->Sev) << "\" message=\""
         << Attr(F->Message) << "\">" << xmlEscape(Body, false) << "</failure>\n"
         << "    </testcase>\n";
    }
    OS << "  </testsuite>\n";
  }
  OS << "</testsuites>\n";
}

} // namespace atm
