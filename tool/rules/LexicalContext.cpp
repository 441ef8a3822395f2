#include "rules/LexicalContext.h"

#include <algorithm>
#include <map>
#include <set>

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"

namespace atm {

namespace {

/// How statements and blocks are delimited.
enum class Mode : uint8_t {
  Semicolon, ///< `;` and block braces end statements (C, Java, C#, PHP, Perl, Deluge)
  Newline,   ///< also a newline outside brackets (JS/TS, Go, Kotlin, Swift, shell)
  Indent,    ///< newline-terminated, braces are data, `def`/`class` indentation blocks
  EndWord,   ///< like Indent, blocks close with `end` (Ruby, Elixir)
  Config,    ///< key/value lines
  Prose,     ///< Markdown / text outside code blocks
};

Mode modeFor(Language L) {
  switch (L) {
  case Language::Go:
  case Language::Kotlin:
  case Language::Swift:
  case Language::Scala:
    return Mode::Newline;
  default:
    break;
  }
  switch (lexerKind(L)) {
  case LexerKind::CFamily:
  case LexerKind::CSharp:
  case LexerKind::PHP:
  case LexerKind::Perl:
  case LexerKind::Deluge:
    return Mode::Semicolon;
  case LexerKind::JavaScript:
  case LexerKind::Shell:
  case LexerKind::Generic:
    return Mode::Newline;
  case LexerKind::Python:
  case LexerKind::CoffeeScript:
    return Mode::Indent;
  case LexerKind::Ruby:
  case LexerKind::Elixir:
    return Mode::EndWord;
  case LexerKind::Env:
  case LexerKind::Properties:
  case LexerKind::Ini:
  case LexerKind::Toml:
  case LexerKind::Yaml:
  case LexerKind::Json:
  case LexerKind::Xml:
    return Mode::Config;
  case LexerKind::Markdown:
  case LexerKind::PlainText:
    return Mode::Prose;
  }
  return Mode::Semicolon;
}

/// The language of a Markdown fence's info string (```js, ~~~ python, ```{.php}).
Language fenceLanguage(llvm::StringRef Info) {
  Info = Info.trim().ltrim("{.").split(' ').first.split(',').first.rtrim("}");
  std::string W = Info.lower();
  static const std::pair<const char *, Language> Aliases[] = {
      {"js", Language::JavaScript},      {"javascript", Language::JavaScript},
      {"node", Language::JavaScript},    {"jsx", Language::JavaScript},
      {"ts", Language::JavaScript},      {"typescript", Language::JavaScript},
      {"tsx", Language::JavaScript},     {"py", Language::Python},
      {"python3", Language::Python},     {"rb", Language::Ruby},
      {"kt", Language::Kotlin},          {"cs", Language::CSharp},
      {"c#", Language::CSharp},          {"golang", Language::Go},
      {"sh", Language::Shell},           {"bash", Language::Shell},
      {"console", Language::Shell},      {"zsh", Language::Shell},
      {"dg", Language::Deluge},          {"yml", Language::Yaml},
      {"html", Language::Xml},           {"dotenv", Language::Env},
      {"c++", Language::Cpp},            {"pl", Language::Perl},
      {"coffee", Language::CoffeeScript}, {"ps1", Language::PowerShell},
      {"jsonc", Language::Json},         {"cfg", Language::Ini},
  };
  for (const auto &[A, L] : Aliases)
    if (W == A)
      return L;
  if (auto L = parseLanguage(W))
    if (*L != Language::Markdown && *L != Language::Text)
      return *L;
  return Language::JavaScript; // C-like strings and comments: the most common examples
}

bool isIdentStart(char C) { return llvm::isAlpha(C) || C == '_'; }
bool isIdentChar(char C) { return llvm::isAlnum(C) || C == '_'; }

/// An identifier use or definition name: the last component of a member chain
/// (`self.base_url` -> base_url, `$this->crmUrl` -> crmUrl, `Config::BASE` -> BASE).
struct Ident {
  size_t Begin = 0, End = 0; ///< the whole chain
  llvm::StringRef Name;
  bool Member = false;  ///< more than one component (self.x, this.x, Cls::X, @x)
  llvm::StringRef Root; ///< the first component other than self/this (req of
                        ///< req.Header.Set), when Member; else empty
};

bool isSelfWord(llvm::StringRef W) {
  return W == "self" || W == "this" || W == "cls" || W == "static" || W == "parent";
}

/// One lexically delimited region of the file with its own spans (a Markdown fenced
/// block is re-lexed in its fence's language; otherwise the whole file).
struct Segment {
  size_t Begin = 0, End = 0;
  Language Lang = Language::Unknown;
  Mode M = Mode::Semicolon;
  std::vector<Span> Spans;
  std::vector<size_t> Bounds; ///< statement boundaries, sorted
  std::vector<ByteRange> Groups; ///< (…) […] and data {…}, sorted by Begin (outer first)
  bool ShellVars = false;     ///< `$NAME` inside strings is a use (shell, Perl)
};

struct Block {
  ByteRange R;
  int Parent = -1;
  ContextLevel Kind = ContextLevel::Block;
};

struct Def {
  size_t At = 0;   ///< the name
  ByteRange Rhs;   ///< what it is assigned
  ByteRange Stmt;  ///< the defining statement
  int BlockIdx = -1;
  int Seg = 0;
};

} // namespace

struct LexicalContext::Impl {
  Language Lang;
  llvm::StringRef Text;
  const SpanMap &FileSpans;
  Mode FileMode;
  std::vector<Segment> Segs;
  std::vector<Block> Blocks; ///< sorted by Begin (then outer first), with parents
  std::vector<std::vector<int>> Children;
  llvm::StringMap<std::vector<Def>> Defs;
  std::vector<ByteRange> Sections; ///< Markdown sections / INI tables (any order)
  mutable std::map<std::pair<size_t, size_t>, std::vector<ByteRange>> ResolveCache;

  Impl(Language L, llvm::StringRef T, const SpanMap &S)
      : Lang(L), Text(T), FileSpans(S), FileMode(modeFor(L)) {
    if (FileMode == Mode::Prose)
      buildProse();
    else if (FileMode != Mode::Config) {
      Segment Sg;
      Sg.Begin = 0;
      Sg.End = Text.size();
      Sg.Lang = L;
      Sg.M = FileMode;
      Sg.Spans = S.spans();
      Sg.ShellVars = lexerKind(L) == LexerKind::Shell || lexerKind(L) == LexerKind::Perl;
      Segs.push_back(std::move(Sg));
    } else {
      buildConfig();
    }
    std::vector<Block> Raw;
    for (size_t I = 0; I < Segs.size(); ++I)
      scanSegment(Segs[I], Raw);
    finishBlocks(Raw);
    for (size_t I = 0; I < Segs.size(); ++I)
      collectDefs(I);
  }

  // ---- small helpers -------------------------------------------------------------

  size_t lineStart(size_t P) const {
    size_t N = Text.rfind('\n', std::min(P, Text.size())); // the last '\n' before P
    return N == llvm::StringRef::npos ? 0 : N + 1;
  }
  size_t lineEnd(size_t P) const {
    size_t N = Text.find('\n', P);
    return N == llvm::StringRef::npos ? Text.size() : N;
  }
  static const Span *spanIn(const std::vector<Span> &Sp, size_t P) {
    auto It = std::upper_bound(Sp.begin(), Sp.end(), P,
                               [](size_t O, const Span &S) { return O < S.Begin; });
    if (It == Sp.begin())
      return nullptr;
    --It;
    return P < It->End ? &*It : nullptr;
  }
  int segmentOf(size_t P) const {
    for (size_t I = 0; I < Segs.size(); ++I)
      if (P >= Segs[I].Begin && P < Segs[I].End)
        return int(I);
    return -1;
  }

  // ---- Markdown / text ------------------------------------------------------------

  void buildProse() {
    if (lexerKind(Lang) != LexerKind::Markdown) {
      addParagraphs(0, Text.size());
      return;
    }
    size_t ProseFrom = 0;
    for (const Span &S : FileSpans.spans()) {
      if (S.Kind != SpanKind::String)
        continue;
      llvm::StringRef Body = Text.slice(S.Begin, S.End);
      llvm::StringRef Lead = Body.ltrim(" ");
      if (!(Lead.startswith("```") || Lead.startswith("~~~")))
        continue; // inline code: a literal of the prose
      addParagraphs(ProseFrom, S.Begin);
      ProseFrom = S.End;
      Blocks.push_back({{S.Begin, S.End}, -1, ContextLevel::Block}); // the whole fence
      size_t InfoEnd = lineEnd(S.Begin);
      llvm::StringRef Info = Text.slice(S.Begin, InfoEnd).ltrim(" ").ltrim("`~");
      size_t BodyBegin = std::min(InfoEnd + 1, S.End);
      size_t BodyEnd = S.End;
      size_t LastLine = lineStart(S.End > 0 ? S.End - 1 : 0);
      llvm::StringRef Close = Text.slice(LastLine, S.End).trim();
      if (LastLine > S.Begin && !Close.empty() && Close.find_first_not_of("`~") == llvm::StringRef::npos)
        BodyEnd = LastLine;
      if (BodyEnd <= BodyBegin)
        continue;
      Segment Sg;
      Sg.Begin = BodyBegin;
      Sg.End = BodyEnd;
      Sg.Lang = fenceLanguage(Info);
      Sg.M = modeFor(Sg.Lang);
      if (Sg.M == Mode::Config || Sg.M == Mode::Prose)
        Sg.M = Mode::Newline;
      SpanMap Sub = lex(Sg.Lang, Text.slice(BodyBegin, BodyEnd));
      for (Span Sp : Sub.spans()) {
        Sp.Begin += BodyBegin;
        Sp.End += BodyBegin;
        Sg.Spans.push_back(Sp);
      }
      Sg.ShellVars = lexerKind(Sg.Lang) == LexerKind::Shell;
      Segs.push_back(std::move(Sg));
    }
    addParagraphs(ProseFrom, Text.size());
    // Sections: an ATX heading (#…) up to the next heading of the same or a higher level.
    std::vector<std::pair<size_t, unsigned>> Heads;
    for (size_t P = 0; P < Text.size(); P = lineEnd(P) + 1) {
      if (Text[P] != '#' || FileSpans.kindAt(P) != SpanKind::Text)
        continue;
      unsigned Lv = 0;
      while (P + Lv < Text.size() && Text[P + Lv] == '#')
        ++Lv;
      if (Lv <= 6 && (P + Lv == Text.size() || Text[P + Lv] == ' ' || Text[P + Lv] == '\t'))
        Heads.push_back({P, Lv});
    }
    for (size_t I = 0; I < Heads.size(); ++I) {
      size_t End = Text.size();
      for (size_t J = I + 1; J < Heads.size(); ++J)
        if (Heads[J].second <= Heads[I].second) {
          End = Heads[J].first;
          break;
        }
      Sections.push_back({Heads[I].first, End});
    }
  }

  /// Paragraphs (runs of non-blank lines) of [From, To) become blocks.
  void addParagraphs(size_t From, size_t To) {
    size_t P = From, ParaBegin = llvm::StringRef::npos, LastEnd = From;
    while (P < To) {
      size_t E = std::min(lineEnd(P), To);
      bool Blank = Text.slice(P, E).trim().empty();
      if (!Blank && ParaBegin == llvm::StringRef::npos)
        ParaBegin = P;
      if (Blank && ParaBegin != llvm::StringRef::npos) {
        Blocks.push_back({{ParaBegin, LastEnd}, -1, ContextLevel::Block});
        ParaBegin = llvm::StringRef::npos;
      }
      if (!Blank)
        LastEnd = E;
      P = E + 1;
    }
    if (ParaBegin != llvm::StringRef::npos)
      Blocks.push_back({{ParaBegin, LastEnd}, -1, ContextLevel::Block});
  }

  // ---- config files ---------------------------------------------------------------

  struct ConfigLine {
    ByteRange Line;
    llvm::StringRef Key; ///< first key on the line (may be empty)
    unsigned Indent = 0;
    bool Blank = true;
  };
  std::vector<ConfigLine> CLines;

  void buildConfig() {
    const auto &Sp = FileSpans.spans();
    size_t SI = 0;
    for (size_t P = 0; P <= Text.size();) {
      size_t E = lineEnd(P);
      ConfigLine CL;
      CL.Line = {P, E};
      llvm::StringRef T = Text.slice(P, E);
      CL.Blank = T.trim().empty();
      CL.Indent = unsigned(T.size() - T.ltrim(" \t").size());
      while (SI < Sp.size() && Sp[SI].End <= P)
        ++SI;
      for (size_t K = SI; K < Sp.size() && Sp[K].Begin < E; ++K)
        if (Sp[K].Kind == SpanKind::ConfigKey) {
          CL.Key = Text.slice(std::max(Sp[K].Begin, P), std::min(Sp[K].End, E)).trim("\"' \t");
          break;
        }
      if (!CL.Blank && T.ltrim().startswith("#") && CL.Key.empty())
        CL.Blank = false;
      CLines.push_back(CL);
      if (E >= Text.size())
        break;
      P = E + 1;
    }
    // INI/TOML tables and paragraphs.
    size_t TableBegin = llvm::StringRef::npos;
    for (const ConfigLine &CL : CLines) {
      llvm::StringRef T = Text.slice(CL.Line.Begin, CL.Line.End).trim();
      if (T.startswith("[") && T.endswith("]") && CL.Indent == 0 &&
          (Lang == Language::Ini || Lang == Language::Toml)) {
        if (TableBegin != llvm::StringRef::npos)
          Sections.push_back({TableBegin, CL.Line.Begin});
        TableBegin = CL.Line.Begin;
      }
    }
    if (TableBegin != llvm::StringRef::npos)
      Sections.push_back({TableBegin, Text.size()});
    addParagraphs(0, Text.size());
  }

  size_t configLineOf(size_t P) const {
    auto It = std::upper_bound(CLines.begin(), CLines.end(), P, [](size_t O, const ConfigLine &L) {
      return O < L.Line.Begin;
    });
    return It == CLines.begin() ? 0 : size_t(It - CLines.begin() - 1);
  }

  /// The indentation parents of line \p L (YAML, JSON, XML nesting), innermost first.
  std::vector<ByteRange> indentParents(size_t L) const {
    std::vector<ByteRange> Out;
    unsigned Ind = CLines[L].Indent;
    const size_t Cap = 4000; // lines scanned either way: bounded work per finding
    size_t Lo = L;
    for (size_t Steps = 0; Lo > 0 && Ind > 0 && Steps < Cap; ++Steps) {
      --Lo;
      if (CLines[Lo].Blank || CLines[Lo].Indent >= Ind)
        continue;
      unsigned PInd = CLines[Lo].Indent;
      size_t Hi = L;
      for (size_t S2 = 0; Hi + 1 < CLines.size() && S2 < Cap; ++S2) {
        const ConfigLine &N = CLines[Hi + 1];
        if (!N.Blank && N.Indent <= PInd)
          break;
        ++Hi;
      }
      Out.push_back({CLines[Lo].Line.Begin, CLines[Hi].Line.End});
      Ind = PInd;
    }
    return Out;
  }

  /// Lines whose key shares \p Key's prefix (`zoho.crm.` of `zoho.crm.authtoken`,
  /// `ZOHO_CRM_` of `ZOHO_CRM_AUTHTOKEN`).
  std::vector<ByteRange> siblingKeys(llvm::StringRef Key, size_t Self) const {
    std::vector<ByteRange> Out;
    size_t Cut = Key.find_last_of("._-");
    if (Cut == llvm::StringRef::npos || Cut == 0)
      return Out;
    llvm::StringRef Prefix = Key.take_front(Cut + 1);
    for (size_t I = 0; I < CLines.size(); ++I)
      if (I != Self && CLines[I].Key.size() > Prefix.size() &&
          CLines[I].Key.startswith_insensitive(Prefix))
        Out.push_back(CLines[I].Line);
    return Out;
  }

  // ---- statements and blocks --------------------------------------------------------

  /// The word ending right before \p P (skipping spaces), or "".
  llvm::StringRef wordBefore(size_t P) const {
    while (P > 0 && (Text[P - 1] == ' ' || Text[P - 1] == '\t' || Text[P - 1] == '\n' ||
                     Text[P - 1] == '\r'))
      --P;
    size_t E = P;
    while (P > 0 && isIdentChar(Text[P - 1]))
      --P;
    return Text.slice(P, E);
  }
  llvm::StringRef firstWordOfLine(size_t P) const {
    size_t S = lineStart(P);
    while (S < P && (Text[S] == ' ' || Text[S] == '\t' || Text[S] == '}'))
      ++S;
    size_t E = S;
    while (E < Text.size() && isIdentChar(Text[E]))
      ++E;
    return Text.slice(S, E);
  }

  /// Is the `{` at \p P a block (function, class, if, else…) rather than data
  /// (object literal, dict, initialiser, composite literal)?
  bool isBlockBrace(size_t P, char LastSig, size_t LastSigPos) const {
    if (LastSig == 0 || LastSig == ';' || LastSig == '{' || LastSig == '}')
      return LastSig != '{'; // `{ {` nests data; a bare block after ; or } is a block
    if (LastSig == ')')
      return true;
    if (LastSig == '>' && LastSigPos > 0 && (Text[LastSigPos - 1] == '=' || Text[LastSigPos - 1] == '-'))
      return true; // => { … } and -> T { … }
    if (isIdentChar(LastSig)) {
      llvm::StringRef W = wordBefore(P);
      static const char *BlockWords[] = {"else", "try", "do", "finally", "static", "get", "set",
                                         "init", "default", "loop"};
      for (const char *B : BlockWords)
        if (W == B)
          return true;
      if (W == "return")
        return false;
      llvm::StringRef F = firstWordOfLine(P);
      static const char *Heads[] = {
          "class",  "interface", "struct",   "enum",    "namespace", "trait",    "impl",
          "fn",     "func",      "function", "if",      "for",       "foreach",  "while",
          "switch", "select",    "object",   "module",  "public",    "private",  "protected",
          "internal", "abstract", "final",   "sealed",  "static",    "export",   "unsafe",
          "async",  "override",  "data",     "void",    "type",      "catch",    "else",
          "case",   "match",     "companion", "extension", "record",  "package",  "go",
          "defer",  "when",      "fun",      "val",     "var"};
      for (const char *H : Heads)
        if (F == H)
          return !(F == "val" || F == "var"); // Kotlin `val x = Foo {…}` is data
      return false;
    }
    return false;
  }

  void scanSegment(Segment &S, std::vector<Block> &Raw) {
    struct Open {
      char C;
      bool IsBlock;
      size_t Pos;
    };
    std::vector<Open> Stack;
    auto Bound = [&](size_t P) {
      if (S.Bounds.empty() || S.Bounds.back() < P)
        S.Bounds.push_back(P);
    };
    Bound(S.Begin);
    char LastSig = 0;
    size_t LastSigPos = 0;
    bool CLike = lexerKind(S.Lang) == LexerKind::CFamily || lexerKind(S.Lang) == LexerKind::CSharp;
    bool Preproc = false;
    bool BracesAreData = S.M == Mode::Indent || S.M == Mode::EndWord;
    bool NewlineEnds = S.M != Mode::Semicolon;
    bool Shell = lexerKind(S.Lang) == LexerKind::Shell;
    auto Continues = [&](size_t NL) {
      // The line ends with an operator, or the next line starts with one.
      if (LastSig && LastSigPos >= lineStart(NL)) {
        char C = LastSig;
        char P = LastSigPos > 0 ? Text[LastSigPos - 1] : 0;
        if (C == '\\' || C == ',')
          return true;
        if ((C == '&' && P == '&') || (C == '|' && P == '|'))
          return true;
        if (S.M == Mode::Indent)
          return false;
        if (Shell)
          return C == '|';
        if (C == '+' || C == '.' || C == '=' || C == '*' || C == '%' || C == '?' ||
            (C == '/' && P != '/'))
          return true;
        if (C == '>' && (P == '=' || P == '-'))
          return true;
        if (S.M == Mode::Newline && (C == '|' || C == '&' || C == '<'))
          return true;
      }
      size_t N = NL + 1;
      while (N < S.End && (Text[N] == ' ' || Text[N] == '\t'))
        ++N;
      if (N + 1 < S.End) {
        char A = Text[N], B = Text[N + 1];
        if (A == '.' && B != '.' && !llvm::isDigit(B))
          return true;
        if ((A == '&' && B == '&') || (A == '|' && B == '|') || (A == '|' && B == '>'))
          return true;
      }
      return false;
    };
    for (const Span &Sp : S.Spans) {
      if (Sp.Kind == SpanKind::String || Sp.Kind == SpanKind::ConfigValue) {
        LastSig = '"';
        LastSigPos = Sp.End - 1;
        continue;
      }
      for (size_t I = Sp.Begin; I < Sp.End; ++I) {
        char C = Text[I];
        if (C == '\n') {
          if (Preproc) {
            Preproc = I > 0 && Text[I - 1] == '\\';
            if (!Preproc)
              Bound(I + 1);
            continue;
          }
          if (NewlineEnds && (Stack.empty() || Stack.back().IsBlock) && !Continues(I))
            Bound(I + 1);
          continue;
        }
        if (Sp.Kind == SpanKind::Comment || Sp.Kind == SpanKind::Text)
          continue;
        if (C == ' ' || C == '\t' || C == '\r')
          continue;
        if (C == '#' && CLike && (Stack.empty() || Stack.back().IsBlock) &&
            Text.slice(lineStart(I), I).trim().empty()) {
          Bound(lineStart(I));
          Preproc = true;
        }
        if (C == '(' || C == '[') {
          Stack.push_back({C, false, I});
        } else if (C == '{') {
          bool B = !BracesAreData && isBlockBrace(I, LastSig, LastSigPos);
          Stack.push_back({C, B, I});
          if (B) {
            Bound(I);
            Bound(I + 1);
          }
        } else if (C == ')' || C == ']') {
          char Want = C == ')' ? '(' : '[';
          if (!Stack.empty() && Stack.back().C == Want) {
            S.Groups.push_back({Stack.back().Pos, I + 1});
            Stack.pop_back();
          }
        } else if (C == '}') {
          while (!Stack.empty() && Stack.back().C != '{')
            Stack.pop_back();
          if (!Stack.empty()) {
            Open O = Stack.back();
            Stack.pop_back();
            if (!O.IsBlock)
              S.Groups.push_back({O.Pos, I + 1});
            if (O.IsBlock) {
              Raw.push_back({{O.Pos, I + 1}, -1, ContextLevel::Block});
              Bound(I);
              Bound(I + 1);
            }
          }
        } else if (C == ';') {
          if (Stack.empty() || Stack.back().IsBlock)
            Bound(I + 1);
        }
        LastSig = C;
        LastSigPos = I;
      }
    }
    Bound(S.End);
    std::sort(S.Groups.begin(), S.Groups.end(), [](const ByteRange &A, const ByteRange &B) {
      return A.Begin != B.Begin ? A.Begin < B.Begin : A.End > B.End;
    });
    if (S.M == Mode::Indent || S.M == Mode::EndWord)
      indentBlocks(S, Raw);
  }

  /// `def`/`class` (Python, CoffeeScript `->`), `def`/`class`/`module` … `end` (Ruby,
  /// Elixir `def`/`defmodule` … `end`): the header line and the lines indented deeper.
  void indentBlocks(const Segment &S, std::vector<Block> &Raw) {
    struct OpenB {
      unsigned Ind;
      size_t Begin;
      size_t LastEnd;
    };
    std::vector<OpenB> Stack;
    auto IsHeader = [&](llvm::StringRef T) {
      auto Word = [&](llvm::StringRef W) {
        return T.startswith(W) && (T.size() == W.size() || !isIdentChar(T[W.size()]));
      };
      if (S.M == Mode::Indent) {
        if (lexerKind(S.Lang) == LexerKind::CoffeeScript)
          return Word("class") || T.rtrim().endswith("->") || T.rtrim().endswith("=>");
        return Word("def") || Word("class") || (Word("async") && T.contains(" def "));
      }
      return Word("def") || Word("defp") || Word("class") || Word("module") ||
             Word("defmodule") || T.rtrim().endswith(" do") || T.contains(" do |");
    };
    for (size_t P = S.Begin; P < S.End;) {
      size_t E = std::min(lineEnd(P), S.End);
      llvm::StringRef Line = Text.slice(P, E);
      llvm::StringRef T = Line.ltrim(" \t");
      size_t First = P + (Line.size() - T.size());
      const Span *Sp = spanIn(S.Spans, First);
      bool Skip = T.rtrim().empty() || (Sp && Sp->Begin < P &&
                                         (Sp->Kind == SpanKind::String || Sp->Kind == SpanKind::Comment));
      if (!Skip && Sp && Sp->Kind == SpanKind::Comment)
        Skip = true;
      if (!Skip) {
        unsigned Ind = unsigned(Line.size() - T.size());
        bool EndLine = S.M == Mode::EndWord && (T.rtrim() == "end" || T.startswith("end ") ||
                                                T.startswith("end."));
        while (!Stack.empty() && Ind <= Stack.back().Ind) {
          OpenB O = Stack.back();
          Stack.pop_back();
          size_t End = EndLine && Ind == O.Ind ? E : O.LastEnd;
          Raw.push_back({{O.Begin, End}, -1, ContextLevel::Block});
          if (EndLine && Ind == O.Ind)
            break;
        }
        for (OpenB &O : Stack)
          O.LastEnd = E;
        if (IsHeader(T))
          Stack.push_back({Ind, P, E});
      }
      P = E + 1;
    }
    while (!Stack.empty()) {
      Raw.push_back({{Stack.back().Begin, Stack.back().LastEnd}, -1, ContextLevel::Block});
      Stack.pop_back();
    }
  }

  void finishBlocks(std::vector<Block> &Raw) {
    Blocks.insert(Blocks.end(), Raw.begin(), Raw.end());
    std::sort(Blocks.begin(), Blocks.end(), [](const Block &A, const Block &B) {
      return A.R.Begin != B.R.Begin ? A.R.Begin < B.R.Begin : A.R.End > B.R.End;
    });
    Blocks.erase(std::unique(Blocks.begin(), Blocks.end(),
                             [](const Block &A, const Block &B) { return A.R == B.R; }),
                 Blocks.end());
    std::vector<int> Open;
    for (size_t I = 0; I < Blocks.size(); ++I) {
      while (!Open.empty() && Blocks[Open.back()].R.End <= Blocks[I].R.Begin)
        Open.pop_back();
      // Crossing ranges (a paragraph and a block) are not nested: find a real container.
      while (!Open.empty() && Blocks[Open.back()].R.End < Blocks[I].R.End)
        Open.pop_back();
      Blocks[I].Parent = Open.empty() ? -1 : Open.back();
      Open.push_back(int(I));
    }
    Children.assign(Blocks.size(), {});
    for (size_t I = 0; I < Blocks.size(); ++I)
      if (Blocks[I].Parent >= 0)
        Children[Blocks[I].Parent].push_back(int(I));
  }

  /// A block's own text: its range without its child blocks (a class's header, fields
  /// and settings without its methods).
  std::vector<ByteRange> ownText(int Bl) const {
    std::vector<ByteRange> Out;
    size_t P = Blocks[Bl].R.Begin;
    for (int C : Children[Bl]) {
      if (Blocks[C].R.Begin > P)
        Out.push_back({P, Blocks[C].R.Begin});
      P = std::max(P, Blocks[C].R.End);
    }
    if (P < Blocks[Bl].R.End)
      Out.push_back({P, Blocks[Bl].R.End});
    return Out;
  }

  /// The variable statement \p St builds: the target of an assignment (`data = {…}`,
  /// `@options = …`, `$params['a'] = …`) or the receiver of a call (`m.put(…)`,
  /// `params.append(…)`); "" if none. \p Member: it is a field (self.x, @x, this.x).
  llvm::StringRef builtVariable(const Segment &S, ByteRange St, bool &Member) const {
    llvm::StringRef Out;
    bool Done = false;
    forEachIdent(S, St.Begin, St.End, [&](const Ident &Id) {
      if (Done)
        return;
      Done = true;
      llvm::StringRef Chain = Text.slice(Id.Begin, Id.End);
      llvm::SmallVector<llvm::StringRef, 4> Parts;
      for (llvm::StringRef Rest = Chain; !Rest.empty();) {
        size_t Cut = Rest.find_first_of(".-:?");
        llvm::StringRef Part = Rest.take_front(Cut).ltrim("$@");
        if (!Part.empty())
          Parts.push_back(Part);
        if (Cut == llvm::StringRef::npos)
          break;
        Rest = Rest.drop_front(Cut).ltrim(".->:?");
      }
      size_t P = Id.End;
      while (P < St.End && (Text[P] == ' ' || Text[P] == '\t'))
        ++P;
      char C = P < St.End ? Text[P] : 0;
      char N = P + 1 < St.End ? Text[P + 1] : 0;
      bool Assign = (C == '=' && N != '=') || ((C == ':' || C == '+' || C == '.') && N == '=') ||
                    C == '[' || (C == '<' && N == '<');
      bool Call = C == '(' && Parts.size() > 1;
      if (!Assign && !Call)
        return;
      if (Call)
        Parts.pop_back(); // m.put( -> m
      size_t First = 0;
      while (First + 1 < Parts.size() && isSelfWord(Parts[First]))
        ++First;
      Member = First > 0 || Chain.startswith("@");
      // The variable being built: m of m.put(…), req of req.Header.Set(…), data of
      // self.data = …
      Out = Parts.empty() ? llvm::StringRef() : Parts[First];
      if (isSelfWord(Out))
        Out = "";
    });
    return Out;
  }

  /// Statements after \p St in the same block (a field: in the enclosing class or file)
  /// that use the variable \p St builds, other than further building steps.
  std::vector<ByteRange> consumers(const Segment &S, ByteRange St) const {
    std::vector<ByteRange> Out;
    bool Member = false;
    llvm::StringRef Var = builtVariable(S, St, Member);
    if (Var.empty())
      return Out;
    int Bl = innermostBlock(St.Begin, St.End);
    if (Member && Bl >= 0)
      Bl = Blocks[Bl].Parent;
    size_t End = Bl >= 0 ? Blocks[Bl].R.End : S.End;
    size_t From = Member && Bl >= 0 ? Blocks[Bl].R.Begin : St.End;
    if (Member && Bl < 0)
      From = S.Begin;
    auto It = std::lower_bound(S.Bounds.begin(), S.Bounds.end(), From);
    const size_t MaxBytes = 1 << 16;
    for (; It != S.Bounds.end() && *It < End && *It - From < MaxBytes && Out.size() < 16; ++It) {
      size_t NextB = It + 1 == S.Bounds.end() ? S.End : *(It + 1);
      ByteRange Cand{*It, std::min(NextB, End)};
      if (Cand.Begin == St.Begin || Cand.End <= Cand.Begin)
        continue;
      bool M2 = false;
      if (builtVariable(S, Cand, M2) == Var)
        continue;
      bool Uses = false;
      forEachIdent(S, Cand.Begin, Cand.End, [&](const Ident &Id) {
        if ((Id.Name == Var || Id.Root == Var) && (!Member || Id.Member))
          Uses = true;
      });
      if (Uses)
        Out.push_back(Cand);
    }
    return Out;
  }

  /// The innermost block that contains [B, E), or -1. Blocks nest, so the container is
  /// an ancestor of the last block that starts at or before B.
  int innermostBlock(size_t B, size_t E) const {
    auto It = std::upper_bound(Blocks.begin(), Blocks.end(), B,
                               [](size_t O, const Block &Bl) { return O < Bl.R.Begin; });
    int I = int(It - Blocks.begin()) - 1;
    while (I >= 0 && !(Blocks[I].R.Begin <= B && E <= Blocks[I].R.End))
      I = Blocks[I].Parent;
    return I;
  }

  ByteRange statementOf(const Segment &S, size_t B, size_t E) const {
    auto It = std::upper_bound(S.Bounds.begin(), S.Bounds.end(), B);
    size_t Begin = It == S.Bounds.begin() ? S.Begin : *(It - 1);
    auto It2 = std::upper_bound(S.Bounds.begin(), S.Bounds.end(), E > B ? E - 1 : B);
    size_t End = It2 == S.Bounds.end() ? S.End : *It2;
    return {Begin, End};
  }

  // ---- identifiers and definitions ------------------------------------------------

  /// Identifier chains in the code of [B, E) of segment \p S (and `$NAME` / `${NAME}`
  /// inside strings for shell-like languages).
  template <typename Fn> void forEachIdent(const Segment &S, size_t B, size_t E, Fn &&F) const {
    auto It = std::upper_bound(S.Spans.begin(), S.Spans.end(), B,
                               [](size_t O, const Span &Sp) { return O < Sp.Begin; });
    if (It != S.Spans.begin())
      --It;
    for (; It != S.Spans.end() && It->Begin < E; ++It) {
      size_t SB = std::max(It->Begin, B), SE = std::min(It->End, E);
      if (It->Kind == SpanKind::String && S.ShellVars) {
        for (size_t I = SB; I + 1 < SE; ++I)
          if (Text[I] == '$') {
            size_t J = I + 1 + (Text[I + 1] == '{');
            size_t K = J;
            while (K < SE && isIdentChar(Text[K]))
              ++K;
            if (K > J)
              F(Ident{I, K, Text.slice(J, K), false});
            I = K > I ? K - 1 : I;
          }
        continue;
      }
      if (It->Kind != SpanKind::Code)
        continue;
      for (size_t I = SB; I < SE;) {
        char C = Text[I];
        bool Sigil = (C == '$' || C == '@') && I + 1 < SE && isIdentStart(Text[I + 1]);
        if (!isIdentStart(C) && !Sigil) {
          ++I;
          continue;
        }
        if (I > SB && (isIdentChar(Text[I - 1]) || llvm::isDigit(Text[I - 1]))) {
          ++I;
          continue;
        }
        Ident Id;
        Id.Begin = I;
        size_t Comp = 0;
        size_t NameB = I;
        for (;;) {
          while (I < SE && (Text[I] == '$' || Text[I] == '@'))
            ++I;
          NameB = I;
          while (I < SE && isIdentChar(Text[I]))
            ++I;
          ++Comp;
          if (Id.Root.empty() && !isSelfWord(Text.slice(NameB, I)))
            Id.Root = Text.slice(NameB, I);
          size_t J = I;
          if (J + 1 < SE && Text[J] == '-' && Text[J + 1] == '>')
            J += 2;
          else if (J + 1 < SE && Text[J] == ':' && Text[J + 1] == ':')
            J += 2;
          else if (J + 1 < SE && Text[J] == '?' && Text[J + 1] == '.')
            J += 2;
          else if (J < SE && Text[J] == '.')
            J += 1;
          else
            break;
          if (J < SE && (isIdentStart(Text[J]) || Text[J] == '$'))
            I = J;
          else
            break;
        }
        Id.End = I;
        Id.Name = Text.slice(NameB, I);
        Id.Member = Comp > 1 || Text[Id.Begin] == '@';
        if (!Id.Member || Id.Root == Id.Name || Text[Id.Begin] == '@')
          Id.Root = "";
        if (!Id.Name.empty())
          F(Id);
        if (I == Id.Begin)
          ++I;
      }
    }
  }

  /// The literal group (string spans joined by interpolations) that contains \p P.
  ByteRange literalAt(const Segment &S, size_t P) const {
    const Span *Sp = spanIn(S.Spans, P);
    if (!Sp || Sp->Kind != SpanKind::String)
      return {P, P};
    size_t Idx = size_t(Sp - S.Spans.data());
    auto IsInterp = [&](size_t K) {
      const Span &X = S.Spans[K];
      if (X.Kind != SpanKind::Code || K == 0 || K + 1 >= S.Spans.size() ||
          S.Spans[K - 1].Kind != SpanKind::String || S.Spans[K + 1].Kind != SpanKind::String)
        return false;
      llvm::StringRef T = Text.slice(X.Begin, X.End);
      if (T.contains('\n'))
        return false;
      return T.startswith("{") || T.startswith("${") || T.startswith("#{") ||
             (T.startswith("$") && T.size() > 1 && isIdentStart(T[1]));
    };
    size_t Lo = Idx, Hi = Idx;
    while (Lo >= 2 && IsInterp(Lo - 1))
      Lo -= 2;
    while (Hi + 2 < S.Spans.size() && IsInterp(Hi + 1))
      Hi += 2;
    return {S.Spans[Lo].Begin, S.Spans[Hi].End};
  }

  /// The concatenation around the literal [L.Begin, L.End) within statement \p St: the
  /// neighbouring literals and identifier chains joined by + . .. << += .= % &.
  ByteRange concatenation(const Segment &S, ByteRange L, ByteRange St) const {
    auto Joiner = [&](size_t I, bool Left) -> size_t { // bytes accepted at I, 0 = stop
      char C = Text[I];
      if (isIdentChar(C) || C == '$' || C == '@' || C == ' ' || C == '\t' || C == '\n' ||
          C == '\r' || C == '+' || C == '.' || C == '%' || C == '&' || C == '~')
        return 1;
      auto Pair = [&](char A, char B) {
        return Left ? I > 0 && Text[I - 1] == A && C == B : I + 1 < Text.size() && C == A && Text[I + 1] == B;
      };
      if (Pair('-', '>') || Pair(':', ':') || Pair('<', '<') || Pair('+', '=') || Pair('.', '=') ||
          Pair('?', '.'))
        return 2;
      if ((C == '{' || C == '}') && S.M != Mode::Semicolon)
        return 0;
      return 0;
    };
    size_t B = L.Begin, E = L.End;
    // Leftwards.
    for (size_t I = B; I > St.Begin;) {
      const Span *Sp = spanIn(S.Spans, I - 1);
      if (Sp && Sp->Kind == SpanKind::String) {
        ByteRange G = literalAt(S, I - 1);
        B = G.Begin;
        I = G.Begin;
        continue;
      }
      if (Sp && Sp->Kind == SpanKind::Comment) {
        I = Sp->Begin;
        continue;
      }
      size_t N = Joiner(I - 1, true);
      if (!N)
        break;
      I -= std::min(N, I - St.Begin);
      if (!Text.slice(I, B).trim().empty() || (Sp && Sp->Kind == SpanKind::String))
        B = I;
    }
    // Rightwards.
    for (size_t I = E; I < St.End;) {
      const Span *Sp = spanIn(S.Spans, I);
      if (Sp && Sp->Kind == SpanKind::String) {
        ByteRange G = literalAt(S, I);
        E = G.End;
        I = G.End;
        continue;
      }
      if (Sp && Sp->Kind == SpanKind::Comment) {
        I = Sp->End;
        continue;
      }
      size_t N = Joiner(I, false);
      if (!N)
        break;
      I += N;
      if (!Text.slice(E, I).trim().empty())
        E = I;
    }
    return {B, E};
  }

  /// Where the right-hand side starting at \p From ends: at the statement end, or
  /// earlier at a `,` `;` or closing bracket of the enclosing group, or (newline-
  /// terminated languages) a newline outside brackets that does not continue the line
  /// (`const ( a = "…" \n b = "…" )`, `f(url="…", x)`, `const a = "…", b = "…"`).
  size_t rhsEnd(const Segment &S, size_t From, size_t StEnd) const {
    int Depth = 0;
    char LastSig = 0;
    auto It = std::upper_bound(S.Spans.begin(), S.Spans.end(), From,
                               [](size_t O, const Span &Sp) { return O < Sp.Begin; });
    if (It != S.Spans.begin())
      --It;
    for (; It != S.Spans.end() && It->Begin < StEnd; ++It) {
      if (It->Kind == SpanKind::String || It->Kind == SpanKind::ConfigValue) {
        LastSig = '"';
        continue;
      }
      if (It->Kind != SpanKind::Code)
        continue;
      for (size_t I = std::max(It->Begin, From); I < std::min(It->End, StEnd); ++I) {
        char C = Text[I];
        if (C == '(' || C == '[' || C == '{')
          ++Depth;
        else if (C == ')' || C == ']' || C == '}') {
          if (Depth == 0)
            return I;
          --Depth;
        } else if (Depth == 0 && (C == ',' || C == ';'))
          return I;
        else if (Depth == 0 && C == '\n' && S.M != Mode::Semicolon && LastSig &&
                 !llvm::StringRef("+.,=&|?:\\").contains(LastSig)) {
          size_t N = I + 1;
          while (N < StEnd && (Text[N] == ' ' || Text[N] == '\t'))
            ++N;
          if (N >= StEnd || (Text[N] != '.' && Text[N] != '+'))
            return I;
        }
        if (C != ' ' && C != '\t' && C != '\r' && C != '\n')
          LastSig = C;
      }
    }
    return StEnd;
  }

  void collectDefs(size_t SegIdx) {
    const Segment &S = Segs[SegIdx];
    auto AddDef = [&](llvm::StringRef Name, size_t At, ByteRange Rhs) {
      if (Name.empty() || Rhs.End <= Rhs.Begin)
        return;
      Def D;
      D.At = At;
      D.Rhs = Rhs;
      D.Stmt = statementOf(S, At, At + 1);
      int Bl = innermostBlock(At, At + 1);
      // A definition at the top of a Markdown code block is visible in the whole file.
      if (Bl >= 0 && FileMode == Mode::Prose && Blocks[Bl].R.Begin < S.Begin)
        Bl = -1;
      D.BlockIdx = Bl;
      D.Seg = int(SegIdx);
      Defs[Name].push_back(D);
    };
    auto SkipSpaces = [&](size_t P) {
      while (P < S.End && (Text[P] == ' ' || Text[P] == '\t'))
        ++P;
      return P;
    };
    auto StringAt = [&](size_t P) {
      const Span *Sp = spanIn(S.Spans, P);
      return Sp && Sp->Kind == SpanKind::String && Sp->Begin == P;
    };
    llvm::StringRef PrevName;
    size_t PrevEnd = 0;
    std::vector<std::pair<llvm::StringRef, size_t>> Pending; // a, b, … before `=`
    forEachIdent(S, S.Begin, S.End, [&](const Ident &Id) {
      llvm::StringRef Name = Id.Name;
      size_t P = SkipSpaces(Id.End);
      if (!Pending.empty() && Text.slice(PrevEnd, Id.Begin).trim(" \t,") != "")
        Pending.clear();
      if (!Pending.empty() && !Text.slice(PrevEnd, Id.Begin).contains(','))
        Pending.clear();
      // define('NAME', value)  /  #define NAME value
      if (Name == "define" && !Id.Member) {
        size_t Q = SkipSpaces(P < S.End && Text[P] == '(' ? P + 1 : P);
        if (P < S.End && Text[P] == '(' && StringAt(Q)) {
          const Span *Sp = spanIn(S.Spans, Q);
          llvm::StringRef Lit = Text.slice(Sp->Begin, Sp->End).trim("\"'");
          ByteRange St = statementOf(S, Q, Q + 1);
          AddDef(Lit, Q, {Sp->End, St.End});
        } else if (Id.Begin > 0 && Text[Id.Begin - 1] == '#' && isIdentStart(Text[P])) {
          size_t NE = P;
          while (NE < S.End && isIdentChar(Text[NE]))
            ++NE;
          AddDef(Text.slice(P, NE), P, {NE, lineEnd(NE)});
        }
        PrevName = Name;
        PrevEnd = Id.End;
        return;
      }
      if (P >= S.End) {
        PrevName = Name;
        PrevEnd = Id.End;
        return;
      }
      char C = Text[P];
      char N1 = P + 1 < S.End ? Text[P + 1] : 0;
      char N2 = P + 2 < S.End ? Text[P + 2] : 0;
      if (C == ',' && !Id.Member) {
        if (Pending.size() < 8)
          Pending.push_back({Name, Id.Begin});
        PrevName = Name;
        PrevEnd = Id.End;
        return;
      }
      size_t RhsAt = 0;
      if (C == '=' && N1 != '=' && N1 != '>' && N1 != '~')
        RhsAt = P + 1;
      else if ((C == ':' || C == '+' || C == '.') && N1 == '=' && N2 != '=')
        RhsAt = P + 2;
      else if ((C == '|' && N1 == '|' && N2 == '=') || (C == '?' && N1 == '?' && N2 == '='))
        RhsAt = P + 3;
      if (RhsAt) {
        // `BASE: str = …`, `val BASE: String = …`: the name is before the colon.
        size_t Q = Id.Begin;
        while (Q > S.Begin && (Text[Q - 1] == ' ' || Text[Q - 1] == '\t'))
          --Q;
        if (!Id.Member && Q > S.Begin && Text[Q - 1] == ':' && !(Q > 1 && Text[Q - 2] == ':') &&
            PrevEnd && PrevEnd <= Q)
          Name = PrevName;
        // Go `const base string = …`: the name is before the type.
        else if (!Id.Member && (Name == "string" || Name == "str") && PrevEnd && PrevEnd < Id.Begin &&
                 Text.slice(PrevEnd, Id.Begin).trim().empty())
          Name = PrevName;
        ByteRange St = statementOf(S, RhsAt, RhsAt);
        ByteRange Rhs{RhsAt, std::max(rhsEnd(S, RhsAt, St.End), RhsAt)};
        AddDef(Name, Id.Begin, Rhs);
        // `req, _ := …`, `a, b = …`: every name of the list gets the right-hand side.
        for (const auto &[PN, PB] : Pending)
          AddDef(PN, PB, Rhs);
        Pending.clear();
      } else if ((C == ':' && N1 != ':') || (C == '=' && N1 == '>')) {
        // Object / hash keys with a literal value: `crmUrl: "https://…"`, `:crm => "…"`.
        size_t Q = SkipSpaces(P + (C == ':' ? 1 : 2));
        if (StringAt(Q)) {
          ByteRange G = literalAt(S, Q);
          AddDef(Name, Id.Begin, G);
        }
      }
      PrevName = Name;
      PrevEnd = Id.End;
    });
  }

  /// Definitions of \p Id visible at its use: those in the innermost enclosing block that
  /// has one (the last before the use, else all of that block's), or any definition of a
  /// member (`self.x`, `this.x`, `Cls::X`) anywhere in the file.
  void visibleDefs(const Ident &Use, std::vector<const Def *> &Out) const {
    if (!Use.Root.empty()) { // req.Header.Set: the variable req, then the field Set
      Ident R = Use;
      R.Name = Use.Root;
      R.Member = false;
      R.Root = "";
      visibleDefs(R, Out);
    }
    const Ident &Id = Use;
    auto It = Defs.find(Id.Name);
    if (It == Defs.end())
      return;
    const std::vector<Def> &Ds = It->second;
    int Best = -2; // block index of the chosen definitions; -1 = file level
    unsigned BestDepth = 0;
    auto Depth = [&](int B) {
      unsigned D = 0;
      for (; B >= 0; B = Blocks[B].Parent)
        ++D;
      return D;
    };
    auto Encloses = [&](int B) {
      return B < 0 || (Blocks[B].R.Begin <= Id.Begin && Id.Begin < Blocks[B].R.End);
    };
    for (const Def &D : Ds) {
      if (D.Stmt.contains(Id.Begin) || !Encloses(D.BlockIdx))
        continue;
      unsigned Dp = Depth(D.BlockIdx);
      if (Best == -2 || Dp > BestDepth) {
        Best = D.BlockIdx;
        BestDepth = Dp;
      }
    }
    if (Best != -2) {
      const Def *Last = nullptr;
      for (const Def &D : Ds)
        if (D.BlockIdx == Best && !D.Stmt.contains(Id.Begin) && D.At < Id.Begin)
          Last = &D;
      if (Last) {
        Out.push_back(Last);
        return;
      }
      for (const Def &D : Ds)
        if (D.BlockIdx == Best && !D.Stmt.contains(Id.Begin))
          Out.push_back(&D);
      return;
    }
    if (Id.Member)
      for (const Def &D : Ds)
        if (!D.Stmt.contains(Id.Begin))
          Out.push_back(&D);
  }

  /// The right-hand sides of the definitions of the identifiers used in [B, E),
  /// transitively (BASE = HOST + "/crm/"; HOST = "https://crm.zoho.eu").
  std::vector<ByteRange> resolve(size_t B, size_t E) const {
    auto Key = std::make_pair(B, E);
    auto C = ResolveCache.find(Key);
    if (C != ResolveCache.end())
      return C->second;
    std::vector<ByteRange> Out;
    std::set<const Def *> Seen;
    std::vector<std::pair<ByteRange, unsigned>> Work{{{B, E}, 0}};
    while (!Work.empty()) {
      auto [R, Depth] = Work.back();
      Work.pop_back();
      int Sg = segmentOf(R.Begin);
      if (Sg < 0)
        continue;
      std::vector<const Def *> Found;
      forEachIdent(Segs[Sg], R.Begin, R.End, [&](const Ident &Id) {
        // Where a credential comes from (zoho.creator.getRecordById(…).get("token"),
        // a settings call) says nothing about where the request goes.
        std::string N = Id.Name.lower();
        for (const char *C : {"token", "password", "secret", "ticket", "apikey", "api_key"})
          if (N.find(C) != std::string::npos)
            return;
        visibleDefs(Id, Found);
      });
      for (const Def *D : Found) {
        if (!Seen.insert(D).second || Seen.size() > 256)
          continue;
        Out.push_back(D->Rhs);
        if (Depth < 4)
          Work.push_back({D->Rhs, Depth + 1});
      }
    }
    ResolveCache[Key] = Out;
    return Out;
  }

  std::vector<ByteRange> withDefs(ByteRange R) const {
    std::vector<ByteRange> Out{R};
    for (const ByteRange &D : resolve(R.Begin, R.End))
      Out.push_back(D);
    return Out;
  }

  // ---- the query --------------------------------------------------------------------

  /// Collects levels; once More() says the levels so far decide, the wider ones are not
  /// computed at all (their definition look-ups are the expensive part).
  struct Sink {
    RequestContext Out;
    llvm::function_ref<bool(const RequestContext &)> More;
    bool Stop = false;
    template <typename Fn> void add(ContextLevel K, Fn &&Make) {
      if (Stop)
        return;
      Out.add(K, Make());
      if (More && !More(Out))
        Stop = true;
    }
  };

  RequestContext at(size_t B, size_t E,
                    llvm::function_ref<bool(const RequestContext &)> More) const {
    Sink Ctx{{}, More};
    auto Done = [&] { return std::move(Ctx.Out); };
    if (E <= B)
      E = B + 1;
    if (FileMode == Mode::Config) {
      configContext(B, Ctx);
      return Done();
    }
    int Sg = segmentOf(B);
    if (Sg < 0) {
      proseContext(B, E, Ctx);
      return Done();
    }
    const Segment &S = Segs[Sg];
    ByteRange St = statementOf(S, B, E);
    const Span *Sp = spanIn(S.Spans, B);
    if (Sp && (Sp->Kind == SpanKind::String || Sp->Kind == SpanKind::Comment)) {
      ByteRange L = Sp->Kind == SpanKind::String ? literalAt(S, B) : ByteRange{Sp->Begin, Sp->End};
      Ctx.add(ContextLevel::Literal, [&] { return std::vector<ByteRange>{L}; });
      if (Sp->Kind == SpanKind::String) {
        ByteRange Cat = concatenation(S, L, St);
        Ctx.add(ContextLevel::Expression, [&] { return withDefs(Cat); });
      }
    }
    for (const ByteRange &G : groupsAround(S, B, E, St))
      Ctx.add(ContextLevel::Group, [&] { return withDefs(G); });
    Ctx.add(ContextLevel::Statement, [&] { return withDefs(St); });
    Ctx.add(ContextLevel::Consumer, [&] {
      std::vector<ByteRange> Uses;
      for (const ByteRange &C : consumers(S, St))
        for (const ByteRange &R : withDefs(C))
          Uses.push_back(R);
      return Uses;
    });
    int Inner = innermostBlock(St.Begin, St.End);
    for (int Bl = Inner; Bl >= 0; Bl = Blocks[Bl].Parent) {
      if (Bl != Inner && !Children[Bl].empty()) {
        Ctx.add(Blocks[Bl].Kind, [&] {
          std::vector<ByteRange> Own;
          for (const ByteRange &R : ownText(Bl))
            for (const ByteRange &D : withDefs(R))
              Own.push_back(D);
          return Own;
        });
      }
      Ctx.add(Blocks[Bl].Kind, [&] { return withDefs(Blocks[Bl].R); });
    }
    addSections(B, Ctx);
    return Done();
  }

  /// The bracketed groups inside \p St that contain [B, E), innermost first (bounded:
  /// groups open before B are scanned backwards only within the statement).
  std::vector<ByteRange> groupsAround(const Segment &S, size_t B, size_t E, ByteRange St) const {
    std::vector<ByteRange> Out;
    auto Lo = std::lower_bound(S.Groups.begin(), S.Groups.end(), St.Begin,
                               [](const ByteRange &G, size_t O) { return G.Begin < O; });
    auto Hi = std::upper_bound(S.Groups.begin(), S.Groups.end(), B,
                               [](size_t O, const ByteRange &G) { return O < G.Begin; });
    for (auto It = Hi; It != Lo && Out.size() < 8;) {
      --It;
      if (It->Begin <= B && E <= It->End && It->End <= St.End &&
          (Out.empty() || (It->Begin <= Out.back().Begin && Out.back().End <= It->End)))
        Out.push_back(*It);
    }
    return Out;
  }

  void addSections(size_t B, Sink &Ctx) const {
    std::vector<ByteRange> In;
    for (const ByteRange &R : Sections)
      if (R.contains(B))
        In.push_back(R);
    std::sort(In.begin(), In.end(), [](const ByteRange &X, const ByteRange &Y) {
      return X.End - X.Begin < Y.End - Y.Begin;
    });
    for (const ByteRange &R : In)
      Ctx.add(ContextLevel::Section, [&] { return std::vector<ByteRange>{R}; });
  }

  void proseContext(size_t B, size_t E, Sink &Ctx) const {
    const Span *Sp = FileSpans.spanAt(B);
    if (Sp && (Sp->Kind == SpanKind::String || Sp->Kind == SpanKind::Comment))
      Ctx.add(ContextLevel::Literal, [&] { return std::vector<ByteRange>{{Sp->Begin, Sp->End}}; });
    Ctx.add(ContextLevel::Statement, [&] { return std::vector<ByteRange>{{lineStart(B), lineEnd(E > B ? E - 1 : B)}}; });
    for (int Bl = innermostBlock(B, E); Bl >= 0; Bl = Blocks[Bl].Parent)
      Ctx.add(Blocks[Bl].Kind, [&] { return std::vector<ByteRange>{Blocks[Bl].R}; });
    addSections(B, Ctx);
  }

  std::vector<ByteRange> sectionPath(size_t B) const {
    std::vector<ByteRange> Out;
    if (FileMode != Mode::Config || CLines.empty())
      return {{0, Text.size()}};
    // Innermost first: indentation parents, then the INI/TOML tables holding them.
    std::vector<ByteRange> All = indentParents(configLineOf(B));
    std::vector<ByteRange> Tables;
    for (const ByteRange &R : Sections)
      if (R.contains(B))
        Tables.push_back(R);
    std::sort(Tables.begin(), Tables.end(),
              [](const ByteRange &X, const ByteRange &Y) { return X.Begin > Y.Begin; });
    All.insert(All.end(), Tables.begin(), Tables.end());
    std::stable_sort(All.begin(), All.end(),
                     [](const ByteRange &X, const ByteRange &Y) { return X.Begin > Y.Begin; });
    if (All.empty())
      return {{0, Text.size()}};
    Out.push_back(All.front());
    for (size_t K = 1; K < All.size(); ++K)
      Out.push_back({All[K].Begin, lineEnd(All[K].Begin)});
    return Out;
  }

  void configContext(size_t B, Sink &Ctx) const {
    if (CLines.empty())
      return;
    size_t L = configLineOf(B);
    const Span *Sp = FileSpans.spanAt(B);
    if (Sp && (Sp->Kind == SpanKind::ConfigValue || Sp->Kind == SpanKind::Comment ||
               Sp->Kind == SpanKind::String))
      Ctx.add(ContextLevel::Literal, [&] { return std::vector<ByteRange>{{Sp->Begin, Sp->End}}; });
    Ctx.add(ContextLevel::Expression, [&] { return siblingKeys(CLines[L].Key, L); });
    Ctx.add(ContextLevel::Statement, [&] { return std::vector<ByteRange>{CLines[L].Line}; });
    int Bl = innermostBlock(CLines[L].Line.Begin, CLines[L].Line.End);
    if (Bl >= 0)
      Ctx.add(ContextLevel::Block, [&] { return std::vector<ByteRange>{Blocks[Bl].R}; });
    for (const ByteRange &R : indentParents(L))
      Ctx.add(ContextLevel::Block, [&] { return std::vector<ByteRange>{R}; });
    addSections(B, Ctx);
  }
};

LexicalContext::LexicalContext(Language L, llvm::StringRef Text, const SpanMap &Spans)
    : I(std::make_unique<Impl>(L, Text, Spans)) {}
LexicalContext::~LexicalContext() = default;

std::vector<ByteRange> LexicalContext::sectionPath(size_t Begin) const {
  return I->sectionPath(Begin);
}

RequestContext LexicalContext::at(size_t Begin, size_t End,
                                  llvm::function_ref<bool(const RequestContext &)> More) const {
  return I->at(Begin, End, More);
}

} // namespace atm
