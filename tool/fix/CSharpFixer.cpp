//===- CSharpFixer.cpp - C# header kinds and the using directive ----------===//
//
// See CSharpFixer.h. The edits never overlap the credential's removal inside the call's
// arguments: receiver-argument rewrites only the text before the first argument,
// wrap-receiver inserts around the receiver; the RestSharp parameter becomes a header in
// place.

#include "fix/CSharpFixer.h"

#include "fix/EditUtil.h"

#include "fmt/format.h"
#include "re2/re2.h"

namespace atm::fix {

namespace {

/// True if \p Receiver is visibly of type \p Type (HttpClient, WebClient) in \p Text: a
/// `new Type(…)` expression, or a name declared `Type name` (field, local, parameter,
/// property) or assigned `name = new Type…` (HttpClient: also `name = ….CreateClient(…)`,
/// IHttpClientFactory). The helper's methods take exactly that type.
bool receiverIs(llvm::StringRef Text, llvm::StringRef Receiver, llvm::StringRef Type) {
  std::string Qualified = "(System\\.Net\\.(Http\\.)?)?" + Type.str();
  llvm::StringRef R = Receiver.trim();
  while (R.startswith("(") && R.endswith(")"))
    R = R.drop_front().drop_back().trim();
  if (re2::RE2::FullMatch(re2::StringPiece(R.data(), R.size()),
                          re2::RE2("new\\s+" + Qualified + "\\s*\\(.*", re2::RE2::Quiet)))
    return true;
  if (R.startswith("this."))
    R = R.drop_front(5);
  static const re2::RE2 Name("[A-Za-z_][A-Za-z0-9_]*");
  if (!re2::RE2::FullMatch(re2::StringPiece(R.data(), R.size()), Name))
    return false;
  std::string N = R.str();
  std::string Pattern =
      "\\b" + Qualified + "\\??\\s+" + N + "\\b|\\b" + N + "\\s*=\\s*new\\s+" + Qualified + "\\b";
  if (Type == "HttpClient")
    Pattern += "|\\b" + N + "\\s*=\\s*[A-Za-z0-9_.]*CreateClient\\s*\\(";
  re2::RE2 Re(Pattern, re2::RE2::Quiet);
  return Re.ok() && re2::RE2::PartialMatch(re2::StringPiece(Text.data(), Text.size()), Re);
}

} // namespace

bool isCSharpHeaderKind(llvm::StringRef Kind) {
  return Kind == "receiver-argument" || Kind == "wrap-receiver";
}

std::optional<std::vector<TextEdit>> csharpHeaderEdits(llvm::StringRef Text,
                                                       const syntax::CallSite &Call, const Idiom &I,
                                                       llvm::StringRef Value, llvm::StringRef NS,
                                                       std::string &Why) {
  if (Call.ArgumentList.size() < 2 || Call.ArgumentList.End > Text.size()) {
    Why = "the call has no argument list";
    return std::nullopt;
  }
  llvm::StringRef Receiver = Call.Receiver.empty()
                                 ? llvm::StringRef()
                                 : Text.slice(Call.Receiver.Begin, Call.Receiver.End);
  if (I.Header == "receiver-argument") {
    if (Receiver.empty()) {
      Why = fmt::format("`{}(…)` has no client to pass to the helper; add the Authorization "
                        "header to the request by hand",
                        Call.Callee);
      return std::nullopt;
    }
    if (!receiverIs(Text, Receiver, "HttpClient")) {
      Why = fmt::format("cannot tell that `{}` is an HttpClient (no `HttpClient {}` declaration "
                        "or `new HttpClient` assignment in the file); send the request through "
                        "`ZohoOAuth.Shared.{}(client, …)` or add the Authorization header by hand",
                        Receiver.str(), Receiver.str(), Call.Name);
      return std::nullopt;
    }
    TextEdit E;
    E.Offset = Call.Range.Begin;
    E.Length = Call.ArgumentList.Begin + 1 - Call.Range.Begin;
    E.Text = expand(I.Rename, {{"name", Call.Name}, {"ns", NS}}) + "(" + Receiver.str() +
             (Call.Arguments.empty() ? "" : ", ");
    return std::vector<TextEdit>{E};
  }
  if (I.Header == "wrap-receiver") {
    if (Receiver.empty()) {
      Why = fmt::format("`{}(…)` is not called on a client object; set its Authorization "
                        "header by hand",
                        Call.Callee);
      return std::nullopt;
    }
    if (!receiverIs(Text, Receiver, "WebClient")) {
      Why = fmt::format("cannot tell that `{}` is a WebClient (no `WebClient {}` declaration or "
                        "`new WebClient` assignment in the file); set its Authorization header "
                        "by hand",
                        Receiver.str(), Receiver.str());
      return std::nullopt;
    }
    std::string T = expand(I.WrapArgument, {{"arg", "\x1f"}, {"value", Value}, {"ns", NS}});
    size_t Hole = T.find('\x1f');
    if (Hole == std::string::npos) {
      Why = "the recipe's wrap-argument has no {arg}";
      return std::nullopt;
    }
    TextEdit Pre, Post;
    Pre.Offset = Call.Receiver.Begin;
    Pre.Text = T.substr(0, Hole);
    Post.Offset = Call.Receiver.End;
    Post.Text = T.substr(Hole + 1);
    return std::vector<TextEdit>{Pre, Post};
  }
  Why = "unknown C# header kind '" + I.Header + "'";
  return std::nullopt;
}

std::optional<std::vector<TextEdit>>
csharpRestSharpParameter(llvm::StringRef Text, const syntax::FileModel &M,
                         syntax::ByteRange Statement, llvm::ArrayRef<TextEdit> Removal,
                         llvm::StringRef Value, std::string &What) {
  if (!Text.contains("RestSharp"))
    return std::nullopt;
  auto IsParameterCall = [&](const syntax::CallSite &C) {
    if (C.Name != "AddParameter" && C.Name != "AddQueryParameter" &&
        C.Name != "AddOrUpdateParameter")
      return false;
    if (C.Receiver.empty() || C.Arguments.size() < 2)
      return false;
    llvm::StringRef K = Text.slice(C.Arguments[0].Value.Begin, C.Arguments[0].Value.End);
    return K.size() > 2 && K.front() == '"' && K.back() == '"' &&
           K.drop_front().drop_back().equals_insensitive("authtoken");
  };
  const syntax::CallSite *Call = nullptr;
  for (const syntax::CallSite &C : M.Calls)
    if (C.Range.Begin == Statement.Begin && Statement.contains(C.Range) && IsParameterCall(C))
      Call = &C;
  if (!Call)
    return std::nullopt;
  llvm::StringRef Receiver = Text.slice(Call->Receiver.Begin, Call->Receiver.End);
  // A retired endpoint named in the function (the client's base URL, the resource): no header
  // makes it work again.
  std::string Seen;
  for (const syntax::StringExpr &S : M.Strings)
    if (S.Scope == Call->Scope)
      Seen += " " + S.flatten("") + "/"; // a base URL ("…/crm/private/json") + a resource
  What = deadEndpoint(Seen);
  if (!What.empty())
    return std::nullopt;
  auto SameReceiver = [&](const syntax::CallSite &C) {
    return C.Scope == Call->Scope && !C.Receiver.empty() &&
           Text.slice(C.Receiver.Begin, C.Receiver.End) == Receiver;
  };
  for (const syntax::CallSite &C : M.Calls)
    if (SameReceiver(C) && C.Name == "AddHeader" && C.Arguments.size() >= 2 &&
        Text.slice(C.Arguments[0].Value.Begin, C.Arguments[0].Value.End)
            .trim("\"")
            .equals_insensitive("authorization")) {
      // Only a header this patch gives the helper's value (a Zoho-authtoken one) or the
      // helper's own: another value does not come through the helper.
      llvm::StringRef V = Text.slice(C.Arguments[1].Value.Begin, C.Arguments[1].Value.End);
      if (!V.contains_insensitive("Zoho-authtoken") && !V.contains("ZohoOAuth.")) {
        What = fmt::format("the request already sets an Authorization header (`{}`) that does not "
                           "come from the OAuth helper: give it `{}` and remove this parameter by "
                           "hand",
                           V.str(), Value.str());
        return std::nullopt;
      }
      What = fmt::format("`{}.{}(\"authtoken\", …)` removed: the request has its Authorization "
                         "header from `{}.AddHeader(…)`",
                         Receiver.str(), Call->Name, Receiver.str());
      return std::vector<TextEdit>(Removal.begin(), Removal.end());
    }
  for (const syntax::CallSite &C : M.Calls)
    if (C.Range.Begin < Call->Range.Begin && SameReceiver(C) && IsParameterCall(C)) {
      What = fmt::format("`{}.{}(\"authtoken\", …)` removed: the request already gets the "
                         "Authorization header from the earlier one",
                         Receiver.str(), Call->Name);
      return std::vector<TextEdit>(Removal.begin(), Removal.end());
    }
  TextEdit E;
  E.Offset = Call->Range.Begin;
  E.Length = Call->Range.size();
  E.Text = fmt::format("{}.AddHeader(\"Authorization\", {})", Receiver.str(), Value.str());
  What = fmt::format("`{}.{}(\"authtoken\", …)` is now `{}.AddHeader(\"Authorization\", …)` "
                     "with the OAuth helper's value",
                     Receiver.str(), Call->Name, Receiver.str());
  return std::vector<TextEdit>{E};
}

std::string csharpHeaderNote(llvm::StringRef Text, syntax::ByteRange Statement) {
  if (Statement.empty() || Statement.End > Text.size())
    return "";
  llvm::StringRef S = Text.slice(Statement.Begin, Statement.End);
  if (!S.contains("DefaultRequestHeaders"))
    return "";
  return "the Zoho-authtoken header is one of the HttpClient's DefaultRequestHeaders, set once "
         "for every request: an OAuth access token expires after an hour; delete this line and "
         "send each request through the helper (`ZohoOAuth.Shared.GetAsync(client, url)`, "
         "PostAsync, …), which adds a fresh header";
}

std::vector<TextEdit> csharpImportEdits(llvm::StringRef Text, llvm::StringRef Import) {
  llvm::StringRef Want = Import.trim();
  static const re2::RE2 Using(
      "(global\\s+)?using\\s+(static\\s+)?[A-Za-z_][A-Za-z0-9_.]*(\\s*=\\s*[^;]+)?\\s*;.*");
  size_t InsertAt = 0, Pos = 0;
  bool SawUsing = false, InComment = false;
  unsigned Depth = 0; // #if nesting
  for (unsigned Count = 0; Pos < Text.size() && Count < 400; ++Count) {
    size_t E = lineEndWithBreak(Text, Pos);
    llvm::StringRef L = Text.slice(Pos, E).rtrim("\r\n");
    llvm::StringRef T = L.trim();
    if (T == Want)
      return {}; // already imported
    bool Top = !L.empty() && L[0] != ' ' && L[0] != '\t';
    if (InComment || T.startswith("/*")) {
      InComment = !T.contains("*/");
      if (!SawUsing)
        InsertAt = E;
    } else if (T.startswith("#")) {
      // #if … #endif around using directives: the import goes after the #endif, never
      // inside a conditional block.
      if (T.startswith("#if"))
        ++Depth;
      else if (T.startswith("#endif") && Depth > 0 && --Depth == 0 && SawUsing)
        InsertAt = E;
      else if (Depth == 0 && !SawUsing && InsertAt == Pos && !T.startswith("#endif"))
        InsertAt = E; // #define, #nullable, #region at the top
    } else if (T.empty() || T.startswith("//")) {
      if (!SawUsing && T.startswith("//") && InsertAt == Pos)
        InsertAt = E; // a file header comment
    } else if (Top && re2::RE2::FullMatch(re2::StringPiece(T.data(), T.size()), Using)) {
      SawUsing = true;
      if (Depth == 0)
        InsertAt = E;
    } else if (T.startswith("extern alias ")) {
      InsertAt = E;
    } else {
      break; // the first declaration
    }
    Pos = E;
  }
  llvm::StringRef NL = newlineOf(Text);
  std::string Block = Want.str() + NL.str();
  if (InsertAt > 0 && Text[InsertAt - 1] != '\n')
    Block = NL.str() + Block;
  if (!SawUsing && InsertAt < Text.size() &&
      !Text.slice(InsertAt, lineEnd(Text, InsertAt)).trim().empty())
    Block += NL.str();
  TextEdit Ed;
  Ed.Offset = InsertAt;
  Ed.Text = Block;
  return {Ed};
}

} // namespace atm::fix
