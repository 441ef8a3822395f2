//===- Config.cpp - .authtoken-migrate.yaml --------------------------------===//

#include "gate/Config.h"

#include <algorithm>
#include <set>

#include "core/Yaml.h"
#include "helpers/Helpers.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include "fmt/format.h"

namespace atm::gate {

using llvm::yaml::BlockScalarNode;
using llvm::yaml::KeyValueNode;
using llvm::yaml::MappingNode;
using llvm::yaml::Node;
using llvm::yaml::NullNode;
using llvm::yaml::ScalarNode;
using llvm::yaml::SequenceNode;

char ConfigError::ID = 0;

void ConfigError::log(llvm::raw_ostream &OS) const {
  for (size_t I = 0; I < Diags.size(); ++I)
    OS << (I ? "\n" : "") << Diags[I];
}

Origin Config::origin(llvm::StringRef KeyPath) const {
  auto It = Origins.find(KeyPath.str());
  return It == Origins.end() ? Origin{} : It->second;
}

std::optional<std::optional<Severity>> Config::failOnThreshold() const {
  if (!FailOn)
    return std::nullopt;
  if (*FailOn == "none")
    return std::optional<Severity>();
  return parseSeverity(*FailOn);
}

std::string discoverConfig(llvm::StringRef StartDir) {
  llvm::SmallString<256> Dir(StartDir);
  while (!Dir.empty()) {
    llvm::SmallString<256> Candidate(Dir);
    llvm::sys::path::append(Candidate, ConfigFileName);
    llvm::sys::fs::file_status St;
    if (!llvm::sys::fs::status(Candidate, St) && !llvm::sys::fs::is_directory(St))
      return std::string(Candidate);
    llvm::StringRef Parent = llvm::sys::path::parent_path(Dir);
    if (Parent == Dir || Parent.empty())
      break;
    Dir = Parent;
  }
  return "";
}

std::string defaultNamespace(llvm::StringRef Lang) {
  for (const HelperTemplate &T : helperTemplates())
    if (T.Lang == Lang && T.Path == "NAMESPACE")
      return llvm::StringRef(T.Content).trim().str();
  return "";
}

namespace {

const llvm::StringRef TopKeys[] = {"rules",    "severity", "include",           "exclude",
                                   "as-of",    "fail-on",  "baseline",          "deadline-severity",
                                   "helpers",  "deluge"};
const llvm::StringRef RulesKeys[] = {"enable", "disable"};
const llvm::StringRef DeadlineKeys[] = {"enabled", "warning-days", "error-days"};
const llvm::StringRef HelpersKeys[] = {"namespace"};
const llvm::StringRef DelugeKeys[] = {"connection"};
const llvm::StringRef SeverityNames[] = {"note", "warning", "error", "critical"};
const llvm::StringRef FailOnNames[] = {"none", "note", "warning", "error", "critical"};

std::string joinNames(llvm::ArrayRef<llvm::StringRef> Names) {
  std::string S;
  for (llvm::StringRef N : Names)
    S += (S.empty() ? "" : ", ") + N.str();
  return S;
}

/// A name usable in generated code and config: letters, digits, '_', '.', '-' (and '\\'
/// for PHP namespaces when \p Backslash), starting with a letter or '_'.
bool plainName(llvm::StringRef S, bool Backslash = false) {
  if (S.empty() || !(llvm::isAlpha(S[0]) || S[0] == '_'))
    return false;
  return llvm::all_of(S, [&](char C) {
    return llvm::isAlnum(C) || C == '_' || C == '.' || C == '-' || (Backslash && C == '\\');
  });
}

/// True for a file of blank lines, comments and document markers only.
bool emptyDocument(llvm::StringRef Content) {
  llvm::SmallVector<llvm::StringRef, 32> Lines;
  Content.split(Lines, '\n');
  for (llvm::StringRef L : Lines) {
    L = L.trim();
    if (!L.empty() && !L.startswith("#") && L != "---" && L != "...")
      return false;
  }
  return true;
}

/// "FILE:L:C: msg" (YamlFile's syntax errors) -> "FILE:L:C: error: msg".
std::string asErrorLine(llvm::StringRef Msg, llvm::StringRef File) {
  if (Msg.startswith(File) && Msg.size() > File.size() && Msg[File.size()] == ':') {
    llvm::StringRef Rest = Msg.drop_front(File.size() + 1);
    size_t P = Rest.find(": ");
    if (P != llvm::StringRef::npos && !Rest.take_front(P).empty() &&
        llvm::isDigit(Rest.front()))
      return (File + ":" + Rest.take_front(P) + ": error: " + Rest.drop_front(P + 2)).str();
    return (File + ":1:1: error: " + Rest.trim()).str();
  }
  return ("error: " + Msg).str();
}

struct Parser {
  const YamlFile &F;
  const ConfigSchema &S;
  Config &C;
  std::vector<std::string> Diags;
  std::vector<std::string> RuleIdStore;
  std::vector<llvm::StringRef> RuleIds;
  std::vector<std::string> LangStore;
  std::vector<llvm::StringRef> Langs;

  Parser(const YamlFile &F, const ConfigSchema &S, Config &C) : F(F), S(S), C(C) {
    if (S.Rules)
      for (const Rule &R : S.Rules->Rules)
        RuleIdStore.push_back(R.Id);
    for (const std::string &Id : RuleIdStore)
      RuleIds.push_back(Id);
    LangStore = S.HelperLanguages.empty() ? helperLanguages() : S.HelperLanguages;
    for (const std::string &L : LangStore)
      Langs.push_back(L);
  }

  /// The key whose value is being read: a missing value (`key:` alone) is reported there.
  const Node *CurrentKey = nullptr;

  void err(const Node *N, const llvm::Twine &Msg) {
    if ((!N || llvm::isa<NullNode>(N)) && CurrentKey)
      N = CurrentKey;
    Diags.push_back(llvm::toString(F.error(N, "error: " + Msg)));
  }
  void origin(const std::string &KeyPath, const Node *Key) {
    C.Origins[KeyPath] = Origin{C.File, F.line(Key)};
  }

  static const char *kind(const Node *N) {
    if (!N || llvm::isa<NullNode>(N))
      return "no value";
    if (llvm::isa<MappingNode>(N))
      return "a mapping";
    if (llvm::isa<SequenceNode>(N))
      return "a list";
    return "a scalar";
  }

  std::optional<std::string> scalar(Node *N, llvm::StringRef Key, llvm::StringRef Expect) {
    if (auto *Sc = llvm::dyn_cast_or_null<ScalarNode>(N)) {
      llvm::SmallString<64> Storage;
      return Sc->getValue(Storage).str();
    }
    if (auto *B = llvm::dyn_cast_or_null<BlockScalarNode>(N))
      return B->getValue().str();
    err(N, "'" + Key + "' expects " + Expect + ", got " + kind(N));
    return std::nullopt;
  }

  /// A mapping value; no value (`key:` alone) is an empty mapping.
  MappingNode *mapping(Node *N, llvm::StringRef Key, bool &Ok) {
    Ok = true;
    if (!N || llvm::isa<NullNode>(N))
      return nullptr;
    if (auto *M = llvm::dyn_cast<MappingNode>(N))
      return M;
    err(N, "'" + Key + "' expects a mapping (indented KEY: VALUE lines), got " + kind(N));
    Ok = false;
    return nullptr;
  }

  /// A list of scalars (a single scalar is a list of one; no value is empty).
  std::optional<std::vector<std::pair<std::string, Node *>>> list(Node *N, llvm::StringRef Key,
                                                                  llvm::StringRef Item) {
    std::vector<std::pair<std::string, Node *>> Out;
    if (!N || llvm::isa<NullNode>(N))
      return Out;
    if (auto *Seq = llvm::dyn_cast<SequenceNode>(N)) {
      bool Ok = true;
      for (Node &E : *Seq) {
        auto V = scalar(&E, Key, ("a " + Item).str());
        if (!V) {
          Ok = false;
          continue;
        }
        if (V->empty()) {
          err(&E, "'" + Key + "': empty " + Item);
          Ok = false;
          continue;
        }
        Out.emplace_back(std::move(*V), &E);
      }
      if (!Ok)
        return std::nullopt;
      return Out;
    }
    if (llvm::isa<MappingNode>(N)) {
      err(N, "'" + Key + "' expects a list of " + Item + "s, got a mapping");
      return std::nullopt;
    }
    auto V = scalar(N, Key, ("a list of " + Item + "s").str());
    if (!V)
      return std::nullopt;
    Out.emplace_back(std::move(*V), N);
    return Out;
  }

  /// Iterates \p M once: keys must be scalars, unique and (when \p Known is not empty)
  /// one of \p Known. \p Where is the parent key path for messages ("" at the top).
  template <typename Fn>
  void entries(MappingNode *M, llvm::StringRef Where, llvm::ArrayRef<llvm::StringRef> Known,
               Fn Handle) {
    std::map<std::string, unsigned> Seen;
    for (KeyValueNode &KV : *M) {
      Node *KeyN = KV.getKey();
      auto *KS = llvm::dyn_cast_or_null<ScalarNode>(KeyN);
      if (!KS) {
        err(KeyN, llvm::Twine("expected a plain key") + (Where.empty() ? "" : " in '") + Where +
                      (Where.empty() ? "" : "'"));
        continue;
      }
      llvm::SmallString<64> Storage;
      std::string K = KS->getValue(Storage).str();
      auto [It, New] = Seen.emplace(K, F.line(KeyN));
      if (!New) {
        err(KeyN, "duplicate key '" + K + "' (first at line " + llvm::Twine(It->second) + ")");
        continue;
      }
      if (!Known.empty() && !llvm::is_contained(Known, K)) {
        std::string Hint = didYouMean(K, Known);
        if (Hint.empty())
          Hint = " (" + std::string(Where.empty() ? "keys" : "keys of '" + Where.str() + "'") +
                 ": " + joinNames(Known) + ")";
        err(KeyN, "unknown key '" + K + "'" + (Where.empty() ? "" : " in '" + Where + "'") + Hint);
        continue;
      }
      CurrentKey = KeyN;
      Handle(K, KeyN, KV.getValue());
    }
  }

  bool knownRule(const std::string &Id, Node *N) {
    if (!S.Rules || S.Rules->find(Id))
      return true;
    err(N, "unknown rule id '" + Id + "'" + didYouMean(Id, RuleIds) +
               " (see 'authtoken-migrate rules list')");
    return false;
  }

  std::optional<unsigned> days(Node *N, llvm::StringRef Key) {
    auto V = scalar(N, Key, "a number of days");
    if (!V)
      return std::nullopt;
    unsigned D;
    if (llvm::StringRef(*V).getAsInteger(10, D) || D > 36500) {
      err(N, "'" + Key + "' expects a number of days (0 to 36500), got '" + *V + "'");
      return std::nullopt;
    }
    return D;
  }

  void ruleList(Node *N, llvm::StringRef Key, std::vector<std::string> &Out) {
    auto L = list(N, Key, "rule id");
    if (!L)
      return;
    for (auto &[Id, Item] : *L)
      if (knownRule(Id, Item) && !llvm::is_contained(Out, Id))
        Out.push_back(Id);
  }

  void parse() {
    Node *WarnDaysNode = nullptr, *ErrDaysNode = nullptr;
    entries(F.root(), "", TopKeys, [&](const std::string &K, Node *KeyN, Node *V) {
      if (K == "rules") {
        bool Ok;
        if (MappingNode *M = mapping(V, K, Ok))
          entries(M, "rules", RulesKeys, [&](const std::string &K2, Node *KeyN2, Node *V2) {
            origin("rules." + K2, KeyN2);
            ruleList(V2, "rules." + K2, K2 == "enable" ? C.EnableRules : C.DisableRules);
          });
      } else if (K == "severity") {
        bool Ok;
        if (MappingNode *M = mapping(V, K, Ok))
          entries(M, "severity", {}, [&](const std::string &Id, Node *KeyN2, Node *V2) {
            bool RuleOk = knownRule(Id, KeyN2);
            auto Sv = scalar(V2, "severity." + Id, "a severity (" + joinNames(SeverityNames) + ")");
            if (!Sv)
              return;
            auto Sev = parseSeverity(*Sv);
            if (!Sev) {
              err(V2, "unknown severity '" + *Sv + "'" + didYouMean(*Sv, SeverityNames) +
                          " (" + joinNames(SeverityNames) + ")");
              return;
            }
            if (RuleOk) {
              C.SeverityOverrides[Id] = *Sev;
              origin("severity." + Id, KeyN2);
            }
          });
        origin("severity", KeyN);
      } else if (K == "include" || K == "exclude") {
        auto L = list(V, K, "glob");
        if (L) {
          std::vector<std::string> &Out = K == "include" ? C.Include : C.Exclude;
          for (auto &[G, Item] : *L)
            Out.push_back(G);
          origin(K, KeyN);
        }
      } else if (K == "as-of") {
        if (auto Sv = scalar(V, K, "a date YYYY-MM-DD")) {
          if (auto D = Date::parse(llvm::StringRef(*Sv).trim())) {
            C.AsOf = *D;
            origin(K, KeyN);
          } else {
            err(V, "'as-of' expects a date YYYY-MM-DD, got '" + *Sv + "'");
          }
        }
      } else if (K == "fail-on") {
        if (auto Sv = scalar(V, K, "a level (" + joinNames(FailOnNames) + ")")) {
          if (llvm::is_contained(FailOnNames, *Sv)) {
            C.FailOn = *Sv;
            origin(K, KeyN);
          } else {
            err(V, "unknown fail-on level '" + *Sv + "'" + didYouMean(*Sv, FailOnNames) + " (" +
                       joinNames(FailOnNames) + ")");
          }
        }
      } else if (K == "baseline") {
        if (!V || llvm::isa<NullNode>(V)) // `baseline:` alone: none
          return;
        if (auto Sv = scalar(V, K, "a path (relative to the config file's directory)")) {
          if (Sv->empty()) {
            err(V, "'baseline' expects a path, got an empty string");
            return;
          }
          llvm::SmallString<256> P;
          if (llvm::sys::path::is_absolute(*Sv)) {
            P = *Sv;
          } else {
            P = C.Dir;
            llvm::sys::path::append(P, *Sv);
          }
          llvm::sys::path::remove_dots(P, /*remove_dot_dot=*/true);
          C.Baseline = std::string(P);
          C.BaselineAsWritten = *Sv;
          origin(K, KeyN);
        }
      } else if (K == "deadline-severity") {
        bool Ok;
        if (MappingNode *M = mapping(V, K, Ok))
          entries(M, "deadline-severity", DeadlineKeys,
                  [&](const std::string &K2, Node *KeyN2, Node *V2) {
                    std::string Path = "deadline-severity." + K2;
                    if (K2 == "enabled") {
                      auto Sv = scalar(V2, Path, "true or false");
                      if (!Sv)
                        return;
                      if (*Sv != "true" && *Sv != "false") {
                        err(V2, "'" + Path + "' expects true or false, got '" + *Sv + "'");
                        return;
                      }
                      C.Deadline.Enabled = *Sv == "true";
                    } else {
                      auto D = days(V2, Path);
                      if (!D)
                        return;
                      (K2 == "warning-days" ? C.Deadline.WarningDays : C.Deadline.ErrorDays) = *D;
                      (K2 == "warning-days" ? WarnDaysNode : ErrDaysNode) = V2;
                    }
                    origin(Path, KeyN2);
                  });
      } else if (K == "helpers") {
        bool Ok;
        if (MappingNode *M = mapping(V, K, Ok))
          entries(M, "helpers", HelpersKeys, [&](const std::string &, Node *, Node *V2) {
            bool Ok2;
            if (MappingNode *NS = mapping(V2, "helpers.namespace", Ok2))
              entries(NS, "helpers.namespace", {}, [&](const std::string &Lang, Node *LangN, Node *V3) {
                if (!llvm::is_contained(Langs, Lang)) {
                  err(LangN, "unknown helper language '" + Lang + "'" + didYouMean(Lang, Langs) +
                                 " (see 'authtoken-migrate helper --list')");
                  return;
                }
                std::string Path = "helpers.namespace." + Lang;
                auto Sv = scalar(V3, Path, "a namespace name");
                if (!Sv)
                  return;
                if (!plainName(*Sv, /*Backslash=*/true)) {
                  err(V3, "'" + Path + "' expects a name of letters, digits, '_', '.', '-' or "
                                       "'\\', got '" + *Sv + "'");
                  return;
                }
                C.Namespaces[Lang] = *Sv;
                origin(Path, LangN);
              });
          });
      } else if (K == "deluge") {
        bool Ok;
        if (MappingNode *M = mapping(V, K, Ok))
          entries(M, "deluge", DelugeKeys, [&](const std::string &, Node *KeyN2, Node *V2) {
            auto Sv = scalar(V2, "deluge.connection", "a connection name");
            if (!Sv)
              return;
            if (!plainName(*Sv)) {
              err(V2, "'deluge.connection' expects a name of letters, digits, '_', '.' or '-', got '" +
                          *Sv + "'");
              return;
            }
            C.DelugeConnection = *Sv;
            origin("deluge.connection", KeyN2);
          });
      }
    });
    if (C.Deadline.ErrorDays > C.Deadline.WarningDays)
      err(ErrDaysNode ? ErrDaysNode : WarnDaysNode,
          "'deadline-severity.error-days' (" + llvm::Twine(C.Deadline.ErrorDays) +
              ") must not be larger than 'warning-days' (" + llvm::Twine(C.Deadline.WarningDays) +
              ")");
  }
};

} // namespace

llvm::Expected<Config> parseConfig(llvm::StringRef Content, llvm::StringRef DisplayPath,
                                   llvm::StringRef Dir, const ConfigSchema &Schema) {
  Config C;
  C.File = DisplayPath.str();
  C.Dir = Dir.str();
  if (emptyDocument(Content))
    return C;
  auto FOr = YamlFile::parse(Content, DisplayPath);
  if (!FOr)
    return llvm::make_error<ConfigError>(
        DisplayPath.str(),
        std::vector<std::string>{asErrorLine(llvm::toString(FOr.takeError()), DisplayPath)});
  Parser P(**FOr, Schema, C);
  P.parse();
  if (!P.Diags.empty())
    return llvm::make_error<ConfigError>(DisplayPath.str(), std::move(P.Diags));
  return C;
}

llvm::Expected<Config> loadConfig(llvm::StringRef Path, llvm::StringRef DisplayPath,
                                  const ConfigSchema &Schema) {
  llvm::sys::fs::file_status St;
  if (std::error_code EC = llvm::sys::fs::status(Path, St))
    return llvm::createStringError(EC, "%s: cannot read the configuration file: %s",
                                   DisplayPath.str().c_str(), EC.message().c_str());
  if (!llvm::sys::fs::is_regular_file(St))
    return llvm::createStringError(std::errc::invalid_argument,
                                   "%s: the configuration file is not a regular file",
                                   DisplayPath.str().c_str());
  auto Buf = llvm::MemoryBuffer::getFile(Path, /*IsText=*/true);
  if (!Buf)
    return llvm::createStringError(Buf.getError(), "%s: cannot read the configuration file: %s",
                                   DisplayPath.str().c_str(), Buf.getError().message().c_str());
  llvm::SmallString<256> Abs(Path);
  llvm::sys::fs::make_absolute(Abs);
  llvm::SmallString<256> Real;
  if (!llvm::sys::fs::real_path(Abs, Real))
    Abs = Real;
  llvm::StringRef Dir = llvm::sys::path::parent_path(Abs);
  return parseConfig((*Buf)->getBuffer(), DisplayPath, Dir, Schema);
}

Severity deadlineSeverity(Severity Current, const Date &Cutoff, const Date &AsOf,
                          const DeadlinePolicy &P) {
  if (Current == Severity::Critical)
    return Current;
  int64_t Days = Cutoff.toDays() - AsOf.toDays();
  if (Days <= static_cast<int64_t>(P.ErrorDays))
    return Severity::Error;
  if (Days <= static_cast<int64_t>(P.WarningDays))
    return Severity::Warning;
  return Severity::Note;
}

namespace {
/// Every rule is disabled: an OnlyRules entry that names no rule.
constexpr llvm::StringLiteral NoRule = "(every rule is disabled in the configuration file)";
} // namespace

void applyToOptions(Config &C, RuleSet &Rules, const FlagsGiven &Given, ScanOptions &Opts) {
  if (!Given.AsOf && C.AsOf)
    Opts.Engine.AsOf = *C.AsOf;
  if (!Given.Include && !C.Include.empty())
    Opts.Discover.Include = C.Include;
  if (!Given.Exclude && !C.Exclude.empty())
    Opts.Discover.Exclude = C.Exclude;
  if (Given.Rule) {
    C.EnableRules.clear();
    C.DisableRules.clear();
  } else if (!C.EnableRules.empty() || !C.DisableRules.empty()) {
    std::vector<std::string> On;
    if (!C.EnableRules.empty())
      On = C.EnableRules;
    else
      for (const Rule &R : Rules.Rules)
        On.push_back(R.Id);
    llvm::erase_if(On, [&](const std::string &Id) { return llvm::is_contained(C.DisableRules, Id); });
    if (On.empty())
      On.push_back(NoRule.str());
    Opts.Engine.OnlyRules = std::move(On);
  }
  for (Rule &R : Rules.Rules) {
    auto It = C.SeverityOverrides.find(R.Id);
    if (It != C.SeverityOverrides.end())
      R.Sev = It->second;
  }
}

void applyConfig(ScanResult &R, const Config &C, const Date &AsOf) {
  if (!C.DisableRules.empty()) {
    size_t Before = R.Findings.size();
    llvm::erase_if(R.Findings, [&](const Finding &F) {
      return llvm::is_contained(C.DisableRules, F.RuleId);
    });
    R.Stats.DisabledByConfig += Before - R.Findings.size();
  }
  for (Finding &F : R.Findings) {
    auto It = C.SeverityOverrides.find(F.RuleId);
    if (It != C.SeverityOverrides.end()) {
      F.Sev = It->second;
      continue;
    }
    if (!C.Deadline.Enabled || F.Cutoff.empty())
      continue;
    if (auto Cut = Date::parse(F.Cutoff))
      F.Sev = deadlineSeverity(F.Sev, *Cut, AsOf, C.Deadline);
  }
}

namespace {

std::string yamlScalar(llvm::StringRef S) {
  static const llvm::StringRef Reserved[] = {"true", "false", "null", "yes", "no",
                                             "on",   "off",   "~",    "y",   "n"};
  bool Plain = !S.empty() && (llvm::isAlnum(S[0]) || S[0] == '_' || S[0] == '.' || S[0] == '/') &&
               llvm::all_of(S, [](char Ch) {
                 return llvm::isAlnum(Ch) || Ch == '_' || Ch == '.' || Ch == '/' || Ch == '-';
               }) &&
               !llvm::is_contained(Reserved, S.lower());
  if (Plain)
    return S.str();
  std::string Out = "'";
  for (char Ch : S) {
    Out += Ch;
    if (Ch == '\'')
      Out += '\'';
  }
  return Out + "'";
}

std::string flowList(const std::vector<std::string> &L) {
  std::string S = "[";
  for (size_t I = 0; I < L.size(); ++I)
    S += (I ? ", " : "") + yamlScalar(L[I]);
  return S + "]";
}

} // namespace

std::string dumpConfig(const Config &C, const Date &Today) {
  std::string Out;
  auto Line = [&](unsigned Indent, llvm::StringRef Key, llvm::StringRef Value,
                  llvm::StringRef KeyPath, llvm::StringRef DefaultNote = "") {
    Origin O = C.origin(KeyPath);
    std::string Comment = O.isDefault()
                              ? "default" + (DefaultNote.empty() ? std::string() : ": " + DefaultNote.str())
                              : fmt::format("from {}:{}", O.File, O.Line);
    Out += fmt::format("{}{}:{}{}  # {}\n", std::string(Indent, ' '), Key.str(),
                       Value.empty() ? "" : " ", Value.str(), Comment);
  };
  Out += "# authtoken-migrate: the effective configuration\n";
  if (C.File.empty())
    Out += "# no configuration file: every value is the default\n";
  else
    Out += "# file: " + C.File + "\n";
  Out += "rules:\n";
  Line(2, "enable", flowList(C.EnableRules), "rules.enable", "every rule");
  Line(2, "disable", flowList(C.DisableRules), "rules.disable", "none");
  if (C.SeverityOverrides.empty()) {
    Line(0, "severity", "{}", "severity", "each rule's own severity");
  } else {
    Out += "severity:\n";
    for (const auto &[Id, Sev] : C.SeverityOverrides)
      Line(2, yamlScalar(Id), severityName(Sev), "severity." + Id);
  }
  Line(0, "include", flowList(C.Include), "include", "every file");
  Line(0, "exclude", flowList(C.Exclude), "exclude", "none");
  Line(0, "as-of", (C.AsOf ? *C.AsOf : Today).str(), "as-of", "today (UTC)");
  Line(0, "fail-on", C.FailOn ? *C.FailOn : "warning", "fail-on");
  Line(0, "baseline", C.Baseline ? yamlScalar(*C.Baseline) : "", "baseline", "none");
  Out += "deadline-severity:\n";
  Line(2, "enabled", C.Deadline.Enabled ? "true" : "false", "deadline-severity.enabled");
  Line(2, "warning-days", std::to_string(C.Deadline.WarningDays), "deadline-severity.warning-days");
  Line(2, "error-days", std::to_string(C.Deadline.ErrorDays), "deadline-severity.error-days");
  Out += "helpers:\n  namespace:\n";
  std::set<std::string> Langs;
  for (const std::string &L : helperLanguages())
    Langs.insert(L);
  for (const auto &KV : C.Namespaces)
    Langs.insert(KV.first);
  for (const std::string &L : Langs) {
    auto It = C.Namespaces.find(L);
    Line(4, L, yamlScalar(It != C.Namespaces.end() ? It->second : defaultNamespace(L)),
         "helpers.namespace." + L);
  }
  Out += "deluge:\n";
  Line(2, "connection",
       yamlScalar(C.DelugeConnection ? *C.DelugeConnection : defaultNamespace("deluge")),
       "deluge.connection", "the Deluge helper's name");
  return Out;
}

} // namespace atm::gate
