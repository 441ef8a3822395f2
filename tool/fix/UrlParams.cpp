#include "fix/UrlParams.h"

#include "fix/EditUtil.h"

#include "llvm/ADT/StringExtras.h"

namespace atm::fix {

std::string flattenItems(llvm::ArrayRef<ParamItem> Items, llvm::StringRef Hole) {
  std::string Out;
  for (const ParamItem &I : Items) {
    if (I.Hole)
      Out += Hole.str();
    else
      Out += I.C;
  }
  return Out;
}

namespace {

bool isKeyChar(char C) { return llvm::isAlnum(C) || C == '_' || C == '.' || C == '-'; }

struct Segment {
  size_t Begin = 0, End = 0; ///< items [Begin, End)
  bool Param = false;        ///< a `key=value` (else the URL before the query, or empty)
  std::string Key;           ///< decoded, when the key is all literal
  size_t ValueBegin = 0;     ///< first item of the value
};

} // namespace

std::optional<ParamRemoval> removedParams(llvm::ArrayRef<ParamItem> Items, bool FormBody,
                                          bool ScopeAlone, std::string &Why) {
  size_t N = Items.size();
  size_t QStart = 0;
  std::optional<size_t> Question;
  if (!FormBody)
    for (size_t I = 0; I < N; ++I)
      if (!Items[I].Hole && Items[I].C == '?') {
        Question = I;
        QStart = I + 1;
        break;
      }
  size_t QEnd = N;
  for (size_t I = QStart; I < N; ++I)
    if (!Items[I].Hole && Items[I].C == '#') {
      QEnd = I;
      break;
    }

  // Segments between literal '&'.
  std::vector<Segment> Segs;
  size_t S = QStart;
  for (size_t I = QStart; I <= QEnd; ++I)
    if (I == QEnd || (!Items[I].Hole && Items[I].C == '&')) {
      Segment G;
      G.Begin = S;
      G.End = I;
      Segs.push_back(G);
      S = I + 1;
    }
  for (size_t K = 0; K < Segs.size(); ++K) {
    Segment &G = Segs[K];
    size_t I = G.Begin;
    std::string Key;
    while (I < G.End && !Items[I].Hole && Items[I].C != '=')
      Key += Items[I++].C;
    if (I < G.End && !Items[I].Hole && Items[I].C == '=' && !Key.empty()) {
      bool Valid = true;
      for (char C : Key)
        Valid = Valid && isKeyChar(C);
      // With no '?', the first segment is the URL itself unless it reads `key=…`.
      G.Param = Valid || FormBody || Question || K > 0;
      G.Key = Key;
      G.ValueBegin = I + 1;
    }
  }

  // What goes.
  std::vector<char> Removed(Segs.size(), 0);
  bool Authtoken = false, Scope = false;
  std::vector<size_t> ScopeSegs;
  for (size_t K = 0; K < Segs.size(); ++K) {
    const Segment &G = Segs[K];
    if (!G.Param)
      continue;
    llvm::StringRef Key(G.Key);
    if (Key.equals_insensitive("authtoken")) {
      size_t Holes = 0, Literals = 0;
      for (size_t I = G.ValueBegin; I < G.End; ++I)
        (Items[I].Hole ? Holes : Literals)++;
      if (Holes > 1 || (Holes == 1 && Literals > 0)) {
        Why = "the authtoken's value is built from several pieces; edit it by hand";
        return std::nullopt;
      }
      Removed[K] = 1;
      Authtoken = true;
    } else if (Key.equals_insensitive("scope")) {
      std::string V;
      bool Literal = true;
      for (size_t I = G.ValueBegin; I < G.End; ++I) {
        Literal = Literal && !Items[I].Hole;
        V += Items[I].C;
      }
      if (Literal && !V.empty() && isLegacyScopeValue(V))
        ScopeSegs.push_back(K);
    }
  }
  // A key that is a hole can hide an authtoken: `?$KEY=$T` is left alone by the caller's
  // scan (the finding is not in a literal), so nothing to check here.
  if (Authtoken || ScopeAlone)
    for (size_t K : ScopeSegs) {
      Removed[K] = 1;
      Scope = true;
    }
  ParamRemoval R;
  R.Authtoken = Authtoken;
  R.Scope = Scope;
  if (!Authtoken && !Scope)
    return R;
  // Empty segments (`&&`, a trailing `&`) go with the tidy-up.
  std::vector<char> Kept(Segs.size(), 0);
  for (size_t K = 0; K < Segs.size(); ++K)
    Kept[K] = !Removed[K] && Segs[K].Begin < Segs[K].End;

  std::vector<char> Del(N, 0);
  bool AnyKept = false;
  for (size_t K = 0; K < Segs.size(); ++K) {
    if (!Kept[K])
      for (size_t I = Segs[K].Begin; I < Segs[K].End; ++I)
        Del[I] = 1;
    if (K > 0 && !(Kept[K] && AnyKept))
      Del[Segs[K].Begin - 1] = 1; // the '&' before it
    AnyKept = AnyKept || Kept[K];
  }
  bool AnyParamKept = false;
  for (size_t K = 0; K < Segs.size(); ++K)
    AnyParamKept = AnyParamKept || (Kept[K] && (Segs[K].Param || Question || FormBody));
  if (Question && !AnyParamKept) {
    Del[*Question] = 1;
    R.QuestionRemoved = true;
  }
  R.Everything = !AnyKept && !Question;
  for (size_t I = 0; I < N; ++I) {
    if (!Del[I])
      continue;
    if (!R.Runs.empty() && R.Runs.back().Last + 1 == I)
      R.Runs.back().Last = I;
    else
      R.Runs.push_back({I, I});
  }
  return R;
}

} // namespace atm::fix
