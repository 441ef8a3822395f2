//===- Markdown.cpp - Markdown summary (PR comments, $GITHUB_STEP_SUMMARY) ===//
//
// GitHub-flavoured Markdown. Everything taken from a finding goes through
// markdownText/markdownCode (report/ReportText.h), so a message, path or snippet can
// neither break a table nor inject markup; snippets are the redacted ones.

#include <algorithm>
#include <cstdlib>
#include <map>
#include <optional>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "fmt/format.h"
#include "llvm/ADT/StringExtras.h"
#include "report/CiReports.h"
#include "report/ReportText.h"

namespace atm {

namespace {

std::string location(const Finding &F, const MarkdownOptions &MO) {
  std::string Text = markdownText(fmt::format("{}:{}", F.Path, F.Begin.Line));
  if (MO.BlobBase.empty())
    return Text;
  return fmt::format("[{}]({}{}#L{})", Text, safeUrl(MO.BlobBase), percentEncodePath(F.Path),
                     F.Begin.Line);
}

} // namespace

std::string githubBlobBase() {
  auto Env = [](const char *Name) -> std::string {
    const char *V = std::getenv(Name);
    return V ? V : "";
  };
  std::string Server = Env("GITHUB_SERVER_URL"), Repo = Env("GITHUB_REPOSITORY"),
              Sha = Env("GITHUB_SHA");
  if (Server.empty() || Repo.empty() || Sha.empty())
    return "";
  return llvm::StringRef(Server).rtrim('/').str() + "/" + Repo + "/blob/" + Sha + "/";
}

void writeMarkdown(llvm::raw_ostream &OS, const ScanResult &R, const ReportContext &Ctx,
                   const MarkdownOptions &MO) {
  const ScanStats &S = R.Stats;
  size_t N = R.Findings.size();
  OS << "## authtoken-migrate: "
     << (N ? plural(N, "finding") : std::string("no legacy authtoken usage")) << "\n\n";

  std::map<Severity, unsigned> BySev;
  unsigned Fixable = 0;
  for (const Finding &F : R.Findings) {
    ++BySev[F.Sev];
    Fixable += F.Fixable;
  }
  std::string Scanned = plural(S.FilesScanned, "file") + " scanned";
  if (N == 0) {
    OS << "No legacy Zoho authtoken usage found (" << Scanned << ", as of " << Ctx.AsOf.str()
       << ").\n";
  } else {
    std::vector<std::string> Parts;
    for (auto It = BySev.rbegin(); It != BySev.rend(); ++It)
      Parts.push_back(fmt::format("{} {}", It->second, severityName(It->first).str()));
    OS << "**" << plural(N, "finding") << "** (" << fmt::format("{}", fmt::join(Parts, ", "))
       << ") · " << Scanned << " · as of " << Ctx.AsOf.str() << "\n";
  }
  std::vector<std::string> Removed;
  if (S.Suppressed)
    Removed.push_back(fmt::format("{} suppressed by inline comments", S.Suppressed));
  if (uint64_t B = S.Baselined)
    Removed.push_back(fmt::format("{} in the baseline", B));
  if (uint64_t D = S.OutsideDiff)
    Removed.push_back(fmt::format("{} outside the changed lines", D));
  if (!Removed.empty())
    OS << "\nNot counted: " << fmt::format("{}", fmt::join(Removed, ", ")) << ".\n";
  if (!S.Problems.empty())
    OS << "\n**" << plural(S.Problems.size(), "problem") << " during the scan** (files that "
       << "could not be read or parsed: see the `problem:` lines of the text report).\n";
  if (N == 0)
    return;

  // Per product and cutoff (a product can have one cutoff per data centre).
  struct Row {
    std::string Product, Cutoff;
    bool Confirmed = true;
    unsigned Count = 0;
    std::optional<bool> Past;
  };
  std::map<std::tuple<std::string, std::string, bool>, Row> Rows;
  for (const Finding &F : R.Findings) {
    Row &Ro = Rows[{F.ProductName, F.Cutoff, F.CutoffConfirmed}];
    Ro.Product = F.ProductName;
    Ro.Cutoff = F.Cutoff;
    Ro.Confirmed = F.CutoffConfirmed;
    Ro.Past = cutoffPassed(F, Ctx.AsOf);
    ++Ro.Count;
  }
  std::vector<Row> Sorted;
  for (auto &[K, Ro] : Rows)
    Sorted.push_back(Ro);
  std::stable_sort(Sorted.begin(), Sorted.end(),
                   [](const Row &A, const Row &B) { return A.Count > B.Count; });
  OS << "\n### By product\n\n"
     << "| Product | Findings | Cutoff | Status | Date confirmed |\n"
     << "|---|--:|---|---|---|\n";
  for (const Row &Ro : Sorted) {
    std::string Status = "–", Confirmed = "–";
    if (Ro.Past) {
      auto C = Date::parse(Ro.Cutoff);
      int64_t Days = C->toDays() - Ctx.AsOf.toDays();
      Status = *Ro.Past ? "**past**" : fmt::format("due in {}", plural(Days, "day"));
      Confirmed = Ro.Confirmed ? "yes" : "no";
    }
    OS << "| " << markdownText(Ro.Product) << " | " << Ro.Count << " | "
       << (Ro.Cutoff.empty() ? std::string("–") : markdownText(Ro.Cutoff)) << " | " << Status
       << " | " << Confirmed << " |\n";
  }

  // The most severe first; within a severity, in report order (path, line).
  std::vector<const Finding *> Top;
  for (const Finding &F : R.Findings)
    Top.push_back(&F);
  std::stable_sort(Top.begin(), Top.end(),
                   [](const Finding *A, const Finding *B) { return A->Sev > B->Sev; });
  size_t Shown = std::min<size_t>(Top.size(), MO.TopFindings);
  OS << "\n### " << (Shown < N ? fmt::format("Top {} findings", Shown) : std::string("Findings"))
     << "\n\n"
     << "| Severity | Location | Rule | Message | Code |\n"
     << "|---|---|---|---|---|\n";
  for (size_t I = 0; I < Shown; ++I) {
    const Finding &F = *Top[I];
    std::string Message = F.Message;
    std::string Cutoff = stableCutoffStatus(F, Ctx.AsOf);
    if (!Cutoff.empty())
      Message += " (" + Cutoff + ")";
    OS << "| " << severityName(F.Sev) << " | " << location(F, MO) << " | "
       << markdownCode(F.RuleId) << " | " << markdownText(Message) << " | "
       << markdownCode(F.LineText.empty() ? F.Snippet : F.LineText) << " |\n";
  }
  if (Shown < N)
    OS << "\n" << plural(N - Shown, "more finding") << " not listed: see the SARIF, JSON or "
       << "CSV report.\n";

  OS << "\n### Automatic fixes\n\n";
  if (Fixable)
    OS << "**" << Fixable << " of " << plural(N, "finding") << "** can be fixed automatically. ";
  else
    OS << "No finding has an automatic fix from the scan. ";
  OS << "`authtoken-migrate fix` prints a patch for the idioms it knows, `authtoken-migrate "
        "fix --write` applies it; C/C++/Objective-C: `authtoken-migrate scan --export-fixes "
        "fixes.yaml` and `clang-apply-replacements`.\n";
}

} // namespace atm
