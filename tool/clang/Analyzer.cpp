#include "clang/Analyzer.h"

#include <deque>
#include <map>
#include <set>

#include "clang/AST/ASTConsumer.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ExprObjC.h"
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
      return SL->getLocationOfByte(I, SM, LO, Ctx.getTargetInfo());
    SourceLocation Last = SM.getSpellingLoc(SL->getStrTokenLoc(SL->getNumConcatenated() - 1));
    SourceLocation End = Lexer::getLocForEndOfToken(Last, 0, SM, LO);
    return End.isValid() ? End.getLocWithOffset(-1) : SourceLocation();
  }

  bool hit(const char *Rule, SourceLocation Loc, unsigned Len, const Reach *R = nullptr,
           std::vector<RawEdit> Edits = {}, bool NeedsInclude = false) {
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
    H.NeedsHelperInclude = NeedsInclude;
    Out.Hits.push_back(std::move(H));
    return true;
  }

  bool editFor(CharSourceRange Range, llvm::StringRef Text, std::vector<RawEdit> &Edits) {
    if (Range.getBegin().isMacroID() || Range.getEnd().isMacroID())
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

  bool inMacro(const Stmt *S) {
    return S->getBeginLoc().isMacroID() || S->getEndLoc().isMacroID();
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
      // The value is in the literal itself: a format placeholder cannot be removed here
      // (its argument would have to go too).
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
    int K = static_cast<int>(L.Ancestors.size()) - 1;
    for (; K >= 0; --K) {
      const Stmt *P = L.Ancestors[K];
      if (isWrapper(P)) {
        Cur = P;
        continue;
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
      break;
    }
    if (Next) // "…?authtoken=" + t + "&x…" -> "…?x…"
      return editFor(CharSourceRange::getCharRange(byteLoc(SL, I), byteLoc(Next, 1)), "", Edits)
                 ? Edits
                 : std::vector<RawEdit>{};
    if (Prev != '?' && Prev != '&')
      return {};
    // "…?authtoken=" + t  ->  "…"
    SourceLocation End = Lexer::getLocForEndOfToken(Token->getEndLoc(), 0, SM, LO);
    if (!editFor(CharSourceRange::getCharRange(byteLoc(SL, I - 1), End), "\"", Edits))
      return {};
    return Edits;
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
          bool Include = false;
          if (const CallExpr *CE = enclosingCallArg(L, "curl_slist_append", 1)) {
            const Expr *Arg = CE->getArg(1);
            // The whole header line ("Authorization: Zoho-oauthtoken …") from the
            // generated helper (authtoken-migrate helper --lang cpp); curl copies it.
            std::string Helper = LO.CPlusPlus
                                     ? "zoho_oauth::authorization_header_line().c_str()"
                                     : "zoho_oauth_authorization_header_line()";
            if (!inMacro(Arg) &&
                editFor(CharSourceRange::getTokenRange(Arg->getSourceRange()), Helper, Edits))
              Include = true;
            else
              Edits.clear();
          }
          hit(HeaderRule, byteLoc(SL, I), 14, nullptr, std::move(Edits), Include);
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
        if (Form ? DS.Param : DS.Url)
          hit(Form ? ParamRule : UrlRule, byteLoc(SL, I), 9, &*R,
              Form ? std::vector<RawEdit>{} : urlFix(L, I));
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
        if (DS.Param)
          hit(ParamRule, byteLoc(SL, 0), 9, &R);
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
      if (It != A.InitOwner.end())
        addRef(It->second, FE);
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
      if (FD->getIdentifier() && FD->getName() == "curl_easy_setopt" && CE->getNumArgs() >= 3)
        if (const auto *DR = dyn_cast<DeclRefExpr>(CE->getArg(1)->IgnoreImpCasts()))
          if (DR->getDecl()->getIdentifier()) {
            llvm::StringRef N = DR->getDecl()->getName();
            if (N == "CURLOPT_POSTFIELDS" || N == "CURLOPT_COPYPOSTFIELDS")
              A.PostFields.push_back({FE, CE->getArg(2)});
          }
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
