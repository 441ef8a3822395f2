/// \file
/// Fuzz target: the product catalogue loader (Catalog::parse: YAML, data centres,
/// products, cutoffs, and the host/scope/task regexes built from them), then evidence
/// inference and cutoff lookup on a fixed text for a catalogue that loads.
/// Seed: rules/catalog/products.yaml.

#include <cstdint>

#include "core/Catalog.h"
#include "fuzz/FuzzCommon.h"

using namespace atm;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  llvm::StringRef Content(reinterpret_cast<const char *>(Data), Size);
  auto C = Catalog::parse(Content, "catalog/products.yaml");
  if (!C) {
    std::string Msg = llvm::toString(C.takeError());
    ATM_FUZZ_CHECK(!Msg.empty(), "empty error message");
    return 0;
  }
  static const char Sample[] =
      "GET https://crm.zoho.eu/crm/private/json/Leads/getRecords?scope=crmapi\n"
      "zoho.crm.getRecords(\"Leads\"); https://books.zoho.in/api/v3/invoices\n"
      "https://accounts.zoho.com.au/apiauthtoken/nb/create?SCOPE=ZohoBooks/booksapi\n";
  for (const Evidence &E : C->findEvidence(Sample)) {
    ATM_FUZZ_CHECK(E.Offset < sizeof(Sample), "evidence at %zu", E.Offset);
    if (E.Prod)
      (void)C->cutoffFor(*E.Prod, E.DataCentre, "python");
  }
  for (const Product &P : C->products())
    for (const DataCentre &D : C->dataCentres())
      (void)C->cutoffFor(P, D.Id, "deluge");
  (void)C->fallback();
  return 0;
}
