#pragma once
/// \file
/// Batch front ends: passes that need to see a language's candidate files together
/// (the Clang front end for C, C++ and Objective-C parses translation units, reports
/// findings in headers once, and needs the compilation database). The scan driver runs
/// the per-file lexer/RE2 pass first, then hands each front end the files of its
/// languages that passed the prefilter, with their lexer findings as a fallback.

#include <optional>
#include <string>
#include <vector>

#include "core/Finding.h"
#include "lang/Language.h"
#include "llvm/ADT/StringRef.h"

namespace atm {

class BatchFrontend {
public:
  virtual ~BatchFrontend() = default;

  /// True for the languages this front end takes over.
  virtual bool handles(Language L) const = 0;

  /// A front end that resolves names across files (a constant defined in one file and
  /// used in another that never mentions Zoho) also gets the files of its languages that
  /// the prefilter rejected, as inputs with Candidate false (and no findings).
  virtual bool wantsRejected() const { return false; }

  /// Called from the scan's worker threads for each file of a handled language that passed
  /// the prefilter (its \p Text, and whether the lexer found anything in it), while the
  /// lexer pass is still running, so that a front end can start work that needs only the
  /// file's language (the syntax front end compiles that grammar's queries in the
  /// background). Thread-safe; the default does nothing.
  virtual void prepare(Language L, llvm::StringRef RelPath, llvm::StringRef Text,
                       bool LexerFound) {
    (void)L;
    (void)RelPath;
    (void)Text;
    (void)LexerFound;
  }

  struct Input {
    std::string Path;    ///< path to open
    std::string RelPath; ///< display path (relative to the scan root, '/' separators)
    Language Lang = Language::Unknown;
    std::vector<Finding> LexerFindings; ///< the per-file result, to fall back on
    bool Candidate = true; ///< passed the prefilter (false: see wantsRejected())
    /// The file's content when the caller already has it (fixture runners); else the
    /// front end reads Path.
    std::optional<std::string> Text;
    /// A file the prefilter rejected (Candidate false) whose text holds the word
    /// `authtoken` (mentionsAuthtokenWord): the scan driver checks the small ones
    /// (MaxRepoContextBytes) it read whole, so that a front end giving files the repository's context reads only
    /// those again.
    bool MentionsAuthtoken = false;
  };

  /// Replaces the findings of \p Files: everything appended to \p Out is reported (it may
  /// name other files, e.g. headers under the scan root, using display paths), and the
  /// lexer findings of \p Files are dropped unless the front end copies them into \p Out
  /// (it must, for a file it could not parse). \p Notes are summary lines ("file: could
  /// not be parsed, lexer result used"). Called once per scan, from the driver thread.
  virtual void run(std::vector<Input> &Files, std::vector<Finding> &Out,
                   std::vector<std::string> &Notes) = 0;
};

} // namespace atm
