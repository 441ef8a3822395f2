//===- Generation.h - legacy token-generation flows -> the OAuth helper -----===//
//
// A legacy token-generation flow (e-mail + password -> accounts…/apiauthtoken/nb/create)
// lives in one function or method. Its body is replaced by the helper's access token in
// the function's own result shape, read from the syntax tree (Generation.cpp):
//   return     the function returns the token (a value extracted from the response);
//   store      it stores the token in a field (`$this->authtoken = …`, `@auth_token = …`);
//   callback   JavaScript: it passes the token to its callback (`callback(null, token)`);
//   promise    JavaScript: it returns a promise (a `.then` chain, `new Promise`) resolving
//              with the token (and maybe storing it);
//   object     it returns a result object built from the answer (`$r['authToken'] = …`, a
//              Struct, `new Session(token, email)`): the same object from the helper's token
//              (its RESULT member "TRUE", members set only on failure gone).
// Anything else is left for a person with a reason naming what was found.

#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/TextEdit.h"
#include "fix/Recipe.h"
#include "syntax/Model.h"
#include "syntax/Syntax.h"

namespace atm::fix {

struct GenerationInput {
  llvm::StringRef Text;
  const syntax::FileModel &M;
  const syntax::SyntaxTree &Tree;
  const RecipeFile &R;
  std::string NS;
  /// True for a call of a known HTTP request idiom of the recipe.
  std::function<bool(const syntax::CallSite &)> IsRequest;
  /// The offsets of every generation finding of the file: one flow often has several (the
  /// URL, the EMAIL_ID and PASSWORD lines), and each is where the flow's values begin.
  std::vector<uint32_t> Seeds;
};

struct GenerationFix {
  TextEdit Body;          ///< the function body's new statements
  uint32_t Function = 0;  ///< where the function begins (one edit per function)
  std::string What;       ///< the fixed note
};

/// The rewrite of the generation function holding (or using the constant holding) the
/// finding at \p Offset; nullopt with \p Why set when it is left for a person.
std::optional<GenerationFix> generationFix(const GenerationInput &In, uint32_t Offset,
                                           std::string &Why);

} // namespace atm::fix
