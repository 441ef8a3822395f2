#pragma once
/// \file
/// `scan --format`: one format name (the report goes to stdout or --output FILE), or a
/// comma list NAME=FILE[,NAME=FILE...] writing each report to its file, `-` = stdout.
/// Every report is rendered before any file is written, and the files are written
/// together through temporary files (core/AtomicWrite.h): an error writes nothing.

#include <string>
#include <vector>

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Error.h"
#include "report/CiReports.h"

namespace atm {

enum class ReportFormat { Text, Json, Sarif, JUnit, Markdown, Csv, CodeQuality, Html };

struct ReportFormatInfo {
  ReportFormat Format;
  llvm::StringRef Name;
  llvm::StringRef Description;
};

/// Every format, in the order --help and the README list them.
llvm::ArrayRef<ReportFormatInfo> reportFormats();
llvm::StringRef reportFormatName(ReportFormat F);

/// One report to write. File "-" is standard output.
struct ReportOutput {
  ReportFormat Format = ReportFormat::Text;
  std::string File = "-";
  bool toStdout() const { return File == "-"; }
};

/// Parses \p Spec (the --format value) with \p OutputFile (the --output value, "" when
/// not given). Errors (usage, exit 2): an unknown name (with "did you mean"), a name or a
/// file given twice, two `-`, an empty NAME or FILE, a list entry without `=FILE`, and
/// --output together with a NAME=FILE list.
llvm::Expected<std::vector<ReportOutput>> parseFormatList(llvm::StringRef Spec,
                                                          llvm::StringRef OutputFile);

struct EmitOptions {
  bool ColorStdoutText = false; ///< colour text written to stdout
  bool ColorFileText = false;   ///< colour text written to a file (--color always)
  MarkdownOptions Markdown;
  /// Temporary file names for the atomic writes (AtomicWriteOptions::TempModel).
  std::string TempModel = ".authtoken-migrate-%%%%%%.tmp";
};

/// Renders one report.
void renderReport(llvm::raw_ostream &OS, ReportFormat F, const ScanResult &R,
                  const ReportContext &Ctx, const MarkdownOptions &MO = {});

/// Renders every report of \p Outputs, then writes all files at once (temporary files,
/// then renames), then the stdout report to \p Stdout. On an error nothing is written.
llvm::Error emitReports(llvm::ArrayRef<ReportOutput> Outputs, const ScanResult &R,
                        const ReportContext &Ctx, const EmitOptions &EO,
                        llvm::raw_ostream &Stdout);

} // namespace atm
