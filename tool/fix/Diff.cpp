#include "fix/Diff.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <tuple>
#include <vector>

#include "fmt/format.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/SHA1.h"

namespace atm::fix {
namespace {

/// \p Text split after each '\n'; every line keeps its '\n' (so "b" and "b\n" differ),
/// only the last one may lack it.
std::vector<llvm::StringRef> splitLines(llvm::StringRef Text) {
  std::vector<llvm::StringRef> Lines;
  size_t Pos = 0;
  while (Pos < Text.size()) {
    size_t NL = Text.find('\n', Pos);
    size_t End = NL == llvm::StringRef::npos ? Text.size() : NL + 1;
    Lines.push_back(Text.slice(Pos, End));
    Pos = End;
  }
  return Lines;
}

/// Myers' O(ND) diff in linear space: the divide-and-conquer "middle snake" search of
/// GNU diff's diffseq.h (compareseq/diag) over interned line ids. Marks the lines of X
/// that are deleted and of Y that are inserted. The result is minimal unless one middle
/// snake search costs more than TooExpensive edit steps (edit distances in the
/// about a thousand); then it splits at the furthest-reaching diagonal, as GNU diff does.
class Myers {
public:
  Myers(llvm::ArrayRef<unsigned> X, llvm::ArrayRef<unsigned> Y, std::vector<char> &DelX,
        std::vector<char> &InsY)
      : X(X), Y(Y), DelX(DelX), InsY(InsY) {
    size_t Diags = X.size() + Y.size() + 3;
    Storage.resize(2 * Diags);
    FD = Storage.data() + Y.size() + 1;
    BD = Storage.data() + Diags + Y.size() + 1;
  }

  void run() { compareSeq(0, X.size(), 0, Y.size(), false); }

private:
  struct Partition {
    ptrdiff_t XMid, YMid;
    bool LoMinimal, HiMinimal;
  };
  static constexpr ptrdiff_t TooExpensive = 1024;
  static constexpr ptrdiff_t Max = PTRDIFF_MAX;

  void compareSeq(ptrdiff_t XOff, ptrdiff_t XLim, ptrdiff_t YOff, ptrdiff_t YLim,
                  bool FindMinimal) {
    // The upper half recurses, the lower half loops: depth stays logarithmic.
    for (;;) {
      while (XOff < XLim && YOff < YLim && X[XOff] == Y[YOff])
        ++XOff, ++YOff;
      while (XOff < XLim && YOff < YLim && X[XLim - 1] == Y[YLim - 1])
        --XLim, --YLim;
      if (XOff == XLim) {
        while (YOff < YLim)
          InsY[YOff++] = 1;
        return;
      }
      if (YOff == YLim) {
        while (XOff < XLim)
          DelX[XOff++] = 1;
        return;
      }
      Partition P = diag(XOff, XLim, YOff, YLim, FindMinimal);
      compareSeq(XOff, P.XMid, YOff, P.YMid, P.LoMinimal);
      XOff = P.XMid;
      YOff = P.YMid;
      FindMinimal = P.HiMinimal;
    }
  }

  /// The midpoint of a shortest edit script of X[XOff, XLim) / Y[YOff, YLim): forward
  /// and backward searches, one edit step each per round, until they overlap. FD[k]/BD[k]
  /// hold the furthest x reached on diagonal k = x - y.
  Partition diag(ptrdiff_t XOff, ptrdiff_t XLim, ptrdiff_t YOff, ptrdiff_t YLim,
                 bool FindMinimal) {
    const ptrdiff_t DMin = XOff - YLim, DMax = XLim - YOff;
    const ptrdiff_t FMid = XOff - YOff, BMid = XLim - YLim;
    ptrdiff_t FMin = FMid, FMax = FMid, BMin = BMid, BMax = BMid;
    const bool Odd = (FMid - BMid) & 1;
    FD[FMid] = XOff;
    BD[BMid] = XLim;
    for (ptrdiff_t Cost = 1;; ++Cost) {
      if (FMin > DMin)
        FD[--FMin - 1] = -1;
      else
        ++FMin;
      if (FMax < DMax)
        FD[++FMax + 1] = -1;
      else
        --FMax;
      for (ptrdiff_t D = FMax; D >= FMin; D -= 2) {
        ptrdiff_t TLo = FD[D - 1], THi = FD[D + 1];
        ptrdiff_t X0 = TLo < THi ? THi : TLo + 1;
        ptrdiff_t XP = X0, YP = X0 - D;
        while (XP < XLim && YP < YLim && X[XP] == Y[YP])
          ++XP, ++YP;
        FD[D] = XP;
        if (Odd && BMin <= D && D <= BMax && BD[D] <= XP)
          return {XP, YP, true, true};
      }

      if (BMin > DMin)
        BD[--BMin - 1] = Max;
      else
        ++BMin;
      if (BMax < DMax)
        BD[++BMax + 1] = Max;
      else
        --BMax;
      for (ptrdiff_t D = BMax; D >= BMin; D -= 2) {
        ptrdiff_t TLo = BD[D - 1], THi = BD[D + 1];
        ptrdiff_t X0 = TLo < THi ? TLo : THi - 1;
        ptrdiff_t XP = X0, YP = X0 - D;
        while (XOff < XP && YOff < YP && X[XP - 1] == Y[YP - 1])
          --XP, --YP;
        BD[D] = XP;
        if (!Odd && FMin <= D && D <= FMax && XP <= FD[D])
          return {XP, YP, true, true};
      }

      if (FindMinimal || Cost < TooExpensive)
        continue;
      // Too expensive: split at the better of the forward diagonal that maximizes x + y
      // and the backward one that minimizes it; that side is then solved minimally.
      ptrdiff_t FXYBest = -1, FXBest = 0;
      for (ptrdiff_t D = FMax; D >= FMin; D -= 2) {
        ptrdiff_t XP = std::min(FD[D], XLim), YP = XP - D;
        if (YLim < YP)
          XP = YLim + D, YP = YLim;
        if (FXYBest < XP + YP)
          FXYBest = XP + YP, FXBest = XP;
      }
      ptrdiff_t BXYBest = Max, BXBest = 0;
      for (ptrdiff_t D = BMax; D >= BMin; D -= 2) {
        ptrdiff_t XP = std::max(XOff, BD[D]), YP = XP - D;
        if (YP < YOff)
          XP = YOff + D, YP = YOff;
        if (XP + YP < BXYBest)
          BXYBest = XP + YP, BXBest = XP;
      }
      if ((XLim + YLim) - BXYBest < FXYBest - (XOff + YOff))
        return {FXBest, FXYBest - FXBest, true, false};
      return {BXBest, BXYBest - BXBest, false, true};
    }
  }

  llvm::ArrayRef<unsigned> X, Y;
  std::vector<char> &DelX, &InsY;
  std::vector<ptrdiff_t> Storage;
  ptrdiff_t *FD = nullptr, *BD = nullptr;
};

/// Slides every run of changed lines down while the line after it equals its first line
/// (git's first compaction pass); runs that meet merge. The unchanged lines keep their
/// order and contents, so the script stays valid and of the same size.
void slideDown(llvm::ArrayRef<llvm::StringRef> L, std::vector<char> &Changed) {
  size_t N = L.size(), I = 0;
  while (I < N) {
    if (!Changed[I]) {
      ++I;
      continue;
    }
    size_t S = I, E = I;
    while (E < N && Changed[E])
      ++E;
    while (E < N && L[S] == L[E]) {
      Changed[S++] = 0;
      Changed[E++] = 1;
      while (E < N && Changed[E])
        ++E;
    }
    I = E;
  }
}

/// One change: A[I0, I1) replaced by B[J0, J1) (either side may be empty).
struct Block {
  size_t I0, I1, J0, J1;
};

/// The change blocks of A -> B, in order.
std::vector<Block> diffLines(llvm::ArrayRef<llvm::StringRef> A,
                             llvm::ArrayRef<llvm::StringRef> B) {
  const size_t N = A.size(), M = B.size();
  size_t Pre = 0;
  while (Pre < N && Pre < M && A[Pre] == B[Pre])
    ++Pre;
  size_t Suf = 0;
  while (Suf < N - Pre && Suf < M - Pre && A[N - 1 - Suf] == B[M - 1 - Suf])
    ++Suf;

  std::vector<char> Del(N, 0), Ins(M, 0);
  // Intern the middle lines; count each id's uses per side.
  llvm::DenseMap<llvm::StringRef, unsigned> Ids;
  std::vector<unsigned> IdA(N - Pre - Suf), IdB(M - Pre - Suf);
  std::vector<unsigned> InA, InB;
  auto intern = [&](llvm::StringRef Line) {
    auto It = Ids.try_emplace(Line, Ids.size()).first;
    if (It->second >= InA.size()) {
      InA.push_back(0);
      InB.push_back(0);
    }
    return It->second;
  };
  for (size_t I = 0; I < IdA.size(); ++I) {
    IdA[I] = intern(A[Pre + I]);
    ++InA[IdA[I]];
  }
  for (size_t J = 0; J < IdB.size(); ++J) {
    IdB[J] = intern(B[Pre + J]);
    ++InB[IdB[J]];
  }
  // A line found on one side only can never be matched: it is changed, and leaving it
  // out of the search does not change the longest common subsequence.
  std::vector<unsigned> XS, YS;
  std::vector<size_t> XPos, YPos;
  for (size_t I = 0; I < IdA.size(); ++I) {
    if (InB[IdA[I]]) {
      XS.push_back(IdA[I]);
      XPos.push_back(Pre + I);
    } else {
      Del[Pre + I] = 1;
    }
  }
  for (size_t J = 0; J < IdB.size(); ++J) {
    if (InA[IdB[J]]) {
      YS.push_back(IdB[J]);
      YPos.push_back(Pre + J);
    } else {
      Ins[Pre + J] = 1;
    }
  }
  std::vector<char> DelX(XS.size(), 0), InsY(YS.size(), 0);
  Myers(XS, YS, DelX, InsY).run();
  for (size_t I = 0; I < XS.size(); ++I)
    if (DelX[I])
      Del[XPos[I]] = 1;
  for (size_t J = 0; J < YS.size(); ++J)
    if (InsY[J])
      Ins[YPos[J]] = 1;
  slideDown(A, Del);
  slideDown(B, Ins);

  std::vector<Block> Blocks;
  size_t I = 0, J = 0;
  while (I < N || J < M) {
    if (I < N && J < M && !Del[I] && !Ins[J]) {
      ++I, ++J;
      continue;
    }
    Block Blk{I, I, J, J};
    while (I < N && Del[I])
      ++I;
    while (J < M && Ins[J])
      ++J;
    Blk.I1 = I;
    Blk.J1 = J;
    Blocks.push_back(Blk);
  }
  return Blocks;
}

/// git's quote_c_style: bytes below 0x20, '"', '\\', DEL and non-ASCII (core.quotePath,
/// the default) force quoting; \a \b \t \n \v \f \r \" \\ by name, the rest in octal.
std::string quotePath(llvm::StringRef Prefix, llvm::StringRef Path) {
  std::string Name = (Prefix + Path).str();
  auto Special = [](unsigned char C) {
    return C < 0x20 || C == '"' || C == '\\' || C >= 0x7f;
  };
  if (std::none_of(Name.begin(), Name.end(), [&](char C) { return Special(C); }))
    return Name;
  std::string Out = "\"";
  for (char Ch : Name) {
    unsigned char C = Ch;
    if (!Special(C)) {
      Out += Ch;
      continue;
    }
    Out += '\\';
    switch (C) {
    case '\a': Out += 'a'; break;
    case '\b': Out += 'b'; break;
    case '\t': Out += 't'; break;
    case '\n': Out += 'n'; break;
    case '\v': Out += 'v'; break;
    case '\f': Out += 'f'; break;
    case '\r': Out += 'r'; break;
    case '"': Out += '"'; break;
    case '\\': Out += '\\'; break;
    default:
      Out += char('0' + ((C >> 6) & 7));
      Out += char('0' + ((C >> 3) & 7));
      Out += char('0' + (C & 7));
    }
  }
  Out += '"';
  return Out;
}

/// The git blob id of \p Content, abbreviated to 7 hex digits like `git diff`.
std::string blobId(llvm::StringRef Content) {
  llvm::SHA1 H;
  H.update(fmt::format("blob {}", Content.size()));
  H.update(llvm::StringRef("\0", 1));
  H.update(Content);
  return llvm::toHex(H.final(), /*LowerCase=*/true).substr(0, 7);
}

/// "l,s" of a hunk side starting at 0-based line \p Start with \p Count lines: ",s" is
/// left out when s == 1, and an empty side names the line before it (xdiff's rule).
std::string hunkRange(size_t Start, size_t Count) {
  if (Count == 1)
    return fmt::format("{}", Start + 1);
  return fmt::format("{},{}", Count == 0 ? Start : Start + 1, Count);
}

void emitLine(std::string &Out, char Mark, llvm::StringRef Line) {
  Out += Mark;
  Out.append(Line.data(), Line.size());
  if (!Line.endswith("\n"))
    Out += "\n\\ No newline at end of file\n";
}

void emitHunks(std::string &Out, llvm::ArrayRef<llvm::StringRef> A,
               llvm::ArrayRef<llvm::StringRef> B, llvm::ArrayRef<Block> Blocks,
               size_t Context) {
  for (size_t K = 0; K < Blocks.size();) {
    // Merge the following blocks while the unchanged gap fits both contexts.
    size_t E = K;
    while (E + 1 < Blocks.size() && Blocks[E + 1].I0 - Blocks[E].I1 <= 2 * Context)
      ++E;
    size_t OS = Blocks[K].I0 >= Context ? Blocks[K].I0 - Context : 0;
    size_t NS = Blocks[K].J0 - (Blocks[K].I0 - OS);
    size_t OE = std::min(A.size(), Blocks[E].I1 + Context);
    size_t NE = Blocks[E].J1 + (OE - Blocks[E].I1);
    Out += fmt::format("@@ -{} +{} @@\n", hunkRange(OS, OE - OS), hunkRange(NS, NE - NS));
    size_t I = OS;
    for (size_t Q = K; Q <= E; ++Q) {
      for (; I < Blocks[Q].I0; ++I)
        emitLine(Out, ' ', A[I]);
      for (; I < Blocks[Q].I1; ++I)
        emitLine(Out, '-', A[I]);
      for (size_t J = Blocks[Q].J0; J < Blocks[Q].J1; ++J)
        emitLine(Out, '+', B[J]);
    }
    for (; I < OE; ++I)
      emitLine(Out, ' ', A[I]);
    K = E + 1;
  }
}

/// Parses the decimal number at the front of \p S, dropping it; 0 if none.
unsigned eatNumber(llvm::StringRef &S) {
  unsigned V = 0;
  while (!S.empty() && llvm::isDigit(S.front())) {
    V = V * 10 + unsigned(S.front() - '0');
    S = S.drop_front();
  }
  return V;
}

/// The line counts of a hunk header "@@ -l[,s] +l[,s] @@…"; false if it is not one.
bool parseHunkHeader(llvm::StringRef L, unsigned &OldCount, unsigned &NewCount) {
  if (!L.consume_front("@@ -"))
    return false;
  eatNumber(L);
  OldCount = L.consume_front(",") ? eatNumber(L) : 1;
  if (!L.consume_front(" +"))
    return false;
  eatNumber(L);
  NewCount = L.consume_front(",") ? eatNumber(L) : 1;
  return L.startswith(" @@");
}

} // namespace

std::string unifiedDiff(const FileChange &C, unsigned Context) {
  llvm::StringRef Old = C.Old ? llvm::StringRef(*C.Old) : llvm::StringRef();
  if (C.Old && *C.Old == C.New)
    return "";
  std::vector<llvm::StringRef> A = splitLines(Old), B = splitLines(C.New);
  std::vector<Block> Blocks = diffLines(A, B);

  const std::string NameA = quotePath("a/", C.Path), NameB = quotePath("b/", C.Path);
  // git puts a TAB after ---/+++ names with a space, so the name's end is unambiguous.
  const char *Tab = llvm::StringRef(C.Path).contains(' ') ? "\t" : "";
  std::string Out = fmt::format("diff --git {} {}\n", NameA, NameB);
  if (!C.Old) {
    Out += fmt::format("new file mode {:o}\n", C.Mode);
    Out += fmt::format("index 0000000..{}\n", blobId(C.New));
    Out += fmt::format("--- /dev/null\n+++ {}{}\n", NameB, Tab);
  } else {
    Out += fmt::format("index {}..{} {:o}\n", blobId(Old), blobId(C.New), C.Mode);
    Out += fmt::format("--- {}{}\n+++ {}{}\n", NameA, Tab, NameB, Tab);
  }
  emitHunks(Out, A, B, Blocks, Context);
  return Out;
}

std::string unifiedDiff(llvm::ArrayRef<FileChange> Changes, unsigned Context) {
  std::string Out;
  for (const FileChange &C : Changes)
    Out += unifiedDiff(C, Context);
  return Out;
}

DiffStat diffStat(llvm::StringRef Diff) {
  DiffStat S;
  unsigned OldLeft = 0, NewLeft = 0;
  // After a `diff --git` line, its `---` line belongs to the same file.
  bool InGitHeader = false;
  while (!Diff.empty()) {
    llvm::StringRef L;
    std::tie(L, Diff) = Diff.split('\n');
    if (OldLeft || NewLeft) {
      char Mark = L.empty() ? ' ' : L.front(); // some tools strip a blank context line
      if (Mark == ' ' && OldLeft && NewLeft) {
        --OldLeft, --NewLeft;
        continue;
      }
      if (Mark == '-' && OldLeft) {
        --OldLeft, ++S.Removed;
        continue;
      }
      if (Mark == '+' && NewLeft) {
        --NewLeft, ++S.Added;
        continue;
      }
      if (Mark == '\\')
        continue;
      OldLeft = NewLeft = 0; // a truncated hunk: read the line as a header
    }
    unsigned OC = 0, NC = 0;
    if (L.startswith("diff --git ")) {
      ++S.Files;
      InGitHeader = true;
    } else if (L.startswith("--- ")) {
      if (!InGitHeader)
        ++S.Files;
      InGitHeader = false;
    } else if (parseHunkHeader(L, OC, NC)) {
      OldLeft = OC;
      NewLeft = NC;
      InGitHeader = false;
    }
  }
  return S;
}

} // namespace atm::fix
