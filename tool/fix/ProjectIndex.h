#pragma once
/// \file
/// A repository-wide index of function, method and class definitions, by name, for the
/// fix stage (issues 12/13): a request sent through the project's own transport in another
/// file (a parent class's `sendRequest`, a `ZohoHttpClient.get`, a `TransportMachinery.post`)
/// is looked up here, so the reason a finding is left says where that transport is
/// defined, or that it is not in the repository (a library's). Built from syntax trees:
/// the trees the scan kept (syntax::ParsedFiles) where the text matches, else each file of
/// the asked extension is parsed on demand, once per index. Thread-safe.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

namespace atm::syntax {
class ParsedFiles;
} // namespace atm::syntax

namespace atm::fix {

/// One definition in one file.
struct Definition {
  std::string Path;   ///< root-relative display path
  std::string Name;   ///< the function's, method's or class's name
  std::string Class;  ///< method: its enclosing class or module ("" for a free function)
  std::string Parent; ///< class: the class it extends ("" when none is written)
  bool IsClass = false;
  unsigned Line = 0;  ///< 1-based line of the definition
};

class ProjectIndex {
public:
  using Reader = std::function<llvm::Expected<std::string>(llvm::StringRef)>;
  using Lister = std::function<std::vector<std::string>(llvm::StringRef)>;
  ProjectIndex(Reader Read, Lister List, const syntax::ParsedFiles *Parsed)
      : Read(std::move(Read)), List(std::move(List)), Parsed(Parsed) {}

  /// The definitions named \p Name in the files whose name ends with \p Ext (".php"),
  /// tests and hidden or vendored directories excluded; in path order.
  std::vector<Definition> find(llvm::StringRef Ext, llvm::StringRef Name) const;
  /// The methods named \p Method of class \p Class or of the classes it extends (as far
  /// as they are defined in the repository, 8 levels at most). \p Missing is set to the
  /// first class of that chain the repository does not define ("" when the chain ends
  /// with a class that extends nothing).
  std::vector<Definition> findMethod(llvm::StringRef Ext, llvm::StringRef Class,
                                     llvm::StringRef Method, std::string &Missing) const;

private:
  const std::vector<Definition> &defs(llvm::StringRef Ext) const;
  Reader Read;
  Lister List;
  const syntax::ParsedFiles *Parsed;
  mutable std::mutex Mu;
  mutable std::map<std::string, std::unique_ptr<std::vector<Definition>>> ByExt;
};

} // namespace atm::fix
