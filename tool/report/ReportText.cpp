#include "report/ReportText.h"

#include <algorithm>

#include "fmt/format.h"

namespace atm {

namespace {

/// Length of the well-formed UTF-8 sequence at S[I] (its code point in \p CP), or 0.
unsigned decodeUtf8(llvm::StringRef S, size_t I, uint32_t &CP) {
  unsigned char C = S[I];
  if (C < 0x80) {
    CP = C;
    return 1;
  }
  unsigned N;
  uint32_t Min;
  if ((C & 0xE0) == 0xC0) {
    N = 2, CP = C & 0x1F, Min = 0x80;
  } else if ((C & 0xF0) == 0xE0) {
    N = 3, CP = C & 0x0F, Min = 0x800;
  } else if ((C & 0xF8) == 0xF0) {
    N = 4, CP = C & 0x07, Min = 0x10000;
  } else {
    return 0;
  }
  if (I + N > S.size())
    return 0;
  for (unsigned K = 1; K < N; ++K) {
    unsigned char D = S[I + K];
    if ((D & 0xC0) != 0x80)
      return 0;
    CP = CP << 6 | (D & 0x3F);
  }
  if (CP < Min || CP > 0x10FFFF || (CP >= 0xD800 && CP <= 0xDFFF))
    return 0;
  return N;
}

} // namespace

std::string cleanText(llvm::StringRef S, TextClean Mode) {
  std::string Out;
  Out.reserve(S.size());
  for (size_t I = 0; I < S.size();) {
    uint32_t CP = 0;
    unsigned N = decodeUtf8(S, I, CP);
    if (!N) {
      Out += "\xEF\xBF\xBD"; // U+FFFD
      ++I;
      continue;
    }
    bool Drop = false;
    if (Mode != TextClean::Utf8 && CP < 0x20 && CP != '\t' && CP != '\n' && CP != '\r')
      Drop = true;
    if (Mode == TextClean::Xml10 && (CP == 0xFFFE || CP == 0xFFFF))
      Drop = true;
    if (!Drop)
      Out.append(S.data() + I, N);
    I += N;
  }
  return Out;
}

std::string xmlEscape(llvm::StringRef S, bool Attribute) {
  std::string Clean = cleanText(S, TextClean::Xml10);
  std::string Out;
  Out.reserve(Clean.size());
  for (char C : Clean) {
    switch (C) {
    case '&': Out += "&amp;"; break;
    case '<': Out += "&lt;"; break;
    case '>': Out += "&gt;"; break;
    case '"': Out += Attribute ? "&quot;" : "\""; break;
    case '\'': Out += Attribute ? "&apos;" : "'"; break;
    case '\t': Out += Attribute ? "&#9;" : "\t"; break;
    case '\n': Out += Attribute ? "&#10;" : "\n"; break;
    case '\r': Out += "&#13;"; break; // a bare CR would be read back as LF
    default: Out.push_back(C);
    }
  }
  return Out;
}

std::string markdownText(llvm::StringRef S) {
  std::string Clean = cleanText(S, TextClean::Printable);
  static constexpr llvm::StringLiteral Active = "\\`*_[]<>|~&$";
  std::string Out;
  Out.reserve(Clean.size() + 8);
  for (size_t I = 0; I < Clean.size(); ++I) {
    char C = Clean[I];
    if (C == '\r' || C == '\n') {
      if (C == '\r' && I + 1 < Clean.size() && Clean[I + 1] == '\n')
        ++I;
      Out += "<br>";
      continue;
    }
    if (Active.find(C) != llvm::StringRef::npos)
      Out.push_back('\\');
    Out.push_back(C);
  }
  return Out;
}

std::string markdownCode(llvm::StringRef S) {
  // <code> with escaped text rather than a backtick span: inside a GFM table a code span
  // cannot hold a backslash right before a `|` (the pipe ends the cell), escaped text can.
  std::string Flat;
  for (char C : S)
    Flat.push_back(C == '\r' || C == '\n' ? ' ' : C);
  llvm::StringRef T = llvm::StringRef(Flat).trim();
  if (T.empty())
    return "";
  return "<code>" + markdownText(T) + "</code>";
}

std::string csvField(llvm::StringRef S) {
  std::string V = cleanText(S, TextClean::Printable);
  if (!V.empty() && llvm::StringRef("=+-@\t\r").contains(V.front()))
    V.insert(V.begin(), '\'');
  if (V.find_first_of(",\"\r\n") == std::string::npos)
    return V;
  std::string Out = "\"";
  for (char C : V) {
    if (C == '"')
      Out.push_back('"');
    Out.push_back(C);
  }
  return Out + "\"";
}

std::optional<bool> cutoffPassed(const Finding &F, const Date &AsOf) {
  auto C = Date::parse(F.Cutoff);
  if (!C)
    return std::nullopt;
  return AsOf.toDays() >= C->toDays();
}

std::string stableCutoffStatus(const Finding &F, const Date &AsOf) {
  auto Past = cutoffPassed(F, AsOf);
  if (!Past)
    return "";
  std::string S = *Past ? "past cutoff since " + F.Cutoff : "cutoff on " + F.Cutoff;
  return S + (F.CutoffConfirmed ? "" : ", date unconfirmed");
}

std::string plural(uint64_t N, llvm::StringRef One, llvm::StringRef Many) {
  return fmt::format("{} {}", N, N == 1 ? One.str() : Many.empty() ? One.str() + "s" : Many.str());
}

std::string safeUrl(llvm::StringRef S) {
  std::string Out;
  for (unsigned char C : S) {
    if (C <= 0x20 || C >= 0x7F || llvm::StringRef("()<>\"'`\\|[]{}^").contains(C))
      Out += fmt::format("%{:02X}", C);
    else
      Out.push_back(C);
  }
  return Out;
}

} // namespace atm
