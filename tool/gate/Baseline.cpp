#include "gate/Baseline.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>
#include <unordered_map>

#include "core/AtomicWrite.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Regex.h"
#include "llvm/Support/raw_ostream.h"

namespace atm {

namespace {

llvm::Error err(llvm::StringRef Name, unsigned Line, const llvm::Twine &Msg) {
  std::string S = Name.str();
  if (Line)
    S += ":" + std::to_string(Line);
  return llvm::createStringError(std::errc::invalid_argument, "%s",
                                 (S + ": " + Msg).str().c_str());
}

/// Line numbers of byte offsets (binary search over the line starts).
class Lines {
public:
  explicit Lines(llvm::StringRef T) {
    for (size_t I = 0; I < T.size(); ++I)
      if (T[I] == '\n')
        Breaks.push_back(I);
  }
  unsigned of(size_t Offset) const {
    return 1 + static_cast<unsigned>(std::lower_bound(Breaks.begin(), Breaks.end(), Offset) -
                                     Breaks.begin());
  }

private:
  std::vector<size_t> Breaks;
};

/// Byte ranges of the JSON text's structure that error messages point at: the elements
/// of the top-level "entries" array. The text has already been parsed, so it is valid
/// JSON; strings are skipped with their escapes.
struct Layout {
  std::vector<std::pair<size_t, size_t>> Entries; ///< [begin, end) of each element
};

Layout layoutOf(llvm::StringRef T) {
  Layout L;
  int Depth = 0;
  bool InEntries = false;
  std::string LastString; // the last string closed at depth 1 (a key when ':' follows)
  bool KeyIsEntries = false;
  size_t ElemBegin = 0;
  for (size_t I = 0; I < T.size(); ++I) {
    char C = T[I];
    if (C == '"') {
      size_t B = ++I;
      while (I < T.size() && T[I] != '"')
        I += T[I] == '\\' ? 2 : 1;
      if (Depth == 1)
        LastString = T.slice(B, I).str();
      else if (Depth == 2 && InEntries) // a string element (an error, reported at its line)
        L.Entries.push_back({B - 1, I + 1});
      continue;
    }
    if (C == ':' && Depth == 1) {
      KeyIsEntries = LastString == "entries";
      continue;
    }
    if (C == '{' || C == '[') {
      if (Depth == 1 && C == '[' && KeyIsEntries)
        InEntries = true;
      else if (Depth == 2 && InEntries)
        ElemBegin = I;
      ++Depth;
      continue;
    }
    if (C == '}' || C == ']') {
      --Depth;
      if (Depth == 2 && InEntries)
        L.Entries.push_back({ElemBegin, I + 1});
      else if (Depth == 1 && InEntries)
        InEntries = false;
      continue;
    }
    // A scalar element of "entries" (an error, reported at its line).
    if (Depth == 2 && InEntries && !llvm::isSpace(C) && C != ',') {
      size_t B = I;
      while (I + 1 < T.size() && !llvm::is_contained(",]} \t\r\n", T[I + 1]))
        ++I;
      L.Entries.push_back({B, I + 1});
    }
  }
  return L;
}

/// The line of `"Key"` inside [B, E) of \p T, else the line of B.
unsigned keyLine(llvm::StringRef T, const Lines &Ln, size_t B, size_t E, llvm::StringRef Key) {
  std::string Quoted = ("\"" + Key + "\"").str();
  size_t P = T.slice(B, E).find(Quoted);
  return Ln.of(P == llvm::StringRef::npos ? B : B + P);
}

std::string didYouMean(llvm::StringRef Key, llvm::ArrayRef<llvm::StringRef> Known) {
  llvm::StringRef Best;
  unsigned BestD = 3;
  for (llvm::StringRef K : Known) {
    unsigned D = Key.edit_distance(K, true, BestD);
    if (D < BestD) {
      BestD = D;
      Best = K;
    }
  }
  return Best.empty() ? "" : " (did you mean '" + Best.str() + "'?)";
}

std::string known(llvm::ArrayRef<llvm::StringRef> Keys) {
  std::string S;
  for (llvm::StringRef K : Keys)
    S += (S.empty() ? "" : ", ") + K.str();
  return S;
}

constexpr llvm::StringRef TopKeys[] = {"version", "tool", "entries"};
constexpr llvm::StringRef EntryKeys[] = {"fingerprint", "rule", "path", "snippet", "reason",
                                         "expires"};

} // namespace

const BaselineEntry *Baseline::find(llvm::StringRef Fp) const {
  for (const BaselineEntry &E : Entries)
    if (E.Fingerprint == Fp)
      return &E;
  return nullptr;
}

llvm::Expected<Baseline> parseBaseline(llvm::StringRef Text, llvm::StringRef Name) {
  std::string What =
      ("baselines are written by 'authtoken-migrate baseline --output " + Name + "'").str();
  auto Parsed = llvm::json::parse(Text);
  if (!Parsed) {
    // llvm::json's message: "[LINE:COLUMN, byte=OFFSET]: what".
    std::string M = llvm::toString(Parsed.takeError());
    llvm::SmallVector<llvm::StringRef, 4> G;
    if (llvm::Regex("^\\[([0-9]+):([0-9]+), byte=[0-9]+\\]: (.*)$").match(M, &G))
      return llvm::createStringError(std::errc::invalid_argument, "%s",
                                     (Name + ":" + G[1] + ":" + G[2] + ": invalid JSON: " +
                                      G[3] + "; fix the file (a merge conflict?)")
                                         .str()
                                         .c_str());
    return err(Name, 0, "invalid JSON: " + M + "; fix the file");
  }
  const llvm::json::Object *Top = Parsed->getAsObject();
  if (!Top)
    return err(Name, 1, llvm::Twine("expected a JSON object {\"version\": 1, \"entries\": "
                                    "[…]}; ") + What);
  Layout L = layoutOf(Text);
  Lines Ln(Text);
  auto TopLine = [&](llvm::StringRef Key) { return keyLine(Text, Ln, 0, Text.size(), Key); };
  for (const auto &KV : *Top) {
    llvm::StringRef K = KV.first;
    if (!llvm::is_contained(TopKeys, K))
      return err(Name, TopLine(K),
                 "unknown key '" + K + "'" + didYouMean(K, TopKeys) + "; expected " +
                     known(TopKeys));
  }
  const llvm::json::Value *V = Top->get("version");
  if (!V)
    return err(Name, 1, llvm::Twine("no \"version\"; not an authtoken-migrate baseline? ") + What);
  if (auto N = V->getAsInteger(); !N || *N != BaselineVersion)
    return err(Name, TopLine("version"),
               "unsupported baseline version (this tool reads version " +
                   llvm::Twine(BaselineVersion) + "); " + What);
  if (const llvm::json::Value *T = Top->get("tool"))
    if (auto S = T->getAsString(); !S || *S != "authtoken-migrate")
      return err(Name, TopLine("tool"),
                 "\"tool\" is not \"authtoken-migrate\": not a baseline of this tool");
  const llvm::json::Value *Es = Top->get("entries");
  if (!Es)
    return err(Name, 1, "no \"entries\" array (an empty baseline is \"entries\": [])");
  const llvm::json::Array *Arr = Es->getAsArray();
  if (!Arr)
    return err(Name, TopLine("entries"), "\"entries\" must be an array of objects");

  Baseline B;
  std::unordered_map<std::string, unsigned> LineOfFp;
  for (size_t I = 0; I < Arr->size(); ++I) {
    size_t EB = I < L.Entries.size() ? L.Entries[I].first : 0;
    size_t EE = I < L.Entries.size() ? L.Entries[I].second : Text.size();
    unsigned ELine = Ln.of(EB);
    auto At = [&](llvm::StringRef Key) { return keyLine(Text, Ln, EB, EE, Key); };
    const llvm::json::Object *O = (*Arr)[I].getAsObject();
    if (!O)
      return err(Name, ELine, "entry " + llvm::Twine(I + 1) + " is not an object");
    for (const auto &KV : *O) {
      llvm::StringRef K = KV.first;
      if (!llvm::is_contained(EntryKeys, K))
        return err(Name, At(K),
                   "unknown key '" + K + "' in an entry" + didYouMean(K, EntryKeys) +
                       "; expected " + known(EntryKeys));
    }
    BaselineEntry E;
    E.Line = ELine;
    auto Str = [&](llvm::StringRef Key, std::string &Out, bool Required) -> llvm::Error {
      const llvm::json::Value *KV = O->get(Key);
      if (!KV) {
        if (Required)
          return err(Name, ELine, "entry without \"" + Key + "\"");
        return llvm::Error::success();
      }
      auto S = KV->getAsString();
      if (!S || (Required && S->empty()))
        return err(Name, At(Key), "\"" + Key + "\" must be a non-empty string");
      Out = S->str();
      return llvm::Error::success();
    };
    if (auto Er = Str("fingerprint", E.Fingerprint, true))
      return Er;
    if (auto Er = Str("rule", E.Rule, true))
      return Er;
    if (auto Er = Str("path", E.Path, true))
      return Er;
    if (auto Er = Str("snippet", E.Snippet, false))
      return Er;
    if (auto Er = Str("reason", E.Reason, false))
      return Er;
    std::string Exp;
    if (auto Er = Str("expires", Exp, false))
      return Er;
    if (O->get("expires")) {
      E.Expires = Date::parse(Exp);
      if (!E.Expires)
        return err(Name, At("expires"),
                   "\"expires\": expected a date YYYY-MM-DD, got '" + Exp + "'");
    }
    auto [It, New] = LineOfFp.try_emplace(E.Fingerprint, ELine);
    if (!New)
      return err(Name, ELine,
                 "duplicate fingerprint " + E.Fingerprint + " (also on line " +
                     llvm::Twine(It->second) + "); keep one of the two entries");
    B.Entries.push_back(std::move(E));
  }
  return B;
}

llvm::Expected<Baseline> readBaseline(llvm::StringRef Path) {
  auto Buf = llvm::MemoryBuffer::getFile(Path, /*IsText=*/true, /*RequiresNullTerminator=*/false);
  if (!Buf)
    return err(Path, 0,
               "cannot read the baseline: " + Buf.getError().message() +
                   " (write one with 'authtoken-migrate baseline --output " + Path + "')");
  return parseBaseline((*Buf)->getBuffer(), Path);
}

void sortBaseline(Baseline &B) {
  std::stable_sort(B.Entries.begin(), B.Entries.end(),
                   [](const BaselineEntry &X, const BaselineEntry &Y) {
                     return std::tie(X.Path, X.Rule, X.Fingerprint) <
                            std::tie(Y.Path, Y.Rule, Y.Fingerprint);
                   });
}

std::string formatBaseline(const Baseline &In) {
  Baseline B = In;
  sortBaseline(B);
  auto Utf8 = [](const std::string &S) {
    return llvm::json::isUTF8(S) ? S : llvm::json::fixUTF8(S);
  };
  std::string Out;
  llvm::raw_string_ostream OS(Out);
  {
    llvm::json::OStream J(OS, 2);
    J.object([&] {
      J.attribute("version", BaselineVersion);
      J.attribute("tool", "authtoken-migrate");
      J.attributeArray("entries", [&] {
        for (const BaselineEntry &E : B.Entries)
          J.object([&] {
            J.attribute("fingerprint", Utf8(E.Fingerprint));
            J.attribute("rule", Utf8(E.Rule));
            J.attribute("path", Utf8(E.Path));
            J.attribute("snippet", Utf8(E.Snippet));
            if (!E.Reason.empty())
              J.attribute("reason", Utf8(E.Reason));
            if (E.Expires)
              J.attribute("expires", E.Expires->str());
          });
      });
    });
  }
  OS << "\n";
  OS.flush();
  return Out;
}

llvm::Error writeBaseline(llvm::StringRef Path, const Baseline &B) {
  std::string Text = formatBaseline(B);
  AtomicWriteOptions O;
  O.TempModel = ".authtoken-migrate-%%%%%%.tmp";
  return writeFileAtomically(Path, Text, O);
}

BaselineEntry baselineEntry(const Finding &F) {
  BaselineEntry E;
  E.Fingerprint = F.Fingerprint;
  E.Rule = F.RuleId;
  E.Path = F.Path;
  E.Snippet = llvm::StringRef(F.LineText).trim().str();
  return E;
}

BaselineMatch applyBaseline(ScanResult &R, const Baseline &B, const Date &AsOf) {
  BaselineMatch M;
  M.Matched.assign(B.Entries.size(), false);
  std::unordered_map<std::string, size_t> Index;
  for (size_t I = 0; I < B.Entries.size(); ++I)
    Index.emplace(B.Entries[I].Fingerprint, I);
  std::vector<Finding> Kept;
  Kept.reserve(R.Findings.size());
  for (Finding &F : R.Findings) {
    auto It = Index.find(F.Fingerprint);
    if (It == Index.end()) {
      Kept.push_back(std::move(F));
      continue;
    }
    const BaselineEntry &E = B.Entries[It->second];
    M.Matched[It->second] = true;
    if (!E.expired(AsOf)) {
      ++M.Baselined;
      continue;
    }
    ++M.Expired;
    F.Message += " (baseline entry expired on " + E.Expires->str();
    if (!E.Reason.empty())
      F.Message += "; its reason: " + E.Reason;
    F.Message += ")";
    Kept.push_back(std::move(F));
  }
  R.Findings = std::move(Kept);
  R.Stats.Baselined += M.Baselined;
  return M;
}

BaselineUpdate updateBaseline(llvm::ArrayRef<Finding> Findings, const Baseline *Previous,
                              const BaselineUpdateOptions &Opts) {
  BaselineUpdate U;
  std::unordered_map<std::string, size_t> Prev;
  if (Previous)
    for (size_t I = 0; I < Previous->Entries.size(); ++I)
      Prev.emplace(Previous->Entries[I].Fingerprint, I);
  std::vector<bool> Matched(Previous ? Previous->Entries.size() : 0, false);
  std::set<std::string> Seen;
  for (const Finding &F : Findings) {
    if (F.Fingerprint.empty() || !Seen.insert(F.Fingerprint).second)
      continue;
    BaselineEntry E = baselineEntry(F);
    auto It = Prev.find(F.Fingerprint);
    if (It != Prev.end()) {
      const BaselineEntry &P = Previous->Entries[It->second];
      Matched[It->second] = true;
      E.Reason = P.Reason;
      E.Expires = P.Expires;
      ++U.Kept;
    } else {
      if (Opts.Update && !Opts.AddNew)
        continue;
      U.Added.push_back(E);
    }
    U.Result.Entries.push_back(std::move(E));
  }
  if (Previous)
    for (size_t I = 0; I < Previous->Entries.size(); ++I) {
      if (Matched[I])
        continue;
      const BaselineEntry &P = Previous->Entries[I];
      if (Opts.Update && Opts.InScope && !Opts.InScope(P)) {
        ++U.OutOfScope;
        BaselineEntry Copy = P;
        Copy.Line = 0;
        U.Result.Entries.push_back(std::move(Copy));
        continue;
      }
      U.Stale.push_back(P);
    }
  sortBaseline(U.Result);
  Baseline StaleSorted{U.Stale}, AddedSorted{U.Added};
  sortBaseline(StaleSorted);
  sortBaseline(AddedSorted);
  U.Stale = std::move(StaleSorted.Entries);
  U.Added = std::move(AddedSorted.Entries);
  return U;
}

} // namespace atm
