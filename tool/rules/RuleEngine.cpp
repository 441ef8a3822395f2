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
  LangSets.resize(static_cast<size_t>(Language::Unknown) + 1);
  for (unsigned Li = 0; Li < static_cast<unsigned>(Language::Unknown); ++Li) {
    std::vector<bool> Used(Literals.size(), false);
    for (size_t I = 0; I < Rules.Rules.size(); ++I) {
      if (!Rules.Rules[I].appliesTo(static_cast<Language>(Li)))
        continue;
      if (!Opts.OnlyRules.empty() && !llvm::is_contained(Opts.OnlyRules, Rules.Rules[I].Id))
        continue;
      for (unsigned X : RuleLits[I])
        Used[X] = true;
    }
    LangSet &LS = LangSets[Li];
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
  }
  SuppressRe = std::make_unique<RE2>(
      R"(authtoken-migrate:\s*ignore(?:\[([A-Za-z0-9_,\s*-]*)\])?)");
}

RuleEngine::~RuleEngine() = default;

bool RuleEngine::mayMatch(llvm::StringRef Text, Language L) const {
  const LangSet &LS = LangSets[static_cast<size_t>(L)];
  if (!LS.Set)
    return false;
  if (LS.Fast)
    return LS.Fast->anyIn(Text);
  return LS.Set->Match(re2::StringPiece(Text.data(), Text.size()), nullptr);
}

FileResult RuleEngine::scan(llvm::StringRef DisplayPath, Language L,
                            llvm::StringRef Text) const {
  FileResult Res;
  re2::StringPiece Whole(Text.data(), Text.size());
  // Which prefilter literals are present (one pass of the shared RE2::Set).
  std::vector<bool> LitPresent(Literals.size(), false);
  {
    std::vector<int> Hits;
    const LangSet &LS = LangSets[static_cast<size_t>(L)];
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
      if (C.Window < 0 && !fileCheck(C))
        Ok = false;
    for (const ContextCheck &C : R.Reject)
      if (Ok && C.Window < 0 && fileCheck(C))
        Ok = false;
    // require-any decides at file level only when every entry is file-wide.
    if (Ok && !R.RequireAny.empty() &&
        llvm::all_of(R.RequireAny, [](const ContextCheck &C) { return C.Window < 0; }) &&
        !llvm::any_of(R.RequireAny, [&](const ContextCheck &C) { return fileCheck(C); }))
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
  auto isBlankLine = [&](unsigned Ln) {
    const LineIndex &Lines = lines();
    const SpanMap &Spans = spans();
    llvm::StringRef T = Lines.line(Ln);
    size_t First = T.find_first_not_of(" \t\r");
    if (First == llvm::StringRef::npos)
      return true;
    const Span *S = Spans.spanAt(Lines.lineStart(Ln) + First);
    return S && S->Kind == SpanKind::Comment &&
           S->End >= Lines.lineStart(Ln) + T.size();
  };
  auto checkMatches = [&](const ContextCheck &C, unsigned FirstLine, unsigned LastLine) {
    if (C.Window < 0)
      return fileCheck(C);
    const LineIndex &Lines = lines();
    // Windows count lines that hold code or strings: blank and comment-only lines
    // (annotations, commented-out code) between a parameter and its neighbours do not
    // push them apart.
    unsigned A = FirstLine, B = LastLine;
    for (int N = 0; N < C.Window && A > 1;) {
      --A;
      if (!isBlankLine(A))
        ++N;
    }
    for (int N = 0; N < C.Window && B < Lines.lineCount();) {
      ++B;
      if (!isBlankLine(B))
        ++N;
    }
    size_t Begin = Lines.lineStart(A);
    size_t End = B < Lines.lineCount() ? Lines.lineStart(B + 1) : Text.size();
    return RE2::PartialMatch(re2::StringPiece(Text.data() + Begin, End - Begin), *C.Re);
  };

  for (const Rule *R : Active) {
    std::vector<std::pair<size_t, size_t>> Ranges;
    for (const auto &Re : R->Patterns) {
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
        if (llvm::any_of(Ranges, [&](auto &Rg) { return B < Rg.second && Rg.first < E; }))
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
        Position PB = Lines.position(B);
        Position PE = Lines.position(E);
        if (!R->RequireAny.empty() &&
            !llvm::any_of(R->RequireAny, [&](const ContextCheck &C) {
              return checkMatches(C, PB.Line, PE.Line);
            }))
          continue;
        if (!llvm::all_of(R->RequireAll, [&](const ContextCheck &C) {
              return checkMatches(C, PB.Line, PE.Line);
            }))
          continue;
        if (llvm::any_of(R->Reject, [&](const ContextCheck &C) {
              return checkMatches(C, PB.Line, PE.Line);
            }))
          continue;
        if (FB.suppressed(*R, PB.Line)) {
          ++Res.Suppressed;
          continue;
        }
        Ranges.push_back({B, E});
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

bool FindingBuilder::suppressed(const Rule &R, unsigned Line) const {
  static const RE2 SuppressRe(R"(authtoken-migrate:\s*ignore(?:\[([A-Za-z0-9_,\s*-]*)\])?)");
  const LineIndex &Lines = lines();
  const SpanMap &Spans = spans();
  for (unsigned Ln : {Line, Line - 1}) {
    if (Ln == 0)
      continue;
    llvm::StringRef T = Lines.line(Ln);
    // On the line before, the comment must be the whole line: a trailing comment
    // belongs to its own line.
    if (Ln != Line) {
      size_t First = T.find_first_not_of(" \t");
      if (First == llvm::StringRef::npos)
        continue;
      SpanKind FK = Spans.kindAt(Lines.lineStart(Ln) + First);
      if (FK != SpanKind::Comment && FK != SpanKind::Text)
        continue;
    }
    re2::StringPiece In(T.data(), T.size());
    re2::StringPiece Sub[2];
    if (!SuppressRe.Match(In, 0, T.size(), RE2::UNANCHORED, Sub, 2))
      continue;
    // Only comments suppress, so a string that happens to hold the marker does not.
    size_t Off = Sub[0].data() - Text.data();
    SpanKind K = Spans.kindAt(Off);
    if (K != SpanKind::Comment && K != SpanKind::Text)
      continue;
    if (!Sub[1].data())
      return true; // bare "ignore": every rule
    llvm::SmallVector<llvm::StringRef, 4> Parts;
    llvm::StringRef(Sub[1].data(), Sub[1].size()).split(Parts, ',');
    for (llvm::StringRef P : Parts)
      if (P.trim() == R.Id || P.trim() == "*")
        return true;
  }
  return false;
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
  llvm::StringRef LineText = Lines.line(PB.Line);
  std::string Shown = Opts.ShowSecrets ? LineText.str() : redactSecrets(LineText, Text, &spans());
  F.LineText = Shown;
  std::string Snip;
  for (unsigned Ln = PB.Line; Ln <= PE.Line && Ln < PB.Line + 5; ++Ln) {
    llvm::StringRef T = Lines.line(Ln);
    if (!Snip.empty())
      Snip += "\n";
    Snip += Opts.ShowSecrets ? T.str() : redactSecrets(T, Text, &spans());
  }
  F.Snippet = Snip.size() > 400 ? Snip.substr(0, 400) + "\xE2\x80\xA6" : Snip;
  F.Fixable = false; // automatic fixes come with `authtoken-migrate fix`
  F.FixHint = R.Help.empty() ? "" : llvm::StringRef(R.Help).split('\n').first.str();
  return F;
}

void FindingBuilder::finish(std::vector<Finding> &Findings) const {
  std::sort(Findings.begin(), Findings.end(), [](const Finding &A, const Finding &B) {
    return std::tie(A.Offset, A.RuleId) < std::tie(B.Offset, B.RuleId);
  });
  // Fingerprints: rule + path + the (redacted, whitespace-collapsed) line + the
  // occurrence number of that same text in the file, so moving lines keeps them.
  std::map<std::string, unsigned> Seen;
  for (Finding &F : Findings) {
    const LineIndex &Lines = lines();
    std::string Norm = collapseSpaces(redactSecrets(Lines.line(F.Begin.Line), Text, &spans()));
    std::string Key = F.RuleId + "\x1f" + Norm;
    unsigned N = Seen[Key]++;
    F.Fingerprint = stableHash({F.RuleId, F.Path, Norm, std::to_string(N)});
  }
}

} // namespace atm
