//===- CSharpFixer.cpp - C# header kinds and the using directive ----------===//
//
// See CSharpFixer.h. The edits never overlap the credential's removal inside the call's
// arguments: receiver-argument rewrites only the text before the first argument,
// wrap-receiver inserts around the receiver, statement-before inserts a line.

#include "fix/CSharpFixer.h"

#include "fix/EditUtil.h"

#include "fmt/format.h"
#include "re2/re2.h"

namespace atm::fix {

bool isCSharpHeaderKind(llvm::StringRef Kind) {
  return Kind == "receiver-argument" || Kind == "wrap-receiver" || Kind == "statement-before";
}

std::optional<std::vector<TextEdit>> csharpHeaderEdits(llvm::StringRef Text,
                                                       const syntax::CallSite &Call,
                                                       syntax::ByteRange Statement,
                                                       const Idiom &I, llvm::StringRef Value,
                                                       llvm::StringRef NS, std::string &Why) {
  if (Call.ArgumentList.size() < 2 || Call.ArgumentList.End > Text.size()) {
    Why = "the call has no argument list";
    return std::nullopt;
  }
  llvm::StringRef Receiver =
      Call.Receiver.empty() ? llvm::StringRef() : Text.slice(Call.Receiver.Begin, Call.Receiver.End);
  if (I.Header == "receiver-argument") {
    if (Receiver.empty()) {
      Why = fmt::format("`{}(…)` has no client to pass to the helper; add the Authorization "
                        "header to the request by hand",
                        Call.Callee);
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
  if (I.Header == "statement-before") {
    size_t Pos = I.Position < 0 ? 0 : static_cast<size_t>(I.Position);
    if (Pos >= Call.Arguments.size()) {
      Why = "the request has no request-object argument";
      return std::nullopt;
    }
    llvm::StringRef Arg = Text.slice(Call.Arguments[Pos].Value.Begin, Call.Arguments[Pos].Value.End);
    static const re2::RE2 Name("[A-Za-z_][A-Za-z0-9_]*");
    if (!re2::RE2::FullMatch(re2::StringPiece(Arg.data(), Arg.size()), Name)) {
      Why = fmt::format("the request object of `{}(…)` is not a plain variable; add the "
                        "Authorization header to it by hand",
                        Call.Callee);
      return std::nullopt;
    }
    if (Statement.empty() || !Statement.contains(Call.Range) ||
        !Text.slice(lineBegin(Text, Statement.Begin), Statement.Begin).trim().empty()) {
      Why = fmt::format("`{}(…)` does not start a line of its own; add the Authorization "
                        "header to the request by hand",
                        Call.Callee);
      return std::nullopt;
    }
    // A statement that is the body of an `if`/`else`/loop without braces cannot take a
    // second statement before it.
    llvm::StringRef Before = Text.slice(0, lineBegin(Text, Statement.Begin)).rtrim();
    if (!Before.empty() && Before.back() != ';' && Before.back() != '{' && Before.back() != '}') {
      Why = fmt::format("`{}(…)` follows code that is not a complete statement (a body "
                        "without braces?); add the Authorization header to the request by hand",
                        Call.Callee);
      return std::nullopt;
    }
    TextEdit E;
    E.Offset = lineBegin(Text, Statement.Begin);
    E.Text = (indentOf(Text, Statement.Begin) +
              expand(I.Statement, {{"arg", Arg}, {"value", Value}, {"ns", NS}}) + newlineOf(Text))
                 .str();
    return std::vector<TextEdit>{E};
  }
  Why = "unknown C# header kind '" + I.Header + "'";
  return std::nullopt;
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
  static const re2::RE2 Using("(global\\s+)?using\\s+(static\\s+)?[A-Za-z_][A-Za-z0-9_.]*(\\s*=\\s*[^;]+)?\\s*;.*");
  size_t InsertAt = 0, Pos = 0;
  bool SawUsing = false, InComment = false;
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
    } else if (T.empty() || T.startswith("//") || T.startswith("#")) {
      if (!SawUsing && (T.startswith("//") || T.startswith("#")) && InsertAt == Pos)
        InsertAt = E; // a file header comment, #nullable, #define
    } else if (Top && re2::RE2::FullMatch(re2::StringPiece(T.data(), T.size()), Using)) {
      SawUsing = true;
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
