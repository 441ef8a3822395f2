#pragma once
/// \file
/// Edits as plain byte ranges, shared by every stage that rewrites: the Clang front end
/// converts its clang::tooling::Replacements into these at the boundary, and `fix`
/// (tool/fix) builds them from syntax trees, so no layer above sees Clang types.

#include <cstddef>
#include <string>
#include <vector>

namespace atm {

/// One byte-offset replacement in one file (like clang::tooling::Replacement).
struct TextEdit {
  std::string Path;        ///< absolute (real) path
  std::string DisplayPath; ///< relative to the scan root, '/' separators
  size_t Offset = 0;       ///< bytes
  size_t Length = 0;       ///< bytes replaced
  std::string Text;        ///< inserted text
};

/// The edits that fix one finding. Edits of different fixes may be identical (an
/// `#include` inserted once per file); they never overlap otherwise.
struct FindingFix {
  std::string RuleId;
  std::string Message;
  std::string Path;        ///< absolute path of the finding's file
  std::string DisplayPath; ///< the finding's display path
  size_t Offset = 0;       ///< the finding's byte offset
  std::string Fingerprint; ///< the finding's fingerprint
  std::string Note;        ///< what the fix does (the finding's FixNote)
  std::vector<TextEdit> Edits;
};

/// Applies \p Edits (for one file; any order, identical duplicates allowed) to \p Text.
/// Returns false (and leaves \p Text alone) when two different edits overlap.
bool applyEdits(std::string &Text, std::vector<TextEdit> Edits);

} // namespace atm
