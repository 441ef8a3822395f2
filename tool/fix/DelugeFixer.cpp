//===- DelugeFixer.cpp - `fix` for Deluge: invokeurl with a connection ----===//
//
// Deluge has no tree-sitter grammar: the file is split into tokens from the lexer's spans
// (strings and comments are the lexer's; code is split into identifiers, numbers and
// punctuation), and the few statement shapes a legacy call has are matched on them:
//   `v = getUrl(url[, headers|false[, bool]]);`  `v = postUrl(url, body[, headers][, bool]);`
//   `v = invokeurl [ url: … type: … parameters: … headers: … ];`
//   `m.put("authtoken", t);`  `m = {"authtoken": t, "scope": "crmapi"};`
//   `h.put("Authorization", "Zoho-authtoken " + t);`
// For every finding: the carrier (a URL with `authtoken=`, a parameter map entry, a header
// map entry) and the calls that send it (the call around it, or every call that uses the
// variable it is assigned to, when all of them are such calls); then the removal (with the
// dead `scope=…api` companion) and the call's rewrite into
//   invokeurl [ url: … type: GET|POST parameters: … headers: … connection: "<name>" ]
// (the connection adds the OAuth header; Zoho refreshes its token itself). Variables that
// held the token go when nothing else uses them. Books and Inventory URLs move to
// www.zohoapis.<tld>, the API host zoho-reference.md documents for them; other hosts stay.

#include <map>
#include <optional>
#include <set>

#include "fix/EditUtil.h"
#include "fix/Fixers.h"
#include "fix/UrlParams.h"
#include "lang/Language.h"

#include "fmt/format.h"
#include "re2/re2.h"
#include "llvm/ADT/StringExtras.h"

namespace atm::fix {
namespace {

// -- tokens ------------------------------------------------------------------------------

struct Tok {
  enum KindT : uint8_t { Ident, Str, Num, Punct } Kind = Punct;
  size_t B = 0, E = 0;
};

std::vector<Tok> tokenize(llvm::StringRef Text) {
  std::vector<Tok> Out;
  SpanMap Spans = lex(Language::Deluge, Text);
  for (const Span &S : Spans.spans()) {
    if (S.Kind == SpanKind::Comment)
      continue;
    if (S.Kind == SpanKind::String) {
      // One span may hold several adjacent literals: split at their closing quotes.
      size_t P = S.Begin;
      while (P < S.End) {
        char Q = Text[P];
        if (Q != '"' && Q != '\'') {
          ++P;
          continue;
        }
        size_t E = P + 1;
        while (E < S.End && Text[E] != Q) {
          if (Text[E] == '\\')
            ++E;
          ++E;
        }
        E = std::min(E + 1, S.End);
        Out.push_back({Tok::Str, P, E});
        P = E;
      }
      continue;
    }
    for (size_t P = S.Begin; P < S.End;) {
      char C = Text[P];
      if (llvm::isSpace(C)) {
        ++P;
        continue;
      }
      size_t E = P + 1;
      Tok::KindT K = Tok::Punct;
      if (llvm::isAlpha(C) || C == '_') {
        while (E < S.End && (llvm::isAlnum(Text[E]) || Text[E] == '_'))
          ++E;
        K = Tok::Ident;
      } else if (llvm::isDigit(C)) {
        while (E < S.End && (llvm::isAlnum(Text[E]) || Text[E] == '.'))
          ++E;
        K = Tok::Num;
      } else if (E < S.End && llvm::StringRef("=!<>&|").contains(C) &&
                 (Text[E] == '=' || (C == '&' && Text[E] == '&') || (C == '|' && Text[E] == '|'))) {
        ++E;
      }
      Out.push_back({K, P, E});
      P = E;
    }
  }
  return Out;
}

/// The decoded value of a string token (without quotes; the usual backslash escapes).
std::string decodeString(llvm::StringRef Raw) {
  std::string Out;
  if (Raw.size() < 2)
    return Out;
  Raw = Raw.drop_front().drop_back();
  for (size_t I = 0; I < Raw.size(); ++I) {
    if (Raw[I] == '\\' && I + 1 < Raw.size()) {
      char N = Raw[++I];
      Out += N == 'n' ? '\n' : N == 't' ? '\t' : N;
      continue;
    }
    Out += Raw[I];
  }
  return Out;
}

/// A range of tokens [First, Last) and its raw text range.
struct TokRange {
  size_t First = 0, Last = 0;
  bool empty() const { return First >= Last; }
};

/// An expression as items (UrlParams): its literals' characters and holes (other operands
/// of its top-level `+`).
struct Expr {
  TokRange R;
  std::vector<ParamItem> Items;
  std::vector<char> InLiteral;                ///< per item: inside a string literal
  std::vector<std::pair<size_t, size_t>> Seg; ///< per item: its literal's content range
  std::vector<TokRange> Operands;
};

// -- the file ------------------------------------------------------------------------------

struct Call {
  enum KindT { GetUrl, PostUrl } Kind = GetUrl;
  size_t Name = 0;  ///< token of `getUrl`
  size_t Close = 0; ///< token of `)`
  std::vector<TokRange> Args;
  size_t StmtBegin = 0;   ///< first token of the statement (the assigned variable, or the call)
  bool Statement = false; ///< `v = getUrl(…);` or `getUrl(…);`
};

struct Block {
  size_t Name = 0;            ///< token of `invokeurl`
  size_t Open = 0, Close = 0; ///< `[` and `]`
  struct Key {
    std::string Name;
    size_t KeyTok = 0;
    TokRange Value;
  };
  std::vector<Key> Keys;
  const Key *key(llvm::StringRef N) const {
    for (const Key &K : Keys)
      if (llvm::StringRef(K.Name).equals_insensitive(N))
        return &K;
    return nullptr;
  }
};

struct Assign {
  std::string Name;
  size_t NameTok = 0;
  TokRange Value;
  size_t End = 0; ///< token of `;` (or Value.Last)
};

struct Put {
  std::string Receiver;
  size_t RecvTok = 0;
  std::string Key;
  size_t KeyTok = 0;
  TokRange Value;
  size_t End = 0; ///< token of `;`
};

struct Entry { ///< a `"key": value` entry of a map literal
  std::string Key;
  size_t KeyTok = 0;
  TokRange Value;
  size_t Open = 0, Close = 0; ///< the literal's braces
};

class DelugeFixer final : public LanguageFixer {
public:
  llvm::StringRef name() const override { return "deluge"; }
  bool handles(Language L) const override { return L == Language::Deluge; }
  void fix(FileContext &Ctx) const override;
};

/// A request a finding needs rewritten: a getUrl/postUrl call or an invokeurl block.
struct Target {
  bool IsBlock = false;
  size_t Index = 0;
  bool operator<(const Target &O) const {
    return std::tie(IsBlock, Index) < std::tie(O.IsBlock, O.Index);
  }
};

struct Need {
  std::vector<TextEdit> Edits;
  std::set<Target> Targets;
  std::vector<std::string> TokenVars;
  std::vector<std::pair<size_t, size_t>> Removed; ///< raw ranges that leave the file
  std::string Why;
};

struct Run {
  Run(FileContext &Ctx, llvm::StringRef Text, std::string Conn)
      : Ctx(Ctx), Text(Text), Conn(std::move(Conn)) {}
  FileContext &Ctx;
  llvm::StringRef Text;
  std::string Conn;
  std::vector<Tok> T;
  std::vector<Call> Calls;
  std::vector<Block> Blocks;
  std::vector<Assign> Assigns;
  std::vector<Put> Puts;
  std::vector<Entry> Entries;
  std::vector<size_t> Match; ///< matching bracket token, or npos

  llvm::StringRef text(size_t I) const { return Text.slice(T[I].B, T[I].E); }
  size_t beginOf(TokRange R) const { return T[R.First].B; }
  size_t endOf(TokRange R) const { return T[R.Last - 1].E; }
  llvm::StringRef text(TokRange R) const {
    return R.empty() ? "" : Text.slice(beginOf(R), endOf(R));
  }
  bool isPunct(size_t I, llvm::StringRef P) const {
    return I < T.size() && T[I].Kind == Tok::Punct && text(I) == P;
  }
  bool isBoundary(size_t I) const { // the token before a statement's first one
    return I == SIZE_MAX || isPunct(I, ";") || isPunct(I, "{") || isPunct(I, "}");
  }

  void index();
  Expr expr(TokRange R) const;
  TextEdit cut(const Expr &X, size_t First, size_t Last) const;
  std::optional<std::vector<TextEdit>> urlEdits(const Expr &X, std::string &Why,
                                                std::string *TokenVar, bool *Moved) const;
  std::vector<TextEdit> hostMove(const Expr &X, bool &Moved) const;
  TextEdit removeStatement(size_t FirstTok, size_t EndTok) const;
  std::optional<Target> targetOfUrl(size_t Tok) const;
  std::optional<Target> targetOfArg(size_t Tok, int Role) const;
  void usesOf(const std::string &Var, int Role, Need &N, std::set<std::string> &Seen,
              std::vector<size_t> &Extra) const;
  void forFinding(size_t Index, Need &N);
  std::string deadText(const Need &N) const;
  std::string resolve(TokRange R, int Depth) const;
  std::string indentUnit() const;
};

/// Roles of a variable at a request.
enum Role { RoleUrl, RoleParams, RoleHeaders };

void Run::index() {
  T = tokenize(Text);
  Match.assign(T.size(), SIZE_MAX);
  std::vector<size_t> Stack;
  for (size_t I = 0; I < T.size(); ++I) {
    if (T[I].Kind != Tok::Punct)
      continue;
    llvm::StringRef P = text(I);
    if (P == "(" || P == "[" || P == "{") {
      Stack.push_back(I);
    } else if (P == ")" || P == "]" || P == "}") {
      if (!Stack.empty()) {
        Match[Stack.back()] = I;
        Match[I] = Stack.back();
        Stack.pop_back();
      }
    }
  }
  auto SplitArgs = [&](size_t Open, size_t Close) {
    std::vector<TokRange> Args;
    size_t S = Open + 1;
    for (size_t I = Open + 1; I < Close; ++I) {
      if (Match[I] != SIZE_MAX && Match[I] > I) {
        I = Match[I];
        continue;
      }
      if (isPunct(I, ",")) {
        Args.push_back({S, I});
        S = I + 1;
      }
    }
    if (S < Close || !Args.empty())
      Args.push_back({S, Close});
    return Args;
  };
  auto StatementEnd = [&](size_t From) {
    for (size_t I = From; I < T.size(); ++I) {
      if (Match[I] != SIZE_MAX && Match[I] > I) {
        I = Match[I];
        continue;
      }
      if (isPunct(I, ";") || isPunct(I, "}") || isPunct(I, "{"))
        return I;
    }
    return T.size();
  };
  for (size_t I = 0; I < T.size(); ++I) {
    if (T[I].Kind != Tok::Ident)
      continue;
    llvm::StringRef W = text(I);
    size_t Prev = I == 0 ? SIZE_MAX : I - 1;
    bool Member = Prev != SIZE_MAX && isPunct(Prev, ".");
    if (!Member && (W.equals_insensitive("getUrl") || W.equals_insensitive("postUrl")) &&
        isPunct(I + 1, "(") && Match[I + 1] != SIZE_MAX) {
      Call C;
      C.Kind = W.equals_insensitive("getUrl") ? Call::GetUrl : Call::PostUrl;
      C.Name = I;
      C.Close = Match[I + 1];
      C.Args = SplitArgs(I + 1, C.Close);
      bool EndsStatement = isPunct(C.Close + 1, ";");
      if (isBoundary(Prev)) {
        C.StmtBegin = I;
        C.Statement = EndsStatement;
      } else if (I >= 2 && isPunct(I - 1, "=") && T[I - 2].Kind == Tok::Ident &&
                 isBoundary(I >= 3 ? I - 3 : SIZE_MAX)) {
        C.StmtBegin = I - 2;
        C.Statement = EndsStatement;
      }
      Calls.push_back(C);
    }
    if (!Member && W.equals_insensitive("invokeurl") && isPunct(I + 1, "[") &&
        Match[I + 1] != SIZE_MAX) {
      Block B;
      B.Name = I;
      B.Open = I + 1;
      B.Close = Match[I + 1];
      // Keys: `name[-name]* :` at the block's top level.
      std::vector<std::pair<size_t, size_t>> KeyAt; // key token, value start
      for (size_t J = B.Open + 1; J < B.Close; ++J) {
        if (Match[J] != SIZE_MAX && Match[J] > J) {
          J = Match[J];
          continue;
        }
        if (T[J].Kind != Tok::Ident)
          continue;
        size_t K = J;
        while (isPunct(K + 1, "-") && K + 2 < B.Close && T[K + 2].Kind == Tok::Ident)
          K += 2;
        if (isPunct(K + 1, ":")) {
          KeyAt.push_back({J, K + 2});
          J = K + 1;
        }
      }
      for (size_t K = 0; K < KeyAt.size(); ++K) {
        Block::Key Key;
        Key.KeyTok = KeyAt[K].first;
        Key.Name = Text.slice(T[KeyAt[K].first].B, T[KeyAt[K].second - 2].E).str();
        size_t End = K + 1 < KeyAt.size() ? KeyAt[K + 1].first : B.Close;
        Key.Value = {KeyAt[K].second, End};
        B.Keys.push_back(Key);
      }
      Blocks.push_back(B);
    }
    // `x = …;` and `m.put("k", v);` statements.
    if (!Member && isBoundary(Prev) && isPunct(I + 1, "=")) {
      Assign A;
      A.Name = W.str();
      A.NameTok = I;
      size_t E = StatementEnd(I + 2);
      A.Value = {I + 2, E};
      A.End = E < T.size() && isPunct(E, ";") ? E : (E ? E - 1 : 0);
      Assigns.push_back(A);
    }
    if (!Member && isBoundary(Prev) && isPunct(I + 1, ".") && I + 3 < T.size() &&
        T[I + 2].Kind == Tok::Ident && text(I + 2).equals_insensitive("put") &&
        isPunct(I + 3, "(") && Match[I + 3] != SIZE_MAX) {
      auto Args = SplitArgs(I + 3, Match[I + 3]);
      if (Args.size() == 2 && Args[0].Last == Args[0].First + 1 &&
          T[Args[0].First].Kind == Tok::Str && isPunct(Match[I + 3] + 1, ";")) {
        Put P;
        P.Receiver = W.str();
        P.RecvTok = I;
        P.Key = decodeString(text(Args[0].First));
        P.KeyTok = Args[0].First;
        P.Value = Args[1];
        P.End = Match[I + 3] + 1;
        Puts.push_back(P);
      }
    }
  }
  // Map literal entries `{"k": v, …}`.
  for (size_t I = 0; I < T.size(); ++I) {
    if (!isPunct(I, "{") || Match[I] == SIZE_MAX)
      continue;
    size_t Close = Match[I];
    for (const TokRange &A : SplitArgs(I, Close)) {
      if (A.Last < A.First + 3 || T[A.First].Kind != Tok::Str || !isPunct(A.First + 1, ":"))
        continue;
      Entry E;
      E.Key = decodeString(text(A.First));
      E.KeyTok = A.First;
      E.Value = {A.First + 2, A.Last};
      E.Open = I;
      E.Close = Close;
      Entries.push_back(E);
    }
  }
}

Expr Run::expr(TokRange R) const {
  Expr X;
  X.R = R;
  size_t S = R.First;
  for (size_t I = R.First; I <= R.Last; ++I) {
    if (I < R.Last && Match[I] != SIZE_MAX && Match[I] > I && Match[I] < R.Last) {
      I = Match[I];
      continue;
    }
    if (I == R.Last || isPunct(I, "+")) {
      if (S < I)
        X.Operands.push_back({S, I});
      S = I + 1;
    }
  }
  for (const TokRange &O : X.Operands) {
    if (O.Last == O.First + 1 && T[O.First].Kind == Tok::Str && Text[T[O.First].B] == '"') {
      size_t B = T[O.First].B + 1, E = T[O.First].E - 1;
      for (size_t P = B; P < E; ++P) {
        ParamItem It;
        It.Begin = P;
        if (Text[P] == '\\' && P + 1 < E) {
          It.C = Text[P + 1];
          It.End = P + 2;
          ++P;
        } else {
          It.C = Text[P];
          It.End = P + 1;
        }
        X.Items.push_back(It);
        X.InLiteral.push_back(1);
        X.Seg.push_back({B, E});
      }
      continue;
    }
    ParamItem H;
    H.Hole = true;
    H.Begin = T[O.First].B;
    H.End = T[O.Last - 1].E;
    X.Items.push_back(H);
    X.InLiteral.push_back(0);
    X.Seg.push_back({H.Begin, H.End});
  }
  return X;
}

TextEdit Run::cut(const Expr &X, size_t First, size_t Last) const {
  size_t B = X.Items[First].Begin, E = X.Items[Last].End;
  bool LB = X.InLiteral[First], LE = X.InLiteral[Last];
  size_t OrigB = B;
  if (LB && B == X.Seg[First].first && E >= X.Seg[First].second) {
    --B; // the opening quote
    LB = false;
  }
  if (LE && E == X.Seg[Last].second && OrigB <= X.Seg[Last].first) {
    ++E; // the closing quote
    LE = false;
  }
  TextEdit R;
  if (!LB && !LE) {
    // Whole operands go: with the `+` before them (or after, for the first operand).
    size_t P = B;
    while (P > 0 && llvm::isSpace(Text[P - 1]))
      --P;
    if (P > 0 && Text[P - 1] == '+' && P - 1 >= beginOf(X.R)) {
      B = P - 1;
      while (B > 0 && (Text[B - 1] == ' ' || Text[B - 1] == '\t'))
        --B;
    } else {
      size_t Q = E;
      while (Q < Text.size() && llvm::isSpace(Text[Q]))
        ++Q;
      if (Q < Text.size() && Text[Q] == '+') {
        E = Q + 1;
        while (E < Text.size() && (Text[E] == ' ' || Text[E] == '\t'))
          ++E;
      }
    }
  } else if (LB != LE) {
    R.Text = "\"";
  }
  R.Offset = B;
  R.Length = E - B;
  return R;
}

std::string Run::indentUnit() const {
  size_t Tabs = 0, Spaces = 0, Min = 0;
  for (llvm::StringRef L : llvm::split(Text, '\n')) {
    if (L.startswith("\t"))
      ++Tabs;
    else if (L.startswith(" ")) {
      ++Spaces;
      size_t N = L.find_first_not_of(' ');
      if (N != llvm::StringRef::npos && (Min == 0 || N < Min))
        Min = N;
    }
  }
  if (Spaces > Tabs && Min > 0)
    return std::string(Min, ' ');
  return "\t";
}

/// `https://books.zoho.<tld>/api/v3` -> `https://www.zohoapis.<tld>/books/v3` (and
/// Inventory's /api/v1): zoho-reference.md §1.1/§1.3 document these roots on the API host.
std::vector<TextEdit> Run::hostMove(const Expr &X, bool &Moved) const {
  Moved = false;
  if (X.Items.empty() || !X.InLiteral[0])
    return {};
  size_t B = X.Items[0].Begin, E = X.Seg[0].second;
  llvm::StringRef Raw = Text.slice(B, E);
  static const re2::RE2 Re("^(https?://"
                           ")(books|inventory)\\.(zoho\\.(?:com\\.au|com\\.cn|com|eu|in|jp|sa|uk)|"
                           "zohocloud\\.ca)/api/(v3|v1)(/|\\?|$)");
  std::string Scheme, Product, Host, Ver, After;
  if (!re2::RE2::PartialMatch(re2::StringPiece(Raw.data(), Raw.size()), Re, &Scheme, &Product,
                              &Host, &Ver, &After))
    return {};
  if ((Product == "books" && Ver != "v3") || (Product == "inventory" && Ver != "v1"))
    return {};
  std::string Tld = Host == "zohocloud.ca" ? "ca" : Host.substr(5);
  size_t Len = Scheme.size() + Product.size() + 1 + Host.size() + 5 + Ver.size();
  TextEdit T;
  T.Offset = B;
  T.Length = Len;
  T.Text = Scheme + "www.zohoapis." + Tld + "/" + Product + "/" + Ver;
  Moved = true;
  return {T};
}

std::optional<std::vector<TextEdit>> Run::urlEdits(const Expr &X, std::string &Why,
                                                   std::string *TokenVar, bool *Moved) const {
  auto Rm = removedParams(X.Items, /*FormBody=*/false, /*ScopeAlone=*/false, Why);
  if (!Rm)
    return std::nullopt;
  if (!Rm->Authtoken) {
    Why = "the URL's authtoken parameter is built in a way this fix does not edit";
    return std::nullopt;
  }
  std::vector<TextEdit> Out;
  for (const ItemRun &R : Rm->Runs) {
    Out.push_back(cut(X, R.First, R.Last));
    if (TokenVar)
      for (size_t I = R.First; I <= R.Last; ++I)
        if (X.Items[I].Hole) {
          llvm::StringRef H = Text.slice(X.Items[I].Begin, X.Items[I].End);
          bool Ident = !H.empty() && (llvm::isAlpha(H[0]) || H[0] == '_');
          for (char C : H)
            Ident = Ident && (llvm::isAlnum(C) || C == '_');
          if (Ident)
            *TokenVar = H.str();
        }
  }
  bool M = false;
  auto H = hostMove(X, M);
  for (const TextEdit &E : H) {
    bool Clash = false;
    for (const TextEdit &O : Out)
      Clash = Clash || (O.Offset < E.Offset + E.Length && E.Offset < O.Offset + O.Length);
    if (!Clash)
      Out.push_back(E);
    else
      M = false;
  }
  if (Moved)
    *Moved = M;
  return Out;
}

TextEdit Run::removeStatement(size_t FirstTok, size_t EndTok) const {
  return removeRange(Text, T[FirstTok].B, T[EndTok].E);
}

/// The request whose URL expression holds token \p Tok: a getUrl/postUrl first argument or
/// an invokeurl `url:` value.
std::optional<Target> Run::targetOfUrl(size_t Tok) const {
  for (size_t I = 0; I < Calls.size(); ++I)
    if (!Calls[I].Args.empty() && Calls[I].Args[0].First <= Tok && Tok < Calls[I].Args[0].Last)
      return Target{false, I};
  for (size_t I = 0; I < Blocks.size(); ++I)
    if (const Block::Key *K = Blocks[I].key("url"))
      if (K->Value.First <= Tok && Tok < K->Value.Last)
        return Target{true, I};
  return std::nullopt;
}

/// Whether \p Offset begins its line (only blanks before it).
bool startsLine(llvm::StringRef Text, size_t Offset) {
  return Text.slice(lineBegin(Text, Offset), Offset).find_first_not_of(" \t") ==
         llvm::StringRef::npos;
}

bool isBoolLiteral(llvm::StringRef S) {
  return S.equals_insensitive("true") || S.equals_insensitive("false");
}

/// The request that takes the expression starting at token \p Tok as its \p Role.
std::optional<Target> Run::targetOfArg(size_t Tok, int R) const {
  for (size_t I = 0; I < Calls.size(); ++I) {
    const Call &C = Calls[I];
    for (size_t A = 0; A < C.Args.size(); ++A) {
      if (!(C.Args[A].First <= Tok && Tok < C.Args[A].Last))
        continue;
      if (R == RoleUrl && A == 0)
        return Target{false, I};
      if (R == RoleParams && C.Kind == Call::PostUrl && A == 1)
        return Target{false, I};
      if (R == RoleHeaders && A > 0) {
        bool Header = C.Kind == Call::GetUrl ? A == 1 : A == 2;
        if (Header && !isBoolLiteral(text(C.Args[A])))
          return Target{false, I};
      }
    }
  }
  for (size_t I = 0; I < Blocks.size(); ++I)
    for (const Block::Key &K : Blocks[I].Keys)
      if (K.Value.First <= Tok && Tok < K.Value.Last) {
        llvm::StringRef N(K.Name);
        if ((R == RoleUrl && N.equals_insensitive("url")) ||
            (R == RoleParams && N.equals_insensitive("parameters")) ||
            (R == RoleHeaders && N.equals_insensitive("headers")))
          return Target{true, I};
      }
  return std::nullopt;
}

/// Follows \p Var to the requests that use it as \p Role; any other use is a reason to
/// leave it (N.Why). \p Extra collects the assignments followed (for the dead-endpoint
/// check).
void Run::usesOf(const std::string &Var, int R, Need &N, std::set<std::string> &Seen,
                 std::vector<size_t> &Extra) const {
  if (!Seen.insert(Var).second || !N.Why.empty())
    return;
  if (Seen.size() > 4) {
    N.Why = "the value is passed on through too many variables";
    return;
  }
  unsigned Assignments = 0;
  for (const Assign &A : Assigns)
    Assignments += A.Name == Var;
  if (Assignments > 1) {
    N.Why = fmt::format("`{}` is assigned {} times; which value each call sends is not clear", Var,
                        Assignments);
    return;
  }
  bool Any = false;
  for (size_t I = 0; I < T.size(); ++I) {
    if (T[I].Kind != Tok::Ident || text(I) != Var || (I > 0 && isPunct(I - 1, ".")))
      continue;
    // Its own assignments and puts.
    bool Own = false;
    for (const Assign &A : Assigns)
      Own = Own || A.NameTok == I;
    for (const Put &P : Puts)
      Own = Own || P.RecvTok == I;
    if (Own)
      continue;
    // Inside another variable's value (`full = url + "&page=1"`): follow it.
    const Assign *Into = nullptr;
    for (const Assign &A : Assigns)
      if (A.Value.First <= I && I < A.Value.Last)
        Into = &A;
    auto Tgt = targetOfArg(I, R);
    if (Tgt) {
      // The argument must be the variable itself (or `m.toString()` for parameters).
      TokRange Arg;
      if (Tgt->IsBlock) {
        for (const Block::Key &K : Blocks[Tgt->Index].Keys)
          if (K.Value.First <= I && I < K.Value.Last)
            Arg = K.Value;
      } else {
        for (const TokRange &A : Calls[Tgt->Index].Args)
          if (A.First <= I && I < A.Last)
            Arg = A;
      }
      llvm::StringRef AT = text(Arg);
      bool Plain = AT == Var || (R == RoleParams && AT.startswith(Var + ".toString("));
      if (R == RoleUrl) {
        Expr X = expr(Arg);
        Plain = false;
        for (const ParamItem &It : X.Items)
          Plain = Plain || (It.Hole && Text.slice(It.Begin, It.End) == Var);
      }
      if (!Plain) {
        N.Why = fmt::format("`{}` is used inside a larger expression at line {}; edit it by hand",
                            Var, lineNumber(Text, T[I].B));
        return;
      }
      N.Targets.insert(*Tgt);
      Any = true;
      continue;
    }
    if (Into && R == RoleUrl && Into->Name != Var) {
      Extra.push_back(Into->NameTok);
      usesOf(Into->Name, R, N, Seen, Extra);
      if (!N.Why.empty())
        return;
      Any = true;
      continue;
    }
    // `m = Map();` before the puts, `info m` … anything else is a use the fix cannot follow.
    N.Why = fmt::format("`{}` is also used at line {} other than by a getUrl/postUrl/invokeurl "
                        "call; edit it by hand",
                        Var, lineNumber(Text, T[I].B));
    return;
  }
  if (!Any && N.Targets.empty())
    N.Why = fmt::format("no getUrl, postUrl or invokeurl call uses `{}`", Var);
}

/// The text of \p R with identifiers replaced by the values assigned to them (for the
/// dead-endpoint check).
std::string Run::resolve(TokRange R, int Depth) const {
  std::string Out = text(R).str();
  if (Depth > 3)
    return Out;
  for (size_t I = R.First; I < R.Last; ++I)
    if (T[I].Kind == Tok::Ident)
      for (const Assign &A : Assigns)
        if (A.Name == text(I) && A.NameTok != I)
          Out += " " + resolve(A.Value, Depth + 1);
  return Out;
}

std::string Run::deadText(const Need &N) const {
  std::string Out;
  for (const Target &G : N.Targets) {
    if (G.IsBlock) {
      const Block &B = Blocks[G.Index];
      if (const Block::Key *K = B.key("url"))
        Out += resolve(K->Value, 0) + " ";
    } else if (!Calls[G.Index].Args.empty()) {
      Out += resolve(Calls[G.Index].Args[0], 0) + " ";
    }
  }
  return Out;
}

void Run::forFinding(size_t Index, Need &N) {
  const Finding &F = *Ctx.Findings[Index];
  size_t Off = F.Offset;
  size_t Tok = T.size();
  for (size_t I = 0; I < T.size(); ++I)
    if (T[I].B <= Off && Off < T[I].E) {
      Tok = I;
      break;
    }
  if (Tok == T.size()) {
    N.Why = "in a comment: update the text by hand";
    return;
  }
  llvm::StringRef Rule(F.RuleId);
  std::set<std::string> Seen;
  std::vector<size_t> Extra;

  if (Rule.contains("param-map")) {
    // m.put("authtoken", t);
    for (const Put &P : Puts) {
      if (P.KeyTok != Tok)
        continue;
      N.Edits.push_back(removeStatement(P.RecvTok, P.End));
      N.Removed.push_back({T[P.RecvTok].B, T[P.End].E});
      for (const Put &S : Puts)
        if (S.Receiver == P.Receiver && llvm::StringRef(S.Key).equals_insensitive("scope") &&
            isLegacyScopeValue(text(S.Value))) {
          N.Edits.push_back(removeStatement(S.RecvTok, S.End));
          N.Removed.push_back({T[S.RecvTok].B, T[S.End].E});
        }
      if (P.Value.Last == P.Value.First + 1 && T[P.Value.First].Kind == Tok::Ident)
        N.TokenVars.push_back(text(P.Value).str());
      usesOf(P.Receiver, RoleParams, N, Seen, Extra);
      return;
    }
    // {"authtoken": t, …}
    for (const Entry &E : Entries) {
      if (E.KeyTok != Tok)
        continue;
      N.Edits.push_back(removeListElement(Text, T[E.KeyTok].B, endOf(E.Value)));
      N.Removed.push_back({T[E.KeyTok].B, endOf(E.Value)});
      for (const Entry &S : Entries)
        if (S.Open == E.Open && S.KeyTok != E.KeyTok &&
            llvm::StringRef(S.Key).equals_insensitive("scope") &&
            isLegacyScopeValue(text(S.Value))) {
          N.Edits.push_back(removeListElement(Text, T[S.KeyTok].B, endOf(S.Value)));
          N.Removed.push_back({T[S.KeyTok].B, endOf(S.Value)});
        }
      if (E.Value.Last == E.Value.First + 1 && T[E.Value.First].Kind == Tok::Ident)
        N.TokenVars.push_back(text(E.Value).str());
      // The literal is assigned to a variable, or passed as a request's parameters.
      for (const Assign &A : Assigns)
        if (A.Value.First == E.Open && A.Value.Last == E.Close + 1) {
          usesOf(A.Name, RoleParams, N, Seen, Extra);
          return;
        }
      if (auto G = targetOfArg(E.Open, RoleParams)) {
        N.Targets.insert(*G);
        return;
      }
      N.Why = "the map literal is not passed to a getUrl/postUrl/invokeurl call this fix can "
              "follow";
      return;
    }
    N.Why = "the authtoken entry is not a `m.put(\"authtoken\", …);` statement or a map "
            "literal entry";
    return;
  }

  if (Rule.contains("header-map")) {
    for (const Put &P : Puts) {
      if (!(P.Value.First <= Tok && Tok < P.Value.Last))
        continue;
      if (!llvm::StringRef(P.Key).equals_insensitive("authorization")) {
        N.Why = "the Zoho-authtoken value is put under another header name; edit it by hand";
        return;
      }
      N.Edits.push_back(removeStatement(P.RecvTok, P.End));
      N.Removed.push_back({T[P.RecvTok].B, T[P.End].E});
      Expr X = expr(P.Value);
      for (const ParamItem &It : X.Items)
        if (It.Hole)
          N.TokenVars.push_back(Text.slice(It.Begin, It.End).str());
      usesOf(P.Receiver, RoleHeaders, N, Seen, Extra);
      return;
    }
    for (const Entry &E : Entries) {
      if (!(E.Value.First <= Tok && Tok < E.Value.Last))
        continue;
      if (!llvm::StringRef(E.Key).equals_insensitive("authorization")) {
        N.Why = "the Zoho-authtoken value is put under another header name; edit it by hand";
        return;
      }
      N.Edits.push_back(removeListElement(Text, T[E.KeyTok].B, endOf(E.Value)));
      N.Removed.push_back({T[E.KeyTok].B, endOf(E.Value)});
      for (const Assign &A : Assigns)
        if (A.Value.First == E.Open && A.Value.Last == E.Close + 1) {
          usesOf(A.Name, RoleHeaders, N, Seen, Extra);
          return;
        }
      if (auto G = targetOfArg(E.Open, RoleHeaders)) {
        N.Targets.insert(*G);
        return;
      }
      N.Why = "the header map is not passed to a call this fix can follow";
      return;
    }
    N.Why = "the Zoho-authtoken header is not a `h.put(\"Authorization\", …);` statement or "
            "a map literal entry";
    return;
  }

  // A URL holding authtoken=: the request's own URL argument or a variable's value.
  std::optional<Target> Direct = targetOfUrl(Tok);
  const Assign *In = nullptr;
  for (const Assign &A : Assigns)
    if (A.Value.First <= Tok && Tok < A.Value.Last)
      In = &A;
  TokRange UrlRange;
  if (Direct) {
    if (Direct->IsBlock)
      UrlRange = Blocks[Direct->Index].key("url")->Value;
    else
      UrlRange = Calls[Direct->Index].Args[0];
  } else if (In) {
    UrlRange = In->Value;
  } else {
    N.Why = "the URL is not a getUrl/postUrl/invokeurl argument or a variable's value";
    return;
  }
  Expr X = expr(UrlRange);
  std::string Why, TokenVar;
  bool Moved = false;
  auto E = urlEdits(X, Why, &TokenVar, &Moved);
  if (!E) {
    N.Why = Why;
    return;
  }
  N.Edits = *E;
  for (const TextEdit &Ed : *E)
    if (Ed.Length)
      N.Removed.push_back({Ed.Offset, Ed.Offset + Ed.Length});
  if (!TokenVar.empty())
    N.TokenVars.push_back(TokenVar);
  if (Direct)
    N.Targets.insert(*Direct);
  else
    usesOf(In->Name, RoleUrl, N, Seen, Extra);
}

bool overlaps(const TextEdit &A, const TextEdit &B) {
  if (A.Offset == B.Offset && A.Length == B.Length && A.Text == B.Text)
    return false;
  if (A.Length == 0 && B.Length == 0)
    return false;
  size_t AE = A.Offset + A.Length, BE = B.Offset + B.Length;
  if (A.Length == 0)
    return B.Offset < A.Offset && A.Offset < BE;
  if (B.Length == 0)
    return A.Offset < B.Offset && B.Offset < AE;
  return A.Offset < BE && B.Offset < AE;
}

/// \p Text's [B, E) with the edits lying inside it applied.
std::string applyInside(llvm::StringRef Text, size_t B, size_t E,
                        const std::vector<TextEdit> &Edits) {
  std::vector<TextEdit> In;
  for (const TextEdit &X : Edits)
    if (B <= X.Offset && X.Offset + X.Length <= E) {
      TextEdit Y = X;
      Y.Offset -= B;
      In.push_back(Y);
    }
  std::string S = Text.slice(B, E).str();
  applyEdits(S, In);
  return S;
}

void DelugeFixer::fix(FileContext &Ctx) const {
  std::string Conn = Ctx.Opts && !Ctx.Opts->Connection.empty()
                         ? Ctx.Opts->Connection
                         : helperNamespace("deluge", Ctx.Opts ? *Ctx.Opts : FixOptions());
  Run Rn(Ctx, Ctx.Text, Conn);
  Rn.index();
  llvm::StringRef Text = Ctx.Text;

  std::vector<Need> Needs(Ctx.Findings.size());
  std::vector<size_t> Hardcoded;
  for (size_t I = 0; I < Ctx.Findings.size(); ++I) {
    const Finding &F = *Ctx.Findings[I];
    Need &N = Needs[I];
    llvm::StringRef Rule(F.RuleId);
    if (Rule.contains("doc-")) {
      N.Why = "documentation or a comment: update the text by hand";
      continue;
    }
    if (Rule.contains("hardcoded")) {
      Hardcoded.push_back(I);
      continue;
    }
    if (!Rule.startswith("deluge-")) {
      N.Why = "no Deluge recipe for this finding";
      continue;
    }
    Rn.forFinding(I, N);
    if (N.Why.empty()) {
      std::string Advice = deadEndpoint(Rn.deadText(N));
      if (!Advice.empty())
        N.Why = Advice;
    }
    if (N.Why.empty())
      for (const Target &G : N.Targets)
        if (!G.IsBlock) {
          const Call &C = Rn.Calls[G.Index];
          if (!C.Statement) {
            N.Why = "the call is part of a larger expression; assign invokeurl's response to a "
                    "variable first, then rewrite it by hand";
            break;
          }
          size_t Max = C.Kind == Call::GetUrl ? 3 : 4;
          if (C.Args.empty() || C.Args.size() > Max ||
              (C.Kind == Call::PostUrl && C.Args.size() < 2)) {
            N.Why = "a getUrl/postUrl call with arguments this fix does not know";
            break;
          }
        }
  }

  // Groups: findings that share a request are fixed together (the first owns the edits).
  std::vector<size_t> Owner(Needs.size());
  for (size_t I = 0; I < Owner.size(); ++I)
    Owner[I] = I;
  auto Find = [&](size_t I) {
    while (Owner[I] != I)
      I = Owner[I] = Owner[Owner[I]];
    return I;
  };
  std::map<Target, size_t> FirstOf;
  for (size_t I = 0; I < Needs.size(); ++I) {
    if (!Needs[I].Why.empty())
      continue;
    for (const Target &G : Needs[I].Targets) {
      auto [It, New] = FirstOf.emplace(G, I);
      if (!New) {
        size_t A = Find(It->second), B = Find(I);
        if (A != B)
          Owner[std::max(A, B)] = std::min(A, B);
      }
    }
  }
  std::map<size_t, std::vector<size_t>> Groups;
  for (size_t I = 0; I < Needs.size(); ++I)
    if (Needs[I].Why.empty())
      Groups[Find(I)].push_back(I);

  llvm::StringRef NL = newlineOf(Text);
  std::string Unit = Rn.indentUnit();
  std::vector<TextEdit> Committed;
  std::vector<std::pair<size_t, std::string>> TokenVarOwners; // owner finding, variable
  std::vector<std::pair<size_t, size_t>> RemovedAll;
  for (auto &[Root, Members] : Groups) {
    std::vector<TextEdit> Carrier;
    std::set<Target> Targets;
    for (size_t I : Members) {
      Carrier.insert(Carrier.end(), Needs[I].Edits.begin(), Needs[I].Edits.end());
      Targets.insert(Needs[I].Targets.begin(), Needs[I].Targets.end());
    }
    std::vector<TextEdit> Out;
    std::vector<std::string> Notes;
    bool Bad = false;
    std::string BadWhy;
    // Every rewritten request's URL moves to the API host where the reference says so.
    for (const Target &G : Targets) {
      TokRange U;
      if (G.IsBlock) {
        if (const Block::Key *K = Rn.Blocks[G.Index].key("url"))
          U = K->Value;
      } else if (!Rn.Calls[G.Index].Args.empty()) {
        U = Rn.Calls[G.Index].Args[0];
      }
      if (U.empty())
        continue;
      bool Moved = false;
      for (const TextEdit &H : Rn.hostMove(Rn.expr(U), Moved)) {
        bool Clash = false;
        for (const TextEdit &K : Carrier)
          Clash = Clash || overlaps(H, K);
        if (!Clash)
          Carrier.push_back(H);
      }
    }
    std::vector<bool> Inside(Carrier.size(), false);
    for (const Target &G : Targets) {
      if (G.IsBlock) {
        const Block &B = Rn.Blocks[G.Index];
        if (!B.key("connection")) {
          // A `connection:` line before `]`, indented like the other keys.
          size_t CloseB = Rn.T[B.Close].B;
          TextEdit E;
          if (startsLine(Text, CloseB) && !B.Keys.empty()) {
            std::string Ind = indentOf(Text, Rn.T[B.Keys.back().KeyTok].B).str();
            E.Offset = lineBegin(Text, CloseB);
            E.Text = Ind + "connection:\"" + Conn + "\"" + NL.str();
          } else {
            E.Offset = CloseB;
            size_t P = CloseB;
            bool Space = P > 0 && (Text[P - 1] == ' ' || Text[P - 1] == '\t');
            E.Text = std::string(Space ? "" : " ") + "connection:\"" + Conn + "\" ";
          }
          Out.push_back(E);
        }
        continue;
      }
      const Call &C = Rn.Calls[G.Index];
      size_t CallB = Rn.T[C.Name].B, CallE = Rn.T[C.Close].E;
      for (size_t K = 0; K < Carrier.size(); ++K)
        if (CallB <= Carrier[K].Offset && Carrier[K].Offset + Carrier[K].Length <= CallE)
          Inside[K] = true;
      auto ArgText = [&](size_t A) {
        return llvm::StringRef(
                   applyInside(Text, Rn.beginOf(C.Args[A]), Rn.endOf(C.Args[A]), Carrier))
            .trim()
            .str();
      };
      std::string Url = ArgText(0), Params, Headers;
      bool Detailed = false;
      auto Flag = [&](size_t A) -> bool {
        llvm::StringRef V = Rn.text(C.Args[A]).trim();
        if (V.equals_insensitive("false"))
          Detailed = true;
        if (isBoolLiteral(V))
          return true;
        // Not a literal: it must be a header map (a variable built with Map()/{…}/put).
        bool MapLike = V.startswith("{") || V.startswith_insensitive("map(");
        for (const Put &P : Rn.Puts)
          MapLike = MapLike || P.Receiver == V;
        for (const Assign &As : Rn.Assigns)
          MapLike = MapLike || (As.Name == V && (Rn.text(As.Value).startswith_insensitive("map(") ||
                                                 Rn.text(As.Value).startswith("{")));
        if (!MapLike) {
          Bad = true;
          BadWhy = fmt::format("cannot tell whether `{}` is a header map or the true/false flag",
                               V.str());
        }
        return false;
      };
      if (C.Kind == Call::GetUrl) {
        if (C.Args.size() >= 2 && !Flag(1))
          Headers = ArgText(1);
        if (C.Args.size() == 3 && !Flag(2)) {
          Bad = true;
          BadWhy = "getUrl's last argument is not true or false";
        }
      } else {
        Params = ArgText(1);
        if (C.Args.size() >= 3 && !Flag(2))
          Headers = ArgText(2);
        if (C.Args.size() == 4 && !Flag(3)) {
          Bad = true;
          BadWhy = "postUrl's last argument is not true or false";
        }
      }
      if (Bad)
        break;
      std::string Base = indentOf(Text, Rn.T[C.StmtBegin].B).str();
      std::string In = Base + Unit;
      std::string S = "invokeurl" + NL.str() + Base + "[" + NL.str();
      S += In + "url :" + Url + NL.str();
      S += In + (C.Kind == Call::GetUrl ? "type :GET" : "type :POST") + NL.str();
      if (!Params.empty())
        S += In + "parameters:" + Params + NL.str();
      if (!Headers.empty())
        S += In + "headers:" + Headers + NL.str();
      if (Detailed) {
        S += In + "detailed:true" + NL.str();
        Notes.push_back("its detailed response (false flag) becomes `detailed:true`; "
                        "zoho-reference.md does not confirm that invokeurl's detailed map has "
                        "the same responseCode/responseText keys: check them");
      }
      S += In + "connection:\"" + Conn + "\"" + NL.str() + Base + "]";
      // Text functions called on the response (getUrl/postUrl returned text).
      if (C.StmtBegin != C.Name) {
        llvm::StringRef Var = Rn.text(C.StmtBegin);
        static const char *const TextFns[] = {
            "toJSONList", "toXML",     "executeXPath", "contains", "startsWith", "endsWith",
            "indexOf",    "substring", "subString",    "length",   "replaceAll", "getSuffix",
            "getPrefix",  "toList",    "matches",      "trim",     "toMap",      "lastIndexOf"};
        for (size_t I = C.Close + 1; I + 3 < Rn.T.size(); ++I) {
          if (Rn.T[I].Kind != Tok::Ident || Rn.text(I) != Var)
            continue;
          if (Rn.isPunct(I + 1, "=") && I > 0 && Rn.isBoundary(I - 1))
            break; // assigned again
          if (!Rn.isPunct(I + 1, ".") || Rn.T[I + 2].Kind != Tok::Ident || !Rn.isPunct(I + 3, "("))
            continue;
          llvm::StringRef Fn = Rn.text(I + 2);
          for (const char *TF : TextFns)
            if (Fn.equals_insensitive(TF)) {
              Notes.push_back(fmt::format("`{}.{}()` (line {}) read the text getUrl/postUrl "
                                          "returned; invokeurl gives JSON as a map: check it",
                                          Var.str(), Fn.str(), lineNumber(Text, Rn.T[I].B)));
              break;
            }
        }
      }
      TextEdit E;
      E.Offset = CallB;
      E.Length = CallE - CallB;
      E.Text = S;
      Out.push_back(E);
    }
    if (!Bad)
      for (size_t K = 0; K < Carrier.size(); ++K)
        if (!Inside[K])
          Out.push_back(Carrier[K]);
    bool Clash = false;
    for (size_t A = 0; A < Out.size() && !Clash; ++A) {
      for (size_t B = A + 1; B < Out.size() && !Clash; ++B)
        Clash = overlaps(Out[A], Out[B]);
      for (const TextEdit &K : Committed)
        Clash = Clash || overlaps(Out[A], K);
    }
    if (Bad || Clash) {
      for (size_t I : Members)
        Needs[I].Why = Bad ? BadWhy : "its edits overlap the edits of another call; fix it by hand";
      continue;
    }
    std::set<std::tuple<size_t, size_t, std::string>> Seen;
    for (const TextEdit &E : Out)
      if (Seen.insert({E.Offset, E.Length, E.Text}).second) {
        Ctx.addEdit(Members.front(), E);
        Committed.push_back(E);
      }
    std::set<std::string> Kinds;
    for (const Target &G : Targets)
      Kinds.insert(G.IsBlock                                ? "invokeurl"
                   : Rn.Calls[G.Index].Kind == Call::GetUrl ? "getUrl"
                                                            : "postUrl");
    std::string KindList;
    for (const std::string &K : Kinds)
      KindList += (KindList.empty() ? "`" : ", `") + K + "`";
    bool AnyMoved = false;
    for (const TextEdit &E : Carrier)
      AnyMoved = AnyMoved || llvm::StringRef(E.Text).contains("www.zohoapis.");
    for (size_t I : Members) {
      bool OnlyBlocks = Kinds.size() == 1 && Kinds.count("invokeurl");
      std::string What = fmt::format(
          "{} {} connection:\"{}\": a Zoho OAuth connection with that link name and the "
          "call's scopes must exist (it adds the OAuth header)",
          KindList, OnlyBlocks ? "now uses" : "becomes invokeurl with", Conn);
      if (AnyMoved)
        What += "; the URL moved to www.zohoapis.<tld> (the OAuth API host)";
      for (const std::string &Nt : Notes)
        What += "; " + Nt;
      Ctx.fixed(I, What);
      for (const std::string &V : Needs[I].TokenVars)
        TokenVarOwners.push_back({Members.front(), V});
      RemovedAll.insert(RemovedAll.end(), Needs[I].Removed.begin(), Needs[I].Removed.end());
    }
  }

  // Variables that held the token, once nothing else uses them: their assignments go.
  if (!Committed.empty()) {
    std::string New = Text.str();
    applyEdits(New, Committed);
    std::vector<Tok> NT = tokenize(New);
    std::set<std::string> Done;
    for (const auto &[OwnerIdx, Var] : TokenVarOwners) {
      if (!Done.insert(Var).second)
        continue;
      std::vector<const Assign *> Own;
      for (const Assign &A : Rn.Assigns)
        if (A.Name == Var)
          Own.push_back(&A);
      if (Own.empty())
        continue;
      // Each assignment must be side-effect free: a literal or a (dotted) name.
      bool Simple = true;
      for (const Assign *A : Own) {
        for (size_t I = A->Value.First; I < A->Value.Last; ++I)
          Simple = Simple && (Rn.T[I].Kind != Tok::Punct || Rn.isPunct(I, "."));
        Simple = Simple && Rn.isPunct(A->End, ";");
      }
      if (!Simple)
        continue;
      size_t Mentions = 0;
      for (size_t I = 0; I < NT.size(); ++I) {
        if (NT[I].Kind != Tok::Ident || llvm::StringRef(New).slice(NT[I].B, NT[I].E) != Var ||
            (I > 0 && NT[I - 1].Kind == Tok::Punct &&
             llvm::StringRef(New).slice(NT[I - 1].B, NT[I - 1].E) == "."))
          continue;
        ++Mentions;
      }
      if (Mentions != Own.size()) // only its own assignments are left
        continue;
      std::vector<TextEdit> Rm;
      for (const Assign *A : Own)
        Rm.push_back(Rn.removeStatement(A->NameTok, A->End));
      bool Clash = false;
      for (const TextEdit &E : Rm)
        for (const TextEdit &K : Committed)
          Clash = Clash || overlaps(E, K);
      if (Clash)
        continue;
      for (const TextEdit &E : Rm) {
        Ctx.addEdit(OwnerIdx, E);
        Committed.push_back(E);
        RemovedAll.push_back({E.Offset, E.Offset + E.Length});
      }
    }
  }
  for (size_t I : Hardcoded) {
    const Finding &F = *Ctx.Findings[I];
    Ctx.RevokeLines.push_back(F.Begin.Line);
    bool Gone = false;
    for (const auto &[B, E] : RemovedAll)
      Gone = Gone || (B <= F.Offset && F.Offset < E);
    Needs[I].Why = Gone ? "a hard-coded legacy token (the patch removes it): revoke it, it stays "
                          "in the repository's history"
                        : "a hard-coded legacy token: revoke it, and remove it once no request "
                          "uses it";
  }
  for (size_t I = 0; I < Needs.size(); ++I)
    if (!Needs[I].Why.empty())
      Ctx.manual(I, Needs[I].Why);
}

} // namespace

std::unique_ptr<LanguageFixer> makeDelugeFixer() { return std::make_unique<DelugeFixer>(); }

} // namespace atm::fix
