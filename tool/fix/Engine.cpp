#include "fix/Fix.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <map>
#include <set>

#include "llvm/Support/ThreadPool.h"
#include "llvm/Support/Threading.h"

#include "llvm/Support/raw_ostream.h"

#include "core/Text.h"
#include "core/Timings.h"
#include "fix/EditUtil.h"
#include "fix/ProjectIndex.h"
#include "helpers/Helpers.h"
#include "syntax/Syntax.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "fmt/format.h"

namespace atm::fix {

size_t FileContext::addEdit(size_t Index, TextEdit E) {
  E.Path = E.DisplayPath = Path.str();
  Edits.push_back(std::move(E));
  EditsOf[Index].push_back(Edits.size() - 1);
  return Edits.size() - 1;
}

size_t FileContext::addSharedEdit(TextEdit E) {
  E.Path = E.DisplayPath = Path.str();
  Edits.push_back(std::move(E));
  return Edits.size() - 1;
}

void FileContext::fixed(size_t Index, std::string What) {
  Outcomes.push_back({Findings[Index], Outcome::Fixed, std::move(What)});
}

void FileContext::manual(size_t Index, std::string Why) {
  Outcomes.push_back({Findings[Index], Outcome::Manual, std::move(Why)});
}

size_t FileContext::indexOf(const Finding *F) const {
  for (size_t I = 0; I < Findings.size(); ++I)
    if (Findings[I] == F)
      return I;
  return Findings.size();
}

std::vector<FileChange> FixResult::changes() const {
  std::vector<FileChange> Out;
  for (const FileFix &F : Files)
    if (F.New != F.Old)
      Out.push_back({F.Path, F.Old, F.New});
  for (const FileChange &H : Helpers)
    Out.push_back(H);
  return Out;
}

unsigned FixResult::fixedCount() const {
  unsigned N = 0;
  for (const FileFix &F : Files)
    for (const FindingOutcome &O : F.Findings)
      N += O.O == Outcome::Fixed;
  return N;
}

unsigned FixResult::manualCount() const {
  unsigned N = 0;
  for (const FileFix &F : Files)
    for (const FindingOutcome &O : F.Findings)
      N += O.O == Outcome::Manual;
  return N;
}

std::string helperNamespace(llvm::StringRef Lang, const FixOptions &Opts) {
  auto It = Opts.Namespaces.find(Lang.str());
  if (It != Opts.Namespaces.end() && !It->second.empty())
    return It->second;
  for (const HelperTemplate &T : helperTemplates())
    if (T.Lang == Lang && T.Path == "NAMESPACE")
      return llvm::StringRef(T.Content).trim().str();
  return "zoho_oauth";
}

llvm::Expected<std::vector<FileChange>> helperFiles(llvm::StringRef Lang, llvm::StringRef Directory,
                                                    const FixOptions &Opts,
                                                    llvm::StringRef Package) {
  HelperOptions H;
  H.Package = Package.str();
  H.Lang = Lang.str();
  H.Namespace = helperNamespace(Lang, Opts);
  H.ToolVersion = Opts.ToolVersion;
  auto Files = renderHelper(H);
  if (!Files)
    return Files.takeError();
  std::vector<FileChange> Out;
  for (auto &[Rel, Content] : *Files) {
    if (llvm::StringRef(Rel).endswith(".md"))
      continue; // documentation of the helper: not needed beside the code
    llvm::StringRef In(Rel);
    if (Lang == "java") // Directory is the source root: the package path goes below it
      In.consume_front("src/main/java/");
    std::string P = Directory.empty() ? In.str() : (Directory + "/" + In).str();
    FileChange C;
    C.Path = P;
    C.New = Content;
    if (llvm::StringRef(Rel).endswith(".sh"))
      C.Mode = 0100755;
    Out.push_back(std::move(C));
  }
  return Out;
}

namespace {

/// Drops the edits of findings whose edits overlap an earlier kept finding's; returns
/// the kept edits. Shared edits (not owned by any finding) are kept when at least one
/// finding is kept. Identical edits (two findings asking for the same change) are fine.
std::vector<TextEdit> resolveOverlaps(FileContext &Ctx, std::vector<std::string> &Notes) {
  std::vector<bool> Owned(Ctx.Edits.size(), false);
  for (auto &[Index, List] : Ctx.EditsOf)
    for (size_t E : List)
      Owned[E] = true;
  auto Overlaps = [](const TextEdit &A, const TextEdit &B) {
    if (A.Offset == B.Offset && A.Length == B.Length && A.Text == B.Text)
      return false;
    if (A.Length == 0 && B.Length == 0)
      return false; // two inserts at one place: both go in, in a stable order
    size_t AE = A.Offset + A.Length, BE = B.Offset + B.Length;
    if (A.Length == 0)
      return B.Offset < A.Offset && A.Offset < BE;
    if (B.Length == 0)
      return A.Offset < B.Offset && B.Offset < AE;
    return A.Offset < BE && B.Offset < AE;
  };
  std::vector<TextEdit> Kept;
  for (size_t E = 0; E < Ctx.Edits.size(); ++E)
    if (!Owned[E])
      Kept.push_back(Ctx.Edits[E]);
  std::set<size_t> Dropped;
  for (auto &[Index, List] : Ctx.EditsOf) {
    bool Clash = false;
    for (size_t E : List)
      for (const TextEdit &K : Kept)
        Clash = Clash || Overlaps(Ctx.Edits[E], K);
    if (Clash) {
      Dropped.insert(Index);
      continue;
    }
    for (size_t E : List)
      Kept.push_back(Ctx.Edits[E]);
  }
  for (size_t Index : Dropped) {
    const Finding *F = Ctx.Findings[Index];
    for (FindingOutcome &O : Ctx.Outcomes)
      if (O.F == F && O.O == Outcome::Fixed) {
        O.O = Outcome::Manual;
        O.Reason = "its edit overlaps the edit of another finding on the same code; "
                   "run fix again after applying this patch";
      }
    Notes.push_back(fmt::format("{}:{}: {}: edit overlapped another fix; left for the next run",
                                Ctx.Path.str(), F->Begin.Line, F->RuleId));
  }
  return Kept;
}

/// A file that builds CRM/Creator API v1 URLs, and none of a newer version of that product,
/// calls the retired API also where no request names the v1 path (a gem's
/// `self.class.get(create_url(…))` over a `…/crm/private/xml/` base): none of its requests
/// of that product is "fixed" with a header, each says to port the call. The recipes check
/// the URL they see; this is the file-level net under them. Request findings only
/// (generation flows, hard-coded tokens and config entries keep their own reasons).
void retiredApiFile(FileContext &Ctx) {
  if (isConfigLanguage(Ctx.Lang) || isDocLanguage(Ctx.Lang))
    return;
  RetiredApi Api = retiredApiOfFile(Ctx.Text);
  bool Own = !Api.Product.empty();
  if (!Own && Ctx.Opts)
    for (const auto &[Product, Advice] : Ctx.Opts->RepoRetired) {
      // The file's own URLs win (`/crm/v2/…` here, a v1 base elsewhere).
      if (llvm::any_of(Ctx.Findings, [&](const Finding *F) { return F->Product == Product; }) &&
          deadEndpoint(Ctx.Text).empty() && !namesNewerApi(Ctx.Text, Product)) {
        Api = {Product, Advice};
        break;
      }
    }
  if (Api.Product.empty())
    return;
  // (The API key + ticket pair is a request credential of the same v1 APIs.)
  static const std::set<std::string> Requests = {
      "zoho-authtoken-url-param", "zoho-authtoken-param-key", "zoho-authtoken-header",
      "zoho-authtoken-bare-header", "zoho-legacy-scope-url", "zoho-apikey-ticket",
      "zoho-ticket-param"};
  std::set<size_t> Retired;
  for (size_t I = 0; I < Ctx.Findings.size(); ++I) {
    const Finding &F = *Ctx.Findings[I];
    if (F.Product == Api.Product && Requests.count(F.RuleId))
      Retired.insert(I);
  }
  if (Retired.empty())
    return;
  std::string Why = Api.Advice + (Own ? " (this file builds that API's URLs)"
                                      : " (the repository builds that API's URLs, and names "
                                        "no newer one)");
  bool AnyFixed = false;
  for (FindingOutcome &O : Ctx.Outcomes) {
    auto It = std::find(Ctx.Findings.begin(), Ctx.Findings.end(), O.F);
    size_t I = It - Ctx.Findings.begin();
    if (Retired.count(I)) {
      if (O.O == Outcome::Fixed || O.Reason.find("retired with the authtoken") == std::string::npos) {
        O.O = Outcome::Manual;
        O.Reason = Why;
      }
    } else if (O.O == Outcome::Fixed) {
      AnyFixed = true;
    }
  }
  // The retired findings' edits go; with no fixed finding left, so do the shared ones (the
  // helper's import), and the file is not changed.
  std::vector<TextEdit> Edits;
  std::map<size_t, std::vector<size_t>> EditsOf;
  std::vector<bool> Owned(Ctx.Edits.size(), false), Drop(Ctx.Edits.size(), false);
  for (auto &[Index, List] : Ctx.EditsOf)
    for (size_t E : List) {
      Owned[E] = true;
      if (Retired.count(Index))
        Drop[E] = true;
    }
  std::vector<size_t> NewIndex(Ctx.Edits.size(), SIZE_MAX);
  for (size_t E = 0; E < Ctx.Edits.size(); ++E)
    if (!Drop[E] && (Owned[E] || AnyFixed)) {
      NewIndex[E] = Edits.size();
      Edits.push_back(Ctx.Edits[E]);
    }
  for (auto &[Index, List] : Ctx.EditsOf)
    for (size_t E : List)
      if (NewIndex[E] != SIZE_MAX)
        EditsOf[Index].push_back(NewIndex[E]);
  Ctx.Edits = std::move(Edits);
  Ctx.EditsOf = std::move(EditsOf);
  if (!AnyFixed)
    Ctx.Helpers.clear();
}

/// One file's plan: its fixer's edits, applied and checked.
FileFix fixFile(const std::string &Path, std::vector<const Finding *> List, const FileReader &Read,
                const FileExists &Exists, const FixOptions &Opts,
                const std::vector<std::unique_ptr<LanguageFixer>> &Fixers,
                std::vector<HelperNeed> &Needs, std::vector<std::string> &Notes) {
  std::sort(List.begin(), List.end(), [](const Finding *A, const Finding *B) {
    return std::tie(A->Offset, A->RuleId) < std::tie(B->Offset, B->RuleId);
  });
  FileFix FF;
  FF.Path = Path;
  auto Text = Read(Path);
  if (!Text) {
    std::string Why = "cannot read the file: " + llvm::toString(Text.takeError());
    for (const Finding *F : List)
      FF.Findings.push_back({F, Outcome::Manual, Why});
    return FF;
  }
  FF.Old = *Text;
  FF.New = *Text;
  FF.Lang = detectLanguage(Path, llvm::StringRef(*Text).take_front(4096));

  FileContext Ctx;
  Ctx.Path = Path;
  Ctx.Text = FF.Old;
  Ctx.Lang = FF.Lang;
  Ctx.Findings = List;
  Ctx.Opts = &Opts;
  Ctx.Exists = Exists;
  Ctx.Read = Read;
  if (isNotebookPath(Path)) {
    // The findings' offsets are in the code of its cells (core/Text.h), not in its JSON.
    for (const Finding *F : List)
      FF.Findings.push_back({F, Outcome::Manual,
                             "a Jupyter notebook: the fix does not rewrite notebook JSON; move "
                             "the request in its code cell to the OAuth header by hand (helper "
                             "--lang python gives the token-refresh helper)"});
    return FF;
  }
  const LanguageFixer *Fixer = nullptr;
  for (const auto &Fx : Fixers)
    if (Fx->handlesFile(FF.Lang, Path)) {
      Fixer = Fx.get();
      break;
    }
  if (Fixer)
    Fixer->fix(Ctx);
  retiredApiFile(Ctx);

  std::vector<TextEdit> Kept = resolveOverlaps(Ctx, Notes);
  std::string New = FF.Old;
  bool Applied = Kept.empty() || applyEdits(New, Kept);
  std::string Failure;
  if (!Applied)
    Failure = "the edits of this file could not be combined (an internal conflict)";
  // A patch must not break the file: where a grammar exists, the result may not have
  // more syntax errors than the original.
  if (Applied && New != FF.Old) {
    if (auto G = syntax::grammarFor(FF.Lang, Path)) {
      // The original is parsed only when the result has errors (most have none).
      auto After = syntax::parse(*G, New);
      auto Before = After && After->hasErrors() ? syntax::parse(*G, FF.Old)
                                                : syntax::parse(*G, "");
      if (Before && After && After->errorCount() > Before->errorCount())
        Failure = fmt::format("the patch would not parse ({} syntax error(s) at line {}); "
                              "no edit made",
                              After->errorCount() - Before->errorCount(),
                              After->errors().front().Start.Row + 1);
      if (!Before)
        llvm::consumeError(Before.takeError());
      if (!After)
        llvm::consumeError(After.takeError());
    }
  }
  std::set<const Finding *> Seen;
  for (FindingOutcome &O : Ctx.Outcomes) {
    if (!Seen.insert(O.F).second)
      continue;
    if (!Failure.empty() && O.O == Outcome::Fixed) {
      O.O = Outcome::Manual;
      O.Reason = Failure;
    }
    // The helper picks the accounts server from ZOHO_DC (default us).
    if (O.O == Outcome::Fixed && !O.F->DataCentre.empty() && O.F->DataCentre != "us" &&
        O.Reason.find("ZOHO_DC") == std::string::npos)
      O.Reason += " (the " + O.F->DataCentre + " data centre: set ZOHO_DC=" + O.F->DataCentre + ")";
    FF.Findings.push_back(O);
  }
  for (const Finding *F : List)
    if (!Seen.count(F))
      FF.Findings.push_back({F, Outcome::Manual,
                             Fixer ? "no recipe for this finding's code shape"
                                   : "no automatic fix for " +
                                         languageName(FF.Lang).str() + " files yet"});
  std::sort(FF.Findings.begin(), FF.Findings.end(),
            [](const FindingOutcome &A, const FindingOutcome &B) {
              return std::tie(A.F->Offset, A.F->RuleId) < std::tie(B.F->Offset, B.F->RuleId);
            });
  FF.RevokeLines = Ctx.RevokeLines;
  if (Failure.empty() && New != FF.Old) {
    FF.New = std::move(New);
    FF.EditCount = Kept.size();
    Needs = Ctx.Helpers;
  }
  return FF;
}

} // namespace

llvm::Expected<FixResult> planFixes(llvm::ArrayRef<Finding> Findings, const FileReader &Read,
                                    const FileExists &Exists, const FixOptions &Opts) {
  auto Fixers = fixers();
  if (!Fixers)
    return Fixers.takeError();
  timingPhase("fix plan: recipes");
  std::map<std::string, std::vector<const Finding *>> ByFile;
  for (const Finding &F : Findings)
    ByFile[F.Path].push_back(&F);
  std::vector<std::pair<std::string, std::vector<const Finding *>>> Work(ByFile.begin(), ByFile.end());
  // The repository-level net of retiredApiFile: each code file with findings is read once
  // here, and its fixer gets that text (Cached; other paths go to the caller's reader).
  FixOptions Local = Opts;
  std::map<std::string, std::string> PreRead;
  for (const auto &[Path, List] : Work) {
    Language L = detectLanguage(Path, "");
    if (isConfigLanguage(L) || isDocLanguage(L))
      continue;
    if (auto T = Read(Path))
      PreRead.emplace(Path, std::move(*T));
    else
      llvm::consumeError(T.takeError()); // fixFile reports it
  }
  {
    std::vector<llvm::StringRef> Refs;
    for (const auto &[Path, Text] : PreRead)
      Refs.push_back(Text);
    for (RetiredApi &A : retiredApisOfFiles(Refs))
      Local.RepoRetired.emplace_back(A.Product, A.Advice);
  }
  FileReader Cached = [&](llvm::StringRef P) -> llvm::Expected<std::string> {
    auto It = PreRead.find(P.str());
    if (It != PreRead.end())
      return It->second;
    return Read(P);
  };

  if (Opts.ListDir && !Local.Index)
    Local.Index = std::make_shared<const ProjectIndex>(Cached, Opts.ListDir, Opts.Parsed);
  timingPhase("fix plan: files read");

  // Files are independent: planned in parallel, collected in path order.
  FixResult R;
  R.Files.resize(Work.size());
  std::vector<std::vector<HelperNeed>> Needs(Work.size());
  std::vector<std::vector<std::string>> Notes(Work.size());
  const auto &List = *Fixers;
  {
    llvm::ThreadPool Pool(llvm::hardware_concurrency());
    for (size_t I = 0; I < Work.size(); ++I)
      Pool.async([&, I] {
        auto T0 = std::chrono::steady_clock::now();
        R.Files[I] = fixFile(Work[I].first, Work[I].second, Cached, Exists, Local, List,
                             Needs[I], Notes[I]);
        if (timingFiles())
          timingFile(Work[I].first, "fix plan",
                     std::chrono::duration<double, std::milli>(
                         std::chrono::steady_clock::now() - T0).count());
      });
    Pool.wait();
  }
  timingPhase("fix plan: files planned");
  timingFilesReport(15);
  // helper language -> directories that need it
  std::map<std::string, std::map<std::string, std::string>> HelperDirs; // -> dir -> Go package
  for (size_t I = 0; I < Work.size(); ++I) {
    for (const HelperNeed &H : Needs[I])
      HelperDirs[H.Lang].emplace(H.Directory, H.Package);
    R.Notes.insert(R.Notes.end(), Notes[I].begin(), Notes[I].end());
  }
  if (Opts.OutcomesOnly)
    HelperDirs.clear();
  for (auto &[Lang, Dirs] : HelperDirs)
    for (const auto &[Dir, Package] : Dirs) {
      auto Files = helperFiles(Lang, Dir, Opts, Package);
      if (!Files)
        return Files.takeError();
      for (FileChange &C : *Files) {
        if (!Exists(C.Path)) {
          R.Helpers.push_back(std::move(C));
          continue;
        }
        // Never overwritten; but the patched code relies on it being the helper.
        auto Have = Read(C.Path);
        if (!Have) {
          llvm::consumeError(Have.takeError());
          continue;
        }
        if (*Have != C.New && !isUnmodifiedGeneratedFile(*Have))
          R.Notes.push_back(C.Path + " exists and is not the generated " + Lang +
                            " helper (or was edited): the patched code uses it; regenerate it "
                            "with 'authtoken-migrate helper --lang " + Lang +
                            " --force' or give fix another --namespace");
      }
    }
  timingPhase("fix plan: helpers");
  return R;
}

std::string underRoot(llvm::StringRef Root, llvm::StringRef Display) {
  llvm::SmallString<256> P(Root);
  llvm::sys::path::append(P, Display);
  return std::string(P);
}

FileReader diskReader(std::string Root) {
  return [Root = std::move(Root)](llvm::StringRef Display) -> llvm::Expected<std::string> {
    auto Buf = llvm::MemoryBuffer::getFile(underRoot(Root, Display), /*IsText=*/false,
                                           /*RequiresNullTerminator=*/false);
    if (!Buf)
      return llvm::createStringError(Buf.getError(), "%s: %s", Display.str().c_str(),
                                     Buf.getError().message().c_str());
    return (*Buf)->getBuffer().str();
  };
}

std::function<std::vector<std::string>(llvm::StringRef)> diskLister(std::string Root) {
  return [Root = std::move(Root)](llvm::StringRef Dir) {
    std::vector<std::string> Out;
    std::error_code EC;
    for (llvm::sys::fs::directory_iterator It(underRoot(Root, Dir), EC), End; It != End && !EC;
         It.increment(EC))
      Out.push_back(llvm::sys::path::filename(It->path()).str());
    std::sort(Out.begin(), Out.end());
    return Out;
  };
}

FileExists diskExists(std::string Root) {
  return [Root = std::move(Root)](llvm::StringRef Display) {
    return llvm::sys::fs::exists(underRoot(Root, Display));
  };
}

} // namespace atm::fix
