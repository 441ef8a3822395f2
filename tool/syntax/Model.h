#pragma once
/// \file
/// The shared model of a parsed file: what the detectors (issue 11) read and the `fix`
/// command (issue 12) rewrites. Everything is a byte range into SyntaxTree::text() plus
/// decoded values, so a detector can report a statement's whole region and a fix can
/// replace exactly one argument, key or string piece.
///
///   CallSite    `requests.get(url, params={"authtoken": t})`: the callee as written
///               ("requests.get"), its last name ("get"), the receiver ("requests"), the
///               argument list with its parentheses, each argument (whole range, value
///               range, keyword name `params` if any), the enclosing statement (for a
///               call in an `if`/`while` header: the header only) and the enclosing
///               function (or the whole file).
///   StringExpr  a string literal, a template/interpolated string (f"…{t}", `…${t}`,
///               "…#{t}", "$t") or a concatenation ("…?authtoken=" + t + "&scope=x",
///               Python's implicit "a" "b", PHP's `.`), as pieces: literal text (escapes
///               decoded) and holes (the expressions in between, by range).
///   Assignment  `x = v`, `x += v`, `const x = v`, `self.x = v`, `p["authtoken"] = v`:
///               target (text, range), its name ("x", "authtoken"), operator, value range,
///               declaration keyword (const/let/var/final/val…) if any.
///   KeyValue    a key/value entry of a dict/object/map/array literal or a named pair
///               (`{"authtoken": t}`, `{authtoken: t}`, `:authtoken => t`, `'k' => v`,
///               `"authtoken" to t`): key (decoded), key and value ranges, container range
///               (the header or parameter container a fix edits).
///
/// The extractor is generic: per grammar, the tree-sitter query queries/<grammar>.scm
/// names the nodes with these captures (a new language is mostly a query file):
///   @call @call.callee @call.receiver @call.name @call.args @call.new
///   @call.arg                           (each argument, where there is no @call.args node)
///   @arg @arg.name @arg.value           (a keyword/named argument inside @call.args)
///   @string @string.raw                 (a literal; .raw: backslashes are not escapes)
///   @string.fragment @string.escape @string.hole   (its parts; without fragments the
///                                        text between the literal's delimiters is used)
///   @concat                             (a node whose named children are concatenated)
///   @assign @assign.target @assign.name @assign.value @assign.op @assign.keyword
///   @pair @pair.key @pair.value
///   @statement @statement.compound @block @scope @scope.name
/// A query file may start with `; inherits: other` lines (other query files prepended).

#include <optional>
#include <string>
#include <vector>

#include "syntax/Query.h"
#include "syntax/Syntax.h"

namespace atm::syntax {

struct Argument {
  ByteRange Range;      ///< the whole argument: `params={"authtoken": t}`
  ByteRange Value;      ///< its value expression: `{"authtoken": t}`
  std::string Keyword;  ///< `params` for a keyword/named argument; empty if positional
  std::string Kind;     ///< the value's node kind ("string", "dictionary", "identifier", …)
};

struct CallSite {
  ByteRange Range;        ///< the whole call expression
  std::string Callee;     ///< as written: "requests.get", "$this->client->get", "URL" (new URL)
  ByteRange CalleeRange;
  std::string Name;       ///< the called name: "get" (last component of the callee)
  ByteRange Receiver;     ///< `requests` in requests.get(…); empty if none
  ByteRange ArgumentList; ///< `(…)` including the parentheses; empty if the call has none
  std::vector<Argument> Arguments;
  bool IsNew = false;     ///< a constructor call: `new X(…)`
  ByteRange Statement;    ///< the enclosing statement (see the file comment)
  ByteRange Scope;        ///< the enclosing function/lambda/method, or the whole file
  std::string ScopeName;  ///< the function's name if it has one

  /// The keyword argument named \p Keyword, or nullptr.
  const Argument *keywordArgument(llvm::StringRef Keyword) const;
};

struct StringPiece {
  ByteRange Range;
  bool IsLiteral = true; ///< false: a hole (interpolated or concatenated expression)
  std::string Value;     ///< literal text, escapes decoded (empty for a hole)
};

struct StringExpr {
  enum KindT : uint8_t { Literal, Template, Concat };
  ByteRange Range;
  KindT Kind = Literal;
  std::vector<StringPiece> Pieces; ///< in text order; adjacent literal text is merged
  ByteRange Statement;
  ByteRange Scope;

  /// True if every piece is literal text (no hole).
  bool isConstant() const;
  /// The literal text with each hole replaced by \p Hole.
  std::string flatten(llvm::StringRef Hole = "\x1f") const;
};

struct Assignment {
  ByteRange Range;
  std::string Target;   ///< as written: "self.authtoken", "params['authtoken']", "x"
  ByteRange TargetRange;
  std::string Name;     ///< "authtoken", "x" (a subscript's string key, decoded)
  std::string Op;       ///< "=", "+=", ":=", "||=", …
  ByteRange Value;      ///< empty for a declaration without a value
  std::string Keyword;  ///< "const", "let", "var", "final", "val", … if declared so
  ByteRange Statement;
  ByteRange Scope;
};

struct KeyValue {
  ByteRange Range;
  std::string Key;      ///< decoded: "authtoken" for "authtoken", authtoken, :authtoken
  ByteRange KeyRange;
  ByteRange Value;
  ByteRange Container;  ///< the dict/object/array literal or argument list holding it
  ByteRange Statement;
  ByteRange Scope;
};

/// What the extractor found in one tree, each list in text order.
struct FileModel {
  Grammar G = Grammar::Python;
  std::vector<CallSite> Calls;
  std::vector<StringExpr> Strings; ///< every literal and template string
  std::vector<StringExpr> Concats; ///< outermost concatenations with a literal operand
  std::vector<Assignment> Assignments;
  std::vector<KeyValue> Pairs;
  /// Every statement: its whole range and what it reports (a compound statement such as
  /// `if (…) {…}`: its header), sorted by Begin, outer before inner.
  struct StatementRange {
    ByteRange Range;
    ByteRange Reported;
    /// No other statement lies inside Reported (a call whose callback has a body, an
    /// IIFE wrapping a module, is not a leaf).
    bool Leaf = true;
  };
  std::vector<StatementRange> Statements;

  /// The statement the byte at \p Offset belongs to: the innermost simple statement, or
  /// the header of the innermost compound statement; an empty range when the byte is in
  /// no statement or only in a compound statement's body (a whole function is not "the
  /// statement" of what it contains).
  ByteRange statementAt(uint32_t Offset) const;
};

/// The compiled model query of a grammar (queries/<grammar>.scm with its inherits),
/// compiled once per process and shared; an error names the query file and line.
llvm::Expected<const Query &> modelQuery(Grammar G);
/// The model query's source after resolving `; inherits:` (for tests and rule authors).
llvm::Expected<std::string> modelQuerySource(Grammar G);

/// Runs the model query of the tree's grammar and builds the model. Fails only when the
/// grammar's query does not compile; syntax errors in the tree just leave gaps.
llvm::Expected<FileModel> extractModel(const SyntaxTree &T);

/// Decodes the usual backslash escapes (\n \t \r \0 \\ \" \' \` \$ \/ \xHH \uHHHH \u{H…}
/// \UHHHHHHHH, octal \NNN, line continuations) to UTF-8; others are kept as written.
std::string decodeEscape(llvm::StringRef Escape);

} // namespace atm::syntax
