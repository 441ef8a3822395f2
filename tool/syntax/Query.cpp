//===- Query.cpp - tree-sitter queries with predicates --------------------===//

#include "syntax/Query.h"

#include <algorithm>
#include <chrono>
#include <cstring>

#include "core/Timings.h"
#include "llvm/Support/raw_ostream.h"
#include "re2/re2.h"
#include "tree_sitter/api.h"

// tool/syntax/tree-sitter-query-analysis.patch: ts_query_new without the parse-table analysis.
extern "C" TSQuery *ts_query_new_unanalyzed(const TSLanguage *Language, const char *Source,
                                            uint32_t SourceLen, uint32_t *ErrorOffset,
                                            TSQueryError *ErrorType);

namespace atm::syntax {

char QueryError::ID = 0;

void QueryError::log(llvm::raw_ostream &OS) const {
  OS << "line " << Line << ", column " << Column << ": " << Message;
}

namespace {

enum class PredKind { Eq, Match, AnyOf };

struct Predicate {
  PredKind Kind;
  bool Negated = false;
  uint32_t Capture = 0;
  // Eq: either another capture or a string.
  bool OtherIsCapture = false;
  uint32_t OtherCapture = 0;
  std::string Text;
  std::unique_ptr<RE2> Re;
  std::vector<std::string> Set;
};

void lineColumn(llvm::StringRef Src, size_t Offset, unsigned &Line, unsigned &Column) {
  Offset = std::min(Offset, Src.size());
  llvm::StringRef Before = Src.take_front(Offset);
  Line = 1 + static_cast<unsigned>(Before.count('\n'));
  size_t Nl = Before.rfind('\n');
  Column = 1 + static_cast<unsigned>(Nl == llvm::StringRef::npos ? Offset : Offset - Nl - 1);
}

llvm::Error queryError(llvm::StringRef Src, size_t Offset, std::string Msg) {
  unsigned Line, Column;
  lineColumn(Src, Offset, Line, Column);
  return llvm::make_error<QueryError>(Offset, Line, Column, std::move(Msg));
}

/// The identifier-like word at \p Offset (what tree-sitter's error points at).
std::string wordAt(llvm::StringRef Src, size_t Offset) {
  llvm::StringRef Rest = Src.drop_front(std::min(Offset, Src.size()));
  size_t N = 0;
  while (N < Rest.size() && (isalnum(static_cast<unsigned char>(Rest[N])) || Rest[N] == '_' ||
                             Rest[N] == '-' || Rest[N] == '.' || Rest[N] == '?' || Rest[N] == '!'))
    ++N;
  return Rest.take_front(N).str();
}

} // namespace

struct Query::Impl {
  Grammar G;
  TSQuery *Q = nullptr;
  std::vector<std::string> CaptureNames;
  std::vector<std::vector<Predicate>> Predicates; // per pattern
  ~Impl() {
    if (Q)
      ts_query_delete(Q);
  }
};

llvm::Expected<Query> Query::compile(Grammar G, llvm::StringRef Source, QueryCheck Check) {
  uint32_t ErrOffset = 0;
  TSQueryError ErrType = TSQueryErrorNone;
  const TSLanguage *Lang = static_cast<const TSLanguage *>(detail::tsLanguage(G));
  if (Source.size() > UINT32_MAX)
    return queryError(Source, 0, "query too large");
  auto T0 = std::chrono::steady_clock::now();
  auto *New = Check == QueryCheck::Full ? ts_query_new : ts_query_new_unanalyzed;
  TSQuery *Q = New(Lang, Source.data(), static_cast<uint32_t>(Source.size()), &ErrOffset, &ErrType);
  if (timingFiles())
    timingFile("grammar " + grammarName(G).str(), "query",
               std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - T0)
                   .count());
  if (!Q) {
    std::string W = wordAt(Source, ErrOffset);
    std::string G2 = grammarName(G).str();
    switch (ErrType) {
    case TSQueryErrorNodeType:
      return queryError(Source, ErrOffset, "invalid node type '" + W + "' for grammar " + G2);
    case TSQueryErrorField:
      return queryError(Source, ErrOffset, "invalid field name '" + W + "' for grammar " + G2);
    case TSQueryErrorCapture:
      return queryError(Source, ErrOffset, "undefined capture '@" + W + "' in a predicate");
    case TSQueryErrorStructure:
      return queryError(Source, ErrOffset,
                        "impossible pattern: the grammar " + G2 + " has no such node structure");
    case TSQueryErrorLanguage:
      return queryError(Source, ErrOffset, "the " + G2 + " grammar's ABI is not supported by the query engine");
    case TSQueryErrorSyntax:
    default:
      return queryError(Source, ErrOffset,
                        ErrOffset >= Source.size() ? std::string("syntax error: unexpected end of query (unbalanced parentheses?)")
                                                   : "syntax error at '" + Source.substr(ErrOffset, 20).str() + "'");
    }
  }
  auto I = std::make_shared<Impl>();
  I->G = G;
  I->Q = Q;
  for (uint32_t C = 0, N = ts_query_capture_count(Q); C < N; ++C) {
    uint32_t Len = 0;
    const char *Name = ts_query_capture_name_for_id(Q, C, &Len);
    I->CaptureNames.emplace_back(Name, Len);
  }
  auto Str = [&](uint32_t Id) {
    uint32_t Len = 0;
    const char *S = ts_query_string_value_for_id(Q, Id, &Len);
    return std::string(S, Len);
  };
  uint32_t Patterns = ts_query_pattern_count(Q);
  I->Predicates.resize(Patterns);
  for (uint32_t P = 0; P < Patterns; ++P) {
    uint32_t Steps = 0;
    const TSQueryPredicateStep *S = ts_query_predicates_for_pattern(Q, P, &Steps);
    size_t At = ts_query_start_byte_for_pattern(Q, P);
    for (uint32_t K = 0; K < Steps;) {
      // One predicate: a string (its name), arguments, Done.
      uint32_t End = K;
      while (End < Steps && S[End].type != TSQueryPredicateStepTypeDone)
        ++End;
      if (S[K].type != TSQueryPredicateStepTypeString)
        return queryError(Source, At, "a predicate must start with its name");
      std::string Name = Str(S[K].value_id);
      std::vector<const TSQueryPredicateStep *> Args;
      for (uint32_t A = K + 1; A < End; ++A)
        Args.push_back(&S[A]);
      K = End + 1;
      if (Name == "set!" || Name == "is?" || Name == "is-not?")
        continue; // metadata directives (highlights.scm): no effect on matching
      Predicate Pr;
      llvm::StringRef NameRef(Name);
      Pr.Negated = NameRef.startswith("not-");
      llvm::StringRef Base = Pr.Negated ? NameRef.drop_front(4) : NameRef;
      if (Base == "eq?")
        Pr.Kind = PredKind::Eq;
      else if (Base == "match?")
        Pr.Kind = PredKind::Match;
      else if (Base == "any-of?")
        Pr.Kind = PredKind::AnyOf;
      else
        return queryError(Source, At,
                          "unknown predicate '#" + Name +
                              "' (supported: #eq? #not-eq? #match? #not-match? #any-of? #not-any-of?)");
      if (Args.empty() || Args[0]->type != TSQueryPredicateStepTypeCapture)
        return queryError(Source, At, "'#" + Name + "' needs a capture as its first argument");
      Pr.Capture = Args[0]->value_id;
      if (Pr.Kind == PredKind::AnyOf) {
        if (Args.size() < 2)
          return queryError(Source, At, "'#" + Name + "' needs at least one string after the capture");
        for (size_t A = 1; A < Args.size(); ++A) {
          if (Args[A]->type != TSQueryPredicateStepTypeString)
            return queryError(Source, At, "'#" + Name + "' takes strings after the capture");
          Pr.Set.push_back(Str(Args[A]->value_id));
        }
      } else {
        if (Args.size() != 2)
          return queryError(Source, At, "'#" + Name + "' takes a capture and one argument");
        if (Args[1]->type == TSQueryPredicateStepTypeCapture) {
          if (Pr.Kind == PredKind::Match)
            return queryError(Source, At, "'#" + Name + "' needs a string regex, not a capture");
          Pr.OtherIsCapture = true;
          Pr.OtherCapture = Args[1]->value_id;
        } else {
          Pr.Text = Str(Args[1]->value_id);
        }
        if (Pr.Kind == PredKind::Match) {
          RE2::Options O;
          O.set_log_errors(false);
          Pr.Re = std::make_unique<RE2>(Pr.Text, O);
          if (!Pr.Re->ok())
            return queryError(Source, At, "invalid regex in '#" + Name + "': " + Pr.Re->error());
        }
      }
      I->Predicates[P].push_back(std::move(Pr));
    }
  }
  return Query(std::move(I));
}

Grammar Query::grammar() const { return I->G; }
unsigned Query::patternCount() const { return ts_query_pattern_count(I->Q); }
size_t Query::patternOffset(unsigned P) const { return ts_query_start_byte_for_pattern(I->Q, P); }
unsigned Query::captureCount() const { return static_cast<unsigned>(I->CaptureNames.size()); }
llvm::StringRef Query::captureName(unsigned Index) const { return I->CaptureNames[Index]; }

Node Match::get(llvm::StringRef Name) const {
  for (const Capture &C : Captures)
    if (C.Name == Name)
      return C.N;
  return Node();
}

std::vector<Node> Match::getAll(llvm::StringRef Name) const {
  std::vector<Node> Out;
  for (const Capture &C : Captures)
    if (C.Name == Name)
      Out.push_back(C.N);
  return Out;
}

namespace {

bool holds(const Predicate &P, const std::vector<Capture> &Caps) {
  auto NodesOf = [&](uint32_t Id) {
    std::vector<llvm::StringRef> V;
    for (const Capture &C : Caps)
      if (C.Index == Id)
        V.push_back(C.N.text());
    return V;
  };
  // As tree-sitter's own bindings: every node of the capture must pass (an absent
  // optional capture passes).
  for (llvm::StringRef T : NodesOf(P.Capture)) {
    bool Ok = false;
    switch (P.Kind) {
    case PredKind::Eq:
      if (P.OtherIsCapture) {
        std::vector<llvm::StringRef> O = NodesOf(P.OtherCapture);
        Ok = O.empty() || O.front() == T;
      } else {
        Ok = T == P.Text;
      }
      break;
    case PredKind::Match:
      Ok = RE2::PartialMatch(re2::StringPiece(T.data(), T.size()), *P.Re);
      break;
    case PredKind::AnyOf:
      Ok = std::find(P.Set.begin(), P.Set.end(), T.str()) != P.Set.end();
      break;
    }
    if (Ok == P.Negated)
      return false;
  }
  return true;
}

} // namespace

std::vector<Match> Query::matches(const SyntaxTree &T) const { return matches(T.root()); }

std::vector<Match> Query::matches(Node Within) const {
  std::vector<Match> Out;
  if (Within.isNull())
    return Out;
  TSNode Root;
  static_assert(sizeof Root == sizeof(Node::Raw), "Node::Raw mirrors TSNode");
  std::memcpy(&Root, &Within.raw(), sizeof Root);
  TSQueryCursor *C = ts_query_cursor_new();
  // Bounds the in-progress matches (tree-sitter's default is unbounded): on deeply nested
  // input the cursor's work grows with depth x nodes. Neovim uses 256; what is dropped
  // past the limit is the earliest unfinished match, in input no real client writes.
  ts_query_cursor_set_match_limit(C, 1024);
  ts_query_cursor_exec(C, I->Q, Root);
  TSQueryMatch M;
  while (ts_query_cursor_next_match(C, &M)) {
    Match Out1;
    Out1.Pattern = M.pattern_index;
    for (uint16_t K = 0; K < M.capture_count; ++K) {
      Capture Cap;
      Cap.Index = M.captures[K].index;
      Cap.Name = I->CaptureNames[Cap.Index];
      Node::Raw R;
      std::memcpy(&R, &M.captures[K].node, sizeof R);
      Cap.N = Node(Within.owner(), R);
      Out1.Captures.push_back(Cap);
    }
    bool Ok = true;
    for (const Predicate &P : I->Predicates[M.pattern_index])
      if (!holds(P, Out1.Captures)) {
        Ok = false;
        break;
      }
    if (!Ok)
      continue;
    Out1.Captures.erase(std::remove_if(Out1.Captures.begin(), Out1.Captures.end(),
                                       [](const Capture &X) { return X.Name.startswith("_"); }),
                        Out1.Captures.end());
    Out.push_back(std::move(Out1));
  }
  ts_query_cursor_delete(C);
  return Out;
}

std::vector<Capture> Query::captures(Node Within) const {
  std::vector<Capture> Out;
  for (Match &M : matches(Within))
    for (Capture &C : M.Captures)
      Out.push_back(C);
  std::stable_sort(Out.begin(), Out.end(), [](const Capture &A, const Capture &B) {
    if (A.N.begin() != B.N.begin())
      return A.N.begin() < B.N.begin();
    return A.N.end() > B.N.end();
  });
  return Out;
}

} // namespace atm::syntax
