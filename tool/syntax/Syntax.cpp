//===- Syntax.cpp - tree-sitter parsing behind syntax/Syntax.h ------------===//

#include "syntax/Syntax.h"

#include <algorithm>

#include <array>
#include <cstdlib>
#include <cstring>

#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/Path.h"
#include "tree_sitter/api.h"

extern "C" {
#define GRAMMAR(Enum, Name, Symbol) const TSLanguage *Symbol(void);
#include "syntax/Grammars.def"
}

namespace atm::syntax {

namespace detail {
struct TreeData {
  Grammar G;
  std::string Text;
  TSTree *Tree = nullptr;
  std::vector<SyntaxError> Errors;
  ~TreeData() {
    if (Tree)
      ts_tree_delete(Tree);
  }
};
} // namespace detail

static_assert(sizeof(Node::Raw) == sizeof(TSNode), "Node::Raw must mirror TSNode");
static_assert(alignof(Node::Raw) == alignof(TSNode), "Node::Raw must mirror TSNode");

namespace {

struct GrammarInfo {
  const char *Name;
  const TSLanguage *(*Entry)();
};

const GrammarInfo Grammars[] = {
#define GRAMMAR(Enum, Name, Symbol) {Name, &Symbol},
#include "syntax/Grammars.def"
};

struct Pin {
  const char *Grammar;
  const char *Package;
  const char *Version;
};
const Pin Pins[] = {
#define ATM_GRAMMAR_PIN(G, P, V) {G, P, V},
#include "GrammarPins.inc"
#undef ATM_GRAMMAR_PIN
};

const Pin *pinFor(Grammar G) {
  for (const Pin &P : Pins)
    if (grammarName(G) == P.Grammar)
      return &P;
  return nullptr;
}

TSNode toTs(const Node::Raw &R) {
  TSNode N;
  std::memcpy(&N, &R, sizeof N);
  return N;
}

Node wrap(const detail::TreeData *Owner, TSNode N) {
  if (ts_node_is_null(N))
    return Node();
  Node::Raw R;
  std::memcpy(&R, &N, sizeof R);
  return Node(Owner, R);
}

/// One parser per grammar per thread, created on first use.
struct ThreadParsers {
  std::array<TSParser *, NumGrammars> P{};
  ~ThreadParsers() {
    for (TSParser *X : P)
      if (X)
        ts_parser_delete(X);
  }
};

/// Collects the outermost ERROR/MISSING nodes, descending only into subtrees with errors.
void collectErrors(TSNode N, std::vector<SyntaxError> &Out) {
  if (!ts_node_has_error(N))
    return;
  if (ts_node_is_missing(N) || std::strcmp(ts_node_type(N), "ERROR") == 0) {
    SyntaxError E;
    E.Range = {ts_node_start_byte(N), ts_node_end_byte(N)};
    TSPoint P = ts_node_start_point(N);
    E.Start = {P.row, P.column};
    E.Missing = ts_node_is_missing(N);
    if (E.Missing)
      E.MissingKind = ts_node_type(N);
    Out.push_back(std::move(E));
    return;
  }
  // Iterative over siblings, recursive over depth (bounded by the tree's depth).
  TSTreeCursor C = ts_tree_cursor_new(N);
  if (ts_tree_cursor_goto_first_child(&C)) {
    do
      collectErrors(ts_tree_cursor_current_node(&C), Out);
    while (ts_tree_cursor_goto_next_sibling(&C));
  }
  ts_tree_cursor_delete(&C);
}

} // namespace

llvm::StringRef grammarName(Grammar G) { return Grammars[static_cast<unsigned>(G)].Name; }

std::optional<Grammar> parseGrammarName(llvm::StringRef Name) {
  for (unsigned I = 0; I < NumGrammars; ++I)
    if (Name == Grammars[I].Name)
      return static_cast<Grammar>(I);
  return std::nullopt;
}

const std::vector<Grammar> &allGrammars() {
  static const std::vector<Grammar> All = [] {
    std::vector<Grammar> V;
    for (unsigned I = 0; I < NumGrammars; ++I)
      V.push_back(static_cast<Grammar>(I));
    return V;
  }();
  return All;
}

llvm::StringRef grammarPackage(Grammar G) {
  const Pin *P = pinFor(G);
  return P ? P->Package : "";
}

llvm::StringRef grammarVersion(Grammar G) {
  const Pin *P = pinFor(G);
  return P ? P->Version : "";
}

unsigned grammarAbi(Grammar G) { return ts_language_version(Grammars[static_cast<unsigned>(G)].Entry()); }

std::optional<Grammar> grammarFor(Language L, llvm::StringRef Path) {
  llvm::StringRef Ext = llvm::sys::path::extension(Path);
  auto ExtIs = [&](std::initializer_list<llvm::StringRef> Exts) {
    for (llvm::StringRef E : Exts)
      if (Ext.equals_insensitive(E))
        return true;
    return false;
  };
  switch (L) {
  case Language::Python:
    return Grammar::Python;
  case Language::JavaScript:
    if (ExtIs({".ts", ".mts", ".cts"}))
      return Grammar::TypeScript;
    if (ExtIs({".tsx"}))
      return Grammar::Tsx;
    if (ExtIs({".vue", ".svelte"}))
      return std::nullopt; // single-file components: HTML around the script
    return Grammar::JavaScript;
  case Language::PHP:
    return Grammar::PHP;
  case Language::Java:
    if (ExtIs({".groovy", ".gradle"}))
      return std::nullopt;
    return Grammar::Java;
  case Language::CSharp:
    if (ExtIs({".cshtml", ".vb"}))
      return std::nullopt;
    return Grammar::CSharp;
  case Language::Ruby:
    if (ExtIs({".erb"}))
      return std::nullopt;
    return Grammar::Ruby;
  case Language::Go:
    return Grammar::Go;
  case Language::Shell: {
    llvm::StringRef File = llvm::sys::path::filename(Path);
    if (File == "Dockerfile" || File.endswith("akefile"))
      return std::nullopt;
    return Grammar::Bash; // also .zsh/.ksh: close enough to bash for calls and strings
  }
  case Language::Kotlin:
    return Grammar::Kotlin;
  case Language::Scala:
    return Grammar::Scala;
  default:
    return std::nullopt;
  }
}

namespace detail {
const void *tsLanguage(Grammar G) { return Grammars[static_cast<unsigned>(G)].Entry(); }
} // namespace detail

//===--------------------------------------------------------------------===//
// Node
//===--------------------------------------------------------------------===//

bool Node::isNull() const { return Owner == nullptr || ts_node_is_null(toTs(R)); }

llvm::StringRef Node::kind() const { return isNull() ? "" : ts_node_type(toTs(R)); }
bool Node::isNamed() const { return !isNull() && ts_node_is_named(toTs(R)); }
bool Node::isExtra() const { return !isNull() && ts_node_is_extra(toTs(R)); }
bool Node::isMissing() const { return !isNull() && ts_node_is_missing(toTs(R)); }
bool Node::isError() const { return !isNull() && (isMissing() || kind() == "ERROR"); }
bool Node::hasError() const { return !isNull() && ts_node_has_error(toTs(R)); }

ByteRange Node::range() const {
  if (isNull())
    return {};
  TSNode N = toTs(R);
  return {ts_node_start_byte(N), ts_node_end_byte(N)};
}

Point Node::startPoint() const {
  if (isNull())
    return {};
  TSPoint P = ts_node_start_point(toTs(R));
  return {P.row, P.column};
}

Point Node::endPoint() const {
  if (isNull())
    return {};
  TSPoint P = ts_node_end_point(toTs(R));
  return {P.row, P.column};
}

llvm::StringRef Node::text() const {
  if (isNull())
    return "";
  ByteRange B = range();
  return llvm::StringRef(Owner->Text).slice(B.Begin, B.End);
}

llvm::StringRef Node::sourceText() const { return Owner ? llvm::StringRef(Owner->Text) : ""; }

Node Node::parent() const { return isNull() ? Node() : wrap(Owner, ts_node_parent(toTs(R))); }
unsigned Node::childCount() const { return isNull() ? 0 : ts_node_child_count(toTs(R)); }
Node Node::child(unsigned I) const { return isNull() ? Node() : wrap(Owner, ts_node_child(toTs(R), I)); }
unsigned Node::namedChildCount() const { return isNull() ? 0 : ts_node_named_child_count(toTs(R)); }
Node Node::namedChild(unsigned I) const {
  return isNull() ? Node() : wrap(Owner, ts_node_named_child(toTs(R), I));
}

std::vector<Node> Node::children() const {
  std::vector<Node> Out;
  if (isNull())
    return Out;
  TSTreeCursor C = ts_tree_cursor_new(toTs(R));
  if (ts_tree_cursor_goto_first_child(&C)) {
    do
      Out.push_back(wrap(Owner, ts_tree_cursor_current_node(&C)));
    while (ts_tree_cursor_goto_next_sibling(&C));
  }
  ts_tree_cursor_delete(&C);
  return Out;
}

std::vector<Node> Node::namedChildren(bool SkipExtras) const {
  std::vector<Node> Out;
  for (const Node &C : children())
    if (C.isNamed() && !(SkipExtras && C.isExtra()))
      Out.push_back(C);
  return Out;
}

Node Node::field(llvm::StringRef Field) const {
  if (isNull())
    return Node();
  return wrap(Owner, ts_node_child_by_field_name(toTs(R), Field.data(), Field.size()));
}

std::vector<Node> Node::fieldAll(llvm::StringRef Field) const {
  std::vector<Node> Out;
  if (isNull())
    return Out;
  TSTreeCursor C = ts_tree_cursor_new(toTs(R));
  if (ts_tree_cursor_goto_first_child(&C)) {
    do {
      const char *F = ts_tree_cursor_current_field_name(&C);
      if (F && Field == F)
        Out.push_back(wrap(Owner, ts_tree_cursor_current_node(&C)));
    } while (ts_tree_cursor_goto_next_sibling(&C));
  }
  ts_tree_cursor_delete(&C);
  return Out;
}

llvm::StringRef Node::fieldNameOfChild(unsigned I) const {
  if (isNull())
    return "";
  const char *F = ts_node_field_name_for_child(toTs(R), I);
  return F ? F : "";
}

Node Node::nextSibling() const { return isNull() ? Node() : wrap(Owner, ts_node_next_sibling(toTs(R))); }
Node Node::prevSibling() const { return isNull() ? Node() : wrap(Owner, ts_node_prev_sibling(toTs(R))); }
Node Node::nextNamedSibling() const {
  return isNull() ? Node() : wrap(Owner, ts_node_next_named_sibling(toTs(R)));
}
Node Node::prevNamedSibling() const {
  return isNull() ? Node() : wrap(Owner, ts_node_prev_named_sibling(toTs(R)));
}
Node Node::namedDescendantFor(ByteRange B) const {
  if (isNull())
    return Node();
  return wrap(Owner, ts_node_named_descendant_for_byte_range(toTs(R), B.Begin, B.End));
}

std::string Node::sexp() const {
  if (isNull())
    return "";
  char *S = ts_node_string(toTs(R));
  std::string Out = S ? S : "";
  std::free(S);
  return Out;
}

bool Node::operator==(const Node &O) const {
  if (isNull() || O.isNull())
    return isNull() == O.isNull();
  return ts_node_eq(toTs(R), toTs(O.R));
}

//===--------------------------------------------------------------------===//
// SyntaxTree and parse
//===--------------------------------------------------------------------===//

SyntaxTree::SyntaxTree(std::unique_ptr<detail::TreeData> D) : D(std::move(D)) {}
SyntaxTree::SyntaxTree(SyntaxTree &&) noexcept = default;
SyntaxTree &SyntaxTree::operator=(SyntaxTree &&) noexcept = default;
SyntaxTree::~SyntaxTree() = default;

Grammar SyntaxTree::grammar() const { return D->G; }
llvm::StringRef SyntaxTree::text() const { return D->Text; }
const std::vector<SyntaxError> &SyntaxTree::errors() const { return D->Errors; }
Node SyntaxTree::root() const { return wrap(D.get(), ts_tree_root_node(D->Tree)); }

unsigned SyntaxTree::maxDepth(unsigned Cap) const {
  TSTreeCursor C = ts_tree_cursor_new(ts_tree_root_node(D->Tree));
  unsigned Depth = 1, Max = 1;
  while (Max < Cap) {
    if (ts_tree_cursor_goto_first_child(&C)) {
      Max = std::max(Max, ++Depth);
      continue;
    }
    bool Moved = false;
    while (!Moved) {
      if (ts_tree_cursor_goto_next_sibling(&C)) {
        Moved = true;
      } else if (ts_tree_cursor_goto_parent(&C)) {
        --Depth;
      } else {
        ts_tree_cursor_delete(&C);
        return Max;
      }
    }
  }
  ts_tree_cursor_delete(&C);
  return Max;
}

llvm::Expected<SyntaxTree> parse(Grammar G, llvm::StringRef Text) {
  if (Text.size() > UINT32_MAX)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "file too large for the syntax parser (over 4 GiB)");
  thread_local ThreadParsers Parsers;
  TSParser *&P = Parsers.P[static_cast<unsigned>(G)];
  if (!P) {
    P = ts_parser_new();
    const TSLanguage *Lang = static_cast<const TSLanguage *>(detail::tsLanguage(G));
    if (!ts_parser_set_language(P, Lang)) {
      ts_parser_delete(P);
      P = nullptr;
      return llvm::createStringError(
          llvm::inconvertibleErrorCode(),
          "cannot load the %s grammar: it is ABI %u, the tree-sitter runtime loads ABI %d-%d",
          grammarName(G).str().c_str(), ts_language_version(Lang),
          TREE_SITTER_MIN_COMPATIBLE_LANGUAGE_VERSION, TREE_SITTER_LANGUAGE_VERSION);
    }
  }
  auto D = std::make_unique<detail::TreeData>();
  D->G = G;
  D->Text = Text.str();
  D->Tree = ts_parser_parse_string(P, nullptr, D->Text.data(), static_cast<uint32_t>(D->Text.size()));
  if (!D->Tree) {
    ts_parser_reset(P);
    return llvm::createStringError(llvm::inconvertibleErrorCode(), "the %s parser gave up",
                                   grammarName(G).str().c_str());
  }
  collectErrors(ts_tree_root_node(D->Tree), D->Errors);
  return SyntaxTree(std::move(D));
}

llvm::Expected<SyntaxTree> parse(Language L, llvm::StringRef Text, llvm::StringRef Path) {
  std::optional<Grammar> G = grammarFor(L, Path);
  if (!G) {
    std::string Msg = "no syntax grammar for language '" + languageName(L).str() + "'";
    if (!Path.empty())
      Msg += " (" + Path.str() + ")";
    return llvm::createStringError(llvm::inconvertibleErrorCode(), Msg);
  }
  return parse(*G, Text);
}

} // namespace atm::syntax
