#pragma once
/// \file
/// The languages authtoken-migrate knows, how a file is assigned one, and the lexers
/// that split a file into code / string / comment / config spans.
/// Table: tool/lang/Languages.def.

#include <optional>
#include <string>

#include "core/Span.h"
#include "llvm/ADT/StringRef.h"

namespace atm {

/// Which lexer a language uses (several languages share one).
enum class LexerKind : uint8_t {
  CFamily,      ///< // and /* */; "…" and '…' with backslash escapes; C++ R"d(…)d";
                ///< Go `raw`; Java/Kotlin """text blocks""" with Kotlin ${…}/$name templates
  CSharp,       ///< CFamily + @"verbatim", $"interpolated {x}", $@"…", """raw"""
  JavaScript,   ///< CFamily + `template ${expr}` literals (nested) + regex literals
  CoffeeScript, ///< # and ### block ###; "…#{x}…", '…', """…""", '''…'''
  Python,       ///< #; '…' "…" '''…''' """…""" with r/b/u/f prefixes; f-string {expr}
  Ruby,         ///< #, =begin/=end; "…#{x}…", '…', %q() %Q() %w() %(), heredocs <<~ID <<-ID <<ID
  PHP,          ///< Text outside <?php … ?>; // # /* */; '…', "…$x {$x}…", heredoc/nowdoc
  Perl,         ///< #, POD (=pod … =cut); '…', "…", q{} qq{} qw{}, heredocs
  Elixir,       ///< #; "…#{x}…", '…', """heredoc""", ~s(…) sigils
  Shell,        ///< #; '…', "…$(cmd) ${var}…", $'…', heredocs <<EOF <<-'EOF'
  Deluge,       ///< // and /* */; "…" (backslash escapes); otherwise code
  Env,          ///< KEY=value lines, optional `export`, # comments, quoted values
  Properties,   ///< key=value / key: value / key value, # and ! comments, \ continuations
  Ini,          ///< [section], key = value, ; and # comments
  Toml,         ///< key = value, [table], # comments, strings
  Yaml,         ///< key: value (block and flow), # comments, quoted and block scalars
  Json,         ///< strings followed by ':' are keys, other strings/scalars values; // and /* */ tolerated
  Xml,          ///< <!-- --> comments; element/attribute names are keys; attribute values and text are values
  Markdown,     ///< prose is Text; fenced and indented code blocks are String (code in docs)
  PlainText,    ///< everything is Text
  Generic,      ///< files of no known language: "…"/'…' with escapes; #, //, --, /* */ and
                ///< line-start ; comments only at a line start or after a blank; else code
};

enum class Language : uint8_t {
#define LANGUAGE(Enum, Name, Lexer, Exts, Files, Shebangs) Enum,
#include "lang/Languages.def"
  Unknown,
};

/// "python", "cpp", …; "unknown" for Language::Unknown.
llvm::StringRef languageName(Language L);
/// Parses a language name (as printed by languageName); nullopt if unknown.
std::optional<Language> parseLanguage(llvm::StringRef Name);
LexerKind lexerKind(Language L);
/// True for .env, .properties, INI, TOML, YAML, JSON and XML.
bool isConfigLanguage(Language L);
/// True for Markdown and plain text.
bool isDocLanguage(Language L);

/// Assigns a language to a file from its path (extension or file name) and, where the
/// path says nothing or may lie, from its first bytes (\p Head, up to a few KiB):
///  - a shebang line (`#!/usr/bin/env python3`, `#!/bin/bash`) names the interpreter;
///  - PHP without extension (`<?php` at the start);
///  - Deluge saved as .txt/.js/.md/none (invokeurl followed by `[`, `zoho.crm.`,
///    `zoho.books.`, `zoho.creator.`, getUrl(/postUrl( together with `info ` or `map()`
///    or `Map()` or `for each … in`);
///  - a `Vagrantfile` is Ruby; shell embedded in it is lexed as Ruby strings.
/// When nothing fits, a text file is Language::Generic (lexed by the generic lexer; the
/// engine scans it only when it mentions a Zoho host or legacy scope and an authtoken
/// marker, see RuleEngine::mayMatch()). Language::Unknown (skipped) is left for files that
/// look binary: a NUL byte in \p Head, or a binary format's extension (.png, .zip, .pdf,
/// .class, …).
Language detectLanguage(llvm::StringRef Path, llvm::StringRef Head);

/// The extension a Language::Generic file is counted under in the scan summary: the
/// lower-cased last extension of \p Path (".lua"), or "(none)" (`Jenkinsfile`, `.foorc`).
std::string genericExtension(llvm::StringRef Path);


/// Splits \p Text (the whole file, bytes as read; may hold CRLF, a UTF-8 BOM, invalid
/// UTF-8) into spans. Never fails: unterminated constructs run to the end of the file.
/// Linear time; no recursion deeper than the nesting of interpolations (bounded).
SpanMap lex(Language L, llvm::StringRef Text);

} // namespace atm
