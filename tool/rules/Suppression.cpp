#include "rules/Suppression.h"

#include <cstring>

#include "fmt/format.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"
#include "re2/re2.h"

namespace atm {

namespace {
constexpr llvm::StringLiteral MarkerPrefix = "authtoken-migrate:";

bool bareValueChar(char C) {
  return llvm::isAlnum(C) || C == '_' || C == '.' || C == ':' || C == '/' || C == '+' ||
         C == '-';
}
bool keyChar(char C) { return llvm::isAlnum(C) || C == '_' || C == '-'; }
} // namespace

bool SuppressionMarker::covers(llvm::StringRef RuleId) const {
  return All || llvm::is_contained(Ids, RuleId);
}

std::optional<SuppressionMarker> parseSuppressionMarker(llvm::StringRef Rest) {
  // `ignore` is a whole word; the bracket (rule ids) is optional.
  static const RE2 Head(R"(authtoken-migrate:\s*ignore(?:\[([A-Za-z0-9_,\s*-]*)\]|\b))");
  re2::StringPiece In(Rest.data(), Rest.size());
  re2::StringPiece Sub[2];
  if (!Head.Match(In, 0, Rest.size(), RE2::ANCHOR_START, Sub, 2))
    return std::nullopt;
  SuppressionMarker M;
  size_t Pos = Sub[0].size();
  M.Length = Pos;
  if (!Sub[1].data()) {
    M.All = true; // bare "ignore": every rule
  } else {
    llvm::SmallVector<llvm::StringRef, 4> Parts;
    llvm::StringRef(Sub[1].data(), Sub[1].size()).split(Parts, ',');
    for (llvm::StringRef P : Parts) {
      if (P.trim() == "*")
        M.All = true;
      M.Ids.push_back(P.trim().str());
    }
  }
  // Attributes: `key=value` words right after the head, in any order. Anything else
  // (prose, a comment's closing delimiter) ends them.
  while (Pos < Rest.size()) {
    size_t P = Pos;
    while (P < Rest.size() && (Rest[P] == ' ' || Rest[P] == '\t'))
      ++P;
    if (P == Pos || P >= Rest.size())
      break;
    size_t K = P;
    while (K < Rest.size() && keyChar(Rest[K]))
      ++K;
    if (K == P || K >= Rest.size() || Rest[K] != '=')
      break;
    llvm::StringRef Key = Rest.slice(P, K);
    if (Key != "reason" && Key != "until") {
      M.Problem = fmt::format("unknown attribute '{}=' (expected reason= or until=)", Key.str());
      M.Length = K + 1;
      return M;
    }
    size_t V = K + 1;
    std::string Value;
    size_t End;
    if (V < Rest.size() && (Rest[V] == '"' || Rest[V] == '\'')) {
      size_t Close = Rest.find(Rest[V], V + 1);
      if (Close == llvm::StringRef::npos) {
        M.Problem = fmt::format("{}= has an unterminated quote", Key.str());
        M.Length = Rest.size();
        return M;
      }
      Value = Rest.slice(V + 1, Close).str();
      End = Close + 1;
    } else {
      End = V;
      while (End < Rest.size() && bareValueChar(Rest[End]))
        ++End;
      // `until=2027-01-31-->`: the HTML comment's "--" is not part of the value.
      llvm::StringRef Raw = Rest.slice(V, End);
      if (Raw.endswith("--"))
        Raw = Raw.rtrim('-');
      Value = Raw.str();
    }
    if (Key == "reason") {
      M.Reason = Value;
    } else {
      M.Until = Date::parse(Value);
      if (!M.Until) {
        M.Problem = fmt::format("until={} is not a date YYYY-MM-DD", Value.empty() ? "''" : Value);
        M.Length = End;
        return M;
      }
    }
    Pos = End;
    M.Length = End;
  }
  return M;
}

std::optional<SuppressionMarker> markerOnLine(llvm::StringRef Text, const SpanMap &Spans,
                                              const LineIndex &Lines, unsigned Ln) {
  llvm::StringRef T = Lines.line(Ln);
  size_t At = T.find(MarkerPrefix);
  if (At == llvm::StringRef::npos)
    return std::nullopt;
  // The line's first marker decides.
  for (; At != llvm::StringRef::npos; At = T.find(MarkerPrefix, At + 1)) {
    auto M = parseSuppressionMarker(T.substr(At));
    if (!M)
      continue;
    size_t Off = T.data() + At - Text.data();
    // Only comments (and prose) suppress, so a string that holds the marker does not.
    SpanKind K = Spans.kindAt(Off);
    if (K != SpanKind::Comment && K != SpanKind::Text)
      return std::nullopt;
    M->Line = Ln;
    M->Offset = Off;
    size_t First = T.find_first_not_of(" \t");
    if (First != llvm::StringRef::npos) {
      SpanKind FK = Spans.kindAt(T.data() + First - Text.data());
      M->CommentOnly = FK == SpanKind::Comment || FK == SpanKind::Text;
    }
    return M;
  }
  return std::nullopt;
}

bool mayHoldSuppressionMarker(llvm::StringRef Text) {
  return Text.find(MarkerPrefix) != llvm::StringRef::npos;
}

std::vector<SuppressionMarker> findSuppressionMarkers(llvm::StringRef Text, const SpanMap &Spans,
                                                      const LineIndex &Lines) {
  std::vector<SuppressionMarker> Out;
  unsigned LastLine = 0;
  for (size_t At = Text.find(MarkerPrefix); At != llvm::StringRef::npos;
       At = Text.find(MarkerPrefix, At + MarkerPrefix.size())) {
    unsigned Ln = Lines.position(At).Line;
    if (Ln == LastLine)
      continue;
    LastLine = Ln;
    if (auto M = markerOnLine(Text, Spans, Lines, Ln))
      Out.push_back(std::move(*M));
  }
  return Out;
}

std::string malformedMarkerNote(llvm::StringRef Path, const SuppressionMarker &M) {
  return fmt::format("{}:{}: malformed suppression: {}; it suppresses nothing (write "
                     "`authtoken-migrate: ignore[RULE] reason=\"…\" until=YYYY-MM-DD`)",
                     Path.str(), M.Line, M.Problem);
}

void SuppressionLog::used(llvm::StringRef Path, unsigned Line) {
  std::lock_guard<std::mutex> Lock(Mu);
  Used.emplace(Path.str(), Line);
}

bool SuppressionLog::wasUsed(llvm::StringRef Path, unsigned Line) const {
  std::lock_guard<std::mutex> Lock(Mu);
  return Used.count({Path.str(), Line}) != 0;
}

void SuppressionLog::note(std::string Note) {
  std::lock_guard<std::mutex> Lock(Mu);
  Notes.insert(std::move(Note));
}

std::vector<std::string> SuppressionLog::takeNotes() {
  std::lock_guard<std::mutex> Lock(Mu);
  std::vector<std::string> Out(Notes.begin(), Notes.end());
  Notes.clear();
  return Out;
}

} // namespace atm
