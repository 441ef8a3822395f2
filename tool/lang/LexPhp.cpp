/// \file
/// The PHP lexer: Text outside <?php … ?>, comments, strings with `$var`, `{$expr}`
/// and `${expr}` interpolation, heredocs and nowdocs.

#include "lang/LexCommon.h"

using llvm::StringRef;

namespace atm {
namespace lexdetail {

namespace {

struct PhpFrame {
  enum Type : uint8_t {
    Html,     ///< outside <?php … ?>
    Code,     ///< inside <?php … ?>
    Interp,   ///< {$…} / ${…}; closes at its unmatched `}`
    Dq,       ///< "…"
    Backtick, ///< `…` (shell execution, interpolating)
    Heredoc,  ///< <<<ID / <<<"ID" (interpolating) and <<<'ID' (nowdoc)
  };
  Type Ty = Html;
  bool Interpolates = true;
  uint32_t Depth = 0;
  std::string Id; ///< heredoc terminator

  bool isCode() const { return Ty == Code || Ty == Interp; }
};

class PhpLexer {
public:
  PhpLexer(StringRef T, SpanSink &S) : T(T), S(S), N(T.size()) {}

  void run() {
    Stack.push_back(PhpFrame());
    while (I < N) {
      switch (Stack.back().Ty) {
      case PhpFrame::Html:
        html();
        break;
      case PhpFrame::Code:
      case PhpFrame::Interp:
        code();
        break;
      default:
        string();
        break;
      }
    }
    S.to(N, kindOf(Stack.back()));
  }

private:
  StringRef T;
  SpanSink &S;
  size_t N;
  size_t I = 0;
  std::vector<PhpFrame> Stack;

  static SpanKind kindOf(const PhpFrame &F) {
    if (F.Ty == PhpFrame::Html)
      return SpanKind::Text;
    return F.isCode() ? SpanKind::Code : SpanKind::String;
  }
  bool canNest() const { return Stack.size() < 2 * MaxNesting; }

  void html() {
    size_t From = I;
    while (true) {
      size_t P = T.find("<?", From);
      if (P == StringRef::npos) {
        S.to(N, SpanKind::Text);
        I = N;
        return;
      }
      size_t Len = 0;
      if (P + 5 <= N && T.substr(P + 2, 3).equals_insensitive("php") &&
          (P + 5 == N || isSpaceOrNl(T[P + 5])))
        Len = 5;
      else if (peek(T, P + 2) == '=')
        Len = 3;
      else if (P + 2 == N || isSpaceOrNl(T[P + 2]))
        Len = 2; // short open tag; `<?xml` is not one
      if (Len == 0) {
        From = P + 2;
        continue;
      }
      S.to(P, SpanKind::Text);
      S.to(P + Len, SpanKind::Code);
      PhpFrame F;
      F.Ty = PhpFrame::Code;
      Stack.push_back(F);
      I = P + Len;
      return;
    }
  }

  void mark(size_t Begin, size_t End, SpanKind K) {
    S.to(Begin, SpanKind::Code);
    S.to(End, K);
    I = End;
  }

  /// A line comment ends at the line break or at `?>` (which leaves PHP mode).
  void lineComment() {
    size_t J = I;
    while (J < N && T[J] != '\n' && !(T[J] == '?' && peek(T, J + 1) == '>'))
      ++J;
    mark(I, J, SpanKind::Comment);
  }

  void pushString(size_t Begin, size_t After, PhpFrame F) {
    S.to(Begin, SpanKind::Code);
    Stack.push_back(std::move(F));
    I = After;
  }

  void code() {
    PhpFrame &F = Stack.back();
    char C = T[I];
    switch (C) {
    case '?':
      if (peek(T, I + 1) == '>' && F.Ty == PhpFrame::Code) {
        S.to(I + 2, SpanKind::Code);
        Stack.pop_back();
        I += 2;
        return;
      }
      break;
    case '#':
      if (peek(T, I + 1) != '[') {
        lineComment();
        return;
      }
      break;
    case '/':
      if (peek(T, I + 1) == '/') {
        lineComment();
        return;
      }
      if (peek(T, I + 1) == '*') {
        mark(I, findEnd(T, "*/", I + 2), SpanKind::Comment);
        return;
      }
      break;
    case '\'':
      mark(I, scanQuoted(T, I + 1, '\'', true, false), SpanKind::String);
      return;
    case '"': {
      PhpFrame D;
      D.Ty = PhpFrame::Dq;
      pushString(I, I + 1, D);
      return;
    }
    case '`': {
      PhpFrame D;
      D.Ty = PhpFrame::Backtick;
      pushString(I, I + 1, D);
      return;
    }
    case '<':
      if (at(T, I, "<<<") && heredoc())
        return;
      break;
    case '{':
      ++F.Depth;
      break;
    case '}':
      if (F.Ty == PhpFrame::Interp && F.Depth == 0) {
        S.to(I + 1, SpanKind::Code);
        Stack.pop_back();
        ++I;
        return;
      }
      if (F.Depth)
        --F.Depth;
      break;
    default:
      break;
    }
    ++I;
  }

  /// <<<ID, <<<"ID", <<<'ID'; the body starts on the next line.
  bool heredoc() {
    size_t J = I + 3;
    while (J < N && (T[J] == ' ' || T[J] == '\t'))
      ++J;
    char Q = peek(T, J);
    if (Q == '\'' || Q == '"')
      ++J;
    size_t B = J;
    while (J < N && isIdentChar(T[J]))
      ++J;
    if (J == B || !isIdentStart(T[B]))
      return false;
    PhpFrame H;
    H.Ty = PhpFrame::Heredoc;
    H.Id = T.slice(B, J).str();
    H.Interpolates = Q != '\'';
    if (Q == '\'' || Q == '"') {
      if (peek(T, J) != Q)
        return false;
      ++J;
    }
    size_t LE = lineEnd(T, J);
    size_t Body = LE < N ? LE + 1 : N;
    pushString(Body, Body, std::move(H));
    return true;
  }

  /// At a heredoc line start: is this the (possibly indented) terminator?
  bool heredocEnd(const PhpFrame &F) {
    size_t J = I;
    while (J < N && (T[J] == ' ' || T[J] == '\t'))
      ++J;
    if (!at(T, J, F.Id))
      return false;
    size_t E = J + F.Id.size();
    if (E < N && isIdentChar(T[E]))
      return false;
    S.to(E, SpanKind::String);
    Stack.pop_back();
    I = E;
    return true;
  }

  /// `$name`, `$name->prop`, `$name[key]`, `{$expr}`, `${expr}` in a string.
  bool interpolation() {
    char C = T[I];
    if (C == '$' && I + 1 < N && isIdentStart(T[I + 1])) {
      size_t J = I + 1;
      while (J < N && isIdentChar(T[J]))
        ++J;
      if (peek(T, J) == '[') {
        size_t E = J + 1;
        while (E < N && E < J + 64 && T[E] != ']' && T[E] != '\n' && T[E] != '"')
          ++E;
        if (peek(T, E) == ']')
          J = E + 1;
      } else if (at(T, J, "->") && isIdentStart(peek(T, J + 2))) {
        J += 2;
        while (J < N && isIdentChar(T[J]))
          ++J;
      }
      S.to(I, SpanKind::String);
      S.to(J, SpanKind::Code);
      I = J;
      return true;
    }
    if (!canNest())
      return false;
    if ((C == '{' && peek(T, I + 1) == '$') || (C == '$' && peek(T, I + 1) == '{')) {
      S.to(I, SpanKind::String);
      PhpFrame E;
      E.Ty = PhpFrame::Interp;
      Stack.push_back(E);
      I += C == '$' ? 2 : 1;
      return true;
    }
    return false;
  }

  void string() {
    PhpFrame &F = Stack.back();
    if (F.Ty == PhpFrame::Heredoc && atLineStart(T, I) && heredocEnd(F))
      return;
    char C = T[I];
    if (C == '\\' && F.Interpolates) {
      // Never skip a line break: the next line may hold the terminator.
      I += peek(T, I + 1) == '\n' ? 1 : 2;
      return;
    }
    if ((F.Ty == PhpFrame::Dq && C == '"') || (F.Ty == PhpFrame::Backtick && C == '`')) {
      S.to(I + 1, SpanKind::String);
      Stack.pop_back();
      ++I;
      return;
    }
    if (F.Interpolates && (C == '$' || C == '{') && interpolation())
      return;
    ++I;
  }
};

} // namespace

void lexPhp(StringRef T, SpanSink &S) { PhpLexer(T, S).run(); }

} // namespace lexdetail
} // namespace atm
