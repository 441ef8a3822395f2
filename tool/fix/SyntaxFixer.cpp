//===- SyntaxFixer.cpp - the generic syntax-tree fixer ---------------------===//
//
// For every finding of a file in a syntax-tree language (driven by one recipe file):
//   1. the carrier: what holds the legacy credential at the finding (a URL string with
//      `authtoken=`, a `{"authtoken": …}` entry, an `authtoken=` keyword argument, a
//      statement such as `params["authtoken"] = t` / `params.put("authtoken", t)`, or a
//      `Zoho-authtoken …` header value) and the edit removing it (with the dead
//      `scope=…api` companion);
//   2. the request: the call of a known HTTP idiom that sends the carrier, the call
//      around it or, through the variable the carrier is assigned to, a later call of the
//      same function that passes that variable;
//   3. the header: the idiom's edit giving that call `Authorization: Zoho-oauthtoken …`
//      through the helper, wrapped in the helper's 401 retry where the recipe says so.
// The credential is removed only when 3 succeeds for the request of 2; a `Zoho-authtoken`
// header value is replaced in place (that is both). Anything else is left with a reason.

#include <map>
#include <optional>
#include <set>

#include "fix/EditUtil.h"
#include "fix/Fixers.h"
#include "syntax/Model.h"
#include "syntax/Syntax.h"

#include "llvm/ADT/StringExtras.h"
#include "re2/re2.h"
#include "fmt/format.h"

namespace atm::fix {
namespace {

using syntax::ByteRange;
using syntax::CallSite;
using syntax::FileModel;
using syntax::KeyValue;
using syntax::StringExpr;
using syntax::StringPiece;

bool isAuthtokenKey(llvm::StringRef K) { return K.trim().equals_insensitive("authtoken"); }

/// `scope` entries that only the legacy API read (crmapi, ZohoBooks/booksapi, …).
bool isLegacyScopeValue(llvm::StringRef V) {
  V = V.trim().trim("\"'`");
  // Recruit's migration guide keeps `scope=recruitapi` on the same URL (zoho-reference.md).
  if (V.contains_insensitive("recruitapi"))
    return false;
  return V.endswith_insensitive("api") || V.contains_insensitive("/booksapi") ||
         V.contains_insensitive("api,");
}

bool isIdentChar(char C) { return llvm::isAlnum(C) || C == '_' || C == '$'; }

/// True if \p Word occurs in \p Text as a whole identifier.
bool mentions(llvm::StringRef Text, llvm::StringRef Word) {
  if (Word.empty())
    return false;
  for (size_t P = 0; (P = Text.find(Word, P)) != llvm::StringRef::npos; P += Word.size()) {
    bool Before = P == 0 || !isIdentChar(Text[P - 1]);
    bool After = P + Word.size() >= Text.size() || !isIdentChar(Text[P + Word.size()]);
    if (Before && After)
      return true;
  }
  return false;
}

struct Carrier {
  enum KindT { Url, Pair, KeywordArg, Statement, Header } Kind = Url;
  ByteRange Range;               ///< what holds the credential
  std::vector<TextEdit> Removal; ///< removing it (Header: replacing it)
  ByteRange Scope;
  std::string Variable;          ///< the variable/container it reaches the request through
  const CallSite *Call = nullptr; ///< the call it is an argument of (innermost), if any
};

class SyntaxFixer final : public LanguageFixer {
public:
  explicit SyntaxFixer(const RecipeFile &R) : R(R) {}
  llvm::StringRef name() const override { return R.HelperLang; }
  bool handles(Language L) const override { return llvm::is_contained(R.Languages, L); }
  void fix(FileContext &Ctx) const override;

private:
  const RecipeFile &R;
};

/// Per-file state of one fix run.
struct Run {
  const RecipeFile &R;
  FileContext &Ctx;
  llvm::StringRef Text;
  FileModel M;
  std::string NS;

  std::string tmpl(llvm::StringRef Idiom, llvm::StringRef File) const {
    return Idiom.empty() ? File.str() : Idiom.str();
  }
  std::string value(bool Retry) const {
    return expand(Retry ? R.RetryValue : R.HeaderValue, {{"ns", NS}});
  }

  // -- carriers -------------------------------------------------------------------

  /// The innermost call whose argument list holds \p Range.
  const CallSite *callAround(ByteRange Range) const {
    const CallSite *Best = nullptr;
    for (const CallSite &C : M.Calls)
      if (!C.ArgumentList.empty() && C.ArgumentList.contains(Range) &&
          (!Best || Best->Range.contains(C.Range)))
        Best = &C;
    return Best;
  }

  /// The variable an expression at \p Range is assigned to (`url = …`, `const p = {…}`).
  std::string assignedVariable(ByteRange Range) const {
    for (const auto &A : M.Assignments)
      if (!A.Value.empty() && A.Value.contains(Range) && A.Op == "=") {
        llvm::StringRef T(A.Target);
        if (T.find_first_of("[(") == llvm::StringRef::npos)
          return A.Target;
      }
    return "";
  }

  /// Edits removing `authtoken=…` (and `scope=…api`) from a URL string; nullopt when the
  /// shape is not one this knows.
  std::optional<std::vector<TextEdit>> removeUrlParams(const StringExpr &S) const;
  std::optional<std::vector<TextEdit>> removeParam(const StringExpr &S, size_t PieceIndex,
                                                   size_t At, size_t KeyLen) const;

  std::optional<Carrier> carrierAt(const Finding &F, std::string &Why) const;

  // -- requests and headers ---------------------------------------------------------

  /// The request call that sends \p C, with its idiom.
  std::pair<const CallSite *, const Idiom *> requestFor(const Carrier &C, std::string &Why) const;
  /// Edits giving \p Call the OAuth header per \p I (Retry: through the wrapper's value).
  std::optional<std::vector<TextEdit>> headerEdits(const CallSite &Call, const Idiom &I,
                                                   bool Retry, std::string &Why) const;
  std::optional<std::vector<TextEdit>> addToMap(ByteRange Map, const Idiom &I,
                                                llvm::StringRef Value) const;
  std::optional<std::vector<TextEdit>> addArgument(const CallSite &Call, llvm::StringRef Arg) const;
  bool awaited(const CallSite &Call) const {
    llvm::StringRef Before = Text.take_front(Call.Range.Begin).rtrim();
    return Before.endswith("await") || Before.endswith("yield");
  }
  /// The import line(s) for the helper and \p Extra, placed like the file's imports.
  std::vector<TextEdit> importEdits(llvm::ArrayRef<std::string> Extra) const;
};

std::optional<std::vector<TextEdit>> Run::removeParam(const StringExpr &S, size_t PI, size_t At,
                                                      size_t KeyLen) const {
  // S.Pieces[PI] is literal and holds `key=` at byte At (absolute) of length KeyLen.
  const StringPiece &P = S.Pieces[PI];
  llvm::StringRef Raw = Text.slice(P.Range.Begin, P.Range.End);
  size_t Rel = At - P.Range.Begin;
  char Before = Rel > 0 ? Raw[Rel - 1] : '\0';
  size_t ValueStart = Rel + KeyLen;
  std::vector<TextEdit> Out;
  auto Cut = [&](size_t B, size_t E) {
    TextEdit T;
    T.Offset = B;
    T.Length = E - B;
    Out.push_back(T);
  };
  if (ValueStart < Raw.size()) {
    // The value is literal text in this piece: up to `&`, `#`, a quote or the end.
    size_t VE = Raw.find_first_of("&#\"' ", ValueStart);
    if (VE == llvm::StringRef::npos)
      VE = Raw.size();
    if (VE < Raw.size() && Raw[VE] == '&') {
      Cut(At, P.Range.Begin + VE + 1); // `authtoken=x&` (the next parameter takes its place)
      return Out;
    }
    if (VE == Raw.size() && PI + 1 < S.Pieces.size() && !S.Pieces[PI + 1].IsLiteral)
      return std::nullopt; // `authtoken=ab" + rest`: the value goes on in a hole
    if (Before == '&')
      Cut(At - 1, P.Range.Begin + VE);
    else if (Before == '?' && VE < Raw.size() && Raw[VE] == '#')
      Cut(At - 1, P.Range.Begin + VE);
    else if (Before == '?') {
      // `?authtoken=x` then maybe `&…` in the next literal piece.
      if (VE == Raw.size() && PI + 1 < S.Pieces.size() && S.Pieces[PI + 1].IsLiteral &&
          Text.slice(S.Pieces[PI + 1].Range.Begin, S.Pieces[PI + 1].Range.End).startswith("&")) {
        Cut(At, P.Range.Begin + VE);
        Cut(S.Pieces[PI + 1].Range.Begin, S.Pieces[PI + 1].Range.Begin + 1);
      } else {
        Cut(At - 1, P.Range.Begin + VE);
      }
    } else {
      Cut(At, P.Range.Begin + VE);
    }
    return Out;
  }
  // `key=` ends the piece: the value is the next piece, a hole.
  if (PI + 1 >= S.Pieces.size() || S.Pieces[PI + 1].IsLiteral)
    return std::nullopt;
  const StringPiece &H = S.Pieces[PI + 1];
  const StringPiece *Next = PI + 2 < S.Pieces.size() && S.Pieces[PI + 2].IsLiteral
                                ? &S.Pieces[PI + 2] : nullptr;
  llvm::StringRef NextRaw = Next ? Text.slice(Next->Range.Begin, Next->Range.End) : "";
  if (S.Kind == StringExpr::Template) {
    // One literal: `…?authtoken={t}&x` / `${t}` / `#{t}`: the hole is inside the quotes.
    if (Next && Next->Range.Begin == H.Range.End && NextRaw.startswith("&")) {
      Cut(At, H.Range.End + 1);
      return Out;
    }
    if (Before == '&' || Before == '?') {
      Cut(At - 1, H.Range.End);
      return Out;
    }
    Cut(At, H.Range.End);
    return Out;
  }
  if (S.Kind != StringExpr::Concat)
    return std::nullopt;
  // A concatenation: `"…?authtoken=" + t + "&scope=x"`. The literal's closing delimiter
  // and the operator before the hole go with the hole; the text between may only be
  // quotes, blanks, line breaks and one operator.
  size_t CloseEnd = P.Range.End;
  while (CloseEnd < H.Range.Begin && llvm::StringRef("\"'`").contains(Text[CloseEnd]))
    ++CloseEnd;
  llvm::StringRef Between = Text.slice(CloseEnd, H.Range.Begin).trim(" \t\r\n\\");
  if (!(Between == "+" || Between == "." || Between == ".." || Between == "<>" ||
        Between == "~" || Between == "&"))
    return std::nullopt;
  if (CloseEnd == P.Range.End)
    return std::nullopt; // no closing quote found: not a plain literal operand
  size_t KeyBegin = (Before == '&') ? At - 1 : At;
  bool PieceEmptied = P.Range.Begin == KeyBegin || (Before == '?' && P.Range.Begin == At - 1);
  if (Before == '?' && P.Range.Begin == At - 1 && !(Next && NextRaw.startswith("&")))
    KeyBegin = At - 1; // the literal was only `?authtoken=`
  if (PieceEmptied && KeyBegin == P.Range.Begin && PI > 0 && !S.Pieces[PI - 1].IsLiteral) {
    // `base + "?authtoken=" + t`: the whole literal operand and the hole go, with the
    // operator before the literal: from the end of the hole before it.
    size_t OpenBegin = P.Range.Begin;
    while (OpenBegin > S.Pieces[PI - 1].Range.End &&
           llvm::StringRef("\"'`").contains(Text[OpenBegin - 1]))
      --OpenBegin;
    llvm::StringRef Op = Text.slice(S.Pieces[PI - 1].Range.End, OpenBegin).trim(" \t\r\n\\");
    if ((Op == "+" || Op == "." || Op == ".." || Op == "<>" || Op == "~") &&
        !(Next && NextRaw.startswith("&") && Before == '?')) {
      Cut(S.Pieces[PI - 1].Range.End, H.Range.End);
      return Out;
    }
  }
  Cut(KeyBegin, P.Range.End);       // `&authtoken=` / `authtoken=` in the literal
  Cut(CloseEnd, H.Range.End);       // ` + t` (the literal keeps its closing quote)
  if (Before == '?' && KeyBegin == At && Next && NextRaw.startswith("&") &&
      Next->Range.Begin > H.Range.End)
    Cut(Next->Range.Begin, Next->Range.Begin + 1); // `"&scope=…"` -> `"scope=…"`
  // Merge the two cuts that touch.
  if (Out.size() >= 2 && Out[0].Offset + Out[0].Length == Out[1].Offset) {
    Out[0].Length += Out[1].Length;
    Out.erase(Out.begin() + 1);
  }
  return Out;
}

std::optional<std::vector<TextEdit>> Run::removeUrlParams(const StringExpr &S) const {
  std::vector<TextEdit> All;
  bool Found = false;
  for (size_t I = 0; I < S.Pieces.size(); ++I) {
    const StringPiece &P = S.Pieces[I];
    if (!P.IsLiteral)
      continue;
    llvm::StringRef Raw = Text.slice(P.Range.Begin, P.Range.End);
    std::string Lower = Raw.lower();
    for (llvm::StringRef Key : {"authtoken=", "scope="}) {
      size_t K = llvm::StringRef(Lower).find(Key);
      while (K != llvm::StringRef::npos) {
        bool AtBoundary = K == 0 || Raw[K - 1] == '?' || Raw[K - 1] == '&';
        bool Legacy = true;
        if (Key == "scope=") {
          // Only the legacy `scope=…api` companion goes.
          size_t VE = Raw.find_first_of("&#\"' ", K + Key.size());
          llvm::StringRef V = Raw.slice(K + Key.size(), VE == llvm::StringRef::npos ? Raw.size() : VE);
          Legacy = !V.empty() && isLegacyScopeValue(V);
        }
        if (AtBoundary && Legacy) {
          auto E = removeParam(S, I, P.Range.Begin + K, Key.size());
          if (!E) {
            if (Key == "authtoken=")
              return std::nullopt;
          } else {
            Found = Found || Key == "authtoken=";
            All.insert(All.end(), E->begin(), E->end());
          }
          break;
        }
        K = llvm::StringRef(Lower).find(Key, K + 1);
      }
    }
  }
  if (!Found)
    return std::nullopt;
  // Two removals may touch or overlap (`?authtoken=x&scope=crmapi`): merge.
  std::sort(All.begin(), All.end(), [](const TextEdit &A, const TextEdit &B) { return A.Offset < B.Offset; });
  std::vector<TextEdit> Merged;
  for (const TextEdit &E : All) {
    if (!Merged.empty() && Merged.back().Offset + Merged.back().Length >= E.Offset) {
      size_t End = std::max(Merged.back().Offset + Merged.back().Length, E.Offset + E.Length);
      Merged.back().Length = End - Merged.back().Offset;
    } else {
      Merged.push_back(E);
    }
  }
  // Tidy what is left: a `?` or `&` dangling at the very end of the URL goes, and a
  // literal operand of a concatenation left empty goes with its operator
  // (`API + "?authtoken=" + t + "&scope=crmapi"` -> `API`).
  auto Covered = [&](size_t B) {
    for (const TextEdit &E : Merged)
      if (E.Offset <= B && B < E.Offset + E.Length)
        return true;
    return false;
  };
  auto Remaining = [&](const StringPiece &P) {
    std::vector<size_t> Bytes;
    for (size_t B = P.Range.Begin; B < P.Range.End; ++B)
      if (!Covered(B))
        Bytes.push_back(B);
    return Bytes;
  };
  auto Add = [&](size_t B, size_t E) {
    TextEdit T;
    T.Offset = B;
    T.Length = E - B;
    Merged.push_back(T);
    std::sort(Merged.begin(), Merged.end(),
              [](const TextEdit &A, const TextEdit &C) { return A.Offset < C.Offset; });
    std::vector<TextEdit> M2;
    for (const TextEdit &X : Merged) {
      if (!M2.empty() && M2.back().Offset + M2.back().Length >= X.Offset) {
        size_t End = std::max(M2.back().Offset + M2.back().Length, X.Offset + X.Length);
        M2.back().Length = End - M2.back().Offset;
      } else {
        M2.push_back(X);
      }
    }
    Merged = std::move(M2);
  };
  // The last piece with anything left.
  for (size_t I = S.Pieces.size(); I-- > 0;) {
    const StringPiece &P = S.Pieces[I];
    std::vector<size_t> Left = P.IsLiteral ? Remaining(P) : std::vector<size_t>();
    if (!P.IsLiteral) {
      if (Covered(P.Range.Begin))
        continue;
      break;
    }
    if (Left.empty())
      continue;
    char Last = Text[Left.back()];
    if (Last == '?' || Last == '&')
      Add(Left.back(), Left.back() + 1);
    break;
  }
  if (S.Kind == StringExpr::Concat)
    for (size_t I = 0; I < S.Pieces.size(); ++I) {
      const StringPiece &P = S.Pieces[I];
      if (!P.IsLiteral || !Remaining(P).empty() || P.Range.empty())
        continue;
      size_t OB = P.Range.Begin, CE = P.Range.End;
      while (OB > S.Range.Begin && llvm::StringRef("\"'`").contains(Text[OB - 1]))
        --OB;
      while (CE < S.Range.End && llvm::StringRef("\"'`").contains(Text[CE]))
        ++CE;
      if (OB == P.Range.Begin || CE == P.Range.End)
        continue;
      // The operator before it (or, for the first operand, the one after it).
      size_t B = OB;
      while (B > S.Range.Begin && llvm::StringRef(" \t\r\n").contains(Text[B - 1]))
        --B;
      size_t OpEnd = B;
      while (B > S.Range.Begin && llvm::StringRef("+.~<>&").contains(Text[B - 1]))
        --B;
      if (B < OpEnd && B > S.Range.Begin) {
        while (B > S.Range.Begin && llvm::StringRef(" \t").contains(Text[B - 1]))
          --B;
        if (!Covered(B - 1) || true)
          Add(B, CE);
      }
    }
  return Merged;
}

std::optional<Carrier> Run::carrierAt(const Finding &F, std::string &Why) const {
  uint32_t Off = static_cast<uint32_t>(F.Offset);
  ByteRange At{Off, static_cast<uint32_t>(F.Offset + std::max<size_t>(F.Length, 1))};
  auto Touches = [&](ByteRange R) { return R.Begin <= At.Begin && At.Begin < R.End; };

  // A header value `Zoho-authtoken …`: replaced in place.
  for (const StringExpr *S : {(const StringExpr *)nullptr}) (void)S;
  auto HeaderIn = [&](const StringExpr &S) {
    for (const StringPiece &P : S.Pieces)
      if (P.IsLiteral && llvm::StringRef(P.Value).contains_insensitive("zoho-authtoken"))
        return true;
    return false;
  };
  for (const auto *List : {&M.Concats, &M.Strings})
    for (const StringExpr &S : *List) {
      if (!Touches(S.Range) || !HeaderIn(S))
        continue;
      std::string Flat = S.flatten("");
      llvm::StringRef FlatRef(Flat);
      if (FlatRef.trim().startswith_insensitive("authorization")) {
        Why = "the header is built as one `Authorization: …` line; replace it by hand";
        return std::nullopt;
      }
      Carrier C;
      C.Kind = Carrier::Header;
      C.Range = S.Range;
      C.Scope = S.Scope;
      TextEdit E;
      E.Offset = S.Range.Begin;
      E.Length = S.Range.size();
      E.Text = value(false);
      C.Removal.push_back(E);
      return C;
    }

  // A map entry `"authtoken": t`.
  for (const KeyValue &KV : M.Pairs) {
    if (!isAuthtokenKey(KV.Key) || !(Touches(KV.Range) || Touches(KV.KeyRange)))
      continue;
    Carrier C;
    C.Kind = Carrier::Pair;
    C.Range = KV.Range;
    C.Scope = KV.Scope;
    C.Removal.push_back(removeListElement(Text, KV.Range.Begin, KV.Range.End));
    for (const KeyValue &O : M.Pairs)
      if (O.Container == KV.Container && O.Range != KV.Range &&
          llvm::StringRef(O.Key).equals_insensitive("scope") &&
          isLegacyScopeValue(Text.slice(O.Value.Begin, O.Value.End)))
        C.Removal.push_back(removeListElement(Text, O.Range.Begin, O.Range.End));
    C.Call = callAround(KV.Container);
    C.Variable = assignedVariable(KV.Container);
    return C;
  }

  // A keyword argument `authtoken=t`.
  for (const CallSite &Call : M.Calls)
    for (const auto &A : Call.Arguments)
      if (isAuthtokenKey(A.Keyword) && Touches(A.Range)) {
        Carrier C;
        C.Kind = Carrier::KeywordArg;
        C.Range = A.Range;
        C.Scope = Call.Scope;
        C.Removal.push_back(removeListElement(Text, A.Range.Begin, A.Range.End));
        C.Call = &Call;
        return C;
      }

  // A statement: `params.put("authtoken", t)`, `params["authtoken"] = t`.
  for (const CallSite &Call : M.Calls) {
    if (Call.Arguments.size() < 2 || !Touches(Call.Range) || Call.Receiver.empty())
      continue;
    llvm::StringRef First = Text.slice(Call.Arguments[0].Value.Begin, Call.Arguments[0].Value.End);
    if (!isAuthtokenKey(First.trim("\"'`")) || First.trim("\"'`").size() + 2 != First.size())
      continue;
    ByteRange St = M.statementAt(Call.Range.Begin);
    if (St.empty() || !St.contains(Call.Range) ||
        !llvm::StringRef(Text.slice(Call.Range.End, St.End)).trim(" \t;").empty()) {
      Why = "the `" + Call.Callee + "(\"authtoken\", …)` call is part of a larger expression";
      return std::nullopt;
    }
    Carrier C;
    C.Kind = Carrier::Statement;
    C.Range = St;
    C.Scope = Call.Scope;
    C.Removal.push_back(removeRange(Text, St.Begin, St.End));
    C.Variable = Text.slice(Call.Receiver.Begin, Call.Receiver.End).str();
    return C;
  }
  for (const auto &A : M.Assignments) {
    if (!isAuthtokenKey(A.Name) || !Touches(A.Range))
      continue;
    llvm::StringRef Target(A.Target);
    size_t Cut = Target.find_first_of("[");
    if (Cut == llvm::StringRef::npos)
      Cut = Target.rfind('.');
    if (Cut == llvm::StringRef::npos || Cut == 0)
      continue; // `authtoken = …`: a variable, not a parameter
    llvm::StringRef Container = Target.take_front(Cut);
    if (Container == "self" || Container == "this" || Container == "$this" || Container == "@") {
      Why = "the token is stored on the object here; it is sent elsewhere";
      return std::nullopt;
    }
    ByteRange St = A.Statement.empty() ? A.Range : A.Statement;
    Carrier C;
    C.Kind = Carrier::Statement;
    C.Range = St;
    C.Scope = A.Scope;
    C.Removal.push_back(removeRange(Text, St.Begin, St.End));
    C.Variable = Container.str();
    return C;
  }

  // A URL string holding `authtoken=`.
  const StringExpr *Best = nullptr;
  for (const auto *List : {&M.Concats, &M.Strings})
    for (const StringExpr &S : *List)
      if (Touches(S.Range) && llvm::StringRef(S.flatten("\x1f")).contains_insensitive("authtoken=") &&
          (!Best || S.Range.contains(Best->Range)))
        Best = &S; // the outermost: a concatenation over the literal
  if (Best) {
    auto E = removeUrlParams(*Best);
    if (!E) {
      Why = "the URL's authtoken parameter is built in a way this fix does not edit";
      return std::nullopt;
    }
    Carrier C;
    C.Kind = Carrier::Url;
    C.Range = Best->Range;
    C.Scope = Best->Scope;
    C.Removal = *E;
    C.Call = callAround(Best->Range);
    C.Variable = assignedVariable(Best->Range);
    return C;
  }
  Why = "no URL, parameter map or header holding the authtoken was found at this place";
  return std::nullopt;
}

std::pair<const CallSite *, const Idiom *> Run::requestFor(const Carrier &C,
                                                           std::string &Why) const {
  // The call around the carrier, outwards: `requests.get(url + "?authtoken=" + t)`,
  // `fetch(url, {body: new URLSearchParams({authtoken: t})})`.
  std::string Unknown;
  for (const CallSite *Call = C.Call; Call;) {
    if (const Idiom *I = R.idiomFor(Call->Callee))
      return {Call, I};
    if (Unknown.empty())
      Unknown = Call->Callee;
    const CallSite *Outer = nullptr;
    for (const CallSite &O : M.Calls)
      if (&O != Call && !O.ArgumentList.empty() && O.ArgumentList.contains(Call->Range) &&
          (!Outer || Outer->Range.contains(O.Range)))
        Outer = &O;
    Call = Outer;
  }
  // Through variables: the first later call in the same function that passes it.
  std::string Var = C.Variable;
  uint32_t After = C.Range.End;
  for (int Hop = 0; Hop < 4 && !Var.empty(); ++Hop) {
    bool Member = llvm::StringRef(Var).contains('.') || llvm::StringRef(Var).startswith("@");
    const CallSite *Found = nullptr;
    for (const CallSite &Call : M.Calls) {
      if (Call.Range.Begin < After || (!Member && Call.Scope != C.Scope))
        continue;
      if (!R.idiomFor(Call.Callee))
        continue;
      for (const auto &A : Call.Arguments)
        if (mentions(Text.slice(A.Value.Begin, A.Value.End), Var)) {
          Found = &Call;
          break;
        }
      if (Found)
        break;
    }
    if (Found)
      return {Found, R.idiomFor(Found->Callee)};
    // `full = url + "&page=1"`: follow the variable one more step.
    std::string Next;
    for (const auto &A : M.Assignments)
      if (A.Range.Begin >= After && (Member || A.Scope == C.Scope) && A.Op == "=" &&
          mentions(Text.slice(A.Value.Begin, A.Value.End), Var) &&
          llvm::StringRef(A.Target).find_first_of("[(") == llvm::StringRef::npos &&
          A.Target != Var) {
        Next = A.Target;
        After = A.Range.End;
        break;
      }
    Var = Next;
  }
  if (!Unknown.empty())
    Why = "it is sent through `" + Unknown + "(…)`, which is not an HTTP call this fix knows; "
          "give that request the OAuth header by hand";
  else if (!C.Variable.empty())
    Why = "no request passing `" + C.Variable + "` was found after it in the same function";
  else
    Why = "no request sending it was found";
  return {nullptr, nullptr};
}

std::optional<std::vector<TextEdit>> Run::addToMap(ByteRange Map, const Idiom &I,
                                                   llvm::StringRef Value) const {
  std::string Entry = expand(tmpl(I.Entry, R.Entry), {{"value", Value}, {"ns", NS}});
  // An existing Authorization entry gets the new value.
  const KeyValue *Last = nullptr;
  for (const KeyValue &KV : M.Pairs) {
    if (KV.Container != Map)
      continue;
    if (llvm::StringRef(KV.Key).equals_insensitive("authorization")) {
      TextEdit E;
      E.Offset = KV.Value.Begin;
      E.Length = KV.Value.size();
      E.Text = Value.str();
      return std::vector<TextEdit>{E};
    }
    if (!Last || KV.Range.End > Last->Range.End)
      Last = &KV;
  }
  llvm::StringRef MapText = Text.slice(Map.Begin, Map.End);
  if (!Last) {
    if (MapText.size() < 2 || MapText.drop_front().drop_back().trim().size() != 0)
      return std::nullopt; // not an empty literal and no entry seen: a spread, a comment…
    TextEdit E;
    E.Offset = Map.Begin + 1;
    E.Length = MapText.size() - 2;
    E.Text = Entry;
    return std::vector<TextEdit>{E};
  }
  // After the last entry (and its trailing comma, if any).
  size_t P = Last->Range.End;
  size_t Q = P;
  while (Q < Map.End && (Text[Q] == ' ' || Text[Q] == '\t'))
    ++Q;
  TextEdit E;
  if (Q < Map.End && Text[Q] == ',') {
    // A trailing comma: a multi-line literal gets the entry on its own line.
    size_t NL = Text.find('\n', Q);
    if (NL != llvm::StringRef::npos && NL < Map.End &&
        llvm::StringRef(Text.slice(Q + 1, NL)).trim().empty()) {
      E.Offset = NL + 1;
      E.Text = (indentOf(Text, Last->Range.Begin) + Entry + "," + newlineOf(Text)).str();
      return std::vector<TextEdit>{E};
    }
    E.Offset = Q + 1;
    E.Text = " " + Entry + ",";
    return std::vector<TextEdit>{E};
  }
  E.Offset = P;
  E.Text = ", " + Entry;
  return std::vector<TextEdit>{E};
}

std::optional<std::vector<TextEdit>> Run::addArgument(const CallSite &Call,
                                                      llvm::StringRef Arg) const {
  if (Call.ArgumentList.size() < 2)
    return std::nullopt;
  TextEdit E;
  if (Call.Arguments.empty()) {
    E.Offset = Call.ArgumentList.Begin + 1;
    E.Text = Arg.str();
    return std::vector<TextEdit>{E};
  }
  size_t P = Call.Arguments.back().Range.End;
  size_t Q = P;
  while (Q < Call.ArgumentList.End && (Text[Q] == ' ' || Text[Q] == '\t'))
    ++Q;
  if (Q < Call.ArgumentList.End && Text[Q] == ',') {
    size_t NL = Text.find('\n', Q);
    if (NL != llvm::StringRef::npos && NL < Call.ArgumentList.End &&
        llvm::StringRef(Text.slice(Q + 1, NL)).trim().empty()) {
      E.Offset = NL + 1;
      E.Text = (indentOf(Text, Call.Arguments.back().Range.Begin) + Arg + "," + newlineOf(Text)).str();
      return std::vector<TextEdit>{E};
    }
    E.Offset = Q + 1;
    E.Text = " " + Arg.str();
    return std::vector<TextEdit>{E};
  }
  E.Offset = P;
  E.Text = ", " + Arg.str();
  return std::vector<TextEdit>{E};
}

std::optional<std::vector<TextEdit>> Run::headerEdits(const CallSite &Call, const Idiom &I,
                                                      bool Retry, std::string &Why) const {
  std::string V = value(Retry);
  auto Replace = [&](ByteRange Rg, std::string T) {
    TextEdit E;
    E.Offset = Rg.Begin;
    E.Length = Rg.size();
    E.Text = std::move(T);
    return std::vector<TextEdit>{E};
  };
  // A template around an existing expression ({arg}, {expr}): two inserts, so that edits
  // inside the expression (the credential's removal) still apply.
  auto Around = [&](ByteRange Rg, llvm::StringRef Template, llvm::StringRef Name) {
    std::string T = expand(Template, {{Name, "\x1f"}, {"value", V}, {"ns", NS}});
    size_t Hole = T.find('\x1f');
    if (Hole == std::string::npos || T.find('\x1f', Hole + 1) != std::string::npos)
      return Replace(Rg, expand(Template, {{Name, Text.slice(Rg.Begin, Rg.End)}, {"value", V}, {"ns", NS}}));
    TextEdit Pre, Post;
    Pre.Offset = Rg.Begin;
    Pre.Text = T.substr(0, Hole);
    Post.Offset = Rg.End;
    Post.Text = T.substr(Hole + 1);
    return std::vector<TextEdit>{Pre, Post};
  };
  auto IsMap = [&](const syntax::Argument &A) {
    llvm::StringRef K(A.Kind);
    return K == "dictionary" || K == "object" || K == "hash" || K == "array_creation_expression";
  };
  const syntax::Argument *Given = nullptr;
  if (!I.Keyword.empty())
    Given = Call.keywordArgument(I.Keyword);
  if (!Given && I.Header == "position" && I.Position >= 0 &&
      static_cast<size_t>(I.Position) < Call.Arguments.size() &&
      Call.Arguments[I.Position].Keyword.empty())
    Given = &Call.Arguments[I.Position];

  if (I.Header == "keyword" || I.Header == "position") {
    if (Given) {
      if (IsMap(*Given)) {
        auto E = addToMap(Given->Value, I, V);
        if (!E)
          Why = "the call's headers map has a shape this fix does not edit";
        return E;
      }
      return Around(Given->Value, tmpl(I.Merge, R.Merge), "expr");
    }
    auto E = addArgument(Call, expand(tmpl(I.Argument, R.Argument), {{"value", V}, {"ns", NS}}));
    if (!E)
      Why = "the call has no argument list to add the header to";
    return E;
  }
  if (I.Header == "options") {
    size_t Pos = I.Position < 0 ? 1 : static_cast<size_t>(I.Position);
    if (Pos < Call.Arguments.size()) {
      const syntax::Argument &A = Call.Arguments[Pos];
      if (IsMap(A)) {
        for (const KeyValue &KV : M.Pairs)
          if (KV.Container == A.Value && KV.Key == I.Keyword) {
            llvm::StringRef VT = Text.slice(KV.Value.Begin, KV.Value.End);
            if (VT.startswith("{")) {
              auto E = addToMap(KV.Value, I, V);
              if (!E)
                Why = "the request's headers object has a shape this fix does not edit";
              return E;
            }
            (void)VT;
            return Around(KV.Value, tmpl(I.Merge, R.Merge), "expr");
          }
        // No headers entry: add one to the options object.
        std::string Entry = expand(tmpl(I.Argument, R.Argument), {{"value", V}, {"ns", NS}});
        Idiom Plain = I;
        Plain.Entry = Entry;
        auto E = addToMap(A.Value, Plain, V);
        if (!E)
          Why = "the request's options object has a shape this fix does not edit";
        return E;
      }
      return Around(A.Value, tmpl(I.OptionsMerge, R.OptionsMerge), "expr");
    }
    std::string Arg;
    for (size_t K = Call.Arguments.size(); K < Pos; ++K)
      Arg += (I.Filler.empty() ? std::string("undefined") : I.Filler) + ", ";
    Arg += expand(tmpl(I.OptionsArgument, R.OptionsArgument), {{"value", V}, {"ns", NS}});
    auto E = addArgument(Call, Arg);
    if (!E)
      Why = "the call has no argument list to add the options to";
    return E;
  }
  if (I.Header == "request-argument") {
    size_t Pos = I.Position < 0 ? 0 : static_cast<size_t>(I.Position);
    if (Pos >= Call.Arguments.size()) {
      Why = "the request has no URL argument";
      return std::nullopt;
    }
    const syntax::Argument &A = Call.Arguments[Pos];
    if (const Idiom *Inner = R.idiom(I.Inner))
      for (const CallSite &C : M.Calls)
        if (C.Range == A.Value && Inner->Callee &&
            re2::RE2::PartialMatch(C.Callee, *Inner->Callee))
          return headerEdits(C, *Inner, Retry, Why);
    return Around(A.Value, tmpl(I.WrapArgument, R.WrapArgument), "arg");
  }
  Why = "unknown header kind '" + I.Header + "'";
  return std::nullopt;
}

std::vector<TextEdit> Run::importEdits(llvm::ArrayRef<std::string> Extra) const {
  std::vector<std::string> Lines;
  bool Package = false;
  std::string Dir = directoryOf(Ctx.Path);
  if (R.HelperLang == "python" && Ctx.Exists)
    Package = Ctx.Exists(Dir.empty() ? "__init__.py" : Dir + "/__init__.py");
  std::string Main = expand(R.Import, {{"ns", NS}});
  if (Package && llvm::StringRef(Main).startswith("import "))
    Main = "from . " + Main; // a package module: the helper sits beside it
  auto Present = [&](llvm::StringRef Line) {
    for (llvm::StringRef L : llvm::split(Text, '\n'))
      if (L.trim() == Line.trim())
        return true;
    return false;
  };
  bool HasMain = false;
  if (!R.ImportMatch.empty()) {
    re2::RE2 Re(expand(R.ImportMatch, {{"ns", NS}}), re2::RE2::Quiet);
    HasMain = Re.ok() && re2::RE2::PartialMatch(re2::StringPiece(Text.data(), Text.size()), Re);
  }
  if (!HasMain && !Present(Main))
    Lines.push_back(Main);
  for (const std::string &X : Extra)
    if (!Present(X))
      Lines.push_back(X);
  if (Lines.empty())
    return {};
  // After the last top-level import/require line; else after a shebang, encoding
  // comment, docstring or 'use strict' at the top.
  llvm::StringRef NL = newlineOf(Text);
  size_t InsertAt = 0;
  size_t Pos = 0;
  bool InDocstring = false;
  size_t Count = 0;
  while (Pos < Text.size() && Count++ < 400) {
    size_t E = lineEndWithBreak(Text, Pos);
    llvm::StringRef L = Text.slice(Pos, E).rtrim("\r\n");
    llvm::StringRef T = L.trim();
    bool Top = !L.empty() && L[0] != ' ' && L[0] != '\t';
    if (InDocstring) {
      if (T.contains("\"\"\"") || T.contains("'''"))
        InDocstring = false;
      InsertAt = E;
    } else if (Pos == 0 && T.startswith("#!")) {
      InsertAt = E;
    } else if (Top && (T.startswith("import ") || T.startswith("from ") ||
                       (T.contains("require(") && (T.startswith("const ") || T.startswith("var ") ||
                                                   T.startswith("let "))))) {
      if (T.endswith("(") || T.endswith("\\") || T.endswith("{")) {
        // A multi-line import: up to its closing line.
        size_t Q = E;
        while (Q < Text.size()) {
          size_t QE = lineEndWithBreak(Text, Q);
          llvm::StringRef QL = Text.slice(Q, QE).trim();
          Q = QE;
          if (QL.startswith(")") || QL.startswith("}") || QL.endswith(")") || QL.endswith(";"))
            break;
        }
        E = Q;
      }
      InsertAt = E;
    } else if (T.startswith("\"\"\"") || T.startswith("'''")) {
      if (InsertAt == Pos || InsertAt == 0) {
        llvm::StringRef Rest = T.drop_front(3);
        InDocstring = !(Rest.contains("\"\"\"") || Rest.contains("'''"));
        InsertAt = E;
      }
    } else if (T == "'use strict';" || T == "\"use strict\";" || T.startswith("# -*-") ||
               (T.startswith("#") && InsertAt == Pos && Pos == 0)) {
      InsertAt = E;
    } else if (!T.empty() && !T.startswith("#") && !T.startswith("//")) {
      if (Top && InsertAt > 0)
        break; // the first statement after the imports
      if (Top)
        break;
    }
    Pos = E;
  }
  std::string Block;
  for (const std::string &L : Lines)
    Block += L + NL.str();
  TextEdit E;
  E.Offset = InsertAt;
  if (InsertAt > 0 && InsertAt <= Text.size() && Text[InsertAt - 1] != '\n')
    Block = NL.str() + Block; // the last import line had no line break
  E.Text = Block;
  return {E};
}

void SyntaxFixer::fix(FileContext &Ctx) const {
  auto G = syntax::grammarFor(Ctx.Lang, Ctx.Path);
  if (!G) {
    for (size_t I = 0; I < Ctx.Findings.size(); ++I)
      Ctx.manual(I, "no syntax tree for this language");
    return;
  }
  auto Tree = syntax::parse(*G, Ctx.Text);
  if (!Tree) {
    std::string Why = "could not parse the file: " + llvm::toString(Tree.takeError());
    for (size_t I = 0; I < Ctx.Findings.size(); ++I)
      Ctx.manual(I, Why);
    return;
  }
  auto Model = syntax::extractModel(*Tree);
  if (!Model) {
    std::string Why = llvm::toString(Model.takeError());
    for (size_t I = 0; I < Ctx.Findings.size(); ++I)
      Ctx.manual(I, Why);
    return;
  }
  Run Rn{R, Ctx, Ctx.Text, std::move(*Model), helperNamespace(R.HelperLang, *Ctx.Opts)};

  struct Plan {
    const CallSite *Call = nullptr;
    const Idiom *I = nullptr;
    std::vector<size_t> Findings;
    std::vector<TextEdit> Removals;
  };
  std::map<uint32_t, Plan> ByCall; // request call begin -> plan
  std::vector<std::string> ExtraImports;
  bool AnyFix = false;
  for (size_t Index = 0; Index < Ctx.Findings.size(); ++Index) {
    const Finding &F = *Ctx.Findings[Index];
    if (F.RuleId.find("doc-") != std::string::npos) {
      Ctx.manual(Index, "documentation or a comment: update the text by hand");
      continue;
    }
    if (F.RuleId.find("hardcoded") != std::string::npos) {
      Ctx.RevokeLines.push_back(F.Begin.Line);
      Ctx.manual(Index, "a hard-coded legacy token: revoke it, and remove it once no request uses it");
      continue;
    }
    if (F.RuleId.find("generation") != std::string::npos) {
      Ctx.manual(Index, "a legacy token-generation flow (e-mail + password): replace it with the "
                        "OAuth helper (helper --lang " + R.HelperLang + ") by hand");
      continue;
    }
    if (F.RuleId.find("env-var") != std::string::npos) {
      Ctx.manual(Index, "reads the legacy token from the environment; the helper reads "
                        "ZOHO_CLIENT_ID, ZOHO_CLIENT_SECRET and ZOHO_REFRESH_TOKEN instead");
      continue;
    }
    if (F.RuleId.find("declared-param") != std::string::npos) {
      Ctx.manual(Index, "an API interface declares the authtoken parameter; change the "
                        "interface and its callers by hand");
      continue;
    }
    std::string Why;
    auto C = Rn.carrierAt(F, Why);
    if (!C) {
      Ctx.manual(Index, Why);
      continue;
    }
    if (C->Kind == Carrier::Header) {
      for (const TextEdit &E : C->Removal)
        Ctx.addEdit(Index, E);
      Ctx.fixed(Index, "the Zoho-authtoken header value now comes from the OAuth helper");
      AnyFix = true;
      continue;
    }
    auto [Call, Idiom] = Rn.requestFor(*C, Why);
    if (!Call) {
      Ctx.manual(Index, Why);
      continue;
    }
    // The URL as far as this function shows it: the carrier, the request's arguments and
    // the string constants of the function.
    {
      std::string Seen = Ctx.Text.slice(C->Range.Begin, C->Range.End).str() + " " +
                         Ctx.Text.slice(Call->Range.Begin, Call->Range.End).str();
      for (const StringExpr &S : Rn.M.Strings)
        if (S.Scope == Call->Scope)
          Seen += " " + S.flatten("");
      std::string Advice = deadEndpoint(Seen);
      if (!Advice.empty()) {
        Ctx.manual(Index, Advice);
        continue;
      }
    }
    Plan &P = ByCall[Call->Range.Begin];
    P.Call = Call;
    P.I = Idiom;
    P.Findings.push_back(Index);
    P.Removals.insert(P.Removals.end(), C->Removal.begin(), C->Removal.end());
  }

  for (auto &[Begin, P] : ByCall) {
    bool Retry = P.I->Retry && !R.RetryWrap.empty() && !Rn.awaited(*P.Call);
    std::string Why;
    auto H = Rn.headerEdits(*P.Call, *P.I, Retry, Why);
    if (!H) {
      for (size_t Index : P.Findings)
        Ctx.manual(Index, Why);
      continue;
    }
    // The first finding of the call owns the header (and wrapper) edits; every finding owns
    // its removals, so an overlap drops only what it must.
    size_t Owner = P.Findings.front();
    for (const TextEdit &E : *H)
      Ctx.addEdit(Owner, E);
    if (Retry) {
      std::string Wrap = expand(R.RetryWrap, {{"ns", Rn.NS}, {"call", "\x1f"}});
      size_t Hole = Wrap.find('\x1f');
      TextEdit Pre, Post;
      Pre.Offset = P.Call->Range.Begin;
      Pre.Text = Wrap.substr(0, Hole);
      Post.Offset = P.Call->Range.End;
      Post.Text = Wrap.substr(Hole + 1);
      Ctx.addEdit(Owner, Pre);
      Ctx.addEdit(Owner, Post);
    }
    // Removals of all findings of this call belong to the owner too: the credential goes
    // only with the header.
    for (const TextEdit &E : P.Removals)
      Ctx.addEdit(Owner, E);
    for (const std::string &X : P.I->Imports)
      ExtraImports.push_back(X);
    for (size_t Index : P.Findings)
      Ctx.fixed(Index, fmt::format("`{}` now sends the OAuth header{} ({})", P.Call->Callee,
                                   Retry ? " and retries once after a 401" : "", P.I->Id));
    AnyFix = true;
  }
  if (AnyFix) {
    for (const TextEdit &E : Rn.importEdits(ExtraImports))
      Ctx.addSharedEdit(E);
    Ctx.Helpers.push_back({R.HelperLang, directoryOf(Ctx.Path)});
  }
}

} // namespace

std::unique_ptr<LanguageFixer> makeSyntaxFixer(const RecipeFile &Recipes) {
  return std::make_unique<SyntaxFixer>(Recipes);
}

} // namespace atm::fix
