#include "detect/SyntaxFrontend.h"

#include <algorithm>
#include <map>
#include <mutex>
#include <set>
#include <tuple>
#include <unordered_map>

#include "core/Text.h"
#include "core/Timings.h"
#include "fmt/format.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/ThreadPool.h"
#include "llvm/Support/Threading.h"
#include "re2/re2.h"
#include "syntax/Model.h"
#include "syntax/Syntax.h"
#include "syntax/ParsedFiles.h"

namespace atm {

namespace {
using syntax::FileModel;
using syntax::StringExpr;

/// Files larger than this are left to the lexer (a generated bundle is not worth a tree).
constexpr uint64_t MaxParseBytes = 4u << 20;
/// Trees deeper than this are left to the lexer (see parseUnit).
constexpr unsigned MaxTreeDepth = 400;
/// A finding's statement is reported when it is at most this many lines long (a longer
/// one is a table or a wrapper, not "the request").
constexpr unsigned MaxStatementLines = 12;
/// Name resolution follows definitions this deep (`A = B + "…"`, `B = C`).
constexpr int MaxResolveDepth = 4;

const char *const ParamKeyRule = "zoho-authtoken-param-key";
const char *const UrlParamRule = "zoho-authtoken-url-param";
const char *const HardcodedRule = "zoho-authtoken-hardcoded";
/// A 32-hex literal in a Zoho client setting not named after the token (config.api_key).
const char *const HardcodedSettingRule = "zoho-authtoken-hardcoded-setting";
/// The same setting read from somewhere (config.api_key = ENV["…"] in a Zoho configure block).
const char *const ClientConfigKeyRule = "zoho-client-config-api-key";
const char *const GenerationRule = "zoho-authtoken-generation";
const char *const BareHeaderRule = "zoho-authtoken-bare-header";

bool isKeyName(llvm::StringRef V) { return V.trim().equals_insensitive("authtoken"); }

/// True when every require-any check of \p R is file-wide (the "names Zoho" gate), so
/// that evidence from other files of the repository may stand in for it.
bool fileGateOnly(const Rule &R) {
  return !R.RequireAny.empty() && llvm::all_of(R.RequireAny, [](const ContextCheck &C) {
    return C.Window == ContextCheck::FileWindow;
  });
}

/// The directory part of a display path ("" for a file at the root).
llvm::StringRef dirOf(llvm::StringRef RelPath) {
  size_t Slash = RelPath.rfind('/');
  return Slash == llvm::StringRef::npos ? llvm::StringRef() : RelPath.take_front(Slash);
}


/// A Zoho legacy authtoken's shape: 32 hex digits (with a digit and a letter).
bool tokenShaped(llvm::StringRef V) {
  if (V.size() != 32 || !llvm::all_of(V, llvm::isHexDigit))
    return false;
  return llvm::any_of(V, llvm::isDigit) && llvm::any_of(V, llvm::isAlpha);
}

/// True if \p Text may hold something the syntax detectors key on: a Zoho name or host,
/// an authtoken name (`authtoken`, `auth_token`, `auth-token`, so also `apiauthtoken` and
/// `Zoho-authtoken`; not `oauth_token`) or a token-shaped value (32 hex digits). A candidate without any of
/// them passed the prefilter on a weaker literal (a `supportApi` identifier, FROM_AGENT).
bool worthParsing(llvm::StringRef Text) {
  if (Text.find_insensitive("zoho") != llvm::StringRef::npos)
    return true;
  // `oauth_token` / `OAuthToken` (every googleapis client has one) are not authtoken names.
  for (llvm::StringRef W : {"authtoken", "auth_token", "auth-token"})
    for (size_t At = Text.find_insensitive(W); At != llvm::StringRef::npos;
         At = Text.find_insensitive(W, At + 1))
      if (At == 0 || llvm::toLower(Text[At - 1]) != 'o')
        return true;
  size_t Run = 0;
  for (size_t I = 0; I <= Text.size(); ++I) {
    bool Hex = I < Text.size() && llvm::isHexDigit(Text[I]);
    if (Hex) {
      ++Run;
      continue;
    }
    if (Run == 32 && tokenShaped(Text.substr(I - 32, 32)) &&
        (I == 32 || !llvm::isAlnum(Text[I - 33])) &&
        (I == Text.size() || !llvm::isAlnum(Text[I])))
      return true;
    Run = 0;
  }
  return false;
}

/// The last name of a name path as written: `Constants.TOKEN_PARAM`, `self::TOKEN`,
/// `$this->param`, `@token`, `$TOKEN`, `TOKEN` -> the last identifier; "" if the text is
/// not a plain name path (a call, an operator, a literal).
llvm::StringRef lastName(llvm::StringRef T) {
  T = T.trim();
  if (T.empty() || T.size() > 200)
    return "";
  for (char C : T)
    if (!(llvm::isAlnum(C) || C == '_' || C == '$' || C == '@' || C == '.' || C == ':' ||
          C == '-' || C == '>'))
      return "";
  size_t P = T.find_last_of(".:>");
  llvm::StringRef L = P == llvm::StringRef::npos ? T : T.substr(P + 1);
  L = L.ltrim("$@");
  if (L.empty() || llvm::isDigit(L[0]) || L.contains('-'))
    return "";
  return L;
}

bool isIdentByte(char C) { return llvm::isAlnum(C) || C == '_' || C == '$'; }

/// True when \p Name occurs in \p Text as a whole identifier, also behind a variable
/// sigil (`$uri` in PHP/shell/Perl mentions the `uri` that lastName() gives for `$uri`).
bool mentionsName(llvm::StringRef Text, llvm::StringRef Name) {
  for (size_t P = Text.find(Name); P != llvm::StringRef::npos; P = Text.find(Name, P + 1)) {
    bool L = P == 0 || !isIdentByte(Text[P - 1]) ||
             (Text[P - 1] == '$' && (P == 1 || !isIdentByte(Text[P - 2])));
    bool R = P + Name.size() >= Text.size() || !isIdentByte(Text[P + Name.size()]);
    if (L && R)
      return true;
  }
  return false;
}

/// A constructor call: `new X(…)`, or a call of a capitalised name (a Python/Kotlin/Scala
/// class) — except a class that is itself a parameter container (Map, OrderedDict,
/// QueryParams, FormBody, …).
bool constructsObject(const syntax::CallSite &Call) {
  llvm::StringRef N = Call.Name;
  if (!Call.IsNew && (N.empty() || !(N[0] >= 'A' && N[0] <= 'Z')))
    return false;
  static const re2::RE2 Container("(?i)map|dict|param|query|form|hash|values|body|data|fields");
  return !re2::RE2::PartialMatch(re2::StringPiece(N.data(), N.size()), Container);
}

/// Calls that read a setting or store the app's own session; their "authtoken" argument
/// is not a request parameter (`params.get("authtoken", "")`, `localStorage.setItem(…)`).
bool readsOrStores(llvm::StringRef Name) {
  static const char *const Names[] = {
      "get",         "getenv",      "getProperty",  "getParameter", "fetch",     "pop",
      "getOrDefault", "has",        "hasKey",       "contains",     "containsKey", "remove",
      "delete",      "getItem",     "setItem",      "removeItem",   "putString", "getString",
      "setString",   "cookie",      "cookies",      "set_cookie",   "setCookie", "getValue",
      "env",         "fetchenv",    "get_env",      "getString",    "optString", "dig",
      "key?",        "has_key",     "include?",     "array_key_exists", "isset", "unset",
      "getQueryParameter", "getHeader", "header",   "getAttribute", "setAttribute", "log",
      "info",        "debug",       "warn",         "error",        "print",     "println",
      "printf",      "puts",        "echo",         "assertEquals", "assertEqual", "expect",
      "equal",       "replace",     "split",        "indexOf",      "includes",  "startsWith",
      "endsWith",    "match",       "test",         "sub",          "gsub",      "strpos",
      "str_replace", "preg_match",  "getenv",       "Getenv",       "LookupEnv", "Get"};
  for (const char *N : Names)
    if (Name == N)
      return true;
  return false;
}

struct SymbolDef {
  std::string Value;
  unsigned File = 0;
  syntax::ByteRange Range; ///< the value literal
  syntax::ByteRange Scope; ///< the function (or file) it is defined in
  /// A constant: declared const/final/val/define, an UPPER_CASE name, or defined at the
  /// top of a file or class. Only constants resolve from other files.
  bool Constant = false;
  /// The definition's own surroundings allow the rule (a key constant defined beside
  /// ngrok's client is ngrok's): set before detection.
  bool ContextOk = false;
};

/// One file of the run: its text, model and results.
struct Unit {
  size_t Input = 0;
  std::string Text;
  FileModel Model;
  bool Parsed = false;
  bool HasErrors = false;
  bool TooDeep = false; ///< parsed, but too deeply nested for the detectors
  bool Zoho = false; ///< the file talks to Zoho (a rule's file-wide require-any holds)
  /// Constant strings by range begin (Strings and Concats).
  std::unordered_map<uint32_t, const StringExpr *> StringAt;
  /// Interesting definitions in this file, by name.
  std::map<std::string, std::vector<SymbolDef>> Defs;
  std::vector<Finding> Findings;
  /// What the rules' own queries matched: the rule, @at, and @key (empty if none).
  struct RuleMatch {
    const Rule *R;
    syntax::ByteRange At, Key;
  };
  std::vector<RuleMatch> RuleMatches;
  /// Token-generation URL templates filled later: the template literal, and the
  /// statements that fill it (`url.replace("{Password}", pw)`) and set what they insert
  /// (`pw = …`); a generation finding in the literal spans them all.
  std::vector<std::pair<syntax::ByteRange, std::vector<syntax::ByteRange>>> GenerationFlows;
};

class Resolver {
public:
  explicit Resolver(const std::map<std::string, std::vector<const SymbolDef *>> &Repo)
      : Repo(Repo) {}

  struct Value {
    std::string Text;
    const SymbolDef *Via = nullptr; ///< the definition it came from, if a name
  };

  /// The string value of the expression at \p R of unit \p U: a literal, a concatenation
  /// or template whose holes resolve, or a name whose definition (this file first, then
  /// the repository, when all its definitions agree) does.
  std::optional<Value> resolve(const Unit &U, syntax::ByteRange R, int Depth = 0) const {
    if (Depth > MaxResolveDepth || R.End > U.Text.size())
      return std::nullopt;
    auto It = U.StringAt.find(R.Begin);
    if (It != U.StringAt.end() && It->second->Range.End == R.End) {
      const StringExpr &S = *It->second;
      std::string Out;
      const SymbolDef *Via = nullptr;
      for (const syntax::StringPiece &P : S.Pieces) {
        if (P.IsLiteral) {
          Out += P.Value;
          continue;
        }
        auto V = resolve(U, P.Range, Depth + 1);
        if (!V)
          Out += '\x1f';
        else {
          Out += V->Text;
          if (!Via)
            Via = V->Via;
        }
      }
      return Value{std::move(Out), Via};
    }
    llvm::StringRef Name = lastName(llvm::StringRef(U.Text).slice(R.Begin, R.End));
    if (Name.empty())
      return std::nullopt;
    if (const SymbolDef *D = lookup(U, Name, R.Begin))
      return Value{D->Value, D};
    return std::nullopt;
  }

  /// The definition \p Name at \p At resolves to, or null (none, or disagreeing ones):
  /// this file's definitions whose scope holds \p At (a local of another function is
  /// not this one's), else the repository's constants. A variable assigned in a function
  /// has at \p At only the values assigned before it: `console.log(url)` ahead of
  /// `url = '…?authtoken=…'` logs the parameter `url`, not the later value (a constant,
  /// defined at the top of a file or class, holds wherever it is read).
  const SymbolDef *lookup(const Unit &U, llvm::StringRef Name, uint32_t At) const {
    auto L = U.Defs.find(Name.str());
    if (L != U.Defs.end()) {
      const SymbolDef *Found = nullptr;
      bool Local = false; // the name is a variable of the scope holding At
      for (const SymbolDef &D : L->second) {
        if (!(D.Scope.Begin <= At && At <= D.Scope.End))
          continue;
        Local = true;
        if (!D.Constant && D.Range.Begin > At)
          continue;
        if (Found && Found->Value != D.Value)
          return nullptr;
        Found = &D;
      }
      if (Found || Local)
        return Found;
    }
    auto G = Repo.find(Name.str());
    if (G == Repo.end())
      return nullptr;
    const SymbolDef *First = nullptr;
    for (const SymbolDef *D : G->second) {
      if (!D->Constant)
        continue;
      if (First && D->Value != First->Value)
        return nullptr;
      First = D;
    }
    return First;
  }

private:
  const std::map<std::string, std::vector<const SymbolDef *>> &Repo;
};

/// A Zoho host or URL (`https://desk.zoho.com/api/v1`, `www.zohoapis.eu`): what a
/// request built from the constant is attributed to.
bool zohoHostValue(llvm::StringRef V) {
  return V.size() < 300 && V.contains_insensitive("zoho") && (V.contains('.') || V.contains('/'));
}

/// A name that says it holds the legacy authtoken (`auth_token`, `zohoAuthToken`,
/// `AUTHTOKEN`), not another kind of token (`oauthToken`, `access_token`, `bearerToken`).
bool authtokenName(llvm::StringRef Name) {
  static const re2::RE2 Re("(?i)auth_?token");
  static const re2::RE2 Other(
      "(?i)oauth|access|bearer|refresh|session|csrf|jwt|ngrok|twilio|plivo");
  re2::StringPiece In(Name.data(), Name.size());
  return re2::RE2::PartialMatch(In, Re) && !re2::RE2::PartialMatch(In, Other);
}

bool interestingValue(llvm::StringRef V) {
  return isKeyName(V) || V.contains_insensitive("authtoken") || tokenShaped(V) ||
         zohoHostValue(V);
}

} // namespace

struct SyntaxFrontend::RuleQuery {
  const Rule *R = nullptr;
  syntax::Query Q;
};

struct SyntaxFrontend::GrammarQueries {
  std::vector<std::pair<const Rule *, const SyntaxQuerySpec *>> Specs;
  std::once_flag Once;
  std::vector<RuleQuery> Compiled; ///< valid after Once
};

namespace {
/// Parses \p U's text and fills its model, its definitions and the matches of the
/// rules' queries for its grammar (\p ByGrammar).
void parseUnit(Unit &U, const BatchFrontend::Input &In,
               const std::vector<std::vector<SyntaxFrontend::RuleQuery> *> &ByGrammar,
               syntax::ParsedFiles *Keep) {
  auto G = syntax::grammarFor(In.Lang, In.RelPath);
  if (!G)
    return;
  auto Tree = syntax::parse(*G, U.Text);
  if (!Tree) {
    llvm::consumeError(Tree.takeError());
    return;
  }
  // A pathologically deep tree (a 100,000-term concatenation, thousands of nested
  // literals) is left to the lexer: the model's helpers and the query cursor grow with
  // depth. Real code stays far below this.
  if (Tree->maxDepth(MaxTreeDepth) >= MaxTreeDepth) {
    U.TooDeep = true;
    return;
  }
  auto M = syntax::extractModel(*Tree);
  if (!M) {
    llvm::consumeError(M.takeError());
    return;
  }
  U.Model = std::move(*M);
  U.Parsed = true;
  U.HasErrors = Tree->hasErrors();
  for (const SyntaxFrontend::RuleQuery &RQ : *ByGrammar[static_cast<size_t>(*G)])
    for (const syntax::Match &Mt : RQ.Q.matches(*Tree)) {
      syntax::Node At = Mt.get("at");
      if (At)
        U.RuleMatches.push_back({RQ.R, At.range(), Mt.get("key").range()});
    }
  for (const StringExpr &S : U.Model.Strings)
    U.StringAt.emplace(S.Range.Begin, &S);
  for (const StringExpr &S : U.Model.Concats)
    U.StringAt.emplace(S.Range.Begin, &S);
  auto Define = [&](llvm::StringRef Name, syntax::ByteRange ValueRange, syntax::ByteRange Scope,
                    bool Declared) {
    auto It = U.StringAt.find(ValueRange.Begin);
    if (Name.empty() || It == U.StringAt.end() || !It->second->isConstant())
      return;
    // `'authtoken'.freeze` (Ruby) is the literal too.
    llvm::StringRef Rest = llvm::StringRef(U.Text).slice(It->second->Range.End, ValueRange.End).trim();
    if (!Rest.empty() && Rest != ".freeze" && Rest != ".to_s" && Rest != ".dup")
      return;
    std::string V = It->second->flatten();
    if (!interestingValue(V))
      return;
    SymbolDef D;
    D.Value = std::move(V);
    D.Range = It->second->Range;
    D.Scope = Scope;
    bool Upper = llvm::any_of(Name, [](char C) { return C >= 'A' && C <= 'Z'; }) &&
                 !llvm::any_of(Name, [](char C) { return C >= 'a' && C <= 'z'; });
    bool TopLevel = Scope.Begin == 0 && Scope.End == U.Text.size();
    D.Constant = Declared || Upper || TopLevel;
    U.Defs[Name.str()].push_back(std::move(D));
  };
  for (const syntax::Assignment &A : U.Model.Assignments) {
    if (A.Value.empty() || (A.Op != "=" && A.Op != ":=" && !A.Op.empty()))
      continue;
    llvm::StringRef Name = lastName(A.Target);
    if (Name.empty())
      Name = lastName(A.Name);
    // A class's field (`static final String X = …`, `const X = …` in a class body): the
    // scope query names functions, so a class member's scope is the file.
    llvm::StringRef K = A.Keyword;
    bool Declared = K.contains("const") || K.contains("final") || K == "val" ||
                    K.contains("static") || K.contains("readonly");
    Define(Name, A.Value, A.Scope, Declared);
  }
  // PHP define('TOKEN_PARAM', 'authtoken'); Ruby/Elixir-style config pairs are keys, not
  // definitions.
  for (const syntax::CallSite &C : U.Model.Calls)
    if (C.Name == "define" && C.Arguments.size() >= 2) {
      auto It = U.StringAt.find(C.Arguments[0].Value.Begin);
      if (It != U.StringAt.end() && It->second->isConstant())
        Define(It->second->flatten(), C.Arguments[1].Value, C.Scope, true);
    }
  if (Keep) // for the fix plan that follows (it parses the same text the same way)
    Keep->put(std::move(*Tree), U.Model);
}

/// The statement a finding at \p Offset belongs to: a leaf statement of at most
/// MaxStatementLines lines, or nothing.
syntax::ByteRange findingStatement(const FileModel &M, const LineIndex &Lines, size_t Offset) {
  syntax::ByteRange S = M.statementAt(static_cast<uint32_t>(Offset));
  if (S.empty())
    return S;
  auto It = llvm::find_if(M.Statements, [&](const FileModel::StatementRange &R) {
    return R.Reported == S || R.Range == S;
  });
  if (It != M.Statements.end() && !It->Leaf)
    return {};
  if (Lines.position(S.End).Line - Lines.position(S.Begin).Line + 1 > MaxStatementLines)
    return {};
  return S;
}

bool paramBagTarget(llvm::StringRef Target) {
  static const re2::RE2 Re(
      "(?i)\\b(?:params?|query|qs|data|form|body|payload|args|options|opts|fields|"
      "post_?data|request_?data|querystring|parameters)\\w*\\s*(?:\\.|->)\\s*authtoken\\s*$");
  return re2::RE2::PartialMatch(re2::StringPiece(Target.data(), Target.size()), Re);
}

} // namespace

struct SyntaxFrontend::EarlyUnit {
  Unit U;
};

bool SyntaxFrontend::talksToZoho(llvm::StringRef Text) const {
  const Rule *ZohoGate = Rules.find(ParamKeyRule);
  if (!ZohoGate)
    return true;
  for (const ContextCheck &C : ZohoGate->RequireAny)
    if (C.Window == ContextCheck::FileWindow &&
        re2::RE2::PartialMatch(re2::StringPiece(Text.data(), Text.size()), *C.Re))
      return true;
  return ZohoGate->RequireAny.empty();
}

SyntaxFrontend::SyntaxFrontend(const RuleSet &Rules, const EngineOptions &Opts,
                               SyntaxFrontendOptions FO)
    : Rules(Rules), Opts(Opts), FO(FO),
      Prepared(new std::atomic<bool>[syntax::NumGrammars]) {
  for (unsigned G = 0; G < syntax::NumGrammars; ++G) {
    ByGrammar.push_back(std::make_unique<GrammarQueries>());
    Prepared[G] = false;
  }
  for (const Rule &R : Rules.Rules)
    for (const SyntaxQuerySpec &Spec : R.SyntaxQueries)
      for (const std::string &GName : Spec.Grammars) {
        auto G = syntax::parseGrammarName(GName);
        if (G) {
          ByGrammar[static_cast<size_t>(*G)]->Specs.push_back({&R, &Spec});
          continue;
        }
        std::vector<std::string> Names;
        for (syntax::Grammar X : syntax::allGrammars())
          Names.push_back(syntax::grammarName(X).str());
        if (LoadError.empty())
          LoadError = fmt::format("{}:{}: unknown grammar '{}' in 'syntax' (grammars: {})",
                                  R.File, Spec.Line, GName, llvm::join(Names, ", "));
      }
}

void SyntaxFrontend::compileGrammar(size_t GI, bool Full) {
  GrammarQueries &GQ = *ByGrammar[GI];
  std::call_once(GQ.Once, [&] {
    auto G = static_cast<syntax::Grammar>(GI);
    llvm::StringRef GName = syntax::grammarName(G);
    for (auto &[R, Spec] : GQ.Specs) {
      std::string Err;
      auto Q = syntax::Query::compile(G, Spec->Source,
                                      Full ? syntax::QueryCheck::Full : syntax::QueryCheck::Fast);
      if (!Q) {
        Err = fmt::format("{}:{}: syntax query for {}: {}", R->File, Spec->Line, GName,
                          llvm::toString(Q.takeError()));
      } else {
        bool HasAt = false;
        for (unsigned C = 0; C < Q->captureCount(); ++C)
          HasAt |= Q->captureName(C) == "at";
        if (HasAt)
          GQ.Compiled.push_back({R, std::move(*Q)});
        else
          Err = fmt::format("{}:{}: syntax query for {} has no @at capture (what the finding "
                            "reports)",
                            R->File, Spec->Line, GName);
      }
      if (!Err.empty()) {
        std::lock_guard<std::mutex> L(ErrorMu);
        if (LoadError.empty())
          LoadError = std::move(Err);
      }
    }
  });
}

llvm::Error SyntaxFrontend::checkRules() {
  for (size_t G = 0; G < ByGrammar.size(); ++G)
    compileGrammar(G, /*Full=*/true);
  return queryErrors();
}

llvm::Error SyntaxFrontend::queryErrors() const {
  std::lock_guard<std::mutex> L(ErrorMu);
  if (LoadError.empty())
    return llvm::Error::success();
  return llvm::createStringError(std::errc::invalid_argument, "%s", LoadError.c_str());
}

SyntaxFrontend::~SyntaxFrontend() {
  if (Preparer)
    Preparer->wait(); // its tasks use the members below
  Preparer.reset();
}

void SyntaxFrontend::prepare(Language L, llvm::StringRef RelPath, llvm::StringRef Text,
                             bool LexerFound) {
  if (FO.Jobs == 1)
    return;
  auto G = syntax::grammarFor(L, RelPath);
  if (!G)
    return;
  // run()'s test, the same text: a file it would not parse is not parsed here either.
  if (!LexerFound && !worthParsing(Text))
    return;
  size_t GI = static_cast<size_t>(*G);
  if (!Prepared[GI].exchange(true)) {
    std::lock_guard<std::mutex> Lock(PrepareMu);
    if (!Preparer)
      Preparer = std::make_unique<llvm::ThreadPool>(llvm::hardware_concurrency(1));
    Preparer->async([this, GI] {
      if (auto Q = syntax::modelQuery(static_cast<syntax::Grammar>(GI)); !Q)
        llvm::consumeError(Q.takeError()); // reported by extractModel, per file
      compileGrammar(GI);
    });
  }
  if (Text.size() > MaxParseBytes)
    return; // run() leaves it to the lexer
  // The parse itself, while the walk and the other reads go on (run() would read the
  // file again and parse it after the lexer pass, on the critical path).
  auto E = std::make_unique<EarlyUnit>();
  E->U.Text = Text.str();
  BatchFrontend::Input In;
  In.RelPath = RelPath.str();
  In.Lang = L;
  std::vector<std::vector<RuleQuery> *> Compiled;
  for (auto &GQ : ByGrammar)
    Compiled.push_back(&GQ->Compiled);
  compileGrammar(GI); // done already, or done now
  parseUnit(E->U, In, Compiled, FO.Keep);
  E->U.Zoho = talksToZoho(E->U.Text);
  std::lock_guard<std::mutex> Lock(EarlyMu);
  Early[In.RelPath] = std::move(E);
}

bool SyntaxFrontend::handles(Language L) const {
  return syntax::grammarFor(L, "").has_value();
}

void SyntaxFrontend::run(std::vector<Input> &Files, std::vector<Finding> &Out,
                         std::vector<std::string> &Notes) {
  auto Active = [&](const char *Id, Language L) -> const Rule * {
    const Rule *R = Rules.find(Id);
    if (!R || !R->appliesTo(L))
      return nullptr;
    if (!Opts.OnlyRules.empty() && !llvm::is_contained(Opts.OnlyRules, R->Id))
      return nullptr;
    return R;
  };

  unsigned Jobs = FO.Jobs ? FO.Jobs : llvm::hardware_concurrency().compute_thread_count();
  auto ForEach = [&](std::vector<size_t> &Idx, auto Fn) {
    if (Jobs <= 1 || Idx.size() < 2) {
      for (size_t I : Idx)
        Fn(I);
      return;
    }
    llvm::ThreadPool Pool(llvm::hardware_concurrency(Jobs));
    for (size_t I : Idx)
      Pool.async([&Fn, I] { Fn(I); });
    Pool.wait();
  };

  // 1. Parse the candidates. One that cannot hold anything a detector keys on (no Zoho,
  // no authtoken name, no token-shaped value, no lexer finding: a `supportApi` identifier
  // or a FROM_AGENT constant made it a candidate) is treated like a rejected file: parsed
  // only if it names a key constant of another file (step 3).
  timingPhase("syntax: run entered");
  std::vector<Unit> Units(Files.size());
  timingPhase("syntax: units made");
  std::vector<size_t> Cand, Rest;
  for (size_t I = 0; I < Files.size(); ++I)
    Units[I].Input = I;
  std::vector<std::vector<RuleQuery> *> Compiled;
  for (auto &GQ : ByGrammar)
    Compiled.push_back(&GQ->Compiled);
  auto Read = [&](size_t I) {
    Unit &U = Units[I];
    if (!U.Text.empty())
      return true;
    if (Files[I].Text) {
      U.Text = *Files[I].Text;
    } else {
      auto Buf = llvm::MemoryBuffer::getFile(Files[I].Path, /*IsText=*/false,
                                             /*RequiresNullTerminator=*/false);
      if (!Buf)
        return false;
      U.Text = (*Buf)->getBuffer().str();
    }
    // The lexer pass saw lone '\r' line ends as '\n' and a notebook as its code cells
    // (Scanner.cpp); so do the trees.
    normalizeForAnalysis(Files[I].RelPath, U.Text);
    return true;
  };
  auto Parse = [&](size_t I) {
    Unit &U = Units[I];
    if (U.Text.size() <= MaxParseBytes) {
      if (auto G = syntax::grammarFor(Files[I].Lang, Files[I].RelPath))
        compileGrammar(static_cast<size_t>(*G)); // done already, or done now
      parseUnit(U, Files[I], Compiled, FO.Keep);
    }
  };
  std::vector<char> Worth(Files.size(), 0); // 2: parsed by prepare()
  {
    std::vector<size_t> Candidates;
    for (size_t I = 0; I < Files.size(); ++I)
      (Files[I].Candidate ? Candidates : Rest).push_back(I);
    // Parsed by prepare() during the lexer pass: the same text, the same test passed.
    std::vector<size_t> Left;
    {
      std::lock_guard<std::mutex> Lock(EarlyMu);
      for (size_t I : Candidates) {
        auto It = Early.find(Files[I].RelPath);
        if (It == Early.end() || Files[I].Text) {
          Left.push_back(I);
          continue;
        }
        Units[I] = std::move(It->second->U);
        Units[I].Input = I;
        Worth[I] = 2;
      }
      Early.clear();
    }
    ForEach(Left, [&](size_t I) {
      if (Read(I))
        Worth[I] = !Files[I].LexerFindings.empty() || worthParsing(Units[I].Text);
    });
    for (size_t I : Candidates)
      (Worth[I] ? Cand : Rest).push_back(I);
    timingPhase("syntax: early units taken");
  }
  // The query compiler is the fixed cost of a grammar: compile the model and rule
  // queries of the grammars in use up front, one grammar per thread (prepare() has
  // usually done it during the lexer pass).
  {
    std::vector<size_t> Used;
    std::vector<char> Seen(syntax::NumGrammars, 0);
    for (size_t I : Cand)
      if (auto G = syntax::grammarFor(Files[I].Lang, Files[I].RelPath);
          G && !Seen[static_cast<size_t>(*G)]++)
        Used.push_back(static_cast<size_t>(*G));
    ForEach(Used, [&](size_t G) {
      if (auto Q = syntax::modelQuery(static_cast<syntax::Grammar>(G)); !Q)
        llvm::consumeError(Q.takeError()); // reported by extractModel, per file
      compileGrammar(G);
    });
  }
  timingPhase("syntax: queries compiled");
  std::vector<size_t> ToParse;
  for (size_t I : Cand)
    if (Worth[I] != 2)
      ToParse.push_back(I);
  ForEach(ToParse, [&](size_t I) {
    Parse(I);
    Units[I].Zoho = talksToZoho(Units[I].Text);
  });
  timingPhase("syntax: candidates parsed");

  // 2. The repository's symbols.
  auto Collect = [&](std::map<std::string, std::vector<const SymbolDef *>> &Repo) {
    Repo.clear();
    for (Unit &U : Units)
      for (auto &[Name, Ds] : U.Defs)
        for (SymbolDef &D : Ds) {
          D.File = static_cast<unsigned>(&U - Units.data());
          Repo[Name].push_back(&D);
        }
  };
  std::map<std::string, std::vector<const SymbolDef *>> Repo;
  Collect(Repo);

  timingPhase("syntax: repository symbols");
  // 3. Files the prefilter rejected that use a key constant are read and parsed too.
  // Only constants that are the key itself ("authtoken", "&authtoken=") send another file
  // back to the parser; a URL constant that holds authtoken= is found where it is defined.
  std::vector<std::string> KeyNames;
  for (auto &[Name, Ds] : Repo)
    if (llvm::any_of(Ds, [&](const SymbolDef *D) {
          llvm::StringRef V = llvm::StringRef(D->Value).trim().ltrim("?&;");
          return D->Constant && Units[D->File].Zoho &&
                 (isKeyName(V) || V.equals_insensitive("authtoken="));
        }))
      KeyNames.push_back(Name);
  if (!KeyNames.empty() && !Rest.empty()) {
    std::vector<char> Use(Files.size(), 0);
    ForEach(Rest, [&](size_t I) {
      if (!Read(I))
        return;
      Unit &U = Units[I];
      if (llvm::any_of(KeyNames, [&](const std::string &N) { return mentionsName(U.Text, N); })) {
        Parse(I);
        U.Zoho = talksToZoho(U.Text);
        Use[I] = 1;
      } else {
        std::string().swap(U.Text);
      }
    });
    for (size_t I : Rest)
      C.Resolved += Use[I];
    Collect(Repo);
  }

  // 3b. The repository's Zoho context. A file that never names Zoho — a table of users'
  // tokens (`'authToken' => '…'`) required by the client that sends them, a script whose
  // URLs come from a CSV its sibling wrote — belongs to a Zoho client when files near it
  // (its own directory, its parent or a child directory) name Zoho and send authtokens (a
  // lexer finding at warning or above): for the detectors below the rules' file-wide
  // "names Zoho" gate (require-any) is met by them. Only small hand-written files (not
  // dist/, build/, vendor/, minified) that spell `authtoken` as a word and name no other
  // vendor whose secret is called so (ngrok, Twilio, Plivo).
  std::vector<char> ByRepo(Files.size(), 0);
  {
    std::vector<std::string> ZohoDirs;
    for (size_t I = 0; I < Units.size(); ++I)
      if (Units[I].Parsed && Units[I].Zoho &&
          llvm::any_of(Files[I].LexerFindings,
                       [](const Finding &F) { return F.Sev >= Severity::Warning; }))
        ZohoDirs.push_back(dirOf(Files[I].RelPath).str());
    std::sort(ZohoDirs.begin(), ZohoDirs.end());
    ZohoDirs.erase(std::unique(ZohoDirs.begin(), ZohoDirs.end()), ZohoDirs.end());
    // Near: the same directory, or one is the other's parent (`src/` and `src/zoho/`); not
    // siblings or cousins (a monorepo's other packages beside a small Zoho integration).
    std::set<std::string> Dirs(ZohoDirs.begin(), ZohoDirs.end()), ParentsOfDirs;
    for (const std::string &D : ZohoDirs)
      if (!D.empty())
        ParentsOfDirs.insert(dirOf(D).str());
    std::vector<size_t> Ask;
    if (!ZohoDirs.empty())
      for (size_t I = 0; I < Units.size(); ++I) {
        if (Units[I].Zoho)
          continue;
        std::string D = dirOf(Files[I].RelPath).str();
        if (Dirs.count(D) || ParentsOfDirs.count(D) || (!D.empty() && Dirs.count(dirOf(D).str())))
          Ask.push_back(I);
      }
    std::vector<char> NewlyParsed(Files.size(), 0);
    ForEach(Ask, [&](size_t I) {
      Unit &U = Units[I];
      bool HadText = !U.Text.empty();
      // `authtoken` as a word of its own (a key, a variable), not `getAuthToken`; a small
      // hand-written file (a users' table, a script), not a bundle or a minified build.
      static const re2::RE2 Built("(?i)(?:^|/)(?:dist|build|vendor|node_modules)/|[.-]min\\.[a-z]+$|\\.bundle\\.");
      if (re2::RE2::PartialMatch(Files[I].RelPath, Built))
        return;
      // A rejected file is read again only when the scan driver saw the word in it.
      if (!HadText && !Files[I].Text && !Files[I].Candidate && !Files[I].MentionsAuthtoken)
        return;
      if (!HadText && !Files[I].Text) {
        uint64_t Size = 0;
        if (llvm::sys::fs::file_size(Files[I].Path, Size) || Size > MaxRepoContextBytes)
          return;
      }
      if (!Read(I))
        return;
      static const re2::RE2 OtherVendor("(?i)ngrok|twilio|plivo|account_?sid");
      if (U.Text.size() > MaxRepoContextBytes || !mentionsAuthtokenWord(U.Text) ||
          re2::RE2::PartialMatch(re2::StringPiece(U.Text), OtherVendor)) {
        if (!HadText && !U.Parsed)
          std::string().swap(U.Text);
        return;
      }
      if (!U.Parsed) {
        Parse(I);
        NewlyParsed[I] = U.Parsed;
      }
      ByRepo[I] = U.Parsed;
    });
    if (llvm::is_contained(NewlyParsed, 1))
      Collect(Repo);
  }

  Resolver Res(Repo);
  // Builders exist before detection so that each key constant's own context is judged
  // once, here, in its own file (a FindingBuilder is not shared between threads later).
  std::vector<std::unique_ptr<FindingBuilder>> Builders(Units.size());
  for (size_t I = 0; I < Units.size(); ++I)
    if (Units[I].Parsed)
      Builders[I] =
          std::make_unique<FindingBuilder>(Rules, Opts, Files[I].RelPath, Files[I].Lang, Units[I].Text);
  for (Unit &U : Units)
    for (auto &[Name, Ds] : U.Defs)
      for (SymbolDef &D : Ds) {
        const Rule *R = Rules.find(isKeyName(D.Value) ? ParamKeyRule : UrlParamRule);
        FindingBuilder *FB = Builders[D.File].get();
        D.ContextOk = U.Zoho && FB && (!R || FB->passesContext(*R, D.Range.Begin, D.Range.End));
      }
  std::mutex UsedMu;
  std::map<const SymbolDef *, const Rule *> UsedKeys; // key constants that reached a request, by rule

  timingPhase("syntax: key-constant files");
  // 4. Detection, per file.
  std::vector<size_t> All;
  for (size_t I = 0; I < Units.size(); ++I)
    if (Units[I].Parsed || !Files[I].LexerFindings.empty())
      All.push_back(I);
  ForEach(All, [&](size_t I) {
    Unit &U = Units[I];
    Input &In = Files[I];
    std::vector<Finding> Lexer = std::move(In.LexerFindings);
    if (!U.Parsed) {
      U.Findings = std::move(Lexer);
      return;
    }
    FindingBuilder &FB = *Builders[I];
    const FileModel &M = U.Model;
    std::vector<Finding> Syn;
    // Other vendors' tokens: a file that names them keeps its 32-hex values to itself.
    static const re2::RE2 OtherVendor("(?i)ngrok|twilio|plivo");
    bool OtherVendorFile = re2::RE2::PartialMatch(re2::StringPiece(U.Text), OtherVendor);
    // Context = false: the rule's file-level context is not asked (the caller has stronger
    // evidence of its own, such as a 32-hex token sent bare in a file that talks to Zoho).
    auto Emit = [&](const Rule *R, syntax::ByteRange At, const SymbolDef *Via,
                    bool Context = true) {
      if (!R || At.empty())
        return;
      // A constant carries the context of the file that defines it: one defined beside
      // ngrok's or Twilio's code is theirs, one defined where Zoho is named is Zoho's.
      if (Via && !Via->ContextOk)
        return;
      if (Context ? !FB.passesContext(*R, At.Begin, At.End,
                                      Via != nullptr || (ByRepo[I] && fileGateOnly(*R)))
                  : OtherVendorFile)
        return;
      if (FB.suppressed(*R, FB.lines().position(At.Begin).Line))
        return;
      Syn.push_back(FB.make(*R, At.Begin, At.End));
      if (Via) {
        std::lock_guard<std::mutex> L(UsedMu);
        UsedKeys.emplace(Via, R);
      }
    };
    const Rule *PK = Active(ParamKeyRule, In.Lang);
    const Rule *UP = Active(UrlParamRule, In.Lang);

    // Keys of every syntax: entries, named pairs.
    for (const syntax::KeyValue &KV : M.Pairs) {
      if (isKeyName(KV.Key)) {
        Emit(PK, KV.KeyRange, nullptr);
        continue;
      }
      if (auto V = Res.resolve(U, KV.KeyRange); V && V->Via && isKeyName(V->Text))
        Emit(PK, KV.KeyRange, V->Via);
    }
    // put("authtoken", t), AddParameter(TOKEN_PARAM, t), new BasicNameValuePair(K, t),
    // keyword arguments authtoken=t.
    for (const syntax::CallSite &Call : M.Calls) {
      if (readsOrStores(Call.Name))
        continue;
      // A keyword argument is a wire key when the call builds the parameters
      // (dict(authtoken=t), build_query(authtoken=t)); handed to a constructor
      // (`new Config(authToken: …)`, `ZohoClient(authtoken=t)`) it is a parameter of that
      // class: plumbing, not a request.
      if (!constructsObject(Call))
        for (const syntax::Argument &A : Call.Arguments)
          if (!A.Keyword.empty() && isKeyName(A.Keyword))
            Emit(PK, A.Range, nullptr);
      if (Call.Arguments.size() < 2)
        continue;
      const syntax::Argument &First = Call.Arguments[0];
      if (!First.Keyword.empty())
        continue;
      if (auto V = Res.resolve(U, First.Value); V && isKeyName(V->Text))
        Emit(PK, First.Value, V->Via);
    }
    // The authtoken sent bare as the Authorization header value: addHeader("Authorization",
    // auth_token) / setRequestProperty(…) / Header.Set(…) / {"Authorization": token} /
    // headers["Authorization"] = KEY, with a hard-coded 32-hex value (a literal, or a name
    // or constant from any file holding one), or a name that says it is the authtoken in a
    // file that never uses an OAuth or bearer scheme. (The rule's RE2 patterns find the
    // authtoken-named values in every language, also without a syntax tree.)
    if (const Rule *BH = Active(BareHeaderRule, In.Lang); BH && U.Zoho) {
      static const re2::RE2 OAuthScheme("(?i)zoho-oauthtoken|\\bbearer\\b");
      bool OAuthFile = re2::RE2::PartialMatch(re2::StringPiece(U.Text), OAuthScheme);
      auto IsAuthorization = [](llvm::StringRef K) {
        return K.trim().trim("\"'`").equals_insensitive("authorization");
      };
      // A 32-hex token (literal or resolved) is the legacy token wherever it is sent: the
      // rule's file context, which rejects files that mention OAuth, is not asked. A name
      // that says it is the authtoken is, only where that context holds.
      auto EmitBare = [&](syntax::ByteRange R) {
        if (R.empty())
          return;
        if (auto V = Res.resolve(U, R)) {
          if (tokenShaped(llvm::StringRef(V->Text).trim()))
            Emit(BH, R, V->Via, /*Context=*/false);
          return;
        }
        llvm::StringRef Name = lastName(llvm::StringRef(U.Text).slice(R.Begin, R.End));
        if (OAuthFile || Name.empty() || !authtokenName(Name))
          return;
        // Set from an access/OAuth token (`authToken = tokens.getAccessToken()`): the
        // name is old, the value is not.
        re2::RE2 FromAccess("(?i)\\b" + re2::RE2::QuoteMeta(Name.str()) +
                            "\\s*(?::=|=)[^=\\n;][^\\n;]*(?:oauth|access|bearer)");
        if (!re2::RE2::PartialMatch(re2::StringPiece(U.Text), FromAccess))
          Emit(BH, R, nullptr);
      };
      for (const syntax::CallSite &Call : M.Calls) {
        if (Call.Arguments.size() != 2 || !Call.Arguments[0].Keyword.empty() || Call.Name.empty() ||
            llvm::StringRef(Call.Name).startswith_insensitive("get") || Call.Name == "has" ||
            Call.Name == "remove" || Call.Name == "delete")
          continue;
        if (auto K = Res.resolve(U, Call.Arguments[0].Value); K && IsAuthorization(K->Text))
          EmitBare(Call.Arguments[1].Value);
      }
      for (const syntax::KeyValue &KV : M.Pairs)
        if (IsAuthorization(KV.Key))
          EmitBare(KV.Value);
      for (const syntax::Assignment &A : M.Assignments)
        if (llvm::StringRef(A.Target).trim().endswith("]") && IsAuthorization(A.Name))
          EmitBare(A.Value);
    }
    // params["authtoken"] = t, $data[TOKEN] = $t, params.authtoken = t.
    for (const syntax::Assignment &A : M.Assignments) {
      llvm::StringRef T = llvm::StringRef(A.Target).trim();
      if (T.endswith("]")) {
        size_t Open = T.rfind('[');
        if (Open == llvm::StringRef::npos)
          continue;
        uint32_t KB = A.TargetRange.Begin + Open + 1, KE = A.TargetRange.Begin + T.size() - 1;
        while (KB < KE && llvm::isSpace(U.Text[KB]))
          ++KB;
        while (KE > KB && llvm::isSpace(U.Text[KE - 1]))
          --KE;
        syntax::ByteRange K{KB, KE};
        llvm::StringRef KT = llvm::StringRef(U.Text).slice(KB, KE);
        if (isKeyName(KT.trim("\"'`:")))
          Emit(PK, K, nullptr);
        else if (auto V = Res.resolve(U, K); V && isKeyName(V->Text))
          Emit(PK, K, V->Via);
      } else if (isKeyName(A.Name) && paramBagTarget(T)) {
        Emit(PK, A.TargetRange, nullptr);
      }
    }
    // URLs and query strings built from pieces: the resolved text holds authtoken=.
    static const re2::RE2 UrlRe("(?i)((?:^|[?&;/\\x1f\\s\"'])authtoken=)");
    auto Url = [&](const StringExpr &S) {
      if (S.isConstant())
        return;
      std::string Flat;
      std::vector<std::pair<size_t, const syntax::StringPiece *>> Starts;
      const SymbolDef *Via = nullptr;
      for (const syntax::StringPiece &P : S.Pieces) {
        Starts.push_back({Flat.size(), &P});
        if (P.IsLiteral) {
          Flat += P.Value;
        } else if (auto V = Res.resolve(U, P.Range)) {
          Flat += V->Text;
          if (!Via)
            Via = V->Via;
        } else {
          Flat += '\x1f';
        }
      }
      re2::StringPiece Sp(Flat), M0;
      if (!re2::RE2::PartialMatch(Sp, UrlRe, &M0))
        return;
      // Where "authtoken" starts: the match ends with "authtoken=".
      size_t At = M0.data() - Flat.data() + M0.size() - 10;
      const syntax::StringPiece *P = nullptr;
      for (auto &[Off, Pc] : Starts)
        if (Off <= At)
          P = Pc;
      if (P)
        Emit(UP, P->Range, Via);
    };
    // URL templates filled later: `url = '…?{token}&scope=crmapi'` then
    // `url = url.replace('{token}', creds.token)` (also str_replace, gsub, sub).
    static const re2::RE2 BareRe("[?&]\\{(\\w+)\\}(?:&|#|$)");
    static const re2::RE2 PlaceholderRe("\\{(\\w+)\\}");
    for (const syntax::Assignment &A : M.Assignments) {
      if (A.Value.empty())
        continue;
      auto SIt = U.StringAt.find(A.Value.Begin);
      if (SIt == U.StringAt.end() || SIt->second->Range.End != A.Value.End ||
          !SIt->second->isConstant())
        continue;
      llvm::StringRef Var = lastName(A.Target);
      std::string Flat = SIt->second->flatten();
      llvm::StringRef FlatRef(Flat);
      bool Generation = FlatRef.contains_insensitive("apiauthtoken/nb/create");
      bool Zoho = FlatRef.contains_insensitive(".zoho.") || FlatRef.contains_insensitive("zohoapis");
      std::set<std::string> Bare;
      {
        re2::StringPiece In(Flat);
        std::string P;
        while (re2::RE2::FindAndConsume(&In, BareRe, &P))
          Bare.insert(P);
      }
      if (Var.empty() || !(Generation || (Zoho && !Bare.empty())))
        continue;
      std::vector<syntax::ByteRange> Flow;
      for (const syntax::CallSite &Call : M.Calls) {
        if (!A.Scope.contains(Call.Range) || Call.Range.Begin < A.Range.End ||
            Call.Arguments.size() < 2)
          continue;
        llvm::StringRef N = Call.Name;
        bool StrReplace = N == "str_replace" && Call.Arguments.size() >= 3;
        if (!(N == "replace" || N == "Replace" || N == "replaceAll" || N == "gsub" ||
              N == "sub" || N == "gsub!" || N == "sub!" || StrReplace))
          continue;
        llvm::StringRef Subject =
            StrReplace ? llvm::StringRef(U.Text).slice(Call.Arguments[2].Value.Begin,
                                                       Call.Arguments[2].Value.End)
                       : llvm::StringRef(U.Text).slice(Call.Receiver.Begin, Call.Receiver.End);
        if (!mentionsName(Subject, Var))
          continue;
        auto Ph = Res.resolve(U, Call.Arguments[0].Value);
        std::string Name;
        if (!Ph || !re2::RE2::FullMatch(Ph->Text, PlaceholderRe, &Name))
          continue;
        const syntax::Argument &Fill = Call.Arguments[1];
        if (Generation) {
          Flow.push_back(Call.Statement);
          // …and the assignment of the value it inserts (`pw = '…'`), in the same scope.
          llvm::StringRef FillName = lastName(llvm::StringRef(U.Text).slice(Fill.Value.Begin, Fill.Value.End));
          for (const syntax::Assignment &B : M.Assignments)
            if (!FillName.empty() && B.Scope == A.Scope && B.Range.Begin < Call.Range.Begin &&
                lastName(B.Target) == FillName)
              Flow.push_back(B.Statement);
        } else if (Bare.count(Name)) {
          Emit(UP, Fill.Value, nullptr);
          // The placeholder in the template: where the authtoken goes.
          llvm::StringRef Lit = llvm::StringRef(U.Text).slice(SIt->second->Range.Begin,
                                                               SIt->second->Range.End);
          size_t P = Lit.find("{" + Name + "}");
          if (P != llvm::StringRef::npos) {
            uint32_t PB = SIt->second->Range.Begin + P;
            Emit(UP, {PB, static_cast<uint32_t>(PB + Name.size() + 2)}, nullptr);
          }
        }
      }
      if (Generation && !Flow.empty())
        U.GenerationFlows.push_back({SIt->second->Range, std::move(Flow)});
    }

    for (const StringExpr &S : M.Concats)
      Url(S);
    for (const StringExpr &S : M.Strings)
      if (S.Kind == StringExpr::Template)
        Url(S);

    // A format template with an authtoken slot, filled by a call: sprintf(API_URL, …,
    // $this->getAuthToken()), String.format(BASE, m, token), "…?authtoken={}".format(t),
    // the template a constant defined anywhere. The argument that fills the slot is where
    // the token goes in.
    static const re2::RE2 SlotRe("(%(?:\\d+\\$)?[-+ 0#]*\\d*[sdv]|\\{\\d*\\}|\\{\\w+\\})");
    static const re2::RE2 TokenSlotRe("(?i)[?&;]authtoken=(%(?:\\d+\\$)?[-+ 0#]*\\d*[sdv]|\\{\\d*\\}|\\{\\w+\\})");
    for (const syntax::CallSite &Call : M.Calls) {
      if (readsOrStores(Call.Name) || Call.Arguments.empty())
        continue;
      // The template: the first argument (sprintf, String.format, fmt.Sprintf), or the
      // receiver of .format (Python, C# string.Format takes it first too).
      std::optional<Resolver::Value> Tmpl;
      size_t FirstFill = 0;
      for (size_t K = 0; K < std::min<size_t>(Call.Arguments.size(), 2) && !Tmpl; ++K)
        if (auto V = Res.resolve(U, Call.Arguments[K].Value);
            V && re2::RE2::PartialMatch(V->Text, TokenSlotRe)) {
          Tmpl = std::move(V);
          FirstFill = K + 1;
        }
      if (!Tmpl && (Call.Name == "format" || Call.Name == "Format") && !Call.Receiver.empty())
        if (auto V = Res.resolve(U, Call.Receiver); V && re2::RE2::PartialMatch(V->Text, TokenSlotRe))
          Tmpl = std::move(V);
      if (!Tmpl)
        continue;
      // Which slot: count the slots before the authtoken one ({0}/%1$s name it).
      re2::StringPiece Slot;
      re2::RE2::PartialMatch(Tmpl->Text, TokenSlotRe, &Slot);
      size_t SlotAt = Slot.data() - Tmpl->Text.data();
      size_t Index = 0;
      {
        re2::StringPiece In(Tmpl->Text.data(), SlotAt);
        while (re2::RE2::FindAndConsume(&In, SlotRe))
          ++Index;
      }
      llvm::StringRef SlotText(Slot.data(), Slot.size());
      unsigned N = 0;
      if (SlotText.startswith("{") && !SlotText.substr(1).take_while(llvm::isDigit).empty() &&
          !SlotText.substr(1, SlotText.size() - 2).getAsInteger(10, N))
        Index = N;
      else if (SlotText.startswith("%") && SlotText.contains('$') &&
               !SlotText.substr(1).take_while(llvm::isDigit).getAsInteger(10, N) && N > 0)
        Index = N - 1;
      const syntax::Argument *Fill = nullptr;
      if (SlotText.startswith("{") && !SlotText.substr(1).empty() && llvm::isAlpha(SlotText[1])) {
        llvm::StringRef Name = SlotText.drop_front().drop_back();
        for (const syntax::Argument &A : Call.Arguments)
          if (A.Keyword == Name)
            Fill = &A;
      } else if (FirstFill + Index < Call.Arguments.size()) {
        Fill = &Call.Arguments[FirstFill + Index];
      }
      if (Fill && Fill->Keyword.empty() == SlotText.startswith("{") && !SlotText.startswith("{}") &&
          SlotText.size() > 2 && llvm::isAlpha(SlotText[1]))
        Fill = nullptr; // a named slot filled positionally: not this call's shape
      Emit(UP, Fill ? Fill->Range : Call.Arguments[FirstFill ? FirstFill - 1 : 0].Range, Tmpl->Via);
    }

    // The rules' own queries (rules/**.yaml `syntax:`): @key must resolve to a syntax key.
    for (const Unit::RuleMatch &RM : U.RuleMatches) {
      const Rule *R = Active(RM.R->Id.c_str(), In.Lang);
      if (!R)
        continue;
      const SymbolDef *Via = nullptr;
      if (!RM.Key.empty()) {
        auto V = Res.resolve(U, RM.Key);
        if (!V || !llvm::is_contained(R->SyntaxKeys, llvm::StringRef(V->Text).trim().lower()))
          continue;
        Via = V->Via;
      }
      Emit(R, RM.At, Via);
    }

    // The tree overrules the lexer where it sees more: `authToken: x` that the lexer took
    // for an unquoted key is a named argument of a constructor (PHP 8, Kotlin, C#) — a
    // parameter of that class, not of a request.
    if (PK)
      for (const syntax::CallSite &Call : M.Calls)
        if (constructsObject(Call))
          for (const syntax::Argument &A : Call.Arguments)
            if (!A.Keyword.empty() && isKeyName(A.Keyword))
              llvm::erase_if(Lexer, [&](const Finding &F) {
                bool Drop =
                    F.RuleId == PK->Id && A.Range.Begin <= F.Offset && F.Offset < A.Range.End;
                if (Drop) {
                  std::lock_guard<std::mutex> L(OverruledMu);
                  OverruledList.push_back({In.Path, F.RuleId, F.Offset});
                }
                return Drop;
              });
    // Merge: the lexer's findings stay; a syntax finding of the same rule on the same
    // line adds nothing.
    // Two syntax findings of a rule at one place are one.
    std::set<std::pair<std::string, unsigned>> LexerLines;
    for (const Finding &F : Lexer)
      LexerLines.insert({F.RuleId, F.Begin.Line});
    std::set<std::pair<std::string, size_t>> Places;
    for (Finding &F : Syn)
      if (!LexerLines.count({F.RuleId, F.Begin.Line}) && Places.insert({F.RuleId, F.Offset}).second)
        Lexer.push_back(std::move(F));
    U.Findings = std::move(Lexer);
  });

  timingPhase("syntax: detection");
  // 5. Key constants that reached a request: their definitions are part of it.
  for (const auto &[D, UsedBy] : UsedKeys) {
    Unit &U = Units[D->File];
    FindingBuilder *FB = Builders[D->File].get();
    // The rule that used it, where it applies to the defining file's language.
    const Rule *PK = Active(UsedBy->Id.c_str(), Files[D->File].Lang);
    if (!PK)
      PK = Active(ParamKeyRule, Files[D->File].Lang);
    if (!FB || !PK || !isKeyName(D->Value))
      continue;
    if (FB->suppressed(*PK, FB->lines().position(D->Range.Begin).Line) ||
        !FB->passesContext(*PK, D->Range.Begin, D->Range.End, true))
      continue;
    unsigned Line = FB->lines().position(D->Range.Begin).Line;
    if (llvm::any_of(U.Findings, [&](const Finding &F) {
          return F.RuleId == PK->Id && F.Begin.Line == Line;
        }))
      continue;
    Finding F = FB->make(*PK, D->Range.Begin, D->Range.End);
    U.Findings.push_back(std::move(F));
  }

  // 5b. Product and data centre from the request's own constants: a finding whose
  // function names no Zoho host itself, but uses a constant holding one (defined in
  // another file, `url := fmt.Sprintf("%s/contacts", ZohoBaseURL)`), is attributed to
  // that host — narrower evidence than whatever the rest of its file mentions.
  static const re2::RE2 IdentRe("([A-Za-z_$][A-Za-z0-9_]*)");
  for (size_t I : All) {
    Unit &U = Units[I];
    FindingBuilder *FB = Builders[I].get();
    if (!U.Parsed || !FB)
      continue;
    for (Finding &F : U.Findings) {
      syntax::ByteRange Scope{0, static_cast<uint32_t>(U.Text.size())};
      for (const syntax::CallSite &Call : U.Model.Calls)
        if (Call.Range.Begin <= F.Offset && F.Offset < Call.Range.End && Call.Scope.size() < Scope.size())
          Scope = Call.Scope;
      for (const StringExpr &S : U.Model.Strings)
        if (S.Range.Begin <= F.Offset && F.Offset < S.Range.End && S.Scope.size() < Scope.size())
          Scope = S.Scope;
      if (Scope.Begin == 0 && Scope.End == U.Text.size())
        continue; // file level: the file's own evidence decided already
      llvm::StringRef ScopeText = llvm::StringRef(U.Text).slice(Scope.Begin, Scope.End);
      auto Own = Rules.Cat.findEvidence(ScopeText);
      if (llvm::any_of(Own, [](const Evidence &E) { return E.Prod && E.FromHost; }))
        continue;
      std::set<const Product *> Prods;
      std::set<std::string> Dcs, SeenNames;
      re2::StringPiece In(ScopeText.data(), ScopeText.size());
      std::string Name;
      while (re2::RE2::FindAndConsume(&In, IdentRe, &Name)) {
        if (!SeenNames.insert(Name).second)
          continue;
        const SymbolDef *D = Res.lookup(U, Name, static_cast<uint32_t>(F.Offset));
        if (!D || !zohoHostValue(D->Value))
          continue;
        for (const Evidence &E : Rules.Cat.findEvidence(D->Value))
          if (E.FromHost) {
            if (E.Prod)
              Prods.insert(E.Prod);
            if (!E.DataCentre.empty())
              Dcs.insert(E.DataCentre);
          }
      }
      if (Prods.size() != 1 || (*Prods.begin())->Id == F.Product)
        continue;
      const Rule *R = Rules.find(F.RuleId);
      if (!R || !R->Product.empty())
        continue;
      Finding G = FB->make(*R, F.Offset, F.Offset + F.Length, *Prods.begin(),
                           Dcs.size() == 1 ? llvm::StringRef(*Dcs.begin()) : llvm::StringRef());
      G.StatementBegin = F.StatementBegin;
      G.StatementEnd = F.StatementEnd;
      F = std::move(G);
    }
  }

  // 5c. Product from the repository: a finding whose file names no Zoho product at all (a
  // client class handed its base URL by a service provider or a config file elsewhere)
  // takes the one product the repository's code hosts name — when they name exactly
  // one; two products anywhere and it stays unattributed, never a guess. Where no code
  // host names a product (a gem's client configured in an initializer, the gem's own
  // classes `RubyZoho::Crm::Lead` used elsewhere), the product names in the code decide,
  // under the same rule: exactly one.
  {
    std::optional<const Product *> RepoProd;
    auto RepoProduct = [&]() -> const Product * {
      if (!RepoProd) {
        std::set<const Product *> Hosts, Names;
        for (const Unit &V : Units)
          for (const Evidence &E : Rules.Cat.findEvidence(V.Text))
            if (E.Prod)
              (E.FromHost ? Hosts : Names).insert(E.Prod);
        const std::set<const Product *> &Prods = Hosts.empty() ? Names : Hosts;
        RepoProd = Prods.size() == 1 ? *Prods.begin() : nullptr;
      }
      return *RepoProd;
    };
    for (size_t I : All) {
      Unit &U = Units[I];
      FindingBuilder *FB = Builders[I].get();
      if (!U.Parsed || !FB)
        continue;
      std::optional<bool> FileNamesProduct;
      for (Finding &F : U.Findings) {
        if (!F.Product.empty())
          continue;
        const Rule *R = Rules.find(F.RuleId);
        if (!R || !R->Product.empty())
          continue;
        if (!FileNamesProduct)
          FileNamesProduct = llvm::any_of(Rules.Cat.findEvidence(U.Text),
                                          [](const Evidence &E) { return E.Prod != nullptr; });
        if (*FileNamesProduct)
          break;
        const Product *P = RepoProduct();
        if (!P)
          break;
        Finding G = FB->make(*R, F.Offset, F.Offset + F.Length, P, llvm::StringRef());
        G.StatementBegin = F.StatementBegin;
        G.StatementEnd = F.StatementEnd;
        F = std::move(G);
      }
    }
  }

  timingPhase("syntax: key constants");
  // 6. A token-shaped literal assigned to a name that a finding's statement uses — in its
  // own file, or (a constant of a constants class, `IConstants.ZOHO_ADMIN_AUTHORIZATION`,
  // its name defined once in the repository) in another file's.
  // (unit, statement text, the finding's product)
  std::optional<std::vector<std::tuple<size_t, std::string, std::string>>> OtherStatements;
  auto StatementsOfOthers =
      [&]() -> const std::vector<std::tuple<size_t, std::string, std::string>> & {
    if (!OtherStatements) {
      OtherStatements.emplace();
      for (size_t J : All) {
        if (!Units[J].Parsed || !Builders[J])
          continue;
        for (const Finding &F : Units[J].Findings) {
          if (F.RuleId == HardcodedRule || F.RuleId == HardcodedSettingRule ||
              F.RuleId == ClientConfigKeyRule)
            continue;
          syntax::ByteRange S = findingStatement(Units[J].Model, Builders[J]->lines(), F.Offset);
          if (!S.empty())
            OtherStatements->emplace_back(
                J, llvm::StringRef(Units[J].Text).slice(S.Begin, S.End).str(), F.Product);
        }
      }
    }
    return *OtherStatements;
  };
  for (size_t I : All) {
    Unit &U = Units[I];
    if (!U.Parsed || !Builders[I])
      continue;
    const Rule *HC = Active(HardcodedRule, Files[I].Lang);
    if (!HC)
      continue;
    for (auto &[Name, Ds] : U.Defs) {
      for (const SymbolDef &D : Ds) {
        if (!tokenShaped(D.Value))
          continue;
        uint32_t LitB = D.Range.Begin, LitE = D.Range.End;
        unsigned Line = Builders[I]->lines().position(LitB).Line;
        std::set<std::string> UseProducts; // of the other files' findings that use it
        llvm::StringRef Var = Name; // a structured binding cannot be captured (C++17)
        // A name that says it holds a token (`$token`, `AUTH_TOKEN`, `zohoToken`) in a file
        // that talks to Zoho holds the Zoho one — unless it names another kind of token.
        static const re2::RE2 OtherToken(
            "(?i)oauth|refresh|access|bearer|csrf|xsrf|verif|webhook|session|ngrok|twilio|plivo|"
            "github|slack|stripe|jwt|id_?token|push|device|reset|nonce");
        bool TokenName = Var.contains_insensitive("token") &&
                         !re2::RE2::PartialMatch(re2::StringPiece(Var.data(), Var.size()), OtherToken);
        bool Reaches = (TokenName && (U.Zoho || ByRepo[I])) || llvm::any_of(U.Findings, [&](const Finding &F) {
          // A hard-coded literal is an assignment, not a use of the names in it: another
          // setting with the same name (config.api_key in a second configure block) is
          // not reached through it, nor through that setting read from the environment.
          if (F.RuleId == HC->Id || F.RuleId == HardcodedSettingRule ||
              F.RuleId == ClientConfigKeyRule || F.Begin.Line == Line)
            return false;
          syntax::ByteRange S = findingStatement(U.Model, Builders[I]->lines(), F.Offset);
          return !S.empty() && mentionsName(llvm::StringRef(U.Text).slice(S.Begin, S.End), Var);
        });
        if (!Reaches && D.Constant) {
          auto It = Repo.find(Name);
          bool Unique = It != Repo.end() && llvm::all_of(It->second, [&](const SymbolDef *O) {
                          return O->Value == D.Value;
                        });
          if (Unique)
            for (const auto &[J, St, Prod] : StatementsOfOthers())
              if (J != I && mentionsName(St, Var)) {
                Reaches = true;
                UseProducts.insert(Prod);
              }
        }
        if (!Reaches ||
            llvm::any_of(U.Findings, [&](const Finding &F) {
              return F.RuleId == HC->Id && F.Begin.Line == Line;
            }))
          continue;
        // The literal without its quotes.
        llvm::StringRef Lit = llvm::StringRef(U.Text).slice(LitB, LitE);
        size_t P = Lit.find(D.Value);
        if (P != llvm::StringRef::npos) {
          LitB += P;
          LitE = LitB + D.Value.size();
        }
        if (Builders[I]->suppressed(*HC, Line) ||
            !Builders[I]->passesContext(*HC, LitB, LitE, ByRepo[I] && fileGateOnly(*HC)))
          continue;
        Finding HF = Builders[I]->make(*HC, LitB, LitE);
        // Reached from other files only: the product their requests name, when they agree.
        if (HF.Product.empty() && UseProducts.size() == 1 && !UseProducts.begin()->empty())
          if (const Product *P = Rules.Cat.product(*UseProducts.begin()))
            HF = Builders[I]->make(*HC, LitB, LitE, P);
        U.Findings.push_back(std::move(HF));
      }
    }
  }

  // 6b. Product from a shared token: a finding whose file names no product (and got none
  // from the repository, which names two) takes the product of the other files that hold
  // the same token-shaped literal, when they name exactly one: a script that reads its
  // URLs from a CSV sends the token its sibling sends to Projects.
  {
    static const re2::RE2 Hex32("(?i)\\b([0-9a-f]{32})\\b");
    auto Literals = [&](const Unit &U) {
      std::set<std::string> Out;
      re2::StringPiece In(U.Text);
      std::string Hit;
      while (re2::RE2::FindAndConsume(&In, Hex32, &Hit))
        if (tokenShaped(Hit))
          Out.insert(llvm::StringRef(Hit).lower());
      return Out;
    };
    std::vector<size_t> Open;
    for (size_t I : All)
      if (Units[I].Parsed && Builders[I] &&
          llvm::any_of(Units[I].Findings, [](const Finding &F) { return F.Product.empty(); }))
        Open.push_back(I);
    if (!Open.empty()) {
      std::map<std::string, std::set<std::string>> ByLiteral; // token -> product ids
      for (size_t I : All) {
        std::set<std::string> Prods;
        for (const Finding &F : Units[I].Findings)
          if (!F.Product.empty())
            Prods.insert(F.Product);
        if (Prods.empty())
          continue;
        for (const std::string &L : Literals(Units[I]))
          ByLiteral[L].insert(Prods.begin(), Prods.end());
      }
      for (size_t I : Open) {
        std::set<std::string> Prods;
        for (const std::string &L : Literals(Units[I]))
          if (auto It = ByLiteral.find(L); It != ByLiteral.end())
            Prods.insert(It->second.begin(), It->second.end());
        if (Prods.size() != 1)
          continue;
        const Product *P = Rules.Cat.product(*Prods.begin());
        if (!P)
          continue;
        for (Finding &F : Units[I].Findings) {
          const Rule *R = Rules.find(F.RuleId);
          if (!F.Product.empty() || !R || !R->Product.empty())
            continue;
          Finding G = Builders[I]->make(*R, F.Offset, F.Offset + F.Length, P, llvm::StringRef());
          G.StatementBegin = F.StatementBegin;
          G.StatementEnd = F.StatementEnd;
          F = std::move(G);
        }
      }
    }
  }

  timingPhase("syntax: hard-coded literals");
  // 7. Statements: each finding of a parsed file gets the statement it belongs to; a
  // token-generation flow also spans the statements of its scope that set the e-mail and
  // password it sends.
  std::vector<std::string> ErrorFiles, DeepFiles;
  unsigned TooDeep = 0;
  // The parameters of accounts.zoho.*/apiauthtoken/nb/create (upper case, as Zoho named them).
  static const re2::RE2 CredNameRe("EMAIL_ID|PASSWORD|DISPLAY_NAME|LOGIN_ID|SCOPE");
  static const re2::RE2 CredQueryRe("[?&]((?:EMAIL_ID|PASSWORD|DISPLAY_NAME|LOGIN_ID|SCOPE))=");
  // Each parsed file on its own (in parallel), then the findings collected in file order.
  std::vector<size_t> WithTree;
  for (size_t I : All)
    if (Units[I].Parsed && Builders[I])
      WithTree.push_back(I);
  ForEach(WithTree, [&](size_t I) {
    Unit &U = Units[I];
    const LineIndex &Lines = Builders[I]->lines();
    const Rule *Gen = Active(GenerationRule, Files[I].Lang);
    std::vector<Finding> Credentials;
    std::set<unsigned> FlaggedLines;
    for (const Finding &F : U.Findings)
      if (F.RuleId == GenerationRule)
        FlaggedLines.insert(F.Begin.Line);
    auto Statement = [&](size_t Offset) { return findingStatement(U.Model, Lines, Offset); };
    // Where a generation flow names its credentials: EMAIL_ID / PASSWORD / SCOPE /
    // DISPLAY_NAME as a key ({"EMAIL_ID": e}, 'PASSWORD' => $p), a keyword argument
    // (dict(EMAIL_ID=e)), the key of a put/Add call, a subscript assignment, or a query
    // piece ("&PASSWORD=" + p).
    std::vector<syntax::ByteRange> CredAnchors;
    {
      auto IsCred = [&](llvm::StringRef K) {
        std::string Hit;
        return re2::RE2::FullMatch(re2::StringPiece(K.data(), K.size()), CredNameRe);
      };
      for (const syntax::KeyValue &KV : U.Model.Pairs)
        if (IsCred(KV.Key))
          CredAnchors.push_back(KV.KeyRange);
      for (const syntax::CallSite &Call : U.Model.Calls) {
        for (const syntax::Argument &A : Call.Arguments)
          if (IsCred(A.Keyword))
            CredAnchors.push_back(A.Range);
        if (Call.Arguments.size() >= 2 && Call.Arguments[0].Keyword.empty())
          if (auto V = Res.resolve(U, Call.Arguments[0].Value); V && IsCred(V->Text))
            CredAnchors.push_back(Call.Arguments[0].Value);
      }
      for (const syntax::Assignment &A : U.Model.Assignments)
        if (llvm::StringRef(A.Target).endswith("]") && IsCred(A.Name))
          CredAnchors.push_back(A.TargetRange);
      for (const StringExpr &S : U.Model.Strings)
        for (const syntax::StringPiece &P : S.Pieces) {
          if (!P.IsLiteral)
            continue;
          re2::StringPiece In(P.Value), Hit;
          while (re2::RE2::FindAndConsume(&In, CredQueryRe, &Hit)) {
            // The piece's text is decoded: find the name in the source instead.
            llvm::StringRef Src = llvm::StringRef(U.Text).slice(P.Range.Begin, P.Range.End);
            size_t At = Src.find(llvm::StringRef(Hit.data(), Hit.size()));
            if (At != llvm::StringRef::npos)
              CredAnchors.push_back({static_cast<uint32_t>(P.Range.Begin + At),
                                     static_cast<uint32_t>(P.Range.Begin + At + Hit.size())});
          }
        }
      std::sort(CredAnchors.begin(), CredAnchors.end(),
                [](const syntax::ByteRange &A, const syntax::ByteRange &B) { return A.Begin < B.Begin; });
    }
    for (Finding &F : U.Findings) {
      bool IsGen = F.RuleId == GenerationRule;
      syntax::ByteRange S = Statement(F.Offset);
      if (S.empty() && !IsGen)
        continue;
      uint32_t B = S.empty() ? F.Offset : S.Begin, E = S.empty() ? F.Offset + F.Length : S.End;
      if (IsGen && !CredAnchors.empty()) {
        // The flow: the calls and assignments that send the generation URL — the call
        // holding the anchor, or those naming the variable it is assigned to
        // (`ACCOUNTS = "…"` then `requests.post(ACCOUNTS, data={…})`, `$path =
        // static::AUTH_URL`) — with their function (at module level: the 15 lines
        // around them). The credentials named there are part of it.
        std::vector<std::pair<syntax::ByteRange, std::pair<unsigned, unsigned>>> Windows;
        std::string Var;
        for (const syntax::Assignment &A : U.Model.Assignments)
          if (A.Value.Begin <= F.Offset && F.Offset < A.Value.End)
            Var = lastName(A.Target).str();
        auto AddWindow = [&](syntax::ByteRange Scope, uint32_t At) {
          unsigned CL = Lines.position(At).Line;
          bool FileLevel = Scope.Begin == 0 && Scope.End == U.Text.size();
          unsigned Span = FileLevel ? 15 : 40;
          Windows.push_back({Scope, {CL > Span ? CL - Span : 0, CL + Span}});
        };
        auto NamesVar = [&](syntax::ByteRange R) {
          return !Var.empty() && !R.empty() &&
                 mentionsName(llvm::StringRef(U.Text).slice(R.Begin, R.End), Var);
        };
        for (const syntax::CallSite &Call : U.Model.Calls)
          if ((Call.Range.Begin <= F.Offset && F.Offset < Call.Range.End) ||
              NamesVar(Call.ArgumentList))
            AddWindow(Call.Scope, Call.Range.Begin);
        for (const syntax::Assignment &A : U.Model.Assignments)
          if (!(A.Value.Begin <= F.Offset && F.Offset < A.Value.End) && NamesVar(A.Value))
            AddWindow(A.Scope, A.Range.Begin);
        // The anchor's own statement (or line) always.
        Windows.push_back({{B, E}, {0, ~0u}});
        for (const syntax::ByteRange &R : CredAnchors) {
          unsigned L = Lines.position(R.Begin).Line;
          if (!llvm::any_of(Windows, [&](const auto &W) {
                return W.first.contains(R) && W.second.first <= L && L <= W.second.second;
              }))
            continue;
          B = std::min(B, R.Begin);
          E = std::max(E, R.End);
          // The line that sends the e-mail or password is part of the flow: it is what
          // the fix removes, and the password it names is to be rotated.
          if (Gen && FlaggedLines.insert(L).second && !Builders[I]->suppressed(*Gen, L) &&
              Builders[I]->passesContext(*Gen, R.Begin, R.End, true))
            Credentials.push_back(Builders[I]->make(*Gen, R.Begin, R.End));
        }
      }
      if (IsGen)
        for (const auto &[Tmpl, Flow] : U.GenerationFlows)
          if (Tmpl.Begin <= F.Offset && F.Offset < Tmpl.End)
            for (const syntax::ByteRange &R : Flow) {
              B = std::min(B, R.Begin);
              E = std::max(E, R.End);
            }
      if (B == F.Offset && E == F.Offset + F.Length)
        continue; // no statement, no flow
      F.StatementBegin = Lines.position(B);
      F.StatementEnd = Lines.position(E);
    }
    // A generation request whose URL is not in this file (`url = URLS["auth"]` from a
    // config module, then `requests.post(url, params={…})`): the parameter map itself —
    // Zoho's upper-case EMAIL_ID and PASSWORD together with a SCOPE naming a legacy
    // service scope (`ZohoPC/docsapi`, `ZohoCRM/crmapi`) — is the request. Nothing else
    // sends those three keys, so the map is enough without the endpoint.
    if (Gen) {
      static const re2::RE2 LegacyScopeRe("(?i)^\\s*zoho\\w*/\\w*api\\b.*");
      std::map<std::pair<uint32_t, uint32_t>, std::vector<const syntax::KeyValue *>> Maps;
      for (const syntax::KeyValue &KV : U.Model.Pairs)
        if (!KV.Container.empty())
          Maps[{KV.Container.Begin, KV.Container.End}].push_back(&KV);
      for (const auto &[C, KVs] : Maps) {
        bool Email = false, Password = false, Scope = false;
        for (const syntax::KeyValue *KV : KVs) {
          Email |= KV->Key == "EMAIL_ID";
          Password |= KV->Key == "PASSWORD";
          if (KV->Key == "SCOPE")
            if (auto V = Res.resolve(U, KV->Value))
              Scope |= re2::RE2::FullMatch(V->Text, LegacyScopeRe);
        }
        if (!(Email && Password && Scope))
          continue;
        for (const syntax::KeyValue *KV : KVs) {
          if (!re2::RE2::FullMatch(KV->Key, CredNameRe))
            continue;
          unsigned L = Lines.position(KV->KeyRange.Begin).Line;
          if (FlaggedLines.insert(L).second && !Builders[I]->suppressed(*Gen, L) &&
              Builders[I]->passesContext(*Gen, KV->KeyRange.Begin, KV->KeyRange.End, true))
            Credentials.push_back(Builders[I]->make(*Gen, KV->KeyRange.Begin, KV->KeyRange.End));
        }
      }
    }
    for (Finding &F : Credentials) {
      syntax::ByteRange S = Statement(F.Offset);
      if (!S.empty()) {
        F.StatementBegin = Lines.position(S.Begin);
        F.StatementEnd = Lines.position(S.End);
      }
      U.Findings.push_back(std::move(F));
    }
    Builders[I]->finish(U.Findings);
  });
  for (size_t I : All) {
    Unit &U = Units[I];
    if (!U.Parsed || !Builders[I]) {
      if (U.TooDeep && ++TooDeep <= 5)
        DeepFiles.push_back(Files[I].RelPath);
    } else {
      ++C.Parsed;
      if (U.HasErrors && ++C.WithErrors <= 5)
        ErrorFiles.push_back(Files[I].RelPath);
    }
    for (Finding &F : U.Findings)
      Out.push_back(std::move(F));
  }
  C.Symbols = static_cast<unsigned>(Repo.size());
  if (TooDeep)
    Notes.push_back(fmt::format(
        "syntax front end: {} file{} nested too deeply for it ({}{}); the lexer's findings "
        "are reported for them",
        TooDeep, TooDeep == 1 ? "" : "s", llvm::join(DeepFiles, ", "), TooDeep > DeepFiles.size() ? ", …" : ""));
  if (C.WithErrors)
    Notes.push_back(fmt::format(
        "syntax front end: {} file{} did not parse cleanly ({}{}); their lexer findings are "
        "kept and the syntax detectors ran on the parts that parsed",
        C.WithErrors, C.WithErrors == 1 ? "" : "s", llvm::join(ErrorFiles, ", "),
        C.WithErrors > ErrorFiles.size() ? ", …" : ""));
}

} // namespace atm
