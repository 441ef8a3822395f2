#include "core/Text.h"

#include <algorithm>
#include <cstring>
#include <ctime>

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/xxhash.h"
#include "core/LiteralPrefilter.h"
#include "re2/re2.h"
#include "fmt/format.h"

namespace atm {

LineIndex::LineIndex(llvm::StringRef T) : Text(T) {
  Starts.push_back(0);
  for (size_t I = 0, E = T.size(); I < E; ++I)
    if (T[I] == '\n' || (T[I] == '\r' && (I + 1 == E || T[I + 1] != '\n')))
      Starts.push_back(I + 1);
  if (T.startswith("\xEF\xBB\xBF"))
    BomSkip = 3;
}

Position LineIndex::position(size_t Offset) const {
  auto It = std::upper_bound(Starts.begin(), Starts.end(), Offset);
  unsigned Line = It - Starts.begin();
  size_t Col = Offset - Starts[Line - 1] + 1;
  if (Line == 1 && BomSkip && Col > BomSkip)
    Col -= BomSkip;
  return {Line, static_cast<unsigned>(Col)};
}

llvm::StringRef LineIndex::line(unsigned Line) const {
  if (Line == 0 || Line > Starts.size())
    return {};
  size_t B = Starts[Line - 1];
  size_t E = Line < Starts.size() ? Starts[Line] - 1 : Text.size();
  llvm::StringRef L = Text.slice(B, E);
  if (L.endswith("\r"))
    L = L.drop_back();
  if (Line == 1 && L.startswith("\xEF\xBB\xBF"))
    L = L.drop_front(3);
  return L;
}

size_t normalizeLoneCarriageReturns(char *Data, size_t Size) {
  size_t N = 0;
  for (char *P = static_cast<char *>(std::memchr(Data, '\r', Size)); P;) {
    size_t I = P - Data;
    if (I + 1 == Size || Data[I + 1] != '\n') {
      Data[I] = '\n';
      ++N;
    }
    if (I + 1 >= Size)
      break;
    P = static_cast<char *>(std::memchr(P + 1, '\r', Size - I - 1));
  }
  return N;
}

bool isNotebookPath(llvm::StringRef Path) { return Path.endswith_insensitive(".ipynb"); }

namespace {
/// Decodes the JSON string that \p Element (one array element or value, with what
/// follows it on its line: `"…",`, `"…"],`) holds, with llvm::json, into \p Out: the
/// bytes of the element's line, from its start. A line break inside the string (the
/// trailing "\n" Jupyter writes ends it) and other control characters become spaces,
/// so that lines stay the notebook's. Decoding never lengthens. Returns the end of the
/// decoded bytes, or nullptr if the element is no well-formed JSON string.
char *decodeJsonLine(llvm::StringRef Element, char *Out) {
  Element = Element.rtrim(" \t,]");
  auto V = llvm::json::parse(Element);
  if (!V) {
    llvm::consumeError(V.takeError());
    return nullptr;
  }
  llvm::Optional<llvm::StringRef> S = V->getAsString();
  if (!S)
    return nullptr;
  llvm::StringRef Code = S->endswith("\n") ? S->drop_back() : *S;
  for (char C : Code)
    *Out++ = static_cast<unsigned char>(C) < 0x20 && C != '\t' ? ' ' : C;
  return Out;
}
} // namespace

size_t decodeNotebookCells(char *Data, size_t Size) {
  llvm::StringRef Text(Data, Size);
  // Jupyter writes one key or element a line; a minified notebook is left to the
  // generic lexer (its lines would all be one).
  if (!Text.contains("\"cell_type\"") || Text.count('\n') < 4)
    return 0;
  size_t Decoded = 0;
  bool CodeCell = false, InSource = false;
  size_t Pos = 0;
  while (Pos < Size) {
    size_t Eol = Pos;
    while (Eol < Size && Data[Eol] != '\n')
      ++Eol;
    size_t LineEnd = Eol > Pos && Data[Eol - 1] == '\r' ? Eol - 1 : Eol; // keep "\r\n"
    llvm::StringRef Line(Data + Pos, LineEnd - Pos);
    llvm::StringRef T = Line.trim();
    char *Out = Data + Pos; // where the line's decoded text goes
    char *Kept = Out;       // the end of what stays
    if (T.startswith("\"cell_type\"")) {
      CodeCell = T.contains("\"code\"");
      InSource = false;
    } else if (InSource) {
      if (T.startswith("]")) {
        InSource = false;
      } else if (T.startswith("\"")) {
        if (char *E = decodeJsonLine(T, Out)) {
          Kept = E;
          ++Decoded;
        }
      }
    } else if (CodeCell && (T.startswith("\"source\"") || T.startswith("\"input\""))) {
      llvm::StringRef V = T.drop_until([](char C) { return C == ':'; }).drop_front().ltrim();
      if (V.startswith("[")) {
        // "source": [ … ] on the following lines, or "source": ["one line"] here.
        llvm::StringRef Rest = V.drop_front().ltrim();
        if (Rest.startswith("\"")) {
          if (char *E = decodeJsonLine(Rest, Out)) {
            Kept = E;
            ++Decoded;
          }
        }
        InSource = !Rest.startswith("]") && !T.endswith("]") && !T.endswith("],");
      } else if (V.startswith("\"")) { // "source": "the whole cell" (a string)
        if (char *E = decodeJsonLine(V, Out)) {
          Kept = E;
          ++Decoded;
        }
      }
    }
    std::memset(Kept, ' ', Data + LineEnd - Kept);
    Pos = Eol + 1;
  }
  return Decoded;
}

void normalizeForAnalysis(llvm::StringRef Path, char *Data, size_t Size) {
  normalizeLoneCarriageReturns(Data, Size);
  if (isNotebookPath(Path))
    decodeNotebookCells(Data, Size);
}

std::string stableHash(llvm::ArrayRef<llvm::StringRef> Parts) {
  std::string Joined;
  for (llvm::StringRef P : Parts) {
    Joined.append(P.begin(), P.end());
    Joined.push_back('\x1f');
  }
  return fmt::format("{:016x}", llvm::xxHash64(Joined));
}

unsigned utf16Column(llvm::StringRef LineText, unsigned ByteCol) {
  unsigned Units = 0;
  size_t Limit = std::min<size_t>(ByteCol - 1, LineText.size());
  for (size_t I = 0; I < Limit;) {
    unsigned char C = LineText[I];
    size_t Len = C < 0x80 ? 1 : (C >> 5) == 6 ? 2 : (C >> 4) == 14 ? 3 : (C >> 3) == 30 ? 4 : 1;
    Units += Len == 4 ? 2 : 1;
    I += Len;
  }
  return Units + 1 + (ByteCol - 1 > LineText.size() ? ByteCol - 1 - LineText.size() : 0);
}

bool isValidUtf8(llvm::StringRef Text) {
  // Well-formed UTF-8 as the Unicode standard's table 3-7 defines it (what
  // llvm::isLegalUTF8String accepts: no overlong forms, no surrogates, nothing past
  // U+10FFFF). ASCII runs are skipped eight bytes at a time after every multi-byte
  // sequence too: one accented name at the top of a large file must not send the rest
  // through a byte-at-a-time decoder.
  const auto *P = reinterpret_cast<const unsigned char *>(Text.data());
  size_t I = 0, N = Text.size();
  while (true) {
    for (; I + 8 <= N; I += 8) {
      uint64_t W;
      std::memcpy(&W, P + I, 8);
      if (W & 0x8080808080808080ull)
        break;
    }
    while (I < N && P[I] < 0x80)
      ++I;
    if (I == N)
      return true;
    unsigned char C = P[I];
    size_t Len = C >= 0xC2 && C <= 0xDF ? 2 : C >= 0xE0 && C <= 0xEF ? 3
                                         : C >= 0xF0 && C <= 0xF4 ? 4 : 0;
    if (Len == 0 || N - I < Len)
      return false;
    unsigned char Lo = C == 0xE0 ? 0xA0 : C == 0xF0 ? 0x90 : 0x80;
    unsigned char Hi = C == 0xED ? 0x9F : C == 0xF4 ? 0x8F : 0xBF;
    if (P[I + 1] < Lo || P[I + 1] > Hi)
      return false;
    for (size_t K = 2; K < Len; ++K)
      if ((P[I + K] & 0xC0) != 0x80)
        return false;
    I += Len;
  }
}

// Howard Hinnant's days_from_civil / civil_from_days.
int64_t Date::toDays() const {
  int Y = Year - (Month <= 2);
  int64_t Era = (Y >= 0 ? Y : Y - 399) / 400;
  unsigned Yoe = static_cast<unsigned>(Y - Era * 400);
  unsigned Doy = (153 * (Month + (Month > 2 ? -3 : 9)) + 2) / 5 + Day - 1;
  unsigned Doe = Yoe * 365 + Yoe / 4 - Yoe / 100 + Doy;
  return Era * 146097 + static_cast<int64_t>(Doe) - 719468;
}

Date Date::fromDays(int64_t Z) {
  Z += 719468;
  int64_t Era = (Z >= 0 ? Z : Z - 146096) / 146097;
  unsigned Doe = static_cast<unsigned>(Z - Era * 146097);
  unsigned Yoe = (Doe - Doe / 1460 + Doe / 36524 - Doe / 146096) / 365;
  int64_t Y = static_cast<int64_t>(Yoe) + Era * 400;
  unsigned Doy = Doe - (365 * Yoe + Yoe / 4 - Yoe / 100);
  unsigned Mp = (5 * Doy + 2) / 153;
  unsigned D = Doy - (153 * Mp + 2) / 5 + 1;
  unsigned M = Mp < 10 ? Mp + 3 : Mp - 9;
  return {static_cast<int>(Y + (M <= 2)), M, D};
}

std::optional<Date> Date::parse(llvm::StringRef S) {
  S = S.trim();
  if (S.size() != 10 || S[4] != '-' || S[7] != '-')
    return std::nullopt;
  unsigned Y, M, D;
  if (S.substr(0, 4).getAsInteger(10, Y) || S.substr(5, 2).getAsInteger(10, M) ||
      S.substr(8, 2).getAsInteger(10, D))
    return std::nullopt;
  Date R{static_cast<int>(Y), M, D};
  if (M < 1 || M > 12 || D < 1 || D > 31)
    return std::nullopt;
  Date Back = fromDays(R.toDays());
  if (Back.Year != R.Year || Back.Month != M || Back.Day != D)
    return std::nullopt; // e.g. 2021-02-30
  return R;
}

std::string Date::str() const {
  return fmt::format("{:04}-{:02}-{:02}", Year, Month, Day);
}

Date Date::today() {
  std::time_t T = std::time(nullptr);
  return fromDays(static_cast<int64_t>(T) / 86400);
}

std::string deadlineStatus(const Date &Cutoff, const Date &AsOf) {
  int64_t Diff = AsOf.toDays() - Cutoff.toDays();
  if (Diff > 0)
    return fmt::format("past cutoff since {} ({} day{})", Cutoff.str(), Diff,
                       Diff == 1 ? "" : "s");
  if (Diff == 0)
    return fmt::format("cutoff is today ({})", Cutoff.str());
  return fmt::format("due in {} day{} ({})", -Diff, Diff == -1 ? "" : "s",
                     Cutoff.str());
}

bool mentionsAuthtokenWord(llvm::StringRef Text) {
  static const std::optional<LiteralPrefilter> Gate = LiteralPrefilter::build({"authtoken"});
  if (Gate && !Gate->anyIn(Text))
    return false;
  static const re2::RE2 Word("(?i)(?:^|[^a-z0-9])authtoken(?:[^a-z0-9]|$)");
  return re2::RE2::PartialMatch(re2::StringPiece(Text.data(), Text.size()), Word);
}

} // namespace atm
