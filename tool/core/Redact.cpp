#include "core/Redact.h"

#include <cstring>

#include <algorithm>
#include <functional>
#include <optional>

#include "llvm/ADT/StringExtras.h"
#include "re2/re2.h"

namespace atm {

namespace {

using llvm::StringRef;

/// How far a value may run from its key: a quoted value split over lines, a YAML block.
constexpr size_t MaxValueLines = 200;
constexpr size_t MaxValueBytes = 64 * 1024;
/// How far line starts and ends are looked for around a key (a longer line is minified
/// code, where a key's value never runs further than this).
constexpr size_t LineScanBytes = 4096;
/// Concatenated literals joined into one value ("a" "b", 'a' . 'b', "a" + "b").
constexpr unsigned MaxPieces = 8;

bool isQuote(char C) { return C == '"' || C == '\'' || C == '`'; }
bool isBlank(char C) { return C == ' ' || C == '\t' || C == '\r' || C == '\f' || C == '\v'; }
bool isNameChar(char C) {
  return llvm::isAlnum(C) || C == '_' || C == '.' || C == '-' || C == '[' || C == ']';
}

const RE2 &keyRe() {
  // A secret key, an optional closing quote of a quoted key, and a separator.
  static const RE2 Re(
      R"re((?i)(auth[_-]?token|client[_-]?secret|secret[_-]?key|refresh[_-]?token|access[_-]?token|pass[_-]?phrase|password|passwd|pwd|secret|ticket|api[_-]?key|zapikey)(\\?["'`]|%2[27])?[ \t]*(===?|=>|:=|::?|=|%3[da]|,|\(|>)[ \t]*)re");
  return Re;
}
const RE2 &headerRe() {
  static const RE2 Re(R"re((?i)\b(zoho-authtoken|zoho-oauthtoken|bearer)(?:[ \t]+|%20|\+))re");
  return Re;
}
const RE2 &bareTokenRe() {
  // 1000.<hex>.<hex> OAuth tokens and grant codes; 24–64 character alphanumeric runs
  // (32-hex authtokens, Zoho's non-hex sample tokens) holding digits and letters.
  static const RE2 Re(
      R"re(\b(1\d{3}\.[0-9a-fA-F]{8,}\.[0-9a-fA-F]{8,}|[A-Za-z0-9]{24,64})\b)re");
  return Re;
}
const RE2 &referenceRe() {
  // An identifier chain: a.b, a->b, A::b, a?.b, a[..], calls a(..) with one nesting level.
  static const RE2 Re(
      R"re([A-Za-z_@][\w$]*(?:(?:\.|->|::|\?\.)[A-Za-z_$][\w$]*|\[[^\]\n]*\]|\((?:[^()\n]|\([^()\n]*\))*\))*[;,]?)re");
  return Re;
}
const RE2 &configLinePrefixRe() {
  // What may precede a key that starts a config-style line: indentation, `export`,
  // `set`, a YAML list dash, comment markers, and the rest of the key name.
  static const RE2 Re(
      R"re([ \t]*(?:(?:export|set|declare|local|readonly|ENV)[ \t]+|-[ \t]+|(?:#+|//|--|;|\*|/\*|<!--|REM[ \t])[ \t]*)*[\w.$-]*)re");
  return Re;
}

bool hasDigitAndAlpha(StringRef V) {
  bool D = false, A = false;
  for (char C : V) {
    D |= llvm::isDigit(C);
    A |= llvm::isAlpha(C);
  }
  return D && A;
}
bool hasNonAscii(StringRef V) {
  return llvm::any_of(V, [](char C) { return static_cast<unsigned char>(C) >= 0x80; });
}

/// Placeholders and references that are not secrets in any context.
bool isPlaceholder(StringRef V) {
  if (V.empty() || V == SecretMask || V == "?")
    return true;
  char C = V[0];
  if (C == '$' && V.size() > 1 && (V[1] == '{' || V[1] == '(' || llvm::isAlpha(V[1]) || V[1] == '_'))
    return true;
  if (V.startswith("{{") || V.startswith("#{") || V.startswith("<%") || V.startswith("[["))
    return true;
  if (C == '{') {
    size_t Close = V.find('}');
    return Close != StringRef::npos &&
           llvm::all_of(V.slice(1, Close), [](char X) { return isNameChar(X) || X == ' ' || X == ':'; });
  }
  if (C == '<') {
    size_t Close = V.find('>');
    return Close != StringRef::npos && Close > 1 &&
           llvm::all_of(V.slice(1, Close), [](char X) { return isNameChar(X) || X == ' '; });
  }
  if (C == '%') // %s, %(pw)s, %{x}, %d — but %26 is an encoded character
    return !(V.size() >= 3 && llvm::isHexDigit(V[1]) && llvm::isHexDigit(V[2]));
  if (C == ':' && V.size() > 1 && (llvm::isAlpha(V[1]) || V[1] == '_') &&
      llvm::all_of(V.drop_front(), [](char X) { return llvm::isAlnum(X) || X == '_'; }))
    return true; // :password (SQL named parameter, Ruby symbol)
  std::string L = V.lower();
  StringRef LR(L);
  if (LR.startswith("your_") || LR.startswith("your-") || LR.endswith("_here") ||
      LR.endswith("-here"))
    return true;
  // Masks written by hand, and our own.
  return llvm::all_of(V, [](char X) { return X == '*' || X == 'x' || X == 'X' || X == '.'; }) ||
         (V.endswith(SecretMask) && V.size() <= 4 + SecretMask.size()); // masked already
}

/// A code expression rather than a literal: an identifier chain with a member access,
/// index or call, or a plain identifier without digits (`pw`, `None`, `token`).
bool isReference(StringRef V) {
  if (V.empty())
    return true;
  re2::StringPiece In(V.data(), V.size());
  if (!RE2::FullMatch(In, referenceRe()))
    return false;
  return V[0] == '@' || V.contains('.') || V.contains('(') || V.contains('[') ||
         V.contains("->") || V.contains("::") ||
         !llvm::any_of(V, [](char C) { return llvm::isDigit(C); });
}

/// Content [Begin, End) of the string literal (or config value) around a position.
struct StrCtx {
  size_t Begin = 0, End = 0;
  char Quote = 0;   ///< 0: not quoted (heredoc body, unquoted config value)
  unsigned QLen = 1;
};

/// Classification of a value's text.
enum class Lit { Literal, MaybeCode };

class Redactor {
public:
  Redactor(StringRef T, size_t From, size_t To, const SpanMap *Spans)
      : T(T), From(From), To(std::min(To, T.size())), Spans(Spans) {
    if (!Spans)
      scanQuotes();
  }

  std::vector<SecretRange> run();

private:
  StringRef T;
  size_t From, To;
  const SpanMap *Spans;
  std::vector<StrCtx> Strings; // quote-state scan (no spans)
  std::vector<SecretRange> Out;
  bool Encoded = false; ///< the current key's separator was percent-encoded

  // Line ends are looked for at most LineScanBytes away: on a minified line of megabytes
  // every key would otherwise cost a scan of the whole line (quadratic in the findings).
  size_t lineEnd(size_t I) const {
    size_t Lim = std::min(T.size(), I + LineScanBytes);
    const void *P = I < Lim ? std::memchr(T.data() + I, '\n', Lim - I) : nullptr;
    return P ? static_cast<const char *>(P) - T.data() : Lim;
  }
  size_t lineStart(size_t I) const {
    size_t Lim = I > LineScanBytes ? I - LineScanBytes : 0;
    for (size_t K = I; K > Lim; --K)
      if (T[K - 1] == '\n')
        return K;
    return Lim;
  }
  /// Trims blanks off [B, E).
  void trim(size_t &B, size_t &E) const {
    while (B < E && isBlank(T[B]))
      ++B;
    while (E > B && isBlank(T[E - 1]))
      --E;
  }

  /// The closing quote of a literal whose content starts at \p B, or npos.
  size_t findClose(size_t B, char Q, unsigned QLen, bool MultiLine) const {
    size_t Limit = std::min(T.size(), B + MaxValueBytes);
    size_t Lines = 0;
    for (size_t J = B; J < Limit; ++J) {
      char D = T[J];
      if (D == '\\') {
        ++J;
        continue;
      }
      if (D == '\n' && (!MultiLine || ++Lines > MaxValueLines))
        return StringRef::npos;
      if (D == Q && (QLen == 1 || (J + 2 < T.size() && T[J + 1] == Q && T[J + 2] == Q)))
        return J;
    }
    return StringRef::npos;
  }

  void scanQuotes() {
    size_t I = From;
    while (I < To) {
      char C = T[I];
      if (!isQuote(C)) {
        ++I;
        continue;
      }
      unsigned QL = I + 2 < T.size() && T[I + 1] == C && T[I + 2] == C ? 3 : 1;
      size_t B = I + QL;
      size_t Close = findClose(B, C, QL, QL == 3 || C == '`');
      size_t E = Close == StringRef::npos ? std::min(lineEnd(B), T.size()) : Close;
      if (QL == 3 || C == '`')
        E = Close == StringRef::npos ? T.size() : Close;
      Strings.push_back({B, E, C, QL});
      I = Close == StringRef::npos ? E : E + QL;
    }
  }

  /// The string literal or config value holding \p P (not its quotes), if any.
  std::optional<StrCtx> stringAt(size_t P) const {
    if (!Spans) {
      auto It = std::upper_bound(Strings.begin(), Strings.end(), P,
                                 [](size_t X, const StrCtx &S) { return X < S.Begin; });
      if (It == Strings.begin())
        return std::nullopt;
      --It;
      if (P >= It->Begin && P < It->End)
        return *It;
      return std::nullopt;
    }
    const Span *S = Spans->spanAt(P);
    if (!S || (S->Kind != SpanKind::String && S->Kind != SpanKind::ConfigValue))
      return std::nullopt;
    StrCtx C;
    C.Begin = S->Begin;
    C.End = S->End;
    // Skip a prefix (r", @", u8", $@") and the opening quote.
    for (size_t K = S->Begin; K < std::min(S->End, S->Begin + 4); ++K)
      if (isQuote(T[K])) {
        C.Quote = T[K];
        C.QLen = K + 2 < S->End && T[K + 1] == C.Quote && T[K + 2] == C.Quote ? 3 : 1;
        C.Begin = K + C.QLen;
        break;
      } else if (!llvm::isAlnum(T[K]) && T[K] != '@' && T[K] != '$') {
        break;
      }
    if (C.Quote && C.End >= C.Begin + C.QLen && T[C.End - 1] == C.Quote)
      C.End -= C.QLen;
    if (P < C.Begin || P >= C.End)
      return std::nullopt;
    return C;
  }

  /// At \p P: a quoted literal (with an optional short prefix)? Sets its quote.
  bool startsQuoted(size_t P, size_t &QuoteAt) const {
    for (size_t K = P; K < std::min(T.size(), P + 4); ++K) {
      if (isQuote(T[K])) {
        QuoteAt = K;
        return true;
      }
      if (!(llvm::isAlnum(T[K]) || T[K] == '@' || T[K] == '$') || K - P >= 2)
        return false;
    }
    return false;
  }

  /// `&name=` / `&amp;` at \p I: the end of a URL or form parameter; `%26name%3D` too
  /// when the key's own separator was encoded (a URL inside a parameter), but not
  /// otherwise: there %26 is an '&' inside the value.
  bool paramBoundary(size_t I) const {
    size_t J;
    if (T[I] == '&') {
      if (T.substr(I).startswith("&amp;"))
        return true;
      J = I + 1;
    } else if (Encoded && T.substr(I).startswith_insensitive("%26")) {
      J = I + 3;
    } else {
      return false;
    }
    size_t N = J;
    while (N < T.size() && isNameChar(T[N]))
      ++N;
    if (N == J)
      return false;
    return (N < T.size() && T[N] == '=') || T.substr(N).startswith_insensitive("%3d");
  }

  /// Where a token value stops: tokens never hold blanks, quotes, separators or '&'.
  bool tokenStop(size_t J) const {
    char C = T[J];
    if (isBlank(C) || C == '\n' || isQuote(C) || C == '&' ||
        StringRef("\\,;)]}<>#|").contains(C))
      return true;
    if (C == '%' && J + 2 < T.size()) {
      StringRef E = T.substr(J + 1, 2);
      return E.equals_insensitive("26") || E.equals_insensitive("20") ||
             E.equals_insensitive("22") || E.equals_insensitive("27") ||
             E.equals_insensitive("2c") || E.equals_insensitive("3b") ||
             E.equals_insensitive("0a") || E.equals_insensitive("0d");
    }
    return false;
  }

  /// Records a value made of \p Pieces if it is a secret.
  void emit(std::vector<std::pair<size_t, size_t>> Pieces, SecretKind K, Lit L) {
    std::string Joined;
    for (auto &[B, E] : Pieces) {
      E = std::min(std::max(B, E), T.size()); // an empty piece, never a negative one
      B = std::min(B, E);
      trim(B, E);
      Joined.append(T.data() + B, E - B);
    }
    StringRef V(Joined);
    if (V.empty() || isPlaceholder(V))
      return;
    if (L == Lit::MaybeCode && isReference(V))
      return;
    if (K == SecretKind::Token && !hasDigitAndAlpha(V) && !hasNonAscii(V))
      return;
    for (auto &[B, E] : Pieces)
      if (E > B)
        Out.push_back({B, E, K});
  }

  /// A literal continued by concatenation after its closing quote at \p After:
  /// `"a" "b"`, `"a" + "b"`, `'a' . 'b'`, over lines. Returns the next literal's
  /// content, unless it is a key (`"b": …`).
  std::optional<StrCtx> continuation(size_t After) const {
    size_t K = After;
    auto SkipWs = [&] {
      while (K < T.size() && (isBlank(T[K]) || T[K] == '\n' ||
                              (T[K] == '\\' && K + 1 < T.size() && T[K + 1] == '\n')))
        ++K;
    };
    SkipWs();
    for (StringRef Op : {"..", "<<", "||", "+", ".", "&", "~"})
      if (T.substr(K).startswith(Op)) {
        K += Op.size();
        break;
      }
    SkipWs();
    size_t Q;
    if (K >= T.size() || K - After > 400 || !startsQuoted(K, Q))
      return std::nullopt;
    char C = T[Q];
    unsigned QL = Q + 2 < T.size() && T[Q + 1] == C && T[Q + 2] == C ? 3 : 1;
    size_t Close = findClose(Q + QL, C, QL, QL == 3 || C == '`');
    if (Close == StringRef::npos)
      return std::nullopt;
    size_t N = Close + QL;
    while (N < T.size() && isBlank(T[N]))
      ++N;
    if (N < T.size() && T[N] == ':')
      return std::nullopt; // the next key of a map
    return StrCtx{Q + QL, Close, C, QL};
  }

  /// A key inside a string or config value: the value runs to the next parameter
  /// (`&name=`), the end of the line, or the string's closing quote — and on into
  /// concatenated literals.
  size_t inString(size_t P, StrCtx Ctx, SecretKind K) {
    std::vector<std::pair<size_t, size_t>> Pieces;
    if (P < Ctx.End && (T.substr(P).startswith("\\\"") || T.substr(P).startswith("\\'"))) {
      // JSON inside a string: "{\"password\":\"…\"}".
      size_t X = T.find(T.substr(P, 2), P + 2);
      size_t E = X == StringRef::npos || X > Ctx.End ? Ctx.End : X;
      emit({{P + 2, E}}, K, Lit::Literal);
      return E;
    }
    if (P < Ctx.End && isQuote(T[P]) && T[P] != Ctx.Quote) {
      size_t X = T.find(T[P], P + 1);
      size_t E = X == StringRef::npos || X > Ctx.End ? Ctx.End : X;
      emit({{P + 1, E}}, K, Lit::Literal);
      return E;
    }
    size_t B = P;
    for (unsigned Piece = 0; Piece < MaxPieces; ++Piece) {
      size_t J = B;
      while (J < Ctx.End && T[J] != '\n' &&
             !((T[J] == '&' || T[J] == '%') && paramBoundary(J)) &&
             !(K == SecretKind::Token && tokenStop(J)))
        ++J;
      Pieces.push_back({B, J});
      if (J < Ctx.End || !Ctx.Quote || Ctx.End >= T.size() || T[Ctx.End] != Ctx.Quote)
        break;
      auto Next = continuation(Ctx.End + Ctx.QLen);
      if (!Next)
        break;
      Ctx = *Next;
      B = Ctx.Begin;
    }
    size_t End = Pieces.back().second;
    emit(std::move(Pieces), K, Lit::Literal);
    return End;
  }

  /// A quoted literal value at \p QuoteAt, with its concatenated continuations.
  size_t quoted(size_t QuoteAt, SecretKind K) {
    char C = T[QuoteAt];
    unsigned QL = QuoteAt + 2 < T.size() && T[QuoteAt + 1] == C && T[QuoteAt + 2] == C ? 3 : 1;
    size_t B = QuoteAt + QL;
    size_t Close = findClose(B, C, QL, true);
    if (Close == StringRef::npos) {
      // Unterminated within reach (a cut snippet): to the end of the line.
      size_t E = lineEnd(B);
      emit({{B, E}}, K, Lit::Literal);
      return E;
    }
    std::vector<std::pair<size_t, size_t>> Pieces{{B, Close}};
    StrCtx Cur{B, Close, C, QL};
    while (Pieces.size() < MaxPieces) {
      auto Next = continuation(Cur.End + Cur.QLen);
      if (!Next)
        break;
      Cur = *Next;
      Pieces.push_back({Cur.Begin, Cur.End});
    }
    size_t End = Cur.End;
    emit(std::move(Pieces), K, Lit::Literal);
    return End;
  }

  /// A YAML block scalar (`key: |`): the following lines indented deeper than the key's.
  size_t block(size_t KeyBegin, size_t P, SecretKind K) {
    size_t LS = lineStart(KeyBegin);
    size_t Indent = 0;
    while (LS + Indent < T.size() && (T[LS + Indent] == ' ' || T[LS + Indent] == '\t'))
      ++Indent;
    size_t I = lineEnd(P);
    size_t End = I;
    std::vector<std::pair<size_t, size_t>> Lines;
    for (size_t N = 0; I < T.size() && N < MaxValueLines; ++N) {
      size_t B = I + 1, E = lineEnd(B);
      size_t F = B;
      while (F < E && (T[F] == ' ' || T[F] == '\t'))
        ++F;
      bool Blank = F >= E || T[F] == '\r';
      if (!Blank && F - B <= Indent)
        break;
      if (!Blank)
        Lines.push_back({F, E});
      End = E;
      I = E;
    }
    // Each line is a secret of its own kind; a placeholder check on the whole.
    if (!Lines.empty())
      emit(std::move(Lines), K, Lit::Literal);
    return End;
  }

  /// A key outside strings: the value is a quoted literal, a YAML block, a config value
  /// (to its end), the rest of a config-style line, or a word of code.
  size_t outside(size_t KeyBegin, size_t P, SecretKind K) {
    size_t Q;
    if (P < T.size() && (T[P] == '\n' || T[P] == '\r')) {
      // `"password":` with the value on the next line.
      size_t N = P;
      while (N < T.size() && (isBlank(T[N]) || T[N] == '\n'))
        ++N;
      if (N < T.size() && N - P < 200 && startsQuoted(N, Q))
        return quoted(Q, K);
    }
    if (P >= T.size() || T[P] == '\n' || T[P] == '\r')
      return P;
    if (startsQuoted(P, Q))
      return quoted(Q, K);
    size_t LE = lineEnd(P);
    {
      StringRef Rest = T.slice(P, LE).rtrim();
      if ((Rest.startswith("|") || Rest.startswith(">")) &&
          Rest.drop_front().ltrim("-+0123456789").ltrim(" \t").empty())
        return block(KeyBegin, P, K);
    }
    if (Spans) {
      const Span *S = Spans->spanAt(P);
      if (S && S->Kind == SpanKind::ConfigValue) {
        size_t B = P, E = S->End;
        emit({{B, E}}, K, Lit::Literal);
        return E;
      }
    }
    bool ConfigLine = false;
    {
      size_t LS = lineStart(KeyBegin);
      re2::StringPiece Pre(T.data() + LS, KeyBegin - LS);
      // A config-style prefix (indentation, `export`, a key name) is short.
      ConfigLine = Pre.size() <= 256 && RE2::FullMatch(Pre, configLinePrefixRe());
      if (!ConfigLine && Spans) {
        SpanKind SK = Spans->kindAt(KeyBegin);
        ConfigLine = SK == SpanKind::Comment || SK == SpanKind::Text;
      }
    }
    size_t E;
    if (ConfigLine) {
      // To the end of the line, minus a trailing ` # comment`.
      E = LE;
      for (size_t J = P + 1; J < LE; ++J)
        if ((T[J] == '#' && isBlank(T[J - 1])) ||
            ((T[J] == '&' || T[J] == '%') && paramBoundary(J))) {
          E = J;
          break;
        }
      for (StringRef Close : {"*/", "-->"}) {
        size_t X = T.slice(P, E).find(Close);
        if (X != StringRef::npos)
          E = P + X;
      }
    } else {
      E = P;
      // An expression such as os.environ["PW"] or cfg.get("pw") is one word here.
      re2::StringPiece Ref(T.data() + P, LE - P);
      if (RE2::Consume(&Ref, referenceRe()))
        E = Ref.data() - T.data();
      while (E < LE && !isBlank(T[E]) && !StringRef(",;)]}\"'`<>").contains(T[E]) &&
             !((T[E] == '&' || T[E] == '%') && paramBoundary(E)) &&
             !(K == SecretKind::Token && tokenStop(E)))
        ++E;
    }
    // In a query or form body (`?key=`, `&key=`, a value ended by `&name=`) a value is
    // a literal, never code.
    size_t KS = KeyBegin;
    while (KS > 0 && (llvm::isAlnum(T[KS - 1]) || T[KS - 1] == '_' || T[KS - 1] == '.'))
      --KS;
    bool Form = (KS > 0 && (T[KS - 1] == '?' || T[KS - 1] == '&')) ||
                (E < T.size() && (T[E] == '&' || T[E] == '%') && paramBoundary(E));
    // A shell or .env assignment `KEY=value` (no blanks around '=') starting a line is a
    // literal too, unless it reads like a keyword argument (`password=pw,`).
    if (ConfigLine && P >= 2 && T[P - 1] == '=' && !isBlank(T[P - 2]) && T[P - 2] != '=' &&
        T[P - 2] != ':' && T[P - 2] != '!') {
      StringRef V = T.slice(P, E).rtrim();
      Form |= !V.empty() && !StringRef(",()[{").contains(V.back());
    }
    emit({{P, E}}, K, Form ? Lit::Literal : Lit::MaybeCode);
    return std::max(E, defaults(P, E, LE, K));
  }

  /// Literal fallbacks of a value that is code: `getenv("PW", "default")`,
  /// `env.PW || "default"`, `pw ?? "default"`, `pw or "default"`. Returns their end.
  size_t defaults(size_t P, size_t E, size_t LE, SecretKind K) {
    size_t End = E;
    int Depth = 0;
    for (size_t J = P; J < E; ++J) {
      char C = T[J];
      if (C == '(')
        ++Depth;
      else if (C == ')')
        --Depth;
      else if (C == ',' && Depth > 0) {
        size_t N = J + 1, Q;
        while (N < E && isBlank(T[N]))
          ++N;
        if (N < E && startsQuoted(N, Q))
          J = std::max(J, quoted(Q, K));
      } else if (isQuote(C)) {
        size_t X = findClose(J + 1, C, 1, false);
        if (X == StringRef::npos || X >= E)
          break;
        J = X;
      }
    }
    size_t N = E;
    while (N < LE && isBlank(T[N]))
      ++N;
    for (StringRef Op : {"||", "??", "or ", "?:", "//"})
      if (T.substr(N).startswith(Op)) {
        N += Op.size();
        while (N < LE && isBlank(T[N]))
          ++N;
        size_t Q;
        if (N < LE && startsQuoted(N, Q))
          End = std::max(End, quoted(Q, K));
        break;
      }
    return End;
  }

  /// Header credentials: `Zoho-authtoken <v>`, `Zoho-oauthtoken <v>`, `Bearer <v>`.
  size_t header(size_t P) {
    size_t E = P;
    while (E < T.size() && !tokenStop(E))
      ++E;
    emit({{P, E}}, SecretKind::Token, Lit::Literal);
    return E;
  }

  /// `<password>…</password>`: to the next tag.
  size_t xmlText(size_t P, SecretKind K) {
    size_t E = T.find('<', P);
    if (E == StringRef::npos || E - P > MaxValueBytes)
      E = lineEnd(P);
    emit({{P, E}}, K, Lit::Literal);
    return E;
  }
};

std::vector<SecretRange> Redactor::run() {
  struct Cand {
    size_t KeyBegin, SepBegin, P;
    StringRef Sep;
    bool QuotedKey, Header;
    SecretKind Kind;
  };
  std::vector<Cand> Cands;
  size_t Lim = std::min(T.size(), To + 256);
  {
    re2::StringPiece In(T.data() + From, Lim - From);
    re2::StringPiece G[4];
    while (keyRe().Match(In, 0, In.size(), RE2::UNANCHORED, G, 4)) {
      size_t KB = G[0].data() - T.data();
      if (KB >= To)
        break;
      std::string Key = llvm::StringRef(G[1].data(), G[1].size()).lower();
      SecretKind Kind = StringRef(Key).contains("pass") || StringRef(Key).contains("pwd") ||
                                StringRef(Key).contains("secret")
                            ? SecretKind::Password
                            : SecretKind::Token;
      Cands.push_back({KB, static_cast<size_t>(G[3].data() - T.data()),
                       static_cast<size_t>(G[0].data() + G[0].size() - T.data()),
                       StringRef(G[3].data(), G[3].size()), G[2].size() > 0, false, Kind});
      size_t Next = G[0].data() + G[0].size() - In.data();
      In.remove_prefix(Next);
    }
  }
  {
    re2::StringPiece In(T.data() + From, Lim - From);
    re2::StringPiece G[2];
    while (headerRe().Match(In, 0, In.size(), RE2::UNANCHORED, G, 2)) {
      size_t KB = G[0].data() - T.data();
      if (KB >= To)
        break;
      size_t P = G[0].data() + G[0].size() - T.data();
      Cands.push_back({KB, P, P, "", false, true, SecretKind::Token});
      In.remove_prefix(G[0].data() + G[0].size() - In.data());
    }
  }
  std::sort(Cands.begin(), Cands.end(),
            [](const Cand &A, const Cand &B) { return A.KeyBegin < B.KeyBegin; });
  size_t Done = From;
  for (const Cand &C : Cands) {
    if (C.KeyBegin < Done)
      continue; // inside the previous value
    size_t End = C.P;
    Encoded = C.Sep.startswith("%");
    if (C.Header) {
      End = header(C.P);
    } else if (C.Sep == "::" || (C.Sep == "," && !C.QuotedKey)) {
      // A scope operator or a plain argument list: not a key/value pair.
    } else if (C.Sep == "(") {
      size_t Q;
      if (startsQuoted(C.P, Q)) // setPassword("…"), password("…")
        End = quoted(Q, C.Kind);
    } else if (C.Sep == ">") {
      size_t B = C.KeyBegin;
      while (B > 0 && (llvm::isAlnum(T[B - 1]) || StringRef("_.:-").contains(T[B - 1])))
        --B;
      if (B > 0 && T[B - 1] == '<')
        End = xmlText(C.P, C.Kind);
    } else if (auto Ctx = stringAt(C.SepBegin)) {
      End = inString(C.P, *Ctx, C.Kind);
    } else {
      End = outside(C.KeyBegin, C.P, C.Kind);
    }
    Done = std::max(Done, End);
  }
  {
    re2::StringPiece In(T.data() + From, std::min(T.size(), To + 64) - From);
    re2::StringPiece Tok;
    while (RE2::FindAndConsume(&In, bareTokenRe(), &Tok)) {
      size_t B = Tok.data() - T.data();
      if (B >= To)
        break;
      if (hasDigitAndAlpha(StringRef(Tok.data(), Tok.size())))
        Out.push_back({B, B + Tok.size(), SecretKind::Token});
    }
  }
  std::sort(Out.begin(), Out.end(),
            [](const SecretRange &A, const SecretRange &B) { return A.Begin < B.Begin; });
  std::vector<SecretRange> Merged;
  for (const SecretRange &R : Out) {
    if (!Merged.empty() && R.Begin < Merged.back().End) {
      Merged.back().End = std::max(Merged.back().End, R.End);
      if (R.Kind == SecretKind::Password)
        Merged.back().Kind = SecretKind::Password;
      continue;
    }
    Merged.push_back(R);
  }
  return Merged;
}

std::string maskOf(StringRef V, SecretKind K, bool MayKeepPrefix) {
  // Token values of a real token's length keep 4 characters for identification; the
  // mask itself has a fixed size, so it never tells a value's length.
  if (K == SecretKind::Token && MayKeepPrefix && V.size() >= 16 &&
      llvm::all_of(V.take_front(4), [](char C) { return llvm::isAlnum(C); }))
    return (V.take_front(4) + SecretMask).str();
  return SecretMask.str();
}

} // namespace

std::vector<SecretRange> findSecrets(StringRef Text, size_t From, size_t To,
                                     const SpanMap *Spans) {
  if (From >= Text.size() || From >= To)
    return {};
  return Redactor(Text, From, To, Spans).run();
}

std::string applySecretMasks(StringRef Text, size_t Begin, size_t End,
                             llvm::ArrayRef<SecretRange> Ranges, bool KeepPrefix) {
  End = std::min(End, Text.size());
  std::string Out;
  Out.reserve(End - Begin);
  size_t I = Begin;
  for (const SecretRange &R : Ranges) {
    if (R.End <= Begin || R.Begin >= End || R.End <= I)
      continue;
    size_t B = std::max({R.Begin, Begin, I}), E = std::min(R.End, End);
    Out.append(Text.data() + I, B - I);
    bool First = B == R.Begin;
    for (size_t S = B; S < E;) {
      const void *Hit = S < E ? std::memchr(Text.data() + S, '\n', E - S) : nullptr;
      size_t NL = Hit ? static_cast<const char *>(Hit) - Text.data() : E;
      size_t SegB = S, SegE = NL;
      if (SegE > SegB && Text[SegE - 1] == '\r')
        --SegE;
      if (!First)
        while (SegB < SegE && isBlank(Text[SegB]))
          ++SegB;
      Out.append(Text.data() + S, SegB - S);
      if (SegB < SegE)
        Out += maskOf(Text.slice(SegB, SegE), R.Kind, First && KeepPrefix);
      Out.append(Text.data() + SegE, NL - SegE);
      if (NL < E)
        Out.push_back('\n');
      S = NL + 1;
      First = false;
    }
    I = E;
  }
  if (I < End)
    Out.append(Text.data() + I, End - I);
  return Out;
}

std::string redactSecrets(StringRef Text) {
  return applySecretMasks(Text, 0, Text.size(), findSecrets(Text, 0, Text.size()));
}

namespace {
/// The secret ranges that redactSecrets(Part, File, Spans) masks, with Part's bytes
/// [B, E) in the text the ranges refer to (\p File, or \p Part itself when it does not
/// point into \p File: then \p In is set to Part).
std::vector<SecretRange> partSecrets(StringRef Part, StringRef File, const SpanMap *Spans,
                                     StringRef &In, size_t &B, size_t &E) {
  std::less<const char *> Lt;
  if (Lt(Part.data(), File.data()) || Lt(File.data() + File.size(), Part.data() + Part.size())) {
    In = Part;
    B = 0;
    E = Part.size();
    return findSecrets(Part, 0, Part.size());
  }
  In = File;
  B = Part.data() - File.data();
  E = B + Part.size();
  auto LineStart = [&](size_t I) {
    size_t Lim = I > LineScanBytes ? I - LineScanBytes : 0;
    for (size_t K = I; K > Lim; --K)
      if (File[K - 1] == '\n')
        return K;
    return Lim;
  };
  // Look back for keys whose value runs into Part: up to 8 lines (4 KiB) and to the
  // start of a string or config value that began earlier.
  // On a long (minified) line the look-back is bounded too, so redacting many windows of
  // one line stays linear: a key further back than LookBack cannot reach into Part.
  constexpr size_t LookBack = 4096;
  size_t From = LineStart(B);
  for (int N = 0; N < 8 && From > 0 && B - From < 4096; ++N)
    From = LineStart(From - 1);
  if (B - From > LookBack) {
    From = B - LookBack;
    while (From < B && (static_cast<unsigned char>(File[From]) & 0xC0) == 0x80)
      ++From; // never inside a UTF-8 sequence
  }
  if (Spans)
    if (const Span *S = Spans->spanAt(From))
      if ((S->Kind == SpanKind::String || S->Kind == SpanKind::ConfigValue) &&
          S->Begin < From && From - S->Begin <= MaxValueBytes)
        From = LineStart(S->Begin);
  size_t To = std::max(E, std::min(File.size(), B + 1));
  return findSecrets(File, From, To, Spans);
}
} // namespace

std::string redactSecrets(StringRef Part, StringRef File, const SpanMap *Spans) {
  StringRef In;
  size_t B, E;
  std::vector<SecretRange> Ranges = partSecrets(Part, File, Spans, In, B, E);
  return applySecretMasks(In, B, E, Ranges);
}

std::string redactSecrets(StringRef Part, StringRef File, const SpanMap *Spans,
                          std::string &FullyMasked) {
  StringRef In;
  size_t B, E;
  std::vector<SecretRange> Ranges = partSecrets(Part, File, Spans, In, B, E);
  FullyMasked = applySecretMasks(In, B, E, Ranges, /*KeepPrefix=*/false);
  return applySecretMasks(In, B, E, Ranges);
}

} // namespace atm
