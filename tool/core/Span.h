#pragma once
/// \file
/// Lexical spans: what a lexer tells the rule engine about each byte range of a file.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "llvm/ADT/StringRef.h"

namespace atm {

/// What a byte range of a source file is. Rules say where they apply in these terms.
enum class SpanKind : uint8_t {
  Code,        ///< program text outside strings and comments (also interpolated
               ///< expressions inside strings: `${x}`, `#{x}`, `{x}` in f-strings)
  String,      ///< the contents of a string literal, quotes included
  Comment,     ///< a comment, delimiters included
  ConfigKey,   ///< a key in a config file (.env, .properties, INI, YAML, TOML, JSON key, XML name)
  ConfigValue, ///< a value in a config file (including XML text and attribute values)
  Text,        ///< prose: Markdown, plain text, HTML outside <?php ?>
};

/// Returns the lower-case name used in rule files ("code", "string", ...).
llvm::StringRef spanKindName(SpanKind K);
/// Parses a rule-file name; returns false if unknown.
bool parseSpanKind(llvm::StringRef Name, SpanKind &Out);

/// A half-open byte range [Begin, End) of one kind.
struct Span {
  size_t Begin = 0;
  size_t End = 0;
  SpanKind Kind = SpanKind::Code;
};

/// The lexer's result: spans sorted by Begin, non-overlapping, covering the whole
/// file without gaps (so every byte has exactly one kind).
class SpanMap {
public:
  SpanMap() = default;
  explicit SpanMap(std::vector<Span> Spans) : Spans(std::move(Spans)) {}

  /// The kind of the byte at Offset (Code past the end or for an empty map).
  SpanKind kindAt(size_t Offset) const;
  /// The span containing Offset, or nullptr.
  const Span *spanAt(size_t Offset) const;
  const std::vector<Span> &spans() const { return Spans; }

private:
  std::vector<Span> Spans;
};

} // namespace atm
