#pragma once
/// \file
/// Report writers for CI systems: JUnit XML (test tabs), Markdown (PR comments and
/// $GITHUB_STEP_SUMMARY), CSV (RFC 4180, spreadsheets) and GitLab Code Quality JSON.
/// Like Report.h: pure formatting of a ScanResult onto a raw_ostream, no other I/O.
/// Every writer uses the redacted snippet and line text, never the source.

#include <string>

#include "report/Report.h"

namespace atm {

/// Where Markdown finding links point.
struct MarkdownOptions {
  /// "https://github.com/OWNER/REPO/blob/SHA/": each finding links to BlobBase + its
  /// percent-encoded path + "#L<line>". Empty: the finding shows "path:line" unlinked.
  std::string BlobBase;
  /// Findings listed (most severe first).
  unsigned TopFindings = 20;
};

/// The BlobBase for GitHub Actions: GITHUB_SERVER_URL + "/" + GITHUB_REPOSITORY +
/// "/blob/" + GITHUB_SHA + "/" when all three are set and not empty, else "".
std::string githubBlobBase();

/// JUnit XML: <testsuites> with one <testsuite> per file holding findings (name = the
/// root-relative path) and one failing <testcase> per finding (classname = the path,
/// name = "RULE-ID line N"); a clean scan is one suite with one passing testcase.
void writeJUnit(llvm::raw_ostream &OS, const ScanResult &R, const ReportContext &Ctx);

/// Markdown summary: title, totals, per-product table, top findings, fixable count.
void writeMarkdown(llvm::raw_ostream &OS, const ScanResult &R, const ReportContext &Ctx,
                   const MarkdownOptions &MO = {});

/// CSV with the header row of csvHeader(), CRLF line ends (RFC 4180).
void writeCsv(llvm::raw_ostream &OS, const ScanResult &R, const ReportContext &Ctx);
llvm::StringRef csvHeader();

/// GitLab Code Quality: a JSON array of {description, check_name, fingerprint, severity,
/// location: {path, lines: {begin}}}; severities note/warning/error/critical map to
/// info/minor/major/critical.
void writeCodeQuality(llvm::raw_ostream &OS, const ScanResult &R, const ReportContext &Ctx);
llvm::StringRef codeQualitySeverity(Severity S);

} // namespace atm
