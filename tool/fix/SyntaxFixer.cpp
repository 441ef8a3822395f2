//===- SyntaxFixer.cpp - the generic syntax-tree fixer ---------------------===//
//
// For every finding of a file in a syntax-tree language (driven by one recipe file):
//   1. the carrier: what holds the legacy credential at the finding (a URL string with
//      `authtoken=`, a `{"authtoken": …}` entry, an `authtoken=` keyword argument, a
//      statement such as `params["authtoken"] = t` / `params.put("authtoken", t)`, or a
//      `Zoho-authtoken …` header value) and the edit removing it (with the dead
//      `scope=…api` companion);
//   2. the request: the call of a known HTTP idiom that sends the carrier, the call
//      around it or, through the variable the carrier is assigned to, a later call of the
//      same function that passes that variable;
//   3. the header: the idiom's edit giving that call `Authorization: Zoho-oauthtoken …`
//      through the helper, wrapped in the helper's 401 retry where the recipe says so.
// The credential is removed only when 3 succeeds for the request of 2; a `Zoho-authtoken`
// header value is replaced in place (that is both). Anything else is left with a reason.
//
// Languages whose helper is asynchronous (JavaScript, Recipe.h): the header value is awaited,
// so it is used only where the code may await; a promise-returning call is wrapped in the
// retry (also when awaited) only where its result is used as a promise, its builder methods
// (`.set()`, `.json()`) inside the wrapper; browser code is left with the recipe's reason.
// A callback-style request outside async code that is a statement of its own waits for the
// header instead (callback-then: Run::deferredRequest), a helper error going to its callback
// or 'error' listener, unless a name it reads changes after it (Run::changedAfter).

#include <algorithm>
#include <tuple>
#include <map>
#include <optional>
#include <set>

#include "fix/CSharpFixer.h"
#include "fix/EditUtil.h"
#include "fix/Fixers.h"
#include "fix/Generation.h"
#include "fix/JavaFixer.h"
#include "fix/ProjectIndex.h"
#include "helpers/Helpers.h"
#include "syntax/Model.h"
#include "syntax/ParsedFiles.h"
#include "syntax/Syntax.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Path.h"
#include "re2/re2.h"
#include "fmt/format.h"

namespace atm::fix {
namespace {

using syntax::ByteRange;
using syntax::CallSite;
using syntax::FileModel;
using syntax::KeyValue;
using syntax::StringExpr;
using syntax::StringPiece;

bool isAuthtokenKey(llvm::StringRef K) { return K.trim().equals_insensitive("authtoken"); }

/// True if \p Word occurs in \p Text as a whole identifier.
bool mentions(llvm::StringRef Text, llvm::StringRef Word) { return mentionsIdentifier(Text, Word); }

/// True if the file name of \p Path ends with one of \p Exts (".mjs"), case-insensitively.
bool extensionIn(llvm::StringRef Path, llvm::ArrayRef<std::string> Exts) {
  for (const std::string &E : Exts)
    if (Path.endswith_insensitive(E))
      return true;
  return false;
}

/// Browser code by its path: a directory component or a file extension of the rule.
bool browserByPath(const BrowserRule &B, llvm::StringRef Path) {
  if (!B.enabled())
    return false;
  if (extensionIn(Path, B.Files))
    return true;
  llvm::SmallVector<llvm::StringRef, 8> Parts;
  Path.split(Parts, '/');
  for (size_t I = 0; I + 1 < Parts.size(); ++I)
    for (const std::string &D : B.Directories)
      if (Parts[I].equals_insensitive(D))
        return true;
  return false;
}

/// True if \p Word is used as a name in \p Text: a whole identifier that is neither a
/// property (`.word`) nor an object key (`word:`).
bool usesName(llvm::StringRef Text, llvm::StringRef Word) {
  for (size_t P = 0; (P = Text.find(Word, P)) != llvm::StringRef::npos; P += Word.size()) {
    bool Before = P == 0 || !isIdentChar(Text[P - 1]);
    bool After = P + Word.size() >= Text.size() || !isIdentChar(Text[P + Word.size()]);
    if (!Before || !After)
      continue;
    llvm::StringRef Rest = Text.substr(P + Word.size()).ltrim(" \t");
    if ((P > 0 && Text[P - 1] == '.') || (Rest.startswith(":") && !Rest.startswith("::")))
      continue;
    return true;
  }
  return false;
}

/// True if every module of \p Mods (one per line: a name bound to either of two modules)
/// matches \p Re.
bool moduleMatches(llvm::StringRef Mods, const re2::RE2 &Re) {
  llvm::SmallVector<llvm::StringRef, 2> Parts;
  Mods.split(Parts, '\n');
  for (llvm::StringRef P : Parts)
    if (!re2::RE2::PartialMatch(re2::StringPiece(P.data(), P.size()), Re))
      return false;
  return true;
}

/// What a JavaScript-style argument is, for calls taking `(url | options, [options], [cb])`.
enum class ArgRole { Url, Options, Callback, Unknown };

/// The last name of an identifier or member expression (`this.reqOpts` -> "reqOpts").
llvm::StringRef lastName(llvm::StringRef Expr) {
  size_t Dot = Expr.find_last_of(".");
  return (Dot == llvm::StringRef::npos ? Expr : Expr.drop_front(Dot + 1)).trim();
}

ArgRole roleOf(const syntax::Argument &A, llvm::StringRef Text) {
  llvm::StringRef K(A.Kind);
  llvm::StringRef V = Text.slice(A.Value.Begin, A.Value.End);
  if (K == "object")
    return ArgRole::Options;
  if (K == "string" || K == "template_string" || K == "binary_expression")
    return ArgRole::Url;
  if (K == "arrow_function" || K == "function_expression" || K == "function")
    return ArgRole::Callback;
  if (K == "new_expression")
    return V.startswith("new URL") ? ArgRole::Url : ArgRole::Unknown;
  if (K != "identifier" && K != "member_expression")
    return ArgRole::Unknown;
  // By name: what these arguments are called in real code.
  static const re2::RE2 UrlName("(?i)(url|uri|endpoint|href|link|path|address)s?$");
  static const re2::RE2 OptionsName("(?i)(opts|options|option|config|cfg|conf|settings|init)$|^req$");
  static const re2::RE2 CallbackName("(?i)^(cb|done|next|fn|resolve)$|(callback|handler|cb)$");
  std::string N = lastName(V).str();
  if (re2::RE2::PartialMatch(N, UrlName))
    return ArgRole::Url;
  if (re2::RE2::PartialMatch(N, OptionsName))
    return ArgRole::Options;
  if (re2::RE2::PartialMatch(N, CallbackName))
    return ArgRole::Callback;
  return ArgRole::Unknown;
}

/// Overlapping deletions (two list elements of one map removed with their separators)
/// become one; other edits are left as they are.
void mergeDeletions(std::vector<TextEdit> &Edits) {
  std::sort(Edits.begin(), Edits.end(), [](const TextEdit &A, const TextEdit &B) {
    return std::tie(A.Offset, A.Length) < std::tie(B.Offset, B.Length);
  });
  std::vector<TextEdit> Out;
  for (const TextEdit &E : Edits) {
    if (!Out.empty() && Out.back().Text.empty() && E.Text.empty() &&
        Out.back().Offset + Out.back().Length > E.Offset) {
      size_t End = std::max(Out.back().Offset + Out.back().Length, E.Offset + E.Length);
      Out.back().Length = End - Out.back().Offset;
      continue;
    }
    if (!Out.empty() && Out.back().Offset == E.Offset && Out.back().Length == E.Length &&
        Out.back().Text == E.Text)
      continue; // the same edit twice (two findings on one carrier)
    Out.push_back(E);
  }
  Edits = std::move(Out);
}

struct Carrier {
  enum KindT { Url, Pair, KeywordArg, Statement, Header } Kind = Url;
  ByteRange Range;               ///< what holds the credential
  std::vector<TextEdit> Removal; ///< removing it (Header: replacing it)
  ByteRange Scope;
  std::string Variable;          ///< the variable/container it reaches the request through
  const CallSite *Call = nullptr; ///< the call it is an argument of (innermost), if any
};

class SyntaxFixer final : public LanguageFixer {
public:
  explicit SyntaxFixer(const RecipeFile &R) : R(R) {}
  llvm::StringRef name() const override { return R.HelperLang; }
  bool handles(Language L) const override { return llvm::is_contained(R.Languages, L); }
  bool handlesFile(Language L, llvm::StringRef Path) const override {
    return handles(L) || (R.Browser.enabled() && extensionIn(Path, R.Browser.Files));
  }
  void fix(FileContext &Ctx) const override;

private:
  const RecipeFile &R;
};

/// Per-file state of one fix run.
struct Run {
  const RecipeFile &R;
  FileContext &Ctx;
  llvm::StringRef Text;
  FileModel M;
  std::string NS;
  const syntax::SyntaxTree *Tree = nullptr;

  /// The file's string style: templates use double quotes, a file that mostly writes
  /// single-quoted strings gets single quotes.
  bool SingleQuotes = false;
  void detectQuoteStyle() {
    if (R.HelperLang == "csharp")
      return; // '…' is a char literal
    unsigned Single = 0, Double = 0;
    for (const StringExpr &S : M.Strings) {
      llvm::StringRef T = Text.slice(S.Range.Begin, S.Range.End);
      size_t Q = T.find_first_of("'\"");
      if (Q == llvm::StringRef::npos || Q > 3)
        continue;
      (T[Q] == '\'' ? Single : Double)++;
    }
    SingleQuotes = Single > Double;
  }
  std::string tmpl(llvm::StringRef Idiom, llvm::StringRef File) const {
    std::string T = Idiom.empty() ? File.str() : Idiom.str();
    if (SingleQuotes && T.find('\'') == std::string::npos)
      std::replace(T.begin(), T.end(), '"', '\'');
    return T;
  }
  std::string value(bool Retry) const {
    return expand(Retry ? R.RetryValue : R.HeaderValue, {{"ns", NS}});
  }

  // -- carriers -------------------------------------------------------------------

  /// The innermost call whose argument list holds \p Range.
  const CallSite *callAround(ByteRange Range) const {
    const CallSite *Best = nullptr;
    for (const CallSite &C : M.Calls)
      if (!C.ArgumentList.empty() && C.ArgumentList.contains(Range) &&
          (!Best || Best->Range.contains(C.Range)))
        Best = &C;
    return Best;
  }

  /// Java, Kotlin, Scala: the helper is the Java one (rules/fix/java.yaml, kotlin.yaml,
  /// scala.yaml).
  bool jvm() const {
    return M.G == syntax::Grammar::Java || M.G == syntax::Grammar::Kotlin ||
           M.G == syntax::Grammar::Scala;
  }
  /// Go: `u := …` / `var u = …` (a declaration with a value) counts as an assignment.
  bool goDeclaration(const syntax::Assignment &A) const {
    // Java: `String u = …;` (a declarator with a value); Kotlin/Scala `val u = …`.
    if (jvm())
      return A.Op.empty() && !A.Value.empty();
    return M.G == syntax::Grammar::Go && (A.Op == ":=" || (A.Op.empty() && A.Keyword == "var"));
  }

  /// The variable an expression at \p Range is assigned to (`url = …`, `const p = {…}`).
  /// The innermost: `var params = {…}` inside `X.prototype.f = function () {…}` is `params`.
  std::string assignedVariable(ByteRange Range) const {
    const syntax::Assignment *Best = nullptr;
    for (const auto &A : M.Assignments)
      if (!A.Value.empty() && A.Value.contains(Range) && (A.Op == "=" || goDeclaration(A)) &&
          (!Best || Best->Value.contains(A.Value))) {
        llvm::StringRef T(A.Target);
        if (T.find_first_of("[(") == llvm::StringRef::npos)
          Best = &A;
      }
    return Best ? Best->Target : "";
  }

  /// JavaScript outside code that may await: a `Zoho-authtoken …` value \p H that is the
  /// whole value of an `Authorization` entry of a headers object kept in a variable (`var
  /// options = { url, headers: { authorization: 'Zoho-authtoken …' } }`, or `var headers =
  /// {…}`): the entry itself, whose removal goes with the header edit of the request that
  /// sends the variable (the helper's value cannot be read where the object is built).
  std::optional<Carrier> headerEntryCarrier(const Carrier &H) const {
    auto Unquoted = [&](ByteRange K) { return Text.slice(K.Begin, K.End).trim().trim("\"'`"); };
    for (const KeyValue &KV : M.Pairs) {
      if (KV.Value != H.Range || !Unquoted(KV.KeyRange).equals_insensitive("authorization"))
        continue;
      ByteRange Object = KV.Container;
      for (const KeyValue &Up : M.Pairs)
        if (Up.Value == KV.Container && Unquoted(Up.KeyRange).equals_insensitive("headers"))
          Object = Up.Container;
      std::string Var;
      for (const auto &A : M.Assignments)
        if (A.Value == Object && (A.Op == "=" || A.Op.empty()) &&
            llvm::StringRef(A.Target).find_first_of("[(.") == llvm::StringRef::npos)
          Var = A.Target;
      if (Var.empty() || callAround(Object))
        return std::nullopt;
      Carrier C;
      C.Kind = Carrier::Pair;
      C.Range = KV.Range;
      C.Scope = KV.Scope;
      C.Removal.push_back(removeListElement(Text, KV.Range.Begin, KV.Range.End));
      llvm::StringRef Others = Text.slice(KV.Container.Begin, KV.Range.Begin).ltrim("{ \t\r\n,");
      if (Others.empty() && Text.slice(KV.Range.End, KV.Container.End).trim(" \t\r\n,") == "}") {
        TextEdit E; // the only entry: `{}` stays
        E.Offset = KV.Container.Begin;
        E.Length = KV.Container.size();
        E.Text = "{}";
        C.Removal = {E};
      }
      C.Variable = Var;
      return C;
    }
    return std::nullopt;
  }

  /// Edits removing `authtoken=…` (and `scope=…api`) from a URL string; nullopt when the
  /// shape is not one this knows.
  std::optional<std::vector<TextEdit>> removeUrlParams(const StringExpr &S) const;
  /// Set while removing from a URL that is later extended with `&…` (`url + "&id=" + id`,
  /// f"{url}&page=2"): its `?` stays, or the extension would become part of the path.
  mutable bool KeepQuery = false;
  /// True if \p Var is extended with a string starting with `&` after \p After in \p Scope.
  bool extendedWithAmpersand(llvm::StringRef Var, uint32_t After, ByteRange Scope) const {
    if (Var.empty())
      return false;
    uint32_t End = std::max(After, Scope.End);
    llvm::StringRef Rest = Text.slice(After, End);
    if (!Rest.contains(Var) || !Rest.contains('&')) // most calls: no RE2 to compile
      return false;
    std::string V = re2::RE2::QuoteMeta(re2::StringPiece(Var.data(), Var.size()));
    re2::RE2 Re("(?:^|[^\\w$.])" + V + "\\s*(?:\\+|\\.|<<)\\s*[\"'`]&|\\{\\s*" + V +
                "\\s*\\}&|\\$" + V + "&", re2::RE2::Quiet);
    if (!Re.ok())
      return false;
    return re2::RE2::PartialMatch(re2::StringPiece(Rest.data(), Rest.size()), Re);
  }
  std::optional<std::vector<TextEdit>> removeParam(const StringExpr &S, size_t PieceIndex,
                                                   size_t At, size_t KeyLen) const;

  std::optional<Carrier> carrierAt(const Finding &F, std::string &Why) const;

  bool ecma() const {
    return M.G == syntax::Grammar::JavaScript || M.G == syntax::Grammar::TypeScript ||
           M.G == syntax::Grammar::Tsx;
  }
  /// True if nothing but separators is left of the object literal \p Container once the
  /// ranges \p Gone are removed.
  bool emptiedBy(ByteRange Container, llvm::ArrayRef<ByteRange> Gone) const {
    llvm::StringRef T = Text.slice(Container.Begin, Container.End);
    if (T.size() < 2 || !T.startswith("{") || !T.endswith("}"))
      return false;
    for (uint32_t B = Container.Begin + 1; B + 1 < Container.End; ++B) {
      bool In = false;
      for (ByteRange G : Gone)
        In = In || (G.Begin <= B && B < G.End);
      if (!In && !llvm::StringRef(" \t\r\n,").contains(Text[B]))
        return false;
    }
    return true;
  }
  /// JavaScript: the edit removing an object literal left empty by a removal: the entry
  /// holding it (`params: {…}`) when its object keeps another entry, the builder method
  /// taking it (`.query({…})` of a superagent chain), else just its content (`{}`).
  std::vector<TextEdit> removeEmptied(ByteRange Container) const;

  // -- requests and headers ---------------------------------------------------------

  /// The request call that sends \p C, with its idiom (\p Depth: inside a same-file
  /// wrapper, Run::throughWrapper; the per-call state below is kept, not reset).
  std::pair<const CallSite *, const Idiom *> requestFor(const Carrier &C, std::string &Why,
                                                        int Depth = 0) const;

  // -- same-file wrappers and builders (issues 12/13) ---------------------------------

  /// A named function or method defined in this file, with its parameter names (a
  /// parameter this does not name, a splat, is "").
  struct FnDef {
    ByteRange Scope; ///< as CallSite::Scope of the calls in its body
    std::string Name;
    std::vector<std::string> Params;
    /// Called on the object only (`this.f()`, `$this->f()`, `self.f()`): a method of
    /// JavaScript, PHP or Python; an unqualified call there is another function.
    bool ObjectOnly = false;
    /// Called unqualified only: a plain function of those languages.
    bool Unqualified = false;
    uint32_t NameBegin = 0; ///< where its name is written
  };
  mutable std::optional<std::vector<FnDef>> FnDefs;
  /// A mention of \p D's name in code (outside string literals and its own definition's
  /// name) that is not the callee of one of \p Calls (a call without parentheses, a
  /// reference, a call this does not resolve): its offset, or -1 when there is none.
  int64_t otherMention(const FnDef &D, llvm::ArrayRef<const CallSite *> Calls) const;
  const std::vector<FnDef> &fnDefs() const;
  /// The function of this file that \p Call calls — `self._request(…)`, `this.api(…)`,
  /// `$this->call(…)`, `self::get(…)`, `send(…)`: its name defined once in the file, called
  /// unqualified or on the object itself; null otherwise.
  const FnDef *localFunction(const CallSite &Call) const;
  /// The parameter of \p D that argument \p Arg of \p Call binds ("" if unknown).
  std::string boundParameter(const CallSite &Call, const FnDef &D, size_t Arg) const;
  /// The known request in the body of the same-file function \p Call calls that sends the
  /// parameter its argument \p Arg binds (Depth: wrappers of wrappers, at most 2).
  std::pair<const CallSite *, const Idiom *> throughWrapper(const CallSite &Call, size_t Arg,
                                                            int Depth, std::string &Why) const;
  /// Another file of the repository (same extension as this one) that calls a function
  /// named like \p D (`name(`), or ""; a `private` definition is called from nowhere else.
  /// Bounded walk from the scan root through FixOptions::ListDir and FileContext::Read.
  std::string otherFileCalling(const FnDef &D) const;
  mutable std::map<std::string, std::string> OtherFileCalling = {};
  /// Set by requestFor: the same-file wrapper calls the request was reached through
  /// (every call of such a wrapper in the file must lose the token in the same patch).
  mutable std::vector<const CallSite *> Wrapped;
  /// Builder: the carrier \p C fills a map/URL that its function returns, and every call
  /// of that function in the file is the URL/params of a known request: those requests
  /// (the first one first); empty with \p Why when one use is unresolved or there is none.
  std::vector<std::pair<const CallSite *, const Idiom *>> builderRequests(const Carrier &C,
                                                                          std::string &Why) const;
  /// The map that the statement \p Merge merges the builder call \p Use into
  /// (`params.update(use)`, `Object.assign(params, use)`, `params.putAll(use)`, Ruby
  /// `params.merge!(use)`), a plain variable; "" otherwise.
  std::string mergeTarget(const CallSite &Merge, const CallSite &Use) const {
    ByteRange St = M.statementAt(Merge.Range.Begin);
    if (St.empty() || !St.contains(Merge.Range) ||
        !Text.slice(St.Begin, Merge.Range.Begin).trim().empty() ||
        !Text.slice(Merge.Range.End, St.End).trim(" \t\r\n;").empty())
      return ""; // its value is used
    llvm::StringRef Into;
    if (Merge.Arguments.size() == 1 && Merge.Arguments[0].Value == Use.Range &&
        Merge.Arguments[0].Keyword.empty() &&
        ((M.G == syntax::Grammar::Python && Merge.Name == "update") ||
         (M.G == syntax::Grammar::Java && Merge.Name == "putAll") ||
         (M.G == syntax::Grammar::Ruby && (Merge.Name == "merge!" || Merge.Name == "update"))))
      Into = Text.slice(Merge.Receiver.Begin, Merge.Receiver.End).trim();
    else if (ecma() && Merge.Callee == "Object.assign" && Merge.Arguments.size() >= 2 &&
             llvm::any_of(llvm::drop_begin(Merge.Arguments),
                          [&](const syntax::Argument &A) { return A.Value == Use.Range; }))
      Into = Text.slice(Merge.Arguments[0].Value.Begin, Merge.Arguments[0].Value.End).trim();
    if (Into.empty() || !llvm::all_of(Into, [](char Ch) { return isIdentChar(Ch) || Ch == '$'; }))
      return "";
    return Into.str();
  }

  // -- class scope: fields, properties and class constants (issues 12/13) -------------

  /// True if \p Var names a member of the object: `self.x`, `this.x`, `$this->x`, `@x`.
  bool objectMember(llvm::StringRef Var) const {
    llvm::StringRef Name = Var;
    if (M.G == syntax::Grammar::Python && Name.consume_front("self.")) {
    } else if (ecma() && Name.consume_front("this.")) {
    } else if (M.G == syntax::Grammar::PHP && Name.consume_front("$this->")) {
    } else if (M.G == syntax::Grammar::Ruby && Name.startswith("@") && !Name.startswith("@@")) {
      Name = Name.drop_front();
    } else {
      return false;
    }
    return !Name.empty() && llvm::all_of(Name, [](char Ch) { return isIdentChar(Ch) && Ch != '$'; });
  }
  /// The range of the innermost class around \p At (the whole file when there is none:
  /// a JavaScript constructor function and its prototype methods, a PHP trait-less file).
  ByteRange classAround(ByteRange At) const;
  /// Class scope: every mention of the member \p C.Variable in its class (outside the
  /// statement that defines it) is the URL/params argument of a known request or of a
  /// same-file wrapper that sends one: those requests (the first one first, the rest in
  /// AlsoSentBy, wrappers in Wrapped). {nullptr, nullptr} with \p Why naming the use
  /// that blocks it.
  std::pair<const CallSite *, const Idiom *> memberRequests(const Carrier &C, llvm::StringRef Var,
                                                            std::string &Why) const;
  /// Java, C#: the field of the carrier's class that \p C.Variable names (`this.url`, or
  /// `url` where no local or parameter of that name hides it), or "".
  std::string classField(const Carrier &C) const;
  /// Set by memberRequests: what the fixed() message adds.
  mutable std::string MemberNote;

  // -- URL templates filled by a format call (issues 12/13) ---------------------------

  /// A format call filling a URL template: `string.Format(T, …)`, `String.format(T, …)`,
  /// `MessageFormat.format(T, …)`, `sprintf(T, …)`, `T.format(…)`, `util.format(T, …)`.
  struct FormatUse {
    const CallSite *Call = nullptr;
    size_t Template = 0; ///< the template's argument (npos: the receiver, Python's T.format)
    enum StyleT { Indexed, Python, Printf, Replace } Style = Printf;
    /// Replace: the outermost call of the chain of `.replace(literal, value)` calls on
    /// the template (what is sent), and the link filling the token's placeholder.
    const CallSite *Outer = nullptr;
  };
  /// How a message names format call \p Call: its callee, `"…".format` on a literal.
  std::string formatCallee(const CallSite &Call) const {
    for (const StringExpr &S : M.Strings)
      if (!Call.Receiver.empty() && S.Range == Call.Receiver)
        return "\"…\"." + Call.Name;
    return Call.Callee;
  }
  /// The literal text of the string literal at \p R ("" with \p Ok false otherwise).
  std::string literalAt(ByteRange R, bool &Ok) const {
    for (const StringExpr &S : M.Strings)
      if (S.Range == R && S.isConstant()) {
        Ok = true;
        return S.flatten("");
      }
    Ok = false;
    return "";
  }
  /// The format call whose template is exactly the expression at \p Tpl, if any.
  std::optional<FormatUse> formatCallOf(ByteRange Tpl) const;
  /// The edits dropping the format argument that fills the placeholder the template
  /// removal \p TplRemoval cuts from the template \p Tpl (renumbering `{n}` after it);
  /// false with \p Why when the placeholders, or another argument, depend on it.
  bool formatArgumentEdits(const FormatUse &U, const StringExpr &Tpl,
                           llvm::ArrayRef<TextEdit> TplRemoval, std::vector<TextEdit> &Out,
                           std::string &Why) const;
  /// The request the result of the format call \p U sends (requestFor of that result);
  /// its argument edits go to FormatEdits.
  std::pair<const CallSite *, const Idiom *> throughFormat(const Carrier &C, const FormatUse &U,
                                                           int Depth, std::string &Why) const;
  /// The template expression of carrier \p C (its StringExpr), or null.
  const StringExpr *templateOf(const Carrier &C) const {
    for (const auto *List : {&M.Concats, &M.Strings})
      for (const StringExpr &S : *List)
        if (S.Range == C.Range)
          return &S;
    return nullptr;
  }
  /// Set by requestFor: the format arguments that go with the removal (the carrier's
  /// template is filled by a format call).
  mutable std::vector<TextEdit> FormatEdits;
  /// Set by requestFor: the carrier is a template filled by a format call (followed or
  /// refused; the builder path does not apply).
  mutable bool FormatSeen = false;
  /// True if \p Call formats or substitutes text (`sprintf`, `vsprintf`, `format`,
  /// `String.Format`, `str_replace`, `.replace`, `gsub`, …): a template going through one
  /// this fix does not edit must not lose its `authtoken=` part (the arguments would shift).
  bool formatLike(const CallSite &Call) const;
  /// Requests of a template carrier \p C whose variable is filled by a format call later in
  /// its function (`tpl = "…?authtoken=%s&x=%s"; url = sprintf(tpl, t, x)`); \p Handled is
  /// false when no format call uses it (the plain variable path applies).
  std::pair<const CallSite *, const Idiom *> formatOfVariable(const Carrier &C, int Depth,
                                                              bool &Handled,
                                                              std::string &Why) const;
  /// Another (non-test) file of the repository with this file's extension whose text
  /// matches \p Re, or "" (bounded walk, as otherFileCalling).
  std::string otherFileMatching(const re2::RE2 &Re, const re2::RE2 *Unless = nullptr) const;

  // -- the project's own transport in another file (issues 12/13, tool/fix/ProjectIndex.h)

  /// Where the transport \p Call (a call this fix does not know, or the first call of its
  /// builder chain) is defined in the repository: "; `get` is a method of the parent class
  /// `ZohoClient`, defined in src/ZohoClient.php:12 …", "; … not defined in this repository
  /// (a library's) …", or "" when the repository index is not available or says nothing.
  std::string transportNote(const CallSite &Call) const;
  /// transportNote's first half: where \p Call's callee is defined ("" if not known);
  /// \p InRepo: defined in another file of the repository (not a library's).
  std::string transportWhere(const CallSite &Call, bool &InRepo) const;
  /// The reason for a finding with no URL, parameter map or header at its place: what is
  /// there (an argument of a constructor or call, a parameter named by a constant, an API
  /// key + ticket pair) and what to do.
  std::string noCarrierReason(const Finding &F) const;

  /// Set by requestFor when the carrier reaches its request through a variable: the other
  /// known requests of the same function that pass that variable too (a form list or URL
  /// shared by two requests), which must get the header in the same patch.
  mutable std::vector<std::pair<const CallSite *, const Idiom *>> AlsoSentBy;
  /// True if \p Word occurs in \p Range as an identifier outside string literals (a URL
  /// naming `url` in its path is no use of the variable `url`).
  bool mentionsInCode(ByteRange Range, llvm::StringRef Word) const {
    std::string T = Text.slice(Range.Begin, Range.End).str();
    for (const StringExpr &S : M.Strings)
      if (Range.contains(S.Range))
        std::fill(T.begin() + (S.Range.Begin - Range.Begin),
                  T.begin() + (S.Range.End - Range.Begin), ' ');
    return mentions(T, Word);
  }
  /// Edits giving \p Call the OAuth header per \p I (Retry: through the wrapper's value).
  std::optional<std::vector<TextEdit>> headerEdits(const CallSite &Call, const Idiom &I,
                                                   bool Retry, std::string &Why) const;
  std::optional<std::vector<TextEdit>> addToMap(ByteRange Map, const Idiom &I,
                                                llvm::StringRef Value) const;
  std::optional<std::vector<TextEdit>> addArgument(const CallSite &Call, llvm::StringRef Arg) const;
  bool awaited(const CallSite &Call) const {
    llvm::StringRef Before = Text.take_front(Call.Range.Begin).rtrim();
    return Before.endswith("await") || Before.endswith("yield");
  }
  /// The rewrite of the legacy token-generation function holding \p F (Generation.h).
  std::optional<GenerationFix> generationBody(const Finding &F, std::string &Why) const {
    if (!Tree)
      return std::nullopt;
    GenerationInput In{Text, M, *Tree, R, NS,
                       [this](const CallSite &C) { return idiomFor(C) != nullptr; }, {}};
    for (const Finding *G : Ctx.Findings)
      if (G->RuleId.find("generation") != std::string::npos)
        In.Seeds.push_back(G->Offset);
    return generationFix(In, F.Offset, Why);
  }

  /// The import line(s) for the helper and \p Extra, placed like the file's imports.
  std::vector<TextEdit> importEdits(llvm::ArrayRef<std::string> Extra) const;

  // -- JavaScript-style calls -------------------------------------------------------

  /// The idiom of \p Call: its callee pattern and, where the idiom names one, the module
  /// the callee's first name is bound to.
  const Idiom *idiomFor(const CallSite &Call) const;
  /// The module \p Name is bound to in this file (`const x = require('m')`,
  /// `import x from 'm'`, `import * as x from 'm'`, `import x = require('m')`), or "".
  std::string moduleOf(llvm::StringRef Name) const;
  mutable std::map<std::string, std::string> Modules = {};
  /// The call whose whole range is \p Range, or nullptr.
  const CallSite *callWithRange(ByteRange Range) const {
    if (Range.empty())
      return nullptr;
    for (const CallSite &C : M.Calls)
      if (C.Range == Range)
        return &C;
    return nullptr;
  }
  /// The innermost call whose argument list holds \p Inner (not \p Inner itself).
  const CallSite *outerCall(const CallSite &Inner) const {
    const CallSite *Outer = nullptr;
    for (const CallSite &O : M.Calls)
      if (&O != &Inner && !O.ArgumentList.empty() && O.ArgumentList.contains(Inner.Range) &&
          (!Outer || Outer->Range.contains(O.Range)))
        Outer = &O;
    return Outer;
  }
  /// The request sending what is in the arguments of \p Call: \p Call or a call around it,
  /// outwards, or the request of a builder chain whose method \p Call is (`.query({…})` of
  /// `superagent.get(url)`). \p Unknown gets the first callee that is no known request.
  std::pair<const CallSite *, const Idiom *> requestAround(const CallSite *Call,
                                                           std::string *Unknown) const;
  /// The request of the builder chain \p Call is a method of (`superagent.get(u).query(q)`).
  std::pair<const CallSite *, const Idiom *> chainRequest(const CallSite &Call) const;
  /// The expression the retry wrapper goes around when the wrapper returns a promise: the
  /// request extended through the idiom's chain methods; nullopt when the result is used
  /// otherwise than as a promise (a property, a method other than then/catch/finally).
  std::optional<ByteRange> promiseExpr(const CallSite &Call, const Idiom &I) const;
  /// True if code in \p Scope may use `await` (an async function; the top level of a
  /// top-level-await-files file).
  bool mayAwait(ByteRange Scope) const;
  /// True if the file is an ES module (TypeScript counts: it takes `import`).
  bool esm() const;
  /// True if the file is browser code (Recipe.h `browser:`).
  bool browserCode() const;
  /// The edit replacing a client's default-header assignment whose value is the legacy
  /// header \p C (Recipe.h `default-header:`), or nullopt.
  std::optional<TextEdit> defaultHeaderEdit(const Carrier &C) const;

  // -- Ruby (header kinds hash, form-body, statement; tool/fix/Recipe.h) ------------
  /// The removals of the request being planned (set by the fix loop): a Ruby edit that
  /// rewrites part of an argument list takes over the removals inside that part.
  std::vector<TextEdit> *Pending = nullptr;
  /// True if byte \p P is deleted by one of the Pending removals.
  bool removedByPending(size_t P) const {
    if (!Pending)
      return false;
    for (const TextEdit &R : *Pending)
      if (R.Length > 0 && R.Offset <= P && P < R.Offset + R.Length)
        return true;
    return false;
  }
  /// True if byte \p P is on the line of one of the file's findings.
  bool onFindingLine(size_t P) const {
    size_t B = lineBegin(Text, P), E = lineEnd(Text, P);
    for (const Finding *F : Ctx.Findings)
      if (F->Offset >= B && F->Offset < E)
        return true;
    return false;
  }
  std::optional<std::vector<TextEdit>> rubyHeaderEdits(const CallSite &Call, const Idiom &I,
                                                       bool Retry, std::string &Why) const;
  std::optional<std::vector<TextEdit>> rubyHashEdits(const CallSite &Call, const Idiom &I,
                                                     llvm::StringRef V, std::string &Why) const;
  std::optional<std::vector<TextEdit>> rubyStatementEdits(const CallSite &Call, const Idiom &I,
                                                          llvm::StringRef V,
                                                          std::string &Why) const;
  /// `require_relative` after the file's require lines.
  std::vector<TextEdit> rubyImportEdits(llvm::ArrayRef<std::string> Extra) const;
  // -- Go (header kind go-statement; the helper is a package directory beside the file) --
  std::optional<std::vector<TextEdit>> goStatementEdits(const CallSite &Call, const Idiom &I,
                                                        std::string &Why) const;
  /// The import path of the helper package beside the file, from the nearest go.mod;
  /// empty (with \p Why) if there is none.
  std::string goHelperImport(std::string &Why) const;
  std::vector<TextEdit> goImportEdits(llvm::ArrayRef<std::string> Extra) const;
  /// Where the Go helper goes: true for a package directory `<dir>/<ns>/` imported through
  /// the nearest go.mod, or (no go.mod: import path unknown) for a file `zoho_oauth.go` of
  /// the edited file's own package whose names do not clash with the package's; false
  /// (with \p Why) otherwise. Decided once per file.
  bool goHelperPlace(std::string &Why) const;
  mutable int GoPlace = -1; ///< -1 not decided, 0 nowhere, 1 module subpackage, 2 in the package
  mutable std::string GoPlaceWhy, GoPackage;
  /// `zohooauth.SetAuthorization` -> `zohoOAuthSetAuthorization` when the helper joins the
  /// package (no qualifier, prefixed names).
  std::string goName(std::string S) const;
  /// A `Zoho-authtoken …` header value set with `req.Header.Set/Add("Authorization", v)`
  /// (v a concatenation, `fmt.Sprintf("Zoho-authtoken %s", t)`, or a variable holding one):
  /// the statement becomes the helper's SetAuthorization with the function's own error
  /// handling. \p Applies is false for findings of another shape.
  std::optional<std::vector<TextEdit>> goHeaderEdits(const Finding &F, std::string &What,
                                                     std::string &Why, bool &Applies) const;
  /// `client.Do(var)` calls of the request \p Var after \p From in \p Scope (before
  /// \p Var is assigned again, client visibly an *http.Client) -> `{ns}.Do(client, var)`.
  std::vector<const CallSite *> goDoCalls(ByteRange Scope, llvm::StringRef Var, size_t From) const;
  std::vector<TextEdit> goSendRetryEdits(ByteRange Scope, llvm::StringRef Var, size_t From,
                                         llvm::StringRef SendRetry, std::string *Sent) const;
  /// Import lines whose package the edits so far left unused (a compile error in Go).
  std::vector<TextEdit> goUnusedImportEdits(llvm::ArrayRef<TextEdit> Edits) const;
  /// The `if err != nil {…}` block right after the statement \p St at \p Indent (with
  /// \p SkipBlank, blank lines may come between): its body (the lines between) and the
  /// offset after its closing line.
  bool goErrorBlock(ByteRange St, llvm::StringRef Err, llvm::StringRef Indent,
                    llvm::StringRef &Body, size_t &After, bool SkipBlank = false) const;
  /// What removing the Pending credential needs to keep compiling: `_ = name` lines for
  /// locals it alone read (appended to \p Extra); false (with \p Why) for a format string
  /// or an import it alone used.
  bool goCredentialChecks(const CallSite &Call, ByteRange St, llvm::StringRef Indent,
                          std::string &Extra, std::string &Why) const;
  /// header kind go-new-request: `resp, err := http.Get(u)` + `if err != nil {…}`,
  /// `return http.Post(…)`, … rewritten to http.NewRequest + the helper + client.Do.
  std::optional<std::vector<TextEdit>> goNewRequestEdits(const CallSite &Call, const Idiom &I,
                                                         std::string &Why) const;
  /// True if \p Recv is visibly an http.Client in the file (http.DefaultClient, a name
  /// declared `*http.Client` / `&http.Client{…}` / `= http.DefaultClient`).
  bool goHttpClient(llvm::StringRef Recv) const;
  /// True if \p Inner is a Ruby block or lambda inside \p Outer (it sees Outer's locals).
  bool rubyClosure(ByteRange Inner, ByteRange Outer) const {
    if (M.G != syntax::Grammar::Ruby || Inner == Outer || !Outer.contains(Inner))
      return false;
    llvm::StringRef T = Text.slice(Inner.Begin, Inner.End);
    return !(T.startswith("def ") || T.startswith("def\t") || T.startswith("class ") ||
             T.startswith("module "));
  }

  // -- PHP (rules/fix/php.yaml: header kinds php-options, curl, stream-context and
  //    stream-options; Recipe.h) -----------------------------------------------------

  /// What the fixed() message of a PHP request adds (curl: its retry, or why there is
  /// none), by the request call's begin.
  mutable std::map<uint32_t, std::string> PhpNotes = {};
  std::optional<std::vector<TextEdit>> phpHeaderEdits(const CallSite &Call, const Idiom &I,
                                                      bool Retry, std::string &Why) const;
  std::optional<std::vector<TextEdit>> phpCurl(const CallSite &Call, const Idiom &I,
                                               llvm::StringRef V, std::string &Why) const;
  /// stream_context_create \p Create's options get the header line.
  std::optional<std::vector<TextEdit>> phpStreamOptions(const CallSite &Create, const Idiom &I,
                                                        llvm::StringRef V, std::string &Why) const;
  /// A whole header line `'Authorization: Zoho-authtoken ' . $t` (curl header lists, stream
  /// contexts): replaced by the helper's line.
  std::optional<Carrier> phpHeaderLine(const Finding &F) const;
  /// A bare-header finding (zoho-authtoken-bare-header): the expression that is the whole
  /// Authorization value, as a header carrier replaced in place by the helper's value —
  /// a map entry `"Authorization": t`, `h["Authorization"] = t`, a header call
  /// `addHeader("Authorization", t)`, or (PHP) the line `"Authorization: $t"`. nullopt with
  /// \p Why when the value is not one of those.
  std::optional<Carrier> bareHeaderCarrier(const Finding &F, std::string &Why) const;
  /// Why the header value at \p Value cannot take the helper's value in place, or "": it
  /// initialises a declaration outside any function that is evaluated once and kept — a
  /// PHP constant or property default (constant expressions only: a call there is a fatal
  /// error), a field of a Java/C#/Kotlin/Scala class, a `const` that a function uses.
  std::string keptHeaderValue(ByteRange Value, ByteRange Scope) const;
  /// This file runs as a script (a call at its top level: `main()`, `invoices().then(…)`,
  /// a request) and no other file of its directory with its extension names it (`import
  /// x`, `require('./x')`, `include 'x.php'`): its top-level variables are its own. (Only
  /// the directory is read: a walk of the whole repository per token costs too much on a
  /// large one, and a script is imported, if ever, from beside it.)
  bool scriptNobodyImports() const;
  /// After the fixes: a hard-coded token variable whose every use a fixed finding replaced
  /// or removed (a bare header value, a parameter map's authtoken entry, a URL's
  /// authtoken= piece) loses its declaration — a local, a private field, or a script's
  /// top-level variable (scriptNobodyImports) — and its hard-coded finding is fixed (it
  /// stays on the revoke list).
  void removeHardcodedTokenDeclarations();
  /// The bare Authorization value the finding at \p Off is in, and its scope.
  std::optional<std::pair<ByteRange, ByteRange>> bareHeaderValue(uint32_t Off) const;
  /// A URL concatenation whose removal leaves two literal operands side by side
  /// (`'…?' . 'organization_id='`, `"" . "&x=1"`): they are joined, with the `&` the
  /// removed parameter leaves at the start or after `?`.
  void phpTidyUrl(Carrier &C) const;
  /// `require_once __DIR__ . '/ZohoOAuth.php';` after the opening tag and the declare /
  /// namespace / use / require statements that follow it.
  std::vector<TextEdit> phpImportEdits() const;
  /// The offset of the first `<?php` tag (any case), or npos.
  size_t phpOpenTag() const {
    for (size_t P = Text.find("<?"); P != llvm::StringRef::npos; P = Text.find("<?", P + 2))
      if (Text.substr(P + 2, 3).equals_insensitive("php"))
        return P;
    return llvm::StringRef::npos;
  }
  /// True if \p R is an array literal (`[…]`, `array(…)`).
  bool phpArray(ByteRange R) const {
    llvm::StringRef T = Text.slice(R.Begin, R.End);
    return T.startswith("[") || T.startswith_insensitive("array(") ||
           T.startswith_insensitive("array (");
  }
  /// The entry of array literal \p Array whose key is \p Key (case-insensitively), or null.
  const KeyValue *phpEntry(ByteRange Array, llvm::StringRef Key) const {
    for (const KeyValue &KV : M.Pairs)
      if (KV.Container == Array && llvm::StringRef(KV.Key).ltrim('\\').equals_insensitive(Key))
        return &KV;
    return nullptr;
  }
  /// The edit appending \p Element to array literal \p Array (keyed or not), in its layout.
  std::optional<TextEdit> phpAppend(ByteRange Array, llvm::StringRef Element) const;
  /// The call whose whole range is \p R, or null.
  const CallSite *phpCallAt(ByteRange R) const {
    for (const CallSite &C : M.Calls)
      if (C.Range == R)
        return &C;
    return nullptr;
  }
  /// The value of the last `Var = …` before \p Before in \p Scope (empty if none).
  ByteRange phpAssignedBefore(llvm::StringRef Var, ByteRange Scope, uint32_t Before) const {
    ByteRange Out;
    for (const auto &A : M.Assignments)
      if (A.Target == Var && A.Op == "=" && A.Scope == Scope && A.Range.End <= Before)
        Out = A.Value;
    return Out;
  }

  // -- callback-style requests outside code that may await (Recipe.h callback-then) --

  /// A callback-style request sent once the helper's header is known.
  struct Deferred {
    std::vector<TextEdit> Edits; ///< the wrapper, with the header edits merged in
    std::string Errors;          ///< where a helper error goes (for the summary)
    std::string Note;            ///< what the summary adds (the code moved with a kept request)
  };
  /// The edits that make the statement holding \p Call (idiom \p I; \p Header: its header
  /// edits, made with the retry wrapper's value) wait for the helper's header: its
  /// expression goes into callback-then's `then`, a helper error to the request's callback
  /// or 'error' listener. nullopt with \p Why set: it cannot be deferred soundly (the
  /// reason); nullopt with \p Why empty: the recipe or the idiom has no callback-then.
  std::optional<Deferred> deferredRequest(const CallSite &Call, const Idiom &I,
                                          std::vector<TextEdit> Header, std::string &Why) const;
  /// The outermost expression node whose range is \p Rg (below its statement), or null.
  syntax::Node expressionWithRange(ByteRange Rg) const;
  /// A name the deferred expression \p Expr reads (outside the functions it passes) that
  /// the function around \p Statement assigns after it or in a loop around it, with the
  /// assignment's line in \p Line (\p InLoop: it is in a loop around the statement, not
  /// after it); "" when there is none. `yield` in \p Expr counts ("yield"): it cannot move
  /// into an arrow function.
  std::string changedAfter(llvm::ArrayRef<syntax::Node> Exprs, syntax::Node Statement,
                           unsigned &Line, bool &InLoop, ByteRange Span = {}) const;
  /// \p T (a statement's new start at \p Stmt) with a `;` before it when it starts with
  /// `(`, `[`, … and the statement before \p Stmt does not end with one (it would call it).
  std::string leadSemicolon(syntax::Node Stmt, std::string T) const;
  /// A request object the code keeps (`var req = https.request(opts, cb); req.on('error',
  /// h); req.write(body); req.end();`): the statements from its declaration \p Declarator
  /// to the last one using it move into callback-then's `then`, a helper error going to
  /// its 'error' listener (or callback). nullopt with \p Why: it cannot move soundly.
  std::optional<Deferred> keptRequest(const CallSite &Call, const Idiom &I, ByteRange Expr,
                                      syntax::Node Declarator, const syntax::Argument *Handler,
                                      std::vector<TextEdit> Header, std::string &Why) const;
};

std::optional<std::vector<TextEdit>> Run::removeParam(const StringExpr &S, size_t PI, size_t At,
                                                      size_t KeyLen) const {
  // S.Pieces[PI] is literal and holds `key=` at byte At (absolute) of length KeyLen.
  const StringPiece &P = S.Pieces[PI];
  llvm::StringRef Raw = Text.slice(P.Range.Begin, P.Range.End);
  size_t Rel = At - P.Range.Begin;
  char Before = Rel > 0 ? Raw[Rel - 1] : '\0';
  size_t ValueStart = Rel + KeyLen;
  std::vector<TextEdit> Out;
  auto Cut = [&](size_t B, size_t E) {
    TextEdit T;
    T.Offset = B;
    T.Length = E - B;
    Out.push_back(T);
  };
  if (ValueStart < Raw.size()) {
    // The value is literal text in this piece: up to `&`, `#`, a quote or the end.
    size_t VE = Raw.find_first_of("&#\"' ", ValueStart);
    if (VE == llvm::StringRef::npos)
      VE = Raw.size();
    if (VE < Raw.size() && Raw[VE] == '&') {
      Cut(At, P.Range.Begin + VE + 1); // `authtoken=x&` (the next parameter takes its place)
      return Out;
    }
    if (VE == Raw.size() && PI + 1 < S.Pieces.size() && !S.Pieces[PI + 1].IsLiteral)
      return std::nullopt; // `authtoken=ab" + rest`: the value goes on in a hole
    if (Before == '&')
      Cut(At - 1, P.Range.Begin + VE);
    else if (Before == '?' && KeepQuery)
      Cut(At, P.Range.Begin + VE); // the URL is extended later: its `?` stays
    else if (Before == '?' && VE < Raw.size() && Raw[VE] == '#')
      Cut(At - 1, P.Range.Begin + VE);
    else if (Before == '?') {
      // `?authtoken=x` then maybe `&…` in the next literal piece.
      if (VE == Raw.size() && PI + 1 < S.Pieces.size() && S.Pieces[PI + 1].IsLiteral &&
          Text.slice(S.Pieces[PI + 1].Range.Begin, S.Pieces[PI + 1].Range.End).startswith("&")) {
        Cut(At, P.Range.Begin + VE);
        Cut(S.Pieces[PI + 1].Range.Begin, S.Pieces[PI + 1].Range.Begin + 1);
      } else {
        Cut(At - 1, P.Range.Begin + VE);
      }
    } else {
      Cut(At, P.Range.Begin + VE);
    }
    return Out;
  }
  // `key=` ends the piece: the value is the next piece, a hole.
  if (PI + 1 >= S.Pieces.size() || S.Pieces[PI + 1].IsLiteral)
    return std::nullopt;
  const StringPiece &H = S.Pieces[PI + 1];
  const StringPiece *Next = PI + 2 < S.Pieces.size() && S.Pieces[PI + 2].IsLiteral
                                ? &S.Pieces[PI + 2] : nullptr;
  llvm::StringRef NextRaw = Next ? Text.slice(Next->Range.Begin, Next->Range.End) : "";
  if (S.Kind == StringExpr::Template) {
    // One literal: `…?authtoken={t}&x` / `${t}` / `#{t}`: the hole is inside the quotes.
    if (Next && Next->Range.Begin == H.Range.End && NextRaw.startswith("&")) {
      Cut(At, H.Range.End + 1);
      return Out;
    }
    if (Before == '&' || (Before == '?' && !KeepQuery)) {
      Cut(At - 1, H.Range.End);
      return Out;
    }
    Cut(At, H.Range.End);
    return Out;
  }
  if (S.Kind != StringExpr::Concat)
    return std::nullopt;
  // An operand of a concatenation that interpolates the value itself (PHP `… .
  // "&authtoken={$this->authtoken}"`, Python `base + f"?authtoken={t}"`): the hole is
  // inside the literal's quotes, as in a template.
  llvm::StringRef Gap = Text.slice(P.Range.End, H.Range.Begin);
  if (H.Range.Begin >= P.Range.End && (Gap.empty() || Gap == "{")) {
    size_t HEnd = H.Range.End;
    if (Gap == "{") {
      if (HEnd >= Text.size() || Text[HEnd] != '}')
        return std::nullopt;
      ++HEnd;
    }
    if (Next && Next->Range.Begin == HEnd && NextRaw.startswith("&")) {
      Cut(At, HEnd + 1);
      return Out;
    }
    if (Before == '&' || (Before == '?' && !KeepQuery)) {
      Cut(At - 1, HEnd);
      return Out;
    }
    Cut(At, HEnd);
    return Out;
  }
  // A concatenation: `"…?authtoken=" + t + "&scope=x"`. The literal's closing delimiter
  // and the operator before the hole go with the hole; the text between may only be
  // quotes, blanks, line breaks and one operator.
  size_t CloseEnd = P.Range.End;
  while (CloseEnd < H.Range.Begin && llvm::StringRef("\"'`").contains(Text[CloseEnd]))
    ++CloseEnd;
  llvm::StringRef Between = Text.slice(CloseEnd, H.Range.Begin).trim(" \t\r\n\\");
  if (!(Between == "+" || Between == "." || Between == ".." || Between == "<>" ||
        Between == "~" || Between == "&"))
    return std::nullopt;
  if (CloseEnd == P.Range.End)
    return std::nullopt; // no closing quote found: not a plain literal operand
  size_t KeyBegin = (Before == '&') ? At - 1 : At;
  bool PieceEmptied = P.Range.Begin == KeyBegin || (Before == '?' && P.Range.Begin == At - 1);
  if (Before == '?' && P.Range.Begin == At - 1 && !(Next && NextRaw.startswith("&")) && !KeepQuery)
    KeyBegin = At - 1; // the literal was only `?authtoken=`
  if (PieceEmptied && KeyBegin == P.Range.Begin && PI > 0 && !S.Pieces[PI - 1].IsLiteral) {
    // `base + "?authtoken=" + t`: the whole literal operand and the hole go, with the
    // operator before the literal: from the end of the hole before it.
    size_t OpenBegin = P.Range.Begin;
    while (OpenBegin > S.Pieces[PI - 1].Range.End &&
           llvm::StringRef("\"'`").contains(Text[OpenBegin - 1]))
      --OpenBegin;
    llvm::StringRef Op = Text.slice(S.Pieces[PI - 1].Range.End, OpenBegin).trim(" \t\r\n\\");
    if ((Op == "+" || Op == "." || Op == ".." || Op == "<>" || Op == "~") &&
        !(Next && NextRaw.startswith("&") && Before == '?')) {
      Cut(S.Pieces[PI - 1].Range.End, H.Range.End);
      return Out;
    }
  }
  Cut(KeyBegin, P.Range.End);       // `&authtoken=` / `authtoken=` in the literal
  Cut(CloseEnd, H.Range.End);       // ` + t` (the literal keeps its closing quote)
  if (Before == '?' && KeyBegin == At && Next && NextRaw.startswith("&") &&
      Next->Range.Begin > H.Range.End)
    Cut(Next->Range.Begin, Next->Range.Begin + 1); // `"&scope=…"` -> `"scope=…"`
  // Merge the two cuts that touch.
  if (Out.size() >= 2 && Out[0].Offset + Out[0].Length == Out[1].Offset) {
    Out[0].Length += Out[1].Length;
    Out.erase(Out.begin() + 1);
  }
  return Out;
}

std::optional<std::vector<TextEdit>> Run::removeUrlParams(const StringExpr &S) const {
  std::vector<TextEdit> All;
  bool Found = false;
  for (size_t I = 0; I < S.Pieces.size(); ++I) {
    const StringPiece &P = S.Pieces[I];
    if (!P.IsLiteral)
      continue;
    llvm::StringRef Raw = Text.slice(P.Range.Begin, P.Range.End);
    std::string Lower = Raw.lower();
    for (llvm::StringRef Key : {"authtoken=", "scope="}) {
      size_t K = llvm::StringRef(Lower).find(Key);
      while (K != llvm::StringRef::npos) {
        bool AtBoundary = K == 0 || Raw[K - 1] == '?' || Raw[K - 1] == '&';
        bool Legacy = true;
        if (Key == "scope=") {
          // Only the legacy `scope=…api` companion goes.
          size_t VE = Raw.find_first_of("&#\"' ", K + Key.size());
          llvm::StringRef V = Raw.slice(K + Key.size(), VE == llvm::StringRef::npos ? Raw.size() : VE);
          Legacy = !V.empty() && isLegacyScopeValue(V);
        }
        if (AtBoundary && Legacy) {
          auto E = removeParam(S, I, P.Range.Begin + K, Key.size());
          if (!E) {
            if (Key == "authtoken=")
              return std::nullopt;
          } else {
            Found = Found || Key == "authtoken=";
            All.insert(All.end(), E->begin(), E->end());
          }
          break;
        }
        K = llvm::StringRef(Lower).find(Key, K + 1);
      }
    }
  }
  if (!Found)
    return std::nullopt;
  // Two removals may touch or overlap (`?authtoken=x&scope=crmapi`): merge.
  std::sort(All.begin(), All.end(), [](const TextEdit &A, const TextEdit &B) { return A.Offset < B.Offset; });
  std::vector<TextEdit> Merged;
  for (const TextEdit &E : All) {
    if (!Merged.empty() && Merged.back().Offset + Merged.back().Length >= E.Offset) {
      size_t End = std::max(Merged.back().Offset + Merged.back().Length, E.Offset + E.Length);
      Merged.back().Length = End - Merged.back().Offset;
    } else {
      Merged.push_back(E);
    }
  }
  // Tidy what is left: a `?` or `&` dangling at the very end of the URL goes, and a
  // literal operand of a concatenation left empty goes with its operator
  // (`API + "?authtoken=" + t + "&scope=crmapi"` -> `API`).
  auto Covered = [&](size_t B) {
    for (const TextEdit &E : Merged)
      if (E.Offset <= B && B < E.Offset + E.Length)
        return true;
    return false;
  };
  auto Remaining = [&](const StringPiece &P) {
    std::vector<size_t> Bytes;
    for (size_t B = P.Range.Begin; B < P.Range.End; ++B)
      if (!Covered(B))
        Bytes.push_back(B);
    return Bytes;
  };
  auto Add = [&](size_t B, size_t E) {
    TextEdit T;
    T.Offset = B;
    T.Length = E - B;
    Merged.push_back(T);
    std::sort(Merged.begin(), Merged.end(),
              [](const TextEdit &A, const TextEdit &C) { return A.Offset < C.Offset; });
    std::vector<TextEdit> M2;
    for (const TextEdit &X : Merged) {
      if (!M2.empty() && M2.back().Offset + M2.back().Length >= X.Offset) {
        size_t End = std::max(M2.back().Offset + M2.back().Length, X.Offset + X.Length);
        M2.back().Length = End - M2.back().Offset;
      } else {
        M2.push_back(X);
      }
    }
    Merged = std::move(M2);
  };
  // The last piece with anything left.
  for (size_t I = S.Pieces.size(); I-- > 0;) {
    const StringPiece &P = S.Pieces[I];
    std::vector<size_t> Left = P.IsLiteral ? Remaining(P) : std::vector<size_t>();
    if (!P.IsLiteral) {
      if (Covered(P.Range.Begin))
        continue;
      break;
    }
    if (Left.empty())
      continue;
    char Last = Text[Left.back()];
    if ((Last == '?' && !KeepQuery) || Last == '&')
      Add(Left.back(), Left.back() + 1);
    break;
  }
  if (S.Kind == StringExpr::Concat)
    for (size_t I = 0; I < S.Pieces.size(); ++I) {
      const StringPiece &P = S.Pieces[I];
      if (!P.IsLiteral || !Remaining(P).empty() || P.Range.empty())
        continue;
      size_t OB = P.Range.Begin, CE = P.Range.End;
      while (OB > S.Range.Begin && llvm::StringRef("\"'`").contains(Text[OB - 1]))
        --OB;
      while (CE < S.Range.End && Covered(CE)) // an interpolated value removed with it
        ++CE;
      while (CE < S.Range.End && llvm::StringRef("\"'`").contains(Text[CE]))
        ++CE;
      if (OB == P.Range.Begin || CE == P.Range.End)
        continue;
      // The operator before it (or, for the first operand, the one after it).
      size_t B = OB;
      while (B > S.Range.Begin && llvm::StringRef(" \t\r\n").contains(Text[B - 1]))
        --B;
      size_t OpEnd = B;
      while (B > S.Range.Begin && llvm::StringRef("+.~<>&").contains(Text[B - 1]))
        --B;
      if (B < OpEnd && B > S.Range.Begin) {
        // PHP: an operand on a line of its own (`\n    . "&authtoken={$t}";`) goes with its
        // line break (a line break is no statement end there).
        size_t Op = B;
        llvm::StringRef Blank = M.G == syntax::Grammar::PHP ? " \t\r\n" : " \t";
        while (B > S.Range.Begin && Blank.contains(Text[B - 1]))
          --B;
        // Not onto a line that ends in a comment (`"x" // …`): the `;` would join it.
        llvm::StringRef Before = Text.slice(lineBegin(Text, B), B);
        if (Before.contains("//") || Before.contains("#") || Before.contains("/*"))
          for (B = Op; B > S.Range.Begin && llvm::StringRef(" \t").contains(Text[B - 1]);)
            --B;
        if (!Covered(B - 1) || true)
          Add(B, CE);
      }
    }
  return Merged;
}

std::vector<TextEdit> Run::removeEmptied(ByteRange Container) const {
  for (const KeyValue &P : M.Pairs)
    if (P.Value == Container && P.Value != P.KeyRange) {
      if (emptiedBy(P.Container, {P.Range}))
        break; // the outer object would be left empty too: keep `key: {}`
      return {removeListElement(Text, P.Range.Begin, P.Range.End)};
    }
  for (const CallSite &Call : M.Calls)
    if (Call.Arguments.size() == 1 && Call.Arguments[0].Value == Container &&
        !Call.Receiver.empty() && chainRequest(Call).first) {
      TextEdit E;
      E.Offset = Call.Receiver.End;
      E.Length = Call.Range.End - Call.Receiver.End;
      return {E};
    }
  TextEdit E;
  E.Offset = Container.Begin + 1;
  E.Length = Container.size() - 2;
  return {E};
}

std::optional<Carrier> Run::carrierAt(const Finding &F, std::string &Why) const {
  if (R.HelperLang == "php") {
    if (phpOpenTag() == llvm::StringRef::npos) {
      Why = "the file has no `<?php` tag to load the helper after; give the request the "
            "Authorization header by hand";
      return std::nullopt;
    }
    if (auto C = phpHeaderLine(F))
      return C;
  }
  if (jvm() && !javaSourceRoot(Ctx.Path, Text, Why))
    return std::nullopt; // the helper goes into the file's source root: unknown
  if (F.RuleId.find("bare-header") != std::string::npos)
    return bareHeaderCarrier(F, Why);
  uint32_t Off = static_cast<uint32_t>(F.Offset);
  ByteRange At{Off, static_cast<uint32_t>(F.Offset + std::max<size_t>(F.Length, 1))};
  auto Touches = [&](ByteRange R) { return R.Begin <= At.Begin && At.Begin < R.End; };

  // A header value `Zoho-authtoken …`: replaced in place.
  for (const StringExpr *S : {(const StringExpr *)nullptr}) (void)S;
  auto HeaderIn = [&](const StringExpr &S) {
    for (const StringPiece &P : S.Pieces)
      if (P.IsLiteral && llvm::StringRef(P.Value).contains_insensitive("zoho-authtoken"))
        return true;
    return false;
  };
  for (const auto *List : {&M.Concats, &M.Strings})
    for (const StringExpr &S : *List) {
      if (!Touches(S.Range) || !HeaderIn(S))
        continue;
      std::string Flat = S.flatten("");
      llvm::StringRef FlatRef(Flat);
      if (FlatRef.trim().startswith_insensitive("authorization")) {
        Why = "the header is built as one `Authorization: …` line; replace it by hand";
        return std::nullopt;
      }
      // The value as a whole expression: a formatted literal (`"Zoho-authtoken {}".format(t)`,
      // `"Zoho-authtoken %s" % t`, `sprintf(…)`) is replaced with its formatting.
      ByteRange Whole = S.Range;
      llvm::StringRef After = Text.drop_front(S.Range.End).ltrim(" \t");
      if (After.startswith(".format(")) {
        for (const CallSite &Call : M.Calls)
          if (Call.Range.Begin == S.Range.Begin && Call.Name == "format")
            Whole = Call.Range;
        if (Whole == S.Range) {
          Why = "the header value is formatted in a way this fix does not edit";
          return std::nullopt;
        }
      } else if (After.startswith("%") || After.startswith("*")) {
        Why = "the header value is formatted with an operator; replace it with the helper's "
              "header value by hand";
        return std::nullopt;
      }
      for (const CallSite &Call : M.Calls)
        if (!Call.ArgumentList.empty() && Call.Arguments.size() >= 2 &&
            Call.Arguments[0].Value == S.Range &&
            llvm::StringRef(Call.Name).contains_insensitive("printf")) {
          Why = "the header value is formatted by `" + Call.Callee + "`; replace it with the "
                "helper's header value by hand";
          return std::nullopt;
        }
      Carrier C;
      C.Kind = Carrier::Header;
      C.Range = Whole;
      C.Scope = S.Scope;
      C.Call = callAround(S.Range);
      TextEdit E;
      E.Offset = Whole.Begin;
      E.Length = Whole.size();
      E.Text = value(false);
      C.Removal.push_back(E);
      return C;
    }

  // A map entry `"authtoken": t`.
  for (const KeyValue &KV : M.Pairs) {
    if (!isAuthtokenKey(KV.Key) || !(Touches(KV.Range) || Touches(KV.KeyRange)))
      continue;
    Carrier C;
    C.Kind = Carrier::Pair;
    C.Range = KV.Range;
    C.Scope = KV.Scope;
    C.Removal.push_back(removeListElement(Text, KV.Range.Begin, KV.Range.End));
    std::vector<ByteRange> Gone{KV.Range};
    for (const KeyValue &O : M.Pairs)
      if (O.Container == KV.Container && O.Range != KV.Range &&
          llvm::StringRef(O.Key).equals_insensitive("scope") &&
          isLegacyScopeValue(Text.slice(O.Value.Begin, O.Value.End))) {
        C.Removal.push_back(removeListElement(Text, O.Range.Begin, O.Range.End));
        Gone.push_back(O.Range);
      }
    C.Call = callAround(KV.Container);
    C.Variable = assignedVariable(KV.Container);
    if (ecma() && emptiedBy(KV.Container, Gone))
      C.Removal = removeEmptied(KV.Container);
    if (M.G == syntax::Grammar::Kotlin || M.G == syntax::Grammar::Scala)
      if (auto Link = jvmEmptiedLink(Text, M, KV, Gone.size()))
        C.Removal = {*Link}; // `.withQueryStringParameters("authtoken" -> t)` goes whole
    return C;
  }

  // A keyword argument `authtoken=t`.
  for (const CallSite &Call : M.Calls)
    for (const auto &A : Call.Arguments)
      if (isAuthtokenKey(A.Keyword) && Touches(A.Range)) {
        Carrier C;
        C.Kind = Carrier::KeywordArg;
        C.Range = A.Range;
        C.Scope = Call.Scope;
        C.Removal.push_back(removeListElement(Text, A.Range.Begin, A.Range.End));
        C.Call = &Call;
        // `params = dict(authtoken=t, …)`: the map reaches the request through its variable.
        C.Variable = assignedVariable(Call.Range);
        for (const auto &O : Call.Arguments)
          if (&O != &A && llvm::StringRef(O.Keyword).equals_insensitive("scope") &&
              isLegacyScopeValue(Text.slice(O.Value.Begin, O.Value.End)))
            C.Removal.push_back(removeListElement(Text, O.Range.Begin, O.Range.End));
        return C;
      }

  // Java: `params.add(new BasicNameValuePair("authtoken", t));` (tool/fix/JavaFixer.cpp).
  if (M.G == syntax::Grammar::Java)
    if (auto P = javaNameValuePair(Text, M, Off)) {
      Carrier C;
      C.Kind = Carrier::Statement;
      C.Range = P->Statement;
      C.Scope = P->Scope;
      C.Removal.push_back(removeRange(Text, P->Statement.Begin, P->Statement.End));
      for (ByteRange Co : P->Companions)
        C.Removal.push_back(removeRange(Text, Co.Begin, Co.End));
      C.Variable = P->Variable;
      return C;
    }
  // Kotlin/Scala (JavaFixer.cpp): a builder link `.addQueryParameter("authtoken", t)`,
  // `.param("authtoken", t)`, `.add("authtoken", t)` inside a chain, and Ktor's
  // `parameter("authtoken", t)` statement in a request block.
  if (M.G == syntax::Grammar::Kotlin || M.G == syntax::Grammar::Scala)
    if (auto L = jvmParameterLink(Text, M, Off)) {
      Carrier C;
      C.Kind = Carrier::Statement;
      C.Range = L->Range;
      C.Scope = L->Scope;
      C.Removal = L->Removal;
      C.Call = L->Call;
      C.Variable = assignedVariable(L->Range);
      return C;
    }
  // A statement: `params.put("authtoken", t)`, `params["authtoken"] = t`.
  for (const CallSite &Call : M.Calls) {
    if (Call.Arguments.size() < 2 || !Touches(Call.Range) || Call.Receiver.empty())
      continue;
    llvm::StringRef First = Text.slice(Call.Arguments[0].Value.Begin, Call.Arguments[0].Value.End);
    if (!isAuthtokenKey(First.trim("\"'`")) || First.trim("\"'`").size() + 2 != First.size())
      continue;
    ByteRange St = M.statementAt(Call.Range.Begin);
    if (St.empty() || !St.contains(Call.Range) ||
        !llvm::StringRef(Text.slice(Call.Range.End, St.End)).trim(" \t;").empty()) {
      Why = "the `" + Call.Callee + "(\"authtoken\", …)` call is part of a larger expression";
      return std::nullopt;
    }
    Carrier C;
    C.Kind = Carrier::Statement;
    C.Range = St;
    C.Scope = Call.Scope;
    C.Removal.push_back(removeRange(Text, St.Begin, St.End));
    C.Variable = Text.slice(Call.Receiver.Begin, Call.Receiver.End).str();
    return C;
  }
  for (const auto &A : M.Assignments) {
    if (!isAuthtokenKey(A.Name) || !Touches(A.Range))
      continue;
    llvm::StringRef Target(A.Target);
    size_t Cut = Target.find_first_of("[");
    if (Cut == llvm::StringRef::npos)
      Cut = Target.rfind('.');
    if (Cut == llvm::StringRef::npos || Cut == 0)
      continue; // `authtoken = …`: a variable, not a parameter
    llvm::StringRef Container = Target.take_front(Cut);
    if (Container == "self" || Container == "this" || Container == "$this" || Container == "@") {
      Why = "the token is stored on the object here; it is sent elsewhere";
      return std::nullopt;
    }
    ByteRange St = A.Statement.empty() ? A.Range : A.Statement;
    Carrier C;
    C.Kind = Carrier::Statement;
    C.Range = St;
    C.Scope = A.Scope;
    C.Removal.push_back(removeRange(Text, St.Begin, St.End));
    C.Variable = Container.str();
    return C;
  }

  // A URL string holding `authtoken=`.
  const StringExpr *Best = nullptr;
  for (const auto *List : {&M.Concats, &M.Strings})
    for (const StringExpr &S : *List)
      if (Touches(S.Range) && llvm::StringRef(S.flatten("\x1f")).contains_insensitive("authtoken=") &&
          (!Best || S.Range.contains(Best->Range)))
        Best = &S; // the outermost: a concatenation over the literal
  if (Best) {
    KeepQuery = extendedWithAmpersand(assignedVariable(Best->Range), Best->Range.End, Best->Scope);
    auto E = removeUrlParams(*Best);
    KeepQuery = false;
    if (!E) {
      Why = "the URL's authtoken parameter is built in a way this fix does not edit";
      return std::nullopt;
    }
    Carrier C;
    C.Kind = Carrier::Url;
    C.Range = Best->Range;
    C.Scope = Best->Scope;
    C.Removal = *E;
    C.Call = callAround(Best->Range);
    C.Variable = assignedVariable(Best->Range);
    if (C.Variable.empty() && !C.Call)
      // `$body .= "&authtoken={$t}";`, `url += "&authtoken=" + t`: a part of the variable.
      for (const auto &A : M.Assignments)
        if (A.Value == Best->Range && (A.Op == ".=" || A.Op == "+=") &&
            llvm::StringRef(A.Target).find_first_of("[(") == llvm::StringRef::npos)
          C.Variable = A.Target;
    return C;
  }
  Why = noCarrierReason(F);
  return std::nullopt;
}

std::pair<const CallSite *, const Idiom *> Run::requestFor(const Carrier &C, std::string &Why,
                                                           int Depth) const {
  if (Depth == 0) {
    AlsoSentBy.clear();
    Wrapped.clear();
    MemberNote.clear();
    FormatEdits.clear();
    FormatSeen = false;
  }
  // A URL template filled by a format call (`string.Format("…?authtoken={0}&x={1}", t, x)`,
  // `"…?authtoken={}".format(t)`): the call's result is what is sent, without the token's
  // argument; a format this fix does not edit is left (its arguments would shift).
  // (Go: goCredentialChecks handles `fmt.Sprintf` itself.)
  if (C.Kind == Carrier::Url && M.G != syntax::Grammar::Go && templateOf(C)) {
    if (auto U = formatCallOf(C.Range)) {
      FormatSeen = true;
      return throughFormat(C, *U, Depth, Why);
    }
    const CallSite *Fmt = nullptr;
    for (const CallSite &O : M.Calls)
      if (formatLike(O) && (O.Receiver == C.Range ||
                            llvm::any_of(O.Arguments, [&](const syntax::Argument &A) {
                              return A.Value == C.Range;
                            })))
        Fmt = &O;
    llvm::StringRef After = Text.drop_front(C.Range.End).ltrim(" \t");
    bool Operator = (M.G == syntax::Grammar::Python || M.G == syntax::Grammar::Ruby) &&
                    After.startswith("%") && !After.startswith("%=");
    if (Fmt || Operator) {
      FormatSeen = true;
      Why = Fmt ? fmt::format("the URL template is filled by `{}(…)` on line {}, a format or "
                              "replace call this fix does not edit (its arguments would no "
                              "longer match); give the request the OAuth header by hand",
                              formatCallee(*Fmt), lineNumber(Text, Fmt->Range.Begin))
                : "the URL template is filled by the `%` operator, which this fix does not edit "
                  "(its arguments would no longer match); give the request the OAuth header by "
                  "hand";
      return {nullptr, nullptr};
    }
  }
  // The call around the carrier, outwards: `requests.get(url + "?authtoken=" + t)`,
  // `fetch(url, {body: new URLSearchParams({authtoken: t})})`.
  std::string Unknown;
  auto Around = requestAround(C.Call, &Unknown);
  if (Around.first)
    return Around;
  // A same-file wrapper around it: `self._request(path, params={"authtoken": t})`.
  std::string WrapperWhy;
  // (A keyword argument `authtoken=t` of the wrapper is its parameter: not this shape.)
  for (const CallSite *W = C.Kind == Carrier::KeywordArg ? nullptr : C.Call; W && Depth < 2;
       W = outerCall(*W)) {
    if (!localFunction(*W))
      continue;
    for (size_t A = 0; A < W->Arguments.size(); ++A)
      if (W->Arguments[A].Range.contains(C.Range)) {
        auto Inner = throughWrapper(*W, A, Depth + 1, WrapperWhy);
        if (Inner.first) {
          Wrapped.push_back(W);
          return Inner;
        }
      }
    break; // the innermost wrapper decides
  }
  // A field or property of the object (`self.params`, `$this->params`, `this.url`): every
  // use in its class must be a request this fix knows (or a wrapper sending one).
  if (Depth == 0 && Unknown.empty() && objectMember(C.Variable))
    return memberRequests(C, C.Variable, Why);
  if (Depth == 0 && Unknown.empty())
    if (std::string Field = classField(C); !Field.empty())
      return memberRequests(C, Field, Why);
  {
    // `tpl = "…?authtoken=%s&x=%s"; url = sprintf(tpl, t, x)`.
    bool Handled = false;
    auto R = formatOfVariable(C, Depth, Handled, Why);
    if (Handled) {
      FormatSeen = true;
      return R;
    }
  }
  // Through variables: the first later call in the same function that passes it.
  const CallSite *PassedTo = nullptr;
  std::string PassedVar;
  std::string Var = C.Variable;
  uint32_t After = C.Range.End;
  for (int Hop = 0; Hop < 4 && !Var.empty(); ++Hop) {
    bool Member = llvm::StringRef(Var).contains('.') || llvm::StringRef(Var).startswith("@");
    std::pair<const CallSite *, const Idiom *> Found{nullptr, nullptr};
    for (const CallSite &Call : M.Calls) {
      if (Call.Range.Begin < After ||
          (!Member && Call.Scope != C.Scope && !rubyClosure(Call.Scope, C.Scope)))
        continue;
      std::pair<const CallSite *, const Idiom *> Req{&Call, idiomFor(Call)};
      if (!Req.second)
        Req = chainRequest(Call);
      bool ViaWrapper = false;
      if (!Req.second && Depth < 2 && Unknown.empty() && localFunction(Call))
        // `$this->call($url, $params)`: the request inside this file's own function, which
        // gets the map/URL itself as an argument (not a value read from it, not the answer
        // of a call this fix does not know).
        for (size_t A = 0; A < Call.Arguments.size() && !Req.second; ++A)
          if (Text.slice(Call.Arguments[A].Value.Begin, Call.Arguments[A].Value.End).trim() ==
              Var) {
            Req = throughWrapper(Call, A, Depth + 1, WrapperWhy);
            ViaWrapper = Req.second != nullptr;
          }
      if (!Req.second) {
        // `client.get(url, params)`: the variable itself handed to a call this fix does
        // not know (the project's transport, most likely): named in the reason.
        static const re2::RE2 Diagnostic("(?i).*(print|log|debug|dump|assert).*");
        if (!PassedTo && Unknown.empty() && WrapperWhy.empty())
          for (const auto &A : Call.Arguments)
            if (Text.slice(A.Value.Begin, A.Value.End).trim() == Var &&
                !re2::RE2::FullMatch(Call.Callee, Diagnostic)) {
              PassedTo = &Call;
              PassedVar = Var;
            }
        continue;
      }
      if (ViaWrapper)
        Wrapped.push_back(&Call);
      for (const auto &A : Call.Arguments)
        if (mentions(Text.slice(A.Value.Begin, A.Value.End), Var)) {
          if (!Found.first)
            Found = Req;
          else if (Req.first != Found.first && mentionsInCode(A.Value, Var) &&
                   llvm::none_of(AlsoSentBy, [&](const auto &X) { return X.first == Req.first; }))
            AlsoSentBy.push_back(Req); // every later request passing it
          break;
        }
    }
    if (Found.first)
      return Found;
    // `full = url + "&page=1"`: follow the variable one more step.
    std::string Next;
    for (const auto &A : M.Assignments)
      if (A.Range.Begin >= After &&
          (Member || A.Scope == C.Scope || rubyClosure(A.Scope, C.Scope)) &&
          (A.Op == "=" || goDeclaration(A)) &&
          mentions(Text.slice(A.Value.Begin, A.Value.End), Var) &&
          llvm::StringRef(A.Target).find_first_of("[(") == llvm::StringRef::npos &&
          A.Target != Var) {
        Next = A.Target;
        After = A.Range.End;
        break;
      }
    // Ruby: `uri.query = URI.encode_www_form(params)` travels with `uri` (as in the fix loop).
    if (Depth > 0 && M.G == syntax::Grammar::Ruby && llvm::StringRef(Next).endswith(".query"))
      Next.resize(Next.size() - 6);
    Var = Next;
  }
  if (!WrapperWhy.empty())
    Why = WrapperWhy;
  else if (!Unknown.empty()) {
    std::string Where;
    for (const CallSite *U = C.Call; U; U = outerCall(*U))
      if (U->Callee == Unknown) {
        Where = transportNote(*U);
        break;
      }
    Why = "it is sent through `" + Unknown + "(…)`, which is not an HTTP call this fix knows" +
          (Where.empty() ? "; give that request the OAuth header by hand" : Where);
  } else if (PassedTo) {
    std::string Where = transportNote(*PassedTo);
    Why = fmt::format("`{}` is passed to `{}(…)` on line {}, which is not an HTTP call this fix "
                      "knows{}",
                      PassedVar, PassedTo->IsNew ? "new " + PassedTo->Callee : PassedTo->Callee,
                      lineNumber(Text, PassedTo->Range.Begin),
                      Where.empty() ? "; give that request the OAuth header by hand" : Where);
  } else if (!C.Variable.empty())
    Why = "no request passing `" + C.Variable + "` was found after it in the same function";
  else
    Why = "no request sending it was found";
  return {nullptr, nullptr};
}

const std::vector<Run::FnDef> &Run::fnDefs() const {
  if (FnDefs)
    return *FnDefs;
  FnDefs.emplace();
  if (!Tree)
    return *FnDefs;
  static const std::set<std::string> Kinds{
      "function_definition", "function_declaration", "method_definition", "method_declaration",
      "method", "local_function_statement"};
  std::vector<syntax::Node> Work{Tree->root()};
  for (size_t Seen = 0; !Work.empty() && Seen < 400000; ++Seen) {
    syntax::Node N = Work.back();
    Work.pop_back();
    for (syntax::Node K : N.namedChildren(true))
      Work.push_back(K);
    if (!Kinds.count(N.kind().str()))
      continue;
    syntax::Node Name = N.field("name");
    if (!Name)
      continue;
    FnDef D;
    D.Scope = N.range();
    D.Name = Name.text().str();
    D.NameBegin = Name.begin();
    if (M.G == syntax::Grammar::PHP || ecma()) {
      D.ObjectOnly = N.kind() == "method_declaration" || N.kind() == "method_definition";
      D.Unqualified = !D.ObjectOnly;
    }
    if (syntax::Node Ps = N.field("parameters"))
      for (syntax::Node P : Ps.namedChildren(true)) {
        llvm::StringRef K = P.kind();
        syntax::Node Id;
        if (K == "identifier" || K == "variable_name")
          Id = P;
        else if (!K.contains("splat") && !K.contains("rest") && !K.contains("variadic") &&
                 !K.contains("spread"))
          for (llvm::StringRef F : {"name", "pattern", "left"})
            if (!Id)
              Id = P.field(F);
        std::string Param = Id && (Id.kind() == "identifier" || Id.kind() == "variable_name")
                                ? Id.text().str()
                                : "";
        D.Params.push_back(Param);
      }
    // Python methods: `self` / `cls` is bound by the call's receiver.
    if (M.G == syntax::Grammar::Python) {
      D.ObjectOnly = !D.Params.empty() && (D.Params[0] == "self" || D.Params[0] == "cls");
      D.Unqualified = !D.ObjectOnly;
      if (D.ObjectOnly)
        D.Params.erase(D.Params.begin());
    }
    FnDefs->push_back(std::move(D));
  }
  return *FnDefs;
}

const Run::FnDef *Run::localFunction(const CallSite &Call) const {
  if (Call.IsNew || Call.Name.empty() || Call.ArgumentList.empty())
    return nullptr;
  llvm::StringRef Recv = Text.slice(Call.Receiver.Begin, Call.Receiver.End).trim();
  static const std::set<std::string> Self{"", "this", "self", "$this", "static", "@"};
  if (!Self.count(Recv.str()))
    return nullptr;
  // The callee is the name on the receiver itself, nothing between.
  llvm::StringRef Callee(Call.Callee);
  if (!Callee.endswith(Call.Name) ||
      Callee.drop_back(Call.Name.size()).drop_front(Recv.size()).trim().size() > 2)
    return nullptr;
  const FnDef *Found = nullptr;
  for (const FnDef &D : fnDefs())
    if (D.Name == Call.Name) {
      if (Found)
        return nullptr; // overloads, a name defined twice: which one is called is unclear
      Found = &D;
    }
  if (Found && ((Found->ObjectOnly && Recv.empty()) || (Found->Unqualified && !Recv.empty())))
    return nullptr;
  return Found;
}

int64_t Run::otherMention(const FnDef &D, llvm::ArrayRef<const CallSite *> Calls) const {
  for (size_t P = 0; (P = Text.find(D.Name, P)) != llvm::StringRef::npos; P += D.Name.size()) {
    bool Before = P == 0 || !isIdentChar(Text[P - 1]);
    bool After = P + D.Name.size() >= Text.size() || !isIdentChar(Text[P + D.Name.size()]);
    if (!Before || !After || P == D.NameBegin)
      continue;
    if (llvm::any_of(M.Strings, [&](const StringExpr &S) {
          return S.Range.Begin <= P && P < S.Range.End;
        }))
      continue;
    if (Tree) { // a comment ("# the client's own request method") is no use
      syntax::Node N = Tree->root().namedDescendantFor({static_cast<uint32_t>(P),
                                                        static_cast<uint32_t>(P + D.Name.size())});
      if (N && (N.isExtra() || N.kind().contains("comment")))
        continue;
    }
    if (llvm::any_of(Calls, [&](const CallSite *C) {
          return C->CalleeRange.Begin <= P && P < C->CalleeRange.End;
        }))
      continue;
    return static_cast<int64_t>(P);
  }
  return -1;
}

std::string Run::boundParameter(const CallSite &Call, const FnDef &D, size_t Arg) const {
  const auto &A = Call.Arguments[Arg];
  if (!A.Keyword.empty()) {
    llvm::StringRef K = llvm::StringRef(A.Keyword).trim().rtrim(':').ltrim(':');
    for (const std::string &P : D.Params)
      if (llvm::StringRef(P).ltrim('$') == K)
        return P;
    return "";
  }
  size_t Pos = 0;
  for (size_t I = 0; I < Arg; ++I)
    if (Call.Arguments[I].Keyword.empty())
      ++Pos;
  for (size_t I = 0; I < Pos && I < D.Params.size(); ++I)
    if (D.Params[I].empty())
      return ""; // after a splat: positions are unclear
  return Pos < D.Params.size() ? D.Params[Pos] : "";
}

std::pair<const CallSite *, const Idiom *> Run::throughWrapper(const CallSite &Call, size_t Arg,
                                                               int Depth, std::string &Why) const {
  const FnDef *D = localFunction(Call);
  if (!D)
    return {nullptr, nullptr};
  std::string Param = boundParameter(Call, *D, Arg);
  if (Param.empty()) {
    Why = fmt::format("it is sent through `{}(…)`, defined in this file, whose parameter for it "
                      "is unclear; give that request the OAuth header by hand",
                      Call.Callee);
    return {nullptr, nullptr};
  }
  Carrier In;
  In.Variable = Param;
  In.Scope = D->Scope;
  In.Range = {D->Scope.Begin, D->Scope.Begin};
  std::string InnerWhy;
  auto Found = requestFor(In, InnerWhy, Depth);
  if (!Found.first)
    Why = fmt::format("it is sent through `{}(…)`, defined in this file, and there `{}` "
                      "reaches no request this fix knows ({}); give that request the OAuth "
                      "header by hand",
                      Call.Callee, Param, InnerWhy);
  return Found;
}

std::vector<std::pair<const CallSite *, const Idiom *>>
Run::builderRequests(const Carrier &C, std::string &Why) const {
  std::vector<std::pair<const CallSite *, const Idiom *>> Out;
  const FnDef *D = nullptr;
  for (const FnDef &F : fnDefs())
    if (F.Scope == C.Scope)
      D = &F;
  if (!D)
    return Out;
  // The function hands the carrier back: `return params`, or the carrier is in the
  // returned expression (`return {"authtoken": t, …}`).
  bool Returns = false;
  llvm::StringRef Body = Text.slice(D->Scope.Begin, D->Scope.End);
  if (!C.Variable.empty()) {
    std::string V = re2::RE2::QuoteMeta(C.Variable);
    re2::RE2 Re("(?m)(?:^|[;{\\s])return\\s+" + V + "\\s*(?:;|$|\\})", re2::RE2::Quiet);
    Returns = Re.ok() && re2::RE2::PartialMatch(re2::StringPiece(Body.data(), Body.size()), Re);
    // Ruby: the method's last expression is its value (`query` on the line before `end`).
    if (!Returns && M.G == syntax::Grammar::Ruby) {
      llvm::StringRef B = Body.rtrim();
      if (B.endswith("end")) {
        B = B.drop_back(3).rtrim();
        size_t Nl = B.find_last_of('\n');
        Returns = Nl != llvm::StringRef::npos && B.drop_front(Nl + 1).trim() == C.Variable;
      }
    }
  } else {
    ByteRange St = M.statementAt(C.Range.Begin);
    Returns = !St.empty() && Text.slice(St.Begin, St.End).ltrim().startswith("return");
  }
  if (!Returns)
    return Out;
  const FnDef *Self = D;
  std::vector<const CallSite *> Uses;
  for (const CallSite &Call : M.Calls)
    if (localFunction(Call) == Self && !Self->Scope.contains(Call.Range))
      Uses.push_back(&Call);
  std::string Elsewhere = otherFileCalling(*Self);
  if (!Elsewhere.empty()) {
    Why = fmt::format("`{}` returns the parameters holding the token, and {} calls a function of "
                      "that name too: removing the token there could leave a request without "
                      "credentials; give the requests that use it the OAuth header by hand",
                      Self->Name, Elsewhere);
    return Out;
  }
  if (Uses.empty()) {
    bool Mentioned = mentions(Text.take_front(Self->Scope.Begin), Self->Name) ||
                     mentions(Text.drop_front(Self->Scope.End), Self->Name);
    Why = fmt::format("`{}` returns the parameters holding the token, and {} in this file; "
                      "give the requests that use it the OAuth header by hand",
                      Self->Name,
                      Mentioned ? "its uses are not calls this fix follows (a call without "
                                  "parentheses, a reference)"
                                : "no call of it was found");
    return Out;
  }
  int64_t Other = otherMention(*Self, Uses);
  if (Other >= 0) {
    Why = fmt::format("`{}` returns the parameters holding the token, and it is also used on "
                      "line {} otherwise than in a call this fix follows (a reference, a call "
                      "without parentheses); give the requests that use it the OAuth header by "
                      "hand",
                      Self->Name, lineNumber(Text, static_cast<size_t>(Other)));
    return Out;
  }
  std::vector<const CallSite *> AllWrapped;
  std::vector<std::pair<const CallSite *, const Idiom *>> AllAlso;
  for (const CallSite *U : Uses) {
    Carrier UC;
    UC.Range = U->Range;
    UC.Scope = U->Scope;
    UC.Call = callAround(U->Range);
    UC.Variable = assignedVariable(U->Range);
    if (UC.Variable.empty() && UC.Call)
      // A merge: `params.update(self._params())`, `Object.assign(opts, this.params())`,
      // `map.putAll(getParams())`: the merged map is followed from there.
      if (std::string Into = mergeTarget(*UC.Call, *U); !Into.empty()) {
        UC.Variable = Into;
        UC.Range = UC.Call->Range;
        UC.Call = nullptr;
      }
    std::string UWhy;
    auto Req = requestFor(UC, UWhy);
    if (!Req.first) {
      Out.clear();
      Why = fmt::format("`{}` returns the parameters holding the token, and its use `{}` on "
                        "line {} is not the URL or parameters of a request this fix knows ({}); "
                        "give the requests that use it the OAuth header by hand",
                        Self->Name, U->Callee, lineNumber(Text, U->Range.Begin), UWhy);
      Wrapped.clear();
      AlsoSentBy.clear();
      return Out;
    }
    AllWrapped.insert(AllWrapped.end(), Wrapped.begin(), Wrapped.end());
    AllAlso.insert(AllAlso.end(), AlsoSentBy.begin(), AlsoSentBy.end());
    if (llvm::none_of(Out, [&](const auto &X) { return X.first == Req.first; }))
      Out.push_back(Req);
  }
  Wrapped = AllWrapped;
  AlsoSentBy.clear();
  for (const auto &A : AllAlso)
    if (llvm::none_of(Out, [&](const auto &X) { return X.first == A.first; }) &&
        llvm::none_of(AlsoSentBy, [&](const auto &X) { return X.first == A.first; }))
      AlsoSentBy.push_back(A);
  return Out;
}

std::string Run::otherFileCalling(const FnDef &D) const {
  llvm::StringRef Head = Text.slice(D.Scope.Begin, D.Scope.End);
  Head = Head.take_front(Head.find(D.Name));
  if (mentions(Head, "private"))
    return "";
  auto Cached = OtherFileCalling.find(D.Name);
  if (Cached != OtherFileCalling.end())
    return Cached->second;
  std::string &Out = OtherFileCalling[D.Name];
  re2::RE2 Call("(?:^|[^\\w$])" + re2::RE2::QuoteMeta(D.Name) + "\\s*\\(", re2::RE2::Quiet);
  std::string N = re2::RE2::QuoteMeta(D.Name);
  re2::RE2 Defines("(?m)\\b(?:def|function|func|sub)\\s+&?(?:self\\.)?" + N + "\\b|\\b" + N +
                       "\\s*[:=]\\s*(?:async\\s+)?function\\b|['\"]" + N +
                       "['\"]\\s*,\\s*value\\s*:|^\\s*(?:(?:public|private|protected|internal|"
                       "static|async|virtual|override|final|abstract)\\s+)*(?:[\\w<>\\[\\],.?]+\\s+)?" +
                       N + "\\s*\\([^;{)]*\\)\\s*(?:throws\\s+[\\w.,\\s]+)?\\{",
                   re2::RE2::Quiet);
  Out = otherFileMatching(Call, &Defines);
  return Out;
}

ByteRange Run::classAround(ByteRange At) const {
  ByteRange File{0, static_cast<uint32_t>(Text.size())};
  if (!Tree)
    return File;
  static const std::set<std::string> Kinds{"class_definition", "class_declaration", "class",
                                           "trait_declaration", "module", "struct_declaration",
                                           "record_declaration"};
  for (syntax::Node N = Tree->root().namedDescendantFor(At); N; N = N.parent())
    if (Kinds.count(N.kind().str()))
      return N.range();
  return File;
}

llvm::StringRef Rest0(llvm::StringRef Text, size_t E) { return Text.drop_front(E).ltrim(" \t"); }

std::string Run::classField(const Carrier &C) const {
  if ((M.G != syntax::Grammar::Java && M.G != syntax::Grammar::CSharp) || !Tree)
    return "";
  llvm::StringRef V(C.Variable);
  bool This = V.consume_front("this.");
  if (V.empty() || !llvm::all_of(V, [](char Ch) { return isIdentChar(Ch) && Ch != '$'; }))
    return "";
  ByteRange Cls = classAround(C.Range);
  if (Cls.Begin == 0 && Cls.End == Text.size())
    return "";
  if (!This)
    for (const FnDef &D : fnDefs())
      if (D.Scope.contains(C.Range) && llvm::is_contained(D.Params, V.str()))
        return ""; // a parameter
  bool Field = false;
  std::vector<syntax::Node> Work{Tree->root().namedDescendantFor(Cls)};
  for (size_t Seen = 0; !Work.empty() && Seen < 200000; ++Seen) {
    syntax::Node N = Work.back();
    Work.pop_back();
    for (syntax::Node K : N.namedChildren(true))
      Work.push_back(K);
    if (N.kind() != "variable_declarator")
      continue;
    syntax::Node Name = N.field("name");
    if (!Name)
      Name = N.namedChild(0);
    if (!Name || Name.text() != V)
      continue;
    bool InField = false;
    for (syntax::Node Up = N.parent(); Up && !InField; Up = Up.parent()) {
      if (Up.kind() == "field_declaration")
        InField = true;
      if (Up.range() == Cls)
        break;
    }
    if (InField)
      Field = true;
    else if (!This && llvm::any_of(fnDefs(), [&](const FnDef &D) {
               return D.Scope.contains(N.range()) && D.Scope.contains(C.Range);
             }))
      return ""; // a local of the carrier's method
  }
  return Field ? V.str() : "";
}

std::pair<const CallSite *, const Idiom *> Run::memberRequests(const Carrier &C, llvm::StringRef Var,
                                                               std::string &Why) const {
  MemberNote.clear();
  bool Bare = !objectMember(Var); // a Java/C# field, used as `url` or `this.url`
  ByteRange Cls = classAround(C.Range);
  // The statement that defines it (`self.params = {"authtoken": t, …}`) is no use.
  ByteRange Def = C.Range;
  for (const auto &A : M.Assignments)
    if (A.Target == C.Variable && (A.Value.contains(C.Range) || A.Range.contains(C.Range)))
      Def = A.Statement.empty() ? A.Range : A.Statement;
  ByteRange St = M.statementAt(C.Range.Begin);
  if (!St.empty() && St.contains(C.Range) && St.contains(Def))
    Def = St;
  if (Bare && Tree) // `private static final String URL = "…?authtoken=" + T;`
    for (syntax::Node N = Tree->root().namedDescendantFor(C.Range); N; N = N.parent())
      if (N.kind() == "field_declaration") {
        Def = N.range();
        break;
      }
  std::vector<std::pair<const CallSite *, const Idiom *>> Found;
  auto Fail = [&](size_t P, const std::string &What) -> std::pair<const CallSite *, const Idiom *> {
    Why = fmt::format("`{}` holds the token for its whole class, and its use on line {} {}: "
                      "removing the token there could leave a request without credentials; "
                      "give the requests that use it the OAuth header by hand",
                      Var, lineNumber(Text, P), What);
    Wrapped.clear();
    AlsoSentBy.clear();
    return {nullptr, nullptr};
  };
  for (size_t P = Text.find(Var, Cls.Begin); P != llvm::StringRef::npos && P < Cls.End;
       P = Text.find(Var, P + Var.size())) {
    size_t E = P + Var.size();
    char Prev = P == 0 ? ' ' : Text[P - 1];
    if (Bare && Prev == '.') { // `this.url`
      llvm::StringRef Before = Text.take_front(P - 1).rtrim();
      if (Before.endswith("this") &&
          (Before.size() == 4 || !isIdentChar(Before[Before.size() - 5])))
        Prev = ' ';
    }
    if (isIdentChar(Prev) || Prev == '.' || Prev == '>' || Prev == ':' ||
        (E < Text.size() && isIdentChar(Text[E])))
      continue;
    if (Def.Begin <= P && P < Def.End)
      continue;
    ByteRange Use{static_cast<uint32_t>(P), static_cast<uint32_t>(E)};
    if (Tree) { // a comment ("# self.params holds the token") is no use
      syntax::Node N = Tree->root().namedDescendantFor(Use);
      if (N && (N.isExtra() || N.kind().contains("comment")))
        continue;
    }
    if (Bare && Tree && (Rest0(Text, E).startswith(";") || Rest0(Text, E).startswith(","))) {
      bool Declared = false; // `private final String url;`: declared, set in the constructor
      for (syntax::Node N = Tree->root().namedDescendantFor(Use); N && !Declared; N = N.parent())
        Declared = N.kind() == "field_declaration";
      if (Declared)
        continue;
    }
    // In a string it is interpolated (PHP "{$this->p}", Ruby "#{@p}", f"{self.p}"): a use
    // this does not follow.
    if (llvm::any_of(M.Strings, [&](const StringExpr &S) { return S.Range.contains(Use); }))
      return Fail(P, "is inside a string");
    llvm::StringRef Rest = Text.drop_front(E).ltrim(" \t");
    if (Rest.startswith("[")) {
      // `$this->params['organization_id'] = $id;`, `self.params["page"] = 2`: another entry
      // written, nothing read.
      size_t Close = Rest.find(']');
      llvm::StringRef After =
          Close == llvm::StringRef::npos ? "" : Rest.drop_front(Close + 1).ltrim(" \t");
      if (Close != llvm::StringRef::npos && !Rest.take_front(Close).contains('\n') &&
          After.startswith("=") && !After.startswith("==") && !After.startswith("=>"))
        continue;
    }
    {
      // Entries added by a statement of its own: `self.params.update(page=2)`,
      // `params.put("organization_id", id);`, `Params.Add("page", "1");`.
      llvm::StringRef Method = Rest.drop_front(Rest.startswith(".") ? 1 : 0);
      bool Adds = Rest.startswith(".") &&
                  (M.G == syntax::Grammar::Python ? Method.startswith("update(")
                   : Bare ? Method.startswith("put(") || Method.startswith("add(") ||
                                Method.startswith("Add(")
                          : false);
      ByteRange UseSt = M.statementAt(P);
      llvm::StringRef Head = Text.slice(UseSt.Begin, P).trim();
      if (Adds && !UseSt.empty() && (Head.empty() || Head == "this." || Head == "self."))
        continue;
    }
    if (Rest.startswith("[") || Rest.startswith(".") || Rest.startswith("->") ||
        Rest.startswith("(") || Rest.startswith("::"))
      return Fail(P, "reads it or calls a method of it (`" +
                         Text.slice(P, std::min(Text.size(), E + 12)).split('\n').first.str() +
                         "…`)");
    if (Rest.startswith("=") && !Rest.startswith("==") && !Rest.startswith("=>")) {
      // An initialisation before the token goes in, in the same function
      // (`$this->params = []; $this->params['authtoken'] = $t;`).
      if (P < C.Range.Begin) {
        bool SameScope = false;
        for (const auto &A : M.Assignments)
          if (A.Target == C.Variable && A.Range.contains(Use) && A.Scope == C.Scope)
            SameScope = true;
        if (SameScope)
          continue;
      }
      return Fail(P, "assigns it again");
    }
    const CallSite *Call = callAround(Use);
    if (!Call)
      return Fail(P, "is not an argument of a request");
    std::string Unknown, WrapperWhy;
    std::pair<const CallSite *, const Idiom *> Req{nullptr, nullptr};
    bool Formatted = false;
    // `string.Format(GetHolidaysUrl, Token, user)`: the formatted URL is followed.
    for (const auto &A : Call->Arguments) {
      llvm::StringRef AV = Text.slice(A.Value.Begin, A.Value.End).trim();
      if (!A.Value.contains(Use) || !(AV == Var || AV == ("this." + Var).str()))
        continue;
      auto U = formatCallOf(A.Value);
      if (!U || U->Call != Call)
        continue;
      std::string FormatWhy;
      Formatted = true;
      Req = throughFormat(C, *U, 1, FormatWhy);
      if (!Req.first)
        return Fail(P, "is in `" + Call->Callee + "(…)`: " + FormatWhy);
    }
    if (!Formatted && formatLike(*Call) &&
        (Call->Receiver.contains(Use) ||
         (!Call->Arguments.empty() && Call->Arguments[0].Value.contains(Use))))
      return Fail(P, "is in `" + Call->Callee + "(…)`, a format or replace call this fix does "
                     "not edit (its arguments would no longer match)");
    if (!Formatted)
      Req = requestAround(Call, &Unknown);
    if (!Req.first && localFunction(*Call))
      for (size_t A = 0; A < Call->Arguments.size() && !Req.first; ++A)
        if (Call->Arguments[A].Value.contains(Use) &&
            Text.slice(Call->Arguments[A].Value.Begin, Call->Arguments[A].Value.End).trim() == Var) {
          Req = throughWrapper(*Call, A, 1, WrapperWhy);
          if (Req.first)
            Wrapped.push_back(Call);
        }
    if (!Req.first)
      return Fail(P, WrapperWhy.empty()
                         ? "is in `" + Call->Callee + "(…)`, which is not a request this fix knows" +
                               [&] {
                                 bool InRepo = false;
                                 std::string W = transportWhere(*Call, InRepo);
                                 return W.empty() ? W : " (" + W + ")";
                               }()
                         : "is in `" + Call->Callee + "(…)`: " + WrapperWhy);
    if (llvm::none_of(Found, [&](const auto &X) { return X.first == Req.first; }))
      Found.push_back(Req);
  }
  // The same member through another name of the object (`const self = this; self.params`,
  // `cls.params`, `$that->params`): a use this does not follow.
  if (!Bare && M.G != syntax::Grammar::Ruby) {
    llvm::StringRef Prefix = M.G == syntax::Grammar::PHP ? "->" : ".";
    llvm::StringRef Short = Var.substr(Var.find(Prefix) + Prefix.size());
    std::string Dotted = (Prefix + Short).str();
    for (size_t P = Text.find(Dotted, Cls.Begin); P != llvm::StringRef::npos && P < Cls.End;
         P = Text.find(Dotted, P + Dotted.size())) {
      size_t E = P + Dotted.size();
      if (E < Text.size() && isIdentChar(Text[E]))
        continue;
      size_t Obj = P;
      while (Obj > 0 && isIdentChar(Text[Obj - 1]))
        --Obj;
      if (Text.slice(Obj, E) == Var || Obj == P)
        continue;
      if (Obj > 0 && (Text[Obj - 1] == '.' || Text[Obj - 1] == '>'))
        continue; // `res.data.params`: a member of something else
      ByteRange Use{static_cast<uint32_t>(Obj), static_cast<uint32_t>(E)};
      if (llvm::any_of(M.Strings, [&](const StringExpr &S) { return S.Range.contains(Use); }))
        continue;
      if (Tree) {
        syntax::Node N = Tree->root().namedDescendantFor(Use);
        if (N && (N.isExtra() || N.kind().contains("comment")))
          continue;
      }
      llvm::StringRef Other = Text.slice(Obj, P);
      // An alias is a name assigned the object (`var self = this;`, `$that = $this;`), or
      // Python's `cls`; another object's member of that name (`options.params`) is not.
      bool Alias = M.G == syntax::Grammar::Python && Other == "cls";
      for (const auto &A : M.Assignments)
        if (!Alias && A.Target == Other && Cls.contains(A.Range)) {
          llvm::StringRef V = Text.slice(A.Value.Begin, A.Value.End).trim();
          Alias = V == "this" || V == "self" || V == "$this";
        }
      if (!Alias)
        continue;
      return Fail(Obj, "reaches it through `" + Other.str() + "`, another name of the object");
    }
  }
  // A subclass or another class of the repository may use the member too.
  llvm::StringRef Name = Var;
  bool Private = false;
  std::string Pattern;
  if (Bare) {
    // A subclass in another file may use a field that is not private.
    llvm::StringRef DefText = Text.slice(Def.Begin, Def.End);
    Private = mentions(DefText.take_front(DefText.find(Name)), "private");
    if (!Private && Tree) {
      std::string Decl = "\\bprivate\\b[^;=(){}]*\\b" + re2::RE2::QuoteMeta(Name.str()) + "\\s*[;=,]";
      re2::RE2 DeclRe(Decl, re2::RE2::Quiet);
      llvm::StringRef Body = Text.slice(Cls.Begin, Cls.End);
      Private = DeclRe.ok() && re2::RE2::PartialMatch(re2::StringPiece(Body.data(), Body.size()), DeclRe);
    }
    Pattern = "\\b" + re2::RE2::QuoteMeta(Name.str()) + "\\b";
  } else if (M.G == syntax::Grammar::PHP) {
    Name.consume_front("$this->");
    re2::RE2 Decl("\\bprivate\\s+(?:static\\s+)?(?:\\??[\\w\\\\]+\\s+)?\\$" +
                      re2::RE2::QuoteMeta(Name.str()) + "\\b",
                  re2::RE2::Quiet);
    llvm::StringRef Body = Text.slice(Cls.Begin, Cls.End);
    Private = re2::RE2::PartialMatch(re2::StringPiece(Body.data(), Body.size()), Decl);
    Pattern = "\\$this->" + re2::RE2::QuoteMeta(Name.str()) + "\\b";
  } else if (M.G == syntax::Grammar::Ruby) {
    Name.consume_front("@");
    Pattern = "@" + re2::RE2::QuoteMeta(Name.str()) + "\\b";
  } else {
    Name = Name.substr(Name.find('.') + 1);
    Private = M.G == syntax::Grammar::Python && Name.startswith("__") && !Name.endswith("__");
    // A subclass sends it through its own object: `self.x`, `this.x`.
    Pattern = std::string(M.G == syntax::Grammar::Python ? "\\bself" : "\\bthis") + "\\." +
              re2::RE2::QuoteMeta(Name.str()) + "\\b";
  }
  if (!Private) {
    re2::RE2 Re(Pattern, re2::RE2::Quiet);
    std::string Other = Re.ok() ? otherFileMatching(Re) : "";
    if (!Other.empty()) {
      Why = fmt::format("`{}` holds the token for its whole class, and {} uses a member named "
                        "`{}` too (a subclass may send it): removing the token here could leave "
                        "a request without credentials; give the requests that use it the OAuth "
                        "header by hand",
                        Var, Other, Name);
      Wrapped.clear();
      AlsoSentBy.clear();
      return {nullptr, nullptr};
    }
  }
  if (Found.empty()) {
    Why = "no request passing `" + C.Variable + "` was found in its class";
    return {nullptr, nullptr};
  }
  for (size_t I = 1; I < Found.size(); ++I)
    if (llvm::none_of(AlsoSentBy, [&](const auto &X) { return X.first == Found[I].first; }))
      AlsoSentBy.push_back(Found[I]);
  llvm::erase_if(AlsoSentBy, [&](const auto &X) { return X.first == Found.front().first; });
  size_t N = 1 + AlsoSentBy.size();
  MemberNote = N == 1 ? fmt::format("; `{}` is sent by this request only", Var)
                      : fmt::format("; `{}` is sent by {} requests of its class, each gets the "
                                    "header in this patch",
                                    Var, N);
  return Found.front();
}

// -- URL templates filled by a format call (issues 12/13) -------------------------------

bool Run::formatLike(const CallSite &Call) const {
  static const std::set<std::string> Names{
      "sprintf",  "vsprintf", "printf",     "Sprintf",  "format",  "Format",   "formatted",
      "str_replace", "str_ireplace", "strtr", "replace", "Replace", "replaceAll", "gsub",
      "sub",      "interpolate", "Join",    "join",     "expand",  "expandTemplate"};
  return Names.count(Call.Name) > 0;
}

std::optional<Run::FormatUse> Run::formatCallOf(ByteRange Tpl) const {
  for (const CallSite &Call : M.Calls) {
    llvm::StringRef Callee(Call.Callee);
    FormatUse U;
    U.Call = &Call;
    if (Call.Receiver == Tpl && !Call.ArgumentList.empty()) {
      // `"…{}".format(t)` (Python), `"…%s".format(t)` (Kotlin, Scala), `"…%s".formatted(t)`.
      if (Call.Name == "format" && M.G == syntax::Grammar::Python)
        U.Style = FormatUse::Python;
      else if ((Call.Name == "replace" || Call.Name == "Replace") && Call.Arguments.size() == 2 &&
               (ecma() || M.G == syntax::Grammar::Python || M.G == syntax::Grammar::Java ||
                M.G == syntax::Grammar::CSharp)) {
        // `TPL.replace('{token}', t).replace('{user}', u)`: a chain of literal replaces.
        U.Style = FormatUse::Replace;
        U.Outer = &Call;
        for (bool Up = true; Up;) {
          Up = false;
          for (const CallSite &O : M.Calls)
            if (O.Receiver == U.Outer->Range && (O.Name == "replace" || O.Name == "Replace") &&
                O.Arguments.size() == 2) {
              U.Outer = &O;
              Up = true;
              break;
            }
        }
      }
      else if ((Call.Name == "format" &&
                (M.G == syntax::Grammar::Kotlin || M.G == syntax::Grammar::Scala)) ||
               (Call.Name == "formatted" && M.G == syntax::Grammar::Java))
        U.Style = FormatUse::Printf;
      else
        continue;
      U.Template = llvm::StringRef::npos;
      return U;
    }
    size_t At = llvm::StringRef::npos;
    for (size_t A = 0; A < Call.Arguments.size() && A < 2; ++A)
      if (Call.Arguments[A].Value == Tpl && Call.Arguments[A].Keyword.empty())
        At = A;
    if (At == llvm::StringRef::npos)
      continue;
    if (At == 1 && llvm::StringRef(Call.Arguments[0].Kind).contains("string"))
      continue; // the template is the first argument; this one is filled in
    bool Known = false;
    if (M.G == syntax::Grammar::CSharp && Call.Name == "Format" &&
        (Callee.equals_insensitive("string.Format") || Callee == "System.String.Format")) {
      U.Style = FormatUse::Indexed; // a provider may come first
      Known = true;
    } else if (M.G == syntax::Grammar::Java &&
               (Callee == "String.format" || Callee == "java.lang.String.format")) {
      U.Style = FormatUse::Printf; // a Locale may come first
      Known = true;
    } else if (M.G == syntax::Grammar::Java && At == 0 &&
               (Callee == "MessageFormat.format" || Callee == "java.text.MessageFormat.format")) {
      U.Style = FormatUse::Indexed;
      Known = true;
    } else if (M.G == syntax::Grammar::PHP && At == 0 && Callee.equals_insensitive("sprintf")) {
      U.Style = FormatUse::Printf;
      Known = true;
    } else if (ecma() && At == 0 && Callee == "util.format" &&
               (moduleOf("util") == "util" || moduleOf("util") == "node:util")) {
      U.Style = FormatUse::Printf;
      Known = true;
    } else if (M.G == syntax::Grammar::Ruby && At == 0 &&
               (Callee == "format" || Callee == "sprintf" || Callee == "Kernel.format")) {
      U.Style = FormatUse::Printf;
      Known = true;
    }
    if (!Known)
      continue;
    U.Template = At;
    return U;
  }
  return std::nullopt;
}

bool Run::formatArgumentEdits(const FormatUse &U, const StringExpr &Tpl,
                              llvm::ArrayRef<TextEdit> TplRemoval, std::vector<TextEdit> &Out,
                              std::string &Why) const {
  const CallSite &Call = *U.Call;
  auto Refuse = [&](const std::string &What) {
    Why = fmt::format("the URL template is filled by `{}(…)` on line {}, and {}: dropping the "
                      "token's argument there is not safe; give the request the OAuth header "
                      "by hand",
                      formatCallee(Call), lineNumber(Text, Call.Range.Begin), What);
    return false;
  };
  if (U.Style == FormatUse::Replace) {
    // The link whose literal is the removed placeholder goes; the others stay.
    const CallSite *Link = nullptr;
    std::string Placeholder;
    for (const CallSite *L = &Call; L;) {
      bool Ok = false;
      std::string Lit = literalAt(L->Arguments[0].Value, Ok);
      if (!Ok || Lit.empty())
        return Refuse("a replaced text is not a literal");
      // Where the template holds it.
      size_t N = 0, InRemoval = 0;
      for (const StringPiece &P : Tpl.Pieces) {
        llvm::StringRef Raw = Text.slice(P.Range.Begin, P.Range.End);
        for (size_t F = Raw.find(Lit); F != llvm::StringRef::npos; F = Raw.find(Lit, F + 1)) {
          ++N;
          size_t B = P.Range.Begin + F, E = B + Lit.size();
          for (const TextEdit &X : TplRemoval)
            if (X.Text.empty() && X.Offset <= B && E <= X.Offset + X.Length)
              ++InRemoval;
        }
      }
      if (InRemoval > 0) {
        if (N != 1 || Link)
          return Refuse("the token's placeholder `" + Lit + "` is also elsewhere in the template");
        Link = L;
        Placeholder = Lit;
      }
      const CallSite *Next = nullptr;
      if (L != U.Outer)
        for (const CallSite &O : M.Calls)
          if (O.Receiver == L->Range && (O.Name == "replace" || O.Name == "Replace"))
            Next = &O;
      L = Next;
    }
    if (!Link)
      return true; // the value is literal in the template
    llvm::StringRef V = Text.slice(Link->Arguments[1].Value.Begin, Link->Arguments[1].Value.End).trim();
    size_t NB = V.size();
    while (NB > 0 && isIdentChar(V[NB - 1]))
      --NB;
    llvm::StringRef Last = V.drop_front(NB);
    for (const CallSite *L = &Call; L; ) {
      if (L != Link && !Last.empty() && mentionsInCode(L->Arguments[1].Value, Last))
        return Refuse("another replace uses `" + V.str() + "` too");
      const CallSite *Next = nullptr;
      if (L != U.Outer)
        for (const CallSite &O : M.Calls)
          if (O.Receiver == L->Range && (O.Name == "replace" || O.Name == "Replace"))
            Next = &O;
      L = Next;
    }
    // `X.replace('{token}', t)` -> `X`: from the end of its receiver to its end.
    TextEdit E;
    E.Offset = Link->Receiver.End;
    E.Length = Link->Range.End - Link->Receiver.End;
    Out.push_back(E);
    return true;
  }
  // What the removal cuts from the template holds no placeholder (`?authtoken={$t}&` in a
  // PHP sprintf template): every argument still fills the placeholder it filled.
  bool Cuts = false;
  for (const TextEdit &E : TplRemoval)
    if (E.Text.empty() && E.Offset + E.Length <= Text.size())
      Cuts = Cuts || Text.substr(E.Offset, E.Length)
                         .contains(U.Style == FormatUse::Printf ? '%' : '{');
  if (!Cuts)
    return true;
  if (!Tpl.isConstant())
    return Refuse("the template is not one literal (a value inside it may hold placeholders)");
  struct Ph {
    size_t Begin, End; ///< the placeholder
    size_t NumBegin = 0, NumEnd = 0; ///< its explicit index, if any
    int Index = -1; ///< explicit index; -1: the next argument (auto)
    std::string Name; ///< Python: a keyword field
  };
  std::vector<Ph> Phs;
  for (const StringPiece &P : Tpl.Pieces) {
    llvm::StringRef Raw = Text.slice(P.Range.Begin, P.Range.End);
    for (size_t I = 0; I < Raw.size(); ++I) {
      char Ch = Raw[I];
      size_t Abs = P.Range.Begin + I;
      if (U.Style == FormatUse::Printf) {
        if (Ch != '%')
          continue;
        if (I + 1 < Raw.size() && Raw[I + 1] == '%') {
          ++I;
          continue;
        }
        size_t J = I + 1;
        size_t D = J;
        while (D < Raw.size() && llvm::isDigit(Raw[D]))
          ++D;
        if (D > J && D < Raw.size() && Raw[D] == '$')
          return Refuse("its placeholders name their arguments by position (`%1$s`)");
        while (J < Raw.size() && llvm::StringRef("-+ 0#'").contains(Raw[J]))
          J += Raw[J] == '\'' ? 2 : 1; // PHP: `%'*10s` pads with `*`
        while (J < Raw.size() && (llvm::isDigit(Raw[J]) || Raw[J] == '.'))
          ++J;
        if (J < Raw.size() && Raw[J] == '*')
          return Refuse("a placeholder takes its width from an argument (`%*s`)");
        while (J < Raw.size() && llvm::StringRef("hlLqjzt").contains(Raw[J]))
          ++J;
        if (J >= Raw.size() || !llvm::isAlpha(Raw[J]))
          return Refuse("a `%` in the template is not a placeholder this fix reads");
        Phs.push_back({Abs, P.Range.Begin + J + 1});
        I = J;
        continue;
      }
      if (Ch == '}' && I + 1 < Raw.size() && Raw[I + 1] == '}') {
        ++I;
        continue;
      }
      if (Ch != '{')
        continue;
      if (I + 1 < Raw.size() && Raw[I + 1] == '{') {
        ++I;
        continue;
      }
      size_t Close = Raw.find('}', I);
      if (Close == llvm::StringRef::npos)
        return Refuse("a `{` in the template is not closed");
      llvm::StringRef Field = Raw.slice(I + 1, Close);
      if (Field.contains('{'))
        return Refuse("a placeholder nests another one");
      size_t FieldEnd = Field.find_first_of(U.Style == FormatUse::Python ? "!:[." : ",:");
      llvm::StringRef Name = Field.take_front(FieldEnd).trim();
      Ph X{Abs, P.Range.Begin + Close + 1};
      if (!Name.empty() && llvm::all_of(Name, [](char C) { return llvm::isDigit(C); })) {
        X.Index = std::stoi(Name.str());
        X.NumBegin = Abs + 1 + (Field.size() - Field.ltrim().size());
        X.NumEnd = X.NumBegin + Name.size();
      } else if (U.Style == FormatUse::Indexed) {
        return Refuse("a placeholder `{" + Field.str() + "}` is not an argument index");
      } else if (!Name.empty()) {
        X.Name = Name.str();
      }
      Phs.push_back(X);
      I = Close;
    }
  }
  auto Removed = [&](const Ph &X) {
    for (const TextEdit &E : TplRemoval)
      if (E.Text.empty() && E.Offset <= X.Begin && X.End <= E.Offset + E.Length)
        return true;
    return false;
  };
  // The arguments after the template (Python, Kotlin: all of them).
  std::vector<const syntax::Argument *> Positional;
  std::map<std::string, const syntax::Argument *> Named;
  size_t First = U.Template == llvm::StringRef::npos ? 0 : U.Template + 1;
  for (size_t A = First; A < Call.Arguments.size(); ++A) {
    const syntax::Argument &Arg = Call.Arguments[A];
    llvm::StringRef V = Text.slice(Arg.Range.Begin, Arg.Range.End).trim();
    if (V.startswith("*") || V.startswith("...") || llvm::StringRef(Arg.Kind).contains("splat") ||
        llvm::StringRef(Arg.Kind).contains("spread"))
      return Refuse("its arguments are spread from a list");
    if (!Arg.Keyword.empty())
      Named[Arg.Keyword] = &Arg;
    else if (!Named.empty())
      return Refuse("its arguments are not in a form this fix reads");
    else
      Positional.push_back(&Arg);
  }
  // Which argument each placeholder reads.
  bool Auto = false, Explicit = false;
  for (const Ph &X : Phs)
    (X.Index >= 0 ? Explicit : (X.Name.empty() ? Auto : Explicit)) = true;
  if (U.Style == FormatUse::Python && Auto && llvm::any_of(Phs, [](const Ph &X) { return X.Index >= 0; }))
    return Refuse("its placeholders mix `{}` and `{0}`");
  size_t Needed = 0;
  std::vector<int> ArgOf(Phs.size(), -1); // positional argument index, or -1 for a name
  {
    int Next = 0;
    for (size_t I = 0; I < Phs.size(); ++I) {
      if (U.Style == FormatUse::Printf || (Phs[I].Index < 0 && Phs[I].Name.empty()))
        ArgOf[I] = Next++;
      else if (Phs[I].Index >= 0)
        ArgOf[I] = Phs[I].Index;
      if (ArgOf[I] >= 0)
        Needed = std::max(Needed, static_cast<size_t>(ArgOf[I]) + 1);
      else if (!Named.count(Phs[I].Name))
        return Refuse("the placeholder `{" + Phs[I].Name + "}` has no argument of that name");
    }
  }
  if (Needed != Positional.size())
    return Refuse(fmt::format("its {} placeholder argument(s) do not match its {} argument(s)",
                              Needed, Positional.size()));
  std::vector<size_t> Gone;
  for (size_t I = 0; I < Phs.size(); ++I)
    if (Removed(Phs[I]))
      Gone.push_back(I);
  if (Gone.empty())
    return true; // the value is literal in the template: no argument fills it
  if (Gone.size() > 1)
    return Refuse("the removed part of the template holds more than one placeholder");
  const Ph &G = Phs[Gone[0]];
  const syntax::Argument *Arg =
      ArgOf[Gone[0]] >= 0 ? Positional[ArgOf[Gone[0]]] : Named[G.Name];
  for (size_t I = 0; I < Phs.size(); ++I)
    if (I != Gone[0] && ArgOf[I] == ArgOf[Gone[0]] && (ArgOf[I] >= 0 || Phs[I].Name == G.Name))
      return Refuse("the token's argument fills another placeholder too");
  // Another argument computed from the token (`t, sign(t)`): it would still be sent.
  llvm::StringRef V = Text.slice(Arg->Value.Begin, Arg->Value.End).trim();
  size_t NameBegin = V.size();
  while (NameBegin > 0 && isIdentChar(V[NameBegin - 1]))
    --NameBegin;
  llvm::StringRef Last = V.drop_front(NameBegin);
  if (!Last.empty())
    for (const syntax::Argument &O : Call.Arguments)
      if (&O != Arg && static_cast<size_t>(&O - Call.Arguments.data()) >= First &&
          mentionsInCode(O.Value, Last))
        return Refuse("another of its arguments uses `" + V.str() + "` too");
  Out.push_back(removeListElement(Text, Arg->Range.Begin, Arg->Range.End));
  // Indexed placeholders after the removed one move down.
  if (G.Index >= 0 || U.Style == FormatUse::Indexed)
    for (size_t I = 0; I < Phs.size(); ++I)
      if (I != Gone[0] && Phs[I].Index > G.Index && !Removed(Phs[I])) {
        TextEdit E;
        E.Offset = Phs[I].NumBegin;
        E.Length = Phs[I].NumEnd - Phs[I].NumBegin;
        E.Text = std::to_string(Phs[I].Index - 1);
        Out.push_back(E);
      }
  return true;
}

std::pair<const CallSite *, const Idiom *> Run::throughFormat(const Carrier &C, const FormatUse &U,
                                                              int Depth, std::string &Why) const {
  const StringExpr *Tpl = templateOf(C);
  if (!Tpl) {
    Why = fmt::format("the URL template is filled by `{}(…)` on line {}, in a form this fix does "
                      "not read; give the request the OAuth header by hand",
                      formatCallee(*U.Call), lineNumber(Text, U.Call->Range.Begin));
    return {nullptr, nullptr};
  }
  std::vector<TextEdit> Edits;
  if (!formatArgumentEdits(U, *Tpl, C.Removal, Edits, Why))
    return {nullptr, nullptr};
  Carrier FC;
  FC.Kind = Carrier::Url;
  FC.Range = U.Outer ? U.Outer->Range : U.Call->Range;
  FC.Scope = U.Call->Scope;
  FC.Call = callAround(FC.Range);
  FC.Variable = assignedVariable(FC.Range);
  if (extendedWithAmpersand(FC.Variable, FC.Range.End, FC.Scope)) {
    Why = fmt::format("the URL `{}` formatted on line {} is extended with `&…` later, and its "
                      "template would lose its `?`; give the request the OAuth header by hand",
                      FC.Variable, lineNumber(Text, U.Call->Range.Begin));
    return {nullptr, nullptr};
  }
  std::string InnerWhy;
  auto Req = requestFor(FC, InnerWhy, std::max(Depth, 1));
  if (!Req.first) {
    Why = fmt::format("the URL template is filled by `{}(…)` on line {}, and the result reaches "
                      "no request this fix knows ({})",
                      formatCallee(*U.Call), lineNumber(Text, U.Call->Range.Begin), InnerWhy);
    return Req;
  }
  FormatEdits.insert(FormatEdits.end(), Edits.begin(), Edits.end());
  return Req;
}

std::pair<const CallSite *, const Idiom *>
Run::formatOfVariable(const Carrier &C, int Depth, bool &Handled, std::string &Why) const {
  Handled = false;
  llvm::StringRef Var(C.Variable);
  if (Var.empty() || C.Kind != Carrier::Url || M.G == syntax::Grammar::Go || !templateOf(C))
    return {nullptr, nullptr};
  // The mentions of the variable after the template in its function.
  std::vector<const CallSite *> Formats, Unknown;
  for (const CallSite &Call : M.Calls) {
    if (Call.Range.Begin < C.Range.End || Call.Scope != C.Scope || !formatLike(Call))
      continue;
    bool Uses = false;
    for (const auto &A : Call.Arguments)
      Uses = Uses || Text.slice(A.Value.Begin, A.Value.End).trim() == Var;
    Uses = Uses || Text.slice(Call.Receiver.Begin, Call.Receiver.End).trim() == Var;
    if (!Uses)
      continue;
    std::optional<FormatUse> U;
    for (const auto &A : Call.Arguments)
      if (Text.slice(A.Value.Begin, A.Value.End).trim() == Var)
        if (auto X = formatCallOf(A.Value); X && X->Call == &Call)
          U = X;
    if (!U && !Call.Receiver.empty())
      if (auto X = formatCallOf(Call.Receiver); X && X->Call == &Call)
        U = X;
    (U ? Formats : Unknown).push_back(&Call);
  }
  if (Formats.empty() && Unknown.empty())
    return {nullptr, nullptr};
  Handled = true;
  if (!Unknown.empty()) {
    Why = fmt::format("the URL template `{}` is filled by `{}(…)` on line {}, a format or "
                      "replace call this fix does not edit (its arguments would no longer "
                      "match); give the request the OAuth header by hand",
                      Var, Unknown.front()->Callee, lineNumber(Text, Unknown.front()->Range.Begin));
    return {nullptr, nullptr};
  }
  if (Formats.size() > 1) {
    Why = fmt::format("the URL template `{}` is filled by {} format calls (lines {} and {}); "
                      "give the requests the OAuth header by hand",
                      Var, Formats.size(), lineNumber(Text, Formats[0]->Range.Begin),
                      lineNumber(Text, Formats[1]->Range.Begin));
    return {nullptr, nullptr};
  }
  // Any other mention of the template in its function: not followed.
  llvm::StringRef Body = Text.slice(C.Range.End, C.Scope.End);
  for (size_t P = Body.find(Var); P != llvm::StringRef::npos; P = Body.find(Var, P + Var.size())) {
    size_t Abs = C.Range.End + P;
    bool Whole = (Abs == 0 || !isIdentChar(Text[Abs - 1])) &&
                 (Abs + Var.size() >= Text.size() || !isIdentChar(Text[Abs + Var.size()]));
    if (!Whole || Formats[0]->Range.contains(ByteRange{static_cast<uint32_t>(Abs),
                                                        static_cast<uint32_t>(Abs + Var.size())}))
      continue;
    if (llvm::any_of(M.Strings, [&](const StringExpr &S) {
          return S.Range.Begin <= Abs && Abs < S.Range.End;
        }))
      continue;
    Why = fmt::format("the URL template `{}` is filled by `{}(…)` on line {} and also used on "
                      "line {}; give the request the OAuth header by hand",
                      Var, Formats[0]->Callee, lineNumber(Text, Formats[0]->Range.Begin),
                      lineNumber(Text, Abs));
    return {nullptr, nullptr};
  }
  std::optional<FormatUse> U;
  for (const auto &A : Formats[0]->Arguments)
    if (Text.slice(A.Value.Begin, A.Value.End).trim() == Var)
      U = formatCallOf(A.Value);
  if (!U)
    U = formatCallOf(Formats[0]->Receiver);
  return throughFormat(C, *U, Depth, Why);
}

std::string Run::otherFileMatching(const re2::RE2 &Re, const re2::RE2 *Unless) const {
  std::string Out;
  if (!Ctx.Opts || !Ctx.Opts->ListDir || !Ctx.Read)
    return Out;
  llvm::StringRef Path(Ctx.Path);
  size_t Dot = Path.rfind('.');
  if (Dot == llvm::StringRef::npos || Path.find('/', Dot) != llvm::StringRef::npos)
    return Out;
  std::string Ext = Path.drop_front(Dot).lower();
  std::vector<std::string> Dirs{""};
  size_t Visited = 0;
  while (!Dirs.empty() && Out.empty() && Visited < 20000) {
    std::string Dir = Dirs.back();
    Dirs.pop_back();
    for (const std::string &Name : Ctx.Opts->ListDir(Dir)) {
      if (++Visited >= 20000 || !Out.empty())
        break;
      if (Name.empty() || Name[0] == '.' || Name == "node_modules")
        continue;
      std::string Child = Dir.empty() ? Name : Dir + "/" + Name;
      if (!llvm::StringRef(Name).endswith_insensitive(Ext)) {
        if (llvm::StringRef(Name).find('.') == llvm::StringRef::npos)
          Dirs.push_back(Child); // a directory, most likely (a file lists nothing)
        continue;
      }
      // Tests stub or spy on the library's methods (`sinon.stub(r, '_makeRequest')`); the
      // calls that matter are the library's own.
      static const re2::RE2 TestFile(
          "(?i)(^|/)(tests?|specs?|__tests__|__mocks__)/|(^|/)test_[^/]*$|[._-](spec|test)s?\\.[^/.]+$");
      if (Child == Path || re2::RE2::PartialMatch(Child, TestFile))
        continue;
      auto Content = Ctx.Read(Child);
      if (!Content) {
        llvm::consumeError(Content.takeError());
        continue;
      }
      // A file defining a function of that name itself (a compiled copy, another class)
      // calls its own.
      if (re2::RE2::PartialMatch(*Content, Re) &&
          !(Unless && re2::RE2::PartialMatch(*Content, *Unless)))
        Out = Child;
    }
  }
  return Out;
}


std::string Run::transportWhere(const CallSite &Call0, bool &InRepo) const {
  InRepo = false;
  const ProjectIndex *Ix = Ctx.Opts ? Ctx.Opts->Index.get() : nullptr;
  if (!Ix)
    return "";
  // A builder chain `$this->get('items', 'items')->queryParameters(…)`: its first call is
  // the transport.
  const CallSite *Call = &Call0;
  for (const CallSite *Rc = callWithRange(Call->Receiver); Rc; Rc = callWithRange(Rc->Receiver))
    Call = Rc;
  llvm::StringRef Path(Ctx.Path);
  size_t Dot = Path.rfind('.');
  if (Dot == llvm::StringRef::npos || Path.find('/', Dot) != llvm::StringRef::npos)
    return "";
  std::string Ext = Path.drop_front(Dot).lower();
  llvm::StringRef Callee = llvm::StringRef(Call->Callee).trim();
  llvm::StringRef Name = Call->Name;
  if (Call->IsNew) {
    Name = Callee;
    size_t Cut = Name.find_last_of(".\\:");
    if (Cut != llvm::StringRef::npos)
      Name = Name.drop_front(Cut + 1);
  }
  if (Name.empty() || !llvm::all_of(Name, [](char Ch) { return isIdentChar(Ch); }))
    return "";
  auto Elsewhere = [&](const std::vector<Definition> &Ds) {
    std::vector<Definition> Out;
    for (const Definition &D : Ds)
      if (D.Path != Path)
        Out.push_back(D);
    return Out;
  };
  auto At = [](const Definition &D) { return fmt::format("{}:{}", D.Path, D.Line); };
  // A name this file assigns (`var _createClass = function …`, a PascalCase C# local) or
  // defines itself (a compiled copy the index skips) is this file's, not another's.
  auto Assigned = [&](llvm::StringRef N) {
    return llvm::any_of(M.Assignments, [&](const syntax::Assignment &A) {
      // (`const Client = require('./client')` names the other file's definition.)
      return A.Target == N &&
             !Text.slice(A.Value.Begin, A.Value.End).ltrim().startswith("require(");
    });
  };
  if (Assigned(Name) || Assigned(Callee))
    return "";
  if (Call->IsNew || Call->Receiver.empty()) {
    re2::RE2 Own("\\b(class|function|def)\\s+" + re2::RE2::QuoteMeta(Name.str()) + "\\b",
                 re2::RE2::Quiet);
    if (re2::RE2::PartialMatch(re2::StringPiece(Text.data(), Text.size()), Own))
      return "";
  }
  if (Call->IsNew) {
    std::vector<Definition> Classes;
    for (const Definition &D : Ix->find(Ext, Name))
      if (D.IsClass)
        Classes.push_back(D);
    if (Classes.empty())
      return fmt::format("the class `{}` is not defined in this repository (a library's)", Name);
    std::vector<Definition> Other = Elsewhere(Classes);
    if (Other.size() != Classes.size() || Other.size() != 1)
      return "";
    InRepo = true;
    return fmt::format("`{}` is a class of {}", Name, At(Other[0]));
  }
  llvm::StringRef Recv = Text.slice(Call->Receiver.Begin, Call->Receiver.End).trim();
  if (Recv.empty() && !Call->IsNew && Callee.endswith(Name) && Callee.size() > Name.size())
    // (`base.Add(…)`: a receiver the model does not record as one.)
    Recv = Callee.drop_back(Name.size()).rtrim(".:->").trim();
  static const std::set<std::string> Self{"this", "self", "$this", "static", "parent", "base",
                                          "super"};
  std::string Class;
  bool Inherited = false;
  if (Self.count(Recv.str())) {
    // A method of this object: of its class or of a class it extends.
    ByteRange Around = classAround(Call->Range);
    if (Around.Begin == 0 && Around.End == Text.size())
      return "";
    if (!Tree)
      return "";
    syntax::Node N = Tree->root().namedDescendantFor(Around);
    syntax::Node NameNode = N ? N.field("name") : syntax::Node();
    if (!NameNode)
      return "";
    Class = NameNode.text().str();
    Inherited = true;
  } else if (!Recv.empty() && (Recv.front() >= 'A' && Recv.front() <= 'Z') && !Assigned(Recv) &&
             !re2::RE2::PartialMatch(
                 re2::StringPiece(Text.data(), Text.size()),
                 "(?:^|[^\\w$])" + re2::RE2::QuoteMeta(Recv.str()) + "\\s*=[^=>]") &&
             llvm::all_of(Recv, [](char Ch) { return isIdentChar(Ch) || Ch == '\\'; })) {
    // A class's static method: `ZohoInvoiceApiClient::getService(…)`, `HttpUtil.post(…)`.
    Class = Recv.str();
    size_t Cut = llvm::StringRef(Class).find_last_of("\\");
    if (Cut != std::string::npos)
      Class = Class.substr(Cut + 1);
  }
  if (Class.empty() && !Recv.empty()) {
    // An object this file makes: `zoho_http_client = ZohoHttpClient()`,
    // `$this->transport = new Transport(…)`, `var api = new Api(…)`.
    static const re2::RE2 Made("(?s)\\s*(?:new\\s+)?\\\\?(?:[A-Za-z_][\\w]*(?:\\\\|\\.|::))*([A-Z]\\w*)\\s*\\(.*");
    std::string Made1;
    for (const syntax::Assignment &A : M.Assignments) {
      if (A.Target != Recv)
        continue;
      std::string C;
      llvm::StringRef V = Text.slice(A.Value.Begin, A.Value.End);
      if (!re2::RE2::FullMatch(re2::StringPiece(V.data(), V.size()), Made, &C) ||
          (!Made1.empty() && C != Made1)) {
        Made1.clear();
        break;
      }
      Made1 = C;
    }
    Class = Made1;
  }
  if (!Class.empty()) {
    std::string Missing;
    std::vector<Definition> Ds = Ix->findMethod(Ext, Class, Name, Missing);
    if (Ds.empty()) {
      if (Missing.empty())
        return "";
      if (Missing == Class && Inherited)
        return ""; // this file's class is not indexed (a test, a vendored copy)
      if (Missing == Class)
        return fmt::format("the class `{}` is not defined in this repository (a library's)",
                           Class);
      return fmt::format("`{}` comes from the parent class `{}`, which is not defined in this "
                         "repository (a library's)",
                         Name, Missing);
    }
    std::vector<Definition> Other = Elsewhere(Ds);
    if (Other.size() != Ds.size() || Other.size() != 1)
      return "";
    InRepo = true;
    return fmt::format("`{}` is a method of {}`{}`, defined in {}", Name,
                       Inherited && Other[0].Class != Class ? "the parent class " : "",
                       Other[0].Class, At(Other[0]));
  }
  // An object in a variable or field (`zoho_http_client.get`, `$this->transport->call`), or
  // a plain function: the repository's definitions of that name.
  std::vector<Definition> Ds;
  for (const Definition &D : Ix->find(Ext, Name))
    if (!D.IsClass && (Recv.empty() ? D.Class.empty() : !D.Class.empty()))
      Ds.push_back(D);
  if (Ds.empty())
    return fmt::format("no {} named `{}` is defined in this repository (a library's{})",
                       Recv.empty() ? "function" : "method", Name,
                       Recv.empty() ? " or a built-in" : "");
  std::vector<Definition> Other = Elsewhere(Ds);
  if (Other.size() != Ds.size() || Other.size() != 1)
    return "";
  InRepo = true;
  if (Recv.empty())
    return fmt::format("`{}` is defined in {}", Name, At(Other[0]));
  return fmt::format("the only method named `{}` in this repository is one of `{}`, in {}", Name,
                     Other[0].Class, At(Other[0]));
}

std::string Run::transportNote(const CallSite &Call) const {
  bool InRepo = false;
  std::string Where = transportWhere(Call, InRepo);
  if (Where.empty())
    return "";
  if (InRepo)
    return "; " + Where +
           ": that request and the token here would change in one patch of both files, which "
           "fix does not make yet; give that request the OAuth header from the helper and drop "
           "the token from every caller by hand";
  return "; " + Where + ": give its requests the OAuth header by hand, where it lets you";
}

std::string Run::noCarrierReason(const Finding &F) const {
  if (F.RuleId == "zoho-apikey-ticket" || F.RuleId == "zoho-ticket-param")
    return "an API key + ticket pair, Zoho's login scheme from before the authtoken: no "
           "header takes its place here; port the call to the product's current API with the "
           "OAuth header from the helper";
  uint32_t Off = static_cast<uint32_t>(F.Offset);
  const CallSite *Call = callAround(ByteRange{Off, Off + 1});
  if (!Call)
    return "no URL, parameter map or header holding the authtoken was found at this place";
  // Java: `new BasicNameValuePair(OAUTH_TOKEN, t)`: the name is a constant.
  if (jvm() && Call->Arguments.size() == 2) {
    llvm::StringRef First =
        Text.slice(Call->Arguments[0].Value.Begin, Call->Arguments[0].Value.End).trim();
    if (!First.empty() && llvm::all_of(First, [](char Ch) {
          return (Ch >= 'A' && Ch <= 'Z') || llvm::isDigit(Ch) || Ch == '_';
        }))
      return fmt::format("the parameter's name is the constant `{}`, not the literal "
                         "\"authtoken\": this fix removes parameters named by a literal only; "
                         "remove `{}(…)` and give its request the OAuth header by hand",
                         First, Call->IsNew ? "new " + Call->Callee : Call->Callee);
    }
  std::string Desc = (Call->IsNew ? "new " : "") + Call->Callee;
  if (llvm::StringRef(Call->Name).contains_insensitive("printf") ||
      llvm::StringRef(Call->Name).equals_insensitive("format"))
    return fmt::format("the token is formatted by `{}(…)`, whose format (not at this place) "
                       "holds the authtoken parameter: this fix does not edit that format; "
                       "remove the parameter and its argument and give the request the OAuth "
                       "header by hand",
                       Desc);
  bool InRepo = false;
  std::string Where = transportWhere(*Call, InRepo);
  std::string Out = fmt::format("the token is an argument of `{}(…)` here, and no URL, "
                                "parameter map or header holds it at this place",
                                Desc);
  if (!Where.empty())
    Out += "; " + Where;
  Out += InRepo ? ": that code sends it; give its requests the OAuth header from the helper "
                  "and drop the token from every caller in one change, by hand"
                : ": give the requests that code makes the OAuth header by hand, then drop the "
                  "token here";
  return Out;
}

std::optional<std::vector<TextEdit>> Run::addToMap(ByteRange Map, const Idiom &I,
                                                   llvm::StringRef Value) const {
  std::string Entry = expand(tmpl(I.Entry, R.Entry), {{"value", Value}, {"ns", NS}});
  // An existing Authorization entry gets the new value.
  const KeyValue *Last = nullptr;
  for (const KeyValue &KV : M.Pairs) {
    if (KV.Container != Map)
      continue;
    if (llvm::StringRef(KV.Key).equals_insensitive("authorization")) {
      TextEdit E;
      E.Offset = KV.Value.Begin;
      E.Length = KV.Value.size();
      E.Text = Value.str();
      return std::vector<TextEdit>{E};
    }
    if (!Last || KV.Range.End > Last->Range.End)
      Last = &KV;
  }
  llvm::StringRef MapText = Text.slice(Map.Begin, Map.End);
  // A JavaScript object whose last element is a spread (`{ ...base }`, `{ a: 1, ...more }`):
  // the entry goes at the end, so that it wins over what the spread holds.
  auto AtEnd = [&]() -> std::optional<std::vector<TextEdit>> {
    if (MapText.size() < 2 || !MapText.endswith("}"))
      return std::nullopt;
    size_t Close = Map.End - 1;
    size_t P = Close;
    while (P > Map.Begin + 1 && llvm::StringRef(" \t\r\n").contains(Text[P - 1]))
      --P;
    TextEdit E;
    if (Text[P - 1] == ',') {
      size_t NL = Text.find('\n', P);
      if (NL != llvm::StringRef::npos && NL < Close) {
        E.Offset = NL + 1;
        E.Text = (indentOf(Text, P - 1) + Entry + "," + newlineOf(Text)).str();
      } else {
        E.Offset = P;
        E.Text = " " + Entry + ",";
      }
    } else {
      E.Offset = P;
      E.Text = ", " + Entry;
    }
    return std::vector<TextEdit>{E};
  };
  if (ecma() && MapText.startswith("{") &&
      Text.slice(Last ? Last->Range.End : Map.Begin, Map.End).contains("..."))
    return AtEnd();
  if (!Last) {
    if (MapText.size() < 2 || MapText.drop_front().drop_back().trim().size() != 0)
      return std::nullopt; // not an empty literal and no entry seen: a comment…
    TextEdit E;
    E.Offset = Map.Begin + 1;
    E.Length = MapText.size() - 2;
    E.Text = Entry;
    return std::vector<TextEdit>{E};
  }
  // After the last entry (and its trailing comma, if any).
  size_t P = Last->Range.End;
  size_t Q = P;
  while (Q < Map.End && (Text[Q] == ' ' || Text[Q] == '\t'))
    ++Q;
  TextEdit E;
  if (Q < Map.End && Text[Q] == ',') {
    // A trailing comma: a multi-line literal gets the entry on its own line.
    size_t NL = Text.find('\n', Q);
    if (NL != llvm::StringRef::npos && NL < Map.End &&
        llvm::StringRef(Text.slice(Q + 1, NL)).trim().empty()) {
      E.Offset = NL + 1;
      E.Text = (indentOf(Text, Last->Range.Begin) + Entry + "," + newlineOf(Text)).str();
      return std::vector<TextEdit>{E};
    }
    E.Offset = Q + 1;
    E.Text = " " + Entry + ",";
    return std::vector<TextEdit>{E};
  }
  E.Offset = P;
  E.Text = ", " + Entry;
  return std::vector<TextEdit>{E};
}

std::optional<std::vector<TextEdit>> Run::addArgument(const CallSite &Call,
                                                      llvm::StringRef Arg) const {
  if (Call.ArgumentList.size() < 2)
    return std::nullopt;
  TextEdit E;
  if (Call.Arguments.empty()) {
    E.Offset = Call.ArgumentList.Begin + 1;
    E.Text = Arg.str();
    return std::vector<TextEdit>{E};
  }
  size_t P = Call.Arguments.back().Range.End;
  size_t Q = P;
  while (Q < Call.ArgumentList.End && (Text[Q] == ' ' || Text[Q] == '\t'))
    ++Q;
  if (Q < Call.ArgumentList.End && Text[Q] == ',') {
    size_t NL = Text.find('\n', Q);
    if (NL != llvm::StringRef::npos && NL < Call.ArgumentList.End &&
        llvm::StringRef(Text.slice(Q + 1, NL)).trim().empty()) {
      E.Offset = NL + 1;
      E.Text = (indentOf(Text, Call.Arguments.back().Range.Begin) + Arg + "," + newlineOf(Text)).str();
      return std::vector<TextEdit>{E};
    }
    E.Offset = Q + 1;
    E.Text = " " + Arg.str();
    return std::vector<TextEdit>{E};
  }
  E.Offset = P;
  E.Text = ", " + Arg.str();
  return std::vector<TextEdit>{E};
}

std::optional<std::vector<TextEdit>> Run::headerEdits(const CallSite &Call, const Idiom &I,
                                                      bool Retry, std::string &Why) const {
  if (I.Header == "hash" || I.Header == "form-body" || I.Header == "statement")
    return rubyHeaderEdits(Call, I, Retry, Why);
  if (I.Header == "go-statement")
    return goStatementEdits(Call, I, Why);
  if (I.Header == "go-new-request")
    return goNewRequestEdits(Call, I, Why);
  if (I.Header == "java-statement" || I.Header == "java-chain") // tool/fix/JavaFixer.cpp
    return javaHeaderEdits(Text, M, Call, I, value(Retry), Why);
  if (I.Header == "kotlin-block") // JavaFixer.cpp
    return kotlinBlockEdits(Text, M, Call, I, value(Retry), Why);
  if (isCSharpHeaderKind(I.Header)) // CSharpFixer.cpp
    return csharpHeaderEdits(Text, Call, I, value(Retry), NS, Why);
  if (I.Header == "none") {
    Why = expand(I.Reason, {{"callee", Call.Callee}, {"ns", NS}});
    return std::nullopt;
  }
  if (I.Header == "php-options" || I.Header == "curl" || I.Header == "stream-context" ||
      I.Header == "stream-options")
    return phpHeaderEdits(Call, I, Retry, Why);
  std::string V = value(Retry);
  auto Replace = [&](ByteRange Rg, std::string T) {
    TextEdit E;
    E.Offset = Rg.Begin;
    E.Length = Rg.size();
    E.Text = std::move(T);
    return std::vector<TextEdit>{E};
  };
  // A template around an existing expression ({arg}, {expr}): two inserts, so that edits
  // inside the expression (the credential's removal) still apply.
  auto Around = [&](ByteRange Rg, llvm::StringRef Template, llvm::StringRef Name) {
    std::string T = expand(Template, {{Name, "\x1f"}, {"value", V}, {"ns", NS}});
    size_t Hole = T.find('\x1f');
    if (Hole == std::string::npos || T.find('\x1f', Hole + 1) != std::string::npos)
      return Replace(Rg, expand(Template, {{Name, Text.slice(Rg.Begin, Rg.End)}, {"value", V}, {"ns", NS}}));
    TextEdit Pre, Post;
    Pre.Offset = Rg.Begin;
    Pre.Text = T.substr(0, Hole);
    Post.Offset = Rg.End;
    Post.Text = T.substr(Hole + 1);
    return std::vector<TextEdit>{Pre, Post};
  };
  auto IsMap = [&](const syntax::Argument &A) {
    llvm::StringRef K(A.Kind);
    return K == "dictionary" || K == "object" || K == "hash" || K == "array_creation_expression";
  };
  const syntax::Argument *Given = nullptr;
  if (!I.Keyword.empty())
    Given = Call.keywordArgument(I.Keyword);
  if (!Given && I.Header == "position" && I.Position >= 0 &&
      static_cast<size_t>(I.Position) < Call.Arguments.size() &&
      Call.Arguments[I.Position].Keyword.empty())
    Given = &Call.Arguments[I.Position];

  if (I.Header == "keyword" || I.Header == "position") {
    if (Given) {
      if (IsMap(*Given)) {
        auto E = addToMap(Given->Value, I, V);
        if (!E)
          Why = "the call's headers map has a shape this fix does not edit";
        return E;
      }
      return Around(Given->Value, tmpl(I.Merge, R.Merge), "expr");
    }
    auto E = addArgument(Call, expand(tmpl(I.Argument, R.Argument), {{"value", V}, {"ns", NS}}));
    if (!E)
      Why = "the call has no argument list to add the header to";
    return E;
  }
  if (I.Header == "options") {
    size_t Pos = I.Position < 0 ? 1 : static_cast<size_t>(I.Position);
    auto Named = [&](const syntax::Argument &A) {
      return "`" + Text.slice(A.Value.Begin, A.Value.End).str() + "`";
    };
    if (I.UrlOrOptions && !Call.Arguments.empty()) {
      // `request(url, [options], [cb])` or `request(options, [cb])`.
      switch (roleOf(Call.Arguments[0], Text)) {
      case ArgRole::Options:
        Pos = 0;
        break;
      case ArgRole::Url:
        break;
      default:
        Why = "cannot tell whether " + Named(Call.Arguments[0]) + " is the URL or the options of `" +
              Call.Callee + "(…)`; give the request the header by hand";
        return std::nullopt;
      }
    }
    std::string OptionsArg = expand(tmpl(I.OptionsArgument, R.OptionsArgument), {{"value", V}, {"ns", NS}});
    if (Pos < Call.Arguments.size()) {
      const syntax::Argument &A = Call.Arguments[Pos];
      ArgRole Role = roleOf(A, Text);
      if (I.Callback && Role == ArgRole::Callback) {
        // `https.get(url, (res) => …)`: the options go before the callback.
        TextEdit E;
        E.Offset = A.Range.Begin;
        E.Text = OptionsArg + ", ";
        return std::vector<TextEdit>{E};
      }
      if (IsMap(A)) {
        for (const KeyValue &KV : M.Pairs)
          if (KV.Container == A.Value && KV.Key == I.Keyword) {
            llvm::StringRef VT = Text.slice(KV.Value.Begin, KV.Value.End);
            if (VT.startswith("{")) {
              // `{…} as Record<string, string>` (TypeScript): the object literal inside.
              ByteRange Map = KV.Value;
              for (const KeyValue &In : M.Pairs)
                if (In.Container.Begin == Map.Begin && KV.Value.contains(In.Container))
                  Map = In.Container;
              auto E = addToMap(Map, I, V);
              if (!E)
                Why = "the request's headers object has a shape this fix does not edit";
              return E;
            }
            if (KV.Value == KV.KeyRange) // `{ headers }`: shorthand, spelled out
              return Replace(KV.Range, (VT + ": " + expand(tmpl(I.Merge, R.Merge),
                                                           {{"expr", VT}, {"value", V}, {"ns", NS}})).str());
            if (VT.startswith("new ")) {
              // `new Headers({…})`: its entries are no own properties, a spread drops them.
              Why = "the request's headers are a `" +
                    VT.drop_front(4).take_until([](char C) { return C == '('; }).trim().str() +
                    "` object, which an object spread would empty; add the Authorization "
                    "header to it by hand";
              return std::nullopt;
            }
            return Around(KV.Value, tmpl(I.Merge, R.Merge), "expr");
          }
        // No headers entry: add one to the options object.
        std::string Entry = expand(tmpl(I.Argument, R.Argument), {{"value", V}, {"ns", NS}});
        Idiom Plain = I;
        Plain.Entry = Entry;
        auto E = addToMap(A.Value, Plain, V);
        if (!E)
          Why = "the request's options object has a shape this fix does not edit";
        return E;
      }
      llvm::StringRef K(A.Kind);
      if (I.Callback && Role != ArgRole::Options) {
        Why = "cannot tell whether " + Named(A) + " is the options or the callback of `" + Call.Callee +
              "(…)`; give the request the header by hand";
        return std::nullopt;
      }
      if (K != "identifier" && K != "member_expression") {
        // The spread names the options twice: only a plain name may be repeated.
        Why = "the options of `" + Call.Callee + "(…)` are computed (" + Named(A) +
              "); put them in a variable or add the Authorization header by hand";
        return std::nullopt;
      }
      return Around(A.Value, tmpl(I.OptionsMerge, R.OptionsMerge), "expr");
    }
    std::string Arg;
    for (size_t K = Call.Arguments.size(); K < Pos; ++K)
      Arg += (I.Filler.empty() ? std::string("undefined") : I.Filler) + ", ";
    Arg += OptionsArg;
    auto E = addArgument(Call, Arg);
    if (!E)
      Why = "the call has no argument list to add the options to";
    return E;
  }
  if (I.Header == "chain") {
    // An existing `.set('Authorization', …)` of the chain gets the value; else the header
    // goes right after the request call.
    llvm::StringRef Method = llvm::StringRef(I.ChainHeader).drop_front().take_until([](char C) { return C == '('; });
    ByteRange Cur = Call.Range;
    for (bool More = true; More;) {
      More = false;
      for (const CallSite &O : M.Calls)
        if (O.Receiver == Cur && llvm::is_contained(I.Chain, O.Name)) {
          if (O.Name == Method && O.Arguments.size() >= 2 &&
              Text.slice(O.Arguments[0].Value.Begin, O.Arguments[0].Value.End)
                  .trim("\"'`").equals_insensitive("authorization"))
            return Replace(O.Arguments[1].Value, V);
          Cur = O.Range;
          More = true;
          break;
        }
    }
    TextEdit E;
    E.Offset = Call.Range.End;
    E.Text = expand(I.ChainHeader, {{"value", V}, {"ns", NS}});
    return std::vector<TextEdit>{E};
  }
  if (I.Header == "request-argument") {
    size_t Pos = I.Position < 0 ? 0 : static_cast<size_t>(I.Position);
    if (Pos >= Call.Arguments.size()) {
      Why = "the request has no URL argument";
      return std::nullopt;
    }
    const syntax::Argument &A = Call.Arguments[Pos];
    if (const Idiom *Inner = R.idiom(I.Inner))
      for (const CallSite &C : M.Calls)
        if (C.Range == A.Value && Inner->Callee &&
            re2::RE2::PartialMatch(C.Callee, *Inner->Callee))
          return headerEdits(C, *Inner, Retry, Why);
    return Around(A.Value, tmpl(I.WrapArgument, R.WrapArgument), "arg");
  }
  Why = "unknown header kind '" + I.Header + "'";
  return std::nullopt;
}

// -- Ruby: hash arguments, form bodies and header statements ----------------------------
//
// Ruby passes trailing `k => v` / `k: v` arguments as one hash, so an argument list is
// seen as positional arguments plus that trailing hash. An edit that must restructure the
// list (add the headers after the trailing pairs, wrap a form) rewrites the part of the
// list from the first argument it changes to the last, and takes over the credential's
// removals inside that part (they belong to the same request, and one replacement cannot
// overlap them).

std::optional<std::vector<TextEdit>> Run::rubyHeaderEdits(const CallSite &Call, const Idiom &I,
                                                          bool Retry, std::string &Why) const {
  std::string V = value(Retry);
  if (Pending) {
    std::vector<TextEdit> &Rm = *Pending;
    auto End = [](const TextEdit &E) { return E.Offset + E.Length; };
    auto Covered = [&](ByteRange Rg) {
      for (const TextEdit &E : Rm)
        if (E.Text.empty() && E.Length > 0 && E.Offset <= Rg.Begin && Rg.End <= End(E))
          return true;
      return false;
    };
    // A hash literal whose entries all go is left as `{}` (not `{  }`).
    for (const KeyValue &KV : M.Pairs) {
      ByteRange H = KV.Container;
      if (H.size() < 2 || Text[H.Begin] != '{' || Text[H.End - 1] != '}')
        continue;
      bool All = true;
      for (const KeyValue &O : M.Pairs)
        if (O.Container == H && !Covered(O.Range))
          All = false;
      if (!All)
        continue;
      ByteRange In{H.Begin + 1, H.End - 1};
      llvm::erase_if(Rm,
                     [&](const TextEdit &E) { return E.Offset >= In.Begin && End(E) <= In.End; });
      TextEdit E;
      E.Offset = In.Begin;
      E.Length = In.size();
      if (E.Length > 0)
        Rm.push_back(E);
    }
  }
  if (I.Header == "statement")
    return rubyStatementEdits(Call, I, V, Why);
  return rubyHashEdits(Call, I, V, Why);
}

std::optional<std::vector<TextEdit>> Run::rubyHashEdits(const CallSite &Call, const Idiom &I,
                                                        llvm::StringRef V, std::string &Why) const {
  std::vector<TextEdit> None;
  std::vector<TextEdit> &Rm = Pending ? *Pending : None;
  auto End = [](const TextEdit &E) { return E.Offset + E.Length; };
  auto Covered = [&](ByteRange Rg) {
    for (const TextEdit &E : Rm)
      if (E.Text.empty() && E.Length > 0 && E.Offset <= Rg.Begin && Rg.End <= End(E))
        return true;
    return false;
  };
  auto Inside = [&](ByteRange Rg) {
    for (const TextEdit &E : Rm)
      if (E.Length > 0 && Rg.Begin <= E.Offset && End(E) <= Rg.End)
        return true;
    return false;
  };
  // The text of \p Rg with the removals inside it applied; nullopt when one straddles it.
  auto Applied = [&](ByteRange Rg) -> std::optional<std::string> {
    std::vector<TextEdit> In;
    for (const TextEdit &E : Rm) {
      if (E.Length == 0 || End(E) <= Rg.Begin || E.Offset >= Rg.End)
        continue;
      if (E.Offset < Rg.Begin || End(E) > Rg.End)
        return std::nullopt;
      In.push_back(E);
    }
    std::sort(In.begin(), In.end(),
              [](const TextEdit &A, const TextEdit &B) { return A.Offset < B.Offset; });
    std::string Out;
    size_t At = Rg.Begin;
    for (const TextEdit &E : In) {
      if (E.Offset < At)
        return std::nullopt;
      Out += Text.slice(At, E.Offset).str() + E.Text;
      At = End(E);
    }
    return Out + Text.slice(At, Rg.End).str();
  };
  auto Replace = [&](ByteRange Rg, std::string T) {
    TextEdit E;
    E.Offset = Rg.Begin;
    E.Length = Rg.size();
    E.Text = std::move(T);
    return std::vector<TextEdit>{E};
  };
  auto T = [&](llvm::StringRef Idiom, llvm::StringRef File, llvm::StringRef Expr = "") {
    return expand(tmpl(Idiom, File), {{"value", V}, {"ns", NS}, {"expr", Expr}, {"arg", Expr}});
  };
  std::string Entry = T(I.Entry, R.Entry);
  std::string NewArg = T(I.Argument, R.Argument);
  std::string Filler = I.Filler.empty() ? "" : tmpl(I.Filler, "");
  // A headers hash literal gets the entry; one whose entries all go is rewritten whole.
  auto AddEntry = [&](ByteRange Map, llvm::StringRef E) -> std::optional<std::vector<TextEdit>> {
    bool Any = false, AllGone = true;
    for (const KeyValue &KV : M.Pairs)
      if (KV.Container == Map) {
        Any = true;
        AllGone = AllGone && Covered(KV.Range);
      }
    if (Any && !AllGone) {
      Idiom Plain = I;
      Plain.Entry = E.str();
      auto Edits = addToMap(Map, Plain, V);
      if (Edits)
        for (const TextEdit &X : *Edits)
          for (const TextEdit &Y : Rm)
            if (Y.Length > 0 && Y.Offset < X.Offset && X.Offset < End(Y))
              return std::nullopt; // the entry would land inside a removal
      return Edits;
    }
    llvm::erase_if(Rm,
                   [&](const TextEdit &X) { return X.Offset >= Map.Begin && End(X) <= Map.End; });
    return Replace(Map, "{ " + E.str() + " }");
  };
  auto Merge = [&](const syntax::Argument &A) -> std::optional<std::vector<TextEdit>> {
    if (Inside(A.Value))
      return std::nullopt;
    return Replace(A.Value, T(I.Merge, R.Merge, Text.slice(A.Value.Begin, A.Value.End)));
  };

  // The positional view: Pos, then the trailing pairs as one more argument.
  std::vector<const syntax::Argument *> Pos, Pairs;
  for (const syntax::Argument &A : Call.Arguments) {
    llvm::StringRef K(A.Kind);
    if (A.Keyword.empty() &&
        (K.endswith("splat_argument") || K == "block_argument" || K == "forward_argument")) {
      Why = "the call passes a splat or block argument; add the Authorization header by hand";
      return std::nullopt;
    }
    if (!A.Keyword.empty())
      Pairs.push_back(&A);
    else if (!Pairs.empty()) {
      Why = "the call's arguments have a shape this fix does not edit";
      return std::nullopt;
    } else
      Pos.push_back(&A);
  }
  const size_t G = Pos.size(); // the trailing pairs' position, when there are any
  const size_t NPos = Pos.size() + (Pairs.empty() ? 0 : 1);
  const size_t N = I.Position < 0 ? 0 : static_cast<size_t>(I.Position);
  const bool Parens = !Call.ArgumentList.empty() && Text[Call.ArgumentList.Begin] == '(';
  auto BeginOf = [&](size_t E) { return E < G ? Pos[E]->Range.Begin : Pairs.front()->Range.Begin; };
  auto EndOf = [&](size_t E) { return E < G ? Pos[E]->Range.End : Pairs.back()->Range.End; };
  auto SepBefore = [&](size_t E) -> std::string {
    if (E == 0)
      return Parens ? Text.slice(Call.ArgumentList.Begin + 1, BeginOf(0)).str() : "";
    return Text.slice(EndOf(E - 1), BeginOf(E)).str();
  };
  // New arguments follow the call's own layout: one per line if its last one is.
  std::string NewSep = ", ";
  {
    std::string Last = NPos >= 2 ? SepBefore(NPos - 1) : "";
    if (Pairs.size() >= 2)
      Last = Text.slice(Pairs[Pairs.size() - 2]->Range.End, Pairs.back()->Range.Begin).str();
    if (llvm::StringRef(Last).contains('\n'))
      NewSep = Last;
  }
  // The trailing pairs that stay, with their separators.
  auto PairsText = [&](std::string &Out) {
    bool Any = false;
    for (size_t J = 0; J < Pairs.size(); ++J) {
      if (Covered(Pairs[J]->Range))
        continue;
      auto PT = Applied(Pairs[J]->Range);
      if (!PT)
        return false;
      if (Any)
        Out += Text.slice(Pairs[J - 1]->Range.End, Pairs[J]->Range.Begin).str();
      Out += *PT;
      Any = true;
    }
    return true;
  };
  // Rewrites the arguments from position K on as Items (separator, text): the first
  // item's separator is the one before position K.
  using Items = std::vector<std::pair<std::string, std::string>>;
  auto Rewrite = [&](size_t K, Items Parts) -> std::optional<std::vector<TextEdit>> {
    if (NPos == 0 && !Parens) {
      // `conn.get`: the method name gets the argument list.
      size_t NameEnd = Call.CalleeRange.End;
      if (Parts.empty() || NameEnd < Call.Name.size() ||
          Text.slice(NameEnd - Call.Name.size(), NameEnd) != Call.Name)
        return std::nullopt;
      std::string Out = Call.Name + "(";
      for (size_t J = 0; J < Parts.size(); ++J)
        Out += (J ? Parts[J].first : "") + Parts[J].second;
      return Replace(
          {static_cast<uint32_t>(NameEnd - Call.Name.size()), static_cast<uint32_t>(NameEnd)},
          Out + ")");
    }
    if (NPos == 0 && !Parts.empty())
      Parts[0].first = "";
    size_t B = K == 0 ? (Parens ? Call.ArgumentList.Begin + 1 : BeginOf(0)) : EndOf(K - 1);
    size_t E = NPos == 0 ? B : EndOf(NPos - 1);
    std::string Out;
    for (const auto &P : Parts)
      Out += P.first + P.second;
    for (const TextEdit &X : Rm)
      if (X.Length > 0 && X.Offset < E && B < End(X) && !(B <= X.Offset && End(X) <= E))
        return std::nullopt; // a removal straddles the rewritten part
    llvm::erase_if(Rm,
                   [&](const TextEdit &X) { return X.Length > 0 && B <= X.Offset && End(X) <= E; });
    return Replace({static_cast<uint32_t>(B), static_cast<uint32_t>(E)}, Out);
  };
  // Position E as it stays (removals inside applied).
  auto Keep = [&](size_t E, Items &Parts) {
    std::string Body;
    if (E < G) {
      auto A = Applied(Pos[E]->Range);
      if (!A)
        return false;
      Body = *A;
    } else if (!PairsText(Body)) {
      return false;
    }
    Parts.push_back({SepBefore(E), Body});
    return true;
  };
  auto Fail = [&](std::string Reason) -> std::optional<std::vector<TextEdit>> {
    Why = std::move(Reason);
    return std::nullopt;
  };
  const std::string Internal = "the call's arguments have a shape this fix does not edit";

  if (I.Header == "form-body") {
    if (NPos != N + 1)
      return Fail(fmt::format("`{}` is not called with the form as argument {}; rewrite it by hand",
                              Call.Callee, N + 1));
    std::string Form;
    if (N == G) {
      if (!PairsText(Form))
        return Fail(Internal);
    } else {
      auto A = Applied(Pos[N]->Range);
      if (!A)
        return Fail(Internal);
      Form = *A;
    }
    Form = llvm::StringRef(Form).trim().empty() ? Filler : T(I.WrapArgument, R.WrapArgument, Form);
    if (Form.empty())
      return Fail(Internal);
    size_t NameEnd = Call.CalleeRange.End;
    if (NameEnd < Call.Name.size() || Text.slice(NameEnd - Call.Name.size(), NameEnd) != Call.Name)
      return Fail(Internal);
    auto Body = Rewrite(N, {{SepBefore(N), Form}, {NewSep, NewArg}});
    if (!Body)
      return Fail(Internal);
    TextEdit Rn;
    Rn.Offset = NameEnd - Call.Name.size();
    Rn.Length = Call.Name.size();
    Rn.Text = I.Rename;
    Body->push_back(Rn);
    return Body;
  }

  if (!I.Keyword.empty()) {
    // The headers are the `keyword` entry of the options hash at position N (HTTParty).
    if (N < G) {
      const syntax::Argument &A = *Pos[N];
      if (A.Kind != "hash")
        return Fail(fmt::format("the request options are passed as `{}`; add {}: {{ … }} with "
                                "the Authorization header to them by hand",
                                Text.slice(A.Value.Begin, A.Value.End), I.Keyword));
      for (const KeyValue &KV : M.Pairs)
        if (KV.Container == A.Value && KV.Key == I.Keyword && !Covered(KV.Range)) {
          if (Text[KV.Value.Begin] == '{') {
            auto E = AddEntry(KV.Value, Entry);
            return E ? E : Fail("the request's headers hash has a shape this fix does not edit");
          }
          syntax::Argument V2;
          V2.Value = KV.Value;
          auto E = Merge(V2);
          return E ? E : Fail(Internal);
        }
      auto E = AddEntry(A.Value, NewArg);
      return E ? E : Fail("the request's options hash has a shape this fix does not edit");
    }
    if (N == G && !Pairs.empty()) {
      for (const syntax::Argument *P : Pairs)
        if (P->Keyword == I.Keyword && !Covered(P->Range)) {
          if (Text[P->Value.Begin] == '{') {
            auto E = AddEntry(P->Value, Entry);
            return E ? E : Fail("the request's headers hash has a shape this fix does not edit");
          }
          auto E = Merge(*P);
          return E ? E : Fail(Internal);
        }
      Items Parts;
      if (!Keep(G, Parts))
        return Fail(Internal);
      Parts.push_back({llvm::StringRef(Parts.back().second).trim().empty() ? "" : NewSep, NewArg});
      auto E = Rewrite(G, Parts);
      return E ? E : Fail(Internal);
    }
    if (N == NPos) {
      Items Parts;
      size_t K = NPos;
      if (!Parens && NPos > 0) {
        K = NPos - 1;
        if (!Keep(K, Parts))
          return Fail(Internal);
      }
      Parts.push_back({NewSep, NewArg});
      auto E = Rewrite(K, Parts);
      return E ? E : Fail(Internal);
    }
    return Fail(fmt::format("`{}` is called with more arguments than this fix knows; add the "
                            "Authorization header by hand",
                            Call.Callee));
  }

  // The headers hash itself is positional argument N.
  if (N < G) {
    const syntax::Argument &A = *Pos[N];
    llvm::StringRef AT = Text.slice(A.Value.Begin, A.Value.End);
    if (A.Kind == "hash") {
      auto E = AddEntry(A.Value, Entry);
      return E ? E : Fail("the call's headers hash has a shape this fix does not edit");
    }
    // A variable holding the headers (by its name or its hash literal) is merged; anything
    // else in that place (Net::HTTP.get(host, path)) is not a headers hash.
    bool HeadersLike = AT.lower().find("header") != std::string::npos;
    for (const auto &As : M.Assignments)
      if (As.Target == AT && As.Op == "=" && !As.Value.empty() && Text[As.Value.Begin] == '{' &&
          (As.Scope == Call.Scope || rubyClosure(Call.Scope, As.Scope)))
        HeadersLike = true;
    if (A.Kind == "string")
      return Fail(fmt::format("argument {} of `{}` is a path ({}): this form of the call takes "
                              "no headers; call it with a URI and a headers hash by hand",
                              N + 1, Call.Callee, AT));
    if (!HeadersLike)
      return Fail(fmt::format("argument {} of `{}` (`{}`) is not a headers hash this fix "
                              "recognises; add the Authorization header by hand",
                              N + 1, Call.Callee, AT));
    auto E = Merge(A);
    return E ? E : Fail(Internal);
  }
  if (N == G && !Pairs.empty()) {
    // The trailing pairs are the headers (RestClient.get(url, accept: :json)).
    for (const syntax::Argument *P : Pairs)
      if (llvm::StringRef(P->Keyword).equals_insensitive("authorization") && !Covered(P->Range)) {
        if (Inside(P->Value))
          return Fail(Internal);
        return Replace(P->Value, V.str());
      }
    Items Parts;
    if (!Keep(G, Parts))
      return Fail(Internal);
    Parts.push_back({llvm::StringRef(Parts.back().second).trim().empty() ? "" : NewSep, Entry});
    auto E = Rewrite(G, Parts);
    return E ? E : Fail(Internal);
  }
  if (N >= NPos) {
    if (N > NPos && Filler.empty())
      return Fail(fmt::format("`{}` has fewer arguments than its headers position; add the "
                              "Authorization header by hand",
                              Call.Callee));
    Items Parts;
    size_t K = NPos;
    if (!Pairs.empty()) {
      // The trailing pairs become a hash literal: the headers come after them.
      K = G;
      std::string Body;
      if (!PairsText(Body))
        return Fail(Internal);
      if (llvm::StringRef(Body).trim().empty()) {
        if (Filler.empty())
          return Fail(Internal);
        Parts.push_back({SepBefore(G), Filler});
      } else {
        Parts.push_back({SepBefore(G), "{ " + Body + " }"});
      }
    } else if (!Parens && NPos > 0) {
      K = NPos - 1;
      if (!Keep(K, Parts))
        return Fail(Internal);
    }
    for (size_t P = NPos; P < N; ++P)
      Parts.push_back({NewSep, Filler});
    Parts.push_back({NewSep, NewArg});
    auto E = Rewrite(K, Parts);
    return E ? E : Fail(Internal);
  }
  return Fail(Internal);
}

std::optional<std::vector<TextEdit>> Run::rubyStatementEdits(const CallSite &Call, const Idiom &I,
                                                             llvm::StringRef V,
                                                             std::string &Why) const {
  // `req = Net::HTTP::Get.new(uri)` / `conn = Faraday.new(…)`: the variable; a call on an
  // object (`req.set_form_data(…)`): its receiver.
  std::string Var;
  ByteRange St;
  const syntax::Assignment *As = nullptr;
  for (const auto &A : M.Assignments)
    if (A.Value == Call.Range)
      As = &A;
  static const re2::RE2 Local("[a-z_][A-Za-z0-9_]*");
  if (As) {
    if (As->Op != "=" || !re2::RE2::FullMatch(As->Target, Local)) {
      Why = fmt::format(
          "the request or connection object is kept in `{}`: a header set once would outlive "
          "the one-hour access token; set `{}` before each request by hand",
          As->Target,
          expand(tmpl(I.Statement, ""), {{"var", As->Target}, {"value", V}, {"ns", NS}}));
      return std::nullopt;
    }
    Var = As->Target;
    St = As->Statement.empty() ? As->Range : As->Statement;
  } else if (Call.Name != "new" && !Call.Receiver.empty()) {
    Var = Text.slice(Call.Receiver.Begin, Call.Receiver.End).str();
    St = M.statementAt(Call.Range.Begin);
    if (St.empty() || !St.contains(Call.Range) ||
        !Text.slice(St.Begin, Call.Range.Begin).trim().empty() ||
        !Text.slice(Call.Range.End, St.End).trim(" \t;").empty()) {
      Why = fmt::format("`{}(…)` is part of a larger expression; add the Authorization header "
                        "to the request by hand",
                        Call.Callee);
      return std::nullopt;
    }
  }
  if (Var.empty()) {
    if (I.Position >= 0)
      return rubyHashEdits(Call, I, V, Why); // `Net::HTTP::Get.new(uri, initheader)`
    Why = "the request object is not kept in a variable; add the Authorization header by hand";
    return std::nullopt;
  }
  llvm::StringRef Rest = Text.slice(St.End, lineEnd(Text, St.End)).trim();
  if (!Rest.empty() && !Rest.startswith("#")) {
    Why = "the request object's statement shares its line with other code; add the "
          "Authorization header by hand";
    return std::nullopt;
  }
  llvm::StringRef NL = newlineOf(Text);
  TextEdit E;
  E.Offset = lineEndWithBreak(Text, St.End);
  E.Text = (indentOf(Text, St.Begin) +
            expand(tmpl(I.Statement, ""), {{"var", Var}, {"value", V}, {"ns", NS}}) + NL)
               .str();
  if (E.Offset == Text.size() && !Text.endswith("\n"))
    E.Text = NL.str() + E.Text;
  return std::vector<TextEdit>{E};
}

std::vector<TextEdit> Run::rubyImportEdits(llvm::ArrayRef<std::string> Extra) const {
  std::vector<std::string> Lines;
  std::string Main = tmpl(expand(R.Import, {{"ns", NS}}), "");
  bool Has = false;
  if (!R.ImportMatch.empty()) {
    re2::RE2 Re(expand(R.ImportMatch, {{"ns", NS}}), re2::RE2::Quiet);
    Has = Re.ok() && re2::RE2::PartialMatch(re2::StringPiece(Text.data(), Text.size()), Re);
  }
  auto Present = [&](llvm::StringRef Line) {
    for (llvm::StringRef L : llvm::split(Text, '\n'))
      if (L.trim() == Line.trim())
        return true;
    return false;
  };
  if (!Has && !Present(Main))
    Lines.push_back(Main);
  for (const std::string &X : Extra)
    if (!Present(X))
      Lines.push_back(X);
  if (Lines.empty())
    return {};
  // After the last top-level require line of the file's head; else after a shebang and
  // the magic comments (`# frozen_string_literal: true`, `# encoding: …`).
  static const re2::RE2 Magic("#\\s*(-\\*-.*|(frozen_string_literal|encoding|coding|"
                              "warn_indent|shareable_constant_value)\\s*:.*)");
  size_t InsertAt = 0, Pos = 0;
  bool Required = false;
  for (unsigned Count = 0; Pos < Text.size() && Count < 400; ++Count) {
    size_t E = lineEndWithBreak(Text, Pos);
    llvm::StringRef L = Text.slice(Pos, E).rtrim("\r\n");
    llvm::StringRef Tr = L.trim();
    bool Top = !L.empty() && L[0] != ' ' && L[0] != '\t';
    if (Pos == 0 && Tr.startswith("#!")) {
      InsertAt = E;
    } else if (!Required && re2::RE2::FullMatch(re2::StringPiece(Tr.data(), Tr.size()), Magic)) {
      InsertAt = E;
    } else if (Top && (Tr.startswith("require ") || Tr.startswith("require_relative ") ||
                       Tr.startswith("require(") || Tr.startswith("require_relative("))) {
      InsertAt = E;
      Required = true;
    } else if (!Tr.empty() && !Tr.startswith("#")) {
      break; // the first statement after the requires
    }
    Pos = E;
  }
  llvm::StringRef NL = newlineOf(Text);
  std::string Block;
  for (const std::string &L : Lines)
    Block += L + NL.str();
  if (InsertAt > 0 && Text[InsertAt - 1] != '\n')
    Block = NL.str() + Block; // the last require line had no line break
  // Without require lines, a blank line separates the helper's from the code after it.
  if (!Required && InsertAt < Text.size() &&
      !Text.slice(InsertAt, lineEnd(Text, InsertAt)).trim().empty())
    Block += NL.str();
  TextEdit E;
  E.Offset = InsertAt;
  E.Text = Block;
  return {E};
}

// -- Go: `req, err := http.NewRequest(…)` + `if err != nil {…}` ---------------------------
//
// The helper's SetAuthorization(req) returns an error; the code that handles it is the
// `if err != nil {…}` block after the request's creation, repeated for the helper's error
// (so the function's results need not be known). Without such a block the finding is
// left for a person. The helper package goes into <dir>/<ns>/, imported through the
// nearest go.mod's module path.

std::string Run::goHelperImport(std::string &Why) const {
  std::string Dir = directoryOf(Ctx.Path);
  std::string Rel; // Dir relative to the module root
  while (true) {
    std::string Mod = Dir.empty() ? "go.mod" : Dir + "/go.mod";
    if (Ctx.Exists && Ctx.Exists(Mod) && Ctx.Read) {
      auto Content = Ctx.Read(Mod);
      if (!Content) {
        llvm::consumeError(Content.takeError());
        break;
      }
      static const re2::RE2 ModLine("(?m)^\\s*module\\s+\"?([^\\s\"/][^\\s\"]*)\"?\\s*(//.*)?$");
      std::string Path;
      if (!re2::RE2::PartialMatch(*Content, ModLine, &Path))
        break;
      return Path + (Rel.empty() ? "" : "/" + Rel) + "/" + NS;
    }
    if (Dir.empty())
      break;
    size_t Slash = Dir.rfind('/');
    std::string Last = Slash == std::string::npos ? Dir : Dir.substr(Slash + 1);
    if (Last == "." || Last == "..")
      break;
    Rel = Rel.empty() ? Last : Last + "/" + Rel;
    Dir = Slash == std::string::npos ? "" : Dir.substr(0, Slash);
  }
  Why = "no go.mod with a module line above the file: the helper package's import path "
        "is unknown; set the Authorization header with the Go helper (helper --lang go) by hand";
  return "";
}

std::optional<std::vector<TextEdit>> Run::goStatementEdits(const CallSite &Call, const Idiom &I,
                                                           std::string &Why) const {
  if (!goHelperPlace(Why))
    return std::nullopt;
  const syntax::Assignment *As = nullptr;
  for (const auto &A : M.Assignments)
    if (A.Value == Call.Range && !A.Target.empty())
      As = &A;
  static const re2::RE2 Pair("\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*,\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*");
  std::string Var, Err;
  if (!As || (As->Op != ":=" && As->Op != "=") ||
      !re2::RE2::FullMatch(As->Target, Pair, &Var, &Err) || Var == "_" || Err == "_") {
    if (Err == "_" && Var != "_")
      Why = fmt::format("the error of `{}(…)` is discarded (`_`): no code handles an error, so "
                        "none is there for the helper's; set the Authorization header with the "
                        "Go helper (helper --lang go) by hand",
                        Call.Callee);
    else
      Why = fmt::format("`{}(…)` is not a statement `req, err := {}(…)`; set the Authorization "
                      "header with the Go helper (helper --lang go) by hand",
                      Call.Callee, Call.Callee);
    return std::nullopt;
  }
  ByteRange St = As->Statement.empty() ? As->Range : As->Statement;
  llvm::StringRef NL = newlineOf(Text);
  if (!Text.slice(St.End, lineEnd(Text, St.End)).trim().empty() ||
      lineEndWithBreak(Text, St.End) >= Text.size()) {
    Why = "the request's statement shares its line with other code; set the Authorization "
          "header by hand";
    return std::nullopt;
  }
  std::string Indent = indentOf(Text, St.Begin).str();
  llvm::StringRef Body;
  size_t After = 0;
  if (!goErrorBlock(St, Err, Indent, Body, After)) {
    Why = fmt::format("no `if {} != nil {{…}}` block follows `{}(…)` to handle the helper's "
                      "error too; set the Authorization header with the Go helper (helper "
                      "--lang go) by hand",
                      Err, Call.Callee);
    return std::nullopt;
  }
  TextEdit E;
  E.Offset = After;
  E.Text = Indent +
           goName(expand(tmpl(I.Statement, ""), {{"var", Var}, {"err", Err}, {"ns", NS}})) +
           NL.str() + Body.str() + Indent + "}" + NL.str();
  if (!goCredentialChecks(Call, St, Indent, E.Text, Why))
    return std::nullopt;
  if (After == Text.size() && !Text.endswith("\n"))
    E.Text = NL.str() + E.Text;
  std::vector<TextEdit> Out{E};
  // With `send-retry` ({ns}.Do): `client.Do(req)` of this request in the same function,
  // before {var} is assigned again, becomes `{ns}.Do(client, req)` (one more try after a
  // 401 with a fresh header).
  if (!I.SendRetry.empty())
    for (TextEdit &D : goSendRetryEdits(Call.Scope, Var, St.End, I.SendRetry, nullptr))
      Out.push_back(std::move(D));
  return Out;
}

bool Run::goErrorBlock(ByteRange St, llvm::StringRef Err, llvm::StringRef Indent,
                       llvm::StringRef &Body, size_t &After, bool SkipBlank) const {
  size_t Pos = lineEndWithBreak(Text, St.End);
  while (SkipBlank && Pos < Text.size() &&
         Text.slice(Pos, lineEndWithBreak(Text, Pos)).trim().empty())
    Pos = lineEndWithBreak(Text, Pos);
  if (Pos >= Text.size())
    return false;
  // The `if err != nil {` line right after it, its body and its `}` at the same indentation.
  size_t IfEnd = lineEndWithBreak(Text, Pos);
  llvm::StringRef IfLine = Text.slice(Pos, IfEnd).rtrim("\r\n");
  re2::RE2 IfRe("(\\s*)if\\s+" + re2::RE2::QuoteMeta(re2::StringPiece(Err.data(), Err.size())) +
                "\\s*!=\\s*nil\\s*\\{\\s*");
  std::string IfIndent;
  bool Ok = re2::RE2::FullMatch(re2::StringPiece(IfLine.data(), IfLine.size()), IfRe, &IfIndent) &&
            IfIndent == Indent;
  size_t BodyBegin = IfEnd, Close = IfEnd;
  while (Ok && Close < Text.size()) {
    size_t E = lineEndWithBreak(Text, Close);
    llvm::StringRef L = Text.slice(Close, E).rtrim("\r\n");
    if (!L.trim().empty() && !L.startswith((Indent + "\t").str()) &&
        !L.startswith((Indent + " ").str())) {
      Ok = L == (Indent + "}").str();
      break;
    }
    Close = E;
  }
  if (!Ok || Close >= Text.size() || Close == BodyBegin)
    return false;
  Body = Text.slice(BodyBegin, Close);
  After = lineEndWithBreak(Text, Close);
  return true;
}

bool Run::goCredentialChecks(const CallSite &Call, ByteRange St, llvm::StringRef Indent,
                             std::string &Extra, std::string &Why) const {
  llvm::StringRef NL = newlineOf(Text);
  // A local variable the removed credential read, used nowhere else in the function,
  // would be "declared and not used" (a compile error): it is used as `_ = name`.
  if (Pending) {
    auto Removed = [&](size_t P) { return removedByPending(P); };
    // A use on a line of another finding may go with that finding's own fix: not counted.
    auto OnFindingLine = [&](size_t P) { return onFindingLine(P); };
    std::set<std::string> Seen;
    static const re2::RE2 Ident("([A-Za-z_][A-Za-z0-9_]*)");
    for (const TextEdit &R : *Pending) {
      re2::StringPiece In(Text.data() + R.Offset, R.Length);
      std::string Name;
      while (R.Length > 0 && re2::RE2::FindAndConsume(&In, Ident, &Name)) {
        if (!Seen.insert(Name).second)
          continue;
        bool Local = false;
        for (const auto &A : M.Assignments)
          if (A.Name == Name && Call.Scope.contains(A.Range) &&
              (A.Op == ":=" || A.Keyword == "var") && A.Range.End <= St.Begin)
            Local = true;
        if (!Local)
          continue;
        unsigned Uses = 0;
        llvm::StringRef Sc = Text.slice(Call.Scope.Begin, Call.Scope.End);
        for (size_t P = 0; (P = Sc.find(Name, P)) != llvm::StringRef::npos; P += Name.size()) {
          bool B = P == 0 || !isIdentChar(Sc[P - 1]);
          bool A = P + Name.size() >= Sc.size() || !isIdentChar(Sc[P + Name.size()]);
          if (B && A && !Removed(Call.Scope.Begin + P) && !OnFindingLine(Call.Scope.Begin + P))
            ++Uses;
        }
        if (Uses <= 1)
          Extra += Indent.str() + "_ = " + Name +
                   " // the legacy authtoken is no longer sent: remove it and where it comes from" +
                   NL.str();
      }
    }
  }
  // A format string (`fmt.Sprintf("…authtoken=%s…", t)`): its verb and argument would have
  // to go together; left for a person.
  if (Pending)
    for (const TextEdit &R : *Pending)
      for (const CallSite &C : M.Calls)
        if (R.Length > 0 &&
            C.ArgumentList.contains(ByteRange{static_cast<uint32_t>(R.Offset),
                                              static_cast<uint32_t>(R.Offset + R.Length)}) &&
            (llvm::StringRef(C.Callee).endswith("Sprintf") ||
             llvm::StringRef(C.Callee).endswith("Appendf"))) {
          Why = fmt::format("the authtoken is in the format string of `{}(…)`: its verb and "
                            "argument must go together; remove them and set the Authorization "
                            "header with the Go helper (helper --lang go) by hand",
                            C.Callee);
          return false;
        }
  // A package the removed credential used (`os.Getenv(…)` in the URL) and nothing else
  // uses would be an unused import (a compile error): left for a person.
  if (Pending) {
    auto Removed = [&](size_t P) { return removedByPending(P); };
    // A use on a line of another finding may go with that finding's own fix: not counted.
    auto OnFindingLine = [&](size_t P) { return onFindingLine(P); };
    static const re2::RE2 Qualified("([A-Za-z_][A-Za-z0-9_]*)\\s*\\.");
    for (const TextEdit &R : *Pending) {
      re2::StringPiece In(Text.data() + R.Offset, R.Length);
      std::string Pkg;
      while (R.Length > 0 && re2::RE2::FindAndConsume(&In, Qualified, &Pkg)) {
        re2::RE2 ImportLine("(?m)^\\s*(import\\s+)?(" + Pkg + "\\s+\"[^\"]*\"|\"([^\"]*/)?" + Pkg +
                            "\"|" + Pkg + "\\s+\"[^\"]*\")\\s*(//.*)?$");
        if (!re2::RE2::PartialMatch(re2::StringPiece(Text.data(), Text.size()), ImportLine))
          continue;
        bool Used = false;
        for (size_t P = 0; !Used && (P = Text.find(Pkg, P)) != llvm::StringRef::npos; P += Pkg.size()) {
          bool B = P == 0 || !isIdentChar(Text[P - 1]);
          size_t Q = P + Pkg.size();
          while (Q < Text.size() && (Text[Q] == ' ' || Text[Q] == '\t'))
            ++Q;
          if (B && Q < Text.size() && Text[Q] == '.' && !Removed(P) && !OnFindingLine(P))
            Used = true;
        }
        if (!Used) {
          Why = fmt::format("removing the credential would leave the import of `{}` unused (a "
                            "compile error in Go); move the legacy token's source out of the "
                            "request, or fix this request by hand",
                            Pkg);
          return false;
        }
      }
    }
  }
  return true;
}

bool Run::goHttpClient(llvm::StringRef Recv) const {
  if (Recv == "http.DefaultClient")
    return true;
  if (Recv.empty() || Recv.find_first_of("()[]") != llvm::StringRef::npos)
    return false;
  auto FileHas = [&](const std::string &Re) {
    re2::RE2 R(Re, re2::RE2::Quiet);
    return R.ok() && re2::RE2::PartialMatch(re2::StringPiece(Text.data(), Text.size()), R);
  };
  std::string N = re2::RE2::QuoteMeta(lastName(Recv).str());
  return FileHas("(?:^|[^\\w.])" + N + "\\s*:?=\\s*&?http\\.Client\\s*\\{") ||
         FileHas("(?:^|[^\\w.])" + N + "\\s*:?=\\s*http\\.DefaultClient\\b") ||
         FileHas("(?:^|[^\\w.])" + N + "\\s+\\*?http\\.Client\\b");
}

// -- Go: http.Get / Head / Post / PostForm and the same methods of an *http.Client ----------
//
// They take no headers, so the statement becomes a request built with http.NewRequest that
// gets the header from the helper and is sent with the client's Do:
//   resp, err := http.Get(u)            req, err := http.NewRequest(http.MethodGet, u, nil)
//   if err != nil {                     if err != nil {
//   	return err                       	return err
//   }                                   }
//                                       if err = zohooauth.SetAuthorization(req); err != nil {
//                                       	return err
//                                       }
//                                       resp, err := zohooauth.Do(http.DefaultClient, req)
//                                       if err != nil {
//                                       	return err
//                                       }
// The error block (which handled every error of the one call) is repeated for each step,
// so it must end the flow (return, panic, log.Fatal…, continue, break, goto) and must not
// read the response. `return http.Get(u)` (the function's results are then exactly the
// response and the error) handles the new errors with `return nil, err`. Post's content
// type becomes a Content-Type header; PostForm's values the body
// `strings.NewReader(v.Encode())` with the form content type. Anything else is left with
// the idiom's reason. zohooauth.Do (the idiom's send-retry) sends the request once more
// with a fresh header after a 401 when its body can be read again.

std::optional<std::vector<TextEdit>> Run::goNewRequestEdits(const CallSite &Call, const Idiom &I,
                                                            std::string &Why) const {
  std::string Rewrite = expand(I.Reason, {{"callee", Call.Callee}, {"ns", NS}});
  auto Leave = [&](std::string Because) {
    Why = Because + "; " + Rewrite;
    return std::nullopt;
  };
  if (!goHelperPlace(Why))
    return std::nullopt;
  llvm::StringRef Name(Call.Name);
  llvm::StringRef Callee(Call.Callee);
  if (!Callee.endswith("." + Name.str()))
    return Leave("the call is not `receiver." + Name.str() + "(…)`");
  llvm::StringRef Recv = Callee.drop_back(Name.size() + 1).trim();
  auto FileHas = [&](const std::string &Re) {
    re2::RE2 R(Re, re2::RE2::Quiet);
    return R.ok() && re2::RE2::PartialMatch(re2::StringPiece(Text.data(), Text.size()), R);
  };
  if (!FileHas("(?m)^\\s*(import\\s+)?\"net/http\"\\s*(//.*)?$"))
    return Leave("net/http is not imported as `http` in this file");
  std::string Client;
  if (Recv == "http") {
    Client = "http.DefaultClient";
  } else {
    if (!goHttpClient(Recv))
      return Leave(fmt::format("`{}` is not visibly an http.Client in this file (`{} := "
                               "&http.Client{{…}}`, `{} *http.Client`)",
                               Recv, lastName(Recv), lastName(Recv)));
    Client = Recv.str();
  }
  std::string Method;
  size_t Want = 0;
  if (Name == "Get" || Name == "Head") {
    Method = Name == "Get" ? "http.MethodGet" : "http.MethodHead";
    Want = 1;
  } else if (Name == "Post") {
    Method = "http.MethodPost";
    Want = 3;
  } else if (Name == "PostForm") {
    Method = "http.MethodPost";
    Want = 2;
  } else {
    return Leave("not a method fix knows");
  }
  const auto &Args = Call.Arguments;
  if (Args.size() != Want || Call.ArgumentList.size() < 2)
    return Leave(fmt::format("`{}(…)` does not have {} argument{}", Call.Callee, Want,
                             Want == 1 ? "" : "s"));
  auto HasBreak = [&](size_t B, size_t E) {
    return Text.slice(B, E).find_first_of("\r\n") != llvm::StringRef::npos;
  };
  if (HasBreak(Call.ArgumentList.Begin, Args.front().Range.Begin) ||
      HasBreak(Args.back().Range.End, Call.ArgumentList.End) ||
      (Want > 1 && HasBreak(Args[0].Range.End, Args[1].Range.Begin)) ||
      (Want == 3 && HasBreak(Args[1].Range.Begin, Args[2].Range.Begin)))
    return Leave("its arguments are spread over lines");
  auto Touched = [&](size_t B, size_t E) {
    for (size_t P = B; P < E; ++P)
      if (removedByPending(P))
        return true;
    return false;
  };

  // The statement: `T, E := / = <call>` or `return <call>`, alone on its lines.
  const syntax::Assignment *As = nullptr;
  for (const auto &A : M.Assignments)
    if (A.Value == Call.Range && !A.Target.empty())
      As = &A;
  ByteRange St;
  bool Return = false;
  if (As && (As->Op == ":=" || As->Op == "=") && As->Keyword.empty()) {
    St = As->Statement.empty() ? As->Range : As->Statement;
  } else {
    St = M.statementAt(Call.Range.Begin);
    llvm::StringRef Before = St.empty() ? "" : Text.slice(St.Begin, Call.Range.Begin).trim();
    Return = !St.empty() && Before == "return" && Text.slice(Call.Range.End, St.End).trim().empty();
    if (!Return)
      return Leave(fmt::format("`{}(…)` is not a statement of its own (`resp, err := {}(…)` "
                               "followed by `if err != nil {{…}}`, or `return {}(…)`)",
                               Call.Callee, Call.Callee, Call.Callee));
  }
  if (!Text.slice(lineBegin(Text, St.Begin), St.Begin).trim().empty() ||
      !Text.slice(St.End, lineEnd(Text, St.End)).trim().empty() ||
      lineEndWithBreak(Text, St.End) >= Text.size())
    return Leave("the statement shares its line with other code (an `if …;` header, `;`)");
  std::string Indent = indentOf(Text, St.Begin).str();
  llvm::StringRef NL = newlineOf(Text);
  llvm::StringRef Scope = Text.slice(Call.Scope.Begin, Call.Scope.End);
  std::string Req;
  for (const char *C : {"req", "request", "zohoReq"})
    if (!mentions(Scope, C)) {
      Req = C;
      break;
    }
  if (Req.empty())
    return Leave("no free name for the request variable (`req`, `request` are taken)");

  std::string Target, Err = "err", Body, FirstLine;
  bool Declare = false;
  size_t TailAt = 0;
  if (Return) {
    Body = Indent + "\treturn nil, " + Err + NL.str();
    FirstLine = Req + ", " + Err + " := http.NewRequest(" + Method + ", ";
    TailAt = lineEndWithBreak(Text, St.End);
  } else {
    static const re2::RE2 Pair("\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*,\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*");
    if (!re2::RE2::FullMatch(As->Target, Pair, &Target, &Err))
      return Leave(fmt::format("`{}` is not `resp, err`", As->Target));
    if (Err == "_")
      return Leave("its error is discarded (`_`): no code handles an error, so none is there "
                   "for the helper's");
    llvm::StringRef BodyRef;
    size_t After = 0;
    if (!goErrorBlock(St, Err, Indent, BodyRef, After))
      return Leave(fmt::format("no `if {} != nil {{…}}` block follows it", Err));
    Body = BodyRef.str();
    if (Target != "_" && mentions(Body, Target))
      return Leave(fmt::format("its error block reads `{}`, which the new request's errors do "
                               "not set",
                               Target));
    // The last line of the block must leave the flow: it is repeated for earlier errors.
    llvm::StringRef Last;
    for (llvm::StringRef L : llvm::split(BodyRef, '\n'))
      if (!L.trim().empty())
        Last = L.trim();
    static const re2::RE2 Ends("(return|continue|break|goto)\\b.*|panic\\(.*|os\\.Exit\\(.*|"
                               "[A-Za-z_][A-Za-z0-9_]*\\.(Fatal|Fatalf|Fatalln|Panic|Panicf|"
                               "Panicln|FailNow|Skip|Skipf|SkipNow)\\(.*");
    if (!re2::RE2::FullMatch(re2::StringPiece(Last.data(), Last.size()), Ends))
      return Leave(fmt::format("its `if {} != nil {{…}}` block does not end the flow (return, "
                               "panic, log.Fatal…), so repeating it for the new request's "
                               "errors would change what runs next",
                               Err));
    Declare = As->Op == ":=";
    if (Declare && Target != "_" && mentions(Text.slice(Call.Scope.Begin, St.Begin), Target))
      return Leave(fmt::format("`{}` is declared before it (`:=` would redeclare it)", Target));
    FirstLine = Declare ? Req + ", " + Err + " := http.NewRequest(" + Method + ", "
                        : "var " + Req + " *http.Request" + NL.str() + Indent + Req + ", " + Err +
                              " = http.NewRequest(" + Method + ", ";
    TailAt = After;
  }
  if (Touched(St.Begin, Call.ArgumentList.Begin + 1))
    return Leave("the credential's removal overlaps the call");

  std::vector<TextEdit> Out;
  TextEdit First;
  First.Offset = St.Begin;
  First.Length = Call.ArgumentList.Begin + 1 - St.Begin;
  First.Text = FirstLine;
  Out.push_back(First);
  std::string ContentType;
  if (Want == 1) {
    TextEdit Nil;
    Nil.Offset = Args[0].Range.End;
    Nil.Text = ", nil";
    Out.push_back(Nil);
    // The URL moves from the only argument to one of three, where gofmt writes binary
    // operators without blanks (`"…/" + id` -> `"…/"+id`): the blanks around `+` go.
    size_t B = Args[0].Range.Begin, E = Args[0].Range.End;
    for (size_t P = B; P < E; ++P) {
      char C = Text[P];
      if (C == '"' || C == '\'' || C == '`') { // skip the literal
        for (++P; P < E && Text[P] != C; ++P)
          if (Text[P] == '\\' && C != '`')
            ++P;
        continue;
      }
      if (C != '+' || (P + 1 < E && (Text[P + 1] == '+' || Text[P + 1] == '=')))
        continue;
      size_t L = P, R = P + 1;
      while (L > B && (Text[L - 1] == ' ' || Text[L - 1] == '\t'))
        --L;
      while (R < E && (Text[R] == ' ' || Text[R] == '\t'))
        ++R;
      for (auto [From, To] : {std::pair<size_t, size_t>{L, P}, {P + 1, R}})
        if (From < To && !Touched(From, To)) {
          TextEdit Gap;
          Gap.Offset = From;
          Gap.Length = To - From;
          Out.push_back(Gap);
        }
    }
  } else if (Want == 3) {
    if (Touched(Args[0].Range.End, Args[2].Range.Begin))
      return Leave("the credential's removal overlaps the content type argument");
    TextEdit Cut;
    Cut.Offset = Args[0].Range.End;
    Cut.Length = Args[2].Range.Begin - Args[0].Range.End;
    Cut.Text = ", ";
    Out.push_back(Cut);
    ContentType = Text.slice(Args[1].Range.Begin, Args[1].Range.End).str();
  } else {
    if (Touched(Args[0].Range.End, Args[1].Range.Begin))
      return Leave("the credential's removal overlaps the call");
    // `strings.NewReader` needs the package name free in the function.
    for (size_t P = 0; (P = Scope.find("strings", P)) != llvm::StringRef::npos; P += 7) {
      bool B = P == 0 || (!isIdentChar(Scope[P - 1]) && Scope[P - 1] != '.');
      size_t Q = P + 7;
      bool A = Q >= Scope.size() || !isIdentChar(Scope[Q]);
      while (Q < Scope.size() && (Scope[Q] == ' ' || Scope[Q] == '\t'))
        ++Q;
      if (B && A && (Q >= Scope.size() || Scope[Q] != '.'))
        return Leave("the function has a name `strings` of its own, which the form body "
                     "`strings.NewReader(…)` needs for the package");
    }
    llvm::StringRef K(Args[1].Kind);
    bool Operand = K == "identifier" || K == "selector_expression" || K == "composite_literal" ||
                   K == "call_expression" || K == "index_expression" ||
                   K == "parenthesized_expression";
    TextEdit Open, Close;
    Open.Offset = Args[0].Range.End;
    Open.Length = Args[1].Range.Begin - Args[0].Range.End;
    Open.Text = std::string(", strings.NewReader(") + (Operand ? "" : "(");
    Close.Offset = Args[1].Range.End;
    Close.Text = std::string(Operand ? "" : ")") + ".Encode())";
    Out.push_back(Open);
    Out.push_back(Close);
    ContentType = "\"application/x-www-form-urlencoded\"";
  }

  // `send-retry` ({ns}.Do): the helper sends once more after a 401; else client.Do.
  std::string Send = I.SendRetry.empty() ? Client + ".Do(" + Req + ")"
                                         : goName(expand(I.SendRetry, {{"ns", NS}})) + "(" +
                                               Client + ", " + Req + ")";
  std::string Tail;
  if (Return)
    Tail += Indent + "if " + Err + " != nil {" + NL.str() + Body + Indent + "}" + NL.str();
  if (!ContentType.empty())
    Tail += Indent + Req + ".Header.Set(\"Content-Type\", " + ContentType + ")" + NL.str();
  Tail += Indent + goName(expand(tmpl(I.Statement, ""), {{"var", Req}, {"err", Err}, {"ns", NS}})) +
          NL.str() + Body + Indent + "}" + NL.str();
  if (!goCredentialChecks(Call, St, Indent, Tail, Why))
    return std::nullopt;
  if (Return) {
    Tail += Indent + "return " + Send + NL.str();
    // The rest of the old statement's line (its end) goes.
    TextEdit Rest;
    Rest.Offset = Call.Range.End;
    Rest.Length = St.End - Call.Range.End;
    if (Rest.Length > 0)
      Out.push_back(Rest);
  } else {
    Tail += Indent + Target + ", " + Err + (Declare && Target != "_" ? " := " : " = ") + Send +
            NL.str() + Indent + "if " + Err + " != nil {" + NL.str() + Body + Indent + "}" +
            NL.str();
  }
  if (TailAt == Text.size() && !Text.endswith("\n"))
    Tail = NL.str() + Tail;
  TextEdit T;
  T.Offset = TailAt;
  T.Text = Tail;
  Out.push_back(T);
  return Out;
}

// -- Go: where the helper goes ------------------------------------------------------------
//
// With a go.mod above the file the helper is a package directory `<dir>/<ns>/` imported by
// its module path. Without one (GOPATH-era code, a package copied into a tree) no import
// path is known, so the helper joins the edited package as the file `zoho_oauth.go` with
// the file's `package` name; its package-level names carry a prefix (`zohoOAuthDo`,
// unexported: the package's API does not grow) and are checked, with the package names it
// imports, against the declarations of the package's other files.

bool Run::goHelperPlace(std::string &Why) const {
  if (GoPlace < 0) {
    std::string ModWhy;
    GoPlace = 0;
    static const re2::RE2 PkgRe("(?m)^package\\s+([A-Za-z_][A-Za-z0-9_]*)");
    std::string Pkg;
    auto PackageOf = [&](llvm::StringRef Src) {
      std::string P;
      re2::RE2::PartialMatch(re2::StringPiece(Src.data(), Src.size()), PkgRe, &P);
      return P;
    };
    const char *ByHand =
        "; set the Authorization header with the Go helper (helper --lang go) by hand";
    if (!goHelperImport(ModWhy).empty()) {
      GoPlace = 1;
    } else if ((Pkg = PackageOf(Text)).empty()) {
      GoPlaceWhy = std::string("no go.mod above the file and no package clause in it") + ByHand;
    } else if (llvm::StringRef(Pkg).endswith("_test")) {
      GoPlaceWhy = fmt::format("no go.mod above the file (the helper package's import path is "
                               "unknown), and `package {}` is an external test package, which "
                               "the helper file cannot join{}",
                               Pkg, ByHand);
    } else {
      std::string Dir = directoryOf(Ctx.Path);
      llvm::StringRef Self = llvm::StringRef(Ctx.Path).rsplit('/').second;
      if (Self.empty())
        Self = Ctx.Path;
      std::vector<std::string> Files;
      if (Ctx.Opts && Ctx.Opts->ListDir)
        Files = Ctx.Opts->ListDir(Dir);
      if (!llvm::is_contained(Files, Self.str()))
        Files.push_back(Self.str());
      std::set<std::string> Taken;
      for (const std::string &N : goInPackageNames(NS))
        Taken.insert(N);
      for (const std::string &N : goInPackageImports())
        Taken.insert(N);
      std::string Clash;
      for (const std::string &N : Files) {
        if (!llvm::StringRef(N).endswith(".go") || !Clash.empty())
          continue;
        std::string Content;
        if (N == Self) {
          Content = Text.str();
        } else if (Ctx.Read) {
          auto C = Ctx.Read(Dir.empty() ? N : Dir + "/" + N);
          if (!C) {
            llvm::consumeError(C.takeError());
            continue;
          }
          Content = std::move(*C);
        }
        if (N == "zoho_oauth.go") {
          if (!isUnmodifiedGeneratedFile(Content))
            Clash = "the directory has a `zoho_oauth.go` that is not the generated helper";
          continue;
        }
        if (PackageOf(Content) != Pkg)
          continue;
        for (const std::string &Name : goTopLevelNames(Content))
          if (Taken.count(Name)) {
            Clash = fmt::format("`{}` of {} is also a name of the helper file (its prefixed "
                                "names and the packages it imports)",
                                Name, N);
            break;
          }
      }
      if (Clash.empty()) {
        GoPlace = 2;
        GoPackage = Pkg;
      } else {
        GoPlaceWhy = fmt::format("no go.mod above the file (the helper package's import path "
                                 "is unknown), and the helper cannot join package {}: {}{}",
                                 Pkg, Clash, ByHand);
      }
    }
  }
  if (GoPlace == 0)
    Why = GoPlaceWhy;
  return GoPlace > 0;
}

std::string Run::goName(std::string S) const {
  if (GoPlace != 2)
    return S;
  std::string Prefix = goInPackagePrefix(NS), Q = NS + ".", Out;
  for (size_t P = 0;;) {
    size_t F = S.find(Q, P);
    if (F == std::string::npos) {
      Out += S.substr(P);
      break;
    }
    bool Own = F == 0 || !isIdentChar(S[F - 1]);
    Out += S.substr(P, F - P) + (Own ? Prefix : Q);
    P = F + Q.size();
  }
  return Out;
}

std::vector<const CallSite *> Run::goDoCalls(ByteRange Scope, llvm::StringRef Var,
                                             size_t From) const {
  std::vector<const CallSite *> Out;
  uint32_t Until = Scope.End;
  for (const auto &A : M.Assignments)
    if (A.Range.Begin > From && A.Range.Begin < Until && Scope.contains(A.Range) &&
        llvm::StringRef(A.Target).split(',').first.trim() == Var)
      Until = A.Range.Begin;
  for (const CallSite &C : M.Calls) {
    if (C.Name != "Do" || C.Range.Begin <= From || C.Range.Begin >= Until ||
        !Scope.contains(C.Range) || C.Arguments.size() != 1 ||
        Text.slice(C.Arguments[0].Range.Begin, C.Arguments[0].Range.End) != Var)
      continue;
    llvm::StringRef Callee(C.Callee);
    if (!Callee.endswith(".Do") || !goHttpClient(Callee.drop_back(3).trim()) ||
        removedByPending(C.Range.Begin))
      continue;
    Out.push_back(&C);
  }
  return Out;
}

std::vector<TextEdit> Run::goSendRetryEdits(ByteRange Scope, llvm::StringRef Var, size_t From,
                                            llvm::StringRef SendRetry, std::string *Sent) const {
  std::vector<TextEdit> Out;
  for (const CallSite *C : goDoCalls(Scope, Var, From)) {
    llvm::StringRef Recv = llvm::StringRef(C->Callee).drop_back(3).trim();
    TextEdit D;
    D.Offset = C->Range.Begin;
    D.Length = C->ArgumentList.Begin + 1 - C->Range.Begin;
    D.Text = goName(expand(SendRetry, {{"ns", NS}})) + "(" + Recv.str() + ", ";
    Out.push_back(D);
    if (Sent && Sent->empty())
      *Sent = C->Callee + "(" + Var.str() + ")";
  }
  return Out;
}

namespace {
/// Go source with string, rune and comment contents blanked (line breaks kept).
std::string goCodeOnly(llvm::StringRef T) {
  std::string Out = T.str();
  for (size_t I = 0; I < T.size();) {
    char C = T[I];
    size_t J = I;
    if (C == '"' || C == '\'' || C == '`') {
      J = I + 1;
      while (J < T.size() && T[J] != C && (C == '`' || T[J] != '\n'))
        J += (T[J] == '\\' && C != '`') ? 2 : 1;
      J = std::min(J + 1, T.size());
    } else if (C == '/' && I + 1 < T.size() && T[I + 1] == '/') {
      J = T.find('\n', I);
      J = J == llvm::StringRef::npos ? T.size() : J;
    } else if (C == '/' && I + 1 < T.size() && T[I + 1] == '*') {
      J = T.find("*/", I + 2);
      J = J == llvm::StringRef::npos ? T.size() : J + 2;
    } else {
      ++I;
      continue;
    }
    for (size_t K = I; K < J; ++K)
      if (Out[K] != '\n')
        Out[K] = ' ';
    I = J;
  }
  return Out;
}

/// True if package name \p Pkg is used as a qualifier (`pkg.Name`) in code \p C.
bool goQualifierUsed(llvm::StringRef C, llvm::StringRef Pkg) {
  for (size_t P = 0; (P = C.find(Pkg, P)) != llvm::StringRef::npos; P += Pkg.size()) {
    if (P > 0 && (isIdentChar(C[P - 1]) || C[P - 1] == '.'))
      continue;
    size_t Q = P + Pkg.size();
    while (Q < C.size() && (C[Q] == ' ' || C[Q] == '\t'))
      ++Q;
    if (Q < C.size() && C[Q] == '.')
      return true;
  }
  return false;
}

/// The last line of an error block ends the flow (return, panic, log.Fatal…, …).
bool goEndsFlow(llvm::StringRef Body) {
  llvm::StringRef Last;
  for (llvm::StringRef L : llvm::split(Body, '\n'))
    if (!L.trim().empty())
      Last = L.trim();
  static const re2::RE2 Ends("(return|continue|break|goto)\\b.*|panic\\(.*|os\\.Exit\\(.*|"
                             "[A-Za-z_][A-Za-z0-9_]*\\.(Fatal|Fatalf|Fatalln|Panic|Panicf|"
                             "Panicln|FailNow|Skip|Skipf|SkipNow)\\(.*");
  return re2::RE2::FullMatch(re2::StringPiece(Last.data(), Last.size()), Ends);
}
} // namespace

std::vector<TextEdit> Run::goUnusedImportEdits(llvm::ArrayRef<TextEdit> Edits) const {
  std::string New = Text.str();
  if (Edits.empty() || !applyEdits(New, std::vector<TextEdit>(Edits.begin(), Edits.end())))
    return {};
  std::string OldC = goCodeOnly(Text), NewC = goCodeOnly(New);
  struct Spec {
    size_t Begin, End;
    std::string Name;
    int Block; ///< index of its `import (…)` block, -1 for `import "…"`
  };
  std::vector<Spec> Specs;
  std::vector<std::pair<size_t, size_t>> Blocks; // `import (` line begin, `)` line end
  static const re2::RE2 SpecRe(
      "\\s*(?:import\\s+)?([A-Za-z_][A-Za-z0-9_]*\\s+|[._]\\s+)?\"([^\"]+)\"\\s*(?://.*)?");
  bool In = false;
  for (size_t Pos = 0, Count = 0; Pos < Text.size() && Count < 2000; ++Count) {
    size_t E = lineEndWithBreak(Text, Pos);
    llvm::StringRef L = Text.slice(Pos, E).rtrim("\r\n");
    std::string Alias, Path;
    if (In && L.rtrim() == ")") {
      In = false;
      Blocks.back().second = E;
    } else if (!In && L.rtrim() == "import (") {
      In = true;
      Blocks.push_back({Pos, Text.size()});
    } else if ((In || L.startswith("import ")) &&
               re2::RE2::FullMatch(re2::StringPiece(L.data(), L.size()), SpecRe, &Alias, &Path)) {
      std::string Name = llvm::StringRef(Alias).trim().str();
      if (Name.empty())
        Name = llvm::StringRef(Path).rsplit('/').second.empty()
                   ? Path
                   : llvm::StringRef(Path).rsplit('/').second.str();
      Specs.push_back({Pos, E, Name, In ? static_cast<int>(Blocks.size()) - 1 : -1});
    } else if (!In && (L.startswith("func ") || L.startswith("type ") || L.startswith("var ") ||
                       L.startswith("const "))) {
      break;
    }
    Pos = E;
  }
  std::vector<TextEdit> Out;
  std::map<int, unsigned> Gone, Total;
  std::vector<const Spec *> Remove;
  for (const Spec &S : Specs) {
    ++Total[S.Block];
    if (S.Name == "_" || S.Name == "." || !llvm::all_of(S.Name, isIdentChar))
      continue;
    if (goQualifierUsed(OldC, S.Name) && !goQualifierUsed(NewC, S.Name)) {
      Remove.push_back(&S);
      ++Gone[S.Block];
    }
  }
  for (const Spec *S : Remove) {
    if (S->Block >= 0 && Gone[S->Block] == Total[S->Block]) {
      if (S == *llvm::find_if(Remove, [&](const Spec *X) { return X->Block == S->Block; })) {
        TextEdit E; // the whole block
        E.Offset = Blocks[S->Block].first;
        E.Length = Blocks[S->Block].second - Blocks[S->Block].first;
        Out.push_back(E);
      }
      continue;
    }
    TextEdit E;
    E.Offset = S->Begin;
    E.Length = S->End - S->Begin;
    Out.push_back(E);
  }
  return Out;
}

// -- Go: `req.Header.Set("Authorization", "Zoho-authtoken "+t)` ------------------------------
//
// The helper's SetAuthorization(req) sets the header and returns an error, so the statement
// becomes that call with the function's own error handling, in this order:
//   1. `req, err := http.NewRequest(…)` has an `if err != nil {…}` block: the same block
//      handles the helper's error, in place of the old statement;
//   2. else `resp, err := client.Do(req)` has one that ends the flow and does not read
//      `resp`: the helper is called just before that statement with that block (a failed
//      refresh is reported as a failed send);
//   3. else, when http.NewRequest's error is discarded (`req, _ :=`), the helper's is too
//      (`_ = …`): a failed refresh sends the request without Authorization and Zoho answers
//      401, which is what the code got for a bad token before, so it handles it as it did.
// A variable holding the value, used only there, goes with it; a local the value alone read
// stays as `_ = name`; imports only the value used go (goUnusedImportEdits).

std::optional<std::vector<TextEdit>> Run::goHeaderEdits(const Finding &F, std::string &What,
                                                        std::string &Why, bool &Applies) const {
  Applies = false;
  uint32_t Off = static_cast<uint32_t>(F.Offset);
  auto Touches = [&](ByteRange R) { return R.Begin <= Off && Off < R.End; };
  const StringExpr *S = nullptr;
  // A bare-header finding: the token itself is the value (`req.Header.Set("Authorization",
  // c.AuthToken)`).
  bool Bare = F.RuleId.find("bare-header") != std::string::npos;
  std::optional<std::pair<ByteRange, ByteRange>> BareValue;
  if (Bare)
    BareValue = bareHeaderValue(Off);
  for (const auto *List : {&M.Concats, &M.Strings}) {
    for (const StringExpr &X : *List)
      if (!Bare && !S && Touches(X.Range) && !X.Pieces.empty() && X.Pieces.front().IsLiteral &&
          llvm::StringRef(X.Pieces.front().Value).ltrim().startswith_insensitive("zoho-authtoken"))
        S = &X;
    if (S)
      break;
  }
  if (!S && !BareValue)
    return std::nullopt;
  Applies = true;
  const char *ByHand =
      "; set the Authorization header with the Go helper (helper --lang go) by hand";
  ByteRange V = S ? S->Range : BareValue->first;
  for (const CallSite &C : M.Calls)
    if (S && !C.Arguments.empty() && C.Arguments[0].Value == S->Range &&
        llvm::StringRef(C.Name).contains_insensitive("printf")) {
      static const re2::RE2 Verb("(?i)\\s*zoho-authtoken\\s+%[sv]\\s*");
      std::string Format = S->isConstant() ? S->flatten("") : "";
      if (C.Callee != "fmt.Sprintf" || C.Arguments.size() != 2 ||
          !re2::RE2::FullMatch(Format, Verb)) {
        Why = fmt::format("the header value is formatted by `{}(…)` with more than the token{}",
                          C.Callee, ByHand);
        return std::nullopt;
      }
      V = C.Range;
    }
  static const re2::RE2 IdentRe("[A-Za-z_][A-Za-z0-9_]*");
  auto SetOf = [&](ByteRange Value) -> const CallSite * {
    for (const CallSite &C : M.Calls) {
      llvm::StringRef Ce(C.Callee);
      if ((Ce.endswith(".Header.Set") || Ce.endswith(".Header.Add")) && C.Arguments.size() == 2 &&
          C.Arguments[1].Value == Value &&
          Text.slice(C.Arguments[0].Value.Begin, C.Arguments[0].Value.End)
              .equals_insensitive("\"authorization\""))
        return &C;
    }
    return nullptr;
  };
  const CallSite *Set = SetOf(V);
  ByteRange Decl; // the statement of a variable that holds the value
  if (!Set && !S) {
    Why = std::string("the legacy token is the Authorization value, but it is not set with "
                      "`req.Header.Set(\"Authorization\", …)`") + ByHand;
    return std::nullopt;
  }
  if (!Set) {
    const syntax::Assignment *As = nullptr;
    for (const auto &A : M.Assignments)
      if (A.Value == V && (A.Op == ":=" || (A.Keyword == "var" && (A.Op == "=" || A.Op.empty()))))
        As = &A;
    if (As && re2::RE2::FullMatch(As->Target, IdentRe) && As->Scope.size() < Text.size()) {
      llvm::StringRef Name(As->Target);
      std::vector<uint32_t> Uses;
      llvm::StringRef Code = Text.slice(As->Scope.Begin, As->Scope.End);
      for (size_t P = 0; (P = Code.find(Name, P)) != llvm::StringRef::npos; P += Name.size()) {
        uint32_t At = As->Scope.Begin + P;
        bool B = P == 0 || (!isIdentChar(Code[P - 1]) && Code[P - 1] != '.');
        bool A = P + Name.size() >= Code.size() || !isIdentChar(Code[P + Name.size()]);
        if (B && A && !As->TargetRange.contains(ByteRange{At, At + 1}) &&
            !S->Range.contains(ByteRange{At, At + 1}))
          Uses.push_back(At);
      }
      if (Uses.size() == 1)
        Set = SetOf(ByteRange{Uses[0], static_cast<uint32_t>(Uses[0] + Name.size())});
      if (!Set || Set->Range.Begin < As->Range.End) {
        Why = fmt::format("the header value is kept in `{}`, which is used {} than by one "
                          "`req.Header.Set(\"Authorization\", {})`{}",
                          Name, Uses.size() > 1 ? "more" : "otherwise", Name, ByHand);
        return std::nullopt;
      }
      Decl = As->Statement.empty() ? As->Range : As->Statement;
    }
  }
  if (!Set) {
    Why = std::string("the Zoho-authtoken header value is not set with `req.Header.Set("
                      "\"Authorization\", …)` (nor held in a variable used only there)") +
          ByHand;
    return std::nullopt;
  }
  std::string Seen;
  for (const StringExpr &X : M.Strings)
    if (Set->Scope.contains(X.Range))
      Seen += " " + X.flatten("");
  std::string Advice = deadEndpoint(Seen);
  if (!Advice.empty()) {
    Why = Advice;
    return std::nullopt;
  }
  if (!goHelperPlace(Why))
    return std::nullopt;
  llvm::StringRef Ce(Set->Callee);
  std::string Req = Ce.drop_back(std::string(".Header.Set").size()).trim().str();
  if (!re2::RE2::FullMatch(Req, IdentRe)) {
    Why = fmt::format("the header is set on `{}`, not on a request variable{}", Req, ByHand);
    return std::nullopt;
  }
  ByteRange Scope = Set->Scope;
  ByteRange SetSt = M.statementAt(Set->Range.Begin);
  auto WholeLines = [&](ByteRange St) {
    return !St.empty() && Text.slice(lineBegin(Text, St.Begin), St.Begin).trim().empty() &&
           Text.slice(St.End, lineEnd(Text, St.End)).trim().empty() &&
           lineEndWithBreak(Text, St.End) < Text.size();
  };
  if (!WholeLines(SetSt) || (!Decl.empty() && !WholeLines(Decl))) {
    Why = std::string("the statement shares its line with other code") + ByHand;
    return std::nullopt;
  }
  // The request: made by http.NewRequest in this function, or a parameter `req *http.Request`.
  const syntax::Assignment *Origin = nullptr;
  for (const auto &A : M.Assignments)
    if (Scope.contains(A.Range) && A.Range.End <= SetSt.Begin && (A.Op == ":=" || A.Op == "=") &&
        llvm::StringRef(A.Target).split(',').first.trim() == Req)
      Origin = &A;
  static const re2::RE2 NewRe("http\\.NewRequest(WithContext)?");
  const CallSite *New = nullptr;
  if (Origin)
    for (const CallSite &C : M.Calls)
      if (C.Range == Origin->Value && re2::RE2::FullMatch(C.Callee, NewRe))
        New = &C;
  bool Param = false;
  if (!Origin) {
    size_t Brace = Text.find('{', Scope.Begin);
    llvm::StringRef Head = Text.slice(Scope.Begin, std::min<size_t>(Brace, Scope.End));
    re2::RE2 ParamRe("\\b" + re2::RE2::QuoteMeta(Req) + "\\s+\\*http\\.Request\\b");
    Param = re2::RE2::PartialMatch(re2::StringPiece(Head.data(), Head.size()), ParamRe);
  }
  if (!New && !Param) {
    Why = fmt::format("`{}` is not visibly an *http.Request (made by http.NewRequest in this "
                      "function, or a parameter `{} *http.Request`){}",
                      Req, Req, ByHand);
    return std::nullopt;
  }
  static const re2::RE2 Pair("\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*,\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*");
  std::string Var, Err;
  if (New)
    re2::RE2::FullMatch(Origin->Target, Pair, &Var, &Err);
  std::string Indent = indentOf(Text, SetSt.Begin).str();
  llvm::StringRef NL = newlineOf(Text);
  std::string Call = goName(expand(R.HeaderValue, {{"ns", NS}})) + "(" + Req + ")";
  std::string SendRetry;
  for (const Idiom &I : R.Idioms)
    if (SendRetry.empty())
      SendRetry = I.SendRetry;

  // Removed code: the Set statement (and the holder's declaration); a line whose
  // neighbours are both blank takes one of them along (gofmt keeps one blank line).
  std::vector<std::pair<size_t, size_t>> GoneLines; // whole lines removed (merged at the end)
  auto LinesOf = [&](ByteRange St) {
    GoneLines.push_back({lineBegin(Text, St.Begin), lineEndWithBreak(Text, St.End)});
  };
  auto GoneEdits = [&] {
    std::vector<TextEdit> Out;
    std::sort(GoneLines.begin(), GoneLines.end());
    auto Blank = [&](size_t B) { return Text.slice(B, lineEnd(Text, B)).trim().empty(); };
    for (size_t K = 0; K < GoneLines.size();) {
      size_t B = GoneLines[K].first, End = GoneLines[K].second;
      for (++K; K < GoneLines.size() && GoneLines[K].first <= End; ++K)
        End = std::max(End, GoneLines[K].second);
      if (B > 0 && Blank(lineBegin(Text, B - 1)) && End < Text.size() && Blank(End))
        End = lineEndWithBreak(Text, End);
      TextEdit E;
      E.Offset = B;
      E.Length = End - B;
      Out.push_back(E);
    }
    return Out;
  };
  std::vector<ByteRange> Removed{SetSt};
  if (!Decl.empty())
    Removed.push_back(Decl);
  auto InRemoved = [&](size_t P) {
    for (ByteRange Rg : Removed)
      if (Rg.Begin <= P && P < Rg.End)
        return true;
    return false;
  };
  // A local the value alone read would be unused: `_ = name`.
  std::string Keep;
  {
    std::set<std::string> Done;
    re2::StringPiece In(Text.data() + V.Begin, V.size());
    std::string Name;
    std::string CodeV = goCodeOnly(Text.slice(V.Begin, V.End));
    static const re2::RE2 IdentGroup("([A-Za-z_][A-Za-z0-9_]*)");
    while (re2::RE2::FindAndConsume(&In, IdentGroup, &Name)) {
      size_t At = In.data() - Text.data() - Name.size();
      if (CodeV[At - V.Begin] == ' ' || (At > 0 && Text[At - 1] == '.') ||
          !Done.insert(Name).second)
        continue;
      bool Local = false;
      for (const auto &A : M.Assignments)
        if (A.Name == Name && Scope.contains(A.Range) && (A.Op == ":=" || A.Keyword == "var") &&
            A.Range.End <= V.Begin)
          Local = true;
      if (!Local)
        continue;
      unsigned Uses = 0;
      llvm::StringRef Sc = Text.slice(Scope.Begin, Scope.End);
      for (size_t P = 0; (P = Sc.find(Name, P)) != llvm::StringRef::npos; P += Name.size()) {
        bool B = P == 0 || !isIdentChar(Sc[P - 1]);
        bool A = P + Name.size() >= Sc.size() || !isIdentChar(Sc[P + Name.size()]);
        if (B && A && !InRemoved(Scope.Begin + P))
          ++Uses;
      }
      if (Uses <= 1)
        Keep += Indent + "_ = " + Name +
                " // the legacy authtoken is no longer sent: remove it and where it comes from" +
                NL.str();
    }
  }

  auto BareReturn = [](llvm::StringRef B) {
    for (llvm::StringRef L : llvm::split(B, '\n'))
      if (L.trim() == "return")
        return true;
    return false;
  };
  std::vector<TextEdit> Out;
  if (!Decl.empty())
    LinesOf(Decl);
  std::string How;
  ByteRange OriginSt;
  if (Origin)
    OriginSt = Origin->Statement.empty() ? Origin->Range : Origin->Statement;
  llvm::StringRef Body;
  size_t After = 0;
  // 1. http.NewRequest's own error block, in the same block as the Set statement.
  bool SameBlock = New && indentOf(Text, OriginSt.Begin) == Indent;
  if (SameBlock)
    for (size_t P = lineEndWithBreak(Text, OriginSt.End); P < SetSt.Begin;
         P = lineEndWithBreak(Text, P)) {
      llvm::StringRef L = Text.slice(P, lineEnd(Text, P));
      if (!L.trim().empty() && !L.startswith(Indent))
        SameBlock = false;
    }
  if (SameBlock && !Err.empty() && Err != "_" &&
      goErrorBlock(OriginSt, Err, Indent, Body, After, true) && After <= SetSt.Begin) {
    TextEdit E;
    E.Offset = lineBegin(Text, SetSt.Begin);
    E.Length = lineEndWithBreak(Text, SetSt.End) - E.Offset;
    // A bare `return` (named results) would see a shadowing `err`: assign the outer one.
    E.Text = Indent + "if " + Err + (BareReturn(Body) ? " = " : " := ") + Call + "; " + Err +
             " != nil {" + NL.str() + Body.str() + Indent + "}" + NL.str() + Keep;
    Out.push_back(E);
    How = fmt::format("its error handled as `{}(…)`'s", New->Callee);
  }
  // 2. The error block of the one `client.Do(req)` that sends it.
  if (How.empty()) {
    auto Dos = goDoCalls(Scope, Req, SetSt.End);
    const syntax::Assignment *Sent = nullptr;
    if (Dos.size() == 1)
      for (const auto &A : M.Assignments)
        if (A.Value == Dos[0]->Range && (A.Op == ":=" || A.Op == "="))
          Sent = &A;
    std::string Resp, DoErr;
    ByteRange DoSt;
    if (Sent) {
      DoSt = Sent->Statement.empty() ? Sent->Range : Sent->Statement;
      re2::RE2::FullMatch(Sent->Target, Pair, &Resp, &DoErr);
    }
    std::string DoIndent = Sent ? indentOf(Text, DoSt.Begin).str() : "";
    // The send in the same block as the Set (a header set only under a condition stays
    // conditional: not moved).
    bool DoSameBlock = Sent && DoIndent == Indent;
    for (size_t P = lineEndWithBreak(Text, SetSt.End); DoSameBlock && P < DoSt.Begin;
         P = lineEndWithBreak(Text, P)) {
      llvm::StringRef L = Text.slice(P, lineEnd(Text, P));
      if (!L.trim().empty() && !L.startswith(Indent))
        DoSameBlock = false;
    }
    if (DoSameBlock && !DoErr.empty() && DoErr != "_" && WholeLines(DoSt) &&
        goErrorBlock(DoSt, DoErr, DoIndent, Body, After, true) && goEndsFlow(Body) &&
        (!BareReturn(Body) || Sent->Op == "=") && !mentions(Body, Resp) &&
        Text.slice(SetSt.End, DoSt.Begin).find_insensitive("authorization") ==
            llvm::StringRef::npos) {
      if (Keep.empty()) {
        LinesOf(SetSt);
      } else {
        TextEdit E;
        E.Offset = lineBegin(Text, SetSt.Begin);
        E.Length = lineEndWithBreak(Text, SetSt.End) - E.Offset;
        E.Text = Keep;
        Out.push_back(E);
      }
      TextEdit E;
      E.Offset = lineBegin(Text, DoSt.Begin);
      E.Text = DoIndent + "if " + DoErr + (BareReturn(Body) ? " = " : " := ") + Call + "; " +
               DoErr + " != nil {" + NL.str() + Body.str() + DoIndent + "}" + NL.str();
      Out.push_back(E);
      How = fmt::format("called just before `{}` and its error handled as that call's",
                        Text.slice(Dos[0]->Range.Begin, Dos[0]->Range.End).str());
    }
  }
  // 3. Errors discarded as the function discards http.NewRequest's.
  if (How.empty() && New && Err == "_") {
    TextEdit E;
    E.Offset = lineBegin(Text, SetSt.Begin);
    E.Length = lineEndWithBreak(Text, SetSt.End) - E.Offset;
    E.Text = Indent + "// errors discarded as above: a failed token refresh gets Zoho's 401" +
             NL.str() + Indent + "_ = " + Call + NL.str() + Keep;
    Out.push_back(E);
    How = fmt::format("its error discarded (`_ =`) as the function discards `{}(…)`'s: a "
                      "failed token refresh sends the request without Authorization and Zoho "
                      "answers 401, as it did for a bad token",
                      New->Callee);
  }
  if (How.empty()) {
    Why = fmt::format("no error handling to reuse for the helper's error (no `if err != nil "
                      "{{…}}` after `{}`'s creation, none that ends the flow after the "
                      "`client.Do({})` sending it, and its creation's error is not discarded "
                      "either){}",
                      Req, Req, ByHand);
    return std::nullopt;
  }
  for (TextEdit &E : GoneEdits())
    Out.push_back(std::move(E));
  std::string Retry;
  if (!SendRetry.empty())
    for (TextEdit &D : goSendRetryEdits(Scope, Req, SetSt.End, SendRetry, &Retry))
      Out.push_back(std::move(D));
  What = fmt::format("the {} now comes from the OAuth helper (`{}`, {}){}{}",
                     Bare ? "Authorization header (the legacy token itself)" : "Zoho-authtoken header",
                     Call, How,
                     Retry.empty() ? std::string()
                                   : fmt::format("; `{}` retries once after a 401 with a fresh "
                                                 "token (`{}`)",
                                                 Retry, goName(expand(SendRetry, {{"ns", NS}}))),
                     GoPlace == 2 ? fmt::format("; no go.mod: the helper is `zoho_oauth.go` of "
                                                "package {}",
                                                GoPackage)
                                  : std::string());
  return Out;
}

std::vector<TextEdit> Run::goImportEdits(llvm::ArrayRef<std::string> Extra) const {
  std::string Why;
  bool InPackage = GoPlace == 2; // the helper is a file of this package: nothing to import
  std::string Path = InPackage ? "" : goHelperImport(Why);
  if (Path.empty() && !InPackage)
    return {};
  std::string Quoted = "\"" + Path + "\"";
  bool HaveHelper = InPackage || Text.find(Quoted) != llvm::StringRef::npos;
  llvm::StringRef NL = newlineOf(Text);
  // The helper: into the last `import (…)` block as a group of its own; else after the
  // last `import "…"` line; else after the package clause. A standard-library package an
  // edit needs (Extra: `strings`): into the group of the first block holding one, in
  // sorted order (gofmt's), else on an `import "…"` line of its own.
  size_t Pos = 0, BlockClose = llvm::StringRef::npos, LastSingle = llvm::StringRef::npos,
         PackageEnd = llvm::StringRef::npos;
  bool InBlock = false;
  // Import lines of the first block: offset, path, and whether a blank line precedes it.
  struct ImportLine {
    size_t Offset, End;
    std::string Path;
    bool GroupStart;
  };
  std::vector<ImportLine> Lines;
  unsigned Blocks = 0;
  bool Blank = true;
  static const re2::RE2 SpecRe(
      "\\s*(?:[A-Za-z_][A-Za-z0-9_]*\\s+|[._]\\s+)?\"([^\"]+)\"\\s*(?://.*)?");
  for (unsigned Count = 0; Pos < Text.size() && Count < 2000; ++Count) {
    size_t E = lineEndWithBreak(Text, Pos);
    llvm::StringRef L = Text.slice(Pos, E).rtrim("\r\n");
    if (InBlock) {
      std::string P;
      if (L.rtrim() == ")") {
        BlockClose = Pos;
        InBlock = false;
        if (Blocks == 1)
          Lines.push_back({Pos, E, "", true}); // the end of the first block
      } else if (Blocks == 1 &&
                 re2::RE2::FullMatch(re2::StringPiece(L.data(), L.size()), SpecRe, &P)) {
        Lines.push_back({Pos, E, P, Blank});
        Blank = false;
      } else if (L.trim().empty()) {
        Blank = true;
      }
    } else if (L.startswith("package ")) {
      PackageEnd = E;
    } else if (L.rtrim() == "import (") {
      InBlock = true;
      ++Blocks;
      Blank = true;
    } else if (L.startswith("import \"") || L.startswith("import _") || L.startswith("import . ")) {
      LastSingle = E;
    } else if (L.startswith("func ") || L.startswith("type ") || L.startswith("var ") ||
               L.startswith("const ")) {
      break;
    }
    Pos = E;
  }
  std::vector<TextEdit> Out;
  auto Add = [&](size_t Offset, std::string T) {
    for (TextEdit &X : Out)
      if (X.Offset == Offset && X.Length == 0) {
        X.Text += T;
        return;
      }
    TextEdit X;
    X.Offset = Offset;
    X.Text = std::move(T);
    Out.push_back(std::move(X));
  };
  auto Std = [](llvm::StringRef P) {
    return P.split('/').first.find('.') == llvm::StringRef::npos;
  };
  std::set<std::string> Done;
  for (const std::string &X : Extra) {
    std::string Pkg = llvm::StringRef(X).trim().trim('"').str();
    if (Pkg.empty() || !Done.insert(Pkg).second)
      continue;
    re2::RE2 Have("(?m)^\\s*(import\\s+)?\"" + re2::RE2::QuoteMeta(Pkg) + "\"\\s*(//.*)?$");
    if (re2::RE2::PartialMatch(re2::StringPiece(Text.data(), Text.size()), Have))
      continue;
    // The first group of standard-library paths in the first block.
    size_t At = llvm::StringRef::npos;
    for (size_t K = 0; K < Lines.size() && At == llvm::StringRef::npos; ++K) {
      if (Lines[K].Path.empty() || !Std(Lines[K].Path) || !Lines[K].GroupStart)
        continue;
      size_t G = K;
      for (; G < Lines.size() && !Lines[G].Path.empty() && (G == K || !Lines[G].GroupStart); ++G)
        if (Lines[G].Path > Pkg) {
          At = Lines[G].Offset;
          break;
        }
      if (At == llvm::StringRef::npos)
        At = G < Lines.size() ? Lines[G - 1].End : Lines[K].End;
    }
    if (At != llvm::StringRef::npos)
      Add(At, "\t\"" + Pkg + "\"" + NL.str());
    else if (LastSingle != llvm::StringRef::npos)
      Add(LastSingle, "import \"" + Pkg + "\"" + NL.str());
    else if (PackageEnd != llvm::StringRef::npos)
      Add(PackageEnd, NL.str() + "import \"" + Pkg + "\"" + NL.str());
  }
  if (HaveHelper)
    return Out;
  if (BlockClose != llvm::StringRef::npos)
    Add(BlockClose, NL.str() + "\t" + Quoted + NL.str());
  else if (LastSingle != llvm::StringRef::npos)
    Add(LastSingle, "import " + Quoted + NL.str());
  else if (PackageEnd != llvm::StringRef::npos)
    Add(PackageEnd, NL.str() + "import " + Quoted + NL.str());
  return Out;
}

std::vector<TextEdit> Run::importEdits(llvm::ArrayRef<std::string> Extra) const {
  if (M.G == syntax::Grammar::Ruby)
    return rubyImportEdits(Extra);
  if (M.G == syntax::Grammar::Go)
    return goImportEdits(Extra);
  if (jvm()) {
    std::vector<std::string> Lines{expand(R.Import, {{"ns", NS}})};
    Lines.insert(Lines.end(), Extra.begin(), Extra.end());
    return javaImportEdits(Text, llvm::ArrayRef<std::string>(Lines));
  }
  if (R.HelperLang == "php")
    return phpImportEdits();
  if (R.HelperLang == "csharp")
    return csharpImportEdits(Text, expand(R.Import, {{"ns", NS}}));
  std::vector<std::string> Lines;
  bool Package = false;
  std::string Dir = directoryOf(Ctx.Path);
  if (R.HelperLang == "python" && Ctx.Exists) {
    // The file's own style decides: relative imports -> relative; siblings imported by
    // their plain name (a script directory on sys.path) -> plain; else a package marker.
    auto Sibling = [&](llvm::StringRef Mod) {
      return Ctx.Exists(Dir.empty() ? (Mod + ".py").str() : (Dir + "/" + Mod + ".py").str());
    };
    bool Relative = false, Plain = false;
    for (llvm::StringRef L : llvm::split(Text, '\n')) {
      llvm::StringRef T = L.trim();
      if (T.startswith("from ."))
        Relative = true;
      else if (T.startswith("from ") || T.startswith("import ")) {
        llvm::StringRef Mod = T.drop_front(T.startswith("from ") ? 5 : 7).trim();
        Mod = Mod.take_while([](char C) { return llvm::isAlnum(C) || C == '_'; });
        if (!Mod.empty() && Mod != NS && Sibling(Mod))
          Plain = true;
      }
    }
    Package = Relative || (!Plain && Ctx.Exists(Dir.empty() ? "__init__.py" : Dir + "/__init__.py"));
  }
  std::string Main = expand(!R.ImportEsm.empty() && esm() ? R.ImportEsm : R.Import, {{"ns", NS}});
  if (Package && llvm::StringRef(Main).startswith("import "))
    Main = "from . " + Main; // a package module: the helper sits beside it
  auto Present = [&](llvm::StringRef Line) {
    for (llvm::StringRef L : llvm::split(Text, '\n'))
      if (L.trim() == Line.trim())
        return true;
    return false;
  };
  bool HasMain = false;
  if (!R.ImportMatch.empty()) {
    re2::RE2 Re(expand(R.ImportMatch, {{"ns", NS}}), re2::RE2::Quiet);
    HasMain = Re.ok() && re2::RE2::PartialMatch(re2::StringPiece(Text.data(), Text.size()), Re);
  }
  if (!HasMain && !Present(Main))
    Lines.push_back(Main);
  for (const std::string &X : Extra)
    if (!Present(X))
      Lines.push_back(X);
  if (Lines.empty())
    return {};
  // After the last top-level import/require line; else after a shebang, encoding
  // comment, docstring or 'use strict' at the top.
  llvm::StringRef NL = newlineOf(Text);
  size_t InsertAt = 0;
  size_t Pos = 0;
  bool InDocstring = false, InComment = false, CommentAtInsert = false, SawImport = false;
  size_t Count = 0;
  while (Pos < Text.size() && Count++ < 400) {
    size_t E = lineEndWithBreak(Text, Pos);
    llvm::StringRef L = Text.slice(Pos, E).rtrim("\r\n");
    llvm::StringRef T = L.trim();
    bool Top = !L.empty() && L[0] != ' ' && L[0] != '\t';
    if (InComment || T.startswith("/*")) {
      // A block comment (a file header, JSDoc) is skipped; the import goes after it when
      // nothing but the file's start (or its imports) comes before it.
      if (!InComment)
        CommentAtInsert = InsertAt == Pos && !SawImport;
      InComment = !(InComment ? T : T.drop_front(2)).contains("*/");
      if (!InComment && CommentAtInsert)
        InsertAt = E;
    } else if (InDocstring) {
      if (T.contains("\"\"\"") || T.contains("'''"))
        InDocstring = false;
      InsertAt = E;
    } else if (Pos == 0 && T.startswith("#!")) {
      InsertAt = E;
    } else if (Top && (T.startswith("import ") || T.startswith("from ") ||
                       (T.contains("require(") && (T.startswith("const ") || T.startswith("var ") ||
                                                   T.startswith("let "))))) {
      SawImport = true;
      syntax::Node Whole; // JavaScript: the top-level statement the line starts
      if (ecma() && Tree)
        for (syntax::Node N : Tree->root().namedChildren(true))
          if (N.begin() == Pos)
            Whole = N;
      if (Whole && Whole.end() > E) {
        // `var qs = require('qs'),\n    http = require('http');`: up to its last line.
        E = lineEndWithBreak(Text, Whole.end());
      } else if (T.endswith("(") || T.endswith("\\") || T.endswith("{")) {
        // A multi-line import: up to its closing line.
        size_t Q = E;
        while (Q < Text.size()) {
          size_t QE = lineEndWithBreak(Text, Q);
          llvm::StringRef QL = Text.slice(Q, QE).trim();
          Q = QE;
          if (QL.startswith(")") || QL.startswith("}") || QL.endswith(")") || QL.endswith(";"))
            break;
        }
        E = Q;
      }
      InsertAt = E;
    } else if (T.startswith("\"\"\"") || T.startswith("'''")) {
      if (InsertAt == Pos || InsertAt == 0) {
        llvm::StringRef Rest = T.drop_front(3);
        InDocstring = !(Rest.contains("\"\"\"") || Rest.contains("'''"));
        InsertAt = E;
      }
    } else if (T.rtrim(";") == "'use strict'" || T.rtrim(";") == "\"use strict\"" ||
               T.startswith("# -*-") ||
               (T.startswith("#") && InsertAt == Pos && Pos == 0)) {
      InsertAt = E;
    } else if (!T.empty() && !T.startswith("#") && !T.startswith("//")) {
      if (Top && InsertAt > 0)
        break; // the first statement after the imports
      if (Top)
        break;
    }
    Pos = E;
  }
  std::string Block;
  for (const std::string &L : Lines)
    Block += L + NL.str();
  TextEdit E;
  E.Offset = InsertAt;
  if (InsertAt > 0 && InsertAt <= Text.size() && Text[InsertAt - 1] != '\n')
    Block = NL.str() + Block; // the last import line had no line break
  E.Text = Block;
  return {E};
}

std::string Run::moduleOf(llvm::StringRef Name) const {
  auto It = Modules.find(Name.str());
  if (It != Modules.end())
    return It->second;
  std::string Out;
  Modules[Name.str()] = ""; // a binding that refers to itself stays unbound
  static const re2::RE2 Require(R"re(^require\s*\(\s*['"]([^'"]+)['"]\s*\))re");
  // An instance made from a module's export: `axios.create(…)`, `request.defaults(…)`,
  // `got.extend(…)`, `superagent.agent()`: the module of the export (or its name).
  static const re2::RE2 Instance(R"re(^([\w$]+)\s*\.\s*(create|defaults|extend|agent)\s*\()re");
  for (const auto &A : M.Assignments) {
    if (A.Target != Name || A.Value.empty())
      continue;
    llvm::StringRef V = Text.slice(A.Value.Begin, A.Value.End);
    re2::StringPiece VP(V.data(), V.size());
    std::string Mod, Base, Method;
    if (re2::RE2::PartialMatch(VP, Require, &Mod)) {
      Out = Mod;
      break;
    }
    if (re2::RE2::PartialMatch(VP, Instance, &Base, &Method) && Base != Name) {
      Out = moduleOf(Base);
      if (Out.empty())
        Out = Base;
      break;
    }
    // `cond ? https : http` (a protocol chosen at run time): both modules, one per line;
    // an idiom's module pattern must match each (moduleMatches).
    static const re2::RE2 Either(R"re(^[^?]+\?\s*([\w$]+)\s*:\s*([\w$]+)\s*$)re");
    std::string First, Second;
    if (re2::RE2::FullMatch(VP, Either, &First, &Second) && First != Name && Second != Name) {
      std::string A = moduleOf(First), B = moduleOf(Second);
      if (!A.empty() && !B.empty()) {
        Out = A == B ? A : A + "\n" + B;
        break;
      }
    }
  }
  if (Out.empty()) {
    static const re2::RE2 Import(
        R"re((?m)^[ \t]*import\s+(?:type\s+)?(?:([\w$]+)\s*(?:,\s*\{[^}]*\})?|\*\s*as\s+([\w$]+))\s+from\s*['"]([^'"]+)['"])re");
    static const re2::RE2 ImportRequire(
        R"re((?m)^[ \t]*import\s+([\w$]+)\s*=\s*require\s*\(\s*['"]([^'"]+)['"]\s*\))re");
    re2::StringPiece In(Text.data(), Text.size());
    std::string A, B, Mod;
    while (Out.empty() && re2::RE2::FindAndConsume(&In, Import, &A, &B, &Mod))
      if (A == Name || B == Name)
        Out = Mod;
    In = re2::StringPiece(Text.data(), Text.size());
    while (Out.empty() && re2::RE2::FindAndConsume(&In, ImportRequire, &A, &Mod))
      if (A == Name)
        Out = Mod;
  }
  Modules[Name.str()] = Out;
  return Out;
}

const Idiom *Run::idiomFor(const CallSite &Call) const {
  re2::StringPiece Callee(Call.Callee.data(), Call.Callee.size());
  for (const Idiom &I : R.Idioms) {
    if (!I.Callee || !re2::RE2::PartialMatch(Callee, *I.Callee))
      continue;
    if (I.ModuleRe) {
      llvm::StringRef Root = llvm::StringRef(Call.Callee).take_until(
          [](char C) { return C == '.' || C == '(' || C == '[' || C == '?' || C == '<'; });
      std::string Mod = moduleOf(Root.trim());
      if (Mod.empty() || !moduleMatches(Mod, *I.ModuleRe))
        continue;
    }
    return &I;
  }
  return nullptr;
}

std::pair<const CallSite *, const Idiom *> Run::requestAround(const CallSite *Call,
                                                              std::string *Unknown) const {
  while (Call) {
    if (const Idiom *I = idiomFor(*Call))
      return {Call, I};
    auto Chained = chainRequest(*Call);
    if (Chained.first)
      return Chained;
    // Map and query builders are not requests: the variable they fill is followed later.
    static const re2::RE2 Builder(
        "(?i)^((collections\\.)?(dict|OrderedDict)|(urllib\\.(parse\\.)?)?urlencode|"
        "json\\.dumps|JSON\\.stringify|URLSearchParams|Object\\.assign|querystring\\.stringify|"
        "qs\\.stringify|Map|URI|URI\\.(parse|join|encode_www_form)|http_build_query|json_encode|"
        // Kotlin and Scala collections
        "(mutable|hash|linked|sorted)?(MapOf|mapOf|ListOf|listOf)|Pair|Seq|List|Set)$");
    if (Unknown && Unknown->empty() && !re2::RE2::FullMatch(Call->Callee, Builder))
      *Unknown = Call->Callee;
    Call = outerCall(*Call);
  }
  return {nullptr, nullptr};
}

std::pair<const CallSite *, const Idiom *> Run::chainRequest(const CallSite &Call) const {
  // Every method between \p Call and the request must be one of the idiom's chain.
  std::vector<llvm::StringRef> Names{Call.Name};
  for (const CallSite *Rc = callWithRange(Call.Receiver); Rc; Rc = callWithRange(Rc->Receiver)) {
    if (const Idiom *I = idiomFor(*Rc)) {
      bool AllChain = !I->Chain.empty();
      for (llvm::StringRef N : Names)
        AllChain = AllChain && llvm::is_contained(I->Chain, N);
      if (AllChain)
        return {Rc, I};
      break;
    }
    Names.push_back(Rc->Name);
  }
  return {nullptr, nullptr};
}

std::optional<ByteRange> Run::promiseExpr(const CallSite &Call, const Idiom &I) const {
  ByteRange Cur = Call.Range;
  for (int Guard = 0; Guard < 256; ++Guard) {
    const CallSite *Next = nullptr;
    for (const CallSite &O : M.Calls)
      if (O.Receiver == Cur) {
        Next = &O;
        break;
      }
    if (Next) {
      if (llvm::is_contained(I.Chain, Next->Name)) {
        Cur = Next->Range;
        continue;
      }
      if (Next->Name == "then" || Next->Name == "catch" || Next->Name == "finally")
        return Cur;
      return std::nullopt; // `.pipe(…)`, `.end(cb)`, `.on(…)`: not used as a promise
    }
    // A property of the result (`fetch(u).body`, `got(u)[k]`) is no promise use either.
    llvm::StringRef After = Text.substr(Cur.End).ltrim(" \t\r\n");
    if (After.startswith("?.") || After.startswith("[") ||
        (After.startswith(".") && !After.startswith("...")))
      return std::nullopt;
    return Cur;
  }
  return std::nullopt;
}

bool Run::mayAwait(ByteRange Scope) const {
  if (Scope.Begin == 0 && Scope.End == Text.size())
    return extensionIn(Ctx.Path, R.TopLevelAwaitFiles);
  llvm::StringRef Whole = Text.slice(Scope.Begin, Scope.End);
  size_t Open = Whole.find_first_of("({=");
  llvm::StringRef Head = Whole.take_front(Open);
  // `async function f(`, `async x =>`, `static async m(`, `public async m(`.
  if (!mentions(Head, "async"))
    return false;
  if (Head.trim() != "async")
    return true;
  // `async (x) => …` is an async arrow function, `async() {…}` a method named async: what
  // follows the parameter list tells.
  if (Open == llvm::StringRef::npos || Whole[Open] != '(')
    return false;
  int Depth = 0;
  for (size_t I = Open; I < Whole.size(); ++I) {
    if (Whole[I] == '(')
      ++Depth;
    else if (Whole[I] == ')' && --Depth == 0) {
      llvm::StringRef After = Whole.drop_front(I + 1).ltrim();
      if (After.startswith(":")) // TypeScript return type: `async (x): Promise<T> =>`
        return Whole.drop_front(I + 1).contains("=>") &&
               Whole.drop_front(I + 1).find("=>") < Whole.drop_front(I + 1).find('{');
      return After.startswith("=>");
    }
  }
  return false;
}

std::optional<TextEdit> Run::defaultHeaderEdit(const Carrier &C) const {
  const DefaultHeaderRule &D = R.DefaultHeader;
  if (!D.enabled())
    return std::nullopt;
  for (const auto &A : M.Assignments) {
    if (A.Op != "=" || A.Value != C.Range || A.Statement.empty())
      continue;
    std::string Target = A.Target, Client;
    llvm::erase_if(Target, [](char Ch) { return llvm::isSpace(Ch); });
    if (!re2::RE2::FullMatch(Target, *D.Target, &Client))
      return std::nullopt;
    if (D.Module) {
      std::string Mod = moduleOf(Client);
      if (!re2::RE2::PartialMatch(Mod.empty() ? Client : Mod, *D.Module))
        return std::nullopt;
    }
    // The statement alone on its lines: replaced with the file's newline and indentation.
    llvm::StringRef St = Text.slice(A.Statement.Begin, A.Statement.End);
    std::string New = expand(D.Statement, {{"client", Client},
                                           {"value", value(false)},
                                           {"ns", NS},
                                           {"nl", newlineOf(Text)},
                                           {"indent", indentOf(Text, A.Statement.Begin)}});
    if (!St.endswith(";") && llvm::StringRef(New).endswith(";"))
      New.pop_back();
    TextEdit E;
    E.Offset = A.Statement.Begin;
    E.Length = A.Statement.size();
    E.Text = New;
    return E;
  }
  return std::nullopt;
}

bool Run::esm() const {
  if (extensionIn(Ctx.Path, R.CjsFiles))
    return false;
  if (extensionIn(Ctx.Path, R.EsmFiles))
    return true;
  if (R.EsmMatch.empty())
    return false;
  re2::RE2 Re(R.EsmMatch, re2::RE2::Quiet);
  return Re.ok() && re2::RE2::PartialMatch(re2::StringPiece(Text.data(), Text.size()), Re);
}

bool Run::browserCode() const {
  const BrowserRule &B = R.Browser;
  if (!B.enabled())
    return false;
  if (browserByPath(B, Ctx.Path))
    return true;
  if (B.Text && re2::RE2::PartialMatch(re2::StringPiece(Text.data(), Text.size()), *B.Text))
    return true;
  if (B.Callees)
    for (const CallSite &C : M.Calls)
      if (re2::RE2::PartialMatch(C.Callee, *B.Callees))
        return true;
  if (!B.Code)
    return false;
  // The code alone: string contents and comments blanked (line breaks kept).
  std::string Code = Text.str();
  auto Blank = [&](size_t Begin, size_t End) {
    for (size_t I = Begin; I < End && I < Code.size(); ++I)
      if (Code[I] != '\n')
        Code[I] = ' ';
  };
  for (const StringExpr &S : M.Strings)
    Blank(S.Range.Begin, S.Range.End);
  for (size_t I = 0; I + 1 < Code.size(); ++I) {
    if (Code[I] == '/' && Code[I + 1] == '/') {
      size_t E = Code.find('\n', I);
      E = E == std::string::npos ? Code.size() : E;
      Blank(I, E);
      I = E;
    } else if (Code[I] == '/' && Code[I + 1] == '*') {
      size_t E = Code.find("*/", I + 2);
      E = E == std::string::npos ? Code.size() : E + 2;
      Blank(I, E);
      I = E - 1;
    }
  }
  return re2::RE2::PartialMatch(Code, *B.Code);
}

bool isFunctionKind(llvm::StringRef K) {
  return K == "arrow_function" || K == "function_expression" || K == "function" ||
         K == "generator_function" || K == "function_declaration" ||
         K == "generator_function_declaration" || K == "method_definition";
}

/// Calls \p Visit on \p Root and every named node below it, outside the functions in it
/// when \p SkipFunctions (a callback runs later, on its own).
template <typename F> void visitNodes(syntax::Node Root, bool SkipFunctions, F Visit) {
  std::vector<syntax::Node> Stack{Root};
  while (!Stack.empty()) {
    syntax::Node N = Stack.back();
    Stack.pop_back();
    if (SkipFunctions && N != Root && isFunctionKind(N.kind()))
      continue;
    Visit(N);
    for (unsigned I = N.namedChildCount(); I-- > 0;)
      Stack.push_back(N.namedChild(I));
  }
}

/// The identifiers \p Target assigns: `x`, the root of `x.y[z]`, each name of a pattern.
void assignedNames(syntax::Node Target, std::vector<std::string> &Out) {
  while (Target && (Target.kind() == "member_expression" || Target.kind() == "subscript_expression" ||
                    Target.kind() == "parenthesized_expression"))
    Target = Target.kind() == "parenthesized_expression" ? Target.namedChild(0) : Target.field("object");
  if (!Target)
    return;
  visitNodes(Target, true, [&](syntax::Node N) {
    if (N.kind() == "identifier" || N.kind() == "shorthand_property_identifier_pattern")
      Out.push_back(N.text().str());
  });
}

syntax::Node Run::expressionWithRange(ByteRange Rg) const {
  if (!Tree)
    return syntax::Node();
  syntax::Node N = Tree->root().namedDescendantFor(Rg);
  if (!N || N.range() != Rg)
    return syntax::Node();
  // `f(x)` without a semicolon is also its statement's range: stop below the statement.
  while (N.parent() && N.parent().range() == Rg && !N.parent().kind().endswith("statement") &&
         N.parent().kind() != "program")
    N = N.parent();
  return N;
}

std::string Run::changedAfter(llvm::ArrayRef<syntax::Node> Exprs, syntax::Node Statement,
                              unsigned &Line, bool &InLoop, ByteRange Span) const {
  std::set<std::string> Reads;
  for (syntax::Node Expr : Exprs) {
    bool Yields = false;
    visitNodes(Expr, true, [&](syntax::Node N) {
      if (N.kind() == "identifier" || N.kind() == "shorthand_property_identifier")
        Reads.insert(N.text().str());
      Yields = Yields || N.kind() == "yield_expression";
    });
    if (Yields) {
      Line = lineNumber(Text, Expr.begin());
      return "yield";
    }
  }
  // The function around the statement, and the loops between them.
  std::vector<syntax::Node> Loops;
  syntax::Node Fn = Statement.parent();
  for (; Fn && !isFunctionKind(Fn.kind()) && Fn.kind() != "program"; Fn = Fn.parent())
    if (Fn.kind() == "for_statement" || Fn.kind() == "for_in_statement" ||
        Fn.kind() == "while_statement" || Fn.kind() == "do_statement")
      Loops.push_back(Fn);
  if (!Fn)
    return "";
  // `for (let i …)`, `for (const x of …)`: a fresh binding per iteration, not a change.
  std::set<std::string> PerIteration;
  for (syntax::Node L : Loops) {
    std::vector<std::string> Names;
    syntax::Node Init = L.field("initializer");
    if (L.kind() == "for_statement" && Init && Init.kind() == "lexical_declaration")
      for (unsigned I = 0; I < Init.namedChildCount(); ++I)
        assignedNames(Init.namedChild(I).field("name"), Names);
    syntax::Node Kind = L.field("kind");
    if (L.kind() == "for_in_statement" && Kind && (Kind.kind() == "let" || Kind.kind() == "const"))
      assignedNames(L.field("left"), Names);
    PerIteration.insert(Names.begin(), Names.end());
  }
  ByteRange St = Span.empty() ? Statement.range() : Span;
  std::string Found;
  visitNodes(Fn, false, [&](syntax::Node N) {
    if (!Found.empty() || St.contains(N.range()))
      return;
    llvm::StringRef K = N.kind();
    std::vector<std::string> Names;
    if (K == "assignment_expression" || K == "augmented_assignment_expression")
      assignedNames(N.field("left"), Names);
    else if (K == "update_expression")
      assignedNames(N.field("argument"), Names);
    else if (K == "variable_declarator" && N.parent() && N.parent().kind() == "variable_declaration")
      assignedNames(N.field("name"), Names); // `var x = …`: the function's one `x`
    else if (K == "for_in_statement" && !(N.field("kind") && N.field("kind").kind() != "var"))
      assignedNames(N.field("left"), Names);
    else
      return;
    bool After = N.begin() >= St.End;
    bool Loop = false;
    for (syntax::Node L : Loops)
      Loop = Loop || L.range().contains(N.range());
    for (const std::string &Name : Names)
      if (Reads.count(Name) && (After || (Loop && !PerIteration.count(Name)))) {
        Found = Name;
        Line = lineNumber(Text, N.begin());
        InLoop = !After;
        return;
      }
  });
  return Found;
}

// A statement starting with `(` after one without a semicolon would call its value.
std::string Run::leadSemicolon(syntax::Node Stmt, std::string T) const {
  syntax::Node Parent = Stmt.parent();
  llvm::StringRef PK = Parent ? Parent.kind() : "";
  if (T.empty() || !llvm::StringRef("([`+-/").contains(T[0]) ||
      !(PK == "statement_block" || PK == "program" || PK == "switch_case" || PK == "switch_default"))
    return T;
  syntax::Node Prev = Stmt.prevNamedSibling();
  while (Prev && Prev.kind() == "comment")
    Prev = Prev.prevNamedSibling();
  if (!Prev)
    return T;
  llvm::StringRef PT = Prev.text().rtrim();
  // `x = {}`, `if (a) x = () => {}` end an expression with `}`; `if (a) {…}`, a function
  // or class declaration end a block: follow the last child that ends where it ends.
  bool EndsExpression = false;
  for (syntax::Node N = Prev; N && !EndsExpression;) {
    llvm::StringRef K = N.kind();
    EndsExpression = K == "expression_statement" || K == "variable_declaration" ||
                     K == "lexical_declaration" || K == "return_statement" ||
                     K == "throw_statement";
    unsigned C = N.namedChildCount();
    syntax::Node Last = C ? N.namedChild(C - 1) : syntax::Node();
    N = Last && Last.end() == N.end() ? Last : syntax::Node();
  }
  if (!PT.endswith(";") && (!PT.endswith("}") || EndsExpression))
    return ";" + T;
  return T;
}

std::optional<Run::Deferred> Run::deferredRequest(const CallSite &Call, const Idiom &I,
                                                  std::vector<TextEdit> Header,
                                                  std::string &Why) const {
  const CallbackThenRule &CT = R.CallbackThen;
  if (!CT.enabled() || I.CallbackError.empty() || !Tree)
    return std::nullopt;
  bool Listener = I.CallbackError == "listener";
  const std::string &Callee = Call.Callee;
  // The statement's expression: the request, its chain methods, the method taking the
  // callback (superagent's `.end(cb)`) and the methods that may follow (`.on('error', h)`).
  ByteRange Expr = Call.Range;
  const syntax::Argument *Handler = nullptr;
  if (!Listener && I.CallbackMethod.empty() && !Call.Arguments.empty() &&
      roleOf(Call.Arguments.back(), Text) == ArgRole::Callback)
    Handler = &Call.Arguments.back();
  bool SawMethod = I.CallbackMethod.empty();
  std::string UsedBy; // a method of the result that is none of these
  for (int Guard = 0; Guard < 64; ++Guard) {
    const CallSite *Next = nullptr;
    for (const CallSite &O : M.Calls)
      if (O.Receiver == Expr) {
        Next = &O;
        break;
      }
    if (!Next)
      break;
    if (!SawMethod && Next->Name == I.CallbackMethod) {
      SawMethod = true;
      if (Next->Arguments.size() == 1 && roleOf(Next->Arguments[0], Text) == ArgRole::Callback)
        Handler = &Next->Arguments[0];
      Expr = Next->Range;
      continue;
    }
    if (!(!SawMethod && llvm::is_contained(I.Chain, Next->Name)) &&
        !llvm::is_contained(I.CallbackChain, Next->Name)) {
      UsedBy = Next->Name;
      break;
    }
    // `.on('error', h)`: where a listener-style request reports its errors.
    if (Listener && !Handler && Next->Arguments.size() == 2 && Next->Arguments[0].Kind == "string" &&
        Text.slice(Next->Arguments[0].Value.Begin, Next->Arguments[0].Value.End).trim("\"'`") == "error")
      Handler = &Next->Arguments[1];
    Expr = Next->Range;
  }
  // Only a statement of its own: then nothing waits for its value.
  syntax::Node ExprNode = expressionWithRange(Expr);
  syntax::Node Stmt = ExprNode ? ExprNode.parent() : syntax::Node();
  if (!Stmt || Stmt.kind() != "expression_statement") {
    llvm::StringRef PK = Stmt ? Stmt.kind() : "";
    if (UsedBy.empty() && PK == "variable_declarator" && Stmt.field("value") == ExprNode) {
      // `var req = https.request(…)`, then `req.on('error', …)`, `req.end()`.
      std::string KeptWhy;
      if (auto D = keptRequest(Call, I, Expr, Stmt, Handler, Header, KeptWhy))
        return D;
      if (!KeptWhy.empty()) {
        Why = KeptWhy;
        return std::nullopt;
      }
    }
    std::string Promise = CT.Then.substr(0, CT.Then.find(".then("));
    Promise = expand(Promise, {{"ns", NS}});
    if (UsedBy.empty() && (PK == "variable_declarator" || PK == "assignment_expression"))
      Why = fmt::format(
          "`{}(…)` returns the request object, which the code keeps in `{}` and uses after the "
          "call, and the request takes its headers when it is made, but the OAuth header comes "
          "from the helper asynchronously: move the code from this request to its last use into "
          "`{}.then(({}) => {{ … }})`, with a helper error going where the request's errors go, "
          "by hand",
          Callee, Stmt.field(PK == "variable_declarator" ? "name" : "left").text(), Promise,
          R.RetryValue);
    else
      Why = fmt::format(
          "the value of `{}(…)` is used ({}), so the request cannot wait for the helper's "
          "asynchronous OAuth header here: make the function async, or move the request to a "
          "promise-returning client (fetch, axios, got), then run fix again",
          Callee,
          !UsedBy.empty() ? "`." + UsedBy + "(…)` is called on it"
          : PK == "return_statement" || PK == "arrow_function" ? std::string("returned")
                                                                : std::string("passed on"));
    return std::nullopt;
  }
  if (!Handler) {
    if (Listener)
      Why = fmt::format("node's `{}(…)` callback gets no error, and this statement has no "
                        "`.on('error', …)` listener a helper error could go to: add one (or make "
                        "the function async) and run fix again", Callee);
    else if (!I.CallbackMethod.empty())
      Why = fmt::format("the statement has no `.{}(callback)` a helper error could go to",
                        I.CallbackMethod);
    else
      Why = fmt::format("`{}(…)` has no callback (an inline function or a callback's name as "
                        "its last argument) a helper error could go to", Callee);
    return std::nullopt;
  }
  llvm::StringRef HKind(Handler->Kind);
  std::string HText = Text.slice(Handler->Value.Begin, Handler->Value.End).str();
  if ((HKind == "function_expression" || HKind == "function") && mentions(HText, "this")) {
    Why = fmt::format("the {} is a `function` that uses `this`, which `{}(…)` sets when it "
                      "calls it; a helper error could not reach it the same way: give the "
                      "request the header by hand", Listener ? "'error' listener" : "callback",
                      Callee);
    return std::nullopt;
  }
  llvm::StringRef ExprText = Text.slice(Expr.Begin, Expr.End);
  if (usesName(ExprText, R.RetryValue)) {
    Why = fmt::format("`{}(…)` already uses the name `{}`, which the deferred request would "
                      "get as the header: rename it and run fix again", Callee, R.RetryValue);
    return std::nullopt;
  }
  unsigned Line = 0;
  bool InLoop = false;
  std::string Changed = changedAfter({ExprNode}, Stmt, Line, InLoop);
  if (Changed == "yield") {
    Why = fmt::format("`{}(…)` holds a `yield`, which cannot move into the function that waits "
                      "for the helper's header: give the request the header by hand", Callee);
    return std::nullopt;
  }
  if (!Changed.empty()) {
    Why = fmt::format("`{}` changes {} (line {}), and the request would now be made once the "
                      "helper's header is known, with the later value: give the request the "
                      "header by hand", Changed,
                      InLoop ? "in the loop around this call" : "after this call", Line);
    return std::nullopt;
  }
  auto Lead = [&](std::string T) { return leadSemicolon(Stmt, std::move(T)); };
  auto Insert = insertAt;
  std::vector<TextEdit> Own;
  if (HKind == "identifier") {
    // `(err) => done(err)`: the name is read when the helper fails.
    std::string T = expand(CT.Then, {{"call", "\x1f"}, {"callback", HText}, {"ns", NS}});
    size_t H = T.find('\x1f');
    Own.push_back(Insert(Expr.Begin, Lead(T.substr(0, H))));
    Own.push_back(Insert(Expr.End, T.substr(H + 1)));
  } else {
    // An inline callback (or a member): passed in once, under a name the request uses.
    if (CT.Bind.empty()) {
      Why = "the callback is not a plain name and the recipe has no callback-then bind template";
      return std::nullopt;
    }
    // A name the statement does not use at all (the callback's own names included: the
    // callback stays outside the arrow, but a reader should not have to know that).
    llvm::StringRef After = Text.slice(Handler->Value.End, Expr.End);
    std::string N = CT.Name;
    if (usesName(ExprText, N)) {
      N = "zoho" + std::string(1, llvm::toUpper(N[0])) + N.substr(1);
      if (usesName(ExprText, N)) {
        Why = fmt::format("`{}(…)` already uses the names `{}` and `{}`", Callee, CT.Name, N);
        return std::nullopt;
      }
    }
    std::string Inner = expand(CT.Then, {{"call", "\x1f"}, {"callback", N}, {"ns", NS}});
    std::string T = expand(CT.Bind, {{"name", N}, {"then", Inner}, {"callback", "\x1e"}, {"ns", NS}});
    size_t H1 = T.find('\x1f'), H2 = T.find('\x1e');
    if (H1 == std::string::npos || H2 == std::string::npos || H2 < H1) {
      Why = "callback-then: bind must hold {then} before {callback}";
      return std::nullopt;
    }
    std::string Middle = T.substr(H1 + 1, H2 - H1 - 1), Tail = T.substr(H2 + 1);
    Own.push_back(Insert(Expr.Begin, Lead(T.substr(0, H1))));
    if (After.trim(" \t\r\n,") == ")" && Tail == ")") {
      // The callback is the last argument: the call's `)` closes the bound form around it,
      // and the callback stays where it is.
      Own.push_back(Insert(Handler->Range.Begin, N + ")" + Middle));
    } else {
      TextEdit Name;
      Name.Offset = Handler->Value.Begin;
      Name.Length = Handler->Value.size();
      Name.Text = N;
      Own.push_back(Name);
      Own.push_back(Insert(Expr.End, Middle + HText + Tail));
    }
  }
  // A header insert where a wrapper edit starts (the options added before the callback,
  // `.set(…)` at the end) goes first, in one edit.
  for (auto It = Header.begin(); It != Header.end();) {
    bool Merged = false;
    if (It->Length == 0)
      for (size_t K = 1; K < Own.size() && !Merged; ++K)
        if (Own[K].Offset == It->Offset) {
          Own[K].Text = It->Text + Own[K].Text;
          Merged = true;
        }
    It = Merged ? Header.erase(It) : It + 1;
  }
  Deferred D;
  D.Edits = std::move(Header);
  D.Edits.insert(D.Edits.end(), Own.begin(), Own.end());
  D.Errors = Listener ? "its 'error' listener" : "its callback";
  return D;
}

std::optional<Run::Deferred> Run::keptRequest(const CallSite &Call, const Idiom &I, ByteRange Expr,
                                              syntax::Node Declarator,
                                              const syntax::Argument *Handler,
                                              std::vector<TextEdit> Header,
                                              std::string &Why) const {
  const CallbackThenRule &CT = R.CallbackThen;
  const std::string &Callee = Call.Callee;
  syntax::Node NameNode = Declarator.field("name");
  syntax::Node Decl = Declarator.parent();
  syntax::Node Block = Decl ? Decl.parent() : syntax::Node();
  if (!NameNode || NameNode.kind() != "identifier" || !Decl ||
      (Decl.kind() != "variable_declaration" && Decl.kind() != "lexical_declaration") ||
      Decl.namedChildCount() != 1 || !Block ||
      (Block.kind() != "statement_block" && Block.kind() != "program"))
    return std::nullopt; // the general "kept" reason
  std::string Name = NameNode.text().str();
  auto Leave = [&](std::string Because) {
    Why = fmt::format("`{}(…)` returns the request object, which the code keeps in `{}`; the "
                      "request takes its headers when it is made, but the OAuth header comes "
                      "from the helper asynchronously, and the code using `{}` cannot move into "
                      "`.then(…)` soundly: {}; move it there by hand",
                      Callee, Name, Name, Because);
    return std::nullopt;
  };
  // The statements from the declaration to the last one of the block using the name.
  std::vector<syntax::Node> Moved{Decl};
  {
    std::vector<syntax::Node> After;
    bool Seen = false;
    for (syntax::Node S : Block.namedChildren(true)) {
      if (S == Decl)
        Seen = true;
      else if (Seen)
        After.push_back(S);
    }
    size_t Last = 0;
    for (size_t K = 0; K < After.size(); ++K)
      if (mentionsInCode(After[K].range(), Name))
        Last = K + 1;
    Moved.insert(Moved.end(), After.begin(), After.begin() + Last);
  }
  ByteRange Span{Decl.begin(), Moved.back().end()};
  // Whole lines: the moved code is indented one step inside the arrow.
  size_t LineBegin = Text.rfind('\n', Span.Begin);
  LineBegin = LineBegin == llvm::StringRef::npos ? 0 : LineBegin + 1;
  llvm::StringRef Indent = Text.slice(LineBegin, Span.Begin);
  llvm::StringRef Rest = Text.drop_front(Span.End);
  Rest = Rest.take_until([](char C) { return C == '\n'; });
  if (!Indent.trim(" \t").empty() || !Rest.trim(" \t\r").empty())
    return Leave("it shares its lines with other statements");
  syntax::Node Fn = Block;
  while (Fn && !isFunctionKind(Fn.kind()) && Fn.kind() != "program")
    Fn = Fn.parent();
  if (!Fn)
    return std::nullopt;
  // Control flow and names the move would change.
  std::vector<std::string> Declared;
  std::string Flow;
  for (syntax::Node S : Moved) {
    std::vector<syntax::Node> Stack{S};
    while (!Stack.empty() && Flow.empty()) {
      syntax::Node N = Stack.back();
      Stack.pop_back();
      llvm::StringRef K = N.kind();
      if (N != S && isFunctionKind(K)) {
        if (K.endswith("_declaration") && N.field("name"))
          Declared.push_back(N.field("name").text().str());
        continue; // runs on its own
      }
      if (K == "return_statement" || K == "break_statement" || K == "continue_statement" ||
          K == "yield_expression" || K == "await_expression")
        Flow = K.take_until([](char C) { return C == '_'; }).str();
      else if (K == "variable_declarator")
        assignedNames(N.field("name"), Declared);
      else if (K == "class_declaration" && N.field("name"))
        Declared.push_back(N.field("name").text().str());
      else if (isFunctionKind(K) && K.endswith("_declaration") && N.field("name"))
        Declared.push_back(N.field("name").text().str());
      for (unsigned C = N.namedChildCount(); C-- > 0;)
        Stack.push_back(N.namedChild(C));
    }
    if (!Flow.empty())
      return Leave(fmt::format("a `{}` on line {} would then leave the arrow, not the function",
                               Flow, lineNumber(Text, S.begin())));
  }
  ByteRange FnR = Fn.range();
  for (const std::string &D : Declared)
    if (mentionsInCode({FnR.Begin, Span.Begin}, D) || mentionsInCode({Span.End, FnR.End}, D))
      return Leave(fmt::format("`{}`, declared in that code, is also used outside it", D));
  // Where a helper error goes: the request's callback, or `name.on('error', h)`.
  bool Listener = I.CallbackError == "listener";
  if (!Handler && Listener)
    for (const CallSite &O : M.Calls)
      if (Span.contains(O.Range) && O.Name == "on" && O.Arguments.size() == 2 &&
          Text.slice(O.Receiver.Begin, O.Receiver.End).trim() == Name &&
          O.Arguments[0].Kind == "string" &&
          Text.slice(O.Arguments[0].Value.Begin, O.Arguments[0].Value.End).trim("\"'`") == "error") {
        Handler = &O.Arguments[1];
        break;
      }
  if (!Handler)
    return Leave(Listener ? "no `" + Name + ".on('error', …)` listener a helper error could go to"
                          : "no callback a helper error could go to");
  llvm::StringRef HKind(Handler->Kind);
  std::string HText = Text.slice(Handler->Value.Begin, Handler->Value.End).str();
  bool Inline = HKind != "identifier";
  if (Inline && HKind != "arrow_function" && HKind != "function_expression" && HKind != "function")
    return Leave("its error handler `" + HText + "` is computed");
  if ((HKind == "function_expression" || HKind == "function") && mentions(HText, "this"))
    return Leave("its error handler is a `function` that uses `this`");
  if (Inline)
    for (const std::string &D : Declared)
      if (mentionsInCode(Handler->Value, D))
        return Leave(fmt::format("its error handler, which moves out, uses `{}`", D));
  if (!Inline && llvm::is_contained(Declared, HText))
    return Leave(fmt::format("its error handler `{}` is declared there", HText));
  llvm::StringRef SpanText = Text.slice(Span.Begin, Span.End);
  if (usesName(SpanText, R.RetryValue))
    return Leave(fmt::format("it already uses the name `{}`, which would get the header",
                             R.RetryValue));
  std::vector<syntax::Node> Exprs(Moved.begin(), Moved.end());
  unsigned Line = 0;
  bool InLoop = false;
  std::string Changed = changedAfter(Exprs, Decl, Line, InLoop, Span);
  if (Changed == "yield")
    return Leave("it holds a `yield`");
  if (!Changed.empty())
    return Leave(fmt::format("`{}` changes {} (line {}), and the code would then run with the "
                             "later value", Changed,
                             InLoop ? "in the loop around it" : "after it", Line));
  std::string N = CT.Name;
  if (Inline && usesName(SpanText, N)) {
    N = "zoho" + std::string(1, llvm::toUpper(N[0])) + N.substr(1);
    if (usesName(SpanText, N))
      return Leave(fmt::format("it already uses the names `{}` and `{}`", CT.Name, N));
  }
  if (Inline && CT.Bind.empty())
    return std::nullopt;
  std::string Unit = Indent.contains('\t') ? "\t" : "  ";
  std::string Then = expand(CT.Then, {{"call", "{\x1f}"}, {"callback", Inline ? N : HText}, {"ns", NS}});
  std::string Pre, Post;
  if (Inline) {
    std::string T = expand(CT.Bind, {{"name", N}, {"then", Then}, {"callback", "\x1e"}, {"ns", NS}});
    size_t H1 = T.find('\x1f'), H2 = T.find('\x1e');
    if (H1 == std::string::npos || H2 == std::string::npos || H2 < H1)
      return std::nullopt;
    Pre = T.substr(0, H1);
    Post = T.substr(H1 + 1, H2 - H1 - 1) + HText + T.substr(H2 + 1);
  } else {
    size_t H = Then.find('\x1f');
    Pre = Then.substr(0, H);
    Post = Then.substr(H + 1);
  }
  auto Insert = insertAt;
  std::vector<TextEdit> Own;
  Own.push_back(Insert(Span.Begin, leadSemicolon(Decl, Pre) + "\n" + Indent.str() + Unit));
  // One step of indentation for each further line of the moved code (not inside a string,
  // not where another edit of the request starts or deletes).
  auto Touched = [&](size_t P) {
    for (const TextEdit &E : Header)
      if (E.Offset <= P && P <= E.Offset + E.Length)
        return true;
    if (Pending)
      for (const TextEdit &E : *Pending)
        if (E.Offset <= P && P <= E.Offset + E.Length)
          return true;
    if (Inline && Handler->Value.Begin <= P && P <= Handler->Value.End)
      return true;
    for (const StringExpr &S : M.Strings)
      if (S.Range.Begin < P && P < S.Range.End)
        return true;
    return false;
  };
  for (size_t P = Text.find('\n', Span.Begin); P != llvm::StringRef::npos && P + 1 < Span.End;
       P = Text.find('\n', P + 1)) {
    size_t L = P + 1;
    llvm::StringRef LineText = Text.slice(L, Text.find('\n', L));
    if (LineText.trim(" \t\r").empty() || Touched(L))
      continue;
    Own.push_back(Insert(L, Unit));
  }
  if (Inline) {
    TextEdit E;
    E.Offset = Handler->Value.Begin;
    E.Length = Handler->Value.size();
    E.Text = N;
    Own.push_back(E);
  }
  Own.push_back(Insert(Span.End, "\n" + Indent.str() + Post + ";"));
  Deferred D;
  D.Edits = std::move(Header);
  D.Edits.insert(D.Edits.end(), Own.begin(), Own.end());
  D.Errors = Listener ? "its 'error' listener" : "its callback";
  D.Note = fmt::format("; the code using `{}` (to line {}) moved into the `.then` with it", Name,
                       lineNumber(Text, Span.End));
  return D;
}

/// The reason a finding of this rule is left for a person whatever its code looks like
/// (documentation, hard-coded values, generation flows, …), or nullopt.
std::optional<std::string> categoryReason(const Finding &F, const RecipeFile &R,
                                          FileContext &Ctx) {
  if (F.RuleId.find("doc-") != std::string::npos)
    return std::string("documentation or a comment: update the text by hand");
  if (F.RuleId.find("hardcoded") != std::string::npos) {
    Ctx.RevokeLines.push_back(F.Begin.Line);
    return std::string("a hard-coded legacy token: revoke it, and remove it once no request uses it");
  }
  if (F.RuleId.find("generation") != std::string::npos)
    return "a legacy token-generation flow (e-mail + password): replace it with the "
           "OAuth helper (helper --lang " + R.HelperLang + ") by hand";
  if (F.RuleId.find("env-var") != std::string::npos)
    return std::string("reads the legacy token from the environment; the helper reads "
                       "ZOHO_CLIENT_ID, ZOHO_CLIENT_SECRET and ZOHO_REFRESH_TOKEN instead");
  if (F.RuleId.find("declared-param") != std::string::npos)
    return std::string("an API interface declares the authtoken parameter; change the "
                       "interface and its callers by hand");
  if (F.RuleId.find("bare-header") != std::string::npos)
    return "the Authorization value is the legacy token itself: set it to 'Zoho-oauthtoken ' "
           "+ an access token from the OAuth helper (helper --lang " + R.HelperLang + ") by hand";
  return std::nullopt;
}

// -- PHP ---------------------------------------------------------------------------------
// rules/fix/php.yaml. Arrays are `[…]` / `array(…)` (array_creation_expression); a header
// line is `'Authorization: ' . <value>` (curl lists, stream contexts), a header map entry
// `'Authorization' => <value>` (Guzzle, WordPress).

/// The called function's name without a leading namespace separator (`\curl_exec`).
llvm::StringRef phpFunction(const CallSite &C) { return llvm::StringRef(C.Callee).ltrim('\\'); }

/// Top-level keys of a request options array (Guzzle, Symfony HttpClient, WordPress): an
/// array with another key at the options position is no options array (a query map).
bool phpRequestOption(llvm::StringRef K) {
  static const char *const Keys[] = {
      // Guzzle
      "allow_redirects", "auth", "base_uri", "body", "cert", "connect_timeout", "cookies",
      "curl", "debug", "decode_content", "delay", "expect", "force_ip_resolve", "form_params",
      "handler", "headers", "http_errors", "idn_conversion", "json", "multipart", "on_headers",
      "on_stats", "progress", "proxy", "query", "read_timeout", "sink", "ssl_key", "stream",
      "synchronous", "timeout", "verify", "version",
      // Symfony HttpClient
      "auth_basic", "auth_bearer", "bindto", "buffer", "cafile", "capath", "ciphers",
      "extra", "http_version", "local_cert", "local_pk", "max_duration", "max_redirects",
      "no_proxy", "passphrase", "peer_fingerprint", "resolve", "user_data", "verify_host",
      "verify_peer",
      // WordPress
      "blocking", "compress", "decompress", "filename", "httpversion", "limit_response_size",
      "method", "redirection", "reject_unsafe_urls", "sslcertificates", "sslverify",
      "user-agent"};
  for (const char *Key : Keys)
    if (K == Key)
      return true;
  return false;
}

std::optional<TextEdit> Run::phpAppend(ByteRange Array, llvm::StringRef Element) const {
  if (!Tree || !phpArray(Array))
    return std::nullopt;
  syntax::Node N = Tree->root().namedDescendantFor(Array);
  if (!N || N.kind() != "array_creation_expression" || N.range() != Array)
    return std::nullopt;
  std::vector<syntax::Node> Elements;
  for (const syntax::Node &C : N.namedChildren(true))
    if (C.kind() == "array_element_initializer")
      Elements.push_back(C);
  llvm::StringRef T = Text.slice(Array.Begin, Array.End);
  size_t Open = Array.Begin + (T.startswith("[") ? 1 : T.find('(') + 1);
  size_t Close = Array.End - 1; // `]` or `)`
  TextEdit E;
  if (Elements.empty()) {
    if (!Text.slice(Open, Close).trim().empty())
      return std::nullopt; // a comment inside
    E.Offset = Open;
    E.Length = Close - Open;
    E.Text = Element.str();
    return E;
  }
  const syntax::Node &Last = Elements.back();
  size_t P = Last.end();
  size_t Q = P;
  while (Q < Close && (Text[Q] == ' ' || Text[Q] == '\t'))
    ++Q;
  llvm::StringRef NL = newlineOf(Text);
  if (Q < Close && Text[Q] == ',') {
    size_t Break = Text.find('\n', Q);
    if (Break != llvm::StringRef::npos && Break < Close &&
        llvm::StringRef(Text.slice(Q + 1, Break)).trim().empty()) {
      E.Offset = Break + 1; // a multi-line literal with a trailing comma: a line of its own
      E.Text = (indentOf(Text, Last.begin()) + Element + "," + NL).str();
      return E;
    }
    E.Offset = Q + 1;
    E.Text = " " + Element.str() + ",";
    return E;
  }
  E.Offset = P;
  if (Text.slice(P, Close).contains('\n') && coversWholeLines(Text, Last.begin(), P))
    E.Text = ("," + NL + indentOf(Text, Last.begin()) + Element).str();
  else
    E.Text = ", " + Element.str();
  return E;
}

std::optional<Carrier> Run::phpHeaderLine(const Finding &F) const {
  // A bare-header finding: the line holds the token itself (`"Authorization: $authtoken"`).
  bool Bare = F.RuleId.find("bare-header") != std::string::npos;
  static const re2::RE2 LegacyLine("(?i)\\s*authorization\\s*:\\s*zoho-authtoken\\s*\\x1f(\\r?\\n)?");
  static const re2::RE2 BareLine("(?i)\\s*authorization\\s*:\\s*\\x1f(\\r?\\n)?");
  const re2::RE2 &Line = Bare ? BareLine : LegacyLine;
  uint32_t Off = static_cast<uint32_t>(F.Offset);
  auto Legacy = [&](const StringExpr &S) {
    for (const StringPiece &P : S.Pieces)
      if (P.IsLiteral && llvm::StringRef(P.Value).contains_insensitive(Bare ? "authorization" : "zoho-authtoken"))
        return true;
    return false;
  };
  auto ArgText = [&](const CallSite &C, size_t I) {
    return I < C.Arguments.size()
               ? Text.slice(C.Arguments[I].Value.Begin, C.Arguments[I].Value.End).trim().ltrim('\\')
               : llvm::StringRef();
  };
  // `'Authorization' => <value>` in the headers of a request with an options array
  // (Guzzle, WordPress): the request's own header edit replaces the value, inside its
  // retry where it has one.
  auto Options = [&](ByteRange Value, ByteRange Scope) -> std::optional<Carrier> {
    for (const KeyValue &KV : M.Pairs) {
      if (KV.Value != Value || !llvm::StringRef(KV.Key).equals_insensitive("authorization"))
        continue;
      const CallSite *Call = callAround(KV.Container);
      const Idiom *I = Call ? R.idiomFor(Call->Callee) : nullptr;
      if (!I || I->Header != "php-options")
        continue;
      size_t Pos = I->Position < 0 ? 1 : static_cast<size_t>(I->Position);
      const KeyValue *Headers =
          Pos < Call->Arguments.size() ? phpEntry(Call->Arguments[Pos].Value, I->Keyword) : nullptr;
      if (!Headers || Headers->Value != KV.Container)
        continue;
      Carrier C;
      C.Kind = Carrier::Statement;
      C.Range = Value;
      C.Scope = Scope;
      C.Call = Call;
      return C;
    }
    return std::nullopt;
  };
  if (Bare)
    if (auto V = bareHeaderValue(Off))
      if (auto C = Options(V->first, V->second))
        return C;
  for (const auto *List : {&M.Concats, &M.Strings})
    for (const StringExpr &S : *List) {
      if (!(S.Range.Begin <= Off && Off < S.Range.End) || !Legacy(S))
        continue;
      if (auto C = Options(S.Range, S.Scope))
        return C;
      std::string Flat = S.flatten("\x1f");
      std::string Break;
      if (std::count(Flat.begin(), Flat.end(), '\x1f') != 1 ||
          !re2::RE2::FullMatch(Flat, Line, &Break))
        continue;
      // A line of a curl header list (`CURLOPT_HTTPHEADER => [...]`, or a variable given
      // to curl_setopt): it leaves the list, and the curl request gets the header (and its
      // retry) like any other.
      syntax::Node N = Tree ? Tree->root().namedDescendantFor(S.Range) : syntax::Node();
      syntax::Node Elem = N ? N.parent() : syntax::Node();
      syntax::Node Arr = Elem ? Elem.parent() : syntax::Node();
      if (N && N.range() == S.Range && Elem && Elem.kind() == "array_element_initializer" &&
          Elem.namedChildren(true).size() == 1 && Arr && Arr.kind() == "array_creation_expression") {
        ByteRange A = Arr.range();
        const CallSite *Around = callAround(A);
        bool Curl = false;
        if (Around && phpFunction(*Around) == "curl_setopt")
          Curl = Around->Arguments.size() >= 3 && Around->Arguments[2].Value == A &&
                 ArgText(*Around, 1) == "CURLOPT_HTTPHEADER";
        else if (Around && phpFunction(*Around) == "curl_setopt_array")
          for (const KeyValue &KV : M.Pairs)
            Curl = Curl || (KV.Value == A && llvm::StringRef(KV.Key).ltrim('\\') == "CURLOPT_HTTPHEADER");
        std::string Var = Curl ? std::string() : assignedVariable(A);
        bool ViaVar = false;
        for (const CallSite &C : M.Calls)
          ViaVar = ViaVar || (!Var.empty() && C.Scope == S.Scope && phpFunction(C) == "curl_setopt" &&
                              ArgText(C, 1) == "CURLOPT_HTTPHEADER" && ArgText(C, 2) == Var);
        if (Curl || ViaVar) {
          Carrier C;
          C.Kind = Carrier::Statement;
          C.Range = S.Range;
          C.Scope = S.Scope;
          C.Removal.push_back(removeListElement(Text, Elem.begin(), Elem.end()));
          C.Call = Curl ? Around : nullptr;
          C.Variable = Var;
          return C;
        }
      }
      Carrier C;
      C.Kind = Carrier::Header;
      C.Range = S.Range;
      C.Scope = S.Scope;
      TextEdit E;
      E.Offset = S.Range.Begin;
      E.Length = S.Range.size();
      E.Text = "'Authorization: ' . " + value(false) +
               (Break.empty() ? "" : Break == "\n" ? " . \"\\n\"" : " . \"\\r\\n\"");
      C.Removal.push_back(E);
      return C;
    }
  return std::nullopt;
}

std::optional<std::pair<ByteRange, ByteRange>> Run::bareHeaderValue(uint32_t Off) const {
  auto IsAuthorization = [](llvm::StringRef K) {
    return K.trim().trim("\"'`").trim().equals_insensitive("authorization");
  };
  auto Holds = [&](ByteRange R) { return R.Begin <= Off && Off < R.End; };
  std::optional<std::pair<ByteRange, ByteRange>> Best;
  auto Take = [&](ByteRange V, ByteRange Scope) {
    if (!V.empty() && Holds(V) && (!Best || V.size() < Best->first.size()))
      Best = std::make_pair(V, Scope);
  };
  // {"Authorization": t}, 'Authorization' => $t, Authorization = t (C# initializers)
  for (const KeyValue &KV : M.Pairs)
    if (IsAuthorization(KV.Key))
      Take(KV.Value, KV.Scope);
  // headers["Authorization"] = t, $h['Authorization'] = $t, req["Authorization"] = t
  for (const auto &A : M.Assignments)
    if (A.Op == "=" && llvm::StringRef(A.Target).trim().endswith("]") && IsAuthorization(A.Name))
      Take(A.Value, A.Scope);
  // addHeader("Authorization", t), setRequestProperty(…), Header.Set(…), Headers.Add(…)
  for (const CallSite &C : M.Calls)
    if (C.Arguments.size() == 2 && C.Arguments[0].Keyword.empty() && C.Arguments[1].Keyword.empty()) {
      llvm::StringRef K = Text.slice(C.Arguments[0].Value.Begin, C.Arguments[0].Value.End).trim();
      if (K.size() >= 2 && (K.front() == '"' || K.front() == '\'') && IsAuthorization(K))
        Take(C.Arguments[1].Value, C.Scope);
    }
  return Best;
}

void Run::removeHardcodedTokenDeclarations() {
  // Every range a fixed finding replaced or removed (a bare header value, a parameter map's
  // authtoken entry, a URL's authtoken= piece, a curl header line leaving its list), with
  // its new text and the finding that owns it.
  std::vector<std::tuple<ByteRange, std::string, size_t>> Gone;
  for (const FindingOutcome &O : Ctx.Outcomes) {
    if (O.O != Outcome::Fixed || O.F->RuleId.find("hardcoded") != std::string::npos)
      continue;
    size_t Index = Ctx.indexOf(O.F);
    auto It = Ctx.EditsOf.find(Index);
    if (It != Ctx.EditsOf.end())
      for (size_t E : It->second) {
        const TextEdit &Ed = Ctx.Edits[E];
        Gone.emplace_back(ByteRange{static_cast<uint32_t>(Ed.Offset),
                                    static_cast<uint32_t>(Ed.Offset + Ed.Length)},
                          Ed.Text, Index);
      }
  }
  if (Gone.empty())
    return;
  // The names hard-coded tokens are assigned to: `auth_token = "…"`, `$authtoken = '…'`.
  std::set<std::string> TokenNames;
  static const re2::RE2 Ident("\\$?[A-Za-z_][A-Za-z0-9_]*");
  for (const Finding *F : Ctx.Findings) {
    if (F->RuleId.find("hardcoded") == std::string::npos)
      continue;
    for (const syntax::Assignment &A : M.Assignments)
      if (!A.Value.empty() && A.Value.Begin <= F->Offset && F->Offset < A.Value.End &&
          re2::RE2::FullMatch(A.Target, Ident))
        TokenNames.insert(A.Target);
  }
  for (const std::string &Name : TokenNames)
   for (const auto &Cand : M.Assignments) {
    auto Same = [&](const syntax::Assignment &A) {
      return A.Target == Name || A.Target == "$" + Name || "$" + A.Target == Name;
    };
    if (!Same(Cand))
      continue;
    // The one assignment of the name in its function (or file), holding a literal.
    const syntax::Assignment *Decl = &Cand;
    unsigned Count = 0;
    for (const auto &A : M.Assignments)
      Count += Same(A) && (A.Scope == Decl->Scope || Decl->Scope.size() >= Text.size());
    if (Count != 1 || Decl->Value.empty() || (!Decl->Op.empty() && Decl->Op != "=" && Decl->Op != ":="))
      continue;
    bool Literal = false;
    for (const StringExpr &S : M.Strings)
      Literal = Literal || (S.Range == Decl->Value && S.isConstant());
    if (!Literal)
      continue;
    ByteRange St = Decl->Statement.empty() ? M.statementAt(Decl->Range.Begin) : Decl->Statement;
    if (St.empty() || !St.contains(Decl->Range) || !coversWholeLines(Text, St.Begin, St.End))
      continue;
    llvm::StringRef StText = Text.slice(St.Begin, St.End);
    std::string Rest = StText.substr(0, Decl->Range.Begin - St.Begin).str() +
                       StText.substr(Decl->Range.End - St.Begin).str();
    if (llvm::StringRef(Rest).find_first_of(",()") != llvm::StringRef::npos)
      continue; // more declarators, or a call around it
    // A local of a function, or a private field (JVM, C#): no other file sees it.
    bool Local = Decl->Scope.size() < Text.size() && Decl->Scope.contains(St) &&
                 llvm::StringRef(Rest).trim().find("private") == llvm::StringRef::npos &&
                 !llvm::StringRef(Rest).contains("static");
    bool PrivateField = (jvm() || R.HelperLang == "csharp") &&
                        re2::RE2::PartialMatch(Rest, "(?:^|\\s)private\\s");
    // A script's top-level variable (Python, JavaScript, PHP, Ruby): nothing exports it, and
    // the file runs as a script that no file beside it imports (scriptNobodyImports, asked
    // last: it reads the directory). (Go's package-level names are every file's of the
    // package.)
    bool ScriptLevel = !Local && !PrivateField && Decl->Scope.size() >= Text.size() &&
                       (M.G == syntax::Grammar::Python || M.G == syntax::Grammar::JavaScript ||
                        M.G == syntax::Grammar::TypeScript || M.G == syntax::Grammar::Tsx ||
                        M.G == syntax::Grammar::PHP || M.G == syntax::Grammar::Ruby) &&
                       !re2::RE2::PartialMatch(
                           Rest, "\\b(?:export|global|public|module\\.exports)\\b");
    if (!Local && !PrivateField && !ScriptLevel)
      continue;
    // Nothing else names it: every whole-word occurrence is the declaration or a replaced
    // value (comments and strings count as uses).
    ByteRange Where = PrivateField || ScriptLevel ? ByteRange{0, static_cast<uint32_t>(Text.size())}
                                                  : Decl->Scope;
    llvm::StringRef Bare = llvm::StringRef(Name).ltrim('$');
    llvm::StringRef Code = Text.slice(Where.Begin, Where.End);
    bool Other = false;
    std::optional<size_t> Owner; // the fixed finding whose edit took a use: it owns the removal
    for (size_t P = 0; !Other && (P = Code.find(Bare, P)) != llvm::StringRef::npos; P += Bare.size()) {
      uint32_t At = Where.Begin + P;
      // (`$` is a boundary here: `$authtoken` and `authtoken` both count.)
      auto Word = [](char Ch) { return llvm::isAlnum(Ch) || Ch == '_'; };
      bool B = P == 0 || !Word(Code[P - 1]);
      bool A = P + Bare.size() >= Code.size() || !Word(Code[P + Bare.size()]);
      if (!B || !A)
        continue;
      ByteRange Here{At, static_cast<uint32_t>(At + 1)};
      if (Decl->TargetRange.contains(Here) || Decl->Range.contains(Here))
        continue;
      // Inside a range a fixed finding replaced, with a text that does not name it.
      auto Names = [&](llvm::StringRef T) {
        for (size_t Q = 0; (Q = T.find(Bare, Q)) != llvm::StringRef::npos; Q += Bare.size())
          if ((Q == 0 || !Word(T[Q - 1])) && (Q + Bare.size() >= T.size() || !Word(T[Q + Bare.size()])))
            return true;
        return false;
      };
      bool Mine = false;
      for (const auto &[Range, New, Index] : Gone)
        if (!Mine && Range.contains(Here) && !Names(New)) {
          Mine = true;
          if (!Owner)
            Owner = Index;
        }
      Other = !Mine;
    }
    if (Other)
      continue;
    // The hard-coded finding of the literal: fixed with the declaration.
    const Finding *Hard = nullptr;
    for (const Finding *F : Ctx.Findings)
      if (F->RuleId.find("hardcoded") != std::string::npos && St.Begin <= F->Offset && F->Offset < St.End)
        Hard = F;
    if (!Hard)
      continue;
    // A use's finding owns the removal: it goes only with the replaced values.
    if (!Owner)
      continue;
    if (ScriptLevel && !scriptNobodyImports())
      continue;
    Ctx.addEdit(*Owner, removeRange(Text, St.Begin, St.End));
    for (FindingOutcome &O : Ctx.Outcomes)
      if (O.F == Hard) {
        O.O = Outcome::Fixed;
        O.Reason = fmt::format("the hard-coded legacy token `{}` is removed: its every use now "
                               "sends the OAuth header; revoke the token", Bare);
      }
  }
}

bool Run::scriptNobodyImports() const {
  bool TopLevelCall = false;
  static const re2::RE2 NotRun("(?i)^(?:require|require_once|include|include_once|import|"
                               "define|defined|use|load|set_include_path|ini_set|"
                               "error_reporting|date_default_timezone_set)$");
  for (const CallSite &C : M.Calls)
    if (C.Scope.size() >= Text.size() && !re2::RE2::FullMatch(C.Name, NotRun))
      TopLevelCall = true;
  if (!TopLevelCall || !Ctx.Opts || !Ctx.Opts->ListDir || !Ctx.Read)
    return false;
  llvm::StringRef Path(Ctx.Path);
  llvm::StringRef Stem = llvm::sys::path::stem(Path);
  llvm::StringRef Ext = llvm::sys::path::extension(Path);
  if (Stem.empty() || Ext.empty())
    return false;
  re2::RE2 Names("(?:^|[^A-Za-z0-9_])" + re2::RE2::QuoteMeta(Stem.str()) + "(?:[^A-Za-z0-9_]|$)");
  if (!Names.ok())
    return false;
  std::string Dir = directoryOf(Path);
  for (const std::string &Name : Ctx.Opts->ListDir(Dir)) {
    std::string Child = Dir.empty() ? Name : Dir + "/" + Name;
    if (Child == Path || !llvm::StringRef(Name).endswith_insensitive(Ext))
      continue;
    auto Content = Ctx.Read(Child);
    if (!Content) {
      llvm::consumeError(Content.takeError());
      continue;
    }
    if (re2::RE2::PartialMatch(*Content, Names))
      return false;
  }
  return true;
}

std::string Run::keptHeaderValue(ByteRange Value, ByteRange Scope) const {
  if (Scope.size() < Text.size())
    return ""; // inside a function: evaluated for each call
  ByteRange St = M.statementAt(Value.Begin);
  if (St.empty() || !St.contains(Value))
    return "";
  llvm::StringRef Before = Text.slice(St.Begin, Value.Begin);
  const syntax::Assignment *Decl = nullptr;
  for (const auto &A : M.Assignments)
    if (!A.Value.empty() && A.Value.contains(Value) && St.contains(A.Range))
      Decl = &A;
  auto Reason = [&](llvm::StringRef What) {
    return fmt::format("the Zoho-authtoken header value initialises {}, evaluated once and kept "
                       "for every request (an access token expires after an hour{}): set the "
                       "header to `{}` where each request is made, by hand",
                       What.str(), M.G == syntax::Grammar::PHP ? ", and PHP allows no call there" : "",
                       value(false));
  };
  if (M.G == syntax::Grammar::PHP) {
    static const re2::RE2 Property(
        "^\\s*(?:(?:public|private|protected|var|static|readonly)\\s+)+(?:\\??[A-Za-z_\\\\][\\w\\\\]*\\s+)?\\$[A-Za-z_]\\w*\\s*=");
    if (Decl && Decl->Keyword == "const")
      return Reason(fmt::format("the constant `{}`", Decl->Name));
    if (re2::RE2::PartialMatch(re2::StringPiece(Before.data(), Before.size()), Property))
      return Reason("a property's default value");
    return "";
  }
  bool Jvm = M.G == syntax::Grammar::Java || M.G == syntax::Grammar::CSharp ||
             M.G == syntax::Grammar::Kotlin || M.G == syntax::Grammar::Scala;
  static const re2::RE2 ClassOpen("\\b(?:class|object|interface|record|struct)\\s+[A-Za-z_]\\w*[^;{]*\\{");
  if (Jvm && re2::RE2::PartialMatch(re2::StringPiece(Text.data(), St.Begin), ClassOpen))
    return Reason("a field");
  if (Decl && Decl->Keyword == "const" && !Decl->Name.empty()) {
    // Used inside a function: computed at load, read long after.
    for (const CallSite &C : M.Calls)
      if (C.Scope.size() < Text.size() && !St.contains(C.Range) &&
          mentions(Text.slice(C.Range.Begin, C.Range.End), Decl->Name))
        return Reason(fmt::format("the constant `{}`", Decl->Name));
  }
  return "";
}

std::optional<Carrier> Run::bareHeaderCarrier(const Finding &F, std::string &Why) const {
  uint32_t Off = static_cast<uint32_t>(F.Offset);
  auto V = bareHeaderValue(Off);
  if (!V) {
    Why = "the Authorization value is the legacy token itself, and not the whole value of an "
          "`Authorization` header entry, subscript or header call this fix knows: set it to `" +
          value(false) + "` by hand";
    return std::nullopt;
  }
  auto [Value, Scope] = *V;
  // A header container kept for many requests (a field, or built in a constructor): a value
  // taken from the helper once would outlive the one-hour access token.
  // (The object's own members: `self.headers`, `this.headers`, `$this->headers`, `@headers`.)
  auto Member = [](llvm::StringRef T) {
    static const re2::RE2 Own("\\s*(?:@[A-Za-z_]|(?:self|this|cls|\\$this|static)\\s*(?:\\.|->|::)).*");
    return re2::RE2::FullMatch(re2::StringPiece(T.data(), T.size()), Own);
  };
  // (A request made inside the assignment, `self.res = requests.get(…, headers={…})`, is
  // made there and then: its header is not kept.)
  auto SentThere = [&](ByteRange Within) {
    for (const CallSite &C : M.Calls)
      if (Within.contains(C.Range) && C.ArgumentList.contains(Value) && R.idiomFor(C.Callee))
        return true;
    return false;
  };
  std::string Kept;
  for (const auto &A : M.Assignments)
    if (!A.Value.empty() && A.Value.contains(Value) && A.Op == "=" && Member(A.Target) &&
        !A.TargetRange.contains(Value) && !SentThere(A.Value)) {
      Kept = A.Target;
      break;
    }
  for (const auto &A : M.Assignments) // self.headers["Authorization"] = t
    if (A.Value == Value && Member(A.Target) && llvm::StringRef(A.Target).trim().endswith("]"))
      Kept = A.Target;
  // Built at the top level of a module and used inside functions: built once at load.
  if (Kept.empty() && Scope.size() >= Text.size()) {
    std::string Var;
    for (const KeyValue &KV : M.Pairs)
      if (KV.Value == Value)
        Var = assignedVariable(KV.Container);
    for (const auto &A : M.Assignments)
      if (A.Value == Value && llvm::StringRef(A.Target).trim().endswith("]"))
        Var = llvm::StringRef(A.Target).split('[').first.trim().str();
    // (An argument's value names it; `headers=h` is a keyword, not the variable.)
    if (!Var.empty())
      for (const CallSite &C : M.Calls)
        if (C.Scope.size() < Text.size())
          for (const auto &A : C.Arguments)
            if (Kept.empty() && mentions(Text.slice(A.Value.Begin, A.Value.End), Var))
              Kept = Var;
  }
  llvm::StringRef Head = Text.slice(Scope.Begin, std::min<size_t>(Scope.End, Text.find_first_of("({", Scope.Begin)));
  static const re2::RE2 Ctor("(?:^|\\W)(?:__init__|__construct|constructor|initialize)\\s*$");
  static const re2::RE2 LastWord("(?:^|\\W)([A-Z][A-Za-z0-9_]*)\\s*$");
  std::string Class;
  bool ClassCtor = re2::RE2::PartialMatch(re2::StringPiece(Head.data(), Head.size()), LastWord, &Class) &&
                   mentions(Text, "class") &&
                   re2::RE2::PartialMatch(re2::StringPiece(Text.data(), Text.size()),
                                          "\\bclass\\s+" + re2::RE2::QuoteMeta(Class) + "\\b");
  if (Kept.empty() && Scope.size() < Text.size() && !SentThere(Scope) &&
      (ClassCtor || re2::RE2::PartialMatch(re2::StringPiece(Head.data(), Head.size()), Ctor)))
    Kept = "a constructor";
  if (!Kept.empty()) {
    Why = fmt::format("the Authorization header is set once on a header container kept for many "
                      "requests ({}): a value taken once would outlive the one-hour access token; "
                      "set it to `{}` before each request by hand",
                      Kept == "a constructor" ? Kept : "`" + Kept + "`", value(false));
    return std::nullopt;
  }
  Carrier C;
  C.Kind = Carrier::Header;
  C.Range = Value;
  C.Scope = Scope;
  C.Call = callAround(Value);
  TextEdit E;
  E.Offset = Value.Begin;
  E.Length = Value.size();
  E.Text = value(false);
  C.Removal.push_back(E);
  return C;
}

void Run::phpTidyUrl(Carrier &C) const {
  if (C.Kind != Carrier::Url || C.Removal.empty() || C.Range.empty())
    return;
  std::vector<TextEdit> Es = C.Removal;
  mergeDeletions(Es);
  std::string Old = Text.slice(C.Range.Begin, C.Range.End).str();
  std::string New;
  std::vector<size_t> Points; // where an edit left its mark in New
  size_t At = C.Range.Begin;
  for (const TextEdit &E : Es) {
    if (E.Offset < At || E.Offset + E.Length > C.Range.End)
      return;
    New += Text.slice(At, E.Offset).str();
    New += E.Text;
    Points.push_back(New.size());
    At = E.Offset + E.Length;
  }
  New += Text.slice(At, C.Range.End).str();
  bool Changed = false;
  for (size_t I = New.size(); I-- > 1;) {
    char Q = New[I];
    if (Q != '\'' && Q != '"')
      continue;
    // New[I] closes a literal, New[J] opens the next one: `' . '`.
    size_t J = I + 1;
    while (J < New.size() && (New[J] == ' ' || New[J] == '\t'))
      ++J;
    if (J >= New.size() || New[J] != '.')
      continue;
    ++J;
    while (J < New.size() && (New[J] == ' ' || New[J] == '\t'))
      ++J;
    if (J >= New.size() || New[J] != Q)
      continue;
    bool Touched = false;
    for (size_t P : Points)
      Touched = Touched || (I <= P && P <= J + 1);
    char Before = New[I - 1];
    if (!Touched || Before == '\\' || (Q == '"' && (Before == '$' || Before == '{')))
      continue;
    New.erase(I, J - I + 1);
    // `?&x` / `&&x` / `"&x` at the start: the removed parameter's separator goes too.
    if (I < New.size() && New[I] == '&' && (Before == '?' || Before == '&' || I == 1))
      New.erase(I, 1);
    Changed = true;
  }
  if (!Changed)
    return;
  size_t Pre = 0;
  while (Pre < Old.size() && Pre < New.size() && Old[Pre] == New[Pre])
    ++Pre;
  size_t Suf = 0;
  while (Suf < Old.size() - Pre && Suf < New.size() - Pre &&
         Old[Old.size() - 1 - Suf] == New[New.size() - 1 - Suf])
    ++Suf;
  TextEdit E;
  E.Offset = C.Range.Begin + Pre;
  E.Length = Old.size() - Pre - Suf;
  E.Text = New.substr(Pre, New.size() - Pre - Suf);
  C.Removal = {E};
}

std::vector<TextEdit> Run::phpImportEdits() const {
  if (!R.ImportMatch.empty()) {
    re2::RE2 Re(expand(R.ImportMatch, {{"ns", NS}}), re2::RE2::Quiet);
    if (Re.ok() && re2::RE2::PartialMatch(re2::StringPiece(Text.data(), Text.size()), Re))
      return {};
  }
  size_t Tag = phpOpenTag();
  if (Tag == llvm::StringRef::npos)
    return {};
  // After the tag and every declare / namespace / use / require / include statement that
  // follows it (comments in between are skipped; a docblock before code stays with it).
  size_t InsertAt = Tag + 5;
  size_t Q = InsertAt;
  for (int Guard = 0; Guard < 1000 && Q < Text.size(); ++Guard) {
    while (Q < Text.size() && llvm::StringRef(" \t\r\n").contains(Text[Q]))
      ++Q;
    llvm::StringRef Rest = Text.drop_front(Q);
    if (Rest.startswith("//") || (Rest.startswith("#") && !Rest.startswith("#["))) {
      Q = lineEnd(Text, Q);
      continue;
    }
    if (Rest.startswith("/*")) {
      size_t End = Rest.find("*/");
      if (End == llvm::StringRef::npos)
        break;
      Q += End + 2;
      // A file comment (a blank line after it) goes before the require; a docblock right
      // above code stays with the code.
      size_t Next = lineEndWithBreak(Text, Q);
      if (Text.slice(Q, Next).trim().empty() && Text.slice(Next, lineEnd(Text, Next)).trim().empty())
        InsertAt = Q;
      continue;
    }
    llvm::StringRef Word = Rest.take_while([](char C) { return llvm::isAlnum(C) || C == '_'; });
    std::string W = Word.lower();
    if (!(W == "declare" || W == "namespace" || W == "use" || W == "require" ||
          W == "require_once" || W == "include" || W == "include_once"))
      break;
    size_t Semi = Rest.find(';');
    size_t Brace = Rest.find('{');
    if (W == "namespace" && Brace != llvm::StringRef::npos && Brace < Semi) {
      Q += Brace + 1; // `namespace Foo {`: inside its block
    } else {
      if (Semi == llvm::StringRef::npos)
        break;
      Q += Semi + 1;
    }
    InsertAt = Q;
  }
  llvm::StringRef NL = newlineOf(Text);
  std::string Main = expand(R.Import, {{"ns", NS}});
  TextEdit E;
  size_t LE = lineEnd(Text, InsertAt);
  llvm::StringRef After = Text.slice(InsertAt, LE).trim();
  if (After.empty() || After.startswith("//") || After.startswith("#")) {
    E.Offset = lineEndWithBreak(Text, InsertAt);
    E.Text = Main + NL.str();
    if (E.Offset == Text.size() && !Text.endswith("\n"))
      E.Text = NL.str() + Main + NL.str();
  } else {
    E.Offset = InsertAt; // code goes on after the tag or statement on its line
    E.Text = NL.str() + Main + NL.str();
  }
  return {E};
}

std::optional<std::vector<TextEdit>> Run::phpHeaderEdits(const CallSite &Call, const Idiom &I,
                                                         bool Retry, std::string &Why) const {
  std::string V = value(Retry);
  auto X = [&](llvm::StringRef Idm, llvm::StringRef File, llvm::StringRef Arg = "") {
    std::string HeaderLine = expand(I.HeaderLine, {{"value", V}, {"ns", NS}});
    return expand(tmpl(Idm, File),
                  {{"value", V}, {"ns", NS}, {"line", HeaderLine}, {"arg", Arg}, {"expr", Arg}});
  };
  auto Replace = [&](ByteRange Rg, std::string T) {
    TextEdit E;
    E.Offset = Rg.Begin;
    E.Length = Rg.size();
    E.Text = std::move(T);
    return std::vector<TextEdit>{E};
  };
  // A template around an existing expression: two inserts, so that edits inside it (the
  // credential's removal) still apply.
  auto Around = [&](ByteRange Rg, llvm::StringRef Idm, llvm::StringRef File) {
    std::string T = X(Idm, File, "\x1f");
    size_t Hole = T.find('\x1f');
    TextEdit Pre, Post;
    Pre.Offset = Rg.Begin;
    Pre.Text = T.substr(0, Hole);
    Post.Offset = Rg.End;
    Post.Text = Hole == std::string::npos ? "" : T.substr(Hole + 1);
    return std::vector<TextEdit>{Pre, Post};
  };
  auto One = [&](std::optional<TextEdit> E, const char *Shape) -> std::optional<std::vector<TextEdit>> {
    if (!E) {
      Why = std::string("the request's ") + Shape + " has a shape this fix does not edit";
      return std::nullopt;
    }
    return std::vector<TextEdit>{*E};
  };
  llvm::StringRef Callee(Call.Callee);

  if (I.Header == "php-options") {
    if (!I.Retry)
      PhpNotes[Call.Range.Begin] = "; no 401 retry: the call returns a promise";
    size_t Pos = I.Position < 0 ? 1 : static_cast<size_t>(I.Position);
    if (Pos < Call.Arguments.size()) {
      const syntax::Argument &A = Call.Arguments[Pos];
      if (!A.Keyword.empty()) {
        Why = "the options are the named argument `" + A.Keyword + ":`; give the request the "
              "Authorization header by hand";
        return std::nullopt;
      }
      if (!phpArray(A.Value))
        return Around(A.Value, I.OptionsMerge, R.OptionsMerge);
      for (const KeyValue &KV : M.Pairs)
        if (KV.Container == A.Value && !phpRequestOption(KV.Key)) {
          Why = "argument " + std::to_string(Pos + 1) + " of `" + Call.Callee + "(…)` has the key `" +
                KV.Key + "`, which is no request option (a query or form map?); give the "
                "request the Authorization header by hand";
          return std::nullopt;
        }
      const KeyValue *H = phpEntry(A.Value, I.Keyword);
      if (!H)
        return One(phpAppend(A.Value, X(I.Argument, R.Argument)), "options array");
      if (!phpArray(H->Value))
        return Around(H->Value, I.Merge, R.Merge);
      if (const KeyValue *Auth = phpEntry(H->Value, "authorization"))
        return Replace(Auth->Value, V);
      return One(phpAppend(H->Value, X(I.Entry, R.Entry)), "headers array");
    }
    if (Pos > Call.Arguments.size()) {
      Why = "`" + Call.Callee + "(…)` has fewer arguments than its options position";
      return std::nullopt;
    }
    auto E = addArgument(Call, X(I.OptionsArgument, R.OptionsArgument));
    if (!E)
      Why = "the call has no argument list to add the options to";
    return E;
  }

  if (I.Header == "curl")
    return phpCurl(Call, I, V, Why);

  if (I.Header == "stream-options") {
    PhpNotes[Call.Range.Begin] = "; no 401 retry: the stream context is created before the "
                                 "request, so a retry would resend the same token";
    return phpStreamOptions(Call, I, V, Why);
  }

  if (I.Header == "stream-context") {
    const Idiom *Inner = R.idiom(I.Inner);
    size_t Pos = I.Position < 0 ? 2 : static_cast<size_t>(I.Position);
    // Retry: the request is sent again inside the helper's wrapper, so the header must be
    // built inside the call (a context added here, or created inline), and the function
    // must not read $http_response_header (the wrapper's arrow function would hide it).
    std::string NoRetry;
    if (R.RetryWrap.empty())
      NoRetry = "the recipe has no retry wrapper";
    else if (mentions(Text.slice(Call.Scope.Begin, Call.Scope.End), "$http_response_header"))
      NoRetry = "this function reads $http_response_header, which the retry wrapper would hide";
    // The edits with header value \p Value (the retry's or the plain one).
    auto Build = [&](const std::string &Value) -> std::optional<std::vector<TextEdit>> {
      V = Value;
      if (Pos >= Call.Arguments.size()) {
        std::string Arg;
        for (size_t K = Call.Arguments.size(); K < Pos; ++K)
          Arg += (I.Filler.empty() ? std::string("null") : I.Filler) + ", ";
        Arg += X(I.OptionsArgument, R.OptionsArgument);
        auto E = addArgument(Call, Arg);
        if (!E)
          Why = "the call has no argument list to add the stream context to";
        return E;
      }
      const syntax::Argument &A = Call.Arguments[Pos];
      llvm::StringRef AT = Text.slice(A.Value.Begin, A.Value.End).trim();
      const CallSite *Create = phpCallAt(A.Value);
      if (Create && Inner && phpFunction(*Create) == "stream_context_create")
        return phpStreamOptions(*Create, *Inner, V, Why);
      if (AT.equals_insensitive("null"))
        return Replace(A.Value, X(I.OptionsArgument, R.OptionsArgument));
      if (!AT.startswith("$") || !Inner) {
        Why = "the request's stream context is built in a way this fix does not edit";
        return std::nullopt;
      }
      ByteRange Val = phpAssignedBefore(AT, Call.Scope, Call.Range.Begin);
      const CallSite *C2 = Val.empty() ? nullptr : phpCallAt(Val);
      if (!C2 || phpFunction(*C2) != "stream_context_create") {
        Why = "the stream context `" + AT.str() + "` is not created with stream_context_create() "
              "in this function; add the Authorization header to it by hand";
        return std::nullopt;
      }
      for (const CallSite &O : M.Calls) {
        if (&O == &Call || O.Scope != Call.Scope || O.Range.contains(Call.Range) ||
            Call.Range.contains(O.Range) || O.Range.contains(C2->Range))
          continue;
        for (const syntax::Argument &OA : O.Arguments)
          if (mentions(Text.slice(OA.Value.Begin, OA.Value.End), AT)) {
            Why = "the stream context `" + AT.str() + "` is also used by `" + O.Callee +
                  "(…)`; give the Zoho request a context of its own with the Authorization "
                  "header by hand";
            return std::nullopt;
          }
      }
      return phpStreamOptions(*C2, *Inner, V, Why);
    };
    auto Inside = [&](const std::vector<TextEdit> &Es) {
      for (const TextEdit &E : Es)
        if (E.Offset < Call.Range.Begin || E.Offset + E.Length > Call.Range.End)
          return false;
      return true;
    };
    std::optional<std::vector<TextEdit>> Out = Build(NoRetry.empty() ? value(true) : value(false));
    if (Out && NoRetry.empty() && !Inside(*Out)) {
      // The header goes into a context or options built before the request: outside the
      // retry wrapper, so it takes the plain value and there is no retry.
      NoRetry = "the stream context is created before the request, so a retry would resend "
                "the same token";
      Out = Build(value(false));
    }
    if (!Out)
      return Out;
    if (NoRetry.empty()) {
      std::string Wrap = expand(R.RetryWrap, {{"ns", NS}, {"call", "\x1f"}});
      size_t Hole = Wrap.find('\x1f');
      TextEdit Pre, Post;
      Pre.Offset = Call.Range.Begin;
      Pre.Text = Wrap.substr(0, Hole);
      Post.Offset = Call.Range.End;
      Post.Text = Hole == std::string::npos ? "" : Wrap.substr(Hole + 1);
      Out->push_back(Pre);
      Out->push_back(Post);
      PhpNotes[Call.Range.Begin] = "; it retries once after a 401 (withRetryOnInvalidToken "
                                   "reads the http wrapper's 401 warning)";
    } else {
      PhpNotes[Call.Range.Begin] = "; no 401 retry: " + NoRetry;
    }
    return Out;
  }
  Why = "unknown header kind '" + I.Header + "'";
  return std::nullopt;
}

std::optional<std::vector<TextEdit>> Run::phpStreamOptions(const CallSite &Create, const Idiom &I,
                                                           llvm::StringRef V, std::string &Why) const {
  auto X = [&](llvm::StringRef Idm, llvm::StringRef File) {
    std::string HeaderLine = expand(I.HeaderLine, {{"value", V}, {"ns", NS}});
    return expand(tmpl(Idm, File), {{"value", V}, {"ns", NS}, {"line", HeaderLine}});
  };
  std::string Line = X(I.HeaderLine, "");
  auto One = [&](std::optional<TextEdit> E) -> std::optional<std::vector<TextEdit>> {
    if (!E) {
      Why = "the stream context's options have a shape this fix does not edit";
      return std::nullopt;
    }
    return std::vector<TextEdit>{*E};
  };
  if (Create.Arguments.empty()) {
    auto E = addArgument(Create, X(I.OptionsArgument, ""));
    if (!E)
      Why = "stream_context_create has no argument list";
    return E;
  }
  ByteRange Opts = Create.Arguments[0].Value;
  if (!phpArray(Opts)) {
    llvm::StringRef AT = Text.slice(Opts.Begin, Opts.End).trim();
    Opts = AT.startswith("$") ? phpAssignedBefore(AT, Create.Scope, Create.Range.Begin) : ByteRange();
    if (Opts.empty() || !phpArray(Opts)) {
      Why = "the stream context's options are built in a way this fix does not edit";
      return std::nullopt;
    }
  }
  const KeyValue *Http = phpEntry(Opts, "http");
  if (!Http)
    return One(phpAppend(Opts, X(I.Argument, R.Argument)));
  if (!phpArray(Http->Value)) {
    Why = "the stream context's 'http' options are built in a way this fix does not edit";
    return std::nullopt;
  }
  const KeyValue *H = phpEntry(Http->Value, "header");
  if (!H)
    return One(phpAppend(Http->Value, X(I.Entry, R.Entry)));
  if (phpArray(H->Value))
    return One(phpAppend(H->Value, Line));
  // A string of header lines: joined with CRLF (an empty line would end the headers).
  const StringExpr *S = nullptr;
  for (const auto *List : {&M.Concats, &M.Strings})
    for (const StringExpr &E : *List)
      if (!S && E.Range == H->Value)
        S = &E;
  TextEdit Post;
  Post.Offset = H->Value.End;
  if (S) {
    bool Break = !S->Pieces.empty() && S->Pieces.back().IsLiteral &&
                 llvm::StringRef(S->Pieces.back().Value).endswith("\n");
    Post.Text = Break ? " . " + Line + " . \"\\r\\n\"" : " . \"\\r\\n\" . " + Line;
    return std::vector<TextEdit>{Post};
  }
  TextEdit Pre;
  Pre.Offset = H->Value.Begin;
  Pre.Text = "rtrim(";
  Post.Text = ") . \"\\r\\n\" . " + Line;
  return std::vector<TextEdit>{Pre, Post};
}

std::optional<std::vector<TextEdit>> Run::phpCurl(const CallSite &Call, const Idiom &I,
                                                  llvm::StringRef V, std::string &Why) const {
  auto Txt = [&](ByteRange Rg) { return Text.slice(Rg.Begin, Rg.End).trim(); };
  // The handle: `$ch = curl_init(…)`, or the first argument of curl_setopt(_array).
  std::string H = phpFunction(Call) == "curl_init"
                      ? assignedVariable(Call.Range)
                      : (Call.Arguments.empty() ? std::string() : Txt(Call.Arguments[0].Value).str());
  static const re2::RE2 Variable("\\$[A-Za-z_]\\w*(->[A-Za-z_]\\w*)*");
  if (H.empty() || !re2::RE2::FullMatch(H, Variable)) {
    Why = "the curl handle is not kept in a variable; give the request the Authorization "
          "header by hand";
    return std::nullopt;
  }
  auto X = [&](llvm::StringRef Tpl, llvm::StringRef Arg = "") {
    return expand(Tpl, {{"value", V}, {"ns", NS}, {"handle", H}, {"arg", Arg}});
  };
  static const char *const Streams[] = {"CURLOPT_FILE", "CURLOPT_WRITEFUNCTION",
                                        "CURLOPT_INFILE", "CURLOPT_READFUNCTION",
                                        "CURLOPT_UPLOAD", "CURLOPT_PUT",
                                        "CURLOPT_HEADERFUNCTION"};
  std::vector<ByteRange> Lists; // CURLOPT_HTTPHEADER values set on the handle
  ByteRange SetoptArray;        // the first array given to curl_setopt_array
  const CallSite *Init = nullptr, *FirstSetup = nullptr;
  std::vector<const CallSite *> Sends;
  bool ReturnTransfer = false;
  std::string Streaming, Opaque;
  auto Option = [&](llvm::StringRef Name, ByteRange Value) {
    Name = Name.trim().ltrim('\\');
    if (Name == "CURLOPT_HTTPHEADER")
      Lists.push_back(Value);
    else if (Name == "CURLOPT_RETURNTRANSFER")
      ReturnTransfer = Txt(Value).equals_insensitive("true") || Txt(Value) == "1";
    else
      for (const char *S : Streams)
        if (Name == S)
          Streaming = S;
  };
  for (const CallSite &C : M.Calls) {
    if (C.Scope != Call.Scope)
      continue;
    llvm::StringRef F = phpFunction(C);
    if (F == "curl_init") {
      if (C.Range.Begin <= Call.Range.Begin && assignedVariable(C.Range) == H)
        Init = &C;
      continue;
    }
    if (C.Arguments.empty() || Txt(C.Arguments[0].Value) != H)
      continue;
    if (I.Send && re2::RE2::FullMatch(re2::StringPiece(F.data(), F.size()), *I.Send)) {
      if (C.Range.Begin > Call.Range.Begin)
        Sends.push_back(&C);
      continue;
    }
    if (F == "curl_setopt" && C.Arguments.size() >= 3) {
      FirstSetup = FirstSetup ? FirstSetup : &C;
      Option(Txt(C.Arguments[1].Value), C.Arguments[2].Value);
    } else if (F == "curl_setopt_array" && C.Arguments.size() >= 2) {
      FirstSetup = FirstSetup ? FirstSetup : &C;
      ByteRange Arr = C.Arguments[1].Value;
      if (!phpArray(Arr)) {
        llvm::StringRef AT = Txt(Arr);
        ByteRange Val = AT.startswith("$") ? phpAssignedBefore(AT, C.Scope, C.Range.Begin) : ByteRange();
        if (Val.empty() || !phpArray(Val)) {
          Opaque = AT.str();
          continue;
        }
        Arr = Val;
      }
      if (SetoptArray.empty())
        SetoptArray = Arr;
      for (const KeyValue &KV : M.Pairs)
        if (KV.Container == Arr)
          Option(KV.Key, KV.Value);
    }
  }
  std::vector<TextEdit> Out;
  if (!Lists.empty()) {
    for (ByteRange L : Lists) {
      if (Txt(L).contains("curlHeaders("))
        continue; // already the helper's list
      std::string T = X(I.WrapArgument, "\x1f");
      size_t Hole = T.find('\x1f');
      TextEdit Pre, Post;
      Pre.Offset = L.Begin;
      Pre.Text = T.substr(0, Hole);
      Post.Offset = L.End;
      Post.Text = Hole == std::string::npos ? "" : T.substr(Hole + 1);
      Out.push_back(Pre);
      Out.push_back(Post);
    }
  } else if (!Opaque.empty()) {
    Why = "the curl options come from `" + Opaque + "`, which may set CURLOPT_HTTPHEADER; "
          "add `" + X(I.Entry) + "` to them by hand";
    return std::nullopt;
  } else if (!SetoptArray.empty()) {
    auto E = phpAppend(SetoptArray, X(I.Entry));
    if (!E) {
      Why = "the curl_setopt_array options have a shape this fix does not edit";
      return std::nullopt;
    }
    Out.push_back(*E);
  } else {
    // A statement of its own after the handle's creation (or its first setting).
    const CallSite *Anchor = Init ? Init : FirstSetup ? FirstSetup : &Call;
    ByteRange St = M.statementAt(Anchor->Range.Begin);
    if (St.empty() || !Text.slice(St.Begin, St.End).rtrim().endswith(";")) {
      Why = "the curl handle is set up inside a larger statement; give the request the "
            "Authorization header by hand";
      return std::nullopt;
    }
    std::string Stmt = X(I.Argument);
    llvm::StringRef NL = newlineOf(Text);
    llvm::StringRef After = Text.slice(St.End, lineEnd(Text, St.End)).trim();
    TextEdit E;
    if (After.empty() || After.startswith("//") || After.startswith("#")) {
      E.Offset = lineEndWithBreak(Text, St.End);
      E.Text = (indentOf(Text, St.Begin) + Stmt + NL).str();
      if (E.Offset == Text.size() && !Text.endswith("\n"))
        E.Text = (NL + indentOf(Text, St.Begin) + Stmt).str();
    } else {
      E.Offset = St.End;
      E.Text = " " + Stmt;
    }
    Out.push_back(E);
  }
  // The retry: curl_exec($ch) -> curlExec($ch), where the answer comes back as a string.
  std::string Note;
  if (!I.SendRetry.empty() && I.Send) {
    std::string Exec = "`curl_exec(" + H + ")`";
    if (Sends.empty())
      Note = "; no 401 retry: no " + Exec + " follows in this function (" + X(I.SendRetry) +
             "(" + H + ") there would retry)";
    else if (!ReturnTransfer)
      Note = "; no 401 retry: CURLOPT_RETURNTRANSFER is not set on " + H +
             " here, so a retried answer would be printed twice";
    else if (!Streaming.empty())
      Note = "; no 401 retry: the request uses " + Streaming;
    else {
      for (const CallSite *S : Sends) {
        TextEdit E;
        E.Offset = S->CalleeRange.Begin;
        E.Length = S->CalleeRange.size();
        E.Text = X(I.SendRetry);
        Out.push_back(E);
      }
      Note = "; " + Exec + " retries once after a 401 (curlExec)";
    }
  }
  PhpNotes[Call.Range.Begin] = Note;
  return Out;
}

void SyntaxFixer::fix(FileContext &Ctx) const {
  // Browser code by its path (also files without a syntax tree: .vue, .html).
  bool Browser = browserByPath(R.Browser, Ctx.Path);
  auto G = syntax::grammarFor(Ctx.Lang, Ctx.Path);
  if (!G || Browser) {
    for (size_t I = 0; I < Ctx.Findings.size(); ++I) {
      auto Why = categoryReason(*Ctx.Findings[I], R, Ctx);
      Ctx.manual(I, Why ? *Why : Browser ? R.Browser.Reason : "no syntax tree for this language");
    }
    return;
  }
  // The scan's syntax front end may have kept this very text's tree and model.
  std::shared_ptr<const syntax::ParsedFile> Kept =
      Ctx.Opts && Ctx.Opts->Parsed ? Ctx.Opts->Parsed->get(*G, Ctx.Text) : nullptr;
  std::optional<syntax::SyntaxTree> OwnTree;
  std::optional<syntax::FileModel> Model;
  if (Kept) {
    Model = Kept->Model;
  } else {
    auto T = syntax::parse(*G, Ctx.Text);
    if (!T) {
      std::string Why = "could not parse the file: " + llvm::toString(T.takeError());
      for (size_t I = 0; I < Ctx.Findings.size(); ++I)
        Ctx.manual(I, Why);
      return;
    }
    OwnTree.emplace(std::move(*T));
    auto M = syntax::extractModel(*OwnTree);
    if (!M) {
      std::string Why = llvm::toString(M.takeError());
      for (size_t I = 0; I < Ctx.Findings.size(); ++I)
        Ctx.manual(I, Why);
      return;
    }
    Model.emplace(std::move(*M));
  }
  const syntax::SyntaxTree *Tree = Kept ? &Kept->Tree : &*OwnTree;
  if (Model->G == syntax::Grammar::Python) {
    // Python 2 code (`print "…"`, `exec "…"`): the helper is Python 3, and a patched file
    // would run under neither.
    std::vector<syntax::Node> Work{Tree->root()};
    syntax::Node Py2;
    for (size_t Seen = 0; !Work.empty() && !Py2 && Seen < 200000; ++Seen) {
      syntax::Node N = Work.back();
      Work.pop_back();
      if (N.kind() == "print_statement" || N.kind() == "exec_statement")
        Py2 = N;
      else { // children in reverse: the first statement in the text is found first
        std::vector<syntax::Node> Kids = N.namedChildren(true);
        Work.insert(Work.end(), Kids.rbegin(), Kids.rend());
      }
    }
    if (Py2) {
      std::string Why = fmt::format(
          "Python 2 code (a `{}` statement on line {}): the OAuth helper needs Python 3; port "
          "the file to Python 3, then run fix again",
          Py2.kind() == "print_statement" ? "print" : "exec", Py2.startPoint().Row + 1);
      for (size_t I = 0; I < Ctx.Findings.size(); ++I) {
        bool Bare = Ctx.Findings[I]->RuleId.find("bare-header") != std::string::npos;
        auto Cat = Bare ? std::optional<std::string>() : categoryReason(*Ctx.Findings[I], R, Ctx);
        Ctx.manual(I, Cat ? *Cat : Why);
      }
      return;
    }
  }
  // Idioms with a file-match apply only in the files that match it.
  std::optional<RecipeFile> Matching;
  if (llvm::any_of(R.Idioms, [](const Idiom &I) { return I.FileMatch != nullptr; })) {
    Matching = R;
    llvm::erase_if(Matching->Idioms, [&](const Idiom &I) {
      return I.FileMatch && !re2::RE2::PartialMatch(
                                re2::StringPiece(Ctx.Text.data(), Ctx.Text.size()), *I.FileMatch);
    });
  }
  Run Rn{Matching ? *Matching : R, Ctx, Ctx.Text, std::move(*Model),
         helperNamespace(R.HelperLang, *Ctx.Opts), Tree};
  std::map<uint32_t, size_t> GenerationOwner; // function begin -> owning finding
  Rn.detectQuoteStyle();
  if (Rn.ecma())
    for (CallSite &C : Rn.M.Calls) {
      // TypeScript parses `await f<T>(x)` as a call of `await f`: the call starts after
      // the `await` (which then awaits it, as it does at run time).
      llvm::StringRef Callee(C.Callee);
      if (Callee.startswith("await") && Callee.size() > 5 && !isIdentChar(Callee[5]) &&
          C.CalleeRange.Begin == C.Range.Begin) {
        uint32_t B = C.Range.Begin + 5;
        while (B < C.CalleeRange.End && llvm::isSpace(Ctx.Text[B]))
          ++B;
        if (C.Receiver.Begin == C.Range.Begin && !C.Receiver.empty())
          C.Receiver.Begin = B;
        C.Range.Begin = C.CalleeRange.Begin = B;
        C.Callee = Ctx.Text.slice(B, C.CalleeRange.End).str();
      }
      // A callee split over lines (`request\n  .get(url)\n  .query`) is matched as one.
      llvm::erase_if(C.Callee, [](char Ch) { return llvm::isSpace(Ch); });
    }
  Browser = Rn.browserCode();
  if (Rn.jvm()) // `new Request.Builder()\n  .url` is matched as one
    for (CallSite &C : Rn.M.Calls)
      llvm::erase_if(C.Callee, [](char Ch) { return llvm::isSpace(Ch); });

  struct Plan {
    const CallSite *Call = nullptr;
    const Idiom *I = nullptr;
    std::vector<size_t> Findings;
    std::vector<TextEdit> Removals;
    /// `Zoho-authtoken …` values inside the call (header-retry): replaced by the header
    /// value instead of the idiom's header edit.
    std::vector<ByteRange> HeaderValues;
    /// Per finding reaching the request through same-file wrappers (Run::Wrapped): those
    /// wrapper calls and the finding's removals.
    std::map<size_t, std::vector<const CallSite *>> WrappersOf;
    std::map<size_t, std::vector<TextEdit>> RemovalsOf;
    /// What the fixed() message adds for a finding (the wrapper or builder it went through).
    std::map<size_t, std::string> NoteOf;
  };
  std::map<uint32_t, Plan> ByCall; // request call begin -> plan
  std::set<uint32_t> WrapperCallsCovered; // wrapper calls whose token the plan removes
  // Format arguments a fix drops with its template's token (edit, finding): a finding on
  // that argument (`string.Format(Url, form, _token)`) goes with it.
  std::vector<std::pair<TextEdit, size_t>> FormatDrops;
  std::vector<std::string> ExtraImports;
  bool AnyFix = false;
  // The URL as far as this function shows it: the carrier, the request's arguments and
  // the string constants of the function.
  auto DeadAdvice = [&](ByteRange Carrier, const CallSite &Call) {
    std::string Seen = Ctx.Text.slice(Carrier.Begin, Carrier.End).str() + " " +
                       Ctx.Text.slice(Call.Range.Begin, Call.Range.End).str();
    for (const StringExpr &S : Rn.M.Strings)
      if (S.Scope == Call.Scope)
        Seen += " " + S.flatten("");
    return deadEndpoint(Seen);
  };
  // A Zoho-authtoken value inside a request the plan rewrites: the value becomes the
  // request's header value (the wrapper's, or the deferred one), unless the endpoint is dead.
  auto JoinAsHeaderValue = [&](size_t Index, ByteRange Value, const CallSite &Call,
                               const Idiom &I) {
    std::string Advice = DeadAdvice(Value, Call);
    if (!Advice.empty()) {
      Ctx.manual(Index, Advice);
      return;
    }
    Plan &P = ByCall[Call.Range.Begin];
    P.Call = &Call;
    P.I = &I;
    P.Findings.push_back(Index);
    P.HeaderValues.push_back(Value);
  };
  for (size_t Index = 0; Index < Ctx.Findings.size(); ++Index) {
    const Finding &F = *Ctx.Findings[Index];
    if (!Browser && F.RuleId.find("generation") != std::string::npos) {
      std::string GenWhy;
      // The e-mail + password flow; a browser login link or a Creator API ticket is no
      // token to replace with an access token.
      llvm::StringRef Rule(F.RuleId);
      std::optional<GenerationFix> G;
      if (Rule.startswith("zoho-authtoken-generation") && !Rule.endswith("-browser"))
        G = Rn.generationBody(F, GenWhy);
      if (G) {
        auto [It, New] = GenerationOwner.emplace(G->Function, Index);
        (void)It;
        if (New)
          Ctx.addEdit(Index, G->Body);
        Ctx.fixed(Index, G->What);
        AnyFix = true;
        continue;
      }
      bool BrowserLink = Rule.endswith("-browser");
      if (Rule == "zoho-apikey-ticket-generation") {
        // The API ticket / IAM login predates OAuth: the calls it served send an API key +
        // ticket pair or a session, which no header replaces (they are ported).
        Ctx.manual(Index, "a pre-OAuth API ticket or IAM login (login id + password to "
                          "accounts.zoho.*/login) that no longer works: delete it and rotate "
                          "the password it sent; port the calls that used its ticket or "
                          "session to the product's current API with `" +
                              expand(R.HeaderValue, {{"ns", Rn.NS}}) +
                              "` as the Authorization header");
        continue;
      }
      Ctx.manual(Index, std::string(BrowserLink
                                        ? "a legacy browser link that generated an authtoken "
                                          "(apiauthtoken/create) and no longer works: delete "
                                          "it"
                                        : "a legacy token-generation flow (e-mail + password "
                                          "to apiauthtoken/nb/create) that no longer works: "
                                          "delete it and its password setting") +
                            ", and send the requests that used its token with `" +
                        expand(R.HeaderValue, {{"ns", Rn.NS}}) +
                        "` as the Authorization header (`fix` rewrites the requests it finds)" +
                        (GenWhy.empty() ? std::string() : "; not rewritten: " + GenWhy));
      continue;
    }
    bool Bare = F.RuleId.find("bare-header") != std::string::npos;
    if (auto Why = Bare ? std::optional<std::string>() : categoryReason(F, R, Ctx)) {
      Ctx.manual(Index, *Why);
      continue;
    }
    if (Browser) {
      Ctx.manual(Index, R.Browser.Reason);
      continue;
    }
    std::string Why;
    if (Rn.M.G == syntax::Grammar::Go) {
      // `req.Header.Set("Authorization", "Zoho-authtoken "+t)`: the helper sets it.
      std::string What;
      bool Applies = false;
      if (auto E = Rn.goHeaderEdits(F, What, Why, Applies)) {
        for (const TextEdit &Ed : *E)
          Ctx.addEdit(Index, Ed);
        Ctx.fixed(Index, What);
        AnyFix = true;
        continue;
      }
      if (Applies) {
        Ctx.manual(Index, Why);
        continue;
      }
      Why.clear();
    }
    auto C = Rn.carrierAt(F, Why);
    if (C && R.HelperLang == "php")
      Rn.phpTidyUrl(*C);
    if (!C) {
      // A dead endpoint says more than "not found": the code must be ported anyway.
      std::string Seen;
      ByteRange Scope{0, static_cast<uint32_t>(Ctx.Text.size())};
      for (const CallSite &Call : Rn.M.Calls)
        if (Call.Scope.Begin <= F.Offset && F.Offset < Call.Scope.End &&
            Call.Scope.size() < Scope.size())
          Scope = Call.Scope;
      for (const StringExpr &S : Rn.M.Strings)
        if (Scope.contains(S.Range))
          Seen += " " + S.flatten("");
      std::string Advice = deadEndpoint(Seen);
      Ctx.manual(Index, Advice.empty() ? Why : Advice);
      continue;
    }
    mergeDeletions(C->Removal);
    if (C->Kind == Carrier::Header) {
      std::string Kept = Rn.keptHeaderValue(C->Range, C->Scope);
      if (!Kept.empty()) {
        Ctx.manual(Index, Kept);
        continue;
      }
    }
    std::string EntryWhy; // set when a header value became its headers object's entry
    if (C->Kind == Carrier::Header && Rn.M.G == syntax::Grammar::Go) {
      // Go: the helper's header value comes with an error, so it is no expression to put
      // in place of the old value.
      Ctx.manual(Index, "the Zoho-authtoken header value cannot be replaced in place in Go (the "
                        "helper's value comes with an error): replace the line with `if err := " +
                            Rn.NS + ".SetAuthorization(req); err != nil {…}`, handling the "
                            "error as the function does");
      continue;
    }
    if (C->Kind == Carrier::Header && Rn.R.HelperLang == "csharp") {
      // CSharpFixer.cpp: a DefaultRequestHeaders header would outlive the access token.
      std::string Why = csharpHeaderNote(Rn.Text, Rn.M.statementAt(C->Range.Begin));
      if (!Why.empty()) {
        Ctx.manual(Index, Why);
        continue;
      }
    }
    if (C->Kind == Carrier::Header) {
      if (auto E = Rn.defaultHeaderEdit(*C)) {
        // `api.defaults.headers.common.Authorization = 'Zoho-authtoken ' + t`: every request
        // of the client gets the header from the helper instead.
        Ctx.addEdit(Index, *E);
        Ctx.fixed(Index, R.DefaultHeader.What.empty()
                             ? std::string("the client's default header now comes from the OAuth helper")
                             : R.DefaultHeader.What);
        AnyFix = true;
        continue;
      }
      if (R.HeaderRetry && !R.RetryWrap.empty()) {
        // Inside a request that gets the retry wrapper: the wrapper's value.
        auto [Call, Idiom] = Rn.requestAround(C->Call, nullptr);
        if (Call && Idiom->Retry) {
          JoinAsHeaderValue(Index, C->Range, *Call, *Idiom);
          continue;
        }
      }
      if (R.CallbackThen.enabled() && R.HeaderValueAsync && !Rn.mayAwait(C->Scope)) {
        // Inside a callback-style request (callback-then): the request waits for the header.
        auto [Call, Idiom] = Rn.requestAround(C->Call, nullptr);
        if (Call && !Idiom->CallbackError.empty()) {
          JoinAsHeaderValue(Index, C->Range, *Call, *Idiom);
          continue;
        }
      }
      if (R.HeaderValueAsync && !Rn.mayAwait(C->Scope)) {
        // The entry of a headers object in a variable: it goes, and the request sending the
        // variable gets the header (below, as a parameter entry would).
        std::optional<Carrier> E;
        if (R.CallbackThen.enabled())
          E = Rn.headerEntryCarrier(*C);
        std::string AsyncWhy = "the OAuth header comes from the helper asynchronously (`" +
                               Rn.value(false) + "`) and this code is not in an async function; "
                               "make the function async, or build the header inside a request "
                               "fix knows, then run fix again";
        if (E) {
          C = E;
          EntryWhy = AsyncWhy;
        } else {
          Ctx.manual(Index, AsyncWhy);
          continue;
        }
      }
    }
    if (C->Kind == Carrier::Header) {
      for (const TextEdit &E : C->Removal)
        Ctx.addEdit(Index, E);
      Ctx.fixed(Index, Bare ? "the Authorization header value (the legacy token itself) now comes "
                              "from the OAuth helper"
                            : "the Zoho-authtoken header value now comes from the OAuth helper");
      AnyFix = true;
      continue;
    }
    if (C->Kind == Carrier::Statement && R.HelperLang == "csharp") {
      std::string What; // RestSharp: AddParameter("authtoken", t) -> AddHeader (CSharpFixer.cpp)
      if (auto E = csharpRestSharpParameter(Rn.Text, Rn.M, C->Range, C->Removal, Rn.value(false),
                                            What)) {
        for (const TextEdit &Ed : *E)
          Ctx.addEdit(Index, Ed);
        Ctx.fixed(Index, What);
        AnyFix = true;
        continue;
      }
      if (!What.empty()) { // a retired endpoint, another Authorization header
        Ctx.manual(Index, What);
        continue;
      }
    }
    auto [Call, Idiom] = Rn.requestFor(*C, Why);
    std::vector<TextEdit> FormatArgs = Rn.FormatEdits; // the format's argument goes too
    bool FormatSeen = Rn.FormatSeen;
    if (!Call && Rn.M.G == syntax::Grammar::Ruby &&
        llvm::StringRef(C->Variable).endswith(".query")) {
      // Ruby: `uri.query = URI.encode_www_form(authtoken: t, …)` travels with `uri`.
      Carrier Base = *C;
      Base.Variable = llvm::StringRef(C->Variable).drop_back(6).str();
      std::string BaseWhy;
      std::tie(Call, Idiom) = Rn.requestFor(Base, BaseWhy);
      if (!Call && !BaseWhy.empty())
        Why = BaseWhy;
    }
    std::string BuilderNote;
    if (Call) {
      C->Removal.insert(C->Removal.end(), FormatArgs.begin(), FormatArgs.end());
      for (const TextEdit &E : FormatArgs)
        if (E.Text.empty() && E.Length > 0)
          FormatDrops.push_back({E, Index});
    }
    if (!Call && !FormatSeen) {
      // A builder: the function returns the map/URL, and its callers send it.
      std::string BuilderWhy;
      auto Uses = Rn.builderRequests(*C, BuilderWhy);
      if (!Uses.empty()) {
        for (const Run::FnDef &D : Rn.fnDefs())
          if (D.Scope == C->Scope)
            BuilderNote = fmt::format(
                "; `{}` no longer returns the token, and {} in this patch", D.Name,
                Uses.size() == 1 && Rn.AlsoSentBy.empty()
                    ? std::string("its caller's request gets the header")
                    : fmt::format("the {} requests of its callers get the header",
                                  Uses.size() + Rn.AlsoSentBy.size()));
        std::tie(Call, Idiom) = Uses.front();
        for (size_t U = 1; U < Uses.size(); ++U)
          if (llvm::none_of(Rn.AlsoSentBy, [&](const auto &X) { return X.first == Uses[U].first; }))
            Rn.AlsoSentBy.push_back(Uses[U]);
        llvm::erase_if(Rn.AlsoSentBy, [&](const auto &X) { return X.first == Call; });
        if (C->Variable.empty())
          for (const Run::FnDef &D : Rn.fnDefs())
            if (D.Scope == C->Scope)
              C->Variable = D.Name + "(…)";
      } else if (!BuilderWhy.empty()) {
        Why = BuilderWhy;
      }
    }
    if (!Call) {
      // A dead endpoint in the carrier's function says more than "not found".
      std::string Seen = Ctx.Text.slice(C->Range.Begin, C->Range.End).str();
      for (const StringExpr &S : Rn.M.Strings)
        if (S.Scope == C->Scope)
          Seen += " " + S.flatten("");
      std::string Advice = deadEndpoint(Seen);
      if (!EntryWhy.empty()) // a header entry whose request was not found
        Why = EntryWhy + " (" + Why + ")";
      Ctx.manual(Index, Advice.empty() ? Why : Advice);
      continue;
    }
    std::string Advice = DeadAdvice(C->Range, *Call);
    if (!Advice.empty()) {
      Ctx.manual(Index, Advice);
      continue;
    }
    // A variable sent by more requests than this one (one form list for two HttpPosts, one
    // params dict for two requests.get): each of them gets the header with the removal, or
    // none is edited (the token must not leave a request that gets no header).
    auto Also = Rn.AlsoSentBy;
    std::string AlsoWhy;
    for (const auto &[Other, OtherIdiom] : Also) {
      std::string OtherAdvice = DeadAdvice(C->Range, *Other);
      std::string Why2;
      std::optional<std::vector<TextEdit>> H;
      if (OtherAdvice.empty())
        H = Rn.headerEdits(*Other, *OtherIdiom, false, Why2);
      if (!H) {
        AlsoWhy = fmt::format("`{}` is also sent by `{}(…)`, which cannot get the header here "
                              "({}); set the Authorization header on each request by hand",
                              C->Variable, Other->Callee, OtherAdvice.empty() ? Why2 : OtherAdvice);
        break;
      }
      C->Removal.insert(C->Removal.end(), H->begin(), H->end());
    }
    if (!AlsoWhy.empty()) {
      Ctx.manual(Index, AlsoWhy);
      continue;
    }
    Plan &P = ByCall[Call->Range.Begin];
    P.Call = Call;
    P.I = Idiom;
    P.Findings.push_back(Index);
    P.Removals.insert(P.Removals.end(), C->Removal.begin(), C->Removal.end());
    if (!Rn.Wrapped.empty()) {
      P.RemovalsOf[Index] = C->Removal;
      P.WrappersOf[Index] = Rn.Wrapped;
      const Run::FnDef *D = Rn.localFunction(*Rn.Wrapped.back());
      P.NoteOf[Index] = fmt::format(", inside this file's `{}`, whose every call here loses the "
                                    "token in this patch",
                                    D ? D->Name : Rn.Wrapped.back()->Callee);
    }
    if (!BuilderNote.empty())
      P.NoteOf[Index] += BuilderNote;
    if (!Rn.MemberNote.empty())
      P.NoteOf[Index] += Rn.MemberNote;
    for (const CallSite *W : Rn.Wrapped)
      WrapperCallsCovered.insert(W->Range.Begin);
  }
  // A request inside a same-file wrapper gets the header for every caller: each call of
  // the wrapper in the file must be one whose token this patch removes, or none is edited.
  for (auto It = ByCall.begin(); It != ByCall.end();) {
    Plan &P = It->second;
    for (auto &[Index, Ws] : P.WrappersOf) {
    std::string Why;
    for (const CallSite *W : Ws) {
      const Run::FnDef *D = Rn.localFunction(*W);
      std::vector<const CallSite *> Covered;
      for (const CallSite &O : Rn.M.Calls)
        if (WrapperCallsCovered.count(O.Range.Begin) && Rn.localFunction(O) == D)
          Covered.push_back(&O);
      int64_t Other = D ? Rn.otherMention(*D, Covered) : -1;
      if (Other >= 0)
        Why = fmt::format(
            "the request is sent by `{}`, defined in this file, which is also called on line "
            "{} without the authtoken or in a way this fix cannot edit (another host or "
            "credential must not get the Zoho OAuth header): give the requests the header by "
            "hand",
            D->Name, lineNumber(Ctx.Text, static_cast<size_t>(Other)));
      std::string Elsewhere = Why.empty() && D ? Rn.otherFileCalling(*D) : "";
      if (!Elsewhere.empty())
        Why = fmt::format("the request is sent by `{}`, defined in this file, and {} calls a "
                          "function of that name too (maybe without the authtoken, or to "
                          "another host, which must not get the Zoho OAuth header): give the "
                          "requests the header by hand",
                          D->Name, Elsewhere);
      if (!Why.empty())
        break;
    }
    if (Why.empty())
      continue;
    // This finding is left (its removals leave the plan); the request's own findings stay.
    Ctx.manual(Index, Why);
    llvm::erase_value(P.Findings, Index);
    for (const TextEdit &E : P.RemovalsOf[Index])
      llvm::erase_if(P.Removals, [&](const TextEdit &X) {
        return X.Offset == E.Offset && X.Length == E.Length && X.Text == E.Text;
      });
    }
    if (P.Findings.empty())
      It = ByCall.erase(It);
    else
      ++It;
  }

  for (auto &[Begin, P] : ByCall) {
    bool Retry = P.I->Retry && !R.RetryWrap.empty() && (R.RetryWhenAwaited || !Rn.awaited(*P.Call));
    ByteRange Wrapped = P.Call->Range;
    bool NotPromise = false;
    if (Retry && R.RetryPromise) {
      auto E = Rn.promiseExpr(*P.Call, *P.I);
      if (E) {
        Wrapped = *E;
      } else {
        Retry = false;
        NotPromise = true;
      }
    }
    // The wrapper's parameter must not hide a name the call already uses.
    llvm::StringRef Param = R.RetryValue;
    if (Retry && !Param.empty() && llvm::all_of(Param, isIdentChar) &&
        usesName(Ctx.Text.slice(Wrapped.Begin, Wrapped.End), Param))
      Retry = false;
    if (!Retry && R.HeaderValueAsync && !Rn.mayAwait(P.Call->Scope) && R.CallbackThen.enabled() &&
        !P.I->CallbackError.empty()) {
      // A callback-style request whose value is unused: sent once the header is known.
      std::string Why;
      std::optional<std::vector<TextEdit>> Header;
      if (!P.HeaderValues.empty()) {
        Header.emplace();
        for (ByteRange Rg : P.HeaderValues) {
          TextEdit E;
          E.Offset = Rg.Begin;
          E.Length = Rg.size();
          E.Text = Rn.value(true);
          Header->push_back(E);
        }
      } else {
        Header = Rn.headerEdits(*P.Call, *P.I, true, Why);
      }
      std::optional<Run::Deferred> D;
      if (Header) {
        Rn.Pending = &P.Removals; // a kept request's moved lines: not where a removal is
        D = Rn.deferredRequest(*P.Call, *P.I, std::move(*Header), Why);
        Rn.Pending = nullptr;
      }
      if (D) {
        size_t Owner = P.Findings.front();
        for (const TextEdit &E : D->Edits)
          Ctx.addEdit(Owner, E);
        mergeDeletions(P.Removals);
        for (const TextEdit &E : P.Removals)
          Ctx.addEdit(Owner, E);
        for (const std::string &X : P.I->Imports)
          ExtraImports.push_back(X);
        std::string What = expand(R.CallbackThen.What.empty()
                                      ? std::string("`{callee}` now waits for the OAuth header ({id})")
                                      : R.CallbackThen.What,
                                  {{"callee", P.Call->Callee}, {"errors", D->Errors}, {"id", P.I->Id}}) +
                           D->Note;
        for (size_t Index : P.Findings)
          Ctx.fixed(Index, What);
        AnyFix = true;
        continue;
      }
      if (!Why.empty()) {
        for (size_t Index : P.Findings)
          Ctx.manual(Index, Why);
        continue;
      }
    }
    if (!Retry && R.HeaderValueAsync && !Rn.mayAwait(P.Call->Scope)) {
      std::string Why =
          NotPromise
              ? fmt::format("the result of `{}(…)` is used as an object, not as a promise, so the "
                            "helper's 401 retry cannot wrap it; and the OAuth header comes from "
                            "the helper asynchronously, but this code is not in an async "
                            "function: give the request the header by hand",
                            P.Call->Callee)
              : fmt::format("`{}(…)` takes its headers when it is called{}, but the OAuth header "
                            "comes from the helper asynchronously (`{}`) and this code is not in "
                            "an async function: make the function async, or move the request to "
                            "a promise-returning client (fetch, axios, got), then run fix again",
                            P.Call->Callee, P.I->Callback ? " and reports through a callback" : "",
                            Rn.value(false));
      for (size_t Index : P.Findings)
        Ctx.manual(Index, Why);
      continue;
    }
    std::string Why;
    std::vector<TextEdit> H;
    if (!P.HeaderValues.empty()) {
      for (ByteRange Rg : P.HeaderValues) {
        TextEdit E;
        E.Offset = Rg.Begin;
        E.Length = Rg.size();
        E.Text = Rn.value(Retry);
        H.push_back(E);
      }
    } else {
      Rn.Pending = &P.Removals;
      auto Edits = Rn.headerEdits(*P.Call, *P.I, Retry, Why);
      Rn.Pending = nullptr;
      if (!Edits) {
        for (size_t Index : P.Findings)
          Ctx.manual(Index, Why);
        continue;
      }
      H = std::move(*Edits);
    }
    // The first finding of the call owns the header (and wrapper) edits; every finding owns
    // its removals, so an overlap drops only what it must.
    size_t Owner = P.Findings.front();
    if (Retry) {
      std::string Wrap = expand(R.RetryWrap, {{"ns", Rn.NS}, {"call", "\x1f"}});
      size_t Hole = Wrap.find('\x1f');
      TextEdit Pre, Post;
      Pre.Offset = Wrapped.Begin;
      Pre.Text = Wrap.substr(0, Hole);
      Post.Offset = Wrapped.End;
      Post.Text = Wrap.substr(Hole + 1);
      // An insert of the header at the end of the wrapped call (`.set(…)` after the
      // request) goes inside the wrapper: one edit, in that order.
      for (auto It = H.begin(); It != H.end();)
        if (It->Length == 0 && It->Offset == Post.Offset) {
          Post.Text = It->Text + Post.Text;
          It = H.erase(It);
        } else {
          ++It;
        }
      H.push_back(Pre);
      H.push_back(Post);
    }
    for (const TextEdit &E : H)
      Ctx.addEdit(Owner, E);
    // Removals of all findings of this call belong to the owner too: the credential goes
    // only with the header.
    mergeDeletions(P.Removals);
    for (const TextEdit &E : P.Removals)
      Ctx.addEdit(Owner, E);
    for (const std::string &X : P.I->Imports)
      ExtraImports.push_back(X);
    for (size_t Index : P.Findings) {
      auto Note = P.NoteOf.find(Index);
      Ctx.fixed(Index, fmt::format("`{}` now sends the OAuth header{} ({}){}", P.Call->Callee,
                                   Retry ? " and retries once after a 401" : "", P.I->Id,
                                   Note == P.NoteOf.end() ? "" : Note->second));
    }
    AnyFix = true;
  }
  // PHP: what a request's message adds (curl's retry, or why there is none).
  for (auto &[Begin, P] : ByCall) {
    auto N = Rn.PhpNotes.find(Begin);
    if (N == Rn.PhpNotes.end() || N->second.empty())
      continue;
    for (size_t Index : P.Findings)
      for (FindingOutcome &O : Ctx.Outcomes)
        if (O.F == Ctx.Findings[Index] && O.O == Outcome::Fixed && O.Reason.find(N->second) == std::string::npos)
          O.Reason += N->second;
  }
  // A finding on a format argument another finding's fix drops is fixed by that patch.
  for (FindingOutcome &O : Ctx.Outcomes) {
    // (Only a finding no carrier was found for: a hard-coded token keeps its revoke note.)
    if (O.O != Outcome::Manual ||
        !llvm::StringRef(O.Reason).startswith("no URL, parameter map or header holding"))
      continue;
    for (const auto &[E, Owner] : FormatDrops) {
      if (O.F->Offset < E.Offset || O.F->Offset >= E.Offset + E.Length)
        continue;
      const FindingOutcome *Own = nullptr;
      for (const FindingOutcome &X : Ctx.Outcomes)
        if (X.F == Ctx.Findings[Owner])
          Own = &X;
      if (!Own || Own->O != Outcome::Fixed)
        continue;
      O.O = Outcome::Fixed;
      O.Reason = fmt::format("the format argument goes with the template's token (the fix of "
                             "line {})",
                             lineNumber(Ctx.Text, Ctx.Findings[Owner]->Offset));
      break;
    }
  }
  Rn.removeHardcodedTokenDeclarations();
  if (AnyFix) {
    if (Rn.M.G == syntax::Grammar::Go) // a package only the removed code used
      for (const TextEdit &E : Rn.goUnusedImportEdits(Ctx.Edits))
        Ctx.addSharedEdit(E);
    for (const TextEdit &E : Rn.importEdits(ExtraImports))
      Ctx.addSharedEdit(E);
    std::string Dir = directoryOf(Ctx.Path);
    std::string GoPackage;
    if (Rn.M.G == syntax::Grammar::Go && Rn.GoPlace == 2) // a file of the edited package
      GoPackage = Rn.GoPackage;
    else if (Rn.M.G == syntax::Grammar::Go) // a Go package is a directory of its own
      Dir = Dir.empty() ? Rn.NS : Dir + "/" + Rn.NS;
    std::string JavaWhy;
    if (Rn.jvm()) // the source root (its package path stripped)
      Dir = javaSourceRoot(Ctx.Path, Ctx.Text, JavaWhy).value_or(Dir);
    Ctx.Helpers.push_back({R.HelperLang, Dir, GoPackage});
  }
}

} // namespace

std::unique_ptr<LanguageFixer> makeSyntaxFixer(const RecipeFile &Recipes) {
  return std::make_unique<SyntaxFixer>(Recipes);
}

} // namespace atm::fix
