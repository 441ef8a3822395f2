/// \file
/// lex(): picks the lexer for a language, handles the UTF-8 BOM, and the helpers the
/// individual lexers share (quoted strings, heredoc bodies).

#include "lang/LexCommon.h"
#include "lang/Language.h"

using llvm::StringRef;

namespace atm {
namespace lexdetail {

size_t scanQuoted(StringRef T, size_t I, char Quote, bool Escapes, bool SingleLine) {
  size_t N = T.size();
  while (I < N) {
    char C = T[I];
    if (C == Quote)
      return I + 1;
    if (C == '\\' && Escapes) {
      I += 2;
      continue;
    }
    if (C == '\n' && SingleLine)
      return I;
    ++I;
  }
  return N;
}

namespace {

/// Marks "#{…}" parts of a heredoc body [B, E) as Code, the rest as String. Braces
/// are counted but quotes inside are not interpreted (a deliberate approximation).
void markRubyInterpolation(StringRef T, SpanSink &S, size_t B, size_t E) {
  size_t I = B;
  while (I < E) {
    size_t P = T.find("#{", I);
    if (P == StringRef::npos || P >= E)
      break;
    S.to(P, SpanKind::String);
    size_t J = P + 2;
    unsigned Depth = 0;
    while (J < E) {
      if (T[J] == '{')
        ++Depth;
      else if (T[J] == '}') {
        if (Depth == 0)
          break;
        --Depth;
      }
      ++J;
    }
    J = J < E ? J + 1 : E;
    S.to(J, SpanKind::Code);
    I = J;
  }
  S.to(E, SpanKind::String);
}

} // namespace

size_t lexHeredocBodies(StringRef T, SpanSink &S, size_t Start,
                        std::vector<PendingHeredoc> &Pending) {
  size_t N = T.size();
  size_t I = Start;
  for (const PendingHeredoc &H : Pending) {
    size_t BodyBegin = I;
    size_t BodyEnd = N, TermEnd = N;
    while (I < N) {
      size_t LE = lineEnd(T, I);
      StringRef Line = T.slice(I, LE);
      if (Line.endswith("\r"))
        Line = Line.drop_back();
      if (H.Indented)
        Line = Line.ltrim(" \t");
      if (Line == H.Id) {
        BodyEnd = I;
        TermEnd = LE;
        I = LE < N ? LE + 1 : N;
        break;
      }
      I = LE < N ? LE + 1 : N;
    }
    if (H.Interpolates)
      markRubyInterpolation(T, S, BodyBegin, BodyEnd);
    else
      S.to(BodyEnd, SpanKind::String);
    S.to(TermEnd, SpanKind::String);
    // The terminator's line break is plain code.
    S.to(I, SpanKind::Code);
  }
  Pending.clear();
  return I;
}

} // namespace lexdetail

using namespace lexdetail;

SpanMap lex(Language L, StringRef Text) {
  std::vector<Span> Spans;
  LexerKind K = lexerKind(L);
  SpanKind Default = (K == LexerKind::PHP || K == LexerKind::Markdown ||
                      K == LexerKind::PlainText)
                         ? SpanKind::Text
                         : SpanKind::Code;
  size_t Base = 0;
  if (Text.startswith("\xEF\xBB\xBF")) {
    Spans.push_back({0, 3, Default});
    Base = 3;
  }
  StringRef T = Text.substr(Base);
  SpanSink S(Spans, Base, T.size());

  CLikeOptions O;
  switch (K) {
  case LexerKind::CFamily:
    O.CppRawStrings = L == Language::Cpp || L == Language::ObjC;
    O.DigitSeparators = L == Language::Cpp;
    O.GoRawStrings = L == Language::Go;
    O.TextBlocks = L == Language::Java || L == Language::Kotlin;
    O.KotlinTemplates = L == Language::Kotlin;
    lexCLike(T, S, O);
    break;
  case LexerKind::CSharp:
    O.CSharp = true;
    lexCLike(T, S, O);
    break;
  case LexerKind::JavaScript:
    O.JavaScript = true;
    lexCLike(T, S, O);
    break;
  case LexerKind::Deluge:
    O.MultiLineStrings = true;
    lexCLike(T, S, O);
    break;
  case LexerKind::CoffeeScript:
    lexRubyLike(T, S, RubyFlavor::CoffeeScript);
    break;
  case LexerKind::Python:
    lexPython(T, S);
    break;
  case LexerKind::Ruby:
    lexRubyLike(T, S, RubyFlavor::Ruby);
    break;
  case LexerKind::PHP:
    lexPhp(T, S);
    break;
  case LexerKind::Perl:
    lexPerl(T, S);
    break;
  case LexerKind::Elixir:
    lexRubyLike(T, S, RubyFlavor::Elixir);
    break;
  case LexerKind::Shell:
    lexShell(T, S);
    break;
  case LexerKind::Env:
    lexEnv(T, S);
    break;
  case LexerKind::Properties:
    lexProperties(T, S);
    break;
  case LexerKind::Ini:
    lexIni(T, S);
    break;
  case LexerKind::Toml:
    lexToml(T, S);
    break;
  case LexerKind::Yaml:
    lexYaml(T, S);
    break;
  case LexerKind::Json:
    lexJson(T, S);
    break;
  case LexerKind::Xml:
    lexXml(T, S);
    break;
  case LexerKind::Markdown:
    lexMarkdown(T, S);
    break;
  case LexerKind::PlainText:
    break;
  case LexerKind::Generic:
    lexGeneric(T, S);
    break;
  }
  // Whatever a lexer left unmarked at the end (it never should) gets the default.
  S.to(T.size(), Default);
  return SpanMap(std::move(Spans));
}

} // namespace atm
