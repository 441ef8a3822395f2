//===- Html.cpp - the self-contained HTML migration report ----------------===//
//
// One HTML file with everything inline: CSS (light and dark, print), SVG charts and a
// small script that makes tables sortable and filterable (without JavaScript they stay
// static tables). A Content-Security-Policy of default-src 'none' makes the browser refuse
// any load the page could still attempt. Every piece of text from a finding (paths,
// messages, snippets, notes) is escaped with xmlEscape (report/ReportText.h) and
// redacted again with redactSecrets, whatever the scan's --show-secrets.

#include "report/Html.h"

#include <algorithm>
#include <cmath>

#include "core/Redact.h"
#include "core/ScopeSummary.h"
#include "fmt/format.h"
#include "report/MigrationModel.h"
#include "report/Report.h"
#include "report/ReportText.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Path.h"

namespace atm {

using namespace report;

namespace {

std::string esc(llvm::StringRef S) { return xmlEscape(S, /*Attribute=*/true); }

/// Redacted (again) and cut to \p Max bytes at a UTF-8 boundary with an ellipsis.
std::string shown(llvm::StringRef S, size_t Max = 600) {
  std::string T = redactSecrets(S);
  if (T.size() <= Max)
    return T;
  size_t K = Max;
  while (K > 0 && (static_cast<unsigned char>(T[K]) & 0xC0) == 0x80)
    --K;
  return T.substr(0, K) + "\xE2\x80\xA6";
}

bool webUrl(llvm::StringRef U) {
  return U.startswith_insensitive("https://") || U.startswith_insensitive("http://");
}

/// The link of a file (and line): RepoUrl + path + #L<line>, or a local relative path.
std::string href(const HtmlReportOptions &O, llvm::StringRef Path, unsigned Line) {
  if (webUrl(O.RepoUrl)) {
    std::string Base = O.RepoUrl;
    if (!llvm::StringRef(Base).endswith("/"))
      Base += "/";
    return Base + percentEncodePath(Path) + (Line ? fmt::format("#L{}", Line) : "");
  }
  return percentEncodePath(O.LocalBase) + percentEncodePath(Path);
}

const char *Css = R"css(
:root{--fg:#1b1f24;--bg:#fff;--muted:#57606a;--line:#d0d7de;--card:#f6f8fa;--accent:#0969da;
--past:#cf222e;--due:#bf8700;--none:#8c959f;--ok:#1a7f37;--critical:#a40e26;--error:#cf222e;
--warning:#bf8700;--note:#0969da;color-scheme:light dark}
@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--bg:#0d1117;--muted:#9198a1;--line:#30363d;
--card:#161b22;--accent:#4493f8;--past:#f85149;--due:#d29922;--none:#6e7681;--ok:#3fb950;
--critical:#ff7b72;--error:#f85149;--warning:#d29922;--note:#4493f8}}
*{box-sizing:border-box}
body{margin:0 auto;max-width:72rem;padding:1.5rem;font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--fg);background:var(--bg)}
a{color:var(--accent)}
h1{font-size:1.7rem;margin:.2rem 0 .4rem}h2{margin-top:2.2rem;border-bottom:1px solid var(--line);padding-bottom:.2rem}
.meta{color:var(--muted)}
.cards{display:flex;flex-wrap:wrap;gap:.8rem;margin:1rem 0}
.card{background:var(--card);border:1px solid var(--line);border-radius:6px;padding:.6rem .9rem;min-width:9rem}
.card b{display:block;font-size:1.5rem}
.verdict-past{color:var(--past);font-weight:600}.verdict-due{color:var(--due);font-weight:600}
table{border-collapse:collapse;width:100%;margin:.6rem 0 1.2rem;font-size:.92rem}
caption{text-align:left;font-weight:600;padding:.3rem 0}
th,td{border:1px solid var(--line);padding:.3rem .5rem;text-align:left;vertical-align:top}
thead th{background:var(--card)}
td.num,th.num{text-align:right}td.date{white-space:nowrap}
pre,code{font:.85rem/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
pre{margin:0;white-space:pre-wrap;word-break:break-all;background:var(--card);padding:.2rem .4rem;border-radius:4px}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(26rem,1fr));gap:1rem}
figure{margin:0;background:var(--card);border:1px solid var(--line);border-radius:6px;padding:.6rem}
figcaption{font-weight:600;margin-bottom:.3rem}
svg{width:100%;height:auto;display:block}
svg text{fill:var(--fg);font:12px system-ui,sans-serif}
svg .axis{stroke:var(--muted)}svg .grid{stroke:var(--line)}
.b-default{fill:var(--accent)}.b-past{fill:var(--past)}.b-due{fill:var(--due)}.b-none{fill:var(--none)}
.b-ok{fill:var(--ok)}.b-critical{fill:var(--critical)}.b-error{fill:var(--error)}.b-warning{fill:var(--warning)}.b-note{fill:var(--note)}
.asof{stroke:var(--accent);stroke-dasharray:4 3;stroke-width:2}
.sev-critical,.sev-error{color:var(--error);font-weight:600}
.fix-auto{color:var(--ok)}.fix-manual{color:var(--due)}
button.sort{all:unset;cursor:pointer;font-weight:600}button.sort::after{content:" \2195";color:var(--muted)}
th[aria-sort=ascending] button.sort::after{content:" \2191"}th[aria-sort=descending] button.sort::after{content:" \2193"}
button.sort:focus-visible{outline:2px solid var(--accent)}
input.filter{display:block;margin:.4rem 0 0;padding:.3rem .5rem;width:20rem;max-width:100%;color:var(--fg);background:var(--bg);border:1px solid var(--line);border-radius:4px}
.steps li{margin:.3rem 0}.steps code{overflow-wrap:anywhere}
footer{margin-top:3rem;color:var(--muted);font-size:.85rem}
@media print{body{max-width:none;padding:0;font-size:11pt;color:#000;background:#fff}
input.filter{display:none}button.sort::after{content:""}
a{color:#000;text-decoration:none}.charts{display:block}figure{break-inside:avoid;margin-bottom:.6rem}
tr,pre{break-inside:avoid}h2,h3{break-after:avoid}}
)css";

// Sortable (every table.sortable: a button per header cell, aria-sort kept current) and
// filterable (table.filterable: a search field above it hides rows that do not contain
// the text). Marks <html data-js="ready"> once it ran.
const char *Script = R"js(
(function(){
'use strict';
var each=function(l,f){Array.prototype.forEach.call(l,f);};
function key(r,i){var c=r.cells[i];if(!c)return '';var v=c.getAttribute('data-sort');return v!==null?v:c.textContent.trim();}
function sortBy(t,i,th){
 var asc=th.getAttribute('aria-sort')!=='ascending';
 each(th.parentNode.cells,function(c){c.setAttribute('aria-sort','none');});
 th.setAttribute('aria-sort',asc?'ascending':'descending');
 var body=t.tBodies[0],rows=Array.prototype.slice.call(body.rows);
 rows.sort(function(a,b){var x=key(a,i),y=key(b,i),nx=Number(x),ny=Number(y);
  var c=(x!==''&&y!==''&&!isNaN(nx)&&!isNaN(ny))?nx-ny:x.localeCompare(y);return asc?c:-c;});
 each(rows,function(r){body.appendChild(r);});
}
var n=0;
each(document.querySelectorAll('table.sortable'),function(t){
 if(!t.tHead||!t.tBodies.length)return;
 n++;
 each(t.tHead.rows[0].cells,function(th,i){
  var b=document.createElement('button');b.type='button';b.className='sort';
  while(th.firstChild)b.appendChild(th.firstChild);
  th.appendChild(b);th.setAttribute('aria-sort','none');
  b.addEventListener('click',function(){sortBy(t,i,th);});
 });
 if(t.classList.contains('filterable')){
  var f=document.createElement('input');f.type='search';f.className='filter';
  f.placeholder='Filter rows';
  f.setAttribute('aria-label','Filter: '+(t.caption?t.caption.textContent:'table'));
  t.parentNode.insertBefore(f,t);
  f.addEventListener('input',function(){var q=f.value.toLowerCase();
   each(t.tBodies[0].rows,function(r){r.hidden=q!==''&&r.textContent.toLowerCase().indexOf(q)<0;});});
 }
});
document.documentElement.setAttribute('data-js','ready');
document.documentElement.setAttribute('data-sortable-tables',String(n));
})();
)js";

struct Bar {
  std::string Label;
  unsigned Value = 0;
  std::string Class = "b-default";
};

/// A horizontal bar chart: role="img" with a <title> and a <desc> listing every value.
void barChart(llvm::raw_ostream &OS, llvm::StringRef Id, llvm::StringRef Title,
              const std::vector<Bar> &Bars) {
  const int W = 560, Label = 200, RowH = 24, Top = 6;
  int H = Top * 2 + RowH * std::max<size_t>(Bars.size(), 1);
  unsigned Max = 1;
  std::vector<std::string> Desc;
  for (const Bar &B : Bars) {
    Max = std::max(Max, B.Value);
    Desc.push_back(fmt::format("{}: {}", B.Label, B.Value));
  }
  OS << "<figure><figcaption id=\"" << Id << "-c\">" << esc(Title) << "</figcaption>\n"
     << "<svg role=\"img\" aria-labelledby=\"" << Id << "-t " << Id << "-d\" viewBox=\"0 0 " << W
     << " " << H << "\" preserveAspectRatio=\"xMinYMin meet\">"
     << "<title id=\"" << Id << "-t\">" << esc(Title) << "</title><desc id=\"" << Id << "-d\">"
     << esc(Desc.empty() ? std::string("no data") : llvm::join(Desc, "; ")) << "</desc>\n";
  if (Bars.empty())
    OS << "<text x=\"4\" y=\"" << Top + 16 << "\">none</text>\n";
  int Y = Top;
  for (const Bar &B : Bars) {
    double Len = (W - Label - 50) * double(B.Value) / Max;
    std::string L = B.Label;
    if (L.size() > 30) { // keep the start and the end of long labels (paths)
      size_t Cut = L.size() - 14;
      while (Cut < L.size() && (static_cast<unsigned char>(L[Cut]) & 0xC0) == 0x80)
        ++Cut;
      size_t Head = 14;
      while (Head > 0 && (static_cast<unsigned char>(L[Head]) & 0xC0) == 0x80)
        --Head;
      L = L.substr(0, Head) + "\xE2\x80\xA6" + L.substr(Cut);
    }
    OS << fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"end\">", Label - 6, Y + 16) << esc(L)
       << "</text>"
       << fmt::format(
              "<rect class=\"{}\" x=\"{}\" y=\"{}\" width=\"{:.1f}\" height=\"{}\" rx=\"2\"/>",
              B.Class, Label, Y + 3, std::max(Len, B.Value ? 1.0 : 0.0), RowH - 6)
       << fmt::format("<text x=\"{:.1f}\" y=\"{}\">{}</text>\n", Label + Len + 4, Y + 16, B.Value);
    Y += RowH;
  }
  OS << "</svg></figure>\n";
}

/// Auto-fixable vs manual as one stacked bar with its legend.
void fixChart(llvm::raw_ostream &OS, const Model &M) {
  const int W = 560, H = 74;
  unsigned Manual = M.Total - M.Fixable;
  double Total = std::max(1u, M.Total);
  double FW = (W - 20) * M.Fixable / Total;
  std::string Desc = fmt::format("{} auto-fixable, {} need a person", M.Fixable, Manual);
  OS << "<figure><figcaption>Auto-fixable vs manual</figcaption>\n"
     << "<svg role=\"img\" aria-labelledby=\"ch-fix-t ch-fix-d\" viewBox=\"0 0 " << W << " " << H
     << "\"><title id=\"ch-fix-t\">Auto-fixable vs manual findings</title><desc id=\"ch-fix-d\">"
     << esc(Desc) << "</desc>\n"
     << fmt::format("<rect class=\"b-ok\" x=\"10\" y=\"8\" width=\"{:.1f}\" height=\"26\"/>", FW)
     << fmt::format("<rect class=\"b-due\" x=\"{:.1f}\" y=\"8\" width=\"{:.1f}\" height=\"26\"/>\n",
                    10 + FW, (W - 20) - FW)
     << "<rect class=\"b-ok\" x=\"10\" y=\"48\" width=\"12\" height=\"12\"/>"
     << fmt::format("<text x=\"28\" y=\"59\">auto-fixable: {} ({:.0f}%)</text>", M.Fixable,
                    100.0 * M.Fixable / Total)
     << "<rect class=\"b-due\" x=\"300\" y=\"48\" width=\"12\" height=\"12\"/>"
     << fmt::format("<text x=\"318\" y=\"59\">manual: {} ({:.0f}%)</text>\n", Manual,
                    100.0 * Manual / Total)
     << "</svg></figure>\n";
}

/// The products' cutoffs on a time axis with the as-of date marked.
void timelineChart(llvm::raw_ostream &OS, const Model &M) {
  const int W = 560, Left = 16, Right = 16, RowH = 20, Top = 24;
  size_t Rows = std::max<size_t>(M.Timeline.size(), 1);
  int AxisY = Top + RowH * Rows + 6, H = AxisY + 28;
  int64_t AsOf = M.AsOf.toDays(), Lo = AsOf, Hi = AsOf;
  for (const auto &T : M.Timeline)
    if (auto D = Date::parse(T.Date)) {
      Lo = std::min(Lo, D->toDays());
      Hi = std::max(Hi, D->toDays());
    }
  // Whole years, at least one on each side of the extremes.
  int Y0 = Date::fromDays(Lo).Year, Y1 = Date::fromDays(Hi).Year + 1;
  int64_t D0 = Date{Y0, 1, 1}.toDays(), D1 = Date{Y1, 1, 1}.toDays();
  auto X = [&](int64_t D) {
    return Left + double(W - Left - Right) * double(D - D0) / double(D1 - D0);
  };
  std::vector<std::string> Desc;
  for (const auto &T : M.Timeline)
    Desc.push_back(T.Label + ": " + T.Date + (T.Past ? " (past)" : " (ahead)"));
  Desc.push_back("as of " + M.AsOf.str());
  OS << "<figure><figcaption>Cutoff timeline</figcaption>\n"
     << "<svg role=\"img\" aria-labelledby=\"ch-time-t ch-time-d\" viewBox=\"0 0 " << W << " " << H
     << "\"><title id=\"ch-time-t\">Cutoff dates of the products found, with the as-of date"
     << "</title><desc id=\"ch-time-d\">" << esc(llvm::join(Desc, "; ")) << "</desc>\n";
  OS << fmt::format("<line class=\"axis\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>\n", Left, AxisY,
                    W - Right, AxisY);
  int Step = (Y1 - Y0) > 8 ? 2 : 1;
  for (int Y = Y0; Y <= Y1; Y += Step) {
    double XX = X(Date{Y, 1, 1}.toDays());
    OS << fmt::format("<line class=\"grid\" x1=\"{0:.1f}\" y1=\"{1}\" x2=\"{0:.1f}\" y2=\"{2}\"/>"
                      "<text x=\"{0:.1f}\" y=\"{3}\" text-anchor=\"middle\">{4}</text>\n",
                      XX, Top - 4, AxisY + 4, AxisY + 18, Y);
  }
  double AX = X(AsOf);
  OS << fmt::format("<line class=\"asof\" x1=\"{0:.1f}\" y1=\"{1}\" x2=\"{0:.1f}\" y2=\"{2}\"/>"
                    "<text x=\"{0:.1f}\" y=\"{3}\" text-anchor=\"{4}\">as of {5}</text>\n",
                    AX, Top - 10, AxisY, Top - 12, AX > W / 2 ? "end" : "start", M.AsOf.str());
  int Y = Top;
  if (M.Timeline.empty())
    OS << fmt::format("<text x=\"{}\" y=\"{}\">no cutoff date known for these findings</text>\n",
                      Left + 4, Top + 14);
  for (const auto &T : M.Timeline) {
    auto D = Date::parse(T.Date);
    double XX = X(D ? D->toDays() : AsOf);
    bool LabelLeft = XX > W / 2;
    OS << fmt::format("<circle class=\"{}\" cx=\"{:.1f}\" cy=\"{}\" r=\"5\"/>",
                      T.Past ? "b-past" : "b-due", XX, Y + 10)
       << fmt::format("<text x=\"{:.1f}\" y=\"{}\" text-anchor=\"{}\">",
                      LabelLeft ? XX - 9 : XX + 9, Y + 14, LabelLeft ? "end" : "start")
       << esc(T.Label + " " + T.Date + (T.Confirmed ? "" : " (unconfirmed)")) << "</text>\n";
    Y += RowH;
  }
  OS << "</svg></figure>\n";
}

std::string sevClass(Severity S) { return "b-" + severityName(S).str(); }

void writeScopeSteps(llvm::raw_ostream &OS, const Model &M) {
  for (const DcHosts &D : M.Dcs) {
    // The scopes of this data centre's findings; SCOPES stands for the ones to look up.
    std::string Scope = D.Scopes.empty() ? std::string("SCOPES") : scopeString(D.Scopes);
    OS << "<h3>Data centre <code>" << esc(D.Id) << "</code>: " << esc(D.Console) << "</h3>\n"
       << "<ol class=\"steps\">\n"
       << "<li>Sign in at <code>https://" << esc(D.Console) << "</code> as the Zoho user the "
       << "integration acts for (its data and permissions are what the token gets).</li>\n"
       << "<li>Add a client. <strong>Self Client</strong>: a server job or script working on "
          "your own organisation's data; no redirect URI, the code comes from the console. "
          "<strong>Server-based Applications</strong>: a web application acting for other "
          "users; it needs a redirect URI (Authorized Redirect URI).</li>\n"
       << "<li>Get a grant code for the scope string <code>" << esc(Scope) << "</code>.\n"
       << "<ul><li>Self Client: the <em>Generate Code</em> tab, paste the scope string, pick the "
          "time duration (3 to 10 minutes) and a description, <em>Create</em>, copy the code."
          "</li>\n"
       << "<li>Server-based: send the user to <code>https://" << esc(D.Accounts)
       << "/oauth/v2/auth?response_type=code&amp;client_id=CLIENT_ID&amp;scope=" << esc(Scope)
       << "&amp;redirect_uri=REDIRECT_URI&amp;access_type=offline&amp;prompt=consent</code>; "
          "the code arrives on the redirect URI. <code>access_type=offline</code> is what adds a "
          "refresh token, <code>prompt=consent</code> issues a new one even when the user "
          "consented before.</li></ul></li>\n"
       << "<li>Before the code expires, exchange it:\n<pre>curl -X POST https://" << esc(D.Accounts)
       << "/oauth/v2/token \\\n  -d grant_type=authorization_code -d client_id=CLIENT_ID \\\n"
          "  -d client_secret=CLIENT_SECRET -d code=CODE\n"
          "  # server-based clients also: -d redirect_uri=REDIRECT_URI</pre>\n"
          "The answer's <code>refresh_token</code> is the long-lived credential (it does not "
          "expire until revoked; access tokens last an hour and the helpers refresh them).</li>\n"
       << "<li>Give the helpers (<code>authtoken-migrate helper</code>) their settings in the "
          "environment or your secret store, never in the source: ";
    bool First = true;
    for (const char *V : HelperEnvVars) {
      OS << (First ? "" : ", ") << "<code>" << V
         << (llvm::StringRef(V) == "ZOHO_DC" ? "=" + esc(D.Id) : std::string()) << "</code>";
      First = false;
    }
    OS << ".</li>\n</ol>\n";
  }
}

} // namespace

void writeHtmlReport(llvm::raw_ostream &OS, const ScanResult &R, const HtmlReportOptions &O) {
  Model M = buildModel(R, O.AsOf);
  std::string Title = O.Title.empty() ? std::string("Zoho authtoken migration report") : O.Title;
  OS << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
     << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
     << "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
        "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
        "form-action 'none'\">\n"
     << "<meta name=\"generator\" content=\"authtoken-migrate " << esc(O.ToolVersion) << "\">\n"
     << "<title>" << esc(Title) << "</title>\n<style>" << Css << "</style>\n</head>\n<body>\n"
     << "<header>\n<h1>" << esc(Title) << "</h1>\n<p class=\"meta\">As of <time datetime=\""
     << M.AsOf.str() << "\">" << M.AsOf.str() << "</time>";
  if (!O.Root.empty()) // the directory's name only: no machine path in a shared report
    OS << " · <code>" << esc(llvm::sys::path::filename(O.Root)) << "</code>";
  OS << " · " << plural(M.FilesScanned, "file") << " scanned</p>\n</header>\n<main>\n";

  // --- Summary --------------------------------------------------------------------------
  OS << "<section id=\"summary\" aria-labelledby=\"h-summary\">\n<h2 "
        "id=\"h-summary\">Summary</h2>\n";
  unsigned Critical = 0;
  for (auto &[S, N] : M.BySeverity)
    if (S == Severity::Critical)
      Critical = N;
  OS << "<div class=\"cards\">\n"
     << "<div class=\"card\" data-total=\"findings\"><b>" << M.Total << "</b>findings</div>\n"
     << "<div class=\"card\" data-total=\"files\"><b>" << M.FilesWithFindings
     << "</b>files with findings</div>\n"
     << "<div class=\"card\" data-total=\"past\"><b>" << M.Past << "</b>past their cutoff</div>\n"
     << "<div class=\"card\" data-total=\"due\"><b>" << M.Due << "</b>cutoff ahead</div>\n"
     << "<div class=\"card\" data-total=\"fixable\"><b>" << M.Fixable << "</b>auto-fixable</div>\n"
     << "<div class=\"card\" data-total=\"manual\"><b>" << M.Total - M.Fixable
     << "</b>need a person</div>\n"
     << "<div class=\"card\" data-total=\"revoke\"><b>" << M.Revoke.size()
     << "</b>hard-coded tokens</div>\n</div>\n";
  if (M.Total == 0) {
    OS << "<p id=\"verdict\">No legacy Zoho authtoken usage found: nothing to migrate.</p>\n";
  } else {
    std::string V;
    if (M.Past)
      V = fmt::format("{} already broken: their products no longer accept authtokens.",
                      plural(M.Past, "finding is", "findings are"));
    else if (M.Due)
      V = "No product is past its cutoff yet; the deadlines below are ahead.";
    else
      V = "No cutoff date is known for these findings; migrate them anyway.";
    if (Critical)
      V += fmt::format(" {} critical.", plural(Critical, "finding is", "findings are"));
    OS << "<p id=\"verdict\"><strong>" << esc(V) << "</strong></p>\n";
    OS << "<table id=\"products\" class=\"sortable filterable\">\n<caption>Verdict per product "
          "and data centre</caption>\n<thead><tr><th scope=\"col\">Product</th><th scope=\"col\">"
          "Data centre</th><th scope=\"col\">Cutoff</th><th scope=\"col\">Verdict</th>"
          "<th scope=\"col\" class=\"num\">Findings</th><th scope=\"col\" class=\"num\">"
          "Auto-fixable</th><th scope=\"col\" class=\"num\">Manual</th></tr></thead>\n<tbody>\n";
    for (const ProductGroup &G : M.Groups) {
      std::string VClass = !G.DaysLeft ? "" : *G.DaysLeft <= 0 ? "verdict-past" : "verdict-due";
      OS << "<tr data-product=\"" << esc(G.Product) << "\"><th scope=\"row\">" << esc(G.ProductName)
         << "</th><td>" << esc(G.DataCentre.empty() ? "not visible" : G.DataCentre)
         << "</td><td class=\"date\">" << esc(G.Cutoff.empty() ? "–" : G.Cutoff)
         << "</td><td data-sort=\""
         << (G.DaysLeft ? std::to_string(*G.DaysLeft) : std::string("999999")) << "\" class=\""
         << VClass << "\">" << esc(verdict(G)) << "</td><td class=\"num\">" << G.Count
         << "</td><td class=\"num\">" << G.Fixable << "</td><td class=\"num\">"
         << G.Count - G.Fixable << "</td></tr>\n";
    }
    OS << "</tbody>\n</table>\n";
  }
  OS << "</section>\n";

  // --- Charts ---------------------------------------------------------------------------
  if (M.Total) {
    OS << "<section id=\"charts\" aria-labelledby=\"h-charts\">\n<h2 id=\"h-charts\">Charts</h2>\n"
       << "<div class=\"charts\">\n";
    std::vector<Bar> Bars;
    for (auto &[Name, N] : M.ByProduct)
      Bars.push_back({Name, N});
    barChart(OS, "ch-product", "Findings by product", Bars);
    barChart(OS, "ch-status", "Findings by cutoff status",
             {{"past cutoff", M.Past, "b-past"},
              {"cutoff ahead", M.Due, "b-due"},
              {"no cutoff known", M.NoCutoff, "b-none"}});
    Bars.clear();
    for (auto It = M.BySeverity.rbegin(); It != M.BySeverity.rend(); ++It)
      Bars.push_back({severityName(It->first).str(), It->second, sevClass(It->first)});
    barChart(OS, "ch-severity", "Findings by severity", Bars);
    timelineChart(OS, M);
    fixChart(OS, M);
    Bars.clear();
    for (auto &[Dir, N] : M.ByDirectory)
      Bars.push_back({Dir, N});
    barChart(OS, "ch-dirs", "Findings per directory", Bars);
    OS << "</div>\n</section>\n";
  }

  // --- Migration plan -------------------------------------------------------------------
  OS << "<section id=\"plan\" aria-labelledby=\"h-plan\">\n<h2 id=\"h-plan\">Migration plan</h2>\n";
  if (M.Groups.empty())
    OS << "<p>Nothing to migrate.</p>\n";
  else
    OS << "<p>Most urgent first: the products broken longest, then the nearest deadlines. "
          "<code>authtoken-migrate fix</code> prints the patch of the auto-fixable findings "
          "(<code>fix --write</code> applies it); the others say why they need a person.</p>\n";
  unsigned GI = 0;
  for (const ProductGroup &G : M.Groups) {
    ++GI;
    std::string Head = G.ProductName + (G.DataCentre.empty() ? "" : " · " + G.DataCentre);
    OS << "<section class=\"group\" aria-labelledby=\"h-g" << GI << "\">\n<h3 id=\"h-g" << GI
       << "\">" << GI << ". " << esc(Head) << ": " << esc(verdict(G)) << "</h3>\n<p>"
       << plural(G.Count, "finding") << " in " << plural(G.Files.size(), "file") << ", "
       << G.Fixable << " auto-fixable.</p>\n<ol class=\"files\">\n";
    for (const PlanFile &F : G.Files)
      OS << "<li><a href=\"" << esc(href(O, F.Path, 0)) << "\">" << esc(F.Path)
         << "</a>: " << plural(F.Findings.size(), "finding") << "</li>\n";
    OS << "</ol>\n<table class=\"sortable filterable findings\">\n<caption>Findings of "
       << esc(Head)
       << "</caption>\n<thead><tr><th scope=\"col\">Location</th><th scope=\"col\">"
          "Severity</th><th scope=\"col\">Rule</th><th scope=\"col\">Finding</th>"
          "<th scope=\"col\">Code (redacted)</th><th "
          "scope=\"col\">Fix</th></tr></thead>\n<tbody>\n";
    unsigned Order = 0;
    for (const PlanFile &PF : G.Files)
      for (const Finding *F : PF.Findings) {
        OS << "<tr><td data-sort=\"" << fmt::format("{:06}", Order++) << "\"><a href=\""
           << esc(href(O, F->Path, F->Begin.Line)) << "\">" << esc(F->Path) << ":" << F->Begin.Line
           << "</a></td><td data-sort=\"" << static_cast<int>(F->Sev) << "\" class=\"sev-"
           << severityName(F->Sev) << "\">" << severityName(F->Sev) << "</td><td><code>"
           << esc(F->RuleId) << "</code></td><td>" << esc(shown(F->Message))
           << "</td><td><pre><code>" << esc(shown(F->Snippet)) << "</code></pre></td><td class=\""
           << (F->Fixable ? "fix-auto\">Auto-fix: " : "fix-manual\">Needs a person: ")
           << esc(shown(fixText(*F), 4000)) << "</td></tr>\n";
      }
    OS << "</tbody>\n</table>\n</section>\n";
  }
  OS << "</section>\n";

  // --- Tokens to revoke -----------------------------------------------------------------
  OS << "<section id=\"revoke\" aria-labelledby=\"h-revoke\">\n<h2 id=\"h-revoke\">Hard-coded "
        "tokens to revoke</h2>\n";
  if (M.Revoke.empty()) {
    OS << "<p>No hard-coded token value was found.</p>\n";
  } else {
    OS << "<p>" << plural(M.Revoke.size(), "token value is", "token values are")
       << " written in the source. Each is leaked to everyone who can read the repository "
          "(and its history): revoke it whatever the migration does. Values are shown "
          "redacted.</p>\n"
       << "<table class=\"sortable filterable\" id=\"revoke-table\">\n<caption>Hard-coded tokens"
          "</caption>\n<thead><tr><th scope=\"col\">Location</th><th scope=\"col\">Product</th>"
          "<th scope=\"col\">Revoke at</th><th scope=\"col\">Redacted value</th>"
          "<th scope=\"col\">Rule</th></tr></thead>\n<tbody>\n";
    for (const RevokeItem &I : M.Revoke) {
      const Finding &F = *I.F;
      OS << "<tr><td><a href=\"" << esc(href(O, F.Path, F.Begin.Line)) << "\">" << esc(F.Path)
         << ":" << F.Begin.Line << "</a></td><td>" << esc(F.ProductName) << "</td><td><code>"
         << esc(dcHosts(F.DataCentre).Accounts) << "</code></td><td><pre><code>"
         << esc(shown(F.Snippet)) << "</code></pre></td><td><code>" << esc(F.RuleId)
         << "</code></td></tr>\n";
    }
    OS << "</tbody>\n</table>\n<h3>How to revoke a legacy authtoken</h3>\n<ol class=\"steps\">\n"
       << "<li>Ship the OAuth change first (the patch of <code>authtoken-migrate fix</code>, or "
          "your own): deleting a token stops every program that still sends it.</li>\n"
       << "<li>Sign in at the accounts server shown (<code>https://accounts.zoho.com</code> "
          "for US, <code>accounts.zoho.eu</code>, <code>accounts.zoho.in</code>, …) as the user "
          "who generated the token, open <em>Sessions</em> / <em>Active Authtokens</em> and "
          "delete the token: it is listed by the application name (DISPLAY_NAME) it was created "
          "with and its first characters, which the redacted value keeps.</li>\n"
       << "<li>A migration with the <code>authtooauth</code> grant deletes the old authtoken "
          "itself (within 24 hours, per Zoho's Mail documentation): check it is gone from the "
          "list.</li>\n"
       << "<li>Remove the value from the file. It stays in the git history and in every clone: "
          "treat it as leaked, even after the history is rewritten.</li>\n"
       << "<li>OAuth refresh tokens that were committed by mistake are revoked with "
          "<code>POST https://accounts.zoho.&lt;dc&gt;/oauth/v2/token/revoke?token=…</code>."
          "</li>\n</ol>\n";
  }
  OS << "</section>\n";

  // --- Scopes ---------------------------------------------------------------------------
  OS << "<section id=\"scopes\" aria-labelledby=\"h-scopes\">\n<h2 id=\"h-scopes\">OAuth scopes "
        "and client set-up</h2>\n";
  bool AnyScope = !M.AllScopes.empty();
  if (M.Scopes.empty()) {
    OS << "<p>No findings, so no scopes to ask for.</p>\n";
  } else {
    OS << "<p>The scopes are inferred from the endpoints the migrated code calls: the minimal "
          "scope string per client. "
       << (AnyScope ? ""
                    : "No endpoint of these findings is in the scope catalogue, so no scope "
                      "could be inferred: take the scopes from each product's API "
                      "documentation.")
       << "</p>\n<table class=\"sortable\" id=\"scope-table\">\n<caption>Scopes per product"
          "</caption>\n<thead><tr><th scope=\"col\">Product</th><th scope=\"col\">Scope string"
          "</th><th scope=\"col\" class=\"num\">Findings with a known endpoint</th>"
          "<th scope=\"col\">To check</th></tr></thead>"
          "\n<tbody>\n";
    for (const ClientScopes &S : M.Scopes) {
      OS << "<tr data-product=\"" << esc(S.Product) << "\"><th scope=\"row\">" << esc(S.ProductName)
         << "</th><td>";
      if (S.Scopes.empty())
        OS << "<em>not inferred</em>";
      else
        OS << "<code class=\"scope-string\">" << esc(scopeString(S.Scopes)) << "</code>";
      OS << "</td><td class=\"num\">" << S.WithScopes << " of " << S.Findings << "</td><td>"
         << esc(scopeCaveats(S.Unconfirmed, S.Fallback)) << "</td></tr>\n";
    }
    OS << "</tbody>\n</table>\n";
    if (AnyScope) {
      OS << "<p>Scopes needed:</p>\n<ul id=\"scope-list\">\n";
      for (const std::string &S : M.AllScopes)
        OS << "<li><code>" << esc(S) << "</code>"
           << (M.UnconfirmedScopes.count(S) ? " <span class=\"unconfirmed\">(unconfirmed)</span>" : "")
           << (M.FallbackScopes.count(S) ? " <span class=\"fallback\">(catch-all)</span>" : "")
           << "</li>\n";
      OS << "</ul>\n";
      if (M.Scopes.size() > 1)
        OS << "<p>One client for everything: <code class=\"scope-string\" id=\"scope-all\">"
           << esc(scopeString(M.AllScopes)) << "</code></p>\n";
    }
    writeScopeSteps(OS, M);
  }
  OS << "</section>\n";

  // --- Repositories (fleet) -------------------------------------------------------------
  if (!O.Repos.empty()) {
    OS << "<section id=\"repos\" aria-labelledby=\"h-repos\">\n<h2 "
          "id=\"h-repos\">Repositories</h2>\n"
       << "<table class=\"sortable filterable\" id=\"repo-table\">\n<caption>Findings per "
          "repository</caption>\n<thead><tr><th scope=\"col\">Repository</th><th scope=\"col\" "
          "class=\"num\">Findings</th><th scope=\"col\" class=\"num\">Files scanned</th></tr>"
          "</thead>\n<tbody>\n";
    for (const RepoTotals &T : O.Repos)
      OS << "<tr><th scope=\"row\">" << esc(T.Name) << "</th><td class=\"num\">" << T.Findings
         << "</td><td class=\"num\">" << T.FilesScanned << "</td></tr>\n";
    OS << "</tbody>\n</table>\n</section>\n";
  }

  OS << "</main>\n<footer>\n<p>Generated by authtoken-migrate " << esc(O.ToolVersion)
     << ". Deadlines are counted as of " << M.AsOf.str() << ". Code is shown redacted; no token "
     << "value is in this file.";
  if (!R.Stats.Problems.empty())
    OS << " " << plural(R.Stats.Problems.size(), "file")
       << " could not be read or parsed during the scan (see the text report's problem lines).";
  OS << "</p>\n</footer>\n<script>" << Script << "</script>\n</body>\n</html>\n";
}

} // namespace atm
