/// \file
/// The C-family lexer: C, C++, Objective-C, Java, Kotlin, Go, C#, JavaScript and
/// TypeScript, and Deluge. One state machine with an explicit frame stack, because
/// interpolated strings (`${…}`, `$"{…}"`, `"${…}"`) contain code that contains strings.

#include "lang/LexCommon.h"

using llvm::StringRef;

namespace atm {
namespace lexdetail {

namespace {

/// What came before, for the JavaScript regex-versus-division decision.
enum class Prev : uint8_t { Start, Punct, Value, RegexKeyword };

struct Frame {
  enum Type : uint8_t {
    Code,       ///< the file's top level
    Interp,     ///< an interpolated expression; closes at its unmatched `}`
    Quoted,     ///< "…" or '…'
    TextBlock,  ///< Java/Kotlin """…"""
    Template,   ///< JS `…`
    CsInterp,   ///< C# $"…"
    CsVerbatim, ///< C# @"…" and $@"…"
    CsRaw,      ///< C# """…""" and $"""…"""
  };
  Type Ty = Code;
  char Close = '"';
  bool SingleLine = false;
  bool Escapes = true;
  bool Interpolates = false;
  uint32_t Depth = 0;   ///< brace depth inside code frames
  uint32_t Quotes = 0;  ///< C# raw strings: length of the quote run
  uint32_t Dollars = 0; ///< C# raw strings: braces that open an interpolation
  uint32_t Owner = 0;   ///< Interp frames: index of the string frame they belong to

  bool isCode() const { return Ty == Code || Ty == Interp; }
};

bool isRegexKeyword(StringRef W) {
  static const StringRef Words[] = {"return", "typeof", "instanceof", "in",
                                    "of",     "new",    "delete",     "void",
                                    "throw",  "case",   "do",         "else",
                                    "yield",  "await"};
  for (StringRef K : Words)
    if (W == K)
      return true;
  return false;
}

class CLikeLexer {
public:
  CLikeLexer(StringRef T, SpanSink &S, const CLikeOptions &O)
      : T(T), S(S), O(O), N(T.size()) {}

  void run() {
    Stack.push_back(Frame());
    while (I < N) {
      if (Stack.back().isCode())
        code();
      else
        string();
    }
    S.to(N, Stack.back().isCode() ? SpanKind::Code : SpanKind::String);
  }

private:
  StringRef T;
  SpanSink &S;
  const CLikeOptions &O;
  size_t N;
  size_t I = 0;
  std::vector<Frame> Stack;
  Prev P = Prev::Start;
  /// After a failed regex attempt, no new attempt until this offset (keeps very
  /// long lines linear).
  size_t NoRegexUntil = 0;

  bool canNest() const { return Stack.size() < 2 * MaxNesting; }

  void pushString(size_t Begin, size_t After, Frame F) {
    S.to(Begin, SpanKind::Code);
    Stack.push_back(F);
    I = After;
    P = Prev::Value;
  }

  void endString(size_t End) {
    S.to(End, SpanKind::String);
    Stack.pop_back();
    I = End;
  }

  void pushInterp(size_t At, size_t After) {
    S.to(At, SpanKind::String);
    Frame F;
    F.Ty = Frame::Interp;
    F.Owner = static_cast<uint32_t>(Stack.size() - 1);
    Stack.push_back(F);
    I = After;
    P = Prev::Start;
  }

  /// A span kind that needs no frame: marks [Begin, End) as \p K.
  void mark(size_t Begin, size_t End, SpanKind K) {
    S.to(Begin, SpanKind::Code);
    S.to(End, K);
    I = End;
  }

  Frame quoted(char Close) {
    Frame F;
    F.Ty = Frame::Quoted;
    F.Close = Close;
    F.SingleLine = !O.MultiLineStrings;
    F.Interpolates = O.KotlinTemplates && Close == '"';
    return F;
  }

  void code() {
    char C = T[I];
    Frame &F = Stack.back();
    switch (C) {
    case '\n':
      // An interpolation inside a single-line string cannot cross a line break:
      // recover by ending the string here.
      if (F.Ty == Frame::Interp && Stack[F.Owner].SingleLine) {
        S.to(I, SpanKind::Code);
        Stack.resize(F.Owner);
      }
      ++I;
      return;
    case ' ':
    case '\t':
    case '\r':
    case '\f':
      ++I;
      return;
    case '\\':
      I += 2;
      return;
    case '/':
      slash();
      return;
    case '"':
      doubleQuote(I, I);
      return;
    case '\'':
      if (O.CharLiterals) {
        pushString(I, I + 1, quoted('\''));
        return;
      }
      break;
    case '`':
      if (O.GoRawStrings) {
        size_t E = T.find('`', I + 1);
        mark(I, E == StringRef::npos ? N : E + 1, SpanKind::String);
        P = Prev::Value;
        return;
      }
      if (O.JavaScript) {
        Frame T;
        T.Ty = Frame::Template;
        T.Close = '`';
        T.Interpolates = true;
        pushString(I, I + 1, T);
        return;
      }
      break;
    case '@':
      if (O.CSharp && (at(T, I + 1, "\"") || at(T, I + 1, "$\""))) {
        Frame V;
        V.Ty = Frame::CsVerbatim;
        V.Interpolates = T[I + 1] == '$';
        pushString(I, I + (V.Interpolates ? 3 : 2), V);
        return;
      }
      break;
    case '$':
      if (O.CSharp && dollar())
        return;
      break;
    case '{':
      ++F.Depth;
      P = Prev::Punct;
      ++I;
      return;
    case '}':
      if (F.Ty == Frame::Interp && F.Depth == 0) {
        S.to(I + 1, SpanKind::Code);
        Stack.pop_back();
        ++I;
        return;
      }
      if (F.Depth)
        --F.Depth;
      P = Prev::Value;
      ++I;
      return;
    case ')':
    case ']':
      P = Prev::Value;
      ++I;
      return;
    default:
      break;
    }
    if (isIdentStart(C)) {
      identifier();
      return;
    }
    if (isDigit(C)) {
      number();
      return;
    }
    P = Prev::Punct;
    ++I;
  }

  void slash() {
    char Next = peek(T, I + 1);
    if (Next == '/') {
      mark(I, lineEnd(T, I), SpanKind::Comment);
      return;
    }
    if (Next == '*') {
      mark(I, findEnd(T, "*/", I + 2), SpanKind::Comment);
      return;
    }
    if (O.JavaScript && P != Prev::Value && I >= NoRegexUntil) {
      // Regex literal: to the unescaped '/' outside a [class] on this line.
      size_t J = I + 1;
      bool InClass = false;
      while (J < N && T[J] != '\n') {
        char C = T[J];
        if (C == '\\') {
          J += 2;
          continue;
        }
        if (C == '[')
          InClass = true;
        else if (C == ']')
          InClass = false;
        else if (C == '/' && !InClass)
          break;
        ++J;
      }
      if (J < N && T[J] == '/') {
        ++J;
        while (J < N && isIdentChar(T[J]))
          ++J;
        mark(I, J, SpanKind::String);
        P = Prev::Value;
        return;
      }
      NoRegexUntil = J;
    }
    P = Prev::Punct;
    ++I;
  }

  /// A '"' at \p Quote; the string's span starts at \p Begin (a prefix may precede).
  void doubleQuote(size_t Begin, size_t Quote) {
    if (O.CSharp && at(T, Quote, "\"\"\"")) {
      Frame R;
      R.Ty = Frame::CsRaw;
      size_t J = Quote;
      while (J < N && T[J] == '"')
        ++J;
      R.Quotes = static_cast<uint32_t>(J - Quote);
      pushString(Begin, J, R);
      return;
    }
    if (O.TextBlocks && at(T, Quote, "\"\"\"")) {
      Frame B;
      B.Ty = Frame::TextBlock;
      B.Escapes = !O.KotlinTemplates; // Kotlin raw strings have no escapes
      B.Interpolates = O.KotlinTemplates;
      pushString(Begin, Quote + 3, B);
      return;
    }
    pushString(Begin, Quote + 1, quoted('"'));
  }

  /// C# `$"…"`, `$@"…"`, `$$"""…"""`. Returns false if the '$' starts none.
  bool dollar() {
    size_t J = I;
    while (J < N && T[J] == '$')
      ++J;
    uint32_t Dollars = static_cast<uint32_t>(J - I);
    if (at(T, J, "\"\"\"")) {
      Frame R;
      R.Ty = Frame::CsRaw;
      R.Dollars = Dollars;
      size_t K = J;
      while (K < N && T[K] == '"')
        ++K;
      R.Quotes = static_cast<uint32_t>(K - J);
      pushString(I, K, R);
      return true;
    }
    if (Dollars != 1)
      return false;
    if (peek(T, J) == '"') {
      Frame F;
      F.Ty = Frame::CsInterp;
      F.SingleLine = true;
      F.Interpolates = true;
      pushString(I, J + 1, F);
      return true;
    }
    if (at(T, J, "@\"")) {
      Frame F;
      F.Ty = Frame::CsVerbatim;
      F.Interpolates = true;
      pushString(I, J + 2, F);
      return true;
    }
    return false;
  }

  void identifier() {
    size_t B = I;
    while (I < N && isIdentChar(T[I]))
      ++I;
    StringRef W = T.slice(B, I);
    if (O.CppRawStrings && peek(T, I) == '"' &&
        (W == "R" || W == "u8R" || W == "uR" || W == "UR" || W == "LR") &&
        rawString(B))
      return;
    P = (O.JavaScript && isRegexKeyword(W)) ? Prev::RegexKeyword : Prev::Value;
  }

  /// C++ R"delim(…)delim" with its quote at I; returns false if the delimiter is
  /// malformed (then it is lexed as an ordinary string).
  bool rawString(size_t Begin) {
    size_t Q = I;
    size_t J = Q + 1;
    while (J < N && J - Q <= 17 && T[J] != '(' && T[J] != ')' && T[J] != '\\' &&
           !isSpaceOrNl(T[J]) && T[J] != '"')
      ++J;
    if (J >= N || T[J] != '(' || J - Q - 1 > 16)
      return false;
    std::string Terminator = ")" + T.slice(Q + 1, J).str() + "\"";
    mark(Begin, findEnd(T, Terminator, J + 1), SpanKind::String);
    P = Prev::Value;
    return true;
  }

  void number() {
    ++I;
    while (I < N) {
      char C = T[I];
      if (isIdentChar(C) || C == '.') {
        ++I;
        continue;
      }
      // 1'000'000: a separator must sit between two digits.
      if (C == '\'' && O.DigitSeparators && I + 1 < N && isIdentChar(T[I + 1])) {
        ++I;
        continue;
      }
      break;
    }
    P = Prev::Value;
  }

  void string() {
    Frame &F = Stack.back();
    char C = T[I];
    switch (F.Ty) {
    case Frame::Quoted:
      if (C == '\\' && F.Escapes) {
        I += 2;
        return;
      }
      if (C == '\n' && F.SingleLine) {
        endString(I);
        return;
      }
      if (C == F.Close) {
        endString(I + 1);
        return;
      }
      if (F.Interpolates && C == '$' && peek(T, I + 1) == '{' && canNest()) {
        pushInterp(I, I + 2);
        return;
      }
      ++I;
      return;
    case Frame::TextBlock:
      if (C == '\\' && F.Escapes) {
        I += 2;
        return;
      }
      if (at(T, I, "\"\"\"")) {
        size_t J = I + 3;
        // Kotlin: """a"""" ends with the last three quotes.
        while (J < N && T[J] == '"')
          ++J;
        endString(J);
        return;
      }
      if (F.Interpolates && C == '$' && peek(T, I + 1) == '{' && canNest()) {
        pushInterp(I, I + 2);
        return;
      }
      ++I;
      return;
    case Frame::Template:
      if (C == '\\') {
        I += 2;
        return;
      }
      if (C == '`') {
        endString(I + 1);
        return;
      }
      if (C == '$' && peek(T, I + 1) == '{' && canNest()) {
        pushInterp(I, I + 2);
        return;
      }
      ++I;
      return;
    case Frame::CsInterp:
      if (C == '\\') {
        I += 2;
        return;
      }
      if (C == '\n') {
        endString(I);
        return;
      }
      if (C == '"') {
        endString(I + 1);
        return;
      }
      csBrace(C);
      return;
    case Frame::CsVerbatim:
      if (C == '"') {
        if (peek(T, I + 1) == '"') {
          I += 2;
          return;
        }
        endString(I + 1);
        return;
      }
      if (F.Interpolates) {
        csBrace(C);
        return;
      }
      ++I;
      return;
    case Frame::CsRaw: {
      if (C == '"') {
        size_t J = I;
        while (J < N && T[J] == '"')
          ++J;
        if (J - I >= F.Quotes) {
          endString(J);
          return;
        }
        I = J;
        return;
      }
      if (C == '{' && F.Dollars > 0) {
        size_t J = I;
        while (J < N && T[J] == '{')
          ++J;
        if (J - I >= F.Dollars && canNest()) {
          pushInterp(J - F.Dollars, J);
          return;
        }
        I = J;
        return;
      }
      ++I;
      return;
    }
    case Frame::Code:
    case Frame::Interp:
      break;
    }
    ++I;
  }

  /// Braces inside an interpolated C# string: `{{`/`}}` are escapes, `{` opens code.
  void csBrace(char C) {
    if (C == '{') {
      if (peek(T, I + 1) == '{') {
        I += 2;
        return;
      }
      if (canNest()) {
        pushInterp(I, I + 1);
        return;
      }
    }
    if (C == '}' && peek(T, I + 1) == '}') {
      I += 2;
      return;
    }
    ++I;
  }
};

} // namespace

void lexCLike(StringRef T, SpanSink &S, const CLikeOptions &O) {
  CLikeLexer(T, S, O).run();
}

} // namespace lexdetail
} // namespace atm
