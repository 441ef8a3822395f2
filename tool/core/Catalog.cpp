#include "core/Catalog.h"

#include <algorithm>
#include <map>
#include <set>

#include "core/Yaml.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "re2/re2.h"

namespace atm {

Catalog::Catalog() = default;
Catalog::~Catalog() = default;
Catalog::Catalog(Catalog &&) = default;
Catalog &Catalog::operator=(Catalog &&) = default;

namespace {

using llvm::yaml::KeyValueNode;
using llvm::yaml::MappingNode;
using llvm::yaml::SequenceNode;

llvm::Error readCutoff(const YamlFile &F, llvm::yaml::Node *N, Cutoff &C) {
  bool HaveDate = false;
  if (auto E = forEachKey(
          F, N, {"date", "data-centres", "languages", "event", "source", "confirmed"},
          [&](llvm::StringRef K, KeyValueNode &KV) -> llvm::Error {
            if (K == "data-centres" || K == "languages") {
              auto L = F.scalarList(KV.getValue());
              if (!L)
                return L.takeError();
              (K == "languages" ? C.Languages : C.DataCentres) = std::move(*L);
              return llvm::Error::success();
            }
            auto V = F.scalar(KV.getValue());
            if (!V)
              return V.takeError();
            if (K == "date") {
              auto D = Date::parse(*V);
              if (!D)
                return F.error(KV.getValue(), "expected a date YYYY-MM-DD, got '" + *V + "'");
              C.When = *D;
              HaveDate = true;
            } else if (K == "event") {
              C.Event = *V;
            } else if (K == "source") {
              C.Source = *V;
            } else if (K == "confirmed") {
              if (*V != "true" && *V != "false")
                return F.error(KV.getValue(), "expected true or false");
              C.Confirmed = *V == "true";
            }
            return llvm::Error::success();
          }))
    return E;
  if (!HaveDate)
    return F.error(N, "a cutoff needs a 'date'");
  return llvm::Error::success();
}

std::string escapeAlternation(std::vector<std::string> Items) {
  std::sort(Items.begin(), Items.end(), [](const std::string &A, const std::string &B) {
    return A.size() > B.size();
  });
  std::string Out;
  for (const std::string &I : Items) {
    if (!Out.empty())
      Out += "|";
    Out += RE2::QuoteMeta(I);
  }
  return Out;
}

} // namespace

llvm::Expected<Catalog> Catalog::parse(llvm::StringRef Content, llvm::StringRef Name) {
  auto F = YamlFile::parse(Content, Name);
  if (!F)
    return F.takeError();
  Catalog Cat;
  const YamlFile &Y = **F;
  if (auto E = forEachKey(
          Y, Y.root(), {"version", "data-centres", "products"},
          [&](llvm::StringRef K, KeyValueNode &KV) -> llvm::Error {
            if (K == "version")
              return llvm::Error::success();
            auto *Seq = llvm::dyn_cast_or_null<SequenceNode>(KV.getValue());
            if (!Seq)
              return Y.error(KV.getValue(), "expected a list");
            for (llvm::yaml::Node &Item : *Seq) {
              if (K == "data-centres") {
                DataCentre D;
                if (auto E = forEachKey(
                        Y, &Item, {"id", "name", "domains", "accounts", "api-domain"},
                        [&](llvm::StringRef K2, KeyValueNode &KV2) -> llvm::Error {
                          if (K2 == "domains") {
                            auto L = Y.scalarList(KV2.getValue());
                            if (!L)
                              return L.takeError();
                            D.Domains = std::move(*L);
                            return llvm::Error::success();
                          }
                          auto V = Y.scalar(KV2.getValue());
                          if (!V)
                            return V.takeError();
                          (K2 == "id"         ? D.Id
                           : K2 == "name"     ? D.Name
                           : K2 == "accounts" ? D.Accounts
                                              : D.ApiDomain) = *V;
                          return llvm::Error::success();
                        }))
                  return E;
                if (D.Id.empty() || D.Domains.empty())
                  return Y.error(&Item, "a data centre needs 'id' and 'domains'");
                Cat.DataCentres.push_back(std::move(D));
                continue;
              }
              Product P;
              if (auto E = forEachKey(
                      Y, &Item,
                      {"id", "name", "host-labels", "path-hints", "legacy-scopes",
                       "deluge-tasks", "keywords", "code-names", "oauth-api", "oauth-scopes",
                       "cutoffs"},
                      [&](llvm::StringRef K2, KeyValueNode &KV2) -> llvm::Error {
                        if (K2 == "cutoffs") {
                          auto *CS = llvm::dyn_cast_or_null<SequenceNode>(KV2.getValue());
                          if (!CS)
                            return Y.error(KV2.getValue(), "expected a list of cutoffs");
                          for (llvm::yaml::Node &CN : *CS) {
                            Cutoff C;
                            if (auto E = readCutoff(Y, &CN, C))
                              return E;
                            P.Cutoffs.push_back(std::move(C));
                          }
                          return llvm::Error::success();
                        }
                        if (K2 == "id" || K2 == "name" || K2 == "oauth-api") {
                          auto V = Y.scalar(KV2.getValue());
                          if (!V)
                            return V.takeError();
                          (K2 == "id" ? P.Id : K2 == "name" ? P.Name : P.OAuthApi) = *V;
                          return llvm::Error::success();
                        }
                        auto L = Y.scalarList(KV2.getValue());
                        if (!L)
                          return L.takeError();
                        (K2 == "host-labels"     ? P.HostLabels
                         : K2 == "path-hints"    ? P.PathHints
                         : K2 == "legacy-scopes" ? P.LegacyScopes
                         : K2 == "deluge-tasks"  ? P.DelugeTasks
                         : K2 == "keywords"      ? P.Keywords
                         : K2 == "code-names"    ? P.CodeNames
                                                 : P.OAuthScopes) = std::move(*L);
                        return llvm::Error::success();
                      }))
                return E;
              if (P.Id.empty() || P.Name.empty())
                return Y.error(&Item, "a product needs 'id' and 'name'");
              if (P.Cutoffs.empty())
                return Y.error(&Item, "product '" + P.Id + "' needs at least one cutoff");
              Cat.Products.push_back(std::move(P));
            }
            return llvm::Error::success();
          }))
    return E;
  if (!Cat.product("zoho"))
    return Y.error(Y.root(), "the catalogue needs a fallback product with id 'zoho'");
  if (Cat.DataCentres.empty())
    return Y.error(Y.root(), "the catalogue needs 'data-centres'");
  Cat.compile();
  return Cat;
}

void Catalog::compile() {
  std::vector<std::string> Domains, Scopes, Tasks, Names;
  for (const DataCentre &D : DataCentres)
    Domains.insert(Domains.end(), D.Domains.begin(), D.Domains.end());
  for (const Product &P : Products) {
    Scopes.insert(Scopes.end(), P.LegacyScopes.begin(), P.LegacyScopes.end());
    Tasks.insert(Tasks.end(), P.DelugeTasks.begin(), P.DelugeTasks.end());
    Tasks.insert(Tasks.end(), P.Keywords.begin(), P.Keywords.end());
    Names.insert(Names.end(), P.CodeNames.begin(), P.CodeNames.end());
  }
  RE2::Options O;
  O.set_log_errors(false);
  O.set_case_sensitive(false);
  // Group 1: the character before the host (to drop e-mail addresses), 2: subdomain
  // labels, 3: the registrable domain, 4: the path.
  HostRe = std::make_unique<RE2>(
      "(^|[^A-Za-z0-9.@-])((?:[A-Za-z0-9-]+\\.)*)(" + escapeAlternation(Domains) +
          ")\\b(/[^\\s\"'<>`),;]*)?",
      O);
  // The same with the data centre's domain left to a template slot, as clients that serve
  // every data centre write it: 'https://support.zoho.{region}/api/json'.format(…),
  // "crm.zoho.#{tld}", `books.zoho.${dc}`, "projectsapi.zoho.%s". Group 1 and 2 as above,
  // 3: the path. It names the product, never the data centre.
  SlotHostRe = std::make_unique<RE2>(
      "(^|[^A-Za-z0-9.@-])((?:[A-Za-z0-9-]+\\.)+)(?:zoho|zohoapis)\\."
      "(?:\\{\\{?\\s*[\\w.]*\\s*\\}\\}?|\\$\\{[\\w.]*\\}|#\\{[@\\w.]*\\}|%s)"
      "(/[^\\s\"'<>`),;]*)?",
      O);
  ScopeRe = std::make_unique<RE2>(
      Scopes.empty() ? std::string("(?!)x")
                     : "(?:^|[^A-Za-z0-9_])(" + escapeAlternation(Scopes) + ")(?:[^A-Za-z0-9_]|$)",
      O);
  TaskRe = std::make_unique<RE2>(
      Tasks.empty() ? std::string("(?!)x") : "(" + escapeAlternation(Tasks) + ")", O);
  // Group 1: "zoho", 2: the separator, 3: the name; word edges are checked in code
  // (camelCase: ZohoCRMClient, newZohoBooks). A PHP namespace separator counts too,
  // also doubled inside a string ('Zoho\\Recruit\\Client').
  NameRe = std::make_unique<RE2>(
      Names.empty() ? std::string("(?!)x")
                    : "(zoho)(::|\\\\{1,2}|[ ._:#/-]?)(" + escapeAlternation(Names) + ")",
      O);
}

const Product *Catalog::product(llvm::StringRef Id) const {
  for (const Product &P : Products)
    if (P.Id == Id)
      return &P;
  return nullptr;
}

const Product &Catalog::fallback() const { return *product("zoho"); }

const DataCentre *Catalog::dataCentre(llvm::StringRef Id) const {
  for (const DataCentre &D : DataCentres)
    if (D.Id == Id)
      return &D;
  return nullptr;
}

std::vector<Evidence> Catalog::findEvidence(llvm::StringRef Text) const {
  std::vector<Evidence> Out;
  if (!HostRe || !HostRe->ok())
    return Out;
  // The label right before the domain names the product (crm.zoho.com), else the path
  // (/crm/private/…). \p Labels ends with its dot ("crm.").
  auto HostProduct = [&](llvm::StringRef Labels, llvm::StringRef Path) -> const Product * {
    llvm::StringRef Label = Labels.drop_back(Labels.empty() ? 0 : 1);
    Label = Label.rsplit('.').second.empty() ? Label : Label.rsplit('.').second;
    for (const Product &P : Products)
      for (const std::string &L : P.HostLabels)
        if (Label.equals_insensitive(L))
          return &P;
    if (!Path.empty())
      for (const Product &P : Products)
        for (const std::string &H : P.PathHints)
          if (Path.startswith_insensitive(H))
            return &P;
    return nullptr;
  };
  re2::StringPiece In(Text.data(), Text.size());
  re2::StringPiece G[5];
  size_t Pos = 0;
  while (Pos <= Text.size() &&
         HostRe->Match(In, Pos, Text.size(), RE2::UNANCHORED, G, 5)) {
    size_t End = G[0].data() - Text.data() + G[0].size();
    Pos = End > Pos ? End : Pos + 1;
    llvm::StringRef Labels(G[2].data(), G[2].size());
    llvm::StringRef Domain(G[3].data(), G[3].size());
    llvm::StringRef Path(G[4].data() ? G[4].data() : "", G[4].size());
    Evidence E;
    E.Offset = G[2].data() - Text.data();
    E.Length = End - E.Offset;
    for (const DataCentre &D : DataCentres)
      for (const std::string &Dom : D.Domains)
        if (Domain.equals_insensitive(Dom))
          E.DataCentre = D.Id;
    E.Prod = HostProduct(Labels, Path);
    Out.push_back(std::move(E));
  }
  // Hosts with a template slot for the domain: only a product label counts (a slotted
  // accounts.zoho.{dc} says nothing).
  if (SlotHostRe && SlotHostRe->ok()) {
    re2::StringPiece S[4];
    size_t SPos = 0;
    while (SPos <= Text.size() &&
           SlotHostRe->Match(In, SPos, Text.size(), RE2::UNANCHORED, S, 4)) {
      size_t End = S[0].data() - Text.data() + S[0].size();
      SPos = End > SPos ? End : SPos + 1;
      llvm::StringRef Labels(S[2].data(), S[2].size());
      llvm::StringRef Path(S[3].data() ? S[3].data() : "", S[3].size());
      Evidence E;
      E.Offset = S[2].data() - Text.data();
      E.Length = End - E.Offset;
      E.Prod = HostProduct(Labels, Path);
      if (E.Prod)
        Out.push_back(std::move(E));
    }
  }
  auto AddMatches = [&](const RE2 &Re, bool IsTask) {
    re2::StringPiece G1[2];
    size_t P = 0;
    while (P <= Text.size() && Re.Match(In, P, Text.size(), RE2::UNANCHORED, G1, 2)) {
      size_t End = G1[0].data() - Text.data() + G1[0].size();
      P = End > P ? End : P + 1;
      llvm::StringRef Hit(G1[1].data(), G1[1].size());
      Evidence E;
      E.FromHost = false;
      E.Offset = G1[1].data() - Text.data();
      E.Length = G1[1].size();
      for (const Product &Pr : Products) {
        for (const std::string &S : IsTask ? Pr.DelugeTasks : Pr.LegacyScopes)
          if (Hit.equals_insensitive(S))
            E.Prod = &Pr;
        if (IsTask)
          for (const std::string &S : Pr.Keywords)
            if (Hit.equals_insensitive(S))
              E.Prod = &Pr;
        if (E.Prod)
          break;
      }
      if (E.Prod)
        Out.push_back(std::move(E));
    }
  };
  AddMatches(*ScopeRe, false);
  AddMatches(*TaskRe, true);
  {
    std::set<size_t> TaskAt;
    for (const Evidence &E : Out)
      if (!E.FromHost)
        TaskAt.insert(E.Offset);
    auto IsAlnum = [](char C) { return llvm::isAlnum(C); };
    auto IsUpper = [](char C) { return C >= 'A' && C <= 'Z'; };
    auto IsLower = [](char C) { return (C >= 'a' && C <= 'z') || llvm::isDigit(C); };
    re2::StringPiece G3[4];
    size_t P = 0;
    while (P <= Text.size() && NameRe->Match(In, P, Text.size(), RE2::UNANCHORED, G3, 4)) {
      size_t B = G3[0].data() - Text.data();
      size_t End = B + G3[0].size();
      P = B + 1;
      llvm::StringRef Zoho(G3[1].data(), G3[1].size());
      llvm::StringRef Sep(G3[2].data(), G3[2].size());
      llvm::StringRef Name(G3[3].data(), G3[3].size());
      // "zoho" starts a word (or a camelCase part: getZohoCRM), the name ends one
      // (ZOHO_CRM_TOKEN, ZohoCRMClient, ZohoBooksApi; not zohobooksclient).
      char Before = B ? Text[B - 1] : ' ';
      if (IsAlnum(Before) && !(Zoho[0] == 'Z' && IsLower(Before)))
        continue;
      char After = End < Text.size() ? Text[End] : ' ';
      if (IsAlnum(After) && !IsUpper(After))
        continue;
      const Product *Found = nullptr;
      for (const Product &Pr : Products) {
        for (const std::string &N : Pr.CodeNames)
          // Prose ("Zoho CRM", "Zoho Support") must be spelt as the product is.
          if (Sep == " " ? (Name == N && (Zoho == "Zoho" || Zoho == "ZOHO"))
                         : Name.equals_insensitive(N))
            Found = &Pr;
        if (Found)
          break;
      }
      // zoho.crm.getRecords is already a Deluge task mention.
      if (!Found || TaskAt.count(B))
        continue;
      Evidence E;
      E.FromHost = false;
      E.Offset = B;
      E.Length = End - B;
      E.Prod = Found;
      Out.push_back(std::move(E));
      P = End;
    }
  }
  std::stable_sort(Out.begin(), Out.end(),
                   [](const Evidence &A, const Evidence &B) { return A.Offset < B.Offset; });
  return Out;
}

const Cutoff *Catalog::cutoffFor(const Product &P, llvm::StringRef Dc,
                                 llvm::StringRef Language) const {
  auto LangOk = [&](const Cutoff &C) {
    return C.Languages.empty() || llvm::is_contained(C.Languages, Language.str());
  };
  auto HasDc = [](const Cutoff &C, llvm::StringRef D) {
    return llvm::is_contained(C.DataCentres, D.str());
  };
  // Language-specific entries first (CRM functions written in Deluge), then general.
  for (int Pass = 0; Pass < 2; ++Pass) {
    auto Pick = [&](auto Pred) -> const Cutoff * {
      for (const Cutoff &C : P.Cutoffs)
        if (LangOk(C) && (Pass == 1 || !C.Languages.empty()) && Pred(C))
          return &C;
      return nullptr;
    };
    const Cutoff *C = nullptr;
    if (!Dc.empty())
      C = Pick([&](const Cutoff &X) { return HasDc(X, Dc); });
    if (!C)
      C = Pick([](const Cutoff &X) { return X.DataCentres.empty(); });
    if (!C)
      C = Pick([&](const Cutoff &X) { return HasDc(X, "us"); });
    if (!C && Pass == 1)
      C = Pick([](const Cutoff &) { return true; });
    if (C)
      return C;
  }
  return nullptr;
}

} // namespace atm
