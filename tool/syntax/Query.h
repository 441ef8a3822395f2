#pragma once
/// \file
/// Tree-sitter queries: S-expression patterns with @captures (the format of tree-sitter's
/// highlights.scm, ast-grep and Semgrep-style rule data), compiled once per grammar and
/// run over any number of trees.
///
///     (call function: (attribute object: (identifier) @recv attribute: (identifier) @fn)
///           arguments: (argument_list) @args
///       (#eq? @fn "get"))
///
/// Predicates evaluated here (tree-sitter's C library leaves them to the caller):
///   (#eq? @a "text") (#eq? @a @b) (#not-eq? …) (#match? @a "re2") (#not-match? …)
///   (#any-of? @a "x" "y" …) (#not-any-of? …)
/// An unknown predicate is a compile error (it would silently match everything otherwise).
/// Captures whose name starts with "_" are for predicates only and are not returned.
///
/// Threads: a compiled Query is immutable and may be shared by threads; matches() makes
/// its own cursor per call.

#include <memory>
#include <string>
#include <vector>

#include "syntax/Syntax.h"

namespace atm::syntax {

/// A query that does not compile: where (a byte offset into the query source, with the
/// 1-based line and column computed from it) and what.
class QueryError : public llvm::ErrorInfo<QueryError> {
public:
  static char ID;
  QueryError(size_t Offset, unsigned Line, unsigned Column, std::string Message)
      : Offset(Offset), Line(Line), Column(Column), Message(std::move(Message)) {}
  size_t offset() const { return Offset; }
  unsigned line() const { return Line; }
  unsigned column() const { return Column; }
  /// Without the position: "invalid node type 'cal' for grammar python".
  const std::string &reason() const { return Message; }
  /// "line 3, column 5: invalid node type 'cal'".
  void log(llvm::raw_ostream &OS) const override;
  std::error_code convertToErrorCode() const override { return llvm::inconvertibleErrorCode(); }

private:
  size_t Offset;
  unsigned Line;
  unsigned Column;
  std::string Message;
};

struct Capture {
  unsigned Index = 0;   ///< capture id in its query (Query::captureName)
  llvm::StringRef Name; ///< "recv" for @recv (points into the Query; valid while it lives)
  Node N;
  ByteRange range() const { return N.range(); }
};

struct Match {
  unsigned Pattern = 0; ///< which pattern of the query, in source order
  std::vector<Capture> Captures;
  /// The first capture named \p Name, or a null node.
  Node get(llvm::StringRef Name) const;
  /// Every capture named \p Name (quantified captures like `(_)* @arg` give several).
  std::vector<Node> getAll(llvm::StringRef Name) const;
};

/// How much compile() checks. Full also walks the grammar's parse table to reject patterns
/// no tree can match ("impossible pattern"), which costs 5-150 ms per query and grammar (the
/// parse tables are large): `rules list|test` use it. Fast skips that walk (the patched
/// runtime's ts_query_new_unanalyzed, tool/syntax/tree-sitter-query-analysis.patch): the
/// same node types, fields, captures and predicates are checked and the matches are the same;
/// scans use it.
enum class QueryCheck { Fast, Full };

class Query {
public:
  /// Compiles \p Source for grammar \p G. Errors are QueryError.
  static llvm::Expected<Query> compile(Grammar G, llvm::StringRef Source,
                                       QueryCheck Check = QueryCheck::Fast);

  Grammar grammar() const;
  unsigned patternCount() const;
  /// Byte offset in the source where pattern \p P starts.
  size_t patternOffset(unsigned P) const;
  unsigned captureCount() const;
  llvm::StringRef captureName(unsigned Index) const;

  /// Every match in \p Within (by default the tree's root), in tree-sitter's order (by
  /// the start of the match, then pattern order), after the predicates. A tree with
  /// syntax errors is queried like any other (ERROR subtrees rarely match).
  std::vector<Match> matches(const SyntaxTree &T) const;
  std::vector<Match> matches(Node Within) const;
  /// All non-"_" captures of all matches, sorted by start offset (then longest first).
  std::vector<Capture> captures(Node Within) const;

  struct Impl;

private:
  explicit Query(std::shared_ptr<const Impl> I) : I(std::move(I)) {}
  std::shared_ptr<const Impl> I;
};

} // namespace atm::syntax
