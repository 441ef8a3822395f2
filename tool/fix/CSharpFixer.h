#pragma once
/// \file
/// C# pieces of the syntax-tree fixer (rules/fix/csharp.yaml; SyntaxFixer.cpp calls them
/// for the recipe file whose helper language is csharp). Header kinds:
///   receiver-argument  `client.GetAsync(url)` becomes `{rename}(client, url)`: the helper's
///             method of the same name sends the request with the header (per request,
///             HttpClient; retried once after a 401 where the request can be repeated);
///   wrap-receiver  `wc.DownloadString(url)` becomes `{wrap-argument}.DownloadString(url)`
///             with {arg} the receiver (WebClient: the helper sets its Authorization header
///             and returns it, so every request reads a fresh token).
/// Imports: `using {ns};` after the file's last top-level using directive.

#include <optional>
#include <string>
#include <vector>

#include "core/TextEdit.h"
#include "fix/Recipe.h"
#include "syntax/Model.h"

namespace atm::fix {

/// True for the header kinds above.
bool isCSharpHeaderKind(llvm::StringRef Kind);

/// The edits giving \p Call the header (\p Value: the helper's header value, \p NS its
/// namespace), or nullopt with \p Why.
std::optional<std::vector<TextEdit>> csharpHeaderEdits(llvm::StringRef Text,
                                                       const syntax::CallSite &Call, const Idiom &I,
                                                       llvm::StringRef Value, llvm::StringRef NS,
                                                       std::string &Why);

/// RestSharp (a file that names it): the carrier statement \p Statement is
/// `req.AddParameter("authtoken", t)` / AddQueryParameter / AddOrUpdateParameter: the edit
/// making it `req.AddHeader("Authorization", {value})` in place (a second such statement on
/// the same request in the same function is only removed: \p Removal), or nullopt when the
/// statement is no such call or cannot be fixed (\p What then says why: a retired endpoint
/// named in the function, an Authorization header not from the helper; else empty).
/// \p What: the summary line.
std::optional<std::vector<TextEdit>>
csharpRestSharpParameter(llvm::StringRef Text, const syntax::FileModel &M,
                         syntax::ByteRange Statement, llvm::ArrayRef<TextEdit> Removal,
                         llvm::StringRef Value, std::string &What);

/// Why a `Zoho-authtoken` header value in \p Statement is not replaced in place (empty: it
/// is): a client's DefaultRequestHeaders are set once and would outlive the one-hour token.
std::string csharpHeaderNote(llvm::StringRef Text, syntax::ByteRange Statement);

/// `using {ns};` (\p Import expanded) unless the file has it: after the last top-level
/// using directive, else at the top (after leading comments), followed by a blank line.
std::vector<TextEdit> csharpImportEdits(llvm::StringRef Text, llvm::StringRef Import);

} // namespace atm::fix
