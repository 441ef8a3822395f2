/// \file
/// Ruby, Elixir and CoffeeScript: `#` comments and "…#{expr}…" interpolation, plus
/// each language's own literals (Ruby %-literals and heredocs, Elixir sigils,
/// CoffeeScript block comments and triple-quoted strings).

#include "lang/LexCommon.h"

using llvm::StringRef;

namespace atm {
namespace lexdetail {

namespace {

enum class Prev : uint8_t { Start, Punct, Value, RegexKeyword };

struct RFrame {
  enum Type : uint8_t { Code, Interp, Str };
  Type Ty = Code;
  char Open = 0;  ///< nesting opener (%q( … ), ~s{ … }), 0 if none
  char Close = '"';
  bool Triple = false;
  bool Interpolates = false;
  uint32_t Depth = 0; ///< brace depth (code) or delimiter depth (strings)

  bool isCode() const { return Ty != Str; }
};

bool isRubyRegexKeyword(StringRef W) {
  static const StringRef Words[] = {"if",   "elsif", "unless", "while", "until",
                                    "when", "and",   "or",     "not",   "return",
                                    "then", "else",  "case",   "in",    "do"};
  for (StringRef K : Words)
    if (W == K)
      return true;
  return false;
}

class RubyLikeLexer {
public:
  RubyLikeLexer(StringRef T, SpanSink &S, RubyFlavor F)
      : T(T), S(S), Fl(F), N(T.size()) {}

  void run() {
    Stack.push_back(RFrame());
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
  RubyFlavor Fl;
  size_t N;
  size_t I = 0;
  std::vector<RFrame> Stack;
  std::vector<PendingHeredoc> Heredocs;
  Prev P = Prev::Start;
  size_t NoRegexUntil = 0;

  bool ruby() const { return Fl == RubyFlavor::Ruby; }
  bool elixir() const { return Fl == RubyFlavor::Elixir; }
  bool coffee() const { return Fl == RubyFlavor::CoffeeScript; }
  bool canNest() const { return Stack.size() < 2 * MaxNesting; }

  void mark(size_t Begin, size_t End, SpanKind K) {
    S.to(Begin, SpanKind::Code);
    S.to(End, K);
    I = End;
  }

  void pushString(size_t Begin, size_t After, char Open, char Close, bool Interp,
                  bool Triple = false) {
    S.to(Begin, SpanKind::Code);
    RFrame F;
    F.Ty = RFrame::Str;
    F.Open = Open == Close ? 0 : Open;
    F.Close = Close;
    F.Interpolates = Interp;
    F.Triple = Triple;
    Stack.push_back(F);
    I = After;
    P = Prev::Value;
  }

  /// Constructs recognised only at the start of a line.
  bool lineStart() {
    if (ruby() && at(T, I, "=begin") &&
        (I + 6 >= N || isSpaceOrNl(T[I + 6]))) {
      size_t E = T.find("\n=end", I);
      mark(I, E == StringRef::npos ? N : lineEnd(T, E + 1), SpanKind::Comment);
      return true;
    }
    if (ruby() && at(T, I, "__END__")) {
      size_t LE = lineEnd(T, I);
      if (T.slice(I, LE).rtrim("\r") == "__END__") {
        mark(I, N, SpanKind::Comment);
        return true;
      }
    }
    return false;
  }

  void code() {
    if (atLineStart(T, I) && Stack.size() == 1 && lineStart())
      return;
    RFrame &F = Stack.back();
    char C = T[I];
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
    case '\f':
      ++I;
      return;
    case '\\':
      I += 2;
      return;
    case '#':
      if (coffee() && at(T, I, "###") && peek(T, I + 3) != '#') {
        size_t E = T.find("###", I + 3);
        mark(I, E == StringRef::npos ? N : E + 3, SpanKind::Comment);
        return;
      }
      mark(I, lineEnd(T, I), SpanKind::Comment);
      return;
    case '"':
      if (!ruby() && at(T, I, "\"\"\"")) {
        pushString(I, I + 3, '"', '"', true, true);
        return;
      }
      pushString(I, I + 1, '"', '"', true);
      return;
    case '\'':
      if (!ruby() && at(T, I, "'''")) {
        pushString(I, I + 3, '\'', '\'', elixir(), true);
        return;
      }
      pushString(I, I + 1, '\'', '\'', elixir());
      return;
    case '`':
      if (ruby()) {
        pushString(I, I + 1, '`', '`', true);
        return;
      }
      if (coffee()) {
        // Embedded JavaScript.
        size_t E = T.find('`', I + 1);
        mark(I, E == StringRef::npos ? N : E + 1, SpanKind::String);
        P = Prev::Value;
        return;
      }
      break;
    case '%':
      if (ruby() && percentLiteral())
        return;
      break;
    case '~':
      if (elixir() && sigil())
        return;
      break;
    case '?':
      if ((ruby() || elixir()) && charLiteral())
        return;
      break;
    case '<':
      if (ruby() && at(T, I, "<<") && heredoc())
        return;
      break;
    case '/':
      if (!elixir() && regex())
        return;
      break;
    case '$':
      if (ruby() && I + 1 < N && !isIdentChar(T[I + 1]) && T[I + 1] != '\n') {
        I += 2; // $' $" $/ … are global variables, not quotes
        P = Prev::Value;
        return;
      }
      break;
    case '{':
      ++F.Depth;
      P = Prev::Punct;
      ++I;
      return;
    case '}':
      if (F.Ty == RFrame::Interp && F.Depth == 0) {
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
    if (isIdentStart(C) || C == '@') {
      size_t B = I;
      while (I < N && (isIdentChar(T[I]) || T[I] == '@'))
        ++I;
      // Ruby/Elixir method names may end in ? or ! (`empty?`), not before '='.
      if (!coffee() && I < N && (T[I] == '?' || T[I] == '!') &&
          peek(T, I + 1) != '=')
        ++I;
      P = isRubyRegexKeyword(T.slice(B, I)) ? Prev::RegexKeyword : Prev::Value;
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

  /// Whether the previous token ends a value, with no space before I (`x %w` vs `x%w`).
  bool valueBeforeNoSpace() const {
    return P == Prev::Value && I > 0 && !isSpaceOrNl(T[I - 1]);
  }

  /// %q(…) %Q[…] %w{…} %(…) %i<…> and friends.
  bool percentLiteral() {
    size_t J = I + 1;
    char Type = 0;
    if (J < N && StringRef("qQwWiIrsx").contains(T[J]) && J + 1 < N &&
        !isIdentChar(T[J + 1]) && !isSpaceOrNl(T[J + 1])) {
      Type = T[J];
      ++J;
    }
    if (J >= N)
      return false;
    char D = T[J];
    if (Type == 0 && !StringRef("([{<|!/^").contains(D))
      return false;
    if (isIdentChar(D) || isSpaceOrNl(D) || D == '=')
      return false;
    if (P == Prev::Value) {
      // `x % y` or `x %(y)`: only a literal with a space before and none after.
      if (valueBeforeNoSpace() || isSpaceOrNl(peek(T, J + 1)))
        return false;
    }
    bool Interp = Type == 0 || StringRef("QWIrx").contains(Type);
    pushString(I, J + 1, D, closerOf(D), Interp);
    return true;
  }

  /// Elixir sigils: ~s(…), ~S[…], ~r/…/, ~w{…}, ~HTML"""…""".
  bool sigil() {
    size_t J = I + 1;
    if (J >= N || !isAlpha(T[J]))
      return false;
    bool Lower = T[J] >= 'a' && T[J] <= 'z';
    ++J;
    if (!Lower)
      while (J < N && T[J] >= 'A' && T[J] <= 'Z')
        ++J;
    if (J >= N || !StringRef("([{</|\"'").contains(T[J]))
      return false;
    char D = T[J];
    if ((D == '"' || D == '\'') && at(T, J, D == '"' ? "\"\"\"" : "'''")) {
      pushString(I, J + 3, D, D, Lower, true);
      return true;
    }
    pushString(I, J + 1, D, closerOf(D), Lower);
    return true;
  }

  /// ?a ?\n character literals (`empty?` was consumed with its identifier).
  bool charLiteral() {
    if (I + 1 >= N || isSpaceOrNl(T[I + 1]))
      return false;
    size_t Len = T[I + 1] == '\\' ? 3 : 2;
    if (I + Len < N && isIdentChar(T[I + Len]) && T[I + 1] != '\\')
      return false;
    if (ruby() && valueBeforeNoSpace())
      return false;
    mark(I, I + Len, SpanKind::String);
    P = Prev::Value;
    return true;
  }

  /// Ruby heredoc openers <<~ID <<-ID <<ID <<~'ID' <<"ID"; the body is lexed at the
  /// next line break.
  bool heredoc() {
    size_t J = I + 2;
    bool Indented = false;
    if (J < N && (T[J] == '~' || T[J] == '-')) {
      Indented = true;
      ++J;
    }
    if (J >= N)
      return false;
    char Q = T[J];
    PendingHeredoc H;
    H.Indented = Indented;
    if (Q == '\'' || Q == '"' || Q == '`') {
      size_t E = T.find(Q, J + 1);
      size_t LE = lineEnd(T, J);
      if (E == StringRef::npos || E > LE || E == J + 1)
        return false;
      H.Id = T.slice(J + 1, E).str();
      H.Interpolates = Q != '\'';
      J = E + 1;
    } else if (isIdentStart(Q)) {
      // `a <<b` appends to a; `<<EOS`/`x <<EOS` is a heredoc.
      bool Upper = (Q >= 'A' && Q <= 'Z') || Q == '_';
      if (!Indented && !Upper && P == Prev::Value)
        return false;
      size_t B = J;
      while (J < N && isIdentChar(T[J]))
        ++J;
      H.Id = T.slice(B, J).str();
      H.Interpolates = true;
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
    if (coffee() && at(T, I, "///")) {
      size_t E = T.find("///", I + 3);
      mark(I, E == StringRef::npos ? N : E + 3, SpanKind::String);
      P = Prev::Value;
      return true;
    }
    if (P == Prev::Value || I < NoRegexUntil)
      return false;
    size_t J = I + 1;
    if (J < N && T[J] == ' ' && P == Prev::Start)
      return false;
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

  void string() {
    RFrame &F = Stack.back();
    char C = T[I];
    if (C == '\\') {
      I += 2;
      return;
    }
    if (F.Interpolates && C == '#' && peek(T, I + 1) == '{' && canNest()) {
      S.to(I, SpanKind::String);
      RFrame E;
      E.Ty = RFrame::Interp;
      Stack.push_back(E);
      I += 2;
      P = Prev::Start;
      return;
    }
    if (F.Triple) {
      if (C == F.Close && peek(T, I + 1) == C && peek(T, I + 2) == C) {
        S.to(I + 3, SpanKind::String);
        Stack.pop_back();
        I += 3;
        return;
      }
      ++I;
      return;
    }
    if (F.Open && C == F.Open) {
      ++F.Depth;
    } else if (C == F.Close) {
      if (F.Depth == 0) {
        S.to(I + 1, SpanKind::String);
        Stack.pop_back();
        ++I;
        return;
      }
      --F.Depth;
    }
    ++I;
  }
};

} // namespace

void lexRubyLike(StringRef T, SpanSink &S, RubyFlavor F) {
  RubyLikeLexer(T, S, F).run();
}

} // namespace lexdetail
} // namespace atm
