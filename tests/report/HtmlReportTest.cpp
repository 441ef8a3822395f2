/// \file
/// Unit tests of the migration report writers (report/Html.h: HTML and Markdown) and of
/// what they say (report/MigrationModel.h): escaping of hostile text, no raw secret, no
/// external resource, totals, ordering by urgency, links with and without --repo-url,
/// the scopes section with and without scopes, the per-repository table.

#include "report/Html.h"
#include "report/MigrationModel.h"
#include "report/ReadJson.h"
#include "report/Report.h"

#include <regex>

#include "llvm/ADT/StringRef.h"
#include "gtest/gtest.h"

using namespace atm;

namespace {

const char *Secret = "3f2c8e7a9b1d4c6e8f0a2b4c6d8e0f1a";

Finding finding(std::string Path, unsigned Line, std::string Product, std::string Name,
                std::string Dc, std::string Cutoff, Severity S = Severity::Error) {
  Finding F;
  F.RuleId = "zoho-authtoken-url-param";
  F.Sev = S;
  F.Path = std::move(Path);
  F.Begin = {Line, 5};
  F.End = {Line, 20};
  F.Message = "legacy authtoken in a request URL";
  F.Product = std::move(Product);
  F.ProductName = std::move(Name);
  F.DataCentre = std::move(Dc);
  F.Cutoff = std::move(Cutoff);
  F.Snippet = "url = 'https://x.zoho.com/api?authtoken=3f2c\xE2\x80\xA6'";
  return F;
}

/// Four products: CRM (past since 2018-12-31), Books eu (past since 2021-08-30), a
/// product due 2027-03-31 and one without a cutoff.
ScanResult sample() {
  ScanResult R;
  R.Findings.push_back(finding("src/books.py", 3, "books", "Zoho Books", "eu", "2021-08-30"));
  R.Findings.push_back(finding("src/crm.py", 7, "crm", "Zoho CRM", "", "2018-12-31"));
  R.Findings.push_back(
      finding("src/crm.py", 2, "crm", "Zoho CRM", "", "2018-12-31", Severity::Critical));
  R.Findings.push_back(
      finding("lib/later.js", 1, "cliq", "Zoho Cliq", "us", "2027-03-31", Severity::Warning));
  R.Findings.push_back(finding("a b/none.sh", 9, "", "Zoho (product unknown)", "", ""));
  R.Findings[1].Fixable = true;
  R.Findings[1].FixNote = "moved to the Authorization: Zoho-oauthtoken header";
  R.Findings[0].FixNote = "the URL is built in another function";
  R.Stats.FilesScanned = 42;
  return R;
}

HtmlReportOptions options() {
  HtmlReportOptions O;
  O.AsOf = *Date::parse("2026-12-01");
  O.ToolVersion = "9.9.9";
  O.Root = "/some/checkout/acme";
  return O;
}

std::string html(const ScanResult &R, const HtmlReportOptions &O) {
  std::string S;
  llvm::raw_string_ostream OS(S);
  writeHtmlReport(OS, R, O);
  return OS.str();
}

std::string markdown(const ScanResult &R, const HtmlReportOptions &O) {
  std::string S;
  llvm::raw_string_ostream OS(S);
  writeMarkdownReport(OS, R, O);
  return OS.str();
}

size_t count(llvm::StringRef Hay, llvm::StringRef Needle) {
  size_t N = 0;
  for (size_t P = Hay.find(Needle); P != llvm::StringRef::npos; P = Hay.find(Needle, P + 1))
    ++N;
  return N;
}

/// A finding with hostile text everywhere the writers copy text from, and the raw secret
/// in its snippet (as `scan --show-secrets` would leave it).
Finding hostile() {
  Finding F = finding("x/<img src=x onerror=alert(1)>\"'&|`.py", 3, "crm<b>",
                      "Zoho <script>alert(2)</script>", "eu\"><svg onload=alert(3)>", "2020-01-01");
  F.Message = "</td></tr></table><script>alert(4)</script> | `code` *em* [l](javascript:x)";
  F.Snippet = std::string("u = '?authtoken=") + Secret + "' <!-- --> ]]> </pre>";
  F.FixNote = "<iframe src=//evil>";
  F.ScopesNeeded = {"ZohoCRM.modules.ALL\"><script>alert(5)</script>"};
  F.RuleId = "zoho-authtoken-hardcoded";
  return F;
}

} // namespace

TEST(HtmlReport, SelfContainedWithoutExternalResources) {
  HtmlReportOptions O = options();
  O.RepoUrl = "https://github.com/org/repo/blob/abc123/";
  std::string H = html(sample(), O);
  EXPECT_EQ(H.rfind("<!DOCTYPE html>", 0), 0u);
  // Nothing a browser would load: no src attribute, stylesheet link, import or url().
  EXPECT_EQ(H.find(" src="), std::string::npos);
  EXPECT_EQ(H.find("<link"), std::string::npos);
  EXPECT_EQ(H.find("@import"), std::string::npos);
  EXPECT_EQ(H.find("url("), std::string::npos);
  EXPECT_EQ(H.find("xlink:href"), std::string::npos);
  EXPECT_NE(H.find("default-src 'none'"), std::string::npos);
  // Every href is the repository URL or an in-page anchor.
  std::regex Href("href=\"([^\"]*)\"");
  unsigned Links = 0;
  for (auto It = std::sregex_iterator(H.begin(), H.end(), Href); It != std::sregex_iterator();
       ++It) {
    std::string U = (*It)[1];
    ++Links;
    EXPECT_TRUE(llvm::StringRef(U).startswith("https://github.com/org/repo/blob/abc123/") ||
                llvm::StringRef(U).startswith("#"))
        << U;
  }
  EXPECT_GT(Links, 5u);
  // Accessibility: one h1, charts are images with a title, tables have captions and th scope.
  EXPECT_EQ(count(H, "<h1"), 1u);
  EXPECT_EQ(count(H, "<svg"), count(H, "<svg role=\"img\" aria-labelledby="));
  EXPECT_EQ(count(H, "<svg"), 6u);
  EXPECT_EQ(count(H, "<table"), count(H, "<caption>"));
  EXPECT_EQ(count(H, "<th>"), 0u);
  EXPECT_NE(H.find("prefers-color-scheme:dark"), std::string::npos);
  EXPECT_NE(H.find("@media print"), std::string::npos);
  EXPECT_NE(H.find("data-js"), std::string::npos); // the script marks that it ran
}

TEST(HtmlReport, HeadingsInOrder) {
  std::string H = html(sample(), options());
  std::regex Heading("<h([1-6])[ >]");
  int Last = 0;
  for (auto It = std::sregex_iterator(H.begin(), H.end(), Heading); It != std::sregex_iterator();
       ++It) {
    int L = std::stoi((*It)[1]);
    EXPECT_LE(L, Last + 1) << "heading h" << L << " after h" << Last;
    Last = L;
  }
}

TEST(HtmlReport, EscapesHostileTextAndNeverShowsTheSecret) {
  ScanResult R = sample();
  R.Findings.push_back(hostile());
  HtmlReportOptions O = options();
  O.Title = "T <script>alert(6)</script>";
  O.Repos = {{"repo <b>\"x\"</b>", 3, 10}};
  std::string H = html(R, O);
  EXPECT_EQ(H.find(Secret), std::string::npos);
  EXPECT_EQ(H.find(llvm::StringRef(Secret).drop_front(4)), std::string::npos);
  for (const char *Bad : {"<script>alert", "<img", "<iframe", "<svg onload", "</td></tr></table><",
                          "crm<b>", "onerror=alert(1)>"})
    EXPECT_EQ(H.find(Bad), std::string::npos) << Bad;
  EXPECT_NE(H.find("&lt;script&gt;alert(4)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(H.find("&lt;iframe src=//evil&gt;"), std::string::npos);
  EXPECT_NE(H.find("Zoho &lt;script&gt;alert(2)&lt;/script&gt;"), std::string::npos);
  // The only <script> is the report's own.
  EXPECT_EQ(count(H, "<script"), 1u);
  // A hard-coded token is on the revoke list, redacted, once per place.
  Finding Twice = R.Findings.back();
  Twice.RuleId = "zoho-config-credential-hardcoded";
  R.Findings.push_back(Twice);
  EXPECT_EQ(report::buildModel(R, O.AsOf).Revoke.size(), 1u);
  EXPECT_NE(H.find("id=\"revoke-table\""), std::string::npos);
  EXPECT_NE(H.find("authtoken=3f2c\xE2\x80\xA6"), std::string::npos);
}

TEST(HtmlReport, TotalsAndVerdicts) {
  std::string H = html(sample(), options());
  EXPECT_NE(H.find("data-total=\"findings\"><b>5</b>"), std::string::npos);
  EXPECT_NE(H.find("data-total=\"files\"><b>4</b>"), std::string::npos);
  EXPECT_NE(H.find("data-total=\"past\"><b>3</b>"), std::string::npos);
  EXPECT_NE(H.find("data-total=\"due\"><b>1</b>"), std::string::npos);
  EXPECT_NE(H.find("data-total=\"fixable\"><b>1</b>"), std::string::npos);
  EXPECT_NE(H.find("data-total=\"manual\"><b>4</b>"), std::string::npos);
  // 2018-12-31 .. 2026-12-01 = 2892 days; 2026-12-01 .. 2027-03-31 = 120 days.
  EXPECT_NE(H.find("broken since 2018-12-31 (2892 days)"), std::string::npos);
  EXPECT_NE(H.find("broken since 2021-08-30 (1919 days)"), std::string::npos);
  EXPECT_NE(H.find("due in 120 days (2027-03-31)"), std::string::npos);
  EXPECT_NE(H.find("no cutoff known"), std::string::npos);
  EXPECT_NE(H.find("42 files scanned"), std::string::npos);
  // The root is shown by its name only, never as a machine path.
  EXPECT_EQ(H.find("/some/checkout"), std::string::npos);
  EXPECT_NE(H.find("<code>acme</code>"), std::string::npos);
}

TEST(HtmlReport, PlanOrderedByUrgency) {
  ScanResult R = sample();
  report::Model M = report::buildModel(R, *Date::parse("2026-12-01"));
  ASSERT_EQ(M.Groups.size(), 4u);
  EXPECT_EQ(M.Groups[0].ProductName, "Zoho CRM");   // broken longest
  EXPECT_EQ(M.Groups[1].ProductName, "Zoho Books"); // broken since 2021
  EXPECT_EQ(M.Groups[2].ProductName, "Zoho Cliq");  // due
  EXPECT_EQ(M.Groups[3].ProductName, "Zoho (product unknown)");
  // Within a file, findings in line order.
  ASSERT_EQ(M.Groups[0].Files.size(), 1u);
  EXPECT_EQ(M.Groups[0].Files[0].Findings[0]->Begin.Line, 2u);
  EXPECT_EQ(M.Groups[0].Files[0].Findings[1]->Begin.Line, 7u);
  std::string H = html(R, options());
  size_t Crm = H.find("<h3 id=\"h-g1\">1. Zoho CRM"), Books = H.find("2. Zoho Books · eu"),
         Cliq = H.find("3. Zoho Cliq · us"), None = H.find("4. Zoho (product unknown)");
  ASSERT_NE(Crm, std::string::npos);
  ASSERT_NE(None, std::string::npos);
  EXPECT_LT(Crm, Books);
  EXPECT_LT(Books, Cliq);
  EXPECT_LT(Cliq, None);
  // The fix note or the reason a person is needed.
  EXPECT_NE(H.find("Auto-fix: moved to the Authorization: Zoho-oauthtoken header"),
            std::string::npos);
  EXPECT_NE(H.find("Needs a person: the URL is built in another function"), std::string::npos);
}

TEST(HtmlReport, LinksWithAndWithoutRepoUrl) {
  HtmlReportOptions O = options();
  std::string Local = html(sample(), O);
  EXPECT_NE(Local.find("href=\"a%20b/none.sh\""), std::string::npos);
  O.LocalBase = "../";
  EXPECT_NE(html(sample(), O).find("href=\"../src/crm.py\""), std::string::npos);
  O.LocalBase = "../my checkout/";
  EXPECT_NE(html(sample(), O).find("href=\"../my%20checkout/src/crm.py\""), std::string::npos);
  EXPECT_NE(markdown(sample(), O).find("(../my%20checkout/src/crm.py)"), std::string::npos);
  O.LocalBase = "../";
  O.RepoUrl = "https://github.com/org/repo/blob/abc123"; // no trailing slash
  std::string Web = html(sample(), O);
  EXPECT_NE(Web.find("href=\"https://github.com/org/repo/blob/abc123/src/crm.py#L7\""),
            std::string::npos);
  EXPECT_NE(Web.find("href=\"https://github.com/org/repo/blob/abc123/a%20b/none.sh#L9\""),
            std::string::npos);
  // Not a web URL: never used as a link (no javascript: links).
  O.RepoUrl = "javascript:alert(1)//";
  std::string Js = html(sample(), O);
  EXPECT_EQ(Js.find("javascript:"), std::string::npos);
  EXPECT_NE(Js.find("href=\"../src/crm.py\""), std::string::npos);
}

TEST(HtmlReport, ScopesSection) {
  ScanResult R = sample();
  std::string Without = html(R, options());
  EXPECT_NE(Without.find("<em>not inferred</em>"), std::string::npos);
  EXPECT_EQ(Without.find("id=\"scope-list\""), std::string::npos);
  EXPECT_NE(Without.find("scope=SCOPES&amp;"), std::string::npos);
  R.Findings[1].ScopesNeeded = {"ZohoCRM.modules.ALL"};
  R.Findings[2].ScopesNeeded = {"ZohoCRM.settings.READ", "ZohoCRM.modules.ALL"};
  R.Findings[0].ScopesNeeded = {"ZohoBooks.contacts.READ"};
  std::string With = html(R, options());
  EXPECT_NE(
      With.find("<code class=\"scope-string\">ZohoCRM.modules.ALL,ZohoCRM.settings.READ</code>"),
      std::string::npos);
  EXPECT_NE(With.find("<code class=\"scope-string\">ZohoBooks.contacts.READ</code>"),
            std::string::npos);
  EXPECT_NE(With.find("id=\"scope-all\">ZohoBooks.contacts.READ,ZohoCRM.modules.ALL,"
                      "ZohoCRM.settings.READ</code>"),
            std::string::npos);
  EXPECT_NE(With.find("<td class=\"num\">2 of 2</td>"), std::string::npos);
  // The API-console steps, per data centre seen (us for the findings without one).
  for (const char *S :
       {"https://api-console.zoho.eu", "https://api-console.zoho.com",
        "https://accounts.zoho.eu/oauth/v2/token", "Self Client", "Server-based Applications",
        "access_type=offline", "prompt=consent", "grant_type=authorization_code", "ZOHO_CLIENT_ID",
        "ZOHO_CLIENT_SECRET", "ZOHO_REFRESH_TOKEN", "ZOHO_DC=eu", "ZOHO_DC=us",
        // Per data centre, its findings' scopes: Books is in eu, CRM in us.
        "accounts.zoho.eu/oauth/v2/auth?response_type=code&amp;client_id=CLIENT_ID"
        "&amp;scope=ZohoBooks.contacts.READ&amp;",
        "accounts.zoho.com/oauth/v2/auth?response_type=code&amp;client_id=CLIENT_ID"
        "&amp;scope=ZohoCRM.modules.ALL,ZohoCRM.settings.READ&amp;"})
    EXPECT_NE(With.find(S), std::string::npos) << S;
}

TEST(HtmlReport, RepositoriesTable) {
  HtmlReportOptions O = options();
  EXPECT_EQ(html(sample(), O).find("id=\"repo-table\""), std::string::npos);
  O.Repos = {{"billing", 12, 300}, {"web & <app>", 0, 50}};
  std::string H = html(sample(), O);
  EXPECT_NE(H.find("id=\"repo-table\""), std::string::npos);
  EXPECT_NE(H.find("<th scope=\"row\">billing</th><td class=\"num\">12</td><td class=\"num\">300"),
            std::string::npos);
  EXPECT_NE(H.find("web &amp; &lt;app&gt;"), std::string::npos);
  std::string Md = markdown(sample(), O);
  EXPECT_NE(Md.find("| billing | 12 | 300 |"), std::string::npos);
  EXPECT_NE(Md.find("| web \\& \\<app\\> | 0 | 50 |"), std::string::npos);
}

TEST(HtmlReport, NoFindings) {
  ScanResult R;
  R.Stats.FilesScanned = 3;
  std::string H = html(R, options());
  EXPECT_NE(H.find("No legacy Zoho authtoken usage found"), std::string::npos);
  EXPECT_NE(H.find("data-total=\"findings\"><b>0</b>"), std::string::npos);
  EXPECT_NE(markdown(R, options()).find("No legacy Zoho authtoken usage found"), std::string::npos);
}

TEST(MarkdownReport, SectionsLinksAndEscaping) {
  ScanResult R = sample();
  R.Findings.push_back(hostile());
  HtmlReportOptions O = options();
  O.RepoUrl = "https://github.com/org/repo/blob/abc123/";
  std::string Md = markdown(R, O);
  EXPECT_EQ(Md.rfind("# Zoho authtoken migration report\n", 0), 0u);
  EXPECT_EQ(Md.find(Secret), std::string::npos);
  EXPECT_EQ(Md.find(llvm::StringRef(Secret).drop_front(4)), std::string::npos);
  for (const char *S : {"## Summary", "## Charts", "### Cutoff timeline", "## Migration plan",
                        "## Hard-coded tokens to revoke", "## OAuth scopes and client set-up",
                        "broken since 2018-12-31 (2892 days)", "due in 120 days (2027-03-31)",
                        "[src/crm.py:7](https://github.com/org/repo/blob/abc123/src/crm.py#L7)",
                        "| **2026-12-01** | **as of** | |", "prompt=consent", "ZOHO_REFRESH_TOKEN"})
    EXPECT_NE(Md.find(S), std::string::npos) << S;
  // Hostile text cannot open HTML or end a table cell.
  std::smatch Raw;
  EXPECT_FALSE(std::regex_search(Md, Raw, std::regex("[^\\\\]<(script|img|svg|iframe)")))
      << Raw.str();
  EXPECT_NE(Md.find("\\<script\\>alert(4)\\</script\\> \\| \\`code\\`"), std::string::npos);
  // Every table row has as many unescaped cell separators as its header.
  llvm::StringRef Rest = Md;
  while (!Rest.empty()) {
    auto [Line, Next] = Rest.split('\n');
    Rest = Next;
    if (!Line.startswith("| ") || !Line.contains("zoho-authtoken-hardcoded"))
      continue;
    unsigned Bars = 0;
    bool InCode = false;
    for (size_t I = 0; I < Line.size(); ++I) {
      if (Line[I] == '\\') {
        ++I;
        continue;
      }
      if (Line[I] == '`')
        InCode = !InCode;
      else if (Line[I] == '|')
        ++Bars;
    }
    EXPECT_TRUE(Bars == 6 || Bars == 7) << Line.str();
  }
  // Local links without --repo-url.
  O.RepoUrl.clear();
  EXPECT_NE(markdown(R, O).find("[src/crm.py:7](src/crm.py)"), std::string::npos);
}

TEST(HtmlReport, ScopesSurviveTheScanJson) {
  // report --from reads what scan --format json wrote: scopes_needed included.
  ScanResult R = sample();
  R.Findings[1].ScopesNeeded = {"ZohoCRM.modules.ALL", "ZohoCRM.settings.READ"};
  ReportContext Ctx;
  Ctx.ToolVersion = "9.9.9";
  Ctx.AsOf = *Date::parse("2026-12-01");
  std::string Json;
  llvm::raw_string_ostream OS(Json);
  writeJson(OS, R, Ctx);
  OS.flush();
  auto Back = parseScanJson(Json, "scan.json");
  ASSERT_TRUE(static_cast<bool>(Back)) << llvm::toString(Back.takeError());
  EXPECT_EQ(Back->Result.Findings[1].ScopesNeeded, R.Findings[1].ScopesNeeded);
  EXPECT_TRUE(Back->Result.Findings[0].ScopesNeeded.empty());
  EXPECT_EQ(html(Back->Result, options()), html(R, options()));
  EXPECT_EQ(markdown(Back->Result, options()), markdown(R, options()));
}
