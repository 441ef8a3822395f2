#pragma once
/// \file
/// The migration report of `authtoken-migrate report`: one self-contained HTML file (inline
/// CSS, inline SVG charts, a small inline script for sortable and filterable tables that
/// degrade to static tables without JavaScript; no external resource of any kind) and the
/// same report as GitHub-flavoured Markdown for repository wikis. Pure formatting of a
/// ScanResult onto a raw_ostream. Everything copied from a finding is escaped; snippets are
/// the redacted ones (Finding::Snippet), never a raw token. README "Migration report".

#include <string>
#include <vector>

#include "core/Text.h"
#include "report/Report.h"
#include "scan/Scanner.h"
#include "llvm/Support/raw_ostream.h"

namespace atm {

struct HtmlReportOptions {
  Date AsOf;               ///< deadlines are counted against this date
  std::string ToolVersion; ///< shown in the footer
  std::string Root;        ///< the scan root (its last component is shown; "" = none)
  /// Web base of the files (`--repo-url`, e.g. https://github.com/org/repo/blob/<sha>/):
  /// links become RepoUrl + path + "#L" + line. Only http(s) URLs are used (anything
  /// else is ignored: no javascript: links). Empty: links are local relative paths.
  std::string RepoUrl;
  /// With no RepoUrl: what local links start with (the scan root as seen from the
  /// report's directory, "" or ending in '/').
  std::string LocalBase;
  std::string Title = "Zoho authtoken migration report";
  /// One row per repository of a fleet report (`merge` fills these, report/Report.h
  /// RepoTotals): the per-repository table, shown when not empty.
  std::vector<RepoTotals> Repos;
};

/// The HTML report (README "Migration report" lists its sections).
void writeHtmlReport(llvm::raw_ostream &OS, const ScanResult &R, const HtmlReportOptions &O);

/// The same report as GitHub-flavoured Markdown (charts become tables).
void writeMarkdownReport(llvm::raw_ostream &OS, const ScanResult &R, const HtmlReportOptions &O);

} // namespace atm
