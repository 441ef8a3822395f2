#pragma once
/// \file
/// Internals shared by the lexers in tool/lang/ (not part of the public interface).

#include <cstddef>
#include <string>
#include <vector>

#include "core/Span.h"
#include "llvm/ADT/StringRef.h"

namespace atm {
namespace lexdetail {

/// Interpolations nest at most this deep; deeper openers are left inside the string.
/// Keeps the explicit frame stacks (and any adversarial input) bounded.
constexpr size_t MaxNesting = 32;

/// Appends spans in file order. Every call marks the bytes between the end of the
/// previous span and \p End with one kind, so the result can never have gaps or
/// overlaps whatever the lexer does; calls that would go backwards are ignored.
class SpanSink {
public:
  SpanSink(std::vector<Span> &Out, size_t Base, size_t Size)
      : Out(Out), Base(Base), Size(Size), Last(Base) {}

  /// Marks [last marked, \p End) (relative to the lexed text) as \p K. Offsets past
  /// the end are clamped, so lexers may overshoot after a trailing escape.
  void to(size_t End, SpanKind K) {
    if (End > Size)
      End = Size;
    End += Base;
    if (End <= Last)
      return;
    if (!Out.empty() && Out.back().Kind == K && Out.back().End == Last)
      Out.back().End = End;
    else
      Out.push_back({Last, End, K});
    Last = End;
  }

private:
  std::vector<Span> &Out;
  size_t Base;
  size_t Size;
  size_t Last;
};

inline bool isDigit(char C) { return C >= '0' && C <= '9'; }
inline bool isAlpha(char C) {
  return (C >= 'a' && C <= 'z') || (C >= 'A' && C <= 'Z');
}
/// Identifier characters; bytes >= 0x80 count so UTF-8 identifiers stay whole.
inline bool isIdentStart(char C) {
  return isAlpha(C) || C == '_' || static_cast<unsigned char>(C) >= 0x80;
}
inline bool isIdentChar(char C) { return isIdentStart(C) || isDigit(C); }
/// Horizontal whitespace (a line break is never included).
inline bool isBlank(char C) {
  return C == ' ' || C == '\t' || C == '\r' || C == '\f' || C == '\v';
}
inline bool isSpaceOrNl(char C) { return isBlank(C) || C == '\n'; }

/// The offset of the '\n' ending the line that holds \p I, or the text size.
inline size_t lineEnd(llvm::StringRef T, size_t I) {
  size_t P = T.find('\n', I);
  return P == llvm::StringRef::npos ? T.size() : P;
}
/// The offset of the first byte of the line that holds \p I.
inline size_t lineStart(llvm::StringRef T, size_t I) {
  size_t P = T.rfind('\n', I == 0 ? 0 : I - 1);
  return I == 0 || P == llvm::StringRef::npos ? 0 : P + 1;
}
/// The offset just past \p Needle found at or after \p From, or the text size.
inline size_t findEnd(llvm::StringRef T, llvm::StringRef Needle, size_t From) {
  size_t P = T.find(Needle, From);
  return P == llvm::StringRef::npos ? T.size() : P + Needle.size();
}
inline bool at(llvm::StringRef T, size_t I, llvm::StringRef S) {
  return I <= T.size() && T.substr(I).startswith(S);
}
inline char peek(llvm::StringRef T, size_t I) { return I < T.size() ? T[I] : '\0'; }
inline bool atLineStart(llvm::StringRef T, size_t I) {
  return I == 0 || T[I - 1] == '\n';
}
/// The closing partner of an opening bracket, or \p C itself.
inline char closerOf(char C) {
  switch (C) {
  case '(': return ')';
  case '[': return ']';
  case '{': return '}';
  case '<': return '>';
  default: return C;
  }
}

/// Scans a quoted string whose opening quote is just before \p I. Backslash escapes
/// the next byte when \p Escapes. Returns the offset after the closing quote, or the
/// offset of the line break (\p SingleLine) or the end of the text if unterminated.
size_t scanQuoted(llvm::StringRef T, size_t I, char Quote, bool Escapes,
                  bool SingleLine);

/// A heredoc announced on the current line whose body starts on the next one.
struct PendingHeredoc {
  std::string Id;
  bool Indented = false;    ///< terminator may be indented (<<~ / <<-)
  bool Interpolates = false; ///< "#{…}" inside the body is Code (Ruby)
};

/// Marks the bodies of \p Pending (in order) starting at \p Start, the offset just
/// after a line break; each body plus its terminator line is String. Returns the
/// offset to continue lexing at and clears \p Pending.
size_t lexHeredocBodies(llvm::StringRef T, SpanSink &S, size_t Start,
                        std::vector<PendingHeredoc> &Pending);

/// Options of the C-family lexer (CFamily, CSharp, JavaScript and Deluge share it).
struct CLikeOptions {
  bool CppRawStrings = false;    ///< R"delim(…)delim" with u8/u/U/L prefixes
  bool DigitSeparators = false;  ///< C++14 1'000'000
  bool GoRawStrings = false;     ///< `raw`
  bool TextBlocks = false;       ///< Java/Kotlin """…"""
  bool KotlinTemplates = false;  ///< ${expr} in "…" and """…""" (raw, no escapes)
  bool CSharp = false;           ///< @"…", $"…{x}…", $@"…", """raw"""
  bool JavaScript = false;       ///< `template ${x}` and /regex/
  bool MultiLineStrings = false; ///< quotes may span lines (Deluge)
  bool CharLiterals = true;      ///< '…' is a char/string literal
};

void lexCLike(llvm::StringRef T, SpanSink &S, const CLikeOptions &O);
void lexPython(llvm::StringRef T, SpanSink &S);
enum class RubyFlavor { Ruby, Elixir, CoffeeScript };
void lexRubyLike(llvm::StringRef T, SpanSink &S, RubyFlavor F);
void lexPhp(llvm::StringRef T, SpanSink &S);
void lexPerl(llvm::StringRef T, SpanSink &S);
void lexShell(llvm::StringRef T, SpanSink &S);
void lexEnv(llvm::StringRef T, SpanSink &S);
void lexProperties(llvm::StringRef T, SpanSink &S);
void lexIni(llvm::StringRef T, SpanSink &S);
void lexToml(llvm::StringRef T, SpanSink &S);
void lexYaml(llvm::StringRef T, SpanSink &S);
void lexJson(llvm::StringRef T, SpanSink &S);
void lexXml(llvm::StringRef T, SpanSink &S);
void lexMarkdown(llvm::StringRef T, SpanSink &S);
void lexGeneric(llvm::StringRef T, SpanSink &S);

} // namespace lexdetail
} // namespace atm
