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
///   generation-store: "{target} = {value}"  # … that stores the token in a field
///   (also token-value-async, generation-callback, generation-promise,
///   generation-promise-store: see RecipeFile)
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
/// Keys for languages whose helper is asynchronous (JavaScript; all optional, default off):
///
///   import-esm: "import { ZohoOAuth } from './zoho-oauth.cjs';"   # ES modules / TypeScript
///   esm-files: [.mjs, .ts]             # always get import-esm
///   cjs-files: [.cjs]                  # always get import
///   esm-match: '(?m)^(import|export)\b'# other files: import-esm when this matches
///   header-value-async: true           # header-value holds `await`: used only where the
///                                      # code may await (an async function; a top-level
///                                      # statement of a top-level-await-files file)
///   top-level-await-files: [.mjs]
///   retry-when-awaited: true           # wrap awaited calls too (JS: the wrapper is awaited)
///   retry-promise: true                # the wrapper returns a promise: a call is wrapped only
///                                      # where its result is used as one (not `.x` of it),
///                                      # with the idiom's `chain` methods inside the wrapper
///   header-retry: true                 # a `Zoho-authtoken` value inside a retried call gets
///                                      # the wrapper's value instead of header-value
///   browser:                           # code that runs in a browser: every request finding
///     reason: "…"                      # is left with this reason
///     directories: [public, static]    # a path component
///     files: [.html, .vue]             # also claims files of other languages by extension
///     code: '\bwindow\.'              # RE2 on the code with strings and comments blanked
///     text: '(?m)^\s*.use client.'     # RE2 on the raw text
///     callees: '^\$\.ajax$'            # a call of one of these anywhere in the file
///
///   default-header:                    # a client's default header set to a legacy value
///     target: '^([\w$]+)\.defaults\.headers\.common\.Authorization$'   # RE2 on the
///                                      # assignment target (blanks dropped); group 1: client
///     module: '^axios$'                # the client is bound to this module (or so named)
///     statement: "{client}.interceptors.request.use(…)"   # replaces the statement;
///                                      # {client}, {value}, {ns}, {nl} (newline), {indent}
///     what: "…"                        # the summary line of the fix
///
///   callback-then:                     # a callback-style request outside code that may
///                                      # await, its value unused (an expression statement):
///                                      # sent once the helper's header is known
///     then: "ZohoOAuth.shared().getAuthorizationHeader().then((authorization) => {call}, (err) =>
///     {callback}(err))"
///                                      # {call}: the statement's expression with the header
///                                      # (retry.header-value names it); {callback}: where a
///                                      # helper error goes (the idiom's callback-error)
///     bind: "(({name}) => {then})({callback})"   # when that is not a plain name (an
///                                      # inline function): passed in once, as {name}
///     name: callback                   # {name} (prefixed `zoho` when the call uses it)
///     what: "…"                        # the summary line; {callee}, {errors}, {id}
///
/// Idiom keys for JavaScript-style calls:
///   module: '^request-promise$'        # the callee's first name must be bound to this module
///                                      # (`require('m')`, `import x from 'm'`, `import * as x`)
///   url-or-options: true               # argument 0 is the options when it is an object (or
///                                      # named like options), else the URL (options follow)
///   callback: true                     # a trailing callback may follow the options: a
///                                      # function there gets the options inserted before it
///   chain: [set, query, json]          # builder/promise methods called on the request that
///                                      # belong to it (inside the retry wrapper; a carrier in
///                                      # their arguments is sent by the request)
///   chain-header: ".set('Authorization', {value})"   # header: chain
///   callback-error: first              # callback-then: how the call reports errors: `first`
///                                      # (the callback's first argument: request's
///                                      # `cb(err, res, body)`, superagent's `.end(cb)`) or
///                                      # `listener` (node http(s): an `.on('error', h)` of
///                                      # the same statement; without one it is left)
///   callback-method: end               # the chain method taking the callback (superagent)
///   callback-chain: [on, once, end]    # methods that may follow the request in the
///                                      # statement (their results unused)
///
/// `header` kinds (the engine's generic edits, tool/fix/SyntaxFixer.cpp):
///   keyword   a keyword argument (`headers=`): an existing dict literal gets an entry, any
///             other value is merged (`merge`), a missing one is added (`argument`);
///   position  like keyword, but the value may also be positional argument `position`;
///   options   an options object at argument `position` (JS fetch/axios): its `keyword`
///             entry (an object) gets the entry, a missing entry or a missing options
///             argument is added; an identifier is spread (`options-merge`);
///   chain     a builder (superagent): `chain-header` goes right after the request call, or
///             an existing `.set('Authorization', …)` in the chain gets the value;
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
///   go-statement  Go: `req, err := <call>` followed by `if err != nil {…}` gets, after that
///             block, `statement` ({var}, {err}, {ns}) opening a block with the same body; the
///             helper package goes into <dir>/{ns}/, imported by the nearest go.mod's module path;
///             with `send-retry` ({ns}.Do), that request's `client.Do(req)` in the function
///             becomes `<send-retry>(client, req)` (the helper's 401 retry);
///   go-new-request  Go: `resp, err := http.Get(u)` (Head, Post, PostForm; also on an
///             *http.Client) followed by `if err != nil {…}` that ends the flow, or `return
///             http.Get(u)`, becomes `req, err := http.NewRequest(…)` + its error block +
///             `statement` ({var}, {err}, {ns}; the same body) + `resp, err := <send>`
///             + the error block; Post's content type and PostForm's form (`imports`:
///             strings) become a header and a body; with `send-retry` ({ns}.Do) the
///             request is sent as `<send-retry>(client, req)` (the helper's 401 retry);
///             otherwise left with `reason` ({callee});
///   java-statement  Java (tool/fix/JavaFixer.cpp): `statement` ({var}, {value}) on a line
///             after the statement holding the request object; `keyword` says where that
///             object is: `openConnection` (the connection opened from this `new URL(…)`,
///             directly or through the URL's variable), `assigned` (the variable the call is
///             assigned to), `receiver` (the call's receiver: `post.setEntity(…)`);
///   java-chain  Java: `chain-header` ({value}) right after the builder call; with
///             `send-retry`, a `client.send(req, handler)` of the built request's variable in
///             the same method becomes `<send-retry>(client, req, handler)`;
///   kotlin-block  Kotlin (Ktor, tool/fix/JavaFixer.cpp): the request block of the call
///             (`client.get(url) { … }`) gets `statement` ({value}) as its first statement;
///             a call without a block gets ` { <statement> }`. rules/fix/kotlin.yaml and
///             scala.yaml also use java-statement and java-chain (with `chain`: the methods
///             between a carrier link and the request call);
///   none      a known request that cannot take the header: left with `reason` ({callee}).
/// C# kinds (rules/fix/csharp.yaml, tool/fix/CSharpFixer.h):
///   receiver-argument  `client.GetAsync(url)` becomes `{rename}(client, url)` ({name}: the
///             method; the helper's method of that name sends the request with the header);
///   wrap-receiver  the call's receiver is wrapped with `wrap-argument` ({arg}).

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
  std::string Module;                 ///< RE2 on the module the callee's root is bound to
  std::shared_ptr<re2::RE2> ModuleRe; ///< compiled Module (null: any binding, or none)
  bool UrlOrOptions = false;
  bool Callback = false;
  std::vector<std::string> Chain;
  std::string ChainHeader;
  /// callback-then (RecipeFile::CallbackThen): "first" | "listener"; "" = not deferred.
  std::string CallbackError;
  std::string CallbackMethod;             ///< the chain method taking the callback ("end")
  std::vector<std::string> CallbackChain; ///< methods that may follow in the statement
  unsigned Line = 0; ///< in the recipe file
  /// form-body: the method name the rewritten call uses.
  std::string Rename;
  /// statement: the line added after the request object's statement ({var}, {value}, {ns}).
  std::string Statement;
  /// go-statement: the template of the statement inserted after the request's error check
  /// ({var}, {err}, {ns}); header `none`: a known request that cannot take the header, left
  /// for a person with this reason ({callee}).
  std::string Reason;
  /// The idiom applies only in files whose text matches (empty: every file).
  std::string FileMatchPattern;
  std::shared_ptr<re2::RE2> FileMatch;
  /// PHP kinds: a header line ("'Authorization: ' . {value}"); the call that sends a request
  /// configured in steps (curl_exec) and the callee replacing it to retry once after a 401.
  std::string HeaderLine, SendPattern, SendRetry;
  std::shared_ptr<re2::RE2> Send;
};

/// A client's default header assignment and the statement replacing it (`default-header:`).
struct DefaultHeaderRule {
  std::shared_ptr<re2::RE2> Target, Module;
  std::string Statement, What;
  bool enabled() const { return Target && !Statement.empty(); }
};

/// A callback-style request sent once the helper's header is known (`callback-then:`).
struct CallbackThenRule {
  std::string Then, Bind, Name, What;
  bool enabled() const { return !Then.empty(); }
};

/// Where browser code is recognised (a recipe file's `browser:` mapping).
struct BrowserRule {
  std::string Reason;
  std::vector<std::string> Directories, Files;
  std::shared_ptr<re2::RE2> Code, Text, Callees;
  bool enabled() const { return !Reason.empty(); }
};

struct RecipeFile {
  std::string Path;      ///< "<builtin>/rules/fix/python.yaml"
  std::string HelperLang;
  std::vector<Language> Languages;
  std::string Import, ImportMatch, HeaderValue, RetryWrap, RetryValue;
  /// A legacy token-generation function (e-mail + password -> apiauthtoken/nb/create)
  /// gets a body in its own result shape (tool/fix/Generation.h), {value} = `token-value`
  /// (`token-value-async` inside an async function): `generation-return` ({value}),
  /// `generation-store` ({target} = the field, {value}); JavaScript outside async code:
  /// `generation-callback` ({callback}), `generation-promise`, `generation-promise-store`
  /// ({target}). Empty `generation-return`: every flow is left for a person.
  std::string TokenValue, TokenValueAsync, GenerationReturn, GenerationStore,
      GenerationCallback, GenerationPromise, GenerationPromiseStore;
  std::string Entry, Argument, Merge, OptionsArgument, OptionsMerge, WrapArgument;
  std::string ImportEsm, EsmMatch;
  std::vector<std::string> EsmFiles, CjsFiles, TopLevelAwaitFiles;
  bool HeaderValueAsync = false, RetryWhenAwaited = false, RetryPromise = false,
       HeaderRetry = false;
  BrowserRule Browser;
  DefaultHeaderRule DefaultHeader;
  CallbackThenRule CallbackThen;
  std::vector<Idiom> Idioms;

  const Idiom *idiomFor(llvm::StringRef Callee) const;
  const Idiom *idiom(llvm::StringRef Id) const;
};

/// Parses one recipe file; errors name the file and line.
llvm::Expected<RecipeFile> parseRecipeFile(llvm::StringRef Content, llvm::StringRef Path);
/// The built-in recipe files (rules/fix/), parsed once.
llvm::Expected<const std::vector<RecipeFile> &> builtinRecipes();

} // namespace atm::fix
