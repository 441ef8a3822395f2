#pragma once
/// \file
/// Text helpers every fixer uses: lines, indentation, newline style, and edits that keep
/// the file's conventions (a removed line takes its newline with it; inserted lines use
/// the file's newline and the neighbouring indentation).

#include <string>
#include <vector>

#include "core/TextEdit.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringRef.h"

namespace atm::fix {

/// "\r\n" when the file's first line break is CRLF, else "\n".
llvm::StringRef newlineOf(llvm::StringRef Text);
/// Offset of the first byte of the line holding \p Offset.
size_t lineBegin(llvm::StringRef Text, size_t Offset);
/// Offset just past the line break of the line holding \p Offset (or Text.size()).
size_t lineEndWithBreak(llvm::StringRef Text, size_t Offset);
/// Offset of the line break (or Text.size()) of the line holding \p Offset.
size_t lineEnd(llvm::StringRef Text, size_t Offset);
/// The leading blanks of the line holding \p Offset.
llvm::StringRef indentOf(llvm::StringRef Text, size_t Offset);
/// True if the bytes of [Begin, End) and the rest of their lines are only blanks, i.e.
/// the range covers whole lines' content.
bool coversWholeLines(llvm::StringRef Text, size_t Begin, size_t End);
/// An insertion of \p Text at byte \p Offset.
TextEdit insertAt(size_t Offset, std::string Text);
/// The edit removing [Begin, End) and, when the range is alone on its lines, the lines
/// themselves (leading blanks and the line break).
TextEdit removeRange(llvm::StringRef Text, size_t Begin, size_t End);
/// The edit removing a list element [Begin, End) with one neighbouring separator
/// (\p Sep, e.g. ','): the following one (and blanks after it) when there is one, else
/// the preceding one (and blanks before the element); whole lines go with their break.
TextEdit removeListElement(llvm::StringRef Text, size_t Begin, size_t End, char Sep = ',');
/// 1-based line number of \p Offset.
unsigned lineNumber(llvm::StringRef Text, size_t Offset);
/// The root-relative directory of a display path ("" for a file at the root).
std::string directoryOf(llvm::StringRef DisplayPath);
/// Replaces every "{name}" in \p Template by \p Values' entry; "{{" and "}}" are braces.
std::string expand(llvm::StringRef Template,
                   std::initializer_list<std::pair<llvm::StringRef, llvm::StringRef>> Values);
/// Endpoints that did not survive the authtoken (CRM API v1 `/crm/private/…`, Creator API
/// v1 `/api/json|xml/…`; zoho-reference.md, rows confirmed by Zoho's docs): the "port to …"
/// advice for the first one named in \p Text, or "" (a header would not make them work).
std::string deadEndpoint(llvm::StringRef Text);
/// The retired API a whole file builds URLs of: its product id ("crm", "creator") and the
/// advice, when \p Text names a dead endpoint and no newer API of that product (CRM:
/// `/crm/v2`, `/crm/v3`, `zohoapis.`; Creator: `/api/v2`); else an empty product.
struct RetiredApi {
  std::string Product, Advice;
};
RetiredApi retiredApiOfFile(llvm::StringRef Text);
/// The same over several files (a repository): each retired API some text names when no
/// text names a newer API of that product (a client whose v1 base URL is set in another
/// file, a service provider or a config).
std::vector<RetiredApi> retiredApisOfFiles(llvm::ArrayRef<llvm::StringRef> Texts);
/// True for a character of an identifier in the fixers' languages (letters, digits, `_`, `$`).
inline bool isIdentChar(char C) { return llvm::isAlnum(C) || C == '_' || C == '$'; }
/// True if \p Word occurs in \p Text as a whole identifier.
bool mentionsIdentifier(llvm::StringRef Text, llvm::StringRef Word);
/// True if \p Text names a surviving API of retired product \p Product (`/crm/v2`, …).
bool namesNewerApi(llvm::StringRef Text, llvm::StringRef Product);

/// True for a `scope` value that only the legacy API read (crmapi, ZohoBooks/booksapi, …),
/// the dead companion of the authtoken; false for Recruit's `recruitapi`, which Zoho's
/// migration guide keeps on the OAuth URL (zoho-reference.md).
bool isLegacyScopeValue(llvm::StringRef V);

} // namespace atm::fix
