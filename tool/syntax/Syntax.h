#pragma once
/// \file
/// The syntax front end's parser layer: concrete syntax trees of the non-C languages from
/// the tree-sitter grammars pinned in tool/syntax/grammars.lock (runtime: Debian's
/// libtree-sitter 0.20.7, ABI 13-14). Tree-sitter's types stay out of this header.
///
/// Threads: parse() may be called from any number of threads at once (each thread keeps
/// its own parser per grammar). A SyntaxTree and its Nodes are read-only after parsing and
/// may be read from several threads.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "lang/Language.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

namespace atm::syntax {

enum class Grammar : uint8_t {
#define GRAMMAR(Enum, Name, Symbol) Enum,
#include "syntax/Grammars.def"
};
constexpr unsigned NumGrammars = 0
#define GRAMMAR(Enum, Name, Symbol) +1
#include "syntax/Grammars.def"
    ;

/// The grammar's name as in grammars.lock and queries/<name>.scm ("python", "c_sharp").
llvm::StringRef grammarName(Grammar G);
std::optional<Grammar> parseGrammarName(llvm::StringRef Name);
/// Every grammar, in Grammars.def order.
const std::vector<Grammar> &allGrammars();
/// The pinned npm package and version ("tree-sitter-python", "0.23.6").
llvm::StringRef grammarPackage(Grammar G);
llvm::StringRef grammarVersion(Grammar G);
/// The ABI version the linked grammar was generated for (13 or 14).
unsigned grammarAbi(Grammar G);

/// The grammar for a file of language \p L. Language::JavaScript covers .ts/.tsx as well:
/// \p Path picks TypeScript (.ts .mts .cts), TSX (.tsx) or JavaScript (everything else).
/// Java's .groovy/.gradle, C#'s .cshtml/.vb, Ruby's .erb and Shell's Dockerfile/Makefile
/// are other languages lexed alike; they get no grammar. nullopt when there is none.
std::optional<Grammar> grammarFor(Language L, llvm::StringRef Path = "");

/// Half-open byte range [Begin, End) in the parsed text.
struct ByteRange {
  uint32_t Begin = 0;
  uint32_t End = 0;
  bool empty() const { return Begin == End; }
  uint32_t size() const { return End - Begin; }
  bool contains(ByteRange R) const { return Begin <= R.Begin && R.End <= End; }
  bool operator==(const ByteRange &O) const { return Begin == O.Begin && End == O.End; }
  bool operator!=(const ByteRange &O) const { return !(*this == O); }
};

/// 0-based row and byte column, as tree-sitter counts them.
struct Point {
  uint32_t Row = 0;
  uint32_t Column = 0;
};

class SyntaxTree;
namespace detail {
struct TreeData;
} // namespace detail

/// A node of a SyntaxTree (a cheap value; valid while its tree lives, also across moves of
/// the tree). A default-built or absent node is null: every accessor of a null node returns an empty/null result.
class Node {
public:
  Node() = default;

  bool isNull() const;
  explicit operator bool() const { return !isNull(); }
  /// The grammar's node type: "call", "identifier", "ERROR"; for anonymous nodes the
  /// token itself ("(", "+", "def").
  llvm::StringRef kind() const;
  /// Named nodes are the grammar's rules; anonymous ones are literal tokens.
  bool isNamed() const;
  /// Comments and other nodes that may appear anywhere ("extras").
  bool isExtra() const;
  /// A syntax error: an ERROR node, or a MISSING node the parser inserted to recover.
  bool isError() const;
  bool isMissing() const;
  /// True if the node or a descendant is an error.
  bool hasError() const;

  ByteRange range() const;
  uint32_t begin() const { return range().Begin; }
  uint32_t end() const { return range().End; }
  Point startPoint() const;
  Point endPoint() const;
  /// The node's source text.
  llvm::StringRef text() const;

  Node parent() const;
  unsigned childCount() const;
  Node child(unsigned I) const;
  unsigned namedChildCount() const;
  Node namedChild(unsigned I) const;
  /// All children, or the named ones (comments included unless \p SkipExtras).
  std::vector<Node> children() const;
  std::vector<Node> namedChildren(bool SkipExtras = false) const;
  /// The first child in field \p Field ("function", "arguments"); null if none.
  Node field(llvm::StringRef Field) const;
  /// Every child in field \p Field, in order.
  std::vector<Node> fieldAll(llvm::StringRef Field) const;
  /// The field name of child \p I ("" if it has none).
  llvm::StringRef fieldNameOfChild(unsigned I) const;
  Node nextSibling() const;
  Node prevSibling() const;
  Node nextNamedSibling() const;
  Node prevNamedSibling() const;
  /// The smallest named node spanning [Begin, End).
  Node namedDescendantFor(ByteRange R) const;

  /// Tree-sitter's S-expression of the subtree (named nodes, with field names).
  std::string sexp() const;

  bool operator==(const Node &O) const;
  bool operator!=(const Node &O) const { return !(*this == O); }
  /// The whole text the node's tree was parsed from ("" for a null node).
  llvm::StringRef sourceText() const;

  /// Opaque copy of tree-sitter's TSNode (layout checked in Syntax.cpp).
  struct Raw {
    uint32_t Context[4];
    const void *Id;
    const void *Tree;
  };
  Node(const detail::TreeData *Owner, const Raw &R) : Owner(Owner), R(R) {}
  const Raw &raw() const { return R; }
  const detail::TreeData *owner() const { return Owner; }

private:
  const detail::TreeData *Owner = nullptr;
  Raw R{};
};

/// Where a parse had to recover.
struct SyntaxError {
  ByteRange Range;
  Point Start;
  bool Missing = false;     ///< a token the parser inserted (e.g. a missing ")")
  std::string MissingKind;  ///< the inserted token's kind when Missing
};

/// A parsed file. Keeps its own copy of the text, so nodes' text() stays valid. Move-only.
class SyntaxTree {
public:
  SyntaxTree(SyntaxTree &&) noexcept;
  SyntaxTree &operator=(SyntaxTree &&) noexcept;
  ~SyntaxTree();

  Grammar grammar() const;
  llvm::StringRef text() const;
  Node root() const;
  /// The syntax errors (ERROR and MISSING nodes, outermost only), in text order.
  /// A tree with errors is still complete: everything outside them is parsed normally.
  const std::vector<SyntaxError> &errors() const;
  size_t errorCount() const { return errors().size(); }
  bool hasErrors() const { return !errors().empty(); }
  /// The depth of the deepest node, counting up to \p Cap (then \p Cap): an iterative
  /// walk, safe on any input. Queries and the model's recursive helpers cost grow with
  /// depth; a caller can leave a pathologically deep tree (a 100,000-term concatenation,
  /// 20,000 nested literals) to the lexer.
  unsigned maxDepth(unsigned Cap) const;

private:
  friend llvm::Expected<SyntaxTree> parse(Grammar G, llvm::StringRef Text);
  explicit SyntaxTree(std::unique_ptr<detail::TreeData> D);
  std::unique_ptr<detail::TreeData> D;
};

/// Parses \p Text (a whole file, UTF-8 or bytes; tree-sitter recovers from any input).
/// Fails only if the grammar cannot be loaded or the text is over 4 GiB; syntax errors
/// are reported in the tree (SyntaxTree::errors()).
llvm::Expected<SyntaxTree> parse(Grammar G, llvm::StringRef Text);
/// As above with grammarFor(L, Path); fails (naming the language) when there is no
/// grammar for it.
llvm::Expected<SyntaxTree> parse(Language L, llvm::StringRef Text, llvm::StringRef Path = "");

namespace detail {
/// The TSLanguage* of a grammar (for Query.cpp).
const void *tsLanguage(Grammar G);
} // namespace detail

} // namespace atm::syntax
