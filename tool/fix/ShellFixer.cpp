//===- ShellFixer.cpp - `fix` for shell scripts: curl and wget ------------===//
//
// On the bash syntax tree (tree-sitter-bash; sh, dash, ksh and zsh scripts parse alike for
// commands and words), for every finding:
//   1. the command that sends it: the `curl`/`wget` command holding the finding in an
//      argument (continued over lines, inside `$(…)`, in a pipeline), or, for a finding in
//      a variable assignment (`URL="…?authtoken=$T"`, `AUTH="Authorization: Zoho-authtoken
//      $T"`), every command that uses the variable, when all of them are curl/wget
//      commands that use it as a URL, form body or header (followed through variables
//      built from it);
//   2. the credential's removal: the `authtoken=…` parameter (and `scope=…api`) leaves the
//      URL or `-d`/`--post-data` body, a `--data-urlencode`/`-F authtoken=…` field and a
//      `-H "Authorization: Zoho-authtoken …"` header go, with the word's quoting kept
//      valid (a cut across `'…'"$T"'…'` closes and reopens quotes as needed);
//   3. the header: curl becomes `zoho_curl` (the shell helper's drop-in: the header from a
//      0600 temp file, one retry after a 401); wget gets
//      `--header="Authorization: $(zoho_auth_header)"` (no retry is possible there);
//      the script sources the helper once, after its shebang and leading comments.
// A command whose options clash with zoho_curl's own (-o, -w, -D -, several URLs, a body
// read from stdin) is left for a person with the reason.

#include <functional>
#include <map>
#include <optional>
#include <set>

#include "fix/EditUtil.h"
#include "fix/Fixers.h"
#include "fix/UrlParams.h"
#include "syntax/ParsedFiles.h"
#include "syntax/Syntax.h"

#include "fmt/format.h"
#include "re2/re2.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/Path.h"

namespace atm::fix {
namespace {

using syntax::ByteRange;
using syntax::Node;

// -- words ---------------------------------------------------------------------------

enum class Quote : uint8_t { None, Double, Single, AnsiC };

/// Quoting of one item: the quoted segment it is in (content range, without quotes).
struct QuoteInfo {
  Quote Q = Quote::None;
  size_t SegBegin = 0, SegEnd = 0;
};

/// A shell word decoded into items (ParamItem) with their quoting.
struct Word {
  Node N;
  std::vector<ParamItem> Items;
  std::vector<QuoteInfo> Quotes;
  std::string Flat; ///< literal text, holes as \x1f

  bool empty() const { return Items.empty(); }
};

void pushLiteral(Word &W, char C, size_t B, size_t E, QuoteInfo Q) {
  ParamItem I;
  I.C = C;
  I.Begin = B;
  I.End = E;
  W.Items.push_back(I);
  W.Quotes.push_back(Q);
}

void pushHole(Word &W, size_t B, size_t E, QuoteInfo Q) {
  ParamItem I;
  I.Hole = true;
  I.Begin = B;
  I.End = E;
  W.Items.push_back(I);
  W.Quotes.push_back(Q);
}

void decodeInto(Word &W, Node N, llvm::StringRef Text) {
  llvm::StringRef K = N.kind();
  size_t B = N.begin(), E = N.end();
  if (K == "word" || K == "number" || !N.isNamed()) {
    for (size_t P = B; P < E; ++P) {
      if (Text[P] == '\\' && P + 1 < E) {
        if (Text[P + 1] != '\n')
          pushLiteral(W, Text[P + 1], P, P + 2, {});
        ++P;
        continue;
      }
      pushLiteral(W, Text[P], P, P + 1, {});
    }
    return;
  }
  if (K == "string") {
    size_t CB = B + 1, CE = (E > B + 1 && Text[E - 1] == '"') ? E - 1 : E;
    QuoteInfo Q{Quote::Double, CB, CE};
    std::vector<Node> Holes;
    for (const Node &C : N.namedChildren(true))
      if (C.kind() != "string_content")
        Holes.push_back(C);
    size_t H = 0;
    for (size_t P = CB; P < CE;) {
      if (H < Holes.size() && Holes[H].begin() <= P) {
        pushHole(W, Holes[H].begin(), Holes[H].end(), Q);
        P = std::max<size_t>(P + 1, Holes[H].end());
        ++H;
        continue;
      }
      if (Text[P] == '\\' && P + 1 < CE && llvm::StringRef("\"\\$`\n").contains(Text[P + 1])) {
        if (Text[P + 1] != '\n')
          pushLiteral(W, Text[P + 1], P, P + 2, Q);
        P += 2;
        continue;
      }
      pushLiteral(W, Text[P], P, P + 1, Q);
      ++P;
    }
    return;
  }
  if (K == "raw_string") {
    size_t CB = B + 1, CE = (E > B + 1 && Text[E - 1] == '\'') ? E - 1 : E;
    QuoteInfo Q{Quote::Single, CB, CE};
    for (size_t P = CB; P < CE; ++P)
      pushLiteral(W, Text[P], P, P + 1, Q);
    return;
  }
  if (K == "ansi_c_string") {
    size_t CB = B + 2, CE = (E > B + 2 && Text[E - 1] == '\'') ? E - 1 : E;
    QuoteInfo Q{Quote::AnsiC, CB, CE};
    for (size_t P = CB; P < CE; ++P) {
      if (Text[P] == '\\' && P + 1 < CE) {
        // \n, \t, \xHH…: kept opaque (never part of a parameter this fix edits).
        pushHole(W, P, P + 2, Q);
        ++P;
        continue;
      }
      pushLiteral(W, Text[P], P, P + 1, Q);
    }
    return;
  }
  if (K == "concatenation") {
    for (unsigned I = 0; I < N.childCount(); ++I)
      decodeInto(W, N.child(I), Text);
    return;
  }
  pushHole(W, B, E, {}); // expansions, substitutions and anything else
}

Word decodeWord(Node N, llvm::StringRef Text) {
  Word W;
  W.N = N;
  decodeInto(W, N, Text);
  W.Flat = flattenItems(W.Items);
  return W;
}

llvm::StringRef closer(Quote Q) {
  switch (Q) {
  case Quote::Double:
    return "\"";
  case Quote::Single:
  case Quote::AnsiC:
    return "'";
  case Quote::None:
    return "";
  }
  return "";
}

llvm::StringRef opener(Quote Q) {
  switch (Q) {
  case Quote::Double:
    return "\"";
  case Quote::Single:
    return "'";
  case Quote::AnsiC:
    return "$'";
  case Quote::None:
    return "";
  }
  return "";
}

/// The edit deleting items [First, Last] of \p W, the quoting repaired: a cut that starts
/// in one quoted segment and ends in another closes the first and reopens the second; a
/// segment emptied from its start (or to its end) loses its quotes.
TextEdit cutItems(const Word &W, size_t First, size_t Last) {
  size_t B = W.Items[First].Begin, E = W.Items[Last].End;
  QuoteInfo QB = W.Quotes[First], QE = W.Quotes[Last];
  Quote SB = QB.Q, SE = QE.Q;
  size_t OrigB = B;
  if (SB != Quote::None && B == QB.SegBegin && E >= QB.SegEnd) {
    B -= opener(SB).size();
    SB = Quote::None;
  }
  if (SE != Quote::None && E == QE.SegEnd && OrigB <= QE.SegBegin) {
    E += closer(SE).size();
    SE = Quote::None;
  }
  TextEdit T;
  T.Offset = B;
  T.Length = E - B;
  if (SB != SE)
    T.Text = (closer(SB) + opener(SE)).str();
  return T;
}

// -- commands --------------------------------------------------------------------------

enum class Tool : uint8_t { Other, Curl, Wget };

/// One option of a parsed command line.
struct CliOpt {
  std::string Name;               ///< canonical long name ("data", "header", …)
  size_t Arg = 0;                 ///< the argument holding the option
  std::optional<size_t> ValueArg; ///< a separate value argument
  bool Attached = false;          ///< the value is in the same argument (`-dx`, `--x=y`)
  size_t ValueItem = 0;           ///< attached: its first item in Args[Arg]
  bool Clustered = false;         ///< shares its argument with other short options
  size_t CharItem = 0;            ///< the option letter's item (clustered short options)
  bool TakesValue() const { return ValueArg || Attached; }
};

struct Command {
  Node N;
  Tool T = Tool::Other;
  std::string Name; ///< the command name as written
  Node NameNode;
  std::vector<Word> Args;
  std::vector<CliOpt> Opts;
  std::vector<size_t> Positional; ///< argument indices of operands (URLs)
  bool Unparsed = false;          ///< an option this fix cannot place (a hole in it)
};

// clang-format off
const char *const CurlShortValue = "AbcCdDeEFHKmoPQrtTuUwxXyYz";
const char *const CurlShortNames[][2] = {
    {"A", "user-agent"}, {"b", "cookie"},    {"c", "cookie-jar"},  {"C", "continue-at"},
    {"d", "data"},       {"D", "dump-header"}, {"e", "referer"},   {"E", "cert"},
    {"F", "form"},       {"H", "header"},    {"K", "config"},      {"m", "max-time"},
    {"o", "output"},     {"P", "ftp-port"},  {"Q", "quote"},       {"r", "range"},
    {"t", "telnet-option"}, {"T", "upload-file"}, {"u", "user"},   {"U", "proxy-user"},
    {"w", "write-out"},  {"x", "proxy"},     {"X", "request"},     {"y", "speed-time"},
    {"Y", "speed-limit"}, {"z", "time-cond"}, {"f", "fail"},       {"s", "silent"},
    {"S", "show-error"}, {"L", "location"},  {"k", "insecure"},    {"i", "include"},
    {"I", "head"},       {"v", "verbose"},   {"G", "get"},         {"O", "remote-name"},
    {"J", "remote-header-name"}, {"g", "globoff"}, {"N", "no-buffer"}, {"n", "netrc"},
    {":", "next"},       {"Z", "parallel"},
};
/// curl's long options that take a value (curl 7.x/8.x); the rest are flags.
const char *const CurlLongValue[] = {
    "abstract-unix-socket", "alt-svc", "aws-sigv4", "cacert", "capath", "cert", "cert-type",
    "ciphers", "config", "connect-timeout", "connect-to", "continue-at", "cookie",
    "cookie-jar", "create-file-mode", "crlfile", "curves", "data", "data-ascii",
    "data-binary", "data-raw", "data-urlencode", "delegation", "dns-interface",
    "dns-ipv4-addr", "dns-ipv6-addr", "dns-servers", "doh-url", "dump-header", "ech",
    "egd-file", "engine", "etag-compare", "etag-save", "expect100-timeout", "form",
    "form-string", "ftp-account", "ftp-alternative-to-user", "ftp-method", "ftp-port",
    "ftp-ssl-ccc-mode", "happy-eyeballs-timeout-ms", "haproxy-clientip", "header",
    "hostpubmd5", "hostpubsha256", "hsts", "interface", "ip-tos", "ipfs-gateway", "json",
    "keepalive-time", "keepalive-cnt", "key", "key-type", "krb", "libcurl", "limit-rate",
    "local-port", "login-options", "mail-auth", "mail-from", "mail-rcpt", "max-filesize",
    "max-redirs", "max-time", "netrc-file", "noproxy", "oauth2-bearer", "output",
    "output-dir", "parallel-max", "pass", "pinnedpubkey", "preproxy", "proto",
    "proto-default", "proto-redir", "proxy", "proxy-cacert", "proxy-capath", "proxy-cert",
    "proxy-cert-type", "proxy-ciphers", "proxy-crlfile", "proxy-header", "proxy-key",
    "proxy-key-type", "proxy-pass", "proxy-pinnedpubkey", "proxy-service-name",
    "proxy-tls13-ciphers", "proxy-tlsauthtype", "proxy-tlspassword", "proxy-tlsuser",
    "proxy-user", "proxy1.0", "pubkey", "quote", "random-file", "range", "rate", "referer",
    "request", "request-target", "resolve", "retry", "retry-delay", "retry-max-time",
    "sasl-authzid", "service-name", "socks4", "socks4a", "socks5", "socks5-gssapi-service",
    "socks5-hostname", "speed-limit", "speed-time", "stderr", "telnet-option",
    "tftp-blksize", "time-cond", "tls-max", "tls13-ciphers", "tlsauthtype", "tlspassword",
    "tlsuser", "trace", "trace-ascii", "trace-config", "unix-socket", "upload-file", "url",
    "url-query", "user", "user-agent", "variable", "write-out",
};
const char *const WgetShortValue = "eoaiBtOTwQPUlARDXIn";
const char *const WgetShortNames[][2] = {
    {"e", "execute"},  {"o", "output-file"},      {"a", "append-output"},
    {"i", "input-file"}, {"B", "base"},           {"t", "tries"},
    {"O", "output-document"}, {"T", "timeout"},   {"w", "wait"},
    {"Q", "quota"},    {"P", "directory-prefix"}, {"U", "user-agent"},
    {"l", "level"},    {"A", "accept"},           {"R", "reject"},
    {"D", "domains"},  {"X", "exclude-directories"}, {"I", "include-directories"},
    {"n", "n"},        {"q", "quiet"},            {"v", "verbose"},
    {"r", "recursive"}, {"c", "continue"},        {"N", "timestamping"},
    {"S", "server-response"}, {"b", "background"}, {"x", "force-directories"},
};
const char *const WgetLongValue[] = {
    "accept", "append-output", "base", "bind-address", "body-data", "body-file",
    "ca-certificate", "ca-directory", "certificate", "certificate-type", "config",
    "connect-timeout", "default-page", "directory-prefix", "dns-timeout", "domains",
    "exclude-directories", "exclude-domains", "execute", "header", "http-password",
    "http-user", "include-directories", "input-file", "level", "limit-rate",
    "load-cookies", "local-encoding", "method", "output-document", "output-file",
    "password", "post-data", "post-file", "private-key", "private-key-type",
    "proxy-password", "proxy-user", "quota", "read-timeout", "referer", "reject",
    "remote-encoding", "restrict-file-names", "save-cookies", "secure-protocol",
    "timeout", "tries", "user", "user-agent", "wait", "waitretry",
};
// clang-format on

std::string shortName(Tool T, char C) {
  if (T == Tool::Curl) {
    for (const auto &P : CurlShortNames)
      if (P[0][0] == C)
        return P[1];
  } else {
    for (const auto &P : WgetShortNames)
      if (P[0][0] == C)
        return P[1];
  }
  return std::string(1, C);
}

bool longTakesValue(Tool T, llvm::StringRef Name) {
  if (T == Tool::Curl) {
    for (const char *V : CurlLongValue)
      if (Name == V)
        return true;
    return false;
  }
  for (const char *V : WgetLongValue)
    if (Name == V)
      return true;
  return false;
}

bool isDataOpt(llvm::StringRef N) {
  return N == "data" || N == "data-ascii" || N == "data-binary" || N == "data-raw";
}
bool isBodyOpt(const Command &C, llvm::StringRef N) {
  if (C.T == Tool::Wget)
    return N == "post-data" || N == "post-file" || N == "body-data" || N == "body-file";
  return isDataOpt(N) || N == "data-urlencode" || N == "form" || N == "form-string" ||
         N == "json" || N == "upload-file";
}

Command parseCommand(Node N, llvm::StringRef Text) {
  Command C;
  C.N = N;
  C.NameNode = N.field("name");
  C.Name = C.NameNode.text().str();
  llvm::StringRef Base = llvm::sys::path::filename(C.Name);
  if (Base == "curl")
    C.T = Tool::Curl;
  else if (Base == "wget")
    C.T = Tool::Wget;
  for (const Node &A : N.fieldAll("argument"))
    C.Args.push_back(decodeWord(A, Text));
  if (C.T == Tool::Other)
    return C;
  bool EndOfOpts = false;
  for (size_t I = 0; I < C.Args.size(); ++I) {
    const Word &W = C.Args[I];
    llvm::StringRef F(W.Flat);
    if (EndOfOpts || !F.startswith("-") || F == "-") {
      C.Positional.push_back(I);
      continue;
    }
    if (F == "--") {
      EndOfOpts = true;
      continue;
    }
    if (F.startswith("--")) {
      llvm::StringRef Name = F.drop_front(2);
      CliOpt O;
      O.Arg = I;
      size_t Eq = Name.find('=');
      if (C.T == Tool::Wget && Eq != llvm::StringRef::npos) {
        O.Name = Name.take_front(Eq).str();
        O.Attached = true;
        O.ValueItem = 2 + Eq + 1;
      } else {
        O.Name = Name.str();
        if (Name.contains('\x1f'))
          C.Unparsed = true;
        if (longTakesValue(C.T, Name) && I + 1 < C.Args.size())
          O.ValueArg = ++I;
      }
      C.Opts.push_back(O);
      continue;
    }
    // A cluster of short options; the first one taking a value ends it.
    llvm::StringRef ShortValue = C.T == Tool::Curl ? CurlShortValue : WgetShortValue;
    size_t Count = 0;
    for (size_t J = 1; J < F.size(); ++J) {
      char Ch = F[J];
      if (Ch == '\x1f') {
        C.Unparsed = true;
        break;
      }
      CliOpt O;
      O.Arg = I;
      O.Name = shortName(C.T, Ch);
      O.CharItem = J;
      ++Count;
      if (ShortValue.contains(Ch)) {
        if (J + 1 < F.size()) {
          O.Attached = true;
          O.ValueItem = J + 1;
        } else if (I + 1 < C.Args.size()) {
          O.ValueArg = I + 1;
        }
        C.Opts.push_back(O);
        break;
      }
      C.Opts.push_back(O);
    }
    for (size_t K = C.Opts.size() - Count; K < C.Opts.size(); ++K)
      C.Opts[K].Clustered = Count > 1;
    if (!C.Opts.empty() && C.Opts.back().Arg == I && C.Opts.back().ValueArg)
      ++I;
  }
  return C;
}

/// The option whose value is (in) argument \p Arg, or nullptr.
const CliOpt *optionOfValue(const Command &C, size_t Arg) {
  for (const CliOpt &O : C.Opts)
    if ((O.ValueArg && *O.ValueArg == Arg) || (O.Attached && O.Arg == Arg))
      return &O;
  return nullptr;
}

bool hasOpt(const Command &C, llvm::StringRef Name) {
  for (const CliOpt &O : C.Opts)
    if (O.Name == Name)
      return true;
  return false;
}

/// The items of an option's value.
std::pair<const Word *, size_t> valueOf(const Command &C, const CliOpt &O) {
  if (O.ValueArg)
    return {&C.Args[*O.ValueArg], 0};
  if (O.Attached)
    return {&C.Args[O.Arg], O.ValueItem};
  return {nullptr, 0};
}

std::string valueFlat(const Command &C, const CliOpt &O) {
  auto [W, From] = valueOf(C, O);
  if (!W)
    return "";
  return W->Flat.substr(std::min(From, W->Flat.size()));
}

// -- the fixer -----------------------------------------------------------------------

class ShellFixer final : public LanguageFixer {
public:
  llvm::StringRef name() const override { return "shell"; }
  bool handles(Language L) const override { return L == Language::Shell; }
  void fix(FileContext &Ctx) const override;
};

/// What one finding needs: edits (its carriers' removals) and the commands to convert.
struct Need {
  std::vector<TextEdit> Edits;
  std::set<size_t> Commands;      ///< indices into Run::Cmds
  std::string Why;                ///< non-empty: left for a person
  std::vector<ByteRange> Removed; ///< raw ranges that leave the script (for env-var findings)
};

/// How a command is converted (once per command, shared by its findings).
struct Conversion {
  bool Done = false;
  std::vector<TextEdit> Edits;
  std::string Why;
  std::string What;                ///< the fixed() message
  bool ReplacedAuthHeader = false; ///< wget: an existing Zoho-authtoken header was replaced
};

struct Run {
  Run(FileContext &Ctx, llvm::StringRef Text, std::string NS)
      : Ctx(Ctx), Text(Text), NS(std::move(NS)) {}
  FileContext &Ctx;
  llvm::StringRef Text;
  std::string NS;
  std::vector<Command> Cmds;
  std::map<uint32_t, size_t> CmdAt; ///< command begin -> index
  std::vector<Node> Assigns;        ///< variable_assignment nodes
  std::vector<Node> Expansions;     ///< simple_expansion / expansion nodes
  std::vector<Node> Declarations;   ///< declaration_command / unset_command nodes
  std::vector<Node> Heredocs;       ///< heredoc_body nodes
  std::vector<Node> Comments;
  std::vector<Command> OtherCmds; ///< every command (also non-curl), for `read X` …
  std::vector<Conversion> Conv;
  /// Per command: the edits removing its in-command carriers and the ranges they cover.
  struct CarrierEdits {
    bool Done = false;
    std::vector<TextEdit> Edits;
    std::vector<std::pair<ByteRange, std::string>> Failed; ///< argument range -> why
    std::vector<ByteRange> Covered; ///< arguments whose credential is removed
    std::vector<ByteRange> Removed; ///< raw ranges removed
    bool RemovedHeader = false;     ///< a Zoho-authtoken header option went (curl)
  };
  std::vector<CarrierEdits> InCmd;

  void index(Node Root);
  std::optional<size_t> commandOf(size_t Offset) const;
  std::string variableName(Node Expansion) const;
  std::vector<Node> usesOf(llvm::StringRef Name) const;
  std::vector<Node> assignmentsOf(llvm::StringRef Name) const;
  const CarrierEdits &carriers(size_t CmdIndex);
  const Conversion &convert(size_t CmdIndex);
  TextEdit removeArgs(const Command &C, size_t First, size_t Last) const;
  std::optional<std::vector<TextEdit>> removeOption(const Command &C, const CliOpt &O) const;
  void forFinding(size_t Index, Need &N);
  void forAssignment(Node Assign, Need &N);
  std::string contextText(const std::set<size_t> &Commands, const std::vector<Node> &Extra) const;
  TextEdit sourceLine() const;
  std::vector<TextEdit> tidy(std::vector<TextEdit> Edits, const std::set<size_t> &Commands) const;
};

/// Merges deletions that touch or overlap (two options removed side by side) and removes
/// an option cluster whose every letter went (`-fH …` -> nothing, not a lone `-`).
std::vector<TextEdit> Run::tidy(std::vector<TextEdit> Edits,
                                const std::set<size_t> &Commands) const {
  auto Merge = [](std::vector<TextEdit> In) {
    std::sort(In.begin(), In.end(), [](const TextEdit &A, const TextEdit &B) {
      return std::tie(A.Offset, A.Length, A.Text) < std::tie(B.Offset, B.Length, B.Text);
    });
    std::vector<TextEdit> Out;
    for (TextEdit &E : In) {
      if (!Out.empty() && Out.back().Text.empty() && E.Text.empty() && Out.back().Length &&
          E.Length && E.Offset <= Out.back().Offset + Out.back().Length) {
        size_t End = std::max(Out.back().Offset + Out.back().Length, E.Offset + E.Length);
        Out.back().Length = End - Out.back().Offset;
        continue;
      }
      if (!Out.empty() && Out.back().Offset == E.Offset && Out.back().Length == E.Length &&
          Out.back().Text == E.Text)
        continue;
      Out.push_back(std::move(E));
    }
    return Out;
  };
  Edits = Merge(std::move(Edits));
  // A deletion between two blanks takes the blanks after it (`-s  \` -> `-s \`).
  for (TextEdit &T : Edits) {
    if (!T.Text.empty() || !T.Length || T.Offset == 0)
      continue;
    size_t End = T.Offset + T.Length;
    if ((Text[T.Offset - 1] == ' ' || Text[T.Offset - 1] == '\t') && End < Text.size() &&
        (Text[End] == ' ' || Text[End] == '\t')) {
      bool Touches = false;
      for (const TextEdit &O : Edits)
        Touches = Touches || (&O != &T && O.Offset > T.Offset && O.Offset <= End + 1);
      while (!Touches && End < Text.size() && (Text[End] == ' ' || Text[End] == '\t'))
        ++End;
      T.Length = End - T.Offset;
    }
  }
  auto Deleted = [&](size_t B, size_t E) {
    for (const TextEdit &T : Edits)
      if (T.Text.empty() && T.Offset <= B && E <= T.Offset + T.Length)
        return true;
    return false;
  };
  for (size_t CI : Commands) {
    const Command &C = Cmds[CI];
    for (size_t I = 0; I < C.Args.size(); ++I) {
      const Word &W = C.Args[I];
      llvm::StringRef F(W.Flat);
      if (F.size() < 3 || !F.startswith("-") || F.startswith("--") || W.Items.size() != F.size())
        continue;
      bool All = true;
      for (size_t J = 1; J < W.Items.size() && All; ++J)
        All = Deleted(W.Items[J].Begin, W.Items[J].End);
      if (!All)
        continue;
      // With the value argument of its last letter, when that went too.
      size_t Last = I;
      if (I + 1 < C.Args.size() && Deleted(C.Args[I + 1].N.begin(), C.Args[I + 1].N.end()))
        for (const CliOpt &O : C.Opts)
          if (O.Arg == I && O.ValueArg && *O.ValueArg == I + 1)
            Last = I + 1;
      std::vector<TextEdit> Kept;
      for (TextEdit &T : Edits)
        if (!(W.N.begin() <= T.Offset && T.Offset + T.Length <= C.Args[Last].N.end()))
          Kept.push_back(std::move(T));
      Kept.push_back(removeArgs(C, I, Last));
      Edits = Merge(std::move(Kept));
    }
  }
  return Edits;
}

void Run::index(Node Root) {
  std::vector<Node> Stack{Root};
  while (!Stack.empty()) {
    Node N = Stack.back();
    Stack.pop_back();
    llvm::StringRef K = N.kind();
    if (K == "command" && N.field("name")) {
      Command C = parseCommand(N, Text);
      if (C.T != Tool::Other) {
        CmdAt[N.begin()] = Cmds.size();
        Cmds.push_back(std::move(C));
      } else {
        OtherCmds.push_back(std::move(C));
      }
    } else if (K == "variable_assignment") {
      Assigns.push_back(N);
    } else if (K == "simple_expansion" || K == "expansion") {
      Expansions.push_back(N);
    } else if (K == "declaration_command" || K == "unset_command") {
      Declarations.push_back(N);
    } else if (K == "heredoc_body") {
      Heredocs.push_back(N);
    } else if (K == "comment") {
      Comments.push_back(N);
    }
    for (unsigned I = N.childCount(); I-- > 0;)
      Stack.push_back(N.child(I));
  }
  auto ByBegin = [](const Node &A, const Node &B) { return A.begin() < B.begin(); };
  std::sort(Assigns.begin(), Assigns.end(), ByBegin);
  std::sort(Expansions.begin(), Expansions.end(), ByBegin);
  Conv.resize(Cmds.size());
  InCmd.resize(Cmds.size());
}

std::optional<size_t> Run::commandOf(size_t Offset) const {
  std::optional<size_t> Best;
  for (size_t I = 0; I < Cmds.size(); ++I) {
    ByteRange R = Cmds[I].N.range();
    if (R.Begin <= Offset && Offset < R.End && (!Best || Cmds[*Best].N.range().contains(R)))
      Best = I;
  }
  return Best;
}

std::string Run::variableName(Node E) const {
  for (const Node &C : E.namedChildren(true))
    if (C.kind() == "variable_name")
      return C.text().str();
  return "";
}

std::vector<Node> Run::usesOf(llvm::StringRef Name) const {
  std::vector<Node> Out;
  for (const Node &E : Expansions)
    if (variableName(E) == Name)
      Out.push_back(E);
  return Out;
}

std::vector<Node> Run::assignmentsOf(llvm::StringRef Name) const {
  std::vector<Node> Out;
  for (const Node &A : Assigns)
    if (A.field("name").text() == Name)
      Out.push_back(A);
  return Out;
}

/// Whether a text range begins a line (only blanks before it).
bool startsLine(llvm::StringRef Text, size_t Offset) {
  return Text.slice(lineBegin(Text, Offset), Offset).find_first_not_of(" \t") ==
         llvm::StringRef::npos;
}

TextEdit Run::removeArgs(const Command &C, size_t First, size_t Last) const {
  size_t S = C.Args[First].N.begin(), E = C.Args[Last].N.end();
  size_t PrevEnd = First > 0 ? C.Args[First - 1].N.end() : C.NameNode.end();
  // What follows on the same line: the next argument, or ` \` and the line break.
  size_t P = E;
  while (P < Text.size() && (Text[P] == ' ' || Text[P] == '\t'))
    ++P;
  bool Continued =
      P + 1 < Text.size() && Text[P] == '\\' &&
      (Text[P + 1] == '\n' || (Text[P + 1] == '\r' && P + 2 < Text.size() && Text[P + 2] == '\n'));
  bool NextOnLine = Last + 1 < C.Args.size() && C.Args[Last + 1].N.begin() == P;
  TextEdit T;
  if (NextOnLine) {
    T.Offset = S;
    T.Length = P - S;
  } else if (Continued && startsLine(Text, S)) {
    size_t LB = lineBegin(Text, S);
    T.Offset = LB;
    T.Length = lineEndWithBreak(Text, P) - LB; // the whole continuation line
  } else {
    T.Offset = PrevEnd;
    T.Length = E - PrevEnd;
  }
  return T;
}

std::optional<std::vector<TextEdit>> Run::removeOption(const Command &C, const CliOpt &O) const {
  if (O.Clustered) {
    // `-sd VALUE`: the letter goes from the cluster, the value argument with it.
    const Word &W = C.Args[O.Arg];
    std::vector<TextEdit> Out;
    TextEdit T;
    T.Offset = W.Items[O.CharItem].Begin;
    T.Length = (O.Attached ? W.Items.back().End : W.Items[O.CharItem].End) - T.Offset;
    if (O.Attached && W.N.end() > W.Items.back().End)
      return std::nullopt; // a quoted attached value: not worth the edge cases
    Out.push_back(T);
    if (O.ValueArg) {
      size_t V = *O.ValueArg;
      TextEdit R;
      R.Offset = C.Args[V - 1].N.end();
      R.Length = C.Args[V].N.end() - R.Offset;
      Out.push_back(R);
    }
    return Out;
  }
  size_t Last = O.ValueArg ? *O.ValueArg : O.Arg;
  return std::vector<TextEdit>{removeArgs(C, O.Arg, Last)};
}

/// `Authorization: Zoho-authtoken …` (the whole header line, as -H/--header take it).
bool isLegacyAuthLine(llvm::StringRef V) {
  V = V.trim();
  return V.startswith_insensitive("authorization") && V.drop_front(13).ltrim().startswith(":") &&
         V.contains_insensitive("zoho-authtoken");
}

const Run::CarrierEdits &Run::carriers(size_t CI) {
  CarrierEdits &R = InCmd[CI];
  if (R.Done)
    return R;
  R.Done = true;
  const Command &C = Cmds[CI];
  // Pass 1: authtoken parameters and fields; pass 2 (when one went): scope=…api too.
  struct Cut {
    const Word *W;
    size_t From;
    bool Form;
    ByteRange Arg;
    const CliOpt *Opt; ///< the option whose value it is (nullptr: a URL operand)
  };
  std::vector<Cut> Cuts;
  for (size_t P : C.Positional)
    Cuts.push_back({&C.Args[P], 0, false, C.Args[P].N.range(), nullptr});
  for (const CliOpt &O : C.Opts) {
    auto [W, From] = valueOf(C, O);
    if (!W)
      continue;
    ByteRange AR{static_cast<uint32_t>(C.Args[O.Arg].N.begin()), static_cast<uint32_t>(W->N.end())};
    if (O.Name == "url")
      Cuts.push_back({W, From, false, AR, &O});
    else if ((C.T == Tool::Curl && isDataOpt(O.Name)) ||
             (C.T == Tool::Wget && (O.Name == "post-data" || O.Name == "body-data")))
      Cuts.push_back({W, From, true, AR, &O});
  }
  bool AnyAuthtoken = false;
  std::vector<TextEdit> Edits;
  std::set<const CliOpt *> RemovedOpts;
  for (int Pass = 0; Pass < 2; ++Pass) {
    for (const Cut &K : Cuts) {
      llvm::ArrayRef<ParamItem> Items(K.W->Items);
      Items = Items.drop_front(std::min(K.From, Items.size()));
      std::string Why;
      auto Rm = removedParams(Items, K.Form, /*ScopeAlone=*/Pass == 1, Why);
      if (!Rm) {
        if (Pass == 0)
          R.Failed.push_back({K.Arg, Why});
        continue;
      }
      if (Rm->Runs.empty() || (Pass == 0) != Rm->Authtoken)
        continue; // pass 0 takes the authtoken carriers, pass 1 the scope-only ones
      AnyAuthtoken = AnyAuthtoken || Rm->Authtoken;
      R.Covered.push_back(K.Arg);
      if (Rm->Everything && !K.Opt) {
        R.Failed.push_back({K.Arg, "the argument holds only the authtoken; edit it by hand"});
        continue;
      }
      if (Rm->Everything) {
        if (C.T == Tool::Curl) {
          auto E = removeOption(C, *K.Opt);
          if (!E) {
            R.Failed.push_back(
                {K.Arg, "the option's value is attached in a way this fix does not edit"});
            continue;
          }
          Edits.insert(Edits.end(), E->begin(), E->end());
          RemovedOpts.insert(K.Opt);
        } else {
          // wget --post-data='' keeps the POST.
          TextEdit T;
          T.Offset = K.From ? K.W->Items[K.From - 1].End : K.W->N.begin();
          T.Length = K.W->N.end() - T.Offset;
          T.Text = "''";
          Edits.push_back(T);
        }
        R.Removed.push_back(K.Arg);
        continue;
      }
      for (const ItemRun &Run : Rm->Runs) {
        TextEdit T = cutItems(*K.W, K.From + Run.First, K.From + Run.Last);
        Edits.push_back(T);
        R.Removed.push_back(
            {static_cast<uint32_t>(T.Offset), static_cast<uint32_t>(T.Offset + T.Length)});
      }
    }
    // Fields and headers.
    for (const CliOpt &O : C.Opts) {
      if (RemovedOpts.count(&O))
        continue;
      std::string V = valueFlat(C, O);
      auto [W, From] = valueOf(C, O);
      if (!W)
        continue;
      ByteRange AR{static_cast<uint32_t>(C.Args[O.Arg].N.begin()),
                   static_cast<uint32_t>(W->N.end())};
      bool Field = O.Name == "data-urlencode" || O.Name == "form" || O.Name == "form-string";
      if (C.T == Tool::Curl && Field) {
        llvm::StringRef F(V);
        llvm::StringRef Key =
            F.take_until([](char Ch) { return Ch == '=' || Ch == '@' || Ch == '<'; });
        llvm::StringRef Val = F.drop_front(std::min(Key.size() + 1, F.size()));
        bool Auth = Key.equals_insensitive("authtoken");
        bool Scope =
            Key.equals_insensitive("scope") && !Val.contains('\x1f') && isLegacyScopeValue(Val);
        if ((Pass == 0 && Auth) || (Pass == 1 && Scope)) {
          auto E = removeOption(C, O);
          if (!E) {
            R.Failed.push_back(
                {AR, "the option's value is attached in a way this fix does not edit"});
            continue;
          }
          Edits.insert(Edits.end(), E->begin(), E->end());
          RemovedOpts.insert(&O);
          R.Covered.push_back(AR);
          R.Removed.push_back(AR);
          AnyAuthtoken = AnyAuthtoken || Auth;
        }
        continue;
      }
      if (Pass == 0 && O.Name == "header" &&
          llvm::StringRef(V).contains_insensitive("zoho-authtoken")) {
        if (!isLegacyAuthLine(V)) {
          R.Failed.push_back({AR, "the Zoho-authtoken header is not a plain `Authorization: "
                                  "Zoho-authtoken …` line; edit it by hand"});
          continue;
        }
        if (C.T == Tool::Curl) {
          auto E = removeOption(C, O);
          if (!E) {
            R.Failed.push_back(
                {AR, "the option's value is attached in a way this fix does not edit"});
            continue;
          }
          Edits.insert(Edits.end(), E->begin(), E->end());
          RemovedOpts.insert(&O);
          R.RemovedHeader = true;
        } else {
          TextEdit T;
          T.Offset = From ? W->Items[From - 1].End : W->N.begin();
          T.Length = W->N.end() - T.Offset;
          T.Text = "\"Authorization: $(zoho_auth_header)\"";
          Edits.push_back(T);
          Conv[CI].ReplacedAuthHeader = true;
        }
        R.Covered.push_back(AR);
        R.Removed.push_back(AR);
        AnyAuthtoken = true;
      }
    }
    if (!AnyAuthtoken)
      break;
  }
  // A POST whose only body was the authtoken stays a POST.
  if (C.T == Tool::Curl && !RemovedOpts.empty() && !hasOpt(C, "request") && !hasOpt(C, "get")) {
    bool HadBody = false, BodyLeft = false;
    for (const CliOpt &O : C.Opts)
      if (isBodyOpt(C, O.Name)) {
        HadBody = true;
        BodyLeft = BodyLeft || !RemovedOpts.count(&O);
      }
    if (HadBody && !BodyLeft) {
      TextEdit T;
      T.Offset = C.NameNode.end();
      T.Text = " -X POST";
      Edits.push_back(T);
    }
  }
  R.Edits = std::move(Edits);
  return R;
}

const Conversion &Run::convert(size_t CI) {
  Conversion &V = Conv[CI];
  if (V.Done)
    return V;
  V.Done = true;
  const Command &C = Cmds[CI];
  if (C.Unparsed) {
    V.Why = "an option of this command is built from a variable; this fix cannot tell its "
            "options from its URLs";
    return V;
  }
  if (C.NameNode.text() != C.NameNode.text().trim() ||
      C.Name.find_first_of("\"'\\$") != std::string::npos) {
    V.Why = "the command name is quoted or built; rewrite it by hand";
    return V;
  }
  std::string Shown = llvm::sys::path::filename(C.Name).str();
  size_t Urls = C.Positional.size();
  for (const CliOpt &O : C.Opts)
    Urls += O.Name == "url";
  if (hasOpt(C, "next") || hasOpt(C, "parallel") || Urls > 1) {
    V.Why = fmt::format("this {} command fetches several URLs; the OAuth header would go to "
                        "each of them: split it into one command per Zoho URL first",
                        Shown);
    return V;
  }
  if (C.Positional.empty() && !hasOpt(C, "url")) {
    V.Why = "no URL operand was found in this command";
    return V;
  }
  // Redirections of the command's standard output (for -o FILE -> >FILE).
  Node Parent = C.N.parent();
  bool StdoutRedirected = false;
  if (Parent && Parent.kind() == "redirected_statement")
    for (const Node &Rd : Parent.fieldAll("redirect")) {
      if (Rd.kind() != "file_redirect")
        continue;
      llvm::StringRef RT = Rd.text();
      Node FD = Rd.field("descriptor");
      bool Out = RT.contains('>') && !RT.contains(">&") ? true : RT.startswith("&>");
      if (Out && (!FD || FD.text() == "1"))
        StdoutRedirected = true;
    }
  std::vector<std::string> Notes;
  if (C.T == Tool::Wget) {
    for (const CliOpt &O : C.Opts) {
      if (O.Name == "input-file" || O.Name == "recursive" || O.Name == "mirror" ||
          O.Name == "page-requisites") {
        V.Why = "this wget command fetches further URLs (-i, -r, -p); the OAuth header would "
                "go to each of them: fetch the Zoho URL in a command of its own";
        return V;
      }
      if (O.Name == "header") {
        std::string HV = valueFlat(C, O);
        if (llvm::StringRef(HV).trim().startswith_insensitive("authorization") &&
            !llvm::StringRef(HV).contains_insensitive("zoho-authtoken")) {
          V.Why = "the command already sends another Authorization header";
          return V;
        }
      }
    }
    (void)carriers(CI);
    if (!V.ReplacedAuthHeader) {
      TextEdit T;
      T.Offset = C.NameNode.end();
      T.Text = " --header=\"Authorization: $(zoho_auth_header)\"";
      V.Edits.push_back(T);
    }
    V.What = "`wget` sends `Authorization: $(zoho_auth_header)` from the helper " + NS +
             ".sh (no retry after a 401: wget cannot be re-run with a new token by the "
             "helper; the access token is on wget's command line while it runs)";
    return V;
  }
  // curl -> zoho_curl.
  bool HadFail = false;
  for (const CliOpt &O : C.Opts) {
    llvm::StringRef N(O.Name);
    std::string Val = valueFlat(C, O);
    if (N == "write-out" || N == "remote-name" || N == "remote-name-all" ||
        N == "remote-header-name" || N == "output-dir") {
      V.Why = fmt::format("zoho_curl sets curl's output and --write-out itself (it prints the "
                          "body and reads the status); this command's `{}` must be rewritten "
                          "by hand",
                          N.size() == 1 ? "-" + N.str() : "--" + N.str());
      return V;
    }
    if (N == "dump-header" || N == "trace" || N == "trace-ascii" || N == "stderr") {
      if (Val == "-" || Val == "/dev/stdout") {
        V.Why = "this command writes headers or traces to standard output, where zoho_curl "
                "reads the HTTP status; rewrite it by hand";
        return V;
      }
    }
    if ((isBodyOpt(C, N) || N == "config") && llvm::StringRef(Val).contains("@-")) {
      V.Why = "the request body is read from standard input; zoho_curl's retry after a 401 "
              "would send it empty: pass the body from a file or a variable first";
      return V;
    }
    if (N == "upload-file" && Val == "-") {
      V.Why = "the upload is read from standard input; zoho_curl's retry after a 401 would "
              "send it empty: upload from a file first";
      return V;
    }
    if (N == "config") {
      V.Why = "the command reads curl options from a config file (-K), which may set the "
              "output or another Authorization header; rewrite it by hand";
      return V;
    }
    if (N == "oauth2-bearer" || N == "user" ||
        (N == "header" && llvm::StringRef(Val).trim().startswith_insensitive("authorization") &&
         !llvm::StringRef(Val).contains_insensitive("zoho-authtoken"))) {
      V.Why = "the command already sends other credentials (an Authorization header, -u or "
              "--oauth2-bearer); decide which one Zoho should get by hand";
      return V;
    }
  }
  for (const CliOpt &O : C.Opts) {
    if (O.Name == "fail" || O.Name == "fail-with-body") {
      auto E = removeOption(C, O);
      if (!E) {
        V.Why = "the command's -f option is clustered in a way this fix does not edit";
        return V;
      }
      V.Edits.insert(V.Edits.end(), E->begin(), E->end());
      HadFail = true;
    }
    if (O.Name == "output") {
      if (!O.ValueArg && !O.Attached) {
        V.Why = "the -o option has no value";
        return V;
      }
      const Word &W = O.ValueArg ? C.Args[*O.ValueArg] : C.Args[O.Arg];
      std::string Dest =
          O.ValueArg ? W.N.text().str() : Text.slice(W.Items[O.ValueItem].Begin, W.N.end()).str();
      if (Dest != "-") {
        if (StdoutRedirected) {
          V.Why = "the command writes the body with -o and redirects its standard output too; "
                  "zoho_curl prints the body: rewrite the redirections by hand";
          return V;
        }
        TextEdit T;
        T.Offset = C.N.end();
        T.Text = " >" + Dest;
        V.Edits.push_back(T);
        Notes.push_back("`-o " + Dest + "` became `>" + Dest + "`");
      }
      auto E = removeOption(C, O);
      if (!E) {
        V.Why = "the command's -o option is clustered in a way this fix does not edit";
        return V;
      }
      V.Edits.insert(V.Edits.end(), E->begin(), E->end());
    }
  }
  TextEdit Name;
  Name.Offset = C.NameNode.begin();
  Name.Length = C.NameNode.end() - C.NameNode.begin();
  Name.Text = "zoho_curl";
  V.Edits.push_back(Name);
  V.What = "`curl` becomes `zoho_curl` (" + NS +
           ".sh: the OAuth header from a 0600 temp file, one retry after a 401; it runs curl "
           "-s, prints the body once the transfer ends and exits 22 for an HTTP status >= 400, "
           "41 for a 401 that persists";
  V.What += HadFail ? "; `-f` dropped: zoho_curl fails on HTTP errors itself, printing "
                      "their body)"
                    : ", where curl exited 0)";
  for (const std::string &N : Notes)
    V.What += "; " + N;
  return V;
}

std::string Run::contextText(const std::set<size_t> &Commands,
                             const std::vector<Node> &Extra) const {
  std::string Seen;
  std::set<std::string> Vars;
  std::vector<ByteRange> Ranges;
  for (size_t CI : Commands)
    Ranges.push_back(Cmds[CI].N.range());
  for (const Node &E : Extra)
    Ranges.push_back(E.range());
  for (int Hop = 0; Hop < 4 && !Ranges.empty(); ++Hop) {
    std::vector<ByteRange> Next;
    for (ByteRange R : Ranges) {
      Seen += Text.slice(R.Begin, R.End).str() + " ";
      for (const Node &E : Expansions)
        if (R.Begin <= E.begin() && E.end() <= R.End) {
          std::string V = variableName(E);
          if (!V.empty() && Vars.insert(V).second)
            for (const Node &A : assignmentsOf(V))
              Next.push_back(A.range());
        }
    }
    Ranges = std::move(Next);
  }
  return Seen;
}

void Run::forFinding(size_t Index, Need &N) {
  const Finding &F = *Ctx.Findings[Index];
  size_t Off = F.Offset;
  for (const Node &H : Heredocs)
    if (H.begin() <= Off && Off < H.end()) {
      N.Why = "inside a here-document (a request or file the script writes out): edit it by "
              "hand; the helper's zoho_auth_header prints the new header value";
      return;
    }
  for (const Node &Cm : Comments)
    if (Cm.begin() <= Off && Off < Cm.end()) {
      N.Why = "in a comment: update the text by hand";
      return;
    }
  // The innermost curl/wget command, other command and assignment around the finding.
  std::optional<size_t> CI = commandOf(Off);
  Node Assign;
  for (const Node &A : Assigns)
    if (A.begin() <= Off && Off < A.end() && (!Assign || Assign.range().contains(A.range())))
      Assign = A;
  const Command *Other = nullptr;
  for (const Command &O : OtherCmds) {
    ByteRange R = O.N.range();
    if (R.Begin <= Off && Off < R.End && (!Other || Other->N.range().contains(R)))
      Other = &O;
  }
  if (Assign && CI) {
    ByteRange AR = Assign.range(), CR = Cmds[*CI].N.range();
    if (AR.contains(CR) && AR != CR) {
      Assign = Node(); // out=$(curl …): the command is the carrier's home
    } else {
      bool IsArg = false;
      for (const Word &W : Cmds[*CI].Args)
        IsArg = IsArg || W.N.range().contains(AR);
      if (!IsArg) {
        N.Why = "the token is in an environment assignment for this command; edit it by hand";
        return;
      }
      Assign = Node();
    }
  }
  if (Other && (!CI || Cmds[*CI].N.range().contains(Other->N.range())) &&
      (!Assign || Assign.range().contains(Other->N.range()))) {
    bool Under = false;
    for (const Word &W : Other->Args)
      Under = Under || W.Flat == "curl" || W.Flat == "wget";
    N.Why = Under ? fmt::format("curl/wget runs under `{}`, a separate program that cannot "
                                "call the helper's shell functions; give that request the "
                                "OAuth header by hand (zoho_auth_header prints it)",
                                Other->Name)
                  : fmt::format("sent by `{}`, not by curl or wget; give that request the "
                                "OAuth header by hand (the helper's zoho_auth_header prints "
                                "it)",
                                Other->Name);
    return;
  }
  if (Assign) {
    forAssignment(Assign, N);
    return;
  }
  if (!CI) {
    N.Why = "no curl or wget command holding it was found";
    return;
  }
  const CarrierEdits &K = carriers(*CI);
  for (const auto &[R, Why] : K.Failed)
    if (R.Begin <= Off && Off < R.End) {
      N.Why = Why;
      return;
    }
  bool Covered = false;
  for (ByteRange R : K.Covered)
    Covered = Covered || (R.Begin <= Off && Off < R.End);
  if (!Covered) {
    N.Why = "the finding is in an argument of this command that is not its URL, body, "
            "form field or Authorization header";
    return;
  }
  N.Edits = K.Edits;
  N.Removed = K.Removed;
  N.Commands.insert(*CI);
}

void Run::forAssignment(Node Assign, Need &N) {
  std::string Name = Assign.field("name").text().str();
  Node Value = Assign.field("value");
  if (Name.empty() || !Value) {
    N.Why = "an assignment this fix does not read";
    return;
  }
  Word W = decodeWord(Value, Text);
  llvm::StringRef Flat = llvm::StringRef(W.Flat).trim();
  enum { UrlVar, HeaderLine, HeaderValue } Kind = UrlVar;
  if (Flat.contains_insensitive("zoho-authtoken")) {
    if (isLegacyAuthLine(Flat))
      Kind = HeaderLine;
    else if (Flat.startswith_insensitive("zoho-authtoken"))
      Kind = HeaderValue;
    else {
      N.Why = "the Zoho-authtoken header is built in a way this fix does not edit";
      return;
    }
  }
  std::vector<TextEdit> ValueEdits;
  std::vector<ByteRange> Removed;
  bool QuestionRemoved = false;
  if (Kind == UrlVar) {
    std::string Why;
    auto Rm = removedParams(W.Items, /*FormBody=*/false, /*ScopeAlone=*/false, Why);
    if (!Rm) {
      N.Why = Why;
      return;
    }
    if (!Rm->Authtoken) {
      N.Why = "the variable's authtoken parameter is built in a way this fix does not edit";
      return;
    }
    QuestionRemoved = Rm->QuestionRemoved;
    for (const ItemRun &R : Rm->Runs) {
      TextEdit T = cutItems(W, R.First, R.Last);
      ValueEdits.push_back(T);
      Removed.push_back(
          {static_cast<uint32_t>(T.Offset), static_cast<uint32_t>(T.Offset + T.Length)});
    }
  } else {
    // The whole assignment goes once every user sends the OAuth header instead.
    Node St = Assign;
    Node P = Assign.parent();
    if (P && P.kind() == "declaration_command") {
      unsigned Assignments = 0;
      for (const Node &C : P.namedChildren(true))
        Assignments += C.kind() == "variable_assignment" || C.kind() == "variable_name";
      if (Assignments != 1) {
        N.Why = "the header variable is declared together with others; edit it by hand";
        return;
      }
      St = P;
    } else if (P && P.kind() == "command") {
      N.Why = "the header is an environment assignment for one command; edit it by hand";
      return;
    }
    ValueEdits.push_back(removeRange(Text, St.begin(), St.end()));
    Removed.push_back(St.range());
  }

  // Every use, followed through variables built from it.
  std::set<size_t> Commands;
  std::vector<TextEdit> UseEdits;
  std::vector<Node> Contexts{Assign};
  std::vector<std::string> Names{Name};
  std::set<std::string> SeenNames;
  for (size_t NI = 0; NI < Names.size(); ++NI) {
    const std::string V = Names[NI];
    if (!SeenNames.insert(V).second)
      continue;
    if (NI > 3) {
      N.Why = "the variable is passed on through too many other variables";
      return;
    }
    auto As = assignmentsOf(V);
    if (As.size() != 1) {
      N.Why = fmt::format("`{}` is assigned {} times in this script; which value each command "
                          "sends is not clear",
                          V, As.size());
      return;
    }
    for (const Node &D : Declarations) {
      llvm::StringRef DT = D.text();
      bool Export = DT.startswith("export") || DT.startswith("declare -x") ||
                    DT.startswith("typeset -x") || D.kind() == "unset_command";
      if (!Export)
        continue;
      for (const Node &C : D.namedChildren(true))
        if ((C.kind() == "variable_name" && C.text() == V) ||
            (C.kind() == "variable_assignment" && C.field("name").text() == V) ||
            (C.kind() == "word" && C.text() == V)) {
          N.Why = fmt::format("`{}` is exported to (or unset for) other programs; edit its "
                              "users by hand",
                              V);
          return;
        }
    }
    for (const Command &O : OtherCmds)
      if (O.Name == "read" || O.Name == "mapfile" || O.Name == "readarray" || O.Name == "getopts")
        for (const Word &A : O.Args)
          if (A.Flat == V) {
            N.Why = fmt::format("`{}` is also read with `{}`; edit its users by hand", V, O.Name);
            return;
          }
    auto Uses = usesOf(V);
    if (Uses.empty() && NI == 0) {
      N.Why = fmt::format("no command in this script uses `${}`", V);
      return;
    }
    for (const Node &U : Uses) {
      llvm::StringRef UT = U.text();
      // `"$URL&page=2"` after URL lost its whole query: the `&` becomes the `?`.
      if (QuestionRemoved && NI == 0 && U.end() < Text.size() && Text[U.end()] == '&') {
        Node Top = U;
        while (Top.parent() &&
               (Top.parent().kind() == "string" || Top.parent().kind() == "concatenation"))
          Top = Top.parent();
        if (U.end() < Top.end()) {
          TextEdit T;
          T.Offset = U.end();
          T.Length = 1;
          T.Text = "?";
          UseEdits.push_back(T);
        }
      }
      if (UT != "$" + V && UT != "${" + V + "}") {
        N.Why = fmt::format("`{}` is used in a parameter expansion (`{}`, line {}); edit it by "
                            "hand",
                            V, UT.str(), lineNumber(Text, U.begin()));
        return;
      }
      // The innermost consumer of the use: a curl/wget command, another command, or an
      // assignment building another variable from it.
      std::optional<size_t> CI = commandOf(U.begin());
      const Command *Other = nullptr;
      for (const Command &O : OtherCmds)
        if (O.N.range().contains(U.range()) && (!Other || Other->N.range().contains(O.N.range())))
          Other = &O;
      Node Into;
      for (const Node &A : Assigns)
        if (A.field("value") && A.field("value").range().contains(U.range()) &&
            (!Into || Into.range().contains(A.range())))
          Into = A;
      ByteRange Inner{0, static_cast<uint32_t>(Text.size())};
      enum { None, Curl, OtherCmd, Assignment } By = None;
      auto Consider = [&](ByteRange R, int What) {
        if (By == None || Inner.contains(R)) {
          Inner = R;
          By = static_cast<decltype(By)>(What);
        }
      };
      if (CI)
        Consider(Cmds[*CI].N.range(), Curl);
      if (Other)
        Consider(Other->N.range(), OtherCmd);
      if (Into)
        Consider(Into.range(), Assignment);
      if (By == None) {
        N.Why = fmt::format("`${}` is used outside a command (line {}); edit its users by hand", V,
                            lineNumber(Text, U.begin()));
        return;
      }
      if (By == OtherCmd) {
        N.Why = fmt::format("`${}` is also used by `{}` (line {}); give that use the OAuth header "
                            "by hand",
                            V, Other->Name, lineNumber(Text, U.begin()));
        return;
      }
      if (By == Assignment) {
        Node IP = Into.parent();
        if (Kind != UrlVar || (IP && IP.kind() == "command")) {
          N.Why = fmt::format("`{}` is copied into `{}` (line {}); edit its users by hand", V,
                              Into.field("name").text().str(), lineNumber(Text, U.begin()));
          return;
        }
        Names.push_back(Into.field("name").text().str());
        Contexts.push_back(Into);
        continue;
      }
      const Command &C = Cmds[*CI];
      size_t ArgIndex = C.Args.size();
      for (size_t I = 0; I < C.Args.size(); ++I)
        if (C.Args[I].N.range().contains(U.range()))
          ArgIndex = I;
      if (ArgIndex == C.Args.size()) {
        N.Why = fmt::format("`${}` is used outside this command's arguments (line {})", V,
                            lineNumber(Text, U.begin()));
        return;
      }
      const CliOpt *O = optionOfValue(C, ArgIndex);
      bool IsUrl = !O && llvm::is_contained(C.Positional, ArgIndex);
      if (O && O->Name == "url")
        IsUrl = true;
      bool IsBody =
          O && ((C.T == Tool::Curl && isDataOpt(O->Name)) ||
                (C.T == Tool::Wget && (O->Name == "post-data" || O->Name == "body-data")));
      bool IsHeader = O && O->Name == "header";
      if (Kind == UrlVar && !(IsUrl || IsBody)) {
        N.Why = fmt::format("`${}` is used in another argument of `{}` (line {}) than its URL or "
                            "body",
                            V, C.Name, lineNumber(Text, U.begin()));
        return;
      }
      if (Kind != UrlVar) {
        bool Shape = false;
        if (IsHeader) {
          llvm::StringRef H = llvm::StringRef(valueFlat(C, *O)).trim();
          if (Kind == HeaderLine) {
            Shape = H == "\x1f";
          } else if (H.consume_front_insensitive("authorization")) {
            H = H.ltrim();
            Shape = H.consume_front(":") && H.trim() == "\x1f";
          }
        }
        if (!Shape) {
          N.Why = fmt::format("`${}` is used in `{}` (line {}) other than as the Authorization "
                              "header",
                              V, C.Name, lineNumber(Text, U.begin()));
          return;
        }
        if (C.T == Tool::Curl) {
          auto E = removeOption(C, *O);
          if (!E) {
            N.Why = "the header option is clustered in a way this fix does not edit";
            return;
          }
          UseEdits.insert(UseEdits.end(), E->begin(), E->end());
        } else {
          auto [VW, From] = valueOf(C, *O);
          TextEdit T;
          T.Offset = From ? VW->Items[From - 1].End : VW->N.begin();
          T.Length = VW->N.end() - T.Offset;
          T.Text = "\"Authorization: $(zoho_auth_header)\"";
          UseEdits.push_back(T);
          Conv[*CI].ReplacedAuthHeader = true;
        }
      }
      Commands.insert(*CI);
    }
  }
  if (Commands.empty()) {
    N.Why = fmt::format("no curl or wget command in this script uses `${}`", Name);
    return;
  }
  N.Edits = ValueEdits;
  N.Edits.insert(N.Edits.end(), UseEdits.begin(), UseEdits.end());
  N.Removed = Removed;
  N.Commands = Commands;
  std::string Advice = deadEndpoint(contextText(Commands, Contexts));
  if (!Advice.empty()) {
    N.Why = Advice;
    N.Edits.clear();
    N.Commands.clear();
  }
}

bool isBashScript(llvm::StringRef Path, llvm::StringRef Text) {
  llvm::StringRef File = llvm::sys::path::filename(Path);
  if (File.endswith(".bash") || File.startswith(".bash") || File.endswith(".bats"))
    return true;
  if (!Text.startswith("#!"))
    return false;
  llvm::StringRef First = Text.take_until([](char C) { return C == '\n'; });
  return First.contains("bash");
}

TextEdit Run::sourceLine() const {
  std::string File = NS + ".sh";
  std::string Dir;
  bool Shebang = Text.startswith("#!");
  if (isBashScript(Ctx.Path, Text))
    Dir = "\"$(dirname \"${BASH_SOURCE[0]:-$0}\")\"";
  else if (Shebang)
    Dir = "\"$(dirname \"$0\")\"";
  else
    Dir = "\"$(dirname \"${BASH_SOURCE:-$0}\")\""; // run by sh or sourced by bash: both work
  std::string Line = ". " + Dir.substr(0, Dir.size() - 1) + "/" + File + "\"";
  // After the shebang, the comments right below it and `set`/`shopt` lines.
  size_t Pos = 0, InsertAt = 0;
  for (unsigned Count = 0; Pos < Text.size() && Count < 200; ++Count) {
    size_t E = lineEndWithBreak(Text, Pos);
    llvm::StringRef T = Text.slice(Pos, E).trim();
    bool Header = (Pos == 0 && T.startswith("#!")) || (T.startswith("#") && InsertAt == Pos) ||
                  ((T.startswith("set -") || T.startswith("set +") || T.startswith("shopt ")) &&
                   !T.contains(';') && !T.contains('&') && !T.endswith("\\"));
    if (!Header && !T.empty())
      break;
    if (Header)
      InsertAt = E;
    Pos = E;
  }
  llvm::StringRef NL = newlineOf(Text);
  TextEdit T;
  T.Offset = InsertAt;
  T.Text = Line + NL.str();
  if (InsertAt > 0 && Text[InsertAt - 1] != '\n')
    T.Text = NL.str() + T.Text;
  return T;
}

/// True if the script sources the helper already.
bool sourcesHelper(llvm::StringRef Text, llvm::StringRef NS) {
  re2::RE2 Re("(?m)^[ \\t]*(\\.|source)[ \\t]+[^\\n]*" + re2::RE2::QuoteMeta(NS.str() + ".sh"));
  return re2::RE2::PartialMatch(re2::StringPiece(Text.data(), Text.size()), Re);
}

bool overlaps(const TextEdit &A, const TextEdit &B) {
  if (A.Offset == B.Offset && A.Length == B.Length && A.Text == B.Text)
    return false;
  if (A.Length == 0 && B.Length == 0)
    return false;
  size_t AE = A.Offset + A.Length, BE = B.Offset + B.Length;
  if (A.Length == 0)
    return B.Offset < A.Offset && A.Offset < BE;
  if (B.Length == 0)
    return A.Offset < B.Offset && B.Offset < AE;
  return A.Offset < BE && B.Offset < AE;
}

void ShellFixer::fix(FileContext &Ctx) const {
  auto G = syntax::grammarFor(Ctx.Lang, Ctx.Path);
  if (!G) {
    for (size_t I = 0; I < Ctx.Findings.size(); ++I)
      Ctx.manual(I, "no syntax tree for this file (a Dockerfile or Makefile): edit the "
                    "commands by hand");
    return;
  }
  // The scan's syntax front end may have kept this very text's tree (SyntaxFixer too).
  std::shared_ptr<const syntax::ParsedFile> Kept =
      Ctx.Opts && Ctx.Opts->Parsed ? Ctx.Opts->Parsed->get(*G, Ctx.Text) : nullptr;
  std::optional<syntax::SyntaxTree> Own;
  if (!Kept) {
    auto T = syntax::parse(*G, Ctx.Text);
    if (!T) {
      std::string Why = "could not parse the file: " + llvm::toString(T.takeError());
      for (size_t I = 0; I < Ctx.Findings.size(); ++I)
        Ctx.manual(I, Why);
      return;
    }
    Own.emplace(std::move(*T));
  }
  const syntax::SyntaxTree &Tree = Kept ? Kept->Tree : *Own;
  Run Rn(Ctx, Ctx.Text, helperNamespace("shell", *Ctx.Opts));
  Rn.index(Tree.root());

  std::vector<Need> Needs(Ctx.Findings.size());
  std::vector<size_t> Deferred; // env-var and hard-coded findings: decided after the others
  for (size_t Index = 0; Index < Ctx.Findings.size(); ++Index) {
    const Finding &F = *Ctx.Findings[Index];
    Need &N = Needs[Index];
    if (F.RuleId.find("doc-") != std::string::npos) {
      N.Why = "documentation or a comment: update the text by hand";
      continue;
    }
    if (F.RuleId.find("hardcoded") != std::string::npos ||
        F.RuleId.find("env-var") != std::string::npos) {
      Deferred.push_back(Index);
      continue;
    }
    if (F.RuleId.find("generation") != std::string::npos) {
      N.Why = "a legacy token-generation flow (e-mail + password): replace it with the OAuth "
              "helper (helper --lang shell) by hand";
      continue;
    }
    if (F.RuleId.find("declared-param") != std::string::npos) {
      N.Why = "an API interface declares the authtoken parameter; change it by hand";
      continue;
    }
    if (F.RuleId.find("legacy-scope") != std::string::npos) {
      N.Why = "only the legacy scope=…api is visible here: the authtoken is added elsewhere "
              "(a config file, another script); move that request to OAuth by hand";
      continue;
    }
    Rn.forFinding(Index, N);
    if (!N.Why.empty())
      continue;
    std::string Advice = deadEndpoint(Rn.contextText(N.Commands, {}));
    if (!Advice.empty())
      N.Why = Advice;
  }
  // Conversions once every carrier is known (a header variable replaced in a wget command
  // means no second header is added).
  for (Need &N : Needs) {
    if (!N.Why.empty())
      continue;
    for (size_t CI : N.Commands) {
      const Conversion &C = Rn.convert(CI);
      if (!C.Why.empty()) {
        N.Why = C.Why;
        break;
      }
    }
  }

  // Groups: findings that share a command are fixed together; the first one owns the edits.
  std::vector<size_t> Owner(Ctx.Findings.size());
  for (size_t I = 0; I < Owner.size(); ++I)
    Owner[I] = I;
  std::function<size_t(size_t)> Find = [&](size_t I) {
    while (Owner[I] != I)
      I = Owner[I] = Owner[Owner[I]];
    return I;
  };
  std::map<size_t, size_t> FirstOfCommand;
  for (size_t I = 0; I < Needs.size(); ++I) {
    if (!Needs[I].Why.empty())
      continue;
    for (size_t CI : Needs[I].Commands) {
      auto [It, New] = FirstOfCommand.emplace(CI, I);
      if (!New) {
        size_t A = Find(It->second), B = Find(I);
        if (A != B)
          Owner[std::max(A, B)] = std::min(A, B);
      }
    }
  }
  std::map<size_t, std::vector<size_t>> Groups;
  for (size_t I = 0; I < Needs.size(); ++I)
    if (Needs[I].Why.empty())
      Groups[Find(I)].push_back(I);

  std::vector<TextEdit> Committed;
  std::vector<ByteRange> RemovedAll;
  bool AnyFix = false;
  for (auto &[Root, Members] : Groups) {
    std::vector<TextEdit> Edits;
    std::set<size_t> Commands;
    for (size_t I : Members) {
      Edits.insert(Edits.end(), Needs[I].Edits.begin(), Needs[I].Edits.end());
      Commands.insert(Needs[I].Commands.begin(), Needs[I].Commands.end());
    }
    for (size_t CI : Commands) {
      const Conversion &C = Rn.Conv[CI];
      Edits.insert(Edits.end(), C.Edits.begin(), C.Edits.end());
    }
    Edits = Rn.tidy(Edits, Commands);
    bool Clash = false;
    for (size_t A = 0; A < Edits.size() && !Clash; ++A) {
      for (size_t B = A + 1; B < Edits.size() && !Clash; ++B)
        Clash = overlaps(Edits[A], Edits[B]);
      for (const TextEdit &K : Committed)
        Clash = Clash || overlaps(Edits[A], K);
    }
    if (Clash) {
      for (size_t I : Members)
        Needs[I].Why = "its edits overlap other edits of the same command; fix it by hand";
      continue;
    }
    std::set<std::tuple<size_t, size_t, std::string>> Seen;
    for (const TextEdit &E : Edits)
      if (Seen.insert({E.Offset, E.Length, E.Text}).second) {
        Ctx.addEdit(Members.front(), E);
        Committed.push_back(E);
      }
    for (size_t I : Members) {
      std::vector<std::string> Whats;
      for (size_t CI : Needs[I].Commands)
        if (!llvm::is_contained(Whats, Rn.Conv[CI].What))
          Whats.push_back(Rn.Conv[CI].What);
      std::string What;
      for (const std::string &W : Whats)
        What += (What.empty() ? "" : "; ") + W;
      if (Needs[I].Commands.size() > 1)
        What = fmt::format("the {} commands using the variable: ", Needs[I].Commands.size()) + What;
      Ctx.fixed(I, What);
      RemovedAll.insert(RemovedAll.end(), Needs[I].Removed.begin(), Needs[I].Removed.end());
    }
    AnyFix = true;
  }
  auto InRemoved = [&](size_t Off) {
    for (ByteRange R : RemovedAll)
      if (R.Begin <= Off && Off < R.End)
        return true;
    return false;
  };
  for (size_t I : Deferred) {
    const Finding &F = *Ctx.Findings[I];
    bool Gone = InRemoved(F.Offset);
    if (F.RuleId.find("hardcoded") != std::string::npos) {
      Ctx.RevokeLines.push_back(F.Begin.Line);
      Needs[I].Why = Gone ? "a hard-coded legacy token (the patch removes it from the request): "
                            "revoke it, it stays in the repository's history"
                          : "a hard-coded legacy token: revoke it, and remove it once no "
                            "request uses it";
      continue;
    }
    if (Gone) {
      Ctx.fixed(I, "the variable's use left the request with the authtoken parameter");
      continue;
    }
    Needs[I].Why = "reads the legacy token from the environment; the helper reads "
                   "ZOHO_CLIENT_ID, ZOHO_CLIENT_SECRET and ZOHO_REFRESH_TOKEN instead";
  }
  for (size_t I = 0; I < Needs.size(); ++I)
    if (!Needs[I].Why.empty())
      Ctx.manual(I, Needs[I].Why);
  if (AnyFix) {
    if (!sourcesHelper(Ctx.Text, Rn.NS)) {
      TextEdit S = Rn.sourceLine();
      bool Clash = false;
      for (const TextEdit &K : Committed)
        Clash = Clash || overlaps(S, K);
      if (!Clash)
        Ctx.addSharedEdit(S);
    }
    Ctx.Helpers.push_back({"shell", directoryOf(Ctx.Path)});
  }
}

} // namespace

std::unique_ptr<LanguageFixer> makeShellFixer() { return std::make_unique<ShellFixer>(); }

} // namespace atm::fix
