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
/// Lines around a finding in which a product/DC mention counts as "near".
constexpr unsigned EvidenceWindowLines = 12;

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
  std::string Alt;
  for (const std::string &L : Literals)
    Alt += (Alt.empty() ? "" : "|") + RE2::QuoteMeta(L);
  AnyLiteral = std::make_unique<RE2>(Alt.empty() ? std::string("(?!)x") : Alt, RO);
  SuppressRe = std::make_unique<RE2>(
      R"(authtoken-migrate:\s*ignore(?:\[([A-Za-z0-9_,\s*-]*)\])?)");
}

RuleEngine::~RuleEngine() = default;

bool RuleEngine::mayMatch(llvm::StringRef Text) const {
  return RE2::PartialMatch(re2::StringPiece(Text.data(), Text.size()), *AnyLiteral);
}

FileResult RuleEngine::scan(llvm::StringRef DisplayPath, Language L,
                            llvm::StringRef Text) const {
  FileResult Res;
  re2::StringPiece Whole(Text.data(), Text.size());
  // Which prefilter literals are present (RE2::Set over the literals).
  std::vector<bool> LitPresent(Literals.size(), false);
  {
    RE2::Options RO;
    RO.set_log_errors(false);
    RO.set_case_sensitive(false);
    re2::RE2::Set Set(RO, RE2::UNANCHORED);
    for (const std::string &Lit : Literals)
      Set.Add(RE2::QuoteMeta(Lit), nullptr);
    std::vector<int> Hits;
    if (!Literals.empty() && Set.Compile() && Set.Match(Whole, &Hits))
      for (int H : Hits)
        LitPresent[H] = true;
  }
  std::vector<const Rule *> Active;
  for (size_t I = 0; I < Rules.Rules.size(); ++I) {
    const Rule &R = Rules.Rules[I];
    if (!R.appliesTo(L))
      continue;
    if (!Opts.OnlyRules.empty() && !llvm::is_contained(Opts.OnlyRules, R.Id))
      continue;
    if (llvm::any_of(RuleLits[I], [&](unsigned Li) { return LitPresent[Li]; }))
      Active.push_back(&R);
  }
  if (Active.empty()) {
    Res.PrefilterRejected = true;
    return Res;
  }

  SpanMap Spans = lex(L, Text);
  LineIndex Lines(Text);
  std::optional<std::vector<Evidence>> EvidenceCache;
  auto evidence = [&]() -> const std::vector<Evidence> & {
    if (!EvidenceCache)
      EvidenceCache = Rules.Cat.findEvidence(Text);
    return *EvidenceCache;
  };
  auto isBlankLine = [&](unsigned Ln) {
    llvm::StringRef T = Lines.line(Ln);
    size_t First = T.find_first_not_of(" \t\r");
    if (First == llvm::StringRef::npos)
      return true;
    const Span *S = Spans.spanAt(Lines.lineStart(Ln) + First);
    return S && S->Kind == SpanKind::Comment &&
           S->End >= Lines.lineStart(Ln) + T.size();
  };
  // File-wide context checks are evaluated once per pattern.
  std::map<const RE2 *, bool> FileCheck;
  auto checkMatches = [&](const ContextCheck &C, unsigned FirstLine, unsigned LastLine) {
    if (C.Window < 0) {
      auto It = FileCheck.find(C.Re.get());
      if (It != FileCheck.end())
        return It->second;
      bool M = RE2::PartialMatch(Whole, *C.Re);
      FileCheck[C.Re.get()] = M;
      return M;
    }
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
  auto suppressed = [&](const Rule &R, unsigned Line) {
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
      re2::StringPiece In(T.data(), T.size()), Ids;
      re2::StringPiece Sub[2];
      if (!SuppressRe->Match(In, 0, T.size(), RE2::UNANCHORED, Sub, 2))
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
        if (!llvm::is_contained(R->AppliesIn, Spans.kindAt(B)))
          continue;
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
        if (suppressed(*R, PB.Line)) {
          ++Res.Suppressed;
          continue;
        }
        Ranges.push_back({B, E});
        Finding F;
        F.RuleId = R->Id;
        F.Sev = R->Sev;
        F.Path = DisplayPath.str();
        F.Offset = B;
        F.Length = E - B;
        F.Begin = PB;
        F.End = PE;
        // Product and data centre: the nearest mention within the window, else the file.
        const Product *Prod = R->Product.empty() ? nullptr : Rules.Cat.product(R->Product);
        std::string Dc;
        {
          const auto &Ev = evidence();
          auto Near = [&](const Evidence &X) {
            Position P = Lines.position(X.Offset);
            return P.Line + EvidenceWindowLines >= PB.Line &&
                   P.Line <= PE.Line + EvidenceWindowLines;
          };
          // Hosts before the finding (the URL a request is built from) weigh more than
          // hosts after it; scope parameters and companion headers are part of the same
          // request wherever they stand.
          auto Dist = [&](const Evidence &X) {
            size_t D = X.Offset > B ? X.Offset - B : B - X.Offset;
            return X.Offset > B && X.FromHost ? 2 * D : D;
          };
          const Evidence *BestP = nullptr, *BestD = nullptr;
          for (const Evidence &X : Ev) {
            if (!Near(X))
              continue;
            if (X.Prod && (!BestP || Dist(X) < Dist(*BestP)))
              BestP = &X;
            if (!X.DataCentre.empty() && (!BestD || Dist(X) < Dist(*BestD)))
              BestD = &X;
          }
          if (!Prod && BestP)
            Prod = BestP->Prod;
          if (BestD)
            Dc = BestD->DataCentre;
          if (!Prod) {
            // The file's most mentioned product.
            std::map<const Product *, unsigned> Count;
            for (const Evidence &X : Ev)
              if (X.Prod)
                ++Count[X.Prod];
            unsigned Best = 0;
            for (const Evidence &X : Ev) // first-mentioned wins ties
              if (X.Prod && Count[X.Prod] > Best) {
                Best = Count[X.Prod];
                Prod = X.Prod;
              }
          }
          if (Dc.empty()) {
            // Only when the file names a single data centre.
            for (const Evidence &X : Ev) {
              if (X.DataCentre.empty())
                continue;
              if (Dc.empty())
                Dc = X.DataCentre;
              else if (Dc != X.DataCentre) {
                Dc.clear();
                break;
              }
            }
          }
        }
        if (!Prod)
          Prod = &Rules.Cat.fallback();
        F.Product = Prod->Id == "zoho" ? "" : Prod->Id;
        F.ProductName = Prod->Name;
        F.DataCentre = Dc;
        if (const Cutoff *C = Rules.Cat.cutoffFor(*Prod, Dc, languageName(L))) {
          F.Cutoff = C->When.str();
          F.CutoffConfirmed = C->Confirmed;
          F.CutoffSource = C->Source;
          F.Status = deadlineStatus(C->When, Opts.AsOf);
        }
        std::string Msg = R->Message;
        Msg = replaceAll(Msg, "{product}", Prod->Name);
        Msg = replaceAll(Msg, "{dc}", Dc.empty() ? "unknown" : Dc);
        // {match} is for non-secret anchors (variable names); rules with secret
        // anchors must not use it.
        Msg = replaceAll(Msg, "{match}", AtText.take_front(80));
        F.Message = Msg;
        llvm::StringRef LineText = Lines.line(PB.Line);
        std::string Shown = Opts.ShowSecrets ? LineText.str() : redactSecrets(LineText);
        F.LineText = Shown;
        std::string Snip;
        for (unsigned Ln = PB.Line; Ln <= PE.Line && Ln < PB.Line + 5; ++Ln) {
          llvm::StringRef T = Lines.line(Ln);
          if (!Snip.empty())
            Snip += "\n";
          Snip += Opts.ShowSecrets ? T.str() : redactSecrets(T);
        }
        F.Snippet = Snip.size() > 400 ? Snip.substr(0, 400) + "\xE2\x80\xA6" : Snip;
        F.Fixable = false; // automatic fixes come with `authtoken-migrate fix`
        F.FixHint = R->Help.empty() ? "" : llvm::StringRef(R->Help).split('\n').first.str();
        Res.Findings.push_back(std::move(F));
      }
    }
  }
  std::sort(Res.Findings.begin(), Res.Findings.end(), [](const Finding &A, const Finding &B) {
    return std::tie(A.Offset, A.RuleId) < std::tie(B.Offset, B.RuleId);
  });
  // Fingerprints: rule + path + the (redacted, whitespace-collapsed) line + the
  // occurrence number of that same text in the file, so moving lines keeps them.
  std::map<std::string, unsigned> Seen;
  for (Finding &F : Res.Findings) {
    std::string Norm = collapseSpaces(redactSecrets(Lines.line(F.Begin.Line)));
    std::string Key = F.RuleId + "\x1f" + Norm;
    unsigned N = Seen[Key]++;
    F.Fingerprint = stableHash({F.RuleId, F.Path, Norm, std::to_string(N)});
  }
  return Res;
}

} // namespace atm
