//===- Generation.cpp - legacy token-generation flows -> the OAuth helper ---===//
//
// Generation.h says what becomes of a flow. How the shape is read:
//   1. the function: the innermost named function/method around the finding; for a
//      finding outside any function (a class constant holding the URL), the one function
//      of the file that uses that constant;
//   2. what comes from the response: names are followed forward from the finding through
//      assignments, the arguments of calls given a derived value (curl handles, PHP's
//      `preg_match(…, $matches)`), the parameters of callbacks given to such calls, and loop
//      variables over derived values;
//   3. the token: a derived value that is extracted (a subscript, `substring`/`match`/
//      `split`/`explode`/…, or a `.authtoken`-like member), not the response itself and
//      not a result object built from it (`$r['authToken'] = …`, `Result.new(…)`);
//   4. the shape, from the function's own returns, its field stores and (JavaScript) its
//      callback calls and promise chains; a returned result object is rebuilt from the
//      helper's token member by member (resultObject: which field of Zoho's answer each
//      member holds), a `return true` after the store stays. A body that also does something
//      else, sends another request, or has more than 60 lines of code is left.

#include "fix/Generation.h"

#include <map>
#include <set>
#include <vector>

#include "fix/EditUtil.h"

#include "llvm/ADT/StringExtras.h"
#include "re2/re2.h"
#include "fmt/format.h"

namespace atm::fix {
namespace {

using syntax::ByteRange;
using syntax::Node;

bool identChar(char C) { return isIdentChar(C); }

bool mentionsWord(llvm::StringRef Text, llvm::StringRef Word) {
  return mentionsIdentifier(Text, Word);
}

bool namedFunctionKind(llvm::StringRef K) {
  return K == "function_definition" || K == "function_declaration" ||
         K == "method_definition" || K == "method_declaration" || K == "method" ||
         K == "singleton_method" || K == "constructor_declaration" ||
         K == "local_function_statement" || K == "generator_function_declaration";
}
bool anonymousFunctionKind(llvm::StringRef K) {
  return K == "arrow_function" || K == "function_expression" || K == "function" ||
         K == "anonymous_function" || K == "lambda" || K == "lambda_expression" ||
         K == "anonymous_method_expression" || K == "lambda_literal" ||
         K == "generator_function" || K == "anonymous_function_creation_expression";
}
bool functionKind(llvm::StringRef K) { return namedFunctionKind(K) || anonymousFunctionKind(K); }
/// A function expression that is a named function in all but syntax (`createToken:
/// function (…) {…}`, `const token = (…) => {…}`, `Foo.prototype.auth = function …`).
bool boundFunction(Node N) {
  if (!anonymousFunctionKind(N.kind()))
    return false;
  Node P = N.parent();
  llvm::StringRef K = P ? P.kind() : "";
  return K == "variable_declarator" || K == "pair" || K == "assignment_expression" ||
         K == "public_field_definition" || K == "field_definition";
}

const char *const Keywords[] = {"for", "in", "of", "as", "var", "let", "const", "each", "do",
                                "final", "foreach", "val", "String", "string", "int", "auto",
                                "end", "await", "async", "not", "and", "or", "if", "true",
                                "false", "null", "nil", "None", "this", "self", "new"};

class Analysis {
public:
  Analysis(const GenerationInput &In, uint32_t Offset) : In(In), Text(In.Text), Offset(Offset) {}

  std::optional<GenerationFix> run(std::string &Why);

private:
  const GenerationInput &In;
  llvm::StringRef Text;
  uint32_t Offset;
  Node Fn, Body;
  ByteRange FnRange;
  std::string Constant; ///< the constant holding the URL, when the finding is outside Fn
  std::set<std::string> Tainted;
  std::set<std::string> Extracted, Struct;

  bool ecma() const {
    return In.M.G == syntax::Grammar::JavaScript || In.M.G == syntax::Grammar::TypeScript ||
           In.M.G == syntax::Grammar::Tsx;
  }
  bool ruby() const { return In.M.G == syntax::Grammar::Ruby; }
  bool inFn(ByteRange R) const { return FnRange.contains(R); }
  /// True if \p R holds the finding or another finding of the flow (GenerationInput::Seeds).
  bool holdsFinding(ByteRange R) const {
    if (R.Begin <= Offset && Offset < R.End)
      return true;
    for (uint32_t S : In.Seeds)
      if (R.Begin <= S && S < R.End)
        return true;
    return false;
  }

  /// \p R's text with string literals blanked (a URL naming `url` is no use of `url`).
  std::string code(ByteRange R) const {
    std::string T = Text.slice(R.Begin, R.End).str();
    for (const syntax::StringExpr &S : In.M.Strings)
      if (R.contains(S.Range) && S.Kind == syntax::StringExpr::Literal)
        std::fill(T.begin() + (S.Range.Begin - R.Begin), T.begin() + (S.Range.End - R.Begin),
                  ' ');
    return T;
  }
  bool tainted(ByteRange R) const {
    if (holdsFinding(R))
      return true;
    std::string C = code(R);
    for (const std::string &N : Tainted)
      if (mentionsWord(C, N))
        return true;
    return false;
  }
  static bool plainName(llvm::StringRef T) {
    static const re2::RE2 Re(R"(^(\$|@)?[A-Za-z_][\w]*$)");
    return re2::RE2::FullMatch(re2::StringPiece(T.data(), T.size()), Re);
  }
  static bool fieldName(llvm::StringRef T) {
    static const re2::RE2 Re(
        R"(^(this\.|\$this->|self\.|self::\$|static::\$|@)[A-Za-z_][\w]*(\.[A-Za-z_]\w*|->[A-Za-z_]\w*)*$)");
    return re2::RE2::FullMatch(re2::StringPiece(T.data(), T.size()), Re) && !T.startswith("@@");
  }
  /// An expression without a function or block in it (a `.then(function …)` chain is
  /// no extraction of its own).
  static bool simpleExpr(llvm::StringRef T) {
    return !T.contains('{') && !T.contains("=>") && !T.contains("function") &&
           !T.contains("lambda") && !T.contains(" do");
  }
  static bool extraction(llvm::StringRef T) {
    if (!simpleExpr(T))
      return false;
    static const re2::RE2 Re(
        R"((?i)([\w\)\]]\s*\[)|([.>:]\s*(substr|substring|slice|match|matches|split|explode|exec|search|group|groups|index_?of|last_?index_?of|scan|sub|gsub|captures|strip|trim|partition|rpartition)\s*[\(\[])|(\b(substr|explode|preg_match|preg_replace|strstr|strrchr|str_replace|parse_str|split|re\.(search|match|findall))\s*\()|([.>]\s*(auth_?token|token|session_?id|ticket)\b))");
    return re2::RE2::PartialMatch(re2::StringPiece(T.data(), T.size()), Re);
  }
  bool constructed(llvm::StringRef T) const {
    T = T.trim();
    // Python has no `new`: a call of a class name (`Answer(token)`, `auth.Token(t)`).
    static const re2::RE2 PyClass(R"(^([a-z_]\w*\.)*[A-Z]\w*\()");
    return T.startswith("new ") || T.startswith("[") || T.startswith("{") ||
           T.startswith("array(") || T.startswith("dict(") || T.contains(".new(") ||
           T.endswith(".new") || T.startswith("Hash.new") || T.startswith("OpenStruct") ||
           (In.M.G == syntax::Grammar::Python &&
            re2::RE2::PartialMatch(re2::StringPiece(T.data(), T.size()), PyClass));
  }

  bool findFunction(std::string &Why);
  std::string constantAt(uint32_t At) const;
  bool insideFunction(uint32_t At) const;
  void propagate();
  std::vector<std::string> parameters(Node F) const;
  /// True if the expression \p R is the token (Generation.cpp step 3).
  bool tokenLike(ByteRange R) const {
    if (!tainted(R))
      return false;
    llvm::StringRef T = Text.slice(R.Begin, R.End).trim();
    if (plainName(T) || fieldName(T))
      return Extracted.count(T.str()) && !Struct.count(T.str());
    return extraction(T) && !constructed(T);
  }
  /// The value of a return statement (empty: none).
  ByteRange returnValue(Node N) const;
  void returns(Node N, bool Nested, std::vector<std::pair<ByteRange, bool>> &Out) const;
  std::string describeOther(ByteRange V) const;
  // The result-object shape (step 4): an object built from the response, returned.
  std::string responseKey(const syntax::Assignment &A) const;
  bool failureOnly(ByteRange R) const;
  bool selfContained(ByteRange R, const std::vector<std::string> &Params) const;
  std::optional<std::string> rebuilt(ByteRange V, const std::string &Value,
                                     const std::vector<std::string> &Params,
                                     std::string &Why) const;
  bool resultObject(const std::vector<ByteRange> &Returned, const std::string &Value,
                    const std::vector<std::string> &Params, const std::string &Name,
                    std::vector<std::string> &New, std::string &Shape, std::string &Why) const;
  std::string quoted(llvm::StringRef S) const;
  std::string answerReaders(const std::string &Name, const std::string &Value) const;
  std::string indentOf(uint32_t At) const {
    size_t L = Text.rfind('\n', At);
    L = L == llvm::StringRef::npos ? 0 : L + 1;
    size_t E = L;
    while (E < At && (Text[E] == ' ' || Text[E] == '\t'))
      ++E;
    return Text.slice(L, E).str();
  }
};

std::vector<std::string> Analysis::parameters(Node F) const {
  std::vector<std::string> Out;
  Node P = F.field("parameters");
  if (!P)
    P = F.field("parameter");
  if (!P) // Kotlin, C# lambdas
    for (Node C : F.namedChildren(true))
      if (C.kind().contains("parameter")) {
        P = C;
        break;
      }
  if (!P)
    return Out;
  std::vector<Node> Params = P.kind().endswith("parameters") || P.kind() == "parameter_list"
                                 ? P.namedChildren(true)
                                 : std::vector<Node>{P};
  for (Node X : Params) {
    // The parameter's name: the node itself, or its first name-like descendant.
    std::vector<Node> Work{X};
    while (!Work.empty()) {
      Node N = Work.front();
      Work.erase(Work.begin());
      llvm::StringRef K = N.kind();
      if (K == "identifier" || K == "variable_name" || K == "simple_identifier" ||
          K == "shorthand_property_identifier_pattern") {
        Out.push_back(N.text().str());
        break;
      }
      std::vector<Node> Kids = N.namedChildren(true);
      // A typed parameter (`String email`, `final String email`): the name comes last.
      if (K == "formal_parameter" || K == "parameter")
        std::reverse(Kids.begin(), Kids.end());
      Work.insert(Work.begin(), Kids.begin(), Kids.end());
    }
  }
  return Out;
}

/// The name of the constant whose value holds \p At (`const X = '…'`), or "".
std::string Analysis::constantAt(uint32_t At) const {
  const syntax::StringExpr *S = nullptr;
  for (const syntax::StringExpr &E : In.M.Strings)
    if (E.Range.Begin <= At && At < E.Range.End && (!S || S->Range.contains(E.Range)))
      S = &E;
  if (!S)
    return "";
  llvm::StringRef Before = Text.take_front(S->Range.Begin).rtrim();
  if (!Before.endswith("=") || Before.endswith("==") || Before.endswith("=>"))
    return "";
  Before = Before.drop_back().rtrim();
  size_t B = Before.size();
  while (B > 0 && identChar(Before[B - 1]))
    --B;
  std::string Name = Before.drop_front(B).str();
  if (Name.empty() || llvm::isDigit(Name[0]))
    return "";
  return Name;
}

/// True if \p At is inside a function (or a function-valued property).
bool Analysis::insideFunction(uint32_t At) const {
  for (Node N = In.Tree.root().namedDescendantFor({At, At + 1}); N; N = N.parent())
    if (namedFunctionKind(N.kind()) || boundFunction(N))
      return true;
  return false;
}

bool Analysis::findFunction(std::string &Why) {
  Node N = In.Tree.root().namedDescendantFor({Offset, Offset + 1});
  for (; N; N = N.parent())
    if (namedFunctionKind(N.kind()) || boundFunction(N))
      break;
  if (!N) {
    // Outside any function: a constant holding the URL (`const AUTH_URL = '…'`,
    // `private const string TokenUrl = "…";`), used by one function.
    Constant = constantAt(Offset);
    if (Constant.empty()) {
      Why = "the generation URL is outside any function and not a constant this fix can follow";
      return false;
    }
    std::vector<Node> Users, Work{In.Tree.root()};
    for (size_t Seen = 0; !Work.empty() && Seen < 200000; ++Seen) {
      Node X = Work.back();
      Work.pop_back();
      if (namedFunctionKind(X.kind()) || boundFunction(X)) {
        Node B = X.field("body");
        if (B && mentionsWord(code(B.range()), Constant))
          Users.push_back(X);
        continue;
      }
      for (Node K : X.namedChildren(true))
        Work.push_back(K);
    }
    if (Users.size() != 1) {
      Why = Users.empty()
                ? fmt::format("no function of this file uses the generation URL `{}`", Constant)
                : fmt::format("the generation URL `{}` is used by {} functions", Constant,
                              Users.size());
      return false;
    }
    N = Users.front();
    Tainted.insert(Constant);
  }
  Fn = N;
  FnRange = Fn.range();
  Body = Fn.field("body");
  if (!Body) {
    Why = "the generation function has no body this fix can rewrite";
    return false;
  }
  return true;
}

void Analysis::propagate() {
  static const re2::RE2 NameRe(R"((\$?[A-Za-z_]\w*))");
  auto AddTarget = [&](const syntax::Assignment &A, llvm::StringRef Value) {
    llvm::StringRef T = llvm::StringRef(A.Target).trim();
    bool Ext = extraction(Value) && !constructed(Value);
    llvm::StringRef V = Value.trim();
    if ((plainName(V) || fieldName(V)) && Extracted.count(V.str()))
      Ext = true;
    if (fieldName(T) || plainName(T)) {
      bool New = Tainted.insert(T.str()).second;
      (void)New;
      if (Ext)
        Extracted.insert(T.str());
      if (constructed(Value))
        Struct.insert(T.str());
      return;
    }
    // `$r['authToken'] = …`, `result.authtoken = …`: a result object built from the response.
    size_t Cut = T.find_first_of("[.");
    size_t Arrow = T.find("->");
    if (Arrow != llvm::StringRef::npos && Arrow < Cut && !T.startswith("$this->"))
      Cut = Arrow;
    if (Cut != llvm::StringRef::npos && Cut > 0 && plainName(T.take_front(Cut).trim())) {
      std::string Base = T.take_front(Cut).trim().str();
      Tainted.insert(Base);
      Struct.insert(Base);
      return;
    }
    // `key, value = line.split('=')`, `[a, b] = …`, `list($a, $b) = …`
    re2::StringPiece In(T.data(), T.size());
    std::string Name;
    while (re2::RE2::FindAndConsume(&In, NameRe, &Name))
      if (Name != "list" && Name != "var" && Name != "let" && Name != "const") {
        Tainted.insert(Name);
        if (Ext)
          Extracted.insert(Name);
      }
  };
  for (int Pass = 0; Pass < 4; ++Pass) {
    size_t Before = Tainted.size() + Extracted.size() + Struct.size();
    for (const syntax::Assignment &A : In.M.Assignments) {
      if (!inFn(A.Range) || A.Value.empty())
        continue;
      // `$data['PASSWORD'] = $this->password`: the finding is the statement itself.
      if (tainted(A.Value) || holdsFinding(A.Range))
        AddTarget(A, Text.slice(A.Value.Begin, A.Value.End));
    }
    for (const syntax::CallSite &C : In.M.Calls) {
      if (!inFn(C.Range))
        continue;
      bool T = tainted(C.CalleeRange) || (!C.Receiver.empty() && tainted(C.Receiver));
      std::vector<Node> Fns;
      for (const syntax::Argument &A : C.Arguments) {
        Node X = In.Tree.root().namedDescendantFor(A.Value);
        while (X && X.range() != A.Value && X.parent() && A.Value.contains(X.parent().range()))
          X = X.parent();
        if (X && functionKind(X.kind()) && X.range() == A.Value)
          Fns.push_back(X);
        else if (tainted(A.Value))
          T = true;
      }
      if (!T && holdsFinding(C.ArgumentList)) {
        bool InFnArg = false;
        for (Node X : Fns)
          InFnArg = InFnArg || holdsFinding(X.range());
        T = !InFnArg;
      }
      if (!T)
        continue;
      for (const syntax::Argument &A : C.Arguments) {
        llvm::StringRef V = Text.slice(A.Value.Begin, A.Value.End).trim();
        for (llvm::StringRef P : {"out ", "ref ", "&"})
          if (V.startswith(P))
            V = V.drop_front(P.size()).trim();
        if (V.startswith("var "))
          V = V.drop_front(4).trim();
        if (plainName(V) && V != "null" && V != "nil" && V != "None" && V != "true" &&
            V != "false" && !llvm::isDigit(V[0]))
          Tainted.insert(V.str());
      }
      for (Node X : Fns)
        for (const std::string &P : parameters(X))
          Tainted.insert(P);
    }
    // Loop variables over a derived value.
    std::vector<Node> Work{Fn};
    for (size_t Seen = 0; !Work.empty() && Seen < 100000; ++Seen) {
      Node X = Work.back();
      Work.pop_back();
      llvm::StringRef K = X.kind();
      if (K == "for_statement" || K == "for_in_statement" || K == "foreach_statement" ||
          K == "enhanced_for_statement" || K == "for_each_statement" || K == "for" ||
          K == "while_statement" || K == "while") {
        Node B = X.field("body");
        uint32_t End = B ? B.begin() : X.end();
        ByteRange Head{X.begin(), End};
        if (tainted(Head)) {
          std::string H = code(Head);
          re2::StringPiece P(H);
          std::string Name;
          while (re2::RE2::FindAndConsume(&P, NameRe, &Name))
            if (!llvm::is_contained(Keywords, Name))
              Tainted.insert(Name);
        }
      }
      for (Node Kid : X.namedChildren(true))
        Work.push_back(Kid);
    }
    if (Tainted.size() + Extracted.size() + Struct.size() == Before)
      break;
  }
}

ByteRange Analysis::returnValue(Node N) const {
  llvm::StringRef T = N.text();
  size_t Kw = T.find("return");
  if (Kw == llvm::StringRef::npos)
    return {};
  uint32_t B = N.begin() + Kw + 6, E = N.end();
  while (B < E && llvm::isSpace(Text[B]))
    ++B;
  while (E > B && (llvm::isSpace(Text[E - 1]) || Text[E - 1] == ';'))
    --E;
  return {B, E};
}

/// The return statements in \p N: (value, inside a nested function).
void Analysis::returns(Node N, bool Nested,
                       std::vector<std::pair<ByteRange, bool>> &Out) const {
  for (Node K : N.namedChildren(true)) {
    llvm::StringRef Kind = K.kind();
    bool InNested = Nested || functionKind(Kind);
    if (Kind == "return_statement" || Kind == "return" ||
        (Kind == "jump_expression" && K.text().startswith("return"))) {
      Out.push_back({returnValue(K), Nested});
      returns(K, Nested, Out); // `return fetch(…).then((r) => { …; return t; })`
      continue;
    }
    returns(K, InNested, Out);
  }
}

std::string Analysis::describeOther(ByteRange V) const {
  std::string T = Text.slice(V.Begin, V.End).str();
  llvm::StringRef S(T);
  if (S.size() > 60)
    T = S.take_front(57).str() + "…";
  llvm::StringRef Plain = llvm::StringRef(Text.slice(V.Begin, V.End)).trim();
  if (!tainted(V))
    return fmt::format("it returns `{}`, which is not the token", T);
  if (holdsFinding(V) || (!Constant.empty() && Plain == Constant))
    return fmt::format("it returns the generation URL itself (`{}`), which is sent or opened "
                       "elsewhere",
                       T);
  if (Struct.count(Plain.str()) || constructed(Plain))
    return fmt::format("it returns `{}`, a result object built from the response (a "
                       "library-specific shape)",
                       T);
  return fmt::format("it returns `{}`, the response rather than the token", T);
}

/// The field of Zoho's answer (`AUTHTOKEN=…`, `RESULT=TRUE|FALSE`, `CAUSE=…`) the value
/// stored by \p A comes from: named by the value itself (`body.match(/AUTHTOKEN=(.+)/)[1]`)
/// or by a statement reading or setting a name the value reads (`strcmp($res[0], "RESULT")`);
/// "" if none is named, "?" if more than one is.
std::string Analysis::responseKey(const syntax::Assignment &A) const {
  static const char *const Keys[] = {"AUTHTOKEN", "RESULT", "CAUSE"};
  std::set<std::string> Found;
  auto Collect = [&](llvm::StringRef T) {
    for (const char *K : Keys)
      if (mentionsWord(T, K))
        Found.insert(K);
  };
  Collect(Text.slice(A.Value.Begin, A.Value.End));
  if (Found.empty()) {
    std::string C = code(A.Value);
    for (const std::string &N : Tainted) {
      if (!mentionsWord(C, N))
        continue;
      for (const syntax::Assignment &B : In.M.Assignments)
        if (inFn(B.Range) && B.Range != A.Range && !B.Value.empty() &&
            (mentionsWord(code(B.Value), N) || llvm::StringRef(B.Target).trim() == N))
          Collect(Text.slice(B.Range.Begin, B.Range.End));
    }
  }
  // The line's key tested around the store (`elif key == 'RESULT':`); a condition on the
  // answer's value (`if body =~ /RESULT=TRUE/`) names no field of this value.
  if (Found.empty()) {
    Node Child = In.Tree.root().namedDescendantFor(A.Range);
    for (Node P = Child ? Child.parent() : Node(); P && Body.range().contains(P.range());
         Child = P, P = P.parent()) {
      Node Cond = P.field("condition");
      if (!(P.kind().contains("if") || P.kind().contains("when")) || !Cond ||
          Cond.range().contains(Child.range()))
        continue;
      llvm::StringRef C = Cond.text();
      if (!mentionsWord(C, "TRUE") && !mentionsWord(C, "FALSE"))
        Collect(C);
      break; // the innermost condition only
    }
  }
  if (Found.size() > 1)
    return "?";
  return Found.empty() ? "" : *Found.begin();
}

/// True if the statement at \p R runs only when the generation failed: under a condition
/// naming `FALSE` or `CAUSE` (`if ($res[1] == 'FALSE')`, `… if body =~ /RESULT=FALSE/`), or in
/// the plain `else` of one naming `TRUE` (`if (body.contains("RESULT=TRUE")) … else …`).
bool Analysis::failureOnly(ByteRange R) const {
  Node Child = In.Tree.root().namedDescendantFor(R);
  for (Node P = Child ? Child.parent() : Node(); P && Body.range().contains(P.range());
       Child = P, P = P.parent()) {
    llvm::StringRef K = P.kind();
    if (!(K.contains("if") || K.contains("unless") || K.contains("conditional") ||
          K.contains("ternary")))
      continue;
    Node Cond = P.field("condition");
    if (!Cond || Cond.range().contains(Child.range()))
      continue;
    // In the plain `else` (not an `elif`/`else if`, a test of its own).
    Node Alt = P.field("alternative");
    Node Branch = Child.kind().contains("else") ? Child : Alt && Alt.range().contains(Child.range()) ? Alt : Node();
    bool InElse = Branch && !Branch.kind().contains("if") &&
                  !(Branch.namedChildCount() == 1 && Branch.namedChild(0).kind().contains("if"));
    if (K.contains("unless"))
      InElse = !InElse;
    llvm::StringRef C = Cond.text();
    bool Fails = mentionsWord(C, "FALSE") || mentionsWord(C, "CAUSE");
    bool Succeeds = mentionsWord(C, "TRUE");
    if ((!InElse && Fails) || (InElse && Succeeds))
      return true;
  }
  return false;
}

/// True if \p R reads nothing the rewritten body loses: only literals, the function's
/// parameters, `$this`/`self`, class and constant names, and member names.
bool Analysis::selfContained(ByteRange R, const std::vector<std::string> &Params) const {
  static const re2::RE2 NameRe(R"((\$?[A-Za-z_]\w*))");
  static const char *const Fixed[] = {"nil",  "null",  "NULL", "None", "true", "false",
                                      "True", "False", "TRUE", "FALSE", "array", "new",
                                      "this", "self",  "$this", "undefined", "dict", "list"};
  std::string C = code(R);
  re2::StringPiece P(C);
  const char *Begin = C.data();
  std::string Name;
  while (re2::RE2::FindAndConsume(&P, NameRe, &Name)) {
    size_t At = P.data() - Begin - Name.size();
    if (At > 0 && (C[At - 1] == '.' || C[At - 1] == ':' || C[At - 1] == '>' ||
                   llvm::isDigit(C[At - 1]) || isIdentChar(C[At - 1])))
      continue; // a member, `::Name`, or the tail of a number
    if ((Name[0] >= 'A' && Name[0] <= 'Z') || llvm::is_contained(Fixed, Name) ||
        llvm::is_contained(Params, Name))
      continue;
    return false;
  }
  return true;
}

/// For a function returning the answer itself: what its callers in this file do with it
/// (one that reads the token from it is where the helper's token goes), or "".
std::string Analysis::answerReaders(const std::string &Name, const std::string &Value) const {
  if (Name.empty())
    return "";
  std::map<std::string, uint32_t> Callers; // caller -> first line calling
  std::set<std::string> Parsing;
  for (const syntax::CallSite &C : In.M.Calls) {
    if (C.Name != Name || FnRange.contains(C.Range) || C.ScopeName.empty() ||
        C.ScopeName == Name)
      continue;
    Callers.emplace(C.ScopeName, lineNumber(Text, C.Range.Begin));
    llvm::StringRef Scope = Text.slice(C.Scope.Begin, C.Scope.End);
    if (Scope.contains("AUTHTOKEN") || Scope.contains_insensitive("authtoken="))
      Parsing.insert(C.ScopeName);
  }
  if (Callers.size() == 1 && Parsing.size() == 1) {
    const auto &[Caller, Line] = *Callers.begin();
    return fmt::format("; its one caller here, `{}` (line {}), reads the token from that "
                       "answer: make `{}` return `{}` and delete `{}` (and any other use of "
                       "it), by hand",
                       Caller, Line, Caller, Value, Name);
  }
  if (Callers.empty())
    return fmt::format("; no function of this file calls `{}`: where its callers take the "
                       "token from the answer, use `{}` instead",
                       Name, Value);
  return "";
}

/// A string literal of the function's language holding \p S.
std::string Analysis::quoted(llvm::StringRef S) const {
  char Q = '"';
  if (In.M.G != syntax::Grammar::Java && In.M.G != syntax::Grammar::CSharp)
    for (const syntax::StringExpr &E : In.M.Strings)
      if (inFn(E.Range) && E.Kind == syntax::StringExpr::Literal) {
        char C = Text[E.Range.Begin];
        if (C == '\'' || C == '"') {
          Q = C;
          break;
        }
      }
  return fmt::format("{0}{1}{0}", Q, S);
}

/// \p V, a constructor call building the result (`AuthToken.new(token)`, `new AuthResult($m[1],
/// $email)`), with its token argument replaced by \p Value; nullopt with \p Why when an
/// argument is something else from the response.
std::optional<std::string> Analysis::rebuilt(ByteRange V, const std::string &Value,
                                             const std::vector<std::string> &Params,
                                             std::string &Why) const {
  const syntax::CallSite *Call = nullptr;
  for (const syntax::CallSite &C : In.M.Calls)
    if (C.Range == V)
      Call = &C;
  llvm::StringRef T = Text.slice(V.Begin, V.End);
  if (!Call || !constructed(T) || !selfContained(Call->CalleeRange, Params)) {
    Why = fmt::format("`{}` is built from the response in a way this fix cannot follow",
                      T.size() > 60 ? T.take_front(57).str() + "…" : T.str());
    return std::nullopt;
  }
  std::string Out;
  uint32_t At = V.Begin;
  unsigned Tokens = 0;
  for (const syntax::Argument &A : Call->Arguments) {
    if (selfContained(A.Value, Params))
      continue;
    llvm::StringRef AT = Text.slice(A.Value.Begin, A.Value.End);
    if (!tokenLike(A.Value) || ++Tokens > 1) {
      Why = fmt::format("`{}` holds `{}` from the response besides the token", T.take_front(T.find('(')).str(), AT.str());
      return std::nullopt;
    }
    Out += Text.slice(At, A.Value.Begin).str() + Value;
    At = A.Value.End;
  }
  if (!Tokens) {
    Why = fmt::format("`{}` is built without the token", T.str());
    return std::nullopt;
  }
  return Out + Text.slice(At, V.End).str();
}

/// The result-object shape: the function returns an object built from the response — a
/// constructor given the token (`AuthToken.new(token)`), or a variable whose members the
/// body sets (`$r['authToken'] = …`, `result.authtoken = …` on a Struct). The rewrite builds
/// the same object from the helper's access token: the token member gets it, a member holding
/// the answer's `RESULT` gets `TRUE` (the helper throws where the answer said FALSE), members
/// set only on failure (`CAUSE`) go, members from literals and parameters stay. Anything else
/// from the response leaves the function for a person.
bool Analysis::resultObject(const std::vector<ByteRange> &Returned, const std::string &Value,
                            const std::vector<std::string> &Params, const std::string &Name,
                            std::vector<std::string> &New, std::string &Shape,
                            std::string &Why) const {
  const RecipeFile &R = In.R;
  std::string Obj;
  for (ByteRange V : Returned) {
    llvm::StringRef T = Text.slice(V.Begin, V.End).trim();
    if (!plainName(T)) {
      if (Returned.size() != 1)
        return false;
      std::optional<std::string> B = rebuilt(V, Value, Params, Why);
      if (!B)
        return false;
      New.push_back(expand(R.GenerationReturn, {{"value", *B}}));
      Shape = fmt::format("returns `{}` built from an OAuth access token from the helper",
                          T.take_front(T.find('(')).str());
      return true;
    }
    if (!Obj.empty() && Obj != T) {
      Why = fmt::format("the generation function `{}` returns `{}` and `{}`", Name, Obj, T.str());
      return false;
    }
    Obj = T.str();
  }
  if (Obj.empty())
    return false;
  std::vector<const syntax::Assignment *> Sets;
  for (const syntax::Assignment &A : In.M.Assignments) {
    llvm::StringRef Target = llvm::StringRef(A.Target).trim();
    if (!inFn(A.Range) || !Target.startswith(Obj))
      continue;
    llvm::StringRef Rest = Target.drop_front(Obj.size());
    if (Rest.empty() || Rest.startswith("[") || Rest.startswith("->") ||
        (Rest.startswith(".") && Rest.size() > 1 && isIdentChar(Rest[1])))
      Sets.push_back(&A);
  }
  llvm::sort(Sets, [](const syntax::Assignment *A, const syntax::Assignment *B) {
    return A->Range.Begin < B->Range.Begin;
  });
  // Nothing else changes the object (`result.push(…)`, `array_push($r, …)`).
  for (const syntax::CallSite &C : In.M.Calls) {
    if (!inFn(C.Range))
      continue;
    bool OnObj = !C.Receiver.empty() && Text.slice(C.Receiver.Begin, C.Receiver.End).trim() == Obj;
    bool Passed = false;
    for (const syntax::Argument &A : C.Arguments)
      Passed = Passed || Text.slice(A.Value.Begin, A.Value.End).trim().ltrim("&") == Obj;
    bool AtTarget = false;
    for (const syntax::Assignment *A : Sets)
      AtTarget = AtTarget || A->TargetRange.contains(C.Range);
    if ((OnObj || Passed) && !AtTarget) {
      Why = fmt::format("the generation function `{}` returns `{}`, which `{}(…)` (line {}) "
                        "also changes",
                        Name, Obj, C.Callee, lineNumber(Text, C.Range.Begin));
      return false;
    }
  }
  std::vector<std::string> Out;
  unsigned Tokens = 0, Results = 0, Dropped = 0;
  for (const syntax::Assignment *A : Sets) {
    llvm::StringRef Target = llvm::StringRef(A->Target).trim();
    llvm::StringRef V = Text.slice(A->Value.Begin, A->Value.End);
    if (A->Value.empty())
      continue;
    if (Target == Obj) { // its construction
      if (A->Op != "=" || Out.size() || Tokens) {
        Why = fmt::format("the generation function `{}` sets `{}` more than once", Name, Obj);
        return false;
      }
      if (selfContained(A->Value, Params)) {
        Out.push_back(expand(R.GenerationStore, {{"target", A->Target}, {"value", V.str()}}));
        continue;
      }
      std::optional<std::string> B = rebuilt(A->Value, Value, Params, Why);
      if (!B)
        return false;
      ++Tokens;
      Out.push_back(expand(R.GenerationStore, {{"target", A->Target}, {"value", *B}}));
      continue;
    }
    if (failureOnly(A->Range)) {
      ++Dropped;
      continue;
    }
    if (A->Op != "=") {
      Why = fmt::format("the generation function `{}` appends to `{}` (`{} {} …`)", Name,
                        Target.str(), Target.str(), A->Op);
      return false;
    }
    if (selfContained(A->Value, Params)) {
      Out.push_back(expand(R.GenerationStore, {{"target", A->Target}, {"value", V.str()}}));
      continue;
    }
    std::string Key = responseKey(*A);
    static const re2::RE2 TokenKey(R"((?i)token)");
    if (Key == "CAUSE") {
      ++Dropped; // the answer names a cause only when it failed
      continue;
    }
    bool Simple = tokenLike(A->Value) && !V.contains("==") && !V.contains("!=") &&
                  !V.contains('?') && !V.contains("||") && !V.contains("&&");
    if (Simple && Key == "RESULT") {
      ++Results;
      Out.push_back(expand(R.GenerationStore, {{"target", A->Target}, {"value", quoted("TRUE")}}));
      continue;
    }
    if (Simple && (Key == "AUTHTOKEN" ||
                   (Key.empty() && re2::RE2::PartialMatch(A->Name, TokenKey)))) {
      if (++Tokens > 1) {
        Why = fmt::format("the generation function `{}` returns `{}`, which holds the token "
                          "twice",
                          Name, Obj);
        return false;
      }
      Out.push_back(expand(R.GenerationStore, {{"target", A->Target}, {"value", Value}}));
      continue;
    }
    std::string VT = V.size() > 50 ? V.take_front(47).str() + "…" : V.str();
    Why = fmt::format("the generation function `{}` returns `{}`, a result object whose `{}` "
                      "holds `{}` from the response, which is not the token nor its RESULT "
                      "(a library-specific shape)",
                      Name, Obj, Target.str(), VT);
    return false;
  }
  if (Tokens != 1) {
    Why = fmt::format("the generation function `{}` returns `{}`, a result object built from "
                      "the response without a member this fix can tell is the token (a "
                      "library-specific shape)",
                      Name, Obj);
    return false;
  }
  New = Out;
  New.push_back(expand(R.GenerationReturn, {{"value", Obj}}));
  Shape = fmt::format("returns `{}` holding an OAuth access token from the helper{}{}", Obj,
                      Results ? " (its RESULT is TRUE: the helper throws where the answer was "
                                "FALSE)"
                              : "",
                      Dropped ? "; the members set only on failure are gone" : "");
  return true;
}

std::optional<GenerationFix> Analysis::run(std::string &Why) {
  if (!findFunction(Why))
    return std::nullopt;
  std::string Name = Fn.field("name") ? Fn.field("name").text().str() : "";
  if (Name.empty() && Fn.parent()) {
    Node P = Fn.parent();
    Node K = P.field("name") ? P.field("name") : P.field("key") ? P.field("key") : P.field("left");
    if (K)
      Name = K.text().str();
  }
  // Its size in lines of code: comments and blank lines are no work to replace.
  unsigned Lines = 0;
  {
    std::string B = Body.text().str();
    std::vector<Node> Work{Body};
    for (size_t Seen = 0; !Work.empty() && Seen < 100000; ++Seen) {
      Node X = Work.back();
      Work.pop_back();
      if (X.kind().contains("comment")) {
        for (uint32_t I = X.begin(); I < X.end(); ++I)
          if (B[I - Body.begin()] != '\n')
            B[I - Body.begin()] = ' ';
        continue;
      }
      for (Node K : X.namedChildren(false))
        Work.push_back(K);
    }
    for (llvm::StringRef L : llvm::split(B, '\n'))
      Lines += !L.trim().empty();
  }
  if (Lines > 60) {
    Why = fmt::format("the generation function `{}` has {} lines of code: too much to replace "
                      "safely",
                      Name, Lines);
    return std::nullopt;
  }
  // The flow's other findings outside any function are constants it reads.
  for (uint32_t S : In.Seeds)
    if (!insideFunction(S)) {
      std::string C = constantAt(S);
      if (!C.empty() && mentionsWord(code(Body.range()), C))
        Tainted.insert(C);
    }
  propagate();

  // Requests: only the generation request (its calls are derived from the finding); one
  // that sends the token, or any other request, is more than a generation flow.
  for (const syntax::CallSite &C : In.M.Calls) {
    if (!Body.range().contains(C.Range) || !In.IsRequest(C))
      continue;
    if (!tainted(C.Range)) {
      Why = fmt::format("the generation function `{}` also sends `{}(…)` (line {}): it does "
                        "more than generate a token",
                        Name, C.Callee, lineNumber(Text, C.Range.Begin));
      return std::nullopt;
    }
    std::string Args; // the call's arguments but its callbacks
    for (const syntax::Argument &A : C.Arguments) {
      Node X = In.Tree.root().namedDescendantFor(A.Value);
      if (!(X && functionKind(X.kind()) && X.range() == A.Value))
        Args += " " + code(A.Value);
    }
    for (const std::string &T : Extracted)
      if (!Struct.count(T) && mentionsWord(Args, T)) {
        Why = fmt::format("the generation function `{}` uses the token `{}` for another "
                          "request, `{}(…)` (line {}): it does more than generate a token",
                          Name, T, C.Callee, lineNumber(Text, C.Range.Begin));
        return std::nullopt;
      }
  }

  // A method (a constructor, typically) that only keeps the URL in a field for code
  // elsewhere: there is no flow here to rewrite.
  for (const syntax::Assignment &A : In.M.Assignments) {
    llvm::StringRef Target = llvm::StringRef(A.Target).trim();
    if (!Body.range().contains(A.Range) || A.Value.empty() || !holdsFinding(A.Value) ||
        !fieldName(Target))
      continue;
    std::string Rest = code(Body.range());
    std::fill(Rest.begin() + (A.Range.Begin - Body.begin()),
              Rest.begin() + (A.Range.End - Body.begin()), ' ');
    if (!mentionsWord(Rest, Target.take_back(Target.size() - Target.find_last_of(".>@$") - 1))) {
      Why = fmt::format("`{}` sends no generation request: it keeps the URL in `{}` (line {}) "
                        "for code elsewhere; delete that setting, and rewrite the code that "
                        "sends it, by hand",
                        Name, Target.str(), lineNumber(Text, A.Range.Begin));
      return std::nullopt;
    }
  }

  // Statements: every one serves the flow (derived, a guard, logging, or feeding one).
  std::vector<Node> Stmts;
  for (Node K : Body.namedChildren(true))
    if (!K.kind().contains("comment"))
      Stmts.push_back(K);
  if (Stmts.empty()) {
    Why = "the generation function has an empty body";
    return std::nullopt;
  }
  std::vector<bool> Flow(Stmts.size(), false);
  static const re2::RE2 LogRe(
      R"((?i)^\s*(\$this->|this\.|self\.)?(_?log(ger)?|console|System\.(out|err)|Console|print|println|printf|puts|p|echo|debug|error_log|var_dump|print_r)\b)");
  for (size_t I = Stmts.size(); I-- > 0;) {
    Node S = Stmts[I];
    llvm::StringRef T = S.text();
    bool Docstring = S.kind() == "expression_statement" && S.namedChildCount() == 1 &&
                     S.namedChild(0).kind() == "string";
    bool RubyValue = ruby() && I + 1 == Stmts.size(); // the method's value
    if (Docstring || RubyValue || tainted(S.range()) || S.kind().contains("return") ||
        re2::RE2::PartialMatch(re2::StringPiece(T.data(), T.size()), LogRe) ||
        (S.kind().contains("if") && (T.contains("throw") || T.contains("raise")))) {
      Flow[I] = true;
      continue;
    }
    // A statement defining a name that a later flow statement reads (`String line;`
    // declares one without a value).
    std::vector<std::string> Defined;
    for (const syntax::Assignment &A : In.M.Assignments)
      if (S.range().contains(A.Range))
        Defined.push_back(llvm::StringRef(A.Target).trim().str());
    if (S.kind().contains("declaration") && !T.contains('=')) {
      llvm::StringRef D = T.rtrim(" \t\r\n;");
      size_t B = D.size();
      while (B > 0 && identChar(D[B - 1]))
        --B;
      if (B < D.size())
        Defined.push_back(D.drop_front(B).str());
    }
    for (const std::string &Target : Defined) {
      for (size_t J = I + 1; J < Stmts.size() && !Flow[I]; ++J)
        if (Flow[J] && mentionsWord(code(Stmts[J].range()), Target))
          Flow[I] = true;
    }
    if (!Flow[I]) {
      std::string What = T.take_front(T.find('\n')).trim().str();
      if (What.size() > 60)
        What = What.substr(0, 57) + "…";
      Why = fmt::format("besides the generation request, `{}` also does `{}` (line {}): "
                        "rewrite it by hand",
                        Name, What, lineNumber(Text, S.begin()));
      return std::nullopt;
    }
  }

  // The shape.
  std::vector<std::pair<ByteRange, bool>> Rets;
  returns(Body, false, Rets);
  if (ruby()) { // the method's value is its last expression
    Node Last = Stmts.back();
    llvm::StringRef K = Last.kind();
    if (K == "identifier" || K == "instance_variable" || K == "call" ||
        K == "element_reference" || K == "self")
      Rets.push_back({Last.range(), false});
  }
  std::vector<std::string> Params = parameters(Fn);
  static const re2::RE2 FailRe(R"(^(null|NULL|false|False|FALSE|None|nil|undefined|''|""|-1|0)$)");
  static const re2::RE2 SelfRe(R"(^(\$this|this|self)$)");
  static const re2::RE2 TrueRe(R"(^(true|True|TRUE)$)");
  bool TokenReturn = false, SelfReturn = false;
  std::string SelfText, TrueText;
  std::vector<ByteRange> ObjectReturns; // result objects built from the response
  bool RawAnswer = false;               // Other: it returns the answer itself
  std::string Other;
  ByteRange OuterChain; // JS: the promise chain the function returns
  for (auto &[V, Nested] : Rets) {
    if (Nested || V.empty())
      continue;
    llvm::StringRef T = Text.slice(V.Begin, V.End).trim();
    re2::StringPiece P(T.data(), T.size());
    if (re2::RE2::FullMatch(P, FailRe))
      continue;
    if (re2::RE2::FullMatch(P, SelfRe)) {
      SelfReturn = true;
      SelfText = T.str();
      continue;
    }
    if (re2::RE2::FullMatch(P, TrueRe)) {
      TrueText = T.str();
      continue;
    }
    if (tokenLike(V)) {
      TokenReturn = true;
      continue;
    }
    if (ecma() && tainted(V) && OuterChain.empty()) {
      OuterChain = V;
      continue;
    }
    if (!ecma() && tainted(V) && (Struct.count(T.str()) || constructed(T))) {
      ObjectReturns.push_back(V);
      continue;
    }
    if (Other.empty()) {
      Other = describeOther(V);
      llvm::StringRef Plain = T;
      RawAnswer = tainted(V) && !holdsFinding(V) && Plain != Constant &&
                  !Struct.count(Plain.str()) && !constructed(Plain);
    }
  }
  // Field stores of the token (also inside callbacks).
  std::set<std::string> Stores;
  for (const syntax::Assignment &A : In.M.Assignments)
    if (inFn(A.Range) && !A.Value.empty() && fieldName(llvm::StringRef(A.Target).trim()) &&
        tokenLike(A.Value))
      Stores.insert(llvm::StringRef(A.Target).trim().str());
  if (Stores.size() > 1) {
    Why = fmt::format("`{}` stores the token in {} places ({}, …)", Name, Stores.size(),
                      *Stores.begin());
    return std::nullopt;
  }
  std::string Store = Stores.empty() ? "" : *Stores.begin();

  bool Async = false;
  {
    llvm::StringRef Head = Text.slice(Fn.begin(), Body.begin());
    Async = mentionsWord(Head, "async");
  }
  const RecipeFile &R = In.R;
  std::string Value = expand(Async && !R.TokenValueAsync.empty() ? R.TokenValueAsync : R.TokenValue,
                             {{"ns", In.NS}});
  std::vector<std::string> New;
  std::string Shape;
  bool Deferred = ecma() && R.HeaderValueAsync && !Async;

  if (Other.empty() && !ObjectReturns.empty() && (TokenReturn || !Store.empty()))
    Other = describeOther(ObjectReturns.front());
  if (Other.empty() && !TrueText.empty() && TokenReturn)
    Other = fmt::format("it returns `{}` and the token", TrueText);
  if (!Other.empty()) {
    Why = fmt::format("the generation function `{}`: {}", Name, Other);
    if (RawAnswer)
      Why += answerReaders(Name, Value);
    return std::nullopt;
  }
  if (Deferred) {
    // JavaScript outside async code: a callback or a promise gets the token.
    std::string Callback, ResolveOther;
    bool Resolve = false;
    for (const syntax::CallSite &C : In.M.Calls) {
      if (!inFn(C.Range) || C.Arguments.empty())
        continue;
      llvm::StringRef Callee(C.Callee);
      bool IsParam = llvm::is_contained(Params, Callee.str());
      if (!IsParam && Callee != "resolve")
        continue;
      const syntax::Argument &Last = C.Arguments.back();
      if (C.Arguments.size() == 2 && IsParam) {
        llvm::StringRef E = Text.slice(C.Arguments[0].Value.Begin, C.Arguments[0].Value.End).trim();
        if ((E == "null" || E == "undefined") && tokenLike(Last.Value)) {
          if (!Callback.empty() && Callback != Callee) {
            Why = fmt::format("`{}` calls back through both `{}` and `{}`", Name, Callback, Callee);
            return std::nullopt;
          }
          Callback = Callee.str();
        }
      } else if (C.Arguments.size() == 1 && Callee == "resolve") {
        if (tokenLike(Last.Value))
          Resolve = true;
        else if (ResolveOther.empty())
          ResolveOther = Text.slice(Last.Value.Begin, Last.Value.End).str();
      }
    }
    bool ChainToken = false;
    std::string ChainOther;
    for (auto &[V, Nested] : Rets)
      if (Nested && !V.empty() && !OuterChain.empty() && OuterChain.contains(V)) {
        llvm::StringRef T = Text.slice(V.Begin, V.End).trim();
        llvm::StringRef Inner = T;
        if (Inner.startswith("Promise.resolve(") && Inner.endswith(")"))
          Inner = Inner.drop_front(16).drop_back();
        ByteRange IR{static_cast<uint32_t>(V.Begin + (Inner.data() - Text.data() - V.Begin)),
                     0};
        IR.End = IR.Begin + Inner.size();
        bool ParamCall = false; // `return reject(err)`, `return callback(err)`
        for (const std::string &P : Params)
          ParamCall = ParamCall || Inner.startswith(P + "(");
        if (Inner.startswith("Promise.reject") || Inner.startswith("reject(") || ParamCall ||
            re2::RE2::FullMatch(re2::StringPiece(Inner.data(), Inner.size()), FailRe))
          continue;
        if (tokenLike(IR))
          ChainToken = true;
        else if (ChainOther.empty())
          ChainOther = Inner.str();
      }
    if (!Callback.empty() && OuterChain.empty() && !TokenReturn) {
      New.push_back(expand(R.GenerationCallback, {{"value", Value}, {"callback", Callback}}));
      Shape = fmt::format("passes an OAuth access token from the helper to `{}` (an error "
                          "of the helper goes to it too)",
                          Callback);
    } else if (!OuterChain.empty() && (ChainToken || Resolve) && ChainOther.empty()) {
      if (Store.empty()) {
        New.push_back(expand(R.GenerationPromise, {{"value", Value}}));
        Shape = "returns a promise of an OAuth access token from the helper";
      } else {
        New.push_back(expand(R.GenerationPromiseStore, {{"value", Value}, {"target", Store}}));
        Shape = fmt::format("returns a promise of an OAuth access token from the helper, "
                            "stored in `{}`",
                            Store);
      }
    } else if (!ChainOther.empty() || !ResolveOther.empty()) {
      if (ChainOther.empty())
        ChainOther = ResolveOther;
      Why = fmt::format("the promise of the generation function `{}` resolves with `{}`, the "
                        "parsed response rather than the token (a library-specific shape)",
                        Name, ChainOther.size() > 60 ? ChainOther.substr(0, 57) + "…" : ChainOther);
      return std::nullopt;
    } else if (TokenReturn) {
      Why = fmt::format("the generation function `{}` returns the token synchronously, and "
                        "the helper's token is a promise: make the function async by hand",
                        Name);
      return std::nullopt;
    } else {
      Why = fmt::format("the generation function `{}` neither calls back with the token nor "
                        "returns a promise of it",
                        Name);
      return std::nullopt;
    }
  } else if (!ObjectReturns.empty()) {
    std::string ObjWhy;
    if (!resultObject(ObjectReturns, Value, Params, Name, New, Shape, ObjWhy)) {
      Why = !ObjWhy.empty() ? ObjWhy
                            : fmt::format("the generation function `{}`: {}", Name,
                                          describeOther(ObjectReturns.front()));
      return std::nullopt;
    }
  } else if (TokenReturn || !Store.empty()) {
    if (!Store.empty())
      New.push_back(expand(R.GenerationStore, {{"value", Value}, {"target", Store}}));
    if (TokenReturn)
      New.push_back(expand(R.GenerationReturn, {{"value", Store.empty() ? Value : Store}}));
    else if (SelfReturn)
      New.push_back(expand(R.GenerationReturn, {{"value", SelfText}}));
    else if (!TrueText.empty()) // a success flag after storing the token
      New.push_back(expand(R.GenerationReturn, {{"value", TrueText}}));
    Shape = Store.empty() ? "returns an OAuth access token from the helper"
            : TokenReturn ? fmt::format("stores an OAuth access token from the helper in `{}` "
                                        "and returns it",
                                        Store)
                          : fmt::format("stores an OAuth access token from the helper in `{}`{}",
                                        Store,
                                        !SelfReturn && !TrueText.empty()
                                            ? fmt::format(" and returns {} (the helper throws "
                                                          "where the answer said FALSE)",
                                                          TrueText)
                                            : "");
  } else {
    bool Prints = false;
    for (Node S : Stmts) {
      llvm::StringRef T = S.text();
      Prints = Prints || (tainted(S.range()) &&
                          re2::RE2::PartialMatch(re2::StringPiece(T.data(), T.size()), LogRe));
    }
    if (!TrueText.empty()) {
      Why = fmt::format("the generation function `{}` only checks the e-mail and password (it "
                        "returns `{}` and keeps no token): OAuth has no such check; remove it "
                        "and its callers' use of it by hand",
                        Name, TrueText);
      return std::nullopt;
    }
    Why = Prints ? fmt::format("the generation function `{}` prints the response instead of "
                               "returning or storing the token (a script run by hand to get "
                               "a token): create an OAuth refresh token (a self client in the "
                               "API console) instead, and delete it",
                               Name)
                 : fmt::format("the generation function `{}` neither returns nor stores the "
                               "token",
                               Name);
    return std::nullopt;
  }
  if (New.empty() || llvm::any_of(New, [](const std::string &S) { return S.empty(); })) {
    Why = "no generation template for this language";
    return std::nullopt;
  }

  // The edit: every statement of the body (a leading docstring stays).
  uint32_t Begin = 0;
  std::vector<Node> All = Body.namedChildren(true);
  size_t First = 0;
  if (In.M.G == syntax::Grammar::Python && !All.empty() &&
      All[0].kind() == "expression_statement" && All[0].namedChild(0) &&
      All[0].namedChild(0).kind() == "string")
    First = 1;
  std::vector<Node> Kids = Body.namedChildren(false);
  if (First >= All.size()) {
    Why = "the generation function has an empty body";
    return std::nullopt;
  }
  Begin = All[First].begin();
  // Comments before the first statement go with the code they describe.
  for (Node K : Kids)
    if (K.kind().contains("comment") && K.begin() < Begin &&
        (First == 0 || K.begin() > All[0].end()))
      Begin = K.begin();
  uint32_t End = All.back().end();
  for (Node K : Kids)
    End = std::max(End, K.end() <= Body.end() && K.kind().contains("comment") ? K.end() : End);
  std::string Indent = indentOf(All[First].begin());
  std::string Lead;
  if (indentOf(Begin) != Indent && Begin != All[First].begin()) {
    // A comment indented otherwise than the code (`\t//  $x = …;`): the new code starts
    // at the beginning of its line, indented as the statements were.
    Begin -= indentOf(Begin).size();
    Lead = Indent;
  }
  GenerationFix G;
  G.Function = Fn.begin();
  G.Body.Offset = Begin;
  G.Body.Length = End - Begin;
  G.Body.Text = Lead + llvm::join(New, "\n" + Indent);
  std::vector<std::string> Creds;
  static const re2::RE2 CredRe(R"((?i)mail|user|login|pass|pwd|^\$?pw$)");
  std::string Kept = llvm::join(New, "\n");
  for (const std::string &P : Params)
    if (re2::RE2::PartialMatch(P, CredRe) && !mentionsWord(Kept, P))
      Creds.push_back("`" + P + "`");
  G.What = fmt::format("the legacy token-generation function `{}` now {}", Name, Shape);
  G.What += Creds.empty()
                ? "; the e-mail/password settings it read are unused now"
                : fmt::format("; its e-mail/password parameters ({}) are unused now (callers "
                              "still pass them), and so are the settings they come from",
                              llvm::join(Creds, ", "));
  return G;
}

} // namespace

std::optional<GenerationFix> generationFix(const GenerationInput &In, uint32_t Offset,
                                           std::string &Why) {
  if (In.R.TokenValue.empty() || In.R.GenerationReturn.empty()) {
    Why = "";
    return std::nullopt;
  }
  Analysis A(In, Offset);
  return A.run(Why);
}

} // namespace atm::fix
