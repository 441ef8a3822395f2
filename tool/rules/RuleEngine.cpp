#include "rules/RuleEngine.h"

#include <algorithm>
#include <map>
#include <optional>

#include "fmt/format.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "re2/re2.h"
#include "re2/set.h"

namespace atm {

namespace {
std::string collapseSpaces(llvm::StringRef S) {
  std::string Out;
  bool Space = false;
  for (char C : S.trim()) {
    if (C == ' ' || C == '\t' || C == '\r') {
      Space = true;
      continue;
    }
    if (Space && !Out.empty())
      Out.push_back(' ');
    Space = false;
    Out.push_back(C);
  }
  return Out;
}

/// Hostile-input bounds. Every finding costs O(1) work on top of the match, however
/// long its line is and however many findings share it (a minified 400 KB line can hold
/// thousands).
///
/// Lines up to LongLine bytes are shown, redacted and fingerprinted whole (fingerprints
/// of ordinary lines never depend on these bounds). A longer line is shown and
/// fingerprinted through a window: WindowSide bytes on each side of the match (of which
/// at most WindowSide bytes are kept), each edge moved to a token boundary (outward by
/// at most EdgeSlack bytes, else inward), and moved further out when cutting there would
/// separate a secret value from its key (the value would then escape redaction).
constexpr size_t LongLine = 512;
constexpr size_t WindowSide = 200;
constexpr size_t EdgeSlack = 64;
/// Context checks with a line window (`window: N`) examine at most (N + 1) * LongLine
/// bytes on each side of the match (all of a huge single line otherwise), which covers
/// the whole window whenever its lines are no longer than LongLine.
/// Snippets keep at most this many bytes.
constexpr size_t SnippetMax = 400;
/// Long lines keep a UTF-16 unit count every Utf16Block bytes (SARIF columns).
constexpr size_t Utf16Block = 4096;
constexpr llvm::StringLiteral Ellipsis = "\xE2\x80\xA6"; // U+2026 "…"

/// Bytes a window edge never falls between: identifier/token characters and UTF-8
/// sequences (so a cut never splits a token-shaped secret or a character).
bool tokenByte(char C) {
  return llvm::isAlnum(C) || C == '_' || C == '.' || C == '-' || C == '%' ||
         static_cast<unsigned char>(C) >= 0x80;
}
bool cutAt(llvm::StringRef L, size_t K) {
  return K == 0 || K >= L.size() || !tokenByte(L[K - 1]) || !tokenByte(L[K]);
}
/// A cut at or outward of \p Ideal (within EdgeSlack), else inward down to \p Limit.
size_t cutLeft(llvm::StringRef L, size_t Ideal, size_t Limit) {
  for (size_t K = Ideal, Stop = Ideal > EdgeSlack ? Ideal - EdgeSlack : 0;; --K) {
    if (cutAt(L, K))
      return K;
    if (K == Stop)
      break;
  }
  for (size_t K = Ideal; K < Limit; ++K)
    if (cutAt(L, K))
      return K;
  return Limit;
}
size_t cutRight(llvm::StringRef L, size_t Ideal, size_t Limit) {
  for (size_t K = Ideal, Stop = std::min(L.size(), Ideal + EdgeSlack); K <= Stop; ++K)
    if (cutAt(L, K))
      return K;
  for (size_t K = Ideal; K > Limit; --K)
    if (cutAt(L, K))
      return K;
  return Limit;
}

/// The window [Begin, End) of a long line \p L for a match at [\p B, \p E) (offsets in
/// the line; \p E may lie past its end).
std::pair<size_t, size_t> lineWindow(llvm::StringRef L, size_t B, size_t E) {
  B = std::min(B, L.size());
  size_t ME = std::min({E, B + WindowSide, L.size()});
  while (ME > B && ME < L.size() && (static_cast<unsigned char>(L[ME]) & 0xC0) == 0x80)
    --ME; // never inside a UTF-8 sequence
  size_t S = B > WindowSide ? cutLeft(L, B - WindowSide, B) : 0;
  size_t T = std::min(L.size(), ME + WindowSide);
  T = T < L.size() ? cutRight(L, T, ME) : T;
  return {S, T};
}

/// Keeps at most \p Max bytes of \p S, never splitting a UTF-8 sequence.
std::string capUtf8(std::string S, size_t Max) {
  if (S.size() <= Max)
    return S;
  size_t K = Max;
  while (K > 0 && (static_cast<unsigned char>(S[K]) & 0xC0) == 0x80)
    --K;
  S.resize(K);
  S += Ellipsis;
  return S;
}

std::string replaceAll(std::string S, llvm::StringRef From, llvm::StringRef To) {
  size_t Pos = 0;
  while ((Pos = S.find(From.data(), Pos, From.size())) != std::string::npos) {
    S.replace(Pos, From.size(), To.data(), To.size());
    Pos += To.size();
  }
  return S;
}
} // namespace

RuleEngine::RuleEngine(const RuleSet &RS, EngineOptions O) : Rules(RS), Opts(std::move(O)) {
  std::map<std::string, unsigned> LitIndex;
  for (const Rule &R : Rules.Rules) {
    std::vector<unsigned> Idx;
    for (const std::string &L : R.Prefilter) {
      auto It = LitIndex.find(L);
      if (It == LitIndex.end()) {
        It = LitIndex.emplace(L, Literals.size()).first;
        Literals.push_back(L);
      }
      Idx.push_back(It->second);
    }
    RuleLits.push_back(std::move(Idx));
  }
  RE2::Options RO;
  RO.set_log_errors(false);
  RO.set_case_sensitive(false);
  // Generous DFA memory: the set is matched over every byte of the corpus.
  RO.set_max_mem(64 << 20);
  auto pathGated = [](const Rule &R) {
    return llvm::any_of(R.RequireAll, [](const ContextCheck &C) {
      return C.Window == ContextCheck::PathWindow;
    });
  };
  auto buildSet = [&](unsigned Li, bool WithGated, LangSet &LS) {
    std::vector<bool> Used(Literals.size(), false);
    for (size_t I = 0; I < Rules.Rules.size(); ++I) {
      if (!Rules.Rules[I].appliesTo(static_cast<Language>(Li)))
        continue;
      if (!Opts.OnlyRules.empty() && !llvm::is_contained(Opts.OnlyRules, Rules.Rules[I].Id))
        continue;
      if (!WithGated && pathGated(Rules.Rules[I]))
        continue;
      for (unsigned X : RuleLits[I])
        Used[X] = true;
    }
    auto Set = std::make_unique<RE2::Set>(RO, RE2::UNANCHORED);
    std::vector<std::string> LangLits;
    for (unsigned X = 0; X < Literals.size(); ++X)
      if (Used[X]) {
        Set->Add(RE2::QuoteMeta(Literals[X]), nullptr);
        LS.LiteralIndex.push_back(X);
        LangLits.push_back(Literals[X]);
      }
    if (!LangLits.empty())
      LS.Fast = LiteralPrefilter::build(LangLits);
    if (!LS.LiteralIndex.empty() && Set->Compile())
      LS.Set = std::move(Set);
  };
  LangSets.resize(static_cast<size_t>(Language::Unknown) + 1);
  UngatedSets.resize(LangSets.size());
  GatedRules.resize(LangSets.size());
  for (unsigned Li = 0; Li < static_cast<unsigned>(Language::Unknown); ++Li) {
    buildSet(Li, /*WithGated=*/true, LangSets[Li]);
    for (size_t I = 0; I < Rules.Rules.size(); ++I)
      if (Rules.Rules[I].appliesTo(static_cast<Language>(Li)) && pathGated(Rules.Rules[I]) &&
          (Opts.OnlyRules.empty() || llvm::is_contained(Opts.OnlyRules, Rules.Rules[I].Id)))
        GatedRules[Li].push_back(I);
    if (!GatedRules[Li].empty())
      buildSet(Li, /*WithGated=*/false, UngatedSets[Li]);
  }
  for (unsigned Li = 0; Li <= static_cast<unsigned>(Language::Unknown); ++Li)
    PatternSets.push_back(std::make_unique<PatternSet>());
  GenericMarker = LiteralPrefilter::build({"authtoken", "auth_token", "auth-token"});
  GenericMarkerRe = std::make_unique<RE2>("(?i)auth(?:token|_token|-token)");
  GenericZohoRe = std::make_unique<RE2>(
      "(?i)zoho(?:apis|public|cloud)?\\.(?:com|eu|in|au|jp|ca|sa|uk|ae)\\b|"
      "\\b(?:crm|creator|recruit|campaigns|reports|projects|support)api\\b|"
      "zoho-authtoken|apiauthtoken/");
}

bool RuleEngine::genericGate(llvm::StringRef Text) const {
  re2::StringPiece Whole(Text.data(), Text.size());
  bool Marker = GenericMarker ? GenericMarker->anyIn(Text)
                              : RE2::PartialMatch(Whole, *GenericMarkerRe);
  return Marker && RE2::PartialMatch(Whole, *GenericZohoRe);
}

RuleEngine::~RuleEngine() = default;

namespace {
/// Files at least this large ask the language's pattern set first (below it, one pass
/// per pattern costs less than the set's pass).
constexpr size_t LargeFileBytes = 64 * 1024;
} // namespace

std::optional<std::vector<const RE2 *>>
RuleEngine::matchingPatterns(Language L, llvm::StringRef Text) const {
  PatternSet &PS = *PatternSets[static_cast<size_t>(L)];
  std::call_once(PS.Once, [&] {
    // The rules' own options (Rule.cpp: case-sensitive, flags inline), more DFA memory
    // (when a text needs more, Match says so and every pattern runs).
    RE2::Options O;
    O.set_log_errors(false);
    O.set_max_mem(16 << 20);
    auto Set = std::make_unique<RE2::Set>(O, RE2::UNANCHORED);
    std::vector<const RE2 *> Members;
    for (const Rule &R : Rules.Rules) {
      if (!R.appliesTo(L))
        continue;
      for (const auto &Re : R.Patterns) {
        if (Set->Add(Re->pattern(), nullptr) < 0)
          return; // no set: every pattern runs
        Members.push_back(Re.get());
      }
    }
    if (!Members.empty() && Set->Compile()) {
      PS.Set = std::move(Set);
      PS.Members = std::move(Members);
    }
  });
  if (!PS.Set)
    return std::nullopt;
  std::vector<int> Hits;
  RE2::Set::ErrorInfo Err;
  if (!PS.Set->Match(re2::StringPiece(Text.data(), Text.size()), &Hits, &Err) &&
      Err.kind != RE2::Set::kNoError)
    return std::nullopt;
  std::vector<const RE2 *> Out;
  for (int H : Hits)
    Out.push_back(PS.Members[static_cast<size_t>(H)]);
  return Out;
}

bool RuleEngine::passesPathGate(size_t I, llvm::StringRef DisplayPath) const {
  re2::StringPiece P(DisplayPath.data(), DisplayPath.size());
  return llvm::all_of(Rules.Rules[I].RequireAll, [&](const ContextCheck &C) {
    return C.Window != ContextCheck::PathWindow || RE2::PartialMatch(P, *C.Re);
  });
}

const RuleEngine::LangSet &RuleEngine::langSetFor(Language L, llvm::StringRef DisplayPath) const {
  size_t Li = static_cast<size_t>(L);
  if (DisplayPath.empty() || GatedRules[Li].empty() ||
      llvm::any_of(GatedRules[Li], [&](size_t I) { return passesPathGate(I, DisplayPath); }))
    return LangSets[Li];
  return UngatedSets[Li];
}

bool RuleEngine::mayMatch(llvm::StringRef Text, Language L, llvm::StringRef DisplayPath) const {
  const LangSet &LS = langSetFor(L, DisplayPath);
  if (!LS.Set)
    return false;
  if (L == Language::Generic && !genericGate(Text))
    return false;
  if (LS.Fast)
    return LS.Fast->anyIn(Text);
  return LS.Set->Match(re2::StringPiece(Text.data(), Text.size()), nullptr);
}

const LiteralPrefilter *RuleEngine::chunkPrefilter(Language L, llvm::StringRef DisplayPath) const {
  const LangSet &LS = langSetFor(L, DisplayPath);
  if (!LS.Set)
    return nullptr;
  if (L == Language::Generic)
    return GenericMarker ? &*GenericMarker : nullptr;
  return LS.Fast ? &*LS.Fast : nullptr;
}

std::optional<size_t> RuleEngine::chunkOverlap(Language L, llvm::StringRef DisplayPath) const {
  const LiteralPrefilter *P = chunkPrefilter(L, DisplayPath);
  if (!P)
    return std::nullopt;
  size_t Max = P->maxLiteralLength();
  return Max ? Max - 1 : 0;
}

bool RuleEngine::mayMatchChunk(llvm::StringRef Chunk, Language L,
                               llvm::StringRef DisplayPath) const {
  const LiteralPrefilter *P = chunkPrefilter(L, DisplayPath);
  return P ? P->anyIn(Chunk) : true; // (chunkOverlap() said the whole text is needed)
}

FileResult RuleEngine::scan(llvm::StringRef DisplayPath, Language L,
                            llvm::StringRef Text) const {
  FileResult Res;
  if (L == Language::Generic && !genericGate(Text)) {
    Res.PrefilterRejected = true;
    return Res;
  }
  re2::StringPiece Whole(Text.data(), Text.size());
  // Which prefilter literals are present (one pass of the shared RE2::Set).
  std::vector<bool> LitPresent(Literals.size(), false);
  {
    std::vector<int> Hits;
    const LangSet &LS = langSetFor(L, DisplayPath);
    if (LS.Set && LS.Set->Match(Whole, &Hits))
      for (int H : Hits)
        LitPresent[LS.LiteralIndex[H]] = true;
  }
  // File-wide context checks are evaluated once per pattern and file; they also gate
  // rules before any lexing (most candidate files never mention Zoho).
  std::map<const RE2 *, bool> FileCheck;
  auto fileCheck = [&](const ContextCheck &C) {
    auto It = FileCheck.find(C.Re.get());
    if (It != FileCheck.end())
      return It->second;
    bool M = RE2::PartialMatch(Whole, *C.Re);
    FileCheck[C.Re.get()] = M;
    return M;
  };
  // A path check reads the path the findings will carry, never the text.
  auto pathCheck = [&](const ContextCheck &C) {
    return RE2::PartialMatch(re2::StringPiece(DisplayPath.data(), DisplayPath.size()), *C.Re);
  };
  auto fileWide = [](const ContextCheck &C) {
    return C.Window == ContextCheck::FileWindow || C.Window == ContextCheck::SectionWindow ||
           C.Window == ContextCheck::PathWindow;
  };
  // What a file-wide check says before any match is known (a section is part of the file:
  // a pattern absent from the file is absent from every section too).
  auto fileLevel = [&](const ContextCheck &C) {
    return C.Window == ContextCheck::PathWindow ? pathCheck(C) : fileCheck(C);
  };
  std::vector<const Rule *> Active;
  for (size_t I = 0; I < Rules.Rules.size(); ++I) {
    const Rule &R = Rules.Rules[I];
    if (!R.appliesTo(L))
      continue;
    if (!Opts.OnlyRules.empty() && !llvm::is_contained(Opts.OnlyRules, R.Id))
      continue;
    if (!llvm::any_of(RuleLits[I], [&](unsigned Li) { return LitPresent[Li]; }))
      continue;
    bool Ok = true;
    for (const ContextCheck &C : R.RequireAll)
      if (fileWide(C) && !fileLevel(C))
        Ok = false;
    // A reject in a section rejects only there: decided per match.
    for (const ContextCheck &C : R.Reject)
      if (Ok && C.Window != ContextCheck::SectionWindow && fileWide(C) && fileLevel(C))
        Ok = false;
    // require-any decides at file level only when every entry is file-wide.
    if (Ok && !R.RequireAny.empty() && llvm::all_of(R.RequireAny, fileWide) &&
        !llvm::any_of(R.RequireAny, fileLevel))
      Ok = false;
    if (Ok)
      Active.push_back(&R);
  }
  if (Active.empty()) {
    Res.PrefilterRejected = true;
    return Res;
  }

  // Lexing and the line index are built only when a pattern matches somewhere.
  FindingBuilder FB(Rules, Opts, DisplayPath, L, Text);
  auto spans = [&]() -> const SpanMap & { return FB.spans(); };
  auto lines = [&]() -> const LineIndex & { return FB.lines(); };

  std::optional<std::vector<const RE2 *>> Matching;
  if (Text.size() >= LargeFileBytes)
    Matching = matchingPatterns(L, Text);

  for (const Rule *R : Active) {
    // This rule's findings so far, disjoint, by begin offset -> end offset.
    std::map<size_t, size_t> Ranges;
    auto overlaps = [&](size_t B, size_t E) {
      auto It = Ranges.lower_bound(E);
      return It != Ranges.begin() && std::prev(It)->second > B;
    };
    for (const auto &Re : R->Patterns) {
      if (Matching && !llvm::is_contained(*Matching, Re.get()))
        continue; // matches nowhere in this (large) file
      int AtGroup = 0;
      auto Named = Re->NamedCapturingGroups();
      auto NIt = Named.find("at");
      if (NIt != Named.end())
        AtGroup = NIt->second;
      int NGroups = Re->NumberOfCapturingGroups() + 1;
      std::vector<re2::StringPiece> G(NGroups);
      size_t Pos = 0;
      while (Pos <= Text.size() &&
             Re->Match(Whole, Pos, Text.size(), RE2::UNANCHORED, G.data(), NGroups)) {
        size_t MBegin = G[0].data() - Text.data();
        size_t MEnd = MBegin + G[0].size();
        Pos = MEnd > Pos ? MEnd : Pos + 1;
        if (!G[AtGroup].data())
          continue;
        size_t B = G[AtGroup].data() - Text.data();
        size_t E = B + G[AtGroup].size();
        // One finding per place: overlapping matches of the same rule collapse.
        if (overlaps(B, E == B ? B + 1 : E))
          continue;
        if (!llvm::is_contained(R->AppliesIn, spans().kindAt(B)))
          continue;
        if (R->StringAnchorIsKey) {
          // Quotes and prefixes (@"…", u8"…", r'…') may surround the key; prose may not.
          const Span *Sp = spans().spanAt(B);
          if (Sp && Sp->Kind == SpanKind::String && (B - Sp->Begin > 3 || Sp->End - E > 3))
            continue;
        }
        const LineIndex &Lines = lines();
        llvm::StringRef AtText = Text.slice(B, E);
        if (R->RequireMixedAlnum) {
          bool D = llvm::any_of(AtText, llvm::isDigit);
          bool A = llvm::any_of(AtText, llvm::isAlpha);
          if (!D || !A)
            continue;
        }
        if (R->AnchorReject &&
            RE2::PartialMatch(re2::StringPiece(AtText.data(), AtText.size()), *R->AnchorReject))
          continue;
        Position PB = Lines.position(B);
        if (!FB.passesContext(*R, B, E))
          continue;
        if (FB.suppressed(*R, PB.Line)) {
          ++Res.Suppressed;
          continue;
        }
        Ranges.emplace(B, E == B ? B + 1 : E);
        Finding F = FB.make(*R, B, E);
        Res.Findings.push_back(std::move(F));
      }
    }
  }
  FB.finish(Res.Findings);
  return Res;
}

FindingBuilder::FindingBuilder(const RuleSet &Rules, const EngineOptions &Opts,
                               llvm::StringRef DisplayPath, Language L, llvm::StringRef Text)
    : Rules(Rules), Opts(Opts), Path(DisplayPath.str()), Lang(L), Text(Text) {}

FindingBuilder::~FindingBuilder() = default;

const SpanMap &FindingBuilder::spans() const {
  if (!SpansStore)
    SpansStore = lex(Lang, Text);
  return *SpansStore;
}

const LineIndex &FindingBuilder::lines() const {
  if (!LinesStore)
    LinesStore.emplace(Text);
  return *LinesStore;
}

const LexicalContext &FindingBuilder::context() const {
  if (!ContextStore)
    ContextStore = std::make_unique<LexicalContext>(Lang, Text, spans());
  return *ContextStore;
}

const std::vector<Evidence> &FindingBuilder::evidence() const {
  if (!EvidenceStore)
    EvidenceStore = Rules.Cat.findEvidence(Text);
  return *EvidenceStore;
}

const std::optional<SuppressionMarker> &FindingBuilder::marker(unsigned Ln) const {
  auto [It, New] = Markers.try_emplace(Ln);
  if (New) {
    It->second = markerOnLine(Text, spans(), lines(), Ln);
    if (It->second && !It->second->Problem.empty() && Opts.Suppressions)
      Opts.Suppressions->note(malformedMarkerNote(Path, *It->second));
  }
  return It->second;
}

bool FindingBuilder::suppressed(const Rule &R, unsigned Line) const {
  for (unsigned Ln : {Line, Line - 1}) {
    if (Ln == 0)
      continue;
    const std::optional<SuppressionMarker> &M = marker(Ln);
    // On the line before, the comment must be the whole line: a trailing comment
    // belongs to its own line.
    if (!M || (Ln != Line && !M->CommentOnly) || !M->covers(R.Id))
      continue;
    // Matched a finding: not unused, even when expired or malformed (those are
    // reported through the finding's message and a note).
    if (Opts.Suppressions)
      Opts.Suppressions->used(Path, Ln);
    if (M->Problem.empty() && !M->expired(Opts.AsOf))
      return true;
  }
  return false;
}

std::optional<Date> FindingBuilder::expiredSuppression(const Rule &R, unsigned Line) const {
  for (unsigned Ln : {Line, Line - 1}) {
    if (Ln == 0)
      continue;
    const std::optional<SuppressionMarker> &M = marker(Ln);
    if (M && (Ln == Line || M->CommentOnly) && M->covers(R.Id) && M->Problem.empty() &&
        M->expired(Opts.AsOf))
      return M->Until;
  }
  return std::nullopt;
}

std::vector<Finding> FindingBuilder::suppressionMarkerFindings() const {
  std::vector<Finding> Out;
  if (!mayHoldSuppressionMarker(Text))
    return Out;
  static const Rule Pseudo = [] {
    Rule R;
    R.Id = UnusedSuppressionRule.str();
    R.Sev = Severity::Warning;
    return R;
  }();
  for (const SuppressionMarker &M : findSuppressionMarkers(Text, spans(), lines())) {
    Markers.try_emplace(M.Line, M);
    if (!M.Problem.empty() && Opts.Suppressions)
      Opts.Suppressions->note(malformedMarkerNote(Path, M));
    if (!Opts.OnlyRules.empty() &&
        (M.All || !llvm::any_of(M.Ids, [&](const std::string &Id) {
          return llvm::is_contained(Opts.OnlyRules, Id);
        })))
      continue;
    // The product hint and a data centre skip the attribution work.
    Finding F = make(Pseudo, M.Offset, M.Offset + M.Length, &Rules.Cat.fallback(), "-");
    std::string What = M.All ? "every rule" : llvm::join(M.Ids, ", ");
    F.Message = fmt::format("unused suppression: this `authtoken-migrate: ignore` ({}) "
                            "silenced no finding; remove it",
                            What.empty() ? "no rule" : What);
    F.Product.clear();
    F.ProductName.clear();
    F.ProductCandidates.clear();
    F.DataCentre.clear();
    F.Cutoff.clear();
    F.CutoffConfirmed = true;
    F.CutoffSource.clear();
    F.Status.clear();
    F.FixHint = "delete the marker, or the rule ids it no longer needs";
    Out.push_back(std::move(F));
  }
  finish(Out);
  return Out;
}

const FindingBuilder::LineInfo &FindingBuilder::lineInfo(unsigned Ln) const {
  auto [It, New] = LineInfos.try_emplace(Ln);
  LineInfo &I = It->second;
  if (!New)
    return I;
  llvm::StringRef T = lines().line(Ln);
  I.Long = T.size() > LongLine;
  if (!I.Long) {
    std::string Full; // fingerprints: every mask complete (no token prefix)
    I.Redacted = redactSecrets(T, Text, &spans(), Full);
    I.Norm = collapseSpaces(Full);
    return I;
  }
  // UTF-16 units before each block, for SARIF columns: one pass over the line, then
  // at most one block per finding.
  unsigned Units = 0;
  for (size_t K = 0; K < T.size(); ++K) {
    if (K % Utf16Block == 0)
      I.Utf16Blocks.push_back(Units);
    unsigned char C = T[K];
    Units += ((C & 0xC0) != 0x80) + (C >= 0xF0);
  }
  return I;
}

unsigned FindingBuilder::utf16Col(unsigned Ln, unsigned ByteCol) const {
  const LineInfo &I = lineInfo(Ln);
  llvm::StringRef T = lines().line(Ln);
  size_t N = std::min<size_t>(ByteCol - 1, T.size());
  size_t Blk = N / Utf16Block;
  unsigned Units = Blk < I.Utf16Blocks.size() ? I.Utf16Blocks[Blk] : 0;
  for (size_t K = Blk * Utf16Block; K < N; ++K) {
    unsigned char C = T[K];
    Units += ((C & 0xC0) != 0x80) + (C >= 0xF0);
  }
  return Units + 1 + (ByteCol - 1 > T.size() ? ByteCol - 1 - T.size() : 0);
}

std::string FindingBuilder::windowText(unsigned Ln, size_t B, size_t E, bool Redact,
                                       unsigned *Column, bool FullMasks) const {
  llvm::StringRef L = lines().line(Ln);
  size_t LS = lines().lineStart(Ln);
  // line() drops a BOM on line 1; offsets below are relative to the text it returns.
  LS += L.data() - (Text.data() + LS);
  size_t MB = B - LS;
  auto [S, T] = lineWindow(L, MB, E - LS);
  // Slices of the file are redacted with the file around them (a value's real end).
  auto Redactor = [&](llvm::StringRef Part) {
    if (!FullMasks)
      return redactSecrets(Part, Text, &spans());
    std::string Full;
    redactSecrets(Part, Text, &spans(), Full);
    return Full;
  };
  // With the file as context, a key left of the window still masks its value inside it,
  // so one pass is enough (no widening).
  std::string Body = Redact ? Redactor(L.slice(S, T)) : L.slice(S, T).str();
  std::string Out = S > 0 ? Ellipsis.str() : "";
  if (Column)
    *Column = Out.size() + 1 + (Redact ? Redactor(L.slice(S, MB)) : L.slice(S, MB).str()).size();
  Out += Body;
  if (T < L.size())
    Out += Ellipsis;
  return Out;
}

Finding FindingBuilder::make(const Rule &R, size_t B, size_t E, const Product *ProductHint,
                             llvm::StringRef DcHint, const RequestContext *Context) const {
  const LineIndex &Lines = lines();
  Position PB = Lines.position(B);
  Position PE = Lines.position(E);
  llvm::StringRef AtText = Text.slice(B, E);
  Finding F;
  F.RuleId = R.Id;
  F.Sev = R.Sev;
  F.Path = Path;
  F.Offset = B;
  F.Length = E - B;
  F.Begin = PB;
  F.End = PE;
  // Product and data centre: from the request being built (core/Attribution.h): the
  // literal and URL expression, then the statement, the enclosing blocks, the file.
  const Product *Prod = R.Product.empty() ? nullptr : Rules.Cat.product(R.Product);
  if (!Prod)
    Prod = ProductHint;
  std::string Dc = DcHint.str();
  if (!Prod || Dc.empty()) {
    RequestContext Own;
    if (!Context) {
      // Levels are built until product and data centre are both decided.
      bool HaveP = Prod != nullptr, HaveD = !Dc.empty();
      Own = context().at(B, E, [&](const RequestContext &C) {
        LevelEvidence L = evidenceAt(evidence(), C.Levels.back());
        HaveP |= L.Product;
        HaveD |= L.DataCentre;
        return !(HaveP && HaveD);
      });
      Context = &Own;
    }
    Attribution A = attribute(evidence(), *Context);
    if (!Prod) {
      Prod = A.Prod;
      F.ProductCandidates = std::move(A.ProductCandidates);
    }
    if (Dc.empty())
      Dc = A.DataCentre;
  }
  // A rule whose only Zoho evidence may be the path (a `window: path` check) takes the
  // product the path names when the text names none: ZohoBooks4Net.Tests/… is Books.
  if (!Prod && F.ProductCandidates.empty() &&
      llvm::any_of(R.RequireAll, [](const ContextCheck &C) {
        return C.Window == ContextCheck::PathWindow;
      })) {
    const Product *FromPath = nullptr;
    bool Conflict = false;
    // A digit ends a name in a directory name (ZohoBooks4Net, ZohoCRM2Sheets), which the
    // code-name matcher does not take in program text.
    std::string Words = Path;
    for (char &C : Words)
      if (llvm::isDigit(C))
        C = '/';
    for (const Evidence &Ev : Rules.Cat.findEvidence(Words))
      if (Ev.Prod && Ev.Prod->Id != "zoho") {
        Conflict |= FromPath && FromPath != Ev.Prod;
        FromPath = Ev.Prod;
      }
    if (!Conflict)
      Prod = FromPath;
  }
  if (!Prod)
    Prod = &Rules.Cat.fallback();
  F.Product = Prod->Id == "zoho" ? "" : Prod->Id;
  F.ProductName = Prod->Name;
  F.DataCentre = Dc;
  if (const Cutoff *C = Rules.Cat.cutoffFor(*Prod, Dc, languageName(Lang))) {
    F.Cutoff = C->When.str();
    F.CutoffConfirmed = C->Confirmed;
    F.CutoffSource = C->Source;
    F.Status = deadlineStatus(C->When, Opts.AsOf);
  }
  std::string Msg = R.Message;
  Msg = replaceAll(Msg, "{product}", Prod->Name);
  Msg = replaceAll(Msg, "{dc}", Dc.empty() ? "unknown" : Dc);
  // {match} is for non-secret anchors (variable names); rules with secret
  // anchors must not use it.
  Msg = replaceAll(Msg, "{match}",
                   Opts.ShowSecrets ? AtText.take_front(80).str()
                                    : redactSecrets(AtText.take_front(80), Text, &spans()));
  F.Message = Msg;
  if (R.Id != UnusedSuppressionRule)
    if (std::optional<Date> Expired = expiredSuppression(R, PB.Line))
      F.Message += " (suppression expired on " + Expired->str() + ")";
  // The line (or, for a long line, a window around the match: see LongLine), and up to
  // 5 lines of snippet, each bounded.
  if (lineInfo(PB.Line).Long) {
    F.LineText = windowText(PB.Line, B, E, !Opts.ShowSecrets, &F.LineTextColumn);
    // The fingerprint text, in finish(): redacted with complete masks.
    Windows.emplace(std::make_pair(B, E), windowText(PB.Line, B, E, true, nullptr, true));
    F.Utf16Begin = utf16Col(PB.Line, PB.Column);
    F.Utf16End = PE.Line == PB.Line ? utf16Col(PB.Line, PE.Column) : PE.Column;
  } else {
    F.LineText = Opts.ShowSecrets ? Lines.line(PB.Line).str() : lineInfo(PB.Line).Redacted;
    // A masked value before the match shortens the shown line: the caret column is that
    // of the match in the shown text, and SARIF columns come from the real line.
    llvm::StringRef Raw = Lines.line(PB.Line);
    size_t MB = std::min<size_t>(PB.Column - 1, Raw.size());
    if (!Opts.ShowSecrets && F.LineText.size() != Raw.size()) {
      F.LineTextColumn = redactSecrets(Raw.take_front(MB), Text, &spans()).size() + 1;
      F.Utf16Begin = utf16Column(Raw, PB.Column);
      F.Utf16End = PE.Line == PB.Line ? utf16Column(Raw, PE.Column) : PE.Column;
    }
  }
  std::string Snip;
  for (unsigned Ln = PB.Line; Ln <= PE.Line && Ln < PB.Line + 5; ++Ln) {
    if (!Snip.empty())
      Snip += "\n";
    if (Ln == PB.Line)
      Snip += F.LineText;
    else if (lineInfo(Ln).Long)
      Snip += windowText(Ln, Lines.lineStart(Ln), Lines.lineStart(Ln), !Opts.ShowSecrets);
    else
      Snip += Opts.ShowSecrets ? Lines.line(Ln).str() : lineInfo(Ln).Redacted;
    if (Snip.size() > SnippetMax)
      break;
  }
  F.Snippet = capUtf8(std::move(Snip), SnippetMax);
  F.Fixable = false; // automatic fixes come with `authtoken-migrate fix`
  F.FixHint = R.Help.empty() ? "" : llvm::StringRef(R.Help).split('\n').first.str();
  return F;
}

bool FindingBuilder::blankLine(unsigned Ln) const {
  const LineIndex &Lines = lines();
  const SpanMap &Spans = spans();
  llvm::StringRef T = Lines.line(Ln);
  size_t First = T.find_first_not_of(" \t\r");
  if (First == llvm::StringRef::npos)
    return true;
  const Span *S = Spans.spanAt(Lines.lineStart(Ln) + First);
  return S && S->Kind == SpanKind::Comment && S->End >= Lines.lineStart(Ln) + T.size();
}

bool FindingBuilder::checkMatches(const ContextCheck &C, size_t MB, size_t ME) const {
  auto fileCheck = [&](const ContextCheck &C) {
    auto It = FileChecks.find(C.Re.get());
    if (It != FileChecks.end())
      return It->second;
    bool M = RE2::PartialMatch(re2::StringPiece(Text.data(), Text.size()), *C.Re);
    FileChecks[C.Re.get()] = M;
    return M;
  };
  if (C.Window == ContextCheck::FileWindow)
    return fileCheck(C);
  if (C.Window == ContextCheck::PathWindow)
    return RE2::PartialMatch(re2::StringPiece(Path.data(), Path.size()), *C.Re);
  if (C.Window == ContextCheck::SectionWindow) {
    if (!fileCheck(C))
      return false;
    std::vector<ByteRange> Path = context().sectionPath(MB);
    auto Search = [&](size_t Begin, size_t End) {
      return RE2::PartialMatch(re2::StringPiece(Text.data() + Begin, End - Begin), *C.Re);
    };
    // A huge section (a long YAML block, a minified one-line file) is searched near
    // the match only, plus its header line (which names it); outer sections by their
    // header lines (capped like any long line).
    const ByteRange &Sec = Path.front();
    size_t Cap = 64 * LongLine;
    size_t Begin = std::max(Sec.Begin, MB > Cap ? MB - Cap : 0);
    size_t End = std::min(Sec.End, ME + Cap);
    if (Search(Begin, End))
      return true;
    if (Begin > Sec.Begin &&
        Search(Sec.Begin, std::min({Sec.End, Begin, Sec.Begin + LongLine,
                                    static_cast<size_t>(Text.find('\n', Sec.Begin))})))
      return true;
    for (size_t K = 1; K < Path.size(); ++K)
      if (Search(Path[K].Begin, std::min(Path[K].End, Path[K].Begin + LongLine)))
        return true;
    return false;
  }
  const LineIndex &Lines = lines();
  // Windows count lines that hold code or strings: blank and comment-only lines
  // (annotations, commented-out code) between a parameter and its neighbours do not
  // push them apart.
  unsigned A = Lines.position(MB).Line, B = Lines.position(ME).Line;
  for (int N = 0; N < C.Window && A > 1;) {
    --A;
    if (!blankLine(A))
      ++N;
  }
  for (int N = 0; N < C.Window && B < Lines.lineCount();) {
    ++B;
    if (!blankLine(B))
      ++N;
  }
  size_t Begin = Lines.lineStart(A);
  size_t End = B < Lines.lineCount() ? Lines.lineStart(B + 1) : Text.size();
  // On a huge (minified) line the window would be the whole line for every match.
  size_t Cap = (static_cast<size_t>(C.Window) + 1) * LongLine;
  Begin = std::max(Begin, MB > Cap ? MB - Cap : 0);
  End = std::min(End, ME + Cap);
  return RE2::PartialMatch(re2::StringPiece(Text.data() + Begin, End - Begin), *C.Re);
}

bool FindingBuilder::passesContext(const Rule &R, size_t B, size_t E,
                                   bool RequireAnyMet) const {
  if (!RequireAnyMet && !R.RequireAny.empty() &&
      !llvm::any_of(R.RequireAny, [&](const ContextCheck &C) { return checkMatches(C, B, E); }))
    return false;
  if (!llvm::all_of(R.RequireAll, [&](const ContextCheck &C) { return checkMatches(C, B, E); }))
    return false;
  return !llvm::any_of(R.Reject, [&](const ContextCheck &C) { return checkMatches(C, B, E); });
}

void FindingBuilder::finish(std::vector<Finding> &Findings) const {
  std::sort(Findings.begin(), Findings.end(), [](const Finding &A, const Finding &B) {
    return std::tie(A.Offset, A.RuleId) < std::tie(B.Offset, B.RuleId);
  });
  // Fingerprints: rule + root-relative path + the (redacted, whitespace-collapsed) line +
  // the occurrence number of that same text in the file, so moving lines keeps them. No
  // line number; secrets are masked completely (no kept prefix), so a token's value never
  // changes a fingerprint (README "Baselines").
  // A long line contributes the window around the finding instead (see LongLine).
  std::map<std::string, unsigned> Seen;
  for (Finding &F : Findings) {
    const LineInfo &I = lineInfo(F.Begin.Line);
    std::string Long;
    if (I.Long) {
      auto W = Windows.find({F.Offset, F.Offset + F.Length});
      Long = collapseSpaces(W != Windows.end() ? W->second
                                               : windowText(F.Begin.Line, F.Offset,
                                                            F.Offset + F.Length, true,
                                                            nullptr, true));
    }
    const std::string &Norm = I.Long ? Long : I.Norm;
    std::string Key = F.RuleId + "\x1f" + Norm;
    unsigned N = Seen[Key]++;
    F.Fingerprint = stableHash({F.RuleId, F.Path, Norm, std::to_string(N)});
  }
}

} // namespace atm
