#pragma once
/// \file
/// Java for the generic syntax-tree fixer (rules/fix/java.yaml; tool/fix/Recipe.h
/// documents the header kinds java-statement and java-chain). SyntaxFixer.cpp calls
/// these from its small Java hooks: the request edits, the import, the helper's source
/// root and the `list.add(new BasicNameValuePair("authtoken", t));` carrier.

#include <optional>
#include <string>
#include <vector>

#include "core/TextEdit.h"
#include "fix/Recipe.h"
#include "syntax/Model.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

namespace atm::fix {

/// The source root of the Java file \p Path (root-relative display path): its directory
/// without the directories of its `package` declaration ("" = the scan root). nullopt
/// (with \p Why) when the directory does not end with the package's path: the helper's
/// place and import would not compile.
std::optional<std::string> javaSourceRoot(llvm::StringRef Path, llvm::StringRef Text,
                                          std::string &Why);

/// The edits giving the request \p Call the header \p Value, per the idiom's kind:
///   java-statement  `statement` ({var}, {value}) on a line after the statement that holds
///                   the request object; `keyword` says where that object is:
///                   `openConnection` (the connection opened from this `new URL(…)`,
///                   directly or through the URL's variable), `assigned` (the variable
///                   the call is assigned to), `receiver` (the call's receiver);
///   java-chain      `chain-header` ({value}) right after the call (a builder method).
std::optional<std::vector<TextEdit>> javaHeaderEdits(llvm::StringRef Text,
                                                     const syntax::FileModel &M,
                                                     const syntax::CallSite &Call, const Idiom &I,
                                                     llvm::StringRef Value, std::string &Why);

/// The `import` line \p Line after the file's last import (else after its package
/// declaration, else at the top); none when \p Line is already there.
std::vector<TextEdit> javaImportEdits(llvm::StringRef Text, llvm::StringRef Line);
/// The same for several lines (Java, Kotlin, Scala: the helper's import and an
/// idiom's `imports`), in one insertion; a line already there, or a wildcard
/// import of its package
/// (`import a.b.*`, Scala `import a.b._`), is not added again.
std::vector<TextEdit> javaImportEdits(llvm::StringRef Text, llvm::ArrayRef<std::string> Lines);

/// `params.add(new BasicNameValuePair("authtoken", t));` at \p Offset: the statement and
/// the list it fills (a plain name); nullopt when there is none at that place.
struct JavaPairStatement {
  syntax::ByteRange Statement;
  std::string Variable;
  syntax::ByteRange Scope;
  /// `list.add(new BasicNameValuePair("scope", "ZohoCRM…api"));` statements of the same
  /// list in the same method (the dead companion).
  std::vector<syntax::ByteRange> Companions;
};
std::optional<JavaPairStatement> javaNameValuePair(llvm::StringRef Text, const syntax::FileModel &M,
                                                   uint32_t Offset);

/// Kotlin/Scala: the parameter call at \p Offset whose key is "authtoken", with
/// the edits removing it: a builder link inside a chain (OkHttp
/// `.addQueryParameter("authtoken", t)`, FormBody `.add(…)`, scalaj-http
/// `.param(…)`: the link goes, with a `scope=…api` companion link of the same
/// chain), or Ktor's `parameter("authtoken", t)` statement in a request block
/// (the statement goes). \p Call is the call the request is looked for from:
/// the link itself (its chain), or the call whose block holds the statement.
struct JvmParameterLink {
  syntax::ByteRange Range;
  syntax::ByteRange Scope;
  std::vector<TextEdit> Removal;
  const syntax::CallSite *Call = nullptr;
};
std::optional<JvmParameterLink> jvmParameterLink(llvm::StringRef Text, const syntax::FileModel &M,
                                                 uint32_t Offset);

/// Kotlin/Scala: when the pair \p KV (with \p Gone - 1 companions) is all a
/// query-parameter link of a chain passes
/// (`.withQueryStringParameters("authtoken" -> t)`, scalaj-http
/// `.params(Map("authtoken" -> t))`), the edit removing that whole link.
std::optional<TextEdit> jvmEmptiedLink(llvm::StringRef Text, const syntax::FileModel &M,
                                       const syntax::KeyValue &KV, size_t Gone);

/// Kotlin, header kind `kotlin-block` (Ktor): the request block of \p Call (its
/// trailing lambda, `client.get(url) { … }`) gets the `statement` template
/// ({value}) as its first statement; a call without a block gets one (` {
/// header(…) }`).
std::optional<std::vector<TextEdit>> kotlinBlockEdits(llvm::StringRef Text,
                                                      const syntax::FileModel &M,
                                                      const syntax::CallSite &Call, const Idiom &I,
                                                      llvm::StringRef Value, std::string &Why);

} // namespace atm::fix
