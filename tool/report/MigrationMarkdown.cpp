//===- MigrationMarkdown.cpp - the migration report as Markdown -----------===//
//
// `report --format markdown`: the sections of the HTML report (report/Html.h) for a
// repository wiki, with the charts as tables. Not the CI summary of Markdown.cpp.
// Everything from a finding goes through markdownText / markdownCode (ReportText.h) after
// redactSecrets; multi-line snippets become fenced blocks with a fence longer than any
// backtick run inside.

#include <algorithm>

#include "core/Redact.h"
#include "core/ScopeSummary.h"
#include "fmt/format.h"
#include "report/Html.h"
#include "report/MigrationModel.h"
#include "report/Report.h"
#include "report/ReportText.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Path.h"

namespace atm {

using namespace report;

namespace {

std::string link(const HtmlReportOptions &O, llvm::StringRef Path, unsigned Line) {
  std::string Text = markdownText(Line ? fmt::format("{}:{}", Path.str(), Line) : Path.str());
  llvm::StringRef U = O.RepoUrl;
  std::string Dest;
  if (U.startswith_insensitive("https://") || U.startswith_insensitive("http://"))
    Dest = safeUrl(U) + (U.endswith("/") ? "" : "/") + percentEncodePath(Path) +
           (Line ? fmt::format("#L{}", Line) : "");
  else
    Dest = percentEncodePath(O.LocalBase) + percentEncodePath(Path);
  return "[" + Text + "](" + Dest + ")";
}

std::string cell(llvm::StringRef S) { return markdownText(redactSecrets(S)); }

/// A one-line code cell: the snippet's lines joined by " ⏎ ", redacted, at most 200 bytes.
std::string codeCell(llvm::StringRef S) {
  std::string T = redactSecrets(S);
  std::string Joined;
  for (llvm::StringRef L : llvm::split(llvm::StringRef(T).rtrim("\r\n"), '\n')) {
    if (!Joined.empty())
      Joined += " \xE2\x8F\x8E ";
    Joined += L.trim().str();
  }
  if (Joined.size() > 200) {
    size_t K = 200;
    while (K > 0 && (static_cast<unsigned char>(Joined[K]) & 0xC0) == 0x80)
      --K;
    Joined = Joined.substr(0, K) + "\xE2\x80\xA6";
  }
  return markdownCode(Joined);
}

} // namespace

void writeMarkdownReport(llvm::raw_ostream &OS, const ScanResult &R, const HtmlReportOptions &O) {
  Model M = buildModel(R, O.AsOf);
  std::string Title = O.Title.empty() ? std::string("Zoho authtoken migration report") : O.Title;
  OS << "# " << markdownText(Title) << "\n\n"
     << "As of " << M.AsOf.str();
  if (!O.Root.empty()) // the directory's name only: no machine path in a shared report
    OS << " · " << markdownCode(llvm::sys::path::filename(O.Root));
  OS << " · " << plural(M.FilesScanned, "file") << " scanned\n\n";

  OS << "## Summary\n\n"
     << "| Findings | Files with findings | Past cutoff | Cutoff ahead | Auto-fixable | Need a "
        "person | Hard-coded tokens |\n|--:|--:|--:|--:|--:|--:|--:|\n"
     << fmt::format("| {} | {} | {} | {} | {} | {} | {} |\n\n", M.Total, M.FilesWithFindings,
                    M.Past, M.Due, M.Fixable, M.Total - M.Fixable, M.Revoke.size());
  if (M.Total == 0) {
    OS << "No legacy Zoho authtoken usage found: nothing to migrate.\n\n";
  } else {
    if (M.Past)
      OS << "**" << plural(M.Past, "finding is", "findings are")
         << " already broken: their products no longer accept authtokens.**\n\n";
    else if (M.Due)
      OS << "**No product is past its cutoff yet; the deadlines below are ahead.**\n\n";
    else
      OS << "**No cutoff date is known for these findings; migrate them anyway.**\n\n";
    OS << "| Product | Data centre | Cutoff | Verdict | Findings | Auto-fixable | Manual |\n"
       << "|---|---|---|---|--:|--:|--:|\n";
    for (const ProductGroup &G : M.Groups)
      OS << "| " << cell(G.ProductName) << " | "
         << cell(G.DataCentre.empty() ? "not visible" : G.DataCentre) << " | "
         << cell(G.Cutoff.empty() ? "–" : G.Cutoff) << " | " << cell(verdict(G)) << " | " << G.Count
         << " | " << G.Fixable << " | " << G.Count - G.Fixable << " |\n";
    OS << "\n";

    // The charts of the HTML report, as tables.
    OS << "## Charts\n\n### Findings by product\n\n| Product | Findings |\n|---|--:|\n";
    for (auto &[Name, N] : M.ByProduct)
      OS << "| " << cell(Name) << " | " << N << " |\n";
    OS << "\n### Findings by cutoff status and severity\n\n| Status | Findings |\n|---|--:|\n"
       << "| past cutoff | " << M.Past << " |\n| cutoff ahead | " << M.Due
       << " |\n| no cutoff known | " << M.NoCutoff << " |\n\n| Severity | Findings |\n|---|--:|\n";
    for (auto It = M.BySeverity.rbegin(); It != M.BySeverity.rend(); ++It)
      OS << "| " << severityName(It->first) << " | " << It->second << " |\n";
    OS << "\n### Cutoff timeline\n\n| Date | Product | |\n|---|---|---|\n";
    bool AsOfShown = false;
    for (const auto &T : M.Timeline) {
      if (!AsOfShown && T.Date > M.AsOf.str()) {
        OS << "| **" << M.AsOf.str() << "** | **as of** | |\n";
        AsOfShown = true;
      }
      OS << "| " << cell(T.Date) << " | " << cell(T.Label) << " | " << (T.Past ? "past" : "ahead")
         << (T.Confirmed ? "" : ", date unconfirmed") << " |\n";
    }
    if (!AsOfShown)
      OS << "| **" << M.AsOf.str() << "** | **as of** | |\n";
    OS << "\n### Auto-fixable vs manual\n\n| | Findings |\n|---|--:|\n"
       << "| auto-fixable | " << M.Fixable << " |\n| manual | " << M.Total - M.Fixable << " |\n"
       << "\n### Findings per directory\n\n| Directory | Findings |\n|---|--:|\n";
    for (auto &[Dir, N] : M.ByDirectory)
      OS << "| " << cell(Dir) << " | " << N << " |\n";
    OS << "\n";
  }

  OS << "## Migration plan\n\n";
  if (M.Groups.empty())
    OS << "Nothing to migrate.\n\n";
  else
    OS << "Most urgent first: the products broken longest, then the nearest deadlines. "
          "`authtoken-migrate fix` prints the patch of the auto-fixable findings (`fix --write` "
          "applies it); the others say why they need a person.\n\n";
  unsigned GI = 0;
  for (const ProductGroup &G : M.Groups) {
    std::string Head = G.ProductName + (G.DataCentre.empty() ? "" : " · " + G.DataCentre);
    OS << "### " << ++GI << ". " << cell(Head) << ": " << cell(verdict(G)) << "\n\n"
       << plural(G.Count, "finding") << " in " << plural(G.Files.size(), "file") << ", "
       << G.Fixable << " auto-fixable.\n\n";
    for (const PlanFile &F : G.Files) {
      OS << "#### " << link(O, F.Path, 0) << "\n\n"
         << "| Line | Severity | Rule | Finding | Code (redacted) | Fix |\n"
         << "|--:|---|---|---|---|---|\n";
      for (const Finding *Fi : F.Findings) {
        OS << "| " << link(O, Fi->Path, Fi->Begin.Line) << " | " << severityName(Fi->Sev) << " | "
           << markdownCode(Fi->RuleId) << " | " << cell(Fi->Message) << " | "
           << codeCell(Fi->Snippet) << " | " << (Fi->Fixable ? "auto-fix: " : "needs a person: ")
           << cell(fixText(*Fi)) << " |\n";
      }
      OS << "\n";
    }
  }

  OS << "## Hard-coded tokens to revoke\n\n";
  if (M.Revoke.empty()) {
    OS << "No hard-coded token value was found.\n\n";
  } else {
    OS << plural(M.Revoke.size(), "token value is", "token values are")
       << " written in the source. Each is leaked to everyone who can read the repository (and "
          "its history): revoke it whatever the migration does. Values are shown redacted.\n\n"
       << "| Location | Product | Revoke at | Redacted value | Rule |\n|---|---|---|---|---|\n";
    for (const RevokeItem &I : M.Revoke)
      OS << "| " << link(O, I.F->Path, I.F->Begin.Line) << " | " << cell(I.F->ProductName) << " | "
         << markdownCode(dcHosts(I.F->DataCentre).Accounts) << " | " << codeCell(I.F->Snippet)
         << " | " << markdownCode(I.F->RuleId) << " |\n";
    OS << "\nHow to revoke a legacy authtoken:\n\n"
       << "1. Ship the OAuth change first (the patch of `authtoken-migrate fix`, or your own): "
          "deleting a token stops every program that still sends it.\n"
       << "2. Sign in at the accounts server shown (`https://accounts.zoho.com` for US, "
          "`accounts.zoho.eu`, `accounts.zoho.in`, …) as the user who generated the token, open "
          "*Sessions* / *Active Authtokens* and delete the token: it is listed by the "
          "application name (DISPLAY_NAME) it was created with and its first characters, which "
          "the redacted value keeps.\n"
       << "3. A migration with the `authtooauth` grant deletes the old authtoken itself (within "
          "24 hours, per Zoho's Mail documentation): check it is gone from the list.\n"
       << "4. Remove the value from the file. It stays in the git history and in every clone: "
          "treat it as leaked, even after the history is rewritten.\n"
       << "5. OAuth refresh tokens that were committed by mistake are revoked with `POST "
          "https://accounts.zoho.<dc>/oauth/v2/token/revoke?token=…`.\n\n";
  }

  OS << "## OAuth scopes and client set-up\n\n";
  bool AnyScope = !M.AllScopes.empty();
  if (M.Scopes.empty()) {
    OS << "No findings, so no scopes to ask for.\n\n";
  } else {
    OS << "The scopes are inferred from the endpoints the migrated code calls: the minimal scope "
          "string per client."
       << (AnyScope ? ""
                    : " No endpoint of these findings is in the scope catalogue, so no "
                      "scope could be inferred: take the scopes from each product's API "
                      "documentation.")
       << "\n\n| Product | Scope string | Findings with a known endpoint | To check |\n"
          "|---|---|--:|---|\n";
    for (const ClientScopes &S : M.Scopes)
      OS << "| " << cell(S.ProductName) << " | "
         << (S.Scopes.empty() ? std::string("*not inferred*") : markdownCode(scopeString(S.Scopes)))
         << " | " << S.WithScopes << " of " << S.Findings << " | "
         << cell(scopeCaveats(S.Unconfirmed, S.Fallback)) << " |\n";
    OS << "\n";
    if (AnyScope && M.Scopes.size() > 1)
      OS << "One client for everything: " << markdownCode(scopeString(M.AllScopes)) << "\n\n";
    for (const DcHosts &D : M.Dcs) {
      // The scopes of this data centre's findings; SCOPES stands for the ones to look up.
      std::string Scope = D.Scopes.empty() ? std::string("SCOPES") : scopeString(D.Scopes);
      OS << "### Data centre " << markdownCode(D.Id) << ": " << markdownText(D.Console) << "\n\n"
         << "1. Sign in at `https://" << D.Console
         << "` as the Zoho user the integration acts "
            "for (its data and permissions are what the token gets).\n"
         << "2. Add a client. **Self Client**: a server job or script working on your own "
            "organisation's data; no redirect URI, the code comes from the console. "
            "**Server-based Applications**: a web application acting for other users; it needs "
            "a redirect URI (Authorized Redirect URI).\n"
         << "3. Get a grant code for the scope string " << markdownCode(Scope) << ".\n"
         << "   - Self Client: the *Generate Code* tab, paste the scope string, pick the time "
            "duration (3 to 10 minutes) and a description, *Create*, copy the code.\n"
         << "   - Server-based: send the user to "
         << markdownCode("https://" + D.Accounts +
                         "/oauth/v2/auth?response_type=code&client_id=CLIENT_ID&scope=" + Scope +
                         "&redirect_uri=REDIRECT_URI&access_type=offline&prompt=consent")
         << "; the code arrives on "
            "the redirect URI. `access_type=offline` is what adds a refresh token, "
            "`prompt=consent` issues a new one even when the user consented before.\n"
         << "4. Before the code expires, exchange it:\n\n"
         << "   ```sh\n   curl -X POST https://" << D.Accounts << "/oauth/v2/token \\\n"
         << "     -d grant_type=authorization_code -d client_id=CLIENT_ID \\\n"
         << "     -d client_secret=CLIENT_SECRET -d code=CODE\n"
         << "     # server-based clients also: -d redirect_uri=REDIRECT_URI\n   ```\n\n"
         << "   The answer's `refresh_token` is the long-lived credential (it does not expire "
            "until revoked; access tokens last an hour and the helpers refresh them).\n"
         << "5. Give the helpers (`authtoken-migrate helper`) their settings in the environment "
            "or your secret store, never in the source: ";
      bool First = true;
      for (const char *V : HelperEnvVars) {
        OS << (First ? "`" : ", `") << V
           << (llvm::StringRef(V) == "ZOHO_DC" ? "=" + D.Id : std::string()) << "`";
        First = false;
      }
      OS << ".\n\n";
    }
  }

  if (!O.Repos.empty()) {
    OS << "## Repositories\n\n| Repository | Findings | Files scanned |\n|---|--:|--:|\n";
    for (const RepoTotals &T : O.Repos)
      OS << "| " << cell(T.Name) << " | " << T.Findings << " | " << T.FilesScanned << " |\n";
    OS << "\n";
  }

  OS << "---\n\nGenerated by authtoken-migrate " << markdownText(O.ToolVersion)
     << ". Deadlines are counted as of " << M.AsOf.str()
     << ". Code is shown redacted; no token value is in this file.\n";
}

} // namespace atm
