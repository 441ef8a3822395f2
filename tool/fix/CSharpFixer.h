#pragma once
/// \file
/// C# pieces of the syntax-tree fixer (rules/fix/csharp.yaml; SyntaxFixer.cpp calls them
/// for the recipe file whose helper language is csharp). Header kinds:
///   receiver-argument  `client.GetAsync(url)` becomes `{rename}(client, url)`: the helper's
///             method of the same name sends the request with the header (per request,
///             HttpClient; retried once after a 401 where the request can be repeated);
///   wrap-receiver  `wc.DownloadString(url)` becomes `{wrap-argument}.DownloadString(url)`
///             with {arg} the receiver (WebClient: the helper sets its Authorization header
///             and returns it, so every request reads a fresh token);
///   statement-before  the call's argument `position` (a plain name: the request object)
///             gets the `statement` template ({arg}, {value}) on a line of its own before
///             the statement holding the call (RestSharp: `client.Execute(request)` after
///             `request.AddHeader("Authorization", …);`).
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
/// namespace), or nullopt with \p Why. \p Statement: the statement holding the call.
std::optional<std::vector<TextEdit>> csharpHeaderEdits(llvm::StringRef Text,
                                                       const syntax::CallSite &Call,
                                                       syntax::ByteRange Statement,
                                                       const Idiom &I, llvm::StringRef Value,
                                                       llvm::StringRef NS, std::string &Why);

/// Why a `Zoho-authtoken` header value in \p Statement is not replaced in place (empty: it
/// is): a client's DefaultRequestHeaders are set once and would outlive the one-hour token.
std::string csharpHeaderNote(llvm::StringRef Text, syntax::ByteRange Statement);

/// `using {ns};` (\p Import expanded) unless the file has it: after the last top-level
/// using directive, else at the top (after leading comments), followed by a blank line.
std::vector<TextEdit> csharpImportEdits(llvm::StringRef Text, llvm::StringRef Import);

} // namespace atm::fix
