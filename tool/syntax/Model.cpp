//===- Model.cpp - the query-driven model extractor -----------------------===//

#include "syntax/Model.h"

#include <algorithm>
#include <array>
#include <mutex>
#include <unordered_map>
#include <unordered_set>

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/ConvertUTF.h"

namespace atm::syntax {

namespace detail {
struct EmbeddedQuery {
  const char *Grammar;
  const char *Path;
  const char *Source;
};
extern const EmbeddedQuery BuiltinQueries[];
} // namespace detail

namespace {

const detail::EmbeddedQuery *findQueryFile(llvm::StringRef Name) {
  for (const detail::EmbeddedQuery *Q = detail::BuiltinQueries; Q->Grammar; ++Q)
    if (Name == Q->Grammar)
      return Q;
  return nullptr;
}

/// Appends \p Name's query and, first, what it inherits. Lines are kept so that
/// offsets can be mapped back to (file, line) for error messages.
struct Piece {
  std::string Path;
  size_t Offset; ///< where this file starts in the combined source
  size_t Size;
};

llvm::Error resolve(llvm::StringRef Name, std::string &Out, std::vector<Piece> &Pieces, int Depth) {
  const detail::EmbeddedQuery *Q = findQueryFile(Name);
  if (!Q)
    return llvm::createStringError(llvm::inconvertibleErrorCode(), "no model query file queries/%s.scm",
                                   Name.str().c_str());
  if (Depth > 8)
    return llvm::createStringError(llvm::inconvertibleErrorCode(), "%s: '; inherits:' nests too deep",
                                   Q->Path);
  llvm::StringRef Src(Q->Source);
  llvm::StringRef Rest = Src;
  while (!Rest.empty()) {
    auto [Line, Tail] = Rest.split('\n');
    llvm::StringRef L = Line.trim();
    if (!L.consume_front(";"))
      break;
    L = L.ltrim();
    if (L.consume_front("inherits:"))
      for (llvm::StringRef Parent : llvm::split(L, ','))
        if (!Parent.trim().empty())
          if (llvm::Error E = resolve(Parent.trim(), Out, Pieces, Depth + 1))
            return E;
    Rest = Tail;
  }
  Pieces.push_back({Q->Path, Out.size(), Src.size()});
  Out += Src.str();
  if (!Src.endswith("\n"))
    Out += "\n";
  return llvm::Error::success();
}

struct Compiled {
  std::once_flag Once;
  std::optional<Query> Q;
  std::string Error;
};

std::array<Compiled, NumGrammars> &compiledQueries() {
  static std::array<Compiled, NumGrammars> C;
  return C;
}

uint64_t key(const Node &N) { return reinterpret_cast<uintptr_t>(N.raw().Id); }

/// For each query point, the innermost interval of a laminar family containing it.
/// Intervals and points are ranges; containment is [B, E] ⊇ [b, e].
template <typename T>
std::vector<const T *> innermost(const std::vector<T> &Containers, const std::vector<ByteRange> &Points,
                                 ByteRange (*RangeOf)(const T &)) {
  std::vector<size_t> CI(Containers.size()), PI(Points.size());
  for (size_t I = 0; I < CI.size(); ++I)
    CI[I] = I;
  for (size_t I = 0; I < PI.size(); ++I)
    PI[I] = I;
  auto Less = [](ByteRange A, ByteRange B) { return A.Begin != B.Begin ? A.Begin < B.Begin : A.End > B.End; };
  std::sort(CI.begin(), CI.end(), [&](size_t A, size_t B) { return Less(RangeOf(Containers[A]), RangeOf(Containers[B])); });
  std::sort(PI.begin(), PI.end(), [&](size_t A, size_t B) { return Less(Points[A], Points[B]); });
  std::vector<const T *> Out(Points.size(), nullptr);
  std::vector<const T *> Stack;
  size_t C = 0;
  for (size_t P : PI) {
    ByteRange R = Points[P];
    // Open every container starting before the point, or at it and at least as large.
    while (C < CI.size()) {
      ByteRange CR = RangeOf(Containers[CI[C]]);
      if (CR.Begin < R.Begin || (CR.Begin == R.Begin && CR.End >= R.End)) {
        while (!Stack.empty() && RangeOf(*Stack.back()).End < CR.End)
          Stack.pop_back();
        Stack.push_back(&Containers[CI[C]]);
        ++C;
      } else {
        break;
      }
    }
    while (!Stack.empty() && !RangeOf(*Stack.back()).contains(R))
      Stack.pop_back();
    Out[P] = Stack.empty() ? nullptr : Stack.back();
  }
  return Out;
}

struct Container {
  ByteRange Range;
  ByteRange Reported; ///< what a statement reports (a compound statement: its header)
  std::string Name;   ///< a scope's name
};
ByteRange rangeOfContainer(const Container &C) { return C.Range; }

void appendUtf8(std::string &Out, uint32_t CP) {
  char Buf[8];
  char *P = Buf;
  if (llvm::ConvertCodePointToUTF8(CP, P))
    Out.append(Buf, P);
  else
    Out += "\xEF\xBF\xBD";
}

/// The key of an entry: decoded string, or the name without Ruby's symbol colons.
std::string keyText(const Node &K, const std::unordered_map<uint64_t, const StringExpr *> &Strings) {
  auto It = Strings.find(key(K));
  if (It != Strings.end())
    return It->second->flatten();
  // A key wrapped in one node (PHP's encapsed string, a parenthesised key): use the string inside.
  if (K.namedChildCount() == 1) {
    auto In = Strings.find(key(K.namedChild(0)));
    if (In != Strings.end() && In->second->Range == K.range())
      return In->second->flatten();
  }
  llvm::StringRef T = K.text();
  if (K.kind().contains("symbol")) {
    T.consume_front(":");
    T.consume_back(":");
    if (T.size() >= 2 && (T.front() == '"' || T.front() == '\'') && T.back() == T.front())
      T = T.drop_front().drop_back();
  }
  return T.str();
}

/// The last identifier-like run of \p Callee ("requests.get" -> "get", "$c->get" -> "get").
std::string lastName(llvm::StringRef Callee) {
  size_t E = Callee.size();
  while (E > 0 && !(llvm::isAlnum(Callee[E - 1]) || Callee[E - 1] == '_' || Callee[E - 1] == '$'))
    --E;
  size_t B = E;
  while (B > 0 && (llvm::isAlnum(Callee[B - 1]) || Callee[B - 1] == '_' || Callee[B - 1] == '$'))
    --B;
  return Callee.slice(B, E).str();
}

class Extractor {
public:
  Extractor(const SyntaxTree &T, const Query &Q) : T(T), Q(Q) {}

  FileModel run();

private:
  enum Role : uint8_t { Fragment, Escape, Hole };
  void stringPieces(const Node &S, bool Raw, std::vector<StringPiece> &Out) const;
  void walkPiece(const Node &N, bool Raw, std::vector<StringPiece> &Out) const;
  void literalRegion(const Node &N, uint32_t B, uint32_t E, bool Raw, std::vector<StringPiece> &Out) const;
  void roleNodes(const Node &N, std::vector<Node> &Out) const;
  bool concatHasLiteral(const Node &N) const;
  void flattenConcat(const Node &N, std::vector<StringPiece> &Out) const;

  const SyntaxTree &T;
  const Query &Q;
  std::unordered_map<uint64_t, Role> Roles;
  std::unordered_set<uint64_t> RawStrings, ConcatNodes;
  std::unordered_map<uint64_t, const StringExpr *> StringByNode;
};

void addPiece(std::vector<StringPiece> &Out, ByteRange R, bool Literal, llvm::StringRef Value) {
  if (Literal && !Out.empty() && Out.back().IsLiteral && Out.back().Range.End == R.Begin) {
    Out.back().Range.End = R.End;
    Out.back().Value += Value.str();
    return;
  }
  if (Literal && R.empty() && Value.empty())
    return;
  Out.push_back({R, Literal, Literal ? Value.str() : std::string()});
}

void Extractor::roleNodes(const Node &N, std::vector<Node> &Out) const {
  for (const Node &C : N.children()) {
    auto It = Roles.find(key(C));
    if (It != Roles.end() && It->second != Fragment)
      Out.push_back(C);
    else
      roleNodes(C, Out);
  }
}

void Extractor::literalRegion(const Node &N, uint32_t B, uint32_t E, bool Raw,
                              std::vector<StringPiece> &Out) const {
  // Text in [B, E) is literal except for the escapes and holes below N.
  llvm::StringRef Text = T.text();
  std::vector<Node> Parts;
  roleNodes(N, Parts);
  uint32_t At = B;
  for (const Node &C : Parts) {
    if (C.end() <= B || C.begin() >= E || C.begin() < At)
      continue;
    if (C.begin() > At)
      addPiece(Out, {At, C.begin()}, true, Text.slice(At, C.begin()));
    walkPiece(C, Raw, Out);
    At = C.end();
  }
  if (E > At)
    addPiece(Out, {At, E}, true, Text.slice(At, E));
}

void Extractor::walkPiece(const Node &N, bool Raw, std::vector<StringPiece> &Out) const {
  auto It = Roles.find(key(N));
  if (It != Roles.end()) {
    switch (It->second) {
    case Hole:
      addPiece(Out, N.range(), false, "");
      return;
    case Escape:
      addPiece(Out, N.range(), true, Raw ? N.text().str() : decodeEscape(N.text()));
      return;
    case Fragment:
      literalRegion(N, N.begin(), N.end(), Raw, Out);
      return;
    }
  }
  for (const Node &C : N.children())
    walkPiece(C, Raw, Out);
}

/// PHP's complex interpolation `"…{$x}…"` (and `"…${x}…"`): tree-sitter-php leaves the
/// braces outside the hole node, the `}` at the start of the next string_content; the hole
/// takes them, so that the literal pieces hold only what the string holds.
void phpBracedHoles(llvm::StringRef Text, std::vector<StringPiece> &P) {
  for (size_t I = 0; I < P.size(); ++I) {
    StringPiece &H = P[I];
    if (H.IsLiteral || H.Range.Begin == 0 || Text[H.Range.Begin - 1] != '{' ||
        (I > 0 && P[I - 1].Range.End > H.Range.Begin - 1))
      continue;
    if (H.Range.End >= Text.size() || Text[H.Range.End] != '}') {
      // `${x}`: the hole node may already end with the brace.
      if (H.Range.End == 0 || Text[H.Range.End - 1] != '}')
        continue;
      H.Range.Begin -= 1;
      continue;
    }
    H.Range.Begin -= 1;
    if (I + 1 < P.size() && P[I + 1].IsLiteral && P[I + 1].Range.Begin == H.Range.End) {
      StringPiece &Next = P[I + 1];
      Next.Range.Begin += 1;
      if (!Next.Value.empty() && Next.Value[0] == '}')
        Next.Value.erase(0, 1);
      H.Range.End += 1;
      if (Next.Range.empty())
        P.erase(P.begin() + static_cast<std::ptrdiff_t>(I) + 1);
    } else if (I + 1 >= P.size() || P[I + 1].Range.Begin > H.Range.End) {
      H.Range.End += 1;
    }
  }
}

void Extractor::stringPieces(const Node &S, bool Raw, std::vector<StringPiece> &Out) const {
  // With fragments, they carry the text. With only escapes/holes (Go "…\n…", Java "…")
  // or no parts at all, the text between the delimiters is literal.
  bool HasFragment = false;
  std::vector<Node> Stack{S};
  while (!Stack.empty() && !HasFragment) {
    Node N = Stack.back();
    Stack.pop_back();
    for (const Node &C : N.children()) {
      auto It = Roles.find(key(C));
      if (It == Roles.end())
        Stack.push_back(C);
      else if (It->second == Fragment)
        HasFragment = true;
    }
  }
  if (HasFragment) {
    walkPiece(S, Raw, Out);
    return;
  }
  // The text between the delimiters: anonymous first/last children (`"` … `"`), or the
  // prefix (r, b, @, $, s, f …) and quote run of the text itself.
  uint32_t B = S.begin(), E = S.end();
  unsigned N = S.childCount();
  auto IsQuote = [](char C) { return C == '"' || C == '\'' || C == '`'; };
  if (N >= 2 && !S.child(0).isNamed() && !S.child(N - 1).isNamed() &&
      S.child(0).text().find_first_of("\"'`") != llvm::StringRef::npos) {
    B = S.child(0).end();
    E = S.child(N - 1).begin();
  } else {
    llvm::StringRef Txt = S.text();
    size_t P = 0;
    while (P < Txt.size() && P < 4 && (llvm::isAlpha(Txt[P]) || Txt[P] == '@' || Txt[P] == '$'))
      ++P;
    size_t QStart = P;
    while (P < Txt.size() && IsQuote(Txt[P]))
      ++P;
    size_t QLen = P - QStart;
    if (QLen == 0) {
      P = 0; // no quotes: a bare word is all text
    } else if (P == Txt.size()) {
      QLen /= 2; // an empty literal: "" or ''
      P = QStart + QLen;
    }
    size_t Close = 0;
    while (Close < QLen && P + Close < Txt.size() && IsQuote(Txt[Txt.size() - 1 - Close]))
      ++Close;
    B = S.begin() + static_cast<uint32_t>(P);
    E = S.end() - static_cast<uint32_t>(Close);
  }
  if (E < B)
    E = B;
  literalRegion(S, B, E, Raw, Out);
}

/// The operands of a concatenation: named children, without comments and without a
/// named operator node (Scala's `+` is an operator_identifier in field "operator").
std::vector<Node> operands(const Node &N) {
  std::vector<Node> Out;
  for (unsigned I = 0, E = N.childCount(); I < E; ++I) {
    Node C = N.child(I);
    if (C.isNamed() && !C.isExtra() && N.fieldNameOfChild(I) != "operator")
      Out.push_back(C);
  }
  return Out;
}

bool Extractor::concatHasLiteral(const Node &N) const {
  for (const Node &C : operands(N)) {
    if (StringByNode.count(key(C)))
      return true;
    if (ConcatNodes.count(key(C)) && concatHasLiteral(C))
      return true;
  }
  return false;
}

void Extractor::flattenConcat(const Node &N, std::vector<StringPiece> &Out) const {
  for (const Node &C : operands(N)) {
    auto S = StringByNode.find(key(C));
    if (S != StringByNode.end()) {
      // Each operand's pieces keep their own ranges (a fix edits one literal).
      Out.insert(Out.end(), S->second->Pieces.begin(), S->second->Pieces.end());
    } else if (ConcatNodes.count(key(C))) {
      flattenConcat(C, Out);
    } else {
      Out.push_back({C.range(), false, ""});
    }
  }
}

FileModel Extractor::run() {
  FileModel M;
  M.G = T.grammar();
  std::vector<Match> Ms = Q.matches(T.root());

  std::vector<Container> Statements, Scopes;
  std::unordered_set<uint64_t> Blocks;
  std::vector<Node> Compounds, StringNodes, ConcatList;
  struct CallCaps {
    Node Call;
    Node Callee, Receiver, Name, Args, New;
    std::vector<Node> ArgNodes; ///< @call.arg: arguments without an argument-list node
  };
  std::vector<CallCaps> Calls;
  std::unordered_map<uint64_t, size_t> CallIndex;
  struct ArgCaps {
    Node Name, Value;
  };
  std::unordered_map<uint64_t, ArgCaps> Args;
  struct AssignCaps {
    Node Assign, Target, Name, Value, Op, Keyword;
  };
  std::vector<AssignCaps> Assigns;
  std::unordered_map<uint64_t, size_t> AssignIndex;
  struct PairCaps {
    Node Pair, Key, Value;
  };
  std::vector<PairCaps> PairList;
  std::unordered_set<uint64_t> SeenString, SeenConcat, SeenPair, SeenStmt, SeenScope;

  auto Merge = [](Node &Into, const Node &From) {
    if (Into.isNull() && !From.isNull())
      Into = From;
  };

  for (const Match &Mt : Ms) {
    for (const Capture &C : Mt.Captures) {
      llvm::StringRef Nm = C.Name;
      if (Nm == "statement" && SeenStmt.insert(key(C.N)).second)
        Statements.push_back({C.N.range(), C.N.range(), ""});
      else if (Nm == "statement.compound" && SeenStmt.insert(key(C.N)).second)
        Compounds.push_back(C.N);
      else if (Nm == "block")
        Blocks.insert(key(C.N));
      else if (Nm == "scope" && SeenScope.insert(key(C.N)).second)
        Scopes.push_back({C.N.range(), C.N.range(), Mt.get("scope.name").text().str()});
      else if ((Nm == "string" || Nm == "string.raw") && SeenString.insert(key(C.N)).second)
        StringNodes.push_back(C.N);
      if (Nm == "string.raw")
        RawStrings.insert(key(C.N));
      else if (Nm == "string.fragment")
        Roles.emplace(key(C.N), Fragment);
      else if (Nm == "string.escape")
        Roles.emplace(key(C.N), Escape);
      else if (Nm == "string.hole")
        Roles[key(C.N)] = Hole; // a hole wins over a fragment capture of the same node
      else if (Nm == "concat" && SeenConcat.insert(key(C.N)).second) {
        ConcatNodes.insert(key(C.N));
        ConcatList.push_back(C.N);
      }
    }
    if (Node Call = Mt.get("call")) {
      auto [It, New] = CallIndex.emplace(key(Call), Calls.size());
      if (New)
        Calls.push_back({Call, {}, {}, {}, {}, {}, {}});
      CallCaps &CC = Calls[It->second];
      for (const Node &A : Mt.getAll("call.arg"))
        if (std::find(CC.ArgNodes.begin(), CC.ArgNodes.end(), A) == CC.ArgNodes.end())
          CC.ArgNodes.push_back(A);
      Merge(CC.Callee, Mt.get("call.callee"));
      Merge(CC.Receiver, Mt.get("call.receiver"));
      Merge(CC.Name, Mt.get("call.name"));
      Merge(CC.Args, Mt.get("call.args"));
      Merge(CC.New, Mt.get("call.new"));
    }
    if (Node A = Mt.get("arg")) {
      ArgCaps &AC = Args[key(A)];
      Merge(AC.Name, Mt.get("arg.name"));
      Merge(AC.Value, Mt.get("arg.value"));
    }
    if (Node A = Mt.get("assign")) {
      // Several patterns may describe one assignment (target shape, keyword): merge.
      auto [It, New] = AssignIndex.emplace(key(A), Assigns.size());
      if (New)
        Assigns.push_back({A, {}, {}, {}, {}, {}});
      AssignCaps &AC = Assigns[It->second];
      Merge(AC.Target, Mt.get("assign.target"));
      Merge(AC.Name, Mt.get("assign.name"));
      Merge(AC.Value, Mt.get("assign.value"));
      Merge(AC.Op, Mt.get("assign.op"));
      Merge(AC.Keyword, Mt.get("assign.keyword"));
    }
    if (Node P = Mt.get("pair"))
      if (SeenPair.insert(key(P)).second)
        PairList.push_back({P, Mt.get("pair.key"), Mt.get("pair.value")});
  }

  // Compound statements report their header: up to their first block.
  for (const Node &C : Compounds) {
    Container K{C.range(), C.range(), ""};
    for (const Node &Ch : C.children())
      if (Blocks.count(key(Ch))) {
        uint32_t E = Ch.begin();
        llvm::StringRef Txt = T.text();
        while (E > C.begin() && llvm::isSpace(Txt[E - 1]))
          --E;
        K.Reported = {C.begin(), E};
        break;
      }
    Statements.push_back(K);
  }
  for (const Container &C : Statements)
    M.Statements.push_back({C.Range, C.Reported});
  std::sort(M.Statements.begin(), M.Statements.end(),
            [](const FileModel::StatementRange &A, const FileModel::StatementRange &B) {
              return A.Range.Begin != B.Range.Begin ? A.Range.Begin < B.Range.Begin
                                                    : A.Range.End > B.Range.End;
            });
  for (size_t I = 0; I < M.Statements.size(); ++I) {
    const ByteRange &R = M.Statements[I].Reported;
    for (size_t J = I + 1; J < M.Statements.size() && M.Statements[J].Range.Begin < R.End; ++J)
      if (R.contains(M.Statements[J].Range) && M.Statements[J].Range != R) {
        M.Statements[I].Leaf = false;
        break;
      }
  }
  ByteRange File{0, static_cast<uint32_t>(T.text().size())};
  auto Locate = [&](const std::vector<ByteRange> &Pts, std::vector<ByteRange> &Stmt, std::vector<ByteRange> &Scope,
                    std::vector<std::string> &ScopeName) {
    std::vector<const Container *> S = innermost(Statements, Pts, rangeOfContainer);
    std::vector<const Container *> F = innermost(Scopes, Pts, rangeOfContainer);
    for (size_t I = 0; I < Pts.size(); ++I) {
      ByteRange R = S[I] ? S[I]->Reported : Pts[I];
      // In a compound statement's body (not its header): the compound as a whole.
      if (S[I] && !R.contains(Pts[I]))
        R = S[I]->Range;
      Stmt.push_back(R);
      Scope.push_back(F[I] ? F[I]->Range : File);
      ScopeName.push_back(F[I] ? F[I]->Name : "");
    }
  };

  // Strings first: concatenations, keys and subscripts refer to them.
  std::sort(StringNodes.begin(), StringNodes.end(), [](const Node &A, const Node &B) { return A.begin() < B.begin(); });
  M.Strings.reserve(StringNodes.size());
  for (const Node &S : StringNodes) {
    StringExpr E;
    E.Range = S.range();
    stringPieces(S, RawStrings.count(key(S)) > 0, E.Pieces);
    if (T.grammar() == Grammar::PHP)
      phpBracedHoles(T.text(), E.Pieces);
    E.Kind = E.isConstant() ? StringExpr::Literal : StringExpr::Template;
    M.Strings.push_back(std::move(E));
  }
  for (size_t I = 0; I < StringNodes.size(); ++I)
    StringByNode[key(StringNodes[I])] = &M.Strings[I];

  // Outermost concatenations with at least one literal operand.
  std::unordered_set<uint64_t> Inner;
  for (const Node &C : ConcatList)
    for (const Node &Ch : operands(C))
      if (ConcatNodes.count(key(Ch)))
        Inner.insert(key(Ch));
  std::sort(ConcatList.begin(), ConcatList.end(), [](const Node &A, const Node &B) { return A.begin() < B.begin(); });
  for (const Node &C : ConcatList) {
    if (Inner.count(key(C)) || !concatHasLiteral(C))
      continue;
    StringExpr E;
    E.Range = C.range();
    E.Kind = StringExpr::Concat;
    flattenConcat(C, E.Pieces);
    M.Concats.push_back(std::move(E));
  }

  // Calls.
  std::sort(Calls.begin(), Calls.end(), [](const CallCaps &A, const CallCaps &B) {
    return A.Call.begin() != B.Call.begin() ? A.Call.begin() < B.Call.begin() : A.Call.end() > B.Call.end();
  });
  for (const CallCaps &CC : Calls) {
    CallSite CS;
    CS.Range = CC.Call.range();
    if (CC.Callee) {
      CS.CalleeRange = CC.Callee.range();
    } else if (CC.Receiver && CC.Name) {
      CS.CalleeRange = {CC.Receiver.begin(), CC.Name.end()}; // `recv.name`, `recv&.name`
    } else {
      CS.CalleeRange = CC.Name.range();
    }
    CS.Callee = T.text().slice(CS.CalleeRange.Begin, CS.CalleeRange.End).str();
    CS.Name = CC.Name ? CC.Name.text().str() : lastName(CS.Callee);
    CS.Receiver = CC.Receiver.range();
    CS.IsNew = !CC.New.isNull();
    std::vector<Node> ArgNodes;
    if (CC.Args) {
      CS.ArgumentList = CC.Args.range();
      ArgNodes = CC.Args.namedChildren(true);
    } else if (!CC.ArgNodes.empty()) {
      ArgNodes = CC.ArgNodes;
      std::sort(ArgNodes.begin(), ArgNodes.end(), [](const Node &A, const Node &B) { return A.begin() < B.begin(); });
      CS.ArgumentList = {ArgNodes.front().begin(), ArgNodes.back().end()};
    }
    {
      for (const Node &A : ArgNodes) {
        Argument Arg;
        Arg.Range = A.range();
        Arg.Value = A.range();
        Node V = A;
        auto It = Args.find(key(A));
        if (It != Args.end()) {
          if (It->second.Name)
            Arg.Keyword = keyText(It->second.Name, StringByNode);
          if (It->second.Value) {
            V = It->second.Value;
            Arg.Value = V.range();
          }
        }
        Arg.Kind = V.kind().str();
        CS.Arguments.push_back(std::move(Arg));
      }
    }
    M.Calls.push_back(std::move(CS));
  }

  // Assignments.
  std::sort(Assigns.begin(), Assigns.end(), [](const AssignCaps &A, const AssignCaps &B) { return A.Assign.begin() < B.Assign.begin(); });
  for (const AssignCaps &AC : Assigns) {
    Assignment A;
    A.Range = AC.Assign.range();
    A.Target = AC.Target.text().str();
    A.TargetRange = AC.Target.range();
    if (AC.Name) {
      auto S = StringByNode.find(key(AC.Name));
      A.Name = S != StringByNode.end() ? S->second->flatten() : keyText(AC.Name, StringByNode);
    } else {
      A.Name = lastName(A.Target);
    }
    A.Op = AC.Op ? AC.Op.text().str() : "=";
    A.Value = AC.Value.range();
    A.Keyword = AC.Keyword.text().str();
    M.Assignments.push_back(std::move(A));
  }

  // Pairs.
  std::sort(PairList.begin(), PairList.end(), [](const PairCaps &A, const PairCaps &B) { return A.Pair.begin() < B.Pair.begin(); });
  for (const PairCaps &PC : PairList) {
    KeyValue KV;
    KV.Range = PC.Pair.range();
    KV.KeyRange = PC.Key.range();
    KV.Key = PC.Key ? keyText(PC.Key, StringByNode) : "";
    KV.Value = PC.Value.range();
    Node Parent = PC.Pair.parent();
    KV.Container = Parent ? Parent.range() : KV.Range;
    M.Pairs.push_back(std::move(KV));
  }

  // Statements and scopes of everything, in one sweep per list.
  auto Fill = [&](auto &List, auto Setter) {
    std::vector<ByteRange> Pts;
    for (auto &X : List)
      Pts.push_back(X.Range);
    std::vector<ByteRange> St, Sc;
    std::vector<std::string> Names;
    Locate(Pts, St, Sc, Names);
    for (size_t I = 0; I < List.size(); ++I)
      Setter(List[I], St[I], Sc[I], Names[I]);
  };
  Fill(M.Calls, [](CallSite &X, ByteRange S, ByteRange F, std::string &N) {
    X.Statement = S;
    X.Scope = F;
    X.ScopeName = std::move(N);
  });
  auto Plain = [](auto &X, ByteRange S, ByteRange F, std::string &) {
    X.Statement = S;
    X.Scope = F;
  };
  Fill(M.Strings, Plain);
  Fill(M.Concats, Plain);
  Fill(M.Assignments, Plain);
  Fill(M.Pairs, Plain);
  return M;
}

} // namespace

ByteRange FileModel::statementAt(uint32_t Offset) const {
  // Sorted by Begin (outer first): the last one starting at or before Offset that holds
  // it is the innermost, since statements nest or are disjoint.
  auto It = std::upper_bound(Statements.begin(), Statements.end(), Offset,
                             [](uint32_t O, const StatementRange &S) { return O < S.Range.Begin; });
  while (It != Statements.begin()) {
    --It;
    if (It->Range.Begin <= Offset && Offset < It->Range.End)
      return It->Reported.Begin <= Offset && Offset < It->Reported.End ? It->Reported
                                                                        : ByteRange{};
  }
  return {};
}

const Argument *CallSite::keywordArgument(llvm::StringRef Keyword) const {
  for (const Argument &A : Arguments)
    if (A.Keyword == Keyword)
      return &A;
  return nullptr;
}

bool StringExpr::isConstant() const {
  return std::all_of(Pieces.begin(), Pieces.end(), [](const StringPiece &P) { return P.IsLiteral; });
}

std::string StringExpr::flatten(llvm::StringRef Hole) const {
  std::string Out;
  for (const StringPiece &P : Pieces)
    Out += P.IsLiteral ? P.Value : Hole.str();
  return Out;
}

std::string decodeEscape(llvm::StringRef E) {
  if (E.size() < 2 || E[0] != '\\')
    return E.str();
  char C = E[1];
  llvm::StringRef Rest = E.drop_front(2);
  auto Hex = [&](llvm::StringRef Digits, std::string Tail) -> std::optional<std::string> {
    unsigned V = 0;
    if (Digits.empty() || Digits.getAsInteger(16, V))
      return std::nullopt;
    std::string Out;
    appendUtf8(Out, V);
    return Out + Tail;
  };
  switch (C) {
  case 'n': return "\n" + Rest.str();
  case 't': return "\t" + Rest.str();
  case 'r': return "\r" + Rest.str();
  case 'b': return "\b" + Rest.str();
  case 'f': return "\f" + Rest.str();
  case 'v': return "\v" + Rest.str();
  case 'a': return "\a" + Rest.str();
  case 'e': return "\x1b" + Rest.str();
  case '\\': case '"': case '\'': case '`': case '$': case '/': case '?': case '{': case '}':
    return std::string(1, C) + Rest.str();
  case '\n':
    return Rest.str();
  case '\r':
    return Rest.consume_front("\n") ? Rest.str() : Rest.str();
  case 'x': {
    size_t N = 0;
    while (N < Rest.size() && N < 2 && llvm::isHexDigit(Rest[N]))
      ++N;
    unsigned V = 0;
    if (N == 0 || Rest.take_front(N).getAsInteger(16, V))
      return E.str();
    return std::string(1, static_cast<char>(V)) + Rest.drop_front(N).str();
  }
  case 'u':
    if (Rest.startswith("{")) {
      size_t Close = Rest.find('}');
      if (Close != llvm::StringRef::npos)
        if (auto S = Hex(Rest.slice(1, Close), Rest.drop_front(Close + 1).str()))
          return *S;
      return E.str();
    }
    if (Rest.size() >= 4)
      if (auto S = Hex(Rest.take_front(4), Rest.drop_front(4).str()))
        return *S;
    return E.str();
  case 'U':
    if (Rest.size() >= 8)
      if (auto S = Hex(Rest.take_front(8), Rest.drop_front(8).str()))
        return *S;
    return E.str();
  default:
    if (C >= '0' && C <= '7') {
      llvm::StringRef Digits = E.drop_front(1);
      size_t N = 0;
      while (N < Digits.size() && N < 3 && Digits[N] >= '0' && Digits[N] <= '7')
        ++N;
      unsigned V = 0;
      Digits.take_front(N).getAsInteger(8, V);
      return std::string(1, static_cast<char>(V & 0xFF)) + Digits.drop_front(N).str();
    }
    return E.str();
  }
}

llvm::Expected<std::string> modelQuerySource(Grammar G) {
  std::string Src;
  std::vector<Piece> Pieces;
  if (llvm::Error E = resolve(grammarName(G), Src, Pieces, 0))
    return E;
  return Src;
}

llvm::Expected<const Query &> modelQuery(Grammar G) {
  Compiled &C = compiledQueries()[static_cast<unsigned>(G)];
  std::call_once(C.Once, [&] {
    std::string Src;
    std::vector<Piece> Pieces;
    if (llvm::Error E = resolve(grammarName(G), Src, Pieces, 0)) {
      C.Error = llvm::toString(std::move(E));
      return;
    }
    llvm::Expected<Query> Q = Query::compile(G, Src);
    if (!Q) {
      // Map the combined offset back to the file it came from.
      std::string Msg;
      llvm::handleAllErrors(
          Q.takeError(),
          [&](const QueryError &QE) {
            const Piece *In = &Pieces.back();
            for (const Piece &P : Pieces)
              if (QE.offset() >= P.Offset && QE.offset() < P.Offset + P.Size + 1)
                In = &P;
            llvm::StringRef File = llvm::StringRef(Src).substr(In->Offset, In->Size);
            size_t Local = std::min(QE.offset() - In->Offset, File.size());
            unsigned Line = 1 + static_cast<unsigned>(File.take_front(Local).count('\n'));
            Msg = In->Path + ":" + std::to_string(Line) + ": " + QE.reason();
          },
          [&](const llvm::ErrorInfoBase &EI) { Msg = EI.message(); });
      C.Error = Msg;
      return;
    }
    C.Q.emplace(std::move(*Q));
  });
  if (!C.Q)
    return llvm::createStringError(llvm::inconvertibleErrorCode(), C.Error);
  return *C.Q;
}

llvm::Expected<FileModel> extractModel(const SyntaxTree &T) {
  llvm::Expected<const Query &> Q = modelQuery(T.grammar());
  if (!Q)
    return Q.takeError();
  return Extractor(T, *Q).run();
}

} // namespace atm::syntax
