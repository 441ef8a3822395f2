#pragma once
/// \file
/// Factories of the language fixers (one file each); Fixers.cpp registers them in order
/// (the first fixer that handles a file's language gets it).

#include <memory>
#include <vector>

#include "fix/Fix.h"
#include "fix/Recipe.h"

namespace atm::fix {

/// The generic syntax-tree fixer driven by one recipe file (SyntaxFixer.cpp).
std::unique_ptr<LanguageFixer> makeSyntaxFixer(const RecipeFile &Recipes);
/// The configuration-file fixer: authtoken settings -> OAuth settings (ConfigFixer.cpp).
std::unique_ptr<LanguageFixer> makeConfigFixer();
/// Shell scripts: curl -> zoho_curl, wget + the helper's header (ShellFixer.cpp).
std::unique_ptr<LanguageFixer> makeShellFixer();
/// Deluge: getUrl/postUrl/invokeurl -> invokeurl with a connection (DelugeFixer.cpp).
std::unique_ptr<LanguageFixer> makeDelugeFixer();
/// C, C++ and Objective-C: the Clang front end's fix-its (FixOptions::ClangFixes) as edits,
/// the generated cpp helper beside each edited file (CppFixer.cpp).
std::unique_ptr<LanguageFixer> makeCppFixer();

} // namespace atm::fix
