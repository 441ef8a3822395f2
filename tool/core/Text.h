#pragma once
/// \file
/// Small text utilities shared by every stage: line index (secret redaction is in
/// core/Redact.h, included here), fingerprints, UTF-16 columns and calendar dates.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/Finding.h"
#include "core/Redact.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

namespace atm {

/// Maps byte offsets to 1-based line/column. A UTF-8 BOM is skipped for columns on
/// line 1; "\r\n" counts as one line break (the '\r' belongs to the line's end), and so
/// does a lone '\r' (classic Mac OS line ends, as editors, PHP's lexer and GitHub's line
/// fingerprints count it).
class LineIndex {
public:
  explicit LineIndex(llvm::StringRef Text);
  Position position(size_t Offset) const;
  /// The text of 1-based line \p Line without its line break.
  llvm::StringRef line(unsigned Line) const;
  unsigned lineCount() const { return Starts.size(); }
  size_t lineStart(unsigned Line) const { return Starts[Line - 1]; }

private:
  llvm::StringRef Text;
  std::vector<size_t> Starts;
  size_t BomSkip = 0;
};

/// Turns every '\r' not followed by '\n' into '\n', in place, and returns how many it
/// turned. The length (so every byte offset) is unchanged: the scanner gives the lexers
/// and syntax trees this text, which all end lines at '\n', so that a file with classic
/// Mac OS line ends is analysed line by line and its findings' lines are the editor's.
size_t normalizeLoneCarriageReturns(char *Data, size_t Size);
inline size_t normalizeLoneCarriageReturns(std::string &S) {
  return normalizeLoneCarriageReturns(S.data(), S.size());
}

/// True if \p Path names a Jupyter notebook (`.ipynb`).
bool isNotebookPath(llvm::StringRef Path);

/// Turns a Jupyter notebook (nbformat JSON, one source line per array element, as
/// Jupyter writes it) into the code of its code cells, in place: each line that is an
/// element of a code cell's "source" (nbformat 4) or "input" (nbformat 3) array becomes
/// its decoded text (JSON escapes undone, the trailing "\n" dropped) from column 1, padded
/// with spaces; every other line (cell metadata, outputs, markdown) becomes spaces. Line
/// breaks and the length are unchanged, so every finding's line is the notebook's own.
/// Returns how many code lines it decoded; a text that is not such a notebook (one long
/// line, no "cell_type") is left as it is and 0 is returned.
size_t decodeNotebookCells(char *Data, size_t Size);

/// What every reader of a file's text for analysis does to it (same length, in place):
/// lone '\r' line ends become '\n', and a notebook becomes its code cells.
void normalizeForAnalysis(llvm::StringRef Path, char *Data, size_t Size);

/// The largest file whose `authtoken` mention the scan driver records for a rejected file
/// and the syntax front end's repository context reads again (BatchFrontend::Input).
constexpr size_t MaxRepoContextBytes = 256 * 1024;
/// The word `authtoken` (any case; not `getAuthToken`) occurs in \p Text: a SIMD literal
/// scan first, the word edges only at a hit.
bool mentionsAuthtokenWord(llvm::StringRef Text);
inline void normalizeForAnalysis(llvm::StringRef Path, std::string &S) {
  normalizeForAnalysis(Path, S.data(), S.size());
}

/// A short stable hex digest (64-bit) of the given parts.
std::string stableHash(llvm::ArrayRef<llvm::StringRef> Parts);

/// Column of byte column \p ByteCol (1-based) in UTF-16 code units (1-based) for SARIF.
unsigned utf16Column(llvm::StringRef LineText, unsigned ByteCol);

/// True if \p Text is valid UTF-8.
bool isValidUtf8(llvm::StringRef Text);

/// A calendar date.
struct Date {
  int Year = 1970;
  unsigned Month = 1, Day = 1;
  /// Days since 1970-01-01 (proleptic Gregorian).
  int64_t toDays() const;
  static Date fromDays(int64_t Days);
  /// Parses strict YYYY-MM-DD (a valid calendar date).
  static std::optional<Date> parse(llvm::StringRef S);
  std::string str() const;
  /// Today in UTC.
  static Date today();
};

/// "past cutoff since 2021-05-31 (2003 days)", "cutoff is today", "due in 12 days".
std::string deadlineStatus(const Date &Cutoff, const Date &AsOf);

} // namespace atm
