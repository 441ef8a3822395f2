/// \file
/// The Python lexer: comments, prefixed and triple-quoted strings, and f-strings
/// whose replacement fields are code (with nested strings and format specs).

#include "lang/LexCommon.h"

using llvm::StringRef;

namespace atm {
namespace lexdetail {

namespace {

struct PyFrame {
  enum Type : uint8_t {
    Code,  ///< top level
    FExpr, ///< an f-string replacement field; closes at its unmatched `}`
    Str,   ///< a string literal
    Spec,  ///< a format spec after `:` in a replacement field (String, may nest `{}`)
  };
  Type Ty = Code;
  char Quote = '"';
  bool Triple = false;
  bool Format = false;
  uint32_t Depth = 0; ///< bracket depth inside FExpr
  uint32_t Owner = 0; ///< FExpr/Spec: index of the f-string frame

  bool isCode() const { return Ty == Code || Ty == FExpr; }
};

/// r, b, u, f, t and their two-letter combinations, in any case.
bool isStringPrefix(StringRef W, bool &Format) {
  if (W.empty() || W.size() > 2)
    return false;
  Format = false;
  bool SawR = false, SawOther = false;
  for (char C : W) {
    char L = static_cast<char>(C | 0x20);
    if (L == 'r' && !SawR)
      SawR = true;
    else if ((L == 'b' || L == 'u' || L == 'f' || L == 't') && !SawOther) {
      SawOther = true;
      Format = L == 'f' || L == 't';
    } else
      return false;
  }
  std::string L = W.lower();
  return W.size() == 1 || (SawR && SawOther && L != "ur" && L != "ru");
}

class PythonLexer {
public:
  PythonLexer(StringRef T, SpanSink &S) : T(T), S(S), N(T.size()) {}

  void run() {
    Stack.push_back(PyFrame());
    while (I < N) {
      if (Stack.back().isCode())
        code();
      else if (Stack.back().Ty == PyFrame::Str)
        string();
      else
        spec();
    }
    S.to(N, Stack.back().isCode() ? SpanKind::Code : SpanKind::String);
  }

private:
  StringRef T;
  SpanSink &S;
  size_t N;
  size_t I = 0;
  std::vector<PyFrame> Stack;

  bool canNest() const { return Stack.size() < 2 * MaxNesting; }

  /// Drops the frames of a single-line f-string interrupted by a line break.
  bool breakSingleLine(const PyFrame &F, SpanKind Current) {
    if (Stack[F.Owner].Triple)
      return false;
    S.to(I, Current);
    Stack.resize(F.Owner);
    return true;
  }

  void openString(size_t Begin, size_t Quote, bool Format) {
    S.to(Begin, SpanKind::Code);
    PyFrame F;
    F.Ty = PyFrame::Str;
    F.Quote = T[Quote];
    F.Triple = peek(T, Quote + 1) == F.Quote && peek(T, Quote + 2) == F.Quote;
    F.Format = Format;
    Stack.push_back(F);
    I = Quote + (F.Triple ? 3 : 1);
  }

  void code() {
    PyFrame &F = Stack.back();
    char C = T[I];
    if (C == '#') {
      S.to(I, SpanKind::Code);
      I = lineEnd(T, I);
      S.to(I, SpanKind::Comment);
      return;
    }
    if (C == '\\') {
      I += 2;
      return;
    }
    if (C == '\n') {
      if (F.Ty == PyFrame::FExpr && breakSingleLine(F, SpanKind::Code))
        return;
      ++I;
      return;
    }
    if (C == '"' || C == '\'') {
      openString(I, I, false);
      return;
    }
    if (isIdentStart(C)) {
      size_t B = I;
      while (I < N && isIdentChar(T[I]))
        ++I;
      bool Format = false;
      if (I < N && (T[I] == '"' || T[I] == '\'') &&
          isStringPrefix(T.slice(B, I), Format))
        openString(B, I, Format);
      return;
    }
    if (F.Ty == PyFrame::FExpr) {
      switch (C) {
      case '(':
      case '[':
      case '{':
        ++F.Depth;
        break;
      case ')':
      case ']':
        if (F.Depth)
          --F.Depth;
        break;
      case '}':
        if (F.Depth == 0) {
          S.to(I + 1, SpanKind::Code);
          Stack.pop_back();
          ++I;
          return;
        }
        --F.Depth;
        break;
      case '!':
        // `!=` is an operator; `!r` a conversion; both stay code.
        break;
      case ':':
        if (F.Depth == 0) {
          // The format spec is string text (which may nest `{…}` fields).
          S.to(I + 1, SpanKind::Code);
          F.Ty = PyFrame::Spec;
          ++I;
          return;
        }
        break;
      default:
        break;
      }
    }
    ++I;
  }

  void string() {
    PyFrame &F = Stack.back();
    char C = T[I];
    if (C == '\\') {
      I += 2;
      return;
    }
    if (C == '\n' && !F.Triple) {
      S.to(I, SpanKind::String);
      Stack.pop_back();
      return;
    }
    if (C == F.Quote) {
      if (!F.Triple) {
        S.to(I + 1, SpanKind::String);
        Stack.pop_back();
        ++I;
        return;
      }
      if (peek(T, I + 1) == C && peek(T, I + 2) == C) {
        S.to(I + 3, SpanKind::String);
        Stack.pop_back();
        I += 3;
        return;
      }
    }
    if (F.Format) {
      if ((C == '{' || C == '}') && peek(T, I + 1) == C) {
        I += 2; // {{ and }} are escapes
        return;
      }
      if (C == '{' && canNest()) {
        S.to(I, SpanKind::String);
        PyFrame E;
        E.Ty = PyFrame::FExpr;
        E.Owner = static_cast<uint32_t>(Stack.size() - 1);
        Stack.push_back(E);
        ++I;
        return;
      }
    }
    ++I;
  }

  void spec() {
    PyFrame &F = Stack.back();
    const PyFrame &Owner = Stack[F.Owner];
    char C = T[I];
    if (C == '{' && canNest()) {
      S.to(I, SpanKind::String);
      PyFrame E;
      E.Ty = PyFrame::FExpr;
      E.Owner = F.Owner;
      Stack.push_back(E);
      ++I;
      return;
    }
    if (C == '}') {
      S.to(I, SpanKind::String);
      S.to(I + 1, SpanKind::Code);
      Stack.pop_back();
      ++I;
      return;
    }
    if (C == '\n' && breakSingleLine(F, SpanKind::String))
      return;
    if (C == Owner.Quote && !Owner.Triple) {
      // An unterminated field: the quote still ends the string.
      S.to(I + 1, SpanKind::String);
      Stack.resize(F.Owner);
      ++I;
      return;
    }
    ++I;
  }
};

} // namespace

void lexPython(StringRef T, SpanSink &S) { PythonLexer(T, S).run(); }

} // namespace lexdetail
} // namespace atm
