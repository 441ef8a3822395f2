#include "lang/Language.h"

#include <string>

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"

#include "core/LiteralPrefilter.h"

using llvm::StringRef;

namespace atm {

namespace {

struct LanguageInfo {
  Language Lang;
  StringRef Name;
  LexerKind Lexer;
  StringRef Extensions; ///< ".a;.b"
  StringRef FileNames;  ///< exact names, or globs "prefix*" / "*suffix"
  StringRef Shebangs;   ///< interpreter names
};

const LanguageInfo Table[] = {
#define LANGUAGE(Enum, Name, Lexer, Exts, Files, Shebangs)                      \
  {Language::Enum, Name, LexerKind::Lexer, Exts, Files, Shebangs},
#include "lang/Languages.def"
};

const LanguageInfo *infoOf(Language L) {
  for (const LanguageInfo &I : Table)
    if (I.Lang == L)
      return &I;
  return nullptr;
}

template <typename Fn> void forEachItem(StringRef List, Fn F) {
  while (!List.empty()) {
    auto [Item, Rest] = List.split(';');
    Item = Item.trim();
    if (!Item.empty())
      F(Item);
    List = Rest;
  }
}

bool isWordChar(char C) {
  return llvm::isAlnum(C) || C == '_';
}

/// Finds \p Needle in \p Hay as a whole word on its left side (not preceded by an
/// identifier character).
bool containsWord(StringRef Hay, StringRef Needle) {
  size_t From = 0;
  while (true) {
    size_t P = Hay.find(Needle, From);
    if (P == StringRef::npos)
      return false;
    if (P == 0 || !isWordChar(Hay[P - 1]))
      return true;
    From = P + 1;
  }
}

/// The interpreter named by a shebang line ("python3" for `#!/usr/bin/env python3`).
StringRef shebangInterpreter(StringRef Head) {
  if (Head.startswith("\xEF\xBB\xBF"))
    Head = Head.drop_front(3);
  if (!Head.startswith("#!"))
    return {};
  StringRef Line = Head.drop_front(2);
  Line = Line.take_until([](char C) { return C == '\n' || C == '\r'; });
  llvm::SmallVector<StringRef, 8> Words;
  Line.split(Words, ' ', -1, false);
  // Tabs separate words too.
  llvm::SmallVector<StringRef, 8> Tokens;
  for (StringRef W : Words) {
    llvm::SmallVector<StringRef, 4> Parts;
    W.split(Parts, '\t', -1, false);
    Tokens.append(Parts.begin(), Parts.end());
  }
  size_t K = 0;
  auto BaseName = [](StringRef P) { return P.substr(P.find_last_of('/') + 1); };
  if (K < Tokens.size() && BaseName(Tokens[K]) == "env") {
    ++K;
    // Skip env's options (-S, -i, -u NAME is rare) and NAME=value assignments.
    while (K < Tokens.size() &&
           (Tokens[K].startswith("-") || Tokens[K].contains('=')))
      ++K;
  }
  if (K >= Tokens.size())
    return {};
  return BaseName(Tokens[K]);
}

Language languageForInterpreter(StringRef Interp) {
  if (Interp.empty())
    return Language::Unknown;
  // "python3.11" -> "python3.11", then "python" (digits and dots stripped).
  StringRef Stripped = Interp.rtrim("0123456789.");
  for (StringRef Candidate : {Interp, Stripped}) {
    if (Candidate.empty())
      continue;
    for (const LanguageInfo &I : Table) {
      bool Found = false;
      forEachItem(I.Shebangs, [&](StringRef S) {
        if (S == Candidate)
          Found = true;
      });
      if (Found)
        return I.Lang;
    }
  }
  return Language::Unknown;
}

/// Skips whitespace (line breaks included) from \p I.
size_t skipWs(StringRef S, size_t I) {
  while (I < S.size() && (S[I] == ' ' || S[I] == '\t' || S[I] == '\r' ||
                          S[I] == '\n'))
    ++I;
  return I;
}

/// `invokeurl` followed by optional whitespace and `[`.
bool hasInvokeUrl(StringRef Lower) {
  size_t From = 0;
  while (true) {
    size_t P = Lower.find("invokeurl", From);
    if (P == StringRef::npos)
      return false;
    size_t J = skipWs(Lower, P + 9);
    if (J < Lower.size() && Lower[J] == '[')
      return true;
    From = P + 1;
  }
}

/// A Zoho integration task: `zoho.<service>.<task>(`, or `zoho.crm.` etc. for the
/// best-known services. Excludes host names such as `support@zoho.com.`.
bool hasZohoTask(StringRef Lower) {
  static const StringRef KnownServices[] = {
      "crm",   "books",    "creator",   "desk",     "projects", "people",
      "recruit", "invoice", "inventory", "cliq",   "mail",     "sheet",
      "writer", "workdrive", "subscriptions", "campaigns", "bigin", "sign",
      "expense", "billing", "analytics", "survey", "forms"};
  size_t From = 0;
  while (true) {
    size_t P = Lower.find("zoho.", From);
    if (P == StringRef::npos)
      return false;
    From = P + 1;
    if (P > 0) {
      char B = Lower[P - 1];
      if (isWordChar(B) || B == '.' || B == '@' || B == '/' || B == '-')
        continue;
    }
    size_t J = P + 5;
    size_t SvcBegin = J;
    while (J < Lower.size() && llvm::isAlpha(Lower[J]))
      ++J;
    StringRef Service = Lower.slice(SvcBegin, J);
    if (Service.empty() || J >= Lower.size() || Lower[J] != '.')
      continue;
    ++J;
    size_t TaskBegin = J;
    while (J < Lower.size() && isWordChar(Lower[J]))
      ++J;
    if (J == TaskBegin)
      continue;
    for (StringRef K : KnownServices)
      if (Service == K)
        return true;
    while (J < Lower.size() && (Lower[J] == ' ' || Lower[J] == '\t'))
      ++J;
    if (J < Lower.size() && Lower[J] == '(' && Service != "com" &&
        Service != "eu" && Service != "in")
      return true;
  }
}

/// `for each x in`.
bool hasForEachIn(StringRef Lower) {
  size_t From = 0;
  while (true) {
    size_t P = Lower.find("for each ", From);
    if (P == StringRef::npos)
      return false;
    From = P + 1;
    size_t J = P + 9;
    while (J < Lower.size() && (Lower[J] == ' ' || Lower[J] == '\t'))
      ++J;
    size_t W = J;
    while (J < Lower.size() && isWordChar(Lower[J]))
      ++J;
    if (J == W)
      continue;
    if (Lower.substr(J).startswith(" in ") || Lower.substr(J).startswith("\tin "))
      return true;
  }
}

/// An `info ` statement at the start of a line.
bool hasInfoStatement(StringRef Lower) {
  size_t From = 0;
  while (true) {
    size_t P = Lower.find("info ", From);
    if (P == StringRef::npos)
      return false;
    From = P + 1;
    size_t B = P;
    while (B > 0 && (Lower[B - 1] == ' ' || Lower[B - 1] == '\t'))
      --B;
    if (B == 0 || Lower[B - 1] == '\n' || Lower[B - 1] == ';' || Lower[B - 1] == '{')
      return true;
  }
}

/// Strong evidence of Deluge (see detectLanguage's documentation).
bool hasDelugeSignal(StringRef Lower) {
  if (hasInvokeUrl(Lower) || hasZohoTask(Lower))
    return true;
  if (Lower.contains("geturl(") || Lower.contains("posturl("))
    return Lower.contains("map()") || hasInfoStatement(Lower) ||
           hasForEachIn(Lower);
  return false;
}

/// Constructs that Deluge does not have but JavaScript files nearly always do.
bool hasJavaScriptSignal(StringRef Lower) {
  return containsWord(Lower, "function") || Lower.contains("=>") ||
         containsWord(Lower, "require(") || containsWord(Lower, "import ") ||
         containsWord(Lower, "const ") || containsWord(Lower, "let ") ||
         containsWord(Lower, "var ") || containsWord(Lower, "export ") ||
         Lower.contains("module.exports") || Lower.contains("console.");
}

bool looksLikeDelugeInJs(StringRef Lower) {
  if (hasJavaScriptSignal(Lower))
    return false;
  return hasDelugeSignal(Lower) ||
         (hasInfoStatement(Lower) && Lower.contains("map()"));
}

bool looksLikeDelugeInMarkdown(StringRef Lower) {
  if (Lower.contains("```") || Lower.contains("~~~") || Lower.startswith("# ") ||
      Lower.contains("\n# ") || Lower.contains("\n## "))
    return false;
  return hasDelugeSignal(Lower);
}

/// Extensions of binary formats: such a file is never Generic even when its first bytes
/// hold no NUL (a PDF's or a ZIP's header, an image's text chunk).
bool hasBinaryExtension(StringRef LowerName) {
  static const StringRef Exts[] = {
      // images, fonts, media
      ".png", ".jpg", ".jpeg", ".gif", ".bmp", ".ico", ".icns", ".webp", ".tif", ".tiff",
      ".psd", ".heic", ".ttf", ".otf", ".woff", ".woff2", ".eot", ".mp3", ".mp4", ".m4a",
      ".wav", ".ogg", ".flac", ".avi", ".mov", ".mkv", ".webm",
      // archives, packages, disk images
      ".zip", ".gz", ".tgz", ".bz2", ".xz", ".zst", ".7z", ".rar", ".tar", ".jar", ".war",
      ".ear", ".aar", ".whl", ".egg", ".apk", ".ipa", ".dmg", ".iso", ".deb", ".rpm",
      ".nupkg", ".gem",
      // compiled code and data
      ".exe", ".dll", ".so", ".dylib", ".a", ".o", ".obj", ".lib", ".class", ".pyc",
      ".pyo", ".wasm", ".bin", ".dat", ".db", ".sqlite", ".sqlite3", ".pdb", ".dex",
      // documents
      ".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".odt", ".ods", ".odp"};
  for (StringRef E : Exts)
    if (LowerName.endswith(E))
      return true;
  return false;
}

bool startsWithPhp(StringRef Head) {
  if (Head.startswith("\xEF\xBB\xBF"))
    Head = Head.drop_front(3);
  Head = Head.ltrim(" \t\r\n");
  return Head.size() >= 5 && Head.take_front(5).equals_insensitive("<?php");
}

} // namespace

StringRef languageName(Language L) {
  if (const LanguageInfo *I = infoOf(L))
    return I->Name;
  return "unknown";
}

std::optional<Language> parseLanguage(StringRef Name) {
  for (const LanguageInfo &I : Table)
    if (I.Name.equals_insensitive(Name))
      return I.Lang;
  if (Name == "unknown")
    return Language::Unknown;
  return std::nullopt;
}

LexerKind lexerKind(Language L) {
  if (const LanguageInfo *I = infoOf(L))
    return I->Lexer;
  return LexerKind::PlainText;
}

bool isConfigLanguage(Language L) {
  switch (lexerKind(L)) {
  case LexerKind::Env:
  case LexerKind::Properties:
  case LexerKind::Ini:
  case LexerKind::Toml:
  case LexerKind::Yaml:
  case LexerKind::Json:
  case LexerKind::Xml:
    return L != Language::Unknown;
  default:
    return false;
  }
}

bool isDocLanguage(Language L) {
  return L == Language::Markdown || L == Language::Text;
}

Language detectLanguage(StringRef Path, StringRef Head) {
  size_t Slash = Path.find_last_of("/\\");
  StringRef Name = Slash == StringRef::npos ? Path : Path.substr(Slash + 1);
  std::string Lower = Name.lower();
  StringRef LowerName(Lower);

  // The table's names and extensions, lower-cased once.
  struct LowerItems {
    Language Lang;
    std::vector<std::string> FileNames, Extensions;
  };
  static const std::vector<LowerItems> Lowered = [] {
    std::vector<LowerItems> V;
    for (const LanguageInfo &I : Table) {
      LowerItems L{I.Lang, {}, {}};
      forEachItem(I.FileNames, [&](StringRef F) { L.FileNames.push_back(F.lower()); });
      forEachItem(I.Extensions, [&](StringRef E) { L.Extensions.push_back(E.lower()); });
      V.push_back(std::move(L));
    }
    return V;
  }();

  // Exact file names win; then the longest matching extension; then file-name globs
  // (".env.*" must not beat ".env.json"'s extension, but ".env.local" has none).
  Language ByName = Language::Unknown, ByExt = Language::Unknown,
           ByGlob = Language::Unknown;
  size_t ExtLen = 0, GlobLen = 0;
  for (const LowerItems &I : Lowered) {
    for (const std::string &LF : I.FileNames) {
      StringRef LFR(LF);
      if (LFR.startswith("*")) {
        StringRef Suffix = LFR.drop_front();
        if (LowerName.size() > Suffix.size() && LowerName.endswith(Suffix) &&
            Suffix.size() > GlobLen) {
          ByGlob = I.Lang;
          GlobLen = Suffix.size();
        }
      } else if (LFR.endswith("*")) {
        StringRef Prefix = LFR.drop_back();
        if (LowerName.size() > Prefix.size() && LowerName.startswith(Prefix) &&
            Prefix.size() > GlobLen) {
          ByGlob = I.Lang;
          GlobLen = Prefix.size();
        }
      } else if (LowerName == LFR && ByName == Language::Unknown) {
        ByName = I.Lang;
      }
    }
    for (const std::string &LE : I.Extensions)
      if (LowerName.endswith(LE) && LE.size() > ExtLen) {
        ByExt = I.Lang;
        ExtLen = LE.size();
      }
  }

  Language ByPath = ByName != Language::Unknown  ? ByName
                    : ByExt != Language::Unknown ? ByExt
                                                 : ByGlob;
  // A copy or template of a file (`credentials.json.sample`, `config.php.dist`,
  // `settings.py.example`, `zoho.rb.orig`) is that file's language, by its inner name.
  if (ByPath == Language::Unknown) {
    static const StringRef CopySuffixes[] = {".sample", ".example", ".dist", ".template",
                                             ".default", ".orig", ".bak"};
    for (StringRef S : CopySuffixes)
      if (LowerName.endswith(S) && LowerName.drop_back(S.size()).drop_front().contains('.')) {
        Language Inner = detectLanguage(Path.drop_back(S.size()), Head);
        if (Inner != Language::Unknown && Inner != Language::Generic)
          return Inner;
        break;
      }
  }
  // A name like "deploy" or ".hidden" has no extension; "notes.v2" has an unknown one.
  bool HasExtension = LowerName.size() > 1 && LowerName.drop_front().contains('.');

  if (ByPath != Language::Unknown && ByPath != Language::Text &&
      ByPath != Language::JavaScript && ByPath != Language::Markdown)
    return ByPath; // no sniffing needed

  // Sniffing looks at a bounded prefix; lower-cased because Deluge keywords are
  // case-insensitive. Lower-casing 64 KiB of every .js and .md file is the cost of
  // the walk's language step, so two exact shortcuts first: JavaScript's keywords are
  // lower case (a raw match is a match of the lowered text, so the file is JavaScript),
  // and every Deluge signal needs "zoho" or "url" in some case (a .js file's `info`
  // statement beside a `map()` too).
  // The Deluge gate comes first, as one SIMD literal pass (most files have none of
  // "zoho", "url", "info"); the keyword passes only run on the files that do.
  StringRef Sniff = Head.take_front(64 * 1024);
  if (ByPath == Language::Text || ByPath == Language::JavaScript ||
      ByPath == Language::Markdown) {
    // (Three literals of 3-4 letters always make a filter: build() fails only for
    // one-byte literals or more than MaxPairs anchor pairs.)
    static const LiteralPrefilter ZohoOrUrl = *LiteralPrefilter::build({"zoho", "url"});
    static const LiteralPrefilter ZohoUrlOrInfo =
        *LiteralPrefilter::build({"zoho", "url", "info"});
    const LiteralPrefilter &Gate = ByPath == Language::JavaScript ? ZohoUrlOrInfo : ZohoOrUrl;
    if (!Gate.anyIn(Sniff))
      return ByPath;
  }
  // (The first 4 KiB nearly always decide: each signal is one pass over what it reads.)
  if (ByPath == Language::JavaScript &&
      (hasJavaScriptSignal(Sniff.take_front(4096)) ||
       (Sniff.size() > 4096 && hasJavaScriptSignal(Sniff))))
    return ByPath;
  std::string HeadLower = Sniff.lower();
  StringRef HL(HeadLower);

  if (ByPath == Language::Text || ByPath == Language::JavaScript ||
      ByPath == Language::Markdown) {
    bool IsPlainJs = ByPath == Language::JavaScript &&
                     (LowerName.endswith(".js") || LowerName.endswith(".gs"));
    if (ByPath == Language::Text && hasDelugeSignal(HL))
      return Language::Deluge;
    if (IsPlainJs && looksLikeDelugeInJs(HL))
      return Language::Deluge;
    if (ByPath == Language::Markdown && looksLikeDelugeInMarkdown(HL))
      return Language::Deluge;
    return ByPath;
  }
  if (ByPath != Language::Unknown)
    return ByPath;

  // Nothing from the path: ask the content.
  Language ByShebang = languageForInterpreter(shebangInterpreter(Head));
  if (ByShebang != Language::Unknown)
    return ByShebang;
  if (startsWithPhp(Head))
    return Language::PHP;
  if (!HasExtension && hasDelugeSignal(HL))
    return Language::Deluge;
  // Any other text file: the generic lexer (the engine's gate keeps its cost near zero).
  if (hasBinaryExtension(LowerName) || Head.take_front(8192).contains('\0'))
    return Language::Unknown;
  return Language::Generic;
}

std::string genericExtension(StringRef Path) {
  size_t Slash = Path.find_last_of("/\\");
  StringRef Name = Slash == StringRef::npos ? Path : Path.substr(Slash + 1);
  size_t Dot = Name.rfind('.');
  if (Dot == StringRef::npos || Dot == 0 || Dot + 1 == Name.size())
    return "(none)";
  return Name.substr(Dot).lower();
}

} // namespace atm
