/// \file
/// Structured config lexers: TOML, YAML, JSON and XML/HTML.

#include "lang/LexCommon.h"

using llvm::StringRef;

namespace atm {
namespace lexdetail {

namespace {

/// A TOML or YAML quoted string starting at \p I; returns the offset after it.
/// Triple-quoted TOML strings may span lines, others stop at the line end.
size_t tomlString(StringRef T, size_t I) {
  char Q = T[I];
  if (at(T, I, Q == '"' ? "\"\"\"" : "'''")) {
    size_t J = I + 3;
    while (J < T.size()) {
      if (T[J] == '\\' && Q == '"') {
        J += 2;
        continue;
      }
      if (T[J] == Q && at(T, J, Q == '"' ? "\"\"\"" : "'''")) {
        J += 3;
        while (J < T.size() && T[J] == Q) // """a"""" ends with the last three
          ++J;
        return J;
      }
      ++J;
    }
    return T.size();
  }
  return scanQuoted(T, I + 1, Q, Q == '"', true);
}

bool isTomlBareKeyChar(char C) { return isIdentChar(C) || C == '-'; }

} // namespace

void lexToml(StringRef T, SpanSink &S) {
  enum class State { Key, Value, AfterValue } St = State::Key;
  std::vector<char> Containers; // '[' arrays and '{' inline tables
  size_t N = T.size();
  size_t I = 0;
  while (I < N) {
    char C = T[I];
    if (C == '\n') {
      ++I;
      if (Containers.empty())
        St = State::Key;
      continue;
    }
    if (isBlank(C)) {
      ++I;
      continue;
    }
    if (C == '#') {
      S.to(I, SpanKind::Code);
      I = lineEnd(T, I);
      S.to(I, SpanKind::Comment);
      continue;
    }
    switch (St) {
    case State::Key: {
      if (Containers.empty() && C == '[') {
        // [table] / [[array of tables]]: the whole header is a key.
        size_t LE = lineEnd(T, I);
        size_t E = I + 1;
        while (E < LE && T[E] != ']') {
          if (T[E] == '"' || T[E] == '\'')
            E = tomlString(T, E);
          else
            ++E;
        }
        while (E < LE && T[E] == ']')
          ++E;
        S.to(I, SpanKind::Code);
        S.to(E, SpanKind::ConfigKey);
        I = E;
        St = State::AfterValue;
        continue;
      }
      if (C == '}' && !Containers.empty() && Containers.back() == '{') {
        Containers.pop_back();
        ++I;
        St = State::AfterValue;
        continue;
      }
      // A dotted key of bare and quoted parts.
      size_t B = I, E = I;
      while (I < N) {
        if (T[I] == '"' || T[I] == '\'') {
          I = tomlString(T, I);
          E = I;
        } else if (isTomlBareKeyChar(T[I])) {
          while (I < N && isTomlBareKeyChar(T[I]))
            ++I;
          E = I;
        } else {
          break;
        }
        size_t J = I;
        while (J < N && (T[J] == ' ' || T[J] == '\t'))
          ++J;
        if (J < N && T[J] == '.') {
          ++J;
          while (J < N && (T[J] == ' ' || T[J] == '\t'))
            ++J;
          I = J;
          continue;
        }
        break;
      }
      if (E == B) {
        ++I; // stray character
        continue;
      }
      S.to(B, SpanKind::Code);
      S.to(E, SpanKind::ConfigKey);
      I = E;
      while (I < N && (T[I] == ' ' || T[I] == '\t'))
        ++I;
      if (I < N && T[I] == '=') {
        ++I;
        St = State::Value;
      }
      continue;
    }
    case State::Value:
    case State::AfterValue:
      if (C == '[' && St == State::Value) {
        if (Containers.size() < 4 * MaxNesting)
          Containers.push_back('[');
        ++I;
        continue;
      }
      if (C == '{' && St == State::Value) {
        if (Containers.size() < 4 * MaxNesting)
          Containers.push_back('{');
        ++I;
        St = State::Key;
        continue;
      }
      if ((C == ']' || C == '}') && !Containers.empty() &&
          Containers.back() == (C == ']' ? '[' : '{')) {
        Containers.pop_back();
        ++I;
        St = State::AfterValue;
        continue;
      }
      if (C == ',') {
        ++I;
        if (!Containers.empty())
          St = Containers.back() == '{' ? State::Key : State::Value;
        continue;
      }
      if (C == ']' || C == '}') {
        ++I; // a stray closer
        continue;
      }
      S.to(I, SpanKind::Code);
      if (C == '"' || C == '\'') {
        I = tomlString(T, I);
      } else {
        // Numbers, booleans, dates (in AfterValue: the time after a date's space).
        while (I < N && !isSpaceOrNl(T[I]) && T[I] != ',' && T[I] != ']' &&
               T[I] != '}' && T[I] != '#')
          ++I;
      }
      S.to(I, SpanKind::ConfigValue);
      St = State::AfterValue;
      continue;
    }
  }
  S.to(N, SpanKind::Code);
}

namespace {

/// The YAML lexer. Line-oriented for block structure; flow collections and quoted
/// scalars may cross lines.
class YamlLexer {
public:
  YamlLexer(StringRef T, SpanSink &S) : T(T), S(S), N(T.size()) {}

  void run() {
    while (I < N)
      line();
    S.to(N, SpanKind::Code);
  }

private:
  StringRef T;
  SpanSink &S;
  size_t N;
  size_t I = 0;
  /// Inside a block scalar: its body lines are indented deeper than this.
  long BlockParent = -2;
  std::vector<char> Flow;

  /// lineEnd(T, J), remembered: a flow collection on one long line asks for every scalar.
  size_t KnownFrom = 1, KnownEnd = 0; // [KnownFrom, KnownEnd] holds no '\n' but its end
  size_t lineEndOf(size_t J) {
    if (J < KnownFrom || J > KnownEnd) {
      KnownFrom = J;
      KnownEnd = lineEnd(T, J);
    }
    return KnownEnd;
  }

  /// Marks the rest of a line after a value: blanks Code, ` #` comment, else Code.
  void finishLine(size_t LE) {
    for (size_t J = I; J < LE; ++J)
      if (T[J] == '#' && (J == 0 || isSpaceOrNl(T[J - 1]))) {
        S.to(J, SpanKind::Code);
        S.to(LE, SpanKind::Comment);
        I = LE;
        return;
      }
    S.to(LE, SpanKind::Code);
    I = LE;
  }

  size_t quoted(size_t J) {
    char Q = T[J];
    if (Q == '"')
      return scanQuoted(T, J + 1, '"', true, false);
    // Single quotes escape themselves ('').
    ++J;
    while (J < N) {
      if (T[J] == '\'') {
        if (peek(T, J + 1) == '\'') {
          J += 2;
          continue;
        }
        return J + 1;
      }
      ++J;
    }
    return N;
  }

  /// The end of a plain scalar starting at \p J on a line ending at \p LE: before
  /// `: `, ` #`, or (in flow context) a flow indicator.
  size_t plainEnd(size_t J, size_t LE, bool InFlow) const {
    size_t K = J;
    while (K < LE) {
      char C = T[K];
      if (C == ':' && (K + 1 >= LE || isSpaceOrNl(T[K + 1]) ||
                       (InFlow && StringRef(",[]{}").contains(T[K + 1]))))
        break;
      if (C == '#' && K > J && isBlank(T[K - 1]))
        break;
      if (InFlow && StringRef(",[]{}").contains(C))
        break;
      ++K;
    }
    while (K > J && isBlank(T[K - 1]))
      --K;
    return K;
  }

  void line() {
    size_t LS = I;
    size_t LE = lineEnd(T, I);
    size_t J = LS;
    while (J < LE && (T[J] == ' ' || T[J] == '\t'))
      ++J;
    bool Blank = J >= LE || T[J] == '\r';
    if (BlockParent > -2) {
      if (Blank || static_cast<long>(J - LS) > BlockParent) {
        S.to(LS, SpanKind::Code);
        S.to(LE, SpanKind::ConfigValue);
        next(LE);
        return;
      }
      BlockParent = -2;
    }
    if (!Flow.empty()) {
      I = LS;
      flow();
      if (I < N && T[I - 1] == '\n')
        return; // the flow ended exactly at a line start or ran on
      finishLine(lineEnd(T, I));
      next(I);
      return;
    }
    if (Blank) {
      S.to(LE, SpanKind::Code);
      next(LE);
      return;
    }
    if (T[J] == '#') {
      S.to(J, SpanKind::Code);
      S.to(LE, SpanKind::Comment);
      next(LE);
      return;
    }
    if (J == LS && T[J] == '%') {
      S.to(LE, SpanKind::Code); // a directive (%YAML, %TAG)
      next(LE);
      return;
    }
    long Parent = static_cast<long>(J - LS) - 1;
    if (J == LS && (at(T, J, "---") || at(T, J, "...")) &&
        (J + 3 >= LE || isBlank(T[J + 3]))) {
      J += 3;
      Parent = -1;
    }
    // Sequence indicators.
    while (J < LE) {
      while (J < LE && isBlank(T[J]))
        ++J;
      if (J < LE && T[J] == '-' && (J + 1 >= LE || isBlank(T[J + 1]))) {
        Parent = static_cast<long>(J - LS);
        ++J;
        continue;
      }
      if (J < LE && T[J] == '?' && (J + 1 >= LE || isBlank(T[J + 1]))) {
        ++J;
        continue;
      }
      break;
    }
    I = J;
    // A key?
    if (J < LE && T[J] != '#') {
      size_t KeyEnd = 0;
      char C = T[J];
      if (C == '"' || C == '\'') {
        size_t E = quoted(J);
        size_t K = E;
        while (K < LE && isBlank(T[K]))
          ++K;
        if (E <= LE && K < LE && T[K] == ':' && (K + 1 >= LE || isSpaceOrNl(T[K + 1])))
          KeyEnd = E;
      } else if (!StringRef("[]{}&*!|>%@`,").contains(C)) {
        size_t E = plainEnd(J, LE, false);
        size_t K = E;
        while (K < LE && isBlank(T[K]))
          ++K;
        if (E > J && K < LE && T[K] == ':')
          KeyEnd = E;
      }
      if (KeyEnd) {
        S.to(J, SpanKind::Code);
        S.to(KeyEnd, SpanKind::ConfigKey);
        Parent = static_cast<long>(J - LS);
        I = KeyEnd;
        while (I < LE && T[I] != ':')
          ++I;
        ++I;
        S.to(I, SpanKind::Code);
      }
    }
    value(LE, Parent);
  }

  /// The value part of a line from I.
  void value(size_t LE, long Parent) {
    while (true) {
      while (I < LE && isBlank(T[I]))
        ++I;
      if (I >= LE || T[I] == '#') {
        finishLine(LE);
        next(LE);
        return;
      }
      char C = T[I];
      if (C == '&' || C == '!') {
        // Anchors and tags are syntax.
        while (I < LE && !isBlank(T[I]))
          ++I;
        continue;
      }
      if (C == '|' || C == '>') {
        BlockParent = Parent;
        finishLine(LE);
        next(LE);
        return;
      }
      S.to(I, SpanKind::Code);
      if (C == '[' || C == '{') {
        flow();
        if (!Flow.empty())
          return; // continues on the next line
        size_t LE2 = lineEnd(T, I);
        finishLine(LE2);
        next(LE2);
        return;
      }
      if (C == '"' || C == '\'') {
        size_t E = quoted(I);
        S.to(E, SpanKind::ConfigValue);
        I = E;
        size_t LE2 = lineEnd(T, E > 0 ? E - 1 : E);
        if (LE2 < E)
          LE2 = E;
        finishLine(LE2);
        next(LE2);
        return;
      }
      size_t E = plainEnd(I, LE, false);
      // `a: b: c` is invalid; still, a value's own `: ` is text here.
      size_t K = E;
      while (K < LE && T[K] == ':') {
        K = plainEnd(K + 1, LE, false);
        E = K;
      }
      if (E == I)
        E = I + 1;
      S.to(E, SpanKind::ConfigValue);
      I = E;
      finishLine(LE);
      next(LE);
      return;
    }
  }

  void next(size_t LE) {
    I = LE < N ? LE + 1 : N;
    S.to(I, SpanKind::Code);
  }

  /// A flow collection from I (which may be inside one already, after a line break).
  /// Returns with I after the outermost closer, or at the end of a line while open.
  void flow() {
    while (I < N) {
      char C = T[I];
      if (C == '\n') {
        ++I;
        if (!Flow.empty())
          return; // the next line() call resumes
        continue;
      }
      if (isBlank(C)) {
        ++I;
        continue;
      }
      if (C == '#' && (I == 0 || isSpaceOrNl(T[I - 1]))) {
        S.to(I, SpanKind::Code);
        I = lineEnd(T, I);
        S.to(I, SpanKind::Comment);
        continue;
      }
      if (C == '[' || C == '{') {
        if (Flow.size() < 4 * MaxNesting)
          Flow.push_back(C);
        ++I;
        continue;
      }
      if (C == ']' || C == '}') {
        if (!Flow.empty())
          Flow.pop_back();
        ++I;
        if (Flow.empty())
          return;
        continue;
      }
      if (C == ',' || C == ':') {
        ++I;
        if (Flow.empty())
          return;
        continue;
      }
      if (Flow.empty())
        return;
      size_t E;
      if (C == '"' || C == '\'')
        E = quoted(I);
      else
        E = plainEnd(I, lineEndOf(I), true);
      if (E == I)
        E = I + 1;
      size_t K = E;
      while (K < N && isBlank(T[K]))
        ++K;
      bool IsKey = K < N && T[K] == ':';
      S.to(I, SpanKind::Code);
      S.to(E, IsKey ? SpanKind::ConfigKey : SpanKind::ConfigValue);
      I = E;
    }
  }
};

} // namespace

void lexYaml(StringRef T, SpanSink &S) { YamlLexer(T, S).run(); }

void lexJson(StringRef T, SpanSink &S) {
  size_t N = T.size();
  size_t I = 0;
  auto FollowedByColon = [&](size_t E) {
    while (E < N && isSpaceOrNl(T[E]))
      ++E;
    return E < N && T[E] == ':';
  };
  while (I < N) {
    char C = T[I];
    if (isSpaceOrNl(C) || StringRef("{}[],:").contains(C)) {
      ++I;
      continue;
    }
    S.to(I, SpanKind::Code);
    if (C == '/' && (peek(T, I + 1) == '/' || peek(T, I + 1) == '*')) {
      I = peek(T, I + 1) == '/' ? lineEnd(T, I) : findEnd(T, "*/", I + 2);
      S.to(I, SpanKind::Comment);
      continue;
    }
    size_t E;
    if (C == '"' || C == '\'') {
      E = scanQuoted(T, I + 1, C, true, true);
    } else {
      E = I;
      while (E < N && !isSpaceOrNl(T[E]) && !StringRef("{}[],:\"'/").contains(T[E]))
        ++E;
      if (E == I)
        E = I + 1;
    }
    S.to(E, FollowedByColon(E) ? SpanKind::ConfigKey : SpanKind::ConfigValue);
    I = E;
  }
  S.to(N, SpanKind::Code);
}

namespace {

bool isXmlNameStart(char C) { return isIdentStart(C) || C == ':'; }
bool isXmlNameChar(char C) {
  return isIdentChar(C) || C == ':' || C == '-' || C == '.';
}

/// Finds `</Name` case-insensitively from \p I (for <script> and <style> bodies).
size_t findClosingTag(StringRef T, size_t I, StringRef Name) {
  while (true) {
    size_t P = T.find("</", I);
    if (P == StringRef::npos)
      return T.size();
    if (T.substr(P + 2, Name.size()).equals_insensitive(Name))
      return P;
    I = P + 2;
  }
}

} // namespace

void lexXml(StringRef T, SpanSink &S) {
  size_t N = T.size();
  size_t I = 0;
  while (I < N) {
    size_t P = T.find('<', I);
    if (P == StringRef::npos) {
      S.to(N, SpanKind::ConfigValue);
      break;
    }
    S.to(P, SpanKind::ConfigValue);
    I = P;
    if (at(T, I, "<!--")) {
      I = findEnd(T, "-->", I + 4);
      S.to(I, SpanKind::Comment);
      continue;
    }
    if (at(T, I, "<![CDATA[")) {
      I = findEnd(T, "]]>", I + 9);
      S.to(I, SpanKind::ConfigValue);
      continue;
    }
    if (at(T, I, "<?")) {
      I = findEnd(T, "?>", I + 2);
      S.to(I, SpanKind::Code);
      continue;
    }
    if (at(T, I, "<!")) {
      // DOCTYPE and friends, with an optional [internal subset].
      size_t J = I + 2;
      unsigned Depth = 0;
      while (J < N) {
        char C = T[J];
        if (C == '"' || C == '\'') {
          J = scanQuoted(T, J + 1, C, false, false);
          continue;
        }
        if (C == '[')
          ++Depth;
        else if (C == ']' && Depth)
          --Depth;
        else if (C == '>' && Depth == 0)
          break;
        ++J;
      }
      I = J < N ? J + 1 : N;
      S.to(I, SpanKind::Code);
      continue;
    }
    bool Closing = peek(T, I + 1) == '/';
    size_t NameB = I + (Closing ? 2 : 1);
    if (!isXmlNameStart(peek(T, NameB))) {
      ++I; // a lone '<' in text
      continue;
    }
    size_t J = NameB;
    while (J < N && isXmlNameChar(T[J]))
      ++J;
    StringRef Name = T.slice(NameB, J);
    S.to(NameB, SpanKind::Code);
    S.to(J, SpanKind::ConfigKey);
    // Attributes up to '>' or '/>'.
    bool SelfClosing = false;
    while (J < N && T[J] != '>') {
      char C = T[J];
      if (C == '"' || C == '\'') {
        S.to(J, SpanKind::Code);
        J = scanQuoted(T, J + 1, C, false, false);
        S.to(J, SpanKind::ConfigValue);
        continue;
      }
      if (isXmlNameStart(C)) {
        size_t B = J;
        while (J < N && isXmlNameChar(T[J]))
          ++J;
        S.to(B, SpanKind::Code);
        S.to(J, SpanKind::ConfigKey);
        continue;
      }
      if (C == '=') {
        ++J;
        while (J < N && isSpaceOrNl(T[J]))
          ++J;
        if (J < N && T[J] != '"' && T[J] != '\'' && T[J] != '>') {
          // An unquoted HTML attribute value.
          size_t B = J;
          while (J < N && !isSpaceOrNl(T[J]) && T[J] != '>')
            ++J;
          S.to(B, SpanKind::Code);
          S.to(J, SpanKind::ConfigValue);
        }
        continue;
      }
      if (C == '<')
        break; // malformed tag; let the outer loop take the new '<'
      SelfClosing = C == '/';
      ++J;
    }
    I = J < N && T[J] == '>' ? J + 1 : J;
    S.to(I, SpanKind::Code);
    if (!Closing && !SelfClosing &&
        (Name.equals_insensitive("script") || Name.equals_insensitive("style"))) {
      // Raw text: a '<' in JavaScript or CSS does not open a tag.
      I = findClosingTag(T, I, Name);
      S.to(I, SpanKind::ConfigValue);
    }
  }
  S.to(N, SpanKind::ConfigValue);
}

void lexMarkdown(StringRef T, SpanSink &S) {
  size_t N = T.size();
  size_t I = 0;
  char FenceChar = 0;
  size_t FenceLen = 0;
  // No closing backtick run of length L (index) before this offset: avoids rescanning
  // a paragraph for every unmatched opener.
  size_t NoCloseBefore[33] = {};
  while (I < N) {
    if (atLineStart(T, I)) {
      size_t LE = lineEnd(T, I);
      size_t J = I;
      while (J < LE && J < I + 3 && T[J] == ' ')
        ++J;
      char C = peek(T, J);
      size_t K = J;
      while (K < LE && T[K] == C && (C == '`' || C == '~'))
        ++K;
      bool Fence = (C == '`' || C == '~') && K - J >= 3;
      if (FenceChar) {
        S.to(I, SpanKind::String);
        bool Close = Fence && C == FenceChar && K - J >= FenceLen &&
                     StringRef(T.slice(K, LE)).trim().empty();
        if (Close)
          FenceChar = 0;
        I = LE < N ? LE + 1 : N;
        S.to(Close ? LE : I, SpanKind::String);
        continue;
      }
      if (Fence && !(C == '`' && T.slice(K, LE).contains('`'))) {
        FenceChar = C;
        FenceLen = K - J;
        S.to(I, SpanKind::Text);
        I = LE < N ? LE + 1 : N;
        S.to(LE, SpanKind::String);
        continue;
      }
    }
    char C = T[I];
    if (C == '\\') {
      I += peek(T, I + 1) == '\n' ? 1 : 2;
      continue;
    }
    if (C == '<' && at(T, I, "<!--")) {
      S.to(I, SpanKind::Text);
      I = findEnd(T, "-->", I + 4);
      S.to(I, SpanKind::Comment);
      continue;
    }
    if (C == '`') {
      size_t B = I;
      while (I < N && T[I] == '`')
        ++I;
      size_t Len = I - B;
      size_t Slot = Len < 33 ? Len : 0;
      if (Slot && I < NoCloseBefore[Slot])
        continue;
      // Look for a closing run of the same length within the paragraph.
      size_t J = I;
      bool Found = false;
      while (J < N) {
        char D = T[J];
        if (D == '`') {
          size_t R = J;
          while (J < N && T[J] == '`')
            ++J;
          if (J - R == Len) {
            Found = true;
            break;
          }
          continue;
        }
        if (D == '\n') {
          size_t K = J + 1;
          while (K < N && isBlank(T[K]))
            ++K;
          if (K >= N || T[K] == '\n')
            break; // a blank line ends the paragraph
        }
        ++J;
      }
      if (!Found) {
        if (Slot)
          NoCloseBefore[Slot] = J;
        continue;
      }
      S.to(B, SpanKind::Text);
      S.to(J, SpanKind::String);
      I = J;
      continue;
    }
    ++I;
  }
  S.to(N, FenceChar ? SpanKind::String : SpanKind::Text);
}

} // namespace lexdetail
} // namespace atm
