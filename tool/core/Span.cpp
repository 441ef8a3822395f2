#include "core/Span.h"

#include <algorithm>

namespace atm {

llvm::StringRef spanKindName(SpanKind K) {
  switch (K) {
  case SpanKind::Code: return "code";
  case SpanKind::String: return "string";
  case SpanKind::Comment: return "comment";
  case SpanKind::ConfigKey: return "config-key";
  case SpanKind::ConfigValue: return "config-value";
  case SpanKind::Text: return "text";
  }
  return "code";
}

bool parseSpanKind(llvm::StringRef Name, SpanKind &Out) {
  static const SpanKind All[] = {SpanKind::Code,      SpanKind::String,
                                 SpanKind::Comment,   SpanKind::ConfigKey,
                                 SpanKind::ConfigValue, SpanKind::Text};
  for (SpanKind K : All)
    if (spanKindName(K) == Name) {
      Out = K;
      return true;
    }
  return false;
}

const Span *SpanMap::spanAt(size_t Offset) const {
  auto It = std::upper_bound(
      Spans.begin(), Spans.end(), Offset,
      [](size_t O, const Span &S) { return O < S.Begin; });
  if (It == Spans.begin())
    return nullptr;
  --It;
  if (Offset >= It->Begin && Offset < It->End)
    return &*It;
  return nullptr;
}

SpanKind SpanMap::kindAt(size_t Offset) const {
  const Span *S = spanAt(Offset);
  return S ? S->Kind : SpanKind::Code;
}

} // namespace atm
