#include "core/Attribution.h"

#include <algorithm>

namespace atm {

llvm::StringRef contextLevelName(ContextLevel L) {
  switch (L) {
  case ContextLevel::Literal:
    return "literal";
  case ContextLevel::Expression:
    return "expression";
  case ContextLevel::Group:
    return "group";
  case ContextLevel::Statement:
    return "statement";
  case ContextLevel::Consumer:
    return "consumer";
  case ContextLevel::Block:
    return "block";
  case ContextLevel::Section:
    return "section";
  case ContextLevel::File:
    return "file";
  }
  return "file";
}

namespace {

/// The products and data centres of one level. With \p PreferHosts (a level of the
/// request, up to its enclosing block), a host that names a product is where the request
/// goes: a product merely named at the same level (a scope, a Deluge task, "Zoho Support"
/// in a message) does not contest it.
struct Found {
  std::vector<const Product *> Prods;
  std::vector<std::string> Dcs;
  std::vector<const Product *> Named; ///< products of non-host evidence
  void add(const Evidence &E, bool PreferHosts) {
    auto &To = E.FromHost || !PreferHosts ? Prods : Named;
    if (E.Prod && std::find(To.begin(), To.end(), E.Prod) == To.end())
      To.push_back(E.Prod);
    if (!E.DataCentre.empty() && std::find(Dcs.begin(), Dcs.end(), E.DataCentre) == Dcs.end())
      Dcs.push_back(E.DataCentre);
  }
  Found &done() {
    if (Prods.empty())
      Prods = std::move(Named);
    Named.clear();
    return *this;
  }
};

/// Distinct product ids and DC ids of the evidence that lies in \p Ranges (all of the
/// evidence when \p Ranges is null), each in order of first appearance.
Found collect(llvm::ArrayRef<Evidence> Ev, const std::vector<ByteRange> *Ranges, bool PreferHosts) {
  Found F;
  if (!Ranges) {
    for (const Evidence &E : Ev)
      F.add(E, PreferHosts);
    return F.done();
  }
  for (const ByteRange &R : *Ranges) {
    auto It = std::lower_bound(Ev.begin(), Ev.end(), R.Begin,
                               [](const Evidence &E, size_t O) { return E.Offset < O; });
    for (; It != Ev.end() && It->Offset < R.End; ++It)
      F.add(*It, PreferHosts);
  }
  return F.done();
}

std::vector<std::string> sortedIds(const std::vector<const Product *> &Ps) {
  std::vector<std::string> Ids;
  for (const Product *P : Ps)
    Ids.push_back(P->Id);
  std::sort(Ids.begin(), Ids.end());
  return Ids;
}

} // namespace

LevelEvidence evidenceAt(llvm::ArrayRef<Evidence> Ev, const RequestContext::Level &L) {
  Found F = collect(Ev, &L.Ranges, false);
  return {!F.Prods.empty(), !F.Dcs.empty()};
}

Attribution attribute(llvm::ArrayRef<Evidence> Ev, const RequestContext &Ctx) {
  Attribution A;
  auto Decide = [&](const Found &F, ContextLevel L) {
    if (!A.ProductDecided && !F.Prods.empty()) {
      A.ProductDecided = true;
      A.ProductLevel = L;
      if (F.Prods.size() == 1)
        A.Prod = F.Prods.front();
      else
        A.ProductCandidates = sortedIds(F.Prods);
    }
    if (!A.DcDecided && !F.Dcs.empty()) {
      A.DcDecided = true;
      A.DcLevel = L;
      if (F.Dcs.size() == 1) {
        A.DataCentre = F.Dcs.front();
      } else {
        A.DcCandidates = F.Dcs;
        std::sort(A.DcCandidates.begin(), A.DcCandidates.end());
      }
    }
  };
  for (const RequestContext::Level &L : Ctx.Levels) {
    if (A.ProductDecided && A.DcDecided)
      break;
    if (L.Ranges.empty())
      continue;
    // A Markdown section or config table, like the whole file, pools hosts and names
    // spread over unrelated requests: a named product stays a candidate there.
    bool PreferHosts = L.Kind != ContextLevel::Section && L.Kind != ContextLevel::File;
    Decide(collect(Ev, &L.Ranges, PreferHosts), L.Kind);
  }
  if (!A.ProductDecided || !A.DcDecided)
    Decide(collect(Ev, nullptr, false), ContextLevel::File);
  return A;
}

} // namespace atm
