#include "report/Report.h"

#include <algorithm>
#include <map>
#include <set>
#include <vector>

#include "core/ScopeSummary.h"
#include "discover/Root.h"
#include "fmt/format.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"

#ifndef ATM_INFORMATION_URI
#define ATM_INFORMATION_URI "https://www.zoho.com/accounts/protocol/oauth.html"
#endif

namespace atm {

namespace {

llvm::raw_ostream::Colors colorFor(Severity S) {
  switch (S) {
  case Severity::Note: return llvm::raw_ostream::CYAN;
  case Severity::Warning: return llvm::raw_ostream::MAGENTA;
  case Severity::Error:
  case Severity::Critical: return llvm::raw_ostream::RED;
  }
  return llvm::raw_ostream::RED;
}

/// The summary's last lines: per product, the OAuth scopes its findings need (the scope
/// string of the client to create), with the scopes no source confirms and the
/// catch-all ones named.
void writeScopeTrailer(llvm::raw_ostream &OS, const ScanResult &R, const ReportContext &Ctx) {
  std::map<std::string, std::string> Names;
  std::map<std::string, std::set<std::string>> Unconfirmed, Fallback;
  for (const Finding &F : R.Findings) {
    Names.emplace(F.Product, F.ProductName);
    Unconfirmed[F.Product].insert(F.ScopesUnconfirmed.begin(), F.ScopesUnconfirmed.end());
    Fallback[F.Product].insert(F.ScopesFallback.begin(), F.ScopesFallback.end());
  }
  for (auto &[Id, Scopes] : scopesByProduct(R.Findings)) {
    std::string Name = Names[Id];
    if (Ctx.Rules)
      if (const Product *P = Ctx.Rules->Cat.product(Id.empty() ? "zoho" : Id))
        Name = P->Name;
    if (Name.empty())
      Name = Id.empty() ? "Zoho (product unknown)" : Id;
    OS << "scopes for " << Name << ": " << scopeString(Scopes);
    std::string Notes;
    auto Note = [&](const char *What, const std::set<std::string> &S) {
      if (!S.empty())
        Notes += fmt::format("{}{}: {}", Notes.empty() ? "" : "; ", What,
                             scopeString(std::vector<std::string>(S.begin(), S.end())));
    };
    Note("unconfirmed", Unconfirmed[Id]);
    Note("catch-all, no narrower scope known", Fallback[Id]);
    if (!Notes.empty())
      OS << " (" << Notes << ")";
    OS << "\n";
  }
}

std::string cutoffText(const Finding &F) {
  if (F.Cutoff.empty())
    return "";
  return F.Status + (F.CutoffConfirmed ? "" : ", date unconfirmed");
}

/// Days from the cutoff to \p AsOf (negative while it is ahead), when there is one.
std::optional<int64_t> daysPastCutoff(const Finding &F, const Date &AsOf) {
  auto C = Date::parse(F.Cutoff);
  if (!C)
    return std::nullopt;
  return AsOf.toDays() - C->toDays();
}

/// The cutoff status without a day count, so a message reads the same every day
/// (GitHub treats a changed message as a changed alert).
std::string stableCutoffText(const Finding &F, const Date &AsOf) {
  auto Days = daysPastCutoff(F, AsOf);
  if (!Days)
    return "";
  std::string S = *Days >= 0 ? "past cutoff since " + F.Cutoff : "cutoff on " + F.Cutoff;
  return S + (F.CutoffConfirmed ? "" : ", date unconfirmed");
}

/// The path a person opens: from the current directory when the context has a root.
std::string shownPath(const Finding &F, const ReportContext &Ctx) {
  if (Ctx.Root.empty() || Ctx.Cwd.empty())
    return F.Path;
  return pathFromCwd(F.Path.empty() ? Ctx.Root : Ctx.Root + "/" + F.Path, Ctx.Cwd);
}

} // namespace

std::string percentEncodePath(llvm::StringRef Path) {
  std::string Out;
  for (unsigned char C : Path) {
    if (llvm::isAlnum(C) || C == '-' || C == '.' || C == '_' || C == '~' || C == '/')
      Out.push_back(C);
    else
      Out += fmt::format("%{:02X}", C);
  }
  return Out;
}

void writeText(llvm::raw_ostream &OS, const ScanResult &R, const ReportContext &Ctx) {
  for (const Finding &F : R.Findings) {
    if (Ctx.Color)
      OS.changeColor(llvm::raw_ostream::SAVEDCOLOR, true);
    OS << shownPath(F, Ctx) << ":" << F.Begin.Line << ":" << F.Begin.Column << ": ";
    if (Ctx.Color)
      OS.changeColor(colorFor(F.Sev), true);
    OS << severityName(F.Sev) << ": ";
    if (Ctx.Color)
      OS.changeColor(llvm::raw_ostream::SAVEDCOLOR, true);
    OS << F.Message << " [" << F.RuleId << "]" << (F.Fixable ? " (fixable)" : "");
    if (Ctx.Color)
      OS.resetColor();
    OS << "\n";
    // The source line with a caret under the finding (tabs kept so columns line up).
    llvm::StringRef Line = F.LineText;
    OS << Line << "\n";
    std::string Caret;
    // A window of a long line: the match's column within it.
    unsigned Col = F.LineTextColumn ? F.LineTextColumn : F.Begin.Column;
    for (unsigned I = 1; I < Col && I - 1 < Line.size(); ++I)
      if ((static_cast<unsigned char>(Line[I - 1]) & 0xC0) != 0x80) // one per character
        Caret.push_back(Line[I - 1] == '\t' ? '\t' : ' ');
    Caret.push_back('^');
    unsigned Len = F.End.Line == F.Begin.Line && F.End.Column > Col ? F.End.Column - Col : 1;
    for (unsigned I = 1; I < Len && I < 80; ++I)
      Caret.push_back('~');
    if (Ctx.Color)
      OS.changeColor(llvm::raw_ostream::GREEN, true);
    OS << Caret << "\n";
    if (Ctx.Color)
      OS.resetColor();
    if (!F.ProductName.empty()) { // empty for unused-suppression findings
      OS << "  " << F.ProductName;
      if (!F.ProductCandidates.empty())
        OS << fmt::format(" (one of: {})", fmt::join(F.ProductCandidates, ", "));
      if (!F.DataCentre.empty())
        OS << " (" << F.DataCentre << " data centre)";
      if (!F.Cutoff.empty())
        OS << ": " << cutoffText(F);
      OS << "\n";
    }
    if (!F.FixNote.empty())
      OS << "  " << (F.Fixable ? "fix: " : "no automatic fix: ") << F.FixNote << "\n";
  }
  if (Ctx.Quiet)
    return;
  const ScanStats &S = R.Stats;
  std::map<Severity, unsigned> BySev;
  std::map<std::string, std::pair<unsigned, std::string>> ByProduct;
  for (const Finding &F : R.Findings) {
    ++BySev[F.Sev];
    if (F.ProductName.empty())
      continue;
    auto &E = ByProduct[F.ProductName];
    ++E.first;
    E.second = cutoffText(F);
  }
  OS << "\n";
  if (R.Findings.empty())
    OS << "No legacy Zoho authtoken usage found.\n";
  else {
    OS << fmt::format("{} finding{}", R.Findings.size(), R.Findings.size() == 1 ? "" : "s");
    std::string Parts;
    for (auto It = BySev.rbegin(); It != BySev.rend(); ++It)
      Parts += fmt::format("{}{} {}", Parts.empty() ? "" : ", ", It->second,
                           severityName(It->first).str());
    OS << " (" << Parts << ")\n";
    unsigned Fixable = 0;
    for (const Finding &F : R.Findings)
      Fixable += F.Fixable;
    if (Fixable)
      OS << fmt::format("{} fixable automatically (authtoken-migrate fix; C/C++/Objective-C "
                        "also scan --export-fixes)\n",
                        Fixable);
    if (!ByProduct.empty())
      OS << "By product (cutoff as of " << Ctx.AsOf.str() << "):\n";
    for (auto &[Name, E] : ByProduct)
      OS << fmt::format("  {:<32} {:>4}  {}\n", Name, E.first, E.second);
  }
  OS << fmt::format("Files: {} scanned, {} without candidates", S.FilesScanned,
                    S.PrefilterRejected);
  std::string Skipped;
  auto Add = [&](unsigned N, const char *What) {
    if (N)
      Skipped += fmt::format("{}{} {}", Skipped.empty() ? "" : ", ", N, What);
  };
  Add(S.Ignored, "ignored");
  Add(S.Binary, "binary");
  Add(S.TooLarge, "over --max-file-size");
  Add(S.UnknownLanguage, "of unknown language");
  Add(S.Symlinks, "symlinks not followed");
  Add(S.Unreadable, "unreadable");
  if (!Skipped.empty())
    OS << "; skipped: " << Skipped;
  OS << "\n";
  // Files of no known language, by extension (most frequent first): which languages the
  // generic lexer guessed for, and where a real lexer would pay off.
  auto Generic = S.FilesByLanguage.find("generic");
  if (Generic != S.FilesByLanguage.end() && Generic->second) {
    std::vector<std::pair<std::string, unsigned>> Exts(S.GenericByExtension.begin(),
                                                       S.GenericByExtension.end());
    std::stable_sort(Exts.begin(), Exts.end(),
                     [](const auto &A, const auto &B) { return A.second > B.second; });
    std::string List;
    for (const auto &[E, N] : Exts)
      List += fmt::format("{}{} {}", List.empty() ? "" : ", ",
                          E == "(none)" ? "no extension" : E, N);
    OS << fmt::format("generic: {} file{}", Generic->second, Generic->second == 1 ? "" : "s");
    if (!List.empty())
      OS << " (" << List << ")";
    OS << "\n";
  }
  if (S.InvalidUtf8)
    OS << fmt::format("{} file{} with invalid UTF-8 scanned as bytes\n", S.InvalidUtf8,
                      S.InvalidUtf8 == 1 ? "" : "s");
  if (S.Suppressed)
    OS << fmt::format("{} finding{} suppressed by inline comments\n", S.Suppressed,
                      S.Suppressed == 1 ? "" : "s");
  if (S.OutsideDiff)
    OS << fmt::format("{} finding{} outside the changed lines\n", S.OutsideDiff,
                      S.OutsideDiff == 1 ? "" : "s");
  if (S.DisabledByConfig)
    OS << fmt::format("{} finding{} of rules disabled in the configuration file\n",
                      S.DisabledByConfig, S.DisabledByConfig == 1 ? "" : "s");
  if (S.Baselined)
    OS << fmt::format("{} finding{} baselined\n", S.Baselined, S.Baselined == 1 ? "" : "s");
  for (const std::string &P : S.Problems)
    OS << "problem: " << redactSecrets(P) << "\n";
  for (const std::string &N : S.Notes)
    OS << "note: " << redactSecrets(N) << "\n";
  OS << fmt::format("Time: {:.2f} s ({:.1f} MiB read)\n", S.Seconds, S.Bytes / 1048576.0);
  writeScopeTrailer(OS, R, Ctx);
}

namespace {
using llvm::json::OStream;

/// A finding as a JSON object, streamed: the keys in the byte order llvm::json::Object
/// prints them in (sorted), so the output is what building json::Values and printing them
/// gave, without the tree (ReportTest.JsonStreamsWhatJsonValuesPrint checks it).
void writeFindingJson(OStream &J, const Finding &F) {
  auto OrNull = [&](llvm::StringRef K, const std::string &V) {
    if (V.empty())
      J.attribute(K, nullptr);
    else
      J.attribute(K, llvm::StringRef(V));
  };
  auto Pos = [&](llvm::StringRef K, const Position &P) {
    J.attributeObject(K, [&] {
      J.attribute("column", P.Column);
      J.attribute("line", P.Line);
    });
  };
  auto Strings = [&](llvm::StringRef K, const std::vector<std::string> &V) {
    J.attributeArray(K, [&] {
      for (const std::string &S : V)
        J.value(llvm::StringRef(S));
    });
  };
  J.object([&] {
    OrNull("cutoff", F.Cutoff);
    J.attribute("cutoff_confirmed", F.CutoffConfirmed);
    J.attribute("cutoff_source", llvm::StringRef(F.CutoffSource));
    OrNull("datacentre", F.DataCentre);
    Pos("end", F.End);
    J.attribute("fingerprint", llvm::StringRef(F.Fingerprint));
    if (!F.FixNote.empty())
      J.attribute("fix_note", llvm::StringRef(F.FixNote));
    J.attribute("fixable", F.Fixable);
    if (!F.FixHint.empty())
      J.attribute("help", llvm::StringRef(F.FixHint));
    J.attribute("length", static_cast<int64_t>(F.Length));
    J.attribute("message", llvm::StringRef(F.Message));
    J.attribute("offset", static_cast<int64_t>(F.Offset));
    J.attribute("path", llvm::StringRef(F.Path));
    OrNull("product", F.Product);
    if (!F.ProductCandidates.empty())
      Strings("product_candidates", F.ProductCandidates);
    J.attribute("product_name", llvm::StringRef(F.ProductName));
    J.attribute("rule_id", llvm::StringRef(F.RuleId));
    Strings("scopes_fallback", F.ScopesFallback);
    Strings("scopes_needed", F.ScopesNeeded);
    Strings("scopes_unconfirmed", F.ScopesUnconfirmed);
    J.attribute("severity", severityName(F.Sev));
    J.attribute("snippet", llvm::StringRef(F.Snippet));
    Pos("start", F.Begin);
    if (F.StatementBegin.Line)
      J.attributeObject("statement", [&] {
        Pos("end", F.StatementEnd);
        Pos("start", F.StatementBegin);
      });
    J.attribute("status", llvm::StringRef(F.Status));
  });
}
} // namespace

void writeJson(llvm::raw_ostream &OS, const ScanResult &R, const ReportContext &Ctx) {
  const ScanStats &S = R.Stats;
  llvm::json::Object ByLang;
  for (auto &[L, N] : S.FilesByLanguage)
    ByLang[L] = N;
  llvm::json::Object GenericByExt;
  for (auto &[E, N] : S.GenericByExtension)
    GenericByExt[E] = N;
  llvm::json::Array Problems, Notes;
  for (const std::string &P : S.Problems)
    Problems.push_back(redactSecrets(P));
  for (const std::string &N : S.Notes)
    Notes.push_back(redactSecrets(N));
  llvm::json::Object Summary{
      {"findings", static_cast<int64_t>(R.Findings.size())},
      {"files_scanned", S.FilesScanned},
      {"files_without_candidates", S.PrefilterRejected},
      {"skipped", llvm::json::Object{{"ignored", S.Ignored},
                                     {"binary", S.Binary},
                                     {"too_large", S.TooLarge},
                                     {"unknown_language", S.UnknownLanguage},
                                     {"symlinks", S.Symlinks},
                                     {"unreadable", S.Unreadable}}},
      {"invalid_utf8", S.InvalidUtf8},
      {"suppressed", S.Suppressed},
      {"outside_diff", S.OutsideDiff},
      {"disabled_by_config", S.DisabledByConfig},
      {"baselined", S.Baselined},
      {"bytes", static_cast<int64_t>(S.Bytes)},
      {"seconds", S.Seconds},
      {"files_by_language", std::move(ByLang)},
      {"generic_by_extension", std::move(GenericByExt)},
      {"problems", std::move(Problems)},
      {"notes", std::move(Notes)},
  };
  auto OrNull = [](const std::string &S) {
    return S.empty() ? llvm::json::Value(nullptr) : llvm::json::Value(S);
  };
  // The root's keys in sorted order too (see writeFindingJson); the findings are streamed,
  // the small parts built as values.
  OStream J(OS, 2);
  J.object([&] {
    J.attribute("as_of", Ctx.AsOf.str());
    J.attributeArray("findings", [&] {
      for (const Finding &F : R.Findings)
        writeFindingJson(J, F);
    });
    if (!Ctx.Repos.empty()) {
      llvm::json::Array Repos;
      for (const RepoTotals &T : Ctx.Repos) {
        llvm::json::Object O{{"name", T.Name},
                             {"findings", T.Findings},
                             {"files_scanned", T.FilesScanned},
                             {"commit", OrNull(T.Commit)},
                             {"url", OrNull(T.Url)}};
        if (!T.Error.empty())
          O["error"] = redactSecrets(T.Error);
        Repos.push_back(std::move(O));
      }
      J.attribute("repositories", std::move(Repos));
    }
    if (Ctx.Repository) {
      llvm::json::Object Repo{{"name", Ctx.Repository->Name},
                              {"url", OrNull(Ctx.Repository->Url)},
                              {"commit", OrNull(Ctx.Repository->Commit)}};
      if (!Ctx.Repository->Error.empty())
        Repo["error"] = redactSecrets(Ctx.Repository->Error);
      J.attribute("repository", std::move(Repo));
    }
    J.attribute("root", OrNull(Ctx.Root));
    J.attribute("schema", "authtoken-migrate/scan");
    J.attribute("schema_version", JsonSchemaVersion);
    J.attribute("summary", std::move(Summary));
    J.attribute("tool", llvm::json::Object{{"name", "authtoken-migrate"},
                                           {"version", Ctx.ToolVersion}});
  });
  OS << "\n";
}

namespace {
/// A rule message as a description: placeholders that only a finding can fill become
/// words ("{product}" -> "Zoho").
std::string ruleDescription(llvm::StringRef Message) {
  std::string S = Message.str();
  auto Replace = [&](llvm::StringRef From, llvm::StringRef To) {
    for (size_t P; (P = S.find(From.str())) != std::string::npos;)
      S.replace(P, From.size(), To.str());
  };
  Replace("{product} ", "Zoho ");
  Replace("{product}", "Zoho");
  Replace("{dc}", "the data centre");
  Replace("{match}", "the matched name");
  Replace("Zoho Zoho", "Zoho");
  return S;
}

/// SARIF `name`: a readable identifier that differs from the id (SARIF1001):
/// "zoho-authtoken-url-param" -> "ZohoAuthtokenUrlParam".
std::string ruleName(llvm::StringRef Id) {
  std::string Out;
  bool Up = true;
  for (char C : Id) {
    if (!llvm::isAlnum(C)) {
      Up = true;
      continue;
    }
    Out.push_back(Up ? llvm::toUpper(C) : C);
    Up = false;
  }
  return Out;
}
} // namespace

void writeSarif(llvm::raw_ostream &OS, const ScanResult &R, const ReportContext &Ctx) {
  llvm::json::Array Rules;
  std::map<std::string, size_t> RuleIndex;
  if (Ctx.Rules)
    for (const Rule &Ru : Ctx.Rules->Rules) {
      RuleIndex[Ru.Id] = Rules.size();
      std::string Desc = ruleDescription(Ru.Message);
      std::string Help = Ru.Help.empty() ? Desc : ruleDescription(Ru.Help);
      llvm::json::Array Tags{"security", "zoho", "authtoken", "deprecated-api"};
      for (const std::string &T : Ru.Tags)
        Tags.push_back(T);
      std::string SecSev = Ru.Sev == Severity::Critical ? "9.5"
                           : Ru.Sev == Severity::Error  ? "7.5"
                           : Ru.Sev == Severity::Warning ? "5.0"
                                                        : "2.0";
      llvm::json::Object RO{
          {"id", Ru.Id},
          {"name", ruleName(Ru.Id)},
          {"shortDescription", llvm::json::Object{{"text", ruleDescription(Ru.Title)}}},
          {"fullDescription", llvm::json::Object{{"text", Desc}}},
          {"help", llvm::json::Object{{"text", Help}, {"markdown", Help}}},
          {"defaultConfiguration", llvm::json::Object{{"level", sarifLevel(Ru.Sev)}}},
          {"properties", llvm::json::Object{{"tags", std::move(Tags)},
                                            {"precision", "high"},
                                            {"problem.severity",
                                             Ru.Sev == Severity::Note ? "recommendation"
                                             : Ru.Sev == Severity::Warning ? "warning"
                                                                           : "error"},
                                            {"security-severity", SecSev}}},
      };
      if (!Ru.HelpUri.empty())
        RO["helpUri"] = Ru.HelpUri;
      Rules.push_back(std::move(RO));
    }
  // --report-unused-suppressions: the pseudo-rule, when it has results.
  if (llvm::any_of(R.Findings, [](const Finding &F) { return F.RuleId == "unused-suppression"; })) {
    RuleIndex["unused-suppression"] = Rules.size();
    const char *Text = "An inline 'authtoken-migrate: ignore' marker that silenced no finding.";
    Rules.push_back(llvm::json::Object{
        {"id", "unused-suppression"},
        {"name", "UnusedSuppression"},
        {"shortDescription", llvm::json::Object{{"text", "Unused suppression"}}},
        {"fullDescription", llvm::json::Object{{"text", Text}}},
        {"help", llvm::json::Object{{"text", "Delete the marker, or the rule ids it no longer needs."},
                                    {"markdown", "Delete the marker, or the rule ids it no longer needs."}}},
        {"defaultConfiguration", llvm::json::Object{{"level", "warning"}}},
        {"properties", llvm::json::Object{{"tags", llvm::json::Array{"maintainability"}},
                                          {"precision", "high"},
                                          {"problem.severity", "warning"}}}});
  }
  llvm::json::Array Results;
  Results.reserve(R.Findings.size()); // see writeJson
  for (const Finding &F : R.Findings) {
    // SARIF columns are UTF-16 code units (columnKind below); our columns are bytes.
    unsigned SC = F.Utf16Begin ? F.Utf16Begin : utf16Column(F.LineText, F.Begin.Column);
    unsigned EC = F.Utf16Begin               ? F.Utf16End
                  : F.End.Line == F.Begin.Line ? utf16Column(F.LineText, F.End.Column)
                                               : F.End.Column;
    llvm::json::Object Res{
        {"ruleId", F.RuleId},
        {"level", sarifLevel(F.Sev)},
        {"message", llvm::json::Object{{"text", F.Message + (F.Cutoff.empty() ? "" : " (" + stableCutoffText(F, Ctx.AsOf) + ")")}}},
        {"locations",
         llvm::json::Array{llvm::json::Object{
             {"physicalLocation",
              llvm::json::Object{
                  {"artifactLocation",
                   llvm::json::Object{{"uri", percentEncodePath(F.Path)},
                                      {"uriBaseId", "%SRCROOT%"}}},
                  {"region", llvm::json::Object{{"startLine", F.Begin.Line},
                                                {"startColumn", SC},
                                                {"endLine", F.End.Line},
                                                {"endColumn", EC}}}}}}}},
        {"partialFingerprints",
         F.LineHash.empty()
             ? llvm::json::Object{{"authtokenMigrate/v1", F.Fingerprint}}
             : llvm::json::Object{{"authtokenMigrate/v1", F.Fingerprint},
                                  {"primaryLocationLineHash", F.LineHash}}},
        {"properties",
         llvm::json::Object{
             {"product", F.Product.empty() ? "unknown" : F.Product},
             {"productName", F.ProductName},
             {"datacenter", F.DataCentre.empty() ? "unknown" : F.DataCentre},
             {"cutoff", F.Cutoff},
             {"cutoffConfirmed", F.CutoffConfirmed},
             {"status", F.Status},
             {"severity", severityName(F.Sev)},
             {"fixable", F.Fixable}}},
    };
    if (auto Days = daysPastCutoff(F, Ctx.AsOf))
      (*Res.getObject("properties"))["daysPastCutoff"] = *Days;
    if (!F.ProductCandidates.empty())
      (*Res.getObject("properties"))["productCandidates"] = llvm::json::Array(F.ProductCandidates);
    if (!F.FixNote.empty())
      (*Res.getObject("properties"))["fixNote"] = F.FixNote;
    {
      llvm::json::Object &Props = *Res.getObject("properties");
      Props["scopesNeeded"] = llvm::json::Array(F.ScopesNeeded);
      if (!F.ScopesUnconfirmed.empty())
        Props["scopesUnconfirmed"] = llvm::json::Array(F.ScopesUnconfirmed);
      if (!F.ScopesFallback.empty())
        Props["scopesFallback"] = llvm::json::Array(F.ScopesFallback);
    }
    // The statement the finding belongs to, as SARIF's contextRegion (whole lines: a
    // proper superset of the region, §3.29.5).
    if (F.StatementBegin.Line &&
        (F.StatementBegin.Line < F.Begin.Line || F.StatementEnd.Line > F.End.Line)) {
      llvm::json::Object &PL =
          *(*Res.getArray("locations"))[0].getAsObject()->getObject("physicalLocation");
      PL["contextRegion"] = llvm::json::Object{
          {"startLine", std::min(F.StatementBegin.Line, F.Begin.Line)},
          {"endLine", std::max(F.StatementEnd.Line, F.End.Line)}};
    }
    auto It = RuleIndex.find(F.RuleId);
    if (It != RuleIndex.end())
      Res["ruleIndex"] = static_cast<int64_t>(It->second);
    Results.push_back(std::move(Res));
  }
  llvm::json::Object Run{
      {"tool",
       llvm::json::Object{{"driver", llvm::json::Object{{"name", "authtoken-migrate"},
                                                        {"semanticVersion", Ctx.ToolVersion},
                                                        {"informationUri", ATM_INFORMATION_URI},
                                                        {"rules", std::move(Rules)}}}}},
      {"automationDetails", llvm::json::Object{{"id", Ctx.Category + "/"}}},
      {"columnKind", "utf16CodeUnits"},
      {"results", std::move(Results)},
  };
  // %SRCROOT% is stated, so a consumer that is not GitHub can resolve the URIs too.
  if (!Ctx.Root.empty())
    Run["originalUriBaseIds"] = llvm::json::Object{
        {"%SRCROOT%",
         llvm::json::Object{
             {"uri", "file://" + percentEncodePath(Ctx.Root == "/" ? "/" : Ctx.Root + "/")},
             {"description", llvm::json::Object{{"text", "The scan root"}}}}}};
  llvm::json::Object Root{
      {"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
      {"version", "2.1.0"},
      {"runs", llvm::json::Array{std::move(Run)}},
  };
  OS << llvm::formatv("{0:2}", llvm::json::Value(std::move(Root))) << "\n";
}

} // namespace atm
