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
                                    "header-value", "token-value", "generation-return", "retry", "idioms", "entry", "argument",
                                    "merge", "options-argument", "options-merge",
                                    "wrap-argument"};
const llvm::StringRef IdiomKeys[] = {"id", "callee", "header", "keyword", "position", "retry",
                                     "inner", "imports", "entry", "argument", "merge",
                                     "options-argument", "options-merge", "wrap-argument",
                                     "filler", "line", "send", "send-retry"};
const llvm::StringRef HeaderKinds[] = {"keyword", "position", "options", "request-argument",
                                       "php-options", "curl", "stream-context", "stream-options"};

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
    else if (*K == "position") {
      std::string S;
      E = Str(S);
      if (!E && llvm::StringRef(S).getAsInteger(10, I.Position))
        return Y.error(V, "position: expected an argument index (0 = the first)");
    } else if (*K == "retry") {
      std::string S;
      E = Str(S);
      if (!E && S != "true" && S != "false")
        return Y.error(V, "retry: expected true or false");
      I.Retry = S == "true";
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
                      "request-argument, php-options, curl, stream-context or stream-options, "
                      "got '" + I.Header + "'");
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
    else if (*K == "entry") E = Str(R.Entry);
    else if (*K == "argument") E = Str(R.Argument);
    else if (*K == "merge") E = Str(R.Merge);
    else if (*K == "options-argument") E = Str(R.OptionsArgument);
    else if (*K == "options-merge") E = Str(R.OptionsMerge);
    else if (*K == "wrap-argument") E = Str(R.WrapArgument);
    else if (*K == "languages") {
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
