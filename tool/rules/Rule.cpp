#include "rules/Rule.h"

#include <algorithm>
#include <map>
#include <optional>

#include "core/Yaml.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Parallel.h"
#include "llvm/Support/Path.h"
#include "re2/re2.h"

namespace atm {

using llvm::yaml::KeyValueNode;
using llvm::yaml::MappingNode;
using llvm::yaml::SequenceNode;

bool Rule::appliesTo(Language L) const { return llvm::is_contained(Languages, L); }

const Rule *RuleSet::find(llvm::StringRef Id) const {
  for (const Rule &R : Rules)
    if (R.Id == Id)
      return &R;
  return nullptr;
}

namespace {

const llvm::StringRef RuleKeys[] = {
    "id",       "title",   "message", "severity", "languages", "applies-in",
    "patterns", "prefilter", "context", "value-check", "anchor-reject", "string-anchor", "product", "fix",
    "help",     "help-uri", "tags", "detector", "syntax", "syntax-keys"};

std::vector<Language> allLanguages() {
  std::vector<Language> Out;
  for (unsigned I = 0; I < static_cast<unsigned>(Language::Unknown); ++I)
    Out.push_back(static_cast<Language>(I));
  return Out;
}

/// Expands a language list: names, the groups all/code/config/docs, and !name to remove.
/// No group holds `generic` (files of no known language, lexed by a guess): a rule runs
/// on them only when it names `generic`, after its patterns were checked against that
/// lexer.
llvm::Error expandLanguages(const YamlFile &F, llvm::yaml::Node *N,
                            std::vector<Language> &Out) {
  auto Names = F.scalarList(N);
  if (!Names)
    return Names.takeError();
  std::vector<llvm::StringRef> Known = {"all", "code", "config", "docs"};
  std::vector<std::string> KnownStore;
  for (Language L : allLanguages())
    KnownStore.push_back(languageName(L).str());
  for (const std::string &S : KnownStore)
    Known.push_back(S);
  for (llvm::StringRef Name : *Names) {
    bool Remove = Name.consume_front("!");
    std::vector<Language> Sel;
    if (Name == "all") {
      for (Language L : allLanguages())
        if (L != Language::Generic)
          Sel.push_back(L);
    } else if (Name == "code" || Name == "config" || Name == "docs") {
      for (Language L : allLanguages()) {
        if (L == Language::Generic)
          continue;
        bool Cfg = isConfigLanguage(L), Doc = isDocLanguage(L);
        if ((Name == "config" && Cfg) || (Name == "docs" && Doc) ||
            (Name == "code" && !Cfg && !Doc))
          Sel.push_back(L);
      }
    } else if (auto L = parseLanguage(Name)) {
      Sel.push_back(*L);
    } else {
      return F.error(N, "unknown language '" + Name + "'" + didYouMean(Name, Known));
    }
    for (Language L : Sel) {
      auto It = llvm::find(Out, L);
      if (Remove && It != Out.end())
        Out.erase(It);
      else if (!Remove && It == Out.end())
        Out.push_back(L);
    }
  }
  return llvm::Error::success();
}

/// RE2 matches in time linear in the text but proportional to the compiled program
/// (where the DFA gives up, its NFA runs every state per byte): `(\w+\s*){1000}` compiles
/// to 10,000 instructions and takes a minute on 512 KB, and past the memory budget RE2
/// silently misses matches. Rule patterns are therefore capped; the largest built-in
/// pattern has 358 instructions.
constexpr int MaxProgramSize = 1000;
constexpr int64_t MaxRegexMemory = 8 << 20;

llvm::Expected<std::shared_ptr<RE2>> compile(const YamlFile &F, llvm::yaml::Node *N,
                                             const std::string &Pattern) {
  RE2::Options O;
  O.set_log_errors(false);
  O.set_max_mem(MaxRegexMemory);
  auto Re = std::make_shared<RE2>(Pattern, O);
  if (!Re->ok() && Re->error_code() == RE2::ErrorPatternTooLarge)
    return F.error(N, "pattern too large/complex (over RE2's " +
                          llvm::Twine(MaxRegexMemory >> 20) +
                          " MiB budget); split it or bound its repetitions");
  if (!Re->ok())
    return F.error(N, "invalid RE2 pattern: " + Re->error() +
                          " (RE2 has no look-around or backreferences)");
  int Size = std::max(Re->ProgramSize(), Re->ReverseProgramSize());
  if (Size > MaxProgramSize)
    return F.error(N, "pattern too large/complex (" + llvm::Twine(Size) +
                          " RE2 instructions, at most " + llvm::Twine(MaxProgramSize) +
                          "); large counted repetitions such as {100} are the usual cause: "
                          "use + or * or a smaller count");
  return Re;
}

} // namespace

std::string ContextCheck::windowName() const {
  if (Window == FileWindow)
    return "file";
  if (Window == SectionWindow)
    return "section";
  if (Window == PathWindow)
    return "path";
  return std::to_string(Window);
}

namespace {

llvm::Error readContextList(const YamlFile &F, llvm::yaml::Node *N,
                            std::vector<ContextCheck> &Out) {
  auto *Seq = llvm::dyn_cast_or_null<SequenceNode>(N);
  if (!Seq)
    return F.error(N, "expected a list of patterns or {pattern, window} mappings");
  for (llvm::yaml::Node &Item : *Seq) {
    ContextCheck C;
    llvm::yaml::Node *PatNode = &Item;
    if (auto *M = llvm::dyn_cast<MappingNode>(&Item)) {
      PatNode = nullptr;
      for (KeyValueNode &KV : *M) {
        auto K = F.key(KV);
        if (!K)
          return K.takeError();
        if (*K == "pattern") {
          PatNode = KV.getValue();
        } else if (*K == "window") {
          auto V = F.scalar(KV.getValue());
          if (!V)
            return V.takeError();
          if (*V == "file")
            C.Window = ContextCheck::FileWindow;
          else if (*V == "section")
            C.Window = ContextCheck::SectionWindow;
          else if (*V == "path")
            C.Window = ContextCheck::PathWindow;
          else if (llvm::StringRef(*V).getAsInteger(10, C.Window) || C.Window < 0)
            return F.error(KV.getValue(),
                           "window must be a number of lines, 'section', 'file' or 'path'");
        } else {
          return F.error(KV.getKey(), "unknown key '" + *K + "'" +
                                          didYouMean(*K, {"pattern", "window"}));
        }
      }
      if (!PatNode)
        return F.error(&Item, "a context check needs a 'pattern'");
    }
    auto P = F.scalar(PatNode);
    if (!P)
      return P.takeError();
    auto Re = compile(F, PatNode, *P);
    if (!Re)
      return Re.takeError();
    C.Re = std::move(*Re);
    C.Source = *P;
    Out.push_back(std::move(C));
  }
  return llvm::Error::success();
}

} // namespace

llvm::Expected<Rule> parseRule(const RuleSource &Src) {
  auto FOr = YamlFile::parse(Src.Content, Src.Path);
  if (!FOr)
    return FOr.takeError();
  const YamlFile &F = **FOr;
  Rule R;
  R.File = Src.Path;
  bool HaveLang = false, HaveIn = false;
  for (KeyValueNode &KV : *F.root()) {
    auto KOr = F.key(KV);
    if (!KOr)
      return KOr.takeError();
    llvm::StringRef K = *KOr;
    llvm::yaml::Node *V = KV.getValue();
    if (!llvm::is_contained(RuleKeys, K))
      return F.error(KV.getKey(), "unknown key '" + K + "'" + didYouMean(K, RuleKeys));
    if (K == "languages") {
      if (auto E = expandLanguages(F, V, R.Languages))
        return std::move(E);
      HaveLang = true;
    } else if (K == "applies-in") {
      auto L = F.scalarList(V);
      if (!L)
        return L.takeError();
      for (const std::string &S : *L) {
        SpanKind SK;
        if (!parseSpanKind(S, SK))
          return F.error(V, "unknown span kind '" + S + "'" +
                                didYouMean(S, {"code", "string", "comment", "config-key",
                                               "config-value", "text"}));
        R.AppliesIn.push_back(SK);
      }
      HaveIn = true;
    } else if (K == "patterns") {
      auto *Seq = llvm::dyn_cast_or_null<SequenceNode>(V);
      if (!Seq)
        return F.error(V, "'patterns' must be a list of RE2 patterns");
      for (llvm::yaml::Node &P : *Seq) {
        auto S = F.scalar(&P);
        if (!S)
          return S.takeError();
        auto Re = compile(F, &P, *S);
        if (!Re)
          return Re.takeError();
        R.Patterns.push_back(std::move(*Re));
        R.PatternSources.push_back(*S);
      }
    } else if (K == "prefilter") {
      auto L = F.scalarList(V);
      if (!L)
        return L.takeError();
      for (std::string &S : *L) {
        if (S.empty())
          return F.error(V, "prefilter literals must not be empty");
        R.Prefilter.push_back(llvm::StringRef(S).lower());
      }
    } else if (K == "context") {
      auto *M = llvm::dyn_cast_or_null<MappingNode>(V);
      if (!M)
        return F.error(V, "'context' must be a mapping with require-any / require-all / reject");
      for (KeyValueNode &CKV : *M) {
        auto CK = F.key(CKV);
        if (!CK)
          return CK.takeError();
        if (*CK == "require-any") {
          if (auto E = readContextList(F, CKV.getValue(), R.RequireAny))
            return std::move(E);
        } else if (*CK == "require-all") {
          if (auto E = readContextList(F, CKV.getValue(), R.RequireAll))
            return std::move(E);
        } else if (*CK == "reject") {
          if (auto E = readContextList(F, CKV.getValue(), R.Reject))
            return std::move(E);
        } else {
          return F.error(CKV.getKey(), "unknown key '" + *CK + "'" +
                                           didYouMean(*CK, {"require-any", "require-all", "reject"}));
        }
      }
    } else if (K == "tags") {
      auto L = F.scalarList(V);
      if (!L)
        return L.takeError();
      R.Tags = std::move(*L);
    } else if (K == "syntax-keys") {
      auto L = F.scalarList(V);
      if (!L)
        return L.takeError();
      R.SyntaxKeys.clear();
      for (const std::string &S : *L)
        R.SyntaxKeys.push_back(llvm::StringRef(S).lower());
    } else if (K == "syntax") {
      auto *Seq = llvm::dyn_cast_or_null<SequenceNode>(V);
      if (!Seq)
        return F.error(V, "'syntax' must be a list of {grammars: […], query: …}");
      for (llvm::yaml::Node &Item : *Seq) {
        auto *M = llvm::dyn_cast<MappingNode>(&Item);
        if (!M)
          return F.error(&Item, "a syntax entry must be a mapping with 'grammars' and 'query'");
        SyntaxQuerySpec Q;
        for (KeyValueNode &QKV : *M) {
          auto QK = F.key(QKV);
          if (!QK)
            return QK.takeError();
          if (*QK == "grammars" || *QK == "grammar") {
            auto L = F.scalarList(QKV.getValue()); // a list, or one name
            if (!L)
              return L.takeError();
            Q.Grammars = std::move(*L);
          } else if (*QK == "query") {
            auto S = F.scalar(QKV.getValue());
            if (!S)
              return S.takeError();
            Q.Source = *S;
            Q.Line = F.line(QKV.getValue());
          } else {
            return F.error(QKV.getKey(), "unknown key '" + *QK + "'" +
                                             didYouMean(*QK, {"grammars", "query"}));
          }
        }
        if (Q.Grammars.empty() || Q.Source.empty())
          return F.error(&Item, "a syntax entry needs 'grammars' and 'query'");
        R.SyntaxQueries.push_back(std::move(Q));
      }
    } else {
      auto S = F.scalar(V);
      if (!S)
        return S.takeError();
      if (K == "id")
        R.Id = *S;
      else if (K == "title")
        R.Title = *S;
      else if (K == "message")
        R.Message = *S;
      else if (K == "severity") {
        auto Sev = parseSeverity(*S);
        if (!Sev)
          return F.error(V, "unknown severity '" + *S + "'" +
                                didYouMean(*S, {"note", "warning", "error", "critical"}));
        R.Sev = *Sev;
      } else if (K == "string-anchor") {
        if (*S != "key" && *S != "any")
          return F.error(V, "string-anchor must be 'key' or 'any'" + didYouMean(*S, {"key", "any"}));
        R.StringAnchorIsKey = *S == "key";
      } else if (K == "anchor-reject") {
        auto Re = compile(F, V, *S);
        if (!Re)
          return Re.takeError();
        R.AnchorReject = std::move(*Re);
      } else if (K == "value-check") {
        if (*S != "mixed-alnum" && *S != "none")
          return F.error(V, "value-check must be 'mixed-alnum' or 'none'");
        R.RequireMixedAlnum = *S == "mixed-alnum";
      } else if (K == "product")
        R.Product = *S;
      else if (K == "fix")
        R.FixKind = *S;
      else if (K == "help")
        R.Help = llvm::StringRef(*S).trim().str();
      else if (K == "help-uri")
        R.HelpUri = *S;
      else if (K == "detector") {
        static const char *const Known[] = {"url", "param", "header", "generation",
                                            "hardcoded"};
        if (std::find(std::begin(Known), std::end(Known), *S) == std::end(Known))
          return F.error(V, "unknown detector '" + *S + "'" +
                                didYouMean(*S, {"url", "param", "header", "generation",
                                                "hardcoded"}));
        R.Detector = *S;
      }
    }
  }
  auto Missing = [&](llvm::StringRef What) {
    return F.error(F.root(), "rule is missing required key '" + What + "'");
  };
  if (R.Id.empty())
    return Missing("id");
  if (R.Message.empty())
    return Missing("message");
  if (!HaveLang)
    return Missing("languages");
  // Detector rules are found by native code; everything else needs its regex parts.
  if (R.Detector.empty()) {
    if (R.Patterns.empty() && R.SyntaxQueries.empty())
      return Missing("patterns");
    if (!HaveIn)
      return Missing("applies-in");
    if (R.Prefilter.empty())
      return Missing("prefilter");
  } else if (!R.Patterns.empty()) {
    return F.error(F.root(), "a rule with a 'detector' takes no 'patterns'");
  }
  for (char C : R.Id)
    if (!(llvm::isAlnum(C) || C == '-') || (C >= 'A' && C <= 'Z'))
      return F.error(F.root(), "rule id '" + R.Id + "' must be kebab-case (a-z, 0-9, -)");
  llvm::StringRef Stem = llvm::sys::path::stem(Src.Path);
  if (Stem != R.Id)
    return F.error(F.root(), "rule id '" + R.Id + "' must equal the file name stem '" +
                                 Stem + "'");
  if (R.Title.empty())
    R.Title = R.Message;
  // Every prefilter literal must be able to gate the patterns: if a pattern can match
  // without any literal, files would be skipped wrongly. We cannot prove that for
  // arbitrary regexes, so the rules README asks authors to keep them in sync and the
  // fixture tests catch mistakes.
  return std::move(R);
}

llvm::Expected<std::vector<RuleSource>>
readRuleDirs(llvm::ArrayRef<std::string> Dirs) {
  std::vector<RuleSource> Out;
  for (const std::string &Dir : Dirs) {
    bool IsDir = false;
    if (llvm::sys::fs::is_directory(Dir, IsDir) || !IsDir)
      return llvm::createStringError(std::errc::not_a_directory,
                                     "%s: --rules expects a directory of *.yaml rules",
                                     Dir.c_str());
    std::error_code EC;
    std::vector<std::string> Files;
    for (llvm::sys::fs::recursive_directory_iterator It(Dir, EC), End;
         It != End && !EC; It.increment(EC)) {
      llvm::StringRef P = It->path();
      if (P.endswith(".yaml") || P.endswith(".yml"))
        Files.push_back(P.str());
    }
    if (EC)
      return llvm::createStringError(EC, "%s: cannot list rules: %s", Dir.c_str(),
                                     EC.message().c_str());
    std::sort(Files.begin(), Files.end());
    for (const std::string &P : Files) {
      auto Buf = llvm::MemoryBuffer::getFile(P, /*IsText=*/true);
      if (!Buf)
        return llvm::createStringError(Buf.getError(), "%s: cannot read: %s", P.c_str(),
                                       Buf.getError().message().c_str());
      Out.push_back({P, (*Buf)->getBuffer().str()});
    }
  }
  return Out;
}

bool isFixRecipeFile(llvm::StringRef Content) {
  // A top-level `recipes-for:` key, at the start of a line.
  for (size_t P = 0; (P = Content.find("recipes-for:", P)) != llvm::StringRef::npos; ++P)
    if (P == 0 || Content[P - 1] == '\n')
      return true;
  return false;
}

llvm::Expected<RuleSet> buildRuleSet(std::vector<RuleSource> Sources) {
  RuleSet RS;
  const RuleSource *CatalogSrc = nullptr, *ScopesSrc = nullptr;
  auto IsData = [](const RuleSource &S, llvm::StringRef Name) {
    llvm::SmallString<128> Norm(S.Path);
    llvm::sys::path::native(Norm, llvm::sys::path::Style::posix);
    return llvm::StringRef(Norm).endswith(Name);
  };
  for (const RuleSource &S : Sources) {
    if (IsData(S, "catalog/products.yaml"))
      CatalogSrc = &S;
    if (IsData(S, "catalog/scopes.yaml"))
      ScopesSrc = &S;
  }
  if (!CatalogSrc)
    return llvm::createStringError(std::errc::invalid_argument,
                                   "no catalog/products.yaml among the rule files");
  auto Cat = Catalog::parse(CatalogSrc->Content, CatalogSrc->Path);
  if (!Cat)
    return Cat.takeError();
  RS.Cat = std::move(*Cat);
  if (ScopesSrc) {
    std::vector<std::string> Ids;
    for (const Product &P : RS.Cat.products())
      Ids.push_back(P.Id);
    auto Scopes = ScopeCatalog::parse(ScopesSrc->Content, ScopesSrc->Path, Ids);
    if (!Scopes)
      return Scopes.takeError();
    RS.Scopes = std::move(*Scopes);
  }
  // Parsed in parallel (compiling the rules' RE2 programs is most of a small scan's
  // start-up), then taken in file order: the first bad file is the one reported.
  std::vector<std::optional<llvm::Expected<Rule>>> Parsed(Sources.size());
  llvm::parallelForEachN(0, Sources.size(), [&](size_t I) {
    const RuleSource &S = Sources[I];
    if (&S == CatalogSrc || IsData(S, "catalog/products.yaml") ||
        IsData(S, "catalog/scopes.yaml"))
      return;
    // rules/fix/ holds the fix recipes (tool/fix/Recipe.h), not rules.
    if (isFixRecipeFile(S.Content))
      return;
    Parsed[I].emplace(parseRule(S));
  });
  std::vector<std::optional<Rule>> Good(Sources.size());
  llvm::Error FirstErr = llvm::Error::success();
  for (size_t I = 0; I < Sources.size(); ++I) {
    if (!Parsed[I])
      continue;
    if (*Parsed[I])
      Good[I] = std::move(**Parsed[I]);
    else if (FirstErr)
      llvm::consumeError(Parsed[I]->takeError());
    else
      FirstErr = Parsed[I]->takeError();
  }
  Parsed.clear();
  if (FirstErr)
    return std::move(FirstErr);
  std::map<std::string, size_t> Index;
  std::map<std::string, std::string> DefinedIn; // rule id -> file
  for (size_t I = 0; I < Sources.size(); ++I) {
    if (!Good[I])
      continue;
    const RuleSource &S = Sources[I];
    std::optional<Rule> &R = Good[I];
    if (!R->Product.empty() && !RS.Cat.product(R->Product))
      return llvm::createStringError(std::errc::invalid_argument,
                                     "%s: unknown product '%s' (see catalog/products.yaml)",
                                     S.Path.c_str(), R->Product.c_str());
    auto It = Index.find(R->Id);
    if (It != Index.end()) {
      // User rules replace built-ins of the same id; two user files (in one --rules
      // directory or several) with one id are a mistake, not an override.
      const std::string &Prev = DefinedIn[R->Id];
      if (!llvm::StringRef(Prev).startswith("<builtin>/") ||
          llvm::StringRef(S.Path).startswith("<builtin>/"))
        return llvm::createStringError(
            std::errc::invalid_argument,
            "%s: rule id '%s' is already defined in %s (rule ids must be unique; rename "
            "or remove one of the two files)",
            S.Path.c_str(), R->Id.c_str(), Prev.c_str());
      DefinedIn[R->Id] = S.Path;
      RS.Rules[It->second] = std::move(*R);
      continue;
    }
    DefinedIn[R->Id] = S.Path;
    Index[R->Id] = RS.Rules.size();
    RS.Rules.push_back(std::move(*R));
  }
  std::sort(RS.Rules.begin(), RS.Rules.end(),
            [](const Rule &A, const Rule &B) { return A.Id < B.Id; });
  return std::move(RS);
}

} // namespace atm
