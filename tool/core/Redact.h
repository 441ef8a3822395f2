#pragma once
/// \file
/// Secret redaction for every output of the tool (reports, `lex`, error messages, the
/// mock server's log): finds credential values — authtokens, passwords, client secrets,
/// API keys and tickets, OAuth refresh/access tokens and bare token shapes — up to the
/// value's real delimiter, and replaces each by a fixed-size mask. README "Secrets in
/// the output" describes the rules. Depends on nothing but LLVM Support and RE2, so any
/// library (the mock server included) can link atm_core and call it.

#include <cstdint>
#include <string>
#include <vector>

#include "core/Span.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

namespace atm {

/// What a secret value is; decides how much of it the mask keeps.
enum class SecretKind : uint8_t {
  Token,    ///< authtoken, API key, ticket, OAuth token: may keep a 4-character prefix
  Password, ///< password, client secret: always masked completely
};

/// A secret value: bytes [Begin, End) of the text it was found in.
struct SecretRange {
  size_t Begin = 0;
  size_t End = 0;
  SecretKind Kind = SecretKind::Token;
};

/// The mask that replaces every secret: U+2026 "…", after the kept prefix if any.
inline constexpr llvm::StringLiteral SecretMask = "\xE2\x80\xA6";

/// Finds the secret values of \p Text whose key (or, for bare tokens, whose first
/// byte) lies in [From, To); a value may run past To (a quoted value continued on
/// later lines). \p Spans, if given, is the lexer's map of \p Text: string and config
/// value spans then decide where a value ends. Without it, quotes are found by a
/// quote-state scan from \p From (which should be a line start). Sorted, disjoint.
std::vector<SecretRange> findSecrets(llvm::StringRef Text, size_t From, size_t To,
                                     const SpanMap *Spans = nullptr);

/// Bytes [Begin, End) of \p Text with the parts covered by \p Ranges replaced by
/// masks. A value spanning lines is masked line by line (line breaks are kept); a
/// value clipped at \p Begin keeps no prefix.
/// \p KeepPrefix false: no mask keeps a prefix.
std::string applySecretMasks(llvm::StringRef Text, size_t Begin, size_t End,
                             llvm::ArrayRef<SecretRange> Ranges, bool KeepPrefix = true);

/// Masks every secret value in \p Text (a line, a snippet, a log line, an error
/// message), with quote contexts found by scanning \p Text itself.
std::string redactSecrets(llvm::StringRef Text);

/// Masks the secret values in \p Part, a slice of \p File (e.g. one line of it), using
/// the file around it for context: a value whose key is up to 8 lines above (a quoted
/// value split over lines) is masked too, and \p Spans (the lexer's map of \p File, if
/// given) supplies string and config-value boundaries. If \p Part does not point into
/// \p File, this is redactSecrets(Part).
std::string redactSecrets(llvm::StringRef Part, llvm::StringRef File,
                          const SpanMap *Spans);

/// redactSecrets(Part, File, Spans), and in \p FullyMasked the same text with every
/// mask complete (no kept prefix): the text fingerprints are computed from, so that a
/// finding's fingerprint never depends on a token's value (README "Baselines").
std::string redactSecrets(llvm::StringRef Part, llvm::StringRef File, const SpanMap *Spans,
                          std::string &FullyMasked);

} // namespace atm
