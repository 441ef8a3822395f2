#pragma once
/// \file
/// Fix recipes: data under rules/fix/<language>.yaml (embedded with the rules; the rule
/// loader skips them by their top-level `recipes-for:` key). A recipe file says, for the
/// languages of one syntax family, how the generated helper is imported and called, and,
/// per HTTP idiom, which calls send requests and how such a call gets the OAuth header:
///
///   recipes-for: python                # helper language (`helper --lang python`)
///   languages: [python]                # scanner languages the file serves
///   import: "import {ns}"              # added once per file, placed like the file's imports
///   import-match: '^\s*import\s+{ns}\b'# already imported (idempotence; {ns} expanded)
///   header-value: "{ns}.shared().authorization_header()"
///   token-value: "{ns}.shared().access_token()"   # a bare access token
///   generation-return: "return {value}"  # the new body of a legacy generation function
///   retry:                             # optional: the 401-retry wrapper around a call
///     wrap: "{ns}.shared().with_retry_on_invalid_token(lambda zoho_authorization: {call})"
///     header-value: "zoho_authorization"
///   idioms:
///     - id: python-requests
///       callee: '^(requests|httpx)\.(get|post|…)$'   # RE2 on the callee as written
///       header: keyword                # how the header is given (below)
///       keyword: headers
///       retry: true                    # wrap the call (when not awaited)
///       imports: ["import urllib.request"]   # extra imports the edit needs
///
/// `header` kinds (the engine's generic edits, tool/fix/SyntaxFixer.cpp):
///   keyword   a keyword argument (`headers=`): an existing dict literal gets an entry, any
///             other value is merged (`merge`), a missing one is added (`argument`);
///   position  like keyword, but the value may also be positional argument `position`;
///   options   an options object at argument `position` (JS fetch/axios): its `keyword`
///             entry (an object) gets the entry, a missing entry or a missing options
///             argument is added; an identifier is spread (`options-merge`);
///   request-argument  the call's argument `position` is a URL or a request object: a
///             request construction inside it is handled by the idiom `inner` names, any
///             other value is wrapped with `wrap-argument`.
/// Templates: `entry` (a header map entry), `argument` (a new argument), `merge` (an
/// existing value merged: {expr}), `options-argument`, `options-merge`, `wrap-argument`
/// ({arg}); {value} is the header value and {ns} the helper namespace everywhere.
///
/// PHP kinds (rules/fix/php.yaml; arrays are `[…]` or `array(…)`):
///   php-options  an options array at argument `position` (Guzzle, WordPress): its `keyword`
///             entry (an array) gets `entry` (an existing Authorization entry gets the value),
///             another value is merged (`merge`), a missing entry is added (`argument`), a
///             missing options argument too (`options-argument`), a variable is merged
///             (`options-merge`);
///   curl      a request configured on a curl handle ({handle}, from `$ch = curl_init(…)` or
///             the call's first argument) in steps: every CURLOPT_HTTPHEADER value of that
///             handle in the function is wrapped (`wrap-argument`, {arg}); without one, an
///             array given to curl_setopt_array gets `entry`, else the statement `argument`
///             follows the handle's creation. The call that sends (`send`, RE2 on the callee,
///             e.g. curl_exec) gets the callee `send-retry` when the answer is returned
///             (CURLOPT_RETURNTRANSFER) and nothing streams;
///   stream-context  a stream context at argument `position` (file_get_contents, fopen;
///             missing arguments before it: `filler`): a missing one is `options-argument`,
///             a `stream_context_create(…)` call, inline or in a variable used by this request
///             only, is edited as the idiom `inner` says;
///   stream-options  stream_context_create's options array: `http` => `header` gets the
///             header line `line` (a list: appended; a string: joined with "\r\n"); a missing
///             `header` entry is `entry`, a missing `http` entry `argument`, a missing array
///             `options-argument`.

#include <memory>
#include <string>
#include <vector>

#include "lang/Language.h"

#include "re2/re2.h"
#include "llvm/Support/Error.h"

namespace atm::fix {

struct Idiom {
  std::string Id;
  std::string CalleePattern;
  std::shared_ptr<re2::RE2> Callee;
  std::string Header;   ///< keyword | position | options | request-argument
  std::string Keyword;  ///< headers
  int Position = -1;
  bool Retry = false;
  std::string Inner;    ///< request-argument: the idiom of a request built inline
  std::vector<std::string> Imports;
  // Templates (empty: the file-level default).
  std::string Entry, Argument, Merge, OptionsArgument, OptionsMerge, WrapArgument;
  /// Filler for missing positional arguments before `position` (JS: "undefined").
  std::string Filler;
  unsigned Line = 0; ///< in the recipe file
  /// PHP kinds: a header line ("'Authorization: ' . {value}"); the call that sends a request
  /// configured in steps (curl_exec) and the callee replacing it to retry once after a 401.
  std::string HeaderLine, SendPattern, SendRetry;
  std::shared_ptr<re2::RE2> Send;
};

struct RecipeFile {
  std::string Path;      ///< "<builtin>/rules/fix/python.yaml"
  std::string HelperLang;
  std::vector<Language> Languages;
  std::string Import, ImportMatch, HeaderValue, RetryWrap, RetryValue;
  /// A legacy token-generation function (e-mail + password -> apiauthtoken/nb/create)
  /// gets this body: `generation-return` with {value} = `token-value` (empty: left for a
  /// person). Only for grammars whose functions have an indented `block` body (Python).
  std::string TokenValue, GenerationReturn;
  std::string Entry, Argument, Merge, OptionsArgument, OptionsMerge, WrapArgument;
  std::vector<Idiom> Idioms;

  const Idiom *idiomFor(llvm::StringRef Callee) const;
  const Idiom *idiom(llvm::StringRef Id) const;
};

/// Parses one recipe file; errors name the file and line.
llvm::Expected<RecipeFile> parseRecipeFile(llvm::StringRef Content, llvm::StringRef Path);
/// The built-in recipe files (rules/fix/), parsed once.
llvm::Expected<const std::vector<RecipeFile> &> builtinRecipes();

} // namespace atm::fix
