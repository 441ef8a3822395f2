#include "clang/Analyzer.h"

#include <deque>
#include <functional>
#include <map>
#include <set>

#include "clang/AST/ASTConsumer.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ExprObjC.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/Diagnostic.h"
#include "clang/Basic/FileManager.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Basic/TargetInfo.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendAction.h"
#include "clang/Lex/Lexer.h"
#include "clang/Lex/MacroInfo.h"
#include "clang/Lex/PPCallbacks.h"
#include "clang/Lex/Preprocessor.h"
#include "clang/Tooling/Core/Replacement.h"
#include "clang/Tooling/Tooling.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/VirtualFileSystem.h"

namespace atm {
namespace clangfe {

using namespace clang;

std::string canonicalPath(const std::string &Path, const std::string &WorkDir) {
  llvm::SmallString<256> Abs(Path);
  if (!llvm::sys::path::is_absolute(Abs) && !WorkDir.empty()) {
    Abs = WorkDir;
    llvm::sys::path::append(Abs, Path);
  }
  llvm::sys::fs::make_absolute(Abs);
  llvm::SmallString<256> Real;
  if (!llvm::sys::fs::real_path(Abs, Real))
    return std::string(Real.str());
  llvm::sys::path::remove_dots(Abs, /*remove_dot_dot=*/true);
  return std::string(Abs.str());
}

namespace {

/// Case-insensitive find of a lower-case needle.
size_t findI(llvm::StringRef Hay, llvm::StringRef Needle, size_t From = 0) {
  if (Needle.size() > Hay.size())
    return llvm::StringRef::npos;
  for (size_t I = From; I + Needle.size() <= Hay.size(); ++I)
    if (Hay.substr(I, Needle.size()).equals_insensitive(Needle))
      return I;
  return llvm::StringRef::npos;
}

/// A token value: 24-40 letters/digits with at least one of each (rules README
/// "value-check: mixed-alnum"; Zoho's tokens are 32 hex, its samples are not hex).
bool isTokenValue(llvm::StringRef V) {
  if (V.size() < 24 || V.size() > 40)
    return false;
  bool D = false, A = false;
  for (char C : V) {
    if (llvm::isDigit(C))
      D = true;
    else if (llvm::isAlpha(C))
      A = true;
    else
      return false;
  }
  return D && A;
}

/// Length of the run of token characters at the start of \p S.
size_t tokenRun(llvm::StringRef S) {
  size_t N = 0;
  while (N < S.size() && llvm::isAlnum(S[N]))
    ++N;
  return N;
}

bool isAuthtokenName(llvm::StringRef Name) {
  std::string L = Name.lower();
  if (L.find("oauth") != std::string::npos || L.find("access") != std::string::npos ||
      L.find("refresh") != std::string::npos)
    return false;
  for (const char *Bad : {"twilio", "ngrok", "bigcommerce", "box_", "plivo", "nexmo", "sendgrid"})
    if (L.find(Bad) != std::string::npos)
      return false;
  return L.find("authtoken") != std::string::npos || L.find("auth_token") != std::string::npos ||
         (L.find("zoho") != std::string::npos && L.find("token") != std::string::npos);
}

/// Where the url detector looks: `authtoken=` after ?, &, ;, / (or at the start of a
/// form body). Returns the byte index of "authtoken" or npos.
size_t findUrlParam(llvm::StringRef S, size_t From) {
  for (size_t I = findI(S, "authtoken=", From); I != llvm::StringRef::npos;
       I = findI(S, "authtoken=", I + 1)) {
    if (I == 0) {
      // A form body "authtoken=…"; the all-caps AUTHTOKEN= is the generation response.
      if (S.substr(0, 9) != "AUTHTOKEN")
        return I;
      continue;
    }
    char P = S[I - 1];
    if (P == '?' || P == '&' || P == ';' || P == '/')
      return I;
    if (I >= 3 && (S.substr(I - 3, 3).equals_insensitive("%3f") ||
                   S.substr(I - 3, 3).equals_insensitive("%26")))
      return I;
  }
  return llvm::StringRef::npos;
}

bool isWrapper(const Stmt *S) {
  if (isa<ImplicitCastExpr>(S) || isa<ParenExpr>(S) || isa<MaterializeTemporaryExpr>(S) ||
      isa<CXXBindTemporaryExpr>(S) || isa<ExprWithCleanups>(S) ||
      isa<CXXFunctionalCastExpr>(S) || isa<CStyleCastExpr>(S) || isa<ObjCStringLiteral>(S) ||
      isa<CXXStdInitializerListExpr>(S) || isa<ConstantExpr>(S))
    return true;
  if (const auto *CE = dyn_cast<CXXConstructExpr>(S))
    return CE->getNumArgs() == 1 && !isa<CXXTemporaryObjectExpr>(S);
  return false;
}

/// `a + b` on strings: the two operands, or nulls.
std::pair<const Expr *, const Expr *> plusOperands(const Stmt *S) {
  if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(S))
    if (OC->getOperator() == OO_Plus && OC->getNumArgs() == 2)
      return {OC->getArg(0), OC->getArg(1)};
  if (const auto *BO = dyn_cast<BinaryOperator>(S))
    if (BO->getOpcode() == BO_Add)
      return {BO->getLHS(), BO->getRHS()};
  return {nullptr, nullptr};
}

const StringLiteral *asLiteral(const Expr *E) {
  while (E) {
    E = E->IgnoreImplicit()->IgnoreParens();
    if (const auto *SL = dyn_cast<StringLiteral>(E))
      return SL;
    if (const auto *OS = dyn_cast<ObjCStringLiteral>(E))
      return OS->getString();
    if (const auto *CE = dyn_cast<CXXConstructExpr>(E)) {
      if (CE->getNumArgs() < 1)
        return nullptr;
      E = CE->getArg(0);
      continue;
    }
    if (const auto *FC = dyn_cast<CXXFunctionalCastExpr>(E)) {
      E = FC->getSubExpr();
      continue;
    }
    if (const auto *MT = dyn_cast<MaterializeTemporaryExpr>(E)) {
      E = MT->getSubExpr();
      continue;
    }
    if (const auto *BT = dyn_cast<CXXBindTemporaryExpr>(E)) {
      E = BT->getSubExpr();
      continue;
    }
    return nullptr;
  }
  return nullptr;
}

bool literalUsable(const StringLiteral *SL) {
  return SL->getCharByteWidth() == 1;
}

/// One full expression (an expression whose parent is a statement or a declaration):
/// the unit the reachability search moves in.
struct FullExpr {
  const Stmt *Root = nullptr;
  const Stmt *Parent = nullptr; ///< the enclosing statement (ReturnStmt, DeclStmt…)
  const Decl *Owner = nullptr;  ///< enclosing function / method (null at file scope)
  std::vector<const StringLiteral *> Lits;
  std::vector<const Decl *> Refs; ///< variables, fields, parameters, functions used
  const Decl *InitOf = nullptr;   ///< the variable or field this expression initialises
};

/// A libcurl call the fixes need: where the URL goes, the handle's header list, its
/// cleanup, and the list's appends.
struct CurlCall {
  enum Kind { SetUrl, SetHeaders, Cleanup, Append, PostFields } K;
  const CallExpr *Call;
  unsigned FE;
};

/// A literal worth a detector's look, with its ancestors up to its full expression.
struct LitRec {
  const StringLiteral *SL;
  unsigned FE;
  std::vector<const Stmt *> Ancestors; ///< root first, the literal's parent last
};

class Analysis {
public:
  Analysis(ASTContext &Ctx, const Catalog &Cat, const DetectorSet &DS, TUResult &Out,
           const std::string &WorkDir)
      : Ctx(Ctx), SM(Ctx.getSourceManager()), LO(Ctx.getLangOpts()), Cat(Cat), DS(DS),
        Out(Out), WorkDir(WorkDir) {}

  ASTContext &Ctx;
  SourceManager &SM;
  const LangOptions &LO;
  const Catalog &Cat;
  const DetectorSet &DS;
  TUResult &Out;
  std::string WorkDir;

  std::vector<FullExpr> FEs;
  std::vector<LitRec> Lits;
  llvm::DenseMap<const Decl *, std::vector<unsigned>> Uses;     ///< decl -> full exprs
  llvm::DenseMap<const Decl *, std::vector<unsigned>> Returns;  ///< function -> returns
  llvm::DenseMap<const Decl *, std::vector<unsigned>> Calls;    ///< function -> call sites
  llvm::DenseMap<const Stmt *, const Decl *> InitOwner;         ///< initializer -> var
  std::vector<const StringLiteral *> NamedInits; ///< initialisers of authtoken-named decls
  std::vector<std::pair<unsigned, const Expr *>> PostFields;    ///< CURLOPT_POSTFIELDS
  std::vector<CurlCall> CurlCalls;
  std::map<FileID, std::string> FileNames;

  std::string fileName(FileID FID) {
    auto It = FileNames.find(FID);
    if (It != FileNames.end())
      return It->second;
    std::string N;
    if (auto FE = SM.getFileEntryRefForID(FID))
      N = canonicalPath(FE->getName().str(), WorkDir);
    FileNames[FID] = N;
    return N;
  }

  const Decl *canon(const Decl *D) { return D ? D->getCanonicalDecl() : nullptr; }

  /// Strings and Zoho evidence reachable from full expression \p Start: its literals,
  /// then (breadth first) the full expressions that use the variables, fields and
  /// parameters it names, the returns of the functions it calls, and the call sites of
  /// the function a parameter belongs to; bounded.
  struct Reach {
    bool Zoho = false;
    std::string Product, Dc;
  };
  Reach reach(unsigned Start) {
    Reach R;
    std::vector<bool> Seen(FEs.size(), false);
    std::deque<unsigned> Q{Start};
    Seen[Start] = true;
    std::set<const Decl *> DeclSeen;
    unsigned Budget = 400;
    std::string FirstProd, FirstHostProd;
    auto Enqueue = [&](const std::vector<unsigned> &V) {
      for (unsigned I : V)
        if (!Seen[I]) {
          Seen[I] = true;
          Q.push_back(I);
        }
    };
    while (!Q.empty() && Budget--) {
      const FullExpr &F = FEs[Q.front()];
      Q.pop_front();
      for (const StringLiteral *SL : F.Lits) {
        if (!literalUsable(SL))
          continue;
        for (const Evidence &E : Cat.findEvidence(SL->getString())) {
          R.Zoho = true;
          if (E.Prod && E.Prod->Id != "zoho") {
            if (E.FromHost && FirstHostProd.empty())
              FirstHostProd = E.Prod->Id;
            if (FirstProd.empty())
              FirstProd = E.Prod->Id;
          }
          if (!E.DataCentre.empty() && R.Dc.empty())
            R.Dc = E.DataCentre;
        }
      }
      if (R.Zoho && !FirstHostProd.empty() && !R.Dc.empty())
        break;
      for (const Decl *D : F.Refs) {
        if (!DeclSeen.insert(D).second)
          continue;
        if (isa<FunctionDecl>(D) || isa<ObjCMethodDecl>(D)) {
          auto It = Returns.find(D);
          if (It != Returns.end())
            Enqueue(It->second);
          continue;
        }
        if (const auto *VD = dyn_cast<ValueDecl>(D)) {
          QualType T = VD->getType().getNonReferenceType();
          if (!T.isNull() && (T->isArithmeticType() || T->isEnumeralType() ||
                              T->isBooleanType()))
            continue;
        }
        auto It = Uses.find(D);
        if (It != Uses.end())
          Enqueue(It->second);
        if (const auto *PV = dyn_cast<ParmVarDecl>(D))
          if (const auto *Fn = dyn_cast_or_null<Decl>(PV->getParentFunctionOrMethod())) {
            auto CIt = Calls.find(canon(Fn));
            if (CIt != Calls.end())
              Enqueue(CIt->second);
          }
      }
    }
    R.Product = !FirstHostProd.empty() ? FirstHostProd : FirstProd;
    // No host or scope on the way: the code may still say it is Zoho's in its names
    // (class ZohoClient, zoho_token, a src/zoho/ file) while the base URL comes from
    // configuration.
    if (!R.Zoho) {
      if (const Decl *Owner = FEs[Start].Owner)
        R.Zoho = zohoNamed(Owner);
      for (const Decl *D : DeclSeen)
        if (!R.Zoho)
          R.Zoho = zohoNamed(D);
      if (!R.Zoho && FEs[Start].Root) {
        SourceLocation L = SM.getSpellingLoc(FEs[Start].Root->getBeginLoc());
        if (L.isValid())
          R.Zoho = llvm::StringRef(fileName(SM.getFileID(L))).contains_insensitive("zoho");
      }
    }
    return R;
  }

  /// A declaration whose name, enclosing class or type name says "zoho".
  bool zohoNamed(const Decl *D) {
    auto Says = [](llvm::StringRef N) { return N.contains_insensitive("zoho"); };
    if (const auto *ND = dyn_cast<NamedDecl>(D))
      if (ND->getIdentifier() && Says(ND->getName()))
        return true;
    if (const auto *VD = dyn_cast<ValueDecl>(D)) {
      QualType T = VD->getType().getNonReferenceType();
      if (!T.isNull())
        if (const CXXRecordDecl *RD = T->getPointeeCXXRecordDecl() ? T->getPointeeCXXRecordDecl()
                                                                   : T->getAsCXXRecordDecl())
          if (RD->getIdentifier() && Says(RD->getName()))
            return true;
    }
    for (const DeclContext *C = D->getDeclContext(); C; C = C->getParent())
      if (const auto *ND = dyn_cast<NamedDecl>(C))
        if (ND->getIdentifier() && Says(ND->getName()))
          return true;
    return false;
  }

  /// Spelling location of byte \p I of \p SL's content (I may equal the length: the
  /// closing quote).
  SourceLocation byteLoc(const StringLiteral *SL, unsigned I) {
    if (I < SL->getLength())
      return argLoc(SL->getLocationOfByte(I, SM, LO, Ctx.getTargetInfo()));
    SourceLocation Last = SM.getSpellingLoc(SL->getStrTokenLoc(SL->getNumConcatenated() - 1));
    SourceLocation End = Lexer::getLocForEndOfToken(Last, 0, SM, LO);
    return End.isValid() ? End.getLocWithOffset(-1) : SourceLocation();
  }

  bool hit(const char *Rule, SourceLocation Loc, unsigned Len, const Reach *R = nullptr,
           std::vector<RawEdit> Edits = {}, std::string Note = "") {
    if (Loc.isInvalid())
      return false;
    Loc = SM.getSpellingLoc(Loc);
    if (SM.isInSystemHeader(Loc))
      return false;
    auto [FID, Off] = SM.getDecomposedLoc(Loc);
    std::string F = fileName(FID);
    if (F.empty())
      return false;
    RawHit H;
    H.File = F;
    H.Offset = Off;
    H.Length = Len;
    H.RuleId = Rule;
    if (R) {
      H.Product = R->Product;
      H.Dc = R->Dc;
    }
    H.Edits = std::move(Edits);
    H.Note = std::move(Note);
    Out.Hits.push_back(std::move(H));
    return true;
  }

  /// \p L, or where a macro argument at \p L is spelled (libcurl's curl_easy_setopt is
  /// a macro that passes its arguments on).
  SourceLocation argLoc(SourceLocation L) {
    while (L.isMacroID() && SM.isMacroArgExpansion(L))
      L = SM.getImmediateSpellingLoc(L);
    return L;
  }

  SourceLocation endOfToken(SourceLocation L) {
    return Lexer::getLocForEndOfToken(argLoc(L), 0, SM, LO);
  }

  /// The file range of a statement or expression (a whole macro invocation, or text
  /// inside a macro argument); invalid inside a macro body.
  CharSourceRange fileRange(const Stmt *S) {
    return Lexer::makeFileCharRange(CharSourceRange::getTokenRange(S->getSourceRange()), SM, LO);
  }

  bool editFor(CharSourceRange Range, llvm::StringRef Text, std::vector<RawEdit> &Edits) {
    if (Range.getBegin().isMacroID() || Range.getEnd().isMacroID())
      Range = Lexer::makeFileCharRange(Range, SM, LO);
    if (Range.isInvalid() || Range.getBegin().isMacroID() || Range.getEnd().isMacroID())
      return false;
    tooling::Replacement Rep(SM, Range, Text, LO);
    if (!Rep.isApplicable())
      return false;
    RawEdit E;
    E.File = canonicalPath(Rep.getFilePath().str(), WorkDir);
    E.Offset = Rep.getOffset();
    E.Length = Rep.getLength();
    E.Text = Rep.getReplacementText().str();
    Edits.push_back(std::move(E));
    return true;
  }

  /// In a macro body (a macro argument is the caller's text).
  bool inMacro(const Stmt *S) {
    return argLoc(S->getBeginLoc()).isMacroID() || argLoc(S->getEndLoc()).isMacroID();
  }

  /// `authtoken=%s` at byte \p I (value ending at \p ValE) of the format literal of a
  /// snprintf/sprintf call: the pair with its '&' and the matching argument with its comma.
  std::vector<RawEdit> formatUrlFix(const LitRec &L, unsigned I, unsigned ValE) {
    const StringLiteral *SL = L.SL;
    llvm::StringRef S = SL->getString();
    const Expr *Call = nullptr;
    for (int K = static_cast<int>(L.Ancestors.size()) - 1; K >= 0; --K) {
      if (isWrapper(L.Ancestors[K]))
        continue;
      Call = dyn_cast<Expr>(L.Ancestors[K]);
      break;
    }
    // The call's arguments: snprintf(buf, n, fmt, …), sprintf(buf, fmt, …), or an
    // Objective-C format message ([NSString stringWithFormat:fmt, …], initWithFormat:,
    // stringByAppendingFormat:), whose %@ placeholders take objects.
    std::vector<const Expr *> Args;
    unsigned Fmt = ~0u;
    if (const auto *CE = dyn_cast_or_null<CallExpr>(Call)) {
      const FunctionDecl *FD = CE->getDirectCallee();
      llvm::StringRef N = FD && FD->getIdentifier() ? FD->getName() : "";
      Fmt = N == "snprintf" || N == "__builtin_snprintf" ? 2 : N == "sprintf" ? 1 : ~0u;
      Args.assign(CE->arg_begin(), CE->arg_end());
    } else if (const auto *ME = dyn_cast_or_null<ObjCMessageExpr>(Call)) {
      std::string Sel = ME->getSelector().getAsString();
      if (Sel == "stringWithFormat:" || Sel == "initWithFormat:" ||
          Sel == "stringByAppendingFormat:")
        Fmt = 0;
      Args.assign(ME->arg_begin(), ME->arg_end());
    }
    if (Fmt == ~0u || Args.size() <= Fmt || asLiteral(Args[Fmt]) != SL || inMacro(Call))
      return {};
    // Conversions before the pair (%% is none; a `*` width or precision takes an argument).
    auto conversions = [](llvm::StringRef F, unsigned &Count) {
      for (size_t P = 0; P < F.size(); ++P) {
        if (F[P] != '%')
          continue;
        if (P + 1 < F.size() && F[P + 1] == '%') {
          ++P;
          continue;
        }
        ++Count;
        for (size_t Q = P + 1; Q < F.size() && !llvm::isAlpha(F[Q]) && F[Q] != '@'; ++Q)
          Count += F[Q] == '*';
      }
    };
    unsigned Before = 0, All = 0;
    conversions(S.take_front(I), Before);
    conversions(S, All);
    unsigned Arg = Fmt + 1 + Before;
    if (Args.size() != Fmt + 1 + All || Arg >= Args.size())
      return {}; // the arguments do not match the format: leave it
    std::vector<RawEdit> Edits;
    char Prev = I ? S[I - 1] : 0;
    // The dead `scope=…api` companion right after or before the pair goes too.
    unsigned From = I, To = ValE;
    if (ValE < S.size() && S[ValE] == '&') {
      // (a form body that is only "authtoken=%s&scope=…api" keeps its scope: never empty)
      if (unsigned E = deadScopeEnd(S, ValE + 1);
          E && ((E < S.size() && S[E] == '&') || Prev == '?' || Prev == '&'))
        To = E;
    } else if (Prev == '?' || Prev == '&') {
      if (unsigned B = deadScopeBefore(S, I - 1); B != ~0u) {
        From = B;
        Prev = B ? S[B - 1] : 0;
      }
    }
    bool Cut;
    if (To < S.size() && S[To] == '&')
      Cut = editFor(CharSourceRange::getCharRange(byteLoc(SL, From), byteLoc(SL, To + 1)), "", Edits);
    else if ((Prev == '?' || Prev == '&') && To == S.size())
      Cut = editFor(CharSourceRange::getCharRange(byteLoc(SL, From - 1), byteLoc(SL, To)), "", Edits);
    else
      return {};
    const Expr *A = Args[Arg];
    if (!Cut || inMacro(A) ||
        !editFor(CharSourceRange::getCharRange(fileRange(Args[Arg - 1]).getEnd(),
                                               fileRange(A).getEnd()),
                 "", Edits))
      return {};
    return Edits;
  }

  /// A dead `scope=…api` pair (not Recruit's recruitapi, no placeholder) starting at byte
  /// \p B of \p S: the byte after it (its '&' or the end), else 0.
  static unsigned deadScopeEnd(llvm::StringRef S, size_t B) {
    llvm::StringRef R = S.drop_front(B);
    if (!R.startswith_insensitive("scope="))
      return 0;
    size_t E = R.find_first_of("&#");
    llvm::StringRef V = R.slice(6, E);
    if (V.size() <= 3 || !V.endswith_insensitive("api") || V.equals_insensitive("recruitapi") ||
        V.find_first_of("%{}") != llvm::StringRef::npos)
      return 0;
    return B + (E == llvm::StringRef::npos ? R.size() : E);
  }

  /// A dead `scope=…api` pair ending right before the '&' at byte \p Amp: where it
  /// starts, else ~0u.
  static unsigned deadScopeBefore(llvm::StringRef S, size_t Amp) {
    size_t Q = S.take_front(Amp).find_last_of("?&");
    if (Q == llvm::StringRef::npos)
      return ~0u;
    return deadScopeEnd(S, Q + 1) == Amp ? Q + 1 : ~0u;
  }

  /// Fix for `authtoken=` at byte \p I of \p L (url detector): drop the parameter from a
  /// literal, or from a `"…?authtoken=" + token + "&…"` concatenation.
  std::vector<RawEdit> urlFix(const LitRec &L, unsigned I) {
    std::vector<RawEdit> Edits;
    const StringLiteral *SL = L.SL;
    if (inMacro(SL))
      return {};
    llvm::StringRef S = SL->getString();
    unsigned ValB = I + 10;
    unsigned ValE = ValB;
    while (ValE < S.size() && S[ValE] != '&' && S[ValE] != '#')
      ++ValE;
    llvm::StringRef Val = S.slice(ValB, ValE);
    char Prev = I ? S[I - 1] : 0;
    if (!Val.empty()) {
      // snprintf(buf, n, "…?authtoken=%s&…", …, token, …): the pair leaves the format and
      // its argument leaves the call.
      if (Val == "%s" || (Val == "%@" && LO.ObjC))
        return formatUrlFix(L, I, ValE);
      // Another placeholder cannot be removed here (its argument would have to go too).
      if (Val.find_first_of("%{}") != llvm::StringRef::npos)
        return {};
      if (ValE < S.size() && S[ValE] == '&') { // "…?authtoken=V&x" -> "…?x"
        if (!editFor(CharSourceRange::getCharRange(byteLoc(SL, I), byteLoc(SL, ValE + 1)), "",
                     Edits))
          return {};
      } else if (Prev == '?' || Prev == '&') { // "…&authtoken=V" -> "…"
        if (!editFor(CharSourceRange::getCharRange(byteLoc(SL, I - 1), byteLoc(SL, ValE)), "",
                     Edits))
          return {};
      } else {
        return {};
      }
      return Edits;
    }
    if (ValB != S.size())
      return {};
    // "…authtoken=" + Token [+ "&rest"]
    const Stmt *Cur = SL;
    const Expr *Token = nullptr;
    const Expr *LeftOfLit = nullptr; ///< X in `X + "&authtoken=" + t`
    bool AtLit = true;
    int K = static_cast<int>(L.Ancestors.size()) - 1;
    for (; K >= 0; --K) {
      const Stmt *P = L.Ancestors[K];
      if (isWrapper(P)) {
        Cur = P;
        continue;
      }
      // Objective-C: [@"…?authtoken=" stringByAppendingString:t] -> @"…"
      if (const auto *ME = dyn_cast<ObjCMessageExpr>(P); ME && AtLit && LO.ObjC) {
        if (ME->getSelector().getAsString() != "stringByAppendingString:" ||
            ME->getInstanceReceiver() != Cur || inMacro(ME) || (Prev != '?' && Prev != '&'))
          return {};
        // Not itself extended ([[… stringByAppendingString:t] stringByAppendingString:@"&x"]
        // would lose its '?').
        for (int J = K - 1; J >= 0; --J) {
          if (isWrapper(L.Ancestors[J]))
            continue;
          if (const auto *Up = dyn_cast<ObjCMessageExpr>(L.Ancestors[J]))
            if (Up->getInstanceReceiver() &&
                Up->getInstanceReceiver()->IgnoreParenImpCasts() == ME &&
                llvm::StringRef(Up->getSelector().getAsString()).startswith("stringByAppending"))
              return {};
          break;
        }
        unsigned From = I - 1;
        if (unsigned B = deadScopeBefore(S, I - 1); B != ~0u && B > 0)
          From = B - 1;
        CharSourceRange MR = fileRange(ME), LR = fileRange(Cur);
        if (MR.isInvalid() || LR.isInvalid() ||
            !editFor(CharSourceRange::getCharRange(MR.getBegin(), LR.getBegin()), "", Edits) ||
            !editFor(CharSourceRange::getCharRange(byteLoc(SL, From), MR.getEnd()), "\"", Edits))
          return {};
        return Edits;
      }
      auto [Lhs, Rhs] = plusOperands(P);
      if (!Lhs)
        return {};
      if (Lhs == Cur) {
        Token = Rhs;
        Cur = P;
        --K;
        break;
      }
      if (Rhs == Cur) {
        if (AtLit)
          LeftOfLit = Lhs;
        AtLit = false;
        Cur = P;
        continue;
      }
      return {};
    }
    if (!Token || inMacro(Token))
      return {};
    const StringLiteral *Next = nullptr;
    for (; K >= 0; --K) {
      const Stmt *P = L.Ancestors[K];
      if (isWrapper(P)) {
        Cur = P;
        continue;
      }
      auto [Lhs, Rhs] = plusOperands(P);
      if (!Lhs)
        break;
      if (Lhs != Cur)
        return {};
      Next = asLiteral(Rhs);
      if (!Next || !literalUsable(Next) || inMacro(Next) || !Next->getString().startswith("&"))
        return {};
      // "authtoken=" + t + "&x=" + n leaves "x=" + n: when the literal is the leftmost
      // operand, what is added to it next must be a string object (not a number or a
      // pointer, which a bare literal would add as pointer arithmetic).
      if (AtLit && !LeftOfLit) {
        const Stmt *Up = P;
        for (int J = K - 1; J >= 0; --J) {
          if (isWrapper(L.Ancestors[J])) {
            Up = L.Ancestors[J];
            continue;
          }
          auto [UL, UR] = plusOperands(L.Ancestors[J]);
          if (UL == Up && UR && !UR->getType()->isRecordType() &&
              !UR->getType()->isObjCObjectPointerType())
            return {};
          break;
        }
      }
      break;
    }
    if (Next) {
      // The dead `scope=…api` companion right after the token goes too (zoho-reference:
      // the legacy scope parameters died with the authtoken; Recruit's recruitapi stays).
      llvm::StringRef NS = Next->getString().drop_front(1);
      size_t ScopeEnd = 0;
      if (NS.startswith_insensitive("scope=")) {
        size_t E = NS.find_first_of("&#");
        llvm::StringRef V = NS.slice(6, E);
        if (V.size() > 3 && V.endswith_insensitive("api") && !V.equals_insensitive("recruitapi") &&
            V.find_first_of("%{}") == llvm::StringRef::npos)
          ScopeEnd = E == llvm::StringRef::npos ? NS.size() : E;
      }
      if (ScopeEnd && ScopeEnd < NS.size() && NS[ScopeEnd] == '&') // "…?authtoken=" + t + "&scope=crmapi&x" -> "…?x"
        return editFor(CharSourceRange::getCharRange(byteLoc(SL, I), byteLoc(Next, ScopeEnd + 2)),
                       "", Edits)
                   ? Edits
                   : std::vector<RawEdit>{};
      if (ScopeEnd == NS.size() && (Prev == '?' || Prev == '&')) // … + "&scope=crmapi" -> "…"
        return editFor(CharSourceRange::getCharRange(byteLoc(SL, I - 1),
                                                     byteLoc(Next, NS.size() + 1)),
                       "", Edits)
                   ? Edits
                   : std::vector<RawEdit>{};
      // "…?authtoken=" + t + "&x…" -> "…?x…"
      return editFor(CharSourceRange::getCharRange(byteLoc(SL, I), byteLoc(Next, 1)), "", Edits)
                 ? Edits
                 : std::vector<RawEdit>{};
    }
    if (Prev != '?' && Prev != '&')
      return {};
    // "…?authtoken=" + t  ->  "…"
    SourceLocation End = endOfToken(Token->getEndLoc());
    // x + "&authtoken=" + t  ->  x
    if (I == 1 && S.size() == 11 && LeftOfLit && !inMacro(LeftOfLit)) {
      SourceLocation LEnd = endOfToken(LeftOfLit->getEndLoc());
      if (editFor(CharSourceRange::getCharRange(LEnd, End), "", Edits))
        return Edits;
      Edits.clear();
    }
    // "…?scope=crmapi&authtoken=" + t -> "…": the dead scope before the token goes too.
    unsigned From = I - 1;
    size_t Q = S.take_front(I - 1).find_last_of("?&");
    if (Q != llvm::StringRef::npos) {
      llvm::StringRef Pair = S.slice(Q + 1, I - 1), V = Pair.drop_front(6);
      if (Pair.startswith_insensitive("scope=") && V.size() > 3 && V.endswith_insensitive("api") &&
          !V.equals_insensitive("recruitapi") && V.find_first_of("%{}") == llvm::StringRef::npos)
        From = Q;
    }
    if (!editFor(CharSourceRange::getCharRange(byteLoc(SL, From), End), "\"", Edits))
      return {};
    return Edits;
  }

  // ---- Fixes that keep each request authenticated -------------------------------------
  //
  // A fix that removes the legacy token from a request gives that same request the OAuth
  // header in the same set of edits. The URL is followed to the libcurl request that
  // uses it; where the request is not visible (or is not libcurl's), there is no fix and
  // the note says why.

  /// The helper expression that yields the header line, as a `const char *`.
  std::string helperLine() const {
    return LO.CPlusPlus ? "zoho_oauth::authorization_header_line().c_str()"
                        : "zoho_oauth_authorization_header_line()";
  }

  /// The variable, parameter or field (of `this`) an expression names.
  const Decl *namedDecl(const Expr *E) {
    if (!E)
      return nullptr;
    E = E->IgnoreParenImpCasts();
    if (const auto *DR = dyn_cast<DeclRefExpr>(E))
      return isa<VarDecl>(DR->getDecl()) ? canon(DR->getDecl()) : nullptr;
    if (const auto *ME = dyn_cast<MemberExpr>(E))
      if (isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts()) &&
          isa<FieldDecl>(ME->getMemberDecl()))
        return canon(ME->getMemberDecl());
    return nullptr;
  }

  static std::string declName(const Decl *D) {
    if (const auto *ND = dyn_cast_or_null<NamedDecl>(D))
      return ND->getNameAsString();
    return "?";
  }

  bool isLocalVar(const Decl *D) {
    const auto *VD = dyn_cast_or_null<VarDecl>(D);
    return VD && VD->hasLocalStorage();
  }

  /// What a flow step carries: a literal (the start) or the value of a variable or of a
  /// call to a function.
  struct Carrier {
    const Stmt *Lit = nullptr;
    const Decl *D = nullptr;
  };

  bool carries(const Stmt *Root, const Carrier &C) {
    if (!Root)
      return false;
    if (const auto *OV = dyn_cast<OpaqueValueExpr>(Root)) // Objective-C property operands
      return carries(OV->getSourceExpr(), C);
    if (C.Lit && Root == C.Lit)
      return true;
    if (C.D) {
      if (const auto *DR = dyn_cast<DeclRefExpr>(Root))
        if (canon(DR->getDecl()) == C.D)
          return true;
      if (const auto *ME = dyn_cast<MemberExpr>(Root))
        if (canon(ME->getMemberDecl()) == C.D)
          return true;
    }
    for (const Stmt *Ch : Root->children())
      if (carries(Ch, C))
        return true;
    return false;
  }

  /// Does the expression (or the initialiser of a local variable it names) mention
  /// \p Needle in a literal or call a function named like \p Fn?
  bool mentions(const Stmt *Root, llvm::StringRef Needle, llvm::StringRef Fn, int Depth = 0) {
    if (!Root)
      return false;
    if (const auto *SL = dyn_cast<StringLiteral>(Root))
      if (literalUsable(SL) && findI(SL->getString(), Needle) != llvm::StringRef::npos)
        return true;
    if (const auto *CE = dyn_cast<CallExpr>(Root))
      if (const FunctionDecl *FD = CE->getDirectCallee())
        if (FD->getIdentifier() && !Fn.empty() && FD->getName().endswith(Fn))
          return true;
    if (const auto *DR = dyn_cast<DeclRefExpr>(Root))
      if (const auto *VD = dyn_cast<VarDecl>(DR->getDecl()))
        if (Depth < 2 && VD->hasLocalStorage() && VD->getInit())
          if (mentions(VD->getInit(), Needle, Fn, Depth + 1))
            return true;
    for (const Stmt *Ch : Root->children())
      if (mentions(Ch, Needle, Fn, Depth))
        return true;
    return false;
  }

  /// The local or global variable the full expression \p FE writes: its initialiser,
  /// `v = …`, `v += …`, `v << …`, `v.append(…)`.
  const Decl *writtenVar(unsigned FE) {
    if (FEs[FE].InitOf)
      return FEs[FE].InitOf;
    const Expr *E = dyn_cast_or_null<Expr>(FEs[FE].Root);
    if (!E)
      return nullptr;
    E = E->IgnoreImplicit();
    if (const auto *EWC = dyn_cast<ExprWithCleanups>(E))
      E = EWC->getSubExpr()->IgnoreImplicit();
    if (const auto *BO = dyn_cast<BinaryOperator>(E))
      return BO->isAssignmentOp() ? namedDecl(BO->getLHS()) : nullptr;
    if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(E)) {
      OverloadedOperatorKind K = OC->getOperator();
      if (OC->getNumArgs() == 2 && (K == OO_Equal || K == OO_PlusEqual)) {
        return namedDecl(OC->getArg(0));
      }
      if (K == OO_LessLess) { // os << a << b: the leftmost operand
        const Expr *L = OC;
        while (const auto *O = dyn_cast<CXXOperatorCallExpr>(L->IgnoreImplicit()))
          if (O->getOperator() == OO_LessLess && O->getNumArgs() == 2)
            L = O->getArg(0);
          else
            break;
        const Decl *D = namedDecl(L);
        return isLocalVar(D) ? D : nullptr;
      }
      return nullptr;
    }
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E))
      if (const CXXMethodDecl *MD = MC->getMethodDecl())
        if (MD->getIdentifier() && (MD->getName() == "append" || MD->getName() == "assign"))
          return namedDecl(MC->getImplicitObjectArgument());
    // snprintf(buf, n, fmt, …) / sprintf(buf, fmt, …) into a local buffer.
    if (const auto *CE = dyn_cast<CallExpr>(E))
      if (const FunctionDecl *FD = CE->getDirectCallee())
        if (FD->getIdentifier() && CE->getNumArgs() >= 2 &&
            (FD->getName() == "snprintf" || FD->getName() == "sprintf")) {
          const Decl *D = namedDecl(CE->getArg(0));
          return isLocalVar(D) ? D : nullptr;
        }
    return nullptr;
  }

  bool inSystemHeader(const Decl *D) {
    return D && D->getLocation().isValid() && SM.isInSystemHeader(D->getLocation());
  }

  /// The library a callee belongs to, when it is an HTTP client the fixes do not edit.
  std::string httpLibrary(const Decl *D) {
    std::string Q;
    if (const auto *ND = dyn_cast_or_null<NamedDecl>(D))
      Q = ND->getQualifiedNameAsString();
    llvm::StringRef N(Q);
    if (N.startswith("cpr::"))
      return "cpr";
    if (N.startswith("httplib::"))
      return "cpp-httplib";
    if (N.startswith("Poco::"))
      return "Poco";
    if (N.startswith("boost::beast::"))
      return "Boost.Beast";
    if (N.startswith("QNetwork") || N.startswith("QUrl"))
      return "Qt Network";
    return "";
  }

  /// Calls in \p Root (other than libcurl's and the standard library's) that receive
  /// what \p C carries: where the URL leaves the part of the program the fix can see.
  std::string escapeIn(const Stmt *Root, const Carrier &C, bool SkipObjC = false) {
    if (!Root)
      return "";
    const Decl *Callee = nullptr;
    std::vector<const Expr *> Args;
    if (const auto *CE = dyn_cast<CallExpr>(Root)) {
      Callee = CE->getCalleeDecl();
      for (const Expr *A : CE->arguments())
        Args.push_back(A);
      if (const auto *MC = dyn_cast<CXXMemberCallExpr>(CE))
        Args.push_back(MC->getImplicitObjectArgument());
    } else if (const auto *CC = dyn_cast<CXXConstructExpr>(Root)) {
      Callee = CC->getConstructor();
      for (const Expr *A : CC->arguments())
        Args.push_back(A);
    } else if (const auto *ME = dyn_cast<ObjCMessageExpr>(Root)) {
      Callee = ME->getMethodDecl();
      for (const Expr *A : ME->arguments())
        Args.push_back(A);
      if (!SkipObjC && (!isa<ObjCMethodDecl>(Callee) || !inSystemHeader(Callee)))
        for (const Expr *A : Args)
          if (carries(A, C))
            return "the URL is given to an Objective-C message (NSURLSession and friends), "
                   "whose request headers the fix does not edit";
      Callee = nullptr;
      Args.clear();
    }
    if (!Args.empty()) {
      const auto *FD = dyn_cast_or_null<FunctionDecl>(Callee);
      std::string Name = FD && FD->getIdentifier() ? FD->getName().str() : "";
      bool Known = FD && (inSystemHeader(FD) || llvm::StringRef(Name).startswith("curl_"));
      if (const auto *CD = dyn_cast_or_null<CXXConstructorDecl>(Callee))
        Known = inSystemHeader(CD);
      if (!Known)
        for (const Expr *A : Args)
          if (carries(A, C)) {
            std::string Lib = httpLibrary(Callee);
            if (!Lib.empty())
              return "the request is made with " + Lib +
                     ", whose headers the fix does not edit";
            if (!Callee)
              return "the URL is passed to a call through a pointer";
            return "the URL is passed to " + declName(Callee) +
                   "(), which makes the request elsewhere";
          }
    }
    for (const Stmt *Ch : Root->children()) {
      std::string W = escapeIn(Ch, C, SkipObjC);
      if (!W.empty())
        return W;
    }
    return "";
  }

  /// The statement that holds \p S directly inside a `{ }` block, and that block.
  const Stmt *statementInBlock(const Stmt *S, const CompoundStmt *&Block) {
    DynTypedNode N = DynTypedNode::create(*S);
    const Stmt *Child = S;
    for (int Depth = 0; Depth < 64; ++Depth) {
      auto Ps = Ctx.getParents(N);
      if (Ps.empty())
        return nullptr;
      const DynTypedNode &P = Ps[0];
      if (const auto *CS = P.get<CompoundStmt>()) {
        Block = CS;
        return Child;
      }
      if (const auto *PS = P.get<Stmt>()) {
        if (!isa<Expr>(PS) && !isa<DeclStmt>(PS))
          return nullptr; // if (…), return …, a loop header: not a statement of its own
        Child = PS;
      } else if (!P.get<VarDecl>()) {
        return nullptr;
      }
      N = P;
    }
    return nullptr;
  }

  bool within(SourceLocation L, const Stmt *Block) {
    return Block && SM.isPointWithin(SM.getExpansionLoc(L), SM.getExpansionLoc(Block->getBeginLoc()),
                                     SM.getExpansionLoc(Block->getEndLoc()));
  }

  bool before(SourceLocation A, SourceLocation B) {
    return SM.isBeforeInTranslationUnit(SM.getExpansionLoc(A), SM.getExpansionLoc(B));
  }

  /// The leading white space of the line \p L is on.
  std::string indentOf(SourceLocation L) {
    auto [FID, Off] = SM.getDecomposedLoc(L);
    llvm::StringRef Buf = SM.getBufferData(FID);
    size_t Start = Off == 0 ? llvm::StringRef::npos : Buf.rfind('\n', Off);
    Start = Start == llvm::StringRef::npos ? 0 : Start + 1;
    size_t E = Start;
    while (E < Buf.size() && (Buf[E] == ' ' || Buf[E] == '\t'))
      ++E;
    return Buf.slice(Start, E).str();
  }

  /// Inserts \p Code as a new line after statement \p S (at the end of its line when
  /// only a comment follows it), indented like \p S.
  bool insertAfter(const Stmt *S, llvm::StringRef Code, std::vector<RawEdit> &Edits) {
    CharSourceRange FR = fileRange(S);
    if (FR.isInvalid())
      return false;
    auto [FID, Off] = SM.getDecomposedLoc(FR.getEnd());
    llvm::StringRef Buf = SM.getBufferData(FID);
    if (!isa<DeclStmt>(S)) { // the expression statement's ';'
      size_t P = Off;
      while (P < Buf.size() && llvm::isSpace(Buf[P]))
        ++P;
      if (P >= Buf.size() || Buf[P] != ';')
        return false;
      Off = P + 1;
    }
    size_t Eol = Buf.find('\n', Off);
    if (Eol == llvm::StringRef::npos)
      Eol = Buf.size();
    llvm::StringRef Rest = Buf.slice(Off, Eol).trim();
    if (Rest.empty() || Rest.startswith("//") ||
        (Rest.startswith("/*") && Rest.endswith("*/") && Rest.count("*/") == 1))
      Off = Eol;
    SourceLocation At = SM.getComposedLoc(FID, Off);
    std::string Text = "\n" + indentOf(FR.getBegin()) + Code.str();
    return editFor(CharSourceRange::getCharRange(At, At), Text, Edits);
  }

  /// Inserts \p Code as a new line before statement \p S, indented like it.
  bool insertBefore(const Stmt *S, llvm::StringRef Code, std::vector<RawEdit> &Edits) {
    CharSourceRange FR = fileRange(S);
    if (FR.isInvalid())
      return false;
    SourceLocation B = FR.getBegin();
    auto [FID, Off] = SM.getDecomposedLoc(B);
    llvm::StringRef Buf = SM.getBufferData(FID);
    std::string Indent = indentOf(B);
    size_t LineStart = Off == 0 ? 0 : Buf.rfind('\n', Off);
    LineStart = LineStart == llvm::StringRef::npos || Off == 0 ? 0 : LineStart + 1;
    if (LineStart + Indent.size() == Off) { // S starts its line
      SourceLocation L = SM.getComposedLoc(FID, LineStart);
      return editFor(CharSourceRange::getCharRange(L, L), Indent + Code.str() + "\n", Edits);
    }
    return editFor(CharSourceRange::getCharRange(B, B), Code.str() + " ", Edits);
  }

  std::string sourceText(const Expr *E) {
    return Lexer::getSourceText(fileRange(E), SM, LO).str();
  }

  std::vector<const CurlCall *> curlCalls(CurlCall::Kind K, const Decl *Owner, const Decl *Obj) {
    std::vector<const CurlCall *> Out;
    for (const CurlCall &C : CurlCalls)
      if (C.K == K && FEs[C.FE].Owner == Owner && namedDecl(C.Call->getArg(0)) == Obj)
        Out.push_back(&C);
    return Out;
  }

  /// The appends that build list \p List in \p Owner: `l = curl_slist_append(l, …)`,
  /// `curl_slist_append(l, …)`, `curl_slist *l = curl_slist_append(NULL, …)`.
  std::vector<const CurlCall *> appendsTo(const Decl *Owner, const Decl *List) {
    std::vector<const CurlCall *> Out;
    for (const CurlCall &C : CurlCalls)
      if (C.K == CurlCall::Append && FEs[C.FE].Owner == Owner &&
          (namedDecl(C.Call->getArg(0)) == List || writtenVar(C.FE) == List))
        Out.push_back(&C);
    return Out;
  }

  /// The fix of a `curl_slist_append(list, X)` whose X is a `Zoho-authtoken` header:
  /// X becomes the helper's header line, or the variable X names gets it. False (with
  /// \p Why) when X's form is not one the fix knows.
  bool headerFixForAppend(const CallExpr *Append, std::vector<RawEdit> &Edits, std::string &Why) {
    const Expr *Arg = Append->getArg(1);
    if (inMacro(Arg)) {
      Why = "the header is built in a macro; edit the macro by hand";
      return false;
    }
    // The literal is in the argument itself.
    struct Lits : RecursiveASTVisitor<Lits> {
      bool Found = false;
      bool VisitStringLiteral(StringLiteral *S) {
        if (S->getCharByteWidth() == 1 && findI(S->getString(), "zoho-authtoken") != llvm::StringRef::npos)
          Found = true;
        return true;
      }
    } LV;
    LV.TraverseStmt(const_cast<Expr *>(Arg));
    if (LV.Found) {
      if (editFor(CharSourceRange::getTokenRange(Arg->getSourceRange()), helperLine(), Edits))
        return true;
      Why = "the header argument cannot be rewritten in place";
      return false;
    }
    // A variable: `auth.c_str()`, `auth.data()` or a char buffer `line`.
    const Expr *Base = Arg->IgnoreParenImpCasts();
    bool StdString = false;
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Base))
      if (const CXXMethodDecl *MD = MC->getMethodDecl())
        if (MD->getIdentifier() && (MD->getName() == "c_str" || MD->getName() == "data")) {
          Base = MC->getImplicitObjectArgument();
          StdString = true;
        }
    const auto *VD = dyn_cast_or_null<VarDecl>(namedDecl(Base));
    if (!VD || !VD->hasLocalStorage() || isa<ParmVarDecl>(VD)) {
      Why = "the header line comes from outside this function; give that place the line "
            "from zoho_oauth.h";
      return false;
    }
    const Decl *Owner = nullptr;
    for (const CurlCall &C : CurlCalls)
      if (C.Call == Append)
        Owner = FEs[C.FE].Owner;
    // Every write of the variable in the function.
    std::vector<unsigned> Writes;
    auto It = Uses.find(canon(VD));
    if (It != Uses.end())
      for (unsigned U : It->second)
        if (FEs[U].Owner == Owner && (writtenVar(U) == canon(VD) || snprintfInto(U, VD)))
          Writes.push_back(U);
    if (Writes.size() != 1) {
      Why = "the header variable `" + VD->getNameAsString() +
            "` is written more than once; set it from zoho_oauth.h by hand";
      return false;
    }
    unsigned W = Writes[0];
    if (StdString) {
      const auto *RD = VD->getType()->getAsCXXRecordDecl();
      if (FEs[W].InitOf == canon(VD) && VD->getInitStyle() == VarDecl::CInit && RD &&
          RD->getName() == "basic_string" && !inMacro(VD->getInit()) &&
          editFor(CharSourceRange::getTokenRange(VD->getInit()->getSourceRange()),
                  "zoho_oauth::authorization_header_line()", Edits))
        return true;
      Why = "the header variable `" + VD->getNameAsString() +
            "` is not a std::string initialised in one place";
      return false;
    }
    if (const CallExpr *SP = snprintfInto(W, VD)) {
      // snprintf(buf, n, "Authorization: Zoho-authtoken %s", t) -> (buf, n, "%s", line)
      const StringLiteral *Fmt = asLiteral(SP->getArg(2));
      if (SP->getNumArgs() == 4 && Fmt && literalUsable(Fmt) &&
          Fmt->getString().equals_insensitive("Authorization: Zoho-authtoken %s") &&
          !inMacro(SP->getArg(2)) && !inMacro(SP->getArg(3)) &&
          editFor(CharSourceRange::getTokenRange(SP->getArg(2)->getBeginLoc(),
                                                 SP->getArg(3)->getEndLoc()),
                  "\"%s\", " + helperLine(), Edits))
        return true;
      Why = "the header is formatted with more than the token (format \"Authorization: "
            "Zoho-authtoken %s\" expected); format the line from zoho_oauth.h by hand";
      return false;
    }
    Why = "the header variable `" + VD->getNameAsString() + "` is filled in a way the fix "
          "does not know; set it from zoho_oauth.h by hand";
    return false;
  }

  /// A `Zoho-authtoken …` header value given whole to a C++ HTTP library's header setter
  /// (cpr::Header / httplib::Headers `{"Authorization", V}` pairs, Poco `set("Authorization",
  /// V)`, Boost.Beast `set(http::field::authorization, V)`, Qt `setRawHeader("Authorization",
  /// V)`): V becomes the OAuth value from zoho_oauth.h, in V's own string type. False (the
  /// reason in \p Why) for other shapes.
  bool headerValueFix(const LitRec &L, size_t I, std::vector<RawEdit> &Edits, std::string &Why) {
    Why = "the request that sends this header is not a libcurl header list, nor a header "
          "value (`{\"Authorization\", …}`, set(\"Authorization\", …), setRawHeader) in "
          "C++ code";
    if ((!LO.CPlusPlus && !LO.ObjC) || inMacro(L.SL))
      return false;
    // The scheme starts the value; the token follows (in the literal or concatenated).
    if (I != 0)
      return false;
    const Stmt *Cur = L.SL;
    int K = static_cast<int>(L.Ancestors.size()) - 1;
    for (; K >= 0; --K) {
      const Stmt *P = L.Ancestors[K];
      if (isWrapper(P)) {
        Cur = P;
        continue;
      }
      auto [Lhs, Rhs] = plusOperands(P);
      if (Lhs && Lhs == Cur) { // "Zoho-authtoken " + token [+ …]
        Cur = P;
        continue;
      }
      // Objective-C: [@"Zoho-authtoken " stringByAppendingString:t], and
      // [NSString stringWithFormat:@"Zoho-authtoken %@", t] (that format only).
      if (const auto *ME = dyn_cast<ObjCMessageExpr>(P)) {
        std::string Sel = ME->getSelector().getAsString();
        if (Sel == "stringByAppendingString:" && ME->getInstanceReceiver() == Cur) {
          Cur = P;
          continue;
        }
        if (Sel == "stringWithFormat:" && ME->getNumArgs() == 2 && ME->getArg(0) == Cur &&
            L.SL->getString() == "Zoho-authtoken %@") {
          Cur = P;
          continue;
        }
      }
      // std::string("…") with the allocator defaulted: a conversion, not a consumer.
      if (const auto *CE = dyn_cast<CXXConstructExpr>(P);
          CE && !isa<CXXTemporaryObjectExpr>(CE) && CE->getNumArgs() >= 1 && CE->getArg(0) == Cur &&
          std::all_of(CE->arg_begin() + 1, CE->arg_end(),
                      [](const Expr *A) { return isa<CXXDefaultArgExpr>(A); })) {
        Cur = P;
        continue;
      }
      break;
    }
    if (K < 0)
      return false;
    const auto *V = dyn_cast<Expr>(Cur);
    const Stmt *Consumer = L.Ancestors[K];
    if (!V || inMacro(V))
      return false;
    auto isAuthorizationName = [&](const Expr *E) {
      for (int Depth = 0; Depth < 8; ++Depth) { // "Authorization" as std::string / QByteArray
        E = E->IgnoreParenImpCasts();
        if (const auto *MT = dyn_cast<MaterializeTemporaryExpr>(E))
          E = MT->getSubExpr();
        else if (const auto *BT = dyn_cast<CXXBindTemporaryExpr>(E))
          E = BT->getSubExpr();
        else if (const auto *CE = dyn_cast<CXXConstructExpr>(E); CE && CE->getNumArgs() >= 1)
          E = CE->getArg(0);
        else
          break;
      }
      if (const StringLiteral *SL = asLiteral(E))
        return SL->getString().equals_insensitive("authorization");
      if (const auto *DR = dyn_cast<DeclRefExpr>(E)) // http::field::authorization
        return DR->getDecl()->getName() == "authorization";
      return false;
    };
    bool Ok = false;
    if (const auto *ME = dyn_cast<ObjCMessageExpr>(Consumer)) {
      // [req setValue:V forHTTPHeaderField:@"Authorization"]: the helper's C function.
      if (ME->getSelector().getAsString() != "setValue:forHTTPHeaderField:" ||
          ME->getNumArgs() != 2 || ME->getArg(0) != V || !isAuthorizationName(ME->getArg(1)))
        return false;
      if (!editFor(fileRange(V), "[NSString stringWithUTF8String:zoho_oauth_authorization_header()]",
                   Edits)) {
        Why = "the header value is in a macro";
        return false;
      }
      return true;
    }
    if (!LO.CPlusPlus)
      return false;
    if (const auto *IL = dyn_cast<InitListExpr>(Consumer)) {
      Ok = IL->getNumInits() == 2 && IL->getInit(1) == V && isAuthorizationName(IL->getInit(0));
    } else if (const auto *CE = dyn_cast<CXXConstructExpr>(Consumer)) {
      Ok = CE->getNumArgs() == 2 && CE->getArg(1) == V && isAuthorizationName(CE->getArg(0));
    } else if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Consumer)) {
      const FunctionDecl *FD = MC->getDirectCallee();
      llvm::StringRef N = FD && FD->getIdentifier() ? FD->getName() : "";
      // Poco: req.setCredentials("Zoho-authtoken", token) -> req.set("Authorization", …)
      const CXXRecordDecl *Cls = MC->getRecordDecl();
      if (N == "setCredentials" && MC->getNumArgs() == 2 && MC->getArg(0) == V &&
          L.SL->getString().trim().equals_insensitive("zoho-authtoken") && Cls &&
          llvm::StringRef(Cls->getQualifiedNameAsString()).startswith("Poco::Net::")) {
        SourceLocation B = MC->getExprLoc(), E = MC->getRParenLoc();
        if (B.isMacroID() || E.isMacroID() ||
            !editFor(CharSourceRange::getTokenRange(B, E),
                     "set(\"Authorization\", zoho_oauth::default_manager().authorization_header())",
                     Edits)) {
          Why = "the setCredentials call is in a macro";
          return false;
        }
        return true;
      }
      Ok = (N == "set" || N == "setRawHeader" || N == "set_header" || N == "insert" ||
            N == "emplace" || N == "add" || N == "setHeader") &&
           MC->getNumArgs() == 2 && MC->getArg(1) == V && isAuthorizationName(MC->getArg(0)) &&
           !FD->getParamDecl(1)->getType()->isPointerType();
    }
    if (!Ok)
      return false;
    // V's own string type: std::string as it is, Qt's through fromStdString.
    std::string Value = "zoho_oauth::default_manager().authorization_header()";
    QualType T = V->getType().getNonReferenceType();
    const CXXRecordDecl *RD = T->getAsCXXRecordDecl();
    std::string Name = RD && RD->getIdentifier() ? RD->getName().str() : "";
    if (Name == "QByteArray" || Name == "QString") {
      Value = Name + "::fromStdString(" + Value + ")";
    } else if (Name != "basic_string" && !T->isArrayType()) {
      Why = "the header value's type (" + T.getAsString() + ") is not a string the fix knows";
      return false;
    }
    if (!editFor(fileRange(V), Value, Edits)) {
      Why = "the header value is in a macro";
      return false;
    }
    return true;
  }

  /// `cpr::Parameters` / `cpr::Payload` (a class of namespace cpr) built by \p E.
  static bool isCprContainer(const Stmt *E) {
    const auto *CE = dyn_cast<CXXConstructExpr>(E);
    if (!CE)
      return false;
    const CXXRecordDecl *RD = CE->getType()->getAsCXXRecordDecl();
    if (!RD || !RD->getIdentifier() || (RD->getName() != "Parameters" && RD->getName() != "Payload"))
      return false;
    const auto *NS = dyn_cast<NamespaceDecl>(RD->getDeclContext());
    return NS && NS->getIdentifier() && NS->getName() == "cpr";
  }

  /// cpr: `cpr::Get(url, cpr::Parameters{{"authtoken", t}, …})` (also Payload, Post, Put, …)
  /// loses the pair and gets (or adds to its) `cpr::Header{{"Authorization", …}}`. False with
  /// the reason in \p Why when the key is cpr's but the shape is not this one; \p Why stays
  /// empty for code that is not cpr's.
  bool cprParamFix(const LitRec &L, std::vector<RawEdit> &Edits, std::string &Why) {
    if (!LO.CPlusPlus || inMacro(L.SL))
      return false;
    const auto &Anc = L.Ancestors; // root first
    int CK = -1;
    for (int K = static_cast<int>(Anc.size()) - 1; K >= 0 && CK < 0; --K)
      if (isCprContainer(Anc[K]))
        CK = K;
    if (CK < 0)
      return false; // not cpr's
    const InitListExpr *IL = nullptr;
    int LK = -1;
    for (int K = CK + 1; K < static_cast<int>(Anc.size()) && !IL; ++K)
      if ((IL = dyn_cast<InitListExpr>(Anc[K])))
        LK = K;
    if (!IL) {
      Why = "the cpr parameter list has a shape the fix does not know";
      return false;
    }
    const Stmt *Elem = LK + 1 < static_cast<int>(Anc.size()) ? Anc[LK + 1] : L.SL;
    if (IL->isSemanticForm() && IL->getSyntacticForm()) // the traversal walks the written form
      IL = IL->getSyntacticForm();
    const Stmt *Container = Anc[CK];
    const CallExpr *Call = nullptr;
    for (int K = CK - 1; K >= 0; --K) {
      if (isWrapper(Anc[K]))
        continue;
      Call = dyn_cast<CallExpr>(Anc[K]);
      break;
    }
    if (!Call) {
      Why = "the cpr parameters are kept in a variable or passed on; the fix edits them only "
            "inside a cpr::Get/Post/… call";
      return false;
    }
    const FunctionDecl *FD = Call->getDirectCallee();
    std::string QN = FD ? FD->getQualifiedNameAsString() : "";
    if (!llvm::StringRef(QN).startswith("cpr::") || inMacro(Call)) {
      Why = "the cpr parameters are passed to " + (QN.empty() ? std::string("a call") : QN) +
            ", not to cpr::Get/Post/…";
      return false;
    }
    // The pair among its siblings.
    unsigned N = IL->getNumInits(), J = N;
    for (unsigned X = 0; X < N; ++X)
      if (IL->getInit(X) == Elem)
        J = X;
    if (J == N) {
      Why = "the cpr parameter list has a shape the fix does not know";
      return false;
    }
    // The argument that holds the container.
    unsigned A = Call->getNumArgs();
    for (unsigned X = 0; X < Call->getNumArgs(); ++X) {
      const Stmt *S = Call->getArg(X);
      for (int D = 0; S && D < 8 && S != Container; ++D)
        S = S->child_begin() != S->child_end() && isWrapper(S) ? *S->child_begin() : nullptr;
      if (S == Container)
        A = X;
    }
    if (A == Call->getNumArgs()) {
      Why = "the cpr parameters are not an argument of the call itself";
      return false;
    }
    // The header: merged into an existing cpr::Header argument, else a new argument.
    std::string Entry = "{\"Authorization\", zoho_oauth::default_manager().authorization_header()}";
    const Expr *HeaderArg = nullptr;
    for (unsigned X = 0; X < Call->getNumArgs(); ++X)
      if (llvm::StringRef(sourceText(Call->getArg(X))).startswith("cpr::Header"))
        HeaderArg = Call->getArg(X);
    if (HeaderArg) {
      std::string HT = sourceText(HeaderArg);
      if (findI(HT, "authorization") != llvm::StringRef::npos) {
        if (findI(HT, "zoho-oauthtoken") == llvm::StringRef::npos &&
            HT.find("authorization_header") == std::string::npos) {
          Why = "the cpr request already sends another Authorization header";
          return false;
        }
      } else {
        size_t Brace = HT.find('{');
        if (Brace == std::string::npos || HT.compare(Brace, 2, "{}") == 0 ||
            HT.compare(Brace, 2, "{{") != 0) {
          Why = "the cpr::Header argument is not a braced list the fix can extend";
          return false;
        }
        SourceLocation At = fileRange(HeaderArg).getBegin().getLocWithOffset(Brace + 1);
        if (!editFor(CharSourceRange::getCharRange(At, At), Entry + ", ", Edits))
          return false;
      }
    } else {
      SourceLocation End = fileRange(Call->getArg(Call->getNumArgs() - 1)).getEnd();
      if (!editFor(CharSourceRange::getCharRange(End, End), ", cpr::Header{" + Entry + "}", Edits))
        return false;
    }
    // The pair goes with a comma; the container goes whole when it held only the pair.
    CharSourceRange Cut;
    if (N > 1 && J > 0)
      Cut = CharSourceRange::getCharRange(fileRange(IL->getInit(J - 1)).getEnd(),
                                          fileRange(IL->getInit(J)).getEnd());
    else if (N > 1)
      Cut = CharSourceRange::getCharRange(fileRange(IL->getInit(0)).getBegin(),
                                          fileRange(IL->getInit(1)).getBegin());
    else if (A > 0)
      Cut = CharSourceRange::getCharRange(fileRange(Call->getArg(A - 1)).getEnd(),
                                          fileRange(Call->getArg(A)).getEnd());
    else {
      Why = "the cpr parameters are the call's first argument";
      return false;
    }
    if (!editFor(Cut, "", Edits)) {
      Why = "the cpr parameter is in a macro";
      return false;
    }
    return true;
  }

  /// `snprintf(V, …)` / `sprintf(V, …)` as full expression \p FE.
  const CallExpr *snprintfInto(unsigned FE, const VarDecl *V) {
    const auto *E = dyn_cast_or_null<Expr>(FEs[FE].Root);
    if (!E)
      return nullptr;
    const auto *CE = dyn_cast<CallExpr>(E->IgnoreImplicit());
    if (!CE || !CE->getDirectCallee() || !CE->getDirectCallee()->getIdentifier() ||
        CE->getNumArgs() < 3)
      return nullptr;
    llvm::StringRef N = CE->getDirectCallee()->getName();
    if (N != "snprintf" && N != "__builtin_snprintf")
      return nullptr;
    return namedDecl(CE->getArg(0)) == canon(V) ? CE : nullptr;
  }

  /// The curl_slist_append that sends the header literal \p L: the literal in its
  /// argument, or in the initialiser (or snprintf) of the variable it names.
  const CallExpr *appendOfHeader(const LitRec &L) {
    if (const CallExpr *CE = enclosingCallArg(L, "curl_slist_append", 1))
      return CE;
    const Decl *V = FEs[L.FE].InitOf;
    if (!V)
      for (const Stmt *A : L.Ancestors)
        if (const auto *CE = dyn_cast<CallExpr>(A)) {
          if (CE->getDirectCallee() && CE->getDirectCallee()->getIdentifier() &&
              CE->getDirectCallee()->getName() == "snprintf" && CE->getNumArgs() >= 3)
            V = namedDecl(CE->getArg(0));
          break;
        }
    if (!V || !isLocalVar(V))
      return nullptr;
    for (const CurlCall &C : CurlCalls)
      if (C.K == CurlCall::Append && FEs[C.FE].Owner == FEs[L.FE].Owner &&
          carries(C.Call->getArg(1), Carrier{nullptr, V}))
        return C.Call;
    return nullptr;
  }

  // ---- Request objects of Qt, Poco and Boost.Beast; cpp-httplib calls
  // -----------------

  enum class ReqKind { None, Qt, Poco, Beast };

  /// The request class a (local) variable of type \p T is: QNetworkRequest,
  /// Poco::Net::HTTPRequest, boost::beast::http::request/message.
  ReqKind requestKind(QualType T) {
    if (T.isNull())
      return ReqKind::None;
    const CXXRecordDecl *RD = T.getNonReferenceType()->getAsCXXRecordDecl();
    if (!RD)
      return ReqKind::None;
    std::string Q = RD->getQualifiedNameAsString();
    if (Q == "QNetworkRequest")
      return ReqKind::Qt;
    if (Q == "Poco::Net::HTTPRequest")
      return ReqKind::Poco;
    if (Q == "boost::beast::http::request" ||
        Q == "boost::beast::http::message")
      return ReqKind::Beast;
    return ReqKind::None;
  }

  /// A URL-holding value the query-object fix follows: QUrl, QUrlQuery,
  /// QString, Poco::URI, std::string.
  bool isUrlValueType(QualType T) {
    const CXXRecordDecl *RD = T.getNonReferenceType()->getAsCXXRecordDecl();
    if (!RD)
      return false;
    std::string Q = RD->getQualifiedNameAsString();
    return Q == "QUrl" || Q == "QUrlQuery" || Q == "QString" ||
           Q == "Poco::URI" || Q == "std::basic_string" ||
           Q == "std::__cxx11::basic_string";
  }

  static std::string requestHeaderCode(ReqKind K, const std::string &Var) {
    std::string V = "zoho_oauth::default_manager().authorization_header()";
    switch (K) {
    case ReqKind::Qt:
      return Var +
             ".setRawHeader(\"Authorization\", QByteArray::fromStdString(" + V +
             "));";
    case ReqKind::Poco:
      return Var + ".set(\"Authorization\", " + V + ");";
    case ReqKind::Beast:
      return Var + ".set(boost::beast::http::field::authorization, " + V + ");";
    case ReqKind::None:
      break;
    }
    return "";
  }

  std::string stmtText(const Stmt *S) {
    return Lexer::getSourceText(fileRange(S), SM, LO).str();
  }

  /// The declaration statement (directly in a block, one variable) of \p V.
  const DeclStmt *declStmtOf(const VarDecl *V) {
    auto Ps = Ctx.getParents(*V);
    if (Ps.empty())
      return nullptr;
    const auto *DS = Ps[0].get<DeclStmt>();
    if (!DS || !DS->isSingleDecl())
      return nullptr;
    auto Gs = Ctx.getParents(*DS);
    if (Gs.empty() || !Gs[0].get<CompoundStmt>())
      return nullptr;
    return DS;
  }

  /// Gives the local request object \p R (Qt, Poco, Beast) the OAuth header in
  /// a new line after its declaration.
  bool headerForRequest(const VarDecl *R, std::vector<RawEdit> &Edits,
                        std::string &What) {
    ReqKind K = requestKind(R->getType());
    std::string Name = R->getNameAsString();
    if (K == ReqKind::None || !R->hasLocalStorage() || isa<ParmVarDecl>(R) ||
        R->getType()->isReferenceType()) {
      What = "the request `" + Name + "` comes from outside this function";
      return false;
    }
    const DeclStmt *DS = declStmtOf(R);
    if (!DS || inMacro(DS)) {
      What = "the request `" + Name +
             "` is not declared in a statement of its own";
      return false;
    }
    for (unsigned U : Uses.lookup(canon(R))) {
      if (FEs[U].InitOf == canon(R))
        continue;
      std::string T = stmtText(FEs[U].Root);
      if (T.find("authorization_header") != std::string::npos) {
        What = "the request `" + Name +
               "` carries the OAuth header (zoho_oauth.h)";
        return true;
      }
      if (findI(T, "authorization") != llvm::StringRef::npos) {
        What =
            "the request `" + Name + "` already sets an Authorization header";
        return false;
      }
    }
    if (!insertAfter(DS, requestHeaderCode(K, Name), Edits)) {
      What = "the request `" + Name + "` is declared in a macro";
      return false;
    }
    What =
        "sends the OAuth header (zoho_oauth.h) with the request `" + Name + "`";
    return true;
  }

  /// The cpp-httplib request call (Client::Get/Post/…) in \p Root whose path
  /// argument carries \p C, or null.
  const CXXMemberCallExpr *httplibCall(const Stmt *Root, const Carrier &C) {
    if (!Root)
      return nullptr;
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Root))
      if (const CXXMethodDecl *MD = MC->getMethodDecl())
        if (MD->getParent() &&
            llvm::StringRef(MD->getParent()->getQualifiedNameAsString())
                .startswith("httplib::") &&
            MC->getNumArgs() >= 1 &&
            (carries(MC->getArg(0), C) || httplibBodyArg(MC, C)))
          return MC;
    for (const Stmt *Ch : Root->children())
      if (const CXXMemberCallExpr *MC = httplibCall(Ch, C))
        return MC;
    return nullptr;
  }

  /// `cli.Post(path, [headers,] body, content_type)` (also Put, Patch, Delete) whose body
  /// string carries \p C.
  bool httplibBodyArg(const CXXMemberCallExpr *MC, const Carrier &C) {
    const CXXMethodDecl *MD = MC->getMethodDecl();
    if (!MD || MC->getNumArgs() < 3 || MD->getNumParams() < 3)
      return false;
    auto isString = [](const ParmVarDecl *P) {
      const CXXRecordDecl *RD = P->getType().getNonReferenceType()->getAsCXXRecordDecl();
      return RD && RD->getIdentifier() && RD->getName() == "basic_string";
    };
    if (!isString(MD->getParamDecl(0)))
      return false;
    // The body is the string before the content type: Post(path, body, type),
    // Post(path, headers, body, type).
    for (unsigned X = 1; X + 1 < MD->getNumParams() && X + 1 < MC->getNumArgs(); ++X)
      if (isString(MD->getParamDecl(X)) && isString(MD->getParamDecl(X + 1)))
        return carries(MC->getArg(X), C);
    return false;
  }

  /// The type is cpp-httplib's `Params` (an alias of std::multimap).
  static bool isHttplibParams(QualType T) {
    T = T.getNonReferenceType();
    while (const auto *TT = T->getAs<TypedefType>()) {
      if (TT->getDecl()->getQualifiedNameAsString() == "httplib::Params")
        return true;
      QualType U = TT->getDecl()->getUnderlyingType();
      if (U == T)
        break;
      T = U;
    }
    return false;
  }

  /// A `{"key", "value"}` pair (a braced pair, or its construction): key and value.
  std::pair<const Expr *, const Expr *> pairOf(const Stmt *S) {
    if (const auto *IL = dyn_cast_or_null<InitListExpr>(S))
      if (IL->getNumInits() == 2)
        return {IL->getInit(0), IL->getInit(1)};
    if (const auto *CE = dyn_cast_or_null<CXXConstructExpr>(S))
      if (CE->getNumArgs() == 2)
        return {CE->getArg(0), CE->getArg(1)};
    if (const auto *MC = dyn_cast_or_null<CXXMemberCallExpr>(S)) { // emplace(k, v), insert({k, v})
      if (MC->getNumArgs() == 2)
        return {MC->getArg(0), MC->getArg(1)};
      if (MC->getNumArgs() == 1) {
        const Stmt *A = MC->getArg(0);
        while (A && isWrapper(A) && A->child_begin() != A->child_end())
          A = *A->child_begin();
        return pairOf(A);
      }
    }
    return {nullptr, nullptr};
  }

  /// `{"scope", "crmapi"}`: a dead legacy scope pair.
  bool isDeadScopePair(const Stmt *S) {
    auto [K, V] = pairOf(S);
    const StringLiteral *KL = K ? asLiteral(K) : nullptr, *VL = V ? asLiteral(V) : nullptr;
    if (!KL || !VL || !literalUsable(KL) || !literalUsable(VL) ||
        !KL->getString().equals_insensitive("scope"))
      return false;
    std::string Pair = "scope=" + VL->getString().str();
    return deadScopeEnd(Pair, 0) == Pair.size();
  }

  /// The call's argument that is \p E (wrappers aside), or ~0u.
  static unsigned argIndexOf(const CallExpr *Call, const Stmt *E) {
    for (unsigned X = 0; X < Call->getNumArgs(); ++X) {
      const Stmt *A = Call->getArg(X);
      for (int D = 0; A && D < 8 && A != E; ++D)
        A = A->child_begin() != A->child_end() && isWrapper(A) ? *A->child_begin() : nullptr;
      if (A == E)
        return X;
    }
    return ~0u;
  }

  /// cpp-httplib: `{"authtoken", t}` in a `httplib::Params` (a local variable's braced
  /// initialiser, `params.emplace("authtoken", t)` / `params.insert({"authtoken", t})`,
  /// or a `httplib::Params{…}` argument) sent by `cli.Get/Post/…(path, params, …)`: the
  /// pair goes (with a dead `{"scope", "…api"}` beside it) and every call that sends the
  /// Params gets the header (headerForHttplib). False with the reason in \p Why when the
  /// key is in Params but the shape is not one of these; \p Why stays empty otherwise.
  bool httplibParamsFix(const LitRec &L, std::vector<RawEdit> &Edits, std::string &Why) {
    if (!LO.CPlusPlus || inMacro(L.SL))
      return false;
    const auto &Anc = L.Ancestors;
    int K = static_cast<int>(Anc.size()) - 1;
    while (K >= 0 && isWrapper(Anc[K]))
      --K;
    if (K < 0)
      return false;
    std::vector<RawEdit> Cut;
    const VarDecl *V = nullptr;            ///< the Params variable
    const CXXMemberCallExpr *Inline = nullptr; ///< the call a Params{…} argument goes to
    const FullExpr &F = FEs[L.FE];
    auto localParams = [&](const Expr *E) -> const VarDecl * {
      const auto *D = dyn_cast_or_null<VarDecl>(E ? namedDecl(E) : nullptr);
      return D && isHttplibParams(D->getType()) ? D : nullptr;
    };
    // params.insert({"authtoken", t}): the pair's call.
    int Up = K;
    if (pairOf(Anc[K]).first) {
      Up = K - 1;
      while (Up >= 0 && isWrapper(Anc[Up]))
        --Up;
      if (Up < 0 || !isa<CXXMemberCallExpr>(Anc[Up]))
        Up = K;
    }
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Anc[Up]);
        MC && MC->getMethodDecl() && MC->getMethodDecl()->getIdentifier() &&
        (MC->getMethodDecl()->getName() == "emplace" ||
         MC->getMethodDecl()->getName() == "insert")) {
      // params.emplace("authtoken", t): the statement goes.
      V = localParams(MC->getImplicitObjectArgument());
      if (!V)
        return false;
      const CompoundStmt *Block = nullptr;
      if (statementInBlock(MC, Block) != MC || !removeStatement(MC, Cut)) {
        Why = "the " + MC->getMethodDecl()->getNameAsString() +
              " call is not a statement of its own";
        return false;
      }
    } else {
      // A pair among the braced pairs of a Params.
      const Stmt *Pair = Anc[K];
      if (!pairOf(Pair).first)
        return false;
      int J = K - 1;
      while (J >= 0 && isWrapper(Anc[J]))
        --J;
      const auto *IL = J >= 0 ? dyn_cast<InitListExpr>(Anc[J]) : nullptr;
      if (!IL)
        return false;
      int C = J - 1;
      while (C >= 0 && isWrapper(Anc[C]))
        --C;
      const Expr *Container = C >= 0 ? dyn_cast<Expr>(Anc[C]) : nullptr;
      if (!Container || !isHttplibParams(Container->getType()))
        return false;
      // The variable it initialises, or the call it is an argument of.
      int U = C - 1;
      while (U >= 0 && isWrapper(Anc[U]))
        --U;
      if (U < 0 && F.InitOf && isa<VarDecl>(F.InitOf)) {
        V = cast<VarDecl>(F.InitOf);
        if (!isHttplibParams(V->getType()))
          return false;
      } else if (const auto *MC = U >= 0 ? dyn_cast<CXXMemberCallExpr>(Anc[U]) : nullptr) {
        if (argIndexOf(MC, Container) == ~0u)
          return false;
        Inline = MC;
      } else {
        Why = "the cpp-httplib Params are not kept in a local variable nor given to the "
              "request call itself";
        return false;
      }
      if (IL->isSemanticForm() && IL->getSyntacticForm())
        IL = IL->getSyntacticForm();
      unsigned N = IL->getNumInits(), Kept = N;
      std::vector<bool> Drop(N, false);
      bool Found = false;
      for (unsigned X = 0; X < N; ++X) {
        const Stmt *E = IL->getInit(X);
        while (E && isWrapper(E) && E->child_begin() != E->child_end() && E != Pair)
          E = *E->child_begin();
        if (E == Pair)
          Drop[X] = Found = true;
        else if (isDeadScopePair(E))
          Drop[X] = true;
      }
      if (!Found) {
        Why = "the cpp-httplib Params list has a shape the fix does not know";
        return false;
      }
      for (unsigned X = 0; X < N && Kept == N; ++X)
        if (!Drop[X])
          Kept = X;
      bool Ok = true;
      if (Kept == N) {
        CharSourceRange R = fileRange(IL);
        Ok = R.isValid() && editFor(R, "{}", Cut);
      } else {
        if (Kept > 0)
          Ok = editFor(CharSourceRange::getCharRange(fileRange(IL->getInit(0)).getBegin(),
                                                     fileRange(IL->getInit(Kept)).getBegin()),
                       "", Cut);
        for (unsigned X = Kept + 1; X < N && Ok; ++X)
          if (Drop[X])
            Ok = editFor(CharSourceRange::getCharRange(fileRange(IL->getInit(X - 1)).getEnd(),
                                                       fileRange(IL->getInit(X)).getEnd()),
                         "", Cut);
      }
      if (!Ok) {
        Why = "the cpp-httplib parameter is in a macro";
        return false;
      }
    }
    // The calls that send the Params.
    std::vector<const CXXMemberCallExpr *> Sends;
    if (Inline)
      Sends.push_back(Inline);
    if (V) {
      if (!V->hasLocalStorage() || isa<ParmVarDecl>(V) || V->getType()->isReferenceType()) {
        Why = "the cpp-httplib Params `" + V->getNameAsString() + "` come from outside this function";
        return false;
      }
      for (unsigned U : Uses.lookup(canon(V))) {
        const FullExpr &G = FEs[U];
        if (U == L.FE || G.InitOf == canon(V))
          continue;
        std::string Line = std::to_string(SM.getPresumedLineNumber(G.Root->getBeginLoc()));
        const auto *E = dyn_cast_or_null<Expr>(G.Root);
        const auto *MC = E ? dyn_cast<CXXMemberCallExpr>(E->IgnoreImplicit()) : nullptr;
        if (MC && namedDecl(MC->getImplicitObjectArgument()) == canon(V) && MC->getMethodDecl() &&
            MC->getMethodDecl()->getIdentifier() &&
            (MC->getMethodDecl()->getName() == "emplace" ||
             MC->getMethodDecl()->getName() == "insert")) {
          // Other parameters; a dead scope one goes too.
          if (MC->getNumArgs() == 2 && isDeadScopePair(MC)) {
            const CompoundStmt *Block = nullptr;
            if (statementInBlock(MC, Block) == MC)
              removeStatement(MC, Cut);
          }
          continue;
        }
        // cli.Get/Post/…(path, params, …) in this statement.
        const CXXMemberCallExpr *HC = nullptr;
        std::function<void(const Stmt *)> Find = [&](const Stmt *S) {
          if (!S || HC)
            return;
          if (const auto *M = dyn_cast<CXXMemberCallExpr>(S))
            if (const CXXMethodDecl *MD = M->getMethodDecl())
              if (MD->getParent() &&
                  llvm::StringRef(MD->getParent()->getQualifiedNameAsString()).startswith("httplib::"))
                for (unsigned X = 0; X < M->getNumArgs() && X < MD->getNumParams(); ++X)
                  if (namedDecl(M->getArg(X)) == canon(V) &&
                      isHttplibParams(MD->getParamDecl(X)->getType())) {
                    HC = M;
                    return;
                  }
          for (const Stmt *Ch : S->children())
            Find(Ch);
        };
        Find(G.Root);
        if (!HC || G.Owner != F.Owner) {
          Why = "the cpp-httplib Params `" + V->getNameAsString() + "` are used at line " + Line +
                " in a way the fix does not follow";
          return false;
        }
        Sends.push_back(HC);
      }
    }
    if (Sends.empty()) {
      Why = "the cpp-httplib Params are not sent by a request call of this function";
      return false;
    }
    std::vector<std::string> Descr;
    for (const CXXMemberCallExpr *HC : Sends) {
      std::string What;
      if (!headerForHttplib(HC, Edits, What)) {
        Why = What;
        Edits.clear();
        return false;
      }
      Descr.push_back(What);
    }
    Edits.insert(Edits.end(), Cut.begin(), Cut.end());
    Why = llvm::join(Descr, "; ");
    return true;
  }

  static bool isHeadersParam(const ParmVarDecl *P) {
    return llvm::StringRef(P->getType().getAsString()).contains("Headers");
  }

  /// Gives the cpp-httplib call \p MC the OAuth header: merged into its Headers
  /// argument (a braced list, or a local variable: a new emplace after its
  /// declaration), else a new `httplib::Headers{…}` argument where an overload
  /// of the class takes one.
  bool headerForHttplib(const CXXMemberCallExpr *MC,
                        std::vector<RawEdit> &Edits, std::string &What) {
    const CXXMethodDecl *MD = MC->getMethodDecl();
    std::string Fn = MD->getNameAsString();
    std::string Entry = "{\"Authorization\", "
                        "zoho_oauth::default_manager().authorization_header()}";
    if (inMacro(MC)) {
      What = "the cpp-httplib call is in a macro";
      return false;
    }
    unsigned N = MC->getNumArgs();
    for (unsigned X = 0; X < N && X < MD->getNumParams(); ++X) {
      if (!isHeadersParam(MD->getParamDecl(X)) ||
          isa<CXXDefaultArgExpr>(MC->getArg(X)))
        continue;
      const Expr *A = MC->getArg(X);
      std::string T = sourceText(A);
      if (T.find("authorization_header") != std::string::npos) {
        What = "the cpp-httplib " + Fn +
               " call carries the OAuth header (zoho_oauth.h)";
        return true;
      }
      if (findI(T, "authorization") != llvm::StringRef::npos) {
        What = "the cpp-httplib " + Fn +
               " call already sends an Authorization header";
        return false;
      }
      if (const auto *V = dyn_cast_or_null<VarDecl>(namedDecl(A))) {
        const DeclStmt *DS = declStmtOf(V);
        if (!V->hasLocalStorage() || isa<ParmVarDecl>(V) ||
            V->getType()->isReferenceType() || !DS) {
          What = "the Headers `" + V->getNameAsString() +
                 "` come from outside this function";
          return false;
        }
        for (unsigned U : Uses.lookup(canon(V))) {
          std::string UT = stmtText(FEs[U].Root);
          if (UT.find("authorization_header") != std::string::npos) {
            What = "the Headers `" + V->getNameAsString() +
                   "` carry the OAuth header (zoho_oauth.h)";
            return true;
          }
          if (findI(UT, "authorization") != llvm::StringRef::npos) {
            What = "the Headers `" + V->getNameAsString() +
                   "` already hold an Authorization header";
            return false;
          }
        }
        if (!insertAfter(
                DS,
                V->getNameAsString() +
                    ".emplace(\"Authorization\", "
                    "zoho_oauth::default_manager().authorization_header());",
                Edits))
          return false;
        What = "adds the OAuth header (zoho_oauth.h) to the Headers `" +
               V->getNameAsString() + "`";
        return true;
      }
      size_t Brace = T.find('{');
      if (Brace == std::string::npos || T.compare(Brace, 2, "{{") != 0) {
        What = "the Headers argument is not a braced list the fix can extend";
        return false;
      }
      SourceLocation At = fileRange(A).getBegin().getLocWithOffset(Brace + 1);
      if (!editFor(CharSourceRange::getCharRange(At, At), Entry + ", ", Edits))
        return false;
      What = "adds the OAuth header (zoho_oauth.h) to the Headers of the "
             "cpp-httplib " +
             Fn + " call";
      return true;
    }
    // No Headers argument: an overload of the class that takes the same
    // arguments with a Headers parameter at position P (after the path:
    // Get(path, headers), Post(path, headers, body, type), Post(path, headers,
    // params)).
    const unsigned P = 1;
    bool Found = false;
    for (const CXXMethodDecl *M : MD->getParent()->methods()) {
      if (M->getNameAsString() != Fn || M->getNumParams() < N + 1 ||
          M->getMinRequiredArguments() > N + 1)
        continue;
      bool Ok = isHeadersParam(M->getParamDecl(P));
      for (unsigned X = 0, Y = 0; Ok && X < N; ++X, ++Y) {
        if (Y == P)
          ++Y;
        Ok = M->getParamDecl(Y)->getType().getAsString() ==
             MD->getParamDecl(X)->getType().getAsString();
      }
      Found = Found || Ok;
    }
    if (!Found) {
      What = "cpp-httplib's Client has no " + Fn +
             " overload that takes these arguments and Headers";
      return false;
    }
    SourceLocation End = fileRange(MC->getArg(0)).getEnd();
    std::string Arg = ", httplib::Headers{" + Entry + "}";
    if (!editFor(CharSourceRange::getCharRange(End, End), Arg, Edits))
      return false;
    What = "gives the cpp-httplib " + Fn +
           " call a Headers argument with the OAuth header (zoho_oauth.h)";
    return true;
  }

  /// The request object a full expression gives the URL: `R r(…url…)` / `R
  /// r{…}`, `r.setUrl(url)`, `r.target(url)`, `r.setURI(url)`, with r a local
  /// request.
  const VarDecl *requestTaking(const FullExpr &F, const Carrier &C) {
    if (const auto *V = dyn_cast_or_null<VarDecl>(F.InitOf))
      if (requestKind(V->getType()) != ReqKind::None && carries(F.Root, C))
        return V;
    const auto *E = dyn_cast_or_null<Expr>(F.Root);
    if (!E)
      return nullptr;
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E->IgnoreImplicit()))
      if (const CXXMethodDecl *MD = MC->getMethodDecl())
        if (MD->getIdentifier() &&
            (MD->getName() == "setUrl" || MD->getName() == "target" ||
             MD->getName() == "setURI") &&
            MC->getNumArgs() == 1 && carries(MC->getArg(0), C))
          if (const auto *V = dyn_cast_or_null<VarDecl>(
                  namedDecl(MC->getImplicitObjectArgument())))
            if (requestKind(V->getType()) != ReqKind::None)
              return V;
    return nullptr;
  }

  /// Removes statement \p S (its whole line when it is alone on it).
  bool removeStatement(const Stmt *S, std::vector<RawEdit> &Edits) {
    CharSourceRange FR = fileRange(S);
    if (FR.isInvalid())
      return false;
    auto [FID, B] = SM.getDecomposedLoc(FR.getBegin());
    unsigned E = SM.getFileOffset(FR.getEnd());
    llvm::StringRef Buf = SM.getBufferData(FID);
    size_t P = E;
    while (P < Buf.size() && (Buf[P] == ' ' || Buf[P] == '\t'))
      ++P;
    if (P >= Buf.size() || Buf[P] != ';')
      return false;
    E = P + 1;
    size_t LS = B == 0 ? 0 : Buf.rfind('\n', B - 1);
    LS = LS == llvm::StringRef::npos ? 0 : LS + 1;
    size_t Eol = Buf.find('\n', E);
    if (Eol == llvm::StringRef::npos)
      Eol = Buf.size();
    if (Buf.slice(LS, B).trim().empty() && Buf.slice(E, Eol).trim().empty()) {
      B = LS;
      E = Eol < Buf.size() ? Eol + 1 : Eol;
    }
    return editFor(CharSourceRange::getCharRange(SM.getComposedLoc(FID, B),
                                                 SM.getComposedLoc(FID, E)),
                   "", Edits);
  }

  /// Qt `q.addQueryItem("authtoken", t)` / Poco
  /// `uri.addQueryParameter("authtoken", t)` on a local QUrlQuery or Poco::URI,
  /// followed through local URL values (url.setQuery(q), `std::string p =
  /// uri.getPathAndQuery()`) to the one request object of the function built
  /// from it: the statement goes and that request gets the header. False with
  /// the reason in \p Why when the call is one of these but is not fixed; \p
  /// Why stays empty for other code.
  bool queryObjectFix(const LitRec &L, std::vector<RawEdit> &Edits,
                      std::string &Why) {
    if (!LO.CPlusPlus || inMacro(L.SL))
      return false;
    const CXXMemberCallExpr *MC = nullptr;
    for (int K = static_cast<int>(L.Ancestors.size()) - 1; K >= 0 && !MC; --K)
      MC = dyn_cast<CXXMemberCallExpr>(L.Ancestors[K]);
    if (!MC || MC->getNumArgs() != 2 || !MC->getMethodDecl() ||
        !MC->getMethodDecl()->getIdentifier())
      return false;
    llvm::StringRef M = MC->getMethodDecl()->getName();
    std::string Cls =
        MC->getMethodDecl()->getParent()->getQualifiedNameAsString();
    if (!((M == "addQueryItem" && Cls == "QUrlQuery") ||
          (M == "addQueryParameter" && Cls == "Poco::URI")) ||
        !carries(MC->getArg(0), Carrier{L.SL, nullptr}))
      return false;
    const Decl *Q = canon(namedDecl(MC->getImplicitObjectArgument()));
    if (!isLocalVar(Q) || isa<ParmVarDecl>(Q) ||
        cast<VarDecl>(Q)->getType()->isReferenceType()) {
      Why = "the query object is not a local variable of the function";
      return false;
    }
    const CompoundStmt *Block = nullptr;
    const Stmt *St = statementInBlock(MC, Block);
    const auto *StE = dyn_cast_or_null<Expr>(St);
    if (!StE || StE->IgnoreImplicit() != MC || inMacro(MC)) {
      Why = "the " + M.str() + " call is not a statement of its own";
      return false;
    }
    const Decl *Fn = FEs[L.FE].Owner;
    std::set<const Decl *> Vars{Q};
    std::deque<const Decl *> Work{Q};
    std::set<const VarDecl *> Reqs;
    while (!Work.empty()) {
      const Decl *D = Work.front();
      Work.pop_front();
      for (unsigned U : Uses.lookup(D)) {
        const FullExpr &F = FEs[U];
        if (U == L.FE || F.InitOf == D)
          continue;
        std::string Line =
            std::to_string(SM.getPresumedLineNumber(F.Root->getBeginLoc()));
        if (F.Owner != Fn) {
          Why =
              "the query reaches code outside the function (line " + Line + ")";
          return false;
        }
        if (F.InitOf) {
          const auto *V = dyn_cast<VarDecl>(F.InitOf);
          if (!isLocalVar(V)) {
            Why = "the URL is stored outside the function (line " + Line + ")";
            return false;
          }
          if (requestKind(V->getType()) != ReqKind::None)
            Reqs.insert(V);
          else if (isUrlValueType(V->getType()) &&
                   !V->getType()->isReferenceType()) {
            if (Vars.insert(canon(V)).second)
              Work.push_back(canon(V));
          } else {
            Why = "the URL goes into `" + V->getNameAsString() +
                  "`, which the fix does not follow";
            return false;
          }
          continue;
        }
        const auto *E = dyn_cast_or_null<Expr>(F.Root);
        const auto *C =
            E ? dyn_cast<CXXMemberCallExpr>(E->IgnoreImplicit()) : nullptr;
        if (C) {
          const Decl *Obj = canon(namedDecl(C->getImplicitObjectArgument()));
          bool InArgs = false;
          for (const Expr *A : C->arguments())
            InArgs = InArgs || carries(A, Carrier{nullptr, D});
          if (!InArgs && Obj == D)
            continue; // q.addQueryItem("page", "1"), url.setQuery(q) seen from
                      // url
          const auto *OV = dyn_cast_or_null<VarDecl>(Obj);
          if (InArgs && OV && isLocalVar(OV) && !isa<ParmVarDecl>(OV) &&
              !OV->getType()->isReferenceType()) {
            if (requestKind(OV->getType()) != ReqKind::None) {
              Reqs.insert(OV);
              continue;
            }
            if (isUrlValueType(OV->getType())) {
              if (Vars.insert(Obj).second)
                Work.push_back(Obj);
              continue;
            }
          }
        }
        Why = "the URL is used at line " + Line +
              " in a way the fix does not follow";
        return false;
      }
    }
    if (Reqs.size() != 1) {
      Why =
          Reqs.empty()
              ? "the query reaches no request object (QNetworkRequest, Poco "
                "HTTPRequest) in the function"
              : "the query reaches " + std::to_string(Reqs.size()) +
                    " request objects; the fix edits a query that reaches one";
      return false;
    }
    std::string What;
    if (!headerForRequest(*Reqs.begin(), Edits, What)) {
      Why = What;
      Edits.clear();
      return false;
    }
    if (!removeStatement(St, Edits)) {
      Why = "the " + M.str() + " call is in a macro";
      Edits.clear();
      return false;
    }
    Why = What;
    return true;
  }

  // ---- Objective-C: NSMutableURLRequest built from a URL ------------------------------

  /// The class an Objective-C message goes to (its class receiver, or the static
  /// type of its instance receiver), or "".
  static std::string receiverClass(const ObjCMessageExpr *ME) {
    const ObjCInterfaceDecl *ID = ME->getReceiverInterface();
    return ID && ID->getIdentifier() ? ID->getName().str() : "";
  }

  static bool isMutableRequestVar(const VarDecl *V) {
    if (!V || !V->hasLocalStorage() || isa<ParmVarDecl>(V) || V->hasAttr<BlocksAttr>())
      return false;
    const auto *PT = V->getType()->getAs<ObjCObjectPointerType>();
    const ObjCInterfaceDecl *ID = PT ? PT->getInterfaceDecl() : nullptr;
    return ID && ID->getIdentifier() && ID->getName() == "NSMutableURLRequest";
  }

  /// The local variable full expression \p F (its root \p E, wrappers aside) is
  /// assigned to: `T *v = E;` or `v = E;`.
  const VarDecl *assignedVar(const FullExpr &F, const Expr *E) {
    const Expr *R = dyn_cast_or_null<Expr>(F.Root);
    if (!R)
      return nullptr;
    R = R->IgnoreParenImpCasts();
    if (const auto *EWC = dyn_cast<ExprWithCleanups>(R))
      R = EWC->getSubExpr()->IgnoreParenImpCasts();
    if (R == E)
      return dyn_cast_or_null<VarDecl>(F.InitOf);
    if (const auto *BO = dyn_cast<BinaryOperator>(R))
      if (BO->getOpcode() == BO_Assign && BO->getRHS()->IgnoreParenImpCasts() == E)
        return dyn_cast_or_null<VarDecl>(namedDecl(BO->getLHS()));
    return nullptr;
  }

  /// Objective-C uses of what \p C carries in full expression \p X: Foundation's string,
  /// URL and components classes pass it on; an NSMutableURLRequest local variable built
  /// with it (requestWithURL:, initWithURL:, setURL:, `r.URL = …`) is a request the fix
  /// gives the header (into \p Reqs, with the statement the header follows); a
  /// `c.queryItems = …` on a local NSURLComponents continues from `c` (\p Follow).
  /// Returns the reason when the value goes where the fix cannot follow it.
  std::string objcFlow(unsigned X, const Stmt *S, const Carrier &C,
                       std::vector<const VarDecl *> &Reqs, std::vector<const Decl *> &Follow,
                       std::vector<const ObjCMessageExpr *> &Tasks) {
    if (!S)
      return "";
    const FullExpr &F = FEs[X];
    if (const auto *PO = dyn_cast<PseudoObjectExpr>(S)) {
      const auto *BO = dyn_cast<BinaryOperator>(PO->getSyntacticForm());
      const auto *PR = BO ? dyn_cast<ObjCPropertyRefExpr>(BO->getLHS()->IgnoreParens()) : nullptr;
      auto open = [](const Expr *E) { // the syntactic form's operands are opaque values
        E = E->IgnoreParens();
        if (const auto *OV = dyn_cast<OpaqueValueExpr>(E))
          return OV->getSourceExpr() ? OV->getSourceExpr() : E;
        return E;
      };
      if (BO && PR && BO->isAssignmentOp()) {
        const Expr *Rhs = open(BO->getRHS());
        if (carries(Rhs, C)) {
          std::string Prop = PR->isExplicitProperty()
                                 ? PR->getExplicitProperty()->getNameAsString()
                                 : PR->getSetterSelector().getAsString();
          const auto *Base = PR->isObjectReceiver()
                                 ? dyn_cast_or_null<VarDecl>(namedDecl(open(PR->getBase())))
                                 : nullptr;
          if ((Prop == "URL" || Prop == "setURL:") && isMutableRequestVar(Base)) {
            Reqs.push_back(Base);
            return "";
          }
          const auto *PT = Base ? Base->getType()->getAs<ObjCObjectPointerType>() : nullptr;
          const ObjCInterfaceDecl *ID = PT ? PT->getInterfaceDecl() : nullptr;
          if ((Prop == "queryItems" || Prop == "setQueryItems:") && ID && ID->getIdentifier() &&
              ID->getName() == "NSURLComponents" && Base->hasLocalStorage() &&
              !isa<ParmVarDecl>(Base)) {
            Follow.push_back(canon(Base));
            return "";
          }
          return "the URL is stored in the property `" + Prop + "`, which the fix does not follow";
        }
        return objcFlow(X, Rhs, C, Reqs, Follow, Tasks);
      }
      return objcFlow(X, PO->getSyntacticForm(), C, Reqs, Follow, Tasks);
    }
    // `_url = …` (an instance variable), `*out = …`: stored where the fix cannot follow.
    if (const auto *BO = dyn_cast<BinaryOperator>(S);
        BO && BO->isAssignmentOp() && carries(BO->getRHS(), C)) {
      const Decl *D = namedDecl(BO->getLHS());
      if (!D || !isLocalVar(D))
        return "the URL is stored in `" + sourceText(BO->getLHS()) +
               "`, which the fix does not follow";
    }
    if (const auto *ME = dyn_cast<ObjCMessageExpr>(S)) {
      bool InArgs = false;
      for (const Expr *A : ME->arguments())
        InArgs = InArgs || carries(A, C);
      if (InArgs) {
        std::string Cls = receiverClass(ME), Sel = ME->getSelector().getAsString();
        llvm::StringRef SelR(Sel);
        if (SelR.contains("ContentsOfURL") || SelR.contains("WithURL:") ||
            SelR.contains("TaskWithURL")) {
          if (Cls == "NSMutableURLRequest" &&
              (SelR.startswith("requestWithURL:") || SelR.startswith("initWithURL:")) &&
              carries(ME->getArg(0), C)) {
            const VarDecl *R = assignedVar(F, ME);
            if (!isMutableRequestVar(R))
              return "the NSMutableURLRequest built from the URL is not kept in a local "
                     "variable of the function";
            Reqs.push_back(R);
            return "";
          }
          if (Cls == "NSURLRequest" &&
              (SelR.startswith("requestWithURL:") || SelR.startswith("initWithURL:")))
            return "the URL goes to an immutable NSURLRequest, which cannot take the header "
                   "(build an NSMutableURLRequest and set `Authorization` on it)";
          if ((SelR.startswith("dataTaskWithURL:") || SelR.startswith("downloadTaskWithURL:")) &&
              isSharedSession(ME->getInstanceReceiver()) && carries(ME->getArg(0), C) &&
              pureUrl(ME->getArg(0))) {
            Tasks.push_back(ME); // becomes …TaskWithRequest: (taskFix)
            return "";
          }
          if (Cls == "NSURLComponents" || Cls == "NSURL")
            ; // componentsWithURL:…, URLWithString:relativeToURL:… pass it on
          else if (Cls == "NSURLSession" && SelR.contains("TaskWithURL"))
            return "[NSURLSession " + Sel + "] sends the URL without request headers, and the "
                   "fix rewrites only the shared session's (another session's configuration "
                   "may set cache and timeout policies a request of its own would override) "
                   "with a URL it can build the request from: build an NSMutableURLRequest "
                   "from the URL, set `Authorization` on it and use " +
                   (SelR.startswith("download") ? "downloadTaskWithRequest:" : "dataTaskWithRequest:");
          else
            return "[" + Cls + " " + Sel + "] sends the URL without request headers (build an "
                   "NSMutableURLRequest from it, set `Authorization` on it and send that)";
        } else if (Cls == "NSMutableURLRequest" && Sel == "setURL:") {
          const auto *R = ME->getInstanceReceiver()
                              ? dyn_cast_or_null<VarDecl>(namedDecl(ME->getInstanceReceiver()))
                              : nullptr;
          if (!isMutableRequestVar(R))
            return "the NSMutableURLRequest given the URL is not a local variable of the "
                   "function";
          Reqs.push_back(R);
          return "";
        } else if (!(Cls == "NSString" || Cls == "NSMutableString" || Cls == "NSURL" ||
                     Cls == "NSURLComponents" || Cls == "NSURLQueryItem" || Cls == "NSArray" ||
                     Cls == "NSMutableArray")) {
          return "the URL is given to [" + (Cls.empty() ? std::string("…") : Cls) + " " + Sel +
                 "], whose request headers the fix does not edit";
        }
      }
    }
    for (const Stmt *Ch : S->children()) {
      std::string W = objcFlow(X, Ch, C, Reqs, Follow, Tasks);
      if (!W.empty() || !Reqs.empty() || !Tasks.empty())
        return W;
    }
    return "";
  }

  /// `[NSURLSession sharedSession]` / `NSURLSession.sharedSession`.
  static bool isSharedSession(const Expr *E) {
    if (!E)
      return false;
    E = E->IgnoreParenImpCasts();
    if (const auto *PO = dyn_cast<PseudoObjectExpr>(E))
      E = PO->getSyntacticForm()->IgnoreParens();
    if (const auto *ME = dyn_cast<ObjCMessageExpr>(E))
      return ME->isClassMessage() && receiverClass(ME) == "NSURLSession" &&
             ME->getSelector().getAsString() == "sharedSession";
    if (const auto *PR = dyn_cast<ObjCPropertyRefExpr>(E))
      return PR->isClassReceiver() && PR->getClassReceiver()->getName() == "NSURLSession" &&
             PR->getGetterSelector().getAsString() == "sharedSession";
    return false;
  }

  /// A URL expression that may be evaluated one statement earlier: literals, local
  /// variables and parameters, and NSURL / NSString messages of those.
  bool pureUrl(const Expr *E, int Depth = 0) {
    if (!E || Depth > 8)
      return false;
    E = E->IgnoreParenImpCasts();
    if (isa<StringLiteral>(E) || isa<ObjCStringLiteral>(E) || isa<IntegerLiteral>(E))
      return true;
    // c.URL, u.absoluteString: a getter of a local NSURLComponents / NSURL / NSString.
    if (const auto *PO = dyn_cast<PseudoObjectExpr>(E))
      if (const auto *PR = dyn_cast<ObjCPropertyRefExpr>(PO->getSyntacticForm()->IgnoreParens()))
        if (PR->isObjectReceiver() && PR->isMessagingGetter()) {
          const Expr *B = PR->getBase()->IgnoreParenImpCasts();
          if (const auto *OV = dyn_cast<OpaqueValueExpr>(B))
            B = OV->getSourceExpr();
          const auto *PT = B ? B->getType()->getAs<ObjCObjectPointerType>() : nullptr;
          const ObjCInterfaceDecl *ID = PT ? PT->getInterfaceDecl() : nullptr;
          std::string Cls = ID && ID->getIdentifier() ? ID->getName().str() : "";
          return (Cls == "NSURLComponents" || Cls == "NSURL" || Cls == "NSString") &&
                 pureUrl(B, Depth + 1);
        }
    if (const auto *DR = dyn_cast<DeclRefExpr>(E)) {
      const auto *V = dyn_cast<VarDecl>(DR->getDecl());
      return V && V->hasLocalStorage();
    }
    if (const auto *ME = dyn_cast<ObjCMessageExpr>(E)) {
      std::string Cls = receiverClass(ME), Sel = ME->getSelector().getAsString();
      if ((Cls != "NSURL" && Cls != "NSString") || llvm::StringRef(Sel).contains("ContentsOf"))
        return false;
      if (ME->getInstanceReceiver() && !pureUrl(ME->getInstanceReceiver(), Depth + 1))
        return false;
      for (const Expr *A : ME->arguments())
        if (!pureUrl(A, Depth + 1))
          return false;
      return true;
    }
    return false;
  }

  /// `[[NSURLSession sharedSession] dataTaskWithURL:url …]` (or downloadTaskWithURL:) in a
  /// statement of a block: an NSMutableURLRequest built from the URL, with the header,
  /// goes before the statement and the call becomes `…TaskWithRequest:` with it. The
  /// shared session's configuration has the defaults of a new request (the protocol's
  /// cache policy, a 60 s timeout), so the request behaves as the URL task did.
  bool taskFix(const ObjCMessageExpr *ME, std::vector<RawEdit> &Edits, std::string &What) {
    const CompoundStmt *Block = nullptr;
    const Stmt *St = statementInBlock(ME, Block);
    std::string Sel = ME->getSelector().getAsString();
    if (!St || inMacro(St) || inMacro(ME) || ME->getNumArgs() < 1 || !Block) {
      What = "the " + Sel + " call is not in a statement of its own";
      return false;
    }
    // A name of its own: zohoRequest, or zohoRequest<line> when the function has several.
    std::string Block_ = stmtText(Block);
    unsigned Line = SM.getPresumedLineNumber(SM.getExpansionLoc(ME->getBeginLoc()));
    size_t Count = 0;
    for (size_t P = Block_.find("TaskWithURL:"); P != std::string::npos;
         P = Block_.find("TaskWithURL:", P + 1))
      ++Count;
    std::string N = "zohoRequest";
    if (Count > 1 || Block_.find(N) != std::string::npos)
      N += std::to_string(Line);
    if (Block_.find(N) != std::string::npos) {
      What = "the name " + N + " is taken in the block";
      return false;
    }
    std::string Url = sourceText(ME->getArg(0));
    CharSourceRange SR = fileRange(St);
    if (Url.empty() || SR.isInvalid()) {
      What = "the " + Sel + " call is in a macro";
      return false;
    }
    std::string Indent = indentOf(SR.getBegin());
    std::string Code = "NSMutableURLRequest *" + N + " = [NSMutableURLRequest requestWithURL:" +
                       Url + "];\n" + Indent + "[" + N +
                       " setValue:[NSString stringWithUTF8String:zoho_oauth_authorization_"
                       "header()] forHTTPHeaderField:@\"Authorization\"];";
    std::string Kind = llvm::StringRef(Sel).startswith("download") ? "downloadTaskWithRequest:"
                                                                   : "dataTaskWithRequest:";
    SourceLocation SelB = ME->getSelectorStartLoc();
    if (SelB.isMacroID() || !insertBefore(St, Code, Edits) ||
        !editFor(CharSourceRange::getCharRange(SelB, fileRange(ME->getArg(0)).getEnd()),
                 Kind + N, Edits)) {
      What = "the " + Sel + " call is in a macro";
      return false;
    }
    What = "sends the shared session's " + Sel.substr(0, Sel.find(':') + 1) + " as " + Kind +
           " with `" + N + "`, an NSMutableURLRequest of the URL carrying the OAuth header "
           "(zoho_oauth.h's C function zoho_oauth_authorization_header(): link zoho_oauth.cpp "
           "and the C++ library)";
    return true;
  }

  /// Gives the local NSMutableURLRequest \p R the OAuth header, in a new statement after
  /// \p After (the statement that gave it the URL).
  bool headerForObjCRequest(const VarDecl *R, const Stmt *After, std::vector<RawEdit> &Edits,
                            std::string &What) {
    std::string Name = R->getNameAsString();
    const CompoundStmt *Block = nullptr;
    const Stmt *St = After ? statementInBlock(After, Block) : nullptr;
    if (!St || inMacro(St)) {
      What = "the statement that gives the request `" + Name +
             "` its URL is not a statement of its own";
      return false;
    }
    for (unsigned U : Uses.lookup(canon(R))) {
      std::string T = stmtText(FEs[U].Root);
      if (T.find("zoho_oauth_authorization_header") != std::string::npos) {
        What = "the request `" + Name + "` carries the OAuth header (zoho_oauth.h)";
        return true;
      }
      if (findI(T, "authorization") != llvm::StringRef::npos) {
        What = "the request `" + Name + "` already sets an Authorization header";
        return false;
      }
    }
    if (!insertAfter(St,
                     "[" + Name +
                         " setValue:[NSString stringWithUTF8String:zoho_oauth_authorization_"
                         "header()] forHTTPHeaderField:@\"Authorization\"];",
                     Edits)) {
      What = "the request `" + Name + "` gets its URL in a macro";
      return false;
    }
    What = "sends the OAuth header (zoho_oauth.h's C function zoho_oauth_authorization_header(): "
           "link zoho_oauth.cpp and the C++ library) with the request `" + Name + "`";
    return true;
  }

  /// `[NSURLQueryItem queryItemWithName:@"scope" value:@"crmapi"]` (a dead legacy scope).
  bool isDeadScopeItem(const Expr *E) {
    const auto *ME = dyn_cast_or_null<ObjCMessageExpr>(E ? E->IgnoreParenImpCasts() : nullptr);
    if (!ME || ME->getNumArgs() != 2 || receiverClass(ME) != "NSURLQueryItem")
      return false;
    const StringLiteral *N = asLiteral(ME->getArg(0)), *V = asLiteral(ME->getArg(1));
    if (!N || !V || !literalUsable(N) || !literalUsable(V) ||
        !N->getString().equals_insensitive("scope"))
      return false;
    std::string Pair = "scope=" + V->getString().str();
    return deadScopeEnd(Pair, 0) == Pair.size();
  }

  /// Objective-C: `[NSURLQueryItem queryItemWithName:@"authtoken" value:t]` as an element
  /// of an array literal given to a local NSURLComponents' `queryItems` (directly or
  /// through a local array), or added with `[items addObject:…]` to a local NSMutableArray
  /// given to it: the item goes (with a dead `scope=…api` item beside it) and the
  /// NSMutableURLRequest the components' URL builds gets the header. False with the
  /// reason in \p Why when the item is one of these but is not fixed; \p Why stays empty
  /// for other code.
  bool objcQueryItemFix(const LitRec &L, std::vector<RawEdit> &Edits, std::string &Why) {
    if (!LO.ObjC || inMacro(L.SL))
      return false;
    const auto &Anc = L.Ancestors;
    int K = static_cast<int>(Anc.size()) - 1;
    while (K >= 0 && isWrapper(Anc[K]))
      --K;
    const auto *QI = K >= 0 ? dyn_cast<ObjCMessageExpr>(Anc[K]) : nullptr;
    if (!QI || QI->getNumArgs() != 2 || receiverClass(QI) != "NSURLQueryItem" ||
        !carries(QI->getArg(0), Carrier{L.SL, nullptr}))
      return false;
    Why = "the query item is not an element of an array literal given to the `queryItems` of "
          "a local NSURLComponents, nor added to a local array with addObject:";
    for (--K; K >= 0 && isWrapper(Anc[K]);)
      --K;
    const Stmt *P = K >= 0 ? Anc[K] : nullptr;
    const FullExpr &F = FEs[L.FE];
    auto localVar = [&](const Expr *E, llvm::StringRef Cls) -> const VarDecl * {
      const auto *V = dyn_cast_or_null<VarDecl>(E ? namedDecl(E) : nullptr);
      if (!V || !V->hasLocalStorage() || isa<ParmVarDecl>(V) || V->hasAttr<BlocksAttr>())
        return nullptr;
      const auto *PT = V->getType()->getAs<ObjCObjectPointerType>();
      const ObjCInterfaceDecl *ID = PT ? PT->getInterfaceDecl() : nullptr;
      return ID && ID->getIdentifier() && ID->getName() == Cls ? V : nullptr;
    };
    auto open = [](const Expr *E) {
      E = E->IgnoreParenImpCasts();
      if (const auto *OV = dyn_cast<OpaqueValueExpr>(E))
        return OV->getSourceExpr() ? OV->getSourceExpr()->IgnoreParenImpCasts() : E;
      return E;
    };
    // `c.queryItems = V` with c a local NSURLComponents: c.
    auto componentsOf = [&](const Stmt *S, const Expr *V) -> const VarDecl * {
      const auto *PO = dyn_cast_or_null<PseudoObjectExpr>(S);
      const auto *BO = PO ? dyn_cast<BinaryOperator>(PO->getSyntacticForm()) : nullptr;
      const auto *PR = BO ? dyn_cast<ObjCPropertyRefExpr>(BO->getLHS()->IgnoreParens()) : nullptr;
      if (!PR || BO->getOpcode() != BO_Assign || !PR->isObjectReceiver() ||
          !PR->isExplicitProperty() || PR->getExplicitProperty()->getName() != "queryItems" ||
          open(BO->getRHS()) != V->IgnoreParenImpCasts())
        return nullptr;
      return localVar(open(PR->getBase()), "NSURLComponents");
    };
    std::vector<RawEdit> Cut;
    const VarDecl *Items = nullptr, *Comps = nullptr;
    unsigned CompsFE = ~0u;
    if (const auto *AL = dyn_cast_or_null<ObjCArrayLiteral>(P)) {
      unsigned N = AL->getNumElements();
      std::vector<bool> Drop(N, false);
      bool Found = false;
      for (unsigned J = 0; J < N; ++J) {
        const Expr *E = AL->getElement(J)->IgnoreParenImpCasts();
        if (E == QI)
          Drop[J] = Found = true;
        else if (isDeadScopeItem(E))
          Drop[J] = true;
      }
      if (!Found || inMacro(AL))
        return false;
      int Up = K - 1;
      while (Up >= 0 && isWrapper(Anc[Up]))
        --Up;
      if (Up >= 0)
        Comps = componentsOf(Anc[Up], AL);
      else if (F.Root && open(cast<Expr>(F.Root)) == AL)
        Items = dyn_cast_or_null<VarDecl>(F.InitOf); // NSArray *items = @[…];
      if (Comps)
        CompsFE = L.FE;
      if (Items && (!Items->hasLocalStorage() || isa<ParmVarDecl>(Items) ||
                    Items->hasAttr<BlocksAttr>()))
        Items = nullptr;
      if (!Comps && !Items)
        return false;
      // The dropped elements with their commas; an array left empty becomes @[].
      unsigned Kept = N;
      for (unsigned J = 0; J < N && Kept == N; ++J)
        if (!Drop[J])
          Kept = J;
      bool Ok = true;
      if (Kept == N) {
        Ok = editFor(fileRange(AL), "@[]", Cut);
      } else {
        if (Kept > 0)
          Ok = editFor(CharSourceRange::getCharRange(fileRange(AL->getElement(0)).getBegin(),
                                                     fileRange(AL->getElement(Kept)).getBegin()),
                       "", Cut);
        for (unsigned J = Kept + 1; J < N && Ok; ++J)
          if (Drop[J])
            Ok = editFor(CharSourceRange::getCharRange(fileRange(AL->getElement(J - 1)).getEnd(),
                                                       fileRange(AL->getElement(J)).getEnd()),
                         "", Cut);
      }
      if (!Ok) {
        Why = "the query item is in a macro";
        return false;
      }
    } else if (const auto *Add = dyn_cast_or_null<ObjCMessageExpr>(P)) {
      if (Add->getSelector().getAsString() != "addObject:" || Add->getNumArgs() != 1 ||
          Add->getArg(0)->IgnoreParenImpCasts() != QI || !Add->getInstanceReceiver())
        return false;
      Items = localVar(Add->getInstanceReceiver(), "NSMutableArray");
      if (!Items) {
        Why = "the query item is added to an array that is not a local NSMutableArray";
        return false;
      }
      const CompoundStmt *Block = nullptr;
      if (statementInBlock(Add, Block) != Add || !removeStatement(Add, Cut)) {
        Why = "the addObject: call is not a statement of its own";
        return false;
      }
    } else {
      return false;
    }
    // A local array of items: its other uses add items, or give it to one NSURLComponents.
    if (Items) {
      for (unsigned U : Uses.lookup(canon(Items))) {
        const FullExpr &G = FEs[U];
        if (U == L.FE || G.InitOf == canon(Items))
          continue;
        std::string Line = std::to_string(SM.getPresumedLineNumber(G.Root->getBeginLoc()));
        const auto *E = dyn_cast_or_null<Expr>(G.Root);
        const auto *ME = E ? dyn_cast<ObjCMessageExpr>(E->IgnoreParenImpCasts()) : nullptr;
        if (ME && ME->getInstanceReceiver() && namedDecl(ME->getInstanceReceiver()) == canon(Items) &&
            llvm::StringRef(ME->getSelector().getAsString()).startswith("addObject")) {
          if (ME->getNumArgs() == 1 && isDeadScopeItem(ME->getArg(0))) {
            const CompoundStmt *Block = nullptr;
            if (statementInBlock(ME, Block) == ME)
              removeStatement(ME, Cut);
          }
          continue;
        }
        const Expr *Ref = nullptr;
        if (const auto *PO = dyn_cast_or_null<PseudoObjectExpr>(E))
          if (const auto *BO = dyn_cast<BinaryOperator>(PO->getSyntacticForm()))
            Ref = open(BO->getRHS());
        const VarDecl *CV = Ref && namedDecl(Ref) == canon(Items) ? componentsOf(E, Ref) : nullptr;
        if (!CV || (Comps && CV != Comps)) {
          Why = "the query items array `" + Items->getNameAsString() + "` is used at line " +
                Line + " in a way the fix does not follow";
          return false;
        }
        Comps = CV;
        CompsFE = U;
      }
      if (!Comps) {
        Why = "the query items array `" + Items->getNameAsString() +
              "` is not given to a local NSURLComponents";
        return false;
      }
    }
    // From the components to the request built from their URL.
    std::deque<std::pair<unsigned, Carrier>> Start;
    for (unsigned U : Uses.lookup(canon(Comps)))
      if (U != CompsFE && FEs[U].InitOf != canon(Comps) && FEs[U].Owner == F.Owner)
        Start.push_back({U, Carrier{nullptr, canon(Comps)}});
    if (Start.empty()) {
      Why = "the URL of the NSURLComponents `" + Comps->getNameAsString() + "` is not used";
      return false;
    }
    std::string Note;
    if (!requestFix(L, Edits, Note, CurlCall::SetUrl, std::move(Start))) {
      Why = Note;
      Edits.clear();
      return false;
    }
    llvm::StringRef N(Note);
    N.consume_front("removes authtoken= from the URL and ");
    Why = N.str();
    Edits.insert(Edits.end(), Cut.begin(), Cut.end());
    return true;
  }

  /// Gives the requests the URL literal \p L reaches the OAuth header: edits into
  /// \p Edits, a description into \p Note. False (with the reason in \p Note) when a
  /// request is not visible or not one the fix can edit. \p Sink: where the literal's
  /// value goes (CURLOPT_URL, or CURLOPT_POSTFIELDS for a form body).
  bool requestFix(const LitRec &L, std::vector<RawEdit> &Edits, std::string &Note,
                  CurlCall::Kind SinkKind = CurlCall::SetUrl,
                  std::deque<std::pair<unsigned, Carrier>> Start = {}) {
    const char *Thing = SinkKind == CurlCall::PostFields ? "body" : "URL";
    // Follow the URL's value to CURLOPT_URL: through local variables, and through the
    // returns of functions whose callers are all in this file.
    std::vector<const CurlCall *> Sinks;
    std::vector<const CXXMemberCallExpr *> HttplibSinks;
    std::vector<const VarDecl *> RequestSinks;
    std::vector<std::pair<const VarDecl *, const Stmt *>> ObjCSinks;
    std::vector<const ObjCMessageExpr *> TaskSinks;
    bool BodySink = false; ///< a cpp-httplib form body rather than a path
    std::string Escape;
    std::deque<std::pair<unsigned, Carrier>> Q =
        Start.empty() ? std::deque<std::pair<unsigned, Carrier>>{{L.FE, Carrier{L.SL, nullptr}}}
                      : std::move(Start);
    std::set<std::pair<unsigned, const Decl *>> Seen;
    unsigned Budget = 200;
    while (!Q.empty() && Budget-- && Escape.empty()) {
      auto [X, C] = Q.front();
      Q.pop_front();
      if (!Seen.insert({X, C.D}).second)
        continue;
      const FullExpr &F = FEs[X];
      bool Sunk = false;
      for (const CurlCall &CC : CurlCalls)
        if (CC.K == SinkKind && CC.FE == X && carries(CC.Call->getArg(2), C)) {
          Sinks.push_back(&CC);
          Sunk = true;
        }
      if (Sunk)
        continue;
      // cpp-httplib's cli.Get(path, …), a Qt/Poco/Beast request object built
      // with the URL (or given it by setUrl/target/setURI): only for a URL, in
      // C++.
      if (SinkKind == CurlCall::SetUrl && LO.CPlusPlus) {
        if (const CXXMemberCallExpr *HC = httplibCall(F.Root, C)) {
          HttplibSinks.push_back(HC);
          BodySink = BodySink || !carries(HC->getArg(0), C);
          continue;
        }
        if (const VarDecl *RV = requestTaking(F, C)) {
          RequestSinks.push_back(RV);
          continue;
        }
      }
      // Objective-C: Foundation's URL values, and the NSMutableURLRequest built from them.
      if (SinkKind == CurlCall::SetUrl && LO.ObjC) {
        std::vector<const VarDecl *> Reqs;
        std::vector<const Decl *> Follow;
        std::vector<const ObjCMessageExpr *> Tasks;
        Escape = objcFlow(X, F.Root, C, Reqs, Follow, Tasks);
        if (!Escape.empty())
          break;
        for (const VarDecl *R : Reqs)
          ObjCSinks.push_back({R, F.Root});
        TaskSinks.insert(TaskSinks.end(), Tasks.begin(), Tasks.end());
        if (!Tasks.empty())
          continue;
        for (const Decl *D : Follow)
          for (unsigned U : Uses.lookup(D))
            if (U != X && FEs[U].Owner == F.Owner && FEs[U].InitOf != D)
              Q.push_back({U, Carrier{nullptr, D}});
        if (!Reqs.empty() || !Follow.empty())
          continue;
      }
      Escape = escapeIn(F.Root, C, LO.ObjC);
      if (!Escape.empty())
        break;
      const Decl *W = writtenVar(X);
      if (W && W != C.D) {
        if (inSystemHeader(W))
          continue; // std::cout << url
        if (!isLocalVar(W)) {
          Escape = std::string("the ") + Thing + " is stored in `" + declName(W) +
                   "`, outside the function";
          break;
        }
        auto It = Uses.find(W);
        if (It != Uses.end())
          for (unsigned U : It->second)
            if (U != X && FEs[U].Owner == F.Owner)
              Q.push_back({U, Carrier{nullptr, W}});
        continue;
      }
      if (F.Parent && isa<ReturnStmt>(F.Parent) && F.Owner) {
        const auto *FD = dyn_cast<FunctionDecl>(F.Owner);
        if (!FD || FD->isExternallyVisible() || isa<CXXMethodDecl>(FD)) {
          Escape = std::string("the ") + Thing + " is returned by " + declName(F.Owner) +
                   "(), which code in other files may call";
          break;
        }
        auto It = Calls.find(canon(F.Owner));
        if (It == Calls.end() || It->second.empty()) {
          Escape = declName(F.Owner) + "() is not called in this file";
          break;
        }
        for (unsigned U : It->second)
          Q.push_back({U, Carrier{nullptr, canon(F.Owner)}});
      }
    }
    if (Escape.empty() && !Q.empty())
      Escape = std::string("the ") + Thing + "'s uses are too many to follow";
    if (Escape.empty() && Sinks.empty() && HttplibSinks.empty() &&
        RequestSinks.empty() && ObjCSinks.empty() && TaskSinks.empty())
      Escape = std::string("the request that uses this ") + Thing +
               " is not visible in the same function";
    if (!Escape.empty()) {
      Note = Escape;
      return false;
    }
    // One header per (function, handle).
    std::set<std::pair<const Decl *, const Decl *>> Done;
    std::vector<std::string> Descr;
    for (const CurlCall *S : Sinks) {
      const Decl *Fn = FEs[S->FE].Owner;
      const Decl *H = namedDecl(S->Call->getArg(0));
      if (!H) {
        Note = "the curl handle of the request is not a variable";
        return false;
      }
      if (!Done.insert({Fn, H}).second)
        continue;
      std::string Handle = sourceText(S->Call->getArg(0));
      std::string What;
      if (!headerForHandle(S, Fn, H, Handle, Edits, What)) {
        Note = What;
        return false;
      }
      Descr.push_back(What);
    }
    for (const CXXMemberCallExpr *HC : HttplibSinks) {
      std::string What;
      if (!headerForHttplib(HC, Edits, What)) {
        Note = What;
        return false;
      }
      Descr.push_back(What);
    }
    std::set<const VarDecl *> ReqDone;
    for (const VarDecl *RV : RequestSinks) {
      if (!ReqDone.insert(RV).second)
        continue;
      std::string What;
      if (!headerForRequest(RV, Edits, What)) {
        Note = What;
        return false;
      }
      Descr.push_back(What);
    }
    for (auto [RV, At] : ObjCSinks) {
      if (!ReqDone.insert(RV).second)
        continue;
      std::string What;
      if (!headerForObjCRequest(RV, At, Edits, What)) {
        Note = What;
        return false;
      }
      Descr.push_back(What);
    }
    std::set<const ObjCMessageExpr *> TaskDone;
    for (const ObjCMessageExpr *T : TaskSinks) {
      if (!TaskDone.insert(T).second)
        continue;
      std::string What;
      if (!taskFix(T, Edits, What)) {
        Note = What;
        return false;
      }
      Descr.push_back(What);
    }
    Note = std::string(SinkKind == CurlCall::PostFields ? "removes authtoken= from the "
                                                          "CURLOPT_POSTFIELDS body and "
                       : BodySink ? "removes authtoken= from the cpp-httplib form body and "
                                  : "removes authtoken= from the URL and ") +
           llvm::join(Descr, "; ");
    return true;
  }

  /// Does a call in \p Root that receives the handle (\p C) possibly set its
  /// CURLOPT_HTTPHEADER? Functions of this file are looked into (a few levels deep); a
  /// function without a visible body may.
  bool handleMaySetHeaders(const Stmt *Root, const Carrier &C, int Depth) {
    if (!Root)
      return false;
    const Decl *Callee = nullptr;
    bool Receives = false;
    if (const auto *CE = dyn_cast<CallExpr>(Root)) {
      Callee = CE->getCalleeDecl();
      for (const Expr *A : CE->arguments())
        Receives |= carries(A, C);
    } else if (const auto *CC = dyn_cast<CXXConstructExpr>(Root)) {
      Callee = CC->getConstructor();
      for (const Expr *A : CC->arguments())
        Receives |= carries(A, C);
    } else if (const auto *ME = dyn_cast<ObjCMessageExpr>(Root)) {
      for (const Expr *A : ME->arguments())
        if (carries(A, C))
          return true;
    }
    if (Receives && functionMaySetHeaders(Callee, Depth))
      return true;
    for (const Stmt *Ch : Root->children())
      if (handleMaySetHeaders(Ch, C, Depth))
        return true;
    return false;
  }

  bool functionMaySetHeaders(const Decl *Callee, int Depth) {
    const auto *FD = dyn_cast_or_null<FunctionDecl>(Callee);
    if (!FD)
      return true; // a call through a pointer
    if (inSystemHeader(FD) ||
        (FD->getIdentifier() && FD->getName().startswith("curl_") &&
         FD->getName() != "curl_easy_reset"))
      return false;
    const FunctionDecl *Def = nullptr;
    if (!FD->hasBody(Def) || !Def || Depth >= 4)
      return true;
    const Decl *Owner = canon(Def);
    for (const CurlCall &CC : CurlCalls)
      if (CC.K == CurlCall::SetHeaders && FEs[CC.FE].Owner == Owner)
        return true;
    // Any call it makes to other code might; look one level further.
    struct Calls : RecursiveASTVisitor<Calls> {
      std::vector<const Decl *> Callees;
      bool Other = false;
      bool VisitCallExpr(CallExpr *CE) {
        Callees.push_back(CE->getCalleeDecl());
        return true;
      }
      bool VisitObjCMessageExpr(ObjCMessageExpr *) {
        Other = true;
        return true;
      }
    } V;
    V.TraverseStmt(Def->getBody());
    if (V.Other)
      return true;
    for (const Decl *D : V.Callees)
      if (functionMaySetHeaders(D, Depth + 1))
        return true;
    return false;
  }

  /// Adds the OAuth header line to the request of handle \p H (variable \p Handle) in
  /// function \p Fn whose URL is set by \p Sink.
  bool headerForHandle(const CurlCall *Sink, const Decl *Fn, const Decl *H,
                       const std::string &Handle, std::vector<RawEdit> &Edits,
                       std::string &What) {
    std::vector<const CurlCall *> Sets = curlCalls(CurlCall::SetHeaders, Fn, H);
    const CompoundStmt *UrlBlock = nullptr;
    const Stmt *UrlStmt = statementInBlock(Sink->Call, UrlBlock);
    if (!UrlStmt) {
      What = "the CURLOPT_URL call is not a statement of its own (inside a condition?)";
      return false;
    }
    if (Sets.size() > 1) {
      What = "`" + Handle + "` gets CURLOPT_HTTPHEADER more than once";
      return false;
    }
    if (Sets.size() == 1) {
      const CallExpr *Set = Sets[0]->Call;
      const Decl *List = namedDecl(Set->getArg(2));
      const auto *LV = dyn_cast_or_null<VarDecl>(List);
      if (!LV || !LV->hasLocalStorage() || LV->getType().isConstQualified()) {
        What = "the CURLOPT_HTTPHEADER list of `" + Handle + "` is not a local variable";
        return false;
      }
      const CompoundStmt *SetBlock = nullptr;
      const Stmt *SetStmt = statementInBlock(Set, SetBlock);
      if (!SetStmt || !within(UrlStmt->getBeginLoc(), SetBlock)) {
        What = "CURLOPT_HTTPHEADER of `" + Handle + "` is set conditionally";
        return false;
      }
      std::string ListName = LV->getNameAsString();
      bool HasOAuth = false;
      for (const CurlCall *A : appendsTo(Fn, List)) {
        const Expr *Arg = A->Call->getArg(1);
        if (mentions(Arg, "zoho-oauthtoken", "authorization_header_line")) {
          HasOAuth = true;
          continue;
        }
        if (mentions(Arg, "zoho-authtoken", "")) {
          // The list also sends the legacy header: its fix is part of this one.
          std::string Why;
          if (!headerFixForAppend(A->Call, Edits, Why)) {
            What = "the header list `" + ListName + "` also sends a Zoho-authtoken header: " + Why;
            return false;
          }
          HasOAuth = true;
        }
      }
      if (HasOAuth) {
        What = "the header list `" + ListName + "` of `" + Handle +
               "` carries the OAuth header (zoho_oauth.h)";
        return true;
      }
      if (!insertBefore(SetStmt,
                        ListName + " = curl_slist_append(" + ListName + ", " + helperLine() + ");",
                        Edits)) {
        What = "the CURLOPT_HTTPHEADER call is in a macro";
        return false;
      }
      What = "adds the OAuth header line (zoho_oauth.h) to the header list `" + ListName +
             "` of `" + Handle + "`";
      return true;
    }
    // No header list yet: create one right after CURLOPT_URL, unless something else may
    // set the handle's headers (the handle comes from outside, or goes to another function).
    if (!isLocalVar(H) || isa<ParmVarDecl>(H)) {
      What = "the curl handle `" + Handle + "` comes from outside this function, where its "
             "CURLOPT_HTTPHEADER list (if any) is not visible";
      return false;
    }
    for (unsigned U : Uses.lookup(H))
      if (FEs[U].Owner == Fn && handleMaySetHeaders(FEs[U].Root, Carrier{nullptr, H}, 0)) {
        What = "the curl handle `" + Handle + "` is also given to other code that may set "
               "its headers";
        return false;
      }
    // The first CURLOPT_URL of the handle in the function takes the list (identical edits
    // for every URL of the handle).
    const CurlCall *First = Sink;
    for (const CurlCall *U : curlCalls(CurlCall::SetUrl, Fn, H))
      if (before(U->Call->getBeginLoc(), First->Call->getBeginLoc()))
        First = U;
    const CompoundStmt *Block = nullptr;
    const Stmt *At = statementInBlock(First->Call, Block);
    if (!At || !within(UrlStmt->getBeginLoc(), Block)) {
      What = "the handle `" + Handle + "` gets its URL in more than one block";
      return false;
    }
    std::string Var = "zoho_headers";
    const auto *FnD = dyn_cast<FunctionDecl>(Fn);
    if (FnD && FnD->getBody()) {
      llvm::StringRef Body = Lexer::getSourceText(
          CharSourceRange::getTokenRange(FnD->getBody()->getSourceRange()), SM, LO);
      while (Body.contains(Var))
        Var += "_";
    }
    std::string Null = LO.CPlusPlus11 ? "nullptr"
                       : Ctx.Idents.get("NULL").hasMacroDefinition() ? "NULL" : "0";
    if (!insertAfter(At, "struct curl_slist *" + Var + " = curl_slist_append(" + Null + ", " +
                             helperLine() + ");\n" + indentOf(fileRange(At).getBegin()) +
                             "curl_easy_setopt(" + Handle + ", CURLOPT_HTTPHEADER, " + Var + ");",
                     Edits)) {
      What = "the CURLOPT_URL call is in a macro";
      return false;
    }
    unsigned Freed = 0;
    for (const CurlCall *C : curlCalls(CurlCall::Cleanup, Fn, H)) {
      if (before(C->Call->getBeginLoc(), At->getBeginLoc()) || !within(C->Call->getBeginLoc(), Block))
        continue;
      const CompoundStmt *CB = nullptr;
      const Stmt *CS = statementInBlock(C->Call, CB);
      if (CS && insertAfter(CS, "curl_slist_free_all(" + Var + ");", Edits))
        ++Freed;
    }
    What = "creates the header list `" + Var + "` with the OAuth header line (zoho_oauth.h) "
           "for `" + Handle + "`";
    if (!Freed)
      What += "; the list is not freed (no curl_easy_cleanup(" + Handle +
              ") after it in the same block): add curl_slist_free_all(" + Var +
              ") after the request";
    else
      What += ", freed after curl_easy_cleanup(" + Handle + ")";
    return true;
  }

  /// The call \p Name(…) among \p L's ancestors whose argument \p Arg contains the
  /// literal.
  const CallExpr *enclosingCallArg(const LitRec &L, llvm::StringRef Name, unsigned Arg) {
    for (int K = static_cast<int>(L.Ancestors.size()) - 1; K >= 0; --K) {
      const auto *CE = dyn_cast<CallExpr>(L.Ancestors[K]);
      if (!CE)
        continue;
      const FunctionDecl *FD = CE->getDirectCallee();
      if (!FD || !FD->getIdentifier() || FD->getName() != Name || CE->getNumArgs() <= Arg)
        continue;
      const Stmt *Child = static_cast<size_t>(K + 1) < L.Ancestors.size()
                              ? L.Ancestors[K + 1]
                              : static_cast<const Stmt *>(L.SL);
      if (Child == CE->getArg(Arg))
        return CE;
    }
    return nullptr;
  }

  /// param detector context: is the "authtoken" literal the key of a parameter
  /// container or a name argument?
  bool isParamKeyContext(const LitRec &L) {
    const Stmt *Cur = L.SL;
    for (int K = static_cast<int>(L.Ancestors.size()) - 1; K >= 0; --K) {
      const Stmt *P = L.Ancestors[K];
      if (isWrapper(P)) {
        Cur = P;
        continue;
      }
      if (isa<InitListExpr>(P) || isa<ObjCDictionaryLiteral>(P))
        return true;
      if (const auto *CE = dyn_cast<CXXConstructExpr>(P))
        return CE->getNumArgs() >= 2;
      if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(P)) {
        if (OC->getOperator() != OO_Subscript || OC->getNumArgs() != 2 || OC->getArg(1) != Cur)
          return false;
        // params["authtoken"] = …
        if (K > 0) {
          const Stmt *G = L.Ancestors[K - 1];
          for (int J = K - 1; J > 0 && isWrapper(G); --J)
            G = L.Ancestors[J - 1];
          if (const auto *GO = dyn_cast<CXXOperatorCallExpr>(G))
            return GO->getOperator() == OO_Equal;
          if (const auto *GB = dyn_cast<BinaryOperator>(G))
            return GB->getOpcode() == BO_Assign;
        }
        return false;
      }
      if (const auto *CE = dyn_cast<CallExpr>(P)) {
        const FunctionDecl *FD = CE->getDirectCallee();
        if (!FD || !FD->getIdentifier())
          return false;
        llvm::StringRef N = FD->getName();
        static const char *const Readers[] = {
            "strcmp", "strncmp", "strcasecmp", "strncasecmp", "getenv", "secure_getenv",
            "find",   "count",   "contains",   "value",       "get",    "at",
            "compare", "remove", "erase",      "hasQueryItem", "queryItemValue",
            "removeQueryItem", "strstr", "qgetenv", "starts_with", "ends_with"};
        for (const char *R : Readers)
          if (N == R)
            return false;
        return CE->getNumArgs() >= 2;
      }
      if (const auto *ME = dyn_cast<ObjCMessageExpr>(P))
        return ME->getNumArgs() >= 2;
      return false;
    }
    return false;
  }

  void detectLiteral(const LitRec &L, const std::set<const StringLiteral *> &PostSet) {
    const StringLiteral *SL = L.SL;
    llvm::StringRef S = SL->getString();
    // Header: the Zoho-authtoken scheme.
    if (DS.Header || DS.Hardcoded) {
      for (size_t I = findI(S, "zoho-authtoken"); I != llvm::StringRef::npos;
           I = findI(S, "zoho-authtoken", I + 1)) {
        if (I + 14 < S.size() && (llvm::isAlnum(S[I + 14]) || S[I + 14] == '_'))
          continue;
        if (DS.Header) {
          std::vector<RawEdit> Edits;
          std::string Note, Why;
          if (const CallExpr *Append = appendOfHeader(L)) {
            // The whole header line ("Authorization: Zoho-oauthtoken …") from the
            // generated helper (authtoken-migrate helper --lang cpp); curl copies it.
            if (headerFixForAppend(Append, Edits, Why))
              Note = "the header line given to curl_slist_append becomes the OAuth one "
                     "from zoho_oauth.h";
            else
              Edits.clear();
          } else if (headerValueFix(L, I, Edits, Why)) {
            bool C = !Edits.empty() && llvm::StringRef(Edits.back().Text).contains("UTF8String");
            Note = std::string("the Authorization header value becomes the OAuth one from "
                               "zoho_oauth.h (") +
                   (C ? "its C function zoho_oauth_authorization_header(): link zoho_oauth.cpp "
                        "and the C++ library"
                      : "zoho_oauth::default_manager().authorization_header()") +
                   ", read when the request is built; no 401 retry)";
          } else {
            Edits.clear();
          }
          if (Edits.empty())
            Note = "no automatic fix: " + Why + "; send `Authorization: Zoho-oauthtoken <token>` (zoho_oauth.h) "
                         "instead";
          hit(HeaderRule, byteLoc(SL, I), 14, nullptr, std::move(Edits), Note);
        }
        if (DS.Hardcoded) {
          size_t V = I + 14;
          while (V < S.size() && (S[V] == ' ' || S[V] == '\t'))
            ++V;
          size_t N = tokenRun(S.substr(V));
          if (V > I + 14 && isTokenValue(S.substr(V, N)))
            hit(HardcodedRule, byteLoc(SL, V), N);
        }
      }
    }
    if (DS.Generation)
      for (size_t I = findI(S, "apiauthtoken/nb/create"); I != llvm::StringRef::npos;
           I = findI(S, "apiauthtoken/nb/create", I + 1))
        hit(GenerationRule, byteLoc(SL, I), 22);
    // Query parameter / form body.
    if (DS.Url || DS.Param || DS.Hardcoded) {
      std::optional<Reach> R;
      for (size_t I = findUrlParam(S, 0); I != llvm::StringRef::npos;
           I = findUrlParam(S, I + 1)) {
        if (!R)
          R = reach(L.FE);
        if (!R->Zoho)
          break;
        bool Form = PostSet.count(SL) != 0;
        if (Form ? DS.Param : DS.Url) {
          std::vector<RawEdit> Edits;
          std::string Note;
          if (!Form) {
            Edits = urlFix(L, I);
            if (Edits.empty())
              Note = inMacro(SL) ? "the URL is in a macro"
                                 : "this form of URL (a format string, or an unusual "
                                   "concatenation) cannot be cut automatically";
            else if (!requestFix(L, Edits, Note))
              Edits.clear();
            if (Edits.empty())
              Note = "no automatic fix: " + Note +
                     "; add the header `Authorization: Zoho-oauthtoken <token>` from "
                     "zoho_oauth.h to that request, then remove authtoken=";
          } else {
            // A CURLOPT_POSTFIELDS body: the authtoken=… pair goes with its '&' (the rest
            // of the body stays) and the same request gets the header, as for a URL.
            Edits = urlFix(L, I);
            if (Edits.empty())
              Note = inMacro(SL) ? "the body is in a macro"
                                 : "this form of body (the token alone, a format string, "
                                   "or an unusual concatenation) cannot be cut automatically";
            else if (!requestFix(L, Edits, Note, CurlCall::PostFields))
              Edits.clear();
            if (Edits.empty())
              Note = "no automatic fix: " + Note +
                     "; add the header `Authorization: Zoho-oauthtoken <token>` from "
                     "zoho_oauth.h to that request, then remove authtoken= from the body";
          }
          hit(Form ? ParamRule : UrlRule, byteLoc(SL, I), 9, &*R, std::move(Edits), Note);
        }
        size_t N = tokenRun(S.substr(I + 10));
        if (DS.Hardcoded && isTokenValue(S.substr(I + 10, N)))
          hit(HardcodedRule, byteLoc(SL, I + 10), N, &*R);
      }
    }
    // Parameter containers: {"authtoken", t}, addQueryItem("authtoken", t), …
    if ((DS.Param || DS.Hardcoded) && S.equals_insensitive("authtoken") &&
        isParamKeyContext(L)) {
      Reach R = reach(L.FE);
      if (R.Zoho) {
        if (DS.Param) {
          std::vector<RawEdit> Edits;
          std::string Why, Note;
          if (cprParamFix(L, Edits, Why))
            Note = "removes the authtoken pair from the cpr parameters and sends the "
                   "`Authorization` header from zoho_oauth.h in cpr::Header (read when the "
                   "request is built; no 401 retry)";
          else if (Why.empty() &&
                   (Edits.clear(), queryObjectFix(L, Edits, Why)))
            Note = "removes the authtoken query parameter and " + Why +
                   " (read when the request is built; no 401 retry)";
          else if (Why.empty() && (Edits.clear(), httplibParamsFix(L, Edits, Why)))
            Note = "removes the authtoken parameter from the cpp-httplib Params and " + Why +
                   " (read when the request is built; no 401 retry)";
          else if (Why.empty() && (Edits.clear(), objcQueryItemFix(L, Edits, Why)))
            Note = "removes the authtoken query item and " + Why +
                   " (read when the request is built; no 401 retry)";
          else if (!Why.empty())
            Note = "no automatic fix: " + Why + "; send the header `Authorization: "
                   "Zoho-oauthtoken <token>` (zoho_oauth.h) with that request, then remove "
                   "the authtoken parameter";
          if (Note.empty() || Edits.empty())
            Edits.clear();
          hit(ParamRule, byteLoc(SL, 0), 9, &R, std::move(Edits), Note);
        }
        if (DS.Hardcoded)
          hardcodedSibling(L, R);
      }
    }
  }

  /// {"authtoken", "<value>"}: the value next to the key.
  void hardcodedSibling(const LitRec &L, const Reach &R) {
    for (int K = static_cast<int>(L.Ancestors.size()) - 1; K >= 0; --K) {
      const Stmt *P = L.Ancestors[K];
      if (isWrapper(P))
        continue;
      for (const Stmt *C : P->children()) {
        const auto *E = dyn_cast_or_null<Expr>(C);
        const StringLiteral *V = E ? asLiteral(E) : nullptr;
        if (V && V != L.SL && literalUsable(V) && isTokenValue(V->getString()))
          hit(HardcodedRule, byteLoc(V, 0), V->getLength(), &R);
      }
      return;
    }
  }

  void detectNamedInits() {
    if (!DS.Hardcoded)
      return;
    for (const StringLiteral *SL : NamedInits) {
      if (!literalUsable(SL) || !isTokenValue(SL->getString()))
        continue;
      hit(HardcodedRule, byteLoc(SL, 0), SL->getLength());
    }
  }

  void run() {
    // CURLOPT_POSTFIELDS bodies: the literals they are built from are form bodies.
    std::set<const StringLiteral *> PostSet;
    for (auto &[FEIdx, Body] : PostFields) {
      std::vector<bool> Seen(FEs.size(), false);
      std::deque<unsigned> Q;
      // Start from the literals and variables of the body argument only.
      struct BodyScan : RecursiveASTVisitor<BodyScan> {
        std::vector<const StringLiteral *> Lits;
        std::vector<const Decl *> Refs;
        bool VisitStringLiteral(StringLiteral *S) {
          Lits.push_back(S);
          return true;
        }
        bool VisitDeclRefExpr(DeclRefExpr *E) {
          Refs.push_back(E->getDecl()->getCanonicalDecl());
          return true;
        }
        bool VisitMemberExpr(MemberExpr *E) {
          // A field holds the body; a method (`body.c_str()`) does not: its uses are
          // every call of it, URLs included.
          if (!isa<CXXMethodDecl>(E->getMemberDecl()))
            Refs.push_back(E->getMemberDecl()->getCanonicalDecl());
          return true;
        }
      } BS;
      BS.TraverseStmt(const_cast<Expr *>(Body));
      for (const StringLiteral *SL : BS.Lits)
        PostSet.insert(SL);
      for (const Decl *D : BS.Refs) {
        auto It = Uses.find(D);
        if (It == Uses.end())
          continue;
        for (unsigned I : It->second)
          if (I != FEIdx) // the body variable's definition and appends, not the call
            for (const StringLiteral *SL : FEs[I].Lits)
              PostSet.insert(SL);
      }
    }
    for (const LitRec &L : Lits)
      detectLiteral(L, PostSet);
    detectNamedInits();
  }
};

/// Walks the declarations outside system headers, recording full expressions, uses
/// and the literals the detectors look at.
class Collector : public RecursiveASTVisitor<Collector> {
public:
  explicit Collector(Analysis &A) : A(A), SM(A.SM) {}

  bool TraverseDecl(Decl *D) {
    if (!D)
      return true;
    if (!isa<TranslationUnitDecl>(D) && D->getLocation().isValid() &&
        SM.isInSystemHeader(D->getLocation()))
      return true;
    const Decl *SavedOwner = Owner;
    if (isa<FunctionDecl>(D) || isa<ObjCMethodDecl>(D))
      Owner = D->getCanonicalDecl();
    // Statements inside a declaration that sits inside an expression (a lambda, a
    // block) start their own full expressions.
    std::vector<Frame> Saved;
    Saved.swap(Stack);
    bool R = RecursiveASTVisitor::TraverseDecl(D);
    Stack.swap(Saved);
    Owner = SavedOwner;
    return R;
  }

  bool dataTraverseStmtPre(Stmt *S) {
    unsigned FE = Stack.empty() ? ~0u : Stack.back().FE;
    bool ParentIsExpr = !Stack.empty() && isa<Expr>(Stack.back().S);
    if (isa<Expr>(S) && !ParentIsExpr) {
      FullExpr F;
      F.Root = S;
      F.Parent = Stack.empty() ? nullptr : Stack.back().S;
      F.Owner = Owner;
      FE = A.FEs.size();
      bool IsReturn = F.Parent && isa<ReturnStmt>(F.Parent);
      A.FEs.push_back(std::move(F));
      if (IsReturn && Owner)
        A.Returns[Owner].push_back(FE);
      auto It = A.InitOwner.find(S);
      if (It != A.InitOwner.end()) {
        addRef(It->second, FE);
        A.FEs[FE].InitOf = It->second;
      }
    }
    Stack.push_back({S, FE});
    return true;
  }

  bool dataTraverseStmtPost(Stmt *S) {
    if (!Stack.empty())
      Stack.pop_back();
    return true;
  }

  bool VisitStringLiteral(StringLiteral *SL) {
    if (Stack.empty() || Stack.back().FE == ~0u)
      return true;
    unsigned FE = Stack.back().FE;
    A.FEs[FE].Lits.push_back(SL);
    if (!literalUsable(SL))
      return true;
    llvm::StringRef S = SL->getString();
    if (findI(S, "authtoken") == llvm::StringRef::npos)
      return true;
    LitRec L{SL, FE, {}};
    // Ancestors from the full expression's root to the literal's parent.
    size_t First = Stack.size() - 1;
    while (First > 0 && Stack[First - 1].FE == FE)
      --First;
    for (size_t I = First; I + 1 < Stack.size(); ++I)
      L.Ancestors.push_back(Stack[I].S);
    A.Lits.push_back(std::move(L));
    return true;
  }

  bool VisitDeclRefExpr(DeclRefExpr *E) {
    if (Stack.empty() || Stack.back().FE == ~0u)
      return true;
    addRef(E->getDecl()->getCanonicalDecl(), Stack.back().FE);
    return true;
  }

  bool VisitMemberExpr(MemberExpr *E) {
    if (Stack.empty() || Stack.back().FE == ~0u)
      return true;
    addRef(E->getMemberDecl()->getCanonicalDecl(), Stack.back().FE);
    return true;
  }

  bool VisitObjCIvarRefExpr(ObjCIvarRefExpr *E) {
    if (Stack.empty() || Stack.back().FE == ~0u)
      return true;
    addRef(E->getDecl()->getCanonicalDecl(), Stack.back().FE);
    return true;
  }

  bool VisitObjCPropertyRefExpr(ObjCPropertyRefExpr *E) {
    if (Stack.empty() || Stack.back().FE == ~0u || !E->isExplicitProperty())
      return true;
    addRef(E->getExplicitProperty()->getCanonicalDecl(), Stack.back().FE);
    return true;
  }

  bool VisitCallExpr(CallExpr *CE) {
    if (Stack.empty() || Stack.back().FE == ~0u)
      return true;
    unsigned FE = Stack.back().FE;
    if (const FunctionDecl *FD = CE->getDirectCallee()) {
      const Decl *C = FD->getCanonicalDecl();
      A.Calls[C].push_back(FE);
      llvm::StringRef Fn = FD->getIdentifier() ? FD->getName() : "";
      if (Fn == "curl_easy_setopt" && CE->getNumArgs() >= 3)
        if (const auto *DR = dyn_cast<DeclRefExpr>(CE->getArg(1)->IgnoreImpCasts()))
          if (DR->getDecl()->getIdentifier()) {
            llvm::StringRef N = DR->getDecl()->getName();
            if (N == "CURLOPT_POSTFIELDS" || N == "CURLOPT_COPYPOSTFIELDS") {
              A.PostFields.push_back({FE, CE->getArg(2)});
              A.CurlCalls.push_back({CurlCall::PostFields, CE, FE});
            }
            else if (N == "CURLOPT_URL")
              A.CurlCalls.push_back({CurlCall::SetUrl, CE, FE});
            else if (N == "CURLOPT_HTTPHEADER")
              A.CurlCalls.push_back({CurlCall::SetHeaders, CE, FE});
          }
      if (Fn == "curl_easy_cleanup" && CE->getNumArgs() == 1)
        A.CurlCalls.push_back({CurlCall::Cleanup, CE, FE});
      if (Fn == "curl_slist_append" && CE->getNumArgs() == 2)
        A.CurlCalls.push_back({CurlCall::Append, CE, FE});
    }
    return true;
  }

  bool VisitObjCMessageExpr(ObjCMessageExpr *ME) {
    if (Stack.empty() || Stack.back().FE == ~0u)
      return true;
    if (const ObjCMethodDecl *MD = ME->getMethodDecl()) {
      A.FEs[Stack.back().FE].Refs.push_back(MD->getCanonicalDecl());
      A.Calls[MD->getCanonicalDecl()].push_back(Stack.back().FE);
    }
    return true;
  }

  bool VisitVarDecl(VarDecl *VD) { return recordInit(VD, VD->getInit()); }
  bool VisitFieldDecl(FieldDecl *FD) { return recordInit(FD, FD->getInClassInitializer()); }

  /// The initialiser is a use of \p D; an authtoken-named one holding a literal is a
  /// hard-coded candidate.
  bool recordInit(const ValueDecl *D, const Expr *Init) {
    if (!Init)
      return true;
    A.InitOwner[Init] = D->getCanonicalDecl();
    if (D->getIdentifier() && isAuthtokenName(D->getName()))
      if (const StringLiteral *SL = asLiteral(Init))
        A.NamedInits.push_back(SL);
    return true;
  }

  bool TraverseConstructorInitializer(CXXCtorInitializer *Init) {
    // base_("https://…") in a constructor: a use of the field.
    if (Init && Init->getMember() && Init->getInit()) {
      A.InitOwner[Init->getInit()] = Init->getMember()->getCanonicalDecl();
    }
    return RecursiveASTVisitor::TraverseConstructorInitializer(Init);
  }

private:
  struct Frame {
    Stmt *S;
    unsigned FE;
  };
  Analysis &A;
  SourceManager &SM;
  std::vector<Frame> Stack;
  const Decl *Owner = nullptr;

  void addRef(const Decl *D, unsigned FE) {
    A.FEs[FE].Refs.push_back(D);
    auto &V = A.Uses[D];
    if (V.empty() || V.back() != FE)
      V.push_back(FE);
  }
};

/// `#define`s: hard-coded token values, and header / generation / URL literals in
/// macro bodies (reported at their spelling, also when the macro is never expanded).
class MacroWatcher : public PPCallbacks {
public:
  MacroWatcher(Preprocessor &PP, const Catalog &Cat, const DetectorSet &DS,
               std::vector<std::tuple<SourceLocation, unsigned, const char *>> &Hits)
      : PP(PP), Cat(Cat), DS(DS), Hits(Hits) {}

  void MacroDefined(const Token &NameTok, const MacroDirective *MD) override {
    SourceManager &SM = PP.getSourceManager();
    SourceLocation Loc = NameTok.getLocation();
    if (Loc.isInvalid() || SM.isInSystemHeader(Loc))
      return;
    if (!SM.getFileEntryForID(SM.getFileID(Loc)))
      return; // <built-in>, command line
    const MacroInfo *MI = MD->getMacroInfo();
    if (!MI || MI->getNumTokens() == 0)
      return;
    std::vector<std::pair<SourceLocation, llvm::StringRef>> Strs;
    std::string All;
    for (const Token &T : MI->tokens()) {
      if (!tok::isStringLiteral(T.getKind()))
        continue;
      const char *P = SM.getCharacterData(T.getLocation());
      llvm::StringRef Sp(P, T.getLength());
      size_t Q = Sp.find('"');
      if (Q == llvm::StringRef::npos || Sp.back() != '"' || Q + 1 >= Sp.size())
        continue;
      if (Sp.substr(0, Q).contains('R'))
        continue; // raw strings: the AST pass sees their expansions
      llvm::StringRef Content = Sp.slice(Q + 1, Sp.size() - 1);
      Strs.push_back({T.getLocation().getLocWithOffset(Q + 1), Content});
      All += Content;
      All += '\n';
    }
    if (Strs.empty())
      return;
    bool Name = NameTok.getIdentifierInfo() &&
                isAuthtokenName(NameTok.getIdentifierInfo()->getName());
    unsigned NonAt = 0;
    for (const Token &T : MI->tokens())
      if (!T.is(tok::at))
        ++NonAt;
    if (DS.Hardcoded && Name && NonAt == 1 && Strs.size() == 1 && isTokenValue(Strs[0].second))
      Hits.emplace_back(Strs[0].first, Strs[0].second.size(), HardcodedRule);
    bool Zoho = !Cat.findEvidence(All).empty();
    for (auto &[L, C] : Strs) {
      for (size_t I = findI(C, "zoho-authtoken"); DS.Header && I != llvm::StringRef::npos;
           I = findI(C, "zoho-authtoken", I + 1))
        Hits.emplace_back(L.getLocWithOffset(I), 14, HeaderRule);
      for (size_t I = findI(C, "apiauthtoken/nb/create");
           DS.Generation && I != llvm::StringRef::npos;
           I = findI(C, "apiauthtoken/nb/create", I + 1))
        Hits.emplace_back(L.getLocWithOffset(I), 22, GenerationRule);
      if (Zoho && DS.Url)
        for (size_t I = findUrlParam(C, 0); I != llvm::StringRef::npos;
             I = findUrlParam(C, I + 1))
          Hits.emplace_back(L.getLocWithOffset(I), 9, UrlRule);
    }
  }

private:
  Preprocessor &PP;
  const Catalog &Cat;
  const DetectorSet &DS;
  std::vector<std::tuple<SourceLocation, unsigned, const char *>> &Hits;
};

class Consumer : public ASTConsumer {
public:
  Consumer(const Catalog &Cat, const DetectorSet &DS, TUResult &Out, const std::string &WorkDir,
           std::vector<std::tuple<SourceLocation, unsigned, const char *>> &MacroHits)
      : Cat(Cat), DS(DS), Out(Out), WorkDir(WorkDir), MacroHits(MacroHits) {}

  void HandleTranslationUnit(ASTContext &Ctx) override {
    if (Ctx.getDiagnostics().hasErrorOccurred())
      return; // the driver falls back to the lexer result
    Analysis A(Ctx, Cat, DS, Out, WorkDir);
    Collector C(A);
    C.TraverseDecl(Ctx.getTranslationUnitDecl());
    A.run();
    for (auto &[Loc, Len, Rule] : MacroHits)
      A.hit(Rule, Loc, Len);
    SourceManager &SM = Ctx.getSourceManager();
    for (auto It = SM.fileinfo_begin(); It != SM.fileinfo_end(); ++It) {
      const FileEntry *FE = It->first;
      if (!FE)
        continue;
      Out.Files.push_back(canonicalPath(FE->getName().str(), WorkDir));
    }
  }

private:
  const Catalog &Cat;
  const DetectorSet &DS;
  TUResult &Out;
  std::string WorkDir;
  std::vector<std::tuple<SourceLocation, unsigned, const char *>> &MacroHits;
};

class Action : public ASTFrontendAction {
public:
  Action(const Catalog &Cat, const DetectorSet &DS, TUResult &Out, std::string WorkDir)
      : Cat(Cat), DS(DS), Out(Out), WorkDir(std::move(WorkDir)) {}

  std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &CI,
                                                 llvm::StringRef) override {
    CI.getPreprocessor().addPPCallbacks(
        std::make_unique<MacroWatcher>(CI.getPreprocessor(), Cat, DS, MacroHits));
    return std::make_unique<Consumer>(Cat, DS, Out, WorkDir, MacroHits);
  }

private:
  const Catalog &Cat;
  const DetectorSet &DS;
  TUResult &Out;
  std::string WorkDir;
  std::vector<std::tuple<SourceLocation, unsigned, const char *>> MacroHits;
};

/// Keeps the first error; prints nothing.
class ErrorCollector : public DiagnosticConsumer {
public:
  std::string First;
  void HandleDiagnostic(DiagnosticsEngine::Level Level, const Diagnostic &Info) override {
    DiagnosticConsumer::HandleDiagnostic(Level, Info);
    if (Level < DiagnosticsEngine::Error || !First.empty())
      return;
    llvm::SmallString<200> Msg;
    Info.FormatDiagnostic(Msg);
    std::string Where;
    if (Info.hasSourceManager() && Info.getLocation().isValid()) {
      PresumedLoc P = Info.getSourceManager().getPresumedLoc(Info.getLocation());
      if (P.isValid())
        Where = llvm::sys::path::filename(P.getFilename()).str() + ":" +
                std::to_string(P.getLine()) + ":" + std::to_string(P.getColumn()) + ": ";
    }
    First = Where + std::string(Msg.str());
  }
};

} // namespace

TUResult analyzeTranslationUnit(const ParseJob &Job, const Catalog &Cat,
                                const DetectorSet &Detectors) {
  TUResult Res;
  // A physical file system per parse: its working directory is the compile command's,
  // without touching the process's (parses run in parallel).
  llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> FS = llvm::vfs::createPhysicalFileSystem();
  if (!Job.Directory.empty())
    FS->setCurrentWorkingDirectory(Job.Directory);
  FileSystemOptions FSO;
  FSO.WorkingDir = Job.Directory;
  llvm::IntrusiveRefCntPtr<FileManager> Files(new FileManager(FSO, FS));
  ErrorCollector Errors;
  tooling::ToolInvocation Inv(Job.Args,
                              std::make_unique<Action>(Cat, Detectors, Res, Job.Directory),
                              Files.get());
  Inv.setDiagnosticConsumer(&Errors);
  bool Ok = Inv.run();
  if (!Ok || Errors.getNumErrors() > 0) {
    Res.Ok = false;
    Res.Error = Errors.First.empty() ? "the compiler invocation failed" : Errors.First;
    Res.Hits.clear();
    Res.Files.clear();
    return Res;
  }
  Res.Ok = true;
  return Res;
}

} // namespace clangfe
} // namespace atm
