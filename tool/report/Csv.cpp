//===- Csv.cpp - CSV report (RFC 4180) ------------------------------------===//
//
// One row per finding, CRLF line ends, fields quoted only when they must be. Cells that
// a spreadsheet would evaluate (starting with = + - @, tab or CR) get a leading ' (CSV
// formula injection); report/ReportText.h csvField.

#include "fmt/format.h"
#include "report/CiReports.h"
#include "report/ReportText.h"

namespace atm {

llvm::StringRef csvHeader() {
  return "path,line,column,end_line,end_column,rule,severity,product,data_centre,cutoff,"
         "status,fixable,fingerprint,message";
}

void writeCsv(llvm::raw_ostream &OS, const ScanResult &R, const ReportContext &Ctx) {
  (void)Ctx;
  OS << csvHeader() << "\r\n";
  for (const Finding &F : R.Findings) {
    std::string Status = F.Status;
    if (!F.Cutoff.empty() && !F.CutoffConfirmed)
      Status += ", date unconfirmed";
    OS << csvField(F.Path) << ',' << F.Begin.Line << ',' << F.Begin.Column << ','
       << F.End.Line << ',' << F.End.Column << ',' << csvField(F.RuleId) << ','
       << severityName(F.Sev) << ',' << csvField(F.ProductName) << ','
       << csvField(F.DataCentre) << ',' << csvField(F.Cutoff) << ',' << csvField(Status)
       << ',' << (F.Fixable ? "true" : "false") << ',' << csvField(F.Fingerprint) << ','
       << csvField(F.Message) << "\r\n";
  }
}

} // namespace atm
