#include "report/ReadJson.h"

#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "report/Report.h"

namespace atm {

namespace {

llvm::Error fail(llvm::StringRef Name, const llvm::Twine &What) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 (Name + ": " + What).str());
}

std::string str(const llvm::json::Object &O, llvm::StringRef Key) {
  if (auto S = O.getString(Key))
    return S->str();
  return "";
}

unsigned num(const llvm::json::Object &O, llvm::StringRef Key) {
  if (auto N = O.getInteger(Key))
    return *N < 0 ? 0u : static_cast<unsigned>(*N);
  return 0;
}

Position pos(const llvm::json::Object *O) {
  Position P{0, 0};
  if (O) {
    P.Line = num(*O, "line");
    P.Column = num(*O, "column");
  }
  return P;
}

std::vector<std::string> strings(const llvm::json::Object &O, llvm::StringRef Key) {
  std::vector<std::string> Out;
  if (const llvm::json::Array *A = O.getArray(Key))
    for (const llvm::json::Value &V : *A)
      if (auto S = V.getAsString())
        Out.push_back(S->str());
  return Out;
}

llvm::Expected<Finding> finding(const llvm::json::Value &V, llvm::StringRef Name, size_t I) {
  const llvm::json::Object *O = V.getAsObject();
  if (!O)
    return fail(Name, llvm::formatv("findings[{0}] is not an object", I));
  Finding F;
  F.RuleId = str(*O, "rule_id");
  F.Path = str(*O, "path");
  if (F.RuleId.empty() || F.Path.empty())
    return fail(Name, llvm::formatv("findings[{0}] has no rule_id or path", I));
  auto Sev = parseSeverity(str(*O, "severity"));
  if (!Sev)
    return fail(Name, llvm::formatv("findings[{0}] has an unknown severity '{1}'", I,
                                    str(*O, "severity")));
  F.Sev = *Sev;
  F.Begin = pos(O->getObject("start"));
  F.End = pos(O->getObject("end"));
  if (auto N = O->getInteger("offset"))
    F.Offset = *N < 0 ? 0 : static_cast<size_t>(*N);
  if (auto N = O->getInteger("length"))
    F.Length = *N < 0 ? 0 : static_cast<size_t>(*N);
  F.Message = str(*O, "message");
  F.Product = str(*O, "product");
  F.ProductName = str(*O, "product_name");
  F.DataCentre = str(*O, "datacentre");
  F.Cutoff = str(*O, "cutoff");
  F.CutoffConfirmed = O->getBoolean("cutoff_confirmed").getValueOr(true);
  F.CutoffSource = str(*O, "cutoff_source");
  F.Status = str(*O, "status");
  F.Snippet = str(*O, "snippet");
  F.Fingerprint = str(*O, "fingerprint");
  F.Fixable = O->getBoolean("fixable").getValueOr(false);
  F.FixNote = str(*O, "fix_note");
  F.FixHint = str(*O, "help");
  F.ProductCandidates = strings(*O, "product_candidates");
  F.ScopesNeeded = strings(*O, "scopes_needed");
  F.ScopesUnconfirmed = strings(*O, "scopes_unconfirmed");
  F.ScopesFallback = strings(*O, "scopes_fallback");
  if (const llvm::json::Object *St = O->getObject("statement")) {
    F.StatementBegin = pos(St->getObject("start"));
    F.StatementEnd = pos(St->getObject("end"));
  }
  // The first line of the snippet stands in for the line text (carets, Markdown).
  F.LineText = F.Snippet.substr(0, F.Snippet.find('\n'));
  return F;
}

} // namespace

llvm::Expected<ScanJson> parseScanJson(llvm::StringRef Text, llvm::StringRef Name) {
  llvm::Expected<llvm::json::Value> V = llvm::json::parse(Text);
  if (!V)
    return fail(Name, "not valid JSON: " + llvm::toString(V.takeError()));
  const llvm::json::Object *Root = V->getAsObject();
  if (!Root || Root->getString("schema").getValueOr("") != "authtoken-migrate/scan")
    return fail(Name, "not an authtoken-migrate scan report (schema \"authtoken-migrate/scan\"; "
                      "write one with `scan --format json`)");
  int64_t Version = Root->getInteger("schema_version").getValueOr(0);
  if (Version < 1 || Version > JsonSchemaVersion)
    return fail(Name, llvm::formatv("schema_version {0} is not supported (this build reads "
                                    "1 to {1})",
                                    Version, JsonSchemaVersion));
  ScanJson Out;
  if (const llvm::json::Object *T = Root->getObject("tool"))
    Out.Header.ToolVersion = str(*T, "version");
  Out.Header.AsOf = str(*Root, "as_of");
  Out.Header.Root = str(*Root, "root");
  if (const llvm::json::Object *R = Root->getObject("repository")) {
    RepoInfo Info;
    Info.Name = str(*R, "name");
    Info.Url = str(*R, "url");
    Info.Commit = str(*R, "commit");
    Info.Error = str(*R, "error");
    if (Info.Name.empty())
      return fail(Name, "\"repository\" has no \"name\"");
    Out.Header.Repository = std::move(Info);
  }
  if (const llvm::json::Array *Rs = Root->getArray("repositories"))
    for (const llvm::json::Value &RV : *Rs)
      if (const llvm::json::Object *R = RV.getAsObject()) {
        RepoTotals T;
        T.Name = str(*R, "name");
        T.Findings = num(*R, "findings");
        T.FilesScanned = num(*R, "files_scanned");
        T.Commit = str(*R, "commit");
        T.Url = str(*R, "url");
        T.Error = str(*R, "error");
        Out.Header.Repos.push_back(std::move(T));
      }
  const llvm::json::Array *Findings = Root->getArray("findings");
  if (!Findings)
    return fail(Name, "has no \"findings\" array");
  size_t I = 0;
  for (const llvm::json::Value &FV : *Findings) {
    llvm::Expected<Finding> F = finding(FV, Name, I++);
    if (!F)
      return F.takeError();
    Out.Result.Findings.push_back(std::move(*F));
  }
  if (const llvm::json::Object *S = Root->getObject("summary")) {
    ScanStats &St = Out.Result.Stats;
    St.FilesScanned = num(*S, "files_scanned");
    St.PrefilterRejected = num(*S, "files_without_candidates");
    if (const llvm::json::Object *Sk = S->getObject("skipped")) {
      St.Ignored = num(*Sk, "ignored");
      St.Binary = num(*Sk, "binary");
      St.TooLarge = num(*Sk, "too_large");
      St.UnknownLanguage = num(*Sk, "unknown_language");
      St.Symlinks = num(*Sk, "symlinks");
      St.Unreadable = num(*Sk, "unreadable");
    }
    St.InvalidUtf8 = num(*S, "invalid_utf8");
    St.Suppressed = num(*S, "suppressed");
    St.OutsideDiff = num(*S, "outside_diff");
    St.DisabledByConfig = num(*S, "disabled_by_config");
    St.Baselined = num(*S, "baselined");
    if (auto B = S->getInteger("bytes"))
      St.Bytes = *B < 0 ? 0 : static_cast<uint64_t>(*B);
    St.Seconds = S->getNumber("seconds").getValueOr(0);
    if (const llvm::json::Object *L = S->getObject("files_by_language"))
      for (const auto &KV : *L)
        if (auto N = KV.second.getAsInteger())
          St.FilesByLanguage[KV.first.str()] = static_cast<unsigned>(*N);
    if (const llvm::json::Object *G = S->getObject("generic_by_extension"))
      for (const auto &KV : *G)
        if (auto N = KV.second.getAsInteger())
          St.GenericByExtension[KV.first.str()] = static_cast<unsigned>(*N);
    St.Problems = strings(*S, "problems");
    St.Notes = strings(*S, "notes");
    St.FilesSeen = St.FilesScanned + St.PrefilterRejected;
  }
  return Out;
}

llvm::Expected<ScanJson> readScanJson(llvm::StringRef Path) {
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> Buf =
      Path == "-" ? llvm::MemoryBuffer::getSTDIN() : llvm::MemoryBuffer::getFile(Path);
  if (!Buf)
    return fail(Path, "cannot read: " + Buf.getError().message());
  return parseScanJson((*Buf)->getBuffer(), Path == "-" ? "<stdin>" : Path);
}

} // namespace atm
