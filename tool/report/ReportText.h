#pragma once
/// \file
/// Text hygiene shared by the CI report writers (JUnit, Markdown, CSV, Code Quality):
/// UTF-8 repair, XML / Markdown / CSV escaping, and the cutoff wording. Pure functions.

#include <cstdint>
#include <optional>
#include <string>

#include "core/Finding.h"
#include "core/Text.h"
#include "llvm/ADT/StringRef.h"

namespace atm {

enum class TextClean {
  Utf8,     ///< invalid UTF-8 bytes become U+FFFD; everything else is kept
  Printable, ///< also drops C0 controls but tab, LF, CR (no escape sequences in a cell)
  Xml10,    ///< also drops what XML 1.0 forbids: C0 controls but tab/LF/CR, U+FFFE, U+FFFF
};

/// \p S as valid UTF-8: each byte that does not start a well-formed sequence (overlong
/// forms, surrogates and code points past U+10FFFF are not well-formed) becomes U+FFFD.
std::string cleanText(llvm::StringRef S, TextClean Mode = TextClean::Utf8);

/// XML 1.0 character data (\p Attribute = false: & < > escaped) or an attribute value in
/// double quotes (& < > " ' escaped, and tab/LF/CR as character references so parsers do
/// not normalise them to spaces). Cleans with TextClean::Xml10 first.
std::string xmlEscape(llvm::StringRef S, bool Attribute);

/// One GitHub-flavoured Markdown table cell of plain text: the characters that are active
/// inside a cell are backslash-escaped (\ ` * _ [ ] < > | ~ & $: no emphasis, links, HTML,
/// entities, math or cell breaks), line breaks become <br>, control characters go.
std::string markdownText(llvm::StringRef S);

/// A Markdown code span holding \p S literally, usable in a table cell: the fence is one
/// backtick longer than the longest run inside, `|` is escaped (GFM tables), line breaks
/// become spaces. Empty \p S gives "".
std::string markdownCode(llvm::StringRef S);

/// "1 file", "2 files"; \p Many when the plural is not \p One + "s".
std::string plural(uint64_t N, llvm::StringRef One, llvm::StringRef Many = "");

/// A URL with anything that could end a Markdown link destination or start markup
/// percent-encoded (controls, non-ASCII, ()<>"'`\|[]{}^).
std::string safeUrl(llvm::StringRef S);

/// One RFC 4180 field: a value starting with = + - @ (or tab / CR) gets a leading ' so a
/// spreadsheet does not evaluate it as a formula (CSV injection); a value holding a comma,
/// a double quote, CR or LF is quoted with inner quotes doubled.
std::string csvField(llvm::StringRef S);

/// True when the finding's cutoff is on or before \p AsOf; nullopt without a cutoff.
std::optional<bool> cutoffPassed(const Finding &F, const Date &AsOf);

/// "past cutoff since 2018-12-31" / "cutoff on 2027-03-31" (+ ", date unconfirmed"): the
/// status without a day count, so it reads the same every day. "" without a cutoff.
std::string stableCutoffStatus(const Finding &F, const Date &AsOf);

} // namespace atm
