#include "fix/ProjectIndex.h"

#include <algorithm>
#include <set>

#include "lang/Language.h"
#include "syntax/ParsedFiles.h"
#include "syntax/Syntax.h"

#include "re2/re2.h"

namespace atm::fix {

namespace {

// Bounds of one extension's walk: directory entries seen, files parsed, bytes parsed.
constexpr size_t MaxEntries = 20000;
constexpr size_t MaxFiles = 4000;
constexpr size_t MaxFileBytes = 1u << 20;
constexpr size_t MaxTotalBytes = 64u << 20;

bool skippedDirectory(llvm::StringRef Name) {
  static const std::set<std::string> Skip{"node_modules", "vendor", "bower_components",
                                          "__pycache__", "site-packages", "dist", "build"};
  return Name.empty() || Name[0] == '.' || Skip.count(Name.str());
}

bool testFile(llvm::StringRef Path) {
  static const re2::RE2 Re(
      "(?i)(^|/)(tests?|specs?|__tests__|__mocks__)/|(^|/)test_[^/]*$|[._-](spec|test)s?\\.[^/.]+$");
  return re2::RE2::PartialMatch(re2::StringPiece(Path.data(), Path.size()), Re);
}

bool isFunctionNode(llvm::StringRef K) {
  return K == "function_definition" || K == "function_declaration" ||
         K == "method_definition" || K == "method_declaration" || K == "method" ||
         K == "singleton_method" || K == "constructor_declaration" ||
         K == "generator_function_declaration";
}

bool isClassNode(llvm::StringRef K) {
  return K == "class_definition" || K == "class_declaration" || K == "class" ||
         K == "module" || K == "trait_declaration" || K == "interface_declaration" ||
         K == "abstract_class_declaration";
}

/// The first name written in a superclass clause (`extends Base`, `(Base)`, `< Base`,
/// `: Base`), without its namespace or package.
std::string parentOf(syntax::Node Class) {
  static const std::set<std::string> Clauses{"base_clause", "superclasses", "superclass",
                                             "class_heritage", "base_list", "extends_clause"};
  for (syntax::Node K : Class.namedChildren(true)) {
    if (!Clauses.count(K.kind().str()))
      continue;
    llvm::StringRef T = K.text().trim();
    T.consume_front("extends");
    T = T.ltrim(" \t\r\n(<:");
    T = T.take_while([](char C) {
      return llvm::isAlnum(C) || C == '_' || C == '\\' || C == '.' || C == ':' || C == '$';
    });
    size_t Cut = T.find_last_of("\\.:");
    if (Cut != llvm::StringRef::npos)
      T = T.drop_front(Cut + 1);
    return T.str();
  }
  return "";
}

void collect(const syntax::SyntaxTree &Tree, const std::string &Path, std::vector<Definition> &Out) {
  struct Item {
    syntax::Node N;
    std::string Class;
  };
  std::vector<Item> Work{{Tree.root(), ""}};
  for (size_t Seen = 0; !Work.empty() && Seen < 400000; ++Seen) {
    Item It = std::move(Work.back());
    Work.pop_back();
    llvm::StringRef K = It.N.kind();
    std::string Inner = It.Class;
    if (isFunctionNode(K) || isClassNode(K)) {
      syntax::Node Name = It.N.field("name");
      if (Name && Name.text().size() < 200) {
        Definition D;
        D.Path = Path;
        D.Name = Name.text().str();
        // A Ruby `module A::B` / `class A::B`: the last name.
        size_t Cut = llvm::StringRef(D.Name).rfind("::");
        if (Cut != llvm::StringRef::npos)
          D.Name = D.Name.substr(Cut + 2);
        D.Line = It.N.startPoint().Row + 1;
        D.IsClass = isClassNode(K);
        if (D.IsClass) {
          D.Parent = parentOf(It.N);
          Inner = D.Name;
        } else {
          D.Class = It.Class;
        }
        Out.push_back(std::move(D));
      }
    }
    std::vector<syntax::Node> Kids = It.N.namedChildren(true);
    for (auto R = Kids.rbegin(); R != Kids.rend(); ++R)
      Work.push_back({*R, Inner});
  }
}

} // namespace

const std::vector<Definition> &ProjectIndex::defs(llvm::StringRef Ext) const {
  std::string Key = Ext.lower();
  std::lock_guard<std::mutex> Lock(Mu);
  auto &Slot = ByExt[Key];
  if (Slot)
    return *Slot;
  Slot = std::make_unique<std::vector<Definition>>();
  std::vector<Definition> &Out = *Slot;
  if (!Read || !List)
    return Out;
  std::vector<std::string> Dirs{""};
  size_t Entries = 0, Files = 0, Bytes = 0;
  while (!Dirs.empty() && Entries < MaxEntries && Files < MaxFiles && Bytes < MaxTotalBytes) {
    std::string Dir = Dirs.back();
    Dirs.pop_back();
    std::vector<std::string> Names = List(Dir);
    for (auto N = Names.rbegin(); N != Names.rend(); ++N) {
      const std::string &Name = *N;
      if (++Entries >= MaxEntries)
        break;
      std::string Child = Dir.empty() ? Name : Dir + "/" + Name;
      if (!llvm::StringRef(Name).endswith_insensitive(Key)) {
        if (llvm::StringRef(Name).find('.') == llvm::StringRef::npos && !skippedDirectory(Name))
          Dirs.push_back(Child); // a directory, most likely (a file lists nothing)
        continue;
      }
      if (testFile(Child) || Files >= MaxFiles || Bytes >= MaxTotalBytes)
        continue;
      auto Content = Read(Child);
      if (!Content) {
        llvm::consumeError(Content.takeError());
        continue;
      }
      if (Content->size() > MaxFileBytes)
        continue;
      ++Files;
      Bytes += Content->size();
      Language L = detectLanguage(Child, llvm::StringRef(*Content).take_front(4096));
      auto G = syntax::grammarFor(L, Child);
      if (!G)
        continue;
      if (Parsed)
        if (auto Kept = Parsed->get(*G, *Content)) {
          collect(Kept->Tree, Child, Out);
          continue;
        }
      auto Tree = syntax::parse(*G, *Content);
      if (!Tree) {
        llvm::consumeError(Tree.takeError());
        continue;
      }
      collect(*Tree, Child, Out);
    }
  }
  std::stable_sort(Out.begin(), Out.end(), [](const Definition &A, const Definition &B) {
    return std::tie(A.Path, A.Line) < std::tie(B.Path, B.Line);
  });
  return Out;
}

std::vector<Definition> ProjectIndex::find(llvm::StringRef Ext, llvm::StringRef Name) const {
  std::vector<Definition> Out;
  for (const Definition &D : defs(Ext))
    if (D.Name == Name)
      Out.push_back(D);
  return Out;
}

std::vector<Definition> ProjectIndex::findMethod(llvm::StringRef Ext, llvm::StringRef Class,
                                                 llvm::StringRef Method,
                                                 std::string &Missing) const {
  Missing.clear();
  const std::vector<Definition> &All = defs(Ext);
  std::string C = Class.str();
  std::set<std::string> Seen;
  for (int Level = 0; Level < 8 && !C.empty() && Seen.insert(C).second; ++Level) {
    std::vector<Definition> Out;
    for (const Definition &D : All)
      if (!D.IsClass && D.Class == C && D.Name == Method)
        Out.push_back(D);
    if (!Out.empty())
      return Out;
    const Definition *Def = nullptr;
    for (const Definition &D : All)
      if (D.IsClass && D.Name == C) {
        if (Def && Def->Parent != D.Parent)
          return {}; // two classes of that name: which one is meant is unclear
        Def = &D;
      }
    if (!Def) {
      Missing = C;
      return {};
    }
    C = Def->Parent;
  }
  return {};
}

} // namespace atm::fix
