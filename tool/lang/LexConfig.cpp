/// \file
/// Line-oriented config lexers: .env, .properties and INI. Keys are ConfigKey,
/// values ConfigValue, separators and whitespace Code.

#include "lang/LexCommon.h"

using llvm::StringRef;

namespace atm {
namespace lexdetail {

namespace {

size_t skipBlanks(StringRef T, size_t I, size_t End) {
  while (I < End && (T[I] == ' ' || T[I] == '\t' || T[I] == '\f'))
    ++I;
  return I;
}

/// Trims trailing blanks (and a CR) of [B, E).
size_t trimEnd(StringRef T, size_t B, size_t E) {
  while (E > B && isBlank(T[E - 1]))
    --E;
  return E;
}

/// After a value: blanks are Code, `#`/`;` (from \p CommentChars) after a blank start a
/// comment, anything else is Code.
void restOfLine(StringRef T, SpanSink &S, size_t I, size_t LE,
                StringRef CommentChars) {
  for (size_t J = I; J < LE; ++J)
    if (CommentChars.contains(T[J]) && (J == I || isBlank(T[J - 1]))) {
      S.to(J, SpanKind::Code);
      S.to(LE, SpanKind::Comment);
      return;
    }
  S.to(LE, SpanKind::Code);
}

/// A value from \p V to \p LE: quoted (may span lines when \p MultiLine) or up to an
/// inline comment (a comment char after a blank). Returns the offset after the value
/// and its trailing comment.
size_t lexValue(StringRef T, SpanSink &S, size_t V, size_t LE, StringRef Comment,
                bool MultiLine) {
  S.to(V, SpanKind::Code);
  if (V >= LE)
    return LE;
  char Q = T[V];
  if (Q == '"' || Q == '\'' || Q == '`') {
    size_t E = scanQuoted(T, V + 1, Q, Q != '\'', !MultiLine);
    S.to(E, SpanKind::ConfigValue);
    size_t LE2 = lineEnd(T, E > V ? E - 1 : E);
    if (LE2 < E)
      LE2 = E;
    restOfLine(T, S, E, LE2, Comment);
    return LE2;
  }
  size_t E = LE;
  for (size_t J = V; J < LE; ++J)
    if (Comment.contains(T[J]) && J > V && isBlank(T[J - 1])) {
      E = J;
      break;
    }
  S.to(trimEnd(T, V, E), SpanKind::ConfigValue);
  restOfLine(T, S, E, LE, Comment);
  return LE;
}

} // namespace

void lexEnv(StringRef T, SpanSink &S) {
  size_t N = T.size();
  size_t I = 0;
  while (I < N) {
    size_t LE = lineEnd(T, I);
    size_t J = skipBlanks(T, I, LE);
    if (J < LE && T[J] == '#') {
      S.to(J, SpanKind::Code);
      S.to(LE, SpanKind::Comment);
    } else {
      if (at(T, J, "export ") || at(T, J, "export\t"))
        J = skipBlanks(T, J + 7, LE);
      // Only this line: a file of lines without '=' must not search to its end each time.
      size_t Eq = T.slice(0, LE).find('=', J);
      if (Eq == StringRef::npos || Eq == J) {
        S.to(LE, SpanKind::Code);
      } else {
        S.to(J, SpanKind::Code);
        S.to(trimEnd(T, J, Eq), SpanKind::ConfigKey);
        S.to(Eq + 1, SpanKind::Code);
        LE = lexValue(T, S, skipBlanks(T, Eq + 1, LE), LE, "#", true);
      }
    }
    S.to(LE < N ? LE + 1 : N, SpanKind::Code);
    I = LE + 1;
  }
}

void lexProperties(StringRef T, SpanSink &S) {
  size_t N = T.size();
  size_t I = 0;
  while (I < N) {
    size_t LE = lineEnd(T, I);
    size_t J = skipBlanks(T, I, LE);
    if (J < LE && (T[J] == '#' || T[J] == '!')) {
      S.to(J, SpanKind::Code);
      S.to(LE, SpanKind::Comment);
    } else if (J < LE && T[J] != '\r') {
      // Key: up to an unescaped separator or blank.
      size_t K = J;
      while (K < LE) {
        char C = T[K];
        if (C == '\\') {
          K += 2;
          continue;
        }
        if (C == '=' || C == ':' || C == ' ' || C == '\t' || C == '\f' || C == '\r')
          break;
        ++K;
      }
      if (K > LE)
        K = LE;
      S.to(J, SpanKind::Code);
      S.to(K, SpanKind::ConfigKey);
      size_t V = skipBlanks(T, K, LE);
      if (V < LE && (T[V] == '=' || T[V] == ':'))
        V = skipBlanks(T, V + 1, LE);
      S.to(V, SpanKind::Code);
      // The value runs to the end of the logical line: a line ending in an odd
      // number of backslashes continues on the next one.
      size_t E = LE;
      while (true) {
        size_t End = E;
        if (End > I && T[End - 1] == '\r')
          --End;
        size_t Backslashes = 0;
        while (End > V && T[End - 1] == '\\') {
          --End;
          ++Backslashes;
        }
        if (Backslashes % 2 == 0 || E >= N)
          break;
        E = lineEnd(T, E + 1);
      }
      S.to(trimEnd(T, V, E), SpanKind::ConfigValue);
      LE = E;
    }
    S.to(LE < N ? LE + 1 : N, SpanKind::Code);
    I = LE + 1;
  }
}

void lexIni(StringRef T, SpanSink &S) {
  size_t N = T.size();
  size_t I = 0;
  bool AfterKey = false;
  // HOCON / nginx-style blocks in .conf files (`zoho {`, `zoho = {` … `}`): inside one,
  // an indented line is a key of its own, not the continuation of the previous value.
  size_t BlockDepth = 0;
  while (I < N) {
    size_t LE = lineEnd(T, I);
    size_t J = skipBlanks(T, I, LE);
    size_t ContentEnd = trimEnd(T, J, LE);
    if (J >= ContentEnd) {
      S.to(LE, SpanKind::Code);
    } else if (T[J] == ';' || T[J] == '#') {
      S.to(J, SpanKind::Code);
      S.to(LE, SpanKind::Comment);
    } else if (T[J] == '[') {
      size_t E = T.slice(0, LE).find(']', J);
      E = E == StringRef::npos ? ContentEnd : E + 1;
      S.to(J, SpanKind::Code);
      S.to(E, SpanKind::ConfigKey);
      restOfLine(T, S, E, LE, ";#");
      AfterKey = false;
    } else if (J > I && AfterKey && BlockDepth == 0) {
      // An indented line after a key continues its value (Python configparser).
      lexValue(T, S, J, LE, ";#", false);
    } else if (T[J] == '}') {
      S.to(J, SpanKind::Code);
      restOfLine(T, S, J, LE, ";#");
      BlockDepth -= BlockDepth > 0;
      AfterKey = false;
    } else {
      size_t Sep = J;
      while (Sep < LE && T[Sep] != '=' && T[Sep] != ':')
        ++Sep;
      S.to(J, SpanKind::Code);
      if (Sep >= LE) {
        // A bare key (my.cnf `skip-networking`).
        size_t E = LE;
        for (size_t K = J + 1; K < LE; ++K)
          if ((T[K] == ';' || T[K] == '#') && isBlank(T[K - 1])) {
            E = K;
            break;
          }
        S.to(trimEnd(T, J, E), SpanKind::ConfigKey);
        restOfLine(T, S, E, LE, ";#");
      } else {
        S.to(trimEnd(T, J, Sep), SpanKind::ConfigKey);
        S.to(Sep + 1, SpanKind::Code);
        lexValue(T, S, skipBlanks(T, Sep + 1, LE), LE, ";#", false);
      }
      AfterKey = true;
      if (T[ContentEnd - 1] == '{') { // `name {` or `name = {` opens a block
        ++BlockDepth;
        AfterKey = false;
      }
    }
    S.to(LE < N ? LE + 1 : N, SpanKind::Code);
    I = LE + 1;
  }
}

} // namespace lexdetail
} // namespace atm
