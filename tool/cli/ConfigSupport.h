#pragma once
/// \file
/// The configuration file for the commands that read it (scan, fix, config): which file
/// (--no-config: none; --config FILE; else discovered from the scan root upwards), and
/// its errors printed one "FILE:LINE:COL: error: …" line each (exit 2). ConfigCommand.cpp.

#include <string>

#include "gate/Config.h"
#include "rules/Rule.h"
#include "llvm/ADT/StringRef.h"

namespace atm::cli {

/// Loads the configuration into \p Out (an empty Config when there is none). Returns 0,
/// or 2 after printing the errors. \p Root and \p Cwd are absolute.
int loadCommandConfig(llvm::StringRef Explicit, bool NoConfig, llvm::StringRef Root,
                      llvm::StringRef Cwd, const RuleSet &Rules, gate::Config &Out);

} // namespace atm::cli
