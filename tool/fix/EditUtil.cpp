#include "fix/EditUtil.h"

#include <map>
#include <memory>

#include "re2/re2.h"

namespace atm::fix {

llvm::StringRef newlineOf(llvm::StringRef Text) {
  size_t NL = Text.find('\n');
  return NL != llvm::StringRef::npos && NL > 0 && Text[NL - 1] == '\r' ? "\r\n" : "\n";
}

size_t lineBegin(llvm::StringRef Text, size_t Offset) {
  Offset = std::min(Offset, Text.size());
  size_t NL = Text.take_front(Offset).rfind('\n');
  return NL == llvm::StringRef::npos ? 0 : NL + 1;
}

size_t lineEnd(llvm::StringRef Text, size_t Offset) {
  size_t NL = Text.find('\n', Offset);
  if (NL == llvm::StringRef::npos)
    return Text.size();
  return NL > Offset && Text[NL - 1] == '\r' ? NL - 1 : NL;
}

size_t lineEndWithBreak(llvm::StringRef Text, size_t Offset) {
  size_t NL = Text.find('\n', Offset);
  return NL == llvm::StringRef::npos ? Text.size() : NL + 1;
}

llvm::StringRef indentOf(llvm::StringRef Text, size_t Offset) {
  size_t B = lineBegin(Text, Offset);
  size_t E = B;
  while (E < Text.size() && (Text[E] == ' ' || Text[E] == '\t'))
    ++E;
  return Text.slice(B, E);
}

static bool blank(llvm::StringRef S) {
  return S.find_first_not_of(" \t\r") == llvm::StringRef::npos;
}

bool coversWholeLines(llvm::StringRef Text, size_t Begin, size_t End) {
  size_t LB = lineBegin(Text, Begin);
  size_t LE = lineEnd(Text, End);
  return blank(Text.slice(LB, Begin)) && blank(Text.slice(End, LE));
}

TextEdit insertAt(size_t Offset, std::string Text) {
  TextEdit E;
  E.Offset = Offset;
  E.Text = std::move(Text);
  return E;
}

TextEdit removeRange(llvm::StringRef Text, size_t Begin, size_t End) {
  TextEdit E;
  if (coversWholeLines(Text, Begin, End)) {
    size_t LB = lineBegin(Text, Begin);
    size_t LE = lineEndWithBreak(Text, End);
    E.Offset = LB;
    E.Length = LE - LB;
    return E;
  }
  E.Offset = Begin;
  E.Length = End - Begin;
  return E;
}

TextEdit removeListElement(llvm::StringRef Text, size_t Begin, size_t End, char Sep) {
  // The following separator, after blanks (and comments are not looked through).
  size_t After = End;
  while (After < Text.size() && (Text[After] == ' ' || Text[After] == '\t'))
    ++After;
  if (After < Text.size() && Text[After] == Sep) {
    size_t SepEnd = After + 1;
    // Whole lines: `    "authtoken": t,\n` goes with its line.
    if (blank(Text.slice(lineBegin(Text, Begin), Begin)) &&
        blank(Text.slice(SepEnd, lineEnd(Text, SepEnd))))
      return removeRange(Text, Begin, SepEnd);
    size_t Next = SepEnd;
    while (Next < Text.size() && (Text[Next] == ' ' || Text[Next] == '\t'))
      ++Next;
    TextEdit E;
    E.Offset = Begin;
    E.Length = Next - Begin;
    return E;
  }
  // The last element: the separator before it goes.
  size_t Before = Begin;
  while (Before > 0 && (Text[Before - 1] == ' ' || Text[Before - 1] == '\t' ||
                        Text[Before - 1] == '\n' || Text[Before - 1] == '\r'))
    --Before;
  if (Before > 0 && Text[Before - 1] == Sep) {
    size_t SepBegin = Before - 1;
    // `a,\n    "authtoken": t\n}`: remove from the separator to the element's end, so the
    // closing bracket keeps its line.
    TextEdit E;
    E.Offset = SepBegin;
    E.Length = End - SepBegin;
    return E;
  }
  // The only element.
  if (coversWholeLines(Text, Begin, End))
    return removeRange(Text, Begin, End);
  TextEdit E;
  E.Offset = Begin;
  E.Length = End - Begin;
  return E;
}

unsigned lineNumber(llvm::StringRef Text, size_t Offset) {
  return 1 + Text.take_front(std::min(Offset, Text.size())).count('\n');
}

std::string directoryOf(llvm::StringRef DisplayPath) {
  size_t Slash = DisplayPath.rfind('/');
  return Slash == llvm::StringRef::npos ? "" : DisplayPath.take_front(Slash).str();
}

std::string expand(llvm::StringRef Template,
                   std::initializer_list<std::pair<llvm::StringRef, llvm::StringRef>> Values) {
  std::string Out;
  for (size_t I = 0; I < Template.size(); ++I) {
    char C = Template[I];
    if ((C == '{' || C == '}') && I + 1 < Template.size() && Template[I + 1] == C) {
      Out += C;
      ++I;
      continue;
    }
    if (C == '{') {
      size_t Close = Template.find('}', I);
      if (Close != llvm::StringRef::npos) {
        llvm::StringRef Name = Template.slice(I + 1, Close);
        bool Found = false;
        for (const auto &[K, V] : Values)
          if (K == Name) {
            Out += V.str();
            Found = true;
            break;
          }
        if (Found) {
          I = Close;
          continue;
        }
      }
    }
    Out += C;
  }
  return Out;
}

bool isLegacyScopeValue(llvm::StringRef V) {
  V = V.trim().trim("\"'`");
  // Recruit's migration guide keeps `scope=recruitapi` on the same URL (zoho-reference.md).
  if (V.contains_insensitive("recruitapi"))
    return false;
  return V.endswith_insensitive("api") || V.contains_insensitive("/booksapi") ||
         V.contains_insensitive("api,");
}

namespace {
/// Endpoints that did not survive the authtoken (zoho-reference.md, rows confirmed by
/// Zoho's docs): a header would not make them work, the call must be ported.
struct DeadEndpoint {
  const char *Pattern;
  const char *Advice;
  const char *Product;                       ///< catalogue id
  const char *Newer[4];                      ///< text of the product's surviving API (to nullptr)
};
const DeadEndpoint DeadEndpoints[] = {
    {"(?i)/crm/private(/|\\b)",
     "CRM API v1 (/crm/private/…) was retired with the authtoken: port the call to "
     "https://www.zohoapis.com/crm/v2/<Module> (getRecords -> GET, insertRecords -> POST, "
     "updateRecords -> PUT) with the OAuth header",
     "crm",
     {"/crm/v2", "/crm/v3", "zohoapis."}},
    {"(?i)creator\\.zoho(cloud)?\\.[a-z.]+/api/([^v/][^/]*/)?(json|xml)/",
     "Creator API v1 (/api/json|xml/…) was retired with the authtoken: port the call to "
     "https://creator.zoho.com/api/v2/<owner>/<app>/… (or v2.1 on www.zohoapis.com) with "
     "the OAuth header",
     "creator",
     {"/api/v2"}},
};

const DeadEndpoint *firstDeadEndpoint(llvm::StringRef Text) {
  for (const DeadEndpoint &D : DeadEndpoints) {
    static thread_local std::map<const char *, std::unique_ptr<re2::RE2>> Cache;
    auto &Re = Cache[D.Pattern];
    if (!Re)
      Re = std::make_unique<re2::RE2>(D.Pattern);
    if (re2::RE2::PartialMatch(re2::StringPiece(Text.data(), Text.size()), *Re))
      return &D;
  }
  return nullptr;
}

} // namespace

std::string deadEndpoint(llvm::StringRef Text) {
  const DeadEndpoint *D = firstDeadEndpoint(Text);
  return D ? D->Advice : "";
}

RetiredApi retiredApiOfFile(llvm::StringRef Text) {
  const DeadEndpoint *D = firstDeadEndpoint(Text);
  if (!D) {
    // Creator v1 with its host and its path in separate literals (`host:
    // 'creator.zoho.com'` in a constructor, `path: '/api/json/' + endpoint` in the request).
    static const re2::RE2 Host("(?i)[\"'`](https?://)?creator\\.zoho(cloud)?\\.[a-z.]+/?[\"'`]");
    static const re2::RE2 Path("(?i)[\"'`]/api/([^v/\"'`][^/\"'`]*/)?(json|xml)/");
    re2::StringPiece T(Text.data(), Text.size());
    if (re2::RE2::PartialMatch(T, Host) && re2::RE2::PartialMatch(T, Path))
      for (const DeadEndpoint &E : DeadEndpoints)
        if (llvm::StringRef(E.Product) == "creator")
          D = &E;
    if (!D)
      return {};
  }
  for (const char *N : D->Newer)
    if (N && Text.contains_insensitive(N))
      return {};
  return {D->Product, D->Advice};
}

bool mentionsIdentifier(llvm::StringRef Text, llvm::StringRef Word) {
  if (Word.empty())
    return false;
  for (size_t P = 0; (P = Text.find(Word, P)) != llvm::StringRef::npos; P += Word.size()) {
    bool Before = P == 0 || !isIdentChar(Text[P - 1]);
    bool After = P + Word.size() >= Text.size() || !isIdentChar(Text[P + Word.size()]);
    if (Before && After)
      return true;
  }
  return false;
}

bool namesNewerApi(llvm::StringRef Text, llvm::StringRef Product) {
  for (const DeadEndpoint &D : DeadEndpoints)
    if (Product == D.Product)
      for (const char *N : D.Newer)
        if (N && Text.contains_insensitive(N))
          return true;
  return false;
}

std::vector<RetiredApi> retiredApisOfFiles(llvm::ArrayRef<llvm::StringRef> Texts) {
  std::vector<RetiredApi> Out;
  for (const DeadEndpoint &D : DeadEndpoints) {
    re2::RE2 Re(D.Pattern);
    bool Dead = false, Newer = false;
    for (llvm::StringRef T : Texts) {
      Dead = Dead || re2::RE2::PartialMatch(re2::StringPiece(T.data(), T.size()), Re);
      for (const char *N : D.Newer)
        Newer = Newer || (N && T.contains_insensitive(N));
    }
    if (Dead && !Newer)
      Out.push_back({D.Product, D.Advice});
  }
  return Out;
}

} // namespace atm::fix
