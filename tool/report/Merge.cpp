#include "report/Merge.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Path.h"

namespace atm {

namespace {

llvm::Error err(const llvm::Twine &Msg) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), Msg.str());
}

/// "1.10.0" > "1.9.2": numeric comparison of the dot-separated parts.
bool versionLess(llvm::StringRef A, llvm::StringRef B) {
  llvm::SmallVector<llvm::StringRef, 4> PA, PB;
  A.split(PA, '.');
  B.split(PB, '.');
  for (size_t I = 0; I < std::max(PA.size(), PB.size()); ++I) {
    unsigned X = 0, Y = 0;
    bool XNum = I < PA.size() && !PA[I].getAsInteger(10, X);
    bool YNum = I < PB.size() && !PB[I].getAsInteger(10, Y);
    if (XNum && YNum && X != Y)
      return X < Y;
    if (!XNum || !YNum) {
      llvm::StringRef SX = I < PA.size() ? PA[I] : "",
                      SY = I < PB.size() ? PB[I] : "";
      if (SX != SY)
        return SX < SY;
    }
  }
  return false;
}

/// \p RepoError: the input's "repository" error, a problem about the whole
/// repository (named "NAME: ..." rather than "NAME/PATH: ...").
void addStats(ScanStats &To, const ScanStats &From, llvm::StringRef Name,
              llvm::StringRef RepoError) {
  To.FilesSeen += From.FilesSeen;
  To.FilesScanned += From.FilesScanned;
  To.PrefilterRejected += From.PrefilterRejected;
  To.Binary += From.Binary;
  To.TooLarge += From.TooLarge;
  To.Ignored += From.Ignored;
  To.Symlinks += From.Symlinks;
  To.Unreadable += From.Unreadable;
  To.UnknownLanguage += From.UnknownLanguage;
  To.InvalidUtf8 += From.InvalidUtf8;
  To.Suppressed += From.Suppressed;
  To.OutsideDiff += From.OutsideDiff;
  To.DisabledByConfig += From.DisabledByConfig;
  To.Baselined += From.Baselined;
  To.Bytes += From.Bytes;
  To.Seconds += From.Seconds;
  for (const std::string &P : From.Problems)
    To.Problems.push_back(
        Name.str() + (!RepoError.empty() && P == RepoError ? ": " : "/") + P);
  for (const std::string &N : From.Notes)
    To.Notes.push_back(Name.str() + ": " + N);
  for (const auto &[L, N] : From.FilesByLanguage)
    To.FilesByLanguage[L] += N;
  for (const auto &[E, N] : From.GenericByExtension)
    To.GenericByExtension[E] += N;
}

/// "a.json (2026-11-01), b.json (2026-11-24)": which input said what.
std::string
listValues(const std::map<std::string, std::vector<std::string>> &Of) {
  std::string Out;
  for (const auto &[Value, Sources] : Of) {
    if (!Out.empty())
      Out += "; ";
    Out += (Value.empty() ? std::string("none") : Value) + " in " +
           llvm::join(Sources, ", ");
  }
  return Out;
}

} // namespace

std::string mergeName(const MergeInput &In) {
  if (In.Report.Header.Repository && !In.Report.Header.Repository->Name.empty())
    return In.Report.Header.Repository->Name;
  llvm::StringRef Root = llvm::StringRef(In.Report.Header.Root).rtrim('/');
  if (!Root.empty() && !llvm::sys::path::filename(Root).empty())
    return llvm::sys::path::filename(Root).str();
  llvm::StringRef File = llvm::sys::path::filename(In.Source);
  File.consume_back(".json");
  return File.empty() ? std::string("report") : File.str();
}

llvm::Expected<MergeResult> mergeReports(std::vector<MergeInput> Inputs) {
  MergeResult Out;
  std::map<std::string, std::string> SourceOf; // repository name -> input file
  std::map<std::string, std::vector<std::string>> AsOfs, Versions;
  for (MergeInput &In : Inputs) {
    if (!In.Report.Header.Repos.empty())
      return err(In.Source +
                 ": is a merged report (it has \"repositories\"); merge the "
                 "per-repository reports it was made from");
    std::string Name = mergeName(In);
    auto [It, New] = SourceOf.emplace(Name, In.Source);
    if (!New)
      return err(In.Source + ": repository '" + Name +
                 "' is also the repository of " + It->second +
                 " (its finding paths would mix; give each repository its own "
                 "name, e.g. the second column of the --repos-from list)");
    AsOfs[In.Report.Header.AsOf].push_back(In.Source);
    Versions[In.Report.Header.ToolVersion].push_back(In.Source);

    ScanResult &R = In.Report.Result;
    RepoTotals T;
    T.Name = Name;
    T.Findings = static_cast<unsigned>(R.Findings.size());
    T.FilesScanned = R.Stats.FilesScanned;
    if (In.Report.Header.Repository) {
      T.Commit = In.Report.Header.Repository->Commit;
      T.Url = In.Report.Header.Repository->Url;
      T.Error = In.Report.Header.Repository->Error;
    }
    Out.Repos.push_back(std::move(T));
    addStats(Out.Result.Stats, R.Stats, Name, Out.Repos.back().Error);
    for (Finding &F : R.Findings) {
      F.Path = Name + "/" + F.Path;
      Out.Result.Findings.push_back(std::move(F));
    }
  }
  std::stable_sort(
      Out.Result.Findings.begin(), Out.Result.Findings.end(),
      [](const Finding &A, const Finding &B) {
        return std::tie(A.Path, A.Begin.Line, A.Begin.Column, A.RuleId) <
               std::tie(B.Path, B.Begin.Line, B.Begin.Column, B.RuleId);
      });
  // YYYY-MM-DD sorts as text: the latest date is the last key.
  if (!AsOfs.empty())
    Out.AsOf = AsOfs.rbegin()->first;
  for (const auto &KV : Versions)
    if (Out.ToolVersion.empty() || versionLess(Out.ToolVersion, KV.first))
      Out.ToolVersion = KV.first;
  if (AsOfs.size() > 1)
    Out.Notes.push_back("the reports were written as of different dates (" +
                        listValues(AsOfs) +
                        "): deadline statuses are each report's own; the "
                        "merged report states " +
                        Out.AsOf);
  if (Versions.size() > 1)
    Out.Notes.push_back(
        "the reports were written by different tool versions (" +
        listValues(Versions) + "): rules and fingerprints may differ");
  for (const std::string &N : Out.Notes)
    Out.Result.Stats.Notes.push_back(N);
  return Out;
}

} // namespace atm
