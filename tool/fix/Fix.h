#pragma once
/// \file
/// `authtoken-migrate fix`: findings + files -> fix plans -> edits -> per-file checks ->
/// new contents (and helper files), from which Diff.h prints a patch or `--write` writes.
///
///   planFixes(findings, files)         groups the findings by file, hands each file to the
///                                      LanguageFixer of its language, applies its edits
///                                      (overlaps: the later fix is dropped with a note),
///                                      re-parses the result (a file whose patch would add a
///                                      syntax error keeps its old content, every finding
///                                      left with that reason) and adds the helper file once
///                                      per directory that got edits needing it.
///
/// The contract every fixer keeps (issue 12, correctness item 4): an edit removes a legacy
/// credential only when the same edits give that request the `Authorization:
/// Zoho-oauthtoken …` header (through the generated helper); otherwise the finding is left
/// for a person with the reason. Fixers are registered in Fixers.cpp; recipes (call shapes
/// and edit templates) are data under rules/fix/ where that is natural.

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/Finding.h"
#include "core/TextEdit.h"
#include "fix/Diff.h"
#include "lang/Language.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

namespace atm::syntax {
class ParsedFiles;
} // namespace atm::syntax

namespace atm::fix {

class ProjectIndex;

struct FixOptions {
  /// Helper namespace per helper language ("python" -> "zoho_oauth"); missing = the
  /// helper's default (templates/<lang>/NAMESPACE).
  std::map<std::string, std::string> Namespaces;
  /// Deluge: the OAuth connection name invokeurl uses ("" = the helper's default).
  std::string Connection;
  /// Tool version written into generated helper headers.
  std::string ToolVersion;
  /// C, C++ and Objective-C: the fixes of the Clang front end's last run (ClangFrontend::
  /// fixes()), which CppFixer turns into this engine's edits; null when the front end did
  /// not run (its findings are then left with their FixNote).
  const std::vector<FindingFix> *ClangFixes = nullptr;
  /// The file names (not paths) in a root-relative directory (Go: the other files of a
  /// package the helper joins, checked for clashing names); unset = only the edited file
  /// is checked.
  std::function<std::vector<std::string>(llvm::StringRef Dir)> ListDir;
  /// Set by planFixes: the retired APIs (product, advice) of the whole set of files with
  /// findings (retiredApisOfFiles), the net under a file that names neither API itself.
  std::vector<std::pair<std::string, std::string>> RepoRetired;
  /// The trees and models the syntax front end kept while scanning (scan and fix pass
  /// SyntaxFrontendOptions::Keep): a file whose text and grammar match is not parsed
  /// again. Null: every file is parsed here.
  const syntax::ParsedFiles *Parsed = nullptr;
  /// Set by planFixes (with ListDir): the repository's function, method and class
  /// definitions by name (fix/ProjectIndex.h), built on first use, shared by every file.
  std::shared_ptr<const ProjectIndex> Index;
  /// Only the findings' outcomes are wanted (the scan's fix plan, which marks findings
  /// fixable): the helper files the edits need are not generated (FixResult::Helpers stays
  /// empty, and so do the notes about existing helper files).
  bool OutcomesOnly = false;
};

/// What happened to one finding.
enum class Outcome : uint8_t {
  Fixed,  ///< a complete edit: credential gone and the request has the OAuth header
  Manual, ///< left for a person (Reason says why)
};

struct FindingOutcome {
  const Finding *F = nullptr;
  Outcome O = Outcome::Manual;
  std::string Reason; ///< Manual: why no edit; Fixed: what the edit does (one line)
};

/// A generated helper file a fix needs (added to the patch as a new file).
struct HelperNeed {
  std::string Lang;      ///< helper language ("python", "javascript", "shell", …)
  std::string Directory; ///< root-relative directory it goes into ("" = the root)
  /// Go: the package the helper file joins (`zoho_oauth.go` of a directory without
  /// go.mod, HelperOptions::Package); "" = a package of its own.
  std::string Package;
};

/// What a LanguageFixer sees of one file and what it returns.
struct FileContext {
  llvm::StringRef Path; ///< display path (root-relative, '/')
  llvm::StringRef Text; ///< the whole content as scanned
  Language Lang = Language::Unknown;
  std::vector<const Finding *> Findings; ///< this file's findings, in text order
  const FixOptions *Opts = nullptr;
  /// True if a root-relative path exists (a package marker, a helper already there).
  std::function<bool(llvm::StringRef)> Exists;
  /// Reads a root-relative file (Go: the go.mod that gives the helper package's import
  /// path); may be empty.
  std::function<llvm::Expected<std::string>(llvm::StringRef)> Read;

  // -- filled in by the fixer --
  std::vector<TextEdit> Edits; ///< byte ranges of Text (Path fields may stay empty)
  /// One per finding of Findings (any order); a finding without one is left as Manual
  /// with "no recipe for this finding".
  std::vector<FindingOutcome> Outcomes;
  /// Which edits belong to which finding (index into Findings -> edit indices): lets the
  /// engine drop one finding's edits when they overlap another's. Edits not listed here
  /// (imports, set-up lines) are shared and kept when any finding they serve is kept.
  std::map<size_t, std::vector<size_t>> EditsOf;
  /// Helper files the edits rely on (the engine adds each once per directory).
  std::vector<HelperNeed> Helpers;
  /// Hard-coded token values seen (line numbers), for the revoke list.
  std::vector<unsigned> RevokeLines;

  /// Records \p E as an edit of finding \p Index and returns its index.
  size_t addEdit(size_t Index, TextEdit E);
  /// Records a shared edit (import, set-up line).
  size_t addSharedEdit(TextEdit E);
  void fixed(size_t Index, std::string What);
  void manual(size_t Index, std::string Why);
  /// The index of \p F in Findings.
  size_t indexOf(const Finding *F) const;
};

/// Rewrites the findings of one language family. Stateless; called from one thread.
class LanguageFixer {
public:
  virtual ~LanguageFixer() = default;
  virtual llvm::StringRef name() const = 0;
  virtual bool handles(Language L) const = 0;
  /// Whether this fixer takes the file \p Path of language \p L (default: handles(L)); a
  /// fixer may also claim files of other languages by name (JavaScript: browser code in
  /// .html, left for a person with its reason).
  virtual bool handlesFile(Language L, llvm::StringRef Path) const {
    (void)Path;
    return handles(L);
  }
  virtual void fix(FileContext &Ctx) const = 0;
};

/// The registered fixers (Fixers.cpp), loading their recipes on first use; an error names
/// the recipe file and line.
llvm::Expected<const std::vector<std::unique_ptr<LanguageFixer>> &> fixers();

/// Per file of a plan.
struct FileFix {
  std::string Path;       ///< display path
  std::string Old, New;   ///< New == Old when nothing changed
  Language Lang = Language::Unknown;
  std::vector<FindingOutcome> Findings;
  unsigned EditCount = 0;
  std::vector<unsigned> RevokeLines;
};

struct FixResult {
  std::vector<FileFix> Files;       ///< every file that had findings, in path order
  std::vector<FileChange> Helpers;  ///< new helper files (Path root-relative)
  /// Notes for the summary ("x.py: 2 edits overlapped, the second fix was dropped").
  std::vector<std::string> Notes;

  /// Every change to print or write: edited files then new helper files.
  std::vector<FileChange> changes() const;
  unsigned fixedCount() const;
  unsigned manualCount() const;
};

/// Reads a file's content by display path (the scanner's view of the tree).
using FileReader = std::function<llvm::Expected<std::string>(llvm::StringRef DisplayPath)>;
/// True if a root-relative path exists (a helper already added by an earlier run).
using FileExists = std::function<bool(llvm::StringRef DisplayPath)>;

/// \p Display (a root-relative display path) under the scan root \p Root.
std::string underRoot(llvm::StringRef Root, llvm::StringRef Display);
/// The files under the scan root \p Root on disk, as planFixes reads them (bytes as they
/// are; an error names the display path) and checks that they exist.
FileReader diskReader(std::string Root);
FileExists diskExists(std::string Root);

/// Plans the fixes of \p Findings (as `scan` reported them).
llvm::Expected<FixResult> planFixes(llvm::ArrayRef<Finding> Findings, const FileReader &Read,
                                    const FileExists &Exists, const FixOptions &Opts);

/// The helper file paths (root-relative) `helper --lang L` writes into \p Directory.
llvm::Expected<std::vector<FileChange>> helperFiles(llvm::StringRef Lang, llvm::StringRef Directory,
                                                    const FixOptions &Opts,
                                                    llvm::StringRef Package = "");
/// The names of the files in a directory under the scan root \p Root (FixOptions::ListDir).
std::function<std::vector<std::string>(llvm::StringRef)> diskLister(std::string Root);
/// The namespace of helper language \p Lang under \p Opts.
std::string helperNamespace(llvm::StringRef Lang, const FixOptions &Opts);

} // namespace atm::fix
