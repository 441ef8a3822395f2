#pragma once
/// \file
/// The OAuth scopes a set of findings needs, summed up per product: what the reports
/// (text trailer, HTML, Markdown) print as the scope string of each client. The
/// per-finding inference (endpoint -> scope, rules/catalog/scopes.yaml) fills
/// Finding::ScopesNeeded; this only sums up.

#include <map>
#include <string>
#include <vector>

#include "core/Finding.h"

namespace atm {

/// Per product id ("" = product unknown): the sorted, deduplicated scopes of its findings.
/// Products whose findings carry no scope are absent.
std::map<std::string, std::vector<std::string>>
scopesByProduct(const std::vector<Finding> &Findings);

/// The scopes as Zoho's `scope=` parameter takes them: comma-separated, no spaces.
std::string scopeString(const std::vector<std::string> &Scopes);

} // namespace atm
