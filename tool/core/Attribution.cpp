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

/// Distinct product ids and DC ids of the evidence that lies in \p Ranges (all of the
/// evidence when \p Ranges is null), each in order of first appearance. HostProds are the
/// products named by a host: below a Markdown section, a product named by a host
/// (desk.zoho.com) outranks one only mentioned at the same level (a scope, a task, the
/// words "Zoho Support" in a ticket's text), since the host is where the request goes.
struct Found {
  std::vector<const Product *> Prods;
  std::vector<const Product *> HostProds;
  std::vector<std::string> Dcs;
  void add(const Evidence &E) {
    if (E.Prod && std::find(Prods.begin(), Prods.end(), E.Prod) == Prods.end())
      Prods.push_back(E.Prod);
    if (E.Prod && E.FromHost &&
        std::find(HostProds.begin(), HostProds.end(), E.Prod) == HostProds.end())
      HostProds.push_back(E.Prod);
    if (!E.DataCentre.empty() && std::find(Dcs.begin(), Dcs.end(), E.DataCentre) == Dcs.end())
      Dcs.push_back(E.DataCentre);
  }
};

Found collect(llvm::ArrayRef<Evidence> Ev, const std::vector<ByteRange> *Ranges) {
  Found F;
  if (!Ranges) {
    for (const Evidence &E : Ev)
      F.add(E);
    return F;
  }
  for (const ByteRange &R : *Ranges) {
    auto It = std::lower_bound(Ev.begin(), Ev.end(), R.Begin,
                               [](const Evidence &E, size_t O) { return E.Offset < O; });
    for (; It != Ev.end() && It->Offset < R.End; ++It)
      F.add(*It);
  }
  return F;
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
  Found F = collect(Ev, &L.Ranges);
  return {!F.Prods.empty(), !F.Dcs.empty()};
}

Attribution attribute(llvm::ArrayRef<Evidence> Ev, const RequestContext &Ctx) {
  Attribution A;
  auto Decide = [&](const Found &F, ContextLevel L) {
    if (!A.ProductDecided && !F.Prods.empty()) {
      // Within a request or block, not across a Markdown section or a file: a README's hosts
      // do not say which product its other examples are for.
      bool HostsFirst = !F.HostProds.empty() && L < ContextLevel::Section;
      const std::vector<const Product *> &Ps = HostsFirst ? F.HostProds : F.Prods;
      A.ProductDecided = true;
      A.ProductLevel = L;
      if (Ps.size() == 1)
        A.Prod = Ps.front();
      else
        A.ProductCandidates = sortedIds(Ps);
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
    Decide(collect(Ev, &L.Ranges), L.Kind);
  }
  if (!A.ProductDecided || !A.DcDecided)
    Decide(collect(Ev, nullptr), ContextLevel::File);
  return A;
}

} // namespace atm
