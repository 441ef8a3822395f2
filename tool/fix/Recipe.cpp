#include "fix/Recipe.h"

#include <mutex>

#include "core/Yaml.h"
#include "rules/Rule.h"

#include "llvm/Support/YAMLParser.h"

namespace atm::fix {

const Idiom *RecipeFile::idiomFor(llvm::StringRef Callee) const {
  for (const Idiom &I : Idioms)
    if (I.Callee && re2::RE2::PartialMatch(re2::StringPiece(Callee.data(), Callee.size()),
                                           *I.Callee))
      return &I;
  return nullptr;
}

const Idiom *RecipeFile::idiom(llvm::StringRef Id) const {
  for (const Idiom &I : Idioms)
    if (I.Id == Id)
      return &I;
  return nullptr;
}

namespace {

const llvm::StringRef FileKeys[] = {"recipes-for", "languages", "import", "import-match",
                                    "header-value", "token-value", "generation-return", "retry",
                                    "token-value-async", "generation-store", "generation-callback",
                                    "generation-promise", "generation-promise-store", "idioms", "entry", "argument",
                                    "merge", "options-argument", "options-merge",
                                    "wrap-argument", "import-esm", "esm-files", "cjs-files",
                                    "esm-match", "header-value-async", "top-level-await-files",
                                    "retry-when-awaited", "retry-promise", "header-retry",
                                    "browser", "default-header", "callback-then"};
const llvm::StringRef IdiomKeys[] = {"id", "callee", "header", "keyword", "position", "retry",
                                     "inner", "imports", "entry", "argument", "merge",
                                     "options-argument", "options-merge", "wrap-argument",
                                     "filler", "module", "url-or-options", "callback", "chain",
                                     "chain-header", "rename", "statement", "file-match", "reason",
                                     "line", "send", "send-retry", "callback-error",
                                     "callback-method", "callback-chain"};
const llvm::StringRef BrowserKeys[] = {"reason", "directories", "files", "code", "text",
                                       "callees"};
const llvm::StringRef HeaderKinds[] = {
    "keyword",        "position",       "options",           "request-argument", "chain",
    "hash",           "form-body",      "statement",         "php-options",      "curl",
    "stream-context", "stream-options", "go-statement",      "go-new-request",   "none",
    "java-statement", "java-chain",     "kotlin-block",      "receiver-argument",
    "wrap-receiver"};

/// A `true`/`false` scalar.
llvm::Error parseBool(const YamlFile &Y, llvm::yaml::Node *V, llvm::StringRef Key, bool &Out) {
  auto S = Y.scalar(V);
  if (!S)
    return S.takeError();
  if (*S != "true" && *S != "false")
    return Y.error(V, Key + ": expected true or false");
  Out = *S == "true";
  return llvm::Error::success();
}

/// An RE2 pattern scalar, compiled.
llvm::Error parsePattern(const YamlFile &Y, llvm::yaml::Node *V, llvm::StringRef Key,
                         std::shared_ptr<re2::RE2> &Out) {
  auto S = Y.scalar(V);
  if (!S)
    return S.takeError();
  Out = std::make_shared<re2::RE2>(*S, re2::RE2::Quiet);
  if (!Out->ok())
    return Y.error(V, Key + ": " + Out->error());
  return llvm::Error::success();
}

llvm::Error parseDefaultHeader(const YamlFile &Y, llvm::yaml::Node *V, DefaultHeaderRule &D) {
  auto *M = llvm::dyn_cast<llvm::yaml::MappingNode>(V);
  if (!M)
    return Y.error(V, "default-header: expected a mapping (target, module, statement, what)");
  for (auto &KV : *M) {
    auto K = Y.key(KV);
    if (!K)
      return K.takeError();
    llvm::yaml::Node *DV = KV.getValue();
    if (*K == "target" || *K == "module") {
      if (auto E = parsePattern(Y, DV, "default-header." + *K, *K == "target" ? D.Target : D.Module))
        return E;
    } else if (*K == "statement" || *K == "what") {
      auto S = Y.scalar(DV);
      if (!S)
        return S.takeError();
      (*K == "statement" ? D.Statement : D.What) = *S;
    } else {
      return Y.error(KV.getKey(), "default-header: unknown key '" + *K +
                                      "' (target, module, statement, what)");
    }
  }
  if (!D.enabled())
    return Y.error(V, "default-header: target and statement are required");
  if (D.Target->NumberOfCapturingGroups() < 1)
    return Y.error(V, "default-header.target: group 1 must capture the client");
  return llvm::Error::success();
}

llvm::Error parseCallbackThen(const YamlFile &Y, llvm::yaml::Node *V, CallbackThenRule &C) {
  auto *M = llvm::dyn_cast<llvm::yaml::MappingNode>(V);
  if (!M)
    return Y.error(V, "callback-then: expected a mapping (then, bind, name, what)");
  for (auto &KV : *M) {
    auto K = Y.key(KV);
    if (!K)
      return K.takeError();
    if (*K != "then" && *K != "bind" && *K != "name" && *K != "what")
      return Y.error(KV.getKey(), "callback-then: unknown key '" + *K + "' (then, bind, name, what)");
    auto S = Y.scalar(KV.getValue());
    if (!S)
      return S.takeError();
    (*K == "then" ? C.Then : *K == "bind" ? C.Bind : *K == "name" ? C.Name : C.What) = *S;
  }
  llvm::StringRef T(C.Then), B(C.Bind);
  if (!T.contains("{call}") || !T.contains("{callback}"))
    return Y.error(V, "callback-then.then: needs {call} and {callback}");
  if (!B.empty() && (!B.contains("{name}") || !B.contains("{then}") || !B.contains("{callback}") ||
                     C.Name.empty()))
    return Y.error(V, "callback-then.bind: needs {name}, {then} and {callback}, and a name");
  return llvm::Error::success();
}

llvm::Error parseBrowser(const YamlFile &Y, llvm::yaml::Node *V, BrowserRule &B) {
  auto *M = llvm::dyn_cast<llvm::yaml::MappingNode>(V);
  if (!M)
    return Y.error(V, "browser: expected a mapping (reason, directories, files, code, text, callees)");
  for (auto &KV : *M) {
    auto K = Y.key(KV);
    if (!K)
      return K.takeError();
    llvm::yaml::Node *BV = KV.getValue();
    if (*K == "reason") {
      auto S = Y.scalar(BV);
      if (!S)
        return S.takeError();
      B.Reason = *S;
    } else if (*K == "directories" || *K == "files") {
      auto L = Y.scalarList(BV);
      if (!L)
        return L.takeError();
      (*K == "files" ? B.Files : B.Directories) = *L;
    } else if (*K == "code" || *K == "text" || *K == "callees") {
      if (auto E = parsePattern(Y, BV, "browser." + *K,
                                *K == "code" ? B.Code : *K == "text" ? B.Text : B.Callees))
        return E;
    } else {
      std::string DYM = didYouMean(*K, BrowserKeys);
      return Y.error(KV.getKey(), "browser: unknown key '" + *K + "'" +
                                      (DYM.empty() ? "" : "; " + DYM));
    }
  }
  if (B.Reason.empty())
    return Y.error(V, "browser: a reason is required");
  return llvm::Error::success();
}

llvm::Error parseIdiom(const YamlFile &Y, llvm::yaml::MappingNode *M, Idiom &I) {
  I.Line = Y.line(M);
  for (auto &KV : *M) {
    auto K = Y.key(KV);
    if (!K)
      return K.takeError();
    llvm::yaml::Node *V = KV.getValue();
    auto Str = [&](std::string &Out) -> llvm::Error {
      auto S = Y.scalar(V);
      if (!S)
        return S.takeError();
      Out = *S;
      return llvm::Error::success();
    };
    llvm::Error E = llvm::Error::success();
    if (*K == "id") E = Str(I.Id);
    else if (*K == "callee") E = Str(I.CalleePattern);
    else if (*K == "header") E = Str(I.Header);
    else if (*K == "keyword") E = Str(I.Keyword);
    else if (*K == "inner") E = Str(I.Inner);
    else if (*K == "entry") E = Str(I.Entry);
    else if (*K == "argument") E = Str(I.Argument);
    else if (*K == "merge") E = Str(I.Merge);
    else if (*K == "options-argument") E = Str(I.OptionsArgument);
    else if (*K == "options-merge") E = Str(I.OptionsMerge);
    else if (*K == "wrap-argument") E = Str(I.WrapArgument);
    else if (*K == "filler") E = Str(I.Filler);
    else if (*K == "line") E = Str(I.HeaderLine);
    else if (*K == "send") E = Str(I.SendPattern);
    else if (*K == "send-retry") E = Str(I.SendRetry);
    else if (*K == "chain-header") E = Str(I.ChainHeader);
    else if (*K == "callback-method") E = Str(I.CallbackMethod);
    else if (*K == "callback-error") {
      E = Str(I.CallbackError);
      if (!E && I.CallbackError != "first" && I.CallbackError != "listener")
        return Y.error(V, "callback-error: expected first or listener");
    } else if (*K == "callback-chain") {
      auto L = Y.scalarList(V);
      if (!L)
        return L.takeError();
      I.CallbackChain = *L;
    }
    else if (*K == "url-or-options") E = parseBool(Y, V, *K, I.UrlOrOptions);
    else if (*K == "callback") E = parseBool(Y, V, *K, I.Callback);
    else if (*K == "module") {
      E = Str(I.Module);
      if (!E)
        E = parsePattern(Y, V, *K, I.ModuleRe);
    } else if (*K == "chain") {
      auto L = Y.scalarList(V);
      if (!L)
        return L.takeError();
      I.Chain = *L;
    }
    else if (*K == "rename") E = Str(I.Rename);
    else if (*K == "statement") E = Str(I.Statement);
    else if (*K == "reason") E = Str(I.Reason);
    else if (*K == "file-match") E = Str(I.FileMatchPattern);
    else if (*K == "position") {
      std::string S;
      E = Str(S);
      if (!E && llvm::StringRef(S).getAsInteger(10, I.Position))
        return Y.error(V, "position: expected an argument index (0 = the first)");
    } else if (*K == "retry") {
      E = parseBool(Y, V, *K, I.Retry);
    } else if (*K == "imports") {
      auto L = Y.scalarList(V);
      if (!L)
        return L.takeError();
      I.Imports = *L;
    } else {
      std::string DYM = didYouMean(*K, IdiomKeys);
      return Y.error(KV.getKey(), "unknown idiom key '" + *K + "'" +
                                      (DYM.empty() ? "" : "; " + DYM));
    }
    if (E)
      return E;
  }
  if (I.Id.empty())
    return Y.error(M, "an idiom needs an id");
  if (I.CalleePattern.empty())
    return Y.error(M, "idiom '" + I.Id + "' needs a callee pattern");
  I.Callee = std::make_shared<re2::RE2>(I.CalleePattern, re2::RE2::Quiet);
  if (!I.Callee->ok())
    return Y.error(M, "idiom '" + I.Id + "': callee: " + I.Callee->error());
  if (!llvm::is_contained(HeaderKinds, I.Header))
    return Y.error(M, "idiom '" + I.Id + "': header: expected keyword, position, options, "
                      "request-argument, chain, hash, form-body, statement, php-options, curl, "
                      "stream-context or stream-options, got '" + I.Header + "'");
  if (!I.FileMatchPattern.empty()) {
    I.FileMatch = std::make_shared<re2::RE2>(I.FileMatchPattern, re2::RE2::Quiet);
    if (!I.FileMatch->ok())
      return Y.error(M, "idiom '" + I.Id + "': file-match: " + I.FileMatch->error());
  }
  if ((I.Header == "statement" || I.Header == "go-statement" || I.Header == "go-new-request" ||
       I.Header == "java-statement" || I.Header == "kotlin-block") &&
      I.Statement.empty())
    return Y.error(M, "idiom '" + I.Id + "': header: statement needs a statement template");
  if (I.Header == "receiver-argument" && I.Rename.empty())
    return Y.error(M, "idiom '" + I.Id + "': header: receiver-argument needs rename");
  if (I.Header == "wrap-receiver" && I.WrapArgument.empty())
    return Y.error(M, "idiom '" + I.Id + "': header: wrap-receiver needs wrap-argument");
  if ((I.Header == "none" || I.Header == "go-new-request") && I.Reason.empty())
    return Y.error(M, "idiom '" + I.Id + "': header: none needs a reason");
  if (I.Header == "form-body" && (I.Rename.empty() || I.Position < 0))
    return Y.error(M, "idiom '" + I.Id + "': header: form-body needs rename and position");
  if ((I.Header == "chain" || I.Header == "java-chain") && I.ChainHeader.empty())
    return Y.error(M, "idiom '" + I.Id + "': header: chain needs a chain-header template");
  if (!I.SendPattern.empty()) {
    I.Send = std::make_shared<re2::RE2>(I.SendPattern, re2::RE2::Quiet);
    if (!I.Send->ok())
      return Y.error(M, "idiom '" + I.Id + "': send: " + I.Send->error());
  }
  return llvm::Error::success();
}

} // namespace

llvm::Expected<RecipeFile> parseRecipeFile(llvm::StringRef Content, llvm::StringRef Path) {
  auto Y = YamlFile::parse(Content, Path);
  if (!Y)
    return Y.takeError();
  RecipeFile R;
  R.Path = Path.str();
  for (auto &KV : *(*Y)->root()) {
    auto K = (*Y)->key(KV);
    if (!K)
      return K.takeError();
    llvm::yaml::Node *V = KV.getValue();
    auto Str = [&](std::string &Out) -> llvm::Error {
      auto S = (*Y)->scalar(V);
      if (!S)
        return S.takeError();
      Out = *S;
      return llvm::Error::success();
    };
    llvm::Error E = llvm::Error::success();
    if (*K == "recipes-for") E = Str(R.HelperLang);
    else if (*K == "import") E = Str(R.Import);
    else if (*K == "import-match") E = Str(R.ImportMatch);
    else if (*K == "header-value") E = Str(R.HeaderValue);
    else if (*K == "token-value") E = Str(R.TokenValue);
    else if (*K == "generation-return") E = Str(R.GenerationReturn);
    else if (*K == "token-value-async") E = Str(R.TokenValueAsync);
    else if (*K == "generation-store") E = Str(R.GenerationStore);
    else if (*K == "generation-callback") E = Str(R.GenerationCallback);
    else if (*K == "generation-promise") E = Str(R.GenerationPromise);
    else if (*K == "generation-promise-store") E = Str(R.GenerationPromiseStore);
    else if (*K == "entry") E = Str(R.Entry);
    else if (*K == "argument") E = Str(R.Argument);
    else if (*K == "merge") E = Str(R.Merge);
    else if (*K == "options-argument") E = Str(R.OptionsArgument);
    else if (*K == "options-merge") E = Str(R.OptionsMerge);
    else if (*K == "wrap-argument") E = Str(R.WrapArgument);
    else if (*K == "import-esm") E = Str(R.ImportEsm);
    else if (*K == "esm-match") E = Str(R.EsmMatch);
    else if (*K == "header-value-async") E = parseBool(**Y, V, *K, R.HeaderValueAsync);
    else if (*K == "retry-when-awaited") E = parseBool(**Y, V, *K, R.RetryWhenAwaited);
    else if (*K == "retry-promise") E = parseBool(**Y, V, *K, R.RetryPromise);
    else if (*K == "header-retry") E = parseBool(**Y, V, *K, R.HeaderRetry);
    else if (*K == "browser") E = parseBrowser(**Y, V, R.Browser);
    else if (*K == "default-header") E = parseDefaultHeader(**Y, V, R.DefaultHeader);
    else if (*K == "callback-then") E = parseCallbackThen(**Y, V, R.CallbackThen);
    else if (*K == "esm-files" || *K == "cjs-files" || *K == "top-level-await-files") {
      auto L = (*Y)->scalarList(V);
      if (!L)
        return L.takeError();
      (*K == "esm-files" ? R.EsmFiles : *K == "cjs-files" ? R.CjsFiles : R.TopLevelAwaitFiles) = *L;
    } else if (*K == "languages") {
      auto L = (*Y)->scalarList(V);
      if (!L)
        return L.takeError();
      for (const std::string &Name : *L) {
        auto Lang = parseLanguage(Name);
        if (!Lang)
          return (*Y)->error(V, "languages: unknown language '" + Name + "'");
        R.Languages.push_back(*Lang);
      }
    } else if (*K == "retry") {
      auto *M = llvm::dyn_cast<llvm::yaml::MappingNode>(V);
      if (!M)
        return (*Y)->error(V, "retry: expected a mapping with wrap and header-value");
      for (auto &RKV : *M) {
        auto RK = (*Y)->key(RKV);
        if (!RK)
          return RK.takeError();
        auto S = (*Y)->scalar(RKV.getValue());
        if (!S)
          return S.takeError();
        if (*RK == "wrap")
          R.RetryWrap = *S;
        else if (*RK == "header-value")
          R.RetryValue = *S;
        else
          return (*Y)->error(RKV.getKey(), "retry: unknown key '" + *RK + "' (wrap, header-value)");
      }
    } else if (*K == "idioms") {
      auto *S = llvm::dyn_cast<llvm::yaml::SequenceNode>(V);
      if (!S)
        return (*Y)->error(V, "idioms: expected a list");
      for (auto &N : *S) {
        auto *M = llvm::dyn_cast<llvm::yaml::MappingNode>(&N);
        if (!M)
          return (*Y)->error(&N, "an idiom is a mapping");
        Idiom I;
        if (auto E2 = parseIdiom(**Y, M, I))
          return std::move(E2);
        R.Idioms.push_back(std::move(I));
      }
    } else {
      std::string DYM = didYouMean(*K, FileKeys);
      return (*Y)->error(KV.getKey(), "unknown recipe key '" + *K + "'" +
                                          (DYM.empty() ? "" : "; " + DYM));
    }
    if (E)
      return std::move(E);
  }
  if (R.HelperLang.empty())
    return (*Y)->error((*Y)->root(), "recipes-for: the helper language is required");
  if (R.Languages.empty())
    return (*Y)->error((*Y)->root(), "languages: at least one language is required");
  if (!R.EsmMatch.empty()) {
    re2::RE2 Re(R.EsmMatch, re2::RE2::Quiet);
    if (!Re.ok())
      return (*Y)->error((*Y)->root(), "esm-match: " + Re.error());
  }
  for (const Idiom &I : R.Idioms)
    if (!I.Inner.empty() && !R.idiom(I.Inner))
      return llvm::createStringError(std::errc::invalid_argument,
                                     "%s:%u: idiom '%s': inner: no idiom '%s' in this file",
                                     R.Path.c_str(), I.Line, I.Id.c_str(), I.Inner.c_str());
  return R;
}

llvm::Expected<const std::vector<RecipeFile> &> builtinRecipes() {
  static std::once_flag Once;
  static std::vector<RecipeFile> Files;
  static std::string Error;
  std::call_once(Once, [] {
    for (const RuleSource &S : builtinRuleSources()) {
      if (!isFixRecipeFile(S.Content))
        continue;
      auto R = parseRecipeFile(S.Content, S.Path);
      if (!R) {
        Error = llvm::toString(R.takeError());
        return;
      }
      Files.push_back(std::move(*R));
    }
  });
  if (!Error.empty())
    return llvm::createStringError(std::errc::invalid_argument, "%s", Error.c_str());
  return Files;
}

} // namespace atm::fix
