#pragma once
/// \file
/// The settings of a configuration file as byte ranges, for the config fixer
/// (ConfigFixer.cpp), which replaces an authtoken setting by OAuth settings in the file's
/// own syntax. One tolerant reader per format: none validates the file; each finds the
/// key/value entries, where their key and value are spelled, and which container
/// (section, mapping, object, parent element) they belong to. Entries a reader recognises
/// but that cannot be rewritten as one setting (a multi-line value, a nested mapping)
/// carry the reason in Unsupported.
///
///   .env         `[export ]KEY=value` ('…' / "…" quotes, `#` comments); one container
///   .properties  `key=value`, `key: value`, `key value`; the container is the key's
///                dotted prefix (`zoho.crm.`); `\` continuations are multi-line
///   INI / HOCON  `[section]` starts a container, `name {` … `}` nests one (HOCON);
///                `key = value`, `key: value`
///   TOML         `[table]`, `[[array]]`; `key = value`; inline tables `{ k = v }` are
///                read like JSON objects
///   YAML         block mappings by indentation (sequence items `- k: v` are mappings of
///                their own, `- NAME=value` items are docker-compose environment
///                entries), flow collections `{…}` / `[…]`; block scalars are multi-line
///   JSON         objects (JSONC comments tolerated)
///   XML          `<add key="K" value="V"/>` and `<entry key="K">V</entry>` (key from the
///                attribute), leaf elements `<K>V</K>` / `<K/>`; the container is the
///                parent element

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "lang/Language.h"

#include "llvm/ADT/StringRef.h"

namespace atm::fix {

enum class ConfigFormat : uint8_t { Env, Properties, Ini, Toml, Yaml, Json, Xml };

/// The format a config language's files are read as (HOCON `.conf` files are INI
/// files); nullopt for other languages.
std::optional<ConfigFormat> configFormat(Language L);

/// One key/value setting.
struct ConfigEntry {
  enum ShapeT : uint8_t {
    Line,    ///< alone on its line(s): `KEY=value`, `key: value`, `- KEY=value`
    Member,  ///< a member of an object or flow mapping, between separators
    Element, ///< an XML element: `<add key="K" value="V"/>`, `<K>V</K>`
  };
  ShapeT Shape = Line;
  /// The entry: Line from its key (or `export `, `- `) to the end of its last line (the
  /// line break excluded); Member from the key (its quote included) to the value's end;
  /// Element from `<` to the end of the closing tag.
  size_t Begin = 0, End = 0;
  /// A new entry is made from [Begin, CopyEnd) (Line: without a trailing comment).
  size_t CopyEnd = 0;
  /// Where the key is spelled, quotes excluded (an XML leaf element: both tag names).
  std::vector<std::pair<size_t, size_t>> Keys;
  /// The value token as written (quotes included; Raw values: the text only). An empty
  /// range where the entry has no value.
  size_t ValBegin = 0, ValEnd = 0;
  /// The value without its quotes.
  size_t InnerBegin = 0, InnerEnd = 0;
  char Quote = 0;           ///< the value's quote character, 0 if unquoted
  bool Null = false;        ///< no value, or null / ~ / nil
  bool Raw = false;         ///< the value is part of a larger token (`- K=v`, XML text or
                            ///< attribute): a new value is written without quotes
  bool Flow = false;        ///< YAML: inside a flow collection
  bool SelfClosing = false; ///< XML `<K/>`
  bool ItemStart = false;   ///< YAML: the first key of a sequence item (`- k: v`)
  bool EnvItem = false;     ///< YAML: a `- NAME=value` sequence item
  bool KeyAttribute = false; ///< XML: the key is a `key="…"` attribute
  /// Why the entry cannot be rewritten as one setting ("" = it can).
  std::string Unsupported;
  /// Entries with the same Container are siblings (same section, mapping, object,
  /// parent element; .properties: the same dotted prefix).
  std::string Container;

  llvm::StringRef key(llvm::StringRef Text) const {
    return Keys.empty() ? llvm::StringRef() : Text.slice(Keys[0].first, Keys[0].second);
  }
  llvm::StringRef inner(llvm::StringRef Text) const { return Text.slice(InnerBegin, InnerEnd); }
  /// True if \p Offset lies in the entry.
  bool contains(size_t Offset) const { return Offset >= Begin && Offset < std::max(End, Begin + 1); }
};

/// Every entry of \p Text in text order (entries of nested containers included). Linear
/// in the size of the text; nesting deeper than 200 levels ends the reading of that
/// collection.
std::vector<ConfigEntry> parseConfigEntries(ConfigFormat F, llvm::StringRef Text);

} // namespace atm::fix
