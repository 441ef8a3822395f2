//===- ConfigFixer.cpp - authtoken settings of config files -> OAuth -------===//
//
// For the configuration languages (.env, .properties, INI/HOCON, TOML, YAML, JSON, XML):
// a setting that holds a legacy authtoken (filled in, a template, empty or null) is
// replaced, where it was and in the file's own syntax (quotes, separator, indentation,
// newline style), by the four settings the generated helpers read: ZOHO_CLIENT_ID,
// ZOHO_CLIENT_SECRET, ZOHO_REFRESH_TOKEN and ZOHO_DC.
//
//   names    .env files, docker-compose `- NAME=value` items and ZOHO_* upper-case keys
//            are environment variables: exactly ZOHO_CLIENT_ID …. Elsewhere the program
//            reads the file itself and passes the values to the helper: the names follow
//            the key they replace (its prefix and word style: `zoho.crm.authtoken` ->
//            `zoho.crm.client_id`, `AuthToken` -> `ClientId`, `authToken` -> `clientId`,
//            `ZohoAuthToken` -> `ZohoClientId`), or OAuth settings already in the section
//            (`zoho.oauth.refresh_token` -> `zoho.oauth.client_id`).
//   values   never a secret: empty (the helpers reject an empty client id, secret or
//            refresh token with a configuration error naming it), the environment
//            reference the old value used (`${X}` -> `${ZOHO_CLIENT_ID}`), and for
//            ZOHO_DC the data centre the scan saw in the file's Zoho hosts (else empty:
//            the helpers' default, us).
//   once     settings already present are not added again; when the client id, secret
//            and refresh token are all there the authtoken setting is only removed. Other
//            authtoken settings of the same section go (one set of OAuth settings serves
//            them), and so does a `scope=…api` companion (`ZOHO_SCOPE=ZohoCRM/crmapi`;
//            Recruit's recruitapi stays, as for URLs). Settings of one section that name
//            different data centres are left for a person.
//   revoke   a hard-coded token value goes on the revoke list.
// Anything that is not a key/value setting (a name/value list entry, a URL holding the
// token, a multi-line value, an object) is left for a person with the reason. No helper
// file is added for a config file.

#include <array>
#include <map>
#include <set>

#include "fix/ConfigEntries.h"
#include "fix/EditUtil.h"
#include "fix/Fixers.h"

#include "llvm/ADT/StringExtras.h"
#include "re2/re2.h"
#include "fmt/format.h"

namespace atm::fix {
namespace {

enum Setting : uint8_t { ClientId, ClientSecret, RefreshToken, Dc };
constexpr size_t SettingCount = 4;
const char *const EnvNames[SettingCount] = {"ZOHO_CLIENT_ID", "ZOHO_CLIENT_SECRET",
                                            "ZOHO_REFRESH_TOKEN", "ZOHO_DC"};
const std::vector<std::vector<llvm::StringRef>> &words() {
  static const std::vector<std::vector<llvm::StringRef>> W = {
      {"client", "id"}, {"client", "secret"}, {"refresh", "token"}, {"dc"}};
  return W;
}

bool match(const re2::RE2 &Re, llvm::StringRef S) {
  return re2::RE2::PartialMatch(re2::StringPiece(S.data(), S.size()), Re);
}

/// Lower-case letters and digits only: `zoho.crm.Client-Id` -> `zohocrmclientid`.
std::string norm(llvm::StringRef K) {
  std::string Out;
  for (char C : K)
    if (llvm::isAlnum(C))
      Out += llvm::toLower(C);
  return Out;
}

bool isLowerC(char C) { return C >= 'a' && C <= 'z'; }
bool isUpperC(char C) { return C >= 'A' && C <= 'Z'; }
bool isSep(char C) { return C == '.' || C == '_' || C == '-' || C == ':' || C == '/'; }

bool keyRule(llvm::StringRef Id) {
  return Id == "zoho-authtoken-config-key" || Id == "zoho-authtoken-config-template";
}
bool hardcodedRule(llvm::StringRef Id) {
  return Id == "zoho-config-credential-hardcoded" || Id == "zoho-authtoken-hardcoded";
}

/// The offset of the token word ending \p Key (authtoken, auth_token, apiKey, KEY …), or
/// npos when \p Key does not name a token setting (OAuth and webhook settings do not).
size_t tokenWord(llvm::StringRef Key) {
  static const re2::RE2 Word("(?i)(auth[_.-]?token|auth[_.-]?key|api[_.-]?key|token|key)$");
  static const re2::RE2 Not("(?i)refresh|access|oauth|client|secret|webhook|session|csrf|"
                            "signing|verif");
  re2::StringPiece In(Key.data(), Key.size()), M;
  // "zoho" first: `ZohoAuthToken` holds "oAuth" without being an OAuth setting.
  std::string Rest = Key.str();
  for (size_t Z; (Z = llvm::StringRef(Rest).find_insensitive("zoho")) != std::string::npos;)
    Rest.erase(Z, 4);
  if (match(Not, Rest) || !Word.Match(In, 0, In.size(), re2::RE2::UNANCHORED, &M, 1))
    return llvm::StringRef::npos;
  return M.data() - Key.data();
}

/// The OAuth setting \p Key names, if any.
std::optional<Setting> oauthSetting(llvm::StringRef Key) {
  std::string N = norm(Key);
  llvm::StringRef S(N);
  if (S.endswith("clientid"))
    return ClientId;
  if (S.endswith("clientsecret"))
    return ClientSecret;
  if (S.endswith("refreshtoken"))
    return RefreshToken;
  if (S.endswith("datacentre") || S.endswith("datacenter") || S.endswith("accountsurl") ||
      S.endswith("accountsserver") || S.endswith("accountsdomain"))
    return Dc;
  // `dc`, `ZOHO_DC`, `zoho.dc`, `zohoDC` — a word of its own.
  if (Key.size() >= 2 && Key.take_back(2).equals_insensitive("dc")) {
    if (Key.size() == 2 || isSep(Key[Key.size() - 3]) ||
        (isLowerC(Key[Key.size() - 3]) && isUpperC(Key[Key.size() - 2])))
      return Dc;
  }
  return std::nullopt;
}

/// The offset of the OAuth word ending \p Key (client_id, clientSecret, REFRESH_TOKEN).
size_t oauthWord(llvm::StringRef Key) {
  static const re2::RE2 Word("(?i)(client[_.-]?id|client[_.-]?secret|refresh[_.-]?token)$");
  re2::StringPiece In(Key.data(), Key.size()), M;
  if (!Word.Match(In, 0, In.size(), re2::RE2::UNANCHORED, &M, 1))
    return llvm::StringRef::npos;
  return M.data() - Key.data();
}

/// A scope setting only the legacy API read (`crmapi`, `ZohoCRM/crmapi`, `CampaignsAPI`);
/// Recruit's `recruitapi` stays (Zoho's migration guide keeps it on the same URL).
bool legacyScopeSetting(llvm::StringRef Key, llvm::StringRef Value) {
  if (!llvm::StringRef(norm(Key)).endswith("scope"))
    return false;
  Value = Value.trim();
  if (Value.contains_insensitive("recruitapi"))
    return false;
  return Value.endswith_insensitive("api") || Value.contains_insensitive("api,");
}

/// 24–40 letters and digits with both present: the shape of a real authtoken (32 hex).
bool tokenShaped(llvm::StringRef V) {
  if (V.size() < 24 || V.size() > 40)
    return false;
  bool Digit = false, Alpha = false;
  for (char C : V) {
    if (!llvm::isAlnum(C))
      return false;
    Digit |= llvm::isDigit(C);
    Alpha |= llvm::isAlpha(C);
  }
  return Digit && Alpha;
}

/// How an old value referred to the environment, kept for the new values.
enum class Interp : uint8_t { None, Brace, Dollar, Percent };

Interp interpolation(llvm::StringRef V) {
  static const re2::RE2 Brace("^\\$\\{[A-Za-z_][A-Za-z0-9_.]*(?:[:?-][^}]*)?\\}$");
  static const re2::RE2 Dollar("^\\$[A-Za-z_][A-Za-z0-9_]*$");
  static const re2::RE2 Percent("^%[A-Za-z_][A-Za-z0-9_]*%$");
  V = V.trim();
  if (match(Brace, V))
    return Interp::Brace;
  if (match(Dollar, V))
    return Interp::Dollar;
  if (match(Percent, V))
    return Interp::Percent;
  return Interp::None;
}

std::string placeholder(Setting S, Interp I, llvm::StringRef DataCentre) {
  switch (I) {
  case Interp::Brace:
    return fmt::format("${{{}}}", EnvNames[S]);
  case Interp::Dollar:
    return fmt::format("${}", EnvNames[S]);
  case Interp::Percent:
    return fmt::format("%{}%", EnvNames[S]);
  case Interp::None:
    break;
  }
  return S == Dc ? DataCentre.str() : "";
}

/// How the new settings are named.
struct Naming {
  bool Exact = false;  ///< environment variables: ZOHO_CLIENT_ID …
  std::string Prefix;  ///< as written: "zoho.crm.", "Zoho", ""
  enum StyleT : uint8_t { Snake, UpperSnake, Kebab, Dot, Camel, Caps } Style = Snake;

  std::string name(Setting S) const {
    if (Exact)
      return EnvNames[S];
    std::string Out = Prefix;
    bool Joined = Style == Camel || Style == Caps;
    char Sep = Style == Kebab ? '-' : Style == Dot ? '.' : '_';
    bool AfterSep = Prefix.empty() || isSep(Prefix.back());
    if (!Joined && !AfterSep)
      Out += Sep;
    const auto &W = words()[S];
    for (size_t I = 0; I < W.size(); ++I) {
      std::string Word = W[I].str();
      if (Joined) {
        bool Cap = Style == Caps || !AfterSep || I > 0;
        if (Word == "dc")
          Word = Cap ? "DC" : "dc";
        else if (Cap)
          Word[0] = llvm::toUpper(Word[0]);
      } else {
        if (I > 0)
          Out += Sep;
        if (Style == UpperSnake)
          Word = llvm::StringRef(Word).upper();
      }
      Out += Word;
    }
    return Out;
  }
};

/// The style of the last segments of \p Keys: the most common of snake, kebab and camel.
Naming::StyleT siblingStyle(llvm::ArrayRef<llvm::StringRef> Keys) {
  unsigned Snake = 0, Kebab = 0, Camel = 0;
  for (llvm::StringRef K : Keys) {
    llvm::StringRef Last = K.substr(K.find_last_of(".:") + 1);
    for (size_t I = 1; I + 1 < Last.size(); ++I) {
      Snake += Last[I] == '_' && llvm::isAlpha(Last[I - 1]) && llvm::isAlpha(Last[I + 1]);
      Kebab += Last[I] == '-' && llvm::isAlpha(Last[I - 1]) && llvm::isAlpha(Last[I + 1]);
    }
    for (size_t I = 1; I < Last.size(); ++I)
      Camel += isLowerC(Last[I - 1]) && isUpperC(Last[I]);
  }
  if (Camel > Snake && Camel > Kebab)
    return Naming::Camel;
  if (Kebab > Snake)
    return Naming::Kebab;
  return Naming::Snake;
}

/// Names after \p Key, whose word (a token word or an OAuth word) starts at \p WordAt.
Naming namingAfter(llvm::StringRef Key, size_t WordAt, llvm::ArrayRef<llvm::StringRef> Siblings) {
  Naming N;
  N.Prefix = Key.take_front(WordAt).str();
  llvm::StringRef Word = Key.substr(WordAt);
  bool AnyLower = llvm::any_of(Word, [](char C) { return isLowerC(C); });
  bool AnyUpper = llvm::any_of(Word, [](char C) { return isUpperC(C); });
  if (Word.contains('_'))
    N.Style = AnyLower ? Naming::Snake : Naming::UpperSnake;
  else if (Word.contains('-'))
    N.Style = Naming::Kebab;
  else if (Word.contains('.'))
    N.Style = Naming::Dot;
  else if (!AnyLower)
    N.Style = Naming::UpperSnake;
  else if (isUpperC(Word[0]))
    N.Style = Naming::Caps;
  else if (AnyUpper)
    N.Style = Naming::Camel;
  else if (!N.Prefix.empty() && N.Prefix.back() == '-')
    N.Style = Naming::Kebab;
  else if (!N.Prefix.empty() && N.Prefix.back() == '_')
    N.Style = Naming::Snake;
  else
    N.Style = siblingStyle(Siblings);
  return N;
}

bool envStyleKey(llvm::StringRef Key) {
  return Key.contains("ZOHO") &&
         llvm::all_of(Key, [](char C) { return isUpperC(C) || llvm::isDigit(C) || C == '_'; });
}

std::string xmlEscape(llvm::StringRef S) {
  std::string Out;
  for (char C : S) {
    switch (C) {
    case '&': Out += "&amp;"; break;
    case '<': Out += "&lt;"; break;
    case '>': Out += "&gt;"; break;
    case '"': Out += "&quot;"; break;
    case '\'': Out += "&apos;"; break;
    default: Out += C;
    }
  }
  return Out;
}

/// True if \p P can be written as a plain YAML scalar (in a flow collection when \p Flow).
bool yamlPlain(llvm::StringRef P, bool Flow) {
  if (P.empty())
    return false;
  if (!Flow && P.startswith("$"))
    return llvm::all_of(P, [](char C) { return llvm::isAlnum(C) || llvm::StringRef("_${}.").contains(C); });
  return llvm::all_of(P, [](char C) { return llvm::isAlnum(C) || llvm::StringRef("_./-").contains(C); });
}

class ConfigFixer final : public LanguageFixer {
public:
  llvm::StringRef name() const override { return "config"; }
  bool handles(Language L) const override {
    return configFormat(L).has_value() && L != Language::WebTemplate;
  }
  void fix(FileContext &Ctx) const override;
};

/// One file's fix run.
struct Run {
  FileContext &Ctx;
  ConfigFormat F;
  llvm::StringRef T;
  std::vector<ConfigEntry> Entries;
  llvm::StringRef NL;

  /// The innermost entry holding \p Offset, or -1.
  int entryAt(size_t Offset) const {
    int Best = -1;
    for (size_t I = 0; I < Entries.size(); ++I)
      if (Entries[I].contains(Offset) &&
          (Best < 0 || Entries[I].End - Entries[I].Begin <
                           Entries[Best].End - Entries[Best].Begin))
        Best = static_cast<int>(I);
    return Best;
  }

  /// The value of \p E written for placeholder \p P, in the format's syntax.
  std::string value(const ConfigEntry &E, llvm::StringRef P) const {
    if (E.Raw)
      return F == ConfigFormat::Xml ? xmlEscape(P) : P.str();
    std::string Q(1, E.Quote ? E.Quote : '"');
    switch (F) {
    case ConfigFormat::Env:
    case ConfigFormat::Properties:
    case ConfigFormat::Ini:
      return E.Quote ? Q + P.str() + Q : P.str();
    case ConfigFormat::Toml:
      return Q + P.str() + Q;
    case ConfigFormat::Json:
      if (P.empty() && E.Null && !E.Quote)
        return T.slice(E.ValBegin, E.ValEnd).str();
      return "\"" + P.str() + "\"";
    case ConfigFormat::Yaml:
      if (E.Quote)
        return Q + P.str() + Q;
      if (P.empty())
        return E.Null ? T.slice(E.ValBegin, E.ValEnd).str() : "\"\"";
      return yamlPlain(P, E.Flow) ? P.str() : "\"" + P.str() + "\"";
    case ConfigFormat::Xml:
      return xmlEscape(P);
    }
    return P.str();
  }

  /// A copy of entry \p E naming \p Name with value \p P.
  std::string entryText(const ConfigEntry &E, llvm::StringRef Name, llvm::StringRef P) const {
    std::string V = value(E, P);
    if (E.SelfClosing && F == ConfigFormat::Xml && !E.KeyAttribute) {
      // `<apiKey/>`: an empty element stays self-closing, a value needs the long form.
      llvm::StringRef Open = T.slice(E.Begin, E.End).drop_back(2).rtrim();
      std::string Start = Open.str();
      Start.replace(E.Keys[0].first - E.Begin, E.Keys[0].second - E.Keys[0].first, Name.str());
      return P.empty() ? Start + (T.slice(E.Begin, E.End).drop_back(2).endswith(" ") ? " />" : "/>")
                       : Start + ">" + V + "</" + Name.str() + ">";
    }
    struct Sub {
      size_t B, E;
      std::string Text;
    };
    std::vector<Sub> Subs;
    for (const auto &[B, End] : E.Keys)
      Subs.push_back({B, End, Name.str()});
    std::string Lead;
    if (E.ValBegin == E.ValEnd && !V.empty() && E.ValBegin > E.Begin) {
      // `key:` / `key =` with no value: keep the file's blank after the separator.
      char Before = T[E.ValBegin - 1];
      if (Before == ':' || (Before == '=' && E.ValBegin >= 2 && (T[E.ValBegin - 2] == ' ' || T[E.ValBegin - 2] == '\t')))
        Lead = " ";
    }
    Subs.push_back({E.ValBegin, E.ValEnd, Lead + V});
    std::sort(Subs.begin(), Subs.end(), [](const Sub &A, const Sub &B) { return A.B < B.B; });
    std::string Out;
    size_t Pos = E.Begin;
    for (const Sub &S : Subs) {
      if (S.B < Pos || S.E > E.CopyEnd)
        continue;
      Out += T.slice(Pos, S.B).str();
      Out += S.Text;
      Pos = S.E;
    }
    Out += T.slice(Pos, E.CopyEnd).str();
    if (E.Shape == ConfigEntry::Line)
      Out = llvm::StringRef(Out).rtrim(" \t").str(); // `key: ` with an empty value
    return Out;
  }

  /// True if only blanks precede \p Offset on its line.
  bool startsLine(size_t Offset) const {
    return T.slice(lineBegin(T, Offset), Offset).find_first_not_of(" \t") == llvm::StringRef::npos;
  }

  /// What goes between two new entries made from \p E.
  std::string joiner(const ConfigEntry &E) const {
    std::string Indent = T.slice(lineBegin(T, E.Begin), E.Begin).str();
    for (char &C : Indent)
      if (C != '\t')
        C = ' '; // `- key: v`: the next keys line up with the key
    switch (E.Shape) {
    case ConfigEntry::Line:
      return NL.str() + Indent;
    case ConfigEntry::Member:
      return startsLine(E.Begin) ? "," + NL.str() + Indent : ", ";
    case ConfigEntry::Element:
      return startsLine(E.Begin) ? NL.str() + Indent : "";
    }
    return NL.str();
  }

  /// The edit removing line or element entry \p E.
  TextEdit removal(const ConfigEntry &E) const {
    if (E.Shape == ConfigEntry::Line) {
      size_t LB = lineBegin(T, E.Begin);
      TextEdit R;
      R.Offset = LB;
      R.Length = lineEndWithBreak(T, E.End) - LB;
      return R;
    }
    return removeRange(T, E.Begin, E.End);
  }

  /// How the new values refer to the environment: as the old one did, except in a .env
  /// file, where `ZOHO_CLIENT_ID=${ZOHO_CLIENT_ID}` would refer to itself.
  Interp interp(const ConfigEntry &E) const {
    return F == ConfigFormat::Env ? Interp::None : interpolation(E.inner(T));
  }

  std::string keyOf(size_t Offset) const {
    int E = entryAt(Offset);
    return E < 0 ? std::string() : Entries[E].key(T).str();
  }

  void other(size_t Index);
  void container(const std::vector<size_t> &Targets,
                 std::map<size_t, std::vector<size_t>> &FindingsOf,
                 const std::set<size_t> &Hardcoded);
};

/// A finding that is not an authtoken setting of its own.
void Run::other(size_t Index) {
  const Finding &Fd = *Ctx.Findings[Index];
  std::string Key = keyOf(Fd.Offset);
  std::string In = Key.empty() ? std::string("this file") : fmt::format("the setting `{}`", Key);
  llvm::StringRef Id = Fd.RuleId;
  std::string Line = lineEnd(T, Fd.Offset) > lineBegin(T, Fd.Offset)
                         ? T.slice(lineBegin(T, Fd.Offset), lineEnd(T, Fd.Offset)).str()
                         : std::string();
  if (hardcodedRule(Id)) {
    Ctx.RevokeLines.push_back(Fd.Begin.Line);
    Ctx.manual(Index, fmt::format("a hard-coded legacy token in {}, which is not an authtoken "
                                  "setting (a URL, a comment or a list): revoke the token and "
                                  "delete it by hand",
                                  In));
    return;
  }
  if (Id == "zoho-authtoken-url-param" || Id == "zoho-legacy-scope-url" ||
      Id == "zoho-apikey-ticket") {
    std::string What = Id == "zoho-authtoken-url-param" ? "the legacy `authtoken=` parameter"
                       : Id == "zoho-legacy-scope-url"  ? "the legacy `scope=…api` parameter"
                                                        : "the pre-authtoken API key and ticket";
    std::string Dead = deadEndpoint(Line);
    std::string Why = fmt::format("a URL in {} carries {}: the program that requests it must "
                                  "send the OAuth header instead (`fix` rewrites the requests "
                                  "it finds); delete the parameter from the value then",
                                  In, What);
    Ctx.manual(Index, Dead.empty() ? Why : Dead + "; " + Why);
    return;
  }
  if (Id == "zoho-authtoken-header") {
    Ctx.manual(Index, fmt::format("a `Zoho-authtoken` header value in {}: an OAuth access "
                                  "token expires after an hour and cannot be kept in a config "
                                  "file; the program that sends the header must take "
                                  "`Zoho-oauthtoken …` from the helper",
                                  In));
    return;
  }
  if (Id.contains("generation")) {
    Ctx.manual(Index, fmt::format("{} points at the retired authtoken generation "
                                  "(apiauthtoken/…): delete it and create an OAuth self-client "
                                  "(ZOHO_CLIENT_ID, ZOHO_CLIENT_SECRET, ZOHO_REFRESH_TOKEN)",
                                  Key.empty() ? std::string("the file") : In));
    return;
  }
  if (Id == "zoho-authtoken-delete") {
    Ctx.manual(Index, fmt::format("{} points at the retired apiauthtoken/delete endpoint; "
                                  "revoke OAuth refresh tokens at /oauth/v2/token/revoke instead",
                                  Key.empty() ? std::string("the file") : In));
    return;
  }
  Ctx.manual(Index, fmt::format("no automatic fix for {} in a config file", Id.str()));
}

/// The authtoken settings \p Targets (entry indices, text order) of one container.
void Run::container(const std::vector<size_t> &Targets,
                    std::map<size_t, std::vector<size_t>> &FindingsOf,
                    const std::set<size_t> &Hardcoded) {
  auto AllManual = [&](const std::string &Why) {
    for (size_t E : Targets)
      for (size_t I : FindingsOf[E])
        Ctx.manual(I, Why);
  };
  auto Revoke = [&](size_t E) {
    if (Hardcoded.count(E))
      Ctx.RevokeLines.push_back(lineNumber(T, Entries[E].InnerBegin));
  };
  for (size_t E : Targets)
    Revoke(E);

  // One set of OAuth settings serves one data centre.
  std::set<std::string> DCs;
  for (size_t E : Targets)
    for (size_t I : FindingsOf[E])
      if (!Ctx.Findings[I]->DataCentre.empty())
        DCs.insert(Ctx.Findings[I]->DataCentre);
  if (DCs.size() > 1) {
    AllManual(fmt::format("the authtoken settings here belong to different Zoho data centres "
                          "({}); one set of OAuth settings (ZOHO_DC) serves one data centre: "
                          "split the configuration by hand, one OAuth client per data centre",
                          fmt::join(DCs, ", ")));
    return;
  }
  std::string DC = DCs.empty() ? std::string() : *DCs.begin();

  const std::string &Cont = Entries[Targets.front()].Container;
  std::set<size_t> TargetSet(Targets.begin(), Targets.end());
  std::vector<size_t> Companions;
  std::vector<size_t> Others; // siblings that stay
  for (size_t I = 0; I < Entries.size(); ++I) {
    if (Entries[I].Container != Cont || TargetSet.count(I))
      continue;
    if (Entries[I].Unsupported.empty() &&
        legacyScopeSetting(Entries[I].key(T), Entries[I].inner(T)))
      Companions.push_back(I);
    else
      Others.push_back(I);
  }

  // The setting whose place the OAuth settings take: an authtoken-named one first.
  size_t Primary = Targets.front();
  for (size_t E : Targets)
    if (llvm::StringRef(norm(Entries[E].key(T))).contains("authtoken")) {
      Primary = E;
      break;
    }
  const ConfigEntry &P = Entries[Primary];
  llvm::StringRef PKey = P.key(T);

  // OAuth settings already there (in .properties, also those under another prefix when
  // exactly one prefix has them: `zoho.oauth.refresh_token` for `zoho.crm.authtoken`).
  std::vector<size_t> Scope = Others;
  auto HasOAuth = [&](const std::vector<size_t> &List) {
    return llvm::any_of(List, [&](size_t I) {
      auto S = oauthSetting(Entries[I].key(T));
      return S && *S != Dc;
    });
  };
  if (F == ConfigFormat::Properties && !HasOAuth(Scope)) {
    std::set<std::string> With;
    for (size_t I = 0; I < Entries.size(); ++I) {
      auto S = oauthSetting(Entries[I].key(T));
      if (S && *S != Dc && !TargetSet.count(I))
        With.insert(Entries[I].Container);
    }
    if (With.size() == 1) {
      Scope.clear();
      for (size_t I = 0; I < Entries.size(); ++I)
        if (Entries[I].Container == *With.begin() && !TargetSet.count(I))
          Scope.push_back(I);
    }
  }
  // Environment variables count only under the names the helper reads.
  bool Exact = F == ConfigFormat::Env || P.EnvItem || envStyleKey(PKey);
  std::array<bool, SettingCount> Have{};
  int NamedAfter = -1;
  std::vector<llvm::StringRef> ScopeKeys;
  for (size_t I : Scope) {
    llvm::StringRef K = Entries[I].key(T);
    ScopeKeys.push_back(K);
    if (Exact) {
      for (size_t S = 0; S < SettingCount; ++S)
        Have[S] = Have[S] || K == EnvNames[S] || (S == Dc && K == "ZOHO_ACCOUNTS_URL");
    } else if (auto S = oauthSetting(K)) {
      Have[*S] = true;
      if (*S != Dc && NamedAfter < 0 && oauthWord(K) != llvm::StringRef::npos)
        NamedAfter = static_cast<int>(I);
    }
  }

  Naming N;
  if (Exact) {
    N.Exact = true;
  } else if (NamedAfter >= 0) {
    llvm::StringRef K = Entries[NamedAfter].key(T);
    N = namingAfter(K, oauthWord(K), ScopeKeys);
  } else {
    N = namingAfter(PKey, tokenWord(PKey), ScopeKeys);
  }

  bool Complete = Have[ClientId] && Have[ClientSecret] && Have[RefreshToken];
  std::vector<Setting> Missing;
  if (!Complete)
    for (size_t S = 0; S < SettingCount; ++S)
      if (!Have[S])
        Missing.push_back(static_cast<Setting>(S));

  // What goes: every target but the one replaced, and the scope companions.
  std::vector<size_t> Removed;
  for (size_t E : Targets)
    if (E != Primary || Missing.empty())
      Removed.push_back(E);
  for (size_t E : Removed)
    if (Entries[E].ItemStart && Entries[E].Shape == ConfigEntry::Line) {
      AllManual(fmt::format("`{}` is the first key of a list item: removing it would change "
                            "the list; replace it by the OAuth settings by hand",
                            Entries[E].key(T).str()));
      return;
    }
  Removed.insert(Removed.end(), Companions.begin(), Companions.end());
  std::sort(Removed.begin(), Removed.end());

  // Edits, each owned by the first finding of the entry it changes.
  auto Owner = [&](size_t E) { return FindingsOf[E].empty() ? FindingsOf[Primary].front() : FindingsOf[E].front(); };
  if (!Missing.empty()) {
    Interp I = interp(P);
    std::string Text;
    for (size_t K = 0; K < Missing.size(); ++K) {
      if (K)
        Text += joiner(P);
      Text += entryText(P, N.name(Missing[K]), placeholder(Missing[K], I, DC));
    }
    TextEdit R;
    R.Offset = P.Begin;
    R.Length = P.End - P.Begin;
    R.Text = std::move(Text);
    Ctx.addEdit(Owner(Primary), std::move(R));
  }
  if (P.Shape == ConfigEntry::Member) {
    // Runs of neighbouring members go together (with one separator).
    std::vector<size_t> Members;
    for (size_t I = 0; I < Entries.size(); ++I)
      if (Entries[I].Container == Cont)
        Members.push_back(I);
    std::set<size_t> Gone(Removed.begin(), Removed.end());
    for (size_t K = 0; K < Members.size();) {
      if (!Gone.count(Members[K])) {
        ++K;
        continue;
      }
      size_t L = K;
      while (L + 1 < Members.size() && Gone.count(Members[L + 1]))
        ++L;
      size_t First = Members[K], Last = Members[L];
      Ctx.addEdit(TargetSet.count(First) ? Owner(First) : Owner(Primary),
                  removeListElement(T, Entries[First].Begin, Entries[Last].End));
      K = L + 1;
    }
  } else {
    for (size_t E : Removed)
      Ctx.addEdit(TargetSet.count(E) ? Owner(E) : Owner(Primary), removal(Entries[E]));
  }

  // Outcomes.
  std::vector<std::string> AllNames;
  for (size_t S = 0; S < SettingCount; ++S)
    AllNames.push_back(N.name(static_cast<Setting>(S)));
  std::string ReadBy =
      N.Exact ? "the helper reads them from the environment"
              : fmt::format("the program passes them to the helper (or exports them as {})",
                            fmt::join(EnvNames, EnvNames + SettingCount, ", "));
  std::string Values = interp(P) != Interp::None
                           ? "taken from the environment"
                           : "empty: fill in a self-client's client id, secret and refresh token";
  std::string Companion =
      Companions.empty() ? std::string()
                         : fmt::format("; the legacy scope setting `{}` goes too",
                                       Entries[Companions.front()].key(T).str());
  unsigned PrimaryLine = lineNumber(T, P.Begin);
  for (size_t E : Targets) {
    std::string RevokeNote = Hardcoded.count(E)
                                 ? " — the old value is a hard-coded token: revoke it (listed "
                                   "under tokens to revoke)"
                                 : "";
    std::string What;
    if (E == Primary && !Missing.empty()) {
      std::vector<std::string> Added;
      for (Setting S : Missing)
        Added.push_back(N.name(S));
      What = fmt::format("replaced by the OAuth settings {} ({}; {}){}", fmt::join(Added, ", "),
                         Values, ReadBy, Companion);
    } else if (Missing.empty()) {
      What = fmt::format("removed: the OAuth settings ({}) are already configured here{}",
                         fmt::join(AllNames.begin(), AllNames.begin() + 3, ", "), Companion);
    } else {
      What = fmt::format("removed: the OAuth settings that replace the authtoken settings here "
                         "are at line {}",
                         PrimaryLine);
    }
    for (size_t I : FindingsOf[E])
      Ctx.fixed(I, What + RevokeNote);
  }
}

void ConfigFixer::fix(FileContext &Ctx) const {
  auto Format = configFormat(Ctx.Lang);
  if (!Format) {
    for (size_t I = 0; I < Ctx.Findings.size(); ++I)
      Ctx.manual(I, "not a configuration file");
    return;
  }
  Run Rn{Ctx, *Format, Ctx.Text, parseConfigEntries(*Format, Ctx.Text), newlineOf(Ctx.Text)};
  llvm::StringRef T = Ctx.Text;

  std::map<size_t, std::vector<size_t>> FindingsOf; // target entry -> findings
  std::set<size_t> Hardcoded;                      // target entries holding a token
  std::vector<size_t> Rest;
  for (size_t I = 0; I < Ctx.Findings.size(); ++I) {
    const Finding &Fd = *Ctx.Findings[I];
    llvm::StringRef Id = Fd.RuleId;
    if (!keyRule(Id) && !hardcodedRule(Id)) {
      Rest.push_back(I);
      continue;
    }
    int E = Rn.entryAt(Fd.Offset);
    if (E < 0) {
      Rest.push_back(I);
      continue;
    }
    const ConfigEntry &En = Rn.Entries[E];
    llvm::StringRef Key = En.key(T);
    bool OnKey = llvm::any_of(En.Keys, [&](const std::pair<size_t, size_t> &K) {
      return Fd.Offset >= K.first && Fd.Offset <= K.second;
    });
    if (keyRule(Id) && !OnKey && tokenWord(Key) == llvm::StringRef::npos) {
      if (tokenShaped(En.inner(T)))
        Ctx.RevokeLines.push_back(lineNumber(T, En.InnerBegin));
      Ctx.manual(I, fmt::format("the authtoken setting's name is the value of `{}` (a name/value "
                                "list such as a Kubernetes `env:` entry): replace the entry by "
                                "ZOHO_CLIENT_ID, ZOHO_CLIENT_SECRET, ZOHO_REFRESH_TOKEN and "
                                "ZOHO_DC by hand, their values from a secret store",
                                Key.str()));
      continue;
    }
    if (tokenWord(Key) == llvm::StringRef::npos) {
      Rest.push_back(I);
      continue;
    }
    if (!En.Unsupported.empty()) {
      if (hardcodedRule(Id) || tokenShaped(En.inner(T)))
        Ctx.RevokeLines.push_back(lineNumber(T, En.InnerBegin));
      Ctx.manual(I, fmt::format("the setting `{}` cannot be replaced in place: {}", Key.str(),
                                En.Unsupported));
      continue;
    }
    FindingsOf[E].push_back(I);
    if (hardcodedRule(Id) || tokenShaped(En.inner(T)))
      Hardcoded.insert(E);
  }
  // Other findings inside an authtoken setting go with it.
  for (size_t I : Rest) {
    int E = Rn.entryAt(Ctx.Findings[I]->Offset);
    if (E >= 0 && FindingsOf.count(E))
      FindingsOf[E].push_back(I);
    else
      Rn.other(I);
  }
  std::map<std::string, std::vector<size_t>> ByContainer;
  for (auto &[E, List] : FindingsOf)
    ByContainer[Rn.Entries[E].Container].push_back(E);
  for (auto &[Name, Targets] : ByContainer)
    Rn.container(Targets, FindingsOf, Hardcoded);
  std::sort(Ctx.RevokeLines.begin(), Ctx.RevokeLines.end());
  Ctx.RevokeLines.erase(std::unique(Ctx.RevokeLines.begin(), Ctx.RevokeLines.end()),
                        Ctx.RevokeLines.end());
}

} // namespace

std::unique_ptr<LanguageFixer> makeConfigFixer() { return std::make_unique<ConfigFixer>(); }

} // namespace atm::fix
