#pragma once
/// \file
/// The scanner's first pass over every file: "does any prefilter literal occur?",
/// ASCII case-insensitively. A SIMD (SSE2) scan for a few rare two-byte anchors, one per
/// literal group, then a byte comparison at each anchor hit. Most files contain no
/// anchor pair at all and are rejected at memory speed, several times faster than the
/// RE2::Set DFA over the same literals.

#include <optional>
#include <string>
#include <vector>

#include "llvm/ADT/StringRef.h"

namespace atm {

class LiteralPrefilter {
public:
  /// Builds the filter for \p Literals (any case; at least 2 bytes each). None when it
  /// cannot help (a literal too short, or more than MaxPairs anchor pairs needed): the
  /// caller keeps using RE2.
  static std::optional<LiteralPrefilter> build(const std::vector<std::string> &Literals);

  /// True when at least one literal occurs in \p Text (ASCII case-insensitive).
  bool anyIn(llvm::StringRef Text) const;

  /// The anchor pairs chosen (lower case), for tests and `rules list --debug`.
  std::vector<std::string> anchors() const;

  /// The longest literal's length: a match never spans more bytes, so a text scanned
  /// in chunks that overlap by one byte less finds every match one whole scan finds.
  size_t maxLiteralLength() const { return MaxLiteral; }

  static constexpr unsigned MaxPairs = 4;

private:
  struct Entry {
    unsigned Pair;       ///< index into Pairs
    unsigned Offset;     ///< where the pair starts in the literal
    std::string Literal; ///< lower case
  };
  std::vector<std::pair<unsigned char, unsigned char>> Pairs; ///< folded with | 0x20
  std::vector<Entry> Entries;
  size_t MaxLiteral = 0;

  bool verifyAt(llvm::StringRef Text, size_t Pos) const;
  bool anyInAvx2(llvm::StringRef Text, size_t &I) const;
};

} // namespace atm
