#pragma once
/// \file
/// A thin layer over llvm::yaml::Stream for reading data files (rules, catalogue,
/// baselines) with errors that name file:line:col.

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/YAMLParser.h"

namespace atm {

/// One YAML document read from a file, kept alive with its source buffer.
class YamlFile {
public:
  /// Reads and parses \p Path. Syntax errors become an Error naming file:line:col.
  static llvm::Expected<std::unique_ptr<YamlFile>> load(llvm::StringRef Path);
  /// Parses \p Content as if read from \p Name (tests, embedded data).
  static llvm::Expected<std::unique_ptr<YamlFile>> parse(llvm::StringRef Content,
                                                         llvm::StringRef Name);

  /// The root node (a mapping, checked).
  llvm::yaml::MappingNode *root() const { return Root; }
  const std::string &path() const { return Path; }

  /// An error "file:line:col: message" pointing at \p N.
  llvm::Error error(const llvm::yaml::Node *N, const llvm::Twine &Msg) const;
  /// 1-based line of \p N's start (0 without a node).
  unsigned line(const llvm::yaml::Node *N) const;

  /// Scalar value of \p N (plain, quoted or block); an error if not a scalar.
  llvm::Expected<std::string> scalar(llvm::yaml::Node *N) const;
  /// A scalar or a sequence of scalars, as a list.
  llvm::Expected<std::vector<std::string>> scalarList(llvm::yaml::Node *N) const;
  /// Key text of a mapping entry.
  llvm::Expected<std::string> key(llvm::yaml::KeyValueNode &KV) const;

private:
  YamlFile() = default;
  std::string Path;
  /// The first diagnostic the YAML parser reported ("line:col: message"); the SourceMgr's
  /// handler writes here for the file's whole life (a scalar's escapes are decoded, and
  /// may be reported, only when its value is read).
  mutable std::string Diag;
  llvm::SourceMgr SM;
  std::unique_ptr<llvm::yaml::Stream> Stream;
  llvm::yaml::MappingNode *Root = nullptr;
};

/// Reads the mapping \p N of \p F with a fixed key set, calling \p Fn per entry; a
/// non-mapping or an unknown key is an error (with a "did you mean").
llvm::Error
forEachKey(const YamlFile &F, llvm::yaml::Node *N, llvm::ArrayRef<llvm::StringRef> Known,
           llvm::function_ref<llvm::Error(llvm::StringRef, llvm::yaml::KeyValueNode &)> Fn);

/// Returns "did you mean 'x'?" for the closest of \p Known to \p Got, or "".
std::string didYouMean(llvm::StringRef Got, llvm::ArrayRef<llvm::StringRef> Known);

} // namespace atm
