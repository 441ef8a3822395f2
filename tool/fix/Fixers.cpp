#include "fix/Fixers.h"

#include <mutex>

namespace atm::fix {

llvm::Expected<const std::vector<std::unique_ptr<LanguageFixer>> &> fixers() {
  static std::once_flag Once;
  static std::vector<std::unique_ptr<LanguageFixer>> List;
  static std::string Error;
  std::call_once(Once, [] {
    auto Recipes = builtinRecipes();
    if (!Recipes) {
      Error = llvm::toString(Recipes.takeError());
      return;
    }
    for (const RecipeFile &R : *Recipes)
      List.push_back(makeSyntaxFixer(R));
    List.push_back(makeConfigFixer());
    List.push_back(makeShellFixer());
    List.push_back(makeDelugeFixer());
    List.push_back(makeCppFixer());
  });
  if (!Error.empty())
    return llvm::createStringError(std::errc::invalid_argument, "%s", Error.c_str());
  return List;
}

} // namespace atm::fix
