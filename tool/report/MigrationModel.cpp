//===- MigrationModel.cpp - what the migration report says ----------------===//

#include "report/MigrationModel.h"

#include <algorithm>
#include <set>
#include <tuple>

#include "core/ScopeSummary.h"
#include "fmt/format.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringRef.h"

namespace atm::report {

namespace {

/// Most first, then by name.
std::vector<std::pair<std::string, unsigned>> byCount(const std::map<std::string, unsigned> &M) {
  std::vector<std::pair<std::string, unsigned>> V(M.begin(), M.end());
  std::stable_sort(V.begin(), V.end(),
                   [](const auto &A, const auto &B) { return A.second > B.second; });
  return V;
}

std::string directoryOf(llvm::StringRef Path) {
  size_t Slash = Path.rfind('/');
  return Slash == llvm::StringRef::npos ? std::string("(top level)")
                                        : Path.substr(0, Slash).str() + "/";
}

/// Directory bars beyond this many are summed up as one "other directories" bar.
constexpr size_t MaxDirectoryBars = 12;

} // namespace

bool isHardcodedTokenRule(llvm::StringRef RuleId) {
  // fix/ConfigFixer.cpp hardcodedRule and fix/DelugeFixer.cpp (rule ids holding
  // "hardcoded"): zoho-authtoken-hardcoded, zoho-config-credential-hardcoded,
  // cpp-authtoken-hardcoded.
  return RuleId.contains("hardcoded");
}

std::string scopeCaveats(const std::vector<std::string> &Unconfirmed,
                         const std::vector<std::string> &Fallback) {
  std::string Out;
  if (!Unconfirmed.empty())
    Out = "unconfirmed: " + scopeString(Unconfirmed);
  if (!Fallback.empty())
    Out += (Out.empty() ? "" : "; ") + std::string("catch-all (no narrower scope known): ") +
           scopeString(Fallback);
  return Out;
}

std::string fixText(const Finding &F) {
  if (!F.FixNote.empty())
    return F.FixNote;
  if (!F.Fixable && !F.FixHint.empty())
    return F.FixHint;
  return F.Fixable ? "rewritten by `fix`" : "no automatic fix for this idiom";
}

DcHosts dcHosts(llvm::StringRef Dc) {
  // zoho-reference.md §1.4; CA lives under zohocloud.ca.
  static const std::pair<const char *, const char *> Tlds[] = {
      {"us", "zoho.com"},    {"eu", "zoho.eu"}, {"in", "zoho.in"},      {"au", "zoho.com.au"},
      {"cn", "zoho.com.cn"}, {"jp", "zoho.jp"}, {"ca", "zohocloud.ca"}, {"sa", "zoho.sa"},
      {"uk", "zoho.uk"},     {"ae", "zoho.ae"}};
  // Only letters and digits of an unknown id (it comes from the scan JSON with --from).
  std::string Id;
  for (char C : Dc.lower())
    if (llvm::isAlnum(C) && Id.size() < 8)
      Id.push_back(C);
  if (Id.empty())
    Id = "us";
  std::string Tld = "zoho.com";
  for (const auto &[K, T] : Tlds)
    if (Id == K)
      Tld = T;
  return {Id, "accounts." + Tld, "api-console." + Tld};
}

std::string verdict(const ProductGroup &G) {
  if (!G.DaysLeft)
    return "no cutoff known";
  std::string Unconfirmed = G.Confirmed ? "" : " (date unconfirmed)";
  int64_t D = *G.DaysLeft;
  if (D < 0)
    return fmt::format("broken since {} ({} day{}){}", G.Cutoff, -D, D == -1 ? "" : "s",
                       Unconfirmed);
  if (D == 0)
    return "broken since today (" + G.Cutoff + ")" + Unconfirmed;
  return fmt::format("due in {} day{} ({}){}", D, D == 1 ? "" : "s", G.Cutoff, Unconfirmed);
}

Model buildModel(const ScanResult &R, const Date &AsOf) {
  Model M;
  M.AsOf = AsOf;
  M.Total = R.Findings.size();
  M.FilesScanned = R.Stats.FilesScanned;
  std::map<std::string, unsigned> Products, Dirs;
  std::set<std::string> Files, DcSeen;
  std::set<std::pair<std::string, unsigned>> RevokeAt;
  using Key = std::tuple<std::string, std::string, std::string, bool>;
  std::map<Key, ProductGroup> Groups;
  std::map<Key, std::map<std::string, std::vector<const Finding *>>> FilesOf;
  for (const Finding &F : R.Findings) {
    M.Fixable += F.Fixable;
    ++M.BySeverity[F.Sev];
    ++Products[F.ProductName];
    ++Dirs[directoryOf(F.Path)];
    Files.insert(F.Path);
    DcSeen.insert(F.DataCentre.empty() ? "us" : F.DataCentre);
    Key K{F.ProductName, F.DataCentre, F.Cutoff, F.CutoffConfirmed};
    ProductGroup &G = Groups[K];
    if (G.Count == 0) {
      G.Product = F.Product;
      G.ProductName = F.ProductName;
      G.DataCentre = F.DataCentre;
      G.Cutoff = F.Cutoff;
      G.Confirmed = F.CutoffConfirmed;
      if (auto C = Date::parse(F.Cutoff))
        G.DaysLeft = C->toDays() - AsOf.toDays();
      G.MaxSev = F.Sev;
    }
    ++G.Count;
    G.Fixable += F.Fixable;
    ++G.BySeverity[F.Sev];
    G.MaxSev = std::max(G.MaxSev, F.Sev);
    FilesOf[K][F.Path].push_back(&F);
    if (!G.DaysLeft)
      ++M.NoCutoff;
    else if (*G.DaysLeft <= 0)
      ++M.Past;
    else
      ++M.Due;
    // One entry per place: two rules flagging the same value list it once.
    if (isHardcodedTokenRule(F.RuleId) && RevokeAt.insert({F.Path, F.Begin.Line}).second)
      M.Revoke.push_back({&F});
  }
  M.FilesWithFindings = Files.size();
  M.ByProduct = byCount(Products);
  auto DirBars = byCount(Dirs);
  if (DirBars.size() > MaxDirectoryBars) {
    unsigned Rest = 0;
    for (size_t I = MaxDirectoryBars - 1; I < DirBars.size(); ++I)
      Rest += DirBars[I].second;
    size_t Others = DirBars.size() - (MaxDirectoryBars - 1);
    DirBars.resize(MaxDirectoryBars - 1);
    DirBars.push_back({fmt::format("{} other directories", Others), Rest});
  }
  M.ByDirectory = std::move(DirBars);

  for (auto &[K, G] : Groups) {
    for (auto &[Path, Fs] : FilesOf[K]) {
      PlanFile PF{Path, Fs};
      std::stable_sort(PF.Findings.begin(), PF.Findings.end(),
                       [](const Finding *A, const Finding *B) {
                         return std::tie(A->Begin.Line, A->Begin.Column) <
                                std::tie(B->Begin.Line, B->Begin.Column);
                       });
      G.Files.push_back(std::move(PF));
    }
    auto MaxSev = [](const PlanFile &P) {
      Severity S = Severity::Note;
      for (const Finding *F : P.Findings)
        S = std::max(S, F->Sev);
      return S;
    };
    std::stable_sort(G.Files.begin(), G.Files.end(), [&](const PlanFile &A, const PlanFile &B) {
      auto SA = MaxSev(A), SB = MaxSev(B);
      if (SA != SB)
        return SA > SB;
      return A.Findings.size() > B.Findings.size();
    });
    M.Groups.push_back(std::move(G));
  }
  // Urgency: longest broken first, then the nearest deadline, then no known cutoff; ties
  // go to the more severe, then the larger group, then by name.
  std::stable_sort(
      M.Groups.begin(), M.Groups.end(), [](const ProductGroup &A, const ProductGroup &B) {
        if (A.DaysLeft.has_value() != B.DaysLeft.has_value())
          return A.DaysLeft.has_value();
        if (A.DaysLeft && *A.DaysLeft != *B.DaysLeft)
          return *A.DaysLeft < *B.DaysLeft;
        if (A.MaxSev != B.MaxSev)
          return A.MaxSev > B.MaxSev;
        if (A.Count != B.Count)
          return A.Count > B.Count;
        return std::tie(A.ProductName, A.DataCentre) < std::tie(B.ProductName, B.DataCentre);
      });

  // Scopes per product (core/ScopeSummary.h), one row per product with findings.
  auto Scopes = scopesByProduct(R.Findings);
  std::map<std::string, ClientScopes> Rows;
  std::map<std::string, std::set<std::string>> RowUnconfirmed, RowFallback;
  std::set<std::string> All;
  for (const Finding &F : R.Findings) {
    RowUnconfirmed[F.Product].insert(F.ScopesUnconfirmed.begin(), F.ScopesUnconfirmed.end());
    RowFallback[F.Product].insert(F.ScopesFallback.begin(), F.ScopesFallback.end());
    M.UnconfirmedScopes.insert(F.ScopesUnconfirmed.begin(), F.ScopesUnconfirmed.end());
    M.FallbackScopes.insert(F.ScopesFallback.begin(), F.ScopesFallback.end());
    ClientScopes &Row = Rows[F.Product];
    Row.Product = F.Product;
    if (Row.ProductName.empty())
      Row.ProductName = F.ProductName;
    ++Row.Findings;
    Row.WithScopes += !F.ScopesNeeded.empty();
  }
  for (auto &[P, Row] : Rows) {
    auto It = Scopes.find(P);
    if (It != Scopes.end())
      Row.Scopes = It->second;
    Row.Unconfirmed.assign(RowUnconfirmed[P].begin(), RowUnconfirmed[P].end());
    Row.Fallback.assign(RowFallback[P].begin(), RowFallback[P].end());
    All.insert(Row.Scopes.begin(), Row.Scopes.end());
    M.Scopes.push_back(Row);
  }
  std::stable_sort(M.Scopes.begin(), M.Scopes.end(), [](const ClientScopes &A, const ClientScopes &B) {
    return A.ProductName < B.ProductName;
  });
  M.AllScopes.assign(All.begin(), All.end());
  if (DcSeen.empty())
    DcSeen.insert("us");
  for (const std::string &D : DcSeen) {
    DcHosts H = dcHosts(D);
    std::set<std::string> DcScopes;
    for (const Finding &F : R.Findings)
      if ((F.DataCentre.empty() ? "us" : F.DataCentre) == D)
        DcScopes.insert(F.ScopesNeeded.begin(), F.ScopesNeeded.end());
    DcScopes.erase("");
    H.Scopes.assign(DcScopes.begin(), DcScopes.end());
    M.Dcs.push_back(std::move(H));
  }

  std::set<std::tuple<std::string, std::string, bool>> Seen;
  for (const ProductGroup &G : M.Groups) {
    if (!G.DaysLeft)
      continue;
    std::string Label = G.ProductName + (G.DataCentre.empty() ? "" : " (" + G.DataCentre + ")");
    if (!Seen.insert({Label, G.Cutoff, G.Confirmed}).second)
      continue;
    M.Timeline.push_back({Label, G.Cutoff, *G.DaysLeft <= 0, G.Confirmed});
  }
  std::stable_sort(
      M.Timeline.begin(), M.Timeline.end(),
      [](const Model::Milestone &A, const Model::Milestone &B) { return A.Date < B.Date; });
  return M;
}

} // namespace atm::report
