#include "clang/ClangFrontend.h"

#include "core/AtomicWrite.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <set>

#include "clang/Analyzer.h"
#include "lang/Language.h"
#include "clang/Tooling/ArgumentsAdjusters.h"
#include "clang/Tooling/CompilationDatabase.h"
#include "clang/Tooling/DiagnosticsYaml.h"
#include "clang/Tooling/JSONCompilationDatabase.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/ThreadPool.h"
#include "llvm/Support/Threading.h"
#include "llvm/Support/YAMLTraits.h"
#include "llvm/Support/raw_ostream.h"

#ifndef ATM_CLANG_RESOURCE_DIR
#define ATM_CLANG_RESOURCE_DIR "/usr/lib/llvm-14/lib/clang/14.0.6"
#endif
#ifndef ATM_CLANG_BINARY
#define ATM_CLANG_BINARY "/usr/lib/llvm-14/bin/clang"
#endif

namespace atm {

using namespace clangfe;
namespace tooling = clang::tooling;

namespace {

/// The lexer rule each AST detector replaces in a parsed file. The other lexer rules
/// (doc mentions, env-var names, legacy scope URLs, key+ticket, browser-mode generation,
/// deletion) have no AST equivalent: their findings are kept.
struct DetectorRule {
  const char *Detector; ///< rule id of the AST detector (rules/cpp/)
  const char *Lexer;    ///< rule id of the lexer rule it replaces (rules/generic/)
};
const DetectorRule DetectorRules[] = {
    {UrlRule, "zoho-authtoken-url-param"},
    {ParamRule, "zoho-authtoken-param-key"},
    {HeaderRule, "zoho-authtoken-header"},
    {GenerationRule, "zoho-authtoken-generation"},
    {HardcodedRule, "zoho-authtoken-hardcoded"},
};

bool isHeaderPath(llvm::StringRef Path) {
  llvm::StringRef Ext = llvm::sys::path::extension(Path);
  return Ext.equals_insensitive(".h") || Ext.equals_insensitive(".hh") ||
         Ext.equals_insensitive(".hpp") || Ext.equals_insensitive(".hxx") ||
         Ext.equals_insensitive(".h++") || Ext.equals_insensitive(".ipp") ||
         Ext.equals_insensitive(".inl") || Ext.equals_insensitive(".inc");
}

/// Rel path of \p File under \p Root ("" when not under it).
std::string relativeTo(llvm::StringRef File, llvm::StringRef Root) {
  if (Root.empty() || !File.startswith(Root))
    return "";
  llvm::StringRef Rest = File.drop_front(Root.size());
  if (Root.back() != '/') {
    if (!Rest.startswith("/"))
      return "";
    Rest = Rest.drop_front();
  }
  return Rest.empty() ? "" : Rest.str();
}

} // namespace

/// Diagnostics are collected, never printed: no carets also means no "N errors
/// generated." line on stderr.
std::vector<std::string> quiet(std::vector<std::string> Args) {
  Args.push_back("-fno-caret-diagnostics");
  Args.push_back("-Wno-everything");
  return Args;
}

struct ClangFrontend::Impl {
  const RuleSet &Rules;
  EngineOptions Opts;
  ClangFrontendOptions FO;
  std::vector<FindingFix> Fixes;
  ClangFrontendStats Stats;
  std::string MainSourceFile;
  /// Directory -> compile_commands.json loaded from it (null: none there).
  std::map<std::string, std::shared_ptr<tooling::CompilationDatabase>> DbCache;

  Impl(const RuleSet &R, EngineOptions O, ClangFrontendOptions F)
      : Rules(R), Opts(std::move(O)), FO(std::move(F)) {
    if (FO.ResourceDir.empty())
      FO.ResourceDir = ATM_CLANG_RESOURCE_DIR;
  }

  /// Lexer rules whose findings the running detectors replace.
  std::set<std::string> Replaced;

  bool selected(llvm::StringRef Id) const {
    return std::find(Opts.OnlyRules.begin(), Opts.OnlyRules.end(), Id.str()) !=
           Opts.OnlyRules.end();
  }

  /// A detector runs when its rule is loaded (a `detector:` rule in rules/cpp/) and
  /// --rule selects it or the lexer rule it replaces (or there is no --rule).
  bool detectorOn(llvm::StringRef Id) {
    for (const DetectorRule &D : DetectorRules) {
      if (Id != D.Detector)
        continue;
      const Rule *R = Rules.find(Id);
      if (!R || R->Detector.empty())
        return false;
      if (!Opts.OnlyRules.empty() && !selected(D.Detector) && !selected(D.Lexer))
        return false;
      Replaced.insert(D.Lexer);
      return true;
    }
    return false;
  }

  std::shared_ptr<tooling::CompilationDatabase> loadDb(const std::string &Dir,
                                                       std::vector<std::string> *Notes) {
    auto It = DbCache.find(Dir);
    if (It != DbCache.end())
      return It->second;
    std::shared_ptr<tooling::CompilationDatabase> Db;
    llvm::SmallString<256> P(Dir);
    llvm::sys::path::append(P, "compile_commands.json");
    if (llvm::sys::fs::exists(P)) {
      std::string Err;
      Db = tooling::JSONCompilationDatabase::loadFromFile(
          P, Err, tooling::JSONCommandLineSyntax::AutoDetect);
      if (!Db && Notes)
        Notes->push_back(std::string(P.str()) + ": cannot be read (" + Err +
                         "); fallback command lines used");
    }
    DbCache[Dir] = Db;
    return Db;
  }

  /// The compile command for \p File: from -p or the nearest compile_commands.json
  /// above it, else the fallback.
  ParseJob jobFor(const std::string &File, const std::string &Root,
                  std::vector<std::string> &Notes) {
    ParseJob J;
    J.File = File;
    std::vector<std::shared_ptr<tooling::CompilationDatabase>> Dbs;
    if (!FO.CompileDbDir.empty()) {
      Dbs.push_back(loadDb(canonicalPath(FO.CompileDbDir), &Notes));
    } else {
      llvm::StringRef Dir = llvm::sys::path::parent_path(File);
      while (!Dir.empty()) {
        if (auto Db = loadDb(Dir.str(), &Notes)) {
          Dbs.push_back(Db);
          break;
        }
        llvm::StringRef Up = llvm::sys::path::parent_path(Dir);
        if (Up == Dir)
          break;
        Dir = Up;
      }
    }
    for (auto &Db : Dbs) {
      if (!Db)
        continue;
      std::vector<tooling::CompileCommand> Cmds = Db->getCompileCommands(File);
      if (Cmds.empty())
        continue;
      tooling::CompileCommand &C = Cmds.front();
      std::vector<std::string> Args = C.CommandLine;
      Args = tooling::getClangStripOutputAdjuster()(Args, C.Filename);
      Args = tooling::getClangStripDependencyFileAdjuster()(Args, C.Filename);
      Args = tooling::getClangSyntaxOnlyAdjuster()(Args, C.Filename);
      Args = quiet(std::move(Args));
      for (const std::string &A : FO.ExtraArgs)
        Args.push_back(A);
      bool HasResource = false;
      for (const std::string &A : Args)
        if (llvm::StringRef(A).startswith("-resource-dir"))
          HasResource = true;
      if (!HasResource)
        Args.push_back("-resource-dir=" + FO.ResourceDir);
      J.Args = std::move(Args);
      J.Directory = C.Directory;
      J.FromCompileDb = true;
      return J;
    }
    // Fallback: language by extension, the file's directory and the repository's
    // include/ on the include path.
    llvm::StringRef Ext = llvm::sys::path::extension(File);
    std::string Lang = "c++", Std = "-std=c++17", Driver = std::string(ATM_CLANG_BINARY) + "++";
    bool ObjC = false;
    if (Ext.equals_insensitive(".c") && Ext != ".C") {
      Lang = "c";
      Std = "-std=gnu11";
      Driver = ATM_CLANG_BINARY;
    } else if (Ext == ".m") {
      Lang = "objective-c";
      Std = "-std=gnu11";
      Driver = ATM_CLANG_BINARY;
      ObjC = true;
    } else if (Ext == ".mm" || Ext == ".M") {
      Lang = "objective-c++";
      ObjC = true;
    } else if (isHeaderPath(File)) {
      // A header parsed on its own: Objective-C when it says so.
      if (auto Buf = llvm::MemoryBuffer::getFile(File, false, false)) {
        llvm::StringRef T = (*Buf)->getBuffer();
        if (T.contains("@interface") || T.contains("@protocol") || T.contains("#import")) {
          Lang = "objective-c++";
          ObjC = true;
        }
      }
    }
    J.Args = {Driver, "-fsyntax-only", "-x", Lang, Std};
    if (ObjC)
      J.Args.push_back("-fblocks");
    J.Args.push_back("-I" + llvm::sys::path::parent_path(File).str());
    if (!Root.empty()) {
      llvm::SmallString<256> Inc(Root);
      llvm::sys::path::append(Inc, "include");
      if (llvm::sys::fs::is_directory(Inc))
        J.Args.push_back("-I" + std::string(Inc.str()));
    }
    for (const std::string &A : FO.ExtraArgs)
      J.Args.push_back(A);
    J.Args.push_back("-resource-dir=" + FO.ResourceDir);
    J.Args = quiet(std::move(J.Args));
    J.Args.push_back(File);
    J.Directory = llvm::sys::path::parent_path(File).str();
    return J;
  }

  void run(std::vector<Input> &Files, std::vector<Finding> &Out,
           std::vector<std::string> &Notes);

  /// `#include "zoho_oauth.h"` after the last #include of \p File (an empty text when the
  /// file already includes it); none when the file cannot be read.
  std::map<std::string, std::optional<TextEdit>> Includes;
  std::optional<TextEdit> includeEdit(const std::string &File, const std::string &Display) {
    auto It = Includes.find(File);
    if (It != Includes.end())
      return It->second;
    std::optional<TextEdit> &Inc = Includes[File];
    auto B = llvm::MemoryBuffer::getFile(File, /*IsText=*/false,
                                         /*RequiresNullTerminator=*/false);
    if (!B)
      return Inc;
    llvm::StringRef Text = (*B)->getBuffer();
    Inc = TextEdit{File, Display, 0, 0, ""};
    size_t At = 0, Pos = 0;
    while (Pos < Text.size()) {
      size_t E = Text.find('\n', Pos);
      if (E == llvm::StringRef::npos)
        E = Text.size();
      llvm::StringRef Line = Text.slice(Pos, E).ltrim();
      if (Line.startswith("#include") || Line.startswith("#import") ||
          Line.startswith("# include")) {
        if (Line.contains("zoho_oauth.h"))
          return Inc; // already included
        At = E < Text.size() ? E + 1 : E;
      }
      Pos = E + 1;
    }
    Inc->Offset = At;
    Inc->Text = "#include \"zoho_oauth.h\"\n";
    if (At == Text.size() && At && Text.back() != '\n')
      Inc->Text = "\n" + Inc->Text;
    return Inc;
  }
};

/// The fix note of a finding whose detector gave none.
static std::string defaultFixNote(llvm::StringRef Rule) {
  if (Rule == ParamRule)
    return "no automatic fix: the request's parameters are not edited; send the header "
           "`Authorization: Zoho-oauthtoken <token>` (zoho_oauth.h) with that request, then "
           "remove the authtoken parameter";
  if (Rule == GenerationRule)
    return "no automatic fix: token generation has no OAuth equivalent in code; create a "
           "self client once and use its refresh token (zoho_oauth.h refreshes it)";
  if (Rule == HardcodedRule)
    return "no automatic fix: revoke this token in Zoho and remove the value";
  if (Rule == UrlRule || Rule == HeaderRule)
    return "no automatic fix: it is in a macro definition; edit the macro by hand";
  return "no automatic fix";
}

ClangFrontend::ClangFrontend(const RuleSet &Rules, EngineOptions Opts, ClangFrontendOptions FO)
    : P(std::make_unique<Impl>(Rules, std::move(Opts), std::move(FO))) {}

ClangFrontend::~ClangFrontend() = default;

bool ClangFrontend::handles(Language L) const {
  return L == Language::C || L == Language::Cpp || L == Language::ObjC;
}

const std::vector<FindingFix> &ClangFrontend::fixes() const { return P->Fixes; }
const ClangFrontendStats &ClangFrontend::stats() const { return P->Stats; }

void ClangFrontend::run(std::vector<Input> &Files, std::vector<Finding> &Out,
                        std::vector<std::string> &Notes) {
  P->run(Files, Out, Notes);
}

void ClangFrontend::Impl::run(std::vector<Input> &Files, std::vector<Finding> &Out,
                              std::vector<std::string> &Notes) {
  Fixes.clear();
  Stats = ClangFrontendStats();
  DetectorSet DS;
  Replaced.clear();
  DS.Url = detectorOn(UrlRule);
  DS.Param = detectorOn(ParamRule);
  DS.Header = detectorOn(HeaderRule);
  DS.Generation = detectorOn(GenerationRule);
  DS.Hardcoded = detectorOn(HardcodedRule);

  // Canonical paths, scan roots and the translation units.
  std::vector<std::string> Canon(Files.size()), RootOf(Files.size());
  std::map<std::string, size_t> InputIndex;
  std::vector<std::string> Roots;
  for (size_t I = 0; I < Files.size(); ++I) {
    Canon[I] = canonicalPath(Files[I].Path);
    InputIndex[Canon[I]] = I;
    llvm::StringRef C(Canon[I]);
    std::string Rel = Files[I].RelPath;
    std::string Root;
    if (C.endswith("/" + Rel))
      Root = C.drop_back(Rel.size() + 1).str();
    else
      Root = llvm::sys::path::parent_path(C).str();
    RootOf[I] = Root;
    if (std::find(Roots.begin(), Roots.end(), Root) == Roots.end())
      Roots.push_back(Root);
  }
  std::vector<size_t> TUs;
  for (size_t I = 0; I < Files.size(); ++I)
    if (!isHeaderPath(Files[I].Path))
      TUs.push_back(I);
  if (MainSourceFile.empty() && !Files.empty())
    MainSourceFile = Canon[TUs.empty() ? 0 : TUs.front()];

  // Parse in parallel; each parse has its own FileManager and file system.
  unsigned N = FO.Jobs ? FO.Jobs : llvm::hardware_concurrency().compute_thread_count();
  auto parseAll = [&](const std::vector<ParseJob> &Jobs) {
    std::vector<TUResult> Results(Jobs.size());
    auto Start = std::chrono::steady_clock::now();
    if (N <= 1 || Jobs.size() < 2) {
      for (size_t J = 0; J < Jobs.size(); ++J)
        Results[J] = analyzeTranslationUnit(Jobs[J], Rules.Cat, DS);
    } else {
      llvm::ThreadPool Pool(llvm::hardware_concurrency(N));
      for (size_t J = 0; J < Jobs.size(); ++J)
        Pool.async([&, J] { Results[J] = analyzeTranslationUnit(Jobs[J], Rules.Cat, DS); });
      Pool.wait();
    }
    Stats.ParseSeconds +=
        std::chrono::duration<double>(std::chrono::steady_clock::now() - Start).count();
    return Results;
  };

  // Merge: one hit per (file, offset, rule), whichever translation units saw it.
  std::set<std::string> Covered;
  std::map<std::tuple<std::string, unsigned, std::string>, RawHit> Hits;
  std::vector<bool> Fallback(Files.size(), false);
  auto merge = [&](TUResult &R) {
    Covered.insert(R.Files.begin(), R.Files.end());
    for (RawHit &H : R.Hits) {
      auto Key = std::make_tuple(H.File, H.Offset, H.RuleId);
      auto It = Hits.find(Key);
      if (It == Hits.end()) {
        Hits.emplace(Key, std::move(H));
        continue;
      }
      RawHit &Old = It->second;
      if (Old.Product.empty())
        Old.Product = H.Product;
      if (Old.Dc.empty())
        Old.Dc = H.Dc;
      if (Old.Edits.empty() && !H.Edits.empty()) {
        Old.Edits = std::move(H.Edits);
        Old.Note = std::move(H.Note);
      }
      if (Old.Note.empty())
        Old.Note = std::move(H.Note);
    }
  };

  std::vector<ParseJob> Jobs;
  for (size_t I : TUs) {
    Jobs.push_back(jobFor(Canon[I], RootOf[I], Notes));
    Stats.WithCompileDb += Jobs.back().FromCompileDb;
  }
  std::vector<TUResult> Results = parseAll(Jobs);
  Stats.TranslationUnits = Jobs.size();
  for (size_t J = 0; J < Jobs.size(); ++J) {
    TUResult &R = Results[J];
    size_t I = TUs[J];
    if (!R.Ok) {
      Fallback[I] = true;
      ++Stats.ParseFailures;
      Notes.push_back(Files[I].RelPath + ": could not be parsed (" + R.Error +
                      "); lexer result used");
      continue;
    }
    merge(R);
  }

  // Candidate headers no parsed translation unit included (header-only code, or
  // included only by files without candidates): parsed on their own; those that do not
  // parse alone (they rely on what their includer declared first) use the lexer result.
  std::vector<size_t> Alone;
  std::vector<ParseJob> HeaderJobs;
  for (size_t I = 0; I < Files.size(); ++I) {
    if (!isHeaderPath(Files[I].Path))
      continue;
    if (Covered.count(Canon[I])) {
      ++Stats.HeadersViaTUs;
      continue;
    }
    Alone.push_back(I);
    HeaderJobs.push_back(jobFor(Canon[I], RootOf[I], Notes));
  }
  std::vector<TUResult> HeaderResults = parseAll(HeaderJobs);
  for (size_t J = 0; J < HeaderJobs.size(); ++J) {
    size_t I = Alone[J];
    if (HeaderResults[J].Ok) {
      ++Stats.HeadersAlone;
      merge(HeaderResults[J]);
    } else {
      Fallback[I] = true;
      ++Stats.HeadersFallback;
    }
  }
  if (Stats.TranslationUnits)
    Notes.push_back(
        "C/C++/Objective-C: " + std::to_string(Stats.TranslationUnits) +
        " translation unit(s) with candidates parsed by Clang in " +
        llvm::formatv("{0:f2}", Stats.ParseSeconds).str() + " s (" +
        std::to_string(Stats.WithCompileDb) + " from compile_commands.json, " +
        std::to_string(Stats.ParseFailures) + " fell back to the lexer)");
  if (Stats.HeadersFallback)
    Notes.push_back(std::to_string(Stats.HeadersFallback) +
                    " C/C++ header(s) that no parsed translation unit includes and that do "
                    "not parse on their own: lexer result used");

  // Findings per file.
  struct FileWork {
    std::string Display;
    Language Lang = Language::Unknown;
    std::vector<RawHit *> Hits;
    std::vector<Finding> Lexer; ///< lexer findings kept (rules without AST equivalent)
  };
  std::map<std::string, FileWork> ByFile;
  for (size_t I = 0; I < Files.size(); ++I) {
    if (Fallback[I]) {
      for (Finding &F : Files[I].LexerFindings)
        Out.push_back(std::move(F));
      continue;
    }
    FileWork &W = ByFile[Canon[I]];
    W.Display = Files[I].RelPath;
    W.Lang = Files[I].Lang;
    for (Finding &F : Files[I].LexerFindings)
      if (!Replaced.count(F.RuleId))
        W.Lexer.push_back(std::move(F));
  }
  for (auto &[Key, H] : Hits) {
    const std::string &File = std::get<0>(Key);
    auto In = InputIndex.find(File);
    if (In != InputIndex.end() && Fallback[In->second])
      continue; // a header no parsed TU… cannot happen; a failed TU: lexer result
    auto It = ByFile.find(File);
    if (It == ByFile.end()) {
      // A file that did not pass the prefilter but holds a hit (a header whose URL
      // the including TU completes): reported when it is under a scan root.
      std::string Display;
      for (const std::string &Root : Roots)
        if (!(Display = relativeTo(File, Root)).empty())
          break;
      if (Display.empty())
        continue;
      FileWork W;
      W.Display = Display;
      W.Lang = detectLanguage(Display, "");
      if (W.Lang == Language::Unknown)
        W.Lang = Language::Cpp;
      It = ByFile.emplace(File, std::move(W)).first;
    }
    It->second.Hits.push_back(&H);
  }

  auto displayOf = [&](const std::string &File) -> std::string {
    auto It = ByFile.find(File);
    if (It != ByFile.end())
      return It->second.Display;
    for (const std::string &Root : Roots) {
      std::string D = relativeTo(File, Root);
      if (!D.empty())
        return D;
    }
    return File;
  };

  for (auto &[File, W] : ByFile) {
    std::vector<Finding> FileFindings;
    // The file's text, read once, when a hit or an env-var lexer finding needs it.
    bool NeedsText = !W.Hits.empty() ||
                     llvm::any_of(W.Lexer, [](const Finding &F) {
                       return F.RuleId == "zoho-authtoken-env-var";
                     });
    std::unique_ptr<llvm::MemoryBuffer> Buf;
    if (NeedsText) {
      auto B = llvm::MemoryBuffer::getFile(File, /*IsText=*/false,
                                           /*RequiresNullTerminator=*/false);
      if (B)
        Buf = std::move(*B);
      else
        Notes.push_back(W.Display + ": cannot be read for reporting");
    }
    if (!W.Hits.empty()) {
      if (Buf) {
        llvm::StringRef Text = Buf->getBuffer();
        FindingBuilder FB(Rules, Opts, W.Display, W.Lang, Text);
        std::map<std::pair<size_t, std::string>, const RawHit *> HitOf;
        std::set<const RawHit *> DeadHits; ///< fixes of retired endpoints, dropped
        for (const RawHit *H : W.Hits) {
          const Rule *R = Rules.find(H->RuleId);
          if (!R || H->Offset + H->Length > Text.size())
            continue;
          Finding F = FB.make(*R, H->Offset, H->Offset + H->Length,
                              H->Product.empty() ? nullptr : Rules.Cat.product(H->Product),
                              H->Dc);
          if (FB.suppressed(*R, F.Begin.Line))
            continue;
          F.Fixable = !H->Edits.empty();
          F.FixNote = !H->Note.empty() ? H->Note : defaultFixNote(H->RuleId);
          // A call to an endpoint that died with the authtoken (CRM v1, …) is ported by a
          // person, not patched: no fix, for `fix` and `--export-fixes` alike.
          if (F.Fixable && FO.RetiredEndpoint) {
            auto lineOf = [&](size_t Off) {
              Off = std::min(Off, Text.size());
              size_t B = Off ? Text.rfind('\n', Off - 1) : llvm::StringRef::npos;
              B = B == llvm::StringRef::npos ? 0 : B + 1;
              size_t E = Text.find('\n', Off);
              return Text.slice(B, E == llvm::StringRef::npos ? Text.size() : E).str();
            };
            std::string Seen = lineOf(F.Offset);
            for (const RawEdit &E : H->Edits)
              if (E.Length && E.File == File)
                Seen += "\n" + lineOf(E.Offset);
            std::string Dead = FO.RetiredEndpoint(Seen);
            if (!Dead.empty()) {
              F.Fixable = false;
              F.FixNote = "no automatic fix: " + Dead;
              DeadHits.insert(H);
            }
          }
          HitOf[{F.Offset, F.RuleId}] = H;
          FileFindings.push_back(std::move(F));
        }
        FB.finish(FileFindings);
        for (const Finding &F : FileFindings) {
          const RawHit *H = HitOf[{F.Offset, F.RuleId}];
          if (!H || H->Edits.empty() || DeadHits.count(H))
            continue;
          FindingFix Fx;
          Fx.RuleId = F.RuleId;
          Fx.Message = F.Message;
          Fx.Path = File;
          Fx.DisplayPath = W.Display;
          Fx.Offset = F.Offset;
          Fx.Fingerprint = F.Fingerprint;
          Fx.Note = F.FixNote;
          std::set<std::string> CallsHelper;
          for (const RawEdit &E : H->Edits) {
            Fx.Edits.push_back({E.File, displayOf(E.File), E.Offset, E.Length, E.Text});
            if (llvm::StringRef(E.Text).contains("zoho_oauth"))
              CallsHelper.insert(E.File);
          }
          // The helper's #include in each file whose edits call it (identical edits in
          // every fix of that file).
          bool Ok = true;
          for (const std::string &EF : CallsHelper) {
            std::optional<TextEdit> Inc = includeEdit(EF, displayOf(EF));
            if (!Inc) {
              Ok = false;
              break;
            }
            if (!Inc->Text.empty())
              Fx.Edits.push_back(*Inc);
          }
          if (!Ok)
            continue;
          Fixes.push_back(std::move(Fx));
        }
      }
    }
    // Lexer findings of the rules without an AST equivalent; one finding per place.
    // An upper-case ZOHO_AUTHTOKEN in parsed code is a macro or a constant, not an
    // environment variable: its definition is the hard-coded detector's business.
    // getenv("ZOHO_AUTHTOKEN") (a string) stays.
    std::optional<SpanMap> Spans;
    auto inString = [&](const Finding &L) {
      if (!Spans)
        Spans = Buf ? lex(W.Lang, Buf->getBuffer()) : SpanMap();
      return Spans->kindAt(L.Offset) == SpanKind::String;
    };
    for (Finding &L : W.Lexer) {
      if (L.RuleId == "zoho-authtoken-env-var" && !inString(L))
        continue;
      bool Overlaps = false;
      for (const Finding &F : FileFindings)
        if (L.Offset < F.Offset + F.Length && F.Offset < L.Offset + L.Length)
          Overlaps = true;
      if (!Overlaps)
        FileFindings.push_back(std::move(L));
    }
    for (Finding &F : FileFindings)
      Out.push_back(std::move(F));
  }
  std::stable_sort(Fixes.begin(), Fixes.end(), [](const FindingFix &A, const FindingFix &B) {
    return std::tie(A.DisplayPath, A.Offset, A.RuleId) <
           std::tie(B.DisplayPath, B.Offset, B.RuleId);
  });
}

llvm::Error ClangFrontend::writeExportFixes(const std::string &Path) const {
  tooling::TranslationUnitDiagnostics TUD;
  TUD.MainSourceFile = P->MainSourceFile;
  llvm::SmallString<256> Cwd;
  llvm::sys::fs::current_path(Cwd);
  // clang-apply-replacements keeps identical insertions of different diagnostics twice:
  // an edit that several fixes share (the list a handle's requests share, the #include)
  // goes into the first of them only. Every fix is applied, so the file gets it once.
  std::set<std::tuple<std::string, size_t, size_t, std::string>> Written;
  for (const FindingFix &Fx : P->Fixes) {
    tooling::DiagnosticMessage Msg(Fx.Message + " Fix: " + Fx.Note);
    Msg.FilePath = Fx.Path;
    Msg.FileOffset = Fx.Offset;
    for (const TextEdit &E : Fx.Edits) {
      if (!Written.insert({E.Path, E.Offset, E.Length, E.Text}).second)
        continue;
      tooling::Replacement R(E.Path, E.Offset, E.Length, E.Text);
      if (llvm::Error Err = Msg.Fix[E.Path].add(R))
        return llvm::createStringError(std::errc::invalid_argument,
                                       "%s: conflicting edits in the fix for %s: %s",
                                       Fx.DisplayPath.c_str(), Fx.RuleId.c_str(),
                                       llvm::toString(std::move(Err)).c_str());
    }
    TUD.Diagnostics.emplace_back(Fx.RuleId, Msg, llvm::SmallVector<tooling::DiagnosticMessage, 1>(),
                                 tooling::Diagnostic::Warning, Cwd.str());
  }
  std::string Yaml;
  {
    llvm::raw_string_ostream OS(Yaml);
    llvm::yaml::Output YOut(OS);
    YOut << TUD;
  }
  // Read it back: clang-apply-replacements skips malformed files without a word.
  {
    tooling::TranslationUnitDiagnostics Back;
    llvm::yaml::Input YIn(Yaml);
    YIn >> Back;
    if (YIn.error() || Back.Diagnostics.size() != TUD.Diagnostics.size())
      return llvm::createStringError(std::errc::invalid_argument,
                                     "%s: the exported fixes do not read back", Path.c_str());
  }
  // Atomically (core/AtomicWrite.h); the missing
  // directories (`--export-fixes fixes/zoho.yaml`) are created first.
  llvm::SmallString<256> Abs(Path);
  llvm::sys::fs::make_absolute(Abs);
  llvm::StringRef Dir = llvm::sys::path::parent_path(Abs);
  if (std::error_code EC = llvm::sys::fs::create_directories(Dir))
    return llvm::createStringError(EC, "%s: cannot create the directory %s: %s", Path.c_str(),
                                   Dir.str().c_str(), EC.message().c_str());
  // Through the shared writer: temporary file registered for removal on SIGINT/SIGTERM,
  // stream errors checked, renamed over the target.
  return writeFileAtomically(Abs, Yaml);
}

} // namespace atm
