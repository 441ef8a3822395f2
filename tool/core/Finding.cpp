#include "core/Finding.h"

namespace atm {

llvm::StringRef severityName(Severity S) {
  switch (S) {
  case Severity::Note: return "note";
  case Severity::Warning: return "warning";
  case Severity::Error: return "error";
  case Severity::Critical: return "critical";
  }
  return "warning";
}

std::optional<Severity> parseSeverity(llvm::StringRef Name) {
  for (Severity S : {Severity::Note, Severity::Warning, Severity::Error,
                     Severity::Critical})
    if (Name.equals_insensitive(severityName(S)))
      return S;
  return std::nullopt;
}

llvm::StringRef sarifLevel(Severity S) {
  switch (S) {
  case Severity::Note: return "note";
  case Severity::Warning: return "warning";
  case Severity::Error:
  case Severity::Critical: return "error";
  }
  return "warning";
}

} // namespace atm
