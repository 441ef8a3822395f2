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

/// The variable a value ending with \p Call is assigned to (`HttpURLConnection c =
/// (HttpURLConnection) url.openConnection();`, `get = new HttpGet(u);`), with its statement.
const syntax::Assignment *assignmentOf(const syntax::FileModel &M, llvm::StringRef Text,
                                       const CallSite &Call) {
  for (const auto &A : M.Assignments)
    if (!A.Value.empty() && A.Value.contains(Call.Range) && A.Value.End == Call.Range.End &&
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
bool blockStatement(llvm::StringRef Text, ByteRange St, std::string &Why) {
  llvm::StringRef Before = Text.take_front(St.Begin).rtrim();
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
  static const re2::RE2 Package("(?m)^\\s*package\\s+([A-Za-z_$][A-Za-z0-9_$.\\s]*?)\\s*;");
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
      for (const CallSite &C : M.Calls)
        if (C.Range.Begin >= Call.Range.End && C.Scope == Call.Scope &&
            Text.slice(C.Receiver.Begin, C.Receiver.End) == UrlVar) {
          Open = &C;
          break;
        }
      if (Open && Uses > 1) {
        Why = fmt::format("`{}` is used more than once after it (only one connection would get "
                          "the header); set the Authorization header on each connection by hand",
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
    }
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
  }
  if (St.empty() || (Call.Scope.Begin == 0 && Call.Scope.End >= Text.size())) {
    Why = "the request is not created inside a method; set the Authorization header by hand";
    return std::nullopt;
  }
  if (!blockStatement(Text, St, Why))
    return std::nullopt;
  return std::vector<TextEdit>{
      lineAfter(Text, St, expand(I.Statement, {{"var", Var}, {"value", Value}}))};
}

std::vector<TextEdit> javaImportEdits(llvm::StringRef Text, llvm::StringRef Line) {
  llvm::StringRef NL = newlineOf(Text);
  std::string Want = Line.str();
  size_t LastImport = llvm::StringRef::npos, PackageEnd = llvm::StringRef::npos;
  for (size_t Pos = 0; Pos < Text.size();) {
    size_t E = lineEndWithBreak(Text, Pos);
    llvm::StringRef L = Text.slice(Pos, E).trim();
    if (L == Want)
      return {};
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

} // namespace atm::fix
