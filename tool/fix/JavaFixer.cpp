//===- JavaFixer.cpp - Java request edits for the syntax-tree fixer --------===//
//
// rules/fix/java.yaml drives these (tool/fix/Recipe.h: header kinds java-statement and
// java-chain). Java sets headers on a request object in a statement of its own
// (HttpURLConnection.setRequestProperty, Apache's setHeader) or in a builder chain
// (java.net.http's HttpRequest.Builder.header, OkHttp's Request.Builder.header); the
// edit goes where the object exists and before anything can send it: right after the
// statement that creates it, or right after the builder call that takes the URL.
//
//===----------------------------------------------------------------------===//

#include "fix/JavaFixer.h"

#include "fix/EditUtil.h"

#include "fmt/format.h"
#include "re2/re2.h"
#include "llvm/ADT/StringExtras.h"

namespace atm::fix {
namespace {

using syntax::ByteRange;
using syntax::CallSite;

bool isJavaName(llvm::StringRef S) {
  static const re2::RE2 Name("[A-Za-z_$][A-Za-z0-9_$]*");
  return re2::RE2::FullMatch(re2::StringPiece(S.data(), S.size()), Name);
}

/// True if \p After (the text between a call and the end of the value it is
/// assigned) is only a cast: Kotlin `as HttpURLConnection` / `as? …`, Scala
/// `.asInstanceOf[…]`.
bool castAfter(syntax::Grammar G, llvm::StringRef After) {
  re2::StringPiece In(After.data(), After.size());
  if (G == syntax::Grammar::Kotlin) {
    static const re2::RE2 As("\\s*as\\??\\s+[A-Za-z_][A-Za-z0-9_.]*\\??\\s*");
    return re2::RE2::FullMatch(In, As);
  }
  if (G == syntax::Grammar::Scala) {
    static const re2::RE2 As(
        "\\s*\\.\\s*asInstanceOf\\s*\\[\\s*[A-Za-z_][A-Za-z0-9_.]*\\s*\\]\\s*");
    return re2::RE2::FullMatch(In, As);
  }
  return false;
}

/// The variable a value ending with \p Call is assigned to (`HttpURLConnection c =
/// (HttpURLConnection) url.openConnection();`, `get = new HttpGet(u);`), with its statement.
const syntax::Assignment *assignmentOf(const syntax::FileModel &M, llvm::StringRef Text,
                                       const CallSite &Call) {
  for (const auto &A : M.Assignments)
    if (!A.Value.empty() && A.Value.contains(Call.Range) &&
        (A.Value.End == Call.Range.End ||
         castAfter(M.G, Text.slice(Call.Range.End, A.Value.End))) &&
        (A.Op.empty() || A.Op == "=") && isJavaName(A.Target)) {
      // Only a cast or parentheses may come before the call: `(HttpURLConnection) …`.
      llvm::StringRef Before = Text.slice(A.Value.Begin, Call.Range.Begin).trim();
      static const re2::RE2 Cast("(\\(\\s*[A-Za-z_$][A-Za-z0-9_$.<>?, ]*\\)\\s*)*\\(*");
      if (Before.empty() ||
          re2::RE2::FullMatch(re2::StringPiece(Before.data(), Before.size()), Cast))
        return &A;
    }
  return nullptr;
}

/// True if the statement \p St is one of a block's statements (not the body of an `if`
/// without braces, a resource of `try (…)`, or a field), alone on its last line.
bool blockStatement(llvm::StringRef Text, ByteRange St, std::string &Why,
                    syntax::Grammar G = syntax::Grammar::Java) {
  llvm::StringRef Before = Text.take_front(St.Begin).rtrim();
  if (G == syntax::Grammar::Kotlin || G == syntax::Grammar::Scala) {
    // No semicolons: the statement starts its line, and the line before it does
    // not open a body without braces (`if (…)`, `else`, `for (…)`, `x =`, `->`,
    // `=>`).
    llvm::StringRef Lead = Text.slice(lineBegin(Text, St.Begin), St.Begin);
    llvm::StringRef Prev =
        Before.empty() ? Before : Before.drop_front(lineBegin(Text, Before.size() - 1)).trim();
    static const re2::RE2 Opens(
        "^(\\}\\s*)?(else\\s+)?(if|while|for)\\b.*\\)$|(^|\\W)else$|(=|->|=>|"
        "\\+|-|\\*|/|&&|\\|\\||\\.|,|\\()$");
    if (!Lead.trim().empty() ||
        re2::RE2::PartialMatch(re2::StringPiece(Prev.data(), Prev.size()), Opens)) {
      Why = "the request is created inside another statement (an `if` without "
            "braces, an "
            "expression, …); set the Authorization header by hand";
      return false;
    }
    llvm::StringRef Rest = Text.slice(St.End, lineEnd(Text, St.End)).trim();
    if (!Rest.empty() && !Rest.startswith("//")) {
      Why = "the request's statement shares its line with other code; set the "
            "Authorization "
            "header by hand";
      return false;
    }
    return true;
  }
  llvm::StringRef LastLine =
      Before.empty() ? Before : Before.drop_front(lineBegin(Text, Before.size() - 1)).trim();
  if (!(Before.endswith(";") || Before.endswith("{") || Before.endswith("}") ||
        Before.endswith("*/") || LastLine.startswith("//"))) {
    Why = "the request is created inside another statement (an `if` without braces, a "
          "`try (…)` resource, …); set the Authorization header by hand";
    return false;
  }
  llvm::StringRef Rest = Text.slice(St.End, lineEnd(Text, St.End)).trim();
  if (!Rest.empty() && !Rest.startswith("//")) {
    Why = "the request's statement shares its line with other code; set the Authorization "
          "header by hand";
    return false;
  }
  return true;
}

/// `url.openStream()` is `url.openConnection().getInputStream()`: in a
/// statement of its own block, the connection goes into a variable on a line
/// before it, gets the header, and the call becomes
/// `zohoConnection.getInputStream()` (the URL's construction and
/// openConnection(), which does not connect, move before the statement).
std::optional<std::vector<TextEdit>>
openStreamEdits(llvm::StringRef Text, const syntax::FileModel &M, const CallSite &Url,
                const CallSite &Open, const Idiom &I, llvm::StringRef Value, std::string &Why) {
  static const char Name[] = "zohoConnection";
  ByteRange St = Open.Statement.empty() ? M.statementAt(Open.Range.Begin) : Open.Statement;
  llvm::StringRef Receiver = Text.slice(Open.Receiver.Begin, Open.Receiver.End);
  llvm::StringRef UrlArgs = Text.slice(Url.ArgumentList.Begin, Url.ArgumentList.End);
  llvm::StringRef Lead = St.empty() ? "" : Text.slice(lineBegin(Text, St.Begin), St.Begin);
  std::string W;
  if (St.empty() || !Lead.trim().empty() || St.Begin == 0 ||
      Open.Receiver == Url.Range || // `new URL(…).openStream()`: the URL's edits are inside
      UrlArgs.empty() ||
      llvm::StringRef(Text.slice(Open.Scope.Begin, Open.Scope.End)).contains(Name) ||
      (Open.Scope.Begin == 0 && Open.Scope.End >= Text.size())) {
    Why = "`….openStream()` takes no headers, and it is not in a statement "
          "this fix can put "
          "the connection before: open the URL with `openConnection()`, set "
          "the Authorization "
          "header on it and read its `getInputStream()`";
    return std::nullopt;
  }
  // Not a compound statement: the connection would move out of a loop's
  // condition or out of a `try` whose catch clauses handle openConnection()'s
  // IOException.
  static const re2::RE2 Compound("^(try|if|while|for|do|when|switch|synchronized)\\b");
  llvm::StringRef StText = Text.slice(St.Begin, St.End);
  if (re2::RE2::PartialMatch(re2::StringPiece(StText.data(), StText.size()), Compound) ||
      (M.G == syntax::Grammar::Java && !StText.rtrim().endswith(";"))) {
    Why = "`….openStream()` takes no headers, and it is read inside a compound "
          "statement (a "
          "`try (…)` resource, a loop or `if` condition); open the URL with "
          "`openConnection()`, set the Authorization header on it and read its "
          "`getInputStream()` by hand";
    return std::nullopt;
  }
  // The statement must be one of a block's (not the body of an `if` without
  // braces).
  llvm::StringRef Before = Text.take_front(St.Begin).rtrim();
  if (M.G == syntax::Grammar::Java &&
      !(Before.endswith(";") || Before.endswith("{") || Before.endswith("}") ||
        Before.endswith("*/") ||
        Text.slice(lineBegin(Text, Before.size() - 1), Before.size()).trim().startswith("//"))) {
    Why = "`….openStream()` is inside another statement (an `if` without "
          "braces, …); open the "
          "URL with `openConnection()`, set the Authorization header and read "
          "its "
          "`getInputStream()` by hand";
    return std::nullopt;
  }
  if (M.G != syntax::Grammar::Java && !blockStatement(Text, St, W, M.G)) {
    Why = W;
    return std::nullopt;
  }
  llvm::StringRef NL = newlineOf(Text);
  std::string Indent = indentOf(Text, St.Begin).str();
  bool Java = M.G == syntax::Grammar::Java;
  std::string Decl =
      Java ? fmt::format("java.net.URLConnection {} = {}.openConnection();", Name, Receiver.str())
           : fmt::format("val {} = {}.openConnection()", Name, Receiver.str());
  TextEdit Pre;
  Pre.Offset = lineBegin(Text, St.Begin);
  Pre.Text = Indent + Decl + NL.str() + Indent +
             expand(I.Statement, {{"var", Name}, {"value", Value}}) + NL.str();
  TextEdit Call;
  Call.Offset = Open.Receiver.Begin;
  Call.Length = Open.Range.End - Open.Receiver.Begin;
  Call.Text = std::string(Name) + ".getInputStream()";
  return std::vector<TextEdit>{Pre, Call};
}

/// The line \p Line inserted after the statement \p St (same indentation).
TextEdit lineAfter(llvm::StringRef Text, ByteRange St, llvm::StringRef Line) {
  llvm::StringRef NL = newlineOf(Text);
  TextEdit E;
  E.Offset = lineEndWithBreak(Text, St.End);
  E.Text = indentOf(Text, St.Begin).str() + Line.str() + NL.str();
  if (E.Offset == Text.size() && !Text.endswith("\n"))
    E.Text = NL.str() + E.Text;
  return E;
}

} // namespace

std::optional<std::string> javaSourceRoot(llvm::StringRef Path, llvm::StringRef Text,
                                          std::string &Why) {
  std::string Dir = directoryOf(Path);
  // Java `package a.b;`; Kotlin and Scala `package a.b` (no semicolon, at the
  // line's end).
  static const re2::RE2 Package(
      "(?m)^[ \\t]*package[ \\t]+([A-Za-z_$][A-Za-z0-9_$.]*(?:[ \\t]*\\.[ "
      "\\t]*[A-Za-z_$][A-Za-z0-9_$]*)*)[ \\t]*(?:;|//|/\\*|$)");
  std::string Pkg;
  if (!re2::RE2::PartialMatch(re2::StringPiece(Text.data(), Text.size()), Package, &Pkg))
    return Dir; // the default package: the file's directory is the source root
  llvm::erase_if(Pkg, [](char C) { return llvm::isSpace(C); });
  std::string Sub = Pkg;
  std::replace(Sub.begin(), Sub.end(), '.', '/');
  llvm::StringRef D(Dir);
  if (D == Sub)
    return std::string();
  if (D.endswith("/" + Sub))
    return D.drop_back(Sub.size() + 1).str();
  Why = fmt::format("the file's directory does not end with its package's path ({}): the "
                    "helper's place and import are unknown; add the helper (helper --lang "
                    "java) to the source root and set the Authorization header by hand",
                    Sub);
  return std::nullopt;
}

std::optional<std::vector<TextEdit>> javaHeaderEdits(llvm::StringRef Text,
                                                     const syntax::FileModel &M,
                                                     const CallSite &Call, const Idiom &I,
                                                     llvm::StringRef Value, std::string &Why) {
  if (I.Header == "java-chain") {
    if (Call.Scope.Begin == 0 && Call.Scope.End >= Text.size()) {
      // A field or top-level property: built once, its header would outlive the token.
      Why = fmt::format("the request `{}(…)` is built once, outside a method (a field or "
                        "property): a header set there would outlive the one-hour access "
                        "token; build the request where it is sent and run fix again",
                        Call.Callee);
      return std::nullopt;
    }
    TextEdit E;
    E.Offset = Call.Range.End;
    E.Text = expand(I.ChainHeader, {{"value", Value}});
    std::vector<TextEdit> Out{E};
    if (I.SendRetry.empty())
      return Out;
    // `HttpRequest req = …build();` sent by `client.send(req, handler)` later in the same
    // method: the send goes through the helper's `send-retry` (one retry after a 401).
    const syntax::Assignment *A = nullptr;
    for (const auto &As : M.Assignments)
      if (!As.Value.empty() && As.Value.contains(Call.Range) && (As.Op.empty() || As.Op == "=") &&
          isJavaName(As.Target) && (!A || A->Value.contains(As.Value)))
        A = &As;
    if (!A)
      return Out;
    for (const CallSite &S : M.Calls) {
      if (S.Range.Begin < A->Range.End || S.Scope != Call.Scope || S.Name != "send" ||
          S.Arguments.size() != 2 || S.Receiver.empty() || S.ArgumentList.empty() ||
          Text.slice(S.Arguments[0].Value.Begin, S.Arguments[0].Value.End).trim() != A->Target)
        continue;
      llvm::StringRef Receiver = Text.slice(S.Receiver.Begin, S.Receiver.End);
      TextEdit Callee, Arg;
      Callee.Offset = S.Receiver.Begin;
      Callee.Length = S.ArgumentList.Begin - S.Receiver.Begin;
      Callee.Text = I.SendRetry;
      Arg.Offset = S.ArgumentList.Begin + 1;
      Arg.Text = Receiver.str() + ", ";
      Out.push_back(Callee);
      Out.push_back(Arg);
      break;
    }
    return Out;
  }
  // java-statement: find the object and the statement it is created or configured in.
  const bool Jvm = M.G == syntax::Grammar::Kotlin || M.G == syntax::Grammar::Scala;
  std::string Var;
  ByteRange St;
  if (I.Keyword == "openConnection") {
    // `new URL(…).openConnection()` directly, or a later `url.openConnection()` of the
    // variable holding this URL, in the same method.
    const CallSite *Open = nullptr;
    for (const CallSite &C : M.Calls)
      if (C.Receiver == Call.Range && C.Name != "toString")
        Open = &C;
    if (!Open) {
      std::string UrlVar;
      if (const auto *A = assignmentOf(M, Text, Call))
        UrlVar = A->Target;
      if (UrlVar.empty()) {
        Why = fmt::format("the `new {}(…)` is not opened here nor kept in a variable (it is "
                          "returned or passed on); set the Authorization header where its "
                          "connection is opened",
                          Call.Callee);
        return std::nullopt;
      }
      // The URL's only use after it: `url.openConnection()` (another use could send it
      // without the header once the token is gone).
      unsigned Uses = 0;
      llvm::StringRef Rest = Text.slice(Call.Range.End, Call.Scope.End);
      for (size_t P = 0; (P = Rest.find(UrlVar, P)) != llvm::StringRef::npos; P += UrlVar.size()) {
        bool B = P == 0 || !(llvm::isAlnum(Rest[P - 1]) || Rest[P - 1] == '_' ||
                             Rest[P - 1] == '$' || Rest[P - 1] == '.');
        bool E = P + UrlVar.size() >= Rest.size() ||
                 !(llvm::isAlnum(Rest[P + UrlVar.size()]) || Rest[P + UrlVar.size()] == '_' ||
                   Rest[P + UrlVar.size()] == '$');
        if (B && E)
          ++Uses;
      }
      std::vector<const CallSite *> Opens; // `url.…()` calls after it, in order
      for (const CallSite &C : M.Calls)
        if (C.Range.Begin >= Call.Range.End && C.Scope == Call.Scope &&
            Text.slice(C.Receiver.Begin, C.Receiver.End) == UrlVar)
          Opens.push_back(&C);
      if (!Opens.empty())
        Open = Opens.front();
      if (Open && Uses > Opens.size()) {
        Why = fmt::format("`{}` is used more than once after it, and not only to open a "
                          "connection (another use could send it without the header); set "
                          "the Authorization header on each connection by hand",
                          UrlVar);
        return std::nullopt;
      }
      if (!Open) {
        Why = fmt::format("`{}` is not opened in the same method (no `{}.openConnection()` "
                          "after it); set the Authorization header where its connection is "
                          "opened",
                          UrlVar, UrlVar);
        return std::nullopt;
      }
      if (Opens.size() > 1) {
        // `url.openConnection()` twice: each connection gets the header, or
        // none does.
        std::vector<TextEdit> Out;
        for (const CallSite *O : Opens) {
          const auto *A = O->Name == "openConnection" ? assignmentOf(M, Text, *O) : nullptr;
          ByteRange S = !A ? ByteRange{} : A->Statement.empty() ? O->Statement : A->Statement;
          if (A && Jvm && S.Begin != A->Range.Begin)
            S = ByteRange{};
          std::string W;
          if (!A || S.empty() || !blockStatement(Text, S, W, M.G)) {
            Why = fmt::format("`{}` is opened more than once after it, and not every "
                              "connection "
                              "is kept in a variable of its own statement (only some would "
                              "get "
                              "the header); set the Authorization header on each connection "
                              "by hand",
                              UrlVar);
            return std::nullopt;
          }
          Out.push_back(
              lineAfter(Text, S, expand(I.Statement, {{"var", A->Target}, {"value", Value}})));
        }
        return Out;
      }
    }
    if (Open->Name == "openStream" && Open->Arguments.empty() && I.Statement.find("{var}.") == 0)
      return openStreamEdits(Text, M, Call, *Open, I, Value, Why);
    if (Open->Name != "openConnection") {
      Why = fmt::format("`….{}()` takes no headers: open the URL with `HttpURLConnection conn "
                        "= (HttpURLConnection) url.openConnection()`, read `conn` and run fix "
                        "again",
                        Open->Name);
      return std::nullopt;
    }
    const auto *A = assignmentOf(M, Text, *Open);
    if (!A) {
      Why = "the connection from `openConnection()` is not kept in a variable; assign it "
            "(`HttpURLConnection conn = (HttpURLConnection) url.openConnection();`) and run "
            "fix again";
      return std::nullopt;
    }
    Var = A->Target;
    St = A->Statement.empty() ? Open->Statement : A->Statement;
    if (Jvm && St.Begin != A->Range.Begin)
      St = ByteRange{}; // part of a larger statement (`if (x) c = …`)
  } else if (I.Keyword == "receiver") {
    Var = Text.slice(Call.Receiver.Begin, Call.Receiver.End).str();
    if (!isJavaName(Var)) {
      Why = fmt::format("the request `{}` is not a plain variable; set the Authorization header "
                        "on it by hand",
                        Var);
      return std::nullopt;
    }
    St = Call.Statement;
    if (St.empty() || !llvm::StringRef(Text.slice(Call.Range.End, St.End)).trim(" \t;").empty() ||
        St.Begin != Call.Range.Begin) {
      Why = fmt::format("`{}(…)` is part of a larger expression; set the Authorization header "
                        "by hand",
                        Call.Callee);
      return std::nullopt;
    }
  } else { // assigned
    const auto *A = assignmentOf(M, Text, Call);
    if (!A) {
      Why = fmt::format("the request `new {}(…)` is not kept in a variable; assign it and run "
                        "fix again (or set the Authorization header by hand)",
                        Call.Callee);
      return std::nullopt;
    }
    Var = A->Target;
    St = A->Statement.empty() ? Call.Statement : A->Statement;
    if (Jvm && St.Begin != A->Range.Begin)
      St = ByteRange{};
  }
  if (St.empty() && Jvm) {
    Why = "the request is created inside another statement (an `if` without "
          "braces, an "
          "expression, …); set the Authorization header by hand";
    return std::nullopt;
  }
  if (St.empty() || (Call.Scope.Begin == 0 && Call.Scope.End >= Text.size())) {
    Why = "the request is not created inside a method; set the Authorization header by hand";
    return std::nullopt;
  }
  if (!blockStatement(Text, St, Why, M.G))
    return std::nullopt;
  return std::vector<TextEdit>{
      lineAfter(Text, St, expand(I.Statement, {{"var", Var}, {"value", Value}}))};
}

std::vector<TextEdit> javaImportEdits(llvm::StringRef Text, llvm::StringRef Line) {
  return javaImportEdits(Text, llvm::ArrayRef<std::string>{Line.str()});
}

std::vector<TextEdit> javaImportEdits(llvm::StringRef Text, llvm::ArrayRef<std::string> Lines) {
  llvm::StringRef NL = newlineOf(Text);
  // The lines not there yet: the same import, or a wildcard import of its
  // package (Java/Kotlin `import a.b.*`, Scala `import a.b._`), is enough.
  std::vector<std::string> Missing;
  for (const std::string &Line : Lines) {
    llvm::StringRef Want = llvm::StringRef(Line).trim();
    llvm::StringRef Name = Want;
    Name.consume_front("import");
    Name = Name.trim().rtrim(";").rtrim();
    llvm::StringRef Pkg = Name.rsplit('.').first;
    bool Have = false;
    for (size_t Pos = 0; Pos < Text.size() && !Have;) {
      size_t E = lineEndWithBreak(Text, Pos);
      llvm::StringRef L = Text.slice(Pos, E).trim();
      if (L.consume_front("import ")) {
        L = L.trim().rtrim(";").rtrim();
        Have = L == Name || (Pkg != Name && (L == (Pkg + ".*").str() || L == (Pkg + "._").str()));
      }
      Pos = E;
    }
    if (!Have && !llvm::is_contained(Missing, Want.str()))
      Missing.push_back(Want.str());
  }
  if (Missing.empty())
    return {};
  std::string Want = llvm::join(Missing, NL);
  size_t LastImport = llvm::StringRef::npos, PackageEnd = llvm::StringRef::npos;
  for (size_t Pos = 0; Pos < Text.size();) {
    size_t E = lineEndWithBreak(Text, Pos);
    llvm::StringRef L = Text.slice(Pos, E).trim();
    if (L.startswith("package ") && PackageEnd == llvm::StringRef::npos)
      PackageEnd = E;
    else if (L.startswith("import "))
      LastImport = E;
    else if (!L.empty() && !L.startswith("//") && !L.startswith("/*") && !L.startswith("*") &&
             !L.startswith("@") && LastImport != llvm::StringRef::npos)
      break; // the first type declaration after the imports
    Pos = E;
  }
  TextEdit Ed;
  if (LastImport != llvm::StringRef::npos) {
    Ed.Offset = LastImport;
    Ed.Text = Want + NL.str();
  } else if (PackageEnd != llvm::StringRef::npos) {
    Ed.Offset = PackageEnd;
    Ed.Text = NL.str() + Want + NL.str();
  } else {
    Ed.Offset = 0;
    Ed.Text = Want + NL.str() + NL.str();
  }
  return {Ed};
}

std::optional<JavaPairStatement> javaNameValuePair(llvm::StringRef Text, const syntax::FileModel &M,
                                                   uint32_t Offset) {
  static const re2::RE2 PairType("^(org\\.apache\\.http\\.message\\.)?BasicNameValuePair$");
  // `list.add(new BasicNameValuePair(KEY, v));` as a statement of its own: the statement,
  // the list and the pair's value.
  struct Added {
    ByteRange St;
    std::string List;
    ByteRange Scope;
  };
  auto AddOf = [&](const CallSite &Pair) -> std::optional<Added> {
    for (const CallSite &Add : M.Calls) {
      if (Add.Name != "add" || Add.Arguments.size() != 1 || Add.Arguments[0].Value != Pair.Range)
        continue;
      std::string List = Text.slice(Add.Receiver.Begin, Add.Receiver.End).str();
      ByteRange St = Add.Statement;
      if (!isJavaName(List) || St.empty() || St.Begin != Add.Range.Begin ||
          !llvm::StringRef(Text.slice(Add.Range.End, St.End)).trim(" \t;").empty())
        return std::nullopt;
      return Added{St, List, Add.Scope};
    }
    return std::nullopt;
  };
  auto Key = [&](const CallSite &Pair) {
    return Text.slice(Pair.Arguments[0].Value.Begin, Pair.Arguments[0].Value.End).trim();
  };
  for (const CallSite &Pair : M.Calls) {
    if (!Pair.IsNew || Pair.Arguments.size() != 2 || Offset < Pair.Range.Begin ||
        Offset >= Pair.Range.End || !re2::RE2::FullMatch(Pair.Callee, PairType) ||
        !Key(Pair).equals_insensitive("\"authtoken\""))
      continue;
    auto A = AddOf(Pair);
    if (!A)
      return std::nullopt;
    JavaPairStatement Out{A->St, A->List, A->Scope, {}};
    for (const CallSite &Other : M.Calls) {
      if (!Other.IsNew || Other.Arguments.size() != 2 ||
          !re2::RE2::FullMatch(Other.Callee, PairType) ||
          !Key(Other).equals_insensitive("\"scope\"") ||
          !isLegacyScopeValue(
              Text.slice(Other.Arguments[1].Value.Begin, Other.Arguments[1].Value.End).trim("\"")))
        continue;
      if (auto B = AddOf(Other); B && B->List == A->List && B->Scope == A->Scope)
        Out.Companions.push_back(B->St);
    }
    return Out;
  }
  return std::nullopt;
}

std::optional<JvmParameterLink> jvmParameterLink(llvm::StringRef Text, const syntax::FileModel &M,
                                                 uint32_t Offset) {
  static const llvm::StringRef LinkNames[] = {"addQueryParameter", "addEncodedQueryParameter",
                                              "setQueryParameter", "add",
                                              "addEncoded",        "param",
                                              "queryParam",        "addParameter",
                                              "addParam",          "parameter"};
  auto KeyOf = [&](const CallSite &C) -> llvm::StringRef {
    if (C.Arguments.size() != 2)
      return "";
    llvm::StringRef First = Text.slice(C.Arguments[0].Value.Begin, C.Arguments[0].Value.End).trim();
    if (First.size() < 2 || !First.startswith("\"") || !First.endswith("\""))
      return "";
    return First.drop_front().drop_back();
  };
  auto IsLink = [&](const CallSite &C) {
    if (C.Receiver.empty() || !llvm::is_contained(LinkNames, C.Name))
      return false;
    llvm::StringRef Between = Text.slice(C.Receiver.End, C.CalleeRange.End).ltrim();
    return Between.startswith(".") || Between.startswith("?.");
  };
  for (const CallSite &Call : M.Calls) {
    if (Call.ArgumentList.empty() || Offset < Call.ArgumentList.Begin ||
        Offset >= Call.ArgumentList.End || !KeyOf(Call).equals_insensitive("authtoken") ||
        !llvm::is_contained(LinkNames, Call.Name))
      continue;
    JvmParameterLink L;
    L.Range = Call.Range;
    L.Scope = Call.Scope;
    ByteRange Own = M.statementAt(Call.Range.Begin);
    if (IsLink(Call) && Own.Begin == Call.Range.Begin && Own.End >= Call.Range.End &&
        Text.slice(Call.Range.End, Own.End).trim(" \t;").empty() &&
        isJavaName(Text.slice(Call.Receiver.Begin, Call.Receiver.End)))
      return std::nullopt; // `form.add("authtoken", t)` on its own: the statement goes
    if (IsLink(Call)) {
      // `.addQueryParameter("authtoken", t)` (with the line break and
      // indentation before it).
      TextEdit E;
      E.Offset = Call.Receiver.End;
      E.Length = Call.Range.End - Call.Receiver.End;
      L.Removal.push_back(E);
      // A `scope=…api` link of the same chain (chain calls begin where the
      // chain begins).
      for (const CallSite &O : M.Calls)
        if (&O != &Call && O.Range.Begin == Call.Range.Begin && IsLink(O) &&
            KeyOf(O).equals_insensitive("scope") &&
            isLegacyScopeValue(
                Text.slice(O.Arguments[1].Value.Begin, O.Arguments[1].Value.End).trim("\""))) {
          TextEdit S;
          S.Offset = O.Receiver.End;
          S.Length = O.Range.End - O.Receiver.End;
          L.Removal.push_back(S);
        }
      L.Call = &Call;
      return L;
    }
    if (M.G != syntax::Grammar::Kotlin || !Call.Receiver.empty() || Call.Name != "parameter")
      return std::nullopt;
    // Ktor: `parameter("authtoken", t)` as a statement of its own in a request
    // block.
    ByteRange St = M.statementAt(Call.Range.Begin);
    if (St.Begin != Call.Range.Begin || St.End < Call.Range.End ||
        !Text.slice(Call.Range.End, St.End).trim(" \t;").empty())
      return std::nullopt;
    const CallSite *Owner = nullptr;
    for (const CallSite &O : M.Calls)
      if (&O != &Call && O.Range.contains(Call.Range) && O.Range != Call.Range &&
          (!Owner || Owner->Range.contains(O.Range)))
        Owner = &O;
    if (!Owner)
      return std::nullopt;
    // `client.get(url) { … }` is a call of the call `client.get(url)` with a
    // trailing lambda: the inner call names the request.
    for (const CallSite &O : M.Calls)
      if (O.Range == Owner->CalleeRange && !O.Name.empty()) {
        Owner = &O;
        break;
      }
    L.Removal.push_back(removeRange(Text, St.Begin, St.End));
    L.Call = Owner;
    return L;
  }
  return std::nullopt;
}

std::optional<TextEdit> jvmEmptiedLink(llvm::StringRef Text, const syntax::FileModel &M,
                                       const syntax::KeyValue &KV, size_t Gone) {
  // Only methods that add query parameters: dropping them changes nothing else
  // (not scalaj-http's postForm, which also makes the request a POST).
  static const llvm::StringRef QueryLinks[] = {"params", "withQueryStringParameters",
                                               "addQueryStringParameters"};
  size_t InContainer = 0;
  for (const syntax::KeyValue &O : M.Pairs)
    if (O.Container == KV.Container)
      ++InContainer;
  if (InContainer != Gone)
    return std::nullopt;
  // The pairs' holder: the link's own arguments, or a Map(…)/Seq(…) that is its
  // only one.
  ByteRange Holder = KV.Range;
  for (const CallSite &C : M.Calls)
    if (C.Arguments.size() == Gone && !C.ArgumentList.empty() &&
        C.ArgumentList.contains(KV.Range) && C.Receiver.empty() &&
        (C.Name == "Map" || C.Name == "Seq" || C.Name == "List" || C.Name == "mapOf" ||
         C.Name == "listOf")) {
      Holder = C.Range;
      break;
    }
  for (const CallSite &L : M.Calls) {
    if (L.Receiver.empty() || !llvm::is_contained(QueryLinks, L.Name) || L.ArgumentList.empty() ||
        !L.ArgumentList.contains(Holder))
      continue;
    bool All = Holder == KV.Range ? L.Arguments.size() == Gone
                                  : L.Arguments.size() == 1 && L.Arguments[0].Value == Holder;
    llvm::StringRef Between = Text.slice(L.Receiver.End, L.CalleeRange.End).ltrim();
    if (!All || !Between.startswith("."))
      return std::nullopt;
    TextEdit E;
    E.Offset = L.Receiver.End;
    E.Length = L.Range.End - L.Receiver.End;
    return E;
  }
  return std::nullopt;
}

std::optional<std::vector<TextEdit>> kotlinBlockEdits(llvm::StringRef Text,
                                                      const syntax::FileModel &M,
                                                      const CallSite &Call, const Idiom &I,
                                                      llvm::StringRef Value, std::string &Why) {
  std::string Stmt = expand(I.Statement, {{"value", Value}});
  uint32_t ArgsEnd = Call.ArgumentList.empty() ? Call.CalleeRange.End : Call.ArgumentList.End;
  ByteRange Whole = Call.Range;
  // The trailing lambda makes a call of this call (`client.get(url) { … }`).
  for (const CallSite &O : M.Calls)
    if (O.CalleeRange == Call.Range && O.Range.End > Call.Range.End) {
      Whole = O.Range;
      break;
    }
  llvm::StringRef After = Text.slice(ArgsEnd, Whole.End);
  size_t Brace = After.find_first_not_of(" \t\r\n");
  TextEdit E;
  if (Brace == llvm::StringRef::npos) {
    // No block: one is added after the arguments.
    E.Offset = Whole.End;
    E.Text = " { " + Stmt + " }";
    return std::vector<TextEdit>{E};
  }
  if (After[Brace] != '{') {
    Why = fmt::format("`{}(…)` is followed by something other than its request block; set "
                      "the Authorization header by hand",
                      Call.Callee);
    return std::nullopt;
  }
  uint32_t Open = ArgsEnd + static_cast<uint32_t>(Brace);
  llvm::StringRef Body = Text.slice(Open + 1, Whole.End);
  size_t NLPos = Body.find('\n');
  llvm::StringRef FirstLine = Body.take_front(NLPos);
  uint32_t At = Open + 1;
  if (size_t Arrow = FirstLine.find("->"); Arrow != llvm::StringRef::npos) {
    Why = fmt::format("the request block of `{}(…)` takes a parameter; set the Authorization "
                      "header in it by hand",
                      Call.Callee);
    return std::nullopt;
  }
  if (NLPos == llvm::StringRef::npos || !FirstLine.trim().empty()) {
    // `{ parameter(…) }` on one line: the statement goes first, separated by
    // `;`.
    E.Offset = At;
    E.Text = " " + Stmt + ";";
    return std::vector<TextEdit>{E};
  }
  // A block over lines: a line of its own, indented as the block's first
  // statement.
  llvm::StringRef NL = newlineOf(Text);
  uint32_t FirstStmt = At + static_cast<uint32_t>(NLPos) + 1;
  llvm::StringRef Rest = Text.slice(FirstStmt, Whole.End);
  size_t Lead = Rest.find_first_not_of(" \t\r\n");
  std::string Indent;
  if (Lead != llvm::StringRef::npos && Rest[Lead] != '}')
    Indent = indentOf(Text, FirstStmt + static_cast<uint32_t>(Lead)).str();
  else
    Indent = indentOf(Text, Call.Range.Begin).str() + "    ";
  E.Offset = FirstStmt;
  E.Text = Indent + Stmt + NL.str();
  return std::vector<TextEdit>{E};
}

} // namespace atm::fix
