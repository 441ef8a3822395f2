/// \file
/// The lexer for files of no known language (Lua, R, Julia, VBScript, AutoHotkey,
/// `.http`/`.rest` request files, Postman exports with odd extensions, …): a guess that
/// is right for most of them and harmless for the rest.
///  - Strings: "…" and '…' with backslash escapes, ending at the line end when not
///    closed (an apostrophe in prose costs at most the rest of its line). A `'` right
///    after a letter or digit is an apostrophe (`don't`), not a string.
///  - Comments, only at a line start or after a blank (so `https://x`, `a#b`, `x--y`
///    stay code): `#`, `//`, `--` followed by a blank, `-`, `[` or the line end (so the
///    long option `--header` is code), `/* … */`, and `;` as the first non-blank byte of
///    a line (INI, Lisp, assembly, AutoHotkey).
///  - Everything else is code.

#include "lang/LexCommon.h"

using llvm::StringRef;

namespace atm {
namespace lexdetail {

namespace {

/// True when a comment may start at \p I: the line start (after blanks) or a blank.
bool commentMayStart(StringRef T, size_t I) {
  return I == 0 || isSpaceOrNl(T[I - 1]);
}

/// True when only blanks precede \p I on its line.
bool firstOnLine(StringRef T, size_t I) {
  while (I > 0 && isBlank(T[I - 1]))
    --I;
  return atLineStart(T, I);
}

} // namespace

void lexGeneric(StringRef T, SpanSink &S) {
  size_t N = T.size();
  size_t I = 0;
  while (I < N) {
    char C = T[I];
    if (C == '"' || (C == '\'' && (I == 0 || !isIdentChar(T[I - 1])))) {
      S.to(I, SpanKind::Code);
      size_t E = scanQuoted(T, I + 1, C, /*Escapes=*/true, /*SingleLine=*/true);
      S.to(E, SpanKind::String);
      I = E;
      continue;
    }
    if (commentMayStart(T, I)) {
      // Block comments: /* … */ and Lua's --[[ … ]] (its --[==[ … ]==] levels are rare).
      llvm::StringRef Close = C == '/' && peek(T, I + 1) == '*' ? "*/"
                              : at(T, I, "--[[")                ? "]]"
                                                                : "";
      if (!Close.empty()) {
        S.to(I, SpanKind::Code);
        size_t E = findEnd(T, Close, I + 2);
        S.to(E, SpanKind::Comment);
        I = E;
        continue;
      }
      bool LineComment = false;
      if (C == '#')
        LineComment = true;
      else if (C == '/' && peek(T, I + 1) == '/')
        LineComment = true;
      else if (C == '-' && peek(T, I + 1) == '-') {
        char D = peek(T, I + 2);
        LineComment = D == '\0' || isSpaceOrNl(D) || D == '-' || D == '[';
      } else if (C == ';' && firstOnLine(T, I))
        LineComment = true;
      if (LineComment) {
        S.to(I, SpanKind::Code);
        size_t LE = lineEnd(T, I);
        S.to(LE, SpanKind::Comment);
        I = LE;
        continue;
      }
    }
    ++I;
  }
  S.to(N, SpanKind::Code);
}

} // namespace lexdetail
} // namespace atm
