#pragma once
/// \file
/// GitHub code scanning's `primaryLocationLineHash`: the rolling hash that the
/// upload-sarif action computes (codeql-action src/fingerprints.ts) over the first 100
/// non-blank characters from the start of each line, with line endings normalised and
/// a ":n" suffix counting repeats of the same hash in the file. Supplying the same value
/// the action would compute lets the REST upload (which computes nothing) and the action
/// agree, so alerts are not duplicated or re-opened.

#include <map>
#include <string>

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

namespace atm {

/// The hashes ("hex:n") of the 1-based \p Lines of \p Text (UTF-8; hashed as UTF-16 code
/// units, as the action reads files). Lines past the end get no entry.
std::map<unsigned, std::string> primaryLocationLineHashes(llvm::StringRef Text,
                                                          llvm::ArrayRef<unsigned> Lines);

} // namespace atm
