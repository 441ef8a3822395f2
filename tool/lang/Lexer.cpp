/// \file
/// lex(): picks the lexer for a language, handles the UTF-8 BOM, and the helpers the
/// individual lexers share (quoted strings, heredoc bodies).

#include "lang/LexCommon.h"
#include "lang/Language.h"

#include <algorithm>

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

/// Replaces the kinds of \p Spans (sorted, contiguous) by \p Over (sorted, disjoint)
/// wherever they overlap; neighbours of the same kind are merged.
void overrideSpans(std::vector<Span> &Spans, const std::vector<Span> &Over) {
  if (Over.empty())
    return;
  std::vector<Span> Out;
  Out.reserve(Spans.size() + 2 * Over.size());
  auto Push = [&](size_t B, size_t E, SpanKind K) {
    if (E <= B)
      return;
    if (!Out.empty() && Out.back().Kind == K && Out.back().End == B)
      Out.back().End = E;
    else
      Out.push_back({B, E, K});
  };
  size_t O = 0;
  for (const Span &Sp : Spans) {
    size_t P = Sp.Begin;
    while (P < Sp.End) {
      while (O < Over.size() && Over[O].End <= P)
        ++O;
      if (O == Over.size() || Over[O].Begin >= Sp.End) {
        Push(P, Sp.End, Sp.Kind);
        break;
      }
      if (Over[O].Begin > P) {
        Push(P, Over[O].Begin, Sp.Kind);
        P = Over[O].Begin;
      }
      size_t E = std::min(Sp.End, Over[O].End);
      Push(P, E, Over[O].Kind);
      P = E;
    }
  }
  Spans = std::move(Out);
}

/// Elixir configuration (`config/*.exs`): in a `config :app, key: value, …` statement
/// (also `config :app, Mod, key: …` and keyword lists continued over lines that end
/// with a comma or an open bracket) the keyword keys are ConfigKey and the string
/// literals and `nil` values ConfigValue, so config rules see them as settings and the
/// parameter-map rules do not.
void markElixirConfig(StringRef Text, std::vector<Span> &Spans) {
  SpanMap Map(Spans); // a copy for look-ups while Over is collected
  std::vector<Span> Over;
  size_t N = Text.size();
  size_t I = 0;
  while (I < N) {
    size_t LE = lineEnd(Text, I);
    size_t J = I;
    while (J < LE && isBlank(Text[J]))
      ++J;
    bool Starts = at(Text, J, "config") && J + 6 < LE && isBlank(Text[J + 6]) &&
                  Map.kindAt(J) == SpanKind::Code;
    if (Starts) {
      size_t K = J + 6;
      while (K < LE && isBlank(Text[K]))
        ++K;
      Starts = K < LE && Text[K] == ':';
    }
    if (!Starts) {
      I = LE + 1;
      continue;
    }
    // The statement's extent: continued while a line ends with `,`, `[`, `(` or `{`
    // (before a trailing comment); blank and comment-only lines in between are skipped.
    auto Continues = [&](size_t LB, size_t LEnd) {
      size_t E = LEnd;
      while (E > LB && (isBlank(Text[E - 1]) || Map.kindAt(E - 1) == SpanKind::Comment))
        --E;
      if (E == LB)
        return 2; // blank or comment only
      char C = Text[E - 1];
      return C == ',' || C == '[' || C == '(' || C == '{' ? 1 : 0;
    };
    size_t End = LE;
    size_t LastCode = LE; // end of the last line that holds code
    bool More = Continues(I, LE) == 1;
    for (unsigned Lines = 0; More && Lines < 200 && End < N; ++Lines) {
      size_t NB = End + 1, NE = lineEnd(Text, NB);
      int K = Continues(NB, NE);
      End = NE;
      if (K != 2) {
        LastCode = NE;
        More = K == 1;
      }
    }
    End = LastCode;
    for (size_t P = J + 6; P < End;) {
      const Span *Sp = Map.spanAt(P);
      if (!Sp)
        break;
      if (Sp->Kind == SpanKind::String) {
        Over.push_back({Sp->Begin, std::min(Sp->End, End), SpanKind::ConfigValue});
        P = Sp->End;
        continue;
      }
      if (Sp->Kind != SpanKind::Code) {
        P = Sp->End;
        continue;
      }
      // A keyword key `name:` followed by a blank (not an atom `:name`, not `::`).
      if (isIdentStart(Text[P]) && (P == 0 || (!isIdentChar(Text[P - 1]) && Text[P - 1] != ':'))) {
        size_t W = P;
        while (W < End && isIdentChar(Text[W]))
          ++W;
        if (W < End && (Text[W] == '?' || Text[W] == '!'))
          ++W;
        if (W + 1 < N && Text[W] == ':' && isSpaceOrNl(Text[W + 1])) {
          Over.push_back({P, W, SpanKind::ConfigKey});
          size_t V = W + 1;
          while (V < End && isSpaceOrNl(Text[V]))
            ++V;
          if (at(Text, V, "nil") && (V + 3 >= N || !isIdentChar(Text[V + 3])))
            Over.push_back({V, V + 3, SpanKind::ConfigValue});
        }
        P = W;
        continue;
      }
      ++P;
    }
    I = End + 1;
  }
  std::sort(Over.begin(), Over.end(),
            [](const Span &A, const Span &B) { return A.Begin < B.Begin; });
  overrideSpans(Spans, Over);
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
  if (K == LexerKind::Elixir && Text.contains("config"))
    markElixirConfig(Text, Spans);
  return SpanMap(std::move(Spans));
}

} // namespace atm
