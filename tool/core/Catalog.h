#pragma once
/// \file
/// The Zoho product catalogue (data: rules/catalog/products.yaml): data centres, products,
/// their legacy hosts, OAuth API domains, scopes and cutoff dates; plus the inference of
/// product and data centre from the text around a finding.

#include <memory>
#include <string>
#include <vector>

#include "core/Text.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

namespace re2 {
class RE2;
}

namespace atm {

struct DataCentre {
  std::string Id;                   ///< "us", "eu", …
  std::string Name;                 ///< "United States"
  std::vector<std::string> Domains; ///< registrable domains: "zoho.com", "zohoapis.com"
  std::string Accounts;             ///< accounts server URL
  std::string ApiDomain;            ///< OAuth api_domain
};

struct Cutoff {
  Date When;
  std::vector<std::string> DataCentres; ///< empty = every data centre
  std::vector<std::string> Languages;   ///< empty = any language (e.g. [deluge])
  std::string Event;
  std::string Source;
  bool Confirmed = true;
};

struct Product {
  std::string Id;
  std::string Name;
  std::vector<std::string> HostLabels;   ///< "crm" for crm.zoho.com
  std::vector<std::string> PathHints;    ///< "/crm/" on www.zohoapis.* or generic hosts
  std::vector<std::string> LegacyScopes; ///< "crmapi", "ZohoCRM/crmapi"
  std::vector<std::string> DelugeTasks;  ///< "zoho.crm."
  std::vector<std::string> Keywords;     ///< companion headers etc.: "X-com-zoho-invoice-organizationid"
  /// Names after "Zoho" in client classes, SDK objects, settings and prose: "CRM" matches
  /// `Zoho.CRM`, `ZohoCRM`, `Zoho::CRM`, `zoho_crm`, `ZOHO_CRM_TOKEN`, "Zoho CRM".
  std::vector<std::string> CodeNames;
  std::string OAuthApi;                  ///< "https://www.zohoapis.{dc}/crm/v2"
  std::vector<std::string> OAuthScopes;
  std::vector<Cutoff> Cutoffs;
};

/// A place in a file that says which product and/or data centre is involved.
struct Evidence {
  size_t Offset = 0;
  const Product *Prod = nullptr; ///< may be null (e.g. accounts.zoho.eu says only the DC)
  std::string DataCentre;        ///< may be empty
  bool FromHost = true;          ///< false for scope/keyword/task/name mentions
  size_t Length = 0;             ///< bytes of the mention (the host with its path, …)
};

class Catalog {
public:
  Catalog();
  ~Catalog();
  Catalog(Catalog &&);
  Catalog &operator=(Catalog &&);

  /// Parses the catalogue YAML (errors name file:line:col).
  static llvm::Expected<Catalog> parse(llvm::StringRef Content, llvm::StringRef Name);

  const std::vector<Product> &products() const { return Products; }
  const std::vector<DataCentre> &dataCentres() const { return DataCentres; }
  const Product *product(llvm::StringRef Id) const;
  /// The product used when none can be inferred (id "zoho").
  const Product &fallback() const;
  const DataCentre *dataCentre(llvm::StringRef Id) const;

  /// Every host, legacy-scope, Deluge-task, keyword and code-name mention in \p Text, in
  /// offset order.
  std::vector<Evidence> findEvidence(llvm::StringRef Text) const;

  /// The cutoff that applies to \p P in data centre \p Dc ("" = not visible; the
  /// entry marked for "us" or for every DC is used) for a file in \p Language.
  const Cutoff *cutoffFor(const Product &P, llvm::StringRef Dc,
                          llvm::StringRef Language) const;

private:
  std::vector<DataCentre> DataCentres;
  std::vector<Product> Products;
  std::unique_ptr<re2::RE2> HostRe, ScopeRe, TaskRe, NameRe;
  /// A product host whose top-level domain is a template slot: support.zoho.{region}.
  std::unique_ptr<re2::RE2> SlotHostRe;
  void compile();
};

} // namespace atm
