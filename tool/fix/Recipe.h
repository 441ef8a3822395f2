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
/// Ruby kinds (trailing `k => v` / `k: v` arguments form one hash argument):
///   hash      the headers hash is positional argument `position` (`Net::HTTP.get(uri,
///             headers)`, RestClient, Faraday's `conn.get(url, params, headers)`): a hash
///             literal or the trailing pairs get `entry`, a headers variable is merged
///             (`merge`), a missing one is added (`argument`, after `filler`s; trailing pairs
///             before it become a `{…}` literal); with `keyword` (HTTParty `headers:`) the
///             headers are that entry of the options hash at `position`;
///   form-body the form at argument `position` becomes a body: the call is renamed
///             (`rename`: post_form -> post), the form wrapped (`wrap-argument`, `filler`
///             when the form is left empty) and `argument` (the headers) added after it;
///   statement a request or connection object assigned to a local variable (`req =
///             Net::HTTP::Get.new(uri)`, `conn = Faraday.new(…)`), or the receiver of the
///             call (`req.set_form_data(…)`), gets the `statement` template ({var}) on a line
///             after it; without a variable, the `hash` kind at `position` if one is given.
/// `file-match` (RE2 on the file's text) limits an idiom to files that match it (`get(…)`
/// inside a class that does `include HTTParty`).
/// Templates: `entry` (a header map entry), `argument` (a new argument), `merge` (an
/// existing value merged: {expr}), `options-argument`, `options-merge`, `wrap-argument`
/// ({arg}); {value} is the header value and {ns} the helper namespace everywhere.

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
  /// form-body: the method name the rewritten call uses.
  std::string Rename;
  /// statement: the line added after the request object's statement ({var}, {value}, {ns}).
  std::string Statement;
  /// The idiom applies only in files whose text matches (empty: every file).
  std::string FileMatchPattern;
  std::shared_ptr<re2::RE2> FileMatch;
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
