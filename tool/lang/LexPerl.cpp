/// \file
/// The Perl lexer: comments, POD, quotes and quote-like operators (q qq qw qr m s tr y
/// with any delimiter), heredocs and __END__/__DATA__. Interpolation inside Perl
/// strings stays String (good enough for finding tokens in literals).

#include "lang/LexCommon.h"

using llvm::StringRef;

namespace atm {
namespace lexdetail {

namespace {

enum class Prev : uint8_t { Start, Punct, Value };

class PerlLexer {
public:
  PerlLexer(StringRef T, SpanSink &S) : T(T), S(S), N(T.size()) {}

  void run() {
    while (I < N)
      step();
    S.to(N, SpanKind::Code);
  }

private:
  StringRef T;
  SpanSink &S;
  size_t N;
  size_t I = 0;
  Prev P = Prev::Start;
  bool AfterSigil = false;
  size_t NoRegexUntil = 0;
  std::vector<PendingHeredoc> Heredocs;

  void mark(size_t Begin, size_t End, SpanKind K) {
    S.to(Begin, SpanKind::Code);
    S.to(End, K);
    I = End;
  }

  bool lineStart() {
    if (I < N && T[I] == '=' && isAlpha(peek(T, I + 1))) {
      // POD runs to the end of the `=cut` line (or the file).
      size_t E = I;
      while (true) {
        size_t P = T.find("\n=cut", E);
        if (P == StringRef::npos) {
          E = N;
          break;
        }
        char After = peek(T, P + 5);
        if (P + 5 >= N || !isIdentChar(After)) {
          E = lineEnd(T, P + 1);
          break;
        }
        E = P + 1;
      }
      mark(I, E, SpanKind::Comment);
      return true;
    }
    if (at(T, I, "__END__") || at(T, I, "__DATA__")) {
      mark(I, N, SpanKind::Comment);
      return true;
    }
    return false;
  }

  /// Scans a delimited part whose opener is at \p J; returns the offset after the
  /// closer. Bracket pairs nest.
  size_t delimited(size_t J) {
    char Open = T[J];
    char Close = closerOf(Open);
    unsigned Depth = 0;
    ++J;
    while (J < N) {
      char C = T[J];
      if (C == '\\') {
        J += 2;
        continue;
      }
      if (Open != Close && C == Open)
        ++Depth;
      else if (C == Close) {
        if (Depth == 0)
          return J + 1;
        --Depth;
      }
      ++J;
    }
    return N;
  }

  /// q qq qw qr m s tr y followed by a delimiter.
  bool quoteLike(size_t WordBegin, StringRef W) {
    bool TwoParts = W == "s" || W == "tr" || W == "y";
    if (!(TwoParts || W == "q" || W == "qq" || W == "qw" || W == "qr" || W == "m"))
      return false;
    size_t J = I;
    while (J < N && isSpaceOrNl(T[J]))
      ++J;
    if (J >= N)
      return false;
    char D = T[J];
    if (isIdentChar(D) || StringRef(",;)]}=>").contains(D) || (D == '#' && J > I))
      return false;
    if (D == '-' && J > I)
      return false; // `s - 1`
    size_t E = delimited(J);
    if (TwoParts && E < N) {
      if (closerOf(D) != D) {
        size_t K = E;
        while (K < N && isSpaceOrNl(T[K]))
          ++K;
        if (K < N)
          E = delimited(K);
      } else {
        // s/a/b/: the second part reuses the delimiter; delimited() wants an opener.
        E = delimited(E - 1);
      }
    }
    while (E < N && isAlpha(T[E]))
      ++E;
    mark(WordBegin, E, SpanKind::String);
    P = Prev::Value;
    return true;
  }

  bool heredoc() {
    size_t J = I + 2;
    PendingHeredoc H;
    if (peek(T, J) == '~') {
      H.Indented = true;
      ++J;
    }
    char Q = peek(T, J);
    if (Q == '"' || Q == '\'') {
      size_t E = T.find(Q, J + 1);
      if (E == StringRef::npos || E > lineEnd(T, J))
        return false;
      H.Id = T.slice(J + 1, E).str();
      J = E + 1;
    } else if (isIdentStart(Q)) {
      size_t B = J;
      while (J < N && isIdentChar(T[J]))
        ++J;
      H.Id = T.slice(B, J).str();
    } else {
      return false;
    }
    Heredocs.push_back(std::move(H));
    S.to(J, SpanKind::Code);
    I = J;
    P = Prev::Value;
    return true;
  }

  bool regex() {
    if (P == Prev::Value || I < NoRegexUntil)
      return false;
    size_t J = I + 1;
    while (J < N && T[J] != '\n' && T[J] != '/')
      J += T[J] == '\\' ? 2 : 1;
    if (J >= N || T[J] != '/') {
      NoRegexUntil = J;
      return false;
    }
    ++J;
    while (J < N && isAlpha(T[J]))
      ++J;
    mark(I, J, SpanKind::String);
    P = Prev::Value;
    return true;
  }

  void step() {
    if (atLineStart(T, I) && lineStart())
      return;
    char C = T[I];
    bool WasAfterSigil = AfterSigil;
    AfterSigil = false;
    switch (C) {
    case '\n':
      ++I;
      if (!Heredocs.empty()) {
        S.to(I, SpanKind::Code);
        I = lexHeredocBodies(T, S, I, Heredocs);
      }
      return;
    case ' ':
    case '\t':
    case '\r':
      ++I;
      return;
    case '\\':
      I += 2;
      return;
    case '#':
      mark(I, lineEnd(T, I), SpanKind::Comment);
      return;
    case '"':
    case '\'':
    case '`':
      mark(I, scanQuoted(T, I + 1, C, true, false), SpanKind::String);
      P = Prev::Value;
      return;
    case '$':
      // $#array, $#{…}, and punctuation variables such as $' $" $/ are not quotes
      // or comments.
      if (I + 1 < N && (T[I + 1] == '#' || (!isIdentChar(T[I + 1]) &&
                                            !isSpaceOrNl(T[I + 1]) &&
                                            T[I + 1] != '{'))) {
        I += 2;
        AfterSigil = true;
        P = Prev::Value;
        return;
      }
      [[fallthrough]];
    case '@':
    case '%':
    case '&':
      ++I;
      AfterSigil = true;
      P = Prev::Punct;
      return;
    case '<':
      if (at(T, I, "<<") && heredoc())
        return;
      break;
    case '/':
      if (regex())
        return;
      break;
    case ')':
    case ']':
    case '}':
      P = Prev::Value;
      ++I;
      return;
    default:
      break;
    }
    if (isIdentStart(C)) {
      size_t B = I;
      while (I < N && isIdentChar(T[I]))
        ++I;
      // ->s(…) is a method; -s $file a file test.
      bool Method = B >= 1 && (T[B - 1] == '-' || (B >= 2 && T[B - 1] == '>' &&
                                                    T[B - 2] == '-'));
      if (!WasAfterSigil && !Method && quoteLike(B, T.slice(B, I)))
        return;
      P = Prev::Value;
      return;
    }
    if (isDigit(C)) {
      while (I < N && (isIdentChar(T[I]) || T[I] == '.'))
        ++I;
      P = Prev::Value;
      return;
    }
    P = Prev::Punct;
    ++I;
  }
};

} // namespace

void lexPerl(StringRef T, SpanSink &S) { PerlLexer(T, S).run(); }

} // namespace lexdetail
} // namespace atm
