#include "report/FormatList.h"

#include <map>

#include "core/AtomicWrite.h"
#include "report/Html.h"
#include "core/Yaml.h"
#include "fmt/format.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

namespace atm {

namespace {

constexpr ReportFormatInfo Formats[] = {
    {ReportFormat::Text, "text", "clang-style diagnostics and a summary"},
    {ReportFormat::Json, "json", "versioned JSON (README: JSON output)"},
    {ReportFormat::Sarif, "sarif", "SARIF 2.1.0 (GitHub code scanning)"},
    {ReportFormat::JUnit, "junit", "JUnit XML, one testcase per finding (CI test tabs)"},
    {ReportFormat::Markdown, "markdown", "Markdown summary (PR comments, $GITHUB_STEP_SUMMARY)"},
    {ReportFormat::Csv, "csv", "CSV, one row per finding (RFC 4180)"},
    {ReportFormat::CodeQuality, "codequality", "GitLab Code Quality JSON"},
    {ReportFormat::Html, "html", "self-contained HTML migration report (README: Migration report)"},
};

llvm::Error usage(const llvm::Twine &Msg) {
  return llvm::createStringError(std::errc::invalid_argument, "%s", Msg.str().c_str());
}

std::string formatNames() {
  std::vector<std::string> Names;
  for (const ReportFormatInfo &I : Formats)
    Names.push_back(I.Name.str());
  return fmt::format("{}", fmt::join(Names, ", "));
}

llvm::Expected<ReportFormat> lookup(llvm::StringRef Name) {
  for (const ReportFormatInfo &I : Formats)
    if (I.Name == Name)
      return I.Format;
  std::vector<llvm::StringRef> Known;
  for (const ReportFormatInfo &I : Formats)
    Known.push_back(I.Name);
  std::string Lower = Name.lower();
  return usage("--format: unknown format '" + Name + "'" + didYouMean(Lower, Known) +
               " (formats: " + formatNames() + ")");
}

/// The file as an absolute path without . and .., to tell two spellings of one file.
std::string normalised(llvm::StringRef File) {
  llvm::SmallString<256> P(File);
  llvm::sys::fs::make_absolute(P);
  llvm::sys::path::remove_dots(P, true);
  return std::string(P);
}

} // namespace

llvm::ArrayRef<ReportFormatInfo> reportFormats() { return Formats; }

llvm::StringRef reportFormatName(ReportFormat F) {
  for (const ReportFormatInfo &I : Formats)
    if (I.Format == F)
      return I.Name;
  return "text";
}

llvm::Expected<std::vector<ReportOutput>> parseFormatList(llvm::StringRef Spec,
                                                          llvm::StringRef OutputFile) {
  Spec = Spec.trim();
  std::vector<ReportOutput> Out;
  if (!Spec.contains('=') && !Spec.contains(',')) {
    auto F = lookup(Spec);
    if (!F)
      return F.takeError();
    Out.push_back({*F, OutputFile.empty() ? std::string("-") : OutputFile.str()});
    return Out;
  }
  if (!OutputFile.empty())
    return usage("--output goes with a single --format NAME; a --format NAME=FILE list "
                 "names each report's file (drop --output)");
  llvm::SmallVector<llvm::StringRef, 8> Entries;
  Spec.split(Entries, ',');
  std::map<ReportFormat, std::string> SeenFormat;     // format -> its entry
  std::map<std::string, std::string> SeenFile;        // normalised file -> its entry
  std::string StdoutEntry;
  for (llvm::StringRef E : Entries) {
    E = E.trim();
    if (E.empty())
      return usage("--format: empty entry in '" + Spec +
                   "'; expected NAME=FILE[,NAME=FILE...] (FILE '-' = stdout)");
    auto [Name, File] = E.split('=');
    Name = Name.trim();
    File = File.trim();
    if (!E.contains('='))
      return usage("--format: '" + E + "' in a list needs a file: " + E +
                   "=FILE (or " + E + "=- for stdout)");
    if (Name.empty())
      return usage("--format: '" + E + "' has no format name; expected NAME=FILE");
    auto F = lookup(Name);
    if (!F)
      return F.takeError();
    if (File.empty())
      return usage("--format: '" + E + "' has no file; expected " + Name +
                   "=FILE (or " + Name + "=- for stdout)");
    auto Prev = SeenFormat.find(*F);
    if (Prev != SeenFormat.end())
      return usage("--format: '" + Name + "' is given twice (" + Prev->second + ", " + E +
                   "); give each format once");
    SeenFormat[*F] = E.str();
    if (File == "-") {
      if (!StdoutEntry.empty())
        return usage("--format: standard output ('-') is given twice (" + StdoutEntry +
                     ", " + E + "); at most one report goes to stdout");
      StdoutEntry = E.str();
    } else {
      std::string Key = normalised(File);
      auto PrevFile = SeenFile.find(Key);
      if (PrevFile != SeenFile.end())
        return usage("--format: '" + File + "' is given twice (" + PrevFile->second + ", " +
                     E + "); give each report its own file");
      SeenFile[Key] = E.str();
    }
    Out.push_back({*F, File.str()});
  }
  return Out;
}

void renderReport(llvm::raw_ostream &OS, ReportFormat F, const ScanResult &R,
                  const ReportContext &Ctx, const MarkdownOptions &MO) {
  switch (F) {
  case ReportFormat::Text: writeText(OS, R, Ctx); return;
  case ReportFormat::Json: writeJson(OS, R, Ctx); return;
  case ReportFormat::Sarif: writeSarif(OS, R, Ctx); return;
  case ReportFormat::JUnit: writeJUnit(OS, R, Ctx); return;
  case ReportFormat::Markdown: writeMarkdown(OS, R, Ctx, MO); return;
  case ReportFormat::Csv: writeCsv(OS, R, Ctx); return;
  case ReportFormat::CodeQuality: writeCodeQuality(OS, R, Ctx); return;
  case ReportFormat::Html: {
    // Links are relative to the scan root (a fleet report has none: paths start with the
    // repository name); `report` itself offers --repo-url and a report-relative base.
    HtmlReportOptions HO;
    HO.AsOf = Ctx.AsOf;
    HO.ToolVersion = Ctx.ToolVersion;
    HO.Root = Ctx.Root;
    HO.Repos = Ctx.Repos;
    writeHtmlReport(OS, R, HO);
    return;
  }
  }
}

llvm::Error emitReports(llvm::ArrayRef<ReportOutput> Outputs, const ScanResult &R,
                        const ReportContext &Ctx, const EmitOptions &EO,
                        llvm::raw_ostream &Stdout) {
  // Render everything first: nothing is written unless every report exists.
  std::vector<std::string> Content(Outputs.size());
  for (size_t I = 0; I < Outputs.size(); ++I) {
    const ReportOutput &O = Outputs[I];
    ReportContext C = Ctx;
    C.Color = O.Format == ReportFormat::Text &&
              (O.toStdout() ? EO.ColorStdoutText : EO.ColorFileText);
    llvm::raw_string_ostream OS(Content[I]);
    if (C.Color)
      OS.enable_colors(true);
    renderReport(OS, O.Format, R, C, EO.Markdown);
    OS.flush();
  }
  std::vector<AtomicFile> Files;
  const std::string *ToStdout = nullptr;
  for (size_t I = 0; I < Outputs.size(); ++I) {
    if (Outputs[I].toStdout())
      ToStdout = &Content[I];
    else
      Files.push_back({Outputs[I].File, Content[I]});
  }
  if (!Files.empty()) {
    AtomicWriteOptions AO;
    AO.TempModel = EO.TempModel;
    if (llvm::Error E = writeFilesAtomically(std::move(Files), AO))
      return E;
  }
  if (ToStdout) {
    Stdout << *ToStdout;
    Stdout.flush();
  }
  return llvm::Error::success();
}

} // namespace atm
