#include "core/ScopeSummary.h"

#include <algorithm>
#include <set>

namespace atm {

std::map<std::string, std::vector<std::string>>
scopesByProduct(const std::vector<Finding> &Findings) {
  std::map<std::string, std::set<std::string>> Sets;
  for (const Finding &F : Findings)
    for (const std::string &S : F.ScopesNeeded)
      if (!S.empty())
        Sets[F.Product].insert(S);
  std::map<std::string, std::vector<std::string>> Out;
  for (auto &[P, S] : Sets)
    Out[P] = std::vector<std::string>(S.begin(), S.end());
  return Out;
}

std::string scopeString(const std::vector<std::string> &Scopes) {
  std::string Out;
  for (const std::string &S : Scopes) {
    if (!Out.empty())
      Out += ',';
    Out += S;
  }
  return Out;
}

} // namespace atm
