/// \file
/// The shell lexer (sh, bash, zsh; also Makefiles and Dockerfiles as an
/// approximation): word-start comments, the three kinds of quotes, command
/// substitution inside double quotes (Code, recursively) and heredocs.

#include "lang/LexCommon.h"

using llvm::StringRef;

namespace atm {
namespace lexdetail {

namespace {

struct ShFrame {
  enum Type : uint8_t {
    Code,     ///< top level
    Subst,    ///< $( … ); closes at its unmatched ')'
    Backtick, ///< ` … `
    Dq,       ///< "…"
  };
  Type Ty = Code;
  uint32_t Depth = 0; ///< parenthesis depth (code frames)

  bool isCode() const { return Ty != Dq; }
};

class ShellLexer {
public:
  ShellLexer(StringRef T, SpanSink &S) : T(T), S(S), N(T.size()) {}

  void run() {
    Stack.push_back(ShFrame());
    while (I < N) {
      if (Stack.back().isCode())
        code();
      else
        dq();
    }
    S.to(N, Stack.back().isCode() ? SpanKind::Code : SpanKind::String);
  }

private:
  StringRef T;
  SpanSink &S;
  size_t N;
  size_t I = 0;
  std::vector<ShFrame> Stack;
  std::vector<PendingHeredoc> Heredocs;

  bool canNest() const { return Stack.size() < 2 * MaxNesting; }

  void mark(size_t Begin, size_t End, SpanKind K) {
    S.to(Begin, SpanKind::Code);
    S.to(End, K);
    I = End;
  }

  void push(ShFrame::Type Ty, size_t Begin, size_t After, SpanKind Before) {
    S.to(Begin, Before);
    ShFrame F;
    F.Ty = Ty;
    Stack.push_back(F);
    I = After;
  }

  /// ${…} with nested braces, as one run (its kind is the surrounding one).
  size_t braceExpansion(size_t J) {
    unsigned Depth = 0;
    for (J += 2; J < N; ++J) {
      if (T[J] == '\\') {
        ++J;
        continue;
      }
      if (T[J] == '{')
        ++Depth;
      else if (T[J] == '}') {
        if (Depth == 0)
          return J + 1;
        --Depth;
      }
    }
    return N;
  }

  /// `#` starts a comment only at the start of a word.
  bool commentStart() const {
    if (I == 0)
      return true;
    char B = T[I - 1];
    return isSpaceOrNl(B) || B == ';' || B == '&' || B == '|' || B == '(' ||
           B == ')';
  }

  void code() {
    ShFrame &F = Stack.back();
    char C = T[I];
    switch (C) {
    case '\n':
      ++I;
      if (!Heredocs.empty()) {
        S.to(I, SpanKind::Code);
        I = lexHeredocBodies(T, S, I, Heredocs);
      }
      return;
    case '\\':
      I += 2;
      return;
    case '#':
      if (commentStart()) {
        mark(I, lineEnd(T, I), SpanKind::Comment);
        return;
      }
      break;
    case '\'': {
      size_t E = T.find('\'', I + 1);
      mark(I, E == StringRef::npos ? N : E + 1, SpanKind::String);
      return;
    }
    case '"':
      push(ShFrame::Dq, I, I + 1, SpanKind::Code);
      return;
    case '$': {
      char Next = peek(T, I + 1);
      if (Next == '\'') {
        mark(I, scanQuoted(T, I + 2, '\'', true, false), SpanKind::String);
        return;
      }
      if (Next == '"') {
        push(ShFrame::Dq, I, I + 2, SpanKind::Code);
        return;
      }
      if (Next == '(' && canNest()) {
        push(ShFrame::Subst, I, I + 2, SpanKind::Code);
        return;
      }
      if (Next == '{') {
        I = braceExpansion(I);
        return;
      }
      // $# $? $$ …: never a comment or a quote.
      I += (Next == '\n' || Next == '\0') ? 1 : 2;
      return;
    }
    case '`':
      if (F.Ty == ShFrame::Backtick) {
        S.to(I + 1, SpanKind::Code);
        Stack.pop_back();
        ++I;
        return;
      }
      if (canNest()) {
        push(ShFrame::Backtick, I, I + 1, SpanKind::Code);
        return;
      }
      break;
    case '(':
      ++F.Depth;
      break;
    case ')':
      if (F.Ty == ShFrame::Subst && F.Depth == 0) {
        S.to(I + 1, SpanKind::Code);
        Stack.pop_back();
        ++I;
        return;
      }
      if (F.Depth)
        --F.Depth;
      break;
    case '<':
      if (at(T, I, "<<<")) {
        I += 3; // here-string
        return;
      }
      if (at(T, I, "<<") && heredoc())
        return;
      break;
    default:
      break;
    }
    ++I;
  }

  /// <<EOF, <<-EOF, << 'EOF', <<"EOF", <<\EOF; the body is lexed at the line break.
  bool heredoc() {
    size_t J = I + 2;
    PendingHeredoc H;
    if (peek(T, J) == '-') {
      H.Indented = true;
      ++J;
    }
    while (J < N && (T[J] == ' ' || T[J] == '\t'))
      ++J;
    char Q = peek(T, J);
    if (Q == '\'' || Q == '"') {
      size_t E = T.find(Q, J + 1);
      if (E == StringRef::npos || E > lineEnd(T, J) || E == J + 1)
        return false;
      H.Id = T.slice(J + 1, E).str();
      J = E + 1;
    } else {
      if (Q == '\\')
        ++J;
      size_t B = J;
      while (J < N && (isIdentChar(T[J]) || T[J] == '.' || T[J] == '-'))
        ++J;
      if (J == B)
        return false;
      H.Id = T.slice(B, J).str();
    }
    Heredocs.push_back(std::move(H));
    S.to(J, SpanKind::Code);
    I = J;
    return true;
  }

  void dq() {
    char C = T[I];
    switch (C) {
    case '\\':
      I += 2;
      return;
    case '"':
      S.to(I + 1, SpanKind::String);
      Stack.pop_back();
      ++I;
      return;
    case '$':
      if (peek(T, I + 1) == '(' && canNest()) {
        push(ShFrame::Subst, I, I + 2, SpanKind::String);
        return;
      }
      if (peek(T, I + 1) == '{') {
        I = braceExpansion(I); // ${var} stays String
        return;
      }
      break;
    case '`':
      if (canNest()) {
        push(ShFrame::Backtick, I, I + 1, SpanKind::String);
        return;
      }
      break;
    default:
      break;
    }
    ++I;
  }
};

} // namespace

void lexShell(StringRef T, SpanSink &S) { ShellLexer(T, S).run(); }

} // namespace lexdetail
} // namespace atm
