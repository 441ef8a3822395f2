#include "core/LineHash.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <unordered_map>

#include "fmt/format.h"

namespace atm {

namespace {
constexpr unsigned BlockSize = 100;
constexpr uint64_t Mod = 37;
constexpr uint32_t Eof = 65535;

/// Decodes UTF-8 into UTF-16 code units as a JavaScript string holds them (invalid
/// bytes become U+FFFD, as Node's utf8 decoder does).
template <typename F> void forEachUtf16Unit(llvm::StringRef S, F &&Emit) {
  const auto *P = reinterpret_cast<const unsigned char *>(S.data());
  const auto *E = P + S.size();
  while (P < E) {
    unsigned char C = *P;
    uint32_t CP;
    size_t Len;
    if (C < 0x80) {
      CP = C;
      Len = 1;
    } else if ((C >> 5) == 6 && E - P >= 2 && (P[1] & 0xC0) == 0x80) {
      CP = ((C & 0x1F) << 6) | (P[1] & 0x3F);
      Len = 2;
    } else if ((C >> 4) == 14 && E - P >= 3 && (P[1] & 0xC0) == 0x80 && (P[2] & 0xC0) == 0x80) {
      CP = ((C & 0x0F) << 12) | ((P[1] & 0x3F) << 6) | (P[2] & 0x3F);
      Len = 3;
    } else if ((C >> 3) == 30 && E - P >= 4 && (P[1] & 0xC0) == 0x80 &&
               (P[2] & 0xC0) == 0x80 && (P[3] & 0xC0) == 0x80) {
      CP = ((C & 0x07) << 18) | ((P[1] & 0x3F) << 12) | ((P[2] & 0x3F) << 6) | (P[3] & 0x3F);
      Len = 4;
    } else {
      CP = 0xFFFD;
      Len = 1;
    }
    P += Len;
    if (CP >= 0x10000) {
      CP -= 0x10000;
      Emit(0xD800 + (CP >> 10));
      Emit(0xDC00 + (CP & 0x3FF));
    } else {
      Emit(CP);
    }
  }
}
} // namespace

std::map<unsigned, std::string> primaryLocationLineHashes(llvm::StringRef Text,
                                                          llvm::ArrayRef<unsigned> Lines) {
  std::map<unsigned, std::string> Out;
  if (Lines.empty())
    return Out;
  std::vector<unsigned> Wanted(Lines.begin(), Lines.end());
  std::sort(Wanted.begin(), Wanted.end());
  auto IsWanted = [&](int Line) {
    return Line > 0 && std::binary_search(Wanted.begin(), Wanted.end(), unsigned(Line));
  };
  // Arithmetic modulo 2^64 is what the action's signed 64-bit Long does, read unsigned.
  uint64_t FirstMod = 1;
  for (unsigned I = 0; I < BlockSize; ++I)
    FirstMod *= Mod;
  std::array<uint32_t, BlockSize> Window{};
  std::array<int, BlockSize> LineNumbers;
  LineNumbers.fill(-1);
  uint64_t Hash = 0;
  unsigned Index = 0;
  int LineNumber = 0;
  bool LineStart = true, PrevCR = false;
  std::unordered_map<uint64_t, unsigned> Counts;

  auto OutputHash = [&]() {
    unsigned N = ++Counts[Hash];
    if (IsWanted(LineNumbers[Index]))
      Out[LineNumbers[Index]] = fmt::format("{:x}:{}", Hash, N);
    LineNumbers[Index] = -1;
  };
  auto UpdateHash = [&](uint32_t Current) {
    uint32_t Begin = Window[Index];
    Window[Index] = Current;
    Hash = Mod * Hash + Current - FirstMod * Begin;
    Index = (Index + 1) % BlockSize;
  };
  auto Process = [&](uint32_t Current) {
    if (Current == ' ' || Current == '\t' || (PrevCR && Current == '\n')) {
      PrevCR = false;
      return;
    }
    if (Current == '\r') {
      Current = '\n';
      PrevCR = true;
    } else {
      PrevCR = false;
    }
    if (LineNumbers[Index] != -1)
      OutputHash();
    if (LineStart) {
      LineStart = false;
      ++LineNumber;
      LineNumbers[Index] = LineNumber;
    }
    if (Current == '\n')
      LineStart = true;
    UpdateHash(Current);
  };
  // Node's utf8 stream decoder keeps a leading BOM as U+FEFF, and so does this.
  forEachUtf16Unit(Text, Process);
  Process(Eof);
  for (unsigned I = 0; I < BlockSize; ++I) {
    if (LineNumbers[Index] != -1)
      OutputHash();
    UpdateHash(0);
  }
  return Out;
}

} // namespace atm
