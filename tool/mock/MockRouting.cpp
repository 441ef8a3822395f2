//===- MockRouting.cpp - DC/product routing and resource endpoints --------===//
//
// Error shapes follow docs/zoho-reference §5. Where the reference has no captured
// body (Projects, People, Cliq, Mail, Desk scope errors) the mock uses the shapes
// documented as "mock-chosen" in tool/mock/README.md.
//
//===----------------------------------------------------------------------===//

#include "mock/MockRouting.h"

#include "llvm/Support/JSON.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"

#include <fmt/format.h>

#include <ctime>

using namespace atm::mock;
using llvm::StringRef;

namespace {

const char *const ProductKeys[] = {"crm",      "books",    "invoice", "inventory",
                                   "subscriptions", "billing", "desk", "creator",
                                   "projects", "projectsapi", "people", "recruit",
                                   "cliq",     "mail"};

/// Canonical product key for a host label or path segment, "" if unknown.
std::string productKey(StringRef Label) {
  std::string L = Label.lower();
  for (const char *K : ProductKeys)
    if (L == K) {
      if (L == "billing")
        return "subscriptions";
      if (L == "projectsapi")
        return "projects";
      return L;
    }
  return "";
}

void splitPath(StringRef Path, llvm::SmallVectorImpl<StringRef> &Segs) {
  llvm::SmallVector<StringRef, 12> Raw;
  Path.split(Raw, '/');
  for (StringRef S : Raw)
    if (!S.empty())
      Segs.push_back(S);
}

std::string restAfter(llvm::ArrayRef<StringRef> Segs, size_t N, bool TrailingSlash) {
  std::string Out;
  for (size_t I = N; I < Segs.size(); ++I)
    Out += "/" + Segs[I].str();
  if (Out.empty() || TrailingSlash)
    Out += "/";
  return Out;
}

bool isVersion(StringRef S) {
  // v2, v2.1, v8 …
  if (S.size() < 2 || (S[0] != 'v' && S[0] != 'V') || !llvm::isDigit(S[1]))
    return false;
  return llvm::all_of(S.drop_front(), [](char C) { return llvm::isDigit(C) || C == '.'; });
}

/// JSON string content of \p S; bytes that are not UTF-8 (request paths can carry any
/// byte) become U+FFFD, so an answer is always valid JSON.
void jsonEscapeInto(std::string &Out, StringRef S) {
  std::string Fixed;
  if (!llvm::json::isUTF8(S)) {
    Fixed = llvm::json::fixUTF8(S);
    S = Fixed;
  }
  for (char C : S) {
    if (C == '"' || C == '\\') {
      Out.push_back('\\');
      Out.push_back(C);
    } else if (static_cast<unsigned char>(C) < 0x20) {
      Out += fmt::format("\\u{:04x}", static_cast<unsigned char>(C));
    } else {
      Out.push_back(C);
    }
  }
}
/// \p S as JSON string content, without the quotes.
std::string jsonEscaped(StringRef S) {
  std::string Out;
  jsonEscapeInto(Out, S);
  return Out;
}
std::string q(StringRef S) {
  std::string Out = "\"";
  jsonEscapeInto(Out, S);
  Out += "\"";
  return Out;
}

std::string xmlEscape(StringRef S) {
  std::string Out;
  for (char C : S) {
    switch (C) {
    case '<':
      Out += "&lt;";
      break;
    case '>':
      Out += "&gt;";
      break;
    case '&':
      Out += "&amp;";
      break;
    case '"':
      Out += "&quot;";
      break;
    default:
      Out.push_back(C);
    }
  }
  return Out;
}

enum class Family {
  None,
  CrmV2,
  CrmV1,
  Finance, ///< Books, Invoice, Inventory, Subscriptions
  Desk,
  Creator,
  Projects,
  People,
  RecruitV2,
  RecruitV1,
  Cliq,
  Mail,
};

struct Target {
  Family F = Family::None;
  std::string Product;
  std::vector<StringRef> Rest; ///< path segments after the API base
  bool Xml = false;            ///< CRM/Recruit v1 XML flavour
};

Target classify(const Route &R, llvm::ArrayRef<StringRef> S) {
  Target T;
  auto Take = [&](Family F, StringRef Product, size_t Skip) {
    T.F = F;
    T.Product = Product.str();
    T.Rest.assign(S.begin() + std::min(Skip, S.size()), S.end());
    return T;
  };
  auto At = [&](size_t I) { return I < S.size() ? S[I] : StringRef(); };
  auto V1 = [&](Family F, StringRef Product) {
    // /<crm|recruit>/private/<json|xml>/Module/method
    T.Xml = At(2).equals_insensitive("xml");
    return Take(F, Product, 3);
  };
  bool Api = R.Role == RouteRole::ZohoApis || R.Role == RouteRole::Local;
  if (Api) {
    if (At(0) == "crm" && isVersion(At(1)))
      return Take(Family::CrmV2, "crm", 2);
    if (At(0) == "crm" && At(1) == "private" && (At(2) == "json" || At(2) == "xml"))
      return V1(Family::CrmV1, "crm");
    if (At(0) == "recruit" && isVersion(At(1)))
      return Take(Family::RecruitV2, "recruit", 2);
    if (At(0) == "recruit" && At(1) == "private" && (At(2) == "json" || At(2) == "xml"))
      return V1(Family::RecruitV1, "recruit");
    if ((At(0) == "books" || At(0) == "invoice") && At(1) == "v3")
      return Take(Family::Finance, At(0), 2);
    if (At(0) == "inventory" && At(1) == "v1")
      return Take(Family::Finance, "inventory", 2);
    if ((At(0) == "billing" || At(0) == "subscriptions") && At(1) == "v1")
      return Take(Family::Finance, "subscriptions", 2);
    if (At(0) == "creator" && isVersion(At(1)))
      return Take(Family::Creator, "creator",
                  At(2) == "data" || At(2) == "publish" || At(2) == "meta" ? 3 : 2);
  }
  if (R.Role == RouteRole::Local) {
    // Product-native paths on a bare host (127.0.0.1:PORT). Ambiguous /api/… roots
    // resolve to one product each; use /api/{product}/{dc}/… or a Host header for the
    // others (Invoice, Inventory, Subscriptions on /api/v1|v3).
    if (At(0) == "restapi")
      return Take(Family::Projects, "projects", 1);
    if (At(0) == "people" && At(1) == "api")
      return Take(Family::People, "people", 2);
    if (At(0) == "api" && At(1) == "v1")
      return Take(Family::Desk, "desk", 2);
    if (At(0) == "api" && At(1) == "v3")
      return Take(Family::Finance, "books", 2);
    if (At(0) == "api" && At(1) == "accounts")
      return Take(Family::Mail, "mail", 1);
    if (At(0) == "api" && At(1) == "v2" &&
        (At(2) == "channelsbyname" || At(2) == "channels" || At(2) == "buddies" ||
         At(2) == "bots" || At(2) == "chats"))
      return Take(Family::Cliq, "cliq", 2);
    if (At(0) == "api" && At(1) == "v2" && S.size() >= 4)
      return Take(Family::Creator, "creator", 2);
    return T;
  }
  if (R.Role != RouteRole::Product)
    return T;
  const std::string &P = R.Product;
  if (P == "crm") {
    if (At(0) == "crm" && isVersion(At(1)))
      return Take(Family::CrmV2, "crm", 2);
    if (At(0) == "crm" && At(1) == "private" && (At(2) == "json" || At(2) == "xml"))
      return V1(Family::CrmV1, "crm");
  } else if (P == "recruit") {
    if (At(0) == "recruit" && isVersion(At(1)))
      return Take(Family::RecruitV2, "recruit", 2);
    if (At(0) == "recruit" && At(1) == "private" && (At(2) == "json" || At(2) == "xml"))
      return V1(Family::RecruitV1, "recruit");
  } else if (P == "books" || P == "invoice") {
    if (At(0) == "api" && At(1) == "v3")
      return Take(Family::Finance, P, 2);
  } else if (P == "inventory" || P == "subscriptions") {
    if (At(0) == "api" && At(1) == "v1")
      return Take(Family::Finance, P, 2);
  } else if (P == "desk") {
    if (At(0) == "api" && At(1) == "v1")
      return Take(Family::Desk, P, 2);
  } else if (P == "creator") {
    if (At(0) == "api")
      return Take(Family::Creator, P, isVersion(At(1)) ? 2 : 1);
  } else if (P == "projects") {
    if (At(0) == "restapi")
      return Take(Family::Projects, P, 1);
    if (At(0) == "api" && isVersion(At(1)))
      return Take(Family::Projects, P, 2);
  } else if (P == "people") {
    if (At(0) == "people" && At(1) == "api")
      return Take(Family::People, P, 2);
    if (At(0) == "api")
      return Take(Family::People, P, 1);
  } else if (P == "cliq") {
    if (At(0) == "api" && isVersion(At(1)))
      return Take(Family::Cliq, P, 2);
  } else if (P == "mail") {
    if (At(0) == "api")
      return Take(Family::Mail, P, 1);
  }
  return T;
}

std::string opFor(StringRef Method) {
  if (Method == "GET" || Method == "HEAD")
    return "READ";
  if (Method == "POST")
    return "CREATE";
  if (Method == "PUT" || Method == "PATCH")
    return "UPDATE";
  if (Method == "DELETE")
    return "DELETE";
  return "READ";
}

bool isId(StringRef S) { return !S.empty() && llvm::all_of(S, llvm::isDigit); }

/// The scope a request needs (see ScopeNeed).
ScopeNeed needFor(const Target &T, StringRef Method) {
  ScopeNeed N;
  N.Op = opFor(Method);
  auto At = [&](size_t I) { return I < T.Rest.size() ? T.Rest[I] : StringRef(); };
  switch (T.F) {
  case Family::CrmV2:
  case Family::RecruitV2: {
    N.Service = T.F == Family::CrmV2 ? "ZohoCRM" : "ZohoRecruit";
    StringRef First = At(0);
    if (First == "settings")
      N.Resource = ("settings." + At(1).lower());
    else if (First == "users" || First == "org" || First == "coql")
      N.Resource = First.lower();
    else
      N.Resource = "modules." + First.lower();
    if (N.Resource == "modules.")
      N.Resource = "modules";
    break;
  }
  case Family::CrmV1:
  case Family::RecruitV1: {
    N.Service = T.F == Family::CrmV1 ? "ZohoCRM" : "ZohoRecruit";
    N.Resource = "modules." + At(0).lower();
    std::string M = At(1).lower();
    N.Op = M.find("insert") != std::string::npos   ? "CREATE"
           : M.find("update") != std::string::npos ? "UPDATE"
           : M.find("delete") != std::string::npos ? "DELETE"
                                                   : "READ";
    break;
  }
  case Family::Finance:
    N.Service = T.Product == "books"       ? "ZohoBooks"
                : T.Product == "invoice"   ? "ZohoInvoice"
                : T.Product == "inventory" ? "ZohoInventory"
                                           : "ZohoSubscriptions";
    N.Resource = At(0).empty() ? "settings" : At(0).lower();
    break;
  case Family::Desk:
    N.Service = "Desk";
    N.Resource = At(0).empty() || At(0) == "organizations" || At(0) == "myinfo"
                     ? "basic"
                     : At(0).lower();
    break;
  case Family::Creator: {
    N.Service = "ZohoCreator";
    N.Resource = "report";
    for (StringRef S : T.Rest)
      if (S == "form" || S == "report" || S == "meta")
        N.Resource = S.str();
    if (N.Resource == "form")
      N.Op = "CREATE";
    break;
  }
  case Family::Projects: {
    N.Service = "ZohoProjects";
    N.Resource = "projects";
    static const char *Known[] = {"portals",   "projects", "tasks", "bugs",
                                  "milestones", "tasklists", "users", "logs",
                                  "timesheets", "forums",    "events"};
    for (StringRef S : T.Rest) {
      StringRef Name = S == "portal" ? StringRef("portals") : S;
      for (const char *K : Known)
        if (Name == K)
          N.Resource = K;
    }
    break;
  }
  case Family::People:
    N.Service = "ZohoPeople";
    N.Resource = At(0).empty() ? "forms" : At(0).lower();
    if (N.Resource == "forms" && Method == "GET")
      N.Op = "READ";
    break;
  case Family::Cliq:
    N.Service = "ZohoCliq";
    // Posting to a channel by name is a webhook-scoped operation.
    if (At(0) == "channelsbyname" && At(2) == "message")
      N.Resource = "Webhooks";
    else
      N.Resource = At(0).empty() ? "channels" : At(0).str();
    break;
  case Family::Mail: {
    N.Service = "ZohoMail";
    N.Resource = "accounts";
    for (StringRef S : T.Rest)
      if (!isId(S) && S != "accounts")
        N.Resource = S.lower();
    break;
  }
  case Family::None:
    break;
  }
  return N;
}

/// Denial categories a product distinguishes.
enum class Denial { NoCredentials, Legacy, Invalid, Scope, OrgMissing, OrgMismatch };

Denial denialFor(AccessOutcome O) {
  switch (O) {
  case AccessOutcome::NoCredentials:
    return Denial::NoCredentials;
  case AccessOutcome::LegacyAuthtoken:
    return Denial::Legacy;
  case AccessOutcome::ScopeMismatch:
    return Denial::Scope;
  default:
    return Denial::Invalid;
  }
}

Answer json(int Status, std::string Body) {
  Answer A;
  A.Status = Status;
  A.Body = std::move(Body);
  return A;
}

std::string requestUri(const ResourceRequest &Req) { return Req.R->Path; }

Answer denialAnswer(const Target &T, Denial D, const ResourceRequest &Req) {
  switch (T.F) {
  case Family::CrmV2:
  case Family::RecruitV2:
    if (D == Denial::Scope)
      return json(401, R"({"code":"OAUTH_SCOPE_MISMATCH","details":{},"message":"Unauthorized","status":"error"})");
    if (D == Denial::Invalid)
      return json(401, R"({"code":"INVALID_TOKEN","details":{},"message":"invalid oauth token","status":"error"})");
    return json(401, R"({"code":"AUTHENTICATION_FAILURE","details":{},"message":"Authentication failed","status":"error"})");
  case Family::CrmV1:
  case Family::RecruitV1: {
    // API v1 answered its errors inside a 200 envelope.
    StringRef Code = D == Denial::Scope ? "4001" : "4834";
    StringRef Msg = D == Denial::Scope ? "No API permission" : "Invalid Ticket Id";
    Answer A;
    A.Status = 200;
    if (T.Xml) {
      A.ContentType = "text/xml;charset=UTF-8";
      A.Body = fmt::format("<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n<response "
                           "uri=\"{}\"><error><code>{}</code><message>{}</message>"
                           "</error></response>\n",
                           xmlEscape(requestUri(Req)), Code.str(), Msg.str());
    } else {
      A.Body = fmt::format(R"({{"response":{{"error":{{"message":"{}","code":"{}"}},"uri":{}}}}})",
                           Msg.str(), Code.str(), q(requestUri(Req)));
    }
    return A;
  }
  case Family::Finance:
    if (D == Denial::Invalid || D == Denial::Legacy)
      return json(401, R"({"code":14,"message":"Invalid value passed for authtoken"})");
    if (D == Denial::NoCredentials)
      return json(401, R"({"code":57,"message":"You are not authenticated to perform this operation."})");
    return json(401, R"({"code":57,"message":"You are not authorized to perform this operation"})");
  case Family::Desk:
    if (D == Denial::Scope)
      return json(401, R"({"errorCode":"SCOPE_MISMATCH","message":"The OAuth token does not have the scope required for this API."})");
    if (D == Denial::OrgMissing)
      return json(422, R"({"errorCode":"UNPROCESSABLE_ENTITY","message":"The orgId header is required for this API."})");
    if (D == Denial::OrgMismatch)
      return json(403, R"({"errorCode":"OAUTH_ORG_MISMATCH","message":"The OAuth token is not valid for the organization given in orgId."})");
    return json(401, R"({"errorCode":"INVALID_OAUTH","message":"The OAuth Token you provided is invalid."})");
  case Family::Creator:
    if (D == Denial::Scope)
      return json(401, R"({"code":2945,"message":"The access token does not have the scope required for this API."})");
    return json(401, R"({"code":1030,"message":"Authorization Failure. The access token is either invalid or has expired. Please check your Zoho Account for more information."})");
  case Family::Projects:
    if (D == Denial::Scope)
      return json(401, R"({"error":{"code":6403,"message":"OAuth scope mismatch."}})");
    return json(401, R"({"error":{"code":6401,"message":"Invalid OAuth access token."}})");
  case Family::People:
    if (D == Denial::Scope)
      return json(401, R"({"response":{"message":"Error occurred","errors":{"code":7224,"message":"OAuth scope mismatch"},"status":1}})");
    return json(401, R"({"response":{"message":"Error occurred","errors":{"code":7202,"message":"Invalid OAuth token"},"status":1}})");
  case Family::Cliq:
    if (D == Denial::Scope)
      return json(401, R"({"code":"oauthtoken_scope_mismatch","message":"The OAuth token does not have the scope required for this API."})");
    return json(401, R"({"code":"oauthtoken_invalid","message":"Invalid OAuth token."})");
  case Family::Mail:
    if (D == Denial::Scope)
      return json(401, R"({"data":{"errorCode":"INVALID_OAUTHSCOPE","moreInfo":"OAuth scope mismatch"},"status":{"code":401,"description":"Invalid Input"}})");
    return json(401, R"({"data":{"errorCode":"INVALID_OAUTHTOKEN","moreInfo":"Invalid OAuth token"},"status":{"code":401,"description":"Invalid Input"}})");
  case Family::None:
    break;
  }
  return json(401, R"({"error":"unauthorized"})");
}

std::string singular(StringRef Res) {
  if (Res.endswith("ies"))
    return (Res.drop_back(3) + "y").str();
  if (Res.endswith("s"))
    return Res.drop_back().str();
  return Res.str();
}

Answer successAnswer(const Target &T, const ResourceRequest &Req, const AccessInfo &I) {
  StringRef M = Req.Method;
  bool Write = M != "GET" && M != "HEAD";
  auto At = [&](size_t Ix) { return Ix < T.Rest.size() ? T.Rest[Ix] : StringRef(); };
  switch (T.F) {
  case Family::CrmV2:
  case Family::RecruitV2: {
    StringRef Module = At(0).empty() ? StringRef("modules") : At(0);
    if (Module == "users")
      return json(200, fmt::format(R"({{"users":[{{"id":"{}","full_name":{},"email":{},"status":"active"}}],"info":{{"per_page":200,"count":1,"page":1,"more_records":false}}}})",
                                   I.UserId, q(I.FirstName + " " + I.LastName), q(I.Email)));
    if (Module == "org")
      return json(200, R"({"org":[{"id":"3000000000000","company_name":"Mock Org","primary_zuid":"700000001"}]})");
    if (!Write)
      return json(200, fmt::format(R"({{"data":[{{"id":"3000000000001","Last_Name":"Mock","Company":"Mock Co","Email":"record@example.com","$module":{}}}],"info":{{"per_page":200,"count":1,"page":1,"more_records":false}}}})",
                                   q(Module)));
    StringRef Verb = M == "POST" ? "added" : M == "DELETE" ? "deleted" : "updated";
    return json(M == "POST" ? 201 : 200,
                fmt::format(R"({{"data":[{{"code":"SUCCESS","details":{{"id":"3000000000002"}},"message":"record {}","status":"success"}}]}})",
                            Verb.str()));
  }
  case Family::CrmV1:
  case Family::RecruitV1: {
    std::string Module = At(0).str();
    Answer A;
    if (T.Xml) {
      A.ContentType = "text/xml;charset=UTF-8";
      A.Body = fmt::format("<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n<response uri=\"{}\">"
                           "<result><{}><row no=\"1\"><FL val=\"Id\">3000000000001</FL>"
                           "<FL val=\"Company\">Mock Co</FL></row></{}></result></response>\n",
                           xmlEscape(requestUri(Req)), xmlEscape(Module), xmlEscape(Module));
    } else {
      A.Body = fmt::format(R"({{"response":{{"result":{{{}:{{"row":{{"no":"1","FL":[{{"val":"Id","content":"3000000000001"}},{{"val":"Company","content":"Mock Co"}}]}}}}}},"uri":{}}}}})",
                           q(Module), q(requestUri(Req)));
    }
    return A;
  }
  case Family::Finance: {
    std::string Res = At(0).empty() ? "organizations" : At(0).str();
    if (!Write)
      return json(200, fmt::format(R"({{"code":0,"message":"success",{}:[{{"{}_id":"460000000000001","name":"Mock {}"}}]}})",
                                   q(Res), jsonEscaped(singular(Res)), jsonEscaped(singular(Res))));
    return json(M == "POST" ? 201 : 200,
                fmt::format(R"({{"code":0,"message":"The {} has been {}.",{}:{{"{}_id":"460000000000002"}}}})",
                            jsonEscaped(singular(Res)), M == "POST" ? "created" : M == "DELETE" ? "deleted" : "updated",
                            q(singular(Res)), jsonEscaped(singular(Res))));
  }
  case Family::Desk: {
    if (At(0) == "organizations")
      return json(200, R"({"data":[{"id":"600000001","companyName":"Mock Org","isDefault":true}]})");
    if (!Write)
      return json(200, R"({"data":[{"id":"1000000000001","subject":"Mock ticket","status":"Open"}]})");
    return json(200, R"({"id":"1000000000002","subject":"Mock ticket","status":"Open"})");
  }
  case Family::Creator:
    if (!Write)
      return json(200, R"({"code":3000,"data":[{"ID":"4000000000001","Name":"Mock record"}]})");
    return json(200, R"({"code":3000,"data":{"ID":"4000000000002"},"message":"Data Added Successfully"})");
  case Family::Projects: {
    ScopeNeed N = needFor(T, M);
    if (N.Resource == "portals")
      return json(200, R"({"portals":[{"id":"700000000000001","name":"mockportal","id_string":"700000000000001"}]})");
    return json(Write ? 201 : 200,
                fmt::format(R"({{{}:[{{"id":"800000000000001","name":"Mock {}"}}]}})",
                            q(N.Resource), jsonEscaped(singular(N.Resource))));
  }
  case Family::People:
    return json(200, Write ? R"({"response":{"result":{"pkId":"500000000000002"},"message":"Data added successfully","status":0}})"
                           : R"({"response":{"result":[{"Employee_ID":"EMP001","FirstName":"Mock"}],"message":"Data fetched successfully","status":0}})");
  case Family::Cliq:
    if (M == "POST") {
      Answer A;
      A.Status = 204; // Cliq answers message posts with an empty 204.
      A.ContentType = "";
      return A;
    }
    return json(200, R"({"channels":[{"name":"mockchannel","unique_name":"mockchannel"}]})");
  case Family::Mail:
    if (!Write)
      return json(200, fmt::format(R"({{"status":{{"code":200,"description":"success"}},"data":[{{"accountId":"900000000000001","primaryEmailAddress":{}}}]}})",
                                   q(I.Email)));
    return json(200, R"({"status":{"code":200,"description":"success"},"data":{"messageId":"900000000000002"}})");
  case Family::None:
    break;
  }
  return json(200, "{}");
}

} // namespace

StringRef atm::mock::routeRoleName(RouteRole R) {
  switch (R) {
  case RouteRole::Accounts:
    return "accounts";
  case RouteRole::ZohoApis:
    return "zohoapis";
  case RouteRole::Product:
    return "product";
  case RouteRole::Local:
    return "local";
  case RouteRole::Admin:
    return "admin";
  }
  return "local";
}

Route atm::mock::resolveRoute(StringRef Host, StringRef Path, StringRef DefaultDc) {
  Route R;
  R.Dc = DefaultDc.str();
  R.Path = Path.str();
  if (Path == "/__admin" || Path.startswith("/__admin/")) {
    R.Role = RouteRole::Admin;
    return R;
  }
  llvm::SmallVector<StringRef, 12> Segs;
  splitPath(Path, Segs);
  bool Trailing = Path.endswith("/") && Path.size() > 1;
  auto Dc = [](StringRef S) { return findDataCentre(S); };
  if (Segs.size() >= 2 && Segs[0] == "accounts" && Dc(Segs[1])) {
    R.Role = RouteRole::Accounts;
    R.Dc = Dc(Segs[1])->Code;
    R.Path = restAfter(Segs, 2, Trailing);
    return R;
  }
  if (Segs.size() >= 2 && Segs[0] == "zohoapis" && Dc(Segs[1])) {
    R.Role = RouteRole::ZohoApis;
    R.Dc = Dc(Segs[1])->Code;
    R.Path = restAfter(Segs, 2, Trailing);
    return R;
  }
  if (Segs.size() >= 3 && Segs[0] == "api" && !productKey(Segs[1]).empty() &&
      Dc(Segs[2])) {
    R.Role = RouteRole::Product;
    R.Product = productKey(Segs[1]);
    R.Dc = Dc(Segs[2])->Code;
    R.Path = restAfter(Segs, 3, Trailing);
    return R;
  }

  // Host header: strip the port ("[::1]:8080", "host:8080") and compare lower-case.
  std::string H = Host.lower();
  if (!H.empty() && H[0] == '[') {
    H = H.substr(0, H.find(']') + 1);
  } else if (size_t Colon = H.rfind(':'); Colon != std::string::npos) {
    H.resize(Colon);
  }
  StringRef HR(H);
  if (HR == "accounts.zoho.au") {
    R.Role = RouteRole::Accounts;
    R.Dc = "au";
    return R;
  }
  for (const DataCentre &D : dataCentres()) {
    if (HR == D.Accounts) {
      R.Role = RouteRole::Accounts;
      R.Dc = D.Code;
      return R;
    }
    if (HR == D.ApiDomain) {
      R.Role = RouteRole::ZohoApis;
      R.Dc = D.Code;
      return R;
    }
    std::string Suffix = std::string(".") + D.Tld;
    if (HR.endswith(Suffix)) {
      StringRef Label = HR.drop_back(Suffix.size());
      std::string P = productKey(Label);
      if (!P.empty()) {
        R.Role = RouteRole::Product;
        R.Product = P;
        R.Dc = D.Code;
        return R;
      }
    }
  }
  return R;
}

bool atm::mock::isResourcePath(const Route &R) {
  llvm::SmallVector<StringRef, 12> Segs;
  splitPath(R.Path, Segs);
  return classify(R, Segs).F != Family::None;
}

ResourceAnswer atm::mock::handleResource(MockState &State, const ResourceRequest &Req) {
  ResourceAnswer Out;
  llvm::SmallVector<StringRef, 12> Segs;
  splitPath(Req.R->Path, Segs);
  Target T = classify(*Req.R, Segs);
  if (T.F == Family::None) {
    Out.A = json(404, R"({"error":"not_found","message":"No such endpoint on the mock server"})");
    Out.A.Outcome = "not_found";
    return Out;
  }
  Out.Product = T.Product;
  StringRef M = Req.Method;
  if (M != "GET" && M != "POST" && M != "PUT" && M != "PATCH" && M != "DELETE") {
    Out.A = json(405, R"({"error":"method_not_allowed"})");
    Out.A.Outcome = "method_not_allowed";
    return Out;
  }

  // Credentials: the OAuth header wins; a legacy authtoken (header or parameter)
  // is recognised so it can be refused with the product's own error.
  std::string Auth = StringRef(Req.Header("Authorization")).trim().str();
  StringRef AuthRef(Auth);
  std::string Token;
  AccessOutcome Cred = AccessOutcome::NoCredentials;
  auto SchemeIs = [&](StringRef Scheme) {
    return AuthRef.size() > Scheme.size() &&
           AuthRef.take_front(Scheme.size()).equals_insensitive(Scheme) &&
           AuthRef[Scheme.size()] == ' ';
  };
  if (SchemeIs("Zoho-oauthtoken") || SchemeIs("Bearer")) {
    Token = AuthRef.drop_front(AuthRef.find(' ') + 1).trim().str();
    Cred = AccessOutcome::Ok;
  } else if (SchemeIs("Zoho-authtoken") || Req.Param("authtoken")) {
    Cred = AccessOutcome::LegacyAuthtoken;
  }

  ScopeNeed Need = needFor(T, M);
  AccessInfo Info;
  if (Cred == AccessOutcome::Ok && !Token.empty()) {
    Info = State.checkAccess(Token, Req.R->Dc, Need);
  } else if (T.F == Family::Cliq && Cred == AccessOutcome::NoCredentials &&
             Req.Param("zapikey") && StringRef(*Req.Param("zapikey")).startswith("1001.")) {
    // Cliq webhook tokens (zapikey=1001.…) are not authtokens and still work.
    State.checkAccess("", Req.R->Dc, ScopeNeed{}); // counts the request
    Info.Outcome = AccessOutcome::Ok;
  } else {
    Info.Outcome = Cred == AccessOutcome::Ok ? AccessOutcome::NoCredentials : Cred;
    State.countResource(Info.Outcome);
  }
  if (Info.Outcome != AccessOutcome::Ok) {
    Out.A = denialAnswer(T, denialFor(Info.Outcome), Req);
    Out.A.Outcome = accessOutcomeName(Info.Outcome).str();
    return Out;
  }

  // Organization context, checked after authentication like Zoho does.
  if (T.F == Family::Finance) {
    const std::string *Org = Req.Param("organization_id");
    std::string Hdr = Req.Header("X-com-zoho-" + T.Product + "-organizationid");
    std::string OrgId = Org ? *Org : Hdr;
    bool OrgFree = T.Rest.empty() || T.Rest[0] == "organizations";
    if (!OrgFree && !State.orgAccepted(OrgId)) {
      Out.A = denialAnswer(T, Denial::OrgMismatch, Req);
      Out.A.Outcome = OrgId.empty() ? "org_missing" : "org_mismatch";
      return Out;
    }
  } else if (T.F == Family::Desk) {
    std::string OrgId = Req.Header("orgId");
    bool OrgFree = T.Rest.empty() || T.Rest[0] == "organizations";
    if (!OrgFree && OrgId.empty()) {
      Out.A = denialAnswer(T, Denial::OrgMissing, Req);
      Out.A.Outcome = "org_missing";
      return Out;
    }
    if (!OrgFree && !State.orgAccepted(OrgId)) {
      Out.A = denialAnswer(T, Denial::OrgMismatch, Req);
      Out.A.Outcome = "org_mismatch";
      return Out;
    }
  }
  Out.A = successAnswer(T, Req, Info);
  Out.A.Outcome = "ok";
  return Out;
}

Answer atm::mock::legacyAuthtokenCreateAnswer(TimePoint Now) {
  std::time_t T = SysClock::to_time_t(Now);
  std::tm Tm{};
  gmtime_r(&T, &Tm);
  char Date[64];
  std::strftime(Date, sizeof(Date), "%a %b %d %H:%M:%S UTC %Y", &Tm);
  Answer A;
  A.Status = 200;
  A.ContentType = "text/plain;charset=UTF-8";
  A.Body = fmt::format("#\n#{}\n# Authtokens are retired: Zoho no longer issues or accepts "
                       "them. Use OAuth 2.0 (https://www.zoho.com/accounts/protocol/oauth.html).\n"
                       "CAUSE=AUTHTOKEN_RETIRED\nRESULT=FALSE\n",
                       Date);
  A.Outcome = "legacy_authtoken_create:retired";
  return A;
}

bool atm::mock::wellFormedUrlEncoding(StringRef S) {
  for (size_t I = 0; I < S.size(); ++I) {
    if (S[I] != '%')
      continue;
    if (I + 2 >= S.size() || !llvm::isHexDigit(S[I + 1]) || !llvm::isHexDigit(S[I + 2]))
      return false;
    I += 2;
  }
  return true;
}

namespace {

/// One round of %XX decoding; malformed escapes stay as they are.
std::string percentDecode(StringRef S) {
  std::string Out;
  Out.reserve(S.size());
  for (size_t I = 0; I < S.size(); ++I) {
    if (S[I] == '%' && I + 2 < S.size() && llvm::isHexDigit(S[I + 1]) && llvm::isHexDigit(S[I + 2])) {
      Out.push_back(static_cast<char>(llvm::hexFromNibbles(S[I + 1], S[I + 2])));
      I += 2;
    } else {
      Out.push_back(S[I]);
    }
  }
  return Out;
}

bool isWordChar(char C) {
  return llvm::isAlnum(C) || C == '.' || C == '_' || C == '-' || C == '~';
}

/// Whether a word (a run of isWordChar) looks like a credential: Zoho's
/// `1000.<hex>.<hex>` tokens, `tok_<id>`, or a long hex run (authtokens, secrets).
bool secretWord(StringRef W) {
  if (W.startswith("1000.") && W.size() >= 16)
    return true;
  if (W.startswith_insensitive("tok_") && W.size() >= 8)
    return true;
  size_t Run = 0, Digits = 0;
  bool Letter = false;
  for (char C : W) {
    if (llvm::isHexDigit(C)) {
      ++Run;
      Digits += llvm::isDigit(C);
      Letter |= !llvm::isDigit(C);
      // 16+ hex digits with a letter among them, or 24+ digits.
      if ((Run >= 16 && Letter) || Digits >= 24)
        return true;
    } else {
      Run = Digits = 0;
      Letter = false;
    }
  }
  return false;
}

/// Names whose value is a credential, when followed by '=', ':', ' ' or '+'.
const char *const SecretKeys[] = {
    "zoho-authtoken", "zoho-oauthtoken", "bearer",   "authtoken",    "oauthtoken",
    "password",       "passwd",          "secret",   "refresh_token", "access_token",
    "token",          "ticket",          "code",     "apikey",       "api_key",
    "zapikey",        "key"};

} // namespace

std::string atm::mock::redactPath(StringRef Path) {
  // Decode until stable (double-encoding must not hide a credential), then redact
  // key=value credentials and token-shaped words anywhere, then escape every byte
  // that is not printable ASCII so no request can add or forge a log line.
  std::string D = Path.str();
  for (int Round = 0; Round < 3 && D.find('%') != std::string::npos; ++Round) {
    std::string Next = percentDecode(D);
    if (Next == D)
      break;
    D = std::move(Next);
  }
  auto IsSep = [](char C) { return C == '=' || C == ':' || C == ' ' || C == '+' || C == '\t'; };
  auto IsEnd = [](char C) {
    return C == '/' || C == '&' || C == ';' || C == '?' || C == '#' || C == ',' || C == ' ';
  };
  std::string R;
  R.reserve(D.size());
  for (size_t I = 0; I < D.size();) {
    if (!isWordChar(D[I])) {
      R.push_back(D[I++]);
      continue;
    }
    size_t End = I;
    while (End < D.size() && isWordChar(D[End]))
      ++End;
    StringRef W(D.data() + I, End - I);
    // `…token=V`, `Zoho-authtoken V`, `client_secret:V`: keep the name, drop the value.
    size_t Sep = End;
    while (Sep < D.size() && IsSep(D[Sep]))
      ++Sep;
    bool Named = false;
    if (Sep > End && Sep < D.size() && !IsEnd(D[Sep])) {
      std::string L = W.lower();
      for (const char *Key : SecretKeys)
        Named |= StringRef(L).endswith(Key);
    }
    if (Named) {
      size_t V = Sep;
      while (V < D.size() && !IsEnd(D[V]))
        ++V;
      R.append(D, I, Sep - I);
      R += "<redacted>";
      I = V;
      continue;
    }
    R += secretWord(W) ? std::string("<redacted>") : W.str();
    I = End;
  }
  return escapeLogField(R, 512);
}

std::string atm::mock::escapeLogField(StringRef S, size_t MaxBytes) {
  std::string Out;
  for (unsigned char C : S) {
    if (Out.size() >= MaxBytes) {
      Out += "...";
      break;
    }
    if (C > 0x20 && C < 0x7f && C != '%')
      Out.push_back(static_cast<char>(C));
    else
      Out += fmt::format("%{:02X}", C);
  }
  return Out;
}
