#include "scan/Scanner.h"

#include <algorithm>
#include <chrono>
#include <atomic>
#include <cstring>
#include <deque>
#include <optional>
#include <mutex>
#include <unistd.h>

#include "core/LineHash.h"
#include "core/Text.h"
#include "core/Timings.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Regex.h"
#include "llvm/Support/ThreadPool.h"
#include "llvm/Support/Threading.h"

namespace atm {

namespace {
struct FileOutcome {
  std::vector<Finding> Findings;
  std::string Language;
  std::string Extension; ///< Generic files only
  std::string Problem;
  unsigned Suppressed = 0;
  /// --report-unused-suppressions: one finding per marker, kept if it silenced nothing.
  std::vector<Finding> Markers;
  enum Kind { Scanned, Rejected, Binary, Unreadable, Unknown, BaselineFile, TooLarge } K = Unknown;
  bool InvalidUtf8 = false;
  /// Rejected, small, read whole, and the word `authtoken` occurs (BatchFrontend::Input).
  bool MentionsAuthtoken = false;
  uint64_t Bytes = 0;
};

/// A growable byte buffer that, unlike std::vector, does not zero-fill what it grows:
/// every byte is overwritten by read() anyway, and clearing pages costs page faults.
struct ReadBuffer {
  std::unique_ptr<char[]> Data;
  size_t Capacity = 0;
  size_t Size = 0;
  void reserve(size_t N) {
    if (N <= Capacity)
      return;
    size_t NewCap = std::max(N, Capacity * 2);
    std::unique_ptr<char[]> New(new char[NewCap]);
    if (Size)
      std::memcpy(New.get(), Data.get(), Size);
    Data = std::move(New);
    Capacity = NewCap;
  }
};

/// The binary sniff looks at this many leading bytes.
constexpr size_t SniffBytes = 8192;
/// Files up to this size are read whole in one read (the sniff looks at its head); a
/// binary one costs at most this much reading.
constexpr size_t SmallFileBytes = 64u << 10;
/// A per-thread buffer grown beyond this by one huge file is released after it.
constexpr size_t KeepBufferBytes = 64u << 20;
/// Files up to this size are read whole at once; a larger one is read in chunks of this
/// size while the prefilter finds nothing in it (the chunks stay in the core's cache).
constexpr size_t ChunkBytes = 256u << 10;

bool looksBinary(llvm::StringRef Text) {
  llvm::StringRef Head = Text.take_front(SniffBytes);
  return std::memchr(Head.data(), '\0', Head.size()) != nullptr;
}

/// A file read in steps into a ReadBuffer: the head first (binary sniff included), then
/// either the rest (the whole text) or, for a large file the prefilter may reject,
/// chunk by chunk through the same small buffer, so that a large file without a
/// literal is never held whole (no copy into a buffer larger than the caches, and no
/// page faults growing one).
class TextFileReader {
public:
  TextFileReader(ReadBuffer &Out) : Out(Out) {}
  ~TextFileReader() {
    // A plain close(2): LLVM's closeFile masks and restores every signal around it,
    // two more system calls per file, for a descriptor no other thread can see.
    if (Open)
      ::close(FD);
  }

  /// Opens \p Path and reads its head: at most \p HeadBytes (the whole file when it is
  /// no larger), stopping after the sniff when it is binary. With \p MaxSize (not 0),
  /// a file larger than that is not read: \p TooLarge is set.
  std::error_code openAndReadHead(const std::string &Path, size_t HeadBytes, bool &Binary,
                                  uint64_t MaxSize = 0, bool *TooLarge = nullptr) {
    Binary = false;
    auto F = llvm::sys::fs::openNativeFileForRead(Path);
    if (!F)
      return llvm::errorToErrorCode(F.takeError());
    FD = *F;
    Open = true;
    llvm::sys::fs::file_status St;
    std::error_code EC = llvm::sys::fs::status(FD, St);
    Expected = EC ? 0 : St.getSize();
    if (!EC && MaxSize && TooLarge && St.getSize() > MaxSize) {
      *TooLarge = true;
      return {};
    }
    Out.Size = 0;
    if (!EC && Expected <= SmallFileBytes && HeadBytes > Expected) {
      // A small file in one read, sniff included: a byte more than its size is asked
      // for, so a read that stops at exactly the size has reached the end (no further
      // read of 0 bytes to learn it). Otherwise (it grew, or the read was short) the
      // reads below go on as for any file.
      Out.reserve(Expected + 1);
      if ((EC = readOnce(Expected + 1)))
        return EC;
      if (!AtEnd && Out.Size == Expected)
        AtEnd = true;
      if (looksBinary(llvm::StringRef(Out.Data.get(), Out.Size))) {
        Binary = true;
        Out.Size = std::min(Out.Size, SniffBytes); // what the sniff looked at
        return {};
      }
      return fill(HeadBytes);
    }
    Out.reserve(std::min(Expected, SniffBytes) + 1);
    if ((EC = fill(SniffBytes)))
      return EC;
    if (looksBinary(llvm::StringRef(Out.Data.get(), Out.Size))) {
      Binary = true;
      return {};
    }
    Out.reserve(std::min<size_t>(Expected, HeadBytes) + 1);
    return fill(HeadBytes);
  }

  /// True once the end of the file was reached: the buffer holds the whole text (or,
  /// after nextChunk(), the last chunk).
  bool complete() const { return AtEnd; }

  /// Reads the rest: the buffer then holds the whole text.
  std::error_code readRest() {
    Out.reserve(std::max<size_t>(Expected, Out.Size) + 1);
    while (!AtEnd) {
      if (Out.Size == Out.Capacity)
        Out.reserve(Out.Capacity + 65536); // the file grew
      if (std::error_code EC = fill(Out.Capacity))
        return EC;
    }
    return {};
  }

  /// Keeps the last \p Overlap bytes of the buffer and appends up to \p ChunkBytes
  /// more; the bytes dropped are counted in bytesRead().
  std::error_code nextChunk(size_t Overlap, size_t ChunkBytes) {
    size_t Keep = std::min(Overlap, Out.Size);
    std::memmove(Out.Data.get(), Out.Data.get() + Out.Size - Keep, Keep);
    Dropped += Out.Size - Keep;
    Out.Size = Keep;
    Out.reserve(Keep + ChunkBytes + 1);
    return fill(Keep + ChunkBytes);
  }

  /// Reads the whole file again from its start (after nextChunk() found a literal).
  std::error_code rereadWhole() {
    Out.Size = 0;
    Dropped = 0;
    Pos = 0;
    AtEnd = false;
    return readRest();
  }

  /// Bytes read so far, counting the chunks already dropped.
  uint64_t bytesRead() const { return Dropped + Out.Size; }

private:
  ReadBuffer &Out;
  llvm::sys::fs::file_t FD{};
  bool Open = false;
  bool AtEnd = false;
  size_t Expected = 0;
  uint64_t Dropped = 0;
  uint64_t Pos = 0; ///< the file offset of the next read

  /// Reads until the buffer holds \p Upto bytes or the file ends.
  std::error_code fill(size_t Upto) {
    while (!AtEnd && Out.Size < Upto) {
      if (Out.Size == Out.Capacity)
        Out.reserve(Out.Capacity + 65536); // the file grew, or its size was unknown
      if (std::error_code EC = readOnce(Upto))
        return EC;
    }
    return {};
  }

  /// One read towards \p Upto bytes in the buffer (which has room for at least one).
  std::error_code readOnce(size_t Upto) {
    size_t Want = std::min(Out.Capacity, Upto) - Out.Size;
    auto N = llvm::sys::fs::readNativeFileSlice(
        FD, llvm::MutableArrayRef<char>(Out.Data.get() + Out.Size, Want), Pos);
    if (!N)
      return llvm::errorToErrorCode(N.takeError());
    if (*N == 0)
      AtEnd = true;
    Out.Size += *N;
    Pos += *N;
    return {};
  }
};

/// Reads \p Path whole into \p Out (binary files only up to the sniff).
std::error_code readTextFile(const std::string &Path, ReadBuffer &Out, bool &Binary) {
  TextFileReader R(Out);
  std::error_code EC = R.openAndReadHead(Path, SIZE_MAX, Binary);
  if (!EC && !Binary)
    EC = R.readRest();
  return EC;
}
} // namespace

bool isBaselineFile(llvm::StringRef Text) {
  llvm::StringRef Head = Text.take_front(4096).ltrim(" \t\r\n\xEF\xBB\xBF");
  if (!Head.startswith("{") || !Head.contains("authtoken-migrate"))
    return false;
  static const llvm::Regex Tool("\"tool\"[[:space:]]*:[[:space:]]*\"authtoken-migrate\"");
  static const llvm::Regex Version("\"version\"[[:space:]]*:");
  return Tool.match(Head) && Version.match(Head);
}

namespace {
void setScopes(const RuleSet &Rules, llvm::StringRef Text, std::vector<Finding>::iterator B,
               std::vector<Finding>::iterator E);

} // namespace

FileResult scanBuffer(const RuleEngine &Engine, llvm::StringRef DisplayPath,
                      llvm::StringRef Text, Language L) {
  if (L == Language::Unknown)
    L = detectLanguage(DisplayPath, Text.take_front(4096));
  if (L == Language::Unknown)
    return {};
  FileResult FR = Engine.scan(DisplayPath, L, Text);
  setScopes(Engine.rules(), Text, FR.Findings.begin(), FR.Findings.end());
  return FR;
}

namespace {
/// Sets each finding's GitHub line hash from its file's text.
void setLineHashes(llvm::StringRef Text, std::vector<Finding>::iterator B,
                   std::vector<Finding>::iterator E) {
  std::vector<unsigned> Lines;
  for (auto It = B; It != E; ++It)
    Lines.push_back(It->Begin.Line);
  auto Hashes = primaryLocationLineHashes(Text, Lines);
  for (auto It = B; It != E; ++It) {
    auto H = Hashes.find(It->Begin.Line);
    if (H != Hashes.end())
      It->LineHash = H->second;
  }
}

/// Sets each finding's OAuth scopes from the request text around it (core/Scopes.h).
void setScopes(const RuleSet &Rules, llvm::StringRef Text, std::vector<Finding>::iterator B,
               std::vector<Finding>::iterator E) {
  if (Rules.Scopes.empty() || B == E)
    return;
  LineIndex Lines(Text);
  for (auto It = B; It != E; ++It)
    Rules.Scopes.fill(*It, Text, Lines);
}
} // namespace

namespace {
void sortFindings(std::vector<Finding> &Findings) {
  std::stable_sort(Findings.begin(), Findings.end(), [](const Finding &A, const Finding &B) {
    return std::tie(A.Path, A.Begin.Line, A.Begin.Column, A.RuleId) <
           std::tie(B.Path, B.Begin.Line, B.Begin.Column, B.RuleId);
  });
}

/// Appends the marker findings whose marker matched no finding.
void keepUnusedMarkers(std::vector<Finding> &Markers, const EngineOptions &Engine,
                       std::vector<Finding> &Out) {
  for (Finding &F : Markers)
    if (!Engine.Suppressions || !Engine.Suppressions->wasUsed(F.Path, F.Begin.Line))
      Out.push_back(std::move(F));
  Markers.clear();
}

/// Notes about malformed markers (the engine's and the front ends').
void takeSuppressionNotes(const EngineOptions &Engine, ScanStats &Stats) {
  if (Engine.Suppressions)
    for (std::string &N : Engine.Suppressions->takeNotes())
      Stats.Notes.push_back(std::move(N));
}
} // namespace

ScanResult runScan(const RuleSet &Rules, const ScanOptions &Opts) {
  auto Start = std::chrono::steady_clock::now();
  ScanResult Res;
  if (Opts.StdinText) {
    RuleEngine Engine(Rules, Opts.Engine);
    llvm::StringRef Text(*Opts.StdinText);
    Res.Stats.Bytes = Text.size();
    Language L = detectLanguage(Opts.StdinPath, Text.take_front(4096));
    if (L == Language::Unknown) {
      ++Res.Stats.UnknownLanguage;
    } else if (Text.take_front(8192).contains('\0')) {
      ++Res.Stats.Binary;
    } else {
      ++Res.Stats.FilesSeen;
      ++Res.Stats.FilesByLanguage[languageName(L).str()];
      if (L == Language::Generic)
        ++Res.Stats.GenericByExtension[genericExtension(Opts.StdinPath)];
      FileResult FR = Engine.scan(Opts.StdinPath, L, Text);
      if (FR.PrefilterRejected)
        ++Res.Stats.PrefilterRejected;
      else
        ++Res.Stats.FilesScanned;
      Res.Stats.Suppressed += FR.Suppressed;
      Res.Stats.InvalidUtf8 += !FR.PrefilterRejected && !isValidUtf8(Text);
      Res.Findings = std::move(FR.Findings);
      setLineHashes(Text, Res.Findings.begin(), Res.Findings.end());
      setScopes(Rules, Text, Res.Findings.begin(), Res.Findings.end());
    }
    if (Opts.ReportUnusedSuppressions && L != Language::Unknown &&
        !Text.take_front(8192).contains('\0')) {
      FindingBuilder FB(Rules, Opts.Engine, Opts.StdinPath, L, Text);
      std::vector<Finding> Markers = FB.suppressionMarkerFindings();
      setLineHashes(Text, Markers.begin(), Markers.end());
      keepUnusedMarkers(Markers, Opts.Engine, Res.Findings);
      sortFindings(Res.Findings);
    }
    takeSuppressionNotes(Opts.Engine, Res.Stats);
    Res.Stats.Seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - Start).count();
    return Res;
  }
  DiscoverStats DS;
  RuleEngine Engine(Rules, Opts.Engine);
  std::mutex ProgressMu;
  size_t Done = 0;
  std::atomic<size_t> Discovered{0};
  // A front end that reads rejected files (the syntax front end's repository context)
  // learns which small ones mention `authtoken`.
  std::vector<char> WantsRejectedOf(static_cast<size_t>(Language::Unknown) + 1, 0);
  for (BatchFrontend *FE : Opts.Frontends)
    if (FE->wantsRejected())
      for (size_t K = 0; K < WantsRejectedOf.size(); ++K)
        WantsRejectedOf[K] |= FE->handles(static_cast<Language>(K));
  auto WantsRejected = [&](Language L) {
    return static_cast<size_t>(L) < WantsRejectedOf.size() && WantsRejectedOf[static_cast<size_t>(L)];
  };
  auto Work = [&](const DiscoveredFile &DF, FileOutcome &O) {
    // read() into a per-thread buffer: mapping and unmapping every file costs TLB
    // shootdowns across cores, and most files are rejected after one pass.
    thread_local ReadBuffer Buffer;
    bool Binary = false, TooLarge = false;
    TextFileReader Reader(Buffer);
    std::error_code EC = Reader.openAndReadHead(
        DF.Path, ChunkBytes, Binary, DF.SizeKnown ? 0 : Opts.Discover.MaxFileSize, &TooLarge);
    if (EC) {
      O.K = FileOutcome::Unreadable;
      O.Problem = DF.RelPath + ": cannot read: " + EC.message();
    } else if (TooLarge) {
      O.K = FileOutcome::TooLarge;
    } else {
      // Lone '\r' line ends become '\n' (same length; see Text.h) in what is analysed
      // line by line: the sniffer's head (a copy, when it holds a '\r') and the whole text
      // of a file the prefilter lets through (the literal check needs no line ends, and
      // most files stop there).
      llvm::StringRef Text(Buffer.Data.get(), Buffer.Size);
      O.Bytes = Text.size();
      if (Binary) {
        O.K = FileOutcome::Binary;
      } else {
        llvm::StringRef Head = Text.take_front(4096);
        std::string HeadCopy;
        if (Head.contains('\r')) {
          HeadCopy = Head.str();
          normalizeLoneCarriageReturns(HeadCopy);
          Head = HeadCopy;
        }
        Language L = detectLanguage(DF.RelPath, Head);
        if (L == Language::Unknown) {
          O.K = FileOutcome::Unknown;
        } else if (isBaselineFile(Text)) {
          O.K = FileOutcome::BaselineFile; // its snippets are the findings it lists
        } else {
          O.Language = languageName(L).str();
          if (L == Language::Generic)
            O.Extension = genericExtension(DF.RelPath);
          bool Rejected = false;
          if (!Reader.complete()) {
            // A large file: chunk by chunk while the prefilter finds nothing (the
            // chunks overlap by the longest literal less one byte), read whole once it
            // finds something. Suppression markers are looked for in rejected files
            // too, so --report-unused-suppressions reads every file whole.
            std::optional<size_t> Overlap = Engine.chunkOverlap(L, DF.RelPath);
            if (Overlap && !Opts.ReportUnusedSuppressions) {
              bool Hit = Engine.mayMatchChunk(Text, L, DF.RelPath);
              while (!EC && !Hit && !Reader.complete()) {
                EC = Reader.nextChunk(*Overlap, ChunkBytes);
                Hit = Engine.mayMatchChunk(llvm::StringRef(Buffer.Data.get(), Buffer.Size), L,
                                             DF.RelPath);
              }
              if (!EC && Hit)
                EC = Reader.rereadWhole();
              Rejected = !Hit;
            } else {
              EC = Reader.readRest();
            }
            Text = llvm::StringRef(Buffer.Data.get(), Buffer.Size);
            O.Bytes = Reader.bytesRead();
          }
          if (EC) {
            O.K = FileOutcome::Unreadable;
            O.Problem = DF.RelPath + ": cannot read: " + EC.message();
            O.Language.clear();
            O.Extension.clear();
          } else if (Rejected || !Engine.mayMatch(Text, L, DF.RelPath)) {
            // The cheap literal check first: most files never reach the lexer.
            O.K = FileOutcome::Rejected;
            if (!Rejected && Opts.ReportUnusedSuppressions) // its markers' lines, below
              normalizeForAnalysis(DF.RelPath, Buffer.Data.get(), Buffer.Size);
            if (!Rejected && Text.size() <= MaxRepoContextBytes && WantsRejected(L))
              O.MentionsAuthtoken = mentionsAuthtokenWord(Text);
          } else {
            normalizeForAnalysis(DF.RelPath, Buffer.Data.get(), Buffer.Size);
            auto T0 = std::chrono::steady_clock::now();
            FileResult FR = Engine.scan(DF.RelPath, L, Text);
            if (timingFiles())
              timingFile(DF.RelPath, "rules",
                         std::chrono::duration<double, std::milli>(
                             std::chrono::steady_clock::now() - T0)
                             .count());
            O.K = FR.PrefilterRejected ? FileOutcome::Rejected : FileOutcome::Scanned;
            if (O.K == FileOutcome::Scanned)
              for (BatchFrontend *FE : Opts.Frontends)
                if (FE->handles(L))
                  FE->prepare(L, DF.RelPath, Text, !FR.Findings.empty());
            O.Findings = std::move(FR.Findings);
            setLineHashes(Text, O.Findings.begin(), O.Findings.end());
            setScopes(Rules, Text, O.Findings.begin(), O.Findings.end());
            O.Suppressed = FR.Suppressed;
            if (O.K == FileOutcome::Scanned && !isValidUtf8(Text))
              O.InvalidUtf8 = true;
          }
          // Markers are looked for in every file read, also those the prefilter
          // rejected: a marker there silences nothing (unless a front end that reads
          // rejected files finds something on its line).
          if (!EC && Opts.ReportUnusedSuppressions && mayHoldSuppressionMarker(Text)) {
            FindingBuilder FB(Rules, Opts.Engine, DF.RelPath, L, Text);
            O.Markers = FB.suppressionMarkerFindings();
            setLineHashes(Text, O.Markers.begin(), O.Markers.end());
          }
        }
      }
    }
    if (Buffer.Capacity > KeepBufferBytes)
      Buffer = ReadBuffer(); // one huge file must not pin its size for the whole scan
    if (Opts.Progress) {
      std::lock_guard<std::mutex> Lock(ProgressMu);
      Opts.Progress(++Done, Discovered.load());
    }
  };
  // Files are read while the walk goes on: the walk is one thread's work, and the
  // reads need not wait for it. A deque keeps each element where it is while the walk
  // appends (the workers hold references).
  std::deque<DiscoveredFile> Stream;
  std::deque<FileOutcome> StreamOut;
  unsigned Jobs = Opts.Jobs ? Opts.Jobs : llvm::hardware_concurrency().compute_thread_count();
  std::optional<llvm::ThreadPool> Pool;
  if (Jobs > 1)
    Pool.emplace(llvm::hardware_concurrency(Jobs));
  discoverFiles(Opts.Paths, Opts.Discover, DS, [&](const DiscoveredFile &DF) {
    Stream.push_back(DF);
    StreamOut.emplace_back();
    ++Discovered;
    const DiscoveredFile *F = &Stream.back();
    FileOutcome *O = &StreamOut.back();
    if (Pool)
      Pool->async([&Work, F, O] { Work(*F, *O); });
    else
      Work(*F, *O);
  });
  timingPhase("discovered");
  // discoverFiles' order (by RelPath, each path once), which the rest relies on: sorted
  // while the workers read (the walk is over, so the paths are all there; this thread
  // only reads them, as the workers do).
  std::vector<size_t> Order(Stream.size());
  for (size_t I = 0; I < Order.size(); ++I)
    Order[I] = I;
  std::stable_sort(Order.begin(), Order.end(), [&](size_t A, size_t B) {
    return Stream[A].RelPath < Stream[B].RelPath;
  });
  timingPhase("discovered: sorted");
  if (Pool)
    Pool->wait();
  Res.Stats.Ignored = DS.Ignored;
  Res.Stats.TooLarge = DS.TooLarge;
  Res.Stats.Symlinks = DS.Symlinks;
  Res.Stats.Unreadable = DS.Unreadable;
  Res.Stats.Problems = DS.Problems;
  timingPhase("lexer pass: workers done");
  std::vector<DiscoveredFile> Files;
  std::vector<FileOutcome> Out;
  Files.reserve(Order.size());
  Out.reserve(Order.size());
  for (size_t I : Order) {
    if (!Files.empty() && Files.back().RelPath == Stream[I].RelPath)
      continue; // reached twice through several roots: scanned twice, counted once
    Files.push_back(std::move(Stream[I]));
    Out.push_back(std::move(StreamOut[I]));
  }
  Stream.clear();
  StreamOut.clear();
  timingPhase("lexer pass");
  timingFilesReport(15);

  // Batch front ends take over the candidate files of their languages.
  std::vector<bool> TakenOver(Out.size(), false);
  for (BatchFrontend *FE : Opts.Frontends) {
    std::vector<BatchFrontend::Input> In;
    std::vector<size_t> Index;
    for (size_t I = 0; I < Out.size(); ++I) {
      bool Rejected = Out[I].K == FileOutcome::Rejected && FE->wantsRejected();
      if ((Out[I].K != FileOutcome::Scanned && !Rejected) || TakenOver[I])
        continue;
      auto L = parseLanguage(Out[I].Language);
      if (!L || !FE->handles(*L))
        continue;
      In.push_back({Files[I].Path, Files[I].RelPath, *L, std::move(Out[I].Findings), !Rejected});
      In.back().MentionsAuthtoken = Out[I].MentionsAuthtoken;
      Out[I].Findings.clear();
      TakenOver[I] = true;
      Index.push_back(I);
    }
    if (In.empty())
      continue;
    std::vector<Finding> FEOut;
    FE->run(In, FEOut, Res.Stats.Notes);
    timingPhase("front end");
    timingFilesReport(15);
    // Front-end findings may name files the walk never read (headers): hash each file
    // with findings once, read through its display path under the root.
    std::stable_sort(FEOut.begin(), FEOut.end(),
                     [](const Finding &A, const Finding &B) { return A.Path < B.Path; });
    // One file per task, on the lexer pass's threads (each task writes its own range).
    auto Hash = [&](std::vector<Finding>::iterator B, std::vector<Finding>::iterator E) {
      std::string Open = B->Path;
      auto Known = std::lower_bound(Files.begin(), Files.end(), B->Path,
                                    [](const DiscoveredFile &D, const std::string &P) {
                                      return D.RelPath < P;
                                    });
      if (Known != Files.end() && Known->RelPath == B->Path)
        Open = Known->Path;
      else if (!Opts.Discover.Root.empty())
        Open = Opts.Discover.Root + "/" + B->Path;
      thread_local ReadBuffer Buffer;
      bool Binary = false;
      if (!readTextFile(Open, Buffer, Binary) && !Binary) {
        normalizeForAnalysis(B->Path, Buffer.Data.get(), Buffer.Size); // as the front ends saw it
        llvm::StringRef Text(Buffer.Data.get(), Buffer.Size);
        setLineHashes(Text, B, E);
        setScopes(Rules, Text, B, E);
      }
      if (Buffer.Capacity > KeepBufferBytes)
        Buffer = ReadBuffer();
    };
    for (auto B = FEOut.begin(); B != FEOut.end();) {
      auto E = std::find_if(B, FEOut.end(), [&](const Finding &F) { return F.Path != B->Path; });
      if (Pool)
        Pool->async([&Hash, B, E] { Hash(B, E); });
      else
        Hash(B, E);
      B = E;
    }
    if (Pool)
      Pool->wait();
    for (Finding &F : FEOut)
      Res.Findings.push_back(std::move(F));
    timingPhase("front-end findings hashed");
  }

  for (FileOutcome &O : Out) {
    switch (O.K) {
    case FileOutcome::Scanned:
      ++Res.Stats.FilesScanned;
      ++Res.Stats.FilesSeen;
      break;
    case FileOutcome::Rejected:
      ++Res.Stats.PrefilterRejected;
      ++Res.Stats.FilesSeen;
      break;
    case FileOutcome::Binary:
      ++Res.Stats.Binary;
      break;
    case FileOutcome::Unreadable:
      ++Res.Stats.Unreadable;
      Res.Stats.Problems.push_back(O.Problem);
      break;
    case FileOutcome::Unknown:
      ++Res.Stats.UnknownLanguage;
      break;
    case FileOutcome::BaselineFile:
      ++Res.Stats.Ignored;
      break;
    case FileOutcome::TooLarge:
      ++Res.Stats.TooLarge;
      break;
    }
    if (!O.Language.empty())
      ++Res.Stats.FilesByLanguage[O.Language];
    if (!O.Extension.empty())
      ++Res.Stats.GenericByExtension[O.Extension];
    Res.Stats.InvalidUtf8 += O.InvalidUtf8;
    Res.Stats.Suppressed += O.Suppressed;
    Res.Stats.Bytes += O.Bytes;
    for (Finding &F : O.Findings)
      Res.Findings.push_back(std::move(F));
    // After the front ends ran: they record the markers they used too.
    keepUnusedMarkers(O.Markers, Opts.Engine, Res.Findings);
  }
  timingPhase("outcomes counted");
  takeSuppressionNotes(Opts.Engine, Res.Stats);
  sortFindings(Res.Findings);
  timingPhase("findings sorted");
  Res.Stats.Seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - Start).count();
  return Res;
}

} // namespace atm
