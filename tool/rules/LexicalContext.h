#pragma once
/// \file
/// The lexer-level approximation of a finding's RequestContext (core/Attribution.h),
/// computed from a file's SpanMap for every language the lexers cover:
///  - literal: the string (with its interpolated parts), config value or comment the
///    anchor is in;
///  - expression: the literals and identifiers concatenated with it (`BASE + "…"`,
///    `f"{BASE}…"`, `CRM_URL . "…"`), each identifier resolved to the right-hand side of
///    its definition in the same file (`BASE = "…"`, `const CRM_URL = …`,
///    `define('CRM_URL', …)`, `static final String BASE = …`, `crmUrl: "…"`), transitively;
///    for config files, the keys sharing the key's prefix (`zoho.crm.url` for
///    `zoho.crm.authtoken`);
///  - statement: from the previous statement end (`;`, a block brace, or a newline
///    outside brackets for newline-terminated languages) to the next, with the
///    definitions of the identifiers it uses;
///  - blocks, innermost first: brace blocks (C family, Java, C#, JS/TS, PHP, Go, Deluge,
///    shell functions), `def`/`class` indentation blocks (Python, Ruby, CoffeeScript,
///    Elixir), a Markdown fenced code block (re-lexed in the fence's language) or
///    paragraph, a config paragraph or indentation parent; with the definitions used;
///  - sections: Markdown heading sections, INI/TOML tables.
/// Built once per file in linear time; queries are logarithmic plus the size of the
/// levels (definition look-ups per block are cached).

#include <memory>
#include <vector>

#include "core/Attribution.h"
#include "core/Span.h"
#include "lang/Language.h"
#include "llvm/ADT/STLFunctionalExtras.h"

namespace atm {

class LexicalContext {
public:
  LexicalContext(Language L, llvm::StringRef Text, const SpanMap &Spans);
  ~LexicalContext();
  LexicalContext(const LexicalContext &) = delete;
  LexicalContext &operator=(const LexicalContext &) = delete;

  /// The context of a finding at the bytes [Begin, End). When \p More is given, it is
  /// asked after each level; once it returns false the wider levels are not computed.
  RequestContext at(size_t Begin, size_t End,
                    llvm::function_ref<bool(const RequestContext &)> More = {}) const;

  /// The config section holding \p Begin and the key path above it: first the innermost
  /// section's whole range — the nearest indentation parent's block (YAML, pretty-printed
  /// JSON, XML, HOCON `name {`) or INI/TOML table, whichever is narrower — then the
  /// header line of each enclosing one, outward. Just the whole file in flat config files
  /// (.env, .properties), at the top level, and in code.
  std::vector<ByteRange> sectionPath(size_t Begin) const;

  struct Impl;

private:
  std::unique_ptr<Impl> I;
};

} // namespace atm
