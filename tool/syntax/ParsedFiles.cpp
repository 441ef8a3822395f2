#include "syntax/ParsedFiles.h"

#include "llvm/Support/xxhash.h"

namespace atm::syntax {

namespace {
uint64_t key(Grammar G, llvm::StringRef Text) {
  return llvm::xxHash64(Text) ^ (static_cast<uint64_t>(G) * 0x9E3779B97F4A7C15ull);
}
} // namespace

void ParsedFiles::put(SyntaxTree Tree, const FileModel &Model) {
  llvm::StringRef Text = Tree.text();
  uint64_t K = key(Tree.grammar(), Text);
  size_t Bytes = Text.size();
  std::lock_guard<std::mutex> Lock(Mu);
  if (TextBytes + Bytes > MaxTextBytes)
    return;
  TextBytes += Bytes;
  ByHash.emplace(K, std::make_shared<const ParsedFile>(ParsedFile{std::move(Tree), Model}));
}

std::shared_ptr<const ParsedFile> ParsedFiles::get(Grammar G, llvm::StringRef Text) const {
  uint64_t K = key(G, Text);
  std::lock_guard<std::mutex> Lock(Mu);
  auto [B, E] = ByHash.equal_range(K);
  for (auto It = B; It != E; ++It)
    if (It->second->Tree.grammar() == G && It->second->Tree.text() == Text)
      return It->second;
  return nullptr;
}

size_t ParsedFiles::size() const {
  std::lock_guard<std::mutex> Lock(Mu);
  return ByHash.size();
}

} // namespace atm::syntax
