//===- SyntaxCommand.cpp - `authtoken-migrate syntax FILE` -----------------===//
//
// For rule and query authors: how the syntax front end sees a file (grammar, syntax
// errors, and the shared model: calls, strings, assignments, key/value entries), or the
// tree itself with --tree. Token-shaped values are redacted unless --show-secrets.

#include <string>

#include "cli/Cli.h"
#include "cli/Commands.h"
#include "core/Text.h"
#include "lang/Language.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"
#include "syntax/Model.h"

namespace cl = llvm::cl;
using namespace atm;
using namespace atm::cli;

namespace {

cl::SubCommand SyntaxCmd("syntax", "Show the syntax tree model of a file: calls, strings, assignments, keys (for rule authors)");
cl::opt<std::string> SyntaxFile(cl::Positional, cl::desc("FILE"), cl::Required, cl::sub(SyntaxCmd));
cl::opt<bool> SyntaxTreeOpt("tree", cl::desc("Print the tree-sitter S-expression instead of the model"),
                            cl::sub(SyntaxCmd));
cl::opt<bool> SyntaxShowSecrets("show-secrets", cl::desc("Do not redact token-shaped values"), cl::sub(SyntaxCmd));

std::string shown(llvm::StringRef Text) {
  std::string S = SyntaxShowSecrets ? Text.str() : redactSecrets(Text);
  for (char &C : S)
    if (C == '\n' || C == '\r' || C == '\t')
      C = ' ';
  if (S.size() > 90)
    S = S.substr(0, 87) + "...";
  return S;
}

} // namespace

namespace atm::cli {

bool syntaxSelected() { return static_cast<bool>(SyntaxCmd); }

int runSyntax() {
  auto Buf = readSourceFile(SyntaxFile, "syntax");
  if (!Buf)
    return failErr(Buf.takeError());
  llvm::StringRef Text = (*Buf)->getBuffer();
  Language L = detectLanguage(SyntaxFile, Text.take_front(4096));
  std::optional<syntax::Grammar> Gr = syntax::grammarFor(L, SyntaxFile);
  if (!Gr)
    return fail(SyntaxFile + ": no syntax grammar for language '" + languageName(L).str() + "'");
  llvm::Expected<syntax::SyntaxTree> T = syntax::parse(*Gr, Text);
  if (!T)
    return fail(SyntaxFile + ": " + llvm::toString(T.takeError()));
  syntax::Grammar G = T->grammar();
  LineIndex Lines(Text);
  auto At = [&](syntax::ByteRange R) {
    Position P = Lines.position(R.Begin);
    return llvm::formatv("{0,5}:{1,-4}", P.Line, P.Column).str();
  };
  auto Of = [&](syntax::ByteRange R) { return Text.slice(R.Begin, R.End); };
  llvm::outs() << SyntaxFile << ": language " << languageName(L) << ", grammar " << syntax::grammarName(G) << " ("
               << syntax::grammarPackage(G) << "@" << syntax::grammarVersion(G) << ", ABI "
               << syntax::grammarAbi(G) << "), " << T->errorCount() << " syntax error(s)\n";
  for (const syntax::SyntaxError &E : T->errors())
    llvm::outs() << At(E.Range) << " error     "
                 << (E.Missing ? "missing " + E.MissingKind : "unexpected: " + shown(Of(E.Range))) << "\n";
  if (SyntaxTreeOpt) {
    llvm::outs() << T->root().sexp() << "\n"; // node kinds and fields only, no source text
    return 0;
  }
  llvm::Expected<syntax::FileModel> M = syntax::extractModel(*T);
  if (!M)
    return fail(SyntaxFile + ": " + llvm::toString(M.takeError()));
  for (const syntax::CallSite &C : M->Calls) {
    llvm::outs() << At(C.Range) << " call      " << (C.IsNew ? "new " : "") << shown(C.Callee) << "  name="
                 << C.Name << "  args=" << C.Arguments.size() << "  statement=" << Lines.position(C.Statement.Begin).Line
                 << "-" << Lines.position(C.Statement.End).Line
                 << (C.ScopeName.empty() ? "" : "  in " + C.ScopeName) << "\n";
    for (const syntax::Argument &A : C.Arguments)
      llvm::outs() << At(A.Range) << "   arg     " << (A.Keyword.empty() ? "" : A.Keyword + "= ") << A.Kind
                   << ": " << shown(Of(A.Value)) << "\n";
  }
  auto Str = [&](const syntax::StringExpr &S, llvm::StringRef What) {
    llvm::outs() << At(S.Range) << " " << What << "  " << shown(S.flatten("{…}")) << "\n";
  };
  for (const syntax::StringExpr &S : M->Strings)
    Str(S, S.Kind == syntax::StringExpr::Template ? "template" : "string  ");
  for (const syntax::StringExpr &S : M->Concats)
    Str(S, "concat  ");
  for (const syntax::Assignment &A : M->Assignments)
    llvm::outs() << At(A.Range) << " assign    " << (A.Keyword.empty() ? "" : A.Keyword + " ") << shown(A.Target)
                 << " " << A.Op << " " << shown(Of(A.Value)) << "  name=" << A.Name << "\n";
  for (const syntax::KeyValue &KV : M->Pairs)
    llvm::outs() << At(KV.Range) << " key       " << shown(KV.Key) << " => " << shown(Of(KV.Value)) << "\n";
  return 0;
}

} // namespace atm::cli
