#pragma once
/// \file
/// The syntax-tree front end for the non-C languages (Python, JavaScript/TypeScript, PHP,
/// Java, C#, Ruby, Go, shell, Kotlin, Scala): parses the candidate files with the
/// tree-sitter grammars of tool/syntax, extracts the shared model (syntax/Model.h) and
/// runs the detectors that need programs rather than text:
///
///   * a repository-wide symbol pass: string constants and simple assignments whose value
///     is `authtoken`, holds `authtoken=`, a Zoho host or a token-shaped literal, so that
///     `new BasicNameValuePair(TOKEN_PARAM, t)` in one file resolves TOKEN_PARAM from
///     another (files the prefilter rejected are read again only when such a key constant
///     exists, and only if they name it);
///   * keys of every syntax (dict/object/hash/array entries, named pairs, keyword
///     arguments, `put`/`Add`/`AddParameter`/`BasicNameValuePair` calls, subscript
///     assignments) whose key is, or resolves to, `authtoken`;
///   * URLs and query strings built from pieces (concatenation, `+=`, templates) whose
///     resolved text holds `authtoken=`;
///   * a token-shaped literal assigned to a variable that reaches a Zoho request;
///   * each finding's statement (SARIF contextRegion): the whole call over all its lines,
///     and for a token-generation flow the statements that set EMAIL_ID / PASSWORD too.
///
/// The lexer/RE2 findings of each file are kept (a file that does not parse loses
/// nothing); syntax findings the lexer already made are not repeated.

#include <atomic>
#include <memory>
#include <unordered_map>
#include <mutex>

#include "rules/RuleEngine.h"
#include "scan/Frontend.h"
#include "llvm/Support/ThreadPool.h"

namespace atm {

namespace syntax {
class ParsedFiles;
} // namespace syntax

struct SyntaxFrontendOptions {
  unsigned Jobs = 0; ///< parser threads; 0 = one per core
  /// Where to keep each parsed file's tree and model for the fix plan that follows
  /// (none: they are dropped after detection).
  syntax::ParsedFiles *Keep = nullptr;
};

class SyntaxFrontend : public BatchFrontend {
public:
  SyntaxFrontend(const RuleSet &Rules, const EngineOptions &Opts, SyntaxFrontendOptions FO = {});
  ~SyntaxFrontend() override;

  /// The rules' tree-sitter queries (`syntax:` in the rule YAML) are compiled per grammar
  /// when the first file of that grammar is parsed, without tree-sitter's parse-table
  /// check (syntax::QueryCheck::Fast). checkRules() compiles them all now, with it, and
  /// reports an unknown grammar, a query that does not compile, an impossible pattern or
  /// one without @at, naming the rule file and line; queryErrors() reports what was found
  /// so far (after a scan: for the grammars it used).
  llvm::Error checkRules();
  llvm::Error queryErrors() const;

  bool handles(Language L) const override;
  bool wantsRejected() const override { return true; }
  /// Compiles the grammar's model and rule queries on a background thread (once per
  /// grammar, for a file run() will parse), and parses the file here, on the caller's
  /// (worker) thread, so that run() finds both ready; nothing with Jobs = 1.
  void prepare(Language L, llvm::StringRef RelPath, llvm::StringRef Text,
               bool LexerFound) override;
  void run(std::vector<Input> &Files, std::vector<Finding> &Out,
           std::vector<std::string> &Notes) override;

  /// For tests and the CLI: files parsed, files read again for a constant, fallbacks.
  struct Counts {
    unsigned Parsed = 0;
    unsigned WithErrors = 0;
    unsigned Resolved = 0; ///< prefilter-rejected files read again for a key constant
    unsigned Symbols = 0;
  };
  const Counts &counts() const { return C; }

  /// Lexer findings the tree overruled (rule id and offset, per path): the one place the
  /// front end drops what the lexer found, a `name: value` keyword argument of a
  /// constructor that the lexer took for an unquoted key. For the fuzz target's "nothing
  /// the lexer found is lost" check.
  struct Overruled {
    std::string Path, RuleId;
    size_t Offset = 0;
  };
  std::vector<Overruled> overruled() const {
    std::lock_guard<std::mutex> L(OverruledMu);
    return OverruledList;
  }

  struct RuleQuery;

private:
  const RuleSet &Rules;
  /// Per syntax::Grammar: the rule queries naming it, compiled once on first use.
  struct GrammarQueries;
  std::vector<std::unique_ptr<GrammarQueries>> ByGrammar;
  /// Compiles grammar \p G's rule queries once; \p Full: with the parse-table check
  /// (syntax::QueryCheck::Full). The first call decides.
  void compileGrammar(size_t G, bool Full = false);
  mutable std::mutex ErrorMu;
  mutable std::mutex OverruledMu;
  std::vector<Overruled> OverruledList;
  std::string LoadError;
  EngineOptions Opts;
  SyntaxFrontendOptions FO;
  Counts C;
  /// prepare(): one flag per grammar, and the thread compiling them (destroyed first).
  std::unique_ptr<std::atomic<bool>[]> Prepared;
  std::mutex PrepareMu;
  std::unique_ptr<llvm::ThreadPool> Preparer;
  /// prepare(): candidate files parsed on the scan's worker threads during the lexer
  /// pass, by display path; run() takes them instead of reading and parsing again.
  struct EarlyUnit;
  std::mutex EarlyMu;
  std::unordered_map<std::string, std::unique_ptr<EarlyUnit>> Early;
  /// True when \p Text talks to Zoho as the key rule's file-wide require-any sees it.
  bool talksToZoho(llvm::StringRef Text) const;
};

} // namespace atm
