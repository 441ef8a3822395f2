#pragma once
/// \file
/// Parsed files handed from the detection stage to the fix plan: `scan` parses each
/// candidate file and extracts its model (tool/detect), then plans the fixes of the files
/// with findings (tool/fix), which needs the same tree and model. Keeping them here saves
/// the second parse and model query run. An entry is found only for the very same text
/// (and grammar), so a file that changed between the two stages is parsed again.

#include <cstddef>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "syntax/Model.h"
#include "syntax/Syntax.h"

#include "llvm/ADT/StringRef.h"

namespace atm::syntax {

struct ParsedFile {
  SyntaxTree Tree;
  FileModel Model;
};

/// Thread-safe. Bounded by the total size of the texts kept (\p MaxTextBytes): past it,
/// put() keeps nothing more (a tree costs several times its text).
class ParsedFiles {
public:
  explicit ParsedFiles(size_t MaxTextBytes = 8u << 20) : MaxTextBytes(MaxTextBytes) {}

  /// Keeps \p Tree and a copy of \p Model (its tree's).
  void put(SyntaxTree Tree, const FileModel &Model);
  /// The parse of exactly \p Text with \p G, if kept.
  std::shared_ptr<const ParsedFile> get(Grammar G, llvm::StringRef Text) const;
  size_t size() const;

private:
  size_t MaxTextBytes;
  mutable std::mutex Mu;
  size_t TextBytes = 0;
  std::unordered_multimap<uint64_t, std::shared_ptr<const ParsedFile>> ByHash;
};

} // namespace atm::syntax
