#pragma once
/// \file
/// Inline suppression markers,
///   `authtoken-migrate: ignore[RULE,RULE2] reason="vendor code" until=2027-01-31`
/// (ids optional: bare `ignore` or `ignore[*]` is every rule; `reason=` and `until=`
/// optional, in any order, right after the bracket), and the log that the engine and the
/// front ends share to know which markers silenced something (for
/// --report-unused-suppressions) and which were malformed (notes).

#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/Span.h"
#include "core/Text.h"
#include "llvm/ADT/StringRef.h"

namespace atm {

/// The pseudo-rule of --report-unused-suppressions findings.
inline constexpr llvm::StringLiteral UnusedSuppressionRule = "unused-suppression";

/// One marker, parsed.
struct SuppressionMarker {
  unsigned Line = 0;         ///< 1-based line of the marker
  size_t Offset = 0;         ///< byte offset of "authtoken-migrate:" in the file
  size_t Length = 0;         ///< bytes of the marker (through its last attribute)
  bool CommentOnly = false;  ///< the line's first non-blank byte is in a comment
  bool All = false;          ///< bare `ignore` or `*` among the ids: every rule
  std::vector<std::string> Ids;
  std::string Reason;
  std::optional<Date> Until;
  /// Non-empty when the marker is malformed (an until= that is not a date, an unknown
  /// attribute, an unterminated quote): it then suppresses nothing.
  std::string Problem;

  bool covers(llvm::StringRef RuleId) const;
  /// An until date before \p AsOf.
  bool expired(const Date &AsOf) const { return Until && Until->toDays() < AsOf.toDays(); }
};

/// Parses the marker at the start of \p Rest ("authtoken-migrate:"… to the end of its
/// line); std::nullopt when the text there is not an `ignore` marker. Attributes are
/// `reason=` and `until=` words right after `ignore`/the bracket, values quoted ("…" or
/// '…') or bare; anything else ends them (prose, `*/`, `-->`). A malformed marker (an
/// until that is not a YYYY-MM-DD date, an unknown `key=`, an unterminated quote) has
/// Problem set.
std::optional<SuppressionMarker> parseSuppressionMarker(llvm::StringRef Rest);

/// The first marker on \p Line that lies in a comment (or prose), if any.
std::optional<SuppressionMarker> markerOnLine(llvm::StringRef Text, const SpanMap &Spans,
                                              const LineIndex &Lines, unsigned Line);

/// True when \p Text contains "authtoken-migrate:" at all (one memory pass).
bool mayHoldSuppressionMarker(llvm::StringRef Text);

/// Every marker of the file (first per line, in comments only), by line.
std::vector<SuppressionMarker> findSuppressionMarkers(llvm::StringRef Text, const SpanMap &Spans,
                                                      const LineIndex &Lines);

/// "PATH:LINE: …" for a malformed marker.
std::string malformedMarkerNote(llvm::StringRef Path, const SuppressionMarker &M);

/// Shared (thread-safe) by the copies of one EngineOptions: the rule engine and the
/// front ends record here the markers that matched a finding and the notes about
/// malformed markers; the scan driver reads them at the end.
class SuppressionLog {
public:
  void used(llvm::StringRef Path, unsigned Line);
  bool wasUsed(llvm::StringRef Path, unsigned Line) const;
  void note(std::string Note);
  /// The notes so far, sorted, and forgets them.
  std::vector<std::string> takeNotes();

private:
  mutable std::mutex Mu;
  std::set<std::pair<std::string, unsigned>> Used;
  std::set<std::string> Notes;
};

} // namespace atm
