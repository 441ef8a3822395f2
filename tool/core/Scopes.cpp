#include "core/Scopes.h"

#include <algorithm>
#include <optional>
#include <set>

#include "core/Text.h"
#include "core/Yaml.h"
#include "re2/re2.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/GlobPattern.h"

namespace atm {

namespace {

using llvm::yaml::KeyValueNode;
using llvm::yaml::MappingNode;
using llvm::yaml::SequenceNode;

const char *const MethodNames[] = {"GET", "POST", "PUT", "PATCH", "DELETE"};
const char *const Operations[] = {"READ", "CREATE", "UPDATE", "DELETE"};

bool isMethod(llvm::StringRef M) { return llvm::is_contained(MethodNames, M); }

std::string operationOf(llvm::StringRef Method) {
  if (Method == "GET")
    return "READ";
  if (Method == "POST")
    return "CREATE";
  if (Method == "PUT" || Method == "PATCH")
    return "UPDATE";
  if (Method == "DELETE")
    return "DELETE";
  return "";
}

std::vector<llvm::StringRef> segments(llvm::StringRef Path) {
  llvm::SmallVector<llvm::StringRef, 8> Parts;
  Path.split(Parts, '/', -1, /*KeepEmpty=*/false);
  return std::vector<llvm::StringRef>(Parts.begin(), Parts.end());
}

bool isCapture(llvm::StringRef Seg) {
  return Seg.size() > 2 && Seg.front() == '{' && Seg.back() == '}';
}

/// Checks a path pattern's syntax; returns "" or what is wrong.
std::string checkPattern(llvm::StringRef P) {
  if (!P.startswith("/"))
    return "a path pattern starts with '/'";
  std::vector<llvm::StringRef> Segs = segments(P);
  for (size_t I = 0; I < Segs.size(); ++I) {
    llvm::StringRef S = Segs[I];
    if (S == "**") {
      if (I + 1 != Segs.size())
        return "'**' may only be the last segment";
      continue;
    }
    if (isCapture(S)) {
      llvm::StringRef Name = S.drop_front().drop_back();
      if (Name == "op" || Name.empty() ||
          !llvm::all_of(Name, [](char C) { return llvm::isAlnum(C) || C == '_'; }))
        return ("bad capture '" + S + "' (a name of letters, digits and '_', not 'op')").str();
      continue;
    }
    if (S.contains('{') || S.contains('}'))
      return ("a capture must be a whole segment: '" + S + "'").str();
    if (S.contains("**"))
      return ("'**' must be a whole segment: '" + S + "'").str();
    if (S.find_first_of("*?[") != llvm::StringRef::npos) {
      auto G = llvm::GlobPattern::create(S.lower());
      if (!G)
        return llvm::toString(G.takeError());
    }
  }
  return "";
}

bool segmentMatches(llvm::StringRef Pat, llvm::StringRef Seg) {
  if (Pat == "*")
    return true;
  if (Pat.find_first_of("*?[") == llvm::StringRef::npos)
    return Pat.equals_insensitive(Seg);
  auto G = llvm::GlobPattern::create(Pat.lower());
  if (!G) {
    llvm::consumeError(G.takeError());
    return false;
  }
  return G->match(Seg.lower());
}

/// Matches \p Path against \p Pattern; fills the captures (lower-cased).
bool pathMatches(llvm::StringRef Pattern, llvm::StringRef Path,
                 std::map<std::string, std::string> &Captures) {
  std::vector<llvm::StringRef> P = segments(Pattern), S = segments(Path);
  Captures.clear();
  size_t I = 0;
  for (; I < P.size(); ++I) {
    if (P[I] == "**")
      return true;
    if (I >= S.size())
      return false;
    if (isCapture(P[I]))
      Captures[P[I].drop_front().drop_back().str()] = S[I].lower();
    else if (!segmentMatches(P[I], S[I]))
      return false;
  }
  return I == S.size();
}

/// Expands \p Template; "" when a variable has no value.
std::string expand(llvm::StringRef Template, const std::map<std::string, std::string> &Vars) {
  std::string Out;
  while (!Template.empty()) {
    size_t B = Template.find('{');
    if (B == llvm::StringRef::npos) {
      Out += Template.str();
      break;
    }
    size_t E = Template.find('}', B);
    if (E == llvm::StringRef::npos)
      return "";
    Out += Template.take_front(B).str();
    auto It = Vars.find(Template.slice(B + 1, E).str());
    if (It == Vars.end() || It->second.empty())
      return "";
    Out += It->second;
    Template = Template.drop_front(E + 1);
  }
  return Out;
}

/// The variables of \p Row for \p Path / \p Method, or false when the row does
/// not match.
bool rowMatches(const ScopeRow &Row, llvm::StringRef Path, llvm::StringRef Method,
                std::vector<std::string> &Scopes) {
  if (!Row.Methods.empty() && !llvm::is_contained(Row.Methods, Method.str()))
    return false;
  std::map<std::string, std::string> Vars;
  bool Matched = false;
  for (const std::string &P : Row.Paths)
    if (pathMatches(P, Path, Vars)) {
      Matched = true;
      break;
    }
  if (!Matched)
    return false;
  for (auto &[Name, Allowed] : Row.Where) {
    auto It = Vars.find(Name);
    if (It == Vars.end())
      return false;
    auto A = Allowed.find(It->second);
    if (A == Allowed.end())
      return false;
    It->second = A->second;
  }
  std::string Op;
  if (!Row.Verbs.empty()) {
    std::vector<llvm::StringRef> Segs = segments(Path);
    if (Segs.empty())
      return false;
    auto V = Row.Verbs.find(Segs.back().lower());
    if (V == Row.Verbs.end())
      return false;
    Op = V->second;
  } else {
    Op = operationOf(Method);
  }
  Vars["op"] = Op;
  Scopes.clear();
  for (const std::string &T : Row.Scopes) {
    std::string S = expand(T, Vars);
    if (S.empty())
      return false; // e.g. {op} with no visible method
    Scopes.push_back(std::move(S));
  }
  return true;
}

void addSorted(std::vector<std::string> &To, const std::vector<std::string> &From) {
  std::set<std::string> S(To.begin(), To.end());
  S.insert(From.begin(), From.end());
  To.assign(S.begin(), S.end());
}

/// Error helper for a list-or-scalar of methods.
llvm::Error readMethods(const YamlFile &Y, llvm::yaml::Node *N, std::vector<std::string> &Out) {
  auto L = Y.scalarList(N);
  if (!L)
    return L.takeError();
  for (std::string M : *L) {
    M = llvm::StringRef(M).upper();
    if (!isMethod(M))
      return Y.error(N, "unknown HTTP method '" + M + "' (GET, POST, PUT, PATCH, DELETE)");
    Out.push_back(M);
  }
  return llvm::Error::success();
}

llvm::Error readStringMap(const YamlFile &Y, llvm::yaml::Node *N,
                          std::map<std::string, std::string> &Out, bool IsVerbs) {
  auto *M = llvm::dyn_cast_or_null<MappingNode>(N);
  if (!M) {
    if (IsVerbs)
      return Y.error(N, "expected a mapping of verb: operation");
    // A list: each value maps to itself.
    auto L = Y.scalarList(N);
    if (!L)
      return L.takeError();
    for (const std::string &V : *L)
      Out[llvm::StringRef(V).lower()] = llvm::StringRef(V).lower();
    return llvm::Error::success();
  }
  for (KeyValueNode &KV : *M) {
    auto K = Y.key(KV);
    if (!K)
      return K.takeError();
    auto V = Y.scalar(KV.getValue());
    if (!V)
      return V.takeError();
    if (IsVerbs && !llvm::is_contained(Operations, llvm::StringRef(*V)))
      return Y.error(KV.getValue(),
                     "unknown operation '" + *V + "' (READ, CREATE, UPDATE, DELETE)");
    Out[llvm::StringRef(*K).lower()] = *V;
  }
  return llvm::Error::success();
}

} // namespace

llvm::Expected<ScopeCatalog>
ScopeCatalog::parse(llvm::StringRef Content, llvm::StringRef Name,
                    const std::vector<std::string> &KnownProducts) {
  auto F = YamlFile::parse(Content, Name);
  if (!F)
    return F.takeError();
  const YamlFile &Y = **F;
  ScopeCatalog Cat;
  struct SetRef {
    size_t Row;
    std::string Capture, Set;
    llvm::yaml::Node *At;
  };
  std::vector<SetRef> Refs;
  std::vector<llvm::yaml::Node *> RowNodes; // parallel to Cat.Rows
  std::map<std::string, std::map<std::string, std::string>> Sets;
  auto ReadRow = [&](llvm::yaml::Node &N) -> llvm::Error {
    ScopeRow R;
    R.Line = Y.line(&N);
    std::set<std::string> Captures;
    if (auto E = forEachKey(
            Y, &N,
            {"path", "method", "verbs", "where", "scopes", "source", "confirmed", "fallback",
             "note"},
            [&](llvm::StringRef K, KeyValueNode &KV) -> llvm::Error {
              llvm::yaml::Node *V = KV.getValue();
              if (K == "path") {
                auto L = Y.scalarList(V);
                if (!L)
                  return L.takeError();
                for (const std::string &P : *L) {
                  std::string Why = checkPattern(P);
                  if (!Why.empty())
                    return Y.error(V, "path '" + P + "': " + Why);
                  for (llvm::StringRef S : segments(P))
                    if (isCapture(S))
                      Captures.insert(S.drop_front().drop_back().str());
                }
                R.Paths = std::move(*L);
                return llvm::Error::success();
              }
              if (K == "method")
                return readMethods(Y, V, R.Methods);
              if (K == "verbs")
                return readStringMap(Y, V, R.Verbs, /*IsVerbs=*/true);
              if (K == "where") {
                auto *M = llvm::dyn_cast_or_null<MappingNode>(V);
                if (!M)
                  return Y.error(V, "expected a mapping of capture: values");
                for (KeyValueNode &W : *M) {
                  auto WK = Y.key(W);
                  if (!WK)
                    return WK.takeError();
                  // A scalar names an entry of the top-level `sets:` (resolved
                  // at the end).
                  if (auto *SN = llvm::dyn_cast_or_null<llvm::yaml::ScalarNode>(W.getValue())) {
                    auto SV = Y.scalar(SN);
                    if (!SV)
                      return SV.takeError();
                    Refs.push_back({Cat.Rows.size(), *WK, *SV, SN});
                    R.Where[*WK];
                    continue;
                  }
                  if (auto E = readStringMap(Y, W.getValue(), R.Where[*WK], false))
                    return E;
                }
                return llvm::Error::success();
              }
              if (K == "scopes") {
                auto L = Y.scalarList(V);
                if (!L)
                  return L.takeError();
                R.Scopes = std::move(*L);
                return llvm::Error::success();
              }
              auto S = Y.scalar(V);
              if (!S)
                return S.takeError();
              if (K == "confirmed" || K == "fallback") {
                if (*S != "true" && *S != "false")
                  return Y.error(V, "expected true or false");
                (K == "confirmed" ? R.Confirmed : R.Fallback) = *S == "true";
              } else if (K == "source") {
                R.Source = *S;
              }
              return llvm::Error::success();
            }))
      return E;
    if (R.Paths.empty())
      return Y.error(&N, "a row needs a 'path'");
    if (R.Scopes.empty())
      return Y.error(&N, "a row needs 'scopes'");
    for (auto &[W, Vals] : R.Where)
      if (!Captures.count(W))
        return Y.error(&N, "'where' names '" + W + "', which no path captures");
    for (const std::string &S : R.Scopes) {
      for (size_t B = S.find('{'); B != std::string::npos; B = S.find('{', B + 1)) {
        size_t E = S.find('}', B);
        if (E == std::string::npos)
          return Y.error(&N, "scope '" + S + "': unbalanced '{'");
        std::string Var = S.substr(B + 1, E - B - 1);
        if (Var != "op" && !Captures.count(Var))
          return Y.error(&N, "scope '" + S + "' uses '{" + Var +
                                 "}', which no path captures ({op} is the operation)");
        // A scope is never spelt from arbitrary request text (an id, a token).
        if (Var != "op" && !R.Where.count(Var))
          return Y.error(&N, "scope '" + S + "' uses '{" + Var +
                                 "}': list its values under 'where'");
      }
    }
    Cat.Rows.push_back(std::move(R));
    RowNodes.push_back(&N);
    return llvm::Error::success();
  };
  if (auto E = forEachKey(
          Y, Y.root(), {"version", "sets", "products"},
          [&](llvm::StringRef K, KeyValueNode &KV) -> llvm::Error {
            if (K == "sets") {
              auto *M = llvm::dyn_cast_or_null<MappingNode>(KV.getValue());
              if (!M)
                return Y.error(KV.getValue(), "expected a mapping of set name: values");
              for (KeyValueNode &SKV : *M) {
                auto SK = Y.key(SKV);
                if (!SK)
                  return SK.takeError();
                if (auto E = readStringMap(Y, SKV.getValue(), Sets[*SK], false))
                  return E;
              }
              return llvm::Error::success();
            }
            if (K == "version") {
              auto V = Y.scalar(KV.getValue());
              if (!V)
                return V.takeError();
              if (*V != "1")
                return Y.error(KV.getValue(), "unsupported version '" + *V + "' (expected 1)");
              return llvm::Error::success();
            }
            auto *Seq = llvm::dyn_cast_or_null<SequenceNode>(KV.getValue());
            if (!Seq)
              return Y.error(KV.getValue(), "expected a list of products");
            for (llvm::yaml::Node &PN : *Seq) {
              std::string Product, Source;
              bool HaveRows = false;
              size_t FirstRow = Cat.Rows.size();
              // The YAML stream is read once, in order: rows are read where
              // they stand and get their product and default source afterwards.
              if (auto E = forEachKey(
                      Y, &PN, {"product", "source", "rows"},
                      [&](llvm::StringRef K2, KeyValueNode &KV2) -> llvm::Error {
                        if (K2 == "rows") {
                          auto *RS = llvm::dyn_cast_or_null<SequenceNode>(KV2.getValue());
                          if (!RS)
                            return Y.error(KV2.getValue(), "expected a list of rows");
                          HaveRows = true;
                          for (llvm::yaml::Node &RN : *RS)
                            if (auto E = ReadRow(RN))
                              return E;
                          return llvm::Error::success();
                        }
                        auto S = Y.scalar(KV2.getValue());
                        if (!S)
                          return S.takeError();
                        (K2 == "product" ? Product : Source) = *S;
                        if (K2 == "product" && !KnownProducts.empty() &&
                            !llvm::is_contained(KnownProducts, *S))
                          return Y.error(KV2.getValue(), "unknown product '" + *S +
                                                             "' (see catalog/products.yaml)");
                        return llvm::Error::success();
                      }))
                return E;
              if (Product.empty())
                return Y.error(&PN, "an entry needs a 'product'");
              if (!HaveRows)
                return Y.error(&PN, "an entry needs 'rows', a list");
              for (size_t I = FirstRow; I < Cat.Rows.size(); ++I) {
                ScopeRow &R = Cat.Rows[I];
                R.Product = Product;
                if (R.Source.empty())
                  R.Source = Source;
                if (R.Source.empty())
                  return Y.error(RowNodes[I],
                                 "a row needs a 'source' (a Zoho documentation URL or a "
                                 "section of the reference); give it on the row or on its "
                                 "product");
              }
            }
            return llvm::Error::success();
          }))
    return E;
  for (const SetRef &R : Refs) {
    auto It = Sets.find(R.Set);
    if (It == Sets.end())
      return Y.error(R.At,
                     "unknown set '" + R.Set + "' (define it under the top-level 'sets:')");
    Cat.Rows[R.Row].Where[R.Capture] = It->second;
  }
  return Cat;
}

ScopeMatch ScopeCatalog::match(llvm::StringRef Product, llvm::StringRef Path,
                               llvm::StringRef Method) const {
  // Per product: the first specific row, else the first fallback row.
  std::map<std::string, std::pair<const ScopeRow *, std::vector<std::string>>> Specific,
      Fallback;
  for (const ScopeRow &R : Rows) {
    if (!Product.empty() && R.Product != Product)
      continue;
    auto &Slot = R.Fallback ? Fallback : Specific;
    if (Slot.count(R.Product))
      continue;
    std::vector<std::string> S;
    if (rowMatches(R, Path, Method, S))
      Slot[R.Product] = {&R, std::move(S)};
  }
  for (auto &[P, RS] : Fallback)
    if (!Specific.count(P))
      Specific[P] = RS;
  ScopeMatch M;
  // An unknown product: only a path that exactly one product's rows know
  // decides.
  if (Specific.size() != 1)
    return M;
  const ScopeRow *R = Specific.begin()->second.first;
  const std::vector<std::string> &S = Specific.begin()->second.second;
  addSorted(M.Scopes, S);
  if (!R->Confirmed)
    addSorted(M.Unconfirmed, S);
  if (R->Fallback)
    addSorted(M.Fallback, S);
  M.Rows.push_back(R);
  return M;
}

ScopeMatch ScopeCatalog::infer(llvm::StringRef Product, llvm::StringRef RequestText,
                               llvm::StringRef SendText) const {
  ScopeMatch Out;
  std::string Method = requestMethod(RequestText);
  if (Method.empty() && !SendText.empty())
    Method = requestMethod(SendText);
  std::set<std::string> Sure,
      Specific; // from confirmed rows; from non-fallback rows
  for (const std::string &P : requestPaths(RequestText)) {
    ScopeMatch M = match(Product, P, Method);
    if (M.Rows.empty())
      continue;
    addSorted(Out.Scopes, M.Scopes);
    addSorted(Out.Unconfirmed, M.Unconfirmed);
    addSorted(Out.Fallback, M.Fallback);
    if (M.Rows.front()->Confirmed)
      Sure.insert(M.Scopes.begin(), M.Scopes.end());
    if (!M.Rows.front()->Fallback)
      Specific.insert(M.Scopes.begin(), M.Scopes.end());
    if (!llvm::is_contained(Out.Rows, M.Rows.front()))
      Out.Rows.push_back(M.Rows.front());
  }
  // A scope one row states for sure is not unconfirmed because another row of
  // the same request also lists it (likewise for fallbacks).
  llvm::erase_if(Out.Unconfirmed, [&](const std::string &S) { return Sure.count(S) > 0; });
  llvm::erase_if(Out.Fallback, [&](const std::string &S) { return Specific.count(S) > 0; });
  return Out;
}

namespace {
bool wordChar(char C) { return llvm::isAlnum(C) || C == '_'; }

/// The first occurrence of \p Word in \p Text as a whole word (RE2's ASCII `\bWord\b`).
size_t findWord(llvm::StringRef Text, llvm::StringRef Word, size_t From = 0) {
  if (Word.empty())
    return llvm::StringRef::npos;
  for (size_t At = Text.find(Word, From); At != llvm::StringRef::npos;
       At = Text.find(Word, At + 1))
    if ((At == 0 || !wordChar(Text[At - 1])) &&
        (At + Word.size() == Text.size() || !wordChar(Text[At + Word.size()])))
      return At;
  return llvm::StringRef::npos;
}

/// After an assignment operator at \p P: `\s*["'`]([^"'`\r\n]*)["'`]`, the literal's text.
std::optional<std::string> literalAt(llvm::StringRef Text, size_t P) {
  while (P < Text.size() && llvm::isSpace(Text[P]))
    ++P;
  if (P >= Text.size() || !llvm::StringRef("\"'`").contains(Text[P]))
    return std::nullopt;
  size_t B = ++P;
  while (P < Text.size() && !llvm::StringRef("\"'`\r\n").contains(Text[P]))
    ++P;
  if (P >= Text.size() || !llvm::StringRef("\"'`").contains(Text[P]))
    return std::nullopt;
  return Text.slice(B, P).str();
}

/// The value of the first definition of \p Id in \p Text as a string literal:
/// `define('ID', "…")`, `ID = "…"`, `ID := "…"`, `'ID' => "…"`, `ID: "…"` (the name may
/// be quoted as a key). Written out rather than as one RE2 per name: it runs per finding.
std::optional<std::string> constantValue(llvm::StringRef Text, llvm::StringRef Id) {
  for (size_t At = Text.find(Id); At != llvm::StringRef::npos; At = Text.find(Id, At + 1)) {
    size_t End = At + Id.size();
    bool After = End == Text.size() || !wordChar(Text[End]);
    // define ( 'ID' ,
    if (At > 0 && (Text[At - 1] == '\'' || Text[At - 1] == '"') && End < Text.size() &&
        (Text[End] == '\'' || Text[End] == '"')) {
      llvm::StringRef Before = Text.take_front(At - 1).rtrim();
      if (Before.consume_back("(")) {
        Before = Before.rtrim();
        if (Before.endswith("define") &&
            (Before.size() == 6 || !wordChar(Before[Before.size() - 7]))) {
          llvm::StringRef Rest = Text.drop_front(End + 1).ltrim();
          if (Rest.consume_front(","))
            if (auto V = literalAt(Text, Text.size() - Rest.size()))
              return V;
        }
      }
    }
    // ID ['"]? \s* (:= | => | = | :)
    if ((At == 0 || !wordChar(Text[At - 1])) && After) {
      size_t P = End;
      if (P < Text.size() && (Text[P] == '\'' || Text[P] == '"'))
        ++P;
      while (P < Text.size() && llvm::isSpace(Text[P]))
        ++P;
      llvm::StringRef Op = Text.drop_front(P);
      for (llvm::StringRef O : {":=", "=>", "=", ":"})
        if (Op.startswith(O))
          if (auto V = literalAt(Text, P + O.size()))
            return V;
    }
  }
  return std::nullopt;
}
} // namespace

void ScopeCatalog::fill(Finding &F, llvm::StringRef FileText) const {
  fill(F, FileText, LineIndex(FileText));
}

void ScopeCatalog::fill(Finding &F, llvm::StringRef FileText, const LineIndex &Lines) const {
  F.ScopesNeeded.clear();
  F.ScopesUnconfirmed.clear();
  F.ScopesFallback.clear();
  if (Rows.empty() || FileText.empty())
    return;
  unsigned First = F.Begin.Line, Last = F.End.Line;
  if (F.StatementBegin.Line && F.StatementEnd.Line) {
    First = std::min(First, F.StatementBegin.Line);
    Last = std::max(Last, F.StatementEnd.Line);
  }
  if (First == 0 || First > Lines.lineCount())
    return;
  Last = std::min(std::max(Last, First), Lines.lineCount());
  size_t B = Lines.lineStart(First);
  size_t E = Last < Lines.lineCount() ? Lines.lineStart(Last + 1) : FileText.size();
  llvm::StringRef Region = FileText.slice(B, E);
  // `url = "…/crm/v2/Leads"` then `requests.post(url, …)`: the method is where the
  // variable the statement assigns is sent, the first of the next lines that uses it.
  std::string Send;
  static const RE2 Assign(
      R"(^\s*(?:(?:const|let|var|my|final|String|string|auto)\s+)?\$?([A-Za-z_][A-Za-z0-9_]*)\s*(?::=|=)[^=])");
  std::string Var;
  if (RE2::PartialMatch(re2::StringPiece(Region.data(), Region.size()), Assign, &Var)) {
    for (unsigned L = Last + 1; L <= std::min(Last + 5, Lines.lineCount()); ++L) {
      llvm::StringRef Text = Lines.line(L);
      if (findWord(Text, Var) != llvm::StringRef::npos) {
        Send = Text.str();
        break;
      }
    }
  }
  ScopeMatch M = infer(F.Product, expandConstants(Region, FileText), Send);
  F.ScopesNeeded = std::move(M.Scopes);
  F.ScopesUnconfirmed = std::move(M.Unconfirmed);
  F.ScopesFallback = std::move(M.Fallback);
}

std::string expandConstants(llvm::StringRef Region, llvm::StringRef FileText) {
  // IDENT + "…", IDENT . "…" (PHP), IDENT .. "…" (Lua), and {IDENT} / ${IDENT}
  // interpolations; IDENT resolved to the first `IDENT = "literal"` (const, define, …) in
  // the file.
  static const RE2 Concat(R"(([A-Za-z_][A-Za-z0-9_]*)\s*(?:\+|\.\.|\.)\s*(["'`]))");
  static const RE2 Interp(R"(\$?\{([A-Za-z_][A-Za-z0-9_]*)\})");
  std::map<std::string, std::optional<std::string>> Defs;
  auto Definition = [&](const std::string &Id) -> std::optional<std::string> {
    auto It = Defs.find(Id);
    if (It != Defs.end())
      return It->second;
    std::optional<std::string> Out = constantValue(FileText, Id);
    Defs[Id] = Out;
    return Out;
  };
  struct Edit {
    size_t B, E;
    std::string With;
  };
  std::vector<Edit> Edits;
  re2::StringPiece In(Region.data(), Region.size());
  re2::StringPiece G[3];
  size_t Pos = 0;
  while (Pos < Region.size() && Concat.Match(In, Pos, Region.size(), RE2::UNANCHORED, G, 3)) {
    size_t B = G[0].data() - Region.data(), E = B + G[0].size();
    Pos = E;
    if (auto V = Definition(std::string(G[1].data(), G[1].size())))
      Edits.push_back({B, E, std::string(G[2].data(), G[2].size()) + *V});
  }
  Pos = 0;
  while (Pos < Region.size() && Interp.Match(In, Pos, Region.size(), RE2::UNANCHORED, G, 2)) {
    size_t B = G[0].data() - Region.data(), E = B + G[0].size();
    Pos = E;
    bool Overlaps = llvm::any_of(Edits, [&](const Edit &X) { return B < X.E && X.B < E; });
    if (!Overlaps)
      if (auto V = Definition(std::string(G[1].data(), G[1].size())))
        Edits.push_back({B, E, *V});
  }
  std::sort(Edits.begin(), Edits.end(), [](const Edit &A, const Edit &B) { return A.B < B.B; });
  std::string Out;
  size_t At = 0;
  for (const Edit &X : Edits) {
    if (X.B < At)
      continue;
    Out += Region.slice(At, X.B).str();
    Out += X.With;
    At = X.E;
  }
  Out += Region.drop_front(At).str();
  return Out;
}

std::string requestMethod(llvm::StringRef Text) {
  struct Probe {
    int Tier; ///< lower wins
    const char *Re;
    const char *Method; ///< nullptr: group 1 is the method
  };
  // Tier 0: an override header names the real method. Tier 1: the method spelt
  // out (curl -X, CURLOPT_CUSTOMREQUEST, method: 'PUT', invokeurl type: PUT,
  // HttpPost, requests.post, postUrl). Tier 2: implied (CURLOPT_POST, curl -d,
  // file_get_contents).
  static const Probe Probes[] = {
      {0, R"((?i)X-HTTP-Method-Override['"]?\s*(?:,|:|=>|=)\s*['"]?(PUT|PATCH|DELETE)\b)",
       nullptr},
      {1, R"((?i)(?:^|\s)(?:-X\s*|--request[=\s]\s*)['"]?(GET|POST|PUT|PATCH|DELETE)\b)",
       nullptr},
      {1, R"((?i)CURLOPT_CUSTOMREQUEST['"]?\s*(?:,|=>)\s*['"](GET|POST|PUT|PATCH|DELETE)['"])",
       nullptr},
      {1,
       R"((?i)\b(?:method|type|verb|http_method)['"]?\s*(?::|=>|=|:=)\s*(?:['"]|:|HttpMethod\.|Method\.)?(GET|POST|PUT|PATCH|DELETE)\b)",
       nullptr},
      {1,
       R"((?i)\b(?:setRequestMethod|setMethod|NewRequest|NewRequestWithContext|request|Request|fetch_url|open)\s*\(\s*(?:ctx\s*,\s*)?['"](GET|POST|PUT|PATCH|DELETE)['"])",
       nullptr},
      {1, R"((?i)\bhttp\.Method(Get|Post|Put|Patch|Delete)\b)", nullptr},
      {1, R"((?i)\bHttpMethod\.(Get|Post|Put|Patch|Delete)\b)", nullptr},
      {1, R"(\bHttp(Get|Post|Put|Patch|Delete)\b)", nullptr},
      {1, R"(\bNet::HTTP::(Get|Post|Put|Patch|Delete)\b)", nullptr},
      {1, R"(\b(Get|Post|Put|Patch|Delete)Async\s*[<(])", nullptr},
      {1, R"((?i)\bwp_(?:safe_)?remote_(get|post)\s*\()", nullptr},
      {1,
       R"((?i)\b(?:requests|session|sess|s|httpx|client|http|https|axios|api|agent|superagent|request|got|needle|ky|restclient|RestClient|HTTParty|Faraday|faraday|conn|connection|Net::HTTP|\$http|\$client|\$this->client|this\.http|this\.client|self\.session|self\.client|Http|HTTP|guzzle|\$guzzle)\s*(?:\.|::|->)\s*(get|post|put|patch|delete)\s*\()",
       nullptr},
      {1, R"(\.(post|put|patch|delete)(?:Async)?\s*\()", nullptr},
      {1, R"((?i)\bpostUrl\s*\()", "POST"},
      {1, R"((?i)\bgetUrl\s*\()", "GET"},
      {2, R"(\bCURLOPT_(?:POST|POSTFIELDS)\b)", "POST"},
      {2, R"(\bCURLOPT_HTTPGET\b)", "GET"},
      {2, R"((?:^|\s)(?:-d|--data(?:-raw|-binary|-urlencode)?|-F|--form)(?:\s|=))", "POST"},
      {2, R"((?i)\bfile_get_contents\s*\()", "GET"},
      {2, R"((?:^|\s)--post-(?:data|file)(?:\s|=))", "POST"},
      {3, R"((?:^|[\s;(`'"])curl\s)", "GET"},
      {3, R"((?:^|[\s;(`'"])wget\s)", "GET"},
      {3, R"(\bfetch\s*\()", "GET"},
  };
  static const std::vector<std::unique_ptr<RE2>> Compiled = [] {
    std::vector<std::unique_ptr<RE2>> V;
    RE2::Options O;
    O.set_log_errors(false);
    for (const Probe &P : Probes)
      V.push_back(std::make_unique<RE2>(P.Re, O));
    return V;
  }();
  for (int Tier = 0; Tier <= 3; ++Tier) {
    std::set<std::string> Found;
    for (size_t I = 0; I < std::size(Probes); ++I) {
      if (Probes[I].Tier != Tier || !Compiled[I]->ok())
        continue;
      re2::StringPiece In(Text.data(), Text.size());
      std::string G;
      if (Probes[I].Method) {
        if (RE2::PartialMatch(In, *Compiled[I]))
          Found.insert(Probes[I].Method);
        continue;
      }
      while (RE2::FindAndConsume(&In, *Compiled[I], &G))
        Found.insert(llvm::StringRef(G).upper());
    }
    if (Found.size() == 1)
      return *Found.begin();
    if (Found.size() > 1)
      return ""; // conflicting: not visible
  }
  return "";
}

std::vector<std::string> requestPaths(llvm::StringRef Text) {
  // Absolute URLs (the path stops at what cannot be literal path text: quotes,
  // interpolation, query, fragment), and quoted literals that start with '/'.
  static const RE2 Url(
      R"((?i)\bhttps?://[A-Za-z0-9.-]+(?::[0-9]+)?(/[^\s"'<>`(){}\[\],;$\\?#|+]*)?)");
  static const RE2 Rel(R"([("'`](/[A-Za-z0-9_.~%-]+(?:/[A-Za-z0-9_.~%-]*)*))");
  std::vector<std::pair<size_t, std::string>> Found;
  re2::StringPiece In(Text.data(), Text.size());
  re2::StringPiece G;
  std::set<size_t> UrlStarts;
  while (RE2::FindAndConsume(&In, Url, &G))
    if (G.data() && !G.empty()) {
      Found.push_back({size_t(G.data() - Text.data()), std::string(G.data(), G.size())});
      UrlStarts.insert(G.data() - Text.data());
    }
  In = re2::StringPiece(Text.data(), Text.size());
  while (RE2::FindAndConsume(&In, Rel, &G)) {
    size_t At = G.data() - Text.data();
    if (!UrlStarts.count(At) && llvm::StringRef(G.data(), G.size()).count('/') >= 2)
      Found.push_back({At, std::string(G.data(), G.size())});
  }
  std::sort(Found.begin(), Found.end());
  std::vector<std::string> Out;
  for (auto &[At, P] : Found)
    if (!llvm::is_contained(Out, P))
      Out.push_back(P);
  return Out;
}

} // namespace atm
