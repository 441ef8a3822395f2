#pragma once
/// \file
/// Dropping the legacy `authtoken=…` parameter (and its dead `scope=…api` companion) from
/// a URL, query string or form body as the code spells it, for the fixers that do not go
/// through syntax::StringExpr (shell words, Deluge concatenations).
///
/// The caller decodes the expression into items: each a literal character (escapes
/// decoded) or a hole (an expansion, a variable, a call: text whose value is not known),
/// with the raw byte range it comes from. removedParams() says which items go; the caller
/// turns each run of removed items into an edit of the raw text, repairing the quoting
/// its language needs where a run starts and ends in different literals.

#include <optional>
#include <string>
#include <vector>

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

namespace atm::fix {

struct ParamItem {
  bool Hole = false;
  char C = 0;       ///< the decoded character (literal items)
  size_t Begin = 0; ///< raw byte range of the item
  size_t End = 0;
};

/// A run of items [First, Last] (inclusive) to delete.
struct ItemRun {
  size_t First = 0;
  size_t Last = 0;
};

struct ParamRemoval {
  std::vector<ItemRun> Runs;
  bool Authtoken = false;       ///< an authtoken parameter is among them
  bool Scope = false;           ///< a legacy scope parameter is among them
  bool Everything = false;      ///< no parameter is left (a form body that becomes empty)
  bool QuestionRemoved = false; ///< the `?` goes too (no parameter is left after it)
};

/// The items to delete so that no `authtoken` parameter (key compared without case) is
/// left, nor a legacy `scope=…api` one (isLegacyScopeValue) when \p ScopeAlone or an
/// authtoken is removed too. \p FormBody: the whole text is `k=v&k=v` (a `-d` value, a
/// Deluge parameter string); otherwise the parameters start after the first literal `?`
/// (or, with no `?`, after the first `&`: `$BASE&authtoken=…`) and end at a literal `#`.
/// What is left stays a well-formed query: `?` goes when no parameter is left, one `&`
/// between the kept ones. Returns nullopt (with \p Why) when an authtoken parameter is
/// there but its value is not one literal or one hole (`authtoken=$A$B`), or its key is
/// built from a hole; an empty removal when there is nothing to remove.
std::optional<ParamRemoval> removedParams(llvm::ArrayRef<ParamItem> Items, bool FormBody,
                                          bool ScopeAlone, std::string &Why);

/// The decoded text of items with each hole as \p Hole.
std::string flattenItems(llvm::ArrayRef<ParamItem> Items, llvm::StringRef Hole = "\x1f");

} // namespace atm::fix
