#pragma once
/// \file
/// Internal: DC/product routing and the resource (API) endpoints of the mock, kept
/// free of cpp-httplib so only MockServer.cpp includes it.

#include "mock/MockState.h"

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringRef.h"

#include <string>

namespace atm::mock {

/// Who a request is addressed to.
enum class RouteRole {
  Accounts, ///< accounts.zoho.<tld> or /accounts/{dc}/…
  ZohoApis, ///< www.zohoapis.<tld> or /zohoapis/{dc}/…
  Product,  ///< <product>.zoho.<tld> or /api/{product}/{dc}/…
  Local,    ///< any other host, no prefix: accounts + inferred resource paths
  Admin,    ///< /__admin/…
};

struct Route {
  RouteRole Role = RouteRole::Local;
  std::string Dc;
  std::string Product; ///< product key for RouteRole::Product, else empty
  std::string Path;    ///< the path with any routing prefix removed
};

llvm::StringRef routeRoleName(RouteRole R);

/// Resolves the Host header and path. Path prefixes win over the Host header.
Route resolveRoute(llvm::StringRef Host, llvm::StringRef Path,
                   llvm::StringRef DefaultDc);

/// A resource request, abstracted from the HTTP library.
struct ResourceRequest {
  llvm::StringRef Method;
  const Route *R;
  /// Query or form parameter, nullptr if absent.
  llvm::function_ref<const std::string *(llvm::StringRef)> Param;
  /// Header value, "" if absent.
  llvm::function_ref<std::string(llvm::StringRef)> Header;
};

/// Result of a resource call: the answer plus the product key for the log.
struct ResourceAnswer {
  Answer A;
  std::string Product; ///< "crm", "books", … or "" when no product matched
};

/// Serves a resource endpoint, or returns Product == "" and a 404 when the path is
/// no known product API.
ResourceAnswer handleResource(MockState &State, const ResourceRequest &Req);

/// Whether this resource request is served by a known product (for fault scoping).
bool isResourcePath(const Route &R);

/// The legacy `/apiauthtoken/*create` answer (RESULT=FALSE, authtokens retired).
Answer legacyAuthtokenCreateAnswer(TimePoint Now);

/// Percent-encoding check for a query string or form body.
bool wellFormedUrlEncoding(llvm::StringRef S);

/// The request path for the log: percent-decoded (repeatedly), every credential the
/// tool knows of (`name=value` / `Zoho-authtoken <v>` style values, `1000.<hex>.<hex>`
/// tokens, `tok_<id>`, long hex runs) replaced by "<redacted>", then escaped with
/// escapeLogField() and cut at 512 bytes.
std::string redactPath(llvm::StringRef Path);

/// \p S with every byte that is not printable ASCII (and '%', space) written as %XX,
/// so a log field can never contain a line break; at most \p MaxBytes (then "...").
std::string escapeLogField(llvm::StringRef S, size_t MaxBytes = 256);

} // namespace atm::mock
