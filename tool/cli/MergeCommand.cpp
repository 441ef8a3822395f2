//===- MergeCommand.cpp - `authtoken-migrate merge REPORT.json...` --------===//
//
// Combines the per-repository JSON reports of `scan --repos-from` (or any
// `scan --format json` reports) into one report (report/Merge.h), in any format
// `scan` writes. README "Fleet scans".

#include <optional>
#include <string>
#include <vector>

#include "cli/Cli.h"
#include "cli/Commands.h"
#include "report/FormatList.h"
#include "report/Merge.h"
#include "report/ReadJson.h"
#include "report/Report.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/raw_ostream.h"

namespace cl = llvm::cl;
using namespace atm;

namespace {

cl::OptionCategory MergeCat("Merge options");
cl::SubCommand MergeCmd("merge", "Merge the JSON reports of several scans (one "
                                 "per repository) into one report");
cl::list<std::string> Inputs(cl::Positional, cl::desc("REPORT.json..."),
                             cl::OneOrMore, cl::sub(MergeCmd));
cl::opt<std::string> MergeFormat(
    "format",
    cl::desc(
        "Report format: json|sarif|text|junit|markdown|csv|codequality "
        "(to stdout or --output FILE), or a list NAME=FILE[,NAME=FILE...]"),
    cl::init("json"), cl::value_desc("NAME|NAME=FILE,..."), cl::sub(MergeCmd),
    cl::cat(MergeCat));
cl::opt<std::string> MergeOutput(
    "output",
    cl::desc("Write the report to FILE (atomically) instead of stdout"),
    cl::value_desc("FILE"), cl::sub(MergeCmd), cl::cat(MergeCat));
cl::list<std::string> MergeRules(
    "rules",
    cl::desc("Extra rule directory (repeatable): SARIF rule metadata "
             "for rules of your own"),
    cl::value_desc("DIR"), cl::sub(MergeCmd), cl::cat(MergeCat));
cl::opt<std::string> MergeCategory(
    "category",
    cl::desc("SARIF automationDetails.id category (default authtoken-migrate)"),
    cl::init("authtoken-migrate"), cl::value_desc("NAME"), cl::sub(MergeCmd),
    cl::cat(MergeCat));

} // namespace

namespace atm::cli {

bool mergeSelected() { return static_cast<bool>(MergeCmd); }

int runMerge() {
  auto Outputs = parseFormatList(MergeFormat, MergeOutput);
  if (!Outputs)
    return failErr(Outputs.takeError());
  std::vector<MergeInput> In;
  for (const std::string &P : Inputs) {
    auto R = readScanJson(P);
    if (!R)
      return failErr(R.takeError());
    In.push_back({P, std::move(*R)});
  }
  auto M = mergeReports(std::move(In));
  if (!M)
    return failErr(M.takeError());
  for (const std::string &N : M->Notes)
    llvm::errs() << "authtoken-migrate: note: " << N << "\n";
  // Rule metadata (SARIF's rules, text's help) is not needed for JSON: not loaded then.
  std::optional<RuleSet> Rules;
  if (!MergeRules.empty() || llvm::any_of(*Outputs, [](const ReportOutput &O) {
        return O.Format != ReportFormat::Json;
      })) {
    auto Loaded = loadRules(MergeRules);
    if (!Loaded)
      return failErr(Loaded.takeError());
    Rules.emplace(std::move(*Loaded));
  }
  ReportContext Ctx;
  Ctx.ToolVersion = M->ToolVersion.empty() ? ATM_VERSION : M->ToolVersion;
  if (auto D = Date::parse(M->AsOf))
    Ctx.AsOf = *D;
  Ctx.Rules = Rules ? &*Rules : nullptr;
  Ctx.Category = llvm::StringRef(MergeCategory).rtrim('/').str();
  if (Ctx.Category.empty())
    return fail("--category: expected a name such as 'authtoken-migrate' or "
                "'zoho/backend'");
  Ctx.Repos = M->Repos;
  EmitOptions EO;
  if (auto E = emitReports(*Outputs, M->Result, Ctx, EO, llvm::outs()))
    return failErr(std::move(E));
  return 0;
}

} // namespace atm::cli
