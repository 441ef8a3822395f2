//===- ConfigEntries.cpp - key/value entries of configuration files --------===//
//
// Tolerant, linear readers: a line-based one for .env, .properties, INI/HOCON and TOML,
// an indentation-based one for YAML block mappings, one for flow collections (JSON
// objects, YAML `{…}`, TOML inline tables) and a tag scanner for XML.

#include "fix/ConfigEntries.h"

#include <algorithm>

#include "llvm/ADT/StringExtras.h"

namespace atm::fix {

std::optional<ConfigFormat> configFormat(Language L) {
  if (!isConfigLanguage(L))
    return std::nullopt;
  switch (lexerKind(L)) {
  case LexerKind::Env:
    return ConfigFormat::Env;
  case LexerKind::Properties:
    return ConfigFormat::Properties;
  case LexerKind::Ini:
    return ConfigFormat::Ini;
  case LexerKind::Toml:
    return ConfigFormat::Toml;
  case LexerKind::Yaml:
    return ConfigFormat::Yaml;
  case LexerKind::Json:
    return ConfigFormat::Json;
  case LexerKind::Xml:
    return ConfigFormat::Xml;
  default:
    return std::nullopt;
  }
}

namespace {

constexpr size_t NPos = llvm::StringRef::npos;
constexpr unsigned MaxDepth = 200;

bool blank(char C) { return C == ' ' || C == '\t' || C == '\f'; }
bool space(char C) { return blank(C) || C == '\r' || C == '\n'; }

struct LineRef {
  size_t Begin, End, Next; ///< End: before "\r\n" / "\n"; Next: the next line's begin
};

std::vector<LineRef> splitLines(llvm::StringRef T) {
  std::vector<LineRef> Out;
  size_t P = 0;
  while (P < T.size()) {
    size_t NL = T.find('\n', P);
    size_t Next = NL == NPos ? T.size() : NL + 1;
    size_t End = NL == NPos ? T.size() : NL;
    if (End > P && T[End - 1] == '\r')
      --End;
    Out.push_back({P, End, Next});
    P = Next;
  }
  return Out;
}

size_t skipBlanks(llvm::StringRef T, size_t P, size_t Limit) {
  while (P < Limit && blank(T[P]))
    ++P;
  return P;
}

/// Past the closing quote of the string opening at \p P (T[P] is the quote), or NPos
/// when it is not closed before \p Limit. \p Backslash: `\x` escapes; \p Doubled: a
/// doubled quote stands for one (YAML '…').
size_t quotedEnd(llvm::StringRef T, size_t P, size_t Limit, bool Backslash, bool Doubled) {
  char Q = T[P];
  for (size_t I = P + 1; I < Limit; ++I) {
    if (Backslash && T[I] == '\\') {
      ++I;
      continue;
    }
    if (T[I] == Q) {
      if (Doubled && I + 1 < Limit && T[I + 1] == Q) {
        ++I;
        continue;
      }
      return I + 1;
    }
  }
  return NPos;
}

/// The end of the line holding \p Offset (before its break).
size_t endOfLine(llvm::StringRef T, size_t Offset) {
  size_t NL = T.find('\n', Offset);
  if (NL == NPos)
    return T.size();
  return NL > Offset && T[NL - 1] == '\r' ? NL - 1 : NL;
}

bool isNullWord(llvm::StringRef V) {
  return V.empty() || V == "~" || V.equals_insensitive("null") || V == "nil";
}

/// Sets the value fields of \p E from the token [B, End) (quotes, if any, included).
void setValue(ConfigEntry &E, llvm::StringRef T, size_t B, size_t End) {
  E.ValBegin = B;
  E.ValEnd = End;
  E.InnerBegin = B;
  E.InnerEnd = End;
  if (End - B >= 2 && (T[B] == '"' || T[B] == '\'') && T[End - 1] == T[B]) {
    E.Quote = T[B];
    E.InnerBegin = B + 1;
    E.InnerEnd = End - 1;
  } else {
    E.Null = isNullWord(T.slice(B, End));
  }
}

/// The end of an unquoted value starting at \p P on a line ending at \p End: a comment
/// starts at one of \p Comments after a blank; trailing blanks are not part of it.
size_t plainEnd(llvm::StringRef T, size_t P, size_t End, llvm::StringRef Comments) {
  size_t E = P;
  for (; E < End; ++E)
    if (Comments.contains(T[E]) && (E == P || blank(T[E - 1])))
      break;
  while (E > P && blank(T[E - 1]))
    --E;
  return E;
}

//===----------------------------------------------------------------------===//
// Flow collections: JSON, YAML flow, TOML inline tables
//===----------------------------------------------------------------------===//

class FlowReader {
public:
  FlowReader(llvm::StringRef T, ConfigFormat F, std::vector<ConfigEntry> &Out)
      : T(T), F(F), Out(Out) {}

  /// Past the value starting at \p P, or NPos when it cannot be read.
  size_t value(size_t P, unsigned Depth) {
    if (P >= T.size() || Depth > MaxDepth)
      return NPos;
    char C = T[P];
    if (C == '{')
      return object(P, Depth);
    if (C == '[')
      return array(P, Depth);
    if (C == '"')
      return quotedEnd(T, P, T.size(), true, false);
    if (C == '\'')
      return quotedEnd(T, P, T.size(), F == ConfigFormat::Json, F == ConfigFormat::Yaml);
    size_t E = scalarEnd(P, false);
    return E == P ? NPos : E;
  }

  size_t skip(size_t P) const {
    while (P < T.size()) {
      char C = T[P];
      if (space(C)) {
        ++P;
      } else if (F == ConfigFormat::Json && C == '/' && P + 1 < T.size() && T[P + 1] == '/') {
        P = endOfLine(T, P);
      } else if (F == ConfigFormat::Json && C == '/' && P + 1 < T.size() && T[P + 1] == '*') {
        size_t E = T.find("*/", P + 2);
        P = E == NPos ? T.size() : E + 2;
      } else if (F != ConfigFormat::Json && C == '#') {
        P = endOfLine(T, P);
      } else {
        break;
      }
    }
    return P;
  }

private:
  llvm::StringRef T;
  ConfigFormat F;
  std::vector<ConfigEntry> &Out;

  size_t scalarEnd(size_t P, bool Key) const {
    size_t E = P;
    for (; E < T.size(); ++E) {
      char C = T[E];
      if (C == '\n' || C == '\r' || C == ',' || C == '}' || C == ']' || C == '{' || C == '[')
        break;
      if (F == ConfigFormat::Yaml) {
        if (C == ':' && (E + 1 == T.size() || space(T[E + 1]) || llvm::StringRef(",[]{}").contains(T[E + 1])))
          break;
        if (C == '#' && E > P && blank(T[E - 1]))
          break;
      } else if (F == ConfigFormat::Toml) {
        if (blank(C) || C == '=' || C == '#')
          break;
      } else if (blank(C) || C == ':' || (Key && C == '=')) {
        break;
      }
    }
    while (E > P && blank(T[E - 1]))
      --E;
    return E;
  }

  size_t array(size_t P, unsigned Depth) {
    P = skip(P + 1);
    while (P < T.size() && T[P] != ']') {
      size_t E = value(P, Depth + 1);
      if (E == NPos)
        return NPos;
      P = skip(E);
      if (P < T.size() && T[P] == ',')
        P = skip(P + 1);
      else if (P < T.size() && T[P] != ']')
        return NPos;
    }
    return P < T.size() ? P + 1 : NPos;
  }

  size_t object(size_t Open, unsigned Depth) {
    std::string Container = "f@" + std::to_string(Open);
    size_t P = skip(Open + 1);
    while (P < T.size() && T[P] != '}') {
      ConfigEntry E;
      E.Shape = ConfigEntry::Member;
      E.Flow = F == ConfigFormat::Yaml;
      E.Container = Container;
      E.Begin = P;
      size_t KeyEnd;
      if (T[P] == '"' || T[P] == '\'') {
        KeyEnd = quotedEnd(T, P, T.size(), T[P] == '"', F == ConfigFormat::Yaml && T[P] == '\'');
        if (KeyEnd == NPos)
          return NPos;
        E.Keys.push_back({P + 1, KeyEnd - 1});
      } else {
        KeyEnd = scalarEnd(P, true);
        if (KeyEnd == P)
          return NPos;
        E.Keys.push_back({P, KeyEnd});
      }
      P = skip(KeyEnd);
      char Sep = F == ConfigFormat::Toml ? '=' : ':';
      if (P < T.size() && T[P] == Sep) {
        P = skip(P + 1);
        size_t VE = value(P, Depth + 1);
        if (VE == NPos)
          return NPos;
        setValue(E, T, P, VE);
        if (T[P] == '{' || T[P] == '[') {
          E.Null = false;
          E.Unsupported = "its value is an object or a list, not one setting";
        }
        E.End = E.CopyEnd = VE;
        P = skip(VE);
      } else if (F == ConfigFormat::Yaml && P < T.size() && (T[P] == ',' || T[P] == '}')) {
        E.ValBegin = E.ValEnd = E.InnerBegin = E.InnerEnd = KeyEnd; // `{key}`: a null value
        E.Null = true;
        E.End = E.CopyEnd = KeyEnd;
      } else {
        return NPos;
      }
      Out.push_back(std::move(E));
      if (P < T.size() && T[P] == ',')
        P = skip(P + 1);
      else if (P < T.size() && T[P] != '}')
        return NPos;
    }
    return P < T.size() ? P + 1 : NPos;
  }
};

//===----------------------------------------------------------------------===//
// .env
//===----------------------------------------------------------------------===//

bool envKeyChar(char C) { return llvm::isAlnum(C) || C == '_' || C == '.' || C == '-'; }

void readEnv(llvm::StringRef T, std::vector<ConfigEntry> &Out) {
  std::vector<LineRef> Lines = splitLines(T);
  size_t SkipUntil = 0;
  for (const LineRef &L : Lines) {
    if (L.Begin < SkipUntil)
      continue;
    size_t P = skipBlanks(T, L.Begin, L.End);
    if (P == L.End || T[P] == '#')
      continue;
    ConfigEntry E;
    E.Begin = P;
    if (T.substr(P).startswith("export") && P + 6 < L.End && blank(T[P + 6]))
      P = skipBlanks(T, P + 6, L.End);
    size_t K = P;
    while (P < L.End && envKeyChar(T[P]))
      ++P;
    if (P == K)
      continue;
    E.Keys.push_back({K, P});
    P = skipBlanks(T, P, L.End);
    if (P == L.End || T[P] != '=')
      continue;
    P = skipBlanks(T, P + 1, L.End);
    E.Container = "env";
    E.End = L.End;
    if (P < L.End && (T[P] == '"' || T[P] == '\'')) {
      size_t Q = quotedEnd(T, P, L.End, T[P] == '"', false);
      if (Q == NPos) {
        size_t Far = quotedEnd(T, P, T.size(), T[P] == '"', false);
        size_t Last = Far == NPos ? T.size() : Far;
        E.End = endOfLine(T, Last);
        SkipUntil = E.End;
        E.Unsupported = "its value spans several lines";
        setValue(E, T, P, Last);
      } else {
        setValue(E, T, P, Q);
      }
    } else {
      setValue(E, T, P, plainEnd(T, P, L.End, "#"));
    }
    E.CopyEnd = E.ValEnd;
    Out.push_back(std::move(E));
  }
}

//===----------------------------------------------------------------------===//
// .properties
//===----------------------------------------------------------------------===//

/// True if the line content [B, E) ends with an odd number of backslashes.
bool continues(llvm::StringRef T, size_t B, size_t E) {
  size_t N = 0;
  while (E > B && T[E - 1] == '\\') {
    --E;
    ++N;
  }
  return N % 2 == 1;
}

void readProperties(llvm::StringRef T, std::vector<ConfigEntry> &Out) {
  std::vector<LineRef> Lines = splitLines(T);
  for (size_t I = 0; I < Lines.size(); ++I) {
    const LineRef &L = Lines[I];
    size_t P = skipBlanks(T, L.Begin, L.End);
    if (P == L.End || T[P] == '#' || T[P] == '!') {
      continue;
    }
    ConfigEntry E;
    E.Begin = P;
    size_t K = P;
    while (P < L.End && T[P] != '=' && T[P] != ':' && !blank(T[P]))
      P += T[P] == '\\' ? 2 : 1;
    P = std::min(P, L.End);
    E.Keys.push_back({K, P});
    llvm::StringRef Key = T.slice(K, P);
    size_t Dot = Key.rfind('.');
    E.Container = "p:" + (Dot == NPos ? std::string() : Key.take_front(Dot + 1).str());
    P = skipBlanks(T, P, L.End);
    if (P < L.End && (T[P] == '=' || T[P] == ':'))
      P = skipBlanks(T, P + 1, L.End);
    size_t VE = L.End;
    while (VE > P && blank(T[VE - 1]))
      --VE;
    E.End = L.End;
    if (continues(T, L.Begin, L.End)) {
      while (I + 1 < Lines.size() && continues(T, Lines[I].Begin, Lines[I].End))
        ++I;
      E.End = VE = Lines[I].End;
      E.Unsupported = "its value continues on the next line";
    }
    setValue(E, T, P, VE);
    E.CopyEnd = E.ValEnd;
    Out.push_back(std::move(E));
  }
}

//===----------------------------------------------------------------------===//
// INI, HOCON, TOML
//===----------------------------------------------------------------------===//

/// Past the bracket closing the `[` or `{` at \p P (strings and `#` comments skipped),
/// or the end of the text.
size_t balancedEnd(llvm::StringRef T, size_t P) {
  int Depth = 0;
  for (size_t I = P; I < T.size(); ++I) {
    char C = T[I];
    if (C == '"' || C == '\'') {
      size_t Q = quotedEnd(T, I, T.size(), C == '"', false);
      if (Q == NPos)
        return T.size();
      I = Q - 1;
    } else if (C == '#') {
      I = endOfLine(T, I);
    } else if (C == '[' || C == '{') {
      ++Depth;
    } else if ((C == ']' || C == '}') && --Depth == 0) {
      return I + 1;
    }
  }
  return T.size();
}

void readIniLike(llvm::StringRef T, ConfigFormat F, std::vector<ConfigEntry> &Out) {
  bool Toml = F == ConfigFormat::Toml;
  llvm::StringRef Comments = Toml ? "#" : "#;";
  std::vector<LineRef> Lines = splitLines(T);
  std::string Section = "root";
  std::vector<std::string> Blocks; // HOCON `name {` … `}`
  size_t SkipUntil = 0;
  for (const LineRef &L : Lines) {
    if (L.Begin < SkipUntil)
      continue;
    size_t P = skipBlanks(T, L.Begin, L.End);
    if (P == L.End || Comments.contains(T[P]))
      continue;
    if (T[P] == '[') {
      Section = "s@" + std::to_string(L.Begin);
      Blocks.clear();
      continue;
    }
    if (T[P] == '}') {
      if (!Blocks.empty())
        Blocks.pop_back();
      continue;
    }
    ConfigEntry E;
    E.Begin = P;
    size_t KeyEnd;
    if (T[P] == '"' || T[P] == '\'') {
      KeyEnd = quotedEnd(T, P, L.End, T[P] == '"', false);
      if (KeyEnd == NPos)
        continue;
      E.Keys.push_back({P + 1, KeyEnd - 1});
    } else {
      KeyEnd = P;
      while (KeyEnd < L.End && T[KeyEnd] != '=' && (Toml || T[KeyEnd] != ':') &&
             !blank(T[KeyEnd]) && T[KeyEnd] != '{')
        ++KeyEnd;
      if (KeyEnd == P)
        continue;
      E.Keys.push_back({P, KeyEnd});
    }
    P = skipBlanks(T, KeyEnd, L.End);
    std::string Container = Section;
    for (const std::string &B : Blocks)
      Container += "/" + B;
    if (!Toml && P < L.End && T[P] == '{') {
      // HOCON `name {`: a nested block (closed on the same line: an inline object).
      if (T.slice(P, L.End).count('{') > T.slice(P, L.End).count('}'))
        Blocks.push_back("b@" + std::to_string(L.Begin));
      continue;
    }
    if (P == L.End || (T[P] != '=' && (Toml || T[P] != ':')))
      continue;
    P = skipBlanks(T, P + 1, L.End);
    E.Container = Container;
    E.End = L.End;
    if (P < L.End && (T[P] == '{' || T[P] == '[')) {
      size_t VE;
      if (Toml && T[P] == '{') {
        // An inline table: its members are entries of their own.
        FlowReader R(T, ConfigFormat::Toml, Out);
        VE = R.value(P, 0);
      } else {
        VE = balancedEnd(T, P);
        if (!Toml && T[P] == '{' && VE > L.End) {
          Blocks.push_back("b@" + std::to_string(L.Begin)); // HOCON `name = {` block
          continue;
        }
      }
      if (VE == NPos)
        VE = L.End;
      setValue(E, T, P, VE);
      E.Null = false;
      E.Unsupported = "its value is an object or a list, not one setting";
      E.End = endOfLine(T, VE);
      SkipUntil = E.End;
      E.CopyEnd = VE;
      Out.push_back(std::move(E));
      continue;
    }
    if (P + 2 < L.End && (T.substr(P).startswith("\"\"\"") || T.substr(P).startswith("'''"))) {
      size_t Close = T.find(T.substr(P, 3), P + 3);
      size_t VE = Close == NPos ? T.size() : Close + 3;
      setValue(E, T, P, VE);
      E.Unsupported = "its value spans several lines";
      E.End = endOfLine(T, VE);
      SkipUntil = E.End;
      E.CopyEnd = VE;
      Out.push_back(std::move(E));
      continue;
    }
    if (P < L.End && (T[P] == '"' || T[P] == '\'')) {
      size_t Q = quotedEnd(T, P, L.End, T[P] == '"', false);
      if (Q == NPos) {
        setValue(E, T, P, L.End);
        E.Unsupported = "its quoted value is not closed on its line";
      } else {
        setValue(E, T, P, Q);
      }
    } else {
      setValue(E, T, P, plainEnd(T, P, L.End, Comments));
    }
    E.CopyEnd = E.ValEnd;
    Out.push_back(std::move(E));
  }
}

//===----------------------------------------------------------------------===//
// YAML
//===----------------------------------------------------------------------===//

class YamlReader {
public:
  YamlReader(llvm::StringRef T, std::vector<ConfigEntry> &Out)
      : T(T), Out(Out), Lines(splitLines(T)) {}

  void read() {
    for (size_t I = 0; I < Lines.size(); ++I)
      line(I);
  }

private:
  struct Open {
    size_t Col;    ///< the line's indentation (a sequence item: its dash's column)
    size_t KeyCol; ///< the column of the content after `- `
    size_t Off;    ///< the line's begin
    bool Dash;
  };
  llvm::StringRef T;
  std::vector<ConfigEntry> &Out;
  std::vector<LineRef> Lines;
  std::vector<Open> Stack;
  size_t SkipUntil = 0;
  size_t BlockCol = NPos; ///< inside a block scalar: lines indented more than this

  /// The indentation of the next line holding content after line \p I, and whether it
  /// is a sequence item; {NPos, false} at the end.
  std::pair<size_t, bool> nextContent(size_t I) const {
    for (size_t J = I + 1; J < Lines.size(); ++J) {
      size_t P = skipBlanks(T, Lines[J].Begin, Lines[J].End);
      if (P == Lines[J].End || T[P] == '#')
        continue;
      bool Dash = T[P] == '-' && (P + 1 == Lines[J].End || blank(T[P + 1]));
      return {P - Lines[J].Begin, Dash};
    }
    return {NPos, false};
  }

  /// The end of the flow collection or quoted scalar starting at \p P, or NPos.
  size_t flow(size_t P) {
    FlowReader R(T, ConfigFormat::Yaml, Out);
    return R.value(P, 0);
  }

  void line(size_t I) {
    const LineRef &L = Lines[I];
    if (L.Begin < SkipUntil)
      return;
    size_t P = skipBlanks(T, L.Begin, L.End);
    if (P == L.End)
      return;
    size_t Col = P - L.Begin;
    if (BlockCol != NPos) {
      if (Col > BlockCol)
        return;
      BlockCol = NPos;
    }
    if (T[P] == '#')
      return;
    if (Col == 0 && (T.substr(P).startswith("---") || T.substr(P).startswith("...")) &&
        (P + 3 == L.End || blank(T[P + 3]))) {
      Stack.clear();
      return;
    }
    if (Col == 0 && T[P] == '%')
      return;
    bool Dash = false;
    size_t DashPos = P;
    if (T[P] == '-' && (P + 1 == L.End || blank(T[P + 1]))) {
      Dash = true;
      P = skipBlanks(T, P + 1, L.End);
    }
    size_t KeyCol = P - L.Begin;
    if (Dash) {
      while (!Stack.empty() && (Stack.back().Dash ? Stack.back().Col >= Col : Stack.back().Col > Col))
        Stack.pop_back();
    } else {
      while (!Stack.empty() && Stack.back().Col >= Col)
        Stack.pop_back();
    }
    std::string Parent;
    if (Stack.empty())
      Parent = "c@root";
    else if (!Dash && Stack.back().Dash && Stack.back().KeyCol == Col)
      Parent = "i@" + std::to_string(Stack.back().Off);
    else
      Parent = "c@" + std::to_string(Stack.back().Off);
    std::string SeqParent = "q@" + (Stack.empty() ? std::string("root") : std::to_string(Stack.back().Off));
    Stack.push_back({Col, KeyCol, L.Begin, Dash});
    if (P == L.End || T[P] == '#')
      return;

    // The key, if this line has one.
    size_t KeyB = P, KeyE = NPos, Colon = NPos;
    if (T[P] == '"' || T[P] == '\'') {
      size_t Q = quotedEnd(T, P, L.End, T[P] == '"', T[P] == '\'');
      if (Q != NPos) {
        size_t C = skipBlanks(T, Q, L.End);
        if (C < L.End && T[C] == ':' && (C + 1 == L.End || blank(T[C + 1]))) {
          KeyB = P + 1;
          KeyE = Q - 1;
          Colon = C;
        }
      }
    } else if (T[P] == '{' || T[P] == '[') {
      size_t E = flow(P);
      if (E != NPos)
        SkipUntil = std::max(SkipUntil, E);
      return;
    } else if (!llvm::StringRef("|>?!&*%@`").contains(T[P])) {
      for (size_t C = P; C < L.End; ++C) {
        if (T[C] == '#' && C > P && blank(T[C - 1]))
          break;
        if (T[C] == ':' && (C + 1 == L.End || blank(T[C + 1]))) {
          KeyE = C;
          while (KeyE > P && blank(T[KeyE - 1]))
            --KeyE;
          Colon = C;
          break;
        }
      }
    }
    if (Colon == NPos) {
      if (Dash)
        envItem(L, DashPos, P, SeqParent);
      else if (T[P] == '|' || T[P] == '>')
        BlockCol = Col;
      return;
    }

    ConfigEntry E;
    E.Begin = P;
    E.End = L.End;
    E.Keys.push_back({KeyB, KeyE});
    E.ItemStart = Dash;
    E.Container = Dash ? "i@" + std::to_string(L.Begin) : Parent;
    size_t V = skipBlanks(T, Colon + 1, L.End);
    if (V == L.End || T[V] == '#') {
      auto [NextCol, NextDash] = nextContent(I);
      E.ValBegin = E.ValEnd = E.InnerBegin = E.InnerEnd = Colon + 1;
      E.CopyEnd = Colon + 1;
      if (NextCol != NPos && (NextCol > KeyCol || (NextCol == KeyCol && NextDash)))
        E.Unsupported = "its value is a mapping or a list, not one setting";
      else
        E.Null = true;
    } else if (T[V] == '|' || T[V] == '>') {
      setValue(E, T, V, plainEnd(T, V, L.End, "#"));
      E.Unsupported = "its value is a block scalar (several lines)";
      BlockCol = KeyCol;
      E.CopyEnd = E.ValEnd;
    } else if (T[V] == '{' || T[V] == '[' || T[V] == '"' || T[V] == '\'') {
      size_t VE = T[V] == '{' || T[V] == '['
                      ? flow(V)
                      : quotedEnd(T, V, T.size(), T[V] == '"', T[V] == '\'');
      if (VE == NPos) {
        setValue(E, T, V, L.End);
        E.Unsupported = "its value could not be read";
      } else {
        setValue(E, T, V, VE);
        if (T[V] == '{' || T[V] == '[') {
          E.Null = false;
          E.Unsupported = "its value is a mapping or a list, not one setting";
        } else if (VE > L.End) {
          E.Unsupported = "its quoted value spans several lines";
        }
        if (VE > L.End) {
          E.End = endOfLine(T, VE);
          SkipUntil = std::max(SkipUntil, E.End);
        }
      }
      E.CopyEnd = E.ValEnd;
    } else {
      setValue(E, T, V, plainEnd(T, V, L.End, "#"));
      E.CopyEnd = E.ValEnd;
    }
    Out.push_back(std::move(E));
  }

  /// `- NAME=value` / `- "NAME=value"` (docker-compose `environment:` lists): the dash
  /// at \p DashPos, the item at \p P, the list's container \p Seq.
  void envItem(const LineRef &L, size_t DashPos, size_t P, const std::string &Seq) {
    char Q = 0;
    size_t B = P, End = plainEnd(T, P, L.End, "#");
    if (T[P] == '"' || T[P] == '\'') {
      size_t QE = quotedEnd(T, P, L.End, T[P] == '"', T[P] == '\'');
      if (QE == NPos)
        return;
      Q = T[P];
      B = P + 1;
      End = QE;
    }
    size_t K = B;
    while (K < End && (llvm::isAlnum(T[K]) || T[K] == '_' || T[K] == '.'))
      ++K;
    if (K == B || K >= End || T[K] != '=' || llvm::isDigit(T[B]))
      return;
    ConfigEntry E;
    E.Begin = DashPos;
    E.End = L.End;
    E.Keys.push_back({B, K});
    size_t VE = Q ? End - 1 : End;
    E.ValBegin = E.InnerBegin = K + 1;
    E.ValEnd = E.InnerEnd = VE;
    E.Null = VE == K + 1;
    E.Raw = true;
    E.EnvItem = true;
    E.CopyEnd = End;
    E.Container = Seq;
    Out.push_back(std::move(E));
  }
};

//===----------------------------------------------------------------------===//
// XML
//===----------------------------------------------------------------------===//

class XmlReader {
public:
  XmlReader(llvm::StringRef T, std::vector<ConfigEntry> &Out) : T(T), Out(Out) {}

  void read() {
    size_t P = 0;
    while ((P = T.find('<', P)) != NPos) {
      llvm::StringRef R = T.substr(P);
      if (R.startswith("<!--")) {
        size_t E = T.find("-->", P + 4);
        P = E == NPos ? T.size() : E + 3;
      } else if (R.startswith("<![CDATA[")) {
        size_t E = T.find("]]>", P + 9);
        if (!Stack.empty())
          Stack.back().CData = true;
        P = E == NPos ? T.size() : E + 3;
      } else if (R.startswith("<?")) {
        size_t E = T.find("?>", P + 2);
        P = E == NPos ? T.size() : E + 2;
      } else if (R.startswith("<!")) {
        size_t E = T.find('>', P + 2);
        P = E == NPos ? T.size() : E + 1;
      } else if (R.startswith("</")) {
        P = close(P);
      } else {
        P = open(P);
      }
    }
  }

private:
  struct Attr {
    llvm::StringRef Name;
    size_t ValBegin, ValEnd; ///< inside the quotes
  };
  struct El {
    size_t Begin, NameB, NameE, ContentB = 0;
    std::vector<Attr> Attrs;
    bool Child = false, CData = false;
    std::string Parent;
  };
  llvm::StringRef T;
  std::vector<ConfigEntry> &Out;
  std::vector<El> Stack;

  static bool nameChar(char C) {
    return llvm::isAlnum(C) || C == '_' || C == '-' || C == '.' || C == ':' ||
           static_cast<unsigned char>(C) >= 0x80;
  }

  size_t open(size_t P) {
    El E;
    E.Begin = P;
    size_t I = P + 1;
    E.NameB = I;
    while (I < T.size() && nameChar(T[I]))
      ++I;
    E.NameE = I;
    if (E.NameE == E.NameB)
      return P + 1;
    // Attributes up to '>' or '/>'.
    bool SelfClosing = false;
    while (I < T.size()) {
      while (I < T.size() && space(T[I]))
        ++I;
      if (I >= T.size())
        return T.size();
      if (T[I] == '>') {
        ++I;
        break;
      }
      if (T[I] == '/' && I + 1 < T.size() && T[I + 1] == '>') {
        SelfClosing = true;
        I += 2;
        break;
      }
      size_t NB = I;
      while (I < T.size() && !space(T[I]) && T[I] != '=' && T[I] != '>' && T[I] != '/')
        ++I;
      if (I == NB) {
        ++I;
        continue;
      }
      llvm::StringRef Name = T.slice(NB, I);
      while (I < T.size() && space(T[I]))
        ++I;
      if (I < T.size() && T[I] == '=') {
        ++I;
        while (I < T.size() && space(T[I]))
          ++I;
        if (I < T.size() && (T[I] == '"' || T[I] == '\'')) {
          size_t Q = T.find(T[I], I + 1);
          if (Q == NPos)
            return T.size();
          E.Attrs.push_back({Name, I + 1, Q});
          I = Q + 1;
        }
      }
    }
    E.Parent = Stack.empty() ? "x@root" : "x@" + std::to_string(Stack.back().Begin);
    if (!Stack.empty())
      Stack.back().Child = true;
    if (SelfClosing) {
      record(E, I, NPos, NPos, NPos, NPos, true);
      return I;
    }
    if (Stack.size() >= MaxDepth)
      return I;
    E.ContentB = I;
    Stack.push_back(std::move(E));
    return I;
  }

  size_t close(size_t P) {
    size_t NB = P + 2, NE = NB;
    while (NE < T.size() && nameChar(T[NE]))
      ++NE;
    size_t Gt = T.find('>', NE);
    size_t End = Gt == NPos ? T.size() : Gt + 1;
    llvm::StringRef Name = T.slice(NB, NE);
    // Pop to the matching element (unclosed children are dropped).
    for (size_t I = Stack.size(); I-- > 0;) {
      if (T.slice(Stack[I].NameB, Stack[I].NameE) != Name)
        continue;
      El E = std::move(Stack[I]);
      Stack.resize(I);
      if (!E.Child)
        record(E, End, E.ContentB, P, NB, NE, false);
      break;
    }
    return End;
  }

  const Attr *attr(const El &E, llvm::StringRef Name) const {
    for (const Attr &A : E.Attrs)
      if (A.Name.equals_insensitive(Name))
        return &A;
    return nullptr;
  }

  void record(const El &X, size_t End, size_t ContentB, size_t ContentE, size_t CloseNB,
              size_t CloseNE, bool SelfClosing) {
    ConfigEntry E;
    E.Shape = ConfigEntry::Element;
    E.Begin = X.Begin;
    E.End = E.CopyEnd = End;
    E.Container = X.Parent;
    E.Raw = true;
    E.SelfClosing = SelfClosing;
    const Attr *Key = attr(X, "key");
    const Attr *Value = attr(X, "value");
    if (Key) {
      E.KeyAttribute = true;
      E.Keys.push_back({Key->ValBegin, Key->ValEnd});
      if (Value) {
        E.ValBegin = E.InnerBegin = Value->ValBegin;
        E.ValEnd = E.InnerEnd = Value->ValEnd;
      } else if (!SelfClosing) {
        E.ValBegin = E.InnerBegin = ContentB;
        E.ValEnd = E.InnerEnd = ContentE;
      } else {
        E.Unsupported = "the element has a key but no value";
      }
    } else if (attr(X, "name")) {
      const Attr *Name = attr(X, "name");
      E.Keys.push_back({Name->ValBegin, Name->ValEnd});
      if (Value) {
        E.ValBegin = E.InnerBegin = Value->ValBegin;
        E.ValEnd = E.InnerEnd = Value->ValEnd;
      }
      E.Unsupported = "the setting is named by a `name` attribute (a bean property or a "
                      "parameter of the program that reads the file)";
    } else {
      E.Keys.push_back({X.NameB, X.NameE});
      if (!SelfClosing) {
        E.Keys.push_back({CloseNB, CloseNE});
        E.ValBegin = E.InnerBegin = ContentB;
        E.ValEnd = E.InnerEnd = ContentE;
      } else {
        E.ValBegin = E.InnerBegin = E.ValEnd = E.InnerEnd = End;
      }
      if (X.CData)
        E.Unsupported = "its value is a CDATA section";
    }
    llvm::StringRef V = T.slice(E.InnerBegin, E.InnerEnd);
    E.Null = V.trim().empty();
    if (!SelfClosing && !Key && V.contains('\n') && !E.Null)
      E.Unsupported = "its value spans several lines";
    Out.push_back(std::move(E));
  }
};

} // namespace

std::vector<ConfigEntry> parseConfigEntries(ConfigFormat F, llvm::StringRef Text) {
  std::vector<ConfigEntry> Out;
  switch (F) {
  case ConfigFormat::Env:
    readEnv(Text, Out);
    break;
  case ConfigFormat::Properties:
    readProperties(Text, Out);
    break;
  case ConfigFormat::Ini:
  case ConfigFormat::Toml:
    readIniLike(Text, F, Out);
    break;
  case ConfigFormat::Yaml:
    YamlReader(Text, Out).read();
    break;
  case ConfigFormat::Json: {
    FlowReader R(Text, F, Out);
    size_t P = Text.startswith("\xEF\xBB\xBF") ? 3 : 0;
    R.value(R.skip(P), 0);
    break;
  }
  case ConfigFormat::Xml:
    XmlReader(Text, Out).read();
    break;
  }
  std::stable_sort(Out.begin(), Out.end(), [](const ConfigEntry &A, const ConfigEntry &B) {
    return A.Begin < B.Begin;
  });
  return Out;
}

} // namespace atm::fix
