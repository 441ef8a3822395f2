#pragma once
/// \file
/// Rules are data (rules/**/*.yaml, schema in rules/README.md). This header is the
/// in-memory form and the loader; RuleEngine.h runs them.

#include <memory>
#include <string>
#include <vector>

#include "core/Catalog.h"
#include "core/Finding.h"
#include "core/Scopes.h"
#include "core/Span.h"
#include "lang/Language.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

namespace re2 {
class RE2;
}

namespace atm {

/// A regex that must (or must not) match near a finding.
struct ContextCheck {
  std::shared_ptr<re2::RE2> Re;
  std::string Source; ///< the pattern text, for `rules show`
  /// Lines before/after the finding's lines to search; FileWindow = the whole file;
  /// SectionWindow = the finding's config section (LexicalContext::section(): the INI/TOML
  /// table or YAML/JSON/XML/HOCON parent block holding it, else the whole file);
  /// PathWindow = the file's path as the scan reports it (relative to the scanned root),
  /// not its text: a `ZohoBooks.Tests/` directory says whose settings a file holds.
  int Window = FileWindow;
  static constexpr int FileWindow = -1;
  static constexpr int SectionWindow = -2;
  static constexpr int PathWindow = -3;
  /// "file", "section", "path" or the line count, for `rules show`.
  std::string windowName() const;
};

/// A tree-sitter query of a rule (`syntax:` in the rule YAML), run by the syntax-tree
/// front end on the grammars it names. Captures: @at is what the finding reports; @key,
/// if present, must resolve (a literal, or a constant from anywhere in the repository)
/// to one of the rule's syntax-keys. Compiled by the front end, which reports errors
/// with the rule file and Line.
struct SyntaxQuerySpec {
  std::vector<std::string> Grammars; ///< "java", "c_sharp", … (tool/syntax/Grammars.def)
  std::string Source;
  unsigned Line = 0; ///< of the query in the rule file
};

struct Rule {
  std::string Id;
  std::string Title;
  std::string Message;
  Severity Sev = Severity::Warning;
  std::vector<Language> Languages;         ///< where the rule runs
  std::vector<SpanKind> AppliesIn;         ///< kinds the match anchor may lie in
  std::vector<std::shared_ptr<re2::RE2>> Patterns;
  std::vector<std::string> PatternSources;
  std::vector<std::string> Prefilter;      ///< lower-case literals; one must be in the file
  std::vector<ContextCheck> RequireAny;    ///< at least one must match (if any given)
  std::vector<ContextCheck> RequireAll;    ///< every one must match
  std::vector<ContextCheck> Reject;        ///< none may match
  bool RequireMixedAlnum = false;          ///< anchor must hold a digit and a letter
  /// `anchor-reject`: the reported text (the anchor) must not match this RE2 pattern
  /// (`ZOHO_AUTH_TOKEN_HEADER_PREFIX` names a scheme, not a setting holding the token).
  std::shared_ptr<re2::RE2> AnchorReject;
  /// `string-anchor: key`: an anchor inside a string literal must be the whole literal
  /// (a quoted key such as "authtoken"), not a word in a longer string or docstring.
  bool StringAnchorIsKey = false;
  std::string Product;                     ///< fixed product id, or "" to infer
  /// Name of a native detector (e.g. a Clang AST matcher in the C/C++ front end) that
  /// produces this rule's findings; such rules have no patterns and the RE2 engine
  /// skips them.
  std::string Detector;
  std::vector<SyntaxQuerySpec> SyntaxQueries; ///< `syntax:` (tree-sitter queries)
  std::vector<std::string> SyntaxKeys = {"authtoken"}; ///< what @key must resolve to (lower case)
  std::string FixKind = "none";            ///< intended automatic fix, "none" if manual
  std::string Help;
  std::string HelpUri;
  std::vector<std::string> Tags;
  std::string File;                        ///< where the rule came from

  bool appliesTo(Language L) const;
};

/// Everything the engine needs: rules + catalogue.
struct RuleSet {
  std::vector<Rule> Rules;
  Catalog Cat;
  /// The OAuth scope table (catalog/scopes.yaml; empty when no such file was given).
  ScopeCatalog Scopes;
  const Rule *find(llvm::StringRef Id) const;
};

/// A rule or catalogue file: path (for messages) and content.
struct RuleSource {
  std::string Path;
  std::string Content;
};

/// The rule files compiled into the binary (generated from rules/ at build time).
std::vector<RuleSource> builtinRuleSources();
/// True for a fix recipe file (rules/fix/*.yaml: a top-level `recipes-for:` key), which
/// the rule loader skips; tool/fix reads them.
bool isFixRecipeFile(llvm::StringRef Content);

/// Reads every *.yaml / *.yml under \p Dirs (recursively) as RuleSources.
llvm::Expected<std::vector<RuleSource>> readRuleDirs(llvm::ArrayRef<std::string> Dirs);

/// Parses one rule file. Errors name file:line:col and say what to do.
llvm::Expected<Rule> parseRule(const RuleSource &Src);

/// Builds a RuleSet: files named catalog/products.yaml are catalogues and files named
/// catalog/scopes.yaml scope tables (for each, the last one wins, so a user directory
/// can override the built-in one), every other file is a rule.
/// A rule id given twice is an error unless the later file is meant to replace the
/// earlier one (same id from a later --rules directory replaces the built-in rule).
llvm::Expected<RuleSet> buildRuleSet(std::vector<RuleSource> Sources);

} // namespace atm
